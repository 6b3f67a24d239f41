//! Re-planning after 3 refusals: the committed Anze sample, and a synthetic
//! 120-school district (as in benches/plan.rs) with a 55 s limit. The
//! published list is each county's own plan; the three refusals are its
//! first three movers.

use criterion::{criterion_group, criterion_main, Criterion};
use rotaplan::domain::changes::ProposedMove;
use rotaplan::domain::{County, LockAction};
use rotaplan::io::{Change, ChangeAction};
use rotaplan::plan::replan::{replan, ReplanOutcome};
use rotaplan::plan::{plan, Outcome, PlanOptions};

/// The county's plan as published, and three refusals of it.
fn published(county: &County, time_limit: f64) -> (Vec<ProposedMove>, Vec<Change>) {
    let options = PlanOptions { time_limit, ..Default::default() };
    let Outcome::Planned(p) = plan(county, Vec::new(), &options).expect("solves") else { panic!("a plan") };
    let list: Vec<ProposedMove> = p
        .moves
        .iter()
        .map(|m| ProposedMove::new(county.teachers[m.teacher].id.clone(), county.schools[m.to].id.clone()))
        .collect();
    let refusals = list
        .iter()
        .take(3)
        .map(|m| Change {
            teacher_id: m.teacher_id.clone(),
            action: ChangeAction::Lock(LockAction::Stay),
            school_id: None,
            note: String::new(),
        })
        .collect();
    (list, refusals)
}

fn run(county: &County, list: &[ProposedMove], refusals: &[Change], time_limit: f64) {
    let options = PlanOptions { time_limit, ..Default::default() };
    match replan(county, list, refusals, 0, &options).expect("solves") {
        ReplanOutcome::Replanned(r) => eprintln!(
            "N* {} proven {} changes {} plan optimal {} {:.1} s",
            r.fewest.changes,
            r.fewest.proven,
            r.changes.len(),
            r.plan.proven_optimal(),
            r.plan.seconds
        ),
        ReplanOutcome::Infeasible(_) | ReplanOutcome::OutOfTime(_) => panic!("a replanned list"),
    }
}

fn anze(c: &mut Criterion) {
    let county = rotaplan::io::load(std::path::Path::new("data/anze"), None).expect("data/anze loads").county;
    let (list, refusals) = published(&county, 600.0);
    let mut group = c.benchmark_group("replan_anze");
    group.sample_size(10);
    group.bench_function("three_refusals", |b| b.iter(|| run(&county, &list, &refusals, 600.0)));
    group.finish();
}

fn district(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("temporary folder");
    rotaplan::commands::synth::write_county(dir.path(), 120, 120).expect("synthetic district");
    let county = rotaplan::io::load(dir.path(), None).expect("loads").county;
    let (list, refusals) = published(&county, 55.0);
    let mut group = c.benchmark_group("replan_district");
    group.sample_size(10);
    group.bench_function("three_refusals_55s", |b| b.iter(|| run(&county, &list, &refusals, 55.0)));
    group.finish();
}

criterion_group!(benches, anze, district);
criterion_main!(benches);
