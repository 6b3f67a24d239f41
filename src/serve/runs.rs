//! Solves in the background: each run is a child process of this same
//! binary (`rotaplan plan`, `replan`, `whatif`) on files the server writes
//! under `WORKSPACE/runs/<id>/` with names it chooses, so a plan made in a
//! page is the command line's plan byte for byte. At most `slots` children
//! run at once and at most `max_waiting` runs wait or run; the progress is
//! read from `--progress-format json` lines on the child's stderr; cancel
//! kills the child at once.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use serde_json::{json, Value};
use tokio::io::AsyncBufReadExt;
use tokio::sync::{Notify, Semaphore};

use crate::serve::store::{RunEnd, RunStatus, Store};

/// The file names a data folder may hold; a data set's files are written
/// under these names only (matched case-insensitively), whatever they were
/// called when uploaded.
pub const DATA_FILES: [&str; 10] = [
    "schools.csv",
    "teachers.csv",
    "policy.toml",
    "locks.csv",
    "roads.csv",
    "staffing.csv",
    "exchanges.csv",
    "applications.csv",
    "family.csv",
    "classes.csv",
];

/// Most stderr lines kept from one run besides progress events.
const MAX_MESSAGE_LINES: usize = 400;
/// Most progress events kept from one run.
const MAX_EVENTS: usize = 2000;
/// Seconds a child may run beyond its own time limit before it is killed.
const GRACE_SECONDS: f64 = 120.0;

/// What one run solves.
#[derive(Clone, Debug)]
pub enum JobKind {
    /// `rotaplan plan`.
    Plan,
    /// `rotaplan replan`: the published list and the changes file, as CSV.
    Replan {
        /// The published list (rotations.csv).
        published: Vec<u8>,
        /// The changes file (changes.csv).
        changes: Vec<u8>,
    },
    /// `rotaplan advance`: next year's data from the accepted list; the
    /// data folder it writes becomes a new data set named `next_name`.
    Advance {
        /// The accepted list (rotations.csv).
        plan: Vec<u8>,
        /// A re-plan's changes (its requested_changes.csv): who left, who refused.
        changes: Option<Vec<u8>>,
        /// The new data set's county name.
        next_name: String,
    },
    /// `rotaplan whatif`: each scenario's TOML without its `data` key.
    Whatif {
        /// The scenarios' TOML texts.
        scenarios: Vec<String>,
    },
}

/// One run to solve.
#[derive(Clone, Debug)]
pub struct Job {
    /// The run it belongs to.
    pub run_id: i64,
    /// What it solves.
    pub kind: JobKind,
    /// "zh" or "en": the language of the run's files and progress.
    pub lang: String,
    /// Seconds for the whole run.
    pub time_limit: f64,
    /// The data set's files (a workbook, or CSV/TOML files).
    pub data: Vec<(String, Vec<u8>)>,
}

/// Too many runs already wait or run.
#[derive(Debug)]
pub struct Busy;

struct Control {
    cancelled: AtomicBool,
    notify: Notify,
}

/// The bounded pool of solver processes.
pub struct Runs {
    slots: Arc<Semaphore>,
    waiting: AtomicUsize,
    max_waiting: usize,
    controls: Mutex<HashMap<i64, Arc<Control>>>,
    exe: PathBuf,
    scratch: PathBuf,
}

impl Runs {
    /// A pool running at most `slots` solver processes of `exe` at once,
    /// with their files under `scratch`.
    pub fn new(exe: PathBuf, scratch: PathBuf, slots: usize, max_waiting: usize) -> Runs {
        Runs {
            slots: Arc::new(Semaphore::new(slots.max(1))),
            waiting: AtomicUsize::new(0),
            max_waiting: max_waiting.max(1),
            controls: Mutex::new(HashMap::new()),
            exe,
            scratch,
        }
    }

    /// Queues a job; `Busy` when the pool is full.
    pub fn submit(self: &Arc<Self>, store: Arc<Store>, job: Job) -> Result<(), Busy> {
        let before = self.waiting.fetch_add(1, Ordering::SeqCst);
        if before >= self.max_waiting {
            self.waiting.fetch_sub(1, Ordering::SeqCst);
            return Err(Busy);
        }
        let control = Arc::new(Control { cancelled: AtomicBool::new(false), notify: Notify::new() });
        self.controls_lock().insert(job.run_id, control.clone());
        let runs = Arc::clone(self);
        tokio::spawn(async move {
            let run_id = job.run_id;
            let end = runs.run_job(Arc::clone(&store), job, &control).await;
            if let Err(error) = store.finish_run(run_id, &end.0, &end.1) {
                eprintln!("rotaplan serve: run {run_id}: {error}");
            }
            runs.controls_lock().remove(&run_id);
            runs.waiting.fetch_sub(1, Ordering::SeqCst);
            let _ = std::fs::remove_dir_all(runs.scratch.join(run_id.to_string()));
        });
        Ok(())
    }

    fn controls_lock(&self) -> std::sync::MutexGuard<'_, HashMap<i64, Arc<Control>>> {
        self.controls.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Cancels a queued or running run; false when it is not in the pool.
    pub fn cancel(&self, run_id: i64) -> bool {
        match self.controls_lock().get(&run_id) {
            Some(control) => {
                control.cancelled.store(true, Ordering::SeqCst);
                control.notify.notify_one();
                true
            }
            None => false,
        }
    }

    /// Runs waiting or running now.
    pub fn load(&self) -> usize {
        self.waiting.load(Ordering::SeqCst)
    }

    async fn run_job(&self, store: Arc<Store>, job: Job, control: &Control) -> (RunEnd, Vec<(String, Vec<u8>)>) {
        let cancelled = |progress: Value| RunEnd {
            status: RunStatus::Cancelled,
            exit_code: None,
            message: String::new(),
            peak_rss_kb: None,
            progress,
        };
        let permit = tokio::select! {
            permit = self.slots.clone().acquire_owned() => permit,
            _ = control.notify.notified() => return (cancelled(json!([])), Vec::new()),
        };
        let Ok(_permit) = permit else { return (failed("the solver pool is closed".into()), Vec::new()) };
        if control.cancelled.load(Ordering::SeqCst) {
            return (cancelled(json!([])), Vec::new());
        }
        let _ = store.start_run(job.run_id);
        let dir = self.scratch.join(job.run_id.to_string());
        let args = match prepare(&dir, &job) {
            Ok(args) => args,
            Err(error) => return (failed(format!("preparing the run's files: {error}")), Vec::new()),
        };
        let mut command = tokio::process::Command::new(&self.exe);
        command
            .args(["--lang", &job.lang, "--progress-format", "json"])
            .args(&args)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .kill_on_drop(true);
        if !matches!(job.kind, JobKind::Advance { .. }) {
            command.arg("--time-limit").arg(format!("{}", job.time_limit));
        }
        let mut child = match command.spawn() {
            Ok(child) => child,
            Err(error) => return (failed(format!("starting the solver: {error}")), Vec::new()),
        };
        if let Some(pid) = child.id() {
            // Read by `stop_leftovers` when a killed server is restarted.
            let _ = std::fs::write(dir.join(PID_FILE), pid.to_string());
        }
        let stderr = child.stderr.take();
        let reader = tokio::spawn(read_stderr(stderr, job.run_id, Arc::clone(&store)));
        let guard = std::time::Duration::from_secs_f64(job.time_limit + GRACE_SECONDS);
        let outcome = tokio::select! {
            status = child.wait() => status.ok().and_then(|s| s.code()),
            _ = control.notify.notified() => { let _ = child.kill().await; None }
            _ = tokio::time::sleep(guard) => { let _ = child.kill().await; Some(1) }
        };
        let mut said = reader.await.unwrap_or_default();
        // The run's files are the server's business, not the page's.
        said.message = said.message.replace(&format!("{}{}", dir.display(), std::path::MAIN_SEPARATOR), "");
        if control.cancelled.load(Ordering::SeqCst) && outcome.is_none() {
            return (cancelled(said.progress), Vec::new());
        }
        let files = read_outputs(&dir.join("out"));
        if let (Some(0), JobKind::Advance { next_name, .. }) = (outcome, &job.kind) {
            if let Err(error) = next_year_dataset(&store, job.run_id, next_name, &dir.join("out")) {
                return (failed(format!("keeping next year's data: {error}")), files);
            }
        }
        let status = match outcome {
            Some(0) => RunStatus::Done,
            Some(3) => RunStatus::Infeasible,
            _ => RunStatus::Failed,
        };
        let end = RunEnd {
            status,
            exit_code: outcome.map(i64::from),
            message: said.message,
            peak_rss_kb: said.peak_rss_kb,
            progress: said.progress,
        };
        (end, files)
    }
}

/// Keeps the data folder an `advance` run wrote as a new data set.
fn next_year_dataset(store: &Store, run_id: i64, name: &str, out: &Path) -> Result<(), crate::error::Error> {
    let loaded = crate::io::load(out, None)?;
    let mut files = Vec::new();
    for known in DATA_FILES {
        if let Ok(bytes) = std::fs::read(out.join(known)) {
            files.push((known.to_string(), bytes));
        }
    }
    let dataset = crate::serve::store::Dataset {
        id: 0,
        county: name.to_string(),
        created: 0,
        source: "advance".into(),
        note: String::new(),
        schools: loaded.county.schools.len() as i64,
        teachers: loaded.county.teachers.len() as i64,
    };
    let id = store.add_dataset(&dataset, &files)?;
    store.set_result_dataset(run_id, id)
}

fn failed(message: String) -> RunEnd {
    RunEnd { status: RunStatus::Failed, exit_code: None, message, peak_rss_kb: None, progress: json!([]) }
}

/// What a child said on stderr.
#[derive(Default)]
struct Said {
    progress: Value,
    message: String,
    peak_rss_kb: Option<i64>,
}

/// Reads the child's stderr to its end: progress events are saved as they
/// come, the `finished` line gives the peak memory, other lines are kept
/// as the run's message (input problems, errors).
async fn read_stderr(stderr: Option<tokio::process::ChildStderr>, run_id: i64, store: Arc<Store>) -> Said {
    let mut said = Said { progress: json!([]), ..Said::default() };
    let Some(stderr) = stderr else { return said };
    let mut lines = tokio::io::BufReader::new(stderr).lines();
    let mut events: Vec<Value> = Vec::new();
    let mut message: Vec<String> = Vec::new();
    while let Ok(Some(line)) = lines.next_line().await {
        match serde_json::from_str::<Value>(&line) {
            Ok(event) if event.get("event").is_some() => {
                if event["event"] == "finished" {
                    said.peak_rss_kb = event["peak_rss_kb"].as_i64();
                    continue;
                }
                if event["event"] == "warning" {
                    if message.len() < MAX_MESSAGE_LINES {
                        message.push(event["text"].as_str().unwrap_or_default().to_string());
                    }
                    continue;
                }
                if events.len() < MAX_EVENTS {
                    events.push(event);
                    let _ = store.set_progress(run_id, &Value::Array(events.clone()));
                }
            }
            // "→ out/diagnosis.json": where the command line wrote a file,
            // a path of the server's, not for the page.
            _ if line.starts_with('→') => {}
            _ => {
                if message.len() < MAX_MESSAGE_LINES {
                    message.push(line);
                }
            }
        }
    }
    said.progress = Value::Array(events);
    said.message = message.join("\n");
    said
}

/// Writes a job's files under `dir` and returns the command's arguments
/// (without the global ones and the time limit).
fn prepare(dir: &Path, job: &Job) -> std::io::Result<Vec<String>> {
    if dir.exists() {
        std::fs::remove_dir_all(dir)?;
    }
    let data_dir = dir.join("data");
    std::fs::create_dir_all(&data_dir)?;
    let data = write_data(&data_dir, &job.data)?;
    let data = data.to_string_lossy().into_owned();
    let out = dir.join("out").to_string_lossy().into_owned();
    let mut args = Vec::new();
    match &job.kind {
        JobKind::Plan => args.extend(["plan".to_string(), data, "-o".into(), out]),
        JobKind::Replan { published, changes } => {
            let published_path = dir.join("published.csv");
            let changes_path = dir.join("changes.csv");
            std::fs::write(&published_path, published)?;
            std::fs::write(&changes_path, changes)?;
            args.extend(["replan".to_string(), data, "--published".into()]);
            args.push(published_path.to_string_lossy().into_owned());
            args.push("--changes".into());
            args.push(changes_path.to_string_lossy().into_owned());
            args.extend(["-o".to_string(), out]);
        }
        JobKind::Advance { plan, changes, .. } => {
            let list = dir.join("rotations.csv");
            std::fs::write(&list, plan)?;
            args.extend(["advance".to_string(), data, list.to_string_lossy().into_owned(), "-o".into(), out]);
            if let Some(changes) = changes {
                let path = dir.join("requested_changes.csv");
                std::fs::write(&path, changes)?;
                args.extend(["--changes".to_string(), path.to_string_lossy().into_owned()]);
            }
        }
        JobKind::Whatif { scenarios } => {
            let folder = dir.join("scenarios");
            std::fs::create_dir_all(&folder)?;
            args.push("whatif".into());
            let data_ref = toml::Value::String(format!("../data{}", data_name(&job.data)));
            for (i, body) in scenarios.iter().enumerate() {
                let path = folder.join(format!("s{:02}.toml", i + 1));
                std::fs::write(&path, format!("data = {data_ref}\n{body}"))?;
                args.push(path.to_string_lossy().into_owned());
            }
            args.extend(["-o".to_string(), out]);
        }
    }
    Ok(args)
}

/// The name a data set is written under inside `data/`: `county.xlsx` for a
/// workbook, nothing (the folder itself) for CSV files.
pub fn data_name(files: &[(String, Vec<u8>)]) -> &'static str {
    if is_workbook(files) {
        "/county.xlsx"
    } else {
        ""
    }
}

fn is_workbook(files: &[(String, Vec<u8>)]) -> bool {
    files.len() == 1 && files[0].0.to_ascii_lowercase().ends_with(".xlsx")
}

/// Writes a data set under `dir` with the server's own names; the path to
/// pass as DATA.
pub fn write_data(dir: &Path, files: &[(String, Vec<u8>)]) -> std::io::Result<PathBuf> {
    if is_workbook(files) {
        let path = dir.join("county.xlsx");
        std::fs::write(&path, &files[0].1)?;
        return Ok(path);
    }
    for (name, bytes) in files {
        let base = name.rsplit(['/', '\\']).next().unwrap_or_default();
        if let Some(known) = DATA_FILES.iter().find(|k| k.eq_ignore_ascii_case(base)) {
            std::fs::write(dir.join(known), bytes)?;
        }
    }
    Ok(dir.to_path_buf())
}

/// The file in a run's folder that names its solver process.
const PID_FILE: &str = "pid";

/// Stops the solver processes a killed server left running: each one named
/// by a `pid` file under `scratch` that is still a rotaplan solve writing
/// into that run's folder. (A server stopped by Ctrl+C kills its children
/// itself; a killed one cannot.)
pub fn stop_leftovers(scratch: &Path) {
    let Ok(entries) = std::fs::read_dir(scratch) else { return };
    for entry in entries.flatten() {
        let Ok(text) = std::fs::read_to_string(entry.path().join(PID_FILE)) else { continue };
        let Ok(pid) = text.trim().parse::<i32>() else { continue };
        let sep = std::path::MAIN_SEPARATOR;
        let out = format!("{sep}{}{sep}out", entry.file_name().to_string_lossy());
        if is_solver_of(pid, &out) {
            kill(pid);
        }
    }
}

/// Whether process `pid` is a rotaplan solve writing to a folder ending in
/// `out` (`/<run id>/out`).
fn is_solver_of(pid: i32, out: &str) -> bool {
    let Ok(cmdline) = std::fs::read(format!("/proc/{pid}/cmdline")) else { return false };
    let args: Vec<String> = cmdline.split(|b| *b == 0).map(|a| String::from_utf8_lossy(a).into_owned()).collect();
    args.iter().any(|a| a == "--progress-format") && args.windows(2).any(|w| w[0] == "-o" && w[1].ends_with(out))
}

#[cfg(target_os = "linux")]
fn kill(pid: i32) {
    if let Some(pid) = rustix::process::Pid::from_raw(pid) {
        let _ = rustix::process::kill_process(pid, rustix::process::Signal::KILL);
    }
}

#[cfg(not(target_os = "linux"))]
fn kill(_pid: i32) {}

/// Most output files read back from one run, and most bytes in all.
const MAX_OUTPUT_FILES: usize = 400;
const MAX_OUTPUT_BYTES: u64 = 512 * 1024 * 1024;

/// The files a run wrote, by their path under `out` ("a/b.csv").
fn read_outputs(out: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files = Vec::new();
    let mut total = 0u64;
    let mut stack = vec![(out.to_path_buf(), String::new())];
    while let Some((dir, prefix)) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else { continue };
        let mut entries: Vec<_> = entries.flatten().collect();
        entries.sort_by_key(|e| e.file_name());
        for entry in entries {
            let name = format!("{prefix}{}", entry.file_name().to_string_lossy());
            let Ok(kind) = entry.file_type() else { continue };
            if kind.is_dir() {
                stack.push((entry.path(), format!("{name}/")));
            } else if kind.is_file() && files.len() < MAX_OUTPUT_FILES && !name.starts_with('.') {
                let size = entry.metadata().map_or(0, |m| m.len());
                if total + size > MAX_OUTPUT_BYTES {
                    continue;
                }
                if let Ok(bytes) = std::fs::read(entry.path()) {
                    total += size;
                    files.push((name, bytes));
                }
            }
        }
    }
    files.sort();
    files
}

/// Makes this process, a solve started by the server, end when the server
/// ends (killed or not), so no solve outlives it. Called by the command line
/// when it reports progress as JSON for the server.
pub fn end_with_server() {
    #[cfg(target_os = "linux")]
    let _ = rustix::process::set_parent_process_death_signal(Some(rustix::process::Signal::KILL));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn advance_job(changes: Option<Vec<u8>>) -> Job {
        Job {
            run_id: 1,
            kind: JobKind::Advance { plan: b"teacher_id,to_school\n".to_vec(), changes, next_name: "next".into() },
            lang: "zh".into(),
            time_limit: 60.0,
            data: vec![("schools.csv".into(), b"school_id\n".to_vec())],
        }
    }

    #[test]
    fn an_advance_of_a_replanned_list_gives_its_changes_file() {
        let dir = tempfile::tempdir().unwrap();
        let with = dir.path().join("with");
        let changes = b"teacher_id,action,school_id,note\nT1,leave,,\n".to_vec();
        let args = prepare(&with, &advance_job(Some(changes.clone()))).unwrap();
        let at = args.iter().position(|a| a == "--changes").expect("--changes given");
        assert_eq!(std::fs::read(&args[at + 1]).unwrap(), changes);
        assert_eq!(args[0], "advance");
        let args = prepare(&dir.path().join("without"), &advance_job(None)).unwrap();
        assert!(!args.iter().any(|a| a == "--changes"), "{args:?}");
    }
}
