//! Reading data folders and workbooks (issue 2): every encoding and format
//! of the tiny county loads to the same county, every broken input gives its
//! exact message, and no input makes `load` panic.

use std::path::{Path, PathBuf};

use proptest::prelude::*;
use rotaplan::domain::{Exact, Level, LockAction, SchoolKind, Subject, Title};
use rotaplan::error::Error;
use rotaplan::io::{load, Loaded};

use crate::common::{copy_folder, fixture, workbook_from_folder};

/// Loads data that must be valid.
fn load_ok(data: &Path) -> Loaded {
    match load(data, None) {
        Ok(loaded) => loaded,
        Err(error) => panic!("{} should load: {error}", data.display()),
    }
}

/// The problems of data that must be invalid, one display line each.
fn problems(data: &Path, policy_override: Option<&Path>) -> Vec<String> {
    match load(data, policy_override) {
        Ok(_) => panic!("{} should not load", data.display()),
        Err(Error::Input(list)) => list.iter().map(ToString::to_string).collect(),
        Err(other) => panic!("{} should be an input error, got {other}", data.display()),
    }
}

/// The warnings of a load, in English.
fn warnings_en(loaded: &Loaded) -> Vec<String> {
    loaded.warnings.iter().map(|w| w.en.clone()).collect()
}

/// Asserts two loads hold the same county (schools, teachers, policy, locks, roads, staffing).
fn assert_same_county(expected: &Loaded, actual: &Loaded, what: &str) {
    let (a, b) = (&expected.county, &actual.county);
    assert_eq!(a.schools, b.schools, "{what}: schools differ");
    assert_eq!(a.teachers, b.teachers, "{what}: teachers differ");
    assert_eq!(a.policy, b.policy, "{what}: policy differs");
    assert_eq!(a.locks, b.locks, "{what}: locks differ");
    assert_eq!(a.roads, b.roads, "{what}: roads differ");
    assert_eq!(a.staffing, b.staffing, "{what}: staffing differs");
}

#[test]
fn tiny_county_loads_with_its_values() {
    let loaded = load_ok(&fixture("tiny"));
    assert!(loaded.warnings.is_empty(), "{:?}", loaded.warnings);
    let county = &loaded.county;
    assert_eq!(county.schools.len(), 4);
    assert_eq!(county.teachers.len(), 30);
    assert_eq!((county.locks.len(), county.roads.len(), county.staffing.len()), (4, 3, 2));

    let nine_year = county.school("S03").expect("S03");
    assert_eq!(nine_year.kind, SchoolKind::NineYear);
    assert_eq!((nine_year.students, nine_year.classes), ([300, 200], [8, 5]));
    assert_eq!(nine_year.staff_quota, None);
    assert_eq!(nine_year.alliance.as_deref(), Some("A2"));
    let first = county.school("S01").expect("S01");
    assert_eq!(first.facilities.totals[0], Some(Exact::new(8401, 2)));
    assert_eq!(first.location, Some((36.0762, 112.2519)));
    assert_eq!(first.staff_quota, Some(60));
    let point = county.school("S04").expect("S04");
    assert_eq!((point.kind, point.location, point.alliance.as_deref()), (SchoolKind::TeachingPoint, None, None));
    assert_eq!(point.facilities.totals, [None, None, None, None]);

    let ids: Vec<&str> = county.teachers.iter().map(|t| t.id.as_str()).collect();
    assert_eq!(ids.first().copied(), Some("1001"));
    let teacher = |id: &str| county.teachers.iter().find(|t| t.id == id).expect("teacher");
    assert_eq!(teacher("1010").exempt.as_deref(), Some("病假"));
    assert_eq!(teacher("1006").title, None);
    assert_eq!(teacher("1007").title, Some(Title::Senior));
    assert!(!teacher("1009").full_time);
    assert!(!teacher("1008").certified);
    assert_eq!(teacher("1014").last_rotated, Some(2018));
    assert_eq!((teacher("1027").level, teacher("1027").subject), (Level::Junior, Subject::It));

    assert_eq!(county.policy.year, 2025);
    assert_eq!(county.policy.rotation.min_share, Exact::new(12, 100));
    assert_eq!(county.policy.movement.max_distance_km, 60.0);
    assert_eq!(county.locks[1].action, LockAction::MoveTo);
    assert_eq!(county.locks[1].school_id.as_deref(), Some("S03"));
    assert_eq!(county.locks[1].note, "支援和川音乐");
    assert_eq!(county.roads[2].km, 17.5);
}

#[test]
fn gbk_file_with_chinese_headers_and_words_loads_the_same() {
    let base = load_ok(&fixture("tiny"));
    let gbk = load_ok(&fixture("tiny_gbk"));
    assert!(gbk.warnings.is_empty(), "{:?}", gbk.warnings);
    assert_same_county(&base, &gbk, "tiny_gbk");
}

#[test]
fn bom_file_with_odd_spelling_loads_the_same_and_warns_of_unknown_columns() {
    let base = load_ok(&fixture("tiny"));
    let bom = load_ok(&fixture("tiny_bom"));
    assert_same_county(&base, &bom, "tiny_bom");
    assert_eq!(warnings_en(&bom), vec![r#"teachers.csv:1: unknown column "remarks" is ignored"#.to_string()]);
}

#[test]
fn committed_workbook_loads_the_same() {
    let base = load_ok(&fixture("tiny"));
    let book = load_ok(&fixture("tiny.xlsx"));
    assert!(book.warnings.is_empty(), "{:?}", book.warnings);
    assert_same_county(&base, &book, "tiny.xlsx");
}

#[test]
fn generated_workbooks_load_the_same() {
    let base = load_ok(&fixture("tiny"));
    let dir = tempfile::tempdir().expect("tempdir");
    for chinese in [false, true] {
        let path = dir.path().join(if chinese { "县.xlsx" } else { "county.xlsx" });
        workbook_from_folder(&fixture("tiny"), &path, chinese);
        let book = load_ok(&path);
        assert!(book.warnings.is_empty(), "{:?}", book.warnings);
        assert_same_county(&base, &book, &path.display().to_string());
    }
}

/// Run once to rewrite tests/fixtures/tiny.xlsx from tests/fixtures/tiny/:
/// `cargo test --test it regenerate_xlsx_fixture -- --ignored`.
#[test]
#[ignore]
fn regenerate_xlsx_fixture() {
    workbook_from_folder(&fixture("tiny"), &fixture("tiny.xlsx"), true);
}

#[test]
fn workbook_problems_name_sheet_and_cell() {
    let dir = tempfile::tempdir().expect("tempdir");
    let folder = dir.path().join("data");
    copy_folder(&fixture("tiny"), &folder);
    let teachers = std::fs::read_to_string(folder.join("teachers.csv")).expect("teachers");
    let teachers = teachers.replace("1004,刘洋,S01,primary,pe,", "1004,刘洋,S01,primary,maths,");
    std::fs::write(folder.join("teachers.csv"), teachers).expect("write");
    let policy = std::fs::read_to_string(folder.join("policy.toml")).expect("policy");
    let policy = policy.replace("max_distance_km = 60", "max_distance_km = 60\nroad_factor = 0.5");
    std::fs::write(folder.join("policy.toml"), policy).expect("write");
    let book = dir.path().join("book.xlsx");
    workbook_from_folder(&folder, &book, true);
    assert_eq!(
        problems(&book, None),
        vec![
            // Title row 1, header row 2: teacher 1004 is the fourth data row.
            r#"book.xlsx 教师!E6: subject: unknown subject "maths"; did you mean "math"? (valid: chinese, math, english, pe, music, art, science, ethics, history, geography, physics, chemistry, biology, it, labor, psychology, special_ed, practice, other)"#,
            // Header row 1, then movement.max_distance_km, movement.road_factor.
            "book.xlsx policy!B3: movement.road_factor: 0.5 is out of range; give a factor from 1 to 10 (roads are never shorter than the straight line)",
        ]
    );
}

#[test]
fn policy_override_applies_after_the_data_policy() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("override.toml");
    std::fs::write(&path, "[movement]\nmax_distance_km = 90\n[rotation]\nmin_share = 0.15\n").expect("write");
    let loaded = load(&fixture("tiny"), Some(&path)).expect("loads");
    assert_eq!(loaded.county.policy.movement.max_distance_km, 90.0);
    assert_eq!(loaded.county.policy.rotation.min_share, Exact::new(3, 20));
    assert_eq!(loaded.county.policy.rotation.max_share, Exact::new(15, 100));

    std::fs::write(&path, "year = 2025\nrotation.max_share = 2\n").expect("write");
    assert_eq!(
        problems(&fixture("tiny"), Some(&path)),
        vec!["override.toml:2: rotation.max_share: 2 is out of range; give a share from 0 to 1, such as 0.10"]
    );
    assert_eq!(
        problems(&fixture("tiny"), Some(&dir.path().join("missing.toml"))),
        vec!["missing.toml: file not found"]
    );
}

#[test]
fn unknown_road_ends_and_unnamed_schools_are_warnings() {
    let dir = tempfile::tempdir().expect("tempdir");
    copy_folder(&fixture("tiny"), dir.path());
    let roads = std::fs::read_to_string(dir.path().join("roads.csv")).expect("roads");
    std::fs::write(dir.path().join("roads.csv"), format!("{roads}S03,岔路口,5\n")).expect("write");
    let schools = std::fs::read_to_string(dir.path().join("schools.csv")).expect("schools");
    std::fs::write(dir.path().join("schools.csv"), schools.replace("S04,马壁教学点,", "S04,,")).expect("write");
    let loaded = load_ok(dir.path());
    assert_eq!(
        warnings_en(&loaded),
        vec![
            "schools.csv:5: name: the school has no name".to_string(),
            r#"roads.csv:5: to: "岔路口" is neither a school id nor a town; it is kept as a junction"#.to_string(),
            // Named in roads.csv, S03 no longer uses its town's node.
            "roads.csv: school S03 (和川九年一贯制学校) is named in roads.csv, so it is reached only by the roads that name it, and none of them leads to its town \"和川镇\"; add a road from S03 to 和川镇 if it should reach the town's schools".to_string(),
        ]
    );
    assert_eq!(loaded.county.roads.len(), 4);
}

#[test]
fn a_missing_folder_is_an_input_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    let missing = dir.path().join("nowhere");
    let expected = format!("{}: no such data folder or .xlsx workbook", missing.display());
    assert_eq!(problems(&missing, None), vec![expected]);
    let not_a_book = dir.path().join("data.xlsx");
    std::fs::write(&not_a_book, b"PK\x03\x04 this is not a zip").expect("write");
    let lines = problems(&not_a_book, None);
    assert_eq!(lines.len(), 1);
    assert!(lines[0].starts_with("data.xlsx: cannot be read as an .xlsx workbook"), "{lines:?}");
}

const SUBJECTS: &str = "chinese, math, english, pe, music, art, science, ethics, history, geography, physics, chemistry, biology, it, labor, psychology, special_ed, practice, other";

/// Each folder under tests/fixtures/broken and the exact problems it gives.
fn broken_cases() -> Vec<(&'static str, Vec<String>)> {
    let maths = |location: &str| {
        format!(r#"{location}: subject: unknown subject "maths"; did you mean "math"? (valid: {SUBJECTS})"#)
    };
    let lines = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    vec![
        (
            "duplicate_ids",
            lines(&[
                r#"schools.csv:5: school_id: duplicate school_id "P1" (first on line 2); give every school its own id"#,
                r#"teachers.csv:6: teacher_id: duplicate teacher_id "A02" (first on line 3); give every teacher their own id"#,
            ]),
        ),
        (
            "unknown_school",
            lines(&[
                r#"teachers.csv:6: school_id: unknown school "P2"; did you mean "P1"? (not in the schools table)"#,
                r#"locks.csv:2: school_id: unknown school "X9" (not in the schools table)"#,
                r#"staffing.csv:2: school_id: unknown school "Z9" (not in the schools table)"#,
            ]),
        ),
        (
            "section_missing",
            lines(&[
                r#"teachers.csv:6: section: school "T1" is a teaching_point school and has no junior section"#,
                r#"teachers.csv:7: section: school "J1" is a junior school and has no primary section"#,
            ]),
        ),
        (
            "bad_counts",
            lines(&[
                "schools.csv:2: primary_students: -5 is negative; give 0 or more",
                r#"schools.csv:2: teaching_area_m2: "abc" is not a number"#,
                r#"schools.csv:3: junior_classes: "six" is not a number; give the number of junior classes in digits"#,
                "schools.csv:3: staff_quota: -3 is negative; give 0 or more",
                "schools.csv:4: primary_classes: 0 classes for 20 primary students; give the number of classes",
                "schools.csv:5: primary_students: a junior school has no primary section, so no primary students; give 0 or leave the cell empty",
            ]),
        ),
        ("bad_words", {
            let mut v = lines(&[r#"schools.csv:3: area: unknown area "city" (valid: urban, town, rural)"#]);
            v.push(maths("teachers.csv:2"));
            v.extend(lines(&[
                r#"teachers.csv:3: degree: unknown degree "phd" (valid: secondary, associate, bachelor, postgraduate)"#,
                r#"teachers.csv:3: certified: "maybe" is not yes or no (是/否)"#,
                r#"teachers.csv:4: gender: unknown gender "X" (valid: M, F)"#,
                r#"teachers.csv:5: title: unknown title "高"; did you mean "高级"? (valid: none, third, second, first, senior, professor)"#,
            ]));
            v
        }),
        (
            "bad_years",
            lines(&[
                "teachers.csv:2: birth_year: 1930 is not a plausible birth year; give a year from 1940 to 2007",
                "teachers.csv:3: school_since: 2030 is after the planning year 2025",
                "teachers.csv:4: school_since: 2000 is before the teacher turned 16 (born 1990)",
                "teachers.csv:5: last_rotated: 2026 is after the planning year 2025",
            ]),
        ),
        (
            // policy.toml sets year = 2012: the year checks use it.
            "policy_year",
            lines(&[
                "teachers.csv:4: school_since: 2015 is after the planning year 2012",
                "teachers.csv:5: birth_year: 1996 is not a plausible birth year; give a year from 1940 to 1994",
            ]),
        ),
        (
            "coordinates",
            lines(&[
                "schools.csv:2: lon: lat is given but lon is empty; give both or neither",
                "schools.csv:3: lat: 95 is outside -90..90; give WGS84 degrees",
                "schools.csv:4: lat: lon is given but lat is empty; give both or neither",
            ]),
        ),
        (
            "policy_keys",
            lines(&[
                r#"policy.toml:3: rotation.min_share: "lots" is not a number"#,
                "policy.toml:5: movement.max_distnce_km: unknown policy key `movement.max_distnce_km`; did you mean `movement.max_distance_km`?",
                r#"policy.toml:7: eligibility.include_principals: "maybe" is not yes/no (是/否)"#,
            ]),
        ),
        ("bad_toml", lines(&["policy.toml:2: not valid TOML: unclosed table, expected `]`"])),
        (
            "bad_locks",
            lines(&[
                r#"locks.csv:3: action: move contradicts the stay lock on line 2 for teacher "A01"; keep one of them"#,
                r#"locks.csv:4: school_id: move_to the teacher's own school "J1"; name another school or use stay"#,
                "locks.csv:5: school_id: a forbid lock needs a school_id",
                r#"locks.csv:6: action: teacher "A05" may not rotate in 2025: 5 years at the school, fewer than 6; age 55, above the limit of 50"#,
                r#"locks.csv:7: action: unknown action "swap" (valid: stay, move, move_to, forbid)"#,
                r#"locks.csv:8: teacher_id: unknown teacher "Z99" (not in the teachers table)"#,
            ]),
        ),
        (
            "bad_roads",
            lines(&[
                "roads.csv:2: km: 0 km; a road must be longer than 0 km",
                r#"roads.csv:3: km: "far" is not a number"#,
                r#"roads.csv:4: to: the road leads from "城关镇" to itself"#,
            ]),
        ),
        ("bad_staffing", {
            let mut v = lines(&[
                "staffing.csv:2: need: -1 is negative; give 0 or more",
                r#"staffing.csv:3: section: school "P1" is a primary school and has no junior section"#,
            ]);
            v.push(maths("staffing.csv:4"));
            v.extend(lines(&[
                "staffing.csv:6: subject: J1 junior pe is given twice (first on line 5); keep one row",
                r#"staffing.csv:7: school_id: unknown school "Z9" (not in the schools table)"#,
            ]));
            v
        }),
        (
            "missing_column",
            lines(&[
                r#"schools.csv:1: 学校代码: column given twice (first as "school_id" in column 1); keep one"#,
                "teachers.csv:1: subject: required column is missing; add a column headed subject (or 任教学科, 学科)",
            ]),
        ),
        ("ragged", {
            // The quoted name of A02 spans lines 3 and 4: lines are physical lines.
            let mut v = lines(&[
                "teachers.csv:5: the row has 11 cells but the header has 12; check for a missing comma",
                "teachers.csv:6: the row has 13 cells but the header has 12; check for a comma inside a value (quote it) or a missing header",
            ]);
            v.push(maths("teachers.csv:7"));
            v
        }),
        ("missing_file", lines(&["teachers.csv: file not found in the data folder; it is required"])),
        (
            "not_text",
            lines(&[r#"teachers.csv:2: the file is neither UTF-8 nor GB18030/GBK text: this is its first line that is not GB18030/GBK; retype the line or save the whole file again as "CSV UTF-8""#]),
        ),
        ("empty_file", lines(&["teachers.csv: the file is empty; it needs a header row and one row per record"])),
    ]
}

#[test]
fn every_broken_case_gives_its_exact_messages() {
    let cases = broken_cases();
    let mut folders: Vec<String> = std::fs::read_dir(fixture("broken"))
        .expect("broken fixtures")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    folders.sort();
    let mut named: Vec<String> = cases.iter().map(|(name, _)| name.to_string()).collect();
    named.sort();
    assert_eq!(folders, named, "every broken fixture has its expected messages here");
    let mut failures = Vec::new();
    for (name, expected) in cases {
        let actual = problems(&fixture("broken").join(name), None);
        if actual != expected {
            failures.push(format!("{name}:\n  expected {expected:#?}\n  actual   {actual:#?}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn problems_are_listed_across_files_in_file_order() {
    // One folder with problems in schools, teachers and policy at once:
    // all are listed, schools first, then teachers, then the policy.
    let dir = tempfile::tempdir().expect("tempdir");
    let folder = dir.path();
    copy_folder(&fixture("tiny"), folder);
    let edit = |file: &str, from: &str, to: &str| {
        let text = std::fs::read_to_string(folder.join(file)).expect("read");
        assert!(text.contains(from), "{file} contains {from}");
        std::fs::write(folder.join(file), text.replacen(from, to, 1)).expect("write");
    };
    edit("policy.toml", "min_share = 0.12", "min_share = 0.12\nminshare = 1");
    edit("teachers.csv", "1030,袁飞,S04,primary,pe,associate", "1030,袁飞,S04,junior,pe,associate");
    edit("teachers.csv", "1002,王芳,S01,primary,math", "1002,王芳,S01,primary,maths");
    edit(
        "schools.csv",
        "S04,马壁教学点,马壁乡,teaching_point,rural,30,0,3,0",
        "S04,马壁教学点,马壁乡,teaching_point,rural,30,0,0,0",
    );
    let lines = problems(folder, None);
    assert_eq!(
        lines,
        vec![
            "schools.csv:5: primary_classes: 0 classes for 30 primary students; give the number of classes".to_string(),
            format!(r#"teachers.csv:3: subject: unknown subject "maths"; did you mean "math"? (valid: {SUBJECTS})"#),
            r#"teachers.csv:31: section: school "S04" is a teaching_point school and has no junior section"#.to_string(),
            "policy.toml:6: rotation.minshare: unknown policy key `rotation.minshare`; did you mean `rotation.min_share`?"
                .to_string(),
        ]
    );
}

/// The data lines of a CSV text (the tiny fixtures have no multi-line cells).
fn split_lines(text: &str) -> (String, Vec<String>) {
    let mut lines = text.lines().map(str::to_string);
    let header = lines.next().unwrap_or_default();
    (header, lines.filter(|l| !l.is_empty()).collect())
}

/// Writes a CSV with its data lines in the order `order`, in the encoding given.
fn write_permuted(path: &Path, header: &str, lines: &[String], order: &[usize], gbk: bool) {
    let mut text = format!("{header}\n");
    for &i in order {
        text.push_str(&lines[i]);
        text.push('\n');
    }
    let bytes = if gbk { encoding_rs::GB18030.encode(&text).0.into_owned() } else { text.into_bytes() };
    std::fs::write(path, bytes).expect("write");
}

/// Reads a fixture file as text, whatever its encoding.
fn fixture_text(folder: &str, file: &str) -> String {
    let bytes = std::fs::read(fixture(folder).join(file)).expect("fixture");
    match String::from_utf8(bytes.clone()) {
        Ok(text) => text,
        Err(_) => encoding_rs::GB18030.decode(&bytes).0.into_owned(),
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    /// Shuffling the rows of schools and teachers, or writing the county with
    /// Chinese headers and words in GB18030, gives the same county.
    #[test]
    fn row_order_and_encoding_do_not_change_the_county(
        school_order in Just((0..4usize).collect::<Vec<_>>()).prop_shuffle(),
        teacher_order in Just((0..30usize).collect::<Vec<_>>()).prop_shuffle(),
        gbk in any::<bool>(),
    ) {
        let base = load_ok(&fixture("tiny"));
        let source = if gbk { "tiny_gbk" } else { "tiny" };
        let dir = tempfile::tempdir().expect("tempdir");
        copy_folder(&fixture(source), dir.path());
        for (file, order) in [("schools.csv", &school_order), ("teachers.csv", &teacher_order)] {
            let (header, lines) = split_lines(&fixture_text(source, file));
            prop_assert_eq!(lines.len(), order.len());
            write_permuted(&dir.path().join(file), &header, &lines, order, gbk);
        }
        let shuffled = load(dir.path(), None).expect("shuffled county loads");
        prop_assert_eq!(&base.county.schools, &shuffled.county.schools);
        prop_assert_eq!(&base.county.teachers, &shuffled.county.teachers);
        prop_assert_eq!(&base.county.policy, &shuffled.county.policy);
        prop_assert_eq!(&base.county.locks, &shuffled.county.locks);
        prop_assert_eq!(&base.county.roads, &shuffled.county.roads);
        prop_assert_eq!(&base.county.staffing, &shuffled.county.staffing);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    /// Arbitrary bytes in any input file never make `load` panic.
    #[test]
    fn arbitrary_bytes_never_panic(
        target in 0..5usize,
        bytes in proptest::collection::vec(any::<u8>(), 0..400),
    ) {
        let file = ["schools.csv", "teachers.csv", "locks.csv", "policy.toml", "staffing.csv"][target];
        let dir = tempfile::tempdir().expect("tempdir");
        copy_folder(&fixture("tiny"), dir.path());
        std::fs::write(dir.path().join(file), &bytes).expect("write");
        let _ = load(dir.path(), None);
    }

    /// Valid files with a few bytes changed (commas, quotes, digits, minus
    /// signs, newlines, invalid UTF-8) never make `load` panic.
    #[test]
    fn damaged_files_never_panic(
        target in 0..4usize,
        edits in proptest::collection::vec(
            (any::<prop::sample::Index>(), prop::sample::select(vec![b',', b'"', b'\n', b'-', b'9', b'.', 0xFF, 0xE5, b' ', b'e'])),
            1..8,
        ),
    ) {
        let file = ["schools.csv", "teachers.csv", "locks.csv", "roads.csv"][target];
        let dir = tempfile::tempdir().expect("tempdir");
        copy_folder(&fixture("tiny"), dir.path());
        let mut bytes = std::fs::read(dir.path().join(file)).expect("read");
        for (index, byte) in edits {
            let i = index.index(bytes.len());
            bytes[i] = byte;
        }
        std::fs::write(dir.path().join(file), &bytes).expect("write");
        let _ = load(dir.path(), None);
    }

    /// The committed workbook with a few bytes changed never makes `load` panic.
    #[test]
    fn damaged_workbook_never_panics(
        edits in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..6),
    ) {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("book.xlsx");
        let mut bytes = std::fs::read(fixture("tiny.xlsx")).expect("read");
        for (index, byte) in edits {
            let i = index.index(bytes.len());
            bytes[i] = byte;
        }
        std::fs::write(&path, &bytes).expect("write");
        let _ = load(&path, None);
    }

    /// Arbitrary bytes named .xlsx never make `load` panic.
    #[test]
    fn arbitrary_workbook_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("book.xlsx");
        let mut content = b"PK\x03\x04".to_vec();
        content.extend(bytes);
        std::fs::write(&path, content).expect("write");
        let _ = load(&path, None);
    }
}

// ------------------------------------------------------------ issue 11

/// An edit of one file of a county: the file's name and how its text changes.
type FileEdit<'a> = (&'a str, &'a dyn Fn(&str) -> String);

/// A copy of the tiny county in a temporary folder, with `edit` applied to
/// the text of some of its files.
fn tiny_copy(edits: &[FileEdit]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    copy_folder(&fixture("tiny"), dir.path());
    for (file, edit) in edits {
        let text = std::fs::read_to_string(dir.path().join(file)).expect("read");
        std::fs::write(dir.path().join(file), edit(&text)).expect("write");
    }
    dir
}

fn rotaplan_cmd() -> assert_cmd::Command {
    assert_cmd::Command::cargo_bin("rotaplan").expect("binary")
}

#[test]
fn issue11_workbook_cells_far_out_are_read_by_what_they_hold() {
    // One cell at XFD1048576 (and one at GR1048576) made the reader allocate
    // the whole sheet's dimension: an abort, or 6.5 GB and 19 s.
    let dir = tempfile::tempdir().expect("tempdir");
    let book = dir.path().join("book.xlsx");
    crate::common::workbook_from_folder_edited(&fixture("tiny"), &book, false, &|sheet, ws| match sheet {
        "teachers" => {
            ws.write_string(1_048_575, 16_383, "x").expect("far cell");
        }
        "schools" => {
            ws.write_number(1_048_575, 199, 1.0).expect("far cell");
        }
        _ => {}
    });
    rotaplan_cmd()
        .args(["--lang", "en", "check"])
        .arg(&book)
        .timeout(std::time::Duration::from_secs(120))
        .assert()
        .code(0)
        .stderr(predicates::str::contains(
            "book.xlsx schools!GR1048576: the row has values only in columns without a header; it is ignored",
        ))
        .stderr(predicates::str::contains(
            "book.xlsx teachers!XFD1048576: the row has values only in columns without a header; it is ignored",
        ));
}

#[test]
fn issue11_workbook_declaring_huge_shared_strings_is_refused() {
    // calamine reserves room for as many shared strings as the file declares.
    let dir = tempfile::tempdir().expect("tempdir");
    let book = dir.path().join("book.xlsx");
    workbook_from_folder(&fixture("tiny"), &book, false);
    crate::common::rewrite_xlsx_part(&book, "xl/sharedStrings.xml", &|xml| {
        let at = xml.find("uniqueCount=\"").expect("uniqueCount") + "uniqueCount=\"".len();
        let end = at + xml[at..].find('"').expect("quote");
        format!("{}400000000000000{}", &xml[..at], &xml[end..])
    });
    let mut check = rotaplan_cmd();
    check.args(["--lang", "en", "check"]).arg(&book).timeout(std::time::Duration::from_secs(120));
    check.assert().code(2).stderr(predicates::str::contains(
        "book.xlsx: the workbook holds (or declares) more than 5,000,000 different texts, the most rotaplan reads",
    ));
}

#[test]
fn issue11_date_cell_in_a_count_column_is_an_error_and_in_a_year_column_its_year() {
    use rust_xlsxwriter::{ExcelDateTime, Format};
    let dir = tempfile::tempdir().expect("tempdir");
    let book = dir.path().join("book.xlsx");
    let date_format = Format::new().set_num_format("yyyy-mm-dd");
    crate::common::workbook_from_folder_edited(&fixture("tiny"), &book, false, &|sheet, ws| {
        let (row, col, date) = match sheet {
            // S01's primary_students (F2), 2025-01-01 = serial 45658.
            "schools" => (1, 5, ExcelDateTime::from_ymd(2025, 1, 1)),
            // Teacher 1001's birth_year (J2), born 1978.
            "teachers" => (1, 9, ExcelDateTime::from_ymd(1978, 5, 4)),
            _ => return,
        };
        ws.write_datetime_with_format(row, col, date.expect("date"), &date_format).expect("date cell");
    });
    assert_eq!(
        problems(&book, None),
        vec!["book.xlsx schools!F2: primary_students: 2025-01-01 is a date or time, not a number; give the number of primary students in digits (in Excel, format the cell as a number)"]
    );
}

/// The tiny county with line 5 of its UTF-8 teachers.csv in GBK.
fn tiny_with_a_gbk_line() -> tempfile::TempDir {
    let dir = tiny_copy(&[]);
    let text = std::fs::read_to_string(dir.path().join("teachers.csv")).expect("read");
    let mut bytes = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line = format!("{line}\n");
        if i == 4 {
            bytes.extend_from_slice(&encoding_rs::GB18030.encode(&line).0);
        } else {
            bytes.extend_from_slice(line.as_bytes());
        }
    }
    std::fs::write(dir.path().join("teachers.csv"), bytes).expect("write");
    dir
}

#[test]
fn issue11_a_gbk_line_in_a_utf8_file_is_named() {
    let dir = tiny_with_a_gbk_line();
    assert_eq!(
        problems(dir.path(), None),
        vec![
            r#"teachers.csv:5: this line is not UTF-8 while the file's other lines are (1 such line; perhaps rows pasted from a GBK file); retype the line or save the whole file again as "CSV UTF-8""#
        ]
    );
}

#[test]
fn issue11_files_whose_names_differ_only_in_case_are_an_error() {
    let dir = tiny_copy(&[]);
    let header = fixture_text("tiny", "teachers.csv").lines().next().expect("header").to_string();
    std::fs::write(dir.path().join("Teachers.csv"), format!("{header}\n")).expect("write");
    assert_eq!(
        problems(dir.path(), None),
        vec![
            r#"teachers.csv: the folder holds "Teachers.csv" and "teachers.csv", whose names differ only in case; keep one of them"#
        ]
    );
}

#[test]
fn issue11_line_numbers_are_physical_lines_in_crlf_files() {
    // Excel on Windows ends lines with CRLF; a quoted name spans two lines.
    let text = fixture_text("tiny", "teachers.csv").replace("1002,王芳,", "1002,\"王\n芳\",").replacen(
        ",primary,art,",
        ",primary,arts,",
        1,
    );
    let line = text.lines().position(|l| l.contains(",arts,")).expect("edited line") as u64 + 1;
    assert_eq!(line, 8, "the edited teacher is on physical line 8");
    let crlf = text.replace('\n', "\r\n").replace("王\r\n芳", "王\n芳");
    for gbk in [false, true] {
        let dir = tiny_copy(&[]);
        let bytes = if gbk { encoding_rs::GB18030.encode(&crlf).0.into_owned() } else { crlf.clone().into_bytes() };
        std::fs::write(dir.path().join("teachers.csv"), bytes).expect("write");
        let lines = problems(dir.path(), None);
        assert_eq!(lines.len(), 1, "{lines:?}");
        assert!(lines[0].starts_with("teachers.csv:8: subject: unknown subject \"arts\""), "gbk {gbk}: {lines:?}");
    }
}

#[test]
fn issue11_an_unclosed_quote_is_named_where_it_opens() {
    let dir = tiny_copy(&[("teachers.csv", &|t: &str| t.replace("1009,", "1009,\"赵"))]);
    assert_eq!(
        problems(dir.path(), None),
        vec![
            r#"teachers.csv:10: a quoted value opens here and is never closed (its closing quote " is missing), so lines 10 to 31 would read as one cell; add the closing quote"#
        ]
    );
}

#[test]
fn issue11_title_row_headerless_and_empty_files_give_one_message_each() {
    let title = tiny_copy(&[("teachers.csv", &|t: &str| format!("某某县教师名单\n{t}"))]);
    assert_eq!(
        problems(title.path(), None),
        vec![
            r#"teachers.csv:1: the first line "某某县教师名单" is not the header; the header is on line 2: delete the line(s) above it, so the header is line 1"#
        ]
    );
    let headerless = tiny_copy(&[("schools.csv", &|t: &str| t.lines().skip(1).collect::<Vec<_>>().join("\n"))]);
    assert_eq!(
        problems(headerless.path(), None),
        vec![
            r#"schools.csv:1: no header found: the first line "S01,城关第一小学,府城镇,primary,urban,900,0,20,0,…" names none of the columns; line 1 must name the columns school_id (学校代码), name (学校名称), town (乡镇), kind (类型), area (城乡), primary_students (小学在校生数), junior_students (初中在校生数), primary_classes (小学班级数), junior_classes (初中班级数)"#
        ]
    );
    let empty = tiny_copy(&[("schools.csv", &|_: &str| String::new())]);
    assert_eq!(
        problems(empty.path(), None),
        vec!["schools.csv: the file is empty; it needs a header row and one row per record"]
    );
}

#[test]
fn issue11_a_county_without_schools_or_teachers_is_an_input_error() {
    let header_only = |t: &str| format!("{}\n", t.lines().next().unwrap_or_default());
    let no_teachers = tiny_copy(&[("teachers.csv", &header_only)]);
    assert_eq!(
        problems(no_teachers.path(), None),
        vec!["teachers.csv: the table has a header but no rows; give one row per teacher"]
    );
    let no_schools = tiny_copy(&[("schools.csv", &header_only)]);
    assert_eq!(
        problems(no_schools.path(), None),
        vec!["schools.csv: the table has a header but no rows; give one row per school"]
    );
    rotaplan_cmd()
        .arg("plan")
        .arg("-q")
        .arg(no_teachers.path())
        .arg("-o")
        .arg(no_teachers.path().join("out"))
        .assert()
        .code(2);
}

/// The tiny county as book.xlsx in `dir`, with a formula in schools!F2
/// whose value was never saved (as a program that does not compute
/// formulas writes it: no <v>).
fn book_with_unsaved_formula(dir: &Path) -> PathBuf {
    let book = dir.join("book.xlsx");
    crate::common::workbook_from_folder_edited(&fixture("tiny"), &book, false, &|sheet, ws| {
        if sheet == "schools" {
            ws.write_formula(1, 5, "=100*9").expect("formula");
        }
    });
    crate::common::rewrite_xlsx_part(&book, "xl/worksheets/sheet1.xml", &|xml| {
        assert!(xml.contains("<f>100*9</f><v>0</v>"), "{xml}");
        xml.replace("<f>100*9</f><v>0</v>", "<f>100*9</f>")
    });
    book
}

#[test]
fn issue11_formula_without_saved_value_is_named() {
    let dir = tempfile::tempdir().expect("tempdir");
    let book = book_with_unsaved_formula(dir.path());
    assert_eq!(
        problems(&book, None),
        vec!["book.xlsx schools!F2: primary_students: the cell holds a formula (=100*9) with no saved value (the file was not saved by Excel or WPS); open the workbook in Excel or WPS and save it, or paste the values"]
    );
}

#[test]
fn issue11_lock_validation_handles_a_large_locks_table() {
    // 100,000 locks were checked pairwise (8 s); the result is what counts here.
    let mut locks = fixture_text("tiny", "locks.csv");
    let teachers: Vec<u32> = (1001..=1030).filter(|&t| t != 1005).collect();
    for i in 0..100_000usize {
        let school = ["S01", "S02", "S04"][i % 3];
        locks.push_str(&format!("{},forbid,{school},\n", teachers[i % teachers.len()]));
    }
    locks.push_str("1005,forbid,S03,\n");
    let dir = tiny_copy(&[("locks.csv", &|_: &str| locks.clone())]);
    assert_eq!(
        problems(dir.path(), None),
        vec![
            r#"locks.csv:100006: action: forbid contradicts the move_to S03 lock on line 3 for teacher "1005"; keep one of them"#
        ]
    );
    let dir = tiny_copy(&[("locks.csv", &|_: &str| locks.replace("1005,forbid,S03,\n", ""))]);
    assert_eq!(load_ok(dir.path()).county.locks.len(), 100_004);
}

#[cfg(unix)]
#[test]
fn issue11_a_pipe_or_device_given_as_input_is_refused() {
    let dir = tiny_copy(&[]);
    let teachers = dir.path().join("teachers.csv");
    std::fs::remove_file(&teachers).expect("remove");
    let made = std::process::Command::new("mkfifo").arg(&teachers).status().expect("mkfifo");
    assert!(made.success());
    let mut check = rotaplan_cmd();
    check.args(["--lang", "en", "check"]).arg(dir.path()).timeout(std::time::Duration::from_secs(60));
    check.assert().code(2).stderr(predicates::str::contains(
        "teachers.csv: is not a regular file (a pipe, device or socket); give a file saved on disk",
    ));
    rotaplan_cmd()
        .args(["--lang", "en", "check"])
        .arg(fixture("tiny"))
        .arg("--policy")
        .arg("/dev/zero")
        .timeout(std::time::Duration::from_secs(60))
        .assert()
        .code(2)
        .stderr(predicates::str::contains("zero: is not a regular file"));
}

#[test]
fn issue11_text_cells_over_the_excel_limit_are_refused_when_read() {
    let long = "名".repeat(40_000);
    let dir = tiny_copy(&[("teachers.csv", &|t: &str| t.replace("1002,王芳,", &format!("1002,{long},")))]);
    assert_eq!(
        problems(dir.path(), None),
        vec!["teachers.csv:3: name: the cell holds 40,000 characters; a cell may hold at most 32,767 (Excel's limit); shorten it"]
    );
    // rust_xlsxwriter refuses such a cell: the text is put into the file's
    // shared strings afterwards.
    let book = dir.path().join("book.xlsx");
    let short = tiny_copy(&[("teachers.csv", &|t: &str| t.replace("1002,王芳,", "1002,LONGNAME,"))]);
    workbook_from_folder(short.path(), &book, false);
    crate::common::rewrite_xlsx_part(&book, "xl/sharedStrings.xml", &|xml| xml.replace("LONGNAME", &long));
    assert_eq!(
        problems(&book, None),
        vec!["book.xlsx teachers!B3: name: the cell holds 40,000 characters; a cell may hold at most 32,767 (Excel's limit); shorten it"]
    );
}

#[test]
fn issue11_an_input_file_over_the_size_limit_is_refused_before_reading() {
    let dir = tiny_copy(&[]);
    // A sparse file: 150 MB long, nothing written.
    let file = std::fs::OpenOptions::new().write(true).open(dir.path().join("schools.csv")).expect("open");
    file.set_len(150_000_000).expect("set_len");
    drop(file);
    assert_eq!(
        problems(dir.path(), None),
        vec!["schools.csv: the file is larger than 100,000,000 bytes, the most rotaplan reads; split the data or remove what is not needed"]
    );
}

/// A workbook of the tiny county with one part's XML edited.
fn tiny_workbook_edited(dir: &Path, part: &str, edit: &dyn Fn(String) -> String) -> std::path::PathBuf {
    let book = dir.join("book.xlsx");
    workbook_from_folder(&fixture("tiny"), &book, false);
    crate::common::rewrite_xlsx_part(&book, part, edit);
    book
}

#[test]
fn issue11_two_sheets_for_one_table_are_an_error() {
    // The first sheet was read and the second ignored with a warning.
    for (renamed, expected) in [
        ("学校", r#"book.xlsx: the workbook has sheets "schools" and "学校" for the same table; keep one of them"#),
        (
            "Schools",
            r#"book.xlsx: the workbook has sheets "schools" and "Schools" for the same table; keep one of them"#,
        ),
    ] {
        let dir = tempfile::tempdir().expect("tempdir");
        let book = tiny_workbook_edited(dir.path(), "xl/workbook.xml", &|xml| {
            xml.replace(r#"name="staffing""#, &format!(r#"name="{renamed}""#))
        });
        assert_eq!(problems(&book, None), vec![expected.to_string()]);
    }
}

#[test]
fn issue11_workbook_cells_beyond_excel_are_refused_naming_the_cell() {
    // A cell at column ZZZZZ (or ~19,990,000) made a dense row of that many
    // cells: 434 MB (1.77 GB for one such cell on each of 6 sheets); a row
    // 99999999999 was read as row 1215752191 (wrapped to 32 bits), and
    // 4294967298 as row 2.
    let far = "AONZMG"; // column 19,000,001
    for (reference, expected) in [
        ("ZZZZZ2", r#"sheet "schools" has a cell at ZZZZZ2, beyond Excel's last column, XFD"#.to_string()),
        (&*format!("{far}2"), format!(r#"sheet "schools" has a cell at {far}2, beyond Excel's last column, XFD"#)),
        (
            "A99999999999",
            r#"sheet "schools" has a cell at A99999999999 (row 99,999,999,999), beyond Excel's last row, 1,048,576"#
                .into(),
        ),
        (
            "A4294967298",
            r#"sheet "schools" has a cell at A4294967298 (row 4,294,967,298), beyond Excel's last row, 1,048,576"#
                .into(),
        ),
    ] {
        let dir = tempfile::tempdir().expect("tempdir");
        let book = tiny_workbook_edited(dir.path(), "xl/worksheets/sheet1.xml", &|xml| {
            xml.replacen(r#"r="A2""#, &format!(r#"r="{reference}""#), 1)
        });
        let found = problems(&book, None);
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(
            found[0].starts_with(&format!(
                "book.xlsx: {expected}; rotaplan reads only cells Excel can hold (A1 to XFD1048576)"
            )),
            "{found:?}"
        );
    }
    // A cell without a reference follows the one before it: past XFD too.
    let dir = tempfile::tempdir().expect("tempdir");
    let book = tiny_workbook_edited(dir.path(), "xl/worksheets/sheet1.xml", &|xml| {
        xml.replacen(r#"r="A2""#, r#"r="XFD2""#, 1).replacen(r#"r="B2""#, "", 1)
    });
    let found = problems(&book, None);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0].starts_with(r#"book.xlsx: sheet "schools" has a cell at XFE2, beyond Excel's last column, XFD"#),
        "{found:?}"
    );
}

#[test]
fn issue11_a_csv_line_wider_than_excel_is_refused_at_once() {
    // A header ending in 19,990,000 commas took 71 s and 990 MB, then said
    // "the table has a header but no rows" for a table with 8 rows.
    let dir = tiny_copy(&[("schools.csv", &|t: &str| {
        let (header, rest) = t.split_once('\n').expect("header");
        format!("{header}{}\n{rest}", ",".repeat(19_990_000))
    })]);
    assert_eq!(
        problems(dir.path(), None),
        vec!["schools.csv:1: the line has more than 16,384 cells (Excel's number of columns), the most rotaplan reads in one row; delete the empty columns or stray separators at its end"]
    );
    // A quoted value may hold commas: they are no columns.
    let quoted = tiny_copy(&[("schools.csv", &|t: &str| {
        t.replacen("城关第一小学", &format!("\"城关第一小学{}\"", ",".repeat(20_000)), 1)
    })]);
    load_ok(quoted.path());
}

#[test]
fn issue11_an_unclosed_quote_on_the_first_line_is_the_only_message() {
    let dir = tiny_copy(&[("schools.csv", &|t: &str| format!("\"{t}"))]);
    let found = problems(dir.path(), None);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(found[0].starts_with("schools.csv:1: a quoted value opens here and is never closed"), "{found:?}");
}

#[test]
fn issue11_a_utf8_line_in_a_gbk_file_is_named() {
    let dir = tiny_copy(&[]);
    let text = std::fs::read_to_string(dir.path().join("teachers.csv")).expect("read");
    let mut bytes = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line = format!("{line}\n");
        if i == 4 {
            bytes.extend_from_slice(line.as_bytes());
        } else {
            bytes.extend_from_slice(&encoding_rs::GB18030.encode(&line).0);
        }
    }
    std::fs::write(dir.path().join("teachers.csv"), bytes).expect("write");
    assert_eq!(
        problems(dir.path(), None),
        vec![
            r#"teachers.csv:5: this line is UTF-8 while the file's other lines are GB18030/GBK (1 such line; perhaps rows pasted from a UTF-8 file); retype the line or save the whole file again as "CSV UTF-8""#
        ]
    );
}

// ------------------------------------------------------------ issue 12: input problems in Chinese

/// Runs `rotaplan <args>` under the default language and under `--lang en`:
/// both refuse the input (exit 2), the first with `zh` on stderr, the second
/// with `en`.
fn refused_in_both_languages(args: &[&std::ffi::OsStr], zh: &str, en: &str) {
    for (lang, expected) in [(None, zh), (Some("en"), en)] {
        let mut cmd = rotaplan_cmd();
        if let Some(lang) = lang {
            cmd.args(["--lang", lang]);
        }
        let output = cmd.args(args).timeout(std::time::Duration::from_secs(120)).output().expect("run");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{lang:?} {args:?}: {stderr}");
        assert!(stderr.contains(expected), "{lang:?} {args:?}: expected {expected:?} in\n{stderr}");
    }
}

fn check_args(data: &Path) -> Vec<&std::ffi::OsStr> {
    vec!["check".as_ref(), data.as_os_str()]
}

#[test]
fn input_zh_a_missing_table_or_data_path_is_worded_in_chinese() {
    let dir = tiny_copy(&[]);
    std::fs::remove_file(dir.path().join("teachers.csv")).expect("remove");
    refused_in_both_languages(
        &check_args(dir.path()),
        "teachers.csv: 数据文件夹里找不到这个文件；它是必需的",
        "teachers.csv: file not found in the data folder; it is required",
    );
    let nothing = dir.path().join("nowhere");
    refused_in_both_languages(
        &check_args(&nothing),
        "nowhere: 没有这个数据文件夹或 .xlsx 工作簿",
        "nowhere: no such data folder or .xlsx workbook",
    );
}

#[test]
fn input_zh_a_folder_given_for_a_file_is_worded_in_chinese() {
    let dir = tiny_copy(&[]);
    std::fs::remove_file(dir.path().join("teachers.csv")).expect("remove");
    std::fs::create_dir(dir.path().join("teachers.csv")).expect("mkdir");
    refused_in_both_languages(
        &check_args(dir.path()),
        "teachers.csv: 是一个文件夹；请给出保存在磁盘上的文件",
        "teachers.csv: is a folder; give a file saved on disk",
    );
}

#[test]
fn input_zh_header_problems_are_worded_in_chinese() {
    let dir = tiny_copy(&[("teachers.csv", &|t: &str| t.replacen("teacher_id,", "tid,", 1))]);
    refused_in_both_languages(
        &check_args(dir.path()),
        "teachers.csv:1: teacher_id: 缺少必需的列；请加一列，列名为 teacher_id（或 教师编号）",
        "teachers.csv:1: teacher_id: required column is missing; add a column headed teacher_id (or 教师编号)",
    );
    let dir = tiny_copy(&[("schools.csv", &|t: &str| format!("学校名单\n{t}"))]);
    refused_in_both_languages(
        &check_args(dir.path()),
        "schools.csv:1: 第 1 行「学校名单」不是表头；表头在第 2 行：请删去它上面的行，让表头成为第 1 行",
        r#"schools.csv:1: the first line "学校名单" is not the header; the header is on line 2: delete the line(s) above it, so the header is line 1"#,
    );
}

#[test]
fn input_zh_csv_row_problems_are_worded_in_chinese() {
    let dir = tiny_copy(&[("teachers.csv", &|t: &str| t.replacen("1002,王芳,", "1002,王芳", 1))]);
    refused_in_both_languages(
        &check_args(dir.path()),
        "teachers.csv:3: 这一行有 15 个单元格，而表头有 16 个；请检查是否少了逗号",
        "teachers.csv:3: the row has 15 cells but the header has 16; check for a missing comma",
    );
    let dir = tiny_copy(&[("teachers.csv", &|t: &str| t.replacen("1002,王芳,", "1002,\"王芳,", 1))]);
    refused_in_both_languages(
        &check_args(dir.path()),
        "teachers.csv:3: 这里有一个以引号开头的值没有结束（缺少后引号 \"）",
        "teachers.csv:3: a quoted value opens here and is never closed",
    );
}

#[test]
fn input_zh_encoding_problems_are_worded_in_chinese() {
    let dir = tiny_with_a_gbk_line();
    refused_in_both_languages(
        &check_args(dir.path()),
        "teachers.csv:5: 这一行不是 UTF-8，而文件的其他行是（共 1 行如此，可能是从 GBK 文件粘贴来的行）；请重新输入这一行，或把整个文件另存为「CSV UTF-8」",
        "teachers.csv:5: this line is not UTF-8 while the file's other lines are (1 such line;",
    );
}

#[test]
fn input_zh_workbook_problems_are_worded_in_chinese() {
    let dir = tempfile::tempdir().expect("tempdir");
    let book = book_with_unsaved_formula(dir.path());
    refused_in_both_languages(
        &check_args(&book),
        "book.xlsx schools!F2: primary_students: 单元格里是公式（=100*9），没有保存计算结果（文件不是由 Excel 或 WPS 保存的）；请用 Excel 或 WPS 打开工作簿并保存，或粘贴为数值",
        "book.xlsx schools!F2: primary_students: the cell holds a formula (=100*9) with no saved value",
    );
    let broken = dir.path().join("broken.xlsx");
    std::fs::write(&broken, b"not a zip archive").expect("write");
    refused_in_both_languages(
        &check_args(&broken),
        "broken.xlsx: 无法按 .xlsx 工作簿读取：这不是 .xlsx 工作簿（不是有效的 zip 压缩文件），或文件已损坏",
        "broken.xlsx: cannot be read as an .xlsx workbook: ",
    );
    // A zip archive with no workbook in it.
    let not_a_book = dir.path().join("other.xlsx");
    let mut zip = zip::ZipWriter::new(std::fs::File::create(&not_a_book).expect("create"));
    zip.start_file("a.txt", zip::write::SimpleFileOptions::default()).expect("start");
    std::io::Write::write_all(&mut zip, b"x").expect("write");
    zip.finish().expect("finish");
    refused_in_both_languages(
        &check_args(&not_a_book),
        "other.xlsx: 无法按 .xlsx 工作簿读取：工作簿中缺少「_rels/.rels」",
        "other.xlsx: cannot be read as an .xlsx workbook: File not found",
    );
    let renamed =
        tiny_workbook_edited(dir.path(), "xl/workbook.xml", &|xml| xml.replace(r#"name="staffing""#, r#"name="学校""#));
    refused_in_both_languages(
        &check_args(&renamed),
        "book.xlsx: 工作簿里的工作表「schools」和「学校」是同一张表；请只保留其中一个",
        r#"book.xlsx: the workbook has sheets "schools" and "学校" for the same table; keep one of them"#,
    );
}

#[test]
fn input_zh_plan_list_problems_are_worded_in_chinese() {
    let dir = tempfile::tempdir().expect("tempdir");
    let list = dir.path().join("list.csv");
    std::fs::write(&list, "who,where\n1002,S03\n").expect("write");
    let tiny = fixture("tiny");
    refused_in_both_languages(
        &["score".as_ref(), tiny.as_os_str(), list.as_os_str()],
        "list.csv:1: 名单需要 teacher_id（教师编号）和 to_school（调入学校）两列",
        "list.csv:1: the plan needs the columns teacher_id (教师编号) and to_school (调入学校)",
    );
    std::fs::write(&list, "teacher_id,to_school,name\n1002,S03,张伟\n").expect("write");
    refused_in_both_languages(
        &["score".as_ref(), tiny.as_os_str(), list.as_os_str()],
        "list.csv:2: name: 「张伟」与教师 1002 不符，该教师的姓名是「王芳」；请检查这一行的教师编号，或改正这个单元格",
        r#"list.csv:2: name: "张伟" does not match teacher 1002, whose name is "王芳"; check the teacher id on this row, or correct the cell"#,
    );
}

#[test]
fn input_zh_warnings_are_worded_in_chinese() {
    for (lang, expected) in [
        (None, "警告：teachers.csv:1: 未知的列「remarks」，已忽略"),
        (Some("en"), r#"warning: teachers.csv:1: unknown column "remarks" is ignored"#),
    ] {
        let mut cmd = rotaplan_cmd();
        if let Some(lang) = lang {
            cmd.args(["--lang", lang]);
        }
        let output = cmd.arg("check").arg(fixture("tiny_bom")).output().expect("run");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(0), "{lang:?}: {stderr}");
        assert!(stderr.contains(expected), "{lang:?}: expected {expected:?} in\n{stderr}");
    }
}

#[test]
fn a_sheet_of_many_stray_rows_lists_its_first_warnings_and_counts_the_rest() {
    let dir = tempfile::tempdir().expect("tempdir");
    let book = dir.path().join("book.xlsx");
    crate::common::workbook_from_folder_edited(&fixture("tiny"), &book, false, &|sheet, ws| {
        if sheet == "teachers" {
            for row in 0..150 {
                ws.write_string(2_000 + row, 60, "stray").expect("stray cell");
            }
        }
    });
    let output = rotaplan_cmd().args(["--lang", "en", "check"]).arg(&book).output().expect("check runs");
    assert_eq!(output.status.code(), Some(0));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert_eq!(stderr.matches("values only in columns without a header").count(), 100, "{stderr}");
    assert!(stderr.contains("50 more warnings are not listed"), "{stderr}");
}
