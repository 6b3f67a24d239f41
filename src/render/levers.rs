//! The words and tables of `rotaplan levers`: levers.csv (one line per
//! lever at a school section, with why), its sheet of plan.xlsx, its part of
//! report.html, and the terminal summary.

use crate::domain::{Backbone, County, Degree, Level, Subject, TeacherIndicator};
use crate::render::html::escape;
use crate::render::output::{Cell, Table};
use crate::render::words::{word, Phrase};
use crate::render::Lang;
use crate::rules::indicators::CountyFigures;

/// What a line's lever is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LeverKind {
    /// New hires of one kind.
    Hire {
        /// Subject.
        subject: Subject,
        /// Degree.
        degree: Degree,
        /// Backbone level.
        backbone: Backbone,
    },
    /// In-service degree upgrades.
    Upgrade,
    /// County backbone designations.
    Designate,
}

impl LeverKind {
    fn phrase(self) -> Phrase {
        match self {
            LeverKind::Hire { .. } => Phrase { zh: "新聘", en: "hire" },
            LeverKind::Upgrade => Phrase { zh: "学历提升", en: "upgrade" },
            LeverKind::Designate => Phrase { zh: "认定骨干", en: "designate" },
        }
    }

    /// The teacher indicators one unit of the lever raises in a section of `level`.
    pub fn raises(self, level: Level) -> [bool; 3] {
        match self {
            LeverKind::Hire { subject, degree, backbone } => {
                [degree.is_higher_for(level), backbone.is_backbone(), subject.is_pe_arts()]
            }
            LeverKind::Upgrade => [true, false, false],
            LeverKind::Designate => [false, true, false],
        }
    }
}

/// One lever at one school section.
#[derive(Clone, Debug, PartialEq)]
pub struct LeverLine {
    /// School position.
    pub school: usize,
    /// Section.
    pub level: Level,
    /// The lever.
    pub kind: LeverKind,
    /// The new hires' ids, or the teachers upgraded or designated.
    pub ids: Vec<String>,
    /// What the line costs (thousand yuan).
    pub cost: u64,
}

/// The teacher indicators as counts of teachers.
fn indicator_words(k: usize, lang: Lang) -> &'static str {
    match TeacherIndicator::ALL[k] {
        TeacherIndicator::HigherDegree => lang.pick("高于规定学历教师", "teachers above the required degree"),
        TeacherIndicator::Backbone => lang.pick("县级以上骨干教师", "county or higher backbone teachers"),
        TeacherIndicator::PeArts => lang.pick("体育艺术专任教师", "PE and arts teachers"),
    }
}

/// Why a line: each indicator it raises, before the levers and the
/// rotation → after both (the standard), and whether the section complies.
pub fn lever_reason(line: &LeverLine, before: &CountyFigures, after: &CountyFigures, lang: Lang) -> String {
    let (Some(b), Some(a)) = (before.section(line.school, line.level), after.section(line.school, line.level)) else {
        return String::new();
    };
    let mut parts = Vec::new();
    for (k, raised) in line.kind.raises(line.level).into_iter().enumerate() {
        if !raised {
            continue;
        }
        let (from, to, full) = (b.counts.indicator[k], a.counts.indicator[k], a.thresholds[k].full);
        parts.push(match lang {
            Lang::Zh => format!("{} {from} → {to} 人（达标需 {full} 人）", indicator_words(k, lang)),
            Lang::En => format!("{} {from} → {to} (the standard needs {full})", indicator_words(k, lang)),
        });
    }
    let verdict = match (a.compliant, lang) {
        (Some(true), Lang::Zh) => "该学段达标",
        (Some(true), Lang::En) => "the section complies",
        (_, Lang::Zh) => "该学段仍未达标",
        (_, Lang::En) => "the section still fails",
    };
    if parts.is_empty() {
        // A hire that raises no indicator fills a subject or the headcount.
        parts.push(lang.pick("补足学科或人数", "fills a subject or the headcount").to_string());
    }
    format!("{}{}{verdict}", parts.join(lang.pick("；", "; ")), lang.pick("；", "; "))
}

/// levers.csv (and the plan.xlsx sheet): one line per lever and section.
pub fn levers_table(
    county: &County,
    lines: &[LeverLine],
    before: &CountyFigures,
    after: &CountyFigures,
    lang: Lang,
) -> Table {
    let keys =
        vec!["at_school", "section", "lever", "subject", "degree", "backbone", "count", "teachers", "cost", "reason"];
    let rows = lines
        .iter()
        .map(|line| {
            let school = &county.schools[line.school];
            vec![
                Cell::School { id: school.id.clone(), name: school.name.clone() },
                Cell::word(line.level),
                Cell::Word(line.kind.phrase()),
                match line.kind {
                    LeverKind::Hire { subject, .. } => Cell::word(subject),
                    _ => Cell::Empty,
                },
                match line.kind {
                    LeverKind::Hire { degree, .. } => Cell::word(degree),
                    _ => Cell::Empty,
                },
                match line.kind {
                    LeverKind::Hire { backbone, .. } => Cell::word(backbone),
                    _ => Cell::Empty,
                },
                Cell::Count(line.ids.len() as i64),
                Cell::Text(line.ids.join(" ")),
                Cell::Count(line.cost as i64),
                Cell::Text(lever_reason(line, before, after, lang)),
            ]
        })
        .collect();
    Table { keys, rows }
}

/// The search's totals, for the page and the terminal.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LeverTotals {
    /// Hires.
    pub hires: usize,
    /// Upgrades.
    pub upgrades: usize,
    /// Designations.
    pub designations: usize,
    /// Cost (thousand yuan).
    pub cost: u64,
    /// Budget (thousand yuan).
    pub budget: u64,
    /// Whether proven optimal.
    pub minimal: bool,
}

/// The totals in one sentence.
pub fn totals_line(t: &LeverTotals, lang: Lang) -> String {
    let proof = match (t.minimal, lang) {
        (true, Lang::Zh) => "已证明最优",
        (true, Lang::En) => "proven optimal",
        (false, Lang::Zh) => "未证明最优",
        (false, Lang::En) => "not proven optimal",
    };
    match lang {
        Lang::Zh => format!(
            "措施：新聘 {} 人，学历提升 {} 人，认定县级骨干 {} 人；费用 {} 千元（预算 {} 千元；{proof}）",
            t.hires, t.upgrades, t.designations, t.cost, t.budget
        ),
        Lang::En => format!(
            "levers: {} hire(s), {} degree upgrade(s), {} backbone designation(s); cost {} thousand yuan (budget {}; {proof})",
            t.hires, t.upgrades, t.designations, t.cost, t.budget
        ),
    }
}

/// The levers' part of report.html: the totals and the table.
pub fn levers_html(table: &Table, totals: &LeverTotals, lang: Lang) -> String {
    let mut html = format!(
        "<section id=\"levers\"><h2>{}</h2><p>{}</p><table><tr>",
        lang.pick("交流以外的措施", "Levers besides moves"),
        escape(&totals_line(totals, lang))
    );
    for key in &table.keys {
        html.push_str(&format!("<th>{}</th>", escape(crate::render::xlsx::header(key, lang))));
    }
    html.push_str("</tr>");
    for row in &table.rows {
        html.push_str("<tr>");
        for cell in row {
            let text = match cell {
                Cell::School { id, name } => format!("{id} {name}"),
                Cell::Word(p) => p.get(lang).to_string(),
                Cell::Text(t) => t.clone(),
                Cell::Count(n) => n.to_string(),
                other => other.csv(),
            };
            html.push_str(&format!("<td>{}</td>", escape(&text)));
        }
        html.push_str("</tr>");
    }
    html.push_str("</table></section>");
    html
}

/// The terminal lines after the plan's summary: the totals and each line.
pub fn levers_terminal(county: &County, lines: &[LeverLine], totals: &LeverTotals, lang: Lang) -> String {
    let mut out = format!("{}\n", totals_line(totals, lang));
    for line in lines {
        let school = &county.schools[line.school];
        let what = match line.kind {
            LeverKind::Hire { subject, .. } => format!("{} {}", line.kind.phrase().get(lang), word(subject, lang)),
            _ => line.kind.phrase().get(lang).to_string(),
        };
        out.push_str(&format!(
            "  {} {} {} {what} {}: {}\n",
            school.id,
            school.name,
            word(line.level, lang),
            line.ids.len(),
            line.ids.join(" ")
        ));
    }
    out
}
