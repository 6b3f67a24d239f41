//! The checks on a workbook's zip archive before calamine reads it: sizes,
//! shared strings, and cell references beyond what Excel allows.

use std::io::{BufReader, Cursor, Read};

use super::limits::{grouped, MAX_COLUMNS, MAX_SHEET_ROW, MAX_UNPACKED_BYTES};
use super::workbook::{OpenError, MAX_SHARED_STRINGS};
use crate::error::Text;

/// Unpacks every part of the archive once, counting: the parts together at
/// most [`MAX_UNPACKED_BYTES`], the shared strings at most [`MAX_SHARED_STRINGS`]
/// (calamine reserves room for as many as the file declares).
pub(super) fn check_archive(bytes: &[u8]) -> Result<(), OpenError> {
    // The zip layer: the file is no .xlsx, or it is damaged.
    let unreadable = |e: &dyn std::fmt::Display| {
        OpenError::Unreadable(None, e.to_string(), super::workbook::NOT_A_ZIP_ZH.to_string())
    };
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| unreadable(&e))?;
    let too_large = || {
        let most = grouped(MAX_UNPACKED_BYTES);
        OpenError::Refused(Text::both(
            format!(
                "the workbook unpacks to more than {most} bytes, the most rotaplan reads; save only the sheets it needs in a new workbook"
            ),
            format!("工作簿解压后超过 {most} 字节，这是 rotaplan 能读的上限；请只把需要的工作表另存到一个新工作簿"),
        ))
    };
    let mut unpacked: u64 = 0;
    let mut shared_strings = None;
    let mut beyond = None;
    for index in 0..archive.len() {
        let mut part = archive.by_index(index).map_err(|e| unreadable(&e))?;
        let name = part.name().map_err(|e| unreadable(&e))?.to_string();
        let lower = name.to_ascii_lowercase();
        if lower.ends_with("sharedstrings.xml") {
            shared_strings = Some(index);
        }
        let left = MAX_UNPACKED_BYTES - unpacked;
        let mut limited = Counted { inner: (&mut part).take(left + 1), read: 0 };
        if beyond.is_none() && lower.starts_with("xl/worksheets/") && lower.ends_with(".xml") {
            beyond = first_reference_beyond(&mut limited).map(|found| (name, found));
        }
        std::io::copy(&mut limited, &mut std::io::sink()).map_err(|e| unreadable(&e))?;
        if limited.read > left {
            return Err(too_large());
        }
        unpacked += limited.read;
    }
    if let Some((part, found)) = beyond {
        let sheet = sheet_of_part(&mut archive, &part).unwrap_or(part);
        return Err(OpenError::Refused(beyond_excel(&sheet, &found)));
    }
    if let Some(index) = shared_strings {
        let part = archive.by_index(index).map_err(|e| unreadable(&e))?;
        let count = count_shared_strings(part).map_err(|e| unreadable(&e))?;
        if count > MAX_SHARED_STRINGS {
            let most = grouped(MAX_SHARED_STRINGS);
            return Err(OpenError::Refused(Text::both(
                format!("the workbook holds (or declares) more than {most} different texts, the most rotaplan reads"),
                format!("工作簿含有（或声明含有）超过 {most} 种不同的文字，这是 rotaplan 能读的上限"),
            )));
        }
    }
    Ok(())
}

/// A reader that counts the bytes read through it.
struct Counted<R> {
    inner: R,
    read: u64,
}

impl<R: Read> Read for Counted<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.read += n as u64;
        Ok(n)
    }
}

/// A cell reference as written in a sheet (`B7`, or a row's bare `7`):
/// its 1-based column (0 when absent) and row, saturating (calamine wraps
/// them to 32 bits, so a row 99999999999 would read as row 1215752191).
fn parse_reference(reference: &[u8]) -> Option<(u64, u64)> {
    let letters = reference.iter().take_while(|b| b.is_ascii_alphabetic()).count();
    let digits = &reference[letters..];
    if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let number = |acc: u64, d: u64, base: u64| acc.saturating_mul(base).saturating_add(d);
    let col =
        reference[..letters].iter().fold(0u64, |acc, b| number(acc, u64::from(b.to_ascii_uppercase() - b'A') + 1, 26));
    let row = digits.iter().fold(0u64, |acc, b| number(acc, u64::from(b - b'0'), 10));
    Some((col, row))
}

/// The first cell or row reference of a worksheet part beyond Excel's last
/// column (XFD) or row (1,048,576), as written. A part that is not XML is
/// left to calamine to report.
fn first_reference_beyond(part: impl Read) -> Option<Beyond> {
    use quick_xml::events::Event;
    let mut xml = quick_xml::Reader::from_reader(BufReader::new(part));
    let config = xml.config_mut();
    config.check_end_names = false;
    config.check_comments = false;
    let mut buf = Vec::new();
    loop {
        buf.clear();
        match xml.read_event_into(&mut buf) {
            Ok(Event::Start(e) | Event::Empty(e)) if matches!(e.local_name().as_ref(), "c" | "row") => {
                let Some(reference) = e.attributes().flatten().find(|a| a.key.local_name().as_ref() == "r") else {
                    continue;
                };
                let Some((col, row)) = parse_reference(reference.value.trim().as_bytes()) else { continue };
                if col > MAX_COLUMNS as u64 || row > MAX_SHEET_ROW {
                    return Some(Beyond { reference: reference.value.trim().to_string(), col, row });
                }
            }
            Ok(Event::Eof) | Err(_) => return None,
            Ok(_) => {}
        }
    }
}

/// The name of the sheet a worksheet part holds, from xl/workbook.xml and
/// its relationships; `None` if they cannot be read.
fn sheet_of_part(archive: &mut zip::ZipArchive<Cursor<&[u8]>>, part: &str) -> Option<String> {
    use quick_xml::events::Event;
    let mut attributes_of = |file: &str, element: &str, keys: [&str; 2]| -> Option<Vec<[String; 2]>> {
        let part = archive.by_name(file).ok()?;
        let mut xml = quick_xml::Reader::from_reader(BufReader::new(part.take(MAX_UNPACKED_BYTES)));
        let mut buf = Vec::new();
        let mut found = Vec::new();
        loop {
            buf.clear();
            match xml.read_event_into(&mut buf).ok()? {
                Event::Start(e) | Event::Empty(e) if e.local_name().as_ref() == element => {
                    let mut pair = [String::new(), String::new()];
                    for attribute in e.attributes().flatten() {
                        for (slot, wanted) in keys.iter().enumerate() {
                            if attribute.key.local_name().as_ref() == *wanted {
                                pair[slot] =
                                    attribute.normalized_value(quick_xml::XmlVersion::default()).ok()?.into_owned();
                            }
                        }
                    }
                    found.push(pair);
                }
                Event::Eof => return Some(found),
                _ => {}
            }
        }
    };
    let sheets = attributes_of("xl/workbook.xml", "sheet", ["name", "id"])?;
    let targets = attributes_of("xl/_rels/workbook.xml.rels", "Relationship", ["Id", "Target"])?;
    let target = targets.into_iter().find(|[_, target]| {
        let path = target.strip_prefix('/').map_or_else(|| format!("xl/{target}"), str::to_string);
        path.eq_ignore_ascii_case(part)
    })?;
    sheets.into_iter().find(|[_, id]| *id == target[0]).map(|[name, _]| name)
}

/// A cell or row reference beyond Excel's sheet: as written, and its
/// 1-based column (0 for a row's reference) and row, saturating.
pub(super) struct Beyond {
    pub(super) reference: String,
    pub(super) col: u64,
    pub(super) row: u64,
}

/// The message for a cell beyond Excel's sheet (A1:XFD1048576).
pub(super) fn beyond_excel(sheet: &str, beyond: &Beyond) -> Text {
    let (reference, row, last_row) = (&beyond.reference, grouped(beyond.row), grouped(MAX_SHEET_ROW));
    let (what, limit, what_zh, limit_zh) = if beyond.col > MAX_COLUMNS as u64 {
        (
            format!("a cell at {reference}"),
            "Excel's last column, XFD".to_string(),
            format!("单元格 {reference}"),
            "Excel 的最后一列 XFD".to_string(),
        )
    } else if beyond.col > 0 {
        (
            format!("a cell at {reference} (row {row})"),
            format!("Excel's last row, {last_row}"),
            format!("单元格 {reference}（第 {row} 行）"),
            format!("Excel 的最后一行（第 {last_row} 行）"),
        )
    } else {
        (
            format!("a row numbered {row}"),
            format!("Excel's last row, {last_row}"),
            format!("第 {row} 行"),
            format!("Excel 的最后一行（第 {last_row} 行）"),
        )
    };
    Text::both(
        format!(
            "sheet \"{sheet}\" has {what}, beyond {limit}; rotaplan reads only cells Excel can hold (A1 to XFD{MAX_SHEET_ROW}); delete that cell, or open the workbook in Excel or WPS and save it again"
        ),
        format!(
            "工作表「{sheet}」有{what_zh}，超出了{limit_zh}；rotaplan 只读 Excel 能容纳的单元格（A1 到 XFD{MAX_SHEET_ROW}）；请删去那个单元格，或用 Excel 或 WPS 打开工作簿后重新保存"
        ),
    )
}

/// The larger of the shared strings a part declares (`uniqueCount`) and holds (`<si>`).
fn count_shared_strings(part: impl Read) -> Result<u64, quick_xml::Error> {
    use quick_xml::events::Event;
    let mut xml = quick_xml::Reader::from_reader(BufReader::new(part));
    let config = xml.config_mut();
    config.check_end_names = false;
    config.check_comments = false;
    let mut buf = Vec::new();
    let (mut declared, mut held) = (0u64, 0u64);
    loop {
        buf.clear();
        match xml.read_event_into(&mut buf)? {
            Event::Start(e) | Event::Empty(e) => match e.local_name().as_ref() {
                "sst" => {
                    for attribute in e.attributes().flatten() {
                        if attribute.key.local_name().as_ref() == "uniqueCount" {
                            let text = attribute.value.trim().to_string();
                            declared = text.parse().unwrap_or(if text.is_empty() { 0 } else { u64::MAX });
                        }
                    }
                }
                "si" => held += 1,
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(declared.max(held))
}
