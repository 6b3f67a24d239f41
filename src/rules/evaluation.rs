//! The county's standing as it is today (`rotaplan evaluate`): figures,
//! eligibility (render/evaluation.rs words and writes it).

use crate::domain::{County, Role};
use crate::rules::curriculum::SubjectGaps;
use crate::rules::eligibility::{county_ineligibility, Ineligibility};
use crate::rules::indicators::{self, CountyFigures};

/// The county's standing before any plan.
#[derive(Clone, Debug)]
pub struct Evaluation {
    /// Inspection figures.
    pub figures: CountyFigures,
    /// Number of eligible teachers (E; principals and vice principals only
    /// with `principals.count_in_teachers`).
    pub eligible: usize,
    /// ⌈min_share × E⌉.
    pub required_moves: u32,
    /// Eligible principals and vice principals (E_p).
    pub principals_eligible: usize,
    /// ⌈principals.min_share × E_p⌉ and ⌈principals.max_share × E_p⌉.
    pub principal_moves: (u32, u32),
    /// For every teacher who is not eligible (index into `County::teachers`), the reasons.
    pub ineligible: Vec<(usize, Vec<Ineligibility>)>,
    /// Full-time teachers without a teaching certificate (indices into `County::teachers`).
    pub uncertified: Vec<usize>,
    /// Share of full-time teachers with a certificate (None without full-time teachers).
    pub certification_rate: Option<f64>,
    /// Subject teachers missing against the need (开齐开足).
    pub subject_gaps: SubjectGaps,
    /// The figures of each alliance (empty without alliances).
    pub alliances: Vec<crate::rules::alliances::AllianceFigures>,
    /// Staffing norms, class counts, school size and rooms.
    pub norms: crate::rules::norms::Norms,
    /// The title and age structure.
    pub structure: crate::rules::structure::StructureFigures,
}

/// Evaluates the county as it stands.
pub fn evaluate_county(county: &County) -> Evaluation {
    let figures = indicators::evaluate(county);
    let policy = &county.policy;
    let (mut eligible, mut principals) = (0, 0);
    let mut ineligible = Vec::new();
    for (i, reasons) in county_ineligibility(county).into_iter().enumerate() {
        let role = county.teachers[i].role;
        if reasons.is_empty() {
            eligible += usize::from(policy.in_teachers_share(role));
            principals += usize::from(role != Role::Teacher);
        } else {
            ineligible.push((i, reasons));
        }
    }
    let required_moves = county.policy.required_moves(eligible);
    let (uncertified, certification_rate) = indicators::certification(county);
    let subject_gaps = crate::rules::curriculum::current_gaps(county);
    let alliances = crate::rules::alliances::alliance_figures(county, &figures, None, &[]);
    let norms = crate::rules::norms::county_norms(county, &crate::rules::norms::headcount_before(county));
    let principal_moves = (policy.required_principal_moves(principals), policy.max_principal_moves(principals));
    let structure = crate::rules::structure::structure_now(county);
    Evaluation {
        figures,
        eligible,
        required_moves,
        principals_eligible: principals,
        principal_moves,
        ineligible,
        uncertified,
        certification_rate,
        subject_gaps,
        alliances,
        norms,
        structure,
    }
}
