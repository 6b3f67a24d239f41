//! The county's standing as it is today (`rotaplan evaluate`): figures,
//! eligibility (render/evaluation.rs words and writes it).

use crate::domain::County;
use crate::rules::eligibility::{county_ineligibility, Ineligibility};
use crate::rules::indicators::{self, CountyFigures};

/// The county's standing before any plan.
#[derive(Clone, Debug)]
pub struct Evaluation {
    /// Inspection figures.
    pub figures: CountyFigures,
    /// Number of eligible teachers (E).
    pub eligible: usize,
    /// ⌈min_share × E⌉.
    pub required_moves: u32,
    /// For every teacher who is not eligible (index into `County::teachers`), the reasons.
    pub ineligible: Vec<(usize, Vec<Ineligibility>)>,
    /// Full-time teachers without a teaching certificate (indices into `County::teachers`).
    pub uncertified: Vec<usize>,
    /// Share of full-time teachers with a certificate (None without full-time teachers).
    pub certification_rate: Option<f64>,
    /// The title and age structure.
    pub structure: crate::rules::structure::StructureFigures,
}

/// Evaluates the county as it stands.
pub fn evaluate_county(county: &County) -> Evaluation {
    let figures = indicators::evaluate(county);
    let mut eligible = 0;
    let mut ineligible = Vec::new();
    for (i, reasons) in county_ineligibility(county).into_iter().enumerate() {
        if reasons.is_empty() {
            eligible += 1;
        } else {
            ineligible.push((i, reasons));
        }
    }
    let required_moves = county.policy.required_moves(eligible);
    let (uncertified, certification_rate) = indicators::certification(county);
    let structure = crate::rules::structure::structure_now(county);
    Evaluation { figures, eligible, required_moves, ineligible, uncertified, certification_rate, structure }
}
