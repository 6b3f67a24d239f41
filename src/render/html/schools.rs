//! The overview of every school section: compliance (before and after a
//! plan), shortfall and moves out and in, each linking to the school's letter.

use std::fmt::Write as _;

use crate::render::html::Report;

impl Report<'_> {
    /// One row per school section: students, compliance and shortfall
    /// (before and after a plan), and the plan's moves out and in.
    pub(super) fn school_overview(&self) -> String {
        let mut out = String::new();
        w!(out, "<section id=\"schools\">\n<h2>{}</h2>\n", self.t("学校一览", "Schools"));
        w!(
            out,
            "<table id=\"school-table\">\n<thead><tr><th>{}</th><th>{}</th><th class=\"num\">{}</th>",
            self.t("学校", "School"),
            self.t("学段", "Section"),
            self.t("学生数", "Students")
        );
        match self.after {
            Some(_) => w!(
                out,
                "<th>{}</th><th>{}</th><th class=\"num\">{}</th><th class=\"num\">{}</th><th class=\"num\">{}</th>",
                self.t("调整前", "Before"),
                self.t("调整后", "After"),
                self.t("缺口 前→后", "Shortfall before→after"),
                self.t("调出", "Out"),
                self.t("调入", "In"),
            ),
            None => w!(
                out,
                "<th>{}</th><th class=\"num\">{}</th>",
                self.t("达标情况", "Compliance"),
                self.t("缺口", "Shortfall")
            ),
        }
        out.push_str("</tr></thead>\n<tbody>\n");
        for (i, b) in self.before.sections.iter().enumerate() {
            let not_counted = if b.counted {
                String::new()
            } else {
                format!(" <span class=\"muted\">{}</span>", self.t("（不计入）", "(not counted)"))
            };
            w!(
                out,
                "<tr><td>{}</td><td>{}{not_counted}</td><td class=\"num\">{}</td>",
                self.school_link(b.school),
                self.level_word(b.level),
                b.students
            );
            match (self.after, self.plan) {
                (Some(after), Some(plan)) => {
                    let a = &after.sections[i];
                    let out_n = plan.moves.iter().filter(|m| m.from == b.school && m.level == b.level).count();
                    let in_n = plan.moves.iter().filter(|m| m.to == b.school && m.level == b.level).count();
                    w!(
                        out,
                        "<td>{}</td><td>{}</td><td class=\"num\">{} → {}</td><td class=\"num\">{out_n}</td><td class=\"num\">{in_n}</td>",
                        self.compliance_word(b),
                        self.compliance_word(a),
                        b.shortfall,
                        a.shortfall
                    );
                }
                _ => w!(out, "<td>{}</td><td class=\"num\">{}</td>", self.compliance_word(b), b.shortfall),
            }
            out.push_str("</tr>\n");
        }
        out.push_str("</tbody>\n</table>\n</section>\n");
        out
    }
}
