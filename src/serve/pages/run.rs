//! A run's page: live progress per stage (the script polls `status.json`),
//! cancel, the outcome (proven or the gap, the figures), the list, the
//! diagnosis of a county without a plan, and the downloads.

use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Redirect};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::{json, Value};

use crate::serve::page::{beijing_time, h, layout, percent_encode, Ctx, PageError, PageResult};
use crate::serve::pages::dataset::{kind_word, status_word};
use crate::serve::pages::db;
use crate::serve::store::{Run, RunStatus};
use crate::serve::AppState;

/// The routes of these pages.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/runs/{id}", get(run_page))
        .route("/runs/{id}/status.json", get(status_json))
        .route("/runs/{id}/cancel", post(cancel))
        .route("/runs/{id}/file", get(download))
        .route("/runs/{id}/advance", post(advance))
}

/// A run, or the not-found page.
pub fn find_run(state: &AppState, ctx: &Ctx, id: i64) -> Result<Run, PageError> {
    state.store.run(id).map_err(db(ctx))?.ok_or_else(|| PageError::not_found(ctx.lang))
}

async fn run_page(State(state): State<AppState>, ctx: Ctx, Path(id): Path<i64>) -> PageResult {
    let run = find_run(&state, &ctx, id)?;
    let dataset =
        state.store.dataset(run.dataset_id).map_err(db(&ctx))?.ok_or_else(|| PageError::not_found(ctx.lang))?;
    let limit = run.params["time_limit"].as_f64().unwrap_or(0.0);
    let cancel = if run.status.is_over() {
        String::new()
    } else {
        format!(
            "<form method=\"post\" action=\"{}\" id=\"cancel-form\"><button type=\"submit\" id=\"cancel-button\">{}</button></form>",
            ctx.action(&format!("/runs/{id}/cancel")),
            ctx.t("Cancel", "取消")
        )
    };
    let outcome = if run.status.is_over() { outcome_section(&state, &ctx, &run).await? } else { String::new() };
    let body = format!(
        r#"<p class="meta"><a href="/datasets/{dataset_id}">{county}</a> · {kind} · {started} {created} · {limit_word} {limit} {seconds}</p>
<p class="run-status status-{status}" id="run-status" data-status="{status}" data-run="{id}">{status_word}</p>
<p class="meta" id="elapsed">{elapsed}</p>
{cancel}
<section><h2>{h_progress}</h2>
<table class="list" id="progress"><thead><tr><th>{c_stage}</th><th>{c_status}</th><th>{c_seconds}</th><th>{c_value}</th></tr></thead>
<tbody>{progress}</tbody></table></section>
{outcome}"#,
        dataset_id = run.dataset_id,
        county = h(&dataset.county),
        kind = h(kind_word(&ctx, &run.kind)),
        started = ctx.t("submitted", "提交于"),
        created = beijing_time(run.created),
        limit_word = ctx.t("time limit", "时间上限"),
        seconds = ctx.t("s", "秒"),
        status = run.status.id(),
        status_word = h(status_word(&ctx, run.status)),
        elapsed = h(&elapsed_words(&ctx, &run)),
        h_progress = ctx.t("Progress by stage", "各阶段进度"),
        c_stage = ctx.t("Stage", "阶段"),
        c_status = ctx.t("State", "状态"),
        c_seconds = ctx.t("Seconds", "用时（秒）"),
        c_value = ctx.t("What it says", "说明"),
        progress = progress_rows(&run.progress, ctx.lang),
    );
    Ok(layout(&ctx, &format!("{} #{id}", kind_word(&ctx, &run.kind)), &body).into_response())
}

/// The progress table's rows: one per event, as the command line says it.
pub fn progress_rows(progress: &Value, lang: crate::render::Lang) -> String {
    let mut rows = String::new();
    for event in progress.as_array().into_iter().flatten() {
        let stage = event["stage_name"].as_str().or(event["stage"].as_str()).unwrap_or("");
        let status = status_id_word(lang, event["status"].as_str().unwrap_or(""));
        let seconds = event["seconds"].as_f64().map_or(String::new(), |s| format!("{s:.1}"));
        let text = event["text"].as_str().unwrap_or("");
        rows.push_str(&format!(
            "<tr class=\"event-{}\"><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n",
            h(event["event"].as_str().unwrap_or("")),
            h(stage),
            h(status),
            seconds,
            h(text)
        ));
    }
    rows
}

/// What a finished run gives: the figures and the list, the diagnosis, or
/// the message; then the downloads.
async fn outcome_section(state: &AppState, ctx: &Ctx, run: &Run) -> Result<String, PageError> {
    let names = state.store.run_file_names(run.id).map_err(db(ctx))?;
    let mut out = String::new();
    if !run.message.is_empty() {
        out.push_str(&format!(
            "<section><h2>{}</h2><pre class=\"message\" id=\"run-message\">{}</pre></section>",
            ctx.t("What the planner said", "求解说明"),
            h(&run.message)
        ));
    }
    if run.status == RunStatus::Done && run.kind != "whatif" {
        if let Some(bytes) = state.store.run_file(run.id, "summary.json").map_err(db(ctx))? {
            out.push_str(&solver_line(ctx, &bytes, run.peak_rss_kb));
        }
        out.push_str(&crate::serve::pages::list::list_section(state, ctx, run).await?);
    }
    if run.kind == "whatif" {
        out.push_str(&crate::serve::pages::whatif::whatif_section(state, ctx, run).await?);
    }
    if run.status == RunStatus::Done && (run.kind == "plan" || run.kind == "replan") {
        out.push_str(&advance_form(ctx, run));
    }
    if let Some(next) = run.result_dataset {
        out.push_str(&format!(
            "<p class=\"next-year\"><a href=\"/datasets/{next}\" id=\"next-year-link\">{}</a></p>",
            ctx.t("Next school year's county, ready to plan", "下一学年的县域数据（可直接编制方案）")
        ));
    }
    let mut links = String::new();
    for name in &names {
        links.push_str(&format!(
            "<li><a href=\"/runs/{}/file?name={}\" class=\"download\" download>{}</a></li>",
            run.id,
            percent_encode(name),
            h(name)
        ));
    }
    if !links.is_empty() {
        out.push_str(&format!(
            "<section><h2>{}</h2><ul class=\"downloads\" id=\"downloads\">{links}</ul></section>",
            ctx.t("Downloads", "下载")
        ));
    }
    Ok(out)
}

/// Whether the plan is proven optimal, its gap otherwise, its time and memory.
fn solver_line(ctx: &Ctx, summary: &[u8], peak_rss_kb: Option<i64>) -> String {
    let summary: Value = serde_json::from_slice(summary).unwrap_or(Value::Null);
    let solver = &summary["solver"];
    let proven = solver["optimal"].as_bool().unwrap_or(false);
    let standing = if proven {
        ctx.t("Every stage proven optimal.", "各阶段均已证明最优。").to_string()
    } else {
        let gap = solver["gap"].as_f64().filter(|g| g.is_finite()).map(|g| format!("{:.2}%", g * 100.0));
        match (ctx.lang, gap) {
            (crate::render::Lang::En, Some(gap)) => format!("Not finished within the time limit: this plan may not be the best one (the solver could still improve it by up to {gap}). Before publishing, plan again with a longer time limit."),
            (crate::render::Lang::En, None) => "Not finished within the time limit: this plan may not be the best one. Before publishing, plan again with a longer time limit.".to_string(),
            (crate::render::Lang::Zh, Some(gap)) => format!("未在时间上限内完成：这份方案可能不是最优（仍可能改进至多 {gap}）。发布前建议延长时间上限重新编制。"),
            (crate::render::Lang::Zh, None) => "未在时间上限内完成：这份方案可能不是最优。发布前建议延长时间上限重新编制。".to_string(),
        }
    };
    let seconds = solver["seconds"].as_f64().unwrap_or(0.0);
    let memory =
        peak_rss_kb.map_or(String::new(), |kb| format!(" · {} {} MB", ctx.t("peak memory", "内存峰值"), kb / 1024));
    format!(
        "<p class=\"proven{}\" id=\"proven\" data-optimal=\"{proven}\">{} · {seconds:.1} {}{memory}</p>",
        if proven { "" } else { " not-proven" },
        h(&standing),
        ctx.t("s", "秒")
    )
}

async fn status_json(State(state): State<AppState>, ctx: Ctx, Path(id): Path<i64>) -> Result<Json<Value>, PageError> {
    let run = find_run(&state, &ctx, id)?;
    Ok(Json(json!({
        "status": run.status.id(),
        "over": run.status.is_over(),
        "status_word": status_word(&ctx, run.status),
        "rows": progress_rows(&run.progress, ctx.lang),
        "elapsed": elapsed_words(&ctx, &run),
    })))
}

/// "12 s of at most 600 s" for a run that is solving.
fn elapsed_words(ctx: &Ctx, run: &Run) -> String {
    let Some(started) = run.started.filter(|_| !run.status.is_over()) else { return String::new() };
    let elapsed = (crate::serve::store::now() - started).max(0);
    let limit = run.params["time_limit"].as_f64().unwrap_or(0.0);
    match ctx.lang {
        crate::render::Lang::En => format!("{elapsed} s so far, at most {limit} s"),
        crate::render::Lang::Zh => format!("已用 {elapsed} 秒，上限 {limit} 秒"),
    }
}

async fn cancel(State(state): State<AppState>, ctx: Ctx, Path(id): Path<i64>) -> PageResult {
    let run = find_run(&state, &ctx, id)?;
    if !run.status.is_over() {
        state.runs.cancel(id);
    }
    Ok(Redirect::to(&format!("/runs/{id}")).into_response())
}

#[derive(serde::Deserialize)]
struct FileQuery {
    name: String,
}

/// One output file of a run, by its stored name, as a download.
async fn download(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Query(q): Query<FileQuery>,
) -> PageResult {
    let bytes = state.store.run_file(id, &q.name).map_err(db(&ctx))?.ok_or_else(|| PageError::not_found(ctx.lang))?;
    Ok(attachment(&q.name, bytes))
}

/// A stored file as a download named by the last part of `name`.
pub fn attachment(name: &str, bytes: Vec<u8>) -> axum::response::Response {
    let file = name.rsplit('/').next().unwrap_or("file").to_string();
    let kind = content_type(&file);
    let disposition =
        format!("attachment; filename=\"{}\"; filename*=UTF-8''{}", ascii_name(&file), percent_encode(&file));
    ([(header::CONTENT_TYPE, kind.to_string()), (header::CONTENT_DISPOSITION, disposition)], bytes).into_response()
}

/// The file's name with anything but plain ASCII replaced, for old browsers.
fn ascii_name(name: &str) -> String {
    name.chars().map(|c| if c.is_ascii_alphanumeric() || "._-".contains(c) { c } else { '_' }).collect()
}

/// The content type of an output file.
pub fn content_type(name: &str) -> &'static str {
    match name.rsplit('.').next().unwrap_or("") {
        "csv" => "text/csv; charset=utf-8",
        "json" => "application/json",
        "html" => "text/html; charset=utf-8",
        "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        _ => "application/octet-stream",
    }
}

/// The form that turns an accepted list into next school year's data set.
fn advance_form(ctx: &Ctx, run: &Run) -> String {
    format!(
        "<section class=\"card\"><h2>{}</h2><p>{}</p><form method=\"post\" action=\"{}\" id=\"advance-form\"><button type=\"submit\" id=\"advance-button\">{}</button></form></section>",
        ctx.t("The year after", "下一学年"),
        ctx.t(
            "When this list is the accepted one: movers at their new schools and on the exchange register, teachers due back at home, retirements out. The result is a new county data set.",
            "当这份名单已定稿：交流教师到新学校并记入交流记录，到期教师回原校，退休教师离开。结果是一份新的县域数据。"
        ),
        ctx.action(&format!("/runs/{}/advance", run.id)),
        ctx.t("Make next year's data", "生成下一学年数据"),
    )
}

/// Queues `rotaplan advance` on a finished plan's list.
async fn advance(State(state): State<AppState>, ctx: Ctx, Path(id): Path<i64>) -> PageResult {
    let run = find_run(&state, &ctx, id)?;
    let list = state.store.run_file(id, "rotations.csv").map_err(db(&ctx))?;
    let (Some(list), RunStatus::Done) = (list, run.status) else {
        return Err(PageError::new(
            axum::http::StatusCode::CONFLICT,
            ctx.lang,
            "Only a finished plan's list can be carried into next year.",
            "只有已完成方案的名单才能生成下一学年数据。",
        ));
    };
    let dataset =
        state.store.dataset(run.dataset_id).map_err(db(&ctx))?.ok_or_else(|| PageError::not_found(ctx.lang))?;
    let next_name = format!("{}{}", dataset.county, ctx.t(" (next year)", "（下一学年）"));
    // A re-plan's list goes with its changes: who left is not in next year's data.
    let changes = state.store.run_file(id, crate::commands::replan::REQUESTED_CHANGES).map_err(db(&ctx))?;
    let kind = crate::serve::runs::JobKind::Advance { plan: list, changes, next_name };
    crate::serve::pages::dataset::queue(&state, &ctx, run.dataset_id, kind, Some(id), json!({}), 60.0)
}

/// A stage's end state in the page's language.
fn status_id_word(lang: crate::render::Lang, id: &str) -> &str {
    use crate::serve::page::t;
    match id {
        "optimal" => t(lang, "proven optimal", "已证明最优"),
        "time_limit" => t(lang, "stopped by the time limit", "因时间上限停止"),
        "infeasible" => t(lang, "no plan", "无可行方案"),
        other => other,
    }
}
