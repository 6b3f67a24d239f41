//! The hard rules 1–7 of SPEC §4, one function per rule (`rule_…`), each
//! row named by its [`Rule`]. Rules 1, 2 and 7 act partly while the
//! instance is built (who may move, and where): those parts are functions
//! here too (`rule_…` without `self`), called by [`super::instance`].

use std::collections::BTreeMap;

use good_lp::{variable, Constraint, Expression, ProblemVariables, Variable};

use crate::domain::policy::Policy;
use crate::domain::{Area, County, Exchange, Level, Lock, LockAction, Role, School, Subject, Teacher};
use crate::rules::distance::Distances;
use crate::rules::eligibility::is_eligible_with;
use crate::rules::rule::Rule;

use super::instance::{Destination, Instance, ProfileLock, SectionInfo};
use super::{aggregate_column, flow_column, named, Arrival, Handles, Kind};

/// Departures per profile, arrival columns per section, and the restricted
/// profiles' flows into each arrival column.
type Integers = (Vec<Variable>, Vec<Vec<Arrival<Variable>>>, Vec<Vec<Expression>>);

// ---------------------------------------------------------------- rule 1

/// Rule 1 while building: only eligible teachers enter the model as movers
/// (a teacher on exchange is not eligible).
pub(super) fn rule_eligible(teacher: &Teacher, policy: &Policy, exchange: Option<&Exchange>) -> bool {
    is_eligible_with(teacher, policy, exchange)
}

/// Rule 1 while building: never to the own school, nor to its other section.
pub(super) fn rule_other_school(from: &SectionInfo, to: &SectionInfo) -> bool {
    to.school != from.school
}

// ---------------------------------------------------------------- rule 2

/// Rule 2 while building: section `d` (`to`) as a destination of a mover
/// of section `from`, when it has the mover's section and the movement
/// rules allow it. In the diagnosis's instance (`road_gaps`) a destination
/// with no road path that the other movement rules allow is kept too, marked
/// `no_path` (a `roads` row then holds its flow at 0).
pub(super) fn rule_movement(
    county: &County,
    distances: &Distances,
    from: &SectionInfo,
    (d, to): (usize, &SectionInfo),
    road_gaps: bool,
) -> Option<Destination> {
    if to.level != from.level {
        return None;
    }
    let (from_school, to_school) = (&county.schools[from.school], &county.schools[to.school]);
    let km = distances.km(from.school, to.school);
    let no_path = !distances.joined(from.school, to.school);
    if !movement_allowed(county, from_school, to_school, km, !no_path) {
        // Some(0.0): the other movement rules, without the path.
        if !(road_gaps && no_path && movement_allowed(county, from_school, to_school, Some(0.0), true)) {
            return None;
        }
    }
    Some(Destination { section: d, km, no_path })
}

/// Rule 2: the destination is within the distance limit and the alliance;
/// with roads.csv, a pair with no road path (`joined` false) is not an
/// allowed move (SPEC §2), whatever max_distance_km is. `km` is the
/// distance when known.
pub fn movement_allowed(county: &County, from: &School, to: &School, km: Option<f64>, joined: bool) -> bool {
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

// ---------------------------------------------------------------- rule 7

/// Rule 7 while building: a teacher's locks as the lock of its profile and
/// the schools its forbid locks name (which hold whatever other lock it
/// has); None when a stay lock keeps the teacher out of the model.
pub(super) fn rule_locks_of(county: &County, mine: &[&Lock]) -> Option<(ProfileLock, Vec<usize>)> {
    if mine.iter().any(|l| l.action == LockAction::Stay) {
        return None;
    }
    let target = |l: &Lock| l.school_id.as_deref().and_then(|id| county.school_pos(id));
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
    Some((lock, forbidden))
}

/// Rule 7 while building: whether a teacher's locks let it go to `school`.
pub(super) fn rule_lock_allows(lock: &ProfileLock, forbidden: &[usize], school: usize) -> bool {
    !forbidden.contains(&school) && !matches!(lock, ProfileLock::MoveTo(s) if *s != school)
}

/// A lock that no plan can keep, found while the instance is built (rule 7).
#[derive(Clone, Debug, PartialEq)]
pub enum LockProblem {
    /// A move_to lock whose school is not an allowed destination.
    MoveToBlocked {
        /// The teacher.
        teacher: String,
        /// The lock's school.
        school: String,
        /// Why the move is not allowed.
        why: Blocked,
    },
    /// A move lock with no allowed destination.
    MoveBlocked {
        /// The teacher.
        teacher: String,
        /// The teacher's section.
        level: Level,
        /// The schools its forbid locks name.
        forbidden: Vec<String>,
        /// Whether roads.csv is given (a move then needs a road path).
        roads: bool,
    },
}

/// Why a move between two schools is not allowed (rules 1, 2 and 7).
#[derive(Clone, Debug, PartialEq)]
pub enum Blocked {
    /// A forbid lock names the school too.
    Forbidden,
    /// The school has no section of the teacher's level.
    NoSection {
        /// The school.
        school: String,
        /// The missing section.
        level: Level,
    },
    /// It is the teacher's own school.
    OwnSchool,
    /// roads.csv has no road path between the schools.
    NoRoadPath {
        /// From.
        from: String,
        /// To.
        to: String,
    },
    /// The distance is unknown while max_distance_km is set.
    UnknownDistance,
    /// Farther than max_distance_km.
    TooFar {
        /// The distance.
        km: f64,
        /// max_distance_km.
        limit: f64,
    },
    /// The schools are in different alliances (or none).
    OtherAlliance {
        /// The teacher's school's alliance.
        from: Option<String>,
        /// The lock's school's alliance.
        to: Option<String>,
    },
    /// Some other movement rule.
    Movement,
}

/// Rule 7 while building: a move or move_to lock of a teacher (at school
/// `from`) left with no allowed destination can never hold.
pub(super) fn rule_lock_problem(
    county: &County,
    distances: &Distances,
    t: &Teacher,
    from: usize,
    lock: &ProfileLock,
    forbidden: &[usize],
) -> Option<LockProblem> {
    let from = &county.schools[from];
    match lock {
        ProfileLock::MoveTo(target) => {
            let school = &county.schools[*target];
            let why = if forbidden.contains(target) {
                Blocked::Forbidden
            } else {
                why_not_allowed(county, from, school, t.level, distances)
            };
            Some(LockProblem::MoveToBlocked { teacher: t.id.clone(), school: school.id.clone(), why })
        }
        ProfileLock::Move => Some(LockProblem::MoveBlocked {
            teacher: t.id.clone(),
            level: t.level,
            forbidden: forbidden.iter().map(|&f| county.schools[f].id.clone()).collect(),
            roads: !county.roads.is_empty(),
        }),
        _ => None,
    }
}

/// Why a move between two schools is not allowed (rules 1 and 2).
fn why_not_allowed(county: &County, from: &School, to: &School, level: Level, distances: &Distances) -> Blocked {
    if !to.has(level) {
        return Blocked::NoSection { school: to.id.clone(), level };
    }
    if from.id == to.id {
        return Blocked::OwnSchool;
    }
    let m = &county.policy.movement;
    let from_pos = county.school_pos(&from.id).unwrap_or(0);
    let to_pos = county.school_pos(&to.id).unwrap_or(0);
    if !distances.joined(from_pos, to_pos) {
        return Blocked::NoRoadPath { from: from.id.clone(), to: to.id.clone() };
    }
    match distances.km(from_pos, to_pos) {
        None if m.max_distance_km > 0.0 => return Blocked::UnknownDistance,
        Some(km) if m.max_distance_km > 0.0 && km > m.max_distance_km => {
            return Blocked::TooFar { km, limit: m.max_distance_km }
        }
        _ => {}
    }
    if m.within_alliance {
        return Blocked::OtherAlliance { from: from.alliance.clone(), to: to.alliance.clone() };
    }
    Blocked::Movement
}

impl Instance<'_> {
    /// The flow and hire variables with every hard rule of SPEC §4, in this
    /// order: rule 2's road rows (diagnosis only), the free transport, then
    /// per profile rule 7's lock row or rule 1's, then rules 3, 4, 5 and 6,
    /// and the hires. Free profiles get no flow columns here (see
    /// [`Instance::add_free_flows`]); `hall` adds the transport condition
    /// that stands in for them.
    ///
    /// `identity`: whether who moves matters beyond their profile's counts
    /// (the voice stages and distance): then the published order holds by
    /// its rows and wish-holders' flows are binary. Before, members of a
    /// group are interchangeable for every objective, so the rows would not
    /// change an optimum and are left out.
    pub(super) fn hard_rules(&self, hall: bool, identity: bool) -> (ProblemVariables, Handles, Vec<Constraint>) {
        let mut vars = ProblemVariables::new();
        let (hd, constraints) = self.hard_rules_in(&mut vars, hall, identity);
        (vars, hd, constraints)
    }

    /// [`Self::hard_rules`] with its columns added to `vars` (a two-year
    /// plan puts both years' columns in one model).
    pub(super) fn hard_rules_in(
        &self,
        vars: &mut ProblemVariables,
        hall: bool,
        identity: bool,
    ) -> (Handles, Vec<Constraint>) {
        let free = self.free_profiles();
        let x = self.flow_columns(vars, &free, identity);
        let mut constraints = Vec::new();
        self.rule_road_path(&x, &mut constraints);
        let (d, a, restricted) = self.departures_and_arrivals(vars, &x, &free, &mut constraints);
        let h: Vec<Vec<Variable>> = self
            .hires
            .iter()
            .zip(&self.hire_destinations)
            .map(|(g, d)| d.iter().map(|_| vars.add(variable().integer().min(0.0).max(g.ids.len() as f64))).collect())
            .collect();
        let r = self.returns.iter().map(|ret| ret.optional.then(|| vars.add(variable().binary()))).collect();
        let hd = Handles {
            x,
            d,
            a,
            h,
            r,
            y: vec![None; self.sections.len()],
            units: BTreeMap::new(),
            structure_units: BTreeMap::new(),
            changes: None,
            grants: BTreeMap::new(),
            ordered: identity,
            reach: Vec::new(),
        };
        if hall {
            self.rule_free_transport(&hd, &free, &restricted, &mut constraints);
        }
        for p in 0..self.profiles.len() {
            // One row per profile: its lock's, or else rule 1's.
            constraints.extend(self.rule_locks(p, &hd).or_else(|| self.rule_move_once(p, &hd)));
        }
        let moves = self.rule_rotation_share(vars, &hd, &mut constraints);
        self.rule_backbone_share(&hd, moves, &mut constraints);
        let departures = |p: usize| Expression::from(hd.d[p]);
        self.rule_direction(&hd.x, &departures, &mut constraints);
        self.rule_principals(&hd, &mut constraints);
        self.rule_headcount(vars, &hd, &mut constraints);
        self.rule_subject_floor(&hd, &mut constraints);
        self.rule_hires_placed(&hd, &mut constraints);
        if identity {
            self.rule_priority(vars, &hd, &mut constraints);
        }
        self.rule_family(&hd, &mut constraints);
        let mut hd = hd;
        hd.changes = self.rule_stability(vars, &hd, &mut constraints);
        (hd, constraints)
    }

    /// A flow column per profile and destination (none for free profiles).
    fn flow_columns(&self, vars: &mut ProblemVariables, free: &[bool], identity: bool) -> Vec<Vec<Variable>> {
        self.profiles
            .iter()
            .zip(free)
            .map(|(p, &free)| {
                let n = p.members.len() as f64;
                if free {
                    Vec::new()
                } else if p.single && (identity || self.tied.contains(&p.members[0])) {
                    p.destinations.iter().map(|_| vars.add(variable().binary())).collect()
                } else if self.direction_rule() || p.role != Role::Teacher {
                    // The direction rule and rule `principals` read these
                    // flows themselves: whole columns (integral departures
                    // and arrivals no longer make them integral).
                    p.destinations.iter().map(|_| vars.add(variable().integer().min(0.0).max(n))).collect()
                } else {
                    p.destinations.iter().map(|_| vars.add(flow_column(n))).collect()
                }
            })
            .collect()
    }

    /// Departures per profile and arrivals per section and type, the
    /// integers: every rule and objective but the distance reads only them.
    /// Also the restricted profiles' flows into each arrival column.
    fn departures_and_arrivals(
        &self,
        vars: &mut ProblemVariables,
        x: &[Vec<Variable>],
        free: &[bool],
        out: &mut Vec<Constraint>,
    ) -> Integers {
        let mut d = Vec::with_capacity(self.profiles.len());
        // Per (section, arrival type): the restricted flows, and the most arrivals.
        let mut arriving: BTreeMap<(usize, Kind), (Expression, usize)> = BTreeMap::new();
        for (p, profile) in self.profiles.iter().enumerate() {
            let n = profile.members.len();
            let dp = vars.add(aggregate_column(n as f64));
            let mut sum = Expression::with_capacity(x[p].len());
            for (j, dest) in profile.destinations.iter().enumerate() {
                let entry = arriving.entry((dest.section, self.arrival_kind(dest.section, profile))).or_default();
                entry.1 += n;
                if !free[p] {
                    sum.add_mul(1.0, x[p][j]);
                    entry.0.add_mul(1.0, x[p][j]);
                }
            }
            if !free[p] {
                out.push(named(sum.eq(dp), "departures_link"));
            }
            d.push(dp);
        }
        let mut a = vec![Vec::new(); self.sections.len()];
        let mut restricted = vec![Vec::new(); self.sections.len()];
        for ((section, (subject, flags, class)), (sum, most)) in arriving {
            let v = vars.add(aggregate_column(most as f64));
            a[section].push((subject, flags, class, v));
            restricted[section].push(sum);
        }
        (d, a, restricted)
    }

    /// Rule 1: each teacher moves at most once: a profile's departures ≤ its
    /// size (None for a profile that rule 7's lock row makes move).
    fn rule_move_once(&self, p: usize, hd: &Handles) -> Option<Constraint> {
        let profile = &self.profiles[p];
        let most = profile.members.len() as f64;
        let forced = matches!(profile.lock, ProfileLock::Move | ProfileLock::MoveTo(_));
        (!forced).then(|| named(Expression::from(hd.d[p]).leq(most), &Rule::MoveOnce.row("")))
    }

    /// Rule 7: a move or move_to lock makes its teacher move (the lock's
    /// school and its forbid locks are the profile's destinations; a stay
    /// lock keeps the teacher out of the model).
    fn rule_locks(&self, p: usize, hd: &Handles) -> Option<Constraint> {
        let profile = &self.profiles[p];
        let forced = matches!(profile.lock, ProfileLock::Move | ProfileLock::MoveTo(_));
        let teacher = &self.county.teachers[profile.members[0]].id;
        forced.then(|| named(Expression::from(hd.d[p]).eq(1.0), &Rule::Locks.row(teacher)))
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
            if profile.flags[1] && self.in_teachers_share(p) {
                e.add_mul(b, hd.d[p]);
            }
        }
        e.add_mul(-a, moves);
        out.push(named(e.geq(0.0), &Rule::BackboneShare.row("")));
    }

    /// Whether the direction rule holds (`rotation.to_rural_min_share` > 0).
    /// It reads the flows: then no profile goes without flow columns.
    pub fn direction_rule(&self) -> bool {
        *self.county.policy.rotation.to_rural_min_share.numer() > 0
    }

    /// `rotation.to_rural_min_share` (rule `direction`, county plan items 3
    /// and 26): flows from urban and town schools to rural ones ≥ share ×
    /// moves, and the same among backbone teachers, exactly (a/b: b·R ≥
    /// a·M). `d` gives a profile's departures; a missing flow column counts
    /// 0. Due returns are not moves and stay out. No rows at share 0.
    pub(super) fn rule_direction(
        &self,
        x: &[Vec<Variable>],
        d: &dyn Fn(usize) -> Expression,
        out: &mut Vec<Constraint>,
    ) {
        if !self.direction_rule() {
            return;
        }
        let share = self.county.policy.rotation.to_rural_min_share;
        let (a, b) = (*share.numer() as f64, *share.denom() as f64);
        let area = |section: usize| self.county.schools[self.sections[section].school].area;
        let (mut all, mut backbone) = (Expression::with_capacity(64), Expression::with_capacity(64));
        for (p, profile) in self.profiles.iter().enumerate() {
            all -= d(p) * a;
            if profile.flags[1] {
                backbone -= d(p) * a;
            }
            if area(profile.section) == Area::Rural {
                continue;
            }
            for (dest, &v) in profile.destinations.iter().zip(&x[p]) {
                if area(dest.section) == Area::Rural {
                    all.add_mul(b, v);
                    if profile.flags[1] {
                        backbone.add_mul(b, v);
                    }
                }
            }
        }
        out.push(named(all.geq(0.0), &Rule::Direction.row("all")));
        out.push(named(backbone.geq(0.0), &Rule::Direction.row("backbone")));
    }

    /// Rule `principals`: ⌈principals.min_share × E_p⌉ ≤ principals' moves ≤
    /// ⌈principals.max_share × E_p⌉, and role for role: at every school the
    /// principals arriving equal the principals leaving, and the vice
    /// principals arriving the vice principals leaving. Principal profiles
    /// are never free (their flows are whole columns).
    fn rule_principals(&self, hd: &Handles, out: &mut Vec<Constraint>) {
        let mut moves = Expression::with_capacity(8);
        // Per (school, role): arrivals − departures.
        let mut balance: BTreeMap<(usize, Role), Expression> = BTreeMap::new();
        for (p, profile) in self.profiles.iter().enumerate() {
            if profile.role == Role::Teacher {
                continue;
            }
            moves.add_mul(1.0, hd.d[p]);
            let from = self.sections[profile.section].school;
            balance.entry((from, profile.role)).or_default().add_mul(-1.0, hd.d[p]);
            for (dest, &x) in profile.destinations.iter().zip(&hd.x[p]) {
                balance.entry((self.sections[dest.section].school, profile.role)).or_default().add_mul(1.0, x);
            }
        }
        if balance.is_empty() {
            return;
        }
        let (least, most) = self.principal_moves;
        out.push(named(moves.clone().geq(least as f64), &Rule::Principals.row("least")));
        out.push(named(moves.leq(most as f64), &Rule::Principals.row("most")));
        for ((school, role), e) in balance {
            let place = format!("{}:{}", self.county.schools[school].id, role.word());
            out.push(named(e.eq(0.0), &Rule::Principals.row(&place)));
        }
    }

    /// Rule 5: |arrivals − departures| ≤ tolerance per section; headcount ≤
    /// max(staff_quota, before) per school.
    fn rule_headcount(&self, vars: &mut ProblemVariables, hd: &Handles, out: &mut Vec<Constraint>) {
        let tol = self.county.policy.movement.headcount_tolerance as f64;
        let mut school_delta: BTreeMap<usize, Expression> = BTreeMap::new();
        for s in 0..self.sections.len() {
            let returns = self.touched_by_returns(s);
            if self.out_of[s].is_empty() && self.into[s].is_empty() && self.hire_into[s].is_empty() && !returns {
                continue;
            }
            let mut net = Expression::with_capacity(1);
            if !(self.out_of[s].is_empty() && self.into[s].is_empty()) || returns {
                // One variable per section carries arrivals − departures
                // (a return: an arrival at home, a departure at the host).
                let balance = vars.add(variable());
                let flows = self.arrivals(hd, s, |_, _| true) - self.departures(hd, s, |_, _| true)
                    + self.returning(hd, s, |_| true);
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
        // A return to a school without the teacher's section still adds to its headcount.
        for (r, ret) in self.returns.iter().enumerate() {
            if ret.home_section.is_none() {
                let entry = school_delta.entry(ret.home).or_default();
                match hd.r[r] {
                    Some(v) => entry.add_mul(1.0, v),
                    None => *entry += 1.0,
                }
            }
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
        let leaving = self.most_leaving(s, subject);
        leaving > 0 && before.saturating_sub(leaving) < before.min(need)
    }

    /// The most full-time teachers of `subject` who may leave section `s`:
    /// its movers of the subject (at most the moves allowed) and its due
    /// returns of the subject.
    pub(super) fn most_leaving(&self, s: usize, subject: Subject) -> u32 {
        let leaving: usize = self.out_of[s]
            .iter()
            .filter(|&&p| self.profiles[p].subject == subject)
            .map(|&p| self.profiles[p].members.len())
            .sum();
        let returning =
            self.returns.iter().filter(|r| r.host_section == Some(s) && r.full_time && r.subject == subject).count()
                as u32;
        leaving.min(self.most_moves() as usize) as u32 + returning
    }

    /// The arrival type a teacher of `subject` fills at section `s`: the
    /// subject itself where the section's subject floor can bind or its
    /// subject gap can change (with the subject-gaps stage), otherwise
    /// any subject (arrivals of subjects no rule or stage reads there are
    /// interchangeable, which removes symmetric choices). The aggregated
    /// model keeps every subject apart (its Hall conditions are per subject).
    pub(super) fn arrival_class(&self, s: usize, subject: Subject) -> Option<Subject> {
        (self.aggregate || self.floor_can_bind(s, subject) || self.gap_can_change(s, subject)).then_some(subject)
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
                    + self.hired(&hd.h, s, |g| g.subject == subject)
                    + self.returning(hd, s, |r| r.full_time && r.subject == subject);
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
}
