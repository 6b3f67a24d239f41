//! One input table — a CSV file or a worksheet — as header-mapped rows of
//! text, with the positions needed to point the user at a cell. Also the
//! collector of problems that keeps them in file order.

use std::collections::{BTreeMap, HashSet};

use crate::domain::normalize_word;
use crate::error::{InputProblem, Text, MOST_LISTED_PROBLEMS};

use super::csv_text::check_csv_widths;
use super::limits::{excel_length, grouped, MAX_CELL_CHARS};

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
    /// Whether a header row was found (else the table has no rows and no columns).
    pub header_found: bool,
    /// Whether every row of the file was read.
    pub complete: bool,
    /// Cells already reported when read (line, cell index): no other message names them.
    noted: HashSet<(u64, usize)>,
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

    /// [`Table::reference`] in Chinese: `第 7 行` or `教师!E7`, to follow
    /// a verb such as 在 or 见.
    pub fn reference_zh(&self, line: u64, column: &str) -> String {
        match &self.origin {
            Origin::Csv { .. } => format!("第 {line} 行"),
            Origin::Sheet { sheet, first_col, .. } => {
                format!("{sheet}!{}{line}", self.letters(*first_col, Some(column)))
            }
        }
    }

    fn letters(&self, first_col: u32, column: Option<&str>) -> String {
        let index = column.and_then(|c| self.columns.get(c)).map(|(i, _)| *i).unwrap_or(0);
        sheet_column(first_col, index)
    }

    /// The location of the whole table: `teachers.csv` or `book.xlsx 教师`.
    pub fn whole(&self) -> String {
        table_location(&self.origin)
    }

    /// Whether the table can be used for references from other tables: it has
    /// a header, was read whole, and has rows.
    pub fn usable(&self) -> bool {
        self.header_found && self.complete && !self.rows.is_empty()
    }

    /// Whether the cell was reported when read (it reads as empty).
    pub fn is_noted(&self, line: u64, column: &str) -> bool {
        self.columns.get(column).is_some_and(|(index, _)| self.noted.contains(&(line, *index)))
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
    /// Problems found past [`MOST_LISTED_PROBLEMS`], counted, not kept.
    more: usize,
    /// Where the first of those is.
    more_from: String,
}

impl Problems {
    /// A problem in a cell of a table. `column` is the canonical name; the
    /// message names the column as the file writes it.
    pub fn cell(&mut self, table: &Table, line: u64, column: &str, message: impl Into<Text>) {
        if table.is_noted(line, column) {
            return;
        }
        if self.counted_past_the_cap(|| table.location(line, Some(column))) {
            return;
        }
        let problem = InputProblem::new(table.location(line, Some(column)), table.header(column), message);
        self.list.push((table.rank, line, problem));
    }

    /// A problem located by hand: file rank, line for sorting, and the problem.
    pub fn push(&mut self, rank: usize, line: u64, problem: InputProblem) {
        if self.counted_past_the_cap(|| problem.location.clone()) {
            return;
        }
        self.list.push((rank, line, problem));
    }

    /// Whether a problem found now is past [`MOST_LISTED_PROBLEMS`]: it is
    /// then only counted (the first such with its `location`).
    fn counted_past_the_cap(&mut self, location: impl FnOnce() -> String) -> bool {
        if self.list.len() < MOST_LISTED_PROBLEMS {
            return false;
        }
        if self.more == 0 {
            self.more_from = location();
        }
        self.more += 1;
        true
    }

    /// Adds the problem, if any.
    fn extend(&mut self, problem: Option<(usize, u64, InputProblem)>) {
        if let Some((rank, line, problem)) = problem {
            self.push(rank, line, problem);
        }
    }

    /// Whether nothing was found.
    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    /// Every problem, in file order, then line, then the order found.
    /// Past [`MOST_LISTED_PROBLEMS`], the first found are kept and one more
    /// problem at the end says how many were left out.
    pub fn into_sorted(mut self) -> Vec<InputProblem> {
        self.list.sort_by_key(|(rank, line, _)| (*rank, *line));
        let mut out: Vec<InputProblem> = self.list.into_iter().map(|(_, _, p)| p).collect();
        if self.more > 0 {
            out.push(InputProblem::new(
                self.more_from,
                "",
                Text::both(
                    format!(
                        "from here on, {} more problems are not listed; correct the ones above and check again",
                        self.more
                    ),
                    format!("从这里起另有 {} 处问题未列出；请先改正以上问题，再重新检查", self.more),
                ),
            ));
        }
        out
    }
}

/// A cell the reader could not take as it is: its position and why. Such a
/// cell reads as empty; the note is reported when the cell is in a column
/// the table uses, instead of any "empty cell" message about it.
#[derive(Clone, Debug)]
pub(crate) struct CellNote {
    /// The cell's line (CSV) or sheet row.
    pub line: u64,
    /// The cell's index in its row.
    pub index: usize,
    /// What is wrong and what to do.
    pub message: Text,
}

/// One row of a raw table.
#[derive(Clone, Debug)]
pub(crate) struct RawRow {
    /// The physical line (CSV) or sheet row where the row starts.
    pub line: u64,
    /// The physical line where it ends (a quoted CSV value may span lines).
    pub last_line: u64,
    pub cells: csv::StringRecord,
}

/// Raw cells of a table before the header is mapped.
pub(crate) struct RawTable {
    pub origin: Origin,
    pub rank: usize,
    /// Every non-empty row, header first.
    pub rows: Vec<RawRow>,
    /// Cells read as empty, with the reason.
    pub notes: Vec<CellNote>,
    /// Whether every row was read (not when reading stopped at a problem).
    pub complete: bool,
}

/// The letters of a cell index of a worksheet whose range starts at `first_col`.
pub(crate) fn sheet_column(first_col: u32, index: usize) -> String {
    column_letters(u32::try_from(index).unwrap_or(u32::MAX).saturating_add(first_col))
}

/// The location of a header cell: `teachers.csv:1` or `book.xlsx 教师!C1`.
pub(crate) fn header_location(origin: &Origin, header_line: u64, index: usize) -> String {
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

/// How many cells of a row name a known column.
fn known_headers(cells: &csv::StringRecord, columns: &[Column]) -> usize {
    cells.iter().filter(|c| match_header(c, columns).is_some()).count()
}

/// The columns a table expects, for a message: `teacher_id (教师编号), name (姓名), …`.
fn expected_columns(columns: &[Column]) -> String {
    columns
        .iter()
        .filter(|c| c.required)
        .map(|c| match c.aliases.first() {
            Some(alias) => format!("{} ({alias})", c.name),
            None => c.name.to_string(),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// The location of a whole table: `teachers.csv` or `book.xlsx 教师`.
fn table_location(origin: &Origin) -> String {
    match origin {
        Origin::Csv { file } => file.clone(),
        Origin::Sheet { book, sheet, .. } => format!("{book} {sheet}"),
    }
}

/// A cell's text cut to a length fit for a message.
fn excerpt(text: &str) -> String {
    const LONGEST: usize = 40;
    if text.chars().count() <= LONGEST {
        text.to_string()
    } else {
        format!("{}…", text.chars().take(LONGEST).collect::<String>())
    }
}

/// The row holding the header: in a CSV file the first line; in a worksheet
/// the first of the first rows that names two known columns (a title row may
/// sit above it), else the first row if it names one. `Err` is the one
/// problem reported for the whole table when there is no header.
fn find_header(origin: &Origin, rows: &[RawRow], columns: &[Column]) -> Result<usize, Text> {
    let expected = expected_columns(columns);
    match origin {
        Origin::Csv { .. } => {
            if rows.first().is_some_and(|row| known_headers(&row.cells, columns) > 0) {
                return Ok(0);
            }
            let first = rows.first().map(|row| row.cells.iter().collect::<Vec<_>>().join(",")).unwrap_or_default();
            let below = rows.iter().take(10).skip(1).find(|row| known_headers(&row.cells, columns) >= 2);
            let first = excerpt(first.trim_matches(','));
            Err(match below {
                Some(header) => Text::both(
                    format!(
                        "the first line \"{first}\" is not the header; the header is on line {}: delete the line(s) above it, so the header is line 1",
                        header.line
                    ),
                    format!(
                        "第 1 行「{first}」不是表头；表头在第 {} 行：请删去它上面的行，让表头成为第 1 行",
                        header.line
                    ),
                ),
                None => Text::both(
                    format!(
                        "no header found: the first line \"{first}\" names none of the columns; line 1 must name the columns {expected}"
                    ),
                    format!("找不到表头：第 1 行「{first}」不是任何一列的列名；第 1 行须写明这些列：{expected}"),
                ),
            })
        }
        Origin::Sheet { .. } => {
            if let Some(at) = rows.iter().take(10).position(|row| known_headers(&row.cells, columns) >= 2) {
                return Ok(at);
            }
            if rows.first().is_some_and(|row| known_headers(&row.cells, columns) > 0) {
                return Ok(0);
            }
            Err(Text::both(
                format!("no header row found in the first 10 rows; the header row must name the columns {expected}"),
                format!("前 10 行中找不到表头行；表头行须写明这些列：{expected}"),
            ))
        }
    }
}

/// Maps the header of a raw table onto `columns`; unknown columns become
/// warnings, missing required columns and repeated columns become problems.
/// A table without a header gives one problem and no rows.
pub(crate) fn map_header(
    raw: RawTable,
    columns: &[Column],
    problems: &mut Problems,
    warnings: &mut Vec<Text>,
) -> Table {
    let RawTable { origin, rank, rows, notes, complete } = raw;
    let header_at = match header_row(&origin, rank, &rows, complete, columns) {
        Ok(at) => at,
        Err(problem) => {
            problems.extend(problem);
            return Table::empty(origin, rank, complete);
        }
    };
    let mut rows = rows.into_iter().skip(header_at);
    let header = rows.next().map(|row| (row.line, row.cells));
    let (header_line, header_cells) = header.unwrap_or((1, csv::StringRecord::new()));
    let mut data: Vec<RawRow> = rows.collect();
    if let Origin::Csv { file } = &origin {
        data = check_csv_widths(file, rank, header_cells.len(), data, problems);
    }
    let mut table = Table::empty(origin, rank, complete);
    table.header_found = true;
    table.map_columns(header_line, &header_cells, columns, problems, warnings);
    table.note_cells(header_line, notes, problems);
    table.drop_stray_rows(&mut data, warnings);
    table.rows = data.into_iter().map(|row| Row { line: row.line, cells: row.cells }).collect();
    table
}

/// The index of the header among the rows, or the one problem of a table
/// without one (none when reading already stopped at a reported problem).
fn header_row(
    origin: &Origin,
    rank: usize,
    rows: &[RawRow],
    complete: bool,
    columns: &[Column],
) -> Result<usize, Option<(usize, u64, InputProblem)>> {
    if rows.is_empty() {
        if !complete {
            // Reading stopped at a problem already reported (an unclosed
            // quote on the first line, a line too wide): that is the message.
            return Err(None);
        }
        let (what, what_zh) =
            if matches!(origin, Origin::Csv { .. }) { ("file", "文件") } else { ("sheet", "工作表") };
        let message = Text::both(
            format!("the {what} is empty; it needs a header row and one row per record"),
            format!("{what_zh}是空的；需要一行表头，每条记录一行"),
        );
        return Err(Some((rank, 0, InputProblem::new(table_location(origin), "", message))));
    }
    find_header(origin, rows, columns).map_err(|message| {
        let location = match origin {
            Origin::Csv { file } => format!("{file}:1"),
            Origin::Sheet { .. } => table_location(origin),
        };
        Some((rank, 0, InputProblem::new(location, "", message)))
    })
}

impl Table {
    /// A table with no header and no rows yet.
    fn empty(origin: Origin, rank: usize, complete: bool) -> Table {
        Table {
            origin,
            rank,
            columns: BTreeMap::new(),
            rows: Vec::new(),
            header_found: false,
            complete,
            noted: HashSet::new(),
        }
    }

    /// Maps the header cells onto `columns`: a repeated or missing required
    /// column is a problem, an unknown one a warning.
    fn map_columns(
        &mut self,
        header_line: u64,
        header_cells: &csv::StringRecord,
        columns: &[Column],
        problems: &mut Problems,
        warnings: &mut Vec<Text>,
    ) {
        let rank = self.rank;
        let mut unknown = Vec::new();
        for (index, header) in header_cells.iter().enumerate() {
            if header.is_empty() {
                continue;
            }
            match match_header(header, columns) {
                Some(column) => {
                    if let Some((first, first_header)) = self.columns.get(column.name) {
                        let first_at = match &self.origin {
                            Origin::Csv { .. } => first.saturating_add(1).to_string(),
                            Origin::Sheet { first_col, .. } => sheet_column(*first_col, *first),
                        };
                        let message = Text::both(
                            format!("column given twice (first as \"{first_header}\" in column {first_at}); keep one"),
                            format!("这一列出现了两次（第一次是第 {first_at} 列「{first_header}」）；请只保留一列"),
                        );
                        let location = header_location(&self.origin, header_line, index);
                        problems.push(rank, header_line, InputProblem::new(location, header, message));
                    } else {
                        self.columns.insert(column.name, (index, header.to_string()));
                    }
                }
                None => unknown.push((index, header.to_string())),
            }
        }
        for (index, header) in unknown {
            let location = header_location(&self.origin, header_line, index);
            warnings.push(Text::both(
                format!("{location}: unknown column \"{header}\" is ignored"),
                format!("{location}: 未知的列「{header}」，已忽略"),
            ));
        }
        for column in columns.iter().filter(|c| c.required && !self.columns.contains_key(c.name)) {
            let also =
                if column.aliases.is_empty() { String::new() } else { format!(" (or {})", column.aliases.join(", ")) };
            let also_zh = if column.aliases.is_empty() {
                String::new()
            } else {
                format!("（或 {}）", column.aliases.join("、"))
            };
            let message = Text::both(
                format!("required column is missing; add a column headed {}{also}", column.name),
                format!("缺少必需的列；请加一列，列名为 {}{also_zh}", column.name),
            );
            problems.push(rank, header_line, InputProblem::new(self.location(header_line, None), column.name, message));
        }
    }

    /// Reports the cells that could not be read, in the header or in a
    /// column the table uses, and marks them noted.
    fn note_cells(&mut self, header_line: u64, notes: Vec<CellNote>, problems: &mut Problems) {
        let used = self.used_columns();
        for note in notes {
            let heading = if note.line == header_line { Some(String::new()) } else { used.get(&note.index).cloned() };
            let Some(heading) = heading.filter(|_| note.line >= header_line) else { continue };
            let location = header_location(&self.origin, note.line, note.index);
            problems.push(self.rank, note.line, InputProblem::new(location, heading, note.message));
            self.noted.insert((note.line, note.index));
        }
    }

    /// The cell index of every mapped column, with its header as written.
    fn used_columns(&self) -> BTreeMap<usize, String> {
        self.columns.values().map(|(i, h)| (*i, h.clone())).collect()
    }

    /// In a worksheet, a row whose only values lie in columns without a
    /// header (a stray cell far right or far down) is not a record.
    fn drop_stray_rows(&self, data: &mut Vec<RawRow>, warnings: &mut Vec<Text>) {
        let Origin::Sheet { book, sheet, first_col } = &self.origin else { return };
        let indices: Vec<usize> = self.used_columns().keys().copied().collect();
        let noted_lines: HashSet<u64> = self.noted.iter().map(|(line, _)| *line).collect();
        data.retain(|row| {
            let has_value = indices.iter().any(|&i| row.cells.get(i).is_some_and(|c| !c.is_empty()))
                || noted_lines.contains(&row.line);
            if !has_value {
                if let Some(index) = row.cells.iter().position(|c| !c.is_empty()) {
                    let cell = format!("{book} {sheet}!{}{}", sheet_column(*first_col, index), row.line);
                    warnings.push(Text::both(
                        format!("{cell}: the row has values only in columns without a header; it is ignored"),
                        format!("{cell}: 这一行只在没有列名的列里有值，已忽略"),
                    ));
                }
            }
            has_value
        });
    }
}

/// The message for a text over [`MAX_CELL_CHARS`] characters as Excel
/// counts them; when that count differs from the characters seen (emoji or
/// rare characters count as two), both are given.
pub(crate) fn too_long(text: &str) -> Text {
    let units = grouped(excel_length(text) as u64);
    let chars = grouped(text.chars().count() as u64);
    let (counted, counted_zh) = if units == chars {
        (format!("{units} characters"), format!("{units} 个字符"))
    } else {
        (
            format!(
                "{units} characters as Excel counts them ({chars} characters, an emoji or a rare character counting as two)"
            ),
            format!("按 Excel 的算法 {units} 个字符（实为 {chars} 个字符，表情符号或生僻字算作两个）"),
        )
    };
    let most = grouped(MAX_CELL_CHARS as u64);
    Text::both(
        format!("the cell holds {counted}; a cell may hold at most {most} (Excel's limit); shorten it"),
        format!("单元格里有 {counted_zh}；一个单元格最多 {most} 个字符（Excel 的上限）；请缩短"),
    )
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
