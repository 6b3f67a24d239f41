//! staffing.csv: its columns, its raw row and the staffing need it
//! validates into (one row per school, section and subject).

use std::collections::BTreeMap;

use serde::Deserialize;

use super::{missing_section, raw, reference_zh, report, take, unknown_school, RowProblems, SchoolRegistry};
use crate::domain::{Level, StaffingNeed, Subject};
use crate::error::Text;
use crate::io::fields::{count_at_most, word, What};

/// The most teachers of one subject a school section may need (staffing.csv).
const MOST_NEED: u32 = 10_000;
use crate::io::table::{req, Column, Problems, Table};

/// Columns of staffing.csv.
pub(crate) const STAFFING_COLUMNS: &[Column] = &[
    req("school_id", &["学校代码", "学校编号"]),
    req("section", &["学段"]),
    req("subject", &["任教学科", "学科"]),
    req("need", &["需求", "需求数"]),
];

/// A row of staffing.csv as written.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct RawStaffing {
    school_id: String,
    section: String,
    subject: String,
    need: String,
}

impl RawStaffing {
    fn validate(&self, schools: &SchoolRegistry) -> Result<StaffingNeed, RowProblems> {
        let mut bad = RowProblems::new();
        let school = if self.school_id.is_empty() {
            bad.push(("school_id", Text::both("empty cell; give the school", "单元格为空；请填写学校")));
            None
        } else if let Some(info) = schools.get(&self.school_id) {
            Some(info)
        } else {
            bad.push(("school_id", unknown_school(&self.school_id, schools)));
            None
        };
        let level =
            take(&mut bad, "section", word(&self.section, What::new("section", "学段"), Level::parse, Level::ALL));
        bad.extend(missing_section(&self.school_id, school.and_then(|s| s.kind), level));
        let subject = take(
            &mut bad,
            "subject",
            word(&self.subject, What::new("subject", "任教学科"), Subject::parse, Subject::ALL),
        );
        let need = take(
            &mut bad,
            "need",
            count_at_most(&self.need, What::new("number of teachers needed", "所需教师数"), MOST_NEED),
        );
        match (level, subject, need) {
            (Some(level), Some(subject), Some(need)) if bad.is_empty() => {
                Ok(StaffingNeed { school_id: self.school_id.clone(), level, subject, need })
            }
            _ => Err(bad),
        }
    }
}

/// Validates staffing.csv; one row per school, section and subject.
pub(crate) fn read_staffing(table: &Table, schools: &SchoolRegistry, problems: &mut Problems) -> Vec<StaffingNeed> {
    let mut needs = Vec::new();
    let mut first_line: BTreeMap<(String, Level, Subject), u64> = BTreeMap::new();
    let names = table.names();
    for row in &table.rows {
        let values = table.record(row);
        let Some(raw) = raw::<RawStaffing>(table, row, &names, &values, problems) else { continue };
        match raw.validate(schools) {
            Ok(need) => {
                let key = (need.school_id.clone(), need.level, need.subject);
                if let Some(first) = first_line.get(&key) {
                    let message = Text::both(
                        format!(
                            "{} {} {} is given twice (first {}); keep one row",
                            need.school_id,
                            need.level.word(),
                            need.subject.word(),
                            table.reference(*first, "school_id")
                        ),
                        format!(
                            "学校「{}」{}{}的需求填了两次（首次出现在{}）；请只保留一行",
                            need.school_id,
                            need.level.word_zh(),
                            need.subject.word_zh(),
                            reference_zh(table, *first, "school_id")
                        ),
                    );
                    problems.cell(table, row.line, "subject", message);
                    continue;
                }
                first_line.insert(key, row.line);
                needs.push(need);
            }
            Err(row_problems) => report(table, row.line, row_problems, problems),
        }
    }
    needs
}
