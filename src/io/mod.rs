//! Reading a county: a data folder of CSV/TOML files or one .xlsx workbook,
//! decoded (UTF-8, BOM, GB18030), mapped through English and Chinese headers
//! and validated into the domain, every problem listed at once.
//!
//! The policy is read first (the data's own, then the override) because
//! the year checks of teachers and the eligibility of locked teachers
//! depend on `policy.year`.

pub mod scenario;

mod archive;
mod csv_text;
mod decode;
mod fields;
mod limits;
pub mod plan_list;
mod policy_input;
pub mod policy_keys;
mod rows;
pub use rows::{read_changes, Change, ChangeAction};
mod table;
mod workbook;

use std::path::Path;

pub use rows::{read_enrollment, Enrollment};

use crate::domain::applications::{Application, FamilyTie};
use crate::domain::norms::Class;
use crate::domain::policy::Policy;
use crate::domain::{County, Exchange, Lock, Road, School, StaffingNeed, Teacher};
use crate::error::{Error, InputProblem, Text};

use table::{map_header, Column, Problems, RawTable, Table};
use workbook::{PolicyRow, Workbook};

/// A county read from disk, with the warnings met on the way (unknown columns…).
#[derive(Debug)]
pub struct Loaded {
    /// The validated county.
    pub county: County,
    /// Non-fatal remarks for the user, in English and (where worded so) Chinese.
    pub warnings: Vec<Text>,
}

/// The tables of a county, in the order their problems are listed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Part {
    Schools,
    Teachers,
    Locks,
    Roads,
    Staffing,
    Exchanges,
    Applications,
    Family,
    Classes,
}

/// Sort rank of the policy files among the tables.
const POLICY_RANK: usize = 2;
const OVERRIDE_RANK: usize = 10;

impl Part {
    const ALL: [Part; 9] = [
        Part::Schools,
        Part::Teachers,
        Part::Locks,
        Part::Roads,
        Part::Staffing,
        Part::Exchanges,
        Part::Applications,
        Part::Family,
        Part::Classes,
    ];

    fn file(self) -> &'static str {
        match self {
            Part::Schools => "schools.csv",
            Part::Teachers => "teachers.csv",
            Part::Locks => "locks.csv",
            Part::Roads => "roads.csv",
            Part::Staffing => "staffing.csv",
            Part::Exchanges => "exchanges.csv",
            Part::Applications => "applications.csv",
            Part::Family => "family.csv",
            Part::Classes => "classes.csv",
        }
    }

    fn sheets(self) -> &'static [&'static str] {
        match self {
            Part::Schools => &["schools", "学校"],
            Part::Teachers => &["teachers", "教师"],
            Part::Locks => &["locks"],
            Part::Roads => &["roads"],
            Part::Staffing => &["staffing"],
            Part::Exchanges => &["exchanges", "交流记录"],
            Part::Applications => &["applications", "交流申请"],
            Part::Family => &["family", "家庭"],
            Part::Classes => &["classes", "班级"],
        }
    }

    fn required(self) -> bool {
        matches!(self, Part::Schools | Part::Teachers)
    }

    /// File order: schools, teachers, policy, locks, roads, staffing,
    /// exchanges, applications, family, classes, override.
    fn rank(self) -> usize {
        match self {
            Part::Schools => 0,
            Part::Teachers => 1,
            Part::Locks => 3,
            Part::Roads => 4,
            Part::Staffing => 5,
            Part::Exchanges => 6,
            Part::Applications => 7,
            Part::Family => 8,
            Part::Classes => 9,
        }
    }

    fn columns(self) -> &'static [Column] {
        match self {
            Part::Schools => rows::SCHOOL_COLUMNS,
            Part::Teachers => rows::TEACHER_COLUMNS,
            Part::Locks => rows::LOCK_COLUMNS,
            Part::Roads => rows::ROAD_COLUMNS,
            Part::Staffing => rows::STAFFING_COLUMNS,
            Part::Exchanges => rows::EXCHANGE_COLUMNS,
            Part::Applications => rows::APPLICATION_COLUMNS,
            Part::Family => rows::FAMILY_COLUMNS,
            Part::Classes => rows::CLASS_COLUMNS,
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

/// Reads a file's bytes; a missing file, a file that is not a regular file
/// and a file over the size limit are input problems, other failures of the
/// machine are I/O errors.
fn read_bytes(path: &Path, rank: usize, problems: &mut Problems) -> Result<Option<Vec<u8>>, Error> {
    match limits::read_input_file(path) {
        Ok(bytes) => Ok(Some(bytes)),
        Err(limits::ReadFailure::NotFound) => {
            let message = Text::both("file not found", "找不到文件");
            problems.push(rank, 0, InputProblem::new(file_name(path), "", message));
            Ok(None)
        }
        Err(limits::ReadFailure::Refused(message)) => {
            problems.push(rank, 0, InputProblem::new(file_name(path), "", message));
            Ok(None)
        }
        Err(limits::ReadFailure::Io(error)) => Err(Error::io(format!("reading {}", path.display()), error)),
    }
}

/// Reads a text file and decodes it; an undecodable file is an input problem.
fn read_text(path: &Path, rank: usize, problems: &mut Problems) -> Result<Option<String>, Error> {
    let Some(bytes) = read_bytes(path, rank, problems)? else { return Ok(None) };
    match decode::decode_text(&bytes) {
        Ok(text) => Ok(Some(text)),
        Err(error) => {
            let name = file_name(path);
            let (location, line) = match error.line {
                Some(line) => (format!("{name}:{line}"), line),
                None => (name, 0),
            };
            problems.push(rank, line, InputProblem::new(location, "", error.message));
            Ok(None)
        }
    }
}

/// Reads the files of a data folder; file names match case-insensitively,
/// and two files whose names differ only in case are a problem (which one
/// is meant cannot be told).
fn read_folder(folder: &Path, problems: &mut Problems) -> Result<Source, Error> {
    let entries = std::fs::read_dir(folder).map_err(|e| Error::io(format!("listing {}", folder.display()), e))?;
    let mut names = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|e| Error::io(format!("listing {}", folder.display()), e))?;
        names.push(entry.file_name().to_string_lossy().into_owned());
    }
    names.sort();
    let mut find = |wanted: &str, rank: usize| -> Option<String> {
        let found: Vec<&String> = names.iter().filter(|n| n.eq_ignore_ascii_case(wanted)).collect();
        if found.len() > 1 {
            let listed = found.iter().map(|n| format!("\"{n}\"")).collect::<Vec<_>>().join(" and ");
            let listed_zh = found.iter().map(|n| format!("「{n}」")).collect::<Vec<_>>().join("和");
            let message = Text::both(
                format!("the folder holds {listed}, whose names differ only in case; keep one of them"),
                format!("文件夹里有{listed_zh}，文件名只差大小写；请只保留其中一个"),
            );
            problems.push(rank, 0, InputProblem::new(wanted, "", message));
            return None;
        }
        found.first().map(|n| n.to_string())
    };
    let mut source = Source { policy: None, tables: Vec::new() };
    let mut found = Vec::new();
    if let Some(name) = find("policy.toml", POLICY_RANK) {
        found.push((None, name));
    }
    let mut missing = Vec::new();
    for part in Part::ALL {
        match find(part.file(), part.rank()) {
            Some(name) => found.push((Some(part), name)),
            None if part.required() && !names.iter().any(|n| n.eq_ignore_ascii_case(part.file())) => missing.push(part),
            None => {}
        }
    }
    for part in missing {
        let message =
            Text::both("file not found in the data folder; it is required", "数据文件夹里找不到这个文件；它是必需的");
        problems.push(part.rank(), 0, InputProblem::new(part.file(), "", message));
    }
    for (part, name) in found {
        match part {
            None => {
                if let Some(text) = read_text(&folder.join(&name), POLICY_RANK, problems)? {
                    source.policy = Some(PolicySource::Toml { file: name, text });
                }
            }
            Some(part) => {
                if let Some(text) = read_text(&folder.join(&name), part.rank(), problems)? {
                    source.tables.push((part, csv_text::read_csv(&name, part.rank(), &text, problems)));
                }
            }
        }
    }
    Ok(source)
}

/// Reads the sheets of a workbook.
fn read_workbook(path: &Path, problems: &mut Problems, warnings: &mut Vec<Text>) -> Result<Source, Error> {
    let book = file_name(path);
    let mut source = Source { policy: None, tables: Vec::new() };
    let Some(bytes) = read_bytes(path, 0, problems)? else { return Ok(source) };
    let workbook: Workbook = match workbook::open(&book, bytes) {
        Ok(workbook) => workbook,
        Err(message) => {
            problems.push(0, 0, InputProblem::new(book, "", message));
            return Ok(source);
        }
    };
    let mut used: Vec<String> = Vec::new();
    // The one sheet of a table; two sheets for the same table (`学校` and
    // `schools`, `Schools` and `schools`) are a problem: which one is meant
    // cannot be told.
    let mut one_sheet = |names: &[&str], rank: usize, problems: &mut Problems| -> Option<String> {
        let found = workbook.find_all(names);
        used.extend(found.iter().map(|s| s.to_string()));
        if found.len() > 1 {
            let listed = found.iter().map(|n| format!("\"{n}\"")).collect::<Vec<_>>().join(" and ");
            let listed_zh = found.iter().map(|n| format!("「{n}」")).collect::<Vec<_>>().join("和");
            let message = Text::both(
                format!("the workbook has sheets {listed} for the same table; keep one of them"),
                format!("工作簿里的工作表{listed_zh}是同一张表；请只保留其中一个"),
            );
            problems.push(rank, 0, InputProblem::new(book.clone(), "", message));
            return None;
        }
        found.first().map(|s| s.to_string())
    };
    if let Some(sheet) = one_sheet(&["policy"], POLICY_RANK, problems) {
        source.policy = Some(PolicySource::Sheet { rows: workbook.policy_rows(&sheet) });
    }
    let mut missing = Vec::new();
    for part in Part::ALL {
        match one_sheet(part.sheets(), part.rank(), problems) {
            Some(sheet) => source.tables.push((part, workbook.raw_table(&sheet, part.rank()))),
            None if part.required() && workbook.find_all(part.sheets()).is_empty() => missing.push(part),
            None => {}
        }
    }
    for part in missing {
        let message = Text::both(
            format!("the workbook has no sheet named {}; it is required", part.sheets().join(" or ")),
            format!("工作簿里没有名为 {} 的工作表；它是必需的", part.sheets().join(" 或 ")),
        );
        problems.push(part.rank(), 0, InputProblem::new(book.clone(), "", message));
    }
    for sheet in workbook.sheet_names().filter(|s| !used.iter().any(|u| u == s)) {
        warnings.push(Text::both(
            format!("{book}: sheet \"{sheet}\" is not a table rotaplan reads; it is ignored"),
            format!("{book}: 工作表「{sheet}」不是 rotaplan 读取的表，已忽略"),
        ));
    }
    Ok(source)
}

/// Reads a text input that is not a table (a scenario file) within the
/// readers' limits: a regular file (a pipe or device is refused before it
/// is opened), at most the size of any input, decoded as UTF-8 or
/// GB18030/GBK like the tables. Problems name the file (and line).
pub(crate) fn read_text_file(path: &Path) -> Result<String, Error> {
    let mut problems = Problems::default();
    match read_text(path, 0, &mut problems)? {
        Some(text) => Ok(text),
        None => Err(Error::Input(problems.into_sorted())),
    }
}

/// Reads and validates a data folder or workbook; `policy_override` is an
/// extra policy.toml applied after the data's own.
///
/// Every problem found is returned at once as [`Error::Input`], sorted by
/// file (schools, teachers, policy, locks, roads, staffing, exchanges,
/// applications, family, override) and line. Failures of the machine (a folder that cannot be listed) are
/// [`Error::Io`].
pub fn load(data: &Path, policy_override: Option<&Path>) -> Result<Loaded, Error> {
    let mut problems = Problems::default();
    let mut warnings = Vec::new();
    let Some(mut source) = read_source(data, &mut problems, &mut warnings)? else {
        return Err(Error::Input(problems.into_sorted()));
    };
    let policy = read_policy(source.policy.take(), policy_override, &mut problems)?;
    let tables = Tables::map(&mut source, &mut problems, &mut warnings);
    let (schools, teachers, locks, roads, staffing, exchanges, (applications, family), classes) =
        tables.validate(&policy, &mut problems, &mut warnings);
    tables.check_rows(&mut problems);
    if !problems.is_empty() {
        return Err(Error::Input(problems.into_sorted()));
    }
    road_warnings(&schools, &roads, &mut warnings);
    let county = County::new(schools, teachers, policy, locks, roads, staffing)
        .with_exchanges(exchanges)
        .with_applications(applications)
        .with_family(family)
        .with_classes(classes);
    Ok(Loaded { county, warnings })
}

/// The raw tables of a data folder or workbook; `None` (with the problem
/// recorded) when `data` is neither.
fn read_source(data: &Path, problems: &mut Problems, warnings: &mut Vec<Text>) -> Result<Option<Source>, Error> {
    let is_workbook = data.extension().is_some_and(|e| e.eq_ignore_ascii_case("xlsx"));
    if data.is_dir() {
        read_folder(data, problems).map(Some)
    } else if data.is_file() && is_workbook {
        read_workbook(data, problems, warnings).map(Some)
    } else {
        let message = if data.exists() {
            Text::both("is neither a data folder nor an .xlsx workbook", "既不是数据文件夹，也不是 .xlsx 工作簿")
        } else {
            Text::both("no such data folder or .xlsx workbook", "没有这个数据文件夹或 .xlsx 工作簿")
        };
        problems.push(0, 0, InputProblem::new(data.display().to_string(), "", message));
        Ok(None)
    }
}

/// The policy: the defaults, the data's own policy, then the override.
fn read_policy(
    source: Option<PolicySource>,
    policy_override: Option<&Path>,
    problems: &mut Problems,
) -> Result<Policy, Error> {
    let mut policy = Policy::default();
    let mut places = policy_input::PolicyPlaces::default();
    match source {
        Some(PolicySource::Toml { file, text }) => {
            policy_input::apply_toml_text(&mut policy, &file, POLICY_RANK, &text, problems, &mut places);
        }
        Some(PolicySource::Sheet { rows }) => {
            policy_input::apply_sheet_rows(&mut policy, POLICY_RANK, &rows, problems, &mut places);
        }
        None => {}
    }
    if let Some(path) = policy_override {
        if let Some(text) = read_text(path, OVERRIDE_RANK, problems)? {
            policy_input::apply_toml_text(&mut policy, &file_name(path), OVERRIDE_RANK, &text, problems, &mut places);
        }
    }
    policy_input::check_contradictions(&policy, &places, "policy.toml", POLICY_RANK, problems);
    Ok(policy)
}

/// The header-mapped tables of a county, each when the data has it.
struct Tables {
    schools: Option<Table>,
    teachers: Option<Table>,
    locks: Option<Table>,
    roads: Option<Table>,
    staffing: Option<Table>,
    exchanges: Option<Table>,
    applications: Option<Table>,
    family: Option<Table>,
    classes: Option<Table>,
}

/// The validated rows of every table; the teachers' own voice last.
type Validated = (
    Vec<School>,
    Vec<Teacher>,
    Vec<Lock>,
    Vec<Road>,
    Vec<StaffingNeed>,
    Vec<Exchange>,
    (Vec<Application>, Vec<FamilyTie>),
    Vec<Class>,
);

impl Tables {
    /// Maps the header of every table of `source`, in file order.
    fn map(source: &mut Source, problems: &mut Problems, warnings: &mut Vec<Text>) -> Tables {
        let mut mapped = |part: Part| source.take(part).map(|raw| map_header(raw, part.columns(), problems, warnings));
        Tables {
            schools: mapped(Part::Schools),
            teachers: mapped(Part::Teachers),
            locks: mapped(Part::Locks),
            roads: mapped(Part::Roads),
            staffing: mapped(Part::Staffing),
            exchanges: mapped(Part::Exchanges),
            applications: mapped(Part::Applications),
            family: mapped(Part::Family),
            classes: mapped(Part::Classes),
        }
    }

    /// Validates the rows of every table.
    fn validate(&self, policy: &Policy, problems: &mut Problems, warnings: &mut Vec<Text>) -> Validated {
        // Without a schools table whose ids can be read every reference would
        // be reported as unknown: the missing (or empty, or headerless) table is
        // the one problem worth reading, so the tables that refer to schools
        // (and locks, which refer to teachers) wait.
        let (schools, school_registry) = match &self.schools {
            Some(table) => rows::read_schools(table, problems, warnings),
            None => (Vec::new(), Default::default()),
        };
        let have_schools = self.schools.as_ref().is_some_and(|t| t.usable() && t.has("school_id"));
        let have_teachers = self.teachers.as_ref().is_some_and(|t| t.usable() && t.has("teacher_id"));
        let (teachers, teacher_registry) = match (&self.teachers, have_schools) {
            (Some(table), true) => rows::read_teachers(table, &school_registry, policy, problems),
            _ => (Vec::new(), Default::default()),
        };
        let exchanges = match (&self.exchanges, have_schools && have_teachers) {
            (Some(table), true) => {
                rows::read_exchanges(table, &school_registry, &teacher_registry, &teachers, problems)
            }
            _ => Vec::new(),
        };
        let locks = match (&self.locks, have_schools && have_teachers) {
            (Some(table), true) => {
                rows::read_locks(table, &school_registry, &teacher_registry, &teachers, (policy, &exchanges), problems)
            }
            _ => Vec::new(),
        };
        let roads = match (&self.roads, have_schools) {
            (Some(table), true) => rows::read_roads(table, &school_registry, problems, warnings),
            _ => Vec::new(),
        };
        let staffing = match (&self.staffing, have_schools) {
            (Some(table), true) => rows::read_staffing(table, &school_registry, problems),
            _ => Vec::new(),
        };
        let applications = match (&self.applications, have_schools && have_teachers) {
            (Some(table), true) => {
                rows::read_applications(table, &school_registry, &teacher_registry, &teachers, problems)
            }
            _ => Vec::new(),
        };
        let family = match (&self.family, have_schools && have_teachers) {
            (Some(table), true) => rows::read_family(table, &teacher_registry, problems),
            _ => Vec::new(),
        };
        let classes = match (&self.classes, have_schools) {
            (Some(table), true) => rows::read_classes(table, &school_registry, problems),
            _ => Vec::new(),
        };
        (schools, teachers, locks, roads, staffing, exchanges, (applications, family), classes)
    }

    /// A county without schools or teachers has nothing to plan: an input
    /// error, not an empty plan proven optimal.
    fn check_rows(&self, problems: &mut Problems) {
        for (part, table) in [(Part::Schools, &self.schools), (Part::Teachers, &self.teachers)] {
            if let Some(table) = table.as_ref().filter(|t| t.header_found && t.complete && t.rows.is_empty()) {
                let (noun, noun_zh) =
                    if part == Part::Schools { ("school", "所学校") } else { ("teacher", "位教师") };
                let message = Text::both(
                    format!("the table has a header but no rows; give one row per {noun}"),
                    format!("表里只有表头，没有数据行；请每{noun_zh}写一行"),
                );
                problems.push(part.rank(), 0, InputProblem::new(table.whole(), "", message));
            }
        }
    }
}

/// Warnings about schools the road graph leaves out (SPEC §2: a pair with no
/// road path is not an allowed move): a school on no road at all, and a
/// school named by its id whose roads never reach its own town's node (a
/// school named in roads.csv no longer uses its town's node).
fn road_warnings(schools: &[School], roads: &[Road], warnings: &mut Vec<Text>) {
    if roads.is_empty() {
        return;
    }
    let mut index: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for road in roads {
        for node in [road.from.as_str(), road.to.as_str()] {
            let next = index.len();
            index.entry(node).or_insert(next);
        }
    }
    let mut pieces = petgraph::unionfind::UnionFind::<usize>::new(index.len());
    for road in roads {
        pieces.union(index[road.from.as_str()], index[road.to.as_str()]);
    }
    for school in schools {
        match (index.get(school.id.as_str()), index.get(school.town.as_str())) {
            (None, None) => warnings.push(Text::both(
                format!(
                    "roads.csv: school {} ({}) is on no road: neither its id nor its town \"{}\" is in roads.csv, so it can neither send nor receive teachers; add a road to it",
                    school.id, school.name, school.town
                ),
                format!(
                    "roads.csv: 学校 {}（{}）不在任何道路上：它的编号和所在乡镇「{}」都不在 roads.csv 里，所以它既不能调出也不能调入教师；请为它加一条道路",
                    school.id, school.name, school.town
                ),
            )),
            (Some(&own), Some(&town)) if !pieces.equiv(own, town) => warnings.push(Text::both(
                format!(
                    "roads.csv: school {} ({}) is named in roads.csv, so it is reached only by the roads that name it, and none of them leads to its town \"{}\"; add a road from {} to {} if it should reach the town's schools",
                    school.id, school.name, school.town, school.id, school.town
                ),
                format!(
                    "roads.csv: 学校 {}（{}）在 roads.csv 中被单独列出，所以只能经由写明它的道路到达，而这些道路都不通向它所在的乡镇「{}」；如果它应能到达本乡镇的学校，请加一条从 {} 到 {} 的道路",
                    school.id, school.name, school.town, school.id, school.town
                ),
            )),
            _ => {}
        }
    }
}
