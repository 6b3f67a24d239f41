//! family.csv (家庭): pairs of teachers of the county whose schools after
//! the plan must be in the same town or within a distance, checked against
//! the teachers.

use std::collections::HashMap;

use serde::Deserialize;

use super::applications::{teacher_of, too_many_rows};
use super::{raw, reference_zh, report, RowProblems, TeacherRegistry};
use crate::domain::applications::{FamilyRule, FamilyTie};
use crate::domain::Exact;
use crate::error::Text;
use crate::exact::{parse_exact, to_f64};
use crate::io::table::{req, Column, Problems, Table};

/// Columns of family.csv.
pub(crate) const FAMILY_COLUMNS: &[Column] =
    &[req("teacher_a", &["教师甲"]), req("teacher_b", &["教师乙"]), req("rule", &["规则"])];

/// The longest distance a tie may allow, in km: farther than any two
/// schools of a county.
const MOST_KM: i128 = 500;

/// A row of family.csv as written.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct RawTie<'a> {
    teacher_a: &'a str,
    teacher_b: &'a str,
    rule: &'a str,
}

impl RawTie<'_> {
    /// The tie, or every problem of the row.
    fn validate(&self, teachers: &TeacherRegistry) -> Result<FamilyTie, RowProblems> {
        let mut bad = RowProblems::new();
        let a = teacher_of(self.teacher_a, "teacher_a", teachers, &mut bad);
        let b = teacher_of(self.teacher_b, "teacher_b", teachers, &mut bad);
        if a.is_some() && self.teacher_a == self.teacher_b {
            bad.push((
                "teacher_b",
                Text::both(
                    format!("teacher \"{}\" is tied to themself; a tie names two teachers", self.teacher_b),
                    format!("教师「{}」与自己结成家庭关系；一条家庭关系须写两位不同的教师", self.teacher_b),
                ),
            ));
        }
        let rule = match parse_rule(self.rule) {
            Ok(rule) => Some(rule),
            Err(message) => {
                bad.push(("rule", message));
                None
            }
        };
        match (a, b, rule) {
            (Some(_), Some(_), Some(rule)) if bad.is_empty() => {
                Ok(FamilyTie { teacher_a: self.teacher_a.to_string(), teacher_b: self.teacher_b.to_string(), rule })
            }
            _ => Err(bad),
        }
    }
}

/// `same_town` (同镇) or `within_km N` (不超过N公里), with N above 0 and at
/// most 500; spaces, underscores and case do not matter, and a unit `km`
/// may follow N.
fn parse_rule(text: &str) -> Result<FamilyRule, Text> {
    let key: String = text.chars().filter(|c| !c.is_whitespace() && *c != '_').flat_map(|c| c.to_lowercase()).collect();
    if matches!(key.as_str(), "sametown" | "同镇" | "同乡镇") {
        return Ok(FamilyRule::SameTown);
    }
    let number = key.strip_prefix("withinkm").map(|n| n.strip_suffix("km").unwrap_or(n)).or_else(|| {
        key.strip_prefix("不超过").map(|n| n.strip_suffix("公里").or_else(|| n.strip_suffix("km")).unwrap_or(n))
    });
    let Some(number) = number else {
        let (en, zh) = if text.is_empty() {
            ("empty cell".to_string(), "单元格为空".to_string())
        } else {
            (format!("unknown rule \"{text}\""), format!("无法识别的规则「{text}」"))
        };
        return Err(Text::both(
            format!("{en}; give same_town or within_km N (N km, such as within_km 10)"),
            format!("{zh}；请填 同镇（same_town）或 不超过N公里（within_km N，如 不超过10公里）"),
        ));
    };
    let km = parse_exact(number);
    match km {
        Some(km) if km > Exact::from_integer(0) && km <= Exact::from_integer(MOST_KM) => {
            Ok(FamilyRule::WithinKm(to_f64(&km)))
        }
        _ => Err(Text::both(
            format!(
                "\"{text}\": the distance must be a number of km above 0 and at most {MOST_KM}, such as within_km 10"
            ),
            format!("「{text}」：距离须是大于 0 且不超过 {MOST_KM} 的公里数，如 不超过10公里"),
        )),
    }
}

/// Validates family.csv: a teacher may be in several ties, a pair in one.
pub(crate) fn read_family(table: &Table, teachers: &TeacherRegistry, problems: &mut Problems) -> Vec<FamilyTie> {
    if too_many_rows(table, teachers, problems) {
        return Vec::new();
    }
    let mut ties = Vec::new();
    let mut first_line: HashMap<(String, String), u64> = HashMap::new();
    let names = table.names();
    for row in &table.rows {
        let values = table.record(row);
        let Some(raw) = raw::<RawTie>(table, row, &names, &values, problems) else { continue };
        let pair = if raw.teacher_a <= raw.teacher_b {
            (raw.teacher_a.to_string(), raw.teacher_b.to_string())
        } else {
            (raw.teacher_b.to_string(), raw.teacher_a.to_string())
        };
        // A second row is a problem, and its other problems are listed too.
        let twice = first_line.get(&pair).copied();
        if let Some(first) = twice {
            let message = Text::both(
                format!(
                    "teachers \"{}\" and \"{}\" are already tied (first {}); keep one row per pair",
                    raw.teacher_a,
                    raw.teacher_b,
                    table.reference(first, "teacher_a")
                ),
                format!(
                    "教师「{}」和「{}」的家庭关系已经写过（首次出现在{}）；每对教师只保留一行",
                    raw.teacher_a,
                    raw.teacher_b,
                    reference_zh(table, first, "teacher_a")
                ),
            );
            problems.cell(table, row.line, "teacher_a", message);
        }
        if twice.is_none() && !raw.teacher_a.is_empty() && !raw.teacher_b.is_empty() {
            first_line.insert(pair, row.line);
        }
        match raw.validate(teachers) {
            Ok(tie) if twice.is_none() => ties.push(tie),
            Ok(_) => {}
            Err(row_problems) => report(table, row.line, row_problems, problems),
        }
    }
    ties
}
