//! Eight what-if scenarios on data/anze, solved in parallel (rayon) against
//! one after another.

use std::path::PathBuf;

use criterion::{criterion_group, criterion_main, Criterion};
use rotaplan::plan::PlanOptions;
use rotaplan::render::Lang;

fn scenarios(dir: &std::path::Path) -> Vec<PathBuf> {
    let data = std::fs::canonicalize("data/anze").expect("data/anze");
    let bodies = [
        String::new(),
        "[policy]\nrotation = { min_share = 0.12, max_share = 0.12 }\n".into(),
        "[policy]\nrotation = { backbone_min_share = 0.30 }\n".into(),
        "[policy]\nmovement = { max_distance_km = 30 }\n".into(),
        "[[hire]]\nsection = \"primary\"\nsubject = \"pe\"\ndegree = \"bachelor\"\ncount = 6\n".into(),
        "[[close]]\nschool_id = \"AZ-T01\"\nmerge_into = \"AZ-P04\"\n".into(),
        "[[enrollment]]\nschool_id = \"AZ-P02\"\nprimary_students = 1850\nprimary_classes = 40\n".into(),
        "[[retire]]\nteacher_id = \"T0515\"\n[[retire]]\nteacher_id = \"T0516\"\n".into(),
    ];
    bodies
        .iter()
        .enumerate()
        .map(|(i, body)| {
            let path = dir.join(format!("s{i}.toml"));
            std::fs::write(&path, format!("data = {:?}\n{body}", data.display().to_string())).expect("scenario");
            path
        })
        .collect()
}

fn whatif(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("temporary folder");
    let paths = scenarios(dir.path());
    let options = PlanOptions::default();
    let mut group = c.benchmark_group("whatif_anze_8");
    group.sample_size(10);
    group.bench_function("parallel", |b| {
        b.iter(|| rotaplan::commands::whatif::run(&paths, &options, true, Lang::Zh).expect("runs"))
    });
    group.bench_function("sequential", |b| {
        b.iter(|| rotaplan::commands::whatif::run(&paths, &options, false, Lang::Zh).expect("runs"))
    });
    group.finish();
}

criterion_group!(benches, whatif);
criterion_main!(benches);
