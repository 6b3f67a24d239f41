//! The teachers of a synthetic county, section by section, and teachers.csv.

use rand::seq::SliceRandom;
use rand::Rng;
use rand_chacha::ChaCha8Rng;

use super::names::{digits, draw_name};
use super::schools::SynthSchool;
use super::{csv_text, csv_writer, pick, Place, YEAR};
use crate::domain::{Area, Backbone, Degree, Gender, Level, Role, Subject, Teacher, Title};
use crate::render::data_folder::{teacher_row, TEACHER_HEADER};

/// The staff of every school, section by section, numbered T0001… in
/// school order.
pub(super) fn draw_staff(rng: &mut ChaCha8Rng, list: &[SynthSchool], stress: f64) -> Vec<Teacher> {
    let total: u32 = list.iter().map(|s| s.teachers[0] + s.teachers[1]).sum();
    let width = digits(total as usize).max(4);
    let mut staff = Vec::with_capacity(total as usize);
    for school in list {
        let headcount = school.teachers[0] + school.teachers[1];
        let vice_principals = match headcount {
            0..=39 => 0,
            40..=99 => 1,
            _ => 2,
        };
        let mut in_school = 0u32;
        for level in Level::BOTH {
            let subjects =
                section_subjects(rng, (level, school.area, school.place), school.teachers[level.index()], stress);
            let mut section = Vec::with_capacity(subjects.len());
            for subject in subjects {
                let role = match in_school {
                    0 => Role::Principal,
                    n if n <= vice_principals => Role::VicePrincipal,
                    _ => Role::Teacher,
                };
                in_school += 1;
                section.push(draw_teacher(rng, school, level, subject, (role, stress)));
            }
            appoint_backbone(rng, school.area, &mut section, stress);
            for teacher in section {
                let title = draw_title(rng, YEAR - teacher.birth_year, teacher.backbone, teacher.role);
                staff.push(Teacher {
                    id: format!("T{:0width$}", staff.len() + 1),
                    name: teacher.name,
                    school_id: school.id.clone(),
                    level,
                    subject: teacher.subject,
                    degree: teacher.degree,
                    backbone: teacher.backbone,
                    title,
                    gender: teacher.gender,
                    birth_year: teacher.birth_year,
                    school_since: teacher.school_since,
                    certified: teacher.certified,
                    full_time: teacher.full_time,
                    role: teacher.role,
                    exempt: teacher.exempt.map(str::to_string),
                    last_rotated: teacher.last_rotated,
                });
            }
        }
    }
    staff
}

/// teachers.csv of the staff.
pub(super) fn teachers_csv(staff: &[Teacher]) -> String {
    let mut out = csv_writer();
    out.write_record(TEACHER_HEADER).expect("writing to memory cannot fail");
    for teacher in staff {
        out.write_record(teacher_row(teacher)).expect("writing to memory cannot fail");
    }
    csv_text(out)
}

/// One generated teacher, before it is printed.
pub(super) struct SynthTeacher {
    pub(super) name: String,
    pub(super) subject: Subject,
    pub(super) degree: Degree,
    pub(super) backbone: Backbone,
    pub(super) role: Role,
    pub(super) gender: Gender,
    pub(super) birth_year: i32,
    pub(super) school_since: i32,
    pub(super) certified: bool,
    pub(super) full_time: bool,
    pub(super) exempt: Option<&'static str>,
    pub(super) last_rotated: Option<i32>,
}

/// One teacher of a section, teaching `subject`.
pub(super) fn draw_teacher(
    rng: &mut ChaCha8Rng,
    school: &SynthSchool,
    level: Level,
    subject: Subject,
    (role, stress): (Role, f64),
) -> SynthTeacher {
    let area = school.area;
    let female_share = match (level, area) {
        (Level::Primary, Area::Urban) => 0.8,
        (Level::Primary, Area::Town) => 0.7,
        (Level::Primary, Area::Rural) => 0.6,
        (Level::Junior, Area::Urban) => 0.62,
        (Level::Junior, _) => 0.52,
    };
    let gender = if role == Role::Principal && rng.random_bool(0.6) {
        Gender::Male
    } else if rng.random_bool(female_share) {
        Gender::Female
    } else {
        Gender::Male
    };
    let oldest = if gender == Gender::Male { 59 } else { 55 };
    let age = draw_age(rng, area, role, oldest);
    let birth_year = YEAR - age;
    let degree = draw_degree(rng, level, area, (age, stress));
    let career_start = (birth_year + rng.random_range(21..=24)).min(YEAR);
    let career = YEAR - career_start;
    let settled = match area {
        Area::Urban => 0.66,
        Area::Town => 0.62,
        Area::Rural => 0.56,
    };
    let years_here = if career >= 6 && rng.random_bool(settled) {
        rng.random_range(6..=career.min(30))
    } else {
        rng.random_range(0..=career.min(5))
    };
    let school_since = YEAR - years_here;
    let last_rotated =
        (years_here >= 6 && rng.random_bool(0.08)).then(|| rng.random_range((YEAR - 9).max(school_since + 3)..YEAR));
    let exempt = if role == Role::Teacher && rng.random_bool(0.018) {
        if gender == Gender::Female && age < 40 && rng.random_bool(0.75) {
            Some("怀孕")
        } else {
            Some("病休")
        }
    } else {
        None
    };
    let full_time = role != Role::Teacher || !rng.random_bool(0.03);
    let certified = !rng.random_bool(if age < 27 { 0.08 } else { 0.02 });
    SynthTeacher {
        name: draw_name(rng, gender),
        subject,
        degree,
        backbone: Backbone::None,
        role,
        gender,
        birth_year,
        school_since,
        certified,
        full_time,
        exempt,
        last_rotated,
    }
}

/// Age 23 up to `oldest`: many in mid-career, rural staff a little older,
/// principals 38 or over.
pub(super) fn draw_age(rng: &mut ChaCha8Rng, area: Area, role: Role, oldest: i32) -> i32 {
    if role != Role::Teacher {
        return rng.random_range(38..=oldest.min(56));
    }
    let young = if area == Area::Rural { 0.25 } else { 0.3 };
    let r: f64 = rng.random();
    if r < young {
        rng.random_range(23..=32)
    } else if r < young + 0.42 {
        rng.random_range(33..=45)
    } else {
        rng.random_range(46..=oldest)
    }
}

/// The subjects of a section's `count` teachers in random order: one
/// Chinese and one maths teacher, the rest in the proportions of
/// [`subject_mix`] by systematic sampling, so that every subject gets its
/// share rounded up or down and a small school has one PE teacher or none.
pub(super) fn section_subjects(
    rng: &mut ChaCha8Rng,
    (level, area, place): (Level, Area, Place),
    count: u32,
    stress: f64,
) -> Vec<Subject> {
    let mix = subject_mix(level, area, place, stress);
    let total: f64 = mix.iter().map(|(_, w)| w).sum();
    let rest = count.saturating_sub(2);
    let start: f64 = rng.random();
    let mut subjects: Vec<Subject> = [Subject::Chinese, Subject::Math].into_iter().take(count as usize).collect();
    let mut at = 0;
    let mut upto = mix[0].1;
    for k in 0..rest {
        let point = (k as f64 + start) / rest as f64 * total;
        while point >= upto && at + 1 < mix.len() {
            at += 1;
            upto += mix[at].1;
        }
        subjects.push(mix[at].0);
    }
    subjects.shuffle(rng);
    subjects
}

/// Weights of the subjects of a section; PE, music and art are scarce
/// outside the county town, and under `stress` up to 60 % scarcer everywhere.
pub(super) fn subject_mix(level: Level, area: Area, place: Place, stress: f64) -> Vec<(Subject, f64)> {
    use Subject::*;
    let (pe, arts) = match (area, place) {
        (Area::Urban, _) => (8.5, 5.5),
        (Area::Town, _) => (6.5, 4.0),
        (Area::Rural, Place::TownSeat) => (5.0, 2.4),
        (Area::Rural, _) => (4.2, 2.0),
    };
    let (pe, arts) = (pe * (1.0 - 0.6 * stress), arts * (1.0 - 0.6 * stress));
    match level {
        Level::Primary => vec![
            (Chinese, 30.0),
            (Math, 22.0),
            (English, 8.0),
            (Pe, pe),
            (Music, arts),
            (Art, arts),
            (Science, 6.0),
            (Ethics, 5.0),
            (It, 2.5),
            (Labor, 1.0),
            (Psychology, 1.0),
            (Practice, 1.0),
            (SpecialEd, 0.3),
            (Other, 1.2),
        ],
        Level::Junior => vec![
            (Chinese, 15.0),
            (Math, 15.0),
            (English, 13.0),
            (Physics, 7.0),
            (Chemistry, 5.0),
            (Biology, 5.0),
            (History, 6.0),
            (Geography, 5.0),
            (Ethics, 6.0),
            (Pe, pe),
            (Music, arts * 0.6),
            (Art, arts * 0.6),
            (It, 3.0),
            (Psychology, 1.0),
            (Labor, 1.0),
            (Other, 1.0),
        ],
    }
}

/// Degrees: bachelor's mostly, associate degrees and below more common in the
/// countryside and among older teachers.
pub(super) fn draw_degree(rng: &mut ChaCha8Rng, level: Level, area: Area, (age, stress): (i32, f64)) -> Degree {
    let [secondary, associate, bachelor, postgraduate] = match (level, area) {
        (Level::Primary, Area::Urban) => [2.0, 25.0, 68.0, 5.0],
        (Level::Primary, Area::Town) => [5.0, 38.0, 55.0, 2.0],
        (Level::Primary, Area::Rural) => [12.0, 45.0, 42.0, 1.0],
        (Level::Junior, Area::Urban) => [0.5, 8.0, 84.0, 7.5],
        (Level::Junior, Area::Town) => [1.0, 18.0, 78.0, 3.0],
        (Level::Junior, Area::Rural) => [3.0, 30.0, 66.0, 1.0],
    };
    let (old, young) = if age >= 48 { (3.0, 0.2) } else { (1.0, 1.0) };
    // Under stress, degrees below the standard's are up to 4 times as common.
    let (secondary, associate) = (secondary * (1.0 + 3.0 * stress), associate * (1.0 + 3.0 * stress));
    pick(
        rng,
        &[
            (Degree::Secondary, secondary * old),
            (Degree::Associate, associate),
            (Degree::Bachelor, bachelor),
            (Degree::Postgraduate, postgraduate * young),
        ],
    )
}

/// Names the backbone teachers of a section: about 24 % of an urban staff,
/// 15 % in towns and 9 % in the countryside (the share itself varies by ±20 %
/// between schools), mostly in mid-career and among the school leaders. A
/// national one is rare and urban.
pub(super) fn appoint_backbone(rng: &mut ChaCha8Rng, area: Area, section: &mut [SynthTeacher], stress: f64) {
    let rate = match area {
        Area::Urban => 0.24,
        Area::Town => 0.15,
        Area::Rural => 0.09,
    } * rng.random_range(0.8..1.2)
        * (1.0 - 0.5 * stress);
    let count = ((section.len() as f64 * rate + rng.random::<f64>()).floor() as usize).min(section.len());
    // Weighted sampling without replacement (Efraimidis–Spirakis): the
    // `count` largest keys u^(1/weight) win.
    let mut keys: Vec<(f64, usize)> = section
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let by_age = match YEAR - t.birth_year {
                ..=29 => 0.2,
                30..=34 => 0.8,
                35..=50 => 1.3,
                _ => 0.9,
            };
            let by_role = if t.role == Role::Teacher { 1.0 } else { 2.5 };
            (rng.random::<f64>().powf(1.0 / (by_age * by_role)), i)
        })
        .collect();
    keys.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    let national = if area == Area::Urban { 1.5 } else { 0.0 };
    let province = if area == Area::Rural { 2.0 } else { 10.0 };
    for &(_, i) in keys.iter().take(count) {
        section[i].backbone = pick(
            rng,
            &[
                (Backbone::County, 56.0),
                (Backbone::City, 32.0),
                (Backbone::Province, province),
                (Backbone::National, national),
            ],
        );
    }
}

/// Titles follow age; senior titles go with backbone work; a few teachers'
/// titles are blank (the column is optional), never a school leader's.
pub(super) fn draw_title(rng: &mut ChaCha8Rng, age: i32, backbone: Backbone, role: Role) -> Option<Title> {
    if role == Role::Teacher && rng.random_bool(0.015) {
        return None;
    }
    let star = if backbone >= Backbone::City { 3.0 } else { 1.0 };
    Some(match age {
        ..=25 => pick(rng, &[(Title::None, 40.0), (Title::Third, 30.0), (Title::Second, 30.0)]),
        26..=32 => pick(rng, &[(Title::Third, 10.0), (Title::Second, 70.0), (Title::First, 20.0)]),
        33..=42 => pick(rng, &[(Title::Second, 30.0), (Title::First, 60.0), (Title::Senior, 10.0 * star)]),
        _ => pick(
            rng,
            &[
                (Title::Second, 10.0),
                (Title::First, 50.0),
                (Title::Senior, 40.0 * star),
                (Title::Professor, 0.5 * star * star),
            ],
        ),
    })
}
