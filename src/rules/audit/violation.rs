//! A broken hard rule as data: the rule, the teacher and school concerned,
//! and the figures ([`Breach`]); `render::diagnosis` words it in zh or en.

use crate::domain::applications::FamilyRule;
use crate::domain::{Exact, Gender, Level, LockAction, Role, SchoolKind, Subject};
use crate::rules::eligibility::Ineligibility;
use crate::rules::rule::Rule;

/// A hard rule that the plan breaks.
#[derive(Clone, Debug, PartialEq)]
pub struct Violation {
    /// The rule.
    pub rule: Rule,
    /// The teacher concerned, when the rule is about one teacher (as the
    /// plan list names it).
    pub teacher_id: Option<String>,
    /// The school concerned: the destination of a move, or the school a
    /// rule about one school names.
    pub school_id: Option<String>,
    /// What is wrong, with the figures.
    pub breach: Breach,
}

/// Where a subject's need comes from (rule 6).
#[derive(Clone, Debug, PartialEq)]
pub enum NeedSource {
    /// staffing.csv.
    Staffing,
    /// No weekly periods of the subject are set for the section: need 0.
    NoPeriods,
    /// ⌈classes × periods / load⌉.
    Periods {
        /// Classes of the section.
        classes: u32,
        /// Weekly periods of the subject.
        periods: Exact,
        /// Full teaching load.
        load: Exact,
    },
}

/// What a violation breaks, with its figures. The teacher is the
/// violation's `teacher_id`, the school its `school_id`.
#[derive(Clone, Debug, PartialEq)]
pub enum Breach {
    /// The teacher is not in teachers.csv.
    UnknownTeacher,
    /// The destination is not in schools.csv.
    UnknownSchool,
    /// The teacher is listed again (first to `first`, again to `again`).
    MovedTwice {
        /// The first destination (the one that counts).
        first: String,
        /// The later one.
        again: String,
    },
    /// The destination is the teacher's own school.
    OwnSchool,
    /// The teacher does not meet a rotation condition.
    Ineligible {
        /// Which.
        reason: Ineligibility,
        /// At the school since.
        since: i32,
        /// Birth year.
        born: i32,
        /// Gender.
        gender: Gender,
        /// The plan's year.
        year: i32,
        /// Year of the last rotation.
        last_rotated: Option<i32>,
    },
    /// The destination has no section of the teacher's level.
    NoSection {
        /// The destination's kind.
        kind: SchoolKind,
        /// The teacher's section.
        level: Level,
    },
    /// roads.csv has no road path from the teacher's school.
    NoRoadPath {
        /// The teacher's school.
        from: String,
    },
    /// The distance is unknown while max_distance_km is set.
    UnknownDistance {
        /// The teacher's school.
        from: String,
        /// max_distance_km.
        limit: f64,
    },
    /// The move is longer than max_distance_km.
    TooFar {
        /// The teacher's school.
        from: String,
        /// The distance.
        km: f64,
        /// max_distance_km.
        limit: f64,
    },
    /// The schools are not in one alliance.
    OtherAlliance {
        /// The teacher's school.
        from: String,
        /// Its alliance.
        from_alliance: Option<String>,
        /// The destination's alliance.
        to_alliance: Option<String>,
    },
    /// Fewer moves than ⌈min_share × E⌉.
    TooFewMoves {
        /// Moves of the plan.
        moves: usize,
        /// ⌈min_share × E⌉.
        least: u32,
        /// min_share.
        share: Exact,
        /// E.
        eligible: usize,
    },
    /// More moves than ⌈max_share × E⌉.
    TooManyMoves {
        /// Moves of the plan.
        moves: usize,
        /// ⌈max_share × E⌉.
        most: u32,
        /// max_share.
        share: Exact,
        /// E.
        eligible: usize,
    },
    /// Principals' and vice principals' moves outside
    /// ⌈principals.min_share × E_p⌉ … ⌈principals.max_share × E_p⌉.
    PrincipalMoves {
        /// Principals and vice principals moved.
        moves: usize,
        /// The bound broken: ⌈share × E_p⌉.
        bound: u32,
        /// The share (principals.min_share or max_share).
        share: Exact,
        /// E_p: eligible principals and vice principals.
        eligible: usize,
        /// Whether the bound is the minimum (too few) or the maximum.
        least: bool,
    },
    /// A school's arrivals of a role differ from its departures of that
    /// role (rule `principals`: role for role).
    RoleUnbalanced {
        /// Principal or vice principal.
        role: Role,
        /// Arriving.
        arrivals: u32,
        /// Leaving.
        departures: u32,
    },
    /// Backbone moves below backbone_min_share × moves.
    BackboneShort {
        /// Backbone moves.
        backbone: usize,
        /// Moves.
        moves: usize,
        /// backbone_min_share.
        share: Exact,
        /// share × moves.
        needed: Exact,
        /// ⌈share × moves⌉.
        whole: u32,
    },
    /// Moves from urban and town schools to rural ones below
    /// to_rural_min_share × moves (of backbone teachers when `backbone`).
    ToRuralShort {
        /// Among backbone moves only.
        backbone: bool,
        /// Moves from urban and town schools to rural ones.
        to_rural: u32,
        /// Moves (backbone moves when `backbone`).
        moves: u32,
        /// to_rural_min_share.
        share: Exact,
        /// share × moves.
        needed: Exact,
        /// ⌈share × moves⌉.
        whole: u32,
    },
    /// A section's arrivals and departures differ by more than the tolerance.
    Unbalanced {
        /// The section.
        level: Level,
        /// Arrivals.
        arrivals: u32,
        /// Departures.
        departures: u32,
        /// headcount_tolerance.
        tolerance: u32,
    },
    /// The school's headcount after the plan exceeds max(staff_quota, before).
    OverQuota {
        /// Headcount after.
        after: u32,
        /// Headcount before.
        before: u32,
        /// staff_quota.
        quota: u32,
    },
    /// A subject below min(before, need) in a section.
    BelowFloor {
        /// The section.
        level: Level,
        /// The subject.
        subject: Subject,
        /// Full-time teachers of the subject after.
        after: u32,
        /// Before.
        before: u32,
        /// The need.
        need: u32,
        /// Where the need comes from.
        source: NeedSource,
    },
    /// The teacher is on exchange and due to return home (school_id): not
    /// eligible to rotate.
    OnExchange {
        /// The register's end year.
        end_year: i32,
    },
    /// With `exchange.returns = "fixed"`, a due return (home: school_id) is
    /// missing from the plan.
    ReturnMissing {
        /// The register's end year.
        end_year: i32,
    },
    /// An extended return names a teacher with no return due this year.
    NoReturnDue,
    /// A lock of locks.csv does not hold (its school is `school_id`).
    LockBroken {
        /// The lock's action.
        action: LockAction,
        /// The teacher's school before the plan.
        home: String,
        /// The teacher's school after the plan.
        now: Option<String>,
        /// Whether the plan moves the teacher.
        moved: bool,
        /// The lock's note.
        note: String,
    },
    /// A family tie of family.csv does not hold after the plan: the
    /// violation's teacher (at `school_id` after the plan) and `other`.
    FamilyApart {
        /// The other teacher of the tie.
        other: String,
        /// The other teacher's school after the plan.
        other_school: String,
        /// The tie's rule.
        rule: FamilyRule,
        /// The towns of the two schools (the teacher's first).
        towns: (String, String),
        /// The distance between the two schools, when known (0 for one school).
        km: Option<f64>,
    },
    /// The teacher (at `school_id`) stays while `moved`, of the same group
    /// of interchangeable teachers but after them in the published order,
    /// moves.
    OutOfOrder {
        /// The teacher of the group who moves.
        moved: String,
        /// What puts the teacher who stays first.
        basis: OrderBasis,
    },
}

/// The criterion of the published order (`rules::priority::order`) that
/// puts a teacher ahead of another.
#[derive(Clone, Debug, PartialEq)]
pub enum OrderBasis {
    /// The teacher who stays volunteers; the one who moves does not.
    Volunteer,
    /// More priority points.
    Points {
        /// Points of the teacher who stays.
        stays: Exact,
        /// Points of the teacher who moves.
        moved: Exact,
    },
    /// Equal points, longer at the school.
    Since {
        /// At the school since (the teacher who stays).
        stays: i32,
        /// At the school since (the teacher who moves).
        moved: i32,
    },
    /// Everything equal but the teacher id, which comes first.
    Id,
}
