//! Every version kept: each publication (公示) with its run, its inputs and
//! what changed since the publication before; every run with its inputs
//! (data set, base run, the edits that led to a re-plan, the time limit);
//! every data set with its files. So "what did we publish on 10 July and
//! why did it change" has an answer.

use std::collections::BTreeMap;

use axum::extract::State;
use axum::response::IntoResponse;
use axum::routing::get;
use axum::Router;

use crate::serve::page::{beijing_time, h, layout, Ctx, PageError, PageResult};
use crate::serve::pages::dataset::{kind_word, status_word};
use crate::serve::pages::db;
use crate::serve::pages::home::source_word;
use crate::serve::pages::list::{read_list, EditAction, ListRow, Wanted};
use crate::serve::store::{Dataset, Publication, Run};
use crate::serve::AppState;

/// The routes of this page.
pub fn routes() -> Router<AppState> {
    Router::new().route("/versions", get(versions_page))
}

/// The word for a line of changes.csv's `change`.
fn change_word<'a>(ctx: &Ctx, change: &'a str) -> &'a str {
    match change {
        "added" => ctx.t("added to the list", "新增交流"),
        "dropped" => ctx.t("taken off the list", "不再交流"),
        "redirected" => ctx.t("sent to another school", "改变去向"),
        other => other,
    }
}

/// A table of changed lines (changes.csv's columns: teacher_id, name,
/// change, published_to, now_to, reason), with the HTML id `id`.
pub fn changes_table(ctx: &Ctx, rows: &[ListRow], id: &str) -> String {
    if rows.is_empty() {
        return format!(
            "<p class=\"empty\" id=\"{id}\">{}</p>",
            ctx.t("No line of the list changed.", "名单没有任何变动。")
        );
    }
    let mut body = String::new();
    for r in rows {
        body.push_str(&format!(
            "<tr data-teacher=\"{tid}\" data-change=\"{change}\"><td>{tid}</td><td>{name}</td><td>{word}</td><td>{was}</td><td>{now}</td><td>{reason}</td></tr>\n",
            tid = h(r.get("teacher_id")),
            name = h(r.get("name")),
            change = h(r.get("change")),
            word = h(change_word(ctx, r.get("change"))),
            was = h(r.get("published_to")),
            now = h(r.get("now_to")),
            reason = h(r.get("reason")),
        ));
    }
    format!(
        "<table class=\"list\" id=\"{id}\"><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>{body}</tbody></table>",
        ctx.t("Teacher id", "教师编号"),
        ctx.t("Name", "姓名"),
        ctx.t("Change", "变动"),
        ctx.t("Was to", "原交流至"),
        ctx.t("Now to", "现交流至"),
        ctx.t("Why", "原因"),
    )
}

/// The lines that differ between two lists, by teacher id, in changes.csv's
/// columns; the reason of each from `reasons` (a re-plan's changes.csv) where
/// it has one.
pub fn list_diff(before: &[ListRow], after: &[ListRow], reasons: &[ListRow]) -> Vec<ListRow> {
    let to = |rows: &[ListRow]| -> BTreeMap<String, (String, String)> {
        rows.iter()
            .map(|r| (r.get("teacher_id").to_string(), (r.get("to_school").to_string(), r.get("name").to_string())))
            .collect()
    };
    let (was, now) = (to(before), to(after));
    let ids: std::collections::BTreeSet<&String> = was.keys().chain(now.keys()).collect();
    let mut out = Vec::new();
    for id in ids {
        let (change, name, from, to) = match (was.get(id), now.get(id)) {
            (Some(a), Some(b)) if a.0 == b.0 => continue,
            (Some(a), Some(b)) => ("redirected", &b.1, a.0.as_str(), b.0.as_str()),
            (Some(a), None) => ("dropped", &a.1, a.0.as_str(), ""),
            (None, Some(b)) => ("added", &b.1, "", b.0.as_str()),
            (None, None) => continue,
        };
        let reason = reasons.iter().find(|r| r.get("teacher_id") == id).map_or("", |r| r.get("reason"));
        let cells = [
            ("teacher_id", id.as_str()),
            ("name", name),
            ("change", change),
            ("published_to", from),
            ("now_to", to),
            ("reason", reason),
        ];
        out.push(ListRow { cells: cells.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect() });
    }
    out
}

/// The changes a re-plan held, as a list of words.
fn wanted_list(ctx: &Ctx, wanted: &[Wanted]) -> String {
    if wanted.is_empty() {
        return format!("<p class=\"empty\">{}</p>", ctx.t("No change was asked for.", "未要求任何变动。"));
    }
    let items: String = wanted
        .iter()
        .map(|w| {
            let action = EditAction::parse(&w.action).map_or(w.action.as_str(), |a| a.words(ctx.lang));
            let school = if w.school.is_empty() { String::new() } else { format!(" {}", w.school) };
            format!("<li data-teacher=\"{}\">{} · {}{}</li>", h(&w.teacher_id), h(&w.teacher_id), h(action), h(&school))
        })
        .collect();
    format!("<ul class=\"edits-held\">{items}</ul>")
}

/// The wanted changes kept in a re-plan's parameters under `key`.
fn wanted_of(run: &Run, key: &str) -> Vec<Wanted> {
    serde_json::from_value(run.params[key].clone()).unwrap_or_default()
}

/// One line on a run's inputs: data set, base run, time limit.
fn inputs_line(ctx: &Ctx, run: &Run, datasets: &[Dataset]) -> String {
    let dataset = datasets.iter().find(|d| d.id == run.dataset_id);
    let county = dataset.map_or(String::new(), |d| {
        format!("{} ({} {})", d.county, ctx.t("imported", "导入于"), beijing_time(d.created))
    });
    let base = run.base_run.map_or(String::new(), |b| {
        format!(" · {} <a href=\"/runs/{b}\">#{b}</a>", ctx.t("from the list of run", "基于方案"))
    });
    let limit = run.params["time_limit"]
        .as_f64()
        .map_or(String::new(), |l| format!(" · {} {l} {}", ctx.t("time limit", "时间上限"), ctx.t("s", "秒")));
    format!("{} <a href=\"/datasets/{}\">{}</a>{base}{limit}", ctx.t("data set", "数据"), run.dataset_id, h(&county))
}

/// One publication: its run and inputs, the edits of a re-plan and its
/// changes, and the lines changed since the publication before.
async fn publication_card(
    state: &AppState,
    ctx: &Ctx,
    p: &Publication,
    before: Option<&Publication>,
    (runs, datasets): (&[Run], &[Dataset]),
) -> Result<String, PageError> {
    let Some(run) = runs.iter().find(|r| r.id == p.run_id) else { return Ok(String::new()) };
    let list = |id: i64, name: &'static str| -> Result<Vec<ListRow>, PageError> {
        Ok(state.store.run_file(id, name).map_err(db(ctx))?.map(|b| read_list(&b)).unwrap_or_default())
    };
    let mut out = format!(
        "<article class=\"card publication\" data-publication=\"{id}\" data-run=\"{run_id}\"><h3>{word} #{id} · {time}{note}</h3><p>{run_word} <a href=\"/runs/{run_id}\">#{run_id}</a> ({kind}) · {inputs}</p>",
        id = p.id,
        run_id = run.id,
        word = ctx.t("Publication", "公示"),
        time = beijing_time(p.created),
        note = if p.note.is_empty() { String::new() } else { format!(" · {}", h(&p.note)) },
        run_word = ctx.t("list of run", "名单来自方案"),
        kind = h(kind_word(ctx, &run.kind)),
        inputs = inputs_line(ctx, run, datasets),
    );
    let reasons = if run.kind == "replan" {
        out.push_str(&format!("<h4>{}</h4>", ctx.t("Changes asked for in this re-plan", "本次重新编制依据的变动")));
        out.push_str(&wanted_list(ctx, &wanted_of(run, "changes")));
        let changes = list(run.id, "changes.csv")?;
        out.push_str(&format!(
            "<h4>{}</h4>",
            ctx.t("Lines changed from the list it re-planned", "与原名单相比变动的人员")
        ));
        out.push_str(&changes_table(ctx, &changes, &format!("changes-{}", p.id)));
        changes
    } else {
        Vec::new()
    };
    match before {
        Some(b) => {
            let diff = list_diff(&list(b.run_id, "rotations.csv")?, &list(run.id, "rotations.csv")?, &reasons);
            out.push_str(&format!(
                "<h4>{} #{} ({})</h4>",
                ctx.t("Compared with the publication before", "与上一次公示相比"),
                b.id,
                beijing_time(b.created)
            ));
            out.push_str(&changes_table(ctx, &diff, &format!("since-{}", p.id)));
        }
        None => out.push_str(&format!("<p>{}</p>", ctx.t("The first publication.", "首次公示。"))),
    }
    out.push_str("</article>");
    Ok(out)
}

/// Every run with its inputs.
fn runs_section(ctx: &Ctx, runs: &[Run], datasets: &[Dataset], publications: &[Publication]) -> String {
    let mut rows = String::new();
    for r in runs {
        let edits = wanted_of(r, "edits").len();
        let published =
            publications.iter().filter(|p| p.run_id == r.id).map(|p| beijing_time(p.created)).collect::<Vec<_>>();
        rows.push_str(&format!(
            "<tr data-run=\"{id}\"><td><a href=\"/runs/{id}\">#{id}</a></td><td>{kind}</td><td>{time}</td><td>{status}</td><td>{inputs}</td><td>{edits}</td><td>{published}</td></tr>\n",
            id = r.id,
            kind = h(kind_word(ctx, &r.kind)),
            time = beijing_time(r.created),
            status = h(status_word(ctx, r.status)),
            inputs = inputs_line(ctx, r, datasets),
            edits = if r.kind == "replan" { edits.to_string() } else { String::new() },
            published = h(&published.join(", ")),
        ));
    }
    format!(
        "<section><h2>{}</h2><table class=\"list\" id=\"version-runs\"><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>{rows}</tbody></table></section>",
        ctx.t("Runs", "编制记录"),
        ctx.t("Run", "编号"),
        ctx.t("Kind", "类型"),
        ctx.t("Started (Beijing time)", "开始时间（北京时间）"),
        ctx.t("Status", "状态"),
        ctx.t("Inputs", "输入"),
        ctx.t("Edits", "变动数"),
        ctx.t("Published (Beijing time)", "公示时间（北京时间）"),
    )
}

/// Every data set with its files (the policy file among them).
fn datasets_section(state: &AppState, ctx: &Ctx, datasets: &[Dataset]) -> Result<String, PageError> {
    let mut rows = String::new();
    for d in datasets {
        let names: Vec<String> =
            state.store.dataset_files(d.id).map_err(db(ctx))?.into_iter().map(|(n, _)| n).collect();
        rows.push_str(&format!(
            "<tr data-dataset=\"{id}\"><td><a href=\"/datasets/{id}\">{county}</a></td><td>{time}</td><td>{source}</td><td>{files}</td><td>{schools}</td><td>{teachers}</td></tr>\n",
            id = d.id,
            county = h(&d.county),
            time = beijing_time(d.created),
            source = h(source_word(ctx, &d.source)),
            files = h(&names.join(", ")),
            schools = d.schools,
            teachers = d.teachers,
        ));
    }
    Ok(format!(
        "<section><h2>{}</h2><table class=\"list\" id=\"version-datasets\"><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>{rows}</tbody></table></section>",
        ctx.t("Data sets", "导入的数据"),
        ctx.t("County", "县域"),
        ctx.t("Imported (Beijing time)", "导入时间（北京时间）"),
        ctx.t("From", "来源"),
        ctx.t("Files (data and policy)", "文件（数据与政策）"),
        ctx.t("Schools", "学校数"),
        ctx.t("Teachers", "教师数"),
    ))
}

async fn versions_page(State(state): State<AppState>, ctx: Ctx) -> PageResult {
    let publications = state.store.publications().map_err(db(&ctx))?;
    let runs = state.store.runs(None).map_err(db(&ctx))?;
    let datasets = state.store.datasets().map_err(db(&ctx))?;
    let mut cards = String::new();
    for (i, p) in publications.iter().enumerate() {
        cards.push_str(&publication_card(&state, &ctx, p, publications.get(i + 1), (&runs, &datasets)).await?);
    }
    if cards.is_empty() {
        cards = format!("<p class=\"empty\">{}</p>", ctx.t("Nothing published yet.", "尚未公示任何名单。"));
    }
    let body = format!(
        "<section id=\"publications\"><h2>{}</h2>{cards}</section>{}{}",
        ctx.t("Publications (公示), newest first", "公示记录（最新在前）"),
        runs_section(&ctx, &runs, &datasets, &publications),
        datasets_section(&state, &ctx, &datasets)?,
    );
    Ok(layout(&ctx, ctx.t("Versions", "历史版本"), &body).into_response())
}
