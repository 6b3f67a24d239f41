//! exchanges.csv (交流记录): the exchange register, its columns, its raw
//! row and the [`Exchange`] it validates into, checked against the schools
//! and the teachers (the host is the teacher's school in teachers.csv).

use std::collections::HashMap;

use serde::Deserialize;

use super::{
    kind_zh, raw, reference_zh, report, take, unknown_school, unknown_teacher, RowProblems, SchoolRegistry,
    TeacherRegistry,
};
use crate::domain::{Exchange, ExchangeDecision, Teacher};
use crate::error::Text;
use crate::io::fields::{word, year, What};
use crate::io::table::{opt, req, Column, Problems, Table};

/// Columns of exchanges.csv.
pub(crate) const EXCHANGE_COLUMNS: &[Column] = &[
    req("teacher_id", &["教师编号"]),
    req("home_school_id", &["原学校代码", "原学校编号"]),
    req("host_school_id", &["交流学校代码", "交流学校编号"]),
    req("start_year", &["开始年份"]),
    req("end_year", &["结束年份"]),
    opt("decision", &["处理方式"]),
];

/// The years a register may name.
const YEARS: std::ops::RangeInclusive<i32> = 2000..=2100;

/// A row of exchanges.csv as written.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct RawExchange<'a> {
    teacher_id: &'a str,
    home_school_id: &'a str,
    host_school_id: &'a str,
    start_year: &'a str,
    end_year: &'a str,
    decision: &'a str,
}

impl RawExchange<'_> {
    /// The register row, or every problem of the row.
    fn validate(
        &self,
        schools: &SchoolRegistry,
        teachers: &TeacherRegistry,
        validated: &[Teacher],
    ) -> Result<Exchange, RowProblems> {
        let mut bad = RowProblems::new();
        let teacher = self.teacher(teachers, &mut bad).and_then(|info| info.teacher).map(|i| &validated[i]);
        let home = self.school("home_school_id", self.home_school_id, schools, &mut bad);
        let host = self.school("host_school_id", self.host_school_id, schools, &mut bad);
        if home && host && self.home_school_id == self.host_school_id {
            bad.push((
                "host_school_id",
                Text::both(
                    format!(
                        "the host school is the home school \"{}\"; an exchange is served at another school",
                        self.host_school_id
                    ),
                    format!("交流学校就是原学校「{}」；交流须在另一所学校任教", self.host_school_id),
                ),
            ));
        }
        if let Some(teacher) = teacher {
            self.check_teacher(teacher, home, host, schools, &mut bad);
        }
        let start = self.year("start_year", self.start_year, What::new("start year", "开始年份"), &mut bad);
        let end = self.year("end_year", self.end_year, What::new("end year", "结束年份"), &mut bad);
        if let (Some(start), Some(end)) = (start, end) {
            if end < start {
                bad.push((
                    "end_year",
                    Text::both(
                        format!("the exchange ends ({end}) before it starts ({start}); give an end year of {start} or later"),
                        format!("结束年份 {end} 早于开始年份 {start}；请填写 {start} 年或之后的年份"),
                    ),
                ));
            }
        }
        let decision = if self.decision.is_empty() {
            Some(ExchangeDecision::Return)
        } else {
            take(
                &mut bad,
                "decision",
                word(self.decision, What::new("decision", "处理方式"), ExchangeDecision::parse, ExchangeDecision::ALL),
            )
        };
        match (start, end, decision) {
            (Some(start_year), Some(end_year), Some(decision)) if bad.is_empty() => Ok(Exchange {
                teacher_id: self.teacher_id.to_string(),
                home_school_id: self.home_school_id.to_string(),
                host_school_id: self.host_school_id.to_string(),
                start_year,
                end_year,
                decision,
            }),
            _ => Err(bad),
        }
    }

    /// The row's teacher in teachers.csv, or why it cannot be found.
    fn teacher<'t>(
        &self,
        teachers: &'t TeacherRegistry,
        bad: &mut RowProblems,
    ) -> Option<&'t super::teachers::TeacherInfo> {
        if self.teacher_id.is_empty() {
            bad.push((
                "teacher_id",
                Text::both("empty cell; give the teacher on exchange", "单元格为空；请填写交流的教师"),
            ));
            return None;
        }
        let info = teachers.get(self.teacher_id);
        if info.is_none() {
            bad.push(("teacher_id", unknown_teacher(self.teacher_id, teachers)));
        }
        info
    }

    /// Whether the school cell names a school of schools.csv (else the problem is recorded).
    fn school(&self, column: &'static str, id: &str, schools: &SchoolRegistry, bad: &mut RowProblems) -> bool {
        if id.is_empty() {
            let message = if column == "home_school_id" {
                Text::both(
                    "empty cell; give the school the teacher comes from (and returns to)",
                    "单元格为空；请填写教师原来所在（交流期满后返回）的学校",
                )
            } else {
                Text::both(
                    "empty cell; give the school where the teacher serves the exchange",
                    "单元格为空；请填写教师交流任教的学校",
                )
            };
            bad.push((column, message));
            false
        } else if schools.contains_key(id) {
            true
        } else {
            bad.push((column, unknown_school(id, schools)));
            false
        }
    }

    /// The host is the teacher's school in teachers.csv, and the home school
    /// has the teacher's section.
    fn check_teacher(
        &self,
        teacher: &Teacher,
        home: bool,
        host: bool,
        schools: &SchoolRegistry,
        bad: &mut RowProblems,
    ) {
        if host && self.host_school_id != teacher.school_id {
            bad.push((
                "host_school_id",
                Text::both(
                    format!(
                        "teacher \"{}\" serves at \"{}\" in the teachers table, not at \"{}\"; a teacher on exchange is listed in teachers.csv at the host school: correct one of the two",
                        teacher.id, teacher.school_id, self.host_school_id
                    ),
                    format!(
                        "教师表中教师「{}」在「{}」任教，而不是「{}」；交流中的教师在教师表中应登记在交流学校：请改正其中之一",
                        teacher.id, teacher.school_id, self.host_school_id
                    ),
                ),
            ));
        }
        let kind = schools.get(self.home_school_id).and_then(|s| s.kind);
        if let Some(kind) = kind.filter(|k| home && !k.has(teacher.level)) {
            bad.push((
                "home_school_id",
                Text::both(
                    format!(
                        "school \"{}\" is a {} school and has no {} section, teacher \"{}\"'s section; give the school the teacher returns to",
                        self.home_school_id,
                        kind.word(),
                        teacher.level.word(),
                        teacher.id
                    ),
                    format!(
                        "学校「{}」是{}，没有教师「{}」的{}学段；请填写该教师返回的学校",
                        self.home_school_id,
                        kind_zh(kind),
                        teacher.id,
                        teacher.level.word_zh()
                    ),
                ),
            ));
        }
    }

    /// A year of the register, from 2000 to 2100.
    fn year(&self, column: &'static str, text: &str, what: What, bad: &mut RowProblems) -> Option<i32> {
        let value = take(bad, column, year(text, what))?;
        if YEARS.contains(&value) {
            return Some(value);
        }
        let (first, last) = (YEARS.start(), YEARS.end());
        bad.push((
            column,
            Text::both(
                format!("{value} is not a plausible year; give a year from {first} to {last}"),
                format!("{value} 不是合理的年份；请填写 {first} 至 {last} 之间的年份"),
            ),
        ));
        None
    }
}

/// Validates exchanges.csv: one row per teacher on exchange.
pub(crate) fn read_exchanges(
    table: &Table,
    schools: &SchoolRegistry,
    teachers: &TeacherRegistry,
    validated: &[Teacher],
    problems: &mut Problems,
) -> Vec<Exchange> {
    let mut exchanges = Vec::new();
    let mut first_line: HashMap<String, u64> = HashMap::new();
    let names = table.names();
    for row in &table.rows {
        let values = table.record(row);
        let Some(raw) = raw::<RawExchange>(table, row, &names, &values, problems) else { continue };
        if let Some(first) = first_line.get(raw.teacher_id) {
            let message = Text::both(
                format!(
                    "teacher \"{}\" is in the register twice (first {}); keep one row per teacher, with the current exchange",
                    raw.teacher_id,
                    table.reference(*first, "teacher_id")
                ),
                format!(
                    "教师「{}」在交流记录中出现两次（首次出现在{}）；每位教师只保留一行，即当前的交流",
                    raw.teacher_id,
                    reference_zh(table, *first, "teacher_id")
                ),
            );
            problems.cell(table, row.line, "teacher_id", message);
            continue;
        }
        if !raw.teacher_id.is_empty() {
            first_line.insert(raw.teacher_id.to_string(), row.line);
        }
        match raw.validate(schools, teachers, validated) {
            Ok(exchange) => exchanges.push(exchange),
            Err(row_problems) => report(table, row.line, row_problems, problems),
        }
    }
    exchanges
}
