//! The title and age structure (issue 15, item 1): the figures per section
//! and the county CVs against hand-computed values, and where they appear
//! in evaluate's and plan's files, in Chinese and English.

use std::io::Cursor;

use calamine::{Reader, Xlsx};
use rotaplan::domain::policy::Policy;
use rotaplan::domain::{County, Level, SchoolKind, Subject, Title};
use rotaplan::plan::hand_made_plan;
use rotaplan::render::output::plan_files;
use rotaplan::render::Lang;
use rotaplan::rules::structure::{structure_now, StructureFigure};

use crate::common::fixture;
use crate::plan::{county, exact, school, teacher};

/// Two counted primary sections (A: 200 students, B: 100) and a teaching
/// point of 30 students (not counted); year 2025.
///
/// A: 1001 senior, 30 (young); 1002 professor, 55 (old); 1003 first, 45;
/// 1004 no title, 50 (old: the band starts at 50); 1005 senior, part-time.
/// B: 2001 senior, 35 (not young: under 35 only); 2002 no title, 25.
/// C: 3001 senior, 65.
fn structured_county() -> County {
    let schools = vec![
        school("A", SchoolKind::Primary, [200, 0], None),
        school("B", SchoolKind::Primary, [100, 0], None),
        school("C", SchoolKind::TeachingPoint, [30, 0], None),
    ];
    let person = |id: &str, at: &str, title: Option<Title>, born: i32| {
        let mut t = teacher(id, at, Level::Primary, Subject::Math);
        t.title = title;
        t.birth_year = born;
        t
    };
    let mut part_time = person("1005", "A", Some(Title::Senior), 1980);
    part_time.full_time = false;
    let teachers = vec![
        person("1001", "A", Some(Title::Senior), 1995),
        person("1002", "A", Some(Title::Professor), 1970),
        person("1003", "A", Some(Title::First), 1980),
        person("1004", "A", None, 1975),
        part_time,
        person("2001", "B", Some(Title::Senior), 1990),
        person("2002", "B", None, 2000),
        person("3001", "C", Some(Title::Senior), 1960),
    ];
    county(schools, teachers, Policy { year: 2025, ..Policy::default() }, Vec::new())
}

#[test]
fn issue15_structure_figures_match_the_hand_computed_ones() {
    let county = structured_county();
    let figures = structure_now(&county);
    let a = figures.section(0, Level::Primary).unwrap();
    assert_eq!((a.teachers, a.counts, a.counted), (4, [2, 1, 2], true));
    assert_eq!(a.per100(StructureFigure::Senior), Some(exact("1")));
    assert_eq!(a.per100(StructureFigure::Young), Some(exact("0.5")));
    assert_eq!(a.share(StructureFigure::Old), Some(exact("0.5")));
    let b = figures.section(1, Level::Primary).unwrap();
    assert_eq!((b.teachers, b.counts), (2, [1, 1, 0]));
    let c = figures.section(2, Level::Primary).unwrap();
    assert_eq!((c.teachers, c.counts, c.counted), (1, [1, 0, 1], false));
    let level = |f| figures.levels[&(Level::Primary, f)];
    // Senior per 100: 1 and 1, no spread; the teaching point is left out.
    assert_eq!(level(StructureFigure::Senior).cv, Some(0.0));
    assert_eq!(level(StructureFigure::Senior).share, Some(exact("0.5")));
    // Young per 100: 0.5 (200 students) and 1 (100): mean 2/3, CV √2/4.
    let young = level(StructureFigure::Young);
    assert!((young.cv.unwrap() - 2f64.sqrt() / 4.0).abs() < 1e-12, "{young:?}");
    assert_eq!(young.share, Some(exact("2") / exact("6")));
    // Old per 100: 1 and 0: mean 2/3, CV √2/2; shares 1/2 and 0: CV √2/2.
    let old = level(StructureFigure::Old);
    assert!((old.cv.unwrap() - 2f64.sqrt() / 2.0).abs() < 1e-12, "{old:?}");
    assert!((old.share_cv.unwrap() - 2f64.sqrt() / 2.0).abs() < 1e-12, "{old:?}");
    assert_eq!(old.sections, 2);
    // Σ CV² = 0 + 1/8 + 1/2; the junior level has no sections.
    assert!((figures.cv_squares() - 0.625).abs() < 1e-12);
    assert_eq!(figures.levels[&(Level::Junior, StructureFigure::Old)].cv, None);
}

#[test]
fn issue15_the_age_bands_follow_the_policy() {
    let mut county = structured_county();
    county.policy.structure.young_under = 36;
    county.policy.structure.old_from = 56;
    let figures = structure_now(&county);
    // 2001 (35) is young now; 1004 (50) and 1002 (55) are not old.
    assert_eq!(figures.section(1, Level::Primary).unwrap().counts, [1, 2, 0]);
    assert_eq!(figures.section(0, Level::Primary).unwrap().counts, [2, 1, 0]);
}

#[test]
fn issue15_a_plan_reports_the_structure_before_and_after_in_every_file() {
    let mut county = rotaplan::io::load(&fixture("tiny"), None).expect("tiny loads").county;
    county.locks.clear();
    let mover = county.teachers.iter().find(|t| t.full_time).unwrap().clone();
    let to = county.schools.iter().find(|s| s.id != mover.school_id && s.kind.levels().contains(&mover.level)).unwrap();
    let moves = [rotaplan::domain::changes::ProposedMove::new(mover.id.clone(), to.id.clone())];
    let plan = hand_made_plan(&county, &moves);
    let [before, after] = plan.structure(&county);
    assert_ne!(before.sections, after.sections, "the move changes two sections' teachers");
    for (lang, heading, sheet) in
        [(Lang::Zh, "职称与年龄结构", "职称年龄结构"), (Lang::En, "Title and age structure", "title and age")]
    {
        let out = plan_files(&county, &plan, lang).unwrap();
        let summary: serde_json::Value = serde_json::from_slice(out.get("summary.json").unwrap()).unwrap();
        let old = &summary["structure"]["levels"]["primary"]["old"];
        assert!(old["before"]["cv"].is_number() && old["after"]["share"].is_number(), "{summary}");
        assert_eq!(summary["structure"]["young_under"], 35);
        let report = String::from_utf8(out.get("report.html").unwrap().to_vec()).unwrap();
        assert!(report.contains(&format!("<h2>{heading}</h2>")));
        let mut book: Xlsx<_> = Xlsx::new(Cursor::new(out.get("plan.xlsx").unwrap().to_vec())).unwrap();
        let range = book.worksheet_range(sheet).unwrap();
        let header: Vec<String> = range.rows().next().unwrap().iter().map(|c| c.to_string()).collect();
        let expected = if lang == Lang::Zh { "高级职称(前)" } else { "senior_before" };
        assert!(header.iter().any(|h| h == expected), "{header:?}");
        assert_eq!(range.rows().count(), 1 + before.sections.len());
    }
}

#[test]
fn issue15_evaluate_writes_the_structure() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    assert_cmd::Command::cargo_bin("rotaplan")
        .unwrap()
        .args(["-q", "evaluate"])
        .arg(fixture("tiny"))
        .arg("-o")
        .arg(&out)
        .assert()
        .success();
    let summary: serde_json::Value = serde_json::from_slice(&std::fs::read(out.join("summary.json")).unwrap()).unwrap();
    assert!(summary["structure"]["levels"]["junior"]["senior"]["share"].is_number(), "{summary}");
    let csv = std::fs::read_to_string(out.join("structure.csv")).unwrap();
    let header = csv.trim_start_matches('\u{feff}').lines().next().unwrap();
    assert!(header.starts_with("school_id,name,section,students,counted,teachers_before,senior_before"), "{header}");
    let report = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(report.contains("职称与年龄结构"));
}

/// The proven plan of `county`.
fn proven_plan(county: &County) -> rotaplan::plan::Plan {
    let options = rotaplan::plan::PlanOptions::default();
    match rotaplan::plan::plan(county, Vec::new(), &options).expect("plans") {
        rotaplan::plan::Outcome::Planned(p) => {
            assert!(p.proven_optimal(), "{:?}", p.stages);
            p
        }
        _ => panic!("the county has a plan"),
    }
}

#[test]
fn issue15_the_structure_stage_leaves_stages_one_to_three_as_they_were_on_anze() {
    let data = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data/anze");
    let mut county = rotaplan::io::load(&data, None).expect("data/anze loads").county;
    let with = proven_plan(&county);
    county.policy.objective.structure = false;
    let without = proven_plan(&county);
    let objectives =
        |p: &rotaplan::plan::Plan| p.stages.iter().map(|s| (s.stage.id(), s.objective)).collect::<Vec<_>>();
    let (on, off) = (objectives(&with), objectives(&without));
    fn ids(s: &[(&'static str, f64)]) -> Vec<&'static str> {
        s.iter().map(|x| x.0).collect()
    }
    assert_eq!(ids(&on)[..6], ["compliance", "shortfall", "subject_gaps", "cv_squares", "structure", "forced"]);
    assert_eq!(ids(&off)[..5], ["compliance", "shortfall", "subject_gaps", "cv_squares", "forced"]);
    assert!(!ids(&off).contains(&"structure"));
    // Compliance, shortfall and the subject gaps are whole numbers; Σ CV²
    // is equal to HiGHS's tolerance.
    for i in 0..3 {
        assert_eq!(on[i].1, off[i].1, "{}", on[i].0);
    }
    assert!((on[3].1 - off[3].1).abs() <= 1e-9 * off[3].1.max(1.0), "{on:?} {off:?}");
    // The stage's value is the structure after the plan, and no worse than
    // the plan without the stage.
    let [before, after] = with.structure(&county);
    assert!((on[4].1 - after.cv_squares()).abs() < 1e-12);
    let [_, after_off] = without.structure(&county);
    assert!(on[4].1 <= after_off.cv_squares() + 1e-9, "{} > {}", on[4].1, after_off.cv_squares());
    assert!(on[4].1 < before.cv_squares(), "the stage evens the structure out on anze");
}

#[test]
fn issue15_the_voice_stages_follow_the_structure_stage_in_number() {
    use rotaplan::model::Stage;
    let numbers: Vec<String> =
        [Stage::CvSquares, Stage::Structure, Stage::Forced, Stage::Volunteers, Stage::Wish(1), Stage::Wish(5)]
            .iter()
            .map(|s| s.number())
            .collect();
    assert_eq!(numbers, ["3", "3.1", "3.2", "3.3", "3.4", "3.8"]);
    assert!(Stage::CvSquares < Stage::Structure && Stage::Structure < Stage::Forced);
}
