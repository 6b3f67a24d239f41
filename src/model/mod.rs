//! The rotation model of SPEC §4 as a MILP over aggregated flows.
//!
//! Eligible teachers of one school section who are interchangeable for every
//! rule and indicator (subject, higher degree, backbone) form a profile; an
//! integer flow per (profile, destination section) replaces one binary per
//! (teacher, destination). A locked teacher is a profile of one. Each hard
//! rule is one function below with the rule id as the constraint name; the
//! objective terms are built per stage of the lexicographic objective.

use std::collections::BTreeMap;

use good_lp::{variable, Constraint, Expression, IntoAffineExpression, ProblemVariables, Variable};

use crate::domain::changes::HireGroup;
use crate::domain::{County, Exact, Level, LockAction, Subject, TeacherIndicator};
use crate::exact::ceil_exact;
use crate::rules::distance::Distances;
use crate::rules::eligibility::is_eligible;
use crate::rules::indicators::{self, SectionCounts, Standing, Thresholds};
use crate::rules::rule::Rule;

/// What a school section brings to the model.
#[derive(Clone, Debug)]
pub struct SectionInfo {
    /// School position.
    pub school: usize,
    /// Section.
    pub level: Level,
    /// Whether the section enters the county figures.
    pub counted: bool,
    /// Students.
    pub students: u32,
    /// Full-time counts before the plan.
    pub before: SectionCounts,
    /// Thresholds of the teacher indicators.
    pub thresholds: [Thresholds; 3],
    /// Facility indicators below the standard.
    pub facility_misses: u32,
    /// Whether a facility indicator is below 85 % of the standard.
    pub facility_below85: bool,
    /// Full-time teachers per subject before the plan.
    pub subjects_before: BTreeMap<Subject, u32>,
    /// Subject need (⌈classes × periods / load⌉, or staffing.csv).
    pub need: BTreeMap<Subject, u32>,
}

/// A lock as it constrains a profile of one. Forbid locks of a teacher who
/// also has a move or move_to lock hold too: the forbidden schools are left
/// out of the profile's destinations.
#[derive(Clone, Debug, PartialEq)]
pub enum ProfileLock {
    /// No lock: a profile of interchangeable teachers.
    None,
    /// Must move somewhere allowed.
    Move,
    /// Must move to this school.
    MoveTo(usize),
    /// May not go to these schools.
    Forbid(Vec<usize>),
}

/// An allowed destination of a profile.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Destination {
    /// Section index.
    pub section: usize,
    /// Distance in km when known.
    pub km: Option<f64>,
    /// A destination with no road path, kept only in the diagnosis's
    /// instance ([`Instance::with_road_gaps`]), where a relaxable `roads` row
    /// holds its flow at 0.
    pub no_path: bool,
}

/// Interchangeable eligible teachers of one section.
#[derive(Clone, Debug)]
pub struct Profile {
    /// Section index.
    pub section: usize,
    /// Subject.
    pub subject: Subject,
    /// Indicator membership (higher_degree, backbone, pe_arts).
    pub flags: [bool; 3],
    /// Teacher indices, longest service at the school first, then id.
    pub members: Vec<usize>,
    /// Lock of a profile of one.
    pub lock: ProfileLock,
    /// Allowed destinations, by section index.
    pub destinations: Vec<Destination>,
}

/// Everything the solver needs, computed once from the county.
#[derive(Clone, Debug)]
pub struct Instance<'a> {
    /// The county.
    pub county: &'a County,
    /// Sections in output order.
    pub sections: Vec<SectionInfo>,
    /// Section index by (school position, level).
    pub section_of: BTreeMap<(usize, Level), usize>,
    /// Profiles of movable eligible teachers.
    pub profiles: Vec<Profile>,
    /// New hires to place.
    pub hires: Vec<HireGroup>,
    /// Allowed destination sections of each hire group.
    pub hire_destinations: Vec<Vec<usize>>,
    /// In a hires search: at most this many hires in all, each group optional.
    pub hire_budget: Option<u32>,
    /// E: eligible teachers, locked or not.
    pub eligible: usize,
    /// ⌈min_share × E⌉.
    pub min_moves: u32,
    /// ⌈max_share × E⌉.
    pub max_moves: u32,
    /// Headcount on the roll of each school before the plan.
    pub headcount_before: Vec<u32>,
    /// Lock problems found while building (rule, teacher, text).
    pub lock_conflicts: Vec<(String, String)>,
    /// Teachers locked to stay who are eligible.
    pub stay_locked: usize,
    /// Whether free profiles go without flow columns before the distance
    /// stage (by default on counties with more than [`AGGREGATE_ABOVE`]
    /// possible flows, where it makes the model ten times smaller; on a
    /// small county HiGHS does as well or better with every flow written).
    pub aggregate: bool,
    into: Vec<Vec<(usize, usize)>>,
    hire_into: Vec<Vec<(usize, usize)>>,
    out_of: Vec<Vec<usize>>,
}

/// Subject need of a section: ⌈classes × periods / load⌉ (exact).
pub fn subject_need(county: &County, school: usize, level: Level, subject: Subject) -> u32 {
    let s = &county.schools[school];
    if let Some(o) = county.staffing.iter().find(|o| o.level == level && o.subject == subject && o.school_id == s.id) {
        return o.need;
    }
    let policy = &county.policy;
    let periods = match level {
        Level::Primary => policy.staffing.periods.primary.get(&subject),
        Level::Junior => policy.staffing.periods.junior.get(&subject),
    };
    let Some(periods) = periods else { return 0 };
    let load = policy.staffing.load.get(level);
    ceil_exact(Exact::from_integer(s.classes[level.index()] as i128) * periods / load)
}

impl<'a> Instance<'a> {
    /// Builds the instance of a county, with optional hires to place.
    pub fn new(county: &'a County, hires: Vec<HireGroup>) -> Instance<'a> {
        Self::build_instance(county, hires, false)
    }

    /// The instance for the diagnosis: like [`Instance::new`], but a move
    /// between schools with no road path (roads.csv) that the other movement
    /// rules allow is kept as a destination, its flow held at 0 by a `roads`
    /// row that the diagnosis may relax, so that it can say when the missing
    /// roads are what makes a plan impossible.
    pub fn with_road_gaps(county: &'a County, hires: Vec<HireGroup>) -> Instance<'a> {
        Self::build_instance(county, hires, true)
    }

    /// Whether some destination has no road path (only in an instance built
    /// by [`Instance::with_road_gaps`]).
    pub fn has_road_gaps(&self) -> bool {
        self.profiles.iter().any(|p| p.destinations.iter().any(|d| d.no_path))
    }

    fn build_instance(county: &'a County, hires: Vec<HireGroup>, road_gaps: bool) -> Instance<'a> {
        let policy = &county.policy;
        let figures = indicators::evaluate(county);
        let mut sections = Vec::new();
        let mut section_of = BTreeMap::new();
        for f in &figures.sections {
            let misses = (3..7).filter(|i| matches!(f.standing[*i], Some(Standing::Below | Standing::Below85))).count();
            let below85 = (3..7).any(|i| f.standing[i] == Some(Standing::Below85));
            section_of.insert((f.school, f.level), sections.len());
            sections.push(SectionInfo {
                school: f.school,
                level: f.level,
                counted: f.counted,
                students: f.students,
                before: f.counts,
                thresholds: f.thresholds,
                facility_misses: misses as u32,
                facility_below85: below85,
                subjects_before: BTreeMap::new(),
                need: BTreeMap::new(),
            });
        }
        let mut headcount_before = vec![0u32; county.schools.len()];
        for t in &county.teachers {
            let Some(pos) = county.school_pos(&t.school_id) else { continue };
            headcount_before[pos] += 1;
            if t.full_time {
                if let Some(&s) = section_of.get(&(pos, t.level)) {
                    *sections[s].subjects_before.entry(t.subject).or_insert(0) += 1;
                }
            }
        }
        for sec in sections.iter_mut() {
            for (subject, _, _) in Subject::ALL {
                let need = subject_need(county, sec.school, sec.level, *subject);
                if need > 0 {
                    sec.need.insert(*subject, need);
                }
            }
        }

        let mut locks: BTreeMap<&str, Vec<&crate::domain::Lock>> = BTreeMap::new();
        for lock in &county.locks {
            locks.entry(lock.teacher_id.as_str()).or_default().push(lock);
        }
        let distances = Distances::new(county);
        let mut eligible = 0;
        let mut stay_locked = 0;
        let mut groups: BTreeMap<(usize, Subject, [bool; 3]), Vec<usize>> = BTreeMap::new();
        // Locked teachers: section, teacher, lock, and the schools their
        // forbid locks name (which hold whatever other lock they have).
        let mut singles: Vec<(usize, usize, ProfileLock, Vec<usize>)> = Vec::new();
        let mut lock_conflicts = Vec::new();
        for (i, t) in county.teachers.iter().enumerate() {
            if !is_eligible(t, policy) {
                continue;
            }
            eligible += 1;
            let Some(pos) = county.school_pos(&t.school_id) else { continue };
            let Some(&section) = section_of.get(&(pos, t.level)) else { continue };
            let flags = TeacherIndicator::ALL.map(|k| k.counts(t, t.level));
            let mine = locks.get(t.id.as_str()).cloned().unwrap_or_default();
            if mine.iter().any(|l| l.action == LockAction::Stay) {
                stay_locked += 1;
                continue;
            }
            let target = |l: &crate::domain::Lock| l.school_id.as_deref().and_then(|id| county.school_pos(id));
            let lock = if let Some(l) = mine.iter().find(|l| l.action == LockAction::MoveTo) {
                match target(l) {
                    Some(s) => ProfileLock::MoveTo(s),
                    None => ProfileLock::Move,
                }
            } else if mine.iter().any(|l| l.action == LockAction::Move) {
                ProfileLock::Move
            } else {
                ProfileLock::None
            };
            let mut forbidden: Vec<usize> =
                mine.iter().filter(|l| l.action == LockAction::Forbid).filter_map(|l| target(l)).collect();
            forbidden.sort_unstable();
            forbidden.dedup();
            let lock = match (lock, forbidden.is_empty()) {
                (ProfileLock::None, false) => ProfileLock::Forbid(forbidden.clone()),
                (other, _) => other,
            };
            if lock == ProfileLock::None {
                groups.entry((section, t.subject, flags)).or_default().push(i);
            } else {
                singles.push((section, i, lock, forbidden));
            }
        }

        let destinations_of = |section: usize, lock: &ProfileLock, forbidden: &[usize]| -> Vec<Destination> {
            let from = &sections[section];
            let from_school = &county.schools[from.school];
            let mut out = Vec::new();
            for (d, to) in sections.iter().enumerate() {
                if to.level != from.level || to.school == from.school || forbidden.contains(&to.school) {
                    continue;
                }
                if let ProfileLock::MoveTo(s) = lock {
                    if *s != to.school {
                        continue;
                    }
                }
                let km = distances.km(from.school, to.school);
                let to_school = &county.schools[to.school];
                let no_path = !distances.joined(from.school, to.school);
                if !movement_allowed(county, from_school, to_school, km, !no_path) {
                    // Some(0.0): the other movement rules, without the path.
                    if !(road_gaps && no_path && movement_allowed(county, from_school, to_school, Some(0.0), true)) {
                        continue;
                    }
                }
                out.push(Destination { section: d, km, no_path });
            }
            out
        };

        let order = |members: &mut Vec<usize>| {
            members.sort_by(|a, b| {
                let (ta, tb) = (&county.teachers[*a], &county.teachers[*b]);
                ta.school_since.cmp(&tb.school_since).then_with(|| ta.id.cmp(&tb.id))
            })
        };
        let mut profiles = Vec::new();
        for ((section, subject, flags), mut members) in groups {
            order(&mut members);
            let destinations = destinations_of(section, &ProfileLock::None, &[]);
            profiles.push(Profile { section, subject, flags, members, lock: ProfileLock::None, destinations });
        }
        for (section, teacher, lock, forbidden) in singles {
            let t = &county.teachers[teacher];
            let destinations = destinations_of(section, &lock, &forbidden);
            let from = &county.schools[sections[section].school];
            if let ProfileLock::MoveTo(target) = &lock {
                if destinations.is_empty() {
                    let school = &county.schools[*target];
                    let why = if forbidden.contains(target) {
                        format!("a forbid lock names {} too", school.id)
                    } else {
                        why_not_allowed(county, from, school, t.level, &distances)
                    };
                    lock_conflicts.push((
                        "locks".to_string(),
                        format!("lock move_to {} for teacher {} cannot hold: {why}", school.id, t.id),
                    ));
                }
            } else if lock == ProfileLock::Move && destinations.is_empty() {
                let forbids = if forbidden.is_empty() {
                    String::new()
                } else {
                    let names: Vec<&str> = forbidden.iter().map(|&f| county.schools[f].id.as_str()).collect();
                    format!(" other than {} (its forbid locks)", names.join(", "))
                };
                let roads = if county.roads.is_empty() { "" } else { " (with roads.csv, a move needs a road path)" };
                lock_conflicts.push((
                    "locks".to_string(),
                    format!(
                        "lock move for teacher {} cannot hold: no school{forbids} within the movement rules{roads} has the {} section",
                        t.id,
                        t.level.word()
                    ),
                ));
            }
            let flags = TeacherIndicator::ALL.map(|k| k.counts(t, t.level));
            profiles.push(Profile { section, subject: t.subject, flags, members: vec![teacher], lock, destinations });
        }

        let hire_destinations: Vec<Vec<usize>> = hires
            .iter()
            .map(|g| {
                (0..sections.len())
                    .filter(|&s| {
                        sections[s].level == g.level && g.school.is_none_or(|school| sections[s].school == school)
                    })
                    .collect()
            })
            .collect();
        let mut into = vec![Vec::new(); sections.len()];
        let mut out_of = vec![Vec::new(); sections.len()];
        for (p, profile) in profiles.iter().enumerate() {
            out_of[profile.section].push(p);
            for (j, d) in profile.destinations.iter().enumerate() {
                into[d.section].push((p, j));
            }
        }
        let mut hire_into = vec![Vec::new(); sections.len()];
        for (g, dests) in hire_destinations.iter().enumerate() {
            for (j, &s) in dests.iter().enumerate() {
                hire_into[s].push((g, j));
            }
        }
        let flows: usize = profiles.iter().map(|p| p.destinations.len()).sum();
        Instance {
            county,
            sections,
            section_of,
            profiles,
            hires,
            hire_destinations,
            hire_budget: None,
            eligible,
            min_moves: policy.required_moves(eligible),
            max_moves: policy.max_moves(eligible),
            headcount_before,
            lock_conflicts,
            stay_locked,
            aggregate: flows > AGGREGATE_ABOVE,
            into,
            hire_into,
            out_of,
        }
    }

    /// Movable eligible teachers (eligible and not locked to stay).
    pub fn movable(&self) -> usize {
        self.profiles.iter().map(|p| p.members.len()).sum()
    }

    /// Movable eligible backbone teachers.
    pub fn movable_backbone(&self) -> usize {
        self.profiles.iter().filter(|p| p.flags[1]).map(|p| p.members.len()).sum()
    }

    /// Teachers that locks force to move.
    pub fn forced_moves(&self) -> usize {
        self.profiles.iter().filter(|p| matches!(p.lock, ProfileLock::Move | ProfileLock::MoveTo(_))).count()
    }
}

/// Rule 2: the destination is within the distance limit and the alliance;
/// with roads.csv, a pair with no road path (`joined` false) is not an
/// allowed move (SPEC §2), whatever max_distance_km is. `km` is the
/// distance when known.
pub fn movement_allowed(
    county: &County,
    from: &crate::domain::School,
    to: &crate::domain::School,
    km: Option<f64>,
    joined: bool,
) -> bool {
    let m = &county.policy.movement;
    if !joined {
        return false;
    }
    if m.max_distance_km > 0.0 && km.is_none_or(|d| d > m.max_distance_km) {
        return false;
    }
    if m.within_alliance && (from.alliance.is_none() || from.alliance != to.alliance) {
        return false;
    }
    true
}

fn why_not_allowed(
    county: &County,
    from: &crate::domain::School,
    to: &crate::domain::School,
    level: Level,
    distances: &Distances,
) -> String {
    if !to.has(level) {
        return format!("{} has no {} section", to.id, level.word());
    }
    if from.id == to.id {
        return "it is the teacher's own school".into();
    }
    let m = &county.policy.movement;
    let from_pos = county.school_pos(&from.id).unwrap_or(0);
    let to_pos = county.school_pos(&to.id).unwrap_or(0);
    if !distances.joined(from_pos, to_pos) {
        return format!("roads.csv has no road path between {} and {} (a move needs one)", from.id, to.id);
    }
    match distances.km(from_pos, to_pos) {
        None if m.max_distance_km > 0.0 => return "the distance is unknown while max_distance_km is set".into(),
        Some(d) if m.max_distance_km > 0.0 && d > m.max_distance_km => {
            return format!("{d:.1} km is beyond max_distance_km = {}", m.max_distance_km)
        }
        _ => {}
    }
    if m.within_alliance {
        return format!(
            "the schools are not in one alliance ({} vs {})",
            from.alliance.as_deref().unwrap_or("none"),
            to.alliance.as_deref().unwrap_or("none")
        );
    }
    "the movement rules forbid it".into()
}

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
    pub a: Vec<Vec<(Option<Subject>, [bool; 3], Variable)>>,
    /// Hires per group and destination.
    pub h: Vec<Vec<Variable>>,
    /// Compliance indicator per section (None where compliance is impossible or the section not counted).
    pub y: Vec<Option<Variable>>,
    /// Unit columns of each counted section's indicator count, by (section,
    /// indicator): the count is `lo + Σ units` (models with Σ CV² only).
    pub units: BTreeMap<(usize, usize), (u32, Vec<Variable>)>,
}

/// Optima of earlier stages, fixed as constraints of later ones.
#[derive(Clone, Copy, Debug, Default)]
pub struct Fixed {
    /// Stage 1: compliant sections at least this.
    pub compliant: Option<u32>,
    /// Stage 2: shortfall at most this.
    pub shortfall: Option<u32>,
    /// Stage 3: Σ CV² (model form) at most this.
    pub cv_squares: Option<f64>,
}

/// The stages of the lexicographic objective.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Stage {
    /// Maximise compliant counted sections.
    Compliance = 1,
    /// Minimise the teacher shortfall.
    Shortfall = 2,
    /// Minimise Σ CV² of the teacher indicators.
    CvSquares = 3,
    /// Minimise the total distance.
    Distance = 4,
}

impl Stage {
    /// All four, in priority order.
    pub const ALL: [Stage; 4] = [Stage::Compliance, Stage::Shortfall, Stage::CvSquares, Stage::Distance];
    /// Stable id.
    pub fn id(self) -> &'static str {
        match self {
            Stage::Compliance => "compliance",
            Stage::Shortfall => "shortfall",
            Stage::CvSquares => "cv_squares",
            Stage::Distance => "distance",
        }
    }
}

/// The parts of a level's Σ cᵢ²/Pᵢ in the model.
struct CvParts {
    q: Expression,
    q_max: f64,
    p_total: f64,
    c_lo: u32,
    selectors: Vec<(u32, Variable)>,
}

/// A built stage model, ready for the solver.
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

/// Possible flows above which free profiles are aggregated by default.
pub const AGGREGATE_ABOVE: usize = 20_000;

/// A flow column: continuous for HiGHS (departures and arrivals carry the
/// integrality); integer for the pure-Rust backend, whose branch and bound
/// does far better branching on the flows themselves.
fn flow_column(most: f64) -> good_lp::VariableDefinition {
    let v = variable().min(0.0).max(most);
    if cfg!(feature = "highs") {
        v
    } else {
        v.integer()
    }
}

/// Departures of a profile or arrivals of a type at a section.
fn aggregate_column(most: f64) -> good_lp::VariableDefinition {
    let v = variable().min(0.0).max(most);
    if cfg!(feature = "highs") {
        v.integer()
    } else {
        v
    }
}

/// Σ CV² as fixed for the stages after the third: its optimum, with a
/// relative tolerance of 10⁻⁷.
fn cv_squares_cap(optimum: f64) -> f64 {
    optimum + 1e-7 * optimum.abs().max(1.0)
}

fn named(c: Constraint, name: &str) -> Constraint {
    c.set_name(name.to_string())
}

impl Instance<'_> {
    fn departures(&self, hd: &Handles, s: usize, pred: impl Fn(Subject, [bool; 3]) -> bool) -> Expression {
        let mut e = Expression::with_capacity(8);
        for &p in &self.out_of[s] {
            let profile = &self.profiles[p];
            if pred(profile.subject, profile.flags) {
                e.add_mul(1.0, hd.d[p]);
            }
        }
        e
    }

    fn arrivals(&self, hd: &Handles, s: usize, pred: impl Fn(Option<Subject>, [bool; 3]) -> bool) -> Expression {
        let mut e = Expression::with_capacity(8);
        for &(subject, flags, a) in &hd.a[s] {
            if pred(subject, flags) {
                e.add_mul(1.0, a);
            }
        }
        e
    }

    fn hired(&self, h: &[Vec<Variable>], s: usize, pred: impl Fn(&HireGroup) -> bool) -> Expression {
        let mut e = Expression::with_capacity(4);
        for &(g, j) in &self.hire_into[s] {
            if pred(&self.hires[g]) {
                e.add_mul(1.0, h[g][j]);
            }
        }
        e
    }

    /// Count of an indicator in a section after the plan.
    fn count(&self, hd: &Handles, s: usize, k: usize) -> Expression {
        let mut e = Expression::from(self.sections[s].before.indicator[k] as f64);
        e += self.arrivals(hd, s, |_, f| f[k]);
        e -= self.departures(hd, s, |_, f| f[k]);
        e += self.hired(&hd.h, s, |g| g.flags()[k]);
        e
    }

    /// Pins the indicator counts of every counted section to `counts`: the
    /// compliance, the shortfall and Σ CV² then equal those of the plan the
    /// counts come from, and what is left is which teachers make them.
    /// The model must have Σ CV² (whose unit columns say which counts can
    /// change).
    pub fn pin_counts(&self, model: &mut StageModel, counts: &[[u32; 3]]) {
        for (&(s, k), (_, units)) in &model.handles.units {
            if !units.is_empty() {
                let c = self.count(&model.handles, s, k);
                model.constraints.push(named(c.eq(counts[s][k] as f64), "pinned_count"));
            }
        }
    }

    /// Stage 3's model, to search for counts other than `seen` that reach
    /// its optimum (fixed in `fixed`), and the cutoff for that search: the
    /// fixed Σ CV² in the solver's terms, which lets HiGHS prune by the
    /// objective from the start (on the 120-school district the search ended
    /// in 20 s instead of 70 s).
    pub fn count_search(&self, fixed: &Fixed, seen: &[Vec<[u32; 3]>]) -> (StageModel, Option<f64>) {
        let mut model = self.build(Stage::CvSquares, fixed);
        // Each count's unit columns in order (u₁ ≥ u₂ ≥ …, which every
        // integer count allows), as `exclude_counts` reads them.
        for (_, units) in model.handles.units.values() {
            for pair in units.windows(2) {
                model.constraints.push(named(Expression::from(pair[0]).geq(pair[1]), "excluded_counts"));
            }
        }
        for counts in seen {
            self.exclude_counts(&mut model, counts);
        }
        // good_lp leaves the objective's constant out of the solver's.
        let cutoff = fixed.cv_squares.map(|w| cv_squares_cap(w) - model.objective.constant());
        (model, cutoff)
    }

    /// Excludes the counted sections' indicator counts `counts` from a
    /// model with Σ CV²: at least one count must differ. With the unit
    /// columns of each count in order (see `count_search`), the count is
    /// above c exactly when unit c − lo + 1 is on and below c exactly when
    /// unit c − lo is off; those two units are made binary.
    fn exclude_counts(&self, model: &mut StageModel, counts: &[[u32; 3]]) {
        let mut differ = Expression::with_capacity(64);
        for (&(s, k), (lo, units)) in &model.handles.units {
            let at = counts[s][k].saturating_sub(*lo) as usize;
            let mut binary = |u: Variable| {
                let b = model.vars.add(variable().binary());
                model.constraints.push(named(Expression::from(b).eq(u), "excluded_counts"));
                b
            };
            if at >= 1 && at <= units.len() {
                let last_on = binary(units[at - 1]);
                differ += 1.0;
                differ.add_mul(-1.0, last_on);
            }
            if at < units.len() {
                let first_off = binary(units[at]);
                differ.add_mul(1.0, first_off);
            }
        }
        model.constraints.push(named(differ.geq(1.0), "excluded_counts"));
    }

    /// The indicator counts of each section in a solution: [`Self::count`]
    /// at the solution's values.
    pub fn counts_of(&self, hd: &Handles, value: impl Fn(Variable) -> f64) -> Vec<[u32; 3]> {
        (0..self.sections.len())
            .map(|s| {
                [0, 1, 2].map(|k| {
                    let count = self.count(hd, s, k);
                    let at = count.constant() + count.linear_coefficients().map(|(v, c)| c * value(v)).sum::<f64>();
                    at.round().max(0.0) as u32
                })
            })
            .collect()
    }

    fn total_moves(&self, hd: &Handles) -> Expression {
        let mut e = Expression::with_capacity(hd.d.len());
        for d in &hd.d {
            e.add_mul(1.0, *d);
        }
        e
    }

    /// Rule 1: each teacher moves at most once (a profile's flows ≤ its size);
    /// rule 7: a move or move_to lock makes its teacher move.
    fn rule_move_once_and_locks(&self, hd: &Handles, out: &mut Vec<Constraint>) {
        for (p, profile) in self.profiles.iter().enumerate() {
            let e = Expression::from(hd.d[p]);
            match profile.lock {
                ProfileLock::Move | ProfileLock::MoveTo(_) => {
                    let teacher = &self.county.teachers[profile.members[0]].id;
                    out.push(named(e.eq(1.0), &Rule::Locks.row(teacher)))
                }
                _ => out.push(named(e.leq(profile.members.len() as f64), &Rule::MoveOnce.row(""))),
            }
        }
    }

    /// Rule 2, in the diagnosis's instance only: no move between schools
    /// with no road path (a row per pair, which the diagnosis may relax).
    fn rule_road_path(&self, x: &[Vec<Variable>], out: &mut Vec<Constraint>) {
        for (profile, row) in self.profiles.iter().zip(x) {
            let from = &self.county.schools[self.sections[profile.section].school].id;
            for (d, &v) in profile.destinations.iter().zip(row) {
                if d.no_path {
                    let to = &self.county.schools[self.sections[d.section].school].id;
                    out.push(named(Expression::from(v).leq(0.0), &Rule::Roads.row(&format!("{from}→{to}"))));
                }
            }
        }
    }

    /// Rule 3: ⌈min_share × E⌉ ≤ moves ≤ ⌈max_share × E⌉.
    /// The total is one variable linked once to the flows, so that the share
    /// rows stay short (a district has 80,000 flows).
    fn rule_rotation_share(&self, vars: &mut ProblemVariables, hd: &Handles, out: &mut Vec<Constraint>) -> Variable {
        let moves = vars.add(variable().min(0.0));
        out.push(named(self.total_moves(hd).eq(moves), "moves_total"));
        out.push(named(Expression::from(moves).geq(self.min_moves as f64), &Rule::RotationShare.row("")));
        out.push(named(Expression::from(moves).leq(self.max_moves as f64), &Rule::RotationShare.row("")));
        moves
    }

    /// Rule 4: backbone moves ≥ backbone_min_share × moves, exactly (a/b: b·B ≥ a·M).
    fn rule_backbone_share(&self, hd: &Handles, moves: Variable, out: &mut Vec<Constraint>) {
        let share = self.county.policy.rotation.backbone_min_share;
        let (a, b) = (*share.numer() as f64, *share.denom() as f64);
        let mut e = Expression::with_capacity(64);
        for (p, profile) in self.profiles.iter().enumerate() {
            if profile.flags[1] {
                e.add_mul(b, hd.d[p]);
            }
        }
        e.add_mul(-a, moves);
        out.push(named(e.geq(0.0), &Rule::BackboneShare.row("")));
    }

    /// Rule 5: |arrivals − departures| ≤ tolerance per section; headcount ≤
    /// max(staff_quota, before) per school.
    fn rule_headcount(&self, vars: &mut ProblemVariables, hd: &Handles, out: &mut Vec<Constraint>) {
        let tol = self.county.policy.movement.headcount_tolerance as f64;
        let mut school_delta: BTreeMap<usize, Expression> = BTreeMap::new();
        for s in 0..self.sections.len() {
            if self.out_of[s].is_empty() && self.into[s].is_empty() && self.hire_into[s].is_empty() {
                continue;
            }
            let mut net = Expression::with_capacity(1);
            if !(self.out_of[s].is_empty() && self.into[s].is_empty()) {
                // One variable per section carries arrivals − departures.
                let balance = vars.add(variable());
                let flows = self.arrivals(hd, s, |_, _| true) - self.departures(hd, s, |_, _| true);
                out.push(named(flows.eq(balance), "net_link"));
                let place =
                    format!("{}:{}", self.county.schools[self.sections[s].school].id, self.sections[s].level.word());
                let name = Rule::HeadcountBalance.row(&place);
                out.push(named(Expression::from(balance).leq(tol), &name));
                out.push(named(Expression::from(balance).geq(-tol), &name));
                net.add_mul(1.0, balance);
            }
            let entry = school_delta.entry(self.sections[s].school).or_default();
            *entry += net + self.hired(&hd.h, s, |_| true);
        }
        for (school, delta) in school_delta {
            if let Some(quota) = self.county.schools[school].staff_quota {
                let before = self.headcount_before[school];
                let cap = quota.max(before) as f64;
                let name = Rule::StaffQuota.row(&self.county.schools[school].id);
                out.push(named((delta + before as f64).leq(cap), &name));
            }
        }
    }

    /// Whether the subject floor of a section (rule 6) can bind: only when
    /// the teachers of the subject who may leave (at most the moves
    /// allowed) could take it below min(before, need).
    fn floor_can_bind(&self, s: usize, subject: Subject) -> bool {
        let sec = &self.sections[s];
        let Some(&need) = sec.need.get(&subject) else { return false };
        let before = sec.subjects_before.get(&subject).copied().unwrap_or(0);
        let leaving: usize = self.out_of[s]
            .iter()
            .filter(|&&p| self.profiles[p].subject == subject)
            .map(|&p| self.profiles[p].members.len())
            .sum();
        let leaving = leaving.min(self.max_moves as usize) as u32;
        leaving > 0 && before.saturating_sub(leaving) < before.min(need)
    }

    /// The arrival type a teacher of `subject` fills at section `s`: the
    /// subject itself where the section's subject floor can bind, otherwise
    /// any subject (arrivals of subjects no rule reads there are
    /// interchangeable, which removes symmetric choices). The aggregated
    /// model keeps every subject apart (its Hall conditions are per subject).
    fn arrival_class(&self, s: usize, subject: Subject) -> Option<Subject> {
        (self.aggregate || self.floor_can_bind(s, subject)).then_some(subject)
    }

    /// Rule 6: per section and subject, teachers after ≥ min(before, need).
    fn rule_subject_floor(&self, hd: &Handles, out: &mut Vec<Constraint>) {
        for (s, sec) in self.sections.iter().enumerate() {
            for (&subject, &need) in &sec.need {
                if !self.floor_can_bind(s, subject) {
                    continue;
                }
                let before = sec.subjects_before.get(&subject).copied().unwrap_or(0);
                let floor = before.min(need) as f64;
                let e = Expression::from(before as f64) - self.departures(hd, s, |t, _| t == subject)
                    + self.arrivals(hd, s, |t, _| t == Some(subject))
                    + self.hired(&hd.h, s, |g| g.subject == subject);
                let place = format!("{}:{}:{}", self.county.schools[sec.school].id, sec.level.word(), subject.word());
                let name = Rule::SubjectFloor.row(&place);
                out.push(named(e.geq(floor), &name));
            }
        }
    }

    /// Hires: every hire is placed exactly once (in a hires search: at most
    /// the budget in all).
    fn rule_hires_placed(&self, hd: &Handles, out: &mut Vec<Constraint>) {
        let mut all = Expression::with_capacity(16);
        for (g, group) in self.hires.iter().enumerate() {
            let mut e = Expression::with_capacity(hd.h[g].len());
            for v in &hd.h[g] {
                e.add_mul(1.0, *v);
            }
            all += e.clone();
            if self.hire_budget.is_none() {
                out.push(named(e.eq(group.ids.len() as f64), &Rule::HiresPlaced.row("")));
            }
        }
        if let Some(budget) = self.hire_budget {
            out.push(named(all.leq(budget as f64), &Rule::HireBudget.row("")));
        }
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

    /// Per profile, whether it may go to every section of its level but its
    /// own ("free"). Such profiles need no flow columns until the distance stage: whether
    /// their departures and arrivals can be matched is a condition on the
    /// totals (see [`Instance::rule_free_transport`]).
    pub fn free_profiles(&self) -> Vec<bool> {
        // The pure-Rust backend's branch and bound does far better with the
        // flows written out.
        if !cfg!(feature = "highs") || !self.aggregate {
            return vec![false; self.profiles.len()];
        }
        let others =
            Level::BOTH.map(|level| self.sections.iter().filter(|s| s.level == level).count().saturating_sub(1));
        self.profiles
            .iter()
            .map(|profile| {
                let level = self.sections[profile.section].level;
                let others = others[level.index()];
                profile.destinations.len() == others
                    && profile
                        .destinations
                        .iter()
                        .all(|d| self.sections[d.section].level == level && d.section != profile.section && !d.no_path)
            })
            .collect()
    }

    /// The flow and hire variables with every hard rule of SPEC §4. Free
    /// profiles get no flow columns here (see [`Instance::add_free_flows`]);
    /// `hall` adds the transport condition that stands in for them.
    fn hard_rules(&self, hall: bool) -> (ProblemVariables, Handles, Vec<Constraint>) {
        let mut vars = ProblemVariables::new();
        let free = self.free_profiles();
        let x: Vec<Vec<Variable>> = self
            .profiles
            .iter()
            .zip(&free)
            .map(|(p, &free)| {
                let n = p.members.len() as f64;
                if free {
                    Vec::new()
                } else {
                    p.destinations.iter().map(|_| vars.add(flow_column(n))).collect()
                }
            })
            .collect();
        let mut constraints = Vec::new();
        self.rule_road_path(&x, &mut constraints);
        // Departures per profile and arrivals per section and type are the
        // integers; every rule and objective but the distance reads only them.
        let mut d = Vec::with_capacity(self.profiles.len());
        let mut arriving: BTreeMap<(usize, Option<Subject>, [bool; 3]), (Expression, usize)> = BTreeMap::new();
        for (p, profile) in self.profiles.iter().enumerate() {
            let n = profile.members.len();
            let dp = vars.add(aggregate_column(n as f64));
            let mut sum = Expression::with_capacity(x[p].len());
            for (j, dest) in profile.destinations.iter().enumerate() {
                let entry = arriving
                    .entry((dest.section, self.arrival_class(dest.section, profile.subject), profile.flags))
                    .or_default();
                entry.1 += n;
                if !free[p] {
                    sum.add_mul(1.0, x[p][j]);
                    entry.0.add_mul(1.0, x[p][j]);
                }
            }
            if !free[p] {
                constraints.push(named(sum.eq(dp), "departures_link"));
            }
            d.push(dp);
        }
        let mut a = vec![Vec::new(); self.sections.len()];
        let mut restricted = vec![Vec::new(); self.sections.len()];
        for ((section, subject, flags), (sum, most)) in arriving {
            let v = vars.add(aggregate_column(most as f64));
            a[section].push((subject, flags, v));
            restricted[section].push(sum);
        }
        let h: Vec<Vec<Variable>> = self
            .hires
            .iter()
            .zip(&self.hire_destinations)
            .map(|(g, d)| d.iter().map(|_| vars.add(variable().integer().min(0.0).max(g.ids.len() as f64))).collect())
            .collect();
        let hd = Handles { x, d, a, h, y: vec![None; self.sections.len()], units: BTreeMap::new() };
        if hall {
            self.rule_free_transport(&hd, &free, &restricted, &mut constraints);
        }
        self.rule_move_once_and_locks(&hd, &mut constraints);
        let moves = self.rule_rotation_share(&mut vars, &hd, &mut constraints);
        self.rule_backbone_share(&hd, moves, &mut constraints);
        self.rule_headcount(&mut vars, &hd, &mut constraints);
        self.rule_subject_floor(&hd, &mut constraints);
        self.rule_hires_placed(&hd, &mut constraints);
        (vars, hd, constraints)
    }

    /// The arrivals of each section and type are the restricted profiles'
    /// flows plus the free profiles' share F. Free profiles of one type go
    /// anywhere in their level but their own section, so their departures D
    /// can be matched to the arrivals F exactly when ΣF = ΣD = T and, for
    /// every section, D + F ≤ T (Hall's condition on a complete bipartite
    /// graph without its diagonal).
    fn rule_free_transport(
        &self,
        hd: &Handles,
        free: &[bool],
        restricted: &[Vec<Expression>],
        out: &mut Vec<Constraint>,
    ) {
        // Per type: the free departures of each section.
        type Type = (Level, Option<Subject>, [bool; 3]);
        let mut departing: BTreeMap<Type, BTreeMap<usize, Expression>> = BTreeMap::new();
        for (p, profile) in self.profiles.iter().enumerate() {
            if free[p] {
                let level = self.sections[profile.section].level;
                departing
                    .entry((level, Some(profile.subject), profile.flags))
                    .or_default()
                    .entry(profile.section)
                    .or_default()
                    .add_mul(1.0, hd.d[p]);
            }
        }
        let mut arriving: BTreeMap<Type, BTreeMap<usize, Expression>> = BTreeMap::new();
        for (s, row) in hd.a.iter().enumerate() {
            for (i, &(subject, flags, a)) in row.iter().enumerate() {
                let share = Expression::from(a) - restricted[s][i].clone();
                arriving.entry((self.sections[s].level, subject, flags)).or_default().insert(s, share);
            }
        }
        for (key, shares) in &arriving {
            let supply = departing.get(key);
            let total: Expression = supply.map(|m| m.values().cloned().sum()).unwrap_or_default();
            let all: Expression = shares.values().cloned().sum();
            out.push(named(all.eq(total.clone()), "transport_total"));
            for (&s, share) in shares {
                out.push(named(share.clone().geq(0.0), "transport_share"));
                let own = supply.and_then(|m| m.get(&s)).cloned().unwrap_or_default();
                out.push(named((own + share.clone()).leq(total.clone()), "transport_hall"));
            }
        }
        for (key, supply) in &departing {
            if !arriving.contains_key(key) {
                let total: Expression = supply.values().cloned().sum();
                out.push(named(total.eq(0.0), "transport_total"));
            }
        }
    }

    /// Flow columns for the free profiles (appended after every other
    /// column), linked to their departures and to the free share of the
    /// arrivals; the distance stage reads them.
    fn add_free_flows(&self, vars: &mut ProblemVariables, hd: &mut Handles, out: &mut Vec<Constraint>) {
        let mut free_in: BTreeMap<(usize, Option<Subject>, [bool; 3]), Expression> = BTreeMap::new();
        let mut restricted_in: BTreeMap<(usize, Option<Subject>, [bool; 3]), Expression> = BTreeMap::new();
        let free = self.free_profiles();
        for (p, profile) in self.profiles.iter().enumerate() {
            if !free[p] {
                for (j, dest) in profile.destinations.iter().enumerate() {
                    restricted_in
                        .entry((dest.section, self.arrival_class(dest.section, profile.subject), profile.flags))
                        .or_default()
                        .add_mul(1.0, hd.x[p][j]);
                }
                continue;
            }
            let n = profile.members.len() as f64;
            let row: Vec<Variable> = profile.destinations.iter().map(|_| vars.add(flow_column(n))).collect();
            let mut sum = Expression::with_capacity(row.len());
            for (dest, &v) in profile.destinations.iter().zip(&row) {
                sum.add_mul(1.0, v);
                free_in
                    .entry((dest.section, self.arrival_class(dest.section, profile.subject), profile.flags))
                    .or_default()
                    .add_mul(1.0, v);
            }
            out.push(named(sum.eq(hd.d[p]), "departures_link"));
            hd.x[p] = row;
        }
        for (s, row) in hd.a.iter().enumerate() {
            for &(subject, flags, a) in row {
                let key = (s, subject, flags);
                let flows = free_in.remove(&key).unwrap_or_default() + restricted_in.remove(&key).unwrap_or_default();
                out.push(named(flows.eq(a), "arrivals_link"));
            }
        }
    }

    /// The transport problem left once the departures of every profile and
    /// the arrivals per section and type are fixed: integer flows of least
    /// distance that realise them. Its matrix is a bipartite incidence matrix,
    /// so its LP optimum is already integral.
    pub fn build_transport(
        &self,
        departures: &[u32],
        arrivals: &[Vec<(Option<Subject>, [bool; 3], u32)>],
    ) -> StageModel {
        let mut vars = ProblemVariables::new();
        let mut constraints = Vec::new();
        let mut arriving: BTreeMap<(usize, Option<Subject>, [bool; 3]), Expression> = BTreeMap::new();
        let mut x = Vec::with_capacity(self.profiles.len());
        // Only pairs with departures and arrivals get a column (a few
        // thousand instead of 500,000 on a 300-school county): the others
        // share one column fixed at 0.
        let wanted: std::collections::BTreeSet<(usize, Option<Subject>, [bool; 3])> = arrivals
            .iter()
            .enumerate()
            .flat_map(|(s, row)| row.iter().filter(|a| a.2 > 0).map(move |&(subject, flags, _)| (s, subject, flags)))
            .collect();
        let zero = vars.add(variable().min(0.0).max(0.0));
        for (p, profile) in self.profiles.iter().enumerate() {
            let mut sum = Expression::with_capacity(profile.destinations.len());
            let row: Vec<Variable> = profile
                .destinations
                .iter()
                .map(|dest| {
                    let key = (dest.section, self.arrival_class(dest.section, profile.subject), profile.flags);
                    if departures[p] == 0 || !wanted.contains(&key) {
                        return zero;
                    }
                    let v = vars.add(variable().integer().min(0.0).max(profile.members.len() as f64));
                    sum.add_mul(1.0, v);
                    arriving.entry(key).or_default().add_mul(1.0, v);
                    v
                })
                .collect();
            if departures[p] > 0 {
                constraints.push(named(sum.eq(departures[p] as f64), "departures_fixed"));
            }
            x.push(row);
        }
        for (s, row) in arrivals.iter().enumerate() {
            for &(subject, flags, n) in row {
                if let Some(sum) = arriving.remove(&(s, subject, flags)) {
                    constraints.push(named(sum.eq(n as f64), "arrivals_fixed"));
                } else if n > 0 {
                    // Arrivals no departing profile can make: no moves exist.
                    constraints.push(named(Expression::from(zero).eq(n as f64), "arrivals_fixed"));
                }
            }
        }
        let handles = Handles { x, d: Vec::new(), a: Vec::new(), h: Vec::new(), y: Vec::new(), units: BTreeMap::new() };
        let objective = self.objective_distance(&handles);
        StageModel { vars, objective, constraints, handles }
    }

    /// The hard rules alone, to find any plan (a start for stage 1). Its
    /// columns are the first columns of every stage model, in the same order.
    pub fn build_feasibility(&self) -> StageModel {
        let (vars, handles, constraints) = self.hard_rules(true);
        StageModel { vars, objective: Expression::from(0.0), constraints, handles }
    }

    /// Builds the model of one stage with the earlier optima fixed.
    pub fn build(&self, stage: Stage, fixed: &Fixed) -> StageModel {
        let (mut vars, mut hd, mut constraints) = self.hard_rules(stage != Stage::Distance);

        let compliant = self.objective_compliance(&mut vars, &mut hd, &mut constraints);
        let mut objective = -compliant.clone();
        if let Some(y) = fixed.compliant {
            constraints.push(named(compliant.geq(y as f64), "fixed_compliance"));
        }
        if stage >= Stage::Shortfall {
            let shortfall = self.objective_shortfall(&mut vars, &hd, &mut constraints);
            if let Some(sf) = fixed.shortfall {
                constraints.push(named(shortfall.clone().leq(sf as f64), "fixed_shortfall"));
            }
            objective = shortfall;
        }
        if stage >= Stage::CvSquares {
            // Once Σ CV² is fixed, no single term can exceed it: that bounds
            // each deviation and tightens the split below.
            let cap = fixed.cv_squares.map(cv_squares_cap);
            let cv = self.objective_cv_squares(&mut vars, &mut hd, &mut constraints, cap);
            if let Some(cap) = cap {
                constraints.push(named(cv.clone().leq(cap), "fixed_cv_squares"));
            }
            objective = cv;
        }
        if stage == Stage::Distance {
            self.add_free_flows(&mut vars, &mut hd, &mut constraints);
            objective = self.objective_distance(&hd);
        }
        StageModel { vars, objective, constraints, handles: hd }
    }

    /// Objective 1: counted sections that comply (6 of 7 reach, none below 85 %).
    fn objective_compliance(
        &self,
        vars: &mut ProblemVariables,
        hd: &mut Handles,
        out: &mut Vec<Constraint>,
    ) -> Expression {
        let mut total = Expression::with_capacity(self.sections.len());
        for (s, sec) in self.sections.iter().enumerate() {
            if !sec.counted || sec.facility_misses >= 2 || sec.facility_below85 {
                continue;
            }
            let y = vars.add(variable().binary());
            hd.y[s] = Some(y);
            total.add_mul(1.0, y);
            let mut reached = Expression::with_capacity(3);
            for k in 0..3 {
                let t = sec.thresholds[k];
                let count = self.count(hd, s, k);
                if t.floor85 > 0 {
                    let mut e = count.clone();
                    e.add_mul(-(t.floor85 as f64), y);
                    out.push(named(e.geq(0.0), "compliance_floor85"));
                }
                if t.full == 0 {
                    reached += 1.0;
                } else {
                    let r = vars.add(variable().binary());
                    let mut e = count;
                    e.add_mul(-(t.full as f64), r);
                    out.push(named(e.geq(0.0), "compliance_reach"));
                    reached.add_mul(1.0, r);
                }
            }
            let mut e = reached;
            e.add_mul(-(2.0 + sec.facility_misses as f64), y);
            out.push(named(e.geq(0.0), "compliance_six_of_seven"));
        }
        total
    }

    /// Objective 2: Σ over counted sections and teacher indicators of max(0, full − count).
    fn objective_shortfall(&self, vars: &mut ProblemVariables, hd: &Handles, out: &mut Vec<Constraint>) -> Expression {
        let mut total = Expression::with_capacity(self.sections.len() * 3);
        for (s, sec) in self.sections.iter().enumerate() {
            if !sec.counted {
                continue;
            }
            for k in 0..3 {
                let full = sec.thresholds[k].full as f64;
                if full == 0.0 {
                    continue;
                }
                let sh = vars.add(variable().min(0.0));
                let mut e = self.count(hd, s, k);
                e.add_mul(1.0, sh);
                out.push(named(e.geq(full), "shortfall"));
                total.add_mul(1.0, sh);
            }
        }
        total
    }

    /// Objective 3: Σ over levels and teacher indicators of CV² =
    /// (P / C²) Σ cᵢ²/Pᵢ − 1 (0 where C is 0), exact at integer counts: each count is written as
    /// lo + Σ unit columns with increasing costs (2(lo + j) + 1)/Pᵢ; where the
    /// level total C can change, one binary per reachable C selects the cut.
    fn objective_cv_squares(
        &self,
        vars: &mut ProblemVariables,
        hd: &mut Handles,
        out: &mut Vec<Constraint>,
        cap: Option<f64>,
    ) -> Expression {
        let mut total = Expression::with_capacity(64);
        for level in Level::BOTH {
            for k in 0..3 {
                let Some(term) = self.cv_term(vars, hd, out, level, k, cap) else { continue };
                total += term;
            }
        }
        total
    }

    /// Bounds (lo, hi) of an indicator count of a section after the plan.
    pub fn count_bounds(&self, s: usize, k: usize) -> (u32, u32) {
        let before = self.sections[s].before.indicator[k];
        let out_k: usize = self.out_of[s]
            .iter()
            .filter(|&&p| self.profiles[p].flags[k])
            .map(|&p| self.profiles[p].members.len())
            .sum();
        let out_all: usize = self.out_of[s].iter().map(|&p| self.profiles[p].members.len()).sum();
        let avail_in: usize = self.into[s]
            .iter()
            .filter(|(p, _)| self.profiles[*p].flags[k])
            .map(|(p, _)| self.profiles[*p].members.len())
            .sum();
        let tol = self.county.policy.movement.headcount_tolerance as usize;
        let hires_k: usize = self.hire_into[s]
            .iter()
            .filter(|(g, _)| self.hires[*g].flags()[k])
            .map(|(g, _)| self.hires[*g].ids.len())
            .sum();
        let hires_k = self.hire_budget.map_or(hires_k, |b| hires_k.min(b as usize));
        let max_moves = self.max_moves as usize;
        let lo = before as usize - out_k.min(max_moves);
        let hi = before as usize + avail_in.min(out_all + tol).min(max_moves) + hires_k;
        (lo as u32, hi as u32)
    }

    /// Σ cᵢ²/Pᵢ of a level and indicator as a convex piecewise-linear sum, the
    /// counted total C, and (where C can change) one binary per reachable C.
    fn cv_parts(
        &self,
        vars: &mut ProblemVariables,
        hd: &mut Handles,
        out: &mut Vec<Constraint>,
        level: Level,
        k: usize,
    ) -> Option<CvParts> {
        let counted: Vec<usize> =
            (0..self.sections.len()).filter(|&s| self.sections[s].level == level && self.sections[s].counted).collect();
        if counted.is_empty() {
            return None;
        }
        let p_total: f64 = counted.iter().map(|&s| self.sections[s].students as f64).sum();
        let mut q = Expression::with_capacity(counted.len() * 4);
        let mut q_max = 0.0;
        let mut c_total = Expression::with_capacity(counted.len());
        for &s in &counted {
            let p = self.sections[s].students as f64;
            let (lo, hi) = self.count_bounds(s, k);
            q += (lo as f64) * (lo as f64) / p;
            q_max += (hi as f64) * (hi as f64) / p;
            let mut c = Expression::from(lo as f64);
            let mut units = Vec::with_capacity((hi - lo) as usize);
            for j in lo..hi {
                let u = vars.add(variable().min(0.0).max(1.0));
                q.add_mul((2.0 * j as f64 + 1.0) / p, u);
                c.add_mul(1.0, u);
                units.push(u);
            }
            hd.units.insert((s, k), (lo, units));
            if hi > lo {
                out.push(named(c.clone().eq(self.count(hd, s, k)), "cv_count_link"));
            }
            c_total += self.count(hd, s, k);
        }
        let (c_lo, c_hi) = self.total_bounds(level, k, &counted);
        let mut selectors = Vec::new();
        if c_lo < c_hi {
            let mut pick = Expression::with_capacity((c_hi - c_lo + 1) as usize);
            let mut value = Expression::with_capacity((c_hi - c_lo + 1) as usize);
            for v in c_lo..=c_hi {
                let z = vars.add(variable().binary());
                pick.add_mul(1.0, z);
                value.add_mul(v as f64, z);
                selectors.push((v, z));
            }
            out.push(named(pick.eq(1.0), "cv_total_select"));
            out.push(named(value.eq(c_total), "cv_total_select"));
        }
        Some(CvParts { q, q_max, p_total, c_lo, selectors })
    }

    fn cv_term(
        &self,
        vars: &mut ProblemVariables,
        hd: &mut Handles,
        out: &mut Vec<Constraint>,
        level: Level,
        k: usize,
        cap: Option<f64>,
    ) -> Option<Expression> {
        let parts = self.cv_parts(vars, hd, out, level, k)?;
        if parts.selectors.is_empty() {
            if parts.c_lo == 0 {
                return None;
            }
            let c = parts.c_lo as f64;
            return Some(parts.q * (parts.p_total / (c * c)) - 1.0);
        }
        // CV² = (P/C²)·D with the deviation D = Q − C²/P ≥ 0, and C² = Σ v²·z_v
        // exactly when one selector is 1, so P·D = P·Q − Σ v²·z_v is linear.
        // It is covered by one part per reachable C, each allowed only where
        // its selector is on: part_v is the CV² at C = v, and
        // Σ v²·part_v ≥ P·D, w ≥ Σ part_v. Exact at integer points, and a
        // tight relaxation since P/C² varies little over the reachable C.
        // The covering row is divided by C_ref² (numbers near 1).
        let p_total = parts.p_total;
        let c_max = parts.selectors.last().map_or(0, |&(v, _)| v) as f64;
        let c_ref = c_max.max(1.0);
        let mut deviation = parts.q.clone() * (p_total / (c_ref * c_ref));
        for &(v, z) in &parts.selectors {
            deviation.add_mul(-(v as f64 / c_ref).powi(2), z);
        }
        let w = vars.add(variable().min(0.0));
        let mut cover = Expression::with_capacity(parts.selectors.len());
        let mut cost = Expression::from(w);
        for &(v, z) in &parts.selectors {
            if v == 0 {
                // A total of 0 has no CV and costs 0, like a missing CV (and
                // every count is then 0, so P·D = 0).
                continue;
            }
            let v = v as f64;
            // The largest CV² at C = v, or the cap once Σ CV² is fixed.
            let mut most = (parts.q_max * p_total / (v * v) - 1.0).max(0.0);
            if let Some(cap) = cap {
                most = most.min(cap);
            }
            let most = most * (1.0 + 1e-6) + 1e-6;
            let part = vars.add(variable().min(0.0).max(most));
            let mut on = Expression::from(part);
            on.add_mul(-most, z);
            out.push(named(on.leq(0.0), "cv_total_select"));
            cover.add_mul((v / c_ref).powi(2), part);
            cost.add_mul(-1.0, part);
        }
        out.push(named(cover.geq(deviation), "cv_total_select"));
        out.push(named(cost.geq(0.0), "cv_total_select"));
        Some(Expression::from(w))
    }

    /// A binary that is 1 only when the CV of a level and teacher indicator is
    /// within `limit`: CV² ≤ limit² ⇔ P·Q ≤ (1 + limit²)·C².
    fn cv_within(
        &self,
        vars: &mut ProblemVariables,
        hd: &mut Handles,
        out: &mut Vec<Constraint>,
        level: Level,
        k: usize,
        limit: f64,
    ) -> Option<Variable> {
        let parts = self.cv_parts(vars, hd, out, level, k)?;
        let ok = vars.add(variable().binary());
        let factor = 1.0 + limit * limit;
        let big_m = parts.p_total * parts.q_max;
        let lhs = parts.q.clone() * parts.p_total;
        if parts.selectors.is_empty() {
            let c = parts.c_lo as f64;
            let mut e = lhs;
            e.add_mul(big_m, ok);
            out.push(named(e.leq(factor * c * c + big_m), "cv_limit"));
        } else {
            for &(v, z) in &parts.selectors {
                let mut e = lhs.clone();
                e.add_mul(big_m, ok);
                e.add_mul(big_m, z);
                out.push(named(e.leq(factor * (v as f64) * (v as f64) + 2.0 * big_m), "cv_limit"));
            }
        }
        Some(ok)
    }

    /// The hires search (SPEC §6 `hires`): phase 1 maximises the counted
    /// sections that comply plus the teacher CVs within their limits with at
    /// most `hire_budget` hires; phase 2 keeps that score and minimises the hires.
    pub fn build_hires(&self, min_score: Option<u32>) -> (StageModel, Vec<(Level, TeacherIndicator, Variable)>) {
        let (mut vars, mut hd, mut constraints) = self.hard_rules(true);
        let mut score = self.objective_compliance(&mut vars, &mut hd, &mut constraints);
        let mut within = Vec::new();
        for level in Level::BOTH {
            let limit = crate::exact::to_f64(&self.county.policy.standards.cv_limit.get(level));
            for k in TeacherIndicator::ALL {
                if let Some(ok) = self.cv_within(&mut vars, &mut hd, &mut constraints, level, k.index(), limit) {
                    score.add_mul(1.0, ok);
                    within.push((level, k, ok));
                }
            }
        }
        let objective = match min_score {
            None => -score,
            Some(target) => {
                constraints.push(named(score.geq(target as f64), "fixed_score"));
                self.total_hires(&hd)
            }
        };
        (StageModel { vars, objective, constraints, handles: hd }, within)
    }

    /// Reachable range of a level's counted total of an indicator.
    fn total_bounds(&self, level: Level, k: usize, counted: &[usize]) -> (u32, u32) {
        let c0: u32 = counted.iter().map(|&s| self.sections[s].before.indicator[k]).sum();
        let max_moves = self.max_moves as usize;
        let mut leave = 0usize;
        let mut enter = 0usize;
        for p in &self.profiles {
            if !p.flags[k] || self.sections[p.section].level != level {
                continue;
            }
            let from_counted = self.sections[p.section].counted;
            if p.destinations.iter().any(|d| self.sections[d.section].counted != from_counted) {
                if from_counted {
                    leave += p.members.len();
                } else {
                    enter += p.members.len();
                }
            }
        }
        let mut hires_counted = 0usize;
        let mut hires_any = 0usize;
        for (g, dests) in self.hires.iter().zip(&self.hire_destinations) {
            if g.level != level || !g.flags()[k] {
                continue;
            }
            let n = g.ids.len();
            if self.hire_budget.is_none() && dests.iter().all(|&d| self.sections[d].counted) {
                hires_counted += n;
            } else {
                hires_any += n;
            }
        }
        let hires_any = self.hire_budget.map_or(hires_any, |b| hires_any.min(b as usize));
        // Rule 5 bounds what uncounted sections can take in: arrivals ≤ departures + tolerance.
        let tol = self.county.policy.movement.headcount_tolerance as usize;
        let intake: usize = (0..self.sections.len())
            .filter(|&s| self.sections[s].level == level && !self.sections[s].counted)
            .map(|s| self.out_of[s].iter().map(|&p| self.profiles[p].members.len()).sum::<usize>() + tol)
            .sum();
        let leave = leave.min(intake);
        let lo = c0 as usize + hires_counted - leave.min(max_moves);
        let hi = c0 as usize + hires_counted + hires_any + enter.min(max_moves);
        (lo as u32, hi as u32)
    }

    /// Objective 4: total km of the moves (unknown distances count 0).
    fn objective_distance(&self, hd: &Handles) -> Expression {
        let mut e = Expression::with_capacity(64);
        for (p, profile) in self.profiles.iter().enumerate() {
            for (j, d) in profile.destinations.iter().enumerate() {
                if let Some(km) = d.km {
                    e.add_mul(km, hd.x[p][j]);
                }
            }
        }
        e
    }
}
