//! The policy's keys as written in policy.toml, a workbook `policy` sheet
//! or a scenario file: their ranges, their parsing from TOML values and the
//! "did you mean" list. The `Policy` type itself lives in `domain` and
//! knows no file format.

use crate::domain::policy::{dec, Policy, ReturnsMode};
use crate::domain::{Exact, Level, Subject};
use crate::error::Text;
use crate::exact::{exact_from_f64, parse_exact, to_f64};

/// Every settable key of a policy, for "did you mean" suggestions.
pub fn known_keys() -> Vec<String> {
    let mut keys: Vec<String> = [
        "year",
        "rotation.min_share",
        "rotation.max_share",
        "rotation.backbone_min_share",
        "rotation.to_rural_min_share",
        "rotation.years",
        "eligibility.min_years_at_school",
        "eligibility.max_age_male",
        "eligibility.max_age_female",
        "eligibility.min_years_since_rotation",
        "eligibility.include_principals",
        "principals.min_years_at_school",
        "principals.min_share",
        "principals.max_share",
        "principals.count_in_teachers",
        "movement.same_section",
        "movement.max_distance_km",
        "movement.road_factor",
        "movement.within_alliance",
        "movement.headcount_tolerance",
        "exchange.returns",
        "retirement.age_male",
        "retirement.age_female",
        "inspection_year",
        "standards.min_students_counted",
        "standards.junior_weight",
        "priority.school_year",
        "priority.rural_year",
        "priority.age_year",
        "priority.age_from",
        "objective.subject_gaps",
        "staffing.small_school_students",
        "standards.max_school_students",
        "standards.max_nine_year_students",
        "standards.classes_per_music_room",
        "standards.classes_per_art_room",
        "standards.large_class",
        "standards.very_large_class",
        "levers.hire",
        "levers.upgrade",
        "levers.designate",
        "structure.young_under",
        "structure.old_from",
        "objective.structure",
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
        keys.push(format!("staffing.students_per_staff.{level}"));
        keys.push(format!("staffing.staff_per_class.{level}"));
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
        other => shown_number(other),
    }
}

/// A value as the user wrote it, for Chinese messages: text in 「」.
fn shown_zh(value: &toml::Value) -> String {
    match value {
        toml::Value::String(s) => format!("「{s}」"),
        other => shown_number(other),
    }
}

fn shown_number(value: &toml::Value) -> String {
    match value {
        // A whole number from an Excel cell arrives as a float: 60, not 60.0.
        toml::Value::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        other => other.to_string(),
    }
}

/// The English and Chinese words of a closed word set, for "use one of"
/// messages: `primary, junior` and `primary、junior（或 小学、初中）`. The
/// parsers of these sets read either word.
pub fn choices<T>(all: &[(T, &'static str, &'static str)]) -> (String, String) {
    let en: Vec<&str> = all.iter().map(|(_, en, _)| *en).collect();
    let zh: Vec<&str> = all.iter().map(|(_, _, zh)| *zh).collect();
    (en.join(", "), format!("{}（或 {}）", en.join("、"), zh.join("、")))
}

fn value_exact(value: &toml::Value) -> Result<Exact, Text> {
    let v = match value {
        toml::Value::Integer(i) => Exact::from_integer(*i as i128),
        toml::Value::Float(f) => exact_from_f64(*f)
            .ok_or_else(|| Text::both(format!("{f} is not a finite number"), format!("{f} 不是有限的数")))?,
        toml::Value::String(s) => parse_exact(s)
            .ok_or_else(|| Text::both(format!("\"{s}\" is not a number"), format!("「{s}」不是数字；请填一个数")))?,
        other => return Err(Text::both(format!("{other} is not a number"), format!("{other} 不是数字；请填一个数"))),
    };
    if 10i128.pow(MOST_DECIMALS) % v.denom() != 0 {
        return Err(Text::both(
            format!("{} has too many decimal places; give at most {MOST_DECIMALS}", shown(value)),
            format!("{} 的小数位太多；最多保留 {MOST_DECIMALS} 位小数", shown_zh(value)),
        ));
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
    /// The same in Chinese.
    what_zh: &'static str,
    /// Why, or an example, appended to the message (may be empty).
    note: &'static str,
    /// The same in Chinese.
    note_zh: &'static str,
}

const fn whole(min: &'static str, max: &'static str, what: &'static str, what_zh: &'static str) -> Range {
    Range { min, min_excluded: false, max, whole: true, what, what_zh, note: "", note_zh: "" }
}

const fn decimal(min: &'static str, max: &'static str, what: &'static str, what_zh: &'static str) -> Range {
    Range { min, min_excluded: false, max, whole: false, what, what_zh, note: "", note_zh: "" }
}

const fn positive(max: &'static str, what: &'static str, what_zh: &'static str) -> Range {
    Range { min: "0", min_excluded: true, max, whole: false, what, what_zh, note: "", note_zh: "" }
}

impl Range {
    const fn note(self, note: &'static str, note_zh: &'static str) -> Range {
        Range { note, note_zh, ..self }
    }

    fn words(&self) -> String {
        let from = if self.min_excluded {
            format!("above {} and at most {}", self.min, self.max)
        } else {
            format!("from {} to {}", self.min, self.max)
        };
        format!("give {} {from}{}", self.what, self.note)
    }

    fn words_zh(&self) -> String {
        if self.min_excluded {
            format!("请填{}，大于 {} 且不超过 {}{}", self.what_zh, self.min, self.max, self.note_zh)
        } else {
            format!("请填 {} 到 {} 之间的{}{}", self.min, self.max, self.what_zh, self.note_zh)
        }
    }

    /// "out of range", with the range, in both languages.
    fn out_of_range(&self, value: &toml::Value) -> Text {
        Text::both(
            format!("{} is out of range; {}", shown(value), self.words()),
            format!("{} 超出范围；{}", shown_zh(value), self.words_zh()),
        )
    }

    /// The value, or a message saying the range.
    fn check(&self, value: &toml::Value) -> Result<Exact, Text> {
        let v = value_exact(value)?;
        let (min, max) = (dec(self.min), dec(self.max));
        let below = if self.min_excluded { v <= min } else { v < min };
        if below || v > max {
            return Err(self.out_of_range(value));
        }
        if self.whole && !v.is_integer() {
            return Err(Text::both(
                format!("{} is not a whole number; {}", shown(value), self.words()),
                format!("{} 不是整数；{}", shown_zh(value), self.words_zh()),
            ));
        }
        Ok(v)
    }

    /// A whole number in range (the range fits in i32).
    fn check_i32(&self, value: &toml::Value) -> Result<i32, Text> {
        let v = self.check(value)?;
        i32::try_from(v.to_integer()).map_err(|_| self.out_of_range(value))
    }

    /// A whole number ≥ 0 in range.
    fn check_u32(&self, value: &toml::Value) -> Result<u32, Text> {
        let v = self.check(value)?;
        u32::try_from(v.to_integer()).map_err(|_| self.out_of_range(value))
    }
}

/// `levers.hire`, `upgrade`, `designate`.
const COST: Range = whole("1", "1000000", "a whole cost in thousand yuan", "整数费用（千元）");
/// `year`.
const YEAR: Range = whole("2000", "2100", "a year", "年份");
/// `rotation.min_share`, `max_share`, `backbone_min_share`, `to_rural_min_share`; `principals.min_share`, `max_share`.
const SHARE: Range = decimal("0", "1", "a share", "比例").note(", such as 0.10", "，如 0.10");
/// `rotation.years`.
const ROTATION_YEARS: Range = whole("1", "20", "a whole number of years", "整数年数");
/// `eligibility.min_years_at_school`, `min_years_since_rotation`; `principals.min_years_at_school`.
const YEARS: Range = whole("0", "60", "a whole number of years", "整数年数");
/// `eligibility.max_age_male`, `max_age_female`.
const AGE: Range = whole("18", "80", "an age in whole years", "整数周岁");
/// `movement.max_distance_km`.
const KM: Range = decimal("0", "10000", "a distance in km", "距离（公里）").note(" (0 = no limit)", "（0 表示不限）");
/// `movement.road_factor`.
const ROAD_FACTOR: Range = decimal("1", "10", "a factor", "系数")
    .note(" (roads are never shorter than the straight line)", "（道路不会比直线距离短）");
/// `movement.headcount_tolerance`.
const TOLERANCE: Range = whole("0", "1000", "a whole number of teachers", "整数教师人数");
/// `standards.higher_degree`, `backbone`, `pe_arts`.
const PER_100_TEACHERS: Range = positive("100", "a number of teachers per 100 students", "每百名学生的教师数");
/// `standards.teaching_area_m2`, `sports_area_m2`.
const AREA: Range = positive("1000", "a number of m² per student", "生均面积（平方米）");
/// `standards.equipment_yuan`.
const YUAN: Range = positive("1000000", "a number of yuan per student", "生均金额（元）");
/// `standards.multimedia_rooms`.
const ROOMS: Range = positive("100", "a number of rooms per 100 students", "每百名学生的教室间数");
/// `standards.cv_limit`.
const CV_LIMIT: Range = positive("1", "a difference-coefficient limit", "差异系数上限");
/// `standards.class_size`.
const CLASS_SIZE: Range = whole("1", "200", "a whole number of students", "整数学生人数");
/// `standards.min_students_counted`.
const MIN_STUDENTS: Range = whole("0", "10000", "a whole number of students", "整数学生人数");
/// `standards.junior_weight`.
const JUNIOR_WEIGHT: Range = positive("10", "a weight", "权重");
/// `staffing.load`.
const LOAD: Range = decimal("1", "60", "a number of periods per week", "每周课时数");
/// `priority.school_year`, `rural_year`, `age_year`.
const POINTS_PER_YEAR: Range = decimal("0", "100", "a number of points per year", "每年的积分");
/// `staffing.students_per_staff`.
const STUDENTS_PER_STAFF: Range = decimal("1", "100", "a number of students per staff post", "每个编制对应的学生数");
/// `staffing.staff_per_class`.
const STAFF_PER_CLASS: Range = decimal("0", "10", "a number of staff posts per class", "每班编制数");
/// `standards.max_school_students`, `max_nine_year_students`.
const SCHOOL_SIZE: Range = whole("1", "100000", "a whole number of students", "整数学生人数");
/// `standards.classes_per_music_room`, `classes_per_art_room`.
const CLASSES_PER_ROOM: Range = whole("1", "100", "a whole number of classes", "整数班级数");
/// `staffing.<level>.<subject>`.
const PERIODS: Range = decimal("0", "60", "a number of periods per class and week", "每班每周课时数");

fn value_bool(value: &toml::Value) -> Result<bool, Text> {
    match value {
        toml::Value::Boolean(b) => Ok(*b),
        toml::Value::String(s) => match crate::domain::normalize_word(s).as_str() {
            "yes" | "true" | "是" => Ok(true),
            "no" | "false" | "否" => Ok(false),
            _ => Err(Text::both(
                format!("\"{s}\" is not yes/no (是/否)"),
                format!("「{s}」不是“是/否”；请填 是 或 否（也可填 yes、no）"),
            )),
        },
        other => Err(Text::both(
            format!("{other} is not yes/no"),
            format!("{other} 不是“是/否”；请填 是 或 否（也可填 yes、no）"),
        )),
    }
}

fn value_returns(value: &toml::Value) -> Result<ReturnsMode, Text> {
    let word = match value {
        toml::Value::String(s) => crate::domain::normalize_word(s),
        other => other.to_string(),
    };
    match word.as_str() {
        "fixed" | "固定" => Ok(ReturnsMode::Fixed),
        "optional" | "可选" => Ok(ReturnsMode::Optional),
        _ => Err(Text::both(
            format!("{value} is not fixed or optional"),
            format!("{value} 不是 fixed（按期返回）或 optional（可延期一年）"),
        )),
    }
}

impl Policy {
    /// The cost of a lever by its key in `[levers]`.
    fn lever_cost(&mut self, which: &str) -> Option<&mut u32> {
        match which {
            "hire" => Some(&mut self.levers.hire),
            "upgrade" => Some(&mut self.levers.upgrade),
            "designate" => Some(&mut self.levers.designate),
            _ => None,
        }
    }

    /// Sets one dotted key (`movement.max_distance_km`) to a value.
    /// The error is a sentence for the user (without the file position).
    pub(crate) fn set(&mut self, key: &str, value: &toml::Value) -> Result<(), Text> {
        let parts: Vec<&str> = key.split('.').map(str::trim).collect();
        let level_of = |word: &str| Level::parse(word);
        match parts.as_slice() {
            ["year"] => self.year = YEAR.check_i32(value)?,
            ["inspection_year"] => self.inspection_year = Some(YEAR.check_i32(value)?),
            ["exchange", "returns"] => self.exchange.returns = value_returns(value)?,
            ["retirement", "age_male"] => self.retirement.age_male = AGE.check_i32(value)?,
            ["retirement", "age_female"] => self.retirement.age_female = AGE.check_i32(value)?,
            ["structure", "young_under"] => self.structure.young_under = AGE.check_i32(value)?,
            ["structure", "old_from"] => self.structure.old_from = AGE.check_i32(value)?,
            ["objective", "structure"] => self.objective.structure = value_bool(value)?,
            ["rotation", "min_share"] => self.rotation.min_share = SHARE.check(value)?,
            ["rotation", "max_share"] => self.rotation.max_share = SHARE.check(value)?,
            ["rotation", "backbone_min_share"] => self.rotation.backbone_min_share = SHARE.check(value)?,
            ["rotation", "to_rural_min_share"] => self.rotation.to_rural_min_share = SHARE.check(value)?,
            ["rotation", "years"] => self.rotation.years = ROTATION_YEARS.check_i32(value)?,
            ["eligibility", "min_years_at_school"] => self.eligibility.min_years_at_school = YEARS.check_i32(value)?,
            ["eligibility", "max_age_male"] => self.eligibility.max_age_male = AGE.check_i32(value)?,
            ["eligibility", "max_age_female"] => self.eligibility.max_age_female = AGE.check_i32(value)?,
            ["eligibility", "min_years_since_rotation"] => {
                self.eligibility.min_years_since_rotation = YEARS.check_i32(value)?
            }
            ["eligibility", "include_principals"] => self.principals.count_in_teachers = value_bool(value)?,
            ["principals", name] => self.set_principals(name, key, value)?,
            ["movement", "same_section"] => {
                if !value_bool(value)? {
                    return Err(Text::both(
                        "same_section = no is not supported: a teacher stays in their section",
                        "不支持 same_section = no：教师只在本学段内交流",
                    ));
                }
            }
            ["movement", "max_distance_km"] => self.movement.max_distance_km = to_f64(&KM.check(value)?),
            ["movement", "road_factor"] => self.movement.road_factor = to_f64(&ROAD_FACTOR.check(value)?),
            ["movement", "within_alliance"] => self.movement.within_alliance = value_bool(value)?,
            ["movement", "headcount_tolerance"] => self.movement.headcount_tolerance = TOLERANCE.check_u32(value)?,
            ["standards", "min_students_counted"] => {
                self.standards.min_students_counted = MIN_STUDENTS.check_u32(value)?
            }
            ["levers", w] if self.lever_cost(w).is_some() => *self.lever_cost(w).unwrap() = COST.check_u32(value)?,
            ["priority", "school_year"] => self.priority.school_year = POINTS_PER_YEAR.check(value)?,
            ["priority", "rural_year"] => self.priority.rural_year = POINTS_PER_YEAR.check(value)?,
            ["priority", "age_year"] => self.priority.age_year = POINTS_PER_YEAR.check(value)?,
            ["priority", "age_from"] => self.priority.age_from = AGE.check_i32(value)?,
            ["objective", "subject_gaps"] => self.objective.subject_gaps = value_bool(value)?,
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
            ["staffing", lv, subject] if level_of(lv).is_some() => {
                let level = level_of(lv).ok_or_else(|| unknown_key(key))?;
                let subject = Subject::parse(subject).ok_or_else(|| {
                    let (en, zh) = choices(Subject::ALL);
                    Text::both(
                        format!("unknown subject \"{subject}\"; use one of {en}"),
                        format!("未知学科「{subject}」；可填：{zh}"),
                    )
                })?;
                self.staffing.periods.slot(level).insert(subject, PERIODS.check(value)?);
            }
            _ => return self.set_norm(&parts, value).unwrap_or_else(|| Err(unknown_key(key))),
        }
        Ok(())
    }

    /// Sets a key of the staffing norms, school size or rooms
    /// (`policy.norms`); None when the key is not one of them.
    fn set_norm(&mut self, parts: &[&str], value: &toml::Value) -> Option<Result<(), Text>> {
        let n = &mut self.norms;
        let level = |lv: &str| Level::parse(lv).ok_or_else(|| unknown_level(lv));
        let result = match parts {
            ["staffing", "small_school_students"] => MIN_STUDENTS.check_u32(value).map(|v| n.small_school_students = v),
            ["staffing", "students_per_staff", lv] => {
                level(lv).and_then(|l| STUDENTS_PER_STAFF.check(value).map(|v| *n.students_per_staff.slot(l) = v))
            }
            ["staffing", "staff_per_class", lv] => {
                level(lv).and_then(|l| STAFF_PER_CLASS.check(value).map(|v| *n.staff_per_class.slot(l) = v))
            }
            ["standards", "max_school_students"] => SCHOOL_SIZE.check_u32(value).map(|v| n.max_school_students = v),
            ["standards", "max_nine_year_students"] => {
                SCHOOL_SIZE.check_u32(value).map(|v| n.max_nine_year_students = v)
            }
            ["standards", "classes_per_music_room"] => {
                CLASSES_PER_ROOM.check_u32(value).map(|v| n.classes_per_music_room = v)
            }
            ["standards", "classes_per_art_room"] => {
                CLASSES_PER_ROOM.check_u32(value).map(|v| n.classes_per_art_room = v)
            }
            ["standards", "large_class"] => CLASS_SIZE.check_u32(value).map(|v| n.large_class = v),
            ["standards", "very_large_class"] => CLASS_SIZE.check_u32(value).map(|v| n.very_large_class = v),
            _ => return None,
        };
        Some(result)
    }

    /// Sets one key of `[principals]` (`eligibility.include_principals`,
    /// the older key, sets `count_in_teachers`: principals rotate by
    /// `[principals]` either way).
    fn set_principals(&mut self, name: &str, key: &str, value: &toml::Value) -> Result<(), Text> {
        let p = &mut self.principals;
        match name {
            "min_years_at_school" => p.min_years_at_school = YEARS.check_i32(value)?,
            "min_share" => p.min_share = SHARE.check(value)?,
            "max_share" => p.max_share = SHARE.check(value)?,
            "count_in_teachers" => p.count_in_teachers = value_bool(value)?,
            _ => return Err(unknown_key(key)),
        }
        Ok(())
    }

    /// Applies a TOML document of overrides; returns every problem as
    /// (dotted key, message).
    pub(crate) fn apply_toml(&mut self, table: &toml::Table) -> Vec<(String, Text)> {
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

fn unknown_level(word: &str) -> Text {
    let (_, zh) = choices(Level::ALL);
    Text::both(format!("unknown section \"{word}\"; use primary or junior"), format!("未知学段「{word}」；可填：{zh}"))
}

fn unknown_key(key: &str) -> Text {
    let known = known_keys();
    let nearest = known.iter().map(|k| (strsim::levenshtein(k, key), k)).min().filter(|(d, _)| *d <= 6);
    let (nearest_en, nearest_zh) = match nearest {
        Some((_, k)) => (format!("; did you mean `{k}`?"), format!("；是否想写 `{k}`？")),
        None => (String::new(), String::new()),
    };
    Text::both(format!("unknown policy key `{key}`{nearest_en}"), format!("未知的政策参数 `{key}`{nearest_zh}"))
}

/// A contradiction of [`Policy::contradictions`] (worded in English there)
/// with its Chinese wording.
pub(crate) fn contradiction(policy: &Policy, key: &str, message: String) -> Text {
    let r = &policy.rotation;
    match key {
        "rotation.max_share" => {
            let zh = format!(
                "max_share {} 小于 min_share {}：任何方案都达不到规定的交流人数；请把 rotation.max_share 设为不小于 rotation.min_share",
                to_f64(&r.max_share),
                to_f64(&r.min_share)
            );
            Text::both(message, zh)
        }
        "principals.max_share" => {
            let p = &policy.principals;
            let zh = format!(
                "principals.max_share {} 小于 principals.min_share {}：任何方案都达不到规定的校长交流人数；请把 principals.max_share 设为不小于 principals.min_share（默认 0.2）",
                to_f64(&p.max_share),
                to_f64(&p.min_share)
            );
            Text::both(message, zh)
        }
        "structure.old_from" => {
            let st = &policy.structure;
            let zh = format!(
                "old_from {} 小于 young_under {}：同一位教师会既是青年又是老年教师；请把 structure.old_from 设为不小于 structure.young_under",
                st.old_from, st.young_under
            );
            Text::both(message, zh)
        }
        "standards.large_class" => {
            let n = &policy.norms;
            let zh = format!(
                "large_class {} 大于 very_large_class {}：超大班额必然也是大班额；请把 standards.large_class 设为不大于 standards.very_large_class",
                n.large_class, n.very_large_class
            );
            Text::both(message, zh)
        }
        _ => message.into(),
    }
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
        assert!(e.en.contains("movement.max_distance_km"), "{e}");
        assert!(e.zh.as_deref().is_some_and(|zh| zh.contains("movement.max_distance_km")), "{e:?}");
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
