//! `advance --enrollment FILE`: next year's students and classes of some
//! schools (CSV in any encoding rotaplan reads, or the first sheet of an
//! .xlsx workbook), checked like the same columns of schools.csv.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

use super::{kind_zh, raw, reference_zh, report, take, RowProblems};
use crate::domain::{County, Level, SchoolKind};
use crate::error::{Error, Text};
use crate::io::fields::{bounded_count, nearest, What, MOST_SECTION_CLASSES, MOST_SECTION_STUDENTS};
use crate::io::table::{map_header, req, Column, Problems, Table};

/// Columns of an enrollment file (the names of schools.csv).
pub(crate) const ENROLLMENT_COLUMNS: &[Column] = &[
    req("school_id", &["学校代码", "学校编号"]),
    req("primary_students", &["小学在校生数"]),
    req("junior_students", &["初中在校生数"]),
    req("primary_classes", &["小学班级数"]),
    req("junior_classes", &["初中班级数"]),
];

/// Next year's students and classes of one school.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Enrollment {
    /// 学校代码.
    pub school_id: String,
    /// Students per level, indexed by [`Level::index`].
    pub students: [u32; 2],
    /// Classes per level, indexed by [`Level::index`].
    pub classes: [u32; 2],
}

/// A row as written.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct RawEnrollment {
    school_id: String,
    primary_students: String,
    junior_students: String,
    primary_classes: String,
    junior_classes: String,
}

const STUDENTS: [(&str, &str); 2] = [("primary_students", "小学在校生数"), ("junior_students", "初中在校生数")];
const CLASSES: [(&str, &str); 2] = [("primary_classes", "小学班级数"), ("junior_classes", "初中班级数")];

impl RawEnrollment {
    fn texts(&self, level: Level) -> (&str, &str) {
        match level {
            Level::Primary => (&self.primary_students, &self.primary_classes),
            Level::Junior => (&self.junior_students, &self.junior_classes),
        }
    }

    fn validate(&self, county: &County) -> Result<Enrollment, RowProblems> {
        let mut bad = RowProblems::new();
        let kind = match county.school(&self.school_id) {
            Some(school) => Some(school.kind),
            None if self.school_id.is_empty() => {
                bad.push(("school_id", Text::both("empty cell; give the school", "单元格为空；请填写学校")));
                None
            }
            None => {
                let ids = county.schools.iter().map(|s| s.id.as_str());
                let near = nearest(&self.school_id, ids);
                let hint = near.map(|s| format!("; did you mean \"{s}\"?")).unwrap_or_default();
                let hint_zh = near.map(|s| format!("；是否想填「{s}」？")).unwrap_or_default();
                bad.push((
                    "school_id",
                    Text::both(
                        format!("unknown school \"{}\"{hint} (not in the data's schools)", self.school_id),
                        format!("数据的学校表中没有学校「{}」{hint_zh}", self.school_id),
                    ),
                ));
                None
            }
        };
        let mut enrollment = Enrollment { school_id: self.school_id.clone(), students: [0; 2], classes: [0; 2] };
        for level in Level::BOTH {
            if let Some((students, classes)) = self.section(level, kind, &mut bad) {
                enrollment.students[level.index()] = students;
                enrollment.classes[level.index()] = classes;
            }
        }
        if bad.is_empty() {
            Ok(enrollment)
        } else {
            Err(bad)
        }
    }

    /// Students and classes of one section: required when the school has
    /// the section, else empty or 0; students need classes.
    fn section(&self, level: Level, kind: Option<SchoolKind>, bad: &mut RowProblems) -> Option<(u32, u32)> {
        let i = level.index();
        let ((s_col, s_zh), (c_col, c_zh)) = (STUDENTS[i], CLASSES[i]);
        let (s_text, c_text) = self.texts(level);
        let has = kind.is_none_or(|k| k.has(level));
        let (s_en, c_en) =
            (format!("number of {} students", level.word()), format!("number of {} classes", level.word()));
        let s = take(bad, s_col, bounded_count(s_text, What::new(&s_en, s_zh), MOST_SECTION_STUDENTS, has));
        let c = take(bad, c_col, bounded_count(c_text, What::new(&c_en, c_zh), MOST_SECTION_CLASSES, has));
        if let (Some(kind), false) = (kind, has) {
            if s.is_some_and(|v| v > 0) || c.is_some_and(|v| v > 0) {
                let column = if s.is_some_and(|v| v > 0) { s_col } else { c_col };
                bad.push((
                    column,
                    Text::both(
                        format!(
                            "a {} school has no {} section; give 0 or leave the cell empty",
                            kind.word(),
                            level.word()
                        ),
                        format!("{}没有{}学段；请填 0 或留空", kind_zh(kind), level.word_zh()),
                    ),
                ));
            }
        } else if let (Some(students), Some(0)) = (s, c) {
            if students > 0 {
                bad.push((
                    c_col,
                    Text::both(
                        format!("0 classes for {students} {} students; give the number of classes", level.word()),
                        format!("{}在校生 {students} 人，班级数却为 0；请填写班级数", level.word_zh()),
                    ),
                ));
            }
        }
        s.zip(c)
    }
}

/// Reads the rows of an enrollment table, one per school.
fn read_rows(table: &Table, county: &County, problems: &mut Problems) -> Vec<Enrollment> {
    let mut rows = Vec::new();
    let mut first: BTreeMap<String, u64> = BTreeMap::new();
    let names = table.names();
    for row in &table.rows {
        let values = table.record(row);
        let Some(raw) = raw::<RawEnrollment>(table, row, &names, &values, problems) else { continue };
        if let Some(line) = first.get(&raw.school_id).filter(|_| !raw.school_id.is_empty()) {
            let message = Text::both(
                format!(
                    "school \"{}\" is given twice (first {}); keep one row",
                    raw.school_id,
                    table.reference(*line, "school_id")
                ),
                format!(
                    "学校「{}」填了两次（首次出现在{}）；请只保留一行",
                    raw.school_id,
                    reference_zh(table, *line, "school_id")
                ),
            );
            problems.cell(table, row.line, "school_id", message);
            continue;
        }
        first.insert(raw.school_id.clone(), row.line);
        match raw.validate(county) {
            Ok(enrollment) => rows.push(enrollment),
            Err(row_problems) => report(table, row.line, row_problems, problems),
        }
    }
    rows
}

/// Reads next year's students and classes from a CSV file or the first
/// sheet of a workbook, checked against the county's schools; every
/// problem is listed at once. Unknown columns are returned as warnings.
pub fn read_enrollment(path: &Path, county: &County) -> Result<(Vec<Enrollment>, Vec<Text>), Error> {
    let mut problems = Problems::default();
    let mut warnings = Vec::new();
    let file = crate::io::file_name(path);
    let is_xlsx = path.extension().is_some_and(|e| e.eq_ignore_ascii_case("xlsx"));
    let raw = if is_xlsx {
        let Some(bytes) = crate::io::read_bytes(path, 0, &mut problems)? else {
            return Err(Error::Input(problems.into_sorted()));
        };
        let book = crate::io::workbook::open(&file, bytes)
            .map_err(|m| Error::Input(vec![crate::error::InputProblem::new(file.clone(), "", m)]))?;
        let sheet = book.find(&["enrollment", "在校生"]).or_else(|| book.sheet_names().next()).map(str::to_string);
        let Some(sheet) = sheet else {
            let message = Text::both("the workbook has no sheet", "工作簿里没有工作表");
            return Err(Error::Input(vec![crate::error::InputProblem::new(file, "", message)]));
        };
        book.raw_table(&sheet, 0)
    } else {
        let Some(text) = crate::io::read_text(path, 0, &mut problems)? else {
            return Err(Error::Input(problems.into_sorted()));
        };
        crate::io::csv_text::read_csv(&file, 0, &text, &mut problems)
    };
    let table = map_header(raw, ENROLLMENT_COLUMNS, &mut problems, &mut warnings);
    let rows = read_rows(&table, county, &mut problems);
    if problems.is_empty() {
        Ok((rows, warnings))
    } else {
        Err(Error::Input(problems.into_sorted()))
    }
}
