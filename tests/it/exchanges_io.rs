//! The exchange register (issue 13 point 1, input side): exchanges.csv and
//! the workbook sheet 交流记录 read into `County::exchanges`, every
//! validation with its message in English and Chinese.

use std::path::Path;

use rotaplan::domain::changes::ProposedMove;
use rotaplan::domain::{Exchange, ExchangeDecision};
use rotaplan::error::{Error, InputProblem};
use rotaplan::io::plan_list::{read_plan_list, read_plan_list_for, PlanList};
use rotaplan::io::Loaded;
use rotaplan::plan::{Outcome, PlanOptions};
use rotaplan::render::{diagnosis, evaluation, words, Lang};
use rotaplan::rules::audit::audit;
use rotaplan::rules::eligibility::Ineligibility;
use rotaplan::rules::evaluation::evaluate_county;
use rotaplan::rules::rule::Rule;

use crate::common::{copy_folder, fixture, input_problems, load_ok, workbook_from_folder};

/// The tiny county (year 2025) with `register` as exchanges.csv, in `dir`.
fn tiny_with_register(dir: &Path, register: &str) {
    copy_folder(&fixture("tiny"), dir);
    std::fs::write(dir.join("exchanges.csv"), register).expect("write exchanges.csv");
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

/// 1013 returns this year, 1025 is on exchange until 2026, 1029's transfer is settled.
const REGISTER: &str = "teacher_id,home_school_id,host_school_id,start_year,end_year,decision
1013,S03,S02,2022,2025,
1025,S02,S03,2023,2026,extend
1029,S01,S04,2020,2023,transfer
";

fn expected_register() -> Vec<Exchange> {
    vec![
        exchange("1013", "S03", "S02", (2022, 2025), ExchangeDecision::Return),
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
1013,S03,S02,2022,2025,返回
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

// ---------------------------------------------------------------- eligibility

/// The rows of eligibility.csv for some teachers: (id, eligible, reason_ids, reasons).
fn eligibility_rows(loaded: &Loaded, lang: Lang, ids: &[&str]) -> Vec<[String; 4]> {
    let ev = evaluate_county(&loaded.county);
    let bytes = evaluation::eligibility_csv(&ev, &loaded.county, lang);
    let text = String::from_utf8(bytes).expect("UTF-8");
    let mut reader = csv::Reader::from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("row")).collect();
    ids.iter()
        .map(|id| {
            let row = rows.iter().find(|r| &r[0] == *id).expect("teacher row");
            [row[0].to_string(), row[3].to_string(), row[4].to_string(), row[5].to_string()]
        })
        .collect()
}

#[test]
fn a_teacher_on_exchange_is_not_eligible_and_eligibility_csv_says_why() {
    let dir = tempfile::tempdir().expect("tempdir");
    let without = evaluate_county(&load_ok(&fixture("tiny")).county).eligible;
    tiny_with_register(dir.path(), REGISTER);
    let loaded = load_ok(dir.path());
    // 1013 and 1025 are on exchange; 1029's transfer ended in 2023, so 1029
    // is a teacher of S04 like any other.
    assert_eq!(evaluate_county(&loaded.county).eligible, without - 2);
    let row = |id: &str, eligible: &str, ids: &str, reasons: &str| {
        [id.to_string(), eligible.to_string(), ids.to_string(), reasons.to_string()]
    };
    assert_eq!(
        eligibility_rows(&loaded, Lang::Zh, &["1013", "1025", "1029"]),
        vec![
            row("1013", "no", "on_exchange", "交流至 2025 年期满，本年度返回原学校 S03"),
            row("1025", "no", "on_exchange", "交流中（原学校 S02，至 2026 年）"),
            row("1029", "yes", "", ""),
        ]
    );
    assert_eq!(
        eligibility_rows(&loaded, Lang::En, &["1013", "1025"]),
        vec![
            row(
                "1013",
                "no",
                "on_exchange",
                "the exchange ends in 2025, returning to the home school S03 in this plan"
            ),
            row("1025", "no", "on_exchange", "on exchange from S02 until 2026"),
        ]
    );
}

#[test]
fn an_extended_term_is_worded_as_such() {
    let reason =
        Ineligibility::OnExchange { home: "S03".into(), end_year: 2025, decision: ExchangeDecision::Extend, due: true };
    assert_eq!(words::ineligibility(&reason, Lang::Zh), "交流中（原学校 S03，2025 年期满后续任）");
    assert_eq!(words::ineligibility(&reason, Lang::En), "on exchange from S03, the term to 2025 extended");
    assert_eq!(reason.describe_en(), words::ineligibility(&reason, Lang::En));
    assert_eq!(reason.id(), "on_exchange");
}

#[test]
fn a_lock_moving_a_teacher_on_exchange_is_an_input_error() {
    // tiny's locks.csv has `1012,move`; 1012 is put on exchange.
    let dir = tempfile::tempdir().expect("tempdir");
    tiny_with_register(
        dir.path(),
        "teacher_id,home_school_id,host_school_id,start_year,end_year\n1012,S03,S02,2023,2025\n",
    );
    let found = both(&input_problems(dir.path()));
    assert_eq!(
        found,
        vec![(
            "locks.csv:5: action: teacher \"1012\" may not rotate in 2025: the exchange ends in 2025, returning to the home school S03 in this plan".to_string(),
            "locks.csv:5: action: 教师「1012」2025 年度不能交流：交流至 2025 年期满，本年度返回原学校 S03".to_string(),
        )]
    );
}

#[test]
fn the_auditor_flags_a_move_of_a_teacher_on_exchange_in_words() {
    let dir = tempfile::tempdir().expect("tempdir");
    tiny_with_register(dir.path(), REGISTER);
    let county = load_ok(dir.path()).county;
    let verdict = audit(&county, &[ProposedMove::new("1025", "S02")]);
    let found: Vec<_> = verdict.of_rule(Rule::Eligibility).collect();
    assert_eq!(found.len(), 1);
    assert_eq!(
        diagnosis::violation_text(found[0], Lang::Zh),
        "教师 1025 正从 S02 交流到 S03，至 2026 年；规则 eligibility 不含交流期内的教师（exchanges.csv）"
    );
    assert_eq!(
        diagnosis::violation_text(found[0], Lang::En),
        "teacher 1025 is on exchange at S03 from S02 until 2026; rule eligibility excludes teachers on exchange (exchanges.csv)"
    );
}

// ---------------------------------------------------------------- plan lists

fn write_xlsx(path: &Path, sheet_name: &str, rows: &[Vec<&str>]) {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name(sheet_name).expect("sheet name");
    for (r, row) in rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate().filter(|(_, cell)| !cell.is_empty()) {
            sheet.write_string(r as u32, c as u16, *cell).expect("cell");
        }
    }
    book.save(path).expect("save");
}

fn list_problems(result: Result<PlanList, Error>) -> Vec<(String, String)> {
    match result {
        Err(Error::Input(list)) => both(&list),
        other => panic!("should be an input error, got {other:?}"),
    }
}

#[test]
fn a_list_with_kinds_gives_moves_returns_and_extensions_apart() {
    let dir = tempfile::tempdir().expect("tempdir");
    let list = dir.path().join("rotations.csv");
    std::fs::write(
        &list,
        "teacher_id,name,from_school,to_school,return_year,kind
1002,王芳,S01,S03,2028,rotation
1013,,S02,S03,,return
1025,,S03,S03,2027,extend
1004,刘洋,S01,S02,2028,
",
    )
    .expect("write list");
    let read = PlanList::read(&list).expect("list reads");
    assert_eq!(read.moves, vec![ProposedMove::new("1002", "S03"), ProposedMove::new("1004", "S02")]);
    assert_eq!((read.returns, read.extended), (vec!["1013".to_string()], vec!["1025".to_string()]));
    // The readers of moves keep giving the rotations only.
    assert_eq!(
        read_plan_list(&list).expect("moves"),
        vec![ProposedMove::new("1002", "S03"), ProposedMove::new("1004", "S02")]
    );
    let dir_data = dir.path().join("data");
    tiny_with_register(&dir_data, REGISTER);
    let county = load_ok(&dir_data).county;
    let for_county = PlanList::read_for(&list, &county).expect("list fits the county");
    assert_eq!(for_county, PlanList::read(&list).expect("list reads"));
    assert_eq!(read_plan_list_for(&list, &county).expect("moves").len(), 2);
}

#[test]
fn a_list_without_the_kind_column_is_all_rotations() {
    let dir = tempfile::tempdir().expect("tempdir");
    let list = dir.path().join("rotations.csv");
    std::fs::write(&list, "teacher_id,to_school\n1002,S03\n1013,S03\n").expect("write list");
    let read = PlanList::read(&list).expect("list reads");
    assert_eq!(read.moves.len(), 2);
    assert!(read.returns.is_empty() && read.extended.is_empty());
}

#[test]
fn the_chinese_workbook_list_reads_its_kind_words() {
    let dir = tempfile::tempdir().expect("tempdir");
    let list = dir.path().join("plan.xlsx");
    write_xlsx(
        &list,
        "交流名单",
        &[
            vec!["教师编号", "姓名", "调出学校", "调入学校", "类型"],
            vec!["1002", "王芳", "S01", "S03", "交流"],
            vec!["1013", "", "S02", "S03", "返回"],
            vec!["1025", "", "S03", "S03", "续任"],
        ],
    );
    let read = PlanList::read(&list).expect("list reads");
    assert_eq!(read.moves, vec![ProposedMove::new("1002", "S03")]);
    assert_eq!((read.returns, read.extended), (vec!["1013".to_string()], vec!["1025".to_string()]));
}

#[test]
fn an_unknown_kind_word_names_its_cell() {
    let dir = tempfile::tempdir().expect("tempdir");
    let csv_list = dir.path().join("rotations.csv");
    std::fs::write(&csv_list, "teacher_id,to_school,kind\n1002,S03,rotation\n1013,S03,home\n").expect("write list");
    assert_eq!(
        list_problems(PlanList::read(&csv_list)),
        vec![(
            "rotations.csv:3: kind: unknown kind \"home\" (valid: rotation, return, extend; an empty cell is a rotation)"
                .to_string(),
            "rotations.csv:3: kind: 无法识别的类型「home」（可填：rotation、return、extend，或 交流、返回、续任；空单元格即交流）"
                .to_string(),
        )]
    );
    let xlsx_list = dir.path().join("plan.xlsx");
    write_xlsx(&xlsx_list, "rotations", &[vec!["teacher_id", "to_school", "kind"], vec!["1013", "S03", "回家"]]);
    let found = list_problems(PlanList::read(&xlsx_list));
    assert_eq!(found.len(), 1);
    assert!(found[0].0.starts_with("plan.xlsx rotations!C2: kind: unknown kind \"回家\""), "{found:?}");
}

#[test]
fn a_return_row_needs_no_destination_but_a_rotation_row_does() {
    let dir = tempfile::tempdir().expect("tempdir");
    let list = dir.path().join("rotations.csv");
    std::fs::write(&list, "teacher_id,to_school,kind\n1013,,return\n1002,,rotation\n").expect("write list");
    let found = list_problems(PlanList::read(&list));
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(found[0].0.starts_with("rotations.csv:3: to_school: empty cell"), "{found:?}");
    std::fs::write(&list, "teacher_id,to_school,kind\n1013,,return\n").expect("write list");
    assert_eq!(PlanList::read(&list).expect("list reads").returns, vec!["1013".to_string()]);
}

#[test]
fn a_return_row_for_a_teacher_not_on_the_register_is_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let list = dir.path().join("rotations.csv");
    std::fs::write(&list, "teacher_id,to_school,kind\n1002,S03,extend\n").expect("write list");
    let county = load_ok(&fixture("tiny")).county;
    assert_eq!(
        list_problems(PlanList::read_for(&list, &county)),
        vec![(
            "rotations.csv:2: kind: teacher 1002 is not in the exchange register (exchanges.csv), so the row cannot be of kind extend; make it a rotation, or add the teacher's exchange to exchanges.csv".to_string(),
            "rotations.csv:2: kind: 教师 1002 不在交流记录（exchanges.csv）中，这一行不能是「续任」；请改为「交流」，或在 exchanges.csv 中补上该教师的交流记录".to_string(),
        )]
    );
}

// ---------------------------------------------------------------- synth and data/anze

/// A synthetic county's register loads with its county, in pairs swapped
/// between two schools of one section and subject; the first pair is due
/// in the plan year, none of them may rotate.
fn check_synth_register(seed: u64, schools: usize) -> Vec<Exchange> {
    let dir = tempfile::tempdir().expect("tempdir");
    rotaplan::commands::synth::write_county(&dir.path().join("c"), seed, schools).expect("synth writes");
    let county = load_ok(&dir.path().join("c")).county;
    let teacher = |id: &str| county.teachers.iter().find(|t| t.id == id).expect("teacher of the register");
    for e in &county.exchanges {
        let t = teacher(&e.teacher_id);
        let partner = county
            .exchanges
            .iter()
            .filter(|p| p.host_school_id == e.home_school_id && p.home_school_id == e.host_school_id)
            .filter(|p| (p.start_year, p.end_year) == (e.start_year, e.end_year))
            .find(|p| {
                let o = teacher(&p.teacher_id);
                (o.level, o.subject) == (t.level, t.subject)
            });
        assert!(partner.is_some(), "{} has no partner swapped the other way", e.teacher_id);
        assert_eq!((e.end_year - e.start_year, t.school_since), (3, e.start_year));
    }
    let ev = evaluate_county(&county);
    for e in &county.exchanges {
        let i = county.teachers.iter().position(|t| t.id == e.teacher_id).expect("teacher");
        let reasons = &ev.ineligible.iter().find(|(j, _)| *j == i).expect("not eligible").1;
        assert!(reasons.iter().any(|r| r.id() == "on_exchange"), "{}: {reasons:?}", e.teacher_id);
    }
    county.exchanges
}

#[test]
fn synth_writes_a_register_of_swapped_pairs() {
    let anze = check_synth_register(2025, 20);
    assert_eq!(anze.len(), 8);
    let due: Vec<&str> = anze.iter().filter(|e| e.returns_in(2025)).map(|e| e.teacher_id.as_str()).collect();
    assert_eq!(due.len(), 2, "{due:?}");
    assert_eq!(anze.iter().filter(|e| e.decision == ExchangeDecision::Transfer).count(), 1);
    assert!(anze.iter().all(|e| (2025..=2027).contains(&e.end_year)));
    assert_eq!(check_synth_register(7, 45).len(), 18);
    // A county too small for a pair writes a register with a header only.
    assert!(check_synth_register(3, 1).is_empty());
}

#[test]
fn data_anze_has_the_fictional_register() {
    let loaded = load_ok(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data/anze"));
    assert_eq!(loaded.county.exchanges.len(), 8);
    let readme = std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data/anze/README.md"))
        .expect("README");
    assert!(readme.contains("exchanges.csv"));
}

#[test]
fn the_plan_never_moves_a_teacher_on_exchange() {
    // data/anze's plan moves T0053 and T0064 (junior, AZ-J01); put them on
    // exchange there until 2026 (not due, so no returns).
    let anze = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data/anze");
    let dir = tempfile::tempdir().expect("tempdir");
    copy_folder(&anze, dir.path());
    let mut register = std::fs::read_to_string(anze.join("exchanges.csv")).expect("register");
    register.push_str("T0053,AZ-J02,AZ-J01,2024,2026,return\nT0064,AZ-J03,AZ-J01,2024,2026,\n");
    std::fs::write(dir.path().join("exchanges.csv"), register).expect("write register");
    let county = load_ok(dir.path()).county;
    let options = PlanOptions { time_limit: 60.0, progress: None, ..Default::default() };
    let Outcome::Planned(plan) = rotaplan::plan::plan(&county, Vec::new(), &options).expect("plan runs") else {
        panic!("data/anze with two more teachers on exchange plans")
    };
    let moved: Vec<&str> = plan.moves.iter().map(|m| county.teachers[m.teacher].id.as_str()).collect();
    assert!(!moved.contains(&"T0053") && !moved.contains(&"T0064"), "{moved:?}");
    let proposals: Vec<ProposedMove> = plan
        .moves
        .iter()
        .map(|m| ProposedMove::new(county.teachers[m.teacher].id.clone(), county.schools[m.to].id.clone()))
        .collect();
    let verdict = audit(&county, &proposals);
    assert!(verdict.is_valid(), "{:?}", verdict.violations);
    let without = evaluate_county(&load_ok(&anze).county).eligible;
    assert_eq!(verdict.eligible, without - 2);
}
