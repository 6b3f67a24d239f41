//! Turning the bytes of a text file into text: strict UTF-8 first (a BOM is
//! dropped), then GB18030, the superset of GBK that Chinese Excel writes.
//! Excel's "Unicode text" (UTF-16 with a BOM) is read as well.
//!
//! A file is decoded whole in one encoding. A file that is UTF-8 except
//! for a few lines (a row pasted from a GBK file) is refused, naming the
//! first such line, rather than read whole as GB18030 into garbled text;
//! so is a GBK file with a line of UTF-8 Chinese (a row pasted from a
//! UTF-8 file), and a file neither UTF-8 nor GBK names its first line that
//! is not GBK.

use encoding_rs::{GB18030, UTF_16BE, UTF_16LE};

use crate::error::Text;

/// Why a file is not text: the message, and the physical line (1-based) it is about, if any.
#[derive(Debug)]
pub(crate) struct DecodeError {
    pub line: Option<u64>,
    pub message: Text,
}

impl DecodeError {
    fn file(message: impl Into<Text>) -> Self {
        DecodeError { line: None, message: message.into() }
    }
}

/// The physical line (1-based) of a byte offset.
fn line_of(bytes: &[u8], offset: usize) -> u64 {
    let before = &bytes[..offset.min(bytes.len())];
    before.iter().filter(|&&b| b == b'\n').count() as u64 + 1
}

/// Whether a line is valid UTF-8 holding a Chinese character: a line of a
/// UTF-8 file, which a GBK line almost never is by chance.
fn has_utf8_chinese(line: &[u8]) -> bool {
    std::str::from_utf8(line).is_ok_and(|text| text.chars().any(|c| ('\u{4E00}'..='\u{9FFF}').contains(&c)))
}

/// The text of a file, or why it is not text.
pub(crate) fn decode_text(bytes: &[u8]) -> Result<String, DecodeError> {
    if let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        return std::str::from_utf8(rest).map(str::to_owned).map_err(|e| DecodeError {
            line: Some(line_of(rest, e.valid_up_to())),
            message: Text::both(
                "the file starts with a UTF-8 mark but this line is not UTF-8; retype the line or save the file again as \"CSV UTF-8\"",
                "文件开头标明是 UTF-8，但这一行不是 UTF-8；请重新输入这一行，或把文件另存为「CSV UTF-8」",
            ),
        });
    }
    for (mark, encoding) in [(&[0xFF, 0xFE], UTF_16LE), (&[0xFE, 0xFF], UTF_16BE)] {
        if let Some(rest) = bytes.strip_prefix(mark) {
            return encoding
                .decode_without_bom_handling_and_without_replacement(rest)
                .map(|text| text.into_owned())
                .ok_or_else(|| {
                    DecodeError::file(Text::both(
                        "the file starts with a UTF-16 mark but is not UTF-16 text",
                        "文件开头标明是 UTF-16，但内容不是 UTF-16 文本",
                    ))
                });
        }
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        return Ok(text.to_owned());
    }
    decode_legacy(bytes)
}

/// A file that is not UTF-8 as a whole: GBK, unless most lines with
/// Chinese are UTF-8 (then the others were pasted in from a GBK file).
fn decode_legacy(bytes: &[u8]) -> Result<String, DecodeError> {
    // Not UTF-8 as a whole: GBK, unless most lines with Chinese are UTF-8.
    let mut utf8_chinese_lines = 0usize;
    let mut other_lines = 0usize;
    let mut first_other: Option<usize> = None;
    let mut first_utf8_chinese: Option<usize> = None;
    let mut start = 0usize;
    for line in bytes.split(|&b| b == b'\n') {
        if std::str::from_utf8(line).is_err() {
            other_lines += 1;
            first_other.get_or_insert(start);
        } else if has_utf8_chinese(line) {
            utf8_chinese_lines += 1;
            first_utf8_chinese.get_or_insert(start);
        }
        start += line.len() + 1;
    }
    if utf8_chinese_lines >= other_lines {
        let offset = first_other.unwrap_or(0);
        let message = Text::both(
            format!(
                "this line is not UTF-8 while the file's other lines are ({other_lines} such line{}; perhaps rows pasted from a GBK file); retype the line or save the whole file again as \"CSV UTF-8\"",
                if other_lines == 1 { "" } else { "s" }
            ),
            format!(
                "这一行不是 UTF-8，而文件的其他行是（共 {other_lines} 行如此，可能是从 GBK 文件粘贴来的行）；请重新输入这一行，或把整个文件另存为「CSV UTF-8」"
            ),
        );
        return Err(DecodeError { line: Some(line_of(bytes, offset)), message });
    }
    // GBK, but a line is UTF-8 with Chinese (a row pasted from a UTF-8
    // file): it would decode into garbled text, or not at all.
    if let Some(offset) = first_utf8_chinese {
        let message = Text::both(
            format!(
                "this line is UTF-8 while the file's other lines are GB18030/GBK ({utf8_chinese_lines} such line{}; perhaps rows pasted from a UTF-8 file); retype the line or save the whole file again as \"CSV UTF-8\"",
                if utf8_chinese_lines == 1 { "" } else { "s" }
            ),
            format!(
                "这一行是 UTF-8，而文件的其他行是 GB18030/GBK（共 {utf8_chinese_lines} 行如此，可能是从 UTF-8 文件粘贴来的行）；请重新输入这一行，或把整个文件另存为「CSV UTF-8」"
            ),
        );
        return Err(DecodeError { line: Some(line_of(bytes, offset)), message });
    }
    decode_gb18030(bytes)
}

/// GB18030/GBK text, or the first line that is not.
fn decode_gb18030(bytes: &[u8]) -> Result<String, DecodeError> {
    GB18030.decode_without_bom_handling_and_without_replacement(bytes).map(|text| text.into_owned()).ok_or_else(|| {
        // Name the first line that is not GB18030 (a GB18030 trail byte is
        // never a line feed, so the file splits into lines safely).
        let bad = bytes
            .split(|&b| b == b'\n')
            .enumerate()
            .find(|(_, line)| GB18030.decode_without_bom_handling_and_without_replacement(line).is_none());
        match bad {
            Some((index, line)) => {
                let utf8 = std::str::from_utf8(line).is_ok();
                DecodeError {
                    line: Some(index as u64 + 1),
                    message: Text::both(
                        format!(
                            "the file is neither UTF-8 nor GB18030/GBK text: this is its first line that is not GB18030/GBK{}; retype the line or save the whole file again as \"CSV UTF-8\"",
                            if utf8 { " (it is UTF-8)" } else { "" }
                        ),
                        format!(
                            "文件既不是 UTF-8 也不是 GB18030/GBK 文本：这是它第一个不是 GB18030/GBK 的行{}；请重新输入这一行，或把整个文件另存为「CSV UTF-8」",
                            if utf8 { "（这一行是 UTF-8）" } else { "" }
                        ),
                    ),
                }
            }
            None => DecodeError::file(Text::both(
                "the file is neither UTF-8 nor GB18030/GBK text; save it again as \"CSV UTF-8\"",
                "文件既不是 UTF-8 也不是 GB18030/GBK 文本；请把它另存为「CSV UTF-8」",
            )),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_bom_and_gb18030() {
        assert_eq!(decode_text("学校,a".as_bytes()).unwrap(), "学校,a");
        assert_eq!(decode_text(b"\xEF\xBB\xBFid").unwrap(), "id");
        let (gbk, _, _) = GB18030.encode("任教学科,数学");
        assert_eq!(decode_text(&gbk).unwrap(), "任教学科,数学");
        assert!(decode_text(b"\xFF\xFF\x80").is_err());
    }

    #[test]
    fn a_gbk_line_in_a_utf8_file_is_named() {
        let mut bytes = "教师编号,姓名\n1001,张伟\n".as_bytes().to_vec();
        bytes.extend_from_slice(&GB18030.encode("1002,王芳\r\n").0);
        bytes.extend_from_slice("1003,李娜\n".as_bytes());
        let error = decode_text(&bytes).unwrap_err();
        assert_eq!(error.line, Some(3));
    }
}
