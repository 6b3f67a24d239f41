//! Reading a county: a data folder of CSV/TOML files or one .xlsx workbook,
//! decoded (UTF-8, BOM, GB18030), mapped through English and Chinese headers
//! and validated into the domain, every problem listed at once.
//!
//! The policy is read first (the data's own, then the override) because
//! the year checks of teachers and the eligibility of locked teachers
//! depend on `policy.year`.

mod decode;
mod fields;
mod policy_input;
mod rows;
mod table;
mod workbook;
pub mod plan_list;

use std::path::Path;

use crate::domain::County;
use crate::error::{Error, InputProblem};
use crate::policy::Policy;

use table::{map_header, Column, Problems, RawTable};
use workbook::{PolicyRow, Workbook};

/// A county read from disk, with the warnings met on the way (unknown columns…).
#[derive(Debug)]
pub struct Loaded {
    /// The validated county.
    pub county: County,
    /// Non-fatal remarks for the user.
    pub warnings: Vec<String>,
}

/// The tables of a county, in the order their problems are listed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Part {
    Schools,
    Teachers,
    Locks,
    Roads,
    Staffing,
}

/// Sort rank of the policy files among the tables.
const POLICY_RANK: usize = 2;
const OVERRIDE_RANK: usize = 6;

impl Part {
    const ALL: [Part; 5] = [Part::Schools, Part::Teachers, Part::Locks, Part::Roads, Part::Staffing];

    fn file(self) -> &'static str {
        match self {
            Part::Schools => "schools.csv",
            Part::Teachers => "teachers.csv",
            Part::Locks => "locks.csv",
            Part::Roads => "roads.csv",
            Part::Staffing => "staffing.csv",
        }
    }

    fn sheets(self) -> &'static [&'static str] {
        match self {
            Part::Schools => &["schools", "学校"],
            Part::Teachers => &["teachers", "教师"],
            Part::Locks => &["locks"],
            Part::Roads => &["roads"],
            Part::Staffing => &["staffing"],
        }
    }

    fn required(self) -> bool {
        matches!(self, Part::Schools | Part::Teachers)
    }

    /// File order: schools, teachers, policy, locks, roads, staffing, override.
    fn rank(self) -> usize {
        match self {
            Part::Schools => 0,
            Part::Teachers => 1,
            Part::Locks => 3,
            Part::Roads => 4,
            Part::Staffing => 5,
        }
    }

    fn columns(self) -> &'static [Column] {
        match self {
            Part::Schools => rows::SCHOOL_COLUMNS,
            Part::Teachers => rows::TEACHER_COLUMNS,
            Part::Locks => rows::LOCK_COLUMNS,
            Part::Roads => rows::ROAD_COLUMNS,
            Part::Staffing => rows::STAFFING_COLUMNS,
        }
    }
}

/// The policy as found in the data.
enum PolicySource {
    Toml { file: String, text: String },
    Sheet { rows: Vec<PolicyRow> },
}

/// Everything read from the data, before validation.
struct Source {
    policy: Option<PolicySource>,
    tables: Vec<(Part, RawTable)>,
    /// Whether the tables are worksheets (a title row may precede the header).
    workbook: bool,
}

impl Source {
    fn take(&mut self, part: Part) -> Option<RawTable> {
        let index = self.tables.iter().position(|(p, _)| *p == part)?;
        Some(self.tables.remove(index).1)
    }
}

/// The file name of a path, for messages.
fn file_name(path: &Path) -> String {
    path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| path.display().to_string())
}

/// Reads a file's bytes; a missing file is an input problem, other
/// failures of the machine are I/O errors.
fn read_bytes(path: &Path, rank: usize, problems: &mut Problems) -> Result<Option<Vec<u8>>, Error> {
    match std::fs::read(path) {
        Ok(bytes) => Ok(Some(bytes)),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
            problems.push(rank, 0, InputProblem::new(file_name(path), "", "file not found"));
            Ok(None)
        }
        Err(error) => Err(Error::io(format!("reading {}", path.display()), error)),
    }
}

/// Reads a text file and decodes it; an undecodable file is an input problem.
fn read_text(path: &Path, rank: usize, problems: &mut Problems) -> Result<Option<String>, Error> {
    let Some(bytes) = read_bytes(path, rank, problems)? else { return Ok(None) };
    match decode::decode_text(&bytes) {
        Ok(text) => Ok(Some(text)),
        Err(message) => {
            problems.push(rank, 0, InputProblem::new(file_name(path), "", message));
            Ok(None)
        }
    }
}

/// Reads the files of a data folder; file names match case-insensitively.
fn read_folder(folder: &Path, problems: &mut Problems) -> Result<Source, Error> {
    let entries = std::fs::read_dir(folder).map_err(|e| Error::io(format!("listing {}", folder.display()), e))?;
    let mut names = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|e| Error::io(format!("listing {}", folder.display()), e))?;
        names.push(entry.file_name().to_string_lossy().into_owned());
    }
    names.sort();
    let find = |wanted: &str| names.iter().find(|n| n.eq_ignore_ascii_case(wanted)).cloned();
    let mut source = Source { policy: None, tables: Vec::new(), workbook: false };
    if let Some(name) = find("policy.toml") {
        if let Some(text) = read_text(&folder.join(&name), POLICY_RANK, problems)? {
            source.policy = Some(PolicySource::Toml { file: name, text });
        }
    }
    for part in Part::ALL {
        match find(part.file()) {
            Some(name) => {
                if let Some(text) = read_text(&folder.join(&name), part.rank(), problems)? {
                    source.tables.push((part, table::read_csv(&name, part.rank(), &text, problems)));
                }
            }
            None if part.required() => {
                let message = "file not found in the data folder; it is required";
                problems.push(part.rank(), 0, InputProblem::new(part.file(), "", message));
            }
            None => {}
        }
    }
    Ok(source)
}

/// Reads the sheets of a workbook.
fn read_workbook(path: &Path, problems: &mut Problems, warnings: &mut Vec<String>) -> Result<Source, Error> {
    let book = file_name(path);
    let mut source = Source { policy: None, tables: Vec::new(), workbook: true };
    let Some(bytes) = read_bytes(path, 0, problems)? else { return Ok(source) };
    let workbook: Workbook = match workbook::open(&book, bytes) {
        Ok(workbook) => workbook,
        Err(message) => {
            problems.push(0, 0, InputProblem::new(book, "", message));
            return Ok(source);
        }
    };
    let mut used = Vec::new();
    if let Some(sheet) = workbook.find(&["policy"]) {
        used.push(sheet.to_string());
        source.policy = Some(PolicySource::Sheet { rows: workbook.policy_rows(sheet) });
    }
    for part in Part::ALL {
        match workbook.find(part.sheets()) {
            Some(sheet) => {
                used.push(sheet.to_string());
                source.tables.push((part, workbook.raw_table(sheet, part.rank())));
            }
            None if part.required() => {
                let message = format!("the workbook has no sheet named {}; it is required", part.sheets().join(" or "));
                problems.push(part.rank(), 0, InputProblem::new(book.clone(), "", message));
            }
            None => {}
        }
    }
    for sheet in workbook.sheet_names().filter(|s| !used.iter().any(|u| u == s)) {
        warnings.push(format!("{book}: sheet \"{sheet}\" is not a table rotaplan reads; it is ignored"));
    }
    Ok(source)
}

/// Reads and validates a data folder or workbook; `policy_override` is an
/// extra policy.toml applied after the data's own.
///
/// Every problem found is returned at once as [`Error::Input`], sorted by
/// file (schools, teachers, policy, locks, roads, staffing, override) and
/// line. Failures of the machine (a folder that cannot be listed) are
/// [`Error::Io`].
pub fn load(data: &Path, policy_override: Option<&Path>) -> Result<Loaded, Error> {
    let mut problems = Problems::default();
    let mut warnings = Vec::new();
    let is_workbook = data.extension().is_some_and(|e| e.eq_ignore_ascii_case("xlsx"));
    let mut source = if data.is_dir() {
        read_folder(data, &mut problems)?
    } else if data.is_file() && is_workbook {
        read_workbook(data, &mut problems, &mut warnings)?
    } else {
        let message = if data.exists() {
            "is neither a data folder nor an .xlsx workbook"
        } else {
            "no such data folder or .xlsx workbook"
        };
        problems.push(0, 0, InputProblem::new(data.display().to_string(), "", message));
        return Err(Error::Input(problems.into_sorted()));
    };

    let mut policy = Policy::default();
    let mut places = policy_input::PolicyPlaces::default();
    match source.policy.take() {
        Some(PolicySource::Toml { file, text }) => {
            policy_input::apply_toml_text(&mut policy, &file, POLICY_RANK, &text, &mut problems, &mut places);
        }
        Some(PolicySource::Sheet { rows }) => {
            policy_input::apply_sheet_rows(&mut policy, POLICY_RANK, &rows, &mut problems, &mut places);
        }
        None => {}
    }
    if let Some(path) = policy_override {
        if let Some(text) = read_text(path, OVERRIDE_RANK, &mut problems)? {
            policy_input::apply_toml_text(&mut policy, &file_name(path), OVERRIDE_RANK, &text, &mut problems, &mut places);
        }
    }
    policy_input::check_contradictions(&policy, &places, "policy.toml", POLICY_RANK, &mut problems);

    let from_workbook = source.workbook;
    let mut mapped = |part: Part, problems: &mut Problems, warnings: &mut Vec<String>| {
        source.take(part).map(|raw| map_header(raw, part.columns(), from_workbook, problems, warnings))
    };
    let schools_table = mapped(Part::Schools, &mut problems, &mut warnings);
    let teachers_table = mapped(Part::Teachers, &mut problems, &mut warnings);
    let locks_table = mapped(Part::Locks, &mut problems, &mut warnings);
    let roads_table = mapped(Part::Roads, &mut problems, &mut warnings);
    let staffing_table = mapped(Part::Staffing, &mut problems, &mut warnings);

    // Without a schools table every reference would be reported as unknown:
    // the missing table is the one problem worth reading, so the tables
    // that refer to schools (and locks, which refer to teachers) wait.
    let (schools, school_registry) = match &schools_table {
        Some(table) => rows::read_schools(table, &mut problems, &mut warnings),
        None => (Vec::new(), Default::default()),
    };
    let have_schools = schools_table.is_some();
    let (teachers, teacher_registry) = match (&teachers_table, have_schools) {
        (Some(table), true) => rows::read_teachers(table, &school_registry, &policy, &mut problems),
        _ => (Vec::new(), Default::default()),
    };
    let locks = match (&locks_table, have_schools && teachers_table.is_some()) {
        (Some(table), true) => rows::read_locks(table, &school_registry, &teacher_registry, &teachers, &policy, &mut problems),
        _ => Vec::new(),
    };
    let roads = match (&roads_table, have_schools) {
        (Some(table), true) => rows::read_roads(table, &school_registry, &mut problems, &mut warnings),
        _ => Vec::new(),
    };
    let staffing = match (&staffing_table, have_schools) {
        (Some(table), true) => rows::read_staffing(table, &school_registry, &mut problems),
        _ => Vec::new(),
    };

    if !problems.is_empty() {
        return Err(Error::Input(problems.into_sorted()));
    }
    let county = County::new(schools, teachers, policy, locks, roads, staffing);
    Ok(Loaded { county, warnings })
}
