//! `score`: judges a rotation list a person edited — every hard rule checked
//! by the independent audit — and sets its objective vector and inspection
//! figures beside the optimizer's plan for the same data.

use serde_json::json;

use crate::domain::changes::ProposedMove;
use crate::domain::{County, Level, TeacherIndicator};
use crate::error::Error;
use crate::plan::{plan, Outcome, PlanOptions};
use crate::render::diagnosis::{violation_line, violation_text};
use crate::render::output::{json_bytes, OutputFiles};
use crate::render::terminal::{pad, pad_left};
use crate::render::words::word;
use crate::render::Lang;
use crate::rules::audit::{audit, Audit, ObjectiveVector};
use crate::rules::indicators::{CountyFigures, Indicator};

/// The verdict on an edited plan and the comparison with the optimizer.
pub struct ScoreReport {
    /// The audit of the edited plan.
    pub edited: Audit,
    /// The optimizer's objective and figures (None when no plan exists).
    pub optimizer: Option<(ObjectiveVector, CountyFigures, bool)>,
}

/// Audits `moves` and plans the same data for comparison.
pub fn score(county: &County, moves: &[ProposedMove], options: &PlanOptions) -> Result<ScoreReport, Error> {
    let edited = audit(county, moves);
    let optimizer = match plan(county, Vec::new(), options)? {
        Outcome::Planned(p) => {
            let v = ObjectiveVector {
                compliant: p.after.compliant(),
                shortfall: p.after.shortfall(),
                cv_squares: p.after.teacher_cv_squares(),
                distance_km: p.distance_km(),
            };
            let proven = p.proven_optimal();
            Some((v, p.after, proven))
        }
        Outcome::Infeasible(_) => None,
        Outcome::OutOfTime(stop) => return Err(stop.into()),
    };
    Ok(ScoreReport { edited, optimizer })
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
    /// The side-by-side comparison for the terminal, in `lang`.
    pub fn terminal(&self, lang: Lang) -> String {
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
        out.push_str(&self.comparison(lang));
        if let (Some((v, _, proven)), true) = (&self.optimizer, self.edited.violations.is_empty()) {
            let verdict = match self.edited.objective.compare(v) {
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
                if *proven { "" } else { " *" }
            ));
        }
        out
    }

    /// The table of figures, edited list beside the optimizer's plan.
    fn comparison(&self, lang: Lang) -> String {
        let t = |zh: &'static str, en: &'static str| lang.pick(zh, en);
        let e = &self.edited.objective;
        let o = self.optimizer.as_ref().map(|(v, _, _)| *v);
        let mut out = format!(
            "\n{} {} {} {}\n",
            pad("", 34),
            pad_left(t("编辑后名单", "edited"), 14),
            pad_left(t("优化方案", "optimizer"), 14),
            pad_left(t("差值", "difference"), 12)
        );
        let row = comparison_row;
        out.push_str(&row(t("达标学段", "compliant sections"), e.compliant as f64, o.map(|v| v.compliant as f64), 0));
        out.push_str(&row(t("缺口(人)", "shortfall"), e.shortfall as f64, o.map(|v| v.shortfall as f64), 0));
        out.push_str(&row(t("差异系数平方和", "sum of CV²"), e.cv_squares, o.map(|v| v.cv_squares), 6));
        out.push_str(&row(t("总距离(公里)", "distance km"), e.distance_km, o.map(|v| v.distance_km), 1));
        for level in Level::BOTH {
            for k in TeacherIndicator::ALL {
                let a = cv(&self.edited.after, level, k).unwrap_or(0.0);
                let b = self.optimizer.as_ref().map(|(_, f, _)| cv(f, level, k).unwrap_or(0.0));
                out.push_str(&row(
                    &format!("{} {} {}", t("差异系数", "CV"), word(level, lang), word(k, lang)),
                    a,
                    b,
                    4,
                ));
            }
        }
        out
    }

    /// score.json: violations (their messages in `lang`), both objective
    /// vectors and the difference.
    pub fn files(&self, lang: Lang) -> OutputFiles {
        let vector = |v: &ObjectiveVector| json!({"compliant": v.compliant, "shortfall": v.shortfall, "cv_squares": v.cv_squares, "distance_km": v.distance_km});
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
            "optimizer": self.optimizer.as_ref().map(|(v, _, _)| vector(v)),
            "optimizer_proven_optimal": self.optimizer.as_ref().map(|(_, _, p)| *p),
        });
        let mut files = OutputFiles::new();
        files.add("score.json", json_bytes(&value));
        files
    }
}
