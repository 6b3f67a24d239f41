//! Hard rules under every lock and road graph (issue 11): locks of every
//! kind combine (a `move` lock with `forbid` locks never sends the teacher to
//! a forbidden school), and with roads.csv a pair of schools with no road
//! path is not an allowed move (never a move of 0 km).

use assert_cmd::Command;
use rotaplan::domain::changes::ProposedMove;
use rotaplan::domain::policy::Policy;
use rotaplan::domain::{County, Level, Lock, LockAction, Road, SchoolKind, Subject};
use rotaplan::plan::{Outcome, Plan};
use rotaplan::rules::audit::audit;

use crate::plan::{
    check_plan, conflict, detail, exact, expect_infeasible, fix, lines, listing, lock, run_plan, school, teacher, words,
};

/// Where the plan sends a teacher (None: the teacher stays).
fn destination(county: &County, p: &Plan, teacher_id: &str) -> Option<String> {
    p.moves.iter().find(|m| county.teachers[m.teacher].id == teacher_id).map(|m| county.schools[m.to].id.clone())
}

/// Three primary schools alike but for where they lie: P2 is 1.4 km from P1,
/// P3 14 km. T1 at P1 is the only eligible teacher and the plan moves one
/// teacher (min_share = max_share = 1), so stages 1–3 tie between P2 and P3
/// and the distance picks P2 unless a lock says otherwise.
fn lock_county(locks: Vec<Lock>, min_share: &str) -> County {
    let schools = vec![
        school("P1", SchoolKind::Primary, [200, 0], Some((36.00, 112.00))),
        school("P2", SchoolKind::Primary, [200, 0], Some((36.01, 112.00))),
        school("P3", SchoolKind::Primary, [200, 0], Some((36.10, 112.00))),
    ];
    let mut teachers = vec![teacher("T1", "P1", Level::Primary, Subject::Other)];
    for (i, s) in ["P1", "P2", "P3"].iter().enumerate() {
        let mut newcomer = teacher(&format!("N{}", i + 1), s, Level::Primary, Subject::Other);
        newcomer.school_since = 2024;
        teachers.push(newcomer);
    }
    let mut policy = Policy::default();
    policy.rotation.min_share = exact(min_share);
    policy.rotation.max_share = exact("1");
    policy.rotation.backbone_min_share = exact("0");
    policy.movement.headcount_tolerance = 1;
    County::new(schools, teachers, policy, locks, Vec::new(), Vec::new())
}

fn planned(county: &County, what: &str) -> Plan {
    match run_plan(county) {
        Outcome::Planned(p) => {
            check_plan(county, &p, what);
            p
        }
        Outcome::Infeasible(d) => panic!("{what}: expected a plan, got {:?}", lines(&d)),
        Outcome::OutOfTime(stop) => panic!("{what}: no plan within the time limit ({} s)", stop.seconds),
    }
}

#[test]
fn issue11_move_lock_with_forbid_never_goes_to_the_forbidden_school() {
    use LockAction::{Forbid, Move, MoveTo, Stay};
    let forbid = |s| lock("T1", Forbid, Some(s));
    let cases: Vec<(&str, Vec<Lock>, &str, Option<&str>)> = vec![
        ("no lock", vec![], "1", Some("P2")),
        ("move + forbid P2", vec![lock("T1", Move, None), forbid("P2")], "1", Some("P3")),
        ("forbid P2 + move", vec![forbid("P2"), lock("T1", Move, None)], "1", Some("P3")),
        ("move + forbid P2 twice", vec![lock("T1", Move, None), forbid("P2"), forbid("P2")], "1", Some("P3")),
        ("forbid P2 alone", vec![forbid("P2")], "1", Some("P3")),
        ("move_to P3 + forbid P2", vec![lock("T1", MoveTo, Some("P3")), forbid("P2")], "1", Some("P3")),
        (
            "move + move_to P3 + forbid P2",
            vec![lock("T1", Move, None), lock("T1", MoveTo, Some("P3")), forbid("P2")],
            "1",
            Some("P3"),
        ),
        ("move + forbid P3", vec![lock("T1", Move, None), forbid("P3")], "1", Some("P2")),
        ("stay + forbid P2", vec![lock("T1", Stay, None), forbid("P2")], "0", None),
        ("forbid P1 (its own school) + move", vec![forbid("P1"), lock("T1", Move, None)], "1", Some("P2")),
    ];
    for (what, locks, min_share, expected) in cases {
        let county = lock_county(locks, min_share);
        let p = planned(&county, what);
        assert_eq!(destination(&county, &p, "T1").as_deref(), expected, "{what}");
    }
    // Every school forbidden: no plan, and the diagnosis names the lock.
    let county = lock_county(vec![lock("T1", Move, None), forbid("P2"), forbid("P3")], "1");
    let d = expect_infeasible(&county, "move with both other schools forbidden");
    let c = conflict(&d, "locks");
    assert!(detail(c).contains("T1") && detail(c).contains("P2, P3"), "{}", detail(c));
    // The auditor holds each lock of a combination on its own.
    let county = lock_county(vec![lock("T1", Move, None), forbid("P2")], "1");
    let verdict = audit(&county, &[ProposedMove::new("T1", "P2")]);
    let locks: Vec<_> = verdict.of_rule(rotaplan::rules::rule::Rule::Locks).collect();
    assert_eq!(locks.len(), 1, "{}", listing(&verdict.violations));
    assert!(words(locks[0]).contains("may not go to P2"), "{}", words(locks[0]));
    let verdict = audit(&county, &[]);
    assert!(
        verdict.of_rule(rotaplan::rules::rule::Rule::Locks).any(|v| words(v).contains("locked to move")),
        "{}",
        listing(&verdict.violations)
    );
}

/// The lock county as files, planned and scored by the binary as a user
/// runs it: `score` accepts the unedited plan (it exited 4 when the plan
/// sent the teacher to the forbidden school).
#[test]
fn issue11_score_accepts_the_plan_of_a_move_and_forbid_lock() {
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path().join("data");
    std::fs::create_dir_all(&data).unwrap();
    std::fs::write(
        data.join("schools.csv"),
        "school_id,name,town,kind,area,primary_students,junior_students,primary_classes,junior_classes,lat,lon\n\
         P1,P1 school,east,primary,rural,200,0,5,0,36.00,112.00\n\
         P2,P2 school,east,primary,rural,200,0,5,0,36.01,112.00\n\
         P3,P3 school,east,primary,rural,200,0,5,0,36.10,112.00\n",
    )
    .unwrap();
    std::fs::write(
        data.join("teachers.csv"),
        "teacher_id,name,school_id,section,subject,degree,backbone,gender,birth_year,school_since,certified\n\
         T1,teacher T1,P1,primary,other,bachelor,none,F,1985,2010,yes\n\
         N1,teacher N1,P1,primary,other,bachelor,none,F,1985,2024,yes\n\
         N2,teacher N2,P2,primary,other,bachelor,none,F,1985,2024,yes\n\
         N3,teacher N3,P3,primary,other,bachelor,none,F,1985,2024,yes\n",
    )
    .unwrap();
    std::fs::write(data.join("locks.csv"), "teacher_id,action,school_id,note\nT1,move,,\nT1,forbid,P2,\n").unwrap();
    std::fs::write(
        data.join("policy.toml"),
        "[rotation]\nmin_share = 1\nmax_share = 1\nbackbone_min_share = 0\n[movement]\nheadcount_tolerance = 1\n",
    )
    .unwrap();
    let out = dir.path().join("plan");
    Command::cargo_bin("rotaplan")
        .unwrap()
        .args(["plan", "--quiet", "--lang", "en"])
        .arg(&data)
        .arg("-o")
        .arg(&out)
        .assert()
        .success();
    let rotations = std::fs::read_to_string(out.join("rotations.csv")).unwrap();
    assert!(rotations.contains(",P1,P3,"), "T1 goes to P3:\n{rotations}");
    let scored = Command::cargo_bin("rotaplan")
        .unwrap()
        .args(["score", "--lang", "en"])
        .arg(&data)
        .arg(out.join("rotations.csv"))
        .arg("-o")
        .arg(dir.path().join("score"))
        .output()
        .unwrap();
    assert_eq!(
        scored.status.code(),
        Some(0),
        "stdout: {}\nstderr: {}",
        String::from_utf8_lossy(&scored.stdout),
        String::from_utf8_lossy(&scored.stderr)
    );
}

fn road(from: &str, to: &str, km: f64) -> Road {
    Road { from: from.to_string(), to: to.to_string(), km }
}

/// Four primary schools alike, two in town East (R1, R2) and two in town
/// West (R3, R4); each has two eligible teachers and a newcomer. The roads
/// join R1–R2 and R3–R4 only: two pieces. Half the eligible teachers move,
/// with a headcount tolerance of 0.
fn road_county(roads: Vec<Road>) -> County {
    let mut schools = Vec::new();
    let mut teachers = Vec::new();
    for (i, town) in ["East", "East", "West", "West"].iter().enumerate() {
        let id = format!("R{}", i + 1);
        let mut s = school(&id, SchoolKind::Primary, [200, 0], None);
        s.town = town.to_string();
        schools.push(s);
        for j in 1..=2 {
            teachers.push(teacher(&format!("T{}{j}", i + 1), &id, Level::Primary, Subject::Other));
        }
        let mut newcomer = teacher(&format!("N{}", i + 1), &id, Level::Primary, Subject::Other);
        newcomer.school_since = 2024;
        teachers.push(newcomer);
    }
    let mut policy = Policy::default();
    policy.rotation.min_share = exact("0.5");
    policy.rotation.max_share = exact("0.5");
    policy.rotation.backbone_min_share = exact("0");
    policy.movement.headcount_tolerance = 0;
    County::new(schools, teachers, policy, Vec::new(), roads, Vec::new())
}

fn piece(school_id: &str) -> &'static str {
    if matches!(school_id, "R1" | "R2") {
        "East"
    } else {
        "West"
    }
}

#[test]
fn issue11_no_move_between_schools_without_a_road_path() {
    let county = road_county(vec![road("R1", "R2", 5.0), road("R3", "R4", 6.0)]);
    let p = planned(&county, "two road pieces");
    assert_eq!(p.moves.len(), 4);
    for m in &p.moves {
        let (from, to) = (&county.schools[m.from].id, &county.schools[m.to].id);
        assert_eq!(piece(from), piece(to), "a move from {from} to {to} has no road path");
        assert!(m.km.is_some_and(|km| km > 0.0), "a move of unknown or 0 km: {m:?}");
    }
    assert!(p.distance_km() >= 20.0, "four moves of at least 5 km: {}", p.distance_km());
    // The auditor rejects a move between the pieces, whatever max_distance_km is.
    let verdict = audit(&county, &[ProposedMove::new("T11", "R3"), ProposedMove::new("T31", "R1")]);
    let distance: Vec<_> = verdict.of_rule(rotaplan::rules::rule::Rule::Distance).collect();
    assert_eq!(distance.len(), 2, "{}", listing(&verdict.violations));
    assert!(words(distance[0]).contains("no road path"), "{}", words(distance[0]));
    // A road between the pieces joins them.
    let county = road_county(vec![road("R1", "R2", 5.0), road("R3", "R4", 6.0), road("R2", "R3", 1.0)]);
    let verdict = audit(&county, &[ProposedMove::new("T11", "R3"), ProposedMove::new("T31", "R1")]);
    assert_eq!(verdict.of_rule(rotaplan::rules::rule::Rule::Distance).count(), 0, "{}", listing(&verdict.violations));
}

#[test]
fn issue11_missing_roads_that_make_the_plan_impossible_are_diagnosed() {
    // R4 is on no road; its teachers must move (locks would be refused at
    // once, so make R4's teachers the only eligible ones instead).
    let mut county = road_county(vec![road("R1", "R2", 5.0), road("R2", "R3", 6.0)]);
    for t in county.teachers.iter_mut().filter(|t| t.school_id != "R4") {
        t.school_since = 2024;
    }
    county.policy.rotation.min_share = exact("0.5");
    county.policy.movement.headcount_tolerance = 1;
    let d = expect_infeasible(&county, "the only eligible teachers are at a school on no road");
    let c = conflict(&d, "roads");
    assert!(detail(c).contains("R4→"), "{}", detail(c));
    assert!(fix(c).contains("roads.csv"), "{}", fix(c));
    // A move lock there is a lock conflict that says why.
    let mut county = road_county(vec![road("R1", "R2", 5.0), road("R2", "R3", 6.0)]);
    county.locks.push(lock("T41", LockAction::Move, None));
    let d = expect_infeasible(&county, "a move lock at a school on no road");
    let c = conflict(&d, "locks");
    assert!(detail(c).contains("T41") && detail(c).contains("road path"), "{}", detail(c));
    // And a move_to lock across the gap.
    let mut county = road_county(vec![road("R1", "R2", 5.0), road("R3", "R4", 6.0)]);
    county.locks.push(lock("T11", LockAction::MoveTo, Some("R3")));
    let d = expect_infeasible(&county, "a move_to lock across the gap");
    let c = conflict(&d, "locks");
    assert!(detail(c).contains("no road path between R1 and R3"), "{}", detail(c));
}

/// A plan without moves prints 0.0 km, not -0.0 km.
#[test]
fn issue11_a_plan_without_moves_has_0_km() {
    let county = lock_county(Vec::new(), "0");
    let mut county = county;
    county.policy.rotation.max_share = exact("0");
    let p = planned(&county, "no moves allowed");
    assert!(p.moves.is_empty());
    assert!(p.distance_km().is_sign_positive(), "{}", p.distance_km());
    let text = rotaplan::render::terminal::plan_terminal_summary(&county, &p, rotaplan::render::Lang::En);
    assert!(text.contains("distance: 0.0 km") && !text.contains("-0.0"), "{text}");
    let files = rotaplan::render::output::plan_files(&county, &p, rotaplan::render::Lang::En).expect("plan files");
    let summary = String::from_utf8_lossy(files.get("summary.json").expect("summary.json")).into_owned();
    assert!(!summary.contains("-0.0"), "{summary}");
}

/// `check` finds before any solve what no plan can meet (issue 11 point 10):
/// a `move_to` lock beyond `max_distance_km` is a conflict, exit 3, named
/// with the teacher; `plan` on the same data exits 3 too.
#[test]
fn issue11_check_reports_a_lock_no_plan_can_keep() {
    let dir = tempfile::tempdir().expect("temp folder");
    let data = dir.path().join("county");
    crate::common::copy_folder(&crate::common::fixture("tiny"), &data);
    // S01 and S02 are named in roads.csv: join them to their town.
    let roads = std::fs::read_to_string(data.join("roads.csv")).expect("roads");
    std::fs::write(data.join("roads.csv"), format!("{roads}S01,府城镇,1\nS02,府城镇,1\n")).expect("write roads");
    Command::cargo_bin("rotaplan").expect("binary").arg("check").arg(&data).assert().code(0);
    let policy = std::fs::read_to_string(data.join("policy.toml"))
        .expect("policy")
        .replace("max_distance_km = 60", "max_distance_km = 10");
    std::fs::write(data.join("policy.toml"), policy).expect("write policy");
    let out = Command::cargo_bin("rotaplan").expect("binary").args(["check"]).arg(&data).output().expect("runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "check exits 3 on a lock no plan can keep:\n{stderr}");
    assert!(stderr.contains("1005") && stderr.contains("S03") && stderr.contains("[locks]"), "{stderr}");
    let plan = Command::cargo_bin("rotaplan")
        .expect("binary")
        .arg("plan")
        .arg(&data)
        .arg("-o")
        .arg(dir.path().join("out"))
        .output()
        .expect("runs");
    assert_eq!(plan.status.code(), Some(3), "{}", String::from_utf8_lossy(&plan.stderr));
}

/// With roads.csv, a school on no road can neither send nor receive, and a
/// school named in roads.csv reaches only through the roads naming it:
/// every command warns, naming the school and its town.
#[test]
fn issue11_a_school_on_no_road_is_warned_about() {
    let dir = tempfile::tempdir().expect("temp folder");
    let data = dir.path().join("county");
    crate::common::copy_folder(&crate::common::fixture("tiny"), &data);
    std::fs::write(data.join("roads.csv"), "from,to,km\nS01,S02,2.5\n府城镇,和川镇,28\n").expect("write roads");
    let out = Command::cargo_bin("rotaplan")
        .expect("binary")
        .args(["--lang", "en", "check"])
        .arg(&data)
        .output()
        .expect("runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("S04") && stderr.contains("马壁乡") && stderr.contains("on no road"), "{stderr}");
    assert!(!stderr.contains("school S03 "), "S03's town is on a road:\n{stderr}");
    // S01 and S02 name only each other: neither reaches 府城镇.
    assert!(stderr.contains("school S01") && stderr.contains("none of them leads to its town"), "{stderr}");
}

/// With roads.csv given by town only, two schools of one town share the
/// town's node: a move between them is allowed, but the roads do not say
/// how far it is, so it is never 0 km. With coordinates it is the
/// great-circle distance × road_factor; without them it is unknown (an
/// empty cell), and with max_distance_km set such a move is not allowed.
#[test]
fn issue11_a_move_within_a_town_of_the_road_graph_is_never_0_km() {
    // East–West by road; R1, R2 in East and R3, R4 in West share their town's node.
    let mut county = road_county(vec![road("East", "West", 20.0)]);
    let spots = [(36.00, 112.00), (36.02, 112.00), (36.30, 112.00), (36.32, 112.00)];
    for (s, at) in county.schools.iter_mut().zip(spots) {
        s.location = Some(at);
    }
    let county = County::new(county.schools, county.teachers, county.policy, Vec::new(), county.roads, Vec::new());
    let p = planned(&county, "town roads with coordinates");
    assert_eq!(p.moves.len(), 4);
    for m in &p.moves {
        let km = m.km.expect("a known distance");
        assert!(km > 0.0, "a move of 0 km: {m:?}");
        let (a, b) = (county.schools[m.from].location.expect("at"), county.schools[m.to].location.expect("at"));
        if county.schools[m.from].town == county.schools[m.to].town {
            let expected = rotaplan::rules::distance::great_circle_km(a, b) * county.policy.movement.road_factor;
            assert!((km - expected).abs() < 1e-9, "{km} vs {expected}");
        }
    }
    // Without coordinates the distance within a town is unknown, not 0 …
    let county = road_county(vec![road("East", "West", 20.0)]);
    let p = planned(&county, "town roads without coordinates");
    assert_eq!(p.moves.len(), 4);
    for m in &p.moves {
        assert!(m.km.is_none_or(|km| km > 0.0), "a move of 0 km: {m:?}");
        if county.schools[m.from].town == county.schools[m.to].town {
            assert_eq!(m.km, None, "{m:?}");
        }
    }
    // … and with a distance limit such a move is not allowed.
    let mut county = road_county(vec![road("East", "West", 20.0)]);
    county.policy.movement.max_distance_km = 30.0;
    let verdict = audit(&county, &[ProposedMove::new("T11", "R2")]);
    let distance: Vec<_> = verdict.of_rule(rotaplan::rules::rule::Rule::Distance).collect();
    assert_eq!(distance.len(), 1, "{}", listing(&verdict.violations));
    assert!(words(distance[0]).contains("unknown"), "{}", words(distance[0]));
    let verdict = audit(&county, &[ProposedMove::new("T11", "R3")]);
    assert_eq!(verdict.of_rule(rotaplan::rules::rule::Rule::Distance).count(), 0, "{}", listing(&verdict.violations));
}
