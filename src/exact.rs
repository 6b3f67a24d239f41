//! Exact rational arithmetic, used wherever SPEC §2 asks for exact rounding.

/// Exact rational number used wherever SPEC §2 asks for exact rounding.
pub type Exact = num_rational::Ratio<i128>;

/// Parses a decimal written in text ("0.14", "45", "-2.5e1") exactly.
pub fn parse_exact(text: &str) -> Option<Exact> {
    let t = text.trim();
    if t.is_empty() {
        return None;
    }
    let (mantissa, exponent) = match t.find(['e', 'E']) {
        Some(p) => (&t[..p], t[p + 1..].parse::<i32>().ok()?),
        None => (t, 0),
    };
    let (negative, digits) = match mantissa.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, mantissa.strip_prefix('+').unwrap_or(mantissa)),
    };
    let (int_part, frac_part) = match digits.split_once('.') {
        Some((i, f)) => (i, f),
        None => (digits, ""),
    };
    if int_part.is_empty() && frac_part.is_empty() {
        return None;
    }
    if !int_part.chars().chain(frac_part.chars()).all(|c| c.is_ascii_digit()) {
        return None;
    }
    if int_part.len() + frac_part.len() > 30 || exponent.abs() > 20 {
        return None;
    }
    let all: String = format!("{int_part}{frac_part}");
    let numerator: i128 = if all.is_empty() { 0 } else { all.parse().ok()? };
    let scale = frac_part.len() as i32 - exponent;
    let value = if scale >= 0 {
        Exact::new(numerator, 10i128.checked_pow(scale as u32)?)
    } else {
        Exact::from_integer(numerator.checked_mul(10i128.checked_pow((-scale) as u32)?)?)
    };
    Some(if negative { -value } else { value })
}

/// The exact decimal a float was written as (its shortest round-trip text).
pub fn exact_from_f64(value: f64) -> Option<Exact> {
    if !value.is_finite() {
        return None;
    }
    parse_exact(&format!("{value}"))
}

/// An exact number as f64, for outputs.
pub fn to_f64(value: &Exact) -> f64 {
    *value.numer() as f64 / *value.denom() as f64
}

/// ⌈x⌉ of a non-negative exact number, as u32 (saturating).
pub fn ceil_exact(x: Exact) -> u32 {
    let c = x.ceil().to_integer();
    c.clamp(0, u32::MAX as i128) as u32
}
