//! teachers.csv: its columns, its raw row and the teacher it validates
//! into, checked against the schools and the planning year.

use std::collections::HashMap;

use serde::Deserialize;

use super::{missing_section, raw, reference_zh, report, take, unknown_school, RowProblems, SchoolRegistry};
use crate::domain::policy::Policy;
use crate::domain::{Backbone, Degree, Gender, Level, Role, Subject, Teacher, Title};
use crate::error::Text;
use crate::io::fields::{boolean, boolean_or, word, year, What};
use crate::io::table::{opt, req, Column, Problems, Table};

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

/// What a teacher row says of the post: section, subject and the
/// teacher's qualifications.
struct Post {
    level: Level,
    subject: Subject,
    degree: Degree,
    backbone: Backbone,
    title: Option<Title>,
    gender: Gender,
}

/// What a teacher row says of the career: years, certificate, role.
struct Career {
    birth_year: i32,
    school_since: i32,
    certified: bool,
    full_time: bool,
    role: Role,
    last_rotated: Option<i32>,
}

impl RawTeacher<'_> {
    /// The teacher, or every problem of the row.
    fn validate(&self, schools: &SchoolRegistry, policy: &Policy) -> Result<Teacher, RowProblems> {
        let mut bad = RowProblems::new();
        if self.teacher_id.is_empty() {
            bad.push((
                "teacher_id",
                Text::both("empty cell; every teacher needs a teacher_id", "单元格为空；每位教师都要有 teacher_id"),
            ));
        }
        let post = self.post(schools, &mut bad);
        let career = self.career(policy.year, &mut bad);
        let exempt = if no_reason(self.exempt) { None } else { Some(self.exempt.to_string()) };
        match (post, career) {
            (Some(post), Some(career)) if bad.is_empty() => Ok(Teacher {
                id: self.teacher_id.to_string(),
                name: self.name.to_string(),
                school_id: self.school_id.to_string(),
                level: post.level,
                subject: post.subject,
                degree: post.degree,
                backbone: post.backbone,
                title: post.title,
                gender: post.gender,
                birth_year: career.birth_year,
                school_since: career.school_since,
                certified: career.certified,
                full_time: career.full_time,
                role: career.role,
                exempt,
                last_rotated: career.last_rotated,
            }),
            _ => Err(bad),
        }
    }

    /// The section (at a school that has it), subject, degree, backbone
    /// level, title and gender, when every one can be read.
    fn post(&self, schools: &SchoolRegistry, bad: &mut RowProblems) -> Option<Post> {
        let level = take(bad, "section", word(self.section, What::new("section", "学段"), Level::parse, Level::ALL));
        self.check_school(level, schools, bad);
        let subject =
            take(bad, "subject", word(self.subject, What::new("subject", "任教学科"), Subject::parse, Subject::ALL));
        let degree = take(bad, "degree", word(self.degree, What::new("degree", "学历"), Degree::parse, Degree::ALL));
        let backbone = if self.backbone.is_empty() {
            Some(Backbone::None)
        } else {
            take(
                bad,
                "backbone",
                word(self.backbone, What::new("backbone level", "骨干级别"), Backbone::parse, Backbone::ALL),
            )
        };
        let title = if self.title.is_empty() {
            Some(None)
        } else {
            take(bad, "title", word(self.title, What::new("title", "职称"), Title::parse, Title::ALL)).map(Some)
        };
        let gender = take(bad, "gender", word(self.gender, What::new("gender", "性别"), Gender::parse, Gender::ALL));
        Some(Post {
            level: level?,
            subject: subject?,
            degree: degree?,
            backbone: backbone?,
            title: title?,
            gender: gender?,
        })
    }

    /// The school is in schools.csv and has the teacher's section.
    fn check_school(&self, level: Option<Level>, schools: &SchoolRegistry, bad: &mut RowProblems) {
        let school = if self.school_id.is_empty() {
            bad.push((
                "school_id",
                Text::both(
                    "empty cell; give the school where the teacher serves now",
                    "单元格为空；请填写教师现在任职的学校",
                ),
            ));
            None
        } else if let Some(info) = schools.get(self.school_id) {
            Some(info)
        } else {
            bad.push(("school_id", unknown_school(self.school_id, schools)));
            None
        };
        bad.extend(missing_section(self.school_id, school.and_then(|s| s.kind), level));
    }

    /// The years of birth, arrival and last rotation, the certificate,
    /// full-time service and role, when every one can be read.
    fn career(&self, plan_year: i32, bad: &mut RowProblems) -> Option<Career> {
        let latest_birth = plan_year.saturating_sub(18);
        let birth_year =
            take(bad, "birth_year", year(self.birth_year, What::new("birth year", "出生年份"))).and_then(|b| {
                if (1940..=latest_birth).contains(&b) {
                    Some(b)
                } else {
                    bad.push((
                        "birth_year",
                        Text::both(
                            format!("{b} is not a plausible birth year; give a year from 1940 to {latest_birth}"),
                            format!("{b} 不是合理的出生年份；请填写 1940 至 {latest_birth} 之间的年份"),
                        ),
                    ));
                    None
                }
            });
        let school_since = take(
            bad,
            "school_since",
            year(self.school_since, What::new("year the teacher came to the school", "到校年份")),
        )
        .and_then(|s| check_career_year(s, plan_year, birth_year, "school_since", bad));
        let certified = take(bad, "certified", boolean(self.certified, What::new("certified", "是否持有教师资格证")));
        let full_time = take(bad, "full_time", boolean_or(self.full_time, What::new("full_time", "是否专任"), true));
        let role = if self.role.is_empty() {
            Some(Role::Teacher)
        } else {
            take(bad, "role", word(self.role, What::new("role", "职务"), Role::parse, Role::ALL))
        };
        let last_rotated = if self.last_rotated.is_empty() {
            Some(None)
        } else {
            take(bad, "last_rotated", year(self.last_rotated, What::new("year of the last rotation", "上次交流年份")))
                .and_then(|l| check_career_year(l, plan_year, birth_year, "last_rotated", bad))
                .map(Some)
        };
        Some(Career {
            birth_year: birth_year?,
            school_since: school_since?,
            certified: certified?,
            full_time: full_time?,
            role: role?,
            last_rotated: last_rotated?,
        })
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
        bad.push((
            column,
            Text::both(
                format!("{value} is after the planning year {plan_year}"),
                format!("{value} 年晚于规划年度 {plan_year} 年"),
            ),
        ));
        return None;
    }
    let earliest = birth_year.map(|b| b.saturating_add(16)).unwrap_or(1956);
    if value < earliest {
        let message = match birth_year {
            Some(b) => Text::both(
                format!("{value} is before the teacher turned 16 (born {b})"),
                format!("{value} 年该教师还不满 16 岁（{b} 年出生）"),
            ),
            None => Text::both(
                format!("{value} is not a plausible year; give a year from {earliest} to {plan_year}"),
                format!("{value} 不是合理的年份；请填写 {earliest} 至 {plan_year} 之间的年份"),
            ),
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
            let message = Text::both(
                format!(
                    "duplicate teacher_id \"{}\" (first {}); give every teacher their own id",
                    raw.teacher_id,
                    table.reference(first.line, "teacher_id")
                ),
                format!(
                    "teacher_id「{}」重复（首次出现在{}）；请给每位教师一个不同的编号",
                    raw.teacher_id,
                    reference_zh(table, first.line, "teacher_id")
                ),
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
