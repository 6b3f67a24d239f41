//! The two-year model of `plan --horizon 2`: this year's instance and next
//! year's in one MILP, next year's figures reading this year's moves.
//!
//! Next year's instance is built on the county one year on without this
//! year's moves (years and ages advanced, retired teachers gone, returns
//! home, teachers on exchange not eligible; see `plan::horizon`). This
//! year's moves reach it in four ways:
//! - every indicator count of next year is its count without this year's
//!   moves plus this year's arrivals minus this year's departures
//!   ([`Carried`], read by `Instance::count`);
//! - this year's profiles are split by where their members are next year
//!   ([`Carry`]), so that next year's departures of a profile are at most
//!   its size minus this year's departures of the same teachers;
//! - next year's eligible count E₂ is the count without this year's moves
//!   minus this year's movers who would be eligible next year, and its
//!   required moves are exact at integer moves: moves₂ ≥ ⌈q·E₂⌉ ⟺
//!   den·moves₂ ≥ num·E₂, moves₂ ≤ ⌈q'·E₂⌉ ⟺ den'·moves₂ ≤ num'·E₂ + den' − 1;
//! - next year's staff quotas and subject floors compare with next year's
//!   figures before its moves, which depend on this year's: each is a
//!   disjunction (after ≤ quota, or no net arrivals; after ≥ need, or no
//!   net departures of the subject) with one binary.

use std::collections::{BTreeMap, HashMap};

use good_lp::{variable, Constraint, Expression, IntoAffineExpression, ProblemVariables};

use crate::domain::{County, Level, Subject};
use crate::rules::eligibility::is_eligible_with;
use crate::rules::rule::Rule;

use super::instance::{indices, Instance, Profile};
use super::{cv_squares_cap, named, Fixed, Handles, Stage, StageModel};

/// What this year's moves carry into next year's counts: per section of
/// next year and teacher indicator, the change (arrivals − departures of
/// this year) and how far it can go (below, above); per level and
/// indicator, how far the counted total can go.
#[derive(Clone, Debug)]
pub struct Carried {
    /// This year's arrivals − departures, per section and indicator.
    pub shift: Vec<[Expression; 3]>,
    /// (most below, most above) of each shift.
    pub range: Vec<[(u32, u32); 3]>,
    /// (most below, most above) of each level's counted total.
    pub total: BTreeMap<(Level, usize), (u32, u32)>,
}

/// Where the members of one of this year's (split) profiles are next year.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Carry {
    /// The teachers leave the roll next year (past the retirement age):
    /// they are not moved this year.
    pub retires: bool,
    /// Eligible next year without this year's moves.
    pub eligible: bool,
    /// Their profile of next year's instance.
    pub profile: Option<usize>,
}

/// Which year's figures a step of the objective reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Year {
    /// This year.
    This = 0,
    /// Next year.
    Next = 1,
}

/// One step of the two-year objective: a stage of one year, or the
/// distance of both (`year` None).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Step {
    /// The year whose figures it reads.
    pub year: Option<Year>,
    /// The stage.
    pub stage: Stage,
}

/// The index of the last Σ CV² step in [`Horizon::steps`].
pub const LAST_CV_STEP: usize = 5;

/// Both years' instances and what links them.
#[derive(Clone, Debug)]
pub struct Horizon<'a> {
    /// This year, its profiles split by [`Carry`].
    pub this: Instance<'a>,
    /// Next year without this year's moves (no subject floors nor quotas of
    /// its own: those rows are written here, reading this year's moves).
    pub next: Instance<'a>,
    /// Per profile of this year.
    pub carry: Vec<Carry>,
    /// This year's section of each of next year's sections.
    pub this_section: Vec<Option<usize>>,
    /// Next year's subject needs per section.
    need: Vec<BTreeMap<Subject, u32>>,
    /// Staff quota of each school.
    quota: Vec<Option<u32>>,
    /// The year read first (the inspection year's).
    pub first: Year,
}

/// A built two-year model.
pub struct JointModel {
    /// The model; its handles are this year's.
    pub model: StageModel,
    /// Next year's handles.
    pub next: Handles,
}

impl<'a> Horizon<'a> {
    /// The two-year instance of `county`, with `next_county` the county one
    /// year on without this year's moves (the same schools; its staff quotas
    /// left out, `quota` taken from `county`).
    pub fn new(county: &'a County, next_county: &'a County) -> Horizon<'a> {
        let mut this = Instance::new(county, Vec::new());
        let mut next = Instance::new(next_county, Vec::new());
        // Both years keep every subject apart: next year's floors read them.
        this.aggregate = true;
        next.aggregate = true;
        next.min_moves = 0;
        let need = next.sections.iter_mut().map(|s| std::mem::take(&mut s.need)).collect();
        let index: HashMap<&str, usize> =
            next_county.teachers.iter().enumerate().map(|(i, t)| (t.id.as_str(), i)).collect();
        let mut profile_of = vec![None; next_county.teachers.len()];
        for (q, p) in next.profiles.iter().enumerate() {
            for &m in &p.members {
                profile_of[m] = Some(q);
            }
        }
        let carry_of = |t: usize| match index.get(county.teachers[t].id.as_str()) {
            None => Carry { retires: true, eligible: false, profile: None },
            Some(&j) => Carry {
                retires: false,
                eligible: is_eligible_with(
                    &next_county.teachers[j],
                    &next_county.policy,
                    next_county.exchange_of(&next_county.teachers[j].id),
                ),
                profile: profile_of[j],
            },
        };
        let singles: Vec<Vec<(usize, usize)>> = this
            .order_groups
            .iter()
            .map(|g| g.ranks.iter().map(|&(p, rank)| (this.profiles[p].members[0], rank)).collect())
            .collect();
        let (profiles, carry) = split_profiles(std::mem::take(&mut this.profiles), carry_of);
        this.profiles = profiles;
        super::voice::renumber_groups(&mut this, &singles);
        let (into, out_of, hire_into) = indices(this.sections.len(), &this.profiles, &this.hire_destinations);
        (this.into, this.out_of, this.hire_into) = (into, out_of, hire_into);
        let this_section = next.sections.iter().map(|s| this.section_of.get(&(s.school, s.level)).copied()).collect();
        let first = if county.policy.inspection_year() > county.policy.year { Year::Next } else { Year::This };
        let quota = county.schools.iter().map(|s| s.staff_quota).collect();
        Horizon { this, next, carry, this_section, need, quota, first }
    }

    /// The steps of the objective: the first year's compliance, shortfall
    /// and Σ CV², the other year's, then the distance of both.
    pub fn steps(&self) -> [Step; 7] {
        let other = if self.first == Year::This { Year::Next } else { Year::This };
        let at = |year, stage| Step { year: Some(year), stage };
        [
            at(self.first, Stage::Compliance),
            at(self.first, Stage::Shortfall),
            at(self.first, Stage::CvSquares),
            at(other, Stage::Compliance),
            at(other, Stage::Shortfall),
            at(other, Stage::CvSquares),
            Step { year: None, stage: Stage::Distance },
        ]
    }

    /// Next year's instance reading this year's moves (`this`).
    pub fn next_after(&self, this: &Handles) -> Instance<'a> {
        let mut next = self.next.clone();
        let sections = next.sections.len();
        let mut carried = Carried {
            shift: vec![[(); 3].map(|_| Expression::from(0.0)); sections],
            range: vec![[(0, 0); 3]; sections],
            total: BTreeMap::new(),
        };
        for (s2, s1) in self.this_section.iter().enumerate() {
            let Some(s1) = *s1 else { continue };
            for k in 0..3 {
                carried.shift[s2][k] =
                    self.this.arrivals(this, s1, |_, f| f[k]) - self.this.departures(this, s1, |_, f| f[k]);
                let before = self.this.sections[s1].before.indicator[k];
                let (lo, hi) = self.this.count_bounds(s1, k);
                carried.range[s2][k] = (before - lo, hi - before);
            }
        }
        for level in Level::BOTH {
            let counted: Vec<usize> = (0..self.this.sections.len())
                .filter(|&s| self.this.sections[s].level == level && self.this.sections[s].counted)
                .collect();
            for k in 0..3 {
                let c0: u32 = counted.iter().map(|&s| self.this.sections[s].before.indicator[k]).sum();
                let (lo, hi) = self.this.total_bounds(level, k, &counted);
                carried.total.insert((level, k), (c0 - lo, hi - c0));
            }
        }
        next.carried = Some(Box::new(carried));
        next
    }

    /// The hard rules of both years alone (a start for the first step).
    pub fn build_feasibility(&self) -> JointModel {
        let mut vars = ProblemVariables::new();
        let (h1, mut out) = self.this.hard_rules_in(&mut vars, true, true);
        let next = self.next_after(&h1);
        let (h2, rows) = next.hard_rules_in(&mut vars, true, true);
        out.extend(rows);
        self.links(&mut vars, &h1, &h2, &mut out);
        let model = StageModel { vars, objective: Expression::from(0.0), constraints: out, handles: h1 };
        JointModel { model, next: h2 }
    }

    /// The model of step `upto` of [`Self::steps`], with the optima of the
    /// steps before fixed (`fixed[year as usize]`).
    pub fn build(&self, upto: usize, fixed: &[Fixed; 2]) -> JointModel {
        let steps = self.steps();
        let step = steps[upto];
        let hall = step.stage != Stage::Distance;
        let mut vars = ProblemVariables::new();
        let (mut h1, mut out) = self.this.hard_rules_in(&mut vars, hall, true);
        let next = self.next_after(&h1);
        let (mut h2, rows) = next.hard_rules_in(&mut vars, hall, true);
        out.extend(rows);
        self.links(&mut vars, &h1, &h2, &mut out);
        let mut objective = Expression::from(0.0);
        // The first year's terms first: each step's columns then start with
        // the columns of the step before (its plan starts a compliance step).
        let other = if self.first == Year::This { Year::Next } else { Year::This };
        for year in [self.first, other] {
            let Some(last) = steps[..=upto].iter().filter(|s| s.year == Some(year)).map(|s| s.stage).max() else {
                continue;
            };
            let (inst, hd) = match year {
                Year::This => (&self.this, &mut h1),
                Year::Next => (&next, &mut h2),
            };
            let term = stage_terms(inst, &mut vars, hd, &mut out, last, &fixed[year as usize]);
            if step.year == Some(year) {
                objective = term;
            }
        }
        if step.stage == Stage::Distance {
            self.this.add_free_flows(&mut vars, &mut h1, &mut out);
            next.add_free_flows(&mut vars, &mut h2, &mut out);
            objective = self.this.objective_distance(&h1) + next.objective_distance(&h2);
        }
        let model = StageModel { vars, objective, constraints: out, handles: h1 };
        JointModel { model, next: h2 }
    }

    /// Pins the indicator counts of every counted section of both years
    /// (`counts[year as usize]`), as [`Instance::pin_counts`] does for one.
    pub fn pin_counts(&self, joint: &mut JointModel, counts: &[Vec<[u32; 3]>; 2]) {
        let next = self.next_after(&joint.model.handles);
        let years = [(&self.this, &joint.model.handles), (&next, &joint.next)];
        for ((inst, hd), counts) in years.into_iter().zip(counts) {
            for (&(s, k), (_, units)) in &hd.units {
                if !units.is_empty() {
                    let c = inst.count(hd, s, k);
                    joint.model.constraints.push(named(c.eq(counts[s][k] as f64), "pinned_count"));
                }
            }
        }
    }

    /// The indicator counts of both years' sections in a solution.
    pub fn counts_of(
        &self,
        h1: &Handles,
        h2: &Handles,
        value: impl Fn(good_lp::Variable) -> f64,
    ) -> [Vec<[u32; 3]>; 2] {
        let next = self.next_after(h1);
        [self.this.counts_of(h1, &value), next.counts_of(h2, &value)]
    }

    /// The model of the last Σ CV² step with both years' optima fixed, to
    /// search for counts other than `seen` that reach them (see
    /// `Instance::count_search`): each count's unit columns in order, and at
    /// least one count of either year differing from each of `seen`.
    pub fn count_search(&self, fixed: &[Fixed; 2], seen: &[[Vec<[u32; 3]>; 2]]) -> JointModel {
        let mut joint = self.build(LAST_CV_STEP, fixed);
        for hd in [&joint.model.handles, &joint.next] {
            for (_, units) in hd.units.values() {
                for pair in units.windows(2) {
                    let row = Expression::from(pair[0]).geq(pair[1]);
                    joint.model.constraints.push(named(row, "excluded_counts"));
                }
            }
        }
        for counts in seen {
            let mut differ = Expression::with_capacity(64);
            let units: Vec<_> = [&joint.model.handles, &joint.next]
                .into_iter()
                .zip(counts)
                .flat_map(|(hd, c)| {
                    hd.units.iter().map(move |(&(s, k), (lo, u))| (c[s][k].saturating_sub(*lo) as usize, u.clone()))
                })
                .collect();
            for (at, units) in units {
                let mut binary = |u: good_lp::Variable| {
                    let b = joint.model.vars.add(variable().binary());
                    joint.model.constraints.push(named(Expression::from(b).eq(u), "excluded_counts"));
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
            joint.model.constraints.push(named(differ.geq(1.0), "excluded_counts"));
        }
        joint
    }

    /// The values, at a plan (`value`, with the handles of its model), of
    /// the shortfall columns that `year`'s shortfall step adds, in the order
    /// it adds them: a shortfall step starts from the plan of the step
    /// before with these.
    pub fn shortfall_values(
        &self,
        year: Year,
        (h1, h2): (&Handles, &Handles),
        value: impl Fn(good_lp::Variable) -> f64,
    ) -> Vec<f64> {
        let next;
        let (inst, hd) = match year {
            Year::This => (&self.this, h1),
            Year::Next => {
                next = self.next_after(h1);
                (&next, h2)
            }
        };
        let mut out = Vec::new();
        for (s, sec) in inst.sections.iter().enumerate().filter(|(_, sec)| sec.counted) {
            for k in 0..3 {
                let full = sec.thresholds[k].full as f64;
                if full > 0.0 {
                    let c = inst.count(hd, s, k);
                    let at = c.constant() + c.linear_coefficients().map(|(v, x)| x * value(v)).sum::<f64>();
                    out.push((full - at.round()).max(0.0));
                }
            }
        }
        out
    }

    /// The cutoff of a [`Self::count_search`] model: the fixed Σ CV² of the
    /// year its objective reads, in the solver's terms.
    pub fn search_cutoff(&self, fixed: &[Fixed; 2], search: &JointModel) -> Option<f64> {
        let year = self.steps()[LAST_CV_STEP].year.map_or(0, |y| y as usize);
        fixed[year].cv_squares.map(|w| cv_squares_cap(w) - search.model.objective.constant())
    }

    /// The rows that link next year to this year's moves.
    fn links(&self, vars: &mut ProblemVariables, h1: &Handles, h2: &Handles, out: &mut Vec<Constraint>) {
        // Rule 1: each teacher moves at most once in the two years; a
        // teacher past the retirement age next year is not moved this year.
        let mut moved_before: BTreeMap<usize, Expression> = BTreeMap::new();
        let mut movers_eligible = Expression::with_capacity(self.carry.len());
        for (p, carry) in self.carry.iter().enumerate() {
            if carry.retires {
                out.push(named(Expression::from(h1.d[p]).eq(0.0), &Rule::MoveOnce.row("retires")));
            }
            if let Some(q) = carry.profile {
                moved_before.entry(q).or_default().add_mul(1.0, h1.d[p]);
            }
            // E₂ counts class teachers only unless principals.count_in_teachers.
            if carry.eligible && self.this.in_teachers_share(p) {
                movers_eligible.add_mul(1.0, h1.d[p]);
            }
        }
        for (q, moved) in moved_before {
            let size = self.next.profiles[q].members.len() as f64;
            out.push(named((moved + h2.d[q]).leq(size), &Rule::MoveOnce.row("next_year")));
        }
        // Rule 3 of next year on E₂ = E₂ without this year's moves − movers eligible next year.
        let e2 = Expression::from(self.next.eligible as f64) - movers_eligible;
        let moves2 = self.next.total_moves(h2);
        let policy = &self.next.county.policy.rotation;
        let (a, b) = (*policy.min_share.numer() as f64, *policy.min_share.denom() as f64);
        out.push(named((moves2.clone() * b - e2.clone() * a).geq(0.0), &Rule::RotationShare.row("next_year")));
        let (a, b) = (*policy.max_share.numer() as f64, *policy.max_share.denom() as f64);
        out.push(named((moves2 * b - e2 * a).leq(b - 1.0), &Rule::RotationShare.row("next_year")));
        self.next_quotas(vars, h1, h2, out);
        self.next_floors(vars, h1, h2, out);
    }

    /// Rule 5 of next year: headcount ≤ max(quota, headcount before next
    /// year's moves), that is after ≤ quota or no net arrivals.
    fn next_quotas(&self, vars: &mut ProblemVariables, h1: &Handles, h2: &Handles, out: &mut Vec<Constraint>) {
        let (this, next) = (&self.this, &self.next);
        let big = (next.county.teachers.len() + this.county.teachers.len()) as f64;
        let mut nets: BTreeMap<usize, (Expression, Expression, bool)> = BTreeMap::new();
        for (s2, sec) in next.sections.iter().enumerate() {
            let entry = nets.entry(sec.school).or_default();
            if !(next.out_of[s2].is_empty() && next.into[s2].is_empty()) || next.touched_by_returns(s2) {
                entry.2 = true;
                entry.1 += next.arrivals(h2, s2, |_, _| true) - next.departures(h2, s2, |_, _| true);
                // Next year's returns from exchange count in next year's headcount.
                entry.1 += next.returning(h2, s2, |_| true);
            }
            if let Some(s1) = self.this_section[s2] {
                entry.0 += this.arrivals(h1, s1, |_, _| true) - this.departures(h1, s1, |_, _| true);
            }
        }
        for (school, (net1, net2, moves)) in nets {
            let Some(quota) = self.quota[school] else { continue };
            if !moves {
                continue;
            }
            let before = net1 + next.headcount_before[school] as f64;
            let over = vars.add(variable().binary());
            let name = Rule::StaffQuota.row(&format!("{}:next_year", next.county.schools[school].id));
            let mut after = before + net2.clone();
            after.add_mul(-big, over);
            out.push(named(after.leq(quota as f64), &name));
            let mut grow = net2;
            grow.add_mul(big, over);
            out.push(named(grow.leq(big), &name));
        }
    }

    /// Rule 6 of next year: per section and subject, teachers after ≥
    /// min(before next year's moves, need), that is after ≥ need or no net
    /// departures of the subject.
    fn next_floors(&self, vars: &mut ProblemVariables, h1: &Handles, h2: &Handles, out: &mut Vec<Constraint>) {
        let (this, next) = (&self.this, &self.next);
        for (s2, sec) in next.sections.iter().enumerate() {
            for (&subject, &need) in &self.need[s2] {
                let returns_out = next
                    .returns
                    .iter()
                    .filter(|r| r.host_section == Some(s2) && r.full_time && r.subject == subject)
                    .count();
                let leaving: usize = next.out_of[s2]
                    .iter()
                    .filter(|&&q| next.profiles[q].subject == subject)
                    .map(|&q| next.profiles[q].members.len())
                    .sum::<usize>()
                    + returns_out;
                if leaving == 0 {
                    continue;
                }
                let mut before = Expression::from(sec.subjects_before.get(&subject).copied().unwrap_or(0) as f64);
                if let Some(s1) = self.this_section[s2] {
                    before += this.arrivals(h1, s1, |t, _| t == Some(subject));
                    before -= this.departures(h1, s1, |t, _| t == subject);
                }
                let net2 = next.arrivals(h2, s2, |t, _| t == Some(subject))
                    - next.departures(h2, s2, |t, _| t == subject)
                    + next.returning(h2, s2, |r| r.full_time && r.subject == subject);
                let place =
                    format!("{}:{}:{}:next_year", next.county.schools[sec.school].id, sec.level.word(), subject.word());
                let name = Rule::SubjectFloor.row(&place);
                let short = vars.add(variable().binary());
                let mut reach = before + net2.clone();
                reach.add_mul(need as f64, short);
                out.push(named(reach.geq(need as f64), &name));
                let mut keep = net2;
                keep.add_mul(-(leaving as f64), short);
                out.push(named(keep.geq(-(leaving as f64)), &name));
            }
        }
    }
}

/// The terms of one year's stages up to `last`, with its fixed optima as
/// rows; returns the term of `last`.
fn stage_terms(
    inst: &Instance,
    vars: &mut ProblemVariables,
    hd: &mut Handles,
    out: &mut Vec<Constraint>,
    last: Stage,
    fixed: &Fixed,
) -> Expression {
    let compliant = inst.objective_compliance(vars, hd, out);
    let mut term = -compliant.clone();
    if let Some(y) = fixed.compliant {
        out.push(named(compliant.geq(y as f64), "fixed_compliance"));
    }
    if last >= Stage::Shortfall {
        let shortfall = inst.objective_shortfall(vars, hd, out);
        if let Some(sf) = fixed.shortfall {
            out.push(named(shortfall.clone().leq(sf as f64), "fixed_shortfall"));
        }
        term = shortfall;
    }
    if last >= Stage::CvSquares {
        let cap = fixed.cv_squares.map(cv_squares_cap);
        let cv = inst.objective_cv_squares(vars, hd, out, cap);
        if let Some(cap) = cap {
            out.push(named(cv.clone().leq(cap), "fixed_cv_squares"));
        }
        term = cv;
    }
    term
}

/// Splits each profile by where its members are next year (members keep
/// their order); returns the profiles and the [`Carry`] of each.
fn split_profiles(profiles: Vec<Profile>, carry_of: impl Fn(usize) -> Carry) -> (Vec<Profile>, Vec<Carry>) {
    let mut out = Vec::with_capacity(profiles.len());
    let mut carry = Vec::with_capacity(profiles.len());
    for profile in profiles {
        let mut parts: BTreeMap<Carry, Vec<usize>> = BTreeMap::new();
        for &m in &profile.members {
            parts.entry(carry_of(m)).or_default().push(m);
        }
        for (c, members) in parts {
            out.push(Profile { members, ..profile.clone() });
            carry.push(c);
        }
    }
    (out, carry)
}
