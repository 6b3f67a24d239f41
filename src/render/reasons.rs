//! A move's and a hire's reason in words (zh or en), from the explanation
//! data of `explain` (built once per plan by [`crate::explain::explain_plan`]).

use crate::domain::{County, LockAction, Role};
use crate::explain::applications::{NoVolunteerReason, WishBar, WishOutcome};
use crate::explain::{
    explain_hire, explain_move, ComplianceChange, Effect, HireExplanation, MoveExplanation, ReturnExplanation,
};
use crate::plan::{HirePlacement, Move, Plan};
use crate::render::words::{clause_separator, per_hundred, word};
use crate::render::Lang;

fn effect_text(county: &County, e: &Effect, lang: Lang) -> String {
    let name = &county.schools[e.school].name;
    let indicator = per_hundred(e.indicator, lang);
    match lang {
        Lang::Zh => format!("{name}{indicator} {:.2} → {:.2}（标准 {}）", e.before, e.after, e.standard),
        Lang::En => format!("{indicator} at {name} {:.2} → {:.2} (standard {})", e.before, e.after, e.standard),
    }
}

fn effects_text(county: &County, effects: &[Effect], lang: Lang) -> Vec<String> {
    effects.iter().map(|e| effect_text(county, e, lang)).collect()
}

fn compliance_text(c: &ComplianceChange, lang: Lang) -> Option<String> {
    if !c.counted {
        return None;
    }
    let text = match (c.before, c.after) {
        (Some(false), Some(true)) => lang.pick("该校段由不达标变为达标", "the section now complies"),
        (Some(true), Some(true)) => lang.pick("该校段仍达标", "the section still complies"),
        (Some(true), Some(false)) => lang.pick("该校段由达标变为不达标", "the section no longer complies"),
        _ => return None,
    };
    Some(text.to_string())
}

/// Who moves: eligibility, backbone level, degree and subject.
fn who_text(county: &County, x: &MoveExplanation, lang: Lang) -> String {
    let t = &county.teachers[x.teacher];
    let (degree, subject) = (word(t.degree, lang), word(t.subject, lang));
    match lang {
        Lang::Zh => {
            let mut who = if x.eligible {
                format!("符合交流条件（在校 {} 年，≥ {} 年）", x.years_at_school, x.min_years)
            } else {
                format!("不符合交流条件（在校 {} 年）", x.years_at_school)
            };
            if x.backbone.is_backbone() {
                who.push_str(&format!("，{}骨干", word(x.backbone, lang)));
            }
            who.push_str(&format!("，{degree}，{subject}"));
            who
        }
        Lang::En => {
            let mut who = if x.eligible {
                format!("eligible ({} years at the school, ≥ {})", x.years_at_school, x.min_years)
            } else {
                format!("not eligible ({} years at the school)", x.years_at_school)
            };
            if x.backbone.is_backbone() {
                who.push_str(&format!(", {} backbone", word(x.backbone, lang)));
            }
            who.push_str(&format!(", {degree}, {subject}"));
            who
        }
    }
}

/// Why this teacher and not a colleague: a lock, or the tie-break by service.
fn chosen_text(x: &MoveExplanation, to: &str, lang: Lang) -> Option<String> {
    match x.lock {
        Some(LockAction::MoveTo) => Some(match lang {
            Lang::Zh => format!("按锁定指定交流至{to}"),
            Lang::En => format!("locked to move to {to}"),
        }),
        Some(_) => Some(lang.pick("按锁定须交流", "locked to move").to_string()),
        None if x.same_profile > 1 && x.application.is_some() => Some(match lang {
            Lang::Zh => format!("同校同类教师 {} 人中按公布的优先顺序（自愿优先，再按积分）选出", x.same_profile),
            Lang::En => format!(
                "chosen by the published order (volunteers first, then points) among {} colleagues of the same profile",
                x.same_profile
            ),
        }),
        None if x.same_profile > 1 => Some(match lang {
            Lang::Zh => format!("同校同类教师 {} 人中按在校年限最长优先选出", x.same_profile),
            Lang::En => format!("chosen by longest service among {} colleagues of the same profile", x.same_profile),
        }),
        None => None,
    }
}

/// A principal's or vice principal's move: rotated role for role, taking
/// the seat of those of the same role who leave the destination.
fn role_text(county: &County, x: &MoveExplanation, to: &str, lang: Lang) -> Option<String> {
    if x.role == Role::Teacher {
        return None;
    }
    let role = word(x.role, lang);
    let names: Vec<String> =
        x.seat_of.iter().map(|&t| format!("{}（{}）", county.teachers[t].name, county.teachers[t].id)).collect();
    Some(match lang {
        Lang::Zh => format!("{role}交流：与{to}调出的{role}{}对等交换", names.join("、")),
        Lang::En => {
            let names: Vec<String> =
                x.seat_of.iter().map(|&t| format!("{} ({})", county.teachers[t].name, county.teachers[t].id)).collect();
            format!("{role} rotation: swapped role for role with {}, the {role} leaving {to}", names.join(", "))
        }
    })
}

/// A move's explanation in one line.
pub fn move_words(county: &County, x: &MoveExplanation, lang: Lang) -> String {
    let to = &county.schools[x.to].name;
    let mut parts = vec![who_text(county, x, lang)];
    parts.extend(role_text(county, x, to, lang));
    parts.extend(chosen_text(x, to, lang));
    if let Some(a) = &x.application {
        if a.volunteer {
            parts.push(lang.pick("本人申请交流", "volunteered").to_string());
        }
        parts.extend(a.no_volunteer.and_then(|r| no_volunteer_words(r, lang)));
    }
    let arrive = effects_text(county, &x.arrival, lang);
    parts.push(match (arrive.is_empty(), lang) {
        (true, Lang::Zh) => format!("调入{to}，补足学科与交流比例"),
        (true, Lang::En) => format!("goes to {to} to keep subjects staffed and the rotation share"),
        // The figures are the section's before and after all of this
        // year's moves, not this one move's alone.
        (false, Lang::Zh) => format!("调入{to}，该校段本轮交流前后：{}", arrive.join("，")),
        (false, Lang::En) => {
            format!("goes to {to}; the section before and after this year's moves: {}", arrive.join(", "))
        }
    });
    parts.extend(compliance_text(&x.destination, lang));
    let leave = effects_text(county, &x.departure, lang);
    if !leave.is_empty() {
        parts.push(match lang {
            Lang::Zh => format!("调出校段本轮交流前后：{}", leave.join("，")),
            Lang::En => format!("the section left, before and after this year's moves: {}", leave.join(", ")),
        });
    }
    parts.join(clause_separator(lang))
}

/// A hire's explanation in one line.
pub fn hire_words(county: &County, x: &HireExplanation, lang: Lang) -> String {
    let mut parts = effects_text(county, &x.arrival, lang);
    if parts.is_empty() {
        let (school, subject) = (&county.schools[x.to].name, word(x.subject, lang));
        parts.push(match lang {
            Lang::Zh => format!("补充{school}{subject}教师"),
            Lang::En => format!("adds a {subject} teacher to {school}"),
        });
    }
    parts.extend(compliance_text(&x.destination, lang));
    parts.join(clause_separator(lang))
}

/// The reason of one move in one line (explains it first; outputs that
/// show every move word [`crate::explain::explain_plan`]'s data instead).
pub fn move_reason(county: &County, plan: &Plan, m: &Move, lang: Lang) -> String {
    move_words(county, &explain_move(county, plan, m), lang)
}

/// The reason of a hire's placement in one line (explains it first).
pub fn hire_reason(county: &County, plan: &Plan, h: &HirePlacement, lang: Lang) -> String {
    hire_words(county, &explain_hire(county, plan, h), lang)
}

/// A due return's explanation in one line: the term, home or extended, and
/// what it does (for an extension: what staying keeps at the host).
pub fn return_words(county: &County, x: &ReturnExplanation, lang: Lang) -> String {
    let (host, home) = (&county.schools[x.host].name, &county.schools[x.home].name);
    let term = match x.start_year {
        Some(start) => format!("{start}–{}", x.end_year),
        None => x.end_year.to_string(),
    };
    let mut parts = Vec::new();
    if !x.extended {
        parts.push(match lang {
            Lang::Zh => format!("交流期满（{term}），返回原学校{home}"),
            Lang::En => format!("exchange term over ({term}), returns to {home}"),
        });
        let arrive = effects_text(county, &x.arrival, lang);
        if !arrive.is_empty() {
            parts.push(match lang {
                Lang::Zh => format!("返回后{}", arrive.join("，")),
                Lang::En => format!("arriving: {}", arrive.join(", ")),
            });
        }
        parts.extend(compliance_text(&x.destination, lang));
        return parts.join(clause_separator(lang));
    }
    parts.push(match lang {
        Lang::Zh => format!("续任一年：交流期（{term}）延至 {} 年，留在{host}", x.new_end),
        Lang::En => format!("extended one year: the exchange ({term}) runs to {}, staying at {host}", x.new_end),
    });
    for e in &x.kept {
        let (name, indicator) = (&county.schools[e.school].name, per_hundred(e.indicator, lang));
        parts.push(match lang {
            Lang::Zh => {
                format!("{name}{indicator}保持 {:.2}（返回则为 {:.2}，标准 {}）", e.after, e.before, e.standard)
            }
            Lang::En => format!(
                "keeps {indicator} at {name} at {:.2} ({:.2} had they returned, standard {})",
                e.after, e.before, e.standard
            ),
        });
    }
    if let Some((subject, after, floor)) = x.floor_kept {
        let subject = word(subject, lang);
        parts.push(match lang {
            Lang::Zh => format!("{host}{subject}专任教师保持 {after} 人（返回则低于下限 {floor} 人）"),
            Lang::En => format!(
                "keeps {after} full-time {subject} teachers at {host} (returning would go below the floor of {floor})"
            ),
        });
    }
    if x.destination.counted && x.destination.after == Some(true) && x.host_if_returned == Some(false) {
        parts
            .push(lang.pick("返回则该校段不达标", "returning would leave the section short of compliance").to_string());
    }
    if x.kept.is_empty() && x.floor_kept.is_none() {
        parts.push(lang.pick("使全县指标更优", "gives the county better figures").to_string());
    }
    parts.extend(compliance_text(&x.destination, lang));
    parts.join(clause_separator(lang))
}

/// Why no volunteer took a moved non-volunteer's place (None when a lock
/// moves the teacher: the lock is said already).
pub fn no_volunteer_words(reason: NoVolunteerReason, lang: Lang) -> Option<String> {
    Some(match (reason, lang) {
        (NoVolunteerReason::Locked, _) => return None,
        (NoVolunteerReason::NoVolunteer, Lang::Zh) => "非本人申请：同校同学段同学科同类教师中无自愿交流者".into(),
        (NoVolunteerReason::NoVolunteer, Lang::En) => {
            "did not volunteer: no colleague of the same school, section, subject and profile volunteered".into()
        }
        (NoVolunteerReason::VolunteersMove(n), Lang::Zh) => format!("非本人申请：同类教师中 {n} 名自愿者均已安排交流"),
        (NoVolunteerReason::VolunteersMove(n), Lang::En) => {
            format!("did not volunteer: all {n} volunteers of the same profile move too")
        }
        (NoVolunteerReason::VolunteersHeld { moving, family, locks }, Lang::Zh) => {
            let mut held = Vec::new();
            if family > 0 {
                held.push(format!("{family} 人受家庭约束"));
            }
            if locks > 0 {
                held.push(format!("{locks} 人受锁定约束"));
            }
            format!("非本人申请：同类自愿者 {moving} 人已交流，其余{}不能交流", held.join("、"))
        }
        (NoVolunteerReason::VolunteersHeld { moving, family, locks }, Lang::En) => {
            let mut held = Vec::new();
            if family > 0 {
                held.push(format!("{family} held by a family tie"));
            }
            if locks > 0 {
                held.push(format!("{locks} held by a lock"));
            }
            format!(
                "did not volunteer: {moving} volunteers of the same profile move, the others cannot ({})",
                held.join(", ")
            )
        }
        (NoVolunteerReason::VolunteersPassedOver(n), Lang::Zh) => {
            format!("非本人申请：同类教师中有 {n} 名自愿者未安排交流（名单未按公布的优先顺序）")
        }
        (NoVolunteerReason::VolunteersPassedOver(n), Lang::En) => {
            format!("did not volunteer: {n} volunteers of the same profile stay (the list does not follow the published order)")
        }
    })
}

/// Why a wish school was not granted.
pub fn wish_bar_words(county: &County, teacher: usize, bar: &WishBar, lang: Lang) -> String {
    let level = word(county.teachers[teacher].level, lang);
    match (bar, lang) {
        (WishBar::UnknownSchool, _) => lang.pick("无此学校", "no such school").into(),
        (WishBar::OwnSchool, _) => lang.pick("为本校", "the teacher's own school").into(),
        (WishBar::OtherLevel, Lang::Zh) => format!("该校无{level}学段"),
        (WishBar::OtherLevel, Lang::En) => format!("the school has no {level} section"),
        (WishBar::LockedElsewhere, _) => lang.pick("锁定指定交流至他校", "a lock sends the teacher elsewhere").into(),
        (WishBar::LockForbids, _) => lang.pick("锁定禁止调入该校", "a lock forbids this school").into(),
        (WishBar::NoRoad, _) => lang.pick("两校之间无道路相通", "no road joins the two schools").into(),
        (WishBar::TooFar { km: Some(km), limit }, Lang::Zh) => format!("距离 {km:.1} 公里，超过上限 {limit} 公里"),
        (WishBar::TooFar { km: Some(km), limit }, Lang::En) => format!("{km:.1} km away, over the limit of {limit} km"),
        (WishBar::TooFar { km: None, limit }, Lang::Zh) => format!("距离未知，不能确认在 {limit} 公里以内"),
        (WishBar::TooFar { km: None, limit }, Lang::En) => {
            format!("distance unknown, not known to be within {limit} km")
        }
        (WishBar::OtherAlliance, _) => lang.pick("不在本校所属城乡教育联盟内", "outside the school's alliance").into(),
        (WishBar::Placed, _) => lang
            .pick(
                "可以调入，但按全县指标安排在其他学校",
                "allowed, but the county's figures place the teacher elsewhere",
            )
            .into(),
    }
}

/// The wish line of a teacher: the wish granted, or why each was not
/// (None when the teacher listed no wish).
pub fn wish_words(
    county: &County,
    teacher: usize,
    wishes: &WishOutcome,
    to: Option<usize>,
    lang: Lang,
) -> Option<String> {
    match wishes {
        WishOutcome::NoWishes => None,
        WishOutcome::Granted(rank) => {
            let school = to.map_or("", |s| county.schools[s].name.as_str());
            Some(match lang {
                Lang::Zh => format!("满足第{rank}志愿（{school}）"),
                Lang::En => format!("wish {rank} granted ({school})"),
            })
        }
        WishOutcome::NotGranted(misses) => {
            let each: Vec<String> = misses
                .iter()
                .map(|m| {
                    let school = m.school.map_or(m.school_id.as_str(), |s| county.schools[s].name.as_str());
                    let why = wish_bar_words(county, teacher, &m.bar, lang);
                    match lang {
                        Lang::Zh => format!("志愿{} {school}（{why}）", m.rank),
                        Lang::En => format!("wish {} {school} ({why})", m.rank),
                    }
                })
                .collect();
            Some(match lang {
                Lang::Zh => format!("志愿未能满足：{}", each.join("；")),
                Lang::En => format!("no wish granted: {}", each.join("; ")),
            })
        }
    }
}
