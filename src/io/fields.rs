//! Reading one cell's text as a value: whole numbers, years, yes/no,
//! exact decimals, coordinates and the words of the domain enums (with a
//! "did you mean" for a misspelt word). Errors are sentences for HR staff,
//! in English and Chinese.

use crate::domain::{normalize_word, Exact};
use crate::error::Text;
use crate::exact::parse_exact;

/// The year of a date written `2025-01-01` or `2025/1/1`, with or without a
/// time after it (a date cell of a workbook reads this way, and Excel
/// writes date cells so into CSV).
fn date_year(text: &str) -> Option<i32> {
    let date = text.split([' ', 'T']).next()?;
    let parts: Vec<&str> = date.split(['-', '/']).collect();
    let [year, month, day] = parts.as_slice() else { return None };
    let digits =
        |s: &str, len: std::ops::RangeInclusive<usize>| len.contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit());
    if !(digits(year, 4..=4) && digits(month, 1..=2) && digits(day, 1..=2)) {
        return None;
    }
    let (month, day): (u32, u32) = (month.parse().ok()?, day.parse().ok()?);
    ((1..=12).contains(&month) && (1..=31).contains(&day)).then(|| year.parse().ok()).flatten()
}

/// Whether a cell holds a time (`08:30:00`) as a time cell of a workbook reads.
fn is_time(text: &str) -> bool {
    let parts: Vec<&str> = text.split(':').collect();
    parts.len() >= 2 && parts.iter().all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
}

/// What a cell holds, named for messages in English and Chinese:
/// `What::new("birth year", "出生年份")`.
#[derive(Clone, Copy, Debug)]
pub(crate) struct What<'a> {
    /// English, read after "the": "number of primary students".
    pub en: &'a str,
    /// Chinese: "小学在校生数".
    pub zh: &'a str,
}

impl<'a> What<'a> {
    /// A value named in both languages.
    pub(crate) const fn new(en: &'a str, zh: &'a str) -> What<'a> {
        What { en, zh }
    }
}

/// A whole number; `what` names the value in the message for an empty cell.
/// A date is not a number: in a workbook a date cell would otherwise read
/// as its serial number (2025-01-01 as 45658).
pub(crate) fn whole(text: &str, what: What) -> Result<i64, Text> {
    let What { en: what, zh } = what;
    if text.is_empty() {
        return Err(Text::both(format!("empty cell; fill in the {what}"), format!("单元格为空；请填写{zh}")));
    }
    if date_year(text).is_some() || is_time(text) {
        return Err(Text::both(
            format!(
                "{text} is a date or time, not a number; give the {what} in digits (in Excel, format the cell as a number)"
            ),
            format!("「{text}」是日期或时间，不是数字；请用数字填写{zh}（在 Excel 中把单元格格式设为数值）"),
        ));
    }
    let not_number = || {
        Text::both(
            format!("\"{text}\" is not a number; give the {what} in digits"),
            format!("「{text}」不是数字；请用数字填写{zh}"),
        )
    };
    if text.len() <= 18 && text.bytes().all(|b| b.is_ascii_digit()) {
        return text.parse().map_err(|_| not_number());
    }
    let value = parse_exact(text).ok_or_else(not_number)?;
    if !value.is_integer() {
        return Err(Text::both(format!("{text} is not a whole number"), format!("「{text}」不是整数")));
    }
    i64::try_from(value.to_integer()).map_err(|_| too_large(text))
}

fn too_large(text: &str) -> Text {
    Text::both(format!("{text} is too large"), format!("「{text}」太大"))
}

/// A count ≥ 0 that fits in u32.
pub(crate) fn count(text: &str, what: What) -> Result<u32, Text> {
    let value = whole(text, what)?;
    if value < 0 {
        return Err(Text::both(
            format!("{text} is negative; give 0 or more"),
            format!("「{text}」是负数；请填写 0 或更大的数"),
        ));
    }
    u32::try_from(value).map_err(|_| too_large(text))
}

/// A count in 0..=`most`; any larger value, even one past every integer
/// type (a workbook cell of 1e308 reads as 309 digits), is over the limit
/// and the message gives the range.
pub(crate) fn count_at_most(text: &str, what: What, most: u32) -> Result<u32, Text> {
    let shown = if text.chars().count() > 24 {
        format!("{}…", text.chars().take(12).collect::<String>())
    } else {
        text.to_string()
    };
    let over = || {
        Text::both(
            format!("{shown} is over the limit for the {}; give 0 to {most}", what.en),
            format!("「{shown}」超出{}的上限；请填写 0 到 {most}", what.zh),
        )
    };
    let huge = |text: &str| {
        let digits = text.strip_prefix('+').unwrap_or(text);
        (!digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()))
            || parse_exact(text).is_some_and(|v| v.is_integer() && v > Exact::from_integer(0))
    };
    match count(text, what) {
        Ok(value) if value <= most => Ok(value),
        Ok(_) => Err(over()),
        Err(_) if huge(text) => Err(over()),
        Err(problem) => Err(problem),
    }
}

/// The most students of one school section a data file may give (a
/// county's largest schools have a few thousand; the totals of a county
/// stay far inside u32).
pub(crate) const MOST_SECTION_STUDENTS: u32 = 100_000;

/// The most classes of one school section.
pub(crate) const MOST_SECTION_CLASSES: u32 = 2_000;

/// A count in 0..=`most`; an empty cell is 0 unless the count is `required`.
pub(crate) fn bounded_count(text: &str, what: What, most: u32, required: bool) -> Result<u32, Text> {
    if text.is_empty() && !required {
        Ok(0)
    } else {
        count_at_most(text, what, most)
    }
}

/// An optional count in 0..=`most` (empty = none).
pub(crate) fn optional_count_at_most(text: &str, what: What, most: u32) -> Result<Option<u32>, Text> {
    if text.is_empty() {
        Ok(None)
    } else {
        count_at_most(text, what, most).map(Some)
    }
}

/// A year as i32 (range checks are the caller's). A date (a date cell, or
/// `1985-03-02` / `1985/3/2`) gives its year.
pub(crate) fn year(text: &str, what: What) -> Result<i32, Text> {
    if let Some(year) = date_year(text) {
        return Ok(year);
    }
    let value = whole(text, what)?;
    i32::try_from(value)
        .map_err(|_| Text::both(format!("{text} is not a plausible year"), format!("「{text}」不是合理的年份")))
}

/// yes/no, 是/否, true/false (Excel's TRUE/FALSE arrive as yes/no).
pub(crate) fn boolean(text: &str, what: What) -> Result<bool, Text> {
    match text {
        "yes" | "是" => return Ok(true),
        "no" | "否" => return Ok(false),
        _ => {}
    }
    match normalize_word(text).as_str() {
        "yes" | "true" | "是" | "y" => Ok(true),
        "no" | "false" | "否" | "n" => Ok(false),
        "" => Err(Text::both(
            format!("empty cell; fill in {} with yes or no (是/否)", what.en),
            format!("单元格为空；请填写{}：是 或 否（也可填 yes、no）", what.zh),
        )),
        _ => Err(Text::both(
            format!("\"{text}\" is not yes or no (是/否)"),
            format!("「{text}」无法识别为是或否；请填写 是 或 否（也可填 yes、no）"),
        )),
    }
}

/// An optional yes/no with a default for an empty cell.
pub(crate) fn boolean_or(text: &str, what: What, default: bool) -> Result<bool, Text> {
    if text.is_empty() {
        Ok(default)
    } else {
        boolean(text, what)
    }
}

fn not_a_number(text: &str) -> Text {
    Text::both(format!("\"{text}\" is not a number"), format!("「{text}」不是数字"))
}

/// An optional exact decimal ≥ 0 (facility totals).
pub(crate) fn optional_amount(text: &str) -> Result<Option<Exact>, Text> {
    if text.is_empty() {
        return Ok(None);
    }
    let value = parse_exact(text).ok_or_else(|| not_a_number(text))?;
    if value < Exact::from_integer(0) {
        return Err(Text::both(
            format!("{text} is negative; give 0 or more, or leave the cell empty"),
            format!("「{text}」是负数；请填写 0 或更大的数，或留空"),
        ));
    }
    Ok(Some(value))
}

/// A finite decimal number as f64.
pub(crate) fn number(text: &str, what: What) -> Result<f64, Text> {
    if text.is_empty() {
        return Err(Text::both(
            format!("empty cell; fill in the {}", what.en),
            format!("单元格为空；请填写{}", what.zh),
        ));
    }
    let value = parse_exact(text).ok_or_else(|| not_a_number(text))?;
    Ok(crate::exact::to_f64(&value))
}

/// A coordinate in degrees within `-limit..=limit`.
pub(crate) fn coordinate(text: &str, what: What, limit: f64) -> Result<f64, Text> {
    let value = number(text, what)?;
    if !(-limit..=limit).contains(&value) {
        return Err(Text::both(
            format!("{text} is outside -{limit}..{limit}; give WGS84 degrees"),
            format!("「{text}」超出 -{limit}..{limit} 的范围；请填写 WGS84 坐标的度数"),
        ));
    }
    Ok(value)
}

/// A word of a domain enum, by its `parse` (which reads the English and
/// the Chinese words); an unknown word gets the nearest valid word and the
/// list of valid words.
pub(crate) fn word<E: Copy>(
    text: &str,
    noun: What,
    parse: fn(&str) -> Option<E>,
    all: &[(E, &'static str, &'static str)],
) -> Result<E, Text> {
    if let Some(value) = parse(text) {
        return Ok(value);
    }
    let valid = all.iter().map(|(_, en, _)| *en).collect::<Vec<_>>().join(", ");
    let valid_zh = format!(
        "可填：{}，或 {}",
        all.iter().map(|(_, en, _)| *en).collect::<Vec<_>>().join("、"),
        all.iter().map(|(_, _, zh)| *zh).collect::<Vec<_>>().join("、")
    );
    if text.is_empty() {
        return Err(Text::both(
            format!("missing {} (valid: {valid})", noun.en),
            format!("缺少{}（{valid_zh}）", noun.zh),
        ));
    }
    let nearest = nearest(text, all.iter().flat_map(|(_, en, zh)| [*en, *zh]));
    let suggestion = nearest.map(|w| format!("; did you mean \"{w}\"?")).unwrap_or_default();
    let suggestion_zh = nearest.map(|w| format!("；是否想填「{w}」？")).unwrap_or_default();
    Err(Text::both(
        format!("unknown {} \"{text}\"{suggestion} (valid: {valid})", noun.en),
        format!("无法识别的{}「{text}」{suggestion_zh}（{valid_zh}）", noun.zh),
    ))
}

/// The candidate closest to `text` if it is close enough to be a likely slip.
pub(crate) fn nearest<'a>(text: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let key = normalize_word(text);
    if key.is_empty() {
        return None;
    }
    let key_len = key.chars().count();
    // Closest by edit distance; among equals the one sharing the longer
    // start (Jaro–Winkler), so "P2" suggests "P1" rather than "J1".
    let mut best: Option<(usize, f64, &'a str)> = None;
    for candidate in candidates {
        let normal = normalize_word(candidate);
        let len = normal.chars().count();
        let distance = strsim::levenshtein(&key, &normal);
        let similar = distance < len && distance <= (len / 3).max(1);
        let close = similar || (key_len >= 2 && normal.starts_with(&key));
        if !close {
            continue;
        }
        let likeness = strsim::jaro_winkler(&key, &normal);
        if best.is_none_or(|(d, l, _)| distance < d || (distance == d && likeness > l)) {
            best = Some((distance, likeness, candidate));
        }
    }
    best.map(|(_, _, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Subject;

    const X: What = What::new("x", "某值");

    #[test]
    fn enum_word_suggests() {
        let subject = What::new("subject", "任教学科");
        let e = word("maths", subject, Subject::parse, Subject::ALL).unwrap_err();
        assert!(e.en.starts_with("unknown subject \"maths\"; did you mean \"math\"? (valid: chinese, math,"), "{e}");
        let zh = e.zh.unwrap();
        assert!(zh.starts_with("无法识别的任教学科「maths」；是否想填「math」？（可填：chinese、math、"), "{zh}");
        assert!(zh.contains("，或 语文、数学、"), "{zh}");
        assert_eq!(word("数学", subject, Subject::parse, Subject::ALL).unwrap(), Subject::Math);
        let e = word("zzzzzz", subject, Subject::parse, Subject::ALL).unwrap_err();
        assert!(e.en.starts_with("unknown subject \"zzzzzz\" (valid:"), "{e}");
        assert!(e.zh.unwrap().starts_with("无法识别的任教学科「zzzzzz」（可填："));
        let e = word("", subject, Subject::parse, Subject::ALL).unwrap_err();
        assert!(e.en.starts_with("missing subject (valid: chinese, math,"), "{e}");
        assert!(e.zh.unwrap().starts_with("缺少任教学科（可填：chinese、math、"));
    }

    #[test]
    fn numbers() {
        assert_eq!(count("12", X).unwrap(), 12);
        assert_eq!(count("12.0", X).unwrap(), 12);
        assert!(count("-1", X).unwrap_err().en.contains("negative"));
        assert!(count("abc", X).unwrap_err().en.contains("not a number"));
        assert!(count("99999999999999999999999", X).is_err());
        assert!(coordinate("95", X, 90.0).is_err());
        assert!(count("2025-01-01", X).unwrap_err().en.contains("is a date or time, not a number"));
        assert!(count("08:30:00", X).unwrap_err().en.contains("is a date or time"));
        assert_eq!(year("1985-03-02", X).unwrap(), 1985);
        assert_eq!(year("1985/3/2 00:00:00", X).unwrap(), 1985);
        assert_eq!(year("1985", X).unwrap(), 1985);
        assert!(year("1985-13-02", X).is_err());
    }

    #[test]
    fn every_cell_message_has_chinese() {
        let errors = [
            count("", X).unwrap_err(),
            count("-1", X).unwrap_err(),
            count("abc", X).unwrap_err(),
            count("1.5", X).unwrap_err(),
            count("99999999999", X).unwrap_err(),
            count("2025-01-01", X).unwrap_err(),
            year("99999999999", X).unwrap_err(),
            boolean("", X).unwrap_err(),
            boolean("maybe", X).unwrap_err(),
            optional_amount("abc").unwrap_err(),
            optional_amount("-2").unwrap_err(),
            number("", X).unwrap_err(),
            coordinate("95", X, 90.0).unwrap_err(),
        ];
        for e in errors {
            assert!(e.zh.is_some(), "no Chinese for {e}");
        }
        assert_eq!(count("", X).unwrap_err().zh.unwrap(), "单元格为空；请填写某值");
        assert_eq!(count("-1", X).unwrap_err().zh.unwrap(), "「-1」是负数；请填写 0 或更大的数");
        assert_eq!(boolean("", X).unwrap_err().en, "empty cell; fill in x with yes or no (是/否)");
    }
}
