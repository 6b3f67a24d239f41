//! notices.html: one printable notice per moved teacher (交流通知书), one
//! per printed page, with the new school, the distance, the term, the
//! reason (the text of rotations.csv) and, when the county has
//! applications, the wish granted or why not. A heading and an index of
//! the notices open the page on screen; printing leaves the index out, so a
//! printed copy has exactly one page per notice.

use std::fmt::Write as _;

use crate::domain::County;
use crate::explain::Explanations;
use crate::plan::{Move, Plan};
use crate::render::html::escape;
use crate::render::html::format::{fmt_km, trim_number};
use crate::render::reasons::{move_words, wish_words};
use crate::render::words::word;
use crate::render::Lang;

const CSS: &str = r#"
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", "WenQuanYi Micro Hei", "Noto Sans", "DejaVu Sans", sans-serif;
  font-size: 15px; line-height: 1.6; color: #1a202c; background: #fff; max-width: 860px; margin: 0 auto; padding: 24px 28px 64px; }
h1 { font-size: 24px; margin: 0 0 6px; }
h2 { font-size: 22px; text-align: center; letter-spacing: 0.2em; margin: 0 0 18px; }
nav.index table, table.facts { border-collapse: collapse; width: 100%; margin: 8px 0 16px; }
th, td { border: 1px solid #cbd5e0; padding: 4px 8px; text-align: left; vertical-align: top; }
nav.index th { background: #edf2f7; }
nav.index a { color: #2b6cb0; text-decoration: none; }
table.facts th { width: 8em; background: #f7fafc; font-weight: 600; white-space: nowrap; }
section.notice { border: 1px solid #a0aec0; border-radius: 6px; padding: 28px 36px; margin: 28px 0; }
p.lead, p.reason, p.wish, p.sign { margin: 10px 0; }
p.sign { text-align: right; margin-top: 36px; }
.muted { color: #4a5568; font-size: 13px; }
@media print {
  @page { size: A4; margin: 18mm; }
  body { max-width: none; padding: 0; font-size: 11pt; }
  header, nav.index { display: none; }
  section.notice { border: none; border-radius: 0; padding: 0; margin: 0; break-after: page; page-break-after: always; break-inside: avoid; }
  section.notice:last-of-type { break-after: auto; page-break-after: auto; }
  a { color: inherit; text-decoration: none; }
}
"#;

/// notices.html of a plan: one notice per move, in the order of `plan.moves`.
pub fn notices_html(county: &County, plan: &Plan, explanations: &Explanations, lang: Lang) -> String {
    let year = county.policy.year;
    let title = match lang {
        Lang::Zh => format!("{year} 年义务教育教师交流轮岗通知书"),
        Lang::En => format!("Teacher exchange rotation notices {year}"),
    };
    let mut body = String::new();
    let _ = write!(body, "<header>\n<h1>{}</h1>\n<p class=\"muted\">{}</p>\n</header>\n", escape(&title), {
        let n = plan.moves.len();
        match lang {
            Lang::Zh => format!("共 {n} 份通知书，每人一份，打印时每份一页。"),
            Lang::En => format!("{n} notices, one per moved teacher, one printed page each."),
        }
    });
    body.push_str(&index(county, plan, lang));
    for (m, x) in plan.moves.iter().zip(&explanations.moves) {
        body.push_str(&notice(county, m, x, lang));
    }
    format!(
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{}</title>\n<style>{CSS}</style>\n</head>\n<body>\n{body}</body>\n</html>\n",
        lang.pick("zh-CN", "en"),
        escape(&title)
    )
}

/// The index: one row per notice, linked to it.
fn index(county: &County, plan: &Plan, lang: Lang) -> String {
    let mut out = String::new();
    let _ = write!(
        out,
        "<nav class=\"index\">\n<table>\n<thead><tr><th>#</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead>\n<tbody>\n",
        lang.pick("姓名", "Name"),
        lang.pick("教师编号", "Teacher id"),
        lang.pick("调出学校", "From"),
        lang.pick("调入学校", "To"),
    );
    for (i, m) in plan.moves.iter().enumerate() {
        let t = &county.teachers[m.teacher];
        let _ = writeln!(
            out,
            "<tr><td>{}</td><td><a href=\"#notice-{}\">{}</a></td><td>{}</td><td>{}</td><td>{}</td></tr>",
            i + 1,
            escape(&t.id),
            escape(&t.name),
            escape(&t.id),
            escape(&county.schools[m.from].name),
            escape(&county.schools[m.to].name)
        );
    }
    out.push_str("</tbody>\n</table>\n</nav>\n");
    out
}

/// One notice.
fn notice(county: &County, m: &Move, x: &crate::explain::MoveExplanation, lang: Lang) -> String {
    let t = &county.teachers[m.teacher];
    let (from, to) = (&county.schools[m.from], &county.schools[m.to]);
    let year = county.policy.year;
    let end = year + county.policy.rotation.years;
    let mut out = String::new();
    let _ = write!(
        out,
        "<section class=\"notice\" id=\"notice-{}\">\n<h2>{}</h2>\n",
        escape(&t.id),
        lang.pick("交流通知书", "Exchange notice")
    );
    let lead = match lang {
        Lang::Zh => format!(
            "{}老师：根据 {year} 年县域义务教育教师交流轮岗方案，您自 {year} 年秋季学期起由{}交流至{}任教，交流期限为 {year}–{end} 年。",
            t.name, from.name, to.name
        ),
        Lang::En => format!(
            "Dear {}: under the county's teacher exchange rotation plan for {year}, you move from {} to {} from the autumn term of {year}; the exchange runs from {year} to {end}.",
            t.name, from.name, to.name
        ),
    };
    let _ = writeln!(out, "<p class=\"lead\">{}</p>", escape(&lead));
    let mut rows: Vec<(&str, String)> = vec![
        (lang.pick("姓名", "Name"), t.name.clone()),
        (lang.pick("教师编号", "Teacher id"), t.id.clone()),
        (lang.pick("学段与学科", "Section and subject"), format!("{} {}", word(t.level, lang), word(t.subject, lang))),
        (lang.pick("调出学校", "From"), format!("{} ({})", from.name, from.id)),
        (lang.pick("调入学校", "To"), format!("{} ({})", to.name, to.id)),
        (lang.pick("距离（公里）", "Distance (km)"), fmt_km(m.km)),
        (lang.pick("交流期限", "Term"), format!("{year}–{end}")),
    ];
    if let Some(a) = &x.application {
        rows.push((lang.pick("本人申请", "Volunteered"), word(a.volunteer, lang).to_string()));
        rows.push((lang.pick("优先积分", "Priority points"), trim_number(crate::exact::to_f64(&a.points))));
    }
    out.push_str("<table class=\"facts\">\n");
    for (name, value) in rows {
        let _ = writeln!(out, "<tr><th>{}</th><td>{}</td></tr>", escape(name), escape(&value));
    }
    out.push_str("</table>\n");
    let reason = move_words(county, x, lang);
    let _ = writeln!(
        out,
        "<p class=\"reason\"><strong>{}</strong>{}</p>",
        lang.pick("交流理由：", "Reason: "),
        escape(&reason)
    );
    if let Some(a) = &x.application {
        let wish = wish_words(county, m.teacher, &a.wishes, Some(m.to), lang)
            .unwrap_or_else(|| lang.pick("未填报志愿", "no wishes listed").to_string());
        let _ = writeln!(
            out,
            "<p class=\"wish\"><strong>{}</strong>{}</p>",
            lang.pick("志愿：", "Wishes: "),
            escape(&wish)
        );
    }
    let sign = match lang {
        Lang::Zh => format!("县教育局<br>{year} 年"),
        Lang::En => format!("County education bureau<br>{year}"),
    };
    let _ = writeln!(out, "<p class=\"sign\">{sign}</p>\n</section>");
    out
}
