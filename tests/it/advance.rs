//! `rotaplan advance`: next year's data folder from this year's data and its
//! accepted plan (issue 13, point 2), and the round trip over three years.

use std::path::{Path, PathBuf};

use assert_cmd::Command;

use rotaplan::commands::advance::accepted_plan;
use rotaplan::domain::changes::ProposedMove;
use rotaplan::domain::{County, Exchange, ExchangeDecision, Gender, Level};
use rotaplan::io::plan_list::PlanList;
use rotaplan::rules::eligibility::is_eligible;
use rotaplan::rules::next_year::next_year;
use rotaplan::{load, read_plan_list};

use crate::common::copy_folder;
use crate::score::small_county;

fn rotaplan() -> Command {
    Command::cargo_bin("rotaplan").unwrap()
}

/// The rows of a CSV file rotaplan wrote (after its BOM), header first.
fn read_csv(path: &Path) -> Vec<Vec<String>> {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    assert_eq!(&bytes[..3], &[0xEF, 0xBB, 0xBF], "{} starts with a UTF-8 BOM", path.display());
    let mut reader = csv::ReaderBuilder::new().has_headers(false).from_reader(&bytes[3..]);
    reader.records().map(|r| r.unwrap().iter().map(str::to_string).collect()).collect()
}

/// The rows of `rows` as maps from header to cell.
fn by_header(rows: &[Vec<String>]) -> Vec<std::collections::BTreeMap<String, String>> {
    let header = &rows[0];
    rows[1..].iter().map(|r| header.iter().cloned().zip(r.iter().cloned()).collect()).collect()
}

fn plan_into(data: &Path, out: &Path) {
    rotaplan().args(["plan", "-q"]).arg(data).arg("-o").arg(out).assert().success();
}

fn advance_into(data: &Path, plan: &Path, out: &Path) {
    rotaplan().args(["advance", "-q"]).arg(data).arg(plan).arg("-o").arg(out).assert().success();
}

fn loaded(data: &Path) -> County {
    load(data, None).unwrap_or_else(|e| panic!("{} loads: {e}", data.display())).county
}

/// A teacher of `county` in `level` and a school other than theirs with that
/// section: (teacher index, other school id).
fn teacher_and_other_school(county: &County, level: Level, skip: &[&str]) -> (usize, String) {
    for (i, t) in county.teachers.iter().enumerate() {
        if t.level != level || skip.contains(&t.id.as_str()) {
            continue;
        }
        if let Some(s) = county.schools.iter().find(|s| s.id != t.school_id && s.has(level)) {
            return (i, s.id.clone());
        }
    }
    panic!("the county has a teacher of {level:?} and another school with the section")
}

fn register_row(teacher: &str, home: &str, host: &str, years: (i32, i32), decision: ExchangeDecision) -> Exchange {
    Exchange {
        teacher_id: teacher.into(),
        home_school_id: home.into(),
        host_school_id: host.into(),
        start_year: years.0,
        end_year: years.1,
        decision,
    }
}

#[test]
fn a_mover_is_not_eligible_next_year() {
    let tmp = tempfile::tempdir().unwrap();
    let data = small_county(&tmp.path().join("data"));
    let (plan, next) = (tmp.path().join("plan"), tmp.path().join("next"));
    plan_into(&data, &plan);
    advance_into(&data, &plan, &next);
    let moves = read_plan_list(&plan.join("rotations.csv")).unwrap();
    assert!(!moves.is_empty(), "the small county's plan moves teachers");
    let county = loaded(&next);
    assert_eq!(county.policy.year, 2026);
    assert!(county.locks.is_empty());
    for m in &moves {
        let t = county.teachers.iter().find(|t| t.id == m.teacher_id).expect("a mover stays on the roll");
        assert_eq!(t.school_id, m.to_school, "{} teaches at the new school", t.id);
        assert_eq!((t.school_since, t.last_rotated), (2025, Some(2025)), "{}", t.id);
        assert!(!is_eligible(t, &county.policy), "{} moved this year and is not eligible next year", t.id);
    }
    let register = by_header(&read_csv(&next.join("exchanges.csv")));
    let of_movers = register.iter().filter(|r| moves.iter().any(|m| m.teacher_id == r["teacher_id"])).count();
    assert_eq!(of_movers, moves.len(), "one register row per mover");
    assert_eq!(county.exchanges.len(), register.len(), "the register reads back");
    let before = loaded(&data);
    for m in &moves {
        let row = register.iter().find(|r| r["teacher_id"] == m.teacher_id).expect("the mover's register row");
        let home = &before.teachers.iter().find(|t| t.id == m.teacher_id).unwrap().school_id;
        assert_eq!(&row["home_school_id"], home);
        assert_eq!(row["host_school_id"], m.to_school);
        assert_eq!((row["start_year"].as_str(), row["end_year"].as_str()), ("2025", "2028"));
        assert_eq!(row["decision"], "return");
    }
    // `evaluate NEXT_DATA` reads the folder at once and says the same.
    let evaluated = tmp.path().join("evaluated");
    rotaplan().args(["evaluate", "-q"]).arg(&next).arg("-o").arg(&evaluated).assert().success();
    let eligibility = by_header(&read_csv(&evaluated.join("eligibility.csv")));
    for m in &moves {
        let row = eligibility.iter().find(|r| r["teacher_id"] == m.teacher_id).unwrap();
        assert_eq!(row["eligible"], "no", "{}", m.teacher_id);
        // A principal's or vice principal's years: principal_years.
        let years = ["years_at_school", "principal_years"].iter().any(|id| row["reason_ids"].contains(id));
        assert!(years, "{}: {}", m.teacher_id, row["reason_ids"]);
    }
}

#[test]
fn returns_go_home_and_their_rows_close() {
    let tmp = tempfile::tempdir().unwrap();
    let mut county = loaded(&small_county(&tmp.path().join("data")));
    let year = county.policy.year;
    let mut rows = Vec::new();
    let mut taken: Vec<String> = Vec::new();
    let decisions = [
        (ExchangeDecision::Return, year - 3, year),     // due: goes home
        (ExchangeDecision::Return, year - 3, year),     // due, extended by the plan
        (ExchangeDecision::Transfer, year - 3, year),   // ended transfer: stays for good
        (ExchangeDecision::Return, year - 1, year + 2), // not due: stays on exchange
        (ExchangeDecision::Return, year - 3, year - 1), // due (late): goes home
    ];
    for (decision, start, end) in decisions {
        let skip: Vec<&str> = taken.iter().map(String::as_str).collect();
        let (i, home) = teacher_and_other_school(&county, Level::Primary, &skip);
        let t = &mut county.teachers[i];
        t.school_since = start;
        taken.push(t.id.clone());
        rows.push(register_row(&t.id, &home, &t.school_id.clone(), (start, end), decision));
    }
    let county = county.with_exchanges(rows.clone());
    let returns = vec![taken[0].clone(), taken[4].clone()];
    let next = next_year(&county, &[], &returns, &[taken[1].clone()]);
    let find = |id: &str| next.county.teachers.iter().find(|t| t.id == id).unwrap().clone();
    for (k, row) in [(0, &rows[0]), (4, &rows[4])] {
        let t = find(&taken[k]);
        assert_eq!(t.school_id, row.home_school_id, "a returned teacher is home");
        assert_eq!((t.school_since, t.last_rotated), (year + 1, Some(row.end_year)));
        assert!(next.county.exchange_of(&t.id).is_none(), "the returned teacher's row is closed");
    }
    let extended = next.county.exchange_of(&taken[1]).expect("the extended row stays");
    assert_eq!(extended.end_year, year + 1);
    assert_eq!(find(&taken[1]).school_id, rows[1].host_school_id);
    assert!(next.county.exchange_of(&taken[2]).is_none(), "an ended transfer leaves the register");
    assert_eq!(find(&taken[2]).school_id, rows[2].host_school_id, "the transferred teacher stays");
    assert_eq!(next.county.exchange_of(&taken[3]), Some(&rows[3]), "a running exchange is kept as it is");
    assert_eq!((next.returned, next.extended, next.county.exchanges.len()), (2, 1, 2));

    // From a list: the row home is a return, the row at the host an
    // extension; a due return the list leaves out happens all the same.
    let list = tmp.path().join("rotations.csv");
    let rows_of_list = [ProposedMove::new(&taken[1], &rows[1].host_school_id)];
    let plan = accepted_plan(&county, &list, PlanList { moves: rows_of_list.to_vec(), ..Default::default() }).unwrap();
    assert!(plan.moves.is_empty());
    assert_eq!(plan.extended, vec![taken[1].clone()]);
    let mut due = vec![taken[0].clone(), taken[4].clone()];
    due.sort();
    assert_eq!(plan.returns, due, "every due return that is not extended");
    let home_row = [ProposedMove::new(&taken[0], &rows[0].home_school_id)];
    let plan = accepted_plan(&county, &list, PlanList { moves: home_row.to_vec(), ..Default::default() }).unwrap();
    assert!(plan.moves.is_empty() && plan.extended.is_empty());
    let mut all_due = vec![taken[0].clone(), taken[1].clone(), taken[4].clone()];
    all_due.sort();
    assert_eq!(plan.returns, all_due, "without its extension, the second due return happens too");
}

#[test]
fn teachers_past_the_retirement_age_leave_the_roll() {
    let tmp = tempfile::tempdir().unwrap();
    let data = small_county(&tmp.path().join("data"));
    std::fs::write(data.join("policy.toml"), "year = 2025\n[retirement]\nage_male = 62\n").unwrap();
    let mut county = loaded(&data);
    let next = 2026;
    let ages = [(Gender::Male, 63), (Gender::Male, 62), (Gender::Female, 56), (Gender::Female, 55)];
    let mut ids = Vec::new();
    for (k, (gender, age)) in ages.into_iter().enumerate() {
        let t = &mut county.teachers[k];
        t.gender = gender;
        t.birth_year = next - age;
        ids.push(t.id.clone());
    }
    let mover = county.teachers[0].id.clone();
    let to = county.schools.iter().find(|s| s.id != county.teachers[0].school_id && s.has(county.teachers[0].level));
    let to = to.expect("another school").id.clone();
    let result = next_year(&county, &[ProposedMove::new(&mover, &to)], &[], &[]);
    let retired: Vec<(&str, i32)> = result.retired.iter().map(|r| (r.teacher.id.as_str(), r.age)).collect();
    let older: Vec<(&str, i32)> = county
        .teachers
        .iter()
        .filter(|t| t.birth_year < next - 62 || (t.gender == Gender::Female && t.birth_year < next - 55))
        .map(|t| (t.id.as_str(), next - t.birth_year))
        .collect();
    assert_eq!(retired, older, "exactly the teachers past 62 (men) or 55 (women) next year, by id");
    assert!(retired.contains(&(ids[0].as_str(), 63)) && retired.contains(&(ids[2].as_str(), 56)));
    assert!(!retired.iter().any(|(id, _)| *id == ids[1] || *id == ids[3]), "62 and 55 still teach");
    assert!(result.county.teachers.iter().all(|t| !retired.iter().any(|(id, _)| *id == t.id)));
    assert_eq!(result.retired[0].teacher.school_id, to, "retired.csv names the school after this year's move");
    assert!(result.county.exchange_of(&mover).is_none(), "a retired mover has no register row");
    assert_eq!(result.county.teachers.len() + result.retired.len(), county.teachers.len());
}

#[test]
fn retired_csv_lists_who_leaves() {
    let tmp = tempfile::tempdir().unwrap();
    let data = small_county(&tmp.path().join("data"));
    let plan = tmp.path().join("plan");
    plan_into(&data, &plan);
    let next = tmp.path().join("next");
    advance_into(&data, &plan, &next);
    let county = loaded(&data);
    let rows = read_csv(&next.join("retired.csv"));
    assert_eq!(rows[0], ["teacher_id", "name", "school_id", "gender", "birth_year", "age"]);
    let expected: Vec<&str> = county
        .teachers
        .iter()
        .filter(|t| county.policy.retired_in(t.gender, t.birth_year, 2026))
        .map(|t| t.id.as_str())
        .collect();
    assert!(!expected.is_empty(), "the synthetic county has teachers about to retire");
    let listed: Vec<&str> = rows[1..].iter().map(|r| r[0].as_str()).collect();
    assert_eq!(listed, expected);
    for row in &rows[1..] {
        let t = county.teachers.iter().find(|t| t.id == row[0]).unwrap();
        assert_eq!(row[5], (2026 - t.birth_year).to_string());
        assert_eq!(row[3], t.gender.word());
    }
    let next_county = loaded(&next);
    assert!(next_county.teachers.iter().all(|t| !listed.contains(&t.id.as_str())));
}

#[test]
fn enrollment_replaces_the_numbers_of_the_schools_listed() {
    let tmp = tempfile::tempdir().unwrap();
    let data = small_county(&tmp.path().join("data"));
    let plan = tmp.path().join("plan");
    plan_into(&data, &plan);
    let county = loaded(&data);
    let primary = county.schools.iter().find(|s| s.kind == rotaplan::domain::SchoolKind::Primary).unwrap();
    let nine = county.schools.iter().find(|s| s.kind == rotaplan::domain::SchoolKind::NineYear).unwrap();
    let file = tmp.path().join("enrollment.csv");
    let text = format!(
        "学校代码,小学在校生数,初中在校生数,小学班级数,初中班级数\n{},501,,11,\n{},302,203,7,5\n",
        primary.id, nine.id
    );
    std::fs::write(&file, text).unwrap();
    let next = tmp.path().join("next");
    rotaplan()
        .args(["advance", "--lang", "en"])
        .arg(&data)
        .arg(&plan)
        .arg("-o")
        .arg(&next)
        .arg("--enrollment")
        .arg(&file)
        .assert()
        .success()
        .stdout(predicates::str::contains("Students and classes of 2 schools replaced"));
    let after = loaded(&next);
    let school = |id: &str| after.school(id).unwrap().clone();
    assert_eq!((school(&primary.id).students, school(&primary.id).classes), ([501, 0], [11, 0]));
    assert_eq!((school(&nine.id).students, school(&nine.id).classes), ([302, 203], [7, 5]));
    for s in county.schools.iter().filter(|s| s.id != primary.id && s.id != nine.id) {
        assert_eq!(school(&s.id), *s, "a school not listed keeps its numbers");
    }

    // Checked like schools.csv: every problem at once, naming the cell.
    let bad = tmp.path().join("bad.csv");
    let text = format!(
        "school_id,primary_students,junior_students,primary_classes,junior_classes\nNOPE,1,0,1,0\n{p},40,12,2,1\n{n},90,abc,0,2\n{p},1,0,1,0\n",
        p = primary.id,
        n = nine.id
    );
    std::fs::write(&bad, text).unwrap();
    let out = rotaplan()
        .args(["advance", "--lang", "en"])
        .arg(&data)
        .arg(&plan)
        .arg("-o")
        .arg(tmp.path().join("never"))
        .arg("--enrollment")
        .arg(&bad)
        .assert()
        .code(2)
        .get_output()
        .stderr
        .clone();
    let err = String::from_utf8(out).unwrap();
    assert!(err.contains("bad.csv:2") && err.contains("unknown school \"NOPE\""), "{err}");
    assert!(err.contains("bad.csv:3") && err.contains("has no junior section"), "{err}");
    assert!(err.contains("bad.csv:4") && err.contains("\"abc\""), "{err}");
    assert!(err.contains("0 classes for 90 primary students"), "{err}");
    assert!(err.contains("bad.csv:5") && err.contains("given twice"), "{err}");
    assert!(!tmp.path().join("never").exists(), "nothing is written when the input has problems");
}

#[test]
fn advance_is_deterministic_and_reads_back_as_written() {
    let tmp = tempfile::tempdir().unwrap();
    let data = small_county(&tmp.path().join("data"));
    let plan = tmp.path().join("plan");
    plan_into(&data, &plan);
    let (first, second) = (tmp.path().join("first"), tmp.path().join("second"));
    advance_into(&data, &plan, &first);
    advance_into(&data, &plan.join("rotations.csv"), &second);
    let names = |dir: &Path| {
        let mut n: Vec<String> =
            std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
        n.sort();
        n
    };
    assert_eq!(names(&first), names(&second));
    // family.csv only when the county has family ties (read from its family.csv).
    let mut expected =
        vec![".rotaplan-output", "exchanges.csv", "policy.toml", "retired.csv", "schools.csv", "teachers.csv"];
    if !loaded(&data).family.is_empty() {
        expected.insert(2, "family.csv");
    }
    assert_eq!(names(&first), expected);
    // A plan folder without rotations.csv is read through its plan.xlsx.
    let only_xlsx = tmp.path().join("only-xlsx");
    std::fs::create_dir_all(&only_xlsx).unwrap();
    std::fs::copy(plan.join("plan.xlsx"), only_xlsx.join("plan.xlsx")).unwrap();
    let third = tmp.path().join("third");
    advance_into(&data, &only_xlsx, &third);
    for name in names(&first) {
        let bytes = std::fs::read(first.join(&name)).unwrap();
        assert_eq!(bytes, std::fs::read(second.join(&name)).unwrap(), "{name}");
        assert_eq!(bytes, std::fs::read(third.join(&name)).unwrap(), "{name} from plan.xlsx");
    }
    // Written, read and written again: the same bytes (the data loses nothing).
    let reread = loaded(&first);
    assert!(!reread.exchanges.is_empty());
    let again = rotaplan::render::data_folder::county_files(&reread);
    for name in ["policy.toml", "schools.csv", "teachers.csv", "exchanges.csv"] {
        assert_eq!(again.get(name).unwrap(), std::fs::read(first.join(name)).unwrap().as_slice(), "{name}");
    }
    // The schools of this year, written back, read as they were.
    let county = loaded(&data);
    let files = rotaplan::render::data_folder::county_files(&county);
    let copy = tmp.path().join("copy");
    std::fs::create_dir_all(&copy).unwrap();
    for name in files.names() {
        std::fs::write(copy.join(name), files.get(name).unwrap()).unwrap();
    }
    let back = loaded(&copy);
    assert_eq!(back.exchanges, county.exchanges);
    assert_eq!(back.schools, county.schools);
    assert_eq!(back.teachers, county.teachers);
    assert_eq!(back.policy, county.policy);
}

#[test]
fn the_policy_keeps_its_overrides_with_the_next_year() {
    let tmp = tempfile::tempdir().unwrap();
    let data = small_county(&tmp.path().join("data"));
    let policy = "year = 2025\ninspection_year = 2027\n[rotation]\nmin_share = 0.12\nmax_share = 0.15\nyears = 2\n\
                  [movement]\nroad_factor = 1.45\nheadcount_tolerance = 2\n[exchange]\nreturns = \"optional\"\n\
                  [retirement]\nage_female = 57\n[standards.class_size]\nprimary = 40\n[standards]\njunior_weight = 1.25\n\
                  [staffing.primary]\nit = 1\nchinese = 7.5\n[staffing.load]\njunior = 12.5\n";
    std::fs::write(data.join("policy.toml"), policy).unwrap();
    let county = loaded(&data);
    let plan = tmp.path().join("plan");
    plan_into(&data, &plan);
    let next = tmp.path().join("next");
    advance_into(&data, &plan, &next);
    let after = loaded(&next);
    let mut expected = county.policy.clone();
    expected.year = 2026;
    assert_eq!(after.policy, expected, "every override kept, the year one on");
    assert_eq!(after.policy.inspection_year(), 2027, "an explicit inspection year stays");
    let moves = read_plan_list(&plan.join("rotations.csv")).unwrap();
    let register = by_header(&read_csv(&next.join("exchanges.csv")));
    let of_movers: Vec<_> = register.iter().filter(|r| moves.iter().any(|m| m.teacher_id == r["teacher_id"])).collect();
    assert!(of_movers.len() == moves.len() && of_movers.iter().all(|r| r["end_year"] == "2027"), "rotation.years = 2");

    // From a workbook whose policy sheet holds the keys: the same policy.toml.
    let book = tmp.path().join("county.xlsx");
    crate::common::workbook_from_folder(&data, &book, false);
    let from_book = tmp.path().join("from-book");
    advance_into(&book, &plan, &from_book);
    assert_eq!(loaded(&from_book).policy, expected);
    for name in ["policy.toml", "schools.csv", "teachers.csv", "exchanges.csv", "retired.csv"] {
        assert_eq!(std::fs::read(next.join(name)).unwrap(), std::fs::read(from_book.join(name)).unwrap(), "{name}");
    }
}

#[test]
fn the_output_folder_is_never_an_input() {
    let tmp = tempfile::tempdir().unwrap();
    let data = small_county(&tmp.path().join("data"));
    let plan = tmp.path().join("plan");
    plan_into(&data, &plan);
    let enrollment = tmp.path().join("enrollment");
    std::fs::create_dir_all(&enrollment).unwrap();
    std::fs::write(
        enrollment.join("e.csv"),
        "school_id,primary_students,junior_students,primary_classes,junior_classes\n",
    )
    .unwrap();
    let refused = |out: PathBuf, extra: &[&Path]| {
        let mut cmd = rotaplan();
        cmd.args(["advance", "--lang", "en"]).arg(&data).arg(&plan).arg("-o").arg(&out);
        for e in extra {
            cmd.arg("--enrollment").arg(e);
        }
        let output = cmd.assert().code(2).get_output().stderr.clone();
        String::from_utf8(output).unwrap()
    };
    assert!(refused(data.clone(), &[]).contains("is the input"));
    assert!(refused(data.join("next"), &[]).contains("lies inside the input"));
    assert!(refused(plan.clone(), &[]).contains("is the input"));
    assert!(refused(enrollment.clone(), &[&enrollment.join("e.csv")]).contains("contains the input"));
    assert!(data.join("teachers.csv").exists() && plan.join("rotations.csv").exists());

    // An earlier advance is replaced; a plan run never writes over next year's data unforced.
    let next = tmp.path().join("next");
    advance_into(&data, &plan, &next);
    advance_into(&data, &plan, &next);
    let err = rotaplan().args(["plan", "--lang", "en"]).arg(&data).arg("-o").arg(&next).assert().code(2);
    let err = String::from_utf8(err.get_output().stderr.clone()).unwrap();
    assert!(err.contains("rotaplan advance") && err.contains("data, not a result"), "{err}");
    assert!(next.join("teachers.csv").exists());
}

/// The register as exchanges.csv holds it.
fn written_register(path: &Path) -> Vec<Exchange> {
    by_header(&read_csv(path))
        .into_iter()
        .map(|r| Exchange {
            teacher_id: r["teacher_id"].clone(),
            home_school_id: r["home_school_id"].clone(),
            host_school_id: r["host_school_id"].clone(),
            start_year: r["start_year"].parse().unwrap(),
            end_year: r["end_year"].parse().unwrap(),
            decision: ExchangeDecision::parse(&r["decision"]).unwrap(),
        })
        .collect()
}

/// The round trip over three school years on data/anze with exchange terms
/// of one year that the planner may extend: plan → advance → plan →
/// advance → plan, each plan clean by the independent auditor, movers never
/// eligible the next year, each folder the county one year on as
/// `next_year` computes it, and the register growing by each year's movers
/// and extensions while the returned teachers go home.
#[test]
fn three_years_on_anze() {
    let tmp = tempfile::tempdir().unwrap();
    let anze = Path::new(env!("CARGO_MANIFEST_DIR")).join("data").join("anze");
    let mut data = tmp.path().join("2025");
    copy_folder(&anze, &data);
    let policy = "year = 2025\n[rotation]\nyears = 1\n[exchange]\nreturns = \"optional\"\n";
    std::fs::write(data.join("policy.toml"), policy).unwrap();
    let mut previous: Vec<ProposedMove> = Vec::new();
    let mut returned = 0;
    for year in 2025..=2027 {
        let county = loaded(&data);
        assert_eq!(county.policy.year, year);
        let plan = tmp.path().join(format!("plan-{year}"));
        plan_into(&data, &plan);
        let list_path = plan.join("rotations.csv");
        let list = PlanList::read_for(&list_path, &county).unwrap();
        let verdict = rotaplan::rules::audit::audit_with_returns(&county, &list.moves, &list.extended);
        assert!(verdict.is_valid(), "{year}: the auditor finds the plan clean: {:?}", verdict.violations);
        assert!(!list.moves.is_empty(), "{year}");
        let due = county.exchanges.iter().filter(|e| e.returns_in(year)).count();
        assert_eq!(list.returns.len() + list.extended.len(), due, "{year}: every due return is listed");
        for m in &previous {
            let t = county.teachers.iter().find(|t| t.id == m.teacher_id);
            assert!(t.is_none_or(|t| !is_eligible(t, &county.policy)), "{year}: {} moved last year", m.teacher_id);
            assert!(!list.moves.iter().any(|n| n.teacher_id == m.teacher_id), "{year}: {} moves again", m.teacher_id);
        }
        if year == 2027 {
            break;
        }
        let accepted = accepted_plan(&county, &list_path, list.clone()).unwrap();
        assert_eq!((accepted.returns.len(), accepted.extended.len()), (list.returns.len(), list.extended.len()));
        let expected = next_year(&county, &accepted.moves, &accepted.returns, &accepted.extended);
        let next = tmp.path().join(format!("{}", year + 1));
        advance_into(&data, &plan, &next);
        let next_county = loaded(&next);
        assert_eq!(next_county.teachers, expected.county.teachers, "{year}: the teachers one year on");
        assert_eq!(next_county.schools, county.schools, "{year}: the schools stay");
        assert_eq!(written_register(&next.join("exchanges.csv")), expected.county.exchanges, "{year}: the register");
        assert_eq!(next_county.exchanges, expected.county.exchanges, "{year}: the register reads back");
        // The register after the year: this year's movers and the extended
        // rows; the returned teachers are home with their rows closed.
        let mut ids: Vec<&str> = next_county.exchanges.iter().map(|e| e.teacher_id.as_str()).collect();
        let mut kept: Vec<&str> = list.moves.iter().map(|m| m.teacher_id.as_str()).collect();
        kept.extend(list.extended.iter().map(String::as_str));
        // The rows of the register whose term goes on, unless the teacher retires.
        kept.extend(
            county
                .exchanges
                .iter()
                .filter(|e| e.end_year > year)
                .filter(|e| next_county.teachers.iter().any(|t| t.id == e.teacher_id))
                .map(|e| e.teacher_id.as_str()),
        );
        ids.sort();
        kept.sort();
        assert_eq!(ids, kept, "{year}: the register after the year");
        for id in &list.returns {
            let row = county.exchange_of(id).unwrap();
            let t = next_county.teachers.iter().find(|t| &t.id == id).unwrap();
            assert_eq!((t.school_id.as_str(), t.school_since), (row.home_school_id.as_str(), year + 1), "{year}");
        }
        for id in &list.extended {
            assert_eq!(next_county.exchange_of(id).unwrap().end_year, county.exchange_of(id).unwrap().end_year + 1);
        }
        returned += list.returns.len();
        previous = list.moves;
        data = next;
    }
    assert!(returned > 0, "some teachers went home over the years");
}

/// The register through the files: exchanges.csv in the data, a list that
/// extends one due return, and next year's folder read back.
#[test]
fn returns_and_extensions_through_the_files() {
    let tmp = tempfile::tempdir().unwrap();
    let mut county = loaded(&small_county(&tmp.path().join("synth")));
    let year = county.policy.year;
    let mut rows = Vec::new();
    let mut taken: Vec<String> = Vec::new();
    let terms = [
        (ExchangeDecision::Return, year - 2, year),
        (ExchangeDecision::Return, year - 2, year),
        (ExchangeDecision::Transfer, year - 2, year - 1),
        (ExchangeDecision::Return, year - 1, year + 1),
    ];
    for (decision, start, end) in terms {
        let skip: Vec<&str> = taken.iter().map(String::as_str).collect();
        let (i, home) = teacher_and_other_school(&county, Level::Primary, &skip);
        let t = &mut county.teachers[i];
        t.school_since = start;
        taken.push(t.id.clone());
        rows.push(register_row(&t.id, &home, &t.school_id.clone(), (start, end), decision));
    }
    let county = county.with_exchanges(rows.clone());
    let data = tmp.path().join("data");
    std::fs::create_dir_all(&data).unwrap();
    let files = rotaplan::render::data_folder::county_files(&county);
    for name in files.names() {
        std::fs::write(data.join(name), files.get(name).unwrap()).unwrap();
    }
    assert_eq!(loaded(&data).exchanges, rows, "the register reads as written");
    let list = tmp.path().join("rotations.csv");
    std::fs::write(&list, format!("teacher_id,to_school\n{},{}\n", taken[1], rows[1].host_school_id)).unwrap();
    let next = tmp.path().join("next");
    let out =
        rotaplan().args(["advance", "--lang", "en"]).arg(&data).arg(&list).arg("-o").arg(&next).assert().success();
    let stdout = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    assert!(stdout.contains("0 teachers moved, 1 returned home, 1 returns extended"), "{stdout}");
    assert!(stdout.contains("2 on exchange"), "{stdout}");
    let after = loaded(&next);
    let teacher = |id: &str| after.teachers.iter().find(|t| t.id == id).unwrap().clone();
    let back = teacher(&taken[0]);
    assert_eq!(
        (back.school_id.as_str(), back.school_since, back.last_rotated),
        (rows[0].home_school_id.as_str(), year + 1, Some(year))
    );
    let mut extended = rows[1].clone();
    extended.end_year += 1;
    assert_eq!(after.exchanges, vec![extended, rows[3].clone()], "returned and transferred rows closed");
    assert_eq!(teacher(&taken[2]).school_id, rows[2].host_school_id, "a transfer stays at the host");
}

/// `--enrollment` from a workbook's first sheet, Chinese headers; the
/// terminal summary in Chinese by default; this year's locks left behind.
#[test]
fn enrollment_from_a_workbook_and_the_summary_in_chinese() {
    let tmp = tempfile::tempdir().unwrap();
    let data = small_county(&tmp.path().join("data"));
    let first = loaded(&data).teachers[0].id.clone();
    std::fs::write(data.join("locks.csv"), format!("teacher_id,action,school_id,note\n{first},stay,,\n")).unwrap();
    assert_eq!(loaded(&data).locks.len(), 1);
    let plan = tmp.path().join("plan");
    plan_into(&data, &plan);
    let county = loaded(&data);
    let school = county.schools.iter().find(|s| s.has(Level::Primary) && !s.has(Level::Junior)).unwrap();
    let book_path = tmp.path().join("enrollment.xlsx");
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (col, header) in ["学校代码", "小学在校生数", "初中在校生数", "小学班级数", "初中班级数"].iter().enumerate()
    {
        sheet.write_string(0, col as u16, *header).unwrap();
    }
    sheet.write_string(1, 0, &school.id).unwrap();
    sheet.write_number(1, 1, 433.0).unwrap();
    sheet.write_number(1, 2, 0.0).unwrap();
    sheet.write_number(1, 3, 10.0).unwrap();
    book.save(&book_path).unwrap();
    let next = tmp.path().join("next");
    let out = rotaplan()
        .arg("advance")
        .arg(&data)
        .arg(&plan)
        .arg("-o")
        .arg(&next)
        .arg("--enrollment")
        .arg(&book_path)
        .assert()
        .success();
    let stdout = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    let moves = read_plan_list(&plan.join("rotations.csv")).unwrap().len();
    assert!(stdout.contains(&format!("2026 年度数据：交流 {moves} 人")), "{stdout}");
    assert!(stdout.contains("已按 --enrollment 更新 1 所学校") && stdout.contains("文件："), "{stdout}");
    assert!(stdout.contains("本年度的 1 条锁定（locks.csv）是本年度的决定，没有带入下一年度"), "{stdout}");
    assert!(!next.join("locks.csv").exists());
    let after = loaded(&next);
    let s = after.school(&school.id).unwrap();
    assert_eq!((s.students, s.classes), ([433, 0], [10, 0]));
}

/// data/anze's plan: its rotations.csv as text.
fn anze_list(tmp: &Path) -> String {
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/anze");
    let plan = tmp.join("plan");
    plan_into(&data, &plan);
    std::fs::read_to_string(plan.join("rotations.csv")).unwrap()
}

/// `list` with `edit` applied to its lines, written to `tmp/name`.
fn edited(tmp: &Path, list: &str, name: &str, edit: impl Fn(&str) -> String) -> PathBuf {
    let lines: Vec<String> = list.lines().map(edit).collect();
    let path = tmp.join(name);
    std::fs::write(&path, lines.join("\n")).unwrap();
    path
}

/// `rotaplan [--lang en] advance data/anze LIST -o OUT`.
fn advance_anze(lang: &str, list: &Path, out: &Path) -> std::process::Output {
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/anze");
    let mut command = Command::cargo_bin("rotaplan").unwrap();
    if lang != "zh" {
        command.args(["--lang", lang]);
    }
    command.arg("advance").arg(&data).arg(list).arg("-o").arg(out).output().unwrap()
}

#[test]
fn advance_refuses_return_rows_that_are_not_due_and_rotations_of_teachers_on_exchange() {
    let tmp = tempfile::tempdir().unwrap();
    let plan = anze_list(tmp.path());
    // T0075 is on exchange until 2027: no return is due in 2025.
    let list = edited(tmp.path(), &plan, "not-due.csv", |l| {
        if l.starts_with("T0126,") {
            format!("{l}\nT0075,,,,,,,,,,,,,return,")
        } else {
            l.to_string()
        }
    });
    let out = advance_anze("en", &list, &tmp.path().join("a"));
    assert_eq!(out.status.code(), Some(2), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stderr).contains("teacher T0075 has no return due in 2025"));
    // T0126's return is due: a rotation row sending them elsewhere is refused.
    let list = edited(tmp.path(), &plan, "elsewhere.csv", |l| {
        if l.starts_with("T0126,") {
            l.replacen(",AZ-N03,", ",AZ-J05,", 1).replace(",return", ",rotation")
        } else {
            l.to_string()
        }
    });
    let out = advance_anze("en", &list, &tmp.path().join("b"));
    assert_eq!(out.status.code(), Some(2), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stderr).contains("teacher T0126 is on exchange at AZ-J02 until 2025"));
    assert!(!tmp.path().join("a").exists() && !tmp.path().join("b").exists(), "nothing written");
}

#[test]
fn advance_says_when_the_accepted_list_breaks_rules() {
    let tmp = tempfile::tempdir().unwrap();
    let plan = anze_list(tmp.path());
    // Dropping two rotation lines leaves fewer moves than required.
    let list = edited(tmp.path(), &plan, "short.csv", |l| {
        if l.starts_with("T0014,") || l.starts_with("T0064,") {
            String::new()
        } else {
            l.to_string()
        }
    });
    let out = advance_anze("zh", &list, &tmp.path().join("n"));
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(said.contains("注意：该名单有") && said.contains("违反交流规则"), "{said}");
}

#[test]
fn advance_reads_the_changes_of_a_replan_with_its_list() {
    let tmp = tempfile::tempdir().unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let data = root.join("data/anze");
    let changes = root.join("data/anze-changes.csv");
    let plan = tmp.path().join("plan");
    plan_into(&data, &plan);
    let replan = tmp.path().join("replan");
    let run = Command::cargo_bin("rotaplan")
        .unwrap()
        .args(["replan", "-q"])
        .arg(&data)
        .arg("--published")
        .arg(plan.join("rotations.csv"))
        .arg("--changes")
        .arg(&changes)
        .arg("-o")
        .arg(&replan)
        .output()
        .unwrap();
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    // The re-plan keeps its changes beside the list, readable as a changes file.
    let county = loaded(&data);
    let kept = rotaplan::io::read_changes(&replan.join("requested_changes.csv"), &county).unwrap();
    assert_eq!(kept, rotaplan::io::read_changes(&changes, &county).unwrap());
    let leaver = "T0748";
    assert!(kept.iter().any(|c| c.teacher_id == leaver && c.action == rotaplan::io::ChangeAction::Leave));
    // The list file alone: the leaver stays on the roll and the refusals
    // look like broken rules; the note says how to give the changes.
    let list = replan.join("rotations.csv");
    let alone = advance_anze("zh", &list, &tmp.path().join("alone"));
    assert!(alone.status.success(), "{}", String::from_utf8_lossy(&alone.stderr));
    let said = String::from_utf8_lossy(&alone.stdout);
    assert!(said.contains("违反交流规则") && said.contains("--changes"), "{said}");
    assert!(loaded(&tmp.path().join("alone")).teachers.iter().any(|t| t.id == leaver));
    // With --changes: the leaver is gone and the list keeps every rule.
    let with = Command::cargo_bin("rotaplan")
        .unwrap()
        .arg("advance")
        .arg(&data)
        .arg(&list)
        .arg("--changes")
        .arg(&changes)
        .arg("-o")
        .arg(tmp.path().join("with"))
        .output()
        .unwrap();
    assert!(with.status.success(), "{}", String::from_utf8_lossy(&with.stderr));
    let said = String::from_utf8_lossy(&with.stdout);
    assert!(said.contains("离岗 1 人") && !said.contains("违反"), "{said}");
    // data/anze has no locks.csv: the refusals are the changes', not locks left behind.
    assert!(!said.contains("锁定"), "{said}");
    let next = loaded(&tmp.path().join("with"));
    assert!(next.teachers.iter().all(|t| t.id != leaver) && next.exchange_of(leaver).is_none());
    assert_eq!(next.teachers.len() + 1, loaded(&tmp.path().join("alone")).teachers.len());
    // A teacher the changes say left, still on the list, is named as such.
    let text = std::fs::read_to_string(&list).unwrap();
    let mover = text.lines().nth(1).unwrap().split(',').next().unwrap().trim_start_matches('\u{feff}').to_string();
    let more = tmp.path().join("more-changes.csv");
    std::fs::write(&more, format!("teacher_id,action\n{mover},leave\n")).unwrap();
    let named = Command::cargo_bin("rotaplan")
        .unwrap()
        .arg("advance")
        .arg(&data)
        .arg(&list)
        .arg("--changes")
        .arg(&more)
        .arg("-o")
        .arg(tmp.path().join("named"))
        .output()
        .unwrap();
    assert_eq!(named.status.code(), Some(2));
    let said = String::from_utf8_lossy(&named.stderr);
    assert!(said.contains(&format!("按变动文件 more-changes.csv，教师 {mover} 已离岗")), "{said}");
    // requested_changes.csv that is not a file is refused, not skipped.
    let odd = tmp.path().join("odd");
    std::fs::create_dir(&odd).unwrap();
    for name in ["rotations.csv", "summary.json"] {
        std::fs::copy(replan.join(name), odd.join(name)).unwrap();
    }
    std::os::unix::fs::symlink("/dev/zero", odd.join("requested_changes.csv")).unwrap();
    let refused = advance_anze("en", &odd, &tmp.path().join("odd-next"));
    assert_eq!(refused.status.code(), Some(2), "{}", String::from_utf8_lossy(&refused.stderr));
    assert!(!tmp.path().join("odd-next").exists());
}
