//! The named steps of [`crate::plan::plan`]: the feasibility stage, and for
//! each stage of the objective its warm start, its solve, the stale-column
//! guard, fixing its optimum for the stages after it and restating its gap.
//! "The time ran out before a plan" is a status of a solve here
//! ([`Solve::NoPlanInTime`]), which the stages act on, never an error.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Condvar, Mutex, PoisonError};
use std::time::Instant;

use crate::error::Error;
use crate::model::{Fixed, Handles, Instance, Pins, Stage, StageModel};
use crate::rules::indicators::CountyFigures;
use crate::solve::{column_positions, minimise, SolveOptions, StageOutcome, StageStatus, Start};

use super::distance::{other_counts, other_structure, pinned_distance, OtherCounts, Pinned, MOST_COUNT_VECTORS};
use super::flows::{
    after_figures, after_structure, assemble, distance_of, gaps_after, plan_flows, returned_of, round_flows,
    voice_counts,
};
use super::{Plan, PlanOptions, Progress, StageReport};

/// Least seconds left for a stage to be solved: below it the stage keeps
/// the plan that stands.
pub(crate) const LEAST_STAGE_SECONDS: f64 = 0.05;

/// Least seconds left for another pass over the stages cut short.
pub(crate) const LEAST_PASS_SECONDS: f64 = 1.0;

/// Reports one step of progress, when the caller asked for it.
pub(crate) fn note(options: &PlanOptions, event: Progress) {
    if let Some(progress) = options.progress {
        progress(&event);
    }
}

/// The time of a planning run, counted from its start.
pub(crate) struct Clock {
    start: Instant,
    limit: f64,
}

impl Clock {
    /// Starts the clock of a run with `time_limit` seconds (0 when it is not
    /// a finite number).
    pub(crate) fn start(time_limit: f64) -> Clock {
        let limit = if time_limit.is_finite() { time_limit.max(0.0) } else { 0.0 };
        Clock { start: Instant::now(), limit }
    }

    /// Seconds left (below 0 once the limit has passed).
    pub(crate) fn left(&self) -> f64 {
        self.limit - self.elapsed()
    }

    /// Seconds since the start.
    pub(crate) fn elapsed(&self) -> f64 {
        self.start.elapsed().as_secs_f64()
    }
}

/// How one solve ended.
pub(crate) enum Solve {
    /// The solver answered: a plan, or the rows cannot all hold.
    Ended(StageOutcome),
    /// The time ran out before the solver found any plan; the solve had
    /// `seconds`.
    NoPlanInTime {
        /// Seconds the solve was given.
        seconds: f64,
    },
}

/// Solves a model within `options`. The solver's "stopped before a plan"
/// becomes the status [`Solve::NoPlanInTime`]; every other error stays one.
pub(crate) fn solve(model: StageModel, options: SolveOptions, start: Start) -> Result<Solve, Error> {
    match minimise(model.vars, model.objective, model.constraints, options, start) {
        Ok(outcome) => Ok(Solve::Ended(outcome)),
        Err(Error::TimeLimit(_)) => Ok(Solve::NoPlanInTime { seconds: options.time_limit }),
        Err(other) => Err(other),
    }
}

/// Stage 0: any plan at all first. HiGHS finds one quickly without the
/// objective's binaries, and it starts stage 1 (on a district, stage 1
/// alone found no plan in 60 s). Returns the model's handles and the solve.
pub(crate) fn feasibility(inst: &Instance, clock: &Clock, options: &PlanOptions) -> Result<(Handles, Solve), Error> {
    let model = inst.build_feasibility();
    let handles = model.handles.clone();
    let (columns, rows) = (model.vars.len(), model.constraints.len());
    note(options, Progress::FeasibilityStarted { profiles: inst.profiles.len(), columns, rows });
    let solved = solve(model, options.solve_alone(clock.left().max(LEAST_STAGE_SECONDS), 0.0, 0.99), None)?;
    if let Solve::Ended(found) = &solved {
        if found.status != StageStatus::Infeasible {
            note(options, Progress::FeasibilityFound { seconds: found.seconds });
        }
    }
    Ok((handles, solved))
}

/// Moves per profile and destination.
type ProfileFlows = Vec<Vec<u32>>;

/// The flows of a stage's plan and the county's figures after them.
#[derive(Clone)]
struct Flows {
    /// Moves per profile and destination.
    moves: ProfileFlows,
    /// Hires per group and destination.
    hires: Vec<Vec<u32>>,
    /// Whether each due return happens.
    returned: Vec<bool>,
    /// The county's figures after the plan.
    after: CountyFigures,
}

/// How a stage ended, for the loop over the stages.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum StageEnd {
    /// Go on to the next stage.
    Next,
    /// Stage 1 found that the hard rules cannot all hold.
    Infeasible,
}

/// A stage's weight in the shares of the time left: compliance and
/// shortfall (the inspection's first figures, and the longest stages on
/// the suite's districts) weigh 12, Σ CV² and structure (the longest on its
/// counties under stress) 6, subject gaps and distance 2, and each voice
/// stage 1. A stage cut short leaves a value off its optimum fixed for the
/// later ones, which makes them harder too, so the early stages weigh
/// more. A stage that ends early leaves its time to the stages after it.
fn weight(stage: Stage) -> f64 {
    match stage {
        Stage::Compliance | Stage::Shortfall => 12.0,
        Stage::CvSquares | Stage::Structure => 6.0,
        Stage::SubjectGaps | Stage::Distance => 2.0,
        _ => 1.0,
    }
}

/// The share of `left` seconds of the stages `group` solved together, with
/// `later` still to come.
fn share(left: f64, group: &[Stage], later: &[Stage]) -> f64 {
    let own: f64 = group.iter().map(|&s| weight(s)).sum();
    let rest: f64 = later.iter().map(|&s| weight(s)).sum();
    left.max(0.0) * own / (own + rest)
}

/// The stages of the objective, one after the other, with what each hands
/// on to the next.
pub(crate) struct Stages<'i, 'c, 'o> {
    inst: &'i Instance<'c>,
    options: &'i PlanOptions<'o>,
    clock: Clock,
    /// The feasibility stage's handles and plan.
    feasible: (Handles, StageOutcome),
    /// The last stage's handles and outcome, whose decisions start the next
    /// stage (the feasibility stage's before stage 1).
    last: Option<(Handles, StageOutcome)>,
    /// The stage's own columns for the plan that stands (its completed
    /// start), kept when its solve finds nothing better in its time.
    completed: Option<(Handles, StageOutcome)>,
    /// The optima of the stages solved so far.
    fixed: Fixed,
    reports: Vec<StageReport>,
    /// The plan of the last stage that ran to the end.
    best: Option<Flows>,
    /// The columns of the last stage solved (the distance stage's start).
    previous: Option<Vec<f64>>,
    /// Stage 3's counted indicator counts, which stage 4 pins first.
    stage3_counts: Option<Vec<[u32; 3]>>,
    /// Set when a stage was stopped by its share of the time: the later
    /// stages then run in full, not by count vectors.
    stopped: bool,
    /// The end of the current stage's share, in seconds from the start.
    until: f64,
    /// The fixed values before each reported stage (aligned with
    /// `reports`), from which another pass starts.
    fixed_at: Vec<Fixed>,
    /// The best whole pass so far, when another pass runs: its reports
    /// and plan.
    best_pass: Option<(Vec<StageReport>, Flows)>,
}

impl<'i, 'c, 'o> Stages<'i, 'c, 'o> {
    /// The stages after the feasibility stage found `feasible`.
    pub(crate) fn new(
        inst: &'i Instance<'c>,
        options: &'i PlanOptions<'o>,
        clock: Clock,
        feasible: (Handles, StageOutcome),
    ) -> Self {
        Stages {
            inst,
            options,
            clock,
            feasible,
            last: None,
            completed: None,
            fixed: Fixed::default(),
            reports: Vec::new(),
            best: None,
            previous: None,
            stage3_counts: None,
            stopped: false,
            until: 0.0,
            fixed_at: Vec::new(),
            best_pass: None,
        }
    }

    /// Seconds left of the run.
    pub(crate) fn left(&self) -> f64 {
        self.clock.left()
    }

    /// Seconds left of the current stage's share.
    fn share_left(&self) -> f64 {
        (self.until - self.clock.elapsed()).min(self.left())
    }

    /// Starts the share of `stage`, with `later` still to come.
    fn begin(&mut self, group: &[Stage], later: &[Stage]) {
        self.until = self.clock.elapsed() + share(self.left(), group, later);
    }

    /// Runs the next stage of `rest` (the stages still to come), or the
    /// stages at its head solved as one by their joint objective (see
    /// [`Instance::stage_group`]), within its share of the time: its warm
    /// start, its solve, the stale-column guard, fixing its value and
    /// restating its gap. When the solve finds no plan in its share, the
    /// plan that stands is this stage's plan too. Returns how it ended and
    /// how many stages of `rest` it ran.
    pub(crate) fn run_next(&mut self, rest: &[Stage]) -> Result<(StageEnd, usize), Error> {
        let size = self.inst.stage_group(rest).max(1);
        let (group, later) = rest.split_at(size);
        Ok((self.run_group(group, later)?, size))
    }

    /// The options of a stage solved in full (or its completed start):
    /// nothing runs beside it, so it has the plan's threads for a solve
    /// alone.
    fn alone_options(&self, stage: Stage) -> SolveOptions {
        SolveOptions {
            threads: self.options.threads,
            ..stage_options(self.options, stage, self.share_left(), self.inst.aggregate)
        }
    }

    /// [`Stages::run_next`] for the stages `group`, with `later` to come.
    fn run_group(&mut self, group: &[Stage], later: &[Stage]) -> Result<StageEnd, Error> {
        let stage = group[0];
        self.begin(group, later);
        for &each in group {
            note(self.options, Progress::StageStarted { stage: each });
        }
        self.completed = None;
        if self.share_left() < LEAST_STAGE_SECONDS {
            return self.kept_group(group, 0.0);
        }
        let (model, start) = self.warm_start(group, self.inst.build_group(group, &self.fixed))?;
        let handles = model.handles.clone();
        let objective = model.objective.clone();
        let started = start.is_some();
        let solve_options = self.alone_options(stage);
        let outcome = match self.first_solve(stage, model, solve_options, start)? {
            Solve::Ended(outcome) => outcome,
            Solve::NoPlanInTime { seconds } => return self.kept_group(group, seconds),
        };
        let guarded = self.stale_guard(group, (&handles, &objective), outcome, started, solve_options)?;
        let (outcome, checked) = match guarded {
            (Solve::Ended(outcome), checked) => (outcome, checked),
            (Solve::NoPlanInTime { seconds }, _) => return self.kept_group(group, seconds),
        };
        if outcome.status == StageStatus::Infeasible {
            if stage == Stage::Compliance {
                return Ok(StageEnd::Infeasible);
            }
            // A later stage with an earlier value fixed cannot be infeasible
            // except by numerical tolerance: the plan that stands is kept.
            return self.kept_group(group, outcome.seconds);
        }
        self.accept(group, handles, outcome, checked)
    }

    /// Reports each stage of `group` with its value and gap and the
    /// group's status; the seconds go to the first.
    fn report_group(&mut self, group: &[Stage], values: &[f64], gaps: Vec<f64>, status: StageStatus, seconds: f64) {
        for (i, ((&stage, &objective), gap)) in group.iter().zip(values).zip(gaps).enumerate() {
            let seconds = if i == 0 { seconds } else { 0.0 };
            note(self.options, Progress::StageSolved { stage, status, objective, seconds });
            self.reports.push(StageReport { stage, status: Some(status), objective, gap, seconds });
        }
    }

    /// [`Stages::kept`] for each stage of `group`.
    fn kept_group(&mut self, group: &[Stage], seconds: f64) -> Result<StageEnd, Error> {
        for (i, &stage) in group.iter().enumerate() {
            self.kept(stage, if i == 0 { seconds } else { 0.0 })?;
        }
        Ok(StageEnd::Next)
    }

    /// Makes a stage's outcome the plan that stands: names its flows, fixes
    /// its value for the later stages and reports it. For stages solved as
    /// one (`group`), each stage's value is fixed and reported,
    /// with the joint solve's status and gap; its seconds go to the first.
    fn accept(
        &mut self,
        group: &[Stage],
        handles: Handles,
        outcome: StageOutcome,
        checked: Option<ProfileFlows>,
    ) -> Result<StageEnd, Error> {
        let moves = match checked {
            Some(flows) => flows,
            None => plan_flows(self.inst, &handles, &outcome, self.left())?,
        };
        let hires = round_flows(&handles.h, &outcome);
        let returned = returned_of(&handles, &outcome);
        let after = after_figures(self.inst, &moves, &hires, &returned);
        let flows = Flows { moves, hires, returned, after };
        let counts = matches!(group[0], Stage::CvSquares | Stage::Structure)
            .then(|| self.inst.counts_of(&handles, |v| outcome.value(v)));
        let mut values = Vec::with_capacity(group.len());
        for &stage in group {
            self.fixed_at.push(self.fixed);
            values.push(self.fix_optimum(stage, &flows, counts.clone()));
        }
        let gap = restated_gap(group[0], &outcome, self.inst.joint_value(group, &values));
        // A solve stopped with its bound at its plan's value is proven.
        let status =
            if gap <= 0.0 && outcome.status == StageStatus::TimeLimit { StageStatus::Optimal } else { outcome.status };
        self.stopped |= status == StageStatus::TimeLimit;
        let gaps = group_gaps(group[0], &values, gap, status, self.first_of_group_bound(group, &outcome));
        self.report_group(group, &values, gaps, status, outcome.seconds);
        self.previous = Some(outcome.values.clone());
        self.last = Some((handles, outcome));
        self.best = Some(flows);
        Ok(StageEnd::Next)
    }

    /// Another pass over the stages from the first one not proven, when a
    /// tenth of the run's time (at least [`LEAST_PASS_SECONDS`]) is left:
    /// the stages after a cut stage often end early and leave their share
    /// unused. Each stage of the pass starts from the plan that stands, so
    /// it is never worse; the better whole pass stands at the end. Returns
    /// the position in `list` to run from, or None.
    pub(crate) fn another_pass(&mut self, list: &[Stage]) -> Option<usize> {
        if self.reports.len() != list.len() || self.fixed_at.len() != list.len() {
            return None;
        }
        let first = self.reports.iter().position(|r| r.status != Some(StageStatus::Optimal))?;
        if self.left() < LEAST_PASS_SECONDS.max(0.1 * self.clock.limit) {
            return None;
        }
        let best = self.best.clone()?;
        let this = (self.reports.clone(), best);
        let keep = match self.best_pass.take() {
            Some(earlier) if !self.better(list, &this.1, &earlier.1) => earlier,
            _ => this,
        };
        self.best_pass = Some(keep);
        self.fixed = self.fixed_at[first];
        self.reports.truncate(first);
        self.fixed_at.truncate(first);
        self.stopped = false;
        self.stage3_counts = None;
        Some(first)
    }

    /// Whether plan `a` is at least as good as `b` in the order of the
    /// stages `list` (each stage's value recounted from the plan).
    fn better(&self, list: &[Stage], a: &Flows, b: &Flows) -> bool {
        for &stage in list {
            let (x, y) = (self.value_of(stage, a), self.value_of(stage, b));
            if (x - y).abs() <= 1e-9 * x.abs().max(y.abs()).max(1.0) {
                continue;
            }
            return (x > y) == stage.maximised();
        }
        true
    }

    /// The best value the first stage of a joint solve can reach, by its
    /// bound (see [`Instance::first_of_group_bound`]); None for one stage
    /// or without a bound.
    fn first_of_group_bound(&self, group: &[Stage], outcome: &StageOutcome) -> Option<f64> {
        if group.len() < 2 || !outcome.bound.is_finite() {
            return None;
        }
        Some(self.inst.first_of_group_bound(group, outcome.bound))
    }

    /// The plan of the last stage, with every stage's report (of the
    /// better pass, when another pass ran).
    pub(crate) fn finish(mut self) -> Result<Plan, Error> {
        if let (Some((reports, flows)), Some(current)) = (self.best_pass.take(), &self.best) {
            let list: Vec<Stage> = reports.iter().map(|r| r.stage).collect();
            let complete = self.reports.len() == reports.len();
            if !complete || !self.better(&list, current, &flows) {
                (self.reports, self.best) = (reports, Some(flows));
            }
        }
        let Some(best) = self.best else {
            return Err(Error::Solver("no stage produced a plan".into()));
        };
        let elapsed = self.clock.elapsed();
        Ok(assemble(self.inst, &best.moves, &best.hires, &best.returned, best.after, self.reports, elapsed))
    }

    /// The solver found no plan for `stage` in its share of the time (which
    /// had `seconds`): the plan that stands (the feasibility stage's before
    /// stage 1) is this stage's plan too, a heuristic plan that keeps every
    /// rule and every earlier stage's value. Its value is fixed like a
    /// solved stage's, and it is reported as stopped by the time limit with
    /// a gap of 100 % (no bound is known).
    fn kept(&mut self, stage: Stage, seconds: f64) -> Result<StageEnd, Error> {
        self.stopped = true;
        if let Some((handles, mut outcome)) = self.completed.take() {
            outcome.status = StageStatus::TimeLimit;
            (outcome.bound, outcome.gap, outcome.seconds) = (f64::NEG_INFINITY, 1.0, outcome.seconds + seconds);
            return self.accept(&[stage], handles, outcome, None);
        }
        if self.best.is_none() {
            let (handles, found) = &self.feasible;
            let moves = plan_flows(self.inst, handles, found, self.left())?;
            let hires = round_flows(&handles.h, found);
            let returned = returned_of(handles, found);
            let after = after_figures(self.inst, &moves, &hires, &returned);
            self.best = Some(Flows { moves, hires, returned, after });
        }
        let best = self.best.take().expect("a plan stands");
        self.fixed_at.push(self.fixed);
        let objective = self.fix_optimum(stage, &best, None);
        self.best = Some(best);
        self.report_group(&[stage], &[objective], vec![1.0], StageStatus::TimeLimit, seconds);
        Ok(StageEnd::Next)
    }

    /// The warm start of a stage (the first of `group`). Stage 1 alone
    /// starts from the feasibility plan (its columns padded with zeros: no
    /// section claimed compliant), stage 4
    /// from the plan that stands with its flows of least distance, every
    /// other stage from the plan that stands completed into its own columns
    /// ([`Stages::completed_start`]). Returns the stage's model with its
    /// start: a completed start is solved with the model itself, which is
    /// then built again (the same columns), so that a large county holds
    /// one copy of the model at a time.
    fn warm_start(&mut self, group: &[Stage], model: StageModel) -> Result<(StageModel, Option<Vec<f64>>), Error> {
        let stage = group[0];
        let start = match (stage, &self.previous, &self.best) {
            // In another pass stage 1 starts from the plan that stands.
            (Stage::Compliance, ..) if self.last.is_none() && group.len() == 1 => {
                let found = &self.feasible.1;
                Some(found.values.iter().copied().chain(std::iter::repeat(0.0)).take(model.vars.len()).collect())
            }
            // Stage 4 adds the free profiles' flow columns after the
            // stage before's: its start is those columns with its flows of
            // least distance (after a pinned solve, which has other
            // columns, the plan that stands completed as for any stage).
            (Stage::Distance, Some(previous), Some(best)) if !previous.is_empty() => {
                let positions = column_positions(&model.vars);
                let mut values = previous.clone();
                values.resize(model.vars.len(), 0.0);
                for (row, counts) in model.handles.x.iter().zip(&best.moves) {
                    for (var, &n) in row.iter().zip(counts) {
                        if let Some(&i) = positions.get(var) {
                            values[i] = n as f64;
                        }
                    }
                }
                Some(values)
            }
            (Stage::Distance, Some(_), _) | (Stage::Distance, None, None) => None,
            _ => {
                let start = self.completed_start(stage, model)?;
                return Ok((self.inst.build_group(group, &self.fixed), start));
            }
        };
        Ok((model, start))
    }

    /// The plan that stands as a whole start of `stage`: the stage's model
    /// with the last stage's departures, arrivals, hires and returns pinned
    /// ([`Instance::pin_decisions`]), solved. That plan keeps every earlier
    /// stage's value, so the stage's solve has a plan from its first
    /// moment and spends its time improving it (on a stressed district,
    /// stage 2 alone found no plan in 85 s). Kept as the stage's plan when
    /// its solve finds nothing better.
    fn completed_start(&mut self, stage: Stage, mut model: StageModel) -> Result<Option<Vec<f64>>, Error> {
        let (earlier_handles, earlier) = self.last.as_ref().unwrap_or(&self.feasible);
        self.inst.pin_decisions(&mut model, earlier_handles, |v| earlier.value(v));
        let handles = model.handles.clone();
        let options = self.alone_options(stage);
        Ok(match solve(model, options, None)? {
            Solve::Ended(outcome) if outcome.status != StageStatus::Infeasible => {
                let values = outcome.values.clone();
                self.completed = Some((handles, outcome));
                Some(values)
            }
            _ => None,
        })
    }

    /// The stage's solve from its warm start. The distance stage goes by the
    /// counted sections' indicator counts that reach stage 3's optimum
    /// first (see [`pinned_distance`]): when that proves the optimum, it is
    /// the stage's outcome; otherwise its best plan starts the full stage.
    fn first_solve(
        &mut self,
        stage: Stage,
        model: StageModel,
        solve_options: SolveOptions,
        start: Option<Vec<f64>>,
    ) -> Result<Solve, Error> {
        let (start, earlier_seconds) = match (stage, start, self.stage3_counts.take()) {
            (Stage::Distance, Some(values), Some(counts)) => {
                match pinned_distance(self.inst, &self.fixed, counts, &values, self.share_left(), self.options)? {
                    Pinned::Proven(outcome) => return Ok(Solve::Ended(outcome)),
                    Pinned::Start(values, seconds) => (Some(values), seconds),
                }
            }
            (_, start, _) => (start, 0.0),
        };
        let options = SolveOptions { time_limit: self.share_left().max(LEAST_STAGE_SECONDS), ..solve_options };
        Ok(match solve(model, options, start.as_deref())? {
            Solve::Ended(mut outcome) => {
                outcome.seconds += earlier_seconds;
                Solve::Ended(outcome)
            }
            stopped => stopped,
        })
    }

    /// The stale-column guard. HiGHS has been seen to report the right
    /// optimum of a started solve while returning the start's columns: check
    /// that the columns reach the reported value (compliance alone by the
    /// plan's figures, distance by the plan's km, any other by its objective
    /// evaluated on the columns), and solve again without the start when
    /// they do not. Returns the solve that stands and, when they are known,
    /// its flows.
    fn stale_guard(
        &self,
        group: &[Stage],
        (handles, objective): (&Handles, &good_lp::Expression),
        outcome: StageOutcome,
        started: bool,
        solve_options: SolveOptions,
    ) -> Result<(Solve, Option<ProfileFlows>), Error> {
        if !started || outcome.status == StageStatus::Infeasible {
            return Ok((Solve::Ended(outcome), None));
        }
        let flows = plan_flows(self.inst, handles, &outcome, self.left())?;
        let off = |reached: f64, reported: f64| (reached - reported).abs() > 1e-6 * reported.abs().max(1.0);
        let stale = match group {
            [Stage::Compliance] => {
                let hires = round_flows(&handles.h, &outcome);
                let returned = returned_of(handles, &outcome);
                let reached = after_figures(self.inst, &flows, &hires, &returned).compliant() as f64;
                reached + 0.5 < -outcome.objective
            }
            [Stage::Distance] => off(distance_of(self.inst, &flows), outcome.objective),
            // good_lp leaves the objective's constant out of the solver's.
            _ => off(
                objective.eval_with(&outcome) - good_lp::IntoAffineExpression::constant(objective),
                outcome.objective,
            ),
        };
        if outcome.status != StageStatus::Optimal || !stale {
            return Ok((Solve::Ended(outcome), Some(flows)));
        }
        note(self.options, Progress::StaleColumns { stage: group[0] });
        let again = SolveOptions { time_limit: self.share_left().max(LEAST_STAGE_SECONDS), ..solve_options };
        Ok((solve(self.inst.build_group(group, &self.fixed), again, None)?, None))
    }

    /// Fixes the value of a stage's plan (`flows`) for the stages after it
    /// (stage 3 also keeps its counts, when known, for stage 4), and returns
    /// it, recomputed from the plan: compliant sections, shortfall, subject
    /// teachers missing, Σ CV², km.
    fn fix_optimum(&mut self, stage: Stage, flows: &Flows, counts: Option<Vec<[u32; 3]>>) -> f64 {
        let value = self.value_of(stage, flows);
        match stage {
            Stage::Compliance => self.fixed.compliant = Some(value as u32),
            Stage::Shortfall => self.fixed.shortfall = Some(value as u32),
            Stage::SubjectGaps => self.fixed.subject_gaps = Some(value as u32),
            Stage::CvSquares => {
                self.stage3_counts = counts;
                self.fixed.cv_squares = Some(value);
            }
            Stage::Structure => {
                // Its plan reaches stages 1–3's optima too: its counts start
                // the search by count vectors of the later stages.
                self.stage3_counts = counts;
                self.fixed.structure = Some(value);
            }
            Stage::Forced | Stage::Volunteers | Stage::Wish(_) => {
                self.stage3_counts = None;
                self.fixed.fix_voice(stage, value as u32);
            }
            Stage::Distance => {}
        }
        value
    }

    /// A stage's value of a plan, recounted from it: compliant sections,
    /// shortfall, subject teachers missing, Σ CV², the structure's Σ CV²,
    /// moves of a voice stage, km.
    fn value_of(&self, stage: Stage, flows: &Flows) -> f64 {
        let after = &flows.after;
        match stage {
            Stage::Compliance => after.compliant() as f64,
            Stage::Shortfall => f64::from(after.shortfall()),
            Stage::SubjectGaps => {
                f64::from(gaps_after(self.inst, &flows.moves, &flows.hires, &flows.returned).missing())
            }
            Stage::CvSquares => after.teacher_cv_squares(),
            Stage::Structure => after_structure(self.inst, &flows.moves, &flows.hires, &flows.returned).cv_squares(),
            Stage::Forced | Stage::Volunteers | Stage::Wish(_) => {
                f64::from(voice_counts(self.inst, &flows.moves).of(stage).unwrap_or(0))
            }
            Stage::Distance => distance_of(self.inst, &flows.moves),
        }
    }
}

/// The counts a pinned solve holds: the counted sections' indicator
/// counts and, once the structure stage is done, their structure figures'
/// counts too.
#[derive(Clone, PartialEq)]
struct Vectors {
    indicator: Vec<[u32; 3]>,
    structure: Option<Vec<[u32; 3]>>,
}

/// One count vector's solve of a stage: its counts, flows and value.
struct ByCounts {
    counts: Vectors,
    flows: ProfileFlows,
    hires: Vec<Vec<u32>>,
    returned: Vec<bool>,
    value: f64,
    gap: f64,
    /// The solve's handles and outcome.
    solved: (Handles, StageOutcome),
}

/// A stage's solves by counts (each count vector's result, whether all
/// were proven, the seconds).
type PinnedSolves = (Vec<ByCounts>, bool, f64);

/// One stage (or group) of [`Stages::chain`]: its position in the stages
/// by counts, the counts pinned and the values fixed when it was solved,
/// and its solve.
struct Link {
    at: usize,
    counts: Vectors,
    fixed: Fixed,
    pinned: PinnedSolves,
}

/// The search for other structure counts beside the chain: the counts
/// and values it started from, and what it found with its seconds.
type StructureFound = (Vectors, Fixed, (Vec<Vectors>, f64));

impl Stages<'_, '_, '_> {
    /// The voice stages and distance (`stages`) by count vectors, as the
    /// distance stage alone goes without applications (see
    /// [`pinned_distance`]): every objective after Σ CV² depends on the
    /// inspection only through the counted sections' indicator counts, so
    /// with every count vector that reaches stage 3's optimum known, each
    /// stage is its best over those vectors, each solved with the counts
    /// pinned (a far smaller problem), and the vectors behind the best value
    /// go on to the next stage. Returns false, having run nothing, when the
    /// count vectors are not all found (more than
    /// [`MOST_COUNT_VECTORS`], or the search stopped): then the full stages
    /// run. While the searches run on one core, the stages run on the
    /// other with the first counts pinned ([`Stages::chain`]); each such
    /// solve stands as that count vector's when the stage comes to it with
    /// the same counts first and the same values fixed.
    pub(crate) fn run_by_counts(&mut self, stages: &[Stage]) -> Result<usize, Error> {
        let Some(first) = self.stage3_counts.clone() else { return Ok(0) };
        if self.stopped {
            return Ok(0);
        }
        let size = self.inst.stage_group(stages).max(1);
        self.begin(&stages[..size], &stages[size..]);
        // The search for the other count vectors and the chain of the stages
        // with these counts pinned (then the search for other structure
        // counts) run side by side, one on each core.
        let head = Vectors { indicator: first.clone(), structure: None };
        let others = AtomicBool::new(false);
        let job = StructureJob::default();
        let (searched, chain) = side_by_side(
            || -> Result<_, Error> {
                let found = self.count_vectors(first, stages[0])?;
                if found.as_ref().is_none_or(|f| f.len() != 1) {
                    // The chain's later stages may not stand: it stops.
                    others.store(true, Ordering::Relaxed);
                    return Ok((found, None));
                }
                Ok((found, job.take(true).map(|job| self.structure_search(job)).transpose()?))
            },
            || self.chain(stages, head, &others, &job),
        );
        let (found, searched_here) = searched?;
        let Some(found) = found else { return Ok(0) };
        // No other counts reach Σ CV²'s value (up to its tolerance) but those
        // found: its plan is the least exactly, whatever gap its solve
        // stopped at (HiGHS's relative gap of 1e-6).
        if let Some(report) = self.reports.iter_mut().rev().find(|r| r.stage == Stage::CvSquares) {
            if report.status == Some(StageStatus::Optimal) {
                report.gap = 0.0;
            }
        }
        let (chain, searched_beside) = chain?;
        let mut structure_found = searched_here.or(searched_beside);
        let mut chain: std::collections::VecDeque<Link> = chain.into();
        let mut early: Option<PinnedSolves> = None;
        let mut candidates: Vec<Vectors> =
            found.into_iter().map(|indicator| Vectors { indicator, structure: None }).collect();
        let mut i = 0;
        while i < stages.len() {
            if self.stopped {
                // A stage ran out of its share by count vectors: the later
                // stages run in full.
                self.stage3_counts = None;
                return Ok(i);
            }
            let size = self.inst.stage_group(&stages[i..]).max(1);
            let group = &stages[i..i + size];
            self.begin(group, &stages[i + size..]);
            for &stage in group {
                note(self.options, Progress::StageStarted { stage });
            }
            let done = early.take().or_else(|| take_link(&mut chain, i, &candidates, &self.fixed));
            let (results, all_optimal, mut seconds) = match done {
                // The first count vector's solve is done (above).
                Some((mut results, all_optimal, seconds)) => {
                    let (rest, rest_optimal, rest_seconds) = self.solve_pinned(&self.fixed, group, &candidates[1..])?;
                    results.extend(rest);
                    (results, all_optimal && rest_optimal, seconds + rest_seconds)
                }
                None => self.solve_pinned(&self.fixed, group, &candidates)?,
            };
            i += size;
            let widest = if results.len() < candidates.len() {
                1.0
            } else {
                results.iter().map(|r| r.gap).fold(f64::MIN_POSITIVE, f64::max)
            };
            let maximise = group[0].maximised();
            let best = results.iter().map(|r| r.value).fold(None, |b: Option<f64>, v| {
                Some(b.map_or(v, |b| if (v > b) == maximise && v != b { v } else { b }))
            });
            let close = |v: f64| best.is_some_and(|value| (v - value).abs() <= 1e-9 * value.abs().max(1.0));
            let structure = group[0] == Stage::Structure;
            candidates = results
                .iter()
                .filter(|r| close(r.value))
                .map(|r| match structure {
                    // The structure counts of the plan found start the
                    // search for the others (below).
                    true => Vectors {
                        indicator: r.counts.indicator.clone(),
                        structure: Some(self.inst.structure_counts_of(&r.solved.0, |v| r.solved.1.value(v))),
                    },
                    false => r.counts.clone(),
                })
                .collect();
            let Some(chosen) = results.into_iter().find(|r| close(r.value)) else {
                // No count vector's solve found a plan in the stage's share.
                self.completed = None;
                self.kept_group(group, seconds)?;
                continue;
            };
            let status = if all_optimal { StageStatus::Optimal } else { StageStatus::TimeLimit };
            self.stopped |= !all_optimal;
            // Not proven: the best of the other vectors' bounds is not
            // known, so the gap is the widest, 100 % when a vector's solve
            // found no plan.
            let gap = if all_optimal { 0.0 } else { widest };
            let values = self.keep_plan(group, chosen);
            if structure {
                let done = structure_found
                    .take()
                    .filter(|(from, fixed, _)| candidates.len() == 1 && candidates[0] == *from && *fixed == self.fixed);
                let took;
                if let Some((_, _, found)) = done {
                    // Searched beside the chain, from these counts.
                    (candidates, took) = found;
                } else {
                    // The search for other structure counts and the next
                    // stage's solve with the first counts pinned run side by
                    // side; that solve stands when those counts stay pinned.
                    chain.clear();
                    let next = &stages[i..i + self.inst.stage_group(&stages[i..]).max(1).min(stages.len() - i)];
                    let head = candidates[..1].to_vec();
                    let (found, pinned) = side_by_side(
                        || self.structure_vectors(&self.fixed, candidates),
                        || (!next.is_empty()).then(|| self.solve_pinned(&self.fixed, next, &head)),
                    );
                    (candidates, took) = found?;
                    if candidates.first().is_some_and(|c| c.structure.is_some()) {
                        early = pinned.transpose()?;
                    }
                }
                seconds += took;
            }
            let gaps = group_gaps(group[0], &values, gap, status, None);
            self.report_group(group, &values, gaps, status, seconds);
        }
        Ok(stages.len())
    }

    /// Every count vector that reaches stage 3's optimum, `first` first;
    /// None when there are more than [`MOST_COUNT_VECTORS`] or the search
    /// stopped before it knew.
    fn count_vectors(&self, first: Vec<[u32; 3]>, during: Stage) -> Result<Option<Vec<Vec<[u32; 3]>>>, Error> {
        let mut seen = vec![first];
        let left = || self.share_left();
        while seen.len() <= MOST_COUNT_VECTORS {
            match other_counts(self.inst, &self.fixed, &seen, &left, self.options, during)?.0 {
                OtherCounts::None => return Ok(Some(seen)),
                OtherCounts::Found(counts) => seen.push(counts),
                OtherCounts::Unknown => return Ok(None),
            }
        }
        Ok(None)
    }

    /// The structure counts that reach the structure's optimum (just fixed)
    /// with each indicator count vector of `candidates`, each candidate's
    /// own first; so the later stages pin both. When they are not all found
    /// (more than [`MOST_COUNT_VECTORS`] in all, or a search stopped), the
    /// candidates with their indicator counts alone, as before the
    /// structure stage. With the seconds the searches took.
    fn structure_vectors(&self, fixed: &Fixed, candidates: Vec<Vectors>) -> Result<(Vec<Vectors>, f64), Error> {
        let plain =
            |c: &[Vectors]| c.iter().map(|v| Vectors { indicator: v.indicator.clone(), structure: None }).collect();
        let left = || self.share_left();
        let (mut all, mut seconds) = (Vec::new(), 0.0);
        for candidate in &candidates {
            let Some(first) = candidate.structure.clone() else { return Ok((plain(&candidates), seconds)) };
            let mut seen = vec![first];
            loop {
                if all.len() + seen.len() > MOST_COUNT_VECTORS {
                    return Ok((plain(&candidates), seconds));
                }
                let (other, took) =
                    other_structure(self.inst, fixed, &candidate.indicator, &seen, &left, self.options)?;
                seconds += took;
                match other {
                    OtherCounts::None => break,
                    OtherCounts::Found(counts) => seen.push(counts),
                    OtherCounts::Unknown => return Ok((plain(&candidates), seconds)),
                }
            }
            let indicator = &candidate.indicator;
            all.extend(seen.into_iter().map(|s| Vectors { indicator: indicator.clone(), structure: Some(s) }));
        }
        Ok((all, seconds))
    }

    /// A stage (or stages solved as one, `group`) solved with the values
    /// `fixed` and each count vector of `candidates` pinned; with whether
    /// every solve was proven, and the seconds.
    fn solve_pinned(&self, fixed: &Fixed, group: &[Stage], candidates: &[Vectors]) -> Result<PinnedSolves, Error> {
        let stage = group[0];
        let (mut results, mut all_optimal, mut seconds) = (Vec::new(), true, 0.0);
        for counts in candidates {
            let pins = Pins { indicator: &counts.indicator, structure: counts.structure.as_deref() };
            let model = self.inst.build_pinned(group, fixed, pins);
            let handles = model.handles.clone();
            let budget = SolveOptions {
                probing: false,
                ..stage_options(self.options, stage, self.share_left(), self.inst.aggregate)
            };
            let outcome = match solve(model, budget, None)? {
                Solve::Ended(outcome) => outcome,
                Solve::NoPlanInTime { seconds: s } => {
                    (all_optimal, seconds) = (false, seconds + s);
                    continue;
                }
            };
            seconds += outcome.seconds;
            if outcome.status == StageStatus::Infeasible {
                continue;
            }
            // A solve stopped with its bound at its plan's value is proven.
            all_optimal &= outcome.status == StageStatus::Optimal || outcome.gap <= 0.0;
            let flows = plan_flows(self.inst, &handles, &outcome, self.left())?;
            let hires = round_flows(&handles.h, &outcome);
            let returned = returned_of(&handles, &outcome);
            let value = match stage {
                Stage::Distance => distance_of(self.inst, &flows),
                Stage::Structure => after_structure(self.inst, &flows, &hires, &returned).cv_squares(),
                _ => {
                    let voice = voice_counts(self.inst, &flows);
                    let values: Vec<f64> = group.iter().map(|&s| f64::from(voice.of(s).unwrap_or(0))).collect();
                    self.inst.joint_value(group, &values)
                }
            };
            let (counts, gap) = (counts.clone(), outcome.gap);
            results.push(ByCounts { counts, flows, hires, returned, value, gap, solved: (handles, outcome) });
        }
        Ok((results, all_optimal, seconds))
    }

    /// The stages by counts (`stages`) solved one after the other with the
    /// first counts (`head`) pinned, each with the values of the ones
    /// before, while each is proven. When the searches find no other
    /// counts, these are the stages' optima, found beside the searches.
    /// The structure's counts and the values after it go to `job`, the
    /// search for other structure counts, which the first core free takes.
    /// Stops after the first stage once `others` is set: the search found
    /// other indicator counts.
    fn chain(
        &self,
        stages: &[Stage],
        head: Vectors,
        others: &AtomicBool,
        job: &StructureJob,
    ) -> Result<(Vec<Link>, Option<StructureFound>), Error> {
        // The other core may wait for the job: it is posted, or posted as
        // none, however the chain ends.
        let _posted = PostOnDrop(job);
        let (mut fixed, mut counts, mut links, mut i) = (self.fixed, head, Vec::new(), 0);
        while i < stages.len() && (i == 0 || !others.load(Ordering::Relaxed)) {
            let size = self.inst.stage_group(&stages[i..]).max(1);
            let group = &stages[i..i + size];
            let pinned = self.solve_pinned(&fixed, group, std::slice::from_ref(&counts))?;
            let next = match &pinned {
                (results, true, _) if results.len() == 1 => {
                    let chosen = &results[0];
                    let mut after = fixed;
                    fix_group(self.inst, &mut after, group, chosen);
                    let mut next = counts.clone();
                    if group[0] == Stage::Structure {
                        let (hd, outcome) = &chosen.solved;
                        next.structure = Some(self.inst.structure_counts_of(hd, |v| outcome.value(v)));
                        job.post(Some((next.clone(), after)));
                    }
                    Some((after, next))
                }
                _ => None,
            };
            links.push(Link { at: i, counts, fixed, pinned });
            let Some((after, next)) = next else { break };
            (fixed, counts, i) = (after, next, i + size);
        }
        job.post(None);
        let found = match others.load(Ordering::Relaxed) {
            false => job.take(false).map(|job| self.structure_search(job)).transpose()?,
            true => None,
        };
        Ok((links, found))
    }

    /// The structure counts other than those of `job` with its indicator
    /// counts and values fixed (see [`Stages::structure_vectors`]).
    fn structure_search(&self, (counts, fixed): (Vectors, Fixed)) -> Result<StructureFound, Error> {
        let found = self.structure_vectors(&fixed, vec![counts.clone()])?;
        Ok((counts, fixed, found))
    }

    /// Makes a pinned solve the plan that stands, and fixes the value of
    /// each stage of `group`; returns those values.
    fn keep_plan(&mut self, group: &[Stage], chosen: ByCounts) -> Vec<f64> {
        let after = after_figures(self.inst, &chosen.flows, &chosen.hires, &chosen.returned);
        let (values, before) = fix_group(self.inst, &mut self.fixed, group, &chosen);
        self.fixed_at.extend(before);
        self.best = Some(Flows { moves: chosen.flows, hires: chosen.hires, returned: chosen.returned, after });
        // A pinned model's columns are not those of the full stage models
        // (it has no columns of stages 1–3): a later full stage starts from
        // this plan by its decisions (`completed_start`), not its columns.
        self.previous = None;
        self.last = Some(chosen.solved);
        values
    }
}

/// The search for other structure counts beside the count search: the
/// chain posts the counts and values it starts from, and the first core
/// free takes it.
#[derive(Default)]
struct StructureJob {
    state: Mutex<JobState>,
    posted: Condvar,
}

#[derive(Default)]
enum JobState {
    #[default]
    Pending,
    Ready(Vectors, Fixed),
    Done,
}

impl StructureJob {
    /// Posts the job (None: there is none), once.
    fn post(&self, job: Option<(Vectors, Fixed)>) {
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        if matches!(*state, JobState::Pending) {
            *state = job.map_or(JobState::Done, |(counts, fixed)| JobState::Ready(counts, fixed));
        }
        self.posted.notify_all();
    }

    /// Takes the job if it is posted and not taken, first waiting for it
    /// to be posted when `wait`.
    fn take(&self, wait: bool) -> Option<(Vectors, Fixed)> {
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        while wait && matches!(*state, JobState::Pending) {
            state = self.posted.wait(state).unwrap_or_else(PoisonError::into_inner);
        }
        match std::mem::replace(&mut *state, JobState::Done) {
            JobState::Ready(counts, fixed) => Some((counts, fixed)),
            _ => None,
        }
    }
}

/// Posts "no job" when dropped, so that no core waits for a chain that
/// ended early.
struct PostOnDrop<'a>(&'a StructureJob);

impl Drop for PostOnDrop<'_> {
    fn drop(&mut self) {
        self.0.post(None);
    }
}

/// The chain's solve of the group at `at` when it was made with the first
/// of `candidates` and the values `fixed`: it is then that count vector's
/// solve of the group. After the first group only a proven solve stands:
/// one cut short had the first group's share of the time, not its own.
/// Links of earlier groups are dropped.
fn take_link(
    chain: &mut std::collections::VecDeque<Link>,
    at: usize,
    candidates: &[Vectors],
    fixed: &Fixed,
) -> Option<PinnedSolves> {
    while chain.front().is_some_and(|link| link.at < at) {
        chain.pop_front();
    }
    let stands = |l: &&Link| l.at == at && candidates.first() == Some(&l.counts) && l.fixed == *fixed;
    chain.front().filter(stands).filter(|l| l.at == 0 || l.pinned.1)?;
    chain.pop_front().map(|link| link.pinned)
}

/// Fixes in `fixed` the value of each stage of `group` reached by
/// `chosen`; returns the values and the fixed values before each stage.
fn fix_group(inst: &Instance, fixed: &mut Fixed, group: &[Stage], chosen: &ByCounts) -> (Vec<f64>, Vec<Fixed>) {
    let mut before = Vec::with_capacity(group.len());
    let values = if matches!(group[0], Stage::Distance | Stage::Structure) {
        before.push(*fixed);
        if group[0] == Stage::Structure {
            fixed.structure = Some(chosen.value);
        }
        vec![chosen.value]
    } else {
        let voice = voice_counts(inst, &chosen.flows);
        group
            .iter()
            .map(|&stage| {
                let value = voice.of(stage).unwrap_or(0);
                before.push(*fixed);
                fixed.fix_voice(stage, value);
                f64::from(value)
            })
            .collect()
    };
    (values, before)
}

/// Runs `here` on this thread and `beside` on another, and returns both
/// results; a panic on the other thread goes on here.
fn side_by_side<A, B: Send>(here: impl FnOnce() -> A, beside: impl FnOnce() -> B + Send) -> (A, B) {
    std::thread::scope(|scope| {
        let other = scope.spawn(beside);
        let mine = here();
        (mine, other.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)))
    })
}

/// The gaps of the stages of a group whose first stage is `first` (their
/// `values`) solved as one with the joint `gap`: a proven solve proves
/// each; otherwise the first stage's gap is by the best value it can reach
/// (`first_bound`, 100 % without it) and the later ones have no bound of
/// their own (100 %).
fn group_gaps(first: Stage, values: &[f64], gap: f64, status: StageStatus, first_bound: Option<f64>) -> Vec<f64> {
    if values.len() < 2 || status == StageStatus::Optimal {
        return vec![gap; values.len()];
    }
    let off = |best: f64| if first.maximised() { best - values[0] } else { values[0] - best };
    let first = first_bound.map_or(1.0, |best| (off(best).max(0.0) / values[0].max(1.0)).min(1.0));
    let first = if first > 0.0 { first } else { gap.max(f64::MIN_POSITIVE) };
    std::iter::once(first).chain(std::iter::repeat_n(1.0, values.len() - 1)).collect()
}

/// The solve options of a stage: the integral stages (compliance,
/// shortfall) stop at an absolute gap below 1, the others at tight gaps;
/// feasibility jump runs only on a large (`aggregate`) county, and there
/// the compliance stage's root LP is solved by interior point (dual simplex
/// had not solved it after 75 s on district-121; the later stages' roots
/// are solved by dual simplex in seconds, and with interior point there
/// stage 2 of district-121 at `--time-limit 180` stopped at a shortfall of
/// 553 instead of proving 480).
fn stage_options(options: &PlanOptions, stage: Stage, remaining: f64, aggregate: bool) -> SolveOptions {
    let integral = stage.integral();
    let (rel_gap, abs_gap) = if integral { (0.0, 0.99) } else { (1e-6, 1e-9) };
    SolveOptions {
        jump: aggregate,
        interior_root: aggregate && stage == Stage::Compliance,
        ..options.solve(remaining.max(LEAST_STAGE_SECONDS), rel_gap, abs_gap)
    }
}

/// The stage's gap against its own value. The solver's gap is relative to
/// its objective without constant terms (Σ CV² leaves out large constants);
/// a gap of 100 % (the most reported) means no useful bound.
fn restated_gap(stage: Stage, outcome: &StageOutcome, objective: f64) -> f64 {
    let own = if stage.maximised() { -objective } else { objective };
    ((outcome.objective - outcome.bound).max(0.0) / own.abs().max(1e-9)).max(outcome.gap).min(1.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Only the compliance stage of a large county solves its root LP by
    /// interior point.
    #[test]
    fn only_a_large_countys_compliance_stage_has_an_interior_root() {
        let options = PlanOptions::default();
        for stage in [Stage::Compliance, Stage::Shortfall, Stage::CvSquares, Stage::Distance] {
            for aggregate in [false, true] {
                let solve = stage_options(&options, stage, 60.0, aggregate);
                assert_eq!(solve.interior_root, aggregate && stage == Stage::Compliance, "{stage:?}, {aggregate}");
                assert_eq!(solve.jump, aggregate);
            }
        }
    }

    /// Stages that use their whole share use the whole time, each a part
    /// in proportion to its weight; a stage that ends early leaves its time
    /// to the later ones.
    #[test]
    fn shares_split_the_time_by_weight_and_pass_on_what_is_left() {
        let list = [Stage::Compliance, Stage::Shortfall, Stage::CvSquares, Stage::Volunteers, Stage::Distance];
        let mut left = 60.0;
        let mut shares = Vec::new();
        for (i, &stage) in list.iter().enumerate() {
            let part = share(left, &[stage], &list[i + 1..]);
            shares.push(part);
            left -= part;
        }
        assert!(left.abs() < 1e-9, "{left} s unused");
        assert!((shares[0] - 60.0 * 12.0 / 33.0).abs() < 1e-9, "{shares:?}");
        assert!((shares[0] / shares[3] - 12.0).abs() < 1e-9, "{shares:?}");
        // Compliance proven at once: the shortfall's share grows.
        let early = share(59.0, &[Stage::Shortfall], &list[2..]);
        assert!(early > shares[1], "{early} vs {shares:?}");
        assert_eq!(share(-1.0, &[Stage::Distance], &[]), 0.0);
        assert_eq!(share(5.0, &[Stage::Distance], &[]), 5.0);
        // Stages solved as one share as their weights together.
        assert_eq!(share(8.0, &[Stage::Wish(1), Stage::Wish(2)], &[Stage::Distance]), 4.0);
    }
}
