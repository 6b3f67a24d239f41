//! schools.csv: its columns, its raw row and the school it validates into.

use std::collections::{BTreeMap, HashMap};

use serde::Deserialize;

use super::{kind_zh, raw, reference_zh, report, take, RowProblems};
use crate::domain::{Area, Facilities, Facility, Level, School, SchoolKind};
use crate::error::Text;
use crate::io::fields::{
    bounded_count, coordinate, optional_amount, optional_count_at_most, word, What, MOST_SECTION_CLASSES,
    MOST_SECTION_STUDENTS,
};
use crate::io::table::{opt, req, Column, Problems, Table};

/// Columns of schools.csv.
pub(crate) const SCHOOL_COLUMNS: &[Column] = &[
    req("school_id", &["学校代码", "学校编号"]),
    req("name", &["学校名称", "校名"]),
    req("town", &["乡镇"]),
    req("kind", &["类型", "学校类型"]),
    req("area", &["城乡", "城乡类型"]),
    req("primary_students", &["小学在校生数"]),
    req("junior_students", &["初中在校生数"]),
    req("primary_classes", &["小学班级数"]),
    req("junior_classes", &["初中班级数"]),
    opt("lat", &["纬度"]),
    opt("lon", &["经度"]),
    opt("alliance", &["联盟"]),
    opt("teaching_area_m2", &["教学及辅助用房面积"]),
    opt("sports_area_m2", &["体育运动场馆面积"]),
    opt("equipment_yuan", &["教学仪器设备值"]),
    opt("multimedia_rooms", &["网络多媒体教室数"]),
    opt("staff_quota", &["编制数"]),
    opt("music_rooms", &["音乐教室", "音乐教室数"]),
    opt("art_rooms", &["美术教室", "美术教室数"]),
];

/// The largest staff_quota of one school: more is a typing error (and the
/// county's totals stay far from any integer limit).
pub(crate) const MOST_STAFF_QUOTA: u32 = 100_000;
/// The most music or art rooms of one school.
pub(crate) const MOST_ROOMS: u32 = 1_000;

/// A row of schools.csv as written.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct RawSchool {
    school_id: String,
    name: String,
    town: String,
    kind: String,
    area: String,
    primary_students: String,
    junior_students: String,
    primary_classes: String,
    junior_classes: String,
    lat: String,
    lon: String,
    alliance: String,
    teaching_area_m2: String,
    sports_area_m2: String,
    equipment_yuan: String,
    multimedia_rooms: String,
    staff_quota: String,
    music_rooms: String,
    art_rooms: String,
}

const STUDENT_COLUMNS: [&str; 2] = ["primary_students", "junior_students"];
const CLASS_COLUMNS: [&str; 2] = ["primary_classes", "junior_classes"];
/// The students and classes of a section in Chinese, as the column aliases name them.
const STUDENT_COLUMNS_ZH: [&str; 2] = ["小学在校生数", "初中在校生数"];
const CLASS_COLUMNS_ZH: [&str; 2] = ["小学班级数", "初中班级数"];

impl RawSchool {
    fn students_text(&self, level: Level) -> &str {
        match level {
            Level::Primary => &self.primary_students,
            Level::Junior => &self.junior_students,
        }
    }

    fn classes_text(&self, level: Level) -> &str {
        match level {
            Level::Primary => &self.primary_classes,
            Level::Junior => &self.junior_classes,
        }
    }

    fn facility_text(&self, facility: Facility) -> (&'static str, &str) {
        match facility {
            Facility::TeachingArea => ("teaching_area_m2", &self.teaching_area_m2),
            Facility::SportsArea => ("sports_area_m2", &self.sports_area_m2),
            Facility::Equipment => ("equipment_yuan", &self.equipment_yuan),
            Facility::MultimediaRooms => ("multimedia_rooms", &self.multimedia_rooms),
        }
    }

    /// The school, or every problem of the row.
    fn validate(&self) -> Result<School, RowProblems> {
        let mut bad = RowProblems::new();
        if self.school_id.is_empty() {
            bad.push((
                "school_id",
                Text::both("empty cell; every school needs a school_id", "单元格为空；每所学校都要有 school_id"),
            ));
        }
        let kind =
            take(&mut bad, "kind", word(&self.kind, What::new("kind", "学校类型"), SchoolKind::parse, SchoolKind::ALL));
        let area = take(&mut bad, "area", word(&self.area, What::new("area", "城乡类型"), Area::parse, Area::ALL));
        let counts = self.counts(kind, &mut bad);
        let location = self.location(&mut bad);
        let facilities = self.facilities(&mut bad);
        let staff_quota = take(
            &mut bad,
            "staff_quota",
            optional_count_at_most(&self.staff_quota, What::new("staff quota", "编制数"), MOST_STAFF_QUOTA),
        );
        let music_rooms = take(
            &mut bad,
            "music_rooms",
            optional_count_at_most(&self.music_rooms, What::new("music rooms", "音乐教室数"), MOST_ROOMS),
        );
        let art_rooms = take(
            &mut bad,
            "art_rooms",
            optional_count_at_most(&self.art_rooms, What::new("art rooms", "美术教室数"), MOST_ROOMS),
        );
        match (kind, area, counts, location, facilities, (staff_quota, music_rooms, art_rooms)) {
            (
                Some(kind),
                Some(area),
                Some((students, classes)),
                Some(location),
                Some(facilities),
                (Some(staff_quota), Some(music_rooms), Some(art_rooms)),
            ) if bad.is_empty() => Ok(School {
                id: self.school_id.clone(),
                name: self.name.clone(),
                town: self.town.clone(),
                kind,
                area,
                students,
                classes,
                location,
                alliance: Some(self.alliance.clone()).filter(|a| !a.is_empty()),
                facilities,
                staff_quota,
                music_rooms,
                art_rooms,
            }),
            _ => Err(bad),
        }
    }

    /// Students and classes of both sections, when every count can be read.
    fn counts(&self, kind: Option<SchoolKind>, bad: &mut RowProblems) -> Option<([u32; 2], [u32; 2])> {
        let mut students = [0u32; 2];
        let mut classes = [0u32; 2];
        let mut counts_ok = true;
        for level in Level::BOTH {
            match self.section_counts(level, kind, bad) {
                Some((s, c)) => {
                    students[level.index()] = s;
                    classes[level.index()] = c;
                }
                None => counts_ok = false,
            }
        }
        counts_ok.then_some((students, classes))
    }

    /// Students and classes of one section: required when the school has
    /// the section, else empty or 0.
    fn section_counts(&self, level: Level, kind: Option<SchoolKind>, bad: &mut RowProblems) -> Option<(u32, u32)> {
        let i = level.index();
        let (students_column, classes_column) = (STUDENT_COLUMNS[i], CLASS_COLUMNS[i]);
        let has = kind.is_none_or(|k| k.has(level));
        let (students_en, students_zh) = (format!("number of {} students", level.word()), STUDENT_COLUMNS_ZH[i]);
        let (classes_en, classes_zh) = (format!("number of {} classes", level.word()), CLASS_COLUMNS_ZH[i]);
        let what_students = What::new(&students_en, students_zh);
        let what_classes = What::new(&classes_en, classes_zh);
        let required = has && kind.is_some();
        let (s, c) = (
            bounded_count(self.students_text(level), what_students, MOST_SECTION_STUDENTS, required),
            bounded_count(self.classes_text(level), what_classes, MOST_SECTION_CLASSES, required),
        );
        let s = take(bad, students_column, s);
        let c = take(bad, classes_column, c);
        if let (Some(kind), false) = (kind, has) {
            let nouns = [(students_column, s, "students", "在校生"), (classes_column, c, "classes", "班级")];
            for (column, value, noun, noun_zh) in nouns {
                if value.is_some_and(|v| v > 0) {
                    bad.push((
                        column,
                        Text::both(
                            format!(
                                "a {} school has no {} section, so no {} {noun}; give 0 or leave the cell empty",
                                kind.word(),
                                level.word(),
                                level.word()
                            ),
                            format!(
                                "{}没有{}学段，因此没有{}{noun_zh}；请填 0 或留空",
                                kind_zh(kind),
                                level.word_zh(),
                                level.word_zh()
                            ),
                        ),
                    ));
                }
            }
        } else if let (Some(s), Some(0)) = (s, c) {
            if s > 0 {
                bad.push((
                    classes_column,
                    Text::both(
                        format!("0 classes for {s} {} students; give the number of classes", level.word()),
                        format!("{}在校生 {s} 人，班级数却为 0；请填写班级数", level.word_zh()),
                    ),
                ));
            }
        }
        s.zip(c)
    }

    /// The coordinates: both or neither.
    fn location(&self, bad: &mut RowProblems) -> Option<Option<(f64, f64)>> {
        match (self.lat.is_empty(), self.lon.is_empty()) {
            (true, true) => Some(None),
            (false, true) => {
                bad.push((
                    "lon",
                    Text::both(
                        "lat is given but lon is empty; give both or neither",
                        "填了 lat 但 lon 为空；请两个都填或都不填",
                    ),
                ));
                None
            }
            (true, false) => {
                bad.push((
                    "lat",
                    Text::both(
                        "lon is given but lat is empty; give both or neither",
                        "填了 lon 但 lat 为空；请两个都填或都不填",
                    ),
                ));
                None
            }
            (false, false) => {
                let lat = take(bad, "lat", coordinate(&self.lat, What::new("latitude", "纬度"), 90.0));
                let lon = take(bad, "lon", coordinate(&self.lon, What::new("longitude", "经度"), 180.0));
                lat.zip(lon).map(Some)
            }
        }
    }

    /// The facility totals, when every given one can be read.
    fn facilities(&self, bad: &mut RowProblems) -> Option<Facilities> {
        let mut facilities = Facilities::default();
        let mut facilities_ok = true;
        for facility in Facility::ALL {
            let (column, text) = self.facility_text(facility);
            match take(bad, column, optional_amount(text)) {
                Some(value) => facilities.totals[facility.index()] = value,
                None => facilities_ok = false,
            }
        }
        facilities_ok.then_some(facilities)
    }
}

/// What other tables need to know of a school row, even an invalid one.
#[derive(Clone, Debug)]
pub(crate) struct SchoolInfo {
    /// Its kind, when the kind cell could be read.
    pub kind: Option<SchoolKind>,
    /// Its town (a node of the road graph).
    pub town: String,
}

/// Every school id seen in schools.csv (first occurrence).
pub(crate) type SchoolRegistry = HashMap<String, SchoolInfo>;

/// Validates schools.csv.
pub(crate) fn read_schools(
    table: &Table,
    problems: &mut Problems,
    warnings: &mut Vec<Text>,
) -> (Vec<School>, SchoolRegistry) {
    let mut schools = Vec::new();
    let mut registry = SchoolRegistry::new();
    let mut first_line: BTreeMap<String, u64> = BTreeMap::new();
    let names = table.names();
    for row in &table.rows {
        let values = table.record(row);
        let Some(raw) = raw::<RawSchool>(table, row, &names, &values, problems) else { continue };
        if !raw.school_id.is_empty() {
            if let Some(first) = first_line.get(&raw.school_id) {
                let message = Text::both(
                    format!(
                        "duplicate school_id \"{}\" (first {}); give every school its own id",
                        raw.school_id,
                        table.reference(*first, "school_id")
                    ),
                    format!(
                        "school_id「{}」重复（首次出现在{}）；请给每所学校一个不同的代码",
                        raw.school_id,
                        reference_zh(table, *first, "school_id")
                    ),
                );
                problems.cell(table, row.line, "school_id", message);
                continue;
            }
            first_line.insert(raw.school_id.clone(), row.line);
            registry.insert(
                raw.school_id.clone(),
                SchoolInfo { kind: SchoolKind::parse(&raw.kind), town: raw.town.clone() },
            );
        }
        if raw.name.is_empty() && table.has("name") && !table.is_noted(row.line, "name") {
            let at = format!("{}: {}: ", table.location(row.line, Some("name")), table.header("name"));
            warnings.push(Text::both(format!("{at}the school has no name"), format!("{at}该学校没有名称")));
        }
        match raw.validate() {
            Ok(school) => schools.push(school),
            Err(row_problems) => report(table, row.line, row_problems, problems),
        }
    }
    (schools, registry)
}
