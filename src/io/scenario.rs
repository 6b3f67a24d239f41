//! What-if scenarios (SPEC §7): a TOML file naming a base data folder and the
//! changes to make to it — policy overrides, hires, retirements, enrollment
//! changes and school closures — applied to a copy of the county.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::domain::changes::{HireGroup, MOST_HIRES};
use crate::domain::{Backbone, County, Degree, Level, Subject, Title};
use crate::error::{Error, InputProblem};

/// Most students a section may be given by an enrollment change (the
/// largest Chinese schools have a few ten thousand).
pub const MOST_STUDENTS: u32 = 100_000;

/// Most classes a section may be given by an enrollment change.
pub const MOST_CLASSES: u32 = 2_000;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawScenario {
    name: Option<String>,
    data: String,
    policy: Option<toml::Table>,
    #[serde(default)]
    hire: Vec<RawHire>,
    #[serde(default)]
    retire: Vec<RawRetire>,
    #[serde(default)]
    enrollment: Vec<RawEnrollment>,
    #[serde(default)]
    close: Vec<RawClose>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawHire {
    section: String,
    subject: String,
    degree: String,
    backbone: Option<String>,
    title: Option<String>,
    count: u32,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRetire {
    teacher_id: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEnrollment {
    school_id: String,
    primary_students: Option<u32>,
    junior_students: Option<u32>,
    primary_classes: Option<u32>,
    junior_classes: Option<u32>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawClose {
    school_id: String,
    merge_into: String,
}

/// A scenario applied: the changed county and the hires to place.
#[derive(Debug)]
pub struct Scenario {
    /// File stem (the output folder's name).
    pub stem: String,
    /// Human name (the `name` key, or the stem).
    pub name: String,
    /// The base data folder, resolved against the scenario's folder.
    pub data: PathBuf,
    /// The county after the changes.
    pub county: County,
    /// New hires for the optimizer to place.
    pub hires: Vec<HireGroup>,
}

fn word<T>(
    file: &str,
    key: &str,
    value: &str,
    parse: fn(&str) -> Option<T>,
    words: Vec<&str>,
) -> Result<T, InputProblem> {
    parse(value).ok_or_else(|| {
        InputProblem::new(file, key, format!("unknown value \"{value}\"; use one of {}", words.join(", ")))
    })
}

/// Reads a scenario file and applies it to its base data.
pub fn load_scenario(path: &Path) -> Result<Scenario, Error> {
    let file = path.display().to_string();
    let text = crate::io::read_text_file(path)?;
    let raw: RawScenario = toml::from_str(&text).map_err(|e| {
        let message = e.message().to_string();
        let location = match e.span() {
            // The physical line where the span starts (1-based).
            Some(span) => format!(
                "{file}:{}",
                text.as_bytes()[..span.start.min(text.len())].iter().filter(|&&b| b == b'\n').count() + 1
            ),
            None => file.clone(),
        };
        Error::Input(vec![InputProblem::new(location, "", message)])
    })?;
    let base = path.parent().unwrap_or(Path::new(".")).join(&raw.data);
    let mut county = crate::io::load(&base, None)
        .map_err(|e| match e {
            Error::Input(mut problems) => {
                problems.insert(
                    0,
                    InputProblem::new(&file, "data", format!("the base data \"{}\" has problems:", raw.data)),
                );
                Error::Input(problems)
            }
            other => other,
        })?
        .county;
    let mut problems = Vec::new();
    if let Some(policy) = &raw.policy {
        let before = problems.len();
        for (key, message) in county.policy.apply_toml(policy) {
            problems.push(InputProblem::new(&file, format!("policy.{key}"), message));
        }
        if problems.len() == before {
            for (key, _, message) in county.policy.contradictions() {
                problems.push(InputProblem::new(&file, format!("policy.{key}"), message));
            }
        }
    }
    // Hire ids are taken before retirements: a hire never gets the id of a
    // teacher of the base data, retired or not.
    let total_hires: u64 = raw.hire.iter().map(|h| u64::from(h.count)).sum();
    if total_hires > u64::from(MOST_HIRES) {
        problems.push(InputProblem::new(
            &file,
            "hire",
            format!(
                "the scenario hires {total_hires} teachers in all; give counts that add up to at most {MOST_HIRES}"
            ),
        ));
    }
    let mut hire_ids = county.hire_ids(total_hires.min(u64::from(MOST_HIRES)) as usize).into_iter();
    // Retirements.
    for (i, r) in raw.retire.iter().enumerate() {
        let before = county.teachers.len();
        county.teachers.retain(|t| t.id != r.teacher_id);
        if county.teachers.len() == before {
            problems.push(InputProblem::new(
                &file,
                format!("retire[{i}].teacher_id"),
                format!("no teacher \"{}\" in {}", r.teacher_id, raw.data),
            ));
        }
        county.locks.retain(|l| l.teacher_id != r.teacher_id);
    }
    // Enrollment changes.
    for (i, e) in raw.enrollment.iter().enumerate() {
        let key = format!("enrollment[{i}]");
        let Some(pos) = county.school_pos(&e.school_id) else {
            problems.push(InputProblem::new(
                &file,
                format!("{key}.school_id"),
                format!("no school \"{}\" in {}", e.school_id, raw.data),
            ));
            continue;
        };
        let school = &mut county.schools[pos];
        for (level, students, classes) in [
            (Level::Primary, e.primary_students, e.primary_classes),
            (Level::Junior, e.junior_students, e.junior_classes),
        ] {
            let lv = level.index();
            if (students.is_some_and(|s| s > 0) || classes.is_some_and(|c| c > 0)) && !school.has(level) {
                problems.push(InputProblem::new(
                    &file,
                    format!("{key}.{}_students", level.word()),
                    format!("school {} ({}) has no {} section", school.id, school.kind.word(), level.word()),
                ));
                continue;
            }
            if let Some(s) = students {
                if s > MOST_STUDENTS {
                    problems.push(InputProblem::new(
                        &file,
                        format!("{key}.{}_students", level.word()),
                        format!("{s} is out of range; give a number of students from 0 to {MOST_STUDENTS}"),
                    ));
                    continue;
                }
                school.students[lv] = s;
            }
            if let Some(c) = classes {
                if c > MOST_CLASSES {
                    problems.push(InputProblem::new(
                        &file,
                        format!("{key}.{}_classes", level.word()),
                        format!("{c} is out of range; give a number of classes from 0 to {MOST_CLASSES}"),
                    ));
                    continue;
                }
                school.classes[lv] = c;
            }
            if school.students[lv] > 0 && school.classes[lv] == 0 {
                problems.push(InputProblem::new(
                    &file,
                    format!("{key}.{}_classes", level.word()),
                    format!("{} students need at least one class; give {}_classes", school.students[lv], level.word()),
                ));
            }
        }
    }
    // Closures.
    let mut closed: BTreeSet<String> = BTreeSet::new();
    for (i, c) in raw.close.iter().enumerate() {
        let key = format!("close[{i}]");
        let (Some(from), Some(to)) = (county.school_pos(&c.school_id), county.school_pos(&c.merge_into)) else {
            for (k, id) in [("school_id", &c.school_id), ("merge_into", &c.merge_into)] {
                if county.school_pos(id).is_none() {
                    problems.push(InputProblem::new(
                        &file,
                        format!("{key}.{k}"),
                        format!("no school \"{id}\" in {}", raw.data),
                    ));
                }
            }
            continue;
        };
        if from == to || closed.contains(&c.merge_into) || closed.contains(&c.school_id) {
            problems.push(InputProblem::new(
                &file,
                format!("{key}.merge_into"),
                format!(
                    "\"{}\" cannot take in \"{}\": it is the same school or already closed",
                    c.merge_into, c.school_id
                ),
            ));
            continue;
        }
        let source = county.schools[from].clone();
        let target_kind = county.schools[to].kind;
        let teacher_levels: BTreeSet<Level> =
            county.teachers.iter().filter(|t| t.school_id == source.id).map(|t| t.level).collect();
        let mut ok = true;
        for level in Level::BOTH {
            let needed = source.students[level.index()] > 0 || teacher_levels.contains(&level);
            if needed && !target_kind.has(level) {
                problems.push(InputProblem::new(
                    &file,
                    format!("{key}.merge_into"),
                    format!(
                        "{} ({}) has no {} section to take in the students and teachers of {}",
                        c.merge_into,
                        target_kind.word(),
                        level.word(),
                        c.school_id
                    ),
                ));
                ok = false;
            }
        }
        if !ok {
            continue;
        }
        let target = &mut county.schools[to];
        // Sums of input numbers are checked: u32 would wrap silently.
        let merged = (|| {
            let mut students = [0u32; 2];
            let mut classes = [0u32; 2];
            for lv in 0..2 {
                students[lv] = target.students[lv].checked_add(source.students[lv]).filter(|&n| n <= MOST_STUDENTS)?;
                classes[lv] = target.classes[lv].checked_add(source.classes[lv]).filter(|&n| n <= MOST_CLASSES)?;
            }
            let quota = match (target.staff_quota, source.staff_quota) {
                (Some(a), Some(b)) => Some(a.checked_add(b)?),
                (a, _) => a,
            };
            Some((students, classes, quota))
        })();
        let Some((students, classes, quota)) = merged else {
            problems.push(InputProblem::new(
                &file,
                format!("{key}.merge_into"),
                format!(
                    "merging {} into {} gives more than {MOST_STUDENTS} students or {MOST_CLASSES} classes in a section; check the student and class numbers of both schools",
                    c.school_id, c.merge_into
                ),
            ));
            continue;
        };
        target.students = students;
        target.classes = classes;
        target.staff_quota = quota;
        for t in county.teachers.iter_mut().filter(|t| t.school_id == source.id) {
            t.school_id = c.merge_into.clone();
        }
        county.locks.retain(|l| l.school_id.as_deref() != Some(source.id.as_str()));
        county.staffing.retain(|s| s.school_id != source.id);
        closed.insert(source.id.clone());
    }
    county.schools.retain(|s| !closed.contains(&s.id));
    county.reindex();
    // Hires.
    let mut hires = Vec::new();
    for (i, h) in raw.hire.iter().enumerate() {
        let key = |k: &str| format!("hire[{i}].{k}");
        let parsed = (|| -> Result<HireGroup, InputProblem> {
            let level = word(&file, &key("section"), &h.section, Level::parse, Level::words())?;
            let subject = word(&file, &key("subject"), &h.subject, Subject::parse, Subject::words())?;
            let degree = word(&file, &key("degree"), &h.degree, Degree::parse, Degree::words())?;
            let backbone = match &h.backbone {
                Some(b) => word(&file, &key("backbone"), b, Backbone::parse, Backbone::words())?,
                None => Backbone::None,
            };
            let title = match &h.title {
                Some(t) => Some(word(&file, &key("title"), t, Title::parse, Title::words())?),
                None => None,
            };
            if !county.schools.iter().any(|s| s.has(level)) {
                return Err(InputProblem::new(
                    &file,
                    key("section"),
                    format!("no school has a {} section", level.word()),
                ));
            }
            Ok(HireGroup { level, subject, degree, backbone, title, ids: Vec::new(), school: None })
        })();
        match parsed {
            Ok(mut group) => {
                group.ids = hire_ids.by_ref().take(h.count as usize).collect();
                if !group.ids.is_empty() {
                    hires.push(group);
                }
            }
            Err(p) => problems.push(p),
        }
    }
    if !problems.is_empty() {
        return Err(Error::Input(problems));
    }
    let stem = path.file_stem().map(|s| s.to_string_lossy().to_string()).unwrap_or_else(|| "scenario".into());
    Ok(Scenario { name: raw.name.unwrap_or_else(|| stem.clone()), stem, data: base, county, hires })
}
