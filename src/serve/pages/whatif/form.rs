//! The what-if form as data: its fields as posted, the checks of each value
//! (each problem names its field and row), and the scenario file it means
//! (the TOML of SPEC §7 without the `data` key, which the run adds).

use crate::domain::changes::MOST_HIRES;
use crate::domain::{Backbone, County, Degree, Level, Subject, Title};
use crate::io::scenario::{MOST_CLASSES, MOST_STUDENTS};

/// Most characters of a scenario's name.
pub const MAX_NAME_CHARS: usize = 60;
/// Most rows of one kind a form may post.
pub const MAX_ROWS: usize = 200;
/// Most characters of one posted value.
const MAX_VALUE_CHARS: usize = 200;
/// The largest `movement.max_distance_km`.
const MAX_KM: u128 = 10_000;

/// One `[[hire]]` row as posted.
#[derive(Clone, Debug, Default)]
pub struct HireRow {
    /// `primary` or `junior`.
    pub section: String,
    /// A subject word.
    pub subject: String,
    /// A degree word.
    pub degree: String,
    /// A backbone word, or "".
    pub backbone: String,
    /// A title word, or "".
    pub title: String,
    /// How many.
    pub count: String,
}

/// One `[[enrollment]]` row as posted.
#[derive(Clone, Debug, Default)]
pub struct EnrollmentRow {
    /// The school's id.
    pub school: String,
    /// `primary` or `junior`.
    pub section: String,
    /// The section's students.
    pub students: String,
    /// The section's classes, or "" to keep them.
    pub classes: String,
}

/// One `[[close]]` row as posted.
#[derive(Clone, Debug, Default)]
pub struct CloseRow {
    /// The school that closes.
    pub school: String,
    /// The school that takes in its pupils and teachers.
    pub into: String,
}

/// The what-if form as posted (every value a string, as typed).
#[derive(Clone, Debug, Default)]
pub struct ScenarioForm {
    /// The scenario's name.
    pub name: String,
    /// New hires.
    pub hires: Vec<HireRow>,
    /// Teacher ids who retire.
    pub retirements: Vec<String>,
    /// Enrollment changes.
    pub enrollments: Vec<EnrollmentRow>,
    /// School closures.
    pub closures: Vec<CloseRow>,
    /// `rotation.min_share`, in percent.
    pub rotation_min: String,
    /// `rotation.max_share`, in percent.
    pub rotation_max: String,
    /// `rotation.backbone_min_share`, in percent.
    pub backbone_min: String,
    /// `movement.max_distance_km`.
    pub max_distance: String,
}

/// A problem with one field of the form.
#[derive(Clone, Debug, PartialEq)]
pub struct FieldProblem {
    /// The field's form name (`hire_count`, `rotation_min`, …).
    pub field: &'static str,
    /// The row of a repeated field (from 1).
    pub row: Option<usize>,
    /// What is wrong and what to do, in English.
    pub en: String,
    /// The same in Chinese.
    pub zh: String,
}

impl FieldProblem {
    fn new(field: &'static str, row: Option<usize>, en: impl Into<String>, zh: impl Into<String>) -> FieldProblem {
        FieldProblem { field, row, en: en.into(), zh: zh.into() }
    }
}

/// The scenario a valid form means.
#[derive(Clone, Debug)]
pub struct Built {
    /// The scenario file without its `data` key.
    pub toml: String,
    /// The form row (from 1) of each `[[hire]]`, `[[retire]]`,
    /// `[[enrollment]]` and `[[close]]` entry, in file order.
    pub rows: [Vec<usize>; 4],
}

/// The field names of the form, with the kind of row they belong to:
/// `(name, English label, Chinese label)`.
pub const FIELDS: [(&str, &str, &str); 17] = [
    ("name", "Scenario name", "情景名称"),
    ("hire_section", "New hires: section", "新聘教师：学段"),
    ("hire_subject", "New hires: subject", "新聘教师：学科"),
    ("hire_degree", "New hires: degree", "新聘教师：学历"),
    ("hire_backbone", "New hires: backbone level", "新聘教师：骨干级别"),
    ("hire_title", "New hires: title", "新聘教师：职称"),
    ("hire_count", "New hires: number", "新聘教师：人数"),
    ("retire", "Retirements: teacher id", "退休：教师编号"),
    ("enroll_school", "Enrollment: school", "学生数变化：学校"),
    ("enroll_section", "Enrollment: section", "学生数变化：学段"),
    ("enroll_students", "Enrollment: students", "学生数变化：学生数"),
    ("enroll_classes", "Enrollment: classes", "学生数变化：班级数"),
    ("close_school", "Closures: school that closes", "撤并：撤并的学校"),
    ("close_into", "Closures: merged into", "撤并：并入学校"),
    ("rotation_min", "Rotation share at least (%)", "交流比例下限（%）"),
    ("rotation_max", "Rotation share at most (%)", "交流比例上限（%）"),
    ("backbone_min", "Backbone share of those who rotate at least (%)", "交流人员中骨干比例下限（%）"),
];

/// The label of the distance field (kept apart: `FIELDS` has the rows).
pub const DISTANCE_LABEL: (&str, &str) =
    ("Longest distance of a move (km, 0 = no limit)", "最远交流距离（公里，0 = 不限）");

/// A field's label in English and Chinese.
pub fn label(field: &str) -> (&'static str, &'static str) {
    if field == "max_distance" {
        return DISTANCE_LABEL;
    }
    FIELDS.iter().find(|(f, _, _)| *f == field).map_or(("", ""), |(_, en, zh)| (*en, *zh))
}

/// The `i`-th value of a repeated field, or "".
fn nth(values: &[&str], i: usize) -> String {
    values.get(i).map_or(String::new(), |v| v.trim().chars().take(MAX_VALUE_CHARS).collect())
}

impl ScenarioForm {
    /// The form from its posted pairs (repeated names are rows, in order).
    pub fn from_pairs(pairs: &[(String, String)]) -> ScenarioForm {
        let all =
            |key: &str| -> Vec<&str> { pairs.iter().filter(|(k, _)| k == key).map(|(_, v)| v.as_str()).collect() };
        let one = |key: &str| nth(&all(key), 0);
        let rows = |keys: &[&str]| keys.iter().map(|k| all(k).len()).max().unwrap_or(0).min(MAX_ROWS);
        let hire_keys = ["hire_section", "hire_subject", "hire_degree", "hire_backbone", "hire_title", "hire_count"];
        let [sec, sub, deg, bb, ti, cnt] = hire_keys.map(all);
        let hires = (0..rows(&hire_keys))
            .map(|i| HireRow {
                section: nth(&sec, i),
                subject: nth(&sub, i),
                degree: nth(&deg, i),
                backbone: nth(&bb, i),
                title: nth(&ti, i),
                count: nth(&cnt, i),
            })
            .collect();
        let enroll_keys = ["enroll_school", "enroll_section", "enroll_students", "enroll_classes"];
        let [school, section, students, classes] = enroll_keys.map(all);
        let enrollments = (0..rows(&enroll_keys))
            .map(|i| EnrollmentRow {
                school: nth(&school, i),
                section: nth(&section, i),
                students: nth(&students, i),
                classes: nth(&classes, i),
            })
            .collect();
        let (closed, into) = (all("close_school"), all("close_into"));
        let closures = (0..rows(&["close_school", "close_into"]))
            .map(|i| CloseRow { school: nth(&closed, i), into: nth(&into, i) })
            .collect();
        let retire = all("retire");
        ScenarioForm {
            name: one("name"),
            hires,
            retirements: (0..rows(&["retire"])).map(|i| nth(&retire, i)).collect(),
            enrollments,
            closures,
            rotation_min: one("rotation_min"),
            rotation_max: one("rotation_max"),
            backbone_min: one("backbone_min"),
            max_distance: one("max_distance"),
        }
    }

    /// The scenario file the form means, or every problem of its values.
    /// With `county`, ids are checked against it too.
    pub fn build(&self, county: Option<&County>) -> Result<Built, Vec<FieldProblem>> {
        let (built, problems) = self.build_all(county);
        if problems.is_empty() {
            Ok(built)
        } else {
            Err(problems)
        }
    }

    /// The scenario file of the form's valid values (rows and keys with a
    /// problem left out) and the problems of the others.
    pub fn build_all(&self, county: Option<&County>) -> (Built, Vec<FieldProblem>) {
        let mut p = Vec::new();
        let mut out = String::new();
        let name = self.name.trim();
        if name.is_empty() || name.chars().count() > MAX_NAME_CHARS || name.chars().any(char::is_control) {
            p.push(FieldProblem::new(
                "name",
                None,
                format!("Give the scenario a name of 1 to {MAX_NAME_CHARS} characters."),
                format!("请给情景起一个 1 到 {MAX_NAME_CHARS} 个字的名称。"),
            ));
        }
        out.push_str(&format!("name = {}\n", toml::Value::String(name.to_string())));
        out.push_str(&self.policy(&mut p));
        let rows = [
            self.hire_entries(&mut out, &mut p),
            self.retire_entries(&mut out, county, &mut p),
            self.enrollment_entries(&mut out, county, &mut p),
            self.close_entries(&mut out, county, &mut p),
        ];
        (Built { toml: out, rows }, p)
    }

    /// The `[policy]` table (empty when no share or distance is given).
    fn policy(&self, p: &mut Vec<FieldProblem>) -> String {
        let mut rotation = Vec::new();
        for (field, key, value) in [
            ("rotation_min", "min_share", &self.rotation_min),
            ("rotation_max", "max_share", &self.rotation_max),
            ("backbone_min", "backbone_min_share", &self.backbone_min),
        ] {
            if value.is_empty() {
                continue;
            }
            match percent_share(value) {
                Some(share) => rotation.push((key, share)),
                None => p.push(FieldProblem::new(
                    field,
                    None,
                    format!("\"{value}\" is not a percentage; give a number from 0 to 100 with at most 4 decimals."),
                    format!("「{value}」不是百分数；请填 0 到 100 之间的数，最多 4 位小数。"),
                )),
            }
        }
        if let (Some(min), Some(max)) = (share_of(&rotation, "min_share"), share_of(&rotation, "max_share")) {
            if min > max {
                p.push(FieldProblem::new(
                    "rotation_max",
                    None,
                    "The rotation share's upper limit is below its lower limit; give an upper limit at least as large.",
                    "交流比例上限低于下限；请填不小于下限的上限。",
                ));
            }
        }
        let mut distance = None;
        if !self.max_distance.is_empty() {
            match decimal(&self.max_distance, 6).filter(|(units, _)| *units <= MAX_KM * 1_000_000) {
                Some((units, _)) => distance = Some(decimal_text(units, 6, false)),
                None => p.push(FieldProblem::new(
                    "max_distance",
                    None,
                    format!(
                        "\"{}\" is not a distance; give kilometres from 0 to {MAX_KM} (0 = no limit), at most 6 decimals.",
                        self.max_distance
                    ),
                    format!("「{}」不是距离；请填 0 到 {MAX_KM} 之间的公里数（0 = 不限），最多 6 位小数。", self.max_distance),
                )),
            }
        }
        if rotation.is_empty() && distance.is_none() {
            return String::new();
        }
        let mut out = String::from("\n[policy]\n");
        if !rotation.is_empty() {
            let items: Vec<String> = rotation.iter().map(|(k, (_, text))| format!("{k} = {text}")).collect();
            out.push_str(&format!("rotation = {{ {} }}\n", items.join(", ")));
        }
        if let Some(km) = distance {
            out.push_str(&format!("movement = {{ max_distance_km = {km} }}\n"));
        }
        out
    }

    fn hire_entries(&self, out: &mut String, p: &mut Vec<FieldProblem>) -> Vec<usize> {
        let mut rows = Vec::new();
        let mut total = 0u64;
        for (i, h) in self.hires.iter().enumerate() {
            let row = Some(i + 1);
            if h.section.is_empty() && h.subject.is_empty() && h.count.is_empty() {
                continue;
            }
            let before = p.len();
            choice(p, "hire_section", row, &h.section, Level::ALL, true);
            choice(p, "hire_subject", row, &h.subject, Subject::ALL, true);
            choice(p, "hire_degree", row, &h.degree, Degree::ALL, true);
            choice(p, "hire_backbone", row, &h.backbone, Backbone::ALL, false);
            choice(p, "hire_title", row, &h.title, Title::ALL, false);
            let count = whole(p, "hire_count", row, &h.count, 1, MOST_HIRES, true);
            total += u64::from(count.unwrap_or(0));
            if p.len() > before {
                continue;
            }
            out.push_str(&format!(
                "\n[[hire]]\nsection = \"{}\"\nsubject = \"{}\"\ndegree = \"{}\"\n",
                h.section, h.subject, h.degree
            ));
            if !h.backbone.is_empty() {
                out.push_str(&format!("backbone = \"{}\"\n", h.backbone));
            }
            if !h.title.is_empty() {
                out.push_str(&format!("title = \"{}\"\n", h.title));
            }
            out.push_str(&format!("count = {}\n", count.unwrap_or(0)));
            rows.push(i + 1);
        }
        if total > u64::from(MOST_HIRES) {
            p.push(FieldProblem::new(
                "hire_count",
                None,
                format!("The hires add up to {total}; at most {MOST_HIRES} in all."),
                format!("新聘人数合计 {total}；合计最多 {MOST_HIRES} 人。"),
            ));
        }
        rows
    }

    fn retire_entries(&self, out: &mut String, county: Option<&County>, p: &mut Vec<FieldProblem>) -> Vec<usize> {
        let mut rows = Vec::new();
        let mut seen = std::collections::BTreeSet::new();
        for (i, id) in self.retirements.iter().enumerate() {
            if id.is_empty() {
                continue;
            }
            let row = Some(i + 1);
            if !seen.insert(id.clone()) {
                p.push(FieldProblem::new(
                    "retire",
                    row,
                    format!("Teacher \"{id}\" is named twice; name each teacher once."),
                    format!("教师「{id}」填了两次；每位教师只填一次。"),
                ));
                continue;
            }
            if county.is_some_and(|c| !c.teachers.iter().any(|t| &t.id == id)) {
                p.push(FieldProblem::new(
                    "retire",
                    row,
                    format!("There is no teacher \"{id}\" in this county; choose an id from the list."),
                    format!("本县没有教师「{id}」；请从列表中选择教师编号。"),
                ));
                continue;
            }
            out.push_str(&format!("\n[[retire]]\nteacher_id = {}\n", toml::Value::String(id.clone())));
            rows.push(i + 1);
        }
        rows
    }

    fn enrollment_entries(&self, out: &mut String, county: Option<&County>, p: &mut Vec<FieldProblem>) -> Vec<usize> {
        let mut rows = Vec::new();
        for (i, e) in self.enrollments.iter().enumerate() {
            if e.school.is_empty() && e.students.is_empty() && e.classes.is_empty() {
                continue;
            }
            let row = Some(i + 1);
            let before = p.len();
            known_school(p, "enroll_school", row, &e.school, county);
            choice(p, "enroll_section", row, &e.section, Level::ALL, true);
            let students = whole(p, "enroll_students", row, &e.students, 0, MOST_STUDENTS, true);
            let classes = whole(p, "enroll_classes", row, &e.classes, 0, MOST_CLASSES, false);
            if p.len() > before {
                continue;
            }
            out.push_str(&format!("\n[[enrollment]]\nschool_id = {}\n", toml::Value::String(e.school.clone())));
            out.push_str(&format!("{}_students = {}\n", e.section, students.unwrap_or(0)));
            if let Some(c) = classes {
                out.push_str(&format!("{}_classes = {c}\n", e.section));
            }
            rows.push(i + 1);
        }
        rows
    }

    fn close_entries(&self, out: &mut String, county: Option<&County>, p: &mut Vec<FieldProblem>) -> Vec<usize> {
        let mut rows = Vec::new();
        for (i, c) in self.closures.iter().enumerate() {
            if c.school.is_empty() && c.into.is_empty() {
                continue;
            }
            let row = Some(i + 1);
            let before = p.len();
            known_school(p, "close_school", row, &c.school, county);
            known_school(p, "close_into", row, &c.into, county);
            if p.len() == before && c.school == c.into {
                p.push(FieldProblem::new(
                    "close_into",
                    row,
                    "A school cannot merge into itself; choose another school.",
                    "学校不能并入自身；请选择另一所学校。",
                ));
            }
            if p.len() > before {
                continue;
            }
            out.push_str(&format!(
                "\n[[close]]\nschool_id = {}\nmerge_into = {}\n",
                toml::Value::String(c.school.clone()),
                toml::Value::String(c.into.clone())
            ));
            rows.push(i + 1);
        }
        rows
    }
}

/// The share of `key` among the parsed ones, in millionths.
fn share_of(items: &[(&str, (u128, String))], key: &str) -> Option<u128> {
    items.iter().find(|(k, _)| *k == key).map(|(_, (v, _))| *v)
}

/// A percentage "12.5" (at most 4 decimals, 0 to 100) as a share in
/// millionths and its TOML text ("0.125").
fn percent_share(text: &str) -> Option<(u128, String)> {
    let text = text.trim().trim_end_matches('%').trim();
    let (units, _) = decimal(text, 4)?;
    (units <= 100 * 10_000).then(|| (units, decimal_text(units, 6, true)))
}

/// A plain decimal number ("12", "12.50") with at most `places` decimals,
/// as a count of 10^-places units; the number of decimals given.
fn decimal(text: &str, places: u32) -> Option<(u128, u32)> {
    let text = text.trim();
    let (int, frac) = text.split_once('.').unwrap_or((text, ""));
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if int.is_empty() || int.len() > 12 || !digits(int) || !digits(frac) || frac.len() > places as usize {
        return None;
    }
    if text.contains('.') && frac.is_empty() {
        return None;
    }
    let int: u128 = int.parse().ok()?;
    let mut frac_units: u128 = if frac.is_empty() { 0 } else { frac.parse().ok()? };
    frac_units *= 10u128.pow(places - frac.len() as u32);
    Some((int * 10u128.pow(places) + frac_units, frac.len() as u32))
}

/// `units` of 10^-places as decimal text without trailing zeros; with
/// `float`, always with a decimal point ("1.0").
fn decimal_text(units: u128, places: u32, float: bool) -> String {
    let scale = 10u128.pow(places);
    let (int, frac) = (units / scale, units % scale);
    let frac = format!("{frac:0width$}", width = places as usize);
    let frac = frac.trim_end_matches('0');
    match (frac.is_empty(), float) {
        (true, true) => format!("{int}.0"),
        (true, false) => int.to_string(),
        (false, _) => format!("{int}.{frac}"),
    }
}

/// Checks a word of a closed set (its English spelling, as the form's
/// options give it); "" is a problem only when `required`.
fn choice<T>(
    p: &mut Vec<FieldProblem>,
    field: &'static str,
    row: Option<usize>,
    value: &str,
    all: &[(T, &'static str, &'static str)],
    required: bool,
) {
    if value.is_empty() && !required {
        return;
    }
    if !all.iter().any(|(_, en, _)| *en == value) {
        let en: Vec<&str> = all.iter().map(|(_, en, _)| *en).collect();
        let zh: Vec<&str> = all.iter().map(|(_, _, zh)| *zh).collect();
        let (en_text, zh_text) = if value.is_empty() {
            ("Choose one".to_string(), "请选择".to_string())
        } else {
            (format!("\"{value}\" is not one of the choices; choose one"), format!("「{value}」不在可选项中；请选择"))
        };
        p.push(FieldProblem::new(
            field,
            row,
            format!("{en_text}: {}.", en.join(", ")),
            format!("{zh_text}：{}。", zh.join("、")),
        ));
    }
}

/// A whole number from `least` to `most`; "" is a problem only when
/// `required`.
fn whole(
    p: &mut Vec<FieldProblem>,
    field: &'static str,
    row: Option<usize>,
    value: &str,
    least: u32,
    most: u32,
    required: bool,
) -> Option<u32> {
    if value.is_empty() && !required {
        return None;
    }
    let parsed = (value.len() <= 10 && !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()))
        .then(|| value.parse::<u32>().ok())
        .flatten()
        .filter(|v| (least..=most).contains(v));
    if parsed.is_none() {
        p.push(FieldProblem::new(
            field,
            row,
            format!("\"{value}\" is not a whole number from {least} to {most}; give one."),
            format!("「{value}」不是 {least} 到 {most} 之间的整数；请填一个整数。"),
        ));
    }
    parsed
}

/// A school id that must be given (and be the county's, when known).
fn known_school(p: &mut Vec<FieldProblem>, field: &'static str, row: Option<usize>, id: &str, county: Option<&County>) {
    if id.is_empty() {
        p.push(FieldProblem::new(field, row, "Choose a school.", "请选择学校。"));
    } else if county.is_some_and(|c| c.school(id).is_none()) {
        p.push(FieldProblem::new(
            field,
            row,
            format!("There is no school \"{id}\" in this county; choose one from the list."),
            format!("本县没有学校「{id}」；请从列表中选择。"),
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentages_become_exact_shares() {
        assert_eq!(percent_share("12").unwrap().1, "0.12");
        assert_eq!(percent_share("12.5%").unwrap().1, "0.125");
        assert_eq!(percent_share("100").unwrap().1, "1.0");
        assert_eq!(percent_share("0").unwrap().1, "0.0");
        assert_eq!(percent_share("0.0001").unwrap().1, "0.000001");
        assert!(percent_share("100.01").is_none());
        assert!(percent_share("1.00001").is_none());
        assert!(percent_share("-1").is_none());
        assert!(percent_share("1e2").is_none());
        assert!(percent_share("12.").is_none());
    }
}
