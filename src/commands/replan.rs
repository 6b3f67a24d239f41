//! `rotaplan replan`: the files and the terminal summary of a replanned
//! list (the planning itself is [`crate::plan::replan`]).

use std::fmt::Write as _;

use crate::domain::County;
use crate::error::Error;
use crate::io::Change;
use crate::plan::replan::Replan;
use crate::render::html::changes::{change_row, changes_part, reason_text, with_part};
use crate::render::output::{csv_bytes, neutralize, plan_files, OutputFiles};
use crate::render::terminal::plan_terminal_summary;
use crate::render::Lang;

/// The columns of changes.csv.
pub const CHANGES_COLUMNS: [&str; 6] = ["teacher_id", "name", "change", "published_to", "now_to", "reason"];

/// changes.csv: each difference from the published list and why (UTF-8 BOM).
pub fn changes_csv(data: &County, replan: &Replan, lang: Lang) -> Vec<u8> {
    let rows: Vec<Vec<String>> = replan
        .changes
        .iter()
        .map(|line| {
            let [id, name, was, to] = change_row(data, &line.change);
            let kind = match line.change {
                crate::domain::changes::ListChange::Added { .. } => "added",
                crate::domain::changes::ListChange::Dropped { .. } => "dropped",
                crate::domain::changes::ListChange::Redirected { .. } => "redirected",
            };
            vec![
                neutralize(&id),
                neutralize(&name),
                kind.to_string(),
                neutralize(&was),
                neutralize(&to),
                neutralize(&reason_text(&line.reason, lang)),
            ]
        })
        .collect();
    csv_bytes(&CHANGES_COLUMNS, &rows)
}

/// The columns of requested_changes.csv: those of the changes file.
pub const REQUESTED_COLUMNS: [&str; 4] = ["teacher_id", "action", "school_id", "note"];

/// The name of the copy of the changes file in a re-plan's folder, which
/// `advance` reads with the list (the leavers are then gone from next
/// year's data, and the refusals hold when the list is judged).
pub const REQUESTED_CHANGES: &str = "requested_changes.csv";

/// requested_changes.csv: the changes the re-plan applied, as a changes
/// file (UTF-8 BOM, English action words), in the order given.
pub fn requested_changes_csv(changes: &[Change]) -> Vec<u8> {
    let rows: Vec<Vec<String>> = changes
        .iter()
        .map(|c| {
            vec![
                neutralize(&c.teacher_id),
                c.action.word().to_string(),
                neutralize(c.school_id.as_deref().unwrap_or("")),
                neutralize(&c.note),
            ]
        })
        .collect();
    csv_bytes(&REQUESTED_COLUMNS, &rows)
}

/// Every file `replan` writes: the plan's files over the county after the
/// changes, changes.csv, requested_changes.csv (the `changes` applied) and
/// report.html with its changes part.
pub fn files(data: &County, replan: &Replan, changes: &[Change], lang: Lang) -> Result<OutputFiles, Error> {
    let mut files = plan_files(&replan.county, &replan.plan, lang)?;
    files.add("changes.csv", changes_csv(data, replan, lang));
    files.add(REQUESTED_CHANGES, requested_changes_csv(changes));
    if let Some(report) = files.get("report.html") {
        let html = String::from_utf8_lossy(report).into_owned();
        files.add("report.html", with_part(&html, &changes_part(data, replan, lang)).into_bytes());
    }
    Ok(files)
}

/// The terminal summary: the number of changes and whether it is proven
/// minimal, then the plan's usual summary.
pub fn terminal(replan: &Replan, lang: Lang) -> String {
    let fewest = &replan.fewest;
    let mut out = String::new();
    let proof = match (fewest.proven, lang) {
        (true, Lang::Zh) => "已证明为最少".to_string(),
        (true, Lang::En) => "proven minimal".to_string(),
        (false, Lang::Zh) => format!("未证明为最少，下界 {}", fewest.bound),
        (false, Lang::En) => format!("not proven minimal, at least {}", fewest.bound),
    };
    let _ = match lang {
        Lang::Zh => {
            writeln!(out, "与公示名单相比变动 {} 人（最少需要 {} 人，{proof}）", replan.changes.len(), fewest.changes)
        }
        Lang::En => writeln!(
            out,
            "{} changes from the published list (fewest needed: {}, {proof})",
            replan.changes.len(),
            fewest.changes
        ),
    };
    out.push_str(&plan_terminal_summary(&replan.county, &replan.plan, lang));
    out
}
