//! locks.csv: its columns, its raw row and the lock it validates into;
//! locks on one teacher that cannot both hold are reported.

use std::collections::HashMap;

use serde::Deserialize;

use super::{
    raw, reference_zh, report, take, unknown_school, unknown_teacher, RowProblems, SchoolRegistry, TeacherRegistry,
};
use crate::domain::policy::Policy;
use crate::domain::{Exchange, Lock, LockAction, Teacher};
use crate::error::Text;
use crate::io::fields::{word, What};
use crate::io::table::{opt, req, Column, Problems, Table};
use crate::rules::eligibility::{ineligibility_with, on_exchange_zh, Ineligibility};

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
        exchanges: &[Exchange],
    ) -> Result<Lock, RowProblems> {
        let mut bad = RowProblems::new();
        let teacher = self.teacher(teachers, &mut bad);
        let action = take(
            &mut bad,
            "action",
            word(&self.action, What::new("action", "操作"), LockAction::parse, LockAction::ALL),
        );
        let school_id = Some(self.school_id.clone()).filter(|s| !s.is_empty());
        if let Some(id) = &school_id {
            if !schools.contains_key(id) {
                bad.push(("school_id", unknown_school(id, schools)));
            }
        }
        if let Some(action) = action {
            self.check_school(action, &school_id, &mut bad);
            if let Some(teacher) = teacher.and_then(|t| t.teacher).map(|i| &validated[i]) {
                let exchange = exchanges.iter().find(|e| e.teacher_id == teacher.id);
                check_teacher(action, school_id.as_deref(), (teacher, exchange), policy, &mut bad);
            }
        }
        match action {
            Some(action) if bad.is_empty() => {
                Ok(Lock { teacher_id: self.teacher_id.clone(), action, school_id, note: self.note.clone() })
            }
            _ => Err(bad),
        }
    }

    /// The lock's teacher, or why it cannot be found.
    fn teacher<'t>(
        &self,
        teachers: &'t TeacherRegistry,
        bad: &mut RowProblems,
    ) -> Option<&'t super::teachers::TeacherInfo> {
        if self.teacher_id.is_empty() {
            bad.push((
                "teacher_id",
                Text::both("empty cell; give the teacher the lock is about", "单元格为空；请填写这条锁定针对的教师"),
            ));
            None
        } else if let Some(info) = teachers.get(&self.teacher_id) {
            Some(info)
        } else {
            bad.push(("teacher_id", unknown_teacher(&self.teacher_id, teachers)));
            None
        }
    }

    /// The school a lock of `action` names, or lacks.
    fn check_school(&self, action: LockAction, school_id: &Option<String>, bad: &mut RowProblems) {
        match (action, school_id) {
            (LockAction::MoveTo | LockAction::Forbid, None) => bad.push((
                "school_id",
                Text::both(
                    format!("a {} lock needs a school_id", action.word()),
                    format!("「{}」锁定需要填写 school_id", action.word_zh()),
                ),
            )),
            (LockAction::Stay | LockAction::Move, Some(id)) => bad.push((
                "school_id",
                Text::both(
                    format!(
                        "a {} lock takes no school (\"{id}\"); use move_to to send the teacher to that school",
                        action.word()
                    ),
                    format!(
                        "「{}」锁定不填学校（此处填了「{id}」）；要把教师交流到该校，请用 {}（move_to）",
                        action.word_zh(),
                        LockAction::MoveTo.word_zh()
                    ),
                ),
            )),
            _ => {}
        }
    }
}

/// A lock of `action` on `teacher` that names `school_id`: not to the own
/// school, and only for a teacher who may rotate this year (whose
/// register row, if any, is `exchange`).
fn check_teacher(
    action: LockAction,
    school_id: Option<&str>,
    (teacher, exchange): (&Teacher, Option<&Exchange>),
    policy: &Policy,
    bad: &mut RowProblems,
) {
    if action == LockAction::MoveTo && school_id == Some(teacher.school_id.as_str()) {
        bad.push((
            "school_id",
            Text::both(
                format!("move_to the teacher's own school \"{}\"; name another school or use stay", teacher.school_id),
                format!(
                    "{}的学校「{}」就是该教师现在的学校；请填写其他学校，或改用 {}（stay）",
                    LockAction::MoveTo.word_zh(),
                    teacher.school_id,
                    LockAction::Stay.word_zh()
                ),
            ),
        ));
    }
    if let Some(e) = exchange.filter(|e| action == LockAction::Stay && e.returns_in(policy.year)) {
        // A due return is the register's to decide (its decision column),
        // not a lock's: the return would happen all the same.
        bad.push((
            "action",
            Text::both(
                format!(
                    "teacher \"{}\" is on exchange until {} and goes home to {} this year (exchanges.csv), which a stay lock cannot hold back; to keep the teacher at the host school, set the teacher's decision in exchanges.csv to extend, or drop this row",
                    teacher.id, e.end_year, e.home_school_id
                ),
                format!(
                    "教师「{}」交流至 {} 年，本年度期满返回原校 {}（exchanges.csv），{}（stay）不能阻止返回；如需留在交流学校，请在 exchanges.csv 中把该教师的处理方式改为「续任」（extend），或删去这一行",
                    teacher.id, e.end_year, e.home_school_id, LockAction::Stay.word_zh()
                ),
            ),
        ));
    }
    if matches!(action, LockAction::Move | LockAction::MoveTo) {
        let reasons = ineligibility_with(teacher, policy, exchange);
        if !reasons.is_empty() {
            let reasons_en: Vec<String> = reasons.iter().map(|r| r.describe_en()).collect();
            let reasons_zh: Vec<String> = reasons.iter().map(describe_zh).collect();
            bad.push((
                "action",
                Text::both(
                    format!("teacher \"{}\" may not rotate in {}: {}", teacher.id, policy.year, reasons_en.join("; ")),
                    format!("教师「{}」{} 年度不能交流：{}", teacher.id, policy.year, reasons_zh.join("；")),
                ),
            ));
        }
    }
}

/// A reason in Chinese, in the words `render::words::ineligibility` gives
/// it (`io` comes before `render`, so the wording is repeated here).
fn describe_zh(reason: &Ineligibility) -> String {
    match reason {
        Ineligibility::PartTime => "非专任教师".into(),
        Ineligibility::PrincipalYears(r, y, n) => format!("{}在校 {y} 年，不足 {n} 年", r.word_zh()),
        Ineligibility::YearsAtSchool(y, n) => format!("在校 {y} 年，不足 {n} 年"),
        Ineligibility::Age(a, l) => format!("年龄 {a} 岁，超过 {l} 岁"),
        Ineligibility::Exempt(r) => format!("暂缓交流：{r}"),
        Ineligibility::RecentRotation(y, n) => format!("上次交流距今 {y} 年，不足 {n} 年"),
        Ineligibility::OnExchange { home, end_year, decision, due } => on_exchange_zh(home, *end_year, *decision, *due),
    }
}

/// Whether two locks on one teacher cannot both hold.
pub(super) fn contradicts(a: &Lock, b: &Lock) -> bool {
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
    (policy, exchanges): (&Policy, &[Exchange]),
    problems: &mut Problems,
) -> Vec<Lock> {
    let mut locks: Vec<(u64, Lock)> = Vec::new();
    let mut by_teacher: HashMap<String, TeacherLocks> = HashMap::new();
    let names = table.names();
    for row in &table.rows {
        let values = table.record(row);
        let Some(raw) = raw::<RawLock>(table, row, &names, &values, problems) else { continue };
        let lock = match raw.validate(schools, teachers, validated, policy, exchanges) {
            Ok(lock) => lock,
            Err(row_problems) => {
                report(table, row.line, row_problems, problems);
                continue;
            }
        };
        let earlier = by_teacher.get(&lock.teacher_id).and_then(|t| t.first_contradicting(&lock, &locks));
        if let Some((line, other)) = earlier.map(|i| &locks[i]) {
            let (other_text, other_zh) = match &other.school_id {
                Some(s) => (format!("{} {s}", other.action.word()), format!("{} {s}", other.action.word_zh())),
                None => (other.action.word().to_string(), other.action.word_zh().to_string()),
            };
            let message = Text::both(
                format!(
                    "{} contradicts the {other_text} lock {} for teacher \"{}\"; keep one of them",
                    lock.action.word(),
                    table.reference(*line, "action"),
                    lock.teacher_id
                ),
                format!(
                    "「{}」与{}的「{other_zh}」锁定相矛盾（都针对教师「{}」）；请只保留其中一条",
                    lock.action.word_zh(),
                    reference_zh(table, *line, "action"),
                    lock.teacher_id
                ),
            );
            problems.cell(table, row.line, "action", message);
            continue;
        }
        by_teacher.entry(lock.teacher_id.clone()).or_default().add(locks.len(), &lock);
        locks.push((row.line, lock));
    }
    locks.into_iter().map(|(_, lock)| lock).collect()
}
