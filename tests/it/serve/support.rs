//! The server under test: `rotaplan serve` started as a user starts it, in
//! its own workspace, and spoken to over plain HTTP (ureq, or a raw socket
//! where a request must be malformed on purpose).

use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdout, Command, Stdio};
use std::time::{Duration, Instant};

/// A bound no healthy run or request comes near, even on a machine ten
/// times slower; a broken one hits it instead of hanging the tests.
pub const GENEROUS: Duration = Duration::from_secs(900);

/// A running `rotaplan serve`.
pub struct Server {
    child: Child,
    _stdout: BufReader<ChildStdout>,
    /// `http://127.0.0.1:PORT`.
    pub base: String,
    /// `127.0.0.1:PORT`.
    pub address: String,
    /// Cookies sent with every request (`lang=en`, the access token).
    pub cookies: Vec<String>,
    agent: ureq::Agent,
}

/// One answer.
pub struct Reply {
    /// Its HTTP status.
    pub status: u16,
    /// Its headers, names in lower case.
    pub headers: Vec<(String, String)>,
    /// Its body.
    pub body: Vec<u8>,
}

impl Reply {
    /// The body as text.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// The first value of a header.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }
}

/// The `rotaplan` binary under test.
pub fn exe() -> &'static str {
    env!("CARGO_BIN_EXE_rotaplan")
}

impl Server {
    /// Starts `rotaplan serve WORKSPACE --port 0 ARGS` and reads its address
    /// from the first line it prints.
    pub fn start(workspace: &Path, args: &[&str]) -> Server {
        let mut command = Command::new(exe());
        command.arg("serve").arg(workspace).args(["--port", "0"]).args(args);
        Server::spawn(command)
    }

    /// Starts the command (a `rotaplan serve`) in a process group of its
    /// own, so that killing it kills its solver processes too.
    pub fn spawn(mut command: Command) -> Server {
        use std::os::unix::process::CommandExt;
        command.stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::null()).process_group(0);
        let mut child = command.spawn().expect("start rotaplan serve");
        let mut stdout = BufReader::new(child.stdout.take().expect("stdout"));
        let mut line = String::new();
        stdout.read_line(&mut line).expect("read the first line");
        let start = line.find("http://").unwrap_or_else(|| panic!("no address in {line:?}"));
        let rest = &line[start + "http://".len()..];
        let address = rest[..rest.find('/').expect("address ends with /")].to_string();
        let agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .max_redirects(0)
            .max_redirects_will_error(false)
            .timeout_global(Some(GENEROUS))
            // A fresh connection a request: the server may close one after
            // refusing an upload it did not read to the end, and a pooled
            // one would then fail the next request.
            .max_idle_connections(0)
            .max_idle_connections_per_host(0)
            .build()
            .new_agent();
        Server { child, _stdout: stdout, base: format!("http://{address}"), address, cookies: Vec::new(), agent }
    }

    /// The server's process id.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Kills the server and its solvers at once (SIGKILL to its process
    /// group), as a power cut or a closed terminal would.
    pub fn kill(&mut self) {
        let group = format!("-{}", self.child.id());
        let _ = Command::new("kill").args(["-KILL", "--", &group]).stderr(Stdio::null()).status();
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// Kills the server alone (SIGKILL), leaving whatever it started.
    pub fn kill_server_only(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    fn finish<B>(&self, request: ureq::RequestBuilder<B>) -> ureq::RequestBuilder<B> {
        if self.cookies.is_empty() {
            request
        } else {
            request.header("Cookie", self.cookies.join("; "))
        }
    }

    /// GET `path`.
    pub fn get(&self, path: &str) -> Reply {
        let request = self.finish(self.agent.get(format!("{}{path}", self.base)));
        reply(request.call())
    }

    /// POST `body` of `kind` to `path`, with extra headers.
    pub fn post(&self, path: &str, kind: &str, body: Vec<u8>, headers: &[(&str, &str)]) -> Reply {
        let mut request = self.finish(self.agent.post(format!("{}{path}", self.base))).header("Content-Type", kind);
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        reply(request.send(body))
    }

    /// POST a form (`application/x-www-form-urlencoded`).
    pub fn post_form(&self, path: &str, fields: &[(&str, &str)]) -> Reply {
        let body = fields.iter().map(|(k, v)| format!("{k}={}", encode(v))).collect::<Vec<_>>().join("&");
        self.post(path, "application/x-www-form-urlencoded", body.into_bytes(), &[])
    }

    /// The anti-forgery token of the pages, read from the import form.
    pub fn csrf(&self) -> String {
        let home = self.get("/");
        assert_eq!(home.status, 200, "{}", home.text());
        let text = home.text();
        let at = text.find("/import?csrf=").expect("the import form names its token") + "/import?csrf=".len();
        text[at..].chars().take_while(char::is_ascii_alphanumeric).collect()
    }

    /// Uploads files through the import form; the answer as given.
    pub fn import(&self, county: &str, files: &[(String, Vec<u8>)]) -> Reply {
        let csrf = self.csrf();
        let (kind, body) = multipart(county, files);
        self.post(&format!("/import?csrf={csrf}"), &kind, body, &[])
    }

    /// Imports files that must be accepted; the new data set's id.
    pub fn import_ok(&self, county: &str, files: &[(String, Vec<u8>)]) -> i64 {
        let reply = self.import(county, files);
        assert_eq!(reply.status, 303, "import refused: {}", reply.text());
        id_after(reply.header("location").expect("redirect"), "/datasets/")
    }

    /// Starts a plan of a data set from its page; the run's id.
    pub fn plan(&self, dataset: i64, time_limit: &str) -> i64 {
        let reply = self.try_plan(dataset, time_limit);
        assert_eq!(reply.status, 303, "plan refused: {}", reply.text());
        id_after(reply.header("location").expect("redirect"), "/runs/")
    }

    /// Posts the plan form of a data set; the answer as given.
    pub fn try_plan(&self, dataset: i64, time_limit: &str) -> Reply {
        let csrf = self.csrf();
        self.post_form(&format!("/datasets/{dataset}/plan?csrf={csrf}"), &[("time_limit", time_limit)])
    }

    /// A run's state as `status.json` says it.
    pub fn status(&self, run: i64) -> String {
        let reply = self.get(&format!("/runs/{run}/status.json"));
        assert_eq!(reply.status, 200, "{}", reply.text());
        let value: serde_json::Value = serde_json::from_slice(&reply.body).expect("status.json is JSON");
        value["status"].as_str().expect("status").to_string()
    }

    /// Polls a run until `done(status)`; the last status.
    pub fn wait_for(&self, run: i64, done: impl Fn(&str) -> bool) -> String {
        let began = Instant::now();
        loop {
            let status = self.status(run);
            if done(&status) {
                return status;
            }
            assert!(began.elapsed() < GENEROUS, "run {run} still {status} after {GENEROUS:?}");
            std::thread::sleep(Duration::from_millis(200));
        }
    }

    /// Polls a run until it is over; its final status.
    pub fn wait_over(&self, run: i64) -> String {
        self.wait_for(run, |s| !matches!(s, "queued" | "running"))
    }

    /// A run's output file, which must be there.
    pub fn download(&self, run: i64, name: &str) -> Vec<u8> {
        let reply = self.get(&format!("/runs/{run}/file?name={}", encode(name)));
        assert_eq!(reply.status, 200, "{name} of run {run}: {}", reply.text());
        reply.body
    }

    /// Sends raw request bytes; the status line's code and the whole answer.
    pub fn raw(&self, request: &str) -> (u16, String) {
        let mut stream = std::net::TcpStream::connect(&self.address).expect("connect");
        stream.set_read_timeout(Some(GENEROUS)).expect("timeout");
        stream.write_all(request.as_bytes()).expect("send");
        let mut answer = Vec::new();
        let _ = stream.read_to_end(&mut answer);
        let answer = String::from_utf8_lossy(&answer).into_owned();
        let code = answer.split(' ').nth(1).and_then(|c| c.parse().ok()).unwrap_or(0);
        (code, answer)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.kill();
    }
}

fn reply(result: Result<ureq::http::Response<ureq::Body>, ureq::Error>) -> Reply {
    let mut response = result.expect("the server answers");
    let status = response.status().as_u16();
    let headers = response
        .headers()
        .iter()
        .map(|(n, v)| (n.as_str().to_ascii_lowercase(), String::from_utf8_lossy(v.as_bytes()).into_owned()))
        .collect();
    let body = response.body_mut().with_config().limit(1 << 30).read_to_vec().expect("read the body");
    Reply { status, headers, body }
}

/// The number after `prefix` in a path.
pub fn id_after(location: &str, prefix: &str) -> i64 {
    let rest = location.strip_prefix(prefix).unwrap_or_else(|| panic!("{location} is not under {prefix}"));
    rest.split(['/', '?']).next().and_then(|n| n.parse().ok()).unwrap_or_else(|| panic!("no id in {location}"))
}

/// Percent-encodes a form value.
pub fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// A multipart body of the import form: the county's name and the files.
pub fn multipart(county: &str, files: &[(String, Vec<u8>)]) -> (String, Vec<u8>) {
    let boundary = "----rotaplan-test-boundary-7d1f";
    let mut body = Vec::new();
    body.extend_from_slice(
        format!("--{boundary}\r\nContent-Disposition: form-data; name=\"county\"\r\n\r\n{county}\r\n").as_bytes(),
    );
    for (name, bytes) in files {
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

/// The files of a flat folder, by name, sorted.
pub fn folder_files(folder: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(folder)
        .expect("list folder")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.is_file() && p.extension().is_some_and(|e| e == "csv" || e == "toml"))
        .map(|p| (p.file_name().expect("name").to_string_lossy().into_owned(), std::fs::read(&p).expect("read")))
        .collect();
    files.sort();
    files
}

/// data/anze of the repository.
pub fn anze() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("data").join("anze")
}

/// Runs `rotaplan ARGS`; (exit code, stdout, stderr).
pub fn cli(args: &[&std::ffi::OsStr]) -> (i32, String, String) {
    let output = Command::new(exe()).args(args).output().expect("run rotaplan");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// The problems table of an error page, each row as `check` prints it:
/// `location: column: message` (no column part when the column is empty).
pub fn problem_lines(page: &str) -> Vec<String> {
    let Some(start) = page.find("<table class=\"problems\"") else { return Vec::new() };
    let table = &page[start..page[start..].find("</table>").map_or(page.len(), |e| start + e)];
    let body = &table[table.find("<tbody>").map_or(0, |b| b + "<tbody>".len())..];
    body.split("<tr>")
        .skip(1)
        .map(|row| {
            let cells: Vec<String> = row
                .split("<td")
                .skip(1)
                .map(|cell| unescape(&cell[cell.find('>').expect("cell") + 1..cell.find("</td>").expect("cell end")]))
                .collect();
            assert_eq!(cells.len(), 3, "a problem row has 3 cells: {row}");
            if cells[1].is_empty() {
                format!("{}: {}", cells[0], cells[2])
            } else {
                format!("{}: {}: {}", cells[0], cells[1], cells[2])
            }
        })
        .collect()
}

/// The problem lines `check` prints on stderr (without the heading).
pub fn check_lines(stderr: &str) -> Vec<String> {
    stderr.lines().filter_map(|l| l.strip_prefix("  ")).map(str::to_string).collect()
}

/// HTML text back to plain text (the five escapes `h()` makes).
pub fn unescape(text: &str) -> String {
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&amp;", "&")
}

/// Fails when an error page shows a stack trace or a path of the server's
/// machine (the workspace, the temporary folder, the source tree).
pub fn assert_clean_error(reply: &Reply, workspace: &Path) {
    let text = reply.text();
    assert!(text.contains("id=\"error-message\""), "not an error page: {text}");
    let workspace = workspace.to_string_lossy();
    for leak in [workspace.as_ref(), "/tmp", env!("CARGO_MANIFEST_DIR"), "panicked", "RUST_BACKTRACE", "src/", ".rs:"] {
        assert!(!text.contains(leak), "the error page shows {leak:?}: {text}");
    }
}

/// Whether process `pid` is gone (or dead and not yet reaped).
pub fn process_gone(pid: u32) -> bool {
    match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
        Err(_) => true,
        Ok(stat) => stat.rsplit(')').next().and_then(|rest| rest.split_whitespace().next()) == Some("Z"),
    }
}
