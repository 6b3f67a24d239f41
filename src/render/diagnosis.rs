//! Broken rules in words (zh or en): the auditor's violations (`score`) and
//! the diagnosis's conflicts when no plan exists (terminal and
//! diagnosis.json), from their data in `rules::audit` and `plan::diagnosis`.

use serde_json::json;

use crate::domain::applications::FamilyRule;
use crate::domain::{Exact, ExchangeDecision, Gender, Level, LockAction, Subject};
use crate::exact::to_f64;
use crate::model::{Blocked, LockProblem};
use crate::plan::diagnosis::{Conflict, Diagnosis, Finding, Fix, Place, PolicyChange};
use crate::render::output::{json_bytes, OutputFiles};
use crate::render::Lang;
use crate::rules::audit::{Breach, NeedSource, OrderBasis, Violation};
use crate::rules::eligibility::Ineligibility;

fn level_word(level: Level, lang: Lang) -> &'static str {
    lang.pick(level.word_zh(), level.word())
}

fn subject_word(subject: Subject, lang: Lang) -> &'static str {
    lang.pick(subject.word_zh(), subject.word())
}

/// "1 teacher", "3 teachers" (zh: "3 名教师").
fn teachers(n: u32, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("{n} 名教师"),
        Lang::En if n == 1 => "1 teacher".to_string(),
        Lang::En => format!("{n} teachers"),
    }
}

/// An exact number as a decimal ("0.14", "4.5"), or with 4 decimals when it
/// has no finite decimal form.
pub fn decimal(x: Exact) -> String {
    let mut scaled = x;
    for places in 0..=12usize {
        if scaled.is_integer() {
            let digits = scaled.to_integer().unsigned_abs().to_string();
            let sign = if x < Exact::from_integer(0) { "-" } else { "" };
            if places == 0 {
                return format!("{sign}{digits}");
            }
            let padded = format!("{digits:0>width$}", width = places + 1);
            let (int_part, frac_part) = padded.split_at(padded.len() - places);
            return format!("{sign}{int_part}.{frac_part}");
        }
        scaled *= Exact::from_integer(10);
    }
    format!("{:.4}", to_f64(&x))
}

// ------------------------------------------------------------ violations

/// One violation as a terminal line: `[rule] what is wrong`.
pub fn violation_line(v: &Violation, lang: Lang) -> String {
    format!("[{}] {}", v.rule.id(), violation_text(v, lang))
}

/// What a violation breaks, in words, with the figures and the rule's id.
pub fn violation_text(v: &Violation, lang: Lang) -> String {
    let t = v.teacher_id.as_deref().unwrap_or("?");
    let s = v.school_id.as_deref().unwrap_or("?");
    let zh = lang == Lang::Zh;
    match &v.breach {
        Breach::UnknownTeacher if zh => format!("教师 {t} 不在 teachers.csv 中；规则 unknown_teacher：每次交流须是本县的教师"),
        Breach::UnknownTeacher => format!("teacher {t} is not in teachers.csv; rule unknown_teacher: every move must name a teacher of the county"),
        Breach::UnknownSchool if zh => format!("教师 {t} 被派往学校 {s}，该校不在 schools.csv 中；规则 unknown_school：去向须是本县的学校"),
        Breach::UnknownSchool => format!("teacher {t} is sent to school {s}, which is not in schools.csv; rule unknown_school: every destination must be a school of the county"),
        Breach::MovedTwice { first, again } if zh => format!("教师 {t} 被交流不止一次（先到 {first}，又到 {again}）；规则 move_once 每人只交流一次，只取第一条"),
        Breach::MovedTwice { first, again } => format!("teacher {t} is moved more than once (to {first} and again to {again}); rule move_once allows one move a teacher, so only the first is used"),
        Breach::OwnSchool if zh => format!("教师 {t} 被派往 {s}，即其本校；规则 own_school：教师不交流到本校（及本校另一学段）"),
        Breach::OwnSchool => format!("teacher {t} is moved to {s}, which is already their school; rule own_school: a teacher never moves to their own school (nor to its other section)"),
        Breach::Ineligible { reason, since, born, gender, year, last_rotated } => {
            ineligible_text(t, s, reason, (*since, *born, *gender, *year, *last_rotated), lang)
        }
        Breach::NoSection { kind, level } if zh => format!(
            "教师 {t} 任教{}，但 {s}（{}）没有{}学段；规则 section：教师只交流到有本学段的学校",
            level.word_zh(), kind.word_zh(), level.word_zh()
        ),
        Breach::NoSection { kind, level } => format!(
            "teacher {t} teaches in a {} section but {s} ({}) has no {} section; rule section: teachers move only to a school with their own section",
            level.word(), kind.word(), level.word()
        ),
        Breach::NoRoadPath { from } if zh => format!("教师 {t} 将从 {from} 到 {s}，但 roads.csv 中两校之间没有道路；规则 distance：给出 roads.csv 时交流须有道路相通"),
        Breach::NoRoadPath { from } => format!("teacher {t} would go from {from} to {s}, but roads.csv has no road path between them; rule distance: a move needs a road path when roads.csv is given"),
        Breach::UnknownDistance { from, limit } if zh => format!("教师 {t} 将从 {from} 到 {s}，但两校距离未知（无坐标或无道路）；规则 distance 要求距离已知且不超过 movement.max_distance_km = {limit} 公里"),
        Breach::UnknownDistance { from, limit } => format!("teacher {t} would go from {from} to {s}, but the distance between them is unknown (no coordinates, or no road path); rule distance needs a known distance within movement.max_distance_km = {limit} km"),
        Breach::TooFar { from, km, limit } if zh => format!("教师 {t} 将从 {from} 到 {s}，距离 {km:.1} 公里；规则 distance 至多允许 {limit} 公里（movement.max_distance_km）"),
        Breach::TooFar { from, km, limit } => format!("teacher {t} would go {km:.1} km from {from} to {s}; rule distance allows at most {limit} km (movement.max_distance_km)"),
        Breach::OtherAlliance { from, from_alliance, to_alliance } => {
            let none = lang.pick("无", "none");
            let (a, b) = (from_alliance.as_deref().unwrap_or(none), to_alliance.as_deref().unwrap_or(none));
            match lang {
                Lang::Zh => format!("教师 {t} 将从 {from}（联盟 {a}）到 {s}（联盟 {b}）；规则 alliance（movement.within_alliance = yes）要求在同一城乡学校联盟内交流"),
                Lang::En => format!("teacher {t} would go from {from} (alliance {a}) to {s} (alliance {b}); rule alliance (movement.within_alliance = yes) keeps moves inside one urban–rural alliance"),
            }
        }
        _ => county_violation_text(v, lang),
    }
}

/// The county, section and lock rules (3–7) in words.
fn county_violation_text(v: &Violation, lang: Lang) -> String {
    let t = v.teacher_id.as_deref().unwrap_or("?");
    let s = v.school_id.as_deref().unwrap_or("?");
    let zh = lang == Lang::Zh;
    match &v.breach {
        Breach::TooFewMoves { moves, least, share, eligible } if zh => format!("方案交流 {moves} 名教师；规则 rotation_share 要求至少 {least} = ⌈{} × {eligible} 名符合条件教师⌉（rotation.min_share）", decimal(*share)),
        Breach::TooFewMoves { moves, least, share, eligible } => format!("the plan moves {moves} teachers; rule rotation_share requires at least {least} = ⌈{} × {eligible} eligible teachers⌉ (rotation.min_share)", decimal(*share)),
        Breach::TooManyMoves { moves, most, share, eligible } if zh => format!("方案交流 {moves} 名教师；规则 rotation_share 至多允许 {most} = ⌈{} × {eligible} 名符合条件教师⌉（rotation.max_share）", decimal(*share)),
        Breach::TooManyMoves { moves, most, share, eligible } => format!("the plan moves {moves} teachers; rule rotation_share allows at most {most} = ⌈{} × {eligible} eligible teachers⌉ (rotation.max_share)", decimal(*share)),
        Breach::PrincipalMoves { moves, bound, share, eligible, least } => {
            let share = decimal(*share);
            match (lang, least) {
                (Lang::Zh, true) => format!("方案交流 {moves} 名校长、副校长；规则 principals 要求至少 {bound} = ⌈{share} × {eligible} 名符合条件的校长、副校长⌉（principals.min_share）"),
                (Lang::Zh, false) => format!("方案交流 {moves} 名校长、副校长；规则 principals 至多允许 {bound} = ⌈{share} × {eligible} 名符合条件的校长、副校长⌉（principals.max_share）"),
                (Lang::En, true) => format!("the plan moves {moves} principals and vice principals; rule principals requires at least {bound} = ⌈{share} × {eligible} eligible principals and vice principals⌉ (principals.min_share)"),
                (Lang::En, false) => format!("the plan moves {moves} principals and vice principals; rule principals allows at most {bound} = ⌈{share} × {eligible} eligible principals and vice principals⌉ (principals.max_share)"),
            }
        }
        Breach::RoleUnbalanced { role, arrivals, departures } => match lang {
            Lang::Zh => format!("调入 {arrivals} 名{r}、调出 {departures} 名{r}；规则 principals 要求对等交流：调出几名{r}就调入几名{r}，不以普通教师顶替", r = role.word_zh()),
            Lang::En => format!("{arrivals} {r}s arrive and {departures} leave; rule principals requires role for role: as many {r}s arrive as leave, never a class teacher in their seat", r = role.word().replace('_', " ")),
        },
        Breach::BackboneShort { backbone, moves, share, needed, whole } => {
            let percent = if *moves == 0 { 0.0 } else { 100.0 * *backbone as f64 / *moves as f64 };
            let (share, needed) = (decimal(*share), decimal(*needed));
            match lang {
                Lang::Zh => format!("方案在 {moves} 名交流教师中有 {backbone} 名骨干教师（{percent:.1} %）；规则 backbone_share 要求至少 {share} × {moves} = {needed}，即 {whole} 名骨干教师（rotation.backbone_min_share）"),
                Lang::En => format!("the plan moves {backbone} backbone teachers among {moves} moves ({percent:.1} %); rule backbone_share requires at least {share} × {moves} = {needed}, that is {whole} backbone teachers (rotation.backbone_min_share)"),
            }
        }
        Breach::ToRuralShort { backbone, to_rural, moves, share, needed, whole } => {
            let (share, needed) = (decimal(*share), decimal(*needed));
            match (lang, backbone) {
                (Lang::Zh, false) => format!("方案 {moves} 人交流中由城区、镇区学校到乡村学校的有 {to_rural} 人；规则 direction 要求至少 {share} × {moves} = {needed}，即 {whole} 人（rotation.to_rural_min_share）"),
                (Lang::Zh, true) => format!("方案 {moves} 名交流骨干教师中由城区、镇区学校到乡村学校的有 {to_rural} 人；规则 direction 要求至少 {share} × {moves} = {needed}，即 {whole} 人（rotation.to_rural_min_share）"),
                (Lang::En, false) => format!("the plan moves {to_rural} of its {moves} teachers from urban and town schools to rural ones; rule direction requires at least {share} × {moves} = {needed}, that is {whole} (rotation.to_rural_min_share)"),
                (Lang::En, true) => format!("the plan moves {to_rural} of its {moves} backbone teachers from urban and town schools to rural ones; rule direction requires at least {share} × {moves} = {needed}, that is {whole} (rotation.to_rural_min_share)"),
            }
        }
        Breach::Unbalanced { level, arrivals, departures, tolerance } => {
            let net = *arrivals as i64 - *departures as i64;
            let (a, d) = (teachers(*arrivals, lang), teachers(*departures, lang));
            match lang {
                Lang::Zh => format!("{s} {}学段调入 {a}、调出 {d}（净 {net:+}）；规则 headcount_balance 至多允许相差 {tolerance}（movement.headcount_tolerance）", level.word_zh()),
                Lang::En => format!("the {} section of {s} receives {a} and loses {d} (net {net:+}); rule headcount_balance allows a difference of at most {tolerance} (movement.headcount_tolerance)", level.word()),
            }
        }
        Breach::OverQuota { after, before, quota } => {
            let cap = (*quota).max(*before);
            match lang {
                Lang::Zh => format!("{s} 交流后在编 {after} 人（交流前 {before} 人）；规则 staff_quota 至多允许 {cap} = max(编制 {quota}, 交流前人数 {before})"),
                Lang::En => format!("{s} would have {after} teachers on its roll after the plan ({before} before); rule staff_quota allows at most {cap} = max(staff_quota {quota}, headcount before {before})"),
            }
        }
        Breach::BelowFloor { level, subject, after, before, need, source } => {
            let floor = (*before).min(*need);
            let (l, sub) = (level_word(*level, lang), subject_word(*subject, lang));
            let source = need_source(source, *subject, *level, lang);
            match lang {
                Lang::Zh => format!("{s}{l}学段交流后{sub}专任教师 {after} 人（交流前 {before} 人，需要 {need} {source}）；规则 subject_floor 要求至少 {floor} = min(交流前, 需要)"),
                Lang::En => format!("the {l} section of {s} would have {after} full-time {sub} teachers after the plan ({before} before, need {need} {source}); rule subject_floor requires at least {floor} = min(before, need)"),
            }
        }
        Breach::OnExchange { end_year } if zh => format!("教师 {t} 正在交流，交流期至 {end_year} 年，应返回原学校 {s}；规则 returns：交流期满返回的教师不参加本年度轮岗"),
        Breach::OnExchange { end_year } => format!("teacher {t} is on exchange until {end_year} and due to return to {s}; rule returns: a teacher due to return does not rotate"),
        Breach::ReturnMissing { end_year } if zh => format!("教师 {t} 交流期至 {end_year} 年，应返回原学校 {s}，方案中没有该返回；规则 returns：exchange.returns = \"fixed\" 时期满必须返回"),
        Breach::ReturnMissing { end_year } => format!("teacher {t}'s exchange ends in {end_year}, but the plan does not return them to {s}; rule returns: with exchange.returns = \"fixed\" every due return happens"),
        Breach::NoReturnDue if zh => format!("教师 {t} 被列为续任，但本年度没有到期的交流；规则 returns：只有期满的交流可以续任"),
        Breach::NoReturnDue => format!("teacher {t} is listed as extended, but has no exchange ending this year; rule returns: only a due return can be extended"),
        Breach::LockBroken { action, home, now, moved, note } => lock_text(t, s, (*action, home, now.as_deref(), *moved, note), lang),
        Breach::FamilyApart { other, other_school, rule, towns, km } => family_text((t, s), (other, other_school), *rule, towns, *km, lang),
        Breach::OutOfOrder { moved, basis } => priority_text(t, s, moved, basis, lang),
        _ => String::new(),
    }
}

/// A family tie of family.csv broken: teacher `a` at `sa`, `b` at `sb` after the plan.
fn family_text(
    (a, sa): (&str, &str),
    (b, sb): (&str, &str),
    rule: FamilyRule,
    (town_a, town_b): &(String, String),
    km: Option<f64>,
    lang: Lang,
) -> String {
    match (rule, km, lang) {
        (FamilyRule::SameTown, _, Lang::Zh) => format!("教师 {a}（交流后在 {sa}，{town_a}）与教师 {b}（交流后在 {sb}，{town_b}）不在同一乡镇；规则 family：family.csv 要求二人交流后在同一乡镇任教"),
        (FamilyRule::SameTown, _, Lang::En) => format!("teachers {a} (at {sa} in {town_a} after the plan) and {b} (at {sb} in {town_b}) would not teach in one town; rule family: family.csv asks that they teach in the same town after the plan"),
        (FamilyRule::WithinKm(limit), Some(km), Lang::Zh) => format!("教师 {a}（交流后在 {sa}）与教师 {b}（交流后在 {sb}）相距 {km:.1} 公里；规则 family：family.csv 要求二人交流后相距不超过 {limit} 公里"),
        (FamilyRule::WithinKm(limit), Some(km), Lang::En) => format!("teachers {a} (at {sa} after the plan) and {b} (at {sb}) would be {km:.1} km apart; rule family: family.csv asks that they teach at most {limit} km apart after the plan"),
        (FamilyRule::WithinKm(limit), None, Lang::Zh) => format!("教师 {a}（交流后在 {sa}）与教师 {b}（交流后在 {sb}）两校距离未知（无坐标或无道路）；规则 family：family.csv 要求二人交流后相距已知且不超过 {limit} 公里"),
        (FamilyRule::WithinKm(limit), None, Lang::En) => format!("teachers {a} (at {sa} after the plan) and {b} (at {sb}) would teach at schools whose distance is unknown (no coordinates, or no road path); rule family: family.csv asks for a known distance of at most {limit} km after the plan"),
    }
}

/// A teacher `t` of `s` who stays while `moved`, after them in the published order, moves.
fn priority_text(t: &str, s: &str, moved: &str, basis: &OrderBasis, lang: Lang) -> String {
    let rule = lang.pick(
        "；规则 priority：同组（同校同学段、同学科、同指标）教师中，自愿者优先交流，其次积分高者，再次在校时间长者，最后按教师编号",
        "; rule priority: within a group (same school section, subject and indicators) volunteers move first, then more points, then longer at the school, then teacher id",
    );
    let what = match (basis, lang) {
        (OrderBasis::Volunteer, Lang::Zh) => format!("教师 {t}（{s}）自愿交流却留任，而同组未申请自愿交流的教师 {moved} 被交流"),
        (OrderBasis::Volunteer, Lang::En) => format!("teacher {t} of {s} volunteered but stays, while {moved} of the same group, who did not volunteer, moves"),
        (OrderBasis::Points { stays, moved: theirs }, Lang::Zh) => format!("教师 {t}（{s}）优先积分 {} 分却留任，而同组积分 {} 分的教师 {moved} 被交流", decimal(*stays), decimal(*theirs)),
        (OrderBasis::Points { stays, moved: theirs }, Lang::En) => format!("teacher {t} of {s} has {} priority points but stays, while {moved} of the same group, with {}, moves", decimal(*stays), decimal(*theirs)),
        (OrderBasis::Since { stays, moved: theirs }, Lang::Zh) => format!("教师 {t}（{s}，{stays} 年起在校）与同组教师 {moved}（{theirs} 年起在校）积分相同，在校更久却留任，而 {moved} 被交流"),
        (OrderBasis::Since { stays, moved: theirs }, Lang::En) => format!("teacher {t} of {s} (at the school since {stays}) has the same points as {moved} of the same group (since {theirs}) and has been there longer, but stays while {moved} moves"),
        (OrderBasis::Id, Lang::Zh) => format!("教师 {t}（{s}）与同组教师 {moved} 积分和到校年份都相同，按教师编号 {t} 在前却留任，而 {moved} 被交流"),
        (OrderBasis::Id, Lang::En) => format!("teacher {t} of {s} has the same points and years at the school as {moved} of the same group and comes first by teacher id, but stays while {moved} moves"),
    };
    format!("{what}{rule}")
}

fn need_source(source: &NeedSource, subject: Subject, level: Level, lang: Lang) -> String {
    match (source, lang) {
        (NeedSource::Staffing, Lang::Zh) => "，来自 staffing.csv".into(),
        (NeedSource::Staffing, Lang::En) => "from staffing.csv".into(),
        (NeedSource::NoPeriods, Lang::Zh) => format!("，{}学段未设{}周课时", level.word_zh(), subject.word_zh()),
        (NeedSource::NoPeriods, Lang::En) => {
            format!("(no weekly periods of {} are set for the {} section)", subject.word(), level.word())
        }
        (NeedSource::Periods { classes, periods, load }, Lang::Zh) => {
            format!("= ⌈{classes} 个班 × {} 课时 / {}⌉", decimal(*periods), decimal(*load))
        }
        (NeedSource::Periods { classes, periods, load }, Lang::En) => {
            format!("= ⌈{classes} classes × {} periods / {}⌉", decimal(*periods), decimal(*load))
        }
    }
}

fn ineligible_text(
    t: &str,
    s: &str,
    reason: &Ineligibility,
    when: (i32, i32, Gender, i32, Option<i32>),
    lang: Lang,
) -> String {
    let (since, born, gender, year, last_rotated) = when;
    let male = gender == Gender::Male;
    let key = if male { "max_age_male" } else { "max_age_female" };
    match (reason, lang) {
        (Ineligibility::PartTime, Lang::Zh) => format!("教师 {t} 不是专任教师；规则 eligibility 只允许专任教师交流"),
        (Ineligibility::PartTime, Lang::En) => format!("teacher {t} is not a full-time teacher (专任 = no); rule eligibility lets only full-time teachers rotate"),
        (Ineligibility::PrincipalYears(role, years, required), Lang::Zh) => format!("{} {t} 在 {s} 任职 {years} 年；规则 principals 要求 {required} 年（principals.min_years_at_school；{since} 年起在该校）", role.word_zh()),
        (Ineligibility::PrincipalYears(role, years, required), Lang::En) => format!("{} {t} has been at {s} for {years} years; rule principals requires {required} (principals.min_years_at_school; at the school since {since})", role.word().replace('_', " ")),
        (Ineligibility::YearsAtSchool(years, required), Lang::Zh) => format!("教师 {t} 在 {s} 任教 {years} 年；规则 eligibility 要求 {required} 年（eligibility.min_years_at_school；{since} 年起在该校）"),
        (Ineligibility::YearsAtSchool(years, required), Lang::En) => format!("teacher {t} has been at {s} for {years} years; rule eligibility requires {required} (eligibility.min_years_at_school; at the school since {since})"),
        (Ineligibility::Age(age, limit), Lang::Zh) => format!("教师 {t} {year} 年 {age} 岁（{born} 年生）；规则 eligibility 允许{}至多 {limit} 岁（eligibility.{key}）", if male { "男教师" } else { "女教师" }),
        (Ineligibility::Age(age, limit), Lang::En) => format!("teacher {t} is {age} in {year} (born {born}); rule eligibility allows {} up to {limit} (eligibility.{key})", if male { "men" } else { "women" }),
        (Ineligibility::Exempt(why), Lang::Zh) => format!("教师 {t} 今年免于交流（{why}）；规则 eligibility 不含免交流教师"),
        (Ineligibility::Exempt(why), Lang::En) => format!("teacher {t} is exempt from rotation this year ({why}); rule eligibility excludes exempt teachers"),
        (Ineligibility::RecentRotation(ago, required), _) => {
            let last = last_rotated.unwrap_or(year - ago);
            match lang {
                Lang::Zh => format!("教师 {t} 上次交流在 {last} 年，距 {year} 年 {ago} 年；规则 eligibility 要求距上次交流 {required} 年（eligibility.min_years_since_rotation）"),
                Lang::En => format!("teacher {t} last rotated in {last}, {ago} years before {year}; rule eligibility requires {required} years since the last rotation (eligibility.min_years_since_rotation)"),
            }
        }
        (Ineligibility::OnExchange { home, end_year, decision, due }, _) => on_exchange_text(t, s, (home, *end_year), (*decision, *due), lang),
    }
}

/// A teacher on exchange (exchanges.csv) at `s` from `home`, the term ending in `end_year`.
fn on_exchange_text(
    t: &str,
    s: &str,
    (home, end): (&str, i32),
    (decision, due): (ExchangeDecision, bool),
    lang: Lang,
) -> String {
    let state = match (decision, due, lang) {
        (ExchangeDecision::Return, true, Lang::Zh) => format!("在 {s} 的交流至 {end} 年期满，本年度返回原学校 {home}"),
        (ExchangeDecision::Return, true, Lang::En) => {
            format!("ends the exchange at {s} in {end} and returns to the home school {home} in this plan")
        }
        (ExchangeDecision::Extend, true, Lang::Zh) => format!("正从 {home} 交流到 {s}，{end} 年期满后续任"),
        (ExchangeDecision::Extend, true, Lang::En) => {
            format!("is on exchange at {s} from {home}, the term to {end} extended")
        }
        (_, _, Lang::Zh) => format!("正从 {home} 交流到 {s}，至 {end} 年"),
        (_, _, Lang::En) => format!("is on exchange at {s} from {home} until {end}"),
    };
    match lang {
        Lang::Zh => format!("教师 {t} {state}；规则 eligibility 不含交流期内的教师（exchanges.csv）"),
        Lang::En => format!("teacher {t} {state}; rule eligibility excludes teachers on exchange (exchanges.csv)"),
    }
}

/// A broken lock: (action, school before, school after, moved, note).
fn lock_text(t: &str, s: &str, lock: (LockAction, &str, Option<&str>, bool, &str), lang: Lang) -> String {
    let (action, home, now, moved, note) = lock;
    let now = now.unwrap_or(lang.pick("无", "nowhere"));
    let note = match (note.is_empty(), lang) {
        (true, _) => String::new(),
        (false, Lang::Zh) => format!("（备注：{note}）"),
        (false, Lang::En) => format!(" (note: {note})"),
    };
    let text = match (action, lang) {
        (LockAction::Stay, Lang::Zh) => format!("教师 {t} 锁定留在 {home}{note}，但方案将其交流到 {now}"),
        (LockAction::Stay, Lang::En) => {
            format!("teacher {t} is locked to stay at {home}{note} but the plan moves them to {now}")
        }
        (LockAction::Move, Lang::Zh) => format!("教师 {t} 锁定须交流{note}，但方案将其留在 {home}"),
        (LockAction::Move, Lang::En) => {
            format!("teacher {t} is locked to move{note} but the plan keeps them at {home}")
        }
        (LockAction::MoveTo, Lang::Zh) => {
            format!(
                "教师 {t} 锁定交流到 {s}{note}，但方案{}",
                if moved { format!("将其交流到 {now}") } else { format!("将其留在 {now}") }
            )
        }
        (LockAction::MoveTo, Lang::En) => {
            format!(
                "teacher {t} is locked to move to {s}{note} but the plan {}",
                if moved { format!("moves them to {now}") } else { format!("keeps them at {now}") }
            )
        }
        (LockAction::Forbid, Lang::Zh) => format!("教师 {t} 不得去 {s}{note}，但方案将其交流到该校"),
        (LockAction::Forbid, Lang::En) => format!("teacher {t} may not go to {s}{note} but the plan moves them there"),
    };
    match lang {
        Lang::Zh => format!("{text}；规则 locks：locks.csv 的锁定（{}）必须遵守", action.word()),
        Lang::En => format!("{text}; rule locks: a lock of locks.csv ({}) must hold", action.word()),
    }
}

// ------------------------------------------------------------ conflicts

/// "H1:primary (2), H2:primary (1)": where a rule needed slack, and how much.
fn places(places: &[Place], lang: Lang) -> String {
    let list: Vec<String> = places.iter().map(|p| format!("{} ({:.0})", p.at, p.amount)).collect();
    list.join(lang.pick("、", ", "))
}

/// What a conflict finds wrong, in words.
pub fn conflict_detail(c: &Conflict, lang: Lang) -> String {
    let zh = lang == Lang::Zh;
    match &c.finding {
        Finding::TimeRanOut if zh => "交流规则无法同时满足，但诊断在时限内未找出是哪些规则".into(),
        Finding::TimeRanOut => "the rules cannot all hold, but the time limit ran out before the diagnosis found which".into(),
        Finding::FixedReturns { count } if zh => format!(
            "本年度有 {count} 名交流期满教师必须返回原学校（exchange.returns = fixed），其返回参与人数平衡、编制和学科下限；允许按需续任一年后即有可行方案"
        ),
        Finding::FixedReturns { count } => format!(
            "{count} teacher(s) on exchange must return home this year (exchange.returns = fixed), and their returns count in headcount balance, quotas and subject floors; with extensions by one year allowed a plan exists"
        ),
        Finding::NoDestination if zh => "即使放宽所有规则也没有方案：交流范围规则使教师没有可去的学校".into(),
        Finding::NoDestination => "even with every rule relaxed no plan exists: the movement rules leave no allowed destination".into(),
        Finding::Unexplained if zh => "求解器发现规则相互冲突，但没有哪一组规则能单独解释".into(),
        Finding::Unexplained => "the solver found the rules in conflict but no single group explains it".into(),
        Finding::Lock(problem) => lock_problem_text(problem, lang),
        Finding::SharesCross { most, least } if zh => format!("max_share 只允许 {most} 人交流，但 min_share 要求 {least} 人"),
        Finding::SharesCross { most, least } => format!("max_share allows {most} moves but min_share requires {least}"),
        Finding::TooFewMovable { required, movable, stay_locked } if zh => format!("需要交流 {required} 人，但只有 {movable} 名符合条件的教师可以交流（{stay_locked} 人锁定留任）"),
        Finding::TooFewMovable { required, movable, stay_locked } => format!("{required} move(s) are required but only {movable} eligible teacher(s) may move ({stay_locked} locked to stay)"),
        Finding::TooManyForced { forced, most } if zh => format!("{forced} 名教师锁定须交流，但至多允许交流 {most} 人"),
        Finding::TooManyForced { forced, most } => format!("{forced} teacher(s) are locked to move but at most {most} move(s) are allowed"),
        Finding::TooFewBackbone { moves, need, share, have } if zh => format!("{moves} 人交流至少需要 {need} 名骨干教师（{share} × {moves}），但只有 {have} 名符合条件的骨干教师可以交流"),
        Finding::TooFewBackbone { moves, need, share, have } => format!("{moves} move(s) need at least {need} backbone teacher(s) ({share} × {moves}), but only {have} eligible backbone teacher(s) may move"),
        Finding::MovesShort { required, possible } if zh => format!("要求交流 {required} 人，但其他规则只允许 {possible:.0} 人交流"),
        Finding::MovesShort { required, possible } => format!("{required} moves are required but the other rules let only {possible:.0} happen"),
        Finding::PrincipalMoves { bound, possible, too_few: true } if zh => format!("要求交流 {bound} 名校长、副校长（principals.min_share），但对等交流和其他规则只允许 {possible:.0} 名"),
        Finding::PrincipalMoves { bound, possible, too_few: true } => format!("{bound} principal and vice principal moves are required (principals.min_share) but role for role and the other rules let only {possible:.0} happen"),
        Finding::PrincipalMoves { bound, possible, .. } if zh => format!("锁定使 {possible:.0} 名校长、副校长交流，但至多允许 {bound} 名（principals.max_share）"),
        Finding::PrincipalMoves { bound, possible, .. } => format!("locks move {possible:.0} principals and vice principals but at most {bound} are allowed (principals.max_share)"),
        Finding::RoleUnbalanced { places: p } if zh => format!("以下学校调出校长或副校长后无法调入同职务人选：{}", places(p, lang)),
        Finding::RoleUnbalanced { places: p } => format!("these schools would lose a principal or vice principal without receiving one of the same role: {}", places(p, lang)),
        Finding::BackboneShort { short } if zh => format!("骨干教师比 backbone_min_share × 交流人数 少 {short:.2} 人"),
        Finding::BackboneShort { short } => format!("backbone teachers fall {short:.2} short of backbone_min_share × moves"),
        Finding::TooFewToRural { moves, need, share, have } if zh => format!("{moves} 人交流中至少 {need} 人须由城区、镇区学校到乡村学校（{share} × {moves}），但城区、镇区学校只有 {have} 名符合条件的教师可以到乡村学校交流"),
        Finding::TooFewToRural { moves, need, share, have } => format!("{moves} move(s) need at least {need} from urban and town schools to rural ones ({share} × {moves}), but only {have} eligible teacher(s) of urban and town schools may go to a rural school"),
        Finding::ToRuralShort { short, backbone: false } if zh => format!("由城区、镇区学校到乡村学校的交流比 to_rural_min_share × 交流人数 少 {short:.2} 人"),
        Finding::ToRuralShort { short, backbone: false } => format!("moves from urban and town schools to rural ones fall {short:.2} short of to_rural_min_share × moves"),
        Finding::ToRuralShort { short, backbone: true } if zh => format!("由城区、镇区学校到乡村学校的交流（含骨干教师）比 to_rural_min_share × 交流人数 共少 {short:.2} 人"),
        Finding::ToRuralShort { short, backbone: true } => format!("moves from urban and town schools to rural ones (backbone moves among them) fall {short:.2} short in all of to_rural_min_share × moves"),
        Finding::Unbalanced { places: p } if zh => format!("以下学段调入调出无法平衡：{}", places(p, lang)),
        Finding::Unbalanced { places: p } => format!("arrivals and departures cannot balance at: {}", places(p, lang)),
        Finding::OverQuota { places: p } if zh => format!("以下学校将超出编制：{}", places(p, lang)),
        Finding::OverQuota { places: p } => format!("schools would exceed their staff quota: {}", places(p, lang)),
        Finding::FloorsBroken { places: p } if zh => format!("以下学科最低配备无法满足：{}", places(p, lang)),
        Finding::FloorsBroken { places: p } => format!("subject floors cannot hold at: {}", places(p, lang)),
        Finding::LocksBroken { places: p } if zh => format!("以下锁定无法遵守：{}", places(p, lang)),
        Finding::LocksBroken { places: p } => format!("locks cannot hold: {}", places(p, lang)),
        Finding::FamilyBroken { places: p } if zh => format!("以下家庭约束（family.csv）无法同时满足：{}", places(p, lang)),
        Finding::FamilyBroken { places: p } => format!("family ties of family.csv cannot hold: {}", places(p, lang)),
        Finding::RoadsMissing { moves, places: p } if zh => format!("方案需要 {moves:.0} 次在 roads.csv 中不相通的学校之间交流（没有道路的两校之间不允许交流）：{}", places(p, lang)),
        Finding::RoadsMissing { moves, places: p } => format!("a plan needs {moves:.0} move(s) between schools that roads.csv does not connect (a pair with no road path is not an allowed move): {}", places(p, lang)),
        Finding::Broken { places: p } if zh => format!("{} 无法满足：{}", c.rule_id(), places(p, lang)),
        Finding::Broken { places: p } => format!("{} cannot hold: {}", c.rule_id(), places(p, lang)),
    }
}

fn lock_problem_text(problem: &LockProblem, lang: Lang) -> String {
    match problem {
        LockProblem::MoveToBlocked { teacher, school, why } => match lang {
            Lang::Zh => format!("教师 {teacher} 交流到 {school} 的锁定无法遵守：{}", blocked_text(why, school, lang)),
            Lang::En => {
                format!("lock move_to {school} for teacher {teacher} cannot hold: {}", blocked_text(why, school, lang))
            }
        },
        LockProblem::MoveBlocked { teacher, level, forbidden, roads } => match lang {
            Lang::Zh => {
                let forbids = if forbidden.is_empty() {
                    String::new()
                } else {
                    format!("除 {}（其禁止锁定）外，", forbidden.join("、"))
                };
                let roads = if *roads { "（给出 roads.csv 时交流须有道路相通）" } else { "" };
                format!(
                    "教师 {teacher} 须交流的锁定无法遵守：{forbids}交流范围内{roads}没有学校设有{}学段",
                    level.word_zh()
                )
            }
            Lang::En => {
                let forbids = if forbidden.is_empty() {
                    String::new()
                } else {
                    format!(" other than {} (its forbid locks)", forbidden.join(", "))
                };
                let roads = if *roads { " (with roads.csv, a move needs a road path)" } else { "" };
                format!("lock move for teacher {teacher} cannot hold: no school{forbids} within the movement rules{roads} has the {} section", level.word())
            }
        },
    }
}

fn blocked_text(why: &Blocked, school: &str, lang: Lang) -> String {
    let zh = lang == Lang::Zh;
    match why {
        Blocked::Forbidden if zh => format!("禁止锁定也指向 {school}"),
        Blocked::Forbidden => format!("a forbid lock names {school} too"),
        Blocked::NoSection { school, level } if zh => format!("{school} 没有{}学段", level.word_zh()),
        Blocked::NoSection { school, level } => format!("{school} has no {} section", level.word()),
        Blocked::OwnSchool if zh => "那是该教师的本校".into(),
        Blocked::OwnSchool => "it is the teacher's own school".into(),
        Blocked::NoRoadPath { from, to } if zh => {
            format!("roads.csv 中 {from} 与 {to} 之间没有道路（交流须有道路相通）")
        }
        Blocked::NoRoadPath { from, to } => {
            format!("roads.csv has no road path between {from} and {to} (a move needs one)")
        }
        Blocked::UnknownDistance if zh => "设置了 max_distance_km，但距离未知".into(),
        Blocked::UnknownDistance => "the distance is unknown while max_distance_km is set".into(),
        Blocked::TooFar { km, limit } if zh => format!("{km:.1} 公里超出 max_distance_km = {limit}"),
        Blocked::TooFar { km, limit } => format!("{km:.1} km is beyond max_distance_km = {limit}"),
        Blocked::OtherAlliance { from, to } => {
            let none = lang.pick("无", "none");
            let (a, b) = (from.as_deref().unwrap_or(none), to.as_deref().unwrap_or(none));
            match lang {
                Lang::Zh => format!("两校不在同一联盟（{a} 与 {b}）"),
                Lang::En => format!("the schools are not in one alliance ({a} vs {b})"),
            }
        }
        Blocked::Movement if zh => "交流范围规则不允许".into(),
        Blocked::Movement => "the movement rules forbid it".into(),
    }
}

fn policy_text(change: &PolicyChange, lang: Lang) -> String {
    match (change, lang) {
        (PolicyChange::AtMost(key, value), _) => format!("{key} ≤ {value}"),
        (PolicyChange::AtLeast(key, value), Lang::Zh) => format!("将 {key} 提高到至少 {value}"),
        (PolicyChange::AtLeast(key, value), Lang::En) => format!("raise {key} to at least {value}"),
        (PolicyChange::Set(key, value), _) => format!("{key} = {value}"),
        (PolicyChange::Lower(key), Lang::Zh) => format!("调低 {key}"),
        (PolicyChange::Lower(key), Lang::En) => format!("a lower {key}"),
    }
}

/// A change that would make a plan exist, in words.
pub fn fix_text(fix: &Fix, lang: Lang) -> String {
    let zh = lang == Lang::Zh;
    match fix {
        Fix::MoreTime if zh => "用更长的时限（--time-limit）重新运行，以查看相互冲突的规则".into(),
        Fix::MoreTime => "run again with more time (--time-limit) to see the conflicting rules".into(),
        Fix::RelaxMovement if zh => "调高 movement.max_distance_km，或设置 movement.within_alliance = no".into(),
        Fix::RelaxMovement => "raise movement.max_distance_km or set movement.within_alliance = no".into(),
        Fix::Policy(change) => policy_text(change, lang),
        Fix::MoreEligible { count, backbone, beyond, or } => {
            let or = policy_text(or, lang);
            match lang {
                Lang::Zh => format!(
                    "需要{}{count} 名可交流的符合条件{}，或 {or}",
                    if *beyond { "再增加 " } else { " " },
                    if *backbone { "骨干教师" } else { "教师" }
                ),
                Lang::En => format!(
                    "needs {count} {}eligible {}{}, or {or}",
                    if *beyond { "more " } else { "" },
                    if *backbone { "backbone teacher(s)" } else { "teachers" },
                    if *beyond { "" } else { " able to move" }
                ),
            }
        }
        Fix::LowerMinShareOrRelaxMovement { more_moves } if zh => {
            format!("调低 rotation.min_share，或放宽交流范围规则（还需 {more_moves:.0} 人交流）")
        }
        Fix::LowerMinShareOrRelaxMovement { more_moves } => {
            format!("lower rotation.min_share, or relax the movement rules ({more_moves:.0} more moves needed)")
        }
        Fix::MaxShareAtLeastMin if zh => "设置 rotation.max_share ≥ rotation.min_share".into(),
        Fix::MaxShareAtLeastMin => "set rotation.max_share ≥ rotation.min_share".into(),
        Fix::RemoveMoveLocks { count } if zh => format!("取消 {count} 条须交流锁定，或调高 rotation.max_share"),
        Fix::RemoveMoveLocks { count } => format!("remove {count} move locks, or raise rotation.max_share"),
        Fix::PrincipalShareOrYears { more_moves } if zh => format!("调低 principals.min_share，或调低 principals.min_years_at_school 使更多校长、副校长符合条件（还需 {more_moves:.0} 名对等交流）"),
        Fix::PrincipalShareOrYears { more_moves } => format!("lower principals.min_share, or principals.min_years_at_school so that more principals and vice principals are eligible ({more_moves:.0} more moves needed, role for role)"),
        Fix::PrincipalMoveLocks if zh => "取消校长、副校长的须交流锁定，或调高 principals.max_share".into(),
        Fix::PrincipalMoveLocks => "remove the principals' move locks, or raise principals.max_share".into(),
        Fix::PrincipalRoleForRole if zh => "调出校长或副校长的学校须调入同职务人选：调低 principals.min_years_at_school 使更多人符合条件，或修改相关锁定".into(),
        Fix::PrincipalRoleForRole => "a school that loses a principal or vice principal needs one of the same role: lower principals.min_years_at_school so that more are eligible, or change those locks".into(),
        Fix::RaiseStaffQuota if zh => "调高这些学校的编制（staff_quota）".into(),
        Fix::RaiseStaffQuota => "raise staff_quota of those schools".into(),
        Fix::LowerNeedOrKeepTeachers if zh => "在 staffing.csv 中调低这些学科的需要，或锁定这些教师留任".into(),
        Fix::LowerNeedOrKeepTeachers => {
            "lower the need in staffing.csv for those subjects, or lock those teachers to stay".into()
        }
        Fix::ChangeLocks if zh => "在 locks.csv 中取消或修改这些锁定".into(),
        Fix::ChangeLocks => "remove or change those locks in locks.csv".into(),
        Fix::ChangeLock if zh => "在 locks.csv 中取消或修改该锁定".into(),
        Fix::ChangeLock => "remove or change that lock in locks.csv".into(),
        Fix::LoosenFamily if zh => {
            "在 family.csv 中取消这些家庭约束，或放宽（如改为更大的 within_km 公里数，或以 within_km 代替 same_town）"
                .into()
        }
        Fix::LoosenFamily => {
            "drop those ties from family.csv, or loosen them (a larger within_km, or within_km instead of same_town)"
                .into()
        }
        Fix::AddRoads if zh => "在 roads.csv 中补上缺少的道路（这些学校或其所在乡镇之间）".into(),
        Fix::AddRoads => "add the missing roads to roads.csv (between those schools or their towns)".into(),
        Fix::CheckLocksAndMovement if zh => "检查锁定和交流范围规则".into(),
        Fix::CheckLocksAndMovement => "check locks and movement rules".into(),
        Fix::ChangeData if zh => "修改数据".into(),
        Fix::ChangeData => "change the data".into(),
    }
}

/// One conflict as a terminal line: `[rule] what is wrong — what would fix it`.
pub fn conflict_line(c: &Conflict, lang: Lang) -> String {
    format!("[{}] {} — {}", c.rule_id(), conflict_detail(c, lang), fix_text(&c.fix, lang))
}

/// One line per conflict, for the terminal and the what-if comparison.
pub fn diagnosis_lines(diagnosis: &Diagnosis, lang: Lang) -> Vec<String> {
    diagnosis.conflicts.iter().map(|c| conflict_line(c, lang)).collect()
}

/// diagnosis.json of an infeasible run, its messages in `lang`.
pub fn diagnosis_files(diagnosis: &Diagnosis, lang: Lang) -> OutputFiles {
    let conflicts: Vec<serde_json::Value> = diagnosis
        .conflicts
        .iter()
        .map(|c| {
            json!({
                "rule": c.rule_id(),
                "detail": conflict_detail(c, lang),
                "needed": c.needed,
                "available": c.available,
                "fix": fix_text(&c.fix, lang),
            })
        })
        .collect();
    let value = json!({
        "feasible": false,
        "eligible": diagnosis.eligible,
        "required_moves": diagnosis.required_moves,
        "conflicts": conflicts,
    });
    let mut files = OutputFiles::new();
    files.add("diagnosis.json", json_bytes(&value));
    files
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals_are_exact() {
        assert_eq!(decimal(Exact::new(14, 100)), "0.14");
        assert_eq!(decimal(Exact::new(9, 2)), "4.5");
        assert_eq!(decimal(Exact::from_integer(15)), "15");
        assert_eq!(decimal(Exact::new(1, 3)), "0.3333");
        assert_eq!(decimal(Exact::new(-1, 20)), "-0.05");
    }
}
