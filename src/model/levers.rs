//! The levers search (`rotaplan levers`): besides this year's rotation, new
//! hires, in-service degree upgrades and county backbone designations, at
//! the least cost that reaches the best score the budget allows.
//!
//! A hire is a column per (hire group, destination), as in the hires
//! search. An upgrade or a designation changes a teacher who stays in their
//! section: one integer column per counted section and lever, `g[s][k]`,
//! added to the section's count of indicator k (0: higher degree, 1:
//! backbone), with
//!
//! `g[s][k] + Σ_{p ∈ profiles of s lacking k} d[p] ≤ F[s][k] + Σ_{p} |p|`
//!
//! where F[s][k] counts the section's full-time teachers lacking k who stay
//! for sure (in no profile and no due return): only teachers the plan keeps
//! at the section are changed, so a lever never leaves with a mover.

use std::collections::BTreeSet;

use good_lp::{variable, Expression, Variable};

use super::{named, Handles, Instance, StageModel};
use crate::domain::TeacherIndicator;

/// The cost of each lever per unit, as whole numbers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LeverCosts {
    /// One new hire.
    pub hire: u32,
    /// One teacher's degree upgrade.
    pub upgrade: u32,
    /// One backbone designation.
    pub designate: u32,
}

impl LeverCosts {
    /// The cost of a grant of indicator k (0: upgrade, 1: designation).
    pub fn grant(&self, k: usize) -> u32 {
        if k == 0 {
            self.upgrade
        } else {
            self.designate
        }
    }
}

impl Instance<'_> {
    /// Most upgrades (k = 0) or designations (k = 1) section `s` may get in
    /// this instance (0 outside a levers search).
    pub fn grant_room(&self, s: usize, k: usize) -> u32 {
        match &self.lever_room {
            Some(room) if k < 2 => room.get(s).map_or(0, |r| r[k]),
            _ => 0,
        }
    }

    /// The profiles of section `s` (its eligible teachers, grouped).
    pub fn out_of_section(&self, s: usize) -> &[usize] {
        &self.out_of[s]
    }

    /// Full-time teachers of each section lacking indicator k (0, 1) who
    /// stay for sure: in no profile and not due to return.
    pub fn sure_stayers(&self) -> Vec<[Vec<usize>; 2]> {
        let moving: BTreeSet<usize> = self
            .profiles
            .iter()
            .flat_map(|p| p.members.iter().copied())
            .chain(self.returns.iter().map(|r| r.teacher))
            .collect();
        let mut out = vec![[Vec::new(), Vec::new()]; self.sections.len()];
        for (t, teacher) in self.county.teachers.iter().enumerate() {
            if !teacher.full_time || moving.contains(&t) {
                continue;
            }
            let Some(school) = self.county.school_pos(&teacher.school_id) else { continue };
            let Some(&s) = self.section_of.get(&(school, teacher.level)) else { continue };
            for (k, list) in out[s].iter_mut().enumerate() {
                if !TeacherIndicator::ALL[k].counts(teacher, teacher.level) {
                    list.push(t);
                }
            }
        }
        out
    }

    /// The most grants of each counted section: every teacher lacking the
    /// indicator (sure stayers and profile members), at most `most` each,
    /// and at most what the section could still lack of its standard count
    /// after the rotation (the full count less the least count the
    /// rotation can leave): more never makes a section comply, and the
    /// model stays near the size of the hires search's.
    pub fn lever_room_of(&self, most: [u32; 2]) -> Vec<[u32; 2]> {
        let stayers = self.sure_stayers();
        (0..self.sections.len())
            .map(|s| {
                let mut room = [0u32; 2];
                if !self.sections[s].counted {
                    return room;
                }
                for k in 0..2 {
                    let members: usize = self.out_of[s]
                        .iter()
                        .filter(|&&p| !self.profiles[p].flags[k])
                        .map(|&p| self.profiles[p].members.len())
                        .sum();
                    let lacking = self.sections[s].thresholds[k].full.saturating_sub(self.count_bounds(s, k).0);
                    room[k] = ((stayers[s][k].len() + members) as u32).min(most[k]).min(lacking);
                }
                room
            })
            .collect()
    }

    /// The levers search: phase 1 (`min_score` None) maximises the score of
    /// the hires search (compliant sections plus CVs within their limits)
    /// within `budget`; phase 2 keeps `min_score` and minimises the cost.
    pub fn build_levers(&self, costs: LeverCosts, budget: u64, min_score: Option<u32>) -> StageModel {
        let (mut vars, mut hd, mut constraints) = self.hard_rules(true, false);
        let stayers = self.sure_stayers();
        for (s, lacking) in stayers.iter().enumerate() {
            for (k, sure) in lacking.iter().enumerate() {
                let room = self.grant_room(s, k);
                if room == 0 {
                    continue;
                }
                let g = vars.add(variable().integer().min(0.0).max(room as f64));
                let mut e = Expression::from(g);
                let mut cap = sure.len() as f64;
                for &p in &self.out_of[s] {
                    if !self.profiles[p].flags[k] {
                        e.add_mul(1.0, hd.d[p]);
                        cap += self.profiles[p].members.len() as f64;
                    }
                }
                constraints.push(named(e.leq(cap), "lever_stays"));
                hd.grants.insert((s, k), g);
            }
        }
        let cost = self.lever_cost(&hd, costs);
        constraints.push(named(cost.clone().leq(budget as f64), "lever_budget"));
        let (score, _) = self.search_score(&mut vars, &mut hd, &mut constraints);
        let objective = match min_score {
            None => -score,
            Some(target) => {
                constraints.push(named(score.geq(target as f64), "fixed_score"));
                cost
            }
        };
        StageModel { vars, objective, constraints, handles: hd }
    }

    /// The cost of the levers of a model: hires, upgrades and designations.
    pub fn lever_cost(&self, hd: &Handles, costs: LeverCosts) -> Expression {
        let mut e = self.total_hires(hd) * f64::from(costs.hire);
        for (&(_, k), &g) in &hd.grants {
            e.add_mul(f64::from(costs.grant(k)), g);
        }
        e
    }
}

/// Grants of a solved levers model: (section, indicator, how many), by section.
pub fn grants_of(hd: &Handles, value: impl Fn(Variable) -> f64) -> Vec<(usize, usize, u32)> {
    hd.grants.iter().map(|(&(s, k), &g)| (s, k, value(g).round().max(0.0) as u32)).filter(|&(_, _, n)| n > 0).collect()
}
