//! Why no plan exists: the stage-1 model re-solved with a slack on every
//! constraint of the rule groups, the slack minimised, and each group that
//! needed slack reported with its numbers and the change that removes it.

use std::collections::BTreeMap;

use good_lp::{constraint, variable, Expression};

use crate::domain::{Area, Role};
use crate::error::Error;
use crate::model::{Fixed, Instance, LockProblem, Stage};
use crate::rules::rule::Rule;
use crate::solve::{minimise, SolveOptions, StageStatus};

/// Rule groups that may take slack in the diagnosis.
const RELAXABLE: [Rule; 10] = [
    Rule::RotationShare,
    Rule::BackboneShare,
    Rule::Direction,
    Rule::Principals,
    Rule::HeadcountBalance,
    Rule::StaffQuota,
    Rule::SubjectFloor,
    Rule::Locks,
    Rule::HiresPlaced,
    Rule::Family,
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
    let mut conflicts = relaxed_rule_conflicts(inst, time_limit, began)?;
    let left = time_limit - began.elapsed().as_secs_f64();
    if let Some(returns) = fixed_returns_conflict(inst, left)? {
        conflicts.push(returns);
    }
    Ok(conflicts)
}

/// The conflict of the due returns, when they are fixed and the county has
/// a plan once each may be extended by one year (`exchange.returns =
/// "optional"`): the returns are then part of what blocks a plan.
fn fixed_returns_conflict(inst: &Instance, time_limit: f64) -> Result<Option<Conflict>, Error> {
    let fixed = inst.returns.iter().filter(|r| !r.optional).count();
    if fixed == 0 || time_limit < LEAST_SECONDS {
        return Ok(None);
    }
    let mut county = inst.county.clone();
    county.policy.exchange.returns = crate::domain::policy::ReturnsMode::Optional;
    let optional = Instance::new(&county, inst.hires.clone());
    let model = optional.build_feasibility();
    let options = SolveOptions::new(time_limit, 0.0, 0.99);
    let outcome = match minimise(model.vars, model.objective, model.constraints, options, None) {
        Err(Error::TimeLimit(_)) => return Ok(None),
        other => other?,
    };
    if outcome.status == StageStatus::Infeasible {
        return Ok(None);
    }
    Ok(Some(Conflict {
        rule: Some(Rule::Returns),
        finding: Finding::FixedReturns { count: fixed },
        needed: fixed as f64,
        available: 0.0,
        fix: Fix::Policy(PolicyChange::Set("exchange.returns", "optional".into())),
    }))
}

/// The conflicts of the relaxable rules.
fn relaxed_rule_conflicts(inst: &Instance, time_limit: f64, began: std::time::Instant) -> Result<Vec<Conflict>, Error> {
    match conflicts_within(inst, time_limit, began) {
        Err(Error::TimeLimit(_)) => Ok(vec![Conflict {
            rule: None,
            finding: Finding::TimeRanOut,
            needed: 0.0,
            available: 0.0,
            fix: Fix::MoreTime,
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
            finding: Finding::NoDestination,
            needed: 1.0,
            available: 0.0,
            fix: Fix::RelaxMovement,
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
    for (rule, items) in by_group {
        let total: f64 = items.iter().map(|(_, v)| v).sum();
        let places: Vec<Place> = items.into_iter().map(|(at, amount)| Place { at, amount }).collect();
        let (finding, fix) = match rule {
            Rule::RotationShare => (
                Finding::MovesShort { required: inst.min_moves, possible: inst.min_moves as f64 - total },
                Fix::LowerMinShareOrRelaxMovement { more_moves: total },
            ),
            Rule::BackboneShare => {
                let short = total / *policy.rotation.backbone_min_share.denom() as f64;
                (
                    Finding::BackboneShort { short },
                    Fix::MoreEligible {
                        count: short.ceil() as usize,
                        backbone: true,
                        beyond: true,
                        or: PolicyChange::Lower("rotation.backbone_min_share"),
                    },
                )
            }
            Rule::Direction => {
                let short = total / *policy.rotation.to_rural_min_share.denom() as f64;
                let backbone = places.iter().any(|p| p.at == "backbone");
                (Finding::ToRuralShort { short, backbone }, Fix::Policy(PolicyChange::Lower(TO_RURAL_KEY)))
            }
            Rule::HeadcountBalance => {
                let most = places.iter().map(|p| p.amount).fold(0.0, f64::max).ceil();
                let value = most as u32 + policy.movement.headcount_tolerance;
                (
                    Finding::Unbalanced { places },
                    Fix::Policy(PolicyChange::AtLeast("movement.headcount_tolerance", value.to_string())),
                )
            }
            Rule::StaffQuota => (Finding::OverQuota { places }, Fix::RaiseStaffQuota),
            Rule::SubjectFloor => (Finding::FloorsBroken { places }, Fix::LowerNeedOrKeepTeachers),
            Rule::Locks => (Finding::LocksBroken { places }, Fix::ChangeLocks),
            Rule::Roads => (Finding::RoadsMissing { moves: total, places }, Fix::AddRoads),
            Rule::Family => (Finding::FamilyBroken { places: merged(places) }, Fix::LoosenFamily),
            Rule::Principals => principals_finding(inst, places, total),
            _ => (Finding::Broken { places }, Fix::ChangeData),
        };
        out.push(Conflict { rule: Some(rule), finding, needed: total, available: 0.0, fix });
    }
    if out.is_empty() {
        out.push(Conflict {
            rule: None,
            finding: Finding::Unexplained,
            needed: 0.0,
            available: 0.0,
            fix: Fix::CheckLocksAndMovement,
        });
    }
    out
}

/// Rule `principals` relaxed: the share rows (places `least`, `most`) or the
/// role-for-role rows of schools (places `<school>:<role>`).
fn principals_finding(inst: &Instance, places: Vec<Place>, total: f64) -> (Finding, Fix) {
    let (least, most) = inst.principal_moves;
    let (schools, share): (Vec<Place>, Vec<Place>) = places.into_iter().partition(|p| p.at.contains(':'));
    if !schools.is_empty() {
        return (Finding::RoleUnbalanced { places: schools }, Fix::PrincipalRoleForRole);
    }
    if share.iter().any(|p| p.at == "most") {
        let finding = Finding::PrincipalMoves { bound: most, possible: most as f64 + total, too_few: false };
        return (finding, Fix::PrincipalMoveLocks);
    }
    let finding = Finding::PrincipalMoves { bound: least, possible: least as f64 - total, too_few: true };
    (finding, Fix::PrincipalShareOrYears { more_moves: total })
}

/// The places with one entry per place (a family tie may hold by several
/// rows), each with the most slack any of its rows needed.
fn merged(places: Vec<Place>) -> Vec<Place> {
    let mut out: Vec<Place> = Vec::with_capacity(places.len());
    for p in places {
        match out.iter_mut().find(|q| q.at == p.at) {
            Some(q) => q.amount = q.amount.max(p.amount),
            None => out.push(p),
        }
    }
    out
}

/// A place where a rule needed slack: the row's place (a school section,
/// a teacher, a pair of schools) and the slack.
#[derive(Clone, Debug, PartialEq)]
pub struct Place {
    /// The place, as the model's row names it after the rule id.
    pub at: String,
    /// How much slack the rule needed there.
    pub amount: f64,
}

/// What is wrong, as data; `render::diagnosis` words it.
#[derive(Clone, Debug, PartialEq)]
pub enum Finding {
    /// The time limit ran out before the diagnosis found which rules conflict.
    TimeRanOut,
    /// Returns due this year, fixed, that block every plan: the county has
    /// one once they may be extended.
    FixedReturns {
        /// How many returns are due and fixed.
        count: usize,
    },
    /// Even with every rule relaxed no plan exists: no allowed destination.
    NoDestination,
    /// The solver found the rules in conflict but no single group explains it.
    Unexplained,
    /// A lock that no plan can keep.
    Lock(LockProblem),
    /// max_share allows fewer moves than min_share requires.
    SharesCross {
        /// ⌈max_share × E⌉.
        most: u32,
        /// ⌈min_share × E⌉.
        least: u32,
    },
    /// Fewer teachers may move than moves are required.
    TooFewMovable {
        /// Required moves.
        required: u32,
        /// Eligible teachers who may move.
        movable: usize,
        /// Eligible teachers locked to stay.
        stay_locked: usize,
    },
    /// More teachers are locked to move than moves are allowed.
    TooManyForced {
        /// Teachers locked to move.
        forced: usize,
        /// Moves allowed.
        most: u32,
    },
    /// Too few backbone teachers may move for the required moves.
    TooFewBackbone {
        /// Required moves.
        moves: u32,
        /// Backbone teachers they need.
        need: u32,
        /// backbone_min_share.
        share: f64,
        /// Eligible backbone teachers who may move.
        have: usize,
    },
    /// The other rules let fewer moves happen than required.
    MovesShort {
        /// Required moves.
        required: u32,
        /// Moves the other rules allow.
        possible: f64,
    },
    /// Principals' and vice principals' moves cannot reach
    /// ⌈principals.min_share × E_p⌉ (`too_few`), or locks force more than
    /// ⌈principals.max_share × E_p⌉.
    PrincipalMoves {
        /// The bound.
        bound: u32,
        /// The moves the other rules allow (or force).
        possible: f64,
        /// Whether the minimum is missed (else the maximum exceeded).
        too_few: bool,
    },
    /// Schools that would lose a principal or vice principal without
    /// receiving one of the same role (places `<school>:<role>`).
    RoleUnbalanced {
        /// Where.
        places: Vec<Place>,
    },
    /// Backbone moves fall short of the share.
    BackboneShort {
        /// Backbone teachers short.
        short: f64,
    },
    /// Too few teachers of urban and town schools may go to a rural one for
    /// the required moves (rule `direction`).
    TooFewToRural {
        /// Required moves.
        moves: u32,
        /// Moves to rural schools they need.
        need: u32,
        /// to_rural_min_share.
        share: f64,
        /// Eligible teachers of urban and town schools who may go to a rural one.
        have: usize,
    },
    /// Moves from urban and town schools to rural ones fall short of the
    /// share (among backbone moves too when `backbone`).
    ToRuralShort {
        /// Moves short.
        short: f64,
        /// Whether the backbone moves' row needed slack.
        backbone: bool,
    },
    /// Arrivals and departures cannot balance at these sections.
    Unbalanced {
        /// Where.
        places: Vec<Place>,
    },
    /// Schools would exceed their staff quota.
    OverQuota {
        /// Where.
        places: Vec<Place>,
    },
    /// Subject floors cannot hold.
    FloorsBroken {
        /// Where.
        places: Vec<Place>,
    },
    /// Locks cannot hold.
    LocksBroken {
        /// Which.
        places: Vec<Place>,
    },
    /// Family ties of family.csv that no plan can keep (places
    /// `<teacher_a>-<teacher_b>`).
    FamilyBroken {
        /// Which.
        places: Vec<Place>,
    },
    /// A plan needs moves between schools that roads.csv does not connect.
    RoadsMissing {
        /// Moves needed.
        moves: f64,
        /// The pairs.
        places: Vec<Place>,
    },
    /// Another rule cannot hold at these places.
    Broken {
        /// Where.
        places: Vec<Place>,
    },
}

/// A change of a policy key.
#[derive(Clone, Debug, PartialEq)]
pub enum PolicyChange {
    /// The key at most this value.
    AtMost(&'static str, String),
    /// The key at least this value.
    AtLeast(&'static str, String),
    /// The key set to this value.
    Set(&'static str, String),
    /// The key lower.
    Lower(&'static str),
}

/// A change to the data or the policy that would make a plan exist.
#[derive(Clone, Debug, PartialEq)]
pub enum Fix {
    /// Run again with more time.
    MoreTime,
    /// Raise max_distance_km or drop within_alliance.
    RelaxMovement,
    /// A policy change.
    Policy(PolicyChange),
    /// More eligible teachers able to move (backbone ones when `backbone`;
    /// `beyond`: more than there are), or the policy change.
    MoreEligible {
        /// How many.
        count: usize,
        /// Backbone teachers.
        backbone: bool,
        /// More than those there are (else: that many in all).
        beyond: bool,
        /// The alternative.
        or: PolicyChange,
    },
    /// Lower min_share, or relax the movement rules.
    LowerMinShareOrRelaxMovement {
        /// Moves missing.
        more_moves: f64,
    },
    /// rotation.max_share ≥ rotation.min_share.
    MaxShareAtLeastMin,
    /// Remove move locks, or raise max_share.
    RemoveMoveLocks {
        /// How many.
        count: u32,
    },
    /// Lower principals.min_share, or principals.min_years_at_school so
    /// that more principals and vice principals are eligible.
    PrincipalShareOrYears {
        /// Principal moves missing.
        more_moves: f64,
    },
    /// Remove principals' move locks, or raise principals.max_share.
    PrincipalMoveLocks,
    /// Each school losing a principal or vice principal needs one of the
    /// same role: more eligible ones, or other locks.
    PrincipalRoleForRole,
    /// Raise the staff quota of those schools.
    RaiseStaffQuota,
    /// Lower the need in staffing.csv, or lock those teachers to stay.
    LowerNeedOrKeepTeachers,
    /// Remove or change those locks.
    ChangeLocks,
    /// Remove or change that one lock.
    ChangeLock,
    /// Drop those family ties, or loosen them (a larger within_km, or
    /// within_km instead of same_town).
    LoosenFamily,
    /// Add the missing roads to roads.csv.
    AddRoads,
    /// Check the locks and the movement rules.
    CheckLocksAndMovement,
    /// Change the data.
    ChangeData,
}

/// A rule that cannot hold, with the numbers and what would fix it.
#[derive(Clone, Debug, PartialEq)]
pub struct Conflict {
    /// The rule (None when the diagnosis cannot name one: id `unknown`).
    pub rule: Option<Rule>,
    /// What is wrong.
    pub finding: Finding,
    /// What needed to hold.
    pub needed: f64,
    /// What the data allows.
    pub available: f64,
    /// A change to the data or the policy that would make a plan exist.
    pub fix: Fix,
}

impl Conflict {
    /// The rule's id, or `unknown`.
    pub fn rule_id(&self) -> &'static str {
        self.rule.map_or("unknown", Rule::id)
    }
}

/// The conflicts found when no plan exists.
#[derive(Clone, Debug, PartialEq)]
pub struct Diagnosis {
    /// Eligible teachers.
    pub eligible: usize,
    /// Required moves.
    pub required_moves: u32,
    /// The conflicts.
    pub conflicts: Vec<Conflict>,
}

/// Conflicts visible before solving: capacities against the rules.
pub fn capacity_conflicts(inst: &Instance) -> Vec<Conflict> {
    let mut out = Vec::new();
    for problem in &inst.lock_conflicts {
        out.push(Conflict {
            rule: Some(Rule::Locks),
            finding: Finding::Lock(problem.clone()),
            needed: 1.0,
            available: 0.0,
            fix: Fix::ChangeLock,
        });
    }
    let (min, max) = (inst.min_moves, inst.max_moves);
    if max < min {
        out.push(Conflict {
            rule: Some(Rule::RotationShare),
            finding: Finding::SharesCross { most: max, least: min },
            needed: min as f64,
            available: max as f64,
            fix: Fix::MaxShareAtLeastMin,
        });
    }
    let movable = inst.movable();
    if (movable as u32) < min {
        out.push(Conflict {
            rule: Some(Rule::RotationShare),
            finding: Finding::TooFewMovable { required: min, movable, stay_locked: inst.stay_locked },
            needed: min as f64,
            available: movable as f64,
            fix: Fix::MoreEligible {
                count: min as usize - movable,
                backbone: false,
                beyond: true,
                or: PolicyChange::AtMost("rotation.min_share", share_floor(movable, inst.eligible)),
            },
        });
    }
    let forced = inst.forced_moves();
    if forced as u32 > max {
        out.push(Conflict {
            rule: Some(Rule::Locks),
            finding: Finding::TooManyForced { forced, most: max },
            needed: forced as f64,
            available: max as f64,
            fix: Fix::RemoveMoveLocks { count: forced as u32 - max },
        });
    }
    out.extend(backbone_conflict(inst));
    out.extend(direction_conflict(inst));
    out.extend(principals_conflict(inst));
    out
}

/// The policy key of the direction rule.
const TO_RURAL_KEY: &str = "rotation.to_rural_min_share";

/// Too few movable teachers of urban and town schools with a rural
/// destination for to_rural_min_share × the required moves (rule `direction`).
fn direction_conflict(inst: &Instance) -> Option<Conflict> {
    let (min, share) = (inst.min_moves, inst.county.policy.rotation.to_rural_min_share);
    if !inst.direction_rule() || min == 0 {
        return None;
    }
    let rural = |section: usize| inst.county.schools[inst.sections[section].school].area == Area::Rural;
    let have: usize = inst
        .profiles
        .iter()
        .filter(|p| !rural(p.section) && p.destinations.iter().any(|d| rural(d.section)))
        .map(|p| p.members.len())
        .sum();
    let need = crate::exact::ceil_exact(share * crate::domain::Exact::from_integer(min as i128));
    if have as u32 >= need {
        return None;
    }
    Some(Conflict {
        rule: Some(Rule::Direction),
        finding: Finding::TooFewToRural { moves: min, need, share: crate::exact::to_f64(&share), have },
        needed: need as f64,
        available: have as f64,
        fix: Fix::Policy(PolicyChange::AtMost(TO_RURAL_KEY, share_floor(have, min as usize))),
    })
}

/// Fewer movable principals and vice principals than their required moves.
fn principals_conflict(inst: &Instance) -> Option<Conflict> {
    let least = inst.principal_moves.0;
    let movable: usize = inst.profiles.iter().filter(|p| p.role != Role::Teacher).map(|p| p.members.len()).sum();
    ((movable as u32) < least).then(|| Conflict {
        rule: Some(Rule::Principals),
        finding: Finding::PrincipalMoves { bound: least, possible: movable as f64, too_few: true },
        needed: least as f64,
        available: movable as f64,
        fix: Fix::PrincipalShareOrYears { more_moves: f64::from(least) - movable as f64 },
    })
}

/// Too few movable backbone teachers for the required moves (rule 4).
fn backbone_conflict(inst: &Instance) -> Option<Conflict> {
    let policy = &inst.county.policy;
    let min = inst.min_moves;
    let share = policy.rotation.backbone_min_share;
    let need_bb = crate::exact::ceil_exact(share * crate::domain::Exact::from_integer(min as i128));
    let have_bb = inst.movable_backbone();
    if (have_bb as u32) >= need_bb || min == 0 {
        return None;
    }
    let key = "rotation.backbone_min_share";
    Some(Conflict {
        rule: Some(Rule::BackboneShare),
        finding: Finding::TooFewBackbone {
            moves: min,
            need: need_bb,
            share: crate::exact::to_f64(&share),
            have: have_bb,
        },
        needed: need_bb as f64,
        available: have_bb as f64,
        fix: if have_bb == 0 {
            Fix::MoreEligible {
                count: need_bb as usize,
                backbone: true,
                beyond: false,
                or: PolicyChange::Set(key, "0".into()),
            }
        } else {
            Fix::MoreEligible {
                count: need_bb as usize - have_bb,
                backbone: true,
                beyond: true,
                or: PolicyChange::AtMost(key, share_floor(have_bb, min as usize)),
            }
        },
    })
}

/// num/den rounded down to 4 decimals, so that the suggested share surely works.
fn share_floor(num: usize, den: usize) -> String {
    if den == 0 {
        return "0".into();
    }
    let v = (num as f64 / den as f64 * 10_000.0).floor() / 10_000.0;
    format!("{v:.4}")
}
