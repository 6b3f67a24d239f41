//! A rotation list a person edited, as a [`Plan`]: so that `score` writes
//! for it the same files as for the optimizer's plan (report, workbook,
//! CSV, summary). The moves are read the way the independent audit reads
//! them — ids trimmed, unknown teachers and schools left out, a teacher's
//! first line kept, a move to the own school left out — and the figures
//! come from `rules::indicators`. A hand-made plan has no stage reports:
//! [`Plan::is_hand_made`] is true and it never claims to be proven.

use std::collections::{BTreeSet, HashMap};

use crate::domain::changes::ProposedMove;
use crate::domain::County;
use crate::rules::audit::Auditor;
use crate::rules::distance::Distances;
use crate::rules::indicators::{count_sections, evaluate, figures};

use super::flows::returns_of;
use super::{apply_returns, roster_after, Move, Plan};
use crate::model::Instance;

/// The moves of an edited list as the audit counts them, sorted like the
/// optimizer's (by from-school id, then teacher id).
pub fn list_moves(county: &County, list: &[ProposedMove]) -> Vec<Move> {
    let distances = Distances::new(county);
    let mut seen = BTreeSet::new();
    let index: HashMap<&str, usize> = county.teachers.iter().enumerate().map(|(i, t)| (t.id.as_str(), i)).collect();
    let mut moves = Vec::with_capacity(list.len());
    for m in list {
        let Some(&teacher) = index.get(m.teacher_id.trim()) else { continue };
        let Some(to) = county.school_pos(m.to_school.trim()) else { continue };
        if !seen.insert(teacher) {
            continue;
        }
        let t = &county.teachers[teacher];
        let Some(from) = county.school_pos(&t.school_id) else { continue };
        if from == to {
            continue;
        }
        // A hand-made move was picked from no profile: explanations then
        // claim no choice among colleagues (see `Plan::profile_sizes`).
        moves.push(Move { teacher, from, to, level: t.level, km: distances.km(from, to), profile: usize::MAX });
    }
    moves.sort_by(|a, b| {
        county.schools[a.from]
            .id
            .cmp(&county.schools[b.from].id)
            .then_with(|| county.teachers[a.teacher].id.cmp(&county.teachers[b.teacher].id))
    });
    moves
}

/// The plan of an edited rotation list: its moves with their distances,
/// every return due this year (an edited list does not extend one), the
/// county's figures before and after, the rotation bounds; no stage
/// reports and no solver time.
pub fn hand_made_plan(county: &County, list: &[ProposedMove]) -> Plan {
    hand_made_plan_with(county, list, &[])
}

/// [`hand_made_plan`] of a list that extends the due returns of the
/// teachers `extended` (by id) by one year.
pub fn hand_made_plan_with(county: &County, list: &[ProposedMove], extended: &[String]) -> Plan {
    let moves = list_moves(county, list);
    let inst = Instance::new(county, Vec::new());
    let returned: Vec<bool> = inst.returns.iter().map(|r| !extended.contains(&county.teachers[r.teacher].id)).collect();
    let returns = returns_of(&inst, &returned);
    let (teachers, mut placement) = roster_after(county, &moves, &[], &[]);
    apply_returns(&mut placement, &returns);
    let after = figures(county, &count_sections(county, &teachers, &placement));
    let gaps_after = crate::rules::curriculum::subject_gaps(county, &teachers, &placement);
    let auditor = Auditor::new(county);
    let (required_moves, max_moves) = auditor.move_bounds();
    Plan {
        moves,
        returns,
        hires: Vec::new(),
        hire_groups: Vec::new(),
        stages: Vec::new(),
        before: evaluate(county),
        after,
        eligible: auditor.eligible(),
        required_moves,
        max_moves,
        principals: super::PrincipalBounds::of(county, auditor.principals_eligible()),
        profile_sizes: Vec::new(),
        seconds: 0.0,
        gaps_before: crate::rules::curriculum::current_gaps(county),
        gaps_after,
    }
}
