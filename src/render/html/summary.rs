//! The county summary: the cards (moves, compliance, shortfall, solver),
//! the verdict of the resource part of the inspection and the table of
//! difference coefficients.

use std::fmt::Write as _;

use crate::domain::Level;
use crate::exact::to_f64;
use crate::plan::Plan;
use crate::render::html::format::trim_number;
use crate::render::html::{escape, Report};
use crate::render::Lang;
use crate::rules::evaluation::Evaluation;
use crate::rules::indicators::{Coefficient, Indicator};

impl Report<'_> {
    /// One card: a label, a value and an optional note under it.
    fn card(out: &mut String, label: &str, value: &str, note: &str) {
        w!(out, "<div class=\"card\"><div class=\"label\">{label}</div><div class=\"value\">{value}</div>");
        if !note.is_empty() {
            w!(out, "<div class=\"card-note\">{note}</div>");
        }
        out.push_str("</div>\n");
    }

    /// The county summary: the cards, the verdict and the difference coefficients.
    pub(super) fn summary(&self) -> String {
        let mut out = String::new();
        w!(out, "<section id=\"summary\">\n<h2>{}</h2>\n<div class=\"cards\">\n", self.t("县域汇总", "County summary"));
        match (self.plan, self.evaluation) {
            (Some(plan), _) => {
                self.plan_cards(&mut out, plan);
                self.solver_card(&mut out, plan);
            }
            (None, Some(evaluation)) => self.evaluation_cards(&mut out, evaluation),
            (None, None) => {}
        }
        w!(out, "</div>\n<p class=\"verdict\">{}</p>\n", self.verdict());
        out.push_str(&self.cv_table());
        out.push_str("</section>\n");
        out
    }

    /// The cards of a plan: eligible teachers, moves, backbone moves, compliant
    /// sections and shortfall before and after, distance and hires.
    fn plan_cards(&self, out: &mut String, plan: &Plan) {
        let (b, a) = (self.before, &plan.after);
        let counted = b.counted();
        let policy = &self.county.policy;
        Self::card(out, self.t("符合交流条件人数", "Eligible teachers"), &plan.eligible.to_string(), "");
        // The moves the shares count; principals' moves apart (rule
        // `principals`), said beside them, so the card never reads as more
        // moves than the most allowed.
        let apart = plan.moves.len() - plan.teacher_moves(self.county);
        Self::card(
            out,
            self.t("交流人数", "Moves"),
            &plan.teacher_moves(self.county).to_string(),
            &match (self.lang, apart) {
                (Lang::Zh, 0) => format!("应交流 {} 人，至多 {} 人", plan.required_moves, plan.max_moves),
                (Lang::En, 0) => format!("required {}, at most {}", plan.required_moves, plan.max_moves),
                (Lang::Zh, _) => format!(
                    "应交流 {} 人，至多 {} 人；另有校长、副校长 {apart} 人对等交流，不计入",
                    plan.required_moves, plan.max_moves
                ),
                (Lang::En, _) => format!(
                    "required {}, at most {}; besides, {apart} principals and vice principals role for role, not counted",
                    plan.required_moves, plan.max_moves
                ),
            },
        );
        let share = plan.backbone_share(self.county) * 100.0;
        Self::card(
            out,
            self.t("骨干教师交流 / 骨干占比", "Backbone moves / share"),
            &format!("{} / {share:.1}%", plan.backbone_moves(self.county)),
            &match self.lang {
                Lang::Zh => format!("要求不低于 {:.1}%", to_f64(&policy.rotation.backbone_min_share) * 100.0),
                Lang::En => format!("at least {:.1}% required", to_f64(&policy.rotation.backbone_min_share) * 100.0),
            },
        );
        Self::card(
            out,
            self.t("达标学段", "Compliant sections"),
            &format!("{} → {}", b.compliant(), a.compliant()),
            &match self.lang {
                Lang::Zh => format!("调整前 → 调整后，共 {counted} 个计入学段"),
                Lang::En => format!("before → after, of {counted} counted sections"),
            },
        );
        Self::card(
            out,
            self.t("缺口（人）", "Shortfall (teachers)"),
            &format!("{} → {}", b.shortfall(), a.shortfall()),
            self.t("各学段教师指标距标准所差人数之和", "teachers missing to reach the teacher standards"),
        );
        Self::card(
            out,
            self.t("交流总距离", "Total distance"),
            &format!("{:.1} km", plan.distance_km()),
            self.t("未知距离按 0 计", "unknown distances count 0"),
        );
        if !plan.hire_groups.is_empty() {
            Self::card(out, self.t("新招聘教师", "Hires placed"), &plan.hires.len().to_string(), "");
        }
    }

    /// Whether the plan is proven optimal (with the gap when not) and the backend.
    fn solver_card(&self, out: &mut String, plan: &Plan) {
        if plan.is_hand_made() {
            let status = format!("<span class=\"warn\">{}</span>", self.t("人工编制", "edited by hand"));
            let note = self.t("名单由人工编辑，未经求解器优化", "a list edited by hand, not made by the solver");
            Self::card(out, self.t("编制方式", "Made by"), &status, note);
            return;
        }
        let (status, note) = if plan.proven_optimal() {
            (format!("<span class=\"ok\">{}</span>", self.t("已证明最优", "proven optimal")), String::new())
        } else {
            (
                format!("<span class=\"warn\">{}</span>", self.t("未证明最优", "not proven optimal")),
                format!("{}{}", crate::render::terminal::gap_words(plan, self.lang), self.t("；", "; ")),
            )
        };
        Self::card(
            out,
            self.t("求解状态", "Solver"),
            &status,
            &match self.lang {
                // No solve time here: the same plan gives the same page.
                Lang::Zh => format!("{note}求解器 {}", escape(crate::solve::backend_name())),
                Lang::En => format!("{note}backend {}", escape(crate::solve::backend_name())),
            },
        );
    }

    /// The cards of an evaluation: eligible teachers, required moves, compliant
    /// sections, shortfall, certification and class sizes.
    fn evaluation_cards(&self, out: &mut String, evaluation: &Evaluation) {
        let b = self.before;
        Self::card(out, self.t("符合交流条件人数", "Eligible teachers"), &evaluation.eligible.to_string(), "");
        Self::card(
            out,
            self.t("应交流人数", "Required moves"),
            &evaluation.required_moves.to_string(),
            self.t("按最低交流比例向上取整", "minimum share, rounded up"),
        );
        Self::card(
            out,
            self.t("达标学段", "Compliant sections"),
            &format!("{} / {}", b.compliant(), b.counted()),
            self.t("计入县域统计的学段", "of the counted sections"),
        );
        Self::card(
            out,
            self.t("缺口（人）", "Shortfall (teachers)"),
            &b.shortfall().to_string(),
            self.t("各学段教师指标距标准所差人数之和", "teachers missing to reach the teacher standards"),
        );
        if let Some(rate) = evaluation.certification_rate {
            Self::card(
                out,
                self.t("教师持证率", "Certification rate"),
                &format!("{:.1}%", rate * 100.0),
                &match self.lang {
                    Lang::Zh => format!("{} 名专任教师无资格证", evaluation.uncertified.len()),
                    Lang::En => format!("{} full-time teachers without a certificate", evaluation.uncertified.len()),
                },
            );
        }
        let over = b.over_class_size().to_string();
        Self::card(out, self.t("班额超标学段", "Sections over the class-size limit"), &over, "");
    }

    /// Whether the county passes the resource part of the inspection (before and after).
    fn verdict(&self) -> String {
        let passes_before = self.before.passes();
        match (self.after, self.lang) {
            (Some(a), Lang::Zh) => format!(
                "资源配置评估：调整前{}，调整后{}。",
                if passes_before { "通过" } else { "未通过" },
                if a.passes() { "通过" } else { "未通过" }
            ),
            (Some(a), Lang::En) => format!(
                "Resource part of the inspection: {} before, {} after.",
                if passes_before { "passes" } else { "fails" },
                if a.passes() { "passes" } else { "fails" }
            ),
            (None, Lang::Zh) => format!("资源配置评估：{}。", if passes_before { "通过" } else { "未通过" }),
            (None, Lang::En) => {
                format!("Resource part of the inspection: {}.", if passes_before { "passes" } else { "fails" })
            }
        }
    }

    /// One coefficient's cell: green within the limit, red and marked over it.
    fn cv_cell(c: &Coefficient) -> String {
        match c.value {
            None => "<td class=\"num muted\">—</td>".into(),
            Some(v) if c.within_limit() => format!("<td class=\"num ok\">{v:.4}</td>"),
            Some(v) => format!("<td class=\"num bad\">{v:.4} ✗</td>"),
        }
    }

    /// The table of difference coefficients per level, before and after.
    fn cv_table(&self) -> String {
        let mut out = String::new();
        w!(
            out,
            "<h3>{}</h3>\n<table class=\"cv\">\n<thead>\n<tr><th rowspan=\"2\">{}</th>",
            self.t("差异系数", "Difference coefficients"),
            self.t("指标", "Indicator")
        );
        let span = if self.after.is_some() { 4 } else { 3 };
        for level in Level::BOTH {
            w!(out, "<th colspan=\"{span}\">{}</th>", self.level_title(level));
        }
        out.push_str("</tr>\n<tr>");
        for _ in Level::BOTH {
            if self.after.is_some() {
                w!(
                    out,
                    "<th class=\"num\">{}</th><th class=\"num\">{}</th>",
                    self.t("调整前", "before"),
                    self.t("调整后", "after")
                );
            } else {
                w!(out, "<th class=\"num\">{}</th>", self.t("现值", "value"));
            }
            w!(
                out,
                "<th class=\"num\">{}</th><th class=\"num\">{}</th>",
                self.t("限值", "limit"),
                self.t("学段数", "sections")
            );
        }
        out.push_str("</tr>\n</thead>\n<tbody>\n");
        for ind in Indicator::ALL {
            w!(out, "<tr><td>{}</td>", self.indicator_name(ind));
            for level in Level::BOTH {
                let b = &self.before.cv[&(level, ind)];
                out.push_str(&Self::cv_cell(b));
                if let Some(a) = self.after {
                    let c = &a.cv[&(level, ind)];
                    out.push_str(&Self::cv_cell(c));
                }
                w!(out, "<td class=\"num\">≤ {}</td><td class=\"num\">{}</td>", trim_number(b.limit), b.sections);
            }
            out.push_str("</tr>\n");
        }
        w!(
            out,
            "</tbody>\n</table>\n<p class=\"muted\">{}</p>\n",
            self.t(
                "差异系数按学生数加权（总体标准差 / 加权平均值），只计入县域统计的学段；设施指标只计有数据的学段；“—”表示无数据或平均值为 0。",
                "Difference coefficients are student-weighted (population standard deviation / weighted mean) over the counted sections; facility coefficients use only sections with data; “—” means no data or a mean of 0."
            )
        );
        out
    }
}
