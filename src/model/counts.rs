//! Stage 4's search among the indicator counts that reach stage 3's
//! optimum: pinning counts, excluding counts already seen, reading them.

use std::collections::BTreeMap;

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
        self.pin(model, Which::Indicators, counts);
    }

    /// Pins the structure figures' counts of every counted section to
    /// `counts` (a model with the structure stage's rows): the structure's
    /// Σ CV² then equals that of the plan the counts come from.
    pub fn pin_structure(&self, model: &mut StageModel, counts: &[[u32; 3]]) {
        self.pin(model, Which::Structure, counts);
    }

    fn pin(&self, model: &mut StageModel, which: Which, counts: &[[u32; 3]]) {
        for (&(s, k), (_, units)) in which.units(&model.handles) {
            if !units.is_empty() {
                let c = which.count(self, &model.handles, s, k);
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
        self.exclude_all(&mut model, Which::Indicators, seen);
        // good_lp leaves the objective's constant out of the solver's.
        let cutoff = fixed.cv_squares.map(|w| cv_squares_cap(w) - model.objective.constant());
        (model, cutoff)
    }

    /// The structure stage's model with its optimum fixed (in `fixed`) and
    /// the indicator counts pinned to `indicator`, to search for structure
    /// counts other than `seen` that reach the structure's optimum; and the
    /// cutoff for that search, as in [`Self::count_search`].
    pub fn structure_search(
        &self,
        fixed: &Fixed,
        indicator: &[[u32; 3]],
        seen: &[Vec<[u32; 3]>],
    ) -> (StageModel, Option<f64>) {
        let mut model = self.build(Stage::Structure, fixed);
        self.pin_counts(&mut model, indicator);
        self.exclude_all(&mut model, Which::Structure, seen);
        let cutoff = fixed.structure.map(|w| cv_squares_cap(w) - model.objective.constant());
        (model, cutoff)
    }

    /// Orders each count's unit columns (u₁ ≥ u₂ ≥ …, which every integer
    /// count allows), as `exclude_counts` reads them, and excludes each
    /// count vector of `seen`.
    fn exclude_all(&self, model: &mut StageModel, which: Which, seen: &[Vec<[u32; 3]>]) {
        let mut rows = Vec::new();
        for (_, units) in which.units(&model.handles).values() {
            for pair in units.windows(2) {
                rows.push(named(Expression::from(pair[0]).geq(pair[1]), "excluded_counts"));
            }
        }
        model.constraints.extend(rows);
        for counts in seen {
            self.exclude_counts(model, which, counts);
        }
    }

    /// Excludes the counted sections' counts `counts` (indicator or
    /// structure, `which`) from a model with their unit columns: at least
    /// one count must differ. With the unit columns of each count in order
    /// (see `exclude_all`), the count is above c exactly when unit
    /// c − lo + 1 is on and below c exactly when unit c − lo is off; those
    /// two units are made binary.
    fn exclude_counts(&self, model: &mut StageModel, which: Which, counts: &[[u32; 3]]) {
        let mut differ = Expression::with_capacity(64);
        let units: Vec<(usize, Vec<Variable>)> = which
            .units(&model.handles)
            .iter()
            .map(|(&(s, k), (lo, units))| (counts[s][k].saturating_sub(*lo) as usize, units.clone()))
            .collect();
        for (at, units) in units {
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
        self.counts_at(Which::Indicators, hd, value)
    }

    /// The structure figures' counts of each section in a solution.
    pub fn structure_counts_of(&self, hd: &Handles, value: impl Fn(Variable) -> f64) -> Vec<[u32; 3]> {
        self.counts_at(Which::Structure, hd, value)
    }

    fn counts_at(&self, which: Which, hd: &Handles, value: impl Fn(Variable) -> f64) -> Vec<[u32; 3]> {
        (0..self.sections.len())
            .map(|s| {
                [0, 1, 2].map(|k| {
                    let count = which.count(self, hd, s, k);
                    let at = count.constant() + count.linear_coefficients().map(|(v, c)| c * value(v)).sum::<f64>();
                    at.round().max(0.0) as u32
                })
            })
            .collect()
    }
}

/// Which counts of the counted sections: the three indicators' (stage 3)
/// or the three structure figures' (stage 3.1).
#[derive(Clone, Copy)]
enum Which {
    Indicators,
    Structure,
}

impl Which {
    fn units(self, hd: &Handles) -> &BTreeMap<(usize, usize), (u32, Vec<Variable>)> {
        match self {
            Which::Indicators => &hd.units,
            Which::Structure => &hd.structure_units,
        }
    }

    fn count(self, inst: &Instance, hd: &Handles, s: usize, k: usize) -> Expression {
        match self {
            Which::Indicators => inst.count(hd, s, k),
            Which::Structure => inst.structure_count(hd, s, k),
        }
    }
}
