//! `hires`: the fewest new teachers — by section, subject, degree, backbone
//! level and school — that together with this year's rotation make every
//! counted section comply and every teacher CV fall within its limit; when
//! the budget cannot, the plan that gets closest and what still fails.

use std::time::Instant;

use serde_json::json;

use crate::domain::changes::HireGroup;
use crate::domain::{Backbone, County, Degree, Level, Subject};
use crate::error::Error;
use crate::model::{Handles, Instance};
use crate::plan::{capacity_conflicts, plan, Conflict, Diagnosis, Outcome, Plan, PlanOptions, Progress};
use crate::render::output::{json_bytes, plan_files, plan_summary, OutputFiles};
use crate::render::terminal::{still_failing_line, still_failing_record};
use crate::render::Lang;
use crate::solve::{minimise, SolveOptions, StageOutcome, StageStatus};

/// The largest budget of a search (`--max`). The search's model grows
/// faster than the budget: on data/anze 100 hires took 0.34 GB, 200 took
/// 0.39 GB, 600 took 3.1 GB and 1,000 took 7.5 GB; on a 300-school county
/// 100 hires took 2.1 GB.
pub const MOST_SEARCHED: u32 = 200;

/// Subjects offered as new hires when none are given.
pub const DEFAULT_SUBJECTS: [Subject; 6] =
    [Subject::Pe, Subject::Music, Subject::Art, Subject::Chinese, Subject::Math, Subject::English];

/// The result of a hires search.
pub struct HiresSearch {
    /// The plan with the hires placed.
    pub plan: Plan,
    /// Hires needed.
    pub hires: u32,
    /// The budget.
    pub max: u32,
    /// Whether every counted section complies and every CV is within its limit.
    pub target_reached: bool,
    /// Whether the number of hires is proven minimal for the score reached.
    pub minimal: bool,
    /// What still fails, in words.
    pub still_failing: Vec<crate::explain::StillFailing>,
    /// Phase statuses: (name, status, seconds).
    pub phases: Vec<(String, String, f64)>,
}

/// Outcome of a hires search.
#[allow(clippy::large_enum_variant)]
pub enum HiresOutcome {
    /// A plan.
    Found(HiresSearch),
    /// The rotation rules cannot hold at all.
    Infeasible(Diagnosis),
}

pub(crate) fn candidates(county: &County, subjects: &[Subject], max: u32) -> Vec<HireGroup> {
    let mut groups = Vec::new();
    for level in Level::BOTH {
        if !county.schools.iter().any(|s| s.has(level) && s.students[level.index()] > 0) {
            continue;
        }
        for &subject in subjects {
            for backbone in [Backbone::None, Backbone::County] {
                groups.push(HireGroup {
                    level,
                    subject,
                    degree: Degree::Bachelor,
                    backbone,
                    title: None,
                    ids: (0..max).map(|i| format!("C{i}")).collect(),
                    school: None,
                });
            }
        }
    }
    groups
}

/// Searches for the fewest hires (at most `max`) of the given subjects.
pub fn search(county: &County, max: u32, subjects: &[Subject], options: &PlanOptions) -> Result<HiresOutcome, Error> {
    let clock = Clock { options, start: Instant::now() };
    if max > MOST_SEARCHED {
        return Err(Error::Input(vec![crate::error::InputProblem::new(
            "--max",
            "",
            format!("{max} is out of range; give a number of hires from 0 to {MOST_SEARCHED}"),
        )]));
    }
    let mut inst = Instance::new(county, candidates(county, subjects, max));
    inst.hire_budget = Some(max);
    let conflicts = capacity_conflicts(&inst);
    if !conflicts.is_empty() {
        return Ok(infeasible(inst, conflicts));
    }
    clock.note(Progress::HiresStandingStarted);
    let (model, within) = inst.build_hires(None);
    let handles = model.handles.clone();
    let reachable = handles.y.iter().flatten().count() + within.len();
    let phase1 = minimise(model.vars, model.objective, model.constraints, clock.solve_options(0.4), None)?;
    if phase1.status == StageStatus::Infeasible {
        let conflicts = crate::plan::diagnosis::relaxed_conflicts(&inst, clock.remaining(1.0))?;
        return Ok(infeasible(inst, conflicts));
    }
    let score = (-phase1.objective).round().max(0.0) as u32;
    clock.note(Progress::HiresStanding { score, reachable, status: phase1.status });
    clock.note(Progress::HiresFewestStarted);
    let phase2 = fewest_hires(&inst, score, &phase1, &clock)?;
    let (fixed, hires) = match &phase2.outcome {
        Some(outcome) => place_hires(county, &inst, outcome, &phase2.handles, max),
        None => place_hires(county, &inst, &phase1, &handles, max),
    };
    let phase2_word = phase2.outcome.as_ref().map_or("time_limit", |p| p.status.word());
    clock.note(Progress::HiresFewest {
        hires,
        status: phase2.outcome.as_ref().map_or(StageStatus::TimeLimit, |p| p.status),
    });
    clock.note(Progress::HiresPlanStarted);
    let plan_options = PlanOptions {
        time_limit: clock.remaining(1.0),
        progress: options.progress,
        solution_limit: options.solution_limit,
        ..Default::default()
    };
    let planned = match plan(county, fixed, &plan_options)? {
        Outcome::Planned(p) => p,
        Outcome::Infeasible(d) => return Ok(HiresOutcome::Infeasible(d)),
        Outcome::OutOfTime(stop) => return Err(stop.into()),
    };
    let still_failing = crate::explain::still_failing(&planned);
    Ok(HiresOutcome::Found(HiresSearch {
        target_reached: still_failing.is_empty(),
        minimal: phase1.status == StageStatus::Optimal
            && phase2.outcome.as_ref().is_some_and(|p| p.status == StageStatus::Optimal),
        hires,
        max,
        still_failing,
        phases: vec![
            ("best_standing".into(), phase1.status.word().into(), phase1.seconds),
            ("fewest_hires".into(), phase2_word.into(), phase2.outcome.as_ref().map_or(phase2.seconds, |p| p.seconds)),
        ],
        plan: planned,
    }))
}

/// The search's share of the time limit and its progress lines.
pub(crate) struct Clock<'o, 'p> {
    pub(crate) options: &'o PlanOptions<'p>,
    pub(crate) start: Instant,
}

impl Clock<'_, '_> {
    /// One progress event, when the caller asked for them.
    pub(crate) fn note(&self, event: Progress) {
        if let Some(p) = self.options.progress {
            p(&event)
        }
    }

    /// `share` of the seconds left (at least 0.05).
    pub(crate) fn remaining(&self, share: f64) -> f64 {
        ((self.options.time_limit - self.start.elapsed().as_secs_f64()) * share).max(0.05)
    }

    /// A solve within `share` of the seconds left.
    pub(crate) fn solve_options(&self, share: f64) -> SolveOptions {
        SolveOptions {
            solution_limit: self.options.solution_limit,
            ..SolveOptions::new(self.remaining(share), 0.0, 0.99)
        }
    }
}

/// The diagnosis of a search that cannot keep the rotation rules.
fn infeasible(inst: Instance, conflicts: Vec<Conflict>) -> HiresOutcome {
    HiresOutcome::Infeasible(diagnosis(inst, conflicts))
}

/// The diagnosis of a search whose instance cannot keep the rotation rules.
pub(crate) fn diagnosis(inst: Instance, conflicts: Vec<Conflict>) -> Diagnosis {
    Diagnosis { eligible: inst.eligible, required_moves: inst.min_moves, conflicts }
}

/// Phase 2 of the search: its plan (none when it ended without one of its
/// own), the model's handles and the seconds it took.
struct FewestHires {
    outcome: Option<StageOutcome>,
    handles: Handles,
    seconds: f64,
}

/// The fewest hires that reach `score`. The same columns as phase 1 with
/// one more row (the score), so phase 1's plan starts phase 2. When phase 2
/// ends without a plan of its own (its time ran out), phase 1's hires are
/// the answer, not proven minimal.
fn fewest_hires(inst: &Instance, score: u32, phase1: &StageOutcome, clock: &Clock) -> Result<FewestHires, Error> {
    let (model, _) = inst.build_hires(Some(score));
    let handles = model.handles.clone();
    let start = Instant::now();
    let outcome = match minimise(
        model.vars,
        model.objective,
        model.constraints,
        clock.solve_options(0.6),
        Some(&phase1.values),
    ) {
        Ok(outcome) if outcome.status != StageStatus::Infeasible => Some(outcome),
        Ok(_) => None,
        Err(Error::TimeLimit(_)) => None,
        Err(other) => return Err(other),
    };
    Ok(FewestHires { outcome, handles, seconds: start.elapsed().as_secs_f64() })
}

/// The hires of a solved phase as groups placed at their schools, with
/// their ids, and how many they are.
pub(crate) fn place_hires(
    county: &County,
    inst: &Instance,
    chosen: &StageOutcome,
    handles: &Handles,
    max: u32,
) -> (Vec<HireGroup>, u32) {
    let mut fixed = Vec::new();
    let mut hires = 0u32;
    let mut ids = county.hire_ids(max as usize).into_iter();
    for (g, row) in handles.h.iter().enumerate() {
        for (j, var) in row.iter().enumerate() {
            let n = chosen.value(*var).round().max(0.0) as u32;
            if n == 0 {
                continue;
            }
            let mut group = inst.hires[g].clone();
            group.school = Some(inst.sections[inst.hire_destinations[g][j]].school);
            group.ids = ids.by_ref().take(n as usize).collect();
            hires += group.ids.len() as u32;
            fixed.push(group);
        }
    }
    (fixed, hires)
}

/// The files of a hires run: everything `plan` writes, with the search in summary.json.
pub fn files(county: &County, result: &HiresSearch, lang: Lang) -> Result<OutputFiles, Error> {
    let mut files = plan_files(county, &result.plan, lang)?;
    let mut summary = plan_summary(county, &result.plan);
    summary["hires_search"] = json!({
        "hires": result.hires,
        "max": result.max,
        "target_reached": result.target_reached,
        "minimal": result.minimal,
        "still_failing": result.still_failing.iter().map(|f| still_failing_record(county, &result.plan, f)).collect::<Vec<_>>(),
        "still_failing_words": result.still_failing.iter().map(|f| still_failing_line(county, &result.plan, f, lang)).collect::<Vec<_>>(),
        "phases": result.phases.iter().map(|(n, s, t)| json!({"phase": n, "status": s, "seconds": t})).collect::<Vec<_>>(),
    });
    files.add("summary.json", json_bytes(&summary));
    Ok(files)
}
