//! The README's school year, run as written: plan → publish → replan after
//! refusals → advance → next year's plan, and the two-year plan, on
//! data/anze. Every step must end with its files and say whether it is
//! proven (summary.json's solver block), in Chinese by default.

use std::path::{Path, PathBuf};

use assert_cmd::Command;

/// The `cargo run --release -- …` lines of a README section, as argument
/// lists (the words after `--`).
fn readme_commands(section: &str) -> Vec<Vec<String>> {
    let readme = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    let start = readme.find(&format!("## {section}")).unwrap_or_else(|| panic!("README has a section {section}"));
    let body = &readme[start + 3..];
    let body = &body[..body.find("\n## ").unwrap_or(body.len())];
    body.lines()
        .filter_map(|line| line.trim().strip_prefix("scripts/with-tools cargo run --release -- "))
        .map(|rest| rest.split_whitespace().map(str::to_string).collect())
        .collect()
}

/// Runs one README command in a scratch copy of the project's `out/`:
/// arguments under `out/` go to `scratch`, the others (data/…) stay the
/// project's.
fn run(args: &[String], scratch: &Path) -> std::process::Output {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let args: Vec<PathBuf> = args
        .iter()
        .map(|a| match a.strip_prefix("out/") {
            Some(rest) => scratch.join(rest),
            None if a.starts_with("data/") => root.join(a),
            None => PathBuf::from(a),
        })
        .collect();
    Command::cargo_bin("rotaplan").unwrap().args(&args).output().unwrap()
}

fn summary(folder: &Path) -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(folder.join("summary.json")).unwrap()).unwrap()
}

#[test]
fn the_readme_school_year_runs_as_written_on_anze() {
    let scratch = tempfile::tempdir().unwrap();
    let mut commands = readme_commands("The two commands");
    commands.retain(|c| c.first().is_some_and(|w| w == "plan"));
    commands.extend(readme_commands("The school year"));
    let verbs: Vec<&str> = commands.iter().map(|c| c[0].as_str()).collect();
    assert_eq!(verbs, ["plan", "replan", "advance", "plan", "plan"], "the README's school year");
    for args in &commands {
        let out = run(args, scratch.path());
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(out.status.success(), "{args:?}: {}\n{stdout}", String::from_utf8_lossy(&out.stderr));
        assert!(!stdout.contains("moves") && !stdout.contains("eligible"), "Chinese by default: {stdout}");
        if args[0] == "advance" {
            // The re-plan's folder carries its changes: the refusals hold
            // when the list is judged, and the leaver is gone.
            assert!(stdout.contains("已按变动文件 requested_changes.csv 处理：离岗 1 人"), "{stdout}");
            assert!(!stdout.contains("违反"), "the re-planned list keeps every rule: {stdout}");
        }
    }
    let s = scratch.path();
    // Every plan says whether it is proven; on anze each is.
    for folder in [s.join("anze"), s.join("replan"), s.join("plan-2026"), s.join("two"), s.join("two/next-year")] {
        let solver = &summary(&folder)["solver"];
        assert_eq!(solver["optimal"], true, "{}: {solver}", folder.display());
    }
    // The refusals and the departure changed the published list, as few
    // lines as the rules allow, each named in changes.csv.
    // The refusals are read from data/anze-changes.csv and must be on the
    // published list (when a change of the planner moves other teachers,
    // that file names two of the new list's movers).
    let changes = std::fs::read_to_string(s.join("replan/changes.csv")).unwrap();
    let published = std::fs::read_to_string(s.join("anze/rotations.csv")).unwrap();
    let file = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("data/anze-changes.csv")).unwrap();
    let refused: Vec<&str> =
        file.lines().filter(|l| l.contains(",留任,")).filter_map(|l| l.split(',').next()).collect();
    assert_eq!(refused.len(), 2, "two refusals in data/anze-changes.csv");
    for refused in refused {
        let refused = refused.trim_start_matches('\u{feff}');
        assert!(
            published.lines().any(|l| l.starts_with(&format!("{refused},"))),
            "{refused} refuses but is not on the published list: update data/anze-changes.csv"
        );
        assert!(changes.contains(&format!("{refused},")), "{refused} is a change: {changes}");
    }
    // Next year's data is a county of the next year, with the movers of
    // the accepted (re-planned) list on its register.
    let next = rotaplan::io::load(&s.join("anze-2026"), None).unwrap().county;
    assert_eq!(next.policy.year, 2026);
    let left: Vec<&str> = file.lines().filter(|l| l.contains(",离岗,")).filter_map(|l| l.split(',').next()).collect();
    assert_eq!(left.len(), 1, "one departure in data/anze-changes.csv");
    assert!(next.teachers.iter().all(|t| t.id != left[0]), "{} left the county: not in next year's data", left[0]);
    assert!(next.exchange_of(left[0]).is_none());
    let accepted = rotaplan::io::plan_list::read_plan_list(&s.join("replan/rotations.csv")).unwrap();
    for m in &accepted {
        let row = next.exchange_of(&m.teacher_id).unwrap_or_else(|| panic!("{} is on the register", m.teacher_id));
        assert_eq!((row.host_school_id.as_str(), row.start_year), (m.to_school.as_str(), 2025));
    }
    assert_eq!(
        summary(&s.join("plan-2026"))["eligible"],
        serde_json::json!(rotaplan::rules::eligibility::county_ineligibility(&next)
            .iter()
            .zip(&next.teachers)
            .filter(|(r, t)| r.is_empty() && next.policy.in_teachers_share(t.role))
            .count()),
        "E counts the eligible class teachers (principals rotate by their own rule)"
    );
}

/// Three school years on data/anze as it is committed: plan → advance →
/// plan → advance → plan, every plan proven and passing the independent
/// auditor on its year's data, no teacher moved twice, the register's due
/// returns coming home.
#[test]
fn three_years_on_the_committed_anze() {
    let scratch = tempfile::tempdir().unwrap();
    let mut data = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/anze");
    let mut moved: Vec<String> = Vec::new();
    for year in 2025..=2027 {
        let county = rotaplan::io::load(&data, None).unwrap().county;
        assert_eq!(county.policy.year, year);
        let plan = scratch.path().join(format!("plan-{year}"));
        let out = Command::cargo_bin("rotaplan")
            .unwrap()
            .args(["plan", "-q"])
            .arg(&data)
            .arg("-o")
            .arg(&plan)
            .output()
            .unwrap();
        assert!(out.status.success(), "{year}: {}", String::from_utf8_lossy(&out.stderr));
        assert_eq!(summary(&plan)["solver"]["optimal"], true, "{year}");
        let list = rotaplan::io::plan_list::PlanList::read_for(&plan.join("rotations.csv"), &county).unwrap();
        let verdict = rotaplan::rules::audit::audit_with_returns(&county, &list.moves, &list.extended);
        assert!(verdict.violations.is_empty(), "{year}: {} violations", verdict.violations.len());
        let due: Vec<&str> =
            county.exchanges.iter().filter(|e| e.returns_in(year)).map(|e| e.teacher_id.as_str()).collect();
        let mut returned: Vec<&str> = list.returns.iter().map(String::as_str).collect();
        returned.sort();
        let mut due_sorted = due.clone();
        due_sorted.sort();
        assert_eq!(returned, due_sorted, "{year}: every due return comes home");
        for m in &list.moves {
            assert!(!moved.contains(&m.teacher_id), "{year}: {} moved twice", m.teacher_id);
        }
        moved.extend(list.moves.iter().map(|m| m.teacher_id.clone()));
        let next = scratch.path().join(format!("data-{}", year + 1));
        let out = Command::cargo_bin("rotaplan")
            .unwrap()
            .args(["advance", "-q"])
            .arg(&data)
            .arg(&plan)
            .arg("-o")
            .arg(&next)
            .output()
            .unwrap();
        assert!(out.status.success(), "{year}: {}", String::from_utf8_lossy(&out.stderr));
        data = next;
    }
}
