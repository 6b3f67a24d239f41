//! The applications of a synthetic county (applications.csv, 交流申请): who
//! volunteers, who lists wishes, and a few bureau-granted extra points.
//!
//! Teacher by teacher, in id order: about [`VOLUNTEER_SHARE`] of the
//! eligible teachers volunteer (`synth --volunteer-share`) and [`WISH_ONLY_SHARE`] more list wishes
//! without volunteering; a few ineligible teachers volunteer all the same
//! ([`INELIGIBLE_SHARE`]; the planner must still not move them). Each of
//! them lists 1–5 wishes among the schools of their block of 20 (the whole
//! county for a county of up to 20 schools) that have their section, other
//! than their own, drawn in turn without replacement with weight
//! area factor / (1 + km / 10) (urban 3, town 2, rural 1), so near and
//! urban schools come first. About [`EXTRA_SHARE`] of the eligible teachers
//! get 1–5 extra points with a note; one without an application gets a row
//! of their own (volunteer = no, no wishes).

use std::collections::HashMap;

use rand::Rng;
use rand_chacha::ChaCha8Rng;

use super::pick;
use super::schools::SynthSchool;
use crate::domain::applications::{Application, MAX_WISHES};
use crate::domain::policy::Policy;
use crate::domain::{Area, Exact, Teacher};
use crate::rules::eligibility::is_eligible;

/// Share of the eligible teachers who volunteer, by default.
pub const VOLUNTEER_SHARE: f64 = 0.12;

/// Share of the eligible teachers who do not volunteer but list wishes.
pub const WISH_ONLY_SHARE: f64 = 0.05;

/// Share of the ineligible teachers who volunteer (with wishes).
pub const INELIGIBLE_SHARE: f64 = 0.01;

/// Share of the eligible teachers with extra points.
pub const EXTRA_SHARE: f64 = 0.02;

/// How many wishes an applicant lists, by weight.
const WISH_COUNTS: [(usize, f64); MAX_WISHES] = [(1, 3.0), (2, 2.5), (3, 3.0), (4, 1.0), (5, 1.5)];

/// Why the bureau grants extra points (the note of the row).
const EXTRA_NOTES: [&str; 4] = ["县级优秀教师", "连续三年考核优秀", "有支教经历", "担任班主任满十年"];

/// The weight of a school as a wish: urban and town schools and near ones first.
fn wish_weight(area: Area, km: f64) -> f64 {
    let factor = match area {
        Area::Urban => 3.0,
        Area::Town => 2.0,
        Area::Rural => 1.0,
    };
    factor / (1.0 + km / 10.0)
}

/// The applications of the staff, in teacher id order, `volunteer_share`
/// of the eligible teachers volunteering; `policy` gives the year, the
/// eligibility conditions and the road factor.
pub(super) fn draw_applications(
    rng: &mut ChaCha8Rng,
    schools: &[SynthSchool],
    staff: &[Teacher],
    policy: &Policy,
    volunteer_share: f64,
) -> Vec<Application> {
    let at: HashMap<&str, usize> = schools.iter().enumerate().map(|(i, s)| (s.id.as_str(), i)).collect();
    let mut applications = Vec::new();
    for teacher in staff {
        let eligible = is_eligible(teacher, policy);
        let draw: f64 = rng.random();
        let extra = eligible && rng.random_bool(EXTRA_SHARE);
        let (applies, volunteer) = if eligible {
            (draw < volunteer_share + WISH_ONLY_SHARE, draw < volunteer_share)
        } else {
            (draw < INELIGIBLE_SHARE, true)
        };
        let home = &schools[at[teacher.school_id.as_str()]];
        let wishes = if applies { draw_wishes(rng, home, schools, teacher, policy) } else { Vec::new() };
        let applies = applies && !wishes.is_empty();
        if !applies && !extra {
            continue;
        }
        let (extra_points, note) = if extra {
            let halves = rng.random_range(2..=10);
            let note = EXTRA_NOTES[rng.random_range(0..EXTRA_NOTES.len())];
            (Exact::new(halves, 2), note.to_string())
        } else {
            (Exact::from_integer(0), String::new())
        };
        applications.push(Application {
            teacher_id: teacher.id.clone(),
            volunteer: applies && volunteer,
            wishes,
            extra_points,
            note,
        });
    }
    applications
}

/// 1–5 wishes of `teacher`, who teaches at `home`: schools of the same block
/// with the teacher's section, not `home`, first wish first.
fn draw_wishes(
    rng: &mut ChaCha8Rng,
    home: &SynthSchool,
    schools: &[SynthSchool],
    teacher: &Teacher,
    policy: &Policy,
) -> Vec<String> {
    let factor = policy.movement.road_factor;
    let mut choices: Vec<(usize, f64)> = schools
        .iter()
        .enumerate()
        .filter(|(_, s)| s.block == home.block && s.id != home.id && s.kind.has(teacher.level))
        .map(|(i, s)| (i, wish_weight(s.area, home.km_to(s, factor))))
        .collect();
    let count = pick(rng, &WISH_COUNTS).min(choices.len());
    let mut wishes = Vec::with_capacity(count);
    for _ in 0..count {
        let chosen = pick(rng, &choices);
        choices.retain(|(i, _)| *i != chosen);
        wishes.push(schools[chosen].id.clone());
    }
    wishes
}
