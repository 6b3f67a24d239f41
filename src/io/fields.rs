//! Reading one cell's text as a value: whole numbers, years, yes/no,
//! exact decimals, coordinates and the words of the domain enums (with a
//! "did you mean" for a misspelt word). Errors are sentences for HR staff.

use crate::domain::{normalize_word, Exact};
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

/// A whole number; `what` names the value in the message for an empty cell.
/// A date is not a number: in a workbook a date cell would otherwise read
/// as its serial number (2025-01-01 as 45658).
pub(crate) fn whole(text: &str, what: &str) -> Result<i64, String> {
    if text.is_empty() {
        return Err(format!("empty cell; fill in the {what}"));
    }
    if date_year(text).is_some() || is_time(text) {
        return Err(format!(
            "{text} is a date or time, not a number; give the {what} in digits (in Excel, format the cell as a number)"
        ));
    }
    if text.len() <= 18 && text.bytes().all(|b| b.is_ascii_digit()) {
        return text.parse().map_err(|_| format!("\"{text}\" is not a number; give the {what} in digits"));
    }
    let value = parse_exact(text).ok_or_else(|| format!("\"{text}\" is not a number; give the {what} in digits"))?;
    if !value.is_integer() {
        return Err(format!("{text} is not a whole number"));
    }
    i64::try_from(value.to_integer()).map_err(|_| format!("{text} is too large"))
}

/// A count ≥ 0 that fits in u32.
pub(crate) fn count(text: &str, what: &str) -> Result<u32, String> {
    let value = whole(text, what)?;
    if value < 0 {
        return Err(format!("{text} is negative; give 0 or more"));
    }
    u32::try_from(value).map_err(|_| format!("{text} is too large"))
}

/// A count where an empty cell means 0.
pub(crate) fn count_or_zero(text: &str, what: &str) -> Result<u32, String> {
    if text.is_empty() {
        Ok(0)
    } else {
        count(text, what)
    }
}

/// An optional count (empty = none).
pub(crate) fn optional_count(text: &str, what: &str) -> Result<Option<u32>, String> {
    if text.is_empty() {
        Ok(None)
    } else {
        count(text, what).map(Some)
    }
}

/// A year as i32 (range checks are the caller's). A date (a date cell, or
/// `1985-03-02` / `1985/3/2`) gives its year.
pub(crate) fn year(text: &str, what: &str) -> Result<i32, String> {
    if let Some(year) = date_year(text) {
        return Ok(year);
    }
    let value = whole(text, what)?;
    i32::try_from(value).map_err(|_| format!("{text} is not a plausible year"))
}

/// yes/no, 是/否, true/false (Excel's TRUE/FALSE arrive as yes/no).
pub(crate) fn boolean(text: &str, what: &str) -> Result<bool, String> {
    match text {
        "yes" | "是" => return Ok(true),
        "no" | "否" => return Ok(false),
        _ => {}
    }
    match normalize_word(text).as_str() {
        "yes" | "true" | "是" | "y" => Ok(true),
        "no" | "false" | "否" | "n" => Ok(false),
        "" => Err(format!("empty cell; fill in {what} with yes or no (是/否)")),
        _ => Err(format!("\"{text}\" is not yes or no (是/否)")),
    }
}

/// An optional yes/no with a default for an empty cell.
pub(crate) fn boolean_or(text: &str, what: &str, default: bool) -> Result<bool, String> {
    if text.is_empty() {
        Ok(default)
    } else {
        boolean(text, what)
    }
}

/// An optional exact decimal ≥ 0 (facility totals).
pub(crate) fn optional_amount(text: &str) -> Result<Option<Exact>, String> {
    if text.is_empty() {
        return Ok(None);
    }
    let value = parse_exact(text).ok_or_else(|| format!("\"{text}\" is not a number"))?;
    if value < Exact::from_integer(0) {
        return Err(format!("{text} is negative; give 0 or more, or leave the cell empty"));
    }
    Ok(Some(value))
}

/// A finite decimal number as f64.
pub(crate) fn number(text: &str, what: &str) -> Result<f64, String> {
    if text.is_empty() {
        return Err(format!("empty cell; fill in the {what}"));
    }
    let value = parse_exact(text).ok_or_else(|| format!("\"{text}\" is not a number"))?;
    Ok(crate::exact::to_f64(&value))
}

/// A coordinate in degrees within `-limit..=limit`.
pub(crate) fn coordinate(text: &str, what: &str, limit: f64) -> Result<f64, String> {
    let value = number(text, what)?;
    if !(-limit..=limit).contains(&value) {
        return Err(format!("{text} is outside -{limit}..{limit}; give WGS84 degrees"));
    }
    Ok(value)
}

/// A word of a domain enum, by its `parse`; an unknown word gets the
/// nearest valid word and the list of valid words.
pub(crate) fn word<E: Copy>(
    text: &str,
    noun: &str,
    parse: fn(&str) -> Option<E>,
    all: &[(E, &'static str, &'static str)],
) -> Result<E, String> {
    if let Some(value) = parse(text) {
        return Ok(value);
    }
    let valid = all.iter().map(|(_, en, _)| *en).collect::<Vec<_>>().join(", ");
    if text.is_empty() {
        return Err(format!("missing {noun} (valid: {valid})"));
    }
    let suggestion = nearest(text, all.iter().flat_map(|(_, en, zh)| [*en, *zh]))
        .map(|w| format!("; did you mean \"{w}\"?"))
        .unwrap_or_default();
    Err(format!("unknown {noun} \"{text}\"{suggestion} (valid: {valid})"))
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

    #[test]
    fn enum_word_suggests() {
        let e = word("maths", "subject", Subject::parse, Subject::ALL).unwrap_err();
        assert!(e.starts_with("unknown subject \"maths\"; did you mean \"math\"? (valid: chinese, math,"), "{e}");
        assert_eq!(word("数学", "subject", Subject::parse, Subject::ALL).unwrap(), Subject::Math);
        let e = word("zzzzzz", "subject", Subject::parse, Subject::ALL).unwrap_err();
        assert!(e.starts_with("unknown subject \"zzzzzz\" (valid:"), "{e}");
    }

    #[test]
    fn numbers() {
        assert_eq!(count("12", "x").unwrap(), 12);
        assert_eq!(count("12.0", "x").unwrap(), 12);
        assert!(count("-1", "x").unwrap_err().contains("negative"));
        assert!(count("abc", "x").unwrap_err().contains("not a number"));
        assert!(count("99999999999999999999999", "x").is_err());
        assert!(coordinate("95", "lat", 90.0).is_err());
        assert!(count("2025-01-01", "x").unwrap_err().contains("is a date or time, not a number"));
        assert!(count("08:30:00", "x").unwrap_err().contains("is a date or time"));
        assert_eq!(year("1985-03-02", "x").unwrap(), 1985);
        assert_eq!(year("1985/3/2 00:00:00", "x").unwrap(), 1985);
        assert_eq!(year("1985", "x").unwrap(), 1985);
        assert!(year("1985-13-02", "x").is_err());
    }
}
