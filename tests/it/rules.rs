//! One verifier test per hard-rule function of the model (`model::hard_rules`),
//! in the manner of Timefold's ConstraintVerifier: a tiny county where only
//! that rule binds, planned with the rule in force and with it relaxed (by
//! the policy or the data), and the two answers compared. Where no policy
//! relaxes a rule, the test builds the model and forces the rule's bound.

use good_lp::Expression;
use rotaplan::domain::changes::{HireGroup, ProposedMove};
use rotaplan::domain::policy::Policy;
use rotaplan::domain::{Backbone, County, Degree, Level, Lock, LockAction, Road, School, SchoolKind, Subject, Teacher};
use rotaplan::model::Instance;
use rotaplan::plan::{plan, Outcome};
use rotaplan::rules::audit::audit;
use rotaplan::rules::rule::Rule;
use rotaplan::solve::{minimise, SolveOptions, StageStatus};

use crate::plan::{check_plan, exact, lock, options, run_plan, school, teacher};

/// Where the plan sends whom, sorted: (teacher, school); or the rules the
/// diagnosis names when there is no plan.
type Answer = Result<Vec<(String, String)>, Vec<String>>;

fn answer(county: &County) -> Answer {
    match run_plan(county) {
        Outcome::Planned(p) => {
            check_plan(county, &p, "rule test");
            let mut moves: Vec<(String, String)> = p
                .moves
                .iter()
                .map(|m| (county.teachers[m.teacher].id.clone(), county.schools[m.to].id.clone()))
                .collect();
            moves.sort();
            Ok(moves)
        }
        Outcome::Infeasible(d) => Err(d.conflicts.iter().map(|c| c.rule_id().to_string()).collect()),
        Outcome::OutOfTime(stop) => panic!("no plan within the time limit ({} s)", stop.seconds),
    }
}

fn moves(list: &[(&str, &str)]) -> Answer {
    Ok(list.iter().map(|(t, s)| (t.to_string(), s.to_string())).collect())
}

/// A newcomer (not eligible: at the school since 2024) so that every
/// section has a teacher who stays.
fn newcomer(id: &str, school_id: &str) -> Teacher {
    let mut t = teacher(id, school_id, Level::Primary, Subject::Other);
    t.school_since = 2024;
    t
}

/// Primary schools P1, P2 (1.4 km from P1) and P3 (14 km from P1), a
/// newcomer at each, the `movers`; min_share = `share`, max_share = 1, no
/// backbone share, a headcount tolerance of 1. Every move adds distance, so
/// the plan makes no more moves than the rules ask for.
fn county_of(movers: Vec<Teacher>, share: &str, edit: impl Fn(&mut Policy, &mut Vec<School>)) -> County {
    county_with(movers, share, Vec::new(), edit)
}

fn county_with(
    movers: Vec<Teacher>,
    share: &str,
    locks: Vec<Lock>,
    edit: impl Fn(&mut Policy, &mut Vec<School>),
) -> County {
    let mut schools = vec![
        school("P1", SchoolKind::Primary, [200, 0], Some((36.00, 112.00))),
        school("P2", SchoolKind::Primary, [200, 0], Some((36.01, 112.00))),
        school("P3", SchoolKind::Primary, [200, 0], Some((36.10, 112.00))),
    ];
    let mut teachers = movers;
    for s in ["P1", "P2", "P3"] {
        teachers.push(newcomer(&format!("N{}", &s[1..]), s));
    }
    let mut policy = Policy::default();
    policy.rotation.min_share = exact(share);
    policy.rotation.max_share = exact("1");
    policy.rotation.backbone_min_share = exact("0");
    policy.movement.headcount_tolerance = 1;
    edit(&mut policy, &mut schools);
    County::new(schools, teachers, policy, locks, Vec::new(), Vec::new())
}

/// An eligible primary teacher whom no teacher indicator counts (a
/// secondary-school degree, no backbone, no PE or arts): moving such
/// teachers changes no figure, so only the hard rules and the distance
/// decide.
fn at(id: &str, school_id: &str) -> Teacher {
    let mut t = teacher(id, school_id, Level::Primary, Subject::Other);
    t.degree = Degree::Secondary;
    t
}

fn keep(_: &mut Policy, _: &mut Vec<School>) {}

#[test]
fn rule_ids_are_one_list_with_their_spec_numbers() {
    let ids: std::collections::BTreeSet<&str> = Rule::ALL.iter().map(|r| r.id()).collect();
    assert_eq!(ids.len(), Rule::ALL.len(), "ids are unique");
    for rule in Rule::ALL {
        assert_eq!(Rule::from_id(rule.id()), Some(rule));
        assert_eq!(Rule::of_row(&rule.row("S1:primary")), Some((rule, "S1:primary")));
    }
    assert_eq!(Rule::of_row("departures_link"), None, "a link row names no rule");
    let numbered: Vec<u8> = Rule::ALL.iter().filter_map(|r| r.spec_number()).collect();
    assert_eq!(numbered.iter().copied().collect::<std::collections::BTreeSet<_>>().len(), 7, "rules 1–7 all appear");
    assert_eq!(Rule::SubjectFloor.spec_number(), Some(6));
    assert_eq!(Rule::Locks.spec_number(), Some(7));
}

/// Rule 1 (`rule_eligible`): T2 has been at P2 for two years; with the
/// default min_years_at_school of 6 only T1 may move, with 2 both move (the
/// newcomers, one year at their schools, stay ineligible).
#[test]
fn rule_eligible_only_eligible_teachers_move() {
    let mut recent = at("T2", "P2");
    recent.school_since = 2023;
    let movers = || vec![at("T1", "P1"), recent.clone()];
    let strict = county_of(movers(), "1", keep);
    assert_eq!(answer(&strict), moves(&[("T1", "P2")]));
    let relaxed = county_of(movers(), "1", |p, _| p.eligibility.min_years_at_school = 2);
    assert_eq!(answer(&relaxed), moves(&[("T1", "P2"), ("T2", "P1")]));
}

/// Rule 1 (`rule_other_school`): T1 teaches in the primary section of the
/// nine-year school S1; alone in the county, S1 (its own school, whose other
/// section is junior) is no destination and the required move is
/// impossible; with a second school the move goes there.
#[test]
fn rule_other_school_never_to_the_own_school() {
    let build = |second: bool| {
        let mut schools = vec![school("S1", SchoolKind::NineYear, [200, 150], Some((36.0, 112.0)))];
        let mut teachers = vec![teacher("T1", "S1", Level::Primary, Subject::Other), newcomer("N1", "S1")];
        if second {
            schools.push(school("S2", SchoolKind::Primary, [200, 0], Some((36.01, 112.0))));
            teachers.push(newcomer("N2", "S2"));
        }
        let mut policy = Policy::default();
        policy.rotation.min_share = exact("1");
        policy.rotation.max_share = exact("1");
        policy.rotation.backbone_min_share = exact("0");
        policy.movement.headcount_tolerance = 1;
        County::new(schools, teachers, policy, Vec::new(), Vec::new(), Vec::new())
    };
    assert_eq!(answer(&build(false)), Err(vec!["rotation_share".to_string()]));
    assert_eq!(answer(&build(true)), moves(&[("T1", "S2")]));
}

/// Rule 1 (`rule_move_once`): in the model a profile departs at most as
/// often as it has teachers (forcing one departure more is infeasible), and
/// the auditor rejects a teacher listed twice.
#[test]
fn rule_move_once_each_teacher_moves_at_most_once() {
    let county = county_of(vec![at("T1", "P1"), at("T2", "P1")], "1", |p, _| p.movement.headcount_tolerance = 2);
    let instance = Instance::new(&county, Vec::new());
    assert_eq!(instance.profiles.len(), 1, "T1 and T2 are one profile");
    let solve = |departures: f64| {
        let mut model = instance.build_feasibility();
        model.constraints.push(Expression::from(model.handles.d[0]).eq(departures));
        let options = SolveOptions::new(10.0, 0.0, 1e-6);
        minimise(model.vars, model.objective, model.constraints, options, None).expect("solved").status
    };
    assert_ne!(solve(2.0), StageStatus::Infeasible, "both may move once");
    assert_eq!(solve(3.0), StageStatus::Infeasible, "three departures from two teachers");
    let verdict = audit(&county, &[ProposedMove::new("T1", "P2"), ProposedMove::new("T1", "P3")]);
    assert_eq!(verdict.of_rule(Rule::MoveOnce).count(), 1);
}

/// Rule 2 (`rule_movement`): P2 is nearest but in another alliance; with
/// within_alliance T1 goes to P3 (its alliance), without it to P2; with
/// max_distance_km = 5 as well, no school is allowed.
#[test]
fn rule_movement_section_distance_and_alliance() {
    let alliances = |p: &mut Policy, s: &mut Vec<School>, within: bool| {
        s[0].alliance = Some("A".into());
        s[1].alliance = Some("B".into());
        s[2].alliance = Some("A".into());
        p.movement.within_alliance = within;
    };
    let free = county_of(vec![at("T1", "P1")], "1", |p, s| alliances(p, s, false));
    assert_eq!(answer(&free), moves(&[("T1", "P2")]));
    let within = county_of(vec![at("T1", "P1")], "1", |p, s| alliances(p, s, true));
    assert_eq!(answer(&within), moves(&[("T1", "P3")]));
    let near = county_of(vec![at("T1", "P1")], "1", |p, s| {
        alliances(p, s, true);
        p.movement.max_distance_km = 5.0;
    });
    assert_eq!(answer(&near), Err(vec!["rotation_share".to_string()]));
    // A junior school is no destination for a primary teacher.
    let junior = county_of(vec![at("T1", "P1")], "1", |_, s| {
        s[1].kind = SchoolKind::Junior;
        s[1].students = [0, 200];
    });
    assert_eq!(answer(&junior), moves(&[("T1", "P3")]));
}

/// Rule 2 (`rule_road_path`): with roads.csv joining only P1–P3, T1 goes to
/// P3 although P2 lies nearer; with the road P1–P2 too, to P2. Without any
/// allowed destination the diagnosis names the missing roads.
#[test]
fn rule_road_path_a_move_needs_a_road() {
    let road = |from: &str, to: &str, km: f64| Road { from: from.into(), to: to.into(), km };
    let with_roads = |roads: Vec<Road>| {
        let county = county_of(vec![at("T1", "P1")], "1", keep);
        County::new(county.schools, county.teachers, county.policy, Vec::new(), roads, Vec::new())
    };
    assert_eq!(answer(&with_roads(vec![road("P1", "P3", 20.0)])), moves(&[("T1", "P3")]));
    assert_eq!(answer(&with_roads(vec![road("P1", "P3", 20.0), road("P1", "P2", 2.0)])), moves(&[("T1", "P2")]));
    assert_eq!(answer(&with_roads(vec![road("P2", "P3", 20.0)])), Err(vec!["roads".to_string()]));
}

/// Rule 3 (`rule_rotation_share`): with two eligible teachers, min_share
/// 0.5 moves one, 1 moves both and 0 none; with max_share 0.5, two teachers
/// locked to move are one too many.
#[test]
fn rule_rotation_share_sets_the_number_of_moves() {
    let movers = || vec![at("T1", "P1"), at("T2", "P2")];
    assert_eq!(answer(&county_of(movers(), "0.5", keep)).map(|m| m.len()), Ok(1));
    assert_eq!(answer(&county_of(movers(), "1", keep)).map(|m| m.len()), Ok(2));
    assert_eq!(answer(&county_of(movers(), "0", keep)), moves(&[]));
    let locks = vec![lock("T1", LockAction::Move, None), lock("T2", LockAction::Move, None)];
    assert_eq!(answer(&county_with(movers(), "0", locks.clone(), keep)).map(|m| m.len()), Ok(2));
    let capped = county_with(movers(), "0", locks, |p, _| p.rotation.max_share = exact("0.5"));
    assert_eq!(answer(&capped), Err(vec!["locks".to_string()]));
}

/// Rule 4 (`rule_backbone_share`): one move of two eligible teachers; the
/// nearest is T2 (P1 → P2, 1.4 km), unless backbone_min_share = 1 asks for
/// the backbone teacher T1, from P3 (12.6 km).
#[test]
fn rule_backbone_share_moves_the_backbone_teacher() {
    let movers = || {
        let mut t1 = at("T1", "P3");
        t1.backbone = Backbone::County;
        vec![t1, at("T2", "P1")]
    };
    assert_eq!(answer(&county_of(movers(), "0.5", keep)), moves(&[("T2", "P2")]));
    let strict = county_of(movers(), "0.5", |p, _| p.rotation.backbone_min_share = exact("1"));
    assert_eq!(answer(&strict), moves(&[("T1", "P2")]));
}

/// Rule 5 (`rule_headcount`), balance: T1 at P1 and T3 at P2 are eligible
/// and one move is required; with headcount_tolerance 0 a lone move would
/// unbalance both sections, so the two swap.
#[test]
fn rule_headcount_balance_makes_moves_pair_up() {
    let movers = || vec![at("T1", "P1"), at("T3", "P2")];
    assert_eq!(answer(&county_of(movers(), "0.5", keep)).map(|m| m.len()), Ok(1));
    let strict = county_of(movers(), "0.5", |p, _| p.movement.headcount_tolerance = 0);
    assert_eq!(answer(&strict), moves(&[("T1", "P2"), ("T3", "P1")]));
}

/// Rule 5 (`rule_headcount`), staff quota: P2 has one teacher and a quota of
/// 1, so T1 goes to P3 instead.
#[test]
fn rule_headcount_staff_quota_keeps_a_full_school_from_growing() {
    assert_eq!(answer(&county_of(vec![at("T1", "P1")], "1", keep)), moves(&[("T1", "P2")]));
    let quota = county_of(vec![at("T1", "P1")], "1", |_, s| s[1].staff_quota = Some(1));
    assert_eq!(answer(&quota), moves(&[("T1", "P3")]));
}

/// Rule 6 (`rule_subject_floor`): one move of two eligible teachers; T1
/// (P1 → P2, 1.4 km) is nearer than T2 (P3 → P2, 12.6 km), but T1 is P1's
/// only Chinese teacher and P1's 5 classes need Chinese teachers, so T2
/// moves. With no weekly periods of Chinese set (need 0), T1 moves.
#[test]
fn rule_subject_floor_keeps_the_only_teacher_of_a_needed_subject() {
    let movers = || {
        let mut t1 = teacher("T1", "P1", Level::Primary, Subject::Chinese);
        t1.degree = Degree::Secondary;
        vec![t1, at("T2", "P3")]
    };
    assert_eq!(answer(&county_of(movers(), "0.5", keep)), moves(&[("T2", "P2")]));
    let no_need = county_of(movers(), "0.5", |p, _| {
        p.staffing.periods.primary.remove(&Subject::Chinese);
    });
    assert_eq!(answer(&no_need), moves(&[("T1", "P2")]));
}

/// Rule 7 (`rule_locks`, `rule_locks_of`, `rule_lock_allows`): with no move
/// required, a move lock makes T1 move; move_to sends it to P3; forbid P2
/// turns the required move to P3; a stay lock leaves no one to move; a lock
/// no school can meet is named by the diagnosis.
#[test]
fn rule_locks_hold() {
    use LockAction::{Forbid, Move, MoveTo, Stay};
    let with = |locks: Vec<Lock>, share: &str| answer(&county_with(vec![at("T1", "P1")], share, locks, keep));
    assert_eq!(with(vec![], "0"), moves(&[]));
    assert_eq!(with(vec![lock("T1", Move, None)], "0"), moves(&[("T1", "P2")]));
    assert_eq!(with(vec![lock("T1", MoveTo, Some("P3"))], "0"), moves(&[("T1", "P3")]));
    assert_eq!(with(vec![], "1"), moves(&[("T1", "P2")]));
    assert_eq!(with(vec![lock("T1", Forbid, Some("P2"))], "1"), moves(&[("T1", "P3")]));
    assert_eq!(with(vec![lock("T1", Stay, None)], "1"), Err(vec!["rotation_share".to_string()]));
    let blocked = vec![lock("T1", Move, None), lock("T1", Forbid, Some("P2")), lock("T1", Forbid, Some("P3"))];
    assert_eq!(with(blocked, "0"), Err(vec!["locks".to_string()]));
}

/// `hires` (`rule_hires_placed`): a hire group is placed, at its school
/// when it names one.
#[test]
fn rule_hires_placed_places_every_hire() {
    let county = county_of(vec![at("T1", "P1")], "0", keep);
    let group = |school: Option<usize>| HireGroup {
        level: Level::Primary,
        subject: Subject::Other,
        degree: Degree::Bachelor,
        backbone: Backbone::None,
        title: None,
        ids: vec!["H001".into()],
        school,
    };
    for school in [None, Some(2)] {
        let outcome = plan(&county, vec![group(school)], &options()).expect("planned");
        let Outcome::Planned(p) = outcome else { panic!("a plan with one hire") };
        assert_eq!(p.hires.len(), 1, "the hire is placed");
        if let Some(s) = school {
            assert_eq!(p.hires[0].to, s, "at its school");
        }
    }
}

/// Conflicts are data (a typed finding and `Fix`), worded by render in the
/// run's language: diagnosis.json's messages in Chinese by default, in
/// English with `--lang en`, its other fields the same.
#[test]
fn conflicts_are_data_worded_in_either_language() {
    use rotaplan::plan::diagnosis::{Finding, Fix, PolicyChange};
    use rotaplan::render::diagnosis::{conflict_line, diagnosis_files};
    use rotaplan::render::Lang;
    let mut backbone = at("T1", "P1");
    backbone.backbone = Backbone::County;
    let movers = vec![backbone, at("T2", "P1"), at("T3", "P2")];
    let county = county_of(movers, "1", |p, _| {
        p.rotation.backbone_min_share = exact("0.9");
        p.movement.headcount_tolerance = 3;
    });
    let Outcome::Infeasible(d) = run_plan(&county) else { panic!("3 moves need 3 backbone teachers") };
    let c = &d.conflicts[0];
    assert_eq!(c.rule, Some(Rule::BackboneShare));
    assert_eq!(c.finding, Finding::TooFewBackbone { moves: 3, need: 3, share: 0.9, have: 1 });
    let or = PolicyChange::AtMost("rotation.backbone_min_share", "0.3333".into());
    assert_eq!(c.fix, Fix::MoreEligible { count: 2, backbone: true, beyond: true, or });
    let json = |lang| {
        let files = diagnosis_files(&d, lang);
        let text = files.get("diagnosis.json").expect("diagnosis.json");
        serde_json::from_slice::<serde_json::Value>(text).unwrap()
    };
    let (zh, en) = (json(Lang::Zh), json(Lang::En));
    let (czh, cen) = (&zh["conflicts"][0], &en["conflicts"][0]);
    for key in ["rule", "needed", "available"] {
        assert_eq!(czh[key], cen[key], "{key} is the same in both languages");
    }
    assert_eq!(cen["rule"], "backbone_share");
    assert!(czh["detail"].as_str().unwrap().contains("骨干教师"), "{czh}");
    assert!(cen["detail"].as_str().unwrap().contains("backbone teacher(s)"), "{cen}");
    assert!(czh["fix"].as_str().unwrap().contains("rotation.backbone_min_share ≤ 0.3333"), "{czh}");
    assert!(conflict_line(c, Lang::Zh).starts_with("[backbone_share] "));
}

/// Violations are data: the rule, the teacher and school, and typed
/// figures; render words them in zh or en with the rule's id.
#[test]
fn violations_are_data_worded_in_either_language() {
    use rotaplan::render::diagnosis::violation_text;
    use rotaplan::render::Lang;
    use rotaplan::rules::audit::Breach;
    let county = county_of(vec![at("T1", "P1")], "1", |p, _| p.movement.max_distance_km = 5.0);
    let verdict = audit(&county, &[ProposedMove::new("T1", "P3")]);
    let v = verdict.of_rule(Rule::Distance).next().expect("a distance violation");
    assert_eq!((v.teacher_id.as_deref(), v.school_id.as_deref()), (Some("T1"), Some("P3")));
    let Breach::TooFar { from, km, limit } = &v.breach else { panic!("{:?}", v.breach) };
    assert_eq!((from.as_str(), *limit), ("P1", 5.0));
    assert!(*km > *limit, "{km}");
    let (zh, en) = (violation_text(v, Lang::Zh), violation_text(v, Lang::En));
    assert!(zh.contains("公里") && zh.contains("distance"), "{zh}");
    assert!(en.contains("km from P1 to P3") && en.contains("rule distance"), "{en}");
}
