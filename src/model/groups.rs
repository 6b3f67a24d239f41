//! Stages solved as one. Consecutive stages of one family whose values are
//! whole numbers (compliance, shortfall and subject gaps; the voice
//! stages: non-volunteers, volunteers, wishes) are solved by one objective that weighs them in mixed radix: one unit of
//! a stage weighs more than every later stage of the group can change in
//! all, so the one solve reaches exactly the optima of the stages solved
//! one after the other, and proves them together.

use super::instance::Instance;
use super::Stage;

/// The largest product of the ranges of stages solved as one: far inside
/// the integers a double holds exactly, and small enough for HiGHS's
/// tolerances.
pub const MOST_GROUP_WEIGHT: f64 = 1e7;

/// The stages that can be solved as one with their neighbours of the same
/// family: 1 for stages 1–2.1, 2 for the voice stages, None for the others.
/// On a large county (`aggregate`) only the wish stages: there a joint
/// solve cut by its share of the time found less than the stages one
/// after the other (a 120-school district kept 3 compliant sections where
/// stage 1 alone reached 10 in the same time).
fn family(stage: Stage, aggregate: bool) -> Option<u8> {
    match stage {
        Stage::Wish(_) => Some(2),
        _ if aggregate => None,
        Stage::Compliance | Stage::Shortfall | Stage::SubjectGaps => Some(1),
        Stage::Forced | Stage::Volunteers => Some(2),
        _ => None,
    }
}

impl Stage {
    /// Whether the stage maximises its value (compliance, volunteers,
    /// wishes); the others minimise it.
    pub fn maximised(self) -> bool {
        matches!(self, Stage::Compliance | Stage::Volunteers | Stage::Wish(_))
    }
}

impl Instance<'_> {
    /// The most a stage's value can differ between two plans: counted
    /// sections that can comply; the shortfall's between the full
    /// thresholds less each count's highest and lowest reach; the needs of
    /// the subject gaps that can change; and no more than the most moves,
    /// the non-volunteers and the volunteers that can move and the wishes
    /// of a rank that can be granted.
    fn range(&self, stage: Stage) -> f64 {
        let counted = self.sections.iter().enumerate().filter(|(_, s)| s.counted);
        let moves = u64::from(self.most_moves());
        let most = match stage {
            Stage::Compliance => counted.filter(|(_, s)| s.facility_misses < 2 && !s.facility_below85).count() as u64,
            Stage::Shortfall => counted
                .flat_map(|(s, sec)| {
                    (0..3).map(move |k| {
                        let full = sec.thresholds[k].full;
                        let (lo, hi) = self.count_bounds(s, k);
                        u64::from(full.saturating_sub(lo) - full.saturating_sub(hi))
                    })
                })
                .sum(),
            Stage::SubjectGaps => (0..self.sections.len())
                .flat_map(|s| self.sections[s].need.iter().map(move |(&subject, &need)| (s, subject, need)))
                .filter(|&(s, subject, _)| self.gap_can_change(s, subject))
                .map(|(_, _, need)| u64::from(need))
                .sum(),
            Stage::Forced => self.order_side(false).min(moves),
            Stage::Volunteers => self.order_side(true).min(moves),
            Stage::Wish(k) => u64::from(self.most_granted(k)).min(moves),
            _ => 0,
        };
        most as f64
    }

    /// How many stages at the head of `stages` are solved as one: the
    /// leading stages of one family (see [`family`]) while the product of
    /// their ranges plus one stays within [`MOST_GROUP_WEIGHT`]. 0 when
    /// `stages` starts with a stage of no family.
    pub fn stage_group(&self, stages: &[Stage]) -> usize {
        let Some(first) = stages.first().and_then(|&s| family(s, self.aggregate)) else { return 0 };
        let mut weight = 1.0;
        let mut group = 0;
        for &stage in stages {
            if family(stage, self.aggregate) != Some(first) {
                break;
            }
            let most = self.range(stage);
            if group > 0 && weight * (most + 1.0) > MOST_GROUP_WEIGHT {
                break;
            }
            weight *= most + 1.0;
            group += 1;
        }
        group
    }

    /// The weight of each stage of `group` in their joint objective (see
    /// [`Instance::stage_group`]): the last weighs 1, each one before
    /// weighs one more than all after it can change.
    pub fn group_weights(&self, group: &[Stage]) -> Vec<f64> {
        let mut weights = vec![1.0; group.len()];
        for i in (0..group.len().saturating_sub(1)).rev() {
            weights[i] = weights[i + 1] * (self.range(group[i + 1]) + 1.0);
        }
        weights
    }

    /// The coefficient of each stage of `group` in the joint objective,
    /// which is minimised: its weight, negated for a maximised stage.
    pub fn signed_weights(&self, group: &[Stage]) -> Vec<f64> {
        let weights = self.group_weights(group);
        group.iter().zip(weights).map(|(s, w)| if s.maximised() { -w } else { w }).collect()
    }

    /// The joint value of `group`'s `values` in the sense of its first
    /// stage: each value weighted, those of the other sense subtracted.
    pub fn joint_value(&self, group: &[Stage], values: &[f64]) -> f64 {
        let sense = if group.first().is_some_and(|s| s.maximised()) { -1.0 } else { 1.0 };
        self.signed_weights(group).iter().zip(values).map(|(w, v)| sense * w * v).sum()
    }

    /// The best value the first stage of `group` can reach, by the joint
    /// solve's `bound` (in the solver's terms, minimised): the later stages
    /// of the group move the joint objective by less than one unit of the
    /// first.
    pub fn first_of_group_bound(&self, group: &[Stage], bound: f64) -> f64 {
        let first = group[0];
        let rest_same_sense = group[1..].iter().all(|s| s.maximised() == first.maximised());
        first_bound(first.maximised(), rest_same_sense, self.group_weights(group)[0], bound)
    }
}

/// [`Instance::first_of_group_bound`] of a first stage (maximised or not)
/// of weight `weight`, whose later stages all have its sense or not.
fn first_bound(maximised: bool, rest_same_sense: bool, weight: f64, bound: f64) -> f64 {
    // Maximised: bound ≤ −w·v + rest, |rest| < w, so v ≤ −bound/w when the
    // rest can only lower the objective, else v < −bound/w + 1. Minimised:
    // bound ≤ w·v + rest, so v ≥ bound/w when the rest can only lower the
    // objective, else v > bound/w − 1. Either way a rest of the first
    // stage's sense rounds down and one of the other sense rounds up.
    let x = if maximised { -bound } else { bound } / weight;
    if rest_same_sense {
        (x + 1e-9).floor()
    } else {
        (x - 1e-9).ceil()
    }
}

#[cfg(test)]
mod tests {
    use super::first_bound;

    /// Every plan of a group of two stages (ranges 0..=4 and 0..=6, weights
    /// 7 and 1) whose joint objective is at least a bound has a first
    /// value within the bound stated, in all four cases of sense.
    #[test]
    fn the_first_stage_bound_holds_for_every_plan_above_the_joint_bound() {
        for maximised in [true, false] {
            for rest_same_sense in [true, false] {
                let sign = |max: bool| if max { -1.0 } else { 1.0 };
                let rest_max = if rest_same_sense { maximised } else { !maximised };
                let joint = |v: f64, r: f64| sign(maximised) * 7.0 * v + sign(rest_max) * r;
                for quarter in -160..=160 {
                    let bound = f64::from(quarter) / 4.0;
                    let best = first_bound(maximised, rest_same_sense, 7.0, bound);
                    for v in 0..=4 {
                        for r in 0..=6 {
                            let (v, r) = (f64::from(v), f64::from(r));
                            if joint(v, r) < bound {
                                continue;
                            }
                            if maximised {
                                assert!(v <= best, "max {rest_same_sense} bound {bound}: {v} > {best}");
                            } else {
                                assert!(v >= best, "min {rest_same_sense} bound {bound}: {v} < {best}");
                            }
                        }
                    }
                }
            }
        }
    }
}
