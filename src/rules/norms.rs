//! Staffing norms (编制), class sizes as the inspection counts them, school
//! size and music and art rooms: the school standards of the county plan
//! besides the seven indicators (items 2, 10 and 17). Exact arithmetic;
//! words are `render::norms`.
//!
//! The norm of a school section is students ÷ `students_per_staff`; a
//! teaching point, and a rural school's section of fewer than
//! `small_school_students` students, gets at least `staff_per_class` ×
//! classes (the class rule for small rural schools). A school's norm is the
//! sum of its sections rounded up once (⌈Σ⌉, a school has one quota). Where
//! `staff_quota` is missing the norm is the school's quota; the norm never
//! caps a plan (rule 5 reads the given quota only).

use crate::domain::norms::NormsPolicy;
use crate::domain::{Area, County, Exact, Level, School, SchoolKind};
use crate::exact::ceil_exact;

/// The staffing norm and standards of one school.
#[derive(Clone, Debug, PartialEq)]
pub struct SchoolNorm {
    /// School position in `County::schools`.
    pub school: usize,
    /// The norm in exact posts, before rounding.
    pub norm_exact: Exact,
    /// ⌈norm_exact⌉.
    pub norm: u32,
    /// Whether the class rule raised a section's norm.
    pub class_rule: bool,
    /// `staff_quota` when given.
    pub given_quota: Option<u32>,
    /// Teachers on the school's roll.
    pub headcount: u32,
    /// Students of both sections.
    pub students: u32,
    /// The school-size limit that applies to it.
    pub size_limit: u32,
    /// Classes of both sections (schools.csv).
    pub classes: u32,
    /// ⌈classes ÷ classes_per_music_room⌉.
    pub music_needed: u32,
    /// ⌈classes ÷ classes_per_art_room⌉.
    pub art_needed: u32,
}

impl SchoolNorm {
    /// The quota in force: the given one, else the norm.
    pub fn quota(&self) -> u32 {
        self.given_quota.unwrap_or(self.norm)
    }
    /// Teachers above the quota (超编).
    pub fn over_quota(&self) -> u32 {
        self.headcount.saturating_sub(self.quota())
    }
    /// Posts of the quota not filled (缺编).
    pub fn under_quota(&self) -> u32 {
        self.quota().saturating_sub(self.headcount)
    }
    /// Whether the school has more students than its size limit.
    pub fn oversized(&self) -> bool {
        self.students > self.size_limit
    }
    /// Music rooms missing, when the school gave its rooms.
    pub fn music_short(&self, school: &School) -> Option<u32> {
        school.music_rooms.map(|have| self.music_needed.saturating_sub(have))
    }
    /// Art rooms missing, when the school gave its rooms.
    pub fn art_short(&self, school: &School) -> Option<u32> {
        school.art_rooms.map(|have| self.art_needed.saturating_sub(have))
    }
}

/// The classes of one school section as classes.csv gives them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClassCounts {
    /// School position.
    pub school: usize,
    /// Section.
    pub level: Level,
    /// Classes listed.
    pub classes: u32,
    /// Classes over `standards.class_size` (45 / 50).
    pub over_limit: u32,
    /// 大班额: classes of `large_class` (56) students or more.
    pub large: u32,
    /// 超大班额: classes of `very_large_class` (66) students or more.
    pub very_large: u32,
    /// The largest class.
    pub largest: u32,
}

/// The school standards of a county.
#[derive(Clone, Debug, PartialEq)]
pub struct Norms {
    /// One per school, in school order.
    pub schools: Vec<SchoolNorm>,
    /// One per school section with classes in classes.csv, by school then
    /// section; `None` without classes.csv.
    pub classes: Option<Vec<ClassCounts>>,
}

impl Norms {
    /// Schools over their quota.
    pub fn over_quota(&self) -> usize {
        self.schools.iter().filter(|s| s.over_quota() > 0).count()
    }
    /// Schools under their quota.
    pub fn under_quota(&self) -> usize {
        self.schools.iter().filter(|s| s.under_quota() > 0).count()
    }
    /// Schools over the size limit.
    pub fn oversized(&self) -> usize {
        self.schools.iter().filter(|s| s.oversized()).count()
    }
    /// Σ classes over the class-size limit, 大班额, 超大班额 (None without classes.csv).
    pub fn class_totals(&self) -> Option<(u32, u32, u32)> {
        self.classes
            .as_ref()
            .map(|list| list.iter().fold((0, 0, 0), |(a, b, c), k| (a + k.over_limit, b + k.large, c + k.very_large)))
    }
}

/// Whether the class rule applies to a school section of `students`.
fn small_section(school: &School, students: u32, policy: &NormsPolicy) -> bool {
    school.kind == SchoolKind::TeachingPoint || (school.area == Area::Rural && students < policy.small_school_students)
}

/// The exact norm of a school and whether the class rule raised it.
pub fn norm_of(school: &School, policy: &NormsPolicy) -> (Exact, bool) {
    let mut total = Exact::from_integer(0);
    let mut class_rule = false;
    for &level in school.kind.levels() {
        let students = school.students[level.index()];
        if students == 0 {
            continue;
        }
        let by_students = Exact::from_integer(students.into()) / policy.students_per_staff.get(level);
        let by_classes = Exact::from_integer(school.classes[level.index()].into()) * policy.staff_per_class.get(level);
        if small_section(school, students, policy) && by_classes > by_students {
            total += by_classes;
            class_rule = true;
        } else {
            total += by_students;
        }
    }
    (total, class_rule)
}

/// ⌈a ÷ b⌉ for b > 0.
fn ceil_div(a: u32, b: u32) -> u32 {
    a.div_ceil(b.max(1))
}

/// Teachers on each school's roll as the data stands (rule 5's headcount).
pub fn headcount_before(county: &County) -> Vec<u32> {
    let mut headcount = vec![0u32; county.schools.len()];
    for t in &county.teachers {
        if let Some(pos) = county.school_pos(&t.school_id) {
            headcount[pos] += 1;
        }
    }
    headcount
}

/// The school standards with these headcounts (one per school).
pub fn county_norms(county: &County, headcount: &[u32]) -> Norms {
    let policy = &county.policy.norms;
    let schools = county
        .schools
        .iter()
        .enumerate()
        .map(|(pos, school)| {
            let (norm_exact, class_rule) = norm_of(school, policy);
            let classes = school.classes[0] + school.classes[1];
            let size_limit = if school.kind == SchoolKind::NineYear {
                policy.max_nine_year_students
            } else {
                policy.max_school_students
            };
            SchoolNorm {
                school: pos,
                norm: ceil_exact(norm_exact),
                norm_exact,
                class_rule,
                given_quota: school.staff_quota,
                headcount: headcount.get(pos).copied().unwrap_or(0),
                students: school.students[0] + school.students[1],
                size_limit,
                classes,
                music_needed: ceil_div(classes, policy.classes_per_music_room),
                art_needed: ceil_div(classes, policy.classes_per_art_room),
            }
        })
        .collect();
    Norms { schools, classes: class_counts(county) }
}

/// The class counts of classes.csv per school section (None without it).
pub fn class_counts(county: &County) -> Option<Vec<ClassCounts>> {
    if county.classes.is_empty() {
        return None;
    }
    let policy = &county.policy;
    let mut by_section: std::collections::BTreeMap<(usize, Level), ClassCounts> = Default::default();
    for class in &county.classes {
        let Some(school) = county.school_pos(&class.school_id) else { continue };
        let counts = by_section.entry((school, class.level)).or_insert(ClassCounts {
            school,
            level: class.level,
            classes: 0,
            over_limit: 0,
            large: 0,
            very_large: 0,
            largest: 0,
        });
        counts.classes += 1;
        counts.over_limit += u32::from(class.students > policy.standards.class_size.get(class.level));
        counts.large += u32::from(class.students >= policy.norms.large_class);
        counts.very_large += u32::from(class.students >= policy.norms.very_large_class);
        counts.largest = counts.largest.max(class.students);
    }
    Some(by_section.into_values().collect())
}
