//! Numbers and text widths: how figures are printed on the page, round
//! chart axes, and the rough width of mixed Chinese and Latin text.

/// A per-100 or per-student value at 2 decimals, "—" when there is none.
pub(super) fn fmt2(value: Option<f64>) -> String {
    value.map_or("—".to_string(), |v| format!("{v:.2}"))
}

/// A distance in km at 1 decimal, "—" when unknown.
pub(super) fn fmt_km(km: Option<f64>) -> String {
    km.map_or("—".to_string(), |v| format!("{v:.1}"))
}

/// A number with at most 4 decimals and no trailing zeros (standards, limits, ticks).
pub(super) fn trim_number(value: f64) -> String {
    let text = format!("{value:.4}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    if text == "-0" {
        "0".into()
    } else {
        text.to_string()
    }
}

/// The word with its first letter in upper case (English headings).
pub(super) fn capitalise(word: &str) -> String {
    let mut chars = word.chars();
    chars.next().map_or(String::new(), |c| c.to_uppercase().chain(chars).collect())
}

/// A round axis end and tick step covering `max` with about 4 steps.
pub(super) fn nice_axis(max: f64) -> (f64, f64) {
    if max.is_nan() || max <= 0.0 || !max.is_finite() {
        return (1.0, 0.25);
    }
    let raw = max / 4.0;
    let magnitude = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 2.5, 5.0, 10.0].iter().map(|m| m * magnitude).find(|s| *s >= raw).unwrap_or(10.0 * magnitude);
    let end = (max / step).ceil() * step;
    (if end < max * 1.02 { end + step } else { end }, step)
}

/// Rough rendered width of text: CJK and full-width characters one em, others 0.6 em.
pub(super) fn text_width(text: &str, font_px: f64) -> f64 {
    text.chars().map(|c| if is_wide(c) { font_px } else { 0.6 * font_px }).sum()
}

/// Whether a character takes a full em (CJK, Hangul, full-width forms).
fn is_wide(c: char) -> bool {
    let u = c as u32;
    (0x1100..=0x115F).contains(&u)
        || (0x2E80..=0xA4CF).contains(&u)
        || (0xAC00..=0xD7A3).contains(&u)
        || (0xF900..=0xFAFF).contains(&u)
        || (0xFE30..=0xFE4F).contains(&u)
        || (0xFF00..=0xFF60).contains(&u)
        || (0xFFE0..=0xFFE6).contains(&u)
        || (0x20000..=0x3FFFD).contains(&u)
}

/// Cuts text to fit `max_px`, ending with "…" when cut.
pub(super) fn truncate_to_width(text: &str, font_px: f64, max_px: f64) -> String {
    if text_width(text, font_px) <= max_px {
        return text.to_string();
    }
    let mut out = String::new();
    let mut width = font_px; // room for the ellipsis
    for c in text.chars() {
        let w = if is_wide(c) { font_px } else { 0.6 * font_px };
        if width + w > max_px {
            break;
        }
        width += w;
        out.push(c);
    }
    out.push('…');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn axis_covers_the_maximum() {
        for max in [0.0, 0.07, 0.5153, 1.0, 3.4, 5.0, 17.0, 260.0] {
            let (end, step) = nice_axis(max);
            assert!(end >= max && step > 0.0 && end / step <= 7.0, "{max}: {end} {step}");
        }
    }

    #[test]
    fn truncation_respects_width() {
        let cut = truncate_to_width("和川镇第一九年一贯制学校附属教学点", 11.0, 100.0);
        assert!(cut.ends_with('…') && text_width(&cut, 11.0) <= 100.0, "{cut}");
        assert_eq!(truncate_to_width("S01", 11.0, 100.0), "S01");
    }
}
