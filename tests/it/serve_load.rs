//! `rotaplan serve` under a bounded load on loopback (issue 16): one server
//! with `--jobs 2` and data/anze; at once, 50 concurrent page requests and 4
//! plans. Every page answers well-formed, every plan ends done, proven and
//! equal to the others, and the server's and each solver's peak memory stay
//! under the bounds of docs/serve.md ("Load"). No time is asserted; the
//! figures measured are printed (`--nocapture`) to be recorded.

use std::sync::{Barrier, Condvar, Mutex};
use std::time::Instant;

use crate::serve::support::{anze, assert_clean_error, folder_files, Reply, Server};

/// The page requests sent at once.
const PAGE_REQUESTS: usize = 50;
/// The plans submitted at once.
const PLANS: usize = 4;
/// The bound on the server's own peak memory (VmHWM), in KiB: about 4 times
/// the 24 MiB measured.
const SERVER_PEAK_BOUND_KB: u64 = 100 * 1024;
/// The bound on each solver's peak memory (`peak_rss_kb`), in MiB: about 4
/// times the 62 MiB measured.
const RUN_PEAK_BOUND_MB: u64 = 250;

/// The kinds of page asked for, in turn.
#[derive(Clone, Copy, Debug)]
enum Page {
    Home,
    County,
    Evaluation,
    Run,
    Status,
    Style,
    Script,
    Missing,
}

const PAGES: [Page; 8] =
    [Page::Home, Page::County, Page::Evaluation, Page::Run, Page::Status, Page::Style, Page::Script, Page::Missing];

/// The ids of the plans as their submissions come back, shared with the
/// page requests that ask for a run.
struct Submitted {
    ids: Mutex<Vec<i64>>,
    arrived: Condvar,
}

impl Submitted {
    fn push(&self, id: i64) {
        self.ids.lock().expect("lock").push(id);
        self.arrived.notify_all();
    }

    /// The first id submitted, waiting for it.
    fn first(&self) -> i64 {
        let ids = self.arrived.wait_while(self.ids.lock().expect("lock"), |ids| ids.is_empty()).expect("lock");
        ids[0]
    }
}

#[test]
fn fifty_pages_and_four_plans_at_once_all_answer_and_agree() {
    let dir = tempfile::tempdir().expect("tempdir");
    let workspace = dir.path().join("ws");
    let server = Server::start(&workspace, &["--jobs", "2"]);
    let dataset = server.import_ok("anze", &folder_files(&anze()));
    let submitted = Submitted { ids: Mutex::new(Vec::new()), arrived: Condvar::new() };
    let barrier = Barrier::new(PAGE_REQUESTS + PLANS);

    let began = Instant::now();
    let (burst, plans_done) = std::thread::scope(|scope| {
        let plans: Vec<_> = (0..PLANS)
            .map(|_| {
                scope.spawn(|| {
                    barrier.wait();
                    let run = server.plan(dataset, "600");
                    submitted.push(run);
                    run
                })
            })
            .collect();
        let pages: Vec<_> = (0..PAGE_REQUESTS)
            .map(|i| {
                let (server, barrier, submitted) = (&server, &barrier, &submitted);
                scope.spawn(move || {
                    barrier.wait();
                    let page = PAGES[i % PAGES.len()];
                    (page, ask(server, page, dataset, submitted))
                })
            })
            .collect();
        for page in pages {
            let (page, reply) = page.join().expect("a page request");
            check(&reply, page, &workspace);
        }
        let burst = began.elapsed();
        let runs: Vec<i64> = plans.into_iter().map(|p| p.join().expect("a plan's submission")).collect();
        for &run in &runs {
            assert_eq!(server.wait_over(run), "done", "run {run}: {}", server.get(&format!("/runs/{run}")).text());
        }
        (burst, runs)
    });
    let plans_elapsed = began.elapsed();
    let server_peak_kb = vm_hwm_kb(server.pid());

    let mut distinct = plans_done.clone();
    distinct.sort_unstable();
    distinct.dedup();
    assert_eq!(distinct.len(), PLANS, "each submission made its own run: {plans_done:?}");
    let county = server.get(&format!("/datasets/{dataset}")).text();
    for run in &plans_done {
        assert!(county.contains(&format!("href=\"/runs/{run}\"")), "the county page lists run {run}");
    }
    let first = server.download(plans_done[0], "rotations.csv");
    assert!(first.len() > 100, "a list of rotations");
    let mut run_peaks_mb = Vec::new();
    for &run in &plans_done {
        assert!(server.download(run, "rotations.csv") == first, "run {run} plans as run {}", plans_done[0]);
        let (proven, peak_mb) = solver_line(&server.get(&format!("/runs/{run}")).text());
        assert!(proven, "run {run} is proven optimal");
        run_peaks_mb.push(peak_mb);
    }

    eprintln!(
        "load: {PAGE_REQUESTS} page requests in {:.2} s; {PLANS} plans (--jobs 2) done in {:.1} s; \
         server peak (VmHWM) {} MB; runs' peaks {:?} MB",
        burst.as_secs_f64(),
        plans_elapsed.as_secs_f64(),
        server_peak_kb / 1024,
        run_peaks_mb,
    );
    assert!(server_peak_kb < SERVER_PEAK_BOUND_KB, "the server's peak memory {server_peak_kb} KiB");
    for peak in run_peaks_mb {
        assert!(peak < RUN_PEAK_BOUND_MB, "a solver's peak memory {peak} MiB");
    }
}

/// Asks for one page.
fn ask(server: &Server, page: Page, dataset: i64, submitted: &Submitted) -> Reply {
    match page {
        Page::Home => server.get("/"),
        Page::County => server.get(&format!("/datasets/{dataset}")),
        Page::Evaluation => server.get(&format!("/datasets/{dataset}/report.html")),
        Page::Run => server.get(&format!("/runs/{}", submitted.first())),
        Page::Status => server.get(&format!("/runs/{}/status.json", submitted.first())),
        Page::Style => server.get("/assets/style.css"),
        Page::Script => server.get("/assets/app.js"),
        Page::Missing => server.get("/runs/999999"),
    }
}

/// Fails unless the answer is the page asked for, whole.
fn check(reply: &Reply, page: Page, workspace: &std::path::Path) {
    let kind = reply.header("content-type").unwrap_or_default().to_string();
    match page {
        Page::Missing => {
            assert_eq!(reply.status, 404, "{page:?}: {}", reply.text());
            assert_clean_error(reply, workspace);
            assert_html(reply, page);
        }
        Page::Status => {
            assert_eq!(reply.status, 200, "{page:?}: {}", reply.text());
            assert!(kind.starts_with("application/json"), "{page:?}: {kind}");
            let value: serde_json::Value = serde_json::from_slice(&reply.body).expect("status.json is JSON");
            let status = value["status"].as_str().expect("a status");
            assert!(["queued", "running", "done"].contains(&status), "{status}");
            assert!(value["rows"].is_string(), "{value}");
        }
        Page::Style | Page::Script => {
            assert_eq!(reply.status, 200, "{page:?}");
            let (name, wanted) =
                if matches!(page, Page::Style) { ("style.css", "text/css") } else { ("app.js", "text/javascript") };
            assert!(kind.starts_with(wanted), "{page:?}: {kind}");
            let file = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/serve/assets").join(name);
            assert!(reply.body == std::fs::read(file).expect("the asset"), "{name} is served whole");
        }
        _ => {
            assert_eq!(reply.status, 200, "{page:?}: {}", reply.text());
            assert_html(reply, page);
        }
    }
}

/// Fails unless the body is a whole HTML page: its doctype, its end, and
/// the block elements closed as often as opened.
fn assert_html(reply: &Reply, page: Page) {
    let kind = reply.header("content-type").unwrap_or_default();
    assert!(kind.starts_with("text/html"), "{page:?}: {kind}");
    let text = reply.text();
    assert!(text.starts_with("<!DOCTYPE html>"), "{page:?}: {text}");
    assert!(text.trim_end().ends_with("</html>"), "{page:?} is cut short: {text}");
    for tag in ["html", "head", "body", "table", "section", "form", "div", "p", "pre"] {
        let opened = text.matches(&format!("<{tag}>")).count() + text.matches(&format!("<{tag} ")).count();
        let closed = text.matches(&format!("</{tag}>")).count();
        assert_eq!(opened, closed, "{page:?}: <{tag}> opened {opened} times, closed {closed}: {text}");
    }
}

/// The run page's `#proven` line: whether proven optimal, and the solver's
/// peak memory in MiB.
fn solver_line(page: &str) -> (bool, u64) {
    let start = page.find("id=\"proven\"").unwrap_or_else(|| panic!("no #proven line: {page}"));
    let line = &page[start..start + page[start..].find("</p>").expect("the line ends")];
    let proven = line.contains("data-optimal=\"true\"");
    let memory = line.split("内存峰值 ").nth(1).unwrap_or_else(|| panic!("no peak memory in {line}"));
    let mb = memory.split(' ').next().and_then(|n| n.parse().ok()).unwrap_or_else(|| panic!("{line}"));
    (proven, mb)
}

/// The peak resident memory (VmHWM) of a process, in KiB.
fn vm_hwm_kb(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).expect("the server's /proc status");
    let line = status.lines().find(|l| l.starts_with("VmHWM:")).expect("a VmHWM line");
    line.split_whitespace().nth(1).and_then(|n| n.parse().ok()).expect("VmHWM in kB")
}
