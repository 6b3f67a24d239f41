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

use std::fmt::Write as _;

use crate::domain::{County, Facility, Level, TeacherIndicator};
use crate::exact::to_f64;
use crate::plan::{HirePlacement, Move, Plan};
use crate::render::Lang;
use crate::rules::evaluation::Evaluation;
use crate::rules::indicators::{certification, CountyFigures, Indicator, NotCounted, SectionFigures, Standing};

/// Appends formatted text to a `String` (writing to a String cannot fail).
macro_rules! w {
    ($out:expr, $($arg:tt)*) => {{
        let _ = write!($out, $($arg)*);
    }};
}

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
        uncertified: uncertified(county),
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
        uncertified: uncertified(county),
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
    /// Full-time teachers without a certificate, by school id (computed once:
    /// a province has 300,000 teachers).
    uncertified: std::collections::BTreeMap<&'a str, Vec<&'a crate::domain::Teacher>>,
}

fn uncertified(county: &County) -> std::collections::BTreeMap<&str, Vec<&crate::domain::Teacher>> {
    let mut by_school: std::collections::BTreeMap<&str, Vec<&crate::domain::Teacher>> =
        std::collections::BTreeMap::new();
    for t in certification(county).0 {
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
  #charts, #rotations, #hires { page: wide; }
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

/// Bar colours of the charts.
const GREY: &str = "#a0aec0";
const BLUE: &str = "#2b6cb0";
const ORANGE: &str = "#dd6b20";
const RED: &str = "#c53030";
/// A white outline under value labels, so they stay legible over grid and standard lines.
const HALO: &str = "paint-order=\"stroke\" stroke=\"#fff\" stroke-width=\"3\" stroke-linejoin=\"round\"";

/// Vertical grid lines with their tick labels, from 0 to `axis_max`.
fn grid(svg: &mut String, scale: &dyn Fn(f64) -> f64, axis_max: f64, step: f64, top: f64, bottom: f64) {
    let mut tick = 0.0;
    while tick <= axis_max + step * 1e-6 {
        let x = scale(tick);
        w!(svg, "<line x1=\"{x:.1}\" x2=\"{x:.1}\" y1=\"{top:.1}\" y2=\"{bottom:.1}\" stroke=\"#d8dee6\" stroke-width=\"1\"/>");
        w!(
            svg,
            "<text x=\"{x:.1}\" y=\"{:.1}\" font-size=\"10\" text-anchor=\"middle\" fill=\"#4a5568\">{}</text>\n",
            top - 6.0,
            trim_number(tick)
        );
        tick += step;
    }
}

impl Report<'_> {
    fn t<'s>(&self, zh: &'s str, en: &'s str) -> &'s str {
        self.lang.pick(zh, en)
    }

    fn render(&self) -> String {
        let year = self.county.policy.year;
        let title = match (self.plan.is_some(), self.lang) {
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
        body.push_str(&self.summary());
        body.push_str(&self.charts());
        if let Some(plan) = self.plan {
            body.push_str(&self.rotation_list(plan));
            if !plan.hires.is_empty() {
                body.push_str(&self.hire_list(plan));
            }
        }
        body.push_str(&self.school_overview());
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

    // ----- words -------------------------------------------------------

    fn level_word(&self, level: Level) -> &'static str {
        match self.lang {
            Lang::Zh => level.word_zh(),
            Lang::En => level.word(),
        }
    }

    /// The level as a heading (capitalised in English).
    fn level_title(&self, level: Level) -> String {
        capitalise(self.level_word(level))
    }

    fn indicator_name(&self, ind: Indicator) -> &'static str {
        match self.lang {
            Lang::Zh => ind.name_zh(),
            Lang::En => match ind {
                Indicator::Teacher(TeacherIndicator::HigherDegree) => {
                    "Teachers above the required degree per 100 students"
                }
                Indicator::Teacher(TeacherIndicator::Backbone) => {
                    "County-level or higher backbone teachers per 100 students"
                }
                Indicator::Teacher(TeacherIndicator::PeArts) => "PE, music and art teachers per 100 students",
                Indicator::Facility(Facility::TeachingArea) => "Teaching and auxiliary rooms, m² per student",
                Indicator::Facility(Facility::SportsArea) => "Sports grounds and halls, m² per student",
                Indicator::Facility(Facility::Equipment) => "Teaching equipment, yuan per student",
                Indicator::Facility(Facility::MultimediaRooms) => "Networked multimedia classrooms per 100 students",
            },
        }
    }

    fn indicator_short(&self, ind: Indicator) -> &'static str {
        match (ind, self.lang) {
            (Indicator::Teacher(TeacherIndicator::HigherDegree), Lang::Zh) => "高学历教师（每百生）",
            (Indicator::Teacher(TeacherIndicator::Backbone), Lang::Zh) => "骨干教师（每百生）",
            (Indicator::Teacher(TeacherIndicator::PeArts), Lang::Zh) => "体艺教师（每百生）",
            (Indicator::Facility(Facility::TeachingArea), Lang::Zh) => "生均教学辅助用房",
            (Indicator::Facility(Facility::SportsArea), Lang::Zh) => "生均体育运动场馆",
            (Indicator::Facility(Facility::Equipment), Lang::Zh) => "生均教学仪器设备值",
            (Indicator::Facility(Facility::MultimediaRooms), Lang::Zh) => "多媒体教室（每百生）",
            (Indicator::Teacher(TeacherIndicator::HigherDegree), Lang::En) => "Higher degree /100",
            (Indicator::Teacher(TeacherIndicator::Backbone), Lang::En) => "Backbone /100",
            (Indicator::Teacher(TeacherIndicator::PeArts), Lang::En) => "PE & arts /100",
            (Indicator::Facility(Facility::TeachingArea), Lang::En) => "Teaching rooms m²/student",
            (Indicator::Facility(Facility::SportsArea), Lang::En) => "Sports area m²/student",
            (Indicator::Facility(Facility::Equipment), Lang::En) => "Equipment yuan/student",
            (Indicator::Facility(Facility::MultimediaRooms), Lang::En) => "Multimedia rooms /100",
        }
    }

    /// The teacher-indicator noun used in "N more … needed".
    fn teacher_noun(&self, k: TeacherIndicator) -> &'static str {
        match (k, self.lang) {
            (TeacherIndicator::HigherDegree, Lang::Zh) => "高于规定学历教师",
            (TeacherIndicator::Backbone, Lang::Zh) => "县级及以上骨干教师",
            (TeacherIndicator::PeArts, Lang::Zh) => "体育、艺术专任教师",
            (TeacherIndicator::HigherDegree, Lang::En) => "teachers above the required degree",
            (TeacherIndicator::Backbone, Lang::En) => "backbone teachers",
            (TeacherIndicator::PeArts, Lang::En) => "PE or arts teachers",
        }
    }

    fn standing_word(&self, standing: Option<Standing>) -> (&'static str, &'static str) {
        match standing {
            Some(Standing::Reaches) => (self.t("达标", "reaches"), "ok"),
            Some(Standing::Below) => (self.t("未达标", "below"), "warn"),
            Some(Standing::Below85) => (self.t("低于标准的85%", "below 85 %"), "bad"),
            Some(Standing::NoData) => (self.t("无数据，按达标计", "no data, taken as reaching"), "muted"),
            None => ("—", "muted"),
        }
    }

    fn compliance_word(&self, s: &SectionFigures) -> String {
        match s.compliant {
            Some(true) => format!("<span class=\"ok\">{}</span>", self.t("达标", "complies")),
            Some(false) => format!("<span class=\"bad\">{}</span>", self.t("未达标", "fails")),
            None => format!("<span class=\"muted\">{}</span>", self.t("无学生", "no students")),
        }
    }

    fn not_counted_text(&self, reason: NotCounted, students: u32) -> String {
        let min = self.county.policy.standards.min_students_counted;
        match (reason, self.lang) {
            (NotCounted::NoStudents, Lang::Zh) => "该学段无学生，不参与评估。".into(),
            (NotCounted::NoStudents, Lang::En) => "The section has no students and is not scored.".into(),
            (NotCounted::SmallTeachingPoint, Lang::Zh) => {
                format!("教学点学生 {students} 人，少于 {min} 人，列出指标但不计入县域统计。")
            }
            (NotCounted::SmallTeachingPoint, Lang::En) => format!(
                "A teaching point with {students} students (under {min}): figures are shown but left out of the county figures."
            ),
        }
    }

    fn school_label(&self, pos: usize) -> String {
        let school = &self.county.schools[pos];
        format!("{} <span class=\"id\">{}</span>", escape(&school.name), escape(&school.id))
    }

    fn school_link(&self, pos: usize) -> String {
        let school = &self.county.schools[pos];
        format!(
            "<a href=\"#school-{}\">{}</a> <span class=\"id\">{}</span>",
            escape(&school.id),
            escape(&school.name),
            escape(&school.id)
        )
    }

    fn standard(&self, ind: Indicator, level: Level) -> f64 {
        let policy = &self.county.policy;
        match ind {
            Indicator::Teacher(k) => to_f64(&policy.teacher_standard(k, level)),
            Indicator::Facility(f) => to_f64(&policy.facility_standard(f, level)),
        }
    }

    // ----- summary -----------------------------------------------------

    fn card(out: &mut String, label: &str, value: &str, note: &str) {
        w!(out, "<div class=\"card\"><div class=\"label\">{label}</div><div class=\"value\">{value}</div>");
        if !note.is_empty() {
            w!(out, "<div class=\"card-note\">{note}</div>");
        }
        out.push_str("</div>\n");
    }

    fn summary(&self) -> String {
        let mut out = String::new();
        w!(out, "<section id=\"summary\">\n<h2>{}</h2>\n<div class=\"cards\">\n", self.t("县域汇总", "County summary"));
        let b = self.before;
        let counted = b.counted();
        match (self.plan, self.evaluation) {
            (Some(plan), _) => {
                let a = &plan.after;
                let policy = &self.county.policy;
                Self::card(&mut out, self.t("符合交流条件人数", "Eligible teachers"), &plan.eligible.to_string(), "");
                Self::card(
                    &mut out,
                    self.t("交流人数", "Moves"),
                    &plan.moves.len().to_string(),
                    &match self.lang {
                        Lang::Zh => format!("应交流 {} 人，至多 {} 人", plan.required_moves, plan.max_moves),
                        Lang::En => format!("required {}, at most {}", plan.required_moves, plan.max_moves),
                    },
                );
                let share = plan.backbone_share(self.county) * 100.0;
                Self::card(
                    &mut out,
                    self.t("骨干教师交流 / 骨干占比", "Backbone moves / share"),
                    &format!("{} / {share:.1}%", plan.backbone_moves(self.county)),
                    &match self.lang {
                        Lang::Zh => format!("要求不低于 {:.1}%", to_f64(&policy.rotation.backbone_min_share) * 100.0),
                        Lang::En => {
                            format!("at least {:.1}% required", to_f64(&policy.rotation.backbone_min_share) * 100.0)
                        }
                    },
                );
                Self::card(
                    &mut out,
                    self.t("达标学段", "Compliant sections"),
                    &format!("{} → {}", b.compliant(), a.compliant()),
                    &match self.lang {
                        Lang::Zh => format!("调整前 → 调整后，共 {counted} 个计入学段"),
                        Lang::En => format!("before → after, of {counted} counted sections"),
                    },
                );
                Self::card(
                    &mut out,
                    self.t("缺口（人）", "Shortfall (teachers)"),
                    &format!("{} → {}", b.shortfall(), a.shortfall()),
                    self.t("各学段教师指标距标准所差人数之和", "teachers missing to reach the teacher standards"),
                );
                Self::card(
                    &mut out,
                    self.t("交流总距离", "Total distance"),
                    &format!("{:.1} km", plan.distance_km()),
                    self.t("未知距离按 0 计", "unknown distances count 0"),
                );
                if !plan.hire_groups.is_empty() {
                    Self::card(&mut out, self.t("新招聘教师", "Hires placed"), &plan.hires.len().to_string(), "");
                }
                let (status, note) = if plan.proven_optimal() {
                    (format!("<span class=\"ok\">{}</span>", self.t("已证明最优", "proven optimal")), String::new())
                } else {
                    (
                        format!("<span class=\"warn\">{}</span>", self.t("未证明最优", "not proven optimal")),
                        format!("{}{}", crate::render::terminal::gap_words(plan, self.lang), self.t("；", "; ")),
                    )
                };
                Self::card(
                    &mut out,
                    self.t("求解状态", "Solver"),
                    &status,
                    &match self.lang {
                        // No solve time here: the same plan gives the same page.
                        Lang::Zh => format!("{note}求解器 {}", escape(crate::solve::backend_name())),
                        Lang::En => format!("{note}backend {}", escape(crate::solve::backend_name())),
                    },
                );
            }
            (None, Some(evaluation)) => {
                Self::card(
                    &mut out,
                    self.t("符合交流条件人数", "Eligible teachers"),
                    &evaluation.eligible.to_string(),
                    "",
                );
                Self::card(
                    &mut out,
                    self.t("应交流人数", "Required moves"),
                    &evaluation.required_moves.to_string(),
                    self.t("按最低交流比例向上取整", "minimum share, rounded up"),
                );
                Self::card(
                    &mut out,
                    self.t("达标学段", "Compliant sections"),
                    &format!("{} / {counted}", b.compliant()),
                    self.t("计入县域统计的学段", "of the counted sections"),
                );
                Self::card(
                    &mut out,
                    self.t("缺口（人）", "Shortfall (teachers)"),
                    &b.shortfall().to_string(),
                    self.t("各学段教师指标距标准所差人数之和", "teachers missing to reach the teacher standards"),
                );
                let (missing, rate) = certification(self.county);
                if let Some(rate) = rate {
                    Self::card(
                        &mut out,
                        self.t("教师持证率", "Certification rate"),
                        &format!("{:.1}%", rate * 100.0),
                        &match self.lang {
                            Lang::Zh => format!("{} 名专任教师无资格证", missing.len()),
                            Lang::En => format!("{} full-time teachers without a certificate", missing.len()),
                        },
                    );
                }
                let over = b.sections.iter().filter(|s| s.class_size_over).count();
                Self::card(
                    &mut out,
                    self.t("班额超标学段", "Sections over the class-size limit"),
                    &over.to_string(),
                    "",
                );
            }
            (None, None) => {}
        }
        let passes_before = b.passes();
        let verdict = match (self.after, self.lang) {
            (Some(a), Lang::Zh) => format!(
                "资源配置评估：调整前{}，调整后{}。",
                if passes_before { "通过" } else { "未通过" },
                if a.passes() { "通过" } else { "未通过" }
            ),
            (Some(a), Lang::En) => format!(
                "Resource part of the inspection: {} before, {} after.",
                if passes_before { "passes" } else { "fails" },
                if a.passes() { "passes" } else { "fails" }
            ),
            (None, Lang::Zh) => format!("资源配置评估：{}。", if passes_before { "通过" } else { "未通过" }),
            (None, Lang::En) => {
                format!("Resource part of the inspection: {}.", if passes_before { "passes" } else { "fails" })
            }
        };
        w!(out, "</div>\n<p class=\"verdict\">{verdict}</p>\n");
        out.push_str(&self.cv_table());
        out.push_str("</section>\n");
        out
    }

    fn cv_cell(value: Option<f64>, limit: f64) -> String {
        match value {
            None => "<td class=\"num muted\">—</td>".into(),
            Some(v) if v <= limit + 1e-12 => format!("<td class=\"num ok\">{v:.4}</td>"),
            Some(v) => format!("<td class=\"num bad\">{v:.4} ✗</td>"),
        }
    }

    fn cv_table(&self) -> String {
        let mut out = String::new();
        w!(
            out,
            "<h3>{}</h3>\n<table class=\"cv\">\n<thead>\n<tr><th rowspan=\"2\">{}</th>",
            self.t("差异系数", "Difference coefficients"),
            self.t("指标", "Indicator")
        );
        let span = if self.after.is_some() { 4 } else { 3 };
        for level in Level::BOTH {
            w!(out, "<th colspan=\"{span}\">{}</th>", self.level_title(level));
        }
        out.push_str("</tr>\n<tr>");
        for _ in Level::BOTH {
            if self.after.is_some() {
                w!(
                    out,
                    "<th class=\"num\">{}</th><th class=\"num\">{}</th>",
                    self.t("调整前", "before"),
                    self.t("调整后", "after")
                );
            } else {
                w!(out, "<th class=\"num\">{}</th>", self.t("现值", "value"));
            }
            w!(
                out,
                "<th class=\"num\">{}</th><th class=\"num\">{}</th>",
                self.t("限值", "limit"),
                self.t("学段数", "sections")
            );
        }
        out.push_str("</tr>\n</thead>\n<tbody>\n");
        for ind in Indicator::ALL {
            w!(out, "<tr><td>{}</td>", self.indicator_name(ind));
            for level in Level::BOTH {
                let b = &self.before.cv[&(level, ind)];
                out.push_str(&Self::cv_cell(b.value, b.limit));
                if let Some(a) = self.after {
                    let c = &a.cv[&(level, ind)];
                    out.push_str(&Self::cv_cell(c.value, c.limit));
                }
                w!(out, "<td class=\"num\">≤ {}</td><td class=\"num\">{}</td>", trim_number(b.limit), b.sections);
            }
            out.push_str("</tr>\n");
        }
        w!(
            out,
            "</tbody>\n</table>\n<p class=\"muted\">{}</p>\n",
            self.t(
                "差异系数按学生数加权（总体标准差 / 加权平均值），只计入县域统计的学段；设施指标只计有数据的学段；“—”表示无数据或平均值为 0。",
                "Difference coefficients are student-weighted (population standard deviation / weighted mean) over the counted sections; facility coefficients use only sections with data; “—” means no data or a mean of 0."
            )
        );
        out
    }

    // ----- charts ------------------------------------------------------

    fn charts(&self) -> String {
        let mut out = String::new();
        w!(out, "<section id=\"charts\">\n<h2>{}</h2>\n", self.t("图表", "Charts"));
        let caption = match (self.after.is_some(), self.lang) {
            (true, Lang::Zh) => "各学段三项教师指标（每百名学生），灰色为调整前，彩色为调整后（蓝：达标，橙：未达标，红：低于标准的85%），红色虚线为标准；右侧数字为调整后数值。",
            (true, Lang::En) => "The three teacher indicators per 100 students of each section: grey before, colour after (blue reaches the standard, orange below, red below 85 %); the dashed red line is the standard; the number is the value after.",
            (false, Lang::Zh) => "各学段三项教师指标（每百名学生），蓝：达标，橙：未达标，红：低于标准的85%；红色虚线为标准。",
            (false, Lang::En) => "The three teacher indicators per 100 students of each section: blue reaches the standard, orange below, red below 85 %; the dashed red line is the standard.",
        };
        w!(out, "<figure>\n{}<figcaption>{caption}</figcaption>\n</figure>\n", self.teacher_chart());
        let caption = match (self.after.is_some(), self.lang) {
            (true, Lang::Zh) => "差异系数：灰色为调整前，彩色为调整后（蓝：不超过限值，红：超过限值），红色虚线为限值。",
            (true, Lang::En) => "Difference coefficients: grey before, colour after (blue within the limit, red over it); the dashed red line is the limit.",
            (false, Lang::Zh) => "差异系数（蓝：不超过限值，红：超过限值），红色虚线为限值。",
            (false, Lang::En) => "Difference coefficients (blue within the limit, red over it); the dashed red line is the limit.",
        };
        w!(out, "<figure>\n{}<figcaption>{caption}</figcaption>\n</figure>\n</section>\n", self.cv_chart());
        out
    }

    fn legend(svg: &mut String, y: f64, items: &[(&str, &str)], line_label: &str) {
        let mut x = 0.0;
        for (colour, label) in items {
            w!(svg, "<rect x=\"{x:.1}\" y=\"{:.1}\" width=\"14\" height=\"10\" fill=\"{colour}\"/>", y - 9.0);
            w!(svg, "<text x=\"{:.1}\" y=\"{y:.1}\" font-size=\"12\">{}</text>", x + 19.0, escape(label));
            x += 28.0 + text_width(label, 12.0);
        }
        w!(
            svg,
            "<line x1=\"{x:.1}\" x2=\"{:.1}\" y1=\"{:.1}\" y2=\"{:.1}\" stroke=\"{RED}\" stroke-width=\"1.5\" stroke-dasharray=\"4 3\"/>",
            x,
            y - 11.0,
            y + 1.0
        );
        w!(svg, "<text x=\"{:.1}\" y=\"{y:.1}\" font-size=\"12\">{line_label}</text>\n", x + 6.0);
    }

    fn teacher_chart(&self) -> String {
        const WIDTH: f64 = 1100.0;
        const LABEL: f64 = 210.0;
        const GAP: f64 = 26.0;
        const VALUE_ROOM: f64 = 34.0;
        let panel = (WIDTH - LABEL - 2.0 * GAP - 8.0) / 3.0;
        let has_after = self.after.is_some();
        let row_h = if has_after { 17.0 } else { 13.0 };
        let group_h = 22.0;
        // Rows: sections with students, primary first, then by school id.
        let mut groups: Vec<(Level, Vec<usize>)> = Vec::new();
        for level in Level::BOTH {
            let rows: Vec<usize> = (0..self.before.sections.len())
                .filter(|&i| self.before.sections[i].level == level && self.before.sections[i].students > 0)
                .collect();
            if !rows.is_empty() {
                groups.push((level, rows));
            }
        }
        let row_count: usize = groups.iter().map(|(_, r)| r.len()).sum();
        let top = 74.0;
        let height = top + groups.len() as f64 * group_h + row_count as f64 * row_h + 24.0;
        let mut svg = String::new();
        w!(
            svg,
            "<svg class=\"chart teacher-chart\" viewBox=\"0 0 {WIDTH} {height:.0}\" xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-label=\"{}\" font-family=\"inherit\">\n",
            self.t("各学段教师指标", "Teacher indicators by section")
        );
        let legend: Vec<(&str, &str)> = if has_after {
            vec![
                (GREY, self.t("调整前", "before")),
                (BLUE, self.t("调整后 达标", "after: reaches")),
                (ORANGE, self.t("调整后 未达标", "after: below")),
                (RED, self.t("调整后 低于85%", "after: below 85 %")),
            ]
        } else {
            vec![
                (BLUE, self.t("达标", "reaches")),
                (ORANGE, self.t("未达标", "below")),
                (RED, self.t("低于标准的85%", "below 85 %")),
            ]
        };
        Self::legend(&mut svg, 14.0, &legend, self.t("标准", "standard"));
        // Alternate row shading across the whole width.
        let mut y = top;
        let mut shade = String::new();
        for (_, rows) in &groups {
            y += group_h;
            for (n, _) in rows.iter().enumerate() {
                if n % 2 == 1 {
                    w!(shade, "<rect x=\"0\" y=\"{y:.1}\" width=\"{WIDTH}\" height=\"{row_h}\" fill=\"#f3f5f8\"/>");
                }
                y += row_h;
            }
        }
        svg.push_str(&shade);
        svg.push('\n');
        // Row labels and group headers.
        let mut y = top;
        for (level, rows) in &groups {
            w!(
                svg,
                "<text x=\"0\" y=\"{:.1}\" font-size=\"13\" font-weight=\"bold\">{}</text>\n",
                y + 16.0,
                self.level_title(*level)
            );
            y += group_h;
            for &i in rows {
                let s = &self.before.sections[i];
                let school = &self.county.schools[s.school];
                let mut label = school.name.clone();
                if !s.counted {
                    label.push_str(self.t("（不计）", " (not counted)"));
                }
                let shown = truncate_to_width(&label, 11.0, LABEL - 8.0);
                w!(
                    svg,
                    "<text x=\"4\" y=\"{:.1}\" font-size=\"11\"><title>{} {}</title>{}</text>\n",
                    y + row_h / 2.0 + 4.0,
                    escape(&school.name),
                    escape(&school.id),
                    escape(&shown)
                );
                y += row_h;
            }
        }
        // One panel per teacher indicator.
        for (p, k) in TeacherIndicator::ALL.iter().enumerate() {
            let ind = Indicator::Teacher(*k);
            let x0 = LABEL + p as f64 * (panel + GAP);
            let bar_room = panel - VALUE_ROOM;
            let mut max: f64 = 0.0;
            for (level, rows) in &groups {
                max = max.max(self.standard(ind, *level));
                for &i in rows {
                    let b = self.before.sections[i].values[k.index()].unwrap_or(0.0);
                    let a = self.after.map_or(0.0, |f| f.sections[i].values[k.index()].unwrap_or(0.0));
                    max = max.max(b).max(a);
                }
            }
            let (axis_max, step) = nice_axis(max);
            let scale = |v: f64| x0 + (v / axis_max).clamp(0.0, 1.0) * bar_room;
            w!(
                svg,
                "<text x=\"{x0:.1}\" y=\"44\" font-size=\"13\" font-weight=\"bold\">{}</text>\n",
                escape(self.indicator_short(ind))
            );
            // Grid lines and tick labels.
            let bottom = height - 24.0;
            grid(&mut svg, &scale, axis_max, step, top, bottom);
            let mut y = top;
            for (level, rows) in &groups {
                let standard = self.standard(ind, *level);
                let group_top = y;
                y += group_h;
                for &i in rows {
                    let b = &self.before.sections[i];
                    let a = self.after.map(|f| &f.sections[i]);
                    let (main, main_y, main_h) = match a {
                        Some(a) => {
                            if let Some(v) = b.values[k.index()] {
                                w!(
                                    svg,
                                    "<rect x=\"{x0:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"6\" fill=\"{GREY}\"/>",
                                    y + 2.0,
                                    scale(v) - x0
                                );
                            }
                            (a, y + 9.0, 6.0)
                        }
                        None => (b, y + 2.5, 8.0),
                    };
                    if let Some(v) = main.values[k.index()] {
                        let colour = match main.standing[k.index()] {
                            Some(Standing::Reaches) => BLUE,
                            Some(Standing::Below) => ORANGE,
                            _ => RED,
                        };
                        let title = match a {
                            Some(_) => format!(
                                "{} {}: {} → {}",
                                self.county.schools[b.school].name,
                                self.level_word(b.level),
                                fmt2(b.values[k.index()]),
                                fmt2(Some(v))
                            ),
                            None => {
                                format!("{} {}: {v:.2}", self.county.schools[b.school].name, self.level_word(b.level))
                            }
                        };
                        let end = scale(v);
                        w!(
                            svg,
                            "<rect x=\"{x0:.1}\" y=\"{main_y:.1}\" width=\"{:.1}\" height=\"{main_h}\" fill=\"{colour}\"><title>{}</title></rect>",
                            end - x0,
                            escape(&title)
                        );
                        w!(
                            svg,
                            "<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"9.5\" fill=\"#2d3748\" {HALO}>{v:.2}</text>\n",
                            end + 3.0,
                            main_y + main_h - 0.5
                        );
                    }
                    y += row_h;
                }
                let sx = scale(standard);
                w!(
                    svg,
                    "<line x1=\"{sx:.1}\" x2=\"{sx:.1}\" y1=\"{:.1}\" y2=\"{y:.1}\" stroke=\"{RED}\" stroke-width=\"1.5\" stroke-dasharray=\"4 3\"/>",
                    group_top + 18.0
                );
                w!(
                    svg,
                    "<text x=\"{sx:.1}\" y=\"{:.1}\" font-size=\"10\" fill=\"{RED}\" text-anchor=\"middle\">{} {}</text>\n",
                    group_top + 14.0,
                    self.t("标准", "standard"),
                    trim_number(standard)
                );
            }
        }
        svg.push_str("</svg>\n");
        svg
    }

    fn cv_chart(&self) -> String {
        const WIDTH: f64 = 1100.0;
        const LABEL: f64 = 230.0;
        const VALUE_ROOM: f64 = 90.0;
        let has_after = self.after.is_some();
        let row_h = if has_after { 20.0 } else { 16.0 };
        let group_h = 24.0;
        let top = 48.0;
        let height = top + 2.0 * group_h + 14.0 * row_h + 16.0;
        let x0 = LABEL;
        let bar_room = WIDTH - LABEL - VALUE_ROOM;
        let mut max: f64 = 0.0;
        for ((_, _), c) in &self.before.cv {
            max = max.max(c.limit).max(c.value.unwrap_or(0.0));
        }
        if let Some(a) = self.after {
            for c in a.cv.values() {
                max = max.max(c.value.unwrap_or(0.0));
            }
        }
        let (axis_max, step) = nice_axis(max);
        let scale = |v: f64| x0 + (v / axis_max).clamp(0.0, 1.0) * bar_room;
        let mut svg = String::new();
        w!(
            svg,
            "<svg class=\"chart cv-chart\" viewBox=\"0 0 {WIDTH} {height:.0}\" xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-label=\"{}\" font-family=\"inherit\">\n",
            self.t("差异系数", "Difference coefficients")
        );
        let legend: Vec<(&str, &str)> = if has_after {
            vec![
                (GREY, self.t("调整前", "before")),
                (BLUE, self.t("调整后 不超过限值", "after: within the limit")),
                (RED, self.t("调整后 超过限值", "after: over the limit")),
            ]
        } else {
            vec![(BLUE, self.t("不超过限值", "within the limit")), (RED, self.t("超过限值", "over the limit"))]
        };
        Self::legend(&mut svg, 14.0, &legend, self.t("限值", "limit"));
        let bottom = height - 16.0;
        grid(&mut svg, &scale, axis_max, step, top, bottom);
        let mut y = top;
        for level in Level::BOTH {
            let group_top = y;
            w!(
                svg,
                "<text x=\"0\" y=\"{:.1}\" font-size=\"13\" font-weight=\"bold\">{}</text>\n",
                y + 17.0,
                self.level_title(level)
            );
            y += group_h;
            let limit = self.before.cv[&(level, Indicator::ALL[0])].limit;
            for (n, ind) in Indicator::ALL.iter().enumerate() {
                if n % 2 == 1 {
                    w!(svg, "<rect x=\"0\" y=\"{y:.1}\" width=\"{WIDTH}\" height=\"{row_h}\" fill=\"#f3f5f8\"/>");
                }
                w!(
                    svg,
                    "<text x=\"4\" y=\"{:.1}\" font-size=\"11\">{}</text>",
                    y + row_h / 2.0 + 4.0,
                    escape(self.indicator_short(*ind))
                );
                let b = &self.before.cv[&(level, *ind)];
                let a = self.after.map(|f| &f.cv[&(level, *ind)]);
                let (main, main_y, main_h) = match a {
                    Some(a) => {
                        if let Some(v) = b.value {
                            w!(
                                svg,
                                "<rect x=\"{x0:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"7\" fill=\"{GREY}\"/>",
                                y + 2.5,
                                scale(v) - x0
                            );
                        }
                        (a, y + 10.5, 7.0)
                    }
                    None => (b, y + 3.0, 10.0),
                };
                match main.value {
                    Some(v) => {
                        let colour = if main.within_limit() { BLUE } else { RED };
                        let end = scale(v);
                        w!(svg, "<rect x=\"{x0:.1}\" y=\"{main_y:.1}\" width=\"{:.1}\" height=\"{main_h}\" fill=\"{colour}\"/>", end - x0);
                        let text = match (a, b.value) {
                            (Some(_), Some(before)) => format!("{before:.4} → {v:.4}"),
                            (Some(_), None) => format!("— → {v:.4}"),
                            (None, _) => format!("{v:.4}"),
                        };
                        w!(
                            svg,
                            "<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"10\" fill=\"#2d3748\" {HALO}>{text}</text>\n",
                            end + 4.0,
                            main_y + main_h - 0.5
                        );
                    }
                    None => {
                        w!(
                            svg,
                            "<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"10\" fill=\"#718096\">{}</text>\n",
                            x0 + 4.0,
                            y + row_h / 2.0 + 4.0,
                            self.t("— 无数据", "— no data")
                        );
                    }
                }
                y += row_h;
            }
            let lx = scale(limit);
            w!(
                svg,
                "<line x1=\"{lx:.1}\" x2=\"{lx:.1}\" y1=\"{:.1}\" y2=\"{y:.1}\" stroke=\"{RED}\" stroke-width=\"1.5\" stroke-dasharray=\"4 3\"/>",
                group_top + 20.0
            );
            w!(
                svg,
                "<text x=\"{lx:.1}\" y=\"{:.1}\" font-size=\"10\" fill=\"{RED}\" text-anchor=\"middle\">{} {}</text>\n",
                group_top + 16.0,
                self.t("限值", "limit"),
                trim_number(limit)
            );
        }
        svg.push_str("</svg>\n");
        svg
    }

    // ----- lists -------------------------------------------------------

    fn rotation_list(&self, plan: &Plan) -> String {
        let mut out = String::new();
        w!(out, "<section id=\"rotations\">\n<h2>{}</h2>\n", self.t("交流名单", "Rotation list"));
        if plan.moves.is_empty() {
            w!(out, "<p>{}</p>\n</section>\n", self.t("本方案没有教师交流。", "The plan moves no teacher."));
            return out;
        }
        let policy = &self.county.policy;
        w!(
            out,
            "<p class=\"muted\">{}</p>\n",
            match self.lang {
                Lang::Zh => format!(
                    "共 {} 人，交流期 {} 年（至 {} 年返回或续聘）。按调出学校、教师编号排序。",
                    plan.moves.len(),
                    policy.rotation.years,
                    policy.year + policy.rotation.years
                ),
                Lang::En => format!(
                    "{} teachers, for {} years (return year {}). Sorted by school of origin, then teacher id.",
                    plan.moves.len(),
                    policy.rotation.years,
                    policy.year + policy.rotation.years
                ),
            }
        );
        w!(
            out,
            "<table id=\"rotation-table\">\n<thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th class=\"num\">{}</th><th>{}</th><th>{}</th></tr></thead>\n<tbody>\n",
            self.t("教师编号", "Teacher id"),
            self.t("姓名", "Name"),
            self.t("学段", "Section"),
            self.t("学科", "Subject"),
            self.t("调出学校", "From"),
            self.t("调入学校", "To"),
            self.t("距离 km", "km"),
            self.t("骨干级别", "Backbone"),
            self.t("理由", "Reason"),
        );
        for m in &plan.moves {
            let t = &self.county.teachers[m.teacher];
            w!(
                out,
                "<tr class=\"move\"><td class=\"nowrap\">{}</td><td class=\"nowrap\">{}</td><td class=\"nowrap\">{}</td><td class=\"nowrap\">{}</td><td class=\"school\">{}</td><td class=\"school\">{}</td><td class=\"num\">{}</td><td class=\"nowrap\">{}</td><td class=\"reason\">{}</td></tr>\n",
                escape(&t.id),
                escape(&t.name),
                self.level_word(m.level),
                self.subject_word(t.subject),
                self.school_link(m.from),
                self.school_link(m.to),
                fmt_km(m.km),
                self.backbone_word(t.backbone),
                escape(&crate::render::reasons::move_reason(self.county, plan, m, self.lang))
            );
        }
        out.push_str("</tbody>\n</table>\n</section>\n");
        out
    }

    fn subject_word(&self, s: crate::domain::Subject) -> &'static str {
        match self.lang {
            Lang::Zh => s.word_zh(),
            Lang::En => s.word(),
        }
    }

    fn backbone_word(&self, b: crate::domain::Backbone) -> &'static str {
        match self.lang {
            Lang::Zh => b.word_zh(),
            Lang::En => b.word(),
        }
    }

    fn degree_word(&self, d: crate::domain::Degree) -> &'static str {
        match self.lang {
            Lang::Zh => d.word_zh(),
            Lang::En => d.word(),
        }
    }

    fn hire_header(&self, with_school: bool) -> String {
        let mut out = format!(
            "<thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th>",
            self.t("编号", "Hire id"),
            self.t("学段", "Section"),
            self.t("学科", "Subject"),
            self.t("学历", "Degree"),
            self.t("骨干级别", "Backbone"),
        );
        if with_school {
            w!(out, "<th>{}</th>", self.t("安排学校", "School"));
        }
        w!(out, "<th>{}</th></tr></thead>\n", self.t("理由", "Reason"));
        out
    }

    fn hire_row(&self, plan: &Plan, h: &HirePlacement, with_school: bool) -> String {
        let g = &plan.hire_groups[h.group];
        let mut out = format!(
            "<tr class=\"hire\"><td class=\"nowrap\">{}</td><td class=\"nowrap\">{}</td><td class=\"nowrap\">{}</td><td class=\"nowrap\">{}</td><td class=\"nowrap\">{}</td>",
            escape(&h.id),
            self.level_word(g.level),
            self.subject_word(g.subject),
            self.degree_word(g.degree),
            self.backbone_word(g.backbone),
        );
        if with_school {
            w!(out, "<td class=\"school\">{}</td>", self.school_link(h.to));
        }
        w!(
            out,
            "<td class=\"reason\">{}</td></tr>\n",
            escape(&crate::render::reasons::hire_reason(self.county, plan, h, self.lang))
        );
        out
    }

    fn hire_list(&self, plan: &Plan) -> String {
        let mut out = String::new();
        w!(
            out,
            "<section id=\"hires\">\n<h2>{}</h2>\n<table id=\"hire-table\">\n",
            self.t("新招聘教师安排", "Placement of hires")
        );
        out.push_str(&self.hire_header(true));
        out.push_str("<tbody>\n");
        for h in &plan.hires {
            out.push_str(&self.hire_row(plan, h, true));
        }
        out.push_str("</tbody>\n</table>\n</section>\n");
        out
    }

    fn school_overview(&self) -> String {
        let mut out = String::new();
        w!(out, "<section id=\"schools\">\n<h2>{}</h2>\n", self.t("学校一览", "Schools"));
        w!(
            out,
            "<table id=\"school-table\">\n<thead><tr><th>{}</th><th>{}</th><th class=\"num\">{}</th>",
            self.t("学校", "School"),
            self.t("学段", "Section"),
            self.t("学生数", "Students")
        );
        match self.after {
            Some(_) => w!(
                out,
                "<th>{}</th><th>{}</th><th class=\"num\">{}</th><th class=\"num\">{}</th><th class=\"num\">{}</th>",
                self.t("调整前", "Before"),
                self.t("调整后", "After"),
                self.t("缺口 前→后", "Shortfall before→after"),
                self.t("调出", "Out"),
                self.t("调入", "In"),
            ),
            None => w!(
                out,
                "<th>{}</th><th class=\"num\">{}</th>",
                self.t("达标情况", "Compliance"),
                self.t("缺口", "Shortfall")
            ),
        }
        out.push_str("</tr></thead>\n<tbody>\n");
        for (i, b) in self.before.sections.iter().enumerate() {
            let not_counted = if b.counted {
                String::new()
            } else {
                format!(" <span class=\"muted\">{}</span>", self.t("（不计入）", "(not counted)"))
            };
            w!(
                out,
                "<tr><td>{}</td><td>{}{not_counted}</td><td class=\"num\">{}</td>",
                self.school_link(b.school),
                self.level_word(b.level),
                b.students
            );
            match (self.after, self.plan) {
                (Some(after), Some(plan)) => {
                    let a = &after.sections[i];
                    let out_n = plan.moves.iter().filter(|m| m.from == b.school && m.level == b.level).count();
                    let in_n = plan.moves.iter().filter(|m| m.to == b.school && m.level == b.level).count();
                    w!(
                        out,
                        "<td>{}</td><td>{}</td><td class=\"num\">{} → {}</td><td class=\"num\">{out_n}</td><td class=\"num\">{in_n}</td>",
                        self.compliance_word(b),
                        self.compliance_word(a),
                        b.shortfall,
                        a.shortfall
                    );
                }
                _ => w!(out, "<td>{}</td><td class=\"num\">{}</td>", self.compliance_word(b), b.shortfall),
            }
            out.push_str("</tr>\n");
        }
        out.push_str("</tbody>\n</table>\n</section>\n");
        out
    }

    // ----- the letter to one school --------------------------------------

    fn move_table(&self, plan: &Plan, moves: &[&Move], departures: bool) -> String {
        let mut out = String::new();
        w!(
            out,
            "<table class=\"{}\">\n<thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th class=\"num\">{}</th><th>{}</th></tr></thead>\n<tbody>\n",
            if departures { "departures" } else { "arrivals" },
            self.t("教师编号", "Teacher id"),
            self.t("姓名", "Name"),
            self.t("学段", "Section"),
            self.t("学科", "Subject"),
            self.t("骨干级别", "Backbone"),
            if departures { self.t("调入学校", "To") } else { self.t("调出学校", "From") },
            self.t("距离 km", "km"),
            self.t("理由", "Reason"),
        );
        for m in moves {
            let t = &self.county.teachers[m.teacher];
            w!(
                out,
                "<tr><td class=\"nowrap\">{}</td><td class=\"nowrap\">{}</td><td class=\"nowrap\">{}</td><td class=\"nowrap\">{}</td><td class=\"nowrap\">{}</td><td class=\"school\">{}</td><td class=\"num\">{}</td><td class=\"reason\">{}</td></tr>\n",
                escape(&t.id),
                escape(&t.name),
                self.level_word(m.level),
                self.subject_word(t.subject),
                self.backbone_word(t.backbone),
                self.school_link(if departures { m.to } else { m.from }),
                fmt_km(m.km),
                escape(&crate::render::reasons::move_reason(self.county, plan, m, self.lang))
            );
        }
        out.push_str("</tbody>\n</table>\n");
        out
    }

    fn school_letter(&self, pos: usize) -> String {
        let county = self.county;
        let school = &county.schools[pos];
        let year = county.policy.year;
        let mut out = String::new();
        w!(
            out,
            "<section class=\"school\" id=\"school-{}\">\n<h2>{}</h2>\n",
            escape(&school.id),
            self.school_label(pos)
        );
        let kind = match self.lang {
            Lang::Zh => school.kind.word_zh(),
            Lang::En => school.kind.word(),
        };
        let area = match self.lang {
            Lang::Zh => school.area.word_zh(),
            Lang::En => school.area.word(),
        };
        w!(
            out,
            "<p class=\"muted\">{} {} · {} {} · {}</p>\n",
            self.t("乡镇", "Town"),
            escape(&school.town),
            self.t("类型", "Kind"),
            kind,
            area
        );
        let sections: Vec<(usize, &SectionFigures)> =
            self.before.sections.iter().enumerate().filter(|(_, s)| s.school == pos).collect();
        let failing_after: Vec<&SectionFigures> = sections
            .iter()
            .map(|(i, b)| self.after.map_or(*b, |a| &a.sections[*i]))
            .filter(|s| s.counted && s.compliant == Some(false))
            .collect();
        let name = escape(&school.name);
        match self.plan {
            Some(plan) => {
                let departures: Vec<&Move> = plan.moves.iter().filter(|m| m.from == pos).collect();
                let mut arrivals: Vec<&Move> = plan.moves.iter().filter(|m| m.to == pos).collect();
                arrivals.sort_by(|a, b| county.teachers[a.teacher].id.cmp(&county.teachers[b.teacher].id));
                let hires: Vec<&HirePlacement> = plan.hires.iter().filter(|h| h.to == pos).collect();
                let greeting = match self.lang {
                    Lang::Zh if departures.is_empty() && arrivals.is_empty() && hires.is_empty() => {
                        format!("{name}：根据 {year} 年度义务教育教师交流轮岗方案，本校本年度无教师调出或调入。")
                    }
                    Lang::En if departures.is_empty() && arrivals.is_empty() && hires.is_empty() => {
                        format!("To {name}: under the {year} teacher exchange rotation plan, no teacher leaves or joins your school this year.")
                    }
                    Lang::Zh => format!(
                        "{name}：根据 {year} 年度义务教育教师交流轮岗方案，本校调出教师 {} 人、调入教师 {} 人{}。",
                        departures.len(),
                        arrivals.len(),
                        if hires.is_empty() { String::new() } else { format!("、新招聘教师 {} 人", hires.len()) }
                    ),
                    Lang::En => format!(
                        "To {name}: under the {year} teacher exchange rotation plan, {} teacher(s) leave your school and {} arrive{}.",
                        departures.len(),
                        arrivals.len(),
                        if hires.is_empty() { String::new() } else { format!("; {} new hire(s) are placed here", hires.len()) }
                    ),
                };
                w!(out, "<p class=\"letter\">{greeting}</p>\n");
                w!(out, "<h3>{}</h3>\n", self.t("调出", "Departures"));
                if departures.is_empty() {
                    w!(out, "<p class=\"muted\">{}</p>\n", self.t("本校无教师调出。", "No teacher leaves the school."));
                } else {
                    out.push_str(&self.move_table(plan, &departures, true));
                }
                w!(out, "<h3>{}</h3>\n", self.t("调入", "Arrivals"));
                if arrivals.is_empty() {
                    w!(out, "<p class=\"muted\">{}</p>\n", self.t("本校无教师调入。", "No teacher arrives."));
                } else {
                    out.push_str(&self.move_table(plan, &arrivals, false));
                }
                if !hires.is_empty() {
                    w!(out, "<h3>{}</h3>\n<table class=\"hires\">\n", self.t("新招聘教师", "New hires"));
                    out.push_str(&self.hire_header(false));
                    out.push_str("<tbody>\n");
                    for h in hires {
                        out.push_str(&self.hire_row(plan, h, false));
                    }
                    out.push_str("</tbody>\n</table>\n");
                }
            }
            None => {
                let greeting = match self.lang {
                    Lang::Zh => format!("{name}：以下为本校 {year} 年度义务教育优质均衡资源配置指标评估结果。"),
                    Lang::En => {
                        format!("To {name}: the resource indicators of your school for {year}, as the data stands.")
                    }
                };
                w!(out, "<p class=\"letter\">{greeting}</p>\n");
            }
        }
        for (i, b) in &sections {
            let a = self.after.map(|f| &f.sections[*i]);
            out.push_str(&self.section_figures(b, a));
        }
        if sections.iter().all(|(_, s)| !s.counted) {
            // Nothing more to say: the notes above explain why.
        } else if failing_after.is_empty() {
            let text = match self.after {
                Some(_) => self
                    .t("调整后本校各计入学段均达标。", "After the plan every counted section of the school complies."),
                None => self.t("本校各计入学段均达标。", "Every counted section of the school complies."),
            };
            w!(out, "<p class=\"verdict ok\">{text}</p>\n");
        }
        if self.evaluation.is_some() {
            let here: Vec<String> = self
                .uncertified
                .get(school.id.as_str())
                .into_iter()
                .flatten()
                .map(|t| format!("{} <span class=\"id\">{}</span>", escape(&t.name), escape(&t.id)))
                .collect();
            if !here.is_empty() {
                w!(
                    out,
                    "<p class=\"note\">{}{}</p>\n",
                    self.t("未持教师资格证的专任教师：", "Full-time teachers without a teaching certificate: "),
                    here.join(self.t("、", ", "))
                );
            }
        }
        out.push_str("</section>\n");
        out
    }

    fn section_figures(&self, b: &SectionFigures, a: Option<&SectionFigures>) -> String {
        let mut out = String::new();
        let policy = &self.county.policy;
        w!(
            out,
            "<h3>{}</h3>\n",
            match self.lang {
                Lang::Zh => format!("{}学段指标", b.level.word_zh()),
                Lang::En => format!("{} section: indicators", capitalise(b.level.word())),
            }
        );
        let limit = policy.standards.class_size.get(b.level);
        let class = match (b.class_size, self.lang) {
            (Some(size), Lang::Zh) => format!(
                "，{} 个班（平均班额 {size:.1}，上限 {limit}{}）",
                b.classes,
                if b.class_size_over { "，<span class=\"bad\">超标</span>" } else { "" }
            ),
            (Some(size), Lang::En) => format!(
                ", {} classes (average {size:.1}, limit {limit}{})",
                b.classes,
                if b.class_size_over { ", <span class=\"bad\">over</span>" } else { "" }
            ),
            (None, _) => String::new(),
        };
        let teachers = match (a, self.lang) {
            (Some(a), Lang::Zh) => format!("；专任教师 {} → {} 人", b.counts.teachers, a.counts.teachers),
            (Some(a), Lang::En) => format!("; full-time teachers {} → {}", b.counts.teachers, a.counts.teachers),
            (None, Lang::Zh) => format!("；专任教师 {} 人", b.counts.teachers),
            (None, Lang::En) => format!("; {} full-time teachers", b.counts.teachers),
        };
        w!(
            out,
            "<p>{} {}{class}{teachers}</p>\n",
            self.t("学生", "Students"),
            match self.lang {
                Lang::Zh => format!("{} 人", b.students),
                Lang::En => b.students.to_string(),
            }
        );
        if let Some(reason) = b.not_counted_reason {
            w!(out, "<p class=\"note\">{}</p>\n", self.not_counted_text(reason, b.students));
            if b.students == 0 {
                return out;
            }
        }
        w!(
            out,
            "<table class=\"figures\">\n<thead><tr><th>{}</th><th class=\"num\">{}</th>",
            self.t("指标", "Indicator"),
            self.t("标准", "Standard")
        );
        if a.is_some() {
            w!(
                out,
                "<th class=\"num\">{}</th><th class=\"num\">{}</th><th class=\"num\">{}</th><th class=\"num\">{}</th><th>{}</th><th>{}</th>",
                self.t("调整前", "Before"),
                self.t("调整后", "After"),
                self.t("达标需（人）", "Needed (teachers)"),
                self.t("人数 前→后", "Teachers before→after"),
                self.t("状态（调整前）", "Standing before"),
                self.t("状态（调整后）", "Standing after"),
            );
        } else {
            w!(
                out,
                "<th class=\"num\">{}</th><th class=\"num\">{}</th><th class=\"num\">{}</th><th>{}</th>",
                self.t("现值", "Value"),
                self.t("达标需（人）", "Needed (teachers)"),
                self.t("现有人数", "Teachers"),
                self.t("状态", "Standing"),
            );
        }
        out.push_str("</tr></thead>\n<tbody>\n");
        for ind in Indicator::ALL {
            let i = ind.index();
            let standard = self.standard(ind, b.level);
            w!(out, "<tr><td>{}</td><td class=\"num\">{}</td>", self.indicator_name(ind), trim_number(standard));
            let (needed, count_before) = match ind {
                Indicator::Teacher(k) => {
                    (b.thresholds[k.index()].full.to_string(), Some(b.counts.indicator[k.index()]))
                }
                Indicator::Facility(_) => ("—".to_string(), None),
            };
            let (word_b, class_b) = self.standing_word(b.standing[i]);
            w!(out, "<td class=\"num\">{}</td>", fmt2(b.values[i]));
            match a {
                Some(a) => {
                    let (word_a, class_a) = self.standing_word(a.standing[i]);
                    let counts = match (count_before, ind) {
                        (Some(c), Indicator::Teacher(k)) => format!("{c} → {}", a.counts.indicator[k.index()]),
                        _ => "—".into(),
                    };
                    w!(
                        out,
                        "<td class=\"num\">{}</td><td class=\"num\">{needed}</td><td class=\"num\">{counts}</td><td class=\"{class_b}\">{word_b}</td><td class=\"{class_a}\">{word_a}</td>",
                        fmt2(a.values[i])
                    );
                }
                None => {
                    let counts = count_before.map_or("—".to_string(), |c| c.to_string());
                    w!(
                        out,
                        "<td class=\"num\">{needed}</td><td class=\"num\">{counts}</td><td class=\"{class_b}\">{word_b}</td>"
                    );
                }
            }
            out.push_str("</tr>\n");
        }
        out.push_str("</tbody>\n</table>\n");
        let reached = |s: &SectionFigures| s.standing.iter().filter(|x| x.is_some_and(Standing::reaches)).count();
        let line = match (a, self.lang) {
            (Some(a), Lang::Zh) => format!(
                "达标情况：调整前 {}（达标指标 {}/7，缺口 {} 人）→ 调整后 {}（达标指标 {}/7，缺口 {} 人）",
                self.compliance_word(b),
                reached(b),
                b.shortfall,
                self.compliance_word(a),
                reached(a),
                a.shortfall
            ),
            (Some(a), Lang::En) => format!(
                "Compliance: before {} ({}/7 indicators reach the standard, shortfall {}) → after {} ({}/7, shortfall {})",
                self.compliance_word(b),
                reached(b),
                b.shortfall,
                self.compliance_word(a),
                reached(a),
                a.shortfall
            ),
            (None, Lang::Zh) => format!(
                "达标情况：{}（达标指标 {}/7，缺口 {} 人）",
                self.compliance_word(b),
                reached(b),
                b.shortfall
            ),
            (None, Lang::En) => format!(
                "Compliance: {} ({}/7 indicators reach the standard, shortfall {})",
                self.compliance_word(b),
                reached(b),
                b.shortfall
            ),
        };
        w!(out, "<p>{line}</p>\n");
        let last = a.unwrap_or(b);
        if last.compliant == Some(false) {
            let title = match (a.is_some(), self.lang) {
                (true, Lang::Zh) => "调整后仍未达标的原因",
                (true, Lang::En) => "Why the section still fails after the plan",
                (false, Lang::Zh) => "未达标的原因",
                (false, Lang::En) => "Why the section fails",
            };
            w!(out, "<div class=\"fail\"><strong>{title}</strong>\n<ul>\n");
            for reason in self.failure_lines(last) {
                w!(out, "<li>{reason}</li>\n");
            }
            out.push_str("</ul></div>\n");
        }
        out
    }

    /// Why a section fails, one line per indicator below the standard, and
    /// the rule it breaks.
    fn failure_lines(&self, s: &SectionFigures) -> Vec<String> {
        let mut lines = Vec::new();
        for ind in Indicator::ALL {
            let i = ind.index();
            let Some(standing @ (Standing::Below | Standing::Below85)) = s.standing[i] else { continue };
            let standard = self.standard(ind, s.level);
            let value = fmt2(s.values[i]);
            let how = match (standing, self.lang) {
                (Standing::Below85, Lang::Zh) => format!("低于标准的 85%（{}）", trim_number(standard * 0.85)),
                (Standing::Below85, Lang::En) => {
                    format!("below 85 % of the standard ({})", trim_number(standard * 0.85))
                }
                (_, Lang::Zh) => "未达标".to_string(),
                (_, Lang::En) => "below the standard".to_string(),
            };
            let need = match ind {
                Indicator::Teacher(k) => {
                    let missing = s.thresholds[k.index()].full.saturating_sub(s.counts.indicator[k.index()]);
                    match self.lang {
                        Lang::Zh => format!("，还需 {missing} 名{}", self.teacher_noun(k)),
                        Lang::En => format!("; {missing} more {} needed", self.teacher_noun(k)),
                    }
                }
                Indicator::Facility(_) => String::new(),
            };
            lines.push(match self.lang {
                Lang::Zh => {
                    format!("{}：{value}，标准 {}，{how}{need}", self.indicator_name(ind), trim_number(standard))
                }
                Lang::En => {
                    format!("{}: {value}, standard {}, {how}{need}", self.indicator_name(ind), trim_number(standard))
                }
            });
        }
        let reached = s.standing.iter().filter(|x| x.is_some_and(Standing::reaches)).count();
        lines.push(match self.lang {
            Lang::Zh => format!("规则：7 项指标中至少 6 项达标且无一项低于标准的 85%；本学段达标 {reached} 项。"),
            Lang::En => format!("Rule: at least 6 of the 7 indicators reach the standard and none is below 85 % of it; this section reaches {reached}."),
        });
        lines
    }
}

// ----- numbers and text widths -------------------------------------------

fn fmt2(value: Option<f64>) -> String {
    value.map_or("—".to_string(), |v| format!("{v:.2}"))
}

fn fmt_km(km: Option<f64>) -> String {
    km.map_or("—".to_string(), |v| format!("{v:.1}"))
}

/// A number with at most 4 decimals and no trailing zeros (standards, limits, ticks).
fn trim_number(value: f64) -> String {
    let text = format!("{value:.4}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    if text == "-0" {
        "0".into()
    } else {
        text.to_string()
    }
}

fn capitalise(word: &str) -> String {
    let mut chars = word.chars();
    chars.next().map_or(String::new(), |c| c.to_uppercase().chain(chars).collect())
}

/// A round axis end and tick step covering `max` with about 4 steps.
fn nice_axis(max: f64) -> (f64, f64) {
    if max.is_nan() || max <= 0.0 || !max.is_finite() {
        return (1.0, 0.25);
    }
    let raw = max / 4.0;
    let magnitude = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 2.5, 5.0, 10.0].iter().map(|m| m * magnitude).find(|s| *s >= raw).unwrap_or(10.0 * magnitude);
    let end = (max / step).ceil() * step;
    (if end < max * 1.02 { end + step } else { end }, step)
}

/// Rough rendered width of text: CJK and full-width characters one em, others 0.6 em.
fn text_width(text: &str, font_px: f64) -> f64 {
    text.chars().map(|c| if is_wide(c) { font_px } else { 0.6 * font_px }).sum()
}

fn is_wide(c: char) -> bool {
    let u = c as u32;
    (0x1100..=0x115F).contains(&u)
        || (0x2E80..=0xA4CF).contains(&u)
        || (0xAC00..=0xD7A3).contains(&u)
        || (0xF900..=0xFAFF).contains(&u)
        || (0xFE30..=0xFE4F).contains(&u)
        || (0xFF00..=0xFF60).contains(&u)
        || (0xFFE0..=0xFFE6).contains(&u)
        || (0x20000..=0x3FFFD).contains(&u)
}

/// Cuts text to fit `max_px`, ending with "…" when cut.
fn truncate_to_width(text: &str, font_px: f64, max_px: f64) -> String {
    if text_width(text, font_px) <= max_px {
        return text.to_string();
    }
    let mut out = String::new();
    let mut width = font_px; // room for the ellipsis
    for c in text.chars() {
        let w = if is_wide(c) { font_px } else { 0.6 * font_px };
        if width + w > max_px {
            break;
        }
        width += w;
        out.push(c);
    }
    out.push('…');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_the_five_characters() {
        assert_eq!(escape(r#"<a href="x">'&'</a>"#), "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
        assert_eq!(escape("城关第一小学"), "城关第一小学");
    }

    #[test]
    fn axis_covers_the_maximum() {
        for max in [0.0, 0.07, 0.5153, 1.0, 3.4, 5.0, 17.0, 260.0] {
            let (end, step) = nice_axis(max);
            assert!(end >= max && step > 0.0 && end / step <= 7.0, "{max}: {end} {step}");
        }
    }

    #[test]
    fn truncation_respects_width() {
        let cut = truncate_to_width("和川镇第一九年一贯制学校附属教学点", 11.0, 100.0);
        assert!(cut.ends_with('…') && text_width(&cut, 11.0) <= 100.0, "{cut}");
        assert_eq!(truncate_to_width("S01", 11.0, 100.0), "S01");
    }
}
