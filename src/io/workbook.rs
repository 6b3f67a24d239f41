//! Reading one .xlsx workbook (calamine) by the cells it holds, never by the
//! dimension a sheet declares: a sheet with one cell at XFD1048576 is one
//! cell. Ids are kept as text (a numeric cell 1001.0 reads "1001"), Excel
//! booleans read yes/no, a date reads as a date (2025-01-01), never as its
//! serial number; the `policy` sheet is read as typed `key | value` rows.
//!
//! Before calamine opens the archive its parts are unpacked once to count
//! their bytes and the shared strings, so a small file that unpacks to a
//! huge one is refused instead of exhausting memory (limits in [`super::limits`]).

use std::io::Cursor;
use std::panic::{catch_unwind, AssertUnwindSafe};

use calamine::{DataRef, Reader, Xlsx, XlsxFormulaMetadata};

use super::archive::{beyond_excel, check_archive, Beyond};
use super::limits::{
    excel_length, grouped, MAX_CELLS, MAX_CELL_CHARS, MAX_COLUMNS, MAX_ROWS, MAX_SHEET_ROW, MAX_WORKBOOK_TEXT_BYTES,
};
use super::table::{column_letters, too_long, CellNote, Origin, RawRow, RawTable};
use crate::domain::normalize_word;
use crate::error::Text;

/// The most shared strings a workbook may declare or hold.
pub(super) const MAX_SHARED_STRINGS: u64 = 5_000_000;

/// The value of a filled cell.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum CellValue {
    Text(String),
    Int(i64),
    Float(f64),
    Bool(bool),
    /// A date or time cell, as `2025-01-01`, `2025-01-01 08:30:00` or `08:30:00`.
    Date(String),
    /// An error value such as `#DIV/0!`.
    Error(String),
    /// A formula whose value was never saved (the file was not saved by a
    /// spreadsheet program); the formula's text.
    Formula(String),
    /// A text over [`MAX_CELL_CHARS`] characters as Excel counts them: the message.
    TooLong(Text),
}

/// A filled cell of a sheet, 0-based.
#[derive(Clone, Debug)]
struct SheetCell {
    row: u32,
    col: u32,
    value: CellValue,
}

/// The filled cells of one sheet row: (column offset from the sheet's first
/// filled column, value).
type SparseRow<'a> = Vec<(usize, &'a CellValue)>;

/// The filled cells of one sheet, sorted by row then column, one per position.
struct Sheet {
    name: String,
    cells: Vec<SheetCell>,
}

/// The sheets of a workbook, read whole.
pub(crate) struct Workbook {
    /// The workbook's file name, for messages.
    pub book: String,
    sheets: Vec<Sheet>,
}

/// One row of the policy sheet.
pub(crate) struct PolicyRow {
    /// Sheet row, 1-based.
    pub line: u64,
    /// The dotted key as written.
    pub key: String,
    /// The value with its Excel type.
    pub value: Option<toml::Value>,
    /// Location of the value cell: `book.xlsx policy!B3`.
    pub location: String,
}

/// Why a workbook cannot be read.
pub(super) enum OpenError {
    /// Not a readable .xlsx file: the sheet concerned, if one, and the
    /// error in English and in Chinese.
    Unreadable(Option<String>, String, String),
    /// Readable, but beyond a limit: the whole message.
    Refused(Text),
}

/// The running totals of a workbook against its limits.
#[derive(Default)]
struct Budget {
    cells: usize,
    text_bytes: usize,
    /// Cells of every sheet counted up to each row's last filled cell (what
    /// the tables of the sheets take).
    spanned: usize,
}

/// Opens a workbook from its bytes; a file that is not a readable .xlsx
/// (even one that makes the parser panic) or exceeds a limit is a sentence,
/// not a crash.
pub(crate) fn open(book: &str, bytes: Vec<u8>) -> Result<Workbook, Text> {
    let read = catch_unwind(AssertUnwindSafe(move || -> Result<Vec<Sheet>, OpenError> {
        check_archive(&bytes)?;
        let mut workbook: Xlsx<_> =
            Xlsx::new(Cursor::new(bytes)).map_err(|e| OpenError::Unreadable(None, e.to_string(), xlsx_error_zh(&e)))?;
        let mut budget = Budget::default();
        let mut sheets = Vec::new();
        let names = workbook.sheet_names();
        if names.len() > super::limits::MAX_SHEETS {
            let (count, most) = (names.len(), super::limits::MAX_SHEETS);
            return Err(OpenError::Refused(Text::both(
                format!(
                    "the workbook lists {count} sheets; rotaplan reads at most {most}: save only the sheets it needs in a new workbook"
                ),
                format!("工作簿有 {count} 个工作表；rotaplan 最多读 {most} 个：请只把需要的工作表另存到一个新工作簿"),
            )));
        }
        let mut seen = std::collections::HashSet::new();
        for name in names {
            // Excel never writes two sheets of one name; a file that lists one
            // twice would be read twice over.
            if !seen.insert(name.clone()) {
                return Err(OpenError::Refused(Text::both(
                    format!(
                        "the workbook lists the sheet \"{name}\" twice, which Excel never does: the file is damaged; open it in Excel or WPS and save it again"
                    ),
                    format!(
                        "工作簿把工作表「{name}」列了两次，Excel 从不这样做：文件已损坏；请用 Excel 或 WPS 打开后重新保存"
                    ),
                )));
            }
            let cells = read_sheet(&mut workbook, &name, &mut budget)?;
            sheets.push(Sheet { name, cells });
        }
        Ok(sheets)
    }));
    match read {
        Ok(Ok(sheets)) => Ok(Workbook { book: book.to_string(), sheets }),
        Ok(Err(OpenError::Unreadable(sheet, error, error_zh))) => {
            let (at, at_zh) = match sheet {
                Some(sheet) => (format!("sheet \"{sheet}\": "), format!("工作表「{sheet}」：")),
                None => (String::new(), String::new()),
            };
            Err(Text::both(
                format!("cannot be read as an .xlsx workbook: {at}{error}"),
                format!("无法按 .xlsx 工作簿读取：{at_zh}{error_zh}"),
            ))
        }
        Ok(Err(OpenError::Refused(message))) => Err(message),
        Err(_) => Err(Text::both(
            "cannot be read as an .xlsx workbook: the file is damaged",
            "无法按 .xlsx 工作簿读取：文件已损坏",
        )),
    }
}

/// A file that is no zip archive, or a damaged one, in Chinese.
pub(super) const NOT_A_ZIP_ZH: &str =
    "这不是 .xlsx 工作簿（不是有效的 zip 压缩文件），或文件已损坏；请用 Excel 或 WPS 打开后另存为 .xlsx";

/// Why calamine could not read a workbook, in Chinese (calamine words it
/// in English).
fn xlsx_error_zh(error: &calamine::XlsxError) -> String {
    use calamine::XlsxError as E;
    match error {
        E::Io(io) => crate::io::os_error::os_error_zh(io),
        E::Zip(_) => NOT_A_ZIP_ZH.into(),
        E::FileNotFound(part) => {
            format!("工作簿中缺少「{part}」，不是 Excel 或 WPS 保存的 .xlsx，或文件已损坏；请用 Excel 或 WPS 打开后重新保存")
        }
        E::Vba(_) => "工作簿中的宏无法读取；请另存为不含宏的 .xlsx".into(),
        E::ParseFloat(_) | E::ParseInt(_) | E::Parse(_) => "工作簿中有一个数无法读取，文件可能已损坏".into(),
        _ => "工作簿的内容无法读取，文件可能已损坏；请用 Excel 或 WPS 打开后重新保存".into(),
    }
}

/// A cell's position as Excel writes it: `E7`.
fn cell_name(row: u32, col: u32) -> String {
    format!("{}{}", column_letters(col), u64::from(row) + 1)
}

/// The filled cells of a sheet, within the limits.
fn read_sheet(
    workbook: &mut Xlsx<Cursor<Vec<u8>>>,
    name: &str,
    budget: &mut Budget,
) -> Result<Vec<SheetCell>, OpenError> {
    let unreadable =
        |e: calamine::XlsxError| OpenError::Unreadable(Some(name.to_string()), e.to_string(), xlsx_error_zh(&e));
    let mut reader = workbook.worksheet_cells_reader(name).map_err(unreadable)?;
    let mut cells = Vec::new();
    // Formula metadata without expanding shared formulas: calamine would
    // size a table by the formula's `si` number otherwise.
    while let Some(record) = reader.next_cell_with_formula_metadata().map_err(unreadable)? {
        let (row, col) = record.pos;
        // A cell without a reference is placed after the one before it.
        if col as usize >= MAX_COLUMNS || u64::from(row) >= MAX_SHEET_ROW {
            let beyond = Beyond { reference: cell_name(row, col), col: u64::from(col) + 1, row: u64::from(row) + 1 };
            return Err(OpenError::Refused(beyond_excel(name, &beyond)));
        }
        let value = match (record.value, record.formula) {
            (DataRef::Empty, None) => continue,
            (DataRef::Empty, Some(formula)) => {
                let text = match formula {
                    XlsxFormulaMetadata::Normal { formula } | XlsxFormulaMetadata::Shared { formula, .. } => formula,
                    _ => String::new(),
                };
                CellValue::Formula(text.chars().take(60).collect())
            }
            (value, _) => cell_value(value),
        };
        let value = match value {
            CellValue::Text(text) if text.trim().is_empty() => continue,
            CellValue::Text(text) if excel_length(&text) > MAX_CELL_CHARS => CellValue::TooLong(too_long(&text)),
            other => other,
        };
        if let CellValue::Text(text) | CellValue::Date(text) | CellValue::Error(text) = &value {
            budget.text_bytes += text.len();
        }
        budget.cells += 1;
        if budget.cells > MAX_CELLS {
            let (most, cell) = (grouped(MAX_CELLS as u64), cell_name(row, col));
            return Err(OpenError::Refused(Text::both(
                format!(
                    "the workbook holds more than {most} filled cells (sheet \"{name}\", cell {cell}), the most rotaplan reads"
                ),
                format!("工作簿中有内容的单元格超过 {most} 个（工作表「{name}」，单元格 {cell}），这是 rotaplan 能读的上限"),
            )));
        }
        if budget.text_bytes > MAX_WORKBOOK_TEXT_BYTES {
            let (most, cell) = (grouped(MAX_WORKBOOK_TEXT_BYTES as u64), cell_name(row, col));
            return Err(OpenError::Refused(Text::both(
                format!(
                    "the cells of the workbook hold more than {most} bytes of text (sheet \"{name}\", cell {cell}), the most rotaplan reads"
                ),
                format!(
                    "工作簿各单元格的文字合计超过 {most} 字节（工作表「{name}」，单元格 {cell}），这是 rotaplan 能读的上限"
                ),
            )));
        }
        cells.push(SheetCell { row, col, value });
    }
    // Sheets are written in order; a cell given twice keeps its last value.
    cells.reverse();
    cells.sort_by_key(|c| (c.row, c.col));
    cells.dedup_by_key(|c| (c.row, c.col));
    check_sheet_shape(name, &cells, budget)?;
    Ok(cells)
}

/// A sheet's rows, and the cells of the workbook's sheets counted up to each
/// row's last filled cell (what the tables of the sheets take: a stray cell
/// far right of a row costs as much as the cells before it), stay within the limits.
fn check_sheet_shape(name: &str, cells: &[SheetCell], budget: &mut Budget) -> Result<(), OpenError> {
    let first_col = cells.iter().map(|c| c.col).min().unwrap_or(0);
    let mut rows = 0usize;
    for (index, cell) in cells.iter().enumerate() {
        let last_in_row = cells.get(index + 1).is_none_or(|next| next.row != cell.row);
        if last_in_row {
            rows += 1;
            budget.spanned = budget.spanned.saturating_add((cell.col - first_col) as usize + 1);
            if rows > MAX_ROWS || budget.spanned > MAX_CELLS {
                let (at, rows, cells) =
                    (cell_name(cell.row, cell.col), grouped(MAX_ROWS as u64), grouped(MAX_CELLS as u64));
                return Err(OpenError::Refused(Text::both(
                    format!(
                        "sheet \"{name}\" is too large at cell {at}: rotaplan reads at most {rows} rows in a sheet and {cells} cells in a workbook (counted up to each row's last filled cell); delete stray values far below or right of the tables"
                    ),
                    format!(
                        "工作表「{name}」到单元格 {at} 时已超出上限：rotaplan 一个工作表最多读 {rows} 行，一个工作簿最多读 {cells} 个单元格（每行算到最后一个有内容的单元格）；请删去表格下方或右方远处零散的值"
                    ),
                )));
            }
        }
    }
    Ok(())
}

/// A cell as calamine reads it, owned.
fn cell_value(value: DataRef<'_>) -> CellValue {
    match value {
        DataRef::Empty => CellValue::Text(String::new()),
        DataRef::String(s) => CellValue::Text(s),
        DataRef::SharedString(s) => CellValue::Text(s.to_string()),
        DataRef::Int(i) => CellValue::Int(i),
        DataRef::Float(f) => CellValue::Float(f),
        DataRef::Bool(b) => CellValue::Bool(b),
        DataRef::DateTime(d) => CellValue::Date(date_text(&d)),
        DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => CellValue::Date(s),
        DataRef::Error(e) => CellValue::Error(e.to_string()),
    }
}

/// A date cell as `2025-01-01` (with the time when it has one), a time or
/// duration as `08:30:00`.
fn date_text(date: &calamine::ExcelDateTime) -> String {
    let value = date.as_f64();
    if date.is_duration() || (0.0..1.0).contains(&value) {
        let seconds = (value * 86_400.0).round().clamp(0.0, 1e12) as u64;
        return format!("{:02}:{:02}:{:02}", seconds / 3600, seconds / 60 % 60, seconds % 60);
    }
    let (year, month, day, hour, minute, second, _) = date.to_ymd_hms_milli();
    if (hour, minute, second) == (0, 0, 0) {
        format!("{year:04}-{month:02}-{day:02}")
    } else {
        format!("{year:04}-{month:02}-{day:02} {hour:02}:{minute:02}:{second:02}")
    }
}

/// The text of a cell as a CSV file would hold it.
pub(crate) fn cell_text(cell: &CellValue) -> String {
    match cell {
        CellValue::Text(s) | CellValue::Date(s) | CellValue::Error(s) => s.trim().to_string(),
        CellValue::Int(i) => i.to_string(),
        CellValue::Float(f) => float_text(*f),
        CellValue::Bool(true) => "yes".into(),
        CellValue::Bool(false) => "no".into(),
        CellValue::Formula(_) | CellValue::TooLong(_) => String::new(),
    }
}

/// Why a cell reads as empty though it is filled, if it does.
fn cell_note(cell: &CellValue) -> Option<Text> {
    match cell {
        CellValue::Formula(formula) => {
            let shown = if formula.is_empty() { String::new() } else { format!(" (={formula})") };
            let shown_zh = if formula.is_empty() { String::new() } else { format!("（={formula}）") };
            Some(Text::both(
                format!(
                    "the cell holds a formula{shown} with no saved value (the file was not saved by Excel or WPS); open the workbook in Excel or WPS and save it, or paste the values"
                ),
                format!(
                    "单元格里是公式{shown_zh}，没有保存计算结果（文件不是由 Excel 或 WPS 保存的）；请用 Excel 或 WPS 打开工作簿并保存，或粘贴为数值"
                ),
            ))
        }
        CellValue::TooLong(message) => Some(message.clone()),
        _ => None,
    }
}

/// A whole float without its ".0" (ids and counts), else its shortest text.
fn float_text(f: f64) -> String {
    if f.is_finite() && f.fract() == 0.0 && f.abs() < 1e15 {
        format!("{}", f as i64)
    } else {
        format!("{f}")
    }
}

impl Workbook {
    /// The sheet whose name matches one of `names` (case and spaces ignored).
    pub fn find(&self, names: &[&str]) -> Option<&str> {
        self.sheets
            .iter()
            .map(|sheet| sheet.name.as_str())
            .find(|name| names.iter().any(|n| normalize_word(n) == normalize_word(name)))
    }

    /// Every sheet whose name matches one of `names` (case and spaces ignored), in workbook order.
    pub fn find_all(&self, names: &[&str]) -> Vec<&str> {
        self.sheets
            .iter()
            .map(|sheet| sheet.name.as_str())
            .filter(|name| names.iter().any(|n| normalize_word(n) == normalize_word(name)))
            .collect()
    }

    /// Names of every sheet.
    pub fn sheet_names(&self) -> impl Iterator<Item = &str> {
        self.sheets.iter().map(|sheet| sheet.name.as_str())
    }

    fn sheet(&self, name: &str) -> Option<&Sheet> {
        self.sheets.iter().find(|sheet| sheet.name == name)
    }

    /// A sheet's rows of filled cells, each as a list of (column offset from
    /// the sheet's first filled column, value), with its sheet row number.
    fn rows<'a>(&'a self, sheet: &str) -> (u32, Vec<(u64, SparseRow<'a>)>) {
        let Some(sheet) = self.sheet(sheet) else { return (0, Vec::new()) };
        let first_col = sheet.cells.iter().map(|c| c.col).min().unwrap_or(0);
        let mut rows: Vec<(u64, SparseRow)> = Vec::new();
        for cell in &sheet.cells {
            let line = u64::from(cell.row) + 1;
            let offset = (cell.col - first_col) as usize;
            match rows.last_mut() {
                Some((last, cells)) if *last == line => cells.push((offset, &cell.value)),
                _ => rows.push((line, vec![(offset, &cell.value)])),
            }
        }
        (first_col, rows)
    }

    /// A sheet's non-empty rows as text, with their sheet row numbers.
    pub fn raw_table(&self, sheet: &str, rank: usize) -> RawTable {
        let (first_col, sparse) = self.rows(sheet);
        let mut rows = Vec::with_capacity(sparse.len());
        let mut notes = Vec::new();
        for (line, cells) in sparse {
            let width = cells.last().map_or(0, |(offset, _)| offset + 1);
            let mut record = csv::StringRecord::with_capacity(0, width);
            for (offset, value) in cells {
                while record.len() < offset {
                    record.push_field("");
                }
                record.push_field(&cell_text(value));
                if let Some(message) = cell_note(value) {
                    notes.push(CellNote { line, index: offset, message });
                }
            }
            rows.push(RawRow { line, last_line: line, cells: record });
        }
        let origin = Origin::Sheet { book: self.book.clone(), sheet: sheet.to_string(), first_col };
        RawTable { origin, rank, rows, notes, complete: true }
    }

    /// The `key | value` rows of the policy sheet; a first row `key | value` is skipped.
    pub fn policy_rows(&self, sheet: &str) -> Vec<PolicyRow> {
        let (first_col, sparse) = self.rows(sheet);
        let mut rows = Vec::new();
        for (line, cells) in sparse {
            let at = |offset: usize| cells.iter().find(|(o, _)| *o == offset).map(|(_, value)| *value);
            let key = at(0).map(cell_text).unwrap_or_default();
            let value = at(1).and_then(policy_value);
            if key.is_empty() && value.is_none() {
                continue;
            }
            let header = matches!(normalize_word(&key).as_str(), "key" | "键" | "参数");
            if rows.is_empty() && header {
                continue;
            }
            let location = format!("{} {sheet}!{}{line}", self.book, column_letters(first_col.saturating_add(1)));
            rows.push(PolicyRow { line, key, value, location });
        }
        rows
    }
}

/// A policy value with its Excel type; `None` for an empty cell.
fn policy_value(cell: &CellValue) -> Option<toml::Value> {
    match cell {
        CellValue::Int(i) => Some(toml::Value::Integer(*i)),
        CellValue::Float(f) if f.is_finite() => Some(toml::Value::Float(*f)),
        CellValue::Bool(b) => Some(toml::Value::Boolean(*b)),
        CellValue::Formula(_) | CellValue::TooLong(_) => cell_note(cell).map(|note| toml::Value::String(note.en)),
        other => {
            let text = cell_text(other);
            if text.is_empty() {
                None
            } else {
                Some(toml::Value::String(text))
            }
        }
    }
}
