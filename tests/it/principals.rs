//! Rule `principals` (issue 15, item 2): principals and vice principals
//! rotate by their own rule (`[principals]`: years at the school, their own
//! share), role for role (a school that loses its principal receives one,
//! never a class teacher in that seat), outside the teachers' E, 10 % and
//! 20 % unless `principals.count_in_teachers`. Planner, auditor, diagnosis,
//! explanation and outputs.

use std::path::Path;

use rotaplan::domain::changes::ProposedMove;
use rotaplan::domain::policy::Policy;
use rotaplan::domain::{County, Degree, Level, Role, School, SchoolKind, Subject, Teacher};
use rotaplan::model::Instance;
use rotaplan::plan::Outcome;
use rotaplan::render::reasons::move_reason;
use rotaplan::render::Lang;
use rotaplan::rules::audit::{audit, Breach};
use rotaplan::rules::eligibility::{ineligibility, Ineligibility};
use rotaplan::rules::rule::Rule;

use crate::plan::{check_plan, exact, listing, run_plan, school, teacher, words};

/// An eligible primary teacher of `role` whom no indicator counts (moving
/// changes no figure: only the hard rules and the distance decide).
fn person(id: &str, school_id: &str, role: Role) -> Teacher {
    let mut t = teacher(id, school_id, Level::Primary, Subject::Other);
    t.degree = Degree::Secondary;
    t.role = role;
    t
}

/// Primary schools P1, P2 (1.4 km from P1) and P3 (14 km from P1), each
/// with a newcomer (not eligible) and a principal, PA, PB, PC (PC at P3
/// since 2023, not eligible), and one eligible class teacher T1 at P1;
/// the teachers' min_share 0, max 1; `edit` sets the rest.
fn county_with(edit: impl Fn(&mut Policy, &mut Vec<Teacher>)) -> County {
    let schools: Vec<School> = vec![
        school("P1", SchoolKind::Primary, [200, 0], Some((36.00, 112.00))),
        school("P2", SchoolKind::Primary, [200, 0], Some((36.01, 112.00))),
        school("P3", SchoolKind::Primary, [200, 0], Some((36.10, 112.00))),
    ];
    let mut teachers = vec![
        person("PA", "P1", Role::Principal),
        person("PB", "P2", Role::Principal),
        person("PC", "P3", Role::Principal),
        person("T1", "P1", Role::Teacher),
    ];
    teachers[2].school_since = 2023;
    for s in ["P1", "P2", "P3"] {
        let mut n = person(&format!("N{}", &s[1..]), s, Role::Teacher);
        n.school_since = 2024;
        teachers.push(n);
    }
    let mut policy = Policy::default();
    policy.rotation.min_share = exact("0");
    policy.rotation.max_share = exact("1");
    policy.rotation.backbone_min_share = exact("0");
    policy.movement.headcount_tolerance = 1;
    edit(&mut policy, &mut teachers);
    County::new(schools, teachers, policy, Vec::new(), Vec::new(), Vec::new())
}

/// The moves of a plan (teacher, school), sorted; or the rule ids of the
/// diagnosis.
fn answer(county: &County) -> Result<Vec<(String, String)>, Vec<String>> {
    match run_plan(county) {
        Outcome::Planned(p) => {
            check_plan(county, &p, "principals");
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

fn pairs(list: &[(&str, &str)]) -> Result<Vec<(String, String)>, Vec<String>> {
    Ok(list.iter().map(|(t, s)| (t.to_string(), s.to_string())).collect())
}

fn share(p: &mut Policy, min: &str, max: &str) {
    p.principals.min_share = exact(min);
    p.principals.max_share = exact(max);
}

/// The verifier of rule `principals`: with principals.min_share = 1 both
/// eligible principals move, and only as a swap (role for role); with 0
/// no principal moves (every move costs distance); with PB a vice principal
/// no principal can move (a vice principal never takes a principal's seat),
/// and the diagnosis names the rule with a typed fix.
#[test]
fn rule_principals_role_for_role() {
    let both = county_with(|p, _| share(p, "1", "1"));
    assert_eq!(answer(&both), pairs(&[("PA", "P2"), ("PB", "P1")]));
    let none = county_with(|p, _| share(p, "0", "1"));
    assert_eq!(answer(&none), pairs(&[]));
    let vice = county_with(|p, t| {
        share(p, "0.5", "1");
        t[1].role = Role::VicePrincipal;
    });
    assert_eq!(answer(&vice), Err(vec!["principals".to_string()]));
    let Outcome::Infeasible(d) = run_plan(&vice) else { panic!("no plan") };
    let fix = rotaplan::render::diagnosis::fix_text(&d.conflicts[0].fix, Lang::En);
    assert!(fix.contains("principals.min_share") && fix.contains("principals.min_years_at_school"), "{fix}");
    // The years: with min_years_at_school 2, PC (two years at P3) is
    // eligible too: ⌈0.5 × 3⌉ = 2 moves, a swap of the nearest pair.
    let years = county_with(|p, _| {
        share(p, "0.5", "1");
        p.principals.min_years_at_school = 2;
    });
    assert_eq!(answer(&years), pairs(&[("PA", "P2"), ("PB", "P1")]));
}

/// The principals' own share is outside the teachers' E, 10 % and 20 %
/// unless count_in_teachers (or the older eligibility.include_principals).
#[test]
fn principals_are_out_of_the_teachers_share_unless_counted() {
    let apart = county_with(|p, _| share(p, "1", "1"));
    let inst = Instance::new(&apart, Vec::new());
    assert_eq!((inst.eligible, inst.principals_eligible, inst.principal_moves), (1, 2, (2, 2)));
    let counted = county_with(|p, _| {
        share(p, "1", "1");
        p.principals.count_in_teachers = true;
        p.rotation.min_share = exact("1");
    });
    let inst = Instance::new(&counted, Vec::new());
    assert_eq!((inst.eligible, inst.min_moves), (3, 3));
    // T1 must move too: ⌈1 × 3⌉ = 3 moves, the principals' swap counted.
    assert_eq!(answer(&counted), pairs(&[("PA", "P2"), ("PB", "P1"), ("T1", "P2")]));
    let ev = rotaplan::rules::evaluation::evaluate_county(&apart);
    assert_eq!((ev.eligible, ev.principals_eligible, ev.principal_moves), (1, 2, (2, 2)));
    // PC: its own years rule, worded with the role.
    let pc = apart.teachers.iter().find(|t| t.id == "PC").expect("PC");
    let reasons = ineligibility(pc, &apart.policy);
    assert_eq!(reasons, vec![Ineligibility::PrincipalYears(Role::Principal, 2, 6)]);
}

/// The older key still loads: eligibility.include_principals = yes is
/// principals.count_in_teachers = true.
#[test]
fn include_principals_is_count_in_teachers() {
    let dir = tempfile::tempdir().unwrap();
    let extra = dir.path().join("extra.toml");
    let tiny = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/tiny");
    std::fs::write(&extra, "[eligibility]\ninclude_principals = true\n").unwrap();
    let county = rotaplan::io::load(&tiny, Some(&extra)).expect("loads").county;
    assert!(county.policy.principals.count_in_teachers);
    std::fs::write(&extra, "[principals]\nmin_years_at_school = 10\nmin_share = 0.2\nmax_share = 0.5\n").unwrap();
    let p = rotaplan::io::load(&tiny, Some(&extra)).expect("loads").county.policy.principals;
    assert_eq!(
        (p.min_years_at_school, p.min_share, p.max_share, p.count_in_teachers),
        (10, exact("0.2"), exact("0.5"), false)
    );
    std::fs::write(&extra, "[principals]\nmin_share = 0.5\nmax_share = 0.2\n").unwrap();
    let Err(e) = rotaplan::io::load(&tiny, Some(&extra)) else { panic!("crossed shares load") };
    assert!(e.to_string().contains("principals.max_share"), "{e}");
}

/// The auditor, without the model: a principal moved alone breaks role for
/// role at both schools; too few and too many principal moves break the
/// share; a class teacher in a principal's seat does not make up for it.
#[test]
fn auditor_checks_principals() {
    let county = county_with(|p, _| share(p, "1", "1"));
    let alone = audit(&county, &[ProposedMove::new("PA", "P2"), ProposedMove::new("T1", "P2")]);
    let role: Vec<_> = alone.of_rule(Rule::Principals).collect();
    assert_eq!(role.len(), 3, "{}", listing(&alone.violations));
    assert!(role.iter().any(|v| matches!(v.breach, Breach::PrincipalMoves { least: true, moves: 1, bound: 2, .. })));
    let unbalanced: Vec<&str> = role
        .iter()
        .filter(|v| matches!(v.breach, Breach::RoleUnbalanced { .. }))
        .filter_map(|v| v.school_id.as_deref())
        .collect();
    assert_eq!(unbalanced, ["P1", "P2"]);
    assert!(role.iter().any(|v| words(v).contains("role for role")), "{}", listing(&alone.violations));
    let swap = audit(&county, &[ProposedMove::new("PA", "P2"), ProposedMove::new("PB", "P1")]);
    assert!(swap.is_valid(), "{}", listing(&swap.violations));
    assert_eq!((swap.moves, swap.teacher_moves, swap.principal_moves), (2, 0, 2));
    let capped = county_with(|p, _| share(p, "0", "0"));
    let over = audit(&capped, &[ProposedMove::new("PA", "P2"), ProposedMove::new("PB", "P1")]);
    let breaches: Vec<_> = over.of_rule(Rule::Principals).collect();
    assert_eq!(breaches.len(), 1, "{}", listing(&over.violations));
    assert!(words(breaches[0]).contains("allows at most 0"), "{}", words(breaches[0]));
}

/// A principal's move is explained as such: role for role, naming the
/// principal whose seat it takes.
#[test]
fn a_principals_move_has_its_own_reason() {
    let county = county_with(|p, _| share(p, "1", "1"));
    let Outcome::Planned(plan) = run_plan(&county) else { panic!("a plan") };
    let m = plan.moves.iter().find(|m| county.teachers[m.teacher].id == "PA").expect("PA moves");
    let en = move_reason(&county, &plan, m, Lang::En);
    assert!(en.contains("principal rotation: swapped role for role with teacher PB (PB)"), "{en}");
    let zh = move_reason(&county, &plan, m, Lang::Zh);
    assert!(zh.contains("校长交流") && zh.contains("PB"), "{zh}");
    let table = rotaplan::render::output::rotations_table(
        &county,
        &plan,
        &rotaplan::explain::explain_plan(&county, &plan),
        Lang::En,
    );
    assert_eq!(table.keys.last(), Some(&"role"));
    let summary = rotaplan::render::output::plan_summary(&county, &plan);
    assert_eq!(summary["principals"]["moves"], 2);
    assert_eq!(summary["principals"]["eligible"], 2);
    let html = rotaplan::render::html::plan_report(&county, &plan, Lang::En);
    assert!(html.contains("<section id=\"principals\">") && html.contains("principal-table"));
    // The moves card counts the teachers' share; the principals' moves are
    // said beside it, not added to it (it read as more than the most allowed).
    let teachers = plan.teacher_moves(&county);
    assert_eq!(plan.moves.len(), teachers + 2);
    let zh = rotaplan::render::html::plan_report(&county, &plan, Lang::Zh);
    let card = zh.split("交流人数").nth(1).unwrap().split("</div></div>").next().unwrap();
    assert!(
        card.contains(&format!(">{teachers}<")) && card.contains("另有校长、副校长 2 人对等交流，不计入"),
        "{card}"
    );
    let line = rotaplan::render::terminal::plan_terminal_summary(&county, &plan, Lang::Zh);
    assert!(line.contains(&format!("交流 {teachers} (应交流 {})", plan.required_moves)), "{line}");
}

/// data/anze has 20 principals and 10 vice principals: the plan stays
/// feasible and proven optimal, every principal's move is matched role for
/// role (the auditor), and within the principals' share.
#[test]
fn anze_principals_rotate_role_for_role() {
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/anze");
    let county = rotaplan::io::load(&data, None).expect("data/anze loads").county;
    let Outcome::Planned(plan) = run_plan(&county) else { panic!("Anze has a plan") };
    let verdict = check_plan(&county, &plan, "data/anze");
    assert!(plan.proven_optimal());
    assert!(plan.principals.eligible > 0);
    assert!(verdict.principal_moves <= plan.principals.most as usize);
    assert_eq!(verdict.teacher_moves as u32, plan.required_moves, "principals are not in the teachers' 10 %");
}
