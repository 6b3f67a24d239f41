//! What the teachers' applications mean for a plan, as data: per move,
//! whether the teacher volunteered, the wish granted or why each wish was
//! not, and for a moved non-volunteer why no volunteer took the place; for
//! the whole plan, an [`ApplicationsSummary`]. Only for a county with
//! applications (`County::has_applications`); `render` words it.

use std::cell::OnceCell;
use std::collections::{HashMap, HashSet};

use crate::domain::applications::MAX_WISHES;
use crate::domain::{County, Exact, Level, LockAction, Subject, Teacher, TeacherIndicator};
use crate::model::movement_allowed;
use crate::plan::{Move, Plan};
use crate::rules::distance::Distances;
use crate::rules::eligibility::is_eligible_with;
use crate::rules::priority::points;

/// Why a wish school was not the teacher's destination.
#[derive(Clone, Debug, PartialEq)]
pub enum WishBar {
    /// The id names no school of the county.
    UnknownSchool,
    /// The wish is the teacher's own school.
    OwnSchool,
    /// The school has no section of the teacher's level.
    OtherLevel,
    /// A lock sends the teacher to another school (`move_to`).
    LockedElsewhere,
    /// A `forbid` lock names the school.
    LockForbids,
    /// With roads.csv, no road joins the two schools.
    NoRoad,
    /// Farther than `[movement] max_distance_km` (or the distance is unknown).
    TooFar {
        /// The distance, when known.
        km: Option<f64>,
        /// The limit.
        limit: f64,
    },
    /// Outside the teacher's urban–rural alliance (`within_alliance`).
    OtherAlliance,
    /// An allowed destination, but the plan's figures put the teacher
    /// elsewhere (or keep the teacher at the school).
    Placed,
}

/// One wish not granted.
#[derive(Clone, Debug, PartialEq)]
pub struct WishMiss {
    /// Rank, 1 for the first wish.
    pub rank: usize,
    /// The wish's school id as written.
    pub school_id: String,
    /// Its position in `county.schools`, when known.
    pub school: Option<usize>,
    /// Why not.
    pub bar: WishBar,
}

/// What became of a teacher's wishes.
#[derive(Clone, Debug, PartialEq)]
pub enum WishOutcome {
    /// The teacher listed no wish.
    NoWishes,
    /// The destination is the wish of this rank (1 to 5).
    Granted(usize),
    /// None was granted: why, for each wish in rank order.
    NotGranted(Vec<WishMiss>),
}

/// Why a non-volunteer moves rather than a volunteer of the same group
/// (same school, level, subject and indicator flags; eligible).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum NoVolunteerReason {
    /// A lock moves the teacher.
    Locked,
    /// The group has no volunteer.
    NoVolunteer,
    /// All of the group's volunteers (this many) move too.
    VolunteersMove(usize),
    /// Volunteers of the group stay, each held by a hard rule: `family`
    /// by a family tie, `locks` by a lock; `moving` volunteers move.
    VolunteersHeld {
        /// Volunteers of the group who move.
        moving: usize,
        /// Staying volunteers with a family tie.
        family: usize,
        /// Staying volunteers with a lock.
        locks: usize,
    },
    /// This many volunteers of the group stay though no rule holds them
    /// (a list edited by hand).
    VolunteersPassedOver(usize),
}

impl NoVolunteerReason {
    /// The reason's kind, for counting (numbers aside).
    pub fn kind(self) -> &'static str {
        match self {
            NoVolunteerReason::Locked => "locked",
            NoVolunteerReason::NoVolunteer => "no_volunteer",
            NoVolunteerReason::VolunteersMove(_) => "volunteers_move",
            NoVolunteerReason::VolunteersHeld { .. } => "volunteers_held",
            NoVolunteerReason::VolunteersPassedOver(_) => "volunteers_passed_over",
        }
    }

    /// Every kind, in the order outputs list them.
    pub const KINDS: [&'static str; 5] =
        ["locked", "no_volunteer", "volunteers_move", "volunteers_held", "volunteers_passed_over"];
}

/// What the applications say about one move.
#[derive(Clone, Debug, PartialEq)]
pub struct MoveApplication {
    /// The teacher volunteered.
    pub volunteer: bool,
    /// The teacher's priority points.
    pub points: Exact,
    /// The wishes and the destination.
    pub wishes: WishOutcome,
    /// For a non-volunteer: why no volunteer took the place.
    pub no_volunteer: Option<NoVolunteerReason>,
}

/// A group of interchangeable teachers: school, level, subject and the
/// three indicator flags.
type GroupKey<'a> = (&'a str, Level, Subject, [bool; 3]);

/// What is known once per plan for these explanations: who moves, who
/// volunteers, the eligible volunteers of each group, and the distances
/// when a wish needs them.
pub struct Context<'a> {
    county: &'a County,
    moved: Vec<Option<usize>>,
    volunteer: Vec<bool>,
    groups: OnceCell<HashMap<GroupKey<'a>, Vec<usize>>>,
    distances: OnceCell<Distances>,
}

fn group_key(t: &Teacher) -> GroupKey<'_> {
    (t.school_id.as_str(), t.level, t.subject, TeacherIndicator::ALL.map(|k| k.counts(t, t.level)))
}

impl<'a> Context<'a> {
    /// The context of `plan`.
    pub fn new(county: &'a County, plan: &Plan) -> Context<'a> {
        let mut moved = vec![None; county.teachers.len()];
        for m in &plan.moves {
            moved[m.teacher] = Some(m.to);
        }
        let volunteers: HashSet<&str> =
            county.applications.iter().filter(|a| a.volunteer).map(|a| a.teacher_id.as_str()).collect();
        let volunteer = county.teachers.iter().map(|t| volunteers.contains(t.id.as_str())).collect();
        Context { county, moved, volunteer, groups: OnceCell::new(), distances: OnceCell::new() }
    }

    /// The eligible volunteers of each group.
    fn groups(&self) -> &HashMap<GroupKey<'a>, Vec<usize>> {
        self.groups.get_or_init(|| {
            let county = self.county;
            let mut groups: HashMap<GroupKey<'a>, Vec<usize>> = HashMap::new();
            for (i, u) in county.teachers.iter().enumerate() {
                if self.volunteer[i] && is_eligible_with(u, &county.policy, county.exchange_of(&u.id)) {
                    groups.entry(group_key(u)).or_default().push(i);
                }
            }
            groups
        })
    }

    fn distances(&self) -> &Distances {
        self.distances.get_or_init(|| Distances::new(self.county))
    }

    /// Why wish school `id` is not the destination of teacher `teacher` (at
    /// school `from`, moved or not).
    fn bar(&self, teacher: usize, from: Option<usize>, id: &str) -> WishBar {
        let county = self.county;
        let t = &county.teachers[teacher];
        let Some(to) = county.school_pos(id) else { return WishBar::UnknownSchool };
        if Some(to) == from {
            return WishBar::OwnSchool;
        }
        if !county.schools[to].has(t.level) {
            return WishBar::OtherLevel;
        }
        let locks: Vec<_> = county.locks.iter().filter(|l| l.teacher_id == t.id).collect();
        if locks.iter().any(|l| l.action == LockAction::MoveTo && l.school_id.as_deref() != Some(id)) {
            return WishBar::LockedElsewhere;
        }
        if locks.iter().any(|l| l.action == LockAction::Forbid && l.school_id.as_deref() == Some(id)) {
            return WishBar::LockForbids;
        }
        let Some(from) = from else { return WishBar::Placed };
        let (d, policy) = (self.distances(), &county.policy.movement);
        let (from_school, to_school) = (&county.schools[from], &county.schools[to]);
        let km = d.km(from, to);
        if !d.joined(from, to) {
            return WishBar::NoRoad;
        }
        if movement_allowed(county, from_school, to_school, km, true) {
            return WishBar::Placed;
        }
        if policy.max_distance_km > 0.0 && km.is_none_or(|k| k > policy.max_distance_km) {
            return WishBar::TooFar { km, limit: policy.max_distance_km };
        }
        WishBar::OtherAlliance
    }

    /// What became of teacher `teacher`'s wishes, going to `to` (None: stays).
    pub fn wishes(&self, teacher: usize, to: Option<usize>) -> WishOutcome {
        let county = self.county;
        let t = &county.teachers[teacher];
        let Some(a) = county.application_of(&t.id).filter(|a| !a.wishes.is_empty()) else {
            return WishOutcome::NoWishes;
        };
        if let Some(to) = to {
            if let Some(rank) = a.wishes.iter().position(|w| *w == county.schools[to].id) {
                return WishOutcome::Granted(rank + 1);
            }
        }
        let from = county.school_pos(&t.school_id);
        let misses = a
            .wishes
            .iter()
            .enumerate()
            .map(|(i, id)| WishMiss {
                rank: i + 1,
                school_id: id.clone(),
                school: county.school_pos(id),
                bar: self.bar(teacher, from, id),
            })
            .collect();
        WishOutcome::NotGranted(misses)
    }

    /// Why no volunteer took the place of non-volunteer `teacher`.
    pub fn no_volunteer(&self, teacher: usize) -> NoVolunteerReason {
        let county = self.county;
        let t = &county.teachers[teacher];
        let locked = |id: &str| county.locks.iter().any(|l| l.teacher_id == id);
        let moves_by_lock = |id: &str| {
            county.locks.iter().any(|l| l.teacher_id == id && matches!(l.action, LockAction::Move | LockAction::MoveTo))
        };
        if moves_by_lock(&t.id) {
            return NoVolunteerReason::Locked;
        }
        let group: Vec<usize> =
            self.groups().get(&group_key(t)).into_iter().flatten().copied().filter(|&i| i != teacher).collect();
        if group.is_empty() {
            return NoVolunteerReason::NoVolunteer;
        }
        let moving = group.iter().filter(|&&i| self.moved[i].is_some()).count();
        if moving == group.len() {
            return NoVolunteerReason::VolunteersMove(moving);
        }
        let tied = |id: &str| county.family.iter().any(|f| f.teacher_a == id || f.teacher_b == id);
        let (mut family, mut locks, mut free) = (0, 0, 0);
        for &i in group.iter().filter(|&&i| self.moved[i].is_none()) {
            let id = county.teachers[i].id.as_str();
            if locked(id) {
                locks += 1;
            } else if tied(id) {
                family += 1;
            } else {
                free += 1;
            }
        }
        if free > 0 {
            return NoVolunteerReason::VolunteersPassedOver(free);
        }
        NoVolunteerReason::VolunteersHeld { moving, family, locks }
    }

    /// What the applications say about move `m`.
    pub fn explain(&self, m: &Move) -> MoveApplication {
        let t = &self.county.teachers[m.teacher];
        let volunteer = self.volunteer[m.teacher];
        MoveApplication {
            volunteer,
            points: points(self.county, t).total,
            wishes: self.wishes(m.teacher, Some(m.to)),
            no_volunteer: (!volunteer).then(|| self.no_volunteer(m.teacher)),
        }
    }
}

/// One applicant after the plan.
#[derive(Clone, Debug, PartialEq)]
pub struct ApplicantOutcome {
    /// Position of the applicant in `county.applications`.
    pub application: usize,
    /// The teacher (position in `county.teachers`), when the id is known.
    pub teacher: Option<usize>,
    /// Priority points.
    pub points: Exact,
    /// Where the plan moves the teacher (None: stays).
    pub to: Option<usize>,
    /// The rank of the wish granted.
    pub granted: Option<usize>,
    /// Why an applicant the plan does not move stays (None when moved).
    pub stays: Option<StayReason>,
}

/// Why an applicant stays.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StayReason {
    /// Not eligible this year (or on exchange, or the id is unknown).
    NotEligible,
    /// A lock holds the teacher.
    Locked,
    /// In a family tie (outside the published order).
    FamilyTie,
    /// No one of the teacher's group moves this year.
    GroupStays,
    /// The group moves this many, all ahead in the published order.
    OthersAhead(usize),
}

/// Why teacher `t` (who stays) stays, by the group as the auditor defines
/// it: eligible, unlocked teachers outside family ties of one school,
/// level, subject and indicator flags.
fn stay_reason(county: &County, moved: &[Option<usize>], t: usize) -> StayReason {
    let teacher = &county.teachers[t];
    let free = |u: &Teacher| {
        is_eligible_with(u, &county.policy, county.exchange_of(&u.id))
            && !county.exchange_of(&u.id).is_some_and(|e| e.returns_in(county.policy.year))
    };
    if !free(teacher) {
        return StayReason::NotEligible;
    }
    if county.locks.iter().any(|l| l.teacher_id == teacher.id) {
        return StayReason::Locked;
    }
    let tied = |id: &str| county.family.iter().any(|f| f.teacher_a == id || f.teacher_b == id);
    if tied(&teacher.id) {
        return StayReason::FamilyTie;
    }
    let key = group_key(teacher);
    let moving = county
        .teachers
        .iter()
        .enumerate()
        .filter(|(i, u)| moved[*i].is_some() && group_key(u) == key && !tied(&u.id))
        .filter(|(_, u)| !county.locks.iter().any(|l| l.teacher_id == u.id))
        .count();
    if moving == 0 {
        StayReason::GroupStays
    } else {
        StayReason::OthersAhead(moving)
    }
}

/// The applications of a county against a plan, counted.
#[derive(Clone, Debug, PartialEq)]
pub struct ApplicationsSummary {
    /// Teachers with an application.
    pub applicants: usize,
    /// Applicants who volunteer.
    pub volunteers: usize,
    /// Volunteers the plan moves.
    pub volunteers_moved: usize,
    /// Moved teachers who did not volunteer.
    pub non_volunteers_moved: usize,
    /// Those by reason kind ([`NoVolunteerReason::KINDS`] order).
    pub why: [usize; 5],
    /// Moves granted at wish 1 … 5.
    pub granted: [usize; MAX_WISHES],
    /// Applicants who listed at least one wish.
    pub with_wishes: usize,
    /// Applicants with wishes whose place after the plan is none of them.
    pub not_granted: usize,
    /// Of those, the ones the plan moves elsewhere.
    pub moved_elsewhere: usize,
    /// One per application, in file order.
    pub applicants_list: Vec<ApplicantOutcome>,
}

/// The summary of the applications for `plan` (None without applications).
pub fn applications_summary(county: &County, plan: &Plan) -> Option<ApplicationsSummary> {
    if !county.has_applications() {
        return None;
    }
    let context = Context::new(county, plan);
    let mut s = ApplicationsSummary {
        applicants: county.applications.len(),
        volunteers: county.applications.iter().filter(|a| a.volunteer).count(),
        volunteers_moved: 0,
        non_volunteers_moved: 0,
        why: [0; 5],
        granted: [0; MAX_WISHES],
        with_wishes: county.applications.iter().filter(|a| !a.wishes.is_empty()).count(),
        not_granted: 0,
        moved_elsewhere: 0,
        applicants_list: Vec::new(),
    };
    for m in &plan.moves {
        let x = context.explain(m);
        if x.volunteer {
            s.volunteers_moved += 1;
        } else {
            s.non_volunteers_moved += 1;
        }
        if let Some(kind) = x.no_volunteer.map(NoVolunteerReason::kind) {
            s.why[NoVolunteerReason::KINDS.iter().position(|k| *k == kind).unwrap_or(0)] += 1;
        }
        if let WishOutcome::Granted(rank) = x.wishes {
            s.granted[rank - 1] += 1;
        }
    }
    let position: HashMap<&str, usize> = county.teachers.iter().enumerate().map(|(i, t)| (t.id.as_str(), i)).collect();
    for (i, a) in county.applications.iter().enumerate() {
        let teacher = position.get(a.teacher_id.as_str()).copied();
        let to = teacher.and_then(|t| context.moved[t]);
        let granted = to.and_then(|to| a.wishes.iter().position(|w| *w == county.schools[to].id)).map(|r| r + 1);
        if !a.wishes.is_empty() && granted.is_none() {
            s.not_granted += 1;
            s.moved_elsewhere += usize::from(to.is_some());
        }
        let points = teacher.map_or_else(|| a.extra_points, |t| points(county, &county.teachers[t]).total);
        let stays = match (teacher, to) {
            (Some(t), None) => Some(stay_reason(county, &context.moved, t)),
            (None, _) => Some(StayReason::NotEligible),
            _ => None,
        };
        s.applicants_list.push(ApplicantOutcome { application: i, teacher, points, to, granted, stays });
    }
    Some(s)
}
