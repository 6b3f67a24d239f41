//! Shared helpers of the integration tests.

use std::path::{Path, PathBuf};

/// The folder of a fixture under tests/fixtures.
pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests").join("fixtures").join(name)
}

/// Writes `synth --seed seed --schools schools --stress stress` into `dir`.
pub fn write_stressed(dir: &Path, seed: u64, schools: usize, stress: f64) {
    let knobs = rotaplan::commands::synth::Knobs { stress, ..Default::default() };
    let files = rotaplan::commands::synth::county_files_knobs(seed, schools, knobs);
    for name in files.names() {
        std::fs::write(dir.join(name), files.get(name).expect("named")).expect("writes");
    }
}

/// The county of [`write_stressed`], loaded.
pub fn stressed(seed: u64, schools: usize, stress: f64) -> rotaplan::domain::County {
    let dir = tempfile::tempdir().expect("temporary folder");
    write_stressed(dir.path(), seed, schools, stress);
    rotaplan::io::load(dir.path(), None).expect("a generated county loads").county
}

/// Copies the files of a flat folder into another (created if needed).
pub fn copy_folder(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create folder");
    for entry in std::fs::read_dir(from).expect("list folder") {
        let entry = entry.expect("folder entry");
        if entry.file_type().expect("file type").is_file() {
            std::fs::copy(entry.path(), to.join(entry.file_name())).expect("copy file");
        }
    }
}

/// Writes a UTF-8 data folder (schools.csv, teachers.csv, optional
/// policy.toml, locks.csv, roads.csv, staffing.csv, exchanges.csv,
/// applications.csv, family.csv) as one
/// workbook the way Excel would hold it: numbers as numeric cells (so the
/// numeric teacher ids arrive as 1001.0), yes/no of `certified` and
/// `full_time` as TRUE/FALSE, the policy as `key | value` rows. With
/// `chinese`, the sheets are named 学校 / 教师 / 交流记录 / 交流申请 / 家庭 and the teachers
/// sheet has a title row above its header.
pub fn workbook_from_folder(folder: &Path, out: &Path, chinese: bool) {
    workbook_from_folder_edited(folder, out, chinese, &|_, _| {});
}

/// [`workbook_from_folder`], with `edit` applied to each table's sheet
/// (given by its name) after its cells are written.
pub fn workbook_from_folder_edited(
    folder: &Path,
    out: &Path,
    chinese: bool,
    edit: &dyn Fn(&str, &mut rust_xlsxwriter::Worksheet),
) {
    use rust_xlsxwriter::Workbook;
    let mut book = Workbook::new();
    let tables = [
        ("schools.csv", if chinese { "学校" } else { "schools" }),
        ("teachers.csv", if chinese { "教师" } else { "teachers" }),
        ("locks.csv", "locks"),
        ("roads.csv", "roads"),
        ("staffing.csv", "staffing"),
        ("exchanges.csv", if chinese { "交流记录" } else { "exchanges" }),
        ("applications.csv", if chinese { "交流申请" } else { "applications" }),
        ("family.csv", if chinese { "家庭" } else { "family" }),
        ("classes.csv", if chinese { "班级" } else { "classes" }),
    ];
    for (file, sheet_name) in tables {
        let path = folder.join(file);
        if !path.exists() {
            continue;
        }
        let text = std::fs::read_to_string(&path).expect("UTF-8 csv");
        let mut reader = csv::ReaderBuilder::new().has_headers(false).from_reader(text.as_bytes());
        let records: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("csv record")).collect();
        let sheet = book.add_worksheet();
        sheet.set_name(sheet_name).expect("sheet name");
        let mut row: u32 = 0;
        if chinese && file == "teachers.csv" {
            sheet.write_string(0, 0, "安泽县教师名单（2025）").expect("title");
            row = 1;
        }
        let header: Vec<String> = records.first().map(|r| r.iter().map(str::to_string).collect()).unwrap_or_default();
        for record in &records {
            for (col, value) in record.iter().enumerate() {
                let col = u16::try_from(col).expect("column");
                let column = header.get(usize::from(col)).map(String::as_str).unwrap_or("");
                let is_header = row == 0 || (chinese && file == "teachers.csv" && row == 1);
                if value.is_empty() {
                    continue;
                }
                if !is_header && matches!(column, "certified" | "full_time") && (value == "yes" || value == "no") {
                    sheet.write_boolean(row, col, value == "yes").expect("bool");
                } else if let (false, Ok(number)) = (
                    is_header || (value.len() > 1 && value.starts_with('0') && !value.starts_with("0.")),
                    value.parse::<f64>(),
                ) {
                    sheet.write_number(row, col, number).expect("number");
                } else {
                    sheet.write_string(row, col, value).expect("string");
                }
            }
            row += 1;
        }
        edit(sheet_name, sheet);
    }
    let policy_path = folder.join("policy.toml");
    if policy_path.exists() {
        let text = std::fs::read_to_string(&policy_path).expect("policy text");
        let table: toml::Table = toml::from_str(&text).expect("policy toml");
        let mut flat = Vec::new();
        flatten_toml("", &table, &mut flat);
        let sheet = book.add_worksheet();
        sheet.set_name("policy").expect("sheet name");
        sheet.write_string(0, 0, "key").expect("header");
        sheet.write_string(0, 1, "value").expect("header");
        for (i, (key, value)) in flat.iter().enumerate() {
            let row = u32::try_from(i + 1).expect("row");
            sheet.write_string(row, 0, key).expect("key");
            match value {
                toml::Value::Integer(n) => sheet.write_number(row, 1, *n as f64),
                toml::Value::Float(f) => sheet.write_number(row, 1, *f),
                toml::Value::Boolean(b) => sheet.write_boolean(row, 1, *b),
                other => sheet.write_string(row, 1, other.as_str().unwrap_or_default()),
            }
            .expect("value");
        }
    }
    book.save(out).expect("save workbook");
}

/// Dotted keys and values of a TOML table.
pub fn flatten_toml(prefix: &str, table: &toml::Table, out: &mut Vec<(String, toml::Value)>) {
    for (key, value) in table {
        let dotted = if prefix.is_empty() { key.clone() } else { format!("{prefix}.{key}") };
        match value {
            toml::Value::Table(inner) => flatten_toml(&dotted, inner, out),
            other => out.push((dotted, other.clone())),
        }
    }
}

/// Rewrites one part (e.g. `xl/sharedStrings.xml`) of an .xlsx file.
pub fn rewrite_xlsx_part(path: &Path, part: &str, edit: &dyn Fn(String) -> String) {
    use std::io::{Read, Write};
    let bytes = std::fs::read(path).expect("read workbook");
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("zip");
    let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let mut found = false;
    for index in 0..archive.len() {
        let mut entry = archive.by_index(index).expect("zip entry");
        let name = entry.name().expect("entry name").to_string();
        let mut content = Vec::new();
        entry.read_to_end(&mut content).expect("unpack");
        if name == part {
            found = true;
            content = edit(String::from_utf8(content).expect("xml text")).into_bytes();
        }
        writer.start_file(name, zip::write::SimpleFileOptions::default()).expect("zip entry");
        writer.write_all(&content).expect("zip write");
    }
    assert!(found, "{} has a part {part}", path.display());
    let out = writer.finish().expect("zip finish").into_inner();
    std::fs::write(path, out).expect("write workbook");
}

/// The county of a data folder that must load.
pub fn load_ok(data: &Path) -> rotaplan::io::Loaded {
    match rotaplan::io::load(data, None) {
        Ok(loaded) => loaded,
        Err(error) => panic!("{} should load: {error}", data.display()),
    }
}

/// The input problems of a data folder that must not load.
pub fn input_problems(data: &Path) -> Vec<rotaplan::error::InputProblem> {
    match rotaplan::io::load(data, None) {
        Ok(_) => panic!("{} should not load", data.display()),
        Err(rotaplan::error::Error::Input(list)) => list,
        Err(other) => panic!("{} should be an input error, got {other}", data.display()),
    }
}
