//! Reading a rotation list that a person edited (rotations.csv or plan.xlsx)
//! for `score`: the teacher and destination of every row.

use std::path::Path;

use crate::audit::ProposedMove;
use crate::domain::normalize_word;
use crate::error::{Error, InputProblem};

use super::table::{read_csv, Problems, RawTable};

const TEACHER: [&str; 2] = ["teacher_id", "教师编号"];
const DESTINATION: [&str; 3] = ["to_school", "调入学校", "调入学校代码"];
const SHEETS: [&str; 2] = ["rotations", "交流名单"];

fn column(header: &csv::StringRecord, names: &[&str]) -> Option<usize> {
    header.iter().position(|h| names.iter().any(|n| normalize_word(n) == normalize_word(h)))
}

/// Undoes the `'` that CSV output puts before text starting with = + - @.
fn unguard(cell: &str) -> String {
    match cell.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@']) => rest.to_string(),
        _ => cell.trim().to_string(),
    }
}

/// Reads the moves of a rotation list in CSV (any encoding rotaplan reads) or xlsx.
pub fn read_plan_list(path: &Path) -> Result<Vec<ProposedMove>, Error> {
    let file = path.file_name().map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().to_string());
    let bytes = std::fs::read(path)
        .map_err(|e| Error::Input(vec![InputProblem::new(&file, "", format!("cannot read the plan: {e}"))]))?;
    let is_xlsx = path.extension().is_some_and(|e| e.eq_ignore_ascii_case("xlsx"));
    let (table, locate): (RawTable, Box<dyn Fn(u64) -> String>) = if is_xlsx {
        let book = super::workbook::open(&file, bytes).map_err(|m| Error::Input(vec![InputProblem::new(&file, "", m)]))?;
        let sheet = book
            .find(&SHEETS)
            .map(str::to_string)
            .or_else(|| book.sheet_names().next().map(str::to_string))
            .ok_or_else(|| Error::Input(vec![InputProblem::new(&file, "", "the workbook has no sheet")]))?;
        let table = book.raw_table(&sheet, 0);
        let (f, s) = (file.clone(), sheet.clone());
        (table, Box::new(move |line| format!("{f} {s}!A{line}")))
    } else {
        let text = super::decode::decode_text(&bytes).map_err(|m| Error::Input(vec![InputProblem::new(&file, "", m)]))?;
        let mut problems = Problems::default();
        let table = read_csv(&file, 0, &text, &mut problems);
        if !problems.is_empty() {
            return Err(Error::Input(problems.into_sorted()));
        }
        let f = file.clone();
        (table, Box::new(move |line| format!("{f}:{line}")))
    };
    let Some((header_line, header)) = table.rows.first() else {
        return Err(Error::Input(vec![InputProblem::new(&file, "", "the plan is empty; it needs a header row")]));
    };
    let (Some(t), Some(d)) = (column(header, &TEACHER), column(header, &DESTINATION)) else {
        return Err(Error::Input(vec![InputProblem::new(
            locate(*header_line),
            "",
            "the plan needs the columns teacher_id (教师编号) and to_school (调入学校)",
        )]));
    };
    let mut moves = Vec::new();
    let mut problems = Vec::new();
    for (line, cells) in table.rows.iter().skip(1) {
        let teacher = cells.get(t).map(|c| unguard(c)).unwrap_or_default();
        let to = cells.get(d).map(|c| unguard(c)).unwrap_or_default();
        if teacher.is_empty() && to.is_empty() {
            continue;
        }
        if teacher.is_empty() || to.is_empty() {
            let missing = if teacher.is_empty() { "teacher_id" } else { "to_school" };
            problems.push(InputProblem::new(locate(*line), missing, "empty cell; every row needs a teacher and a destination"));
            continue;
        }
        moves.push(ProposedMove::new(teacher, to));
    }
    if !problems.is_empty() {
        return Err(Error::Input(problems));
    }
    Ok(moves)
}
