//! `whatif`: scenarios solved side by side (in parallel with rayon), each
//! with its own plan folder, and a comparison table and page.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::domain::changes::Lever;
use crate::domain::{Level, TeacherIndicator};
use crate::error::{Error, InputProblem, Text};
use crate::io::scenario::{load_scenario, Scenario};
use crate::plan::{plan, Outcome, PlanOptions};
use crate::render::diagnosis::{diagnosis_files, diagnosis_lines};
use crate::render::html::comparison_html;
pub use crate::render::html::ComparisonRow;
use crate::render::output::{comparison_csv, plan_files, OutputFiles};
use crate::render::Lang;
use crate::rules::indicators::Indicator;

/// Results of a what-if run: the files and the comparison rows.
pub struct WhatIf {
    /// Every file to write under OUT.
    pub files: OutputFiles,
    /// The comparison, in the order the scenarios were given.
    pub rows: Vec<ComparisonRow>,
}

fn solve_one(s: &Scenario, options: &PlanOptions, lang: Lang) -> Result<(OutputFiles, ComparisonRow), Error> {
    let county = &s.county;
    let before = crate::rules::evaluation::evaluate_county(county);
    let mut row = ComparisonRow {
        scenario: s.stem.clone(),
        name: s.name.clone(),
        feasible: false,
        eligible: before.eligible,
        moves: 0,
        backbone_moves: 0,
        backbone_share: 0.0,
        hires: 0,
        compliant_before: before.figures.compliant(),
        compliant_after: before.figures.compliant(),
        counted: before.figures.counted(),
        shortfall_before: before.figures.shortfall(),
        shortfall_after: before.figures.shortfall(),
        cv_after: Vec::new(),
        distance_km: 0.0,
        diagnosis: String::new(),
        upgraded: lever_teachers(s, Lever::Upgrade),
        designated: lever_teachers(s, Lever::Designate),
        proven: false,
        cv_over: Vec::new(),
    };
    let files = match plan(county, s.hires.clone(), options)? {
        Outcome::Planned(p) => {
            row.feasible = true;
            row.moves = p.teacher_moves(county);
            row.backbone_moves = p.backbone_moves(county);
            row.backbone_share = p.backbone_share(county);
            row.hires = p.hires.len();
            row.compliant_after = p.after.compliant();
            row.shortfall_after = p.after.shortfall();
            row.distance_km = p.distance_km();
            for level in Level::BOTH {
                for k in TeacherIndicator::ALL {
                    row.cv_after.push((level, k, p.after.cv[&(level, Indicator::Teacher(k))].value));
                }
            }
            row.proven = p.proven_optimal();
            row.cv_over = p
                .after
                .cv
                .iter()
                .filter(|(_, c)| !c.within_limit())
                .filter_map(|(&(level, ind), c)| c.value.map(|v| (level, ind, v, c.limit)))
                .collect();
            plan_files(county, &p, lang)?
        }
        Outcome::Infeasible(d) => {
            row.diagnosis = diagnosis_lines(&d, lang).join(" | ");
            diagnosis_files(&d, lang)
        }
        Outcome::OutOfTime(stop) => return Err(stop.into()),
    };
    Ok((files, row))
}

/// The teachers a scenario's entries of one lever changed, in file order.
fn lever_teachers(s: &Scenario, lever: Lever) -> Vec<String> {
    s.levers.iter().filter(|c| c.lever == lever).flat_map(|c| c.teacher_ids.iter().cloned()).collect()
}

/// Names of OUT's own files, which no scenario folder may take.
const RESERVED: [&str; 3] = ["comparison.csv", "comparison.html", crate::render::outdir::MARKER];

/// Longest scenario folder name, in characters.
const LONGEST_NAME: usize = 100;

/// The plan folder name of one scenario file: its file stem, when that is a
/// safe folder name — letters, digits, spaces and `-_.+()（）`, not starting
/// with `.` or a space, not ending with `.` or a space, at most 100
/// characters, and not a name OUT uses itself.
pub fn folder_name(path: &Path) -> Result<String, InputProblem> {
    let file = path.display().to_string();
    let stem = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    let allowed = |c: char| c.is_alphanumeric() || " -_.+()（）".contains(c);
    let safe = !stem.is_empty()
        && stem.chars().count() <= LONGEST_NAME
        && stem.chars().all(allowed)
        && !stem.starts_with(['.', ' '])
        && !stem.ends_with(['.', ' '])
        && !RESERVED.iter().any(|r| r.eq_ignore_ascii_case(&stem));
    if safe {
        Ok(stem)
    } else {
        Err(InputProblem::new(
            file,
            "",
            Text::both(
                format!(
                    "the file's name gives its plan folder the name \"{}\", which is not a safe folder name; rename the file with letters, digits, spaces and - _ . + ( ) (not starting or ending with . or a space, at most {LONGEST_NAME} characters, not comparison.csv or comparison.html)",
                    stem.escape_debug()
                ),
                format!(
                    "按文件名，它的方案文件夹会叫「{}」，这不是安全的文件夹名；请把文件改名，只用字母、数字、空格和 - _ . + ( )（不以 . 或空格开头或结尾，最多 {LONGEST_NAME} 个字符，不能叫 comparison.csv 或 comparison.html）",
                    stem.escape_debug()
                ),
            ),
        ))
    }
}

/// The plan folder names of the scenario files, in order: every unsafe name
/// and every two files that would share a folder (names compared without
/// regard to case, as Windows and macOS file systems do) are input problems.
pub fn folder_names(paths: &[PathBuf]) -> Result<Vec<String>, Error> {
    let mut names = Vec::new();
    let mut problems = Vec::new();
    let mut seen: BTreeMap<String, &Path> = BTreeMap::new();
    for path in paths {
        match folder_name(path) {
            Ok(name) => {
                if let Some(other) = seen.get(&name.to_lowercase()) {
                    problems.push(InputProblem::new(
                        path.display().to_string(),
                        "",
                        Text::both(
                            format!(
                                "gives the same plan folder \"{name}\" as {}; rename one of the two files",
                                other.display()
                            ),
                            format!("与 {} 得到同一个方案文件夹「{name}」；请把两个文件中的一个改名", other.display()),
                        ),
                    ));
                } else {
                    seen.insert(name.to_lowercase(), path);
                }
                names.push(name);
            }
            Err(problem) => problems.push(problem),
        }
    }
    if problems.is_empty() {
        Ok(names)
    } else {
        Err(Error::Input(problems))
    }
}

/// The base data folders the scenario files name (those that can be read
/// as TOML with a `data` string), resolved against each file's folder: the
/// inputs an output folder must stay clear of.
pub fn base_data_folders(paths: &[PathBuf]) -> Vec<PathBuf> {
    let mut folders = Vec::new();
    for path in paths {
        if !path.is_file() {
            continue;
        }
        let Ok(text) = crate::io::read_text_file(path) else { continue };
        let Ok(table) = toml::from_str::<toml::Table>(&text) else { continue };
        if let Some(data) = table.get("data").and_then(toml::Value::as_str) {
            folders.push(path.parent().unwrap_or(Path::new(".")).join(data));
        }
    }
    folders
}

/// Loads every scenario (all input problems reported together), solves
/// them — in parallel when `parallel` — and builds the files of OUT, each
/// scenario's under its [`folder_name`]. `options.time_limit` bounds the
/// whole run: the time left after loading is shared out by rounds (one
/// scenario per worker thread a round), and no scenario gets more than what
/// is left of the whole.
pub fn run(paths: &[PathBuf], options: &PlanOptions, parallel: bool, lang: Lang) -> Result<WhatIf, Error> {
    let began = std::time::Instant::now();
    solve(load(paths)?, options, parallel, lang, began)
}

/// The scenarios of a what-if run, read and checked: every problem of every
/// file, or none.
pub struct Loaded {
    names: Vec<String>,
    scenarios: Vec<Scenario>,
}

impl Loaded {
    /// How many scenarios there are.
    pub fn len(&self) -> usize {
        self.scenarios.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.scenarios.is_empty()
    }
}

/// Reads the scenario files `paths` (the first half of [`run`]: the
/// caller can say how many are solved before the solving begins).
pub fn load(paths: &[PathBuf]) -> Result<Loaded, Error> {
    let names = folder_names(paths)?;
    let mut scenarios = Vec::new();
    let mut problems = Vec::new();
    for path in paths {
        match load_scenario(path) {
            Ok(s) => scenarios.push(s),
            Err(Error::Input(p)) => problems.extend(p),
            Err(other) => return Err(other),
        }
    }
    if !problems.is_empty() {
        return Err(Error::Input(problems));
    }
    Ok(Loaded { names, scenarios })
}

/// Plans the scenarios `loaded` (the second half of [`run`]); the time
/// limit of `options` counts from `began`.
pub fn solve(
    loaded: Loaded,
    options: &PlanOptions,
    parallel: bool,
    lang: Lang,
    began: std::time::Instant,
) -> Result<WhatIf, Error> {
    let Loaded { names, scenarios } = loaded;
    let workers = if parallel { rayon::current_num_threads().max(1) } else { 1 };
    let rounds = scenarios.len().div_ceil(workers).max(1) as f64;
    let left = || options.time_limit - began.elapsed().as_secs_f64();
    let share = left() / rounds;
    let solve = |s: &Scenario| {
        // Scenarios planned side by side leave no core free for HiGHS.
        let threads = if workers > 1 && scenarios.len() > 1 { 1 } else { options.threads };
        let budget = PlanOptions { time_limit: share.min(left()), threads, ..*options };
        let result = solve_one(s, &budget, lang);
        if let Some(progress) = options.progress {
            progress(&crate::plan::Progress::ScenarioDone { scenario: s.stem.clone() });
        }
        result
    };
    let results: Vec<Result<(OutputFiles, ComparisonRow), Error>> =
        if parallel { scenarios.par_iter().map(solve).collect() } else { scenarios.iter().map(solve).collect() };
    let mut files = OutputFiles::new();
    let mut rows = Vec::new();
    for (name, result) in names.iter().zip(results) {
        let (f, row) = result?;
        files.nest(name, f);
        rows.push(row);
    }
    files.add("comparison.csv", comparison_csv(&rows));
    files.add("comparison.html", comparison_html(&rows, lang).into_bytes());
    Ok(WhatIf { files, rows })
}
