//! The direction of moves and the alliances' figures as files read by
//! machines and people: summary.json's `direction` and `alliances`, the
//! tables of plan.xlsx's sheets 交流流向 and 联盟 (and evaluate's
//! alliances.csv), and the plan's terminal line. The figures come from
//! `rules::direction` and `rules::alliances`.

use serde_json::{json, Map, Value};

use crate::domain::County;
use crate::domain::TeacherIndicator;
use crate::exact::to_f64;
use crate::render::output::{Cell, NumberFormat, Table};
use crate::render::words::word;
use crate::render::Lang;
use crate::rules::alliances::AllianceFigures;
use crate::rules::direction::{Direction, AREAS};

/// Chinese headers of the columns of this module's tables.
pub const HEADERS_ZH: &[(&str, &str)] = &[
    ("from_area", "调出学校城乡"),
    ("to_area", "调入学校城乡"),
    ("moves", "交流人数"),
    ("backbone_moves", "骨干交流人数"),
    ("alliance", "联盟"),
    ("schools", "学校数"),
    ("sections", "学段数"),
    ("counted", "纳入统计学段"),
    ("compliant_before", "达标(前)"),
    ("compliant_after", "达标(后)"),
    ("moves_within", "联盟内交流"),
    ("moves_out", "调往联盟外"),
    ("moves_in", "自联盟外调入"),
];

/// summary.json's `direction`: moves and backbone moves by origin area then
/// destination area, the moves from urban and town schools to rural ones,
/// their shares and the policy's least share.
pub fn direction_json(county: &County, d: &Direction) -> Value {
    let matrix = |backbone: bool| -> Value {
        let t = d.table(backbone);
        let rows: Map<String, Value> = AREAS
            .iter()
            .enumerate()
            .map(|(i, from)| {
                let row: Map<String, Value> =
                    AREAS.iter().enumerate().map(|(j, to)| (to.word().to_string(), json!(t[i][j]))).collect();
                (from.word().to_string(), Value::Object(row))
            })
            .collect();
        Value::Object(rows)
    };
    json!({
        "moves": matrix(false),
        "backbone_moves": matrix(true),
        "to_rural": d.to_rural(false),
        "backbone_to_rural": d.to_rural(true),
        "to_rural_share": d.to_rural_share(false),
        "backbone_to_rural_share": d.to_rural_share(true),
        "to_rural_min_share": to_f64(&county.policy.rotation.to_rural_min_share),
    })
}

/// The sheet 交流流向: one row per origin and destination area.
pub fn direction_table(d: &Direction) -> Table {
    let mut rows = Vec::with_capacity(9);
    for (i, from) in AREAS.iter().enumerate() {
        for (j, to) in AREAS.iter().enumerate() {
            rows.push(vec![
                Cell::word(*from),
                Cell::word(*to),
                Cell::Count(i64::from(d.all[i][j])),
                Cell::Count(i64::from(d.backbone[i][j])),
            ]);
        }
    }
    Table { keys: vec!["from_area", "to_area", "moves", "backbone_moves"], rows }
}

/// The terminal line of the direction of moves.
pub fn direction_line(d: &Direction, lang: Lang) -> String {
    let cells: Vec<String> = AREAS
        .iter()
        .enumerate()
        .flat_map(|(i, from)| {
            AREAS.iter().enumerate().map(move |(j, to)| (i, j, from, to)).filter(|&(i, j, ..)| d.all[i][j] > 0)
        })
        .map(|(i, j, from, to)| format!("{}→{} {}", word(*from, lang), word(*to, lang), d.all[i][j]))
        .collect();
    let flows = if cells.is_empty() { "—".to_string() } else { cells.join("  ") };
    let percent = |backbone| d.to_rural_share(backbone) * 100.0;
    match lang {
        Lang::Zh => format!(
            "交流流向：{flows}；城镇到乡村 {} 人（{:.1}%），骨干 {} 人（{:.1}%）\n",
            d.to_rural(false),
            percent(false),
            d.to_rural(true),
            percent(true)
        ),
        Lang::En => format!(
            "direction: {flows}; urban and town to rural {} ({:.1}%), backbone {} ({:.1}%)\n",
            d.to_rural(false),
            percent(false),
            d.to_rural(true),
            percent(true)
        ),
    }
}

/// summary.json's `alliances` (None without alliances): per alliance its
/// schools, moves within and between alliances, and per section its
/// counted sections, compliant ones and teachers per indicator per 100
/// students of its counted sections (`after` keys with a plan only).
pub fn alliances_json(county: &County, alliances: &[AllianceFigures]) -> Option<Value> {
    if alliances.is_empty() {
        return None;
    }
    let list: Vec<Value> = alliances
        .iter()
        .map(|a| {
            let levels: Map<String, Value> = a
                .levels
                .iter()
                .map(|l| {
                    let mut v = json!({
                        "sections": l.sections,
                        "counted": l.counted,
                        "students": l.students,
                        "compliant_before": l.compliant_before,
                    });
                    if let Some(after) = l.compliant_after {
                        v["compliant_after"] = json!(after);
                    }
                    for k in TeacherIndicator::ALL {
                        let i = k.index();
                        v[format!("{}_before", k.key())] = json!(l.before[i]);
                        v[format!("{}_per100_before", k.key())] = json!(l.per100(i, false).map(|x| to_f64(&x)));
                        if let Some(after) = l.after {
                            v[format!("{}_after", k.key())] = json!(after[i]);
                            v[format!("{}_per100_after", k.key())] = json!(l.per100(i, true).map(|x| to_f64(&x)));
                        }
                    }
                    (l.level.word().to_string(), v)
                })
                .collect();
            let schools: Vec<&str> = a.schools.iter().map(|&s| county.schools[s].id.as_str()).collect();
            json!({
                "alliance": a.id,
                "schools": schools,
                "moves_within": a.moves_within,
                "moves_out": a.moves_out,
                "moves_in": a.moves_in,
                "sections": levels,
            })
        })
        .collect();
    Some(Value::Array(list))
}

/// The alliances' table (plan.xlsx sheet 联盟, evaluate's alliances.csv):
/// one row per alliance and section; the `_after` and move columns with a
/// plan only.
pub fn alliances_table(alliances: &[AllianceFigures], with_plan: bool) -> Table {
    let mut keys = vec!["alliance", "schools", "section", "sections", "counted", "students", "compliant_before"];
    if with_plan {
        keys.push("compliant_after");
    }
    for k in TeacherIndicator::ALL {
        keys.push(PER100_KEYS[k.index()][0]);
        if with_plan {
            keys.push(PER100_KEYS[k.index()][1]);
        }
    }
    if with_plan {
        keys.extend(["moves_within", "moves_out", "moves_in"]);
    }
    let mut rows = Vec::new();
    for a in alliances {
        for l in &a.levels {
            let mut row = vec![
                Cell::Text(a.id.clone()),
                Cell::Count(a.schools.len() as i64),
                Cell::word(l.level),
                Cell::Count(l.sections as i64),
                Cell::Count(l.counted as i64),
                Cell::Count(i64::from(l.students)),
                Cell::Count(l.compliant_before as i64),
            ];
            if with_plan {
                row.push(l.compliant_after.map_or(Cell::Empty, |n| Cell::Count(n as i64)));
            }
            let per100 = |k: usize, after: bool| {
                l.per100(k, after).map_or(Cell::Empty, |x| Cell::Number(to_f64(&x), NumberFormat::Per100))
            };
            for k in TeacherIndicator::ALL {
                row.push(per100(k.index(), false));
                if with_plan {
                    row.push(per100(k.index(), true));
                }
            }
            if with_plan {
                row.extend([a.moves_within, a.moves_out, a.moves_in].map(|n| Cell::Count(i64::from(n))));
            }
            rows.push(row);
        }
    }
    Table { keys, rows }
}

/// The per-100 columns of the alliances' table, before and after, by
/// indicator (the headers are those of schools.csv's columns).
const PER100_KEYS: [[&str; 2]; 3] = [
    ["higher_degree_per100_before", "higher_degree_per100_after"],
    ["backbone_per100_before", "backbone_per100_after"],
    ["pe_arts_per100_before", "pe_arts_per100_after"],
];
