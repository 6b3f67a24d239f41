//! Flows into named teachers: the integer flows of a stage's plan (by a
//! transport problem where the stage's columns do not give them), the moves
//! and hire placements they name, and the county's figures after them.

use crate::domain::changes::HireGroup;
use crate::domain::{County, Teacher};
use crate::error::Error;
use crate::model::{Handles, Instance, ProfileLock};
use crate::rules::curriculum::{current_gaps, subject_gaps, SubjectGaps};
use crate::rules::indicators::{count_sections, current_placement, figures, CountyFigures};
use crate::solve::{minimise, SolveOptions, StageOutcome, StageStatus};

use super::{HirePlacement, Move, Plan, Return, StageReport};

/// Seconds the transport problem that turns a stopped stage's counts into
/// teachers may take past the time limit: without it there is no plan.
const TRANSPORT_FLOOR_SECONDS: f64 = 2.0;

/// The integer flows of a stage's plan. Stages before the distance have no
/// flow columns for free profiles, and flow columns are continuous; where
/// they are missing or fractional, the transport problem with the plan's
/// departures and arrivals gives integral flows of least distance.
/// The transport problem gets the time left, and at least
/// [`TRANSPORT_FLOOR_SECONDS`].
pub(crate) fn plan_flows(
    inst: &Instance,
    handles: &Handles,
    outcome: &StageOutcome,
    left: f64,
) -> Result<Vec<Vec<u32>>, Error> {
    let complete = handles.x.iter().zip(&inst.profiles).all(|(row, p)| row.len() == p.destinations.len());
    let integral = handles.x.iter().flatten().all(|v| {
        let value = outcome.value(*v);
        (value - value.round()).abs() < 1e-6
    });
    if complete && integral {
        let mut flows = round_flows(&handles.x, outcome);
        keep_order(inst, &mut flows);
        return Ok(flows);
    }
    let departures: Vec<u32> = handles.d.iter().map(|v| outcome.value(*v).round().max(0.0) as u32).collect();
    let arrivals: Vec<Vec<_>> = handles
        .a
        .iter()
        .map(|row| {
            row.iter()
                .map(|&(subject, flags, class, v)| (subject, flags, class, outcome.value(v).round().max(0.0) as u32))
                .collect()
        })
        .collect();
    let pinned: Vec<Option<Vec<u32>>> = inst
        .profiles
        .iter()
        .zip(&handles.x)
        .map(|(p, row)| {
            let integral = row.iter().all(|v| (outcome.value(*v) - outcome.value(*v).round()).abs() < 1e-6);
            let keep = p.single || p.role != crate::domain::Role::Teacher;
            (keep && integral && row.len() == p.destinations.len()).then(|| round_row(row, outcome))
        })
        .collect();
    let model = inst.build_transport(&departures, &arrivals, &pinned);
    let options = SolveOptions::new(left.max(TRANSPORT_FLOOR_SECONDS), 0.0, 1e-6);
    let solved = minimise(model.vars, model.objective, model.constraints, options, None)?;
    if solved.status == StageStatus::Infeasible {
        return Err(Error::Solver("the plan's departures and arrivals admit no integral moves".into()));
    }
    let mut flows = round_flows(&model.handles.x, &solved);
    keep_order(inst, &mut flows);
    Ok(flows)
}

/// Puts each group's moves on the first of its published order, keeping
/// how many go to each destination (so every inspection figure stays). The
/// stages after Σ CV² hold the order by their rows, and this changes
/// nothing there; a plan of an earlier stage (when the time ran out before
/// the later ones) gets its movers named by the order too. A group whose
/// members not apart are split over several profiles (by structure class,
/// or by next year in a two-year plan) is left as it is when its movers
/// are already the first of the order.
fn keep_order(inst: &Instance, flows: &mut [Vec<u32>]) {
    for group in &inst.order_groups {
        let rest: Vec<usize> =
            group.profiles.iter().copied().filter(|p| !group.ranks.iter().any(|r| r.0 == *p)).collect();
        if group.ranks.is_empty() && rest.len() < 2 {
            continue;
        }
        let width = inst.profiles[group.profiles[0]].destinations.len();
        if group.profiles.iter().any(|&p| flows[p].len() != width) {
            continue;
        }
        if rest.len() > 1 && in_order(inst, group, flows) {
            continue;
        }
        let mut pool = vec![0u32; width];
        for &p in &group.profiles {
            for (j, n) in flows[p].iter().enumerate() {
                pool[j] += n;
            }
        }
        let total: u32 = pool.iter().sum();
        // Profiles of one within the first `total` keep their destination;
        // the others among them take what is left, first destination first.
        let mut waiting = Vec::new();
        for &(p, rank) in &group.ranks {
            let moves = rank as u32 <= total;
            match flows[p].iter().position(|&n| n > 0) {
                Some(j) if moves => pool[j] -= 1,
                Some(j) => flows[p][j] = 0,
                None if moves => waiting.push(p),
                None => {}
            }
        }
        for p in waiting {
            if let Some(j) = pool.iter().position(|&n| n > 0) {
                pool[j] -= 1;
                flows[p][j] = 1;
            }
        }
        // Each other profile moves its members among the first `total`.
        let first = &group.members[..(total as usize).min(group.members.len())];
        for &r in &rest {
            let mut left = inst.profiles[r].members.iter().filter(|m| first.contains(m)).count() as u32;
            for (j, n) in flows[r].iter_mut().enumerate() {
                *n = pool[j].min(left);
                pool[j] -= *n;
                left -= *n;
            }
        }
    }
}

/// Whether a group's movers are the first of its order: each profile moves
/// as many as it has among the group's first `total`.
fn in_order(inst: &Instance, group: &crate::model::voice::OrderGroup, flows: &[Vec<u32>]) -> bool {
    let total: u32 = group.profiles.iter().map(|&p| flows[p].iter().sum::<u32>()).sum();
    let first = &group.members[..(total as usize).min(group.members.len())];
    group.profiles.iter().all(|&p| {
        let among = inst.profiles[p].members.iter().filter(|m| first.contains(m)).count() as u32;
        among == flows[p].iter().sum::<u32>()
    })
}

/// Whether each due return of the instance happens in a stage's plan
/// (always with fixed returns; by its binary with optional ones).
pub(crate) fn returned_of(handles: &Handles, outcome: &StageOutcome) -> Vec<bool> {
    handles.r.iter().map(|v| v.is_none_or(|v| outcome.value(v) > 0.5)).collect()
}

/// The plan's returns: each due return, done or extended.
pub(super) fn returns_of(inst: &Instance, returned: &[bool]) -> Vec<Return> {
    inst.returns
        .iter()
        .zip(returned)
        .map(|(r, &done)| Return {
            teacher: r.teacher,
            host: r.host,
            home: r.home,
            level: inst.county.teachers[r.teacher].level,
            end_year: r.end_year,
            extended: !done,
        })
        .collect()
}

/// The placement after a plan with its returns: each returning teacher at
/// home (an extended one stays at the host).
pub fn apply_returns(placement: &mut [Option<usize>], returns: &[Return]) {
    for r in returns {
        placement[r.teacher] = Some(r.to());
    }
}

/// The moves of `flows`: each profile's members in order, those `keep`
/// accepts (by teacher index), sorted by from-school id then teacher id.
pub(super) fn pick_moves(inst: &Instance, flows: &[Vec<u32>], keep: impl Fn(usize) -> bool) -> Vec<Move> {
    let mut moves = Vec::new();
    for (p, row) in flows.iter().enumerate() {
        let profile = &inst.profiles[p];
        let mut members = profile.members.iter().filter(|&&m| keep(m));
        for (j, n) in row.iter().enumerate() {
            let d = profile.destinations[j];
            for _ in 0..*n {
                let Some(&teacher) = members.next() else { break };
                moves.push(Move {
                    teacher,
                    from: inst.sections[profile.section].school,
                    to: inst.sections[d.section].school,
                    level: inst.sections[profile.section].level,
                    km: d.km,
                    profile: p,
                });
            }
        }
        debug_assert!(profile.lock == ProfileLock::None || row.iter().sum::<u32>() <= 1);
    }
    let county = inst.county;
    moves.sort_by(|a, b| {
        county.schools[a.from]
            .id
            .cmp(&county.schools[b.from].id)
            .then_with(|| county.teachers[a.teacher].id.cmp(&county.teachers[b.teacher].id))
    });
    moves
}

/// Integer values of a row of flow variables.
fn round_row(row: &[good_lp::Variable], outcome: &StageOutcome) -> Vec<u32> {
    row.iter().map(|v| outcome.value(*v).round().max(0.0) as u32).collect()
}

/// Integer values of a table of flow variables.
pub(crate) fn round_flows(vars: &[Vec<good_lp::Variable>], outcome: &StageOutcome) -> Vec<Vec<u32>> {
    vars.iter().map(|row| row.iter().map(|v| outcome.value(*v).round().max(0.0) as u32).collect()).collect()
}

/// Total km of a stage's flows (unknown distances count 0).
pub(crate) fn distance_of(inst: &Instance, flows: &[Vec<u32>]) -> f64 {
    let mut total = 0.0;
    for (p, row) in flows.iter().enumerate() {
        for (j, n) in row.iter().enumerate() {
            total += *n as f64 * inst.profiles[p].destinations[j].km.unwrap_or(0.0);
        }
    }
    total
}

/// The teachers (with hires appended) and where each is after the plan.
pub fn roster_after(
    county: &County,
    moves: &[Move],
    hires: &[HirePlacement],
    groups: &[HireGroup],
) -> (Vec<Teacher>, Vec<Option<usize>>) {
    let mut teachers = county.teachers.clone();
    let mut placement = current_placement(county);
    for m in moves {
        placement[m.teacher] = Some(m.to);
    }
    for h in hires {
        let g = &groups[h.group];
        teachers.push(Teacher {
            id: h.id.clone(),
            name: String::new(),
            school_id: county.schools[h.to].id.clone(),
            level: g.level,
            subject: g.subject,
            degree: g.degree,
            backbone: g.backbone,
            title: g.title,
            gender: crate::domain::Gender::Female,
            birth_year: county.policy.year - 25,
            school_since: county.policy.year,
            certified: true,
            full_time: true,
            role: crate::domain::Role::Teacher,
            exempt: None,
            last_rotated: None,
        });
        placement.push(Some(h.to));
    }
    (teachers, placement)
}

/// The moves and hire placements of a stage's flows: each profile's members
/// in order, sorted by from-school id then teacher id; hires by id.
fn pick(inst: &Instance, flows: &[Vec<u32>], hire_flows: &[Vec<u32>]) -> (Vec<Move>, Vec<HirePlacement>) {
    let moves = pick_moves(inst, flows, |_| true);
    let mut hires = Vec::new();
    for (g, row) in hire_flows.iter().enumerate() {
        let mut ids = inst.hires[g].ids.iter();
        for (j, n) in row.iter().enumerate() {
            for _ in 0..*n {
                let Some(id) = ids.next() else { break };
                hires.push(HirePlacement {
                    group: g,
                    id: id.clone(),
                    to: inst.sections[inst.hire_destinations[g][j]].school,
                });
            }
        }
    }
    hires.sort_by(|a, b| a.id.cmp(&b.id));
    (moves, hires)
}

/// The county's figures after a stage's flows and returns.
pub(crate) fn after_figures(
    inst: &Instance,
    flows: &[Vec<u32>],
    hire_flows: &[Vec<u32>],
    returned: &[bool],
) -> CountyFigures {
    let (teachers, placement) = stage_roster(inst, flows, hire_flows, returned);
    figures(inst.county, &count_sections(inst.county, &teachers, &placement))
}

/// The subject gaps after a stage's flows and returns.
pub(crate) fn gaps_after(
    inst: &Instance,
    flows: &[Vec<u32>],
    hire_flows: &[Vec<u32>],
    returned: &[bool],
) -> SubjectGaps {
    let (teachers, placement) = stage_roster(inst, flows, hire_flows, returned);
    subject_gaps(inst.county, &teachers, &placement)
}

/// The teachers (hires appended) and where each is after a stage's flows and returns.
fn stage_roster(
    inst: &Instance,
    flows: &[Vec<u32>],
    hire_flows: &[Vec<u32>],
    returned: &[bool],
) -> (Vec<Teacher>, Vec<Option<usize>>) {
    let (moves, hires) = pick(inst, flows, hire_flows);
    let (teachers, mut placement) = roster_after(inst.county, &moves, &hires, &inst.hires);
    apply_returns(&mut placement, &returns_of(inst, returned));
    (teachers, placement)
}

/// The title and age structure after a plan's flows.
pub(crate) fn after_structure(
    inst: &Instance,
    flows: &[Vec<u32>],
    hire_flows: &[Vec<u32>],
    returned: &[bool],
) -> crate::rules::structure::StructureFigures {
    let (moves, hires) = pick(inst, flows, hire_flows);
    let (teachers, mut placement) = roster_after(inst.county, &moves, &hires, &inst.hires);
    apply_returns(&mut placement, &returns_of(inst, returned));
    crate::rules::structure::structure(inst.county, &teachers, &placement)
}

/// The plan of the flows that stand, with its stage reports.
pub(crate) fn assemble(
    inst: &Instance,
    flows: &[Vec<u32>],
    hire_flows: &[Vec<u32>],
    returned: &[bool],
    after: CountyFigures,
    stages: Vec<StageReport>,
    seconds: f64,
) -> Plan {
    let (moves, hires) = pick(inst, flows, hire_flows);
    let before = crate::rules::indicators::evaluate(inst.county);
    let gaps_after = gaps_after(inst, flows, hire_flows, returned);
    Plan {
        moves,
        hires,
        returns: returns_of(inst, returned),
        hire_groups: inst.hires.clone(),
        stages,
        before,
        after,
        eligible: inst.eligible,
        required_moves: inst.min_moves,
        max_moves: inst.max_moves,
        principals: super::PrincipalBounds {
            eligible: inst.principals_eligible,
            required: inst.principal_moves.0,
            most: inst.principal_moves.1,
        },
        profile_sizes: inst.profiles.iter().map(|p| p.members.len()).collect(),
        seconds,
        gaps_before: current_gaps(inst.county),
        gaps_after,
    }
}

/// What the voice stages count in a plan's flows, by the named movers.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct VoiceCounts {
    /// Non-volunteers moved.
    pub forced: u32,
    /// Volunteers moved.
    pub volunteers: u32,
    /// Moves granted at wish 1 … 5.
    pub wishes: [u32; crate::domain::applications::MAX_WISHES],
}

impl VoiceCounts {
    /// The count a voice stage optimises (None for the other stages).
    pub fn of(&self, stage: crate::model::Stage) -> Option<u32> {
        use crate::model::Stage;
        match stage {
            Stage::Forced => Some(self.forced),
            Stage::Volunteers => Some(self.volunteers),
            Stage::Wish(k) => self.wishes.get(usize::from(k).checked_sub(1)?).copied(),
            _ => None,
        }
    }
}

/// The voice counts of a stage's flows.
pub(crate) fn voice_counts(inst: &Instance, flows: &[Vec<u32>]) -> VoiceCounts {
    let county = inst.county;
    let mut counts = VoiceCounts::default();
    for m in pick_moves(inst, flows, |_| true) {
        let id = &county.teachers[m.teacher].id;
        let app = county.application_of(id);
        if app.is_some_and(|a| a.volunteer) {
            counts.volunteers += 1;
        } else {
            counts.forced += 1;
        }
        let to = &county.schools[m.to].id;
        if let Some(rank) = app.and_then(|a| a.wishes.iter().position(|w| w == to)) {
            if rank < counts.wishes.len() {
                counts.wishes[rank] += 1;
            }
        }
    }
    counts
}
