//! The text printed on the terminal after a plan, and the column padding
//! that keeps Chinese text aligned.

use std::path::Path;

use crate::domain::{County, Level, TeacherIndicator};
use crate::error::{Error, Text};
use crate::explain::StillFailing;
use crate::plan::Plan;
use crate::render::evaluation::{failure_reasons, failure_words};
use crate::render::html::ComparisonRow;
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

/// The gap in words: the plan's ("gap 0.0012%") when every stage is
/// proven, else each stage not proven with its own gap, or "no bound"
/// where the solver had none in the time (a gap of 100 %).
pub fn gap_words(plan: &Plan, lang: Lang) -> String {
    let unproven: Vec<String> = plan
        .stages
        .iter()
        .filter(|s| s.status != Some(crate::solve::StageStatus::Optimal))
        .map(|s| {
            let name = word(s.stage, lang);
            match (s.status, lang) {
                (None, Lang::Zh) => format!("{name}（未运行）"),
                (None, Lang::En) => format!("{name} (not run)"),
                (Some(_), Lang::Zh) if s.gap >= 0.9999 => format!("{name}（时限内无下界，差距未知）"),
                (Some(_), Lang::En) if s.gap >= 0.9999 => format!("{name} (no bound within the time: gap unknown)"),
                (Some(_), Lang::Zh) => format!("{name}（差距 {:.4}%）", s.gap * 100.0),
                (Some(_), Lang::En) => format!("{name} (gap {:.4}%)", s.gap * 100.0),
            }
        })
        .collect();
    if unproven.is_empty() {
        let gap = plan.gap().unwrap_or(0.0) * 100.0;
        return match lang {
            Lang::Zh => format!("差距 {gap:.4}%"),
            Lang::En => format!("gap {gap:.4}%"),
        };
    }
    match lang {
        Lang::Zh => format!("未证明最优的阶段：{}", unproven.join("、")),
        Lang::En => format!("stages not proven optimal: {}", unproven.join(", ")),
    }
}

/// The principals' line of the summary (empty without eligible or moved
/// principals and vice principals).
fn principals_line(county: &County, plan: &Plan, lang: Lang) -> String {
    let principals = plan.principal_moves(county);
    if plan.principals.eligible == 0 && principals == 0 {
        return String::new();
    }
    let apart = !county.policy.principals.count_in_teachers;
    match lang {
        Lang::Zh => format!(
            "校长、副校长：符合条件 {}，交流 {principals}（对等交流{}）\n",
            plan.principals.eligible,
            if apart { "，不计入教师交流比例" } else { "" }
        ),
        Lang::En => format!(
            "principals and vice principals: eligible {}, moves {principals} (role for role{})\n",
            plan.principals.eligible,
            if apart { ", apart from the teachers' shares" } else { "" }
        ),
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
        plan.teacher_moves(county),
        pick("应交流", "required"),
        plan.required_moves,
        pick("骨干", "backbone"),
        plan.backbone_moves(county),
        plan.backbone_share(county) * 100.0
    ));
    out.push_str(&principals_line(county, plan, lang));
    if !plan.returns.is_empty() {
        // Returns from exchange are apart from the rotation shares.
        out.push_str(&match lang {
            Lang::Zh => format!(
                "交流期满返回原校 {} 人，续任一年 {} 人（不计入交流比例）\n",
                plan.returns_done(),
                plan.returns_extended()
            ),
            Lang::En => format!(
                "returns from exchange {}, extended by one year {} (not counted in the rotation shares)\n",
                plan.returns_done(),
                plan.returns_extended()
            ),
        });
    }
    out.push_str(&crate::render::direction::direction_line(&plan.direction(county), lang));
    out.push_str(&format!(
        "{}: {} → {} / {}   {}: {} → {}   {}: {:.1} {}\n",
        pick("达标学段", "compliant sections"),
        plan.before.compliant(),
        plan.after.compliant(),
        plan.after.counted(),
        pick("缺口", "shortfall"),
        plan.before.shortfall(),
        plan.after.shortfall(),
        pick("总距离", "distance"),
        plan.distance_km(),
        pick("公里", "km")
    ));
    for level in Level::BOTH {
        for k in TeacherIndicator::ALL {
            let key = (level, Indicator::Teacher(k));
            let b = plan.before.cv[&key].value;
            let a = plan.after.cv[&key].value;
            let f = |v: Option<f64>| v.map_or("—".to_string(), |v| format!("{v:.4}"));
            out.push_str(&format!(
                "  {} {} {} {} → {}  (≤ {:.2})\n",
                pick("差异系数", "CV"),
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
    out.push_str(&match lang {
        Lang::Zh => format!("{proven}（{}，{:.2} 秒）\n", backend_name(), plan.seconds),
        Lang::En => format!("{proven} ({}, {:.2} s)\n", backend_name(), plan.seconds),
    });
    out
}

/// The English record of what still fails, as summary.json of `hires` keeps
/// it (indicators by their file keys).
pub fn still_failing_record(county: &County, plan: &Plan, item: &StillFailing) -> String {
    const CANNOT: &str = " — facilities, which hires cannot fix";
    match item {
        StillFailing::Section { section, facility_only } => {
            let s = &plan.after.sections[*section];
            let school = &county.schools[s.school];
            format!(
                "{} {} ({}): {}{}",
                school.id,
                school.name,
                s.level.word(),
                failure_reasons(s, Lang::En),
                if *facility_only { CANNOT } else { "" }
            )
        }
        StillFailing::Cv { level, indicator, value, limit } => format!(
            "CV {} {} = {value:.4} > {limit:.2}{}",
            level.word(),
            indicator.key(),
            if matches!(indicator, Indicator::Facility(_)) { CANNOT } else { "" }
        ),
    }
}

/// What still fails, in the run's language, for the terminal.
pub fn still_failing_line(county: &County, plan: &Plan, item: &StillFailing, lang: Lang) -> String {
    let cannot = lang.pick("（设施指标，新聘教师无法解决）", " — facilities, which hires cannot fix");
    match item {
        StillFailing::Section { section, facility_only } => {
            let s = &plan.after.sections[*section];
            let school = &county.schools[s.school];
            let (open, close) = lang.pick2(("（", "）："), (" (", "): "));
            format!(
                "{} {}{open}{}{close}{}{}",
                school.id,
                school.name,
                word(s.level, lang),
                failure_words(s, lang),
                if *facility_only { cannot } else { "" }
            )
        }
        StillFailing::Cv { level, indicator, value, limit } => format!(
            "{} {} {} = {value:.4} > {limit:.2}{}",
            lang.pick("差异系数", "CV"),
            word(*level, lang),
            word(*indicator, lang),
            if matches!(indicator, Indicator::Facility(_)) { cannot } else { "" }
        ),
    }
}

/// What a hires search found, for its terminal summary.
pub struct HiresResult<'a> {
    /// The plan with the hires placed.
    pub plan: &'a Plan,
    /// Number of hires.
    pub hires: u32,
    /// Whether the number is proven the fewest.
    pub minimal: bool,
    /// Whether every counted section complies and every CV is within its limit.
    pub target_reached: bool,
    /// What still fails.
    pub still_failing: &'a [StillFailing],
}

/// The terminal summary of a hires search that found a plan.
pub fn hires_summary(county: &County, result: &HiresResult, lang: Lang) -> String {
    let mut out = plan_terminal_summary(county, result.plan, lang);
    out.push_str(&format!(
        "{} {} ({}){}\n",
        lang.pick("新聘教师", "new hires:"),
        result.hires,
        if result.minimal {
            lang.pick("已证明最少", "proven minimal")
        } else {
            lang.pick("未证明最少", "not proven minimal")
        },
        if result.target_reached { "" } else { lang.pick("；仍未全部达标：", "; still failing:") }
    ));
    for item in result.still_failing {
        out.push_str(&format!("  {}\n", still_failing_line(county, result.plan, item, lang)));
    }
    for h in &result.plan.hires {
        let g = &result.plan.hire_groups[h.group];
        out.push_str(&format!(
            "  {} {} {} {} {} → {} {}\n",
            h.id,
            word(g.level, lang),
            word(g.subject, lang),
            word(g.degree, lang),
            word(g.backbone, lang),
            county.schools[h.to].id,
            county.schools[h.to].name
        ));
    }
    out
}

/// `check`'s line when the data has no problem.
pub fn check_ok_line(data: &Path, county: &County, lang: Lang) -> String {
    let (s, t, l) = (county.schools.len(), county.teachers.len(), county.locks.len());
    let (a, f) = (county.applications.len(), county.family.len());
    let v = county.applications.iter().filter(|a| a.volunteer).count();
    // The teachers' voice is named only when the data has it, so a county
    // without applications.csv and family.csv reads as before.
    let voice = |zh: bool| match (a + f, zh) {
        (0, _) => String::new(),
        (_, true) => format!("，交流申请 {a} 份（自愿 {v} 人），家庭关系 {f} 组"),
        (_, false) => format!(", {a} applications ({v} volunteers), {f} family ties"),
    };
    match lang {
        Lang::Zh => format!("{}：学校 {s} 所，教师 {t} 人，锁定 {l} 条{}，未发现问题", data.display(), voice(true)),
        Lang::En => {
            format!("{}: {s} schools, {t} teachers, {l} locks{} — no problems found", data.display(), voice(false))
        }
    }
}

/// The heading above the conflicts of a county with no plan; `before_solving`
/// for `check`, which finds them without solving.
pub fn no_plan_heading(before_solving: bool, lang: Lang) -> &'static str {
    match (before_solving, lang) {
        (true, Lang::Zh) => "rotaplan：数据可以读取，但没有方案能满足全部规则：",
        (true, Lang::En) => "rotaplan: the data is readable, but no plan can keep every rule:",
        (false, Lang::Zh) => "rotaplan：没有方案能满足全部规则：",
        (false, Lang::En) => "rotaplan: no plan keeps every rule:",
    }
}

/// The line before what-if scenarios are solved.
pub fn solving_scenarios(count: usize, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("正在求解 {count} 个方案 …"),
        Lang::En => format!("solving {count} scenario(s) …"),
    }
}

/// One what-if scenario in a line.
pub fn whatif_line(r: &ComparisonRow, lang: Lang) -> String {
    let t = |zh: &'static str, en: &'static str| lang.pick(zh, en);
    // The file's stem names the scenario's folder; its `name` says what it is.
    let label = if r.name.is_empty() || r.name == r.scenario {
        r.scenario.clone()
    } else {
        format!("{} {}", r.scenario, r.name)
    };
    format!(
        "{} {} {} {:>3}  {} {:>2}  {} {:>2} → {:>2} / {:>2}  {} {:>3} → {:>3}  {}",
        pad(&label, 24),
        pad(if r.feasible { t("可行", "ok") } else { t("无解", "NO") }, 4),
        t("交流", "moves"),
        r.moves,
        t("新聘", "hires"),
        r.hires,
        t("达标学段", "compliant"),
        r.compliant_before,
        r.compliant_after,
        r.counted,
        t("缺口", "shortfall"),
        r.shortfall_before,
        r.shortfall_after,
        r.diagnosis
    )
}

/// The line after a synthetic county is written.
pub fn synth_line(seed: u64, schools: usize, out: &Path, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("模拟县（种子 {seed}，学校 {schools} 所）→ {}", out.display()),
        Lang::En => format!("synthetic county (seed {seed}, {schools} schools) → {}", out.display()),
    }
}

/// A warning about the data, on stderr, in the run's language where it
/// was worded so (else in English).
pub fn warning_line(warning: &Text, lang: Lang) -> String {
    let text = match (lang, &warning.zh) {
        (Lang::Zh, Some(zh)) => zh,
        _ => &warning.en,
    };
    format!("{}{text}", lang.pick("警告：", "warning: "))
}

/// `text` with its control characters (a cell's ESC or BEL, which a
/// terminal would obey) shown as U+FFFD; with `keep_breaks`, line breaks,
/// tabs and carriage returns (the progress line) stay.
pub fn printable(text: &str, keep_breaks: bool) -> std::borrow::Cow<'_, str> {
    let bad = |c: char| c.is_control() && !(keep_breaks && matches!(c, '\n' | '\t' | '\r'));
    if text.chars().any(bad) {
        text.chars().map(|c| if bad(c) { '\u{fffd}' } else { c }).collect::<String>().into()
    } else {
        text.into()
    }
}

/// An error as the terminal shows it, in the run's language: each input
/// problem in Chinese where its reader worded it so, at most
/// [`crate::error::MOST_LISTED_PROBLEMS`] of them.
pub fn error_text(error: &Error, lang: Lang) -> String {
    match error {
        Error::Input(problems) => {
            let most = crate::error::MOST_LISTED_PROBLEMS;
            let mut out = match (lang, problems.len() > most) {
                (Lang::Zh, false) => format!("输入中有 {} 处问题：", problems.len()),
                (Lang::En, false) => format!("{} problem(s) in the input:", problems.len()),
                (Lang::Zh, true) => format!("输入中的问题超过 {most} 处，只列出前 {most} 处："),
                (Lang::En, true) => format!("More than {most} problems in the input; the first {most}:"),
            };
            // A reader keeps its first problems and one more that counts
            // the rest; any other list longer than that is cut here.
            let cut = problems.len() > most + 1;
            let shown = if cut { most } else { problems.len() };
            for p in problems.iter().take(shown) {
                let message = match (lang, &p.message_zh) {
                    (Lang::Zh, Some(zh)) => zh,
                    _ => &p.message,
                };
                // The SPEC's `file:line: column: what is wrong`, in either language.
                let sep = ": ";
                out.push_str("\n  ");
                if !p.location.is_empty() {
                    out.push_str(&printable(&p.location, false));
                    out.push_str(sep);
                }
                if !p.column.is_empty() {
                    out.push_str(&printable(&p.column, false));
                    out.push_str(sep);
                }
                out.push_str(&printable(message, false));
            }
            if cut {
                out.push_str(&match lang {
                    Lang::Zh => {
                        format!("\n  另有 {} 处问题未列出；请先改正以上问题，再重新检查", problems.len() - most)
                    }
                    Lang::En => format!(
                        "\n  {} more problems are not listed; correct the ones above and check again",
                        problems.len() - most
                    ),
                });
            }
            out
        }
        Error::TimeLimit(left) if lang == Lang::Zh => {
            format!("时间上限内没有找到任何方案（这一步只剩 {left:.2} 秒）；请用 --time-limit 给出更多时间")
        }
        Error::Io { context, source } if lang == Lang::Zh => {
            format!("{}失败：{}", io_context_zh(context), crate::io::os_error::os_error_zh(source))
        }
        Error::Solver(detail) if lang == Lang::Zh => {
            format!("求解器出错（程序内部的问题，请连同数据一起报告）：{detail}")
        }
        Error::Infeasible(detail) if lang == Lang::Zh => format!("没有可行的方案：{detail}"),
        other => other.to_string(),
    }
}

/// What a failed file operation was doing (`Error::Io`'s context, worded
/// in English where it failed), in Chinese: its verb translated, the path
/// kept.
fn io_context_zh(context: &str) -> String {
    const WHOLE: &[(&str, &str)] = &[
        ("writing the changes file", "写入变动文件"),
        ("starting the web server", "启动网页服务"),
        ("serving", "提供网页服务"),
        ("reading the address", "读取监听地址"),
        ("finding the rotaplan binary", "查找 rotaplan 程序"),
    ];
    const VERBS: &[(&str, &str)] = &[
        ("creating the workspace ", "创建工作台 "),
        ("workspace database: ", "工作台数据库："),
        ("listening on ", "监听 "),
        ("writing ", "写入 "),
        ("creating ", "创建 "),
        ("replacing ", "替换 "),
        ("listing ", "列出 "),
        ("reading ", "读取 "),
        ("opening ", "打开 "),
    ];
    if let Some((_, zh)) = WHOLE.iter().find(|(en, _)| *en == context) {
        return (*zh).to_string();
    }
    match VERBS.iter().find_map(|(en, zh)| context.strip_prefix(en).map(|rest| format!("{zh}{rest} "))) {
        Some(text) => text,
        None => format!("{context}："),
    }
}
