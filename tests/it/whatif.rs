//! What-if scenarios and the hires search (issue 5): each scenario edge case
//! gives its clear error, a scenario's plan equals planning its modified data
//! alone, parallel and sequential runs agree, and hires are minimal.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use rotaplan::plan::{plan, Outcome, PlanOptions};

use crate::score::small_county;

fn rotaplan() -> Command {
    Command::cargo_bin("rotaplan").unwrap()
}

fn scenario(dir: &Path, name: &str, body: &str) -> PathBuf {
    let path = dir.join(format!("{name}.toml"));
    std::fs::write(&path, format!("data = \"county\"\n{body}")).unwrap();
    path
}

fn whatif_error(body: &str, expected: &str) {
    let tmp = tempfile::tempdir().unwrap();
    small_county(&tmp.path().join("county"));
    let path = scenario(tmp.path(), "bad", body);
    let out = tmp.path().join("out");
    rotaplan()
        .args(["--lang", "en", "whatif"])
        .arg(&path)
        .arg("-o")
        .arg(&out)
        .assert()
        .code(2)
        .stderr(predicates::str::contains(expected));
    assert!(!out.exists(), "a failed run writes nothing");
}

#[test]
fn unknown_key_is_rejected() {
    whatif_error("colour = \"red\"\n", "unknown field `colour`");
}

#[test]
fn unknown_policy_key_names_the_key() {
    whatif_error("[policy]\nrotation = { min_shar = 0.2 }\n", "policy.rotation.min_shar");
}

#[test]
fn retiring_a_missing_teacher_names_it() {
    whatif_error("[[retire]]\nteacher_id = \"T9999\"\n", "retire[0].teacher_id: no teacher \"T9999\"");
}

#[test]
fn enrollment_of_a_missing_school_names_it() {
    whatif_error(
        "[[enrollment]]\nschool_id = \"AZ-X99\"\nprimary_students = 10\n",
        "enrollment[0].school_id: no school \"AZ-X99\"",
    );
}

#[test]
fn merge_into_a_school_without_the_section_is_an_error() {
    // A junior school cannot take in a primary school.
    whatif_error(
        "[[close]]\nschool_id = \"AZ-P01\"\nmerge_into = \"AZ-J01\"\n",
        "close[0].merge_into: AZ-J01 (junior) has no primary section",
    );
}

#[test]
fn hire_with_an_unknown_subject_suggests_words() {
    whatif_error(
        "[[hire]]\nsection = \"primary\"\nsubject = \"gym\"\ndegree = \"bachelor\"\ncount = 1\n",
        "hire[0].subject: unknown value \"gym\"",
    );
}

/// Rewrites a CSV file of a data folder through a row filter/mapper.
fn edit_csv(path: &Path, edit: impl Fn(&csv::StringRecord, &mut Vec<String>) -> bool) {
    let text = std::fs::read_to_string(path).unwrap();
    let mut reader = csv::Reader::from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let header = reader.headers().unwrap().clone();
    let mut writer = csv::Writer::from_path(path).unwrap();
    writer.write_record(&header).unwrap();
    for r in reader.records() {
        let r = r.unwrap();
        let mut fields: Vec<String> = r.iter().map(str::to_string).collect();
        if edit(&header, &mut fields) {
            writer.write_record(&fields).unwrap();
        }
    }
    writer.flush().unwrap();
}

#[test]
fn scenario_plan_equals_planning_the_modified_data() {
    let tmp = tempfile::tempdir().unwrap();
    let county = small_county(&tmp.path().join("county"));
    let teachers = std::fs::read_to_string(county.join("teachers.csv")).unwrap();
    let retired = teachers.lines().nth(5).unwrap().split(',').next().unwrap().to_string();
    let path = scenario(
        tmp.path(),
        "change",
        &format!(
            "[policy]\nrotation = {{ min_share = 0.12, max_share = 0.12 }}\n[[retire]]\nteacher_id = \"{retired}\"\n\
[[enrollment]]\nschool_id = \"AZ-P01\"\nprimary_students = 1500\nprimary_classes = 33\n"
        ),
    );
    let out = tmp.path().join("out");
    rotaplan().args(["whatif", "-q"]).arg(&path).arg("-o").arg(&out).assert().success();
    // The same changes made by hand to a copy of the data.
    let modified = tmp.path().join("modified");
    crate::common::copy_folder(&county, &modified);
    edit_csv(&modified.join("teachers.csv"), |_, f| f[0] != retired);
    edit_csv(&modified.join("schools.csv"), |h, f| {
        if f[0] == "AZ-P01" {
            let col = |name: &str| h.iter().position(|x| x.trim_start_matches('\u{feff}') == name).unwrap();
            f[col("primary_students")] = "1500".into();
            f[col("primary_classes")] = "33".into();
        }
        true
    });
    // The county's own policy (its priority scale too) with the scenario's rotation.
    let own = std::fs::read_to_string(modified.join("policy.toml")).unwrap();
    assert!(!own.contains("[rotation]"), "the scenario's [rotation] is the only one");
    std::fs::write(modified.join("policy.toml"), format!("{own}\n[rotation]\nmin_share = 0.12\nmax_share = 0.12\n"))
        .unwrap();
    let alone = tmp.path().join("alone");
    rotaplan().args(["plan", "-q"]).arg(&modified).arg("-o").arg(&alone).assert().success();
    for file in ["rotations.csv", "schools.csv"] {
        assert_eq!(
            std::fs::read(out.join("change").join(file)).unwrap(),
            std::fs::read(alone.join(file)).unwrap(),
            "{file} differs between whatif and plan"
        );
    }
}

#[test]
fn parallel_and_sequential_runs_write_identical_files() {
    let tmp = tempfile::tempdir().unwrap();
    small_county(&tmp.path().join("county"));
    let paths = vec![
        scenario(tmp.path(), "base", ""),
        scenario(tmp.path(), "share", "[policy]\nrotation = { min_share = 0.14, max_share = 0.14 }\n"),
        scenario(
            tmp.path(),
            "hire",
            "[[hire]]\nsection = \"primary\"\nsubject = \"pe\"\ndegree = \"bachelor\"\ncount = 2\n",
        ),
        scenario(
            tmp.path(),
            "impossible",
            "[policy]\nrotation = { min_share = 0.5, max_share = 0.5, backbone_min_share = 1 }\n",
        ),
    ];
    let run = |name: &str, sequential: bool| {
        let out = tmp.path().join(name);
        let mut cmd = rotaplan();
        cmd.args(["whatif", "-q"]).args(&paths).arg("-o").arg(&out);
        if sequential {
            cmd.arg("--sequential");
        }
        cmd.assert().success();
        out
    };
    let parallel = run("parallel", false);
    let sequential = run("sequential", true);
    let files = [
        "comparison.csv",
        "base/rotations.csv",
        "base/schools.csv",
        "share/rotations.csv",
        "hire/hires.csv",
        "hire/rotations.csv",
        "impossible/diagnosis.json",
    ];
    for f in files {
        assert_eq!(std::fs::read(parallel.join(f)).unwrap(), std::fs::read(sequential.join(f)).unwrap(), "{f}");
    }
    let comparison = std::fs::read_to_string(parallel.join("comparison.csv")).unwrap();
    let impossible = comparison.lines().find(|l| l.starts_with("impossible")).unwrap();
    assert!(impossible.contains(",no,") && impossible.contains("backbone_share"), "{impossible}");
    let hire = comparison.lines().find(|l| l.starts_with("hire")).unwrap();
    let hires = std::fs::read_to_string(parallel.join("hire/hires.csv")).unwrap();
    assert_eq!(hires.lines().count(), 3, "two hires placed: {hires}");
    assert!(hire.contains(",yes,"));
    let html = std::fs::read_to_string(parallel.join("comparison.html")).unwrap();
    assert!(html.contains("<svg") && html.contains("<table"));
}

#[test]
fn hires_are_not_moves_and_count_in_indicators() {
    let tmp = tempfile::tempdir().unwrap();
    let county = rotaplan::io::load(&small_county(&tmp.path().join("county")), None).unwrap().county;
    let group = rotaplan::domain::changes::HireGroup {
        level: rotaplan::domain::Level::Primary,
        subject: rotaplan::domain::Subject::Pe,
        degree: rotaplan::domain::Degree::Bachelor,
        backbone: rotaplan::domain::Backbone::County,
        title: None,
        ids: vec!["H001".into(), "H002".into()],
        school: None,
    };
    let options = PlanOptions { time_limit: 60.0, progress: None, ..Default::default() };
    let Outcome::Planned(without) = plan(&county, Vec::new(), &options).unwrap() else { panic!("feasible") };
    let Outcome::Planned(with) = plan(&county, vec![group], &options).unwrap() else { panic!("feasible") };
    assert_eq!(with.hires.len(), 2);
    assert_eq!(with.moves.len(), without.moves.len(), "hires do not change the number of moves");
    let pe_before: u32 = without.after.sections.iter().map(|s| s.counts.indicator[2]).sum();
    let pe_after: u32 = with.after.sections.iter().map(|s| s.counts.indicator[2]).sum();
    assert_eq!(pe_after, pe_before + 2);
}

#[test]
fn hires_search_is_minimal_by_brute_force() {
    let tmp = tempfile::tempdir().unwrap();
    let county = rotaplan::io::load(&small_county(&tmp.path().join("county")), None).unwrap().county;
    let options = PlanOptions { time_limit: 120.0, progress: None, ..Default::default() };
    let subjects = [rotaplan::domain::Subject::Pe];
    let rotaplan::commands::hires::HiresOutcome::Found(found) =
        rotaplan::commands::hires::search(&county, 4, &subjects, &options).unwrap()
    else {
        panic!("the small county has a plan");
    };
    assert!(found.minimal);
    // Every smaller set of PE hires (any sections, backbone or not, any schools) falls short.
    let n = found.hires as usize;
    let score = |hires: Vec<rotaplan::domain::changes::HireGroup>| -> usize {
        match plan(&county, hires, &options).unwrap() {
            Outcome::Planned(p) => {
                p.after.compliant()
                    + p.after
                        .cv
                        .iter()
                        .filter(|((_, i), c)| {
                            matches!(i, rotaplan::rules::indicators::Indicator::Teacher(_)) && c.within_limit()
                        })
                        .count()
            }
            Outcome::Infeasible(_) => 0,
            Outcome::OutOfTime(stop) => panic!("no plan within the time limit ({} s)", stop.seconds),
        }
    };
    let reached = score(found.plan.hire_groups.clone());
    let kinds: Vec<(rotaplan::domain::Level, rotaplan::domain::Backbone, usize)> = {
        let mut v = Vec::new();
        for (pos, s) in county.schools.iter().enumerate() {
            for &level in s.kind.levels() {
                for bb in [rotaplan::domain::Backbone::None, rotaplan::domain::Backbone::County] {
                    v.push((level, bb, pos));
                }
            }
        }
        v
    };
    // Brute force over every multiset of fewer than n hires (n is small here).
    fn multisets(k: usize, from: usize, options: usize, acc: &mut Vec<usize>, out: &mut Vec<Vec<usize>>) {
        out.push(acc.clone());
        if acc.len() == k {
            return;
        }
        for i in from..options {
            acc.push(i);
            multisets(k, i, options, acc, out);
            acc.pop();
        }
    }
    let mut sets = Vec::new();
    if n > 0 {
        multisets(n - 1, 0, kinds.len(), &mut Vec::new(), &mut sets);
    }
    assert!(sets.len() < 2000, "brute force stays small: {}", sets.len());
    for set in sets {
        let groups: Vec<rotaplan::domain::changes::HireGroup> = set
            .iter()
            .enumerate()
            .map(|(i, &k)| rotaplan::domain::changes::HireGroup {
                level: kinds[k].0,
                subject: rotaplan::domain::Subject::Pe,
                degree: rotaplan::domain::Degree::Bachelor,
                backbone: kinds[k].1,
                title: None,
                ids: vec![format!("H{:03}", i + 1)],
                school: Some(kinds[k].2),
            })
            .collect();
        assert!(score(groups) < reached, "{set:?} reaches the same standing with fewer hires than {n}");
    }
}

/// A scenario file that is a pipe is refused at once (it used to block the
/// run forever), and a TOML error names the physical line where the broken
/// table starts (it was one line too small).
#[test]
fn issue11_scenario_files_are_read_within_the_readers_limits_and_named_by_line() {
    let tmp = tempfile::tempdir().unwrap();
    small_county(&tmp.path().join("county"));
    let pipe = tmp.path().join("pipe.toml");
    assert!(std::process::Command::new("mkfifo").arg(&pipe).status().unwrap().success());
    rotaplan()
        .args(["--lang", "en", "whatif"])
        .arg(&pipe)
        .arg("-o")
        .arg(tmp.path().join("out"))
        .timeout(std::time::Duration::from_secs(60))
        .assert()
        .code(2)
        .stderr(predicates::str::contains("pipe.toml: is not a regular file"));
    // Line 1 is `data = …`; the [[hire]] lacking its degree starts on line 4.
    let bad =
        scenario(tmp.path(), "bad", "name = \"x\"\n\n[[hire]]\nsection = \"primary\"\nsubject = \"pe\"\ncount = 1\n");
    let out = rotaplan().arg("whatif").arg(&bad).arg("-o").arg(tmp.path().join("out")).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("bad.toml:4:") && stderr.contains("degree"), "{stderr}");
}

#[test]
fn a_scenario_policy_is_checked_against_the_data_as_the_data_s_own_is() {
    // In 2000 the small county's teachers had not come to their schools yet:
    // an error through policy.toml or --policy, so through [policy] too.
    whatif_error("[policy]\nyear = 2000\n", "under the scenario's [policy], the base data \"county\" has problems");
    whatif_error("[policy]\nyear = 2000\n", "teachers.csv:2:");
}

#[test]
fn whatif_refuses_policy_given_outside_the_scenarios() {
    let tmp = tempfile::tempdir().unwrap();
    small_county(&tmp.path().join("county"));
    let path = scenario(tmp.path(), "s", "");
    let policy = tmp.path().join("p.toml");
    std::fs::write(&policy, "year = 2000\n").unwrap();
    let out = tmp.path().join("out");
    rotaplan()
        .args(["--lang", "en", "--policy"])
        .arg(&policy)
        .arg("whatif")
        .arg(&path)
        .arg("-o")
        .arg(&out)
        .assert()
        .code(2)
        .stderr(predicates::str::contains("whatif does not read --policy"));
    assert!(!out.exists());
}
