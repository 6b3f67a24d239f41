//! comparison.html of `whatif`: one row per scenario side by side, with a
//! bar chart of the compliant sections before and after each plan.

use crate::domain::{Level, TeacherIndicator};
use crate::render::html::escape;
use crate::render::Lang;
use crate::rules::indicators::Indicator;

/// One row of the comparison.
#[derive(Clone, Debug, PartialEq)]
pub struct ComparisonRow {
    /// File stem.
    pub scenario: String,
    /// Human name.
    pub name: String,
    /// Whether a plan exists.
    pub feasible: bool,
    /// E.
    pub eligible: usize,
    /// Moves.
    pub moves: usize,
    /// Backbone moves.
    pub backbone_moves: usize,
    /// Backbone share.
    pub backbone_share: f64,
    /// Hires placed.
    pub hires: usize,
    /// Compliant counted sections before.
    pub compliant_before: usize,
    /// … after.
    pub compliant_after: usize,
    /// Counted sections.
    pub counted: usize,
    /// Shortfall before.
    pub shortfall_before: u32,
    /// … after.
    pub shortfall_after: u32,
    /// CV after per level and teacher indicator.
    pub cv_after: Vec<(Level, TeacherIndicator, Option<f64>)>,
    /// Distance.
    pub distance_km: f64,
    /// The diagnosis in one line, when infeasible.
    pub diagnosis: String,
    /// Teachers the scenario's `[[upgrade]]` entries raised to the higher degree.
    pub upgraded: Vec<String>,
    /// Teachers the scenario's `[[designate]]` entries named county backbone teachers.
    pub designated: Vec<String>,
    /// Whether every stage of the plan is proven optimal (false: cut by
    /// the time limit, or no plan).
    pub proven: bool,
    /// The county CVs over their limit after the plan: level, indicator,
    /// value and limit.
    pub cv_over: Vec<(Level, Indicator, f64, f64)>,
}

/// comparison.html: the table and a bar chart of compliant sections and shortfall.
pub fn comparison_html(rows: &[ComparisonRow], lang: Lang) -> String {
    let t = |zh: &'static str, en: &'static str| lang.pick(zh, en);
    let mut html = String::new();
    html.push_str(&format!(
        "<!DOCTYPE html><html lang=\"{}\"><head><meta charset=\"utf-8\"><title>{}</title><style>\
body{{font-family:\"Noto Sans CJK SC\",\"Microsoft YaHei\",sans-serif;margin:2em;color:#222}}\
table{{border-collapse:collapse;font-size:13px}}td,th{{border:1px solid #bbb;padding:4px 8px;text-align:right}}\
td:nth-child(2),th{{text-align:left}}.no{{color:#b00}}</style></head><body>",
        t("zh-CN", "en"),
        t("情景比较", "Scenario comparison")
    ));
    html.push_str(&format!("<h1>{}</h1>", t("情景比较", "Scenario comparison")));
    html.push_str(&chart(rows, lang));
    html.push_str(&table(rows, lang));
    html.push_str("</body></html>\n");
    html
}

/// The bar chart: per scenario, the compliant sections before (grey) and
/// after (green, or red when the scenario has no plan) out of the counted ones.
fn chart(rows: &[ComparisonRow], lang: Lang) -> String {
    let max_counted = rows.iter().map(|r| r.counted).max().unwrap_or(1).max(1) as f64;
    let bar_h = 26.0;
    let height = 30.0 + bar_h * rows.len() as f64;
    let mut svg = format!(
        "<svg width=\"760\" height=\"{height}\" role=\"img\" aria-label=\"{}\" xmlns=\"http://www.w3.org/2000/svg\">",
        lang.pick("各情景达标学段数", "compliant sections per scenario")
    );
    for (i, r) in rows.iter().enumerate() {
        let y = 20.0 + bar_h * i as f64;
        let wb = 420.0 * r.compliant_before as f64 / max_counted;
        let wa = 420.0 * r.compliant_after as f64 / max_counted;
        svg.push_str(&format!(
            "<text x=\"0\" y=\"{:.1}\" font-size=\"12\">{}</text>\
<rect x=\"220\" y=\"{:.1}\" width=\"{wb:.1}\" height=\"9\" fill=\"#bbb\"/>\
<rect x=\"220\" y=\"{:.1}\" width=\"{wa:.1}\" height=\"9\" fill=\"{}\"/>\
<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"11\">{} → {} / {}</text>",
            y + 12.0,
            escape(&r.name),
            y,
            y + 10.0,
            if r.feasible { "#2a7" } else { "#c33" },
            225.0 + wa.max(wb),
            y + 14.0,
            r.compliant_before,
            r.compliant_after,
            r.counted
        ));
    }
    svg.push_str("</svg>");
    svg
}

/// The table: one row per scenario, in the order the scenarios were given.
fn table(rows: &[ComparisonRow], lang: Lang) -> String {
    let t = |zh: &'static str, en: &'static str| lang.pick(zh, en);
    let mut html = String::from("<table><tr>");
    let heads = [
        t("情景", "scenario"),
        t("名称", "name"),
        t("可行", "feasible"),
        t("符合条件", "eligible"),
        t("交流", "moves"),
        t("骨干", "backbone"),
        t("骨干占比", "backbone share"),
        t("新聘", "hires"),
        t("提升学历", "degree upgrades"),
        t("认定骨干", "backbone designations"),
        t("达标(前→后)", "compliant (before → after)"),
        t("缺口(前→后)", "shortfall (before → after)"),
        t("小学骨干CV", "primary backbone CV"),
        t("初中骨干CV", "junior backbone CV"),
        t("距离(公里)", "distance km"),
        t("已证明最优", "proven optimal"),
        t("超过上限的差异系数", "CVs over their limit"),
        t("诊断", "diagnosis"),
    ];
    for h in heads {
        html.push_str(&format!("<th>{h}</th>"));
    }
    html.push_str("</tr>");
    for r in rows {
        html.push_str(&table_row(r, lang));
    }
    html.push_str("</table>");
    html
}

/// One scenario's row of the table.
fn table_row(r: &ComparisonRow, lang: Lang) -> String {
    let cv = |level: Level| {
        r.cv_after
            .iter()
            .find(|(l, k, _)| *l == level && *k == TeacherIndicator::Backbone)
            .and_then(|(_, _, v)| *v)
            .map_or("—".to_string(), |v| format!("{v:.4}"))
    };
    format!(
        "<tr><td>{}</td><td>{}</td><td class=\"{}\">{}</td><td>{}</td><td>{}</td><td>{}</td><td>{:.1}%</td><td>{}</td><td>{}</td><td>{}</td>\
<td>{} → {} / {}</td><td>{} → {}</td><td>{}</td><td>{}</td><td>{:.1}</td><td class=\"{}\">{}</td><td class=\"{}\">{}</td><td>{}</td></tr>",
        escape(&r.scenario),
        escape(&r.name),
        if r.feasible { "yes" } else { "no" },
        if r.feasible { lang.pick("是", "yes") } else { lang.pick("否", "no") },
        r.eligible,
        r.moves,
        r.backbone_moves,
        r.backbone_share * 100.0,
        r.hires,
        teachers_cell(&r.upgraded),
        teachers_cell(&r.designated),
        r.compliant_before,
        r.compliant_after,
        r.counted,
        r.shortfall_before,
        r.shortfall_after,
        cv(Level::Primary),
        cv(Level::Junior),
        r.distance_km,
        if r.proven || !r.feasible { "yes" } else { "no" },
        match (r.feasible, r.proven) {
            (false, _) => "—",
            (true, true) => lang.pick("是", "yes"),
            (true, false) => lang.pick("否（时限内未证明）", "no (stopped by the time limit)"),
        },
        if r.cv_over.is_empty() { "yes" } else { "no" },
        cv_over_cell(&r.cv_over, lang),
        escape(&r.diagnosis)
    )
}

/// The CVs over their limit, each with its level, value and limit; "—" when none.
fn cv_over_cell(over: &[(Level, Indicator, f64, f64)], lang: Lang) -> String {
    if over.is_empty() {
        return "—".into();
    }
    let each = over.iter().map(|(level, ind, value, limit)| {
        let level = lang.pick(level.word_zh(), level.word());
        let name = crate::render::words::indicator_title(*ind, lang);
        escape(&format!("{level} {name} {value:.4} > {limit:.2}"))
    });
    each.collect::<Vec<_>>().join("<br>")
}

/// A count of teachers with their ids (those a scenario's levers chose).
fn teachers_cell(ids: &[String]) -> String {
    if ids.is_empty() {
        return "0".into();
    }
    format!("{}<br><small>{}</small>", ids.len(), escape(&ids.join(" ")))
}
