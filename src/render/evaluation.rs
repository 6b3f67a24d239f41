//! What `evaluate` writes and prints: schools.csv, summary.json,
//! eligibility.csv, subject_gaps.csv, report.html and the terminal table.

use serde_json::json;

use crate::domain::{County, Exact, Level};
use crate::render::output::{csv_bytes, cv_json, json_bytes, neutralize, schools_table, OutputFiles};
use crate::render::terminal::pad;
use crate::render::words::{self, clause_separator, word};
use crate::render::Lang;
use crate::rules::eligibility::Ineligibility;
use crate::rules::evaluation::Evaluation;
use crate::rules::indicators::{certification, Indicator, SectionFigures, Standing};
use crate::rules::priority;

/// schools.csv (the `_before` columns), summary.json, eligibility.csv and report.html.
pub fn files(ev: &Evaluation, county: &County, lang: Lang) -> OutputFiles {
    let mut files = OutputFiles::new();
    files.add("schools.csv", schools_table(county, &ev.figures, None).csv());
    let mut summary = summary_json(ev);
    if let Some(alliances) = crate::render::direction::alliances_json(county, &ev.alliances) {
        // Only with alliances, so a county without them keeps its summary.
        summary["alliances"] = alliances;
        files.add("alliances.csv", crate::render::direction::alliances_table(&ev.alliances, false).csv());
    }
    summary["norms"] = crate::render::norms::norms_json(county, &ev.norms, None);
    summary["structure"] = crate::render::structure::structure_json(county, &ev.structure, None);
    files.add("summary.json", json_bytes(&summary));
    files.add("structure.csv", crate::render::structure::structure_table(county, &ev.structure, None).csv());
    files.add("norms.csv", crate::render::norms::norms_table(county, &ev.norms, None).csv());
    if let Some(table) = crate::render::norms::class_table(county, &ev.norms) {
        files.add("class_sizes.csv", table.csv());
    }
    files.add("eligibility.csv", eligibility_csv(ev, county, lang));
    files.add("subject_gaps.csv", crate::render::curriculum::gaps_table(county, &ev.subject_gaps).csv());
    files.add("report.html", crate::render::html::evaluation_report(county, ev, lang).into_bytes());
    files
}

/// eligibility.csv: every teacher, whether eligible to rotate, and why not;
/// then the teacher's priority points (`rules::priority::points`), whether
/// they volunteer and their wishes (school ids joined by `;`).
pub fn eligibility_csv(ev: &Evaluation, county: &County, lang: Lang) -> Vec<u8> {
    let reasons: std::collections::BTreeMap<usize, &Vec<Ineligibility>> =
        ev.ineligible.iter().map(|(i, r)| (*i, r)).collect();
    let rows: Vec<Vec<String>> = county
        .teachers
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let why = reasons.get(&i);
            vec![
                neutralize(&t.id),
                neutralize(&t.name),
                neutralize(&t.school_id),
                // A data column: yes/no in either language, like reason_ids.
                word(why.is_none(), Lang::En).to_string(),
                why.map(|r| r.iter().map(|x| x.id()).collect::<Vec<_>>().join(" ")).unwrap_or_default(),
                why.map(|r| {
                    let words: Vec<String> = r.iter().map(|x| words::ineligibility(x, lang)).collect();
                    neutralize(&words.join(clause_separator(lang)))
                })
                .unwrap_or_default(),
                points_decimal(&priority::points(county, t).total),
                word(priority::volunteers(county, t), Lang::En).to_string(),
                county.application_of(&t.id).map(|a| neutralize(&a.wishes.join(";"))).unwrap_or_default(),
                // A data column: principals and vice principals rotate by
                // rule `principals` (principal_years among the reasons).
                t.role.word().to_string(),
            ]
        })
        .collect();
    let header = [
        "teacher_id",
        "name",
        "school_id",
        "eligible",
        "reason_ids",
        "reasons",
        "points",
        "volunteer",
        "wishes",
        "role",
    ];
    csv_bytes(&header, &rows)
}

/// Priority points as a decimal rounded to at most two places (half away
/// from zero): `12`, `12.5`, `3.33`.
pub fn points_decimal(points: &Exact) -> String {
    let hundred = Exact::from_integer(100);
    crate::render::data_folder::decimal(&((points * hundred).round() / hundred))
}

/// summary.json of `evaluate`.
pub fn summary_json(ev: &Evaluation) -> serde_json::Value {
    json!({
        "eligible": ev.eligible,
        "required_moves": ev.required_moves,
        "principals": {
            "eligible": ev.principals_eligible,
            "required_moves": ev.principal_moves.0,
            "max_moves": ev.principal_moves.1,
        },
        "compliant_sections": { "before": ev.figures.compliant(), "counted": ev.figures.counted() },
        "shortfall": { "before": ev.figures.shortfall() },
        "cv": cv_json(&ev.figures, None),
        "subject_gaps": crate::render::curriculum::gaps_json(&ev.subject_gaps, None),
    })
}

/// The short table printed on the terminal.
pub fn terminal_summary(ev: &Evaluation, county: &County, lang: Lang) -> String {
    let mut out = String::new();
    let f = &ev.figures;
    out.push_str(&format!(
        "{} {}  {} {}  {} {}/{}  {} {}\n",
        lang.pick("符合交流条件教师", "eligible teachers"),
        ev.eligible,
        lang.pick("应交流人数", "required moves"),
        ev.required_moves,
        lang.pick("达标学段", "compliant sections"),
        f.compliant(),
        f.counted(),
        lang.pick("缺口(人)", "shortfall (teachers)"),
        f.shortfall(),
    ));
    for level in Level::BOTH {
        let name = word(level, lang);
        out.push_str(&format!("\n[{name}] {}\n", lang.pick("差异系数", "difference coefficients")));
        for ind in Indicator::ALL {
            let c = &f.cv[&(level, ind)];
            let value = c.value.map_or("—".to_string(), |v| format!("{v:.4}"));
            let mark = if c.within_limit() { lang.pick("未超限", "ok") } else { lang.pick("超限", "OVER") };
            out.push_str(&format!("  {} {:>7}  ≤ {:.2}  {}\n", pad(word(ind, lang), 26), value, c.limit, mark));
        }
        let counted: Vec<&SectionFigures> = f.sections.iter().filter(|s| s.level == level && s.counted).collect();
        let ok = counted.iter().filter(|s| s.compliant == Some(true)).count();
        out.push_str(&format!("  {} {ok}/{}\n", lang.pick("达标学段", "compliant sections"), counted.len()));
        for s in counted.iter().filter(|s| s.compliant == Some(false)) {
            let school = &county.schools[s.school];
            out.push_str(&format!("  ✗ {} {}: {}\n", school.id, school.name, failure_words(s, lang)));
        }
    }
    let (missing, rate) = certification(county);
    if let Some(rate) = rate {
        out.push_str(&format!(
            "\n{} {:.1}%  ({} {})\n",
            lang.pick("教师持证率", "certification rate"),
            rate * 100.0,
            missing.len(),
            lang.pick("人无资格证", "without a certificate"),
        ));
    }
    out.push_str(&crate::render::norms::terminal_lines(&ev.norms, lang));
    let over = f.sections.iter().filter(|s| s.class_size_over).count();
    if over > 0 {
        out.push_str(&format!("{} {over}\n", lang.pick("班额超标学段", "sections over the class-size limit:")));
    }
    out
}

/// Why a section fails, in words of the phrase book: the indicators below the standard.
pub fn failure_words(s: &SectionFigures, lang: Lang) -> String {
    failures(s, |ind| word(ind, lang), lang).join(clause_separator(lang))
}

/// Why a section fails, with the indicators named by their file keys
/// (`higher_degree 0.847 below standard`): the form `hires` records in
/// summary.json's still_failing. People read [`failure_words`].
pub fn failure_reasons(s: &SectionFigures, lang: Lang) -> String {
    failures(s, Indicator::key, lang).join("; ")
}

/// Each indicator below the standard: its name, its value and how far below.
fn failures(s: &SectionFigures, name: impl Fn(Indicator) -> &'static str, lang: Lang) -> Vec<String> {
    let mut parts = Vec::new();
    for ind in Indicator::ALL {
        let Some(standing @ (Standing::Below | Standing::Below85)) = s.standing[ind.index()] else { continue };
        // Three decimals: at two, 0.847 would read 0.85 beside "below 85 %" of 1.0.
        let value = s.values[ind.index()].map_or(String::new(), |v| format!(" {v:.3}"));
        parts.push(format!("{}{value} {}", name(ind), word(standing, lang)));
    }
    parts
}
