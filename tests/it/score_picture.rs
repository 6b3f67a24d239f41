//! `score` gives the whole picture (issue 13, point 4): an edited list of
//! data/anze gets the files of a plan, made by hand, with its differences
//! from the optimizer's plan; a list that breaks rules still gets them.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use calamine::{open_workbook, Data, Reader, Xlsx};
use rotaplan::domain::changes::ProposedMove;
use rotaplan::plan::PlanOptions;
use rotaplan::rules::rule::Rule;

const ANZE: &str = "data/anze";

fn rotaplan() -> Command {
    Command::cargo_bin("rotaplan").unwrap()
}

fn read_csv(path: &Path) -> Vec<Vec<String>> {
    let bytes = std::fs::read(path).unwrap();
    assert_eq!(&bytes[..3], &[0xEF, 0xBB, 0xBF], "{} starts with a UTF-8 BOM", path.display());
    let mut reader = csv::ReaderBuilder::new().has_headers(false).from_reader(&bytes[3..]);
    reader.records().map(|r| r.unwrap().iter().map(str::to_string).collect()).collect()
}

fn json(path: &Path) -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

/// The optimizer's rotations.csv of data/anze, in `dir/plan`.
fn optimizer_list(dir: &Path) -> PathBuf {
    optimizer_list_of(Path::new(ANZE), dir)
}

/// The optimizer's rotations.csv of the county in `data`, in `dir/plan`.
fn optimizer_list_of(data: &Path, dir: &Path) -> PathBuf {
    let out = dir.join("plan");
    rotaplan().args(["plan", "-q"]).arg(data).arg("-o").arg(&out).assert().success();
    out.join("rotations.csv")
}

/// The optimizer's list with one destination changed, one line dropped and
/// one added, chosen from the optimizer's list by the auditor: `redirected`
/// goes to the destination of `dropped`, whose line is dropped, and `added`
/// takes the redirected teacher's destination. The first such choice whose
/// audit is clean is kept; `ineligible` is a teacher too old to move, added
/// instead of `added` to break rule eligibility.
struct Edit {
    redirected: String,
    dropped: String,
    added: String,
    ineligible: String,
    /// The optimizer's destinations of `redirected` and `dropped`.
    was: String,
    dropped_was: String,
}

/// The optimizer's rotation rows, as (teacher id, destination id).
fn optimizer_moves(optimizer: &Path) -> Vec<(String, String)> {
    let rows = read_csv(optimizer);
    let column = |name: &str| rows[0].iter().position(|h| h == name).unwrap();
    let (id, to, kind) = (column("teacher_id"), column("to_school"), column("kind"));
    rows[1..].iter().filter(|r| r[kind] == "rotation").map(|r| (r[id].clone(), r[to].clone())).collect()
}

/// The list of `moves` edited as `edit` says, with `added` added.
fn edited_moves(moves: &[(String, String)], edit: &Edit, added: &str) -> Vec<ProposedMove> {
    let mut list: Vec<ProposedMove> = moves
        .iter()
        .filter(|(id, _)| *id != edit.dropped)
        .map(|(id, to)| ProposedMove::new(id, if *id == edit.redirected { &edit.dropped_was } else { to }))
        .collect();
    list.push(ProposedMove::new(added, &edit.was));
    list
}

/// Chooses the edit of the optimizer's list (see [`Edit`]): the redirected
/// and dropped teachers are rotations of one section (primary or junior) to
/// two destinations,
/// the added teacher a colleague of the dropped one (same school and
/// section) who is not in the list.
fn choose_edit(optimizer: &Path) -> Edit {
    choose_edit_in(Path::new(ANZE), optimizer)
}

/// [`choose_edit`] on the county in `data`.
fn choose_edit_in(data: &Path, optimizer: &Path) -> Edit {
    let county = rotaplan::io::load(data, None).unwrap().county;
    let auditor = rotaplan::rules::audit::Auditor::new(&county);
    let moves = optimizer_moves(optimizer);
    let teacher = |id: &str| county.teachers.iter().find(|t| t.id == id).unwrap();
    let listed = |id: &str| moves.iter().any(|(m, _)| m == id);
    for (r, was) in &moves {
        for (d, dropped_was) in &moves {
            let (tr, td) = (teacher(r), teacher(d));
            if r == d || was == dropped_was || tr.level != td.level || tr.school_id == *dropped_was {
                continue;
            }
            let colleagues = county.teachers.iter().filter(|t| {
                t.school_id == td.school_id
                    && t.level == td.level
                    && t.id != *d
                    && !listed(&t.id)
                    && t.school_id != *was
            });
            for a in colleagues {
                let mut edit = Edit {
                    redirected: r.clone(),
                    dropped: d.clone(),
                    added: a.id.clone(),
                    ineligible: String::new(),
                    was: was.clone(),
                    dropped_was: dropped_was.clone(),
                };
                if auditor.audit(&edited_moves(&moves, &edit, &a.id)).is_valid() {
                    edit.ineligible = too_old(&county, &auditor, &moves, &edit);
                    return edit;
                }
            }
        }
    }
    panic!("no edit of the optimizer's list keeps every rule");
}

/// A teacher too old to move (and eligible by every other condition),
/// preferably a colleague of the added one, whose line added instead of
/// the added teacher's breaks rule eligibility.
fn too_old(
    county: &rotaplan::domain::County,
    auditor: &rotaplan::rules::audit::Auditor,
    moves: &[(String, String)],
    edit: &Edit,
) -> String {
    use rotaplan::rules::eligibility::{county_ineligibility, Ineligibility};
    let reasons = county_ineligibility(county);
    let added = county.teachers.iter().find(|t| t.id == edit.added).unwrap();
    let mut old: Vec<&rotaplan::domain::Teacher> = county
        .teachers
        .iter()
        .zip(&reasons)
        .filter(|(_, r)| matches!(r.as_slice(), [Ineligibility::Age(..)]))
        .map(|(t, _)| t)
        .collect();
    old.sort_by_key(|t| (t.school_id != added.school_id, t.level != added.level));
    let breaks = |id: &str| {
        let audit = auditor.audit(&edited_moves(moves, edit, id));
        let named = audit.of_rule(Rule::Eligibility).any(|v| v.teacher_id.as_deref() == Some(id));
        named
    };
    old.iter().find(|t| t.school_id != edit.was && breaks(&t.id)).expect("a teacher too old to move").id.clone()
}

/// Writes the optimizer's list edited as `edit` says, with `added` added,
/// to `out` (the optimizer's columns, the added line with only its ids).
fn edited_list(optimizer: &Path, edit: &Edit, added: &str, out: &Path) -> PathBuf {
    let mut rows = read_csv(optimizer);
    let header = rows[0].clone();
    let column = |name: &str| header.iter().position(|h| h == name).unwrap();
    let (id, to) = (column("teacher_id"), column("to_school"));
    rows.retain(|r| r[id] != edit.dropped);
    for r in &mut rows {
        if r[id] == edit.redirected {
            r[to] = edit.dropped_was.clone();
        }
    }
    let mut line = vec![String::new(); header.len()];
    line[id] = added.into();
    line[to] = edit.was.clone();
    rows.push(line);
    let mut writer = csv::Writer::from_path(out).unwrap();
    for r in &rows {
        writer.write_record(r).unwrap();
    }
    writer.flush().unwrap();
    out.to_path_buf()
}

/// Runs `score` in `lang` ("zh" leaves the flag out: Chinese is the default).
fn score_into(list: &Path, out: &Path, lang: &str, code: i32) -> String {
    let mut command = rotaplan();
    command.arg("score");
    if lang != "zh" {
        command.args(["--lang", lang]);
    }
    let output = command.arg(ANZE).arg(list).arg("-o").arg(out).output().unwrap();
    assert_eq!(output.status.code(), Some(code), "{}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8(output.stdout).unwrap()
}

const FILES: [&str; 8] = [
    "differences.csv",
    "notices.html",
    "plan.xlsx",
    "report.html",
    "rotations.csv",
    "schools.csv",
    "score.json",
    "summary.json",
];

/// The part of report.html with the given id, up to its end.
fn section<'a>(html: &'a str, id: &str) -> &'a str {
    let start = html.find(&format!("<section id=\"{id}\">")).unwrap_or_else(|| panic!("a section {id}"));
    let end = start + html[start..].find("</section>").unwrap();
    &html[start..end]
}

/// The audit of the list, by the independent checker.
fn audit_of(list: &Path) -> (rotaplan::domain::County, rotaplan::rules::audit::Audit) {
    let county = rotaplan::io::load(Path::new(ANZE), None).unwrap().county;
    let moves = rotaplan::io::plan_list::read_plan_list_for(list, &county).unwrap();
    let audit = rotaplan::rules::audit::audit(&county, &moves);
    (county, audit)
}

#[test]
fn an_edited_list_gets_the_files_of_a_plan_with_the_auditors_figures() {
    let tmp = tempfile::tempdir().unwrap();
    let optimizer = optimizer_list(tmp.path());
    let edit = choose_edit(&optimizer);
    let list = edited_list(&optimizer, &edit, &edit.added, &tmp.path().join("edited.csv"));
    let out = tmp.path().join("score");
    let stdout = score_into(&list, &out, "zh", 0);
    for file in FILES {
        assert!(out.join(file).is_file(), "score writes {file}");
    }
    assert!(stdout.contains("3 名教师的安排与优化方案不同"), "{stdout}");
    let (r, d, a) = (edit.redirected.as_str(), edit.dropped.as_str(), edit.added.as_str());
    assert!(stdout.contains(r) && stdout.contains(d) && stdout.contains(a), "{stdout}");

    let (county, audit) = audit_of(&list);
    assert!(audit.is_valid(), "{:?}", audit.violations);
    let summary = json(&out.join("summary.json"));
    assert_eq!(summary["moves"], audit.moves);
    assert_eq!(summary["backbone_moves"], audit.backbone_moves);
    assert_eq!(summary["eligible"], audit.eligible);
    assert_eq!(summary["compliant_sections"]["after"], audit.objective.compliant);
    assert_eq!(summary["shortfall"]["after"], audit.objective.shortfall);
    let km = summary["distance_km"].as_f64().unwrap();
    assert!((km - audit.objective.distance_km).abs() < 1e-9, "{km} vs {}", audit.objective.distance_km);
    let score = json(&out.join("score.json"));
    assert_eq!(score["edited"]["compliant"], audit.objective.compliant);
    assert_eq!(score["differences"], 3);

    // schools.csv, section by section, against the auditor's figures.
    let schools = read_csv(&out.join("schools.csv"));
    let column = |name: &str| schools[0].iter().position(|h| h == name).unwrap();
    assert_eq!(schools.len() - 1, audit.after.sections.len());
    for (row, s) in schools[1..].iter().zip(&audit.after.sections) {
        assert_eq!(row[column("school_id")], county.schools[s.school].id);
        assert_eq!(row[column("teachers_after")], s.counts.teachers.to_string(), "{row:?}");
        assert_eq!(row[column("backbone_after")], s.counts.indicator[1].to_string(), "{row:?}");
        if s.counted {
            assert_eq!(row[column("shortfall_after")], s.shortfall.to_string(), "{row:?}");
            let compliant = if s.compliant == Some(true) { "yes" } else { "no" };
            assert_eq!(row[column("compliant_after")], compliant, "{row:?}");
        }
    }

    // Made by hand, never proven.
    assert_eq!(summary["solver"]["status"], "made_by_hand");
    assert_eq!(summary["solver"]["optimal"], false);
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(html.contains("人工编制"), "report.html says the list was made by hand");
    assert!(!section(&html, "summary").contains("已证明最优"), "the summary claims no proof");
    assert!(section(&html, "violations").contains("符合全部交流规则"));

    assert_differences(&county, &edit, &html, &out);

    // rotations.csv and the workbook hold the edited rows.
    let table = read_csv(&out.join("rotations.csv"));
    let kind = table[0].iter().position(|h| h == "kind").expect("a kind column");
    let edited: BTreeMap<String, String> =
        table[1..].iter().filter(|r| r[kind] == "rotation").map(|r| (r[0].clone(), r[5].clone())).collect();
    assert_eq!(edited.len(), audit.moves);
    assert_eq!(edited.get(r), Some(&edit.dropped_was));
    assert_eq!(edited.get(a), Some(&edit.was));
    assert!(!edited.contains_key(d));
    let mut book: Xlsx<_> = open_workbook(out.join("plan.xlsx")).unwrap();
    let sheet = book.worksheet_range("交流名单").unwrap();
    let returns = table[1..].iter().filter(|r| r[kind] != "rotation").count();
    assert_eq!(sheet.height(), audit.moves + returns + 1, "the rotations and the returns due");
    let ids: Vec<String> = sheet.rows().skip(1).map(|r| r[0].to_string()).collect();
    assert!(ids.iter().any(|id| id == a) && !ids.iter().any(|id| id == d), "{ids:?}");
    let added = sheet.rows().find(|row| row[0] == Data::String(a.into())).unwrap();
    assert!(added.iter().any(|c| *c == Data::String(edit.was.clone())), "{added:?}");
}

/// The three differences of `edit`, in report.html and in differences.csv.
fn assert_differences(county: &rotaplan::domain::County, edit: &Edit, html: &str, out: &Path) {
    let (r, d, a) = (edit.redirected.as_str(), edit.dropped.as_str(), edit.added.as_str());
    let differences = section(html, "differences");
    for (id, word) in [(r, "改派他校"), (d, "删去"), (a, "新增")] {
        let row = differences.split("<tr class=\"difference\">").find(|row| row.contains(id)).expect(id);
        assert!(row.contains(word), "{id}: {row}");
    }
    assert_eq!(differences.matches("<tr class=\"difference\">").count(), 3);
    assert!(differences.contains("优化方案已证明最优"), "the optimizer's standing is stated");
    let rows = read_csv(&out.join("differences.csv"));
    assert_eq!(rows[0], ["teacher_id", "name", "change", "optimizer_to", "edited_to"]);
    let rows: Vec<Vec<&str>> = rows[1..].iter().map(|r| r.iter().map(String::as_str).collect()).collect();
    let name = |id: &str| county.teachers.iter().find(|t| t.id == id).unwrap().name.as_str();
    // By teacher id.
    let mut expected = vec![
        vec![r, name(r), "redirected", edit.was.as_str(), edit.dropped_was.as_str()],
        vec![d, name(d), "dropped", edit.dropped_was.as_str(), ""],
        vec![a, name(a), "added", "", edit.was.as_str()],
    ];
    expected.sort();
    assert_eq!(rows, expected);
}

#[test]
fn a_list_that_breaks_rules_still_gets_its_files_with_the_violations_first() {
    let tmp = tempfile::tempdir().unwrap();
    let optimizer = optimizer_list(tmp.path());
    let edit = choose_edit(&optimizer);
    let list = edited_list(&optimizer, &edit, &edit.ineligible, &tmp.path().join("edited.csv"));
    for (lang, words) in [
        ("zh", ["违反交流规则", "不符合交流条件", "人工编制"]),
        ("en", ["rule violation(s) in the edited list", "not eligible", "edited by hand"]),
    ] {
        let out = tmp.path().join(format!("score-{lang}"));
        score_into(&list, &out, lang, 4);
        for file in FILES {
            assert!(out.join(file).is_file(), "{lang}: score writes {file} for a broken list");
        }
        let html = std::fs::read_to_string(out.join("report.html")).unwrap();
        let violations = section(&html, "violations");
        assert!(violations.contains(words[0]) && violations.contains("[eligibility]"), "{violations}");
        assert!(violations.contains(&edit.ineligible), "{violations}");
        assert!(html.find("id=\"violations\"") < html.find("id=\"summary\""), "violations come first");
        let rotations = section(&html, "rotations");
        let row = rotations.split("<tr class=\"move\">").find(|r| r.contains(&edit.ineligible)).unwrap();
        assert!(row.contains(words[1]), "the reason does not call {} eligible: {row}", edit.ineligible);
        assert!(html.contains(words[2]));
        assert_eq!(json(&out.join("score.json"))["valid"], false);
    }
}

#[test]
fn score_files_are_the_same_on_every_run_and_in_english() {
    let tmp = tempfile::tempdir().unwrap();
    let optimizer = optimizer_list(tmp.path());
    let edit = choose_edit(&optimizer);
    let list = edited_list(&optimizer, &edit, &edit.added, &tmp.path().join("edited.csv"));
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    score_into(&list, &a, "en", 0);
    score_into(&list, &b, "en", 0);
    for file in FILES {
        let (x, y) = (std::fs::read(a.join(file)).unwrap(), std::fs::read(b.join(file)).unwrap());
        assert!(x == y, "{file} differs between two runs");
    }
    let html = std::fs::read_to_string(a.join("report.html")).unwrap();
    assert!(html.contains("<html lang=\"en\">"));
    assert!(html.contains("(edited by hand)"));
    let differences = section(&html, "differences");
    assert!(differences.contains("Differences from the optimizer"), "{differences}");
    for word in ["sent elsewhere", "dropped", "added"] {
        assert!(differences.contains(word), "{word}");
    }
    // differences.csv has the same words whatever the language.
    let rows = read_csv(&a.join("differences.csv"));
    assert_eq!(rows.len(), 4);
    let redirected = rows.iter().find(|r| r[0] == edit.redirected).expect("the redirected teacher's row");
    assert_eq!(redirected[2], "redirected");
}

#[test]
fn an_optimizer_out_of_time_is_compared_by_its_best_plan_with_the_gap() {
    let tmp = tempfile::tempdir().unwrap();
    // A county under stress: data/anze's solves are proven at their first
    // plan.
    let data = tmp.path().join("county");
    std::fs::create_dir(&data).unwrap();
    crate::common::write_stressed(&data, 5, 20, 0.5);
    let optimizer = optimizer_list_of(&data, tmp.path());
    let edit = choose_edit_in(&data, &optimizer);
    let list = edited_list(&optimizer, &edit, &edit.added, &tmp.path().join("edited.csv"));
    let county = rotaplan::io::load(&data, None).unwrap().county;
    let moves = rotaplan::io::plan_list::read_plan_list_for(&list, &county).unwrap();
    // One improving plan a solve stops the optimizer like the time limit,
    // whatever the machine's speed.
    let options = PlanOptions { solution_limit: Some(1), ..Default::default() };
    let report = rotaplan::score(&county, &moves, &options).unwrap();
    let best = report.optimizer.as_ref().expect("the optimizer has a best plan");
    assert!(!best.proven_optimal());
    for lang in [rotaplan::render::Lang::Zh, rotaplan::render::Lang::En] {
        let terminal = report.terminal(&county, lang);
        let files = report.files(&county, lang).unwrap();
        let html = String::from_utf8(files.get("report.html").unwrap().to_vec()).unwrap();
        let said = lang.pick("未能证明最优", "ran out of time");
        // The gap, or the stages that did not run (then no bound is known).
        let gap = rotaplan::render::terminal::gap_words(best, lang);
        assert!(terminal.contains(said) && terminal.contains(&gap), "{terminal}");
        let differences = section(&html, "differences");
        assert!(differences.contains(said) && differences.contains(&gap), "{differences}");
    }
    let score: serde_json::Value =
        serde_json::from_slice(report.files(&county, rotaplan::render::Lang::En).unwrap().get("score.json").unwrap())
            .unwrap();
    assert_eq!(score["optimizer_proven_optimal"], false);
}

#[test]
fn a_county_without_a_plan_gets_the_edited_lists_files_and_says_there_is_nothing_to_compare() {
    let tmp = tempfile::tempdir().unwrap();
    // The tiny fixture's locks and roads leave no plan at all.
    let list = tmp.path().join("list.csv");
    std::fs::write(&list, "teacher_id,to_school\n1002,S03\n").unwrap();
    let out = tmp.path().join("score");
    let output = rotaplan()
        .args(["score", "--lang", "en"])
        .arg(crate::common::fixture("tiny"))
        .arg(&list)
        .arg("-o")
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(4));
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(stdout.contains("nothing to compare with"), "{stdout}");
    for file in FILES {
        assert!(out.join(file).is_file(), "score writes {file}");
    }
    assert_eq!(
        read_csv(&out.join("differences.csv")),
        vec![vec!["teacher_id", "name", "change", "optimizer_to", "edited_to"]]
    );
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(section(&html, "differences").contains("nothing to compare with"));
    let score = json(&out.join("score.json"));
    assert!(score["optimizer"].is_null() && score["differences"].is_null(), "{score}");
    let rotations = read_csv(&out.join("rotations.csv"));
    assert_eq!(rotations.len(), 2, "the one edited row: {rotations:?}");
    assert_eq!(rotations[1][0], "1002");
}

#[test]
fn a_hand_made_plan_counts_a_broken_list_as_the_auditor_does_and_claims_no_proof() {
    let county = rotaplan::io::load(Path::new(ANZE), None).unwrap().county;
    let list = [
        ProposedMove::new("T0327", "AZ-P01"),
        ProposedMove::new("T0327", "AZ-P04"),    // a second line: the first counts
        ProposedMove::new(" T0401 ", "AZ-P03 "), // ids are trimmed
        ProposedMove::new("T9999", "AZ-P01"),    // no such teacher
        ProposedMove::new("T0384", "AZ-X99"),    // no such school
        ProposedMove::new("T0388", "AZ-N03"),    // the own school: no move
        ProposedMove::new("T0402", "AZ-P05"),    // too old to move, still counted
        ProposedMove::new("T0053", "AZ-N01"),
    ];
    let audit = rotaplan::rules::audit::audit(&county, &list);
    assert!(!audit.is_valid());
    let plan = rotaplan::plan::hand_made_plan(&county, &list);
    assert!(plan.is_hand_made() && !plan.proven_optimal() && plan.gap().is_none());
    assert_eq!(plan.moves.len(), audit.moves);
    assert_eq!(plan.moves.len(), 4);
    assert_eq!(plan.backbone_moves(&county), audit.backbone_moves);
    assert_eq!(plan.eligible, audit.eligible);
    assert!((plan.distance_km() - audit.objective.distance_km).abs() < 1e-9);
    assert_eq!(plan.after.compliant(), audit.objective.compliant);
    assert_eq!(plan.after.shortfall(), audit.objective.shortfall);
    assert_eq!(plan.after.teacher_cv_squares(), audit.objective.cv_squares);
    for (p, a) in plan.after.sections.iter().zip(&audit.after.sections) {
        assert_eq!((p.school, p.level, &p.counts.indicator), (a.school, a.level, &a.counts.indicator));
        assert_eq!(p.counts.teachers, a.counts.teachers);
    }
    let t0327 = plan.moves.iter().find(|m| county.teachers[m.teacher].id == "T0327").unwrap();
    assert_eq!(county.schools[t0327.to].id, "AZ-P01");
}

/// The optimizer's list with its return rows turned into extend rows.
fn extending_list(optimizer: &Path, out: &Path) -> PathBuf {
    let text = std::fs::read_to_string(optimizer).unwrap();
    // The kind is the last column but the role (职务).
    let extend = |l: &str| match l.rfind(",return,") {
        Some(at) => format!("{},extend,{}", &l[..at], &l[at + ",return,".len()..]),
        None => l.to_string(),
    };
    let lines: Vec<String> = text.lines().map(extend).collect();
    assert_eq!(lines.iter().filter(|l| l.contains(",extend,")).count(), 2, "data/anze has two returns due");
    let path = out.join("extending.csv");
    std::fs::write(&path, lines.join("\n")).unwrap();
    path
}

#[test]
fn score_reads_extend_rows_a_breach_under_fixed_returns_and_counted_under_optional() {
    let tmp = tempfile::tempdir().unwrap();
    let list = extending_list(&optimizer_list(tmp.path()), tmp.path());
    // Fixed returns (data/anze's policy): an extension breaks rule returns.
    let said = score_into(&list, &tmp.path().join("fixed"), "en", 4);
    assert!(said.contains("[returns]"), "{said}");
    // Optional returns: the list's extensions are the plan's.
    let policy = tmp.path().join("optional.toml");
    std::fs::write(&policy, "[exchange]\nreturns = \"optional\"\n").unwrap();
    let out = tmp.path().join("optional");
    let output =
        rotaplan().arg("score").arg(ANZE).arg(&list).arg("--policy").arg(&policy).arg("-o").arg(&out).output().unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stdout));
    let summary = json(&out.join("summary.json"));
    assert_eq!((summary["returns"].as_u64(), summary["extended"].as_u64()), (Some(0), Some(2)), "{summary}");
    let rows = read_csv(&out.join("rotations.csv"));
    // kind is the last column but the role.
    assert_eq!(rows.iter().filter(|r| r.len() > 1 && r[r.len() - 2] == "extend").count(), 2);
}
