//! An independent checker of a rotation plan (SPEC §4): every hard rule 1–7
//! checked in plain Rust over a list of moves, and the plan's objective
//! vector (compliant sections, shortfall, Σ CV², km) recomputed from the
//! moved roster. It shares no code with the optimizer (`model`, `plan`), so
//! that the optimizer's output can be tested against it, and it is what
//! `score` uses to judge a hand-edited rotation list: each violation names
//! the rule, the teacher or school, and the figures, in words for HR staff.

use std::cmp::Ordering;
use std::collections::BTreeMap;
use std::fmt;

use crate::domain::changes::ProposedMove;
use crate::domain::{County, Exact, Gender, Level, LockAction, Subject};
use crate::exact::{ceil_exact, to_f64};
use crate::rules::distance::Distances;
use crate::rules::eligibility::{ineligibility, Ineligibility};
use crate::rules::indicators::{count_sections, figures, CountyFigures};
use crate::rules::rule::Rule;

/// A hard rule that the plan breaks.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Violation {
    /// Stable rule id: `move_once`, `eligibility`, `own_school`, `section`,
    /// `distance`, `alliance`, `rotation_share`, `backbone_share`,
    /// `headcount_balance`, `staff_quota`, `subject_floor`, `locks`,
    /// `unknown_teacher`, `unknown_school`.
    pub rule: Rule,
    /// The teacher concerned, when the rule is about one teacher.
    pub teacher_id: Option<String>,
    /// The school concerned, when the rule is about one school.
    pub school_id: Option<String>,
    /// What is wrong, in words, with the figures.
    pub message: String,
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "[{}] {}", self.rule, self.message)
    }
}

/// The plan's value under the lexicographic objective of SPEC §4.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ObjectiveVector {
    /// Counted school sections that comply (maximised first).
    pub compliant: usize,
    /// Teacher shortfall over counted sections (minimised second).
    pub shortfall: u32,
    /// Σ over levels and teacher indicators of CV² (minimised third; a
    /// missing CV counts 0).
    pub cv_squares: f64,
    /// Total km of the moves, unknown distances (no coordinates, and no
    /// roads.csv) counting 0 (minimised last).
    pub distance_km: f64,
}

impl ObjectiveVector {
    /// Relative tolerance under which two Σ CV² (or two distances) are equal.
    pub const TOLERANCE: f64 = 1e-9;

    /// Lexicographic comparison: `Ordering::Less` when `self` is the better
    /// plan, `Equal` when neither is better. Σ CV² and km compare with the
    /// relative [`Self::TOLERANCE`], so float noise never decides.
    pub fn compare(&self, other: &ObjectiveVector) -> Ordering {
        other
            .compliant
            .cmp(&self.compliant)
            .then(self.shortfall.cmp(&other.shortfall))
            .then(tolerant_cmp(self.cv_squares, other.cv_squares))
            .then(tolerant_cmp(self.distance_km, other.distance_km))
    }

    /// Whether `self` is strictly better than `other`.
    pub fn is_better_than(&self, other: &ObjectiveVector) -> bool {
        self.compare(other) == Ordering::Less
    }
}

impl fmt::Display for ObjectiveVector {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} compliant sections, shortfall {}, Σ CV² {:.9}, {:.3} km",
            self.compliant, self.shortfall, self.cv_squares, self.distance_km
        )
    }
}

/// Compares two floats as equal when within the relative tolerance.
fn tolerant_cmp(a: f64, b: f64) -> Ordering {
    let scale = a.abs().max(b.abs()).max(1.0);
    if (a - b).abs() <= ObjectiveVector::TOLERANCE * scale {
        Ordering::Equal
    } else {
        a.total_cmp(&b)
    }
}

/// The verdict on a plan: the rules it breaks and what it achieves.
#[derive(Clone, Debug)]
pub struct Audit {
    /// Every hard rule broken, moves first (in list order), then county,
    /// section and lock rules.
    pub violations: Vec<Violation>,
    /// The objective vector of the plan.
    pub objective: ObjectiveVector,
    /// The inspector's figures after the plan.
    pub after: CountyFigures,
    /// E: teachers who meet the rotation conditions.
    pub eligible: usize,
    /// Moves that change a teacher's school (duplicates, unknown ids and
    /// moves to the own school left out).
    pub moves: usize,
    /// Backbone teachers among those moves.
    pub backbone_moves: usize,
}

impl Audit {
    /// Whether the plan keeps every hard rule.
    pub fn is_valid(&self) -> bool {
        self.violations.is_empty()
    }

    /// The violations of one rule.
    pub fn of_rule(&self, rule: Rule) -> impl Iterator<Item = &Violation> + '_ {
        self.violations.iter().filter(move |v| v.rule == rule)
    }
}

/// Checks `moves` against every hard rule of SPEC §4 and computes the plan's
/// objective vector and figures.
pub fn audit(county: &County, moves: &[ProposedMove]) -> Audit {
    Auditor::new(county).audit(moves)
}

/// A checker prepared for one county, to judge many plans of it quickly
/// (brute force in tests, repeated `score` runs).
#[derive(Clone, Debug)]
pub struct Auditor<'a> {
    county: &'a County,
    distances: Distances,
    teacher_index: BTreeMap<&'a str, usize>,
    home: Vec<Option<usize>>,
    reasons: Vec<Vec<Ineligibility>>,
    eligible: usize,
    min_moves: u32,
    max_moves: u32,
    headcount_before: Vec<u32>,
}

/// A move after the ids were resolved.
#[derive(Clone, Copy, Debug)]
struct Resolved {
    teacher: usize,
    from: Option<usize>,
    to: usize,
}

impl<'a> Auditor<'a> {
    /// Prepares the checker: distances, eligibility, the rotation bounds.
    pub fn new(county: &'a County) -> Auditor<'a> {
        let policy = &county.policy;
        let reasons: Vec<Vec<Ineligibility>> = county.teachers.iter().map(|t| ineligibility(t, policy)).collect();
        let eligible = reasons.iter().filter(|r| r.is_empty()).count();
        let e = Exact::from_integer(eligible as i128);
        let home: Vec<Option<usize>> = county.teachers.iter().map(|t| county.school_pos(&t.school_id)).collect();
        let mut headcount_before = vec![0u32; county.schools.len()];
        for pos in home.iter().flatten() {
            headcount_before[*pos] += 1;
        }
        Auditor {
            county,
            distances: Distances::new(county),
            teacher_index: county.teachers.iter().enumerate().map(|(i, t)| (t.id.as_str(), i)).collect(),
            home,
            reasons,
            eligible,
            min_moves: ceil_exact(policy.rotation.min_share * e),
            max_moves: ceil_exact(policy.rotation.max_share * e),
            headcount_before,
        }
    }

    /// E: teachers who meet the rotation conditions.
    pub fn eligible(&self) -> usize {
        self.eligible
    }

    /// ⌈min_share × E⌉ and ⌈max_share × E⌉.
    pub fn move_bounds(&self) -> (u32, u32) {
        (self.min_moves, self.max_moves)
    }

    /// Judges one plan.
    pub fn audit(&self, moves: &[ProposedMove]) -> Audit {
        let mut violations = Vec::new();
        let resolved = self.resolve(moves, &mut violations);
        let mut real_moves = Vec::with_capacity(resolved.len());
        for m in &resolved {
            if self.check_move(m, &mut violations) {
                real_moves.push(*m);
            }
        }
        let mut placement = self.home.clone();
        for m in &real_moves {
            placement[m.teacher] = Some(m.to);
        }
        let backbone_moves =
            real_moves.iter().filter(|m| self.county.teachers[m.teacher].backbone.is_backbone()).count();
        self.rule_rotation_share(real_moves.len(), &mut violations);
        self.rule_backbone_share(real_moves.len(), backbone_moves, &mut violations);
        self.rule_headcount_balance(&real_moves, &mut violations);
        self.rule_staff_quota(&placement, &mut violations);
        self.rule_subject_floor(&placement, &mut violations);
        self.rule_locks(&placement, &mut violations);

        let county = self.county;
        let after = figures(county, &count_sections(county, &county.teachers, &placement));
        // + 0.0: an empty f64 sum is -0.0, which would print as "-0".
        let distance_km =
            real_moves.iter().filter_map(|m| m.from.and_then(|from| self.distances.km(from, m.to))).sum::<f64>() + 0.0;
        let objective = ObjectiveVector {
            compliant: after.compliant(),
            shortfall: after.shortfall(),
            cv_squares: after.teacher_cv_squares(),
            distance_km,
        };
        Audit { violations, objective, after, eligible: self.eligible, moves: real_moves.len(), backbone_moves }
    }

    fn school_id(&self, pos: usize) -> &str {
        &self.county.schools[pos].id
    }

    /// Unknown ids and teachers listed twice (rule 1: each at most once);
    /// the first move of a teacher is the one that counts.
    fn resolve(&self, moves: &[ProposedMove], out: &mut Vec<Violation>) -> Vec<Resolved> {
        let mut first: BTreeMap<usize, &str> = BTreeMap::new();
        let mut resolved = Vec::with_capacity(moves.len());
        for m in moves {
            let Some(&teacher) = self.teacher_index.get(m.teacher_id.trim()) else {
                out.push(Violation {
                    rule: Rule::UnknownTeacher,
                    teacher_id: Some(m.teacher_id.clone()),
                    school_id: None,
                    message: format!(
                        "teacher {} is not in teachers.csv; rule unknown_teacher: every move must name a teacher of the county",
                        m.teacher_id
                    ),
                });
                continue;
            };
            let Some(to) = self.county.school_pos(m.to_school.trim()) else {
                out.push(Violation {
                    rule: Rule::UnknownSchool,
                    teacher_id: Some(m.teacher_id.clone()),
                    school_id: Some(m.to_school.clone()),
                    message: format!(
                        "teacher {} is sent to school {}, which is not in schools.csv; rule unknown_school: every destination must be a school of the county",
                        m.teacher_id, m.to_school
                    ),
                });
                continue;
            };
            if let Some(earlier) = first.get(&teacher) {
                out.push(Violation {
                    rule: Rule::MoveOnce,
                    teacher_id: Some(m.teacher_id.clone()),
                    school_id: Some(m.to_school.clone()),
                    message: format!(
                        "teacher {} is moved more than once (to {} and again to {}); rule move_once allows one move a teacher, so only the first is used",
                        m.teacher_id, earlier, m.to_school
                    ),
                });
                continue;
            }
            first.insert(teacher, m.to_school.as_str());
            resolved.push(Resolved { teacher, from: self.home[teacher], to });
        }
        resolved
    }

    /// Rules 1 and 2 for one move. Returns whether the move changes the
    /// teacher's school (a move to the own school does not).
    fn check_move(&self, m: &Resolved, out: &mut Vec<Violation>) -> bool {
        let county = self.county;
        let teacher = &county.teachers[m.teacher];
        let to = &county.schools[m.to];
        let here = Some(teacher.id.clone());
        if m.from == Some(m.to) {
            out.push(Violation {
                rule: Rule::OwnSchool,
                teacher_id: here,
                school_id: Some(to.id.clone()),
                message: format!(
                    "teacher {} is moved to {}, which is already their school; rule own_school: a teacher never moves to their own school (nor to its other section)",
                    teacher.id, to.id
                ),
            });
            return false;
        }
        for reason in &self.reasons[m.teacher] {
            out.push(Violation {
                rule: Rule::Eligibility,
                teacher_id: here.clone(),
                school_id: Some(teacher.school_id.clone()),
                message: self.eligibility_message(m.teacher, reason),
            });
        }
        if !to.has(teacher.level) {
            out.push(Violation {
                rule: Rule::Section,
                teacher_id: here.clone(),
                school_id: Some(to.id.clone()),
                message: format!(
                    "teacher {} teaches in a {} section but {} ({}) has no {} section; rule section: teachers move only to a school with their own section",
                    teacher.id,
                    teacher.level.word(),
                    to.id,
                    to.kind.word(),
                    teacher.level.word()
                ),
            });
        }
        let movement = &county.policy.movement;
        let km = m.from.and_then(|from| self.distances.km(from, m.to));
        if m.from.is_some_and(|from| !self.distances.joined(from, m.to)) {
            // SPEC §2: with roads.csv, a pair with no path is not an allowed move.
            out.push(Violation {
                rule: Rule::Distance,
                teacher_id: here.clone(),
                school_id: Some(to.id.clone()),
                message: format!(
                    "teacher {} would go from {} to {}, but roads.csv has no road path between them; rule distance: a move needs a road path when roads.csv is given",
                    teacher.id, teacher.school_id, to.id
                ),
            });
        } else if movement.max_distance_km > 0.0 {
            match km {
                None => out.push(Violation {
                    rule: Rule::Distance,
                    teacher_id: here.clone(),
                    school_id: Some(to.id.clone()),
                    message: format!(
                        "teacher {} would go from {} to {}, but the distance between them is unknown (no coordinates, or no road path); rule distance needs a known distance within movement.max_distance_km = {} km",
                        teacher.id, teacher.school_id, to.id, movement.max_distance_km
                    ),
                }),
                Some(d) if d > movement.max_distance_km => out.push(Violation {
                    rule: Rule::Distance,
                    teacher_id: here.clone(),
                    school_id: Some(to.id.clone()),
                    message: format!(
                        "teacher {} would go {:.1} km from {} to {}; rule distance allows at most {} km (movement.max_distance_km)",
                        teacher.id, d, teacher.school_id, to.id, movement.max_distance_km
                    ),
                }),
                Some(_) => {}
            }
        }
        if movement.within_alliance {
            let from_alliance =
                m.from.and_then(|f| county.schools[f].alliance.as_deref()).filter(|a| !a.trim().is_empty());
            let to_alliance = to.alliance.as_deref().filter(|a| !a.trim().is_empty());
            if from_alliance.is_none() || from_alliance != to_alliance {
                out.push(Violation {
                    rule: Rule::Alliance,
                    teacher_id: here,
                    school_id: Some(to.id.clone()),
                    message: format!(
                        "teacher {} would go from {} (alliance {}) to {} (alliance {}); rule alliance (movement.within_alliance = yes) keeps moves inside one urban–rural alliance",
                        teacher.id,
                        teacher.school_id,
                        from_alliance.unwrap_or("none"),
                        to.id,
                        to_alliance.unwrap_or("none")
                    ),
                });
            }
        }
        true
    }

    fn eligibility_message(&self, teacher: usize, reason: &Ineligibility) -> String {
        let t = &self.county.teachers[teacher];
        let year = self.county.policy.year;
        match reason {
            Ineligibility::PartTime => format!(
                "teacher {} is not a full-time teacher (专任 = no); rule eligibility lets only full-time teachers rotate",
                t.id
            ),
            Ineligibility::Role(role) => format!(
                "teacher {} is a {}; rule eligibility leaves principals and vice principals out unless eligibility.include_principals = yes",
                t.id,
                role.word().replace('_', " ")
            ),
            Ineligibility::YearsAtSchool(years, required) => format!(
                "teacher {} has been at {} for {} years; rule eligibility requires {} (eligibility.min_years_at_school; at the school since {})",
                t.id, t.school_id, years, required, t.school_since
            ),
            Ineligibility::Age(age, limit) => format!(
                "teacher {} is {} in {} (born {}); rule eligibility allows {} up to {} (eligibility.{})",
                t.id,
                age,
                year,
                t.birth_year,
                if t.gender == Gender::Male { "men" } else { "women" },
                limit,
                if t.gender == Gender::Male { "max_age_male" } else { "max_age_female" }
            ),
            Ineligibility::Exempt(why) => format!(
                "teacher {} is exempt from rotation this year ({}); rule eligibility excludes exempt teachers",
                t.id, why
            ),
            Ineligibility::RecentRotation(since, required) => format!(
                "teacher {} last rotated in {}, {} years before {}; rule eligibility requires {} years since the last rotation (eligibility.min_years_since_rotation)",
                t.id,
                t.last_rotated.unwrap_or(year - since),
                since,
                year,
                required
            ),
        }
    }

    /// Rule 3: ⌈min_share × E⌉ ≤ moves ≤ ⌈max_share × E⌉.
    fn rule_rotation_share(&self, moves: usize, out: &mut Vec<Violation>) {
        let rotation = &self.county.policy.rotation;
        let e = self.eligible;
        if (moves as u64) < self.min_moves as u64 {
            out.push(Violation {
                rule: Rule::RotationShare,
                teacher_id: None,
                school_id: None,
                message: format!(
                    "the plan moves {} teachers; rule rotation_share requires at least {} = ⌈{} × {} eligible teachers⌉ (rotation.min_share)",
                    moves,
                    self.min_moves,
                    decimal(rotation.min_share),
                    e
                ),
            });
        }
        if moves as u64 > self.max_moves as u64 {
            out.push(Violation {
                rule: Rule::RotationShare,
                teacher_id: None,
                school_id: None,
                message: format!(
                    "the plan moves {} teachers; rule rotation_share allows at most {} = ⌈{} × {} eligible teachers⌉ (rotation.max_share)",
                    moves,
                    self.max_moves,
                    decimal(rotation.max_share),
                    e
                ),
            });
        }
    }

    /// Rule 4: backbone moves ≥ backbone_min_share × moves, exactly.
    fn rule_backbone_share(&self, moves: usize, backbone: usize, out: &mut Vec<Violation>) {
        let share = self.county.policy.rotation.backbone_min_share;
        let needed = share * Exact::from_integer(moves as i128);
        if Exact::from_integer(backbone as i128) < needed {
            out.push(Violation {
                rule: Rule::BackboneShare,
                teacher_id: None,
                school_id: None,
                message: format!(
                    "the plan moves {} backbone teachers among {} moves ({:.1} %); rule backbone_share requires at least {} × {} = {}, that is {} backbone teachers (rotation.backbone_min_share)",
                    backbone,
                    moves,
                    if moves == 0 { 0.0 } else { 100.0 * backbone as f64 / moves as f64 },
                    decimal(share),
                    moves,
                    decimal(needed),
                    ceil_exact(needed)
                ),
            });
        }
    }

    /// Rule 5a: every school section, |arrivals − departures| ≤ headcount_tolerance.
    fn rule_headcount_balance(&self, moves: &[Resolved], out: &mut Vec<Violation>) {
        let county = self.county;
        let mut flow: BTreeMap<(usize, Level), (u32, u32)> = BTreeMap::new();
        for m in moves {
            let level = county.teachers[m.teacher].level;
            flow.entry((m.to, level)).or_default().0 += 1;
            if let Some(from) = m.from {
                flow.entry((from, level)).or_default().1 += 1;
            }
        }
        let tolerance = county.policy.movement.headcount_tolerance;
        for ((school, level), (arrivals, departures)) in flow {
            if !county.schools[school].has(level) {
                continue; // reported by the section rule
            }
            if arrivals.abs_diff(departures) > tolerance {
                out.push(Violation {
                    rule: Rule::HeadcountBalance,
                    teacher_id: None,
                    school_id: Some(self.school_id(school).to_string()),
                    message: format!(
                        "the {} section of {} receives {} and loses {} (net {:+}); rule headcount_balance allows a difference of at most {} (movement.headcount_tolerance)",
                        level.word(),
                        self.school_id(school),
                        teachers(arrivals),
                        teachers(departures),
                        arrivals as i64 - departures as i64,
                        tolerance
                    ),
                });
            }
        }
    }

    /// Rule 5b: where staff_quota is given, headcount after ≤ max(quota, before).
    fn rule_staff_quota(&self, placement: &[Option<usize>], out: &mut Vec<Violation>) {
        let mut after = vec![0u32; self.county.schools.len()];
        for pos in placement.iter().flatten() {
            after[*pos] += 1;
        }
        for (pos, school) in self.county.schools.iter().enumerate() {
            let Some(quota) = school.staff_quota else { continue };
            let before = self.headcount_before[pos];
            let cap = quota.max(before);
            if after[pos] > cap {
                out.push(Violation {
                    rule: Rule::StaffQuota,
                    teacher_id: None,
                    school_id: Some(school.id.clone()),
                    message: format!(
                        "{} would have {} teachers on its roll after the plan ({} before); rule staff_quota allows at most {} = max(staff_quota {}, headcount before {})",
                        school.id, after[pos], before, cap, quota, before
                    ),
                });
            }
        }
    }

    /// Rule 6: in every section, counted or not, full-time teachers of each
    /// subject after ≥ min(before, need).
    fn rule_subject_floor(&self, placement: &[Option<usize>], out: &mut Vec<Violation>) {
        let county = self.county;
        let mut before: BTreeMap<(usize, Level, Subject), u32> = BTreeMap::new();
        let mut after: BTreeMap<(usize, Level, Subject), u32> = BTreeMap::new();
        for (i, t) in county.teachers.iter().enumerate() {
            if !t.full_time {
                continue;
            }
            if let Some(pos) = self.home[i] {
                *before.entry((pos, t.level, t.subject)).or_default() += 1;
            }
            if let Some(pos) = placement[i] {
                *after.entry((pos, t.level, t.subject)).or_default() += 1;
            }
        }
        for (pos, school) in county.schools.iter().enumerate() {
            for &level in school.kind.levels() {
                for &(subject, _, _) in Subject::ALL {
                    let had = before.get(&(pos, level, subject)).copied().unwrap_or(0);
                    let has = after.get(&(pos, level, subject)).copied().unwrap_or(0);
                    if has >= had {
                        continue;
                    }
                    let (need, source) = self.subject_need(pos, level, subject);
                    let floor = had.min(need);
                    if has < floor {
                        out.push(Violation {
                            rule: Rule::SubjectFloor,
                            teacher_id: None,
                            school_id: Some(school.id.clone()),
                            message: format!(
                                "the {} section of {} would have {} full-time {} teachers after the plan ({} before, need {} {}); rule subject_floor requires at least {} = min(before, need)",
                                level.word(),
                                school.id,
                                has,
                                subject.word(),
                                had,
                                need,
                                source,
                                floor
                            ),
                        });
                    }
                }
            }
        }
    }

    /// The need of a subject in a section and where it comes from:
    /// staffing.csv, else ⌈classes × periods / load⌉ exactly.
    fn subject_need(&self, pos: usize, level: Level, subject: Subject) -> (u32, String) {
        let county = self.county;
        let school = &county.schools[pos];
        if let Some(o) =
            county.staffing.iter().find(|o| o.school_id == school.id && o.level == level && o.subject == subject)
        {
            return (o.need, "from staffing.csv".to_string());
        }
        let staffing = &county.policy.staffing;
        let periods = match level {
            Level::Primary => staffing.periods.primary.get(&subject),
            Level::Junior => staffing.periods.junior.get(&subject),
        };
        let Some(periods) = periods else {
            return (0, format!("(no weekly periods of {} are set for the {} section)", subject.word(), level.word()));
        };
        let classes = school.classes[level.index()];
        let load = staffing.load.get(level);
        let need = ceil_exact(Exact::from_integer(classes as i128) * periods / load);
        (need, format!("= ⌈{} classes × {} periods / {}⌉", classes, decimal(*periods), decimal(load)))
    }

    /// Rule 7: every lock of locks.csv holds.
    fn rule_locks(&self, placement: &[Option<usize>], out: &mut Vec<Violation>) {
        let county = self.county;
        for lock in &county.locks {
            let Some(&teacher) = self.teacher_index.get(lock.teacher_id.as_str()) else { continue };
            let home = self.home[teacher];
            let now = placement[teacher];
            let moved = now != home;
            let target = lock.school_id.as_deref().and_then(|id| county.school_pos(id));
            let note =
                if lock.note.trim().is_empty() { String::new() } else { format!(" (note: {})", lock.note.trim()) };
            let where_now = now.map_or("nowhere", |p| self.school_id(p)).to_string();
            let problem = match lock.action {
                LockAction::Stay if moved => Some(format!(
                    "teacher {} is locked to stay at {}{} but the plan moves them to {}",
                    lock.teacher_id, county.teachers[teacher].school_id, note, where_now
                )),
                LockAction::Move if !moved => Some(format!(
                    "teacher {} is locked to move{} but the plan keeps them at {}",
                    lock.teacher_id, note, county.teachers[teacher].school_id
                )),
                LockAction::MoveTo if target.is_none() || now != target => Some(format!(
                    "teacher {} is locked to move to {}{} but the plan {}",
                    lock.teacher_id,
                    lock.school_id.as_deref().unwrap_or("?"),
                    note,
                    if moved { format!("moves them to {where_now}") } else { format!("keeps them at {where_now}") }
                )),
                LockAction::Forbid if moved && target.is_some() && now == target => Some(format!(
                    "teacher {} may not go to {}{} but the plan moves them there",
                    lock.teacher_id,
                    lock.school_id.as_deref().unwrap_or("?"),
                    note
                )),
                _ => None,
            };
            if let Some(text) = problem {
                out.push(Violation {
                    rule: Rule::Locks,
                    teacher_id: Some(lock.teacher_id.clone()),
                    school_id: lock.school_id.clone(),
                    message: format!("{text}; rule locks: a lock of locks.csv ({}) must hold", lock.action.word()),
                });
            }
        }
    }
}

/// "1 teacher", "3 teachers".
fn teachers(n: u32) -> String {
    if n == 1 {
        "1 teacher".to_string()
    } else {
        format!("{n} teachers")
    }
}

/// An exact number as a decimal ("0.14", "4.5"), or with 4 decimals when it
/// has no finite decimal form.
fn decimal(x: Exact) -> String {
    let mut scaled = x;
    for places in 0..=12usize {
        if scaled.is_integer() {
            let digits = scaled.to_integer().unsigned_abs().to_string();
            let sign = if x < Exact::from_integer(0) { "-" } else { "" };
            if places == 0 {
                return format!("{sign}{digits}");
            }
            let padded = format!("{digits:0>width$}", width = places + 1);
            let (int_part, frac_part) = padded.split_at(padded.len() - places);
            return format!("{sign}{int_part}.{frac_part}");
        }
        scaled *= Exact::from_integer(10);
    }
    format!("{:.4}", to_f64(&x))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals_are_exact() {
        assert_eq!(decimal(Exact::new(14, 100)), "0.14");
        assert_eq!(decimal(Exact::new(9, 2)), "4.5");
        assert_eq!(decimal(Exact::from_integer(15)), "15");
        assert_eq!(decimal(Exact::new(1, 3)), "0.3333");
        assert_eq!(decimal(Exact::new(-1, 20)), "-0.05");
    }

    #[test]
    fn lexicographic_order() {
        let base = ObjectiveVector { compliant: 3, shortfall: 5, cv_squares: 0.25, distance_km: 40.0 };
        let more_compliant = ObjectiveVector { compliant: 4, shortfall: 9, cv_squares: 2.0, distance_km: 90.0 };
        assert!(more_compliant.is_better_than(&base));
        let less_short = ObjectiveVector { shortfall: 4, cv_squares: 1.0, ..base };
        assert!(less_short.is_better_than(&base));
        let noise = ObjectiveVector { cv_squares: 0.25 + 1e-12, distance_km: 39.0, ..base };
        assert!(noise.is_better_than(&base), "CV² noise below the tolerance must not decide");
        let worse_cv = ObjectiveVector { cv_squares: 0.26, distance_km: 0.0, ..base };
        assert!(base.is_better_than(&worse_cv));
        assert_eq!(base.compare(&base), Ordering::Equal);
    }
}
