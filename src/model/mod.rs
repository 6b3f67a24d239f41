//! The rotation model of SPEC §4 as a MILP over aggregated flows.
//!
//! Eligible teachers of one school section who are interchangeable for every
//! rule and indicator (subject, higher degree, backbone) form a profile; an
//! integer flow per (profile, destination section) replaces one binary per
//! (teacher, destination). A locked teacher is a profile of one.
//!
//! - [`instance`]: the county as the solver sees it, built in named steps;
//! - [`hard_rules`]: the hard rules 1–7 of SPEC §4, one function per rule,
//!   each row named by its [`Rule`](crate::rules::rule::Rule);
//! - [`transport`]: free profiles without flow columns, and the last
//!   transport problem that places the teachers;
//! - [`objectives`]: the four terms of the lexicographic objective and the
//!   hires search;
//! - [`subject_gaps`]: the subject-gaps stage (开齐开足);
//! - [`levers`]: the levers search (hires, degree upgrades, backbone
//!   designations at least cost);
//! - [`counts`]: the search among stage 3's optima for the least distance.

use std::collections::BTreeMap;

use good_lp::{variable, Constraint, Expression, ProblemVariables, Variable};

use crate::domain::changes::HireGroup;
use crate::domain::Subject;

pub mod counts;
pub mod groups;
pub mod hard_rules;
pub mod horizon;
pub mod instance;
pub mod levers;
pub mod objectives;
pub mod quota;
pub mod stability;
pub mod structure;
pub mod subject_gaps;
pub mod transport;
pub mod voice;

use counts::Which;
pub use hard_rules::{movement_allowed, Blocked, LockProblem};
pub use instance::{subject_need, Destination, DueReturn, Instance, Profile, ProfileLock, SectionInfo};

/// An arrival type at a section (the subject where the section's subject
/// floor can bind, else None; the indicator flags; the structure class,
/// 0 without the structure stage) with its `T`: a column, or a count.
pub type Arrival<T> = (Option<Subject>, [bool; 3], u8, T);

/// An arrival type without its column or count.
pub type Kind = (Option<Subject>, [bool; 3], u8);

/// Variables of one stage model.
#[derive(Clone, Debug)]
pub struct Handles {
    /// Flow per profile and destination (continuous: integral whenever the
    /// departures and arrivals below are, since what is left is a transport
    /// problem per teacher type).
    pub x: Vec<Vec<Variable>>,
    /// Departures per profile (integer).
    pub d: Vec<Variable>,
    /// Arrivals per section and teacher type (indicator flags, and the
    /// subject where the section's subject floor can bind; None: any other
    /// subject), integer.
    pub a: Vec<Vec<Arrival<Variable>>>,
    /// Hires per group and destination.
    pub h: Vec<Vec<Variable>>,
    /// Per due return ([`Instance::returns`]): None where it happens for
    /// sure (`exchange.returns = "fixed"`), else its binary (1 = return,
    /// 0 = extend by one year).
    pub r: Vec<Option<Variable>>,
    /// Compliance indicator per section (None where compliance is impossible or the section not counted).
    pub y: Vec<Option<Variable>>,
    /// Unit columns of each counted section's indicator count, by (section,
    /// indicator): the count is `lo + Σ units` (models with Σ CV² only).
    pub units: BTreeMap<(usize, usize), (u32, Vec<Variable>)>,
    /// The same for the structure figures' counts, by (section, figure)
    /// (models with the structure stage's rows only).
    pub structure_units: BTreeMap<(usize, usize), (u32, Vec<Variable>)>,
    /// The changes from a published list (`replan` after stage 0 only).
    pub changes: Option<Expression>,
    /// A levers search's degree upgrades and backbone designations of
    /// teachers who stay, by (section, indicator 0 or 1); empty otherwise.
    pub grants: BTreeMap<(usize, usize), Variable>,
    /// Whether the published order holds by its rows (who moves matters:
    /// the stages after Σ CV²). Before, a group's members are
    /// interchangeable and a plan may move any of them.
    pub ordered: bool,
    /// The compliance rows `count ≥ t·b` of counted sections, as (section,
    /// indicator, t, b): with the counts' unit columns in order, each also
    /// holds as `unit t ≥ b` ([`Instance::compliance_on_units`]).
    pub reach: Vec<(usize, usize, u32, Variable)>,
}

/// Optima of earlier stages, fixed as constraints of later ones.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Fixed {
    /// Stage 1: compliant sections at least this.
    pub compliant: Option<u32>,
    /// Stage 2: shortfall at most this.
    pub shortfall: Option<u32>,
    /// Stage 2.1: subject teachers missing at most this.
    pub subject_gaps: Option<u32>,
    /// Stage 3: Σ CV² (model form) at most this.
    pub cv_squares: Option<f64>,
    /// Stage 3.1: the structure's Σ CV² at most this.
    pub structure: Option<f64>,
    /// Non-volunteers moved at most this.
    pub forced: Option<u32>,
    /// Volunteers moved at least this.
    pub volunteers: Option<u32>,
    /// Moves granted at wish k at least this.
    pub wishes: [Option<u32>; crate::domain::applications::MAX_WISHES],
}

impl Fixed {
    /// Fixes a voice stage's optimum (nothing for the other stages).
    pub fn fix_voice(&mut self, stage: Stage, value: u32) {
        match stage {
            Stage::Forced => self.forced = Some(value),
            Stage::Volunteers => self.volunteers = Some(value),
            Stage::Wish(k) => {
                if let Some(slot) = usize::from(k).checked_sub(1).and_then(|i| self.wishes.get_mut(i)) {
                    *slot = Some(value);
                }
            }
            _ => {}
        }
    }
}

/// The stages of the lexicographic objective.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Stage {
    /// Maximise compliant counted sections.
    Compliance,
    /// Minimise the teacher shortfall.
    Shortfall,
    /// With `objective.subject_gaps` (the default): minimise the subject
    /// teachers missing against the need (开齐开足).
    SubjectGaps,
    /// Minimise Σ CV² of the teacher indicators.
    CvSquares,
    /// Minimise Σ CV² of the senior-title, young and old teachers per 100
    /// students (`objective.structure`).
    Structure,
    /// With applications: minimise the non-volunteers moved.
    Forced,
    /// With applications: maximise the volunteers moved.
    Volunteers,
    /// With applications: maximise the moves granted at this wish (1 … 5).
    Wish(u8),
    /// Minimise the total distance.
    Distance,
}

impl Stage {
    /// The four stages of SPEC §4, in priority order.
    pub const ALL: [Stage; 4] = [Stage::Compliance, Stage::Shortfall, Stage::CvSquares, Stage::Distance];
    /// Stable id.
    pub fn id(self) -> &'static str {
        match self {
            Stage::Compliance => "compliance",
            Stage::Shortfall => "shortfall",
            Stage::SubjectGaps => "subject_gaps",
            Stage::CvSquares => "cv_squares",
            Stage::Structure => "structure",
            Stage::Forced => "forced",
            Stage::Volunteers => "volunteers",
            Stage::Wish(k) => ["wish_1", "wish_2", "wish_3", "wish_4", "wish_5"][(k.clamp(1, 5) - 1) as usize],
            Stage::Distance => "distance",
        }
    }

    /// Its number in progress lines: 1 … 4 for the stages of SPEC §4, 2.1
    /// for the subject gaps, 3.1 for the structure, and 3.2, 3.3, … for the
    /// voice stages between it and distance.
    pub fn number(self) -> String {
        match self {
            Stage::Compliance => "1".into(),
            Stage::Shortfall => "2".into(),
            Stage::SubjectGaps => "2.1".into(),
            Stage::CvSquares => "3".into(),
            Stage::Structure => "3.1".into(),
            Stage::Forced => "3.2".into(),
            Stage::Volunteers => "3.3".into(),
            Stage::Wish(k) => format!("3.{}", 3 + k),
            Stage::Distance => "4".into(),
        }
    }

    /// Whether the stage's objective is a whole number (solved to an
    /// absolute gap below 1).
    pub fn integral(self) -> bool {
        !matches!(self, Stage::CvSquares | Stage::Structure | Stage::Distance)
    }
}

/// Counts pinned in a stage model after Σ CV² ([`Instance::build_pinned`]):
/// the indicator counts of each counted section, and the structure
/// figures' counts when known.
#[derive(Clone, Copy)]
pub struct Pins<'a> {
    /// The three indicator counts of each section.
    pub indicator: &'a [[u32; 3]],
    /// The three structure figures' counts of each section.
    pub structure: Option<&'a [[u32; 3]]>,
}

/// A built stage model, ready for the solver.
#[derive(Clone)]
pub struct StageModel {
    /// Variables.
    pub vars: ProblemVariables,
    /// Objective (minimised).
    pub objective: Expression,
    /// Constraints, each named by its rule id.
    pub constraints: Vec<Constraint>,
    /// Handles to read the solution.
    pub handles: Handles,
}

/// What one change from a published list weighs in `replan`'s distance
/// stage: 10 m, a tie-break below any difference a plan is read at (0.1 km)
/// and above the distance stage's relative gap on a county (10⁻⁶ of its km).
pub const CHANGE_KM: f64 = 1e-2;

/// Possible flows above which free profiles are aggregated by default.
pub const AGGREGATE_ABOVE: usize = 20_000;

/// A flow column: continuous for HiGHS (departures and arrivals carry the
/// integrality); integer for the pure-Rust backend, whose branch and bound
/// does far better branching on the flows themselves.
pub(super) fn flow_column(most: f64) -> good_lp::VariableDefinition {
    let v = variable().min(0.0).max(most);
    if cfg!(feature = "highs") {
        v
    } else {
        v.integer()
    }
}

/// Departures of a profile or arrivals of a type at a section.
pub(super) fn aggregate_column(most: f64) -> good_lp::VariableDefinition {
    let v = variable().min(0.0).max(most);
    if cfg!(feature = "highs") {
        v.integer()
    } else {
        v
    }
}

/// Σ CV² as fixed for the stages after the third: its optimum, with a
/// relative tolerance of 10⁻⁷.
pub(super) fn cv_squares_cap(optimum: f64) -> f64 {
    optimum + 1e-7 * optimum.abs().max(1.0)
}

pub(super) fn named(c: Constraint, name: &str) -> Constraint {
    c.set_name(name.to_string())
}

impl Instance<'_> {
    pub(super) fn departures(&self, hd: &Handles, s: usize, pred: impl Fn(Subject, [bool; 3]) -> bool) -> Expression {
        let mut e = Expression::with_capacity(8);
        for &p in &self.out_of[s] {
            let profile = &self.profiles[p];
            if pred(profile.subject, profile.flags) {
                e.add_mul(1.0, hd.d[p]);
            }
        }
        e
    }

    pub(super) fn arrivals(
        &self,
        hd: &Handles,
        s: usize,
        pred: impl Fn(Option<Subject>, [bool; 3]) -> bool,
    ) -> Expression {
        let mut e = Expression::with_capacity(8);
        for &(subject, flags, _, a) in &hd.a[s] {
            if pred(subject, flags) {
                e.add_mul(1.0, a);
            }
        }
        e
    }

    pub(super) fn hired(&self, h: &[Vec<Variable>], s: usize, pred: impl Fn(&HireGroup) -> bool) -> Expression {
        let mut e = Expression::with_capacity(4);
        for &(g, j) in &self.hire_into[s] {
            if pred(&self.hires[g]) {
                e.add_mul(1.0, h[g][j]);
            }
        }
        e
    }

    /// Returns into section `s` less returns out of it, of the returning
    /// teachers `pred` selects (each a constant 1, or its binary).
    pub(super) fn returning(&self, hd: &Handles, s: usize, pred: impl Fn(&DueReturn) -> bool) -> Expression {
        let mut e = Expression::with_capacity(2);
        for (r, ret) in self.returns.iter().enumerate() {
            let sign = if ret.home_section == Some(s) {
                1.0
            } else if ret.host_section == Some(s) {
                -1.0
            } else {
                continue;
            };
            if !pred(ret) {
                continue;
            }
            match hd.r[r] {
                Some(v) => e.add_mul(sign, v),
                None => e += sign,
            }
        }
        e
    }

    /// Whether some due return leaves or enters section `s`.
    pub(super) fn touched_by_returns(&self, s: usize) -> bool {
        self.returns.iter().any(|r| r.home_section == Some(s) || r.host_section == Some(s))
    }

    /// Count of an indicator in a section after the plan (returns included).
    pub(super) fn count(&self, hd: &Handles, s: usize, k: usize) -> Expression {
        let mut e = Expression::from(self.sections[s].before.indicator[k] as f64);
        e += self.arrivals(hd, s, |_, f| f[k]);
        e -= self.departures(hd, s, |_, f| f[k]);
        e += self.hired(&hd.h, s, |g| g.flags()[k]);
        e += self.returning(hd, s, |r| r.full_time && r.flags[k]);
        if let Some(&g) = hd.grants.get(&(s, k)) {
            e.add_mul(1.0, g);
        }
        if let Some(carried) = &self.carried {
            e += carried.shift[s][k].clone();
        }
        e
    }

    /// The moves that count in the teachers' shares (rules 3 and 4).
    pub(super) fn total_moves(&self, hd: &Handles) -> Expression {
        let mut e = Expression::with_capacity(hd.d.len());
        for (p, d) in hd.d.iter().enumerate() {
            if self.in_teachers_share(p) {
                e.add_mul(1.0, *d);
            }
        }
        e
    }

    /// Total hires placed.
    pub fn total_hires(&self, hd: &Handles) -> Expression {
        let mut e = Expression::with_capacity(16);
        for row in &hd.h {
            for v in row {
                e.add_mul(1.0, *v);
            }
        }
        e
    }

    /// The hard rules alone, to find any plan (a start for stage 1). Its
    /// columns are the first columns of every stage model, in the same order.
    pub fn build_feasibility(&self) -> StageModel {
        let (vars, handles, constraints) = self.hard_rules(true, false);
        StageModel { vars, objective: Expression::from(0.0), constraints, handles }
    }

    /// [`Self::build_feasibility`] with the published order's rows, for a
    /// search where who moves matters (`replan`'s stage 0).
    pub fn build_feasibility_in_order(&self) -> StageModel {
        let (vars, handles, constraints) = self.hard_rules(true, true);
        StageModel { vars, objective: Expression::from(0.0), constraints, handles }
    }

    /// Builds the model of one stage with the earlier optima fixed.
    pub fn build(&self, stage: Stage, fixed: &Fixed) -> StageModel {
        self.build_group(&[stage], fixed)
    }

    /// Builds the model of the stages `group` solved as one (see
    /// [`Instance::stage_group`]; one stage alone is a group of one) with
    /// the earlier optima fixed: the model of its last stage, with the
    /// group's joint objective.
    pub fn build_group(&self, group: &[Stage], fixed: &Fixed) -> StageModel {
        self.build_with(group, fixed, None)
    }

    /// [`Self::build_group`] for a stage after Σ CV² with the indicator
    /// counts of the counted sections pinned (and the structure's too when
    /// `pins` has them). The counts settle stages 1, 2 and 3 (and the
    /// structure's value), so their rows and columns are left out: the
    /// model holds the hard rules, the pinned counts, the subject gaps
    /// (which the counts do not settle) and the stage's own terms. Solved,
    /// it is the stage's model with the counts pinned, without the rows
    /// presolve would only remove.
    pub fn build_pinned(&self, group: &[Stage], fixed: &Fixed, pins: Pins<'_>) -> StageModel {
        self.build_with(group, fixed, Some(pins))
    }

    fn build_with(&self, group: &[Stage], fixed: &Fixed, pins: Option<Pins<'_>>) -> StageModel {
        let stage = *group.last().expect("a group has a stage");
        debug_assert!(pins.is_none() || stage > Stage::CvSquares, "counts are pinned after Σ CV²");
        // Who moves matters from the structure stage on (and in the search
        // for other counts once the structure's optimum is fixed).
        let identity = stage > Stage::CvSquares || (self.structure_on() && fixed.structure.is_some());
        let (mut vars, mut hd, mut constraints) = self.hard_rules(stage != Stage::Distance, identity);

        // Stages 1–2.1 of `group` weighted as one (minimised).
        let weights = self.signed_weights(group);
        let weight = |s: Stage| group.iter().position(|&g| g == s).map(|i| weights[i]);
        let mut objective = Expression::from(0.0);
        if let Some(pins) = pins {
            constraints.extend(self.pin_rows(&hd, Which::Indicators, pins.indicator));
        } else {
            let compliant = self.objective_compliance(&mut vars, &mut hd, &mut constraints);
            if let Some(w) = weight(Stage::Compliance) {
                objective.add_mul(w, compliant.clone());
            }
            if let Some(y) = fixed.compliant {
                constraints.push(named(compliant.geq(y as f64), "fixed_compliance"));
            }
        }
        if stage >= Stage::Shortfall && pins.is_none() {
            let shortfall = self.objective_shortfall(&mut vars, &hd, &mut constraints);
            if let Some(sf) = fixed.shortfall {
                constraints.push(named(shortfall.clone().leq(sf as f64), "fixed_shortfall"));
            }
            if let Some(w) = weight(Stage::Shortfall) {
                objective.add_mul(w, shortfall);
            }
        }
        if stage >= Stage::SubjectGaps && self.has_gaps_stage() {
            let gaps = self.objective_subject_gaps(&mut vars, &hd, &mut constraints);
            if let Some(most) = fixed.subject_gaps {
                constraints.push(named(gaps.clone().leq(most as f64), "fixed_subject_gaps"));
            }
            if let Some(w) = weight(Stage::SubjectGaps) {
                objective.add_mul(w, gaps);
            }
        }
        if stage >= Stage::CvSquares && pins.is_none() {
            // Once Σ CV² is fixed, no single term can exceed it: that bounds
            // each deviation and tightens the split below.
            let cap = fixed.cv_squares.map(cv_squares_cap);
            let cv = self.objective_cv_squares(&mut vars, &mut hd, &mut constraints, cap);
            self.compliance_on_units(&hd, &mut constraints);
            if let Some(cap) = cap {
                constraints.push(named(cv.clone().leq(cap), "fixed_cv_squares"));
            }
            objective = cv;
        }
        // The structure's rows once its stage runs, and in the search for
        // other counts once its optimum is fixed.
        if let Some(structure) = pins.and_then(|p| p.structure) {
            constraints.extend(self.pin_rows(&hd, Which::Structure, structure));
        } else if self.structure_on()
            && (stage >= Stage::Structure || (stage == Stage::CvSquares && fixed.structure.is_some()))
        {
            let cap = fixed.structure.map(cv_squares_cap);
            let structure = self.objective_structure(&mut vars, &mut hd, &mut constraints, cap);
            if let Some(cap) = cap {
                constraints.push(named(structure.clone().leq(cap), "fixed_structure"));
            }
            if stage == Stage::Structure {
                objective = structure;
            }
        }
        if stage > Stage::Structure && self.has_voice_stages() {
            if let Some(voice) = self.voice_objective(group, fixed, &mut vars, &hd, &mut constraints) {
                objective = voice;
            }
        }
        if stage == Stage::Distance {
            self.add_free_flows(&mut vars, &mut hd, &mut constraints);
            objective = self.objective_distance(&hd);
            if let Some(changes) = &hd.changes {
                // A change beyond the fewest only for a better plan: among
                // plans of one distance, the fewest changes (0.01 km each).
                objective += changes.clone() * CHANGE_KM;
            }
        }
        StageModel { vars, objective, constraints, handles: hd }
    }
}
