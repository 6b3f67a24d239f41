//! `rotaplan quota`: how the county's total staff quota (Σ staff_quota of
//! the schools that give one) could be redistributed across those schools
//! to fit the staffing norms (`rules::norms`), proven optimal by the MILP
//! of `model::quota`; explained per school, written as quota.csv,
//! quota.xlsx and summary.json, with a terminal summary.
//!
//! A school without staff_quota is outside the redistribution: its quota
//! is its norm, shown as such.

use serde_json::json;

use crate::domain::County;
use crate::error::Error;
use crate::model::quota::{QuotaProblem, QuotaStage};
use crate::render::output::{json_bytes, Cell, OutputFiles, Table};
use crate::render::words::Phrase;
use crate::render::Lang;
use crate::rules::norms::{county_norms, headcount_before, SchoolNorm};
use crate::solve::{minimise, SolveOptions, StageStatus};

/// Why a school's proposed quota is what it is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum QuotaReason {
    /// No staff_quota given: the norm is its quota, outside the pool.
    NoQuotaGiven,
    /// Raised to meet the norm with posts from schools above theirs.
    Raised,
    /// Raised, but the county's total is too small to reach the norm.
    RaisedShort,
    /// Lowered by empty posts (空编) above the norm, given to schools below
    /// theirs; the proposed quota still holds every teacher on the roll.
    Lowered,
    /// Lowered below the headcount (在编人数): no empty posts were left to
    /// give, so some teachers are over the proposed quota.
    LoweredBelowHeadcount,
    /// Unchanged, at or above the norm (no school needs its posts).
    Kept,
    /// Unchanged and below the norm: no posts are left to give it.
    KeptShort,
}

impl QuotaReason {
    /// The reason's id (quota.csv's `reason_id`) and words.
    pub fn phrase(self) -> Phrase {
        match self {
            QuotaReason::NoQuotaGiven => Phrase {
                en: "no staff_quota given: the norm is the quota",
                zh: "未填编制数：以标准编制为编制",
            },
            QuotaReason::Raised => Phrase {
                en: "raised to the norm with posts from schools above theirs",
                zh: "增至标准编制，所增编制来自超出标准的学校",
            },
            QuotaReason::RaisedShort => Phrase {
                en: "raised, but the county's total quota cannot reach the norm here",
                zh: "已增加，但全县编制总数不足，仍低于标准编制",
            },
            QuotaReason::Lowered => Phrase {
                en: "empty posts above the norm given to schools below theirs; the quota still holds every teacher on the roll",
                zh: "超出标准的空编调给低于标准的学校；调整后编制仍不少于在编人数",
            },
            QuotaReason::LoweredBelowHeadcount => Phrase {
                en: "lowered below the headcount: no empty posts were left elsewhere, so some teachers are over quota",
                zh: "调减后低于在编人数：其他学校已无空编可调，部分教师超编",
            },
            QuotaReason::Kept => Phrase {
                en: "kept: at or above the norm, no school needs its posts",
                zh: "不变：不低于标准编制，其他学校无需其编制",
            },
            QuotaReason::KeptShort => Phrase {
                en: "kept below the norm: no posts are left to give it",
                zh: "不变但低于标准编制：全县已无可调剂的编制",
            },
        }
    }

    /// The id in quota.csv.
    pub fn id(self) -> &'static str {
        match self {
            QuotaReason::NoQuotaGiven => "no_quota",
            QuotaReason::Raised => "raised",
            QuotaReason::RaisedShort => "raised_short",
            QuotaReason::Lowered => "lowered",
            QuotaReason::LoweredBelowHeadcount => "lowered_below_headcount",
            QuotaReason::Kept => "kept",
            QuotaReason::KeptShort => "kept_short",
        }
    }
}

/// One school of the proposal.
#[derive(Clone, Debug, PartialEq)]
pub struct QuotaRow {
    /// The school's norm and headcount.
    pub norm: SchoolNorm,
    /// The proposed quota.
    pub proposed: u32,
    /// Why.
    pub reason: QuotaReason,
}

/// The proposal.
#[derive(Clone, Debug, PartialEq)]
pub struct QuotaProposal {
    /// One row a school, in school order.
    pub rows: Vec<QuotaRow>,
    /// T: Σ staff_quota given (the pooled total; schools without a quota
    /// are outside it).
    pub total: u64,
    /// Σ norm over the schools with a quota.
    pub norm_total: u64,
    /// Posts below the norm before and after, over the schools with a quota.
    pub short: (u64, u64),
    /// Teachers over quota before and after, over the schools with a quota.
    pub over: (u64, u64),
    /// Posts moved (Σ |proposed − now|).
    pub moved: u64,
    /// Whether both stages were proven optimal.
    pub optimal: bool,
    /// Seconds in the solver.
    pub seconds: f64,
}

/// The reason of a school of the pool.
fn reason(now: u32, proposed: u32, norm: u32, headcount: u32) -> QuotaReason {
    match (proposed.cmp(&now), proposed >= norm) {
        (std::cmp::Ordering::Less, _) if proposed < headcount => QuotaReason::LoweredBelowHeadcount,
        (std::cmp::Ordering::Greater, true) => QuotaReason::Raised,
        (std::cmp::Ordering::Greater, false) => QuotaReason::RaisedShort,
        (std::cmp::Ordering::Less, _) => QuotaReason::Lowered,
        (std::cmp::Ordering::Equal, true) => QuotaReason::Kept,
        (std::cmp::Ordering::Equal, false) => QuotaReason::KeptShort,
    }
}

/// Solves the redistribution (each stage within `time_limit` seconds).
pub fn propose(county: &County, time_limit: f64) -> Result<QuotaProposal, Error> {
    let norms = county_norms(county, &headcount_before(county));
    let pool: Vec<&SchoolNorm> = norms.schools.iter().filter(|s| s.given_quota.is_some()).collect();
    let problem = QuotaProblem {
        current: pool.iter().map(|s| s.quota()).collect(),
        norm: pool.iter().map(|s| s.norm).collect(),
        headcount: pool.iter().map(|s| s.headcount).collect(),
    };
    let (proposed, optimal, seconds) = solve_problem(&problem, time_limit)?;
    let mut pooled = pool.iter().map(|s| s.school).zip(proposed.iter().copied());
    let mut next = pooled.next();
    let mut rows = Vec::with_capacity(norms.schools.len());
    for s in &norms.schools {
        let row = match (s.given_quota, next) {
            (Some(now), Some((school, q))) if school == s.school => {
                next = pooled.next();
                QuotaRow { norm: s.clone(), proposed: q, reason: reason(now, q, s.norm, s.headcount) }
            }
            _ => QuotaRow { norm: s.clone(), proposed: s.norm, reason: QuotaReason::NoQuotaGiven },
        };
        rows.push(row);
    }
    let below = |wanted: &[u32], q: &[u32]| wanted.iter().zip(q).map(|(n, q)| u64::from(n.saturating_sub(*q))).sum();
    Ok(QuotaProposal {
        total: problem.total(),
        norm_total: problem.norm.iter().map(|&n| u64::from(n)).sum(),
        short: (below(&problem.norm, &problem.current), below(&problem.norm, &proposed)),
        over: (below(&problem.headcount, &problem.current), below(&problem.headcount, &proposed)),
        moved: problem.current.iter().zip(&proposed).map(|(c, q)| u64::from(c.abs_diff(*q))).sum(),
        rows,
        optimal,
        seconds,
    })
}

/// The proposed quotas of a problem (fewest posts below the norm, then
/// fewest teachers over quota, then fewest moved), whether proven optimal,
/// and the seconds taken.
pub fn solve_problem(problem: &QuotaProblem, time_limit: f64) -> Result<(Vec<u32>, bool, f64), Error> {
    if problem.current.is_empty() {
        return Ok((Vec::new(), true, 0.0));
    }
    // Every objective is a whole number: an absolute gap below 1 proves it.
    let options = SolveOptions::new(time_limit, 0.0, 0.5);
    let (mut best, mut optimal, mut seconds) = (Vec::new(), true, 0.0);
    let mut proposed = Vec::new();
    for stage in [QuotaStage::Short, QuotaStage::Over, QuotaStage::Moved] {
        let model = problem.build(stage, &best);
        let handles = model.handles.clone();
        let result = minimise(model.vars, model.objective, model.constraints, options, None)?;
        if result.status == StageStatus::Infeasible {
            return Err(Error::Solver(format!("the quota model's stage {stage:?} has no solution")));
        }
        optimal &= result.status == StageStatus::Optimal;
        seconds += result.seconds;
        best.push(result.objective.round().max(0.0) as u64);
        proposed = handles.quota.iter().map(|v| result.value(*v).round().max(0.0) as u32).collect();
    }
    Ok((proposed, optimal, seconds))
}

/// quota.csv (and the workbook's sheet): one row a school.
pub fn quota_table(county: &County, proposal: &QuotaProposal, lang: Lang) -> Table {
    let keys = vec![
        "school_id",
        "name",
        "kind",
        "students",
        "headcount_before",
        "staff_quota",
        "norm",
        "proposed",
        "change",
        "reason_id",
        "reason",
    ];
    let rows = proposal
        .rows
        .iter()
        .map(|r| {
            let school = &county.schools[r.norm.school];
            let change =
                r.norm.given_quota.map_or(Cell::Empty, |now| Cell::Count(i64::from(r.proposed) - i64::from(now)));
            vec![
                Cell::Text(school.id.clone()),
                Cell::Text(school.name.clone()),
                Cell::word(school.kind),
                Cell::Count(r.norm.students.into()),
                Cell::Count(r.norm.headcount.into()),
                r.norm.given_quota.map_or(Cell::Empty, |q| Cell::Count(q.into())),
                Cell::Count(r.norm.norm.into()),
                Cell::Count(r.proposed.into()),
                change,
                Cell::Text(r.reason.id().into()),
                Cell::Text(r.reason.phrase().get(lang).into()),
            ]
        })
        .collect();
    Table { keys, rows }
}

/// quota.csv, quota.xlsx and summary.json.
pub fn files(county: &County, proposal: &QuotaProposal, lang: Lang) -> Result<OutputFiles, Error> {
    let mut files = OutputFiles::new();
    let table = quota_table(county, proposal, lang);
    files.add("quota.csv", table.csv());
    let sheet = lang.pick("编制调整建议", "quota");
    files.add("quota.xlsx", crate::render::xlsx::tables_workbook(&[(sheet, &table)], lang, "quota.xlsx")?);
    let summary = json!({
        "pooled_quota_total": proposal.total,
        "norm_total": proposal.norm_total,
        "schools_with_quota": proposal.rows.iter().filter(|r| r.norm.given_quota.is_some()).count(),
        "schools_without_quota": proposal.rows.iter().filter(|r| r.norm.given_quota.is_none()).count(),
        "short_of_norm": { "before": proposal.short.0, "after": proposal.short.1 },
        "over_quota_teachers": { "before": proposal.over.0, "after": proposal.over.1 },
        "posts_moved": proposal.moved,
        "solver": { "backend": crate::solve::backend_name(), "optimal": proposal.optimal, "seconds": proposal.seconds },
    });
    files.add("summary.json", json_bytes(&summary));
    Ok(files)
}

/// The terminal summary: the totals, the schools whose quota changes and
/// how many schools without a quota keep their norm.
pub fn terminal_summary(county: &County, proposal: &QuotaProposal, lang: Lang) -> String {
    let given = proposal.rows.iter().filter(|r| r.norm.given_quota.is_some()).count();
    let without = proposal.rows.len() - given;
    let optimal = proposal.optimal;
    let (short, over, moved) = (proposal.short, proposal.over, proposal.moved);
    let mut out = match lang {
        Lang::Zh => format!(
            "参与调剂的编制总数 {}（{given} 所学校填了编制数），其标准编制合计 {}；低于标准的编制 {} → {}，超编教师 {} → {}，调剂 {moved} 个编制{}\n",
            proposal.total,
            proposal.norm_total,
            short.0,
            short.1,
            over.0,
            over.1,
            if optimal { "（已证明最优）" } else { "（未证明最优）" },
        ),
        Lang::En => format!(
            "Pooled quota {} ({given} schools give staff_quota), their norms add up to {}; posts below the norm {} → {}, teachers over quota {} → {}, {moved} posts moved{}\n",
            proposal.total,
            proposal.norm_total,
            short.0,
            short.1,
            over.0,
            over.1,
            if optimal { " (proven optimal)" } else { " (not proven optimal)" },
        ),
    };
    for r in proposal.rows.iter() {
        let Some(now) = r.norm.given_quota.filter(|&q| q != r.proposed) else { continue };
        let school = &county.schools[r.norm.school];
        out.push_str(&format!(
            "  {} {}: {now} → {} ({} {}, {} {}) {}\n",
            school.id,
            school.name,
            r.proposed,
            lang.pick("标准", "norm"),
            r.norm.norm,
            lang.pick("在编", "headcount"),
            r.norm.headcount,
            r.reason.phrase().get(lang)
        ));
    }
    if without > 0 {
        out.push_str(&match lang {
            Lang::Zh => format!("  另有 {without} 所学校未填编制数，以标准编制为编制，不参与调剂\n"),
            Lang::En => {
                format!("  {without} schools give no staff_quota: their norm is their quota, outside the pool\n")
            }
        });
    }
    out
}
