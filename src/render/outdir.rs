//! Output folders: where a run may write, and how it replaces a folder.
//!
//! A run writes only into its `-o` folder, and only when that folder is new,
//! empty or an earlier output of rotaplan (it holds the marker file
//! [`MARKER`]); `--force` allows a folder of other files. It never writes
//! where it reads: an `-o` that is, contains or lies inside an input — or
//! a file of an input folder, wherever a symbolic link leads — is refused,
//! forced or not. These checks run before any data is loaded.
//!
//! The new folder is built whole beside the target (a hidden sibling in the
//! same parent) and then swapped in — on Linux with one atomic
//! `renameat2(RENAME_EXCHANGE)` — so a run killed at any moment leaves the
//! previous folder as it was, and no file of an earlier run survives beside
//! the new ones. The replaced folder is removed afterwards; siblings left by
//! killed runs are removed by the next run into the same folder (an empty
//! one only once its run has ended or it is a minute old: see
//! `clean_leftovers`).

use std::fs;
use std::io::{Read, Write};
use std::path::{Component, Path, PathBuf};

use crate::error::{Error, InputProblem, Text};
use crate::io::os_error::os_error_zh;
use crate::render::output::OutputFiles;

/// The file that marks a folder as an output of rotaplan; its first line
/// says which command wrote it (`rotaplan plan`).
pub const MARKER: &str = ".rotaplan-output";

/// Infix of the hidden sibling folders a run builds beside its target.
const SIBLING: &str = ".rotaplan-";

/// Longest folder name accepted for `-o` (bytes), leaving room for the
/// hidden sibling's longer name within the file system's 255.
const LONGEST_NAME: usize = 200;

/// Which command wrote an output folder.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OutputKind {
    /// `rotaplan evaluate`.
    Evaluate,
    /// `rotaplan plan`.
    Plan,
    /// `rotaplan score`.
    Score,
    /// `rotaplan whatif`.
    Whatif,
    /// `rotaplan hires`.
    Hires,
    /// `rotaplan levers`.
    Levers,
    /// `rotaplan synth`: a data folder, not a result.
    Synth,
    /// `rotaplan advance`: next year's data folder, not a result.
    Advance,
    /// `rotaplan quota`.
    Quota,
}

impl OutputKind {
    const ALL: [OutputKind; 9] = [
        OutputKind::Evaluate,
        OutputKind::Plan,
        OutputKind::Score,
        OutputKind::Whatif,
        OutputKind::Hires,
        OutputKind::Levers,
        OutputKind::Synth,
        OutputKind::Advance,
        OutputKind::Quota,
    ];

    /// The command's name.
    pub fn word(self) -> &'static str {
        match self {
            OutputKind::Evaluate => "evaluate",
            OutputKind::Plan => "plan",
            OutputKind::Score => "score",
            OutputKind::Whatif => "whatif",
            OutputKind::Hires => "hires",
            OutputKind::Levers => "levers",
            OutputKind::Synth => "synth",
            OutputKind::Advance => "advance",
            OutputKind::Quota => "quota",
        }
    }

    fn parse(word: &str) -> Option<OutputKind> {
        OutputKind::ALL.into_iter().find(|k| k.word() == word)
    }
}

/// An output folder a run has been allowed to write; [`OutputFolder::commit`]
/// puts the run's files there.
#[derive(Debug)]
pub struct OutputFolder {
    /// The folder as the user gave it, for messages.
    shown: PathBuf,
    /// The folder with every symbolic link and `..` resolved.
    target: PathBuf,
    kind: OutputKind,
    force: bool,
    /// The inputs of the run, as the user gave them.
    inputs: Vec<PathBuf>,
}

/// How an output folder relates to an input.
fn relation(out: &Path, input: &Path) -> Option<&'static str> {
    if out == input {
        Some("is")
    } else if out.starts_with(input) {
        Some("lies inside")
    } else if input.starts_with(out) {
        Some("contains")
    } else {
        None
    }
}

/// The paths a run reads for the input `input`, each with its resolved
/// form: the input itself and, for a data folder, every file in it (a
/// symbolic link resolved to the file it leads to), since replacing `-o`
/// would delete a file it holds whatever name the data folder gives it.
/// A path that cannot be resolved is left out: it cannot be read either.
fn read_paths(input: &Path) -> Vec<(PathBuf, PathBuf)> {
    let mut paths = Vec::new();
    let Ok(resolved) = resolve(input) else { return paths };
    if resolved.is_dir() {
        if let Ok(entries) = fs::read_dir(&resolved) {
            for entry in entries.filter_map(Result::ok) {
                let shown = input.join(entry.file_name());
                // Only files are read from a data folder; `metadata` follows links.
                if fs::metadata(entry.path()).is_ok_and(|m| m.is_file()) {
                    if let Ok(file) = entry.path().canonicalize() {
                        paths.push((shown, file));
                    }
                }
            }
        }
    }
    paths.insert(0, (input.to_path_buf(), resolved));
    paths
}

/// `path` made absolute with every symbolic link and `..` resolved; the part
/// that does not exist yet is resolved by its words, as creating it would.
pub fn resolve(path: &Path) -> std::io::Result<PathBuf> {
    let absolute = std::path::absolute(path)?;
    let mut existing = absolute.as_path();
    let mut missing = Vec::new();
    loop {
        match existing.canonicalize() {
            Ok(mut resolved) => {
                for part in missing.iter().rev() {
                    match part {
                        Component::ParentDir => {
                            resolved.pop();
                        }
                        Component::Normal(name) => resolved.push(name),
                        _ => {}
                    }
                }
                return Ok(resolved);
            }
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
                let Some(last) = existing.components().next_back() else { return Err(error) };
                missing.push(last);
                match existing.parent() {
                    Some(parent) => existing = parent,
                    None => return Err(error),
                }
            }
            Err(error) => return Err(error),
        }
    }
}

/// "cannot be used as a folder", with the system's reason.
fn unusable(error: &std::io::Error) -> Text {
    Text::both(format!("cannot be used as a folder: {error}"), format!("无法用作文件夹：{}", os_error_zh(error)))
}

/// A folder's marker as read: the command that wrote the folder and the
/// files it wrote (markers written before the list was kept have none).
struct Marker {
    kind: OutputKind,
    files: Option<Vec<Written>>,
}

/// A file as a run wrote it: its path in the folder, its size and CRC-32.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Written {
    path: String,
    size: u64,
    crc: u32,
}

/// The heading of the marker's list of written files.
const FILES_HEADING: &str = "files:";

/// The longest marker read (a whatif of many scenarios lists many files).
const LONGEST_MARKER: u64 = 4 << 20;

/// The most entries of an output folder looked at for files a run did not
/// write; a folder with more is refused as holding others.
const MOST_ENTRIES: usize = 100_000;

/// The kind written in a folder's marker, when it has a readable one.
fn marker_kind(folder: &Path) -> Option<OutputKind> {
    read_marker(folder).map(|m| m.kind)
}

/// A folder's marker, when it has a readable one.
fn read_marker(folder: &Path) -> Option<Marker> {
    let path = folder.join(MARKER);
    // Only a regular file is read: a FIFO would block.
    if !fs::symlink_metadata(&path).ok()?.is_file() {
        return None;
    }
    let mut text = String::new();
    fs::File::open(&path).ok()?.take(LONGEST_MARKER).read_to_string(&mut text).ok()?;
    let mut lines = text.lines();
    let mut words = lines.next()?.split_whitespace();
    let kind = match (words.next(), words.next()) {
        (Some("rotaplan"), Some(kind)) => OutputKind::parse(kind)?,
        _ => return None,
    };
    // The lines after the heading, when there is one.
    let files = lines.by_ref().any(|line| line == FILES_HEADING).then(|| {
        lines
            .filter_map(|line| {
                let mut parts = line.splitn(3, ' ');
                let crc = u32::from_str_radix(parts.next()?, 16).ok()?;
                let size = parts.next()?.parse().ok()?;
                Some(Written { path: parts.next()?.to_string(), size, crc })
            })
            .collect()
    });
    Some(Marker { kind, files })
}

/// The marker of a folder of `kind` holding `files`: what wrote it, a word
/// to whoever opens it, and the list of files with their sizes and
/// checksums, by which the next run finds a file added or changed since.
fn marker_text(kind: OutputKind, files: &OutputFiles) -> String {
    let mut text = format!(
        "rotaplan {}\nThis folder was written by rotaplan. A later run into it replaces the whole folder; it refuses to while a file here was added or changed since (unless --force).\n此文件夹由 rotaplan 写入。再次运行会整个替换此文件夹；这里有后来加入或改动过的文件时会拒绝替换（除非加 --force）。\n{FILES_HEADING}\n",
        kind.word()
    );
    let mut names = files.names();
    names.sort_unstable();
    for name in names {
        let bytes = files.get(name).unwrap_or_default();
        text.push_str(&format!("{:08x} {} {name}\n", crc32fast::hash(bytes), bytes.len()));
    }
    text
}

/// The files of `folder` (its subfolders' too, by their paths in it), but
/// the marker, after at most [`MOST_ENTRIES`] entries: `None` when it has
/// more. Links are not followed.
fn files_in(folder: &Path) -> Option<Vec<(String, PathBuf)>> {
    let mut found = Vec::new();
    let mut pending = vec![(String::new(), folder.to_path_buf())];
    let mut seen = 0usize;
    while let Some((prefix, dir)) = pending.pop() {
        let Ok(entries) = fs::read_dir(&dir) else { continue };
        for entry in entries.filter_map(Result::ok) {
            seen += 1;
            if seen > MOST_ENTRIES {
                return None;
            }
            let name = entry.file_name().to_string_lossy().into_owned();
            let relative = if prefix.is_empty() { name } else { format!("{prefix}/{name}") };
            if relative == MARKER {
                continue;
            }
            match entry.file_type() {
                Ok(kind) if kind.is_dir() => pending.push((relative, entry.path())),
                _ => found.push((relative, entry.path())),
            }
        }
    }
    found.sort();
    Some(found)
}

/// The files of `folder` that its marker's list does not have, or has with
/// another size or checksum (a file the list has and the folder has not
/// is no loss). `None` when the folder has too many entries to look at.
fn added_or_changed(folder: &Path, written: &[Written]) -> Option<Vec<String>> {
    let listed: std::collections::HashMap<&str, &Written> = written.iter().map(|w| (w.path.as_str(), w)).collect();
    let mut out = Vec::new();
    for (relative, path) in files_in(folder)? {
        let same = listed.get(relative.as_str()).is_some_and(|w| {
            fs::symlink_metadata(&path).is_ok_and(|m| m.is_file() && m.len() == w.size)
                && fs::read(&path).is_ok_and(|bytes| crc32fast::hash(&bytes) == w.crc)
        });
        if !same {
            out.push(relative);
        }
    }
    Some(out)
}

/// The refusal of a folder holding files added or changed since rotaplan
/// wrote it (`None`: too many to list), naming the first few.
fn kept_files(changed: Option<&[String]>) -> Text {
    const SHOWN: usize = 5;
    let Some(changed) = changed else {
        return Text::both(
            format!("holds more than {MOST_ENTRIES} files; choose a new or empty folder, or add --force to replace the whole folder"),
            format!("里面的文件超过 {MOST_ENTRIES} 个；请选择新的或空的文件夹，或加 --force 整个替换该文件夹"),
        );
    };
    let names: Vec<&str> = changed.iter().take(SHOWN).map(String::as_str).collect();
    let more = changed.len().saturating_sub(SHOWN);
    let (more_en, more_zh) = if more > 0 {
        (format!(" and {more} more"), format!(" 等（另有 {more} 个）"))
    } else {
        (String::new(), String::new())
    };
    let open = changed.iter().any(|name| name.rsplit('/').next().is_some_and(|n| n.starts_with("~$")));
    let (open_en, open_zh) = if open {
        (
            " (a file named ~$… means a workbook is open in Excel or WPS: close it first)",
            "（~$ 开头的文件说明有工作簿正在 Excel 或 WPS 中打开，请先关闭）",
        )
    } else {
        ("", "")
    };
    Text::both(
        format!(
            "holds files added or changed since rotaplan wrote it: {}{more_en}{open_en}; a run replaces the whole folder, so they would be lost: move them elsewhere, choose another output folder, or add --force to replace it",
            names.join(", ")
        ),
        format!(
            "里面有 rotaplan 写入之后加入或改动过的文件：{}{more_zh}{open_zh}；再次运行会整个替换此文件夹，这些文件会丢失：请把它们移到别处，或换一个输出文件夹，或加 --force 替换",
            names.join("、")
        ),
    )
}

impl OutputFolder {
    /// Checks that a run of `kind` may write `out`, before anything is read
    /// or solved: `out` is not an existing file, not an input (nor inside
    /// one, nor holding one) of `inputs` nor holding a file of an input
    /// folder (links resolved), not the current folder, and is new,
    /// empty or an earlier output of rotaplan — or `force` is given. A folder
    /// written by `synth` is data: only `synth` replaces it unforced.
    pub fn claim(out: &Path, kind: OutputKind, inputs: &[&Path], force: bool) -> Result<OutputFolder, Error> {
        let refuse =
            |message: Text| Error::Input(vec![InputProblem::new(format!("-o {}", out.display()), "", message)]);
        match fs::metadata(out) {
            Ok(meta) if !meta.is_dir() => {
                return Err(refuse(Text::both(
                    "is a file, not a folder; give -o a folder to write into (it is created when missing)",
                    "是文件，不是文件夹；请给 -o 一个用来写入的文件夹（不存在时会自动创建）",
                )))
            }
            Ok(_) => {}
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
                if fs::symlink_metadata(out).is_ok() {
                    return Err(refuse(Text::both(
                        "is a symbolic link to nothing; remove it or give -o another folder",
                        "是指向不存在位置的符号链接；请删除它，或给 -o 另一个文件夹",
                    )));
                }
            }
            Err(error) => return Err(refuse(unusable(&error))),
        }
        let target = resolve(out).map_err(|e| refuse(unusable(&e)))?;
        let Some(name) = target.file_name() else {
            return Err(refuse(Text::both(
                "is the root of the file system; give -o a folder of its own",
                "是文件系统的根目录；请给 -o 一个单独的文件夹",
            )));
        };
        if name.len() > LONGEST_NAME {
            return Err(refuse(Text::both(
                format!("the folder's name is longer than {LONGEST_NAME} bytes; choose a shorter one"),
                format!("文件夹名超过 {LONGEST_NAME} 字节；请换一个短一些的名字"),
            )));
        }
        if is_mount_point(&target) {
            let inside = out.join("plan");
            let inside_zh = out.join("方案");
            return Err(refuse(Text::both(
                format!(
                    "is a mount point (such as a USB drive's top folder), which rotaplan cannot replace whole; give -o a folder inside it (e.g. {})",
                    inside.display()
                ),
                format!(
                    "是一个挂载点（如 U 盘的顶层文件夹），rotaplan 无法整个替换它；请给 -o 其中的一个文件夹（如 {}）",
                    inside_zh.display()
                ),
            )));
        }
        if let Ok(current) = std::env::current_dir().and_then(|d| d.canonicalize()) {
            if current.starts_with(&target) {
                return Err(refuse(Text::both(
                    "is the current folder or contains it; rotaplan replaces its output folder whole, so give -o a folder of its own (e.g. out/plan)",
                    "是当前文件夹或包含当前文件夹；rotaplan 会整个替换输出文件夹，请给 -o 一个单独的文件夹（如 out/plan）",
                )));
            }
        }
        let inputs = inputs.iter().map(|p| p.to_path_buf()).collect();
        let folder = OutputFolder { shown: out.to_path_buf(), target, kind, force, inputs };
        folder.check_inputs()?;
        folder.check_contents()?;
        folder.check_writable()?;
        Ok(folder)
    }

    /// Refuses, before the run, a folder whose files could not be written
    /// at its end: a hidden sibling is made and removed in the nearest
    /// folder that exists on the way to it.
    fn check_writable(&self) -> Result<(), Error> {
        let (parent, name) = self.parent_and_name();
        let mut at = parent.as_path();
        while fs::symlink_metadata(at).is_err() {
            match at.parent() {
                Some(up) => at = up,
                None => return Ok(()),
            }
        }
        // Named `<prefix><pid>-probe`, as the staging folders are named
        // by their run's id: one left by a killed run is removed by the
        // next run once its process has ended (`clean_leftovers`).
        let probe = at.join(format!(".{name}{SIBLING}{}-probe", std::process::id()));
        let error = match fs::create_dir(&probe) {
            Ok(()) => {
                let _ = fs::remove_dir(&probe);
                return Ok(());
            }
            Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists => return Ok(()),
            Err(error) => error,
        };
        let why_zh = match error.kind() {
            std::io::ErrorKind::PermissionDenied => "没有写入权限".to_string(),
            _ => os_error_zh(&error),
        };
        Err(Error::Input(vec![InputProblem::new(
            format!("-o {}", self.shown.display()),
            "",
            Text::both(
                format!("cannot write into {} ({error}); give -o a folder you may write to", at.display()),
                format!("无法写入 {}（{why_zh}）；请给 -o 一个有写入权限的文件夹", at.display()),
            ),
        )]))
    }

    /// The folder as the user gave it.
    pub fn path(&self) -> &Path {
        &self.shown
    }

    /// Refuses a folder that is, contains or lies inside an input or a file
    /// read from an input folder, forced or not.
    fn check_inputs(&self) -> Result<(), Error> {
        for (input, resolved) in self.inputs.iter().flat_map(|input| read_paths(input)) {
            if let Some(how) = relation(&self.target, &resolved) {
                let (link, link_zh) = if input.is_symlink() {
                    (format!(" (a link to {})", resolved.display()), format!("（指向 {} 的链接）", resolved.display()))
                } else {
                    (String::new(), String::new())
                };
                let how_zh = match how {
                    "is" => "就是",
                    "lies inside" => "位于",
                    _ => "包含",
                };
                let inside = if how == "lies inside" { " 之内" } else { "" };
                return Err(Error::Input(vec![InputProblem::new(
                    format!("-o {}", self.shown.display()),
                    "",
                    Text::both(
                        format!(
                            "{how} the input {}{link}; rotaplan never writes where it reads: choose another output folder",
                            input.display()
                        ),
                        format!(
                            "{how_zh}输入 {}{link_zh}{inside}；rotaplan 从不写入它读取数据的地方：请换一个输出文件夹",
                            input.display()
                        ),
                    ),
                )]));
            }
        }
        Ok(())
    }

    /// Refuses a non-empty folder that rotaplan did not write (unless forced)
    /// and a synthetic county for any command but `synth` (unless forced).
    fn check_contents(&self) -> Result<(), Error> {
        let refuse =
            |message: Text| Error::Input(vec![InputProblem::new(format!("-o {}", self.shown.display()), "", message)]);
        let mut entries = match fs::read_dir(&self.target) {
            Ok(entries) => entries,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(()),
            Err(error) => return Err(Error::io(format!("listing {}", self.shown.display()), error)),
        };
        if entries.next().is_none() || self.force {
            return Ok(());
        }
        let marker = read_marker(&self.target);
        match marker.as_ref().map(|m| m.kind) {
            Some(data @ (OutputKind::Synth | OutputKind::Advance)) if self.kind != data => Err(refuse(Text::both(
                format!(
                    "holds a county written by `rotaplan {}` (data, not a result); choose another output folder, or add --force to replace it whole",
                    data.word()
                ),
                format!(
                    "里面是 `rotaplan {}` 生成的县数据（是数据，不是结果）；请换一个输出文件夹，或加 --force 整个替换它",
                    data.word()
                ),
            ))),
            Some(other) if other != self.kind => Err(refuse(Text::both(
                format!(
                    "holds the results of `rotaplan {}`, which `rotaplan {}` would replace whole; choose another output folder, or add --force to replace it",
                    other.word(),
                    self.kind.word()
                ),
                format!(
                    "里面是 `rotaplan {}` 的结果，`rotaplan {}` 会把它们整个替换掉；请换一个输出文件夹，或加 --force 替换它",
                    other.word(),
                    self.kind.word()
                ),
            ))),
            Some(_) => match marker.and_then(|m| m.files) {
                Some(written) => match added_or_changed(&self.target, &written) {
                    Some(changed) if changed.is_empty() => Ok(()),
                    changed => Err(refuse(kept_files(changed.as_deref()))),
                },
                None => Ok(()),
            },
            None => Err(refuse(Text::both(
                format!(
                    "already holds files rotaplan did not write (it has no {MARKER} file); choose a new or empty folder, or add --force to replace the whole folder"
                ),
                format!(
                    "里面已有不是 rotaplan 写入的文件（没有 {MARKER} 文件）；请选择新的或空的文件夹，或加 --force 整个替换该文件夹"
                ),
            ))),
        }
    }

    /// Writes `files` as the whole content of the folder (with the marker):
    /// built in a hidden sibling, then swapped in. On failure the previous
    /// folder is left as it was.
    pub fn commit(&self, files: &OutputFiles) -> Result<(), Error> {
        // The folder may have filled up, or an input moved, during a long solve.
        self.check_inputs()?;
        self.check_contents()?;
        let (parent, name) = self.parent_and_name();
        fs::create_dir_all(&parent).map_err(|e| Error::io(format!("creating {}", parent.display()), e))?;
        clean_leftovers(&parent, &name, &self.target);
        let staging = new_sibling(&parent, &name)?;
        let built = self.build(&staging, files);
        let marker = match built {
            Ok(marker) => marker,
            Err(error) => {
                remove_folder(&staging);
                return Err(error);
            }
        };
        let swapped = swap_in(&staging, &self.target, &parent, &name);
        drop(marker);
        match swapped {
            Ok(Some(old)) => remove_folder(&old),
            Ok(None) => {}
            Err(error) => {
                remove_folder(&staging);
                return Err(Error::io(format!("replacing {}", self.shown.display()), error));
            }
        }
        Ok(())
    }

    fn parent_and_name(&self) -> (PathBuf, String) {
        let parent = self.target.parent().map(Path::to_path_buf).unwrap_or_else(|| PathBuf::from("/"));
        let name = self.target.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        (parent, name)
    }

    /// Writes the marker (kept open and locked, so that no concurrent run
    /// takes the half-built folder for a leftover) and every file.
    fn build(&self, staging: &Path, files: &OutputFiles) -> Result<fs::File, Error> {
        let marker_path = staging.join(MARKER);
        let mut marker =
            fs::File::create(&marker_path).map_err(|e| Error::io(format!("writing {}", marker_path.display()), e))?;
        // A file system without locks still gets its output; only the
        // protection against a concurrent run is lost.
        let _ = marker.try_lock();
        marker
            .write_all(marker_text(self.kind, files).as_bytes())
            .map_err(|e| Error::io(format!("writing {}", marker_path.display()), e))?;
        for name in files.names() {
            let relative = Path::new(name);
            let safe = relative.components().all(|c| matches!(c, Component::Normal(_)))
                && relative.components().next().is_some()
                && name != MARKER;
            if !safe {
                return Err(Error::io(
                    format!("writing {}", self.shown.display()),
                    std::io::Error::new(
                        std::io::ErrorKind::InvalidInput,
                        format!("unsafe output file name \"{name}\""),
                    ),
                ));
            }
            let path = staging.join(relative);
            if let Some(folder) = path.parent() {
                fs::create_dir_all(folder).map_err(|e| Error::io(format!("creating {}", folder.display()), e))?;
            }
            let bytes = files.get(name).unwrap_or_default();
            let shown = self.shown.join(relative);
            let mut file = fs::File::create(&path).map_err(|e| Error::io(format!("writing {}", shown.display()), e))?;
            file.write_all(bytes).map_err(|e| Error::io(format!("writing {}", shown.display()), e))?;
            file.sync_all().map_err(|e| Error::io(format!("writing {}", shown.display()), e))?;
        }
        marker.sync_all().map_err(|e| Error::io(format!("writing {}", marker_path.display()), e))?;
        if let Ok(folder) = fs::File::open(staging) {
            let _ = folder.sync_all();
        }
        Ok(marker)
    }
}

/// Creates a new hidden sibling `.<name>.rotaplan-<pid>-<n>` in `parent`.
fn new_sibling(parent: &Path, name: &str) -> Result<PathBuf, Error> {
    let pid = std::process::id();
    for n in 0..1000 {
        let path = parent.join(format!(".{name}{SIBLING}{pid}-{n}"));
        match fs::create_dir(&path) {
            Ok(()) => return Ok(path),
            Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(error) => return Err(Error::io(format!("creating {}", path.display()), error)),
        }
    }
    Err(Error::io(
        format!("creating a folder beside {}", parent.join(name).display()),
        std::io::Error::new(std::io::ErrorKind::AlreadyExists, "too many leftover folders"),
    ))
}

/// Puts `staging` at `target`. Returns where the replaced folder now is,
/// if there was one.
fn swap_in(staging: &Path, target: &Path, parent: &Path, name: &str) -> std::io::Result<Option<PathBuf>> {
    match fs::symlink_metadata(target) {
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
            fs::rename(staging, target)?;
            return Ok(None);
        }
        Err(error) => return Err(error),
        Ok(meta) if !meta.is_dir() => {
            return Err(std::io::Error::new(
                std::io::ErrorKind::AlreadyExists,
                "a file now stands where the folder goes",
            ))
        }
        Ok(_) => {}
    }
    if exchange(staging, target).is_ok() {
        return Ok(Some(staging.to_path_buf()));
    }
    // Without an atomic exchange: move the old folder aside, then the new
    // one in; the old one is put back if the second rename fails. A run
    // killed between the two leaves the old folder as a sibling, which the
    // next run puts back (see `clean_leftovers`).
    let aside = parent.join(format!(".{name}{SIBLING}old-{}", std::process::id()));
    fs::rename(target, &aside)?;
    if let Err(error) = fs::rename(staging, target) {
        let _ = fs::rename(&aside, target);
        return Err(error);
    }
    Ok(Some(aside))
}

/// Swaps two folders atomically.
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> std::io::Result<()> {
    use rustix::fs::{renameat_with, RenameFlags, CWD};
    renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE).map_err(std::io::Error::from)
}

/// Swaps two folders atomically (not available here: the caller falls back).
#[cfg(not(target_os = "linux"))]
fn exchange(_a: &Path, _b: &Path) -> std::io::Result<()> {
    Err(std::io::Error::new(std::io::ErrorKind::Unsupported, "no atomic exchange"))
}

/// Whether another process holds the marker of `folder` (a run building it).
fn in_use(folder: &Path) -> bool {
    match fs::File::open(folder.join(MARKER)) {
        Ok(file) => file.try_lock().is_err(),
        Err(_) => false,
    }
}

/// Removes the hidden siblings of `target` left by killed runs: those that
/// carry the marker and that no running process holds, and empty ones whose
/// run has ended or that are more than a minute old. Without `target`, a folder moved aside by the
/// fallback swap is put back first. Best effort: what cannot be removed stays.
fn clean_leftovers(parent: &Path, name: &str, target: &Path) {
    let Ok(entries) = fs::read_dir(parent) else { return };
    let prefix = format!(".{name}{SIBLING}");
    let mut leftovers: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_str().is_some_and(|n| n.starts_with(&prefix)))
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        .map(|e| e.path())
        .collect();
    leftovers.sort();
    if fs::symlink_metadata(target).is_err() {
        let old = format!("{prefix}old-");
        if let Some(aside) = leftovers.iter().position(|p| {
            p.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.starts_with(&old)) && marker_kind(p).is_some()
        }) {
            if fs::rename(&leftovers[aside], target).is_ok() {
                leftovers.remove(aside);
            }
        }
    }
    for folder in leftovers {
        if fs::symlink_metadata(folder.join(MARKER)).is_ok_and(|m| m.is_file()) {
            if !in_use(&folder) {
                remove_folder(&folder);
            }
        } else {
            let stale = fs::metadata(&folder)
                .and_then(|m| m.modified())
                .ok()
                .and_then(|t| t.elapsed().ok())
                .is_some_and(|age| age.as_secs() > 60);
            if stale || run_ended(&folder, &prefix) {
                // Fails, as it should, when the folder is not empty.
                let _ = fs::remove_dir(&folder);
            }
        }
    }
}

/// Whether the run that made the sibling `folder` (named
/// `<prefix><pid>-<n>`) has ended: on Linux, no process of that id is
/// running. Elsewhere, or when unsure, `false`: only age removes it then.
fn run_ended(folder: &Path, prefix: &str) -> bool {
    let Some(pid) = folder
        .file_name()
        .and_then(|n| n.to_str())
        .and_then(|n| n.strip_prefix(prefix))
        .and_then(|rest| rest.split('-').next())
        .and_then(|pid| pid.parse::<u32>().ok())
    else {
        return false;
    };
    cfg!(target_os = "linux")
        && Path::new("/proc/self").exists()
        && pid != std::process::id()
        && !Path::new("/proc").join(pid.to_string()).exists()
}

/// Removes a folder of ours, the marker last, so that a removal cut short
/// still leaves a folder the next run recognises as a leftover.
fn remove_folder(folder: &Path) {
    if let Ok(entries) = fs::read_dir(folder) {
        for entry in entries.filter_map(Result::ok) {
            if entry.file_name() == MARKER {
                continue;
            }
            let path = entry.path();
            let _ = match entry.file_type() {
                Ok(t) if t.is_dir() => fs::remove_dir_all(&path),
                _ => fs::remove_file(&path),
            };
        }
    }
    let _ = fs::remove_file(folder.join(MARKER));
    let _ = fs::remove_dir(folder);
}

/// Whether `path` is a folder on another file system than its parent
/// folder (a mount point): the new output is built beside it and swapped
/// in by renaming, which a mount point refuses (after the whole solve).
#[cfg(unix)]
fn is_mount_point(path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    let Some(parent) = path.parent() else { return false };
    match (fs::symlink_metadata(path), fs::metadata(parent)) {
        (Ok(own), Ok(up)) => own.is_dir() && own.dev() != up.dev(),
        _ => false,
    }
}

/// Mount points are not told apart on other systems.
#[cfg(not(unix))]
fn is_mount_point(_path: &Path) -> bool {
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relation_names_how_paths_overlap() {
        assert_eq!(relation(Path::new("/a/b"), Path::new("/a/b")), Some("is"));
        assert_eq!(relation(Path::new("/a/b/c"), Path::new("/a/b")), Some("lies inside"));
        assert_eq!(relation(Path::new("/a"), Path::new("/a/b")), Some("contains"));
        assert_eq!(relation(Path::new("/a/bc"), Path::new("/a/b")), None);
    }

    #[test]
    fn resolve_handles_a_missing_tail_with_parent_steps() {
        let dir = tempfile::tempdir().unwrap();
        let base = dir.path().canonicalize().unwrap();
        assert_eq!(resolve(&dir.path().join("new/../x")).unwrap(), base.join("x"));
        assert_eq!(resolve(&dir.path().join("new/more")).unwrap(), base.join("new/more"));
    }
}
