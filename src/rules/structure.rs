//! The title and age structure of each school section (county plan item
//! 17: teachers balanced "by title and age structure" beside the three
//! inspection indicators): senior-title teachers (title `senior` 高级 or
//! `professor` 正高级; a missing title is not senior), young teachers (age
//! below `structure.young_under`) and old teachers (age at or above
//! `structure.old_from`), age = policy year − birth year. Counts are of
//! full-time teachers, as the inspection's indicators are; per 100 students
//! and shares are exact, and the county CVs are SPEC §3's student-weighted
//! difference coefficient over the counted sections.

use std::collections::BTreeMap;

use crate::domain::policy::Policy;
use crate::domain::{County, Exact, Level, Teacher, Title};
use crate::exact::to_f64;
use crate::rules::indicators::{difference_coefficient, section_list};

/// The three structure figures.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum StructureFigure {
    /// Senior title (高级 and 正高级).
    Senior,
    /// Younger than `structure.young_under`.
    Young,
    /// At or above `structure.old_from`.
    Old,
}

impl StructureFigure {
    /// All three, in output order.
    pub const ALL: [StructureFigure; 3] = [StructureFigure::Senior, StructureFigure::Young, StructureFigure::Old];

    /// Position 0..3.
    pub fn index(self) -> usize {
        self as usize
    }

    /// The key in files (`senior`, `young`, `old`).
    pub fn key(self) -> &'static str {
        match self {
            StructureFigure::Senior => "senior",
            StructureFigure::Young => "young",
            StructureFigure::Old => "old",
        }
    }
}

/// Whether a title is senior (高级 or 正高级); no title is not.
pub fn is_senior(title: Option<Title>) -> bool {
    matches!(title, Some(Title::Senior | Title::Professor))
}

/// The age band of a teacher born in `birth_year`: 0 young, 1 middle, 2 old.
pub fn age_band(policy: &Policy, birth_year: i32) -> u8 {
    let age = policy.year - birth_year;
    if age < policy.structure.young_under {
        0
    } else if age >= policy.structure.old_from {
        2
    } else {
        1
    }
}

/// Which structure figures a teacher counts toward.
pub fn counts_toward(policy: &Policy, title: Option<Title>, birth_year: i32) -> [bool; 3] {
    let band = age_band(policy, birth_year);
    [is_senior(title), band == 0, band == 2]
}

/// The structure of one school section.
#[derive(Clone, Debug, PartialEq)]
pub struct SectionStructure {
    /// Position of the school in `County::schools`.
    pub school: usize,
    /// The section.
    pub level: Level,
    /// Students of the section.
    pub students: u32,
    /// Whether the section enters the county figures.
    pub counted: bool,
    /// Full-time teachers.
    pub teachers: u32,
    /// Senior, young and old full-time teachers.
    pub counts: [u32; 3],
}

impl SectionStructure {
    /// Count × 100 / students (None without students).
    pub fn per100(&self, figure: StructureFigure) -> Option<Exact> {
        (self.students > 0).then(|| {
            Exact::from_integer(i128::from(self.counts[figure.index()]) * 100)
                / Exact::from_integer(self.students.into())
        })
    }

    /// Count / full-time teachers (None without teachers).
    pub fn share(&self, figure: StructureFigure) -> Option<Exact> {
        (self.teachers > 0).then(|| {
            Exact::from_integer(self.counts[figure.index()].into()) / Exact::from_integer(self.teachers.into())
        })
    }
}

/// One level's county figures of one structure figure.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct StructureLevel {
    /// Student-weighted CV of the per-100 values over counted sections.
    pub cv: Option<f64>,
    /// Student-weighted CV of the shares over counted sections with teachers.
    pub share_cv: Option<f64>,
    /// The counted sections' teachers of the figure over their teachers.
    pub share: Option<Exact>,
    /// Counted sections with students.
    pub sections: usize,
}

/// The county's title and age structure.
#[derive(Clone, Debug, PartialEq)]
pub struct StructureFigures {
    /// Every section, in output order.
    pub sections: Vec<SectionStructure>,
    /// County figures by level and figure.
    pub levels: BTreeMap<(Level, StructureFigure), StructureLevel>,
}

impl StructureFigures {
    /// Σ over levels and figures of CV² of the per-100 values: what the
    /// structure stage minimises (a missing CV counts 0).
    pub fn cv_squares(&self) -> f64 {
        self.levels.values().map(|l| l.cv.map_or(0.0, |v| v * v)).sum()
    }

    /// The section of a school position and level.
    pub fn section(&self, school: usize, level: Level) -> Option<&SectionStructure> {
        self.sections.iter().find(|s| s.school == school && s.level == level)
    }
}

/// The structure of the county with `teachers` placed at `placement`
/// (school positions; None: left the county).
pub fn structure(county: &County, teachers: &[Teacher], placement: &[Option<usize>]) -> StructureFigures {
    let policy = &county.policy;
    let mut counts: BTreeMap<(usize, Level), (u32, [u32; 3])> = BTreeMap::new();
    for (teacher, place) in teachers.iter().zip(placement) {
        let Some(school) = place else { continue };
        if !teacher.full_time {
            continue;
        }
        let entry = counts.entry((*school, teacher.level)).or_default();
        entry.0 += 1;
        for (k, on) in counts_toward(policy, teacher.title, teacher.birth_year).into_iter().enumerate() {
            entry.1[k] += u32::from(on);
        }
    }
    let sections: Vec<SectionStructure> = section_list(county)
        .into_iter()
        .map(|(school, level, excluded)| {
            let (teachers, counts) = counts.get(&(school, level)).copied().unwrap_or_default();
            let students = county.schools[school].students[level.index()];
            SectionStructure { school, level, students, counted: excluded.is_none(), teachers, counts }
        })
        .collect();
    let levels = county_levels(&sections);
    StructureFigures { sections, levels }
}

/// The county's structure as the data stands.
pub fn structure_now(county: &County) -> StructureFigures {
    structure(county, &county.teachers, &crate::rules::indicators::current_placement(county))
}

fn county_levels(sections: &[SectionStructure]) -> BTreeMap<(Level, StructureFigure), StructureLevel> {
    let mut out = BTreeMap::new();
    for level in Level::BOTH {
        let counted: Vec<&SectionStructure> = sections.iter().filter(|s| s.level == level && s.counted).collect();
        let teachers: u32 = counted.iter().map(|s| s.teachers).sum();
        for figure in StructureFigure::ALL {
            let per100: Vec<(f64, f64)> =
                counted.iter().filter_map(|s| s.per100(figure).map(|v| (f64::from(s.students), to_f64(&v)))).collect();
            let shares: Vec<(f64, f64)> =
                counted.iter().filter_map(|s| s.share(figure).map(|v| (f64::from(s.students), to_f64(&v)))).collect();
            let of_figure: u32 = counted.iter().map(|s| s.counts[figure.index()]).sum();
            let share =
                (teachers > 0).then(|| Exact::from_integer(of_figure.into()) / Exact::from_integer(teachers.into()));
            let cv = difference_coefficient(&per100);
            let share_cv = difference_coefficient(&shares);
            out.insert((level, figure), StructureLevel { cv, share_cv, share, sections: per100.len() });
        }
    }
    out
}
