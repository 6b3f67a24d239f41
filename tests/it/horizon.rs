//! `plan --horizon 2`: this year's and next year's rotations planned
//! jointly. The auditor checks this year on the county and next year on the
//! county advanced by this year's plan.

use std::collections::BTreeSet;
use std::path::Path;

use rotaplan::domain::County;
use rotaplan::plan::horizon::{after_moves, next_year_county, plan_two_years, HorizonOutcome, TwoYears};
use rotaplan::plan::{Plan, PlanOptions};
use rotaplan::rules::audit::{audit, Audit};
use rotaplan::rules::eligibility::is_eligible;
use rotaplan::solve::StageStatus;

use crate::plan::{listing, proposals};

fn anze() -> County {
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("data").join("anze");
    rotaplan::io::load(&data, None).expect("data/anze loads").county
}

pub(crate) fn two_years(county: &County, what: &str) -> TwoYears {
    let options = PlanOptions { time_limit: 600.0, ..Default::default() };
    match plan_two_years(county, &options).expect("two-year plan runs") {
        HorizonOutcome::Planned(two) => two,
        HorizonOutcome::Infeasible(d) => panic!("{what}: no two-year plan: {:#?}", d.conflicts),
        HorizonOutcome::OutOfTime(_) => panic!("{what}: out of time"),
    }
}

/// The auditor's verdict on one year's plan: no violation, and the figures
/// and E of the plan are the auditor's.
fn audit_year(county: &County, plan: &Plan, what: &str) -> Audit {
    let verdict = audit(county, &proposals(county, plan));
    assert!(verdict.violations.is_empty(), "{what}: the auditor rejects the plan:\n{}", listing(&verdict.violations));
    assert_eq!(verdict.moves, plan.moves.len(), "{what}: every move changes a school");
    assert_eq!(verdict.eligible, plan.eligible, "{what}: E");
    assert_eq!(plan.after, verdict.after, "{what}: figures after the plan");
    verdict
}

/// Both years audited: this year on the county, next year on the county
/// advanced by this year's plan.
pub(crate) fn audit_both(county: &County, two: &TwoYears, what: &str) -> (Audit, Audit) {
    let first = audit_year(county, &two.this, &format!("{what}, this year"));
    let next = after_moves(county, &next_year_county(county), &two.this.moves);
    assert_eq!(next.teachers, two.next_county.teachers, "{what}: next year's county");
    let second = audit_year(&next, &two.next, &format!("{what}, next year"));
    (first, second)
}

#[test]
fn anze_two_years_pass_the_auditor_and_are_proven_optimal() {
    let county = anze();
    let two = two_years(&county, "data/anze");
    let (first, second) = audit_both(&county, &two, "data/anze");
    assert!(first.moves > 0 && second.moves > 0, "both years move teachers");
    for plan in [&two.this, &two.next] {
        assert_eq!(plan.stages.len(), 4, "three stages of the year and the distance");
        for stage in &plan.stages {
            assert_eq!(stage.status, Some(StageStatus::Optimal), "stage {}", stage.stage.id());
        }
    }
    // A teacher who moves this year does not move next year.
    let this_year: BTreeSet<&str> = two.this.moves.iter().map(|m| county.teachers[m.teacher].id.as_str()).collect();
    for m in &two.next.moves {
        assert!(!this_year.contains(two.next_county.teachers[m.teacher].id.as_str()), "moved twice");
    }
}

#[test]
fn next_years_required_moves_follow_next_years_eligible_count() {
    let county = anze();
    let two = two_years(&county, "data/anze");
    let static_next = next_year_county(&county);
    let eligible_static = static_next.teachers.iter().filter(|t| is_eligible(t, &static_next.policy)).count();
    let movers_eligible = two
        .this
        .moves
        .iter()
        .filter(|m| {
            let id = &county.teachers[m.teacher].id;
            static_next.teachers.iter().any(|t| &t.id == id && is_eligible(t, &static_next.policy))
        })
        .count();
    assert!(movers_eligible > 0, "some of this year's movers would be eligible next year");
    assert_eq!(two.next.eligible, eligible_static - movers_eligible, "E₂ = static E₂ − eligible movers");
    let policy = &county.policy;
    assert_eq!(two.next.required_moves, policy.required_moves(two.next.eligible));
    let moves = two.next.moves.len() as u32;
    assert!(moves >= two.next.required_moves && moves <= policy.max_moves(two.next.eligible));
}
