//! The section "开齐开足" of report.html (issue 15): the subject teachers a
//! school section misses against the need of the national curriculum,
//! before (and after) the plan, as `rules::curriculum` computed them.

use std::fmt::Write as _;

use crate::render::html::{escape, Report};
use crate::render::words::Worded;
use crate::render::Lang;
use crate::rules::curriculum::SubjectGaps;

impl Report<'_> {
    /// The section `#curriculum`: the shortage list of an evaluation, or of
    /// a plan before and after.
    pub(super) fn curriculum_section(&self) -> String {
        let (before, after): (&SubjectGaps, Option<&SubjectGaps>) = match (self.plan, self.evaluation) {
            (Some(plan), _) => (&plan.gaps_before, Some(&plan.gaps_after)),
            (None, Some(ev)) => (&ev.subject_gaps, None),
            (None, None) => return String::new(),
        };
        let mut out = String::new();
        w!(
            out,
            "<section id=\"curriculum\">\n<h2>{}</h2>\n<p>{}</p>\n",
            self.t("开齐开足", "Full curriculum"),
            escape(&self.curriculum_lead(before, after))
        );
        if before.short().next().is_none() && after.is_none_or(|a| a.short().next().is_none()) {
            w!(
                out,
                "<p class=\"ok\">{}</p>\n</section>\n",
                self.t("各学段各学科均已配足。", "No section misses a subject teacher.")
            );
            return out;
        }
        out.push_str("<table>\n<thead><tr>");
        let mut heads = vec![self.t("学校", "School"), self.t("学段", "Section"), self.t("学科", "Subject")];
        heads.push(self.t("需配备", "Need"));
        match after {
            Some(_) => heads.extend([
                self.t("专任教师(前)", "Teachers before"),
                self.t("专任教师(后)", "Teachers after"),
                self.t("缺员(前)", "Missing before"),
                self.t("缺员(后)", "Missing after"),
            ]),
            None => heads.extend([self.t("专任教师", "Teachers"), self.t("缺员", "Missing")]),
        }
        for (i, h) in heads.iter().enumerate() {
            let class = if i >= 3 { " class=\"num\"" } else { "" };
            w!(out, "<th{class}>{}</th>", escape(h));
        }
        out.push_str("</tr></thead>\n<tbody>\n");
        for b in &before.rows {
            let a = after.map(|a| a.row(b.school, b.level, b.subject).unwrap_or(b));
            if b.missing() == 0 && a.is_none_or(|a| a.missing() == 0) {
                continue;
            }
            let school = &self.county.schools[b.school];
            w!(
                out,
                "<tr><td class=\"school\">{} <span class=\"id\">{}</span></td><td>{}</td><td>{}</td><td class=\"num\">{}</td>",
                escape(&school.name),
                escape(&school.id),
                b.level.phrase().get(self.lang),
                b.subject.phrase().get(self.lang),
                b.need
            );
            let missing = |n: u32| {
                if n > 0 {
                    format!("<td class=\"num bad\">{n}</td>")
                } else {
                    "<td class=\"num\">0</td>".into()
                }
            };
            match a {
                Some(a) => w!(
                    out,
                    "<td class=\"num\">{}</td><td class=\"num\">{}</td>{}{}</tr>\n",
                    b.teachers,
                    a.teachers,
                    missing(b.missing()),
                    missing(a.missing())
                ),
                None => w!(out, "<td class=\"num\">{}</td>{}</tr>\n", b.teachers, missing(b.missing())),
            }
        }
        out.push_str("</tbody>\n</table>\n</section>\n");
        out
    }

    /// The sentence above the list: how the need is computed and the totals.
    fn curriculum_lead(&self, before: &SubjectGaps, after: Option<&SubjectGaps>) -> String {
        let (missing, sections) = (before.missing(), before.sections_short());
        match (self.lang, after) {
            (Lang::Zh, None) => format!(
                "每个学段每门学科需配备的专任教师数按国家课程方案计算：⌈班数 × 周课时 ÷ 教师满工作量⌉（或 staffing.csv）。全县学科专任教师缺员 {missing} 人，涉及 {sections} 个学段。"
            ),
            (Lang::En, None) => format!(
                "The teachers each section needs for each subject follow the national curriculum: ⌈classes × weekly periods ÷ full load⌉ (or staffing.csv). The county misses {missing} subject teachers in {sections} sections."
            ),
            (Lang::Zh, Some(a)) => format!(
                "每个学段每门学科需配备的专任教师数按国家课程方案计算：⌈班数 × 周课时 ÷ 教师满工作量⌉（或 staffing.csv）。学科专任教师缺员：交流前 {missing} 人（{sections} 个学段），交流后 {} 人（{} 个学段）。",
                a.missing(),
                a.sections_short()
            ),
            (Lang::En, Some(a)) => format!(
                "The teachers each section needs for each subject follow the national curriculum: ⌈classes × weekly periods ÷ full load⌉ (or staffing.csv). Subject teachers missing: {missing} in {sections} sections before the plan, {} in {} sections after it.",
                a.missing(),
                a.sections_short()
            ),
        }
    }
}
