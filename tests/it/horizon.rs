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

use crate::plan::{county, listing, proposals, school, teacher};

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
/// advanced by this year's plan as `rotaplan advance` does it
/// (`rules::next_year`, not the two-year plan's own reading).
pub(crate) fn audit_both(county: &County, two: &TwoYears, what: &str) -> (Audit, Audit) {
    let first = audit_year(county, &two.this, &format!("{what}, this year"));
    let moves = proposals(county, &two.this);
    let returns: Vec<String> = two.this.returns.iter().map(|r| county.teachers[r.teacher].id.clone()).collect();
    let next = rotaplan::rules::next_year::next_year(county, &moves, &returns, &[]).county;
    let ids: Vec<&str> = next.teachers.iter().map(|t| t.id.as_str()).collect();
    let planned: Vec<&str> = two.next_county.teachers.iter().map(|t| t.id.as_str()).collect();
    assert_eq!(ids, planned, "{what}: next year's roll");
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
    // E counts class teachers (principals rotate by rule principals).
    let counts = |t: &rotaplan::domain::Teacher| {
        is_eligible(t, &static_next.policy) && static_next.policy.in_teachers_share(t.role)
    };
    let eligible_static = static_next.teachers.iter().filter(|t| counts(t)).count();
    let movers_eligible = two
        .this
        .moves
        .iter()
        .filter(|m| {
            let id = &county.teachers[m.teacher].id;
            static_next.teachers.iter().any(|t| &t.id == id && counts(t))
        })
        .count();
    assert!(movers_eligible > 0, "some of this year's movers would be eligible next year");
    assert_eq!(two.next.eligible, eligible_static - movers_eligible, "E₂ = static E₂ − eligible movers");
    let policy = &county.policy;
    assert_eq!(two.next.required_moves, policy.required_moves(two.next.eligible));
    let moves = two.next.teacher_moves(&two.next_county) as u32;
    assert!(moves >= two.next.required_moves && moves <= policy.max_moves(two.next.eligible));
}

/// Schools A and C (100 students) each have one backbone teacher who may
/// move; B (200 students) has none and complies only with two. One teacher
/// moves each year. C's teacher is too old to move next year, A's is
/// nearer to B. Planned one year at a time, A's teacher goes to B this year
/// (same figures, shorter way) and nobody can follow next year; planned
/// jointly, C's teacher goes this year and A's next year, and B complies
/// in the inspection year.
fn two_backbones_county() -> County {
    use rotaplan::domain::{Backbone, Level, SchoolKind, Subject};
    let mut policy = rotaplan::domain::policy::Policy::default();
    policy.movement.headcount_tolerance = 1;
    let schools = vec![
        school("A", SchoolKind::Primary, [100, 0], Some((36.0, 112.0))),
        school("B", SchoolKind::Primary, [200, 0], Some((36.05, 112.0))),
        school("C", SchoolKind::Primary, [100, 0], Some((36.5, 112.0))),
    ];
    let mut teachers = Vec::new();
    let mut staff = |school: &str, n: usize, subject: Subject, backbone: bool| {
        for i in 0..n {
            let mut t = teacher(&format!("{school}-{}-{i}", subject.word()), school, Level::Primary, subject);
            t.school_since = 2024;
            if backbone {
                t.backbone = Backbone::County;
            }
            teachers.push(t);
        }
    };
    for side in ["A", "C"] {
        staff(side, 1, Subject::Chinese, true);
        staff(side, 2, Subject::Math, false);
        staff(side, 1, Subject::Chinese, false);
        staff(side, 1, Subject::Pe, false);
    }
    staff("B", 4, Subject::Chinese, false);
    staff("B", 3, Subject::Math, false);
    staff("B", 2, Subject::Pe, false);
    let mut a = teacher("TA", "A", Level::Primary, Subject::Chinese);
    a.backbone = Backbone::County;
    let mut c = teacher("TC", "C", Level::Primary, Subject::Chinese);
    c.backbone = Backbone::County;
    c.birth_year = 1975; // 50 this year (the limit), 51 next year
    teachers.extend([a, c]);
    county(schools, teachers, policy, Vec::new())
}

#[test]
fn joint_plan_reaches_compliance_that_one_year_plans_in_turn_miss() {
    let mut county = two_backbones_county();
    // The one-year plans of SPEC §4 (the two-year plan has no structure
    // stage either): who moves is then the nearer teacher.
    county.policy.objective.structure = false;
    // One year at a time.
    let options = PlanOptions::default();
    let Ok(rotaplan::plan::Outcome::Planned(first)) = rotaplan::plan::plan(&county, Vec::new(), &options) else {
        panic!("this year has a plan")
    };
    let ids = |c: &County, p: &Plan| p.moves.iter().map(|m| c.teachers[m.teacher].id.clone()).collect::<Vec<_>>();
    assert_eq!(ids(&county, &first), ["TA"], "one year: the nearer teacher");
    let next = after_moves(&county, &next_year_county(&county), &first.moves);
    let Ok(rotaplan::plan::Outcome::Planned(second)) = rotaplan::plan::plan(&next, Vec::new(), &options) else {
        panic!("next year has a plan")
    };
    assert!(second.moves.is_empty(), "nobody may move next year");
    assert_eq!(second.after.compliant(), 2, "B misses");
    // Jointly.
    let two = two_years(&county, "two backbones");
    audit_both(&county, &two, "two backbones");
    assert_eq!(ids(&county, &two.this), ["TC"]);
    assert_eq!(ids(&two.next_county, &two.next), ["TA"]);
    assert_eq!(two.next.after.compliant(), 3, "every section complies in the inspection year");
    assert_eq!(two.next.eligible, 1, "E₂: A's teacher alone");
    assert_eq!(two.next.required_moves, 1);
}

/// A teacher on exchange at B from A whose term ends next year comes home
/// next year: not eligible next year, counted at A in next year's figures;
/// both years pass the auditor.
#[test]
fn next_years_return_comes_home_and_counts_there() {
    use rotaplan::domain::{Exchange, ExchangeDecision, Level, Subject};
    let base = two_backbones_county();
    let mut guest = teacher("TX", "B", Level::Primary, Subject::Math);
    guest.school_since = 2023;
    let mut teachers = base.teachers.clone();
    teachers.push(guest);
    let exchange = Exchange {
        teacher_id: "TX".into(),
        home_school_id: "A".into(),
        host_school_id: "B".into(),
        start_year: 2023,
        end_year: 2026,
        decision: ExchangeDecision::Return,
    };
    let county = county(base.schools.clone(), teachers, base.policy.clone(), Vec::new()).with_exchanges(vec![exchange]);
    let next = next_year_county(&county);
    let tx = next.teachers.iter().find(|t| t.id == "TX").expect("TX stays on the roll");
    assert_eq!(tx.school_id, "B", "at the host until next year's plan");
    assert!(
        !rotaplan::rules::eligibility::is_eligible_with(tx, &next.policy, next.exchange_of("TX")),
        "a returner is not eligible in the year of the return"
    );
    let two = two_years(&county, "a return next year");
    audit_both(&county, &two, "a return next year");
    // Next year's plan returns TX home, a return apart from the moves.
    let returns: Vec<(&str, &str, bool)> = two
        .next
        .returns
        .iter()
        .map(|r| {
            (two.next_county.teachers[r.teacher].id.as_str(), two.next_county.schools[r.home].id.as_str(), r.extended)
        })
        .collect();
    assert_eq!(returns, [("TX", "A", false)]);
    // Higher-degree teachers (every teacher here): TX counts at B before
    // next year's plan and at A after it.
    let count = |f: &rotaplan::rules::indicators::CountyFigures, school: &str| {
        let pos = county.school_pos(school).expect("school");
        f.sections.iter().find(|s| s.school == pos).expect("section").counts.indicator[0]
    };
    assert_eq!(count(&two.next.before, "B"), count(&two.this.after, "B"), "TX at B before next year's plan");
    let net = |school: &str| {
        let pos = county.school_pos(school).expect("school");
        let arrive = two.next.moves.iter().filter(|m| m.to == pos).count() as i64;
        let leave = two.next.moves.iter().filter(|m| m.from == pos).count() as i64;
        arrive - leave
    };
    assert_eq!(count(&two.next.after, "A") as i64, count(&two.next.before, "A") as i64 + net("A") + 1, "TX home at A");
    assert!(two.next.moves.iter().all(|m| two.next_county.teachers[m.teacher].id != "TX"));
}

/// The files of a two-year plan: this year's plan files as `plan` writes
/// them (report.html with both years side by side) and next year's list and
/// figures under next-year/, in Chinese by default and English on request.
#[test]
fn two_year_files_hold_both_years() {
    use rotaplan::render::output::{plan_files, two_year_files};
    use rotaplan::render::Lang;
    let county = two_backbones_county();
    let two = two_years(&county, "two backbones");
    let files = two_year_files(&county, &two, Lang::Zh).expect("files");
    let one = plan_files(&county, &two.this, Lang::Zh).expect("files");
    for name in ["rotations.csv", "schools.csv", "summary.json", "plan.xlsx"] {
        assert_eq!(files.get(name), one.get(name), "{name} is this year's plan file");
    }
    for name in ["next-year/rotations.csv", "next-year/schools.csv", "next-year/summary.json"] {
        assert!(files.get(name).is_some(), "{name} written");
    }
    let next_list = String::from_utf8_lossy(files.get("next-year/rotations.csv").expect("list")).to_string();
    assert!(next_list.contains("TA") && !next_list.contains("TC"), "next year's list: {next_list}");
    let report = String::from_utf8_lossy(files.get("report.html").expect("report")).to_string();
    assert!(report.contains("两年统筹方案") && report.contains("2026 调整后"), "both years in the report");
    assert!(report.contains("3 / 3"), "next year's compliant sections after its moves");
    let english = two_year_files(&county, &two, Lang::En).expect("files");
    let report = String::from_utf8_lossy(english.get("report.html").expect("report")).to_string();
    assert!(report.contains("Two-year plan") && report.contains("2026 after"));
}
