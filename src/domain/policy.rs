//! The county's policy (policy.toml): defaults from the national rules and
//! the Anze county plan, overridden key by key. Shares and standards are
//! kept as exact decimals so that ⌈0.14 × 100⌉ is 14.

use std::collections::BTreeMap;

use crate::domain::{Exact, Level, Subject};

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
    fn slot(&mut self, level: Level) -> &mut T {
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
    /// Whether principals and vice principals may rotate.
    pub include_principals: bool,
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

/// The whole policy.
#[derive(Clone, Debug, PartialEq)]
pub struct Policy {
    /// The school year being planned.
    pub year: i32,
    /// `[rotation]`.
    pub rotation: RotationPolicy,
    /// `[eligibility]`.
    pub eligibility: EligibilityPolicy,
    /// `[movement]`.
    pub movement: MovementPolicy,
    /// `[standards]`.
    pub standards: Standards,
    /// `[staffing]`.
    pub staffing: StaffingPolicy,
}

/// Parses a decimal written in text ("0.14", "45", "-2.5e1") exactly.
pub fn parse_exact(text: &str) -> Option<Exact> {
    let t = text.trim();
    if t.is_empty() {
        return None;
    }
    let (mantissa, exponent) = match t.find(['e', 'E']) {
        Some(p) => (&t[..p], t[p + 1..].parse::<i32>().ok()?),
        None => (t, 0),
    };
    let (negative, digits) = match mantissa.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, mantissa.strip_prefix('+').unwrap_or(mantissa)),
    };
    let (int_part, frac_part) = match digits.split_once('.') {
        Some((i, f)) => (i, f),
        None => (digits, ""),
    };
    if int_part.is_empty() && frac_part.is_empty() {
        return None;
    }
    if !int_part.chars().chain(frac_part.chars()).all(|c| c.is_ascii_digit()) {
        return None;
    }
    if int_part.len() + frac_part.len() > 30 || exponent.abs() > 20 {
        return None;
    }
    let all: String = format!("{int_part}{frac_part}");
    let numerator: i128 = if all.is_empty() { 0 } else { all.parse().ok()? };
    let scale = frac_part.len() as i32 - exponent;
    let value = if scale >= 0 {
        Exact::new(numerator, 10i128.checked_pow(scale as u32)?)
    } else {
        Exact::from_integer(numerator.checked_mul(10i128.checked_pow((-scale) as u32)?)?)
    };
    Some(if negative { -value } else { value })
}

/// The exact decimal a float was written as (its shortest round-trip text).
pub fn exact_from_f64(value: f64) -> Option<Exact> {
    if !value.is_finite() {
        return None;
    }
    parse_exact(&format!("{value}"))
}

/// An exact number as f64, for outputs.
pub fn to_f64(value: &Exact) -> f64 {
    *value.numer() as f64 / *value.denom() as f64
}

fn dec(text: &str) -> Exact {
    parse_exact(text).expect("default policy constant is a valid decimal")
}

fn levels(primary: &str, junior: &str) -> PerLevel<Exact> {
    PerLevel { primary: dec(primary), junior: dec(junior) }
}

impl Default for Policy {
    fn default() -> Policy {
        let primary_periods = [
            (Subject::Chinese, "7"),
            (Subject::Math, "4.5"),
            (Subject::English, "1.5"),
            (Subject::Pe, "3.5"),
            (Subject::Music, "1.5"),
            (Subject::Art, "1.5"),
            (Subject::Science, "1.5"),
            (Subject::Ethics, "2"),
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
        ];
        Policy {
            year: 2025,
            rotation: RotationPolicy {
                min_share: dec("0.10"),
                max_share: dec("0.10"),
                backbone_min_share: dec("0.20"),
                years: 3,
            },
            eligibility: EligibilityPolicy {
                min_years_at_school: 6,
                max_age_male: 55,
                max_age_female: 50,
                min_years_since_rotation: 3,
                include_principals: false,
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
            staffing: StaffingPolicy {
                load: levels("15", "13"),
                periods: PerLevel {
                    primary: primary_periods.iter().map(|(s, p)| (*s, dec(p))).collect(),
                    junior: junior_periods.iter().map(|(s, p)| (*s, dec(p))).collect(),
                },
            },
        }
    }
}

/// Every settable key of a policy, for "did you mean" suggestions.
pub fn known_keys() -> Vec<String> {
    let mut keys: Vec<String> = [
        "year",
        "rotation.min_share",
        "rotation.max_share",
        "rotation.backbone_min_share",
        "rotation.years",
        "eligibility.min_years_at_school",
        "eligibility.max_age_male",
        "eligibility.max_age_female",
        "eligibility.min_years_since_rotation",
        "eligibility.include_principals",
        "movement.same_section",
        "movement.max_distance_km",
        "movement.road_factor",
        "movement.within_alliance",
        "movement.headcount_tolerance",
        "standards.min_students_counted",
        "standards.junior_weight",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    for table in [
        "higher_degree",
        "backbone",
        "pe_arts",
        "teaching_area_m2",
        "sports_area_m2",
        "equipment_yuan",
        "multimedia_rooms",
        "cv_limit",
        "class_size",
    ] {
        for level in ["primary", "junior"] {
            keys.push(format!("standards.{table}.{level}"));
        }
    }
    for level in ["primary", "junior"] {
        keys.push(format!("staffing.load.{level}"));
        for (_, word, _) in Subject::ALL {
            keys.push(format!("staffing.{level}.{word}"));
        }
    }
    keys
}

/// Most decimal places a policy number may have: enough for any share or
/// standard a county writes, and few enough that the exact products of
/// shares, standards, periods and loads stay far inside 128-bit integers.
pub const MOST_DECIMALS: u32 = 6;

/// A value as the user wrote it, for messages.
fn shown(value: &toml::Value) -> String {
    match value {
        toml::Value::String(s) => format!("\"{s}\""),
        // A whole number from an Excel cell arrives as a float: 60, not 60.0.
        toml::Value::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        other => other.to_string(),
    }
}

fn value_exact(value: &toml::Value) -> Result<Exact, String> {
    let v = match value {
        toml::Value::Integer(i) => Exact::from_integer(*i as i128),
        toml::Value::Float(f) => exact_from_f64(*f).ok_or_else(|| format!("{f} is not a finite number"))?,
        toml::Value::String(s) => parse_exact(s).ok_or_else(|| format!("\"{s}\" is not a number"))?,
        other => return Err(format!("{other} is not a number")),
    };
    if 10i128.pow(MOST_DECIMALS) % v.denom() != 0 {
        return Err(format!("{} has too many decimal places; give at most {MOST_DECIMALS}", shown(value)));
    }
    Ok(v)
}

/// The range a policy number must lie in (SPEC §2 keys; the ranges are
/// listed in docs/data-format.md), with the words its message uses.
#[derive(Clone, Copy)]
struct Range {
    /// The least value, as text.
    min: &'static str,
    /// Whether the least value itself is excluded (a standard above 0).
    min_excluded: bool,
    /// The greatest value, as text.
    max: &'static str,
    /// Whether only whole numbers are allowed.
    whole: bool,
    /// What the number is, for "give a whole number of years from 0 to 60".
    what: &'static str,
    /// Why, or an example, appended to the message (may be empty).
    note: &'static str,
}

const fn whole(min: &'static str, max: &'static str, what: &'static str) -> Range {
    Range { min, min_excluded: false, max, whole: true, what, note: "" }
}

const fn decimal(min: &'static str, max: &'static str, what: &'static str) -> Range {
    Range { min, min_excluded: false, max, whole: false, what, note: "" }
}

const fn positive(max: &'static str, what: &'static str) -> Range {
    Range { min: "0", min_excluded: true, max, whole: false, what, note: "" }
}

impl Range {
    const fn note(self, note: &'static str) -> Range {
        Range { note, ..self }
    }

    fn words(&self) -> String {
        let from = if self.min_excluded {
            format!("above {} and at most {}", self.min, self.max)
        } else {
            format!("from {} to {}", self.min, self.max)
        };
        format!("give {} {from}{}", self.what, self.note)
    }

    /// The value, or a message saying the range.
    fn check(&self, value: &toml::Value) -> Result<Exact, String> {
        let v = value_exact(value)?;
        let (min, max) = (dec(self.min), dec(self.max));
        let below = if self.min_excluded { v <= min } else { v < min };
        if below || v > max {
            return Err(format!("{} is out of range; {}", shown(value), self.words()));
        }
        if self.whole && !v.is_integer() {
            return Err(format!("{} is not a whole number; {}", shown(value), self.words()));
        }
        Ok(v)
    }

    /// A whole number in range (the range fits in i32).
    fn check_i32(&self, value: &toml::Value) -> Result<i32, String> {
        let v = self.check(value)?;
        i32::try_from(v.to_integer()).map_err(|_| format!("{} is out of range; {}", shown(value), self.words()))
    }

    /// A whole number ≥ 0 in range.
    fn check_u32(&self, value: &toml::Value) -> Result<u32, String> {
        let v = self.check(value)?;
        u32::try_from(v.to_integer()).map_err(|_| format!("{} is out of range; {}", shown(value), self.words()))
    }
}

/// `year`.
const YEAR: Range = whole("2000", "2100", "a year");
/// `rotation.min_share`, `max_share`, `backbone_min_share`.
const SHARE: Range = decimal("0", "1", "a share").note(", such as 0.10");
/// `rotation.years`.
const ROTATION_YEARS: Range = whole("1", "20", "a whole number of years");
/// `eligibility.min_years_at_school`, `min_years_since_rotation`.
const YEARS: Range = whole("0", "60", "a whole number of years");
/// `eligibility.max_age_male`, `max_age_female`.
const AGE: Range = whole("18", "80", "an age in whole years");
/// `movement.max_distance_km`.
const KM: Range = decimal("0", "10000", "a distance in km").note(" (0 = no limit)");
/// `movement.road_factor`.
const ROAD_FACTOR: Range = decimal("1", "10", "a factor").note(" (roads are never shorter than the straight line)");
/// `movement.headcount_tolerance`.
const TOLERANCE: Range = whole("0", "1000", "a whole number of teachers");
/// `standards.higher_degree`, `backbone`, `pe_arts`.
const PER_100_TEACHERS: Range = positive("100", "a number of teachers per 100 students");
/// `standards.teaching_area_m2`, `sports_area_m2`.
const AREA: Range = positive("1000", "a number of m² per student");
/// `standards.equipment_yuan`.
const YUAN: Range = positive("1000000", "a number of yuan per student");
/// `standards.multimedia_rooms`.
const ROOMS: Range = positive("100", "a number of rooms per 100 students");
/// `standards.cv_limit`.
const CV_LIMIT: Range = positive("1", "a difference-coefficient limit");
/// `standards.class_size`.
const CLASS_SIZE: Range = whole("1", "200", "a whole number of students");
/// `standards.min_students_counted`.
const MIN_STUDENTS: Range = whole("0", "10000", "a whole number of students");
/// `standards.junior_weight`.
const JUNIOR_WEIGHT: Range = positive("10", "a weight");
/// `staffing.load`.
const LOAD: Range = decimal("1", "60", "a number of periods per week");
/// `staffing.<level>.<subject>`.
const PERIODS: Range = decimal("0", "60", "a number of periods per class and week");

fn value_bool(value: &toml::Value) -> Result<bool, String> {
    match value {
        toml::Value::Boolean(b) => Ok(*b),
        toml::Value::String(s) => match crate::domain::normalize_word(s).as_str() {
            "yes" | "true" | "是" => Ok(true),
            "no" | "false" | "否" => Ok(false),
            _ => Err(format!("\"{s}\" is not yes/no (是/否)")),
        },
        other => Err(format!("{other} is not yes/no")),
    }
}

impl Policy {
    /// Sets one dotted key (`movement.max_distance_km`) to a value.
    /// The error is a sentence for the user (without the file position).
    pub fn set(&mut self, key: &str, value: &toml::Value) -> Result<(), String> {
        let parts: Vec<&str> = key.split('.').map(str::trim).collect();
        let level_of = |word: &str| Level::parse(word);
        match parts.as_slice() {
            ["year"] => self.year = YEAR.check_i32(value)?,
            ["rotation", "min_share"] => self.rotation.min_share = SHARE.check(value)?,
            ["rotation", "max_share"] => self.rotation.max_share = SHARE.check(value)?,
            ["rotation", "backbone_min_share"] => self.rotation.backbone_min_share = SHARE.check(value)?,
            ["rotation", "years"] => self.rotation.years = ROTATION_YEARS.check_i32(value)?,
            ["eligibility", "min_years_at_school"] => self.eligibility.min_years_at_school = YEARS.check_i32(value)?,
            ["eligibility", "max_age_male"] => self.eligibility.max_age_male = AGE.check_i32(value)?,
            ["eligibility", "max_age_female"] => self.eligibility.max_age_female = AGE.check_i32(value)?,
            ["eligibility", "min_years_since_rotation"] => {
                self.eligibility.min_years_since_rotation = YEARS.check_i32(value)?
            }
            ["eligibility", "include_principals"] => self.eligibility.include_principals = value_bool(value)?,
            ["movement", "same_section"] => {
                if !value_bool(value)? {
                    return Err("same_section = no is not supported: a teacher stays in their section".into());
                }
            }
            ["movement", "max_distance_km"] => self.movement.max_distance_km = to_f64(&KM.check(value)?),
            ["movement", "road_factor"] => self.movement.road_factor = to_f64(&ROAD_FACTOR.check(value)?),
            ["movement", "within_alliance"] => self.movement.within_alliance = value_bool(value)?,
            ["movement", "headcount_tolerance"] => self.movement.headcount_tolerance = TOLERANCE.check_u32(value)?,
            ["standards", "min_students_counted"] => {
                self.standards.min_students_counted = MIN_STUDENTS.check_u32(value)?
            }
            ["standards", "junior_weight"] => self.standards.junior_weight = JUNIOR_WEIGHT.check(value)?,
            ["standards", "class_size", lv] => {
                let level = level_of(lv).ok_or_else(|| unknown_level(lv))?;
                *self.standards.class_size.slot(level) = CLASS_SIZE.check_u32(value)?;
            }
            ["standards", table, lv] => {
                let level = level_of(lv).ok_or_else(|| unknown_level(lv))?;
                let s = &mut self.standards;
                let (slot, range) = match *table {
                    "higher_degree" => (s.higher_degree.slot(level), PER_100_TEACHERS),
                    "backbone" => (s.backbone.slot(level), PER_100_TEACHERS),
                    "pe_arts" => (s.pe_arts.slot(level), PER_100_TEACHERS),
                    "teaching_area_m2" => (s.teaching_area_m2.slot(level), AREA),
                    "sports_area_m2" => (s.sports_area_m2.slot(level), AREA),
                    "equipment_yuan" => (s.equipment_yuan.slot(level), YUAN),
                    "multimedia_rooms" => (s.multimedia_rooms.slot(level), ROOMS),
                    "cv_limit" => (s.cv_limit.slot(level), CV_LIMIT),
                    _ => return Err(unknown_key(key)),
                };
                *slot = range.check(value)?;
            }
            ["staffing", "load", lv] => {
                let level = level_of(lv).ok_or_else(|| unknown_level(lv))?;
                *self.staffing.load.slot(level) = LOAD.check(value)?;
            }
            ["staffing", lv, subject] => {
                let level = level_of(lv).ok_or_else(|| unknown_key(key))?;
                let subject = Subject::parse(subject).ok_or_else(|| {
                    format!("unknown subject \"{subject}\"; use one of {}", Subject::words().join(", "))
                })?;
                self.staffing.periods.slot(level).insert(subject, PERIODS.check(value)?);
            }
            _ => return Err(unknown_key(key)),
        }
        Ok(())
    }

    /// Applies a TOML document of overrides; returns every problem as
    /// (dotted key, message).
    pub fn apply_toml(&mut self, table: &toml::Table) -> Vec<(String, String)> {
        let mut flat = Vec::new();
        flatten("", table, &mut flat);
        let mut problems = Vec::new();
        for (key, value) in flat {
            if let Err(message) = self.set(&key, &value) {
                problems.push((key, message));
            }
        }
        problems
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
        out
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

/// ⌈x⌉ of a non-negative exact number, as u32 (saturating).
pub fn ceil_exact(x: Exact) -> u32 {
    let c = x.ceil().to_integer();
    c.clamp(0, u32::MAX as i128) as u32
}

fn unknown_level(word: &str) -> String {
    format!("unknown section \"{word}\"; use primary or junior")
}

fn unknown_key(key: &str) -> String {
    let known = known_keys();
    let nearest = known
        .iter()
        .map(|k| (strsim::levenshtein(k, key), k))
        .min()
        .filter(|(d, _)| *d <= 6)
        .map(|(_, k)| format!("; did you mean `{k}`?"))
        .unwrap_or_default();
    format!("unknown policy key `{key}`{nearest}")
}

fn flatten(prefix: &str, table: &toml::Table, out: &mut Vec<(String, toml::Value)>) {
    for (k, v) in table {
        let key = if prefix.is_empty() { k.clone() } else { format!("{prefix}.{k}") };
        match v {
            toml::Value::Table(t) => flatten(&key, t, out),
            other => out.push((key, other.clone())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exact_share_rounding() {
        let mut p = Policy::default();
        p.set("rotation.min_share", &toml::Value::Float(0.14)).unwrap();
        assert_eq!(p.required_moves(100), 14);
        assert_eq!(p.required_moves(101), 15);
        assert_eq!(parse_exact("0.85").unwrap(), Exact::new(17, 20));
        assert_eq!(parse_exact("2.5e1").unwrap(), Exact::from_integer(25));
        assert!(parse_exact("1.2.3").is_none());
    }

    #[test]
    fn unknown_key_suggests() {
        let mut p = Policy::default();
        let e = p.set("movement.max_distnce_km", &toml::Value::Integer(5)).unwrap_err();
        assert!(e.contains("movement.max_distance_km"), "{e}");
    }

    #[test]
    fn override_keeps_other_defaults() {
        let mut p = Policy::default();
        let doc: toml::Table = toml::from_str("[staffing.primary]\nchinese = 8\n").unwrap();
        assert!(p.apply_toml(&doc).is_empty());
        assert_eq!(p.staffing.periods.primary[&Subject::Chinese], Exact::from_integer(8));
        assert_eq!(p.staffing.periods.primary[&Subject::Math], Exact::new(9, 2));
    }
}
