//! Comparing saved scenarios: the list with its checkboxes, the compare
//! request (one `whatif` run of the ticked scenarios, the county as it is
//! first when ticked), and the run page's side-by-side table, read from the
//! run's comparison.csv.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Form;
use serde_json::json;

use crate::domain::{Level, TeacherIndicator};
use crate::render::words::{per_hundred, word};
use crate::render::Lang;
use crate::serve::page::{beijing_time, h, percent_encode, Ctx, PageError, PageResult};
use crate::serve::pages::dataset::{queue, time_limit};
use crate::serve::pages::db;
use crate::serve::pages::list::{read_list, ListRow};
use crate::serve::runs::JobKind;
use crate::serve::store::{Run, Scenario};
use crate::serve::AppState;

/// Most scenarios one comparison solves (the time limit is shared out).
pub const MAX_COMPARED: usize = 8;

/// The checkbox value of the county as it is.
const BASELINE: &str = "baseline";

/// The scenario file of the county as it is (its name in `lang`).
pub fn baseline_toml(lang: Lang) -> String {
    let name = match lang {
        Lang::En => "Baseline: the county as it is",
        Lang::Zh => "基准：县域现状",
    };
    format!("name = {}\n", toml::Value::String(name.into()))
}

/// The saved scenarios with their checkboxes, and the compare button.
pub fn saved_section(ctx: &Ctx, id: i64, saved: &[Scenario]) -> String {
    let mut rows = format!(
        "<tr><td><input type=\"checkbox\" name=\"scenario\" value=\"{BASELINE}\" id=\"scenario-baseline\"></td><td>{}</td><td></td><td></td></tr>\n",
        ctx.t("Baseline: the county as it is", "基准：县域现状"),
    );
    for s in saved {
        rows.push_str(&format!(
            "<tr><td><input type=\"checkbox\" name=\"scenario\" value=\"{sid}\" id=\"scenario-{sid}\"></td><td><label for=\"scenario-{sid}\">{name}</label></td><td>{time}</td><td><a href=\"/datasets/{id}/scenarios/{sid}\" class=\"scenario-toml\">TOML</a></td></tr>\n",
            sid = s.id,
            name = h(&s.name),
            time = beijing_time(s.created),
        ));
    }
    let empty = if saved.is_empty() {
        format!(
            "<p class=\"empty\">{}</p>",
            ctx.t("No scenario saved yet: make one with the form above.", "还没有保存的情景：请用上面的表单新建。")
        )
    } else {
        String::new()
    };
    format!(
        r#"<section class="card"><h2>{title}</h2>{empty}
<form method="post" action="{action}" id="compare-form">
<table class="list" id="scenarios"><thead><tr><th>{c_pick}</th><th>{c_name}</th><th>{c_saved}</th><th>{c_file}</th></tr></thead>
<tbody>{rows}</tbody></table>
<p class="hint">{hint}</p>
{limit}
<button type="submit" id="compare-button">{button}</button>
</form></section>"#,
        title = ctx.t("Saved scenarios", "已保存的情景"),
        action = ctx.action(&format!("/datasets/{id}/whatif/compare")),
        c_pick = ctx.t("Compare", "比较"),
        c_name = ctx.t("Scenario", "情景"),
        c_saved = ctx.t("Saved (Beijing time)", "保存时间（北京时间）"),
        c_file = ctx.t("Scenario file", "情景文件"),
        hint = ctx.t(
            "Tick two or more (at most 8) and compare: each is planned in full, and the results are shown side by side.",
            "勾选两个或更多（最多 8 个）后比较：每个情景都完整编制方案，结果并列显示。"
        ),
        limit = super::time_limit_field(ctx),
        button = ctx.t("Compare", "比较"),
    )
}

fn refuse(ctx: &Ctx, en: String, zh: String) -> PageError {
    PageError::new(StatusCode::BAD_REQUEST, ctx.lang, en, zh)
}

/// Queues one `whatif` run of the ticked scenarios (the baseline first,
/// then the saved ones in the order they were saved).
pub async fn start(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> PageResult {
    state.store.dataset(id).map_err(db(&ctx))?.ok_or_else(|| PageError::not_found(ctx.lang))?;
    let limit = time_limit(&ctx, pairs.iter().find(|(k, _)| k == "time_limit").map(|(_, v)| v.as_str()))?;
    let ticked: Vec<&str> = pairs.iter().filter(|(k, _)| k == "scenario").map(|(_, v)| v.trim()).collect();
    let baseline = ticked.contains(&BASELINE);
    let saved = state.store.scenarios(id).map_err(db(&ctx))?;
    let mut chosen = Vec::new();
    for value in ticked.iter().filter(|v| **v != BASELINE) {
        match saved.iter().find(|s| value.parse::<i64>().ok() == Some(s.id)) {
            Some(s) => chosen.push(s),
            None => {
                return Err(refuse(
                    &ctx,
                    format!("There is no saved scenario \"{value}\" for this county; reload the page and tick again."),
                    format!("本县没有已保存的情景「{value}」；请刷新页面后重新勾选。"),
                ))
            }
        }
    }
    chosen.sort_by_key(|s| s.id);
    chosen.dedup_by_key(|s| s.id);
    let count = chosen.len() + usize::from(baseline);
    if !(2..=MAX_COMPARED).contains(&count) {
        return Err(refuse(
            &ctx,
            format!(
                "{count} scenario(s) ticked: tick from 2 to {MAX_COMPARED} (the baseline counts as one) to compare."
            ),
            format!("勾选了 {count} 个情景：请勾选 2 到 {MAX_COMPARED} 个（基准也算一个）再比较。"),
        ));
    }
    let mut scenarios = Vec::new();
    if baseline {
        scenarios.push(baseline_toml(ctx.lang));
    }
    scenarios.extend(chosen.iter().map(|s| s.toml.clone()));
    let ids: Vec<i64> = chosen.iter().map(|s| s.id).collect();
    let params = json!({ "baseline": baseline, "scenarios": ids });
    queue(&state, &ctx, id, JobKind::Whatif { scenarios }, None, params, limit)
}

/// The measures of the side-by-side table: comparison.csv's column, the
/// label, and how the cell is shown.
enum Cell {
    Plain,
    YesNo,
    Percent,
    Decimals(usize),
}

fn measures(lang: Lang) -> Vec<(String, String, Cell)> {
    let t = |en: &str, zh: &str| if lang == Lang::En { en.to_string() } else { zh.to_string() };
    let mut out = vec![
        ("feasible".into(), t("A plan meets every rule", "有满足全部规则的方案"), Cell::YesNo),
        ("eligible".into(), t("Teachers who may rotate", "符合交流条件的教师"), Cell::Plain),
        ("moves".into(), t("Teachers who rotate", "交流人数"), Cell::Plain),
        ("backbone_moves".into(), t("Backbone teachers who rotate", "交流的骨干教师"), Cell::Plain),
        ("backbone_share".into(), t("Backbone share of those who rotate", "交流人员中骨干比例"), Cell::Percent),
        ("hires".into(), t("New hires placed", "安排的新聘教师"), Cell::Plain),
        ("counted".into(), t("Sections counted", "参评学段"), Cell::Plain),
        ("compliant_before".into(), t("Compliant sections before", "达标学段（交流前）"), Cell::Plain),
        ("compliant_after".into(), t("Compliant sections after", "达标学段（交流后）"), Cell::Plain),
        ("shortfall_before".into(), t("Shortfall before", "缺口（交流前）"), Cell::Plain),
        ("shortfall_after".into(), t("Shortfall after", "缺口（交流后）"), Cell::Plain),
    ];
    for level in Level::BOTH {
        for k in TeacherIndicator::ALL {
            let label = match lang {
                Lang::En => format!("CV after: {} {}", word(level, lang), per_hundred(k, lang)),
                Lang::Zh => format!("交流后差异系数：{}{}", word(level, lang), per_hundred(k, lang)),
            };
            out.push((format!("cv_{}_{}", level.word(), k.key()), label, Cell::Decimals(4)));
        }
    }
    out.extend([
        ("distance_km".into(), t("Total distance of the moves (km)", "交流总距离（公里）"), Cell::Decimals(1)),
        ("upgrades".into(), t("Degree upgrades", "学历提升人数"), Cell::Plain),
        ("designations".into(), t("Backbone designations", "认定骨干人数"), Cell::Plain),
        ("diagnosis".into(), t("Why there is no plan", "无方案的原因"), Cell::Plain),
    ]);
    out
}

fn cell(ctx: &Ctx, value: &str, how: &Cell) -> String {
    let number = value.parse::<f64>().ok().filter(|v| v.is_finite());
    match (how, number) {
        (Cell::YesNo, _) => h(if value == "yes" { ctx.t("yes", "是") } else { ctx.t("no", "否") }),
        (Cell::Percent, Some(v)) => format!("{:.1}%", v * 100.0),
        (Cell::Decimals(d), Some(v)) => format!("{v:.d$}"),
        _ => h(value),
    }
}

/// The side-by-side comparison of a finished what-if run: one column a
/// scenario, one row a measure, and each scenario's own files.
pub async fn whatif_section(state: &AppState, ctx: &Ctx, run: &Run) -> Result<String, PageError> {
    let Some(bytes) = state.store.run_file(run.id, "comparison.csv").map_err(db(ctx))? else {
        return Ok(String::new());
    };
    let rows: Vec<ListRow> = read_list(&bytes);
    let names = state.store.run_file_names(run.id).map_err(db(ctx))?;
    let mut head = format!("<th>{}</th>", ctx.t("Measure", "指标"));
    for r in &rows {
        head.push_str(&format!("<th data-scenario=\"{}\">{}</th>", h(r.get("scenario")), h(r.get("name"))));
    }
    let mut body = String::new();
    for (column, label, how) in measures(ctx.lang) {
        let unused = |r: &ListRow| r.get(&column).is_empty() || (column != "hires" && r.get(&column) == "0");
        let optional = ["diagnosis", "upgrades", "designations"].contains(&column.as_str());
        if optional && rows.iter().all(unused) {
            continue;
        }
        let cells: String = rows.iter().map(|r| format!("<td>{}</td>", cell(ctx, r.get(&column), &how))).collect();
        body.push_str(&format!("<tr data-measure=\"{column}\"><th>{}</th>{cells}</tr>\n", h(&label)));
    }
    let mut files = String::new();
    for r in &rows {
        let prefix = format!("{}/", r.get("scenario"));
        let links: Vec<String> = ["report.html", "rotations.csv", "plan.xlsx", "diagnosis.json"]
            .iter()
            .map(|f| format!("{prefix}{f}"))
            .filter(|name| names.contains(name))
            .map(|name| {
                let file = name.rsplit('/').next().unwrap_or_default().to_string();
                format!("<a href=\"/runs/{}/file?name={}\" download>{}</a>", run.id, percent_encode(&name), h(&file))
            })
            .collect();
        files.push_str(&format!("<td>{}</td>", links.join("<br>")));
    }
    body.push_str(&format!("<tr data-measure=\"files\"><th>{}</th>{files}</tr>\n", ctx.t("Files", "文件")));
    Ok(format!(
        "<section><h2>{}</h2><table class=\"comparison\" id=\"comparison\"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></section>",
        ctx.t("The scenarios side by side", "各情景并列比较")
    ))
}
