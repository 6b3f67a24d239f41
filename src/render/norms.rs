//! The school standards in words and tables: staffing norms and quotas
//! (编制), classes over the size limits (大班额), school size and music and
//! art rooms — norms.csv and class_sizes.csv, the `norms` key of
//! summary.json, the report's section and the workbook's sheet, for both
//! `evaluate` (before) and `plan` (before and after).

use std::fmt::Write as _;

use serde_json::{json, Value};

use crate::domain::County;
use crate::exact::to_f64;
use crate::plan::Plan;
use crate::render::html::escape;
use crate::render::output::{Cell, NumberFormat, Table};
use crate::render::words::Phrase;
use crate::render::Lang;
use crate::rules::norms::{county_norms, headcount_before, Norms};

/// Chinese headers of the columns of norms.csv and class_sizes.csv.
pub const HEADERS_ZH: &[(&str, &str)] = &[
    ("norm_exact", "标准编制(精确)"),
    ("norm", "标准编制"),
    ("class_rule", "按班师比核定"),
    ("staff_quota", "编制数"),
    ("quota", "核定编制"),
    ("headcount_before", "在编人数(前)"),
    ("headcount_after", "在编人数(后)"),
    ("over_quota_before", "超编(前)"),
    ("over_quota_after", "超编(后)"),
    ("under_quota_before", "缺编(前)"),
    ("under_quota_after", "缺编(后)"),
    ("size_limit", "规模上限"),
    ("oversized", "规模超标"),
    ("classes", "班级数"),
    ("music_rooms", "音乐教室"),
    ("music_needed", "音乐教室应有"),
    ("art_rooms", "美术教室"),
    ("art_needed", "美术教室应有"),
    ("rooms_short", "专用教室不足"),
    ("over_limit", "超标准班额班数"),
    ("large", "大班额班数"),
    ("very_large", "超大班额班数"),
    ("largest", "最大班额"),
];

/// The norms before the plan and, for a plan, after it.
pub fn norms_of(county: &County, plan: Option<&Plan>) -> (Norms, Option<Norms>) {
    let before = county_norms(county, &headcount_before(county));
    let after = plan.map(|p| county_norms(county, &p.headcount_after(county)));
    (before, after)
}

fn yes_no(value: bool) -> Cell {
    Cell::Word(if value { Phrase { zh: "是", en: "yes" } } else { Phrase { zh: "否", en: "no" } })
}

fn optional(value: Option<u32>) -> Cell {
    value.map_or(Cell::Empty, |v| Cell::Count(v.into()))
}

/// norms.csv: one row a school.
pub fn norms_table(county: &County, before: &Norms, after: Option<&Norms>) -> Table {
    let mut keys =
        vec!["school_id", "name", "kind", "students", "norm_exact", "norm", "class_rule", "staff_quota", "quota"];
    keys.extend(if after.is_some() {
        &[
            "headcount_before",
            "headcount_after",
            "over_quota_before",
            "over_quota_after",
            "under_quota_before",
            "under_quota_after",
        ][..]
    } else {
        &["headcount_before", "over_quota_before", "under_quota_before"][..]
    });
    keys.extend(["size_limit", "oversized", "classes", "music_rooms", "music_needed", "art_rooms", "art_needed"]);
    keys.push("rooms_short");
    let rows = before
        .schools
        .iter()
        .enumerate()
        .map(|(i, b)| {
            let school = &county.schools[b.school];
            let a = after.map(|n| &n.schools[i]);
            let mut row = vec![
                Cell::Text(school.id.clone()),
                Cell::Text(school.name.clone()),
                Cell::word(school.kind),
                Cell::Count(b.students.into()),
                Cell::Number(to_f64(&b.norm_exact), NumberFormat::Per100),
                Cell::Count(b.norm.into()),
                yes_no(b.class_rule),
                optional(b.given_quota),
                Cell::Count(b.quota().into()),
                Cell::Count(b.headcount.into()),
            ];
            if let Some(a) = a {
                row.push(Cell::Count(a.headcount.into()));
                row.extend(
                    [b.over_quota(), a.over_quota(), b.under_quota(), a.under_quota()].map(|n| Cell::Count(n.into())),
                );
            } else {
                row.extend([b.over_quota(), b.under_quota()].map(|n| Cell::Count(n.into())));
            }
            let short = b.music_short(school).unwrap_or(0) + b.art_short(school).unwrap_or(0) > 0;
            row.extend([
                Cell::Count(b.size_limit.into()),
                yes_no(b.oversized()),
                Cell::Count(b.classes.into()),
                optional(school.music_rooms),
                Cell::Count(b.music_needed.into()),
                optional(school.art_rooms),
                Cell::Count(b.art_needed.into()),
                yes_no(short),
            ]);
            row
        })
        .collect();
    Table { keys, rows }
}

/// class_sizes.csv: one row a school section of classes.csv (None without it).
pub fn class_table(county: &County, norms: &Norms) -> Option<Table> {
    let list = norms.classes.as_ref()?;
    let keys = vec!["school_id", "name", "section", "classes", "over_limit", "large", "very_large", "largest"];
    let rows = list
        .iter()
        .map(|c| {
            let school = &county.schools[c.school];
            vec![
                Cell::Text(school.id.clone()),
                Cell::Text(school.name.clone()),
                Cell::word(c.level),
                Cell::Count(c.classes.into()),
                Cell::Count(c.over_limit.into()),
                Cell::Count(c.large.into()),
                Cell::Count(c.very_large.into()),
                Cell::Count(c.largest.into()),
            ]
        })
        .collect();
    Some(Table { keys, rows })
}

/// The ids of the schools `pick` selects.
fn ids(county: &County, norms: &Norms, pick: impl Fn(&crate::rules::norms::SchoolNorm) -> bool) -> Vec<String> {
    norms.schools.iter().filter(|s| pick(s)).map(|s| county.schools[s.school].id.clone()).collect()
}

/// One side (before or after) of summary.json's `norms`.
fn side_json(county: &County, norms: &Norms) -> Value {
    json!({
        "headcount": norms.schools.iter().map(|s| u64::from(s.headcount)).sum::<u64>(),
        "over_quota_schools": ids(county, norms, |s| s.over_quota() > 0),
        "over_quota_teachers": norms.schools.iter().map(|s| u64::from(s.over_quota())).sum::<u64>(),
        "under_quota_schools": ids(county, norms, |s| s.under_quota() > 0),
        "under_quota_posts": norms.schools.iter().map(|s| u64::from(s.under_quota())).sum::<u64>(),
    })
}

/// summary.json's `norms`: quotas before (and after), school size, rooms
/// and the class counts of classes.csv (null without it).
pub fn norms_json(county: &County, before: &Norms, after: Option<&Norms>) -> Value {
    let mut out = json!({
        "norm_total": before.schools.iter().map(|s| u64::from(s.norm)).sum::<u64>(),
        "quota_total_with_norms": before.schools.iter().map(|s| u64::from(s.quota())).sum::<u64>(),
        "quota_given_schools": before.schools.iter().filter(|s| s.given_quota.is_some()).count(),
        "before": side_json(county, before),
        "oversized_schools": ids(county, before, |s| s.oversized()),
        "music_rooms_short_schools": ids(county, before, |s| s.music_short(&county.schools[s.school]).unwrap_or(0) > 0),
        "art_rooms_short_schools": ids(county, before, |s| s.art_short(&county.schools[s.school]).unwrap_or(0) > 0),
        "classes": before.class_totals().map(|(over, large, very)| json!({
            "over_limit": over, "large": large, "very_large": very,
        })),
    });
    if let Some(after) = after {
        out["after"] = side_json(county, after);
    }
    out
}

/// The report's section: over- and under-quota schools, school size,
/// rooms and classes over the limits.
pub fn html_section(county: &County, before: &Norms, after: Option<&Norms>, lang: Lang) -> String {
    let t = |zh: &'static str, en: &'static str| lang.pick(zh, en);
    let mut out = String::new();
    let _ = write!(
        out,
        "<section id=\"norms\">\n<h2>{}</h2>\n",
        t("编制、班额、学校规模与专用教室", "Staffing norms, class sizes, school size and rooms")
    );
    let quota_word = |s: &crate::rules::norms::SchoolNorm| match (s.given_quota, lang) {
        (Some(_), Lang::Zh) => "核定编制",
        (Some(_), Lang::En) => "given quota",
        (None, Lang::Zh) => "按标准编制",
        (None, Lang::En) => "quota from the norm",
    };
    let _ = write!(
        out,
        "<table>\n<thead><tr><th>{}</th><th class=\"num\">{}</th><th class=\"num\">{}</th><th class=\"num\">{}</th><th class=\"num\">{}</th>{}</tr></thead>\n<tbody>\n",
        t("学校", "School"),
        t("学生数", "Students"),
        t("标准编制", "Norm"),
        t("编制", "Quota"),
        t("在编(前)", "On roll (before)"),
        if after.is_some() { format!("<th class=\"num\">{}</th>", t("在编(后)", "On roll (after)")) } else { String::new() },
    );
    for (i, b) in before.schools.iter().enumerate() {
        let school = &county.schools[b.school];
        let a = after.map(|n| &n.schools[i]);
        let flagged =
            b.over_quota() > 0 || b.under_quota() > 0 || a.is_some_and(|a| a.over_quota() + a.under_quota() > 0);
        if !flagged {
            continue;
        }
        let standing = |n: &crate::rules::norms::SchoolNorm| match (n.over_quota(), n.under_quota()) {
            (0, 0) => n.headcount.to_string(),
            (over, 0) => format!("{} ({}{over})", n.headcount, t("超编 ", "over by ")),
            (_, under) => format!("{} ({}{under})", n.headcount, t("缺编 ", "short by ")),
        };
        let _ = write!(
            out,
            "<tr><td>{} {}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{} ({})</td><td class=\"num\">{}</td>",
            escape(&school.id),
            escape(&school.name),
            b.students,
            b.norm,
            b.quota(),
            quota_word(b),
            standing(b)
        );
        if let Some(a) = a {
            let _ = write!(out, "<td class=\"num\">{}</td>", standing(a));
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n</table>\n<ul>\n");
    let with_norms: u64 = before.schools.iter().map(|s| u64::from(s.quota())).sum();
    let given = before.schools.iter().filter(|s| s.given_quota.is_some()).count();
    let _ = writeln!(
        out,
        "<li>{} {with_norms} ({} {given})</li>",
        t("核定编制合计（含按标准测算）", "Quota total (norms standing in for missing quotas)"),
        t("填了编制数的学校", "schools giving staff_quota:"),
    );
    out.push_str(&flag_items(county, before, lang));
    out.push_str("</ul>\n</section>\n");
    out
}

/// The list items of the section: schools over the size limit, short of
/// music or art rooms, and the classes over the limits.
fn flag_items(county: &County, before: &Norms, lang: Lang) -> String {
    let t = |zh: &'static str, en: &'static str| lang.pick(zh, en);
    let mut out = String::new();
    for s in &before.schools {
        let school = &county.schools[s.school];
        let name = escape(&format!("{} {}", school.id, school.name));
        if s.oversized() {
            let _ = writeln!(out, "<li>{name}: {} {} &gt; {}</li>", t("学生数", "students"), s.students, s.size_limit);
        }
        for (short, need, have, zh, en) in [
            (s.music_short(school), s.music_needed, school.music_rooms, "音乐教室", "music rooms"),
            (s.art_short(school), s.art_needed, school.art_rooms, "美术教室", "art rooms"),
        ] {
            if let (Some(short @ 1..), Some(have)) = (short, have) {
                let _ = writeln!(
                    out,
                    "<li>{name}: {} {have}, {} {need} ({} {}), {} {short}</li>",
                    t(zh, en),
                    t("应有", "needed"),
                    s.classes,
                    t("个班", "classes"),
                    t("缺", "short"),
                );
            }
        }
    }
    match before.class_totals() {
        Some((over, large, very)) => {
            let _ = writeln!(
                out,
                "<li>{} {over}; {} {large}; {} {very}</li>",
                t("超过标准班额(小学45、初中50人)的班", "classes over the limit (45 primary, 50 junior)"),
                t("大班额(56人及以上)", "large classes (56 or more)"),
                t("超大班额(66人及以上)", "very large classes (66 or more)"),
            );
        }
        None => {
            let _ = writeln!(
                out,
                "<li>{}</li>",
                t(
                    "未提供班级表(classes.csv)，班额按学段平均计算。",
                    "No classes.csv: class size is the section average."
                )
            );
        }
    }
    out
}

/// Terminal lines of `evaluate`.
pub fn terminal_lines(norms: &Norms, lang: Lang) -> String {
    let mut out = format!(
        "{} {}  {} {}  {} {}\n",
        lang.pick("超编学校", "schools over quota"),
        norms.over_quota(),
        lang.pick("缺编学校", "schools under quota"),
        norms.under_quota(),
        lang.pick("规模超标学校", "schools over the size limit"),
        norms.oversized(),
    );
    if let Some((over, large, very)) = norms.class_totals() {
        out.push_str(&format!(
            "{} {over}  {} {large}  {} {very}\n",
            lang.pick("超标准班额班数", "classes over the limit"),
            lang.pick("大班额", "large classes (56+)"),
            lang.pick("超大班额", "very large classes (66+)"),
        ));
    }
    out
}
