//! The text printed on the terminal after a plan, and the column padding
//! that keeps Chinese text aligned.

use crate::domain::{County, Level, TeacherIndicator};
use crate::plan::Plan;
use crate::render::words::word;
use crate::render::Lang;
use crate::rules::indicators::Indicator;
use crate::solve::backend_name;

/// Width of text on a terminal or in Excel: a CJK character takes two columns.
pub fn display_width(text: &str) -> usize {
    text.chars().map(|c| if (c as u32) >= 0x2E80 { 2 } else { 1 }).sum()
}

/// `text` padded with spaces to `width` display columns (see [`display_width`]).
pub fn pad(text: &str, width: usize) -> String {
    format!("{text}{}", " ".repeat(width.saturating_sub(display_width(text))))
}

/// `text` right-aligned in `width` display columns.
pub fn pad_left(text: &str, width: usize) -> String {
    format!("{}{text}", " ".repeat(width.saturating_sub(display_width(text))))
}

/// The gap in words ("gap 0.0012 %" or "stages not run: cv_squares, distance").
pub fn gap_words(plan: &Plan, lang: Lang) -> String {
    match plan.gap() {
        Some(g) => match lang {
            Lang::Zh => format!("差距 {:.4}%", g * 100.0),
            Lang::En => format!("gap {:.4}%", g * 100.0),
        },
        None => {
            let skipped: Vec<&str> =
                plan.stages.iter().filter(|s| s.status.is_none()).map(|s| word(s.stage, lang)).collect();
            match lang {
                Lang::Zh => format!("时限内未运行的阶段：{}", skipped.join("、")),
                Lang::En => format!("stages not run within the time limit: {}", skipped.join(", ")),
            }
        }
    }
}

/// Before/after summary printed on the terminal after planning.
pub fn plan_terminal_summary(county: &County, plan: &Plan, lang: Lang) -> String {
    let pick = |zh: &'static str, en: &'static str| if lang == Lang::Zh { zh } else { en };
    let mut out = String::new();
    out.push_str(&format!(
        "{} {}  {} {} ({} {})  {} {} ({:.1}%)\n",
        pick("符合条件", "eligible"),
        plan.eligible,
        pick("交流", "moves"),
        plan.moves.len(),
        pick("应交流", "required"),
        plan.required_moves,
        pick("骨干", "backbone"),
        plan.backbone_moves(county),
        plan.backbone_share(county) * 100.0
    ));
    out.push_str(&format!(
        "{}: {} → {} / {}   {}: {} → {}   {}: {:.1} km\n",
        pick("达标学段", "compliant sections"),
        plan.before.compliant(),
        plan.after.compliant(),
        plan.after.counted(),
        pick("缺口", "shortfall"),
        plan.before.shortfall(),
        plan.after.shortfall(),
        pick("总距离", "distance"),
        plan.distance_km()
    ));
    for level in Level::BOTH {
        for k in TeacherIndicator::ALL {
            let key = (level, Indicator::Teacher(k));
            let b = plan.before.cv[&key].value;
            let a = plan.after.cv[&key].value;
            let f = |v: Option<f64>| v.map_or("—".to_string(), |v| format!("{v:.4}"));
            out.push_str(&format!(
                "  CV {} {} {} → {}  (≤ {:.2})\n",
                pad(word(level, lang), 7),
                pad(word(k, lang), 22),
                f(b),
                f(a),
                plan.before.cv[&key].limit
            ));
        }
    }
    let proven = if plan.proven_optimal() {
        pick("已证明最优", "proven optimal").to_string()
    } else {
        format!("{}（{}）", pick("未证明最优", "not proven optimal"), gap_words(plan, lang))
    };
    out.push_str(&format!("{} ({}, {:.2} s)\n", proven, backend_name(), plan.seconds));
    out
}
