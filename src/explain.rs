//! Why each move and each hire: explanations as data, built once per plan
//! ([`explain_plan`]) from what the plan and the indicators recorded.
//! `render::reasons` words them; nothing here has a language.

use crate::domain::{Backbone, County, Level, LockAction, Role, Subject, TeacherIndicator};
use crate::exact::to_f64;
use crate::plan::{HirePlacement, Move, Plan, Return};
use crate::rules::indicators::{Indicator, SectionFigures, Standing};

pub mod applications;

pub use applications::{applications_summary, ApplicationsSummary, MoveApplication};

/// What a move does to one indicator of one section.
#[derive(Clone, Debug, PartialEq)]
pub struct Effect {
    /// School position.
    pub school: usize,
    /// Section.
    pub level: Level,
    /// Indicator.
    pub indicator: TeacherIndicator,
    /// Per 100 students before the plan.
    pub before: f64,
    /// Per 100 students after the plan.
    pub after: f64,
    /// The standard.
    pub standard: f64,
}

/// Compliance of a section before and after.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ComplianceChange {
    /// Before.
    pub before: Option<bool>,
    /// After.
    pub after: Option<bool>,
    /// Whether the section is counted.
    pub counted: bool,
}

/// Everything said about one move.
#[derive(Clone, Debug, PartialEq)]
pub struct MoveExplanation {
    /// The teacher who moves (position in `county.teachers`).
    pub teacher: usize,
    /// The school the teacher goes to.
    pub to: usize,
    /// Whether the teacher meets the rotation conditions (a list edited by
    /// hand may move one who does not).
    pub eligible: bool,
    /// Years at the school.
    pub years_at_school: i32,
    /// Required years (`principals.min_years_at_school` for a principal or
    /// vice principal).
    pub min_years: i32,
    /// The mover's role: a principal or vice principal rotates role for role.
    pub role: Role,
    /// For a principal or vice principal: those of the same role who leave
    /// the destination in the plan (whose seat the mover takes), by teacher
    /// index.
    pub seat_of: Vec<usize>,
    /// Backbone level.
    pub backbone: Backbone,
    /// Teachers of the same profile at the school who could have gone.
    pub same_profile: usize,
    /// A lock that decided the move.
    pub lock: Option<LockAction>,
    /// Effects at the destination.
    pub arrival: Vec<Effect>,
    /// Effects at the origin.
    pub departure: Vec<Effect>,
    /// Destination compliance.
    pub destination: ComplianceChange,
    /// Origin compliance.
    pub origin: ComplianceChange,
    /// What the applications say (only when the county has applications).
    pub application: Option<MoveApplication>,
}

fn section(plan: &Plan, school: usize, level: Level) -> Option<(&SectionFigures, &SectionFigures)> {
    Some((plan.before.section(school, level)?, plan.after.section(school, level)?))
}

fn effects(county: &County, plan: &Plan, school: usize, level: Level, counts: [bool; 3]) -> Vec<Effect> {
    let Some((b, a)) = section(plan, school, level) else { return Vec::new() };
    TeacherIndicator::ALL
        .iter()
        .filter(|k| counts[k.index()])
        .filter_map(|&k| {
            Some(Effect {
                school,
                level,
                indicator: k,
                before: b.values[k.index()]?,
                after: a.values[k.index()]?,
                standard: to_f64(&county.policy.teacher_standard(k, level)),
            })
        })
        .collect()
}

fn compliance(plan: &Plan, school: usize, level: Level) -> ComplianceChange {
    match section(plan, school, level) {
        Some((b, a)) => ComplianceChange { before: b.compliant, after: a.compliant, counted: b.counted },
        None => ComplianceChange { before: None, after: None, counted: false },
    }
}

/// Builds the explanation of a move.
pub fn explain_move(county: &County, plan: &Plan, m: &Move) -> MoveExplanation {
    let context = county.has_applications().then(|| applications::Context::new(county, plan));
    explain_move_in(county, plan, m, context.as_ref())
}

/// The explanation of a move, with the plan's applications context when
/// the county has applications.
fn explain_move_in(
    county: &County,
    plan: &Plan,
    m: &Move,
    context: Option<&applications::Context<'_>>,
) -> MoveExplanation {
    let t = &county.teachers[m.teacher];
    let counts = TeacherIndicator::ALL.map(|k| k.counts(t, t.level));
    let lock = county
        .locks
        .iter()
        .find(|l| l.teacher_id == t.id && matches!(l.action, LockAction::Move | LockAction::MoveTo))
        .map(|l| l.action);
    let policy = &county.policy;
    let seat_of = match t.role {
        Role::Teacher => Vec::new(),
        role => plan
            .moves
            .iter()
            .filter(|o| o.from == m.to && county.teachers[o.teacher].role == role)
            .map(|o| o.teacher)
            .collect(),
    };
    MoveExplanation {
        teacher: m.teacher,
        to: m.to,
        eligible: crate::rules::eligibility::is_eligible_with(t, policy, county.exchange_of(&t.id)),
        years_at_school: policy.year - t.school_since,
        min_years: match t.role {
            Role::Teacher => policy.eligibility.min_years_at_school,
            _ => policy.principals.min_years_at_school,
        },
        role: t.role,
        seat_of,
        backbone: t.backbone,
        same_profile: plan.profile_sizes.get(m.profile).copied().unwrap_or(1),
        lock,
        arrival: effects(county, plan, m.to, m.level, counts),
        departure: effects(county, plan, m.from, m.level, counts),
        destination: compliance(plan, m.to, m.level),
        origin: compliance(plan, m.from, m.level),
        application: context.map(|c| c.explain(m)),
    }
}

/// Everything said about one hire's placement.
#[derive(Clone, Debug, PartialEq)]
pub struct HireExplanation {
    /// The school the hire goes to.
    pub to: usize,
    /// The subject the hire teaches.
    pub subject: Subject,
    /// Effects at the school the hire goes to.
    pub arrival: Vec<Effect>,
    /// That school's compliance.
    pub destination: ComplianceChange,
}

/// The explanation of one hire's placement.
pub fn explain_hire(county: &County, plan: &Plan, h: &HirePlacement) -> HireExplanation {
    let g = &plan.hire_groups[h.group];
    HireExplanation {
        to: h.to,
        subject: g.subject,
        arrival: effects(county, plan, h.to, g.level, g.flags()),
        destination: compliance(plan, h.to, g.level),
    }
}

/// Everything said about one due return from exchange.
#[derive(Clone, Debug, PartialEq)]
pub struct ReturnExplanation {
    /// The teacher (position in `county.teachers`).
    pub teacher: usize,
    /// Host school (where the teacher is now).
    pub host: usize,
    /// Home school.
    pub home: usize,
    /// The register's start year (None when the register has no row).
    pub start_year: Option<i32>,
    /// The register's end year.
    pub end_year: i32,
    /// Extended by one year (`exchange.returns = "optional"`).
    pub extended: bool,
    /// The term's end after the plan.
    pub new_end: i32,
    /// Effects at home (a return) or, for an extension, at the host: each
    /// indicator the teacher counts in, before and after the plan.
    pub arrival: Vec<Effect>,
    /// For an extension: each indicator the teacher counts in at the host,
    /// `before` the value had the teacher returned, `after` the plan's: why
    /// staying serves the objective.
    pub kept: Vec<Effect>,
    /// For an extension: the host section's full-time teachers of the
    /// teacher's subject after the plan and the floor min(before, need)
    /// when returning would have taken them below it.
    pub floor_kept: Option<(Subject, u32, u32)>,
    /// Compliance of the section the teacher is in after the plan.
    pub destination: ComplianceChange,
    /// For an extension: whether the host section would comply had the
    /// teacher returned (None: not an extension, or no students).
    pub host_if_returned: Option<bool>,
}

/// The explanation of one due return.
pub fn explain_return(county: &County, plan: &Plan, r: &Return) -> ReturnExplanation {
    let t = &county.teachers[r.teacher];
    let counts = TeacherIndicator::ALL.map(|k| k.counts(t, t.level) && t.full_time);
    let to = r.to();
    let mut kept = Vec::new();
    let mut host_if_returned = None;
    if r.extended {
        // The host's figures had the teacher gone home instead.
        let returned = figures_if_returned(county, plan, r);
        let host = returned.section(r.host, r.level);
        host_if_returned = host.and_then(|s| s.compliant);
        for mut e in effects(county, plan, r.host, r.level, counts) {
            if let Some(value) = host.and_then(|s| s.values[e.indicator.index()]) {
                e.before = value;
                kept.push(e);
            }
        }
    }
    ReturnExplanation {
        teacher: r.teacher,
        host: r.host,
        home: r.home,
        start_year: county.exchange_of(&t.id).map(|e| e.start_year),
        end_year: r.end_year,
        extended: r.extended,
        new_end: r.new_end(county.policy.year),
        arrival: if r.extended { Vec::new() } else { effects(county, plan, to, r.level, counts) },
        kept,
        floor_kept: if r.extended { floor_kept(county, plan, r) } else { None },
        destination: compliance(plan, to, r.level),
        host_if_returned,
    }
}

/// The county's figures after the plan with the extended return `r` done.
fn figures_if_returned(county: &County, plan: &Plan, r: &Return) -> crate::rules::indicators::CountyFigures {
    use crate::rules::indicators::{count_sections, current_placement, figures};
    let mut placement = current_placement(county);
    for m in &plan.moves {
        placement[m.teacher] = Some(m.to);
    }
    crate::plan::apply_returns(&mut placement, &plan.returns);
    placement[r.teacher] = Some(r.home);
    figures(county, &count_sections(county, &county.teachers, &placement))
}

/// The host's subject floor an extension keeps: the teachers of the
/// subject after the plan and the floor, when one fewer would break it.
fn floor_kept(county: &County, plan: &Plan, r: &Return) -> Option<(Subject, u32, u32)> {
    let t = &county.teachers[r.teacher];
    if !t.full_time {
        return None;
    }
    let mut placement = crate::rules::indicators::current_placement(county);
    let before_here = |p: &[Option<usize>]| {
        let alike = |(i, u): (usize, &crate::domain::Teacher)| {
            p[i] == Some(r.host) && u.full_time && u.level == t.level && u.subject == t.subject
        };
        county.teachers.iter().enumerate().filter(|&x| alike(x)).count() as u32
    };
    let before = before_here(&placement);
    for m in &plan.moves {
        placement[m.teacher] = Some(m.to);
    }
    crate::plan::apply_returns(&mut placement, &plan.returns);
    let after = before_here(&placement);
    let floor = before.min(crate::model::subject_need(county, r.host, t.level, t.subject));
    (after > 0 && after - 1 < floor).then_some((t.subject, after, floor))
}

/// The explanations of a whole plan, built once and worded by every output
/// that shows a reason.
#[derive(Clone, Debug, PartialEq)]
pub struct Explanations {
    /// One per move, in the order of `plan.moves`.
    pub moves: Vec<MoveExplanation>,
    /// One per hire, in the order of `plan.hires`.
    pub hires: Vec<HireExplanation>,
    /// One per due return, in the order of `plan.returns`.
    pub returns: Vec<ReturnExplanation>,
    /// The applications counted (only when the county has applications).
    pub applications: Option<ApplicationsSummary>,
}

/// Explains every move of `plan` (in the order of `plan.moves`).
pub fn explain_moves(county: &County, plan: &Plan) -> Vec<MoveExplanation> {
    let context = county.has_applications().then(|| applications::Context::new(county, plan));
    plan.moves.iter().map(|m| explain_move_in(county, plan, m, context.as_ref())).collect()
}

/// Explains every move, hire and return of `plan`.
pub fn explain_plan(county: &County, plan: &Plan) -> Explanations {
    Explanations {
        moves: explain_moves(county, plan),
        hires: plan.hires.iter().map(|h| explain_hire(county, plan, h)).collect(),
        returns: plan.returns.iter().map(|r| explain_return(county, plan, r)).collect(),
        applications: applications_summary(county, plan),
    }
}

/// What still fails after a hires plan: a counted section, or a
/// difference coefficient over its limit (worded by `render::terminal`).
#[derive(Clone, Debug, PartialEq)]
pub enum StillFailing {
    /// A counted section that does not comply (index into `plan.after.sections`).
    Section {
        /// Position in `plan.after.sections`.
        section: usize,
        /// Only facility indicators fail, which hires cannot fix.
        facility_only: bool,
    },
    /// A CV over its limit.
    Cv {
        /// Section level.
        level: Level,
        /// Indicator.
        indicator: Indicator,
        /// The CV after the plan.
        value: f64,
        /// Its limit.
        limit: f64,
    },
}

/// Counted sections that fail and CVs over their limit, after the plan.
pub fn still_failing(plan: &Plan) -> Vec<StillFailing> {
    let mut out = Vec::new();
    for (section, s) in plan.after.sections.iter().enumerate() {
        if s.counted && s.compliant == Some(false) {
            let facility_only = (0..3).all(|i| s.standing[i].is_some_and(Standing::reaches));
            out.push(StillFailing::Section { section, facility_only });
        }
    }
    for ((level, ind), c) in &plan.after.cv {
        if !c.within_limit() {
            out.push(StillFailing::Cv {
                level: *level,
                indicator: *ind,
                value: c.value.unwrap_or(0.0),
                limit: c.limit,
            });
        }
    }
    out
}
