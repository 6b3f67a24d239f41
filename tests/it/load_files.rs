//! Issue 16: a county given in memory (`rotaplan::load_files`), as a browser
//! uploads it, reads and validates exactly as `load` reads the same files.

use std::path::Path;

use rotaplan::error::{Error, InputProblem};
use rotaplan::io::Loaded;

use crate::common::{fixture, workbook_from_folder, workbook_from_folder_edited};

/// The files of a folder as (name, bytes), the names prefixed by `prefix`
/// (a browser may send a path), leaving out `README.md`.
fn files_of(folder: &Path, prefix: &str) -> Vec<(String, Vec<u8>)> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(folder).expect("list folder") {
        let entry = entry.expect("entry");
        let name = entry.file_name().to_string_lossy().into_owned();
        if name != "README.md" {
            files.push((format!("{prefix}{name}"), std::fs::read(entry.path()).expect("read")));
        }
    }
    files
}

fn loaded(files: Vec<(String, Vec<u8>)>) -> Loaded {
    match rotaplan::load_files(files) {
        Ok(loaded) => loaded,
        Err(error) => panic!("the files should load: {error}"),
    }
}

fn problems(files: Vec<(String, Vec<u8>)>) -> Vec<InputProblem> {
    match rotaplan::load_files(files) {
        Ok(_) => panic!("the files should not load"),
        Err(Error::Input(list)) => list,
        Err(other) => panic!("expected input problems, got {other}"),
    }
}

fn load_problems(data: &Path) -> Vec<InputProblem> {
    match rotaplan::load(data, None) {
        Ok(_) => panic!("{} should not load", data.display()),
        Err(Error::Input(list)) => list,
        Err(other) => panic!("expected input problems, got {other}"),
    }
}

/// The one problem of a set of files, in English and Chinese.
fn only_problem(files: Vec<(String, Vec<u8>)>) -> (String, String, String) {
    let list = problems(files);
    assert_eq!(list.len(), 1, "{list:?}");
    let p = &list[0];
    (p.location.clone(), p.message.clone(), p.message_zh.clone().expect("worded in Chinese"))
}

fn same_county(a: &Loaded, b: &Loaded) {
    assert_eq!(a.county.schools, b.county.schools);
    assert_eq!(a.county.teachers, b.county.teachers);
    assert_eq!(a.county.policy, b.county.policy);
    assert_eq!(a.county.exchanges, b.county.exchanges);
    assert_eq!(a.county.applications, b.county.applications);
    assert_eq!(a.county.family, b.county.family);
    assert_eq!(a.warnings, b.warnings);
}

#[test]
fn issue16_anze_csv_files_load_as_the_folder_does() {
    let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/anze");
    let from_disk = rotaplan::load(&folder, None).expect("data/anze loads");
    let from_memory = loaded(files_of(&folder, "C:\\fakepath\\"));
    assert!(from_memory.county.teachers.len() > 100);
    assert!(!from_memory.county.applications.is_empty(), "applications.csv is read");
    same_county(&from_disk, &from_memory);
    // The policy is data/anze's own, not the defaults.
    assert_ne!(from_memory.county.policy, rotaplan::Policy::default());
}

#[test]
fn issue16_anze_workbook_loads_as_the_workbook_on_disk_does() {
    let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/anze");
    let dir = tempfile::tempdir().unwrap();
    let book = dir.path().join("安泽县.xlsx");
    workbook_from_folder(&folder, &book, true);
    let from_disk = rotaplan::load(&book, None).expect("the workbook loads");
    let from_memory = loaded(vec![("uploads/安泽县.xlsx".into(), std::fs::read(&book).unwrap())]);
    same_county(&from_disk, &from_memory);
    let from_folder = rotaplan::load(&folder, None).expect("data/anze loads");
    assert_eq!(from_memory.county.schools, from_folder.county.schools);
    assert_eq!(from_memory.county.teachers.len(), from_folder.county.teachers.len());
}

#[test]
fn issue16_a_bad_workbook_gives_the_messages_load_gives() {
    let dir = tempfile::tempdir().unwrap();
    let book = dir.path().join("安泽县.xlsx");
    workbook_from_folder_edited(&fixture("tiny"), &book, true, &|sheet, ws| {
        if sheet == "教师" {
            ws.write_string(16, 4, "astronomy").unwrap();
            ws.write_string(9, 9, "19x8").unwrap();
        }
    });
    let expected = load_problems(&book);
    assert!(expected.iter().any(|p| p.location.starts_with("安泽县.xlsx 教师!")), "{expected:?}");
    assert_eq!(problems(vec![("安泽县.xlsx".into(), std::fs::read(&book).unwrap())]), expected);
}

#[test]
fn issue16_bad_csv_files_give_the_messages_load_gives() {
    for broken in ["bad_words", "bad_locks", "bad_toml", "duplicate_ids", "not_text"] {
        let folder = fixture("broken").join(broken);
        let expected = load_problems(&folder);
        assert!(!expected.is_empty());
        assert_eq!(problems(files_of(&folder, "/home/user/")), expected, "{broken}");
    }
    let expected = load_problems(&fixture("broken").join("bad_words"));
    assert!(expected.iter().any(|p| p.location.starts_with("teachers.csv:")), "{expected:?}");
}

#[test]
fn issue16_names_match_case_insensitively_and_keep_their_spelling_in_messages() {
    let folder = fixture("broken").join("bad_words");
    let upper: Vec<(String, Vec<u8>)> =
        files_of(&folder, "").into_iter().map(|(name, bytes)| (name.to_uppercase(), bytes)).collect();
    let list = problems(upper);
    assert!(list.iter().any(|p| p.location.starts_with("TEACHERS.CSV:")), "{list:?}");
}

#[test]
fn issue16_no_file_and_too_many_files_are_refused() {
    let (_, en, zh) = only_problem(Vec::new());
    assert!(en.contains("no file was given") && en.contains(".xlsx"), "{en}");
    assert!(zh.contains("没有给出任何文件"), "{zh}");
    let many: Vec<(String, Vec<u8>)> = (0..17).map(|i| (format!("t{i}.csv"), Vec::new())).collect();
    let (_, en, zh) = only_problem(many);
    assert!(en.contains("17 files") && en.contains("at most 16"), "{en}");
    assert!(zh.contains("17 个文件") && zh.contains("最多读 16 个"), "{zh}");
}

#[test]
fn issue16_workbooks_mixed_with_csvs_or_two_workbooks_are_refused() {
    let book = std::fs::read(fixture("tiny.xlsx")).unwrap();
    let mut mixed = files_of(&fixture("tiny"), "");
    mixed.push(("county.xlsx".into(), book.clone()));
    let (location, en, zh) = only_problem(mixed);
    assert_eq!(location, "county.xlsx");
    assert!(en.contains("together with other files"), "{en}");
    assert!(zh.contains("不要同时给"), "{zh}");
    let (location, en, zh) = only_problem(vec![("a.xlsx".into(), book.clone()), ("B.XLSX".into(), book)]);
    assert_eq!(location, "B.XLSX, a.xlsx");
    assert!(en.contains("more than one workbook"), "{en}");
    assert!(zh.contains("不止一个工作簿"), "{zh}");
}

#[test]
fn issue16_a_file_rotaplan_does_not_read_is_left_out_with_a_warning() {
    let mut files = files_of(&fixture("tiny"), "");
    let expected = rotaplan::load(&fixture("tiny"), None).expect("tiny loads");
    files.push(("notes.txt".into(), b"hello".to_vec()));
    let loaded = rotaplan::io::load_files(files).expect("the tables load without the notes");
    assert_eq!(loaded.county.teachers.len(), expected.county.teachers.len());
    let warning = loaded.warnings.iter().find(|w| w.en.starts_with("notes.txt")).expect("notes.txt is named");
    assert!(warning.en.contains("not a table rotaplan reads; it is ignored"), "{}", warning.en);
    assert!(warning.zh.as_deref().unwrap().contains("不是 rotaplan 读取的表"));
    // The tables are still checked when one is bad.
    let mut files = files_of(&fixture("broken").join("bad_words"), "");
    files.push(("notes.txt".into(), b"hello".to_vec()));
    let list = problems(files);
    assert!(list.iter().all(|p| p.location != "notes.txt"), "{list:?}");
    assert!(list.iter().any(|p| p.location.starts_with("teachers.csv:")), "the tables are still checked: {list:?}");
}

#[test]
fn issue16_a_missing_required_file_a_nameless_file_and_a_long_name_are_refused() {
    let files: Vec<(String, Vec<u8>)> =
        files_of(&fixture("tiny"), "").into_iter().filter(|(name, _)| name != "teachers.csv").collect();
    let (location, en, zh) = only_problem(files);
    assert_eq!(location, "teachers.csv");
    assert!(en.contains("is required"), "{en}");
    assert!(zh.contains("必需"), "{zh}");
    let mut files = files_of(&fixture("tiny"), "");
    files.push(("folder/".into(), b"x".to_vec()));
    let (_, en, zh) = only_problem(files);
    assert!(en.contains("without a name"), "{en}");
    assert!(zh.contains("没有文件名"), "{zh}");
    let mut files = files_of(&fixture("tiny"), "");
    files.push(("名".repeat(100) + ".csv", b"x".to_vec()));
    let (_, en, zh) = only_problem(files);
    assert!(en.contains("longer than 255 bytes"), "{en}");
    assert!(zh.contains("超过 255 字节"), "{zh}");
}

#[test]
fn issue16_the_same_table_given_twice_is_refused() {
    let mut files = files_of(&fixture("tiny"), "");
    let schools = files.iter().find(|(name, _)| name == "schools.csv").unwrap().1.clone();
    files.push(("a/Schools.csv".into(), schools));
    let (location, en, zh) = only_problem(files);
    assert_eq!(location, "schools.csv");
    assert!(en.contains("\"Schools.csv\" and \"schools.csv\"") && en.contains("give it once"), "{en}");
    assert!(zh.contains("同一张表"), "{zh}");
}

#[test]
fn issue16_a_file_over_the_size_limit_is_refused() {
    let mut files = files_of(&fixture("tiny"), "");
    let big = vec![b'a'; 100_000_001];
    files.retain(|(name, _)| name != "roads.csv");
    files.push(("roads.csv".into(), big.clone()));
    let (location, en, zh) = only_problem(files);
    assert_eq!(location, "roads.csv");
    assert!(en.contains("larger than 100,000,000 bytes"), "{en}");
    assert!(zh.contains("文件超过 100,000,000 字节"), "{zh}");
    let (location, en, _) = only_problem(vec![("county.xlsx".into(), big)]);
    assert_eq!(location, "county.xlsx");
    assert!(en.contains("larger than 100,000,000 bytes"), "{en}");
}

#[test]
fn issue16_an_xls_workbook_and_a_table_under_its_sheet_name_say_what_to_do() {
    let list = problems(vec![("县域2026.XLS".into(), b"\xd0\xcf\x11\xe0".to_vec())]);
    let xls = list.iter().find(|p| p.location == "县域2026.XLS").expect("the .xls file is named");
    assert!(xls.message.contains("save it as an Excel workbook (.xlsx)"), "{}", xls.message);
    assert!(xls.message_zh.as_deref().unwrap().contains("另存为"));
    let mut files: Vec<(String, Vec<u8>)> =
        files_of(&fixture("tiny"), "").into_iter().filter(|(n, _)| n != "schools.csv").collect();
    let schools = std::fs::read(fixture("tiny").join("schools.csv")).unwrap();
    files.push(("学校.csv".into(), schools));
    let list = problems(files);
    let renamed = list.iter().find(|p| p.location == "学校.csv").expect("学校.csv is named");
    assert!(renamed.message.contains("must be named schools.csv"), "{}", renamed.message);
    assert!(renamed.message_zh.as_deref().unwrap().contains("schools.csv"));
}

#[test]
fn counts_past_a_county_s_size_are_refused_with_their_range() {
    // 2³¹ students in two schools would wrap a u32 sum; a need of 2³² − 1 too.
    let mut files = files_of(Path::new("data/anze"), "");
    let schools = files.iter_mut().find(|(n, _)| n == "schools.csv").unwrap();
    let text = String::from_utf8(schools.1.clone()).unwrap();
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    let header: Vec<&str> = lines[0].trim_start_matches('\u{feff}').split(',').collect();
    let column = header.iter().position(|h| *h == "primary_students").unwrap();
    let classes = header.iter().position(|h| *h == "primary_classes").unwrap();
    for (line, (index, value)) in [(1, (column, "2147483648")), (2, (classes, "5000"))] {
        let mut cells: Vec<String> = lines[line].split(',').map(str::to_string).collect();
        cells[index] = value.to_string();
        lines[line] = cells.join(",");
    }
    schools.1 = lines.join("\n").into_bytes();
    let first = lines[1].split(',').next().unwrap().to_string();
    files.push((
        "staffing.csv".into(),
        format!("school_id,section,subject,need\n{first},primary,pe,4294967295\n").into_bytes(),
    ));
    let list = problems(files);
    let said: Vec<String> = list.iter().map(|p| format!("{}: {}: {}", p.location, p.column, p.message)).collect();
    let all = said.join("\n");
    assert!(
        all.contains("schools.csv:2: primary_students: 2147483648 is over the limit")
            && all.contains("give 0 to 100000"),
        "{all}"
    );
    assert!(
        all.contains("schools.csv:3: primary_classes: 5000 is over the limit") && all.contains("give 0 to 2000"),
        "{all}"
    );
    assert!(
        all.contains("staffing.csv:2: need: 4294967295 is over the limit") && all.contains("give 0 to 10000"),
        "{all}"
    );
}
