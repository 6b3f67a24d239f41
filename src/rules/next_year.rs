//! The county one school year on: this year's accepted moves, returns and
//! extensions applied, the register brought up to date and the teachers
//! past the retirement age left out. Pure: no file format, no solver, so
//! `advance` writes it as a data folder and a plan over two years can
//! plan the second year on it.
//!
//! The choices (docs/data-format.md, "Next year's data"):
//! - a mover teaches at the new school from this school year:
//!   `school_since = year`, `last_rotated = year`, and gets a register row
//!   home = the school left, host = the new school, `start_year = year`,
//!   `end_year = year + rotation.years`, decision `return`;
//! - a returned teacher is home from next year: `school_id = home`,
//!   `school_since = year + 1`, `last_rotated` = the exchange's end year;
//!   the register row is closed (dropped);
//! - an extended row ends one year later;
//! - a transfer whose term has ended is dropped (the teacher stays for good);
//! - a teacher past the retirement age in year + 1 leaves the roll, with
//!   any register row;
//! - locks and applications are this year's and are not carried over;
//! - family ties last: each is carried as it is, unless one of its two
//!   teachers leaves the roll (the tie is dropped with them).

use std::collections::{BTreeMap, BTreeSet};

use crate::domain::applications::FamilyTie;
use crate::domain::changes::ProposedMove;
use crate::domain::{County, Exchange, ExchangeDecision, Teacher};

/// A teacher who leaves the roll next year.
#[derive(Clone, Debug, PartialEq)]
pub struct Retired {
    /// The teacher as they stand at the end of this year (after this
    /// year's move or return: `school_id` is where they would teach).
    pub teacher: Teacher,
    /// Age in the new year: year + 1 − birth year.
    pub age: i32,
}

/// The county one year on, with what changed.
#[derive(Clone, Debug)]
pub struct NextYear {
    /// The county of year + 1: policy year + 1, no locks, no applications,
    /// teachers, register and family ties updated.
    pub county: County,
    /// Teachers past the retirement age in year + 1, by id.
    pub retired: Vec<Retired>,
    /// Teachers moved this year (in the roll of next year or retired).
    pub moved: usize,
    /// Teachers who went home this year.
    pub returned: usize,
    /// Register rows extended by one year.
    pub extended: usize,
    /// Family ties dropped because one of the two teachers retired.
    pub family_dropped: usize,
}

/// This year's county `county` advanced by its accepted plan: `moves`
/// (rotations; a move of an unknown teacher is ignored), `returns` (ids of
/// teachers on exchange who go home this year) and `extended` (ids whose
/// due return is put off by one year). A teacher in `returns` without a
/// register row is ignored.
pub fn next_year(county: &County, moves: &[ProposedMove], returns: &[String], extended: &[String]) -> NextYear {
    let year = county.policy.year;
    let next = year + 1;
    let destination: BTreeMap<&str, &str> =
        moves.iter().map(|m| (m.teacher_id.as_str(), m.to_school.as_str())).collect();
    let returning: BTreeSet<&str> = returns.iter().map(String::as_str).collect();
    let extending: BTreeSet<&str> = extended.iter().map(String::as_str).collect();
    let mut teachers = Vec::with_capacity(county.teachers.len());
    let mut retired = Vec::new();
    let mut register_rows: Vec<Exchange> = Vec::new();
    let (mut moved, mut returned, mut extended_count) = (0, 0, 0);
    let mut gone: BTreeSet<String> = BTreeSet::new();
    for teacher in &county.teachers {
        let mut teacher = teacher.clone();
        let id = teacher.id.as_str();
        if let Some(&to) = destination.get(id) {
            moved += 1;
            register_rows.push(Exchange {
                teacher_id: teacher.id.clone(),
                home_school_id: teacher.school_id.clone(),
                host_school_id: to.to_string(),
                start_year: year,
                end_year: year + county.policy.rotation.years,
                decision: ExchangeDecision::Return,
            });
            teacher.school_id = to.to_string();
            teacher.school_since = year;
            teacher.last_rotated = Some(year);
        } else if let Some(row) = county.exchange_of(id).filter(|_| returning.contains(id)) {
            returned += 1;
            teacher.school_id = row.home_school_id.clone();
            teacher.school_since = next;
            teacher.last_rotated = Some(row.end_year);
        }
        if county.policy.retired_in(teacher.gender, teacher.birth_year, next) {
            gone.insert(teacher.id.clone());
            retired.push(Retired { age: next - teacher.birth_year, teacher });
        } else {
            teachers.push(teacher);
        }
    }
    let mut register = Vec::with_capacity(county.exchanges.len() + register_rows.len());
    for row in &county.exchanges {
        let id = row.teacher_id.as_str();
        let closed =
            destination.contains_key(id) || returning.contains(id) || gone.contains(id) || !row.on_exchange_in(year);
        if closed {
            continue;
        }
        let mut row = row.clone();
        if extending.contains(id) {
            row.end_year += 1;
            extended_count += 1;
        }
        register.push(row);
    }
    register.extend(register_rows.into_iter().filter(|r| !gone.contains(&r.teacher_id)));
    let mut policy = county.policy.clone();
    policy.year = next;
    let next_county = County::new(
        county.schools.clone(),
        teachers,
        policy,
        Vec::new(),
        county.roads.clone(),
        county.staffing.clone(),
    )
    .with_exchanges(register);
    let family: Vec<FamilyTie> = county
        .family
        .iter()
        .filter(|f| !gone.contains(&f.teacher_a) && !gone.contains(&f.teacher_b))
        .cloned()
        .collect();
    let family_dropped = county.family.len() - family.len();
    let next_county = next_county.with_family(family);
    NextYear { county: next_county, retired, moved, returned, extended: extended_count, family_dropped }
}
