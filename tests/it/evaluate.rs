//! The inspector's figures against hand-computed values, and the `evaluate`
//! command as a user runs it (issue 2).

use std::path::Path;

use assert_cmd::Command;
use rotaplan::domain::policy::Policy;
use rotaplan::domain::*;
use rotaplan::rules::indicators::{difference_coefficient, evaluate, Indicator, Standing};

fn school(id: &str, kind: SchoolKind, students: [u32; 2], classes: [u32; 2]) -> School {
    School {
        id: id.into(),
        name: format!("学校{id}"),
        town: "府城镇".into(),
        kind,
        area: Area::Town,
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

fn teacher(id: &str, school: &str, level: Level, subject: Subject, degree: Degree, backbone: Backbone) -> Teacher {
    Teacher {
        id: id.into(),
        name: format!("教师{id}"),
        school_id: school.into(),
        level,
        subject,
        degree,
        backbone,
        title: None,
        gender: Gender::Female,
        birth_year: 1985,
        school_since: 2015,
        certified: true,
        full_time: true,
        role: Role::Teacher,
        exempt: None,
        last_rotated: None,
    }
}

fn county(schools: Vec<School>, teachers: Vec<Teacher>) -> County {
    County::new(schools, teachers, Policy::default(), Vec::new(), Vec::new(), Vec::new())
}

#[test]
fn inspector_cv_example_is_student_weighted() {
    let text = std::fs::read_to_string("tests/fixtures/cv_example.csv").unwrap();
    let rows: Vec<(f64, f64)> = text
        .lines()
        .skip(1)
        .map(|l| {
            let f: Vec<f64> = l.split(',').map(|x| x.trim().parse().unwrap()).collect();
            (f[1], f[2] / f[1])
        })
        .collect();
    let cv = difference_coefficient(&rows).unwrap();
    assert!((cv - 0.5153).abs() < 5e-5, "weighted CV {cv}");
    let unweighted: Vec<(f64, f64)> = rows.iter().map(|(_, x)| (1.0, *x)).collect();
    let u = difference_coefficient(&unweighted).unwrap();
    assert!((u - 0.489).abs() < 5e-4, "unweighted CV {u}");
}

#[test]
fn cv_of_a_facility_over_counted_sections_matches_the_inspector() {
    // The inspector's example as five primary schools whose multimedia rooms are the resource.
    let data = [(45, 279), (37, 137), (89, 935), (76, 160), (55, 402)];
    let schools = data
        .iter()
        .enumerate()
        .map(|(i, (p, r))| {
            let mut s = school(&format!("S{i}"), SchoolKind::Primary, [*p, 0], [1, 0]);
            s.facilities.totals[Facility::MultimediaRooms.index()] = Some(Exact::from_integer(*r));
            s
        })
        .collect();
    let f = evaluate(&county(schools, Vec::new()));
    let cv = f.cv[&(Level::Primary, Indicator::Facility(Facility::MultimediaRooms))].value.unwrap();
    assert!((cv - 0.5153).abs() < 5e-5, "{cv}");
    // No data at all: the CV is missing, not 0.
    assert!(f.cv[&(Level::Primary, Indicator::Facility(Facility::SportsArea))].value.is_none());
}

#[test]
fn thresholds_compliance_and_shortfall_by_hand() {
    // 110 primary students: higher_degree needs ⌈4.2 × 1.1⌉ = ⌈4.62⌉ = 5 teachers,
    // the 85 % floor ⌈3.927⌉ = 4; backbone ⌈1.1⌉ = 2 (floor ⌈0.935⌉ = 1); pe_arts ⌈0.99⌉ = 1.
    let mut teachers = Vec::new();
    for i in 0..4 {
        teachers.push(teacher(
            &format!("T{i}"),
            "A",
            Level::Primary,
            Subject::Chinese,
            Degree::Associate,
            Backbone::None,
        ));
    }
    teachers.push(teacher("T9", "A", Level::Primary, Subject::Pe, Degree::Secondary, Backbone::County));
    let c = county(vec![school("A", SchoolKind::Primary, [110, 0], [3, 0])], teachers);
    let f = evaluate(&c);
    let s = &f.sections[0];
    assert_eq!(s.thresholds[0].full, 5);
    assert_eq!(s.thresholds[0].floor85, 4);
    assert_eq!(s.thresholds[1].full, 2);
    assert_eq!(s.thresholds[1].floor85, 1);
    assert_eq!(s.thresholds[2].full, 1);
    assert_eq!(s.standing[0], Some(Standing::Below)); // 4 of 5: below, not below 85 %
    assert_eq!(s.standing[1], Some(Standing::Below)); // 1 of 2
    assert_eq!(s.standing[2], Some(Standing::Reaches));
    assert!((s.values[0].unwrap() - 400.0 / 110.0).abs() < 1e-12);
    // Two teacher indicators miss: facilities have no data (taken as reaching), 5 of 7 reach → fails.
    assert_eq!(s.compliant, Some(false));
    assert_eq!(s.shortfall, 2);
    assert_eq!(f.shortfall(), 2);
    // Class size 110 / 3 = 36.7 is within 45.
    assert!(!s.class_size_over);
}

#[test]
fn below_85_percent_fails_even_with_six_reaching() {
    // 300 students: backbone needs 3, the floor ⌈2.55⌉ = 3 as well, so 2 is below 85 %.
    let mut teachers = Vec::new();
    for i in 0..13 {
        teachers.push(teacher(
            &format!("H{i:02}"),
            "A",
            Level::Primary,
            Subject::Math,
            Degree::Bachelor,
            Backbone::None,
        ));
    }
    teachers.push(teacher("B1", "A", Level::Primary, Subject::Pe, Degree::Bachelor, Backbone::County));
    teachers.push(teacher("B2", "A", Level::Primary, Subject::Music, Degree::Bachelor, Backbone::City));
    teachers.push(teacher("P1", "A", Level::Primary, Subject::Art, Degree::Bachelor, Backbone::None));
    let f = evaluate(&county(vec![school("A", SchoolKind::Primary, [300, 0], [8, 0])], teachers));
    let s = &f.sections[0];
    assert_eq!(s.standing[1], Some(Standing::Below85));
    assert_eq!(s.standing.iter().filter(|x| x.is_some_and(Standing::reaches)).count(), 6);
    assert_eq!(s.compliant, Some(false));
}

#[test]
fn nine_year_facilities_split_by_weighted_students() {
    let mut s = school("N", SchoolKind::NineYear, [200, 100], [5, 3]);
    s.facilities.totals[Facility::TeachingArea.index()] = Some(Exact::from_integer(2000));
    let f = evaluate(&county(vec![s], Vec::new()));
    // primary share 2000 × 200 / (200 + 1.1 × 100) = 1290.32…; per student 6.4516…
    let p = f.sections.iter().find(|x| x.level == Level::Primary).unwrap();
    let j = f.sections.iter().find(|x| x.level == Level::Junior).unwrap();
    assert!((p.values[3].unwrap() - 2000.0 * 200.0 / 310.0 / 200.0).abs() < 1e-9);
    assert!((j.values[3].unwrap() - 2000.0 * 110.0 / 310.0 / 100.0).abs() < 1e-9);
}

#[test]
fn small_teaching_points_and_empty_sections_are_not_counted() {
    let tp = school("T", SchoolKind::TeachingPoint, [30, 0], [2, 0]);
    let empty = school("N", SchoolKind::NineYear, [120, 0], [4, 0]);
    let f = evaluate(&county(vec![tp, empty], Vec::new()));
    assert_eq!(f.counted(), 1);
    let t = f.sections.iter().find(|x| x.school == 1).unwrap();
    assert!(!t.counted);
    let j = f.sections.iter().find(|x| x.level == Level::Junior).unwrap();
    assert!(!j.counted && j.compliant.is_none());
}

#[test]
fn evaluate_command_writes_bom_csv_and_summary() {
    let out = tempfile::tempdir().unwrap();
    let dir = out.path().join("ev");
    Command::cargo_bin("rotaplan")
        .unwrap()
        .args(["evaluate", "tests/fixtures/tiny", "-o"])
        .arg(&dir)
        .assert()
        .success();
    let csv = std::fs::read(dir.join("schools.csv")).unwrap();
    assert_eq!(&csv[..3], &[0xEF, 0xBB, 0xBF]);
    let text = String::from_utf8(csv[3..].to_vec()).unwrap();
    let header = text.lines().next().unwrap();
    assert_eq!(
        header,
        "school_id,name,section,students,counted,teachers_before,higher_degree_before,higher_degree_per100_before,\
backbone_before,backbone_per100_before,pe_arts_before,pe_arts_per100_before,compliant_before,shortfall_before"
    );
    // S03 is nine-year: two rows; five rows in all for four schools.
    assert_eq!(text.lines().count(), 1 + 5);
    let summary: serde_json::Value = serde_json::from_slice(&std::fs::read(dir.join("summary.json")).unwrap()).unwrap();
    for key in ["eligible", "required_moves", "compliant_sections", "shortfall", "cv"] {
        assert!(summary.get(key).is_some(), "summary.json lacks {key}");
    }
    assert!(summary["cv"]["primary"]["backbone"].get("limit").is_some());
}

#[test]
fn failed_run_writes_nothing() {
    let out = tempfile::tempdir().unwrap();
    let dir = out.path().join("never");
    Command::cargo_bin("rotaplan")
        .unwrap()
        .args(["evaluate", "tests/fixtures/broken/duplicate_ids", "-o"])
        .arg(&dir)
        .assert()
        .code(2);
    assert!(!Path::new(&dir).exists());
}

#[test]
fn eligibility_csv_gives_every_reason() {
    let out = tempfile::tempdir().unwrap();
    let dir = out.path().join("ev");
    Command::cargo_bin("rotaplan")
        .unwrap()
        .args(["evaluate", "--lang", "en", "tests/fixtures/tiny", "-o"])
        .arg(&dir)
        .assert()
        .success();
    let text = std::fs::read_to_string(dir.join("eligibility.csv")).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    // One row per teacher of the fixture (30) after the header.
    assert_eq!(lines.len(), 31);
    // A principal is eligible by rule principals (15 years at the school),
    // and the row says the role.
    let principal = lines.iter().find(|l| l.starts_with("1001,")).unwrap();
    assert!(principal.contains(",yes,") && principal.ends_with(",principal"), "{principal}");
    let county = rotaplan::io::load(Path::new("tests/fixtures/tiny"), None).unwrap().county;
    let eligible =
        county.teachers.iter().filter(|t| rotaplan::rules::eligibility::is_eligible(t, &county.policy)).count();
    assert_eq!(lines.iter().filter(|l| l.contains(",yes,")).count(), eligible);
}
