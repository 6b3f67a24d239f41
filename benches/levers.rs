//! The levers search (`rotaplan levers`) on data/anze: hires, degree
//! upgrades and backbone designations at least cost, default costs and
//! budget (30 hires' worth).

use criterion::{criterion_group, criterion_main, Criterion};
use rotaplan::commands::hires::DEFAULT_SUBJECTS;
use rotaplan::commands::levers::{search, LeversOutcome};
use rotaplan::plan::PlanOptions;

fn levers(c: &mut Criterion) {
    let county = rotaplan::io::load(std::path::Path::new("data/anze"), None).expect("data/anze").county;
    let options = PlanOptions::default();
    let mut group = c.benchmark_group("levers_anze");
    group.sample_size(10);
    group.bench_function("max_30", |b| {
        b.iter(|| match search(&county, 30, None, &DEFAULT_SUBJECTS, &options).expect("runs") {
            LeversOutcome::Found(r) => r.cost,
            LeversOutcome::Infeasible(_) => panic!("data/anze has a plan"),
        })
    });
    group.finish();
}

criterion_group!(benches, levers);
criterion_main!(benches);
