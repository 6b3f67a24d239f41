//! Stage 4's search among the indicator counts that reach stage 3's
//! optimum: pinning counts, excluding counts already seen, reading them.

use std::collections::{BTreeMap, BTreeSet};

use good_lp::{variable, Constraint, Expression, IntoAffineExpression, Variable};

use super::instance::Instance;
use super::objectives::Counted;
use super::{cv_squares_cap, named, Fixed, Handles, Pins, Stage, StageModel};
use crate::domain::Subject;

impl Instance<'_> {
    /// Pins the indicator counts of every counted section to `counts` in a
    /// stage model with its earlier stages' rows (the distance stage's model,
    /// whose columns its full solve starts from).
    pub fn pin_counts(&self, model: &mut StageModel, counts: &[[u32; 3]]) {
        let rows = self.pin_rows(&model.handles, Which::Indicators, counts);
        model.constraints.extend(rows);
    }

    /// Rows that pin the counted sections' counts (`which`) to `counts`,
    /// one per count that can change (a count with its unit columns in
    /// the full model). Pinned, the indicator counts settle the compliance,
    /// the shortfall and Σ CV², and the structure's counts its Σ CV²; what
    /// is left is which teachers make them ([`Self::build_pinned`]).
    pub(super) fn pin_rows(&self, hd: &Handles, which: Which, counts: &[[u32; 3]]) -> Vec<Constraint> {
        let mut rows = Vec::new();
        for (s, at) in counts.iter().enumerate().filter(|&(s, _)| self.sections[s].counted) {
            for (k, &count) in at.iter().enumerate() {
                let (lo, hi) = self.bounds_of(s, which.counted(k));
                if hi > lo {
                    rows.push(named(which.count(self, hd, s, k).eq(count as f64), "pinned_count"));
                }
            }
        }
        rows
    }

    /// Pins a stage model's decisions to those of another model's solution
    /// (`earlier`, read by `value`): departures per profile, arrivals per
    /// section and teacher type, hires and returns. The flows between them
    /// and the stage's own columns are left to solve, which presolve
    /// settles quickly: the solve completes an earlier stage's plan into a
    /// whole start of this one. Both models must be of this instance.
    ///
    /// When the earlier model left the published order out and this one
    /// holds it ([`Handles::ordered`]), the earlier plan may move members
    /// the order keeps: then each order group's departures are pinned as
    /// one sum, and the arrivals per section, subject and indicator flags
    /// (whatever their structure class), so the order picks who moves.
    /// Every count that stages 1–3 and the subject gaps read stays the
    /// earlier plan's.
    pub fn pin_decisions(&self, model: &mut StageModel, earlier: &Handles, value: impl Fn(Variable) -> f64) {
        let hd = &model.handles;
        let loose = hd.ordered && !earlier.ordered;
        let pinned = |new: Expression, old: f64| named(new.eq(old.round()), "pinned_plan");
        let mut rows: Vec<Constraint> = Vec::new();
        let mut in_group = vec![false; hd.d.len()];
        if loose {
            for group in self.order_groups.iter().filter(|g| g.profiles.len() > 1) {
                let (mut new, mut old) = (Expression::with_capacity(group.profiles.len()), 0.0);
                for &p in &group.profiles {
                    new.add_mul(1.0, hd.d[p]);
                    old += value(earlier.d[p]).round();
                    in_group[p] = true;
                }
                rows.push(pinned(new, old));
            }
        }
        for ((&new, &old), _) in hd.d.iter().zip(&earlier.d).zip(&in_group).filter(|(_, &grouped)| !grouped) {
            rows.push(pinned(Expression::from(new), value(old)));
        }
        for (row, old) in hd.a.iter().zip(&earlier.a) {
            if loose {
                let mut sums: BTreeMap<(Option<Subject>, [bool; 3]), (Expression, f64)> = BTreeMap::new();
                for (new, old) in row.iter().zip(old) {
                    let sum = sums.entry((new.0, new.1)).or_default();
                    sum.0.add_mul(1.0, new.3);
                    sum.1 += value(old.3).round();
                }
                rows.extend(sums.into_values().map(|(new, old)| pinned(new, old)));
            } else {
                rows.extend(row.iter().zip(old).map(|(new, old)| pinned(Expression::from(new.3), value(old.3))));
            }
        }
        for (row, old) in hd.h.iter().zip(&earlier.h) {
            rows.extend(row.iter().zip(old).map(|(&new, &old)| pinned(Expression::from(new), value(old))));
        }
        for (new, old) in hd.r.iter().zip(&earlier.r) {
            if let (Some(new), Some(old)) = (new, old) {
                rows.push(pinned(Expression::from(*new), value(*old)));
            }
        }
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
        let mut model = self.build_pinned(&[Stage::Structure], fixed, Pins { indicator, structure: None });
        self.exclude_all(&mut model, Which::Structure, seen);
        let cutoff = fixed.structure.map(|w| cv_squares_cap(w) - model.objective.constant());
        (model, cutoff)
    }

    /// Orders each count's unit columns (u₁ ≥ u₂ ≥ …, which every integer
    /// count allows), as `exclude_counts` reads them, and excludes each
    /// count vector of `seen`.
    fn exclude_all(&self, model: &mut StageModel, which: Which, seen: &[Vec<[u32; 3]>]) {
        let mut rows = Vec::new();
        // The compliance rows on the units have put some in order already.
        let ordered = match which {
            Which::Indicators => self.compliance_units(&model.handles),
            Which::Structure => BTreeSet::new(),
        };
        for (_, units) in which.units(&model.handles).iter().filter(|(key, _)| !ordered.contains(key)).map(|(_, u)| u) {
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
pub(super) enum Which {
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

    fn counted(self, k: usize) -> Counted {
        match self {
            Which::Indicators => Counted::Indicator(k),
            Which::Structure => Counted::Structure(k),
        }
    }

    fn count(self, inst: &Instance, hd: &Handles, s: usize, k: usize) -> Expression {
        match self {
            Which::Indicators => inst.count(hd, s, k),
            Which::Structure => inst.structure_count(hd, s, k),
        }
    }
}
