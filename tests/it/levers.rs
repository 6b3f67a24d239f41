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

// ----- the levers search ------------------------------------------------------

use rotaplan::commands::hires::{self, HiresOutcome, DEFAULT_SUBJECTS};
use rotaplan::commands::levers::{self as search_levers, LeversOutcome, LeversSearch};
use rotaplan::domain::changes::ProposedMove;
use rotaplan::domain::{Degree, Level};
use rotaplan::plan::{plan, Outcome, Plan, PlanOptions};

/// Hires considered in the tests' searches.
const MAX: u32 = 8;

/// Writes `county` as a data folder at `dir`.
fn write_county(county: &County, dir: &Path) {
    let files = rotaplan::render::data_folder::county_files(county);
    std::fs::create_dir_all(dir).unwrap();
    for name in files.names() {
        std::fs::write(dir.join(name), files.get(name).unwrap()).unwrap();
    }
}

/// The tiny county with the higher-degree teachers who may not rotate this
/// year brought down to the lowest degree, in every counted section, until
/// the section is just below 85 % of its higher-degree standard (or has no
/// such teacher left): the county as a whole lacks degrees, so neither the
/// rotation nor a few hires can make every section comply, and the lowered
/// teachers, who stay, can be upgraded back. Written to `dir/county` and
/// read back.
fn short_of_degrees(dir: &Path) -> County {
    let mut county = base(dir);
    let figures = rotaplan::rules::indicators::evaluate(&county);
    let stays: Vec<bool> = county
        .teachers
        .iter()
        .map(|t| !rotaplan::rules::eligibility::is_eligible_with(t, &county.policy, county.exchange_of(&t.id)))
        .collect();
    for s in figures.sections.iter().filter(|s| s.counted && s.thresholds[0].floor85 > 0) {
        let id = county.schools[s.school].id.clone();
        let mut excess = s.counts.indicator[0].saturating_sub(s.thresholds[0].floor85 - 1);
        for (i, t) in county.teachers.iter_mut().enumerate() {
            if excess > 0 && t.school_id == id && t.level == s.level && t.full_time && Lever::Upgrade.has(t) && stays[i]
            {
                t.degree = match s.level {
                    Level::Primary => Degree::Secondary,
                    Level::Junior => Degree::Associate,
                };
                excess -= 1;
            }
        }
    }
    let folder = dir.join("county");
    std::fs::remove_dir_all(&folder).unwrap();
    write_county(&county, &folder);
    crate::common::load_ok(&folder).county
}

fn options() -> PlanOptions<'static> {
    PlanOptions { time_limit: 120.0, ..Default::default() }
}

fn levers_of(county: &County, budget: Option<u64>) -> LeversSearch {
    match search_levers::search(county, MAX, budget, &DEFAULT_SUBJECTS, &options()).unwrap() {
        LeversOutcome::Found(r) => r,
        LeversOutcome::Infeasible(_) => panic!("the tiny county has a plan"),
    }
}

fn hires_of(county: &County) -> hires::HiresSearch {
    match hires::search(county, MAX, &DEFAULT_SUBJECTS, &options()).unwrap() {
        HiresOutcome::Found(r) => r,
        HiresOutcome::Infeasible(_) => panic!("the tiny county has a plan"),
    }
}

/// The hires search's score of a plan: compliant sections plus CVs within their limits.
fn score(county: &County, plan: &Plan) -> usize {
    let within = plan
        .after
        .cv
        .iter()
        .filter(|((level, ind), c)| {
            matches!(ind, rotaplan::rules::indicators::Indicator::Teacher(_))
                && c.value.is_some_and(|v| v <= rotaplan::exact::to_f64(&county.policy.standards.cv_limit.get(*level)))
        })
        .count();
    plan.after.compliant() + within
}

#[test]
fn levers_with_prohibitive_upgrades_and_designations_equal_hires() {
    let tmp = tempfile::tempdir().unwrap();
    let mut county = short_of_degrees(tmp.path());
    county.policy.levers.upgrade = 1_000_000;
    county.policy.levers.designate = 1_000_000;
    let hired = hires_of(&county);
    let levers = levers_of(&county, None);
    assert!(hired.hires > 0, "the county needs hires");
    assert_eq!((levers.count(Lever::Upgrade), levers.count(Lever::Designate)), (0, 0));
    assert_eq!(levers.hires, hired.hires);
    assert_eq!(levers.cost, u64::from(hired.hires) * u64::from(county.policy.levers.hire));
    assert_eq!(levers.budget, u64::from(MAX) * u64::from(county.policy.levers.hire));
    assert_eq!(levers.target_reached, hired.target_reached);
    assert!(levers.minimal && hired.minimal);
    assert_eq!(levers.plan.after.compliant(), hired.plan.after.compliant());
    assert_eq!(score(&levers.county, &levers.plan), score(&county, &hired.plan));
    assert_eq!(levers.county.teachers, county.teachers, "no teacher changed");
}

#[test]
fn an_upgrade_cheaper_than_a_hire_is_chosen() {
    let tmp = tempfile::tempdir().unwrap();
    let county = short_of_degrees(tmp.path());
    let p = &county.policy.levers;
    assert!(p.upgrade < p.hire, "the default upgrade costs less than a hire");
    let hired = hires_of(&county);
    let levers = levers_of(&county, None);
    assert!(hired.hires > 0);
    assert!(levers.minimal);
    // At least as good, and for less when only as good.
    let (mine, theirs) = (score(&levers.county, &levers.plan), score(&county, &hired.plan));
    assert!(mine >= theirs, "{mine} < {theirs}");
    if mine == theirs {
        assert!(levers.cost < u64::from(hired.hires) * u64::from(p.hire), "{} vs {} hires", levers.cost, hired.hires);
    }
    assert!(levers.count(Lever::Upgrade) > 0, "upgrades are chosen");
    // The upgraded teachers lacked the degree, stay in their section, and have it now.
    let moved: Vec<usize> = levers.plan.moves.iter().map(|m| m.teacher).collect();
    for g in levers.grants.iter().filter(|g| g.lever == Lever::Upgrade) {
        for id in &g.teacher_ids {
            let before = county.teachers.iter().find(|t| &t.id == id).unwrap();
            assert!(!Lever::Upgrade.has(before) && before.school_id == county.schools[g.school].id);
            assert_eq!(before.level, g.level);
            let t = levers.county.teachers.iter().position(|t| &t.id == id).unwrap();
            assert!(Lever::Upgrade.has(&levers.county.teachers[t]) && !moved.contains(&t));
        }
    }
    // The cost is what the lines say.
    let lines = search_levers::lines(&levers);
    assert_eq!(lines.iter().map(|l| l.cost).sum::<u64>(), levers.cost);
}

/// The levers written as a scenario (the teachers by name, the hires by
/// kind for the optimizer to place) and planned: an independent check that
/// the sections the search says comply can comply, and the search's own
/// plan keeps every hard rule by the auditor.
#[test]
fn the_levers_applied_as_a_scenario_reach_the_claimed_sections() {
    let tmp = tempfile::tempdir().unwrap();
    let county = short_of_degrees(tmp.path());
    let levers = levers_of(&county, None);
    let moves: Vec<ProposedMove> = levers
        .plan
        .moves
        .iter()
        .map(|m| {
            ProposedMove::new(levers.county.teachers[m.teacher].id.clone(), levers.county.schools[m.to].id.clone())
        })
        .collect();
    let audit = rotaplan::rules::audit::audit(&levers.county, &moves);
    assert!(levers.plan.hires.is_empty() == levers.plan.hire_groups.is_empty());
    if levers.plan.hires.is_empty() {
        assert!(audit.is_valid(), "{:?}", audit.violations);
    }
    let mut body = String::from("data = \"county\"\n");
    for g in &levers.grants {
        let ids: Vec<String> = g.teacher_ids.iter().map(|id| format!("\"{id}\"")).collect();
        body.push_str(&format!("[[{}]]\nteachers = [{}]\n", g.lever.id(), ids.join(", ")));
    }
    for h in &levers.plan.hires {
        let g = &levers.plan.hire_groups[h.group];
        body.push_str(&format!(
            "[[hire]]\nsection = \"{}\"\nsubject = \"{}\"\ndegree = \"{}\"\nbackbone = \"{}\"\ncount = 1\n",
            g.level.word(),
            g.subject.word(),
            g.degree.word(),
            g.backbone.word()
        ));
    }
    let path = tmp.path().join("applied.toml");
    std::fs::write(&path, body).unwrap();
    let scenario = load_scenario(&path).unwrap();
    assert_eq!(scenario.county.teachers, levers.county.teachers, "the scenario makes the same teachers");
    let Outcome::Planned(planned) = plan(&scenario.county, scenario.hires.clone(), &options()).unwrap() else {
        panic!("the scenario has a plan")
    };
    assert!(planned.after.compliant() >= levers.plan.after.compliant());
    assert_eq!(planned.hires.len() as u32, levers.hires);
}

#[test]
fn levers_writes_its_files_in_chinese_by_default() {
    let tmp = tempfile::tempdir().unwrap();
    short_of_degrees(tmp.path());
    let out = tmp.path().join("out");
    rotaplan()
        .args(["-q", "levers"])
        .arg(tmp.path().join("county"))
        .arg("-o")
        .arg(&out)
        .args(["--max", "8"])
        .assert()
        .success();
    let csv = std::fs::read_to_string(out.join("levers.csv")).unwrap();
    assert!(
        csv.starts_with("\u{feff}at_school,section,lever,subject,degree,backbone,count,teachers,cost,reason"),
        "{csv}"
    );
    assert!(csv.contains(",upgrade,") && csv.contains("该学段达标"), "{csv}");
    let summary: serde_json::Value = serde_json::from_slice(&std::fs::read(out.join("summary.json")).unwrap()).unwrap();
    let search = &summary["levers_search"];
    assert_eq!(search["budget"], 800);
    assert!(search["upgrades"].as_u64().unwrap() >= 1);
    assert_eq!(search["minimal"], true);
    let report = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(report.contains("交流以外的措施"));
    use calamine::Reader;
    let book: calamine::Xlsx<_> = calamine::open_workbook(out.join("plan.xlsx")).unwrap();
    assert!(book.sheet_names().contains(&"措施".to_string()));
}

#[test]
fn a_bad_budget_or_cost_exits_2() {
    let tmp = tempfile::tempdir().unwrap();
    small_county(&tmp.path().join("county"));
    rotaplan()
        .args(["--lang", "en", "levers"])
        .arg(tmp.path().join("county"))
        .arg("-o")
        .arg(tmp.path().join("out"))
        .args(["--budget", "-1"])
        .assert()
        .code(2);
    let path = scenario_file(tmp.path(), "[policy]\nlevers = { upgrade = 0 }\n");
    let text = problems(load_scenario(&path));
    assert!(text.contains("policy.levers.upgrade") && text.contains("from 1 to 1000000"), "{text}");
}
