//! Why no plan exists: the stage-1 model re-solved with a slack on every
//! constraint of the rule groups, the slack minimised, and each group that
//! needed slack reported with its numbers and the change that removes it.

use std::collections::BTreeMap;

use good_lp::{constraint, variable, Expression};

use crate::error::Error;
use crate::model::{Fixed, Instance, Stage};
use crate::rules::rule::Rule;
use crate::solve::{minimise, SolveOptions, StageStatus};

/// Rule groups that may take slack in the diagnosis.
const RELAXABLE: [Rule; 7] = [
    Rule::RotationShare,
    Rule::BackboneShare,
    Rule::HeadcountBalance,
    Rule::StaffQuota,
    Rule::SubjectFloor,
    Rule::Locks,
    Rule::HiresPlaced,
];

/// Where each rule that needed slack needed it: (the row's place, slack).
type Slacks = BTreeMap<Rule, Vec<(String, f64)>>;

/// Least seconds the diagnosis gets, even past the time limit: without it
/// an infeasible county would get no answer.
const LEAST_SECONDS: f64 = 1.0;

/// Re-solves with slack on each rule group and reports the groups that
/// needed it, within `time_limit` (the time the run has left, at least
/// [`LEAST_SECONDS`]). When the time runs out before an answer, the one
/// conflict reported says so.
///
/// Where roads.csv leaves schools without a road path between them, the
/// missing roads are tried first: the moves between such schools are added,
/// each held at 0 by a `roads` row that alone may take slack. If a plan then
/// exists, the missing roads are what makes a plan impossible, and the
/// diagnosis names the pairs a plan would need.
pub fn relaxed_conflicts(inst: &Instance, time_limit: f64) -> Result<Vec<Conflict>, Error> {
    let began = std::time::Instant::now();
    match conflicts_within(inst, time_limit, began) {
        Err(Error::TimeLimit(_)) => Ok(vec![Conflict {
            rule: None,
            detail: "the rules cannot all hold, but the time limit ran out before the diagnosis found which".into(),
            needed: 0.0,
            available: 0.0,
            fix: "run again with more time (--time-limit) to see the conflicting rules".into(),
        }]),
        other => other,
    }
}

/// The conflicts, or `Error::TimeLimit` when a solve ran out of time.
fn conflicts_within(inst: &Instance, time_limit: f64, began: std::time::Instant) -> Result<Vec<Conflict>, Error> {
    if !inst.county.roads.is_empty() {
        let mut gaps = Instance::with_road_gaps(inst.county, inst.hires.clone());
        gaps.hire_budget = inst.hire_budget;
        gaps.aggregate = inst.aggregate;
        if gaps.has_road_gaps() {
            if let Some(slacks) = relaxed_solve(&gaps, &[Rule::Roads], time_limit)? {
                return Ok(describe(inst, slacks));
            }
        }
    }
    let left = time_limit - began.elapsed().as_secs_f64();
    match relaxed_solve(inst, &RELAXABLE, left)? {
        Some(slacks) => Ok(describe(inst, slacks)),
        None => Ok(vec![Conflict {
            rule: Some(Rule::Movement),
            detail: "even with every rule relaxed no plan exists: the movement rules leave no allowed destination"
                .into(),
            needed: 1.0,
            available: 0.0,
            fix: "raise movement.max_distance_km or set movement.within_alliance = no".into(),
        }]),
    }
}

/// The stage-1 model with a slack on every constraint of the `relaxable`
/// groups, the slack minimised: the slack each group needed, or None when no
/// plan exists even so.
fn relaxed_solve(inst: &Instance, relaxable: &[Rule], time_limit: f64) -> Result<Option<Slacks>, Error> {
    let mut model = inst.build(Stage::Compliance, &Fixed::default());
    let mut objective = Expression::with_capacity(64);
    let mut slacks: Vec<(Rule, String, good_lp::Variable)> = Vec::new();
    let mut constraints = Vec::with_capacity(model.constraints.len());
    for c in model.constraints.drain(..) {
        let name = c.name().unwrap_or("").to_string();
        let Some((rule, place)) = Rule::of_row(&name).filter(|(rule, _)| relaxable.contains(rule)) else {
            constraints.push(c);
            continue;
        };
        let place = place.to_string();
        let e = c.expression().clone();
        let down = model.vars.add(variable().min(0.0));
        objective.add_mul(1.0, down);
        slacks.push((rule, place.clone(), down));
        if c.is_equality() {
            let up = model.vars.add(variable().min(0.0));
            objective.add_mul(1.0, up);
            slacks.push((rule, place, up));
            constraints.push(constraint::eq(e - down + up, 0.0).set_name(name));
        } else {
            constraints.push(constraint::leq(e - down, 0.0).set_name(name));
        }
    }
    let options = SolveOptions::new(time_limit.max(LEAST_SECONDS), 0.0, 1e-6);
    let outcome = minimise(model.vars, objective, constraints, options, None)?;
    if outcome.status == StageStatus::Infeasible {
        return Ok(None);
    }
    let mut by_group: Slacks = BTreeMap::new();
    for (rule, place, var) in &slacks {
        let v = outcome.value(*var);
        if v > 1e-6 {
            by_group.entry(*rule).or_default().push((place.clone(), v));
        }
    }
    Ok(Some(by_group))
}

/// Each group that needed slack as a conflict, with the places, the amounts
/// and a change that removes it.
fn describe(inst: &Instance, by_group: Slacks) -> Vec<Conflict> {
    let policy = &inst.county.policy;
    let mut out = Vec::new();
    for (group, items) in by_group {
        let total: f64 = items.iter().map(|(_, v)| v).sum();
        let places: Vec<String> = items.iter().map(|(place, v)| format!("{place} ({v:.0})")).collect();
        let (detail, fix) = match group {
            Rule::RotationShare => (
                format!("{} moves are required but the other rules let only {:.0} happen", inst.min_moves, inst.min_moves as f64 - total),
                format!("lower rotation.min_share, or relax the movement rules ({total:.0} more moves needed)"),
            ),
            Rule::BackboneShare => {
                let share = policy.rotation.backbone_min_share;
                let short = total / *share.denom() as f64;
                (
                    format!("backbone teachers fall {short:.2} short of backbone_min_share × moves"),
                    format!("needs about {:.0} more eligible backbone teacher(s) able to move, or a lower rotation.backbone_min_share", short.ceil()),
                )
            }
            Rule::HeadcountBalance => (
                format!("arrivals and departures cannot balance at: {}", places.join(", ")),
                format!(
                    "raise movement.headcount_tolerance to at least {:.0}",
                    items.iter().map(|(_, v)| *v).fold(0.0, f64::max).ceil() + policy.movement.headcount_tolerance as f64
                ),
            ),
            Rule::StaffQuota => (
                format!("schools would exceed their staff quota: {}", places.join(", ")),
                "raise staff_quota of those schools".into(),
            ),
            Rule::SubjectFloor => (
                format!("subject floors cannot hold at: {}", places.join(", ")),
                "lower the need in staffing.csv for those subjects, or lock those teachers to stay".into(),
            ),
            Rule::Locks => (format!("locks cannot hold: {}", places.join(", ")), "remove or change those locks in locks.csv".into()),
            Rule::Roads => (
                format!(
                    "a plan needs {total:.0} move(s) between schools that roads.csv does not connect (a pair with no road path is not an allowed move): {}",
                    places.join(", ")
                ),
                "add the missing roads to roads.csv (between those schools or their towns)".into(),
            ),
            _ => (format!("{group} cannot hold: {}", places.join(", ")), "change the data".into()),
        };
        out.push(Conflict { rule: Some(group), detail, needed: total, available: 0.0, fix });
    }
    if out.is_empty() {
        out.push(Conflict {
            rule: None,
            detail: "the solver found the rules in conflict but no single group explains it".into(),
            needed: 0.0,
            available: 0.0,
            fix: "check locks and movement rules".into(),
        });
    }
    out
}

/// A rule group that cannot hold, with the numbers and what would fix it.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Conflict {
    /// The rule (None when the diagnosis cannot name one: id `unknown`).
    #[serde(serialize_with = "rule_or_unknown")]
    pub rule: Option<Rule>,
    /// What is wrong, in words.
    pub detail: String,
    /// What needed to hold.
    pub needed: f64,
    /// What the data allows.
    pub available: f64,
    /// A change to the data or the policy that would make a plan exist.
    pub fix: String,
}

impl Conflict {
    /// The rule's id, or `unknown`.
    pub fn rule_id(&self) -> &'static str {
        self.rule.map_or("unknown", Rule::id)
    }
}

fn rule_or_unknown<S: serde::Serializer>(rule: &Option<Rule>, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(rule.map_or("unknown", Rule::id))
}

/// The conflicts found when no plan exists.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Diagnosis {
    /// Eligible teachers.
    pub eligible: usize,
    /// Required moves.
    pub required_moves: u32,
    /// The conflicts.
    pub conflicts: Vec<Conflict>,
}

impl Diagnosis {
    /// One line per conflict, for the terminal and the comparison.
    pub fn lines(&self) -> Vec<String> {
        self.conflicts.iter().map(|c| format!("[{}] {} — {}", c.rule_id(), c.detail, c.fix)).collect()
    }
}

/// Conflicts visible before solving: capacities against the rules.
pub fn capacity_conflicts(inst: &Instance) -> Vec<Conflict> {
    let policy = &inst.county.policy;
    let mut out = Vec::new();
    for (_, detail) in &inst.lock_conflicts {
        out.push(Conflict {
            rule: Some(Rule::Locks),
            detail: detail.clone(),
            needed: 1.0,
            available: 0.0,
            fix: "remove or change that lock in locks.csv".into(),
        });
    }
    let (min, max) = (inst.min_moves, inst.max_moves);
    if max < min {
        out.push(Conflict {
            rule: Some(Rule::RotationShare),
            detail: format!("max_share allows {max} moves but min_share requires {min}"),
            needed: min as f64,
            available: max as f64,
            fix: "set rotation.max_share ≥ rotation.min_share".into(),
        });
    }
    let movable = inst.movable();
    if (movable as u32) < min {
        out.push(Conflict {
            rule: Some(Rule::RotationShare),
            detail: format!(
                "{min} move(s) are required but only {movable} eligible teacher(s) may move ({} locked to stay)",
                inst.stay_locked
            ),
            needed: min as f64,
            available: movable as f64,
            fix: format!(
                "needs {} more eligible teachers, or rotation.min_share ≤ {}",
                min as usize - movable,
                share_floor(movable, inst.eligible)
            ),
        });
    }
    let forced = inst.forced_moves();
    if forced as u32 > max {
        out.push(Conflict {
            rule: Some(Rule::Locks),
            detail: format!("{forced} teacher(s) are locked to move but at most {max} move(s) are allowed"),
            needed: forced as f64,
            available: max as f64,
            fix: format!("remove {} move locks, or raise rotation.max_share", forced as u32 - max),
        });
    }
    let share = policy.rotation.backbone_min_share;
    let need_bb = crate::exact::ceil_exact(share * crate::domain::Exact::from_integer(min as i128));
    let have_bb = inst.movable_backbone();
    if (have_bb as u32) < need_bb && min > 0 {
        out.push(Conflict {
            rule: Some(Rule::BackboneShare),
            detail: format!(
                "{min} move(s) need at least {need_bb} backbone teacher(s) ({} × {min}), but only {have_bb} eligible backbone teacher(s) may move",
                crate::exact::to_f64(&share)
            ),
            needed: need_bb as f64,
            available: have_bb as f64,
            fix: if have_bb == 0 {
                format!(
                    "needs {} eligible backbone teacher(s) able to move, or rotation.backbone_min_share = 0",
                    need_bb
                )
            } else {
                format!(
                    "needs {} more eligible backbone teacher(s), or rotation.backbone_min_share ≤ {}",
                    need_bb as usize - have_bb,
                    share_floor(have_bb, min as usize)
                )
            },
        });
    }
    out
}

/// num/den rounded down to 4 decimals, so that the suggested share surely works.
fn share_floor(num: usize, den: usize) -> String {
    if den == 0 {
        return "0".into();
    }
    let v = (num as f64 / den as f64 * 10_000.0).floor() / 10_000.0;
    format!("{v:.4}")
}
