//! What the inspector computes (SPEC §3): per school section the three
//! teacher indicators and the four facility indicators, the 6-of-7 rule with
//! the 85 % floor, the shortfall in whole teachers, and the student-weighted
//! population difference coefficient per level and indicator.
//!
//! Threshold tests are exact (rational arithmetic); the values shown to
//! people and the CVs are f64.

use std::collections::BTreeMap;

use crate::domain::policy::Policy;
use crate::domain::{County, Exact, Facility, Level, School, Teacher, TeacherIndicator};
use crate::exact::{ceil_exact, to_f64};

/// How one indicator of a section stands against the standard.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Standing {
    /// At or above the standard.
    Reaches,
    /// Below the standard but at least 85 % of it.
    Below,
    /// Below 85 % of the standard.
    Below85,
    /// A facility indicator with no data: taken as reaching the standard.
    NoData,
}

impl Standing {
    /// Whether the indicator counts as reaching the standard.
    pub fn reaches(self) -> bool {
        matches!(self, Standing::Reaches | Standing::NoData)
    }
}

/// The seven indicators, teacher ones first, in SPEC order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Indicator {
    /// One of the three teacher indicators.
    Teacher(TeacherIndicator),
    /// One of the four facility indicators.
    Facility(Facility),
}

impl Indicator {
    /// All seven.
    pub const ALL: [Indicator; 7] = [
        Indicator::Teacher(TeacherIndicator::HigherDegree),
        Indicator::Teacher(TeacherIndicator::Backbone),
        Indicator::Teacher(TeacherIndicator::PeArts),
        Indicator::Facility(Facility::TeachingArea),
        Indicator::Facility(Facility::SportsArea),
        Indicator::Facility(Facility::Equipment),
        Indicator::Facility(Facility::MultimediaRooms),
    ];
    /// The key used in files (`higher_degree`, `teaching_area_m2`, …).
    pub fn key(self) -> &'static str {
        match self {
            Indicator::Teacher(t) => t.key(),
            Indicator::Facility(f) => f.key(),
        }
    }
    /// The Chinese name.
    pub fn name_zh(self) -> &'static str {
        match self {
            Indicator::Teacher(t) => t.name_zh(),
            Indicator::Facility(f) => f.name_zh(),
        }
    }
    /// Position 0..7.
    pub fn index(self) -> usize {
        match self {
            Indicator::Teacher(t) => t.index(),
            Indicator::Facility(f) => 3 + f.index(),
        }
    }
}

/// Full-time teacher counts of one section.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SectionCounts {
    /// Full-time teachers.
    pub teachers: u32,
    /// Teachers counting toward each teacher indicator.
    pub indicator: [u32; 3],
}

/// Thresholds of one teacher indicator in one section, in whole teachers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Thresholds {
    /// ⌈standard × students / 100⌉: reaching the standard.
    pub full: u32,
    /// ⌈0.85 × standard × students / 100⌉: not below 85 % of it.
    pub floor85: u32,
}

/// Everything the inspector computes for one school section.
#[derive(Clone, Debug, PartialEq)]
pub struct SectionFigures {
    /// Position of the school in `County::schools`.
    pub school: usize,
    /// The section.
    pub level: Level,
    /// Students of the section.
    pub students: u32,
    /// Classes of the section.
    pub classes: u32,
    /// Whether the section enters the county figures.
    pub counted: bool,
    /// Why a section is not counted, when it is not.
    pub not_counted_reason: Option<NotCounted>,
    /// Full-time teacher counts.
    pub counts: SectionCounts,
    /// Thresholds of the three teacher indicators.
    pub thresholds: [Thresholds; 3],
    /// Values of the seven indicators (None: no students, or no facility data).
    pub values: [Option<f64>; 7],
    /// Standing of the seven indicators (None when the section has no students).
    pub standing: [Option<Standing>; 7],
    /// Compliance (None when the section has no students).
    pub compliant: Option<bool>,
    /// Σ over the teacher indicators of max(0, full − count).
    pub shortfall: u32,
    /// Students per class, when there are classes.
    pub class_size: Option<f64>,
    /// Whether students exceed class_size limit × classes.
    pub class_size_over: bool,
}

impl SectionFigures {
    /// How many of the seven indicators count as reaching the standard.
    pub fn reached(&self) -> usize {
        self.standing.iter().filter(|s| s.is_some_and(Standing::reaches)).count()
    }
    /// Teachers still missing for teacher indicator `k` to reach the standard.
    pub fn missing(&self, k: TeacherIndicator) -> u32 {
        self.thresholds[k.index()].full.saturating_sub(self.counts.indicator[k.index()])
    }
}

/// Why a section is left out of the county figures.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NotCounted {
    /// The section has no students.
    NoStudents,
    /// A teaching point under `min_students_counted`.
    SmallTeachingPoint,
}

/// Per level and indicator, the difference coefficient and its parts.
#[derive(Clone, Debug, PartialEq)]
pub struct Coefficient {
    /// The CV; None when the mean is 0 or no section is counted.
    pub value: Option<f64>,
    /// The limit in force.
    pub limit: f64,
    /// Sections that entered the figure.
    pub sections: usize,
}

impl Coefficient {
    /// Whether the CV is within the limit (a missing CV passes).
    pub fn within_limit(&self) -> bool {
        self.value.is_none_or(|v| v <= self.limit + 1e-12)
    }
}

/// The whole county's standing for one placement of its teachers.
#[derive(Clone, Debug, PartialEq)]
pub struct CountyFigures {
    /// Every school section, by school id then section (primary first).
    pub sections: Vec<SectionFigures>,
    /// CV per level and indicator.
    pub cv: BTreeMap<(Level, Indicator), Coefficient>,
}

impl CountyFigures {
    /// Counted sections that comply.
    pub fn compliant(&self) -> usize {
        self.sections.iter().filter(|s| s.counted && s.compliant == Some(true)).count()
    }
    /// Counted sections.
    pub fn counted(&self) -> usize {
        self.sections.iter().filter(|s| s.counted).count()
    }
    /// Σ shortfall over counted sections.
    pub fn shortfall(&self) -> u32 {
        self.sections.iter().filter(|s| s.counted).map(|s| s.shortfall).sum()
    }
    /// Σ over levels and teacher indicators of CV² (a missing CV counts 0).
    pub fn teacher_cv_squares(&self) -> f64 {
        self.cv
            .iter()
            .filter(|((_, ind), _)| matches!(ind, Indicator::Teacher(_)))
            .map(|(_, c)| c.value.map_or(0.0, |v| v * v))
            .sum()
    }
    /// The section of a school position and level.
    pub fn section(&self, school: usize, level: Level) -> Option<&SectionFigures> {
        self.sections.iter().find(|s| s.school == school && s.level == level)
    }
    /// Sections whose students exceed the class-size limit.
    pub fn over_class_size(&self) -> usize {
        self.sections.iter().filter(|s| s.class_size_over).count()
    }
    /// Whether the county passes the resource part of the inspection.
    pub fn passes(&self) -> bool {
        self.compliant() == self.counted() && self.cv.values().all(Coefficient::within_limit)
    }
}

/// The sections of every school in output order, with whether each is counted.
pub fn section_list(county: &County) -> Vec<(usize, Level, Option<NotCounted>)> {
    let mut out = Vec::new();
    for (pos, school) in county.schools.iter().enumerate() {
        for &level in school.kind.levels() {
            out.push((pos, level, not_counted(school, level, &county.policy)));
        }
    }
    out
}

/// Whether (and why not) a section enters the county figures.
pub fn not_counted(school: &School, level: Level, policy: &Policy) -> Option<NotCounted> {
    let students = school.students[level.index()];
    if students == 0 {
        Some(NotCounted::NoStudents)
    } else if school.kind == crate::domain::SchoolKind::TeachingPoint
        && students < policy.standards.min_students_counted
    {
        Some(NotCounted::SmallTeachingPoint)
    } else {
        None
    }
}

/// Thresholds of a teacher indicator for `students` students.
pub fn thresholds(policy: &Policy, indicator: TeacherIndicator, level: Level, students: u32) -> Thresholds {
    let standard = policy.teacher_standard(indicator, level);
    let need = standard * Exact::from_integer(students as i128) / Exact::from_integer(100);
    Thresholds { full: ceil_exact(need), floor85: ceil_exact(need * Exact::new(85, 100)) }
}

/// A facility total's share for one section of the school: a nine-year
/// school's totals are split by primary × 1 and junior × junior_weight students.
pub fn facility_share(school: &School, level: Level, total: Exact, policy: &Policy) -> Exact {
    if school.kind.levels().len() < 2 {
        return total;
    }
    let primary = Exact::from_integer(school.students[0] as i128);
    let junior = Exact::from_integer(school.students[1] as i128) * policy.standards.junior_weight;
    let weight = primary + junior;
    if weight == Exact::from_integer(0) {
        return Exact::from_integer(0);
    }
    let own = match level {
        Level::Primary => primary,
        Level::Junior => junior,
    };
    total * own / weight
}

/// Counts full-time teachers per school section. `placement[i]` is the
/// school position of `teachers[i]` (None: the teacher left the county).
pub fn count_sections(
    county: &County,
    teachers: &[Teacher],
    placement: &[Option<usize>],
) -> BTreeMap<(usize, Level), SectionCounts> {
    let mut counts: BTreeMap<(usize, Level), SectionCounts> = BTreeMap::new();
    for (teacher, place) in teachers.iter().zip(placement) {
        let Some(school) = place else { continue };
        if !teacher.full_time {
            continue;
        }
        let entry = counts.entry((*school, teacher.level)).or_default();
        entry.teachers += 1;
        for ind in TeacherIndicator::ALL {
            if ind.counts(teacher, teacher.level) {
                entry.indicator[ind.index()] += 1;
            }
        }
    }
    let _ = county;
    counts
}

/// The placement of every teacher as the data stands.
pub fn current_placement(county: &County) -> Vec<Option<usize>> {
    county.teachers.iter().map(|t| county.school_pos(&t.school_id)).collect()
}

/// Figures of the county as the data stands.
pub fn evaluate(county: &County) -> CountyFigures {
    let placement = current_placement(county);
    figures(county, &count_sections(county, &county.teachers, &placement))
}

/// Figures of the county for given section counts.
pub fn figures(county: &County, counts: &BTreeMap<(usize, Level), SectionCounts>) -> CountyFigures {
    let policy = &county.policy;
    let mut sections = Vec::new();
    for (school_pos, level, excluded) in section_list(county) {
        let school = &county.schools[school_pos];
        let c = counts.get(&(school_pos, level)).copied().unwrap_or_default();
        sections.push(section_figures(school_pos, school, level, excluded, c, policy));
    }
    let cv = coefficients(county, &sections);
    CountyFigures { sections, cv }
}

fn section_figures(
    school_pos: usize,
    school: &School,
    level: Level,
    excluded: Option<NotCounted>,
    counts: SectionCounts,
    policy: &Policy,
) -> SectionFigures {
    let students = school.students[level.index()];
    let classes = school.classes[level.index()];
    let mut values = [None; 7];
    let mut standing = [None; 7];
    let mut thresholds_all = [Thresholds { full: 0, floor85: 0 }; 3];
    let p = Exact::from_integer(students as i128);
    for ind in TeacherIndicator::ALL {
        let t = thresholds(policy, ind, level, students);
        thresholds_all[ind.index()] = t;
        if students > 0 {
            let c = counts.indicator[ind.index()];
            values[ind.index()] = Some(100.0 * c as f64 / students as f64);
            standing[ind.index()] = Some(if c >= t.full {
                Standing::Reaches
            } else if c >= t.floor85 {
                Standing::Below
            } else {
                Standing::Below85
            });
        }
    }
    for fac in Facility::ALL {
        let i = 3 + fac.index();
        if students == 0 {
            continue;
        }
        match school.facilities.totals[fac.index()] {
            None => standing[i] = Some(Standing::NoData),
            Some(total) => {
                let share = facility_share(school, level, total, policy);
                let scale = if fac.per_hundred() { Exact::from_integer(100) } else { Exact::from_integer(1) };
                let value = share * scale / p;
                values[i] = Some(to_f64(&value));
                let standard = policy.facility_standard(fac, level);
                standing[i] = Some(if value >= standard {
                    Standing::Reaches
                } else if value >= standard * Exact::new(85, 100) {
                    Standing::Below
                } else {
                    Standing::Below85
                });
            }
        }
    }
    let compliant = (students > 0).then(|| complies(&standing));
    let shortfall = TeacherIndicator::ALL
        .iter()
        .map(|ind| thresholds_all[ind.index()].full.saturating_sub(counts.indicator[ind.index()]))
        .sum();
    let limit = policy.standards.class_size.get(level);
    SectionFigures {
        school: school_pos,
        level,
        students,
        classes,
        counted: excluded.is_none(),
        not_counted_reason: excluded,
        counts,
        thresholds: thresholds_all,
        values,
        standing,
        compliant,
        shortfall,
        class_size: (classes > 0).then(|| students as f64 / classes as f64),
        class_size_over: students as u64 > limit as u64 * classes as u64,
    }
}

/// The school rule: at least 6 of 7 indicators reach the standard, none below 85 %.
pub fn complies(standing: &[Option<Standing>; 7]) -> bool {
    let reached = standing.iter().filter(|s| s.is_some_and(Standing::reaches)).count();
    let below85 = standing.contains(&Some(Standing::Below85));
    reached >= 6 && !below85
}

/// Student-weighted population CV of values `x` with weights `p` (SPEC §3).
/// None when there is no weight or the mean is 0.
pub fn difference_coefficient(items: &[(f64, f64)]) -> Option<f64> {
    let total: f64 = items.iter().map(|(p, _)| p).sum();
    if total <= 0.0 {
        return None;
    }
    let mean = items.iter().map(|(p, x)| p * x).sum::<f64>() / total;
    if mean == 0.0 {
        return None;
    }
    let variance = items.iter().map(|(p, x)| (p / total) * (x - mean).powi(2)).sum::<f64>();
    Some(variance.sqrt() / mean)
}

fn coefficients(county: &County, sections: &[SectionFigures]) -> BTreeMap<(Level, Indicator), Coefficient> {
    let mut out = BTreeMap::new();
    for level in Level::BOTH {
        for ind in Indicator::ALL {
            let items: Vec<(f64, f64)> = sections
                .iter()
                .filter(|s| s.level == level && s.counted)
                .filter_map(|s| s.values[ind.index()].map(|v| (s.students as f64, v)))
                .collect();
            let limit = to_f64(&county.policy.standards.cv_limit.get(level));
            out.insert(
                (level, ind),
                Coefficient { value: difference_coefficient(&items), limit, sections: items.len() },
            );
        }
    }
    out
}

/// The standard of an indicator at a level.
pub fn standard(policy: &Policy, indicator: Indicator, level: Level) -> Exact {
    match indicator {
        Indicator::Teacher(k) => policy.teacher_standard(k, level),
        Indicator::Facility(f) => policy.facility_standard(f, level),
    }
}

/// The floor of the school rule: 85 % of the standard of an indicator at a level.
pub fn floor85(policy: &Policy, indicator: Indicator, level: Level) -> Exact {
    standard(policy, indicator, level) * Exact::new(85, 100)
}

/// Full-time teachers without a teaching certificate (positions in
/// `County::teachers`), and the certification rate.
pub fn certification(county: &County) -> (Vec<usize>, Option<f64>) {
    let full_time: Vec<(usize, &Teacher)> = county.teachers.iter().enumerate().filter(|(_, t)| t.full_time).collect();
    let missing: Vec<usize> = full_time.iter().filter(|(_, t)| !t.certified).map(|(i, _)| *i).collect();
    let rate = (!full_time.is_empty()).then(|| 1.0 - missing.len() as f64 / full_time.len() as f64);
    (missing, rate)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inspector_cv_example() {
        let students = [45.0, 37.0, 89.0, 76.0, 55.0];
        let totals = [279.0, 137.0, 935.0, 160.0, 402.0];
        let items: Vec<(f64, f64)> = students.iter().zip(totals).map(|(p, t)| (*p, t / p)).collect();
        let cv = difference_coefficient(&items).unwrap();
        assert!((cv - 0.5153).abs() < 5e-5, "{cv}");
    }

    #[test]
    fn compliance_rule() {
        use Standing::*;
        let ok = [Some(Reaches), Some(Below), Some(Reaches), Some(NoData), Some(Reaches), Some(Reaches), Some(Reaches)];
        assert!(complies(&ok));
        let two_below =
            [Some(Below), Some(Below), Some(Reaches), Some(NoData), Some(Reaches), Some(Reaches), Some(Reaches)];
        assert!(!complies(&two_below));
        let floor =
            [Some(Below85), Some(Reaches), Some(Reaches), Some(Reaches), Some(Reaches), Some(Reaches), Some(Reaches)];
        assert!(!complies(&floor));
    }
}
