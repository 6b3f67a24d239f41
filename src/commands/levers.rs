//! `levers`: the least-cost mix of new hires, in-service degree upgrades
//! and county backbone designations that, with this year's rotation,
//! reaches the best score a budget allows — the hires search's score: the
//! counted sections that comply plus the teacher CVs within their limits.
//! `hires` is its hires-only case (`levers` with upgrades and designations
//! that cost more than the budget gives the same answer).

use std::time::Instant;

use crate::commands::hires::{candidates, diagnosis, place_hires, Clock, MOST_SEARCHED};
use crate::domain::changes::{HireGroup, Lever};
use crate::domain::{County, Level, Subject};
use crate::error::{Error, InputProblem, Text};
use crate::model::levers::{grants_of, LeverCosts};
use crate::model::{Handles, Instance};
use crate::plan::{capacity_conflicts, plan, Diagnosis, Outcome, Plan, PlanOptions, Progress};
use crate::render::levers::{levers_html, levers_table, levers_terminal, LeverKind, LeverLine, LeverTotals};
use crate::render::output::{json_bytes, plan_files, plan_summary, rotations_table, schools_table, OutputFiles};
use crate::render::terminal::{still_failing_line, still_failing_record};
use crate::render::words::Phrase;
use crate::render::xlsx::plan_workbook_with;
use crate::render::Lang;
use crate::solve::{minimise, StageOutcome, StageStatus};
use serde_json::json;

/// Upgrades or designations of one section, with the teachers named.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Grant {
    /// School position.
    pub school: usize,
    /// Section.
    pub level: Level,
    /// Which lever.
    pub lever: Lever,
    /// The teachers changed: those the plan keeps at the section, in the
    /// order of [`name_teachers`].
    pub teacher_ids: Vec<String>,
}

/// The result of a levers search.
pub struct LeversSearch {
    /// The county with the upgrades and designations made (the plan's county).
    pub county: County,
    /// The plan with the hires placed.
    pub plan: Plan,
    /// The costs per unit (policy `[levers]`).
    pub costs: LeverCosts,
    /// The budget, in the same unit.
    pub budget: u64,
    /// Most hires considered (`--max`).
    pub max_hires: u32,
    /// Hires chosen.
    pub hires: u32,
    /// Upgrades and designations, by section.
    pub grants: Vec<Grant>,
    /// The score the search reached (sections and CVs).
    pub score: u32,
    /// What the levers cost.
    pub cost: u64,
    /// Whether every counted section complies and every CV is within its limit.
    pub target_reached: bool,
    /// Whether the score is proven the best within the budget and the cost
    /// the least for it.
    pub minimal: bool,
    /// What still fails.
    pub still_failing: Vec<crate::explain::StillFailing>,
    /// Phase statuses: (name, status, seconds).
    pub phases: Vec<(String, String, f64)>,
}

impl LeversSearch {
    /// Upgrades (or designations) in all.
    pub fn count(&self, lever: Lever) -> usize {
        self.grants.iter().filter(|g| g.lever == lever).map(|g| g.teacher_ids.len()).sum()
    }
}

/// Outcome of a levers search.
#[allow(clippy::large_enum_variant)]
pub enum LeversOutcome {
    /// A plan.
    Found(LeversSearch),
    /// The rotation rules cannot hold at all.
    Infeasible(Diagnosis),
}

/// The largest budget: far above any county's year (a thousand hires at
/// the highest cost would be 10⁹).
pub const MOST_BUDGET: u64 = 1_000_000_000;

/// Searches for the least-cost levers within `budget` (default: the cost
/// of `max` hires) with at most `max` hires of the given subjects.
pub fn search(
    county: &County,
    max: u32,
    budget: Option<u64>,
    subjects: &[Subject],
    options: &PlanOptions,
) -> Result<LeversOutcome, Error> {
    let clock = Clock { options, start: Instant::now() };
    check_limits(max, budget)?;
    let p = &county.policy.levers;
    let costs = LeverCosts { hire: p.hire, upgrade: p.upgrade, designate: p.designate };
    let budget = budget.unwrap_or(u64::from(max) * u64::from(costs.hire));
    let mut inst = Instance::new(county, candidates(county, subjects, max));
    inst.hire_budget = Some(max);
    let most = |cost: u32| u32::try_from(budget / u64::from(cost.max(1))).unwrap_or(u32::MAX);
    inst.lever_room = Some(inst.lever_room_of([most(costs.upgrade), most(costs.designate)]));
    let conflicts = capacity_conflicts(&inst);
    if !conflicts.is_empty() {
        return Ok(LeversOutcome::Infeasible(diagnosis(inst, conflicts)));
    }
    clock.note(Progress::LeversStandingStarted);
    let model = inst.build_levers(costs, budget, None);
    let handles = model.handles.clone();
    let reachable = handles.y.iter().flatten().count() + within_count(&inst);
    let phase1 = minimise(model.vars, model.objective, model.constraints, clock.solve_options(0.4), None)?;
    if phase1.status == StageStatus::Infeasible {
        let conflicts = crate::plan::diagnosis::relaxed_conflicts(&inst, clock.remaining(1.0))?;
        return Ok(LeversOutcome::Infeasible(diagnosis(inst, conflicts)));
    }
    let score = (-phase1.objective).round().max(0.0) as u32;
    clock.note(Progress::LeversStanding { score, reachable, status: phase1.status });
    clock.note(Progress::LeversCheapestStarted);
    let phase2 = cheapest(&inst, costs, budget, score, &phase1, &clock)?;
    let (chosen, chosen_handles) = match &phase2.0 {
        Some(outcome) => (outcome, &phase2.1),
        None => (&phase1, &handles),
    };
    let (fixed, hires) = place_hires(county, &inst, chosen, chosen_handles, max);
    let grants = name_grants(&inst, chosen, chosen_handles);
    let cost = u64::from(hires) * u64::from(costs.hire)
        + grants.iter().map(|g| g.teacher_ids.len() as u64 * u64::from(cost_of(costs, g.lever))).sum::<u64>();
    let phase2_status = phase2.0.as_ref().map_or(StageStatus::TimeLimit, |p| p.status);
    clock.note(Progress::LeversCheapest { cost, status: phase2_status });
    let changed = with_grants(county, &grants);
    clock.note(Progress::LeversPlanStarted);
    let planned = match plan_with(&changed, fixed, &clock)? {
        Ok(p) => p,
        Err(d) => return Ok(LeversOutcome::Infeasible(d)),
    };
    let still_failing = crate::explain::still_failing(&planned);
    Ok(LeversOutcome::Found(LeversSearch {
        target_reached: still_failing.is_empty(),
        minimal: phase1.status == StageStatus::Optimal && phase2_status == StageStatus::Optimal,
        still_failing,
        phases: vec![
            ("best_standing".into(), phase1.status.word().into(), phase1.seconds),
            ("least_cost".into(), phase2.0.as_ref().map_or("time_limit", |p| p.status.word()).into(), phase2.2),
        ],
        plan: planned,
        county: changed,
        costs,
        budget,
        max_hires: max,
        hires,
        grants,
        score,
        cost,
    }))
}

/// `--max` and `--budget` in range.
fn check_limits(max: u32, budget: Option<u64>) -> Result<(), Error> {
    if max > MOST_SEARCHED {
        return Err(Error::Input(vec![InputProblem::new(
            "--max",
            "",
            Text::both(
                format!("{max} is out of range; give a number of hires from 0 to {MOST_SEARCHED}"),
                format!("{max} 超出范围；请填 0 到 {MOST_SEARCHED} 之间的新聘人数"),
            ),
        )]));
    }
    if let Some(b) = budget.filter(|&b| b > MOST_BUDGET) {
        return Err(Error::Input(vec![InputProblem::new(
            "--budget",
            "",
            Text::both(
                format!("{b} is out of range; give a budget in thousand yuan from 0 to {MOST_BUDGET}"),
                format!("{b} 超出范围；请填 0 到 {MOST_BUDGET} 之间的预算（千元）"),
            ),
        )]));
    }
    Ok(())
}

/// The CVs the score can count (those with counted sections).
fn within_count(inst: &Instance) -> usize {
    Level::BOTH.iter().filter(|&&level| inst.sections.iter().any(|s| s.level == level && s.counted)).count() * 3
}

fn cost_of(costs: LeverCosts, lever: Lever) -> u32 {
    match lever {
        Lever::Upgrade => costs.upgrade,
        Lever::Designate => costs.designate,
    }
}

/// Phase 2: the least cost that keeps `score`, started from phase 1's plan;
/// None when its time ran out without a plan of its own.
fn cheapest(
    inst: &Instance,
    costs: LeverCosts,
    budget: u64,
    score: u32,
    phase1: &StageOutcome,
    clock: &Clock,
) -> Result<(Option<StageOutcome>, Handles, f64), Error> {
    let model = inst.build_levers(costs, budget, Some(score));
    let handles = model.handles.clone();
    let start = Instant::now();
    let options = clock.solve_options(0.6);
    let outcome = match minimise(model.vars, model.objective, model.constraints, options, Some(&phase1.values)) {
        Ok(outcome) if outcome.status != StageStatus::Infeasible => Some(outcome),
        Ok(_) | Err(Error::TimeLimit(_)) => None,
        Err(other) => return Err(other),
    };
    Ok((outcome, handles, start.elapsed().as_secs_f64()))
}

/// The upgrades and designations of a solved model, with the teachers named.
fn name_grants(inst: &Instance, chosen: &StageOutcome, handles: &Handles) -> Vec<Grant> {
    let stayers = inst.sure_stayers();
    grants_of(handles, |v| chosen.value(v))
        .into_iter()
        .map(|(s, k, n)| {
            let lever = if k == 0 { Lever::Upgrade } else { Lever::Designate };
            let ids = name_teachers(inst, chosen, handles, &stayers[s][k], s, k);
            let section = &inst.sections[s];
            Grant {
                school: section.school,
                level: section.level,
                lever,
                teacher_ids: ids.into_iter().take(n as usize).map(|t| inst.county.teachers[t].id.clone()).collect(),
            }
        })
        .collect()
}

/// The teachers of section `s` lacking indicator k that the solved plan
/// keeps there, in the order the levers take them: those who stay for sure
/// (may not rotate this year), by teacher id; then, per group of
/// interchangeable eligible teachers, as many as do not leave, the
/// shortest-serving first (the published order moves the longest-serving first).
pub fn name_teachers(
    inst: &Instance,
    chosen: &StageOutcome,
    handles: &Handles,
    sure: &[usize],
    s: usize,
    k: usize,
) -> Vec<usize> {
    let teachers = &inst.county.teachers;
    let mut out: Vec<usize> = sure.to_vec();
    out.sort_by(|&a, &b| teachers[a].id.cmp(&teachers[b].id));
    for &p in inst.out_of_section(s) {
        let profile = &inst.profiles[p];
        if profile.flags[k] {
            continue;
        }
        let leaving = chosen.value(handles.d[p]).round().max(0.0) as usize;
        let staying = profile.members.len().saturating_sub(leaving);
        out.extend(profile.members.iter().rev().take(staying));
    }
    out
}

/// The county with the grants made.
fn with_grants(county: &County, grants: &[Grant]) -> County {
    let mut changed = county.clone();
    for g in grants {
        for id in &g.teacher_ids {
            if let Some(t) = changed.teachers.iter_mut().find(|t| &t.id == id) {
                g.lever.apply(t);
            }
        }
    }
    changed
}

/// This year's plan of the changed county with the hires placed.
fn plan_with(county: &County, fixed: Vec<HireGroup>, clock: &Clock) -> Result<Result<Plan, Diagnosis>, Error> {
    let options = PlanOptions {
        time_limit: clock.remaining(1.0),
        progress: clock.options.progress,
        solution_limit: clock.options.solution_limit,
        ..Default::default()
    };
    match plan(county, fixed, &options)? {
        Outcome::Planned(p) => Ok(Ok(p)),
        Outcome::Infeasible(d) => Ok(Err(d)),
        Outcome::OutOfTime(stop) => Err(stop.into()),
    }
}

/// The lines of levers.csv: the hires by school section and kind, then the
/// upgrades and designations, ordered by school and section.
pub fn lines(result: &LeversSearch) -> Vec<LeverLine> {
    let plan = &result.plan;
    let mut out: Vec<LeverLine> = Vec::new();
    for h in &plan.hires {
        let g = &plan.hire_groups[h.group];
        let kind = LeverKind::Hire { subject: g.subject, degree: g.degree, backbone: g.backbone };
        match out.iter_mut().find(|l| l.school == h.to && l.level == g.level && l.kind == kind) {
            Some(line) => {
                line.ids.push(h.id.clone());
                line.cost += u64::from(result.costs.hire);
            }
            None => out.push(LeverLine {
                school: h.to,
                level: g.level,
                kind,
                ids: vec![h.id.clone()],
                cost: u64::from(result.costs.hire),
            }),
        }
    }
    for g in &result.grants {
        let kind = if g.lever == Lever::Upgrade { LeverKind::Upgrade } else { LeverKind::Designate };
        let cost = g.teacher_ids.len() as u64 * u64::from(cost_of(result.costs, g.lever));
        out.push(LeverLine { school: g.school, level: g.level, kind, ids: g.teacher_ids.clone(), cost });
    }
    out.sort_by_key(|l| (l.school, l.level, !matches!(l.kind, LeverKind::Hire { .. }), l.kind == LeverKind::Designate));
    out
}

/// The search's totals.
pub fn totals(result: &LeversSearch) -> LeverTotals {
    LeverTotals {
        hires: result.hires as usize,
        upgrades: result.count(Lever::Upgrade),
        designations: result.count(Lever::Designate),
        cost: result.cost,
        budget: result.budget,
        minimal: result.minimal,
    }
}

/// The files of a levers run: everything `plan` writes for the county with
/// the levers made, levers.csv, a 措施 / levers sheet in plan.xlsx, a part
/// of report.html and `levers_search` in summary.json. `county` is the
/// county before the levers (levers.csv's "before").
pub fn files(county: &County, result: &LeversSearch, lang: Lang) -> Result<OutputFiles, Error> {
    let changed = &result.county;
    let plan = &result.plan;
    let mut files = plan_files(changed, plan, lang)?;
    let before = crate::rules::indicators::evaluate(county);
    let lines = lines(result);
    let table = levers_table(changed, &lines, &before, &plan.after, lang);
    files.add("levers.csv", table.csv());
    let explanations = crate::explain::explain_plan(changed, plan);
    let rotations = rotations_table(changed, plan, &explanations, lang);
    let schools = schools_table(changed, &plan.before, Some(&plan.after));
    let sheet = Phrase { zh: "措施", en: "levers" };
    files.add("plan.xlsx", plan_workbook_with(changed, plan, &rotations, &schools, &[(sheet, &table)], lang)?);
    let mut report = crate::render::html::plan_report(changed, plan, lang);
    let at = report.rfind("</body>").unwrap_or(report.len());
    report.insert_str(at, &levers_html(&table, &totals(result), lang));
    files.add("report.html", report.into_bytes());
    let mut summary = plan_summary(changed, plan);
    summary["levers_search"] = json!({
        "costs": {"hire": result.costs.hire, "upgrade": result.costs.upgrade, "designate": result.costs.designate},
        "budget": result.budget,
        "max_hires": result.max_hires,
        "hires": result.hires,
        "upgrades": result.count(Lever::Upgrade),
        "designations": result.count(Lever::Designate),
        "cost": result.cost,
        "score": result.score,
        "target_reached": result.target_reached,
        "minimal": result.minimal,
        "compliant_before_levers": before.compliant(),
        "still_failing": result.still_failing.iter().map(|f| still_failing_record(changed, plan, f)).collect::<Vec<_>>(),
        "still_failing_words": result.still_failing.iter().map(|f| still_failing_line(changed, plan, f, lang)).collect::<Vec<_>>(),
        "levers": lines.iter().map(|l| json!({
            "school_id": changed.schools[l.school].id,
            "section": l.level.word(),
            "lever": match l.kind { LeverKind::Hire { .. } => "hire", LeverKind::Upgrade => "upgrade", LeverKind::Designate => "designate" },
            "count": l.ids.len(),
            "ids": l.ids,
            "cost": l.cost,
        })).collect::<Vec<_>>(),
        "phases": result.phases.iter().map(|(n, s, t)| json!({"phase": n, "status": s, "seconds": t})).collect::<Vec<_>>(),
    });
    files.add("summary.json", json_bytes(&summary));
    Ok(files)
}

/// The terminal summary: the plan's, then the levers.
pub fn terminal(result: &LeversSearch, lang: Lang) -> String {
    let mut out = crate::render::terminal::plan_terminal_summary(&result.county, &result.plan, lang);
    out.push_str(&levers_terminal(&result.county, &lines(result), &totals(result), lang));
    for item in &result.still_failing {
        out.push_str(&format!(
            "  {}\n",
            crate::render::terminal::still_failing_line(&result.county, &result.plan, item, lang)
        ));
    }
    out
}
