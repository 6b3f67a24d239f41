//! The county-wide lists of a plan: every move (with its reason) and every
//! placed hire.

use std::fmt::Write as _;

use crate::plan::{HirePlacement, Plan, Return};
use crate::render::html::format::fmt_km;
use crate::render::html::{escape, Report};
use crate::render::Lang;

impl Report<'_> {
    /// The rotation list: every move of the plan with its reason.
    pub(super) fn rotation_list(&self, plan: &Plan) -> String {
        let mut out = String::new();
        w!(out, "<section id=\"rotations\">\n<h2>{}</h2>\n", self.t("交流名单", "Rotation list"));
        if plan.moves.is_empty() {
            w!(out, "<p>{}</p>\n</section>\n", self.t("本方案没有教师交流。", "The plan moves no teacher."));
            return out;
        }
        let policy = &self.county.policy;
        w!(
            out,
            "<p class=\"muted\">{}</p>\n",
            match self.lang {
                Lang::Zh => format!(
                    "共 {} 人，交流期 {} 年（至 {} 年返回或续任）。按调出学校、教师编号排序。",
                    plan.moves.len(),
                    policy.rotation.years,
                    policy.year + policy.rotation.years
                ),
                Lang::En => format!(
                    "{} teachers, for {} years (return year {}). Sorted by school of origin, then teacher id.",
                    plan.moves.len(),
                    policy.rotation.years,
                    policy.year + policy.rotation.years
                ),
            }
        );
        w!(
            out,
            "<table id=\"rotation-table\">\n<thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th class=\"num\">{}</th><th>{}</th><th>{}</th></tr></thead>\n<tbody>\n",
            self.t("教师编号", "Teacher id"),
            self.t("姓名", "Name"),
            self.t("学段", "Section"),
            self.t("学科", "Subject"),
            self.t("调出学校", "From"),
            self.t("调入学校", "To"),
            self.t("距离 km", "km"),
            self.t("骨干级别", "Backbone"),
            self.t("理由", "Reason"),
        );
        for m in &plan.moves {
            let t = &self.county.teachers[m.teacher];
            w!(
                out,
                "<tr class=\"move\"><td class=\"nowrap\">{}</td><td class=\"nowrap\">{}</td><td class=\"nowrap\">{}</td><td class=\"nowrap\">{}</td><td class=\"school\">{}</td><td class=\"school\">{}</td><td class=\"num\">{}</td><td class=\"nowrap\">{}</td><td class=\"reason\">{}</td></tr>\n",
                escape(&t.id),
                escape(&t.name),
                self.level_word(m.level),
                self.subject_word(t.subject),
                self.school_link(m.from),
                self.school_link(m.to),
                fmt_km(m.km),
                self.backbone_word(t.backbone),
                escape(&self.move_reason(plan, m))
            );
        }
        out.push_str("</tbody>\n</table>\n</section>\n");
        out
    }

    /// The head of a hires table (with the school column in the county-wide list).
    pub(super) fn hire_header(&self, with_school: bool) -> String {
        let mut out = format!(
            "<thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th>",
            self.t("编号", "Hire id"),
            self.t("学段", "Section"),
            self.t("学科", "Subject"),
            self.t("学历", "Degree"),
            self.t("骨干级别", "Backbone"),
        );
        if with_school {
            w!(out, "<th>{}</th>", self.t("安排学校", "School"));
        }
        w!(out, "<th>{}</th></tr></thead>\n", self.t("理由", "Reason"));
        out
    }

    /// One placed hire with its reason (and its school in the county-wide list).
    pub(super) fn hire_row(&self, plan: &Plan, h: &HirePlacement, with_school: bool) -> String {
        let g = &plan.hire_groups[h.group];
        let mut out = format!(
            "<tr class=\"hire\"><td class=\"nowrap\">{}</td><td class=\"nowrap\">{}</td><td class=\"nowrap\">{}</td><td class=\"nowrap\">{}</td><td class=\"nowrap\">{}</td>",
            escape(&h.id),
            self.level_word(g.level),
            self.subject_word(g.subject),
            self.degree_word(g.degree),
            self.backbone_word(g.backbone),
        );
        if with_school {
            w!(out, "<td class=\"school\">{}</td>", self.school_link(h.to));
        }
        w!(
            out,
            "<td class=\"reason\">{}</td></tr>\n",
            escape(&crate::render::reasons::hire_reason(self.county, plan, h, self.lang))
        );
        out
    }

    /// The placement of hires across the county.
    pub(super) fn hire_list(&self, plan: &Plan) -> String {
        let mut out = String::new();
        w!(
            out,
            "<section id=\"hires\">\n<h2>{}</h2>\n<table id=\"hire-table\">\n",
            self.t("新招聘教师安排", "Placement of hires")
        );
        out.push_str(&self.hire_header(true));
        out.push_str("<tbody>\n");
        for h in &plan.hires {
            out.push_str(&self.hire_row(plan, h, true));
        }
        out.push_str("</tbody>\n</table>\n</section>\n");
        out
    }

    /// The returns from exchange, apart from the rotations: every due
    /// return (home, or extended by one year) with its reason.
    pub(super) fn return_list(&self, plan: &Plan) -> String {
        let mut out = String::new();
        w!(out, "<section id=\"returns\">\n<h2>{}</h2>\n", self.t("交流期满返回", "Returns from exchange"));
        let (done, extended) = (plan.returns_done(), plan.returns_extended());
        let note = match self.lang {
            Lang::Zh => format!("返回原学校 {done} 人，续任一年 {extended} 人；返回不计入交流比例，计入各项指标与编制。"),
            Lang::En => format!(
                "{done} return home, {extended} extended by one year; returns do not count toward the rotation shares, and count in every figure and the staffing rules."
            ),
        };
        w!(out, "<p class=\"muted\">{}</p>\n<table id=\"return-table\">\n", escape(&note));
        out.push_str(&self.return_header(true));
        out.push_str("<tbody>\n");
        for r in &plan.returns {
            out.push_str(&self.return_row(plan, r, true));
        }
        out.push_str("</tbody>\n</table>\n</section>\n");
        out
    }

    /// The head of a returns table (with the host in the county-wide list).
    pub(super) fn return_header(&self, with_host: bool) -> String {
        let mut out = format!(
            "<thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th>",
            self.t("教师编号", "Teacher id"),
            self.t("姓名", "Name"),
            self.t("学段", "Section"),
            self.t("学科", "Subject"),
            self.t("类别", "Kind"),
        );
        if with_host {
            w!(out, "<th>{}</th>", self.t("交流学校", "Host school"));
        }
        w!(out, "<th>{}</th><th>{}</th></tr></thead>\n", self.t("原学校", "Home school"), self.t("理由", "Reason"));
        out
    }

    /// One due return with its reason.
    pub(super) fn return_row(&self, plan: &Plan, r: &Return, with_host: bool) -> String {
        use crate::render::words::{word, ListKind, Worded};
        let t = &self.county.teachers[r.teacher];
        let kind = if r.extended { ListKind::Extend } else { ListKind::Return };
        let mut out = format!(
            "<tr class=\"{}\"><td class=\"nowrap\">{}</td><td class=\"nowrap\">{}</td><td class=\"nowrap\">{}</td><td class=\"nowrap\">{}</td><td class=\"nowrap\">{}</td>",
            kind.phrase().en,
            escape(&t.id),
            escape(&t.name),
            self.level_word(r.level),
            self.subject_word(t.subject),
            word(kind, self.lang),
        );
        if with_host {
            w!(out, "<td class=\"school\">{}</td>", self.school_link(r.host));
        }
        let x = crate::explain::explain_return(self.county, plan, r);
        w!(
            out,
            "<td class=\"school\">{}</td><td class=\"reason\">{}</td></tr>\n",
            self.school_link(r.home),
            escape(&crate::render::reasons::return_words(self.county, &x, self.lang))
        );
        out
    }
}
