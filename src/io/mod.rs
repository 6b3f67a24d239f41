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
pub mod os_error;
pub mod plan_list;
mod policy_input;
pub mod policy_keys;
mod rows;
pub use rows::{read_changes, Change, ChangeAction};
pub(crate) mod source;
pub use source::MOST_FILES;
mod table;
mod toml_text;
mod workbook;

use std::path::Path;

pub use rows::{read_enrollment, Enrollment};

use crate::domain::applications::{Application, FamilyTie};
use crate::domain::norms::Class;
use crate::domain::policy::Policy;
use crate::domain::{County, Exchange, Lock, Road, School, StaffingNeed, Teacher};
use crate::error::{Error, InputProblem, Text};

use source::{file_name, read_bytes, read_text};
use table::{map_header, Column, Problems, RawTable, Table};
use workbook::PolicyRow;

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
#[derive(Default)]
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
    let source = source::read_source(data, &mut problems, &mut warnings)?;
    validate(source, policy_override, problems, warnings)
}

/// Reads and validates a county given in memory as (file name, bytes)
/// pairs, as uploaded through a browser: one .xlsx workbook, or the files
/// of a data folder (schools.csv, teachers.csv, policy.toml, …, names
/// matched case-insensitively as in a folder). Each name is reduced to its
/// last path component.
///
/// The files are validated exactly as [`load`] validates the same files on
/// disk, with the same messages naming the given names. At most
/// [`MOST_FILES`] files, each within the size the file readers accept; no
/// file, a file that is not a table rotaplan reads, a workbook with other
/// files and two workbooks are input problems. Problems are returned at
/// once as [`Error::Input`].
pub fn load_files(files: Vec<(String, Vec<u8>)>) -> Result<Loaded, Error> {
    let mut problems = Problems::default();
    let mut warnings = Vec::new();
    let source = source::given_source(files, &mut problems, &mut warnings);
    validate(source, None, problems, warnings)
}

/// Validates the raw tables of a county (`None`: the data could not be
/// read at all, the problems recorded) with the policy override.
fn validate(
    source: Option<Source>,
    policy_override: Option<&Path>,
    problems: Problems,
    warnings: Vec<Text>,
) -> Result<Loaded, Error> {
    validate_under(source, PolicyFrom::Data(policy_override), problems, warnings)
}

/// The most warnings a county's reading lists (a sheet of 700,000 rows
/// of stray cells gave one each), then how many more.
const MOST_WARNINGS: usize = 100;

/// Where the policy of a validation comes from: the data's own with an
/// optional override file, or one given whole.
enum PolicyFrom<'a> {
    Data(Option<&'a Path>),
    Given(Box<Policy>),
}

/// Reads the data folder or workbook `data` and validates it under
/// `policy` instead of its own (a scenario's `[policy]` applied over it):
/// the checks that depend on the policy (the plan year against the
/// teachers' years, the locks' eligibility) hold for the scenario too.
pub(crate) fn load_under(data: &Path, policy: Policy) -> Result<Loaded, Error> {
    let mut problems = Problems::default();
    let mut warnings = Vec::new();
    let source = source::read_source(data, &mut problems, &mut warnings)?;
    validate_under(source, PolicyFrom::Given(Box::new(policy)), problems, warnings)
}

fn validate_under(
    source: Option<Source>,
    policy_from: PolicyFrom,
    mut problems: Problems,
    mut warnings: Vec<Text>,
) -> Result<Loaded, Error> {
    let Some(mut source) = source else {
        return Err(Error::Input(problems.into_sorted()));
    };
    let policy = match policy_from {
        PolicyFrom::Data(policy_override) => read_policy(source.policy.take(), policy_override, &mut problems)?,
        PolicyFrom::Given(policy) => *policy,
    };
    let tables = Tables::map(&mut source, &mut problems, &mut warnings);
    let (schools, teachers, locks, roads, staffing, exchanges, (applications, family), classes) =
        tables.validate(&policy, &mut problems, &mut warnings);
    tables.check_rows(&mut problems);
    if !problems.is_empty() {
        return Err(Error::Input(problems.into_sorted()));
    }
    road_warnings(&schools, &roads, &mut warnings);
    if warnings.len() > MOST_WARNINGS {
        let more = warnings.len() - MOST_WARNINGS;
        warnings.truncate(MOST_WARNINGS);
        warnings.push(Text::both(format!("{more} more warnings are not listed"), format!("另有 {more} 条警告未列出")));
    }
    let county = County::new(schools, teachers, policy, locks, roads, staffing)
        .with_exchanges(exchanges)
        .with_applications(applications)
        .with_family(family)
        .with_classes(classes);
    Ok(Loaded { county, warnings })
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
