//! `replan`'s part of report.html, "与公示名单相比的变动" (changes from
//! the published list): the fewest changes, the figures of the published
//! list beside the new plan's, and each changed line with its reason. Also
//! the words of the reasons, which changes.csv shares.

use std::fmt::Write as _;

use crate::domain::changes::ListChange;
use crate::domain::{County, Level, LockAction, TeacherIndicator};
use crate::io::ChangeAction;
use crate::plan::replan::{Reason, Replan};
use crate::render::Lang;
use crate::rules::indicators::{CountyFigures, Indicator};
use crate::rules::rule::Rule;

use super::escape;

/// A rule as the reasons name it.
fn rule_words(rule: Rule, lang: Lang) -> String {
    let (zh, en) = match rule {
        Rule::RotationShare => ("交流比例（规则 3）", "the rotation share (rule 3)"),
        Rule::BackboneShare => ("骨干教师比例（规则 4）", "the backbone share (rule 4)"),
        Rule::HeadcountBalance => ("人数平衡（规则 5）", "the headcount balance (rule 5)"),
        Rule::StaffQuota => ("编制上限（规则 5）", "the staff quota (rule 5)"),
        Rule::SubjectFloor => ("学科教师下限（规则 6）", "the subject floor (rule 6)"),
        Rule::Locks => ("锁定（规则 7）", "the locks (rule 7)"),
        Rule::Family => ("家庭约束（family.csv）", "the family ties (family.csv)"),
        Rule::Priority => ("交流顺序（自愿、积分）", "the order of who moves (volunteers, points)"),
        Rule::Eligibility | Rule::MoveOnce | Rule::OwnSchool => ("交流资格（规则 1）", "eligibility (rule 1)"),
        _ => ("交流范围（规则 2）", "the movement rules (rule 2)"),
    };
    lang.pick(zh, en).to_string()
}

/// Why a line changed, in words.
pub fn reason_text(reason: &Reason, lang: Lang) -> String {
    match reason {
        Reason::Asked(change) => {
            let school = change.school_id.as_deref().unwrap_or("");
            let what = match (change.action, lang) {
                (ChangeAction::Leave, Lang::Zh) => "离岗".to_string(),
                (ChangeAction::Leave, Lang::En) => "leaves".to_string(),
                (ChangeAction::Lock(LockAction::Stay), Lang::Zh) => "本人不交流（留任）".to_string(),
                (ChangeAction::Lock(LockAction::Stay), Lang::En) => "refuses the move (stays)".to_string(),
                (ChangeAction::Lock(LockAction::Move), Lang::Zh) => "变动要求其交流".to_string(),
                (ChangeAction::Lock(LockAction::Move), Lang::En) => {
                    "the changes ask that the teacher moves".to_string()
                }
                (ChangeAction::Lock(LockAction::MoveTo), Lang::Zh) => format!("变动指定交流至 {school}"),
                (ChangeAction::Lock(LockAction::MoveTo), Lang::En) => {
                    format!("the changes send the teacher to {school}")
                }
                (ChangeAction::Lock(LockAction::Forbid), Lang::Zh) => format!("变动不得交流至 {school}"),
                (ChangeAction::Lock(LockAction::Forbid), Lang::En) => format!("the changes forbid {school}"),
            };
            // A note that only repeats the action (离岗：离岗) adds nothing.
            let repeats = [what.as_str(), change.action.word(), change.action.word_zh()].contains(&change.note.trim());
            if change.note.trim().is_empty() || repeats {
                what
            } else {
                format!("{what}{}{}", lang.pick("：", ": "), change.note)
            }
        }
        Reason::Rules(rules) => {
            let names: Vec<String> = rules.iter().map(|r| rule_words(*r, lang)).collect();
            match lang {
                Lang::Zh => format!("上述变动后，公示名单不再满足{}；此项调整使其恢复", names.join("、")),
                Lang::En => {
                    format!(
                        "after the changes asked, the published list breaks {}; this change restores it",
                        names.join(", ")
                    )
                }
            }
        }
        Reason::Better => lang
            .pick(
                "在允许的额外变动（--max-changes）内改进方案",
                "one of the extra changes --max-changes allows, for a better plan",
            )
            .to_string(),
    }
}

/// The kind of change in words.
pub fn change_word(change: &ListChange, lang: Lang) -> &'static str {
    match change {
        ListChange::Added { .. } => lang.pick("新增", "added"),
        ListChange::Dropped { .. } => lang.pick("取消", "dropped"),
        ListChange::Redirected { .. } => lang.pick("改派", "redirected"),
    }
}

/// The part of report.html, to stand after the page's header.
pub fn changes_part(data: &County, replan: &Replan, lang: Lang) -> String {
    let t = |zh: &'static str, en: &'static str| lang.pick(zh, en);
    let mut out = String::new();
    let _ = write!(
        out,
        "<section id=\"changes\">\n<h2>{}</h2>\n",
        t("与公示名单相比的变动", "Changes from the published list")
    );
    let fewest = &replan.fewest;
    let proof = match (fewest.proven, lang) {
        (true, Lang::Zh) => "已证明为最少".to_string(),
        (true, Lang::En) => "proven minimal".to_string(),
        (false, Lang::Zh) => format!("未证明为最少：至少 {} 项", fewest.bound),
        (false, Lang::En) => format!("not proven minimal: at least {}", fewest.bound),
    };
    let line = match lang {
        Lang::Zh => format!(
            "恢复全部硬性规则所需的最少变动：{} 人（{proof}）；本方案变动 {} 人（允许至多 {} 人）。",
            fewest.changes,
            replan.changes.len(),
            replan.allowed
        ),
        Lang::En => format!(
            "Fewest changes that restore every hard rule: {} teachers ({proof}); this plan changes {} (at most {} allowed).",
            fewest.changes,
            replan.changes.len(),
            replan.allowed
        ),
    };
    let _ = writeln!(out, "<p>{}</p>", escape(&line));
    out.push_str(&figures_table(replan, lang));
    out.push_str(&lines_table(data, replan, lang));
    out.push_str("</section>\n");
    out
}

/// The figures of the published list and of the new plan.
fn figures_table(replan: &Replan, lang: Lang) -> String {
    let t = |zh: &'static str, en: &'static str| lang.pick(zh, en);
    let (published, now) = (&replan.published_audit, &replan.plan);
    let share = |backbone: usize, moves: usize| {
        if moves == 0 {
            "—".to_string()
        } else {
            format!("{:.1}%", 100.0 * backbone as f64 / moves as f64)
        }
    };
    let mut rows: Vec<(String, String, String)> = vec![
        (
            t("达标学段", "Compliant sections").into(),
            published.after.compliant().to_string(),
            now.after.compliant().to_string(),
        ),
        (
            t("教师缺口", "Teacher shortfall").into(),
            published.after.shortfall().to_string(),
            now.after.shortfall().to_string(),
        ),
        (
            t("交流人数（计入交流比例）", "Moves (in the shares)").into(),
            published.teacher_moves.to_string(),
            now.teacher_moves(&replan.county).to_string(),
        ),
        (
            t("骨干教师占比", "Backbone share").into(),
            share(published.backbone_moves, published.teacher_moves),
            share(now.backbone_moves(&replan.county), now.teacher_moves(&replan.county)),
        ),
    ];
    rows.extend(cv_rows(&published.after, &now.after, lang));
    let mut out = String::new();
    let _ = write!(
        out,
        "<table class=\"figures\">\n<thead><tr><th>{}</th><th class=\"num\">{}</th><th class=\"num\">{}</th></tr></thead>\n<tbody>\n",
        t("指标", "Figure"),
        t("公示名单", "Published"),
        t("现方案", "Now")
    );
    for (name, a, b) in rows {
        let _ =
            writeln!(out, "<tr><td>{}</td><td class=\"num\">{a}</td><td class=\"num\">{b}</td></tr>", escape(&name));
    }
    out.push_str("</tbody>\n</table>\n");
    out
}

/// The difference coefficients of the teacher indicators, per level.
fn cv_rows(published: &CountyFigures, now: &CountyFigures, lang: Lang) -> Vec<(String, String, String)> {
    let cv = |f: &CountyFigures, key: &(Level, Indicator)| {
        f.cv.get(key).and_then(|c| c.value).map_or("—".to_string(), |v| format!("{v:.4}"))
    };
    let mut rows = Vec::new();
    for level in Level::BOTH {
        for k in TeacherIndicator::ALL {
            let key = (level, Indicator::Teacher(k));
            let name = match lang {
                Lang::Zh => format!("差异系数：{}{}", level.word_zh(), k.name_zh()),
                Lang::En => format!("CV: {} {}", level.word(), k.key().replace('_', " ")),
            };
            rows.push((name, cv(published, &key), cv(now, &key)));
        }
    }
    rows
}

/// Each changed line with its reason.
fn lines_table(data: &County, replan: &Replan, lang: Lang) -> String {
    let t = |zh: &'static str, en: &'static str| lang.pick(zh, en);
    if replan.changes.is_empty() {
        return format!("<p class=\"ok\">{}</p>\n", t("公示名单保持不变。", "The published list stands as it is."));
    }
    let mut out = String::new();
    let _ = write!(
        out,
        "<table>\n<thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead>\n<tbody>\n",
        t("教师编号", "Teacher"),
        t("姓名", "Name"),
        t("变动", "Change"),
        t("公示调入学校", "Published to"),
        t("现调入学校", "Now to"),
        t("原因", "Reason")
    );
    for line in &replan.changes {
        let row = change_row(data, &line.change);
        let _ = writeln!(
            out,
            "<tr><td class=\"nowrap\">{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td class=\"reason\">{}</td></tr>",
            escape(&row[0]),
            escape(&row[1]),
            change_word(&line.change, lang),
            escape(&row[2]),
            escape(&row[3]),
            escape(&reason_text(&line.reason, lang))
        );
    }
    out.push_str("</tbody>\n</table>\n");
    out
}

/// Teacher id, name, published school, school now ("" where none).
pub fn change_row(data: &County, change: &ListChange) -> [String; 4] {
    let id = change.teacher_id().to_string();
    let name = data.teachers.iter().find(|t| t.id == id).map(|t| t.name.clone()).unwrap_or_default();
    let (was, to) = match change {
        ListChange::Added { to, .. } => (String::new(), to.clone()),
        ListChange::Dropped { was, .. } => (was.clone(), String::new()),
        ListChange::Redirected { was, to, .. } => (was.clone(), to.clone()),
    };
    [id, name, was, to]
}

/// `html` with `part` placed after the page's header.
pub fn with_part(html: &str, part: &str) -> String {
    match html.find("</header>\n") {
        Some(at) => {
            let at = at + "</header>\n".len();
            format!("{}{part}{}", &html[..at], &html[at..])
        }
        None => html.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::io::Change;

    fn asked(action: ChangeAction, note: &str) -> Reason {
        Reason::Asked(Change { teacher_id: "T1".into(), action, school_id: None, note: note.into() })
    }

    #[test]
    fn a_note_is_said_unless_it_only_repeats_the_action() {
        assert_eq!(reason_text(&asked(ChangeAction::Leave, ""), Lang::Zh), "离岗");
        assert_eq!(reason_text(&asked(ChangeAction::Leave, "离岗"), Lang::Zh), "离岗");
        assert_eq!(reason_text(&asked(ChangeAction::Leave, "leave"), Lang::En), "leaves");
        assert_eq!(reason_text(&asked(ChangeAction::Leave, "调出本县"), Lang::Zh), "离岗：调出本县");
        let stay = ChangeAction::Lock(LockAction::Stay);
        assert_eq!(reason_text(&asked(stay, "留任"), Lang::Zh), "本人不交流（留任）");
        assert_eq!(reason_text(&asked(stay, "family"), Lang::En), "refuses the move (stays): family");
    }
}
