//! The two years of `plan --horizon 2` side by side in report.html: each
//! year's compliant sections, shortfall, teacher difference coefficients and
//! moves, before and after that year's rotation.

use std::fmt::Write as _;

use crate::domain::{Level, TeacherIndicator};
use crate::plan::horizon::TwoYears;
use crate::plan::Plan;
use crate::render::words::{indicator_title, word};
use crate::render::Lang;
use crate::rules::indicators::{CountyFigures, Indicator};

use super::escape;

/// report.html of a two-year plan: this year's report with a section of
/// both years' figures after its header.
pub fn two_year_report(county: &crate::domain::County, two: &TwoYears, lang: Lang) -> String {
    let page = super::plan_report(county, &two.this, lang);
    let section = two_years_section(county.policy.year, two, lang);
    match page.find("</header>\n") {
        Some(at) => {
            let at = at + "</header>\n".len();
            format!("{}{section}{}", &page[..at], &page[at..])
        }
        None => page,
    }
}

/// The section with both years' figures.
pub fn two_years_section(year: i32, two: &TwoYears, lang: Lang) -> String {
    let t = |zh: &'static str, en: &'static str| lang.pick(zh, en);
    let mut out = String::new();
    w!(out, "<section class=\"horizon\">\n<h2>{}</h2>\n", t("两年统筹方案", "Two-year plan"));
    w!(
        out,
        "<p>{}</p>\n",
        escape(&match lang {
            Lang::Zh => format!(
                "本年（{year} 年）与下一年（{} 年）的轮岗统筹安排：本年名单为公示名单；下一年名单为预案，随本年结果、退休与交流返回而定，见 next-year/。",
                year + 1
            ),
            Lang::En => format!(
                "This year's ({year}) and next year's ({}) rotations planned together: this year's list is the one to publish; next year's is provisional, following this year's result, retirements and returns from exchange (see next-year/).",
                year + 1
            ),
        })
    );
    w!(
        out,
        "<table class=\"horizon\">\n<thead>\n<tr><th>{}</th><th class=\"num\">{year} {}</th><th class=\"num\">{year} {}</th><th class=\"num\">{} {}</th><th class=\"num\">{} {}</th></tr>\n</thead>\n<tbody>\n",
        t("指标", "Figure"),
        t("调整前", "before"),
        t("调整后", "after"),
        year + 1,
        t("调整前", "before"),
        year + 1,
        t("调整后", "after"),
    );
    let row = |out: &mut String, name: &str, cells: [String; 4]| {
        w!(out, "<tr><td>{}</td>", escape(name));
        for c in cells {
            w!(out, "<td class=\"num\">{c}</td>");
        }
        out.push_str("</tr>\n");
    };
    let figures = [&two.this.before, &two.this.after, &two.next.before, &two.next.after];
    let each = |f: &dyn Fn(&CountyFigures) -> String| figures.map(f);
    row(
        &mut out,
        t("达标学段（计入统计）", "Compliant sections (counted)"),
        each(&|f| format!("{} / {}", f.compliant(), f.counted())),
    );
    row(&mut out, t("缺口（教师数）", "Shortfall (teachers)"), each(&|f| f.shortfall().to_string()));
    for level in Level::BOTH {
        for k in TeacherIndicator::ALL {
            let ind = Indicator::Teacher(k);
            let name = format!("{} · {} CV", word(level, lang), indicator_title(ind, lang));
            row(
                &mut out,
                &name,
                each(&|f| f.cv.get(&(level, ind)).and_then(|c| c.value).map_or("—".into(), |v| format!("{v:.4}"))),
            );
        }
    }
    let moves = |p: &Plan| format!("{} ({} {})", p.moves.len(), t("应交流", "required"), p.required_moves);
    let eligible = |p: &Plan| p.eligible.to_string();
    row(
        &mut out,
        t("符合交流条件", "Eligible"),
        [eligible(&two.this), String::new(), eligible(&two.next), String::new()],
    );
    row(&mut out, t("交流人数", "Moves"), [String::new(), moves(&two.this), String::new(), moves(&two.next)]);
    out.push_str("</tbody>\n</table>\n</section>\n");
    out
}
