//! The teachers' own voice: applications with ranked wishes (交流申请), and
//! family ties that a plan must keep (家庭).

use super::{County, Exact};

/// Most wishes one application may list (`wish_1` … `wish_5`).
pub const MAX_WISHES: usize = 5;

/// One row of applications.csv.
#[derive(Clone, Debug, PartialEq)]
pub struct Application {
    /// Teacher id.
    pub teacher_id: String,
    /// Whether the teacher volunteers to move this year.
    pub volunteer: bool,
    /// School ids of the wishes, first wish first (at most [`MAX_WISHES`],
    /// each a school of the teacher's level other than the teacher's own).
    pub wishes: Vec<String>,
    /// Extra priority points the bureau grants (0 when absent).
    pub extra_points: Exact,
    /// Free text.
    pub note: String,
}

/// What a family tie asks of the plan.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum FamilyRule {
    /// After the plan both teach in schools of the same town.
    SameTown,
    /// After the plan their schools are at most this many km apart (by the
    /// county's distances; an unknown distance does not satisfy it).
    WithinKm(f64),
}

/// One row of family.csv: two teachers of the county whose schools after the
/// plan must satisfy `rule`.
#[derive(Clone, Debug, PartialEq)]
pub struct FamilyTie {
    /// First teacher id.
    pub teacher_a: String,
    /// Second teacher id.
    pub teacher_b: String,
    /// The rule.
    pub rule: FamilyRule,
}

impl County {
    /// The same county with these applications (file order).
    pub fn with_applications(mut self, applications: Vec<Application>) -> County {
        self.applications = applications;
        self.application_index.clear();
        for (i, a) in self.applications.iter().enumerate() {
            self.application_index.entry(a.teacher_id.clone()).or_insert(i);
        }
        self
    }

    /// The same county with these family ties (file order).
    pub fn with_family(mut self, family: Vec<FamilyTie>) -> County {
        self.family = family;
        self
    }

    /// The application of a teacher, if any.
    pub fn application_of(&self, teacher_id: &str) -> Option<&Application> {
        // The index is built by `with_applications`; applications changed
        // in place since then are searched row by row.
        let indexed = self.application_index.len() == self.applications.len();
        match self.application_index.get(teacher_id).and_then(|&i| self.applications.get(i)) {
            Some(a) if a.teacher_id == teacher_id => Some(a),
            None if indexed => None,
            _ => self.applications.iter().find(|a| a.teacher_id == teacher_id),
        }
    }

    /// Whether the county has applications (the wishes stages run only then).
    pub fn has_applications(&self) -> bool {
        !self.applications.is_empty()
    }
}
