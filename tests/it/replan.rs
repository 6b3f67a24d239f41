//! `replan` (issue 13, point 3): the fewest changes from a published list,
//! brute-forced on tiny counties with the auditor as the judge; a refusal
//! and a departure on data/anze; an empty changes file; determinism; the
//! changes file's problems; the command's outputs and exit statuses.

use crate::differential::most_moves;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use assert_cmd::Command;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rotaplan::domain::changes::{list_changes, ListChange, ProposedMove};
use rotaplan::domain::{County, Level, LockAction, SchoolKind, Subject};
use rotaplan::io::{read_changes, Change, ChangeAction};
use rotaplan::model::{Arrival, Instance};
use rotaplan::plan::replan::{county_after_changes, replan, Reason, Replan, ReplanOutcome};
use rotaplan::plan::{plan, Outcome, PlanOptions};
use rotaplan::rules::audit::{audit, Audit, Auditor};
use rotaplan::rules::eligibility::is_eligible;
use rotaplan::solve::{minimise, SolveOptions};
use rotaplan::{load, Error, Lang};

use crate::common::fixture;
use crate::plan::{options, plans_to_enumerate, proposals, random_county, school, teacher, Shape, TINY};

fn change(teacher: &str, action: ChangeAction, school: Option<&str>, note: &str) -> Change {
    Change { teacher_id: teacher.into(), action, school_id: school.map(str::to_string), note: note.into() }
}

fn stay(teacher: &str) -> Change {
    change(teacher, ChangeAction::Lock(LockAction::Stay), None, "refuses")
}

fn leave(teacher: &str) -> Change {
    change(teacher, ChangeAction::Leave, None, "ill")
}

fn replanned(outcome: ReplanOutcome) -> Box<Replan> {
    match outcome {
        ReplanOutcome::Replanned(r) => r,
        ReplanOutcome::Infeasible(d) => panic!("no plan: {:?}", d.conflicts),
        ReplanOutcome::OutOfTime(_) => panic!("out of time"),
    }
}

fn now_list(r: &Replan) -> Vec<ProposedMove> {
    proposals(&r.county, &r.plan)
}

// ------------------------------------------------------------ brute force

/// The eligible teachers of `county` with the schools they may be sent to.
fn movers(county: &County) -> Vec<(String, Vec<String>)> {
    county
        .teachers
        .iter()
        .filter(|t| is_eligible(t, &county.policy))
        .map(|t| {
            let to =
                county.schools.iter().filter(|s| s.id != t.school_id && s.has(t.level)).map(|s| s.id.clone()).collect();
            (t.id.clone(), to)
        })
        .collect()
}

/// Calls `found` with every plan of `county` that the auditor accepts;
/// false (and no call) when there are too many plans to enumerate.
fn each_valid_plan(county: &County, found: &mut dyn FnMut(&[ProposedMove], &Audit)) -> bool {
    let auditor = Auditor::new(county);
    let (low, high) = auditor.move_bounds();
    let high = most_moves(county, high);
    let movers = movers(county);
    let destinations: Vec<usize> = movers.iter().map(|(_, to)| to.len()).collect();
    let plans: usize = (low..=high).map(|k| plans_to_enumerate(&destinations, k as usize)).sum();
    if plans > 40_000 {
        return false;
    }
    for k in low..=high {
        enumerate(&auditor, &movers, 0, k as usize, &mut Vec::new(), found);
    }
    true
}

fn enumerate(
    auditor: &Auditor,
    movers: &[(String, Vec<String>)],
    start: usize,
    left: usize,
    current: &mut Vec<ProposedMove>,
    found: &mut dyn FnMut(&[ProposedMove], &Audit),
) {
    if left == 0 {
        let verdict = auditor.audit(current);
        if verdict.violations.is_empty() {
            found(current, &verdict);
        }
        return;
    }
    for i in start..movers.len() {
        if movers.len() - i < left {
            break;
        }
        for to in &movers[i].1 {
            current.push(ProposedMove::new(movers[i].0.clone(), to.clone()));
            enumerate(auditor, movers, i + 1, left - 1, current, found);
            current.pop();
        }
    }
}

/// The fewest changes from `published` over every plan of `county` that the
/// auditor accepts (None: no plan at all), or None when there are too many
/// plans to enumerate.
fn fewest_by_brute_force(county: &County, published: &[ProposedMove]) -> Option<Option<usize>> {
    let mut best: Option<usize> = None;
    let mut keep = |plan: &[ProposedMove], _: &Audit| {
        let n = list_changes(published, plan).len();
        best = Some(best.map_or(n, |b| b.min(n)));
    };
    each_valid_plan(county, &mut keep).then_some(best)
}

/// Changes of one of four kinds for a county with `published` moves: a
/// refusal of a published mover, a published mover who leaves, a teacher
/// who leaves with a school forbidden to a published mover, or none.
fn random_changes(rng: &mut ChaCha8Rng, county: &County, published: &[ProposedMove]) -> Vec<Change> {
    let mover = published.get(rng.random_range(0..published.len().max(1)));
    match (rng.random_range(0..4), mover) {
        (0, Some(m)) => vec![stay(&m.teacher_id)],
        (1, Some(m)) => vec![leave(&m.teacher_id)],
        (2, Some(m)) => {
            let moving: BTreeSet<&str> = published.iter().map(|p| p.teacher_id.as_str()).collect();
            let others: Vec<&str> =
                county.teachers.iter().map(|t| t.id.as_str()).filter(|id| !moving.contains(id)).collect();
            let mut out = vec![change(&m.teacher_id, ChangeAction::Lock(LockAction::Forbid), Some(&m.to_school), "no")];
            if !others.is_empty() {
                out.push(leave(others[rng.random_range(0..others.len())]));
            }
            out
        }
        _ => Vec::new(),
    }
}

/// Replans one random county after random changes and compares the fewest
/// changes with the brute force. Returns whether the comparison was made.
fn compare_with_brute_force(seed: u64, shape: Shape) -> bool {
    let county = random_county(seed, shape);
    let Outcome::Planned(p) = plan(&county, Vec::new(), &options()).unwrap() else { return false };
    let published = proposals(&county, &p);
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0x5eed);
    let changes = random_changes(&mut rng, &county, &published);
    let after = county_after_changes(&county, &changes);
    let Some(brute) = fewest_by_brute_force(&after, &published) else { return false };
    // Free profiles aggregated or not: the movers are then named by the
    // transport problem, which must keep the published lines too.
    let aggregated = PlanOptions { aggregate: Some(seed.is_multiple_of(2)), ..options() };
    let outcome = replan(&county, &published, &changes, 0, &aggregated).unwrap();
    match (outcome, brute) {
        (ReplanOutcome::Replanned(r), Some(fewest)) => {
            assert!(r.fewest.proven, "seed {seed}: stage 0 not proven");
            assert_eq!(r.fewest.changes as usize, fewest, "seed {seed}: N* differs from the brute force ({changes:?})");
            let now = now_list(&r);
            let verdict = audit(&after, &now);
            assert!(verdict.violations.is_empty(), "seed {seed}: the auditor rejects the replanned list");
            assert_eq!(list_changes(&published, &now).len(), fewest, "seed {seed}: the plan's changes");
            assert_eq!(r.changes.len(), fewest, "seed {seed}: changes.csv's lines");
        }
        (ReplanOutcome::Infeasible(d), None) => assert!(!d.conflicts.is_empty(), "seed {seed}: empty diagnosis"),
        (ReplanOutcome::Replanned(r), None) => {
            panic!("seed {seed}: replan finds {} changes, the brute force no plan", r.fewest.changes)
        }
        (ReplanOutcome::Infeasible(_), Some(n)) => {
            panic!("seed {seed}: no plan, but the brute force finds {n} changes")
        }
        (ReplanOutcome::OutOfTime(_), _) => panic!("seed {seed}: out of time"),
    }
    true
}

#[test]
fn replan_fewest_changes_match_the_brute_force_on_tiny_counties() {
    let compared = (0..40).filter(|&seed| compare_with_brute_force(seed, TINY)).count();
    assert!(compared >= 15, "only {compared} of 40 counties compared: the test would prove little");
}

#[test]
fn replan_fewest_changes_match_the_brute_force_with_locks_and_tolerance_zero() {
    let locks = Shape { schools: 5, locks: true, ..TINY };
    let tight = Shape { tolerance: 0, per_section: 4, eligible: 0.6, ..TINY };
    let compared = (500..525).filter(|&seed| compare_with_brute_force(seed, locks)).count()
        + (600..625).filter(|&seed| compare_with_brute_force(seed, tight)).count();
    assert!(compared >= 15, "only {compared} of 50 counties compared");
}

/// The transport problem that names the movers of an aggregated model keeps
/// the published lines: fed the published list's own departures and
/// arrivals, it gives the published list back, although sending each of
/// the two alike teachers to the other's destination would be far shorter.
#[test]
fn transport_keeps_the_published_lines() {
    let schools = vec![
        school("S1", SchoolKind::Primary, [100, 0], Some((36.0, 112.0))),
        school("S2", SchoolKind::Primary, [100, 0], Some((36.3, 112.3))),
        school("S3", SchoolKind::Primary, [100, 0], Some((36.0, 112.01))),
        school("S4", SchoolKind::Primary, [100, 0], Some((36.3, 112.31))),
    ];
    let teachers = vec![
        teacher("X", "S1", Level::Primary, Subject::Chinese),
        teacher("Y", "S2", Level::Primary, Subject::Chinese),
        teacher("Z", "S3", Level::Primary, Subject::Math),
        teacher("W", "S4", Level::Primary, Subject::Math),
    ];
    let county = County::new(schools, teachers, Default::default(), Vec::new(), Vec::new(), Vec::new());
    let published = [ProposedMove::new("X", "S4"), ProposedMove::new("Y", "S3")];
    assert_eq!(transport_of(&county, &published), published.iter().cloned().collect::<BTreeSet<_>>());
}

/// The moves the transport problem names for the departures and arrivals of `published`.
fn transport_of(county: &County, published: &[ProposedMove]) -> BTreeSet<ProposedMove> {
    let index = |id: &str| county.teachers.iter().position(|t| t.id == id).unwrap();
    let lines: BTreeMap<usize, usize> =
        published.iter().map(|m| (index(&m.teacher_id), county.school_pos(&m.to_school).unwrap())).collect();
    let singles: BTreeSet<usize> = lines.keys().copied().collect();
    let mut inst = Instance::with_singles(county, Vec::new(), &singles);
    inst.aggregate = true;
    inst.set_published(&lines, 0);
    let departures: Vec<u32> =
        inst.profiles.iter().map(|p| p.members.iter().filter(|t| lines.contains_key(t)).count() as u32).collect();
    let classes = inst.build_feasibility().handles.a;
    let mut arrivals: Vec<Vec<Arrival<u32>>> = classes
        .iter()
        .map(|row| row.iter().map(|&(subject, flags, class, _)| (subject, flags, class, 0)).collect())
        .collect();
    for (&t, &school) in &lines {
        let p = inst.profiles.iter().find(|p| p.members == [t]).unwrap();
        let level = county.teachers[t].level;
        let s = inst.section_of[&(school, level)];
        let row = &mut arrivals[s];
        let kind = inst.arrival_kind(s, p);
        let at = row.iter().position(|a| (a.0, a.1, a.2) == kind).unwrap();
        row[at].3 += 1;
    }
    let model = inst.build_transport(&departures, &arrivals, &[]);
    let solved =
        minimise(model.vars, model.objective, model.constraints, SolveOptions::new(60.0, 0.0, 1e-6), None).unwrap();
    let mut moves = BTreeSet::new();
    for (p, row) in model.handles.x.iter().enumerate() {
        for (j, v) in row.iter().enumerate() {
            if solved.value(*v) > 0.5 {
                let profile = &inst.profiles[p];
                let to = inst.sections[profile.destinations[j].section].school;
                moves.insert(ProposedMove::new(
                    county.teachers[profile.members[0]].id.clone(),
                    county.schools[to].id.clone(),
                ));
            }
        }
    }
    moves
}

// ------------------------------------------------------------ data/anze

fn anze() -> County {
    load(Path::new("data/anze"), None).unwrap().county
}

/// data/anze's optimal plan, as published.
fn anze_published(county: &County) -> Vec<ProposedMove> {
    let Outcome::Planned(p) = plan(county, Vec::new(), &options()).unwrap() else { panic!("no plan") };
    proposals(county, &p)
}

#[test]
fn replan_after_one_refusal_on_anze_changes_few_lines() {
    let county = anze();
    let published = anze_published(&county);
    // A class teacher refuses (principals rotate by their own rule).
    let class_teacher =
        |id: &str| county.teachers.iter().any(|t| t.id == id && t.role == rotaplan::domain::Role::Teacher);
    let refused = published.iter().find(|m| class_teacher(&m.teacher_id)).expect("a teacher").teacher_id.clone();
    let r = replanned(replan(&county, &published, &[stay(&refused)], 0, &options()).unwrap());
    // The published plan has exactly the required moves (37 of 367 eligible):
    // dropping the refusal needs one addition, so at least 2; one teacher of
    // the refusing teacher's kind in their place is enough on data/anze.
    let teachers = published.iter().filter(|m| class_teacher(&m.teacher_id)).count();
    assert_eq!(r.plan.required_moves as usize, teachers);
    assert!(r.fewest.proven);
    assert_eq!(r.fewest.changes, 2, "{:?}", r.changes);
    assert_eq!(r.changes.len(), 2);
    let dropped = r.changes.iter().find(|c| c.change.teacher_id() == refused).expect("the refusal is a change");
    assert!(matches!(dropped.change, ListChange::Dropped { .. }));
    assert!(matches!(&dropped.reason, Reason::Asked(c) if c.action == ChangeAction::Lock(LockAction::Stay)));
    let other = r.changes.iter().find(|c| c.change.teacher_id() != refused).unwrap();
    assert!(matches!(other.change, ListChange::Added { .. }));
    assert!(matches!(&other.reason, Reason::Rules(rules) if !rules.is_empty()));
    // Every other published line stands.
    let now: BTreeSet<ProposedMove> = now_list(&r).into_iter().collect();
    for m in published.iter().filter(|m| m.teacher_id != refused) {
        assert!(now.contains(m), "{m:?} changed");
    }
    assert!(audit(&r.county, &now_list(&r)).violations.is_empty());
}

#[test]
fn replan_after_a_leave_on_anze_drops_the_teacher_from_the_county() {
    let county = anze();
    let published = anze_published(&county);
    let gone = published[3].teacher_id.clone();
    let r = replanned(replan(&county, &published, &[leave(&gone)], 0, &options()).unwrap());
    assert!(r.county.teachers.iter().all(|t| t.id != gone));
    assert_eq!(r.county.teachers.len(), county.teachers.len() - 1);
    // The leaver was eligible: E drops by one.
    assert_eq!(r.plan.eligible, Auditor::new(&county).eligible() - 1);
    let line = r.changes.iter().find(|c| c.change.teacher_id() == gone).unwrap();
    assert!(matches!(&line.reason, Reason::Asked(c) if c.action == ChangeAction::Leave));
    assert!(r.fewest.proven && r.fewest.changes as usize == r.changes.len());
    assert!(audit(&r.county, &now_list(&r)).violations.is_empty());
}

#[test]
fn max_changes_allows_more_changes_for_a_plan_no_worse() {
    let county = anze();
    let published = anze_published(&county);
    let refusals = [stay(&published[0].teacher_id), stay(&published[1].teacher_id)];
    let fewest = replanned(replan(&county, &published, &refusals, 0, &options()).unwrap());
    let more = replanned(replan(&county, &published, &refusals, 3, &options()).unwrap());
    assert_eq!(more.fewest.changes, fewest.fewest.changes);
    assert_eq!(more.allowed, fewest.fewest.changes + 3);
    assert!(more.changes.len() as u32 <= more.allowed);
    assert!(fewest.changes.len() as u32 == fewest.fewest.changes);
    // More freedom never gives a worse plan.
    let (a, b) = (audit(&fewest.county, &now_list(&fewest)).objective, audit(&more.county, &now_list(&more)).objective);
    assert!(!a.is_better_than(&b), "{a} is better than {b}");
    // A change beyond the fewest only for a better plan: with much more
    // freedom and a plan no better, the list changes no more.
    let free = replanned(replan(&county, &published, &refusals, 1000, &options()).unwrap());
    let c = audit(&free.county, &now_list(&free)).objective;
    if !c.is_better_than(&a) {
        assert_eq!(free.changes.len(), fewest.changes.len(), "changes that gain nothing: {c} vs {a}");
    }
}

#[test]
fn replan_with_no_changes_gives_the_published_list_back() {
    let county = anze();
    let published = anze_published(&county);
    let r = replanned(replan(&county, &published, &[], 0, &options()).unwrap());
    assert_eq!(r.fewest.changes, 0);
    assert!(r.fewest.proven);
    assert!(r.changes.is_empty());
    let now: BTreeSet<ProposedMove> = now_list(&r).into_iter().collect();
    assert_eq!(now, published.into_iter().collect::<BTreeSet<_>>());
}

#[test]
fn replan_is_deterministic() {
    // The first tiny county with a plan that a refusal leaves feasible.
    let (county, published, changes) = (0..)
        .find_map(|seed| {
            let county = random_county(seed, TINY);
            let Outcome::Planned(p) = plan(&county, Vec::new(), &options()).unwrap() else { return None };
            let published = proposals(&county, &p);
            let changes = vec![stay(&published.first()?.teacher_id)];
            match replan(&county, &published, &changes, 1, &options()).unwrap() {
                ReplanOutcome::Replanned(_) => Some((county, published, changes)),
                _ => None,
            }
        })
        .unwrap();
    let bytes = || {
        let r = replanned(replan(&county, &published, &changes, 1, &options()).unwrap());
        let files = rotaplan::commands::replan::files(&county, &r, &changes, Lang::Zh).unwrap();
        // summary.json and the report state seconds; the lists do not.
        ["changes.csv", "requested_changes.csv", "rotations.csv", "schools.csv"]
            .map(|n| String::from_utf8(files.get(n).unwrap().to_vec()).unwrap())
    };
    assert_eq!(bytes(), bytes());
}

// ------------------------------------------------------------ the changes file

fn tiny() -> County {
    load(&fixture("tiny"), None).unwrap().county
}

fn changes_problems(text: &str) -> Vec<String> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("changes.csv");
    std::fs::write(&path, text).unwrap();
    match read_changes(&path, &tiny()) {
        Err(Error::Input(problems)) => problems
            .iter()
            .map(|p| format!("{}: {}: {} | {:?}", p.location, p.column, p.message, p.message_zh))
            .collect(),
        Ok(c) => panic!("accepted: {c:?}"),
        Err(other) => panic!("{other}"),
    }
}

#[test]
fn changes_file_reads_lock_rows_and_leave_in_both_languages() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("changes.csv");
    std::fs::write(&path, "教师编号,操作,学校代码,备注\n1011,留任,,家中有事\n1013,离岗,,调离\n1021,forbid,S01,\n")
        .unwrap();
    let changes = read_changes(&path, &tiny()).unwrap();
    assert_eq!(
        changes,
        vec![
            change("1011", ChangeAction::Lock(LockAction::Stay), None, "家中有事"),
            change("1013", ChangeAction::Leave, None, "调离"),
            change("1021", ChangeAction::Lock(LockAction::Forbid), Some("S01"), ""),
        ]
    );
}

#[test]
fn changes_file_problems_name_the_line_and_column() {
    let problems = changes_problems(
        "teacher_id,action,school_id,note\n\
         9999,leave,,\n\
         1013,quit,,\n\
         1015,leave,S01,\n\
         1016,leave,,\n\
         1016,stay,,\n\
         1012,stay,,\n\
         1008,move,,\n",
    );
    let all = problems.join("\n");
    assert!(all.contains("changes.csv:2: teacher_id: unknown teacher \"9999\""), "{all}");
    assert!(all.contains("changes.csv:3: action: unknown action \"quit\""), "{all}");
    assert!(all.contains("leave"), "{all}");
    assert!(all.contains("changes.csv:4: school_id: a leave row takes no school"), "{all}");
    assert!(all.contains("changes.csv:6: action: teacher \"1016\" leaves on line 5"), "{all}");
    // 1012 has a move lock in locks.csv.
    assert!(all.contains("changes.csv:7: action: stay contradicts the move lock of locks.csv"), "{all}");
    // 1008 may not rotate (a lock row is checked as in locks.csv).
    assert!(all.contains("changes.csv:8: action: teacher \"1008\" may not rotate"), "{all}");
    assert!(all.contains("离岗"), "{all}");
}

// ------------------------------------------------------------ the command

fn rotaplan() -> Command {
    Command::cargo_bin("rotaplan").unwrap()
}

#[test]
fn replan_command_writes_changes_csv_and_the_report_part() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("plan");
    rotaplan().args(["plan", "data/anze", "-q", "-o"]).arg(&out).assert().success();
    let list = out.join("rotations.csv");
    let text = std::fs::read_to_string(&list).unwrap();
    let first = text.lines().nth(1).unwrap().split(',').next().unwrap().to_string();
    let changes = dir.path().join("changes.csv");
    std::fs::write(&changes, format!("teacher_id,action,school_id,note\n{first},stay,,family\n")).unwrap();
    let replanned = dir.path().join("replan");
    let run = rotaplan()
        .args(["replan", "data/anze", "--lang", "en", "--published"])
        .arg(&list)
        .arg("--changes")
        .arg(&changes)
        .arg("-o")
        .arg(&replanned)
        .assert()
        .success();
    let stdout = String::from_utf8(run.get_output().stdout.clone()).unwrap();
    assert!(stdout.contains("2 changes from the published list (fewest needed: 2, proven minimal)"), "{stdout}");
    let csv = std::fs::read_to_string(replanned.join("changes.csv")).unwrap();
    assert!(csv.starts_with("\u{feff}teacher_id,name,change,published_to,now_to,reason"), "{csv}");
    assert!(csv.contains(&format!("{first},")) && csv.contains(",dropped,") && csv.contains(",added,"), "{csv}");
    assert!(csv.contains("refuses the move (stays): family"), "{csv}");
    let report = std::fs::read_to_string(replanned.join("report.html")).unwrap();
    assert!(report.contains("<section id=\"changes\">") && report.contains("Changes from the published list"));
    // The changes part's backbone share is the plan's own (principals'
    // moves outside it, as in summary.json and the terminal).
    let summary: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(replanned.join("summary.json")).unwrap()).unwrap();
    assert!(summary["principals"]["moves"].as_u64().unwrap() > 0, "data/anze rotates principals: {summary}");
    let share = format!("{:.1}%", 100.0 * summary["backbone_share"].as_f64().unwrap());
    let row = report.split("<td>Backbone share</td>").nth(1).unwrap().split("</tr>").next().unwrap();
    assert!(row.ends_with(&format!("<td class=\"num\">{share}</td>")), "{row} against {share}");
    let moves = summary["teacher_moves"].as_u64().unwrap();
    assert_eq!(moves + summary["principals"]["moves"].as_u64().unwrap(), summary["moves"].as_u64().unwrap());
    let row = report.split("<td>Moves (in the shares)</td>").nth(1).unwrap().split("</tr>").next().unwrap();
    assert!(row.ends_with(&format!("<td class=\"num\">{moves}</td>")), "{row} against {moves}");
    for name in ["rotations.csv", "schools.csv", "summary.json", "plan.xlsx"] {
        assert!(replanned.join(name).is_file(), "{name}");
    }
    // In Chinese by default.
    let zh = dir.path().join("replan-zh");
    rotaplan()
        .args(["replan", "data/anze", "-q", "--published"])
        .arg(&list)
        .arg("--changes")
        .arg(&changes)
        .arg("-o")
        .arg(&zh)
        .assert()
        .success();
    let report = std::fs::read_to_string(zh.join("report.html")).unwrap();
    assert!(report.contains("与公示名单相比的变动") && report.contains("已证明为最少"));
}

#[test]
fn replan_command_exits_3_with_a_diagnosis_when_no_plan_exists() {
    // tests/fixtures/tiny has no plan whatever the changes (its locks conflict).
    let dir = tempfile::tempdir().unwrap();
    let list = dir.path().join("rotations.csv");
    std::fs::write(&list, "teacher_id,to_school\n1012,S01\n").unwrap();
    let changes = dir.path().join("changes.csv");
    std::fs::write(&changes, "teacher_id,action,school_id,note\n").unwrap();
    let out = dir.path().join("out");
    rotaplan()
        .args(["replan", "-q", "--published"])
        .arg(&list)
        .arg("--changes")
        .arg(&changes)
        .arg("-o")
        .arg(&out)
        .arg(fixture("tiny"))
        .assert()
        .code(3);
    assert!(out.join("diagnosis.json").is_file());
}

#[test]
fn replan_refuses_a_published_list_with_unknown_or_repeated_teachers() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("plan");
    rotaplan().args(["plan", "data/anze", "-q", "-o"]).arg(&out).assert().success();
    let text = std::fs::read_to_string(out.join("rotations.csv")).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let first = lines[1].split_once(',').unwrap().1;
    let own = {
        // The second mover sent to their own school.
        let cells: Vec<&str> = lines[2].split(',').collect();
        let (from, to) = (cells[4], cells[5]);
        lines[2].replacen(&format!(",{from},{to},"), &format!(",{from},{from},"), 1)
    };
    let mut edited = vec![lines[0].to_string(), format!("T9999,{first}"), own];
    edited.extend(lines[3..].iter().map(|l| l.to_string()));
    edited.push(lines[3].to_string());
    let published = dir.path().join("published.csv");
    std::fs::write(&published, edited.join("\n")).unwrap();
    let changes = dir.path().join("changes.csv");
    std::fs::write(&changes, "teacher_id,action\n").unwrap();
    let refused = |list: &Path| {
        let run = rotaplan()
            .args(["replan", "data/anze", "--lang", "en", "--published"])
            .arg(list)
            .arg("--changes")
            .arg(&changes)
            .arg("-o")
            .arg(dir.path().join("replan"))
            .assert()
            .code(2);
        String::from_utf8(run.get_output().stderr.clone()).unwrap()
    };
    let stderr = refused(&published);
    let repeated = lines[3].split(',').next().unwrap();
    let n = edited.len();
    assert!(stderr.contains("published.csv:2: teacher_id: teacher T9999 is not in the data"), "{stderr}");
    assert!(stderr.contains("published.csv:3: to_school:") && stderr.contains("already teaches at"), "{stderr}");
    assert!(stderr.contains(&format!("published.csv:{n}: teacher_id: teacher {repeated} is listed twice")), "{stderr}");
    assert!(!dir.path().join("replan").exists(), "nothing written");
    // A list of no rotation rows, and a return row of a teacher not on
    // exchange, are refused as score and advance refuse them.
    let header_only = dir.path().join("empty.csv");
    std::fs::write(&header_only, format!("{}\n", lines[0])).unwrap();
    let extend = dir.path().join("extend.csv");
    let first_id = lines[1].split(',').next().unwrap();
    std::fs::write(&extend, format!("teacher_id,to_school,kind\n{first_id},,extend\n")).unwrap();
    for (list, said) in
        [(&header_only, "the published list has no rotation rows"), (&extend, "is not in the exchange register")]
    {
        let stderr = refused(list);
        assert!(stderr.contains(said), "{stderr}");
    }
}
