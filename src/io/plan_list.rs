//! Reading a rotation list that a person edited (rotations.csv or plan.xlsx)
//! for `score` (and `replan`, `advance`): the teacher and destination of
//! every row, and the row's `kind` where the list has that column (moves
//! of kind `rotation`; due returns of kind `return` or `extend`, read
//! apart). The file is read within the same limits as the data (a regular
//! file, its size, its rows and cells), and problems name the cell:
//! `plan.xlsx rotations!C7`.

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
const KIND: [&str; 3] = ["kind", "类别", "类型"];
const SHEETS: [&str; 2] = ["rotations", "交流名单"];

/// What a row of the list is (its `kind` cell; a list without the column,
/// or an empty cell, is a rotation).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    /// 交流: a move.
    Rotation,
    /// 返回: a teacher on exchange goes home.
    Return,
    /// 续任: a due return extended by one year.
    Extend,
}

impl Kind {
    const ALL: [(Kind, &'static str, &'static str); 3] =
        [(Kind::Rotation, "rotation", "交流"), (Kind::Return, "return", "返回"), (Kind::Extend, "extend", "续任")];

    fn parse(text: &str) -> Option<Kind> {
        if text.is_empty() {
            return Some(Kind::Rotation);
        }
        let key = normalize_word(text);
        Kind::ALL.iter().find(|(_, en, zh)| normalize_word(en) == key || normalize_word(zh) == key).map(|k| k.0)
    }
}

/// A rotation list read whole: the moves, and apart from them the due
/// returns the list carries out and those it extends, by teacher id.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PlanList {
    /// Rows of kind `rotation` (all rows of a list without a `kind` column).
    pub moves: Vec<ProposedMove>,
    /// Teachers of rows of kind `return`, in list order.
    pub returns: Vec<String>,
    /// Teachers of rows of kind `extend`, in list order.
    pub extended: Vec<String>,
}

impl PlanList {
    /// Reads a rotation list in CSV (any encoding rotaplan reads) or xlsx.
    pub fn read(path: &Path) -> Result<PlanList, Error> {
        Ok(PlanList::from_rows(read_rows(path)?))
    }

    /// [`PlanList::read`], with the rows checked against the county as
    /// [`read_plan_list_for`] does; a `return` or `extend` row must name a
    /// teacher of the exchange register (exchanges.csv).
    pub fn read_for(path: &Path, county: &crate::domain::County) -> Result<PlanList, Error> {
        let (rows, problems) = checked_rows(path, county)?;
        if problems.is_empty() {
            Ok(PlanList::from_rows(rows))
        } else {
            Err(Error::Input(problems))
        }
    }

    fn from_rows(rows: Vec<ListedMove>) -> PlanList {
        let mut list = PlanList::default();
        for row in rows {
            match row.kind {
                Kind::Rotation => list.moves.push(row.proposed),
                Kind::Return => list.returns.push(row.proposed.teacher_id),
                Kind::Extend => list.extended.push(row.proposed.teacher_id),
            }
        }
        list
    }
}

/// The English and Chinese word of a kind.
fn kind_word(kind: Kind) -> (&'static str, &'static str) {
    Kind::ALL.iter().find(|k| k.0 == kind).map(|k| (k.1, k.2)).unwrap_or(("rotation", "交流"))
}

fn column(header: &csv::StringRecord, names: &[&str]) -> Option<usize> {
    header.iter().position(|h| names.iter().any(|n| normalize_word(n) == normalize_word(h)))
}

/// Undoes the `'` that rotaplan's CSV output puts before text starting with
/// = + - @ or ' (see `output::neutralize`); xlsx cells keep their text as is.
pub(crate) fn unguard(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@', '\'']) => rest,
        _ => cell,
    }
}

fn input_error(location: impl Into<String>, message: impl Into<Text>) -> Error {
    Error::input(location, message)
}

/// A cell of an optional column of the list, with where it stands.
struct Checked {
    /// The column's name, for messages.
    column: &'static str,
    text: String,
    location: String,
}

/// One row of the list: the move (for a return or extend row, the teacher
/// and the to_school cell as written, possibly empty), its kind and what
/// the row says besides that can be checked against the county (the
/// teacher's school and name).
struct ListedMove {
    proposed: ProposedMove,
    kind: Kind,
    /// The row's kind cell (its teacher cell where the list has no kind column).
    kind_location: String,
    /// The row's teacher and to_school cells.
    teacher_location: String,
    to_location: String,
    checks: Vec<Checked>,
}

/// Reads the moves of a rotation list in CSV (any encoding rotaplan reads)
/// or xlsx: the rows of kind `rotation` ([`PlanList::read`] gives the
/// returns too).
pub fn read_plan_list(path: &Path) -> Result<Vec<ProposedMove>, Error> {
    PlanList::read(path).map(|list| list.moves)
}

/// [`read_plan_list`], with the list's `from_school` and `name` cells (where
/// the list has those columns and the cell is filled) checked against the
/// county: a row whose teacher teaches at another school, or has another
/// name, most likely names the wrong teacher id, so it is an input error
/// naming the cell, not a silent guess.
/// The moves are the rows of kind `rotation`, as in [`read_plan_list`].
pub fn read_plan_list_for(path: &Path, county: &crate::domain::County) -> Result<Vec<ProposedMove>, Error> {
    PlanList::read_for(path, county).map(|list| list.moves)
}

/// [`read_plan_list_for`] of a list that is an input, not a list to judge
/// (`replan`'s published list): besides, every rotation row names a
/// teacher and a school of the county, another school than the teacher's,
/// and no teacher twice.
pub fn read_published_for(path: &Path, county: &crate::domain::County) -> Result<Vec<ProposedMove>, Error> {
    let (rows, mut problems) = checked_rows(path, county)?;
    if !rows.iter().any(|r| r.kind == Kind::Rotation) {
        problems.push(InputProblem::new(
            super::source::file_name(path),
            "",
            Text::both(
                "the published list has no rotation rows; give the list that was published (rotations.csv or plan.xlsx of the plan)",
                "公示名单中没有交流行；请给出公示的名单（方案的 rotations.csv 或 plan.xlsx）",
            ),
        ));
    }
    let mut seen = HashSet::new();
    let teachers: std::collections::HashMap<&str, &crate::domain::Teacher> =
        county.teachers.iter().map(|t| (t.id.as_str(), t)).collect();
    for row in rows.iter().filter(|r| r.kind == Kind::Rotation) {
        let (id, to) = (&row.proposed.teacher_id, &row.proposed.to_school);
        let problem = |location: &String, column: &str, en: String, zh: String| {
            InputProblem::new(location.clone(), column, Text::both(en, zh))
        };
        let Some(teacher) = teachers.get(id.as_str()) else {
            problems.push(problem(
                &row.teacher_location,
                "teacher_id",
                format!("teacher {id} is not in the data; give the published list of this county's data"),
                format!("数据中没有教师 {id}；请给出本县数据的公示名单"),
            ));
            continue;
        };
        if !seen.insert(id.as_str()) {
            problems.push(problem(
                &row.teacher_location,
                "teacher_id",
                format!("teacher {id} is listed twice; keep one row"),
                format!("教师 {id} 出现了两次；请只保留一行"),
            ));
        }
        if county.school(to).is_none() {
            problems.push(problem(
                &row.to_location,
                "to_school",
                format!("school {to} (teacher {id}) is not in the data; check the school code"),
                format!("数据中没有学校 {to}（教师 {id}）；请检查学校代码"),
            ));
        } else if teacher.school_id == *to {
            problems.push(problem(
                &row.to_location,
                "to_school",
                format!("teacher {id} already teaches at {to}; a published move goes to another school"),
                format!("教师 {id} 已在 {to} 任教；公示的交流须调往其他学校"),
            ));
        }
    }
    if problems.is_empty() {
        Ok(PlanList::from_rows(rows).moves)
    } else {
        Err(Error::Input(problems))
    }
}

/// The rows of a list and their problems against the county: a list
/// longer than the county's teachers is refused whole; otherwise the
/// from_school and name cells ([`check_rows`]) and the kinds
/// ([`check_kinds`]) are checked.
fn checked_rows(path: &Path, county: &crate::domain::County) -> Result<(Vec<ListedMove>, Vec<InputProblem>), Error> {
    let rows = read_rows(path)?;
    check_length(path, &rows, county)?;
    let mut problems = check_rows(&rows, county);
    check_kinds(&rows, county, &mut problems);
    Ok((rows, problems))
}

/// A `return` or `extend` row must name a teacher of the exchange register.
fn check_kinds(rows: &[ListedMove], county: &crate::domain::County, problems: &mut Vec<InputProblem>) {
    for row in rows.iter().filter(|r| r.kind != Kind::Rotation) {
        if county.exchange_of(&row.proposed.teacher_id).is_none() {
            let id = &row.proposed.teacher_id;
            problems.push(InputProblem::new(
                row.kind_location.clone(),
                "kind",
                Text::both(
                    format!("teacher {id} is not in the exchange register (exchanges.csv), so the row cannot be of kind {}; make it a rotation, or add the teacher's exchange to exchanges.csv", kind_word(row.kind).0),
                    format!("教师 {id} 不在交流记录（exchanges.csv）中，这一行不能是「{}」；请改为「交流」，或在 exchanges.csv 中补上该教师的交流记录", kind_word(row.kind).1),
                ),
            ));
        }
    }
}

/// A list of more rows than the county has teachers cannot be its list
/// (each teacher is on it once at most): one problem, before the rows are
/// judged one by one.
fn check_length(path: &Path, rows: &[ListedMove], county: &crate::domain::County) -> Result<(), Error> {
    let most = county.teachers.len();
    if rows.len() <= most {
        return Ok(());
    }
    Err(input_error(
        super::source::file_name(path),
        Text::both(
            format!(
                "the list has {} rows, more than the {most} teachers of the data; give this county's list",
                rows.len()
            ),
            format!("名单有 {} 行，多于数据中的 {most} 名教师；请给出本县的名单", rows.len()),
        ),
    ))
}

/// The problems of the rows' `from_school` and `name` cells against the county.
fn check_rows(rows: &[ListedMove], county: &crate::domain::County) -> Vec<InputProblem> {
    let teachers: std::collections::HashMap<&str, &crate::domain::Teacher> =
        county.teachers.iter().map(|t| (t.id.as_str(), t)).collect();
    let mut problems = Vec::new();
    for row in rows {
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
    problems
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
    let (t, d, k) = (columns.teacher, columns.destination, columns.kind);
    let mut noted = HashSet::new();
    for note in
        notes.into_iter().filter(|n| n.line > header.line && (n.index == t || n.index == d || Some(n.index) == k))
    {
        let name = if note.index == t {
            "teacher_id"
        } else if note.index == d {
            "to_school"
        } else {
            "kind"
        };
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
    read_one_table(path, file, &SHEETS, ("the plan", "名单"), problems)
}

/// The one table of a file that holds a single list (a plan list, replan's
/// changes): the first of `sheets` in a workbook (else its first sheet), or
/// the rows of a CSV file. `what` names the file in messages (en, zh).
pub(crate) fn read_one_table(
    path: &Path,
    file: &str,
    sheets: &[&str],
    what: (&str, &str),
    problems: &mut Problems,
) -> Result<RawTable, Error> {
    let (en, zh) = what;
    let bytes = match read_input_file(path) {
        Ok(bytes) => bytes,
        Err(ReadFailure::NotFound) => {
            return Err(input_error(
                file,
                Text::both(format!("cannot read {en}: file not found"), format!("无法读取{zh}：找不到文件")),
            ))
        }
        Err(ReadFailure::Refused(message)) => return Err(input_error(file, message)),
        Err(ReadFailure::Io(e)) => {
            return Err(input_error(
                file,
                Text::both(
                    format!("cannot read {en}: {e}"),
                    format!("无法读取{zh}：{}", crate::io::os_error::os_error_zh(&e)),
                ),
            ))
        }
    };
    let is_xlsx = path.extension().is_some_and(|e| e.eq_ignore_ascii_case("xlsx"));
    if is_xlsx {
        let book = super::workbook::open(file, bytes).map_err(|m| input_error(file, m))?;
        let sheet = book
            .find(sheets)
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
    /// The `kind` column, when the list has one.
    kind: Option<usize>,
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
        let kind = column(&header.cells, &KIND);
        Ok(ListColumns { teacher, destination, kind, optional, is_csv: matches!(origin, Origin::Csv { .. }) })
    }

    /// The move of a row; `None` for a row without teacher and destination,
    /// a problem for a rotation row with only one of them, a return or
    /// extend row without a teacher, or an unknown kind word.
    fn listed_move(&self, origin: &Origin, row: &RawRow) -> Result<Option<ListedMove>, InputProblem> {
        let cell = |index: usize| {
            let text = row.cells.get(index).unwrap_or("").trim();
            if self.is_csv { unguard(text) } else { text }.to_string()
        };
        let (teacher, to) = (cell(self.teacher), cell(self.destination));
        if teacher.is_empty() && to.is_empty() {
            return Ok(None);
        }
        let kind_index = self.kind.unwrap_or(self.teacher);
        let kind_location = header_location(origin, row.line, kind_index);
        let kind = match self.kind.map(cell) {
            None => Kind::Rotation,
            Some(word) => Kind::parse(&word).ok_or_else(|| unknown_kind(&word, kind_location.clone()))?,
        };
        let missing = match (teacher.is_empty(), to.is_empty()) {
            (true, _) => Some(("teacher_id", self.teacher)),
            (false, true) if kind == Kind::Rotation => Some(("to_school", self.destination)),
            _ => None,
        };
        if let Some((missing, index)) = missing {
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
        Ok(Some(ListedMove {
            proposed: ProposedMove::new(teacher, to),
            kind,
            kind_location,
            teacher_location: header_location(origin, row.line, self.teacher),
            to_location: header_location(origin, row.line, self.destination),
            checks,
        }))
    }
}

/// The problem of a kind cell that holds no kind word.
fn unknown_kind(word: &str, location: String) -> InputProblem {
    InputProblem::new(
        location,
        "kind",
        Text::both(
            format!("unknown kind \"{word}\" (valid: rotation, return, extend; an empty cell is a rotation)"),
            format!("无法识别的类型「{word}」（可填：rotation、return、extend，或 交流、返回、续任；空单元格即交流）"),
        ),
    )
}
