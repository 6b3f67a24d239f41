//! The applications part of report.html (only for a county with
//! applications): the counts of the summary, the moves granted by wish
//! rank, and the non-volunteers moved with why no volunteer took the place.

use std::fmt::Write as _;

use crate::explain::applications::{Context, NoVolunteerReason};
use crate::explain::ApplicationsSummary;
use crate::plan::Plan;
use crate::render::applications::why_name;
use crate::render::html::{escape, Report};
use crate::render::reasons::no_volunteer_words;
use crate::render::Lang;

impl Report<'_> {
    /// The section `#applications`: empty without applications.
    pub(super) fn applications_section(&self, plan: &Plan) -> String {
        let Some(a) = crate::explain::applications_summary(self.county, plan) else { return String::new() };
        let mut out = String::new();
        w!(
            out,
            "<section id=\"applications\">\n<h2>{}</h2>\n<div class=\"cards\">\n",
            self.t("交流申请", "Applications")
        );
        let share =
            |n: usize, of: usize| if of == 0 { String::new() } else { format!("{:.1}%", n as f64 * 100.0 / of as f64) };
        let moves = plan.moves.len();
        Self::card_plain(&mut out, self.t("申请人数", "Applicants"), a.applicants, &self.volunteers_note(&a));
        Self::card_plain(
            &mut out,
            self.t("已安排交流的自愿者", "Volunteers moved"),
            a.volunteers_moved,
            &share(a.volunteers_moved, moves),
        );
        Self::card_plain(
            &mut out,
            self.t("已安排交流的非自愿者", "Non-volunteers moved"),
            a.non_volunteers_moved,
            &share(a.non_volunteers_moved, moves),
        );
        let granted: usize = a.granted.iter().sum();
        Self::card_plain(&mut out, self.t("满足志愿人数", "Wishes granted"), granted, &share(granted, a.with_wishes));
        out.push_str("</div>\n");
        out.push_str(&self.granted_table(&a));
        out.push_str(&self.non_volunteers(plan, &a));
        out.push_str("</section>\n");
        out
    }

    fn card_plain(out: &mut String, label: &str, value: usize, note: &str) {
        w!(out, "<div class=\"card\"><div class=\"label\">{}</div><div class=\"value\">{value}</div>", escape(label));
        if !note.is_empty() {
            w!(out, "<div class=\"card-note\">{}</div>", escape(note));
        }
        out.push_str("</div>\n");
    }

    fn volunteers_note(&self, a: &ApplicationsSummary) -> String {
        match self.lang {
            Lang::Zh => format!("其中申请自愿交流 {} 人，填报志愿 {} 人", a.volunteers, a.with_wishes),
            Lang::En => format!("{} volunteers, {} with wishes", a.volunteers, a.with_wishes),
        }
    }

    /// Moves granted at each wish rank, and the applicants with wishes not granted.
    fn granted_table(&self, a: &ApplicationsSummary) -> String {
        let mut out = String::new();
        w!(out, "<h3>{}</h3>\n<table class=\"wishes\">\n<thead><tr>", self.t("志愿满足情况", "Wishes granted by rank"));
        for k in 1..=a.granted.len() {
            w!(out, "<th class=\"num\">{}</th>", escape(&self.lang.pick2(format!("第{k}志愿"), format!("Wish {k}"))));
        }
        w!(out, "<th class=\"num\">{}</th></tr></thead>\n<tbody><tr>", self.t("未满足", "Not granted"));
        for n in a.granted {
            w!(out, "<td class=\"num\">{n}</td>");
        }
        w!(out, "<td class=\"num\">{}</td></tr></tbody>\n</table>\n", a.not_granted);
        out
    }

    /// Counts of the non-volunteers moved by reason, then one row each.
    fn non_volunteers(&self, plan: &Plan, a: &ApplicationsSummary) -> String {
        let mut out = String::new();
        w!(out, "<h3>{}</h3>\n<table class=\"why\">\n<tbody>\n", self.t("非自愿交流原因", "Non-volunteers moved: why"));
        for (kind, n) in NoVolunteerReason::KINDS.iter().zip(a.why).filter(|(_, n)| *n > 0) {
            w!(out, "<tr><td>{}</td><td class=\"num\">{n}</td></tr>\n", escape(why_name(kind, self.lang)));
        }
        out.push_str("</tbody>\n</table>\n");
        let context = Context::new(self.county, plan);
        let mut rows = String::new();
        for m in &plan.moves {
            let x = context.explain(m);
            let Some(reason) = x.no_volunteer else { continue };
            let t = &self.county.teachers[m.teacher];
            let why = no_volunteer_words(reason, self.lang)
                .unwrap_or_else(|| self.t("按锁定须交流", "locked to move").to_string());
            w!(
                rows,
                "<tr><td class=\"nowrap\">{}</td><td class=\"nowrap\">{}</td><td class=\"school\">{}</td><td class=\"school\">{}</td><td class=\"reason\">{}</td></tr>\n",
                escape(&t.id),
                escape(&t.name),
                self.school_link(m.from),
                self.school_link(m.to),
                escape(&why)
            );
        }
        if !rows.is_empty() {
            w!(
                out,
                "<table class=\"non-volunteers\">\n<thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead>\n<tbody>\n{rows}</tbody>\n</table>\n",
                self.t("教师编号", "Teacher id"),
                self.t("姓名", "Name"),
                self.t("调出学校", "From"),
                self.t("调入学校", "To"),
                self.t("原因", "Why"),
            );
        }
        out
    }
}
