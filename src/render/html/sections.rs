//! The figures of one school section: its students, classes and teachers,
//! the table of the seven indicators against their standards, its
//! compliance and, when it fails, why.

use std::fmt::Write as _;

use crate::domain::Level;
use crate::exact::to_f64;
use crate::render::html::format::{capitalise, fmt2, trim_number};
use crate::render::html::Report;
use crate::render::Lang;
use crate::rules::indicators::{self, Indicator, SectionFigures, Standing};

impl Report<'_> {
    /// The figures of one section, before and (with a plan) after: the
    /// section's head count, its indicator table, its compliance and why it
    /// fails. A section without students has its note only.
    pub(super) fn section_figures(&self, b: &SectionFigures, a: Option<&SectionFigures>) -> String {
        let mut out = self.section_intro(b, a);
        if b.not_counted_reason.is_some() && b.students == 0 {
            return out;
        }
        out.push_str(&self.figures_table(b, a));
        out.push_str(&self.compliance_line(b, a));
        out.push_str(&self.failure_box(b, a));
        out
    }

    /// The section's heading, students, classes and teachers, and why it is
    /// not counted when it is not.
    fn section_intro(&self, b: &SectionFigures, a: Option<&SectionFigures>) -> String {
        let mut out = String::new();
        let policy = &self.county.policy;
        w!(
            out,
            "<h3>{}</h3>\n",
            match self.lang {
                Lang::Zh => format!("{}学段指标", b.level.word_zh()),
                Lang::En => format!("{} section: indicators", capitalise(b.level.word())),
            }
        );
        let limit = policy.standards.class_size.get(b.level);
        let class = match (b.class_size, self.lang) {
            (Some(size), Lang::Zh) => format!(
                "，{} 个班（平均班额 {size:.1}，上限 {limit}{}）",
                b.classes,
                if b.class_size_over { "，<span class=\"bad\">超标</span>" } else { "" }
            ),
            (Some(size), Lang::En) => format!(
                ", {} classes (average {size:.1}, limit {limit}{})",
                b.classes,
                if b.class_size_over { ", <span class=\"bad\">over</span>" } else { "" }
            ),
            (None, _) => String::new(),
        };
        let teachers = match (a, self.lang) {
            (Some(a), Lang::Zh) => format!("；专任教师 {} → {} 人", b.counts.teachers, a.counts.teachers),
            (Some(a), Lang::En) => format!("; full-time teachers {} → {}", b.counts.teachers, a.counts.teachers),
            (None, Lang::Zh) => format!("；专任教师 {} 人", b.counts.teachers),
            (None, Lang::En) => format!("; {} full-time teachers", b.counts.teachers),
        };
        w!(
            out,
            "<p>{} {}{class}{teachers}</p>\n",
            self.t("学生", "Students"),
            match self.lang {
                Lang::Zh => format!("{} 人", b.students),
                Lang::En => b.students.to_string(),
            }
        );
        if let Some(reason) = b.not_counted_reason {
            w!(out, "<p class=\"note\">{}</p>\n", self.not_counted_text(reason, b.students));
        }
        out
    }

    /// The table of the seven indicators of a section.
    fn figures_table(&self, b: &SectionFigures, a: Option<&SectionFigures>) -> String {
        let mut out = self.figures_header(a.is_some());
        for ind in Indicator::ALL {
            out.push_str(&self.figures_row(ind, b, a));
        }
        out.push_str("</tbody>\n</table>\n");
        out
    }

    /// The head of the indicator table, with before and after columns for a plan.
    fn figures_header(&self, with_after: bool) -> String {
        let mut out = String::new();
        w!(
            out,
            "<table class=\"figures\">\n<thead><tr><th>{}</th><th class=\"num\">{}</th>",
            self.t("指标", "Indicator"),
            self.t("标准", "Standard")
        );
        if with_after {
            w!(
                out,
                "<th class=\"num\">{}</th><th class=\"num\">{}</th><th class=\"num\">{}</th><th class=\"num\">{}</th><th>{}</th><th>{}</th>",
                self.t("调整前", "Before"),
                self.t("调整后", "After"),
                self.t("达标需（人）", "Needed (teachers)"),
                self.t("人数 前→后", "Teachers before→after"),
                self.t("状态（调整前）", "Standing before"),
                self.t("状态（调整后）", "Standing after"),
            );
        } else {
            w!(
                out,
                "<th class=\"num\">{}</th><th class=\"num\">{}</th><th class=\"num\">{}</th><th>{}</th>",
                self.t("现值", "Value"),
                self.t("达标需（人）", "Needed (teachers)"),
                self.t("现有人数", "Teachers"),
                self.t("状态", "Standing"),
            );
        }
        out.push_str("</tr></thead>\n<tbody>\n");
        out
    }

    /// One indicator of a section: its standard, value(s), teachers needed and
    /// counted, and standing(s).
    fn figures_row(&self, ind: Indicator, b: &SectionFigures, a: Option<&SectionFigures>) -> String {
        let mut out = String::new();
        let i = ind.index();
        let standard = self.standard(ind, b.level);
        w!(out, "<tr><td>{}</td><td class=\"num\">{}</td>", self.indicator_name(ind), trim_number(standard));
        let (needed, count_before) = match ind {
            Indicator::Teacher(k) => (b.thresholds[k.index()].full.to_string(), Some(b.counts.indicator[k.index()])),
            Indicator::Facility(_) => ("—".to_string(), None),
        };
        let (word_b, class_b) = self.standing_word(b.standing[i]);
        w!(out, "<td class=\"num\">{}</td>", fmt2(b.values[i]));
        match a {
            Some(a) => {
                let (word_a, class_a) = self.standing_word(a.standing[i]);
                let counts = match (count_before, ind) {
                    (Some(c), Indicator::Teacher(k)) => format!("{c} → {}", a.counts.indicator[k.index()]),
                    _ => "—".into(),
                };
                w!(
                    out,
                    "<td class=\"num\">{}</td><td class=\"num\">{needed}</td><td class=\"num\">{counts}</td><td class=\"{class_b}\">{word_b}</td><td class=\"{class_a}\">{word_a}</td>",
                    fmt2(a.values[i])
                );
            }
            None => {
                let counts = count_before.map_or("—".to_string(), |c| c.to_string());
                w!(
                    out,
                    "<td class=\"num\">{needed}</td><td class=\"num\">{counts}</td><td class=\"{class_b}\">{word_b}</td>"
                );
            }
        }
        out.push_str("</tr>\n");
        out
    }

    /// Whether the section complies, with the indicators reached and the shortfall.
    fn compliance_line(&self, b: &SectionFigures, a: Option<&SectionFigures>) -> String {
        let line = match (a, self.lang) {
            (Some(a), Lang::Zh) => format!(
                "达标情况：调整前 {}（达标指标 {}/7，缺口 {} 人）→ 调整后 {}（达标指标 {}/7，缺口 {} 人）",
                self.compliance_word(b),
                b.reached(),
                b.shortfall,
                self.compliance_word(a),
                a.reached(),
                a.shortfall
            ),
            (Some(a), Lang::En) => format!(
                "Compliance: before {} ({}/7 indicators reach the standard, shortfall {}) → after {} ({}/7, shortfall {})",
                self.compliance_word(b),
                b.reached(),
                b.shortfall,
                self.compliance_word(a),
                a.reached(),
                a.shortfall
            ),
            (None, Lang::Zh) => format!(
                "达标情况：{}（达标指标 {}/7，缺口 {} 人）",
                self.compliance_word(b),
                b.reached(),
                b.shortfall
            ),
            (None, Lang::En) => format!(
                "Compliance: {} ({}/7 indicators reach the standard, shortfall {})",
                self.compliance_word(b),
                b.reached(),
                b.shortfall
            ),
        };
        format!("<p>{line}</p>\n")
    }

    /// Why the section fails (after the plan, when there is one), or nothing.
    fn failure_box(&self, b: &SectionFigures, a: Option<&SectionFigures>) -> String {
        let mut out = String::new();
        let last = a.unwrap_or(b);
        if last.compliant == Some(false) {
            let title = match (a.is_some(), self.lang) {
                (true, Lang::Zh) => "调整后仍未达标的原因",
                (true, Lang::En) => "Why the section still fails after the plan",
                (false, Lang::Zh) => "未达标的原因",
                (false, Lang::En) => "Why the section fails",
            };
            w!(out, "<div class=\"fail\"><strong>{title}</strong>\n<ul>\n");
            for reason in self.failure_lines(last) {
                w!(out, "<li>{reason}</li>\n");
            }
            out.push_str("</ul></div>\n");
        }
        out
    }

    /// The standard of an indicator at a level, as a number to print or draw.
    pub(super) fn standard(&self, ind: Indicator, level: Level) -> f64 {
        to_f64(&indicators::standard(&self.county.policy, ind, level))
    }

    /// Why a section fails, one line per indicator below the standard, and
    /// the rule it breaks.
    fn failure_lines(&self, s: &SectionFigures) -> Vec<String> {
        let mut lines = Vec::new();
        for ind in Indicator::ALL {
            let i = ind.index();
            let Some(standing @ (Standing::Below | Standing::Below85)) = s.standing[i] else { continue };
            let standard = self.standard(ind, s.level);
            let value = fmt2(s.values[i]);
            let floor = trim_number(to_f64(&indicators::floor85(&self.county.policy, ind, s.level)));
            let how = match (standing, self.lang) {
                (Standing::Below85, Lang::Zh) => format!("低于标准的 85%（{floor}）"),
                (Standing::Below85, Lang::En) => {
                    format!("below 85 % of the standard ({floor})")
                }
                (_, Lang::Zh) => "未达标".to_string(),
                (_, Lang::En) => "below the standard".to_string(),
            };
            let need = match ind {
                Indicator::Teacher(k) => {
                    let missing = s.missing(k);
                    match self.lang {
                        Lang::Zh => format!("，还需 {missing} 名{}", self.teacher_noun(k)),
                        Lang::En => format!("; {missing} more {} needed", self.teacher_noun(k)),
                    }
                }
                Indicator::Facility(_) => String::new(),
            };
            lines.push(match self.lang {
                Lang::Zh => {
                    format!("{}：{value}，标准 {}，{how}{need}", self.indicator_name(ind), trim_number(standard))
                }
                Lang::En => {
                    format!("{}: {value}, standard {}, {how}{need}", self.indicator_name(ind), trim_number(standard))
                }
            });
        }
        let reached = s.reached();
        lines.push(match self.lang {
            Lang::Zh => format!("规则：7 项指标中至少 6 项达标且无一项低于标准的 85%；本学段达标 {reached} 项。"),
            Lang::En => format!("Rule: at least 6 of the 7 indicators reach the standard and none is below 85 % of it; this section reaches {reached}."),
        });
        lines
    }
}
