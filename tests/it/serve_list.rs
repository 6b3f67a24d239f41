//! `rotaplan serve`'s rotation list over plain HTTP against the server
//! binary: edits guarded by the list's revision, the changes file built from
//! the edits (read back by `read_changes`), a re-plan from the page that is
//! the command line's re-plan byte for byte, and publications on /versions.
//! Each test fills a workspace with data/anze and its plan (made once by the
//! command line) through the store, then starts the server on it.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use rotaplan::io::{load, read_changes, Change, ChangeAction};
use rotaplan::render::Lang;
use rotaplan::serve::pages::list::{changes_csv, Wanted};
use rotaplan::serve::store::{Dataset, RunEnd, RunStatus, Store};
use serde_json::json;

fn rotaplan() -> Command {
    Command::new(env!("CARGO_BIN_EXE_rotaplan"))
}

/// data/anze's files, as an import stores them.
fn anze_files() -> Vec<(String, Vec<u8>)> {
    ["applications.csv", "exchanges.csv", "family.csv", "policy.toml", "schools.csv", "teachers.csv"]
        .iter()
        .map(|name| (name.to_string(), std::fs::read(Path::new("data/anze").join(name)).expect("data/anze file")))
        .collect()
}

/// The files of `rotaplan plan data/anze` (Chinese), made once.
fn anze_plan() -> &'static Vec<(String, Vec<u8>)> {
    static PLAN: OnceLock<Vec<(String, Vec<u8>)>> = OnceLock::new();
    PLAN.get_or_init(|| {
        let dir = tempfile::tempdir().expect("temp dir");
        let out = dir.path().join("plan");
        let status = rotaplan().args(["plan", "data/anze", "-q", "-o"]).arg(&out).status().expect("run plan");
        assert!(status.success());
        ["rotations.csv", "summary.json", "schools.csv"]
            .iter()
            .map(|name| (name.to_string(), std::fs::read(out.join(name)).expect("plan file")))
            .collect()
    })
}

fn plan_file(name: &str) -> &'static [u8] {
    &anze_plan().iter().find(|(n, _)| n == name).expect("plan file").1
}

/// A server on a workspace holding data/anze (data set 1) and its plan (run 1).
struct Server {
    child: Child,
    port: u16,
    csrf: String,
    _workspace: tempfile::TempDir,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn server() -> Server {
    let workspace = tempfile::tempdir().expect("workspace");
    {
        let store = Store::open(workspace.path()).expect("store");
        let dataset = Dataset {
            id: 0,
            county: "anze".into(),
            created: 0,
            source: "csv".into(),
            note: String::new(),
            schools: 20,
            teachers: 868,
        };
        let dataset_id = store.add_dataset(&dataset, &anze_files()).expect("add data set");
        let run = store.add_run(dataset_id, "plan", None, &json!({"time_limit": 600.0, "lang": "zh"})).expect("run");
        store.start_run(run).expect("start");
        let end = RunEnd {
            status: RunStatus::Done,
            exit_code: Some(0),
            message: String::new(),
            peak_rss_kb: None,
            progress: json!([]),
        };
        store.finish_run(run, &end, anze_plan()).expect("finish");
        assert_eq!((dataset_id, run), (1, 1));
    }
    let mut child = rotaplan()
        .args(["serve", "--port", "0"])
        .arg(workspace.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start the server");
    let mut line = String::new();
    BufReader::new(child.stdout.take().expect("stdout")).read_line(&mut line).expect("first line");
    let port = line
        .split("http://127.0.0.1:")
        .nth(1)
        .and_then(|rest| rest.split('/').next())
        .and_then(|p| p.parse().ok())
        .unwrap_or_else(|| panic!("no address in {line:?}"));
    let mut server = Server { child, port, csrf: String::new(), _workspace: workspace };
    let (_, home) = server.get("/");
    let at = home.find("csrf=").expect("a form with the token") + 5;
    server.csrf = home[at..at + 32].to_string();
    server
}

impl Server {
    /// One HTTP/1.0 request: the status and the body.
    fn request(&self, method: &str, path: &str, form: &str) -> (u16, String) {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).expect("connect");
        let head = format!(
            "{method} {path} HTTP/1.0\r\nHost: 127.0.0.1:{}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n",
            self.port,
            form.len()
        );
        stream.write_all(head.as_bytes()).expect("send");
        stream.write_all(form.as_bytes()).expect("send");
        let mut answer = Vec::new();
        stream.read_to_end(&mut answer).expect("read");
        let text = String::from_utf8_lossy(&answer).into_owned();
        let status = text.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
        let body = text.split_once("\r\n\r\n").map_or(String::new(), |(_, b)| b.to_string());
        (status, body)
    }

    fn get(&self, path: &str) -> (u16, String) {
        self.request("GET", path, "")
    }

    fn post(&self, path: &str, form: &str) -> (u16, String) {
        self.request("POST", &format!("{path}?csrf={}", self.csrf), form)
    }

    /// The bytes of a run's output file.
    fn file(&self, run: i64, name: &str) -> Vec<u8> {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).expect("connect");
        let head = format!("GET /runs/{run}/file?name={name} HTTP/1.0\r\nHost: 127.0.0.1:{}\r\n\r\n", self.port);
        stream.write_all(head.as_bytes()).expect("send");
        let mut answer = Vec::new();
        stream.read_to_end(&mut answer).expect("read");
        let at = answer.windows(4).position(|w| w == b"\r\n\r\n").expect("head") + 4;
        assert!(answer.starts_with(b"HTTP/1.0 200") || answer.starts_with(b"HTTP/1.1 200"), "no file {name}");
        answer[at..].to_vec()
    }

    /// Waits until a run is over; its status id.
    fn wait(&self, run: i64) -> String {
        // Generous: a re-plan of data/anze takes seconds; this holds on a machine far slower.
        let deadline = Instant::now() + Duration::from_secs(1200);
        loop {
            let (_, body) = self.get(&format!("/runs/{run}/status.json"));
            let status: serde_json::Value = serde_json::from_str(&body).expect("status.json");
            if status["over"] == true {
                return status["status"].as_str().unwrap_or("").to_string();
            }
            assert!(Instant::now() < deadline, "run {run} did not end");
            std::thread::sleep(Duration::from_millis(300));
        }
    }
}

/// The part of a page from the element with `id` to the end of its section.
fn section<'a>(page: &'a str, id: &str) -> &'a str {
    let start = page.find(&format!("id=\"{id}\"")).unwrap_or_else(|| panic!("no #{id}"));
    let rest = &page[start..];
    &rest[..rest.find("</section>").unwrap_or(rest.len())]
}

/// Teachers moved by the CLI plan of data/anze, in list order.
fn movers() -> Vec<String> {
    let text = String::from_utf8_lossy(plan_file("rotations.csv")).trim_start_matches('\u{feff}').to_string();
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    reader.records().map(|r| r.expect("row")[0].to_string()).collect()
}

#[test]
fn the_list_shows_every_mover_with_an_action_form_and_the_forms() {
    let server = server();
    let (status, page) = server.get("/runs/1");
    assert_eq!(status, 200);
    let table = section(&page, "rotations");
    for id in movers() {
        assert!(table.contains(&format!("<tr data-teacher=\"{id}\"")), "{id} is not on the list");
    }
    // Every rotation row has its form; a due return is the register's.
    let text = String::from_utf8_lossy(plan_file("rotations.csv")).trim_start_matches('\u{feff}').to_string();
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let kind = reader.headers().unwrap().iter().position(|h| h == "kind").unwrap();
    let kinds: Vec<String> = reader.records().map(|r| r.unwrap()[kind].to_string()).collect();
    let rotations = kinds.iter().filter(|k| *k == "rotation").count();
    assert!(rotations < kinds.len(), "data/anze's plan has returns");
    assert_eq!(table.matches("class=\"action-form\"").count(), rotations);
    assert_eq!(table.matches("由交流记录（exchanges.csv）决定").count(), kinds.len() - rotations);
    for id in ["edits", "replan-button", "publish-button", "list-filter", "any-teacher"] {
        assert!(page.contains(&format!("id=\"{id}\"")), "no #{id}");
    }
}

#[test]
fn an_edit_with_a_stale_revision_is_refused_and_nothing_is_lost() {
    let server = server();
    let movers = movers();
    let (first, second) = (&movers[0], &movers[1]);
    let (status, _) = server.post("/runs/1/edits", &format!("teacher_id={first}&action=refuse&school=&revision=0"));
    assert_eq!(status, 303);
    // A second tab still at revision 0.
    let (status, page) = server.post("/runs/1/edits", &format!("teacher_id={second}&action=stay&school=&revision=0"));
    assert_eq!(status, 409);
    assert!(page.contains("id=\"reload-list\""), "the page says to reload");
    let (_, list) = server.get("/runs/1");
    let edits = section(&list, "edits");
    assert!(edits.contains(&format!("data-teacher=\"{first}\"")), "the first edit is kept");
    assert!(!edits.contains(&format!("data-teacher=\"{second}\"")), "the stale edit is not saved");
    assert!(edits.contains("data-revision=\"1\""));
    // Reloaded, the same edit goes through; removing with a stale revision fails too.
    let (status, _) = server.post("/runs/1/edits", &format!("teacher_id={second}&action=stay&school=&revision=1"));
    assert_eq!(status, 303);
    let (status, _) = server.post("/runs/1/edits/1/remove", "revision=1");
    assert_eq!(status, 409);
    let (_, list) = server.get("/runs/1");
    let edits = section(&list, "edits");
    assert!(
        edits.contains(&format!("data-teacher=\"{first}\"")) && edits.contains(&format!("data-teacher=\"{second}\""))
    );
    let (status, _) = server.post("/runs/1/edits/1/remove", "revision=2");
    assert_eq!(status, 303);
    let (_, list) = server.get("/runs/1");
    assert!(!section(&list, "edits").contains(&format!("data-teacher=\"{first}\"")));
}

#[test]
fn an_edit_naming_an_unknown_teacher_or_school_is_a_clear_page() {
    let server = server();
    let (status, page) = server.post("/runs/1/edits", "teacher_id=T9999&action=stay&school=&revision=0");
    assert_eq!(status, 400);
    assert!(page.contains("T9999") && page.contains("id=\"error-message\""));
    let mover = &movers()[0];
    let (status, page) =
        server.post("/runs/1/edits", &format!("teacher_id={mover}&action=forbid&school=NOWHERE&revision=0"));
    assert_eq!(status, 400);
    assert!(page.contains("NOWHERE"));
    let (status, _) = server.post("/runs/1/edits", &format!("teacher_id={mover}&action=fly&school=&revision=0"));
    assert_eq!(status, 400);
    // Two edits that contradict each other: the second is refused with why.
    let (status, _) = server.post("/runs/1/edits", &format!("teacher_id={mover}&action=stay&school=&revision=0"));
    assert_eq!(status, 303);
    let (status, page) = server.post("/runs/1/edits", &format!("teacher_id={mover}&action=move&school=&revision=1"));
    assert_eq!(status, 422);
    assert!(page.contains("id=\"problems\""));
    let (_, list) = server.get("/runs/1");
    assert_eq!(section(&list, "edits").matches("<tr data-teacher=").count(), 1, "nothing else was saved");
}

fn wanted(teacher: &str, action: &str, school: &str) -> Wanted {
    Wanted { teacher_id: teacher.into(), action: action.into(), school: school.into() }
}

#[test]
fn the_edits_changes_file_reads_back_with_read_changes() {
    let county = load(Path::new("data/anze"), None).expect("data/anze").county;
    let movers = movers();
    let rows = String::from_utf8_lossy(plan_file("rotations.csv")).to_string();
    let to_of = |id: &str| {
        rows.lines().find(|l| l.starts_with(&format!("{id},"))).expect("row").split(',').nth(5).unwrap().to_string()
    };
    let edits = vec![
        wanted(&movers[0], "refuse", ""),
        wanted(&movers[1], "move", ""),
        wanted(&movers[2], "move_to", &to_of(&movers[2])),
        wanted(&movers[3], "forbid", &to_of(&movers[3])),
        wanted("T0001", "leave", ""),
        wanted(&movers[4], "stay", ""),
    ];
    for (lang, refused, left) in [(Lang::Zh, "拒绝交流", "离岗"), (Lang::En, "refused to move", "left")] {
        let dir = tempfile::tempdir().expect("temp");
        let path = dir.path().join("changes.csv");
        std::fs::write(&path, changes_csv(&edits, lang)).expect("write");
        let read = read_changes(&path, &county).expect("the changes file reads");
        let change = |id: &str, action, school: Option<String>, note: &str| Change {
            teacher_id: id.to_string(),
            action,
            school_id: school,
            note: note.to_string(),
        };
        use rotaplan::domain::LockAction;
        let expected = vec![
            change(&movers[0], ChangeAction::Lock(LockAction::Stay), None, refused),
            change(&movers[1], ChangeAction::Lock(LockAction::Move), None, ""),
            change(&movers[2], ChangeAction::Lock(LockAction::MoveTo), Some(to_of(&movers[2])), ""),
            change(&movers[3], ChangeAction::Lock(LockAction::Forbid), Some(to_of(&movers[3])), ""),
            change("T0001", ChangeAction::Leave, None, left),
            change(&movers[4], ChangeAction::Lock(LockAction::Stay), None, ""),
        ];
        assert_eq!(read, expected);
    }
}

#[test]
fn a_replan_from_the_page_is_the_command_lines_replan_byte_for_byte() {
    let server = server();
    let refused = &movers()[0];
    let (status, _) = server.post("/runs/1/edits", &format!("teacher_id={refused}&action=refuse&school=&revision=0"));
    assert_eq!(status, 303);
    let (status, _) = server.post("/runs/1/replan", "revision=1&time_limit=600");
    assert_eq!(status, 303);
    assert_eq!(server.wait(2), "done");
    let dir = tempfile::tempdir().expect("temp");
    let published = dir.path().join("published.csv");
    let changes = dir.path().join("changes.csv");
    std::fs::write(&published, plan_file("rotations.csv")).expect("write");
    std::fs::write(&changes, format!("teacher_id,action,school_id,note\n{refused},stay,,拒绝交流\n")).expect("write");
    let out = dir.path().join("out");
    let status = rotaplan()
        .args(["--lang", "zh", "replan", "data/anze", "-q", "--published"])
        .arg(&published)
        .arg("--changes")
        .arg(&changes)
        .arg("-o")
        .arg(&out)
        .args(["--time-limit", "600"])
        .status()
        .expect("run replan");
    assert!(status.success());
    for name in ["changes.csv", "rotations.csv", "schools.csv"] {
        assert!(server.file(2, name) == std::fs::read(out.join(name)).expect("cli file"), "{name} differs");
    }
    // The replan's page shows its changes, then its own list, editable again.
    let (_, page) = server.get("/runs/2");
    let shown = section(&page, "changes");
    assert!(shown.contains(&format!("<tr data-teacher=\"{refused}\" data-change=\"dropped\"")));
    assert!(section(&page, "rotations").contains("class=\"action-form\""));
    assert!(section(&page, "edits").contains(&format!("data-teacher=\"{refused}\"")), "the refusal is held");
}

#[test]
fn publishing_records_a_publication_shown_on_versions() {
    let server = server();
    let (_, versions) = server.get("/versions");
    assert!(!versions.contains("data-publication="));
    let (status, _) = server.post("/runs/1/publish", "note=July+list");
    assert_eq!(status, 303);
    let (_, page) = server.get("/runs/1");
    assert!(section(&page, "published").contains("July list"));
    let (status, versions) = server.get("/versions");
    assert_eq!(status, 200);
    assert!(versions.contains("data-publication=\"1\" data-run=\"1\""));
    assert!(versions.contains("July list"));
    assert!(section(&versions, "version-datasets").contains("policy.toml"));
    // A run that is not a finished plan cannot be published.
    let (status, _) = server.post("/runs/7/publish", "note=x");
    assert_eq!(status, 404);
}

#[test]
fn a_replan_of_a_replan_holds_the_earlier_changes_unless_a_new_edit_names_the_teacher() {
    use rotaplan::serve::store::{Edit, Run};
    let earlier = [wanted("T0014", "refuse", ""), wanted("T0001", "leave", "")];
    let run = Run {
        id: 2,
        dataset_id: 1,
        kind: "replan".into(),
        base_run: Some(1),
        params: json!({ "changes": earlier }),
        created: 0,
        started: None,
        finished: None,
        status: RunStatus::Done,
        exit_code: Some(0),
        message: String::new(),
        progress: json!([]),
        peak_rss_kb: None,
        edit_revision: 0,
        result_dataset: None,
    };
    let edit = |id: i64, teacher: &str, action: &str, school: &str| Edit {
        id,
        run_id: 2,
        teacher_id: teacher.into(),
        action: action.into(),
        school: school.into(),
        created: 0,
    };
    assert_eq!(rotaplan::serve::pages::list::wanted_changes(&run, &[]), earlier.to_vec());
    let edits = [edit(1, "T0014", "move", ""), edit(2, "T0053", "forbid", "AZ-N01")];
    assert_eq!(
        rotaplan::serve::pages::list::wanted_changes(&run, &edits),
        vec![wanted("T0001", "leave", ""), wanted("T0014", "move", ""), wanted("T0053", "forbid", "AZ-N01")]
    );
}

#[test]
fn a_due_return_is_not_an_edit_of_the_list() {
    let server = server();
    // T0126's exchange ends in 2025 (data/anze/exchanges.csv): the plan sends them home.
    let (_, list) = server.get("/runs/1");
    let row = list.split("<tr data-teacher=\"T0126\"").nth(1).expect("the return's row").split("</tr>").next().unwrap();
    assert!(!row.contains("<form") && row.contains("由交流记录（exchanges.csv）决定"), "{row}");
    for action in ["refuse", "stay", "move"] {
        let (status, page) =
            server.post("/runs/1/edits", &format!("teacher_id=T0126&action={action}&school=&revision=0"));
        assert_eq!(status, 400, "{action}");
        assert!(page.contains("期满返回由交流记录（exchanges.csv）决定") && page.contains("续任"), "{action}: {page}");
    }
    // Leaving is still a change the list takes.
    let (status, _) = server.post("/runs/1/edits", "teacher_id=T0126&action=leave&school=&revision=0");
    assert_eq!(status, 303);
}
