//! `rotaplan quota`'s MILP: the county's total quota redistributed across
//! the schools that have one. Integer quotas q_s ≥ 0 with Σ q_s = T (the
//! total given); the posts below the norm, Σ max(0, n_s − q_s), are
//! minimised first, then the teachers left over quota, Σ max(0, h_s − q_s)
//! (h_s the headcount: posts are taken from empty seats first), then the
//! posts moved, Σ |q_s − c_s| (three stages, each optimum fixed in the
//! next), so that only what the norms need is moved.

use good_lp::{constraint, variable, Constraint, Expression, ProblemVariables, Variable};

/// The schools whose quota may be moved: their quota now and their norm.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QuotaProblem {
    /// Quota now (staff_quota), per school of the pool.
    pub current: Vec<u32>,
    /// Norm quota, per school of the pool.
    pub norm: Vec<u32>,
    /// Teachers on the roll (在编人数), per school of the pool.
    pub headcount: Vec<u32>,
}

/// The stages of the model, in lexicographic order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum QuotaStage {
    /// Fewest posts below the norms.
    Short,
    /// Fewest teachers over quota (posts taken from empty seats first).
    Over,
    /// Fewest posts moved.
    Moved,
}

/// The columns of the model.
#[derive(Clone, Debug)]
pub struct QuotaHandles {
    /// Proposed quota per school.
    pub quota: Vec<Variable>,
    /// Posts below the norm per school.
    pub short: Vec<Variable>,
    /// Teachers over the proposed quota per school.
    pub over: Vec<Variable>,
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
    pub fn total(&self) -> u64 {
        self.current.iter().map(|&c| u64::from(c)).sum()
    }

    /// The model of a stage; `best` holds the optima of the earlier stages
    /// (posts short, then teachers over), each kept as a row.
    pub fn build(&self, stage: QuotaStage, best: &[u64]) -> QuotaModel {
        let total = self.total() as f64;
        let mut vars = ProblemVariables::new();
        let n = self.current.len();
        let quota: Vec<Variable> = (0..n).map(|_| vars.add(variable().integer().min(0.0).max(total))).collect();
        let short: Vec<Variable> = (0..n).map(|_| vars.add(variable().min(0.0))).collect();
        let over: Vec<Variable> = (0..n).map(|_| vars.add(variable().min(0.0))).collect();
        let moved: Vec<Variable> = (0..n).map(|_| vars.add(variable().min(0.0))).collect();
        let mut constraints = Vec::new();
        // quota_total: the county's total stays what it is.
        let sum: Expression = quota.iter().sum();
        constraints.push(constraint!(sum == total).set_name("quota_total".into()));
        for s in 0..n {
            let (c, norm, head) = (f64::from(self.current[s]), f64::from(self.norm[s]), f64::from(self.headcount[s]));
            // quota_short: posts below the norm.
            constraints.push(constraint!(short[s] + quota[s] >= norm));
            // quota_over: teachers above the quota.
            constraints.push(constraint!(over[s] + quota[s] >= head));
            // quota_moved: |q − c| from both sides.
            constraints.push(constraint!(moved[s] - quota[s] >= -c));
            constraints.push(constraint!(moved[s] + quota[s] >= c));
        }
        let short_sum: Expression = short.iter().sum();
        let over_sum: Expression = over.iter().sum();
        if let Some(&fewest) = best.first() {
            constraints.push(constraint!(short_sum.clone() <= fewest as f64));
        }
        if let Some(&fewest) = best.get(1) {
            constraints.push(constraint!(over_sum.clone() <= fewest as f64));
        }
        let objective = match stage {
            QuotaStage::Short => short_sum,
            QuotaStage::Over => over_sum,
            QuotaStage::Moved => moved.iter().sum(),
        };
        QuotaModel { vars, objective, constraints, handles: QuotaHandles { quota, short, over, moved } }
    }
}
