//! The auditor's checks of the teachers' voice: family ties (`family`) and
//! the published order of who moves within a group of interchangeable
//! teachers (`priority`). The groups are found here from the data alone
//! (eligibility, locks, ties, section, subject, indicator flags, role), not from
//! the model's profiles.

use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet};

use crate::domain::applications::FamilyRule;
use crate::domain::{County, Level, Role, Subject, TeacherIndicator};
use crate::rules::priority::{order, PriorityKey};
use crate::rules::rule::Rule;

use super::violation::{Breach, OrderBasis, Violation};
use super::Auditor;

/// A group of interchangeable teachers: school, section, subject,
/// indicator flags, role.
type GroupKey = (usize, Level, Subject, [bool; 3], Role);

/// A family tie with both teachers found (indices into `County::teachers`).
#[derive(Clone, Copy, Debug)]
pub(super) struct Tie {
    a: usize,
    b: usize,
    rule: FamilyRule,
}

/// The ties of `county.family` whose two teachers are in teachers.csv.
pub(super) fn ties(county: &County, teacher_index: &BTreeMap<&str, usize>) -> Vec<Tie> {
    let find = |id: &str| teacher_index.get(id.trim()).copied();
    county
        .family
        .iter()
        .filter_map(|tie| Some(Tie { a: find(&tie.teacher_a)?, b: find(&tie.teacher_b)?, rule: tie.rule }))
        .collect()
}

/// The groups of interchangeable teachers, each in the published order
/// (first to move first), and the priority keys of every teacher. A group
/// holds the eligible teachers (the exchange register included) of one
/// school section, subject and set of indicator flags who are not due to
/// return from exchange, have no lock and are in no family tie.
pub(super) fn groups(
    county: &County,
    eligible: &[bool],
    returning: &[bool],
    ties: &[Tie],
) -> (Vec<Vec<usize>>, Vec<PriorityKey>) {
    let locked: BTreeSet<&str> = county.locks.iter().map(|l| l.teacher_id.trim()).collect();
    let tied: BTreeSet<usize> = ties.iter().flat_map(|t| [t.a, t.b]).collect();
    let mut by_key: BTreeMap<GroupKey, Vec<usize>> = BTreeMap::new();
    for (i, t) in county.teachers.iter().enumerate() {
        if !eligible[i] || returning[i] || locked.contains(t.id.as_str()) || tied.contains(&i) {
            continue;
        }
        let Some(school) = county.school_pos(&t.school_id) else { continue };
        let flags = TeacherIndicator::ALL.map(|k| k.counts(t, t.level));
        by_key.entry((school, t.level, t.subject, flags, t.role)).or_default().push(i);
    }
    let keys = crate::rules::priority::keys(county);
    let groups = by_key
        .into_values()
        .filter(|g| g.len() > 1)
        .map(|mut g| {
            g.sort_by(|&a, &b| order(county, &keys, a, b));
            g
        })
        .collect();
    (groups, keys)
}

impl Auditor<'_> {
    /// Rule `family`: after the plan the two teachers of each tie teach in
    /// one town (`same_town`), or in schools at most the tie's km apart by
    /// a known distance (`within_km`; 0 for one school).
    pub(super) fn rule_family(&self, placement: &[Option<usize>], out: &mut Vec<Violation>) {
        let county = self.county;
        for tie in &self.ties {
            let (Some(sa), Some(sb)) = (placement[tie.a], placement[tie.b]) else { continue };
            let (school_a, school_b) = (&county.schools[sa], &county.schools[sb]);
            let km = if sa == sb { Some(0.0) } else { self.distances.km(sa, sb) };
            let kept = match tie.rule {
                FamilyRule::SameTown => school_a.town.trim() == school_b.town.trim(),
                FamilyRule::WithinKm(limit) => km.is_some_and(|d| d <= limit + 1e-9),
            };
            if kept {
                continue;
            }
            let breach = Breach::FamilyApart {
                other: county.teachers[tie.b].id.clone(),
                other_school: school_b.id.clone(),
                rule: tie.rule,
                towns: (school_a.town.clone(), school_b.town.clone()),
                km,
            };
            let teacher = &county.teachers[tie.a].id;
            out.push(Violation {
                rule: Rule::Family,
                teacher_id: Some(teacher.clone()),
                school_id: Some(school_a.id.clone()),
                breach,
            });
        }
    }

    /// Rule `priority`: within each group of interchangeable teachers, no
    /// teacher stays while one after them in the published order moves. One
    /// violation per teacher who stays out of order, naming the last mover
    /// of the group in that order and the criterion that puts the teacher
    /// who stays ahead.
    pub(super) fn rule_priority(&self, moved: &[bool], out: &mut Vec<Violation>) {
        let county = self.county;
        for group in &self.groups {
            let Some(last) = group.iter().rposition(|&i| moved[i]) else { continue };
            let mover = group[last];
            for &stays in group[..last].iter().filter(|&&i| !moved[i]) {
                let basis = self.order_basis(stays, mover);
                let t = &county.teachers[stays];
                out.push(Violation {
                    rule: Rule::Priority,
                    teacher_id: Some(t.id.clone()),
                    school_id: Some(t.school_id.clone()),
                    breach: Breach::OutOfOrder { moved: county.teachers[mover].id.clone(), basis },
                });
            }
        }
    }

    /// Which criterion of the published order puts `first` before `then`.
    fn order_basis(&self, first: usize, then: usize) -> OrderBasis {
        let (a, b) = (&self.keys[first], &self.keys[then]);
        debug_assert_eq!(order(self.county, &self.keys, first, then), Ordering::Less);
        if a.volunteer != b.volunteer {
            OrderBasis::Volunteer
        } else if a.points != b.points {
            OrderBasis::Points { stays: a.points, moved: b.points }
        } else if a.since != b.since {
            OrderBasis::Since { stays: a.since, moved: b.since }
        } else {
            OrderBasis::Id
        }
    }
}
