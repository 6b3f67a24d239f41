//! Numbers and arguments are bounded and checked before any work (issue
//! 11, points 5, 6, 7, 10 and 11): sizes from arguments and scenario files,
//! every policy key, sums of input numbers, contradicting policy keys, the
//! time limit, hire ids, and the summary of stages that did not run.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use rotaplan::plan::{plan, Outcome, PlanOptions};

use crate::common::{copy_folder, fixture, workbook_from_folder};
use crate::score::small_county;

fn rotaplan() -> Command {
    Command::cargo_bin("rotaplan").unwrap()
}

/// Runs rotaplan with `args`; asserts exit 2, every text of `expected` in
/// stderr (in English), and that `out` (when given) was not written.
fn refused(args: &[&str], out: Option<&Path>, expected: &[&str]) {
    let output = rotaplan().args(["--lang", "en"]).args(args).output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{args:?}: {stderr}");
    for text in expected {
        assert!(stderr.contains(text), "{args:?}: expected {text:?} in {stderr}");
    }
    if let Some(out) = out {
        assert!(!out.exists(), "{args:?}: a refused run writes nothing");
    }
}

fn path(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// The problems of loading `data` with an override policy of `text`.
fn policy_problems(data: &Path, text: &str) -> Vec<String> {
    let dir = tempfile::tempdir().unwrap();
    let override_path = dir.path().join("override.toml");
    std::fs::write(&override_path, text).unwrap();
    match rotaplan::io::load(data, Some(&override_path)) {
        Ok(_) => Vec::new(),
        Err(rotaplan::error::Error::Input(problems)) => problems.iter().map(ToString::to_string).collect(),
        Err(other) => panic!("not an input error: {other}"),
    }
}

#[test]
fn issue11_hires_max_out_of_range_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let data = small_county(&tmp.path().join("county"));
    let out = tmp.path().join("out");
    for max in ["4294967295", "1000000", "201", "-1"] {
        refused(&["hires", path(&data), "--max", max, "-o", path(&out)], Some(&out), &["--max", "from 0 to 200"]);
    }
    // The library refuses the same budget.
    let county = rotaplan::io::load(&data, None).unwrap().county;
    let options = PlanOptions { time_limit: 60.0, ..Default::default() };
    match rotaplan::commands::hires::search(&county, 1_000_000, &[rotaplan::domain::Subject::Pe], &options) {
        Err(rotaplan::error::Error::Input(problems)) => {
            assert!(problems[0].to_string().contains("from 0 to 200"), "{}", problems[0])
        }
        _ => panic!("a budget of a million hires is an input error"),
    }
}

#[test]
fn issue11_synth_schools_out_of_range_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    for schools in ["1000000000000", "1e12", "0", "10001", "18446744073709551616"] {
        refused(
            &["synth", "--seed", "1", "--schools", schools, "-o", path(&out)],
            Some(&out),
            &["--schools", "from 1 to 10000"],
        );
    }
    match rotaplan::commands::synth::write_county(&out, 1, 10_001) {
        Err(rotaplan::error::Error::Input(problems)) => assert!(problems[0].to_string().contains("from 1 to 10000")),
        _ => panic!("10,001 schools is an input error"),
    }
    assert!(!out.exists());
}

#[test]
fn issue11_time_limit_must_be_finite_positive_and_at_most_a_day() {
    let tmp = tempfile::tempdir().unwrap();
    let data = small_county(&tmp.path().join("county"));
    let out = tmp.path().join("out");
    let list = tmp.path().join("rotations.csv");
    std::fs::write(&list, "teacher_id,to_school\n").unwrap();
    let scenario = tmp.path().join("s.toml");
    std::fs::write(&scenario, "data = \"county\"\n").unwrap();
    for limit in ["-1", "0", "NaN", "nan", "inf", "-inf", "86401", "1e300", "soon"] {
        let flag = format!("--time-limit={limit}");
        let expected: &[&str] = if limit == "soon" {
            &["--time-limit", "not a number"]
        } else {
            &["--time-limit", "above 0 and at most 86400"]
        };
        refused(&["plan", path(&data), &flag, "-o", path(&out)], Some(&out), expected);
        refused(&["score", path(&data), path(&list), &flag, "-o", path(&out)], Some(&out), expected);
        refused(&["whatif", path(&scenario), &flag, "-o", path(&out)], Some(&out), expected);
        refused(&["hires", path(&data), &flag, "-o", path(&out)], Some(&out), expected);
    }
    // A negative number given as a separate word is a value, not a flag.
    refused(&["plan", path(&data), "--time-limit", "-1", "-o", path(&out)], Some(&out), &["above 0 and at most 86400"]);
}

/// With a small limit a run ends with a valid plan (which `score` accepts)
/// or with a clear message and nothing written; which of the two depends on
/// the machine's speed, so both are accepted. With a limit of 1 ms the time
/// is up before stage 1 on any machine: the plan is the feasibility stage's,
/// kept by every stage.
#[test]
fn issue11_small_time_limit_gives_a_valid_plan_or_a_clear_error() {
    let tmp = tempfile::tempdir().unwrap();
    let data = small_county(&tmp.path().join("county"));
    for (i, limit) in ["0.001", "0.3"].iter().enumerate() {
        let out = tmp.path().join(format!("out{i}"));
        let output =
            rotaplan().args(["plan", "-q", path(&data), "--time-limit", limit, "-o", path(&out)]).output().unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        match output.status.code() {
            Some(0) => {
                let summary: serde_json::Value =
                    serde_json::from_slice(&std::fs::read(out.join("summary.json")).unwrap()).unwrap();
                let stages = summary["solver"]["stages"].as_array().unwrap();
                assert!(stages.len() >= 4, "{summary}");
                assert_eq!(stages[0]["stage"], "compliance", "{summary}");
                assert_eq!(stages[stages.len() - 1]["stage"], "distance", "{summary}");
                if *limit == "0.001" {
                    // The time is up before any stage: each keeps the
                    // feasibility stage's plan, with no bound.
                    for stage in stages {
                        assert_eq!(stage["status"], "time_limit", "{summary}");
                        assert!(stage["objective"].is_number(), "{summary}");
                        assert_eq!(stage["gap"], 1.0, "{summary}");
                    }
                }
                rotaplan().args(["score", "-q", path(&data)]).arg(out.join("rotations.csv")).assert().success();
            }
            Some(1) => {
                assert!(stderr.contains("时间上限") && stderr.contains("--time-limit"), "{stderr}");
                assert!(!out.exists(), "a failed run writes nothing");
            }
            other => panic!("limit {limit}: exit {other:?}: {stderr}"),
        }
    }
}

#[test]
fn issue11_summary_gives_null_for_a_stage_that_did_not_run() {
    let tmp = tempfile::tempdir().unwrap();
    let county = rotaplan::io::load(&small_county(&tmp.path().join("county")), None).unwrap().county;
    let options = PlanOptions { time_limit: 60.0, ..Default::default() };
    let Outcome::Planned(mut planned) = plan(&county, Vec::new(), &options).unwrap() else { panic!("feasible") };
    // As when the time ran out before the last two stages.
    for stage in &mut planned.stages[2..] {
        stage.status = None;
    }
    let summary = rotaplan::render::output::plan_summary(&county, &planned);
    let stages = summary["solver"]["stages"].as_array().unwrap();
    for (i, stage) in stages.iter().enumerate() {
        if i < 2 {
            assert!(stage["objective"].is_number() && stage["gap"].is_number(), "{stage}");
        } else {
            assert_eq!(stage["status"], "not_run");
            assert!(
                stage["objective"].is_null() && stage["gap"].is_null(),
                "a stage that did not run has no figures: {stage}"
            );
        }
    }
    assert!(summary["solver"]["gap"].is_null());
}

#[test]
fn issue11_every_policy_number_is_range_checked_with_its_range() {
    let tiny = fixture("tiny");
    let flags = [
        "include_principals",
        "count_in_teachers",
        "same_section",
        "within_alliance",
        "exchange.returns",
        "objective.subject_gaps",
        "objective.structure",
    ];
    let mut checked = 0;
    for key in rotaplan::io::policy_keys::known_keys() {
        if flags.iter().any(|f| key.ends_with(f)) {
            continue;
        }
        for value in ["4294967295", "2147483647", "-1", "1e9"] {
            let problems = policy_problems(&tiny, &format!("{key} = {value}\n"));
            assert_eq!(problems.len(), 1, "{key} = {value}: {problems:?}");
            let p = &problems[0];
            assert!(p.starts_with(&format!("override.toml:1: {key}: ")), "{p}");
            assert!(
                p.contains("out of range") && (p.contains(" from ") || p.contains(" above ")),
                "{key} = {value}: {p}"
            );
            checked += 1;
        }
    }
    assert!(checked > 100, "{checked}");
    // The wrapping values of the issue, and values just outside and inside.
    let cases = [
        ("eligibility.min_years_at_school = 4294967295", "give a whole number of years from 0 to 60"),
        ("rotation.years = 2147483647", "give a whole number of years from 1 to 20"),
        ("year = 1999", "give a year from 2000 to 2100"),
        ("eligibility.max_age_male = 17", "give an age in whole years from 18 to 80"),
        ("movement.max_distance_km = 10000.5", "give a distance in km from 0 to 10000"),
        ("movement.headcount_tolerance = 1001", "from 0 to 1000"),
        ("standards.backbone.primary = 0", "above 0 and at most 100"),
        ("standards.cv_limit.junior = 1.01", "above 0 and at most 1"),
        ("standards.class_size.primary = 201", "from 1 to 200"),
        ("staffing.load.junior = 0.5", "from 1 to 60"),
        ("staffing.primary.math = 61", "from 0 to 60"),
        ("rotation.min_share = 0.1234567", "give at most 6"),
        ("eligibility.min_years_at_school = 6.5", "not a whole number"),
    ];
    for (line, expected) in cases {
        let problems = policy_problems(&tiny, &format!("{line}\n"));
        assert!(problems.len() == 1 && problems[0].contains(expected), "{line}: {problems:?}");
    }
    let tmp = tempfile::tempdir().unwrap();
    let small = small_county(&tmp.path().join("county"));
    for line in [
        "year = 2100",
        "eligibility.min_years_at_school = 60",
        "rotation.years = 20",
        "staffing.primary.math = 0",
        "standards.cv_limit.junior = 1",
    ] {
        assert_eq!(policy_problems(&small, &format!("{line}\n")), Vec::<String>::new(), "{line}");
    }
}

#[test]
fn issue11_wrapping_policy_numbers_are_refused_by_check() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    copy_folder(&fixture("tiny"), &data);
    let text = "year = 2025\n[eligibility]\nmin_years_at_school = 4294967295\n[rotation]\nyears = 2147483647\n";
    std::fs::write(data.join("policy.toml"), text).unwrap();
    refused(
        &["check", path(&data)],
        None,
        &[
            "policy.toml:3: eligibility.min_years_at_school: 4294967295 is out of range; give a whole number of years from 0 to 60",
            "policy.toml:5: rotation.years: 2147483647 is out of range; give a whole number of years from 1 to 20",
        ],
    );
}

#[test]
fn issue11_policy_sheet_of_a_workbook_is_range_checked() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    copy_folder(&fixture("tiny"), &data);
    std::fs::write(data.join("policy.toml"), "year = 2025\n[eligibility]\nmin_years_at_school = 4294967295\n").unwrap();
    let book = tmp.path().join("book.xlsx");
    workbook_from_folder(&data, &book, false);
    refused(
        &["check", path(&book)],
        None,
        &[
            "book.xlsx policy!B",
            "eligibility.min_years_at_school: 4294967295 is out of range; give a whole number of years from 0 to 60",
        ],
    );
}

#[test]
fn issue11_min_share_above_max_share_is_an_input_error_found_by_check() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    copy_folder(&fixture("tiny"), &data);
    let override_path = tmp.path().join("override.toml");
    std::fs::write(&override_path, "[rotation]\nmin_share = 0.2\nmax_share = 0.1\n").unwrap();
    let expected = "override.toml:3: rotation.max_share: max_share 0.1 is below min_share 0.2";
    refused(
        &["check", path(&data), "--policy", path(&override_path)],
        None,
        &[expected, "set rotation.max_share ≥ rotation.min_share"],
    );
    let out = tmp.path().join("out");
    refused(&["plan", path(&data), "--policy", path(&override_path), "-o", path(&out)], Some(&out), &[expected]);
    // Set in two files: located where the later one was set.
    std::fs::write(&override_path, "rotation.min_share = 0.5\n").unwrap();
    let problems = policy_problems(&data, "rotation.min_share = 0.5\n");
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(
        problems[0].starts_with("override.toml:1: rotation.min_share: max_share 0.15 is below min_share 0.5"),
        "{problems:?}"
    );
    // A refused key makes up no contradiction from the default it keeps.
    let problems = policy_problems(&data, "rotation.min_share = 0.5\nrotation.max_share = 2\n");
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(problems[0].contains("rotation.max_share: 2 is out of range"), "{problems:?}");
    // In a scenario's [policy] too.
    small_county(&tmp.path().join("county"));
    let scenario = tmp.path().join("s.toml");
    std::fs::write(&scenario, "data = \"county\"\n[policy]\nrotation = { min_share = 0.2, max_share = 0.1 }\n")
        .unwrap();
    refused(
        &["whatif", path(&scenario), "-o", path(&out)],
        Some(&out),
        &["policy.rotation.max_share: max_share 0.1 is below min_share 0.2"],
    );
}

fn scenario_file(dir: &Path, body: &str) -> PathBuf {
    let path = dir.join("s.toml");
    std::fs::write(&path, format!("data = \"county\"\n{body}")).unwrap();
    path
}

#[test]
fn issue11_scenario_hire_count_is_bounded() {
    let tmp = tempfile::tempdir().unwrap();
    small_county(&tmp.path().join("county"));
    let out = tmp.path().join("out");
    let hire = |count: u64| {
        format!("[[hire]]\nsection = \"primary\"\nsubject = \"pe\"\ndegree = \"bachelor\"\ncount = {count}\n")
    };
    for body in [hire(10_000_000), hire(1001), format!("{}{}", hire(600), hire(600))] {
        let s = scenario_file(tmp.path(), &body);
        refused(&["whatif", path(&s), "-o", path(&out)], Some(&out), &["s.toml: hire:", "at most 1000"]);
    }
}

#[test]
fn issue11_scenario_student_numbers_are_bounded_and_merges_never_wrap() {
    let tmp = tempfile::tempdir().unwrap();
    let data = small_county(&tmp.path().join("county"));
    let county = rotaplan::io::load(&data, None).unwrap().county;
    let primary: Vec<&str> = county
        .schools
        .iter()
        .filter(|s| s.has(rotaplan::domain::Level::Primary) && s.students[0] > 0)
        .map(|s| s.id.as_str())
        .collect();
    let (a, b) = (primary[0], primary[1]);
    let out = tmp.path().join("out");
    let s = scenario_file(tmp.path(), &format!("[[enrollment]]\nschool_id = \"{a}\"\nprimary_students = 4294967295\n"));
    refused(
        &["whatif", path(&s), "-o", path(&out)],
        Some(&out),
        &["enrollment[0].primary_students: 4294967295 is out of range; give a number of students from 0 to 100000"],
    );
    let s = scenario_file(tmp.path(), &format!("[[enrollment]]\nschool_id = \"{a}\"\nprimary_classes = 4294967295\n"));
    refused(
        &["whatif", path(&s), "-o", path(&out)],
        Some(&out),
        &["enrollment[0].primary_classes: 4294967295 is out of range"],
    );
    // Both at the bound: their sum is above it.
    let s = scenario_file(
        tmp.path(),
        &format!(
            "[[enrollment]]\nschool_id = \"{a}\"\nprimary_students = 100000\n[[enrollment]]\nschool_id = \"{b}\"\nprimary_students = 100000\n\
             [[close]]\nschool_id = \"{b}\"\nmerge_into = \"{a}\"\n"
        ),
    );
    refused(
        &["whatif", path(&s), "-o", path(&out)],
        Some(&out),
        &["close[0].merge_into: merging", "more than 100000 students"],
    );
}

#[test]
fn issue11_hire_ids_never_collide_with_teacher_ids() {
    let tmp = tempfile::tempdir().unwrap();
    let data = small_county(&tmp.path().join("county"));
    let teachers = std::fs::read_to_string(data.join("teachers.csv")).unwrap();
    let teachers =
        teachers.replace("\nT0001,", "\nH001,").replace("\nT0003,", "\nh002,").replace("\nT0005,", "\nH004,");
    std::fs::write(data.join("teachers.csv"), teachers).unwrap();
    let county = rotaplan::io::load(&data, None).unwrap().county;
    let taken: std::collections::BTreeSet<String> = county.teachers.iter().map(|t| t.id.to_ascii_uppercase()).collect();
    assert!(taken.contains("H001") && taken.contains("H002") && taken.contains("H004"));
    assert_eq!(county.hire_ids(4), vec!["H003", "H005", "H006", "H007"]);
    // A what-if hire: hires.csv beside the real teachers.
    let s = scenario_file(tmp.path(), "[[hire]]\nsection = \"primary\"\nsubject = \"pe\"\ndegree = \"bachelor\"\ncount = 2\n[[hire]]\nsection = \"primary\"\nsubject = \"art\"\ndegree = \"bachelor\"\ncount = 1\n");
    let out = tmp.path().join("whatif");
    rotaplan().args(["whatif", "-q"]).arg(&s).arg("-o").arg(&out).assert().success();
    let hires = std::fs::read_to_string(out.join("s").join("hires.csv")).unwrap();
    let ids: Vec<String> = hires.lines().skip(1).map(|l| l.split(',').next().unwrap().to_string()).collect();
    assert_eq!(ids, vec!["H003", "H005", "H006"], "{hires}");
    // The hires search, with a PE standard that needs hires.
    let out = tmp.path().join("hires");
    let strict = tmp.path().join("strict.toml");
    std::fs::write(&strict, "[standards]\npe_arts = { primary = 3, junior = 3 }\n").unwrap();
    rotaplan()
        .args(["hires", "-q", "--max", "3", "--subjects", "pe", "--policy"])
        .arg(&strict)
        .arg(&data)
        .arg("-o")
        .arg(&out)
        .assert()
        .success();
    let hires = std::fs::read_to_string(out.join("hires.csv")).unwrap();
    let ids: Vec<&str> = hires.lines().skip(1).map(|l| l.split(',').next().unwrap()).collect();
    assert!(!ids.is_empty() && ids[..] == ["H003", "H005", "H006"][..ids.len()], "{hires}");
    // plan.xlsx has the hires too, on a sheet of their own.
    use calamine::Reader;
    let mut book: calamine::Xlsx<_> = calamine::open_workbook(out.join("plan.xlsx")).unwrap();
    let sheet = book.worksheet_range("新聘").expect("a 新聘 sheet");
    let first: Vec<String> = sheet.rows().skip(1).map(|r| r[0].to_string()).collect();
    assert_eq!(first, ids, "the sheet's hires are hires.csv's");
}

/// A hires search whose solves stop early (each at its first improving
/// plan: a work limit, not the machine's speed) still answers: the hires
/// it found, with a valid plan, marked not proven minimal. Before, the
/// search ignored the limit, and a later phase that ran out of time
/// discarded the answer the first phase had found.
#[test]
fn issue11_hires_stopped_early_returns_its_best_answer_not_proven_minimal() {
    use rotaplan::commands::hires::{search, HiresOutcome};
    let dir = tempfile::tempdir().unwrap();
    rotaplan::commands::synth::write_county(dir.path(), 25, 12).expect("synth");
    let mut county = rotaplan::io::load(dir.path(), None).expect("the synthetic county loads").county;
    // The model this test was written for (issue 15's periods and the
    // arrival types of the subject-gaps stage make HiGHS prove both phases
    // with its first plan).
    crate::curriculum::periods_before_issue15(&mut county.policy);
    county.policy.objective.subject_gaps = false;
    let subjects = rotaplan::commands::hires::DEFAULT_SUBJECTS;
    let options = PlanOptions { solution_limit: Some(1), ..PlanOptions::default() };
    let HiresOutcome::Found(found) = search(&county, 30, &subjects, &options).expect("the search answers") else {
        panic!("the synthetic county has a plan")
    };
    assert!(!found.minimal, "one improving plan a solve proves nothing: {:?}", found.phases);
    assert!(found.hires <= found.max && found.plan.hires.len() as u32 == found.hires, "{} hires", found.hires);
    let moves: Vec<_> = found
        .plan
        .moves
        .iter()
        .map(|m| {
            rotaplan::domain::changes::ProposedMove::new(
                county.teachers[m.teacher].id.clone(),
                county.schools[m.to].id.clone(),
            )
        })
        .collect();
    let audit = rotaplan::rules::audit::audit(&county, &moves);
    // The auditor sees the moves without the hires: a subject floor may
    // hold only with a hire of that subject placed at the section.
    let hired = |school: &Option<String>, level, subject| {
        found.plan.hires.iter().any(|h| {
            let g = &found.plan.hire_groups[h.group];
            Some(&county.schools[h.to].id) == school.as_ref() && g.level == level && g.subject == subject
        })
    };
    let unexplained: Vec<_> = audit
        .violations
        .iter()
        .filter(|v| match v.breach {
            rotaplan::rules::audit::Breach::BelowFloor { level, subject, .. } => !hired(&v.school_id, level, subject),
            _ => true,
        })
        .collect();
    assert!(unexplained.is_empty(), "{unexplained:?}");
    assert!(rotaplan::commands::hires::files(&county, &found, rotaplan::render::Lang::Zh).is_ok());
}

/// Rewrites column `column` of a CSV file with `edit(row, old value)`.
fn edit_column(file: &Path, column: &str, edit: &dyn Fn(usize, &str) -> String) {
    let text = std::fs::read_to_string(file).unwrap();
    let mut reader = csv::ReaderBuilder::new().has_headers(false).from_reader(text.as_bytes());
    let mut rows: Vec<Vec<String>> =
        reader.records().map(|r| r.unwrap().iter().map(str::to_string).collect()).collect();
    let index = rows[0].iter().position(|h| h == column).unwrap();
    for (i, row) in rows.iter_mut().enumerate().skip(1) {
        row[index] = edit(i, &row[index]);
    }
    let mut writer = csv::Writer::from_path(file).unwrap();
    for row in rows {
        writer.write_record(row).unwrap();
    }
    writer.flush().unwrap();
}

/// School names of 10,000 characters each are within a cell's limit, but a
/// move's reason names several schools: plan.xlsx cuts that cell to Excel's
/// limit (ending in "…") instead of failing after the solve; rotations.csv
/// keeps the whole text.
#[test]
fn issue11_written_cells_longer_than_excel_allows_are_cut_to_fit() {
    use calamine::{open_workbook, Data, Reader, Xlsx};
    let tmp = tempfile::tempdir().unwrap();
    let data = small_county(&tmp.path().join("county"));
    edit_column(&data.join("schools.csv"), "name", &|_, id| format!("{id}{}", "校".repeat(10_000)));
    rotaplan().args(["check", "-q"]).arg(&data).assert().success();
    let out = tmp.path().join("out");
    let output = rotaplan().args(["plan", "-q"]).arg(&data).arg("-o").arg(&out).output().unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let rotations = std::fs::read_to_string(out.join("rotations.csv")).unwrap();
    assert!(rotations.lines().any(|l| l.encode_utf16().count() > 40_000), "a reason names several schools");
    let mut book: Xlsx<_> = open_workbook(out.join("plan.xlsx")).unwrap();
    let sheet = book.worksheet_range_at(0).unwrap().unwrap();
    let texts: Vec<&String> =
        sheet.rows().flatten().filter_map(|c| if let Data::String(s) = c { Some(s) } else { None }).collect();
    assert!(texts.iter().all(|t| t.encode_utf16().count() <= 32_767));
    assert!(texts.iter().any(|t| t.encode_utf16().count() == 32_767 && t.ends_with('…')), "a cut cell ends in …");
}

/// Excel counts a cell's length in UTF-16 units, an emoji as two: a name of
/// 16,384 emoji (32,768 units) is refused by `check`, from CSV and from a
/// workbook, naming the cell, and nothing is solved.
#[test]
fn issue11_cell_length_is_counted_as_excel_counts_it() {
    let tmp = tempfile::tempdir().unwrap();
    let data = small_county(&tmp.path().join("county"));
    let emoji = "😀".repeat(16_384);
    edit_column(&data.join("teachers.csv"), "name", &|row, old| if row == 1 { "EMOJINAME".into() } else { old.into() });
    let book = tmp.path().join("county.xlsx");
    workbook_from_folder(&data, &book, false);
    crate::common::rewrite_xlsx_part(&book, "xl/sharedStrings.xml", &|xml| xml.replace("EMOJINAME", &emoji));
    edit_column(&data.join("teachers.csv"), "name", &|row, old| if row == 1 { emoji.clone() } else { old.into() });
    for (input, cell) in [(&data, "teachers.csv:2: name"), (&book, "B2")] {
        for command in ["check", "plan"] {
            let out = tmp.path().join(format!("out-{command}"));
            let mut args = vec![command, path(input)];
            if command == "plan" {
                args.extend(["-o", path(&out)]);
            }
            refused(
                &args,
                Some(&out),
                &[cell, "32,768 characters as Excel counts them (16,384 characters", "at most 32,767"],
            );
        }
    }
}
