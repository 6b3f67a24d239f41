//! The principals part of report.html (rule `principals`): eligible
//! principals and vice principals, their required and allowed moves, and
//! each principal's move with the one of the same role whose seat it takes.

use std::fmt::Write as _;

use crate::domain::Role;
use crate::plan::Plan;
use crate::render::html::{escape, Report};
use crate::render::words::word;
use crate::render::Lang;

impl Report<'_> {
    /// The section `#principals`: empty when the county has no eligible
    /// principal or vice principal and none moves.
    pub(super) fn principals_section(&self, plan: &Plan) -> String {
        let county = self.county;
        let moved: Vec<_> = plan.moves.iter().filter(|m| county.teachers[m.teacher].role != Role::Teacher).collect();
        let bounds = plan.principals;
        if bounds.eligible == 0 && moved.is_empty() {
            return String::new();
        }
        let mut out = String::new();
        w!(out, "<section id=\"principals\">\n<h2>{}</h2>\n", self.t("校长、副校长交流", "Principals' rotation"));
        let note = match self.lang {
            Lang::Zh => format!(
                "符合条件的校长、副校长 {} 人（在校满 {} 年）；应交流 {} 人，至多 {} 人，已安排 {} 人。对等交流：调出校长的学校调入校长，调出副校长的学校调入副校长。",
                bounds.eligible,
                county.policy.principals.min_years_at_school,
                bounds.required,
                bounds.most,
                moved.len()
            ),
            Lang::En => format!(
                "{} eligible principals and vice principals ({} years or more at the school); {} moves required, at most {}, {} planned. Role for role: a school that loses its principal receives one, and likewise for vice principals.",
                bounds.eligible,
                county.policy.principals.min_years_at_school,
                bounds.required,
                bounds.most,
                moved.len()
            ),
        };
        w!(out, "<p>{}</p>\n", escape(&note));
        if !moved.is_empty() {
            w!(
                out,
                "<table id=\"principal-table\">\n<thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead>\n<tbody>\n",
                self.t("教师编号", "Teacher id"),
                self.t("姓名", "Name"),
                self.t("职务", "Role"),
                self.t("调出学校", "From"),
                self.t("调入学校", "To"),
                self.t("接替", "Takes the seat of"),
            );
            for m in moved {
                let x = crate::explain::explain_move(county, plan, m);
                let t = &county.teachers[m.teacher];
                let seat: Vec<String> = x
                    .seat_of
                    .iter()
                    .map(|&s| format!("{} {}", county.teachers[s].id, county.teachers[s].name))
                    .collect();
                w!(
                    out,
                    "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n",
                    escape(&t.id),
                    escape(&t.name),
                    escape(word(t.role, self.lang)),
                    escape(&county.schools[m.from].name),
                    escape(&county.schools[m.to].name),
                    escape(&seat.join(self.lang.pick("、", ", "))),
                );
            }
            out.push_str("</tbody>\n</table>\n");
        }
        out.push_str("</section>\n");
        out
    }
}
