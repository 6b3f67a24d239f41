//! Output folders (issue 11, points 1, 9 and 10): no command writes where it
//! reads or outside its `-o`; a folder of other files is replaced only with
//! `--force`; an output folder is always one whole run's files, even when
//! the run is killed while writing.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

use assert_cmd::Command;

use crate::common::{copy_folder, fixture};

const MARKER: &str = ".rotaplan-output";

fn rotaplan() -> Command {
    Command::cargo_bin("rotaplan").unwrap()
}

/// Every file under `folder` (relative path → bytes).
fn snapshot(folder: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(root: &Path, folder: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
        for entry in std::fs::read_dir(folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(root, &path, out);
            } else {
                let name = path.strip_prefix(root).unwrap().to_string_lossy().replace('\\', "/");
                out.insert(name, std::fs::read(&path).unwrap());
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(folder, folder, &mut out);
    out
}

fn names(folder: &Path) -> Vec<String> {
    let mut names: Vec<String> =
        std::fs::read_dir(folder).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    names.sort();
    names
}

/// A small synthetic county (8 schools) that has a plan, written by the binary.
fn small_county(dir: &Path) -> PathBuf {
    rotaplan().args(["-q", "synth", "--seed", "5", "--schools", "8", "-o"]).arg(dir).assert().success();
    dir.to_path_buf()
}

/// A hand-made copy of data/anze (no marker).
fn anze_copy(dir: &Path) -> PathBuf {
    copy_folder(&Path::new(env!("CARGO_MANIFEST_DIR")).join("data").join("anze"), dir);
    dir.to_path_buf()
}

fn stderr_of(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Runs `args`, expects exit 2 with `-o` named in the message, and returns stderr.
fn refused(args: &[&std::ffi::OsStr]) -> String {
    let output = rotaplan().args(["--lang", "en"]).args(args).output().unwrap();
    let stderr = stderr_of(&output);
    assert_eq!(output.status.code(), Some(2), "{args:?}: {stderr}");
    assert!(stderr.contains("-o "), "{args:?}: {stderr}");
    stderr
}

fn os(text: &str) -> &std::ffi::OsStr {
    std::ffi::OsStr::new(text)
}

/// `command DATA -o DATA` (and `-o DATA/sub`) is refused, forced or not, and
/// the data folder is byte for byte as it was.
fn into_its_data_folder_is_refused(command: &[&str]) {
    let tmp = tempfile::tempdir().unwrap();
    let data = small_county(&tmp.path().join("county"));
    let before = snapshot(&data);
    let inside = data.join("out");
    for (out, force) in [(&data, false), (&data, true), (&inside, false)] {
        let mut args: Vec<&std::ffi::OsStr> = command.iter().map(|a| os(a)).collect();
        args.extend([data.as_os_str(), os("-o"), out.as_os_str()]);
        if force {
            args.push(os("--force"));
        }
        let stderr = refused(&args);
        assert!(stderr.contains("never writes where it reads"), "{stderr}");
    }
    assert_eq!(snapshot(&data), before, "the data folder is unchanged");
}

#[test]
fn issue11_plan_into_its_own_data_folder_is_refused() {
    into_its_data_folder_is_refused(&["plan"]);
}

#[test]
fn issue11_evaluate_into_its_own_data_folder_is_refused() {
    into_its_data_folder_is_refused(&["evaluate"]);
}

#[test]
fn issue11_hires_into_its_own_data_folder_is_refused() {
    into_its_data_folder_is_refused(&["hires", "--max", "2"]);
}

#[test]
fn issue11_workbook_named_plan_xlsx_inside_the_output_folder_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    std::fs::create_dir(&out).unwrap();
    let book = out.join("plan.xlsx");
    std::fs::copy(fixture("tiny.xlsx"), &book).unwrap();
    let bytes = std::fs::read(&book).unwrap();
    for force in [false, true] {
        let mut args = vec![os("plan"), book.as_os_str(), os("-o"), out.as_os_str()];
        if force {
            args.push(os("--force"));
        }
        let stderr = refused(&args);
        assert!(stderr.contains("contains the input"), "{stderr}");
    }
    assert_eq!(std::fs::read(&book).unwrap(), bytes);
    assert_eq!(names(&out), ["plan.xlsx"]);
}

#[test]
fn issue11_policy_file_and_edited_plan_list_inside_the_output_folder_are_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let data = small_county(&tmp.path().join("county"));
    let out = tmp.path().join("plan");
    rotaplan().args(["-q", "plan"]).arg(&data).arg("-o").arg(&out).assert().success();
    let before = snapshot(&out);
    // `score DATA out/rotations.csv -o out` would destroy the list it judges.
    refused(&[os("score"), data.as_os_str(), out.join("rotations.csv").as_os_str(), os("-o"), out.as_os_str()]);
    std::fs::write(out.join("extra-policy.toml"), "[rotation]\nmin_share = 0.12\nmax_share = 0.12\n").unwrap();
    let policy = out.join("extra-policy.toml");
    refused(&[
        os("plan"),
        data.as_os_str(),
        os("--policy"),
        policy.as_os_str(),
        os("-o"),
        out.as_os_str(),
        os("--force"),
    ]);
    std::fs::remove_file(&policy).unwrap();
    assert_eq!(snapshot(&out), before);
}

/// A data file that is a symbolic link to a file inside `-o` would be
/// deleted with the folder it lies in: refused, forced or not, for a data
/// folder given directly and for one a scenario names.
#[cfg(unix)]
#[test]
fn issue11_data_file_linked_into_the_output_folder_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let county = anze_copy(&tmp.path().join("county"));
    let out = tmp.path().join("plan");
    rotaplan().args(["-q", "evaluate"]).arg(&county).arg("-o").arg(&out).assert().success();
    std::fs::copy(county.join("schools.csv"), out.join("realschools.csv")).unwrap();
    let linked = tmp.path().join("linked");
    std::fs::create_dir(&linked).unwrap();
    std::fs::copy(county.join("teachers.csv"), linked.join("teachers.csv")).unwrap();
    std::os::unix::fs::symlink(out.join("realschools.csv"), linked.join("schools.csv")).unwrap();
    let scenario = tmp.path().join("linked.toml");
    std::fs::write(&scenario, "data = \"linked\"\n").unwrap();
    let before = snapshot(&out);
    for command in [&["plan"][..], &["evaluate"], &["hires", "--max", "2"]] {
        for force in [false, true] {
            let mut args: Vec<&std::ffi::OsStr> = command.iter().map(|a| os(a)).collect();
            args.extend([linked.as_os_str(), os("-o"), out.as_os_str()]);
            if force {
                args.push(os("--force"));
            }
            let stderr = refused(&args);
            assert!(stderr.contains("contains the input") && stderr.contains("schools.csv (a link to"), "{stderr}");
        }
    }
    refused(&[os("whatif"), scenario.as_os_str(), os("-o"), out.as_os_str(), os("--force")]);
    assert_eq!(snapshot(&out), before, "the linked file is still there");
    // A policy.toml of the data folder linked into -o, and -o inside the
    // folder a linked file lies in, are refused the same way.
    std::fs::rename(county.join("policy.toml"), out.join("policy.toml")).unwrap();
    std::os::unix::fs::symlink(out.join("policy.toml"), county.join("policy.toml")).unwrap();
    let before = snapshot(&out);
    refused(&[os("plan"), county.as_os_str(), os("-o"), out.as_os_str()]);
    assert_eq!(snapshot(&out), before, "the output folder is unchanged");
}

/// `synth` reads no input: a `--policy` is refused before anything is
/// written, so a policy file inside `-o` is not deleted with it.
#[test]
fn issue11_synth_refuses_a_policy_file() {
    let tmp = tempfile::tempdir().unwrap();
    let county = small_county(&tmp.path().join("county"));
    let policy = county.join("extra-policy.toml");
    std::fs::write(&policy, "[rotation]\nmin_share = 0.12\nmax_share = 0.12\n").unwrap();
    let before = snapshot(&county);
    for force in [false, true] {
        let mut args =
            vec![os("synth"), os("--seed"), os("7"), os("--policy"), policy.as_os_str(), os("-o"), county.as_os_str()];
        if force {
            args.push(os("--force"));
        }
        let output = rotaplan().args(["--lang", "en"]).args(&args).output().unwrap();
        let stderr = stderr_of(&output);
        assert_eq!(output.status.code(), Some(2), "{stderr}");
        assert!(stderr.contains("--policy") && stderr.contains("synth does not read a policy"), "{stderr}");
    }
    assert_eq!(snapshot(&county), before, "the county and its policy file are unchanged");
    let fresh = tmp.path().join("fresh");
    let output = rotaplan().args(["synth", "--seed", "7", "--policy", "/dev/zero", "-o"]).arg(&fresh).output().unwrap();
    assert_eq!(output.status.code(), Some(2), "{}", stderr_of(&output));
    assert!(!fresh.exists(), "nothing written");
    assert_eq!(names(tmp.path()), ["county"], "no hidden folder either");
}

#[test]
fn issue11_synth_over_a_hand_made_county_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let county = anze_copy(&tmp.path().join("anze"));
    let before = snapshot(&county);
    let stderr = refused(&[os("synth"), os("--seed"), os("99"), os("-o"), county.as_os_str()]);
    assert!(stderr.contains("--force"), "{stderr}");
    assert_eq!(snapshot(&county), before);
    // A plan into a county written by synth is refused too: it is data.
    let synthetic = small_county(&tmp.path().join("synthetic"));
    let before = snapshot(&synthetic);
    let stderr = refused(&[os("plan"), county.as_os_str(), os("-o"), synthetic.as_os_str()]);
    assert!(stderr.contains("rotaplan synth"), "{stderr}");
    assert_eq!(snapshot(&synthetic), before);
}

#[test]
fn issue11_synth_over_its_own_earlier_output_replaces_it_whole() {
    let tmp = tempfile::tempdir().unwrap();
    let county = small_county(&tmp.path().join("county"));
    // A lock added by hand refers to the earlier county's teachers.
    let teachers = std::fs::read_to_string(county.join("teachers.csv")).unwrap();
    let first_teacher = teachers.lines().nth(1).unwrap().split(',').next().unwrap().to_string();
    std::fs::write(county.join("locks.csv"), format!("teacher_id,action,school_id\n{first_teacher},stay,\n")).unwrap();
    // The file added by hand is not lost without --force.
    let stderr =
        refused(&[os("synth"), os("--seed"), os("99"), os("--schools"), os("6"), os("-o"), county.as_os_str()]);
    assert!(stderr.contains("added or changed since rotaplan wrote it: locks.csv"), "{stderr}");
    assert!(county.join("locks.csv").exists());
    rotaplan().args(["-q", "synth", "--seed", "99", "--schools", "6", "--force", "-o"]).arg(&county).assert().success();
    let written =
        [MARKER, "applications.csv", "exchanges.csv", "family.csv", "policy.toml", "schools.csv", "teachers.csv"];
    assert_eq!(names(&county), written);
    let reference = tmp.path().join("reference");
    rotaplan().args(["-q", "synth", "--seed", "99", "--schools", "6", "-o"]).arg(&reference).assert().success();
    assert_eq!(snapshot(&county), snapshot(&reference));
    rotaplan().args(["-q", "check"]).arg(&county).assert().success();
    assert_eq!(names(tmp.path()), ["county", "reference"], "no hidden folder is left beside");
}

#[test]
fn issue11_scenario_files_named_with_dots_cannot_write_outside_the_output_folder() {
    let tmp = tempfile::tempdir().unwrap();
    let data = small_county(&tmp.path().join("county"));
    let scenarios = tmp.path().join("scenarios");
    std::fs::create_dir(&scenarios).unwrap();
    let data_key = format!("data = {:?}\n", data.to_string_lossy());
    for name in ["...toml", "..toml", ".hidden.toml", "comparison.csv.toml", "a\u{7}b.toml", "ok.toml", "OK.toml"] {
        std::fs::write(scenarios.join(name), &data_key).unwrap();
    }
    let root = tmp.path().join("root");
    std::fs::create_dir(&root).unwrap();
    let out = root.join("whatif");
    let before = snapshot(tmp.path());
    for bad in ["...toml", "..toml", ".hidden.toml", "comparison.csv.toml", "a\u{7}b.toml"] {
        let output =
            rotaplan().args(["--lang", "en", "whatif"]).arg(scenarios.join(bad)).arg("-o").arg(&out).output().unwrap();
        let stderr = stderr_of(&output);
        assert_eq!(output.status.code(), Some(2), "{bad}: {stderr}");
        assert!(stderr.contains("not a safe folder name"), "{bad}: {stderr}");
    }
    // Two files that would share a folder (on a case-insensitive disk).
    let output = rotaplan()
        .args(["--lang", "en", "whatif"])
        .arg(scenarios.join("ok.toml"))
        .arg(scenarios.join("OK.toml"))
        .arg("-o")
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2), "{}", stderr_of(&output));
    assert!(stderr_of(&output).contains("same plan folder"), "{}", stderr_of(&output));
    assert_eq!(snapshot(tmp.path()), before, "nothing written anywhere");
    assert!(!out.exists());
    // A safe name writes inside OUT only.
    rotaplan().args(["-q", "whatif"]).arg(scenarios.join("ok.toml")).arg("-o").arg(&out).assert().success();
    assert_eq!(names(&root), ["whatif"]);
    assert_eq!(names(&out), [MARKER, "comparison.csv", "comparison.html", "ok"]);
}

#[test]
fn issue11_output_that_is_a_file_fails_before_solving() {
    let tmp = tempfile::tempdir().unwrap();
    let data = small_county(&tmp.path().join("county"));
    let file = tmp.path().join("out.txt");
    std::fs::write(&file, "keep me").unwrap();
    for command in [&["plan"][..], &["evaluate"], &["hires", "--max", "2"]] {
        let output = rotaplan().args(["--lang", "en"]).args(command).arg(&data).arg("-o").arg(&file).output().unwrap();
        let stderr = stderr_of(&output);
        assert_eq!(output.status.code(), Some(2), "{command:?}: {stderr}");
        assert!(stderr.contains("is a file, not a folder"), "{stderr}");
        // No stage was started.
        assert!(!stderr.contains("stage"), "{stderr}");
    }
    // Checked before the data is read: broken data still gets the -o message.
    let output = rotaplan()
        .args(["--lang", "en", "plan"])
        .arg(fixture("broken").join("duplicate_ids"))
        .arg("-o")
        .arg(&file)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr_of(&output).contains("is a file, not a folder"), "{}", stderr_of(&output));
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "keep me");
    // A link to nothing would fail only when the folder is put in place.
    #[cfg(unix)]
    {
        let link = tmp.path().join("dangling");
        std::os::unix::fs::symlink(tmp.path().join("nowhere"), &link).unwrap();
        let output = rotaplan().args(["--lang", "en", "plan"]).arg(&data).arg("-o").arg(&link).output().unwrap();
        assert_eq!(output.status.code(), Some(2), "{}", stderr_of(&output));
        assert!(stderr_of(&output).contains("symbolic link to nothing"), "{}", stderr_of(&output));
        assert!(!tmp.path().join("nowhere").exists());
    }
}

#[test]
fn issue11_non_empty_foreign_output_is_refused_and_replaced_whole_with_force() {
    let tmp = tempfile::tempdir().unwrap();
    let data = small_county(&tmp.path().join("county"));
    let out = tmp.path().join("mine");
    std::fs::create_dir_all(out.join("sub")).unwrap();
    std::fs::write(out.join("notes.txt"), "my notes").unwrap();
    std::fs::write(out.join("sub").join("more.txt"), "more").unwrap();
    let before = snapshot(&out);
    let stderr = refused(&[os("plan"), data.as_os_str(), os("-o"), out.as_os_str()]);
    assert!(stderr.contains("did not write") && stderr.contains("--force"), "{stderr}");
    assert_eq!(snapshot(&out), before);
    rotaplan().args(["-q", "plan", "--force"]).arg(&data).arg("-o").arg(&out).assert().success();
    assert_eq!(
        names(&out),
        [
            MARKER,
            "norms.csv",
            "notices.html",
            "plan.xlsx",
            "report.html",
            "rotations.csv",
            "schools.csv",
            "subject_gaps.csv",
            "summary.json"
        ]
    );
    // An earlier output of the same command (it has the marker) is
    // replaced without --force, one of another command only with it; an
    // empty folder is used as it is.
    rotaplan().args(["-q", "plan"]).arg(&data).arg("-o").arg(&out).assert().success();
    let before = snapshot(&out);
    let stderr = refused(&[os("evaluate"), data.as_os_str(), os("-o"), out.as_os_str()]);
    assert!(stderr.contains("holds the results of `rotaplan plan`") && stderr.contains("--force"), "{stderr}");
    assert_eq!(snapshot(&out), before);
    rotaplan().args(["-q", "evaluate", "--force"]).arg(&data).arg("-o").arg(&out).assert().success();
    assert_eq!(
        names(&out),
        [
            MARKER,
            "alliances.csv",
            "eligibility.csv",
            "norms.csv",
            "report.html",
            "schools.csv",
            "structure.csv",
            "subject_gaps.csv",
            "summary.json"
        ]
    );
    let empty = tmp.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    rotaplan().args(["-q", "evaluate"]).arg(&data).arg("-o").arg(&empty).assert().success();
    assert_eq!(names(tmp.path()), ["county", "empty", "mine"], "no hidden folder is left beside");
}

#[test]
fn issue11_infeasible_run_after_a_feasible_one_leaves_no_rotations_csv() {
    let tmp = tempfile::tempdir().unwrap();
    let data = small_county(&tmp.path().join("county"));
    let out = tmp.path().join("plan");
    rotaplan().args(["-q", "plan"]).arg(&data).arg("-o").arg(&out).assert().success();
    assert!(out.join("rotations.csv").exists());
    let output = rotaplan().args(["-q", "plan"]).arg(fixture("plan_headcount")).arg("-o").arg(&out).output().unwrap();
    assert_eq!(output.status.code(), Some(3), "{}", stderr_of(&output));
    assert_eq!(names(&out), [MARKER, "diagnosis.json"]);
    // An input error (exit 2) writes nothing: the diagnosis stays.
    let output = rotaplan()
        .args(["-q", "plan"])
        .arg(fixture("broken").join("duplicate_ids"))
        .arg("-o")
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(names(&out), [MARKER, "diagnosis.json"]);
}

#[test]
fn issue11_whatif_output_is_replaced_whole() {
    let tmp = tempfile::tempdir().unwrap();
    let data = small_county(&tmp.path().join("county"));
    let data_key = format!("data = {:?}\n", data.to_string_lossy());
    for name in ["first.toml", "second.toml"] {
        std::fs::write(tmp.path().join(name), &data_key).unwrap();
    }
    let out = tmp.path().join("whatif");
    rotaplan()
        .args(["-q", "whatif", "--sequential"])
        .arg(tmp.path().join("first.toml"))
        .arg(tmp.path().join("second.toml"))
        .arg("-o")
        .arg(&out)
        .assert()
        .success();
    assert_eq!(names(&out), [MARKER, "comparison.csv", "comparison.html", "first", "second"]);
    rotaplan().args(["-q", "whatif"]).arg(tmp.path().join("second.toml")).arg("-o").arg(&out).assert().success();
    assert_eq!(names(&out), [MARKER, "comparison.csv", "comparison.html", "second"]);
}

/// The moves summary.json reports and the rotation rows of rotations.csv
/// (its return rows apart: data/anze has returns due).
fn moves_and_rows(folder: &Path) -> (u64, usize) {
    let summary: serde_json::Value =
        serde_json::from_slice(&std::fs::read(folder.join("summary.json")).unwrap()).unwrap();
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_reader(std::fs::File::open(folder.join("rotations.csv")).unwrap());
    let kind = reader.headers().unwrap().iter().position(|h| h == "kind").expect("a kind column");
    let rows = reader.records().filter(|r| &r.as_ref().unwrap()[kind] == "rotation").count();
    (summary["moves"].as_u64().unwrap(), rows)
}

/// `folder` is one whole plan: exactly a plan's files, summary.json agreeing
/// with rotations.csv, and rotations.csv that of one of the `runs`.
fn assert_whole_plan(folder: &Path, runs: &[&[u8]], when: &str) {
    assert_eq!(
        names(folder),
        [
            MARKER,
            "norms.csv",
            "notices.html",
            "plan.xlsx",
            "report.html",
            "rotations.csv",
            "schools.csv",
            "subject_gaps.csv",
            "summary.json"
        ],
        "{when}: the folder holds one run's files and nothing else"
    );
    let (moves, rows) = moves_and_rows(folder);
    assert_eq!(moves as usize, rows, "{when}: summary.json and rotations.csv come from the same run");
    let rotations = std::fs::read(folder.join("rotations.csv")).unwrap();
    assert!(runs.contains(&rotations.as_slice()), "{when}: rotations.csv is one run's");
}

#[test]
fn issue11_a_killed_plan_leaves_the_earlier_folder_whole() {
    let tmp = tempfile::tempdir().unwrap();
    let data = small_county(&tmp.path().join("county"));
    // The earlier plan moves more teachers than the new one, so a mix of the
    // two would show in the counts.
    let policy = tmp.path().join("share.toml");
    std::fs::write(&policy, "[rotation]\nmin_share = 0.15\nmax_share = 0.15\n").unwrap();
    let parent = tmp.path().join("out");
    let out = parent.join("plan");
    let earlier = || {
        rotaplan().args(["-q", "plan", "--policy"]).arg(&policy).arg(&data).arg("-o").arg(&out).assert().success();
    };
    earlier();
    let old = std::fs::read(out.join("rotations.csv")).unwrap();
    // One whole run, timed, gives the new plan and the span of the delays.
    let reference = tmp.path().join("reference");
    let started = Instant::now();
    rotaplan().args(["-q", "plan"]).arg(&data).arg("-o").arg(&reference).assert().success();
    let span = started.elapsed();
    let new = std::fs::read(reference.join("rotations.csv")).unwrap();
    assert_ne!(moves_and_rows(&out).0, moves_and_rows(&reference).0, "the two plans differ in moves");
    let runs: [&[u8]; 2] = [&old, &new];
    let spawn = || {
        std::process::Command::new(env!("CARGO_BIN_EXE_rotaplan"))
            .args(["-q", "plan"])
            .arg(&data)
            .arg("-o")
            .arg(&out)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap()
    };
    // Whether the run has begun to write: a hidden folder beside the
    // output, or a hidden file in it.
    let writing = || {
        let hidden = |folder: &Path| {
            std::fs::read_dir(folder)
                .map(|entries| {
                    entries
                        .filter_map(Result::ok)
                        .any(|e| e.file_name().to_string_lossy().starts_with('.') && e.file_name() != MARKER)
                })
                .unwrap_or(false)
        };
        hidden(&parent) || hidden(&out)
    };
    for step in 0..16u32 {
        let mut child = spawn();
        let when = if step < 8 {
            // Eight delays from early in the run to past its end.
            let delay = span.mul_f64(0.1 + 1.4 * f64::from(step) / 7.0);
            std::thread::sleep(delay);
            format!("killed after {delay:?}")
        } else {
            // Eight kills once the run has begun to write, a little later each time.
            while child.try_wait().unwrap().is_none() && !writing() {
                std::thread::yield_now();
            }
            let extra = std::time::Duration::from_micros(500 * u64::from(step - 8) * u64::from(step - 8));
            std::thread::sleep(extra);
            format!("killed {extra:?} after it began to write")
        };
        let _ = child.kill();
        child.wait().unwrap();
        assert_whole_plan(&out, &runs, &when);
        // The next run puts the earlier plan back and clears what the
        // killed run left beside the folder.
        earlier();
        assert_whole_plan(&out, &runs[..1], "the earlier plan again");
        assert_eq!(names(&parent), ["plan"], "after the next run, nothing is left beside the folder");
    }
}

/// A run killed just after it made its hidden folder leaves it empty; the
/// next run removes it once that run has ended (Linux), and spares an empty
/// one whose process still runs (it may be a concurrent run starting).
#[cfg(target_os = "linux")]
#[test]
fn issue11_empty_leftover_of_a_killed_run_is_removed_by_the_next_run() {
    let tmp = tempfile::tempdir().unwrap();
    let data = small_county(&tmp.path().join("county"));
    let out = tmp.path().join("plan");
    let mut ended = std::process::Command::new("true").spawn().unwrap();
    let dead = ended.id();
    ended.wait().unwrap();
    let killed = tmp.path().join(format!(".plan.rotaplan-{dead}-0"));
    let alive = tmp.path().join(format!(".plan.rotaplan-{}-0", std::process::id()));
    std::fs::create_dir(&killed).unwrap();
    std::fs::create_dir(&alive).unwrap();
    rotaplan().args(["-q", "evaluate"]).arg(&data).arg("-o").arg(&out).assert().success();
    assert!(!killed.exists(), "the killed run's empty folder is removed");
    assert!(alive.exists(), "a running process's empty folder is spared");
}

/// On glibc the program starts itself again once with two malloc arenas
/// (src/main.rs): the running server's environment has the limit, and
/// the process id is the one spawned.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
#[test]
fn the_program_runs_with_two_malloc_arenas() {
    let tmp = tempfile::tempdir().unwrap();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_rotaplan"))
        .args(["-q", "serve", "--port", "0"])
        .arg(tmp.path().join("workspace"))
        .env_remove("MALLOC_ARENA_MAX")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let environ = format!("/proc/{}/environ", child.id());
    let limited = |bytes: &[u8]| bytes.split(|&b| b == 0).any(|entry| entry == b"MALLOC_ARENA_MAX=2");
    let started = Instant::now();
    let mut seen = false;
    while !seen && started.elapsed().as_secs() < 120 && child.try_wait().unwrap().is_none() {
        seen = std::fs::read(&environ).is_ok_and(|bytes| limited(&bytes));
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    let _ = child.kill();
    child.wait().unwrap();
    assert!(seen, "the server runs with MALLOC_ARENA_MAX=2 in its environment");
}

/// Run through the dynamic loader, the process's file is the loader: the
/// program does not start that again (it would take the first argument
/// for the program), it goes on as it is.
#[cfg(all(target_os = "linux", target_env = "gnu", target_arch = "x86_64"))]
#[test]
fn the_program_runs_through_the_dynamic_loader() {
    let loader = Path::new("/lib64/ld-linux-x86-64.so.2");
    assert!(loader.exists(), "glibc's loader is where the x86-64 ABI puts it");
    let out = std::process::Command::new(loader)
        .arg(env!("CARGO_BIN_EXE_rotaplan"))
        .arg("--version")
        .env_remove("MALLOC_ARENA_MAX")
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("rotaplan "), "{out:?}");
}

/// A full stdout (`/dev/full`: every write fails) loses the terminal's
/// text, but the run neither panics nor fails: its files are written.
#[cfg(target_os = "linux")]
#[test]
fn a_full_stdout_does_not_stop_a_run() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("evaluation");
    let full = std::fs::OpenOptions::new().write(true).open("/dev/full").unwrap();
    let run = std::process::Command::new(env!("CARGO_BIN_EXE_rotaplan"))
        .args(["evaluate", "data/anze", "-o"])
        .arg(&out)
        .stdout(full)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(run.status.success(), "{:?}: {stderr}", run.status);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(out.join("report.html").exists(), "the evaluation's files are written");
}

#[test]
fn an_output_folder_that_cannot_be_written_fails_before_solving() {
    // /proc takes no new folders, not even from root (the CI runs as root,
    // which a read-only permission would not stop).
    let tmp = tempfile::tempdir().unwrap();
    let data = small_county(&tmp.path().join("county"));
    for (lang, said) in [("zh", "无法写入 /proc"), ("en", "cannot write into /proc")] {
        let output = rotaplan()
            .args(["--lang", lang, "plan"])
            .arg(&data)
            .args(["-o", "/proc/rotaplan-out/plan"])
            .output()
            .unwrap();
        let stderr = stderr_of(&output);
        assert_eq!(output.status.code(), Some(2), "{stderr}");
        assert!(stderr.contains(said) && stderr.contains("-o /proc/rotaplan-out/plan"), "{stderr}");
        assert!(!stderr.contains("阶段") && !stderr.contains("stage"), "refused before any stage: {stderr}");
    }
}

/// An `-o` folder that is a mount point (a USB drive's top folder, here
/// /proc) cannot be swapped in by renaming: it is refused before solving,
/// with a folder inside it to use instead.
#[test]
fn an_output_folder_that_is_a_mount_point_is_refused_before_solving() {
    let tmp = tempfile::tempdir().unwrap();
    let data = small_county(&tmp.path().join("county"));
    for (lang, said, inside) in [("zh", "是一个挂载点", "/proc/方案"), ("en", "is a mount point", "/proc/plan")]
    {
        let output = rotaplan().args(["--lang", lang, "plan"]).arg(&data).args(["-o", "/proc"]).output().unwrap();
        let stderr = stderr_of(&output);
        assert_eq!(output.status.code(), Some(2), "{stderr}");
        assert!(stderr.contains(said) && stderr.contains(inside) && stderr.contains("-o /proc"), "{stderr}");
        assert!(!stderr.contains("阶段") && !stderr.contains("stage"), "refused before any stage: {stderr}");
    }
}

/// A file added to an output folder after rotaplan wrote it, or a file of
/// it changed (a plan.xlsx edited and saved in place), is not lost to the
/// next run: the run is refused before anything is read, naming the files,
/// and replaces the folder only with --force. A folder as rotaplan left it
/// is replaced without.
#[test]
fn a_file_added_or_changed_in_an_output_folder_is_kept_unless_forced() {
    let tmp = tempfile::tempdir().unwrap();
    let data = small_county(&tmp.path().join("county"));
    let out = tmp.path().join("out");
    let evaluate = |force: bool| {
        let mut command = rotaplan();
        command.args(["-q", "--lang", "en", "evaluate"]).arg(&data).arg("-o").arg(&out);
        if force {
            command.arg("--force");
        }
        command.output().unwrap()
    };
    assert!(evaluate(false).status.success());
    assert!(evaluate(false).status.success(), "a folder as rotaplan left it is replaced");
    std::fs::write(out.join("我改过.csv"), "mine").unwrap();
    let before = snapshot(&out);
    let stderr = refused(&[os("evaluate"), data.as_os_str(), os("-o"), out.as_os_str()]);
    assert!(stderr.contains("added or changed since rotaplan wrote it: 我改过.csv"), "{stderr}");
    assert_eq!(snapshot(&out), before, "the refused run leaves the folder as it was");
    std::fs::remove_file(out.join("我改过.csv")).unwrap();
    // A file of the run, edited in place; and Excel's lock file of an open workbook.
    let mut schools = std::fs::read(out.join("schools.csv")).unwrap();
    schools.extend_from_slice(b"edited\n");
    std::fs::write(out.join("schools.csv"), &schools).unwrap();
    std::fs::write(out.join("~$plan.xlsx"), "lock").unwrap();
    let chinese = rotaplan().arg("evaluate").arg(&data).arg("-o").arg(&out).output().unwrap();
    let chinese = stderr_of(&chinese);
    assert!(chinese.contains("里面有 rotaplan 写入之后加入或改动过的文件：schools.csv、~$plan.xlsx"), "{chinese}");
    assert!(chinese.contains("正在 Excel 或 WPS 中打开"), "{chinese}");
    assert_eq!(std::fs::read(out.join("schools.csv")).unwrap(), schools);
    // A file of the run that was deleted is no loss.
    std::fs::remove_file(out.join("~$plan.xlsx")).unwrap();
    std::fs::remove_file(out.join("schools.csv")).unwrap();
    assert!(evaluate(false).status.success(), "{}", stderr_of(&evaluate(false)));
    std::fs::write(out.join("mine.txt"), "mine").unwrap();
    assert!(evaluate(true).status.success());
    assert!(!out.join("mine.txt").exists(), "--force replaces the folder whole");
    // A marker of an older version, without the list of files: replaced as before.
    std::fs::write(out.join(MARKER), "rotaplan evaluate\nThis folder was written by rotaplan.\n").unwrap();
    std::fs::write(out.join("mine.txt"), "mine").unwrap();
    assert!(evaluate(false).status.success());
    assert!(!out.join("mine.txt").exists());
}
