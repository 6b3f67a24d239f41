//! Why each move: explanations as data (per move), built from what the model
//! and the indicators recorded, and worded in Chinese or English.

use crate::domain::policy::to_f64;
use crate::domain::{Backbone, County, Level, LockAction, TeacherIndicator};
use crate::plan::{HirePlacement, Move, Plan};
use crate::rules::evaluation::Lang;
use crate::rules::indicators::SectionFigures;

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
    /// Years at the school.
    pub years_at_school: i32,
    /// Required years.
    pub min_years: i32,
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
}

fn section<'a>(plan: &'a Plan, school: usize, level: Level) -> Option<(&'a SectionFigures, &'a SectionFigures)> {
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
    let t = &county.teachers[m.teacher];
    let counts = TeacherIndicator::ALL.map(|k| k.counts(t, t.level));
    let lock = county
        .locks
        .iter()
        .find(|l| l.teacher_id == t.id && matches!(l.action, LockAction::Move | LockAction::MoveTo))
        .map(|l| l.action);
    MoveExplanation {
        years_at_school: county.policy.year - t.school_since,
        min_years: county.policy.eligibility.min_years_at_school,
        backbone: t.backbone,
        same_profile: plan.profile_sizes.get(m.profile).copied().unwrap_or(1),
        lock,
        arrival: effects(county, plan, m.to, m.level, counts),
        departure: effects(county, plan, m.from, m.level, counts),
        destination: compliance(plan, m.to, m.level),
        origin: compliance(plan, m.from, m.level),
    }
}

fn indicator_name(k: TeacherIndicator, lang: Lang) -> &'static str {
    match (k, lang) {
        (TeacherIndicator::HigherDegree, Lang::Zh) => "每百名学生高学历教师",
        (TeacherIndicator::Backbone, Lang::Zh) => "每百名学生骨干教师",
        (TeacherIndicator::PeArts, Lang::Zh) => "每百名学生体艺教师",
        (TeacherIndicator::HigherDegree, Lang::En) => "higher-degree teachers per 100 students",
        (TeacherIndicator::Backbone, Lang::En) => "backbone per 100 students",
        (TeacherIndicator::PeArts, Lang::En) => "PE/arts teachers per 100 students",
    }
}

fn effect_text(county: &County, e: &Effect, lang: Lang) -> String {
    let name = &county.schools[e.school].name;
    match lang {
        Lang::Zh => format!(
            "{name}{} {:.2} → {:.2}（标准 {}）",
            indicator_name(e.indicator, lang),
            e.before,
            e.after,
            e.standard
        ),
        Lang::En => format!(
            "{} at {name} {:.2} → {:.2} (standard {})",
            indicator_name(e.indicator, lang),
            e.before,
            e.after,
            e.standard
        ),
    }
}

fn compliance_text(c: &ComplianceChange, lang: Lang) -> Option<String> {
    if !c.counted {
        return None;
    }
    match (c.before, c.after, lang) {
        (Some(false), Some(true), Lang::Zh) => Some("该校段由不达标变为达标".into()),
        (Some(false), Some(true), Lang::En) => Some("the section now complies".into()),
        (Some(true), Some(true), Lang::Zh) => Some("该校段仍达标".into()),
        (Some(true), Some(true), Lang::En) => Some("the section still complies".into()),
        (Some(true), Some(false), Lang::Zh) => Some("该校段由达标变为不达标".into()),
        (Some(true), Some(false), Lang::En) => Some("the section no longer complies".into()),
        _ => None,
    }
}

/// The explanation in one line.
pub fn move_reason(county: &County, plan: &Plan, m: &Move, lang: Lang) -> String {
    let x = explain_move(county, plan, m);
    let t = &county.teachers[m.teacher];
    let to = &county.schools[m.to];
    let mut parts = Vec::new();
    match lang {
        Lang::Zh => {
            let mut who = format!("符合交流条件（在校 {} 年，≥ {} 年）", x.years_at_school, x.min_years);
            if x.backbone.is_backbone() {
                who.push_str(&format!("，{}骨干", x.backbone.word_zh()));
            }
            who.push_str(&format!("，{}，{}", t.degree.word_zh(), t.subject.word_zh()));
            parts.push(who);
            match x.lock {
                Some(LockAction::MoveTo) => parts.push(format!("按锁定指定交流至{}", to.name)),
                Some(_) => parts.push("按锁定须交流".into()),
                None if x.same_profile > 1 => {
                    parts.push(format!("同校同类教师 {} 人中按在校年限最长优先选出", x.same_profile))
                }
                None => {}
            }
            let arrive: Vec<String> = x.arrival.iter().map(|e| effect_text(county, e, lang)).collect();
            if arrive.is_empty() {
                parts.push(format!("调入{}，补足学科与交流比例", to.name));
            } else {
                parts.push(format!("调入后{}", arrive.join("，")));
            }
            if let Some(c) = compliance_text(&x.destination, lang) {
                parts.push(c);
            }
            let leave: Vec<String> = x.departure.iter().map(|e| effect_text(county, e, lang)).collect();
            if !leave.is_empty() {
                parts.push(format!("调出校{}", leave.join("，")));
            }
            parts.join("；")
        }
        Lang::En => {
            let mut who = format!("eligible ({} years at the school, ≥ {})", x.years_at_school, x.min_years);
            if x.backbone.is_backbone() {
                who.push_str(&format!(", {} backbone", x.backbone.word()));
            }
            who.push_str(&format!(", {}, {}", t.degree.word(), t.subject.word()));
            parts.push(who);
            match x.lock {
                Some(LockAction::MoveTo) => parts.push(format!("locked to move to {}", to.name)),
                Some(_) => parts.push("locked to move".into()),
                None if x.same_profile > 1 => parts
                    .push(format!("chosen by longest service among {} colleagues of the same profile", x.same_profile)),
                None => {}
            }
            let arrive: Vec<String> = x.arrival.iter().map(|e| effect_text(county, e, lang)).collect();
            if arrive.is_empty() {
                parts.push(format!("goes to {} to keep subjects staffed and the rotation share", to.name));
            } else {
                parts.push(format!("arriving: {}", arrive.join(", ")));
            }
            if let Some(c) = compliance_text(&x.destination, lang) {
                parts.push(c);
            }
            let leave: Vec<String> = x.departure.iter().map(|e| effect_text(county, e, lang)).collect();
            if !leave.is_empty() {
                parts.push(format!("leaving: {}", leave.join(", ")));
            }
            parts.join("; ")
        }
    }
}

/// The reason of a hire's placement in one line.
pub fn hire_reason(county: &County, plan: &Plan, h: &HirePlacement, lang: Lang) -> String {
    let g = &plan.hire_groups[h.group];
    let counts = g.flags();
    let fx = effects(county, plan, h.to, g.level, counts);
    let c = compliance(plan, h.to, g.level);
    let mut parts: Vec<String> = fx.iter().map(|e| effect_text(county, e, lang)).collect();
    if parts.is_empty() {
        parts.push(match lang {
            Lang::Zh => format!("补充{}{}教师", county.schools[h.to].name, g.subject.word_zh()),
            Lang::En => format!("adds a {} teacher to {}", g.subject.word(), county.schools[h.to].name),
        });
    }
    if let Some(t) = compliance_text(&c, lang) {
        parts.push(t);
    }
    parts.join(if lang == Lang::Zh { "；" } else { "; " })
}
