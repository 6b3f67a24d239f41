//! Stability against a published list (`replan`): the number of teachers
//! whose line differs from the list (added, dropped or sent elsewhere), as
//! an expression of the model, to minimise (stage 0 of `replan`) and then
//! to bound in every later stage.
//!
//! Every published mover who may still move is a profile of one
//! ([`Instance::with_singles`]), so its flow to the published school is a
//! column `x`; a binary `k ≤ x` is 1 when the line stands. The changes are
//!
//! `forced + Σ_published (1 − k) + Σ_other profiles departures`
//!
//! where `forced` counts the published movers no plan can keep: gone from
//! the county, locked to stay, no longer eligible, or whose published
//! school is no longer an allowed destination. Any departure of a teacher
//! not on the list is an addition.

use std::collections::BTreeMap;

use good_lp::{variable, Constraint, Expression, ProblemVariables, Variable};

use super::instance::Instance;
use super::{named, Handles};

/// What the model knows of the published list.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Stability {
    /// Per profile: whether it is a published mover's profile of one.
    pub published: Vec<bool>,
    /// Per profile: the published school's position among the profile's
    /// destinations (None when not published, or no longer allowed).
    pub kept: Vec<Option<usize>>,
    /// Published movers whose line no plan can keep.
    pub forced: u32,
    /// At most this many changes in every model (None: no bound, stage 0).
    pub cap: Option<u32>,
}

/// The changes of one model: the expression and its parts, to count them
/// from a solution.
pub struct Changes {
    /// The number of changes as an expression.
    pub expression: Expression,
    /// The kept-line binaries of the published movers.
    pub kept: Vec<Variable>,
    /// The departures of the profiles not on the list.
    pub added: Vec<Variable>,
    /// The changes no plan avoids.
    pub forced: u32,
}

impl Changes {
    /// The number of changes of a solution (`value` reads a column).
    pub fn count(&self, value: impl Fn(Variable) -> f64) -> u32 {
        let dropped: f64 = self.kept.iter().map(|&k| 1.0 - value(k)).sum();
        let added: f64 = self.added.iter().map(|&d| value(d)).sum();
        self.forced + (dropped + added).round().max(0.0) as u32
    }
}

impl Instance<'_> {
    /// Marks the published movers: `published` maps a teacher's index to
    /// its published school (position); `absent` counts the published
    /// movers who are not teachers of this county any more.
    pub fn set_published(&mut self, published: &BTreeMap<usize, usize>, absent: u32) {
        let n = self.profiles.len();
        let mut stability = Stability { published: vec![false; n], kept: vec![None; n], forced: absent, cap: None };
        let mut seen = 0u32;
        for (p, profile) in self.profiles.iter().enumerate() {
            let [teacher] = profile.members[..] else { continue };
            let Some(&school) = published.get(&teacher) else { continue };
            seen += 1;
            stability.published[p] = true;
            stability.kept[p] =
                profile.destinations.iter().position(|d| self.sections[d.section].school == school && !d.no_path);
            if stability.kept[p].is_none() {
                stability.forced += 1;
            }
        }
        // Published movers in no profile: locked to stay, or not eligible.
        stability.forced += published.len() as u32 - seen;
        self.stability = Some(stability);
    }

    /// The changes from the published list, with their binaries added to
    /// `vars` and their rows to `out`; None without a published list.
    pub fn stability_changes(
        &self,
        vars: &mut ProblemVariables,
        hd: &Handles,
        out: &mut Vec<Constraint>,
    ) -> Option<Changes> {
        let s = self.stability.as_ref()?;
        let mut changes = Changes {
            expression: Expression::from(s.forced as f64),
            kept: Vec::new(),
            added: Vec::new(),
            forced: s.forced,
        };
        for p in 0..self.profiles.len() {
            if !s.published[p] {
                changes.expression.add_mul(1.0, hd.d[p]);
                changes.added.push(hd.d[p]);
            } else if let Some(j) = s.kept[p] {
                let k = vars.add(variable().binary());
                out.push(named(Expression::from(k).leq(hd.x[p][j]), "stability"));
                changes.expression += 1.0;
                changes.expression.add_mul(-1.0, k);
                changes.kept.push(k);
            }
        }
        Some(changes)
    }

    /// In the transport problem that names the movers (flows `x`, `zero`
    /// the column of the pairs left out): the published lines kept, weighted
    /// above any distance, so that the plan keeps every line its stage kept
    /// (0 without a published list).
    pub(super) fn kept_lines_first(&self, x: &[Vec<Variable>], zero: Variable) -> Expression {
        let mut e = Expression::from(0.0);
        let Some(s) = self.stability.as_ref() else { return e };
        // Above the longest distance every mover could go.
        let weight = 1.0
            + self
                .profiles
                .iter()
                .map(|p| {
                    let most = p.destinations.iter().filter_map(|d| d.km).fold(0.0, f64::max);
                    most * p.members.len() as f64
                })
                .sum::<f64>();
        for (p, row) in x.iter().enumerate() {
            if let Some(&v) = s.kept[p].and_then(|j| row.get(j)).filter(|&&v| v != zero) {
                e.add_mul(weight, v);
            }
        }
        e
    }

    /// The bound on the changes, once stage 0 has found their fewest.
    /// Returns the changes' expression, so that the distance stage can
    /// break its ties toward fewer changes.
    pub(super) fn rule_stability(
        &self,
        vars: &mut ProblemVariables,
        hd: &Handles,
        out: &mut Vec<Constraint>,
    ) -> Option<Expression> {
        let cap = self.stability.as_ref().and_then(|s| s.cap)?;
        let changes = self.stability_changes(vars, hd, out)?;
        out.push(named(changes.expression.clone().leq(cap as f64), "stability"));
        Some(changes.expression)
    }
}
