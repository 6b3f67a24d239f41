//! plan.xlsx read back cell by cell, hostile text kept inert, and `score` on
//! the optimizer's own plan and on broken edits (issue 4).

use std::path::Path;

use assert_cmd::Command;
use calamine::{open_workbook, Data, Reader, Xlsx};

use crate::common::fixture;

fn rotaplan() -> Command {
    Command::cargo_bin("rotaplan").unwrap()
}

fn read_csv(path: &Path) -> Vec<Vec<String>> {
    let bytes = std::fs::read(path).unwrap();
    assert_eq!(&bytes[..3], &[0xEF, 0xBB, 0xBF], "{} starts with a UTF-8 BOM", path.display());
    let mut reader = csv::ReaderBuilder::new().has_headers(false).from_reader(&bytes[3..]);
    reader.records().map(|r| r.unwrap().iter().map(str::to_string).collect()).collect()
}

/// A small synthetic county (8 schools) that has a plan and solves in well
/// under a second. (The tiny fixture is made for reading tests: its locks and
/// road graph leave no feasible plan, which the diagnosis tests use.)
pub fn small_county(dir: &Path) -> std::path::PathBuf {
    rotaplan::commands::synth::write_county(dir, 5, 8).unwrap();
    dir.to_path_buf()
}

fn plan_into(data: &Path, out: &Path, lang: &str) {
    rotaplan().args(["plan", "-q", "--lang", lang]).arg(data).arg("-o").arg(out).assert().success();
}

#[test]
fn plan_xlsx_matches_rotations_csv_cell_by_cell() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("plan");
    let tiny = small_county(&tmp.path().join("tiny"));
    plan_into(&tiny, &out, "en");
    let csv = read_csv(&out.join("rotations.csv"));
    let mut book: Xlsx<_> = open_workbook(out.join("plan.xlsx")).unwrap();
    assert_eq!(
        book.sheet_names(),
        vec![
            "rotations",
            "schools",
            "summary",
            "applications",
            "title and age",
            "subject_gaps",
            "direction",
            "alliances",
            "norms"
        ]
    );
    let sheet = book.worksheet_range("rotations").unwrap();
    assert_eq!(sheet.height(), csv.len());
    // The workbook has every column of the CSV (and a school name beside each school code).
    let headers: Vec<String> = sheet.rows().next().unwrap().iter().map(|c| c.to_string()).collect();
    assert_eq!(headers.len(), csv[0].len() + 2, "{headers:?}");
    for (r, row) in csv.iter().enumerate() {
        for (c, text) in row.iter().enumerate() {
            let c = headers.iter().position(|h| *h == csv[0][c]).unwrap_or_else(|| panic!("a column {}", csv[0][c]));
            let cell = sheet.get((r, c)).cloned().unwrap_or(Data::Empty);
            match cell {
                Data::Float(n) => {
                    let expected: f64 =
                        text.parse().unwrap_or_else(|_| panic!("row {r} col {c}: number {n} but csv {text}"));
                    assert!((n - expected).abs() < 1e-9, "row {r} col {c}: {n} vs {text}");
                }
                Data::String(s) => assert_eq!(&s, text, "row {r} col {c}"),
                Data::Empty => assert!(text.is_empty(), "row {r} col {c}: empty vs {text}"),
                other => panic!("row {r} col {c}: unexpected {other:?}"),
            }
        }
    }
    // Numbers are stored as numbers.
    let years = headers.iter().position(|h| h == "years_at_school").unwrap();
    if csv.len() > 1 {
        assert!(matches!(sheet.get((1, years)), Some(Data::Float(_))));
    }
}

#[test]
fn chinese_workbook_has_chinese_sheets_and_headers() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("plan");
    let tiny = small_county(&tmp.path().join("tiny"));
    plan_into(&tiny, &out, "zh");
    let mut book: Xlsx<_> = open_workbook(out.join("plan.xlsx")).unwrap();
    assert_eq!(
        book.sheet_names(),
        vec!["交流名单", "学校", "汇总", "交流申请", "职称年龄结构", "学科缺口", "交流流向", "联盟", "编制与办学条件"]
    );
    let sheet = book.worksheet_range("交流名单").unwrap();
    assert_eq!(sheet.get((0, 0)), Some(&Data::String("教师编号".into())));
}

/// The tiny county with formula-like and markup names everywhere.
fn hostile_county(dir: &Path) {
    small_county(dir);
    let hostile =
        ["=HYPERLINK(\"http://x\",\"y\")", "+1+1", "@SUM(A1)", "-2+3", "a,\"b\"", "<script>alert(1)</script>"];
    let teachers = std::fs::read_to_string(dir.join("teachers.csv")).unwrap();
    let mut reader = csv::Reader::from_reader(teachers.as_bytes());
    let header = reader.headers().unwrap().clone();
    let mut writer = csv::Writer::from_path(dir.join("teachers.csv")).unwrap();
    writer.write_record(&header).unwrap();
    for (i, record) in reader.records().enumerate() {
        let mut fields: Vec<String> = record.unwrap().iter().map(str::to_string).collect();
        fields[1] = hostile[i % hostile.len()].to_string();
        writer.write_record(&fields).unwrap();
    }
    writer.flush().unwrap();
    let schools = std::fs::read_to_string(dir.join("schools.csv")).unwrap();
    std::fs::write(
        dir.join("schools.csv"),
        schools.replace("府城镇第一小学", "=1+2").replace("府城镇第一初级中学", "<b>中学</b>"),
    )
    .unwrap();
}

#[test]
fn hostile_names_are_inert_in_csv_and_xlsx() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    hostile_county(&data);
    let out = tmp.path().join("plan");
    plan_into(&data, &out, "en");
    let rows = read_csv(&out.join("rotations.csv"));
    assert!(rows.len() > 1, "the tiny county has moves");
    for row in &rows[1..] {
        for cell in row {
            assert!(!cell.starts_with(['=', '+', '-', '@']), "CSV cell {cell:?} would run as a formula");
        }
    }
    let schools = read_csv(&out.join("schools.csv"));
    assert!(schools.iter().any(|r| r[1] == "'=1+2"), "school name neutralised in schools.csv");
    let mut book: Xlsx<_> = open_workbook(out.join("plan.xlsx")).unwrap();
    let sheet = book.worksheet_range("rotations").unwrap();
    let names: Vec<String> = (1..sheet.height()).filter_map(|r| sheet.get((r, 1)).map(|c| c.to_string())).collect();
    for name in names {
        // Text cells keep the original text: Excel shows it and runs nothing.
        assert!(!name.starts_with('\''), "xlsx cell {name:?} keeps the original text");
    }
    let formulas = sheet_has_formulas(&out.join("plan.xlsx"));
    assert!(!formulas, "plan.xlsx contains a formula");
}

fn sheet_has_formulas(path: &Path) -> bool {
    let mut book: Xlsx<_> = open_workbook(path).unwrap();
    let names = book.sheet_names();
    names
        .iter()
        .any(|n| book.worksheet_formula(n).map(|r| r.used_cells().any(|(_, _, f)| !f.is_empty())).unwrap_or(false))
}

#[test]
fn score_accepts_the_optimizers_own_plan() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("plan");
    let tiny = small_county(&tmp.path().join("tiny"));
    plan_into(&tiny, &out, "en");
    for list in ["rotations.csv", "plan.xlsx"] {
        let scored = tmp.path().join(format!("score-{list}"));
        rotaplan()
            .args(["score", "--lang", "en"])
            .arg(&tiny)
            .arg(out.join(list))
            .arg("-o")
            .arg(&scored)
            .assert()
            .code(0)
            .stdout(predicates::str::contains("keeps every rule"))
            .stdout(predicates::str::contains("as good as the optimizer"));
        let json: serde_json::Value =
            serde_json::from_slice(&std::fs::read(scored.join("score.json")).unwrap()).unwrap();
        assert_eq!(json["valid"], true);
        assert_eq!(json["edited"], json["optimizer"], "{list}: same objective vector");
    }
}

#[test]
fn score_names_a_broken_rule() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("plan");
    let tiny = small_county(&tmp.path().join("tiny"));
    plan_into(&tiny, &out, "en");
    let mut rows = read_csv(&out.join("rotations.csv"));
    // Send the first teacher to their own school.
    let to = rows[0].iter().position(|h| h == "to_school").unwrap();
    let from = rows[0].iter().position(|h| h == "from_school").unwrap();
    rows[1][to] = rows[1][from].clone();
    let teacher = rows[1][0].clone();
    let mut writer = csv::Writer::from_path(tmp.path().join("edited.csv")).unwrap();
    for r in &rows {
        writer.write_record(r).unwrap();
    }
    writer.flush().unwrap();
    rotaplan()
        .args(["score", "--lang", "en"])
        .arg(&tiny)
        .arg(tmp.path().join("edited.csv"))
        .assert()
        .code(4)
        .stdout(predicates::str::contains("[own_school]"))
        .stdout(predicates::str::contains(format!("teacher {teacher}")));
}

#[test]
fn score_rejects_a_list_without_the_needed_columns() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("list.csv"), "who,where\n1002,S03\n").unwrap();
    rotaplan()
        .args(["--lang", "en", "score"])
        .arg(fixture("tiny"))
        .arg(tmp.path().join("list.csv"))
        .assert()
        .code(2)
        .stderr(predicates::str::contains("list.csv:1: the plan needs the columns teacher_id"));
}

/// Writes a rotation list as plan.xlsx would hold it: one sheet `rotations`.
fn write_list_xlsx(path: &Path, rows: &[Vec<&str>]) {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("rotations").unwrap();
    for (r, row) in rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            if !cell.is_empty() {
                sheet.write_string(r as u32, c as u16, *cell).unwrap();
            }
        }
    }
    book.save(path).unwrap();
}

fn list_problems(path: &Path) -> Vec<String> {
    match rotaplan::io::plan_list::read_plan_list(path) {
        Err(rotaplan::error::Error::Input(list)) => list.iter().map(ToString::to_string).collect(),
        other => panic!("{} should be an input error, got {other:?}", path.display()),
    }
}

#[test]
fn issue11_score_names_the_column_of_an_empty_or_unsaved_xlsx_cell() {
    let tmp = tempfile::tempdir().unwrap();
    let list = tmp.path().join("plan.xlsx");
    write_list_xlsx(
        &list,
        &[
            vec!["teacher_id", "name", "from_school", "to_school"],
            vec!["1002", "王芳", "S01", "S03"],
            vec!["1003", "李娜", "S01", ""],
            vec!["1004", "刘洋", "S01", "S02"],
        ],
    );
    assert_eq!(
        list_problems(&list),
        vec!["plan.xlsx rotations!D3: to_school: empty cell; every row needs a teacher and a destination"]
    );
    // A formula with no saved value in the destination of 1004.
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("rotations").unwrap();
    sheet.write_row(0, 0, ["teacher_id", "to_school"]).unwrap();
    sheet.write_row(1, 0, ["1004", ""]).unwrap();
    sheet.write_formula(1, 1, "=\"S\"&\"02\"").unwrap();
    book.save(&list).unwrap();
    crate::common::rewrite_xlsx_part(&list, "xl/worksheets/sheet1.xml", &|xml| xml.replace("</f><v>0</v>", "</f>"));
    let lines = list_problems(&list);
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert!(lines[0].starts_with("plan.xlsx rotations!B2: to_school: the cell holds a formula"), "{lines:?}");
}

#[test]
fn issue11_score_reads_back_its_own_plan_when_ids_start_with_a_quote() {
    // rotaplan writes '=… for an id starting with =; an id that itself
    // starts with '= must come back unchanged from rotations.csv and plan.xlsx.
    let tmp = tempfile::tempdir().unwrap();
    let data = small_county(&tmp.path().join("data"));
    let id_columns: [(&str, &[usize]); 5] = [
        ("teachers.csv", &[0]),
        ("locks.csv", &[0]),
        ("exchanges.csv", &[0]),
        ("applications.csv", &[0]),
        ("family.csv", &[0, 1]),
    ];
    for (file, columns) in id_columns {
        let path = data.join(file);
        if !path.exists() {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        let mut reader = csv::ReaderBuilder::new().has_headers(false).from_reader(text.as_bytes());
        let mut writer = csv::Writer::from_path(&path).unwrap();
        for (i, record) in reader.records().enumerate() {
            let mut fields: Vec<String> = record.unwrap().iter().map(str::to_string).collect();
            for &c in columns.iter().filter(|_| i > 0) {
                fields[c] = format!("'={}", fields[c]);
            }
            writer.write_record(&fields).unwrap();
        }
        writer.flush().unwrap();
    }
    let out = tmp.path().join("plan");
    plan_into(&data, &out, "en");
    let rows = read_csv(&out.join("rotations.csv"));
    assert!(rows.len() > 1 && rows[1][0].starts_with("''="), "{:?}", rows.get(1));
    for list in ["rotations.csv", "plan.xlsx"] {
        rotaplan()
            .args(["score", "--lang", "en"])
            .arg(&data)
            .arg(out.join(list))
            .arg("-o")
            .arg(tmp.path().join(format!("score-{list}")))
            .assert()
            .code(0)
            .stdout(predicates::str::contains("keeps every rule"));
    }
}

/// A hand-edited list whose `from_school` or `name` cell does not match the
/// teacher named on the row most likely names the wrong teacher: `score`
/// refuses it (exit 2) naming the cell, in CSV and in the Chinese workbook.
#[test]
fn issue11_score_refuses_a_row_whose_school_or_name_does_not_match_its_teacher() {
    let tmp = tempfile::tempdir().unwrap();
    let county = small_county(&tmp.path().join("county"));
    let out = tmp.path().join("plan");
    plan_into(&county, &out, "zh");
    let rows = read_csv(&out.join("rotations.csv"));
    let (header, first) = (&rows[0], &rows[1]);
    let at = |name: &str| header.iter().position(|h| h == name).unwrap();
    let (from, to, name) = (at("from_school"), at("to_school"), at("name"));
    let write = |edit: &dyn Fn(&mut Vec<String>)| {
        let mut edited = rows.clone();
        edit(&mut edited[1]);
        let mut text = String::new();
        for row in &edited {
            text.push_str(&row.iter().map(|c| format!("\"{}\"", c.replace('"', "\"\""))).collect::<Vec<_>>().join(","));
            text.push('\n');
        }
        let path = tmp.path().join("edited.csv");
        std::fs::write(&path, text).unwrap();
        path
    };
    // The destination as the wrong from_school.
    let wrong_school = write(&|row| row[from] = row[to].clone());
    let out_err = rotaplan().arg("score").arg(&county).arg(&wrong_school).output().unwrap();
    let stderr = String::from_utf8_lossy(&out_err.stderr);
    assert_eq!(out_err.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("edited.csv:2: from_school:") && stderr.contains(&first[from]), "{stderr}");
    let wrong_name = write(&|row| row[name] = "张三".into());
    let out_err = rotaplan().arg("score").arg(&county).arg(&wrong_name).output().unwrap();
    let stderr = String::from_utf8_lossy(&out_err.stderr);
    assert_eq!(out_err.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("edited.csv:2: name:") && stderr.contains("张三"), "{stderr}");
    // Unedited, and with the checked cells left empty, the list is scored.
    let blanked = write(&|row| {
        row[from].clear();
        row[name].clear();
    });
    rotaplan().arg("score").arg(&county).arg(&blanked).assert().code(0);
    rotaplan().arg("score").arg(&county).arg(out.join("plan.xlsx")).assert().code(0);
    // The Chinese workbook's 调出学校代码 column is checked too.
    let book = tmp.path().join("edited.xlsx");
    let mut workbook: Xlsx<_> = open_workbook(out.join("plan.xlsx")).unwrap();
    let sheet = workbook.sheet_names()[0].clone();
    let range = workbook.worksheet_range(&sheet).unwrap();
    let mut cells: Vec<Vec<String>> = range.rows().map(|r| r.iter().map(|c| c.to_string()).collect()).collect();
    let from_col = cells[0].iter().position(|h| h == "调出学校代码").expect("a 调出学校代码 column");
    let to_col = cells[0].iter().position(|h| h == "调入学校代码").expect("a 调入学校代码 column");
    cells[1][from_col] = cells[1][to_col].clone();
    let refs: Vec<Vec<&str>> = cells.iter().map(|r| r.iter().map(String::as_str).collect()).collect();
    write_list_xlsx(&book, &refs);
    let out_err = rotaplan().arg("score").arg(&county).arg(&book).output().unwrap();
    let stderr = String::from_utf8_lossy(&out_err.stderr);
    assert_eq!(out_err.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("edited.xlsx rotations!") && stderr.contains("from_school"), "{stderr}");
}

#[test]
fn score_refuses_a_list_longer_than_the_county_has_teachers() {
    let tmp = tempfile::tempdir().unwrap();
    let data = small_county(&tmp.path().join("county"));
    let county = rotaplan::io::load(&data, None).unwrap().county;
    let teachers = county.teachers.len();
    let mut text = String::from("teacher_id,to_school\n");
    for i in 0..=teachers {
        text.push_str(&format!("X{i},{}\n", county.schools[0].id));
    }
    let list = tmp.path().join("long.csv");
    std::fs::write(&list, text).unwrap();
    let out = tmp.path().join("scored");
    let run = rotaplan().args(["--lang", "en", "score"]).arg(&data).arg(&list).arg("-o").arg(&out).assert().code(2);
    let stderr = String::from_utf8(run.get_output().stderr.clone()).unwrap();
    assert!(
        stderr.contains(&format!("the list has {} rows, more than the {teachers} teachers", teachers + 1)),
        "{stderr}"
    );
    assert_eq!(stderr.lines().count(), 2, "one problem for the whole list: {stderr}");
    assert!(!out.exists());
}

#[test]
fn score_never_sends_a_cell_s_control_characters_to_the_terminal() {
    let tmp = tempfile::tempdir().unwrap();
    let data = small_county(&tmp.path().join("county"));
    let county = rotaplan::io::load(&data, None).unwrap().county;
    let list = tmp.path().join("list.csv");
    std::fs::write(&list, format!("teacher_id,to_school\nT\u{1b}]0;X\u{7}\u{1b}[2J9,{}\n", county.schools[0].id))
        .unwrap();
    let output = rotaplan().arg("score").arg(&data).arg(&list).arg("-o").arg(tmp.path().join("s")).output().unwrap();
    let all = format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    assert!(
        all.contains("T\u{fffd}]0;X\u{fffd}\u{fffd}[2J9"),
        "the id is shown, its control characters replaced: {all}"
    );
    assert!(!all.contains('\u{1b}') && !all.contains('\u{7}'), "{all}");
}
