//! The direction part of report.html (section `#direction`, 交流流向): the
//! moves and backbone moves by area of origin and destination, and the
//! share from urban and town schools to rural ones against
//! `rotation.to_rural_min_share`; and the alliances part (section
//! `#alliances`, 城乡教育联盟) when schools name alliances.

use std::fmt::Write as _;

use crate::domain::TeacherIndicator;
use crate::exact::to_f64;
use crate::plan::Plan;
use crate::render::html::{escape, Report};
use crate::render::words::word;
use crate::rules::alliances::AllianceFigures;
use crate::rules::direction::{Direction, AREAS};

impl Report<'_> {
    /// The section `#direction` of a plan.
    pub(super) fn direction_section(&self, plan: &Plan) -> String {
        let d = plan.direction(self.county);
        let mut out = String::new();
        w!(out, "<section id=\"direction\">\n<h2>{}</h2>\n", self.t("交流流向", "Direction of moves"));
        out.push_str(&self.direction_matrix(&d, false));
        out.push_str(&self.direction_matrix(&d, true));
        let share = to_f64(&self.county.policy.rotation.to_rural_min_share) * 100.0;
        let (n, bn) = (d.to_rural(false), d.to_rural(true));
        let (p, bp) = (d.to_rural_share(false) * 100.0, d.to_rural_share(true) * 100.0);
        let text = match (self.lang, share > 0.0) {
            (crate::render::Lang::Zh, true) => format!(
                "由城区、镇区学校到乡村学校交流 {n} 人（占交流人数 {p:.1}%），其中骨干教师 {bn} 人（占骨干交流人数 {bp:.1}%）；政策要求两者均不低于 {share:.1}%（rotation.to_rural_min_share）。"
            ),
            (crate::render::Lang::Zh, false) => format!(
                "由城区、镇区学校到乡村学校交流 {n} 人（占交流人数 {p:.1}%），其中骨干教师 {bn} 人（占骨干交流人数 {bp:.1}%）；未设最低比例（rotation.to_rural_min_share = 0）。"
            ),
            (crate::render::Lang::En, true) => format!(
                "{n} moves from urban and town schools to rural ones ({p:.1}% of the moves), {bn} of them backbone teachers ({bp:.1}% of the backbone moves); the policy asks at least {share:.1}% of both (rotation.to_rural_min_share)."
            ),
            (crate::render::Lang::En, false) => format!(
                "{n} moves from urban and town schools to rural ones ({p:.1}% of the moves), {bn} of them backbone teachers ({bp:.1}% of the backbone moves); no least share is set (rotation.to_rural_min_share = 0)."
            ),
        };
        w!(out, "<p>{}</p>\n</section>\n", escape(&text));
        out
    }

    /// One table: origin areas down, destination areas across, with totals.
    fn direction_matrix(&self, d: &Direction, backbone: bool) -> String {
        let t = d.table(backbone);
        let mut out = String::new();
        let title =
            if backbone { self.t("骨干教师", "Backbone teachers") } else { self.t("全部交流", "All moves") };
        w!(
            out,
            "<h3>{}</h3>\n<table class=\"direction\">\n<thead><tr><th>{}</th>",
            title,
            self.t("调出 \\ 调入", "from \\ to")
        );
        for to in AREAS {
            w!(out, "<th class=\"num\">{}</th>", word(to, self.lang));
        }
        w!(out, "<th class=\"num\">{}</th></tr></thead>\n<tbody>\n", self.t("合计", "total"));
        for (i, from) in AREAS.iter().enumerate() {
            w!(out, "<tr><th>{}</th>", word(*from, self.lang));
            for n in t[i] {
                w!(out, "<td class=\"num\">{n}</td>");
            }
            w!(out, "<td class=\"num\">{}</td></tr>\n", t[i].iter().sum::<u32>());
        }
        w!(out, "<tr><th>{}</th>", self.t("合计", "total"));
        for j in 0..AREAS.len() {
            w!(out, "<td class=\"num\">{}</td>", t.iter().map(|row| row[j]).sum::<u32>());
        }
        w!(out, "<td class=\"num\">{}</td></tr>\n</tbody>\n</table>\n", d.total(backbone));
        out
    }

    /// The section `#alliances` (empty without alliances): per alliance and
    /// section, counted sections compliant before (and after), teachers per
    /// indicator per 100 students, and with a plan the moves within and
    /// between alliances.
    pub(super) fn alliances_section(&self, alliances: &[AllianceFigures]) -> String {
        if alliances.is_empty() {
            return String::new();
        }
        let with_plan = self.plan.is_some();
        let mut out = String::new();
        w!(
            out,
            "<section id=\"alliances\">\n<h2>{}</h2>\n<table class=\"alliances\">\n<thead><tr>",
            self.t("城乡教育联盟", "Urban–rural alliances")
        );
        let mut heads = vec![
            self.t("联盟", "Alliance").to_string(),
            self.t("学校数", "Schools").to_string(),
            self.t("学段", "Section").to_string(),
            self.t("计入统计学段", "Counted sections").to_string(),
            self.t("达标学段", "Compliant").to_string(),
        ];
        for k in TeacherIndicator::ALL {
            heads.push(format!("{}{}", word(k, self.lang), self.t("（每百生）", " per 100 students")));
        }
        if with_plan {
            heads.push(self.t("联盟内交流", "Moves within").to_string());
            heads.push(self.t("联盟间交流（调出 / 调入）", "Moves between (out / in)").to_string());
        }
        for h in &heads {
            w!(out, "<th>{}</th>", escape(h));
        }
        out.push_str("</tr></thead>\n<tbody>\n");
        for a in alliances {
            for l in &a.levels {
                w!(
                    out,
                    "<tr><td>{}</td><td class=\"num\">{}</td><td>{}</td><td class=\"num\">{}</td>",
                    escape(&a.id),
                    a.schools.len(),
                    word(l.level, self.lang),
                    l.counted
                );
                let compliant = match l.compliant_after {
                    Some(after) => format!("{} → {after}", l.compliant_before),
                    None => l.compliant_before.to_string(),
                };
                w!(out, "<td class=\"num\">{compliant}</td>");
                for k in TeacherIndicator::ALL {
                    let f = |after: bool| {
                        l.per100(k.index(), after).map_or("—".to_string(), |x| format!("{:.2}", to_f64(&x)))
                    };
                    let text = if with_plan { format!("{} → {}", f(false), f(true)) } else { f(false) };
                    w!(out, "<td class=\"num\">{text}</td>");
                }
                if with_plan {
                    w!(
                        out,
                        "<td class=\"num\">{}</td><td class=\"num\">{} / {}</td>",
                        a.moves_within,
                        a.moves_out,
                        a.moves_in
                    );
                }
                out.push_str("</tr>\n");
            }
        }
        out.push_str("</tbody>\n</table>\n</section>\n");
        out
    }
}
