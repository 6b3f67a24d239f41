//! CSV text into the raw rows of a table: the reader's limits on cells,
//! columns and rows, unclosed quotes found before the csv crate reads the
//! rest of the file as one cell, and rows whose width does not match the
//! header.

use crate::error::{InputProblem, Text};

use super::limits::{excel_length, grouped, MAX_CELLS, MAX_CELL_CHARS, MAX_COLUMNS, MAX_ROWS};
use super::table::{too_long, CellNote, Origin, Problems, RawRow, RawTable};

/// Reads CSV text into raw rows; lines whose cells are all empty are
/// skipped. Lines are physical lines (CRLF or LF), counted from the text
/// itself. An unclosed quote, too many rows or cells, and cells over
/// [`MAX_CELL_CHARS`] characters are problems, not hangs or panics.
pub(crate) fn read_csv(file: &str, rank: usize, text: &str, problems: &mut Problems) -> RawTable {
    let mut table = RawTable {
        origin: Origin::Csv { file: file.to_string() },
        rank,
        rows: Vec::new(),
        notes: Vec::new(),
        complete: false,
    };
    let delimiter = delimiter_of(text);
    if let Some((line, problem)) = too_large(file, text, delimiter) {
        problems.push(rank, line, problem);
        return table;
    }
    let mut lines = Lines::new(text);
    let unclosed = unclosed_quote(text, delimiter);
    let mut reader =
        csv::ReaderBuilder::new().has_headers(false).flexible(true).delimiter(delimiter).from_reader(text.as_bytes());
    let bytes = text.as_bytes();
    let mut record = csv::StringRecord::new();
    loop {
        let start = reader.position().byte() as usize;
        match reader.read_record(&mut record) {
            Ok(true) => {}
            Ok(false) => {
                table.complete = true;
                break;
            }
            Err(error) => {
                let line = error.position().map(|p| lines.line(p.byte() as usize)).unwrap_or(0);
                let location = if line > 0 { format!("{file}:{line}") } else { file.to_string() };
                let message = Text::both(
                    format!("cannot be read as CSV: {error}"),
                    format!("无法按 CSV 读取：{}", csv_error_zh(&error)),
                );
                problems.push(rank, line, InputProblem::new(location, "", message));
                break;
            }
        }
        let end = reader.position().byte() as usize;
        let (first, last) = record_bounds(bytes, start, end);
        let (line, last_line) = (lines.line(first), lines.line(last.saturating_sub(1).max(first)));
        if let Some(opened) = unclosed.filter(|&o| o >= first && end >= bytes.len()) {
            let line = lines.line(opened);
            let message = Text::both(
                format!(
                    "a quoted value opens here and is never closed (its closing quote \" is missing), so lines {line} to {last_line} would read as one cell; add the closing quote"
                ),
                format!(
                    "这里有一个以引号开头的值没有结束（缺少后引号 \"），第 {line} 行到第 {last_line} 行会被读成一个单元格；请补上后引号"
                ),
            );
            problems.push(rank, line, InputProblem::new(format!("{file}:{line}"), "", message));
            break;
        }
        if record.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        if table.rows.len() >= MAX_ROWS {
            let most = grouped(MAX_ROWS as u64);
            let message = Text::both(
                format!("the file has more than {most} rows, the most rotaplan reads in one table"),
                format!("文件超过 {most} 行，这是 rotaplan 一张表能读的上限"),
            );
            problems.push(rank, line, InputProblem::new(format!("{file}:{line}"), "", message));
            break;
        }
        let cells = trimmed_cells(&record, line, &mut table.notes);
        table.rows.push(RawRow { line, last_line, cells });
    }
    table
}

/// A tab when the first line has tabs and no comma, else a comma.
fn delimiter_of(text: &str) -> u8 {
    let first_line = text.lines().next().unwrap_or("");
    if !first_line.contains(',') && first_line.contains('\t') {
        b'\t'
    } else {
        b','
    }
}

/// The problem of a text with more cells than rotaplan reads in a table,
/// or a record wider than Excel's columns: its line and the problem.
fn too_large(file: &str, text: &str, delimiter: u8) -> Option<(u64, InputProblem)> {
    // Every cell but a row's first follows a delimiter: this bounds the cells
    // (and so the memory) before any record is built.
    let delimiters = text.bytes().filter(|&b| b == delimiter).count();
    if delimiters > MAX_CELLS {
        let most = grouped(MAX_CELLS as u64);
        let message = Text::both(
            format!(
                "the file holds more than {most} cells, the most rotaplan reads in one table; split the data or remove what is not needed"
            ),
            format!("文件超过 {most} 个单元格，这是 rotaplan 一张表能读的上限；请拆分数据，或删去用不到的内容"),
        );
        return Some((0, InputProblem::new(file, "", message)));
    }
    let start = first_wide_record(text, delimiter, MAX_COLUMNS)?;
    let line = Lines::new(text).line(start);
    let most = grouped(MAX_COLUMNS as u64);
    let message = Text::both(
        format!(
            "the line has more than {most} cells (Excel's number of columns), the most rotaplan reads in one row; delete the empty columns or stray separators at its end"
        ),
        format!(
            "这一行超过 {most} 个单元格（Excel 的列数），这是 rotaplan 一行能读的上限；请删去行尾的空列或多余的分隔符"
        ),
    );
    Some((line, InputProblem::new(format!("{file}:{line}"), "", message)))
}

/// The record's first and last bytes that are not line ends.
fn record_bounds(bytes: &[u8], start: usize, end: usize) -> (usize, usize) {
    let mut first = start;
    while first < end && matches!(bytes.get(first), Some(b'\r' | b'\n')) {
        first += 1;
    }
    let mut last = end;
    while last > first && matches!(bytes.get(last - 1), Some(b'\r' | b'\n')) {
        last -= 1;
    }
    (first, last)
}

/// The record's cells, trimmed; a cell over [`MAX_CELL_CHARS`] characters
/// reads as empty, with a note.
fn trimmed_cells(record: &csv::StringRecord, line: u64, notes: &mut Vec<CellNote>) -> csv::StringRecord {
    let mut cells = csv::StringRecord::with_capacity(record.as_slice().len(), record.len());
    for (index, cell) in record.iter().enumerate() {
        let cell = cell.trim();
        if excel_length(cell) > MAX_CELL_CHARS {
            notes.push(CellNote { line, index, message: too_long(cell) });
            cells.push_field("");
        } else {
            cells.push_field(cell);
        }
    }
    cells
}

/// Checks the width of the data rows of a CSV table against its header:
/// a row with fewer cells lost a comma, one with more cells past the header
/// has an unquoted comma. A row spanning lines gets a word on its quotes.
pub(crate) fn check_csv_widths(
    file: &str,
    rank: usize,
    header_width: usize,
    rows: Vec<RawRow>,
    problems: &mut Problems,
) -> Vec<RawRow> {
    let mut kept = Vec::with_capacity(rows.len());
    for row in rows {
        let line = row.line;
        let (spans, spans_zh) = if row.last_line > row.line {
            (
                format!(
                    "; a quoted value runs from line {} to line {}: check for a missing or extra quote (\")",
                    row.line, row.last_line
                ),
                format!(
                    "；有一个带引号的值从第 {} 行延续到第 {} 行：请检查是否少了或多了引号（\"）",
                    row.line, row.last_line
                ),
            )
        } else {
            (String::new(), String::new())
        };
        let cells = row.cells.len();
        let message = if cells < header_width {
            Text::both(
                format!(
                    "the row has {cells} cells but the header has {header_width}; check for a missing comma{spans}"
                ),
                format!("这一行有 {cells} 个单元格，而表头有 {header_width} 个；请检查是否少了逗号{spans_zh}"),
            )
        } else if row.cells.iter().skip(header_width).any(|c| !c.is_empty()) {
            Text::both(
                format!(
                    "the row has {cells} cells but the header has {header_width}; check for a comma inside a value (quote it) or a missing header{spans}"
                ),
                format!(
                    "这一行有 {cells} 个单元格，而表头有 {header_width} 个；请检查值里是否有逗号（应给这个值加上引号），或是否缺了列名{spans_zh}"
                ),
            )
        } else {
            kept.push(row);
            continue;
        };
        problems.push(rank, line, InputProblem::new(format!("{file}:{line}"), "", message));
    }
    kept
}

/// Where a quoted value opens and is never closed, read as the csv crate
/// reads (a quote opens a value only at its start; `""` inside is a quote):
/// the byte offset of the opening quote.
fn unclosed_quote(text: &str, delimiter: u8) -> Option<usize> {
    #[derive(Clone, Copy, PartialEq)]
    enum State {
        FieldStart,
        Unquoted,
        Quoted,
        QuoteInQuoted,
    }
    let mut state = State::FieldStart;
    let mut opened = 0usize;
    for (offset, &byte) in text.as_bytes().iter().enumerate() {
        let ends_field = byte == delimiter || byte == b'\n' || byte == b'\r';
        state = match state {
            State::FieldStart if byte == b'"' => {
                opened = offset;
                State::Quoted
            }
            State::FieldStart | State::Unquoted | State::QuoteInQuoted if ends_field => State::FieldStart,
            State::FieldStart | State::Unquoted => State::Unquoted,
            State::Quoted if byte == b'"' => State::QuoteInQuoted,
            State::Quoted => State::Quoted,
            State::QuoteInQuoted if byte == b'"' => State::Quoted,
            State::QuoteInQuoted => State::Unquoted,
        };
    }
    (state == State::Quoted).then_some(opened)
}

/// The first record with more than `max` cells, read as the csv crate reads
/// (a delimiter inside quotes separates nothing; a line end outside quotes
/// ends the record): the byte offset where that record starts.
fn first_wide_record(text: &str, delimiter: u8, max: usize) -> Option<usize> {
    let (mut quoted, mut field_start, mut quote_in_quoted) = (false, true, false);
    let (mut record_start, mut cells) = (0usize, 1usize);
    for (offset, &byte) in text.as_bytes().iter().enumerate() {
        if quoted {
            if byte != b'"' {
                if quote_in_quoted {
                    // `"x"y`: the value goes on unquoted.
                    quoted = false;
                    quote_in_quoted = false;
                } else {
                    continue;
                }
            } else {
                quote_in_quoted = !quote_in_quoted;
                continue;
            }
        }
        if byte == b'\n' || byte == b'\r' {
            (record_start, cells, field_start) = (offset + 1, 1, true);
        } else if byte == delimiter {
            cells += 1;
            field_start = true;
            if cells > max {
                return Some(record_start);
            }
        } else if byte == b'"' && field_start {
            quoted = true;
            field_start = false;
        } else {
            field_start = false;
        }
    }
    None
}

/// The physical line of byte offsets of a text, counted forward from the
/// last offset asked (records come in order), so no table of lines is kept.
struct Lines<'t> {
    bytes: &'t [u8],
    /// An offset and its 1-based line.
    at: (usize, u64),
}

impl<'t> Lines<'t> {
    fn new(text: &'t str) -> Self {
        Lines { bytes: text.as_bytes(), at: (0, 1) }
    }

    /// The 1-based line of a byte offset.
    fn line(&mut self, offset: usize) -> u64 {
        let offset = offset.min(self.bytes.len());
        if offset < self.at.0 {
            self.at = (0, 1);
        }
        let (from, line) = self.at;
        let newlines = self.bytes[from..offset].iter().filter(|&&b| b == b'\n').count() as u64;
        self.at = (offset, line + newlines);
        self.at.1
    }
}

/// Why the csv crate could not read a row or a value, in Chinese (it words
/// it in English).
pub(super) fn csv_error_zh(error: &csv::Error) -> String {
    match error.kind() {
        csv::ErrorKind::Io(io) => crate::io::os_error::os_error_zh(io),
        csv::ErrorKind::Utf8 { .. } => "不是有效的 UTF-8 文字".to_string(),
        csv::ErrorKind::UnequalLengths { expected_len, len, .. } => {
            format!("这一行有 {len} 列，前面的行有 {expected_len} 列")
        }
        csv::ErrorKind::Deserialize { err, .. } => match err.field() {
            Some(field) => format!("第 {} 列的值无法读取", field + 1),
            None => "这一行的值无法读取".to_string(),
        },
        _ => "这一行无法读取".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unclosed_quotes_and_lines() {
        assert_eq!(unclosed_quote("a,\"b\"\"c\",d\r\n\"x,y\n", b','), Some(12));
        assert_eq!(unclosed_quote("a,\"b\"\"c\"\n\"x\ny\",z\n", b','), None);
        assert_eq!(unclosed_quote("a,b\"c\n", b','), None);
        assert_eq!(first_wide_record("a,b,c\nd,e,f,g\n", b',', 3), Some(6));
        assert_eq!(first_wide_record("a,\"b,\n\"\"c\",d\n", b',', 3), None);
        assert_eq!(first_wide_record("a,\"b\"x,y\n", b',', 3), None);
        assert_eq!(first_wide_record("a,\"b\"x,y,z\n", b',', 3), Some(0));
        let mut lines = Lines::new("a\r\nb\r\n\r\nc");
        assert_eq!((lines.line(0), lines.line(3), lines.line(9)), (1, 2, 4));
        assert_eq!(lines.line(1), 1);
    }
}
