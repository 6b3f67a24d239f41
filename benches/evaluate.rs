//! Loading and evaluating a synthetic province (~6,850 schools, ~300,000
//! teachers): reading the CSV files, validating, and computing every figure.

use criterion::{criterion_group, criterion_main, Criterion};

fn province(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("temporary folder");
    rotaplan::commands::synth::write_county(dir.path(), 7, 6_850).expect("synthetic province");
    let mut group = c.benchmark_group("province");
    group.sample_size(10);
    group.bench_function("load", |b| b.iter(|| rotaplan::io::load(dir.path(), None).expect("loads")));
    let county = rotaplan::io::load(dir.path(), None).expect("loads").county;
    eprintln!("province: {} schools, {} teachers", county.schools.len(), county.teachers.len());
    group.bench_function("evaluate", |b| b.iter(|| rotaplan::rules::evaluation::evaluate_county(&county)));
    group.bench_function("load_and_evaluate", |b| {
        b.iter(|| {
            let county = rotaplan::io::load(dir.path(), None).expect("loads").county;
            rotaplan::rules::evaluation::evaluate_county(&county)
        })
    });
    group.finish();
}

criterion_group!(benches, province);
criterion_main!(benches);
