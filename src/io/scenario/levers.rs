//! A scenario's `[[upgrade]]` and `[[designate]]` entries: named teachers,
//! or `count` teachers of a school, reach the higher degree or are named
//! county backbone teachers.

use std::collections::BTreeSet;

use serde::Deserialize;

use super::{no_school, Problems};
use crate::domain::changes::{Lever, LeverChange};
use crate::domain::County;
use crate::error::Text;
use crate::rules::eligibility::is_eligible_with;

/// One `[[upgrade]]` or `[[designate]]` entry as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawLever {
    teachers: Option<Vec<String>>,
    school: Option<String>,
    count: Option<u32>,
}

/// The teachers of school `school` a `school` + `count` entry may change,
/// in the order it takes them: full-time teachers (only they count in the
/// figures) who lack what the lever gives; those who may not rotate this
/// year first (they stay at the school for sure), then by teacher id.
pub fn lever_candidates(county: &County, lever: Lever, school: &str) -> Vec<usize> {
    let mut list: Vec<usize> = (0..county.teachers.len())
        .filter(|&i| {
            let t = &county.teachers[i];
            t.school_id == school && t.full_time && !lever.has(t)
        })
        .collect();
    list.sort_by_cached_key(|&i| {
        let t = &county.teachers[i];
        (is_eligible_with(t, &county.policy, county.exchange_of(&t.id)), t.id.clone())
    });
    list
}

/// Applies every entry of one lever; returns the changes in file order.
pub(super) fn apply_levers(
    county: &mut County,
    lever: Lever,
    raw: &[RawLever],
    problems: &mut Problems,
) -> Vec<LeverChange> {
    let mut named: BTreeSet<String> = BTreeSet::new();
    let mut changes = Vec::new();
    for (i, entry) in raw.iter().enumerate() {
        let key = format!("{}[{i}]", lever.id());
        let chosen = match (&entry.teachers, &entry.school, entry.count) {
            (Some(ids), None, None) => named_teachers(county, lever, &key, ids, &named, problems),
            (None, Some(school), Some(count)) => school_teachers(county, lever, &key, school, count, problems),
            _ => {
                problems.add(
                    key,
                    Text::both(
                        "give either teachers = [\"…\", …] or both school = \"…\" and count = N",
                        "请填 teachers = [\"…\", …]，或同时填 school = \"…\" 和 count = N，二者选一",
                    ),
                );
                continue;
            }
        };
        let ids: Vec<String> = chosen.iter().map(|&t| county.teachers[t].id.clone()).collect();
        for &t in &chosen {
            lever.apply(&mut county.teachers[t]);
        }
        named.extend(ids.iter().cloned());
        changes.push(LeverChange { lever, school: entry.school.clone(), teacher_ids: ids });
    }
    changes
}

/// The teachers of a `teachers = […]` entry; each unknown, repeated or
/// already changed one is a problem.
fn named_teachers(
    county: &County,
    lever: Lever,
    key: &str,
    ids: &[String],
    named: &BTreeSet<String>,
    problems: &mut Problems,
) -> Vec<usize> {
    let mut chosen: Vec<usize> = Vec::new();
    let key = format!("{key}.teachers");
    if ids.is_empty() {
        problems.add(key.clone(), Text::both("name at least one teacher", "请至少填一名教师"));
    }
    for id in ids {
        let Some(t) = county.teachers.iter().position(|t| &t.id == id) else {
            let message = Text::both(
                format!("no teacher \"{id}\" in {}", problems.data),
                format!("{} 中没有教师「{id}」", problems.data),
            );
            problems.add(key.clone(), message);
            continue;
        };
        if chosen.contains(&t) || named.contains(id) {
            let message = Text::both(
                format!("teacher {id} is named twice; name each teacher once"),
                format!("教师 {id} 被填了两次；每名教师只填一次"),
            );
            problems.add(key.clone(), message);
            continue;
        }
        let teacher = &county.teachers[t];
        if lever.has(teacher) {
            let message = match lever {
                Lever::Upgrade => Text::both(
                    format!(
                        "teacher {id} already has a higher degree for the {} section ({}); remove the teacher",
                        teacher.level.word(),
                        teacher.degree.word()
                    ),
                    format!(
                        "教师 {id} 的学历（{}）已高于{}规定学历；请删去该教师",
                        teacher.degree.word_zh(),
                        teacher.level.word_zh()
                    ),
                ),
                Lever::Designate => Text::both(
                    format!(
                        "teacher {id} is already a backbone teacher ({}); remove the teacher",
                        teacher.backbone.word()
                    ),
                    format!("教师 {id} 已是骨干教师（{}）；请删去该教师", teacher.backbone.word_zh()),
                ),
            };
            problems.add(key.clone(), message);
            continue;
        }
        chosen.push(t);
    }
    chosen
}

/// The first `count` candidates of a `school` + `count` entry.
fn school_teachers(
    county: &County,
    lever: Lever,
    key: &str,
    school: &str,
    count: u32,
    problems: &mut Problems,
) -> Vec<usize> {
    if county.school_pos(school).is_none() {
        let message = no_school(school, problems.data);
        problems.add(format!("{key}.school"), message);
        return Vec::new();
    }
    let candidates = lever_candidates(county, lever, school);
    let most = candidates.len();
    if count == 0 || count as usize > most {
        let (en, zh) = match lever {
            Lever::Upgrade => ("without a higher degree", "学历未高于规定学历的"),
            Lever::Designate => ("who are not backbone teachers", "非骨干"),
        };
        let message = if most == 0 {
            Text::both(
                format!("school {school} has no full-time teachers {en}; remove this entry"),
                format!("学校 {school} 没有{zh}专任教师；请删去这一项"),
            )
        } else {
            Text::both(
                format!("school {school} has {most} full-time teachers {en}; give a count from 1 to {most}"),
                format!("学校 {school} 有 {most} 名{zh}专任教师；count 请填 1 到 {most}"),
            )
        };
        problems.add(format!("{key}.count"), message);
        return Vec::new();
    }
    candidates.into_iter().take(count as usize).collect()
}
