//! The rotation list of a finished run, read from its rotations.csv.

use crate::serve::page::{h, Ctx, PageError};
use crate::serve::pages::db;
use crate::serve::store::Run;
use crate::serve::AppState;

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

/// The rows of a rotations.csv.
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

/// The list section of a run's page.
pub async fn list_section(state: &AppState, ctx: &Ctx, run: &Run) -> Result<String, PageError> {
    let Some(bytes) = state.store.run_file(run.id, "rotations.csv").map_err(db(ctx))? else { return Ok(String::new()) };
    let rows = read_list(&bytes);
    let mut body = String::new();
    for row in &rows {
        body.push_str(&format!(
            "<tr data-teacher=\"{id}\"><td>{id}</td><td>{name}</td><td>{subject}</td><td>{from}</td><td>{to}</td><td>{backbone}</td><td>{reason}</td></tr>\n",
            id = h(row.get("teacher_id")),
            name = h(row.get("name")),
            subject = h(row.get("subject")),
            from = h(row.get("from_school")),
            to = h(row.get("to_school")),
            backbone = h(row.get("backbone")),
            reason = h(row.get("reason")),
        ));
    }
    Ok(format!(
        "<section><h2>{title} ({n})</h2><table class=\"list\" id=\"rotations\"><thead><tr><th>{c_id}</th><th>{c_name}</th><th>{c_subject}</th><th>{c_from}</th><th>{c_to}</th><th>{c_backbone}</th><th>{c_reason}</th></tr></thead><tbody>{body}</tbody></table></section>",
        title = ctx.t("Rotation list", "交流名单"),
        n = rows.len(),
        c_id = ctx.t("Teacher id", "教师编号"),
        c_name = ctx.t("Name", "姓名"),
        c_subject = ctx.t("Subject", "学科"),
        c_from = ctx.t("From", "原学校"),
        c_to = ctx.t("To", "交流至"),
        c_backbone = ctx.t("Backbone", "骨干"),
        c_reason = ctx.t("Why", "理由"),
    ))
}
