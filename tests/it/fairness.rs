//! The auditor's checks of the teachers' voice (issue 14): family ties
//! (`family`) and the published order of who moves within a group of
//! interchangeable teachers (`priority`), on tiny hand-made counties; their
//! words in zh and en; the family conflict of the diagnosis; `score` end to
//! end.

use std::path::Path;

use assert_cmd::Command;

use rotaplan::domain::applications::{Application, FamilyRule, FamilyTie};
use rotaplan::domain::changes::ProposedMove;
use rotaplan::domain::policy::Policy;
use rotaplan::domain::{
    Backbone, County, Degree, Exchange, ExchangeDecision, Level, LockAction, School, SchoolKind, Subject, Teacher,
};
use rotaplan::exact::Exact;
use rotaplan::plan::diagnosis::{Conflict, Finding, Fix, Place};
use rotaplan::plan::Outcome;
use rotaplan::render::diagnosis::{conflict_line, violation_line};
use rotaplan::render::Lang;
use rotaplan::rules::audit::{audit, Audit, Breach, OrderBasis, Violation};
use rotaplan::rules::rule::Rule;

use crate::plan::{exact, lock, run_plan, school, teacher};

/// Primary schools P1 and P2 (1.4 km apart by road, town `east`) and P3
/// (14.5 km from P1, 13.0 from P2, town `west`), a newcomer at each (not eligible), and `movers`;
/// min_share 0, max_share 1, no backbone share, tolerance 1.
fn county_of(movers: Vec<Teacher>) -> County {
    let mut schools: Vec<School> = vec![
        school("P1", SchoolKind::Primary, [200, 0], Some((36.00, 112.00))),
        school("P2", SchoolKind::Primary, [200, 0], Some((36.01, 112.00))),
        school("P3", SchoolKind::Primary, [200, 0], Some((36.10, 112.00))),
    ];
    for (s, town) in schools.iter_mut().zip(["east", "east", "west"]) {
        s.town = town.to_string();
    }
    let mut teachers = movers;
    for s in ["P1", "P2", "P3"] {
        let mut t = at(&format!("N{}", &s[1..]), s, 2024);
        t.degree = Degree::Bachelor;
        teachers.push(t);
    }
    let mut policy = Policy::default();
    policy.rotation.min_share = exact("0");
    policy.rotation.max_share = exact("1");
    policy.rotation.backbone_min_share = exact("0");
    policy.movement.headcount_tolerance = 1;
    County::new(schools, teachers, policy, Vec::new(), Vec::new(), Vec::new())
}

/// A primary teacher of no indicator (secondary-school degree, no backbone,
/// subject other) at `school_id` since `since`.
fn at(id: &str, school_id: &str, since: i32) -> Teacher {
    let mut t = teacher(id, school_id, Level::Primary, Subject::Other);
    t.degree = Degree::Secondary;
    t.school_since = since;
    t
}

fn application(id: &str, volunteer: bool, extra: i128) -> Application {
    Application {
        teacher_id: id.to_string(),
        volunteer,
        wishes: Vec::new(),
        extra_points: Exact::from_integer(extra),
        note: String::new(),
    }
}

fn tie(a: &str, b: &str, rule: FamilyRule) -> FamilyTie {
    FamilyTie { teacher_a: a.to_string(), teacher_b: b.to_string(), rule }
}

fn moves(list: &[(&str, &str)]) -> Vec<ProposedMove> {
    list.iter().map(|(t, s)| ProposedMove::new(*t, *s)).collect()
}

fn of_rule(verdict: &Audit, rule: Rule) -> Vec<Violation> {
    verdict.of_rule(rule).cloned().collect()
}

/// The priority violations as (teacher who stays, teacher who moved, basis).
fn out_of_order(county: &County, list: &[(&str, &str)]) -> Vec<(String, String, OrderBasis)> {
    of_rule(&audit(county, &moves(list)), Rule::Priority)
        .into_iter()
        .map(|v| match v.breach {
            Breach::OutOfOrder { moved, basis } => (v.teacher_id.unwrap(), moved, basis),
            other => panic!("a priority violation with {other:?}"),
        })
        .collect()
}

fn stays(who: &str, moved: &str, basis: OrderBasis) -> (String, String, OrderBasis) {
    (who.to_string(), moved.to_string(), basis)
}

#[test]
fn a_non_volunteer_moved_while_a_volunteer_of_the_group_stays_is_flagged() {
    // A has more points (since 2010), B volunteers (since 2015).
    let county =
        county_of(vec![at("A", "P1", 2010), at("B", "P1", 2015)]).with_applications(vec![application("B", true, 0)]);
    assert_eq!(out_of_order(&county, &[("A", "P2")]), vec![stays("B", "A", OrderBasis::Volunteer)]);
    assert_eq!(out_of_order(&county, &[("B", "P2")]), vec![], "the volunteer moves first");
    assert_eq!(out_of_order(&county, &[("A", "P2"), ("B", "P3")]), vec![], "both move");
    assert_eq!(out_of_order(&county, &[]), vec![], "nobody moves");
    let verdict = audit(&county, &moves(&[("A", "P2")]));
    let v = &of_rule(&verdict, Rule::Priority)[0];
    assert_eq!(v.school_id.as_deref(), Some("P1"), "the school of the teacher who stays");
    assert!(verdict.violations.iter().all(|v| v.rule == Rule::Priority), "only the order is broken");
}

#[test]
fn more_points_staying_while_fewer_move_is_flagged() {
    let movers = || vec![at("A", "P1", 2010), at("B", "P1", 2015), at("C", "P1", 2018)];
    let county = county_of(movers());
    let points = |stays: i128, moved: i128| OrderBasis::Points {
        stays: Exact::from_integer(stays),
        moved: Exact::from_integer(moved),
    };
    // Points = years at the school by default: A 15, B 10, C 7.
    assert_eq!(
        out_of_order(&county, &[("C", "P2")]),
        vec![stays("A", "C", points(15, 7)), stays("B", "C", points(10, 7))],
        "each teacher who stays ahead of the last mover, named with that mover"
    );
    assert_eq!(out_of_order(&county, &[("B", "P2")]), vec![stays("A", "B", points(15, 10))]);
    assert_eq!(out_of_order(&county, &[("A", "P2"), ("B", "P3")]), vec![], "the first two in the order");
    // Extra points of an application put B first.
    let extra = county_of(movers()).with_applications(vec![application("B", false, 6)]);
    assert_eq!(out_of_order(&extra, &[("B", "P2")]), vec![]);
    assert_eq!(out_of_order(&extra, &[("A", "P2")]), vec![stays("B", "A", points(16, 15))]);
    // With no points per year, the longer at the school goes first, then the id.
    let mut flat = county_of(vec![at("A", "P1", 2010), at("B", "P1", 2015), at("D", "P1", 2015)]);
    flat.policy.priority.school_year = exact("0");
    let since = OrderBasis::Since { stays: 2010, moved: 2015 };
    assert_eq!(out_of_order(&flat, &[("B", "P2")]), vec![stays("A", "B", since)]);
    assert_eq!(out_of_order(&flat, &[("A", "P2"), ("D", "P2")]), vec![stays("B", "D", OrderBasis::Id)]);
}

#[test]
fn locked_and_family_teachers_are_exempt_from_the_order() {
    let movers = || vec![at("A", "P1", 2010), at("B", "P1", 2015), at("C", "P2", 2012)];
    let plain = county_of(movers());
    assert_eq!(out_of_order(&plain, &[("B", "P3")]), vec![stays("A", "B", points_of(15, 10))]);
    // A lock of any kind takes A out of the group (forbid P2: the lock holds).
    let mut locked = county_of(movers());
    locked.locks.push(lock("A", LockAction::Forbid, Some("P2")));
    let verdict = audit(&locked, &moves(&[("B", "P3")]));
    assert!(verdict.violations.is_empty(), "{:?}", verdict.violations);
    // So does a family tie (kept: A at P1 and C at P2 are in one town).
    let tied = county_of(movers()).with_family(vec![tie("C", "A", FamilyRule::SameTown)]);
    let verdict = audit(&tied, &moves(&[("B", "P3")]));
    assert!(verdict.violations.is_empty(), "{:?}", verdict.violations);
    // A teacher due to return from exchange (R at P1, home P2) is in no group.
    let mut returning = county_of(vec![at("R", "P1", 2010), at("B", "P1", 2015)]);
    assert_eq!(out_of_order(&returning, &[("B", "P3")]).len(), 1, "without the register R is ahead of B");
    returning.exchanges.push(Exchange {
        teacher_id: "R".into(),
        home_school_id: "P2".into(),
        host_school_id: "P1".into(),
        start_year: 2022,
        end_year: 2025,
        decision: ExchangeDecision::Return,
    });
    assert_eq!(out_of_order(&returning, &[("B", "P3")]), vec![]);
    // Nor is a teacher who is not eligible (N1, a newcomer at P1).
    assert_eq!(out_of_order(&plain, &[("B", "P3"), ("A", "P2")]), vec![]);
}

fn points_of(stays: i128, moved: i128) -> OrderBasis {
    OrderBasis::Points { stays: Exact::from_integer(stays), moved: Exact::from_integer(moved) }
}

#[test]
fn other_subjects_flags_sections_and_schools_are_other_groups() {
    let mut chinese = at("B", "P1", 2015);
    chinese.subject = Subject::Chinese;
    let mut backbone = at("C", "P1", 2015);
    backbone.backbone = Backbone::County;
    let mut degree = at("D", "P1", 2015);
    degree.degree = Degree::Bachelor;
    let other_school = at("E", "P2", 2015);
    let county = county_of(vec![at("A", "P1", 2010), chinese, backbone, degree, other_school]);
    for who in ["B", "C", "D", "E"] {
        assert_eq!(out_of_order(&county, &[(who, "P3")]), vec![], "{who} is in another group than A");
    }
    // The same subject and flags make one group.
    let county = county_of(vec![at("A", "P1", 2010), at("F", "P1", 2015)]);
    assert_eq!(out_of_order(&county, &[("F", "P3")]).len(), 1);
}

#[test]
fn junior_teachers_of_a_nine_year_school_are_another_group_than_its_primary_ones() {
    let mut county = county_of(vec![at("A", "P1", 2010)]);
    county.schools[0].kind = SchoolKind::NineYear;
    county.schools[0].students = [200, 200];
    county.schools[2].kind = SchoolKind::NineYear;
    county.schools[2].students = [200, 200];
    let mut junior = at("J", "P1", 2015);
    junior.level = Level::Junior;
    county.teachers.push(junior);
    assert_eq!(out_of_order(&county, &[("J", "P3")]), vec![]);
}

/// The family violations as (teacher a, teacher b, a's school, b's school, km).
fn apart(county: &County, list: &[(&str, &str)]) -> Vec<(String, String, String, String, Option<f64>)> {
    of_rule(&audit(county, &moves(list)), Rule::Family)
        .into_iter()
        .map(|v| match v.breach {
            Breach::FamilyApart { other, other_school, km, .. } => {
                (v.teacher_id.unwrap(), other, v.school_id.unwrap(), other_school, km.map(|k| k.round()))
            }
            other => panic!("a family violation with {other:?}"),
        })
        .collect()
}

#[test]
fn a_broken_same_town_tie_is_flagged_and_a_kept_one_is_not() {
    let county = county_of(vec![at("A", "P1", 2010), at("C", "P2", 2010)]).with_family(vec![tie(
        "A",
        "C",
        FamilyRule::SameTown,
    )]);
    assert_eq!(apart(&county, &[]), vec![], "P1 and P2 are both in east");
    assert_eq!(apart(&county, &[("A", "P2")]), vec![], "one school");
    assert_eq!(apart(&county, &[("A", "P2"), ("C", "P1")]), vec![], "a swap within the town");
    let broken = apart(&county, &[("A", "P3")]);
    assert_eq!(broken, vec![("A".into(), "C".into(), "P3".into(), "P2".into(), Some(13.0))]);
    let both = apart(&county, &[("C", "P3"), ("A", "P3")]);
    assert_eq!(both, vec![], "both move to west");
    // One violation per broken tie.
    let two = county_of(vec![at("A", "P1", 2010), at("C", "P2", 2010), at("D", "P1", 2010)])
        .with_family(vec![tie("A", "C", FamilyRule::SameTown), tie("D", "C", FamilyRule::SameTown)]);
    assert_eq!(apart(&two, &[("C", "P3")]).len(), 2);
}

#[test]
fn a_broken_within_km_tie_is_flagged_and_a_kept_one_is_not() {
    let county = county_of(vec![at("A", "P1", 2010), at("C", "P2", 2010)]).with_family(vec![tie(
        "A",
        "C",
        FamilyRule::WithinKm(5.0),
    )]);
    assert_eq!(apart(&county, &[]), vec![], "1.4 km");
    assert_eq!(apart(&county, &[("C", "P1")]), vec![], "one school, 0 km");
    let broken = apart(&county, &[("C", "P3")]);
    assert_eq!(broken, vec![("A".into(), "C".into(), "P1".into(), "P3".into(), Some(14.0))]);
    let mut wide = county.clone();
    wide.family[0].rule = FamilyRule::WithinKm(15.0);
    assert_eq!(apart(&wide, &[("C", "P3")]), vec![], "14.5 km within 15");
    // An unknown distance keeps no within_km tie; one school always does.
    let mut unknown = county.clone();
    unknown.schools[2].location = None;
    let broken = apart(&unknown, &[("C", "P3")]);
    assert_eq!(broken, vec![("A".into(), "C".into(), "P1".into(), "P3".into(), None)]);
    assert_eq!(apart(&unknown, &[("C", "P3"), ("A", "P3")]), vec![]);
}

#[test]
fn the_violations_in_chinese_and_english() {
    let county = county_of(vec![at("A", "P1", 2010), at("B", "P1", 2015), at("C", "P2", 2010)])
        .with_applications(vec![application("B", true, 0)])
        .with_family(vec![tie("C", "A", FamilyRule::SameTown)]);
    let verdict = audit(&county, &moves(&[("C", "P3")]));
    let family = &of_rule(&verdict, Rule::Family)[0];
    let zh = violation_line(family, Lang::Zh);
    assert!(zh.starts_with("[family] 教师 C（交流后在 P3，west）与教师 A（交流后在 P1，east）不在同一乡镇"), "{zh}");
    let en = violation_line(family, Lang::En);
    assert!(
        en.contains("teachers C (at P3 in west after the plan) and A (at P1 in east) would not teach in one town"),
        "{en}"
    );
    let mut km = county.clone();
    km.family[0].rule = FamilyRule::WithinKm(5.0);
    let verdict = audit(&km, &moves(&[("C", "P3")]));
    let family = &of_rule(&verdict, Rule::Family)[0];
    assert!(violation_line(family, Lang::Zh)
        .contains("相距 14.5 公里；规则 family：family.csv 要求二人交流后相距不超过 5 公里"));
    assert!(violation_line(family, Lang::En).contains("would be 14.5 km apart; rule family"));

    let verdict = audit(&county, &moves(&[("A", "P2")]));
    let priority: Vec<String> = of_rule(&verdict, Rule::Priority).iter().map(|v| violation_line(v, Lang::Zh)).collect();
    // A is tied to C: exempt, so no group is left with two teachers.
    assert_eq!(priority, Vec::<String>::new());
    let free =
        county_of(vec![at("A", "P1", 2010), at("B", "P1", 2015)]).with_applications(vec![application("B", true, 0)]);
    let verdict = audit(&free, &moves(&[("A", "P2")]));
    let v = &of_rule(&verdict, Rule::Priority)[0];
    let zh = violation_line(v, Lang::Zh);
    assert!(zh.starts_with("[priority] 教师 B（P1）自愿交流却留任，而同组未申请自愿交流的教师 A 被交流"), "{zh}");
    assert!(zh.contains("自愿者优先交流"), "{zh}");
    let en = violation_line(v, Lang::En);
    assert!(
        en.contains("teacher B of P1 volunteered but stays, while A of the same group, who did not volunteer, moves"),
        "{en}"
    );
    let verdict = audit(&free, &moves(&[("B", "P2")]));
    assert!(verdict.violations.is_empty());
    let plain = county_of(vec![at("A", "P1", 2010), at("B", "P1", 2015)]);
    let verdict = audit(&plain, &moves(&[("B", "P2")]));
    let v = &of_rule(&verdict, Rule::Priority)[0];
    assert!(violation_line(v, Lang::Zh).contains("教师 A（P1）优先积分 15 分却留任，而同组积分 10 分的教师 B 被交流"));
    assert!(violation_line(v, Lang::En)
        .contains("teacher A of P1 has 15 priority points but stays, while B of the same group, with 10, moves"));
}

#[test]
fn a_family_conflict_in_chinese_and_english() {
    assert_eq!(Rule::of_row("family:A-C"), Some((Rule::Family, "A-C")));
    let conflict = Conflict {
        rule: Some(Rule::Family),
        finding: Finding::FamilyBroken { places: vec![Place { at: "A-C".into(), amount: 1.0 }] },
        needed: 1.0,
        available: 0.0,
        fix: Fix::LoosenFamily,
    };
    let zh = conflict_line(&conflict, Lang::Zh);
    assert!(
        zh.starts_with("[family] 以下家庭约束（family.csv）无法同时满足：A-C (1) — 在 family.csv 中取消这些家庭约束"),
        "{zh}"
    );
    assert!(zh.contains("within_km"), "{zh}");
    let en = conflict_line(&conflict, Lang::En);
    assert!(en.starts_with("[family] family ties of family.csv cannot hold: A-C (1) — drop those ties"), "{en}");
    assert!(en.contains("a larger within_km"), "{en}");
}

#[test]
fn the_planners_plan_follows_the_published_order() {
    // One move is required (min_share ⅓ of 3 eligible): the longest at P1 moves.
    let mut county = county_of(vec![at("B", "P1", 2015), at("A", "P1", 2010), at("C", "P1", 2012)]);
    county.policy.rotation.min_share = exact("0.3");
    county.policy.rotation.max_share = exact("0.3");
    let Outcome::Planned(plan) = run_plan(&county) else { panic!("a plan") };
    let movers: Vec<&str> = plan.moves.iter().map(|m| county.teachers[m.teacher].id.as_str()).collect();
    assert_eq!(movers, vec!["A"]);
    let verdict = audit(&county, &crate::plan::proposals(&county, &plan));
    assert!(verdict.violations.is_empty(), "{:?}", verdict.violations);
}

fn write_folder(county: &County, dir: &Path) {
    std::fs::create_dir_all(dir).unwrap();
    let files = rotaplan::render::data_folder::county_files(county);
    for name in files.names() {
        std::fs::write(dir.join(name), files.get(name).unwrap()).unwrap();
    }
}

#[test]
fn score_names_a_teacher_who_stays_out_of_order() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    write_folder(&county_of(vec![at("A", "P1", 2010), at("B", "P1", 2015)]), &data);
    let list = tmp.path().join("list.csv");
    std::fs::write(&list, "teacher_id,to_school\nB,P2\n").unwrap();
    let run = |lang: &str| {
        let out =
            Command::cargo_bin("rotaplan").unwrap().args(["score", "--lang", lang]).arg(&data).arg(&list).output();
        out.unwrap()
    };
    let en = run("en");
    assert_eq!(en.status.code(), Some(4), "a broken rule");
    let text = String::from_utf8(en.stdout).unwrap();
    assert!(text.contains("[priority] teacher A of P1 has 15 priority points but stays, while B"), "{text}");
    let zh = String::from_utf8(run("zh").stdout).unwrap();
    assert!(zh.contains("[priority] 教师 A（P1）优先积分 15 分却留任"), "{zh}");
    std::fs::write(&list, "teacher_id,to_school\nA,P2\n").unwrap();
    let text = String::from_utf8(run("en").stdout).unwrap();
    assert!(!text.contains("[priority]"), "{text}");
}
