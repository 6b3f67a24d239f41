//! Who meets the rotation conditions (符合交流条件, SPEC §4), and for
//! everyone who does not, the reasons.

use crate::domain::policy::Policy;
use std::collections::HashMap;

use crate::domain::{County, Exchange, ExchangeDecision, Gender, Role, Teacher};

/// Why a teacher is not eligible to rotate this year.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Ineligibility {
    /// Not a full-time teacher (专任).
    PartTime,
    /// Fewer years at the school than required: (years, required).
    YearsAtSchool(i32, i32),
    /// A principal or vice principal with fewer years at the school than
    /// `principals.min_years_at_school`: (role, years, required).
    PrincipalYears(Role, i32, i32),
    /// Older than the limit for the gender: (age, limit).
    Age(i32, i32),
    /// An exemption reason was given.
    Exempt(String),
    /// Rotated too recently: (years since, required).
    RecentRotation(i32, i32),
    /// On exchange (exchanges.csv) in the plan year, serving at the host
    /// school (the teacher's school in teachers.csv).
    OnExchange {
        /// The home school the teacher returns to.
        home: String,
        /// The last school year of the term.
        end_year: i32,
        /// What the register says happens when the term ends.
        decision: ExchangeDecision,
        /// Whether the term ends in the plan year or has ended: with
        /// decision return the teacher goes home in this year's plan, with
        /// extend the term is extended.
        due: bool,
    },
}

impl Ineligibility {
    /// Stable id of the reason, for data outputs.
    pub fn id(&self) -> &'static str {
        match self {
            Ineligibility::PartTime => "part_time",
            Ineligibility::YearsAtSchool(..) => "years_at_school",
            Ineligibility::PrincipalYears(..) => "principal_years",
            Ineligibility::Age(..) => "age",
            Ineligibility::Exempt(_) => "exempt",
            Ineligibility::RecentRotation(..) => "recent_rotation",
            Ineligibility::OnExchange { .. } => "on_exchange",
        }
    }

    /// The reason in English, for input messages (`io` comes before
    /// `render`); every output words it through `render::words::ineligibility`,
    /// whose English is the same.
    pub fn describe_en(&self) -> String {
        match self {
            Ineligibility::PartTime => "not a full-time teacher".into(),
            Ineligibility::YearsAtSchool(y, n) => format!("{y} years at the school, fewer than {n}"),
            Ineligibility::PrincipalYears(r, y, n) => {
                format!("{} for {y} years at the school, fewer than {n}", r.word().replace('_', " "))
            }
            Ineligibility::Age(a, l) => format!("age {a}, above the limit of {l}"),
            Ineligibility::Exempt(r) => format!("exempt: {r}"),
            Ineligibility::RecentRotation(y, n) => format!("last rotation {y} years ago, fewer than {n}"),
            Ineligibility::OnExchange { home, end_year, decision, due } => match (decision, due) {
                (ExchangeDecision::Return, true) => {
                    format!("the exchange ends in {end_year}, returning to the home school {home} in this plan")
                }
                (ExchangeDecision::Extend, true) => {
                    format!("on exchange from {home}, the term to {end_year} extended")
                }
                _ => format!("on exchange from {home} until {end_year}"),
            },
        }
    }
}

/// [`Ineligibility::OnExchange`] in Chinese, for input messages and
/// outputs alike (`render::words::ineligibility` gives it).
pub fn on_exchange_zh(home: &str, end_year: i32, decision: ExchangeDecision, due: bool) -> String {
    match (decision, due) {
        (ExchangeDecision::Return, true) => format!("交流至 {end_year} 年期满，本年度返回原学校 {home}"),
        (ExchangeDecision::Extend, true) => format!("交流中（原学校 {home}，{end_year} 年期满后续任）"),
        _ => format!("交流中（原学校 {home}，至 {end_year} 年）"),
    }
}

/// Every reason in the teacher's own row why `teacher` may not rotate in
/// `policy.year`, the exchange register left aside; empty means eligible
/// as far as the row tells. A county's eligibility is
/// [`ineligibility_with`] the teacher's register row.
pub fn ineligibility(teacher: &Teacher, policy: &Policy) -> Vec<Ineligibility> {
    ineligibility_with(teacher, policy, None)
}

/// Every reason why `teacher`, whose row of the exchange register is
/// `exchange` (`County::exchange_of`), may not rotate in `policy.year`;
/// empty means eligible. A teacher on exchange in that year
/// ([`Exchange::on_exchange_in`]) is not eligible.
pub fn ineligibility_with(teacher: &Teacher, policy: &Policy, exchange: Option<&Exchange>) -> Vec<Ineligibility> {
    let rules = &policy.eligibility;
    let year = policy.year;
    let mut reasons = Vec::new();
    if !teacher.full_time {
        reasons.push(Ineligibility::PartTime);
    }
    let years = year - teacher.school_since;
    if teacher.role != Role::Teacher {
        // Principals rotate by their own rule (`[principals]`).
        let required = policy.principals.min_years_at_school;
        if years < required {
            reasons.push(Ineligibility::PrincipalYears(teacher.role, years, required));
        }
    } else if years < rules.min_years_at_school {
        reasons.push(Ineligibility::YearsAtSchool(years, rules.min_years_at_school));
    }
    let age = year - teacher.birth_year;
    let limit = match teacher.gender {
        Gender::Male => rules.max_age_male,
        Gender::Female => rules.max_age_female,
    };
    if age > limit {
        reasons.push(Ineligibility::Age(age, limit));
    }
    if let Some(reason) = teacher.exempt.as_ref().filter(|r| !r.trim().is_empty()) {
        reasons.push(Ineligibility::Exempt(reason.clone()));
    }
    if let Some(last) = teacher.last_rotated {
        let since = year - last;
        if since < rules.min_years_since_rotation {
            reasons.push(Ineligibility::RecentRotation(since, rules.min_years_since_rotation));
        }
    }
    if let Some(exchange) = exchange.filter(|e| e.on_exchange_in(year)) {
        reasons.push(Ineligibility::OnExchange {
            home: exchange.home_school_id.clone(),
            end_year: exchange.end_year,
            decision: exchange.decision,
            due: exchange.end_year <= year,
        });
    }
    reasons
}

/// Whether `teacher` meets every rotation condition of the own row (the
/// exchange register left aside, see [`ineligibility`]).
pub fn is_eligible(teacher: &Teacher, policy: &Policy) -> bool {
    ineligibility(teacher, policy).is_empty()
}

/// Whether `teacher`, whose register row is `exchange`, meets every
/// rotation condition.
pub fn is_eligible_with(teacher: &Teacher, policy: &Policy, exchange: Option<&Exchange>) -> bool {
    ineligibility_with(teacher, policy, exchange).is_empty()
}

/// The exchange register by teacher id, for looking up every teacher of a
/// county at once (`County::exchange_of` searches the list).
pub fn register(county: &County) -> HashMap<&str, &Exchange> {
    county.exchanges.iter().rev().map(|e| (e.teacher_id.as_str(), e)).collect()
}

/// Every teacher's reasons in `county.policy.year` (by index into
/// `County::teachers`), the exchange register included.
pub fn county_ineligibility(county: &County) -> Vec<Vec<Ineligibility>> {
    let register = register(county);
    county
        .teachers
        .iter()
        .map(|t| ineligibility_with(t, &county.policy, register.get(t.id.as_str()).copied()))
        .collect()
}
