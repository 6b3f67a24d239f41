//! Input problems of the data tables in Chinese (issue 12, point 3): under the default
//! language `check` words each problem of a data table in Chinese, and
//! under `--lang en` in the English the SPEC gives.

use std::path::Path;

use rotaplan::render::{words, Lang};
use rotaplan::rules::eligibility::Ineligibility;

use crate::common::{fixture, workbook_from_folder};

/// Runs `rotaplan check DATA` (with `--lang en` when `english`), expects
/// exit 2 and returns stderr.
fn check_stderr(data: &Path, english: bool) -> String {
    let mut cmd = assert_cmd::Command::cargo_bin("rotaplan").expect("binary");
    cmd.arg("check").arg(data);
    if english {
        cmd.args(["--lang", "en"]);
    }
    let output = cmd.timeout(std::time::Duration::from_secs(120)).output().expect("run rotaplan");
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert_eq!(output.status.code(), Some(2), "{}: {stderr}", data.display());
    stderr
}

/// Asserts every Chinese line under the default language and every English
/// line under `--lang en` for the problems of `data`.
fn assert_lines(data: &Path, zh: &[&str], en: &[&str]) {
    let chinese = check_stderr(data, false);
    assert!(chinese.contains("输入中有"), "{chinese}");
    for line in zh {
        assert!(chinese.contains(line), "expected {line:?} in\n{chinese}");
    }
    let english = check_stderr(data, true);
    for line in en {
        assert!(english.contains(line), "expected {line:?} in\n{english}");
    }
    for line in zh {
        assert!(!english.contains(line), "{line:?} under --lang en:\n{english}");
    }
}

fn broken(name: &str) -> std::path::PathBuf {
    fixture("broken").join(name)
}

#[test]
fn input_zh_schools_counts_coordinates_and_duplicates() {
    assert_lines(
        &broken("bad_counts"),
        &[
            "schools.csv:2: primary_students: 「-5」是负数；请填写 0 或更大的数",
            "schools.csv:2: teaching_area_m2: 「abc」不是数字",
            "schools.csv:3: junior_classes: 「six」不是数字；请用数字填写初中班级数",
            "schools.csv:4: primary_classes: 小学在校生 20 人，班级数却为 0；请填写班级数",
            "schools.csv:5: primary_students: 初中没有小学学段，因此没有小学在校生；请填 0 或留空",
        ],
        &[
            "schools.csv:2: primary_students: -5 is negative; give 0 or more",
            r#"schools.csv:3: junior_classes: "six" is not a number; give the number of junior classes in digits"#,
            "schools.csv:5: primary_students: a junior school has no primary section, so no primary students; give 0 or leave the cell empty",
        ],
    );
    assert_lines(
        &broken("coordinates"),
        &[
            "schools.csv:2: lon: 填了 lat 但 lon 为空；请两个都填或都不填",
            "schools.csv:3: lat: 「95」超出 -90..90 的范围；请填写 WGS84 坐标的度数",
        ],
        &["schools.csv:3: lat: 95 is outside -90..90; give WGS84 degrees"],
    );
    assert_lines(
        &broken("duplicate_ids"),
        &["schools.csv:5: school_id: school_id「P1」重复（首次出现在第 2 行）；请给每所学校一个不同的代码"],
        &[r#"schools.csv:5: school_id: duplicate school_id "P1" (first on line 2); give every school its own id"#],
    );
}

#[test]
fn input_zh_workbook_duplicates_name_the_first_cell() {
    let dir = tempfile::tempdir().expect("tempdir");
    let book = dir.path().join("book.xlsx");
    workbook_from_folder(&broken("duplicate_ids"), &book, false);
    assert_lines(
        &book,
        &["book.xlsx schools!A5: school_id: school_id「P1」重复（首次出现在单元格 schools!A2）"],
        &["book.xlsx schools!A5: school_id: duplicate school_id \"P1\" (first at schools!A2)"],
    );
}

#[test]
fn input_zh_teachers_words_years_and_schools() {
    assert_lines(
        &broken("bad_words"),
        &[
            "teachers.csv:2: subject: 无法识别的任教学科「maths」；是否想填「math」？（可填：chinese、math、",
            "、special_ed、practice、other，或 语文、数学、",
            "teachers.csv:3: certified: 「maybe」无法识别为是或否；请填写 是 或 否（也可填 yes、no）",
            "teachers.csv:4: gender: 无法识别的性别「X」（可填：M、F，或 男、女）",
            "teachers.csv:5: title: 无法识别的职称「高」；是否想填「高级」？",
        ],
        &[
            r#"teachers.csv:3: certified: "maybe" is not yes or no (是/否)"#,
            r#"teachers.csv:4: gender: unknown gender "X" (valid: M, F)"#,
        ],
    );
    assert_lines(
        &broken("bad_years"),
        &[
            "teachers.csv:2: birth_year: 1930 不是合理的出生年份；请填写 1940 至 2007 之间的年份",
            "teachers.csv:3: school_since: 2030 年晚于规划年度 2025 年",
            "teachers.csv:4: school_since: 2000 年该教师还不满 16 岁（1990 年出生）",
        ],
        &["teachers.csv:4: school_since: 2000 is before the teacher turned 16 (born 1990)"],
    );
    assert_lines(
        &broken("unknown_school"),
        &["teachers.csv:6: school_id: 学校表中没有学校「P2」；是否想填「P1」？"],
        &[r#"teachers.csv:6: school_id: unknown school "P2"; did you mean "P1"? (not in the schools table)"#],
    );
    assert_lines(
        &broken("section_missing"),
        &["teachers.csv:6: section: 学校「T1」是教学点，没有初中学段"],
        &[r#"teachers.csv:6: section: school "T1" is a teaching_point school and has no junior section"#],
    );
}

#[test]
fn input_zh_locks() {
    // The reasons read as the phrase book words them (locks.rs repeats them, as io comes before render).
    let reasons = [Ineligibility::YearsAtSchool(5, 6), Ineligibility::Age(55, 50)]
        .iter()
        .map(|r| words::ineligibility(r, Lang::Zh))
        .collect::<Vec<_>>()
        .join(words::clause_separator(Lang::Zh));
    assert_eq!(reasons, "在校 5 年，不足 6 年；年龄 55 岁，超过 50 岁");
    let not_eligible = format!("locks.csv:6: action: 教师「A05」2025 年度不能交流：{reasons}");
    assert_lines(
        &broken("bad_locks"),
        &[
            "locks.csv:3: action: 「交流」与第 2 行的「留任」锁定相矛盾（都针对教师「A01」）；请只保留其中一条",
            "locks.csv:4: school_id: 指定交流的学校「J1」就是该教师现在的学校；请填写其他学校，或改用 留任（stay）",
            "locks.csv:5: school_id: 「不得交流至」锁定需要填写 school_id",
            &not_eligible,
            "locks.csv:7: action: 无法识别的操作「swap」（可填：stay、move、move_to、forbid，或 留任、交流、指定交流、不得交流至）",
            "locks.csv:8: teacher_id: 教师表中没有教师「Z99」",
        ],
        &[
            r#"locks.csv:3: action: move contradicts the stay lock on line 2 for teacher "A01"; keep one of them"#,
            r#"locks.csv:6: action: teacher "A05" may not rotate in 2025: 5 years at the school, fewer than 6; age 55, above the limit of 50"#,
        ],
    );
}

#[test]
fn input_zh_roads() {
    assert_lines(
        &broken("bad_roads"),
        &[
            "roads.csv:2: km: 道路长度为「0」公里；必须大于 0 公里",
            "roads.csv:3: km: 「far」不是数字",
            "roads.csv:4: to: 道路的起点和终点都是「城关镇」",
        ],
        &[
            "roads.csv:2: km: 0 km; a road must be longer than 0 km",
            r#"roads.csv:4: to: the road leads from "城关镇" to itself"#,
        ],
    );
}

#[test]
fn input_zh_staffing() {
    assert_lines(
        &broken("bad_staffing"),
        &[
            "staffing.csv:2: need: 「-1」是负数；请填写 0 或更大的数",
            "staffing.csv:3: section: 学校「P1」是小学，没有初中学段",
            "staffing.csv:6: subject: 学校「J1」初中体育的需求填了两次（首次出现在第 5 行）；请只保留一行",
            "staffing.csv:7: school_id: 学校表中没有学校「Z9」",
        ],
        &["staffing.csv:6: subject: J1 junior pe is given twice (first on line 5); keep one row"],
    );
}
