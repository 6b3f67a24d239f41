//! The structure stage's terms (3.1, after Σ CV²): the senior-title, young
//! and old teachers of each counted section, and Σ over levels and those
//! three figures of the CV² of their number per 100 students, written with
//! the same exact piecewise-linear epigraph as stage 3
//! ([`Instance::cv_term`](super::objectives)).
//!
//! With the stage on, movers are split by structure class (senior or not,
//! young, middle or old) as well as by subject and indicator flags, so each
//! count is linear in the departures and arrivals; the groups of the
//! published order stay as they are, their members then spread over one
//! profile per class (the order held by `priority` rows, as a two-year
//! plan's split is).

use good_lp::{Constraint, Expression, ProblemVariables};

use crate::domain::changes::HireGroup;
use crate::domain::{County, Level};
use crate::rules::structure::{age_band, counts_toward, is_senior, StructureFigure};

use super::instance::{Instance, Profile};
use super::objectives::Counted;
use super::{Handles, Kind};

/// The structure class of teacher `t`: 0 without the structure stage, else
/// 1 + 3 × senior + age band (1 … 6).
pub fn teacher_class(county: &County, t: usize) -> u8 {
    if !county.policy.objective.structure {
        return 0;
    }
    let teacher = &county.teachers[t];
    1 + 3 * u8::from(is_senior(teacher.title)) + age_band(&county.policy, teacher.birth_year)
}

/// Which structure figures a class counts toward (none for class 0).
fn class_counts(class: u8) -> [bool; 3] {
    if class == 0 {
        return [false; 3];
    }
    let band = (class - 1) % 3;
    [class >= 4, band == 0, band == 2]
}

/// Section counts of the structure figures before the plan (full-time
/// teachers at their school now), by section index.
pub(super) fn structure_before(county: &County, sections: &[super::SectionInfo]) -> Vec<[u32; 3]> {
    let figures = crate::rules::structure::structure_now(county);
    sections.iter().map(|sec| figures.section(sec.school, sec.level).map_or([0; 3], |s| s.counts)).collect()
}

impl Instance<'_> {
    /// Whether the structure stage runs (`objective.structure`).
    pub fn structure_on(&self) -> bool {
        self.county.policy.objective.structure
    }

    /// The structure class of a profile (its members share it).
    pub(super) fn structure_class_of(&self, profile: &Profile) -> u8 {
        profile.members.first().map_or(0, |&t| teacher_class(self.county, t))
    }

    /// The arrival type a member of `profile` fills at section `s`: its
    /// structure class only where the structure is counted (arrivals at a
    /// section outside the county figures are interchangeable by class;
    /// the aggregated model keeps every class apart, as its Hall conditions
    /// are per type).
    pub fn arrival_kind(&self, s: usize, profile: &Profile) -> Kind {
        let keep = self.aggregate || self.sections[s].counted;
        let class = if keep { self.structure_class_of(profile) } else { 0 };
        (self.arrival_class(s, profile.subject), profile.flags, class)
    }

    /// Which structure figures a hire of group `g` counts toward: its title,
    /// and the age a hire is given (25).
    fn hire_counts(&self, g: &HireGroup) -> [bool; 3] {
        let policy = &self.county.policy;
        counts_toward(policy, g.title, policy.year - 25)
    }

    /// Which structure figures teacher `t` counts toward.
    fn teacher_counts(&self, t: usize) -> [bool; 3] {
        class_counts(teacher_class(self.county, t))
    }

    /// Count of structure figure `f` in section `s` after the plan.
    pub(super) fn structure_count(&self, hd: &Handles, s: usize, f: usize) -> Expression {
        let mut e = Expression::from(f64::from(self.structure_before[s][f]));
        for &(_, _, class, a) in &hd.a[s] {
            if class_counts(class)[f] {
                e.add_mul(1.0, a);
            }
        }
        for &p in &self.out_of[s] {
            if class_counts(self.structure_class_of(&self.profiles[p]))[f] {
                e.add_mul(-1.0, hd.d[p]);
            }
        }
        e += self.hired(&hd.h, s, |g| self.hire_counts(g)[f]);
        e += self.returning(hd, s, |r| r.full_time && self.teacher_counts(r.teacher)[f]);
        e
    }

    /// The count `what` of section `s` after the plan.
    pub(super) fn count_of(&self, hd: &Handles, s: usize, what: Counted) -> Expression {
        match what {
            Counted::Indicator(k) => self.count(hd, s, k),
            Counted::Structure(f) => self.structure_count(hd, s, f),
        }
    }

    /// The count `what` of section `s` before the plan.
    pub(super) fn before_of(&self, s: usize, what: Counted) -> u32 {
        match what {
            Counted::Indicator(k) => self.sections[s].before.indicator[k],
            Counted::Structure(f) => self.structure_before[s][f],
        }
    }

    /// Whether a member of `profile` counts toward `what`.
    pub(super) fn profile_counts(&self, profile: &Profile, what: Counted) -> bool {
        match what {
            Counted::Indicator(k) => profile.flags[k],
            Counted::Structure(f) => class_counts(self.structure_class_of(profile))[f],
        }
    }

    /// Whether a hire of group `g` counts toward `what`.
    pub(super) fn hire_counts_for(&self, g: &HireGroup, what: Counted) -> bool {
        match what {
            Counted::Indicator(k) => g.flags()[k],
            Counted::Structure(f) => self.hire_counts(g)[f],
        }
    }

    /// Whether a due return counts toward `what` where it is.
    pub(super) fn return_counts(&self, r: &super::DueReturn, what: Counted) -> bool {
        r.full_time
            && match what {
                Counted::Indicator(k) => r.flags[k],
                Counted::Structure(f) => self.teacher_counts(r.teacher)[f],
            }
    }

    /// The structure stage's objective: Σ over levels and the three figures
    /// of the CV² of their number per 100 students (0 where a level has no
    /// such teacher). `cap`: its optimum once fixed.
    pub(super) fn objective_structure(
        &self,
        vars: &mut ProblemVariables,
        hd: &mut Handles,
        out: &mut Vec<Constraint>,
        cap: Option<f64>,
    ) -> Expression {
        let mut total = Expression::with_capacity(16);
        for level in Level::BOTH {
            for figure in StructureFigure::ALL {
                let what = Counted::Structure(figure.index());
                if let Some(term) = self.cv_term(vars, hd, out, level, what, cap) {
                    total += term;
                }
            }
        }
        total
    }
}
