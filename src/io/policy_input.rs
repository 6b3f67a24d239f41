//! Applying policy overrides read from a policy.toml file or a workbook's
//! `policy` sheet, each problem located at its line (or cell) and named by
//! its dotted key.

use std::collections::BTreeMap;

use toml::de::{DeTable, DeValue};

use super::table::Problems;
use super::workbook::PolicyRow;
use crate::domain::policy::Policy;
use crate::error::{InputProblem, Text};

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

/// Where each policy key was last set: (rank, line, location), by dotted
/// key; and the keys whose value was refused (their problem is reported,
/// so no contradiction is made up from the default they keep).
#[derive(Default)]
pub(crate) struct PolicyPlaces {
    set: BTreeMap<String, (usize, u64, String)>,
    refused: std::collections::BTreeSet<String>,
}

fn dotted(key: &str) -> String {
    key.split('.').map(str::trim).collect::<Vec<_>>().join(".")
}

impl PolicyPlaces {
    fn record(&mut self, key: &str, rank: usize, line: u64, location: String) {
        self.refused.remove(&dotted(key));
        self.set.insert(dotted(key), (rank, line, location));
    }

    fn refuse(&mut self, key: &str) {
        self.refused.insert(dotted(key));
    }
}

/// Applies a policy.toml text; problems are located `file:line` with the
/// dotted key as column.
pub(crate) fn apply_toml_text(
    policy: &mut Policy,
    file: &str,
    rank: usize,
    text: &str,
    problems: &mut Problems,
    places: &mut PolicyPlaces,
) {
    let table: toml::Table = match toml::from_str(text) {
        Ok(table) => table,
        Err(error) => {
            let line = error.span().map(|span| line_of(text, span.start));
            let location = line.map(|l| format!("{file}:{l}")).unwrap_or_else(|| file.to_string());
            let what = error.message().trim().replace('\n', "; ");
            let zh = crate::io::toml_text::toml_problem_zh(&what);
            let message = Text::both(format!("not valid TOML: {what}"), format!("不是有效的 TOML：{zh}"));
            problems.push(rank, line.unwrap_or(0), InputProblem::new(location, "", message));
            return;
        }
    };
    let lines = key_lines(text);
    let location = |line: Option<u64>| line.map(|l| format!("{file}:{l}")).unwrap_or_else(|| file.to_string());
    let mut failed = std::collections::BTreeSet::new();
    for (key, message) in policy.apply_toml(&table) {
        let line = lines.get(&key).copied();
        problems.push(rank, line.unwrap_or(0), InputProblem::new(location(line), key.clone(), message));
        places.refuse(&key);
        failed.insert(key);
    }
    for (key, line) in lines.iter().filter(|(key, _)| !failed.contains(*key)) {
        places.record(key, rank, *line, location(Some(*line)));
    }
}

/// Applies the rows of a workbook's policy sheet.
pub(crate) fn apply_sheet_rows(
    policy: &mut Policy,
    rank: usize,
    rows: &[PolicyRow],
    problems: &mut Problems,
    places: &mut PolicyPlaces,
) {
    for row in rows {
        let key = row.key.trim();
        let result = match (&row.value, key.is_empty()) {
            (_, true) => Err(Text::both(
                "the key cell is empty; give a dotted key such as movement.max_distance_km",
                "参数名单元格为空；请填带点的参数名，如 movement.max_distance_km",
            )),
            (None, false) => Err(Text::both(
                "the value cell is empty; give a value or delete the row",
                "值单元格为空；请填一个值，或删除这一行",
            )),
            (Some(value), false) => policy.set(key, value),
        };
        match result {
            Err(message) => {
                problems.push(rank, row.line, InputProblem::new(row.location.clone(), key, message));
                places.refuse(key);
            }
            Ok(()) => places.record(key, rank, row.line, row.location.clone()),
        }
    }
}

/// Keys of the final policy that contradict each other (min_share above
/// max_share …), each located where the later of the two keys was set, or
/// at `file` when both keep their defaults.
pub(crate) fn check_contradictions(
    policy: &Policy,
    places: &PolicyPlaces,
    file: &str,
    rank: usize,
    problems: &mut Problems,
) {
    for (key, other, message) in policy.contradictions() {
        let message = super::policy_keys::contradiction(policy, key, message);
        if places.refused.contains(key) || places.refused.contains(other) {
            continue;
        }
        let place =
            [key, other].into_iter().filter_map(|k| places.set.get(k).map(|p| (p, k))).max_by_key(|(p, _)| (p.0, p.1));
        match place {
            Some(((rank, line, location), k)) => {
                problems.push(*rank, *line, InputProblem::new(location.clone(), k, message))
            }
            None => problems.push(rank, 0, InputProblem::new(file, key, message)),
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
