//! The distance stage by count vectors. Compliance, shortfall and Σ CV² read
//! only the counted sections' indicator counts, so the least distance is the
//! least, over the count vectors that reach stage 3's optimum, of the
//! distance with the counts pinned.

use std::time::Instant;

use crate::error::Error;
use crate::model::{Fixed, Handles, Instance, Stage, StageModel};
use crate::solve::{SolveOptions, StageOutcome, StageStatus};

use super::stages::{note, solve, Solve};
use super::{PlanOptions, Progress};

/// How the distance stage went by count vectors.
pub(crate) enum Pinned {
    /// Every count vector that reaches stage 3's optimum was solved: the
    /// best of them (its columns are those of the full distance model).
    Proven(StageOutcome),
    /// Not finished: the best plan found, to start the full distance stage,
    /// and the seconds spent.
    Start(Vec<f64>, f64),
}

/// Count vectors tried before the full distance stage takes over.
pub(crate) const MOST_COUNT_VECTORS: usize = 8;

/// The share of the time left that a search for other counts may take.
const SEARCH_SHARE: f64 = 0.85;

/// How far the search for other counts lets a plan break a row. At HiGHS's
/// default, 10⁻⁶, the rows that make up Σ CV² gave enough room for counts
/// whose Σ CV² is above stage 3's optimum: on the 120-school district the
/// search found such counts at once (none could be pinned in stage 4), or
/// spent 25 s ruling them out; at 10⁻⁹ it proves in 7 s that there are
/// none.
const SEARCH_TOLERANCE: f64 = 1e-9;

/// The best of the pinned solves so far.
struct PinnedBest {
    /// The solve of least distance.
    outcome: Option<StageOutcome>,
    /// Whether every pinned solve was proven optimal.
    all_optimal: bool,
    /// The least bound of the pinned solves.
    bound: f64,
}

impl PinnedBest {
    fn new() -> PinnedBest {
        PinnedBest { outcome: None, all_optimal: true, bound: f64::INFINITY }
    }

    fn add(&mut self, solved: StageOutcome) {
        self.all_optimal &= solved.status == StageStatus::Optimal;
        self.bound = self.bound.min(solved.bound);
        if self.outcome.as_ref().is_none_or(|b| solved.objective < b.objective) {
            self.outcome = Some(solved);
        }
    }

    /// The best, once no other count vector is left: proven optimal when
    /// every pinned solve was, with the least bound of them all.
    fn proven(&mut self, seconds: f64) -> Option<StageOutcome> {
        let mut outcome = self.outcome.take()?;
        if !self.all_optimal {
            outcome.status = StageStatus::TimeLimit;
        }
        outcome.bound = self.bound;
        outcome.gap = ((outcome.objective - self.bound) / outcome.objective.abs().max(1e-9)).max(0.0);
        outcome.seconds = seconds;
        Some(outcome)
    }
}

/// What the search for other counts found.
pub(crate) enum OtherCounts {
    /// No other count vector reaches stage 3's optimum.
    None,
    /// Another count vector that does.
    Found(Vec<[u32; 3]>),
    /// The search stopped before it knew.
    Unknown,
}

/// The distance stage by count vectors (see the module's header). Pinned,
/// the search is small (its relaxation has been integral on every county
/// measured), and stage 3's counts are mostly the only ones. So: solve with
/// stage 3's counts pinned; ask stage 3's model for other counts that reach
/// its optimum; solve each found, until none is left (then the best is
/// proven) or time or [`MOST_COUNT_VECTORS`] runs out (then it starts the
/// full stage, with what time is left).
///
/// The search for other counts gets most of the time: on 120-school
/// districts it proves in 4–8 s what the full stage does not prove in
/// minutes (its relaxation lets the counts be fractional).
pub(crate) fn pinned_distance(
    inst: &Instance,
    fixed: &Fixed,
    first: Vec<[u32; 3]>,
    start: &[f64],
    remaining: f64,
    options: &PlanOptions,
) -> Result<Pinned, Error> {
    let began = Instant::now();
    let left = || remaining - began.elapsed().as_secs_f64();
    let mut seen: Vec<Vec<[u32; 3]>> = Vec::new();
    let mut best = PinnedBest::new();
    let mut next = Some((first, Some(start.to_vec())));
    let mut seconds = 0.0;
    while let Some((counts, start)) = next.take() {
        let mut model = inst.build(Stage::Distance, fixed);
        inst.pin_counts(&mut model, &counts);
        let budget = options.solve((left() * 0.5).max(0.05), 1e-6, 1e-9);
        // Stopped before any plan: the full stage takes over.
        let Solve::Ended(solved) = solve(model, budget, start.as_deref())? else { break };
        seconds += solved.seconds;
        seen.push(counts);
        if solved.status != StageStatus::Infeasible {
            let (status, objective) = (solved.status, solved.objective);
            note(options, Progress::CountsSolved { vector: seen.len(), status, objective, seconds: solved.seconds });
            best.add(solved);
        }
        if seen.len() >= MOST_COUNT_VECTORS || left() < 0.1 {
            break;
        }
        let (other, took) = other_counts(inst, fixed, &seen, &left, options, Stage::Distance)?;
        seconds += took;
        match other {
            OtherCounts::None => match best.proven(seconds) {
                Some(outcome) => return Ok(Pinned::Proven(outcome)),
                None => break,
            },
            OtherCounts::Found(counts) => next = Some((counts, None)),
            OtherCounts::Unknown => break,
        }
    }
    note(options, Progress::FullDistance);
    Ok(Pinned::Start(best.outcome.map_or_else(|| start.to_vec(), |b| b.values), seconds))
}

/// Asks stage 3's model for counts, other than those `seen`, that reach its
/// optimum; with the seconds the search took.
pub(crate) fn other_counts(
    inst: &Instance,
    fixed: &Fixed,
    seen: &[Vec<[u32; 3]>],
    left: &dyn Fn() -> f64,
    options: &PlanOptions,
    during: Stage,
) -> Result<(OtherCounts, f64), Error> {
    let search = inst.count_search(fixed, seen);
    search_counts(inst, search, |hd, found| inst.counts_of(hd, |v| found.value(v)), left, options, (during, false))
}

/// Asks the structure stage's model, with the indicator counts pinned to
/// `indicator`, for structure counts other than those `seen` that reach
/// the structure's optimum (fixed in `fixed`); with the seconds the search
/// took.
pub(crate) fn other_structure(
    inst: &Instance,
    fixed: &Fixed,
    indicator: &[[u32; 3]],
    seen: &[Vec<[u32; 3]>],
    left: &dyn Fn() -> f64,
    options: &PlanOptions,
) -> Result<(OtherCounts, f64), Error> {
    let search = inst.structure_search(fixed, indicator, seen);
    let read = |hd: &Handles, found: &StageOutcome| inst.structure_counts_of(hd, |v| found.value(v));
    search_counts(inst, search, read, left, options, (Stage::Structure, true))
}

/// A search for other counts: `model` with its `cutoff`, the counts of a
/// plan found read by `read`.
fn search_counts(
    inst: &Instance,
    (model, cutoff): (StageModel, Option<f64>),
    read: impl Fn(&Handles, &StageOutcome) -> Vec<[u32; 3]>,
    left: &dyn Fn() -> f64,
    options: &PlanOptions,
    (during, structure): (Stage, bool),
) -> Result<(OtherCounts, f64), Error> {
    // Any such counts will do: the gap of 0.99 (Σ CV² is far below 1)
    // stops at the first; the objective guides the search.
    let budget = SolveOptions {
        cutoff,
        tolerance: Some(SEARCH_TOLERANCE),
        // On a district HiGHS spent most of the search restarting at
        // the root (45 s of `synth --seed 125 --schools 120`, 14 s
        // without); on small counties restarts save a little.
        restart: !inst.aggregate,
        // A search mostly proves there are no other counts: feasibility
        // jump only takes time there, but on a district (see `jump`).
        jump: inst.aggregate,
        ..options.solve((left() * SEARCH_SHARE).max(0.05), 0.0, 0.99)
    };
    let handles = model.handles.clone();
    // Stopped before any: not known.
    let Solve::Ended(found) = solve(model, budget, None)? else { return Ok((OtherCounts::Unknown, 0.0)) };
    let other = match found.status {
        StageStatus::Infeasible => {
            note(options, Progress::NoOtherCounts { stage: during, structure, seconds: found.seconds });
            OtherCounts::None
        }
        StageStatus::Optimal => OtherCounts::Found(read(&handles, &found)),
        StageStatus::TimeLimit => OtherCounts::Unknown,
    };
    Ok((other, found.seconds))
}
