//! The teachers' voice in the plan (issue 14): on random tiny counties with
//! random applications and family ties, the optimizer's plan is the best by
//! brute force over every plan the auditor accepts that keeps the published
//! order and every family tie — first the inspection (compliance,
//! shortfall, Σ CV²), then the fewest non-volunteers moved, the most
//! volunteers moved, the most moves at wish 1, 2, …, then the distance.

use std::cmp::Ordering;
use std::collections::BTreeMap;

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rotaplan::domain::applications::{Application, FamilyRule, FamilyTie, MAX_WISHES};
use rotaplan::domain::changes::ProposedMove;
use rotaplan::domain::{County, Exact, TeacherIndicator};
use rotaplan::plan::{plan, Outcome, PlanOptions};
use rotaplan::rules::audit::{Auditor, ObjectiveVector};
use rotaplan::rules::eligibility::county_ineligibility;
use rotaplan::rules::priority;

use crate::differential::{due_returns, every_plan, most_moves, random_county, small_enough};
use crate::plan::proposals;

/// The voice of a plan: non-volunteers moved, volunteers moved, moves at
/// each wish.
#[derive(Clone, Debug, PartialEq)]
struct Voice {
    forced: u32,
    volunteers: u32,
    wishes: [u32; MAX_WISHES],
}

impl Voice {
    /// The voice of a plan without voice stages: nothing counted.
    fn none() -> Voice {
        Voice { forced: 0, volunteers: 0, wishes: [0; MAX_WISHES] }
    }

    /// `Less` when `self` is better.
    fn compare(&self, other: &Voice) -> Ordering {
        self.forced.cmp(&other.forced).then(other.volunteers.cmp(&self.volunteers)).then(other.wishes.cmp(&self.wishes))
    }
}

/// Counts the voice of a list of moves from the applications alone.
fn voice_of(county: &County, moves: &[ProposedMove]) -> Voice {
    let mut v = Voice { forced: 0, volunteers: 0, wishes: [0; MAX_WISHES] };
    for m in moves {
        let app = county.applications.iter().find(|a| a.teacher_id == m.teacher_id);
        if app.is_some_and(|a| a.volunteer) {
            v.volunteers += 1;
        } else {
            v.forced += 1;
        }
        if let Some(rank) = app.and_then(|a| a.wishes.iter().position(|w| *w == m.to_school)) {
            v.wishes[rank] += 1;
        }
    }
    v
}

/// Whether the movers of every group of interchangeable teachers are the
/// first of the published order (the groups as the issue defines them:
/// eligible, not returning, not locked, not in a family tie; by school,
/// level, subject and the three indicator flags).
fn keeps_order(county: &County, moves: &[ProposedMove]) -> bool {
    let reasons = county_ineligibility(county);
    let due = due_returns(county);
    let tied: Vec<&str> = county.family.iter().flat_map(|f| [f.teacher_a.as_str(), f.teacher_b.as_str()]).collect();
    let mut groups: BTreeMap<_, Vec<usize>> = BTreeMap::new();
    for (i, t) in county.teachers.iter().enumerate() {
        let locked = county.locks.iter().any(|l| l.teacher_id == t.id);
        if !reasons[i].is_empty() || due.contains(&t.id) || locked || tied.contains(&t.id.as_str()) {
            continue;
        }
        let flags = TeacherIndicator::ALL.map(|k| k.counts(t, t.level));
        groups.entry((t.school_id.clone(), t.level, t.subject, flags, t.role)).or_default().push(i);
    }
    let keys = priority::keys(county);
    groups.into_values().all(|mut members| {
        members.sort_by(|&a, &b| priority::order(county, &keys, a, b));
        let moved: Vec<bool> =
            members.iter().map(|&i| moves.iter().any(|m| m.teacher_id == county.teachers[i].id)).collect();
        moved.windows(2).all(|w| w[0] || !w[1])
    })
}

/// Whether every family tie holds after the moves (same town only here).
fn keeps_family(county: &County, moves: &[ProposedMove]) -> bool {
    let due = due_returns(county);
    let school_after = |id: &str| {
        let mut own = county.teachers.iter().find(|t| t.id == id).expect("tied teacher").school_id.clone();
        if due.iter().any(|d| d == id) {
            own = county.exchange_of(id).expect("register row").home_school_id.clone();
        }
        moves.iter().find(|m| m.teacher_id == id).map(|m| m.to_school.clone()).unwrap_or(own)
    };
    let town = |school: &str| county.school(school).map(|s| s.town.clone());
    county.family.iter().all(|f| town(&school_after(&f.teacher_a)) == town(&school_after(&f.teacher_b)))
}

/// Random applications and, now and then, a same-town tie that holds now.
fn with_voice(county: County, seed: u64) -> County {
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0x5eed);
    let mut apps = Vec::new();
    for t in &county.teachers {
        if !rng.random_bool(0.5) {
            continue;
        }
        let mut others: Vec<String> =
            county.schools.iter().filter(|s| s.id != t.school_id && s.has(t.level)).map(|s| s.id.clone()).collect();
        let mut wishes = Vec::new();
        while !others.is_empty() && wishes.len() < 3 && rng.random_bool(0.6) {
            wishes.push(others.remove(rng.random_range(0..others.len())));
        }
        let extra = Exact::from_integer(rng.random_range(0..3));
        let volunteer = rng.random_bool(0.5);
        apps.push(Application {
            teacher_id: t.id.clone(),
            volunteer,
            wishes,
            extra_points: extra,
            note: String::new(),
        });
    }
    let mut family = Vec::new();
    if rng.random_bool(0.4) && county.teachers.len() >= 2 {
        let a = rng.random_range(0..county.teachers.len());
        let b = rng.random_range(0..county.teachers.len());
        let (ta, tb) = (&county.teachers[a], &county.teachers[b]);
        let same = county.school(&ta.school_id).map(|s| &s.town) == county.school(&tb.school_id).map(|s| &s.town);
        if a != b && same {
            family.push(FamilyTie { teacher_a: ta.id.clone(), teacher_b: tb.id.clone(), rule: FamilyRule::SameTown });
        }
    }
    county.with_applications(apps).with_family(family)
}

/// The best plan by brute force: its objective vector and voice.
fn brute_force(county: &County) -> Option<(ObjectiveVector, Voice)> {
    let due = due_returns(county);
    let auditor = Auditor::new(county);
    let (low, high) = auditor.move_bounds();
    let high = most_moves(county, high);
    let reasons = county_ineligibility(county);
    let movers: Vec<(String, Vec<String>)> = county
        .teachers
        .iter()
        .enumerate()
        .filter(|(i, t)| reasons[*i].is_empty() && !due.contains(&t.id))
        .map(|(_, t)| {
            let to =
                county.schools.iter().filter(|s| s.id != t.school_id && s.has(t.level)).map(|s| s.id.clone()).collect();
            (t.id.clone(), to)
        })
        .collect();
    let mut best: Option<(ObjectiveVector, Voice)> = None;
    for k in low..=high {
        let mut judge = |moves: &[ProposedMove]| {
            let verdict = auditor.audit_with_returns(moves, &[]);
            if !verdict.is_valid() || !keeps_order(county, moves) || !keeps_family(county, moves) {
                return;
            }
            let voice = if has_voice(county) { voice_of(county, moves) } else { Voice::none() };
            if best.as_ref().is_none_or(|(o, v)| better(&verdict.objective, &voice, o, v)) {
                best = Some((verdict.objective, voice));
            }
        };
        every_plan(&movers, 0, k as usize, &mut Vec::new(), &mut judge);
    }
    best
}

/// Whether the county's plan has the voice stages: some eligible teacher
/// volunteers or has wishes (else the four stages of SPEC §4 alone).
fn has_voice(county: &County) -> bool {
    let reasons = county_ineligibility(county);
    let due = due_returns(county);
    county.teachers.iter().enumerate().any(|(i, t)| {
        reasons[i].is_empty()
            && !due.contains(&t.id)
            && !county.locks.iter().any(|l| l.teacher_id == t.id && l.action == rotaplan::domain::LockAction::Stay)
            && county.application_of(&t.id).is_some_and(|a| a.volunteer || !a.wishes.is_empty())
    })
}

/// Whether (a, va) is better than (b, vb): inspection, then voice, then km.
fn better(a: &ObjectiveVector, va: &Voice, b: &ObjectiveVector, vb: &Voice) -> bool {
    let inspection = |o: &ObjectiveVector| ObjectiveVector { distance_km: 0.0, ..*o };
    inspection(a).compare(&inspection(b)).then_with(|| va.compare(vb)).then_with(|| a.compare(b)) == Ordering::Less
}

#[test]
fn wishes_stages_match_the_brute_force_on_tiny_counties() {
    let mut checked = 0;
    let mut with_wishes = 0;
    for seed in 0..400u64 {
        let county = with_voice(random_county(seed), seed);
        if county.policy.exchange.returns != rotaplan::domain::policy::ReturnsMode::Fixed || !small_enough(&county) {
            continue;
        }
        let options = PlanOptions { time_limit: 60.0, aggregate: Some(seed % 2 == 0), ..Default::default() };
        let outcome = plan(&county, Vec::new(), &options).expect("plan runs");
        let brute = brute_force(&county);
        match (outcome, brute) {
            (Outcome::Planned(p), Some((objective, voice))) => {
                let moves = proposals(&county, &p);
                let verdict = Auditor::new(&county).audit_with_returns(&moves, &[]);
                assert!(verdict.is_valid(), "seed {seed}: the auditor rejects the plan");
                assert!(keeps_order(&county, &moves), "seed {seed}: the plan breaks the published order");
                assert!(keeps_family(&county, &moves), "seed {seed}: the plan breaks a family tie");
                let mine = if has_voice(&county) { voice_of(&county, &moves) } else { Voice::none() };
                assert!(
                    !better(&objective, &voice, &verdict.objective, &mine),
                    "seed {seed}: brute force finds {objective} {voice:?}, the plan {} {mine:?}",
                    verdict.objective
                );
                checked += 1;
                with_wishes += usize::from(mine.wishes.iter().sum::<u32>() > 0);
            }
            (Outcome::Planned(_), None) => panic!("seed {seed}: a plan where the brute force finds none"),
            (_, Some((objective, _))) => panic!("seed {seed}: no plan, but the brute force finds {objective}"),
            _ => {}
        }
    }
    assert!(checked >= 20, "only {checked} counties were checked");
    assert!(with_wishes >= 5, "only {with_wishes} plans granted a wish");
}

/// data/anze with applications drawn from a seed: a third of the eligible
/// teachers apply, half of them volunteers, each with up to three wishes.
fn anze_with_applications(seed: u64) -> County {
    let data = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data").join("anze");
    let county = rotaplan::io::load(&data, None).expect("data/anze loads").county;
    let reasons = county_ineligibility(&county);
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut apps = Vec::new();
    for (i, t) in county.teachers.iter().enumerate() {
        if !reasons[i].is_empty() || !rng.random_bool(0.33) {
            continue;
        }
        let mut others: Vec<String> =
            county.schools.iter().filter(|s| s.id != t.school_id && s.has(t.level)).map(|s| s.id.clone()).collect();
        let mut wishes = Vec::new();
        while !others.is_empty() && wishes.len() < 3 {
            wishes.push(others.remove(rng.random_range(0..others.len())));
        }
        let volunteer = rng.random_bool(0.5);
        let extra = Exact::from_integer(0);
        apps.push(Application {
            teacher_id: t.id.clone(),
            volunteer,
            wishes,
            extra_points: extra,
            note: String::new(),
        });
    }
    county.with_applications(apps)
}

#[test]
fn applications_keep_the_inspection_figures_and_move_volunteers_first() {
    let county = anze_with_applications(7);
    let options = PlanOptions { time_limit: 600.0, ..Default::default() };
    let plain = county.clone().with_applications(Vec::new());
    let Outcome::Planned(before) = plan(&plain, Vec::new(), &options).expect("plans") else { panic!("no plan") };
    let Outcome::Planned(after) = plan(&county, Vec::new(), &options).expect("plans") else { panic!("no plan") };
    for p in [&before, &after] {
        assert!(p.stages.iter().all(|s| s.status == Some(rotaplan::solve::StageStatus::Optimal)), "every stage proven");
    }
    assert_eq!(before.after.compliant(), after.after.compliant());
    assert_eq!(before.after.shortfall(), after.after.shortfall());
    let (a, b) = (before.after.teacher_cv_squares(), after.after.teacher_cv_squares());
    assert!((a - b).abs() <= 1e-7 * a.max(1.0), "Σ CV² {a} vs {b}");
    let ids: Vec<&str> = after.stages.iter().map(|s| s.stage.id()).collect();
    assert_eq!(
        &ids[..7],
        ["compliance", "shortfall", "subject_gaps", "cv_squares", "structure", "forced", "volunteers"]
    );
    assert!(ids.contains(&"wish_1") && ids.last() == Some(&"distance"));
    let moves_after = proposals(&county, &after);
    let moves_before = proposals(&county, &before);
    let (va, vb) = (voice_of(&county, &moves_after), voice_of(&county, &moves_before));
    assert!(va.compare(&vb) != Ordering::Greater, "the voice stages make it worse: {va:?} vs {vb:?}");
    assert!(va.volunteers > vb.volunteers, "more volunteers move: {va:?} vs {vb:?}");
    assert!(keeps_order(&county, &moves_after));
    assert!(Auditor::new(&county).audit_with_returns(&moves_after, &[]).is_valid());
}
