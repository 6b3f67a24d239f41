//! The section "职称与年龄结构" (title and age structure): per level the
//! county share and difference coefficient of senior-title, young and old
//! teachers, before and after a plan, then every section's figures.

use std::fmt::Write as _;

use crate::domain::Level;
use crate::exact::to_f64;
use crate::render::html::format::fmt2;
use crate::render::html::{escape, Report};
use crate::render::Lang;
use crate::rules::structure::{StructureFigure, StructureFigures};

impl Report<'_> {
    /// The structure before (and after) the plan, when there is one.
    fn structures(&self) -> Option<(StructureFigures, Option<StructureFigures>)> {
        match (self.plan, self.evaluation) {
            (Some(plan), _) => {
                let [before, after] = plan.structure(self.county);
                Some((before, Some(after)))
            }
            (None, Some(evaluation)) => Some((evaluation.structure.clone(), None)),
            (None, None) => None,
        }
    }

    /// The name of a structure figure.
    fn structure_word(&self, figure: StructureFigure) -> String {
        let p = &self.county.policy.structure;
        match (figure, self.lang) {
            (StructureFigure::Senior, Lang::Zh) => "高级职称教师（高级、正高级）".into(),
            (StructureFigure::Senior, Lang::En) => "Senior-title teachers (senior, professor)".into(),
            (StructureFigure::Young, Lang::Zh) => format!("{} 岁以下教师", p.young_under),
            (StructureFigure::Young, Lang::En) => format!("Teachers under {}", p.young_under),
            (StructureFigure::Old, Lang::Zh) => format!("{} 岁及以上教师", p.old_from),
            (StructureFigure::Old, Lang::En) => format!("Teachers {} or older", p.old_from),
        }
    }

    /// The section 职称与年龄结构.
    pub(super) fn structure_section(&self) -> String {
        let Some((before, after)) = self.structures() else { return String::new() };
        let mut out = String::new();
        w!(out, "<section id=\"structure\">\n<h2>{}</h2>\n", self.t("职称与年龄结构", "Title and age structure"));
        w!(
            out,
            "<p>{}</p>\n",
            self.t(
                "计入县域统计的学段：占专任教师的比例，以及每百名学生人数的差异系数（按学生数加权，与资源配置指标的差异系数算法相同）。未填职称的教师不计为高级职称。",
                "Counted sections: the share of full-time teachers, and the difference coefficient of the number per 100 students (student-weighted, as the resource indicators' coefficients). A teacher without a title is not counted as senior."
            )
        );
        let columns = match after {
            Some(_) => self.t(
                "<th>占比 前</th><th>占比 后</th><th>差异系数 前</th><th>差异系数 后</th>",
                "<th>Share before</th><th>Share after</th><th>CV before</th><th>CV after</th>",
            ),
            None => self.t("<th>占比</th><th>差异系数</th>", "<th>Share</th><th>CV</th>"),
        };
        w!(
            out,
            "<table>\n<thead><tr><th>{}</th><th>{}</th>{columns}</tr></thead>\n<tbody>\n",
            self.t("学段", "Section"),
            self.t("指标", "Figure")
        );
        for level in Level::BOTH {
            for figure in StructureFigure::ALL {
                w!(out, "<tr><td>{}</td><td>{}</td>", self.level_word(level), escape(&self.structure_word(figure)));
                for f in std::iter::once(&before).chain(after.as_ref()) {
                    let share = f.levels[&(level, figure)].share.as_ref().map(|v| to_f64(v) * 100.0);
                    w!(out, "<td class=\"num\">{}</td>", share.map_or("—".into(), |v| format!("{v:.1}%")));
                }
                for f in std::iter::once(&before).chain(after.as_ref()) {
                    let cv = f.levels[&(level, figure)].cv;
                    w!(out, "<td class=\"num\">{}</td>", cv.map_or("—".into(), |v| format!("{v:.4}")));
                }
                out.push_str("</tr>\n");
            }
        }
        out.push_str("</tbody>\n</table>\n");
        out.push_str(&self.structure_rows(&before, after.as_ref()));
        out.push_str("</section>\n");
        out
    }

    /// One row per section: teachers, and each figure's count and number per
    /// 100 students (before → after for a plan).
    fn structure_rows(&self, before: &StructureFigures, after: Option<&StructureFigures>) -> String {
        let mut out = String::new();
        w!(
            out,
            "<table>\n<thead><tr><th>{}</th><th>{}</th><th class=\"num\">{}</th>",
            self.t("学校", "School"),
            self.t("学段", "Section"),
            self.t("专任教师", "Full-time teachers")
        );
        for figure in StructureFigure::ALL {
            w!(out, "<th class=\"num\">{}</th>", escape(&self.structure_word(figure)));
        }
        out.push_str("</tr></thead>\n<tbody>\n");
        for (i, b) in before.sections.iter().enumerate() {
            let a = after.map(|f| &f.sections[i]);
            let school = &self.county.schools[b.school];
            let both = |x: String, y: Option<String>| match y {
                Some(y) if y != x => format!("{x} → {y}"),
                _ => x,
            };
            w!(out, "<tr><td>{}</td><td>{}</td>", escape(&school.name), self.level_word(b.level));
            w!(out, "<td class=\"num\">{}</td>", both(b.teachers.to_string(), a.map(|s| s.teachers.to_string())));
            for figure in StructureFigure::ALL {
                let cell = |s: &crate::rules::structure::SectionStructure| {
                    format!("{} ({})", s.counts[figure.index()], fmt2(s.per100(figure).map(|v| to_f64(&v))))
                };
                w!(out, "<td class=\"num\">{}</td>", both(cell(b), a.map(cell)));
            }
            out.push_str("</tr>\n");
        }
        out.push_str("</tbody>\n</table>\n");
        out
    }
}
