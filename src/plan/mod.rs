//! This year's rotation plan: the lexicographic stages solved one after the
//! other (each optimum fixed for the next), the flows turned into named
//! teachers, and the county's figures after the plan.

pub mod diagnosis;
pub mod progress;

pub use diagnosis::{capacity_conflicts, Conflict, Diagnosis};
pub use progress::Progress;

use std::time::Instant;

use crate::domain::changes::HireGroup;
use crate::domain::{County, Level, Teacher};
use crate::error::Error;
use crate::model::{Fixed, Instance, ProfileLock, Stage};
use crate::rules::indicators::{count_sections, current_placement, figures, CountyFigures};
use crate::solve::{minimise, SolveOptions, StageOutcome, StageStatus};

/// One teacher's move.
#[derive(Clone, Debug, PartialEq)]
pub struct Move {
    /// Teacher index in `County::teachers`.
    pub teacher: usize,
    /// From school (position).
    pub from: usize,
    /// To school (position).
    pub to: usize,
    /// Section.
    pub level: Level,
    /// Distance when known.
    pub km: Option<f64>,
    /// Profile the teacher was picked from.
    pub profile: usize,
}

/// One hire's placement.
#[derive(Clone, Debug, PartialEq)]
pub struct HirePlacement {
    /// Hire group index.
    pub group: usize,
    /// Hire id.
    pub id: String,
    /// School position.
    pub to: usize,
}

/// How one stage went.
#[derive(Clone, Debug, PartialEq)]
pub struct StageReport {
    /// Which stage.
    pub stage: Stage,
    /// Its status; None when it was not run (time ran out before it).
    pub status: Option<StageStatus>,
    /// The stage's objective recomputed from the plan (compliant sections,
    /// shortfall, Σ CV², km).
    pub objective: f64,
    /// Relative gap reported by the solver.
    pub gap: f64,
    /// Seconds.
    pub seconds: f64,
}

/// A complete plan with its figures.
#[derive(Clone, Debug)]
pub struct Plan {
    /// Moves, sorted by from-school id then teacher id.
    pub moves: Vec<Move>,
    /// Hire placements, by hire id.
    pub hires: Vec<HirePlacement>,
    /// Hire groups (for describing placements).
    pub hire_groups: Vec<HireGroup>,
    /// Stage reports in priority order.
    pub stages: Vec<StageReport>,
    /// Figures before the plan.
    pub before: CountyFigures,
    /// Figures after the plan.
    pub after: CountyFigures,
    /// E.
    pub eligible: usize,
    /// ⌈min_share × E⌉.
    pub required_moves: u32,
    /// ⌈max_share × E⌉.
    pub max_moves: u32,
    /// Sizes of the profiles moves were picked from (for explanations).
    pub profile_sizes: Vec<usize>,
    /// Total seconds in the solver.
    pub seconds: f64,
}

impl Plan {
    /// Number of backbone teachers among the moves.
    pub fn backbone_moves(&self, county: &County) -> usize {
        self.moves.iter().filter(|m| county.teachers[m.teacher].backbone.is_backbone()).count()
    }
    /// Backbone moves / moves (0 when there are no moves).
    pub fn backbone_share(&self, county: &County) -> f64 {
        if self.moves.is_empty() {
            0.0
        } else {
            self.backbone_moves(county) as f64 / self.moves.len() as f64
        }
    }
    /// Total km of the moves (unknown distances count 0).
    pub fn distance_km(&self) -> f64 {
        // + 0.0: an empty f64 sum is -0.0, which prints as "-0.0 km".
        self.moves.iter().filter_map(|m| m.km).sum::<f64>() + 0.0
    }
    /// Whether every stage was run and proven optimal.
    pub fn proven_optimal(&self) -> bool {
        self.stages.iter().all(|s| s.status == Some(StageStatus::Optimal))
    }
    /// The largest gap of any stage; None when a stage was not run (the
    /// time limit ran out before it), so no bound is known.
    pub fn gap(&self) -> Option<f64> {
        if self.stages.iter().any(|s| s.status.is_none()) {
            return None;
        }
        Some(self.stages.iter().map(|s| s.gap).fold(0.0, f64::max))
    }
}

/// Options of a planning run.
pub struct PlanOptions<'a> {
    /// Seconds for all stages together.
    pub time_limit: f64,
    /// Called with each step of progress (worded by `render::progress`).
    pub progress: Option<&'a (dyn Fn(&Progress) + Sync)>,
    /// Aggregate free profiles before the distance stage (None: by the
    /// county's size, see [`crate::model::AGGREGATE_ABOVE`]).
    pub aggregate: Option<bool>,
    /// Improving plans after which each solve stops (None: no limit). For
    /// tests: a stage stopped by it is reported like one stopped by the time
    /// limit, and unlike time it does not depend on the machine's speed.
    pub solution_limit: Option<u32>,
}

impl Default for PlanOptions<'_> {
    fn default() -> Self {
        PlanOptions { time_limit: 600.0, progress: None, aggregate: None, solution_limit: None }
    }
}

impl PlanOptions<'_> {
    /// The options of one solve of the plan: `SolveOptions::new` with the
    /// plan's solution limit.
    fn solve(&self, time_limit: f64, rel_gap: f64, abs_gap: f64) -> SolveOptions {
        SolveOptions { solution_limit: self.solution_limit, ..SolveOptions::new(time_limit, rel_gap, abs_gap) }
    }
}

/// Result of planning: a plan, or the reasons none exists.
#[allow(clippy::large_enum_variant)]
pub enum Outcome {
    /// A plan.
    Planned(Plan),
    /// No plan satisfies the hard rules.
    Infeasible(Diagnosis),
}

fn note(options: &PlanOptions, event: Progress) {
    if let Some(progress) = options.progress {
        progress(&event);
    }
}

/// Least seconds left for a stage to be started: below it the stage is
/// reported as not run.
const LEAST_STAGE_SECONDS: f64 = 0.05;

/// Seconds the transport problem that turns a stopped stage's counts into
/// teachers may take past the time limit: without it there is no plan.
const TRANSPORT_FLOOR_SECONDS: f64 = 2.0;

/// Plans the county (with optional hires to place). Everything — building
/// the models, every stage, the diagnosis — counts against
/// `options.time_limit` from the call on: each solve gets the time left, a
/// stage stopped by the limit ends the stages (the later ones are reported
/// as not run), and the plan of the last stage that ran stands (the
/// feasibility stage's when no stage ran). Past the limit only the solver's
/// grace ([`crate::solve::GRACE_SECONDS`]) and turning the last plan's
/// counts into teachers remain.
pub fn plan(county: &County, hires: Vec<HireGroup>, options: &PlanOptions) -> Result<Outcome, Error> {
    let start = Instant::now();
    let time_limit = if options.time_limit.is_finite() { options.time_limit.max(0.0) } else { 0.0 };
    let left = || time_limit - start.elapsed().as_secs_f64();
    let mut inst = Instance::new(county, hires);
    if let Some(aggregate) = options.aggregate {
        inst.aggregate = aggregate;
    }
    let conflicts = capacity_conflicts(&inst);
    if !conflicts.is_empty() {
        return Ok(Outcome::Infeasible(Diagnosis {
            eligible: inst.eligible,
            required_moves: inst.min_moves,
            conflicts,
        }));
    }
    let mut fixed = Fixed::default();
    let mut stages = Vec::new();
    let mut best: Option<(Vec<Vec<u32>>, Vec<Vec<u32>>, CountyFigures)> = None;
    let mut previous: Option<Vec<f64>> = None;
    // Stage 3's counted indicator counts, which stage 4 pins first.
    let mut stage3_counts: Option<Vec<[u32; 3]>> = None;
    // Any plan at all first: HiGHS finds one quickly without the objective's
    // binaries, and it starts stage 1 (on a district, stage 1 alone found no
    // plan in 60 s).
    let feasibility = inst.build_feasibility();
    let feasibility_handles = feasibility.handles.clone();
    note(
        options,
        Progress::FeasibilityStarted {
            profiles: inst.profiles.len(),
            columns: feasibility.vars.len(),
            rows: feasibility.constraints.len(),
        },
    );
    let found = minimise(
        feasibility.vars,
        feasibility.objective,
        feasibility.constraints,
        options.solve(left().max(LEAST_STAGE_SECONDS), 0.0, 0.99),
        None,
    )?;
    if found.status == StageStatus::Infeasible {
        let conflicts = crate::plan::diagnosis::relaxed_conflicts(&inst, left())?;
        return Ok(Outcome::Infeasible(Diagnosis {
            eligible: inst.eligible,
            required_moves: inst.min_moves,
            conflicts,
        }));
    }
    note(options, Progress::FeasibilityFound { seconds: found.seconds });
    // The feasibility stage's plan, for when no stage runs to the end.
    let feasibility_plan = || -> Result<_, Error> {
        let flows = plan_flows(&inst, &feasibility_handles, &found, left())?;
        let hire_flows = round_flows(&feasibility_handles.h, &found);
        let after = after_figures(&inst, &flows, &hire_flows);
        Ok((flows, hire_flows, after))
    };
    // Set when a stage was stopped by the time limit: the later ones do not run.
    let mut stopped = false;
    for stage in Stage::ALL {
        let remaining = left();
        if stopped || remaining < LEAST_STAGE_SECONDS {
            stopped = true;
            if best.is_none() {
                best = Some(feasibility_plan()?);
            }
            stages.push(StageReport { stage, status: None, objective: 0.0, gap: 0.0, seconds: 0.0 });
            continue;
        }
        note(options, Progress::StageStarted { stage });
        let model = inst.build(stage, &fixed);
        let handles = model.handles.clone();
        let integral = matches!(stage, Stage::Compliance | Stage::Shortfall);
        let solve_options =
            options.solve(remaining.max(0.05), if integral { 0.0 } else { 1e-6 }, if integral { 0.99 } else { 1e-9 });
        // Stage 1 starts from the feasibility plan (its columns padded with
        // zeros: no section claimed compliant), stage 4 from stage 3's plan;
        // stages 2 and 3 start cold, since starts made them stop short.
        let padded: Vec<f64>;
        let start_values = match stage {
            Stage::Compliance => {
                padded = found.values.iter().copied().chain(std::iter::repeat(0.0)).take(model.vars.len()).collect();
                Some(padded.as_slice())
            }
            // Stage 4 adds the free profiles' flow columns after stage 3's:
            // its start is stage 3's columns with its flows of least distance.
            Stage::Distance => match (&previous, &best) {
                (Some(prev), Some((flows, _, _))) if !prev.is_empty() => {
                    let positions = crate::solve::column_positions(&model.vars);
                    let mut values = prev.clone();
                    values.resize(model.vars.len(), 0.0);
                    for (row, counts) in handles.x.iter().zip(flows) {
                        for (var, &n) in row.iter().zip(counts) {
                            if let Some(&i) = positions.get(var) {
                                values[i] = n as f64;
                            }
                        }
                    }
                    padded = values;
                    Some(padded.as_slice())
                }
                _ => None,
            },
            _ => None,
        };
        // The distance stage goes by the counted sections' indicator counts
        // that reach stage 3's optimum: see `pinned_distance`.
        let pinned: Vec<f64>;
        let mut proven = None;
        let mut earlier_seconds = 0.0;
        let start_values = match (stage, start_values, stage3_counts.take()) {
            (Stage::Distance, Some(values), Some(counts)) => {
                match pinned_distance(&inst, &fixed, counts, values, left(), options)? {
                    Pinned::Proven(outcome) => {
                        proven = Some(outcome);
                        Some(values)
                    }
                    Pinned::Start(values, seconds) => {
                        pinned = values;
                        earlier_seconds = seconds;
                        Some(pinned.as_slice())
                    }
                }
            }
            (_, start_values, _) => start_values,
        };
        let started = start_values.is_some();
        let mut outcome: StageOutcome = match proven {
            Some(outcome) => outcome,
            None => {
                let solve_options = SolveOptions { time_limit: left().max(LEAST_STAGE_SECONDS), ..solve_options };
                match minimise(model.vars, model.objective, model.constraints, solve_options, start_values) {
                    // The time ran out before this stage found a plan: the
                    // plan of the stage before stands, this one was not run.
                    Err(Error::TimeLimit(_)) => {
                        stopped = true;
                        if best.is_none() {
                            best = Some(feasibility_plan()?);
                        }
                        stages.push(StageReport {
                            stage,
                            status: None,
                            objective: 0.0,
                            gap: 0.0,
                            seconds: solve_options.time_limit,
                        });
                        continue;
                    }
                    other => other?,
                }
            }
        };
        outcome.seconds += earlier_seconds;
        // The flows of the plan, once it is known to stand.
        let mut checked = None;
        // HiGHS has been seen to report the right optimum of a started solve
        // while returning the start's columns: check the columns, and solve
        // again without the start when they do not reach the reported value.
        if started && outcome.status != StageStatus::Infeasible {
            let flows = plan_flows(&inst, &handles, &outcome, left())?;
            let stale = match stage {
                Stage::Compliance => {
                    let reached = after_figures(&inst, &flows, &round_flows(&handles.h, &outcome)).compliant() as f64;
                    reached + 0.5 < -outcome.objective
                }
                _ => (distance_of(&inst, &flows) - outcome.objective).abs() > 1e-6 * outcome.objective.abs().max(1.0),
            };
            if outcome.status == StageStatus::Optimal && stale {
                note(options, Progress::StaleColumns { stage });
                let again = SolveOptions { time_limit: left().max(LEAST_STAGE_SECONDS), ..solve_options };
                let cold = inst.build(stage, &fixed);
                outcome = match minimise(cold.vars, cold.objective, cold.constraints, again, None) {
                    Err(Error::TimeLimit(_)) => {
                        stopped = true;
                        if best.is_none() {
                            best = Some(feasibility_plan()?);
                        }
                        stages.push(StageReport {
                            stage,
                            status: None,
                            objective: 0.0,
                            gap: 0.0,
                            seconds: again.time_limit,
                        });
                        continue;
                    }
                    other => other?,
                };
            } else {
                checked = Some(flows);
            }
        }
        previous = Some(outcome.values.clone());
        if outcome.status == StageStatus::Infeasible {
            if stage == Stage::Compliance {
                let conflicts = crate::plan::diagnosis::relaxed_conflicts(&inst, left())?;
                return Ok(Outcome::Infeasible(Diagnosis {
                    eligible: inst.eligible,
                    required_moves: inst.min_moves,
                    conflicts,
                }));
            }
            // A later stage with an earlier optimum fixed cannot be infeasible
            // except by numerical tolerance: keep the previous plan.
            stages.push(StageReport { stage, status: None, objective: 0.0, gap: 0.0, seconds: outcome.seconds });
            continue;
        }
        let flows = match checked {
            Some(flows) => flows,
            None => plan_flows(&inst, &handles, &outcome, left())?,
        };
        stopped |= outcome.status == StageStatus::TimeLimit;
        let hire_flows = round_flows(&handles.h, &outcome);
        let after = after_figures(&inst, &flows, &hire_flows);
        let distance: f64 = distance_of(&inst, &flows);
        let objective = match stage {
            Stage::Compliance => {
                fixed.compliant = Some(after.compliant() as u32);
                after.compliant() as f64
            }
            Stage::Shortfall => {
                fixed.shortfall = Some(after.shortfall());
                after.shortfall() as f64
            }
            Stage::CvSquares => {
                stage3_counts = Some(inst.counts_of(&handles, |v| outcome.value(v)));
                fixed.cv_squares = Some(after.teacher_cv_squares());
                after.teacher_cv_squares()
            }
            Stage::Distance => distance,
        };
        note(options, Progress::StageSolved { stage, status: outcome.status, objective, seconds: outcome.seconds });
        // The solver's gap is relative to its objective without constant
        // terms (Σ CV² leaves out large constants): restate it against the
        // stage's own value.
        let own = if stage == Stage::Compliance { -objective } else { objective };
        // A gap of 100 % (the most reported) means no useful bound.
        let gap = ((outcome.objective - outcome.bound).max(0.0) / own.abs().max(1e-9)).max(outcome.gap).min(1.0);
        stages.push(StageReport { stage, status: Some(outcome.status), objective, gap, seconds: outcome.seconds });
        best = Some((flows, hire_flows, after));
    }
    let Some((flows, hire_flows, after)) = best else {
        return Err(Error::Solver("no stage produced a plan".into()));
    };
    Ok(Outcome::Planned(assemble(&inst, &flows, &hire_flows, after, stages, start.elapsed().as_secs_f64())))
}

/// How the distance stage went by count vectors.
enum Pinned {
    /// Every count vector that reaches stage 3's optimum was solved: the
    /// best of them (its columns are those of the full distance model).
    Proven(StageOutcome),
    /// Not finished: the best plan found, to start the full distance stage,
    /// and the seconds spent.
    Start(Vec<f64>, f64),
}

/// Count vectors tried before the full distance stage takes over.
const MOST_COUNT_VECTORS: usize = 8;

/// The share of the time left that a search for other counts may take.
const SEARCH_SHARE: f64 = 0.85;

/// How far the search for other counts lets a plan break a row. At HiGHS's
/// default, 10⁻⁶, the rows that make up Σ CV² gave enough room for counts
/// whose Σ CV² is above stage 3's optimum: on the 120-school district the
/// search found such counts at once (none could be pinned in stage 4), or
/// spent 25 s ruling them out; at 10⁻⁹ it proves in 7 s that there are
/// none.
const SEARCH_TOLERANCE: f64 = 1e-9;

/// The distance stage by count vectors. Compliance, shortfall and Σ CV² read
/// only the counted sections' indicator counts, so the least distance is the
/// least, over the count vectors that reach stage 3's optimum, of the
/// distance with the counts pinned. Pinned, the search is small (its
/// relaxation has been integral on every county measured), and stage 3's
/// counts are mostly the only ones. So: solve with stage 3's counts pinned;
/// ask stage 3's model for other counts that reach its optimum; solve each
/// found, until none is left (then the best is proven) or time or
/// [`MOST_COUNT_VECTORS`] runs out (then it starts the full stage, with what
/// time is left).
///
/// The search for other counts gets most of the time: on 120-school
/// districts it proves in 4–8 s what the full stage does not prove in
/// minutes (its relaxation lets the counts be fractional).
fn pinned_distance(
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
    let mut best: Option<StageOutcome> = None;
    let mut all_optimal = true;
    let mut bound = f64::INFINITY;
    let mut next = Some((first, Some(start.to_vec())));
    let mut seconds = 0.0;
    while let Some((counts, start)) = next.take() {
        let mut model = inst.build(Stage::Distance, fixed);
        inst.pin_counts(&mut model, &counts);
        let budget = options.solve((left() * 0.5).max(0.05), 1e-6, 1e-9);
        let solved = match minimise(model.vars, model.objective, model.constraints, budget, start.as_deref()) {
            Ok(solved) => solved,
            // Stopped before any plan: the full stage takes over.
            Err(Error::TimeLimit(_)) => break,
            Err(e) => return Err(e),
        };
        seconds += solved.seconds;
        seen.push(counts);
        if solved.status != StageStatus::Infeasible {
            note(
                options,
                Progress::CountsSolved {
                    vector: seen.len(),
                    status: solved.status,
                    objective: solved.objective,
                    seconds: solved.seconds,
                },
            );
            all_optimal &= solved.status == StageStatus::Optimal;
            bound = bound.min(solved.bound);
            if best.as_ref().is_none_or(|b| solved.objective < b.objective) {
                best = Some(solved);
            }
        }
        if seen.len() >= MOST_COUNT_VECTORS || left() < 0.1 {
            break;
        }
        // Other counts that reach stage 3's optimum?
        let (other, cutoff) = inst.count_search(fixed, &seen);
        // Any such counts will do: the gap of 0.99 (Σ CV² is far below 1)
        // stops at the first; the objective guides the search.
        let budget = SolveOptions {
            cutoff,
            tolerance: Some(SEARCH_TOLERANCE),
            // On a district HiGHS spent most of the search restarting at
            // the root (45 s of `synth --seed 125 --schools 120`, 14 s
            // without); on small counties restarts save a little.
            restart: !inst.aggregate,
            ..options.solve((left() * SEARCH_SHARE).max(0.05), 0.0, 0.99)
        };
        let handles = other.handles.clone();
        let found = match minimise(other.vars, other.objective, other.constraints, budget, None) {
            Ok(found) => found,
            // Stopped before any: not known.
            Err(Error::TimeLimit(_)) => break,
            Err(e) => return Err(e),
        };
        seconds += found.seconds;
        match found.status {
            StageStatus::Infeasible => {
                note(options, Progress::NoOtherCounts { seconds: found.seconds });
                let Some(mut outcome) = best else { break };
                if !all_optimal {
                    outcome.status = StageStatus::TimeLimit;
                }
                outcome.bound = bound;
                outcome.gap = ((outcome.objective - bound) / outcome.objective.abs().max(1e-9)).max(0.0);
                outcome.seconds = seconds;
                return Ok(Pinned::Proven(outcome));
            }
            StageStatus::Optimal => next = Some((inst.counts_of(&handles, |v| found.value(v)), None)),
            StageStatus::TimeLimit => break,
        }
    }
    note(options, Progress::FullDistance);
    Ok(Pinned::Start(best.map_or_else(|| start.to_vec(), |b| b.values), seconds))
}

/// The integer flows of a stage's plan. Stages before the distance have no
/// flow columns for free profiles, and flow columns are continuous; where
/// they are missing or fractional, the transport problem with the plan's
/// departures and arrivals gives integral flows of least distance.
/// The transport problem gets the time left, and at least
/// [`TRANSPORT_FLOOR_SECONDS`].
fn plan_flows(
    inst: &Instance,
    handles: &crate::model::Handles,
    outcome: &StageOutcome,
    left: f64,
) -> Result<Vec<Vec<u32>>, Error> {
    let complete = handles.x.iter().zip(&inst.profiles).all(|(row, p)| row.len() == p.destinations.len());
    let integral = handles.x.iter().flatten().all(|v| {
        let value = outcome.value(*v);
        (value - value.round()).abs() < 1e-6
    });
    if complete && integral {
        return Ok(round_flows(&handles.x, outcome));
    }
    let departures: Vec<u32> = handles.d.iter().map(|v| outcome.value(*v).round().max(0.0) as u32).collect();
    let arrivals: Vec<Vec<_>> = handles
        .a
        .iter()
        .map(|row| {
            row.iter().map(|&(subject, flags, v)| (subject, flags, outcome.value(v).round().max(0.0) as u32)).collect()
        })
        .collect();
    let model = inst.build_transport(&departures, &arrivals);
    let options = SolveOptions::new(left.max(TRANSPORT_FLOOR_SECONDS), 0.0, 1e-6);
    let solved = minimise(model.vars, model.objective, model.constraints, options, None)?;
    if solved.status == StageStatus::Infeasible {
        return Err(Error::Solver("the plan's departures and arrivals admit no integral moves".into()));
    }
    Ok(round_flows(&model.handles.x, &solved))
}

/// Integer values of a table of flow variables.
fn round_flows(vars: &[Vec<good_lp::Variable>], outcome: &StageOutcome) -> Vec<Vec<u32>> {
    vars.iter().map(|row| row.iter().map(|v| outcome.value(*v).round().max(0.0) as u32).collect()).collect()
}

fn distance_of(inst: &Instance, flows: &[Vec<u32>]) -> f64 {
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

fn pick(inst: &Instance, flows: &[Vec<u32>], hire_flows: &[Vec<u32>]) -> (Vec<Move>, Vec<HirePlacement>) {
    let mut moves = Vec::new();
    for (p, row) in flows.iter().enumerate() {
        let profile = &inst.profiles[p];
        let mut members = profile.members.iter();
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

fn after_figures(inst: &Instance, flows: &[Vec<u32>], hire_flows: &[Vec<u32>]) -> CountyFigures {
    let (moves, hires) = pick(inst, flows, hire_flows);
    let (teachers, placement) = roster_after(inst.county, &moves, &hires, &inst.hires);
    figures(inst.county, &count_sections(inst.county, &teachers, &placement))
}

fn assemble(
    inst: &Instance,
    flows: &[Vec<u32>],
    hire_flows: &[Vec<u32>],
    after: CountyFigures,
    stages: Vec<StageReport>,
    seconds: f64,
) -> Plan {
    let (moves, hires) = pick(inst, flows, hire_flows);
    let before = crate::rules::indicators::evaluate(inst.county);
    Plan {
        moves,
        hires,
        hire_groups: inst.hires.clone(),
        stages,
        before,
        after,
        eligible: inst.eligible,
        required_moves: inst.min_moves,
        max_moves: inst.max_moves,
        profile_sizes: inst.profiles.iter().map(|p| p.members.len()).collect(),
        seconds,
    }
}
