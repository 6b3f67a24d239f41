//! `rotaplan advance` and the teachers' voice (issue 14): family ties last
//! and are carried to next year's folder; applications are this year's and
//! are left behind, and the terminal says so.

use std::path::Path;

use rotaplan::commands::advance::advance;
use rotaplan::domain::applications::{Application, FamilyRule, FamilyTie};
use rotaplan::domain::County;
use rotaplan::render::Lang;
use rotaplan::rules::next_year::next_year;

use crate::score::small_county;

fn loaded(data: &Path) -> County {
    rotaplan::load(data, None).unwrap_or_else(|e| panic!("{} loads: {e}", data.display())).county
}

fn tie(a: &str, b: &str, rule: FamilyRule) -> FamilyTie {
    FamilyTie { teacher_a: a.into(), teacher_b: b.into(), rule }
}

fn application(id: &str, volunteer: bool, wishes: &[&str]) -> Application {
    Application {
        teacher_id: id.into(),
        volunteer,
        wishes: wishes.iter().map(|w| w.to_string()).collect(),
        extra_points: rotaplan::exact::parse_exact("1.5").unwrap(),
        note: "县级优秀教师".into(),
    }
}

/// The small synthetic county with three ties (the last names a teacher who
/// retires next year) and two applications; the ties carried over.
fn county_with_voice(data: &Path) -> (County, Vec<FamilyTie>) {
    let county = loaded(data);
    let next = county.policy.year + 1;
    let retiring = county.teachers.iter().find(|t| county.policy.retired_in(t.gender, t.birth_year, next));
    let retiring = retiring.expect("the synthetic county has a teacher about to retire").id.clone();
    let ids: Vec<String> = county.teachers.iter().map(|t| t.id.clone()).filter(|id| *id != retiring).take(5).collect();
    let carried = vec![tie(&ids[0], &ids[1], FamilyRule::SameTown), tie(&ids[2], &ids[3], FamilyRule::WithinKm(12.5))];
    let mut family = carried.clone();
    family.push(tie(&ids[4], &retiring, FamilyRule::SameTown));
    let other = county.schools.iter().find(|s| s.id != county.teachers[1].school_id && s.has(county.teachers[1].level));
    let wishes = [other.expect("another school of the section").id.as_str()];
    let applications = vec![application(&ids[0], true, &wishes), application(&ids[1], false, &[])];
    (county.with_family(family).with_applications(applications), carried)
}

/// A plan list with no rotation: the county as it stands.
fn empty_list(dir: &Path) -> std::path::PathBuf {
    let list = dir.join("rotations.csv");
    std::fs::write(&list, "teacher_id,to_school\n").unwrap();
    list
}

#[test]
fn next_year_keeps_family_ties_of_teachers_still_on_the_roll_and_no_applications() {
    let tmp = tempfile::tempdir().unwrap();
    let (county, carried) = county_with_voice(&small_county(&tmp.path().join("data")));
    let mover = county.teachers.iter().find(|t| t.id == carried[0].teacher_a).unwrap();
    let to = county.schools.iter().find(|s| s.id != mover.school_id && s.has(mover.level)).unwrap().id.clone();
    let moved = rotaplan::domain::changes::ProposedMove::new(&mover.id, &to);
    let next = next_year(&county, &[moved], &[], &[]);
    assert_eq!(next.county.family, carried, "ties last, in order, unchanged; the retired teacher's is dropped");
    assert_eq!(next.family_dropped, 1);
    assert!(next.county.applications.is_empty(), "applications are this year's");
    assert!(!next.county.has_applications());
}

#[test]
fn advance_writes_family_csv_and_leaves_applications_behind() {
    let tmp = tempfile::tempdir().unwrap();
    let (county, carried) = county_with_voice(&small_county(&tmp.path().join("data")));
    let advanced = advance(&county, &empty_list(tmp.path()), None, None).expect("advance");
    assert_eq!(advanced.applications_dropped, 2);
    assert!(advanced.files.get("applications.csv").is_none(), "applications are not carried over");
    let family = advanced.files.get("family.csv").expect("family.csv is written");
    let text = std::str::from_utf8(family).unwrap().strip_prefix('\u{feff}').expect("a BOM");
    let lines: Vec<&str> = text.lines().collect();
    let expected = [
        "teacher_a,teacher_b,rule".to_string(),
        format!("{},{},same_town", carried[0].teacher_a, carried[0].teacher_b),
        format!("{},{},within_km 12.5", carried[1].teacher_a, carried[1].teacher_b),
    ];
    assert_eq!(lines, expected);

    let zh = advanced.terminal(Lang::Zh);
    assert!(zh.contains("本年度的 2 份交流申请（applications.csv）"), "{zh}");
    assert!(zh.contains("1 条家庭关系（family.csv）涉及退休教师"), "{zh}");
    let en = advanced.terminal(Lang::En);
    assert!(
        en.contains("This year's 2 applications (applications.csv) are this year's and are not carried over"),
        "{en}"
    );
    assert!(en.contains("1 family ties (family.csv) name a retired teacher"), "{en}");
    assert!(en.contains("family.csv") && !en.contains("Files: applications.csv"), "{en}");

    // The written folder reads back as data.
    let next = tmp.path().join("next");
    std::fs::create_dir_all(&next).unwrap();
    for name in advanced.files.names() {
        std::fs::write(next.join(name), advanced.files.get(name).unwrap()).unwrap();
    }
    let back = loaded(&next);
    assert_eq!(back.policy.year, county.policy.year + 1);
    assert_eq!(back.policy.priority, county.policy.priority, "the [priority] scale is carried");
    assert!(back.applications.is_empty());
    // Once the reader of family.csv is in, the ties read back as carried.
    assert!(back.family.is_empty() || back.family == carried, "{:?}", back.family);
}

#[test]
fn without_applications_or_ties_advance_says_nothing_of_them() {
    let tmp = tempfile::tempdir().unwrap();
    let county = loaded(&small_county(&tmp.path().join("data")));
    let county = county.with_family(Vec::new()).with_applications(Vec::new());
    let advanced = advance(&county, &empty_list(tmp.path()), None, None).expect("advance");
    assert_eq!(advanced.applications_dropped, 0);
    assert!(advanced.files.get("family.csv").is_none());
    for lang in [Lang::Zh, Lang::En] {
        let text = advanced.terminal(lang);
        assert!(!text.contains("applications.csv") && !text.contains("family.csv"), "{text}");
    }
}
