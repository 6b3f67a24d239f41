//! The full curriculum's outputs (开齐开足, issue 15): the shortage list of
//! subject teachers per school section as a table (evaluate's and plan's
//! subject_gaps.csv, plan.xlsx's sheet 学科缺口) and as summary.json's
//! `subject_gaps`. The figures are `rules::curriculum`'s.

use serde_json::{json, Value};

use crate::domain::County;
use crate::render::output::{Cell, Table};
use crate::rules::curriculum::{SubjectGap, SubjectGaps};

/// The first columns of a row: school, section, subject, counted, need.
fn row_start(county: &County, r: &SubjectGap) -> Vec<Cell> {
    let school = &county.schools[r.school];
    vec![
        Cell::Text(school.id.clone()),
        Cell::Text(school.name.clone()),
        Cell::word(r.level),
        Cell::word(r.subject),
        Cell::word(r.counted),
        Cell::Count(r.need.into()),
    ]
}

const START: [&str; 6] = ["school_id", "school_name", "section", "subject", "counted", "need"];

/// The shortage list as the data stands (evaluate): every section's
/// subject with a teacher missing, in section order.
pub fn gaps_table(county: &County, gaps: &SubjectGaps) -> Table {
    let mut keys = START.to_vec();
    keys.extend(["subject_teachers", "missing"]);
    let rows = gaps
        .short()
        .map(|r| {
            let mut row = row_start(county, r);
            row.push(Cell::Count(r.teachers.into()));
            row.push(Cell::Count(r.missing().into()));
            row
        })
        .collect();
    Table { keys, rows }
}

/// The shortage list before and after a plan: every section's subject with
/// a teacher missing before or after it.
pub fn gaps_change_table(county: &County, before: &SubjectGaps, after: &SubjectGaps) -> Table {
    let mut keys = START.to_vec();
    keys.extend(["subject_teachers_before", "subject_teachers_after", "missing_before", "missing_after"]);
    let mut rows = Vec::new();
    for b in &before.rows {
        let a = after.row(b.school, b.level, b.subject).unwrap_or(b);
        if b.missing() == 0 && a.missing() == 0 {
            continue;
        }
        let mut row = row_start(county, b);
        row.push(Cell::Count(b.teachers.into()));
        row.push(Cell::Count(a.teachers.into()));
        row.push(Cell::Count(b.missing().into()));
        row.push(Cell::Count(a.missing().into()));
        rows.push(row);
    }
    Table { keys, rows }
}

/// One side of summary.json's `subject_gaps`: teachers missing in all,
/// sections with a subject short, subject rows short, missing per subject.
fn side_json(gaps: &SubjectGaps) -> Value {
    let by_subject: serde_json::Map<String, Value> =
        gaps.missing_by_subject().into_iter().map(|(s, n)| (s.word().to_string(), json!(n))).collect();
    json!({
        "missing": gaps.missing(),
        "sections_short": gaps.sections_short(),
        "subjects_short": gaps.short().count(),
        "by_subject": by_subject,
    })
}

/// summary.json's `subject_gaps`: `before` (and `after` for a plan).
pub fn gaps_json(before: &SubjectGaps, after: Option<&SubjectGaps>) -> Value {
    let mut out = json!({ "before": side_json(before) });
    if let Some(after) = after {
        out["after"] = side_json(after);
    }
    out
}
