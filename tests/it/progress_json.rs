//! Issue 16: progress as JSON for `rotaplan serve` (`render::progress::progress_json`)
//! and the hidden `--progress-format json` of the binary.

use std::path::Path;

use assert_cmd::Command;
use rotaplan::model::Stage;
use rotaplan::plan::Progress;
use rotaplan::render::progress::{progress_json, progress_line};
use rotaplan::solve::StageStatus;
use rotaplan::Lang;
use serde_json::Value;

/// One event of every kind, with the id it must give.
fn every_event() -> Vec<(Progress, &'static str)> {
    let status = StageStatus::TimeLimit;
    vec![
        (Progress::FeasibilityStarted { profiles: 3, columns: 40, rows: 50 }, "feasibility_started"),
        (Progress::FeasibilityFound { seconds: 0.5 }, "feasibility_found"),
        (Progress::StageStarted { stage: Stage::CvSquares }, "stage_started"),
        (Progress::StaleColumns { stage: Stage::Shortfall }, "stale_columns"),
        (Progress::StageSolved { stage: Stage::SubjectGaps, status, objective: 7.0, seconds: 1.25 }, "stage_solved"),
        (Progress::CountsSolved { vector: 2, status, objective: 12.5, seconds: 0.25 }, "counts_solved"),
        (Progress::NoOtherCounts { stage: Stage::Wish(2), structure: false, seconds: 0.75 }, "no_other_counts"),
        (Progress::FullDistance, "full_distance"),
        (Progress::HiresStandingStarted, "hires_standing_started"),
        (Progress::HiresStanding { score: 4, reachable: 9, status }, "hires_standing"),
        (Progress::HiresFewestStarted, "hires_fewest_started"),
        (Progress::HiresFewest { hires: 6, status }, "hires_fewest"),
        (Progress::HiresPlanStarted, "hires_plan_started"),
        (Progress::LeversStandingStarted, "levers_standing_started"),
        (Progress::LeversStanding { score: 5, reachable: 9, status }, "levers_standing"),
        (Progress::LeversCheapestStarted, "levers_cheapest_started"),
        (Progress::LeversCheapest { cost: 120, status }, "levers_cheapest"),
        (Progress::LeversPlanStarted, "levers_plan_started"),
        (Progress::ScenarioDone { scenario: "baseline".into() }, "scenario_done"),
    ]
}

#[test]
fn issue16_every_progress_event_gives_its_id_and_its_line() {
    let mut ids = std::collections::BTreeSet::new();
    for (event, id) in every_event() {
        for lang in [Lang::Zh, Lang::En] {
            let json = progress_json(&event, lang);
            assert_eq!(json["event"], id, "{event:?}");
            assert_eq!(json["text"], progress_line(&event, lang), "{event:?}");
        }
        assert!(id.chars().all(|c| c.is_ascii_lowercase() || c == '_'), "{id} is snake_case");
        assert!(ids.insert(id), "{id} is given twice");
    }
}

#[test]
fn issue16_stage_events_name_their_stage_status_and_figures() {
    let solved = Progress::StageSolved {
        stage: Stage::SubjectGaps,
        status: StageStatus::TimeLimit,
        objective: 7.0,
        seconds: 1.25,
    };
    let zh = progress_json(&solved, Lang::Zh);
    assert_eq!(zh["stage"], "subject_gaps");
    assert_eq!(zh["stage_number"], "2.1");
    assert_eq!(zh["stage_name"], "学科缺员");
    assert_eq!(zh["status"], "time_limit");
    assert_eq!(zh["objective"], 7.0);
    assert_eq!(zh["seconds"], 1.25);
    assert_eq!(progress_json(&solved, Lang::En)["stage_name"], "subject_gaps");

    let cv = progress_json(&Progress::StageStarted { stage: Stage::CvSquares }, Lang::En);
    assert_eq!((&cv["stage"], &cv["stage_number"]), (&Value::from("cv_squares"), &Value::from("3")));
    assert!(cv.get("status").is_none() && cv.get("seconds").is_none(), "{cv}");

    let wish =
        progress_json(&Progress::NoOtherCounts { stage: Stage::Wish(2), structure: false, seconds: 0.75 }, Lang::En);
    assert_eq!((&wish["stage"], &wish["stage_number"]), (&Value::from("wish_2"), &Value::from("3.5")));
    let counts = Progress::CountsSolved { vector: 2, status: StageStatus::Optimal, objective: 12.5, seconds: 0.25 };
    let counts = progress_json(&counts, Lang::Zh);
    assert_eq!(
        (&counts["stage"], &counts["vector"], &counts["status"]),
        (&"distance".into(), &2.into(), &"optimal".into())
    );
    let feasibility = progress_json(&Progress::FeasibilityStarted { profiles: 3, columns: 40, rows: 50 }, Lang::Zh);
    assert_eq!((&feasibility["stage"], &feasibility["stage_number"]), (&"feasibility".into(), &"0".into()));
    assert_eq!(feasibility["rows"], 50);

    let hires = progress_json(&Progress::HiresFewest { hires: 6, status: StageStatus::Infeasible }, Lang::En);
    assert!(hires.get("stage").is_none(), "{hires}");
    assert_eq!((&hires["hires"], &hires["status"]), (&6.into(), &"infeasible".into()));
    let unbounded = Progress::StageSolved {
        stage: Stage::Distance,
        status: StageStatus::Optimal,
        objective: f64::NAN,
        seconds: 1.0,
    };
    assert!(
        progress_json(&unbounded, Lang::En).get("objective").is_none(),
        "a figure that is not a number is left out"
    );
}

fn rotaplan() -> Command {
    Command::cargo_bin("rotaplan").unwrap()
}

/// Every stderr line of a run as JSON.
fn json_lines(stderr: &[u8]) -> Vec<Value> {
    let text = String::from_utf8(stderr.to_vec()).expect("UTF-8");
    text.lines()
        .map(|line| serde_json::from_str(line).unwrap_or_else(|e| panic!("not a JSON line ({e}): {line}")))
        .collect()
}

/// "3.4" → [3, 4], to compare stage numbers.
fn stage_order(number: &Value) -> Vec<u32> {
    number.as_str().expect("a stage number").split('.').map(|part| part.parse().expect("a number")).collect()
}

#[test]
fn issue16_plan_prints_its_progress_as_json_lines_ending_with_finished() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    rotaplan::commands::synth::write_county(&data, 11, 4).expect("synth");
    let out = dir.path().join("out");
    let run = rotaplan()
        .args(["plan", "--progress-format", "json", "--lang", "en"])
        .arg(&data)
        .arg("-o")
        .arg(&out)
        .assert()
        .success();
    let output = run.get_output();
    let lines = json_lines(&output.stderr);
    let solved: Vec<&Value> = lines.iter().filter(|l| l["event"] == "stage_solved").collect();
    let stages: Vec<&str> = solved.iter().map(|l| l["stage"].as_str().unwrap()).collect();
    assert_eq!(stages.first(), Some(&"compliance"), "{stages:?}");
    assert_eq!(stages.last(), Some(&"distance"), "{stages:?}");
    assert!(stages.contains(&"cv_squares"), "{stages:?}");
    let numbers: Vec<Vec<u32>> = solved.iter().map(|l| stage_order(&l["stage_number"])).collect();
    assert!(numbers.windows(2).all(|w| w[0] < w[1]), "stages in order: {numbers:?}");
    assert!(solved.iter().all(|l| l["status"].is_string() && l["seconds"].is_number()));
    assert_eq!(lines[0]["event"], "feasibility_started");
    let last = lines.last().unwrap();
    assert_eq!(last["event"], "finished");
    assert_eq!(last["exit"], 0);
    if Path::new("/proc/self/status").exists() {
        assert!(last["peak_rss_kb"].as_u64().is_some_and(|kb| kb > 1000), "{last}");
    }
    assert_eq!(lines.iter().filter(|l| l["event"] == "finished").count(), 1);
    // Everything else stays as it is: the summary on stdout, the files.
    let stdout = String::from_utf8(output.stdout.clone()).unwrap();
    assert!(stdout.contains("compliant sections") && stdout.contains('→'), "{stdout}");
    assert!(out.join("rotations.csv").exists());

    // Without the flag the lines are worded, as before.
    let text = rotaplan().args(["plan", "--force"]).arg(&data).arg("-o").arg(&out).assert().success();
    let stderr = String::from_utf8(text.get_output().stderr.clone()).unwrap();
    assert!(stderr.lines().any(|l| l.starts_with("  阶段 1/4 达标学段")), "{stderr}");
    assert!(!stderr.contains("\"event\""), "{stderr}");
}

#[test]
fn issue16_warnings_are_json_lines_and_bad_input_ends_without_finished() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    rotaplan::commands::synth::write_county(&data, 11, 4).expect("synth");
    let schools = std::fs::read_to_string(data.join("schools.csv")).unwrap();
    let widened: String = schools
        .lines()
        .enumerate()
        .map(|(i, l)| if i == 0 { format!("{l},remark\n") } else { format!("{l},\n") })
        .collect();
    std::fs::write(data.join("schools.csv"), widened).unwrap();
    let run = rotaplan().args(["check", "--progress-format", "json"]).arg(&data).assert().success();
    let lines = json_lines(&run.get_output().stderr);
    let warning = lines.iter().find(|l| l["event"] == "warning").expect("a warning line");
    assert!(warning["text"].as_str().unwrap().contains("remark"), "{warning}");
    assert_eq!(lines.last().unwrap()["event"], "finished");
    assert_eq!(lines.last().unwrap()["exit"], 0);

    std::fs::write(data.join("teachers.csv"), "teacher_id\n").unwrap();
    let bad = rotaplan().args(["check", "--progress-format", "json"]).arg(&data).assert().code(2);
    let stderr = String::from_utf8(bad.get_output().stderr.clone()).unwrap();
    assert!(stderr.contains("teachers.csv"), "the input problems are worded as before: {stderr}");
    assert!(!stderr.contains("\"finished\""), "{stderr}");
}
