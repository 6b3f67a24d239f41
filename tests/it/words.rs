//! The phrase book and the run's language (issue 12 point 3): the workbook's
//! cell values and number formats, the terminal summaries and `score` in
//! Chinese, and the explanations built once per plan.

use std::io::Read;
use std::path::Path;

use assert_cmd::Command;
use calamine::{open_workbook, Data, Range, Reader, Xlsx};

use rotaplan::domain::{Level, Role, TeacherIndicator};
use rotaplan::explain::explain_plan;
use rotaplan::plan::{plan, Outcome, Plan, PlanOptions};
use rotaplan::render::words::{self, word, ListKind};
use rotaplan::render::Lang;
use rotaplan::rules::eligibility::Ineligibility;
use rotaplan::rules::indicators::{Indicator, Standing};

fn rotaplan() -> Command {
    Command::cargo_bin("rotaplan").unwrap()
}

/// A small synthetic county (8 schools, both sections) and its plan folder in `lang`.
fn planned_folder(dir: &Path, lang: &str) -> std::path::PathBuf {
    let data = dir.join("county");
    rotaplan::commands::synth::write_county(&data, 5, 8).unwrap();
    let out = dir.join("plan");
    rotaplan().args(["plan", "-q", "--lang", lang]).arg(&data).arg("-o").arg(&out).assert().success();
    out
}

fn sheet(out: &Path, name: &str) -> Range<Data> {
    let mut book: Xlsx<_> = open_workbook(out.join("plan.xlsx")).unwrap();
    book.worksheet_range(name).unwrap()
}

/// The cells of the column headed `header`, below the header.
fn column(range: &Range<Data>, header: &str) -> Vec<Data> {
    let rows: Vec<&[Data]> = range.rows().collect();
    let c = rows[0].iter().position(|h| *h == header).unwrap_or_else(|| panic!("a column {header}"));
    rows[1..].iter().map(|r| r[c].clone()).collect()
}

fn texts(cells: &[Data]) -> Vec<String> {
    cells.iter().map(|c| c.to_string()).collect()
}

/// One part of the .xlsx archive as text.
fn xlsx_part(path: &Path, part: &str) -> String {
    let bytes = std::fs::read(path).unwrap();
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut text = String::new();
    archive.by_name(part).unwrap().read_to_string(&mut text).unwrap();
    text
}

/// The number format code of a cell (`B13` of `xl/worksheets/sheet3.xml`),
/// through its style index in styles.xml's cellXfs.
fn number_format(book: &Path, sheet_part: &str, cell: &str) -> String {
    let sheet = xlsx_part(book, sheet_part);
    let at = sheet.find(&format!("<c r=\"{cell}\"")).unwrap_or_else(|| panic!("cell {cell}"));
    let tag = &sheet[at..at + sheet[at..].find('>').unwrap()];
    let style: usize = tag.split("s=\"").nth(1).map_or(0, |rest| rest.split('"').next().unwrap().parse().unwrap());
    let styles = xlsx_part(book, "xl/styles.xml");
    let xfs = styles.split("<cellXfs").nth(1).unwrap().split("</cellXfs>").next().unwrap();
    let xf = xfs.split("<xf ").nth(style + 1).unwrap();
    let id = xf.split("numFmtId=\"").nth(1).unwrap().split('"').next().unwrap();
    let code = styles
        .split("<numFmt ")
        .skip(1)
        .find(|f| f.contains(&format!("numFmtId=\"{id}\"")))
        .and_then(|f| f.split("formatCode=\"").nth(1))
        .map(|f| f.split('"').next().unwrap().to_string());
    code.unwrap_or_else(|| format!("built-in {id}"))
}

#[test]
fn chinese_workbook_has_chinese_words_school_names_and_number_formats() {
    let tmp = tempfile::tempdir().unwrap();
    let out = planned_folder(tmp.path(), "zh");
    let schools = sheet(&out, "学校");
    let sections = texts(&column(&schools, "学段"));
    assert!(sections.contains(&"初中".to_string()) && sections.contains(&"小学".to_string()), "{sections:?}");
    assert!(texts(&column(&schools, "纳入统计")).contains(&"是".to_string()));
    // Per-100 figures are numbers, not text.
    assert!(column(&schools, "每百生骨干(前)").iter().any(|c| matches!(c, Data::Float(_))));

    let rotations = sheet(&out, "交流名单");
    let csv = std::fs::read_to_string(out.join("schools.csv")).unwrap();
    let name_of = |id: &str| -> String {
        let line = csv.lines().find(|l| l.starts_with(&format!("{id},"))).unwrap_or_else(|| panic!("school {id}"));
        line.split(',').nth(1).unwrap().to_string()
    };
    let ids = texts(&column(&rotations, "调入学校代码"));
    let names = texts(&column(&rotations, "调入学校名称"));
    assert!(!ids.is_empty(), "the county has moves");
    for (id, name) in ids.iter().zip(&names) {
        assert_eq!(name, &name_of(id), "the name beside school {id}");
        assert_ne!(name, id);
    }
    let from = texts(&column(&rotations, "调出学校名称"));
    assert!(from.iter().all(|n| !n.is_empty()));
    for yes_no in ["高于规定学历", "体艺教师"] {
        assert!(texts(&column(&rotations, yes_no)).iter().all(|v| v == "是" || v == "否"), "{yes_no}");
    }
    let subjects = texts(&column(&rotations, "任教学科"));
    assert!(subjects.iter().all(|s| !s.is_ascii()), "subjects in Chinese: {subjects:?}");
    let km = column(&rotations, "距离(公里)");
    assert!(km.iter().all(|c| matches!(c, Data::Float(_) | Data::Empty)));

    // The summary's CV rows: numbers shown to four decimals.
    let summary = sheet(&out, "汇总");
    let rows: Vec<&[Data]> = summary.rows().collect();
    let r = rows.iter().position(|r| r[0] == "差异系数 小学 高学历教师（后）").expect("a CV row");
    assert!(matches!(rows[r][1], Data::Float(v) if v > 0.0 && v < 1.0), "{:?}", rows[r][1]);
    let book = out.join("plan.xlsx");
    assert_eq!(number_format(&book, "xl/worksheets/sheet3.xml", &format!("B{}", r + 1)), "0.0000");
    let share = rows.iter().position(|r| r[0] == "骨干占比").unwrap();
    assert_eq!(number_format(&book, "xl/worksheets/sheet3.xml", &format!("B{}", share + 1)), "0.0%");
    let rotation_header: Vec<String> = rotations.rows().next().unwrap().iter().map(|c| c.to_string()).collect();
    let km_col = rotation_header.iter().position(|h| h == "距离(公里)").unwrap();
    let km_cell = format!("{}2", (b'A' + km_col as u8) as char);
    assert_eq!(number_format(&book, "xl/worksheets/sheet1.xml", &km_cell), "0.0");
}

#[test]
fn english_workbook_has_english_words() {
    let tmp = tempfile::tempdir().unwrap();
    let out = planned_folder(tmp.path(), "en");
    let schools = sheet(&out, "schools");
    assert!(texts(&column(&schools, "section")).contains(&"junior".to_string()));
    assert!(texts(&column(&schools, "counted")).contains(&"yes".to_string()));
    assert!(!texts(&column(&schools, "name")).is_empty());
    let rotations = sheet(&out, "rotations");
    let names = texts(&column(&rotations, "to_school_name"));
    assert!(names.iter().all(|n| !n.is_empty()));
    for yes_no in ["higher_degree", "pe_arts"] {
        assert!(texts(&column(&rotations, yes_no)).iter().all(|v| v == "yes" || v == "no"), "{yes_no}");
    }
    let summary = sheet(&out, "summary");
    assert!(summary.rows().any(|r| r[0] == "CV junior higher-degree teachers (after)"));
}

/// Every ASCII word of `text` other than those allowed.
fn english_words<'a>(text: &'a str, allowed: &[&str]) -> Vec<&'a str> {
    text.split(|c: char| !c.is_ascii_alphabetic() && c != '_')
        .filter(|w| w.chars().any(|c| c.is_ascii_alphabetic()))
        .filter(|w| !allowed.contains(w))
        .collect()
}

#[test]
fn score_in_chinese_prints_no_english_words() {
    let tmp = tempfile::tempdir().unwrap();
    let out = planned_folder(tmp.path(), "zh");
    let scored =
        rotaplan().arg("score").arg(tmp.path().join("county")).arg(out.join("rotations.csv")).output().unwrap();
    assert_eq!(scored.status.code(), Some(0));
    let stdout = String::from_utf8(scored.stdout).unwrap();
    assert!(stdout.contains("差异系数 小学 高学历教师") && stdout.contains("差异系数 初中 体艺教师"), "{stdout}");
    assert_eq!(english_words(&stdout, &[]), Vec::<&str>::new(), "{stdout}");
    let mut english = rotaplan();
    english.args(["score", "--lang", "en"]).arg(tmp.path().join("county")).arg(out.join("plan.xlsx"));
    let stdout = String::from_utf8(english.output().unwrap().stdout).unwrap();
    assert!(stdout.contains("CV junior PE/arts teachers") && stdout.contains("as good as"), "{stdout}");
}

#[test]
fn evaluate_and_plan_summaries_in_chinese_name_indicators_in_chinese() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("county");
    rotaplan::commands::synth::write_county(&data, 5, 8).unwrap();
    let evaluated = rotaplan().arg("evaluate").arg(&data).arg("-o").arg(tmp.path().join("ev")).output().unwrap();
    let stdout = String::from_utf8(evaluated.stdout).unwrap();
    assert!(stdout.contains("[初中]") && stdout.contains("生均教学仪器设备值"), "{stdout}");
    for key in ["higher_degree", "backbone", "pe_arts", "teaching_area_m2", "primary", "junior", "below", "OVER"] {
        assert!(!stdout.contains(key), "{key} in {stdout}");
    }
    let planned = rotaplan().arg("plan").arg(&data).arg("-o").arg(tmp.path().join("plan")).output().unwrap();
    let stdout = String::from_utf8(planned.stdout).unwrap();
    let squeezed = stdout.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(squeezed.contains("差异系数 小学 高学历教师") && squeezed.contains("差异系数 初中 骨干教师"), "{stdout}");
    assert!(squeezed.contains("公里") && squeezed.contains("秒"), "{stdout}");
    for key in ["higher_degree", "pe_arts", "primary", "junior"] {
        assert!(!stdout.contains(key), "{key} in {stdout}");
    }
}

#[test]
fn phrase_book_words_the_closed_sets_in_both_languages() {
    assert_eq!(word(Level::Junior, Lang::Zh), "初中");
    assert_eq!(word(Level::Junior, Lang::En), "junior");
    assert_eq!(word(rotaplan::domain::Subject::Art, Lang::Zh), "美术");
    assert_eq!(word(rotaplan::domain::Backbone::City, Lang::Zh), "市级");
    assert_eq!((word(true, Lang::Zh), word(false, Lang::En)), ("是", "no"));
    assert_eq!(word(TeacherIndicator::HigherDegree, Lang::Zh), "高学历教师");
    assert_eq!(word(TeacherIndicator::PeArts, Lang::Zh), "体艺教师");
    let equipment = Indicator::Facility(rotaplan::domain::Facility::Equipment);
    assert_eq!(word(equipment, Lang::Zh), "生均教学仪器设备值");
    assert_eq!(words::indicator_title(equipment, Lang::Zh), equipment.name_zh());
    assert_eq!(word(Standing::Below85, Lang::Zh), "低于标准85%");
    assert_eq!(word(rotaplan::model::Stage::CvSquares, Lang::Zh), "差异系数平方和");
    // Every closed set has a Chinese word for every value, distinct from its English one.
    for (subject, en, zh) in rotaplan::domain::Subject::ALL {
        assert_eq!((word(*subject, Lang::En), word(*subject, Lang::Zh)), (*en, *zh));
        assert!(!zh.is_ascii());
    }
}

#[test]
fn ineligibility_english_is_the_one_input_messages_use() {
    let reasons = [
        Ineligibility::PartTime,
        Ineligibility::PrincipalYears(Role::VicePrincipal, 3, 6),
        Ineligibility::YearsAtSchool(3, 6),
        Ineligibility::Age(58, 55),
        Ineligibility::Exempt("病假".into()),
        Ineligibility::RecentRotation(1, 6),
    ];
    for reason in &reasons {
        assert_eq!(words::ineligibility(reason, Lang::En), reason.describe_en());
        let zh = words::ineligibility(reason, Lang::Zh);
        assert!(!zh.is_empty() && zh != reason.describe_en(), "{zh}");
    }
    assert_eq!(words::ineligibility(&Ineligibility::YearsAtSchool(3, 6), Lang::Zh), "在校 3 年，不足 6 年");
}

fn anze_plan() -> (rotaplan::domain::County, Plan) {
    let county = rotaplan::io::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("data/anze"), None).unwrap().county;
    match plan(&county, Vec::new(), &PlanOptions::default()).unwrap() {
        Outcome::Planned(p) => (county, p),
        Outcome::Infeasible(_) => panic!("anze has a plan"),
        Outcome::OutOfTime(stop) => panic!("no plan within the time limit ({} s)", stop.seconds),
    }
}

#[test]
fn explanations_built_once_give_each_move_its_reason() {
    let (county, p) = anze_plan();
    let explanations = explain_plan(&county, &p);
    assert_eq!(explanations.moves.len(), p.moves.len());
    let table = rotaplan::render::output::rotations_table(&county, &p, &explanations, Lang::Zh);
    let reason = table.keys.iter().position(|k| *k == "reason").unwrap();
    let kind = table.keys.iter().position(|k| *k == "kind").unwrap();
    let rotations: Vec<_> =
        table.rows.iter().filter(|row| row[kind] == rotaplan::render::output::Cell::word(ListKind::Rotation)).collect();
    assert_eq!(rotations.len(), p.moves.len());
    for ((m, x), row) in p.moves.iter().zip(&explanations.moves).zip(rotations) {
        assert_eq!((x.teacher, x.to), (m.teacher, m.to));
        let said = rotaplan::render::reasons::move_reason(&county, &p, m, Lang::Zh);
        assert_eq!(row[reason], rotaplan::render::output::Cell::Text(said.clone()));
        assert!(said.starts_with("符合交流条件"), "{said}");
        let teacher = &county.teachers[m.teacher];
        assert!(said.contains(word(teacher.subject, Lang::Zh)), "{said}");
    }
}

#[test]
fn the_workbook_is_dated_by_its_school_year_not_the_clock() {
    // Same input, same plan.xlsx: the document date is 1 September of the
    // policy year, so two runs give byte-identical workbooks.
    let (county, p) = anze_plan();
    let tmp = tempfile::tempdir().unwrap();
    let files = rotaplan::render::output::plan_files(&county, &p, Lang::Zh).unwrap();
    let book = tmp.path().join("plan.xlsx");
    std::fs::write(&book, files.get("plan.xlsx").unwrap()).unwrap();
    let core = xlsx_part(&book, "docProps/core.xml");
    let date = format!("{}-09-01T00:00:00Z", county.policy.year);
    assert!(core.contains(&format!(">{date}</dcterms:created>")), "{core}");
    assert!(core.contains(&format!(">{date}</dcterms:modified>")), "{core}");
    let again = rotaplan::render::output::plan_files(&county, &p, Lang::Zh).unwrap();
    assert_eq!(files.get("plan.xlsx"), again.get("plan.xlsx"));
}
