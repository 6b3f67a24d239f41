//! Staffing norms (编制), class counts of classes.csv, school size, music
//! and art rooms, and `rotaplan quota` (issue 15, items 3 and 5): figures
//! against hand-computed values, the readers' errors, the outputs of
//! `evaluate` and `plan`, and the quota MILP against a brute force.

use std::path::Path;

use assert_cmd::Command;
use rotaplan::domain::norms::Class;
use rotaplan::domain::policy::Policy;
use rotaplan::domain::*;
use rotaplan::model::quota::QuotaProblem;
use rotaplan::rules::norms::{county_norms, headcount_before};

use crate::common::{copy_folder, fixture, input_problems, load_ok};

fn school(id: &str, kind: SchoolKind, area: Area, students: [u32; 2], classes: [u32; 2]) -> School {
    School {
        id: id.into(),
        name: format!("学校{id}"),
        town: "府城镇".into(),
        kind,
        area,
        students,
        classes,
        location: None,
        alliance: None,
        facilities: Facilities::default(),
        staff_quota: None,
        music_rooms: None,
        art_rooms: None,
    }
}

fn county(schools: Vec<School>, policy: Policy) -> County {
    County::new(schools, Vec::new(), policy, Vec::new(), Vec::new(), Vec::new())
}

fn exact(n: i128, d: i128) -> Exact {
    Exact::new(n, d)
}

#[test]
fn norm_quota_by_students_and_by_the_class_rule() {
    let schools = vec![
        // 900 / 19 = 47.37 → 48.
        school("A", SchoolKind::Primary, Area::Urban, [900, 0], [20, 0]),
        // 700 / 13.5 = 51.85 → 52.
        school("B", SchoolKind::Junior, Area::Urban, [0, 700], [0, 14]),
        // 300 / 19 + 200 / 13.5 = 30.60 → 31 (one rounding for the school).
        school("C", SchoolKind::NineYear, Area::Town, [300, 200], [8, 5]),
        // Teaching point: max(30 / 19, 3 × 1.7 = 5.1) → 6.
        school("D", SchoolKind::TeachingPoint, Area::Rural, [30, 0], [3, 0]),
        // Rural, 90 < 100 students: max(90 / 19 = 4.74, 6 × 1.7 = 10.2) → 11.
        school("E", SchoolKind::Primary, Area::Rural, [90, 0], [6, 0]),
        // Rural, 120 students: by students only, 120 / 19 = 6.32 → 7.
        school("F", SchoolKind::Primary, Area::Rural, [120, 0], [6, 0]),
        // Town school of 90 students: the class rule is for rural schools.
        school("G", SchoolKind::Primary, Area::Town, [90, 0], [6, 0]),
    ];
    let c = county(schools, Policy::default());
    let norms = county_norms(&c, &[0; 7]);
    let got: Vec<(u32, bool)> = norms.schools.iter().map(|s| (s.norm, s.class_rule)).collect();
    assert_eq!(got, vec![(48, false), (52, false), (31, false), (6, true), (11, true), (7, false), (5, false)]);
    assert_eq!(norms.schools[0].norm_exact, exact(900, 19));
    assert_eq!(norms.schools[2].norm_exact, exact(300, 19) + exact(400, 27));
    assert_eq!(norms.schools[3].norm_exact, exact(51, 10));
}

#[test]
fn norm_policy_keys_change_the_norm() {
    let dir = tempfile::tempdir().unwrap();
    copy_folder(&fixture("tiny"), dir.path());
    let mut policy = std::fs::read_to_string(dir.path().join("policy.toml")).unwrap();
    policy.push_str("\n[staffing]\nstudents_per_staff = { primary = 20 }\nsmall_school_students = 10\nstaff_per_class = { primary = 1 }\n");
    std::fs::write(dir.path().join("policy.toml"), policy).unwrap();
    let loaded = load_ok(dir.path());
    let c = &loaded.county;
    let norms = county_norms(c, &headcount_before(c));
    // S01: 900 / 20 = 45; S04 (teaching point): max(30 / 20, 3 × 1) = 3.
    assert_eq!(norms.schools[0].norm, 45);
    assert_eq!(norms.schools[3].norm, 3);
    // The junior ratio keeps its default: 700 / 13.5 → 52.
    assert_eq!(norms.schools[1].norm, 52);
}

#[test]
fn quota_is_given_or_the_norm_and_schools_over_and_under_it_are_counted() {
    let mut a = school("A", SchoolKind::Primary, Area::Urban, [190, 0], [5, 0]);
    a.staff_quota = Some(8);
    let b = school("B", SchoolKind::Primary, Area::Urban, [190, 0], [5, 0]);
    let c = county(vec![a, b], Policy::default());
    // A: quota 8 given, 12 on the roll → over by 4. B: norm 10, 7 → under by 3.
    let norms = county_norms(&c, &[12, 7]);
    assert_eq!((norms.schools[0].quota(), norms.schools[0].over_quota(), norms.schools[0].under_quota()), (8, 4, 0));
    assert_eq!((norms.schools[1].quota(), norms.schools[1].over_quota(), norms.schools[1].under_quota()), (10, 0, 3));
    assert_eq!((norms.over_quota(), norms.under_quota()), (1, 1));
}

#[test]
fn school_size_is_flagged_above_2000_or_2500_for_a_nine_year_school() {
    let schools = vec![
        school("A", SchoolKind::Primary, Area::Urban, [2000, 0], [40, 0]),
        school("B", SchoolKind::Primary, Area::Urban, [2001, 0], [40, 0]),
        school("C", SchoolKind::NineYear, Area::Urban, [1500, 1000], [30, 20]),
        school("D", SchoolKind::NineYear, Area::Urban, [1500, 1001], [30, 20]),
        school("E", SchoolKind::Junior, Area::Urban, [0, 2001], [0, 40]),
    ];
    let norms = county_norms(&county(schools, Policy::default()), &[0; 5]);
    let flagged: Vec<bool> = norms.schools.iter().map(|s| s.oversized()).collect();
    assert_eq!(flagged, vec![false, true, false, true, true]);
    assert_eq!(norms.oversized(), 3);
}

#[test]
fn music_and_art_rooms_one_per_12_classes() {
    let mut a = school("A", SchoolKind::NineYear, Area::Urban, [600, 400], [15, 10]);
    a.music_rooms = Some(2);
    a.art_rooms = Some(3);
    let mut b = school("B", SchoolKind::Primary, Area::Urban, [500, 0], [12, 0]);
    b.music_rooms = Some(0);
    let c = county(vec![a, b], Policy::default());
    let norms = county_norms(&c, &[0, 0]);
    // 25 classes → ⌈25 / 12⌉ = 3 rooms of each.
    let a_norm = &norms.schools[0];
    assert_eq!((a_norm.classes, a_norm.music_needed, a_norm.art_needed), (25, 3, 3));
    assert_eq!(a_norm.music_short(&c.schools[0]), Some(1));
    assert_eq!(a_norm.art_short(&c.schools[0]), Some(0));
    // 12 classes → 1 room; no art rooms given → not judged.
    let b_norm = &norms.schools[1];
    assert_eq!(b_norm.music_needed, 1);
    assert_eq!(b_norm.music_short(&c.schools[1]), Some(1));
    assert_eq!(b_norm.art_short(&c.schools[1]), None);
}

#[test]
fn classes_over_45_50_and_the_large_class_bands() {
    let schools = vec![
        school("A", SchoolKind::Primary, Area::Urban, [212, 0], [4, 0]),
        school("B", SchoolKind::Junior, Area::Urban, [0, 101], [0, 2]),
    ];
    let mut c = county(schools, Policy::default());
    assert!(county_norms(&c, &[0, 0]).classes.is_none(), "without classes.csv there are no class counts");
    let class = |school: &str, level: Level, name: &str, students: u32| Class {
        school_id: school.into(),
        level,
        grade: if level == Level::Primary { 1 } else { 7 },
        class: name.into(),
        students,
    };
    c = c.with_classes(vec![
        class("A", Level::Primary, "1", 45),
        class("A", Level::Primary, "2", 46),
        class("A", Level::Primary, "3", 56),
        class("A", Level::Primary, "4", 66),
        class("B", Level::Junior, "1", 50),
        class("B", Level::Junior, "2", 51),
    ]);
    let norms = county_norms(&c, &[0, 0]);
    let counts = norms.classes.as_ref().unwrap();
    let got: Vec<(u32, u32, u32, u32, u32)> =
        counts.iter().map(|k| (k.classes, k.over_limit, k.large, k.very_large, k.largest)).collect();
    // Primary: over 45 are 46, 56, 66; 56 and 66 are 大班额, 66 超大班额.
    assert_eq!(got, vec![(4, 3, 2, 1, 66), (2, 1, 0, 0, 51)]);
    assert_eq!(norms.class_totals(), Some((4, 2, 1)));
}

#[test]
fn classes_csv_and_room_columns_are_read() {
    let loaded = load_ok(&fixture("tiny_classes"));
    let c = &loaded.county;
    assert_eq!(c.classes.len(), 8);
    assert_eq!(
        c.classes[2],
        Class { school_id: "S01".into(), level: Level::Primary, grade: 2, class: "1".into(), students: 56 }
    );
    assert_eq!((c.schools[0].music_rooms, c.schools[0].art_rooms), (Some(1), Some(2)));
    assert_eq!((c.schools[2].music_rooms, c.schools[2].art_rooms), (None, None));
}

/// The tiny county with classes.csv replaced by `classes` (header included).
fn with_classes(dir: &Path, classes: &str) {
    copy_folder(&fixture("tiny_classes"), dir);
    std::fs::write(dir.join("classes.csv"), classes).unwrap();
}

#[test]
fn classes_csv_lists_every_problem() {
    let dir = tempfile::tempdir().unwrap();
    with_classes(
        dir.path(),
        "school_id,section,grade,class,students\n\
         S09,primary,1,1,40\n\
         S01,junior,7,1,40\n\
         S01,primary,10,1,40\n\
         S01,primary,1,,40\n\
         S01,primary,1,1,300\n\
         S01,primary,1,2,-1\n\
         S01,primary,2,1,40\n\
         S01,primary,2,1,41\n",
    );
    let problems: Vec<String> = input_problems(dir.path()).iter().map(ToString::to_string).collect();
    let expect = [
        "classes.csv:2: school_id: ",
        "classes.csv:3: section: ",
        "classes.csv:4: grade: grade 10 is not a grade of the primary section; give 1 to 6",
        "classes.csv:5: class: empty cell",
        "classes.csv:6: students: 300 is over the limit for the number of students; give 0 to 200",
        "classes.csv:7: students: -1 is negative",
        "classes.csv:9: class: S01 primary grade 2 class 1 is given twice (first on line 8); keep one row per class",
    ];
    for e in expect {
        assert!(problems.iter().any(|p| p.starts_with(e)), "no problem starting {e:?} in {problems:#?}");
    }
    assert_eq!(problems.len(), expect.len(), "{problems:#?}");
}

#[test]
fn bad_room_counts_are_input_errors_in_both_languages() {
    let dir = tempfile::tempdir().unwrap();
    copy_folder(&fixture("tiny_classes"), dir.path());
    let path = dir.path().join("schools.csv");
    let text = std::fs::read_to_string(&path).unwrap().replace(",60,1,2\n", ",60,-1,两\n");
    std::fs::write(&path, text).unwrap();
    let problems = input_problems(dir.path());
    let lines: Vec<String> = problems.iter().map(ToString::to_string).collect();
    assert!(lines.iter().any(|l| l.starts_with("schools.csv:2: music_rooms: -1 is negative")), "{lines:#?}");
    assert!(lines.iter().any(|l| l.starts_with("schools.csv:2: art_rooms: ")), "{lines:#?}");
    assert!(problems.iter().all(|p| p.message_zh.is_some()));
    Command::cargo_bin("rotaplan").unwrap().arg("check").arg(dir.path()).assert().code(2);
}

#[test]
fn classes_sheet_of_a_workbook_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let book = dir.path().join("county.xlsx");
    crate::common::workbook_from_folder(&fixture("tiny_classes"), &book, true);
    let loaded = load_ok(&book);
    assert_eq!(loaded.county.classes.len(), 8);
    assert_eq!(loaded.county.classes[3].students, 66);
    assert_eq!(loaded.county.schools[1].art_rooms, Some(0));
}

fn json(path: &Path) -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

#[test]
fn evaluate_writes_norms_class_sizes_and_the_summary_key() {
    let out = tempfile::tempdir().unwrap();
    let target = out.path().join("ev");
    Command::cargo_bin("rotaplan")
        .unwrap()
        .args(["evaluate"])
        .arg(fixture("tiny_classes"))
        .arg("-o")
        .arg(&target)
        .assert()
        .success()
        .stdout(predicates::str::contains("大班额 2"));
    let summary = json(&target.join("summary.json"));
    let norms = &summary["norms"];
    assert_eq!(norms["norm_total"], 48 + 52 + 31 + 6);
    // S01 60 and S02 58 given; S03 and S04 take their norms 31 and 6.
    assert_eq!(norms["quota_total_with_norms"], 60 + 58 + 31 + 6);
    assert_eq!(norms["before"]["under_quota_schools"], serde_json::json!(["S01", "S02", "S03", "S04"]));
    assert_eq!(norms["before"]["under_quota_posts"], 50 + 49 + 23 + 3);
    assert_eq!(norms["music_rooms_short_schools"], serde_json::json!(["S01"]));
    assert_eq!(norms["art_rooms_short_schools"], serde_json::json!(["S02"]));
    assert_eq!(norms["classes"], serde_json::json!({"over_limit": 4, "large": 2, "very_large": 1}));
    let csv = std::fs::read_to_string(target.join("norms.csv")).unwrap();
    assert!(csv.contains("S04,马壁教学点,teaching_point,30,5.1,6,yes,,6,3,0,3,"), "{csv}");
    let classes = std::fs::read_to_string(target.join("class_sizes.csv")).unwrap();
    assert!(classes.contains("S01,城关第一小学,primary,4,3,2,1,66"), "{classes}");
    let html = std::fs::read_to_string(target.join("report.html")).unwrap();
    assert!(html.contains("<section id=\"norms\">"));
    // Without classes.csv there is no class_sizes.csv and the key is null.
    let plain = out.path().join("plain");
    Command::cargo_bin("rotaplan")
        .unwrap()
        .args(["evaluate"])
        .arg(fixture("tiny"))
        .arg("-o")
        .arg(&plain)
        .assert()
        .success();
    assert!(!plain.join("class_sizes.csv").exists());
    assert!(json(&plain.join("summary.json"))["norms"]["classes"].is_null());
}

#[test]
fn plan_reports_the_quota_before_and_after_in_every_output() {
    let out = tempfile::tempdir().unwrap();
    let target = out.path().join("plan");
    Command::cargo_bin("rotaplan")
        .unwrap()
        .args(["--lang", "en", "plan"])
        .arg(fixture("tiny_classes"))
        .arg("-o")
        .arg(&target)
        .assert()
        .success();
    let summary = json(&target.join("summary.json"));
    let norms = &summary["norms"];
    // Moves keep every roll's total; the after side is there.
    assert_eq!(norms["before"]["headcount"], 30);
    assert_eq!(norms["after"]["headcount"], 30);
    let csv = std::fs::read_to_string(target.join("norms.csv")).unwrap();
    assert!(csv.lines().next().unwrap().contains("headcount_before,headcount_after"));
    // headcount after = before − leaving + arriving, read from rotations.csv.
    let rotations = std::fs::read_to_string(target.join("rotations.csv")).unwrap();
    let mut delta = std::collections::BTreeMap::<String, i64>::new();
    for line in rotations.lines().skip(1) {
        let cells: Vec<&str> = line.split(',').collect();
        *delta.entry(cells[4].to_string()).or_default() -= 1;
        *delta.entry(cells[5].to_string()).or_default() += 1;
    }
    let mut reader = csv::Reader::from_reader(csv.trim_start_matches('\u{feff}').as_bytes());
    let header = reader.headers().unwrap().clone();
    let at = |name: &str| header.iter().position(|h| h == name).unwrap();
    for row in reader.records().map(Result::unwrap) {
        let before: i64 = row[at("headcount_before")].parse().unwrap();
        let after: i64 = row[at("headcount_after")].parse().unwrap();
        assert_eq!(after, before + delta.get(&row[0]).copied().unwrap_or(0), "school {}", &row[0]);
    }
    let html = std::fs::read_to_string(target.join("report.html")).unwrap();
    assert!(html.contains("Staffing norms, class sizes, school size and rooms"));
    assert!(html.contains("large classes (56 or more)"));
    use calamine::Reader;
    let mut book: calamine::Xlsx<_> = calamine::open_workbook(target.join("plan.xlsx")).unwrap();
    let names = book.sheet_names();
    assert!(names.contains(&"norms".to_string()) && names.contains(&"class sizes".to_string()), "{names:?}");
    let sheet = book.worksheet_range("norms").unwrap();
    let header: Vec<String> = sheet.rows().next().unwrap().iter().map(ToString::to_string).collect();
    assert_eq!(&header[..4], ["school_id", "name", "kind", "students"]);
    assert_eq!(sheet.height(), 5, "a header and one row a school");
}

/// The fewest posts below the norm, then the fewest teachers over quota,
/// then the fewest moved, by trying every split of the total.
fn brute_force(problem: &QuotaProblem) -> (u64, u64, u64) {
    fn score(problem: &QuotaProblem, q: &[u32]) -> (u64, u64, u64) {
        let below = |wanted: &[u32]| wanted.iter().zip(q).map(|(n, q)| u64::from(n.saturating_sub(*q))).sum();
        let moved = problem.current.iter().zip(q).map(|(c, q)| u64::from(c.abs_diff(*q))).sum();
        (below(&problem.norm), below(&problem.headcount), moved)
    }
    fn walk(problem: &QuotaProblem, i: usize, left: u32, chosen: &mut Vec<u32>, best: &mut (u64, u64, u64)) {
        if i + 1 == problem.current.len() {
            chosen.push(left);
            *best = (*best).min(score(problem, chosen));
            chosen.pop();
            return;
        }
        for q in 0..=left {
            chosen.push(q);
            walk(problem, i + 1, left - q, chosen, best);
            chosen.pop();
        }
    }
    let mut best = (u64::MAX, u64::MAX, u64::MAX);
    walk(problem, 0, problem.total() as u32, &mut Vec::new(), &mut best);
    best
}

#[test]
fn quota_milp_matches_a_brute_force_on_tiny_counties() {
    use rand::{Rng, SeedableRng};
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(15);
    for case in 0..60 {
        let schools = rng.random_range(1..=4);
        let problem = QuotaProblem {
            current: (0..schools).map(|_| rng.random_range(0..=6)).collect(),
            norm: (0..schools).map(|_| rng.random_range(0..=7)).collect(),
            headcount: (0..schools).map(|_| rng.random_range(0..=7)).collect(),
        };
        let (proposed, optimal, _) = rotaplan::commands::quota::solve_problem(&problem, 60.0).unwrap();
        assert!(optimal, "case {case}");
        assert_eq!(
            proposed.iter().map(|&q| u64::from(q)).sum::<u64>(),
            problem.total(),
            "case {case}: the total is kept"
        );
        let below = |wanted: &[u32]| wanted.iter().zip(&proposed).map(|(n, q)| u64::from(n.saturating_sub(*q))).sum();
        let moved = problem.current.iter().zip(&proposed).map(|(c, q)| u64::from(c.abs_diff(*q))).sum();
        let found = (below(&problem.norm), below(&problem.headcount), moved);
        assert_eq!(found, brute_force(&problem), "case {case}: {problem:?} → {proposed:?}");
    }
}

#[test]
fn quota_takes_empty_posts_before_filled_ones() {
    // C (norm 5) needs 5 posts; A and B are 5 above their norms, but A's
    // 10 posts are all filled and B has 5 empty ones: B gives them.
    let problem = QuotaProblem { current: vec![10, 10, 0], norm: vec![5, 5, 5], headcount: vec![10, 5, 0] };
    let (proposed, optimal, _) = rotaplan::commands::quota::solve_problem(&problem, 60.0).unwrap();
    assert!(optimal);
    assert_eq!(proposed, [10, 5, 5]);
    // The same order the other way round: A empty, B full.
    let problem = QuotaProblem { current: vec![10, 10, 0], norm: vec![5, 5, 5], headcount: vec![5, 10, 0] };
    let (proposed, _, _) = rotaplan::commands::quota::solve_problem(&problem, 60.0).unwrap();
    assert_eq!(proposed, [5, 10, 5]);
}

#[test]
fn quota_lists_only_changed_schools_and_says_why_in_headcount_terms() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    copy_folder(&fixture("tiny"), &data);
    // S01 (norm 48, 10 on the roll) gets 40; S02 (norm 52, 9 on the roll)
    // 70, so S02 gives 8 empty posts. S03 and S04 give no quota.
    let path = data.join("schools.csv");
    let text = std::fs::read_to_string(&path).unwrap().replace(",22,60\n", ",22,40\n").replace(",18,58\n", ",18,70\n");
    std::fs::write(&path, text).unwrap();
    let run = |lang: &[&str]| {
        let out = dir.path().join(format!("quota{}", lang.len()));
        let output = Command::cargo_bin("rotaplan")
            .unwrap()
            .args(lang)
            .arg("quota")
            .arg(&data)
            .arg("-o")
            .arg(&out)
            .output()
            .unwrap();
        assert!(output.status.success());
        (String::from_utf8(output.stdout).unwrap(), json(&out.join("summary.json")))
    };
    let (zh, summary) = run(&[]);
    assert!(zh.contains("参与调剂的编制总数 110"), "{zh}");
    assert!(zh.contains("S02 城关中学: 70 → 62 (标准 52, 在编 9) 超出标准的空编调给低于标准的学校"), "{zh}");
    assert!(!zh.contains("S03") && !zh.contains("S04") && !zh.contains("—"), "{zh}");
    assert!(zh.contains("另有 2 所学校未填编制数，以标准编制为编制，不参与调剂"), "{zh}");
    assert_eq!(summary["over_quota_teachers"], serde_json::json!({"before": 0, "after": 0}));
    let (en, _) = run(&["--lang", "en"]);
    assert!(en.contains("Pooled quota 110"), "{en}");
    assert!(en.contains("2 schools give no staff_quota"), "{en}");
    assert_eq!(en.lines().filter(|l| l.starts_with("  S0")).count(), 2, "{en}");
}

#[test]
fn staff_quota_and_rooms_are_bounded_with_the_range_in_both_languages() {
    let dir = tempfile::tempdir().unwrap();
    copy_folder(&fixture("tiny_classes"), dir.path());
    let path = dir.path().join("schools.csv");
    let text = std::fs::read_to_string(&path)
        .unwrap()
        .replace(",60,1,2\n", ",4294967295,1000000000,99999999999999999999999\n")
        .replace(",58,2,0\n", ",100001,1001,1e9\n");
    std::fs::write(&path, text).unwrap();
    let problems = input_problems(dir.path());
    let lines: Vec<String> = problems.iter().map(ToString::to_string).collect();
    for expected in [
        "schools.csv:2: staff_quota: 4294967295 is over the limit for the staff quota; give 0 to 100000",
        "schools.csv:2: music_rooms: 1000000000 is over the limit for the music rooms; give 0 to 1000",
        "schools.csv:2: art_rooms: 99999999999999999999999 is over the limit for the art rooms; give 0 to 1000",
        "schools.csv:3: staff_quota: 100001 is over the limit for the staff quota; give 0 to 100000",
        "schools.csv:3: music_rooms: 1001 is over the limit",
        "schools.csv:3: art_rooms: 1e9 is over the limit",
    ] {
        assert!(lines.iter().any(|l| l.starts_with(expected)), "no {expected:?} in {lines:#?}");
    }
    assert_eq!(lines.len(), 6, "{lines:#?}");
    let zh: Vec<&str> = problems.iter().filter_map(|p| p.message_zh.as_deref()).collect();
    assert!(zh.iter().any(|m| m.contains("「4294967295」超出编制数的上限；请填写 0 到 100000")), "{zh:#?}");
    Command::cargo_bin("rotaplan").unwrap().arg("quota").arg(dir.path()).assert().code(2);
    Command::cargo_bin("rotaplan").unwrap().arg("evaluate").arg(dir.path()).assert().code(2);
}

#[test]
fn quota_totals_at_the_bound_do_not_wrap() {
    let dir = tempfile::tempdir().unwrap();
    copy_folder(&fixture("tiny_classes"), dir.path());
    let path = dir.path().join("schools.csv");
    let text = std::fs::read_to_string(&path).unwrap().replace(",60,1,2\n", ",100000,1,2\n");
    std::fs::write(&path, text).unwrap();
    let out = tempfile::tempdir().unwrap();
    let target = out.path().join("ev");
    Command::cargo_bin("rotaplan").unwrap().arg("evaluate").arg(dir.path()).arg("-o").arg(&target).assert().success();
    assert_eq!(json(&target.join("summary.json"))["norms"]["quota_total_with_norms"], 100_000 + 58 + 31 + 6);
}

#[test]
fn large_class_above_very_large_class_is_an_input_error() {
    let dir = tempfile::tempdir().unwrap();
    copy_folder(&fixture("tiny_classes"), dir.path());
    let policy = dir.path().join("override.toml");
    std::fs::write(&policy, "[standards]\nlarge_class = 70\nvery_large_class = 66\n").unwrap();
    let run = |lang: &[&str]| {
        let output = Command::cargo_bin("rotaplan")
            .unwrap()
            .args(lang)
            .arg("check")
            .arg(dir.path())
            .arg("--policy")
            .arg(&policy)
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(2));
        String::from_utf8(output.stderr).unwrap()
    };
    let en = run(&["--lang", "en"]);
    assert!(en.contains("large_class 70 is above very_large_class 66"), "{en}");
    let zh = run(&[]);
    assert!(zh.contains("large_class 70 大于 very_large_class 66"), "{zh}");
    // Equal bands are allowed.
    std::fs::write(&policy, "[standards]\nlarge_class = 66\nvery_large_class = 66\n").unwrap();
    Command::cargo_bin("rotaplan")
        .unwrap()
        .arg("check")
        .arg(dir.path())
        .arg("--policy")
        .arg(&policy)
        .assert()
        .success();
}

#[test]
fn class_grades_fit_their_section_and_huge_workbook_numbers_are_over_the_limit() {
    let dir = tempfile::tempdir().unwrap();
    with_classes(
        dir.path(),
        "school_id,section,grade,class,students\n\
         S01,primary,7,1,40\n\
         S02,junior,4,1,40\n\
         S02,junior,1,1,40\n\
         S02,junior,7,1,41\n\
         S02,junior,9,1,41\n",
    );
    let problems: Vec<String> = input_problems(dir.path()).iter().map(ToString::to_string).collect();
    assert!(problems[0].starts_with("classes.csv:2: grade: grade 7 is not a grade of the primary section; give 1 to 6"));
    assert!(problems[1].starts_with("classes.csv:3: grade: grade 4 is not a grade of the junior section; give 7 to 9"));
    // Junior grade 1 is 初一, grade 7: the row after repeats it.
    assert!(
        problems[2].starts_with("classes.csv:5: class: S02 junior grade 7 class 1 is given twice (first on line 4)")
    );
    assert_eq!(problems.len(), 3, "{problems:#?}");
    // A workbook's number cell of 1e308 is over the limit, not "not a number".
    let huge = tempfile::tempdir().unwrap();
    with_classes(huge.path(), "school_id,section,grade,class,students\nS01,primary,1,1,1e308\n");
    let book = huge.path().join("county.xlsx");
    crate::common::workbook_from_folder(huge.path(), &book, true);
    let problems: Vec<String> = input_problems(&book).iter().map(ToString::to_string).collect();
    assert_eq!(problems.len(), 1, "{problems:#?}");
    assert!(problems[0].contains("is over the limit for the number of students; give 0 to 200"), "{problems:#?}");
}

#[test]
fn quota_command_moves_posts_to_the_school_below_its_norm() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    copy_folder(&fixture("tiny"), &data);
    // S01 (norm 48) gets 40, S02 (norm 52) 70: 8 posts should move.
    let path = data.join("schools.csv");
    let text = std::fs::read_to_string(&path).unwrap().replace(",22,60\n", ",22,40\n").replace(",18,58\n", ",18,70\n");
    std::fs::write(&path, text).unwrap();
    let out = dir.path().join("quota");
    Command::cargo_bin("rotaplan")
        .unwrap()
        .args(["quota"])
        .arg(&data)
        .arg("-o")
        .arg(&out)
        .assert()
        .success()
        .stdout(predicates::str::contains("已证明最优"));
    let summary = json(&out.join("summary.json"));
    assert_eq!(summary["pooled_quota_total"], 110);
    assert_eq!(summary["short_of_norm"], serde_json::json!({"before": 8, "after": 0}));
    assert_eq!(summary["posts_moved"], 16);
    assert_eq!(summary["schools_without_quota"], 2);
    let csv = std::fs::read_to_string(out.join("quota.csv")).unwrap();
    assert!(csv.contains("S01,城关第一小学,primary,900,10,40,48,48,8,raised,"), "{csv}");
    assert!(csv.contains("S02,城关中学,junior,700,9,70,52,62,-8,lowered,"), "{csv}");
    assert!(csv.contains("S04,马壁教学点,teaching_point,30,3,,6,6,,no_quota,未填编制数"), "{csv}");
    // The workbook's headers are Chinese, every one.
    {
        use calamine::Reader;
        let mut book: calamine::Xlsx<_> = calamine::open_workbook(out.join("quota.xlsx")).unwrap();
        let sheet = book.worksheet_range("编制调整建议").unwrap();
        let header: Vec<String> = sheet.rows().next().unwrap().iter().map(ToString::to_string).collect();
        assert!(header.iter().all(|h| !h.is_ascii()), "{header:?}");
        assert!(header.contains(&"建议编制".to_string()) && header.contains(&"增减".to_string()), "{header:?}");
    }
    // English words with --lang en, and the same proposal.
    let en = dir.path().join("quota-en");
    Command::cargo_bin("rotaplan")
        .unwrap()
        .args(["--lang", "en", "quota"])
        .arg(&data)
        .arg("-o")
        .arg(&en)
        .assert()
        .success()
        .stdout(predicates::str::contains("proven optimal"));
    let csv_en = std::fs::read_to_string(en.join("quota.csv")).unwrap();
    assert!(csv_en.contains("raised,raised to the norm"), "{csv_en}");
}

#[test]
fn a_county_written_back_keeps_its_rooms() {
    let loaded = load_ok(&fixture("tiny_classes"));
    let text = String::from_utf8(rotaplan::render::data_folder::schools_csv(&loaded.county)).unwrap();
    let mut lines = text.lines();
    assert!(lines.next().unwrap().ends_with(",staff_quota,music_rooms,art_rooms"));
    assert!(lines.next().unwrap().ends_with(",60,1,2"));
    // A county without rooms is written with the columns it always had.
    let plain = load_ok(&fixture("tiny"));
    let text = String::from_utf8(rotaplan::render::data_folder::schools_csv(&plain.county)).unwrap();
    assert!(text.lines().next().unwrap().ends_with(",staff_quota"));
}
