//! Who meets the rotation conditions (符合交流条件, SPEC §4), and for
//! everyone who does not, the reasons.

use crate::domain::policy::Policy;
use crate::domain::{Gender, Role, Teacher};

/// Why a teacher is not eligible to rotate this year.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Ineligibility {
    /// Not a full-time teacher (专任).
    PartTime,
    /// A principal or vice principal while principals are excluded.
    Role(Role),
    /// Fewer years at the school than required: (years, required).
    YearsAtSchool(i32, i32),
    /// Older than the limit for the gender: (age, limit).
    Age(i32, i32),
    /// An exemption reason was given.
    Exempt(String),
    /// Rotated too recently: (years since, required).
    RecentRotation(i32, i32),
}

impl Ineligibility {
    /// Stable id of the reason, for data outputs.
    pub fn id(&self) -> &'static str {
        match self {
            Ineligibility::PartTime => "part_time",
            Ineligibility::Role(_) => "role",
            Ineligibility::YearsAtSchool(..) => "years_at_school",
            Ineligibility::Age(..) => "age",
            Ineligibility::Exempt(_) => "exempt",
            Ineligibility::RecentRotation(..) => "recent_rotation",
        }
    }

    /// The reason in English, for input messages (`io` comes before
    /// `render`); every output words it through `render::words::ineligibility`,
    /// whose English is the same.
    pub fn describe_en(&self) -> String {
        match self {
            Ineligibility::PartTime => "not a full-time teacher".into(),
            Ineligibility::Role(r) => format!("{} (principals are not included this year)", r.word()),
            Ineligibility::YearsAtSchool(y, n) => format!("{y} years at the school, fewer than {n}"),
            Ineligibility::Age(a, l) => format!("age {a}, above the limit of {l}"),
            Ineligibility::Exempt(r) => format!("exempt: {r}"),
            Ineligibility::RecentRotation(y, n) => format!("last rotation {y} years ago, fewer than {n}"),
        }
    }
}

/// Every reason why `teacher` may not rotate in `policy.year`; empty means eligible.
pub fn ineligibility(teacher: &Teacher, policy: &Policy) -> Vec<Ineligibility> {
    let rules = &policy.eligibility;
    let year = policy.year;
    let mut reasons = Vec::new();
    if !teacher.full_time {
        reasons.push(Ineligibility::PartTime);
    }
    if teacher.role != Role::Teacher && !rules.include_principals {
        reasons.push(Ineligibility::Role(teacher.role));
    }
    let years = year - teacher.school_since;
    if years < rules.min_years_at_school {
        reasons.push(Ineligibility::YearsAtSchool(years, rules.min_years_at_school));
    }
    let age = year - teacher.birth_year;
    let limit = match teacher.gender {
        Gender::Male => rules.max_age_male,
        Gender::Female => rules.max_age_female,
    };
    if age > limit {
        reasons.push(Ineligibility::Age(age, limit));
    }
    if let Some(reason) = teacher.exempt.as_ref().filter(|r| !r.trim().is_empty()) {
        reasons.push(Ineligibility::Exempt(reason.clone()));
    }
    if let Some(last) = teacher.last_rotated {
        let since = year - last;
        if since < rules.min_years_since_rotation {
            reasons.push(Ineligibility::RecentRotation(since, rules.min_years_since_rotation));
        }
    }
    reasons
}

/// Whether `teacher` meets every rotation condition.
pub fn is_eligible(teacher: &Teacher, policy: &Policy) -> bool {
    ineligibility(teacher, policy).is_empty()
}
