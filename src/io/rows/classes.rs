//! classes.csv (班级): one row per class, for the class-size counts the
//! inspection makes (classes over 45 / 50, 大班额, 超大班额).

use std::collections::BTreeMap;

use serde::Deserialize;

use super::{missing_section, raw, reference_zh, report, take, unknown_school, RowProblems, SchoolRegistry};
use crate::domain::norms::Class;
use crate::domain::Level;
use crate::error::Text;
use crate::io::fields::{count, count_at_most, word, What};
use crate::io::table::{req, Column, Problems, Table};

/// Columns of classes.csv.
pub(crate) const CLASS_COLUMNS: &[Column] = &[
    req("school_id", &["学校代码", "学校编号"]),
    req("section", &["学段"]),
    req("grade", &["年级"]),
    req("class", &["班级", "班级名称"]),
    req("students", &["学生数", "班级人数"]),
];

/// The most students a class may have: more is a typing error, not a class.
const MOST_STUDENTS: u32 = 200;
/// The grades of a section: primary 1–6, junior 7–9; a junior grade may
/// also be written 1–3 (初一–初三) and is read as 7–9.
fn section_grade(level: Level, grade: u32) -> Option<u32> {
    match (level, grade) {
        (Level::Primary, 1..=6) | (Level::Junior, 7..=9) => Some(grade),
        (Level::Junior, 1..=3) => Some(grade + 6),
        _ => None,
    }
}

/// A row of classes.csv as written.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct RawClass {
    school_id: String,
    section: String,
    grade: String,
    class: String,
    students: String,
}

impl RawClass {
    fn validate(&self, schools: &SchoolRegistry) -> Result<Class, RowProblems> {
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
        let grade = take(&mut bad, "grade", count(&self.grade, What::new("grade", "年级")));
        let grade = match (level, grade) {
            (Some(level), Some(g)) => {
                let read = section_grade(level, g);
                if read.is_none() {
                    let (en, zh) = match level {
                        Level::Primary => ("1 to 6", "1 到 6"),
                        Level::Junior => {
                            ("7 to 9 (or 1 to 3 for 初一 to 初三)", "7 到 9（或以 1 到 3 表示初一到初三）")
                        }
                    };
                    bad.push((
                        "grade",
                        Text::both(
                            format!("grade {g} is not a grade of the {} section; give {en}", level.word()),
                            format!("年级 {g} 不是{}学段的年级；请填 {zh}", level.word_zh()),
                        ),
                    ));
                }
                read
            }
            _ => None,
        };
        if self.class.is_empty() {
            bad.push((
                "class",
                Text::both("empty cell; give the class (such as 1 or 一班)", "单元格为空；请填写班级（如 1 或 一班）"),
            ));
        }
        let students = take(
            &mut bad,
            "students",
            count_at_most(&self.students, What::new("number of students", "学生数"), MOST_STUDENTS),
        );
        match (level, grade, students) {
            (Some(level), Some(grade), Some(students)) if bad.is_empty() => {
                Ok(Class { school_id: self.school_id.clone(), level, grade, class: self.class.clone(), students })
            }
            _ => Err(bad),
        }
    }
}

/// Validates classes.csv; one row per school, section, grade and class.
pub(crate) fn read_classes(table: &Table, schools: &SchoolRegistry, problems: &mut Problems) -> Vec<Class> {
    let mut classes = Vec::new();
    let mut first_line: BTreeMap<(String, Level, u32, String), u64> = BTreeMap::new();
    let names = table.names();
    for row in &table.rows {
        let values = table.record(row);
        let Some(raw) = raw::<RawClass>(table, row, &names, &values, problems) else { continue };
        match raw.validate(schools) {
            Ok(class) => {
                let key = (class.school_id.clone(), class.level, class.grade, class.class.clone());
                if let Some(first) = first_line.get(&key) {
                    let message = Text::both(
                        format!(
                            "{} {} grade {} class {} is given twice (first {}); keep one row per class",
                            class.school_id,
                            class.level.word(),
                            class.grade,
                            class.class,
                            table.reference(*first, "class")
                        ),
                        format!(
                            "学校「{}」{}{}年级「{}」班填了两次（首次出现在{}）；每个班只保留一行",
                            class.school_id,
                            class.level.word_zh(),
                            class.grade,
                            class.class,
                            reference_zh(table, *first, "class")
                        ),
                    );
                    problems.cell(table, row.line, "class", message);
                    continue;
                }
                first_line.insert(key, row.line);
                classes.push(class);
            }
            Err(row_problems) => report(table, row.line, row_problems, problems),
        }
    }
    classes
}
