//! What-if scenarios (SPEC §7): a TOML file naming a base data folder and the
//! changes to make to it — policy overrides, hires, retirements, enrollment
//! changes, school closures, degree upgrades and backbone designations
//! (`levers`) — applied to a copy of the county.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::domain::changes::{HireGroup, Lever, LeverChange, MOST_HIRES};
use crate::domain::{Backbone, County, Degree, Level, School, Subject, Title};
use crate::error::{Error, InputProblem, Text};
use crate::io::policy_keys::{choices, contradiction};

mod levers;
pub use levers::lever_candidates;

/// Most students a section may be given by an enrollment change (the
/// largest Chinese schools have a few ten thousand).
pub(crate) const MOST_STUDENTS: u32 = 100_000;

/// Most classes a section may be given by an enrollment change.
pub(crate) const MOST_CLASSES: u32 = 2_000;

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
    #[serde(default)]
    upgrade: Vec<levers::RawLever>,
    #[serde(default)]
    designate: Vec<levers::RawLever>,
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
    /// Degree upgrades and backbone designations, applied to `county`.
    pub levers: Vec<LeverChange>,
}

fn word<T>(
    file: &str,
    key: &str,
    value: &str,
    parse: fn(&str) -> Option<T>,
    all: &[(T, &'static str, &'static str)],
) -> Result<T, InputProblem> {
    parse(value).ok_or_else(|| {
        let (en, zh) = choices(all);
        let message = Text::both(
            format!("unknown value \"{value}\"; use one of {en}"),
            format!("未知的值「{value}」；可填：{zh}"),
        );
        InputProblem::new(file, key, message)
    })
}

/// The problems of a scenario file, collected while its changes are applied.
struct Problems<'a> {
    /// The scenario file, for locations.
    file: &'a str,
    /// The base data as the file names it, for messages.
    data: &'a str,
    list: Vec<InputProblem>,
}

impl Problems<'_> {
    /// A problem with the scenario's key `key`.
    fn add(&mut self, key: impl Into<String>, message: impl Into<Text>) {
        self.list.push(InputProblem::new(self.file, key, message));
    }
}

/// Reads a scenario file and applies it to its base data.
pub fn load_scenario(path: &Path) -> Result<Scenario, Error> {
    let file = path.display().to_string();
    let raw = read_scenario(path, &file)?;
    let base = path.parent().unwrap_or(Path::new(".")).join(&raw.data);
    let mut county = load_base(&base, &raw.data, &file, None)?;
    let mut problems = Problems { file: &file, data: &raw.data, list: Vec::new() };
    if let Some(policy) = &raw.policy {
        apply_policy(&mut county, policy, &mut problems);
        if problems.list.is_empty() {
            // The base data checked again under the scenario's policy.
            county = load_base(&base, &raw.data, &file, Some(county.policy.clone()))?;
        }
    }
    // Hire ids are taken before retirements: a hire never gets the id of a
    // teacher of the base data, retired or not.
    let total_hires: u64 = raw.hire.iter().map(|h| u64::from(h.count)).sum();
    if total_hires > u64::from(MOST_HIRES) {
        problems.add(
            "hire",
            Text::both(
                format!(
                    "the scenario hires {total_hires} teachers in all; give counts that add up to at most {MOST_HIRES}"
                ),
                format!("该场景共招聘 {total_hires} 名教师；各 count 相加最多为 {MOST_HIRES}"),
            ),
        );
    }
    let hire_ids = county.hire_ids(total_hires.min(u64::from(MOST_HIRES)) as usize);
    retire(&mut county, &raw.retire, &mut problems);
    for (i, e) in raw.enrollment.iter().enumerate() {
        change_enrollment(&mut county, &format!("enrollment[{i}]"), e, &mut problems);
    }
    close_schools(&mut county, &raw.close, &mut problems);
    let mut changes = levers::apply_levers(&mut county, Lever::Upgrade, &raw.upgrade, &mut problems);
    changes.extend(levers::apply_levers(&mut county, Lever::Designate, &raw.designate, &mut problems));
    let hires = hire_groups(&county, &raw.hire, hire_ids, &mut problems);
    if !problems.list.is_empty() {
        return Err(Error::Input(problems.list));
    }
    let stem = path.file_stem().map(|s| s.to_string_lossy().to_string()).unwrap_or_else(|| "scenario".into());
    Ok(Scenario { name: raw.name.unwrap_or_else(|| stem.clone()), stem, data: base, county, hires, levers: changes })
}

/// The scenario file as written; a TOML error names its line.
fn read_scenario(path: &Path, file: &str) -> Result<RawScenario, Error> {
    let text = crate::io::read_text_file(path)?;
    toml::from_str(&text).map_err(|e| {
        let what = crate::io::toml_text::toml_problem_zh(e.message());
        let message = Text::both(e.message(), format!("场景文件写法有误：{what}"));
        let location = match e.span() {
            // The physical line where the span starts (1-based).
            Some(span) => format!(
                "{file}:{}",
                text.as_bytes()[..span.start.min(text.len())].iter().filter(|&&b| b == b'\n').count() + 1
            ),
            None => file.to_string(),
        };
        Error::Input(vec![InputProblem::new(location, "", message)])
    })
}

/// The base county, read under its own policy or, with `policy`, under a
/// scenario's (its `[policy]` over the data's); its problems come after one
/// naming the `data` key or the `[policy]` table.
fn load_base(
    base: &Path,
    data: &str,
    file: &str,
    policy: Option<crate::domain::policy::Policy>,
) -> Result<County, Error> {
    let under = policy.is_some();
    let loaded = match policy {
        Some(policy) => crate::io::load_under(base, policy),
        None => crate::io::load(base, None),
    };
    let loaded = loaded.map_err(|e| match e {
        Error::Input(mut problems) => {
            let (key, message) = if under {
                let en = format!("under the scenario's [policy], the base data \"{data}\" has problems:");
                ("policy", Text::both(en, format!("按场景的 [policy]，基础数据「{data}」有以下问题：")))
            } else {
                let en = format!("the base data \"{data}\" has problems:");
                ("data", Text::both(en, format!("基础数据「{data}」有以下问题：")))
            };
            problems.insert(0, InputProblem::new(file, key, message));
            Error::Input(problems)
        }
        other => other,
    })?;
    Ok(loaded.county)
}

/// The `[policy]` table over the base data's policy; contradictions are
/// looked for only when every key applied.
fn apply_policy(county: &mut County, policy: &toml::Table, problems: &mut Problems) {
    let before = problems.list.len();
    for (key, message) in county.policy.apply_toml(policy) {
        problems.add(format!("policy.{key}"), message);
    }
    if problems.list.len() == before {
        for (key, _, message) in county.policy.contradictions() {
            let message = contradiction(&county.policy, key, message);
            problems.add(format!("policy.{key}"), message);
        }
    }
}

/// "no school" in the base data.
fn no_school(id: &str, data: &str) -> Text {
    Text::both(format!("no school \"{id}\" in {data}"), format!("{data} 中没有学校「{id}」"))
}

/// Retirements: the teacher and the teacher's locks leave the county.
fn retire(county: &mut County, retire: &[RawRetire], problems: &mut Problems) {
    for (i, r) in retire.iter().enumerate() {
        let before = county.teachers.len();
        county.teachers.retain(|t| t.id != r.teacher_id);
        if county.teachers.len() == before {
            let earlier = retire[..i].iter().position(|e| e.teacher_id == r.teacher_id);
            let message = match earlier {
                Some(first) => Text::both(
                    format!("teacher \"{}\" retires already in retire[{first}]; list each teacher once", r.teacher_id),
                    format!("教师「{}」已在 retire[{first}] 中退休；每位教师只列一次", r.teacher_id),
                ),
                None => Text::both(
                    format!("no teacher \"{}\" in {}", r.teacher_id, problems.data),
                    format!("{} 中没有教师「{}」", problems.data, r.teacher_id),
                ),
            };
            problems.add(format!("retire[{i}].teacher_id"), message);
        }
        county.locks.retain(|l| l.teacher_id != r.teacher_id);
    }
}

/// One enrollment change: new student and class numbers of a school's sections.
fn change_enrollment(county: &mut County, key: &str, e: &RawEnrollment, problems: &mut Problems) {
    let Some(pos) = county.school_pos(&e.school_id) else {
        let message = no_school(&e.school_id, problems.data);
        problems.add(format!("{key}.school_id"), message);
        return;
    };
    let school = &mut county.schools[pos];
    for (level, students, classes) in
        [(Level::Primary, e.primary_students, e.primary_classes), (Level::Junior, e.junior_students, e.junior_classes)]
    {
        change_section(school, key, level, students, classes, problems);
    }
}

/// The new student and class numbers of one section of a school.
fn change_section(
    school: &mut School,
    key: &str,
    level: Level,
    students: Option<u32>,
    classes: Option<u32>,
    problems: &mut Problems,
) {
    let lv = level.index();
    if (students.is_some_and(|s| s > 0) || classes.is_some_and(|c| c > 0)) && !school.has(level) {
        let message = Text::both(
            format!("school {} ({}) has no {} section", school.id, school.kind.word(), level.word()),
            format!("学校 {}（{}）没有{}学段", school.id, school.kind.word_zh(), level.word_zh()),
        );
        problems.add(format!("{key}.{}_students", level.word()), message);
        return;
    }
    if let Some(s) = students {
        if s > MOST_STUDENTS {
            problems.add(
                format!("{key}.{}_students", level.word()),
                Text::both(
                    format!("{s} is out of range; give a number of students from 0 to {MOST_STUDENTS}"),
                    format!("{s} 超出范围；请填 0 到 {MOST_STUDENTS} 之间的学生人数"),
                ),
            );
            return;
        }
        school.students[lv] = s;
    }
    if let Some(c) = classes {
        if c > MOST_CLASSES {
            problems.add(
                format!("{key}.{}_classes", level.word()),
                Text::both(
                    format!("{c} is out of range; give a number of classes from 0 to {MOST_CLASSES}"),
                    format!("{c} 超出范围；请填 0 到 {MOST_CLASSES} 之间的班级数"),
                ),
            );
            return;
        }
        school.classes[lv] = c;
    }
    if school.students[lv] > 0 && school.classes[lv] == 0 {
        problems.add(
            format!("{key}.{}_classes", level.word()),
            Text::both(
                format!("{} students need at least one class; give {}_classes", school.students[lv], level.word()),
                format!("{} 名学生至少需要 1 个班；请填 {}_classes", school.students[lv], level.word()),
            ),
        );
    }
}

/// Closures: each closed school's students, classes, quota and teachers go
/// to the school it merges into; the closed schools leave the county.
fn close_schools(county: &mut County, close: &[RawClose], problems: &mut Problems) {
    let mut closed: BTreeSet<String> = BTreeSet::new();
    for (i, c) in close.iter().enumerate() {
        if let Some(id) = close_school(county, &format!("close[{i}]"), c, &closed, problems) {
            closed.insert(id);
        }
    }
    county.schools.retain(|s| !closed.contains(&s.id));
    county.reindex();
}

/// One closure, when it can be made: the id of the closed school.
fn close_school(
    county: &mut County,
    key: &str,
    c: &RawClose,
    closed: &BTreeSet<String>,
    problems: &mut Problems,
) -> Option<String> {
    let (Some(from), Some(to)) = (county.school_pos(&c.school_id), county.school_pos(&c.merge_into)) else {
        for (k, id) in [("school_id", &c.school_id), ("merge_into", &c.merge_into)] {
            if county.school_pos(id).is_none() {
                let message = no_school(id, problems.data);
                problems.add(format!("{key}.{k}"), message);
            }
        }
        return None;
    };
    if from == to || closed.contains(&c.merge_into) || closed.contains(&c.school_id) {
        problems.add(
            format!("{key}.merge_into"),
            Text::both(
                format!(
                    "\"{}\" cannot take in \"{}\": it is the same school or already closed",
                    c.merge_into, c.school_id
                ),
                format!("「{}」不能接收「{}」：两者是同一所学校，或已被撤并", c.merge_into, c.school_id),
            ),
        );
        return None;
    }
    let source = county.schools[from].clone();
    if !can_take_in(county, key, c, &source, to, problems) {
        return None;
    }
    let target = &mut county.schools[to];
    let Some((students, classes, quota)) = merged_counts(target, &source) else {
        problems.add(
            format!("{key}.merge_into"),
            Text::both(
                format!(
                    "merging {} into {} gives more than {MOST_STUDENTS} students or {MOST_CLASSES} classes in a section; check the student and class numbers of both schools",
                    c.school_id, c.merge_into
                ),
                format!(
                    "把 {} 并入 {} 后，有学段的学生超过 {MOST_STUDENTS} 人或班级超过 {MOST_CLASSES} 个；请核对两校的学生数和班级数",
                    c.school_id, c.merge_into
                ),
            ),
        );
        return None;
    };
    target.students = students;
    target.classes = classes;
    target.staff_quota = quota;
    for t in county.teachers.iter_mut().filter(|t| t.school_id == source.id) {
        t.school_id = c.merge_into.clone();
    }
    county.locks.retain(|l| l.school_id.as_deref() != Some(source.id.as_str()));
    county.staffing.retain(|s| s.school_id != source.id);
    Some(source.id)
}

/// Whether the school at `to` has every section the closed school's
/// students and teachers need.
fn can_take_in(county: &County, key: &str, c: &RawClose, source: &School, to: usize, problems: &mut Problems) -> bool {
    let target_kind = county.schools[to].kind;
    let teacher_levels: BTreeSet<Level> =
        county.teachers.iter().filter(|t| t.school_id == source.id).map(|t| t.level).collect();
    let mut ok = true;
    for level in Level::BOTH {
        let needed = source.students[level.index()] > 0 || teacher_levels.contains(&level);
        if needed && !target_kind.has(level) {
            problems.add(
                format!("{key}.merge_into"),
                Text::both(
                    format!(
                        "{} ({}) has no {} section to take in the students and teachers of {}",
                        c.merge_into,
                        target_kind.word(),
                        level.word(),
                        c.school_id
                    ),
                    format!(
                        "{}（{}）没有{}学段，无法接收 {} 的学生和教师",
                        c.merge_into,
                        target_kind.word_zh(),
                        level.word_zh(),
                        c.school_id
                    ),
                ),
            );
            ok = false;
        }
    }
    ok
}

/// The students, classes and quota of `target` after taking in `source`;
/// `None` when a section would pass the limits. Sums of input numbers are
/// checked: u32 would wrap silently.
fn merged_counts(target: &School, source: &School) -> Option<([u32; 2], [u32; 2], Option<u32>)> {
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
}

/// The hire groups, each with its share of `ids` in file order.
fn hire_groups(county: &County, hire: &[RawHire], ids: Vec<String>, problems: &mut Problems) -> Vec<HireGroup> {
    let mut ids = ids.into_iter();
    let mut hires = Vec::new();
    for (i, h) in hire.iter().enumerate() {
        match hire_group(county, problems.file, i, h) {
            Ok(mut group) => {
                group.ids = ids.by_ref().take(h.count as usize).collect();
                if !group.ids.is_empty() {
                    hires.push(group);
                }
            }
            Err(p) => problems.list.push(p),
        }
    }
    hires
}

/// One `[[hire]]` entry as a group without ids yet.
fn hire_group(county: &County, file: &str, i: usize, h: &RawHire) -> Result<HireGroup, InputProblem> {
    let key = |k: &str| format!("hire[{i}].{k}");
    let level = word(file, &key("section"), &h.section, Level::parse, Level::ALL)?;
    let subject = word(file, &key("subject"), &h.subject, Subject::parse, Subject::ALL)?;
    let degree = word(file, &key("degree"), &h.degree, Degree::parse, Degree::ALL)?;
    let backbone = match &h.backbone {
        Some(b) => word(file, &key("backbone"), b, Backbone::parse, Backbone::ALL)?,
        None => Backbone::None,
    };
    let title = match &h.title {
        Some(t) => Some(word(file, &key("title"), t, Title::parse, Title::ALL)?),
        None => None,
    };
    if !county.schools.iter().any(|s| s.has(level)) {
        let message = Text::both(
            format!("no school has a {} section", level.word()),
            format!("没有任何学校设有{}学段", level.word_zh()),
        );
        return Err(InputProblem::new(file, key("section"), message));
    }
    Ok(HireGroup { level, subject, degree, backbone, title, ids: Vec::new(), school: None })
}
