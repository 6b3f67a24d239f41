//! Planning: the committed Anze sample (with and without its applications),
//! and a synthetic 120-school district
//! (~5,000 teachers) with a 55 s limit, so that the whole plan ends within
//! 60 s. Model building and solving are timed separately from loading.

use criterion::{criterion_group, criterion_main, Criterion};
use rotaplan::model::{Fixed, Instance, Stage};
use rotaplan::plan::{plan, Outcome, PlanOptions};

fn anze(c: &mut Criterion) {
    let county = rotaplan::io::load(std::path::Path::new("data/anze"), None).expect("data/anze loads").county;
    let mut group = c.benchmark_group("anze");
    group.sample_size(10);
    group.bench_function("build_models", |b| {
        b.iter(|| {
            let inst = Instance::new(&county, Vec::new());
            Stage::ALL.map(|s| inst.build(s, &Fixed::default()).constraints.len())
        })
    });
    group.bench_function("plan", |b| {
        b.iter(|| match plan(&county, Vec::new(), &PlanOptions::default()).expect("solves") {
            Outcome::Planned(p) => assert!(p.proven_optimal()),
            Outcome::Infeasible(_) | Outcome::OutOfTime(_) => panic!("anze has a plan"),
        })
    });
    // The same county without its applications.csv: the four stages alone.
    let without = county.clone().with_applications(Vec::new());
    group.bench_function("plan_without_applications", |b| {
        b.iter(|| match plan(&without, Vec::new(), &PlanOptions::default()).expect("solves") {
            Outcome::Planned(p) => assert!(p.proven_optimal()),
            Outcome::Infeasible(_) | Outcome::OutOfTime(_) => panic!("anze has a plan"),
        })
    });
    group.finish();
}

fn district(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("temporary folder");
    rotaplan::commands::synth::write_county(dir.path(), 120, 120).expect("synthetic district");
    let county = rotaplan::io::load(dir.path(), None).expect("loads").county;
    eprintln!("district: {} schools, {} teachers", county.schools.len(), county.teachers.len());
    let mut group = c.benchmark_group("district");
    group.sample_size(10);
    group.bench_function("plan_55s", |b| {
        b.iter(|| {
            let options = PlanOptions { time_limit: 55.0, progress: None, ..Default::default() };
            match plan(&county, Vec::new(), &options).expect("solves") {
                Outcome::Planned(p) => eprintln!("gap {:?} optimal {} {:.1} s", p.gap(), p.proven_optimal(), p.seconds),
                Outcome::Infeasible(_) | Outcome::OutOfTime(_) => panic!("the district has a plan"),
            }
        })
    });
    group.finish();
}

criterion_group!(benches, anze, district);
criterion_main!(benches);
