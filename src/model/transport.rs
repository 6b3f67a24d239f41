//! Free profiles (those that may go to every other section of their level)
//! need no flow columns until the distance stage: a transport condition on
//! the totals stands in for them. And the transport problem left once the
//! departures and arrivals are fixed, which places the teachers.

use std::collections::BTreeMap;

use good_lp::{variable, Constraint, Expression, ProblemVariables, Variable};

use crate::domain::{Level, Subject};

use super::instance::Instance;
use super::{flow_column, named, Arrival, Handles, Kind, StageModel};

impl Instance<'_> {
    /// Per profile, whether it may go to every section of its level but its
    /// own ("free"). Such profiles need no flow columns until the distance stage: whether
    /// their departures and arrivals can be matched is a condition on the
    /// totals (see [`Instance::rule_free_transport`]).
    pub fn free_profiles(&self) -> Vec<bool> {
        // The pure-Rust backend's branch and bound does far better with the
        // flows written out.
        if !cfg!(feature = "highs") || !self.aggregate || self.direction_rule() {
            return vec![false; self.profiles.len()];
        }
        let others =
            Level::BOTH.map(|level| self.sections.iter().filter(|s| s.level == level).count().saturating_sub(1));
        self.profiles
            .iter()
            .enumerate()
            .map(|(p, profile)| {
                let level = self.sections[profile.section].level;
                let others = others[level.index()];
                profile.destinations.len() == others
                    && !profile.single
                    && profile.role == crate::domain::Role::Teacher
                    && !self.stability.as_ref().is_some_and(|s| s.published[p])
                    && profile
                        .destinations
                        .iter()
                        .all(|d| self.sections[d.section].level == level && d.section != profile.section && !d.no_path)
            })
            .collect()
    }

    /// The arrivals of each section and type are the restricted profiles'
    /// flows plus the free profiles' share F. Free profiles of one type go
    /// anywhere in their level but their own section, so their departures D
    /// can be matched to the arrivals F exactly when ΣF = ΣD = T and, for
    /// every section, D + F ≤ T (Hall's condition on a complete bipartite
    /// graph without its diagonal).
    pub(super) fn rule_free_transport(
        &self,
        hd: &Handles,
        free: &[bool],
        restricted: &[Vec<Expression>],
        out: &mut Vec<Constraint>,
    ) {
        // Per type: the free departures of each section.
        type Type = (Level, Option<Subject>, [bool; 3], u8);
        let mut departing: BTreeMap<Type, BTreeMap<usize, Expression>> = BTreeMap::new();
        for (p, profile) in self.profiles.iter().enumerate() {
            if free[p] {
                let level = self.sections[profile.section].level;
                departing
                    .entry((level, Some(profile.subject), profile.flags, self.structure_class_of(profile)))
                    .or_default()
                    .entry(profile.section)
                    .or_default()
                    .add_mul(1.0, hd.d[p]);
            }
        }
        let mut arriving: BTreeMap<Type, BTreeMap<usize, Expression>> = BTreeMap::new();
        for (s, row) in hd.a.iter().enumerate() {
            for (i, &(subject, flags, class, a)) in row.iter().enumerate() {
                let share = Expression::from(a) - restricted[s][i].clone();
                arriving.entry((self.sections[s].level, subject, flags, class)).or_default().insert(s, share);
            }
        }
        for (key, shares) in &arriving {
            let supply = departing.get(key);
            let total: Expression = supply.map(|m| m.values().cloned().sum()).unwrap_or_default();
            let all: Expression = shares.values().cloned().sum();
            out.push(named(all.eq(total.clone()), "transport_total"));
            for (&s, share) in shares {
                out.push(named(share.clone().geq(0.0), "transport_share"));
                let own = supply.and_then(|m| m.get(&s)).cloned().unwrap_or_default();
                out.push(named((own + share.clone()).leq(total.clone()), "transport_hall"));
            }
        }
        for (key, supply) in &departing {
            if !arriving.contains_key(key) {
                let total: Expression = supply.values().cloned().sum();
                out.push(named(total.eq(0.0), "transport_total"));
            }
        }
    }

    /// Flow columns for the free profiles (appended after every other
    /// column), linked to their departures and to the free share of the
    /// arrivals; the distance stage reads them.
    pub(super) fn add_free_flows(&self, vars: &mut ProblemVariables, hd: &mut Handles, out: &mut Vec<Constraint>) {
        let mut free_in: BTreeMap<(usize, Kind), Expression> = BTreeMap::new();
        let mut restricted_in: BTreeMap<(usize, Kind), Expression> = BTreeMap::new();
        let free = self.free_profiles();
        for (p, profile) in self.profiles.iter().enumerate() {
            if !free[p] {
                for (j, dest) in profile.destinations.iter().enumerate() {
                    restricted_in
                        .entry((dest.section, self.arrival_kind(dest.section, profile)))
                        .or_default()
                        .add_mul(1.0, hd.x[p][j]);
                }
                continue;
            }
            let n = profile.members.len() as f64;
            let row: Vec<Variable> = profile.destinations.iter().map(|_| vars.add(flow_column(n))).collect();
            let mut sum = Expression::with_capacity(row.len());
            for (dest, &v) in profile.destinations.iter().zip(&row) {
                sum.add_mul(1.0, v);
                free_in.entry((dest.section, self.arrival_kind(dest.section, profile))).or_default().add_mul(1.0, v);
            }
            out.push(named(sum.eq(hd.d[p]), "departures_link"));
            hd.x[p] = row;
        }
        for (s, row) in hd.a.iter().enumerate() {
            for &(subject, flags, class, a) in row {
                let key = (s, (subject, flags, class));
                let flows = free_in.remove(&key).unwrap_or_default() + restricted_in.remove(&key).unwrap_or_default();
                out.push(named(flows.eq(a), "arrivals_link"));
            }
        }
    }

    /// The transport problem left once the departures of every profile and
    /// the arrivals per section and type are fixed: integer flows of least
    /// distance that realise them. Its matrix is a bipartite incidence matrix,
    /// so its LP optimum is already integral.
    /// A profile of one whose flows the stage's plan gives (`pinned`, by
    /// profile) keeps them: its wish or family tie was decided there.
    pub fn build_transport(
        &self,
        departures: &[u32],
        arrivals: &[Vec<Arrival<u32>>],
        pinned: &[Option<Vec<u32>>],
    ) -> StageModel {
        let mut vars = ProblemVariables::new();
        let mut constraints = Vec::new();
        let mut arriving: BTreeMap<(usize, Kind), Expression> = BTreeMap::new();
        let mut x = Vec::with_capacity(self.profiles.len());
        // Only pairs with departures and arrivals get a column (a few
        // thousand instead of 500,000 on a 300-school county): the others
        // share one column fixed at 0.
        let wanted: std::collections::BTreeSet<(usize, Kind)> = arrivals
            .iter()
            .enumerate()
            .flat_map(|(s, row)| {
                row.iter().filter(|a| a.3 > 0).map(move |&(subject, flags, class, _)| (s, (subject, flags, class)))
            })
            .collect();
        let zero = vars.add(variable().min(0.0).max(0.0));
        for (p, profile) in self.profiles.iter().enumerate() {
            let mut sum = Expression::with_capacity(profile.destinations.len());
            let row: Vec<Variable> = profile
                .destinations
                .iter()
                .enumerate()
                .map(|(j, dest)| {
                    let key = (dest.section, self.arrival_kind(dest.section, profile));
                    if departures[p] == 0 || !wanted.contains(&key) {
                        return zero;
                    }
                    let most = profile.members.len() as f64;
                    let v = match pinned.get(p).and_then(|row| row.as_ref()) {
                        Some(row) if row[j] == 0 => return zero,
                        Some(row) => vars.add(variable().integer().min(row[j] as f64).max(row[j] as f64)),
                        None => vars.add(variable().integer().min(0.0).max(most)),
                    };
                    sum.add_mul(1.0, v);
                    arriving.entry(key).or_default().add_mul(1.0, v);
                    v
                })
                .collect();
            if departures[p] > 0 {
                constraints.push(named(sum.eq(departures[p] as f64), "departures_fixed"));
            }
            x.push(row);
        }
        for (s, row) in arrivals.iter().enumerate() {
            for &(subject, flags, class, n) in row {
                if let Some(sum) = arriving.remove(&(s, (subject, flags, class))) {
                    constraints.push(named(sum.eq(n as f64), "arrivals_fixed"));
                } else if n > 0 {
                    // Arrivals no departing profile can make: no moves exist.
                    constraints.push(named(Expression::from(zero).eq(n as f64), "arrivals_fixed"));
                }
            }
        }
        let fixed = |p: usize| Expression::from(departures[p] as f64);
        self.rule_direction(&x, &fixed, &mut constraints);
        let handles = Handles {
            x,
            d: Vec::new(),
            a: Vec::new(),
            h: Vec::new(),
            r: Vec::new(),
            y: Vec::new(),
            units: BTreeMap::new(),
            structure_units: BTreeMap::new(),
            changes: None,
            grants: BTreeMap::new(),
            ordered: false,
            reach: Vec::new(),
        };
        let objective = self.objective_distance(&handles) - self.kept_lines_first(&handles.x, zero);
        StageModel { vars, objective, constraints, handles }
    }
}
