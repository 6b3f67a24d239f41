//! What the applications mean in the outputs: notices.html (one notice per
//! move, one printed page each), the applications summary in summary.json,
//! report.html and plan.xlsx, and the reason of a moved non-volunteer.
//! Plans here are hand-made lists (as `score` reads them) of the tiny
//! county, so each case moves exactly the teachers it names.

use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};
use rotaplan::domain::applications::{Application, FamilyRule, FamilyTie};
use rotaplan::domain::changes::ProposedMove;
use rotaplan::domain::{County, Lock, LockAction};
use rotaplan::exact::Exact;
use rotaplan::explain::applications::{NoVolunteerReason, WishBar, WishOutcome};
use rotaplan::explain::{applications_summary, explain_plan};
use rotaplan::plan::{hand_made_plan, Plan};
use rotaplan::render::output::{plan_files, OutputFiles};
use rotaplan::render::Lang;

use crate::common::fixture;

/// The tiny county without its locks, with 1102, a twin of 1002 (S01,
/// primary math, same indicator flags), and a 40 km distance limit (S01 to
/// S04 is 48 km by road, S01 to S03 30.5 km).
fn county() -> County {
    let mut county = rotaplan::io::load(&fixture("tiny"), None).expect("tiny loads").county;
    county.locks.clear();
    let mut twin = county.teachers.iter().find(|t| t.id == "1002").expect("1002").clone();
    twin.id = "1102".into();
    twin.name = "王芳二".into();
    county.teachers.push(twin);
    county.reindex();
    county.policy.movement.max_distance_km = 40.0;
    county
}

fn application(id: &str, volunteer: bool, wishes: &[&str]) -> Application {
    Application {
        teacher_id: id.into(),
        volunteer,
        wishes: wishes.iter().map(|w| w.to_string()).collect(),
        extra_points: Exact::from_integer(0),
        note: String::new(),
    }
}

/// 1002 (not a volunteer) wishes S02 then S03 and goes to S03; 1021 (at
/// S03) volunteers, wishes S02 then S04 and goes to S01; 1028 (at S04)
/// wishes S01 (48 km) and goes to S03; 1004 has no application and goes to
/// S03; 1102 volunteers and stays; 1020 wishes S01 and stays.
fn with_applications(county: County) -> County {
    county.with_applications(vec![
        application("1002", false, &["S02", "S03"]),
        application("1021", true, &["S02", "S04"]),
        application("1028", false, &["S01"]),
        application("1102", true, &[]),
        application("1020", false, &["S01"]),
    ])
}

fn moves(list: &[(&str, &str)]) -> Vec<ProposedMove> {
    list.iter().map(|(t, s)| ProposedMove::new(*t, *s)).collect()
}

const FOUR: [(&str, &str); 4] = [("1002", "S03"), ("1021", "S01"), ("1028", "S03"), ("1004", "S03")];

fn files(county: &County, plan: &Plan, lang: Lang) -> OutputFiles {
    plan_files(county, plan, lang).expect("files")
}

fn text(files: &OutputFiles, name: &str) -> String {
    String::from_utf8(files.get(name).unwrap_or_else(|| panic!("{name} written")).to_vec()).expect("utf-8")
}

/// The notice of one teacher, up to its end.
fn notice<'a>(html: &'a str, id: &str) -> &'a str {
    let start = html.find(&format!("<section class=\"notice\" id=\"notice-{id}\">")).expect("the notice");
    let rest = &html[start..];
    &rest[..rest.find("</section>").expect("its end")]
}

/// The reason column of rotations.csv for a teacher.
fn reason(files: &OutputFiles, id: &str) -> String {
    let bytes = files.get("rotations.csv").expect("rotations.csv");
    let mut reader = csv::Reader::from_reader(&bytes[3..]);
    let headers = reader.headers().expect("header").clone();
    let col = headers.iter().position(|h| h == "reason").expect("a reason column");
    let row = reader.records().map(|r| r.expect("row")).find(|r| &r[0] == id).expect("the teacher's row");
    row[col].to_string()
}

#[test]
fn one_notice_per_move_with_schools_distance_term_and_wish_lines() {
    let county = with_applications(county());
    let plan = hand_made_plan(&county, &moves(&FOUR));
    let out = files(&county, &plan, Lang::Zh);
    let html = text(&out, "notices.html");
    assert_eq!(html.matches("<section class=\"notice\"").count(), 4);
    assert_eq!(html.matches("<h2>交流通知书</h2>").count(), 4);
    // The index links every notice.
    for (id, _) in FOUR {
        assert!(html.contains(&format!("href=\"#notice-{id}\"")), "{id} in the index");
    }
    let first = notice(&html, "1002");
    assert!(
        first.contains("王芳") && first.contains("城关第一小学 (S01)") && first.contains("和川九年一贯制学校 (S03)")
    );
    assert!(first.contains("<td>30.5</td>"), "the distance: {first}");
    assert!(first.contains("2025–2028"), "the term to year + rotation years: {first}");
    assert!(first.contains("满足第2志愿（和川九年一贯制学校）"), "{first}");
    // 13 years at S01 are 13 points by the default scale.
    assert!(
        first.contains("<tr><th>本人申请</th><td>否</td></tr>")
            && first.contains("<tr><th>优先积分</th><td>13</td></tr>")
    );
    assert!(notice(&html, "1021").contains("<tr><th>本人申请</th><td>是</td></tr>"));
    // The reason is rotations.csv's, word for word.
    assert!(first.contains(&rotaplan::render::html::escape(&reason(&out, "1002"))));
    // So is report.html's, in the list and in the school letters.
    let report = text(&out, "report.html");
    assert!(report.matches(&rotaplan::render::html::escape(&reason(&out, "1002"))).count() >= 2);
    assert!(reason(&out, "1002").contains("非本人申请") && reason(&out, "1021").contains("本人申请交流"));
    // The figures of a reason are the section's before and after all of
    // the year's moves, and the reason says so.
    let with_figures: Vec<String> = FOUR.iter().map(|(id, _)| reason(&out, id)).filter(|r| r.contains(" → ")).collect();
    assert!(!with_figures.is_empty());
    for r in &with_figures {
        assert!(r.contains("本轮交流前后："), "{r}");
    }
    let second = notice(&html, "1021");
    assert!(second.contains("志愿未能满足") && second.contains("志愿1 城关中学（该校无小学学段）"), "{second}");
    assert!(second.contains("志愿2 马壁教学点（可以调入，但按全县指标安排在其他学校）"), "{second}");
    assert!(notice(&html, "1028").contains("志愿1 城关第一小学（距离 48.0 公里，超过上限 40 公里）"));
    assert!(notice(&html, "1004").contains("未填报志愿"));
    // One printed page each: a page break after every notice but the last.
    assert!(html.contains("break-after: page") && html.contains("page-break-after: always"));
    assert!(html.contains("nav.index { display: none; }") || html.contains("header, nav.index { display: none; }"));
}

#[test]
fn notices_in_english() {
    let county = with_applications(county());
    let plan = hand_made_plan(&county, &moves(&FOUR));
    let html = text(&files(&county, &plan, Lang::En), "notices.html");
    assert!(html.starts_with("<!DOCTYPE html>\n<html lang=\"en\">"));
    assert_eq!(html.matches("<h2>Exchange notice</h2>").count(), 4);
    assert!(notice(&html, "1002").contains("wish 2 granted"));
    let second = notice(&html, "1021");
    assert!(second.contains("no wish granted") && second.contains("the school has no primary section"), "{second}");
    assert!(notice(&html, "1028").contains("48.0 km away, over the limit of 40 km"));
    assert!(notice(&html, "1004").contains("no wishes listed"));
    assert!(!html.contains("志愿"), "no Chinese word in the English notices");
}

#[test]
fn a_county_without_applications_gets_notices_without_wish_lines_and_no_applications_block() {
    let county = county();
    let plan = hand_made_plan(&county, &moves(&FOUR));
    let out = files(&county, &plan, Lang::Zh);
    let html = text(&out, "notices.html");
    assert_eq!(html.matches("<section class=\"notice\"").count(), 4);
    assert!(!html.contains("class=\"wish\""));
    assert!(!html.contains("本人申请") && !html.contains("积分"));
    let summary: serde_json::Value = serde_json::from_slice(out.get("summary.json").unwrap()).unwrap();
    assert!(summary.get("applications").is_none());
    assert!(!text(&out, "report.html").contains("id=\"applications\""));
    assert!(!reason(&out, "1002").contains("申请"));
    let book: Xlsx<_> = Xlsx::new(Cursor::new(out.get("plan.xlsx").unwrap().to_vec())).unwrap();
    assert_eq!(
        book.sheet_names(),
        vec!["交流名单", "学校", "汇总", "职称年龄结构", "学科缺口", "交流流向", "联盟", "编制与办学条件"]
    );
    // No move, no notices.
    let none = files(&county, &hand_made_plan(&county, &[]), Lang::Zh);
    assert!(none.get("notices.html").is_none());
}

#[test]
fn the_summary_counts_volunteers_wishes_and_non_volunteers() {
    let county = with_applications(county());
    let plan = hand_made_plan(&county, &moves(&FOUR));
    let a = applications_summary(&county, &plan).expect("a summary");
    assert_eq!((a.applicants, a.volunteers, a.volunteers_moved, a.non_volunteers_moved), (5, 2, 1, 3));
    assert_eq!(a.granted, [0, 1, 0, 0, 0]);
    // 1021 and 1028 moved elsewhere, 1020 stays: three with wishes not granted.
    assert_eq!((a.with_wishes, a.not_granted, a.moved_elsewhere), (4, 3, 2));
    // 1002's volunteer twin stays with nothing holding it; 1028's and
    // 1004's groups have no volunteer.
    assert_eq!(a.why, [0, 2, 0, 0, 1]);
    let out = files(&county, &plan, Lang::En);
    let summary: serde_json::Value = serde_json::from_slice(out.get("summary.json").unwrap()).unwrap();
    let s = &summary["applications"];
    assert_eq!(s["applicants"], 5);
    assert_eq!(s["volunteers_moved"], 1);
    assert_eq!(s["non_volunteers_moved"], 3);
    assert_eq!(s["granted_by_wish"], serde_json::json!([0, 1, 0, 0, 0]));
    assert_eq!(s["non_volunteers_why"]["no_volunteer"], 2);
    assert_eq!(s["non_volunteers_why"]["volunteers_passed_over"], 1);
    assert_eq!(s["wishes_not_granted"], 3);
    let report = text(&out, "report.html");
    let part = &report[report.find("<section id=\"applications\">").expect("the applications section")..];
    let part = &part[..part.find("</section>").unwrap()];
    assert!(part.contains("Wishes granted by rank") && part.contains("<td class=\"num\">1</td>"));
    assert!(part.contains(">1028<") && part.contains(">1004<") && !part.contains(">1021<"), "{part}");
    // plan.xlsx: one row per applicant with the wish granted.
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(out.get("plan.xlsx").unwrap().to_vec())).unwrap();
    assert_eq!(
        book.sheet_names(),
        vec![
            "rotations",
            "schools",
            "summary",
            "applications",
            "title and age",
            "subject_gaps",
            "direction",
            "alliances",
            "norms"
        ]
    );
    let sheet = book.worksheet_range("applications").unwrap();
    let header: Vec<String> = sheet.rows().next().unwrap().iter().map(|c| c.to_string()).collect();
    let col = |key: &str| header.iter().position(|h| h == key).unwrap_or_else(|| panic!("{key} in {header:?}"));
    let row = sheet.rows().find(|r| r[0] == Data::String("1002".into())).expect("1002's row");
    assert_eq!(row[col("wish_granted")], Data::Float(2.0));
    assert_eq!(row[col("to_school")], Data::String("S03".into()));
    let row = sheet.rows().find(|r| r[0] == Data::String("1020".into())).expect("1020's row");
    assert_eq!(row[col("wish_granted")], Data::Empty);
    assert_eq!(sheet.rows().filter(|r| matches!(&r[0], Data::String(s) if s.starts_with("1"))).count(), 5);
}

#[test]
fn wishes_not_granted_say_why_for_each_wish() {
    let county = with_applications(county());
    let plan = hand_made_plan(&county, &moves(&FOUR));
    let x = explain_plan(&county, &plan);
    let of = |id: &str| {
        let i = plan.moves.iter().position(|m| county.teachers[m.teacher].id == id).unwrap();
        x.moves[i].application.clone().expect("applications explained")
    };
    assert_eq!(of("1002").wishes, WishOutcome::Granted(2));
    let WishOutcome::NotGranted(misses) = of("1021").wishes else { panic!("1021's wishes are not granted") };
    assert_eq!(misses[0].bar, WishBar::OtherLevel);
    assert_eq!(misses[1].bar, WishBar::Placed);
    let WishOutcome::NotGranted(misses) = of("1028").wishes else { panic!("1028's wish is not granted") };
    let far = |bar: &WishBar| matches!(bar, WishBar::TooFar { km: Some(km), limit } if (km - 48.0).abs() < 1e-9 && *limit == 40.0);
    assert!(far(&misses[0].bar), "{:?}", misses[0]);
    assert_eq!(of("1004").wishes, WishOutcome::NoWishes);
    assert!(of("1021").volunteer && of("1021").no_volunteer.is_none());
    // With a wider limit, 1028's S01 is allowed: placed elsewhere.
    let mut wide = county.clone();
    wide.policy.movement.max_distance_km = 60.0;
    let plan = hand_made_plan(&wide, &moves(&FOUR));
    let x = explain_plan(&wide, &plan);
    let i = plan.moves.iter().position(|m| wide.teachers[m.teacher].id == "1028").unwrap();
    let Some(WishOutcome::NotGranted(misses)) = x.moves[i].application.as_ref().map(|a| a.wishes.clone()) else {
        panic!("not granted")
    };
    assert_eq!(misses[0].bar, WishBar::Placed);
    // A forbid lock on the wish.
    let mut locked = county.clone();
    locked.locks.push(Lock {
        teacher_id: "1021".into(),
        action: LockAction::Forbid,
        school_id: Some("S04".into()),
        note: String::new(),
    });
    let plan = hand_made_plan(&locked, &moves(&FOUR));
    let x = explain_plan(&locked, &plan);
    let i = plan.moves.iter().position(|m| locked.teachers[m.teacher].id == "1021").unwrap();
    let Some(WishOutcome::NotGranted(misses)) = x.moves[i].application.as_ref().map(|a| a.wishes.clone()) else {
        panic!("not granted")
    };
    assert_eq!(misses[1].bar, WishBar::LockForbids);
}

/// Why no volunteer took 1002's place, for the county `county` and the list `list`.
fn why_1002(county: &County, list: &[(&str, &str)]) -> (NoVolunteerReason, String) {
    let plan = hand_made_plan(county, &moves(list));
    let x = explain_plan(county, &plan);
    let i = plan.moves.iter().position(|m| county.teachers[m.teacher].id == "1002").unwrap();
    let why = x.moves[i].application.as_ref().and_then(|a| a.no_volunteer).expect("a non-volunteer");
    (why, reason(&files(county, &plan, Lang::Zh), "1002"))
}

#[test]
fn a_moved_non_volunteer_says_why_no_volunteer_took_the_place() {
    let base = with_applications(county());
    // The twin volunteers and stays, held by nothing: the list passes it over.
    let (why, text) = why_1002(&base, &FOUR);
    assert_eq!(why, NoVolunteerReason::VolunteersPassedOver(1));
    assert!(text.contains("非本人申请：同类教师中有 1 名自愿者未安排交流"), "{text}");
    // The twin moves too.
    let (why, text) = why_1002(&base, &[("1002", "S03"), ("1102", "S03")]);
    assert_eq!(why, NoVolunteerReason::VolunteersMove(1));
    assert!(text.contains("1 名自愿者均已安排交流"), "{text}");
    // The twin does not volunteer: the group has no volunteer.
    let mut none = base.clone();
    none.applications.retain(|a| a.teacher_id != "1102");
    let (why, text) = why_1002(&none, &FOUR);
    assert_eq!(why, NoVolunteerReason::NoVolunteer);
    assert!(text.contains("无自愿交流者"), "{text}");
    // The twin is held by a family tie, then by a lock.
    let tie = FamilyTie { teacher_a: "1102".into(), teacher_b: "1003".into(), rule: FamilyRule::SameTown };
    let (why, text) = why_1002(&base.clone().with_family(vec![tie]), &FOUR);
    assert_eq!(why, NoVolunteerReason::VolunteersHeld { moving: 0, family: 1, locks: 0 });
    assert!(text.contains("1 人受家庭约束"), "{text}");
    let mut locked = base.clone();
    let lock = Lock { teacher_id: "1102".into(), action: LockAction::Stay, school_id: None, note: String::new() };
    locked.locks.push(lock);
    let (why, text) = why_1002(&locked, &FOUR);
    assert_eq!(why, NoVolunteerReason::VolunteersHeld { moving: 0, family: 0, locks: 1 });
    assert!(text.contains("1 人受锁定约束"), "{text}");
    // English.
    let plan = hand_made_plan(&none, &moves(&FOUR));
    assert!(reason(&files(&none, &plan, Lang::En), "1002").contains("did not volunteer: no colleague"));
}

/// The number of pages of a PDF: its `/Type /Page` objects (not `/Pages`).
fn pdf_pages(bytes: &[u8]) -> usize {
    let needle = b"/Type /Page";
    bytes.windows(needle.len() + 1).filter(|w| w.starts_with(needle) && w[needle.len()] != b's').count()
}

#[test]
fn chromium_renders_and_prints_one_page_per_notice() {
    let Some(binary) = crate::report::chromium() else {
        if std::env::var_os("CI").is_some() {
            panic!("chromium is not installed: CI must install Debian's chromium (and fonts-noto-cjk) to check notices.html");
        }
        eprintln!("note: chromium not found; skipping the headless rendering check of notices.html");
        return;
    };
    let county = with_applications(county());
    let plan = hand_made_plan(&county, &moves(&FOUR));
    let dir = tempfile::tempdir().expect("temp dir");
    let page = dir.path().join("notices.html");
    std::fs::write(&page, text(&files(&county, &plan, Lang::Zh), "notices.html")).expect("write notices");
    let profile = tempfile::tempdir().expect("profile dir");
    let dom = crate::report::run_chromium(&binary, &page, profile.path(), &["--dump-dom".into()]);
    assert_eq!(dom.matches("class=\"notice\"").count(), 4, "the rendered DOM has every notice");
    let pdf = dir.path().join("notices.pdf");
    let profile = tempfile::tempdir().expect("profile dir");
    let args = [format!("--print-to-pdf={}", pdf.display()), "--no-pdf-header-footer".into()];
    crate::report::run_chromium(&binary, &page, profile.path(), &args);
    let bytes = std::fs::read(&pdf).expect("chromium wrote the PDF");
    assert!(bytes.starts_with(b"%PDF"), "a PDF");
    assert_eq!(pdf_pages(&bytes), 4, "one printed page per notice");
}

#[test]
fn score_writes_the_notices_and_the_applications_of_an_edited_list() {
    let county = with_applications(county());
    let options = rotaplan::plan::PlanOptions { time_limit: 60.0, progress: None, ..Default::default() };
    let report = rotaplan::commands::score::score(&county, &moves(&FOUR), &options).expect("score runs");
    let out = report.files(&county, Lang::Zh).expect("score's files");
    let html = text(&out, "notices.html");
    assert_eq!(html.matches("<section class=\"notice\"").count(), 4);
    assert!(notice(&html, "1002").contains("满足第2志愿"));
    let summary: serde_json::Value = serde_json::from_slice(out.get("summary.json").unwrap()).unwrap();
    assert_eq!(summary["applications"]["volunteers_moved"], 1);
}

#[test]
fn a_solved_plan_of_a_county_with_applications_gets_a_notice_per_move() {
    let mut county = with_applications(county());
    county.policy.movement.max_distance_km = 60.0;
    county.policy.rotation.min_share = rotaplan::exact::parse_exact("0.08").expect("a decimal");
    let options = rotaplan::plan::PlanOptions { time_limit: 120.0, progress: None, ..Default::default() };
    let plan = match rotaplan::plan::plan(&county, Vec::new(), &options).expect("solver runs") {
        rotaplan::plan::Outcome::Planned(p) => p,
        _ => panic!("the tiny county without locks has a plan"),
    };
    assert!(!plan.moves.is_empty());
    let out = files(&county, &plan, Lang::Zh);
    let html = text(&out, "notices.html");
    assert_eq!(html.matches("<section class=\"notice\"").count(), plan.moves.len());
    let a = applications_summary(&county, &plan).expect("a summary");
    assert_eq!(a.volunteers_moved + a.non_volunteers_moved, plan.moves.len());
    assert_eq!(a.why.iter().sum::<usize>(), a.non_volunteers_moved);
    for m in &plan.moves {
        let id = &county.teachers[m.teacher].id;
        let part = notice(&html, id);
        assert!(part.contains(&format!("({})", county.schools[m.to].id)), "{id}'s notice names its new school");
        assert!(part.contains("class=\"wish\""), "{id}'s notice has a wish line");
    }
}
