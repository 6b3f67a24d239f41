//! The auditor's check of each hard rule (`rule_…`, one function per rule
//! id), each violation as data ([`Breach`]); `render::diagnosis` words them.

use std::collections::BTreeMap;

use crate::domain::changes::ProposedMove;
use crate::domain::{Exact, Level, Role, Subject};
use crate::exact::ceil_exact;
use crate::rules::rule::Rule;

use super::violation::{Breach, NeedSource, Violation};
use super::{Auditor, Resolved};

fn violation(rule: Rule, teacher: Option<&str>, school: Option<&str>, breach: Breach) -> Violation {
    Violation { rule, teacher_id: teacher.map(str::to_string), school_id: school.map(str::to_string), breach }
}

impl Auditor<'_> {
    /// Unknown ids and teachers listed twice (rule 1, `move_once`: each at
    /// most once); the first move of a teacher is the one that counts.
    pub(super) fn resolve(&self, moves: &[ProposedMove], out: &mut Vec<Violation>) -> Vec<Resolved> {
        let mut first: BTreeMap<usize, &str> = BTreeMap::new();
        let mut resolved = Vec::with_capacity(moves.len());
        for m in moves {
            let (id, to_id) = (m.teacher_id.as_str(), m.to_school.as_str());
            let Some(&teacher) = self.teacher_index.get(id.trim()) else {
                out.push(violation(Rule::UnknownTeacher, Some(id), None, Breach::UnknownTeacher));
                continue;
            };
            let Some(to) = self.county.school_pos(to_id.trim()) else {
                out.push(violation(Rule::UnknownSchool, Some(id), Some(to_id), Breach::UnknownSchool));
                continue;
            };
            if let Some(earlier) = first.get(&teacher) {
                let breach = Breach::MovedTwice { first: earlier.to_string(), again: to_id.to_string() };
                out.push(violation(Rule::MoveOnce, Some(id), Some(to_id), breach));
                continue;
            }
            first.insert(teacher, to_id);
            resolved.push(Resolved { teacher, from: self.home[teacher], to });
        }
        resolved
    }

    /// Rules 1 and 2 for one move. Returns whether the move changes the
    /// teacher's school (a move to the own school does not).
    pub(super) fn check_move(&self, m: &Resolved, out: &mut Vec<Violation>) -> bool {
        if !self.rule_own_school(m, out) {
            return false;
        }
        self.rule_eligibility(m, out);
        self.rule_section(m, out);
        self.rule_distance(m, out);
        self.rule_alliance(m, out);
        true
    }

    /// Rule 1 (`own_school`): never to the own school (nor its other section).
    fn rule_own_school(&self, m: &Resolved, out: &mut Vec<Violation>) -> bool {
        if m.from != Some(m.to) {
            return true;
        }
        let (teacher, to) = (&self.county.teachers[m.teacher], &self.county.schools[m.to]);
        out.push(violation(Rule::OwnSchool, Some(&teacher.id), Some(&to.id), Breach::OwnSchool));
        false
    }

    /// Rule 1 (`eligibility`): only eligible teachers move.
    fn rule_eligibility(&self, m: &Resolved, out: &mut Vec<Violation>) {
        let t = &self.county.teachers[m.teacher];
        for reason in &self.reasons[m.teacher] {
            let breach = Breach::Ineligible {
                reason: reason.clone(),
                since: t.school_since,
                born: t.birth_year,
                gender: t.gender,
                year: self.county.policy.year,
                last_rotated: t.last_rotated,
            };
            out.push(violation(Rule::Eligibility, Some(&t.id), Some(&t.school_id), breach));
        }
    }

    /// Rule 2 (`section`): the destination has the teacher's section.
    fn rule_section(&self, m: &Resolved, out: &mut Vec<Violation>) {
        let (teacher, to) = (&self.county.teachers[m.teacher], &self.county.schools[m.to]);
        if !to.has(teacher.level) {
            let breach = Breach::NoSection { kind: to.kind, level: teacher.level };
            out.push(violation(Rule::Section, Some(&teacher.id), Some(&to.id), breach));
        }
    }

    /// Rule 2 (`distance`): with roads.csv a road path (SPEC §2), and with
    /// max_distance_km > 0 a known distance within it.
    fn rule_distance(&self, m: &Resolved, out: &mut Vec<Violation>) {
        let (teacher, to) = (&self.county.teachers[m.teacher], &self.county.schools[m.to]);
        let limit = self.county.policy.movement.max_distance_km;
        let from = teacher.school_id.clone();
        let breach = if m.from.is_some_and(|f| !self.distances.joined(f, m.to)) {
            Some(Breach::NoRoadPath { from })
        } else if limit > 0.0 {
            match m.from.and_then(|f| self.distances.km(f, m.to)) {
                None => Some(Breach::UnknownDistance { from, limit }),
                Some(km) if km > limit => Some(Breach::TooFar { from, km, limit }),
                Some(_) => None,
            }
        } else {
            None
        };
        if let Some(breach) = breach {
            out.push(violation(Rule::Distance, Some(&teacher.id), Some(&to.id), breach));
        }
    }

    /// Rule 2 (`alliance`): with within_alliance, both schools in one non-empty alliance.
    fn rule_alliance(&self, m: &Resolved, out: &mut Vec<Violation>) {
        if !self.county.policy.movement.within_alliance {
            return;
        }
        let (teacher, to) = (&self.county.teachers[m.teacher], &self.county.schools[m.to]);
        let named = |a: Option<&String>| a.filter(|a| !a.trim().is_empty()).cloned();
        let from_alliance = named(m.from.and_then(|f| self.county.schools[f].alliance.as_ref()));
        let to_alliance = named(to.alliance.as_ref());
        if from_alliance.is_none() || from_alliance != to_alliance {
            let breach = Breach::OtherAlliance { from: teacher.school_id.clone(), from_alliance, to_alliance };
            out.push(violation(Rule::Alliance, Some(&teacher.id), Some(&to.id), breach));
        }
    }

    /// Returns: a teacher due to return does not rotate (the move is
    /// reported and stands for the figures); every due return not in
    /// `extended` happens, an extended one only with `exchange.returns =
    /// "optional"`; only due returns can be extended. Returns the returns
    /// that happen, as moves from the host to home.
    pub(super) fn rule_returns(
        &self,
        moves: &[Resolved],
        extended: &[String],
        out: &mut Vec<Violation>,
    ) -> Vec<Resolved> {
        use crate::domain::policy::ReturnsMode;
        let county = self.county;
        let optional = county.policy.exchange.returns == ReturnsMode::Optional;
        let mut happen = Vec::new();
        for r in &self.returns {
            let t = &county.teachers[r.teacher];
            let home = &county.schools[r.home].id;
            if moves.iter().any(|m| m.teacher == r.teacher) {
                let breach = Breach::OnExchange { end_year: r.end_year };
                out.push(violation(Rule::Returns, Some(&t.id), Some(home), breach));
                continue;
            }
            if extended.iter().any(|id| id.trim() == t.id) {
                if !optional {
                    let breach = Breach::ReturnMissing { end_year: r.end_year };
                    out.push(violation(Rule::Returns, Some(&t.id), Some(home), breach));
                }
                continue;
            }
            happen.push(Resolved { teacher: r.teacher, from: self.home[r.teacher], to: r.home });
        }
        for id in extended {
            if !self.returns.iter().any(|r| county.teachers[r.teacher].id == id.trim()) {
                out.push(violation(Rule::Returns, Some(id), None, Breach::NoReturnDue));
            }
        }
        happen
    }

    /// Rule 3: ⌈min_share × E⌉ ≤ moves ≤ ⌈max_share × E⌉.
    pub(super) fn rule_rotation_share(&self, moves: usize, out: &mut Vec<Violation>) {
        let rotation = &self.county.policy.rotation;
        let eligible = self.eligible;
        if (moves as u64) < self.min_moves as u64 {
            let breach = Breach::TooFewMoves { moves, least: self.min_moves, share: rotation.min_share, eligible };
            out.push(violation(Rule::RotationShare, None, None, breach));
        }
        if moves as u64 > self.max_moves as u64 {
            let breach = Breach::TooManyMoves { moves, most: self.max_moves, share: rotation.max_share, eligible };
            out.push(violation(Rule::RotationShare, None, None, breach));
        }
    }

    /// Rule `principals`: ⌈principals.min_share × E_p⌉ ≤ principals' and
    /// vice principals' moves ≤ ⌈principals.max_share × E_p⌉, and at every
    /// school the arrivals of each role equal its departures. Returns the
    /// principals' moves.
    pub(super) fn rule_principals(&self, moves: &[Resolved], out: &mut Vec<Violation>) -> usize {
        let county = self.county;
        let p = &county.policy.principals;
        // Per (school, role): (arrivals, departures).
        let mut flow: BTreeMap<(usize, Role), (u32, u32)> = BTreeMap::new();
        let mut moved = 0;
        for m in moves {
            let role = county.teachers[m.teacher].role;
            if role == Role::Teacher {
                continue;
            }
            moved += 1;
            flow.entry((m.to, role)).or_default().0 += 1;
            if let Some(from) = m.from {
                flow.entry((from, role)).or_default().1 += 1;
            }
        }
        let eligible = self.principals_eligible;
        let e = Exact::from_integer(eligible as i128);
        let (least, most) = (ceil_exact(p.min_share * e), ceil_exact(p.max_share * e));
        if (moved as u64) < least as u64 {
            let breach =
                Breach::PrincipalMoves { moves: moved, bound: least, share: p.min_share, eligible, least: true };
            out.push(violation(Rule::Principals, None, None, breach));
        }
        if moved as u64 > most as u64 {
            let breach =
                Breach::PrincipalMoves { moves: moved, bound: most, share: p.max_share, eligible, least: false };
            out.push(violation(Rule::Principals, None, None, breach));
        }
        for ((school, role), (arrivals, departures)) in flow {
            if arrivals != departures {
                let breach = Breach::RoleUnbalanced { role, arrivals, departures };
                out.push(violation(Rule::Principals, None, Some(&county.schools[school].id), breach));
            }
        }
        moved
    }

    /// Rule 4: backbone moves ≥ backbone_min_share × moves, exactly.
    pub(super) fn rule_backbone_share(&self, moves: usize, backbone: usize, out: &mut Vec<Violation>) {
        let share = self.county.policy.rotation.backbone_min_share;
        let needed = share * Exact::from_integer(moves as i128);
        if Exact::from_integer(backbone as i128) < needed {
            let breach = Breach::BackboneShort { backbone, moves, share, needed, whole: ceil_exact(needed) };
            out.push(violation(Rule::BackboneShare, None, None, breach));
        }
    }

    /// `direction`: moves from urban and town schools to rural ones ≥
    /// to_rural_min_share × moves, and the same among backbone moves, exactly.
    pub(super) fn rule_direction(&self, moves: &[Resolved], out: &mut Vec<Violation>) {
        let share = self.county.policy.rotation.to_rural_min_share;
        let pairs = moves.iter().filter_map(|m| m.from.map(|from| (m.teacher, from, m.to)));
        let direction = crate::rules::direction::Direction::of_moves(self.county, pairs);
        for backbone in [false, true] {
            if let Some(needed) = direction.shortfall(share, backbone) {
                let (to_rural, moves) = (direction.to_rural(backbone), direction.total(backbone));
                let breach =
                    Breach::ToRuralShort { backbone, to_rural, moves, share, needed, whole: ceil_exact(needed) };
                out.push(violation(Rule::Direction, None, None, breach));
            }
        }
    }

    /// Rule 5a: every school section, |arrivals − departures| ≤ headcount_tolerance.
    pub(super) fn rule_headcount_balance(&self, moves: &[Resolved], out: &mut Vec<Violation>) {
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
                let breach = Breach::Unbalanced { level, arrivals, departures, tolerance };
                out.push(violation(Rule::HeadcountBalance, None, Some(&county.schools[school].id), breach));
            }
        }
    }

    /// Rule 5b: where staff_quota is given, headcount after ≤ max(quota, before).
    pub(super) fn rule_staff_quota(&self, placement: &[Option<usize>], out: &mut Vec<Violation>) {
        let mut after = vec![0u32; self.county.schools.len()];
        for pos in placement.iter().flatten() {
            after[*pos] += 1;
        }
        for (pos, school) in self.county.schools.iter().enumerate() {
            let Some(quota) = school.staff_quota else { continue };
            let before = self.headcount_before[pos];
            if after[pos] > quota.max(before) {
                let breach = Breach::OverQuota { after: after[pos], before, quota };
                out.push(violation(Rule::StaffQuota, None, Some(&school.id), breach));
            }
        }
    }

    /// Rule 6: in every section, counted or not, full-time teachers of each
    /// subject after ≥ min(before, need).
    pub(super) fn rule_subject_floor(&self, placement: &[Option<usize>], out: &mut Vec<Violation>) {
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
                    if has < had.min(need) {
                        let breach = Breach::BelowFloor { level, subject, after: has, before: had, need, source };
                        out.push(violation(Rule::SubjectFloor, None, Some(&school.id), breach));
                    }
                }
            }
        }
    }

    /// The subject-gaps stage's value (issue 15): Σ over every section,
    /// counted or not, and subject of max(0, need − full-time teachers of
    /// the subject after the plan).
    pub(super) fn subject_gaps(&self, placement: &[Option<usize>]) -> u32 {
        let county = self.county;
        let mut after: BTreeMap<(usize, Level, Subject), u32> = BTreeMap::new();
        for (i, t) in county.teachers.iter().enumerate() {
            if let (Some(pos), true) = (placement[i], t.full_time) {
                *after.entry((pos, t.level, t.subject)).or_default() += 1;
            }
        }
        let mut missing = 0;
        for (pos, school) in county.schools.iter().enumerate() {
            for &level in school.kind.levels() {
                for &(subject, _, _) in Subject::ALL {
                    let (need, _) = self.subject_need(pos, level, subject);
                    missing += need.saturating_sub(after.get(&(pos, level, subject)).copied().unwrap_or(0));
                }
            }
        }
        missing
    }

    /// The need of a subject in a section and where it comes from:
    /// staffing.csv, else ⌈classes × periods / load⌉ exactly.
    fn subject_need(&self, pos: usize, level: Level, subject: Subject) -> (u32, NeedSource) {
        let county = self.county;
        let school = &county.schools[pos];
        if let Some(o) =
            county.staffing.iter().find(|o| o.school_id == school.id && o.level == level && o.subject == subject)
        {
            return (o.need, NeedSource::Staffing);
        }
        let staffing = &county.policy.staffing;
        let periods = match level {
            Level::Primary => staffing.periods.primary.get(&subject),
            Level::Junior => staffing.periods.junior.get(&subject),
        };
        let Some(periods) = periods else {
            return (0, NeedSource::NoPeriods);
        };
        let classes = school.classes[level.index()];
        let load = staffing.load.get(level);
        let need = ceil_exact(Exact::from_integer(classes as i128) * periods / load);
        (need, NeedSource::Periods { classes, periods: *periods, load })
    }

    /// Rule 7: every lock of locks.csv holds.
    pub(super) fn rule_locks(&self, placement: &[Option<usize>], out: &mut Vec<Violation>) {
        use crate::domain::LockAction;
        let county = self.county;
        for lock in &county.locks {
            let Some(&teacher) = self.teacher_index.get(lock.teacher_id.as_str()) else { continue };
            if self.returns.iter().any(|r| r.teacher == teacher) {
                continue; // a lock is about rotating; a due return is checked by rule returns
            }
            let now = placement[teacher];
            let moved = now != self.home[teacher];
            let target = lock.school_id.as_deref().and_then(|id| county.school_pos(id));
            let broken = match lock.action {
                LockAction::Stay => moved,
                LockAction::Move => !moved,
                LockAction::MoveTo => target.is_none() || now != target,
                LockAction::Forbid => moved && target.is_some() && now == target,
            };
            if broken {
                let breach = Breach::LockBroken {
                    action: lock.action,
                    home: county.teachers[teacher].school_id.clone(),
                    now: now.map(|p| county.schools[p].id.clone()),
                    moved,
                    note: lock.note.trim().to_string(),
                };
                out.push(violation(Rule::Locks, Some(&lock.teacher_id), lock.school_id.as_deref(), breach));
            }
        }
    }
}
