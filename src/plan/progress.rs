//! Progress of a run as data: what a planning run (and the commands built on
//! it, `hires` and `whatif`) reports while it works. Nothing here is worded:
//! `render::progress` says each event in the run's language.

use crate::model::Stage;
use crate::solve::StageStatus;

/// One event of a run's progress, passed to [`crate::plan::PlanOptions::progress`].
#[derive(Clone, Debug, PartialEq)]
pub enum Progress {
    /// The feasibility stage (stage 0) starts, with the size of its model.
    FeasibilityStarted {
        /// Teacher profiles of the model.
        profiles: usize,
        /// Columns of the model.
        columns: usize,
        /// Rows of the model.
        rows: usize,
    },
    /// The feasibility stage found a plan.
    FeasibilityFound {
        /// Seconds it took.
        seconds: f64,
    },
    /// A stage starts.
    StageStarted {
        /// Which stage.
        stage: Stage,
    },
    /// A started solve returned columns that do not reach the value it
    /// reported: the stage is solved again without the start.
    StaleColumns {
        /// Which stage.
        stage: Stage,
    },
    /// A stage ended with a plan.
    StageSolved {
        /// Which stage.
        stage: Stage,
        /// How its solve ended.
        status: StageStatus,
        /// The stage's objective recomputed from the plan.
        objective: f64,
        /// Seconds it took.
        seconds: f64,
    },
    /// The distance stage solved with one vector of counted indicator counts
    /// that reaches stage 3's optimum pinned.
    CountsSolved {
        /// Which vector (from 1).
        vector: usize,
        /// How the solve ended.
        status: StageStatus,
        /// Its distance.
        objective: f64,
        /// Seconds it took.
        seconds: f64,
    },
    /// No other count vector reaches stage 3's optimum (or, with
    /// `structure`, no other structure counts reach stage 3.1's).
    NoOtherCounts {
        /// The stage the search is for (distance, or the first voice stage).
        stage: Stage,
        /// Whether the counts are the structure's (stage 3.1), not the
        /// teacher indicators' (stage 3).
        structure: bool,
        /// Seconds the search took.
        seconds: f64,
    },
    /// The full distance stage takes over, from the best plan so far.
    FullDistance,
    /// `hires` phase 1 starts: the best standing reachable within the budget.
    HiresStandingStarted,
    /// `hires` phase 1 ended.
    HiresStanding {
        /// Sections and CVs reaching their standard.
        score: u32,
        /// How many could.
        reachable: usize,
        /// How its solve ended.
        status: StageStatus,
    },
    /// `hires` phase 2 starts: the fewest hires for that standing.
    HiresFewestStarted,
    /// `hires` phase 2 ended.
    HiresFewest {
        /// Hires chosen.
        hires: u32,
        /// How its solve ended (stopped by the time limit when it found no
        /// plan of its own).
        status: StageStatus,
    },
    /// `hires` phase 3 starts: this year's plan with the hires placed.
    HiresPlanStarted,
    /// `levers` phase 1 starts: the best standing reachable within the budget.
    LeversStandingStarted,
    /// `levers` phase 1 ended.
    LeversStanding {
        /// Sections and CVs reaching their standard.
        score: u32,
        /// How many could.
        reachable: usize,
        /// How its solve ended.
        status: StageStatus,
    },
    /// `levers` phase 2 starts: the least cost for that standing.
    LeversCheapestStarted,
    /// `levers` phase 2 ended.
    LeversCheapest {
        /// The cost chosen (thousand yuan).
        cost: u64,
        /// How its solve ended.
        status: StageStatus,
    },
    /// `levers` phase 3 starts: this year's plan with the levers applied.
    LeversPlanStarted,
    /// One `whatif` scenario is done.
    ScenarioDone {
        /// The scenario's file stem.
        scenario: String,
    },
}
