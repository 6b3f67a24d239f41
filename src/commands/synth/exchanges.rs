//! A fictional exchange register (exchanges.csv) for a synthetic county:
//! pairs of teachers of the same section and subject at two schools, each on
//! exchange at the other's school, so that the pair's returns keep every
//! section's headcount and subjects as they are. The teachers are taken
//! from teachers.csv as written (their `school_since` is the exchange's
//! start), without drawing from the random stream, so the other files stay
//! the same bytes.

use std::collections::BTreeMap;

use super::{csv_text, csv_writer, YEAR};

/// Teachers on exchange: one pair per this many schools (20 schools: 8 rows).
const SCHOOLS_PER_PAIR: usize = 5;

/// The length of an exchange term in years (the default `rotation.years`).
const TERM: i32 = 3;

/// The terms of the pairs in turn: how many years before the plan year the
/// exchange started, and the decisions of the pair's two rows. The first
/// pair is due this year; one row of the fourth is a transfer.
const TERMS: [(i32, [&str; 2]); 4] =
    [(3, ["return", "return"]), (2, ["return", "return"]), (1, ["return", "return"]), (2, ["return", "transfer"])];

/// The oldest a teacher sent on exchange is, in the plan year (well before
/// retirement, so the term ends before it).
const OLDEST: i32 = 50;

/// A teacher who could be on exchange: a full-time teacher (not a
/// principal), not exempt, at most [`OLDEST`], who came to the school
/// within the last term.
struct Candidate {
    id: String,
    school: String,
    since: i32,
}

/// The candidates of teachers.csv by (section, subject), in file order.
fn candidates(teachers_csv: &str) -> BTreeMap<(String, String), Vec<Candidate>> {
    let mut reader = csv::Reader::from_reader(teachers_csv.trim_start_matches('\u{feff}').as_bytes());
    let mut groups: BTreeMap<(String, String), Vec<Candidate>> = BTreeMap::new();
    let header = reader.headers().cloned().unwrap_or_default();
    let at = |name: &str| header.iter().position(|h| h == name);
    let columns =
        ["teacher_id", "school_id", "section", "subject", "school_since", "full_time", "role", "exempt", "birth_year"];
    let Some(index) = columns.iter().map(|c| at(c)).collect::<Option<Vec<usize>>>() else { return groups };
    for record in reader.records().flatten() {
        let cell = |i: usize| record.get(index[i]).unwrap_or("");
        let Ok(since) = cell(4).parse::<i32>() else { continue };
        let recent = (YEAR - TERM..YEAR).contains(&since);
        let young = cell(8).parse::<i32>().is_ok_and(|born| YEAR - born <= OLDEST);
        if recent && young && cell(5) == "yes" && cell(6) == "teacher" && cell(7).is_empty() {
            let candidate = Candidate { id: cell(0).to_string(), school: cell(1).to_string(), since };
            groups.entry((cell(2).to_string(), cell(3).to_string())).or_default().push(candidate);
        }
    }
    groups
}

/// Disjoint pairs of candidates at two schools who came in `since`, group
/// by group: each candidate pairs with the oldest waiting one of another
/// school.
fn pairs(groups: &BTreeMap<(String, String), Vec<Candidate>>, since: i32) -> Vec<(&Candidate, &Candidate)> {
    let mut found = Vec::new();
    for group in groups.values() {
        let mut waiting: Vec<&Candidate> = Vec::new();
        for candidate in group.iter().filter(|c| c.since == since) {
            match waiting.iter().position(|w| w.school != candidate.school) {
                Some(at) => found.push((waiting.remove(at), candidate)),
                None => waiting.push(candidate),
            }
        }
    }
    found
}

/// exchanges.csv for a county of `schools` schools whose teachers.csv is
/// `teachers_csv`: up to one pair per [`SCHOOLS_PER_PAIR`] schools, sorted
/// by teacher id.
pub(super) fn exchanges_csv(teachers_csv: &str, schools: usize) -> String {
    let groups = candidates(teachers_csv);
    let mut by_start: BTreeMap<i32, std::vec::IntoIter<(&Candidate, &Candidate)>> =
        TERMS.iter().map(|(ago, _)| (YEAR - ago, pairs(&groups, YEAR - ago).into_iter())).collect();
    let mut rows = Vec::new();
    for k in 0..schools.div_ceil(SCHOOLS_PER_PAIR) {
        let (ago, decisions) = TERMS[k % TERMS.len()];
        let start = YEAR - ago;
        let Some((a, b)) = by_start.get_mut(&start).and_then(Iterator::next) else { continue };
        for ((teacher, home), decision) in [(a, b), (b, a)].into_iter().zip(decisions) {
            let (start, end) = (start.to_string(), (start + TERM).to_string());
            rows.push([teacher.id.clone(), home.school.clone(), teacher.school.clone(), start, end, decision.into()]);
        }
    }
    rows.sort();
    let mut out = csv_writer();
    let header = ["teacher_id", "home_school_id", "host_school_id", "start_year", "end_year", "decision"];
    out.write_record(header).expect("writing to memory cannot fail");
    for row in rows {
        out.write_record(row).expect("writing to memory cannot fail");
    }
    csv_text(out)
}
