//! One input table — a CSV file or a worksheet — as header-mapped rows of
//! text, with the positions needed to point the user at a cell. Also the
//! collector of problems that keeps them in file order.

use std::collections::BTreeMap;

use crate::domain::normalize_word;
use crate::error::InputProblem;

/// One column of a table as SPEC §2 names it.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Column {
    /// The English header, also the field name of the raw row struct.
    pub name: &'static str,
    /// Accepted aliases (the Chinese names).
    pub aliases: &'static [&'static str],
    /// Whether a file without this column is an error.
    pub required: bool,
}

/// A required column.
pub(crate) const fn req(name: &'static str, aliases: &'static [&'static str]) -> Column {
    Column { name, aliases, required: true }
}

/// An optional column.
pub(crate) const fn opt(name: &'static str, aliases: &'static [&'static str]) -> Column {
    Column { name, aliases, required: false }
}

/// Where a table came from, for messages.
#[derive(Clone, Debug)]
pub(crate) enum Origin {
    /// A text file, named by its file name.
    Csv { file: String },
    /// A worksheet of a workbook: `book.xlsx`, sheet name, first column index.
    Sheet { book: String, sheet: String, first_col: u32 },
}

/// A data row: its physical line (CSV, header = 1) or sheet row (1-based),
/// and its cells, trimmed.
#[derive(Clone, Debug)]
pub(crate) struct Row {
    pub line: u64,
    pub cells: csv::StringRecord,
}

/// A header-mapped table.
#[derive(Clone, Debug)]
pub(crate) struct Table {
    pub origin: Origin,
    /// File order, for sorting problems.
    pub rank: usize,
    /// Canonical column name → (cell index, header as written).
    columns: BTreeMap<&'static str, (usize, String)>,
    pub rows: Vec<Row>,
}

/// The letters of a 0-based column index (0 → A, 26 → AA).
pub(crate) fn column_letters(index: u32) -> String {
    let mut n = u64::from(index) + 1;
    let mut letters = Vec::new();
    while n > 0 {
        let rem = ((n - 1) % 26) as u8;
        letters.push(char::from(b'A' + rem));
        n = (n - 1) / 26;
    }
    letters.iter().rev().collect()
}

impl Table {
    /// The location of a cell: `teachers.csv:7` or `book.xlsx 教师!E7`.
    /// For a column the table lacks, a workbook location names the row's first cell.
    pub fn location(&self, line: u64, column: Option<&str>) -> String {
        match &self.origin {
            Origin::Csv { file } => format!("{file}:{line}"),
            Origin::Sheet { book, sheet, first_col } => {
                format!("{book} {sheet}!{}{line}", self.letters(*first_col, column))
            }
        }
    }

    /// A short back-reference to a row for "first on …" remarks.
    pub fn reference(&self, line: u64, column: &str) -> String {
        match &self.origin {
            Origin::Csv { .. } => format!("on line {line}"),
            Origin::Sheet { sheet, first_col, .. } => {
                format!("at {sheet}!{}{line}", self.letters(*first_col, Some(column)))
            }
        }
    }

    fn letters(&self, first_col: u32, column: Option<&str>) -> String {
        let index = column.and_then(|c| self.columns.get(c)).map(|(i, _)| *i).unwrap_or(0);
        sheet_column(first_col, index)
    }

    /// Whether the table has this column.
    pub fn has(&self, column: &str) -> bool {
        self.columns.contains_key(column)
    }

    /// The column's header as the file writes it (the canonical name if absent).
    pub fn header(&self, column: &str) -> String {
        self.columns.get(column).map(|(_, h)| h.clone()).unwrap_or_else(|| column.to_string())
    }

    /// The row as a record keyed by the canonical column names, for
    /// deserializing into a raw row struct.
    pub fn record(&self, row: &Row) -> csv::StringRecord {
        let mut values = csv::StringRecord::with_capacity(64, self.columns.len());
        for (index, _) in self.columns.values() {
            values.push_field(row.cells.get(*index).unwrap_or(""));
        }
        values
    }

    /// The canonical column names, in the order of [`Table::record`]'s fields.
    pub fn names(&self) -> csv::StringRecord {
        self.columns.keys().collect()
    }
}

/// Problems collected from every file, kept with their sort position.
#[derive(Debug, Default)]
pub(crate) struct Problems {
    list: Vec<(usize, u64, InputProblem)>,
}

impl Problems {
    /// A problem in a cell of a table. `column` is the canonical name; the
    /// message names the column as the file writes it.
    pub fn cell(&mut self, table: &Table, line: u64, column: &str, message: impl Into<String>) {
        let problem = InputProblem::new(table.location(line, Some(column)), table.header(column), message);
        self.list.push((table.rank, line, problem));
    }

    /// A problem located by hand: file rank, line for sorting, and the problem.
    pub fn push(&mut self, rank: usize, line: u64, problem: InputProblem) {
        self.list.push((rank, line, problem));
    }

    /// Whether nothing was found.
    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    /// Every problem, in file order, then line, then the order found.
    pub fn into_sorted(mut self) -> Vec<InputProblem> {
        self.list.sort_by_key(|(rank, line, _)| (*rank, *line));
        self.list.into_iter().map(|(_, _, p)| p).collect()
    }
}

/// Raw cells of a table before the header is mapped.
pub(crate) struct RawTable {
    pub origin: Origin,
    pub rank: usize,
    /// (line, cells) of every non-empty row, header first.
    pub rows: Vec<(u64, csv::StringRecord)>,
}

/// The letters of a cell index of a worksheet whose range starts at `first_col`.
fn sheet_column(first_col: u32, index: usize) -> String {
    column_letters(u32::try_from(index).unwrap_or(0).saturating_add(first_col))
}

/// The location of a header cell: `teachers.csv:1` or `book.xlsx 教师!C1`.
fn header_location(origin: &Origin, header_line: u64, index: usize) -> String {
    match origin {
        Origin::Csv { file } => format!("{file}:{header_line}"),
        Origin::Sheet { book, sheet, first_col } => {
            format!("{book} {sheet}!{}{header_line}", sheet_column(*first_col, index))
        }
    }
}

/// Finds the canonical column of a header cell.
fn match_header<'c>(header: &str, columns: &'c [Column]) -> Option<&'c Column> {
    let key = normalize_word(header);
    columns.iter().find(|c| normalize_word(c.name) == key || c.aliases.iter().any(|a| normalize_word(a) == key))
}

/// Maps the header of a raw table onto `columns`; unknown columns become
/// warnings, missing required columns and repeated columns become problems.
pub(crate) fn map_header(
    raw: RawTable,
    columns: &[Column],
    header_search: bool,
    problems: &mut Problems,
    warnings: &mut Vec<String>,
) -> Table {
    let RawTable { origin, rank, rows } = raw;
    // In a workbook a title row may sit above the header: take the first of
    // the first rows that names two known columns.
    let header_at = if header_search {
        rows.iter()
            .take(10)
            .position(|(_, cells)| cells.iter().filter(|c| match_header(c, columns).is_some()).count() >= 2)
            .unwrap_or(0)
    } else {
        0
    };
    if rows.is_empty() {
        let (location, what) = match &origin {
            Origin::Csv { file } => (file.clone(), "file"),
            Origin::Sheet { book, sheet, .. } => (format!("{book} {sheet}"), "sheet"),
        };
        let message = format!("the {what} is empty; it needs a header row and one row per record");
        problems.push(rank, 0, InputProblem::new(location, "", message));
        return Table { origin, rank, columns: BTreeMap::new(), rows: Vec::new() };
    }
    let mut rows = rows.into_iter().skip(header_at);
    let (header_line, header_cells) = rows.next().unwrap_or((1, csv::StringRecord::new()));
    let mut table = Table { origin, rank, columns: BTreeMap::new(), rows: Vec::new() };
    table.rows = rows.map(|(line, cells)| Row { line, cells }).collect();

    let mut unknown = Vec::new();
    for (index, header) in header_cells.iter().enumerate() {
        if header.is_empty() {
            continue;
        }
        match match_header(header, columns) {
            Some(column) => {
                if let Some((first, first_header)) = table.columns.get(column.name) {
                    let first_at = match &table.origin {
                        Origin::Csv { .. } => format!("column {}", first.saturating_add(1)),
                        Origin::Sheet { first_col, .. } => format!("column {}", sheet_column(*first_col, *first)),
                    };
                    let message = format!("column given twice (first as \"{first_header}\" in {first_at}); keep one");
                    let location = header_location(&table.origin, header_line, index);
                    problems.push(rank, header_line, InputProblem::new(location, header, message));
                } else {
                    table.columns.insert(column.name, (index, header.to_string()));
                }
            }
            None => unknown.push((index, header.to_string())),
        }
    }
    for (index, header) in unknown {
        let location = header_location(&table.origin, header_line, index);
        warnings.push(format!("{location}: unknown column \"{header}\" is ignored"));
    }
    for column in columns.iter().filter(|c| c.required && !table.columns.contains_key(c.name)) {
        let also =
            if column.aliases.is_empty() { String::new() } else { format!(" (or {})", column.aliases.join(", ")) };
        let message = format!("required column is missing; add a column headed {}{also}", column.name);
        problems.push(rank, header_line, InputProblem::new(table.location(header_line, None), column.name, message));
    }
    table
}

/// Reads CSV text into raw rows. Ragged rows are problems, not panics;
/// lines whose cells are all empty are skipped.
pub(crate) fn read_csv(file: &str, rank: usize, text: &str, problems: &mut Problems) -> RawTable {
    let first_line = text.lines().next().unwrap_or("");
    let delimiter = if !first_line.contains(',') && first_line.contains('\t') { b'\t' } else { b',' };
    let mut reader =
        csv::ReaderBuilder::new().has_headers(false).flexible(true).delimiter(delimiter).from_reader(text.as_bytes());
    let mut rows: Vec<(u64, csv::StringRecord)> = Vec::new();
    let mut width: Option<usize> = None;
    for result in reader.records() {
        let record = match result {
            Ok(record) => record,
            Err(error) => {
                let line = error.position().map(|p| p.line()).unwrap_or(0);
                let location = if line > 0 { format!("{file}:{line}") } else { file.to_string() };
                problems.push(rank, line, InputProblem::new(location, "", format!("cannot be read as CSV: {error}")));
                break;
            }
        };
        let line = record.position().map(|p| p.line()).unwrap_or(0);
        let mut cells = record;
        cells.trim();
        let Some(header_width) = width else {
            width = Some(cells.len());
            rows.push((line, cells));
            continue;
        };
        if cells.iter().all(str::is_empty) {
            continue;
        }
        if cells.len() < header_width {
            problems.push(
                rank,
                line,
                InputProblem::new(
                    format!("{file}:{line}"),
                    "",
                    format!(
                        "the row has {} cells but the header has {header_width}; check for a missing comma",
                        cells.len()
                    ),
                ),
            );
            continue;
        }
        if cells.iter().skip(header_width).any(|c| !c.is_empty()) {
            problems.push(
                rank,
                line,
                InputProblem::new(
                    format!("{file}:{line}"),
                    "",
                    format!(
                        "the row has {} cells but the header has {header_width}; check for a comma inside a value (quote it) or a missing header",
                        cells.len()
                    ),
                ),
            );
            continue;
        }
        rows.push((line, cells));
    }
    RawTable { origin: Origin::Csv { file: file.to_string() }, rank, rows }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn letters() {
        assert_eq!(column_letters(0), "A");
        assert_eq!(column_letters(25), "Z");
        assert_eq!(column_letters(26), "AA");
        assert_eq!(column_letters(701), "ZZ");
        assert_eq!(column_letters(702), "AAA");
    }
}
