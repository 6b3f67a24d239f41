//! Applying policy overrides read from a policy.toml file or a workbook's
//! `policy` sheet, each problem located at its line (or cell) and named by
//! its dotted key.

use std::collections::BTreeMap;

use toml::de::{DeTable, DeValue};

use super::table::Problems;
use super::workbook::PolicyRow;
use crate::error::InputProblem;
use crate::policy::Policy;

/// The 1-based line of a byte offset.
fn line_of(text: &str, offset: usize) -> u64 {
    let end = offset.min(text.len());
    let newlines = text.as_bytes().iter().take(end).filter(|b| **b == b'\n').count();
    u64::try_from(newlines).unwrap_or(u64::MAX).saturating_add(1)
}

/// The line of every leaf key, by dotted key.
fn key_lines(text: &str) -> BTreeMap<String, u64> {
    fn walk(prefix: &str, table: &DeTable<'_>, text: &str, out: &mut BTreeMap<String, u64>) {
        for (key, value) in table {
            let name: &str = key.get_ref().as_ref();
            let dotted = if prefix.is_empty() { name.to_string() } else { format!("{prefix}.{name}") };
            match value.get_ref() {
                DeValue::Table(inner) => walk(&dotted, inner, text, out),
                _ => {
                    out.insert(dotted, line_of(text, key.span().start));
                }
            }
        }
    }
    let mut out = BTreeMap::new();
    if let Ok(document) = DeTable::parse(text) {
        walk("", document.get_ref(), text, &mut out);
    }
    out
}

/// Applies a policy.toml text; problems are located `file:line` with the
/// dotted key as column.
pub(crate) fn apply_toml_text(policy: &mut Policy, file: &str, rank: usize, text: &str, problems: &mut Problems) {
    let table: toml::Table = match toml::from_str(text) {
        Ok(table) => table,
        Err(error) => {
            let line = error.span().map(|span| line_of(text, span.start));
            let location = line.map(|l| format!("{file}:{l}")).unwrap_or_else(|| file.to_string());
            let message = format!("not valid TOML: {}", error.message().trim().replace('\n', "; "));
            problems.push(rank, line.unwrap_or(0), InputProblem::new(location, "", message));
            return;
        }
    };
    let lines = key_lines(text);
    for (key, message) in policy.apply_toml(&table) {
        let line = lines.get(&key).copied();
        let location = line.map(|l| format!("{file}:{l}")).unwrap_or_else(|| file.to_string());
        problems.push(rank, line.unwrap_or(0), InputProblem::new(location, key, message));
    }
}

/// Applies the rows of a workbook's policy sheet.
pub(crate) fn apply_sheet_rows(policy: &mut Policy, rank: usize, rows: &[PolicyRow], problems: &mut Problems) {
    for row in rows {
        let key = row.key.trim();
        let result = match (&row.value, key.is_empty()) {
            (_, true) => Err("the key cell is empty; give a dotted key such as movement.max_distance_km".to_string()),
            (None, false) => Err("the value cell is empty; give a value or delete the row".to_string()),
            (Some(value), false) => policy.set(key, value),
        };
        if let Err(message) = result {
            problems.push(rank, row.line, InputProblem::new(row.location.clone(), key, message));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_of_keys() {
        let text = "year = 2025\n[movement]\nmax_distance_km = 60\n[standards]\nbackbone = { primary = 1.1 }\n";
        let lines = key_lines(text);
        assert_eq!(lines["year"], 1);
        assert_eq!(lines["movement.max_distance_km"], 3);
        assert_eq!(lines["standards.backbone.primary"], 5);
    }
}
