//! A deterministic mutation fuzzer for the readers (issue 11): data folders
//! (CSV and TOML, every file in turn), workbooks, `--policy` overrides,
//! edited plan lists (CSV and xlsx) and what-if scenario files, each fed
//! random and mutated bytes seeded from the fixtures, data/anze, scenarios/
//! and plan lists rotaplan writes, and the inputs kept in
//! tests/fixtures/fuzz-crashes/ as they are. Every case must end in `Ok` or
//! in an input error whose problems all have a location and a message: a
//! panic, an abort or another kind of error fails the test, naming the case.
//!
//! This file is its own test target so that its global allocator — capped
//! at [`ALLOCATION_LIMIT`] for the whole process — does not apply to the
//! other tests. An allocation beyond the cap aborts the process; the test
//! therefore runs the cases in a child process (the same test binary), runs
//! each case in flight when a child died alone to name the one that kills
//! it, and resumes the campaign after it.
//!
//! Environment (see docs/testing.md):
//! - `ROTAPLAN_FUZZ_CASES`: cases per target (default [`DEFAULT_CASES`]).
//! - `ROTAPLAN_FUZZ_SEED`: the campaign's seed (default 0); each case's
//!   random generator is seeded from it, the target and the case number.
//! - `ROTAPLAN_FUZZ_ONLY`: `target` or `target:case` to run only those.
//! - `ROTAPLAN_FUZZ_MOST_DEATHS`: stop after this many cases killed a child.

#[path = "it/common.rs"]
#[allow(dead_code)]
mod common;

use std::alloc::System;
use std::fmt;
use std::io::{Cursor, Read, Write};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use cap::Cap;
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;
use rotaplan::error::Error;

/// The most the fuzzing process may hold at once, every thread together:
/// 1 GiB. A reader that asks for more aborts the child process.
const ALLOCATION_LIMIT: usize = 1 << 30;

/// The largest input a mutation makes (bytes of one file or workbook part):
/// the fuzzer looks for malformed input, not for the bounds on size.
const MAX_INPUT: usize = 4 << 20;

/// Cases per target in the suite: well under a minute in release mode on two cores.
const DEFAULT_CASES: u64 = 1000;

#[global_allocator]
static ALLOCATOR: Cap<System> = Cap::new(System, ALLOCATION_LIMIT);

/// Set in the child process that runs the cases.
const WORKER: &str = "ROTAPLAN_FUZZ_WORKER";
/// The folder where the child keeps its in-flight cases (set by the parent).
const WORK_DIR: &str = "ROTAPLAN_FUZZ_WORK_DIR";

// ---------------------------------------------------------------------------
// Targets and seeds
// ---------------------------------------------------------------------------

/// What a case feeds its bytes to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Target {
    /// `io::load` on a data folder with one (sometimes two) files mutated.
    Folder,
    /// `io::load` on a mutated .xlsx workbook.
    Workbook,
    /// `io::load` of the tiny county with a mutated `--policy` override.
    PolicyOverride,
    /// `read_plan_list` on a mutated rotations.csv.
    PlanCsv,
    /// `read_plan_list` on a mutated plan.xlsx.
    PlanXlsx,
    /// `scenario::load_scenario` on a mutated scenario file (loading only, no solve).
    Scenario,
    /// An input that once failed, kept in tests/fixtures/fuzz-crashes/, read as it is.
    Replay,
}

impl Target {
    const ALL: [Target; 7] = [
        Target::Folder,
        Target::Workbook,
        Target::PolicyOverride,
        Target::PlanCsv,
        Target::PlanXlsx,
        Target::Scenario,
        Target::Replay,
    ];

    fn name(self) -> &'static str {
        match self {
            Target::Folder => "folder",
            Target::Workbook => "workbook",
            Target::PolicyOverride => "policy",
            Target::PlanCsv => "plan-csv",
            Target::PlanXlsx => "plan-xlsx",
            Target::Scenario => "scenario",
            Target::Replay => "replay",
        }
    }

    fn number(self) -> u64 {
        Target::ALL.iter().position(|t| *t == self).map_or(0, |i| i as u64 + 1)
    }
}

/// A named file's bytes.
#[derive(Clone)]
struct Seed {
    name: String,
    bytes: Vec<u8>,
}

/// A data folder: its name and files.
struct FolderSeed {
    name: String,
    files: Vec<Seed>,
}

/// Everything the mutations start from.
struct Corpus {
    folders: Vec<FolderSeed>,
    workbooks: Vec<Seed>,
    policies: Vec<Seed>,
    plan_csv: Vec<Seed>,
    plan_xlsx: Vec<Seed>,
    scenarios: Vec<Seed>,
    /// The tiny county on disk, the base of the policy override.
    tiny: PathBuf,
    /// Every text seed, for splicing across files.
    texts: Vec<Vec<u8>>,
}

fn repo(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

fn read(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap_or_else(|e| panic!("reading seed {}: {e}", path.display()))
}

fn folder_seed(name: &str, path: &Path) -> FolderSeed {
    let mut files: Vec<Seed> = std::fs::read_dir(path)
        .unwrap_or_else(|e| panic!("listing {}: {e}", path.display()))
        .map(|entry| entry.expect("folder entry").path())
        .filter(|p| p.is_file())
        .map(|p| Seed { name: p.file_name().expect("file name").to_string_lossy().into_owned(), bytes: read(&p) })
        .collect();
    files.sort_by(|a, b| a.name.cmp(&b.name));
    FolderSeed { name: name.to_string(), files }
}

/// The plan list files rotaplan writes for a county (rotations.csv,
/// plan.xlsx), kept under `cache` so that a restarted child need not plan again.
fn plan_lists(data: &Path, cache: &Path) -> (Seed, Seed) {
    let county = data.file_name().expect("county name").to_string_lossy().into_owned();
    let (csv, xlsx) = (cache.join(format!("{county}-rotations.csv")), cache.join(format!("{county}-plan.xlsx")));
    if !(csv.exists() && xlsx.exists()) {
        let loaded = rotaplan::io::load(data, None).expect("seed county loads");
        let options = rotaplan::plan::PlanOptions::default();
        let outcome = rotaplan::plan::plan(&loaded.county, Vec::new(), &options).expect("seed county plans");
        let rotaplan::plan::Outcome::Planned(plan) = outcome else {
            panic!("seed county {} is infeasible", data.display())
        };
        let files = rotaplan::render::output::plan_files(&loaded.county, &plan, rotaplan::render::Lang::Zh)
            .expect("plan files");
        let file = |name: &str| files.get(name).unwrap_or_else(|| panic!("plan writes {name}")).to_vec();
        write(&csv, &file("rotations.csv"));
        write(&xlsx, &file("plan.xlsx"));
    }
    (
        Seed { name: format!("{county}/rotations.csv"), bytes: read(&csv) },
        Seed { name: format!("{county}/plan.xlsx"), bytes: read(&xlsx) },
    )
}

/// Scenario seeds for the tiny county (its ids), beside the repository's.
const TINY_SCENARIOS: [&str; 3] = [
    "name = \"招聘与退休\"\ndata = \"DATA\"\n\n[policy]\nrotation = { min_share = 0.10 }\n\n[[hire]]\nsection = \"primary\"\nsubject = \"math\"\ndegree = \"bachelor\"\nbackbone = \"county\"\ntitle = \"senior\"\ncount = 2\n\n[[retire]]\nteacher_id = \"1001\"\n",
    "name = \"撤并\"\ndata = \"DATA\"\n\n[[close]]\nschool_id = \"S04\"\nmerge_into = \"S02\"\n\n[[enrollment]]\nschool_id = \"S01\"\nprimary_students = 900\nprimary_classes = 20\n",
    "data = \"DATA\"\n[[enrollment]]\nschool_id = \"S03\"\njunior_students = 250\njunior_classes = 6\n",
];

impl Corpus {
    /// Reads the seeds; those made by rotaplan are kept under `cache`.
    fn build(cache: &Path) -> Corpus {
        std::fs::create_dir_all(cache).expect("create seed cache");
        let fixtures = repo("tests/fixtures");
        let mut folders = Vec::new();
        for name in ["tiny", "tiny_bom", "tiny_gbk", "tiny_classes", "plan_headcount"] {
            folders.push(folder_seed(name, &fixtures.join(name)));
        }
        let mut broken: Vec<PathBuf> = std::fs::read_dir(fixtures.join("broken"))
            .expect("list broken fixtures")
            .map(|e| e.expect("entry").path())
            .filter(|p| p.is_dir())
            .collect();
        broken.sort();
        for path in broken {
            let name = format!("broken/{}", path.file_name().expect("name").to_string_lossy());
            folders.push(folder_seed(&name, &path));
        }
        let voice = cache.join("tiny-voice");
        if !voice.exists() {
            write_voice_county(&fixtures.join("tiny"), &voice);
        }
        folders.push(folder_seed("tiny-voice", &voice));
        let anze = repo("data/anze");
        let mut anze_seed = folder_seed("data/anze", &anze);
        anze_seed.files.retain(|f| !f.name.eq_ignore_ascii_case("README.md"));
        folders.push(anze_seed);

        // Workbooks: the fixture, and data/anze and tiny as Excel would hold them.
        let mut workbooks = vec![Seed { name: "tiny.xlsx".into(), bytes: read(&fixtures.join("tiny.xlsx")) }];
        for (name, folder, chinese) in [
            ("anze.xlsx", &anze, false),
            ("tiny-zh.xlsx", &fixtures.join("tiny"), true),
            ("tiny-voice.xlsx", &voice, true),
        ] {
            let path = cache.join(name);
            if !path.exists() {
                common::workbook_from_folder(folder, &path, chinese);
            }
            workbooks.push(Seed { name: name.into(), bytes: read(&path) });
        }

        let mut policies = Vec::new();
        for folder in &folders {
            for file in folder.files.iter().filter(|f| f.name.ends_with(".toml")) {
                policies.push(Seed { name: format!("{}/{}", folder.name, file.name), bytes: file.bytes.clone() });
            }
        }

        // Plan lists of a small synthetic county and of data/anze.
        let small = cache.join("synth-11");
        if !small.exists() {
            rotaplan::commands::synth::write_county(&small, 11, 4).expect("synthetic county");
        }
        folders.push(folder_seed("synth-11", &small));
        let (small_csv, small_xlsx) = plan_lists(&small, cache);
        let (anze_csv, anze_xlsx) = plan_lists(&anze, cache);
        let cv = Seed { name: "cv_example.csv".into(), bytes: read(&fixtures.join("cv_example.csv")) };
        let plan_csv = vec![small_csv, anze_csv, cv];
        let plan_xlsx = vec![small_xlsx, anze_xlsx];

        // Scenarios name their base data by an absolute path here, since the
        // mutated file is written into a temporary folder.
        let mut scenarios = Vec::new();
        let mut names: Vec<PathBuf> = std::fs::read_dir(repo("scenarios"))
            .expect("list scenarios")
            .map(|e| e.expect("entry").path())
            .filter(|p| p.extension().is_some_and(|e| e == "toml"))
            .collect();
        names.sort();
        let anze_text = anze.display().to_string();
        for path in names {
            let text = String::from_utf8(read(&path)).expect("scenario is UTF-8").replace("../data/anze", &anze_text);
            let name = format!("scenarios/{}", path.file_name().expect("name").to_string_lossy());
            scenarios.push(Seed { name, bytes: text.into_bytes() });
        }
        let tiny_text = fixtures.join("tiny").display().to_string();
        for (i, text) in TINY_SCENARIOS.iter().enumerate() {
            scenarios.push(Seed {
                name: format!("tiny-scenario-{i}"),
                bytes: text.replace("DATA", &tiny_text).into_bytes(),
            });
        }

        let mut texts: Vec<Vec<u8>> = folders.iter().flat_map(|f| f.files.iter().map(|s| s.bytes.clone())).collect();
        texts.extend(plan_csv.iter().map(|s| s.bytes.clone()));
        texts.extend(scenarios.iter().map(|s| s.bytes.clone()));
        Corpus { folders, workbooks, policies, plan_csv, plan_xlsx, scenarios, tiny: fixtures.join("tiny"), texts }
    }
}

/// The tiny county with applications.csv, family.csv and a `[priority]`
/// scale (issue 14), written into `out`: every column and rule word once.
fn write_voice_county(tiny: &Path, out: &Path) {
    common::copy_folder(tiny, out);
    let policy = String::from_utf8(read(&out.join("policy.toml"))).expect("tiny policy is UTF-8");
    let scale = "\n[priority]\nschool_year = 1\nrural_year = 2\nage_year = 0.5\nage_from = 50\n";
    write(&out.join("policy.toml"), format!("{policy}{scale}").as_bytes());
    let applications = "teacher_id,volunteer,wish_1,wish_2,wish_3,wish_4,wish_5,extra_points,note
1002,yes,S03,S04,,,,1.5,愿去乡村
1013,no,S03,,,,,,
1021,是,S01,,,,,-2,
1028,1,,,,,,1.25,
1024,true,S01,S04,,,,,
";
    write(&out.join("applications.csv"), applications.as_bytes());
    let family = "teacher_a,teacher_b,rule\n1002,1021,same_town\n1013,1002,within_km 30\n1025,1026,不超过10公里\n";
    write(&out.join("family.csv"), family.as_bytes());
}

// ---------------------------------------------------------------------------
// Mutations
// ---------------------------------------------------------------------------

/// Numbers that have broken or stretched readers elsewhere.
const HUGE_NUMBERS: [&str; 18] = [
    "4294967295",
    "4294967296",
    "2147483647",
    "-2147483648",
    "9223372036854775807",
    "18446744073709551616",
    "99999999999999999999999999999999",
    "-1",
    "-0",
    "1e308",
    "1e999",
    "-1e308",
    "NaN",
    "inf",
    "0.000000000000000000001",
    "1_000",
    "0x10",
    "45658",
];

/// Words that mean something to some reader.
const TOKENS: [&str; 42] = [
    "",
    " ",
    "yes",
    "no",
    "是",
    "否",
    "TRUE",
    "primary",
    "junior",
    "小学",
    "初中",
    "nine_year",
    "teaching_point",
    "math",
    "数学",
    "bachelor",
    "county",
    "senior",
    "stay",
    "move",
    "move_to",
    "forbid",
    "S01",
    "S99",
    "1001",
    "H001",
    "2025-01-01",
    "same_town",
    "within_km 5",
    "不超过10公里",
    "S03;S04",
    "-100",
    "1.25",
    "=1+1",
    "'=SUM(A1)",
    "@x",
    "\"",
    "\"\"",
    ",",
    ";",
    "\t",
    "..",
];

fn random_bytes(rng: &mut ChaCha8Rng, len: usize) -> Vec<u8> {
    (0..len).map(|_| rng.random::<u8>()).collect()
}

fn position(rng: &mut ChaCha8Rng, data: &[u8]) -> usize {
    rng.random_range(0..=data.len())
}

/// The start and end of a random line.
fn line_span(rng: &mut ChaCha8Rng, data: &[u8]) -> (usize, usize) {
    let at = position(rng, data);
    let start = data[..at].iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
    let end = data[at..].iter().position(|&b| b == b'\n').map_or(data.len(), |i| at + i + 1);
    (start, end)
}

/// The start and end of a random field (text between delimiters).
fn field_span(rng: &mut ChaCha8Rng, data: &[u8]) -> (usize, usize) {
    let is_delimiter = |b: u8| matches!(b, b',' | b'\n' | b'\r' | b'=' | b'"' | b'<' | b'>' | b'\t');
    let at = position(rng, data);
    let start = data[..at].iter().rposition(|&b| is_delimiter(b)).map_or(0, |i| i + 1);
    let end = data[at..].iter().position(|&b| is_delimiter(b)).map_or(data.len(), |i| at + i);
    (start, end.max(start))
}

/// Applies one random mutation to text-like bytes; returns its name.
fn mutate_once(rng: &mut ChaCha8Rng, data: &mut Vec<u8>, corpus: &Corpus) -> &'static str {
    match rng.random_range(0..19) {
        0 if !data.is_empty() => {
            let at = rng.random_range(0..data.len());
            data[at] ^= 1 << rng.random_range(0..8);
            "bit flip"
        }
        1 if !data.is_empty() => {
            let at = rng.random_range(0..data.len());
            data[at] = rng.random();
            "random byte"
        }
        2 => {
            let at = position(rng, data);
            let len = rng.random_range(1..16);
            let bytes = random_bytes(rng, len);
            data.splice(at..at, bytes);
            "insert bytes"
        }
        3 if !data.is_empty() => {
            let at = rng.random_range(0..data.len());
            let most = if rng.random_bool(0.8) { 16 } else { 4096 };
            let len = rng.random_range(1..=(data.len() - at).min(most));
            data.drain(at..at + len);
            "delete"
        }
        4 => {
            let at = position(rng, data);
            data.truncate(at);
            "truncate"
        }
        5 => {
            let other = corpus.texts.choose(rng).expect("text seeds");
            if !other.is_empty() {
                let from = rng.random_range(0..other.len());
                let len = rng.random_range(1..=(other.len() - from).min(2048));
                let at = position(rng, data);
                let chunk = other[from..from + len].to_vec();
                if rng.random_bool(0.5) {
                    data.splice(at..at, chunk);
                } else {
                    data.truncate(at);
                    data.extend_from_slice(&chunk);
                }
            }
            "splice"
        }
        6 => {
            let (start, end) = line_span(rng, data);
            let line = data[start..end].to_vec();
            let times = if rng.random_bool(0.9) { rng.random_range(1..4) } else { rng.random_range(100..3000) };
            let copies: Vec<u8> = line.iter().copied().cycle().take((line.len() * times).min(MAX_INPUT)).collect();
            data.splice(end..end, copies);
            "duplicate line"
        }
        7 => {
            let digits: Vec<usize> =
                data.iter().enumerate().filter(|(_, b)| b.is_ascii_digit()).map(|(i, _)| i).collect();
            let number = HUGE_NUMBERS.choose(rng).expect("numbers").as_bytes();
            if let Some(&at) = digits.choose(rng) {
                let start = data[..at].iter().rposition(|b| !b.is_ascii_digit() && *b != b'.').map_or(0, |i| i + 1);
                let end =
                    data[at..].iter().position(|b| !b.is_ascii_digit() && *b != b'.').map_or(data.len(), |i| at + i);
                data.splice(start..end, number.iter().copied());
            } else {
                let at = position(rng, data);
                data.splice(at..at, number.iter().copied());
            }
            "huge number"
        }
        8 => {
            let (start, end) = field_span(rng, data);
            let unit: &[u8] = [&b"x"[..], "中".as_bytes(), b"9", b" ", b"\""].choose(rng).expect("units");
            let len =
                if rng.random_bool(0.8) { rng.random_range(100..40_000) } else { rng.random_range(40_000..400_000) };
            let long: Vec<u8> = unit.iter().copied().cycle().take(unit.len() * len).collect();
            data.splice(start..end, long);
            "long field"
        }
        9 => {
            let (from, to): (&[u8], &[u8]) =
                *[(&b"\n"[..], &b"\r\n"[..]), (b"\n", b"\r"), (b"\r\n", b"\n"), (b"\n", b"")]
                    .choose(rng)
                    .expect("line ends");
            *data = replace_all(data, from, to);
            "line ends"
        }
        10 => {
            let bad: &[u8] =
                [&[0xFF][..], &[0xC3], &[0xED, 0xA0, 0x80], &[0xD1, 0xA7], &[0x00], &[0x81, 0x30], &[0xFE, 0xFF]]
                    .choose(rng)
                    .expect("bytes");
            let at = position(rng, data);
            data.splice(at..at, bad.iter().copied());
            "invalid UTF-8"
        }
        11 => {
            let at = position(rng, data);
            let quote: &[u8] = [&b"\""[..], b"\"\"", b"'", b"\"\n"].choose(rng).expect("quotes");
            data.splice(at..at, quote.iter().copied());
            "quote"
        }
        12 => {
            let (start, end) = field_span(rng, data);
            let token = TOKENS.choose(rng).expect("tokens").as_bytes();
            data.splice(start..end, token.iter().copied());
            "token"
        }
        13 => {
            let mark: &[u8] = [&[0xEF, 0xBB, 0xBF][..], &[0xFF, 0xFE], &[0xFE, 0xFF]].choose(rng).expect("marks");
            data.splice(0..0, mark.iter().copied());
            "byte order mark"
        }
        14 => {
            let at = position(rng, data);
            let unit: &[u8] = [&b"["[..], b"{", b"[[", b"a.", b"<a>"].choose(rng).expect("nesting");
            let depth = rng.random_range(10..20_000);
            let nest: Vec<u8> = unit.iter().copied().cycle().take(unit.len() * depth).collect();
            data.splice(at..at, nest);
            "nesting"
        }
        15 => {
            let (a0, a1) = line_span(rng, data);
            let line = data[a0..a1].to_vec();
            data.drain(a0..a1);
            let at = position(rng, data);
            data.splice(at..at, line);
            "move line"
        }
        16 => {
            let (start, end) = line_span(rng, data);
            data.drain(start..end);
            "delete line"
        }
        17 => {
            let (start, end) = field_span(rng, data);
            let field = data[start..end].to_vec();
            let (s2, e2) = field_span(rng, data);
            data.splice(s2..e2, field);
            "copy field"
        }
        _ => {
            let at = position(rng, data);
            let text: &[u8] =
                [&b","[..], b",,,,,,,,,,", b"\n", b"\n\n\n", b"#", b"=", b" = ", b"\t"].choose(rng).expect("structure");
            data.splice(at..at, text.iter().copied());
            "structure"
        }
    }
}

fn replace_all(data: &[u8], from: &[u8], to: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(data.len());
    let mut i = 0;
    while i < data.len() {
        if data[i..].starts_with(from) {
            out.extend_from_slice(to);
            i += from.len();
        } else {
            out.push(data[i]);
            i += 1;
        }
    }
    out
}

/// One to six stacked text mutations (one in half the cases), or (rarely) random bytes.
fn mutate_text(rng: &mut ChaCha8Rng, seed: &[u8], corpus: &Corpus, log: &mut Vec<&'static str>) -> Vec<u8> {
    if rng.random_bool(0.04) {
        log.push("random file");
        let len = rng.random_range(0..4096);
        return random_bytes(rng, len);
    }
    let mut data = seed.to_vec();
    let stacked = if rng.random_bool(0.5) { 1 } else { rng.random_range(2..=6) };
    for _ in 0..stacked {
        log.push(mutate_once(rng, &mut data, corpus));
        data.truncate(MAX_INPUT);
    }
    data
}

/// Cell references and values that stretch a sheet's reader.
const FAR_CELLS: [&str; 8] =
    ["XFD1048576", "GR1048576", "A1048576", "XFD1", "A0", "ZZZZ1", "A99999999999", "AAA100000"];
const CELL_TYPES: [&str; 8] = ["s", "n", "b", "e", "str", "inlineStr", "d", "zz"];

/// Replaces the value of a random `attribute="…"` occurrence.
fn replace_attribute(rng: &mut ChaCha8Rng, xml: &mut Vec<u8>, attribute: &[u8], value: &[u8]) -> bool {
    let mut pattern = attribute.to_vec();
    pattern.extend_from_slice(b"=\"");
    let hits: Vec<usize> =
        xml.windows(pattern.len()).enumerate().filter(|(_, w)| *w == &pattern[..]).map(|(i, _)| i).collect();
    let Some(&at) = hits.choose(rng) else { return false };
    let start = at + pattern.len();
    let Some(len) = xml[start..].iter().position(|&b| b == b'"') else { return false };
    xml.splice(start..start + len, value.iter().copied());
    true
}

/// One XML-aware mutation of a workbook part.
fn mutate_xml(rng: &mut ChaCha8Rng, xml: &mut Vec<u8>) -> &'static str {
    match rng.random_range(0..7) {
        0 => {
            let cell = FAR_CELLS.choose(rng).expect("cells").as_bytes();
            replace_attribute(rng, xml, b"r", cell);
            "far cell reference"
        }
        1 => {
            let cell = FAR_CELLS.choose(rng).expect("cells");
            replace_attribute(rng, xml, b"ref", format!("A1:{cell}").as_bytes());
            "dimension"
        }
        2 => {
            let kind = CELL_TYPES.choose(rng).expect("types").as_bytes();
            replace_attribute(rng, xml, b"t", kind);
            "cell type"
        }
        3 => {
            let hits: Vec<usize> =
                xml.windows(3).enumerate().filter(|(_, w)| *w == b"<v>").map(|(i, _)| i + 3).collect();
            if let Some(&start) = hits.choose(rng) {
                let end = xml[start..].iter().position(|&b| b == b'<').map_or(xml.len(), |i| start + i);
                let value = HUGE_NUMBERS.choose(rng).expect("numbers").as_bytes();
                xml.splice(start..end, value.iter().copied());
            }
            "cell value"
        }
        4 => {
            let tag: &[u8] = [&b"<row"[..], b"<c ", b"<si>", b"<sheet "].choose(rng).expect("tags");
            let hits: Vec<usize> =
                xml.windows(tag.len()).enumerate().filter(|(_, w)| *w == tag).map(|(i, _)| i).collect();
            if let Some(&start) = hits.choose(rng) {
                let end = xml[start + 1..].iter().position(|&b| b == b'<').map_or(xml.len(), |i| start + 1 + i);
                let element = xml[start..end].to_vec();
                let times = if rng.random_bool(0.9) { 1 } else { rng.random_range(100..5000) };
                let copies: Vec<u8> =
                    element.iter().copied().cycle().take((element.len() * times).min(MAX_INPUT)).collect();
                xml.splice(end..end, copies);
            }
            "duplicate element"
        }
        5 => {
            let name = [
                "schools",
                "教师",
                "teachers",
                "policy",
                "locks",
                "exchanges",
                "交流记录",
                "applications",
                "交流申请",
                "family",
                "家庭",
                "Sheet1",
                "rotations",
                "交流名单",
                "",
            ]
            .choose(rng)
            .expect("names");
            replace_attribute(rng, xml, b"name", name.as_bytes());
            "sheet name"
        }
        _ => {
            let hits: Vec<usize> = xml.windows(2).enumerate().filter(|(_, w)| *w == b"</").map(|(i, _)| i).collect();
            if let Some(&start) = hits.choose(rng) {
                let end = xml[start..].iter().position(|&b| b == b'>').map_or(xml.len(), |i| start + i + 1);
                xml.drain(start..end);
            }
            "unclosed element"
        }
    }
}

/// A mutated workbook: the zip's bytes, or (more often) the XML inside.
fn mutate_workbook(rng: &mut ChaCha8Rng, seed: &[u8], corpus: &Corpus, log: &mut Vec<&'static str>) -> Vec<u8> {
    if rng.random_bool(0.2) {
        log.push("zip bytes");
        let mut data = seed.to_vec();
        for _ in 0..rng.random_range(1..=3) {
            log.push(mutate_once(rng, &mut data, corpus));
            data.truncate(MAX_INPUT);
        }
        return data;
    }
    let mut archive = zip::ZipArchive::new(Cursor::new(seed)).expect("seed workbook is a zip");
    let mut entries = Vec::new();
    for i in 0..archive.len() {
        let mut file = archive.by_index(i).expect("zip entry");
        let mut bytes = Vec::new();
        file.read_to_end(&mut bytes).expect("zip entry bytes");
        entries.push((file.name().expect("entry name").to_string(), bytes));
    }
    let weight = |name: &str| {
        if name.contains("worksheets/sheet") {
            6
        } else if name.contains("sharedStrings") || name.ends_with("workbook.xml") {
            3
        } else {
            1
        }
    };
    let weights: Vec<(usize, u32)> = entries.iter().enumerate().map(|(i, (name, _))| (i, weight(name))).collect();
    for _ in 0..rng.random_range(1..=3) {
        let index = weights.choose_weighted(rng, |(_, w)| *w).expect("entries").0;
        log.push("xml");
        let xml = &mut entries[index].1;
        if rng.random_bool(0.6) {
            log.push(mutate_xml(rng, xml));
        } else {
            log.push(mutate_once(rng, xml, corpus));
        }
        xml.truncate(MAX_INPUT);
    }
    if rng.random_bool(0.05) && !entries.is_empty() {
        log.push("drop entry");
        let i = rng.random_range(0..entries.len());
        entries.remove(i);
    }
    let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let method = if rng.random_bool(0.5) { zip::CompressionMethod::Deflated } else { zip::CompressionMethod::Stored };
    let options = zip::write::SimpleFileOptions::default().compression_method(method).large_file(false);
    for (name, bytes) in &entries {
        writer.start_file(name.as_str(), options).expect("zip start");
        writer.write_all(bytes).expect("zip write");
    }
    writer.finish().expect("zip finish").into_inner()
}

// ---------------------------------------------------------------------------
// Cases
// ---------------------------------------------------------------------------

/// How a case ended when it did not fail.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Ending {
    Accepted,
    Refused,
}

/// A case that failed: what it was and why.
struct Failure {
    case: String,
    mutations: String,
    reason: String,
    saved: PathBuf,
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} [{}]: {} (input saved in {})", self.case, self.mutations, self.reason, self.saved.display())
    }
}

/// Ok and input errors with located problems are fine; anything else is not.
fn judge<T>(result: Result<T, Error>) -> Result<Ending, String> {
    match result {
        Ok(_) => Ok(Ending::Accepted),
        Err(Error::Input(problems)) => {
            if problems.is_empty() {
                return Err("an input error that lists no problem".into());
            }
            for problem in &problems {
                if problem.location.trim().is_empty() {
                    return Err(format!("an input problem without a location: {problem}"));
                }
                if problem.message.trim().is_empty() {
                    return Err(format!("an input problem without a message: {problem}"));
                }
            }
            Ok(Ending::Refused)
        }
        Err(other) => Err(format!("not an input error (exit status {}): {other}", other.exit_code())),
    }
}

fn write(path: &Path, bytes: &[u8]) {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).expect("create case folder");
    }
    std::fs::write(path, bytes).expect("write case file");
}

/// The folders of inputs that once failed (tests/fixtures/fuzz-crashes/), sorted.
/// Each holds what the failing case wrote: `county.xlsx` (a workbook),
/// `plan.xlsx` or `rotations.csv` (a plan list), `data/` (a data folder) or
/// `override.toml` (a policy override of the tiny county). The folder
/// `open/` keeps inputs that still fail, reported and not yet fixed: they
/// are not replayed until their folder moves up beside the others.
fn crash_folders() -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(repo("tests/fixtures/fuzz-crashes")) else { return Vec::new() };
    let mut folders: Vec<PathBuf> = entries
        .map(|e| e.expect("entry").path())
        .filter(|p| p.is_dir() && p.file_name().is_some_and(|n| n != "open"))
        .collect();
    folders.sort();
    folders
}

/// Writes a case's input under `dir` and returns the call that reads it.
fn prepare(
    target: Target,
    case: u64,
    rng: &mut ChaCha8Rng,
    corpus: &Corpus,
    dir: &Path,
    log: &mut Vec<&'static str>,
) -> (String, Box<dyn FnOnce() -> Result<Ending, String>>) {
    match target {
        Target::Folder => {
            let folder = corpus.folders.choose(rng).expect("folders");
            let data = dir.join("data");
            std::fs::create_dir_all(&data).expect("create data folder");
            let mutated = rng.random_range(0..folder.files.len());
            let second = rng.random_bool(0.1).then(|| rng.random_range(0..folder.files.len()));
            for (i, file) in folder.files.iter().enumerate() {
                let bytes = if i == mutated || Some(i) == second {
                    mutate_text(rng, &file.bytes, corpus, log)
                } else {
                    file.bytes.clone()
                };
                write(&data.join(&file.name), &bytes);
            }
            let what = format!("{} ({})", folder.name, folder.files[mutated].name);
            (what, Box::new(move || judge(rotaplan::io::load(&data, None))))
        }
        Target::Workbook => {
            let seed = corpus.workbooks.choose(rng).expect("workbooks");
            let path = dir.join("county.xlsx");
            write(&path, &mutate_workbook(rng, &seed.bytes, corpus, log));
            (seed.name.clone(), Box::new(move || judge(rotaplan::io::load(&path, None))))
        }
        Target::PolicyOverride => {
            let seed = corpus.policies.choose(rng).expect("policies");
            let path = dir.join("override.toml");
            write(&path, &mutate_text(rng, &seed.bytes, corpus, log));
            let tiny = corpus.tiny.clone();
            (seed.name.clone(), Box::new(move || judge(rotaplan::io::load(&tiny, Some(&path)))))
        }
        Target::PlanCsv => {
            let seed = corpus.plan_csv.choose(rng).expect("plan lists");
            let path = dir.join("rotations.csv");
            write(&path, &mutate_text(rng, &seed.bytes, corpus, log));
            (seed.name.clone(), Box::new(move || judge(rotaplan::io::plan_list::read_plan_list(&path))))
        }
        Target::PlanXlsx => {
            let seed = corpus.plan_xlsx.choose(rng).expect("plan workbooks");
            let path = dir.join("plan.xlsx");
            write(&path, &mutate_workbook(rng, &seed.bytes, corpus, log));
            (seed.name.clone(), Box::new(move || judge(rotaplan::io::plan_list::read_plan_list(&path))))
        }
        Target::Replay => {
            let folders = crash_folders();
            let index = usize::try_from(case).expect("case number");
            let folder = folders.get(index).unwrap_or_else(|| panic!("no crash folder number {case}"));
            copy_tree(folder, dir).expect("copy crash input");
            let name = folder.file_name().expect("name").to_string_lossy().into_owned();
            let (book, list, data, policy) =
                (dir.join("county.xlsx"), dir.join("plan.xlsx"), dir.join("data"), dir.join("override.toml"));
            let csv_list = dir.join("rotations.csv");
            let tiny = corpus.tiny.clone();
            let call: Box<dyn FnOnce() -> Result<Ending, String>> = if book.exists() {
                Box::new(move || judge(rotaplan::io::load(&book, None)))
            } else if list.exists() {
                Box::new(move || judge(rotaplan::io::plan_list::read_plan_list(&list)))
            } else if csv_list.exists() {
                Box::new(move || judge(rotaplan::io::plan_list::read_plan_list(&csv_list)))
            } else if data.exists() {
                Box::new(move || judge(rotaplan::io::load(&data, policy.exists().then_some(policy.as_path()))))
            } else if policy.exists() {
                Box::new(move || judge(rotaplan::io::load(&tiny, Some(&policy))))
            } else {
                panic!("{}: no input this fuzzer knows", folder.display())
            };
            (format!("fuzz-crashes/{name}"), call)
        }
        Target::Scenario => {
            let seed = corpus.scenarios.choose(rng).expect("scenarios");
            let path = dir.join("scenario.toml");
            write(&path, &mutate_text(rng, &seed.bytes, corpus, log));
            (seed.name.clone(), Box::new(move || judge(rotaplan::io::scenario::load_scenario(&path).map(|_| ()))))
        }
    }
}

/// The random generator of one case: the campaign's seed, the target and the case number.
fn case_rng(campaign: u64, target: Target, case: u64) -> ChaCha8Rng {
    let mut seed = [0u8; 32];
    seed[..8].copy_from_slice(&campaign.to_le_bytes());
    seed[8..16].copy_from_slice(&target.number().to_le_bytes());
    seed[16..24].copy_from_slice(&case.to_le_bytes());
    ChaCha8Rng::from_seed(seed)
}

thread_local! {
    /// The message of the last panic on this thread.
    static LAST_PANIC: std::cell::RefCell<String> = const { std::cell::RefCell::new(String::new()) };
    /// Whether this thread is inside a case (its panics are recorded, not printed).
    static IN_CASE: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Where failing inputs are kept.
fn failures_dir() -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR")).join("fuzz-failures")
}

/// Runs one case in `work/<target>-<case>`; the folder is removed unless the case fails.
fn run_case(campaign: u64, target: Target, case: u64, corpus: &Corpus, work: &Path) -> Result<Ending, Failure> {
    let id = case_id(campaign, target, case);
    let dir = work.join(&id);
    let marker = work.join(format!("in-flight-{}", rayon::current_thread_index().unwrap_or(0)));
    std::fs::write(&marker, &id).expect("write marker");
    let mut rng = case_rng(campaign, target, case);
    let mut log = Vec::new();
    let (seed, call) = prepare(target, case, &mut rng, corpus, &dir, &mut log);
    std::fs::write(&marker, format!("{id}\n{seed}\n{}", log.join(", "))).expect("write marker");
    LAST_PANIC.with(|p| p.borrow_mut().clear());
    IN_CASE.with(|c| c.set(true));
    let caught = catch_unwind(AssertUnwindSafe(call));
    IN_CASE.with(|c| c.set(false));
    let outcome = caught.unwrap_or_else(|_| Err(format!("panic: {}", LAST_PANIC.with(|p| p.borrow().clone()))));
    match outcome {
        Ok(ending) => {
            std::fs::remove_dir_all(&dir).expect("remove case folder");
            Ok(ending)
        }
        Err(reason) => {
            let saved = failures_dir().join(&id);
            let _ = std::fs::remove_dir_all(&saved);
            std::fs::create_dir_all(failures_dir()).expect("create failures folder");
            std::fs::rename(&dir, &saved).or_else(|_| copy_tree(&dir, &saved)).expect("keep failing input");
            Err(Failure { case: format!("{id} from {seed}"), mutations: log.join(", "), reason, saved })
        }
    }
}

fn copy_tree(from: &Path, to: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        if entry.file_type()?.is_dir() {
            copy_tree(&entry.path(), &to.join(entry.file_name()))?;
        } else {
            std::fs::copy(entry.path(), to.join(entry.file_name()))?;
        }
    }
    Ok(())
}

fn env_number(name: &str, default: u64) -> u64 {
    match std::env::var(name) {
        Ok(text) => text.trim().parse().unwrap_or_else(|_| panic!("{name}={text} is not a whole number")),
        Err(_) => default,
    }
}

/// The targets and case numbers of the campaign: all, or those of ROTAPLAN_FUZZ_ONLY.
fn plan_cases() -> Vec<(Target, u64)> {
    let cases = env_number("ROTAPLAN_FUZZ_CASES", DEFAULT_CASES);
    let only = std::env::var("ROTAPLAN_FUZZ_ONLY").unwrap_or_default();
    let (only_target, only_case) = match only.split_once(':') {
        Some((t, c)) => (t.to_string(), Some(c.parse::<u64>().expect("ROTAPLAN_FUZZ_ONLY=target:case"))),
        None => (only.clone(), None),
    };
    let mut list = Vec::new();
    for target in Target::ALL {
        if !only_target.is_empty() && only_target != target.name() {
            continue;
        }
        match only_case {
            Some(case) => list.push((target, case)),
            None if target == Target::Replay => {
                list.extend((0..crash_folders().len() as u64).map(|case| (target, case)))
            }
            None => list.extend((0..cases).map(|case| (target, case))),
        }
    }
    assert!(
        !list.is_empty(),
        "ROTAPLAN_FUZZ_ONLY={only} names no target; use one of {:?}",
        Target::ALL.map(Target::name)
    );
    // Interleaved, so that every target is reached early in a long campaign.
    list.sort_by_key(|&(target, case)| (case, target.number()));
    list
}

/// Counts of one target.
#[derive(Clone, Copy, Default)]
struct Tally {
    cases: u64,
    accepted: u64,
    refused: u64,
    failed: u64,
    slowest_ms: u64,
}

impl Tally {
    fn add(&mut self, other: &Tally) {
        self.cases += other.cases;
        self.accepted += other.accepted;
        self.refused += other.refused;
        self.failed += other.failed;
        self.slowest_ms = self.slowest_ms.max(other.slowest_ms);
    }
}

/// What a child has done so far, written after every chunk of cases:
/// `next N`, `peak BYTES`, `tally TARGET cases accepted refused failed slowest_ms`
/// and `failure TEXT` lines.
struct Progress {
    next: usize,
    peak: usize,
    tallies: Vec<Tally>,
    failures: Vec<String>,
}

impl Progress {
    fn new(next: usize) -> Progress {
        Progress { next, peak: 0, tallies: vec![Tally::default(); Target::ALL.len()], failures: Vec::new() }
    }

    fn text(&self) -> String {
        let mut out = format!("next {}\npeak {}\n", self.next, self.peak);
        for (target, t) in Target::ALL.iter().zip(&self.tallies) {
            out.push_str(&format!(
                "tally {} {} {} {} {} {}\n",
                target.name(),
                t.cases,
                t.accepted,
                t.refused,
                t.failed,
                t.slowest_ms
            ));
        }
        for failure in &self.failures {
            out.push_str(&format!("failure {}\n", failure.replace('\n', " | ")));
        }
        out
    }

    fn parse(text: &str) -> Progress {
        let mut progress = Progress::new(0);
        for line in text.lines() {
            let (key, rest) = line.split_once(' ').unwrap_or((line, ""));
            match key {
                "next" => progress.next = rest.parse().expect("next"),
                "peak" => progress.peak = rest.parse().expect("peak"),
                "tally" => {
                    let fields: Vec<&str> = rest.split(' ').collect();
                    let index = Target::ALL.iter().position(|t| t.name() == fields[0]).expect("target");
                    let n = |i: usize| fields[i].parse::<u64>().expect("count");
                    progress.tallies[index] =
                        Tally { cases: n(1), accepted: n(2), refused: n(3), failed: n(4), slowest_ms: n(5) };
                }
                "failure" => progress.failures.push(rest.to_string()),
                _ => {}
            }
        }
        progress
    }
}

/// Cases run between two writes of the progress file.
const CHUNK: usize = 64;

/// Runs the cases from ROTAPLAN_FUZZ_START on, skipping ROTAPLAN_FUZZ_SKIP
/// (cases that killed an earlier child), writing `work/progress` as it goes.
fn run_campaign(work: &Path) -> Progress {
    let campaign = env_number("ROTAPLAN_FUZZ_SEED", 0);
    let default_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if !IN_CASE.with(std::cell::Cell::get) {
            return default_hook(info);
        }
        let message = match (info.payload().downcast_ref::<&str>(), info.payload().downcast_ref::<String>()) {
            (Some(s), _) => s.to_string(),
            (_, Some(s)) => s.clone(),
            _ => "(no message)".to_string(),
        };
        let place = info.location().map(|l| format!(" at {}:{}", l.file(), l.line())).unwrap_or_default();
        LAST_PANIC.with(|p| *p.borrow_mut() = format!("{message}{place}"));
    }));
    let corpus = Corpus::build(&work.join("seeds"));
    let cases = plan_cases();
    let start = usize::try_from(env_number("ROTAPLAN_FUZZ_START", 0)).expect("start");
    let skip: Vec<String> = std::env::var("ROTAPLAN_FUZZ_SKIP")
        .unwrap_or_default()
        .split(',')
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect();
    let mut progress = Progress::new(start);
    let progress_file = work.join("progress");
    while progress.next < cases.len() {
        let chunk = &cases[progress.next..(progress.next + CHUNK).min(cases.len())];
        let results: Vec<(Target, u64, Result<Ending, Failure>)> = chunk
            .par_iter()
            .filter(|(target, case)| !skip.contains(&case_id(campaign, *target, *case)))
            .map(|&(target, case)| {
                let started = Instant::now();
                let result = run_case(campaign, target, case, &corpus, work);
                (target, u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX), result)
            })
            .collect();
        for (target, ms, result) in results {
            let tally = &mut progress.tallies[target.number() as usize - 1];
            tally.cases += 1;
            tally.slowest_ms = tally.slowest_ms.max(ms);
            match result {
                Ok(Ending::Accepted) => tally.accepted += 1,
                Ok(Ending::Refused) => tally.refused += 1,
                Err(failure) => {
                    tally.failed += 1;
                    progress.failures.push(failure.to_string());
                }
            }
        }
        progress.next += chunk.len();
        progress.peak = ALLOCATOR.max_allocated();
        std::fs::write(&progress_file, progress.text()).expect("write progress");
    }
    progress
}

/// The name of a case: target, campaign seed and case number.
fn case_id(campaign: u64, target: Target, case: u64) -> String {
    format!("{}-{}-{}", target.name(), campaign, case)
}

/// The cases, run in this process: by the parent test in a child process,
/// or by hand with `--ignored` (then an abort is not traced to its case).
#[test]
#[ignore = "run by readers_survive_fuzzed_input in a child process"]
fn fuzz_worker() {
    let work = match std::env::var_os(WORK_DIR) {
        Some(dir) => PathBuf::from(dir),
        None => std::env::temp_dir().join(format!("rotaplan-fuzz-{}", std::process::id())),
    };
    std::fs::create_dir_all(&work).expect("create work folder");
    let progress = run_campaign(&work);
    if std::env::var_os(WORKER).is_none() {
        print!("{}", progress.text());
        assert!(progress.failures.is_empty(), "{} fuzz case(s) failed", progress.failures.len());
    }
}

/// Runs a child on the campaign from `start`, skipping `skip`; `only` runs one case.
fn run_child(work: &Path, start: usize, skip: &[String], only: Option<&str>) -> std::process::Output {
    let mut command = Command::new(std::env::current_exe().expect("test binary"));
    command
        .args(["fuzz_worker", "--exact", "--ignored", "--nocapture", "--test-threads=1"])
        .env(WORKER, "1")
        .env(WORK_DIR, work)
        .env("ROTAPLAN_FUZZ_START", start.to_string())
        .env("ROTAPLAN_FUZZ_SKIP", skip.join(","));
    match only {
        // A case run alone shows where it died.
        Some(only) => {
            command.env("ROTAPLAN_FUZZ_ONLY", only).env("ROTAPLAN_FUZZ_START", "0").env("RUST_BACKTRACE", "1")
        }
        None => command.env("RUST_BACKTRACE", "0"),
    };
    command.output().expect("start the fuzzing child")
}

/// The last lines of a child's output.
fn tail(bytes: &[u8], lines: usize) -> String {
    let text = String::from_utf8_lossy(bytes);
    let all: Vec<&str> = text.lines().collect();
    all[all.len().saturating_sub(lines)..].join("\n")
}

/// Why a child died, from its standard error: the message of the runtime
/// and the first frames outside the standard library and this harness.
fn cause_of_death(stderr: &[u8]) -> String {
    let text = String::from_utf8_lossy(stderr);
    let message = text
        .lines()
        .find(|l| ["memory allocation", "overflowed its stack", "panicked", "fatal"].iter().any(|m| l.contains(m)))
        .unwrap_or("no message")
        .trim()
        .to_string();
    let library = [
        "std::",
        "core::",
        "alloc::",
        "__rustc",
        "rayon",
        "fuzz_readers",
        "<alloc::",
        "<T as alloc",
        "<core::",
        "<std::",
    ];
    let frames: Vec<String> = text
        .lines()
        .filter_map(|l| l.trim().split_once(": ").filter(|(n, _)| n.parse::<u32>().is_ok()).map(|(_, f)| f.to_string()))
        .filter(|f| !library.iter().any(|p| f.starts_with(p)))
        .take(4)
        .collect();
    if frames.is_empty() {
        message
    } else {
        format!("{message}, in {}", frames.join(" < "))
    }
}

/// Runs the campaign in child processes under the capped allocator and
/// reports its counts. A child that dies (an allocation beyond the cap
/// aborts the process) is traced: each case it had in flight is run alone,
/// the one that kills a child alone is named and its input kept, and the
/// campaign resumes after it.
#[test]
fn readers_survive_fuzzed_input() {
    if std::env::var_os(WORKER).is_some() {
        return;
    }
    let started = Instant::now();
    let work = tempfile::tempdir().expect("work folder");
    let campaign = env_number("ROTAPLAN_FUZZ_SEED", 0);
    let total = plan_cases().len();
    // The campaign stops after this many cases killed a child.
    let most_deaths = usize::try_from(env_number("ROTAPLAN_FUZZ_MOST_DEATHS", 10)).expect("a count");
    let mut totals = Progress::new(0);
    let mut deaths: Vec<String> = Vec::new();
    let mut skip: Vec<String> = Vec::new();
    let mut start = 0;
    loop {
        let output = run_child(work.path(), start, &skip, None);
        let progress_file = work.path().join("progress");
        let progress =
            std::fs::read_to_string(&progress_file).map(|t| Progress::parse(&t)).unwrap_or(Progress::new(start));
        let _ = std::fs::remove_file(&progress_file);
        for (sum, t) in totals.tallies.iter_mut().zip(&progress.tallies) {
            sum.add(t);
        }
        totals.peak = totals.peak.max(progress.peak);
        totals.failures.extend(progress.failures);
        if progress.next >= total {
            assert!(
                output.status.success() || !totals.failures.is_empty(),
                "the child failed: {}",
                tail(&output.stderr, 60)
            );
            break;
        }
        // The child died: find which case in flight kills a child alone.
        let mut in_flight = Vec::new();
        for entry in std::fs::read_dir(work.path()).expect("list work folder") {
            let path = entry.expect("entry").path();
            if path.file_name().is_some_and(|n| n.to_string_lossy().starts_with("in-flight-")) {
                let marker = std::fs::read_to_string(&path).expect("marker");
                std::fs::remove_file(&path).expect("remove marker");
                let id = marker.lines().next().unwrap_or_default().to_string();
                // An empty marker: the process died while that thread began a case.
                let case_dir = work.path().join(&id);
                if !id.is_empty() && case_dir.exists() {
                    std::fs::remove_dir_all(&case_dir).expect("remove case folder");
                    in_flight.push((id, marker.replace('\n', " | ")));
                }
            }
        }
        assert!(!in_flight.is_empty(), "the child died outside any case: {}", tail(&output.stderr, 60));
        let mut culprits = Vec::new();
        for (id, marker) in &in_flight {
            let (target_case, case) = id.rsplit_once('-').expect("case id");
            let target = target_case.rsplit_once('-').expect("case id").0;
            let alone = run_child(work.path(), 0, &[], Some(&format!("{target}:{case}")));
            let _ = std::fs::remove_file(work.path().join("progress"));
            if !alone.status.success() {
                let saved = failures_dir().join(id);
                let _ = std::fs::remove_dir_all(&saved);
                copy_tree(&work.path().join(id), &saved).expect("keep the input");
                let _ = std::fs::remove_dir_all(work.path().join(id));
                culprits.push(format!(
                    "{marker}: the process died ({}): {} (input saved in {})",
                    alone.status,
                    cause_of_death(&alone.stderr),
                    saved.display()
                ));
                skip.push(id.clone());
            }
        }
        if culprits.is_empty() {
            // Only the cases together were too much: count them all.
            for (id, marker) in &in_flight {
                culprits.push(format!(
                    "{marker}: the process died ({}) with these cases in flight together: {}",
                    output.status,
                    cause_of_death(&output.stderr)
                ));
                skip.push(id.clone());
            }
        }
        deaths.extend(culprits);
        start = progress.next;
        if deaths.len() >= most_deaths {
            break;
        }
    }
    let mut report = format!(
        "fuzz campaign seed {campaign}: {} of {total} cases in {:.1} s; peak allocation {:.1} MiB of the {} MiB cap\n",
        totals.tallies.iter().map(|t| t.cases).sum::<u64>(),
        started.elapsed().as_secs_f64(),
        totals.peak as f64 / f64::from(1 << 20),
        ALLOCATION_LIMIT >> 20
    );
    for (target, t) in Target::ALL.iter().zip(&totals.tallies) {
        report.push_str(&format!(
            "  {:<10} {:>7} cases: {:>7} loaded, {:>7} refused as input errors, {} failed; slowest case {} ms\n",
            target.name(),
            t.cases,
            t.accepted,
            t.refused,
            t.failed,
            t.slowest_ms
        ));
    }
    report.push_str(&format!("  {} case(s) killed the process\n", deaths.len()));
    println!("{report}");
    let mut problems: Vec<String> = totals.failures.clone();
    problems.extend(deaths);
    assert!(problems.is_empty(), "{report}{} fuzz case(s) failed:\n{}", problems.len(), problems.join("\n"));
}

/// The verdict on a reader's result: what the campaign counts as a failure.
#[test]
fn fuzz_verdicts() {
    use rotaplan::error::InputProblem;
    assert!(judge(Ok::<(), Error>(())) == Ok(Ending::Accepted));
    let located = vec![InputProblem::new("teachers.csv:3", "subject", "unknown subject \"x\"")];
    assert!(judge::<()>(Err(Error::Input(located))) == Ok(Ending::Refused));
    assert!(judge::<()>(Err(Error::Input(Vec::new()))).is_err(), "an input error must list a problem");
    let unlocated = vec![InputProblem::new(" ", "", "unknown subject")];
    assert!(judge::<()>(Err(Error::Input(unlocated))).is_err(), "a problem must have a location");
    let silent = vec![InputProblem::new("teachers.csv:3", "", "")];
    assert!(judge::<()>(Err(Error::Input(silent))).is_err(), "a problem must have a message");
    assert!(judge::<()>(Err(Error::Solver("x".into()))).is_err(), "a reader gives input errors only");
}
