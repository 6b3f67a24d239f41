//! Changes to a county that a user or a command proposes: new hires whose
//! schools the optimizer picks, and moves of an edited plan list.

use crate::domain::{Backbone, Degree, Level, Subject, Title};

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
