//! Solving one stage of the plan with the MILP backend chosen at build time:
//! HiGHS through good_lp (default), or good_lp's pure-Rust microlp for
//! machines without a C++ toolchain (tiny counties only).

use std::time::Instant;

use good_lp::{Constraint, Expression, ProblemVariables};

use crate::error::Error;

/// How a stage ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StageStatus {
    /// Proven optimal (within the stage's stated gap).
    Optimal,
    /// Stopped by the time limit (or a node limit) with a feasible solution.
    TimeLimit,
    /// The constraints cannot all hold.
    Infeasible,
}

impl StageStatus {
    /// The word used in summary.json.
    pub fn word(self) -> &'static str {
        match self {
            StageStatus::Optimal => "optimal",
            StageStatus::TimeLimit => "time_limit",
            StageStatus::Infeasible => "infeasible",
        }
    }
}

/// The result of one stage.
#[derive(Clone, Debug)]
pub struct StageOutcome {
    /// Column values, in the order the variables were created (empty when infeasible).
    pub values: Vec<f64>,
    /// Column position of each variable.
    pub columns: std::collections::HashMap<good_lp::Variable, usize>,
    /// How the solve ended.
    pub status: StageStatus,
    /// Objective of the returned solution, as the solver reports it.
    pub objective: f64,
    /// Relative gap between solution and bound as the solver states it
    /// (relative to its objective, which leaves out constant terms).
    pub gap: f64,
    /// The proven bound on the objective, in the solver's terms (equal to
    /// `objective` when proven optimal without a gap).
    pub bound: f64,
    /// Wall-clock seconds.
    pub seconds: f64,
}

impl StageOutcome {
    /// The outcome of a stage that has no solution.
    fn infeasible(columns: std::collections::HashMap<good_lp::Variable, usize>, seconds: f64) -> StageOutcome {
        StageOutcome {
            values: Vec::new(),
            columns,
            status: StageStatus::Infeasible,
            objective: 0.0,
            gap: 0.0,
            bound: 0.0,
            seconds,
        }
    }
}

impl StageOutcome {
    /// The value of a variable in the solution (0 when there is none).
    pub fn value(&self, variable: good_lp::Variable) -> f64 {
        self.columns.get(&variable).and_then(|&i| self.values.get(i)).copied().unwrap_or(0.0)
    }
}

/// A stage's columns as good_lp's solution, to evaluate an expression on
/// them (the stale-column guard).
impl good_lp::Solution for StageOutcome {
    fn status(&self) -> good_lp::SolutionStatus {
        match self.status {
            StageStatus::Optimal => good_lp::SolutionStatus::Optimal,
            _ => good_lp::SolutionStatus::TimeLimit,
        }
    }

    fn value(&self, variable: good_lp::Variable) -> f64 {
        StageOutcome::value(self, variable)
    }
}

/// Column position of each variable of a model.
pub fn column_positions(vars: &ProblemVariables) -> std::collections::HashMap<good_lp::Variable, usize> {
    vars.iter_variables_with_def().enumerate().map(|(i, (v, _))| (v, i)).collect()
}

/// Options of a stage solve.
#[derive(Clone, Copy, Debug)]
pub struct SolveOptions {
    /// Seconds the stage may take.
    pub time_limit: f64,
    /// Relative MIP gap at which the solve stops as optimal.
    pub rel_gap: f64,
    /// Absolute MIP gap (below 1 for integer objectives proves optimality).
    pub abs_gap: f64,
    /// Only plans whose objective (in the solver's terms, without the
    /// objective's constant) is at most this are wanted: HiGHS prunes by it
    /// from the start, as if it had such a plan already.
    pub cutoff: Option<f64>,
    /// How far a plan may break a row and still count as one (HiGHS's
    /// `mip_feasibility_tolerance`; its own default when `None`).
    pub tolerance: Option<f64>,
    /// Whether HiGHS may restart its search at the root after fixing
    /// columns (its default).
    pub restart: bool,
    /// Improving plans after which the solve stops (HiGHS's
    /// `mip_max_improving_sols`; no limit when `None`). A solve stopped by it
    /// ends like one stopped by the time limit: a limit that does not depend
    /// on the machine's speed, for tests.
    pub solution_limit: Option<u32>,
    /// Whether HiGHS's presolve probes the binaries (its default). Solves
    /// with the counts pinned leave little to probe and are faster without.
    pub probing: bool,
    /// Whether HiGHS's feasibility jump (a heuristic for a first plan)
    /// runs, its default. On a county the stages start from a plan and the
    /// searches for other counts mostly prove there is none: there it only
    /// takes time (with probing off in the pinned solves, the ten suite
    /// counties took 30 s instead of 36 s). On a district it
    /// still finds better plans than the start (stage 1 of district-121: 10
    /// compliant sections, against 3 without it).
    pub jump: bool,
    /// HiGHS's threads: 1 for a solve beside another (each core has one),
    /// [`ALONE_THREADS`] for one that runs alone.
    pub threads: u32,
    /// Whether the root LP is solved by interior point (HiGHS's IPX with
    /// crossover, `mip_lp_solver = "ipm"`) rather than dual simplex, on a
    /// model of at most [`INTERIOR_ROOT_ROWS`] rows. On a 120-school
    /// district dual simplex had not solved stage 1's root LP after 75 s;
    /// IPX solved it in about 10 s.
    pub interior_root: bool,
}

/// The most rows of a model whose root LP [`SolveOptions::interior_root`]
/// solves by interior point. On the 400-school city (250,000 rows), with
/// IPX in its feasibility solve, the process reached 5.1 GB and had no plan
/// after 421 s: larger models keep dual simplex.
pub const INTERIOR_ROOT_ROWS: usize = 100_000;

/// HiGHS's threads in a solve that runs alone (the feasibility solve, a
/// stage solved in full): HiGHS then uses the second core for parts of its
/// search. On the ten suite counties it made the plans about 7 % faster,
/// with the same plans as one thread; fixed, not the machine's core count,
/// so that a plan does not depend on the machine.
pub const ALONE_THREADS: u32 = 2;

impl SolveOptions {
    /// A solve within `time_limit` seconds to the given gaps, with HiGHS's
    /// own cutoff, tolerance and restarts.
    pub fn new(time_limit: f64, rel_gap: f64, abs_gap: f64) -> SolveOptions {
        SolveOptions {
            time_limit,
            rel_gap,
            abs_gap,
            cutoff: None,
            tolerance: None,
            restart: true,
            solution_limit: None,
            probing: true,
            jump: true,
            threads: 1,
            interior_root: false,
        }
    }
}

/// A complete starting solution (one value per column, in creation order).
pub type Start<'a> = Option<&'a [f64]>;

/// The backend's name for summary.json.
pub fn backend_name() -> &'static str {
    if cfg!(feature = "highs") {
        "highs"
    } else {
        "microlp"
    }
}

/// How long past its time limit a solve is waited for. HiGHS looks at its
/// clock between steps of its search, and a step can be long: on a
/// 300-school county one step of stage 3 ran 11 s past the limit. After
/// this grace the solve is left to end on its own thread (the process ends
/// it at exit) and counts as stopped before it found a plan.
pub const GRACE_SECONDS: f64 = 1.0;

/// Stack of the solver's thread (HiGHS recurses in its presolve).
#[cfg(feature = "highs")]
const SOLVER_STACK: usize = 64 << 20;

/// The error of a solve stopped by the time limit before any plan (it had
/// `time_left` seconds).
pub fn stopped_before_a_plan(time_left: f64) -> Error {
    Error::TimeLimit(time_left)
}

/// Minimises `objective` subject to `constraints`, within the time limit
/// and [`GRACE_SECONDS`]: the solve runs on its own thread, which is not
/// waited for longer. HiGHS's presolve has been seen to end in a "solve
/// error" on a tiny model (its postsolved point violated a bound); the solve
/// is then repeated without presolve.
#[cfg(feature = "highs")]
pub fn minimise(
    vars: ProblemVariables,
    objective: Expression,
    constraints: Vec<Constraint>,
    options: SolveOptions,
    initial: Start,
) -> Result<StageOutcome, Error> {
    use std::sync::mpsc::{channel, RecvTimeoutError};
    let time_limit = if options.time_limit.is_finite() { options.time_limit.max(0.01) } else { 0.01 };
    let options = SolveOptions { time_limit, ..options };
    let initial: Option<Vec<f64>> = initial.map(<[f64]>::to_vec);
    let (sender, receiver) = channel();
    let worker = std::thread::Builder::new()
        .name("highs".into())
        .stack_size(SOLVER_STACK)
        .spawn(move || {
            let _ = sender.send(minimise_retrying(vars, objective, constraints, options, initial.as_deref()));
        })
        .map_err(|e| Error::Solver(format!("cannot start the solver: {e}")))?;
    let wait = std::time::Duration::try_from_secs_f64(time_limit + GRACE_SECONDS).unwrap_or(std::time::Duration::MAX);
    match receiver.recv_timeout(wait) {
        Ok(result) => {
            let _ = worker.join();
            result
        }
        Err(RecvTimeoutError::Timeout) => Err(stopped_before_a_plan(time_limit)),
        Err(RecvTimeoutError::Disconnected) => Err(Error::Solver("the solver stopped without an answer".into())),
    }
}

#[cfg(feature = "highs")]
fn minimise_retrying(
    vars: ProblemVariables,
    objective: Expression,
    constraints: Vec<Constraint>,
    options: SolveOptions,
    initial: Start,
) -> Result<StageOutcome, Error> {
    // The copy for a second try is kept only of a small model: on the
    // city (400 schools) each copy of a stage's model is several hundred
    // MB, held for the whole solve.
    let again = (constraints.len() <= RETRY_ROWS).then(|| (vars.clone(), objective.clone(), constraints.clone()));
    let options =
        SolveOptions { interior_root: options.interior_root && constraints.len() <= INTERIOR_ROOT_ROWS, ..options };
    let started = Instant::now();
    match (minimise_highs(vars, objective, constraints, options, initial, true), again) {
        (Err(Error::Solver(_)), Some(again)) => {
            let left = SolveOptions {
                time_limit: (options.time_limit - started.elapsed().as_secs_f64()).max(0.05),
                ..options
            };
            minimise_highs(again.0, again.1, again.2, left, initial, false)
        }
        (other, _) => other,
    }
}

/// The most rows of a model that is solved a second time without presolve
/// when HiGHS's presolve ends in an error (seen on a tiny model; an
/// Anze-size county's stages have about 6,000 rows).
#[cfg(feature = "highs")]
const RETRY_ROWS: usize = 50_000;

/// HiGHS's options for a solve: one thread and a fixed seed (the same input
/// gives the same plan), quiet unless `ROTAPLAN_SOLVER_LOG` is set, and the
/// limits, gaps, cutoff and tolerance of `options`.
#[cfg(feature = "highs")]
fn set_highs_options(model: &mut highs::Model, options: &SolveOptions, presolve: bool) {
    let log = std::env::var_os("ROTAPLAN_SOLVER_LOG").is_some();
    model.set_option("output_flag", log);
    model.set_option("log_to_console", log);
    model.set_option("threads", i32::try_from(options.threads.max(1)).unwrap_or(1));
    model.set_option("random_seed", 0);
    model.set_option("time_limit", options.time_limit.max(0.01));
    model.set_option("mip_rel_gap", options.rel_gap);
    model.set_option("mip_abs_gap", options.abs_gap);
    // RENS (a sub-MIP heuristic run at the root) took most of the time of
    // the distance stage and found nothing the search did not: without it,
    // stage 4 of data/anze takes 1.6 s instead of 5 s, and the district's
    // stage 3 a third of the time.
    model.set_option("mip_heuristic_run_rens", false);
    if let Some(cutoff) = options.cutoff {
        model.set_option("objective_bound", cutoff);
    }
    if let Some(tolerance) = options.tolerance {
        model.set_option("mip_feasibility_tolerance", tolerance);
    }
    if !options.restart {
        model.set_option("mip_allow_restart", false);
    }
    if let Some(plans) = options.solution_limit {
        model.set_option("mip_max_improving_sols", i32::try_from(plans).unwrap_or(i32::MAX));
    }
    if !presolve {
        model.set_option("presolve", "off");
    }
    // A run cut short by work (tests) keeps HiGHS's heuristics: without
    // them the pinned solves of data/anze are proven at their first plan,
    // and nothing is cut short.
    let cut_by_work = options.solution_limit.is_some();
    if !options.jump && !cut_by_work {
        model.set_option("mip_heuristic_run_feasibility_jump", false);
    }
    if !options.probing && !cut_by_work {
        model.set_option("presolve_rule_off", 1 << PROBING_RULE);
    }
    if options.interior_root {
        model.set_option("mip_lp_solver", "ipm");
    }
}

/// HiGHS's presolve rule "probing" (`kPresolveRuleProbing`), the bit of
/// `presolve_rule_off` that turns it off.
#[cfg(feature = "highs")]
const PROBING_RULE: i32 = 15;

/// One HiGHS solve, with or without presolve.
#[cfg(feature = "highs")]
fn minimise_highs(
    vars: ProblemVariables,
    objective: Expression,
    constraints: Vec<Constraint>,
    options: SolveOptions,
    initial: Start,
    presolve: bool,
) -> Result<StageOutcome, Error> {
    use good_lp::SolverModel;
    use highs::HighsModelStatus as S;
    let start = Instant::now();
    let positions = column_positions(&vars);
    let columns = vars.len();
    let mut problem = vars.minimise(objective).using(good_lp::solvers::highs::highs);
    for c in constraints {
        problem.add_constraint(c);
    }
    let mut model = problem.try_into_inner().map_err(|e| Error::Solver(e.to_string()))?;
    set_highs_options(&mut model, &options, presolve);
    // Only a complete start is passed: a partial one has misled HiGHS.
    if let Some(initial) = initial.filter(|s| s.len() == columns) {
        let _ = model.try_set_solution(Some(initial), None, None, None);
    }
    let solved = model.try_solve().map_err(|e| Error::Solver(format!("HiGHS failed: {e:?}")))?;
    let seconds = start.elapsed().as_secs_f64();
    let status = match solved.status() {
        S::Optimal | S::ObjectiveBound | S::ObjectiveTarget => StageStatus::Optimal,
        S::ReachedTimeLimit | S::ReachedSolutionLimit | S::ReachedInterrupt | S::ReachedIterationLimit => {
            StageStatus::TimeLimit
        }
        S::Infeasible | S::UnboundedOrInfeasible => StageStatus::Infeasible,
        other => return Err(Error::Solver(format!("HiGHS ended with status {other:?}"))),
    };
    let has_solution = solved.primal_solution_status() == highs::HighsSolutionStatus::Feasible;
    if status == StageStatus::Infeasible || !has_solution {
        if status == StageStatus::TimeLimit {
            return Err(stopped_before_a_plan(options.time_limit));
        }
        return Ok(StageOutcome::infeasible(positions, seconds));
    }
    let mut values = solved.get_solution().columns().to_vec();
    values.truncate(columns);
    // Without a finite bound (stopped before the root finished) nothing is
    // proven: the gap is then 100 %.
    let proven = status == StageStatus::Optimal;
    let gap = solved.mip_gap();
    let gap = if gap.is_finite() {
        gap.max(0.0)
    } else if proven {
        0.0
    } else {
        1.0
    };
    let objective = solved.objective_value();
    let bound = solved.double_info_value(c"mip_dual_bound").ok().filter(|b| b.is_finite()).unwrap_or(if proven {
        objective
    } else {
        f64::NEG_INFINITY
    });
    Ok(StageOutcome { values, columns: positions, status, objective, gap, bound, seconds })
}

/// Minimises `objective` subject to `constraints`.
#[cfg(all(not(feature = "highs"), feature = "microlp"))]
pub fn minimise(
    vars: ProblemVariables,
    objective: Expression,
    constraints: Vec<Constraint>,
    options: SolveOptions,
    start: Start,
) -> Result<StageOutcome, Error> {
    use good_lp::{ResolutionError, Solution, SolverModel};
    let _ = (options, start);
    let start = Instant::now();
    let positions = column_positions(&vars);
    let all: Vec<good_lp::Variable> = vars.iter_variables_with_def().map(|(v, _)| v).collect();
    let eval = objective.clone();
    let mut problem = vars.minimise(objective).using(good_lp::microlp);
    for c in constraints {
        problem.add_constraint(c);
    }
    match problem.solve() {
        Ok(solution) => {
            let values: Vec<f64> = all.iter().map(|v| solution.value(*v)).collect();
            let objective = eval.eval_with(&solution);
            Ok(StageOutcome {
                values,
                columns: positions,
                status: StageStatus::Optimal,
                objective,
                gap: 0.0,
                bound: objective,
                seconds: start.elapsed().as_secs_f64(),
            })
        }
        Err(ResolutionError::Infeasible) => Ok(StageOutcome::infeasible(positions, start.elapsed().as_secs_f64())),
        Err(e) => Err(Error::Solver(e.to_string())),
    }
}
