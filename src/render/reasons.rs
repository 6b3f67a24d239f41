//! A move's and a hire's reason in words (zh or en), from the explanation
//! data of `explain`.

use crate::domain::{County, LockAction, TeacherIndicator};
use crate::explain::{explain_hire, explain_move, ComplianceChange, Effect};
use crate::plan::{HirePlacement, Move, Plan};
use crate::render::Lang;

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
    let explanation = explain_hire(county, plan, h);
    let (fx, c) = (&explanation.arrival, &explanation.destination);
    let mut parts: Vec<String> = fx.iter().map(|e| effect_text(county, e, lang)).collect();
    if parts.is_empty() {
        parts.push(match lang {
            Lang::Zh => format!("补充{}{}教师", county.schools[h.to].name, g.subject.word_zh()),
            Lang::En => format!("adds a {} teacher to {}", g.subject.word(), county.schools[h.to].name),
        });
    }
    if let Some(t) = compliance_text(c, lang) {
        parts.push(t);
    }
    parts.join(if lang == Lang::Zh { "；" } else { "; " })
}
