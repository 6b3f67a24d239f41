//! The subject-gaps stage (开齐开足, issue 15): after the shortfall and
//! before Σ CV², minimise Σ over every section (counted or not) and subject
//! of max(0, need − full-time teachers of the subject after the plan), the
//! need being rule 6's ([`crate::rules::curriculum::subject_need`]). Its
//! optimum is fixed for the later stages; being fixed after stages 1–2, it
//! never changes their optima. Off with `objective.subject_gaps = false`:
//! then the model is the one of SPEC §4's four stages, column for column.

use good_lp::{variable, Constraint, Expression, ProblemVariables};

use crate::domain::Subject;

use super::instance::Instance;
use super::{named, Handles};

impl Instance<'_> {
    /// Whether the plan has the subject-gaps stage (`objective.subject_gaps`).
    pub fn has_gaps_stage(&self) -> bool {
        self.county.policy.objective.subject_gaps
    }

    /// Whether, with the subject-gaps stage, the gap of `subject` in section
    /// `s` can be above 0 after some plan: the teachers of the subject who
    /// may leave could take it below its need, or it is below already.
    /// Elsewhere the gap is 0 whatever the plan, and arrivals of the subject
    /// need no type of their own there.
    pub(super) fn gap_can_change(&self, s: usize, subject: Subject) -> bool {
        if !self.has_gaps_stage() {
            return false;
        }
        let sec = &self.sections[s];
        let Some(&need) = sec.need.get(&subject) else { return false };
        let before = sec.subjects_before.get(&subject).copied().unwrap_or(0);
        before.saturating_sub(self.most_leaving(s, subject)) < need
    }

    /// Full-time teachers of `subject` in section `s` after the plan
    /// (moves, hires and due returns).
    fn subject_after(&self, hd: &Handles, s: usize, subject: Subject) -> Expression {
        let before = self.sections[s].subjects_before.get(&subject).copied().unwrap_or(0);
        Expression::from(before as f64) - self.departures(hd, s, |t, _| t == subject)
            + self.arrivals(hd, s, |t, _| t == Some(subject))
            + self.hired(&hd.h, s, |g| g.subject == subject)
            + self.returning(hd, s, |r| r.full_time && r.subject == subject)
    }

    /// Objective 2.1: Σ over sections and subjects of max(0, need − teachers
    /// after), one column per gap that can be above 0 (the rest are 0).
    pub(super) fn objective_subject_gaps(
        &self,
        vars: &mut ProblemVariables,
        hd: &Handles,
        out: &mut Vec<Constraint>,
    ) -> Expression {
        let mut total = Expression::with_capacity(64);
        for (s, sec) in self.sections.iter().enumerate() {
            for (&subject, &need) in &sec.need {
                if !self.gap_can_change(s, subject) {
                    continue;
                }
                let gap = vars.add(variable().min(0.0).max(need as f64));
                let mut e = self.subject_after(hd, s, subject);
                e.add_mul(1.0, gap);
                out.push(named(e.geq(need as f64), "subject_gap"));
                total.add_mul(1.0, gap);
            }
        }
        total
    }
}
