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
use crate::model::quota::QuotaProblem;
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
    /// Lowered: posts above the norm given to schools below theirs.
    Lowered,
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
                en: "posts above the norm given to schools below theirs",
                zh: "超出标准的编制调给低于标准的学校",
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
    /// T: Σ staff_quota given.
    pub total: u32,
    /// Σ norm over the schools with a quota.
    pub norm_total: u32,
    /// Posts below the norm before and after, over the schools with a quota.
    pub short: (u32, u32),
    /// Posts moved (Σ |proposed − now|).
    pub moved: u32,
    /// Whether both stages were proven optimal.
    pub optimal: bool,
    /// Seconds in the solver.
    pub seconds: f64,
}

/// The reason of a school of the pool.
fn reason(now: u32, proposed: u32, norm: u32) -> QuotaReason {
    match (proposed.cmp(&now), proposed >= norm) {
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
    let problem =
        QuotaProblem { current: pool.iter().map(|s| s.quota()).collect(), norm: pool.iter().map(|s| s.norm).collect() };
    let (proposed, optimal, seconds) = solve_problem(&problem, time_limit)?;
    let mut pooled = pool.iter().map(|s| s.school).zip(proposed.iter().copied());
    let mut next = pooled.next();
    let mut rows = Vec::with_capacity(norms.schools.len());
    for s in &norms.schools {
        let row = match (s.given_quota, next) {
            (Some(now), Some((school, q))) if school == s.school => {
                next = pooled.next();
                QuotaRow { norm: s.clone(), proposed: q, reason: reason(now, q, s.norm) }
            }
            _ => QuotaRow { norm: s.clone(), proposed: s.norm, reason: QuotaReason::NoQuotaGiven },
        };
        rows.push(row);
    }
    let short_of = |q: &[u32]| problem.norm.iter().zip(q).map(|(n, q)| n.saturating_sub(*q)).sum::<u32>();
    Ok(QuotaProposal {
        total: problem.total(),
        norm_total: problem.norm.iter().sum(),
        short: (short_of(&problem.current), short_of(&proposed)),
        moved: problem.current.iter().zip(&proposed).map(|(c, q)| c.abs_diff(*q)).sum(),
        rows,
        optimal,
        seconds,
    })
}

/// The proposed quotas of a problem (fewest posts below the norm, then
/// fewest moved), whether proven optimal, and the seconds taken.
pub fn solve_problem(problem: &QuotaProblem, time_limit: f64) -> Result<(Vec<u32>, bool, f64), Error> {
    if problem.current.is_empty() {
        return Ok((Vec::new(), true, 0.0));
    }
    // Both objectives are whole numbers: an absolute gap below 1 proves them.
    let options = SolveOptions::new(time_limit, 0.0, 0.5);
    let first = problem.build(None);
    let one = minimise(first.vars, first.objective, first.constraints, options, None)?;
    if one.status == StageStatus::Infeasible {
        return Err(Error::Solver("the quota model has no solution".into()));
    }
    let fewest_short = one.objective.round().max(0.0) as u32;
    let second = problem.build(Some(fewest_short));
    let handles = second.handles.clone();
    let two = minimise(second.vars, second.objective, second.constraints, options, None)?;
    if two.status == StageStatus::Infeasible {
        return Err(Error::Solver("the quota model's second stage has no solution".into()));
    }
    let proposed = handles.quota.iter().map(|v| two.value(*v).round().max(0.0) as u32).collect();
    let optimal = one.status == StageStatus::Optimal && two.status == StageStatus::Optimal;
    Ok((proposed, optimal, one.seconds + two.seconds))
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
        "total_quota": proposal.total,
        "norm_total": proposal.norm_total,
        "schools_with_quota": proposal.rows.iter().filter(|r| r.norm.given_quota.is_some()).count(),
        "schools_without_quota": proposal.rows.iter().filter(|r| r.norm.given_quota.is_none()).count(),
        "short_of_norm": { "before": proposal.short.0, "after": proposal.short.1 },
        "posts_moved": proposal.moved,
        "solver": { "backend": crate::solve::backend_name(), "optimal": proposal.optimal, "seconds": proposal.seconds },
    });
    files.add("summary.json", json_bytes(&summary));
    Ok(files)
}

/// The terminal summary.
pub fn terminal_summary(county: &County, proposal: &QuotaProposal, lang: Lang) -> String {
    let mut out = match lang {
        Lang::Zh => format!(
            "全县编制总数 {}（{} 所学校填了编制数），其标准编制合计 {}；低于标准的编制 {} → {}，调剂 {} 个编制{}\n",
            proposal.total,
            proposal.rows.iter().filter(|r| r.norm.given_quota.is_some()).count(),
            proposal.norm_total,
            proposal.short.0,
            proposal.short.1,
            proposal.moved,
            if proposal.optimal { "（已证明最优）" } else { "（未证明最优）" },
        ),
        Lang::En => format!(
            "County quota {} ({} schools give staff_quota), their norms add up to {}; posts below the norm {} → {}, {} posts moved{}\n",
            proposal.total,
            proposal.rows.iter().filter(|r| r.norm.given_quota.is_some()).count(),
            proposal.norm_total,
            proposal.short.0,
            proposal.short.1,
            proposal.moved,
            if proposal.optimal { " (proven optimal)" } else { " (not proven optimal)" },
        ),
    };
    for r in proposal.rows.iter().filter(|r| r.norm.given_quota != Some(r.proposed)) {
        let school = &county.schools[r.norm.school];
        let now = r.norm.given_quota.map_or("—".to_string(), |q| q.to_string());
        out.push_str(&format!(
            "  {} {}: {now} → {} ({} {}) {}\n",
            school.id,
            school.name,
            r.proposed,
            lang.pick("标准", "norm"),
            r.norm.norm,
            r.reason.phrase().get(lang)
        ));
    }
    out
}
