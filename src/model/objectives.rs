//! The four terms of the lexicographic objective of SPEC §4 (compliance,
//! shortfall, Σ CV², distance), and the hires search's score.

use std::collections::BTreeSet;

use good_lp::{variable, Constraint, Expression, ProblemVariables, Variable};

use crate::domain::{Level, TeacherIndicator};

use super::instance::Instance;
use super::{named, Handles, StageModel};

/// The km an extension costs in the distance stage's model (never in the
/// reported distance): the tie-break toward returning, below the stage's gap.
pub const EXTEND_TIE_KM: f64 = 1e-7;

/// A count of each counted section whose CV² the model writes: a teacher
/// indicator (stage 3) or a structure figure (stage 3.1).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Counted {
    /// Teacher indicator k.
    Indicator(usize),
    /// Structure figure f.
    Structure(usize),
}

/// The parts of a level's Σ cᵢ²/Pᵢ in the model.
struct CvParts {
    q: Expression,
    q_max: f64,
    p_total: f64,
    c_lo: u32,
    selectors: Vec<(u32, Variable)>,
}

impl Instance<'_> {
    /// Objective 1: counted sections that comply (6 of 7 reach, none below 85 %).
    pub(super) fn objective_compliance(
        &self,
        vars: &mut ProblemVariables,
        hd: &mut Handles,
        out: &mut Vec<Constraint>,
    ) -> Expression {
        let mut total = Expression::with_capacity(self.sections.len());
        for (s, sec) in self.sections.iter().enumerate() {
            if !sec.counted || sec.facility_misses >= 2 || sec.facility_below85 {
                continue;
            }
            let y = vars.add(variable().binary());
            hd.y[s] = Some(y);
            total.add_mul(1.0, y);
            let mut reached = Expression::with_capacity(3);
            for k in 0..3 {
                let t = sec.thresholds[k];
                let count = self.count(hd, s, k);
                if t.floor85 > 0 {
                    hd.reach.push((s, k, t.floor85, y));
                    let mut e = count.clone();
                    e.add_mul(-(t.floor85 as f64), y);
                    out.push(named(e.geq(0.0), "compliance_floor85"));
                }
                if t.full == 0 {
                    reached += 1.0;
                } else {
                    let r = vars.add(variable().binary());
                    hd.reach.push((s, k, t.full, r));
                    let mut e = count;
                    e.add_mul(-(t.full as f64), r);
                    out.push(named(e.geq(0.0), "compliance_reach"));
                    reached.add_mul(1.0, r);
                }
            }
            let mut e = reached;
            e.add_mul(-(2.0 + sec.facility_misses as f64), y);
            out.push(named(e.geq(0.0), "compliance_six_of_seven"));
        }
        total
    }

    /// The compliance rows on the unit columns of the counts (once Σ CV²
    /// has them): each such count's units in order (u₁ ≥ u₂ ≥ …, which
    /// every integer count allows at the same cost), and `u_(t − lo) ≥ b`
    /// for each row `count ≥ t·b`. The same plans, but in the relaxation a
    /// section that complies by a fraction b pays b × the cost of its count
    /// all the way to t (the perspective of its convex cost), not the cost
    /// of the cheapest t·b units.
    pub(super) fn compliance_on_units(&self, hd: &Handles, out: &mut Vec<Constraint>) {
        let ordered = self.compliance_units(hd);
        for key in &ordered {
            for pair in hd.units[key].1.windows(2) {
                out.push(named(Expression::from(pair[0]).geq(pair[1]), "compliance_units"));
            }
        }
        for &(s, k, t, b) in &hd.reach {
            if let Some(unit) = self.reach_unit(hd, s, k, t) {
                out.push(named(Expression::from(unit).geq(b), "compliance_units"));
            }
        }
    }

    /// The counts (section, indicator) whose units [`Self::compliance_on_units`]
    /// puts in order: those with a compliance row on one of their units.
    pub(super) fn compliance_units(&self, hd: &Handles) -> BTreeSet<(usize, usize)> {
        hd.reach
            .iter()
            .filter(|&&(s, k, t, _)| self.reach_unit(hd, s, k, t).is_some())
            .map(|&(s, k, ..)| (s, k))
            .collect()
    }

    /// The unit column that is on exactly when count k of section s is at
    /// least t (units in order), when the count can be either side of t.
    fn reach_unit(&self, hd: &Handles, s: usize, k: usize, t: u32) -> Option<Variable> {
        let (lo, units) = hd.units.get(&(s, k))?;
        t.checked_sub(*lo + 1).and_then(|i| units.get(i as usize)).copied()
    }

    /// Objective 2: Σ over counted sections and teacher indicators of max(0, full − count).
    pub(super) fn objective_shortfall(
        &self,
        vars: &mut ProblemVariables,
        hd: &Handles,
        out: &mut Vec<Constraint>,
    ) -> Expression {
        let mut total = Expression::with_capacity(self.sections.len() * 3);
        for (s, sec) in self.sections.iter().enumerate() {
            if !sec.counted {
                continue;
            }
            for k in 0..3 {
                let full = sec.thresholds[k].full as f64;
                if full == 0.0 {
                    continue;
                }
                let sh = vars.add(variable().min(0.0));
                let mut e = self.count(hd, s, k);
                e.add_mul(1.0, sh);
                out.push(named(e.geq(full), "shortfall"));
                total.add_mul(1.0, sh);
            }
        }
        total
    }

    /// Objective 3: Σ over levels and teacher indicators of CV² =
    /// (P / C²) Σ cᵢ²/Pᵢ − 1 (0 where C is 0), exact at integer counts: each count is written as
    /// lo + Σ unit columns with increasing costs (2(lo + j) + 1)/Pᵢ; where the
    /// level total C can change, one binary per reachable C selects the cut.
    pub(super) fn objective_cv_squares(
        &self,
        vars: &mut ProblemVariables,
        hd: &mut Handles,
        out: &mut Vec<Constraint>,
        cap: Option<f64>,
    ) -> Expression {
        let mut total = Expression::with_capacity(64);
        for level in Level::BOTH {
            for k in 0..3 {
                let Some(term) = self.cv_term(vars, hd, out, level, Counted::Indicator(k), cap) else { continue };
                total += term;
            }
        }
        total
    }

    /// Bounds (lo, hi) of an indicator count of a section after the plan.
    pub fn count_bounds(&self, s: usize, k: usize) -> (u32, u32) {
        self.bounds_of(s, Counted::Indicator(k))
    }

    /// Bounds (lo, hi) of a count of a section after the plan.
    pub(super) fn bounds_of(&self, s: usize, what: Counted) -> (u32, u32) {
        let before = self.before_of(s, what);
        let out_k: usize = self.out_of[s]
            .iter()
            .filter(|&&p| self.profile_counts(&self.profiles[p], what))
            .map(|&p| self.profiles[p].members.len())
            .sum();
        let out_all: usize = self.out_of[s].iter().map(|&p| self.profiles[p].members.len()).sum();
        let avail_in: usize = self.into[s]
            .iter()
            .filter(|(p, _)| self.profile_counts(&self.profiles[*p], what))
            .map(|(p, _)| self.profiles[*p].members.len())
            .sum();
        let tol = self.county.policy.movement.headcount_tolerance as usize;
        let hires_k: usize = self.hire_into[s]
            .iter()
            .filter(|(g, _)| self.hire_counts_for(&self.hires[*g], what))
            .map(|(g, _)| self.hires[*g].ids.len())
            .sum();
        let hires_k = self.hire_budget.map_or(hires_k, |b| hires_k.min(b as usize));
        let max_moves = self.most_moves() as usize;
        let counts = |r: &&super::DueReturn| self.return_counts(r, what);
        let returns_out = self.returns.iter().filter(|r| r.host_section == Some(s)).filter(counts).count();
        let returns_in = self.returns.iter().filter(|r| r.home_section == Some(s)).filter(counts).count();
        let returns_all = self.returns.iter().filter(|r| r.host_section == Some(s)).count();
        let lo = (before as usize).saturating_sub(out_k.min(max_moves) + returns_out);
        let grants = match what {
            Counted::Indicator(k) => self.grant_room(s, k) as usize,
            _ => 0,
        };
        let hi =
            before as usize + avail_in.min(out_all + returns_all + tol).min(max_moves) + hires_k + returns_in + grants;
        let (below, above) = match (what, self.carried.as_ref()) {
            (Counted::Indicator(k), Some(c)) => c.range[s][k],
            _ => (0, 0),
        };
        (lo.saturating_sub(below as usize) as u32, (hi + above as usize) as u32)
    }

    /// Σ cᵢ²/Pᵢ of a level and indicator as a convex piecewise-linear sum, the
    /// counted total C, and (where C can change) one binary per reachable C.
    fn cv_parts(
        &self,
        vars: &mut ProblemVariables,
        hd: &mut Handles,
        out: &mut Vec<Constraint>,
        level: Level,
        what: Counted,
    ) -> Option<CvParts> {
        let counted: Vec<usize> =
            (0..self.sections.len()).filter(|&s| self.sections[s].level == level && self.sections[s].counted).collect();
        if counted.is_empty() {
            return None;
        }
        let p_total: f64 = counted.iter().map(|&s| self.sections[s].students as f64).sum();
        let mut q = Expression::with_capacity(counted.len() * 4);
        let mut q_max = 0.0;
        let mut c_total = Expression::with_capacity(counted.len());
        for &s in &counted {
            let p = self.sections[s].students as f64;
            let (lo, hi) = self.bounds_of(s, what);
            q += (lo as f64) * (lo as f64) / p;
            q_max += (hi as f64) * (hi as f64) / p;
            let mut c = Expression::from(lo as f64);
            let mut units = Vec::with_capacity((hi - lo) as usize);
            for j in lo..hi {
                let u = vars.add(variable().min(0.0).max(1.0));
                q.add_mul((2.0 * j as f64 + 1.0) / p, u);
                c.add_mul(1.0, u);
                units.push(u);
            }
            let count = self.count_of(hd, s, what);
            match what {
                Counted::Indicator(k) => hd.units.insert((s, k), (lo, units)),
                Counted::Structure(f) => hd.structure_units.insert((s, f), (lo, units)),
            };
            if hi > lo {
                out.push(named(c.clone().eq(count.clone()), "cv_count_link"));
            }
            c_total += count;
        }
        let (c_lo, c_hi) = self.totals_of(level, what, &counted);
        let mut selectors = Vec::new();
        if c_lo < c_hi {
            let mut pick = Expression::with_capacity((c_hi - c_lo + 1) as usize);
            let mut value = Expression::with_capacity((c_hi - c_lo + 1) as usize);
            for v in c_lo..=c_hi {
                let z = vars.add(variable().binary());
                pick.add_mul(1.0, z);
                value.add_mul(v as f64, z);
                selectors.push((v, z));
            }
            out.push(named(pick.eq(1.0), "cv_total_select"));
            out.push(named(value.eq(c_total), "cv_total_select"));
        }
        Some(CvParts { q, q_max, p_total, c_lo, selectors })
    }

    pub(super) fn cv_term(
        &self,
        vars: &mut ProblemVariables,
        hd: &mut Handles,
        out: &mut Vec<Constraint>,
        level: Level,
        what: Counted,
        cap: Option<f64>,
    ) -> Option<Expression> {
        let parts = self.cv_parts(vars, hd, out, level, what)?;
        if parts.selectors.is_empty() {
            if parts.c_lo == 0 {
                return None;
            }
            let c = parts.c_lo as f64;
            return Some(parts.q * (parts.p_total / (c * c)) - 1.0);
        }
        // CV² = (P/C²)·D with the deviation D = Q − C²/P ≥ 0, and C² = Σ v²·z_v
        // exactly when one selector is 1, so P·D = P·Q − Σ v²·z_v is linear.
        // It is covered by one part per reachable C, each allowed only where
        // its selector is on: part_v is the CV² at C = v, and
        // Σ v²·part_v ≥ P·D, w ≥ Σ part_v. Exact at integer points, and a
        // tight relaxation since P/C² varies little over the reachable C.
        // The covering row is divided by C_ref² (numbers near 1).
        let p_total = parts.p_total;
        let c_max = parts.selectors.last().map_or(0, |&(v, _)| v) as f64;
        let c_ref = c_max.max(1.0);
        let mut deviation = parts.q.clone() * (p_total / (c_ref * c_ref));
        for &(v, z) in &parts.selectors {
            deviation.add_mul(-(v as f64 / c_ref).powi(2), z);
        }
        let w = vars.add(variable().min(0.0));
        let mut cover = Expression::with_capacity(parts.selectors.len());
        let mut cost = Expression::from(w);
        for &(v, z) in &parts.selectors {
            if v == 0 {
                // A total of 0 has no CV and costs 0, like a missing CV (and
                // every count is then 0, so P·D = 0).
                continue;
            }
            let v = v as f64;
            // The largest CV² at C = v, or the cap once Σ CV² is fixed.
            let mut most = (parts.q_max * p_total / (v * v) - 1.0).max(0.0);
            if let Some(cap) = cap {
                most = most.min(cap);
            }
            let most = most * (1.0 + 1e-6) + 1e-6;
            let part = vars.add(variable().min(0.0).max(most));
            let mut on = Expression::from(part);
            on.add_mul(-most, z);
            out.push(named(on.leq(0.0), "cv_total_select"));
            cover.add_mul((v / c_ref).powi(2), part);
            cost.add_mul(-1.0, part);
        }
        out.push(named(cover.geq(deviation), "cv_total_select"));
        out.push(named(cost.geq(0.0), "cv_total_select"));
        Some(Expression::from(w))
    }

    /// A binary that is 1 only when the CV of a level and teacher indicator is
    /// within `limit`: CV² ≤ limit² ⇔ P·Q ≤ (1 + limit²)·C².
    fn cv_within(
        &self,
        vars: &mut ProblemVariables,
        hd: &mut Handles,
        out: &mut Vec<Constraint>,
        level: Level,
        k: usize,
        limit: f64,
    ) -> Option<Variable> {
        let parts = self.cv_parts(vars, hd, out, level, Counted::Indicator(k))?;
        let ok = vars.add(variable().binary());
        let factor = 1.0 + limit * limit;
        let big_m = parts.p_total * parts.q_max;
        let lhs = parts.q.clone() * parts.p_total;
        if parts.selectors.is_empty() {
            let c = parts.c_lo as f64;
            let mut e = lhs;
            e.add_mul(big_m, ok);
            out.push(named(e.leq(factor * c * c + big_m), "cv_limit"));
        } else {
            for &(v, z) in &parts.selectors {
                let mut e = lhs.clone();
                e.add_mul(big_m, ok);
                e.add_mul(big_m, z);
                out.push(named(e.leq(factor * (v as f64) * (v as f64) + 2.0 * big_m), "cv_limit"));
            }
        }
        Some(ok)
    }

    /// The hires search (SPEC §6 `hires`): phase 1 maximises the counted
    /// sections that comply plus the teacher CVs within their limits with at
    /// most `hire_budget` hires; phase 2 keeps that score and minimises the hires.
    pub fn build_hires(&self, min_score: Option<u32>) -> (StageModel, Vec<(Level, TeacherIndicator, Variable)>) {
        let (mut vars, mut hd, mut constraints) = self.hard_rules(true, false);
        let (score, within) = self.search_score(&mut vars, &mut hd, &mut constraints);
        let objective = match min_score {
            None => -score,
            Some(target) => {
                constraints.push(named(score.geq(target as f64), "fixed_score"));
                self.total_hires(&hd)
            }
        };
        (StageModel { vars, objective, constraints, handles: hd }, within)
    }

    /// The score of a hires or levers search: the counted sections that
    /// comply plus the teacher CVs within their limits (each CV's binary).
    pub(super) fn search_score(
        &self,
        vars: &mut ProblemVariables,
        hd: &mut Handles,
        out: &mut Vec<Constraint>,
    ) -> (Expression, Vec<(Level, TeacherIndicator, Variable)>) {
        let mut score = self.objective_compliance(vars, hd, out);
        let mut within = Vec::new();
        for level in Level::BOTH {
            let limit = crate::exact::to_f64(&self.county.policy.standards.cv_limit.get(level));
            for k in TeacherIndicator::ALL {
                if let Some(ok) = self.cv_within(vars, hd, out, level, k.index(), limit) {
                    score.add_mul(1.0, ok);
                    within.push((level, k, ok));
                }
            }
        }
        (score, within)
    }

    /// Reachable range of a level's counted total of an indicator.
    pub(super) fn total_bounds(&self, level: Level, k: usize, counted: &[usize]) -> (u32, u32) {
        self.totals_of(level, Counted::Indicator(k), counted)
    }

    /// Reachable range of a level's counted total of a count.
    fn totals_of(&self, level: Level, what: Counted, counted: &[usize]) -> (u32, u32) {
        let c0: u32 = counted.iter().map(|&s| self.before_of(s, what)).sum();
        let max_moves = self.most_moves() as usize;
        let mut leave = 0usize;
        let mut enter = 0usize;
        for p in &self.profiles {
            if !self.profile_counts(p, what) || self.sections[p.section].level != level {
                continue;
            }
            let from_counted = self.sections[p.section].counted;
            if p.destinations.iter().any(|d| self.sections[d.section].counted != from_counted) {
                if from_counted {
                    leave += p.members.len();
                } else {
                    enter += p.members.len();
                }
            }
        }
        let mut hires_counted = 0usize;
        let mut hires_any = 0usize;
        for (g, dests) in self.hires.iter().zip(&self.hire_destinations) {
            if g.level != level || !self.hire_counts_for(g, what) {
                continue;
            }
            let n = g.ids.len();
            if self.hire_budget.is_none() && dests.iter().all(|&d| self.sections[d].counted) {
                hires_counted += n;
            } else {
                hires_any += n;
            }
        }
        let hires_any = self.hire_budget.map_or(hires_any, |b| hires_any.min(b as usize));
        // Rule 5 bounds what uncounted sections can take in: arrivals ≤ departures + tolerance.
        let tol = self.county.policy.movement.headcount_tolerance as usize;
        let intake: usize = (0..self.sections.len())
            .filter(|&s| self.sections[s].level == level && !self.sections[s].counted)
            .map(|s| {
                let out = self.out_of[s].iter().map(|&p| self.profiles[p].members.len()).sum::<usize>();
                out + self.returns.iter().filter(|r| r.host_section == Some(s)).count() + tol
            })
            .sum();
        let leave = leave.min(intake);
        // Returns between a counted and an uncounted section move the total.
        let (mut returns_leave, mut returns_enter) = (0usize, 0usize);
        for r in self.returns.iter().filter(|r| self.return_counts(r, what)) {
            let is_counted = |sec: Option<usize>| sec.is_some_and(|s| counted.contains(&s));
            match (is_counted(r.host_section), is_counted(r.home_section)) {
                (true, false) => returns_leave += 1,
                (false, true) => returns_enter += 1,
                _ => {}
            }
        }
        let lo = (c0 as usize + hires_counted).saturating_sub(leave.min(max_moves) + returns_leave);
        let grants: usize = match what {
            Counted::Indicator(k) => counted.iter().map(|&s| self.grant_room(s, k) as usize).sum(),
            _ => 0,
        };
        let hi = c0 as usize + hires_counted + hires_any + enter.min(max_moves) + returns_enter + grants;
        let (below, above) = match (what, self.carried.as_ref()) {
            (Counted::Indicator(k), Some(c)) => c.total[&(level, k)],
            _ => (0, 0),
        };
        (lo.saturating_sub(below as usize) as u32, (hi + above as usize) as u32)
    }

    /// Objective 4: total km of the moves (unknown distances count 0). With
    /// optional returns, each return that happens takes [`EXTEND_TIE_KM`]
    /// off, so that among plans equal on every stage the due returns happen
    /// (an extension only where it serves the objective).
    pub(super) fn objective_distance(&self, hd: &Handles) -> Expression {
        let mut e = Expression::with_capacity(64);
        for v in hd.r.iter().flatten() {
            e.add_mul(-EXTEND_TIE_KM, *v);
        }
        for (p, profile) in self.profiles.iter().enumerate() {
            for (j, d) in profile.destinations.iter().enumerate() {
                if let Some(km) = d.km {
                    e.add_mul(km, hd.x[p][j]);
                }
            }
        }
        e
    }
}
