//! The letter to one school: its departures, arrivals and hires (with the
//! reasons), the figures of each of its sections and, for an evaluation, its
//! teachers without a certificate.

use std::fmt::Write as _;

use crate::plan::{HirePlacement, Move, Plan, Return};
use crate::render::html::format::fmt_km;
use crate::render::html::{escape, Report};
use crate::render::Lang;
use crate::rules::indicators::SectionFigures;

impl Report<'_> {
    /// The departures or the arrivals of a school, with their reasons.
    fn move_table(&self, plan: &Plan, moves: &[&Move], departures: bool) -> String {
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
                escape(&self.move_reason(plan, m))
            );
        }
        out.push_str("</tbody>\n</table>\n");
        out
    }

    /// The letter to the school at `pos`: its heading, what the plan changes
    /// there (or a greeting for an evaluation), the figures of its sections
    /// and what stays to say.
    pub(super) fn school_letter(&self, pos: usize) -> String {
        let school = &self.county.schools[pos];
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
        match self.plan {
            Some(plan) => out.push_str(&self.letter_changes(plan, pos)),
            None => out.push_str(&self.letter_greeting(pos)),
        }
        let sections: Vec<(usize, &SectionFigures)> =
            self.before.sections.iter().enumerate().filter(|(_, s)| s.school == pos).collect();
        for (i, b) in &sections {
            let a = self.after.map(|f| &f.sections[*i]);
            out.push_str(&self.section_figures(b, a));
        }
        out.push_str(&self.letter_verdict(&sections));
        if self.evaluation.is_some() {
            out.push_str(&self.uncertified_note(pos));
        }
        out.push_str("</section>\n");
        out
    }

    /// What the plan changes at a school: the greeting with the numbers of
    /// departures, arrivals and hires, then a table of each.
    fn letter_changes(&self, plan: &Plan, pos: usize) -> String {
        let county = self.county;
        let mut out = String::new();
        let departures: Vec<&Move> = plan.moves.iter().filter(|m| m.from == pos).collect();
        let mut arrivals: Vec<&Move> = plan.moves.iter().filter(|m| m.to == pos).collect();
        arrivals.sort_by(|a, b| county.teachers[a.teacher].id.cmp(&county.teachers[b.teacher].id));
        let hires: Vec<&HirePlacement> = plan.hires.iter().filter(|h| h.to == pos).collect();
        let greeting = self.plan_greeting(pos, departures.len(), arrivals.len(), hires.len());
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
        out.push_str(&self.letter_returns(plan, pos));
        if !hires.is_empty() {
            w!(out, "<h3>{}</h3>\n<table class=\"hires\">\n", self.t("新招聘教师", "New hires"));
            out.push_str(&self.hire_header(false));
            out.push_str("<tbody>\n");
            for h in hires {
                out.push_str(&self.hire_row(plan, h, false));
            }
            out.push_str("</tbody>\n</table>\n");
        }
        out
    }

    /// The returns from exchange at a school: teachers going home from it,
    /// teachers coming home to it, and due returns extended by one year
    /// (told to the host, where the teacher stays, and to the home school,
    /// which waits one more year).
    fn letter_returns(&self, plan: &Plan, pos: usize) -> String {
        let mut out = String::new();
        let leaving: Vec<&Return> = plan.returns.iter().filter(|r| r.host == pos && !r.extended).collect();
        let coming: Vec<&Return> = plan.returns.iter().filter(|r| r.home == pos && !r.extended).collect();
        let extended: Vec<&Return> =
            plan.returns.iter().filter(|r| r.extended && (r.host == pos || r.home == pos)).collect();
        for (list, zh, en, class) in [
            (leaving, "交流期满返回原学校（调出）", "Returning home from exchange (departures)", "return-departures"),
            (coming, "交流期满返回本校（调入）", "Returning home from exchange (arrivals)", "return-arrivals"),
            (
                extended,
                "交流期满续任一年（暂不返回）",
                "Exchange extended by one year (no return this year)",
                "return-extended",
            ),
        ] {
            if list.is_empty() {
                continue;
            }
            w!(out, "<h3>{}</h3>\n<table class=\"{class}\">\n", self.t(zh, en));
            out.push_str(&self.return_header(class == "return-arrivals"));
            out.push_str("<tbody>\n");
            for r in list {
                out.push_str(&self.return_row(plan, r, class == "return-arrivals"));
            }
            out.push_str("</tbody>\n</table>\n");
        }
        out
    }

    /// The opening of a plan's letter, with how many teachers leave, arrive
    /// and are hired.
    fn plan_greeting(&self, pos: usize, departures: usize, arrivals: usize, hires: usize) -> String {
        let name = escape(&self.county.schools[pos].name);
        let year = self.county.policy.year;
        let unchanged = departures == 0 && arrivals == 0 && hires == 0;
        match self.lang {
            Lang::Zh if unchanged => {
                format!("{name}：根据 {year} 年度义务教育教师交流轮岗方案，本校本年度无教师调出或调入。")
            }
            Lang::En if unchanged => format!(
                "To {name}: under the {year} teacher exchange rotation plan, no teacher leaves or joins your school this year."
            ),
            Lang::Zh => format!(
                "{name}：根据 {year} 年度义务教育教师交流轮岗方案，本校调出教师 {departures} 人、调入教师 {arrivals} 人{}。",
                if hires == 0 { String::new() } else { format!("、新招聘教师 {hires} 人") }
            ),
            Lang::En => format!(
                "To {name}: under the {year} teacher exchange rotation plan, {departures} teacher(s) leave your school and {arrivals} arrive{}.",
                if hires == 0 { String::new() } else { format!("; {hires} new hire(s) are placed here") }
            ),
        }
    }

    /// The opening of an evaluation's letter.
    fn letter_greeting(&self, pos: usize) -> String {
        let name = escape(&self.county.schools[pos].name);
        let year = self.county.policy.year;
        let greeting = match self.lang {
            Lang::Zh => format!("{name}：以下为本校 {year} 年度义务教育优质均衡资源配置指标评估结果。"),
            Lang::En => format!("To {name}: the resource indicators of your school for {year}, as the data stands."),
        };
        format!("<p class=\"letter\">{greeting}</p>\n")
    }

    /// "Every counted section complies", when the school has counted sections
    /// and none of them fails (after the plan, when there is one).
    fn letter_verdict(&self, sections: &[(usize, &SectionFigures)]) -> String {
        let any_failing = sections
            .iter()
            .map(|(i, b)| self.after.map_or(*b, |a| &a.sections[*i]))
            .any(|s| s.counted && s.compliant == Some(false));
        // Nothing more to say when no section is counted: the notes above explain why.
        if sections.iter().all(|(_, s)| !s.counted) || any_failing {
            return String::new();
        }
        let text = match self.after {
            Some(_) => {
                self.t("调整后本校各计入学段均达标。", "After the plan every counted section of the school complies.")
            }
            None => self.t("本校各计入学段均达标。", "Every counted section of the school complies."),
        };
        format!("<p class=\"verdict ok\">{text}</p>\n")
    }

    /// The school's full-time teachers without a teaching certificate, if any.
    fn uncertified_note(&self, pos: usize) -> String {
        let here: Vec<String> = self
            .uncertified
            .get(self.county.schools[pos].id.as_str())
            .into_iter()
            .flatten()
            .map(|t| format!("{} <span class=\"id\">{}</span>", escape(&t.name), escape(&t.id)))
            .collect();
        if here.is_empty() {
            return String::new();
        }
        format!(
            "<p class=\"note\">{}{}</p>\n",
            self.t("未持教师资格证的专任教师：", "Full-time teachers without a teaching certificate: "),
            here.join(self.t("、", ", "))
        )
    }
}
