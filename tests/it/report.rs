//! report.html (SPEC §5): its structure for the tiny county and for Anze,
//! hostile names from the input escaped, and the page as headless Chromium
//! renders it (a screenshot that is not blank, a DOM with every school).

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use rotaplan::domain::County;
use rotaplan::plan::{plan, Outcome, Plan, PlanOptions};
use rotaplan::render::html::{comparison_html, evaluation_report, plan_report, ComparisonRow};
use rotaplan::render::Lang;
use rotaplan::rules::evaluation::evaluate_county;

use crate::common::fixture;
use crate::plan::lines;

fn load(path: &Path) -> County {
    rotaplan::io::load(path, None).expect("data loads").county
}

/// The tiny county, made plannable: as it is, its `move_to S03` lock cannot
/// hold and the movement rules let only 2 of its 3 required moves happen
/// (planning it gives a diagnosis), so the locks go and min_share is 0.08.
fn small_county() -> County {
    let mut county = load(&fixture("tiny"));
    county.locks.clear();
    county.policy.rotation.min_share = rotaplan::exact::parse_exact("0.08").expect("a decimal");
    county
}

fn planned(county: &County) -> Plan {
    match plan(county, Vec::new(), &PlanOptions { time_limit: 120.0, progress: None, ..Default::default() })
        .expect("solver runs")
    {
        Outcome::Planned(p) => p,
        Outcome::Infeasible(d) => panic!("expected a plan, got {:?}", lines(&d)),
        Outcome::OutOfTime(stop) => panic!("no plan within the time limit ({} s)", stop.seconds),
    }
}

/// The Anze county and its plan, solved once for every test that needs it.
fn anze() -> &'static (County, Plan) {
    static ANZE: OnceLock<(County, Plan)> = OnceLock::new();
    ANZE.get_or_init(|| {
        let county = load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("data/anze"));
        let p = planned(&county);
        (county, p)
    })
}

/// The `id="…"` of every `<section class="school"` in page order.
fn school_section_ids(html: &str) -> Vec<String> {
    html.match_indices("<section class=\"school\" id=\"")
        .map(|(at, m)| {
            let rest = &html[at + m.len()..];
            rest[..rest.find('"').expect("closing quote")].to_string()
        })
        .collect()
}

/// The body of the element that starts at `<table id="{id}"`.
fn table<'a>(html: &'a str, id: &str) -> &'a str {
    let start = html.find(&format!("<table id=\"{id}\"")).unwrap_or_else(|| panic!("no table {id}"));
    let end = start + html[start..].find("</table>").expect("table closes");
    &html[start..end]
}

/// What every report must be: one HTML5 page, UTF-8, no script, no network,
/// one section per school with the right ids, two charts at least.
fn assert_page(html: &str, county: &County, lang: &str) {
    assert!(html.starts_with("<!DOCTYPE html>"), "starts with a doctype");
    assert!(html.contains(&format!("<html lang=\"{lang}\">")), "lang {lang}");
    assert!(html.contains("<meta charset=\"utf-8\">"));
    assert!(!html.to_lowercase().contains("<script"), "no script");
    assert!(only_svg_namespace(html), "no network link");
    let expected: Vec<String> = county.schools.iter().map(|s| format!("school-{}", s.id)).collect();
    assert_eq!(school_section_ids(html), expected, "one section per school, in id order");
    assert!(html.matches("<svg").count() >= 2, "two charts at least");
    assert_eq!(html.matches("<svg").count(), html.matches("</svg>").count());
    assert_eq!(html.matches("<section").count(), html.matches("</section>").count());
    assert_eq!(html.matches("<table").count(), html.matches("</table>").count());
    assert!(html.contains("@media print") && html.contains("break-before: page"), "prints one school a page");
}

/// The only URL in a page is the SVG namespace (an identifier, never fetched).
fn only_svg_namespace(html: &str) -> bool {
    html.replace("http://www.w3.org/2000/svg", "").matches("http").count() == 0
}

#[test]
fn plan_report_of_tiny_county_in_chinese() {
    let county = small_county();
    let p = planned(&county);
    assert!(!p.moves.is_empty(), "the tiny county moves someone");
    let html = plan_report(&county, &p, Lang::Zh);
    assert_page(&html, &county, "zh-CN");
    for label in [
        "县域汇总",
        "符合交流条件人数",
        "交流人数",
        "骨干占比",
        "达标学段",
        "缺口",
        "差异系数",
        "交流名单",
        "调出",
        "调入",
        "理由",
    ] {
        assert!(html.contains(label), "label {label}");
    }
    let rows = table(&html, "rotation-table");
    assert_eq!(rows.matches("<tr class=\"move\">").count(), p.moves.len(), "one row a move");
    for m in &p.moves {
        let t = &county.teachers[m.teacher];
        assert!(rows.contains(&format!("<td class=\"nowrap\">{}</td><td class=\"nowrap\">{}</td>", t.id, t.name)));
        // The letters: the teacher is listed at both schools.
        for school in [m.from, m.to] {
            let id = &county.schools[school].id;
            let letter = letter(&html, id);
            assert!(letter.contains(&t.name), "{} is in the letter to {id}", t.name);
        }
    }
    // Every CV of both levels and all seven indicators, before and after, at 4 decimals.
    for ((level, ind), c) in &p.after.cv {
        if let Some(v) = c.value {
            assert!(html.contains(&format!("{v:.4}")), "CV after {level:?} {ind:?}");
        }
        if let Some(v) = p.before.cv[&(*level, *ind)].value {
            assert!(html.contains(&format!("{v:.4}")), "CV before {level:?} {ind:?}");
        }
    }
    assert!(html.contains(&format!("{} → {}", p.before.compliant(), p.after.compliant())));
    assert!(html.contains(if p.proven_optimal() { "已证明最优" } else { "未证明最优" }));
    // Per-100 figures are rounded to 2 decimals in the letters.
    let s = &p.after.sections[0];
    let v = s.values[0].expect("students");
    assert!(letter(&html, &county.schools[s.school].id).contains(&format!("{v:.2}")));
}

/// The text of the letter to one school.
fn letter<'a>(html: &'a str, id: &str) -> &'a str {
    let start = html.find(&format!("<section class=\"school\" id=\"school-{id}\"")).expect("letter");
    let end = start + html[start..].find("</section>").expect("letter closes");
    &html[start..end]
}

#[test]
fn plan_report_lists_hires_in_the_list_and_the_letters() {
    use rotaplan::domain::{Backbone, Degree, Level, Subject};
    let county = small_county();
    let hires = vec![rotaplan::domain::changes::HireGroup {
        level: Level::Primary,
        subject: Subject::Music,
        degree: Degree::Bachelor,
        backbone: Backbone::County,
        title: None,
        ids: vec!["H001".into(), "H002".into()],
        school: None,
    }];
    let outcome = plan(&county, hires, &PlanOptions { time_limit: 120.0, progress: None, ..Default::default() })
        .expect("solver runs");
    let Outcome::Planned(p) = outcome else { panic!("the tiny county with two hires has a plan") };
    assert_eq!(p.hires.len(), 2, "both hires are placed");
    let html = plan_report(&county, &p, Lang::Zh);
    assert_page(&html, &county, "zh-CN");
    assert_eq!(table(&html, "hire-table").matches("<tr class=\"hire\">").count(), 2);
    for h in &p.hires {
        let letter = letter(&html, &county.schools[h.to].id);
        assert!(letter.contains("新招聘教师") && letter.contains(&h.id), "{} in the letter to its school", h.id);
    }
}

#[test]
fn plan_report_is_the_same_for_the_same_plan() {
    let county = small_county();
    let first = plan_report(&county, &planned(&county), Lang::Zh);
    let second = plan_report(&county, &planned(&county), Lang::Zh);
    assert_eq!(first, second, "no clock or solve time in the page");
}

#[test]
fn plan_report_in_english() {
    let county = small_county();
    let p = planned(&county);
    let html = plan_report(&county, &p, Lang::En);
    assert_page(&html, &county, "en");
    for label in [
        "County summary",
        "Eligible teachers",
        "Backbone moves / share",
        "Difference coefficients",
        "Rotation list",
        "Departures",
        "Arrivals",
        "Reason",
    ] {
        assert!(html.contains(label), "label {label}");
    }
    assert!(!html.contains("县域汇总"));
}

#[test]
fn evaluation_report_says_why_sections_fail() {
    let county = small_county();
    let evaluation = evaluate_county(&county);
    let html = evaluation_report(&county, &evaluation, Lang::Zh);
    assert_page(&html, &county, "zh-CN");
    assert!(!html.contains("rotation-table") && !html.contains("调整后"), "no plan in an evaluation");
    assert!(html.contains(&format!("{} / {}", evaluation.figures.compliant(), evaluation.figures.counted())));
    let failing: Vec<_> =
        evaluation.figures.sections.iter().filter(|s| s.counted && s.compliant == Some(false)).collect();
    assert!(!failing.is_empty(), "the tiny county has a failing section");
    for s in failing {
        let letter = letter(&html, &county.schools[s.school].id);
        assert!(letter.contains("未达标的原因"), "reasons at {}", county.schools[s.school].id);
    }
}

#[test]
fn anze_plan_report_has_every_school_and_move() {
    let (county, p) = anze();
    let html = plan_report(county, p, Lang::Zh);
    assert_page(&html, county, "zh-CN");
    assert_eq!(table(&html, "rotation-table").matches("<tr class=\"move\">").count(), p.moves.len());
    // One chart row per school section with students, in each of the three panels.
    let with_students = p.before.sections.iter().filter(|s| s.students > 0).count();
    let chart_start = html.find("teacher-chart").expect("teacher chart");
    let chart = &html[chart_start..chart_start + html[chart_start..].find("</svg>").expect("chart ends")];
    assert_eq!(
        chart.matches("height=\"6\" fill=\"#a0aec0\"").count(),
        3 * with_students,
        "a before bar per section and indicator"
    );
}

#[test]
fn evaluation_report_scales_to_a_hundred_schools() {
    let dir = tempfile::tempdir().expect("temp dir");
    rotaplan::commands::synth::write_county(dir.path(), 7, 100).expect("synthetic county");
    let county = load(dir.path());
    let evaluation = evaluate_county(&county);
    let html = evaluation_report(&county, &evaluation, Lang::Zh);
    assert_page(&html, &county, "zh-CN");
    let with_students = evaluation.figures.sections.iter().filter(|s| s.students > 0).count();
    assert!(with_students >= 100, "{with_students} sections");
    // One bar per section with students in each of the three teacher panels.
    let chart_start = html.find("teacher-chart").expect("teacher chart");
    let chart = &html[chart_start..chart_start + html[chart_start..].find("</svg>").expect("chart ends")];
    assert_eq!(chart.matches("height=\"8\" fill=").count(), 3 * with_students);
    // The chart grows with the rows instead of squeezing them.
    let view_box = &chart[chart.find("viewBox=\"0 0 1100 ").expect("viewBox") + 18..];
    let height: f64 = view_box[..view_box.find('"').expect("quote")].parse().expect("height");
    assert!(height >= 13.0 * with_students as f64, "{height} for {with_students} rows");
}

// ----- hostile input ---------------------------------------------------------

const HOSTILE_SCHOOL: &str = "<script>alert(1)</script>";
const HOSTILE_TEACHERS: [&str; 4] = ["=HYPERLINK(\"http://x\",\"y\")", "+1+1", "@SUM(A1)", "a,\"b\""];
const HOSTILE_ID: &str = "S04<b>\"x'";

/// The tiny county with a school named like a script, another whose id
/// carries markup, a town with an ampersand and teachers named like formulas.
fn hostile_county() -> County {
    let mut county = small_county();
    for (i, school) in county.schools.iter_mut().enumerate() {
        school.name = if i == 0 { HOSTILE_SCHOOL.to_string() } else { format!("{}'s \"<i>\" & co", school.name) };
    }
    // Roads name towns as nodes: rename both, so the distances stay as they were.
    let towns: Vec<String> = county.schools.iter().map(|s| s.town.clone()).collect();
    let hostile_town = |town: &str| format!("{town} A&B <镇>");
    for school in &mut county.schools {
        school.town = hostile_town(&school.town);
    }
    for road in &mut county.roads {
        for end in [&mut road.from, &mut road.to] {
            if towns.contains(end) {
                *end = hostile_town(end);
            }
        }
    }
    let old = "S04";
    let rename = |id: &mut String| {
        if id == old {
            *id = HOSTILE_ID.to_string();
        }
    };
    for school in &mut county.schools {
        rename(&mut school.id);
    }
    for teacher in &mut county.teachers {
        rename(&mut teacher.school_id);
    }
    for lock in &mut county.locks {
        if let Some(id) = lock.school_id.as_mut() {
            rename(id);
        }
    }
    for road in &mut county.roads {
        rename(&mut road.from);
        rename(&mut road.to);
    }
    for need in &mut county.staffing {
        rename(&mut need.school_id);
    }
    county.reindex();
    for (i, teacher) in county.teachers.iter_mut().enumerate() {
        teacher.name = HOSTILE_TEACHERS[i % HOSTILE_TEACHERS.len()].to_string();
    }
    county
}

fn assert_escaped(html: &str) {
    assert!(!html.to_lowercase().contains("<script"), "a raw <script> got through");
    assert!(!html.contains("<i>") && !html.contains("<b>"), "raw markup from input got through");
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(html.contains("&#39;s &quot;&lt;i&gt;&quot; &amp; co"));
    assert!(html.contains(" A&amp;B &lt;镇&gt;"));
    assert!(html.contains("id=\"school-S04&lt;b&gt;&quot;x&#39;\""), "the school id escaped in its anchor");
    assert!(!html.contains("HYPERLINK(\"") && !html.contains("a,\"b\""), "quotes in names are escaped");
}

#[test]
fn hostile_names_are_escaped_in_the_plan_report() {
    let county = hostile_county();
    let p = planned(&county);
    for lang in [Lang::Zh, Lang::En] {
        let html = plan_report(&county, &p, lang);
        assert_escaped(&html);
        let rows = table(&html, "rotation-table");
        for m in &p.moves {
            let escaped = rotaplan::render::html::escape(&county.teachers[m.teacher].name);
            assert!(rows.contains(&format!("<td class=\"nowrap\">{escaped}</td>")), "{escaped}");
        }
        let ids: Vec<String> = school_section_ids(&html);
        assert_eq!(ids.len(), county.schools.len());
    }
}

#[test]
fn hostile_names_are_escaped_in_the_evaluation_report() {
    let mut county = hostile_county();
    // Teachers without a certificate are named in their school's section.
    for teacher in county.teachers.iter_mut().take(4) {
        teacher.certified = false;
    }
    let html = evaluation_report(&county, &evaluate_county(&county), Lang::Zh);
    assert_escaped(&html);
    for name in ["=HYPERLINK(&quot;http://x&quot;,&quot;y&quot;)", "+1+1", "@SUM(A1)", "a,&quot;b&quot;"] {
        assert!(html.contains(name), "{name}");
    }
}

// ----- figures as the rules give them -----------------------------------------

/// The `<table class="cv">` of a page.
fn cv_table(html: &str) -> &str {
    let start = html.find("<table class=\"cv\">").expect("a CV table");
    let end = start + html[start..].find("</table>").expect("table closes");
    &html[start..end]
}

#[test]
fn cv_cells_are_marked_exactly_when_over_the_limit() {
    let mut county = small_county();
    // A primary limit so low that some coefficients break it; the junior one stays.
    county.policy.standards.cv_limit.primary = rotaplan::exact::parse_exact("0.05").expect("a decimal");
    let evaluation = evaluate_county(&county);
    let (mut over, mut within) = (0, 0);
    for c in evaluation.figures.cv.values() {
        match c.value {
            Some(v) if v > c.limit => over += 1,
            Some(_) => within += 1,
            None => {}
        }
    }
    assert!(over > 0 && within > 0, "both kinds of cell: {over} over, {within} within");
    for lang in [Lang::Zh, Lang::En] {
        let html = evaluation_report(&county, &evaluation, lang);
        let table = cv_table(&html);
        assert_eq!(table.matches("<td class=\"num bad\">").count(), over, "{lang:?}");
        assert_eq!(table.matches(" ✗</td>").count(), over, "{lang:?}");
        assert_eq!(table.matches("<td class=\"num ok\">").count(), within, "{lang:?}");
    }
}

#[test]
fn failure_lines_count_the_teachers_still_missing() {
    use rotaplan::domain::TeacherIndicator;
    let county = small_county();
    let evaluation = evaluate_county(&county);
    let html = evaluation_report(&county, &evaluation, Lang::Zh);
    let mut lines = 0;
    for s in evaluation.figures.sections.iter().filter(|s| s.compliant == Some(false)) {
        let letter = letter(&html, &county.schools[s.school].id);
        let reached = s.standing.iter().filter(|x| x.is_some_and(|x| x.reaches())).count();
        assert_eq!(s.reached(), reached);
        assert!(letter.contains(&format!("本学段达标 {reached} 项")), "{}", county.schools[s.school].id);
        for k in TeacherIndicator::ALL {
            let (full, count) = (s.thresholds[k.index()].full, s.counts.indicator[k.index()]);
            assert_eq!(s.missing(k), full.saturating_sub(count));
            if count < full && s.standing[k.index()].is_some_and(|x| !x.reaches()) {
                assert!(letter.contains(&format!("还需 {} 名", full - count)), "{k:?} at {}", s.school);
                lines += 1;
            }
        }
    }
    assert!(lines > 0, "the tiny county misses teachers somewhere");
}

#[test]
fn below_85_lines_show_the_floor_the_rule_uses() {
    use rotaplan::rules::indicators::{Indicator, Standing};
    let (county, _) = anze();
    let evaluation = evaluate_county(county);
    let html = evaluation_report(county, &evaluation, Lang::Zh);
    let mut seen = 0;
    for s in &evaluation.figures.sections {
        for ind in Indicator::ALL {
            if s.standing[ind.index()] != Some(Standing::Below85) {
                continue;
            }
            let standard = match ind {
                Indicator::Teacher(k) => county.policy.teacher_standard(k, s.level),
                Indicator::Facility(f) => county.policy.facility_standard(f, s.level),
            };
            let floor = rotaplan::exact::to_f64(&(standard * rotaplan::domain::Exact::new(85, 100)));
            let text = format!("{floor:.4}");
            let text = text.trim_end_matches('0').trim_end_matches('.');
            let letter = letter(&html, &county.schools[s.school].id);
            assert!(letter.contains(&format!("低于标准的 85%（{text}）")), "{ind:?} at {}", s.school);
            seen += 1;
        }
    }
    assert!(seen > 0, "Anze has indicators below 85 % of the standard");
}

#[test]
fn letters_say_every_counted_section_complies_only_when_it_does() {
    let (county, p) = anze();
    for (html, figures, text) in [
        (plan_report(county, p, Lang::Zh), &p.after, "调整后本校各计入学段均达标。"),
        (evaluation_report(county, &evaluate_county(county), Lang::Zh), &p.before, "本校各计入学段均达标。"),
    ] {
        let mut said = 0;
        for (pos, school) in county.schools.iter().enumerate() {
            let counted: Vec<_> = figures.sections.iter().filter(|s| s.school == pos && s.counted).collect();
            let complies = !counted.is_empty() && counted.iter().all(|s| s.compliant != Some(false));
            let verdict = format!("<p class=\"verdict ok\">{text}</p>");
            assert_eq!(letter(&html, &school.id).contains(&verdict), complies, "{}", school.id);
            said += usize::from(complies);
        }
        assert!(said > 0 && said < county.schools.len(), "some schools comply and some do not: {said}");
    }
}

#[test]
fn uncertified_teachers_are_counted_and_named_in_their_letter_only_in_an_evaluation() {
    let mut county = small_county();
    let chosen = [0, 5];
    for (i, teacher) in county.teachers.iter_mut().enumerate() {
        teacher.certified = !chosen.contains(&i);
    }
    assert!(chosen.iter().all(|&i| county.teachers[i].full_time));
    let full_time = county.teachers.iter().filter(|t| t.full_time).count();
    let evaluation = evaluate_county(&county);
    assert_eq!(evaluation.uncertified, chosen.to_vec());
    let rate = 1.0 - chosen.len() as f64 / full_time as f64;
    assert_eq!(evaluation.certification_rate, Some(rate));
    let html = evaluation_report(&county, &evaluation, Lang::Zh);
    assert!(html.contains(&format!("{:.1}%", rate * 100.0)) && html.contains("2 名专任教师无资格证"));
    for school in &county.schools {
        let here: Vec<_> = chosen.iter().map(|&i| &county.teachers[i]).filter(|t| t.school_id == school.id).collect();
        let letter = letter(&html, &school.id);
        assert_eq!(letter.contains("未持教师资格证的专任教师："), !here.is_empty(), "{}", school.id);
        for t in here {
            assert!(letter.contains(&format!("{} <span class=\"id\">{}</span>", t.name, t.id)), "{}", t.name);
        }
    }
    let plan_page = plan_report(&county, &planned(&county), Lang::Zh);
    assert!(!plan_page.contains("未持教师资格证"), "a plan's letters name no uncertified teacher");
}

// ----- comparison.html -------------------------------------------------------

fn comparison_row(scenario: &str, name: &str, feasible: bool) -> ComparisonRow {
    use rotaplan::domain::{Level, TeacherIndicator};
    ComparisonRow {
        scenario: scenario.into(),
        name: name.into(),
        feasible,
        eligible: 40,
        moves: if feasible { 5 } else { 0 },
        backbone_moves: if feasible { 2 } else { 0 },
        backbone_share: if feasible { 0.4 } else { 0.0 },
        hires: 0,
        compliant_before: 3,
        compliant_after: if feasible { 6 } else { 3 },
        counted: 8,
        shortfall_before: 7,
        shortfall_after: if feasible { 2 } else { 7 },
        cv_after: if feasible {
            vec![
                (Level::Primary, TeacherIndicator::Backbone, Some(0.123456)),
                (Level::Junior, TeacherIndicator::Backbone, None),
            ]
        } else {
            Vec::new()
        },
        distance_km: if feasible { 31.26 } else { 0.0 },
        diagnosis: if feasible { String::new() } else { "rotation_share: 3 < 4 & more".into() },
        upgraded: Vec::new(),
        designated: Vec::new(),
        proven: feasible,
        cv_over: Vec::new(),
    }
}

#[test]
fn comparison_page_has_a_row_and_a_bar_per_scenario() {
    let rows = vec![comparison_row("base", "现状 <b>", true), comparison_row("tight", "从严", false)];
    let zh = comparison_html(&rows, Lang::Zh);
    assert!(zh.starts_with("<!DOCTYPE html><html lang=\"zh-CN\">") && zh.contains("<h1>情景比较</h1>"));
    assert!(!zh.to_lowercase().contains("<script") && only_svg_namespace(&zh));
    assert_eq!(zh.matches("<tr><td>").count(), 2, "a row a scenario");
    assert_eq!(zh.matches("fill=\"#bbb\"").count(), 2, "a before bar a scenario");
    assert_eq!(zh.matches("fill=\"#2a7\"").count(), 1, "green after bar for the plan");
    assert_eq!(zh.matches("fill=\"#c33\"").count(), 1, "red after bar for the scenario without one");
    assert!(zh.contains("现状 &lt;b&gt;") && !zh.contains("<b>"), "names escaped");
    assert!(zh.contains("<td class=\"yes\">是</td>") && zh.contains("<td class=\"no\">否</td>"));
    assert!(zh.contains("<td>40.0%</td>"), "the backbone share in per cent");
    assert!(zh.contains("<td>3 → 6 / 8</td>") && zh.contains("<td>7 → 2</td>") && zh.contains("<td>31.3</td>"));
    assert!(zh.contains("<td>0.1235</td><td>—</td>"), "backbone CV after per level, — when none");
    assert!(zh.contains("rotation_share: 3 &lt; 4 &amp; more"), "the diagnosis escaped");
    assert!(zh.contains("<th>小学骨干CV</th>") && !zh.contains("<th>primary backbone CV</th>"));
    let en = comparison_html(&rows, Lang::En);
    assert!(en.starts_with("<!DOCTYPE html><html lang=\"en\">") && en.contains("<h1>Scenario comparison</h1>"));
    assert!(en.contains("<th>primary backbone CV</th>") && en.contains("<td class=\"no\">no</td>"));
    assert!(!en.contains("情景"));
    // The row type stays reachable where whatif's callers found it.
    let _: rotaplan::commands::whatif::ComparisonRow = rows[0].clone();
}

#[test]
fn comparison_says_which_plans_are_proven_and_which_cvs_are_over_their_limit() {
    use rotaplan::domain::{Level, TeacherIndicator};
    use rotaplan::rules::indicators::Indicator;
    let proven = comparison_row("base", "现状", true);
    let mut cut = comparison_row("hires", "新聘", true);
    cut.proven = false;
    cut.cv_over = vec![(Level::Primary, Indicator::Teacher(TeacherIndicator::Backbone), 0.53412, 0.5)];
    let zh = comparison_html(&[proven.clone(), cut.clone()], Lang::Zh);
    assert!(zh.contains("<th>已证明最优</th>") && zh.contains("<th>超过上限的差异系数</th>"));
    assert!(zh.contains("<td class=\"yes\">是</td><td class=\"yes\">—</td>"), "proven, no CV over: {zh}");
    assert!(zh.contains("<td class=\"no\">否（时限内未证明）</td>"), "{zh}");
    assert!(zh.contains("<td class=\"no\">小学 每百名学生县级及以上骨干教师数 0.5341 &gt; 0.50</td>"), "{zh}");
    let en = comparison_html(&[cut.clone()], Lang::En);
    assert!(en.contains("no (stopped by the time limit)") && en.contains("primary "), "{en}");
    let csv = String::from_utf8(rotaplan::render::output::comparison_csv(&[proven, cut])).unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    assert!(lines[0].ends_with(",proven,cvs_over_limit"), "{}", lines[0]);
    assert!(lines[1].ends_with(",yes,") && lines[2].ends_with(",no,primary_backbone"), "{csv}");
}

// ----- headless Chromium -----------------------------------------------------

pub(crate) fn chromium() -> Option<PathBuf> {
    let fixed = Path::new("/usr/bin/chromium");
    if fixed.is_file() {
        return Some(fixed.to_path_buf());
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path).map(|dir| dir.join("chromium")).find(|p| p.is_file())
}

/// Runs Chromium headless on a file with extra arguments; the stdout.
pub(crate) fn run_chromium(binary: &Path, page: &Path, profile: &Path, extra: &[String]) -> String {
    let mut command = Command::new(binary);
    command
        .args(crate::browser::harness::HEADLESS_FLAGS)
        .arg("--hide-scrollbars")
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(extra)
        .arg(format!("file://{}", page.display()))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    let mut child = command.spawn().expect("chromium starts");
    let mut stdout = child.stdout.take().expect("stdout");
    let reader = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = std::io::Read::read_to_string(&mut stdout, &mut text);
        text
    });
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        if child.try_wait().expect("chromium runs").is_some() {
            break;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("chromium did not finish in 120 s");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    reader.join().expect("stdout reader")
}

/// Width, height and total compressed image bytes of a PNG, read from its chunks.
fn png_facts(bytes: &[u8]) -> (u32, u32, usize) {
    assert!(bytes.starts_with(b"\x89PNG\r\n\x1a\n"), "a PNG file");
    let (mut width, mut height, mut idat) = (0, 0, 0);
    let mut at = 8;
    while at + 8 <= bytes.len() {
        let len = u32::from_be_bytes(bytes[at..at + 4].try_into().expect("4 bytes")) as usize;
        let kind = &bytes[at + 4..at + 8];
        let data = &bytes[at + 8..(at + 8 + len).min(bytes.len())];
        match kind {
            b"IHDR" => {
                width = u32::from_be_bytes(data[0..4].try_into().expect("4 bytes"));
                height = u32::from_be_bytes(data[4..8].try_into().expect("4 bytes"));
            }
            b"IDAT" => idat += len,
            b"IEND" => break,
            _ => {}
        }
        at += 12 + len;
    }
    (width, height, idat)
}

#[test]
fn chromium_renders_the_report() {
    let Some(binary) = chromium() else {
        if std::env::var_os("CI").is_some() {
            panic!("chromium is not installed: CI must install Debian's chromium (and fonts-noto-cjk) to check report.html");
        }
        eprintln!("note: chromium not found; skipping the headless rendering check of report.html");
        return;
    };
    let county = small_county();
    let p = planned(&county);
    let dir = tempfile::tempdir().expect("temp dir");
    let page = dir.path().join("report.html");
    std::fs::write(&page, plan_report(&county, &p, Lang::Zh)).expect("write report");

    // A blank page of this size compresses to a few kB; text and charts to far more.
    let shot = dir.path().join("shot.png");
    let profile = tempfile::tempdir().expect("profile dir");
    run_chromium(
        &binary,
        &page,
        profile.path(),
        &[format!("--screenshot={}", shot.display()), "--window-size=1280,2000".into()],
    );
    let bytes = std::fs::read(&shot).expect("chromium wrote the screenshot");
    let (width, height, idat) = png_facts(&bytes);
    assert_eq!((width, height), (1280, 2000), "screenshot size");
    assert!(idat > 40_000, "the screenshot looks blank ({idat} bytes of image data)");

    let profile = tempfile::tempdir().expect("profile dir");
    let dom = run_chromium(&binary, &page, profile.path(), &["--dump-dom".into()]);
    let expected: Vec<String> = county.schools.iter().map(|s| format!("school-{}", s.id)).collect();
    assert_eq!(school_section_ids(&dom), expected, "the rendered DOM has every school");
    assert!(dom.matches("<svg").count() >= 2, "the rendered DOM has the charts");
}
