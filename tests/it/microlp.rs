//! The pure-Rust backend (`--no-default-features --features microlp`) on a
//! tiny county, for machines without a C++ toolchain (issue 3).

use rotaplan::plan::{plan, Outcome, PlanOptions};

#[test]
fn pure_rust_backend_plans_tiny_county() {
    let tmp = tempfile::tempdir().unwrap();
    let tiny = crate::score::small_county(&tmp.path().join("tiny"));
    let county = rotaplan::io::load(&tiny, None).expect("tiny fixture loads").county;
    let outcome = plan(&county, Vec::new(), &PlanOptions { time_limit: 60.0, progress: None, ..Default::default() })
        .expect("solver runs");
    let Outcome::Planned(p) = outcome else { panic!("the tiny county has a plan") };
    assert!(p.moves.len() as u32 >= p.required_moves);
    assert!(p.after.compliant() >= p.before.compliant());
    assert!(p.proven_optimal(), "microlp proves every stage of the tiny county");
    let verdict = rotaplan::rules::audit::audit(&county, &crate::plan::proposals(&county, &p));
    assert!(
        verdict.violations.is_empty(),
        "the auditor rejects the pure-Rust plan:\n{}",
        crate::plan::listing(&verdict.violations)
    );
}
