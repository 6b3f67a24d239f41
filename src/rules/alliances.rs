//! Figures per urban–rural alliance (城乡教育联盟, schools.csv `alliance`;
//! county plan item 3): its schools and sections, counted sections that
//! comply before and after a plan, the teacher indicators per 100 students
//! of its counted sections, and the moves within it and between alliances.

use std::collections::BTreeMap;

use crate::domain::{County, Exact, Level};
use crate::rules::indicators::{CountyFigures, SectionFigures};

/// One section (primary or junior) of an alliance, over its schools.
#[derive(Clone, Debug, PartialEq)]
pub struct AllianceLevel {
    /// The section.
    pub level: Level,
    /// School sections of this level in the alliance.
    pub sections: usize,
    /// Of those, counted in the county figures.
    pub counted: usize,
    /// Counted sections that comply before.
    pub compliant_before: usize,
    /// Counted sections that comply after the plan (None without a plan).
    pub compliant_after: Option<usize>,
    /// Students of the counted sections.
    pub students: u32,
    /// Teacher indicator counts of the counted sections before, by
    /// `TeacherIndicator::index`.
    pub before: [u32; 3],
    /// The same after the plan (None without a plan).
    pub after: Option<[u32; 3]>,
}

impl AllianceLevel {
    /// 100 × count / students of an indicator, exactly (None without students).
    pub fn per100(&self, k: usize, after: bool) -> Option<Exact> {
        let counts = if after { self.after? } else { self.before };
        (self.students > 0)
            .then(|| Exact::from_integer(100 * i128::from(counts[k])) / Exact::from_integer(i128::from(self.students)))
    }
}

/// The figures of one alliance.
#[derive(Clone, Debug, PartialEq)]
pub struct AllianceFigures {
    /// The alliance id.
    pub id: String,
    /// Its schools (positions in the county, in county order).
    pub schools: Vec<usize>,
    /// Its sections, primary first (only levels it has).
    pub levels: Vec<AllianceLevel>,
    /// Moves between two schools of the alliance.
    pub moves_within: u32,
    /// Moves from a school of the alliance to a school of another alliance or of none.
    pub moves_out: u32,
    /// Moves into a school of the alliance from another alliance or from none.
    pub moves_in: u32,
}

/// The figures of every alliance, by alliance id (empty when no school names
/// one). `moves` are (teacher, from school, to school) by position.
pub fn alliance_figures(
    county: &County,
    before: &CountyFigures,
    after: Option<&CountyFigures>,
    moves: &[(usize, usize, usize)],
) -> Vec<AllianceFigures> {
    let mut by_id: BTreeMap<&str, AllianceFigures> = BTreeMap::new();
    for (pos, school) in county.schools.iter().enumerate() {
        if let Some(id) = school.alliance.as_deref() {
            let entry = by_id.entry(id).or_insert_with(|| AllianceFigures {
                id: id.to_string(),
                schools: Vec::new(),
                levels: Vec::new(),
                moves_within: 0,
                moves_out: 0,
                moves_in: 0,
            });
            entry.schools.push(pos);
        }
    }
    if by_id.is_empty() {
        return Vec::new();
    }
    let (before, after) = (by_section(before), after.map(by_section));
    for a in by_id.values_mut() {
        a.levels = Level::BOTH.iter().filter_map(|&level| level_figures(a, level, &before, after.as_ref())).collect();
    }
    for &(_, from, to) in moves {
        let (f, t) = (county.schools[from].alliance.as_deref(), county.schools[to].alliance.as_deref());
        if f.is_some() && f == t {
            if let Some(a) = f.and_then(|id| by_id.get_mut(id)) {
                a.moves_within += 1;
            }
            continue;
        }
        if let Some(a) = f.and_then(|id| by_id.get_mut(id)) {
            a.moves_out += 1;
        }
        if let Some(a) = t.and_then(|id| by_id.get_mut(id)) {
            a.moves_in += 1;
        }
    }
    by_id.into_values().collect()
}

/// The sections of figures by (school, level).
type BySection<'f> = BTreeMap<(usize, Level), &'f SectionFigures>;

fn by_section(figures: &CountyFigures) -> BySection<'_> {
    figures.sections.iter().map(|s| ((s.school, s.level), s)).collect()
}

/// One level of an alliance; None when none of its schools has the level.
fn level_figures(
    a: &AllianceFigures,
    level: Level,
    before: &BySection,
    after: Option<&BySection>,
) -> Option<AllianceLevel> {
    let of = |figures: &BySection| -> Vec<SectionFigures> {
        a.schools.iter().filter_map(|&s| figures.get(&(s, level)).map(|f| (*f).clone())).collect()
    };
    let sections = of(before);
    if sections.is_empty() {
        return None;
    }
    let counted: Vec<&SectionFigures> = sections.iter().filter(|s| s.counted).collect();
    let sum = |list: &[SectionFigures]| {
        let mut out = [0u32; 3];
        for s in list.iter().filter(|s| s.counted) {
            for (k, n) in s.counts.indicator.iter().enumerate() {
                out[k] += n;
            }
        }
        out
    };
    let compliant = |list: &[SectionFigures]| list.iter().filter(|s| s.counted && s.compliant == Some(true)).count();
    let later = after.map(of);
    Some(AllianceLevel {
        level,
        sections: sections.len(),
        counted: counted.len(),
        compliant_before: compliant(&sections),
        compliant_after: later.as_deref().map(compliant),
        students: counted.iter().map(|s| s.students).sum(),
        before: sum(&sections),
        after: later.as_deref().map(sum),
    })
}
