//! The applications in the outputs: the counts of an
//! [`ApplicationsSummary`] as named rows (report.html, plan.xlsx) and the
//! table of applicants (plan.xlsx's sheet 交流申请 / applications).

use crate::domain::applications::MAX_WISHES;
use crate::domain::County;
use crate::exact::to_f64;
use crate::explain::applications::{NoVolunteerReason, StayReason};
use crate::explain::ApplicationsSummary;
use crate::render::output::{Cell, NumberFormat, Table};
use crate::render::Lang;

/// The name of a reason kind of [`NoVolunteerReason::KINDS`].
pub fn why_name(kind: &str, lang: Lang) -> &'static str {
    match kind {
        "locked" => lang.pick("锁定须交流", "locked to move"),
        "no_volunteer" => lang.pick("同类教师中无自愿者", "no volunteer in the group"),
        "volunteers_move" => lang.pick("同类自愿者均已交流", "all volunteers of the group move"),
        "volunteers_held" => lang.pick("同类自愿者受家庭或锁定约束", "volunteers held by a family tie or a lock"),
        _ => lang.pick("自愿者未按优先顺序安排", "volunteers passed over"),
    }
}

/// Why an applicant stays, in `lang`.
pub fn stay_words(why: StayReason, lang: Lang) -> String {
    match (why, lang) {
        (StayReason::NotEligible, _) => lang.pick("不符合交流条件", "not eligible this year").into(),
        (StayReason::Locked, _) => lang.pick("已锁定（locks.csv）", "held by a lock (locks.csv)").into(),
        (StayReason::FamilyTie, _) => lang.pick("受家庭关系约束", "held by a family tie").into(),
        (StayReason::GroupStays, _) => lang
            .pick("本组（同校、同学段、同学科、同类）本年无需交流", "no one of the group needs to move this year")
            .into(),
        (StayReason::OthersAhead(n), Lang::Zh) => {
            format!("本组交流 {n} 人，按公布的顺序（自愿优先、积分高者优先）由排在前面的教师交流")
        }
        (StayReason::OthersAhead(n), Lang::En) => {
            format!("the group moves {n}, taken by those ahead in the published order (volunteers, then points)")
        }
    }
}

/// The counts of the summary, each with its name in `lang`.
pub fn summary_rows(a: &ApplicationsSummary, lang: Lang) -> Vec<(String, usize)> {
    let t = |zh: &str, en: &str| lang.pick(zh, en).to_string();
    let mut rows = vec![
        (t("申请人数", "applicants"), a.applicants),
        (t("申请自愿交流人数", "volunteers"), a.volunteers),
        (t("已安排交流的自愿者", "volunteers moved"), a.volunteers_moved),
        (t("已安排交流的非自愿者", "non-volunteers moved"), a.non_volunteers_moved),
    ];
    for (kind, n) in NoVolunteerReason::KINDS.iter().zip(a.why) {
        let name = match lang {
            Lang::Zh => format!("其中：{}", why_name(kind, lang)),
            Lang::En => format!("of which: {}", why_name(kind, lang)),
        };
        rows.push((name, n));
    }
    for (k, n) in a.granted.iter().enumerate() {
        let name = match lang {
            Lang::Zh => format!("满足第{}志愿", k + 1),
            Lang::En => format!("granted at wish {}", k + 1),
        };
        rows.push((name, *n));
    }
    rows.push((t("填报志愿人数", "applicants with wishes"), a.with_wishes));
    rows.push((t("志愿未满足人数", "wishes not granted"), a.not_granted));
    rows.push((t("其中：调至志愿以外学校", "of which: moved elsewhere"), a.moved_elsewhere));
    rows
}

/// One row per applicant: the teacher, volunteer, points, wishes, where
/// the plan moves the teacher and the rank of the wish granted.
pub fn applicants_table(county: &County, a: &ApplicationsSummary, lang: Lang) -> Table {
    let mut keys = vec!["teacher_id", "name", "current_school", "volunteer", "points"];
    keys.extend(["wish_1", "wish_2", "wish_3", "wish_4", "wish_5"]);
    keys.extend(["to_school", "wish_granted", "why_stays"]);
    let rows = a
        .applicants_list
        .iter()
        .map(|o| {
            let app = &county.applications[o.application];
            let teacher = o.teacher.map(|t| &county.teachers[t]);
            let school = teacher.and_then(|t| county.school(&t.school_id));
            let mut row = vec![
                Cell::Text(app.teacher_id.clone()),
                Cell::Text(teacher.map_or_else(String::new, |t| t.name.clone())),
                school.map_or(Cell::Empty, |s| Cell::School { id: s.id.clone(), name: s.name.clone() }),
                Cell::word(app.volunteer),
                Cell::Number(to_f64(&o.points), NumberFormat::Per100),
            ];
            for k in 0..MAX_WISHES {
                row.push(app.wishes.get(k).map_or(Cell::Empty, |id| {
                    let name = county.school(id).map_or("", |s| s.name.as_str());
                    Cell::Text(format!("{id} {name}").trim_end().to_string())
                }));
            }
            row.push(o.to.map_or(Cell::Empty, |s| {
                let s = &county.schools[s];
                Cell::School { id: s.id.clone(), name: s.name.clone() }
            }));
            row.push(o.granted.map_or(Cell::Empty, |r| Cell::Count(r as i64)));
            row.push(o.stays.map_or(Cell::Empty, |why| Cell::Text(stay_words(why, lang))));
            row
        })
        .collect();
    Table { keys, rows }
}
