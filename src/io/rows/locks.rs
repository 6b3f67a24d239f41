//! locks.csv: its columns, its raw row and the lock it validates into;
//! locks on one teacher that cannot both hold are reported.

use std::collections::HashMap;

use serde::Deserialize;

use super::{raw, report, sorted_keys, take, unknown_school, RowProblems, SchoolRegistry, TeacherRegistry};
use crate::domain::policy::Policy;
use crate::domain::{Lock, LockAction, Teacher};
use crate::io::fields::{nearest, word};
use crate::io::table::{opt, req, Column, Problems, Table};
use crate::rules::eligibility::ineligibility;

/// Columns of locks.csv.
pub(crate) const LOCK_COLUMNS: &[Column] = &[
    req("teacher_id", &["教师编号"]),
    req("action", &["操作"]),
    opt("school_id", &["学校代码", "学校编号"]),
    opt("note", &["备注"]),
];

/// A row of locks.csv as written.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct RawLock {
    teacher_id: String,
    action: String,
    school_id: String,
    note: String,
}

impl RawLock {
    /// The lock on its own (cross-lock rules are checked by the caller).
    fn validate(
        &self,
        schools: &SchoolRegistry,
        teachers: &TeacherRegistry,
        validated: &[Teacher],
        policy: &Policy,
    ) -> Result<Lock, RowProblems> {
        let mut bad = RowProblems::new();
        let teacher = if self.teacher_id.is_empty() {
            bad.push(("teacher_id", "empty cell; give the teacher the lock is about"));
            None
        } else if let Some(info) = teachers.get(&self.teacher_id) {
            Some(info)
        } else {
            let suggestion = nearest(&self.teacher_id, sorted_keys(teachers))
                .map(|t| format!("; did you mean \"{t}\"?"))
                .unwrap_or_default();
            bad.push((
                "teacher_id",
                format!("unknown teacher \"{}\"{suggestion} (not in the teachers table)", self.teacher_id),
            ));
            None
        };
        let action = take(&mut bad, "action", word(&self.action, "action", LockAction::parse, LockAction::ALL));
        let school_id = Some(self.school_id.clone()).filter(|s| !s.is_empty());
        if let Some(id) = &school_id {
            if !schools.contains_key(id) {
                bad.push(("school_id", unknown_school(id, schools)));
            }
        }
        if let Some(action) = action {
            match (action, &school_id) {
                (LockAction::MoveTo | LockAction::Forbid, None) => {
                    bad.push(("school_id", format!("a {} lock needs a school_id", action.word())))
                }
                (LockAction::Stay | LockAction::Move, Some(id)) => bad.push((
                    "school_id",
                    format!(
                        "a {} lock takes no school (\"{id}\"); use move_to to send the teacher to that school",
                        action.word()
                    ),
                )),
                _ => {}
            }
            if let Some(teacher) = teacher.and_then(|t| t.teacher).map(|i| &validated[i]) {
                if action == LockAction::MoveTo && school_id.as_deref() == Some(teacher.school_id.as_str()) {
                    bad.push((
                        "school_id",
                        format!(
                            "move_to the teacher's own school \"{}\"; name another school or use stay",
                            teacher.school_id
                        ),
                    ));
                }
                if matches!(action, LockAction::Move | LockAction::MoveTo) {
                    let reasons = ineligibility(teacher, policy);
                    if !reasons.is_empty() {
                        let reasons: Vec<String> = reasons.iter().map(|r| r.describe_en()).collect();
                        bad.push((
                            "action",
                            format!(
                                "teacher \"{}\" may not rotate in {}: {}",
                                teacher.id,
                                policy.year,
                                reasons.join("; ")
                            ),
                        ));
                    }
                }
            }
        }
        match action {
            Some(action) if bad.is_empty() => {
                Ok(Lock { teacher_id: self.teacher_id.clone(), action, school_id, note: self.note.clone() })
            }
            _ => Err(bad),
        }
    }
}

/// Whether two locks on one teacher cannot both hold.
fn contradicts(a: &Lock, b: &Lock) -> bool {
    use LockAction::{Forbid, Move, MoveTo, Stay};
    match (a.action, b.action) {
        (Stay, Move | MoveTo) | (Move | MoveTo, Stay) => true,
        (MoveTo, MoveTo) => a.school_id != b.school_id,
        (MoveTo, Forbid) | (Forbid, MoveTo) => a.school_id == b.school_id,
        _ => false,
    }
}

/// The accepted locks of one teacher, as far as [`contradicts`] needs them:
/// indices into the accepted locks. Accepted locks never contradict each
/// other, so every accepted `move_to` names the same school and the first
/// of a kind stands for all; a new lock is checked in constant time.
#[derive(Default)]
struct TeacherLocks {
    stay: Option<usize>,
    moving: Option<usize>,
    move_to: Option<usize>,
    forbid: HashMap<String, usize>,
}

impl TeacherLocks {
    /// The first accepted lock that contradicts `lock`, if any.
    fn first_contradicting(&self, lock: &Lock, accepted: &[(u64, Lock)]) -> Option<usize> {
        let forbid = lock.school_id.as_ref().and_then(|s| self.forbid.get(s).copied());
        let candidates = [self.stay, self.moving, self.move_to, forbid];
        candidates.into_iter().flatten().filter(|&i| contradicts(&accepted[i].1, lock)).min()
    }

    fn add(&mut self, index: usize, lock: &Lock) {
        match lock.action {
            LockAction::Stay => {
                self.stay.get_or_insert(index);
            }
            LockAction::Move => {
                self.moving.get_or_insert(index);
            }
            LockAction::MoveTo => {
                self.moving.get_or_insert(index);
                self.move_to.get_or_insert(index);
            }
            LockAction::Forbid => {
                if let Some(school) = &lock.school_id {
                    self.forbid.entry(school.clone()).or_insert(index);
                }
            }
        }
    }
}

/// Validates locks.csv.
pub(crate) fn read_locks(
    table: &Table,
    schools: &SchoolRegistry,
    teachers: &TeacherRegistry,
    validated: &[Teacher],
    policy: &Policy,
    problems: &mut Problems,
) -> Vec<Lock> {
    let mut locks: Vec<(u64, Lock)> = Vec::new();
    let mut by_teacher: HashMap<String, TeacherLocks> = HashMap::new();
    let names = table.names();
    for row in &table.rows {
        let values = table.record(row);
        let Some(raw) = raw::<RawLock>(table, row, &names, &values, problems) else { continue };
        let lock = match raw.validate(schools, teachers, validated, policy) {
            Ok(lock) => lock,
            Err(row_problems) => {
                report(table, row.line, row_problems, problems);
                continue;
            }
        };
        let earlier = by_teacher.get(&lock.teacher_id).and_then(|t| t.first_contradicting(&lock, &locks));
        if let Some((line, other)) = earlier.map(|i| &locks[i]) {
            let other_text = match &other.school_id {
                Some(s) => format!("{} {s}", other.action.word()),
                None => other.action.word().to_string(),
            };
            let message = format!(
                "{} contradicts the {other_text} lock {} for teacher \"{}\"; keep one of them",
                lock.action.word(),
                table.reference(*line, "action"),
                lock.teacher_id
            );
            problems.cell(table, row.line, "action", message);
            continue;
        }
        by_teacher.entry(lock.teacher_id.clone()).or_default().add(locks.len(), &lock);
        locks.push((row.line, lock));
    }
    locks.into_iter().map(|(_, lock)| lock).collect()
}
