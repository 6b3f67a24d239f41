//! A county as it stands: the evaluation's figures and report, the plan
//! form, and the runs made from this data set.

use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Redirect};
use axum::routing::{get, post};
use axum::{Form, Router};
use serde_json::json;

use crate::serve::page::{beijing_time, code, h, layout, Ctx, PageError, PageResult};
use crate::serve::pages::{db, load_dataset};
use crate::serve::runs::{Job, JobKind};
use crate::serve::store::Run;
use crate::serve::AppState;

/// The default and the largest time limit of a run, in seconds (as `plan`).
pub const DEFAULT_TIME_LIMIT: f64 = 600.0;
/// The largest time limit.
pub const MAX_TIME_LIMIT: f64 = 86_400.0;

/// The routes of these pages.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/datasets/{id}", get(county_page))
        .route("/datasets/{id}/report.html", get(evaluation_report))
        .route("/datasets/{id}/plan", post(start_plan))
        .route("/datasets/{id}/file", get(data_file))
        .route(
            "/datasets/{id}/revise",
            post(revise).layer(axum::extract::DefaultBodyLimit::max(crate::serve::pages::home::MAX_UPLOAD_BYTES)),
        )
}

async fn county_page(State(state): State<AppState>, ctx: Ctx, Path(id): Path<i64>) -> PageResult {
    let (dataset, loaded) = load_dataset(&state, &ctx, id).await?;
    let county = loaded.county;
    let lang = ctx.lang;
    // The keys, without the heading that advance writes into its folder.
    let policy = String::from_utf8_lossy(&crate::render::data_folder::policy_toml(&county.policy))
        .lines()
        .filter(|l| !l.starts_with('#'))
        .collect::<Vec<_>>()
        .join("\n");
    let summary = tokio::task::spawn_blocking(move || {
        let evaluation = crate::rules::evaluation::evaluate_county(&county);
        crate::render::evaluation::terminal_summary(&evaluation, &county, lang)
    })
    .await
    .unwrap_or_default();
    let (key_line, details) = summary.split_once('\n').unwrap_or((summary.as_str(), ""));
    let names: Vec<String> = state.store.dataset_files(id).map_err(db(&ctx))?.into_iter().map(|(n, _)| n).collect();
    let runs = state.store.runs(Some(id)).map_err(db(&ctx))?;
    let warnings = if dataset.note.is_empty() {
        String::new()
    } else {
        format!("<div class=\"warnings\"><pre>{}</pre></div>", h(&dataset.note))
    };
    let body = format!(
        r#"<p class="meta">{imported} {time} · {schools} {n_schools} · {teachers} {n_teachers}</p>
{warnings}
<section class="card"><h2>{h_plan}</h2>
<form method="post" action="{action}" id="plan-form">
<label>{limit_label} <input type="number" name="time_limit" id="time-limit" min="1" max="{max}" step="1" value="{default}"></label>
<button type="submit" id="plan-button">{plan_button}</button>
</form>
<p class="links"><a href="/datasets/{id}/whatif" id="whatif-link">{whatif}</a> · <a href="/datasets/{id}/register" id="register-link">{register}</a></p>
</section>
{runs}
<section><h2>{h_standing}</h2><p class="key-figures" id="standing">{key_line}</p>
<details><summary>{h_details}</summary><pre class="summary">{details}</pre></details>
<p><a href="/datasets/{id}/report.html" target="_blank" rel="noopener" id="report-link">{open_report}</a></p>
<iframe class="report" src="/datasets/{id}/report.html" title="{h_report}" sandbox="allow-same-origin"></iframe></section>
{data_files}"#,
        imported = ctx.t("Imported", "导入于"),
        time = beijing_time(dataset.created),
        schools = ctx.t("schools", "学校"),
        n_schools = dataset.schools,
        teachers = ctx.t("teachers", "教师"),
        n_teachers = dataset.teachers,
        h_plan = ctx.t("Plan this year's rotation", "编制本年度交流方案"),
        action = ctx.action(&format!("/datasets/{id}/plan")),
        limit_label = ctx.t("Time limit (seconds)", "时间上限（秒）"),
        max = MAX_TIME_LIMIT,
        default = DEFAULT_TIME_LIMIT,
        plan_button = ctx.t("Plan", "开始编制"),
        whatif = ctx.t("What-if scenarios", "假设情景比较"),
        register = ctx.t("Exchange register, applications and family ties", "交流记录、交流申请与家庭关系"),
        runs = runs_table(&ctx, &runs),
        h_standing = ctx.t("The county as it stands", "县域现状"),
        key_line = h(key_line.trim()),
        h_details = ctx.t("Every section's difference coefficients and failures", "各学段差异系数与未达标原因"),
        details = h(details.trim_start_matches('\n')),
        open_report = ctx.t("Open the report in a new tab (to print or save)", "在新标签页中打开报告（可打印或保存）"),
        h_report = ctx.t("Evaluation report", "现状评估报告"),
        data_files = data_files_section(&ctx, id, &names, &policy),
    );
    Ok(layout(&ctx, &dataset.county, &body).into_response())
}

/// The runs of a data set (or of the workspace), newest first.
pub fn runs_table(ctx: &Ctx, runs: &[Run]) -> String {
    if runs.is_empty() {
        return String::new();
    }
    let mut rows = String::new();
    for r in runs {
        rows.push_str(&format!(
            "<tr><td><a href=\"/runs/{id}\" class=\"run-link\">#{id}</a></td><td>{kind}</td><td>{time}</td><td class=\"status-{status}\">{status_word}</td></tr>\n",
            id = r.id,
            kind = h(kind_word(ctx, &r.kind)),
            time = beijing_time(r.created),
            status = r.status.id(),
            status_word = h(status_word(ctx, r.status)),
        ));
    }
    format!(
        "<section><h2>{}</h2><table class=\"list\" id=\"runs\"><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>{rows}</tbody></table></section>",
        ctx.t("Plans made", "已编制的方案"),
        ctx.t("Run", "编号"),
        ctx.t("Kind", "类型"),
        ctx.t("Started (Beijing time)", "开始时间（北京时间）"),
        ctx.t("Status", "状态"),
    )
}

/// The word for a run's kind.
pub fn kind_word<'a>(ctx: &Ctx, kind: &'a str) -> &'a str {
    match kind {
        "plan" => ctx.t("plan", "交流方案"),
        "replan" => ctx.t("re-plan after changes", "变动后重新编制"),
        "whatif" => ctx.t("what-if comparison", "假设情景比较"),
        "advance" => ctx.t("next school year's data", "生成下一学年数据"),
        other => other,
    }
}

/// The word for a run's status.
pub fn status_word(ctx: &Ctx, status: crate::serve::store::RunStatus) -> &'static str {
    use crate::serve::store::RunStatus as S;
    match status {
        S::Queued => ctx.t("waiting for a free solver", "排队等待"),
        S::Running => ctx.t("solving", "求解中"),
        S::Done => ctx.t("done", "已完成"),
        S::Infeasible => ctx.t("no plan meets every rule", "没有满足全部规则的方案"),
        S::Failed => ctx.t("failed", "失败"),
        S::Cancelled => ctx.t("cancelled", "已取消"),
        S::Interrupted => ctx.t("interrupted (the server stopped)", "已中断（服务曾停止）"),
    }
}

async fn evaluation_report(State(state): State<AppState>, ctx: Ctx, Path(id): Path<i64>) -> PageResult {
    let (_, loaded) = load_dataset(&state, &ctx, id).await?;
    let lang = ctx.lang;
    let html = tokio::task::spawn_blocking(move || {
        let evaluation = crate::rules::evaluation::evaluate_county(&loaded.county);
        crate::render::html::evaluation_report(&loaded.county, &evaluation, lang)
    })
    .await
    .unwrap_or_default();
    Ok((
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (
                header::CONTENT_SECURITY_POLICY,
                "sandbox allow-same-origin; default-src 'none'; style-src 'unsafe-inline'; img-src data:",
            ),
        ],
        html,
    )
        .into_response())
}

#[derive(serde::Deserialize)]
struct PlanForm {
    time_limit: Option<String>,
}

/// The time limit of a form: a number of seconds in (0, 86400].
pub fn time_limit(ctx: &Ctx, text: Option<&str>) -> Result<f64, PageError> {
    let text = text.map(str::trim).unwrap_or("");
    if text.is_empty() {
        return Ok(DEFAULT_TIME_LIMIT);
    }
    match text.parse::<f64>() {
        Ok(v) if v.is_finite() && (1.0..=MAX_TIME_LIMIT).contains(&v) => Ok(v),
        _ => Err(PageError::new(
            StatusCode::BAD_REQUEST,
            ctx.lang,
            format!("The time limit \"{text}\" is not a number of seconds from 1 to 86400."),
            format!("时间上限「{text}」不是 1 到 86400 之间的秒数。"),
        )),
    }
}

/// Queues a job for a data set and goes to its run page.
pub fn queue(
    state: &AppState,
    ctx: &Ctx,
    dataset_id: i64,
    kind: JobKind,
    base_run: Option<i64>,
    params: serde_json::Value,
    time_limit: f64,
) -> PageResult {
    let word = match kind {
        JobKind::Plan => "plan",
        JobKind::Replan { .. } => "replan",
        JobKind::Whatif { .. } => "whatif",
        JobKind::Advance { .. } => "advance",
    };
    let data = state.store.dataset_files(dataset_id).map_err(db(ctx))?;
    let mut params = params;
    params["time_limit"] = json!(time_limit);
    params["lang"] = json!(code(ctx.lang));
    let run_id = state.store.add_run(dataset_id, word, base_run, &params).map_err(db(ctx))?;
    let job = Job { run_id, kind, lang: code(ctx.lang).to_string(), time_limit, data };
    if state.runs.submit(state.store.clone(), job).is_err() {
        let end = crate::serve::store::RunEnd {
            status: crate::serve::store::RunStatus::Failed,
            exit_code: None,
            message: ctx
                .t("Too many runs were waiting; this one was not started.", "排队的任务太多，本任务未启动。")
                .to_string(),
            peak_rss_kb: None,
            progress: json!([]),
        };
        let _ = state.store.finish_run(run_id, &end, &[]);
        return Err(PageError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            ctx.lang,
            "Too many plans are waiting or running. Wait for one to finish, then try again.",
            "正在排队或求解的方案太多。请等其中一个完成后再试。",
        ));
    }
    Ok(Redirect::to(&format!("/runs/{run_id}")).into_response())
}

async fn start_plan(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(form): Form<PlanForm>,
) -> PageResult {
    state.store.dataset(id).map_err(db(&ctx))?.ok_or_else(|| PageError::not_found(ctx.lang))?;
    let limit = time_limit(&ctx, form.time_limit.as_deref())?;
    queue(&state, &ctx, id, JobKind::Plan, None, json!({}), limit)
}

/// The data set's files (downloadable), the policy in force, and the form
/// that makes a new version with changed files.
fn data_files_section(ctx: &Ctx, id: i64, names: &[String], policy: &str) -> String {
    let links: String = names
        .iter()
        .map(|n| {
            format!(
                "<li><a href=\"/datasets/{id}/file?name={}\" class=\"data-file\" download>{}</a></li>",
                crate::serve::page::percent_encode(n),
                h(n)
            )
        })
        .collect();
    format!(
        r#"<section class="card"><h2>{h_files}</h2><ul class="downloads" id="data-files">{links}</ul>
<details id="policy"><summary>{h_policy}</summary><p>{policy_hint}</p><pre class="summary">{policy}</pre></details>
<h3>{h_revise}</h3><p>{revise_hint}</p>
<form method="post" action="{action}" enctype="multipart/form-data" id="revise-form">
<input type="file" name="files" multiple accept=".xlsx,.csv,.toml" required>
<button type="submit" id="revise-button">{revise_button}</button></form></section>"#,
        h_files = ctx.t("This data set's files", "本数据集的文件"),
        h_policy = ctx.t("The policy in force (policy.toml)", "现行政策（policy.toml）"),
        policy_hint = ctx.t(
            "The keys this data set sets to other values than the defaults (docs/data-format.md lists every key and its default). To change one, save this text as policy.toml, edit it, and make a new version below.",
            "下面是本数据集与默认值不同的政策取值（每一项及其默认值见文档 docs/data-format.md）。要修改，可把这段文字存为 policy.toml，改好后在下面生成新版本。"
        ),
        policy = h(policy),
        h_revise = ctx.t("A new version with changed files", "更换文件，生成新版本"),
        revise_hint = ctx.t(
            "Choose the files to replace or add (for example an edited policy.toml or teachers.csv; for a workbook data set, the new workbook). The others are kept; the new version is checked as an import is, and this one stays as it was.",
            "选择要替换或新增的文件（例如改过的 policy.toml 或 teachers.csv；工作簿数据集则选新的工作簿）。其余文件保持不变；新版本像导入一样接受检查，本版本保持原样。"
        ),
        action = ctx.action(&format!("/datasets/{id}/revise")),
        revise_button = ctx.t("Check and keep as a new version", "检查并保存为新版本"),
    )
}

#[derive(serde::Deserialize)]
struct FileQuery {
    name: String,
}

/// One stored file of a data set, by its stored name, as a download.
async fn data_file(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    axum::extract::Query(q): axum::extract::Query<FileQuery>,
) -> PageResult {
    let files = state.store.dataset_files(id).map_err(db(&ctx))?;
    let (name, bytes) = files.into_iter().find(|(n, _)| *n == q.name).ok_or_else(|| PageError::not_found(ctx.lang))?;
    Ok(crate::serve::pages::run::attachment(&name, bytes))
}

/// A new version of a data set: its files with the uploaded ones replacing
/// or joining them by name (a workbook replaces a workbook).
async fn revise(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    form: axum::extract::Multipart,
) -> PageResult {
    let dataset = state.store.dataset(id).map_err(db(&ctx))?.ok_or_else(|| PageError::not_found(ctx.lang))?;
    let upload = crate::serve::pages::home::read_upload(&ctx, form).await?;
    let mut files = state.store.dataset_files(id).map_err(db(&ctx))?;
    let workbook = |f: &[(String, Vec<u8>)]| f.iter().any(|(n, _)| n.to_ascii_lowercase().ends_with(".xlsx"));
    if workbook(&files) || workbook(&upload.files) {
        files = upload.files;
    } else {
        for (name, bytes) in upload.files {
            files.retain(|(n, _)| !n.eq_ignore_ascii_case(&name));
            files.push((name, bytes));
        }
        files.sort();
    }
    crate::serve::pages::home::keep_upload(&state, &ctx, dataset.county, files, Some("revised")).await
}
