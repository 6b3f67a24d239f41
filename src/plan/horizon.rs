//! `plan --horizon 2`: this year's and next year's rotations planned
//! jointly (see [`crate::model::horizon`]). The steps of the objective are
//! solved one after the other like the one-year stages, each optimum fixed
//! for the next: the inspection year's compliance, shortfall and Σ CV²,
//! then the other year's, then the distance of both years.

use std::collections::{BTreeSet, HashMap};

use crate::domain::County;
use crate::error::Error;
use crate::model::horizon::{Horizon, Step, Year, LAST_CV_STEP};
use crate::model::{Fixed, Handles, Stage};
use crate::rules::curriculum::{current_gaps, subject_gaps};
use crate::rules::eligibility::county_ineligibility;
use crate::rules::indicators::{count_sections, evaluate, figures, CountyFigures};
use crate::solve::{SolveOptions, StageOutcome, StageStatus};

use super::apply_returns;
use super::flows::{
    after_figures, assemble, distance_of, pick_moves, plan_flows, returned_of, returns_of, roster_after,
};
use super::stages::{note, solve, Clock, Solve, LEAST_STAGE_SECONDS};
use super::{capacity_conflicts, Diagnosis, Move, OutOfTime, Plan, PlanOptions, Progress, StageReport};

/// The two years' plans.
#[derive(Clone, Debug)]
pub struct TwoYears {
    /// This year's plan (the list to publish).
    pub this: Plan,
    /// Next year's provisional plan, on [`TwoYears::next_county`].
    pub next: Plan,
    /// The county one year on after this year's plan, before next year's moves.
    pub next_county: County,
}

/// Result of a two-year plan.
#[allow(clippy::large_enum_variant)]
pub enum HorizonOutcome {
    /// Both years' plans.
    Planned(TwoYears),
    /// No plan of this year satisfies its hard rules.
    Infeasible(Diagnosis),
    /// The time ran out before any plan of both years was found.
    OutOfTime(OutOfTime),
}

/// The county one year on without this year's moves, as `advance` makes
/// it (`rules::next_year`): year + 1; teachers past the retirement age next
/// year left out; this year's returns home and their rows closed; next
/// year's returns still on the register, due in next year's plan; no locks
/// (they are this year's).
pub fn next_year_county(county: &County) -> County {
    let year = county.policy.year;
    let returns: Vec<String> =
        county.exchanges.iter().filter(|e| e.returns_in(year)).map(|e| e.teacher_id.clone()).collect();
    crate::rules::next_year::next_year(county, &[], &returns, &[]).county
}

/// `next` (from [`next_year_county`]) after this year's `moves` of
/// `county`: each mover at its new school since this year, last rotated
/// this year.
pub fn after_moves(county: &County, next: &County, moves: &[Move]) -> County {
    let year = county.policy.year;
    let to: HashMap<&str, &str> =
        moves.iter().map(|m| (county.teachers[m.teacher].id.as_str(), county.schools[m.to].id.as_str())).collect();
    let mut out = next.clone();
    for t in &mut out.teachers {
        if let Some(school) = to.get(t.id.as_str()) {
            t.school_id = school.to_string();
            t.school_since = year;
            t.last_rotated = Some(year);
        }
    }
    out
}

/// Plans this year and next year jointly. Like [`super::plan`], the whole
/// run counts against `options.time_limit`.
pub fn plan_two_years(county: &County, options: &PlanOptions) -> Result<HorizonOutcome, Error> {
    let clock = Clock::start(options.time_limit);
    // Next year's county has this year's returns at home, so a two-year
    // plan takes every return due this year as fixed (docs/model.md). It
    // has no structure stage: its profiles are not split by structure class.
    let fixed_returns;
    let optional = county.policy.exchange.returns == crate::domain::policy::ReturnsMode::Optional;
    let county = if optional || county.policy.objective.structure {
        let mut c = county.clone();
        c.policy.exchange.returns = crate::domain::policy::ReturnsMode::Fixed;
        c.policy.objective.structure = false;
        fixed_returns = c;
        &fixed_returns
    } else {
        county
    };
    let next_static = next_year_county(county);
    let mut next_model = next_static.clone();
    for school in &mut next_model.schools {
        school.staff_quota = None;
    }
    let horizon = Horizon::new(county, &next_model);
    let conflicts = capacity_conflicts(&horizon.this);
    if !conflicts.is_empty() {
        let this = &horizon.this;
        return Ok(HorizonOutcome::Infeasible(Diagnosis {
            eligible: this.eligible,
            required_moves: this.min_moves,
            conflicts,
        }));
    }
    let feasible = horizon.build_feasibility();
    let (h1, h2) = (feasible.model.handles.clone(), feasible.next.clone());
    let m = feasible.model;
    let (columns, rows) = (m.vars.len(), m.constraints.len());
    note(options, Progress::FeasibilityStarted { profiles: horizon.this.profiles.len(), columns, rows });
    let found = match solve(m, options.solve(clock.left().max(LEAST_STAGE_SECONDS), 0.0, 0.99), None)? {
        Solve::NoPlanInTime { seconds } => return Ok(HorizonOutcome::OutOfTime(OutOfTime { seconds })),
        Solve::Ended(found) => found,
    };
    if found.status == StageStatus::Infeasible {
        return one_year_diagnosis(county, options, &clock);
    }
    note(options, Progress::FeasibilityFound { seconds: found.seconds });
    let mut run = Run {
        horizon: &horizon,
        county,
        next_static: &next_static,
        options,
        clock,
        fixed: Default::default(),
        counts: None,
        previous: (found.clone(), h1.clone(), h2.clone()),
    };
    let mut best = run.years(&h1, &h2, &found)?;
    let mut reports = Vec::new();
    let mut stopped = false;
    for (i, step) in horizon.steps().into_iter().enumerate() {
        if stopped || run.clock.left() < LEAST_STAGE_SECONDS {
            stopped = true;
            reports
                .push((step, StageReport { stage: step.stage, status: None, objective: 0.0, gap: 0.0, seconds: 0.0 }));
            continue;
        }
        let solved = if step.stage == Stage::Distance { run.distance(i, step)? } else { run.step(i, step)? };
        match solved {
            Some((years, report)) => {
                stopped |= report.status == Some(StageStatus::TimeLimit);
                best = years;
                reports.push((step, report));
            }
            None => {
                stopped = true;
                reports.push((
                    step,
                    StageReport { stage: step.stage, status: None, objective: 0.0, gap: 0.0, seconds: 0.0 },
                ));
            }
        }
    }
    Ok(HorizonOutcome::Planned(run.finish(best, &reports)))
}

/// No two-year plan: the one-year plan's diagnosis when this year has none,
/// otherwise an error saying next year's rules fail after every plan of
/// this year.
fn one_year_diagnosis(county: &County, options: &PlanOptions, clock: &Clock) -> Result<HorizonOutcome, Error> {
    let one = PlanOptions { time_limit: clock.left().max(1.0), progress: None, ..*options };
    match super::plan(county, Vec::new(), &one)? {
        super::Outcome::Infeasible(d) => Ok(HorizonOutcome::Infeasible(d)),
        super::Outcome::OutOfTime(stop) => Ok(HorizonOutcome::OutOfTime(stop)),
        super::Outcome::Planned(_) => Err(Error::Solver(
            "no two-year plan: after every plan of this year, next year's hard rules cannot all hold \
             (plan with --horizon 1)"
                .into(),
        )),
    }
}

/// One plan of both years, as a step left it.
struct Years {
    this_flows: Vec<Vec<u32>>,
    this_returned: Vec<bool>,
    this_after: CountyFigures,
    next_moves: Vec<Move>,
    next_county: County,
    next_after: CountyFigures,
    next_returned: Vec<bool>,
    km: f64,
}

/// The steps of a two-year plan and what they hand on.
struct Run<'r, 'c> {
    horizon: &'r Horizon<'c>,
    county: &'c County,
    next_static: &'r County,
    options: &'r PlanOptions<'r>,
    clock: Clock,
    fixed: [Fixed; 2],
    /// Both years' counts of the last Σ CV² step, which the distance pins first.
    counts: Option<[Vec<[u32; 3]>; 2]>,
    /// The last solve and its handles: its columns are a prefix of the next
    /// step's columns.
    previous: (StageOutcome, Handles, Handles),
}

impl Run<'_, '_> {
    /// Both years' moves and figures of a solve.
    fn years(
        &self,
        h1: &crate::model::Handles,
        h2: &crate::model::Handles,
        outcome: &StageOutcome,
    ) -> Result<Years, Error> {
        let this_flows = plan_flows(&self.horizon.this, h1, outcome, self.clock.left())?;
        let next_flows = plan_flows(&self.horizon.next, h2, outcome, self.clock.left())?;
        let this_returned = returned_of(h1, outcome);
        let this_after = after_figures(&self.horizon.this, &this_flows, &[], &this_returned);
        let this_plan =
            assemble(&self.horizon.this, &this_flows, &[], &this_returned, this_after.clone(), Vec::new(), 0.0);
        let next_county = after_moves(self.county, self.next_static, &this_plan.moves);
        let moved: BTreeSet<usize> = this_plan.moves.iter().map(|m| m.teacher).collect();
        let ids: BTreeSet<&str> = moved.iter().map(|&t| self.county.teachers[t].id.as_str()).collect();
        let next_moves = pick_next(self.horizon, &next_county, &next_flows, &ids);
        let next_returned = returned_of(h2, outcome);
        let (teachers, mut placement) = roster_after(&next_county, &next_moves, &[], &[]);
        apply_returns(&mut placement, &returns_of(&self.horizon.next, &next_returned));
        let next_after = figures(&next_county, &count_sections(&next_county, &teachers, &placement));
        let km = distance_of(&self.horizon.this, &this_flows) + distance_of(&self.horizon.next, &next_flows);
        Ok(Years { this_flows, this_returned, this_after, next_moves, next_returned, next_county, next_after, km })
    }

    /// The start of a step of `columns` columns: the last plan, with a
    /// compliance step's new columns at 0 (no section claimed compliant) and
    /// a shortfall step's at the plan's shortfalls; None for the others.
    fn start(&self, step: Step, columns: usize) -> Option<Vec<f64>> {
        let (last, h1, h2) = &self.previous;
        let added = match (step.stage, step.year) {
            (Stage::Compliance, _) => Vec::new(),
            (Stage::Shortfall, Some(year)) => self.horizon.shortfall_values(year, (h1, h2), |v| last.value(v)),
            _ => return None,
        };
        let values = last.values.iter().copied().chain(added).chain(std::iter::repeat(0.0)).take(columns);
        Some(values.collect())
    }

    /// Solves step `i`; None when the time ran out before it found a plan
    /// (or it found none, which with earlier optima fixed only a numerical
    /// tolerance can cause).
    fn step(&mut self, i: usize, step: Step) -> Result<Option<(Years, StageReport)>, Error> {
        note(self.options, Progress::StageStarted { stage: step.stage });
        let joint = self.horizon.build(i, &self.fixed);
        let (h1, h2) = (joint.model.handles.clone(), joint.next.clone());
        let m = joint.model;
        let integral = matches!(step.stage, Stage::Compliance | Stage::Shortfall);
        let (rel, abs) = if integral { (0.0, 0.99) } else { (1e-6, 1e-9) };
        let options: SolveOptions = self.options.solve(self.clock.left().max(LEAST_STAGE_SECONDS), rel, abs);
        let start = self.start(step, m.vars.len());
        let outcome = match solve(m, options, start.as_deref())? {
            Solve::Ended(outcome) if outcome.status != StageStatus::Infeasible => outcome,
            _ => return Ok(None),
        };
        self.previous = (outcome.clone(), h1.clone(), h2.clone());
        let years = self.years(&h1, &h2, &outcome)?;
        if i == LAST_CV_STEP {
            self.counts = Some(self.horizon.counts_of(&h1, &h2, |v| outcome.value(v)));
        }
        let after = match step.year {
            Some(Year::This) => Some(&years.this_after),
            Some(Year::Next) => Some(&years.next_after),
            None => None,
        };
        let fixed = step.year.map(|y| &mut self.fixed[y as usize]);
        let objective = match (step.stage, after, fixed) {
            (Stage::Compliance, Some(after), Some(fixed)) => {
                fixed.compliant = Some(after.compliant() as u32);
                after.compliant() as f64
            }
            (Stage::Shortfall, Some(after), Some(fixed)) => {
                fixed.shortfall = Some(after.shortfall());
                after.shortfall() as f64
            }
            (Stage::CvSquares, Some(after), Some(fixed)) => {
                fixed.cv_squares = Some(after.teacher_cv_squares());
                after.teacher_cv_squares()
            }
            _ => years.km,
        };
        let (status, seconds) = (outcome.status, outcome.seconds);
        note(self.options, Progress::StageSolved { stage: step.stage, status, objective, seconds });
        let own = if step.stage == Stage::Compliance { -objective } else { objective };
        let gap = ((outcome.objective - outcome.bound).max(0.0) / own.abs().max(1e-9)).max(outcome.gap).min(1.0);
        Ok(Some((years, StageReport { stage: step.stage, status: Some(status), objective, gap, seconds })))
    }

    /// The distance step by count vectors (as the one-year distance stage,
    /// `plan::distance`): the distance with both years' counts pinned to
    /// those of the last Σ CV² step, then with each other count vector that
    /// reaches every fixed optimum, until there is none (the least is then
    /// proven optimal). After [`MOST_COUNT_VECTORS`], or when a search stops
    /// short, the full distance model starts from the best pinned plan.
    fn distance(&mut self, i: usize, step: Step) -> Result<Option<(Years, StageReport)>, Error> {
        let Some(first) = self.counts.take() else { return self.step(i, step) };
        note(self.options, Progress::StageStarted { stage: step.stage });
        let began = self.clock.elapsed();
        let mut seen = vec![first];
        let mut best: Option<(Years, Vec<f64>)> = None;
        let mut proven = false;
        while seen.len() <= MOST_COUNT_VECTORS {
            let mut joint = self.horizon.build(i, &self.fixed);
            self.horizon.pin_counts(&mut joint, &seen[seen.len() - 1]);
            let (h1, h2) = (joint.model.handles.clone(), joint.next.clone());
            let options = self.options.solve(self.clock.left().max(LEAST_STAGE_SECONDS), 1e-6, 1e-9);
            match solve(joint.model, options, None)? {
                Solve::Ended(o) if o.status == StageStatus::Optimal => {
                    let years = self.years(&h1, &h2, &o)?;
                    if best.as_ref().is_none_or(|(b, _)| years.km < b.km) {
                        best = Some((years, o.values));
                    }
                }
                _ => break,
            }
            let search = self.horizon.count_search(&self.fixed, &seen);
            let (s1, s2) = (search.model.handles.clone(), search.next.clone());
            let cutoff = self.horizon.search_cutoff(&self.fixed, &search);
            let options = SolveOptions {
                cutoff,
                tolerance: Some(1e-9),
                ..self.options.solve((self.clock.left() * 0.85).max(LEAST_STAGE_SECONDS), 0.0, 0.99)
            };
            match solve(search.model, options, None)? {
                Solve::Ended(o) if o.status == StageStatus::Infeasible => {
                    proven = true;
                    break;
                }
                Solve::Ended(o) if o.status == StageStatus::Optimal => {
                    seen.push(self.horizon.counts_of(&s1, &s2, |v| o.value(v)));
                }
                _ => break,
            }
        }
        match best {
            Some((years, _)) if proven => {
                let (objective, seconds) = (years.km, self.clock.elapsed() - began);
                let status = StageStatus::Optimal;
                note(self.options, Progress::StageSolved { stage: step.stage, status, objective, seconds });
                Ok(Some((years, StageReport { stage: step.stage, status: Some(status), objective, gap: 0.0, seconds })))
            }
            best => self.full_distance(i, step, best.map(|b| b.1)),
        }
    }

    /// The full distance step, from `start` when given.
    fn full_distance(
        &mut self,
        i: usize,
        step: Step,
        start: Option<Vec<f64>>,
    ) -> Result<Option<(Years, StageReport)>, Error> {
        note(self.options, Progress::FullDistance);
        let joint = self.horizon.build(i, &self.fixed);
        let (h1, h2) = (joint.model.handles.clone(), joint.next.clone());
        let options = self.options.solve(self.clock.left().max(LEAST_STAGE_SECONDS), 1e-6, 1e-9);
        let outcome = match solve(joint.model, options, start.as_deref())? {
            Solve::Ended(outcome) if outcome.status != StageStatus::Infeasible => outcome,
            _ => return Ok(None),
        };
        let years = self.years(&h1, &h2, &outcome)?;
        let (status, seconds, objective) = (outcome.status, outcome.seconds, years.km);
        note(self.options, Progress::StageSolved { stage: step.stage, status, objective, seconds });
        let gap = ((outcome.objective - outcome.bound).max(0.0) / objective.abs().max(1e-9)).max(outcome.gap).min(1.0);
        Ok(Some((years, StageReport { stage: step.stage, status: Some(status), objective, gap, seconds })))
    }

    /// The two plans of the last step that ran, each with its year's stage
    /// reports and the distance step's.
    fn finish(self, best: Years, reports: &[(Step, StageReport)]) -> TwoYears {
        let of_year = |year: Year| -> Vec<StageReport> {
            reports.iter().filter(|(s, _)| s.year.is_none_or(|y| y == year)).map(|(_, r)| r.clone()).collect()
        };
        let seconds = self.clock.elapsed();
        let this = assemble(
            &self.horizon.this,
            &best.this_flows,
            &[],
            &best.this_returned,
            best.this_after,
            of_year(Year::This),
            seconds,
        );
        let next_county = best.next_county;
        let reasons = county_ineligibility(&next_county);
        let eligible_of = |keep: &dyn Fn(crate::domain::Role) -> bool| {
            reasons.iter().zip(&next_county.teachers).filter(|(r, t)| r.is_empty() && keep(t.role)).count()
        };
        let eligible = eligible_of(&|r| next_county.policy.in_teachers_share(r));
        let principals = eligible_of(&|r| r != crate::domain::Role::Teacher);
        let (teachers, mut placement) = roster_after(&next_county, &best.next_moves, &[], &[]);
        apply_returns(&mut placement, &returns_of(&self.horizon.next, &best.next_returned));
        let gaps_after = subject_gaps(&next_county, &teachers, &placement);
        let next = Plan {
            moves: best.next_moves,
            returns: returns_of(&self.horizon.next, &best.next_returned),
            hires: Vec::new(),
            hire_groups: Vec::new(),
            stages: of_year(Year::Next),
            before: evaluate(&next_county),
            after: best.next_after,
            eligible,
            required_moves: next_county.policy.required_moves(eligible),
            max_moves: next_county.policy.max_moves(eligible),
            principals: crate::plan::PrincipalBounds::of(&next_county, principals),
            profile_sizes: self.horizon.next.profiles.iter().map(|p| p.members.len()).collect(),
            seconds,
            gaps_before: current_gaps(&next_county),
            gaps_after,
        };
        TwoYears { this, next, next_county }
    }
}

/// Most count vectors the distance step pins before the full model.
const MOST_COUNT_VECTORS: usize = 8;

/// Next year's moves of its flows: each profile's members in order, this
/// year's movers (`moved`, by id) left out; sorted like a plan's moves.
fn pick_next(horizon: &Horizon, next_county: &County, flows: &[Vec<u32>], moved: &BTreeSet<&str>) -> Vec<Move> {
    // Next year's instance has next_county's schools and teachers, in order.
    pick_moves(&horizon.next, flows, |m| !moved.contains(next_county.teachers[m].id.as_str()))
}
