//! Synthetic counties that look like a real rural county (modelled on Anze
//! County, Shanxi), for trying the planner and for benchmarks.
//!
//! A county is built from blocks of 20 schools that follow one pattern: large
//! urban primary and junior schools in the county town (府城镇), central
//! schools in the towns (镇区), nine-year schools (九年一贯制) in the
//! townships (乡), and small village schools and teaching points (教学点).
//! Urban schools are rich in backbone and degree-holding teachers; PE and arts
//! teachers are scarce in the countryside, so the county does not pass the
//! inspection as generated, and a rotation of urban backbone teachers can help.
//!
//! Everything is drawn from one `ChaCha8Rng` stream in a fixed order and every
//! float is printed with a fixed number of decimals: the same seed gives the
//! same bytes. The work is linear in the number of schools and teachers.
//!
//! The parts: `towns` lays out the county, `schools` draws the schools and
//! writes schools.csv, `teachers` draws each section's staff and writes
//! teachers.csv, `exchanges` picks a fictional exchange register from the
//! teachers (exchanges.csv), `applications` draws who volunteers and where
//! they wish to go (applications.csv), `family` draws couples whose schools
//! must stay close (family.csv), `names` holds the names of people,
//! villages and numbers. Couples, then applications, are drawn last, so the
//! other files are the bytes they were before them, and the volunteer
//! share changes applications.csv alone.

use std::path::Path;

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::domain::SchoolKind;
use crate::error::Error;
use crate::render::outdir::{OutputFolder, OutputKind};
use crate::render::output::OutputFiles;

pub mod applications;
mod exchanges;
pub mod family;
mod names;
mod schools;
mod teachers;
mod towns;

use applications::{draw_applications, VOLUNTEER_SHARE};
use exchanges::exchanges_csv;
use family::draw_family;
use schools::{build_schools, join_alliances, schools_csv};
use teachers::{draw_staff, teachers_csv};
use towns::lay_out_towns;

use crate::domain::policy::Policy;
use crate::render::data_folder::{application_row, family_row, APPLICATION_HEADER, FAMILY_HEADER};

/// The school year the synthetic county is planned for.
pub(super) const YEAR: i32 = 2025;

/// Schools in one block of the pattern.
pub(super) const BLOCK: usize = 20;

/// Towns other than the county town in one block.
pub(super) const TOWNS_PER_BLOCK: usize = 6;

/// The default `standards.junior_weight`, used to size a nine-year school's facilities.
pub(super) const JUNIOR_WEIGHT: f64 = 1.1;

/// Centre of the county town (府城镇), WGS84 degrees.
pub(super) const CENTRE: (f64, f64) = (36.150, 112.250);

/// Kilometres per degree of latitude.
pub(super) const KM_PER_DEG_LAT: f64 = 111.2;

/// The county town, shared by every block.
pub(super) const COUNTY_TOWN: &str = "府城镇";

/// A synthetic county as the text of its six files. Each CSV starts with a
/// UTF-8 BOM, exactly as [`write_county`] writes it to disk.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SynthCounty {
    /// schools.csv (SPEC §2), English headers.
    pub schools_csv: String,
    /// teachers.csv (SPEC §2), English headers.
    pub teachers_csv: String,
    /// policy.toml: `year = 2025` and a published `[priority]` scale
    /// ([`PRIORITY_TABLE`]), every other key at its default.
    pub policy_toml: String,
    /// exchanges.csv: a fictional register of teachers on exchange, in
    /// pairs swapped between two schools (one pair per 5 schools).
    pub exchanges_csv: String,
    /// applications.csv: volunteers and wishes (see [`applications`]).
    pub applications_csv: String,
    /// family.csv: couples whose schools must stay close (see [`family`]).
    pub family_csv: String,
}

/// The `[priority]` table of a synthetic county's policy.toml: a published
/// points scale (积分) of one point a year at the school, one a year at
/// rural schools and half a point a year of age from 50.
pub const PRIORITY_TABLE: &str = "[priority]\nschool_year = 1\nrural_year = 1\nage_year = 0.5\nage_from = 50\n";

/// Most schools a synthetic county may have: a province's worth (the
/// province benchmark builds 6,850), about 420,000 teachers and 40 MB of
/// CSV. A county has 10–300 schools (SPEC §8).
pub const MOST_SCHOOLS: usize = 10_000;

/// The files of a synthetic county: schools.csv, teachers.csv, policy.toml,
/// exchanges.csv, applications.csv, family.csv.
pub fn county_files(seed: u64, schools: usize) -> OutputFiles {
    county_files_with(seed, schools, VOLUNTEER_SHARE)
}

/// What a synthetic county is drawn with besides its seed and size.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Knobs {
    /// Share of the eligible teachers who volunteer (`synth
    /// --volunteer-share`, 0 to [`MOST_VOLUNTEER_SHARE`]).
    pub volunteer_share: f64,
    /// Staffing stress (`synth --stress`, 0 to 1): 0 is the usual county;
    /// at 1 pupil–teacher ratios are 30 % higher, PE and arts teachers 60 %
    /// scarcer, degrees below the standard's 4 times as common, backbone
    /// teachers half as many and most schools short of a facility, so that
    /// nearly every section fails, as in the counties that need a rotation
    /// most.
    pub stress: f64,
}

impl Default for Knobs {
    fn default() -> Self {
        Knobs { volunteer_share: VOLUNTEER_SHARE, stress: 0.0 }
    }
}

/// [`county_files`] with `volunteer_share` of the eligible teachers
/// volunteering (`synth --volunteer-share`, 0 to [`MOST_VOLUNTEER_SHARE`]).
pub fn county_files_with(seed: u64, schools: usize, volunteer_share: f64) -> OutputFiles {
    county_files_knobs(seed, schools, Knobs { volunteer_share, ..Knobs::default() })
}

/// [`county_files`] drawn with `knobs`.
pub fn county_files_knobs(seed: u64, schools: usize, knobs: Knobs) -> OutputFiles {
    let county = generate_knobs(seed, schools, knobs);
    let mut files = OutputFiles::new();
    files.add("schools.csv", county.schools_csv.into_bytes());
    files.add("teachers.csv", county.teachers_csv.into_bytes());
    files.add("policy.toml", county.policy_toml.into_bytes());
    files.add("exchanges.csv", county.exchanges_csv.into_bytes());
    files.add("applications.csv", county.applications_csv.into_bytes());
    files.add("family.csv", county.family_csv.into_bytes());
    files
}

/// Writes a synthetic county (schools.csv, teachers.csv, policy.toml,
/// exchanges.csv, applications.csv, family.csv) to `dir` as one whole folder; `dir` must be new, empty or an earlier output of
/// `synth`, whose files are all replaced (see [`crate::render::outdir`]);
/// `schools` is 1 to [`MOST_SCHOOLS`].
pub fn write_county(dir: &Path, seed: u64, schools: usize) -> Result<(), Error> {
    if !(1..=MOST_SCHOOLS).contains(&schools) {
        return Err(Error::Input(vec![crate::error::InputProblem::new(
            "--schools",
            "",
            format!("{schools} is out of range; give a number of schools from 1 to {MOST_SCHOOLS}"),
        )]));
    }
    let folder = OutputFolder::claim(dir, OutputKind::Synth, &[], false)?;
    county_files(seed, schools).commit(&folder)
}

/// Builds a synthetic county of `schools` schools in memory, deterministically
/// from `seed`; about 42 teachers a school (20 schools: 800–900 teachers).
pub fn generate(seed: u64, schools: usize) -> SynthCounty {
    generate_with(seed, schools, VOLUNTEER_SHARE)
}

/// The most `synth --volunteer-share` may be: with the 5 % who list wishes
/// only, every eligible teacher applies.
pub const MOST_VOLUNTEER_SHARE: f64 = 1.0 - applications::WISH_ONLY_SHARE;

/// [`generate`] with `volunteer_share` of the eligible teachers volunteering
/// (clamped to 0 … [`MOST_VOLUNTEER_SHARE`]); only applications.csv and
/// the command in policy.toml's first line depend on it.
pub fn generate_with(seed: u64, schools: usize, volunteer_share: f64) -> SynthCounty {
    generate_knobs(seed, schools, Knobs { volunteer_share, ..Knobs::default() })
}

/// [`generate`] drawn with `knobs` (each clamped to its range). At stress 0
/// the county is the bytes of [`generate_with`]'s.
pub fn generate_knobs(seed: u64, schools: usize, knobs: Knobs) -> SynthCounty {
    let volunteer_share = knobs.volunteer_share.clamp(0.0, MOST_VOLUNTEER_SHARE);
    // Stress is read to three decimals (1e-320 is 0, and policy.toml's
    // first line stays short).
    let stress = if knobs.stress.is_finite() { (knobs.stress.clamp(0.0, 1.0) * 1000.0).round() / 1000.0 } else { 0.0 };
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let blocks = schools.div_ceil(BLOCK);
    let towns = lay_out_towns(&mut rng, blocks);
    let mut list = build_schools(&mut rng, &towns, schools, stress);
    join_alliances(&mut rng, &mut list);
    let staff = draw_staff(&mut rng, &list, stress);
    let teachers = teachers_csv(&staff);
    let policy = Policy { year: YEAR, ..Policy::default() };
    let mut family = draw_family(&mut rng, &list, &staff);
    let applications = draw_applications(&mut rng, &list, &staff, &policy, volunteer_share);
    let mut share = if volunteer_share == VOLUNTEER_SHARE {
        String::new()
    } else {
        format!(" --volunteer-share {volunteer_share}")
    };
    if stress > 0.0 {
        share.push_str(&format!(" --stress {stress}"));
    }
    // A teacher whose exchange ends this year goes home (or stays) as the
    // register says: a couple tie on them could leave no plan at all.
    let exchanges = exchanges_csv(&teachers, schools);
    let due: std::collections::BTreeSet<&str> = exchanges
        .lines()
        .skip(1)
        .filter_map(|line| {
            let fields: Vec<&str> = line.split(',').collect();
            let ends = fields.get(4)?.parse::<i32>().ok()?;
            (ends <= YEAR).then_some(fields[0])
        })
        .collect();
    family.retain(|tie| !due.contains(tie.teacher_a.as_str()) && !due.contains(tie.teacher_b.as_str()));
    SynthCounty {
        schools_csv: schools_csv(&list),
        exchanges_csv: exchanges,
        teachers_csv: teachers,
        policy_toml: format!(
            "# A synthetic county (fiction): rotaplan synth --seed {seed} --schools {schools}{share}\n\
             # Every key not given here keeps its default (SPEC §2).\nyear = {YEAR}\n\n\
             # The published priority points (积分): who of a group of interchangeable\n\
             # teachers moves first, after the volunteers.\n{PRIORITY_TABLE}"
        ),
        applications_csv: rows_csv(&APPLICATION_HEADER, applications.iter().map(application_row)),
        family_csv: rows_csv(&FAMILY_HEADER, family.iter().map(family_row)),
    }
}

/// A CSV text with a BOM of `header` and `rows`.
fn rows_csv(header: &[&str], rows: impl Iterator<Item = Vec<String>>) -> String {
    let mut out = csv_writer();
    out.write_record(header).expect("writing to memory cannot fail");
    for row in rows {
        out.write_record(row).expect("writing to memory cannot fail");
    }
    csv_text(out)
}

/// Where in its town a school of the pattern stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Place {
    /// In the county town (urban).
    CountyTown,
    /// At the seat of a town or township (its central school).
    TownSeat,
    /// In a village of the town.
    Village,
}

/// One school of the 20-school pattern; `town` 0 is the county town, 1–3 the
/// towns (镇), 4–6 the townships (乡).
#[derive(Clone, Copy, Debug)]
pub(super) struct Slot {
    pub(super) kind: SchoolKind,
    pub(super) town: usize,
    pub(super) place: Place,
}

pub(super) const fn slot(kind: SchoolKind, town: usize, place: Place) -> Slot {
    Slot { kind, town, place }
}

/// The pattern of one block, in the order schools are added, so that a
/// county smaller than a block still mixes every kind and area.
pub(super) const PATTERN: [Slot; BLOCK] = [
    slot(SchoolKind::Primary, 0, Place::CountyTown),
    slot(SchoolKind::Junior, 0, Place::CountyTown),
    slot(SchoolKind::Primary, 1, Place::TownSeat),
    slot(SchoolKind::NineYear, 4, Place::TownSeat),
    slot(SchoolKind::TeachingPoint, 1, Place::Village),
    slot(SchoolKind::Primary, 0, Place::CountyTown),
    slot(SchoolKind::Junior, 1, Place::TownSeat),
    slot(SchoolKind::Primary, 2, Place::TownSeat),
    slot(SchoolKind::Junior, 2, Place::TownSeat),
    slot(SchoolKind::NineYear, 5, Place::TownSeat),
    slot(SchoolKind::TeachingPoint, 4, Place::Village),
    slot(SchoolKind::Primary, 0, Place::CountyTown),
    slot(SchoolKind::Junior, 0, Place::CountyTown),
    slot(SchoolKind::Primary, 3, Place::TownSeat),
    slot(SchoolKind::Junior, 3, Place::TownSeat),
    slot(SchoolKind::NineYear, 6, Place::TownSeat),
    slot(SchoolKind::TeachingPoint, 5, Place::Village),
    slot(SchoolKind::Primary, 2, Place::Village),
    slot(SchoolKind::TeachingPoint, 6, Place::Village),
    slot(SchoolKind::Primary, 3, Place::Village),
];

/// A CSV writer into memory whose output starts with a UTF-8 BOM.
pub(super) fn csv_writer() -> csv::Writer<Vec<u8>> {
    csv::Writer::from_writer("\u{feff}".as_bytes().to_vec())
}

/// The finished text of a writer made by [`csv_writer`].
pub(super) fn csv_text(writer: csv::Writer<Vec<u8>>) -> String {
    let bytes = writer.into_inner().expect("writing to memory cannot fail");
    String::from_utf8(bytes).expect("every field is UTF-8")
}

/// Picks from `(value, weight)` pairs; the weights need not sum to 1.
pub(super) fn pick<T: Copy>(rng: &mut ChaCha8Rng, choices: &[(T, f64)]) -> T {
    let total: f64 = choices.iter().map(|(_, w)| w).sum();
    let mut x = rng.random_range(0.0..total);
    for &(value, weight) in choices {
        if x < weight {
            return value;
        }
        x -= weight;
    }
    choices[choices.len() - 1].0
}
