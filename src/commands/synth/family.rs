//! The family ties of a synthetic county (family.csv, 家庭): couples who
//! both teach in the county, about one per [`TEACHERS_PER_COUPLE`]
//! teachers, each teacher in one couple at most.
//!
//! A couple is a teacher drawn at random and a teacher of the other gender
//! born at most [`AGE_GAP`] years apart at another school: most in the same
//! town (`same_town`), about [`NEAR_SHARE`] in another town of the block
//! whose school is within [`NEAR_KM`] km less a margin (`within_km 15`).
//! Every tie holds in the county as written (distances from the written
//! coordinates), so the data is feasible as it stands.

use std::collections::{BTreeMap, HashMap};

use rand::Rng;
use rand_chacha::ChaCha8Rng;

use super::schools::SynthSchool;
use crate::domain::applications::{FamilyRule, FamilyTie};
use crate::domain::Teacher;

/// One couple per this many teachers.
pub const TEACHERS_PER_COUPLE: usize = 40;

/// Share of the couples in two towns, tied by distance.
pub const NEAR_SHARE: f64 = 0.25;

/// The distance of a `within_km` tie.
pub const NEAR_KM: f64 = 15.0;

/// A `within_km` couple's schools are at most [`NEAR_KM`] less this apart now.
const MARGIN_KM: f64 = 1.0;

/// Most years between a couple's birth years.
const AGE_GAP: i32 = 5;

/// Partners tried for one teacher before another is drawn.
const TRIES: usize = 30;

/// The couples of the staff, sorted by their first teacher's id;
/// `road_factor` is `movement.road_factor`.
pub(super) fn draw_family(
    rng: &mut ChaCha8Rng,
    schools: &[SynthSchool],
    staff: &[Teacher],
    road_factor: f64,
) -> Vec<FamilyTie> {
    let wanted = staff.len() / TEACHERS_PER_COUPLE;
    let at: HashMap<&str, usize> = schools.iter().enumerate().map(|(i, s)| (s.id.as_str(), i)).collect();
    let mut by_school: Vec<Vec<usize>> = vec![Vec::new(); schools.len()];
    let mut by_town: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, t) in staff.iter().enumerate() {
        by_school[at[t.school_id.as_str()]].push(i);
    }
    for (i, s) in schools.iter().enumerate() {
        by_town.entry(s.town.as_str()).or_default().push(i);
    }
    let mut tied = vec![false; staff.len()];
    let mut ties = Vec::with_capacity(wanted);
    for _ in 0..wanted * 10 {
        if ties.len() == wanted {
            break;
        }
        let a = rng.random_range(0..staff.len());
        let near = rng.random_bool(NEAR_SHARE);
        if tied[a] {
            continue;
        }
        let home = &schools[at[staff[a].school_id.as_str()]];
        let places: Vec<usize> = if near {
            let reach = NEAR_KM - MARGIN_KM;
            let around = schools.iter().enumerate().filter(|(_, s)| s.block == home.block && s.town != home.town);
            around.filter(|(_, s)| home.km_to(s, road_factor) <= reach).map(|(i, _)| i).collect()
        } else {
            by_town[home.town.as_str()].iter().copied().filter(|&i| schools[i].id != home.id).collect()
        };
        if places.is_empty() {
            continue;
        }
        for _ in 0..TRIES {
            let staff_there = &by_school[places[rng.random_range(0..places.len())]];
            if staff_there.is_empty() {
                continue;
            }
            let b = staff_there[rng.random_range(0..staff_there.len())];
            let (ta, tb) = (&staff[a], &staff[b]);
            if tied[b] || ta.gender == tb.gender || (ta.birth_year - tb.birth_year).abs() > AGE_GAP {
                continue;
            }
            tied[a] = true;
            tied[b] = true;
            let rule = if near { FamilyRule::WithinKm(NEAR_KM) } else { FamilyRule::SameTown };
            let (first, second) = if ta.id < tb.id { (ta, tb) } else { (tb, ta) };
            ties.push(FamilyTie { teacher_a: first.id.clone(), teacher_b: second.id.clone(), rule });
            break;
        }
    }
    ties.sort_by(|x, y| x.teacher_a.cmp(&y.teacher_a));
    ties
}
