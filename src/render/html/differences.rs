//! The parts of `score`'s report.html that a plan's page lacks: the rules
//! the edited list breaks (at the top of the page), and how it differs from
//! the optimizer's plan — each teacher whose line differs and the figures
//! side by side. The rest of the page is the plan's own ([`Report`]), drawn
//! from the edited list as a hand-made plan.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;

use crate::domain::changes::ListChange;
use crate::domain::County;
use crate::plan::Plan;
use crate::render::diagnosis::violation_line;
use crate::render::html::{escape, Report};
use crate::render::Lang;
use crate::rules::audit::Violation;

/// What `score` found, for its page.
pub struct ScorePicture<'a> {
    /// The edited list as a hand-made plan.
    pub edited: &'a Plan,
    /// Every hard rule the edited list breaks.
    pub violations: &'a [Violation],
    /// The optimizer's plan for the same data (None: no plan keeps every rule).
    pub optimizer: Option<&'a Plan>,
    /// Each teacher whose line differs, from the optimizer's plan to the edited list.
    pub changes: &'a [ListChange],
}

/// One figure of the comparison: its name, the edited list's value, the
/// optimizer's, and how it is shown.
pub struct FigureRow {
    /// Name in Chinese.
    pub zh: &'static str,
    /// Name in English.
    pub en: &'static str,
    /// The edited list's value.
    pub edited: f64,
    /// The optimizer's value.
    pub optimizer: Option<f64>,
    /// Decimals shown (a share is shown as a percentage).
    pub digits: usize,
    /// Whether the value is a share (shown as a percentage).
    pub share: bool,
}

impl FigureRow {
    /// The value as the page and the terminal show it.
    pub fn show(&self, value: f64) -> String {
        if self.share {
            format!("{:.1}%", value * 100.0)
        } else {
            format!("{value:.*}", self.digits)
        }
    }
    /// The difference, edited minus optimizer, with its sign.
    pub fn difference(&self) -> Option<String> {
        let d = self.edited - self.optimizer?;
        Some(if self.share { format!("{:+.1}%", d * 100.0) } else { format!("{d:+.*}", self.digits) })
    }
}

/// The figures side by side: compliant sections, shortfall, Σ CV², km,
/// moves and the backbone share.
pub fn figure_rows(county: &County, edited: &Plan, optimizer: Option<&Plan>) -> Vec<FigureRow> {
    type Figure = fn(&County, &Plan) -> f64;
    let figures: [(&str, &str, usize, bool, Figure); 6] = [
        ("达标学段", "compliant sections", 0, false, |_, p| p.after.compliant() as f64),
        ("缺口（人）", "shortfall", 0, false, |_, p| f64::from(p.after.shortfall())),
        ("差异系数平方和", "sum of CV²", 6, false, |_, p| p.after.teacher_cv_squares()),
        ("总距离（公里）", "distance km", 1, false, |_, p| p.distance_km()),
        ("交流人数", "moves", 0, false, |_, p| p.moves.len() as f64),
        ("骨干占比", "backbone share", 1, true, |c, p| p.backbone_share(c)),
    ];
    figures
        .into_iter()
        .map(|(zh, en, digits, share, value)| FigureRow {
            zh,
            en,
            edited: value(county, edited),
            optimizer: optimizer.map(|p| value(county, p)),
            digits,
            share,
        })
        .collect()
}

/// The English word of a change in differences.csv.
pub fn change_key(change: &ListChange) -> &'static str {
    match change {
        ListChange::Added { .. } => "added",
        ListChange::Dropped { .. } => "dropped",
        ListChange::Redirected { .. } => "redirected",
    }
}

/// The word of a change for people.
pub fn change_word(change: &ListChange, lang: Lang) -> &'static str {
    match change {
        ListChange::Added { .. } => lang.pick("新增（优化方案无此人）", "added (not in the optimizer's plan)"),
        ListChange::Dropped { .. } => lang.pick("删去（优化方案有此人）", "dropped (in the optimizer's plan)"),
        ListChange::Redirected { .. } => lang.pick("改派他校", "sent elsewhere"),
    }
}

/// The optimizer's destination and the edited list's, by school id (empty
/// where the list has no line for the teacher).
pub fn destinations(change: &ListChange) -> (&str, &str) {
    match change {
        ListChange::Added { to, .. } => ("", to),
        ListChange::Dropped { was, .. } => (was, ""),
        ListChange::Redirected { was, to, .. } => (was, to),
    }
}

/// report.html of `score`: the plan's page of the edited list, with the
/// rules it breaks and its differences from the optimizer's plan first.
pub fn score_report(county: &County, picture: &ScorePicture, lang: Lang) -> String {
    let report = Report {
        county,
        lang,
        before: &picture.edited.before,
        after: Some(&picture.edited.after),
        plan: Some(picture.edited),
        evaluation: None,
        uncertified: BTreeMap::new(),
        reasons: Default::default(),
    };
    let mut preface = report.violations_part(picture.violations);
    preface.push_str(&report.differences_part(picture));
    report.render_with(&preface)
}

impl Report<'_> {
    /// The rules the edited list breaks, or that it keeps them all.
    fn violations_part(&self, violations: &[Violation]) -> String {
        let mut out = String::new();
        w!(out, "<section id=\"violations\">\n<h2>{}</h2>\n", self.t("交流规则检查", "Rule check"));
        if violations.is_empty() {
            w!(
                out,
                "<p class=\"ok\">{}</p>\n",
                self.t("该名单符合全部交流规则。", "The edited list keeps every rule.")
            );
        } else {
            w!(
                out,
                "<div class=\"fail\">\n<p class=\"bad\">{}</p>\n<ul>\n",
                match self.lang {
                    Lang::Zh => format!("该名单有 {} 处违反交流规则：", violations.len()),
                    Lang::En => format!("{} rule violation(s) in the edited list:", violations.len()),
                }
            );
            for v in violations {
                w!(out, "<li>{}</li>\n", escape(&violation_line(v, self.lang)));
            }
            out.push_str("</ul>\n</div>\n");
        }
        out.push_str("</section>\n");
        out
    }

    /// The differences from the optimizer's plan: its standing, the figures
    /// side by side and each teacher whose line differs.
    fn differences_part(&self, picture: &ScorePicture) -> String {
        let mut out = String::new();
        w!(
            out,
            "<section id=\"differences\">\n<h2>{}</h2>\n",
            self.t("与优化方案的差异", "Differences from the optimizer's plan")
        );
        let Some(optimizer) = picture.optimizer else {
            w!(
                out,
                "<p>{}</p>\n</section>\n",
                self.t(
                    "该数据不存在满足全部规则的方案，无从比较。",
                    "No plan keeps every rule on these data, so there is nothing to compare with."
                )
            );
            return out;
        };
        w!(out, "<p class=\"note\">{}</p>\n", escape(&optimizer_standing(optimizer, self.lang)));
        out.push_str(&self.figures_side_by_side(picture.edited, optimizer));
        out.push_str(&self.changed_lines(picture.changes));
        out.push_str("</section>\n");
        out
    }

    /// The table of figures: edited list, optimizer's plan, difference.
    fn figures_side_by_side(&self, edited: &Plan, optimizer: &Plan) -> String {
        let mut out = String::new();
        w!(
            out,
            "<table class=\"figures\" id=\"difference-figures\">\n<thead><tr><th></th><th class=\"num\">{}</th><th class=\"num\">{}</th><th class=\"num\">{}</th></tr></thead>\n<tbody>\n",
            self.t("编辑后名单", "Edited list"),
            self.t("优化方案", "Optimizer"),
            self.t("差值", "Difference"),
        );
        for row in figure_rows(self.county, edited, Some(optimizer)) {
            w!(
                out,
                "<tr><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>\n",
                self.t(row.zh, row.en),
                row.show(row.edited),
                row.optimizer.map(|o| row.show(o)).unwrap_or_default(),
                row.difference().unwrap_or_default(),
            );
        }
        out.push_str("</tbody>\n</table>\n");
        out
    }

    /// Each teacher whose line differs, with both destinations.
    fn changed_lines(&self, changes: &[ListChange]) -> String {
        let mut out = String::new();
        if changes.is_empty() {
            w!(
                out,
                "<p>{}</p>\n",
                self.t(
                    "编辑后名单与优化方案的交流名单相同。",
                    "The edited list names the same moves as the optimizer's plan."
                )
            );
            return out;
        }
        w!(
            out,
            "<p>{}</p>\n<table id=\"difference-table\">\n<thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead>\n<tbody>\n",
            match self.lang {
                Lang::Zh => format!("{} 名教师的安排与优化方案不同：", changes.len()),
                Lang::En => format!("{} teacher(s) placed differently from the optimizer's plan:", changes.len()),
            },
            self.t("教师编号", "Teacher id"),
            self.t("姓名", "Name"),
            self.t("调出学校", "From"),
            self.t("差异", "Change"),
            self.t("优化方案调入", "Optimizer's destination"),
            self.t("编辑后调入", "Edited destination"),
        );
        let teachers: HashMap<&str, &crate::domain::Teacher> =
            self.county.teachers.iter().map(|t| (t.id.as_str(), t)).collect();
        for change in changes {
            let teacher = teachers.get(change.teacher_id().trim());
            let (was, to) = destinations(change);
            w!(
                out,
                "<tr class=\"difference\"><td class=\"nowrap\">{}</td><td class=\"nowrap\">{}</td><td class=\"school\">{}</td><td>{}</td><td class=\"school\">{}</td><td class=\"school\">{}</td></tr>\n",
                escape(change.teacher_id()),
                escape(teacher.map_or("", |t| t.name.as_str())),
                self.school_named(teacher.map_or("", |t| t.school_id.as_str())),
                change_word(change, self.lang),
                self.school_named(was),
                self.school_named(to),
            );
        }
        out.push_str("</tbody>\n</table>\n");
        out
    }

    /// A school's name with its id, by id (the id alone when unknown).
    fn school_named(&self, id: &str) -> String {
        match self.county.school_pos(id.trim()) {
            Some(pos) => format!("{} <span class=\"id\">{}</span>", escape(&self.county.schools[pos].name), escape(id)),
            None => escape(id),
        }
    }
}

/// Whether the optimizer's plan is proven optimal, or the gap of its best
/// plan when the time ran out.
pub fn optimizer_standing(optimizer: &Plan, lang: Lang) -> String {
    if optimizer.proven_optimal() {
        lang.pick("优化方案已证明最优。", "The optimizer's plan is proven optimal.").to_string()
    } else {
        let gap = crate::render::terminal::gap_words(optimizer, lang);
        match lang {
            Lang::Zh => format!("求解器在时限内未能证明最优，以下与其找到的最好方案比较（{gap}）。"),
            Lang::En => format!(
                "The optimizer ran out of time before proving its plan optimal; compared with its best plan ({gap})."
            ),
        }
    }
}
