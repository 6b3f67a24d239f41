//! The tables of a data folder: their columns (English names and Chinese
//! aliases), a raw row struct per table that mirrors the sheet, and the
//! validation that turns raw rows into domain values — every problem of
//! every row is reported, cross-row rules (duplicates, references,
//! contradicting locks) included.

use std::collections::HashMap;

use serde::Deserialize;

use crate::domain::{Level, SchoolKind};
use crate::error::Text;

use super::fields::nearest;
use super::table::{Origin, Problems, Row, Table};

mod applications;
mod changes;
mod classes;
mod enrollment;
mod exchanges;
mod family;
mod locks;
mod roads;
mod schools;
mod staffing;
mod teachers;

pub(crate) use applications::{read_applications, APPLICATION_COLUMNS};
pub use changes::{read_changes, Change, ChangeAction};
pub(crate) use classes::{read_classes, CLASS_COLUMNS};
pub use enrollment::{read_enrollment, Enrollment};
pub(crate) use exchanges::{read_exchanges, EXCHANGE_COLUMNS};
pub(crate) use family::{read_family, FAMILY_COLUMNS};
pub(crate) use locks::{read_locks, LOCK_COLUMNS};
pub(crate) use roads::{read_roads, ROAD_COLUMNS};
pub(crate) use schools::{read_schools, SchoolRegistry, SCHOOL_COLUMNS};
pub(crate) use staffing::{read_staffing, STAFFING_COLUMNS};
pub(crate) use teachers::{read_teachers, TeacherRegistry, TEACHER_COLUMNS};

/// Problems of one row: (canonical column, message).
#[derive(Default)]
struct RowProblems(Vec<(&'static str, Text)>);

impl RowProblems {
    fn new() -> RowProblems {
        RowProblems::default()
    }

    /// A problem in `column`, worded in English only or in both languages.
    fn push(&mut self, (column, message): (&'static str, impl Into<Text>)) {
        self.0.push((column, message.into()));
    }

    /// The problem, if any.
    fn extend(&mut self, problem: Option<(&'static str, impl Into<Text>)>) {
        if let Some(problem) = problem {
            self.push(problem);
        }
    }

    fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// Keeps the value of a parsed cell, or records why it could not be read.
fn take<T, M: Into<Text>>(problems: &mut RowProblems, column: &'static str, result: Result<T, M>) -> Option<T> {
    match result {
        Ok(value) => Some(value),
        Err(message) => {
            problems.push((column, message.into()));
            None
        }
    }
}

/// Deserializes a row into its raw struct. Every field is text, so this
/// only fails on a bug; the failure is reported rather than unwrapped.
fn raw<'de, R: Deserialize<'de>>(
    table: &Table,
    row: &Row,
    names: &'de csv::StringRecord,
    values: &'de csv::StringRecord,
    problems: &mut Problems,
) -> Option<R> {
    match values.deserialize(Some(names)) {
        Ok(raw) => Some(raw),
        Err(error) => {
            problems.cell(
                table,
                row.line,
                "",
                Text::both(
                    format!("cannot be read: {error}"),
                    format!("无法读取：{}", super::csv_text::csv_error_zh(&error)),
                ),
            );
            None
        }
    }
}

/// Reports the problems of a row, leaving out columns the table lacks
/// (a missing column is reported once, at the header).
fn report(table: &Table, line: u64, row_problems: RowProblems, problems: &mut Problems) {
    for (column, message) in row_problems.0 {
        if table.has(column) {
            problems.cell(table, line, column, message);
        }
    }
}

/// A registry's ids in order, so suggestions do not depend on hashing.
fn sorted_keys<V>(registry: &HashMap<String, V>) -> Vec<&str> {
    let mut keys: Vec<&str> = registry.keys().map(String::as_str).collect();
    keys.sort_unstable();
    keys
}

/// The problem of a row that names a section its school does not have.
fn missing_section(school_id: &str, kind: Option<SchoolKind>, level: Option<Level>) -> Option<(&'static str, Text)> {
    match (kind, level) {
        (Some(kind), Some(level)) if !kind.has(level) => Some((
            "section",
            Text::both(
                format!("school \"{school_id}\" is a {} school and has no {} section", kind.word(), level.word()),
                format!("学校「{school_id}」是{}，没有{}学段", kind_zh(kind), level.word_zh()),
            ),
        )),
        _ => None,
    }
}

/// A kind of school as a noun in Chinese: 小学, 初中, 九年一贯制学校, 教学点.
fn kind_zh(kind: SchoolKind) -> String {
    match kind {
        SchoolKind::NineYear => format!("{}学校", kind.word_zh()),
        _ => kind.word_zh().to_string(),
    }
}

/// "unknown school "S9"; did you mean "S09"?" for a school id not in schools.csv.
fn unknown_school(id: &str, schools: &SchoolRegistry) -> Text {
    let nearest = nearest(id, sorted_keys(schools));
    let suggestion = nearest.map(|s| format!("; did you mean \"{s}\"?")).unwrap_or_default();
    let suggestion_zh = nearest.map(|s| format!("；是否想填「{s}」？")).unwrap_or_default();
    Text::both(
        format!("unknown school \"{id}\"{suggestion} (not in the schools table)"),
        format!("学校表中没有学校「{id}」{suggestion_zh}"),
    )
}

/// "unknown teacher "T9"; did you mean "T09"?" for a teacher id not in teachers.csv.
fn unknown_teacher(id: &str, teachers: &TeacherRegistry) -> Text {
    let nearest = nearest(id, sorted_keys(teachers));
    let suggestion = nearest.map(|t| format!("; did you mean \"{t}\"?")).unwrap_or_default();
    let suggestion_zh = nearest.map(|t| format!("；是否想填「{t}」？")).unwrap_or_default();
    Text::both(
        format!("unknown teacher \"{id}\"{suggestion} (not in the teachers table)"),
        format!("教师表中没有教师「{id}」{suggestion_zh}"),
    )
}

/// The Chinese of [`Table::reference`] for "first …" remarks: `第 7 行`
/// in a text file, `单元格 教师!A7` in a workbook.
fn reference_zh(table: &Table, line: u64, column: &str) -> String {
    match &table.origin {
        Origin::Csv { .. } => table.reference_zh(line, column),
        Origin::Sheet { .. } => format!("单元格 {}", table.reference_zh(line, column)),
    }
}
