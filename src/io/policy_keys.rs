//! The policy's keys as written in policy.toml, a workbook `policy` sheet
//! or a scenario file: their ranges, their parsing from TOML values and the
//! "did you mean" list. The `Policy` type itself lives in `domain` and
//! knows no file format.

use crate::domain::policy::{dec, Policy};
use crate::domain::{Exact, Level, Subject};
use crate::exact::{exact_from_f64, parse_exact, to_f64};

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
pub(crate) const MOST_DECIMALS: u32 = 6;

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
    pub(crate) fn set(&mut self, key: &str, value: &toml::Value) -> Result<(), String> {
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
    pub(crate) fn apply_toml(&mut self, table: &toml::Table) -> Vec<(String, String)> {
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
