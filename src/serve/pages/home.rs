//! The first page: the counties' data sets, and the import form (one
//! workbook, or the CSV files of a data folder), validated as `check` does.

use axum::extract::{DefaultBodyLimit, Multipart, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use axum::routing::{get, post};
use axum::Router;

use crate::serve::page::{beijing_time, h, layout, Ctx, PageError, PageResult};
use crate::serve::pages::{db, input_error_page, load_files};
use crate::serve::store::Dataset;
use crate::serve::AppState;

/// Most bytes of one import request (every file together).
pub const MAX_UPLOAD_BYTES: usize = 64 * 1024 * 1024;
/// Most files of one import.
pub const MAX_UPLOAD_FILES: usize = 16;
/// Most characters of a county's name.
const MAX_NAME_CHARS: usize = 60;

/// The routes of these pages.
pub fn routes() -> Router<AppState> {
    Router::new().route("/", get(home)).route("/import", post(import).layer(DefaultBodyLimit::max(MAX_UPLOAD_BYTES)))
}

async fn home(State(state): State<AppState>, ctx: Ctx) -> PageResult {
    let datasets = state.store.datasets().map_err(db(&ctx))?;
    let mut rows = String::new();
    for d in &datasets {
        rows.push_str(&format!(
            "<tr><td><a href=\"/datasets/{id}\" class=\"dataset-link\">{county}</a></td><td>{time}</td><td>{source}</td><td>{schools}</td><td>{teachers}</td></tr>\n",
            id = d.id,
            county = h(&d.county),
            time = beijing_time(d.created),
            source = h(source_word(&ctx, &d.source)),
            schools = d.schools,
            teachers = d.teachers,
        ));
    }
    let list = if datasets.is_empty() {
        format!(
            "<p class=\"empty\">{}</p>",
            ctx.t("No county yet: import one below.", "还没有县域数据：请在下面导入。")
        )
    } else {
        format!(
            "<table class=\"list\" id=\"datasets\"><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>{rows}</tbody></table>",
            ctx.t("County", "县域"),
            ctx.t("Imported (Beijing time)", "导入时间（北京时间）"),
            ctx.t("From", "来源"),
            ctx.t("Schools", "学校数"),
            ctx.t("Teachers", "教师数"),
        )
    };
    let body = format!(
        r#"<section><h2>{h_list}</h2>{list}</section>
<section class="card"><h2>{h_import}</h2>
<p>{hint}</p>
<form method="post" action="{action}" enctype="multipart/form-data" id="import-form">
<label>{name_label} <input type="text" name="county" maxlength="{max_name}" placeholder="{name_hint}"></label>
<label>{files_label} <input type="file" name="files" id="import-files" multiple accept=".xlsx,.csv,.toml" required></label>
<button type="submit" id="import-button">{button}</button>
</form></section>"#,
        h_list = ctx.t("Counties", "县域数据"),
        h_import = ctx.t("Import a county", "导入县域数据"),
        hint = ctx.t(
            "Choose the county's workbook (.xlsx with the sheets 学校 and 教师), or the CSV files of a data folder (schools.csv, teachers.csv, and policy.toml and the others where you have them). Every problem is listed with its file, line and column.",
            "选择县域的工作簿（含「学校」「教师」工作表的 .xlsx），或数据文件夹中的 CSV 文件（schools.csv、teachers.csv，以及已有的 policy.toml 等）。每处问题都会列出文件、行和列。"
        ),
        action = ctx.action("/import"),
        name_label = ctx.t("County name", "县域名称"),
        name_hint = ctx.t("e.g. Anze 2026", "例如：安泽县 2026"),
        max_name = MAX_NAME_CHARS,
        files_label = ctx.t("Files", "文件"),
        button = ctx.t("Import and check", "导入并检查"),
    );
    Ok(layout(&ctx, ctx.t("Counties", "县域数据"), &body).into_response())
}

/// The word for where a data set came from.
pub fn source_word<'a>(ctx: &Ctx, source: &'a str) -> &'a str {
    match source {
        "workbook" => ctx.t("workbook", "工作簿"),
        "csv" => ctx.t("CSV files", "CSV 文件"),
        "advance" => ctx.t("next year, from an accepted list", "由定稿名单生成的下一学年"),
        "revised" => ctx.t("a new version with changed files", "更换文件后的新版本"),
        other => other,
    }
}

fn too_many(ctx: &Ctx) -> PageError {
    PageError::new(
        StatusCode::PAYLOAD_TOO_LARGE,
        ctx.lang,
        format!("At most {MAX_UPLOAD_FILES} files, {} MB in all, can be imported at once.", MAX_UPLOAD_BYTES >> 20),
        format!("一次最多导入 {MAX_UPLOAD_FILES} 个文件，合计不超过 {} MB。", MAX_UPLOAD_BYTES >> 20),
    )
}

/// An upload that could not be read: too large, or not a well-formed form.
fn unreadable(ctx: &Ctx, error: &axum::extract::multipart::MultipartError) -> PageError {
    if error.status() == StatusCode::PAYLOAD_TOO_LARGE {
        return too_many(ctx);
    }
    PageError::new(
        StatusCode::BAD_REQUEST,
        ctx.lang,
        "The upload could not be read (it was cut short or is not a file form). Choose the files again and import.",
        "无法读取上传的内容（传输中断，或不是文件表单）。请重新选择文件后导入。",
    )
}

/// What an upload form sent: the county name field and the files.
pub struct Upload {
    /// The county name typed, or empty.
    pub county: String,
    /// The files, each by the last part of its name.
    pub files: Vec<(String, Vec<u8>)>,
}

/// Reads an upload form's fields within the bounds.
pub async fn read_upload(ctx: &Ctx, mut form: Multipart) -> Result<Upload, PageError> {
    let mut upload = Upload { county: String::new(), files: Vec::new() };
    loop {
        let field = match form.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            Err(e) => return Err(unreadable(ctx, &e)),
        };
        let name = field.name().unwrap_or("").to_string();
        let file_name = field.file_name().map(str::to_string);
        let bytes = field.bytes().await.map_err(|e| unreadable(ctx, &e))?;
        match (name.as_str(), file_name) {
            ("county", _) => {
                upload.county = String::from_utf8_lossy(&bytes).trim().chars().take(MAX_NAME_CHARS).collect()
            }
            ("files", Some(file)) if !file.is_empty() => {
                if upload.files.len() >= MAX_UPLOAD_FILES {
                    return Err(too_many(ctx));
                }
                // Some browsers send the whole path of the user's file: only
                // its last part names the table.
                let base = file.rsplit(['/', '\\']).next().unwrap_or_default().to_string();
                upload.files.push((base, bytes.to_vec()));
            }
            _ => {}
        }
    }
    if upload.files.is_empty() {
        return Err(PageError::new(
            StatusCode::BAD_REQUEST,
            ctx.lang,
            "No file was chosen. Choose the county's workbook or its CSV files.",
            "没有选择文件。请选择县域的工作簿或 CSV 文件。",
        ));
    }
    Ok(upload)
}

async fn import(State(state): State<AppState>, ctx: Ctx, form: Multipart) -> PageResult {
    let upload = read_upload(&ctx, form).await?;
    keep_upload(&state, &ctx, upload.county, upload.files, None).await
}

/// Checks a county's files as `check` does and keeps them as a new data
/// set (`source` "revised" when it is a new version of another); goes to
/// its page. A county without a name is named after its workbook.
pub async fn keep_upload(
    state: &AppState,
    ctx: &Ctx,
    mut county: String,
    mut files: Vec<(String, Vec<u8>)>,
    source: Option<&str>,
) -> PageResult {
    let kept = files.clone();
    let lang = ctx.lang;
    let loaded = tokio::task::spawn_blocking(move || load_files(kept))
        .await
        .map_err(|_| {
            PageError::new(StatusCode::INTERNAL_SERVER_ERROR, lang, "checking the data failed", "检查数据失败")
        })?
        .map_err(|e| input_error_page(lang, &e))?;
    let workbook = files.len() == 1 && files[0].0.to_ascii_lowercase().ends_with(".xlsx");
    if !workbook {
        // What the readers left out (a README, notes) is not kept.
        files.retain(|(name, _)| crate::serve::runs::DATA_FILES.iter().any(|k| k.eq_ignore_ascii_case(name)));
    }
    if county.is_empty() {
        county = files[0].0.trim_end_matches(".xlsx").to_string();
        if !workbook || county.is_empty() {
            county = ctx.t("County", "县域").to_string();
        }
    }
    let note = loaded
        .warnings
        .iter()
        .map(|w| match lang {
            crate::render::Lang::Zh => w.zh.clone().unwrap_or_else(|| w.en.clone()),
            crate::render::Lang::En => w.en.clone(),
        })
        .collect::<Vec<_>>()
        .join("\n");
    let source = source.unwrap_or(if workbook { "workbook" } else { "csv" });
    let dataset = Dataset {
        id: 0,
        county,
        created: 0,
        source: source.into(),
        note,
        schools: loaded.county.schools.len() as i64,
        teachers: loaded.county.teachers.len() as i64,
    };
    let id = state.store.add_dataset(&dataset, &files).map_err(db(ctx))?;
    Ok(Redirect::to(&format!("/datasets/{id}")).into_response())
}
