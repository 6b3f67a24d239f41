//! Reading a rotation list that a person edited (rotations.csv or plan.xlsx)
//! for `score`: the teacher and destination of every row. The file is read
//! within the same limits as the data (a regular file, its size, its rows
//! and cells), and problems name the cell: `plan.xlsx rotations!C7`.

use std::collections::HashSet;
use std::path::Path;

use crate::domain::changes::ProposedMove;
use crate::domain::normalize_word;
use crate::error::{Error, InputProblem, Text};

use super::csv_text::{check_csv_widths, read_csv};
use super::limits::{read_input_file, ReadFailure};
use super::table::{header_location, Origin, Problems, RawRow, RawTable};

const TEACHER: [&str; 2] = ["teacher_id", "教师编号"];
const DESTINATION: [&str; 3] = ["to_school", "调入学校", "调入学校代码"];
const ORIGIN: [&str; 3] = ["from_school", "调出学校", "调出学校代码"];
const NAME: [&str; 2] = ["name", "姓名"];
const SHEETS: [&str; 2] = ["rotations", "交流名单"];

fn column(header: &csv::StringRecord, names: &[&str]) -> Option<usize> {
    header.iter().position(|h| names.iter().any(|n| normalize_word(n) == normalize_word(h)))
}

/// Undoes the `'` that rotaplan's CSV output puts before text starting with
/// = + - @ or ' (see `output::neutralize`); xlsx cells keep their text as is.
fn unguard(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@', '\'']) => rest,
        _ => cell,
    }
}

fn input_error(location: impl Into<String>, message: impl Into<Text>) -> Error {
    Error::Input(vec![InputProblem::new(location, "", message)])
}

/// A cell of an optional column of the list, with where it stands.
struct Checked {
    /// The column's name, for messages.
    column: &'static str,
    text: String,
    location: String,
}

/// One row of the list: the move and what the row says besides that can
/// be checked against the county (the teacher's school and name).
struct ListedMove {
    proposed: ProposedMove,
    checks: Vec<Checked>,
}

/// Reads the moves of a rotation list in CSV (any encoding rotaplan reads) or xlsx.
pub fn read_plan_list(path: &Path) -> Result<Vec<ProposedMove>, Error> {
    Ok(read_rows(path)?.into_iter().map(|row| row.proposed).collect())
}

/// [`read_plan_list`], with the list's `from_school` and `name` cells (where
/// the list has those columns and the cell is filled) checked against the
/// county: a row whose teacher teaches at another school, or has another
/// name, most likely names the wrong teacher id, so it is an input error
/// naming the cell, not a silent guess.
pub fn read_plan_list_for(path: &Path, county: &crate::domain::County) -> Result<Vec<ProposedMove>, Error> {
    let rows = read_rows(path)?;
    let teachers: std::collections::HashMap<&str, &crate::domain::Teacher> =
        county.teachers.iter().map(|t| (t.id.as_str(), t)).collect();
    let mut problems = Vec::new();
    for row in &rows {
        let Some(teacher) = teachers.get(row.proposed.teacher_id.as_str()) else { continue };
        for check in &row.checks {
            let actual = if check.column == "from_school" { &teacher.school_id } else { &teacher.name };
            if check.text != *actual {
                problems.push(InputProblem::new(
                    check.location.clone(),
                    check.column,
                    Text::both(
                        format!(
                            "\"{}\" does not match teacher {}, whose {} is \"{actual}\"; check the teacher id on this row, or correct the cell",
                            check.text,
                            teacher.id,
                            if check.column == "from_school" { "school" } else { "name" },
                        ),
                        format!(
                            "「{}」与教师 {} 不符，该教师的{}是「{actual}」；请检查这一行的教师编号，或改正这个单元格",
                            check.text,
                            teacher.id,
                            if check.column == "from_school" { "学校" } else { "姓名" },
                        ),
                    ),
                ));
            }
        }
    }
    if problems.is_empty() {
        Ok(rows.into_iter().map(|row| row.proposed).collect())
    } else {
        Err(Error::Input(problems))
    }
}

/// The rows of the list, or every problem of it.
fn read_rows(path: &Path) -> Result<Vec<ListedMove>, Error> {
    let file = path.file_name().map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().to_string());
    let mut problems = Problems::default();
    let table = read_table(path, &file, &mut problems)?;
    if !problems.is_empty() {
        return Err(Error::Input(problems.into_sorted()));
    }
    let RawTable { origin, rows, notes, .. } = table;
    let mut rows = rows.into_iter();
    let Some(header) = rows.next() else {
        return Err(input_error(
            &file,
            Text::both("the plan is empty; it needs a header row", "名单是空的；需要一行表头"),
        ));
    };
    let columns = ListColumns::find(&origin, &header)?;
    let mut rows: Vec<_> = rows.collect();
    if let Origin::Csv { file } = &origin {
        rows = check_csv_widths(file, 0, header.cells.len(), rows, &mut problems);
    }
    let mut problems = problems.into_sorted();
    let (t, d) = (columns.teacher, columns.destination);
    let mut noted = HashSet::new();
    for note in notes.into_iter().filter(|n| n.line > header.line && (n.index == t || n.index == d)) {
        let name = if note.index == t { "teacher_id" } else { "to_school" };
        problems.push(InputProblem::new(header_location(&origin, note.line, note.index), name, note.message));
        noted.insert(note.line);
    }
    let mut moves = Vec::new();
    for row in rows.iter().filter(|row| !noted.contains(&row.line)) {
        match columns.listed_move(&origin, row) {
            Ok(Some(listed)) => moves.push(listed),
            Ok(None) => {}
            Err(problem) => problems.push(problem),
        }
    }
    if !problems.is_empty() {
        return Err(Error::Input(problems));
    }
    Ok(moves)
}

/// The list's one table: the rotations sheet of a workbook (else its first
/// sheet), or the rows of a CSV file.
fn read_table(path: &Path, file: &str, problems: &mut Problems) -> Result<RawTable, Error> {
    let bytes = match read_input_file(path) {
        Ok(bytes) => bytes,
        Err(ReadFailure::NotFound) => {
            return Err(input_error(
                file,
                Text::both("cannot read the plan: file not found", "无法读取名单：找不到文件"),
            ))
        }
        Err(ReadFailure::Refused(message)) => return Err(input_error(file, message)),
        Err(ReadFailure::Io(e)) => {
            return Err(input_error(
                file,
                Text::both(format!("cannot read the plan: {e}"), format!("无法读取名单：{e}")),
            ))
        }
    };
    let is_xlsx = path.extension().is_some_and(|e| e.eq_ignore_ascii_case("xlsx"));
    if is_xlsx {
        let book = super::workbook::open(file, bytes).map_err(|m| input_error(file, m))?;
        let sheet = book
            .find(&SHEETS)
            .map(str::to_string)
            .or_else(|| book.sheet_names().next().map(str::to_string))
            .ok_or_else(|| input_error(file, Text::both("the workbook has no sheet", "工作簿里没有工作表")))?;
        Ok(book.raw_table(&sheet, 0))
    } else {
        let text = super::decode::decode_text(&bytes).map_err(|e| match e.line {
            Some(line) => input_error(format!("{file}:{line}"), e.message),
            None => input_error(file, e.message),
        })?;
        Ok(read_csv(file, 0, &text, problems))
    }
}

/// Where the list's columns stand.
struct ListColumns {
    teacher: usize,
    destination: usize,
    /// The optional columns the list has, checked against the county.
    optional: Vec<(&'static str, usize)>,
    /// Whether cells may carry the `'` guard of rotaplan's CSV output.
    is_csv: bool,
}

impl ListColumns {
    /// The columns named by the header; teacher_id and to_school are required.
    fn find(origin: &Origin, header: &RawRow) -> Result<ListColumns, Error> {
        let (Some(teacher), Some(destination)) = (column(&header.cells, &TEACHER), column(&header.cells, &DESTINATION))
        else {
            return Err(input_error(
                header_location(origin, header.line, 0),
                Text::both(
                    "the plan needs the columns teacher_id (教师编号) and to_school (调入学校)",
                    "名单需要 teacher_id（教师编号）和 to_school（调入学校）两列",
                ),
            ));
        };
        let optional = [("from_school", &ORIGIN[..]), ("name", &NAME[..])]
            .into_iter()
            .filter_map(|(name, names)| column(&header.cells, names).map(|index| (name, index)))
            .collect();
        Ok(ListColumns { teacher, destination, optional, is_csv: matches!(origin, Origin::Csv { .. }) })
    }

    /// The move of a row; `None` for a row without teacher and destination,
    /// a problem for a row with only one of them.
    fn listed_move(&self, origin: &Origin, row: &RawRow) -> Result<Option<ListedMove>, InputProblem> {
        let cell = |index: usize| {
            let text = row.cells.get(index).unwrap_or("").trim();
            if self.is_csv { unguard(text) } else { text }.to_string()
        };
        let (teacher, to) = (cell(self.teacher), cell(self.destination));
        if teacher.is_empty() && to.is_empty() {
            return Ok(None);
        }
        if teacher.is_empty() || to.is_empty() {
            let (missing, index) =
                if teacher.is_empty() { ("teacher_id", self.teacher) } else { ("to_school", self.destination) };
            return Err(InputProblem::new(
                header_location(origin, row.line, index),
                missing,
                Text::both(
                    "empty cell; every row needs a teacher and a destination",
                    "单元格是空的；每一行都要有教师和调入学校",
                ),
            ));
        }
        let checks = self
            .optional
            .iter()
            .map(|&(column, index)| Checked {
                column,
                text: cell(index),
                location: header_location(origin, row.line, index),
            })
            .filter(|c| !c.text.is_empty())
            .collect();
        Ok(Some(ListedMove { proposed: ProposedMove::new(teacher, to), checks }))
    }
}
