//! The crate root's front door (issue 12): a caller reads, plans, writes,
//! reads the list back and judges it through the re-exported names alone.

use rotaplan::{audit, evaluate_county, load, plan, plan_files, read_plan_list, score, Lang, Outcome, PlanOptions};

#[test]
fn a_plan_round_trips_through_the_front_door() {
    let loaded = load("data/anze".as_ref(), None).expect("data/anze loads");
    let county = &loaded.county;
    let before = evaluate_county(county);
    assert!(before.eligible > 0, "Anze has teachers who may rotate");
    let options = PlanOptions { time_limit: 60.0, ..Default::default() };
    let Outcome::Planned(planned) = plan(county, Vec::new(), &options).expect("plan runs") else {
        panic!("Anze has a plan");
    };
    assert!(!planned.moves.is_empty(), "Anze's plan moves someone");

    let files = plan_files(county, &planned, Lang::En).expect("files");
    let dir = tempfile::tempdir().unwrap();
    let list = dir.path().join("rotations.csv");
    std::fs::write(&list, files.get("rotations.csv").expect("the plan writes rotations.csv")).unwrap();
    let moves = read_plan_list(&list).expect("the written list reads back");
    assert_eq!(moves.len(), planned.moves.len());

    let verdict = audit(county, &moves);
    assert!(verdict.violations.is_empty(), "the planned moves keep every rule: {:?}", verdict.violations);
    assert_eq!(verdict.eligible, before.eligible);
    let report = score(county, &moves, &options).expect("score runs");
    assert!(report.edited.violations.is_empty());
}
