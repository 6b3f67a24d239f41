//! Reading one .xlsx workbook (calamine): every sheet's cells as text,
//! with ids kept as text (a numeric cell 1001.0 reads "1001") and Excel
//! booleans as yes/no; the `policy` sheet as typed `key | value` rows.

use std::io::Cursor;
use std::panic::{catch_unwind, AssertUnwindSafe};

use calamine::{Data, Range, Reader, Xlsx};

use super::table::{column_letters, Origin, RawTable};
use crate::domain::normalize_word;

/// The sheets of a workbook, read whole.
pub(crate) struct Workbook {
    /// The workbook's file name, for messages.
    pub book: String,
    sheets: Vec<(String, Range<Data>)>,
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

/// Opens a workbook from its bytes; a file that is not a readable .xlsx
/// (even one that makes the parser panic) is a sentence, not a crash.
pub(crate) fn open(book: &str, bytes: Vec<u8>) -> Result<Workbook, String> {
    let read = catch_unwind(AssertUnwindSafe(move || -> Result<Vec<(String, Range<Data>)>, String> {
        let mut workbook: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).map_err(|e| e.to_string())?;
        let mut sheets = Vec::new();
        for name in workbook.sheet_names() {
            match workbook.worksheet_range(&name) {
                Ok(range) => sheets.push((name, range)),
                Err(error) => return Err(format!("sheet \"{name}\": {error}")),
            }
        }
        Ok(sheets)
    }));
    match read {
        Ok(Ok(sheets)) => Ok(Workbook { book: book.to_string(), sheets }),
        Ok(Err(error)) => Err(format!("cannot be read as an .xlsx workbook: {error}")),
        Err(_) => Err("cannot be read as an .xlsx workbook: the file is damaged".into()),
    }
}

/// The text of a cell as a CSV file would hold it.
pub(crate) fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => s.trim().to_string(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) => float_text(*f),
        Data::Bool(true) => "yes".into(),
        Data::Bool(false) => "no".into(),
        Data::DateTime(d) => float_text(d.as_f64()),
        Data::Error(e) => e.to_string(),
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
            .map(|(name, _)| name.as_str())
            .find(|name| names.iter().any(|n| normalize_word(n) == normalize_word(name)))
    }

    /// Names of every sheet.
    pub fn sheet_names(&self) -> impl Iterator<Item = &str> {
        self.sheets.iter().map(|(name, _)| name.as_str())
    }

    fn range(&self, sheet: &str) -> Option<&Range<Data>> {
        self.sheets.iter().find(|(name, _)| name == sheet).map(|(_, range)| range)
    }

    /// A sheet's non-empty rows as text, with their sheet row numbers.
    pub fn raw_table(&self, sheet: &str, rank: usize) -> RawTable {
        let (first_row, first_col) = self.range(sheet).and_then(Range::start).unwrap_or((0, 0));
        let mut rows = Vec::new();
        if let Some(range) = self.range(sheet) {
            for (i, cells) in range.rows().enumerate() {
                let texts: Vec<String> = cells.iter().map(cell_text).collect();
                if texts.iter().all(String::is_empty) {
                    continue;
                }
                rows.push((sheet_line(first_row, i), csv::StringRecord::from(texts)));
            }
        }
        RawTable { origin: Origin::Sheet { book: self.book.clone(), sheet: sheet.to_string(), first_col }, rank, rows }
    }

    /// The `key | value` rows of the policy sheet; a first row `key | value` is skipped.
    pub fn policy_rows(&self, sheet: &str) -> Vec<PolicyRow> {
        let Some(range) = self.range(sheet) else { return Vec::new() };
        let (first_row, first_col) = range.start().unwrap_or((0, 0));
        let mut rows = Vec::new();
        for (i, cells) in range.rows().enumerate() {
            let key = cells.first().map(cell_text).unwrap_or_default();
            let value = cells.get(1).and_then(policy_value);
            if key.is_empty() && value.is_none() {
                continue;
            }
            let header = matches!(normalize_word(&key).as_str(), "key" | "键" | "参数");
            if rows.is_empty() && header {
                continue;
            }
            let line = sheet_line(first_row, i);
            let location = format!("{} {sheet}!{}{line}", self.book, column_letters(first_col.saturating_add(1)));
            rows.push(PolicyRow { line, key, value, location });
        }
        rows
    }
}

/// The 1-based sheet row of the `index`-th row of a range starting at `first_row`.
fn sheet_line(first_row: u32, index: usize) -> u64 {
    u64::from(first_row).saturating_add(u64::try_from(index).unwrap_or(u64::MAX)).saturating_add(1)
}

/// A policy value with its Excel type; `None` for an empty cell.
fn policy_value(cell: &Data) -> Option<toml::Value> {
    match cell {
        Data::Empty => None,
        Data::Int(i) => Some(toml::Value::Integer(*i)),
        Data::Float(f) if f.is_finite() => Some(toml::Value::Float(*f)),
        Data::Bool(b) => Some(toml::Value::Boolean(*b)),
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
