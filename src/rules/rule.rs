//! The one list of rule ids (SPEC §4 and the checks around it): the model's
//! row names, the auditor's violations and the diagnosis's conflicts all
//! name their rule with [`Rule`], and a row name is parsed back in one place,
//! [`Rule::of_row`].

use std::fmt;

/// A hard rule of a plan, with its stable id (`Rule::id`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Rule {
    /// Rule 1: only eligible teachers move.
    Eligibility,
    /// Rule 1: each teacher moves at most once.
    MoveOnce,
    /// Rule 1: never to the own school (nor to its other section).
    OwnSchool,
    /// Rule 2: the destination has the teacher's section.
    Section,
    /// Rule 2: within max_distance_km, and with roads.csv along a road path.
    Distance,
    /// Rule 2: within one alliance when within_alliance is set.
    Alliance,
    /// Rule 2 in the diagnosis: a move between schools roads.csv does not join.
    Roads,
    /// Rule 2 as a whole: the movement rules leave no allowed destination.
    Movement,
    /// Rule 3: ⌈min_share × E⌉ ≤ moves ≤ ⌈max_share × E⌉.
    RotationShare,
    /// Rule 4: backbone moves ≥ backbone_min_share × moves.
    BackboneShare,
    /// `rotation.to_rural_min_share` (county plan items 3 and 26): moves
    /// from urban and town schools to rural ones ≥ share × moves, and the
    /// same for backbone moves.
    Direction,
    /// Rule 5: |arrivals − departures| ≤ headcount_tolerance per section.
    HeadcountBalance,
    /// Rule 5: headcount after ≤ max(staff_quota, before) per school.
    StaffQuota,
    /// Rule 6: subject teachers after ≥ min(before, need) per section.
    SubjectFloor,
    /// Rule 7: locks hold.
    Locks,
    /// `hires` (SPEC §6): every hire is placed once.
    HiresPlaced,
    /// `hires` search (SPEC §6): at most the budget of hires in all.
    HireBudget,
    /// Returns from exchange (SPEC, exchanges.csv): a teacher due to return
    /// does not rotate; with `exchange.returns = "fixed"` every due return
    /// happens; only a due return can be extended.
    Returns,
    /// Principals and vice principals (`[principals]`): their own share,
    /// and role for role at every school (a school that loses its principal
    /// receives one, never a class teacher in that seat).
    Principals,
    /// Family ties (family.csv): after the plan the two teach in one town,
    /// or within the tie's km.
    Family,
    /// The published order within a group of interchangeable teachers
    /// (applications.csv, `[priority]`): volunteers first, then more points;
    /// family ties and locks exempt.
    Priority,
    /// A plan list names a teacher who is not in teachers.csv.
    UnknownTeacher,
    /// A plan list names a school that is not in schools.csv.
    UnknownSchool,
}

impl Rule {
    /// Every rule, in SPEC §4 order, then the hire and list checks.
    pub const ALL: [Rule; 23] = [
        Rule::Eligibility,
        Rule::MoveOnce,
        Rule::OwnSchool,
        Rule::Section,
        Rule::Distance,
        Rule::Alliance,
        Rule::Roads,
        Rule::Movement,
        Rule::RotationShare,
        Rule::BackboneShare,
        Rule::Direction,
        Rule::Principals,
        Rule::HeadcountBalance,
        Rule::StaffQuota,
        Rule::SubjectFloor,
        Rule::Locks,
        Rule::HiresPlaced,
        Rule::HireBudget,
        Rule::Returns,
        Rule::Family,
        Rule::Priority,
        Rule::UnknownTeacher,
        Rule::UnknownSchool,
    ];

    /// The stable id, as in diagnosis.json, score.json and the model's row names.
    pub fn id(self) -> &'static str {
        match self {
            Rule::Eligibility => "eligibility",
            Rule::MoveOnce => "move_once",
            Rule::OwnSchool => "own_school",
            Rule::Section => "section",
            Rule::Distance => "distance",
            Rule::Alliance => "alliance",
            Rule::Roads => "roads",
            Rule::Movement => "movement",
            Rule::RotationShare => "rotation_share",
            Rule::BackboneShare => "backbone_share",
            Rule::Direction => "direction",
            Rule::Principals => "principals",
            Rule::HeadcountBalance => "headcount_balance",
            Rule::StaffQuota => "staff_quota",
            Rule::SubjectFloor => "subject_floor",
            Rule::Locks => "locks",
            Rule::HiresPlaced => "hires_placed",
            Rule::HireBudget => "hire_budget",
            Rule::Returns => "returns",
            Rule::Family => "family",
            Rule::Priority => "priority",
            Rule::UnknownTeacher => "unknown_teacher",
            Rule::UnknownSchool => "unknown_school",
        }
    }

    /// The number of the hard rule in SPEC §4 (None for the hire and list checks).
    pub fn spec_number(self) -> Option<u8> {
        match self {
            Rule::Eligibility | Rule::MoveOnce | Rule::OwnSchool => Some(1),
            Rule::Section | Rule::Distance | Rule::Alliance | Rule::Roads | Rule::Movement => Some(2),
            Rule::RotationShare => Some(3),
            Rule::BackboneShare => Some(4),
            Rule::HeadcountBalance | Rule::StaffQuota => Some(5),
            Rule::SubjectFloor => Some(6),
            Rule::Locks => Some(7),
            Rule::Direction
            | Rule::Principals
            | Rule::HiresPlaced
            | Rule::HireBudget
            | Rule::Returns
            | Rule::Family
            | Rule::Priority
            | Rule::UnknownTeacher
            | Rule::UnknownSchool => None,
        }
    }

    /// The rule of an id.
    pub fn from_id(id: &str) -> Option<Rule> {
        Rule::ALL.into_iter().find(|r| r.id() == id)
    }

    /// A model row name: the rule id, and after a `:` the place it holds
    /// at (a teacher, a school section, a pair of schools), if any.
    pub fn row(self, place: &str) -> String {
        if place.is_empty() {
            self.id().to_string()
        } else {
            format!("{}:{place}", self.id())
        }
    }

    /// The rule and the place of a row name written by [`Rule::row`]; None
    /// for a row of no rule (links, objective terms).
    pub fn of_row(name: &str) -> Option<(Rule, &str)> {
        let (id, place) = name.split_once(':').unwrap_or((name, ""));
        Rule::from_id(id).map(|rule| (rule, place))
    }
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

impl serde::Serialize for Rule {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.id())
    }
}
