//! The title and age structure in files: summary.json's `structure`
//! object, the per-section table (evaluate's structure.csv, plan.xlsx's
//! sheet 职称年龄结构) and the column headers of that sheet.

use serde_json::{json, Map, Value};

use crate::domain::{County, Level};
use crate::exact::to_f64;
use crate::render::output::{Cell, NumberFormat, Table};
use crate::rules::structure::{SectionStructure, StructureFigure, StructureFigures};

/// The structure table's column keys with their Chinese headers.
pub const HEADERS_ZH: &[(&str, &str)] = &[
    ("senior_before", "高级职称(前)"),
    ("senior_after", "高级职称(后)"),
    ("senior_per100_before", "每百生高级职称(前)"),
    ("senior_per100_after", "每百生高级职称(后)"),
    ("senior_share_before", "高级职称占比(前)"),
    ("senior_share_after", "高级职称占比(后)"),
    ("young_before", "青年教师(前)"),
    ("young_after", "青年教师(后)"),
    ("young_per100_before", "每百生青年教师(前)"),
    ("young_per100_after", "每百生青年教师(后)"),
    ("young_share_before", "青年教师占比(前)"),
    ("young_share_after", "青年教师占比(后)"),
    ("old_before", "50岁以上教师(前)"),
    ("old_after", "50岁以上教师(后)"),
    ("old_per100_before", "每百生50岁以上教师(前)"),
    ("old_per100_after", "每百生50岁以上教师(后)"),
    ("old_share_before", "50岁以上教师占比(前)"),
    ("old_share_after", "50岁以上教师占比(后)"),
];

/// The column keys of one figure: count, per 100 students, share, each
/// before and after.
fn figure_keys(figure: StructureFigure) -> [&'static str; 6] {
    match figure {
        StructureFigure::Senior => [
            "senior_before",
            "senior_after",
            "senior_per100_before",
            "senior_per100_after",
            "senior_share_before",
            "senior_share_after",
        ],
        StructureFigure::Young => [
            "young_before",
            "young_after",
            "young_per100_before",
            "young_per100_after",
            "young_share_before",
            "young_share_after",
        ],
        StructureFigure::Old => {
            ["old_before", "old_after", "old_per100_before", "old_per100_after", "old_share_before", "old_share_after"]
        }
    }
}

/// The structure table: one row a school section; `after` for plans.
pub fn structure_table(county: &County, before: &StructureFigures, after: Option<&StructureFigures>) -> Table {
    let mut keys = vec!["school_id", "name", "section", "students", "counted", "teachers_before", "teachers_after"];
    for figure in StructureFigure::ALL {
        keys.extend(figure_keys(figure));
    }
    if after.is_none() {
        keys.retain(|k| !k.ends_with("_after"));
    }
    let rows = before
        .sections
        .iter()
        .enumerate()
        .map(|(i, b)| {
            let a = after.map(|f| &f.sections[i]);
            let school = &county.schools[b.school];
            let mut row = vec![
                Cell::Text(school.id.clone()),
                Cell::Text(school.name.clone()),
                Cell::word(b.level),
                Cell::Count(b.students.into()),
                Cell::word(b.counted),
            ];
            let mut both = |cell: &dyn Fn(&SectionStructure) -> Cell| {
                row.push(cell(b));
                row.extend(a.map(cell));
            };
            both(&|s| Cell::Count(s.teachers.into()));
            for figure in StructureFigure::ALL {
                both(&|s| Cell::Count(s.counts[figure.index()].into()));
                both(&|s| Cell::number(s.per100(figure).map(|v| to_f64(&v)), NumberFormat::Per100));
                both(&|s| Cell::number(s.share(figure).map(|v| to_f64(&v)), NumberFormat::Share));
            }
            row
        })
        .collect();
    Table { keys, rows }
}

/// summary.json's `structure`: per level and figure the CV of the per-100
/// values, the CV of the shares and the county share, before (and after).
pub fn structure_json(county: &County, before: &StructureFigures, after: Option<&StructureFigures>) -> Value {
    let mut levels = Map::new();
    for level in Level::BOTH {
        let mut figures = Map::new();
        for figure in StructureFigure::ALL {
            let one = |f: &StructureFigures| {
                let l = &f.levels[&(level, figure)];
                json!({ "cv": l.cv, "share_cv": l.share_cv, "share": l.share.as_ref().map(to_f64) })
            };
            let entry = match after {
                Some(a) => json!({ "before": one(before), "after": one(a) }),
                None => one(before),
            };
            figures.insert(figure.key().into(), entry);
        }
        levels.insert(level.word().into(), Value::Object(figures));
    }
    let policy = &county.policy.structure;
    let mut out = json!({
        "young_under": policy.young_under,
        "old_from": policy.old_from,
        "levels": Value::Object(levels),
    });
    match after {
        Some(a) => out["cv_squares"] = json!({ "before": before.cv_squares(), "after": a.cv_squares() }),
        None => out["cv_squares"] = json!(before.cv_squares()),
    }
    out
}
