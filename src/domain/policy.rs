//! The county's policy (policy.toml): defaults from the national rules and
//! the Anze county plan, overridden key by key. Shares and standards are
//! kept as exact decimals so that ⌈0.14 × 100⌉ is 14.

use std::collections::BTreeMap;

use crate::domain::{Exact, Level, Subject};
use crate::exact::{ceil_exact, parse_exact, to_f64};

/// A value per level (primary, junior).
#[derive(Clone, Debug, PartialEq)]
pub struct PerLevel<T> {
    /// Primary section.
    pub primary: T,
    /// Junior section.
    pub junior: T,
}

impl<T: Clone> PerLevel<T> {
    /// The value for `level`.
    pub fn get(&self, level: Level) -> T {
        match level {
            Level::Primary => self.primary.clone(),
            Level::Junior => self.junior.clone(),
        }
    }
    pub(crate) fn slot(&mut self, level: Level) -> &mut T {
        match level {
            Level::Primary => &mut self.primary,
            Level::Junior => &mut self.junior,
        }
    }
}

/// `[rotation]`: how many rotate.
#[derive(Clone, Debug, PartialEq)]
pub struct RotationPolicy {
    /// Minimum share of eligible teachers who rotate, rounded up.
    pub min_share: Exact,
    /// Maximum share, rounded up.
    pub max_share: Exact,
    /// Minimum share of backbone teachers among those who rotate.
    pub backbone_min_share: Exact,
    /// Least share of the moves, and of the backbone moves, that go from
    /// urban and town schools to rural ones (0: no such rule; county plan
    /// items 3 and 26).
    pub to_rural_min_share: Exact,
    /// Length of a rotation in years (for the return year).
    pub years: i32,
}

/// `[eligibility]`: who may rotate.
#[derive(Clone, Debug, PartialEq)]
pub struct EligibilityPolicy {
    /// year − school_since ≥ this.
    pub min_years_at_school: i32,
    /// Age limit for men.
    pub max_age_male: i32,
    /// Age limit for women.
    pub max_age_female: i32,
    /// year − last_rotated ≥ this.
    pub min_years_since_rotation: i32,
}

/// `[principals]`: principals and vice principals (校长、副校长) rotate by
/// their own rule, role for role (SPEC §4, rule `principals`).
#[derive(Clone, Debug, PartialEq)]
pub struct PrincipalsPolicy {
    /// year − school_since ≥ this for a principal or vice principal (the
    /// teachers' `eligibility.min_years_at_school` does not apply to them).
    pub min_years_at_school: i32,
    /// Minimum share of eligible principals and vice principals who rotate,
    /// rounded up.
    pub min_share: Exact,
    /// Maximum share, rounded up.
    pub max_share: Exact,
    /// Whether principals also count in the teachers' E, rotation share and
    /// backbone share (rules 3 and 4). `eligibility.include_principals`,
    /// the older key, sets this.
    pub count_in_teachers: bool,
}

/// `[movement]`: where a teacher may go.
#[derive(Clone, Debug, PartialEq)]
pub struct MovementPolicy {
    /// Primary teachers to primary sections only (always true today).
    pub same_section: bool,
    /// 0 = no limit.
    pub max_distance_km: f64,
    /// Great-circle km × this, when no roads.csv.
    pub road_factor: f64,
    /// Moves only within one urban–rural alliance.
    pub within_alliance: bool,
    /// Per school section: |arrivals − departures| ≤ this.
    pub headcount_tolerance: u32,
}

/// What happens to a due return (`exchange.returns`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReturnsMode {
    /// Every due return is part of this year's plan.
    Fixed,
    /// The planner may extend a due return by one year where that serves
    /// the objective (shown as an extension).
    Optional,
}

/// `[exchange]`: teachers on exchange.
#[derive(Clone, Debug, PartialEq)]
pub struct ExchangePolicy {
    /// Fixed or optional returns.
    pub returns: ReturnsMode,
}

/// `[retirement]`: the age at which a teacher leaves the roll (next year's
/// data drops a teacher whose age next year is above it).
#[derive(Clone, Debug, PartialEq)]
pub struct RetirementPolicy {
    /// Men retire at this age.
    pub age_male: i32,
    /// Women retire at this age.
    pub age_female: i32,
}

/// `[structure]`: the age bands of the title and age structure (county
/// plan item 17: balance teachers by "职称和年龄结构"). Age = `year` −
/// birth year.
#[derive(Clone, Debug, PartialEq)]
pub struct StructurePolicy {
    /// A teacher younger than this is young (青年教师; default 35).
    pub young_under: i32,
    /// A teacher this old or older is old (default 50).
    pub old_from: i32,
}

/// `[objective]`: the stages of the plan beyond the four of SPEC §4.
#[derive(Clone, Debug, PartialEq)]
pub struct ObjectivePolicy {
    /// The subject-gaps stage (2.1, 开齐开足, after the shortfall): minimise
    /// the subject teachers missing against the need in every section
    /// (default on).
    pub subject_gaps: bool,
    /// The structure stage (3.1, after Σ CV²): even out the senior-title,
    /// young and old teachers per 100 students (default on).
    pub structure: bool,
}

/// `[priority]`: the published points scale that decides who of a group of
/// interchangeable teachers moves first (after volunteering). Points =
/// `school_year` × years at the school + `rural_year` × years served at rural
/// schools + `age_year` × years of age above `age_from` + the application's
/// `extra_points`. The defaults give points = years at the school, which is
/// the order without a scale (longest at the school first).
#[derive(Clone, Debug, PartialEq)]
pub struct PriorityPolicy {
    /// Points per year at the current school.
    pub school_year: Exact,
    /// Points per year served at rural schools.
    pub rural_year: Exact,
    /// Points per year of age above `age_from`.
    pub age_year: Exact,
    /// The age from which `age_year` counts.
    pub age_from: i32,
}

/// `[standards]`: the national 优质均衡 standard.
#[derive(Clone, Debug, PartialEq)]
pub struct Standards {
    /// Higher-degree teachers per 100 students.
    pub higher_degree: PerLevel<Exact>,
    /// Backbone teachers per 100 students.
    pub backbone: PerLevel<Exact>,
    /// PE and arts teachers per 100 students.
    pub pe_arts: PerLevel<Exact>,
    /// m² per student.
    pub teaching_area_m2: PerLevel<Exact>,
    /// m² per student.
    pub sports_area_m2: PerLevel<Exact>,
    /// Yuan per student.
    pub equipment_yuan: PerLevel<Exact>,
    /// Rooms per 100 students.
    pub multimedia_rooms: PerLevel<Exact>,
    /// Difference-coefficient limit.
    pub cv_limit: PerLevel<Exact>,
    /// Class-size limit.
    pub class_size: PerLevel<u32>,
    /// Teaching points below this are not counted.
    pub min_students_counted: u32,
    /// Weight of a junior student when splitting a nine-year school's facilities.
    pub junior_weight: Exact,
}

/// `[staffing]`: weekly periods and loads, for subject floors.
#[derive(Clone, Debug, PartialEq)]
pub struct StaffingPolicy {
    /// Full teaching load, periods per week.
    pub load: PerLevel<Exact>,
    /// Periods per class and week, per level and subject.
    pub periods: PerLevel<BTreeMap<Subject, Exact>>,
}

/// `[levers]`: what each lever besides moves costs, per unit, in thousand
/// yuan (a year's cost for a hire and a designation; the whole course for
/// an upgrade). Only their ratios matter to `rotaplan levers`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LeversPolicy {
    /// One new teacher: salary, social insurance and housing fund of a
    /// year (about 100,000 yuan).
    pub hire: u32,
    /// One in-service degree upgrade (学历提升): tuition of a two- to
    /// three-year part-time course and cover for study days (about 10,000 yuan).
    pub upgrade: u32,
    /// One county backbone designation: a year's allowance and training
    /// (about 6,000 yuan).
    pub designate: u32,
}

/// The whole policy.
#[derive(Clone, Debug, PartialEq)]
pub struct Policy {
    /// The school year being planned.
    pub year: i32,
    /// `[rotation]`.
    pub rotation: RotationPolicy,
    /// `[eligibility]`.
    pub eligibility: EligibilityPolicy,
    /// `[principals]`.
    pub principals: PrincipalsPolicy,
    /// `[movement]`.
    pub movement: MovementPolicy,
    /// `[standards]`.
    pub standards: Standards,
    /// `[staffing]`.
    pub staffing: StaffingPolicy,
    /// `[exchange]`.
    pub exchange: ExchangePolicy,
    /// `[retirement]`.
    pub retirement: RetirementPolicy,
    /// `[priority]`.
    pub priority: PriorityPolicy,
    /// `[structure]`.
    pub structure: StructurePolicy,
    /// `[objective]`.
    pub objective: ObjectivePolicy,
    /// `[levers]`.
    pub levers: LeversPolicy,
    /// `inspection_year`: the year whose figures the inspection reads
    /// (None: year + 1).
    pub inspection_year: Option<i32>,
    /// Staffing norms, school size and rooms (`[staffing]`, `[standards]`).
    pub norms: crate::domain::norms::NormsPolicy,
}

pub(crate) fn dec(text: &str) -> Exact {
    parse_exact(text).expect("default policy constant is a valid decimal")
}

fn levels(primary: &str, junior: &str) -> PerLevel<Exact> {
    PerLevel { primary: dec(primary), junior: dec(junior) }
}

/// The default weekly periods per class of each subject and level.
fn default_periods() -> PerLevel<BTreeMap<Subject, Exact>> {
    // Weekly periods per class, averaged over a section's grades. The
    // subjects of 义务教育课程方案（2022年版）: 劳动 at least 1 a week in
    // grades 1–9; 综合实践活动 in grades 1–9, read as 1 a week; 信息科技
    // taught in grades 3–8, read as 1 a week as junior `it` already is;
    // 心理健康 has no periods of its own in the plan (schools use local or
    // school-course time, commonly one period every two weeks): 0.5;
    // 特殊教育 has none for regular classes (a county with resource rooms
    // sets its own): 0; junior `science` 0, as physics, chemistry and
    // biology are listed apart (a school teaching integrated science sets
    // it). `other` has no entry: need 0. See docs/data-format.md.
    let primary_periods = [
        (Subject::Chinese, "7"),
        (Subject::Math, "4.5"),
        (Subject::English, "1.5"),
        (Subject::Pe, "3.5"),
        (Subject::Music, "1.5"),
        (Subject::Art, "1.5"),
        (Subject::Science, "1.5"),
        (Subject::Ethics, "2"),
        (Subject::It, "1"),
        (Subject::Labor, "1"),
        (Subject::Practice, "1"),
        (Subject::Psychology, "0.5"),
        (Subject::SpecialEd, "0"),
    ];
    let junior_periods = [
        (Subject::Chinese, "5"),
        (Subject::Math, "5"),
        (Subject::English, "4"),
        (Subject::Pe, "3"),
        (Subject::Music, "1"),
        (Subject::Art, "1"),
        (Subject::Ethics, "2"),
        (Subject::History, "2"),
        (Subject::Geography, "1.5"),
        (Subject::Physics, "2"),
        (Subject::Chemistry, "1"),
        (Subject::Biology, "1.5"),
        (Subject::It, "1"),
        (Subject::Science, "0"),
        (Subject::Labor, "1"),
        (Subject::Practice, "1"),
        (Subject::Psychology, "0.5"),
        (Subject::SpecialEd, "0"),
    ];
    PerLevel {
        primary: primary_periods.iter().map(|(s, p)| (*s, dec(p))).collect(),
        junior: junior_periods.iter().map(|(s, p)| (*s, dec(p))).collect(),
    }
}

impl Default for Policy {
    fn default() -> Policy {
        Policy {
            year: 2025,
            rotation: RotationPolicy {
                min_share: dec("0.10"),
                max_share: dec("0.10"),
                backbone_min_share: dec("0.20"),
                to_rural_min_share: dec("0"),
                years: 3,
            },
            eligibility: EligibilityPolicy {
                min_years_at_school: 6,
                max_age_male: 55,
                max_age_female: 50,
                min_years_since_rotation: 3,
            },
            principals: PrincipalsPolicy {
                min_years_at_school: 6,
                min_share: dec("0"),
                max_share: dec("0.20"),
                count_in_teachers: false,
            },
            movement: MovementPolicy {
                same_section: true,
                max_distance_km: 0.0,
                road_factor: 1.3,
                within_alliance: false,
                headcount_tolerance: 0,
            },
            standards: Standards {
                higher_degree: levels("4.2", "5.3"),
                backbone: levels("1.0", "1.0"),
                pe_arts: levels("0.9", "0.9"),
                teaching_area_m2: levels("4.5", "5.8"),
                sports_area_m2: levels("7.5", "10.2"),
                equipment_yuan: levels("2000", "2500"),
                multimedia_rooms: levels("2.3", "2.4"),
                cv_limit: levels("0.50", "0.45"),
                class_size: PerLevel { primary: 45, junior: 50 },
                min_students_counted: 50,
                junior_weight: dec("1.1"),
            },
            staffing: StaffingPolicy { load: levels("15", "13"), periods: default_periods() },
            exchange: ExchangePolicy { returns: ReturnsMode::Fixed },
            retirement: RetirementPolicy { age_male: 60, age_female: 55 },
            priority: PriorityPolicy { school_year: dec("1"), rural_year: dec("0"), age_year: dec("0"), age_from: 45 },
            structure: StructurePolicy { young_under: 35, old_from: 50 },
            inspection_year: None,
            objective: ObjectivePolicy { subject_gaps: true, structure: true },
            norms: Default::default(),
            levers: LeversPolicy { hire: 100, upgrade: 10, designate: 6 },
        }
    }
}

impl Policy {
    /// The inspection year: `inspection_year`, or year + 1.
    pub fn inspection_year(&self) -> i32 {
        self.inspection_year.unwrap_or(self.year + 1)
    }

    /// Whether a teacher of this gender born in `birth_year` is past the
    /// retirement age in `year` (age = year − birth_year above the limit).
    pub fn retired_in(&self, gender: crate::domain::Gender, birth_year: i32, year: i32) -> bool {
        let limit = match gender {
            crate::domain::Gender::Male => self.retirement.age_male,
            crate::domain::Gender::Female => self.retirement.age_female,
        };
        year - birth_year > limit
    }

    /// Keys that contradict each other whatever the data: (the key to
    /// change, the key it contradicts, what is wrong). A plan could never
    /// exist, so this is an input error, found by `check` too.
    pub fn contradictions(&self) -> Vec<(&'static str, &'static str, String)> {
        let mut out = Vec::new();
        let r = &self.rotation;
        if r.max_share < r.min_share {
            out.push((
                "rotation.max_share",
                "rotation.min_share",
                format!(
                    "max_share {} is below min_share {}: no plan could make the required moves; set rotation.max_share ≥ rotation.min_share",
                    to_f64(&r.max_share),
                    to_f64(&r.min_share)
                ),
            ));
        }
        let p = &self.principals;
        if p.max_share < p.min_share {
            out.push((
                "principals.max_share",
                "principals.min_share",
                format!(
                    "max_share {} is below min_share {}: no plan could make the required principal moves; set principals.max_share ≥ principals.min_share",
                    to_f64(&p.max_share),
                    to_f64(&p.min_share)
                ),
            ));
        }
        let st = &self.structure;
        if st.old_from < st.young_under {
            out.push((
                "structure.old_from",
                "structure.young_under",
                format!(
                    "old_from {} is below young_under {}: a teacher would be young and old at once; set structure.old_from ≥ structure.young_under",
                    st.old_from, st.young_under
                ),
            ));
        }
        let n = &self.norms;
        if n.large_class > n.very_large_class {
            out.push((
                "standards.large_class",
                "standards.very_large_class",
                format!(
                    "large_class {} is above very_large_class {}: every very large class (超大班额) is a large one (大班额); set standards.large_class ≤ standards.very_large_class",
                    n.large_class, n.very_large_class
                ),
            ));
        }
        out
    }

    /// The principals' moves required: ⌈principals.min_share × eligible⌉.
    pub fn required_principal_moves(&self, eligible: usize) -> u32 {
        ceil_exact(self.principals.min_share * Exact::from_integer(eligible as i128))
    }

    /// The cap on principals' moves: ⌈principals.max_share × eligible⌉.
    pub fn max_principal_moves(&self, eligible: usize) -> u32 {
        ceil_exact(self.principals.max_share * Exact::from_integer(eligible as i128))
    }

    /// Whether a teacher of `role` counts in the teachers' E and shares
    /// (rules 3 and 4): a class teacher always, a principal or vice
    /// principal with `principals.count_in_teachers`.
    pub fn in_teachers_share(&self, role: crate::domain::Role) -> bool {
        role == crate::domain::Role::Teacher || self.principals.count_in_teachers
    }

    /// The exact number of moves required: ⌈min_share × eligible⌉.
    pub fn required_moves(&self, eligible: usize) -> u32 {
        ceil_exact(self.rotation.min_share * Exact::from_integer(eligible as i128))
    }

    /// The exact cap on moves: ⌈max_share × eligible⌉ (never below the minimum).
    pub fn max_moves(&self, eligible: usize) -> u32 {
        ceil_exact(self.rotation.max_share * Exact::from_integer(eligible as i128))
    }

    /// The standard of a teacher indicator for a level (per 100 students).
    pub fn teacher_standard(&self, indicator: crate::domain::TeacherIndicator, level: Level) -> Exact {
        use crate::domain::TeacherIndicator as T;
        match indicator {
            T::HigherDegree => self.standards.higher_degree.get(level),
            T::Backbone => self.standards.backbone.get(level),
            T::PeArts => self.standards.pe_arts.get(level),
        }
    }

    /// The standard of a facility indicator for a level.
    pub fn facility_standard(&self, facility: crate::domain::Facility, level: Level) -> Exact {
        use crate::domain::Facility as F;
        match facility {
            F::TeachingArea => self.standards.teaching_area_m2.get(level),
            F::SportsArea => self.standards.sports_area_m2.get(level),
            F::Equipment => self.standards.equipment_yuan.get(level),
            F::MultimediaRooms => self.standards.multimedia_rooms.get(level),
        }
    }
}
