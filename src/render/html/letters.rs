//! The letter to one school: its departures, arrivals and hires (with the
//! reasons), the figures of each of its sections and, for an evaluation, its
//! teachers without a certificate.

use std::fmt::Write as _;

use crate::plan::{HirePlacement, Move, Plan};
use crate::render::html::format::fmt_km;
use crate::render::html::{escape, Report};
use crate::render::Lang;
use crate::rules::indicators::SectionFigures;

impl Report<'_> {
    pub(super) fn move_table(&self, plan: &Plan, moves: &[&Move], departures: bool) -> String {
        let mut out = String::new();
        w!(
            out,
            "<table class=\"{}\">\n<thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th class=\"num\">{}</th><th>{}</th></tr></thead>\n<tbody>\n",
            if departures { "departures" } else { "arrivals" },
            self.t("教师编号", "Teacher id"),
            self.t("姓名", "Name"),
            self.t("学段", "Section"),
            self.t("学科", "Subject"),
            self.t("骨干级别", "Backbone"),
            if departures { self.t("调入学校", "To") } else { self.t("调出学校", "From") },
            self.t("距离 km", "km"),
            self.t("理由", "Reason"),
        );
        for m in moves {
            let t = &self.county.teachers[m.teacher];
            w!(
                out,
                "<tr><td class=\"nowrap\">{}</td><td class=\"nowrap\">{}</td><td class=\"nowrap\">{}</td><td class=\"nowrap\">{}</td><td class=\"nowrap\">{}</td><td class=\"school\">{}</td><td class=\"num\">{}</td><td class=\"reason\">{}</td></tr>\n",
                escape(&t.id),
                escape(&t.name),
                self.level_word(m.level),
                self.subject_word(t.subject),
                self.backbone_word(t.backbone),
                self.school_link(if departures { m.to } else { m.from }),
                fmt_km(m.km),
                escape(&crate::render::reasons::move_reason(self.county, plan, m, self.lang))
            );
        }
        out.push_str("</tbody>\n</table>\n");
        out
    }

    pub(super) fn school_letter(&self, pos: usize) -> String {
        let county = self.county;
        let school = &county.schools[pos];
        let year = county.policy.year;
        let mut out = String::new();
        w!(
            out,
            "<section class=\"school\" id=\"school-{}\">\n<h2>{}</h2>\n",
            escape(&school.id),
            self.school_label(pos)
        );
        let kind = match self.lang {
            Lang::Zh => school.kind.word_zh(),
            Lang::En => school.kind.word(),
        };
        let area = match self.lang {
            Lang::Zh => school.area.word_zh(),
            Lang::En => school.area.word(),
        };
        w!(
            out,
            "<p class=\"muted\">{} {} · {} {} · {}</p>\n",
            self.t("乡镇", "Town"),
            escape(&school.town),
            self.t("类型", "Kind"),
            kind,
            area
        );
        let sections: Vec<(usize, &SectionFigures)> =
            self.before.sections.iter().enumerate().filter(|(_, s)| s.school == pos).collect();
        let failing_after: Vec<&SectionFigures> = sections
            .iter()
            .map(|(i, b)| self.after.map_or(*b, |a| &a.sections[*i]))
            .filter(|s| s.counted && s.compliant == Some(false))
            .collect();
        let name = escape(&school.name);
        match self.plan {
            Some(plan) => {
                let departures: Vec<&Move> = plan.moves.iter().filter(|m| m.from == pos).collect();
                let mut arrivals: Vec<&Move> = plan.moves.iter().filter(|m| m.to == pos).collect();
                arrivals.sort_by(|a, b| county.teachers[a.teacher].id.cmp(&county.teachers[b.teacher].id));
                let hires: Vec<&HirePlacement> = plan.hires.iter().filter(|h| h.to == pos).collect();
                let greeting = match self.lang {
                    Lang::Zh if departures.is_empty() && arrivals.is_empty() && hires.is_empty() => {
                        format!("{name}：根据 {year} 年度义务教育教师交流轮岗方案，本校本年度无教师调出或调入。")
                    }
                    Lang::En if departures.is_empty() && arrivals.is_empty() && hires.is_empty() => {
                        format!("To {name}: under the {year} teacher exchange rotation plan, no teacher leaves or joins your school this year.")
                    }
                    Lang::Zh => format!(
                        "{name}：根据 {year} 年度义务教育教师交流轮岗方案，本校调出教师 {} 人、调入教师 {} 人{}。",
                        departures.len(),
                        arrivals.len(),
                        if hires.is_empty() { String::new() } else { format!("、新招聘教师 {} 人", hires.len()) }
                    ),
                    Lang::En => format!(
                        "To {name}: under the {year} teacher exchange rotation plan, {} teacher(s) leave your school and {} arrive{}.",
                        departures.len(),
                        arrivals.len(),
                        if hires.is_empty() { String::new() } else { format!("; {} new hire(s) are placed here", hires.len()) }
                    ),
                };
                w!(out, "<p class=\"letter\">{greeting}</p>\n");
                w!(out, "<h3>{}</h3>\n", self.t("调出", "Departures"));
                if departures.is_empty() {
                    w!(out, "<p class=\"muted\">{}</p>\n", self.t("本校无教师调出。", "No teacher leaves the school."));
                } else {
                    out.push_str(&self.move_table(plan, &departures, true));
                }
                w!(out, "<h3>{}</h3>\n", self.t("调入", "Arrivals"));
                if arrivals.is_empty() {
                    w!(out, "<p class=\"muted\">{}</p>\n", self.t("本校无教师调入。", "No teacher arrives."));
                } else {
                    out.push_str(&self.move_table(plan, &arrivals, false));
                }
                if !hires.is_empty() {
                    w!(out, "<h3>{}</h3>\n<table class=\"hires\">\n", self.t("新招聘教师", "New hires"));
                    out.push_str(&self.hire_header(false));
                    out.push_str("<tbody>\n");
                    for h in hires {
                        out.push_str(&self.hire_row(plan, h, false));
                    }
                    out.push_str("</tbody>\n</table>\n");
                }
            }
            None => {
                let greeting = match self.lang {
                    Lang::Zh => format!("{name}：以下为本校 {year} 年度义务教育优质均衡资源配置指标评估结果。"),
                    Lang::En => {
                        format!("To {name}: the resource indicators of your school for {year}, as the data stands.")
                    }
                };
                w!(out, "<p class=\"letter\">{greeting}</p>\n");
            }
        }
        for (i, b) in &sections {
            let a = self.after.map(|f| &f.sections[*i]);
            out.push_str(&self.section_figures(b, a));
        }
        if sections.iter().all(|(_, s)| !s.counted) {
            // Nothing more to say: the notes above explain why.
        } else if failing_after.is_empty() {
            let text = match self.after {
                Some(_) => self
                    .t("调整后本校各计入学段均达标。", "After the plan every counted section of the school complies."),
                None => self.t("本校各计入学段均达标。", "Every counted section of the school complies."),
            };
            w!(out, "<p class=\"verdict ok\">{text}</p>\n");
        }
        if self.evaluation.is_some() {
            let here: Vec<String> = self
                .uncertified
                .get(school.id.as_str())
                .into_iter()
                .flatten()
                .map(|t| format!("{} <span class=\"id\">{}</span>", escape(&t.name), escape(&t.id)))
                .collect();
            if !here.is_empty() {
                w!(
                    out,
                    "<p class=\"note\">{}{}</p>\n",
                    self.t("未持教师资格证的专任教师：", "Full-time teachers without a teaching certificate: "),
                    here.join(self.t("、", ", "))
                );
            }
        }
        out.push_str("</section>\n");
        out
    }
}
