//! The full curriculum (开齐开足, county plan item 10): the need of every
//! subject in a school section, ⌈classes × weekly periods / load⌉ in exact
//! arithmetic (or staffing.csv), and the subject teachers missing against
//! it, before or after a plan. Rule 6's subject floors read the same need.

use crate::domain::{County, Exact, Level, Subject, Teacher};
use crate::exact::ceil_exact;
use crate::rules::indicators::{current_placement, section_list};

/// Subject need of a section: staffing.csv's row when there is one, else
/// ⌈classes × periods / load⌉ exactly (0 for a subject with no periods).
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

/// One subject of one school section with a need.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SubjectGap {
    /// School position.
    pub school: usize,
    /// Section.
    pub level: Level,
    /// Whether the section enters the county's inspection figures (the
    /// gaps count every section, counted or not).
    pub counted: bool,
    /// Subject.
    pub subject: Subject,
    /// Teachers needed.
    pub need: u32,
    /// Full-time teachers of the subject in the section.
    pub teachers: u32,
}

impl SubjectGap {
    /// Teachers missing: max(0, need − teachers).
    pub fn missing(&self) -> u32 {
        self.need.saturating_sub(self.teachers)
    }
}

/// Every (section, subject) with a need above 0, sections in output order,
/// subjects in list order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SubjectGaps {
    /// The rows.
    pub rows: Vec<SubjectGap>,
}

impl SubjectGaps {
    /// Σ missing over every section and subject: the subject-gaps stage's objective.
    pub fn missing(&self) -> u32 {
        self.rows.iter().map(SubjectGap::missing).sum()
    }

    /// The rows with a teacher missing (the shortage list).
    pub fn short(&self) -> impl Iterator<Item = &SubjectGap> + '_ {
        self.rows.iter().filter(|r| r.missing() > 0)
    }

    /// School sections with at least one subject short.
    pub fn sections_short(&self) -> usize {
        let mut sections: Vec<(usize, Level)> = self.short().map(|r| (r.school, r.level)).collect();
        sections.dedup();
        sections.len()
    }

    /// Teachers missing per subject (subjects with none left out), in list order.
    pub fn missing_by_subject(&self) -> Vec<(Subject, u32)> {
        Subject::ALL
            .iter()
            .map(|(subject, _, _)| {
                (*subject, self.rows.iter().filter(|r| r.subject == *subject).map(SubjectGap::missing).sum())
            })
            .filter(|(_, n)| *n > 0)
            .collect()
    }

    /// The row of a section's subject.
    pub fn row(&self, school: usize, level: Level, subject: Subject) -> Option<&SubjectGap> {
        self.rows.iter().find(|r| r.school == school && r.level == level && r.subject == subject)
    }
}

/// The subject gaps with `teachers[i]` at school `placement[i]` (None: gone).
pub fn subject_gaps(county: &County, teachers: &[Teacher], placement: &[Option<usize>]) -> SubjectGaps {
    let mut have: std::collections::BTreeMap<(usize, Level, Subject), u32> = std::collections::BTreeMap::new();
    for (t, place) in teachers.iter().zip(placement) {
        if let (Some(school), true) = (place, t.full_time) {
            *have.entry((*school, t.level, t.subject)).or_default() += 1;
        }
    }
    let mut rows = Vec::new();
    for (school, level, not_counted) in section_list(county) {
        for (subject, _, _) in Subject::ALL {
            let need = subject_need(county, school, level, *subject);
            if need == 0 {
                continue;
            }
            let teachers = have.get(&(school, level, *subject)).copied().unwrap_or(0);
            rows.push(SubjectGap { school, level, counted: not_counted.is_none(), subject: *subject, need, teachers });
        }
    }
    SubjectGaps { rows }
}

/// The subject gaps of the county as the data stands.
pub fn current_gaps(county: &County) -> SubjectGaps {
    subject_gaps(county, &county.teachers, &current_placement(county))
}
