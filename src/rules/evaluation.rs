//! The county's standing as it is today (`rotaplan evaluate`): figures,
//! eligibility, the files evaluate writes and the terminal summary.

use serde_json::json;

use crate::domain::{County, Level};
use crate::render::output::{csv_bytes, cv_json, json_bytes, neutralize, schools_table, OutputFiles};
use crate::rules::eligibility::{ineligibility, Ineligibility};
use crate::rules::indicators::{self, certification, CountyFigures, Indicator, SectionFigures, Standing};

/// Language of the human-facing outputs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Lang {
    /// Chinese (default: the users are Chinese county staff).
    #[default]
    Zh,
    /// English.
    En,
}

impl Lang {
    /// Picks the Chinese or the English text.
    pub fn pick<'a>(self, zh: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::Zh => zh,
            Lang::En => en,
        }
    }
}

/// The county's standing before any plan.
#[derive(Clone, Debug)]
pub struct Evaluation {
    /// Inspection figures.
    pub figures: CountyFigures,
    /// Number of eligible teachers (E).
    pub eligible: usize,
    /// ⌈min_share × E⌉.
    pub required_moves: u32,
    /// For every teacher who is not eligible (index into `County::teachers`), the reasons.
    pub ineligible: Vec<(usize, Vec<Ineligibility>)>,
}

/// Evaluates the county as it stands.
pub fn evaluate_county(county: &County) -> Evaluation {
    let figures = indicators::evaluate(county);
    let mut eligible = 0;
    let mut ineligible = Vec::new();
    for (i, t) in county.teachers.iter().enumerate() {
        let reasons = ineligibility(t, &county.policy);
        if reasons.is_empty() {
            eligible += 1;
        } else {
            ineligible.push((i, reasons));
        }
    }
    let required_moves = county.policy.required_moves(eligible);
    Evaluation { figures, eligible, required_moves, ineligible }
}

impl Evaluation {
    /// schools.csv (the `_before` columns), summary.json and report.html.
    pub fn files(&self, county: &County, lang: Lang) -> OutputFiles {
        let mut files = OutputFiles::new();
        let (header, rows) = schools_table(county, &self.figures, None);
        files.add("schools.csv", csv_bytes(&header, &rows));
        files.add("summary.json", json_bytes(&self.summary_json()));
        files.add("eligibility.csv", self.eligibility_csv(county, lang));
        files.add("report.html", crate::render::html::evaluation_report(county, self, lang).into_bytes());
        files
    }

    /// eligibility.csv: every teacher, whether eligible to rotate, and why not.
    pub fn eligibility_csv(&self, county: &County, lang: Lang) -> Vec<u8> {
        let reasons: std::collections::BTreeMap<usize, &Vec<Ineligibility>> =
            self.ineligible.iter().map(|(i, r)| (*i, r)).collect();
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
                    if why.is_none() { "yes" } else { "no" }.to_string(),
                    why.map(|r| r.iter().map(|x| x.id()).collect::<Vec<_>>().join(" ")).unwrap_or_default(),
                    why.map(|r| {
                        r.iter().map(|x| x.describe(lang == Lang::Zh)).collect::<Vec<_>>().join(if lang == Lang::Zh {
                            "；"
                        } else {
                            "; "
                        })
                    })
                    .map(|text| neutralize(&text))
                    .unwrap_or_default(),
                ]
            })
            .collect();
        csv_bytes(&["teacher_id", "name", "school_id", "eligible", "reason_ids", "reasons"], &rows)
    }

    /// summary.json of `evaluate`.
    pub fn summary_json(&self) -> serde_json::Value {
        json!({
            "eligible": self.eligible,
            "required_moves": self.required_moves,
            "compliant_sections": { "before": self.figures.compliant(), "counted": self.figures.counted() },
            "shortfall": { "before": self.figures.shortfall() },
            "cv": cv_json(&self.figures, None),
        })
    }

    /// The short table printed on the terminal.
    pub fn terminal_summary(&self, county: &County, lang: Lang) -> String {
        let mut out = String::new();
        let f = &self.figures;
        out.push_str(&format!(
            "{} {}  {} {}  {} {}/{}  {} {}\n",
            lang.pick("符合交流条件教师", "eligible teachers"),
            self.eligible,
            lang.pick("应交流人数", "required moves"),
            self.required_moves,
            lang.pick("达标学段", "compliant sections"),
            f.compliant(),
            f.counted(),
            lang.pick("缺口(人)", "shortfall (teachers)"),
            f.shortfall(),
        ));
        for level in Level::BOTH {
            let name = match lang {
                Lang::Zh => level.word_zh(),
                Lang::En => level.word(),
            };
            out.push_str(&format!("\n[{name}] {}\n", lang.pick("差异系数", "difference coefficients")));
            for ind in Indicator::ALL {
                let c = &f.cv[&(level, ind)];
                let value = c.value.map_or("—".to_string(), |v| format!("{v:.4}"));
                let mark = if c.within_limit() { "ok" } else { lang.pick("超限", "OVER") };
                out.push_str(&format!("  {:<22} {:>7}  ≤ {:.2}  {}\n", ind.key(), value, c.limit, mark));
            }
            let counted: Vec<&SectionFigures> = f.sections.iter().filter(|s| s.level == level && s.counted).collect();
            let ok = counted.iter().filter(|s| s.compliant == Some(true)).count();
            out.push_str(&format!("  {} {ok}/{}\n", lang.pick("达标学段", "compliant sections"), counted.len()));
            for s in counted.iter().filter(|s| s.compliant == Some(false)) {
                let school = &county.schools[s.school];
                out.push_str(&format!("  ✗ {} {}: {}\n", school.id, school.name, failure_reasons(s, lang)));
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
        let over = f.sections.iter().filter(|s| s.class_size_over).count();
        if over > 0 {
            out.push_str(&format!("{} {over}\n", lang.pick("班额超标学段", "sections over the class-size limit:")));
        }
        out
    }
}

/// Why a section fails, in words: the indicators below the standard.
pub fn failure_reasons(s: &SectionFigures, lang: Lang) -> String {
    let mut parts = Vec::new();
    for ind in Indicator::ALL {
        let Some(standing) = s.standing[ind.index()] else { continue };
        // Three decimals: at two, 0.847 would read 0.85 beside "below 85 %" of 1.0.
        let value = s.values[ind.index()].map_or(String::new(), |v| format!(" {v:.3}"));
        match standing {
            Standing::Below => parts.push(format!("{}{value} {}", ind.key(), lang.pick("未达标", "below standard"))),
            Standing::Below85 => {
                parts.push(format!("{}{value} {}", ind.key(), lang.pick("低于标准85%", "below 85 % of standard")))
            }
            _ => {}
        }
    }
    parts.join("; ")
}
