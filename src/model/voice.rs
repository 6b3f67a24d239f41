//! The teachers' voice in the model: the published order within a group of
//! interchangeable teachers (`priority` rows), family ties (`family` rows),
//! and the terms of the stages after Σ CV²: the fewest non-volunteers moved,
//! the most volunteers moved, the most moves granted at each wish.
//!
//! A group is the unlocked eligible teachers of one section with one
//! subject and one set of indicator flags, in the published order
//! ([`crate::rules::priority::order`]). The movers of a group are always the
//! first F of that order, F its departures: so who moves is decided by the
//! order, and only how many by the objective. Members with wishes (and a
//! published list's movers in `replan`) are profiles of one, each held to
//! its place in the order by two rows; the others stay one aggregated
//! profile whose first members move. Members of a family tie are profiles
//! of one outside the order (the tie may hold them).

use std::collections::{BTreeMap, BTreeSet};

use good_lp::{variable, Expression, ProblemVariables, Variable};

use crate::domain::applications::{FamilyRule, MAX_WISHES};
use crate::rules::distance::Distances;
use crate::rules::priority;
use crate::rules::rule::Rule;

use super::instance::{Instance, Profile, ProfileLock};
use super::{named, Handles};

/// One group of interchangeable teachers in the published order.
#[derive(Clone, Debug, Default)]
pub struct OrderGroup {
    /// Its teachers (indices), first to move first.
    pub members: Vec<usize>,
    /// How many of them volunteer (they come first).
    pub volunteers: usize,
    /// Its profiles: the aggregated rest (if any) and the profiles of one.
    pub profiles: Vec<usize>,
    /// Each profile of one with its teacher's place in the order (1-based).
    pub ranks: Vec<(usize, usize)>,
}

/// The expressions of the voice stages.
pub struct VoiceTerms {
    /// Non-volunteers moved.
    pub forced: Expression,
    /// Volunteers moved.
    pub volunteers: Expression,
    /// Moves granted at wish 1 … 5.
    pub wishes: [Expression; MAX_WISHES],
}

/// The teachers that are profiles of one outside any order: members of a
/// family tie.
pub(super) fn family_members(county: &crate::domain::County) -> BTreeSet<usize> {
    let index: BTreeMap<&str, usize> = county.teachers.iter().enumerate().map(|(i, t)| (t.id.as_str(), i)).collect();
    county
        .family
        .iter()
        .flat_map(|tie| [tie.teacher_a.as_str(), tie.teacher_b.as_str()])
        .filter_map(|id| index.get(id).copied())
        .collect()
}

/// The profiles of the unlocked groups: each group in the published order,
/// its members with wishes and the `singles` as profiles of one, the rest
/// one profile. Pushes onto `profiles` and returns the groups.
pub(super) fn order_profiles(
    county: &crate::domain::County,
    groups: BTreeMap<super::instance::GroupKey, Vec<usize>>,
    singles: &BTreeSet<usize>,
    destinations: impl Fn(usize) -> Vec<super::Destination>,
    profiles: &mut Vec<Profile>,
) -> Vec<OrderGroup> {
    let keys = priority::keys(county);
    let wishes = |t: usize| county.application_of(&county.teachers[t].id).is_some_and(|a| !a.wishes.is_empty());
    let mut out = Vec::new();
    for ((section, subject, flags, role), mut members) in groups {
        members.sort_by(|&a, &b| priority::order(county, &keys, a, b));
        let destinations = destinations(section);
        let mut group =
            OrderGroup { volunteers: members.iter().filter(|&&m| keys[m].volunteer).count(), ..OrderGroup::default() };
        let (apart, rest): (Vec<usize>, Vec<usize>) = members.iter().partition(|&&m| singles.contains(&m) || wishes(m));
        // With the structure stage, one profile per structure class (each
        // in the order); the `priority` rows hold the order across them.
        let mut by_class: BTreeMap<u8, Vec<usize>> = BTreeMap::new();
        for m in rest {
            by_class.entry(super::structure::teacher_class(county, m)).or_default().push(m);
        }
        for (_, members) in by_class {
            group.profiles.push(profiles.len());
            let lock = ProfileLock::None;
            let dests = destinations.clone();
            profiles.push(Profile { section, subject, flags, role, members, lock, destinations: dests, single: false });
        }
        for t in apart {
            let rank = members.iter().position(|&m| m == t).unwrap_or(0) + 1;
            group.profiles.push(profiles.len());
            group.ranks.push((profiles.len(), rank));
            let single = wishes(t);
            let (lock, dests) = (ProfileLock::None, destinations.clone());
            let members = vec![t];
            profiles.push(Profile { section, subject, flags, role, members, lock, destinations: dests, single });
        }
        group.members = members;
        out.push(group);
    }
    out
}

/// The groups' profiles after the profiles were split (a two-year plan
/// splits them by where their members are next year): `singles` gives each
/// group's profiles of one by teacher, with their places.
pub(super) fn renumber_groups(inst: &mut Instance, singles: &[Vec<(usize, usize)>]) {
    let mut profile_of = BTreeMap::new();
    for (p, profile) in inst.profiles.iter().enumerate() {
        for &m in &profile.members {
            profile_of.insert(m, p);
        }
    }
    for (group, singles) in inst.order_groups.iter_mut().zip(singles) {
        let mut profiles: Vec<usize> = group.members.iter().filter_map(|m| profile_of.get(m).copied()).collect();
        profiles.sort_unstable();
        profiles.dedup();
        group.profiles = profiles;
        group.ranks = singles.iter().filter_map(|&(t, rank)| Some((*profile_of.get(&t)?, rank))).collect();
    }
}

impl Instance<'_> {
    /// Whether the plan has the voice stages: some teacher who may move
    /// volunteers or has wishes (an applications.csv of "no" rows without
    /// wishes, or of teachers who may not move, plans as without one).
    pub fn has_voice_stages(&self) -> bool {
        let county = self.county;
        county.has_applications()
            && self.profiles.iter().flat_map(|p| &p.members).any(|&t| {
                county.application_of(&county.teachers[t].id).is_some_and(|a| a.volunteer || !a.wishes.is_empty())
            })
    }

    /// The stages of this instance's plan: the four of SPEC §4, the subject
    /// gaps after the shortfall (unless `objective.subject_gaps = false`), and with
    /// applications the voice stages between Σ CV² and distance (those with
    /// nothing to count left out).
    pub fn stages(&self) -> Vec<super::Stage> {
        use super::Stage;
        let mut stages = vec![Stage::Compliance, Stage::Shortfall];
        if self.has_gaps_stage() {
            stages.push(Stage::SubjectGaps);
        }
        stages.push(Stage::CvSquares);
        if self.structure_on() {
            stages.push(Stage::Structure);
        }
        if self.has_voice_stages() {
            let county = self.county;
            let volunteer = self
                .profiles
                .iter()
                .flat_map(|p| &p.members)
                .any(|&t| priority::volunteers(county, &county.teachers[t]));
            stages.push(Stage::Forced);
            if volunteer {
                stages.push(Stage::Volunteers);
            }
            stages.extend((1..=self.wish_ranks() as u8).map(Stage::Wish));
        }
        stages.push(Stage::Distance);
        stages
    }

    /// The wish stages worth running: 1 … the most wishes an applicant in
    /// the model listed.
    pub fn wish_ranks(&self) -> usize {
        let county = self.county;
        self.profiles
            .iter()
            .filter(|p| p.members.len() == 1)
            .filter_map(|p| county.application_of(&county.teachers[p.members[0]].id))
            .map(|a| a.wishes.len().min(MAX_WISHES))
            .max()
            .unwrap_or(0)
    }

    /// The published order (`priority` rows): in each group, the profile of
    /// one at place k moves exactly when the group's departures F reach k:
    /// F ≥ k·d and F ≤ k − 1 + (n − k + 1)·d. Where the others are split
    /// over several profiles (a two-year plan splits them by next year),
    /// each member of those gets a binary z held the same way, and each
    /// profile's departures are the sum of its members' z.
    pub(super) fn rule_priority(&self, vars: &mut ProblemVariables, hd: &Handles, out: &mut Vec<good_lp::Constraint>) {
        for group in &self.order_groups {
            let parts: Vec<usize> =
                group.profiles.iter().copied().filter(|p| !group.ranks.iter().any(|r| r.0 == *p)).collect();
            if (group.ranks.is_empty() && parts.len() < 2) || group.members.len() < 2 {
                continue;
            }
            let n = group.members.len() as f64;
            let mut total = Expression::with_capacity(group.profiles.len());
            for &p in &group.profiles {
                total.add_mul(1.0, hd.d[p]);
            }
            let mut hold = |moves: Expression, rank: usize, id: &str| {
                let k = rank as f64;
                let row = Rule::Priority.row(id);
                out.push(named((total.clone() - k * moves.clone()).geq(0.0), &row));
                out.push(named((total.clone() - (n - k + 1.0) * moves).leq(k - 1.0), &row));
            };
            for &(p, rank) in &group.ranks {
                hold(Expression::from(hd.d[p]), rank, &self.county.teachers[self.profiles[p].members[0]].id);
            }
            if parts.len() >= 2 {
                self.order_by_runs(vars, hd, group, out);
            }
        }
    }

    /// The order of a group whose members are split over several profiles:
    /// along the order, each run of members of one profile moves y of its
    /// L members, and a run has movers only when the run before it all
    /// moves (a binary per run). Each profile's departures are its runs' y.
    fn order_by_runs(
        &self,
        vars: &mut ProblemVariables,
        hd: &Handles,
        group: &OrderGroup,
        out: &mut Vec<good_lp::Constraint>,
    ) {
        let mut profile_of = BTreeMap::new();
        for &p in &group.profiles {
            for &m in &self.profiles[p].members {
                profile_of.insert(m, p);
            }
        }
        let mut runs: Vec<(usize, usize)> = Vec::new();
        for m in &group.members {
            let Some(&p) = profile_of.get(m) else { continue };
            match runs.last_mut() {
                Some((q, len)) if *q == p => *len += 1,
                _ => runs.push((p, 1)),
            }
        }
        let row = Rule::Priority.row(&self.county.teachers[group.members[0]].id);
        let mut departures: BTreeMap<usize, Expression> = BTreeMap::new();
        let mut before: Option<(Variable, f64)> = None;
        for &(p, len) in &runs {
            let len = len as f64;
            let y = vars.add(variable().integer().min(0.0).max(len));
            if let Some((y0, len0)) = before {
                let full = vars.add(variable().binary());
                out.push(named((Expression::from(y) - len * full).leq(0.0), &row));
                out.push(named((Expression::from(y0) - len0 * full).geq(0.0), &row));
            }
            departures.entry(p).or_default().add_mul(1.0, y);
            before = Some((y, len));
        }
        for (p, sum) in departures {
            out.push(named((sum - hd.d[p]).eq(0.0), &row));
        }
    }

    /// Where teacher `t` may be after the plan: (school, 1 or the column
    /// that puts them there). A profile of one stays or goes to one of its
    /// destinations; a due return goes home (or, optional, by its binary);
    /// anyone else stays.
    fn placements(&self, hd: &Handles, t: usize) -> Vec<(usize, Expression)> {
        if let Some((r, ret)) = self.returns.iter().enumerate().find(|(_, r)| r.teacher == t) {
            return match hd.r[r] {
                None => vec![(ret.home, Expression::from(1.0))],
                Some(v) => vec![(ret.home, Expression::from(v)), (ret.host, 1.0 - Expression::from(v))],
            };
        }
        let own = self.county.school_pos(&self.county.teachers[t].school_id).unwrap_or(0);
        let Some(p) = self.profiles.iter().position(|p| p.members == [t]) else {
            return vec![(own, Expression::from(1.0))];
        };
        let mut out = vec![(own, 1.0 - Expression::from(hd.d[p]))];
        for (dest, &v) in self.profiles[p].destinations.iter().zip(&hd.x[p]) {
            out.push((self.sections[dest.section].school, Expression::from(v)));
        }
        out
    }

    /// Family ties (`family` rows): for each school teacher a may be at,
    /// being there implies teacher b is at a school the tie allows with it.
    pub(super) fn rule_family(&self, hd: &Handles, out: &mut Vec<good_lp::Constraint>) {
        let county = self.county;
        if county.family.is_empty() {
            return;
        }
        let distances = Distances::new(county);
        let index: BTreeMap<&str, usize> =
            county.teachers.iter().enumerate().map(|(i, t)| (t.id.as_str(), i)).collect();
        for tie in &county.family {
            let (Some(&a), Some(&b)) = (index.get(tie.teacher_a.as_str()), index.get(tie.teacher_b.as_str())) else {
                continue;
            };
            let allowed = |s: usize, s2: usize| match tie.rule {
                FamilyRule::SameTown => county.schools[s].town == county.schools[s2].town,
                FamilyRule::WithinKm(km) => s == s2 || distances.km(s, s2).is_some_and(|d| d <= km + 1e-9),
            };
            let row = Rule::Family.row(&format!("{}-{}", tie.teacher_a, tie.teacher_b));
            let at_b = self.placements(hd, b);
            for (s, there) in self.placements(hd, a) {
                let mut with = Expression::with_capacity(at_b.len());
                for (s2, e) in &at_b {
                    if allowed(s, *s2) {
                        with += e.clone();
                    }
                }
                out.push(named((there - with).leq(0.0), &row));
            }
        }
    }

    /// The terms of the voice stages, with their columns and rows: per
    /// group, volunteers moved min(F, V) and non-volunteers max(0, F − V)
    /// (volunteers come first); profiles outside the order count by their
    /// teacher; wishes by the flows of profiles of one.
    pub(super) fn voice_terms(
        &self,
        vars: &mut ProblemVariables,
        hd: &Handles,
        out: &mut Vec<good_lp::Constraint>,
    ) -> VoiceTerms {
        let county = self.county;
        let mut forced = Expression::with_capacity(self.profiles.len());
        let mut volunteers = Expression::with_capacity(self.profiles.len());
        let mut in_group = vec![false; self.profiles.len()];
        for group in &self.order_groups {
            let mut total = Expression::with_capacity(group.profiles.len());
            for &p in &group.profiles {
                in_group[p] = true;
                total.add_mul(1.0, hd.d[p]);
            }
            let (v, n) = (group.volunteers as f64, group.members.len() as f64);
            if group.volunteers == 0 {
                forced += total;
            } else if group.volunteers == group.members.len() {
                volunteers += total;
            } else {
                let moved: Variable = vars.add(variable().min(0.0).max(v));
                let pushed: Variable = vars.add(variable().min(0.0).max(n - v));
                out.push(named((Expression::from(moved) - total.clone()).leq(0.0), "voice_volunteers"));
                out.push(named((total - pushed).leq(v), "voice_forced"));
                volunteers.add_mul(1.0, moved);
                forced.add_mul(1.0, pushed);
            }
        }
        for (p, profile) in self.profiles.iter().enumerate() {
            if in_group[p] {
                continue;
            }
            for &t in &profile.members {
                if priority::volunteers(county, &county.teachers[t]) {
                    volunteers.add_mul(1.0 / profile.members.len() as f64, hd.d[p]);
                } else {
                    forced.add_mul(1.0 / profile.members.len() as f64, hd.d[p]);
                }
            }
        }
        VoiceTerms { forced, volunteers, wishes: self.wish_terms(hd) }
    }

    /// The most teachers the non-volunteers' term (`volunteer` false) or
    /// the volunteers' term of [`Instance::voice_terms`] can count, as it
    /// counts them: per group the members on that side, outside the
    /// groups each teacher of a profile.
    pub(super) fn order_side(&self, volunteer: bool) -> u64 {
        let county = self.county;
        let mut in_group = vec![false; self.profiles.len()];
        let mut most = 0;
        for group in &self.order_groups {
            for &p in &group.profiles {
                in_group[p] = true;
            }
            most += if volunteer { group.volunteers } else { group.members.len() - group.volunteers };
        }
        let outside = self.profiles.iter().enumerate().filter(|&(p, _)| !in_group[p]).flat_map(|(_, p)| &p.members);
        most += outside.filter(|&&t| priority::volunteers(county, &county.teachers[t]) == volunteer).count();
        most as u64
    }

    /// Moves granted at each wish: the flows of profiles of one to the
    /// schools their teacher wished for.
    fn wish_terms(&self, hd: &Handles) -> [Expression; MAX_WISHES] {
        let county = self.county;
        let mut wishes: [Expression; MAX_WISHES] = Default::default();
        for (p, profile) in self.profiles.iter().enumerate() {
            let [t] = profile.members[..] else { continue };
            let Some(app) = county.application_of(&county.teachers[t].id) else { continue };
            for (rank, school) in app.wishes.iter().take(MAX_WISHES).enumerate() {
                let Some(pos) = county.school_pos(school) else { continue };
                for (dest, &v) in profile.destinations.iter().zip(&hd.x[p]) {
                    if self.sections[dest.section].school == pos {
                        wishes[rank].add_mul(1.0, v);
                    }
                }
            }
        }
        wishes
    }

    /// Most wishes of rank `k` (1-based) a plan can grant: the profiles of
    /// one whose teacher's application names a school of the county at
    /// that rank (each moves at most once).
    pub(super) fn most_granted(&self, k: u8) -> u32 {
        let county = self.county;
        let rank = usize::from(k).saturating_sub(1);
        let grants = |profile: &super::instance::Profile| {
            let [t] = profile.members[..] else { return false };
            let wish = county.application_of(&county.teachers[t].id).and_then(|a| a.wishes.get(rank));
            wish.is_some_and(|school| county.school_pos(school).is_some())
        };
        self.profiles.iter().filter(|p| grants(p)).count() as u32
    }

    /// The voice terms in a stage after Σ CV²: the earlier voice optima
    /// fixed, and the objective (minimised) of `group` when it is of voice
    /// stages: each stage's term weighted by [`Instance::signed_weights`].
    pub(super) fn voice_objective(
        &self,
        group: &[super::Stage],
        fixed: &super::Fixed,
        vars: &mut ProblemVariables,
        hd: &Handles,
        out: &mut Vec<good_lp::Constraint>,
    ) -> Option<Expression> {
        let terms = self.voice_terms(vars, hd, out);
        if let Some(most) = fixed.forced {
            out.push(named(terms.forced.clone().leq(most as f64 + 0.5), "fixed_forced"));
        }
        if let Some(least) = fixed.volunteers {
            out.push(named(terms.volunteers.clone().geq(least as f64 - 0.5), "fixed_volunteers"));
        }
        for (rank, least) in fixed.wishes.iter().enumerate() {
            if let Some(least) = least {
                out.push(named(terms.wishes[rank].clone().geq(*least as f64 - 0.5), "fixed_wish"));
            }
        }
        let mut objective: Option<Expression> = None;
        for (&stage, weight) in group.iter().zip(self.signed_weights(group)) {
            let term = match stage {
                super::Stage::Forced => &terms.forced,
                super::Stage::Volunteers => &terms.volunteers,
                super::Stage::Wish(k) => &terms.wishes[usize::from(k.clamp(1, 5)) - 1],
                _ => continue,
            };
            objective.get_or_insert_with(|| Expression::with_capacity(hd.x.len())).add_mul(weight, term.clone());
        }
        objective
    }
}
