//! What-if scenarios without writing TOML: a form (new hires, retirements,
//! enrollment changes, closures and mergers, the rotation and backbone
//! shares and the longest distance) that writes a scenario file of SPEC §7,
//! checked as `whatif` would check it; the saved scenarios, each viewable
//! as TOML; and the comparison of two or more of them (and the county as
//! it is) as one `whatif` run, shown side by side on the run's page.

pub mod compare;
pub mod form;

use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Redirect};
use axum::routing::{get, post};
use axum::{Form, Router};

use crate::domain::{Backbone, County, Degree, Level, Subject, Title};
use crate::error::Error;
use crate::render::Lang;
use crate::serve::page::{beijing_time, h, layout, Ctx, PageError, PageResult};
use crate::serve::pages::dataset::{DEFAULT_TIME_LIMIT, MAX_TIME_LIMIT};
use crate::serve::pages::{db, load_dataset};
use crate::serve::AppState;
pub use compare::whatif_section;
use form::{label, Built, FieldProblem, ScenarioForm};

/// Rows of each kind an empty form offers (the script adds more).
const BLANK_ROWS: usize = 3;

/// The routes of these pages.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/datasets/{id}/whatif", get(form_page).post(save))
        .route("/datasets/{id}/whatif/compare", post(compare::start))
        .route("/datasets/{id}/scenarios/{sid}", get(scenario_page))
}

async fn form_page(State(state): State<AppState>, ctx: Ctx, Path(id): Path<i64>) -> PageResult {
    let (dataset, loaded) = load_dataset(&state, &ctx, id).await?;
    let body = page_body(&state, &ctx, id, &loaded.county, &ScenarioForm::default(), &[])?;
    let title = format!("{} · {}", dataset.county, ctx.t("What-if scenarios", "假设情景比较"));
    Ok(layout(&ctx, &title, &body).into_response())
}

/// Saves the form's scenario, or shows the form again with its problems.
async fn save(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> PageResult {
    let (dataset, loaded) = load_dataset(&state, &ctx, id).await?;
    let form = ScenarioForm::from_pairs(&pairs);
    let (built, mut problems) = form.build_all(Some(&loaded.county));
    let files = state.store.dataset_files(id).map_err(db(&ctx))?;
    let kept = built.clone();
    let deep = tokio::task::spawn_blocking(move || check_scenario(&files, &kept))
        .await
        .unwrap_or_else(|_| Err(vec![general_problem()]))
        .err()
        .unwrap_or_default();
    for d in deep {
        if !problems.iter().any(|p| p.field == d.field && p.row == d.row) {
            problems.push(d);
        }
    }
    let checked = if problems.is_empty() { Ok(built) } else { Err(problems) };
    match checked {
        Ok(built) => {
            state.store.add_scenario(id, form.name.trim(), &built.toml).map_err(db(&ctx))?;
            Ok(Redirect::to(&format!("/datasets/{id}/whatif#scenarios")).into_response())
        }
        Err(problems) => {
            let body = page_body(&state, &ctx, id, &loaded.county, &form, &problems)?;
            let title = format!("{} · {}", dataset.county, ctx.t("What-if scenarios", "假设情景比较"));
            Ok((StatusCode::UNPROCESSABLE_ENTITY, layout(&ctx, &title, &body)).into_response())
        }
    }
}

fn general_problem() -> FieldProblem {
    FieldProblem {
        field: "",
        row: None,
        en: "The scenario could not be checked; try again.".into(),
        zh: "未能检查这个情景，请重试。".into(),
    }
}

/// A private folder for one check, removed when dropped.
struct Scratch(std::path::PathBuf);

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Loads the scenario over the data set exactly as `whatif` will (every
/// problem the command would report, mapped to the form's fields).
fn check_scenario(files: &[(String, Vec<u8>)], built: &Built) -> Result<(), Vec<FieldProblem>> {
    use std::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let n = NEXT.fetch_add(1, Ordering::SeqCst);
    let dir = Scratch(std::env::temp_dir().join(format!("rotaplan-scenario-{}-{n}", std::process::id())));
    let written = (|| {
        std::fs::create_dir_all(dir.0.join("data"))?;
        crate::serve::runs::write_data(&dir.0.join("data"), files)?;
        let data = toml::Value::String(format!("data{}", crate::serve::runs::data_name(files)));
        std::fs::write(dir.0.join("scenario.toml"), format!("data = {data}\n{}", built.toml))
    })();
    if written.is_err() {
        return Err(vec![general_problem()]);
    }
    match crate::io::scenario::load_scenario(&dir.0.join("scenario.toml")) {
        Ok(_) => Ok(()),
        Err(Error::Input(problems)) => Err(problems
            .iter()
            .map(|p| {
                let (field, row) = field_of_key(&p.column, &built.rows);
                let zh = p.message_zh.clone().unwrap_or_else(|| p.message.clone());
                FieldProblem { field, row, en: p.message.clone(), zh }
            })
            .collect()),
        Err(_) => Err(vec![general_problem()]),
    }
}

/// The form field and row of a scenario file's key (`retire[2].teacher_id`,
/// `policy.rotation.min_share`, …).
fn field_of_key(key: &str, rows: &[Vec<usize>; 4]) -> (&'static str, Option<usize>) {
    let entry = |kind: usize| -> Option<usize> {
        let index: usize = key.split_once('[')?.1.split_once(']')?.0.parse().ok()?;
        rows[kind].get(index).copied()
    };
    let ends = |s: &str| key.ends_with(s);
    match key.split(['[', '.']).next().unwrap_or("") {
        "policy" if ends("backbone_min_share") => ("backbone_min", None),
        "policy" if ends("max_share") => ("rotation_max", None),
        "policy" if ends("min_share") => ("rotation_min", None),
        "policy" if ends("max_distance_km") => ("max_distance", None),
        "hire" if ends("section") => ("hire_section", entry(0)),
        "hire" if ends("subject") => ("hire_subject", entry(0)),
        "hire" if ends("degree") => ("hire_degree", entry(0)),
        "hire" if ends("backbone") => ("hire_backbone", entry(0)),
        "hire" if ends("title") => ("hire_title", entry(0)),
        "hire" => ("hire_count", entry(0)),
        "retire" => ("retire", entry(1)),
        "enrollment" if ends("classes") => ("enroll_classes", entry(2)),
        "enrollment" if ends("school_id") => ("enroll_school", entry(2)),
        "enrollment" => ("enroll_students", entry(2)),
        "close" if ends("merge_into") => ("close_into", entry(3)),
        "close" => ("close_school", entry(3)),
        "name" => ("name", None),
        _ => ("", None),
    }
}

/// The form page: the form (with `form`'s values and its problems), then
/// the saved scenarios and the compare button.
fn page_body(
    state: &AppState,
    ctx: &Ctx,
    id: i64,
    county: &County,
    form: &ScenarioForm,
    problems: &[FieldProblem],
) -> Result<String, PageError> {
    let saved = state.store.scenarios(id).map_err(db(ctx))?;
    Ok(format!(
        "<p class=\"meta\"><a href=\"/datasets/{id}\">{back}</a></p>\n{problems}\n{form}\n{saved}\n{lists}",
        back = ctx.t("Back to the county", "返回县域页面"),
        problems = problems_box(ctx, problems),
        form = form_section(ctx, id, county, form, problems),
        saved = compare::saved_section(ctx, id, &saved),
        lists = datalists(county),
    ))
}

/// The problems of a posted form, each naming its field (and row).
fn problems_box(ctx: &Ctx, problems: &[FieldProblem]) -> String {
    if problems.is_empty() {
        return String::new();
    }
    let mut items = String::new();
    for p in problems {
        let (en, zh) = if p.field.is_empty() { ("The scenario", "情景") } else { label(p.field) };
        let field = ctx.t(en, zh);
        let row = match (p.row, ctx.lang) {
            (Some(r), Lang::En) => format!(", row {r}"),
            (Some(r), Lang::Zh) => format!("，第 {r} 行"),
            (None, _) => String::new(),
        };
        let message = if ctx.lang == Lang::En { &p.en } else { &p.zh };
        items.push_str(&format!(
            "<li data-field=\"{}\" data-row=\"{}\"><strong>{}{}</strong>{} {}</li>",
            p.field,
            p.row.unwrap_or(0),
            h(field),
            h(&row),
            ctx.t(":", "："),
            h(message)
        ));
    }
    format!(
        "<div class=\"error\" id=\"form-problems\"><p>{}</p><ul>{items}</ul></div>",
        ctx.t(
            "The scenario was not saved: correct these values and save again.",
            "情景未保存：请改正以下各项后再保存。"
        )
    )
}

/// Whether a field (of a row) has a problem: the `invalid` class.
fn invalid(problems: &[FieldProblem], field: &str, row: Option<usize>) -> &'static str {
    if problems.iter().any(|p| p.field == field && (p.row.is_none() || p.row == row)) {
        " class=\"invalid\" aria-invalid=\"true\""
    } else {
        ""
    }
}

/// A `<select>` of a closed word set (English words as values).
fn word_select<T>(
    ctx: &Ctx,
    name: &str,
    all: &[(T, &'static str, &'static str)],
    value: &str,
    blank: &str,
    default: &str,
    bad: &str,
) -> String {
    let mut out = format!("<select name=\"{name}\"{bad}><option value=\"\">{}</option>", h(blank));
    for (_, en, zh) in all {
        let selected = if *en == value { " selected" } else { "" };
        let marked = if *en == default { " data-default=\"1\"" } else { "" };
        out.push_str(&format!(
            "<option value=\"{en}\"{selected}{marked}>{}</option>",
            h(if ctx.lang == Lang::En { en } else { zh })
        ));
    }
    out.push_str("</select>");
    out
}

/// A `<select>` of the county's schools.
fn school_select(county: &County, name: &str, value: &str, bad: &str) -> String {
    let mut out = format!("<select name=\"{name}\"{bad}><option value=\"\">—</option>");
    for s in &county.schools {
        let selected = if s.id == value { " selected" } else { "" };
        out.push_str(&format!(
            "<option value=\"{id}\"{selected}>{id} {name}</option>",
            id = h(&s.id),
            name = h(&s.name)
        ));
    }
    if !value.is_empty() && county.school(value).is_none() {
        out.push_str(&format!("<option value=\"{v}\" selected>{v}</option>", v = h(value)));
    }
    out.push_str("</select>");
    out
}

/// Rows to show of a kind: the posted ones and one blank more, at least
/// `BLANK_ROWS`.
fn row_count(posted: usize) -> usize {
    (posted + 1).max(BLANK_ROWS)
}

fn hire_rows(ctx: &Ctx, form: &ScenarioForm, problems: &[FieldProblem]) -> String {
    let mut rows = String::new();
    let blank = form::HireRow { degree: "bachelor".into(), ..Default::default() };
    for i in 0..row_count(form.hires.len()) {
        let r = form.hires.get(i).unwrap_or(&blank);
        let row = Some(i + 1);
        let bad = |f| invalid(problems, f, row);
        rows.push_str(&format!(
            "<tr class=\"form-row\"><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td><input type=\"number\" name=\"hire_count\" min=\"1\" max=\"1000\" step=\"1\" value=\"{}\"{}></td></tr>\n",
            word_select(ctx, "hire_section", Level::ALL, &r.section, "—", "", bad("hire_section")),
            word_select(ctx, "hire_subject", Subject::ALL, &r.subject, "—", "", bad("hire_subject")),
            word_select(ctx, "hire_degree", Degree::ALL, &r.degree, "—", "bachelor", bad("hire_degree")),
            word_select(ctx, "hire_backbone", &Backbone::ALL[1..], &r.backbone, ctx.t("none", "无"), "", bad("hire_backbone")),
            word_select(ctx, "hire_title", &Title::ALL[1..], &r.title, ctx.t("none", "无"), "", bad("hire_title")),
            h(&r.count),
            bad("hire_count"),
        ));
    }
    rows
}

fn retire_rows(form: &ScenarioForm, problems: &[FieldProblem]) -> String {
    let mut rows = String::new();
    for i in 0..row_count(form.retirements.len()) {
        let value = form.retirements.get(i).map_or("", String::as_str);
        rows.push_str(&format!(
            "<tr class=\"form-row\"><td><input type=\"text\" name=\"retire\" list=\"teacher-ids\" maxlength=\"64\" value=\"{}\"{}></td></tr>\n",
            h(value),
            invalid(problems, "retire", Some(i + 1))
        ));
    }
    rows
}

fn enrollment_rows(ctx: &Ctx, county: &County, form: &ScenarioForm, problems: &[FieldProblem]) -> String {
    let mut rows = String::new();
    let blank = form::EnrollmentRow { section: "primary".into(), ..Default::default() };
    for i in 0..row_count(form.enrollments.len()) {
        let r = form.enrollments.get(i).unwrap_or(&blank);
        let bad = |f| invalid(problems, f, Some(i + 1));
        rows.push_str(&format!(
            "<tr class=\"form-row\"><td>{}</td><td>{}</td><td><input type=\"number\" name=\"enroll_students\" min=\"0\" max=\"100000\" step=\"1\" value=\"{}\"{}></td><td><input type=\"number\" name=\"enroll_classes\" min=\"0\" max=\"2000\" step=\"1\" value=\"{}\" placeholder=\"{}\"{}></td></tr>\n",
            school_select(county, "enroll_school", &r.school, bad("enroll_school")),
            word_select(ctx, "enroll_section", Level::ALL, &r.section, "—", "primary", bad("enroll_section")),
            h(&r.students),
            bad("enroll_students"),
            h(&r.classes),
            ctx.t("unchanged", "不变"),
            bad("enroll_classes"),
        ));
    }
    rows
}

fn close_rows(county: &County, form: &ScenarioForm, problems: &[FieldProblem]) -> String {
    let mut rows = String::new();
    for i in 0..row_count(form.closures.len()) {
        let r = form.closures.get(i).cloned().unwrap_or_default();
        let bad = |f| invalid(problems, f, Some(i + 1));
        rows.push_str(&format!(
            "<tr class=\"form-row\"><td>{}</td><td>{}</td></tr>\n",
            school_select(county, "close_school", &r.school, bad("close_school")),
            school_select(county, "close_into", &r.into, bad("close_into")),
        ));
    }
    rows
}

/// One table of repeated rows with its "add a row" button.
fn rows_table(ctx: &Ctx, id: &str, heads: &[&str], rows: &str) -> String {
    let heads: String = heads.iter().map(|t| format!("<th>{}</th>", h(t))).collect();
    format!(
        "<table class=\"rows\"><thead><tr>{heads}</tr></thead><tbody id=\"{id}\">{rows}</tbody></table>\n<button type=\"button\" class=\"add-row\" data-rows=\"{id}\">{}</button>",
        ctx.t("Add a row", "添加一行")
    )
}

/// The new hires' rows with their heads.
fn hire_table(ctx: &Ctx, form: &ScenarioForm, problems: &[FieldProblem]) -> String {
    let heads = [
        ctx.t("Section", "学段"),
        ctx.t("Subject", "学科"),
        ctx.t("Degree", "学历"),
        ctx.t("Backbone level", "骨干级别"),
        ctx.t("Title", "职称"),
        ctx.t("Number", "人数"),
    ];
    rows_table(ctx, "hire-rows", &heads, &hire_rows(ctx, form, problems))
}

fn form_section(ctx: &Ctx, id: i64, county: &County, form: &ScenarioForm, problems: &[FieldProblem]) -> String {
    let lang = |pair: (&'static str, &'static str)| ctx.t(pair.0, pair.1);
    let l = |field: &str| lang(label(field));
    let hires = hire_table(ctx, form, problems);
    let retire = rows_table(ctx, "retire-rows", &[ctx.t("Teacher id", "教师编号")], &retire_rows(form, problems));
    let enroll = rows_table(
        ctx,
        "enroll-rows",
        &[ctx.t("School", "学校"), ctx.t("Section", "学段"), ctx.t("Students", "学生数"), ctx.t("Classes", "班级数")],
        &enrollment_rows(ctx, county, form, problems),
    );
    let close = rows_table(
        ctx,
        "close-rows",
        &[ctx.t("School that closes", "撤并的学校"), ctx.t("Merged into", "并入学校")],
        &close_rows(county, form, problems),
    );
    let number = |name: &str, value: &str, max: &str, now: f64| {
        format!(
            "<label>{} <input type=\"number\" name=\"{name}\" min=\"0\" max=\"{max}\" step=\"any\" value=\"{}\" placeholder=\"{}\"{}></label>",
            h(l(name)),
            h(value),
            format!("{:.4}", now).trim_end_matches('0').trim_end_matches('.'),
            invalid(problems, name, None)
        )
    };
    let percent = |share: &crate::exact::Exact| crate::exact::to_f64(share) * 100.0;
    let rotation = &county.policy.rotation;
    format!(
        r#"<section class="card"><h2>{h_new}</h2>
<p>{hint}</p>
<form method="post" action="{action}" id="whatif-form">
<label>{l_name} <input type="text" name="name" maxlength="{max_name}" required value="{name}"{bad_name}></label>
<fieldset><legend>{h_hires}</legend><p class="hint">{hint_hires}</p>{hires}</fieldset>
<fieldset><legend>{h_retire}</legend>{retire}</fieldset>
<fieldset><legend>{h_enroll}</legend><p class="hint">{hint_enroll}</p>{enroll}</fieldset>
<fieldset><legend>{h_close}</legend><p class="hint">{hint_close}</p>{close}</fieldset>
<fieldset><legend>{h_policy}</legend><p class="hint">{hint_policy}</p>{min} {max} {backbone} {distance}</fieldset>
<button type="submit" id="save-scenario">{save}</button>
</form></section>"#,
        h_new = ctx.t("A new scenario", "新建情景"),
        hint = ctx.t(
            "Leave empty what does not change. The scenario is checked against this county before it is saved.",
            "不变的内容留空即可。保存前会按本县数据检查情景。"
        ),
        action = ctx.action(&format!("/datasets/{id}/whatif")),
        l_name = h(l("name")),
        max_name = form::MAX_NAME_CHARS,
        name = h(&form.name),
        bad_name = invalid(problems, "name", None),
        h_hires = ctx.t("New hires", "新聘教师"),
        hint_hires = ctx.t(
            "The planner places each new teacher at the school that needs one most.",
            "新聘教师由方案安排到最需要的学校。"
        ),
        h_retire = ctx.t("Retirements", "退休"),
        h_enroll = ctx.t("Enrollment changes", "学生数变化"),
        hint_enroll = ctx.t(
            "The section's new number of students (and of classes, if it changes).",
            "该学段新的学生数（班级数有变化时一并填写）。"
        ),
        h_close = ctx.t("School closures and mergers", "学校撤并"),
        hint_close = ctx.t(
            "The closed school's pupils, classes and teachers go to the school it merges into.",
            "被撤并学校的学生、班级和教师并入接收学校。"
        ),
        h_policy = ctx.t("Policy", "政策参数"),
        hint_policy = ctx.t("Empty: the county's own policy (shown in grey).", "留空：沿用本县政策（灰色所示）。"),
        min = number("rotation_min", &form.rotation_min, "100", percent(&rotation.min_share)),
        max = number("rotation_max", &form.rotation_max, "100", percent(&rotation.max_share)),
        backbone = number("backbone_min", &form.backbone_min, "100", percent(&rotation.backbone_min_share)),
        distance = number("max_distance", &form.max_distance, "10000", county.policy.movement.max_distance_km),
        save = ctx.t("Check and save the scenario", "检查并保存情景"),
    )
}

/// The teachers' ids for the retirement fields.
fn datalists(county: &County) -> String {
    let mut out = String::from("<datalist id=\"teacher-ids\">");
    for t in &county.teachers {
        out.push_str(&format!(
            "<option value=\"{}\">{} · {}</option>",
            h(&t.id),
            h(&t.name),
            h(county.school(&t.school_id).map_or(t.school_id.as_str(), |s| s.name.as_str()))
        ));
    }
    out.push_str("</datalist>");
    out
}

/// One saved scenario as its TOML.
async fn scenario_page(State(state): State<AppState>, ctx: Ctx, Path((id, sid)): Path<(i64, i64)>) -> PageResult {
    let scenario = state
        .store
        .scenarios(id)
        .map_err(db(&ctx))?
        .into_iter()
        .find(|s| s.id == sid)
        .ok_or_else(|| PageError::not_found(ctx.lang))?;
    let body = format!(
        "<p class=\"meta\"><a href=\"/datasets/{id}/whatif\">{back}</a> · {saved} {time}</p>\n<p>{hint}</p>\n<pre class=\"toml\" id=\"scenario-toml\">{toml}</pre>",
        back = ctx.t("Back to the scenarios", "返回情景列表"),
        saved = ctx.t("saved", "保存于"),
        time = beijing_time(scenario.created),
        hint = ctx.t(
            "The scenario file (the data key, naming the county's data, is added when it runs):",
            "情景文件（运行时会加上指向本县数据的 data 项）："
        ),
        toml = h(&scenario.toml),
    );
    let mut response = layout(&ctx, &scenario.name, &body).into_response();
    response.headers_mut().insert(header::CACHE_CONTROL, header::HeaderValue::from_static("no-store"));
    Ok(response)
}

/// The time limit field of the compare form.
pub fn time_limit_field(ctx: &Ctx) -> String {
    format!(
        "<label>{} <input type=\"number\" name=\"time_limit\" min=\"1\" max=\"{MAX_TIME_LIMIT}\" step=\"1\" value=\"{DEFAULT_TIME_LIMIT}\"></label>",
        ctx.t("Time limit for the whole comparison (seconds)", "整个比较的时间上限（秒）")
    )
}
