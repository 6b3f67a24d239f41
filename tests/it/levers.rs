//! Levers besides moves (issue 15 item 7): a scenario's `[[upgrade]]` and
//! `[[designate]]` entries, their validation, and the `levers` search.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use rotaplan::domain::changes::Lever;
use rotaplan::domain::County;
use rotaplan::error::Error;
use rotaplan::io::scenario::{lever_candidates, load_scenario, Scenario};

use crate::score::small_county;

fn rotaplan() -> Command {
    Command::cargo_bin("rotaplan").unwrap()
}

/// The tiny county and a scenario on it with `body`.
fn scenario_file(dir: &Path, body: &str) -> PathBuf {
    small_county(&dir.join("county"));
    let path = dir.join("levers.toml");
    std::fs::write(&path, format!("data = \"county\"\n{body}")).unwrap();
    path
}

fn base(dir: &Path) -> County {
    small_county(&dir.join("county"));
    crate::common::load_ok(&dir.join("county")).county
}

fn load(body: &str) -> (County, Result<Scenario, Error>) {
    let tmp = tempfile::tempdir().unwrap();
    let county = base(tmp.path());
    let path = scenario_file(tmp.path(), body);
    (county, load_scenario(&path))
}

/// The English text of every problem of a failed load.
fn problems(result: Result<Scenario, Error>) -> String {
    match result {
        Err(Error::Input(list)) => {
            list.iter().map(|p| format!("{}: {}", p.column, p.message)).collect::<Vec<_>>().join("\n")
        }
        Err(other) => panic!("not an input problem: {other:?}"),
        Ok(_) => panic!("the scenario loaded"),
    }
}

/// A school with at least `n` candidates for `lever`, and its candidates.
fn school_with(county: &County, lever: Lever, n: usize) -> (String, Vec<usize>) {
    county
        .schools
        .iter()
        .map(|s| (s.id.clone(), lever_candidates(county, lever, &s.id)))
        .find(|(_, c)| c.len() >= n)
        .expect("a school with candidates")
}

#[test]
fn named_teachers_are_upgraded_and_designated() {
    let tmp = tempfile::tempdir().unwrap();
    let county = base(tmp.path());
    let (_, up) = school_with(&county, Lever::Upgrade, 1);
    let (_, des) = school_with(&county, Lever::Designate, 1);
    let (u, d) = (&county.teachers[up[0]].id, &county.teachers[des[0]].id);
    let body = format!("[[upgrade]]\nteachers = [\"{u}\"]\n[[designate]]\nteachers = [\"{d}\"]\n");
    let s = load_scenario(&scenario_file(tmp.path(), &body)).unwrap();
    let after = |id: &str| s.county.teachers.iter().find(|t| t.id == id).unwrap().clone();
    assert!(after(u).degree.is_higher_for(after(u).level));
    assert!(after(d).backbone.is_backbone());
    assert_eq!(s.levers.len(), 2);
    assert_eq!(s.levers[0].teacher_ids, vec![u.clone()]);
    assert_eq!(s.levers[1].lever, Lever::Designate);
    // Nobody else changed.
    let changed = county.teachers.iter().zip(&s.county.teachers).filter(|(a, b)| a != b).count();
    assert_eq!(changed, if u == d { 1 } else { 2 });
}

#[test]
fn a_school_count_takes_teachers_who_stay_first_then_by_id() {
    let tmp = tempfile::tempdir().unwrap();
    let county = base(tmp.path());
    let (school, candidates) = school_with(&county, Lever::Upgrade, 2);
    // The documented order: not eligible to rotate first, then by id.
    let key = |&i: &usize| {
        let t = &county.teachers[i];
        (rotaplan::rules::eligibility::is_eligible_with(t, &county.policy, county.exchange_of(&t.id)), t.id.clone())
    };
    let mut sorted = candidates.clone();
    sorted.sort_by_key(key);
    assert_eq!(sorted, candidates);
    assert!(candidates.iter().all(|&i| county.teachers[i].full_time && county.teachers[i].school_id == school));
    let body = format!("[[upgrade]]\nschool = \"{school}\"\ncount = 2\n");
    let s = load_scenario(&scenario_file(tmp.path(), &body)).unwrap();
    let expected: Vec<String> = candidates[..2].iter().map(|&i| county.teachers[i].id.clone()).collect();
    assert_eq!(s.levers[0].teacher_ids, expected);
    assert_eq!(s.levers[0].school.as_deref(), Some(school.as_str()));
    let upgraded =
        s.county.teachers.iter().filter(|t| expected.contains(&t.id)).all(|t| t.degree.is_higher_for(t.level));
    assert!(upgraded);
}

#[test]
fn an_unknown_teacher_is_named() {
    let (_, result) = load("[[upgrade]]\nteachers = [\"T9999\"]\n");
    let text = problems(result);
    assert!(text.contains("upgrade[0].teachers: no teacher \"T9999\""), "{text}");
}

#[test]
fn a_teacher_who_already_has_it_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let county = base(tmp.path());
    let graduate = county.teachers.iter().find(|t| Lever::Upgrade.has(t)).unwrap().id.clone();
    let backbone = county.teachers.iter().find(|t| Lever::Designate.has(t)).unwrap().id.clone();
    let body = format!("[[upgrade]]\nteachers = [\"{graduate}\"]\n[[designate]]\nteachers = [\"{backbone}\"]\n");
    let text = problems(load_scenario(&scenario_file(tmp.path(), &body)));
    assert!(text.contains(&format!("upgrade[0].teachers: teacher {graduate} already has a higher degree")), "{text}");
    assert!(
        text.contains(&format!("designate[0].teachers: teacher {backbone} is already a backbone teacher")),
        "{text}"
    );
}

#[test]
fn a_teacher_named_twice_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let county = base(tmp.path());
    let (_, up) = school_with(&county, Lever::Upgrade, 1);
    let id = &county.teachers[up[0]].id;
    let body = format!("[[upgrade]]\nteachers = [\"{id}\"]\n[[upgrade]]\nteachers = [\"{id}\"]\n");
    let text = problems(load_scenario(&scenario_file(tmp.path(), &body)));
    assert!(text.contains(&format!("upgrade[1].teachers: teacher {id} is named twice")), "{text}");
}

#[test]
fn a_count_larger_than_possible_gives_the_range() {
    let tmp = tempfile::tempdir().unwrap();
    let county = base(tmp.path());
    let (school, candidates) = school_with(&county, Lever::Designate, 1);
    let n = candidates.len();
    let body = format!("[[designate]]\nschool = \"{school}\"\ncount = {}\n", n + 1);
    let text = problems(load_scenario(&scenario_file(tmp.path(), &body)));
    assert!(text.contains(&format!("designate[0].count: school {school} has {n} full-time teachers who are not backbone teachers; give a count from 1 to {n}")), "{text}");
    let (_, zero) = load(&format!("[[designate]]\nschool = \"{school}\"\ncount = 0\n"));
    assert!(problems(zero).contains("give a count from 1 to"));
}

#[test]
fn an_entry_needs_one_of_the_two_forms() {
    let (_, both) = load("[[upgrade]]\nteachers = [\"T0001\"]\nschool = \"X\"\ncount = 1\n");
    assert!(problems(both).contains("upgrade[0]: give either teachers"));
    let (_, neither) = load("[[designate]]\ncount = 1\n");
    assert!(problems(neither).contains("designate[0]: give either teachers"));
    let (_, school) = load("[[designate]]\nschool = \"NOPE\"\ncount = 1\n");
    assert!(problems(school).contains("designate[0].school: no school \"NOPE\""));
}

#[test]
fn a_bad_lever_exits_2_through_whatif_in_both_languages() {
    for (lang, expected) in [("en", "no teacher \"T9999\""), ("zh", "没有教师「T9999」")] {
        let tmp = tempfile::tempdir().unwrap();
        let path = scenario_file(tmp.path(), "[[designate]]\nteachers = [\"T9999\"]\n");
        let out = tmp.path().join("out");
        rotaplan()
            .args(["--lang", lang, "whatif"])
            .arg(&path)
            .arg("-o")
            .arg(&out)
            .assert()
            .code(2)
            .stderr(predicates::str::contains(expected));
        assert!(!out.exists());
    }
}

#[test]
fn whatif_names_the_chosen_teachers_in_the_comparison() {
    let tmp = tempfile::tempdir().unwrap();
    let county = base(tmp.path());
    let (school, candidates) = school_with(&county, Lever::Upgrade, 1);
    let body = format!("[[upgrade]]\nschool = \"{school}\"\ncount = 1\n");
    let path = scenario_file(tmp.path(), &body);
    let out = tmp.path().join("out");
    rotaplan().args(["-q", "--lang", "en", "whatif"]).arg(&path).arg("-o").arg(&out).assert().success();
    let text = std::fs::read_to_string(out.join("comparison.csv")).unwrap();
    let mut lines = text.trim_start_matches('\u{feff}').lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let row: Vec<&str> = lines.next().unwrap().split(',').collect();
    let col = |name: &str| row[header.iter().position(|h| *h == name).unwrap()];
    assert_eq!(col("upgrades"), "1");
    assert_eq!(col("upgraded_teachers"), county.teachers[candidates[0]].id);
    assert_eq!(col("designations"), "0");
    let html = std::fs::read_to_string(out.join("comparison.html")).unwrap();
    assert!(html.contains(&county.teachers[candidates[0]].id));
}
