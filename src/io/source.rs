//! The raw tables of a county from named files: a data folder's files, one
//! .xlsx workbook, or files handed over in memory (uploaded through a
//! browser). Every reader works on (name, bytes) pairs, so a county read
//! from memory gives the same problems, naming the same files, as the same
//! files read from disk; validation follows in `io::validate`.

use std::path::Path;

use super::limits::{self, MAX_FILE_BYTES};
use super::table::Problems;
use super::workbook::{self, Workbook};
use super::{csv_text, decode, Part, PolicySource, Source, POLICY_RANK};
use crate::error::{Error, InputProblem, Text};

/// The most files of a county given in memory: a data folder has eleven
/// tables, a workbook is one file.
pub const MOST_FILES: usize = 16;

/// The longest file name of a county given in memory, in bytes (what most
/// file systems allow).
const MOST_NAME_BYTES: usize = 255;

/// Where the files of a county come from, for the messages about the set of files.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Container {
    /// A data folder on disk.
    Folder,
    /// Files given in memory.
    Given,
}

/// The file name of a path, for messages.
pub(crate) fn file_name(path: &Path) -> String {
    path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| path.display().to_string())
}

/// Reads a file's bytes; a missing file, a file that is not a regular file
/// and a file over the size limit are input problems, other failures of the
/// machine are I/O errors.
pub(super) fn read_bytes(path: &Path, rank: usize, problems: &mut Problems) -> Result<Option<Vec<u8>>, Error> {
    match limits::read_input_file(path) {
        Ok(bytes) => Ok(Some(bytes)),
        Err(limits::ReadFailure::NotFound) => {
            let message = Text::both("file not found", "找不到文件");
            problems.push(rank, 0, InputProblem::new(file_name(path), "", message));
            Ok(None)
        }
        Err(limits::ReadFailure::Refused(message)) => {
            problems.push(rank, 0, InputProblem::new(file_name(path), "", message));
            Ok(None)
        }
        Err(limits::ReadFailure::Io(error)) => Err(Error::io(format!("reading {}", path.display()), error)),
    }
}

/// Reads a text file and decodes it; an undecodable file is an input problem.
pub(super) fn read_text(path: &Path, rank: usize, problems: &mut Problems) -> Result<Option<String>, Error> {
    let Some(bytes) = read_bytes(path, rank, problems)? else { return Ok(None) };
    Ok(decode_named(&file_name(path), &bytes, rank, problems))
}

/// Decodes the bytes of the text file `name`; an undecodable file is an input problem.
fn decode_named(name: &str, bytes: &[u8], rank: usize, problems: &mut Problems) -> Option<String> {
    match decode::decode_text(bytes) {
        Ok(text) => Some(text),
        Err(error) => {
            let (location, line) = match error.line {
                Some(line) => (format!("{name}:{line}"), line),
                None => (name.to_string(), 0),
            };
            problems.push(rank, line, InputProblem::new(location, "", error.message));
            None
        }
    }
}

/// The tables among `names` (sorted), matched case-insensitively: the
/// policy's (part `None`) and each table's file name, the required ones
/// missing and two names for one table recorded as problems.
fn match_names(names: &[String], container: Container, problems: &mut Problems) -> Vec<(Option<Part>, String)> {
    let mut find = |wanted: &str, rank: usize| -> Option<String> {
        let found: Vec<&String> = names.iter().filter(|n| n.eq_ignore_ascii_case(wanted)).collect();
        if found.len() > 1 {
            let listed = found.iter().map(|n| format!("\"{n}\"")).collect::<Vec<_>>().join(" and ");
            let listed_zh = found.iter().map(|n| format!("「{n}」")).collect::<Vec<_>>().join("和");
            let message = match container {
                Container::Folder => Text::both(
                    format!("the folder holds {listed}, whose names differ only in case; keep one of them"),
                    format!("文件夹里有{listed_zh}，文件名只差大小写；请只保留其中一个"),
                ),
                Container::Given => Text::both(
                    format!("the files given include {listed}, which are the same table; give it once"),
                    format!("所给的文件里有{listed_zh}，它们是同一张表；请只给一个"),
                ),
            };
            problems.push(rank, 0, InputProblem::new(wanted, "", message));
            return None;
        }
        found.first().map(|n| n.to_string())
    };
    let mut found = Vec::new();
    if let Some(name) = find("policy.toml", POLICY_RANK) {
        found.push((None, name));
    }
    let mut missing = Vec::new();
    for part in Part::ALL {
        match find(part.file(), part.rank()) {
            Some(name) => found.push((Some(part), name)),
            None if part.required() && !names.iter().any(|n| n.eq_ignore_ascii_case(part.file())) => missing.push(part),
            None => {}
        }
    }
    for part in missing {
        let message = match container {
            Container::Folder => Text::both(
                "file not found in the data folder; it is required",
                "数据文件夹里找不到这个文件；它是必需的",
            ),
            Container::Given => Text::both(
                "this file is not among the files given; it is required: give it too",
                "所给的文件里没有这个文件；它是必需的：请一并给出",
            ),
        };
        problems.push(part.rank(), 0, InputProblem::new(part.file(), "", message));
    }
    found
}

/// The policy and tables of the matched files, each file's bytes from
/// `bytes_of` (`None` when it could not be read, the problem recorded).
fn text_source(
    found: Vec<(Option<Part>, String)>,
    mut bytes_of: impl FnMut(&str, usize, &mut Problems) -> Result<Option<Vec<u8>>, Error>,
    problems: &mut Problems,
) -> Result<Source, Error> {
    let mut source = Source { policy: None, tables: Vec::new() };
    for (part, name) in found {
        let rank = part.map_or(POLICY_RANK, Part::rank);
        let Some(bytes) = bytes_of(&name, rank, problems)? else { continue };
        let Some(text) = decode_named(&name, &bytes, rank, problems) else { continue };
        match part {
            None => source.policy = Some(PolicySource::Toml { file: name, text }),
            Some(part) => source.tables.push((part, csv_text::read_csv(&name, rank, &text, problems))),
        }
    }
    Ok(source)
}

/// Reads the files of a data folder; file names match case-insensitively,
/// and two files whose names differ only in case are a problem (which one
/// is meant cannot be told).
fn read_folder(folder: &Path, problems: &mut Problems) -> Result<Source, Error> {
    let entries = std::fs::read_dir(folder).map_err(|e| Error::io(format!("listing {}", folder.display()), e))?;
    let mut names = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|e| Error::io(format!("listing {}", folder.display()), e))?;
        names.push(entry.file_name().to_string_lossy().into_owned());
    }
    names.sort();
    let found = match_names(&names, Container::Folder, problems);
    text_source(found, |name, rank, problems| read_bytes(&folder.join(name), rank, problems), problems)
}

/// Reads the sheets of the workbook `book` from its bytes.
fn workbook_source(book: &str, bytes: Vec<u8>, problems: &mut Problems, warnings: &mut Vec<Text>) -> Source {
    let mut source = Source { policy: None, tables: Vec::new() };
    let workbook: Workbook = match workbook::open(book, bytes) {
        Ok(workbook) => workbook,
        Err(message) => {
            problems.push(0, 0, InputProblem::new(book, "", message));
            return source;
        }
    };
    let mut used: Vec<String> = Vec::new();
    // The one sheet of a table; two sheets for the same table (`学校` and
    // `schools`, `Schools` and `schools`) are a problem: which one is meant
    // cannot be told.
    let mut one_sheet = |names: &[&str], rank: usize, problems: &mut Problems| -> Option<String> {
        let found = workbook.find_all(names);
        used.extend(found.iter().map(|s| s.to_string()));
        if found.len() > 1 {
            let listed = found.iter().map(|n| format!("\"{n}\"")).collect::<Vec<_>>().join(" and ");
            let listed_zh = found.iter().map(|n| format!("「{n}」")).collect::<Vec<_>>().join("和");
            let message = Text::both(
                format!("the workbook has sheets {listed} for the same table; keep one of them"),
                format!("工作簿里的工作表{listed_zh}是同一张表；请只保留其中一个"),
            );
            problems.push(rank, 0, InputProblem::new(book, "", message));
            return None;
        }
        found.first().map(|s| s.to_string())
    };
    if let Some(sheet) = one_sheet(&["policy"], POLICY_RANK, problems) {
        source.policy = Some(PolicySource::Sheet { rows: workbook.policy_rows(&sheet) });
    }
    let mut missing = Vec::new();
    for part in Part::ALL {
        match one_sheet(part.sheets(), part.rank(), problems) {
            Some(sheet) => source.tables.push((part, workbook.raw_table(&sheet, part.rank()))),
            None if part.required() && workbook.find_all(part.sheets()).is_empty() => missing.push(part),
            None => {}
        }
    }
    for part in missing {
        let message = Text::both(
            format!("the workbook has no sheet named {}; it is required", part.sheets().join(" or ")),
            format!("工作簿里没有名为 {} 的工作表；它是必需的", part.sheets().join(" 或 ")),
        );
        problems.push(part.rank(), 0, InputProblem::new(book, "", message));
    }
    for sheet in workbook.sheet_names().filter(|s| !used.iter().any(|u| u == s)) {
        warnings.push(Text::both(
            format!("{book}: sheet \"{sheet}\" is not a table rotaplan reads; it is ignored"),
            format!("{book}: 工作表「{sheet}」不是 rotaplan 读取的表，已忽略"),
        ));
    }
    source
}

/// The raw tables of a data folder or workbook; `None` (with the problem
/// recorded) when `data` is neither.
pub(super) fn read_source(
    data: &Path,
    problems: &mut Problems,
    warnings: &mut Vec<Text>,
) -> Result<Option<Source>, Error> {
    let is_workbook = data.extension().is_some_and(|e| e.eq_ignore_ascii_case("xlsx"));
    if data.is_dir() {
        read_folder(data, problems).map(Some)
    } else if data.is_file() && is_workbook {
        let Some(bytes) = read_bytes(data, 0, problems)? else { return Ok(Some(Source::default())) };
        Ok(Some(workbook_source(&file_name(data), bytes, problems, warnings)))
    } else {
        let message = if data.exists() {
            Text::both("is neither a data folder nor an .xlsx workbook", "既不是数据文件夹，也不是 .xlsx 工作簿")
        } else {
            Text::both("no such data folder or .xlsx workbook", "没有这个数据文件夹或 .xlsx 工作簿")
        };
        problems.push(0, 0, InputProblem::new(data.display().to_string(), "", message));
        Ok(None)
    }
}

/// A name as given, reduced to its last path component (a browser may send
/// `C:\\Users\\…\\teachers.csv`).
fn last_component(name: &str) -> String {
    name.rsplit(['/', '\\']).next().unwrap_or_default().trim().to_string()
}

/// Whether a file name is a workbook's.
fn is_workbook_name(name: &str) -> bool {
    name.len() > 5 && name.is_char_boundary(name.len() - 5) && name[name.len() - 5..].eq_ignore_ascii_case(".xlsx")
}

/// What to give, for the messages about the set of files.
const GIVE: (&str, &str) = (
    "give one .xlsx workbook, or the CSV files of a data folder (schools.csv, teachers.csv, and policy.toml and the other tables where used)",
    "请给出一个 .xlsx 工作簿，或数据文件夹里的 CSV 文件（schools.csv、teachers.csv，以及用到的 policy.toml 和其他表）",
);

/// The problem of a set of files (names reduced, sorted) that cannot be
/// read as a county at all: none or too many, a name missing or too long,
/// two workbooks or a workbook with other files.
fn set_problem(files: &[(String, Vec<u8>)]) -> Option<InputProblem> {
    let whole = |message: Text| Some(InputProblem::new("", "", message));
    if files.is_empty() {
        return whole(Text::both(format!("no file was given; {}", GIVE.0), format!("没有给出任何文件；{}", GIVE.1)));
    }
    if files.len() > MOST_FILES {
        let count = files.len();
        return whole(Text::both(
            format!("{count} files were given; rotaplan reads at most {MOST_FILES}; {}", GIVE.0),
            format!("给出了 {count} 个文件；rotaplan 最多读 {MOST_FILES} 个；{}", GIVE.1),
        ));
    }
    if files.iter().any(|(name, _)| name.is_empty()) {
        return whole(Text::both(
            format!("a file was given without a name, so which table it is cannot be told; {}", GIVE.0),
            format!("有一个文件没有文件名，无法判断它是哪张表；{}", GIVE.1),
        ));
    }
    if let Some((name, _)) = files.iter().find(|(name, _)| name.len() > MOST_NAME_BYTES) {
        let start: String = name.chars().take(40).collect();
        return whole(Text::both(
            format!("a file name is longer than {MOST_NAME_BYTES} bytes (\"{start}…\"); {}", GIVE.0),
            format!("有一个文件名超过 {MOST_NAME_BYTES} 字节（「{start}…」）；{}", GIVE.1),
        ));
    }
    let books: Vec<&str> = files.iter().map(|(name, _)| name.as_str()).filter(|n| is_workbook_name(n)).collect();
    let message = if books.len() > 1 {
        Text::both(
            "more than one workbook was given; give the one workbook of the county",
            "给出了不止一个工作簿；请只给出本县的一个工作簿",
        )
    } else if books.len() == 1 && files.len() > 1 {
        Text::both(
            "a workbook was given together with other files; give either the one workbook or the CSV files, not both",
            "工作簿和其他文件一起给出了；请只给工作簿，或只给 CSV 文件，不要同时给",
        )
    } else {
        return None;
    };
    Some(InputProblem::new(books.join(", "), "", message))
}

/// The raw tables of files given in memory: one workbook, or the files of a
/// data folder by their names. `None` (with the problems recorded) when the
/// set of files cannot be read as a county at all.
pub(super) fn given_source(
    files: Vec<(String, Vec<u8>)>,
    problems: &mut Problems,
    warnings: &mut Vec<Text>,
) -> Option<Source> {
    let mut files: Vec<(String, Vec<u8>)> =
        files.into_iter().map(|(name, bytes)| (last_component(&name), bytes)).collect();
    files.sort_by(|a, b| a.0.cmp(&b.0));
    if let Some(problem) = set_problem(&files) {
        problems.push(0, 0, problem);
        return None;
    }
    if files.len() == 1 && is_workbook_name(&files[0].0) {
        let (book, bytes) = files.pop().unwrap_or_default();
        if bytes.len() as u64 > MAX_FILE_BYTES {
            problems.push(0, 0, InputProblem::new(book, "", limits::too_large_text()));
            return Some(Source::default());
        }
        return Some(workbook_source(&book, bytes, problems, warnings));
    }
    let names: Vec<String> = files.iter().map(|(name, _)| name.clone()).collect();
    let found = match_names(&names, Container::Given, problems);
    let known = |name: &str| {
        name.eq_ignore_ascii_case("policy.toml") || Part::ALL.iter().any(|p| name.eq_ignore_ascii_case(p.file()))
    };
    // As in a data folder, a file that is no table (a README, notes) is
    // left out with a warning, not refused.
    // An old .xls workbook or a table under its sheet's name (学校.csv)
    // is what the user meant to give: refused with what to do.
    for name in names.iter().filter(|n| !known(n)) {
        match misnamed(name) {
            Some(message) => problems.push(0, 0, InputProblem::new(name.as_str(), "", message)),
            None => warnings.push(Text::both(
                format!("{name}: not a table rotaplan reads; it is ignored"),
                format!("{name}：不是 rotaplan 读取的表，已忽略"),
            )),
        }
    }
    let bytes_of = |name: &str, rank: usize, problems: &mut Problems| -> Result<Option<Vec<u8>>, Error> {
        let index = files.iter().position(|(n, _)| n == name);
        let bytes = index.map(|i| std::mem::take(&mut files[i].1)).unwrap_or_default();
        if bytes.len() as u64 > MAX_FILE_BYTES {
            problems.push(rank, 0, InputProblem::new(name, "", limits::too_large_text()));
            return Ok(None);
        }
        Ok(Some(bytes))
    };
    text_source(found, bytes_of, problems).ok()
}

/// What to do with a file that is not read but was surely meant: an old
/// `.xls` workbook, or a table's CSV under its sheet's name (`学校.csv`).
fn misnamed(name: &str) -> Option<Text> {
    let lower = name.to_lowercase();
    if lower.ends_with(".xls") {
        return Some(Text::both(
            "an old Excel workbook (.xls) cannot be read; open it in Excel and save it as an Excel workbook (.xlsx)",
            "旧版 Excel 工作簿（.xls）无法读取；请在 Excel 中打开，另存为「Excel 工作簿（.xlsx）」",
        ));
    }
    let stem = lower.strip_suffix(".csv")?;
    let part = Part::ALL.iter().find(|p| p.sheets().iter().any(|s| s.to_lowercase() == stem))?;
    Some(Text::both(
        format!("a {} table must be named {}; rename the file", stem, part.file()),
        format!("这张表的文件名应为 {}；请把文件改名", part.file()),
    ))
}
