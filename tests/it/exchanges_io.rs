//! The exchange register (issue 13 point 1, input side): exchanges.csv and
//! the workbook sheet 交流记录 read into `County::exchanges`, every
//! validation with its message in English and Chinese.

use std::path::Path;

use rotaplan::domain::{Exchange, ExchangeDecision};
use rotaplan::error::{Error, InputProblem};
use rotaplan::io::{load, Loaded};

use crate::common::{copy_folder, fixture, workbook_from_folder};

/// The tiny county (year 2025) with `register` as exchanges.csv, in `dir`.
fn tiny_with_register(dir: &Path, register: &str) {
    copy_folder(&fixture("tiny"), dir);
    std::fs::write(dir.join("exchanges.csv"), register).expect("write exchanges.csv");
}

fn load_ok(data: &Path) -> Loaded {
    match load(data, None) {
        Ok(loaded) => loaded,
        Err(error) => panic!("{} should load: {error}", data.display()),
    }
}

fn input_problems(data: &Path) -> Vec<InputProblem> {
    match load(data, None) {
        Ok(_) => panic!("{} should not load", data.display()),
        Err(Error::Input(list)) => list,
        Err(other) => panic!("{} should be an input error, got {other}", data.display()),
    }
}

/// `location: column: message` in English and in Chinese.
fn both(problems: &[InputProblem]) -> Vec<(String, String)> {
    problems
        .iter()
        .map(|p| {
            let zh = p.message_zh.clone().unwrap_or_else(|| panic!("no Chinese for {p}"));
            (p.to_string(), format!("{}: {}: {zh}", p.location, p.column))
        })
        .collect()
}

fn exchange(teacher: &str, home: &str, host: &str, years: (i32, i32), decision: ExchangeDecision) -> Exchange {
    Exchange {
        teacher_id: teacher.into(),
        home_school_id: home.into(),
        host_school_id: host.into(),
        start_year: years.0,
        end_year: years.1,
        decision,
    }
}

const REGISTER: &str = "teacher_id,home_school_id,host_school_id,start_year,end_year,decision
1012,S03,S02,2022,2025,
1025,S02,S03,2023,2026,extend
1029,S01,S04,2020,2023,transfer
";

fn expected_register() -> Vec<Exchange> {
    vec![
        exchange("1012", "S03", "S02", (2022, 2025), ExchangeDecision::Return),
        exchange("1025", "S02", "S03", (2023, 2026), ExchangeDecision::Extend),
        exchange("1029", "S01", "S04", (2020, 2023), ExchangeDecision::Transfer),
    ]
}

#[test]
fn a_register_loads_in_file_order_with_return_as_the_default_decision() {
    let dir = tempfile::tempdir().expect("tempdir");
    tiny_with_register(dir.path(), REGISTER);
    let loaded = load_ok(dir.path());
    assert!(loaded.warnings.is_empty(), "{:?}", loaded.warnings);
    assert_eq!(loaded.county.exchanges, expected_register());
    assert_eq!(loaded.county.exchange_of("1025").map(|e| e.end_year), Some(2026));
}

#[test]
fn a_county_without_a_register_has_no_exchanges() {
    assert!(load_ok(&fixture("tiny")).county.exchanges.is_empty());
}

#[test]
fn chinese_headers_and_words_read_the_same_register() {
    let dir = tempfile::tempdir().expect("tempdir");
    tiny_with_register(
        dir.path(),
        "教师编号,原学校代码,交流学校代码,开始年份,结束年份,处理方式
1012,S03,S02,2022,2025,返回
1025,S02,S03,2023,2026,续任
1029,S01,S04,2020,2023,转任
",
    );
    assert_eq!(load_ok(dir.path()).county.exchanges, expected_register());
}

#[test]
fn the_workbook_sheet_is_read_under_either_name() {
    let dir = tempfile::tempdir().expect("tempdir");
    let folder = dir.path().join("data");
    tiny_with_register(&folder, REGISTER);
    for chinese in [false, true] {
        let book = dir.path().join(format!("county-{chinese}.xlsx"));
        workbook_from_folder(&folder, &book, chinese);
        let loaded = load_ok(&book);
        assert!(loaded.warnings.is_empty(), "{:?}", loaded.warnings);
        assert_eq!(loaded.county.exchanges, expected_register(), "chinese sheet names: {chinese}");
    }
}

#[test]
fn a_bad_row_in_the_sheet_names_its_cell() {
    let dir = tempfile::tempdir().expect("tempdir");
    let folder = dir.path().join("data");
    tiny_with_register(
        &folder,
        "teacher_id,home_school_id,host_school_id,start_year,end_year\n1012,S03,S01,2022,2025\n",
    );
    let book = dir.path().join("county.xlsx");
    workbook_from_folder(&folder, &book, true);
    let found = both(&input_problems(&book));
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0].0.starts_with("county.xlsx 交流记录!C2: host_school_id: teacher \"1012\" serves at \"S02\""),
        "{found:?}"
    );
}

#[test]
fn every_problem_of_the_register_is_listed_at_once_in_english_and_chinese() {
    let dir = tempfile::tempdir().expect("tempdir");
    tiny_with_register(
        dir.path(),
        "teacher_id,home_school_id,host_school_id,start_year,end_year,decision
9999,S01,S02,2022,2025,
1011,S01,S02,2022,2025,
1013,S03,S01,2022,2025,
1014,S02,S02,2022,2025,
1015,S03,S02,2025,2023,
1016,S03,S02,1999,2125,
1017,S03,S02,2022,2025,maybe
1015,S03,S02,2022,2025,
1018,X1,S02,2022,2025,
1019,S03,Y2,2022,2025,
,S03,S02,2022,2025,
1026,,S03,2022,2025,
",
    );
    let found = both(&input_problems(dir.path()));
    let expected: Vec<(&str, &str)> = vec![
        (
            "exchanges.csv:2: teacher_id: unknown teacher \"9999\" (not in the teachers table)",
            "exchanges.csv:2: teacher_id: 教师表中没有教师「9999」",
        ),
        (
            "exchanges.csv:3: home_school_id: school \"S01\" is a primary school and has no junior section, teacher \"1011\"'s section; give the school the teacher returns to",
            "exchanges.csv:3: home_school_id: 学校「S01」是小学，没有教师「1011」的初中学段；请填写该教师返回的学校",
        ),
        (
            "exchanges.csv:4: host_school_id: teacher \"1013\" serves at \"S02\" in the teachers table, not at \"S01\"; a teacher on exchange is listed in teachers.csv at the host school: correct one of the two",
            "exchanges.csv:4: host_school_id: 教师表中教师「1013」在「S02」任教，而不是「S01」；交流中的教师在教师表中应登记在交流学校：请改正其中之一",
        ),
        (
            "exchanges.csv:5: host_school_id: the host school is the home school \"S02\"; an exchange is served at another school",
            "exchanges.csv:5: host_school_id: 交流学校就是原学校「S02」；交流须在另一所学校任教",
        ),
        (
            "exchanges.csv:6: end_year: the exchange ends (2023) before it starts (2025); give an end year of 2025 or later",
            "exchanges.csv:6: end_year: 结束年份 2023 早于开始年份 2025；请填写 2025 年或之后的年份",
        ),
        (
            "exchanges.csv:7: start_year: 1999 is not a plausible year; give a year from 2000 to 2100",
            "exchanges.csv:7: start_year: 1999 不是合理的年份；请填写 2000 至 2100 之间的年份",
        ),
        (
            "exchanges.csv:7: end_year: 2125 is not a plausible year; give a year from 2000 to 2100",
            "exchanges.csv:7: end_year: 2125 不是合理的年份；请填写 2000 至 2100 之间的年份",
        ),
        (
            "exchanges.csv:8: decision: unknown decision \"maybe\" (valid: return, extend, transfer)",
            "exchanges.csv:8: decision: 无法识别的处理方式「maybe」（可填：return、extend、transfer，或 返回、续任、转任）",
        ),
        (
            "exchanges.csv:9: teacher_id: teacher \"1015\" is in the register twice (first on line 6); keep one row per teacher, with the current exchange",
            "exchanges.csv:9: teacher_id: 教师「1015」在交流记录中出现两次（首次出现在第 6 行）；每位教师只保留一行，即当前的交流",
        ),
        (
            "exchanges.csv:10: home_school_id: unknown school \"X1\" (not in the schools table)",
            "exchanges.csv:10: home_school_id: 学校表中没有学校「X1」",
        ),
        (
            "exchanges.csv:11: host_school_id: unknown school \"Y2\" (not in the schools table)",
            "exchanges.csv:11: host_school_id: 学校表中没有学校「Y2」",
        ),
        (
            "exchanges.csv:12: teacher_id: empty cell; give the teacher on exchange",
            "exchanges.csv:12: teacher_id: 单元格为空；请填写交流的教师",
        ),
        (
            "exchanges.csv:13: home_school_id: empty cell; give the school the teacher comes from (and returns to)",
            "exchanges.csv:13: home_school_id: 单元格为空；请填写教师原来所在（交流期满后返回）的学校",
        ),
    ];
    let expected: Vec<(String, String)> = expected.into_iter().map(|(en, zh)| (en.into(), zh.into())).collect();
    assert_eq!(found, expected);
}

#[test]
fn chinese_headers_are_named_as_written_in_the_messages() {
    let dir = tempfile::tempdir().expect("tempdir");
    tiny_with_register(dir.path(), "教师编号,原学校代码,交流学校代码,开始年份,结束年份\n1012,S03,S02,2026,2025\n");
    let found = both(&input_problems(dir.path()));
    assert_eq!(
        found,
        vec![(
            "exchanges.csv:2: 结束年份: the exchange ends (2025) before it starts (2026); give an end year of 2026 or later".to_string(),
            "exchanges.csv:2: 结束年份: 结束年份 2025 早于开始年份 2026；请填写 2026 年或之后的年份".to_string(),
        )]
    );
}

#[test]
fn a_register_without_a_required_column_is_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    tiny_with_register(dir.path(), "teacher_id,home_school_id,host_school_id,start_year\n1012,S03,S02,2022\n");
    let found = input_problems(dir.path());
    assert!(
        found.iter().any(|p| p.location.starts_with("exchanges.csv") && p.message.contains("end_year")),
        "{found:?}"
    );
}
