//! The changes file of `replan` (CSV, or a sheet of a workbook): rows
//! `teacher_id, action, school_id, note` with the lock actions of locks.csv
//! plus `leave` (离岗: the teacher is gone). The lock rows are validated
//! exactly as locks.csv is (by [`read_locks`]); a leave row names a known
//! teacher and no school; a leave and any other row on one teacher, or a
//! row that contradicts the data's own locks.csv, are problems naming the cell.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

use super::locks::contradicts;
use super::schools::SchoolInfo;
use super::teachers::TeacherInfo;
use super::{raw, read_locks, sorted_keys, SchoolRegistry, TeacherRegistry, LOCK_COLUMNS};
use crate::domain::{County, Lock, LockAction};
use crate::error::{Error, Text};
use crate::io::fields::{nearest, word, What};
use crate::io::table::{map_header, Problems, RawTable, Table};

/// What one row of the changes file says.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ChangeAction {
    /// A lock, as in locks.csv (stay: the teacher refuses or must not move).
    Lock(LockAction),
    /// 离岗: the teacher is gone (left, ill, retired): dropped from the county for the plan.
    Leave,
}

impl ChangeAction {
    /// Every action with its English and Chinese word.
    pub const ALL: &'static [(ChangeAction, &'static str, &'static str)] = &[
        (ChangeAction::Lock(LockAction::Stay), "stay", "留任"),
        (ChangeAction::Lock(LockAction::Move), "move", "交流"),
        (ChangeAction::Lock(LockAction::MoveTo), "move_to", "指定交流"),
        (ChangeAction::Lock(LockAction::Forbid), "forbid", "不得交流至"),
        (ChangeAction::Leave, "leave", "离岗"),
    ];

    /// Reads an English or Chinese word.
    pub fn parse(text: &str) -> Option<ChangeAction> {
        let key = crate::domain::normalize_word(text);
        Self::ALL
            .iter()
            .find(|(_, en, zh)| crate::domain::normalize_word(en) == key || crate::domain::normalize_word(zh) == key)
            .map(|(a, _, _)| *a)
    }

    /// The English word.
    pub fn word(self) -> &'static str {
        Self::ALL.iter().find(|(a, _, _)| *a == self).map_or("", |(_, en, _)| en)
    }

    /// The Chinese word.
    pub fn word_zh(self) -> &'static str {
        Self::ALL.iter().find(|(a, _, _)| *a == self).map_or("", |(_, _, zh)| zh)
    }
}

/// One row of the changes file.
#[derive(Clone, Debug, PartialEq)]
pub struct Change {
    /// 教师编号.
    pub teacher_id: String,
    /// 操作.
    pub action: ChangeAction,
    /// 学校代码 (move_to, forbid).
    pub school_id: Option<String>,
    /// 备注: the teacher's reason, shown in changes.csv.
    pub note: String,
}

impl Change {
    /// The lock of a lock row (None for leave).
    pub fn lock(&self) -> Option<Lock> {
        match self.action {
            ChangeAction::Lock(action) => Some(Lock {
                teacher_id: self.teacher_id.clone(),
                action,
                school_id: self.school_id.clone(),
                note: self.note.clone(),
            }),
            ChangeAction::Leave => None,
        }
    }
}

/// A row as written.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct RawChange {
    teacher_id: String,
    action: String,
    school_id: String,
    note: String,
}

/// Sheets of a workbook that hold the changes (else its first sheet).
const SHEETS: [&str; 2] = ["changes", "变动"];

/// Reads and validates the changes file against the county: every problem
/// of every row at once, each naming its cell.
pub fn read_changes(path: &Path, county: &County) -> Result<Vec<Change>, Error> {
    let file = path.file_name().map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().to_string());
    let mut problems = Problems::default();
    let raw_table = read_table(path, &file, &mut problems)?;
    let mut warnings = Vec::new();
    let mut table = map_header(raw_table, LOCK_COLUMNS, &mut problems, &mut warnings);
    if !problems.is_empty() {
        return Err(Error::Input(problems.into_sorted()));
    }
    // A re-plan's requested_changes.csv guards text as every CSV output does.
    for row in &mut table.rows {
        row.cells = row.cells.iter().map(crate::io::plan_list::unguard).collect();
    }
    let (schools, teachers) = registries(county);
    let names = table.names();
    let mut rows: Vec<(u64, RawChange)> = Vec::new();
    let mut lock_table = table.clone();
    lock_table.rows.clear();
    for row in &table.rows {
        let values = table.record(row);
        let Some(raw) = raw::<RawChange>(&table, row, &names, &values, &mut problems) else { continue };
        match word(&raw.action, What::new("action", "操作"), ChangeAction::parse, ChangeAction::ALL) {
            Err(message) => problems.cell(&table, row.line, "action", message),
            Ok(ChangeAction::Leave) => {
                if check_leave(&table, row.line, &raw, &teachers, &mut problems) {
                    rows.push((row.line, raw));
                }
            }
            Ok(ChangeAction::Lock(_)) => {
                lock_table.rows.push(row.clone());
                rows.push((row.line, raw));
            }
        }
    }
    let locks = read_locks(
        &lock_table,
        &schools,
        &teachers,
        &county.teachers,
        (&county.policy, &county.exchanges),
        &mut problems,
    );
    check_across(&table, &rows, county, &mut problems);
    if !problems.is_empty() {
        return Err(Error::Input(problems.into_sorted()));
    }
    let changes = rows_as_changes(rows, &locks);
    Ok(changes.into_iter().map(|(_, c)| c).collect())
}

/// The changes in file order with their lines (every lock row was accepted
/// by [`read_locks`] when this is called, in the same order).
fn rows_as_changes(rows: Vec<(u64, RawChange)>, locks: &[Lock]) -> Vec<(u64, Change)> {
    let mut locks = locks.iter();
    rows.into_iter()
        .filter_map(|(line, raw)| {
            let action = ChangeAction::parse(&raw.action)?;
            let change = match action {
                ChangeAction::Leave => Change { teacher_id: raw.teacher_id, action, school_id: None, note: raw.note },
                ChangeAction::Lock(_) => {
                    let lock = locks.next()?;
                    Change {
                        teacher_id: lock.teacher_id.clone(),
                        action: ChangeAction::Lock(lock.action),
                        school_id: lock.school_id.clone(),
                        note: lock.note.clone(),
                    }
                }
            };
            Some((line, change))
        })
        .collect()
}

/// A leave row: a known teacher and no school. Returns whether it is valid.
fn check_leave(table: &Table, line: u64, raw: &RawChange, teachers: &TeacherRegistry, problems: &mut Problems) -> bool {
    let mut valid = true;
    if raw.teacher_id.is_empty() {
        problems.cell(
            table,
            line,
            "teacher_id",
            Text::both("empty cell; give the teacher who leaves", "单元格为空；请填写离岗的教师"),
        );
        valid = false;
    } else if !teachers.contains_key(&raw.teacher_id) {
        let nearest = nearest(&raw.teacher_id, sorted_keys(teachers));
        let suggestion = nearest.map(|t| format!("; did you mean \"{t}\"?")).unwrap_or_default();
        let suggestion_zh = nearest.map(|t| format!("；是否想填「{t}」？")).unwrap_or_default();
        problems.cell(
            table,
            line,
            "teacher_id",
            Text::both(
                format!("unknown teacher \"{}\"{suggestion} (not in the teachers table)", raw.teacher_id),
                format!("教师表中没有教师「{}」{suggestion_zh}", raw.teacher_id),
            ),
        );
        valid = false;
    }
    if !raw.school_id.is_empty() {
        problems.cell(
            table,
            line,
            "school_id",
            Text::both(
                format!("a leave row takes no school (\"{}\"); leave the cell empty", raw.school_id),
                format!("「离岗」不填学校（此处填了「{}」）；请留空", raw.school_id),
            ),
        );
        valid = false;
    }
    valid
}

/// Rules across rows: a teacher who leaves has no other row, and no row
/// contradicts a lock of the data's own locks.csv.
fn check_across(table: &Table, rows: &[(u64, RawChange)], county: &County, problems: &mut Problems) {
    let mut leaves: BTreeMap<&str, u64> = BTreeMap::new();
    for (line, raw) in rows.iter().filter(|(_, r)| ChangeAction::parse(&r.action) == Some(ChangeAction::Leave)) {
        leaves.entry(raw.teacher_id.as_str()).or_insert(*line);
    }
    for (line, raw) in rows {
        if let Some(&first) = leaves.get(raw.teacher_id.as_str()).filter(|&&first| first != *line) {
            problems.cell(
                table,
                *line,
                "action",
                Text::both(
                    format!(
                        "teacher \"{}\" leaves {}; a teacher who leaves takes no other row",
                        raw.teacher_id,
                        table.reference(first, "action")
                    ),
                    format!(
                        "教师「{}」已在{}离岗；离岗的教师不能再有其他行",
                        raw.teacher_id,
                        table.reference_zh(first, "action")
                    ),
                ),
            );
        }
        let Some(ChangeAction::Lock(action)) = ChangeAction::parse(&raw.action) else { continue };
        let lock = Lock {
            teacher_id: raw.teacher_id.clone(),
            action,
            school_id: Some(raw.school_id.clone()).filter(|s| !s.is_empty()),
            note: String::new(),
        };
        if let Some(other) = county.locks.iter().find(|l| l.teacher_id == lock.teacher_id && contradicts(l, &lock)) {
            let (other_text, other_zh) = match &other.school_id {
                Some(s) => (format!("{} {s}", other.action.word()), format!("{} {s}", other.action.word_zh())),
                None => (other.action.word().to_string(), other.action.word_zh().to_string()),
            };
            problems.cell(
                table,
                *line,
                "action",
                Text::both(
                    format!(
                        "{} contradicts the {other_text} lock of locks.csv for teacher \"{}\"; change locks.csv or this row",
                        lock.action.word(),
                        lock.teacher_id
                    ),
                    format!(
                        "「{}」与 locks.csv 中教师「{}」的「{other_zh}」锁定相矛盾；请修改 locks.csv 或这一行",
                        lock.action.word_zh(),
                        lock.teacher_id
                    ),
                ),
            );
        }
    }
}

/// The registries of the county's schools and teachers, as the lock reader needs them.
fn registries(county: &County) -> (SchoolRegistry, TeacherRegistry) {
    let schools: SchoolRegistry = county
        .schools
        .iter()
        .map(|s| (s.id.clone(), SchoolInfo { kind: Some(s.kind), town: s.town.clone() }))
        .collect();
    let teachers: TeacherRegistry = county
        .teachers
        .iter()
        .enumerate()
        .map(|(i, t)| (t.id.clone(), TeacherInfo { line: 0, teacher: Some(i) }))
        .collect();
    (schools, teachers)
}

/// The file's one table: the changes sheet of a workbook (else its first
/// sheet), or the rows of a CSV file.
fn read_table(path: &Path, file: &str, problems: &mut Problems) -> Result<RawTable, Error> {
    crate::io::plan_list::read_one_table(path, file, &SHEETS, ("the changes", "变动文件"), problems)
}
