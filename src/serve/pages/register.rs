//! The county's registers as sortable tables: who is on exchange (where,
//! until when, whether the return is due this year), the teachers'
//! applications (volunteer, wishes, extra points) and the family ties —
//! each where the data set has them, a clear "none" otherwise.

use axum::extract::{Path, State};
use axum::response::IntoResponse;
use axum::routing::get;
use axum::Router;

use crate::domain::applications::FamilyRule;
use crate::domain::County;
use crate::render::words::word;
use crate::render::Lang;
use crate::serve::page::{h, layout, Ctx, PageResult};
use crate::serve::pages::load_dataset;
use crate::serve::AppState;

/// The routes of these pages.
pub fn routes() -> Router<AppState> {
    Router::new().route("/datasets/{id}/register", get(register_page))
}

async fn register_page(State(state): State<AppState>, ctx: Ctx, Path(id): Path<i64>) -> PageResult {
    let (dataset, loaded) = load_dataset(&state, &ctx, id).await?;
    let county = &loaded.county;
    let body = format!(
        "<p class=\"meta\"><a href=\"/datasets/{id}\">{back}</a></p>\n{exchanges}\n{applications}\n{family}",
        back = ctx.t("Back to the county", "返回县域页面"),
        exchanges = exchanges_section(&ctx, county),
        applications = applications_section(&ctx, county),
        family = family_section(&ctx, county),
    );
    let title = format!("{} · {}", dataset.county, ctx.t("Registers", "交流记录与申请"));
    Ok(layout(&ctx, &title, &body).into_response())
}

/// A teacher as "id name".
fn teacher(county: &County, id: &str) -> String {
    match county.teachers.iter().find(|t| t.id == id) {
        Some(t) => format!("{} {}", t.id, t.name),
        None => id.to_string(),
    }
}

/// A school as "id name".
fn school(county: &County, id: &str) -> String {
    match county.school(id) {
        Some(s) => format!("{} {}", s.id, s.name),
        None => id.to_string(),
    }
}

/// A section with its heading and a sortable table, or the "none" line
/// (carrying the same id).
fn section(id: &str, title: &str, heads: &[&str], rows: &str, none: &str) -> String {
    if rows.is_empty() {
        return format!("<section><h2>{}</h2><p class=\"empty\" id=\"{id}\">{}</p></section>", h(title), h(none));
    }
    let heads: String = heads.iter().map(|t| format!("<th>{}</th>", h(t))).collect();
    format!(
        "<section><h2>{}</h2><table class=\"list\" id=\"{id}\"><thead><tr>{heads}</tr></thead><tbody>{rows}</tbody></table></section>",
        h(title)
    )
}

fn exchanges_section(ctx: &Ctx, county: &County) -> String {
    let year = county.policy.year;
    let mut rows = String::new();
    for e in &county.exchanges {
        let due = if e.returns_in(year) { ctx.t("yes", "是") } else { ctx.t("no", "否") };
        rows.push_str(&format!(
            "<tr data-teacher=\"{id}\"><td>{teacher}</td><td>{home}</td><td>{host}</td><td>{start}</td><td>{end}</td><td>{decision}</td><td>{due}</td></tr>\n",
            id = h(&e.teacher_id),
            teacher = h(&teacher(county, &e.teacher_id)),
            home = h(&school(county, &e.home_school_id)),
            host = h(&school(county, &e.host_school_id)),
            start = e.start_year,
            end = e.end_year,
            decision = h(if ctx.lang == Lang::En { e.decision.word() } else { e.decision.word_zh() }),
        ));
    }
    let due_head = match ctx.lang {
        Lang::En => format!("Returns in {year}"),
        Lang::Zh => format!("{year} 年返回"),
    };
    section(
        "exchanges",
        ctx.t("Exchange register", "交流记录"),
        &[
            ctx.t("Teacher", "教师"),
            ctx.t("Home school", "原学校"),
            ctx.t("Serving at", "交流学校"),
            ctx.t("From", "开始年份"),
            ctx.t("Until", "结束年份"),
            ctx.t("When the term ends", "到期处理"),
            &due_head,
        ],
        &rows,
        ctx.t("No exchange register in this data set.", "本数据集中没有交流记录。"),
    )
}

fn applications_section(ctx: &Ctx, county: &County) -> String {
    let mut rows = String::new();
    for a in &county.applications {
        let here = county.teachers.iter().find(|t| t.id == a.teacher_id).map_or("", |t| t.school_id.as_str());
        let wishes: Vec<String> =
            a.wishes.iter().enumerate().map(|(i, w)| format!("{}. {}", i + 1, school(county, w))).collect();
        rows.push_str(&format!(
            "<tr data-teacher=\"{id}\"><td>{teacher}</td><td>{school}</td><td>{volunteer}</td><td>{wishes}</td><td>{points}</td><td>{note}</td></tr>\n",
            id = h(&a.teacher_id),
            teacher = h(&teacher(county, &a.teacher_id)),
            school = h(&school(county, here)),
            volunteer = h(word(a.volunteer, ctx.lang)),
            wishes = wishes.iter().map(|w| h(w)).collect::<Vec<_>>().join("<br>"),
            points = h(&crate::render::evaluation::points_decimal(&a.extra_points)),
            note = h(&a.note),
        ));
    }
    section(
        "applications",
        ctx.t("Teachers' applications", "交流申请"),
        &[
            ctx.t("Teacher", "教师"),
            ctx.t("School now", "现学校"),
            ctx.t("Volunteers", "自愿交流"),
            ctx.t("Wishes, in order", "志愿（按先后）"),
            ctx.t("Extra points", "加分"),
            ctx.t("Note", "备注"),
        ],
        &rows,
        ctx.t("No applications in this data set.", "本数据集中没有交流申请。"),
    )
}

fn family_section(ctx: &Ctx, county: &County) -> String {
    let mut rows = String::new();
    for f in &county.family {
        let rule = match (f.rule, ctx.lang) {
            (FamilyRule::SameTown, Lang::En) => "in the same town".to_string(),
            (FamilyRule::SameTown, Lang::Zh) => "同一乡镇".to_string(),
            (FamilyRule::WithinKm(km), Lang::En) => format!("at most {km} km apart"),
            (FamilyRule::WithinKm(km), Lang::Zh) => format!("相距不超过 {km} 公里"),
        };
        let at = |id: &str| {
            county.teachers.iter().find(|t| t.id == id).map_or(String::new(), |t| school(county, &t.school_id))
        };
        rows.push_str(&format!(
            "<tr><td>{a}</td><td>{a_school}</td><td>{b}</td><td>{b_school}</td><td>{rule}</td></tr>\n",
            a = h(&teacher(county, &f.teacher_a)),
            a_school = h(&at(&f.teacher_a)),
            b = h(&teacher(county, &f.teacher_b)),
            b_school = h(&at(&f.teacher_b)),
            rule = h(&rule),
        ));
    }
    section(
        "family",
        ctx.t("Family ties", "家庭关系"),
        &[
            ctx.t("Teacher", "教师"),
            ctx.t("School now", "现学校"),
            ctx.t("Family member", "家属"),
            ctx.t("School now", "现学校"),
            ctx.t("The plan must keep them", "方案须满足"),
        ],
        &rows,
        ctx.t("No family ties in this data set.", "本数据集中没有家庭关系。"),
    )
}
