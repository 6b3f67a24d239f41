//! The county as the solver sees it ([`Instance`]): school sections with
//! their figures, profiles of interchangeable movable teachers with their
//! allowed destinations, hires, and the bounds of rule 3. Built in named
//! steps; where a hard rule decides who may move where (rules 1, 2 and 7),
//! the step calls that rule's function in [`super::hard_rules`].

use std::collections::{BTreeMap, BTreeSet};

use crate::domain::changes::HireGroup;
use crate::domain::policy::ReturnsMode;
use crate::domain::{County, Level, Lock, Role, Subject, TeacherIndicator};
use crate::rules::distance::Distances;
use crate::rules::indicators::{self, SectionCounts, Standing, Thresholds};

use super::hard_rules::{self, LockProblem};
use super::voice::{order_profiles, OrderGroup};
use super::AGGREGATE_ABOVE;

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

/// A teacher on exchange whose term ends this year (a register row with
/// `returns_in(year)`): leaves the host section for the home school's.
#[derive(Clone, Debug, PartialEq)]
pub struct DueReturn {
    /// Teacher index.
    pub teacher: usize,
    /// Host school position (teachers.csv's school).
    pub host: usize,
    /// Home school position.
    pub home: usize,
    /// Section index at the host (None when the host has no such section).
    pub host_section: Option<usize>,
    /// Section index at home (None when the home school has no such section).
    pub home_section: Option<usize>,
    /// Subject.
    pub subject: Subject,
    /// Indicator membership (higher_degree, backbone, pe_arts).
    pub flags: [bool; 3],
    /// Full-time: counts in the indicators and subject floors.
    pub full_time: bool,
    /// With `exchange.returns = "optional"`: a binary chooses return or extend.
    pub optional: bool,
    /// The register's start year.
    pub start_year: i32,
    /// The register's end year.
    pub end_year: i32,
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
    /// Role at the school: principals and vice principals are profiles of
    /// their own and move role for role (rule `principals`).
    pub role: Role,
    /// Teacher indices, longest service at the school first, then id.
    pub members: Vec<usize>,
    /// Lock of a profile of one.
    pub lock: ProfileLock,
    /// Allowed destinations, by section index.
    pub destinations: Vec<Destination>,
    /// A profile of one whose own flows the objective or a rule reads (a
    /// teacher with wishes, or in a family tie): its flow columns are
    /// binary and always written out.
    pub single: bool,
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
    /// In a levers search: per section, the most degree upgrades and
    /// backbone designations it may get (see [`super::levers`]); None otherwise.
    pub lever_room: Option<Vec<[u32; 2]>>,
    /// E: eligible teachers, locked or not (principals and vice principals
    /// only with `principals.count_in_teachers`).
    pub eligible: usize,
    /// ⌈min_share × E⌉.
    pub min_moves: u32,
    /// ⌈max_share × E⌉.
    pub max_moves: u32,
    /// Eligible principals and vice principals, locked or not.
    pub principals_eligible: usize,
    /// ⌈principals.min_share × their E⌉ and ⌈principals.max_share × their E⌉.
    pub principal_moves: (u32, u32),
    /// Headcount on the roll of each school before the plan.
    pub headcount_before: Vec<u32>,
    /// Returns due this year, by host school id then teacher id.
    pub returns: Vec<DueReturn>,
    /// Locks that no plan can keep, found while building.
    pub lock_conflicts: Vec<LockProblem>,
    /// Teachers locked to stay who are eligible.
    pub stay_locked: usize,
    /// Next year's instance of a two-year plan: what this year's moves
    /// carry into each count (see [`super::horizon`]); None otherwise.
    pub carried: Option<Box<super::horizon::Carried>>,
    /// Whether free profiles go without flow columns before the distance
    /// stage (by default on counties with more than [`AGGREGATE_ABOVE`]
    /// possible flows, where it makes the model ten times smaller; on a
    /// small county HiGHS does as well or better with every flow written).
    pub aggregate: bool,
    /// Stability against a published list (`replan`; None otherwise).
    pub stability: Option<super::stability::Stability>,
    /// The groups of interchangeable teachers in the published order.
    pub order_groups: Vec<super::voice::OrderGroup>,
    /// Teachers in a family tie (profiles of one outside the order).
    pub tied: BTreeSet<usize>,
    /// Senior, young and old full-time teachers of each section before the
    /// plan (the structure stage's counts).
    pub structure_before: Vec<[u32; 3]>,
    pub(super) into: Vec<Vec<(usize, usize)>>,
    pub(super) hire_into: Vec<Vec<(usize, usize)>>,
    pub(super) out_of: Vec<Vec<usize>>,
}

pub use crate::rules::curriculum::subject_need;

impl<'a> Instance<'a> {
    /// Builds the instance of a county, with optional hires to place.
    pub fn new(county: &'a County, hires: Vec<HireGroup>) -> Instance<'a> {
        Self::build_instance(county, hires, false, &BTreeSet::new())
    }

    /// Like [`Instance::new`], but each teacher of `singles` (indices) who
    /// may move is a profile of its own, as a locked teacher is (`replan`
    /// reads the published movers' flows to their published schools).
    pub fn with_singles(county: &'a County, hires: Vec<HireGroup>, singles: &BTreeSet<usize>) -> Instance<'a> {
        Self::build_instance(county, hires, false, singles)
    }

    /// The instance for the diagnosis: like [`Instance::new`], but a move
    /// between schools with no road path (roads.csv) that the other movement
    /// rules allow is kept as a destination, its flow held at 0 by a `roads`
    /// row that the diagnosis may relax, so that it can say when the missing
    /// roads are what makes a plan impossible.
    pub fn with_road_gaps(county: &'a County, hires: Vec<HireGroup>) -> Instance<'a> {
        Self::build_instance(county, hires, true, &BTreeSet::new())
    }

    /// Whether some destination has no road path (only in an instance built
    /// by [`Instance::with_road_gaps`]).
    pub fn has_road_gaps(&self) -> bool {
        self.profiles.iter().any(|p| p.destinations.iter().any(|d| d.no_path))
    }

    fn build_instance(
        county: &'a County,
        hires: Vec<HireGroup>,
        road_gaps: bool,
        singles: &BTreeSet<usize>,
    ) -> Instance<'a> {
        let policy = &county.policy;
        let (mut sections, section_of) = section_infos(county);
        let headcount_before = count_staff(county, &section_of, &mut sections);
        fill_needs(county, &mut sections);
        let returns = due_returns(county, &section_of);
        let tied = super::voice::family_members(county);
        let movers = movers(county, &section_of, &returns, &tied);
        let ways = Ways { county, sections: &sections, distances: Distances::new(county), road_gaps, tied: &tied };
        let (profiles, order_groups, lock_conflicts) = ways.profiles(movers.groups, movers.singles, singles);
        let hire_destinations = hire_destinations(&sections, &hires);
        let (into, out_of, hire_into) = indices(sections.len(), &profiles, &hire_destinations);
        let flows: usize = profiles.iter().map(|p| p.destinations.len()).sum();
        let structure_before = super::structure::structure_before(county, &sections);
        Instance {
            county,
            sections,
            section_of,
            profiles,
            hires,
            hire_destinations,
            hire_budget: None,
            lever_room: None,
            eligible: movers.eligible,
            min_moves: policy.required_moves(movers.eligible),
            max_moves: policy.max_moves(movers.eligible),
            principals_eligible: movers.principals,
            principal_moves: (
                policy.required_principal_moves(movers.principals),
                policy.max_principal_moves(movers.principals),
            ),
            headcount_before,
            returns,
            lock_conflicts,
            stay_locked: movers.stay_locked,
            carried: None,
            aggregate: flows > AGGREGATE_ABOVE,
            stability: None,
            order_groups,
            tied,
            structure_before,
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

    /// The most moves a plan may make, principals' included (rules 3 and
    /// `principals`): a bound for the objectives' ranges.
    pub fn most_moves(&self) -> u32 {
        if self.county.policy.principals.count_in_teachers {
            self.max_moves.max(self.principal_moves.1)
        } else {
            self.max_moves + self.principal_moves.1
        }
    }

    /// Whether profile `p` counts in the teachers' rotation and backbone
    /// shares (rules 3 and 4).
    pub fn in_teachers_share(&self, p: usize) -> bool {
        self.county.policy.in_teachers_share(self.profiles[p].role)
    }

    /// Teachers that locks force to move.
    pub fn forced_moves(&self) -> usize {
        self.profiles.iter().filter(|p| matches!(p.lock, ProfileLock::Move | ProfileLock::MoveTo(_))).count()
    }
}

/// Step 1: the school sections in output order, with their figures before
/// the plan, and the section index of each (school, level).
fn section_infos(county: &County) -> (Vec<SectionInfo>, BTreeMap<(usize, Level), usize>) {
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
    (sections, section_of)
}

/// Step 2: the headcount on each school's roll, and the full-time teachers
/// of each subject per section, before the plan.
fn count_staff(
    county: &County,
    section_of: &BTreeMap<(usize, Level), usize>,
    sections: &mut [SectionInfo],
) -> Vec<u32> {
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
    headcount_before
}

/// Step 3: the subject needs of every section (rule 6).
fn fill_needs(county: &County, sections: &mut [SectionInfo]) {
    for sec in sections.iter_mut() {
        for (subject, _, _) in Subject::ALL {
            let need = subject_need(county, sec.school, sec.level, *subject);
            if need > 0 {
                sec.need.insert(*subject, need);
            }
        }
    }
}

/// Step 3b: the returns due this year (register rows with
/// `returns_in(year)` whose teacher and schools are known), by host school
/// id then teacher id.
fn due_returns(county: &County, section_of: &BTreeMap<(usize, Level), usize>) -> Vec<DueReturn> {
    let optional = county.policy.exchange.returns == ReturnsMode::Optional;
    let due: Vec<_> = county.exchanges.iter().filter(|e| e.returns_in(county.policy.year)).collect();
    if due.is_empty() {
        return Vec::new();
    }
    let index: BTreeMap<&str, usize> = county.teachers.iter().enumerate().map(|(i, t)| (t.id.as_str(), i)).collect();
    let mut out = Vec::new();
    let mut seen = std::collections::BTreeSet::new();
    for e in due {
        let Some(&teacher) = index.get(e.teacher_id.as_str()) else { continue };
        let t = &county.teachers[teacher];
        let (Some(host), Some(home)) = (county.school_pos(&t.school_id), county.school_pos(&e.home_school_id)) else {
            continue;
        };
        if host == home || !seen.insert(teacher) {
            continue;
        }
        let section = |school: usize| section_of.get(&(school, t.level)).copied();
        let flags = TeacherIndicator::ALL.map(|k| k.counts(t, t.level));
        out.push(DueReturn {
            teacher,
            host,
            home,
            host_section: section(host),
            home_section: section(home),
            subject: t.subject,
            flags,
            full_time: t.full_time,
            optional,
            start_year: e.start_year,
            end_year: e.end_year,
        });
    }
    out.sort_by(|a, b| {
        let key = |r: &DueReturn| (&county.schools[r.host].id, &county.teachers[r.teacher].id);
        key(a).cmp(&key(b))
    });
    out
}

/// A group of interchangeable movers: section, subject, indicator flags, role.
pub(super) type GroupKey = (usize, Subject, [bool; 3], Role);

/// The movable teachers, as step 4 finds them.
struct Movers {
    /// E: eligible teachers, locked or not (as [`Instance::eligible`]).
    eligible: usize,
    /// Eligible principals and vice principals, locked or not.
    principals: usize,
    /// Eligible teachers locked to stay.
    stay_locked: usize,
    /// Unlocked movers by (section, subject, indicator flags), in teacher order.
    groups: BTreeMap<GroupKey, Vec<usize>>,
    /// Locked movers: section, teacher, lock, and the schools their forbid
    /// locks name (which hold whatever other lock they have).
    singles: Vec<(usize, usize, ProfileLock, Vec<usize>)>,
}

/// Step 4: who may move (rule 1: the eligible; rule 7: not those locked to
/// stay), grouped into interchangeable teachers, the locked ones apart.
/// A teacher whose return is due is not eligible while on exchange: never
/// a mover, not in E.
fn movers(
    county: &County,
    section_of: &BTreeMap<(usize, Level), usize>,
    returns: &[DueReturn],
    tied: &BTreeSet<usize>,
) -> Movers {
    let mut locks: BTreeMap<&str, Vec<&Lock>> = BTreeMap::new();
    for lock in &county.locks {
        locks.entry(lock.teacher_id.as_str()).or_default().push(lock);
    }
    let register = crate::rules::eligibility::register(county);
    let mut found = Movers { eligible: 0, principals: 0, stay_locked: 0, groups: BTreeMap::new(), singles: Vec::new() };
    let mut returning = vec![false; county.teachers.len()];
    for r in returns {
        returning[r.teacher] = true;
    }
    for (i, t) in county.teachers.iter().enumerate() {
        if !hard_rules::rule_eligible(t, &county.policy, register.get(t.id.as_str()).copied()) || returning[i] {
            continue;
        }
        if county.policy.in_teachers_share(t.role) {
            found.eligible += 1;
        }
        if t.role != Role::Teacher {
            found.principals += 1;
        }
        let Some(pos) = county.school_pos(&t.school_id) else { continue };
        let Some(&section) = section_of.get(&(pos, t.level)) else { continue };
        let flags = TeacherIndicator::ALL.map(|k| k.counts(t, t.level));
        let mine = locks.get(t.id.as_str()).cloned().unwrap_or_default();
        let Some((lock, forbidden)) = hard_rules::rule_locks_of(county, &mine) else {
            found.stay_locked += 1;
            continue;
        };
        if lock == ProfileLock::None && !tied.contains(&i) {
            found.groups.entry((section, t.subject, flags, t.role)).or_default().push(i);
        } else {
            found.singles.push((section, i, lock, forbidden));
        }
    }
    found
}

/// Steps 5 and 6: where movers may go (rules 1, 2 and 7), as profiles.
struct Ways<'c> {
    county: &'c County,
    sections: &'c [SectionInfo],
    distances: Distances,
    /// Keep destinations with no road path (the diagnosis's instance).
    road_gaps: bool,
    /// Teachers in a family tie.
    tied: &'c BTreeSet<usize>,
}

impl Ways<'_> {
    /// Step 5: the allowed destinations of a mover of `section` with `lock`.
    fn destinations(&self, section: usize, lock: &ProfileLock, forbidden: &[usize]) -> Vec<Destination> {
        let from = &self.sections[section];
        let mut out = Vec::new();
        for (d, to) in self.sections.iter().enumerate() {
            if !hard_rules::rule_other_school(from, to) || !hard_rules::rule_lock_allows(lock, forbidden, to.school) {
                continue;
            }
            out.extend(hard_rules::rule_movement(self.county, &self.distances, from, (d, to), self.road_gaps));
        }
        out
    }

    /// Step 6: the profiles, unlocked groups first, then one per locked
    /// teacher, and the locks that no plan can keep.
    fn profiles(
        &self,
        groups: BTreeMap<GroupKey, Vec<usize>>,
        singles: Vec<(usize, usize, ProfileLock, Vec<usize>)>,
        published: &BTreeSet<usize>,
    ) -> (Vec<Profile>, Vec<OrderGroup>, Vec<LockProblem>) {
        let county = self.county;
        let mut profiles = Vec::new();
        let free = |section| self.destinations(section, &ProfileLock::None, &[]);
        let order_groups = order_profiles(county, groups, published, free, &mut profiles);
        let mut lock_conflicts = Vec::new();
        for (section, teacher, lock, forbidden) in singles {
            let t = &county.teachers[teacher];
            let destinations = self.destinations(section, &lock, &forbidden);
            if destinations.is_empty() {
                let from = self.sections[section].school;
                let problem = hard_rules::rule_lock_problem(county, &self.distances, t, from, &lock, &forbidden);
                lock_conflicts.extend(problem);
            }
            let flags = TeacherIndicator::ALL.map(|k| k.counts(t, t.level));
            let single =
                self.tied.contains(&teacher) || county.application_of(&t.id).is_some_and(|a| !a.wishes.is_empty());
            let members = vec![teacher];
            let (subject, role) = (t.subject, t.role);
            profiles.push(Profile { section, subject, flags, role, members, lock, destinations, single });
        }
        (profiles, order_groups, lock_conflicts)
    }
}

/// Step 7: the allowed sections of each hire group.
fn hire_destinations(sections: &[SectionInfo], hires: &[HireGroup]) -> Vec<Vec<usize>> {
    hires
        .iter()
        .map(|g| {
            (0..sections.len())
                .filter(|&s| sections[s].level == g.level && g.school.is_none_or(|school| sections[s].school == school))
                .collect()
        })
        .collect()
}

/// Index lists of each section: the flows into it, the profiles leaving it,
/// the hire columns into it.
type Indices = (Vec<Vec<(usize, usize)>>, Vec<Vec<usize>>, Vec<Vec<(usize, usize)>>);

/// Step 8: per section, the (profile, destination) flows into it, the
/// profiles out of it, and the (hire group, destination) columns into it.
pub(super) fn indices(sections: usize, profiles: &[Profile], hire_destinations: &[Vec<usize>]) -> Indices {
    let mut into = vec![Vec::new(); sections];
    let mut out_of = vec![Vec::new(); sections];
    for (p, profile) in profiles.iter().enumerate() {
        out_of[profile.section].push(p);
        for (j, d) in profile.destinations.iter().enumerate() {
            into[d.section].push((p, j));
        }
    }
    let mut hire_into = vec![Vec::new(); sections];
    for (g, dests) in hire_destinations.iter().enumerate() {
        for (j, &s) in dests.iter().enumerate() {
            hire_into[s].push((g, j));
        }
    }
    (into, out_of, hire_into)
}
