//! `replan`: a new plan after the published list (公示名单) met refusals and
//! departures, with stability first. Stage 0 finds the fewest teachers
//! whose line differs from the published list (added, dropped or sent
//! elsewhere) under every hard rule and the changes
//! ([`crate::model::stability`]); the four usual stages then run with the
//! changes bounded by that number plus `max_changes`.

use std::collections::{BTreeMap, BTreeSet};

use crate::domain::changes::{list_changes, ListChange, ProposedMove};
use crate::domain::{County, LockAction};
use crate::error::Error;
use crate::io::{Change, ChangeAction};
use crate::model::Instance;
use crate::rules::audit::{audit, Audit};
use crate::rules::rule::Rule;
use crate::solve::{minimise, SolveOptions, StageStatus};

use super::stages::{Clock, LEAST_STAGE_SECONDS};
use super::{plan, plan_instance, Outcome, Plan, PlanOptions};

/// Why a teacher's line changed.
#[derive(Clone, Debug, PartialEq)]
pub enum Reason {
    /// The changes file's row on this teacher (a refusal, a departure, a lock).
    Asked(Change),
    /// The published list, after the asked changes, breaks these rules: the
    /// change restores them.
    Rules(Vec<Rule>),
    /// No rule needed it: one of the extra changes `--max-changes` allows,
    /// for a better plan.
    Better,
}

/// One difference from the published list, with its reason.
#[derive(Clone, Debug, PartialEq)]
pub struct LineChange {
    /// Added, dropped or redirected.
    pub change: ListChange,
    /// Why.
    pub reason: Reason,
}

/// The fewest changes, as stage 0 found them.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Fewest {
    /// N*: the fewest changes stage 0 found.
    pub changes: u32,
    /// Whether stage 0 proved it minimal.
    pub proven: bool,
    /// Lower bound on the fewest changes (equals `changes` when proven).
    pub bound: u32,
    /// Seconds of stage 0.
    pub seconds: f64,
}

/// A replanned list.
pub struct Replan {
    /// The plan, over `county` (the county after the changes).
    pub plan: Plan,
    /// The county the plan is of: the data with the leavers dropped and the
    /// changes' locks added.
    pub county: County,
    /// The published list as read.
    pub published: Vec<ProposedMove>,
    /// The published list judged on the data as it was published.
    pub published_audit: Audit,
    /// Stage 0's result.
    pub fewest: Fewest,
    /// The most changes the stages were allowed (N* + max_changes).
    pub allowed: u32,
    /// Every difference of the plan from the published list, by teacher id.
    pub changes: Vec<LineChange>,
}

/// What `replan` ends with.
#[allow(clippy::large_enum_variant)]
pub enum ReplanOutcome {
    /// A new plan.
    Replanned(Box<Replan>),
    /// No plan exists even with unlimited changes (the county after the changes).
    Infeasible(super::Diagnosis),
    /// The time ran out before any plan.
    OutOfTime(super::OutOfTime),
}

/// The county after the changes: leavers dropped (with their locks and
/// register rows, applications and family ties), every lock row of the
/// changes added to the data's locks.
pub fn county_after_changes(county: &County, changes: &[Change]) -> County {
    let gone: BTreeSet<&str> =
        changes.iter().filter(|c| c.action == ChangeAction::Leave).map(|c| c.teacher_id.as_str()).collect();
    let teachers = county.teachers.iter().filter(|t| !gone.contains(t.id.as_str())).cloned().collect();
    let mut locks: Vec<_> = county.locks.iter().filter(|l| !gone.contains(l.teacher_id.as_str())).cloned().collect();
    locks.extend(changes.iter().filter_map(Change::lock));
    let exchanges = county.exchanges.iter().filter(|e| !gone.contains(e.teacher_id.as_str())).cloned().collect();
    County::new(
        county.schools.clone(),
        teachers,
        county.policy.clone(),
        locks,
        county.roads.clone(),
        county.staffing.clone(),
    )
    .with_exchanges(exchanges)
    .with_applications(county.applications.iter().filter(|a| !gone.contains(a.teacher_id.as_str())).cloned().collect())
    .with_family(
        county
            .family
            .iter()
            .filter(|f| !gone.contains(f.teacher_a.as_str()) && !gone.contains(f.teacher_b.as_str()))
            .cloned()
            .collect(),
    )
}

/// Replans `data` (the county as published) after `changes`, keeping as
/// many lines of `published` as the hard rules allow; `max_changes` more
/// changes are allowed for a better plan.
pub fn replan(
    data: &County,
    published: &[ProposedMove],
    changes: &[Change],
    max_changes: u32,
    options: &PlanOptions,
) -> Result<ReplanOutcome, Error> {
    let clock = Clock::start(options.time_limit);
    let county = county_after_changes(data, changes);
    let (lines, absent) = published_lines(&county, published);
    let singles: BTreeSet<usize> = lines.keys().copied().collect();
    let mut inst = Instance::with_singles(&county, Vec::new(), &singles);
    if let Some(aggregate) = options.aggregate {
        inst.aggregate = aggregate;
    }
    inst.set_published(&lines, absent);
    let fewest = match fewest_changes(&inst, &clock, options)? {
        Stage0::Found(fewest) => fewest,
        Stage0::NoPlanInTime(seconds) => return Ok(ReplanOutcome::OutOfTime(super::OutOfTime { seconds })),
        Stage0::Infeasible => {
            let rest = PlanOptions { time_limit: clock.left().max(LEAST_STAGE_SECONDS), ..*options };
            return Ok(match plan(&county, Vec::new(), &rest)? {
                Outcome::Infeasible(d) => ReplanOutcome::Infeasible(d),
                Outcome::OutOfTime(stop) => ReplanOutcome::OutOfTime(stop),
                Outcome::Planned(_) => return Err(Error::Solver("stage 0 found no plan that the stages found".into())),
            });
        }
    };
    let allowed = fewest.changes + max_changes;
    if let Some(stability) = inst.stability.as_mut() {
        stability.cap = Some(allowed);
    }
    let plan = match plan_instance(&inst, clock, options)? {
        Outcome::Planned(plan) => plan,
        Outcome::Infeasible(d) => return Ok(ReplanOutcome::Infeasible(d)),
        Outcome::OutOfTime(stop) => return Ok(ReplanOutcome::OutOfTime(stop)),
    };
    drop(inst);
    let now: Vec<ProposedMove> = plan
        .moves
        .iter()
        .map(|m| ProposedMove::new(county.teachers[m.teacher].id.clone(), county.schools[m.to].id.clone()))
        .collect();
    let reasons = Reasons::new(&county, published, changes);
    let changes = list_changes(published, &now).into_iter().map(|change| reasons.of(change)).collect();
    let published_audit = audit(data, published);
    Ok(ReplanOutcome::Replanned(Box::new(Replan {
        plan,
        county,
        published: published.to_vec(),
        published_audit,
        fewest,
        allowed,
        changes,
    })))
}

/// The published lines as teacher index → school position in `county`,
/// and how many published movers are not teachers of `county` any more.
fn published_lines(county: &County, published: &[ProposedMove]) -> (BTreeMap<usize, usize>, u32) {
    let index: BTreeMap<&str, usize> = county.teachers.iter().enumerate().map(|(i, t)| (t.id.as_str(), i)).collect();
    let mut lines = BTreeMap::new();
    let mut seen = BTreeSet::new();
    let mut absent = 0;
    for m in published {
        if !seen.insert(m.teacher_id.as_str()) {
            continue;
        }
        match (index.get(m.teacher_id.as_str()), county.school_pos(&m.to_school)) {
            (Some(&t), Some(s)) => {
                lines.insert(t, s);
            }
            _ => absent += 1,
        }
    }
    (lines, absent)
}

/// How stage 0 ended.
enum Stage0 {
    Found(Fewest),
    NoPlanInTime(f64),
    Infeasible,
}

/// Stage 0: the fewest changes under every hard rule.
fn fewest_changes(inst: &Instance, clock: &Clock, options: &PlanOptions) -> Result<Stage0, Error> {
    // With the published order's rows: a change it forces is counted.
    let mut model = inst.build_feasibility_in_order();
    let Some(changes) = inst.stability_changes(&mut model.vars, &model.handles, &mut model.constraints) else {
        return Err(Error::Solver("replan without a published list".into()));
    };
    let solve = SolveOptions {
        solution_limit: options.solution_limit,
        ..SolveOptions::new(clock.left().max(LEAST_STAGE_SECONDS), 0.0, 0.99)
    };
    let objective = changes.expression.clone();
    let outcome = match minimise(model.vars, objective, model.constraints, solve, None) {
        Ok(outcome) => outcome,
        Err(Error::TimeLimit(_)) => return Ok(Stage0::NoPlanInTime(solve.time_limit)),
        Err(other) => return Err(other),
    };
    if outcome.status == StageStatus::Infeasible {
        return Ok(Stage0::Infeasible);
    }
    let found = changes.count(|v| outcome.value(v));
    let proven = outcome.status == StageStatus::Optimal;
    // The solver's bound leaves out the constant terms its objective may
    // leave out: shift it by the same difference as the objective.
    let shift = found as f64 - outcome.objective;
    let bound = if proven { found } else { ((outcome.bound + shift - 1e-6).ceil().max(0.0) as u32).min(found) };
    Ok(Stage0::Found(Fewest { changes: found, proven, bound, seconds: outcome.seconds }))
}

/// The reasons of the changes: the changes file's rows, and the rules the
/// published list breaks once the asked changes are made.
struct Reasons {
    asked: BTreeMap<String, Change>,
    rules: Vec<Rule>,
}

impl Reasons {
    fn new(county: &County, published: &[ProposedMove], changes: &[Change]) -> Reasons {
        let mut asked: BTreeMap<String, Change> = BTreeMap::new();
        for c in changes {
            // A leave or stay row says most about the teacher; else the first row.
            let strong = matches!(c.action, ChangeAction::Leave | ChangeAction::Lock(LockAction::Stay));
            match asked.get(&c.teacher_id) {
                Some(_) if !strong => {}
                _ => {
                    asked.insert(c.teacher_id.clone(), c.clone());
                }
            }
        }
        // The published list with the lines the changes cancel left out.
        let cancelled = |m: &ProposedMove| {
            asked.get(&m.teacher_id).is_some_and(|c| {
                matches!(c.action, ChangeAction::Leave | ChangeAction::Lock(LockAction::Stay))
                    || (c.action == ChangeAction::Lock(LockAction::Forbid)
                        && c.school_id.as_deref() == Some(&m.to_school))
            })
        };
        let kept: Vec<ProposedMove> = published.iter().filter(|m| !cancelled(m)).cloned().collect();
        let mut rules: Vec<Rule> = audit(county, &kept).violations.iter().map(|v| v.rule).collect();
        rules.sort();
        rules.dedup();
        Reasons { asked, rules }
    }

    fn of(&self, change: ListChange) -> LineChange {
        let reason = match self.asked.get(change.teacher_id()) {
            Some(c) => Reason::Asked(c.clone()),
            None if !self.rules.is_empty() => Reason::Rules(self.rules.clone()),
            None => Reason::Better,
        };
        LineChange { change, reason }
    }
}
