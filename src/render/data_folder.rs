//! A county written back as a data folder that rotaplan and people read:
//! policy.toml, schools.csv, teachers.csv, roads.csv, staffing.csv,
//! exchanges.csv and family.csv with English headers, CSV in UTF-8 with a
//! BOM. `advance` writes next year's data this way, with retired.csv beside
//! it; `synth` writes its rows with the same headers and row functions
//! (applications.csv too, which `advance` never carries over).
//!
//! Every value is written so that reading it back gives the same value:
//! words in their English spelling, exact decimals in full, coordinates and
//! kilometres in their shortest round-trip form. Cells are written as they
//! are (no `'` guard): the folder is data, read back as it stands.

use crate::domain::applications::{Application, FamilyRule, FamilyTie, MAX_WISHES};
use crate::domain::policy::{PerLevel, Policy, ReturnsMode};
use crate::domain::{County, Exact, Facility, Level, Teacher};
use crate::render::output::{csv_bytes, OutputFiles};
use crate::rules::next_year::Retired;

/// An exact decimal in full ("0.14", "2000", "10484"); a number that is
/// not a finite decimal (never read from a file) in its float form.
pub fn decimal(value: &Exact) -> String {
    let (numer, denom) = (*value.numer(), *value.denom());
    if denom == 1 {
        return numer.to_string();
    }
    for places in 1..=30u32 {
        let Some(scale) = 10i128.checked_pow(places) else { break };
        if scale % denom != 0 {
            continue;
        }
        let Some(digits) = numer.checked_mul(scale / denom) else { break };
        let sign = if digits < 0 { "-" } else { "" };
        let digits = digits.unsigned_abs().to_string();
        let width = places as usize + 1;
        let padded = format!("{digits:0>width$}");
        let (whole, fraction) = padded.split_at(padded.len() - places as usize);
        return format!("{sign}{whole}.{fraction}");
    }
    format!("{}", crate::exact::to_f64(value))
}

fn yes_no(value: bool) -> String {
    if value { "yes" } else { "no" }.to_string()
}

fn optional<T: ToString>(value: Option<T>) -> String {
    value.map(|v| v.to_string()).unwrap_or_default()
}

/// The columns of schools.csv as rotaplan writes it (advance, synth).
pub const SCHOOL_HEADER: [&str; 17] = [
    "school_id",
    "name",
    "town",
    "kind",
    "area",
    "primary_students",
    "junior_students",
    "primary_classes",
    "junior_classes",
    "lat",
    "lon",
    "alliance",
    "teaching_area_m2",
    "sports_area_m2",
    "equipment_yuan",
    "multimedia_rooms",
    "staff_quota",
];

/// The columns of teachers.csv as rotaplan writes it (advance, synth).
pub const TEACHER_HEADER: [&str; 16] = [
    "teacher_id",
    "name",
    "school_id",
    "section",
    "subject",
    "degree",
    "backbone",
    "title",
    "gender",
    "birth_year",
    "school_since",
    "certified",
    "full_time",
    "role",
    "exempt",
    "last_rotated",
];

/// schools.csv.
pub fn schools_csv(county: &County) -> Vec<u8> {
    // The room columns only when some school gives them, so a county
    // without them is written as before.
    let rooms = county.schools.iter().any(|s| s.music_rooms.is_some() || s.art_rooms.is_some());
    let mut header = SCHOOL_HEADER.to_vec();
    if rooms {
        header.extend(["music_rooms", "art_rooms"]);
    }
    let rows: Vec<Vec<String>> = county
        .schools
        .iter()
        .map(|s| {
            let mut row = vec![
                s.id.clone(),
                s.name.clone(),
                s.town.clone(),
                s.kind.word().to_string(),
                s.area.word().to_string(),
                s.students[0].to_string(),
                s.students[1].to_string(),
                s.classes[0].to_string(),
                s.classes[1].to_string(),
                optional(s.location.map(|(lat, _)| lat)),
                optional(s.location.map(|(_, lon)| lon)),
                s.alliance.clone().unwrap_or_default(),
            ];
            row.extend(Facility::ALL.iter().map(|f| optional(s.facilities.totals[f.index()].as_ref().map(decimal))));
            row.push(optional(s.staff_quota));
            if rooms {
                row.extend([optional(s.music_rooms), optional(s.art_rooms)]);
            }
            row
        })
        .collect();
    csv_bytes(&header, &rows)
}

/// One row of teachers.csv, in the order of [`TEACHER_HEADER`].
pub fn teacher_row(t: &Teacher) -> Vec<String> {
    vec![
        t.id.clone(),
        t.name.clone(),
        t.school_id.clone(),
        t.level.word().to_string(),
        t.subject.word().to_string(),
        t.degree.word().to_string(),
        t.backbone.word().to_string(),
        optional(t.title.map(|title| title.word())),
        t.gender.word().to_string(),
        t.birth_year.to_string(),
        t.school_since.to_string(),
        yes_no(t.certified),
        yes_no(t.full_time),
        t.role.word().to_string(),
        t.exempt.clone().unwrap_or_default(),
        optional(t.last_rotated),
    ]
}

/// teachers.csv.
pub fn teachers_csv(county: &County) -> Vec<u8> {
    let rows: Vec<Vec<String>> = county.teachers.iter().map(teacher_row).collect();
    csv_bytes(&TEACHER_HEADER, &rows)
}

/// roads.csv.
pub fn roads_csv(county: &County) -> Vec<u8> {
    let rows: Vec<Vec<String>> =
        county.roads.iter().map(|r| vec![r.from.clone(), r.to.clone(), format!("{}", r.km)]).collect();
    csv_bytes(&["from", "to", "km"], &rows)
}

/// staffing.csv.
pub fn staffing_csv(county: &County) -> Vec<u8> {
    let rows: Vec<Vec<String>> = county
        .staffing
        .iter()
        .map(|s| {
            vec![s.school_id.clone(), s.level.word().to_string(), s.subject.word().to_string(), s.need.to_string()]
        })
        .collect();
    csv_bytes(&["school_id", "section", "subject", "need"], &rows)
}

/// exchanges.csv, the register in its order.
pub fn exchanges_csv(county: &County) -> Vec<u8> {
    let rows: Vec<Vec<String>> = county
        .exchanges
        .iter()
        .map(|e| {
            vec![
                e.teacher_id.clone(),
                e.home_school_id.clone(),
                e.host_school_id.clone(),
                e.start_year.to_string(),
                e.end_year.to_string(),
                e.decision.word().to_string(),
            ]
        })
        .collect();
    csv_bytes(&["teacher_id", "home_school_id", "host_school_id", "start_year", "end_year", "decision"], &rows)
}

/// The columns of applications.csv as rotaplan writes it (synth).
pub const APPLICATION_HEADER: [&str; 4 + MAX_WISHES] =
    ["teacher_id", "volunteer", "wish_1", "wish_2", "wish_3", "wish_4", "wish_5", "extra_points", "note"];

/// One row of applications.csv: the wishes in order, the rest of the wish
/// columns empty; `extra_points` empty when 0.
pub fn application_row(a: &Application) -> Vec<String> {
    let mut row = vec![a.teacher_id.clone(), yes_no(a.volunteer)];
    row.extend((0..MAX_WISHES).map(|k| a.wishes.get(k).cloned().unwrap_or_default()));
    let zero = Exact::from_integer(0);
    row.push(if a.extra_points == zero { String::new() } else { decimal(&a.extra_points) });
    row.push(a.note.clone());
    row
}

/// applications.csv.
pub fn applications_csv(applications: &[Application]) -> Vec<u8> {
    let rows: Vec<Vec<String>> = applications.iter().map(application_row).collect();
    csv_bytes(&APPLICATION_HEADER, &rows)
}

/// The columns of family.csv as rotaplan writes it (advance, synth).
pub const FAMILY_HEADER: [&str; 3] = ["teacher_a", "teacher_b", "rule"];

/// One row of family.csv: the rule as `same_town` or `within_km N` (N in
/// its shortest round-trip form).
pub fn family_row(tie: &FamilyTie) -> Vec<String> {
    let rule = match tie.rule {
        FamilyRule::SameTown => "same_town".to_string(),
        FamilyRule::WithinKm(km) => format!("within_km {km}"),
    };
    vec![tie.teacher_a.clone(), tie.teacher_b.clone(), rule]
}

/// family.csv, the ties in their order.
pub fn family_csv(family: &[FamilyTie]) -> Vec<u8> {
    let rows: Vec<Vec<String>> = family.iter().map(family_row).collect();
    csv_bytes(&FAMILY_HEADER, &rows)
}

/// retired.csv: the teachers who leave the roll, by id.
pub fn retired_csv(retired: &[Retired]) -> Vec<u8> {
    let rows: Vec<Vec<String>> = retired
        .iter()
        .map(|r| {
            let t = &r.teacher;
            vec![
                t.id.clone(),
                t.name.clone(),
                t.school_id.clone(),
                t.gender.word().to_string(),
                t.birth_year.to_string(),
                r.age.to_string(),
            ]
        })
        .collect();
    csv_bytes(&["teacher_id", "name", "school_id", "gender", "birth_year", "age"], &rows)
}

/// A TOML number for an exact decimal: an integer when whole, else the
/// float whose shortest form is the decimal (policy values have at most
/// six decimals, so it reads back exactly).
fn toml_number(value: &Exact) -> toml::Value {
    if value.is_integer() {
        toml::Value::Integer(value.to_integer() as i64)
    } else {
        toml::Value::Float(crate::exact::to_f64(value))
    }
}

/// Sets `key` of a nested TOML table, creating the tables on the way.
fn put(root: &mut toml::Table, key: &str, value: toml::Value) {
    let mut parts: Vec<&str> = key.split('.').collect();
    let last = parts.pop().expect("a key has a name");
    let mut table = root;
    for part in parts {
        let entry = table.entry(part.to_string()).or_insert_with(|| toml::Value::Table(toml::Table::new()));
        table = entry.as_table_mut().expect("policy keys nest in tables");
    }
    table.insert(last.to_string(), value);
}

/// The keys of a per-level pair of values that differ from the default.
fn per_level<T: PartialEq + Clone>(
    root: &mut toml::Table,
    key: &str,
    value: &PerLevel<T>,
    default: &PerLevel<T>,
    to_toml: impl Fn(&T) -> toml::Value,
) {
    for level in Level::BOTH {
        if value.get(level) != default.get(level) {
            put(root, &format!("{key}.{}", level.word()), to_toml(&value.get(level)));
        }
    }
}

/// Every key of `policy` that differs from the default (the year and an
/// explicit `inspection_year` always), as policy.toml text.
pub fn policy_toml(policy: &Policy) -> Vec<u8> {
    let d = Policy::default();
    let mut root = toml::Table::new();
    let int = |v: i32| toml::Value::Integer(i64::from(v));
    root.insert("year".into(), int(policy.year));
    if let Some(year) = policy.inspection_year {
        root.insert("inspection_year".into(), int(year));
    }
    let numbers = [
        ("rotation.min_share", &policy.rotation.min_share, &d.rotation.min_share),
        ("rotation.max_share", &policy.rotation.max_share, &d.rotation.max_share),
        ("rotation.backbone_min_share", &policy.rotation.backbone_min_share, &d.rotation.backbone_min_share),
        ("rotation.to_rural_min_share", &policy.rotation.to_rural_min_share, &d.rotation.to_rural_min_share),
        ("principals.min_share", &policy.principals.min_share, &d.principals.min_share),
        ("principals.max_share", &policy.principals.max_share, &d.principals.max_share),
        ("standards.junior_weight", &policy.standards.junior_weight, &d.standards.junior_weight),
    ];
    for (key, value, default) in numbers {
        if value != default {
            put(&mut root, key, toml_number(value));
        }
    }
    let (r, e, m) = (&policy.rotation, &policy.eligibility, &policy.movement);
    let integers = [
        ("rotation.years", r.years, d.rotation.years),
        ("eligibility.min_years_at_school", e.min_years_at_school, d.eligibility.min_years_at_school),
        ("eligibility.max_age_male", e.max_age_male, d.eligibility.max_age_male),
        ("eligibility.max_age_female", e.max_age_female, d.eligibility.max_age_female),
        ("eligibility.min_years_since_rotation", e.min_years_since_rotation, d.eligibility.min_years_since_rotation),
        ("principals.min_years_at_school", policy.principals.min_years_at_school, d.principals.min_years_at_school),
        ("retirement.age_male", policy.retirement.age_male, d.retirement.age_male),
        ("retirement.age_female", policy.retirement.age_female, d.retirement.age_female),
        ("movement.headcount_tolerance", m.headcount_tolerance as i32, d.movement.headcount_tolerance as i32),
        (
            "standards.min_students_counted",
            policy.standards.min_students_counted as i32,
            d.standards.min_students_counted as i32,
        ),
    ];
    for (key, value, default) in integers {
        if value != default {
            put(&mut root, key, int(value));
        }
    }
    let flags = [
        ("principals.count_in_teachers", policy.principals.count_in_teachers, d.principals.count_in_teachers),
        ("movement.within_alliance", m.within_alliance, d.movement.within_alliance),
        ("objective.subject_gaps", policy.objective.subject_gaps, d.objective.subject_gaps),
    ];
    for (key, value, default) in flags {
        if value != default {
            put(&mut root, key, toml::Value::Boolean(value));
        }
    }
    let floats = [
        ("movement.max_distance_km", m.max_distance_km, d.movement.max_distance_km),
        ("movement.road_factor", m.road_factor, d.movement.road_factor),
    ];
    for (key, value, default) in floats {
        if value != default {
            put(&mut root, key, toml::Value::Float(value));
        }
    }
    if policy.exchange.returns != d.exchange.returns {
        let word = match policy.exchange.returns {
            ReturnsMode::Fixed => "fixed",
            ReturnsMode::Optional => "optional",
        };
        put(&mut root, "exchange.returns", toml::Value::String(word.into()));
    }
    standards_keys(&mut root, policy, &d);
    priority_keys(&mut root, policy, &d);
    for (key, value, default) in [
        ("levers.hire", policy.levers.hire, d.levers.hire),
        ("levers.upgrade", policy.levers.upgrade, d.levers.upgrade),
        ("levers.designate", policy.levers.designate, d.levers.designate),
    ] {
        if value != default {
            put(&mut root, key, toml::Value::Integer(i64::from(value)));
        }
    }
    let text = toml::to_string(&root).expect("a table of plain values serialises");
    let heading = "# Written by rotaplan advance: the year, and every key that differs from the default (SPEC §2).\n";
    format!("{heading}{text}").into_bytes()
}

/// The `[priority]` keys that differ from the default.
fn priority_keys(root: &mut toml::Table, policy: &Policy, d: &Policy) {
    let (p, dp) = (&policy.priority, &d.priority);
    let numbers = [
        ("priority.school_year", &p.school_year, &dp.school_year),
        ("priority.rural_year", &p.rural_year, &dp.rural_year),
        ("priority.age_year", &p.age_year, &dp.age_year),
    ];
    for (key, value, default) in numbers {
        if value != default {
            put(root, key, toml_number(value));
        }
    }
    if p.age_from != dp.age_from {
        put(root, "priority.age_from", toml::Value::Integer(i64::from(p.age_from)));
    }
}

/// The standards and staffing keys that differ from the default.
fn standards_keys(root: &mut toml::Table, policy: &Policy, d: &Policy) {
    let (s, ds) = (&policy.standards, &d.standards);
    let tables = [
        ("standards.higher_degree", &s.higher_degree, &ds.higher_degree),
        ("standards.backbone", &s.backbone, &ds.backbone),
        ("standards.pe_arts", &s.pe_arts, &ds.pe_arts),
        ("standards.teaching_area_m2", &s.teaching_area_m2, &ds.teaching_area_m2),
        ("standards.sports_area_m2", &s.sports_area_m2, &ds.sports_area_m2),
        ("standards.equipment_yuan", &s.equipment_yuan, &ds.equipment_yuan),
        ("standards.multimedia_rooms", &s.multimedia_rooms, &ds.multimedia_rooms),
        ("standards.cv_limit", &s.cv_limit, &ds.cv_limit),
        ("staffing.load", &policy.staffing.load, &d.staffing.load),
    ];
    for (key, value, default) in tables {
        per_level(root, key, value, default, toml_number);
    }
    per_level(root, "standards.class_size", &s.class_size, &ds.class_size, |v| toml::Value::Integer(i64::from(*v)));
    for level in Level::BOTH {
        let (periods, defaults) = (policy.staffing.periods.get(level), d.staffing.periods.get(level));
        for (subject, value) in &periods {
            if defaults.get(subject) != Some(value) {
                put(root, &format!("staffing.{}.{}", level.word(), subject.word()), toml_number(value));
            }
        }
    }
}

/// The files of a data folder for `county` (roads.csv, staffing.csv and
/// family.csv only when the county has them; exchanges.csv always). The
/// county's applications are not written: they are one year's.
pub fn county_files(county: &County) -> OutputFiles {
    let mut files = OutputFiles::new();
    files.add("policy.toml", policy_toml(&county.policy));
    files.add("schools.csv", schools_csv(county));
    files.add("teachers.csv", teachers_csv(county));
    if !county.roads.is_empty() {
        files.add("roads.csv", roads_csv(county));
    }
    if !county.staffing.is_empty() {
        files.add("staffing.csv", staffing_csv(county));
    }
    files.add("exchanges.csv", exchanges_csv(county));
    if !county.family.is_empty() {
        files.add("family.csv", family_csv(&county.family));
    }
    files
}
