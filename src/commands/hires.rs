//! `hires`: the fewest new teachers — by section, subject, degree, backbone
//! level and school — that together with this year's rotation make every
//! counted section comply and every teacher CV fall within its limit; when
//! the budget cannot, the plan that gets closest and what still fails.

use serde_json::json;

use crate::domain::changes::HireGroup;
use crate::domain::{Backbone, County, Degree, Level, Subject};
use crate::error::Error;
use crate::model::Instance;
use crate::plan::{capacity_conflicts, plan, Diagnosis, Outcome, Plan, PlanOptions, Progress};
use crate::render::evaluation::failure_reasons;
use crate::render::output::{json_bytes, plan_files, plan_summary, OutputFiles};
use crate::render::Lang;
use crate::rules::indicators::{Indicator, Standing};
use crate::solve::{minimise, SolveOptions, StageStatus};

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
    pub still_failing: Vec<String>,
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

fn candidates(county: &County, subjects: &[Subject], max: u32) -> Vec<HireGroup> {
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
    let start = std::time::Instant::now();
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
        return Ok(HiresOutcome::Infeasible(Diagnosis {
            eligible: inst.eligible,
            required_moves: inst.min_moves,
            conflicts,
        }));
    }
    let note = |event: Progress| {
        if let Some(p) = options.progress {
            p(&event)
        }
    };
    let remaining = |share: f64| ((options.time_limit - start.elapsed().as_secs_f64()) * share).max(0.05);
    let solve_options = |share: f64| SolveOptions {
        solution_limit: options.solution_limit,
        ..SolveOptions::new(remaining(share), 0.0, 0.99)
    };
    note(Progress::HiresStandingStarted);
    let (model, within) = inst.build_hires(None);
    let handles = model.handles.clone();
    let reachable = handles.y.iter().flatten().count() + within.len();
    let phase1 = minimise(model.vars, model.objective, model.constraints, solve_options(0.4), None)?;
    if phase1.status == StageStatus::Infeasible {
        let conflicts = crate::plan::diagnosis::relaxed_conflicts(&inst, remaining(1.0))?;
        return Ok(HiresOutcome::Infeasible(Diagnosis {
            eligible: inst.eligible,
            required_moves: inst.min_moves,
            conflicts,
        }));
    }
    let score = (-phase1.objective).round().max(0.0) as u32;
    note(Progress::HiresStanding { score, reachable, status: phase1.status });
    note(Progress::HiresFewestStarted);
    // The same columns as phase 1 with one more row (the score), so phase 1's
    // plan starts phase 2. When phase 2 ends without a plan of its own (its
    // time ran out), phase 1's hires are the answer, not proven minimal.
    let (model, _) = inst.build_hires(Some(score));
    let handles2 = model.handles.clone();
    let phase2_start = std::time::Instant::now();
    let phase2 =
        match minimise(model.vars, model.objective, model.constraints, solve_options(0.6), Some(&phase1.values)) {
            Ok(outcome) if outcome.status != StageStatus::Infeasible => Some(outcome),
            Ok(_) => None,
            Err(Error::TimeLimit(_)) => None,
            Err(other) => return Err(other),
        };
    let phase2_seconds = phase2_start.elapsed().as_secs_f64();
    let (chosen, chosen_handles) = match &phase2 {
        Some(outcome) => (outcome, &handles2),
        None => (&phase1, &handles),
    };
    let mut fixed = Vec::new();
    let mut hires = 0u32;
    let mut ids = county.hire_ids(max as usize).into_iter();
    for (g, row) in chosen_handles.h.iter().enumerate() {
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
    let phase2_word = phase2.as_ref().map_or("time_limit", |p| p.status.word());
    note(Progress::HiresFewest { hires, status: phase2.as_ref().map_or(StageStatus::TimeLimit, |p| p.status) });
    note(Progress::HiresPlanStarted);
    let plan_options = PlanOptions {
        time_limit: remaining(1.0),
        progress: options.progress,
        solution_limit: options.solution_limit,
        ..Default::default()
    };
    let planned = match plan(county, fixed, &plan_options)? {
        Outcome::Planned(p) => p,
        Outcome::Infeasible(d) => return Ok(HiresOutcome::Infeasible(d)),
        Outcome::OutOfTime(stop) => return Err(stop.into()),
    };
    let still_failing = still_failing(county, &planned);
    Ok(HiresOutcome::Found(HiresSearch {
        target_reached: still_failing.is_empty(),
        minimal: phase1.status == StageStatus::Optimal
            && phase2.as_ref().is_some_and(|p| p.status == StageStatus::Optimal),
        hires,
        max,
        still_failing,
        phases: vec![
            ("best_standing".into(), phase1.status.word().into(), phase1.seconds),
            ("fewest_hires".into(), phase2_word.into(), phase2.as_ref().map_or(phase2_seconds, |p| p.seconds)),
        ],
        plan: planned,
    }))
}

/// Counted sections that fail and CVs over their limit, after the plan.
pub fn still_failing(county: &County, plan: &Plan) -> Vec<String> {
    let mut out = Vec::new();
    for s in plan.after.sections.iter().filter(|s| s.counted && s.compliant == Some(false)) {
        let school = &county.schools[s.school];
        let facility_only = (0..3).all(|i| s.standing[i].is_some_and(Standing::reaches));
        out.push(format!(
            "{} {} ({}): {}{}",
            school.id,
            school.name,
            s.level.word(),
            failure_reasons(s, Lang::En),
            if facility_only { " — facilities, which hires cannot fix" } else { "" }
        ));
    }
    for ((level, ind), c) in &plan.after.cv {
        if !c.within_limit() {
            out.push(format!(
                "CV {} {} = {:.4} > {:.2}{}",
                level.word(),
                ind.key(),
                c.value.unwrap_or(0.0),
                c.limit,
                if matches!(ind, Indicator::Facility(_)) { " — facilities, which hires cannot fix" } else { "" }
            ));
        }
    }
    out
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
        "still_failing": result.still_failing,
        "phases": result.phases.iter().map(|(n, s, t)| json!({"phase": n, "status": s, "seconds": t})).collect::<Vec<_>>(),
    });
    files.add("summary.json", json_bytes(&summary));
    Ok(files)
}
