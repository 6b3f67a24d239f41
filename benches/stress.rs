//! The speed suite on counties that need a rotation most (`synth
//! --stress`): ten Anze-size counties of mixed stress, five stressed
//! 120-school districts and one city of 400 schools. Each county is planned
//! once first and its stages' times printed (the README's table); criterion
//! then times whole plans. `ROTAPLAN_SUITE=counties|districts|city` runs one
//! part (all three by default; the city takes up to 10 min a plan);
//! `ROTAPLAN_SUITE_ONCE=1` prints the table without criterion's samples.

use criterion::{criterion_group, criterion_main, Criterion};
use rotaplan::commands::synth::{county_files_knobs, Knobs};
use rotaplan::domain::County;
use rotaplan::plan::{plan, Outcome, Plan, PlanOptions};

/// (name, seed, schools, stress, time limit in seconds).
type Case = (&'static str, u64, usize, f64, f64);

/// Ten Anze-size counties, stress 0.1 to 1.0.
const COUNTIES: [Case; 10] = [
    ("seed-1-stress-0.1", 1, 20, 0.1, 60.0),
    ("seed-2-stress-0.2", 2, 20, 0.2, 60.0),
    ("seed-3-stress-0.3", 3, 20, 0.3, 60.0),
    ("seed-4-stress-0.4", 4, 20, 0.4, 60.0),
    ("seed-5-stress-0.5", 5, 20, 0.5, 60.0),
    ("seed-6-stress-0.6", 6, 20, 0.6, 60.0),
    ("seed-7-stress-0.7", 7, 20, 0.7, 60.0),
    ("seed-8-stress-0.8", 8, 20, 0.8, 60.0),
    ("seed-9-stress-0.9", 9, 20, 0.9, 60.0),
    ("seed-10-stress-1.0", 10, 20, 1.0, 60.0),
];

/// Five 120-school districts at stress 0.6 (3–5 of 121 sections comply
/// before), each with the 60 s of the target.
const DISTRICTS: [Case; 5] = [
    ("district-121", 121, 120, 0.6, 60.0),
    ("district-122", 122, 120, 0.6, 60.0),
    ("district-123", 123, 120, 0.6, 60.0),
    ("district-124", 124, 120, 0.6, 60.0),
    ("district-125", 125, 120, 0.6, 60.0),
];

/// A city of 400 schools (about 16,800 teachers) at stress 0.5, 10 min.
const CITY: [Case; 1] = [("city-400", 400, 400, 0.5, 600.0)];

/// A synthetic county of the suite, loaded from a temporary folder.
fn county(&(_, seed, schools, stress, _): &Case) -> County {
    let dir = tempfile::tempdir().expect("temporary folder");
    let files = county_files_knobs(seed, schools, Knobs { stress, ..Knobs::default() });
    for name in files.names() {
        std::fs::write(dir.path().join(name), files.get(name).expect("named")).expect("writes");
    }
    rotaplan::io::load(dir.path(), None).expect("a synthetic county loads").county
}

/// One plan of a case.
fn planned(county: &County, limit: f64) -> Plan {
    let options = PlanOptions { time_limit: limit, ..Default::default() };
    match plan(county, Vec::new(), &options).expect("the solver runs") {
        Outcome::Planned(p) => p,
        Outcome::Infeasible(_) | Outcome::OutOfTime(_) => panic!("every county of the suite has a plan"),
    }
}

/// One line of the table: the case, its size, its figures and each stage's
/// seconds, status and gap.
fn table_line(case: &Case, county: &County, p: &Plan) {
    let stages: Vec<String> = p
        .stages
        .iter()
        .map(|s| {
            let status = s.status.map_or("not run", |st| st.word());
            if status == "optimal" {
                format!("{} {:.2}", s.stage.id(), s.seconds)
            } else {
                format!("{} {:.2} ({status}, gap {:.2} %)", s.stage.id(), s.seconds, 100.0 * s.gap)
            }
        })
        .collect();
    eprintln!(
        "| {} | {} schools, {} teachers, stress {} | compliant {} → {}, shortfall {} → {} | {:.1} s {} | {} |",
        case.0,
        county.schools.len(),
        county.teachers.len(),
        case.3,
        p.before.compliant(),
        p.after.compliant(),
        p.before.shortfall(),
        p.after.shortfall(),
        p.seconds,
        if p.proven_optimal() { "proven" } else { "not proven" },
        stages.join(", ")
    );
}

fn part(c: &mut Criterion, group: &str, cases: &[Case]) {
    let chosen = std::env::var("ROTAPLAN_SUITE").ok();
    if chosen.as_deref().is_some_and(|g| g != group) {
        return;
    }
    let loaded: Vec<(Case, County)> = cases.iter().map(|case| (*case, county(case))).collect();
    for (case, county) in &loaded {
        table_line(case, county, &planned(county, case.4));
    }
    if std::env::var_os("ROTAPLAN_SUITE_ONCE").is_some() {
        return;
    }
    let mut g = c.benchmark_group(group);
    g.sample_size(10);
    for (case, county) in &loaded {
        g.bench_function(case.0, |b| b.iter(|| planned(county, case.4).seconds));
    }
    g.finish();
}

fn suite(c: &mut Criterion) {
    part(c, "counties", &COUNTIES);
    part(c, "districts", &DISTRICTS);
    part(c, "city", &CITY);
}

criterion_group!(benches, suite);
criterion_main!(benches);
