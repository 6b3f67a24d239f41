//! This year's rotation plan: the lexicographic stages solved one after the
//! other (each optimum fixed for the next), the flows turned into named
//! teachers, and the county's figures after the plan.
//!
//! [`plan`] is a short loop over the stages; `stages` holds its named steps
//! (warm start, stale-column guard, fixing the optimum, restated gap),
//! `distance` the distance stage by pinned counts, `flows` the naming of the
//! movers, `diagnosis` the conflicts of a county without a plan, and
//! `progress` the events a run reports while it works. `from_list` makes a
//! plan of a list a person edited (for `score`).

pub mod diagnosis;
mod distance;
mod flows;
pub mod from_list;
pub mod horizon;
pub mod progress;
pub mod replan;
mod stages;

pub use diagnosis::{capacity_conflicts, Conflict, Diagnosis};
pub use flows::{apply_returns, roster_after};
pub use from_list::{hand_made_plan, hand_made_plan_with};
pub use progress::Progress;

use crate::domain::changes::HireGroup;
use crate::domain::{County, Level};
use crate::error::Error;
use crate::model::{Instance, Stage};
use crate::rules::curriculum::SubjectGaps;
use crate::rules::indicators::CountyFigures;
use crate::solve::{SolveOptions, StageStatus};
use stages::{Clock, Solve, StageEnd, Stages};

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

/// A teacher on exchange whose term ends this year: going home, or (with
/// `exchange.returns = "optional"`) staying at the host one more year.
#[derive(Clone, Debug, PartialEq)]
pub struct Return {
    /// Teacher index in `County::teachers`.
    pub teacher: usize,
    /// Host school (position): where the teacher teaches now.
    pub host: usize,
    /// Home school (position).
    pub home: usize,
    /// Section.
    pub level: Level,
    /// The register's end year.
    pub end_year: i32,
    /// Extended by one year: the teacher stays at the host until `end_year`
    /// of next year ([`Return::new_end`]).
    pub extended: bool,
}

impl Return {
    /// Where the teacher is after the plan.
    pub fn to(&self) -> usize {
        if self.extended {
            self.host
        } else {
            self.home
        }
    }
    /// The term's end after the plan: the plan's year + 1 when extended.
    pub fn new_end(&self, year: i32) -> i32 {
        if self.extended {
            year + 1
        } else {
            self.end_year
        }
    }
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
    /// Returns due this year (done or extended), by host school id then
    /// teacher id. They do not count toward the rotation shares.
    pub returns: Vec<Return>,
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
    /// Principals and vice principals: eligible, and their move bounds.
    pub principals: PrincipalBounds,
    /// Sizes of the profiles moves were picked from (for explanations).
    pub profile_sizes: Vec<usize>,
    /// Total seconds in the solver.
    pub seconds: f64,
    /// Subject teachers missing against the need before the plan (开齐开足).
    pub gaps_before: SubjectGaps,
    /// Subject teachers missing against the need after the plan.
    pub gaps_after: SubjectGaps,
}

/// Rule `principals` of a plan: eligible principals and vice principals
/// (E_p), ⌈principals.min_share × E_p⌉ and ⌈principals.max_share × E_p⌉.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct PrincipalBounds {
    /// E_p.
    pub eligible: usize,
    /// Required principal moves.
    pub required: u32,
    /// Most principal moves.
    pub most: u32,
}

impl PrincipalBounds {
    /// The bounds of a county whose E_p is `eligible`.
    pub fn of(county: &County, eligible: usize) -> PrincipalBounds {
        let p = &county.policy;
        PrincipalBounds {
            eligible,
            required: p.required_principal_moves(eligible),
            most: p.max_principal_moves(eligible),
        }
    }
}

impl Plan {
    /// Teachers on each school's roll after the plan: the roll before, the
    /// moves, the returns done and the hires (rule 5's headcount).
    pub fn headcount_after(&self, county: &County) -> Vec<u32> {
        let mut headcount = crate::rules::norms::headcount_before(county);
        let returns = self.returns.iter().filter(|r| !r.extended).map(|r| (r.host, r.home));
        for (from, to) in self.moves.iter().map(|m| (m.from, m.to)).chain(returns) {
            headcount[from] = headcount[from].saturating_sub(1);
            headcount[to] += 1;
        }
        for hire in &self.hires {
            headcount[hire.to] += 1;
        }
        headcount
    }
}

impl Plan {
    /// The moves that count in the teachers' shares (rules 3 and 4; a
    /// principal's only with `principals.count_in_teachers`).
    pub fn teacher_moves(&self, county: &County) -> usize {
        self.moves.iter().filter(|m| county.policy.in_teachers_share(county.teachers[m.teacher].role)).count()
    }
    /// Principals and vice principals among the moves.
    pub fn principal_moves(&self, county: &County) -> usize {
        self.moves.iter().filter(|m| county.teachers[m.teacher].role != crate::domain::Role::Teacher).count()
    }
    /// Number of backbone teachers among the moves of the teachers' shares.
    pub fn backbone_moves(&self, county: &County) -> usize {
        let counts = |t: &crate::domain::Teacher| county.policy.in_teachers_share(t.role) && t.backbone.is_backbone();
        self.moves.iter().filter(|m| counts(&county.teachers[m.teacher])).count()
    }
    /// Backbone moves / moves of the teachers' shares (0 when there are none).
    pub fn backbone_share(&self, county: &County) -> f64 {
        match self.teacher_moves(county) {
            0 => 0.0,
            moves => self.backbone_moves(county) as f64 / moves as f64,
        }
    }
    /// The moves by area of origin and destination (due returns are not moves).
    pub fn direction(&self, county: &County) -> crate::rules::direction::Direction {
        crate::rules::direction::Direction::of_moves(county, self.moves.iter().map(|m| (m.teacher, m.from, m.to)))
    }
    /// The figures of each alliance before and after the plan (empty
    /// without alliances).
    pub fn alliances(&self, county: &County) -> Vec<crate::rules::alliances::AllianceFigures> {
        let moves: Vec<(usize, usize, usize)> = self.moves.iter().map(|m| (m.teacher, m.from, m.to)).collect();
        crate::rules::alliances::alliance_figures(county, &self.before, Some(&self.after), &moves)
    }
    /// Returns that happen (not extended).
    pub fn returns_done(&self) -> usize {
        self.returns.iter().filter(|r| !r.extended).count()
    }
    /// Returns extended by one year.
    pub fn returns_extended(&self) -> usize {
        self.returns.iter().filter(|r| r.extended).count()
    }
    /// Total km of the moves (unknown distances count 0).
    pub fn distance_km(&self) -> f64 {
        // + 0.0: an empty f64 sum is -0.0, which prints as "-0.0 km".
        self.moves.iter().filter_map(|m| m.km).sum::<f64>() + 0.0
    }
    /// The title and age structure before and after the plan.
    pub fn structure(&self, county: &County) -> [crate::rules::structure::StructureFigures; 2] {
        use crate::rules::structure::structure;
        let before = structure(county, &county.teachers, &crate::rules::indicators::current_placement(county));
        let (teachers, mut placement) = flows::roster_after(county, &self.moves, &self.hires, &self.hire_groups);
        flows::apply_returns(&mut placement, &self.returns);
        [before, structure(county, &teachers, &placement)]
    }
    /// Whether every stage was run and proven optimal (never for a
    /// hand-made plan).
    pub fn proven_optimal(&self) -> bool {
        !self.is_hand_made() && self.stages.iter().all(|s| s.status == Some(StageStatus::Optimal))
    }
    /// Whether the plan is a list a person made ([`hand_made_plan`]): it has
    /// no stage reports, as no solver made it.
    pub fn is_hand_made(&self) -> bool {
        self.stages.is_empty()
    }
    /// The largest gap of any stage; None when a stage was not run (the
    /// time limit ran out before it), so no bound is known, and for a
    /// hand-made plan.
    pub fn gap(&self) -> Option<f64> {
        if self.is_hand_made() || self.stages.iter().any(|s| s.status.is_none()) {
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
    /// Most passes over the stages: after the first, another runs from the
    /// first stage cut short while time is left (see docs/model.md).
    pub passes: u32,
    /// HiGHS's threads in the solves that run alone (see
    /// [`crate::solve::ALONE_THREADS`]); 1 where plans run side by side
    /// (`whatif`'s scenarios).
    pub threads: u32,
}

impl Default for PlanOptions<'_> {
    fn default() -> Self {
        PlanOptions {
            time_limit: 600.0,
            progress: None,
            aggregate: None,
            solution_limit: None,
            passes: MOST_PASSES,
            threads: crate::solve::ALONE_THREADS,
        }
    }
}

impl PlanOptions<'_> {
    /// The options of one solve of the plan: `SolveOptions::new` with the
    /// plan's solution limit.
    fn solve(&self, time_limit: f64, rel_gap: f64, abs_gap: f64) -> SolveOptions {
        SolveOptions { solution_limit: self.solution_limit, ..SolveOptions::new(time_limit, rel_gap, abs_gap) }
    }

    /// [`Self::solve`] for a solve that runs alone, with the plan's
    /// threads for it.
    fn solve_alone(&self, time_limit: f64, rel_gap: f64, abs_gap: f64) -> SolveOptions {
        SolveOptions { threads: self.threads, ..self.solve(time_limit, rel_gap, abs_gap) }
    }
}

/// Result of planning: a plan, the reasons none exists, or that the time
/// ran out before any plan was found.
#[allow(clippy::large_enum_variant)]
pub enum Outcome {
    /// A plan.
    Planned(Plan),
    /// No plan satisfies the hard rules.
    Infeasible(Diagnosis),
    /// The time limit ran out before the feasibility stage found any plan.
    OutOfTime(OutOfTime),
}

/// The time limit ran out before the feasibility stage found any plan: no
/// plan, and nothing known about whether one exists.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct OutOfTime {
    /// Seconds the feasibility stage had.
    pub seconds: f64,
}

impl From<OutOfTime> for Error {
    /// A run that must end with a plan fails with the solver's "stopped
    /// before a plan" (exit status 1).
    fn from(stop: OutOfTime) -> Error {
        crate::solve::stopped_before_a_plan(stop.seconds)
    }
}

/// Plans the county (with optional hires to place). Everything — building
/// the models, every stage, the diagnosis — counts against
/// `options.time_limit` from the call on: each solve gets the time left, a
/// stage stopped by the limit ends the stages (the later ones are reported
/// as not run), and the plan of the last stage that ran stands (the
/// feasibility stage's when no stage ran; [`Outcome::OutOfTime`] when even
/// that found none). Past the limit only the solver's grace
/// ([`crate::solve::GRACE_SECONDS`]) and turning the last plan's counts into
/// teachers remain.
pub fn plan(county: &County, hires: Vec<HireGroup>, options: &PlanOptions) -> Result<Outcome, Error> {
    let clock = Clock::start(options.time_limit);
    let mut inst = Instance::new(county, hires);
    if let Some(aggregate) = options.aggregate {
        inst.aggregate = aggregate;
    }
    plan_instance(&inst, clock, options)
}

/// [`plan`] of a built instance (`replan`'s, with its bound on the changes),
/// on a clock already started.
fn plan_instance(inst: &Instance, clock: Clock, options: &PlanOptions) -> Result<Outcome, Error> {
    let conflicts = capacity_conflicts(inst);
    if !conflicts.is_empty() {
        return Ok(Outcome::Infeasible(diagnosed(inst, conflicts)));
    }
    let (handles, found) = match stages::feasibility(inst, &clock, options)? {
        (_, Solve::NoPlanInTime { seconds }) => return Ok(Outcome::OutOfTime(OutOfTime { seconds })),
        (handles, Solve::Ended(found)) => (handles, found),
    };
    if found.status == StageStatus::Infeasible {
        let conflicts = diagnosis::relaxed_conflicts(inst, clock.left())?;
        return Ok(Outcome::Infeasible(diagnosed(inst, conflicts)));
    }
    let mut stages = Stages::new(inst, options, clock, (handles, found));
    let list = inst.stages();
    let mut i = 0;
    let mut passes = 1;
    loop {
        let Some(&stage) = list.get(i) else {
            // Time left and a stage cut short: another pass from it.
            match stages.another_pass(&list).filter(|_| passes < options.passes) {
                Some(first) => {
                    (i, passes) = (first, passes + 1);
                    continue;
                }
                None => break,
            }
        };
        if stage >= Stage::Structure && stage != Stage::Distance {
            let done = stages.run_by_counts(&list[i..])?;
            if done > 0 {
                i += done;
                continue;
            }
        }
        let (end, ran) = stages.run_next(&list[i..])?;
        if end == StageEnd::Infeasible {
            let conflicts = diagnosis::relaxed_conflicts(inst, stages.left())?;
            return Ok(Outcome::Infeasible(diagnosed(inst, conflicts)));
        }
        i += ran;
    }
    Ok(Outcome::Planned(stages.finish()?))
}

/// Most passes over the stages by default (see `Stages::another_pass`).
pub const MOST_PASSES: u32 = 3;

/// The diagnosis of a county whose hard rules cannot all hold.
fn diagnosed(inst: &Instance, conflicts: Vec<Conflict>) -> Diagnosis {
    Diagnosis { eligible: inst.eligible, required_moves: inst.min_moves, conflicts }
}
