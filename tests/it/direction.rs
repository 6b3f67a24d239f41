//! The direction of moves and the alliances (issue 15, item 6): the moves
//! by urban/town/rural origin and destination in every output, the rule
//! `direction` (`rotation.to_rural_min_share`) in the model, the auditor and
//! the diagnosis, and the alliances' figures in evaluate and plan.

use std::io::Cursor;

use calamine::{Reader, Xlsx};
use rotaplan::domain::changes::ProposedMove;
use rotaplan::domain::policy::Policy;
use rotaplan::domain::{Area, Backbone, County, Degree, Level, School, SchoolKind, Subject, Teacher};
use rotaplan::plan::diagnosis::{Conflict, Finding, Fix, PolicyChange};
use rotaplan::plan::{hand_made_plan, Outcome};
use rotaplan::render::diagnosis::{conflict_detail, conflict_line, violation_text};
use rotaplan::render::output::plan_files;
use rotaplan::render::terminal::plan_terminal_summary;
use rotaplan::render::Lang;
use rotaplan::rules::audit::{audit, Breach};
use rotaplan::rules::evaluation::evaluate_county;
use rotaplan::rules::indicators::{CountyFigures, SectionFigures};
use rotaplan::rules::rule::Rule;

use crate::plan::{check_plan, exact, run_plan, school, teacher};

fn at_area(id: &str, area: Area, lat: f64, alliance: Option<&str>) -> School {
    let mut s = school(id, SchoolKind::Primary, [200, 0], Some((lat, 112.0)));
    s.area = area;
    s.alliance = alliance.map(str::to_string);
    s
}

/// An eligible primary teacher whom no indicator counts but backbone.
fn mover(id: &str, school_id: &str, backbone: bool) -> Teacher {
    let mut t = teacher(id, school_id, Level::Primary, Subject::Other);
    t.degree = Degree::Secondary;
    t.backbone = if backbone { Backbone::County } else { Backbone::None };
    t
}

/// A teacher who may not rotate (one year at the school).
fn newcomer(id: &str, school_id: &str) -> Teacher {
    let mut t = mover(id, school_id, false);
    t.school_since = 2024;
    t
}

fn county(schools: Vec<School>, movers: Vec<Teacher>, edit: impl Fn(&mut Policy)) -> County {
    let mut teachers = movers;
    for s in &schools {
        teachers.push(newcomer(&format!("N-{}", s.id), &s.id));
    }
    let mut policy = Policy::default();
    policy.rotation.min_share = exact("1");
    policy.rotation.max_share = exact("1");
    policy.rotation.backbone_min_share = exact("0");
    policy.movement.headcount_tolerance = 2;
    edit(&mut policy);
    County::new(schools, teachers, policy, Vec::new(), Vec::new(), Vec::new())
}

fn list(moves: &[(&str, &str)]) -> Vec<ProposedMove> {
    moves.iter().map(|(t, s)| ProposedMove::new(*t, *s)).collect()
}

fn json(files: &rotaplan::OutputFiles, name: &str) -> serde_json::Value {
    serde_json::from_slice(files.get(name).expect(name)).expect("json")
}

fn text(files: &rotaplan::OutputFiles, name: &str) -> String {
    String::from_utf8(files.get(name).expect(name).to_vec()).expect("utf-8")
}

/// Urban U1, town W1, rural R1 and R2; five moves, two of them backbone:
/// A (backbone) U1 → R1, B U1 → W1, C W1 → R1, D R1 → U1, E (backbone) R1 → R2.
/// By hand: urban→rural 1, urban→town 1, town→rural 1, rural→urban 1,
/// rural→rural 1; backbone urban→rural 1, rural→rural 1; to rural from
/// urban and town 2 of 5 (0.4), backbone 1 of 2 (0.5).
fn five_moves() -> (County, Vec<ProposedMove>) {
    let schools = vec![
        at_area("U1", Area::Urban, 36.00, None),
        at_area("W1", Area::Town, 36.02, None),
        at_area("R1", Area::Rural, 36.04, None),
        at_area("R2", Area::Rural, 36.06, None),
    ];
    let movers = vec![
        mover("A", "U1", true),
        mover("B", "U1", false),
        mover("C", "W1", false),
        mover("D", "R1", false),
        mover("E", "R1", true),
    ];
    let c = county(schools, movers, |_| {});
    (c, list(&[("A", "R1"), ("B", "W1"), ("C", "R1"), ("D", "U1"), ("E", "R2")]))
}

#[test]
fn moves_are_broken_down_by_area_in_every_output() {
    let (county, moves) = five_moves();
    let plan = hand_made_plan(&county, &moves);
    let d = plan.direction(&county);
    assert_eq!(d.all, [[0, 1, 1], [0, 0, 1], [1, 0, 1]]);
    assert_eq!(d.backbone, [[0, 0, 1], [0, 0, 0], [0, 0, 1]]);
    let files = plan_files(&county, &plan, Lang::Zh).unwrap();
    let summary = json(&files, "summary.json");
    let dir = &summary["direction"];
    assert_eq!(dir["moves"]["urban"]["rural"], 1);
    assert_eq!(dir["moves"]["town"]["rural"], 1);
    assert_eq!(dir["moves"]["rural"]["urban"], 1);
    assert_eq!(dir["moves"]["town"]["urban"], 0);
    assert_eq!(dir["backbone_moves"]["rural"]["rural"], 1);
    assert_eq!((dir["to_rural"].as_u64(), dir["backbone_to_rural"].as_u64()), (Some(2), Some(1)));
    assert_eq!((dir["to_rural_share"].as_f64(), dir["backbone_to_rural_share"].as_f64()), (Some(0.4), Some(0.5)));
    assert_eq!(dir["to_rural_min_share"].as_f64(), Some(0.0));
    let html = text(&files, "report.html");
    assert!(html.contains("<section id=\"direction\">") && html.contains("交流流向"), "the report's section");
    assert!(html.contains("由城区、镇区学校到乡村学校交流 2 人（占交流人数 40.0%）"), "the report's line");
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(files.get("plan.xlsx").unwrap().to_vec())).unwrap();
    assert!(book.sheet_names().contains(&"交流流向".to_string()));
    let sheet = book.worksheet_range("交流流向").unwrap();
    let rows: Vec<Vec<String>> = sheet.rows().map(|r| r.iter().map(|c| c.to_string()).collect()).collect();
    assert_eq!(rows[0], ["调出学校城乡", "调入学校城乡", "交流人数", "骨干交流人数"]);
    assert_eq!(rows[3], ["城区", "乡村", "1", "1"], "urban → rural: 1 move, 1 backbone");
    assert_eq!(rows.len(), 10, "a header and nine pairs");
    let line = plan_terminal_summary(&county, &plan, Lang::Zh);
    assert!(line.contains("城区→乡村 1") && line.contains("城镇到乡村 2 人（40.0%），骨干 1 人（50.0%）"), "{line}");
    let en = plan_terminal_summary(&county, &plan, Lang::En);
    assert!(en.contains("urban→rural 1") && en.contains("urban and town to rural 2 (40.0%)"), "{en}");
}

/// Urban P1 and P2 (1.1 km apart) and rural P3 (10 km from P2, 11 km from
/// P1); T1 at P1 and T2 at P2 both move. Without the rule they swap; with
/// to_rural_min_share 0.5 one goes to P3, the nearer (T2); when T1 is the
/// only backbone teacher, the backbone moves' row sends T1.
fn pair(backbone: bool, share: &str) -> County {
    let schools = vec![
        at_area("P1", Area::Urban, 36.00, None),
        at_area("P2", Area::Urban, 36.01, None),
        at_area("P3", Area::Rural, 36.10, None),
    ];
    let share = exact(share);
    county(schools, vec![mover("T1", "P1", backbone), mover("T2", "P2", false)], move |p| {
        p.rotation.to_rural_min_share = share;
    })
}

fn planned(county: &County) -> Vec<(String, String)> {
    let Outcome::Planned(p) = run_plan(county) else { panic!("a plan exists") };
    check_plan(county, &p, "direction");
    let mut out: Vec<(String, String)> =
        p.moves.iter().map(|m| (county.teachers[m.teacher].id.clone(), county.schools[m.to].id.clone())).collect();
    out.sort();
    out
}

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect()
}

#[test]
fn rule_direction_sends_the_share_of_moves_to_rural_schools() {
    assert_eq!(planned(&pair(false, "0")), pairs(&[("T1", "P2"), ("T2", "P1")]));
    assert_eq!(planned(&pair(true, "0")), pairs(&[("T1", "P2"), ("T2", "P1")]));
    assert_eq!(planned(&pair(false, "0.5")), pairs(&[("T1", "P2"), ("T2", "P3")]));
    assert_eq!(planned(&pair(true, "0.5")), pairs(&[("T1", "P3"), ("T2", "P1")]), "backbone moves too");
    let both = planned(&pair(false, "1"));
    assert!(both.iter().all(|(_, to)| to == "P3"), "{both:?}");
}

#[test]
fn the_auditor_checks_the_direction_rule_exactly() {
    let county = pair(true, "0.5");
    let verdict = audit(&county, &list(&[("T1", "P2"), ("T2", "P1")]));
    let found: Vec<&Breach> = verdict.of_rule(Rule::Direction).map(|v| &v.breach).collect();
    assert_eq!(found.len(), 2, "{found:?}");
    assert_eq!(
        found[0],
        &Breach::ToRuralShort {
            backbone: false,
            to_rural: 0,
            moves: 2,
            share: exact("0.5"),
            needed: exact("1"),
            whole: 1
        }
    );
    assert!(matches!(found[1], Breach::ToRuralShort { backbone: true, to_rural: 0, moves: 1, whole: 1, .. }));
    let v = verdict.of_rule(Rule::Direction).next().unwrap();
    assert!(violation_text(v, Lang::Zh).contains("rotation.to_rural_min_share"));
    assert!(violation_text(v, Lang::En).contains("rule direction requires at least 0.5 × 2 = 1"));
    // Exactly: 1 of 2 to rural is 0.5 × 2, and holds; the backbone row too.
    assert!(audit(&county, &list(&[("T1", "P3"), ("T2", "P1")])).is_valid());
    // T2's move to rural keeps the all-moves row but not the backbone one.
    let backbone = audit(&county, &list(&[("T1", "P2"), ("T2", "P3")]));
    let rows: Vec<&Breach> = backbone.of_rule(Rule::Direction).map(|v| &v.breach).collect();
    assert!(matches!(rows[..], [Breach::ToRuralShort { backbone: true, .. }]), "{rows:?}");
    // Share 0: no rule.
    assert!(audit(&pair(true, "0"), &list(&[("T1", "P2"), ("T2", "P1")])).is_valid());
}

#[test]
fn the_diagnosis_names_the_direction_rule_and_a_share_that_works() {
    // Only a rural teacher may move: no move can go from urban or town to rural.
    let schools = vec![at_area("P1", Area::Urban, 36.00, None), at_area("P3", Area::Rural, 36.10, None)];
    let rural_only = county(schools, vec![mover("T3", "P3", false)], |p| p.rotation.to_rural_min_share = exact("0.5"));
    let Outcome::Infeasible(d) = run_plan(&rural_only) else { panic!("no move can go to a rural school") };
    let c = d.conflicts.iter().find(|c| c.rule == Some(Rule::Direction)).expect("the direction conflict");
    assert_eq!(c.finding, Finding::TooFewToRural { moves: 1, need: 1, share: 0.5, have: 0 });
    assert_eq!(c.fix, Fix::Policy(PolicyChange::AtMost("rotation.to_rural_min_share", "0.0000".into())));
    let line = conflict_line(c, Lang::En);
    assert!(line.starts_with("[direction] ") && line.contains("rotation.to_rural_min_share ≤ 0.0000"), "{line}");
    assert!(conflict_line(c, Lang::Zh).contains("乡村学校"));
    // With the share lowered as the fix says, a plan exists.
    let mut fixed = rural_only.clone();
    fixed.policy.rotation.to_rural_min_share = exact("0");
    assert!(matches!(run_plan(&fixed), Outcome::Planned(_)));
    // A shortfall found by the relaxed model is worded in both languages.
    let short = Conflict {
        rule: Some(Rule::Direction),
        finding: Finding::ToRuralShort { short: 0.5, backbone: false },
        needed: 1.0,
        available: 0.0,
        fix: Fix::Policy(PolicyChange::Lower("rotation.to_rural_min_share")),
    };
    assert!(conflict_detail(&short, Lang::En).contains("fall 0.50 short of to_rural_min_share × moves"));
    assert!(conflict_detail(&short, Lang::Zh).contains("少 0.50 人"));
}

/// Alliance A: U1 (urban) and R1 (rural); alliance B: U2; R2 in none. Moves:
/// A1 (backbone) U1 → R1 (within A), B1 (backbone) U1 → U2 (out of A, into
/// B), C1 R2 → U2 (into B). By hand: A's counted primary sections 2, 400
/// students, backbone 2 before (0.5 per 100), 1 after (0.25); B's 1, 200
/// students, backbone 0 before, 1 after (0.5).
fn allied() -> (County, Vec<ProposedMove>) {
    let schools = vec![
        at_area("U1", Area::Urban, 36.00, Some("A")),
        at_area("R1", Area::Rural, 36.02, Some("A")),
        at_area("U2", Area::Urban, 36.04, Some("B")),
        at_area("R2", Area::Rural, 36.06, None),
    ];
    let movers = vec![mover("A1", "U1", true), mover("B1", "U1", true), mover("C1", "R2", false)];
    (county(schools, movers, |_| {}), list(&[("A1", "R1"), ("B1", "U2"), ("C1", "U2")]))
}

#[test]
fn alliances_have_their_figures_in_evaluate_and_plan() {
    let (county, moves) = allied();
    let plan = hand_made_plan(&county, &moves);
    let files = plan_files(&county, &plan, Lang::En).unwrap();
    let summary = json(&files, "summary.json");
    let list = summary["alliances"].as_array().expect("alliances");
    assert_eq!(list.len(), 2);
    let (a, b) = (&list[0], &list[1]);
    assert_eq!((a["alliance"].as_str(), b["alliance"].as_str()), (Some("A"), Some("B")));
    assert_eq!(a["schools"], serde_json::json!(["R1", "U1"]), "in the county's order");
    let moves_of = |x: &serde_json::Value| (x["moves_within"].clone(), x["moves_out"].clone(), x["moves_in"].clone());
    assert_eq!(moves_of(a), (1.into(), 1.into(), 0.into()));
    assert_eq!(moves_of(b), (0.into(), 0.into(), 2.into()));
    let pa = &a["sections"]["primary"];
    assert_eq!((pa["counted"].as_u64(), pa["students"].as_u64()), (Some(2), Some(400)));
    assert_eq!((pa["backbone_before"].as_u64(), pa["backbone_after"].as_u64()), (Some(2), Some(1)));
    assert_eq!((pa["backbone_per100_before"].as_f64(), pa["backbone_per100_after"].as_f64()), (Some(0.5), Some(0.25)));
    let pb = &b["sections"]["primary"];
    assert_eq!((pb["backbone_per100_before"].as_f64(), pb["backbone_per100_after"].as_f64()), (Some(0.0), Some(0.5)));
    let in_a = |s: &SectionFigures| county.schools[s.school].alliance.as_deref() == Some("A");
    let compliant = |f: &CountyFigures| f.sections.iter().filter(|s| in_a(s) && s.compliant == Some(true)).count();
    assert_eq!(pa["compliant_before"], compliant(&plan.before));
    assert_eq!(pa["compliant_after"], compliant(&plan.after));
    assert!(text(&files, "report.html").contains("<section id=\"alliances\">"));
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(files.get("plan.xlsx").unwrap().to_vec())).unwrap();
    assert!(book.sheet_names().contains(&"alliances".to_string()));
    let sheet = book.worksheet_range("alliances").unwrap();
    assert_eq!(sheet.rows().count(), 3, "a header and one row per alliance and section");

    let ev = evaluate_county(&county);
    let out = rotaplan::render::evaluation::files(&ev, &county, Lang::Zh);
    let summary = json(&out, "summary.json");
    let a = &summary["alliances"][0]["sections"]["primary"];
    assert_eq!(a["backbone_per100_before"].as_f64(), Some(0.5));
    assert!(a.get("backbone_per100_after").is_none(), "evaluate has no after");
    let csv = text(&out, "alliances.csv");
    let mut lines = csv.trim_start_matches('\u{feff}').lines();
    assert_eq!(
        lines.next(),
        Some("alliance,schools,section,sections,counted,students,compliant_before,higher_degree_per100_before,backbone_per100_before,pe_arts_per100_before")
    );
    assert!(lines.next().unwrap().starts_with("A,2,primary,2,2,400,"), "{csv}");
    assert!(text(&out, "report.html").contains("<section id=\"alliances\">"));
    // Without alliances: no key, no file, no section.
    let (plain, _) = five_moves();
    let ev = evaluate_county(&plain);
    let out = rotaplan::render::evaluation::files(&ev, &plain, Lang::Zh);
    assert!(json(&out, "summary.json").get("alliances").is_none() && out.get("alliances.csv").is_none());
}

/// `rotation.to_rural_min_share` is read from policy.toml (default 0), and
/// a value outside 0 to 1 is an input error that names the key and range.
#[test]
fn the_share_is_a_policy_key_with_its_range() {
    use crate::common::{copy_folder, fixture, input_problems, load_ok};
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("tiny");
    copy_folder(&fixture("tiny"), &data);
    assert_eq!(load_ok(&data).county.policy.rotation.to_rural_min_share, exact("0"));
    let policy = std::fs::read_to_string(data.join("policy.toml")).unwrap();
    let with = |value: &str| policy.replace("[rotation]\n", &format!("[rotation]\nto_rural_min_share = {value}\n"));
    std::fs::write(data.join("policy.toml"), with("0.3")).unwrap();
    assert_eq!(load_ok(&data).county.policy.rotation.to_rural_min_share, exact("0.3"));
    std::fs::write(data.join("policy.toml"), with("1.5")).unwrap();
    let problems = input_problems(&data);
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(problems[0].column.contains("to_rural_min_share"), "{problems:?}");
    assert!(problems[0].message.contains("0") && problems[0].message.contains("1"), "{problems:?}");
}

/// The two-year plan keeps the rule in both years: T3 at urban P1 is
/// eligible only next year (six years at the school in 2026) and must then
/// go to rural P3 rather than to the nearer P2; both years' summary.json
/// and the report carry the breakdown.
#[test]
fn the_two_year_plan_keeps_the_direction_rule_in_both_years() {
    use rotaplan::render::output::two_year_files;
    let mut county = pair(true, "0.5");
    let mut t3 = mover("T3", "P1", false);
    t3.school_since = 2020;
    county.teachers.push(t3);
    let two = crate::horizon::two_years(&county, "direction");
    crate::horizon::audit_both(&county, &two, "direction");
    let d = two.this.direction(&county);
    assert_eq!((d.total(false), d.to_rural(false), d.to_rural(true)), (2, 1, 1), "{d:?}");
    let next: Vec<(String, String)> = two
        .next
        .moves
        .iter()
        .map(|m| (two.next_county.teachers[m.teacher].id.clone(), two.next_county.schools[m.to].id.clone()))
        .collect();
    assert_eq!(next, pairs(&[("T3", "P3")]));
    let files = two_year_files(&county, &two, Lang::En).unwrap();
    assert_eq!(json(&files, "summary.json")["direction"]["to_rural"], 1);
    assert_eq!(json(&files, "next-year/summary.json")["direction"]["moves"]["urban"]["rural"], 1);
    assert!(text(&files, "report.html").contains("<section id=\"direction\">"));
}
