//! The bounds of what the readers accept, so that no input file, however
//! built, makes rotaplan use memory or time out of proportion to a county
//! (docs/data-format.md lists them for users), and the reading of one input
//! file: a regular file only (never a pipe, device or folder, which could
//! block or never end), at most [`MAX_FILE_BYTES`] long.

use std::io::Read;
use std::path::Path;

use crate::error::Text;

/// The largest input file read (CSV, TOML, xlsx, an edited plan list): 100 MB.
/// A county of 10,000 teachers is about 2 MB as CSV.
pub(crate) const MAX_FILE_BYTES: u64 = 100_000_000;

/// The most rows of one table (CSV lines or sheet rows with a value).
pub(crate) const MAX_ROWS: usize = 1_000_000;

/// The most cells of one table, counted up to each row's last filled cell.
pub(crate) const MAX_CELLS: usize = 20_000_000;

/// The most rows of applications.csv and of family.csv per teacher of
/// teachers.csv: an application is one teacher's, and a county's family ties
/// join fewer pairs than it has teachers. A longer table is refused whole,
/// before its rows are read, so that a runaway file gives one message.
pub(crate) const MOST_ROWS_PER_TEACHER: usize = 1;

/// Most sheets a workbook may list (a county's workbook holds a handful).
pub(crate) const MAX_SHEETS: usize = 255;

/// The most cells of one row (CSV line or sheet row): Excel's 16,384
/// columns, A to XFD. A sheet cell beyond column XFD or row 1,048,576
/// (Excel's last) is refused as well, naming the cell.
pub(crate) const MAX_COLUMNS: usize = 16_384;

/// Excel's last row, 1-based.
pub(crate) const MAX_SHEET_ROW: u64 = 1_048_576;

/// The longest text of one cell, in characters as Excel counts them
/// ([`excel_length`]): Excel's own limit, so that every value read fits in
/// a cell of plan.xlsx.
pub(crate) const MAX_CELL_CHARS: usize = 32_767;

/// The length of a text as Excel counts it: in UTF-16 code units, so a
/// character beyond the Basic Multilingual Plane (an emoji, a rare CJK
/// character) counts as two.
pub(crate) fn excel_length(text: &str) -> usize {
    text.encode_utf16().count()
}

/// The most bytes the parts of an .xlsx workbook (a zip archive) may unpack to.
pub(crate) const MAX_UNPACKED_BYTES: u64 = 500_000_000;

/// The most text, in bytes, the cells of one workbook may hold together
/// (a shared string used by many cells counts each time).
pub(crate) const MAX_WORKBOOK_TEXT_BYTES: usize = 500_000_000;

/// A number with thousands separators, for messages: 1000000 → "1,000,000".
pub(crate) fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// The message for an input file over [`MAX_FILE_BYTES`].
pub(crate) fn too_large_text() -> Text {
    Text::both(
        format!(
            "the file is larger than {} bytes, the most rotaplan reads; split the data or remove what is not needed",
            grouped(MAX_FILE_BYTES)
        ),
        format!("文件超过 {} 字节，这是 rotaplan 能读的上限；请拆分数据，或删去用不到的内容", grouped(MAX_FILE_BYTES)),
    )
}

/// Why an input file could not be read.
pub(crate) enum ReadFailure {
    /// The path names nothing.
    NotFound,
    /// An input problem: a sentence for the user.
    Refused(Text),
    /// A failure of the machine.
    Io(std::io::Error),
}

/// Reads an input file's bytes: only a regular file (checked before it is
/// opened, so a pipe or a device never blocks the run), at most
/// [`MAX_FILE_BYTES`] long (also checked while reading, for a file that grows).
pub(crate) fn read_input_file(path: &Path) -> Result<Vec<u8>, ReadFailure> {
    let metadata = match std::fs::metadata(path) {
        Ok(metadata) => metadata,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Err(ReadFailure::NotFound),
        Err(error) => return Err(ReadFailure::Io(error)),
    };
    if !metadata.is_file() {
        let (what, what_zh) = if metadata.is_dir() {
            ("a folder", "是一个文件夹")
        } else {
            ("not a regular file (a pipe, device or socket)", "不是普通文件（是管道、设备或套接字）")
        };
        return Err(ReadFailure::Refused(Text::both(
            format!("is {what}; give a file saved on disk"),
            format!("{what_zh}；请给出保存在磁盘上的文件"),
        )));
    }
    let too_large = || ReadFailure::Refused(too_large_text());
    if metadata.len() > MAX_FILE_BYTES {
        return Err(too_large());
    }
    let file = std::fs::File::open(path).map_err(ReadFailure::Io)?;
    let mut bytes = Vec::with_capacity(usize::try_from(metadata.len()).unwrap_or(0));
    file.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes).map_err(ReadFailure::Io)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(too_large());
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grouped_numbers() {
        assert_eq!(grouped(0), "0");
        assert_eq!(grouped(999), "999");
        assert_eq!(grouped(1000), "1,000");
        assert_eq!(grouped(32_767), "32,767");
        assert_eq!(grouped(100_000_000), "100,000,000");
    }
}
