//! report.html (SPEC §5): one self-contained page for people — the county
//! summary, inline SVG charts, the rotation list and one letter per school —
//! for a plan ([`plan_report`]) or for the county as it stands
//! ([`evaluation_report`]).
//!
//! The page carries its CSS and SVG inline and has no script and no link to
//! the network, so the bureau can mail it or print it as it is. Everything
//! that came from input files (ids, names, towns, reasons that quote names)
//! goes through [`escape`] on its way in; the wording comes from `explain`
//! and the figures from `indicators`, this module only lays them out.
//!
//! The page is built by parts, each in its own file and each a set of
//! methods on [`Report`]: the summary cards and difference coefficients
//! (`summary`), the SVG charts (`charts`), the rotation and hire lists
//! (`lists`), the direction of moves and the alliances (`direction`), the overview of schools (`schools`), one letter per school
//! (`letters`) with the figures of each of its sections (`sections`). The
//! page's words are in `words`, number formats and text widths in `format`.
//! `comparison` is the separate page of `whatif`; `differences` the parts
//! that `score` puts first on the page of an edited list.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use crate::domain::{County, Teacher};
use crate::plan::Plan;
use crate::render::Lang;
use crate::rules::evaluation::Evaluation;
use crate::rules::indicators::CountyFigures;

/// Appends formatted text to a `String` (writing to a String cannot fail).
macro_rules! w {
    ($out:expr, $($arg:tt)*) => {{
        let _ = write!($out, $($arg)*);
    }};
}

mod applications;
pub mod changes;
mod charts;
pub mod comparison;
mod curriculum;
pub mod differences;
mod direction;
mod format;
pub mod horizon;
mod letters;
mod lists;
pub mod notices;
mod principals;
mod schools;
mod sections;
mod structure;
mod summary;
mod words;

pub use comparison::{comparison_html, ComparisonRow};
pub use differences::{score_report, ScorePicture};
pub use notices::notices_html;

/// Escapes text for HTML element content and quoted attribute values:
/// `&`, `<`, `>`, `"` and `'`.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// report.html of a plan: summary before and after, charts, the rotation
/// list, the hires, and one letter per school with its departures, arrivals
/// (with reasons) and figures.
pub fn plan_report(county: &County, plan: &Plan, lang: Lang) -> String {
    let report = Report {
        county,
        lang,
        before: &plan.before,
        after: Some(&plan.after),
        plan: Some(plan),
        evaluation: None,
        uncertified: BTreeMap::new(),
        reasons: Default::default(),
    };
    report.render()
}

/// report.html of `evaluate`: the summary, the charts and one section per
/// school with its figures and why it fails, all as the data stands.
pub fn evaluation_report(county: &County, evaluation: &Evaluation, lang: Lang) -> String {
    let report = Report {
        county,
        lang,
        before: &evaluation.figures,
        after: None,
        plan: None,
        evaluation: Some(evaluation),
        uncertified: uncertified_by_school(county, evaluation),
        reasons: Default::default(),
    };
    report.render()
}

/// What one page is drawn from: a plan (before and after) or an evaluation
/// (before only).
struct Report<'a> {
    county: &'a County,
    lang: Lang,
    before: &'a CountyFigures,
    after: Option<&'a CountyFigures>,
    plan: Option<&'a Plan>,
    evaluation: Option<&'a Evaluation>,
    /// An evaluation's full-time teachers without a certificate, by school id
    /// (grouped once: a province has 300,000 teachers; empty for a plan).
    uncertified: BTreeMap<&'a str, Vec<&'a Teacher>>,
    /// The reason of each move of `plan`, worded once when first asked.
    reasons: std::cell::OnceCell<Vec<String>>,
}

/// The evaluation's full-time teachers without a certificate, by school id.
fn uncertified_by_school<'a>(county: &'a County, evaluation: &Evaluation) -> BTreeMap<&'a str, Vec<&'a Teacher>> {
    let mut by_school: BTreeMap<&str, Vec<&Teacher>> = BTreeMap::new();
    for &i in &evaluation.uncertified {
        let t = &county.teachers[i];
        by_school.entry(t.school_id.as_str()).or_default().push(t);
    }
    by_school
}

const CSS: &str = r#"
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", "WenQuanYi Micro Hei", "Noto Sans", "DejaVu Sans", sans-serif;
  font-size: 14px; line-height: 1.5; color: #1a202c; background: #fff; max-width: 1180px; margin: 0 auto; padding: 24px 28px 64px; }
h1 { font-size: 24px; margin: 0 0 4px; }
h2 { font-size: 19px; margin: 36px 0 10px; padding-bottom: 4px; border-bottom: 2px solid #2b6cb0; }
h3 { font-size: 15px; margin: 20px 0 6px; }
p { margin: 6px 0; }
.subtitle { color: #4a5568; margin: 0 0 16px; }
.id { color: #718096; font-size: 0.85em; font-weight: normal; }
.muted { color: #4a5568; font-size: 12px; }
.ok { color: #276749; }
.bad { color: #c53030; font-weight: 600; }
.warn { color: #c05621; }
table { border-collapse: collapse; width: 100%; margin: 6px 0 14px; font-size: 13px; }
th, td { border: 1px solid #cbd5e0; padding: 3px 6px; text-align: left; vertical-align: top; }
thead th { background: #edf2f7; font-weight: 600; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.nowrap { white-space: nowrap; }
thead th { white-space: nowrap; }
table.figures thead th { white-space: normal; }
td.school { min-width: 9em; }
td.reason { font-size: 12px; min-width: 22em; }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(205px, 1fr)); gap: 10px; margin: 10px 0 16px; }
.card { border: 1px solid #cbd5e0; border-radius: 6px; padding: 8px 12px; }
.card .label { color: #4a5568; font-size: 12px; }
.card .value { font-size: 20px; font-weight: 600; }
.card .card-note { color: #4a5568; font-size: 12px; }
.letter { margin: 4px 0 10px; }
.verdict { font-weight: 600; }
.fail { border-left: 4px solid #c53030; padding: 4px 12px; margin: 8px 0 14px; }
.fail ul { margin: 4px 0; padding-left: 20px; }
p.note { border-left: 4px solid #a0aec0; padding: 2px 12px; color: #4a5568; }
figure { margin: 14px 0 20px; }
figcaption { font-size: 12px; color: #4a5568; margin-top: 4px; }
svg { width: 100%; height: auto; display: block; }
nav.schools { columns: 3 16em; font-size: 13px; margin: 6px 0 12px; }
nav.schools a { display: block; color: #2b6cb0; text-decoration: none; }
@media print {
  @page { size: A4; margin: 14mm; }
  @page wide { size: A4 landscape; margin: 12mm; }
  #charts, #rotations, #returns, #hires { page: wide; }
  #charts figure + figure { break-before: page; }
  body { max-width: none; padding: 0; font-size: 10.5pt; }
  h2 { margin-top: 18px; }
  section.school { break-before: page; page-break-before: always; }
  thead th { background: none; }
  table { font-size: 8.5pt; }
  th, td { padding: 2px 4px; }
  td.reason { font-size: 8pt; min-width: 0; }
  td.school { min-width: 7em; }
  nav.schools { display: none; }
  a { color: inherit; text-decoration: none; }
  tr, .card, .fail, figure { break-inside: avoid; page-break-inside: avoid; }
  svg { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
"#;

impl Report<'_> {
    /// The reason of move `m` of `plan`: the report's own plan has its
    /// moves explained once.
    fn move_reason(&self, plan: &Plan, m: &crate::plan::Move) -> String {
        let own = self.plan.is_some_and(|p| std::ptr::eq(p, plan));
        let at = plan.moves.iter().position(|x| std::ptr::eq(x, m));
        match at {
            Some(i) if own => {
                let reasons = self.reasons.get_or_init(|| {
                    let explained = crate::explain::explain_moves(self.county, plan);
                    explained.iter().map(|x| crate::render::reasons::move_words(self.county, x, self.lang)).collect()
                });
                reasons[i].clone()
            }
            _ => crate::render::reasons::move_reason(self.county, plan, m, self.lang),
        }
    }

    /// The Chinese or the English text, in the report's language.
    fn t<'s>(&self, zh: &'s str, en: &'s str) -> &'s str {
        self.lang.pick(zh, en)
    }

    /// The whole page: its frame, header and parts in order.
    fn render(&self) -> String {
        self.render_with("")
    }

    /// The whole page, with `preface` (HTML) between the header and the summary.
    fn render_with(&self, preface: &str) -> String {
        let year = self.county.policy.year;
        let hand_made = self.plan.is_some_and(Plan::is_hand_made);
        let title = match (self.plan.is_some(), self.lang) {
            (true, Lang::Zh) if hand_made => format!("{year} 年义务教育教师交流轮岗方案（人工编制）"),
            (true, Lang::En) if hand_made => format!("Teacher exchange rotation plan {year} (edited by hand)"),
            (true, Lang::Zh) => format!("{year} 年义务教育教师交流轮岗方案"),
            (true, Lang::En) => format!("Teacher exchange rotation plan {year}"),
            (false, Lang::Zh) => format!("{year} 年义务教育优质均衡资源配置评估"),
            (false, Lang::En) => format!("Resource indicators of compulsory schools {year}: evaluation"),
        };
        let mut body = String::new();
        w!(body, "<header>\n<h1>{}</h1>\n", escape(&title));
        let subtitle = match self.lang {
            Lang::Zh => format!(
                "{} 所学校、{} 个学段（计入县域统计 {} 个）、{} 名教师。依据县域义务教育优质均衡发展督导评估资源配置指标。",
                self.county.schools.len(),
                self.before.sections.len(),
                self.before.counted(),
                self.county.teachers.len()
            ),
            Lang::En => format!(
                "{} schools, {} school sections ({} counted in the county figures), {} teachers. Indicators of the county inspection for high-quality balanced compulsory education.",
                self.county.schools.len(),
                self.before.sections.len(),
                self.before.counted(),
                self.county.teachers.len()
            ),
        };
        w!(body, "<p class=\"subtitle\">{}</p>\n</header>\n", escape(&subtitle));
        body.push_str(preface);
        body.push_str(&self.summary());
        if let Some(plan) = self.plan {
            body.push_str(&self.applications_section(plan));
            body.push_str(&self.principals_section(plan));
        }
        body.push_str(&self.charts());
        body.push_str(&self.structure_section());
        if let Some(plan) = self.plan {
            body.push_str(&self.rotation_list(plan));
            if !plan.returns.is_empty() {
                body.push_str(&self.return_list(plan));
            }
            if !plan.hires.is_empty() {
                body.push_str(&self.hire_list(plan));
            }
        }
        body.push_str(&self.curriculum_section());
        if let Some(plan) = self.plan {
            body.push_str(&self.direction_section(plan));
            body.push_str(&self.alliances_section(&plan.alliances(self.county)));
        } else if let Some(evaluation) = self.evaluation {
            body.push_str(&self.alliances_section(&evaluation.alliances));
        }
        body.push_str(&self.school_overview());
        let (norms_before, norms_after) = crate::render::norms::norms_of(self.county, self.plan);
        body.push_str(&crate::render::norms::html_section(self.county, &norms_before, norms_after.as_ref(), self.lang));
        for pos in 0..self.county.schools.len() {
            body.push_str(&self.school_letter(pos));
        }
        let html_lang = self.t("zh-CN", "en");
        format!(
            "<!DOCTYPE html>\n<html lang=\"{html_lang}\">\n<head>\n<meta charset=\"utf-8\">\n\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
             <title>{}</title>\n<style>{CSS}</style>\n</head>\n<body>\n{body}</body>\n</html>\n",
            escape(&title)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_the_five_characters() {
        assert_eq!(escape(r#"<a href="x">'&'</a>"#), "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
        assert_eq!(escape("城关第一小学"), "城关第一小学");
    }
}
