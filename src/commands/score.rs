//! `score`: judges a rotation list a person edited — every hard rule checked
//! by the independent audit — and gives it the whole picture of a plan: the
//! same files as `plan` writes (the list made a hand-made plan), its
//! differences from the optimizer's plan for the same data, teacher by
//! teacher and figure by figure, and the objective vectors side by side.

use serde_json::json;

use crate::domain::changes::{list_changes, ListChange, ProposedMove};
use crate::domain::{County, Level, TeacherIndicator};
use crate::error::Error;
use crate::plan::{hand_made_plan_with, plan, Outcome, Plan, PlanOptions};
use crate::render::diagnosis::{violation_line, violation_text};
use crate::render::html::differences::{change_key, change_word, destinations, figure_rows, optimizer_standing};
use crate::render::html::{score_report, ScorePicture};
use crate::render::output::{csv_bytes, json_bytes, neutralize, plan_files, OutputFiles};
use crate::render::terminal::{pad, pad_left};
use crate::render::words::word;
use crate::render::Lang;
use crate::rules::audit::{audit_with_returns, Audit, ObjectiveVector};
use crate::rules::indicators::{CountyFigures, Indicator};

/// The verdict on an edited plan and the comparison with the optimizer.
pub struct ScoreReport {
    /// The audit of the edited plan.
    pub edited: Audit,
    /// The edited list as a hand-made plan (its moves as the audit counts them).
    pub plan: Plan,
    /// The optimizer's plan for the same data (None when no plan exists).
    pub optimizer: Option<Plan>,
    /// Each teacher whose line differs from the optimizer's plan to the
    /// edited list (empty when no plan exists).
    pub changes: Vec<ListChange>,
}

/// The moves of a plan as a list of teacher and destination ids.
fn proposed(county: &County, plan: &Plan) -> Vec<ProposedMove> {
    plan.moves
        .iter()
        .map(|m| ProposedMove::new(county.teachers[m.teacher].id.clone(), county.schools[m.to].id.clone()))
        .collect()
}

/// The objective vector of a plan (SPEC §4).
fn objective(county: &County, plan: &Plan) -> ObjectiveVector {
    let structure = if county.policy.objective.structure { plan.structure(county)[1].cv_squares() } else { 0.0 };
    ObjectiveVector {
        compliant: plan.after.compliant(),
        shortfall: plan.after.shortfall(),
        subject_gaps: plan
            .stages
            .iter()
            .any(|s| s.stage == crate::model::Stage::SubjectGaps)
            .then(|| plan.gaps_after.missing()),
        cv_squares: plan.after.teacher_cv_squares(),
        structure,
        distance_km: plan.distance_km(),
    }
}

/// Audits `moves`, makes them a hand-made plan, plans the same data for
/// comparison and lists where the two differ.
pub fn score(county: &County, moves: &[ProposedMove], options: &PlanOptions) -> Result<ScoreReport, Error> {
    score_with_returns(county, moves, &[], options)
}

/// [`score`] of a list that also extends the due returns of `extended`
/// (teacher ids of its `extend` rows; every other due return happens).
pub fn score_with_returns(
    county: &County,
    moves: &[ProposedMove],
    extended: &[String],
    options: &PlanOptions,
) -> Result<ScoreReport, Error> {
    let edited = audit_with_returns(county, moves, extended);
    let optimizer = match plan(county, Vec::new(), options)? {
        Outcome::Planned(p) => Some(p),
        Outcome::Infeasible(_) => None,
        Outcome::OutOfTime(stop) => return Err(stop.into()),
    };
    let changes = optimizer.as_ref().map_or_else(Vec::new, |p| list_changes(&proposed(county, p), moves));
    Ok(ScoreReport { edited, plan: hand_made_plan_with(county, moves, extended), optimizer, changes })
}

fn cv(figures: &CountyFigures, level: Level, k: TeacherIndicator) -> Option<f64> {
    figures.cv[&(level, Indicator::Teacher(k))].value
}

/// One row of the comparison: the edited list's figure, the optimizer's and
/// the difference, aligned for Chinese as well as English names.
fn comparison_row(name: &str, edited: f64, optimizer: Option<f64>, digits: usize) -> String {
    let o = optimizer.map_or("—".to_string(), |o| format!("{o:.digits$}"));
    let d = optimizer.map_or("—".to_string(), |o| format!("{:+.digits$}", edited - o));
    format!("{} {edited:>14.digits$} {o:>14} {d:>12}\n", pad(name, 34))
}

impl ScoreReport {
    /// The optimizer's objective vector (None when no plan exists).
    fn optimizer_objective(&self, county: &County) -> Option<ObjectiveVector> {
        self.optimizer.as_ref().map(|plan| objective(county, plan))
    }

    /// The side-by-side comparison for the terminal, in `lang`.
    pub fn terminal(&self, county: &County, lang: Lang) -> String {
        let t = |zh: &'static str, en: &'static str| lang.pick(zh, en);
        let mut out = String::new();
        if self.edited.violations.is_empty() {
            out.push_str(t("该名单符合全部交流规则。\n", "The edited list keeps every rule.\n"));
        } else {
            out.push_str(&format!(
                "{} {}\n",
                self.edited.violations.len(),
                t("处违反交流规则：", "rule violation(s):")
            ));
            for v in &self.edited.violations {
                out.push_str(&format!("  {}\n", violation_line(v, lang)));
            }
        }
        if let Some(optimizer) = &self.optimizer {
            if !optimizer.proven_optimal() {
                out.push_str(&format!("\n* {}\n", optimizer_standing(optimizer, lang)));
            }
        }
        out.push_str(&self.comparison(county, lang));
        out.push_str(&self.changed_lines(county, lang));
        if let (Some(v), true) = (self.optimizer_objective(county), self.edited.violations.is_empty()) {
            let proven = self.optimizer.as_ref().is_some_and(Plan::proven_optimal);
            let verdict = match self.edited.objective.compare(&v) {
                std::cmp::Ordering::Equal => t("与优化方案同样好。", "as good as the optimizer's plan."),
                std::cmp::Ordering::Less => t(
                    "优于优化方案（优化方案未证明最优）。",
                    "better than the optimizer's plan (which was not proven optimal).",
                ),
                std::cmp::Ordering::Greater => t("不如优化方案。", "worse than the optimizer's plan."),
            };
            out.push_str(&format!(
                "\n{}{}{}\n",
                t("结论：编辑后名单", "Verdict: the edited list is "),
                verdict,
                if proven { "" } else { " *" }
            ));
        }
        out
    }

    /// The table of figures, edited list beside the optimizer's plan.
    fn comparison(&self, county: &County, lang: Lang) -> String {
        let t = |zh: &'static str, en: &'static str| lang.pick(zh, en);
        let mut out = format!(
            "\n{} {} {} {}\n",
            pad("", 34),
            pad_left(t("编辑后名单", "edited"), 14),
            pad_left(t("优化方案", "optimizer"), 14),
            pad_left(t("差值", "difference"), 12)
        );
        for row in figure_rows(county, &self.plan, self.optimizer.as_ref()) {
            let o = row.optimizer.map_or("—".to_string(), |o| row.show(o));
            let d = row.difference().unwrap_or_else(|| "—".to_string());
            out.push_str(&format!(
                "{} {} {} {}\n",
                pad(t(row.zh, row.en), 34),
                pad_left(&row.show(row.edited), 14),
                pad_left(&o, 14),
                pad_left(&d, 12)
            ));
        }
        for level in Level::BOTH {
            for k in TeacherIndicator::ALL {
                let a = cv(&self.edited.after, level, k).unwrap_or(0.0);
                let b = self.optimizer.as_ref().map(|p| cv(&p.after, level, k).unwrap_or(0.0));
                out.push_str(&comparison_row(
                    &format!("{} {} {}", t("差异系数", "CV"), word(level, lang), word(k, lang)),
                    a,
                    b,
                    4,
                ));
            }
        }
        out
    }

    /// Each teacher whose line differs from the optimizer's plan, one a line.
    fn changed_lines(&self, county: &County, lang: Lang) -> String {
        if self.optimizer.is_none() {
            return format!(
                "\n{}\n",
                lang.pick(
                    "该数据不存在满足全部规则的方案，无从比较。",
                    "No plan keeps every rule on these data, so there is nothing to compare with."
                )
            );
        }
        if self.changes.is_empty() {
            return format!(
                "\n{}\n",
                lang.pick("交流名单与优化方案相同。", "The list names the same moves as the optimizer's plan.")
            );
        }
        let mut out = match lang {
            Lang::Zh => format!("\n{} 名教师的安排与优化方案不同：\n", self.changes.len()),
            Lang::En => format!("\n{} teacher(s) placed differently from the optimizer's plan:\n", self.changes.len()),
        };
        for c in &self.changes {
            let name = county.teachers.iter().find(|t| t.id == c.teacher_id().trim()).map_or("", |t| t.name.as_str());
            let (was, to) = destinations(c);
            let dash = |id: &str| if id.is_empty() { "—".to_string() } else { id.to_string() };
            let (id, change, was, to) = (c.teacher_id(), change_word(c, lang), dash(was), dash(to));
            out.push_str(&match lang {
                Lang::Zh => format!("  {id} {name}：{change}，优化方案 {was} → 编辑后 {to}\n"),
                Lang::En => format!("  {id} {name}: {change}, optimizer {was} → edited {to}\n"),
            });
        }
        out
    }

    /// differences.csv: each teacher whose line differs from the optimizer's
    /// plan (BOM; teacher_id, name, change, optimizer_to, edited_to).
    fn differences_csv(&self, county: &County) -> Vec<u8> {
        let rows: Vec<Vec<String>> = self
            .changes
            .iter()
            .map(|c| {
                let name =
                    county.teachers.iter().find(|t| t.id == c.teacher_id().trim()).map_or("", |t| t.name.as_str());
                let (was, to) = destinations(c);
                vec![
                    neutralize(c.teacher_id()),
                    neutralize(name),
                    change_key(c).into(),
                    neutralize(was),
                    neutralize(to),
                ]
            })
            .collect();
        csv_bytes(&["teacher_id", "name", "change", "optimizer_to", "edited_to"], &rows)
    }

    /// score.json: violations (their messages in `lang`), both objective
    /// vectors, the number of differences and the optimizer's standing.
    fn score_json(&self, county: &County, lang: Lang) -> Vec<u8> {
        let vector = |v: &ObjectiveVector| json!({"compliant": v.compliant, "shortfall": v.shortfall, "subject_gaps": v.subject_gaps, "cv_squares": v.cv_squares, "structure": v.structure, "distance_km": v.distance_km});
        let violations: Vec<_> = self
            .edited
            .violations
            .iter()
            .map(
                |v| json!({"rule": v.rule, "teacher_id": v.teacher_id, "school_id": v.school_id, "message": violation_text(v, lang)}),
            )
            .collect();
        let value = json!({
            "valid": self.edited.violations.is_empty(),
            "violations": violations,
            "moves": self.edited.moves,
            "backbone_moves": self.edited.backbone_moves,
            "edited": vector(&self.edited.objective),
            "optimizer": self.optimizer_objective(county).as_ref().map(vector),
            "optimizer_proven_optimal": self.optimizer.as_ref().map(Plan::proven_optimal),
            "optimizer_gap": self.optimizer.as_ref().and_then(Plan::gap),
            "differences": self.optimizer.as_ref().map(|_| self.changes.len()),
        });
        json_bytes(&value)
    }

    /// Every file of a scored list: the plan files of the edited list
    /// (report.html with its violations and differences first),
    /// differences.csv and score.json.
    pub fn files(&self, county: &County, lang: Lang) -> Result<OutputFiles, Error> {
        let mut files = plan_files(county, &self.plan, lang)?;
        let picture = ScorePicture {
            edited: &self.plan,
            violations: &self.edited.violations,
            optimizer: self.optimizer.as_ref(),
            changes: &self.changes,
        };
        files.add("report.html", score_report(county, &picture, lang).into_bytes());
        files.add("differences.csv", self.differences_csv(county));
        files.add("score.json", self.score_json(county, lang));
        Ok(files)
    }
}
