//! applications.csv (交流申请): the teachers' own applications — whether
//! they volunteer, up to five ranked wishes (school ids) and the bureau's
//! extra priority points — checked against the schools and the teachers.

use std::collections::HashMap;

use serde::Deserialize;

use super::teachers::TeacherInfo;
use super::TeacherRegistry;
use super::{kind_zh, raw, reference_zh, report, take, unknown_school, unknown_teacher, RowProblems, SchoolRegistry};
use crate::domain::applications::{Application, MAX_WISHES};
use crate::domain::{Exact, Teacher};
use crate::error::Text;
use crate::exact::parse_exact;
use crate::io::fields::{boolean, What};
use crate::io::limits::MOST_ROWS_PER_TEACHER;
use crate::io::table::{opt, req, Column, Problems, Table};

/// Columns of applications.csv.
pub(crate) const APPLICATION_COLUMNS: &[Column] = &[
    req("teacher_id", &["教师编号"]),
    req("volunteer", &["是否自愿", "自愿"]),
    opt("wish_1", &["志愿1", "第一志愿"]),
    opt("wish_2", &["志愿2", "第二志愿"]),
    opt("wish_3", &["志愿3", "第三志愿"]),
    opt("wish_4", &["志愿4", "第四志愿"]),
    opt("wish_5", &["志愿5", "第五志愿"]),
    opt("extra_points", &["加分"]),
    opt("note", &["备注"]),
];

/// The wish columns, first wish first.
const WISH_COLUMNS: [&str; MAX_WISHES] = ["wish_1", "wish_2", "wish_3", "wish_4", "wish_5"];

/// The most extra points, either way: a bureau's scale gives a few points
/// for a hardship or a merit, never more than a lifetime at one school.
const MOST_EXTRA_POINTS: i128 = 100;

/// Decimal places extra points may have (half and quarter points).
const EXTRA_POINT_PLACES: u32 = 2;

/// A row of applications.csv as written.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct RawApplication<'a> {
    teacher_id: &'a str,
    volunteer: &'a str,
    wish_1: &'a str,
    wish_2: &'a str,
    wish_3: &'a str,
    wish_4: &'a str,
    wish_5: &'a str,
    extra_points: &'a str,
    note: &'a str,
}

impl RawApplication<'_> {
    /// The application, or every problem of the row.
    fn validate(
        &self,
        schools: &SchoolRegistry,
        teachers: &TeacherRegistry,
        validated: &[Teacher],
    ) -> Result<Application, RowProblems> {
        let mut bad = RowProblems::new();
        let teacher = teacher_of(self.teacher_id, "teacher_id", teachers, &mut bad).and_then(|info| info.teacher);
        let teacher = teacher.map(|i| &validated[i]);
        let volunteer = take(&mut bad, "volunteer", volunteer(self.volunteer));
        let wishes = self.wishes(teacher, schools, &mut bad);
        let extra_points = take(&mut bad, "extra_points", extra_points(self.extra_points));
        match (volunteer, extra_points) {
            (Some(volunteer), Some(extra_points)) if bad.is_empty() => Ok(Application {
                teacher_id: self.teacher_id.to_string(),
                volunteer,
                wishes,
                extra_points,
                note: self.note.to_string(),
            }),
            _ => Err(bad),
        }
    }

    /// The wishes in order; a gap, an unknown school, the teacher's own
    /// school, a school without the teacher's section and a school named
    /// twice are problems of their cells.
    fn wishes(&self, teacher: Option<&Teacher>, schools: &SchoolRegistry, bad: &mut RowProblems) -> Vec<String> {
        let cells = [self.wish_1, self.wish_2, self.wish_3, self.wish_4, self.wish_5];
        let mut wishes: Vec<String> = Vec::new();
        let mut first_empty: Option<usize> = None;
        for (k, id) in cells.into_iter().enumerate() {
            let column = WISH_COLUMNS[k];
            if id.is_empty() {
                first_empty.get_or_insert(k);
                continue;
            }
            if let Some(empty) = first_empty {
                bad.push((column, gap(empty, k)));
            }
            if let Some(earlier) = wishes.iter().position(|w| w == id) {
                bad.push((
                    column,
                    Text::both(
                        format!("school \"{id}\" is already wish {}; name each school once", earlier + 1),
                        format!("学校「{id}」已是志愿{}；每所学校只填一次", earlier + 1),
                    ),
                ));
            } else if !schools.contains_key(id) {
                bad.push((column, unknown_school(id, schools)));
            } else if let Some(teacher) = teacher {
                bad.extend(wish_for(teacher, id, schools).map(|message| (column, message)));
            }
            wishes.push(id.to_string());
        }
        wishes
    }
}

/// "wish_3 is given but wish_2 is empty".
fn gap(empty: usize, at: usize) -> Text {
    let (empty, at) = (empty + 1, at + 1);
    Text::both(
        format!(
            "wish {at} is given but wish {empty} is empty; list the wishes first wish first without gaps (move it to wish_{empty})"
        ),
        format!("填了志愿{at}，但志愿{empty}为空；志愿须从志愿1起依次填写，中间不能空（请把它移到志愿{empty}）"),
    )
}

/// Why `teacher` may not wish for school `id` (of schools.csv): it is the
/// teacher's own school, or it has no section of the teacher's.
fn wish_for(teacher: &Teacher, id: &str, schools: &SchoolRegistry) -> Option<Text> {
    if teacher.school_id == id {
        return Some(Text::both(
            format!("school \"{id}\" is teacher \"{}\"'s own school; a wish names another school", teacher.id),
            format!("学校「{id}」就是教师「{}」现在的学校；志愿须填其他学校", teacher.id),
        ));
    }
    let kind = schools.get(id).and_then(|s| s.kind)?;
    (!kind.has(teacher.level)).then(|| {
        Text::both(
            format!(
                "school \"{id}\" is a {} school and has no {} section, teacher \"{}\"'s section; a teacher moves within the section",
                kind.word(),
                teacher.level.word(),
                teacher.id
            ),
            format!(
                "学校「{id}」是{}，没有教师「{}」的{}学段；教师只在本学段内交流",
                kind_zh(kind),
                teacher.id,
                teacher.level.word_zh()
            ),
        )
    })
}

/// The teacher a cell names, or why it names none (an empty cell, an id
/// not in teachers.csv).
pub(super) fn teacher_of<'t>(
    id: &str,
    column: &'static str,
    teachers: &'t TeacherRegistry,
    bad: &mut RowProblems,
) -> Option<&'t TeacherInfo> {
    if id.is_empty() {
        bad.push((column, Text::both("empty cell; give the teacher's id", "单元格为空；请填写教师编号")));
        return None;
    }
    let info = teachers.get(id);
    if info.is_none() {
        bad.push((column, unknown_teacher(id, teachers)));
    }
    info
}

/// yes/no (是/否, true/false, 1/0).
fn volunteer(text: &str) -> Result<bool, Text> {
    match text {
        "1" => Ok(true),
        "0" => Ok(false),
        _ => boolean(text, What::new("whether the teacher volunteers", "是否自愿")),
    }
}

/// Extra points: empty for none, else a decimal from −100 to 100 with at
/// most two decimal places.
fn extra_points(text: &str) -> Result<Exact, Text> {
    if text.is_empty() {
        return Ok(Exact::from_integer(0));
    }
    let Some(value) = parse_exact(text) else {
        return Err(Text::both(
            format!("\"{text}\" is not a number; give the extra points as a decimal such as 2 or 0.5, or leave the cell empty"),
            format!("「{text}」不是数字；请用数字填写加分（如 2 或 0.5），没有加分可留空"),
        ));
    };
    let most = Exact::from_integer(MOST_EXTRA_POINTS);
    if value > most || value < -most {
        return Err(Text::both(
            format!("{text} is out of range; give extra points from -{MOST_EXTRA_POINTS} to {MOST_EXTRA_POINTS}"),
            format!("「{text}」超出范围；加分须在 -{MOST_EXTRA_POINTS} 到 {MOST_EXTRA_POINTS} 之间"),
        ));
    }
    if 10i128.pow(EXTRA_POINT_PLACES) % value.denom() != 0 {
        return Err(Text::both(
            format!("{text} has too many decimal places; give at most {EXTRA_POINT_PLACES}"),
            format!("「{text}」的小数位太多；最多保留 {EXTRA_POINT_PLACES} 位小数"),
        ));
    }
    Ok(value)
}

/// A table of more rows than teachers.csv has teachers (times
/// [`MOST_ROWS_PER_TEACHER`]) is refused whole, before its rows are read:
/// one message, not one per row.
pub(super) fn too_many_rows(table: &Table, teachers: &TeacherRegistry, problems: &mut Problems) -> bool {
    let most = teachers.len().saturating_mul(MOST_ROWS_PER_TEACHER);
    if table.rows.len() <= most {
        return false;
    }
    let rows = table.rows.len();
    let message = Text::both(
        format!(
            "the table has {rows} rows but the teachers table only {most} teachers; give at most one row per teacher"
        ),
        format!("表中有 {rows} 行，而教师表只有 {most} 位教师；每位教师最多一行"),
    );
    problems.push(table.rank, 0, crate::error::InputProblem::new(table.whole(), "", message));
    true
}

/// Validates applications.csv: at most one row per teacher.
pub(crate) fn read_applications(
    table: &Table,
    schools: &SchoolRegistry,
    teachers: &TeacherRegistry,
    validated: &[Teacher],
    problems: &mut Problems,
) -> Vec<Application> {
    if too_many_rows(table, teachers, problems) {
        return Vec::new();
    }
    let mut applications = Vec::new();
    let mut first_line: HashMap<String, u64> = HashMap::new();
    let names = table.names();
    for row in &table.rows {
        let values = table.record(row);
        let Some(raw) = raw::<RawApplication>(table, row, &names, &values, problems) else { continue };
        // A second row is a problem, and its other problems are listed too.
        let twice = first_line.get(raw.teacher_id).copied();
        if let Some(first) = twice {
            let message = Text::both(
                format!(
                    "teacher \"{}\" has two applications (first {}); keep one row per teacher",
                    raw.teacher_id,
                    table.reference(first, "teacher_id")
                ),
                format!(
                    "教师「{}」有两份申请（首次出现在{}）；每位教师只保留一行",
                    raw.teacher_id,
                    reference_zh(table, first, "teacher_id")
                ),
            );
            problems.cell(table, row.line, "teacher_id", message);
        }
        if twice.is_none() && !raw.teacher_id.is_empty() {
            first_line.insert(raw.teacher_id.to_string(), row.line);
        }
        match raw.validate(schools, teachers, validated) {
            Ok(application) if twice.is_none() => applications.push(application),
            Ok(_) => {}
            Err(row_problems) => report(table, row.line, row_problems, problems),
        }
    }
    applications
}
