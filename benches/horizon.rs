//! `plan --horizon 2`: this year and next year planned jointly, on the
//! committed Anze sample (proven optimal) and on a synthetic 120-school
//! district with a 120 s limit.

use criterion::{criterion_group, criterion_main, Criterion};
use rotaplan::plan::horizon::{plan_two_years, HorizonOutcome};
use rotaplan::plan::PlanOptions;

fn report(outcome: HorizonOutcome) {
    match outcome {
        HorizonOutcome::Planned(two) => eprintln!(
            "this year: gap {:?} optimal {}; next year: gap {:?} optimal {}; {:.1} s",
            two.this.gap(),
            two.this.proven_optimal(),
            two.next.gap(),
            two.next.proven_optimal(),
            two.this.seconds
        ),
        HorizonOutcome::Infeasible(_) | HorizonOutcome::OutOfTime(_) => panic!("the county has a two-year plan"),
    }
}

fn anze(c: &mut Criterion) {
    let county = rotaplan::io::load(std::path::Path::new("data/anze"), None).expect("data/anze loads").county;
    let mut group = c.benchmark_group("horizon_anze");
    group.sample_size(10);
    group.bench_function("plan_two_years", |b| {
        b.iter(|| report(plan_two_years(&county, &PlanOptions::default()).expect("solves")))
    });
    group.finish();
}

fn district(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("temporary folder");
    rotaplan::commands::synth::write_county(dir.path(), 120, 120).expect("synthetic district");
    let county = rotaplan::io::load(dir.path(), None).expect("loads").county;
    let mut group = c.benchmark_group("horizon_district");
    group.sample_size(10);
    group.bench_function("plan_two_years_120s", |b| {
        b.iter(|| {
            let options = PlanOptions { time_limit: 120.0, ..Default::default() };
            report(plan_two_years(&county, &options).expect("solves"))
        })
    });
    group.finish();
}

criterion_group!(benches, anze, district);
criterion_main!(benches);
