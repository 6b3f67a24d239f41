//! Returns from exchange in the plan (issue 13 point 1): a due return is part
//! of the plan, counts in every figure and in rules 5 and 6 but not in the
//! shares; with `exchange.returns = "optional"` the plan extends a return
//! only where that serves the objective; the auditor checks returns; the
//! outputs show them apart from rotations.

use rotaplan::domain::changes::ProposedMove;
use rotaplan::domain::policy::{Policy, ReturnsMode};
use rotaplan::domain::{Backbone, County, Degree, Exchange, ExchangeDecision, Level, SchoolKind, Subject, Teacher};
use rotaplan::plan::{Outcome, Plan};
use rotaplan::render::output::plan_files;
use rotaplan::render::Lang;
use rotaplan::rules::audit::{audit, audit_with_returns, Audit, Breach};
use rotaplan::rules::rule::Rule;

use crate::plan::{close, county, exact, listing, proposals, run_plan, school, stage_value, teacher};

// ---------------------------------------------------------------- helpers

fn exchange(teacher_id: &str, home: &str, host: &str, start: i32, end: i32) -> Exchange {
    Exchange {
        teacher_id: teacher_id.into(),
        home_school_id: home.into(),
        host_school_id: host.into(),
        start_year: start,
        end_year: end,
        decision: ExchangeDecision::Return,
    }
}

/// A teacher who is not eligible (one year at the school).
fn newcomer(id: &str, school_id: &str) -> Teacher {
    let mut t = plain(id, school_id);
    t.school_since = 2024;
    t
}

/// An eligible teacher below the higher degree of a primary section.
fn plain(id: &str, school_id: &str) -> Teacher {
    let mut t = teacher(id, school_id, Level::Primary, Subject::Other);
    t.degree = Degree::Secondary;
    t
}

fn extended_ids(county: &County, plan: &Plan) -> Vec<String> {
    plan.returns.iter().filter(|r| r.extended).map(|r| county.teachers[r.teacher].id.clone()).collect()
}

/// Plans the county and audits the plan with its returns: no violation, and
/// the auditor's objective vector and figures are the stages'.
fn planned(county: &County, what: &str) -> (Plan, Audit) {
    let plan = match run_plan(county) {
        Outcome::Planned(p) => p,
        Outcome::Infeasible(d) => panic!("{what}: no plan: {:?}", crate::plan::lines(&d)),
        Outcome::OutOfTime(_) => panic!("{what}: out of time"),
    };
    let verdict = audit_with_returns(county, &proposals(county, &plan), &extended_ids(county, &plan));
    assert!(verdict.is_valid(), "{what}: the auditor rejects the plan:\n{}", listing(&verdict.violations));
    assert_eq!(verdict.eligible, plan.eligible, "{what}: E");
    let o = verdict.objective;
    assert_eq!(plan.stages[0].objective, o.compliant as f64, "{what}: compliant");
    assert_eq!(plan.stages[1].objective, o.shortfall as f64, "{what}: shortfall");
    assert!(close(stage_value(&plan, rotaplan::model::Stage::CvSquares), o.cv_squares, 1e-7), "{what}: Σ CV²");
    assert!(close(plan.stages.last().expect("stages").objective, o.distance_km, 1e-6), "{what}: km");
    assert_eq!(plan.after, verdict.after, "{what}: figures after");
    (plan, verdict)
}

/// Two primary schools of 200 students. A1–A5 at P1 and B1–B5 at P2 are
/// eligible; X teaches at P2 on exchange from P1 (2022–2025), the only
/// higher degree of the county. Headcount tolerance 0, shares 10 %–30 %.
fn two_schools(register: bool) -> County {
    let schools = vec![
        school("P1", SchoolKind::Primary, [200, 0], Some((36.0, 112.0))),
        school("P2", SchoolKind::Primary, [200, 0], Some((36.02, 112.0))),
    ];
    let mut teachers = Vec::new();
    for i in 1..=5 {
        teachers.push(plain(&format!("A{i}"), "P1"));
        teachers.push(plain(&format!("B{i}"), "P2"));
    }
    let mut x = newcomer("X", "P2");
    x.degree = Degree::Bachelor;
    x.school_since = 2022;
    teachers.push(x);
    let mut policy = Policy::default();
    policy.rotation.min_share = exact("0.1");
    policy.rotation.max_share = exact("0.3");
    policy.rotation.backbone_min_share = exact("0");
    policy.movement.headcount_tolerance = 0;
    let c = county(schools, teachers, policy, Vec::new());
    if register {
        c.with_exchanges(vec![exchange("X", "P1", "P2", 2022, 2025)])
    } else {
        c
    }
}

fn moves_between(county: &County, plan: &Plan, from: &str, to: &str) -> usize {
    plan.moves.iter().filter(|m| county.schools[m.from].id == from && county.schools[m.to].id == to).count()
}

// ---------------------------------------------------------------- fixed

#[test]
fn fixed_return_counts_in_figures_and_headcount_not_in_the_shares() {
    let county = two_schools(true);
    let (plan, _) = planned(&county, "fixed return");
    // E = 10 (X is on exchange): ⌈10 % × 10⌉ = 1, not ⌈10 % × 11⌉ = 2.
    assert_eq!(plan.eligible, 10);
    assert_eq!(plan.required_moves, 1);
    assert_eq!(plan.returns.len(), 1);
    let r = &plan.returns[0];
    assert_eq!((county.teachers[r.teacher].id.as_str(), r.extended), ("X", false));
    assert_eq!((county.schools[r.host].id.as_str(), county.schools[r.home].id.as_str()), ("P2", "P1"));
    assert!(plan.moves.iter().all(|m| county.teachers[m.teacher].id != "X"), "X never rotates");
    // Rule 5 with tolerance 0: the return is an arrival at P1 and a departure
    // at P2, so P1 sends one teacher more than it receives.
    let out = moves_between(&county, &plan, "P1", "P2");
    let back = moves_between(&county, &plan, "P2", "P1");
    assert_eq!(out, back + 1, "moves {:?}", plan.moves);
    assert!((1..=3).contains(&plan.moves.len()));
    // The figures after: X's higher degree counts at P1, no longer at P2.
    let p1 = plan.after.section(0, Level::Primary).expect("P1");
    let p2 = plan.after.section(1, Level::Primary).expect("P2");
    assert_eq!(p1.counts.indicator[0], 1, "higher degree at P1 after");
    assert_eq!(p2.counts.indicator[0], 0, "higher degree at P2 after");
    assert_eq!(p1.counts.teachers, 5);
    assert_eq!(p2.counts.teachers, 6);
    // The figures before stay the county as it stands.
    assert_eq!(plan.before.section(1, Level::Primary).expect("P2").counts.indicator[0], 1);
}

#[test]
fn without_a_register_the_same_county_balances_its_moves() {
    let county = two_schools(false);
    let (plan, _) = planned(&county, "no register");
    assert!(plan.returns.is_empty());
    assert_eq!(moves_between(&county, &plan, "P1", "P2"), moves_between(&county, &plan, "P2", "P1"));
    assert_eq!(plan.after.section(1, Level::Primary).expect("P2").counts.indicator[0], 1, "X stays at P2");
}

#[test]
fn a_return_not_yet_due_or_settled_is_no_return() {
    for (end, decision) in
        [(2026, ExchangeDecision::Return), (2025, ExchangeDecision::Transfer), (2025, ExchangeDecision::Extend)]
    {
        let mut row = exchange("X", "P1", "P2", 2022, end);
        row.decision = decision;
        let county = two_schools(false).with_exchanges(vec![row]);
        let (plan, _) = planned(&county, "not due");
        assert!(plan.returns.is_empty(), "end {end} {decision:?}");
    }
}

// ---------------------------------------------------------------- optional

/// P1 and P2, 100 primary students each (one backbone teacher each meets
/// the standard). X, a county backbone teacher on exchange at P2 from P1,
/// is due back. `home_has_backbone`: P1 already has a backbone teacher (H);
/// else P2 has another one (G). Nobody is eligible: the plan is the returns.
fn backbone_county(home_has_backbone: bool, mode: ReturnsMode) -> County {
    let schools = vec![
        school("P1", SchoolKind::Primary, [100, 0], Some((36.0, 112.0))),
        school("P2", SchoolKind::Primary, [100, 0], Some((36.02, 112.0))),
    ];
    let mut teachers = vec![newcomer("N1", "P1"), newcomer("N2", "P2")];
    let mut x = newcomer("X", "P2");
    x.backbone = Backbone::County;
    teachers.push(x);
    let mut other = newcomer(if home_has_backbone { "H" } else { "G" }, if home_has_backbone { "P1" } else { "P2" });
    other.backbone = Backbone::County;
    teachers.push(other);
    let mut policy = Policy::default();
    policy.rotation.min_share = exact("0");
    policy.rotation.backbone_min_share = exact("0");
    policy.movement.headcount_tolerance = 1;
    policy.exchange.returns = mode;
    county(schools, teachers, policy, Vec::new()).with_exchanges(vec![exchange("X", "P1", "P2", 2023, 2025)])
}

#[test]
fn optional_extends_exactly_when_staying_serves_the_objective() {
    // Returning leaves P2 without a backbone teacher (shortfall 1): extend.
    let county = backbone_county(true, ReturnsMode::Optional);
    let (plan, verdict) = planned(&county, "optional, home has backbone");
    assert_eq!(extended_ids(&county, &plan), vec!["X".to_string()]);
    assert_eq!((plan.returns_done(), plan.returns_extended()), (0, 1));
    assert_eq!(verdict.objective.shortfall, plan.before.shortfall());
    // The same county with fixed returns is worse by that shortfall.
    let fixed = backbone_county(true, ReturnsMode::Fixed);
    let (fixed_plan, fixed_verdict) = planned(&fixed, "fixed, home has backbone");
    assert_eq!(fixed_plan.returns_extended(), 0);
    assert!(verdict.objective.is_better_than(&fixed_verdict.objective));
    // The extension's reason says what staying keeps, as data.
    let x = rotaplan::explain::explain_return(&county, &plan, &plan.returns[0]);
    assert!(x.extended && x.new_end == 2026);
    assert_eq!(x.kept.len(), 1, "{x:?}");
    assert!(x.kept[0].after > x.kept[0].before);

    // Returning fills P1's missing backbone teacher (P2 keeps G): return.
    let county = backbone_county(false, ReturnsMode::Optional);
    let (plan, _) = planned(&county, "optional, home lacks backbone");
    assert_eq!((plan.returns_done(), plan.returns_extended()), (1, 0));
}

#[test]
fn optional_return_on_a_tie_happens() {
    // X counts in no indicator: returning or staying ties on every stage;
    // the plan returns (deterministically).
    let mut county = backbone_county(true, ReturnsMode::Optional);
    let x = county.teachers.iter_mut().find(|t| t.id == "X").expect("X");
    x.backbone = Backbone::None;
    for _ in 0..2 {
        let (plan, _) = planned(&county, "tie");
        assert_eq!((plan.returns_done(), plan.returns_extended()), (1, 0));
    }
}

// ---------------------------------------------------------------- auditor

#[test]
fn auditor_flags_a_missing_fixed_return_and_a_rotating_returnee() {
    let county = two_schools(true);
    let moves = [ProposedMove::new("A1", "P2")];
    let ok = audit(&county, &moves);
    assert!(ok.is_valid(), "{}", listing(&ok.violations));
    assert_eq!(ok.eligible, 10);
    // Without the return P1 loses one teacher net: unbalanced too.
    let missing = audit_with_returns(&county, &moves, &["X".to_string()]);
    let returns: Vec<_> = missing.of_rule(Rule::Returns).collect();
    assert_eq!(returns.len(), 1, "{}", listing(&missing.violations));
    assert_eq!(returns[0].teacher_id.as_deref(), Some("X"));
    assert_eq!(returns[0].school_id.as_deref(), Some("P1"));
    assert!(matches!(returns[0].breach, Breach::ReturnMissing { end_year: 2025 }));
    assert!(missing.of_rule(Rule::HeadcountBalance).count() > 0);
    // The return's higher degree stays at P2 in the figures.
    assert_eq!(missing.after.section(1, Level::Primary).expect("P2").counts.indicator[0], 1);
    assert_eq!(ok.after.section(1, Level::Primary).expect("P2").counts.indicator[0], 0);

    // With optional returns the same extension is allowed.
    let mut optional = two_schools(true);
    optional.policy.exchange.returns = ReturnsMode::Optional;
    let extended = audit_with_returns(&optional, &[], &["X".to_string()]);
    assert_eq!(extended.of_rule(Rule::Returns).count(), 0, "{}", listing(&extended.violations));

    // A returnee may not rotate; only a due return can be extended.
    let rotating = audit(&county, &[ProposedMove::new("X", "P1"), ProposedMove::new("A1", "P2")]);
    assert!(rotating.of_rule(Rule::Returns).any(|v| matches!(v.breach, Breach::OnExchange { .. })));
    let not_due = audit_with_returns(&optional, &moves, &["B1".to_string()]);
    assert!(not_due.of_rule(Rule::Returns).any(|v| v.breach == Breach::NoReturnDue));
}

// ---------------------------------------------------------------- outputs

fn text(files: &rotaplan::render::output::OutputFiles, name: &str) -> String {
    String::from_utf8(files.get(name).unwrap_or_else(|| panic!("{name}")).to_vec()).expect("UTF-8")
}

#[test]
fn outputs_show_returns_apart_with_kind_and_reason() {
    let county = two_schools(true);
    let (plan, _) = planned(&county, "outputs");
    let files = plan_files(&county, &plan, Lang::Zh).expect("files");
    let csv = text(&files, "rotations.csv");
    let mut reader = csv::Reader::from_reader(csv.trim_start_matches('\u{feff}').as_bytes());
    let header = reader.headers().expect("header").clone();
    // kind, then the role (职务) last.
    assert_eq!(header.iter().rev().take(2).collect::<Vec<_>>(), ["role", "kind"]);
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("row")).collect();
    assert_eq!(rows.len(), plan.moves.len() + 1);
    let col = |name: &str| header.iter().position(|h| h == name).expect(name);
    let x = rows.iter().find(|r| &r[0] == "X").expect("X's row");
    assert_eq!(&x[col("kind")], "return");
    assert_eq!((&x[col("from_school")], &x[col("to_school")]), ("P2", "P1"));
    assert!(x[col("reason")].contains("交流期满（2022–2025），返回原学校"), "{}", &x[col("reason")]);
    assert!(rows.iter().filter(|r| &r[0] != "X").all(|r| &r[col("kind")] == "rotation"));
    let keys: Vec<(String, String)> =
        rows.iter().map(|r| (r[col("from_school")].to_string(), r[0].to_string())).collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted, "by from_school, then teacher_id");

    let summary: serde_json::Value = serde_json::from_str(&text(&files, "summary.json")).expect("json");
    assert_eq!(summary["returns"], 1);
    assert_eq!(summary["extended"], 0);
    assert_eq!(summary["moves"], plan.moves.len());
    let html = text(&files, "report.html");
    assert!(html.contains("id=\"return-table\""));
    assert!(html.contains("交流期满返回"));
    assert!(html.contains("class=\"return-arrivals\""), "P1's letter shows the arrival by return");
    assert!(html.contains("class=\"return-departures\""), "P2's letter shows the departure by return");

    // Without a register: no return keys, every row a rotation.
    let plain = two_schools(false);
    let (plan, _) = planned(&plain, "outputs without register");
    let files = plan_files(&plain, &plan, Lang::En).expect("files");
    let summary: serde_json::Value = serde_json::from_str(&text(&files, "summary.json")).expect("json");
    assert!(summary.get("returns").is_none() && summary.get("extended").is_none());
    assert!(!text(&files, "report.html").contains("return-table"));
}

#[test]
fn an_extension_is_an_extend_row_at_the_host() {
    let county = backbone_county(true, ReturnsMode::Optional);
    let (plan, _) = planned(&county, "extend row");
    let files = plan_files(&county, &plan, Lang::En).expect("files");
    let csv = text(&files, "rotations.csv");
    let line = csv.lines().find(|l| l.starts_with("X,")).expect("X's row");
    assert!(line.ends_with(",extend,teacher"), "{line}");
    assert!(line.contains(",P2,P2,"), "to_school is the host: {line}");
    assert!(line.contains(",2026,"), "the new end: {line}");
    assert!(line.contains("extended one year"), "{line}");
    let summary: serde_json::Value = serde_json::from_str(&text(&files, "summary.json")).expect("json");
    assert_eq!((summary["returns"].as_u64(), summary["extended"].as_u64()), (Some(0), Some(1)));
    // The letters: no school is told X leaves or arrives; both the host and
    // the home school are told the exchange is extended.
    let html = text(&files, "report.html");
    assert!(!html.contains("class=\"return-departures\"") && !html.contains("class=\"return-arrivals\""), "no return");
    assert_eq!(html.matches("class=\"return-extended\"").count(), 2, "host and home are told of the extension");
}

#[test]
fn plans_with_returns_are_deterministic() {
    let county = two_schools(true);
    let first = plan_files(&county, &planned(&county, "first").0, Lang::Zh).expect("files");
    let again = plan_files(&county, &planned(&county, "again").0, Lang::Zh).expect("files");
    assert_eq!(first.get("rotations.csv"), again.get("rotations.csv"));
    assert_eq!(
        text(&first, "summary.json").lines().filter(|l| !l.contains("seconds")).collect::<Vec<_>>(),
        text(&again, "summary.json").lines().filter(|l| !l.contains("seconds")).collect::<Vec<_>>()
    );
}

#[test]
fn the_workbook_words_the_kind_in_chinese() {
    use calamine::{Data, Reader, Xlsx};
    let county = backbone_county(true, ReturnsMode::Optional);
    let (plan, _) = planned(&county, "workbook");
    let files = plan_files(&county, &plan, Lang::Zh).expect("files");
    let bytes = files.get("plan.xlsx").expect("plan.xlsx").to_vec();
    let mut book: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes)).expect("a workbook");
    let sheet = book.worksheet_range("交流名单").expect("the rotation sheet");
    let header: Vec<String> = sheet.rows().next().expect("header").iter().map(|c| c.to_string()).collect();
    assert_eq!(header[header.len() - 2..], ["类别", "职务"], "{header:?}");
    let x = sheet.rows().find(|r| r[0] == Data::String("X".into())).expect("X's row");
    assert_eq!(x[x.len() - 2], Data::String("续任".into()));
    assert_eq!(x.last(), Some(&Data::String("教师".into())));
    let summary = book.worksheet_range("汇总").expect("the summary sheet");
    let extended = summary.rows().find(|r| r[0] == Data::String("续任一年人数".into())).expect("extended row");
    assert_eq!(extended[1], Data::Float(1.0));
}

#[test]
fn a_return_that_would_break_a_floor_is_extended_or_the_plan_is_diagnosed() {
    // X is P2's only mathematics teacher (need ≥ 1 for 3 classes).
    let with_math = |mode| {
        let mut county = backbone_county(false, mode);
        let x = county.teachers.iter_mut().find(|t| t.id == "X").expect("X");
        x.subject = Subject::Math;
        x.backbone = Backbone::None;
        county
    };
    let county = with_math(ReturnsMode::Optional);
    let (plan, _) = planned(&county, "floor, optional");
    assert_eq!(extended_ids(&county, &plan), vec!["X".to_string()]);
    let x = rotaplan::explain::explain_return(&county, &plan, &plan.returns[0]);
    assert_eq!(x.floor_kept, Some((Subject::Math, 1, 1)), "{x:?}");
    let files = plan_files(&county, &plan, Lang::Zh).expect("files");
    let line = text(&files, "rotations.csv").lines().find(|l| l.starts_with("X,")).expect("X").to_string();
    assert!(line.contains("续任一年") && line.contains("低于下限"), "{line}");

    // With fixed returns nobody can replace X: no plan, and the diagnosis names the floor.
    match run_plan(&with_math(ReturnsMode::Fixed)) {
        Outcome::Infeasible(d) => {
            assert!(d.conflicts.iter().any(|c| c.rule_id() == "subject_floor"), "{:?}", crate::plan::lines(&d));
            // ... and the fixed return, with the policy change that gives a plan.
            let returns = d.conflicts.iter().find(|c| c.rule_id() == "returns").expect("the returns conflict");
            assert_eq!(
                returns.fix,
                rotaplan::plan::diagnosis::Fix::Policy(rotaplan::plan::diagnosis::PolicyChange::Set(
                    "exchange.returns",
                    "optional".into()
                ))
            );
            let said = crate::plan::lines(&d).join("\n");
            assert!(said.contains("exchange.returns"), "{said}");
        }
        Outcome::Planned(p) => panic!("expected no plan, got {:?}", p.returns),
        Outcome::OutOfTime(_) => panic!("out of time"),
    }
}

/// data/anze with a fictional register: six teachers, each on exchange at
/// their school from the nearest-listed other school with their section,
/// four of them due this year.
fn anze_with_register(mode: ReturnsMode) -> County {
    let mut county = rotaplan::io::load(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data/anze"), None)
        .expect("data/anze")
        .county;
    county.policy.exchange.returns = mode;
    let year = county.policy.year;
    let mut register = Vec::new();
    for (i, t) in county.teachers.iter().enumerate().filter(|(i, _)| i % 37 == 5).take(6) {
        let Some(home) = county.schools.iter().find(|s| s.id != t.school_id && s.has(t.level)) else { continue };
        let end = if i % 3 == 0 { year + 1 } else { year };
        register.push(exchange(&t.id, &home.id, &t.school_id, end - 3, end));
    }
    county.with_exchanges(register)
}

#[test]
fn anze_with_returns_plans_audit_clean_fixed_and_optional() {
    let fixed = anze_with_register(ReturnsMode::Fixed);
    let due = fixed.exchanges.iter().filter(|e| e.returns_in(fixed.policy.year)).count();
    assert!(due >= 2, "{due} returns due");
    let (plan, verdict) = planned(&fixed, "anze fixed");
    assert_eq!((plan.returns_done(), plan.returns_extended()), (due, 0));
    let optional = anze_with_register(ReturnsMode::Optional);
    let (plan, optional_verdict) = planned(&optional, "anze optional");
    assert_eq!(plan.returns.len(), due);
    // Extending can only help: the optional plan is at least as good.
    assert!(!verdict.objective.is_better_than(&optional_verdict.objective));
}

#[test]
fn an_extension_that_keeps_the_host_compliant_says_so() {
    // P2 meets every standard with X: five associate-degree teachers (one
    // of them PE) and X, its only backbone teacher. Returning would leave
    // P2 below 85 % of the backbone standard, so not compliant.
    let mut county = backbone_county(true, ReturnsMode::Optional);
    for i in 1..=5 {
        let mut t = newcomer(&format!("Q{i}"), "P2");
        t.degree = Degree::Associate;
        if i == 1 {
            t.subject = Subject::Pe;
        }
        county.teachers.push(t);
    }
    let (plan, verdict) = planned(&county, "compliance kept");
    assert_eq!(extended_ids(&county, &plan), vec!["X".to_string()]);
    assert_eq!(verdict.objective.compliant, 1);
    let x = rotaplan::explain::explain_return(&county, &plan, &plan.returns[0]);
    assert_eq!((x.destination.after, x.host_if_returned), (Some(true), Some(false)), "{x:?}");
    let files = plan_files(&county, &plan, Lang::Zh).expect("files");
    let line = text(&files, "rotations.csv").lines().find(|l| l.starts_with("X,")).expect("X").to_string();
    assert!(line.contains("返回则该校段不达标") && line.ends_with(",extend,teacher"), "{line}");
}
