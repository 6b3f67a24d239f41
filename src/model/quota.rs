//! `rotaplan quota`'s MILP: the county's total quota redistributed across
//! the schools that have one. Integer quotas q_s ≥ 0 with Σ q_s = T (the
//! total given); the posts below the norm, Σ max(0, n_s − q_s), are
//! minimised first, then the posts moved, Σ |q_s − c_s| (two stages, the
//! first optimum fixed in the second), so that only what the norms need is
//! moved.

use good_lp::{constraint, variable, Constraint, Expression, ProblemVariables, Variable};

/// The schools whose quota may be moved: their quota now and their norm.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QuotaProblem {
    /// Quota now (staff_quota), per school of the pool.
    pub current: Vec<u32>,
    /// Norm quota, per school of the pool.
    pub norm: Vec<u32>,
}

/// The columns of the model.
#[derive(Clone, Debug)]
pub struct QuotaHandles {
    /// Proposed quota per school.
    pub quota: Vec<Variable>,
    /// Posts below the norm per school.
    pub short: Vec<Variable>,
    /// Posts moved per school (|q − c|).
    pub moved: Vec<Variable>,
}

/// One stage of the model: the variables, the objective and the rows.
pub struct QuotaModel {
    /// Variables.
    pub vars: ProblemVariables,
    /// Objective (minimised).
    pub objective: Expression,
    /// Rows.
    pub constraints: Vec<Constraint>,
    /// Columns.
    pub handles: QuotaHandles,
}

impl QuotaProblem {
    /// T = Σ current.
    pub fn total(&self) -> u32 {
        self.current.iter().sum()
    }

    /// The model: stage 1 (`fewest_short` None) minimises the posts below
    /// the norm; stage 2 keeps them at most `fewest_short` and minimises
    /// the posts moved.
    pub fn build(&self, fewest_short: Option<u32>) -> QuotaModel {
        let total = f64::from(self.total());
        let mut vars = ProblemVariables::new();
        let n = self.current.len();
        let quota: Vec<Variable> = (0..n).map(|_| vars.add(variable().integer().min(0.0).max(total))).collect();
        let short: Vec<Variable> = (0..n).map(|_| vars.add(variable().min(0.0))).collect();
        let moved: Vec<Variable> = (0..n).map(|_| vars.add(variable().min(0.0))).collect();
        let mut constraints = Vec::new();
        // quota_total: the county's total stays what it is.
        let sum: Expression = quota.iter().sum();
        constraints.push(constraint!(sum == total).set_name("quota_total".into()));
        for s in 0..n {
            let (c, norm) = (f64::from(self.current[s]), f64::from(self.norm[s]));
            // quota_short: posts below the norm.
            constraints.push(constraint!(short[s] + quota[s] >= norm));
            // quota_moved: |q − c| from both sides.
            constraints.push(constraint!(moved[s] - quota[s] >= -c));
            constraints.push(constraint!(moved[s] + quota[s] >= c));
        }
        let short_sum: Expression = short.iter().sum();
        let objective = match fewest_short {
            None => short_sum,
            Some(best) => {
                constraints.push(constraint!(short_sum <= f64::from(best)));
                moved.iter().sum()
            }
        };
        QuotaModel { vars, objective, constraints, handles: QuotaHandles { quota, short, moved } }
    }
}
