//! An independent checker of a rotation plan (SPEC §4): every hard rule 1–7
//! checked in plain Rust over a list of moves, and the plan's objective
//! vector (compliant sections, shortfall, Σ CV², km) recomputed from the
//! moved roster. It shares no code with the optimizer (`model`, `plan`), so
//! that the optimizer's output can be tested against it, and it is what
//! `score` uses to judge a hand-edited rotation list: each violation names
//! the rule, the teacher or school, and the figures, as data
//! ([`Violation`]) that `render::diagnosis` words for HR staff. The check of
//! each rule is a function in [`checks`]; family ties and the published order
//! of who moves within a group of interchangeable teachers are checked in
//! [`fairness`].

use std::cmp::Ordering;
use std::collections::BTreeMap;
use std::fmt;

use crate::domain::changes::ProposedMove;
use crate::domain::{County, Exact, Role};
use crate::exact::ceil_exact;
use crate::rules::distance::Distances;
use crate::rules::eligibility::{county_ineligibility, Ineligibility};
use crate::rules::indicators::{count_sections, figures, CountyFigures};
use crate::rules::rule::Rule;

mod checks;
mod fairness;
mod violation;

pub use violation::{Breach, NeedSource, OrderBasis, Violation};

/// The plan's value under the lexicographic objective of SPEC §4.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ObjectiveVector {
    /// Counted school sections that comply (maximised first).
    pub compliant: usize,
    /// Teacher shortfall over counted sections (minimised second).
    pub shortfall: u32,
    /// Subject teachers missing against the need over every section
    /// (minimised next, issue 15); None when `objective.subject_gaps` is off.
    pub subject_gaps: Option<u32>,
    /// Σ over levels and teacher indicators of CV² (minimised third; a
    /// missing CV counts 0).
    pub cv_squares: f64,
    /// Σ over levels of the CV² of the senior-title, young and old teachers
    /// per 100 students (minimised after Σ CV²; 0 with
    /// `objective.structure = false`).
    pub structure: f64,
    /// Total km of the moves, unknown distances (no coordinates, and no
    /// roads.csv) counting 0 (minimised last).
    pub distance_km: f64,
}

impl ObjectiveVector {
    /// Relative tolerance under which two Σ CV² (or two distances) are equal.
    pub const TOLERANCE: f64 = 1e-9;

    /// Lexicographic comparison: `Ordering::Less` when `self` is the better
    /// plan, `Equal` when neither is better. Σ CV² and km compare with the
    /// relative [`Self::TOLERANCE`], so float noise never decides.
    pub fn compare(&self, other: &ObjectiveVector) -> Ordering {
        other
            .compliant
            .cmp(&self.compliant)
            .then(self.shortfall.cmp(&other.shortfall))
            .then(self.subject_gaps.cmp(&other.subject_gaps))
            .then(tolerant_cmp(self.cv_squares, other.cv_squares))
            .then(tolerant_cmp(self.structure, other.structure))
            .then(tolerant_cmp(self.distance_km, other.distance_km))
    }

    /// Whether `self` is strictly better than `other`.
    pub fn is_better_than(&self, other: &ObjectiveVector) -> bool {
        self.compare(other) == Ordering::Less
    }
}

impl fmt::Display for ObjectiveVector {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} compliant sections, shortfall {}, {}Σ CV² {:.9}, structure Σ CV² {:.9}, {:.3} km",
            self.compliant,
            self.shortfall,
            self.subject_gaps.map_or(String::new(), |g| format!("{g} subject teachers missing, ")),
            self.cv_squares,
            self.structure,
            self.distance_km
        )
    }
}

/// The structure's Σ CV² with teachers at `placement` (0 when the structure
/// stage is off).
fn structure_cv_squares(county: &County, placement: &[Option<usize>]) -> f64 {
    if !county.policy.objective.structure {
        return 0.0;
    }
    crate::rules::structure::structure(county, &county.teachers, placement).cv_squares()
}

/// Compares two floats as equal when within the relative tolerance.
fn tolerant_cmp(a: f64, b: f64) -> Ordering {
    let scale = a.abs().max(b.abs()).max(1.0);
    if (a - b).abs() <= ObjectiveVector::TOLERANCE * scale {
        Ordering::Equal
    } else {
        a.total_cmp(&b)
    }
}

/// The verdict on a plan: the rules it breaks and what it achieves.
#[derive(Clone, Debug)]
pub struct Audit {
    /// Every hard rule broken, moves first (in list order), then county,
    /// section and lock rules, then family ties and the published order.
    pub violations: Vec<Violation>,
    /// The objective vector of the plan.
    pub objective: ObjectiveVector,
    /// The inspector's figures after the plan.
    pub after: CountyFigures,
    /// E: teachers who meet the rotation conditions.
    pub eligible: usize,
    /// Moves that change a teacher's school (duplicates, unknown ids and
    /// moves to the own school left out).
    pub moves: usize,
    /// Those moves that count in the teachers' shares (rules 3 and 4: all
    /// but principals' and vice principals', unless
    /// `principals.count_in_teachers`).
    pub teacher_moves: usize,
    /// Backbone teachers among the teachers' moves.
    pub backbone_moves: usize,
    /// Principals and vice principals among the moves.
    pub principal_moves: usize,
}

impl Audit {
    /// Whether the plan keeps every hard rule.
    pub fn is_valid(&self) -> bool {
        self.violations.is_empty()
    }

    /// The violations of one rule.
    pub fn of_rule(&self, rule: Rule) -> impl Iterator<Item = &Violation> + '_ {
        self.violations.iter().filter(move |v| v.rule == rule)
    }
}

/// Checks `moves` against every hard rule of SPEC §4 and computes the plan's
/// objective vector and figures, with every due return happening.
pub fn audit(county: &County, moves: &[ProposedMove]) -> Audit {
    Auditor::new(county).audit(moves)
}

/// Like [`audit`], with the due returns of the teachers `extended` extended
/// by one year (allowed only with `exchange.returns = "optional"`).
pub fn audit_with_returns(county: &County, moves: &[ProposedMove], extended: &[String]) -> Audit {
    Auditor::new(county).audit_with_returns(moves, extended)
}

/// A return due this year as the auditor reads the register.
#[derive(Clone, Copy, Debug)]
struct DueReturn {
    teacher: usize,
    home: usize,
    end_year: i32,
}

/// A checker prepared for one county, to judge many plans of it quickly
/// (brute force in tests, repeated `score` runs).
#[derive(Clone, Debug)]
pub struct Auditor<'a> {
    county: &'a County,
    distances: Distances,
    teacher_index: BTreeMap<&'a str, usize>,
    home: Vec<Option<usize>>,
    reasons: Vec<Vec<Ineligibility>>,
    eligible: usize,
    min_moves: u32,
    max_moves: u32,
    /// Eligible principals and vice principals.
    principals_eligible: usize,
    headcount_before: Vec<u32>,
    returns: Vec<DueReturn>,
    ties: Vec<fairness::Tie>,
    /// The groups of interchangeable teachers, each in the published order.
    groups: Vec<Vec<usize>>,
    keys: Vec<crate::rules::priority::PriorityKey>,
}

/// A move after the ids were resolved.
#[derive(Clone, Copy, Debug)]
struct Resolved {
    teacher: usize,
    from: Option<usize>,
    to: usize,
}

impl<'a> Auditor<'a> {
    /// Prepares the checker: distances, eligibility, the rotation bounds.
    pub fn new(county: &'a County) -> Auditor<'a> {
        let policy = &county.policy;
        let reasons: Vec<Vec<Ineligibility>> = county_ineligibility(county);
        let teacher_index: BTreeMap<&str, usize> =
            county.teachers.iter().enumerate().map(|(i, t)| (t.id.as_str(), i)).collect();
        let returns = due_returns(county, &teacher_index);
        let mut returning = vec![false; county.teachers.len()];
        for r in &returns {
            returning[r.teacher] = true;
        }
        let meets = |(i, r): (usize, &Vec<Ineligibility>)| r.is_empty() && !returning[i];
        let role = |i: usize| county.teachers[i].role;
        let eligible =
            reasons.iter().enumerate().filter(|&(i, r)| meets((i, r)) && policy.in_teachers_share(role(i))).count();
        let principals_eligible =
            reasons.iter().enumerate().filter(|&(i, r)| meets((i, r)) && role(i) != Role::Teacher).count();
        let ties = fairness::ties(county, &teacher_index);
        let meets: Vec<bool> = reasons.iter().map(Vec::is_empty).collect();
        let (groups, keys) = fairness::groups(county, &meets, &returning, &ties);
        let e = Exact::from_integer(eligible as i128);
        let home: Vec<Option<usize>> = county.teachers.iter().map(|t| county.school_pos(&t.school_id)).collect();
        let mut headcount_before = vec![0u32; county.schools.len()];
        for pos in home.iter().flatten() {
            headcount_before[*pos] += 1;
        }
        Auditor {
            county,
            distances: Distances::new(county),
            teacher_index,
            home,
            reasons,
            eligible,
            min_moves: ceil_exact(policy.rotation.min_share * e),
            max_moves: ceil_exact(policy.rotation.max_share * e),
            principals_eligible,
            headcount_before,
            returns,
            ties,
            groups,
            keys,
        }
    }

    /// E: teachers who meet the rotation conditions.
    pub fn eligible(&self) -> usize {
        self.eligible
    }

    /// E_p: principals and vice principals who meet the rotation conditions.
    pub fn principals_eligible(&self) -> usize {
        self.principals_eligible
    }

    /// ⌈min_share × E⌉ and ⌈max_share × E⌉.
    pub fn move_bounds(&self) -> (u32, u32) {
        (self.min_moves, self.max_moves)
    }

    /// Judges one plan, with every due return happening.
    pub fn audit(&self, moves: &[ProposedMove]) -> Audit {
        self.audit_with_returns(moves, &[])
    }

    /// Judges one plan whose due returns of the teachers `extended` are
    /// extended by one year.
    pub fn audit_with_returns(&self, moves: &[ProposedMove], extended: &[String]) -> Audit {
        let mut violations = Vec::new();
        let resolved = self.resolve(moves, &mut violations);
        let mut real_moves = Vec::with_capacity(resolved.len());
        for m in &resolved {
            if self.check_move(m, &mut violations) {
                real_moves.push(*m);
            }
        }
        let returned = self.rule_returns(&real_moves, extended, &mut violations);
        let mut placement = self.home.clone();
        for m in real_moves.iter().chain(&returned) {
            placement[m.teacher] = Some(m.to);
        }
        let policy = &self.county.policy;
        let in_share: Vec<usize> = real_moves
            .iter()
            .map(|m| m.teacher)
            .filter(|&t| policy.in_teachers_share(self.county.teachers[t].role))
            .collect();
        let backbone_moves = in_share.iter().filter(|&&t| self.county.teachers[t].backbone.is_backbone()).count();
        // Returns count in the figures and rules 5 and 6, not in the shares.
        self.rule_rotation_share(in_share.len(), &mut violations);
        self.rule_backbone_share(in_share.len(), backbone_moves, &mut violations);
        self.rule_direction(&real_moves, &mut violations);
        let principal_moves = self.rule_principals(&real_moves, &mut violations);
        let arriving: Vec<Resolved> = real_moves.iter().chain(&returned).copied().collect();
        self.rule_headcount_balance(&arriving, &mut violations);
        self.rule_staff_quota(&placement, &mut violations);
        self.rule_subject_floor(&placement, &mut violations);
        self.rule_locks(&placement, &mut violations);
        self.rule_family(&placement, &mut violations);
        let mut moved = vec![false; self.county.teachers.len()];
        for m in &real_moves {
            moved[m.teacher] = true;
        }
        self.rule_priority(&moved, &mut violations);

        let county = self.county;
        let after = figures(county, &count_sections(county, &county.teachers, &placement));
        // + 0.0: an empty f64 sum is -0.0, which would print as "-0".
        let distance_km =
            real_moves.iter().filter_map(|m| m.from.and_then(|from| self.distances.km(from, m.to))).sum::<f64>() + 0.0;
        let objective = ObjectiveVector {
            compliant: after.compliant(),
            shortfall: after.shortfall(),
            subject_gaps: county.policy.objective.subject_gaps.then(|| self.subject_gaps(&placement)),
            cv_squares: after.teacher_cv_squares(),
            structure: structure_cv_squares(county, &placement),
            distance_km,
        };
        let (moves, teacher_moves) = (real_moves.len(), in_share.len());
        let eligible = self.eligible;
        Audit { violations, objective, after, eligible, moves, teacher_moves, backbone_moves, principal_moves }
    }
}

/// The register's rows whose return is due in the plan's year, with known
/// teacher and home school, in register order (a teacher once).
fn due_returns(county: &County, teacher_index: &BTreeMap<&str, usize>) -> Vec<DueReturn> {
    let mut out: Vec<DueReturn> = Vec::new();
    let mut seen = std::collections::BTreeSet::new();
    for e in county.exchanges.iter().filter(|e| e.returns_in(county.policy.year)) {
        let Some(&teacher) = teacher_index.get(e.teacher_id.as_str()) else { continue };
        let Some(home) = county.school_pos(&e.home_school_id) else { continue };
        if county.school_pos(&county.teachers[teacher].school_id) == Some(home) || !seen.insert(teacher) {
            continue;
        }
        out.push(DueReturn { teacher, home, end_year: e.end_year });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lexicographic_order() {
        let base = ObjectiveVector {
            compliant: 3,
            shortfall: 5,
            subject_gaps: Some(2),
            cv_squares: 0.25,
            structure: 0.5,
            distance_km: 40.0,
        };
        let more_compliant = ObjectiveVector {
            compliant: 4,
            shortfall: 9,
            subject_gaps: Some(7),
            cv_squares: 2.0,
            structure: 0.0,
            distance_km: 90.0,
        };
        assert!(more_compliant.is_better_than(&base));
        let less_short = ObjectiveVector { shortfall: 4, cv_squares: 1.0, ..base };
        assert!(less_short.is_better_than(&base));
        let noise = ObjectiveVector { cv_squares: 0.25 + 1e-12, distance_km: 39.0, ..base };
        assert!(noise.is_better_than(&base), "CV² noise below the tolerance must not decide");
        let worse_cv = ObjectiveVector { cv_squares: 0.26, distance_km: 0.0, ..base };
        let fewer_gaps = ObjectiveVector { subject_gaps: Some(1), cv_squares: 0.9, ..base };
        assert!(fewer_gaps.is_better_than(&base), "subject gaps come before Σ CV²");
        let less_short_more_gaps = ObjectiveVector { shortfall: 4, subject_gaps: Some(9), ..base };
        assert!(less_short_more_gaps.is_better_than(&base), "the shortfall comes before subject gaps");
        assert!(base.is_better_than(&worse_cv));
        assert_eq!(base.compare(&base), Ordering::Equal);
    }
}
