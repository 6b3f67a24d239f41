//! The tables of a data folder: their columns (English names and Chinese
//! aliases), a raw row struct per table that mirrors the sheet, and the
//! validation that turns raw rows into domain values — every problem of
//! every row is reported, cross-row rules (duplicates, references,
//! contradicting locks) included.

use std::collections::{BTreeMap, HashMap};

use serde::Deserialize;

use super::fields::{
    boolean, boolean_or, coordinate, count, count_or_zero, nearest, number, optional_amount, optional_count, word, year,
};
use super::table::{opt, req, Column, Problems, Row, Table};
use crate::domain::policy::Policy;
use crate::domain::{
    Area, Backbone, Degree, Facilities, Facility, Gender, Level, Lock, LockAction, Road, Role, School, SchoolKind,
    StaffingNeed, Subject, Teacher, Title,
};
use crate::rules::eligibility::ineligibility;

/// Problems of one row: (canonical column, message).
type RowProblems = Vec<(&'static str, String)>;

/// Keeps the value of a parsed cell, or records why it could not be read.
fn take<T>(problems: &mut RowProblems, column: &'static str, result: Result<T, String>) -> Option<T> {
    match result {
        Ok(value) => Some(value),
        Err(message) => {
            problems.push((column, message));
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
            problems.cell(table, row.line, "", format!("cannot be read: {error}"));
            None
        }
    }
}

/// Reports the problems of a row, leaving out columns the table lacks
/// (a missing column is reported once, at the header).
fn report(table: &Table, line: u64, row_problems: RowProblems, problems: &mut Problems) {
    for (column, message) in row_problems {
        if table.has(column) {
            problems.cell(table, line, column, message);
        }
    }
}

// ---------------------------------------------------------------- schools

/// Columns of schools.csv.
pub(crate) const SCHOOL_COLUMNS: &[Column] = &[
    req("school_id", &["学校代码", "学校编号"]),
    req("name", &["学校名称", "校名"]),
    req("town", &["乡镇"]),
    req("kind", &["类型", "学校类型"]),
    req("area", &["城乡", "城乡类型"]),
    req("primary_students", &["小学在校生数"]),
    req("junior_students", &["初中在校生数"]),
    req("primary_classes", &["小学班级数"]),
    req("junior_classes", &["初中班级数"]),
    opt("lat", &["纬度"]),
    opt("lon", &["经度"]),
    opt("alliance", &["联盟"]),
    opt("teaching_area_m2", &["教学及辅助用房面积"]),
    opt("sports_area_m2", &["体育运动场馆面积"]),
    opt("equipment_yuan", &["教学仪器设备值"]),
    opt("multimedia_rooms", &["网络多媒体教室数"]),
    opt("staff_quota", &["编制数"]),
];

/// A row of schools.csv as written.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct RawSchool {
    school_id: String,
    name: String,
    town: String,
    kind: String,
    area: String,
    primary_students: String,
    junior_students: String,
    primary_classes: String,
    junior_classes: String,
    lat: String,
    lon: String,
    alliance: String,
    teaching_area_m2: String,
    sports_area_m2: String,
    equipment_yuan: String,
    multimedia_rooms: String,
    staff_quota: String,
}

const STUDENT_COLUMNS: [&str; 2] = ["primary_students", "junior_students"];
const CLASS_COLUMNS: [&str; 2] = ["primary_classes", "junior_classes"];

impl RawSchool {
    fn students_text(&self, level: Level) -> &str {
        match level {
            Level::Primary => &self.primary_students,
            Level::Junior => &self.junior_students,
        }
    }

    fn classes_text(&self, level: Level) -> &str {
        match level {
            Level::Primary => &self.primary_classes,
            Level::Junior => &self.junior_classes,
        }
    }

    fn facility_text(&self, facility: Facility) -> (&'static str, &str) {
        match facility {
            Facility::TeachingArea => ("teaching_area_m2", &self.teaching_area_m2),
            Facility::SportsArea => ("sports_area_m2", &self.sports_area_m2),
            Facility::Equipment => ("equipment_yuan", &self.equipment_yuan),
            Facility::MultimediaRooms => ("multimedia_rooms", &self.multimedia_rooms),
        }
    }

    /// The school, or every problem of the row.
    fn validate(&self) -> Result<School, RowProblems> {
        let mut bad = RowProblems::new();
        if self.school_id.is_empty() {
            bad.push(("school_id", "empty cell; every school needs a school_id".into()));
        }
        let kind = take(&mut bad, "kind", word(&self.kind, "kind", SchoolKind::parse, SchoolKind::ALL));
        let area = take(&mut bad, "area", word(&self.area, "area", Area::parse, Area::ALL));
        let mut students = [0u32; 2];
        let mut classes = [0u32; 2];
        let mut counts_ok = true;
        for level in Level::BOTH {
            let i = level.index();
            let (students_column, classes_column) = (STUDENT_COLUMNS[i], CLASS_COLUMNS[i]);
            let has = kind.is_none_or(|k| k.has(level));
            let what_students = format!("number of {} students", level.word());
            let what_classes = format!("number of {} classes", level.word());
            let (s, c) = if has && kind.is_some() {
                (count(self.students_text(level), &what_students), count(self.classes_text(level), &what_classes))
            } else {
                (
                    count_or_zero(self.students_text(level), &what_students),
                    count_or_zero(self.classes_text(level), &what_classes),
                )
            };
            let s = take(&mut bad, students_column, s);
            let c = take(&mut bad, classes_column, c);
            match (s, c) {
                (Some(s), Some(c)) => {
                    students[i] = s;
                    classes[i] = c;
                }
                _ => counts_ok = false,
            }
            if let (Some(kind), false) = (kind, has) {
                for (column, value, noun) in [(students_column, s, "students"), (classes_column, c, "classes")] {
                    if value.is_some_and(|v| v > 0) {
                        bad.push((
                            column,
                            format!(
                                "a {} school has no {} section, so no {} {noun}; give 0 or leave the cell empty",
                                kind.word(),
                                level.word(),
                                level.word()
                            ),
                        ));
                    }
                }
            } else if let (Some(s), Some(0)) = (s, c) {
                if s > 0 {
                    bad.push((
                        classes_column,
                        format!("0 classes for {s} {} students; give the number of classes", level.word()),
                    ));
                }
            }
        }
        let location = match (self.lat.is_empty(), self.lon.is_empty()) {
            (true, true) => Some(None),
            (false, true) => {
                bad.push(("lon", "lat is given but lon is empty; give both or neither".into()));
                None
            }
            (true, false) => {
                bad.push(("lat", "lon is given but lat is empty; give both or neither".into()));
                None
            }
            (false, false) => {
                let lat = take(&mut bad, "lat", coordinate(&self.lat, "latitude", 90.0));
                let lon = take(&mut bad, "lon", coordinate(&self.lon, "longitude", 180.0));
                lat.zip(lon).map(Some)
            }
        };
        let mut facilities = Facilities::default();
        let mut facilities_ok = true;
        for facility in Facility::ALL {
            let (column, text) = self.facility_text(facility);
            match take(&mut bad, column, optional_amount(text)) {
                Some(value) => facilities.totals[facility.index()] = value,
                None => facilities_ok = false,
            }
        }
        let staff_quota = take(&mut bad, "staff_quota", optional_count(&self.staff_quota, "staff quota"));
        match (kind, area, location, staff_quota) {
            (Some(kind), Some(area), Some(location), Some(staff_quota))
                if bad.is_empty() && counts_ok && facilities_ok =>
            {
                Ok(School {
                    id: self.school_id.clone(),
                    name: self.name.clone(),
                    town: self.town.clone(),
                    kind,
                    area,
                    students,
                    classes,
                    location,
                    alliance: Some(self.alliance.clone()).filter(|a| !a.is_empty()),
                    facilities,
                    staff_quota,
                })
            }
            _ => Err(bad),
        }
    }
}

/// What other tables need to know of a school row, even an invalid one.
#[derive(Clone, Debug)]
pub(crate) struct SchoolInfo {
    /// Its kind, when the kind cell could be read.
    pub kind: Option<SchoolKind>,
    /// Its town (a node of the road graph).
    pub town: String,
}

/// Every school id seen in schools.csv (first occurrence).
pub(crate) type SchoolRegistry = HashMap<String, SchoolInfo>;

/// Validates schools.csv.
pub(crate) fn read_schools(
    table: &Table,
    problems: &mut Problems,
    warnings: &mut Vec<String>,
) -> (Vec<School>, SchoolRegistry) {
    let mut schools = Vec::new();
    let mut registry = SchoolRegistry::new();
    let mut first_line: BTreeMap<String, u64> = BTreeMap::new();
    let names = table.names();
    for row in &table.rows {
        let values = table.record(row);
        let Some(raw) = raw::<RawSchool>(table, row, &names, &values, problems) else { continue };
        if !raw.school_id.is_empty() {
            if let Some(first) = first_line.get(&raw.school_id) {
                let message = format!(
                    "duplicate school_id \"{}\" (first {}); give every school its own id",
                    raw.school_id,
                    table.reference(*first, "school_id")
                );
                problems.cell(table, row.line, "school_id", message);
                continue;
            }
            first_line.insert(raw.school_id.clone(), row.line);
            registry.insert(
                raw.school_id.clone(),
                SchoolInfo { kind: SchoolKind::parse(&raw.kind), town: raw.town.clone() },
            );
        }
        if raw.name.is_empty() && table.has("name") && !table.is_noted(row.line, "name") {
            warnings.push(format!(
                "{}: {}: the school has no name",
                table.location(row.line, Some("name")),
                table.header("name")
            ));
        }
        match raw.validate() {
            Ok(school) => schools.push(school),
            Err(row_problems) => report(table, row.line, row_problems, problems),
        }
    }
    (schools, registry)
}

/// "unknown school "S9"; did you mean "S09"?" for a school id not in schools.csv.
fn unknown_school(id: &str, schools: &SchoolRegistry) -> String {
    let suggestion = nearest(id, sorted_keys(schools)).map(|s| format!("; did you mean \"{s}\"?")).unwrap_or_default();
    format!("unknown school \"{id}\"{suggestion} (not in the schools table)")
}

// --------------------------------------------------------------- teachers

/// Columns of teachers.csv.
pub(crate) const TEACHER_COLUMNS: &[Column] = &[
    req("teacher_id", &["教师编号"]),
    req("name", &["姓名", "教师姓名"]),
    req("school_id", &["学校代码", "学校编号"]),
    req("section", &["学段"]),
    req("subject", &["任教学科", "学科"]),
    req("degree", &["学历"]),
    req("backbone", &["骨干级别", "骨干"]),
    opt("title", &["职称"]),
    req("gender", &["性别"]),
    req("birth_year", &["出生年份"]),
    req("school_since", &["到校年份"]),
    req("certified", &["教师资格证"]),
    opt("full_time", &["专任"]),
    opt("role", &["职务"]),
    opt("exempt", &["暂缓交流原因"]),
    opt("last_rotated", &["上次交流年份"]),
];

/// A row of teachers.csv as written.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct RawTeacher<'a> {
    teacher_id: &'a str,
    name: &'a str,
    school_id: &'a str,
    section: &'a str,
    subject: &'a str,
    degree: &'a str,
    backbone: &'a str,
    title: &'a str,
    gender: &'a str,
    birth_year: &'a str,
    school_since: &'a str,
    certified: &'a str,
    full_time: &'a str,
    role: &'a str,
    exempt: &'a str,
    last_rotated: &'a str,
}

/// Exemption cells that say "no reason" in words.
fn no_reason(text: &str) -> bool {
    matches!(crate::domain::normalize_word(text).as_str(), "" | "无" | "none" | "no" | "否")
}

impl RawTeacher<'_> {
    /// The teacher, or every problem of the row.
    fn validate(&self, schools: &SchoolRegistry, policy: &Policy) -> Result<Teacher, RowProblems> {
        let mut bad = RowProblems::new();
        let plan_year = policy.year;
        if self.teacher_id.is_empty() {
            bad.push(("teacher_id", "empty cell; every teacher needs a teacher_id".into()));
        }
        let level = take(&mut bad, "section", word(self.section, "section", Level::parse, Level::ALL));
        let school = if self.school_id.is_empty() {
            bad.push(("school_id", "empty cell; give the school where the teacher serves now".into()));
            None
        } else if let Some(info) = schools.get(self.school_id) {
            Some(info)
        } else {
            bad.push(("school_id", unknown_school(self.school_id, schools)));
            None
        };
        if let (Some(kind), Some(level)) = (school.and_then(|s| s.kind), level) {
            if !kind.has(level) {
                bad.push((
                    "section",
                    format!(
                        "school \"{}\" is a {} school and has no {} section",
                        self.school_id,
                        kind.word(),
                        level.word()
                    ),
                ));
            }
        }
        let subject = take(&mut bad, "subject", word(self.subject, "subject", Subject::parse, Subject::ALL));
        let degree = take(&mut bad, "degree", word(self.degree, "degree", Degree::parse, Degree::ALL));
        let backbone = if self.backbone.is_empty() {
            Some(Backbone::None)
        } else {
            take(&mut bad, "backbone", word(self.backbone, "backbone level", Backbone::parse, Backbone::ALL))
        };
        let title = if self.title.is_empty() {
            Some(None)
        } else {
            take(&mut bad, "title", word(self.title, "title", Title::parse, Title::ALL)).map(Some)
        };
        let gender = take(&mut bad, "gender", word(self.gender, "gender", Gender::parse, Gender::ALL));
        let latest_birth = plan_year.saturating_sub(18);
        let birth_year = take(&mut bad, "birth_year", year(self.birth_year, "birth year")).and_then(|b| {
            if (1940..=latest_birth).contains(&b) {
                Some(b)
            } else {
                bad.push((
                    "birth_year",
                    format!("{b} is not a plausible birth year; give a year from 1940 to {latest_birth}"),
                ));
                None
            }
        });
        let school_since =
            take(&mut bad, "school_since", year(self.school_since, "year the teacher came to the school"))
                .and_then(|s| check_career_year(s, plan_year, birth_year, "school_since", &mut bad));
        let certified = take(&mut bad, "certified", boolean(self.certified, "certified"));
        let full_time = take(&mut bad, "full_time", boolean_or(self.full_time, "full_time", true));
        let role = if self.role.is_empty() {
            Some(Role::Teacher)
        } else {
            take(&mut bad, "role", word(self.role, "role", Role::parse, Role::ALL))
        };
        let last_rotated = if self.last_rotated.is_empty() {
            Some(None)
        } else {
            take(&mut bad, "last_rotated", year(self.last_rotated, "year of the last rotation"))
                .and_then(|l| check_career_year(l, plan_year, birth_year, "last_rotated", &mut bad))
                .map(Some)
        };
        let exempt = if no_reason(self.exempt) { None } else { Some(self.exempt.to_string()) };
        match (
            level,
            subject,
            degree,
            backbone,
            title,
            gender,
            birth_year,
            school_since,
            certified,
            full_time,
            role,
            last_rotated,
        ) {
            (
                Some(level),
                Some(subject),
                Some(degree),
                Some(backbone),
                Some(title),
                Some(gender),
                Some(birth_year),
                Some(school_since),
                Some(certified),
                Some(full_time),
                Some(role),
                Some(last_rotated),
            ) if bad.is_empty() => Ok(Teacher {
                id: self.teacher_id.to_string(),
                name: self.name.to_string(),
                school_id: self.school_id.to_string(),
                level,
                subject,
                degree,
                backbone,
                title,
                gender,
                birth_year,
                school_since,
                certified,
                full_time,
                role,
                exempt,
                last_rotated,
            }),
            _ => Err(bad),
        }
    }
}

/// A year of the teacher's career (arrival, last rotation): not after the
/// planning year, not before the teacher turned 16.
fn check_career_year(
    value: i32,
    plan_year: i32,
    birth_year: Option<i32>,
    column: &'static str,
    bad: &mut RowProblems,
) -> Option<i32> {
    if value > plan_year {
        bad.push((column, format!("{value} is after the planning year {plan_year}")));
        return None;
    }
    let earliest = birth_year.map(|b| b.saturating_add(16)).unwrap_or(1956);
    if value < earliest {
        let message = match birth_year {
            Some(b) => format!("{value} is before the teacher turned 16 (born {b})"),
            None => format!("{value} is not a plausible year; give a year from {earliest} to {plan_year}"),
        };
        bad.push((column, message));
        return None;
    }
    Some(value)
}

/// What the locks need to know of a teacher row, even an invalid one.
#[derive(Clone, Copy, Debug)]
pub(crate) struct TeacherInfo {
    /// The line of the first row with this id.
    pub line: u64,
    /// The validated teacher's index in the teachers list, when the row is valid.
    pub teacher: Option<usize>,
}

/// Every teacher id seen in teachers.csv (first occurrence).
pub(crate) type TeacherRegistry = HashMap<String, TeacherInfo>;

/// A registry's ids in order, so suggestions do not depend on hashing.
fn sorted_keys<V>(registry: &HashMap<String, V>) -> Vec<&str> {
    let mut keys: Vec<&str> = registry.keys().map(String::as_str).collect();
    keys.sort_unstable();
    keys
}

/// Validates teachers.csv against the schools and the policy year.
pub(crate) fn read_teachers(
    table: &Table,
    schools: &SchoolRegistry,
    policy: &Policy,
    problems: &mut Problems,
) -> (Vec<Teacher>, TeacherRegistry) {
    let mut teachers = Vec::with_capacity(table.rows.len());
    let mut registry = TeacherRegistry::with_capacity(table.rows.len());
    let names = table.names();
    for row in &table.rows {
        let values = table.record(row);
        let Some(raw) = raw::<RawTeacher>(table, row, &names, &values, problems) else { continue };
        if let Some(first) = registry.get(raw.teacher_id).filter(|_| !raw.teacher_id.is_empty()) {
            let message = format!(
                "duplicate teacher_id \"{}\" (first {}); give every teacher their own id",
                raw.teacher_id,
                table.reference(first.line, "teacher_id")
            );
            problems.cell(table, row.line, "teacher_id", message);
            continue;
        }
        let index = match raw.validate(schools, policy) {
            Ok(teacher) => {
                teachers.push(teacher);
                Some(teachers.len() - 1)
            }
            Err(row_problems) => {
                report(table, row.line, row_problems, problems);
                None
            }
        };
        if !raw.teacher_id.is_empty() {
            registry.insert(raw.teacher_id.to_string(), TeacherInfo { line: row.line, teacher: index });
        }
    }
    (teachers, registry)
}

// ------------------------------------------------------------------ locks

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
            bad.push(("teacher_id", "empty cell; give the teacher the lock is about".into()));
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
                        let reasons: Vec<String> = reasons.iter().map(|r| r.describe(false)).collect();
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

// ------------------------------------------------------------------ roads

/// Columns of roads.csv.
pub(crate) const ROAD_COLUMNS: &[Column] =
    &[req("from", &["起点"]), req("to", &["终点"]), req("km", &["公里", "距离"])];

/// A row of roads.csv as written.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct RawRoad {
    from: String,
    to: String,
    km: String,
}

impl RawRoad {
    fn validate(&self) -> Result<Road, RowProblems> {
        let mut bad = RowProblems::new();
        for (column, text) in [("from", &self.from), ("to", &self.to)] {
            if text.is_empty() {
                bad.push((column, "empty cell; give a school id or a town".into()));
            }
        }
        if !self.from.is_empty() && self.from == self.to {
            bad.push(("to", format!("the road leads from \"{}\" to itself", self.from)));
        }
        let km = take(&mut bad, "km", number(&self.km, "length in km")).and_then(|km| {
            if km > 0.0 && km.is_finite() {
                Some(km)
            } else {
                bad.push(("km", format!("{} km; a road must be longer than 0 km", self.km)));
                None
            }
        });
        match km {
            Some(km) if bad.is_empty() => Ok(Road { from: self.from.clone(), to: self.to.clone(), km }),
            _ => Err(bad),
        }
    }
}

/// Validates roads.csv; an end that is neither a school id nor a town is a warning.
pub(crate) fn read_roads(
    table: &Table,
    schools: &SchoolRegistry,
    problems: &mut Problems,
    warnings: &mut Vec<String>,
) -> Vec<Road> {
    let mut roads = Vec::new();
    let towns: std::collections::HashSet<&str> = schools.values().map(|s| s.town.as_str()).collect();
    let names = table.names();
    for row in &table.rows {
        let values = table.record(row);
        let Some(raw) = raw::<RawRoad>(table, row, &names, &values, problems) else { continue };
        match raw.validate() {
            Ok(road) => {
                for (column, node) in [("from", &road.from), ("to", &road.to)] {
                    let known = schools.contains_key(node) || towns.contains(node.as_str());
                    if !known {
                        warnings.push(format!(
                            "{}: {}: \"{node}\" is neither a school id nor a town; it is kept as a junction",
                            table.location(row.line, Some(column)),
                            table.header(column)
                        ));
                    }
                }
                roads.push(road);
            }
            Err(row_problems) => report(table, row.line, row_problems, problems),
        }
    }
    roads
}

// --------------------------------------------------------------- staffing

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
            bad.push(("school_id", "empty cell; give the school".into()));
            None
        } else if let Some(info) = schools.get(&self.school_id) {
            Some(info)
        } else {
            bad.push(("school_id", unknown_school(&self.school_id, schools)));
            None
        };
        let level = take(&mut bad, "section", word(&self.section, "section", Level::parse, Level::ALL));
        if let (Some(kind), Some(level)) = (school.and_then(|s| s.kind), level) {
            if !kind.has(level) {
                bad.push((
                    "section",
                    format!(
                        "school \"{}\" is a {} school and has no {} section",
                        self.school_id,
                        kind.word(),
                        level.word()
                    ),
                ));
            }
        }
        let subject = take(&mut bad, "subject", word(&self.subject, "subject", Subject::parse, Subject::ALL));
        let need = take(&mut bad, "need", count(&self.need, "number of teachers needed"));
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
                    let message = format!(
                        "{} {} {} is given twice (first {}); keep one row",
                        need.school_id,
                        need.level.word(),
                        need.subject.word(),
                        table.reference(*first, "school_id")
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
