//! The teachers' voice, input side (issue 14): applications.csv (交流申请),
//! family.csv (家庭) and the `[priority]` scale read into the county, every
//! validation with its message in English and Chinese, and the priority
//! points in evaluate's eligibility.csv.

use std::path::Path;

use assert_cmd::Command;
use rotaplan::domain::applications::{Application, FamilyRule, FamilyTie};
use rotaplan::domain::Exact;
use rotaplan::error::InputProblem;
use rotaplan::io::Loaded;
use rotaplan::render::evaluation::{eligibility_csv, points_decimal};
use rotaplan::render::Lang;
use rotaplan::rules::evaluation::evaluate_county;

use crate::common::{copy_folder, fixture, input_problems, load_ok, workbook_from_folder};

/// The tiny county (year 2025) with these extra files, in `dir`.
fn tiny_with(dir: &Path, files: &[(&str, &str)]) {
    copy_folder(&fixture("tiny"), dir);
    for (name, text) in files {
        std::fs::write(dir.join(name), text).unwrap_or_else(|e| panic!("write {name}: {e}"));
    }
}

/// `location: column: message` in English and in Chinese.
fn both(problems: &[InputProblem]) -> Vec<(String, String)> {
    problems
        .iter()
        .map(|p| {
            let zh = p.message_zh.clone().unwrap_or_else(|| panic!("no Chinese for {p}"));
            let zh = if p.column.is_empty() {
                format!("{}: {zh}", p.location)
            } else {
                format!("{}: {}: {zh}", p.location, p.column)
            };
            (p.to_string(), zh)
        })
        .collect()
}

fn pairs(expected: &[(&str, &str)]) -> Vec<(String, String)> {
    expected.iter().map(|(en, zh)| (en.to_string(), zh.to_string())).collect()
}

/// 1002 (primary, S01) volunteers for S03 then S04 with 1.5 extra points;
/// 1013 (junior, S02) does not volunteer but wishes for S03; 1021
/// (primary, S03) volunteers for S01 with 2 points less; 1028 volunteers
/// with no wish and 1.25 extra points.
const APPLICATIONS: &str = "teacher_id,volunteer,wish_1,wish_2,wish_3,wish_4,wish_5,extra_points,note
1002,yes,S03,S04,,,,1.5,愿去乡村
1013,no,S03,,,,,,
1021,是,S01,,,,,-2,
1028,1,,,,,,1.25,
";

const APPLICATIONS_ZH: &str = "教师编号,是否自愿,志愿1,志愿2,志愿3,志愿4,志愿5,加分,备注
1002,是,S03,S04,,,,1.5,愿去乡村
1013,否,S03,,,,,,
1021,是,S01,,,,,-2,
1028,1,,,,,,1.25,
";

const FAMILY: &str = "teacher_a,teacher_b,rule
1002,1021,same_town
1013,1002,within_km 30
1025,1026,不超过10公里
";

const FAMILY_ZH: &str = "教师甲,教师乙,规则
1002,1021,同镇
1013,1002,within_km 30
1025,1026,不超过10公里
";

fn application(id: &str, volunteer: bool, wishes: &[&str], extra: Exact, note: &str) -> Application {
    Application {
        teacher_id: id.into(),
        volunteer,
        wishes: wishes.iter().map(|w| w.to_string()).collect(),
        extra_points: extra,
        note: note.into(),
    }
}

fn expected_applications() -> Vec<Application> {
    vec![
        application("1002", true, &["S03", "S04"], Exact::new(3, 2), "愿去乡村"),
        application("1013", false, &["S03"], Exact::from_integer(0), ""),
        application("1021", true, &["S01"], Exact::from_integer(-2), ""),
        application("1028", true, &[], Exact::new(5, 4), ""),
    ]
}

fn tie(a: &str, b: &str, rule: FamilyRule) -> FamilyTie {
    FamilyTie { teacher_a: a.into(), teacher_b: b.into(), rule }
}

fn expected_family() -> Vec<FamilyTie> {
    vec![
        tie("1002", "1021", FamilyRule::SameTown),
        tie("1013", "1002", FamilyRule::WithinKm(30.0)),
        tie("1025", "1026", FamilyRule::WithinKm(10.0)),
    ]
}

#[test]
fn applications_and_family_load_in_file_order() {
    let dir = tempfile::tempdir().expect("tempdir");
    tiny_with(dir.path(), &[("applications.csv", APPLICATIONS), ("family.csv", FAMILY)]);
    let loaded = load_ok(dir.path());
    assert!(loaded.warnings.is_empty(), "{:?}", loaded.warnings);
    assert_eq!(loaded.county.applications, expected_applications());
    assert_eq!(loaded.county.family, expected_family());
    assert!(loaded.county.has_applications());
    assert_eq!(loaded.county.application_of("1021").map(|a| a.wishes.clone()), Some(vec!["S01".to_string()]));
}

#[test]
fn a_data_folder_without_the_files_has_no_applications_and_no_ties() {
    let county = load_ok(&fixture("tiny")).county;
    assert!(county.applications.is_empty());
    assert!(county.family.is_empty());
    assert!(!county.has_applications());
}

#[test]
fn chinese_headers_and_words_read_the_same_files() {
    let dir = tempfile::tempdir().expect("tempdir");
    tiny_with(dir.path(), &[("applications.csv", APPLICATIONS_ZH), ("family.csv", FAMILY_ZH)]);
    let loaded = load_ok(dir.path());
    assert!(loaded.warnings.is_empty(), "{:?}", loaded.warnings);
    assert_eq!(loaded.county.applications, expected_applications());
    assert_eq!(loaded.county.family, expected_family());
}

#[test]
fn gbk_and_utf8_with_bom_read_the_same_files() {
    for gbk in [false, true] {
        let dir = tempfile::tempdir().expect("tempdir");
        copy_folder(&fixture("tiny"), dir.path());
        for (name, text) in [("applications.csv", APPLICATIONS_ZH), ("family.csv", FAMILY_ZH)] {
            let bytes = if gbk {
                encoding_rs::GB18030.encode(text).0.into_owned()
            } else {
                [&b"\xEF\xBB\xBF"[..], text.as_bytes()].concat()
            };
            if gbk {
                assert!(std::str::from_utf8(&bytes).is_err(), "the GBK file is not UTF-8");
            }
            std::fs::write(dir.path().join(name), bytes).expect("write");
        }
        let loaded = load_ok(dir.path());
        assert_eq!(loaded.county.applications, expected_applications(), "gbk: {gbk}");
        assert_eq!(loaded.county.family, expected_family(), "gbk: {gbk}");
    }
}

#[test]
fn a_workbook_with_both_sheets_under_either_name_reads_the_same() {
    let dir = tempfile::tempdir().expect("tempdir");
    let folder = dir.path().join("data");
    tiny_with(&folder, &[("applications.csv", APPLICATIONS), ("family.csv", FAMILY)]);
    let policy = std::fs::read_to_string(folder.join("policy.toml")).expect("policy");
    std::fs::write(folder.join("policy.toml"), format!("{policy}\n[priority]\nage_year = 0.5\nage_from = 50\n"))
        .expect("write");
    for chinese in [false, true] {
        let book = dir.path().join(format!("county-{chinese}.xlsx"));
        workbook_from_folder(&folder, &book, chinese);
        let loaded = load_ok(&book);
        assert!(loaded.warnings.is_empty(), "{:?}", loaded.warnings);
        assert_eq!(loaded.county.applications, expected_applications(), "chinese sheet names: {chinese}");
        assert_eq!(loaded.county.family, expected_family(), "chinese sheet names: {chinese}");
        let p = &loaded.county.policy.priority;
        assert_eq!((p.age_year, p.age_from), (Exact::new(1, 2), 50), "the policy sheet sets [priority]");
    }
}

#[test]
fn a_bad_row_in_a_sheet_names_its_cell() {
    let dir = tempfile::tempdir().expect("tempdir");
    let folder = dir.path().join("data");
    let applications = "teacher_id,volunteer,wish_1\n1002,yes,S01\n";
    let family = "teacher_a,teacher_b,rule\n1002,1003,nearby\n";
    tiny_with(&folder, &[("applications.csv", applications), ("family.csv", family)]);
    let book = dir.path().join("county.xlsx");
    workbook_from_folder(&folder, &book, true);
    let found = both(&input_problems(&book));
    let expected = [
        (
            "county.xlsx 交流申请!C2: wish_1: school \"S01\" is teacher \"1002\"'s own school; a wish names another school",
            "county.xlsx 交流申请!C2: wish_1: 学校「S01」就是教师「1002」现在的学校；志愿须填其他学校",
        ),
        (
            "county.xlsx 家庭!C2: rule: unknown rule \"nearby\"; give same_town or within_km N (N km, such as within_km 10)",
            "county.xlsx 家庭!C2: rule: 无法识别的规则「nearby」；请填 同镇（same_town）或 不超过N公里（within_km N，如 不超过10公里）",
        ),
    ];
    assert_eq!(found, pairs(&expected));
}

#[test]
fn every_problem_of_applications_csv_is_listed_at_once_in_english_and_chinese() {
    let dir = tempfile::tempdir().expect("tempdir");
    let applications = "teacher_id,volunteer,wish_1,wish_2,wish_3,wish_4,wish_5,extra_points,note
9999,yes,,,,,,,
1002,maybe,S99,,,,,,
1003,yes,S02,,,,,,
1004,yes,S01,,,,,,
1005,yes,S03,S03,,,,,
1006,yes,S03,,S04,,,,
1007,no,,,,,,abc,
1008,no,,,,,,150,
1009,no,,,,,,0.125,
1002,yes,,,,,,,
,yes,,,,,,,
";
    tiny_with(dir.path(), &[("applications.csv", applications)]);
    let found = both(&input_problems(dir.path()));
    let expected = [
        (
            "applications.csv:2: teacher_id: unknown teacher \"9999\" (not in the teachers table)",
            "applications.csv:2: teacher_id: 教师表中没有教师「9999」",
        ),
        (
            "applications.csv:3: volunteer: \"maybe\" is not yes or no (是/否)",
            "applications.csv:3: volunteer: 「maybe」无法识别为是或否；请填写 是 或 否（也可填 yes、no）",
        ),
        (
            "applications.csv:3: wish_1: unknown school \"S99\" (not in the schools table)",
            "applications.csv:3: wish_1: 学校表中没有学校「S99」",
        ),
        (
            "applications.csv:4: wish_1: school \"S02\" is a junior school and has no primary section, teacher \"1003\"'s section; a teacher moves within the section",
            "applications.csv:4: wish_1: 学校「S02」是初中，没有教师「1003」的小学学段；教师只在本学段内交流",
        ),
        (
            "applications.csv:5: wish_1: school \"S01\" is teacher \"1004\"'s own school; a wish names another school",
            "applications.csv:5: wish_1: 学校「S01」就是教师「1004」现在的学校；志愿须填其他学校",
        ),
        (
            "applications.csv:6: wish_2: school \"S03\" is already wish 1; name each school once",
            "applications.csv:6: wish_2: 学校「S03」已是志愿1；每所学校只填一次",
        ),
        (
            "applications.csv:7: wish_3: wish 3 is given but wish 2 is empty; list the wishes first wish first without gaps (move it to wish_2)",
            "applications.csv:7: wish_3: 填了志愿3，但志愿2为空；志愿须从志愿1起依次填写，中间不能空（请把它移到志愿2）",
        ),
        (
            "applications.csv:8: extra_points: \"abc\" is not a number; give the extra points as a decimal such as 2 or 0.5, or leave the cell empty",
            "applications.csv:8: extra_points: 「abc」不是数字；请用数字填写加分（如 2 或 0.5），没有加分可留空",
        ),
        (
            "applications.csv:9: extra_points: 150 is out of range; give extra points from -100 to 100",
            "applications.csv:9: extra_points: 「150」超出范围；加分须在 -100 到 100 之间",
        ),
        (
            "applications.csv:10: extra_points: 0.125 has too many decimal places; give at most 2",
            "applications.csv:10: extra_points: 「0.125」的小数位太多；最多保留 2 位小数",
        ),
        (
            "applications.csv:11: teacher_id: teacher \"1002\" has two applications (first on line 3); keep one row per teacher",
            "applications.csv:11: teacher_id: 教师「1002」有两份申请（首次出现在第 3 行）；每位教师只保留一行",
        ),
        (
            "applications.csv:12: teacher_id: empty cell; give the teacher's id",
            "applications.csv:12: teacher_id: 单元格为空；请填写教师编号",
        ),
    ];
    assert_eq!(found, pairs(&expected));
}

#[test]
fn chinese_headers_are_named_as_written_in_the_messages() {
    let dir = tempfile::tempdir().expect("tempdir");
    let applications = "教师编号,是否自愿,志愿1,志愿2\n1002,是,,S03\n";
    let family = "教师甲,教师乙,规则\n1002,1002,同镇\n";
    tiny_with(dir.path(), &[("applications.csv", applications), ("family.csv", family)]);
    let found = both(&input_problems(dir.path()));
    let expected = [
        (
            "applications.csv:2: 志愿2: wish 2 is given but wish 1 is empty; list the wishes first wish first without gaps (move it to wish_1)",
            "applications.csv:2: 志愿2: 填了志愿2，但志愿1为空；志愿须从志愿1起依次填写，中间不能空（请把它移到志愿1）",
        ),
        (
            "family.csv:2: 教师乙: teacher \"1002\" is tied to themself; a tie names two teachers",
            "family.csv:2: 教师乙: 教师「1002」与自己结成家庭关系；一条家庭关系须写两位不同的教师",
        ),
    ];
    assert_eq!(found, pairs(&expected));
}

#[test]
fn more_applications_than_teachers_are_refused_with_one_message() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut applications = String::from("teacher_id,volunteer\n");
    for i in 0..31 {
        applications.push_str(&format!("X{i},yes\n"));
    }
    tiny_with(dir.path(), &[("applications.csv", &applications)]);
    let found = both(&input_problems(dir.path()));
    let expected = [(
        "applications.csv: the table has 31 rows but the teachers table only 30 teachers; give at most one row per teacher",
        "applications.csv: 表中有 31 行，而教师表只有 30 位教师；每位教师最多一行",
    )];
    assert_eq!(found, pairs(&expected));
}

#[test]
fn a_file_without_a_required_column_is_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    tiny_with(
        dir.path(),
        &[("applications.csv", "teacher_id,wish_1\n1002,S03\n"), ("family.csv", "teacher_a,teacher_b\n1002,1003\n")],
    );
    let found = input_problems(dir.path());
    let missing = |file: &str, column: &str| {
        found.iter().any(|p| p.location.starts_with(file) && p.column == column && p.message.contains("missing"))
    };
    assert!(missing("applications.csv", "volunteer"), "{found:?}");
    assert!(missing("family.csv", "rule"), "{found:?}");
}

#[test]
fn every_problem_of_family_csv_is_listed_at_once_in_english_and_chinese() {
    let dir = tempfile::tempdir().expect("tempdir");
    let family = "teacher_a,teacher_b,rule
9999,1002,same_town
1002,1002,same_town
1003,1004,nearby
1003,1005,within_km 0
1003,1006,within_km 600
1003,1007,within_km x
1004,1003,same_town
1008,,same_town
1009,1010,
1011,1012,within_km 12.5km
";
    tiny_with(dir.path(), &[("family.csv", family)]);
    let found = both(&input_problems(dir.path()));
    let distance = |line: u32, text: &str| {
        (
            format!("family.csv:{line}: rule: \"{text}\": the distance must be a number of km above 0 and at most 500, such as within_km 10"),
            format!("family.csv:{line}: rule: 「{text}」：距离须是大于 0 且不超过 500 的公里数，如 不超过10公里"),
        )
    };
    let mut expected = pairs(&[
        (
            "family.csv:2: teacher_a: unknown teacher \"9999\" (not in the teachers table)",
            "family.csv:2: teacher_a: 教师表中没有教师「9999」",
        ),
        (
            "family.csv:3: teacher_b: teacher \"1002\" is tied to themself; a tie names two teachers",
            "family.csv:3: teacher_b: 教师「1002」与自己结成家庭关系；一条家庭关系须写两位不同的教师",
        ),
        (
            "family.csv:4: rule: unknown rule \"nearby\"; give same_town or within_km N (N km, such as within_km 10)",
            "family.csv:4: rule: 无法识别的规则「nearby」；请填 同镇（same_town）或 不超过N公里（within_km N，如 不超过10公里）",
        ),
    ]);
    expected.push(distance(5, "within_km 0"));
    expected.push(distance(6, "within_km 600"));
    expected.push(distance(7, "within_km x"));
    expected.extend(pairs(&[
        (
            "family.csv:8: teacher_a: teachers \"1004\" and \"1003\" are already tied (first on line 4); keep one row per pair",
            "family.csv:8: teacher_a: 教师「1004」和「1003」的家庭关系已经写过（首次出现在第 4 行）；每对教师只保留一行",
        ),
        ("family.csv:9: teacher_b: empty cell; give the teacher's id", "family.csv:9: teacher_b: 单元格为空；请填写教师编号"),
        (
            "family.csv:10: rule: empty cell; give same_town or within_km N (N km, such as within_km 10)",
            "family.csv:10: rule: 单元格为空；请填 同镇（same_town）或 不超过N公里（within_km N，如 不超过10公里）",
        ),
    ]));
    assert_eq!(found, expected);
}

#[test]
fn a_teacher_may_be_in_several_ties_and_a_unit_may_follow_the_distance() {
    let dir = tempfile::tempdir().expect("tempdir");
    let family = "teacher_a,teacher_b,rule\n1002,1003,Same Town\n1002,1004,WITHIN_KM 12.5km\n1003,1004,不超过 8 公里\n";
    tiny_with(dir.path(), &[("family.csv", family)]);
    let expected = vec![
        tie("1002", "1003", FamilyRule::SameTown),
        tie("1002", "1004", FamilyRule::WithinKm(12.5)),
        tie("1003", "1004", FamilyRule::WithinKm(8.0)),
    ];
    assert_eq!(load_ok(dir.path()).county.family, expected);
}

// ---------------------------------------------------------------- [priority]

#[test]
fn the_priority_table_sets_the_scale_and_keeps_its_defaults_otherwise() {
    let county = load_ok(&fixture("tiny")).county;
    let p = &county.policy.priority;
    assert_eq!(
        (p.school_year, p.rural_year, p.age_year, p.age_from),
        (Exact::from_integer(1), Exact::from_integer(0), Exact::from_integer(0), 45)
    );
    let dir = tempfile::tempdir().expect("tempdir");
    copy_folder(&fixture("tiny"), dir.path());
    let policy = std::fs::read_to_string(dir.path().join("policy.toml")).expect("policy");
    std::fs::write(dir.path().join("policy.toml"), format!("{policy}\n[priority]\nrural_year = 2.5\nage_from = 50\n"))
        .expect("write");
    let p = load_ok(dir.path()).county.policy.priority;
    assert_eq!(
        (p.school_year, p.rural_year, p.age_year, p.age_from),
        (Exact::from_integer(1), Exact::new(5, 2), Exact::from_integer(0), 50)
    );
}

#[test]
fn priority_keys_out_of_range_are_input_errors_naming_the_range() {
    let dir = tempfile::tempdir().expect("tempdir");
    copy_folder(&fixture("tiny"), dir.path());
    let policy = std::fs::read_to_string(dir.path().join("policy.toml")).expect("policy");
    let extra = "\n[priority]\nschool_year = 101\nrural_year = -1\nage_from = 50.5\n";
    std::fs::write(dir.path().join("policy.toml"), format!("{policy}{extra}")).expect("write");
    let found: Vec<String> = input_problems(dir.path()).iter().map(|p| p.to_string()).collect();
    let has = |key: &str, words: &str| found.iter().any(|p| p.contains(key) && p.contains(words));
    assert_eq!(found.len(), 3, "{found:?}");
    assert!(has("priority.school_year", "give a number of points per year from 0 to 100"), "{found:?}");
    assert!(has("priority.rural_year", "give a number of points per year from 0 to 100"), "{found:?}");
    assert!(has("priority.age_from", "not a whole number"), "{found:?}");
}

// ---------------------------------------------------------------- eligibility.csv

/// The last three columns of eligibility.csv (points, volunteer, wishes) for
/// some teachers, after checking the header.
fn points_rows(loaded: &Loaded, ids: &[&str]) -> Vec<[String; 3]> {
    let ev = evaluate_county(&loaded.county);
    let text = String::from_utf8(eligibility_csv(&ev, &loaded.county, Lang::Zh)).expect("UTF-8");
    let mut reader = csv::Reader::from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let header: Vec<String> = reader.headers().expect("header").iter().map(str::to_string).collect();
    assert_eq!(
        header,
        [
            "teacher_id",
            "name",
            "school_id",
            "eligible",
            "reason_ids",
            "reasons",
            "points",
            "volunteer",
            "wishes",
            "role"
        ]
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("row")).collect();
    assert_eq!(rows.len(), loaded.county.teachers.len());
    ids.iter()
        .map(|id| {
            let row = rows.iter().find(|r| &r[0] == *id).expect("teacher row");
            [row[6].to_string(), row[7].to_string(), row[8].to_string()]
        })
        .collect()
}

fn row(points: &str, volunteer: &str, wishes: &str) -> [String; 3] {
    [points.into(), volunteer.into(), wishes.into()]
}

#[test]
fn eligibility_csv_gives_the_points_of_a_published_scale() {
    let dir = tempfile::tempdir().expect("tempdir");
    tiny_with(dir.path(), &[("applications.csv", APPLICATIONS)]);
    let policy = std::fs::read_to_string(dir.path().join("policy.toml")).expect("policy");
    let scale = "\n[priority]\nschool_year = 1\nrural_year = 2\nage_year = 0.5\nage_from = 50\n";
    std::fs::write(dir.path().join("policy.toml"), format!("{policy}{scale}")).expect("write");
    let loaded = load_ok(dir.path());
    // Plan year 2025. 1002: 13 years at urban S01 (since 2012), aged 40,
    // extra 1.5 → 13 + 1.5 = 14.5. 1008: 35 years at S01 (1990), aged 57 →
    // 35 + 0.5 × 7 = 38.5. 1028: 27 years at rural S04 (1998), aged 53,
    // extra 1.25 → 27 + 2 × 27 + 0.5 × 3 + 1.25 = 83.75. 1021: 15 years at
    // S03 (town, 2010), aged 41, extra −2 → 13. 1023: 30 years at S03
    // (1995), aged 55 → 30 + 2.5 = 32.5.
    let found = points_rows(&loaded, &["1002", "1008", "1028", "1021", "1023"]);
    let expected = vec![
        row("14.5", "yes", "S03;S04"),
        row("38.5", "no", ""),
        row("83.75", "yes", ""),
        row("13", "yes", "S01"),
        row("32.5", "no", ""),
    ];
    assert_eq!(found, expected);
}

#[test]
fn without_a_scale_the_points_are_the_years_at_the_school() {
    let loaded = load_ok(&fixture("tiny"));
    // 1008 came to S01 in 1990, 1030 to S04 in 2022 (plan year 2025).
    assert_eq!(points_rows(&loaded, &["1008", "1030"]), vec![row("35", "no", ""), row("3", "no", "")]);
}

#[test]
fn points_are_shown_with_at_most_two_decimal_places() {
    let cases = [
        (Exact::from_integer(12), "12"),
        (Exact::new(25, 2), "12.5"),
        (Exact::new(1, 3), "0.33"),
        (Exact::new(2, 3), "0.67"),
        (Exact::new(1, 200), "0.01"),
        (Exact::new(-7, 4), "-1.75"),
        (Exact::new(-1, 3), "-0.33"),
    ];
    for (value, text) in cases {
        assert_eq!(points_decimal(&value), text, "{value}");
    }
}

// ---------------------------------------------------------------- check

#[test]
fn check_counts_applications_volunteers_and_family_ties() {
    let dir = tempfile::tempdir().expect("tempdir");
    tiny_with(dir.path(), &[("applications.csv", APPLICATIONS), ("family.csv", FAMILY)]);
    let run = |lang: &str| {
        let out = Command::cargo_bin("rotaplan")
            .expect("binary")
            .args(["--lang", lang, "check"])
            .arg(dir.path())
            .output()
            .expect("runs");
        assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).expect("UTF-8")
    };
    let en = run("en");
    assert!(
        en.contains("30 teachers, 4 locks, 4 applications (3 volunteers), 3 family ties — no problems found"),
        "{en}"
    );
    let zh = run("zh");
    assert!(zh.contains("锁定 4 条，交流申请 4 份（自愿 3 人），家庭关系 3 组，未发现问题"), "{zh}");
    let tiny = Command::cargo_bin("rotaplan")
        .expect("binary")
        .args(["--lang", "en", "check"])
        .arg(fixture("tiny"))
        .output()
        .expect("runs");
    let tiny = String::from_utf8(tiny.stdout).expect("UTF-8");
    assert!(tiny.contains("4 locks — no problems found") && !tiny.contains("applications"), "{tiny}");
}

#[test]
fn a_second_row_of_a_teacher_or_pair_lists_its_other_problems_too() {
    let dir = tempfile::tempdir().expect("tempdir");
    let applications = "teacher_id,volunteer,wish_1,extra_points\n1002,yes,,\n1002,maybe,S99,500\n";
    let family = "teacher_a,teacher_b,rule\n1003,1004,same_town\n1004,1003,within_km -5\n";
    tiny_with(dir.path(), &[("applications.csv", applications), ("family.csv", family)]);
    let found: Vec<String> = input_problems(dir.path()).iter().map(|p| p.to_string()).collect();
    let on = |prefix: &str| found.iter().filter(|p| p.starts_with(prefix)).count();
    assert!(found.iter().any(|p| p.starts_with("applications.csv:3: teacher_id:")), "{found:#?}");
    assert!(on("applications.csv:3: volunteer:") == 1, "the bad yes/no word too: {found:#?}");
    assert!(on("applications.csv:3: wish_1:") == 1, "the unknown school too: {found:#?}");
    assert!(on("applications.csv:3: extra_points:") == 1, "the points out of range too: {found:#?}");
    assert!(on("family.csv:3: teacher_a:") == 1, "the repeated pair: {found:#?}");
    assert!(on("family.csv:3: rule:") == 1, "the bad distance too: {found:#?}");
}
