//! Stage 4's search among the indicator counts that reach stage 3's
//! optimum: pinning counts, excluding counts already seen, reading them.

use good_lp::{variable, Constraint, Expression, IntoAffineExpression, Variable};

use super::instance::Instance;
use super::{cv_squares_cap, named, Fixed, Handles, Stage, StageModel};

impl Instance<'_> {
    /// Pins the indicator counts of every counted section to `counts`: the
    /// compliance, the shortfall and Σ CV² then equal those of the plan the
    /// counts come from, and what is left is which teachers make them.
    /// The model must have Σ CV² (whose unit columns say which counts can
    /// change).
    pub fn pin_counts(&self, model: &mut StageModel, counts: &[[u32; 3]]) {
        for (&(s, k), (_, units)) in &model.handles.units {
            if !units.is_empty() {
                let c = self.count(&model.handles, s, k);
                model.constraints.push(named(c.eq(counts[s][k] as f64), "pinned_count"));
            }
        }
    }

    /// Pins a stage model's decisions to those of another model's solution
    /// (`earlier`, read by `value`): departures per profile, arrivals per
    /// section and teacher type, hires and returns. The flows between them
    /// and the stage's own columns are left to solve, which presolve
    /// settles quickly: the solve completes an earlier stage's plan into a
    /// whole start of this one. Both models must be of this instance.
    pub fn pin_decisions(&self, model: &mut StageModel, earlier: &Handles, value: impl Fn(Variable) -> f64) {
        let hd = &model.handles;
        let mut pairs: Vec<(Variable, Variable)> = hd.d.iter().copied().zip(earlier.d.iter().copied()).collect();
        for (row, old) in hd.a.iter().zip(&earlier.a) {
            pairs.extend(row.iter().zip(old).map(|(new, old)| (new.3, old.3)));
        }
        for (row, old) in hd.h.iter().zip(&earlier.h) {
            pairs.extend(row.iter().copied().zip(old.iter().copied()));
        }
        for (new, old) in hd.r.iter().zip(&earlier.r) {
            if let (Some(new), Some(old)) = (new, old) {
                pairs.push((*new, *old));
            }
        }
        let rows: Vec<Constraint> = pairs
            .into_iter()
            .map(|(new, old)| named(Expression::from(new).eq(value(old).round()), "pinned_plan"))
            .collect();
        model.constraints.extend(rows);
    }

    /// Stage 3's model, to search for counts other than `seen` that reach
    /// its optimum (fixed in `fixed`), and the cutoff for that search: the
    /// fixed Σ CV² in the solver's terms, which lets HiGHS prune by the
    /// objective from the start (on the 120-school district the search ended
    /// in 20 s instead of 70 s).
    pub fn count_search(&self, fixed: &Fixed, seen: &[Vec<[u32; 3]>]) -> (StageModel, Option<f64>) {
        let mut model = self.build(Stage::CvSquares, fixed);
        // Each count's unit columns in order (u₁ ≥ u₂ ≥ …, which every
        // integer count allows), as `exclude_counts` reads them.
        for (_, units) in model.handles.units.values() {
            for pair in units.windows(2) {
                model.constraints.push(named(Expression::from(pair[0]).geq(pair[1]), "excluded_counts"));
            }
        }
        for counts in seen {
            self.exclude_counts(&mut model, counts);
        }
        // good_lp leaves the objective's constant out of the solver's.
        let cutoff = fixed.cv_squares.map(|w| cv_squares_cap(w) - model.objective.constant());
        (model, cutoff)
    }

    /// Excludes the counted sections' indicator counts `counts` from a
    /// model with Σ CV²: at least one count must differ. With the unit
    /// columns of each count in order (see `count_search`), the count is
    /// above c exactly when unit c − lo + 1 is on and below c exactly when
    /// unit c − lo is off; those two units are made binary.
    fn exclude_counts(&self, model: &mut StageModel, counts: &[[u32; 3]]) {
        let mut differ = Expression::with_capacity(64);
        for (&(s, k), (lo, units)) in &model.handles.units {
            let at = counts[s][k].saturating_sub(*lo) as usize;
            let mut binary = |u: Variable| {
                let b = model.vars.add(variable().binary());
                model.constraints.push(named(Expression::from(b).eq(u), "excluded_counts"));
                b
            };
            if at >= 1 && at <= units.len() {
                let last_on = binary(units[at - 1]);
                differ += 1.0;
                differ.add_mul(-1.0, last_on);
            }
            if at < units.len() {
                let first_off = binary(units[at]);
                differ.add_mul(1.0, first_off);
            }
        }
        model.constraints.push(named(differ.geq(1.0), "excluded_counts"));
    }

    /// The indicator counts of each section in a solution: [`Self::count`]
    /// at the solution's values.
    pub fn counts_of(&self, hd: &Handles, value: impl Fn(Variable) -> f64) -> Vec<[u32; 3]> {
        (0..self.sections.len())
            .map(|s| {
                [0, 1, 2].map(|k| {
                    let count = self.count(hd, s, k);
                    let at = count.constant() + count.linear_coefficients().map(|(v, c)| c * value(v)).sum::<f64>();
                    at.round().max(0.0) as u32
                })
            })
            .collect()
    }
}
