//! The family ties of a synthetic county (family.csv, 家庭): couples who
//! both teach in the county, about one per [`TEACHERS_PER_COUPLE`]
//! teachers, each teacher in one couple at most.
//!
//! A couple is two teachers of the two genders born at most [`AGE_GAP`]
//! years apart at two schools: most are a teacher drawn at random and one
//! of another school of the same town (`same_town`); about [`NEAR_SHARE`]
//! are drawn from a pair of schools of one block in two towns within
//! [`NEAR_KM`] km (`within_km 15`) for every road factor up to
//! [`ROBUST_ROAD_FACTOR`]. Every tie holds in the county as
//! written (distances from the written coordinates), and still holds when
//! a policy raises `movement.road_factor` up to that, so the data is
//! feasible as it stands.

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

/// A `within_km` couple's schools are within [`NEAR_KM`] by this road factor
/// (the default `movement.road_factor` is 1.3).
pub const ROBUST_ROAD_FACTOR: f64 = 1.6;

/// Most years between a couple's birth years.
const AGE_GAP: i32 = 5;

/// Partners tried for one teacher before another is drawn.
const TRIES: usize = 30;

/// The pairs of schools of one block in two towns within [`NEAR_KM`] by
/// [`ROBUST_ROAD_FACTOR`], each pair both ways.
fn near_pairs(schools: &[SynthSchool]) -> Vec<(usize, usize)> {
    let mut pairs = Vec::new();
    for (i, a) in schools.iter().enumerate() {
        for (j, b) in schools.iter().enumerate() {
            if i != j && a.block == b.block && a.town != b.town && a.km_to(b, ROBUST_ROAD_FACTOR) <= NEAR_KM {
                pairs.push((i, j));
            }
        }
    }
    pairs
}

/// The couples of the staff, sorted by their first teacher's id.
pub(super) fn draw_family(rng: &mut ChaCha8Rng, schools: &[SynthSchool], staff: &[Teacher]) -> Vec<FamilyTie> {
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
    let near_pairs = near_pairs(schools);
    let mut tied = vec![false; staff.len()];
    let mut ties = Vec::with_capacity(wanted);
    for _ in 0..wanted * 10 {
        if ties.len() == wanted {
            break;
        }
        let near = rng.random_bool(NEAR_SHARE) && !near_pairs.is_empty();
        // A near couple: a pair of schools first, then a teacher of the first.
        let (a, places) = if near {
            let (i, j) = near_pairs[rng.random_range(0..near_pairs.len())];
            let Some(&a) = pick_one(rng, &by_school[i]) else { continue };
            (a, vec![j])
        } else {
            let a = rng.random_range(0..staff.len());
            let home = &schools[at[staff[a].school_id.as_str()]];
            (a, by_town[home.town.as_str()].iter().copied().filter(|&i| schools[i].id != home.id).collect())
        };
        if tied[a] || places.is_empty() {
            continue;
        }
        for _ in 0..TRIES {
            let place = places[rng.random_range(0..places.len())];
            let Some(&b) = pick_one(rng, &by_school[place]) else { continue };
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

/// One of `items` at random, `None` when there is none.
fn pick_one<'a, T>(rng: &mut ChaCha8Rng, items: &'a [T]) -> Option<&'a T> {
    (!items.is_empty()).then(|| &items[rng.random_range(0..items.len())])
}
