//! The rotation plan checked against the independent auditor
//! (`rotaplan::rules::audit`): every plan the optimizer produces keeps every hard
//! rule and has the objective the stages report; on tiny counties the
//! optimizer's objective vector equals the best one found by enumerating
//! every plan; infeasible data names the rule that breaks; the same input
//! gives the same files.

use crate::differential::most_moves;
use std::path::Path;

use assert_cmd::Command;
use proptest::prelude::*;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rotaplan::domain::changes::ProposedMove;
use rotaplan::domain::policy::Policy;
use rotaplan::domain::{
    Area, Backbone, County, Degree, Exact, Facilities, Gender, Level, Lock, LockAction, Role, School, SchoolKind,
    Subject, Teacher,
};
use rotaplan::exact::parse_exact;
use rotaplan::plan::Conflict;
use rotaplan::plan::{plan, Diagnosis, Outcome, Plan, PlanOptions};
use rotaplan::render::diagnosis::{conflict_detail, diagnosis_lines, fix_text, violation_line, violation_text};
use rotaplan::render::Lang;
use rotaplan::rules::audit::{audit, Audit, Auditor, ObjectiveVector, Violation};
use rotaplan::rules::eligibility::is_eligible;
use rotaplan::solve::StageStatus;

use crate::common::fixture;

// ---------------------------------------------------------------- helpers

pub(crate) fn options() -> PlanOptions<'static> {
    PlanOptions { time_limit: 60.0, progress: None, ..Default::default() }
}

pub(crate) fn exact(text: &str) -> Exact {
    parse_exact(text).expect("a decimal")
}

pub(crate) fn run_plan(county: &County) -> Outcome {
    // Half the counties plan with free profiles aggregated (the large-county
    // model), half with every flow written out (the small-county one).
    let options = PlanOptions { aggregate: Some(county.teachers.len().is_multiple_of(2)), ..options() };
    plan(county, Vec::new(), &options).unwrap_or_else(|e| panic!("plan failed: {e}"))
}

/// The plan's moves as the auditor reads them.
pub(crate) fn proposals(county: &County, plan: &Plan) -> Vec<ProposedMove> {
    plan.moves
        .iter()
        .map(|m| ProposedMove::new(county.teachers[m.teacher].id.clone(), county.schools[m.to].id.clone()))
        .collect()
}

pub(crate) fn listing(violations: &[Violation]) -> String {
    violations.iter().map(|v| format!("  {}\n", violation_line(v, Lang::En))).collect()
}

/// A violation's message in English.
pub(crate) fn words(v: &Violation) -> String {
    violation_text(v, Lang::En)
}

/// A conflict's detail in English.
pub(crate) fn detail(c: &Conflict) -> String {
    conflict_detail(c, Lang::En)
}

/// A conflict's fix in English.
pub(crate) fn fix(c: &Conflict) -> String {
    fix_text(&c.fix, Lang::En)
}

/// A diagnosis in English lines.
pub(crate) fn lines(d: &Diagnosis) -> Vec<String> {
    diagnosis_lines(d, Lang::En)
}

/// |a − b| ≤ tolerance × max(1, |a|, |b|).
/// The objective a plan reports for `stage` (panics when the stage is not in the plan).
pub(crate) fn stage_value(plan: &Plan, stage: rotaplan::model::Stage) -> f64 {
    plan.stages.iter().find(|s| s.stage == stage).unwrap_or_else(|| panic!("no stage {}", stage.id())).objective
}

pub(crate) fn close(a: f64, b: f64, tolerance: f64) -> bool {
    (a - b).abs() <= tolerance * a.abs().max(b.abs()).max(1.0)
}

/// Audits a plan of the optimizer: no violation, and the objective vector and
/// figures the auditor computes are the ones the plan's stages report.
pub(crate) fn check_plan(county: &County, plan: &Plan, what: &str) -> Audit {
    let verdict = audit(county, &proposals(county, plan));
    assert!(
        verdict.violations.is_empty(),
        "{what}: the auditor rejects the optimizer's plan:\n{}",
        listing(&verdict.violations)
    );
    assert_eq!(verdict.moves, plan.moves.len(), "{what}: every move changes a school");
    assert_eq!(verdict.eligible, plan.eligible, "{what}: E");
    assert_eq!(verdict.teacher_moves, plan.teacher_moves(county), "{what}: the teachers' moves");
    assert_eq!(verdict.principal_moves, plan.principal_moves(county), "{what}: principals' moves");
    let (least, most) = (plan.principals.required as usize, plan.principals.most as usize);
    assert!((least..=most).contains(&verdict.principal_moves), "{what}: principals' share");
    let stages: Vec<_> = plan.stages.iter().map(|s| s.stage).collect();
    assert_eq!(stages, rotaplan::model::Instance::new(county, Vec::new()).stages(), "{what}: the stages");
    for stage in &plan.stages {
        assert!(stage.status.is_some(), "{what}: stage {} was not run to the end", stage.stage.id());
    }
    let o = verdict.objective;
    assert_eq!(plan.stages[0].objective, o.compliant as f64, "{what}: compliant sections");
    assert_eq!(plan.stages[1].objective, o.shortfall as f64, "{what}: shortfall");
    let cv = stage_value(plan, rotaplan::model::Stage::CvSquares);
    assert!(close(cv, o.cv_squares, 1e-7), "{what}: Σ CV² {cv} vs audit {}", o.cv_squares);
    let gaps = plan.stages.iter().find(|s| s.stage == rotaplan::model::Stage::SubjectGaps).map(|s| s.objective as u32);
    assert_eq!(gaps, o.subject_gaps, "{what}: subject teachers missing");
    let last = plan.stages.last().expect("stages").objective;
    assert!(close(last, o.distance_km, 1e-6), "{what}: km {last} vs audit {}", o.distance_km);
    assert!(close(plan.distance_km(), o.distance_km, 1e-9), "{what}: plan km");
    assert_eq!(plan.after, verdict.after, "{what}: figures after the plan");
    verdict
}

/// Plans and, when a plan exists, audits it (see [`check_plan`]).
pub(crate) fn plan_checked(county: &County, what: &str) -> Result<(Plan, Audit), Diagnosis> {
    match run_plan(county) {
        Outcome::Planned(p) => {
            let verdict = check_plan(county, &p, what);
            Ok((p, verdict))
        }
        Outcome::Infeasible(d) => Err(d),
        Outcome::OutOfTime(stop) => panic!("{what}: no plan within the time limit ({} s)", stop.seconds),
    }
}

pub(crate) fn expect_infeasible(county: &County, what: &str) -> Diagnosis {
    match run_plan(county) {
        Outcome::Infeasible(d) => d,
        Outcome::Planned(p) => panic!("{what}: expected no plan, got {} moves", p.moves.len()),
        Outcome::OutOfTime(stop) => panic!("{what}: no plan within the time limit ({} s)", stop.seconds),
    }
}

pub(crate) fn conflict<'d>(diagnosis: &'d Diagnosis, rule: &str) -> &'d rotaplan::plan::Conflict {
    diagnosis
        .conflicts
        .iter()
        .find(|c| c.rule_id() == rule)
        .unwrap_or_else(|| panic!("no {rule} conflict in {:#?}", diagnosis.conflicts))
}

// ------------------------------------------------------ building counties

pub(crate) fn school(id: &str, kind: SchoolKind, students: [u32; 2], at: Option<(f64, f64)>) -> School {
    School {
        id: id.to_string(),
        name: format!("{id} school"),
        town: format!("town of {id}"),
        kind,
        area: Area::Rural,
        students,
        classes: students.map(|s| s.div_ceil(40)),
        location: at,
        alliance: None,
        facilities: Facilities::default(),
        staff_quota: None,
        music_rooms: None,
        art_rooms: None,
    }
}

/// An eligible full-time teacher (bachelor, no backbone, 15 years at the school).
pub(crate) fn teacher(id: &str, school_id: &str, level: Level, subject: Subject) -> Teacher {
    Teacher {
        id: id.to_string(),
        name: format!("teacher {id}"),
        school_id: school_id.to_string(),
        level,
        subject,
        degree: Degree::Bachelor,
        backbone: Backbone::None,
        title: None,
        gender: Gender::Female,
        birth_year: 1985,
        school_since: 2010,
        certified: true,
        full_time: true,
        role: Role::Teacher,
        exempt: None,
        last_rotated: None,
    }
}

pub(crate) fn lock(teacher_id: &str, action: LockAction, school_id: Option<&str>) -> Lock {
    Lock { teacher_id: teacher_id.to_string(), action, school_id: school_id.map(str::to_string), note: String::new() }
}

pub(crate) fn county(schools: Vec<School>, teachers: Vec<Teacher>, policy: Policy, locks: Vec<Lock>) -> County {
    County::new(schools, teachers, policy, locks, Vec::new(), Vec::new())
}

/// What a random county looks like.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Shape {
    pub(crate) schools: usize,
    /// Teachers per section, at most.
    pub(crate) per_section: u32,
    /// Chance that a teacher meets the rotation conditions.
    pub(crate) eligible: f64,
    pub(crate) tolerance: u32,
    pub(crate) max_distance_km: f64,
    pub(crate) within_alliance: bool,
    pub(crate) locks: bool,
    pub(crate) quotas: bool,
    /// Teaching points under 50 students and empty junior sections.
    pub(crate) uncounted: bool,
    pub(crate) facilities: bool,
    /// Plans enumerated by brute force at most (0: not for brute force; the
    /// shares are then random decimals).
    pub(crate) brute_budget: usize,
}

pub(crate) const TINY: Shape = Shape {
    schools: 4,
    per_section: 3,
    eligible: 0.5,
    tolerance: 1,
    max_distance_km: 0.0,
    within_alliance: false,
    locks: false,
    quotas: false,
    uncounted: false,
    facilities: false,
    brute_budget: 40_000,
};

/// Plans the brute force would enumerate for k moves: C(n, k) × d^k, bounded above.
pub(crate) fn plans_to_enumerate(destinations: &[usize], k: usize) -> usize {
    let n = destinations.len();
    if k > n {
        return 0;
    }
    let d = destinations.iter().copied().max().unwrap_or(0).max(1) as f64;
    let mut choose = 1.0;
    for i in 0..k {
        choose = choose * (n - i) as f64 / (i + 1) as f64;
    }
    (choose * d.powi(k as i32)).min(1e12) as usize
}

/// A random small county from a seed; deterministic.
/// No alliance (1 in 5), alliance A (2 in 5) or B.
pub(crate) fn random_alliance(rng: &mut ChaCha8Rng) -> Option<String> {
    match rng.random_range(0..5) {
        0 => None,
        1 | 2 => Some("A".to_string()),
        _ => Some("B".to_string()),
    }
}

/// Each of the first four facility totals, half the time, within 25 % of
/// the standard for the school's students.
pub(crate) fn random_facilities(rng: &mut ChaCha8Rng, s: &mut School) {
    let total = s.students[0] + s.students[1];
    for (f, standard) in [(0, 5.0), (1, 9.0), (2, 2300.0), (3, 0.024)] {
        if rng.random_bool(0.5) {
            let value = standard * total as f64 * rng.random_range(0.75..1.25);
            s.facilities.totals[f] = rotaplan::exact::exact_from_f64((value * 10.0).round() / 10.0);
        }
    }
}

pub(crate) fn random_county(seed: u64, shape: Shape) -> County {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut schools = Vec::new();
    for i in 0..shape.schools {
        let id = format!("S{}", i + 1);
        let mut kinds = vec![SchoolKind::Primary, SchoolKind::Primary, SchoolKind::Junior, SchoolKind::NineYear];
        if shape.uncounted {
            kinds.push(SchoolKind::TeachingPoint);
        }
        let kind = kinds[rng.random_range(0..kinds.len())];
        let mut students = [0u32; 2];
        for &level in kind.levels() {
            students[level.index()] = match kind {
                SchoolKind::TeachingPoint => rng.random_range(20..80),
                SchoolKind::NineYear if level == Level::Junior && shape.uncounted && rng.random_bool(0.4) => 0,
                _ => rng.random_range(30..160),
            };
        }
        let at = if rng.random_bool(0.08) {
            None
        } else {
            Some((36.0 + rng.random_range(0.0..0.3), 112.0 + rng.random_range(0.0..0.3)))
        };
        let mut s = school(&id, kind, students, at);
        s.alliance = random_alliance(&mut rng);
        if shape.facilities {
            random_facilities(&mut rng, &mut s);
        }
        schools.push(s);
    }
    let subjects = [
        Subject::Chinese,
        Subject::Math,
        Subject::English,
        Subject::Pe,
        Subject::Music,
        Subject::Art,
        Subject::Other,
        Subject::Other,
        Subject::Other,
    ];
    let degrees = [Degree::Secondary, Degree::Associate, Degree::Bachelor, Degree::Postgraduate];
    let mut teachers = Vec::new();
    for s in &schools {
        for &level in s.kind.levels() {
            let low = if s.students[level.index()] == 0 { 0 } else { 1 };
            for _ in 0..rng.random_range(low..=shape.per_section) {
                let id = format!("T{:03}", teachers.len() + 1);
                let mut t = teacher(&id, &s.id, level, subjects[rng.random_range(0..subjects.len())]);
                t.degree = degrees[rng.random_range(0..degrees.len())];
                t.backbone = if rng.random_bool(0.35) { Backbone::County } else { Backbone::None };
                draw_career(&mut rng, &mut t, 1972, shape.eligible);
                teachers.push(t);
            }
        }
    }
    if shape.quotas {
        for s in schools.iter_mut() {
            if rng.random_bool(0.5) {
                let before = teachers.iter().filter(|t| t.school_id == s.id).count() as u32;
                s.staff_quota = Some((before + rng.random_range(0..3)).saturating_sub(1));
            }
        }
    }
    let mut policy = Policy::default();
    policy.movement.headcount_tolerance = shape.tolerance;
    policy.movement.max_distance_km = shape.max_distance_km;
    policy.movement.within_alliance = shape.within_alliance;
    policy.rotation.backbone_min_share = exact(["0", "0.2", "0.34", "0.5"][rng.random_range(0..4)]);
    let eligible: Vec<&Teacher> = teachers.iter().filter(|t| is_eligible(t, &policy)).collect();
    let e = eligible.len();
    if shape.brute_budget > 0 {
        let destinations: Vec<usize> =
            eligible.iter().map(|t| schools.iter().filter(|s| s.id != t.school_id && s.has(t.level)).count()).collect();
        let mut low = rng.random_range(0..=2usize).min(e);
        let mut high = (low + rng.random_range(0..=2usize)).min(4).min(e);
        while high > low && plans_to_enumerate(&destinations, high) > shape.brute_budget {
            high -= 1;
        }
        while low > 0 && plans_to_enumerate(&destinations, low) > shape.brute_budget {
            low -= 1;
            high = low;
        }
        let share = |k: usize| if e == 0 { Exact::from_integer(0) } else { Exact::new(k as i128, e as i128) };
        policy.rotation.min_share = share(low);
        policy.rotation.max_share = share(high);
    } else {
        let shares = ["0.1", "0.15", "0.2", "0.25"];
        let low = rng.random_range(0..shares.len());
        policy.rotation.min_share = exact(shares[low]);
        policy.rotation.max_share = exact(shares[rng.random_range(low..shares.len())]);
    }
    let mut locks = Vec::new();
    if shape.locks && !eligible.is_empty() {
        let mut taken: Vec<String> = Vec::new();
        for _ in 0..rng.random_range(1..=2) {
            let t = eligible[rng.random_range(0..eligible.len())];
            if taken.contains(&t.id) {
                continue;
            }
            taken.push(t.id.clone());
            let others: Vec<&School> = schools.iter().filter(|s| s.id != t.school_id && s.has(t.level)).collect();
            let target = (!others.is_empty()).then(|| others[rng.random_range(0..others.len())].id.as_str());
            let action = match (rng.random_range(0..4), target) {
                (0, _) => LockAction::Stay,
                (1, _) => LockAction::Move,
                (2, Some(_)) => LockAction::MoveTo,
                (_, Some(_)) => LockAction::Forbid,
                (_, None) => LockAction::Stay,
            };
            let target = matches!(action, LockAction::MoveTo | LockAction::Forbid).then_some(target).flatten();
            locks.push(lock(&t.id, action, target));
        }
    }
    county(schools, teachers, policy, locks)
}

// ------------------------------------------------------------ brute force

/// Every plan of at most the allowed size, over the eligible teachers and
/// every other school with their section, judged by the auditor: the best
/// objective vector of a plan that keeps every rule, with that plan.
pub(crate) fn brute_force(county: &County) -> (Option<(ObjectiveVector, Vec<ProposedMove>)>, usize) {
    let auditor = Auditor::new(county);
    let (low, high) = auditor.move_bounds();
    let high = most_moves(county, high);
    let movers: Vec<(String, Vec<String>)> = county
        .teachers
        .iter()
        .filter(|t| is_eligible(t, &county.policy))
        .map(|t| {
            let to =
                county.schools.iter().filter(|s| s.id != t.school_id && s.has(t.level)).map(|s| s.id.clone()).collect();
            (t.id.clone(), to)
        })
        .collect();
    let mut best = None;
    let mut judged = 0;
    for k in low..=high {
        let mut current = Vec::new();
        enumerate(&auditor, &movers, 0, k as usize, &mut current, &mut best, &mut judged);
    }
    (best, judged)
}

fn enumerate(
    auditor: &Auditor,
    movers: &[(String, Vec<String>)],
    start: usize,
    left: usize,
    current: &mut Vec<ProposedMove>,
    best: &mut Option<(ObjectiveVector, Vec<ProposedMove>)>,
    judged: &mut usize,
) {
    if left == 0 {
        *judged += 1;
        let verdict = auditor.audit(current);
        if verdict.violations.is_empty() && best.as_ref().is_none_or(|(b, _)| verdict.objective.is_better_than(b)) {
            *best = Some((verdict.objective, current.clone()));
        }
        return;
    }
    for i in start..movers.len() {
        if movers.len() - i < left {
            break;
        }
        for to in &movers[i].1 {
            current.push(ProposedMove::new(movers[i].0.clone(), to.clone()));
            enumerate(auditor, movers, i + 1, left - 1, current, best, judged);
            current.pop();
        }
    }
}

pub(crate) fn describe(county: &County) -> String {
    let mut out = String::new();
    let p = &county.policy;
    out.push_str(&format!(
        "policy: min_share {} max_share {} backbone {} tolerance {} max_km {} alliance {}\n",
        p.rotation.min_share,
        p.rotation.max_share,
        p.rotation.backbone_min_share,
        p.movement.headcount_tolerance,
        p.movement.max_distance_km,
        p.movement.within_alliance
    ));
    for s in &county.schools {
        out.push_str(&format!(
            "  {} {:?} town {} students {:?} classes {:?} at {:?} alliance {:?} quota {:?} facilities {:?}\n",
            s.id, s.kind, s.town, s.students, s.classes, s.location, s.alliance, s.staff_quota, s.facilities.totals
        ));
    }
    for t in &county.teachers {
        out.push_str(&format!(
            "  {} {} {:?} {:?} {:?} {:?} eligible {}\n",
            t.id,
            t.school_id,
            t.level,
            t.subject,
            t.degree,
            t.backbone,
            is_eligible(t, &county.policy)
        ));
    }
    for l in &county.locks {
        out.push_str(&format!("  lock {} {:?} {:?}\n", l.teacher_id, l.action, l.school_id));
    }
    for r in &county.roads {
        out.push_str(&format!("  road {} – {} {} km\n", r.from, r.to, r.km));
    }
    for n in &county.staffing {
        out.push_str(&format!("  need {} {:?} {:?} {}\n", n.school_id, n.level, n.subject, n.need));
    }
    out
}

/// The optimizer against the brute force on one county: same feasibility,
/// same objective vector. Returns whether a plan exists.
fn assert_optimal_by_brute_force(county: &County, what: &str) -> bool {
    let (best, judged) = brute_force(county);
    assert!(judged <= 200_000, "{what}: {judged} plans is too many for a tiny county");
    match (run_plan(county), best) {
        (Outcome::Planned(p), Some((best, best_moves))) => {
            let got = check_plan(county, &p, what).objective;
            let same = got.compliant == best.compliant
                && got.shortfall == best.shortfall
                && close(got.cv_squares, best.cv_squares, 1e-7)
                && close(got.distance_km, best.distance_km, 1e-6);
            assert!(
                same,
                "{what}: the optimizer's plan is not the best\n optimizer:   {got}\n  {:?}\n brute force: {best}\n  {:?}\n{}",
                proposals(county, &p),
                best_moves,
                describe(county)
            );
            true
        }
        (Outcome::Infeasible(d), None) => {
            assert!(!d.conflicts.is_empty(), "{what}: a diagnosis names its conflicts");
            if std::env::var_os("ROTAPLAN_TEST_VERBOSE").is_some() {
                eprintln!("{what}: no plan: {:?}", lines(&d));
            }
            false
        }
        (Outcome::Infeasible(d), Some((best, moves))) => panic!(
            "{what}: the optimizer finds no plan ({:?}) but {moves:?} keeps every rule ({best})\n{}",
            lines(&d),
            describe(county)
        ),
        (Outcome::Planned(p), None) => panic!(
            "{what}: the optimizer's plan {:?} was not found by the brute force\n{}",
            proposals(county, &p),
            describe(county)
        ),
        (Outcome::OutOfTime(stop), _) => panic!("{what}: no plan within the time limit ({} s)", stop.seconds),
    }
}

/// Runs the brute-force comparison over seeds of one shape; returns how many
/// counties had a plan.
fn brute_force_counties(name: &str, shape: Shape, seeds: std::ops::Range<u64>) -> usize {
    let feasible = seeds
        .filter(|&seed| assert_optimal_by_brute_force(&random_county(seed, shape), &format!("{name} seed {seed}")))
        .count();
    eprintln!("{name}: {feasible} counties with a plan");
    feasible
}

#[test]
fn brute_force_tolerance_one() {
    let feasible = brute_force_counties("tolerance 1", TINY, 0..40);
    assert!(feasible >= 15, "only {feasible} of 40 counties had a plan: the test would prove little");
}

#[test]
fn brute_force_tolerance_zero() {
    let shape = Shape { tolerance: 0, per_section: 4, eligible: 0.6, ..TINY };
    let feasible = brute_force_counties("tolerance 0", shape, 100..140);
    assert!(feasible >= 15, "only {feasible} of 40 counties had a plan");
}

#[test]
fn brute_force_distance_alliance_and_locks() {
    let distance = Shape { schools: 5, max_distance_km: 25.0, locks: true, ..TINY };
    let alliance = Shape { schools: 5, within_alliance: true, quotas: true, ..TINY };
    let feasible = brute_force_counties("max_distance_km 25 with locks", distance, 200..230)
        + brute_force_counties("within_alliance with quotas", alliance, 300..330);
    assert!(feasible >= 20, "only {feasible} of 60 counties had a plan");
}

#[test]
fn brute_force_uncounted_sections_and_facilities() {
    let mixed = Shape { schools: 6, per_section: 2, uncounted: true, facilities: true, locks: true, ..TINY };
    let uncounted = Shape { schools: 5, per_section: 3, uncounted: true, eligible: 0.7, ..TINY };
    let feasible = brute_force_counties("uncounted and facilities", mixed, 400..440)
        + brute_force_counties("uncounted", uncounted, 500..530);
    assert!(feasible >= 30, "only {feasible} of 70 counties had a plan");
}

/// The brute force over many more seeds, for hunting disagreements:
/// `ROTAPLAN_BRUTE_SEEDS=0..2000 cargo test --release --test it plan::brute_force_hunt -- --ignored`.
#[test]
#[ignore]
fn brute_force_hunt() {
    let range = std::env::var("ROTAPLAN_BRUTE_SEEDS").unwrap_or_else(|_| "0..200".into());
    let (a, b) = range.split_once("..").expect("a range like 0..200");
    let seeds: std::ops::Range<u64> = a.parse().unwrap()..b.parse().unwrap();
    let shapes = [
        TINY,
        Shape { tolerance: 0, per_section: 4, eligible: 0.6, ..TINY },
        Shape { schools: 5, max_distance_km: 25.0, locks: true, ..TINY },
        Shape { schools: 5, within_alliance: true, quotas: true, ..TINY },
        Shape { schools: 6, per_section: 2, uncounted: true, facilities: true, locks: true, ..TINY },
        Shape { schools: 5, per_section: 3, uncounted: true, eligible: 0.7, ..TINY },
    ];
    let mut failures = Vec::new();
    for (i, shape) in shapes.iter().enumerate() {
        let mut feasible = 0;
        for seed in seeds.clone() {
            let what = format!("hunt shape {i} seed {seed}");
            match std::panic::catch_unwind(|| assert_optimal_by_brute_force(&random_county(seed, *shape), &what)) {
                Ok(true) => feasible += 1,
                Ok(false) => {}
                Err(_) => failures.push(what),
            }
        }
        eprintln!("shape {i}: {feasible} of {} counties had a plan", seeds.end - seeds.start);
    }
    assert!(failures.is_empty(), "{} failures: {failures:?}", failures.len());
}

/// Regression (distance stage warm start): HiGHS, given stage 3's plan as a
/// start for stage 4 and with presolve on, reports the shortest distance as
/// optimal but returns the columns of the start, so the plan keeps stage 3's
/// longer moves. Four counties where the brute force finds a shorter plan
/// with the same compliance, shortfall and Σ CV².
#[test]
fn the_distance_stage_returns_the_shortest_plan() {
    let alliance = Shape { schools: 5, within_alliance: true, quotas: true, ..TINY };
    let uncounted = Shape { schools: 5, per_section: 3, uncounted: true, eligible: 0.7, ..TINY };
    for (shape, seed) in [(alliance, 78), (uncounted, 25), (uncounted, 67), (uncounted, 186)] {
        assert_optimal_by_brute_force(&random_county(seed, shape), &format!("seed {seed} of {shape:?}"));
    }
}

/// A level whose counted pe_arts total is 0 until a move brings one in: the
/// CV term is 0 while the total is 0 (SPEC §3) and CV² after. One move among
/// three ties on compliance and shortfall; Σ CV² decides:
/// Z (pe) to the large school J2: pe_arts CV² 0.0100 + higher_degree 0.0096 = 0.0196;
/// W (higher degree) to the small school J1: 0 + 0.0377 = 0.0377;
/// Z to J1: about 100. The best plan moves Z to J2.
fn zero_total_county() -> County {
    let schools = vec![
        school("J1", SchoolKind::Junior, [0, 40], Some((36.00, 112.00))),
        school("J2", SchoolKind::Junior, [0, 4000], Some((36.01, 112.00))),
        school("U1", SchoolKind::NineYear, [100, 0], Some((36.02, 112.00))),
    ];
    let mut teachers = Vec::new();
    for (school_id, n) in [("J1", 2), ("J2", 100)] {
        for i in 0..n {
            let mut t = teacher(&format!("{school_id}-{i:03}"), school_id, Level::Junior, Subject::Other);
            t.school_since = 2024;
            teachers.push(t);
        }
    }
    let mut z = teacher("Z", "U1", Level::Junior, Subject::Pe);
    z.degree = Degree::Secondary;
    teachers.push(z);
    teachers.push(teacher("W", "U1", Level::Junior, Subject::Other));
    let mut policy = Policy::default();
    policy.rotation.min_share = exact("0.5");
    policy.rotation.max_share = exact("0.5");
    policy.rotation.backbone_min_share = exact("0");
    policy.movement.headcount_tolerance = 1;
    county(schools, teachers, policy, vec![lock("W", LockAction::Forbid, Some("J2"))])
}

#[test]
fn a_cv_term_whose_total_can_be_zero_counts_zero_there() {
    let county = zero_total_county();
    let z_to_j2 = audit(&county, &[ProposedMove::new("Z", "J2")]);
    let w_to_j1 = audit(&county, &[ProposedMove::new("W", "J1")]);
    assert!(z_to_j2.violations.is_empty() && w_to_j1.violations.is_empty());
    assert_eq!(
        (z_to_j2.objective.shortfall, w_to_j1.objective.shortfall),
        (w_to_j1.objective.shortfall, z_to_j2.objective.shortfall)
    );
    assert!(z_to_j2.objective.is_better_than(&w_to_j1.objective), "{} vs {}", z_to_j2.objective, w_to_j1.objective);
    assert_optimal_by_brute_force(&county, "pe_arts total 0 before the plan");
    // Two random counties where the optimizer leaves a term at total 0
    // (junior pe_arts, primary backbone) for a larger Σ CV².
    let uncounted = Shape { schools: 5, per_section: 3, uncounted: true, eligible: 0.7, ..TINY };
    for seed in [1670, 1695] {
        assert_optimal_by_brute_force(&random_county(seed, uncounted), &format!("uncounted seed {seed}"));
    }
}

// ------------------------------------------------------- property tests

fn plan_bytes(county: &County, plan: &Plan) -> (Vec<u8>, Vec<u8>) {
    let files = rotaplan::render::output::plan_files(county, plan, Lang::En).expect("plan files");
    (
        files.get("rotations.csv").expect("rotations.csv").to_vec(),
        files.get("schools.csv").expect("schools.csv").to_vec(),
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 16, failure_persistence: None, ..ProptestConfig::default() })]

    /// A random small county: any plan the optimizer makes keeps every rule,
    /// has the objective its stages report, and comes out byte for byte the
    /// same when planned again.
    #[test]
    fn random_county_plans_are_valid_and_repeatable(
        seed in any::<u64>(),
        schools in 4usize..9,
        tolerance in 0u32..3,
        limits in 0usize..4,
    ) {
        let shape = Shape {
            schools,
            per_section: 7,
            eligible: 0.6,
            tolerance,
            max_distance_km: if limits == 1 { 30.0 } else { 0.0 },
            within_alliance: limits == 2,
            locks: limits == 3,
            quotas: true,
            uncounted: true,
            facilities: true,
            brute_budget: 0,
        };
        let county = random_county(seed, shape);
        let first = run_plan(&county);
        let second = run_plan(&county);
        match (first, second) {
            (Outcome::Planned(a), Outcome::Planned(b)) => {
                check_plan(&county, &a, &format!("seed {seed}"));
                prop_assert_eq!(plan_bytes(&county, &a), plan_bytes(&county, &b));
            }
            (Outcome::Infeasible(a), Outcome::Infeasible(b)) => {
                prop_assert!(!a.conflicts.is_empty());
                prop_assert_eq!(a, b);
            }
            _ => prop_assert!(false, "seed {}: one run planned and the other did not", seed),
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 6, failure_persistence: None, ..ProptestConfig::default() })]

    /// Synthetic counties of a few schools (about 40 teachers a school).
    #[test]
    fn synthetic_county_plans_are_valid(seed in 0u64..1_000_000, schools in 3usize..6) {
        let dir = tempfile::tempdir().expect("tempdir");
        rotaplan::commands::synth::write_county(dir.path(), seed, schools).expect("synth");
        let county = rotaplan::io::load(dir.path(), None).expect("a synthetic county loads").county;
        if let Ok((a, _)) = plan_checked(&county, &format!("synth seed {seed}, {schools} schools")) {
            let Outcome::Planned(b) = run_plan(&county) else { panic!("second run found no plan") };
            prop_assert_eq!(plan_bytes(&county, &a), plan_bytes(&county, &b));
        }
    }
}

// ------------------------------------------------------ infeasible data

/// Three primary schools with `n` eligible teachers spread over them, the
/// first `backbone` of them backbone teachers.
fn primary_county(n: usize, backbone: usize) -> (Vec<School>, Vec<Teacher>) {
    let schools = vec![
        school("P1", SchoolKind::Primary, [400, 0], Some((36.00, 112.00))),
        school("P2", SchoolKind::Primary, [400, 0], Some((36.05, 112.00))),
        school("P3", SchoolKind::Primary, [400, 0], Some((36.00, 112.05))),
    ];
    let teachers = (0..n)
        .map(|i| {
            let mut t = teacher(&format!("T{i:03}"), &format!("P{}", i % 3 + 1), Level::Primary, Subject::Other);
            if i < backbone {
                t.backbone = Backbone::City;
            }
            t
        })
        .collect();
    (schools, teachers)
}

#[test]
fn too_few_backbone_teachers_is_a_backbone_share_conflict() {
    let (schools, teachers) = primary_county(130, 2);
    let mut policy = Policy::default();
    policy.rotation.min_share = exact("0.1");
    policy.rotation.max_share = exact("0.2");
    let county = county(schools, teachers, policy, Vec::new());
    let d = expect_infeasible(&county, "2 backbone teachers for 13 moves");
    assert_eq!((d.eligible, d.required_moves), (130, 13));
    let c = conflict(&d, "backbone_share");
    assert_eq!((c.needed, c.available), (3.0, 2.0), "{c:?}");
    assert!(fix(c).contains("backbone_min_share ≤ 0.1538"), "{}", fix(c));
    assert!(fix(c).contains("1 more eligible backbone"), "{}", fix(c));
}

#[test]
fn max_share_below_min_share_is_a_rotation_share_conflict() {
    let (schools, teachers) = primary_county(20, 10);
    let mut policy = Policy::default();
    policy.rotation.min_share = exact("0.10");
    policy.rotation.max_share = exact("0.05");
    let county = county(schools, teachers, policy, Vec::new());
    let d = expect_infeasible(&county, "max_share 0.05 < min_share 0.10");
    let c = conflict(&d, "rotation_share");
    assert_eq!((c.needed, c.available), (2.0, 1.0), "{c:?}");
    assert!(fix(c).contains("max_share"), "{}", fix(c));
}

#[test]
fn move_to_beyond_the_distance_limit_is_a_locks_conflict() {
    let (mut schools, teachers) = primary_county(20, 10);
    schools.push(school("P9", SchoolKind::Primary, [400, 0], Some((37.00, 112.00))));
    let mut policy = Policy::default();
    policy.movement.max_distance_km = 30.0;
    let county = county(schools, teachers, policy, vec![lock("T003", LockAction::MoveTo, Some("P9"))]);
    let d = expect_infeasible(&county, "move_to 145 km away with a 30 km limit");
    let c = conflict(&d, "locks");
    assert!(
        detail(c).contains("T003") && detail(c).contains("P9") && detail(c).contains("max_distance_km"),
        "{}",
        detail(c)
    );
    // The auditor says the same of that move.
    let verdict = audit(&county, &[ProposedMove::new("T003", "P9")]);
    let distance: Vec<&Violation> = verdict.of_rule(rotaplan::rules::rule::Rule::Distance).collect();
    assert_eq!(distance.len(), 1, "{}", listing(&verdict.violations));
    assert!(
        words(distance[0]).contains("144.") && words(distance[0]).contains("at most 30 km"),
        "{}",
        words(distance[0])
    );
}

/// One school whose three eligible teachers are locked to move, three schools
/// that can only receive, a tolerance of 1: every capacity check passes and
/// only the relaxed solve sees that the first school's headcount falls by 3.
fn headcount_county() -> County {
    let mut schools = vec![school("H1", SchoolKind::Primary, [200, 0], Some((36.00, 112.00)))];
    let mut teachers = Vec::new();
    for i in 1..=3 {
        teachers.push(teacher(&format!("A{i}"), "H1", Level::Primary, Subject::Other));
        let id = format!("H{}", i + 1);
        schools.push(school(&id, SchoolKind::Primary, [200, 0], Some((36.0 + 0.02 * i as f64, 112.00))));
        let mut newcomer = teacher(&format!("B{i}"), &id, Level::Primary, Subject::Chinese);
        newcomer.school_since = 2024;
        teachers.push(newcomer);
    }
    let mut policy = Policy::default();
    policy.rotation.min_share = exact("1");
    policy.rotation.max_share = exact("1");
    policy.rotation.backbone_min_share = exact("0");
    policy.movement.headcount_tolerance = 1;
    let locks = (1..=3).map(|i| lock(&format!("A{i}"), LockAction::Move, None)).collect();
    county(schools, teachers, policy, locks)
}

#[test]
fn a_headcount_conflict_is_found_by_the_relaxed_solve() {
    let county = headcount_county();
    assert!(rotaplan::plan::capacity_conflicts(&rotaplan::model::Instance::new(&county, Vec::new())).is_empty());
    let d = expect_infeasible(&county, "three forced departures with tolerance 1");
    let c = conflict(&d, "headcount_balance");
    assert!(detail(c).contains("H1"), "{}", detail(c));
    assert!(fix(c).contains("headcount_tolerance to at least 3"), "{}", fix(c));
    assert_eq!(d.conflicts.len(), 1, "{:#?}", d.conflicts);
}

#[test]
fn the_binary_exits_3_and_writes_only_the_diagnosis() {
    // tests/fixtures/plan_headcount holds headcount_county() as files.
    let data = fixture("plan_headcount");
    let loaded = rotaplan::io::load(&data, None).expect("fixture loads");
    assert_eq!(loaded.county.teachers, headcount_county().teachers);
    let out = tempfile::tempdir().expect("tempdir");
    let target = out.path().join("plan");
    let run = Command::cargo_bin("rotaplan")
        .unwrap()
        .args(["plan", "--lang", "en"])
        .arg(&data)
        .arg("-o")
        .arg(&target)
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(3), "stderr: {}", String::from_utf8_lossy(&run.stderr));
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(stderr.contains("headcount_balance"), "{stderr}");
    let mut written: Vec<String> =
        std::fs::read_dir(&target).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    written.sort();
    assert_eq!(written, [".rotaplan-output", "diagnosis.json"]);
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(target.join("diagnosis.json")).unwrap()).unwrap();
    assert_eq!(json["feasible"], false);
    let rules: Vec<&str> = json["conflicts"].as_array().unwrap().iter().map(|c| c["rule"].as_str().unwrap()).collect();
    assert_eq!(rules, ["headcount_balance"]);
}

// ------------------------------------------------------ exact rounding

/// 100 eligible teachers in four schools, written as files with
/// min_share = max_share = 0.14 (as a TOML float, 0.14 × 100 = 14.000000000000002).
fn write_share_county(dir: &Path) {
    let mut schools = String::from(
        "school_id,name,town,kind,area,primary_students,junior_students,primary_classes,junior_classes,lat,lon\n",
    );
    for (i, (lat, lon)) in [(36.00, 112.00), (36.04, 112.01), (36.02, 112.06), (36.07, 112.05)].iter().enumerate() {
        schools.push_str(&format!(
            "Q{},Q{} school,town,primary,town,{},0,{},0,{lat},{lon}\n",
            i + 1,
            i + 1,
            300 + 40 * i,
            8 + i
        ));
    }
    let subjects = ["chinese", "math", "english", "pe", "music", "art", "science", "other"];
    let degrees = ["associate", "bachelor", "bachelor", "postgraduate", "secondary"];
    let mut teachers = String::from(
        "teacher_id,name,school_id,section,subject,degree,backbone,gender,birth_year,school_since,certified\n",
    );
    for i in 0..100 {
        teachers.push_str(&format!(
            "E{i:03},name,Q{},primary,{},{},{},{},{},{},yes\n",
            i % 4 + 1,
            subjects[i % subjects.len()],
            degrees[i % degrees.len()],
            if i % 6 == 0 { "county" } else { "none" },
            if i % 2 == 0 { "F" } else { "M" },
            1975 + i % 10,
            2000 + i % 10
        ));
    }
    for i in 0..12 {
        // newcomers: not eligible, so E stays 100
        teachers.push_str(&format!("N{i:03},name,Q{},primary,chinese,bachelor,none,F,1998,2023,yes\n", i % 4 + 1));
    }
    std::fs::write(dir.join("schools.csv"), schools).unwrap();
    std::fs::write(dir.join("teachers.csv"), teachers).unwrap();
    std::fs::write(dir.join("policy.toml"), "year = 2025\n[rotation]\nmin_share = 0.14\nmax_share = 0.14\n").unwrap();
}

#[test]
fn a_share_of_0_14_of_100_eligible_is_exactly_14_moves() {
    let dir = tempfile::tempdir().expect("tempdir");
    write_share_county(dir.path());
    let county = rotaplan::io::load(dir.path(), None).expect("loads").county;
    let (p, verdict) = plan_checked(&county, "0.14 × 100").expect("a plan exists");
    assert_eq!((p.eligible, p.required_moves, p.max_moves), (100, 14, 14));
    assert_eq!(p.moves.len(), 14);
    assert!(verdict.backbone_moves * 5 >= 14, "20 % of 14 moves are backbone teachers");
    // One more move breaks the cap of 14 in the auditor's eyes too.
    let mut more = proposals(&county, &p);
    let moved: Vec<&str> = more.iter().map(|m| m.teacher_id.as_str()).collect();
    let extra =
        county.teachers.iter().find(|t| is_eligible(t, &county.policy) && !moved.contains(&t.id.as_str())).unwrap();
    let to = if extra.school_id == "Q1" { "Q2" } else { "Q1" };
    more.push(ProposedMove::new(extra.id.clone(), to));
    let verdict = audit(&county, &more);
    let share: Vec<&Violation> = verdict.of_rule(rotaplan::rules::rule::Rule::RotationShare).collect();
    assert_eq!(share.len(), 1, "{}", listing(&verdict.violations));
    assert!(
        words(share[0]).contains("moves 15 teachers") && words(share[0]).contains("at most 14 = ⌈0.14 × 100"),
        "{}",
        words(share[0])
    );
}

// ------------------------------------------------------ the Anze county

#[test]
fn anze_plan_is_valid_and_proven_optimal() {
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("data").join("anze");
    let county = rotaplan::io::load(&data, None).expect("data/anze loads").county;
    let (p, verdict) = plan_checked(&county, "data/anze").expect("Anze has a plan");
    for stage in &p.stages {
        assert_eq!(stage.status, Some(StageStatus::Optimal), "stage {} of Anze", stage.stage.id());
    }
    assert!(p.proven_optimal());
    assert_eq!(verdict.teacher_moves as u32, p.required_moves, "the minimum share is also the cap by default");
    assert!(verdict.objective.compliant >= p.before.compliant(), "the plan never loses compliant sections");
}

/// Stage 4's search for other counts gives HiGHS stage 3's optimum as its
/// objective bound, in the solver's terms (good_lp leaves the objective's
/// constant out): stage 3's model, solved without that bound, must end just
/// under it. With stage 3's counts excluded there is nothing under it on
/// Anze (stage 4 reports its counts as the only ones).
#[test]
fn count_search_cutoff_is_stage_three_optimum() {
    use rotaplan::model::{Fixed, Instance, Stage};
    use rotaplan::solve::{minimise, SolveOptions};
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("data").join("anze");
    let county = rotaplan::io::load(&data, None).expect("data/anze loads").county;
    let Outcome::Planned(p) = plan(&county, Vec::new(), &options()).expect("solves") else { panic!("Anze has a plan") };
    let objective = |stage: Stage| p.stages.iter().find(|s| s.stage == stage).expect("stage ran").objective;
    let fixed = Fixed {
        compliant: Some(objective(Stage::Compliance) as u32),
        shortfall: Some(objective(Stage::Shortfall) as u32),
        subject_gaps: Some(objective(Stage::SubjectGaps) as u32),
        cv_squares: Some(objective(Stage::CvSquares)),
        ..Fixed::default()
    };
    let inst = Instance::new(&county, Vec::new());
    let (model, cutoff) = inst.count_search(&fixed, &[]);
    let cutoff = cutoff.expect("Σ CV² is fixed");
    let handles = model.handles.clone();
    let exact = SolveOptions::new(60.0, 0.0, 1e-9);
    let solved = minimise(model.vars, model.objective, model.constraints, exact, None).expect("solves");
    assert_eq!(solved.status, StageStatus::Optimal);
    let slack = cutoff - solved.objective;
    assert!(
        (0.0..=2e-7).contains(&slack),
        "cutoff {cutoff} against stage 3's optimum {} in the solver's terms",
        solved.objective
    );
    let counts = inst.counts_of(&handles, |v| solved.value(v));
    let (other, cutoff) = inst.count_search(&fixed, &[counts]);
    let search = SolveOptions { cutoff, tolerance: Some(1e-9), abs_gap: 0.99, ..exact };
    let found = minimise(other.vars, other.objective, other.constraints, search, None).expect("solves");
    assert_eq!(found.status, StageStatus::Infeasible, "no other counts reach stage 3's optimum on Anze");
}

/// The compliance stage solved with its root LP by interior point (as on a
/// large county) proves the same optimum as with dual simplex, on a
/// stressed county.
#[test]
fn an_interior_point_root_proves_the_same_compliance() {
    use rotaplan::model::{Fixed, Instance, Stage};
    use rotaplan::solve::{minimise, SolveOptions};
    let county = crate::common::stressed(1, 20, 0.1);
    let inst = Instance::new(&county, Vec::new());
    let solved = |interior_root: bool| {
        let model = inst.build(Stage::Compliance, &Fixed::default());
        let options = SolveOptions { interior_root, ..SolveOptions::new(600.0, 0.0, 0.99) };
        minimise(model.vars, model.objective, model.constraints, options, None).expect("solves")
    };
    let (simplex, interior) = (solved(false), solved(true));
    assert_eq!(simplex.status, StageStatus::Optimal);
    assert_eq!(interior.status, StageStatus::Optimal);
    assert_eq!(interior.objective.round(), simplex.objective.round());
    assert!(simplex.objective.abs() >= 1.0, "some sections comply: {}", simplex.objective);
}

/// A plan from a model without the published order (stages 1–3, where a
/// group's members are interchangeable) completes into a start of a stage
/// that holds the order (the structure stage on): each order group's
/// departures are pinned as one sum, so the order picks who moves, and
/// every indicator count stays the earlier plan's. Pinned one profile at a
/// time, the earlier plan's wish-holders out of order made it infeasible,
/// and every stage after a cut Σ CV² then started cold.
#[test]
fn a_plan_without_the_order_completes_into_a_stage_that_holds_it() {
    use rotaplan::model::{Fixed, Instance, Stage};
    use rotaplan::solve::{minimise, SolveOptions};
    let county = crate::common::stressed(5, 20, 0.5);
    let inst = Instance::new(&county, Vec::new());
    assert!(inst.order_groups.iter().any(|g| g.profiles.len() > 1), "the county has wish-holders in order groups");
    let options = SolveOptions::new(60.0, 0.0, 1e-6);
    let earlier = inst.build_feasibility();
    let earlier_handles = earlier.handles.clone();
    assert!(!earlier_handles.ordered);
    let found = minimise(earlier.vars, earlier.objective, earlier.constraints, options, None).expect("solves");
    assert_eq!(found.status, StageStatus::Optimal, "the county has a plan");
    let mut model = inst.build(Stage::Structure, &Fixed::default());
    assert!(model.handles.ordered, "the structure stage holds the order");
    inst.pin_decisions(&mut model, &earlier_handles, |v| found.value(v));
    let handles = model.handles.clone();
    let completed = minimise(model.vars, model.objective, model.constraints, options, None).expect("solves");
    assert_eq!(completed.status, StageStatus::Optimal, "the earlier plan completes into a start");
    assert_eq!(
        inst.counts_of(&handles, |v| completed.value(v)),
        inst.counts_of(&earlier_handles, |v| found.value(v)),
        "the indicator counts stay the earlier plan's"
    );
}

// ------------------------------------------------------ the binary, twice

#[test]
fn the_binary_writes_identical_plans_twice() {
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path().join("data");
    rotaplan::commands::synth::write_county(&data, 11, 4).expect("synth");
    let mut outputs = Vec::new();
    for run in ["one", "two"] {
        let out = dir.path().join(run);
        Command::cargo_bin("rotaplan")
            .unwrap()
            .args(["--quiet", "plan"])
            .arg(&data)
            .arg("-o")
            .arg(&out)
            .assert()
            .success();
        outputs.push(out);
    }
    for file in ["rotations.csv", "schools.csv"] {
        let a = std::fs::read(outputs[0].join(file)).unwrap();
        let b = std::fs::read(outputs[1].join(file)).unwrap();
        assert!(!a.is_empty());
        assert!(a == b, "{file} differs between two runs");
    }
}

// ------------------------------------------------------ the auditor itself

/// A county where one list of moves breaks every rule once.
fn rule_breaking_county() -> County {
    let mut schools = vec![
        school("S1", SchoolKind::Primary, [100, 0], Some((36.00, 112.00))),
        school("S2", SchoolKind::Primary, [100, 0], Some((36.05, 112.00))),
        school("S3", SchoolKind::Junior, [0, 100], Some((36.05, 112.05))),
        school("S4", SchoolKind::Primary, [100, 0], Some((37.00, 112.00))),
    ];
    for (s, alliance) in schools.iter_mut().zip(["A", "A", "B", "B"]) {
        s.alliance = Some(alliance.to_string());
    }
    schools[3].staff_quota = Some(1);
    let mut t02 = teacher("T02", "S1", Level::Primary, Subject::Math);
    t02.school_since = 2022;
    let teachers = vec![
        teacher("T01", "S1", Level::Primary, Subject::Chinese),
        t02,
        teacher("T03", "S1", Level::Primary, Subject::Pe),
        teacher("T04", "S2", Level::Primary, Subject::Math),
        teacher("T05", "S2", Level::Primary, Subject::English),
        teacher("T06", "S3", Level::Junior, Subject::Math),
        teacher("T07", "S2", Level::Primary, Subject::Art),
        teacher("T08", "S4", Level::Primary, Subject::Chinese),
    ];
    let mut policy = Policy::default();
    policy.rotation.min_share = exact("0.9");
    policy.rotation.max_share = exact("0.9");
    policy.rotation.backbone_min_share = exact("0.5");
    policy.movement.max_distance_km = 30.0;
    policy.movement.within_alliance = true;
    let locks = vec![
        lock("T04", LockAction::Stay, None),
        lock("T05", LockAction::MoveTo, Some("S1")),
        lock("T07", LockAction::Forbid, Some("S1")),
    ];
    county(schools, teachers, policy, locks)
}

#[test]
fn the_auditor_names_every_broken_rule_with_its_figures() {
    let county = rule_breaking_county();
    let moves = [
        ProposedMove::new("T01", "S4"),
        ProposedMove::new("T01", "S2"),
        ProposedMove::new("T02", "S2"),
        ProposedMove::new("T03", "S3"),
        ProposedMove::new("T04", "S1"),
        ProposedMove::new("T06", "S3"),
        ProposedMove::new("T07", "S1"),
        ProposedMove::new("T99", "S1"),
        ProposedMove::new("T05", "S9"),
    ];
    let verdict = audit(&county, &moves);
    let text = listing(&verdict.violations);
    let find = |rule: &str, needles: &[&str]| {
        let hit = verdict
            .of_rule(rotaplan::rules::rule::Rule::from_id(rule).unwrap())
            .any(|v| needles.iter().all(|n| words(v).contains(n)));
        assert!(hit, "no {rule} violation saying {needles:?} in\n{text}");
    };
    find("unknown_teacher", &["T99"]);
    find("unknown_school", &["T05", "S9"]);
    find("move_once", &["T01", "S4", "S2"]);
    find("own_school", &["T06", "S3"]);
    find("eligibility", &["teacher T02 has been at S1 for 3 years; rule eligibility requires 6"]);
    find("section", &["T03", "junior", "S3"]);
    find("distance", &["T01", "S4", "at most 30 km"]);
    find("alliance", &["T01", "alliance A", "S4 (alliance B)"]);
    find("alliance", &["T03", "S3 (alliance B)"]);
    // T01, T02, T03, T04, T07 move: 5 of ⌈0.9 × 7⌉ = 7 required.
    assert_eq!((verdict.eligible, verdict.moves, verdict.backbone_moves), (7, 5, 0));
    find("rotation_share", &["moves 5 teachers", "at least 7 = ⌈0.9 × 7 eligible"]);
    find("backbone_share", &["0 backbone teachers among 5 moves", "0.5 × 5 = 2.5", "3 backbone"]);
    find("headcount_balance", &["primary section of S1", "receives 2", "loses 3"]);
    find("staff_quota", &["S4 would have 2 teachers", "at most 1"]);
    find("subject_floor", &["S1", "0 full-time pe teachers", "need 1 = ⌈3 classes × 3.5 periods / 15⌉", "at least 1"]);
    find("locks", &["T04", "locked to stay"]);
    find("locks", &["T05", "locked to move to S1", "keeps them at S2"]);
    find("locks", &["T07", "may not go to S1"]);
    for v in &verdict.violations {
        assert!(words(v).contains(&format!("rule {}", v.rule)), "the message names its rule: {}", words(v));
    }
    let rules: std::collections::BTreeSet<&str> = verdict.violations.iter().map(|v| v.rule.id()).collect();
    assert_eq!(rules.len(), 14, "every rule id appears: {rules:?}");
}

#[test]
fn the_empty_plan_has_the_figures_before() {
    let mut county = rule_breaking_county();
    county.policy.rotation.min_share = exact("0");
    county.locks.clear();
    let verdict = audit(&county, &[]);
    assert!(verdict.violations.is_empty(), "{}", listing(&verdict.violations));
    let before = rotaplan::rules::indicators::evaluate(&county);
    assert_eq!(verdict.after, before);
    assert_eq!(verdict.objective.distance_km, 0.0);
    assert_eq!(verdict.objective.compliant, before.compliant());
}

#[test]
fn exact_backbone_share_accepts_one_in_five() {
    let (schools, teachers) = primary_county(20, 3);
    let mut policy = Policy::default();
    policy.rotation.min_share = exact("0.25");
    policy.rotation.max_share = exact("0.25");
    policy.movement.headcount_tolerance = 5;
    let county = county(schools, teachers, policy, Vec::new());
    // T000 is a backbone teacher at P1; T003, T006, T009, T012 are not.
    let mut moves: Vec<ProposedMove> =
        ["T000", "T003", "T006", "T009", "T012"].iter().map(|t| ProposedMove::new(*t, "P2")).collect();
    let verdict = audit(&county, &moves);
    assert!(verdict.violations.is_empty(), "1 of 5 is exactly 0.2:\n{}", listing(&verdict.violations));
    moves[0] = ProposedMove::new("T015", "P2");
    let verdict = audit(&county, &moves);
    assert_eq!(
        verdict.of_rule(rotaplan::rules::rule::Rule::BackboneShare).count(),
        1,
        "{}",
        listing(&verdict.violations)
    );
}

/// What holds of any plan, stopped short or not: the auditor accepts it; a
/// proven plan reports gap 0 in every stage; a stage cut short reports a gap
/// above 0 or was not run, and the plan is then not proven.
fn assert_honest_about_proof(county: &County, p: &Plan, what: &str) {
    let verdict = audit(county, &proposals(county, p));
    assert!(verdict.violations.is_empty(), "{what}: the auditor rejects the plan:\n{}", listing(&verdict.violations));
    if p.proven_optimal() {
        assert_eq!(p.gap(), Some(0.0), "{what}: a proven plan reports gap 0");
        for stage in &p.stages {
            assert_eq!(stage.gap, 0.0, "{what}: stage {} is proven with a gap", stage.stage.id());
        }
    } else {
        for stage in p.stages.iter().filter(|s| s.status == Some(StageStatus::TimeLimit)) {
            assert!(stage.gap > 0.0, "{what}: stage {} stopped short reports gap 0", stage.stage.id());
        }
        assert!(
            p.stages.iter().any(|s| s.status != Some(StageStatus::Optimal)),
            "{what}: every stage is optimal but the plan is not proven"
        );
        assert!(p.gap().is_none_or(|g| g > 0.0), "{what}: an unproven plan reports gap 0");
    }
}

/// A plan with a time limit of 1 s on data/anze: proven or not (that depends
/// on the machine's speed, so both are allowed), it is valid and says
/// honestly whether it is proven (issue 11: on a fast machine it is proven
/// in 0.95 s, and the test asserted it could not be).
#[test]
fn issue11_time_limited_plan_is_valid_on_any_machine() {
    let county = rotaplan::io::load(Path::new("data/anze"), None).expect("data/anze loads").county;
    let options = PlanOptions { time_limit: 1.0, ..options() };
    let Outcome::Planned(p) = plan(&county, Vec::new(), &options).expect("solver runs") else {
        panic!("anze has a plan")
    };
    assert_honest_about_proof(&county, &p, "data/anze in 1 s");
}

/// A plan stopped short by a limit that does not depend on the machine's
/// speed (each solve stops at its first improving plan): still valid,
/// reported as not proven, with a gap above 0 in a stage cut short. On a
/// county under stress: data/anze's solves are proven at their first plan.
#[test]
fn issue11_solution_limited_plan_is_valid_and_not_proven() {
    let county = crate::common::stressed(5, 20, 0.5);
    let options = PlanOptions { solution_limit: Some(1), ..options() };
    let Outcome::Planned(p) = plan(&county, Vec::new(), &options).expect("solver runs") else {
        panic!("the county has a plan")
    };
    let what = "synth seed 5, stress 0.5, one improving plan a solve";
    assert!(!p.proven_optimal(), "{what}: not proven: {:?}", p.stages);
    assert!(p.stages.iter().any(|s| s.status == Some(StageStatus::TimeLimit) && s.gap > 0.0), "{:?}", p.stages);
    assert_honest_about_proof(&county, &p, what);
}

/// A small synthetic county with a plan (8 schools), written into `dir`.
fn synthetic_county(dir: &Path) -> std::path::PathBuf {
    Command::cargo_bin("rotaplan")
        .unwrap()
        .args(["-q", "synth", "--seed", "5", "--schools", "8", "-o"])
        .arg(dir)
        .assert()
        .success();
    dir.to_path_buf()
}

/// Issue 12: the progress lines of a plan are in the run's language, Chinese
/// by default (before, "stage 0/4 feasibility …" was printed in English
/// under zh too).
#[test]
fn issue12_plan_progress_is_in_the_runs_language() {
    let tmp = tempfile::tempdir().unwrap();
    let data = synthetic_county(&tmp.path().join("county"));
    for (lang, present, absent) in [
        (None, ["阶段 0/4 可行性：有可行方案", "阶段 1/4 达标学段 …", "阶段 4/4 总距离："], "stage"),
        (Some("zh"), ["阶段 0/4 可行性：有可行方案", "阶段 2/4 缺口：最优", "阶段 3/4 差异系数平方和："], "stage"),
        (
            Some("en"),
            ["stage 0/4 feasibility: a plan exists", "stage 1/4 compliance …", "stage 4/4 distance: "],
            "阶段",
        ),
    ] {
        let out = tmp.path().join(format!("out-{}", lang.unwrap_or("default")));
        let mut command = Command::cargo_bin("rotaplan").unwrap();
        command.arg("plan").arg(&data).arg("-o").arg(&out);
        if let Some(lang) = lang {
            command.args(["--lang", lang]);
        }
        let output = command.output().unwrap();
        assert!(output.status.success(), "{lang:?}: {}", String::from_utf8_lossy(&output.stderr));
        let stderr = String::from_utf8_lossy(&output.stderr);
        for line in present {
            assert!(stderr.contains(line), "{lang:?}: no \"{line}\" in:\n{stderr}");
        }
        assert!(!stderr.contains(absent), "{lang:?}: \"{absent}\" in:\n{stderr}");
    }
}

/// Issue 12: plan() reports its progress as typed events, in order: the
/// feasibility stage, then each stage started before it is solved.
#[test]
fn issue12_plan_reports_progress_as_events() {
    use rotaplan::model::Stage;
    use rotaplan::plan::Progress;
    use std::sync::Mutex;
    let tmp = tempfile::tempdir().unwrap();
    let county = rotaplan::io::load(&synthetic_county(&tmp.path().join("county")), None).expect("it loads").county;
    let events = Mutex::new(Vec::new());
    let record = |event: &Progress| events.lock().unwrap().push(event.clone());
    let options = PlanOptions { progress: Some(&record), ..options() };
    let Outcome::Planned(p) = plan(&county, Vec::new(), &options).expect("solves") else { panic!("it has a plan") };
    assert!(p.proven_optimal(), "{:?}", p.stages);
    let events = events.into_inner().unwrap();
    assert!(matches!(events[0], Progress::FeasibilityStarted { columns, .. } if columns > 0), "{events:?}");
    assert!(matches!(events[1], Progress::FeasibilityFound { .. }), "{events:?}");
    for stage in Stage::ALL {
        let started = events.iter().position(|e| *e == Progress::StageStarted { stage });
        let solved = events.iter().position(
            |e| matches!(e, Progress::StageSolved { stage: s, status: StageStatus::Optimal, .. } if *s == stage),
        );
        assert!(started.is_some() && started < solved, "stage {}: {events:?}", stage.id());
    }
    let last = events.iter().rev().find_map(|e| match e {
        Progress::StageSolved { stage: Stage::Distance, objective, .. } => Some(*objective),
        _ => None,
    });
    assert!(last.is_some_and(|km| close(km, p.distance_km(), 1e-6)), "{last:?} vs {}", p.distance_km());
}

/// Issue 12: "no plan within the time limit" is a status of the outcome
/// (`Outcome::OutOfTime`), not an error the stages catch and not a failure
/// of `plan()`; the command still exits 1 with the message and writes
/// nothing. With no time left the feasibility stage gets 0.05 s, and on a
/// 300-school county it needs seconds (4.5 s measured). On a machine fast
/// enough to find a plan in 0.05 s the run plans with every stage keeping
/// that plan, which is checked instead: the test does not depend on speed.
#[test]
fn issue12_no_plan_within_the_time_limit_is_a_status() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("county");
    rotaplan::commands::synth::write_county(&data, 3, 300).expect("a synthetic county");
    let county = rotaplan::io::load(&data, None).expect("it loads").county;
    let options = PlanOptions { time_limit: 0.0, ..options() };
    match plan(&county, Vec::new(), &options).expect("running out of time is a status, not an error") {
        Outcome::OutOfTime(stop) => {
            assert_eq!(stop.seconds, 0.05, "the feasibility stage had the least time of a stage");
            let error = rotaplan::error::Error::from(stop);
            assert_eq!(error.exit_code(), 1);
            assert!(error.to_string().contains("0.05 s left") && error.to_string().contains("--time-limit"), "{error}");
        }
        Outcome::Planned(p) => {
            let kept = |s: &rotaplan::plan::StageReport| s.status == Some(StageStatus::TimeLimit) && s.gap == 1.0;
            assert!(p.stages.iter().all(kept), "every stage keeps the feasibility plan: {:?}", p.stages)
        }
        Outcome::Infeasible(d) => panic!("the county has a plan: {:?}", lines(&d)),
    }
    let out = tmp.path().join("out");
    let output = Command::cargo_bin("rotaplan")
        .unwrap()
        .args(["plan", "-q", "--time-limit", "0.001"])
        .arg(&data)
        .arg("-o")
        .arg(&out)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    match output.status.code() {
        Some(1) => {
            assert!(stderr.contains("时间上限内没有找到任何方案") && stderr.contains("--time-limit"), "{stderr}");
            assert!(!out.exists(), "a run without a plan writes nothing");
        }
        Some(0) => assert!(out.join("summary.json").exists(), "{stderr}"),
        other => panic!("exit {other:?}: {stderr}"),
    }
}

/// Issue 12: every progress event (the plan's stages, the hires phases, a
/// whatif scenario) is worded in Chinese under zh, with no English word, and
/// in English under en, with no Chinese.
#[test]
fn issue12_every_progress_event_is_worded_in_both_languages() {
    use rotaplan::model::Stage;
    use rotaplan::plan::Progress;
    use rotaplan::render::progress::progress_line;
    let mut events = vec![
        Progress::FeasibilityStarted { profiles: 3, columns: 10, rows: 7 },
        Progress::FeasibilityFound { seconds: 0.03 },
        Progress::CountsSolved { vector: 2, status: StageStatus::Optimal, objective: 717.3, seconds: 0.1 },
        Progress::NoOtherCounts { stage: Stage::Distance, structure: false, seconds: 0.1 },
        Progress::NoOtherCounts { stage: Stage::Structure, structure: true, seconds: 0.1 },
        Progress::FullDistance,
        Progress::HiresStandingStarted,
        Progress::HiresStanding { score: 14, reachable: 16, status: StageStatus::TimeLimit },
        Progress::HiresFewestStarted,
        Progress::HiresFewest { hires: 2, status: StageStatus::Optimal },
        Progress::HiresPlanStarted,
        Progress::LeversStandingStarted,
        Progress::LeversStanding { score: 14, reachable: 16, status: StageStatus::Optimal },
        Progress::LeversCheapestStarted,
        Progress::LeversCheapest { cost: 130, status: StageStatus::TimeLimit },
        Progress::LeversPlanStarted,
        Progress::ScenarioDone { scenario: "s1".into() },
    ];
    for stage in Stage::ALL {
        events.push(Progress::StageStarted { stage });
        events.push(Progress::StaleColumns { stage });
        events.push(Progress::StageSolved { stage, status: StageStatus::Infeasible, objective: 1.5, seconds: 0.2 });
    }
    let cjk = |c: char| ('\u{4e00}'..='\u{9fff}').contains(&c);
    for event in &events {
        let zh = progress_line(event, Lang::Zh);
        let english: Vec<&str> = zh.split(|c: char| !c.is_ascii_alphabetic()).filter(|w| w.len() > 1).collect();
        assert!(zh.chars().any(cjk) && english.is_empty(), "{event:?}: {zh}");
        let en = progress_line(event, Lang::En);
        assert!(!en.chars().any(cjk) && en.contains(' '), "{event:?}: {en}");
    }
    assert_eq!(
        progress_line(&Progress::FeasibilityFound { seconds: 0.03 }, Lang::Zh),
        "阶段 0/4 可行性：有可行方案（0.03 秒）"
    );
    assert_eq!(
        progress_line(&Progress::FeasibilityFound { seconds: 0.03 }, Lang::En),
        "stage 0/4 feasibility: a plan exists (0.03 s)"
    );
}

/// A random teacher's gender, age, service and the rest that decides
/// eligibility, drawn in one fixed order (born from `first_birth_year` to
/// 1999; at the school since before 2019 with probability `eligible`).
pub(crate) fn draw_career(rng: &mut impl Rng, t: &mut Teacher, first_birth_year: i32, eligible: f64) {
    t.gender = if rng.random_bool(0.5) { Gender::Male } else { Gender::Female };
    t.birth_year = rng.random_range(first_birth_year..2000);
    t.school_since =
        if rng.random_bool(eligible) { rng.random_range(2000..2019) } else { rng.random_range(2020..2025) };
    t.full_time = rng.random_bool(0.93);
    if rng.random_bool(0.04) {
        t.role = Role::Principal;
    }
    if rng.random_bool(0.04) {
        t.exempt = Some("illness".into());
    }
    if rng.random_bool(0.08) {
        t.last_rotated = Some(rng.random_range(2015..2025));
    }
}

/// A synthetic county of 20 schools under staffing stress 0.8 (no section
/// complies before the plan), loaded.
fn stressed_county() -> County {
    crate::common::stressed(1, 20, 0.8)
}

/// Every stage has a status (none is "not run"), and the plan keeps each
/// stage's reported value: compliance at least it, shortfall and Σ CV² at
/// most it (a later stage may better a value an earlier stage, cut short,
/// did not prove), each exactly when proven; km is the last stage's.
fn assert_every_stage_has_a_plan(p: &Plan, what: &str) {
    assert!(p.stages.iter().all(|s| s.status.is_some()), "{what}: a stage without a plan: {:?}", p.stages);
    let value = |id: &str| p.stages.iter().find(|s| s.stage.id() == id).map(|s| s.objective);
    let compliant = value("compliance").expect("a compliance stage");
    let shortfall = value("shortfall").expect("a shortfall stage");
    let cv = value("cv_squares").expect("a Σ CV² stage");
    assert!(p.after.compliant() as f64 >= compliant, "{what}: {compliant}");
    assert!(f64::from(p.after.shortfall()) <= shortfall, "{what}: {shortfall}");
    assert!(p.after.teacher_cv_squares() <= cv + 1e-9 * cv.max(1.0), "{what}: {cv}");
    if p.proven_optimal() {
        assert_eq!(p.after.compliant() as f64, compliant, "{what}");
        assert_eq!(f64::from(p.after.shortfall()), shortfall, "{what}");
        assert!((cv - p.after.teacher_cv_squares()).abs() <= 1e-9 * cv.max(1.0), "{what}: {cv}");
    }
    let km = value("distance").expect("a distance stage");
    assert!((km - p.distance_km()).abs() <= 0.01, "{what}: {km} km reported, {} km planned", p.distance_km());
}

/// Issue 17: a plan cut by the time limit has a plan from every stage,
/// never a stage "not run": each stage gets a share of the time, and one
/// whose solve finds nothing in it keeps the plan that stands. With 0.2 s
/// and 1 s the stressed county is cut short on this machine and proven on
/// one a hundred times faster; both are accepted, and what is asserted
/// holds either way.
#[test]
fn issue17_a_stressed_county_cut_by_the_time_limit_has_a_plan_from_every_stage() {
    let county = stressed_county();
    for limit in [0.2, 1.0] {
        let options = PlanOptions { time_limit: limit, ..options() };
        let what = format!("a stressed county in {limit} s");
        match plan(&county, Vec::new(), &options).expect("solver runs") {
            Outcome::Planned(p) => {
                assert_every_stage_has_a_plan(&p, &what);
                assert_honest_about_proof(&county, &p, &what);
            }
            Outcome::OutOfTime(_) => {} // no feasibility plan in the time: a status of its own
            Outcome::Infeasible(d) => panic!("{what}: the county has a plan: {:?}", lines(&d)),
        }
    }
}

/// A proven plan reports gap 0 for every stage: Σ CV² stops at HiGHS's
/// relative gap of 1e-6, but the search for other counts that reach its
/// value finds none, which proves its plan the least exactly. On this
/// county Σ CV²'s solve stopped with its bound 2–9 × 10⁻⁶ below its value,
/// and the stage was reported proven with that gap.
#[test]
fn a_proven_sigma_cv_squared_reports_gap_zero() {
    let knobs = rotaplan::commands::synth::Knobs { stress: 0.5, volunteer_share: 0.3 };
    let files = rotaplan::commands::synth::county_files_knobs(45, 25, knobs);
    let dir = tempfile::tempdir().expect("temporary folder");
    for name in files.names() {
        std::fs::write(dir.path().join(name), files.get(name).expect("named")).expect("writes");
    }
    let county = rotaplan::io::load(dir.path(), None).expect("a generated county loads").county;
    // About 5 s here: the default limit leaves a machine ten times slower
    // room to prove it too.
    let unhurried = PlanOptions { time_limit: 600.0, ..options() };
    let Outcome::Planned(p) = plan(&county, Vec::new(), &unhurried).expect("solves") else { panic!("a plan") };
    assert_honest_about_proof(&county, &p, "seed 45, 25 schools, stress 0.5");
}

/// Issue 17, without the clock: each solve stops at its first improving
/// plan, so most stages are cut short on any machine, and each later stage
/// starts from the plan that stands. Every stage has a plan, its value is
/// the plan's, the plan is valid, and no stage's value is worse than the
/// proven plan's earlier stages allow: compliance never below, shortfall
/// never above the proven optimum.
#[test]
fn issue17_stages_cut_short_each_start_from_the_plan_that_stands() {
    let county = stressed_county();
    let cut = PlanOptions { solution_limit: Some(1), ..options() };
    let Outcome::Planned(short) = plan(&county, Vec::new(), &cut).expect("solver runs") else { panic!("a plan") };
    assert_every_stage_has_a_plan(&short, "one improving plan a solve");
    assert_honest_about_proof(&county, &short, "one improving plan a solve");
    let Outcome::Planned(full) = plan(&county, Vec::new(), &options()).expect("solver runs") else { panic!("a plan") };
    assert!(full.proven_optimal(), "{:?}", full.stages);
    assert_every_stage_has_a_plan(&full, "proven");
    assert!(short.after.compliant() <= full.after.compliant());
    if short.after.compliant() == full.after.compliant() {
        assert!(short.after.shortfall() >= full.after.shortfall());
    }
}

/// Issue 17: another pass from the first stage cut short never makes the
/// plan worse, stage by stage in the order of the objective. Each solve
/// stops at its first improving plan, so stages are cut on any machine and
/// the passes run.
#[test]
fn issue17_another_pass_never_makes_the_plan_worse() {
    let county = stressed_county();
    let one = PlanOptions { solution_limit: Some(1), passes: 1, ..options() };
    let three = PlanOptions { solution_limit: Some(1), passes: 3, ..options() };
    let Outcome::Planned(a) = plan(&county, Vec::new(), &one).expect("solver runs") else { panic!("a plan") };
    let Outcome::Planned(b) = plan(&county, Vec::new(), &three).expect("solver runs") else { panic!("a plan") };
    assert!(!a.proven_optimal(), "one improving plan a solve cuts a stage short");
    assert_every_stage_has_a_plan(&b, "three passes");
    assert_honest_about_proof(&county, &b, "three passes");
    // The inspection's stages; the voice stages come before distance, so
    // km alone is no measure.
    let inspection =
        |p: &Plan| ObjectiveVector { distance_km: 0.0, ..audit(&county, &proposals(&county, p)).objective };
    let (va, vb) = (inspection(&a), inspection(&b));
    assert_ne!(vb.compare(&va), std::cmp::Ordering::Greater, "three passes {vb} are worse than one {va}");
}

/// Issue 17: on a county of the usual size stages 1–2.1 are solved as one,
/// and so are the voice stages; on a large county (aggregated flows) only
/// the wish stages are, since there a joint solve cut by its share of the
/// time found less than the stages one after the other.
#[test]
fn issue17_stages_are_solved_as_one_on_a_county_and_not_on_a_large_one() {
    use rotaplan::model::{Instance, Stage};
    let county = stressed_county();
    let mut inst = Instance::new(&county, Vec::new());
    assert!(!inst.aggregate, "the stressed county is of the usual size");
    let stages = inst.stages();
    let at = |stage: Stage| stages.iter().position(|&s| s == stage).expect("the county has the stage");
    let (forced, wish) = (at(Stage::Forced), at(Stage::Wish(1)));
    let wishes = inst.stage_group(&stages[wish..]);
    assert!(inst.stage_group(&stages) >= 2, "stages 1–2.1 alone: {stages:?}");
    assert!(inst.stage_group(&stages[forced..]) >= 2, "the voice stages alone: {stages:?}");
    inst.aggregate = true;
    // 0 or 1: each stage alone.
    assert!(inst.stage_group(&stages) <= 1);
    assert!(inst.stage_group(&stages[forced..]) <= 1);
    assert_eq!(inst.stage_group(&stages[wish..]), wishes, "the wish stages as before");
}
