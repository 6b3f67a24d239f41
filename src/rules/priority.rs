//! The published priority rule: who of a group of interchangeable teachers
//! moves first. Volunteers first, then more priority points, then longer at
//! the school, then teacher id (`[priority]` in the policy; see
//! docs/data-format.md § applications).

use std::cmp::Ordering;

use crate::domain::{Area, County, Exact, Teacher};

/// A teacher's priority points and how they are made up.
#[derive(Clone, Debug, PartialEq)]
pub struct Points {
    /// Whole years at the current school (year − school_since, at least 0).
    pub school_years: i32,
    /// Years served at rural schools: the current school's years when it is
    /// rural, plus an exchange register row at another rural host school.
    pub rural_years: i32,
    /// Years of age above `[priority] age_from` (at least 0).
    pub age_years: i32,
    /// The application's extra points.
    pub extra: Exact,
    /// The total by the policy's scale.
    pub total: Exact,
}

/// The priority points of teacher `t` in `county.policy.year`.
pub fn points(county: &County, t: &Teacher) -> Points {
    let policy = &county.policy;
    let year = policy.year;
    let scale = &policy.priority;
    let school_years = (year - t.school_since).max(0);
    let is_rural = |id: &str| county.school(id).is_some_and(|s| s.area == Area::Rural);
    let mut rural_years = if is_rural(&t.school_id) { school_years } else { 0 };
    if let Some(e) = county.exchange_of(&t.id) {
        if e.host_school_id != t.school_id && is_rural(&e.host_school_id) {
            rural_years += (e.end_year.min(year) - e.start_year).max(0);
        }
    }
    let age_years = (year - t.birth_year - scale.age_from).max(0);
    let extra = county.application_of(&t.id).map(|a| a.extra_points).unwrap_or_else(|| Exact::from_integer(0));
    let int = |n: i32| Exact::from_integer(n as i128);
    let total = scale.school_year * int(school_years)
        + scale.rural_year * int(rural_years)
        + scale.age_year * int(age_years)
        + extra;
    Points { school_years, rural_years, age_years, extra, total }
}

/// Whether a teacher volunteers (applications.csv `volunteer = yes`).
pub fn volunteers(county: &County, t: &Teacher) -> bool {
    county.application_of(&t.id).is_some_and(|a| a.volunteer)
}

/// The priority key of each teacher of the county (by index), for
/// [`order`].
pub fn keys(county: &County) -> Vec<PriorityKey> {
    county
        .teachers
        .iter()
        .map(|t| PriorityKey {
            volunteer: volunteers(county, t),
            points: points(county, t).total,
            since: t.school_since,
        })
        .collect()
}

/// What orders a teacher within a group.
#[derive(Clone, Debug, PartialEq)]
pub struct PriorityKey {
    /// Volunteers.
    pub volunteer: bool,
    /// Priority points.
    pub points: Exact,
    /// At the school since.
    pub since: i32,
}

/// The published order of two teachers `a`, `b` (indices) of one group:
/// `Less` when `a` moves first. Volunteers first, then more points, then
/// longer at the school, then teacher id.
pub fn order(county: &County, keys: &[PriorityKey], a: usize, b: usize) -> Ordering {
    let (ka, kb) = (&keys[a], &keys[b]);
    kb.volunteer
        .cmp(&ka.volunteer)
        .then_with(|| kb.points.cmp(&ka.points))
        .then_with(|| ka.since.cmp(&kb.since))
        .then_with(|| county.teachers[a].id.cmp(&county.teachers[b].id))
}
