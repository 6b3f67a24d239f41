//! Changes to a county that a user or a command proposes: new hires whose
//! schools the optimizer picks, degree upgrades and backbone designations
//! of named teachers, and moves of an edited plan list.

use crate::domain::{Backbone, Degree, Level, Subject, Teacher, Title};

/// Most new hires a scenario may place: a county hires a few dozen teachers
/// a year, and the model grows with hires × sections (1,000 hires in a
/// scenario on data/anze: 0.42 GB).
pub const MOST_HIRES: u32 = 1_000;

/// A group of identical new hires whose schools the optimizer picks (SPEC §7).
#[derive(Clone, Debug, PartialEq)]
pub struct HireGroup {
    /// Section.
    pub level: Level,
    /// Subject.
    pub subject: Subject,
    /// Degree.
    pub degree: Degree,
    /// Backbone level.
    pub backbone: Backbone,
    /// Title.
    pub title: Option<Title>,
    /// Ids of the hires (`H001` …), in order; in a hires search, the most of this kind.
    pub ids: Vec<String>,
    /// The only school this group may go to (None: any school with the section).
    pub school: Option<usize>,
}

impl HireGroup {
    /// Which teacher indicators a hire of this group counts toward.
    pub fn flags(&self) -> [bool; 3] {
        [self.degree.is_higher_for(self.level), self.backbone.is_backbone(), self.subject.is_pe_arts()]
    }
}

/// A lever besides moves that changes a teacher in place (issue 15 item 7).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Lever {
    /// In-service degree upgrading: the teacher reaches the lowest degree
    /// above the one required for the section (primary: associate; junior:
    /// bachelor).
    Upgrade,
    /// The teacher is named a county-level backbone teacher.
    Designate,
}

impl Lever {
    /// Both levers, in the order they are applied.
    pub const BOTH: [Lever; 2] = [Lever::Upgrade, Lever::Designate];

    /// Stable id (the scenario table's name, levers.csv's `lever`).
    pub fn id(self) -> &'static str {
        match self {
            Lever::Upgrade => "upgrade",
            Lever::Designate => "designate",
        }
    }

    /// The teacher indicator the lever raises (0: higher degree, 1: backbone).
    pub fn indicator(self) -> usize {
        match self {
            Lever::Upgrade => 0,
            Lever::Designate => 1,
        }
    }

    /// Whether the teacher already has what the lever gives.
    pub fn has(self, teacher: &Teacher) -> bool {
        match self {
            Lever::Upgrade => teacher.degree.is_higher_for(teacher.level),
            Lever::Designate => teacher.backbone.is_backbone(),
        }
    }

    /// The teacher after the lever.
    pub fn apply(self, teacher: &mut Teacher) {
        if self.has(teacher) {
            return;
        }
        match self {
            Lever::Upgrade => {
                teacher.degree = match teacher.level {
                    Level::Primary => Degree::Associate,
                    Level::Junior => Degree::Bachelor,
                }
            }
            Lever::Designate => teacher.backbone = Backbone::County,
        }
    }
}

/// One lever applied to named teachers (a scenario's `[[upgrade]]` or
/// `[[designate]]` entry, with the teachers it chose).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LeverChange {
    /// Which lever.
    pub lever: Lever,
    /// The school of a `school` + `count` entry (None: teachers named).
    pub school: Option<String>,
    /// The teachers changed, in the order chosen.
    pub teacher_ids: Vec<String>,
}

/// One move of a proposed plan: a teacher (by id) to a school (by id).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ProposedMove {
    /// 教师编号 of the teacher who moves.
    pub teacher_id: String,
    /// 学校代码 of the destination.
    pub to_school: String,
}

impl ProposedMove {
    /// A move of `teacher_id` to `to_school`.
    pub fn new(teacher_id: impl Into<String>, to_school: impl Into<String>) -> ProposedMove {
        ProposedMove { teacher_id: teacher_id.into(), to_school: to_school.into() }
    }
}

/// How one teacher's line differs between two lists of moves (a published
/// list and the list now, or an edited list and the optimizer's).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ListChange {
    /// In the new list only: the teacher now moves to `to`.
    Added {
        /// 教师编号.
        teacher_id: String,
        /// Destination in the new list.
        to: String,
    },
    /// In the old list only: the teacher no longer moves.
    Dropped {
        /// 教师编号.
        teacher_id: String,
        /// Destination in the old list.
        was: String,
    },
    /// In both, to different schools.
    Redirected {
        /// 教师编号.
        teacher_id: String,
        /// Destination in the old list.
        was: String,
        /// Destination in the new list.
        to: String,
    },
}

impl ListChange {
    /// The teacher whose line changed.
    pub fn teacher_id(&self) -> &str {
        match self {
            ListChange::Added { teacher_id, .. }
            | ListChange::Dropped { teacher_id, .. }
            | ListChange::Redirected { teacher_id, .. } => teacher_id,
        }
    }
}

/// Every teacher whose line differs between `old` and `new`, by teacher id:
/// added, dropped or sent elsewhere. A teacher listed twice in one list is
/// read at their first line (lists are validated before they get here).
pub fn list_changes(old: &[ProposedMove], new: &[ProposedMove]) -> Vec<ListChange> {
    use std::collections::BTreeMap;
    let index = |list: &[ProposedMove]| {
        let mut map: BTreeMap<String, String> = BTreeMap::new();
        for m in list {
            map.entry(m.teacher_id.clone()).or_insert_with(|| m.to_school.clone());
        }
        map
    };
    let (old, new) = (index(old), index(new));
    let mut out = Vec::new();
    for (teacher_id, was) in &old {
        match new.get(teacher_id) {
            None => out.push(ListChange::Dropped { teacher_id: teacher_id.clone(), was: was.clone() }),
            Some(to) if to != was => {
                out.push(ListChange::Redirected { teacher_id: teacher_id.clone(), was: was.clone(), to: to.clone() })
            }
            Some(_) => {}
        }
    }
    for (teacher_id, to) in &new {
        if !old.contains_key(teacher_id) {
            out.push(ListChange::Added { teacher_id: teacher_id.clone(), to: to.clone() });
        }
    }
    out.sort_by(|a, b| a.teacher_id().cmp(b.teacher_id()));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_changes_names_added_dropped_and_redirected_teachers() {
        let old = [ProposedMove::new("T1", "S2"), ProposedMove::new("T2", "S3"), ProposedMove::new("T3", "S1")];
        let new = [ProposedMove::new("T1", "S2"), ProposedMove::new("T2", "S4"), ProposedMove::new("T4", "S1")];
        let changes = list_changes(&old, &new);
        assert_eq!(
            changes,
            vec![
                ListChange::Redirected { teacher_id: "T2".into(), was: "S3".into(), to: "S4".into() },
                ListChange::Dropped { teacher_id: "T3".into(), was: "S1".into() },
                ListChange::Added { teacher_id: "T4".into(), to: "S1".into() },
            ]
        );
        assert!(list_changes(&new, &new).is_empty());
    }
}
