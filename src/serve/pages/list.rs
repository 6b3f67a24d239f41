//! The rotation list of a finished plan or re-plan (read from its
//! rotations.csv): sorted and filtered on the page, one action form per
//! teacher and one for any teacher of the county, the pending edits, the
//! re-plan with the fewest changes (a changes file built from the edits)
//! and the publication (公示).

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use axum::routing::post;
use axum::{Form, Router};
use serde_json::json;

use crate::domain::County;
use crate::render::words::{word, ListKind};
use crate::render::Lang;
use crate::serve::page::{beijing_time, h, Ctx, PageError, PageResult};
use crate::serve::pages::dataset::{queue, time_limit, DEFAULT_TIME_LIMIT, MAX_TIME_LIMIT};
use crate::serve::pages::run::find_run;
use crate::serve::pages::versions::changes_table;
use crate::serve::pages::{db, load_dataset};
use crate::serve::runs::JobKind;
use crate::serve::store::{Edit, Run, RunStatus};
use crate::serve::AppState;

mod edits;
pub use edits::{changes_csv, check_changes, wanted_changes, EditAction, Wanted};

/// Most characters of a teacher id, a school id or name, or a note sent by a form.
const MAX_FIELD_CHARS: usize = 200;

/// The routes of the list's forms.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/runs/{id}/edits", post(add_edit))
        .route("/runs/{id}/edits/{edit}/remove", post(remove_edit))
        .route("/runs/{id}/replan", post(start_replan))
        .route("/runs/{id}/publish", post(publish))
}

/// One row of rotations.csv by column name.
pub struct ListRow {
    /// The cells by column name.
    pub cells: std::collections::HashMap<String, String>,
}

impl ListRow {
    /// The cell of a column, or "".
    pub fn get(&self, column: &str) -> &str {
        self.cells.get(column).map_or("", String::as_str)
    }
}

/// The rows of a CSV file (rotations.csv, changes.csv) by column name.
pub fn read_list(bytes: &[u8]) -> Vec<ListRow> {
    let text = String::from_utf8_lossy(bytes);
    let text = text.trim_start_matches('\u{feff}');
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(text.as_bytes());
    let Ok(header) = reader.headers().cloned() else { return Vec::new() };
    reader
        .records()
        .flatten()
        .map(|record| ListRow {
            cells: header.iter().zip(record.iter()).map(|(k, v)| (k.to_string(), v.to_string())).collect(),
        })
        .collect()
}

/// A school's name, or its id when unknown.
fn school_name<'a>(county: &'a County, id: &'a str) -> &'a str {
    county.schools.iter().find(|s| s.id == id).map_or(id, |s| s.name.as_str())
}

/// A rotations.csv cell in the page's words.
fn cell_words(column: &str, value: &str, lang: Lang) -> String {
    use crate::domain::{Backbone, Level, Role, Subject};
    let worded = match column {
        "section" => Level::parse(value).map(|v| word(v, lang)),
        "subject" => Subject::parse(value).map(|v| word(v, lang)),
        "backbone" => Backbone::parse(value).map(|v| word(v, lang)),
        "role" => Role::parse(value).map(|v| word(v, lang)),
        "pe_arts" => match value {
            "yes" => Some(word(true, lang)),
            "no" => Some(word(false, lang)),
            _ => None,
        },
        "kind" => match value {
            "rotation" => Some(word(ListKind::Rotation, lang)),
            "return" => Some(word(ListKind::Return, lang)),
            "extend" => Some(word(ListKind::Extend, lang)),
            _ => None,
        },
        "distance_km" => return value.parse::<f64>().map_or(String::new(), |km| format!("{km:.1}")),
        _ => None,
    };
    worded.map_or_else(|| value.to_string(), str::to_string)
}

/// Whether a run's list may be edited, re-planned and published.
fn has_list(run: &Run) -> bool {
    run.status == RunStatus::Done && (run.kind == "plan" || run.kind == "replan")
}

/// The list section of a run's page: publication, changes of a re-plan,
/// filters, the list with its forms, the edits, re-plan and publish.
pub async fn list_section(state: &AppState, ctx: &Ctx, run: &Run) -> Result<String, PageError> {
    let Some(bytes) = state.store.run_file(run.id, "rotations.csv").map_err(db(ctx))? else { return Ok(String::new()) };
    let rows = read_list(&bytes);
    let (_, loaded) = load_dataset(state, ctx, run.dataset_id).await?;
    let county = &loaded.county;
    let edits = state.store.edits(run.id).map_err(db(ctx))?;
    let mut out = publications_line(state, ctx, run)?;
    if run.kind == "replan" {
        if let Some(changes) = state.store.run_file(run.id, "changes.csv").map_err(db(ctx))? {
            out.push_str(&format!(
                "<section><h2>{}</h2>{}</section>",
                ctx.t("Changes from the list it re-planned", "与原名单相比的变动"),
                changes_table(ctx, &read_list(&changes), "changes")
            ));
        }
    }
    out.push_str(&filter_bar(ctx, county, &rows));
    out.push_str(&rotations_table(ctx, county, run, &rows));
    if has_list(run) {
        out.push_str(&school_and_teacher_lists(county));
        out.push_str(&any_teacher_form(ctx, run));
        out.push_str(&edits_section(ctx, county, run, &edits));
        let summary = state.store.run_file(run.id, "summary.json").map_err(db(ctx))?.unwrap_or_default();
        let summary: serde_json::Value = serde_json::from_slice(&summary).unwrap_or_default();
        out.push_str(&replan_and_publish(ctx, run, summary["solver"]["optimal"].as_bool().unwrap_or(false)));
    }
    Ok(out)
}

/// "Published on …" for each publication of the run.
fn publications_line(state: &AppState, ctx: &Ctx, run: &Run) -> Result<String, PageError> {
    let mut items = String::new();
    for p in state.store.publications().map_err(db(ctx))?.iter().filter(|p| p.run_id == run.id).rev() {
        let note = if p.note.is_empty() { String::new() } else { format!(": {}", h(&p.note)) };
        items.push_str(&format!(
            "<li data-publication=\"{}\">{} {}{note}</li>",
            p.id,
            ctx.t("Published (Beijing time)", "公示于（北京时间）"),
            beijing_time(p.created)
        ));
    }
    if items.is_empty() {
        return Ok(String::new());
    }
    Ok(format!("<ul class=\"published\" id=\"published\">{items}</ul>"))
}

/// The filter bar (school, subject, backbone); shown by the script.
fn filter_bar(ctx: &Ctx, county: &County, rows: &[ListRow]) -> String {
    let mut schools: Vec<&str> = rows.iter().flat_map(|r| [r.get("from_school"), r.get("to_school")]).collect();
    let mut subjects: Vec<&str> = rows.iter().map(|r| r.get("subject")).collect();
    for list in [&mut schools, &mut subjects] {
        list.retain(|s| !s.is_empty());
        list.sort_unstable();
        list.dedup();
    }
    let options = |values: &[&str], label: &dyn Fn(&str) -> String| {
        values.iter().map(|v| format!("<option value=\"{}\">{}</option>", h(v), h(&label(v)))).collect::<String>()
    };
    let school_options = options(&schools, &|id| format!("{} ({id})", school_name(county, id)));
    let subject_options = options(&subjects, &|s| cell_words("subject", s, ctx.lang));
    format!(
        r#"<div class="filters" id="list-filter" hidden>
<label>{l_school} <select id="filter-school"><option value="">{all}</option>{school_options}</select></label>
<label>{l_subject} <select id="filter-subject"><option value="">{all}</option>{subject_options}</select></label>
<label>{l_backbone} <select id="filter-backbone"><option value="">{all}</option><option value="yes">{yes}</option><option value="no">{no}</option></select></label>
<span id="filter-count"></span></div>"#,
        l_school = ctx.t("School (from or to)", "学校（调出或调入）"),
        l_subject = ctx.t("Subject", "学科"),
        l_backbone = ctx.t("Backbone", "骨干教师"),
        all = ctx.t("all", "全部"),
        yes = ctx.t("backbone only", "仅骨干"),
        no = ctx.t("not backbone", "非骨干"),
    )
}

/// The list's columns: rotations.csv's column and its heading.
const COLUMNS: [(&str, &str, &str); 12] = [
    ("teacher_id", "Teacher id", "教师编号"),
    ("name", "Name", "姓名"),
    ("section", "Section", "学段"),
    ("subject", "Subject", "学科"),
    ("from_school", "From", "原学校"),
    ("to_school", "To", "交流至"),
    ("distance_km", "Distance (km)", "距离（公里）"),
    ("backbone", "Backbone", "骨干级别"),
    ("pe_arts", "PE/arts", "体艺"),
    ("role", "Role", "职务"),
    ("kind", "Kind", "类别"),
    ("reason", "Why", "理由"),
];

/// The rotation list; each row with its action form when editable.
fn rotations_table(ctx: &Ctx, county: &County, run: &Run, rows: &[ListRow]) -> String {
    let editable = has_list(run);
    let mut body = String::new();
    for row in rows {
        let backbone = crate::domain::Backbone::parse(row.get("backbone")).is_some_and(|b| b.is_backbone());
        let mut cells = String::new();
        for (column, _, _) in COLUMNS {
            let value = row.get(column);
            let shown = match column {
                "from_school" | "to_school" => format!("{} ({value})", school_name(county, value)),
                _ => cell_words(column, value, ctx.lang),
            };
            cells.push_str(&format!("<td class=\"c-{column}\">{}</td>", h(&shown)));
        }
        if editable && matches!(row.get("kind"), "" | "rotation") {
            cells.push_str(&format!("<td>{}</td>", action_form(ctx, run, row.get("teacher_id"), true)));
        } else if editable {
            // A due return is the exchange register's to decide, not an edit's.
            cells.push_str(&format!(
                "<td class=\"c-register\">{}</td>",
                ctx.t("set by the exchange register (exchanges.csv)", "由交流记录（exchanges.csv）决定")
            ));
        }
        body.push_str(&format!(
            "<tr data-teacher=\"{id}\" data-from=\"{from}\" data-to=\"{to}\" data-subject=\"{subject}\" data-backbone=\"{bb}\">{cells}</tr>\n",
            id = h(row.get("teacher_id")),
            from = h(row.get("from_school")),
            to = h(row.get("to_school")),
            subject = h(row.get("subject")),
            bb = if backbone { "yes" } else { "no" },
        ));
    }
    let mut head: String = COLUMNS.iter().map(|(_, en, zh)| format!("<th>{}</th>", ctx.t(en, zh))).collect();
    if editable {
        head.push_str(&format!("<th>{}</th>", ctx.t("Change", "调整")));
    }
    format!(
        "<section><h2>{title} (<span id=\"rotations-count\">{n}</span>)</h2><table class=\"list rotations\" id=\"rotations\"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></section>",
        title = ctx.t("Rotation list", "交流名单"),
        n = rows.len(),
    )
}

/// The action form of one teacher (`fixed`: the teacher is given by the
/// row), or of any teacher (an id field with the county's teachers).
fn action_form(ctx: &Ctx, run: &Run, teacher: &str, fixed: bool) -> String {
    let who = if fixed {
        format!("<input type=\"hidden\" name=\"teacher_id\" value=\"{}\">", h(teacher))
    } else {
        format!(
            "<label>{} <input type=\"text\" name=\"teacher_id\" id=\"any-teacher\" list=\"teacher-list\" maxlength=\"{MAX_FIELD_CHARS}\" required></label>",
            ctx.t("Teacher id", "教师编号")
        )
    };
    let actions: String = EditAction::ALL
        .iter()
        .map(|(a, id, _, _)| format!("<option value=\"{id}\">{}</option>", h(a.words(ctx.lang))))
        .collect();
    format!(
        r#"<form method="post" action="{action}" class="action-form">{who}<input type="hidden" name="revision" value="{revision}"><select name="action" aria-label="{l_action}">{actions}</select> <input type="text" name="school" list="school-list" class="school-field" maxlength="{MAX_FIELD_CHARS}" placeholder="{l_school}" aria-label="{l_school}"> <button type="submit" class="secondary">{save}</button></form>"#,
        action = ctx.action(&format!("/runs/{}/edits", run.id)),
        revision = run.edit_revision,
        l_action = ctx.t("Change", "调整"),
        l_school = ctx.t("school (for move to / forbid)", "学校（指定交流/不得交流至时填写）"),
        save = ctx.t("Save", "保存"),
    )
}

/// The datalists of the county's schools and teachers.
fn school_and_teacher_lists(county: &County) -> String {
    let schools: String =
        county.schools.iter().map(|s| format!("<option value=\"{}\">{}</option>", h(&s.id), h(&s.name))).collect();
    let teachers: String = county
        .teachers
        .iter()
        .map(|t| format!("<option value=\"{}\">{} · {}</option>", h(&t.id), h(&t.name), h(&t.school_id)))
        .collect();
    format!("<datalist id=\"school-list\">{schools}</datalist><datalist id=\"teacher-list\">{teachers}</datalist>")
}

/// The form for any teacher of the county.
fn any_teacher_form(ctx: &Ctx, run: &Run) -> String {
    format!(
        "<section class=\"card\" id=\"any-teacher-form\"><h2>{}</h2><p>{}</p>{}</section>",
        ctx.t("A teacher not on the list", "名单外的教师"),
        ctx.t(
            "Lock, refuse, move or mark as left any teacher of the county by id.",
            "按教师编号对县内任一教师锁定留任、标记拒绝交流、指定交流或标记离岗。"
        ),
        action_form(ctx, run, "", false)
    )
}

/// The pending edits with their remove buttons, and the changes carried
/// over from the re-plan that made this list.
fn edits_section(ctx: &Ctx, county: &County, run: &Run, edits: &[Edit]) -> String {
    let mut rows = String::new();
    for e in edits {
        let remove = format!(
            "<form method=\"post\" action=\"{}\" class=\"remove-form\"><input type=\"hidden\" name=\"revision\" value=\"{}\"><button type=\"submit\" class=\"secondary remove-edit\">{}</button></form>",
            ctx.action(&format!("/runs/{}/edits/{}/remove", run.id, e.id)),
            run.edit_revision,
            ctx.t("Remove", "删除")
        );
        rows.push_str(&edit_row(ctx, county, &Wanted::from(e), &beijing_time(e.created), &remove));
    }
    let carried: Vec<Wanted> = wanted_changes(run, &[]);
    let from = ctx.t("held from the earlier re-plan", "沿用上次重新编制的变动");
    for w in carried.iter().filter(|w| !edits.iter().any(|e| e.teacher_id == w.teacher_id)) {
        rows.push_str(&edit_row(ctx, county, w, from, ""));
    }
    let table = if rows.is_empty() {
        format!("<p class=\"empty\">{}</p>", ctx.t("No changes yet.", "尚无变动。"))
    } else {
        format!(
            "<table class=\"list\"><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th></th></tr></thead><tbody>{rows}</tbody></table>",
            ctx.t("Teacher id", "教师编号"),
            ctx.t("Name", "姓名"),
            ctx.t("Change", "调整"),
            ctx.t("School", "学校"),
            ctx.t("Saved (Beijing time)", "保存时间（北京时间）"),
        )
    };
    format!(
        "<section id=\"edits\" data-revision=\"{}\"><h2>{}</h2>{table}</section>",
        run.edit_revision,
        ctx.t("Changes for the next re-plan", "待重新编制的变动")
    )
}

fn edit_row(ctx: &Ctx, county: &County, w: &Wanted, when: &str, remove: &str) -> String {
    let name = county.teachers.iter().find(|t| t.id == w.teacher_id).map_or("", |t| t.name.as_str());
    let action = EditAction::parse(&w.action).map_or(w.action.as_str(), |a| a.words(ctx.lang));
    let school =
        if w.school.is_empty() { String::new() } else { format!("{} ({})", school_name(county, &w.school), w.school) };
    format!(
        "<tr data-teacher=\"{}\"><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{remove}</td></tr>",
        h(&w.teacher_id),
        h(&w.teacher_id),
        h(name),
        h(action),
        h(&school),
        h(when)
    )
}

/// The re-plan form and the publish form.
fn replan_and_publish(ctx: &Ctx, run: &Run, proven: bool) -> String {
    let warning = if proven {
        String::new()
    } else {
        format!(
            "<p class=\"warnings\" id=\"publish-warning\">{}</p>",
            ctx.t(
                "This plan was stopped by its time limit and may not be the best one: plan again with a longer time limit before publishing it.",
                "这份方案因时间上限而停止，可能不是最优：建议延长时间上限重新编制后再公示。"
            )
        )
    };
    format!(
        r#"<section class="card"><h2>{h_replan}</h2><p>{hint}</p>
<form method="post" action="{replan}" id="replan-form"><input type="hidden" name="revision" value="{revision}">
<label>{limit_label} <input type="number" name="time_limit" min="1" max="{max}" step="1" value="{default}"></label>
<button type="submit" id="replan-button">{replan_button}</button></form></section>
<section class="card"><h2>{h_publish}</h2>{warning}
<form method="post" action="{publish}" id="publish-form">
<label>{note_label} <input type="text" name="note" maxlength="{MAX_FIELD_CHARS}"></label>
<button type="submit" id="publish-button">{publish_button}</button></form></section>"#,
        h_replan = ctx.t("Re-plan with the fewest changes", "以最少变动重新编制"),
        hint = ctx.t(
            "Plans again from this list, holding the changes above and changing as few other lines as the rules allow.",
            "以本名单为基础重新编制：保持上面的变动，并在规则允许的范围内尽量少改动其他人。"
        ),
        replan = ctx.action(&format!("/runs/{}/replan", run.id)),
        revision = run.edit_revision,
        limit_label = ctx.t("Time limit (seconds)", "时间上限（秒）"),
        max = MAX_TIME_LIMIT,
        default = DEFAULT_TIME_LIMIT,
        replan_button = ctx.t("Re-plan with the fewest changes", "以最少变动重新编制"),
        h_publish = ctx.t("Publish this list (公示)", "公示本名单"),
        publish = ctx.action(&format!("/runs/{}/publish", run.id)),
        note_label = ctx.t("Note (optional)", "备注（可选）"),
        publish_button = ctx.t("Publish", "公示"),
    )
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
struct EditForm {
    teacher_id: String,
    action: String,
    school: String,
    revision: String,
}

fn bad_request(ctx: &Ctx, en: String, zh: String) -> PageError {
    PageError::new(StatusCode::BAD_REQUEST, ctx.lang, en, zh)
}

/// The page for an edit or re-plan made on a list changed meanwhile.
fn stale_page(ctx: &Ctx, run_id: i64) -> PageError {
    let mut page = PageError::new(
        StatusCode::CONFLICT,
        ctx.lang,
        "The list was changed in another tab or window after this page was opened, so this request was not saved (the other change is kept). Reload the list and make it again.",
        "打开本页面后，名单已在另一个标签页或窗口中被修改，因此本次操作没有保存（另一处的修改已保留）。请重新打开名单后再操作一次。",
    );
    page.detail = format!(
        "<p><a href=\"/runs/{run_id}\" id=\"reload-list\">{}</a></p>",
        ctx.t("Reload the list", "重新打开名单")
    );
    page
}

/// A run whose list can be edited, or a page saying why not.
fn editable_run(state: &AppState, ctx: &Ctx, id: i64) -> Result<Run, PageError> {
    let run = find_run(state, ctx, id)?;
    if !has_list(&run) {
        return Err(PageError::new(
            StatusCode::CONFLICT,
            ctx.lang,
            "Only the list of a finished plan or re-plan can be changed, re-planned or published.",
            "只有已完成的交流方案或重新编制的名单才能调整、重新编制或公示。",
        ));
    }
    Ok(run)
}

fn revision_of(ctx: &Ctx, text: &str) -> Result<i64, PageError> {
    text.trim().parse().map_err(|_| {
        bad_request(
            ctx,
            "The form has no list revision; reload the page.".into(),
            "表单缺少名单版本；请刷新页面。".into(),
        )
    })
}

/// Reads the edit form against the county: a known teacher, a known
/// action, a known school where one is needed.
fn edit_of_form(ctx: &Ctx, county: &County, form: &EditForm) -> Result<Wanted, PageError> {
    let teacher: String = form.teacher_id.trim().chars().take(MAX_FIELD_CHARS).collect();
    if !county.teachers.iter().any(|t| t.id == teacher) {
        return Err(bad_request(
            ctx,
            format!(
                "There is no teacher with the id \"{teacher}\" in this county's data. Pick a teacher id from the list."
            ),
            format!("本县数据中没有编号为「{teacher}」的教师。请从列表中选择教师编号。"),
        ));
    }
    let Some(action) = EditAction::parse(form.action.trim()) else {
        return Err(bad_request(
            ctx,
            format!("\"{}\" is not a change the list knows; choose one from the menu.", form.action),
            format!("「{}」不是可用的调整；请从菜单中选择。", form.action),
        ));
    };
    let due = county.exchange_of(&teacher).filter(|e| e.returns_in(county.policy.year));
    if let Some(e) = due.filter(|_| action != EditAction::Leave) {
        return Err(bad_request(
            ctx,
            format!(
                "Teacher {teacher} is on exchange until {} and goes home to {} this year: the exchange register (exchanges.csv) decides a due return, not a change of the list. To keep the teacher at the host school, set the teacher's decision to extend in exchanges.csv and import the data again.",
                e.end_year, e.home_school_id
            ),
            format!(
                "教师 {teacher} 交流至 {} 年，本年度期满返回原校 {}：期满返回由交流记录（exchanges.csv）决定，不能在名单中调整。如需留在交流学校，请在 exchanges.csv 中把该教师的处理方式改为「续任」（extend）后重新导入数据。",
                e.end_year, e.home_school_id
            ),
        ));
    }
    let mut school = String::new();
    if action.takes_school() {
        let given: String = form.school.trim().chars().take(MAX_FIELD_CHARS).collect();
        let found = county.schools.iter().find(|s| s.id == given || s.name == given);
        let Some(found) = found else {
            return Err(bad_request(
                ctx,
                format!(
                    "There is no school \"{given}\" in this county's data; \"{}\" needs one of its school ids.",
                    action.words(Lang::En)
                ),
                format!("本县数据中没有学校「{given}」；「{}」需要填写本县的学校代码。", action.words(Lang::Zh)),
            ));
        };
        school = found.id.clone();
    }
    Ok(Wanted { teacher_id: teacher, action: action.id().to_string(), school })
}

/// A changes file the county refuses, as a page listing why.
fn refused_changes(ctx: &Ctx, error: &crate::error::Error) -> PageError {
    let crate::error::Error::Input(problems) = error else { return PageError::internal(ctx.lang, error) };
    let mut page = PageError::new(
        StatusCode::UNPROCESSABLE_ENTITY,
        ctx.lang,
        "This change cannot be made together with the changes already saved (remove the teacher's other change first if that is the conflict); nothing was saved:",
        "这项调整不能与已保存的变动同时成立（如与该教师的另一项变动冲突，请先删除那一项）；本次未保存：",
    );
    let items: String = problems
        .iter()
        .map(|p| {
            let message = match ctx.lang {
                Lang::Zh => p.message_zh.as_deref().unwrap_or(&p.message),
                Lang::En => &p.message,
            };
            format!("<li>{}</li>", h(message))
        })
        .collect();
    page.detail = format!("<ul id=\"problems\">{items}</ul>");
    page
}

async fn add_edit(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(form): Form<EditForm>,
) -> PageResult {
    let run = editable_run(&state, &ctx, id)?;
    let revision = revision_of(&ctx, &form.revision)?;
    let (_, loaded) = load_dataset(&state, &ctx, run.dataset_id).await?;
    let wanted = edit_of_form(&ctx, &loaded.county, &form)?;
    let edit = Edit {
        id: 0,
        run_id: id,
        teacher_id: wanted.teacher_id,
        action: wanted.action,
        school: wanted.school,
        created: 0,
    };
    // The saved edits with this one, checked as the re-plan will read them
    // (a new edit on a teacher replaces what an earlier re-plan held on them).
    let mut edits = state.store.edits(id).map_err(db(&ctx))?;
    edits.push(edit.clone());
    let changes = wanted_changes(&run, &edits);
    check_changes(&loaded.county, &changes_csv(&changes, ctx.lang)).map_err(|e| refused_changes(&ctx, &e))?;
    match state.store.add_edit(id, revision, &edit).map_err(db(&ctx))? {
        Ok(_) => Ok(Redirect::to(&format!("/runs/{id}#edits")).into_response()),
        Err(_) => Err(stale_page(&ctx, id)),
    }
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
struct RevisionForm {
    revision: String,
    time_limit: Option<String>,
    note: String,
}

async fn remove_edit(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((id, edit)): Path<(i64, i64)>,
    Form(form): Form<RevisionForm>,
) -> PageResult {
    editable_run(&state, &ctx, id)?;
    let revision = revision_of(&ctx, &form.revision)?;
    if !state.store.edits(id).map_err(db(&ctx))?.iter().any(|e| e.id == edit) {
        return Err(PageError::not_found(ctx.lang));
    }
    match state.store.remove_edit(id, revision, edit).map_err(db(&ctx))? {
        Ok(_) => Ok(Redirect::to(&format!("/runs/{id}#edits")).into_response()),
        Err(_) => Err(stale_page(&ctx, id)),
    }
}

async fn start_replan(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(form): Form<RevisionForm>,
) -> PageResult {
    let run = editable_run(&state, &ctx, id)?;
    if revision_of(&ctx, &form.revision)? != run.edit_revision {
        return Err(stale_page(&ctx, id));
    }
    let limit = time_limit(&ctx, form.time_limit.as_deref())?;
    let published =
        state.store.run_file(id, "rotations.csv").map_err(db(&ctx))?.ok_or_else(|| PageError::not_found(ctx.lang))?;
    let edits = state.store.edits(id).map_err(db(&ctx))?;
    let changes = wanted_changes(&run, &edits);
    let own: Vec<Wanted> = edits.iter().map(Wanted::from).collect();
    let params = json!({ "published_run": id, "revision": run.edit_revision, "edits": own, "changes": changes });
    let kind = JobKind::Replan { published, changes: changes_csv(&changes, ctx.lang) };
    queue(&state, &ctx, run.dataset_id, kind, Some(id), params, limit)
}

async fn publish(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(form): Form<RevisionForm>,
) -> PageResult {
    editable_run(&state, &ctx, id)?;
    let note: String = form.note.trim().chars().take(MAX_FIELD_CHARS).collect();
    state.store.publish(id, &note).map_err(db(&ctx))?;
    Ok(Redirect::to(&format!("/runs/{id}#published")).into_response())
}
