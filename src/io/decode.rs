//! Turning the bytes of a text file into text: strict UTF-8 first (a BOM is
//! dropped), then GB18030, the superset of GBK that Chinese Excel writes.
//! Excel's "Unicode text" (UTF-16 with a BOM) is read as well.

use encoding_rs::{GB18030, UTF_16BE, UTF_16LE};

/// The text of a file, or a sentence saying why it is not text.
pub(crate) fn decode_text(bytes: &[u8]) -> Result<String, String> {
    if let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        return std::str::from_utf8(rest).map(str::to_owned).map_err(|e| {
            format!(
                "the file starts with a UTF-8 mark but byte {} is not UTF-8; save it again as \"CSV UTF-8\"",
                e.valid_up_to().saturating_add(4)
            )
        });
    }
    for (mark, encoding) in [(&[0xFF, 0xFE], UTF_16LE), (&[0xFE, 0xFF], UTF_16BE)] {
        if let Some(rest) = bytes.strip_prefix(mark) {
            return encoding
                .decode_without_bom_handling_and_without_replacement(rest)
                .map(|text| text.into_owned())
                .ok_or_else(|| "the file starts with a UTF-16 mark but is not UTF-16 text".to_string());
        }
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        return Ok(text.to_owned());
    }
    GB18030
        .decode_without_bom_handling_and_without_replacement(bytes)
        .map(|text| text.into_owned())
        .ok_or_else(|| "the file is neither UTF-8 nor GB18030/GBK text; save it again as \"CSV UTF-8\"".to_string())
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
}
