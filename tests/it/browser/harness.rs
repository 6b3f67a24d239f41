//! The real-browser harness: Debian's chromedriver on a free port, a headless
//! Chromium session through WebDriver (fantoccini, plain http on loopback),
//! downloads into a temporary folder, and guards that kill chromedriver,
//! Chromium and the `rotaplan serve` child when a test ends or panics.

use std::io::{BufRead, BufReader, Read};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use tempfile::TempDir;

/// How long a wait may last: only a broken run reaches it, even on a machine
/// ten times slower than ours.
pub const DEADLINE: Duration = Duration::from_secs(120);

/// How often a wait looks again.
const POLL: Duration = Duration::from_millis(100);

/// The environment variable that turns a missing browser into a failure (CI sets it).
pub const REQUIRED_VAR: &str = "ROTAPLAN_BROWSER_TESTS";

/// The Chromium flags of every headless run of the tests (also
/// tests/it/report.rs): without the background-networking ones, Chromium's
/// connections are refused by a closed network, many at a time.
pub(crate) const HEADLESS_FLAGS: &[&str] = &[
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
];

/// The flags of a WebDriver session: the headless ones and the window.
fn chromium_flags() -> Vec<&'static str> {
    HEADLESS_FLAGS.iter().copied().chain(["--window-size=1280,1000"]).collect()
}

/// A program at its Debian path, or else the first one of that name on PATH.
fn program(debian_path: &str, name: &str) -> Option<PathBuf> {
    let fixed = Path::new(debian_path);
    if fixed.is_file() {
        return Some(fixed.to_path_buf());
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path).map(|dir| dir.join(name)).find(|p| p.is_file())
}

/// Chromium and chromedriver, or why the browser tests cannot run here.
fn programs() -> Result<(PathBuf, PathBuf), String> {
    let chromium = program("/usr/bin/chromium", "chromium");
    let driver = program("/usr/bin/chromedriver", "chromedriver");
    match (chromium, driver) {
        (Some(chromium), Some(driver)) => Ok((chromium, driver)),
        (None, _) => Err("chromium is not installed (apt-get install chromium chromium-driver)".into()),
        (_, None) => Err("chromedriver is not installed (apt-get install chromium-driver)".into()),
    }
}

/// Sends SIGKILL to a process (or, with a negative id, a process group) by its id.
fn kill_by_id(id: i64) {
    let _ = Command::new("kill")
        .args(["-KILL", "--", &id.to_string()])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status();
}

/// The ids of the processes whose command line names `marker` (our Chromium's
/// own profile folder, which no other process names).
pub fn processes_naming(marker: &str) -> Vec<i64> {
    let Ok(entries) = std::fs::read_dir("/proc") else { return Vec::new() };
    let mut found = Vec::new();
    for entry in entries.flatten() {
        let Some(id) = entry.file_name().to_str().and_then(|n| n.parse::<i64>().ok()) else { continue };
        let Ok(cmdline) = std::fs::read(entry.path().join("cmdline")) else { continue };
        let zombie = std::fs::read_to_string(entry.path().join("stat"))
            .is_ok_and(|stat| stat.rsplit(')').next().is_some_and(|rest| rest.trim_start().starts_with('Z')));
        if !zombie && String::from_utf8_lossy(&cmdline).contains(marker) {
            found.push(id);
        }
    }
    found
}

/// Kills chromedriver and every Chromium process it started, on drop.
struct DriverGuard {
    driver: Child,
    profile: TempDir,
}

impl Drop for DriverGuard {
    fn drop(&mut self) {
        // chromedriver leads its own process group; Chromium's processes are
        // found again by their profile folder in case one left the group.
        kill_by_id(-i64::from(self.driver.id()));
        let _ = self.driver.kill();
        let _ = self.driver.wait();
        // SIGKILL takes effect a moment later: look again until none is left.
        let marker = self.profile.path().to_string_lossy().to_string();
        let start = Instant::now();
        loop {
            let left = processes_naming(&marker);
            if left.is_empty() || start.elapsed() > Duration::from_secs(30) {
                break;
            }
            for id in left {
                kill_by_id(id);
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

/// Starts chromedriver on a port of its choosing; the guard and the port.
fn start_driver(driver: &Path, profile: TempDir) -> (DriverGuard, u16) {
    let mut child = Command::new(driver)
        .arg("--port=0")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .process_group(0)
        .spawn()
        .expect("chromedriver starts");
    let stdout = child.stdout.take().expect("chromedriver's stdout");
    let guard = DriverGuard { driver: child, profile };
    let (port_tx, port_rx) = mpsc::channel();
    std::thread::spawn(move || {
        // "ChromeDriver was started successfully on port 41771."; then keep
        // reading so that chromedriver never blocks on a full pipe.
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            if let Some(rest) = line.split("successfully on port ").nth(1) {
                let _ = port_tx.send(rest.trim_end_matches('.').trim().parse::<u16>().ok());
            }
        }
    });
    let port = port_rx.recv_timeout(DEADLINE).ok().flatten().expect("chromedriver names its port");
    (guard, port)
}

/// Waits until chromedriver answers `GET /status` with `"ready": true`.
async fn wait_until_ready(port: u16) {
    let start = Instant::now();
    loop {
        if driver_status(port).is_some_and(|body| body.contains("\"ready\":true")) {
            return;
        }
        assert!(start.elapsed() < DEADLINE, "chromedriver on port {port} did not answer in {DEADLINE:?}");
        tokio::time::sleep(POLL).await;
    }
}

/// Chromedriver's `/status` answer (compacted), read with a plain HTTP/1.1
/// request; chromedriver may hold the connection open, so reading stops at
/// the `ready` field.
fn driver_status(port: u16) -> Option<String> {
    use std::io::Write;
    let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).ok()?;
    stream.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    let request = format!("GET /status HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).ok()?;
    let (mut text, mut buffer) = (String::new(), [0u8; 4096]);
    while text.len() < 1 << 20 {
        match stream.read(&mut buffer) {
            Ok(0) | Err(_) => break,
            Ok(n) => text.push_str(&String::from_utf8_lossy(&buffer[..n]).replace([' ', '\n', '\r'], "")),
        }
        if text.contains("\"ready\":true") || text.contains("\"ready\":false") {
            break;
        }
    }
    Some(text)
}

/// The capabilities of a headless Chromium session that downloads into `downloads`.
fn capabilities(chromium: &Path, profile: &Path, downloads: &Path) -> serde_json::Map<String, serde_json::Value> {
    let mut args: Vec<String> = chromium_flags().iter().map(|f| f.to_string()).collect();
    args.push(format!("--user-data-dir={}", profile.display()));
    let options = serde_json::json!({
        "binary": chromium.to_string_lossy(),
        "args": args,
        "prefs": {
            "download.default_directory": downloads.to_string_lossy(),
            "download.prompt_for_download": false,
            "download.directory_upgrade": true,
            "safebrowsing.enabled": false,
        },
    });
    let mut caps = serde_json::Map::new();
    caps.insert("browserName".into(), "chrome".into());
    caps.insert("goog:chromeOptions".into(), options);
    caps
}

/// One headless Chromium session; everything it started dies with it.
pub struct Browser {
    client: Client,
    downloads: TempDir,
    // Dropped after the client: kills chromedriver and Chromium.
    _guard: DriverGuard,
}

/// A headless browser, or `None` (after saying why) when Chromium or
/// chromedriver is missing and `ROTAPLAN_BROWSER_TESTS=1` is not set.
pub async fn browser_or_skip(test: &str) -> Option<Browser> {
    match programs() {
        Ok((chromium, driver)) => Some(Browser::start(&chromium, &driver).await),
        Err(why) => {
            let required = std::env::var(REQUIRED_VAR).is_ok_and(|v| v == "1");
            skip_or_fail(test, &why, required);
            None
        }
    }
}

/// Says why a browser test is skipped, or fails it when the browser tests
/// are required.
pub fn skip_or_fail(test: &str, why: &str, required: bool) {
    if required {
        panic!("{test}: {why}; {REQUIRED_VAR}=1 requires the browser tests to run");
    }
    eprintln!("note: {test} skipped: {why} (set {REQUIRED_VAR}=1 to make this a failure)");
}

impl Browser {
    /// Starts chromedriver and opens a headless Chromium session.
    pub async fn start(chromium: &Path, driver: &Path) -> Browser {
        let profile = tempfile::tempdir().expect("a Chromium profile folder");
        let downloads = tempfile::tempdir().expect("a downloads folder");
        let caps = capabilities(chromium, profile.path(), downloads.path());
        let (guard, port) = start_driver(driver, profile);
        wait_until_ready(port).await;
        let client = ClientBuilder::new(HttpConnector::new())
            .capabilities(caps)
            .connect(&format!("http://127.0.0.1:{port}"))
            .await
            .expect("a headless Chromium session");
        Browser { client, downloads, _guard: guard }
    }

    /// The WebDriver client, for what the helpers do not cover.
    pub fn client(&self) -> &Client {
        &self.client
    }

    /// The session's own profile folder, which every Chromium process of the
    /// session names on its command line.
    pub fn profile(&self) -> &Path {
        self._guard.profile.path()
    }

    /// chromedriver's process id.
    pub fn driver_id(&self) -> u32 {
        self._guard.driver.id()
    }

    /// The folder downloads land in.
    pub fn downloads(&self) -> &Path {
        self.downloads.path()
    }

    /// Ends the session politely; the guard kills whatever is left.
    pub async fn close(self) {
        let Browser { client, downloads, _guard } = self;
        let _ = tokio::time::timeout(Duration::from_secs(30), client.close()).await;
        drop(downloads);
    }

    /// Opens a URL and waits for the page to load.
    pub async fn goto(&self, url: &str) {
        self.client.goto(url).await.unwrap_or_else(|e| panic!("open {url}: {e}"));
    }

    /// The first element matching a CSS selector, now.
    pub async fn find(&self, css: &str) -> Element {
        match self.client.find(Locator::Css(css)).await {
            Ok(element) => element,
            Err(e) => panic!("no element {css:?} ({e}); the page says:\n{}", self.page_text().await),
        }
    }

    /// Every element matching a CSS selector, now.
    pub async fn find_all(&self, css: &str) -> Vec<Element> {
        self.client.find_all(Locator::Css(css)).await.unwrap_or_else(|e| panic!("find {css:?}: {e}"))
    }

    /// Clicks the first element matching a CSS selector.
    pub async fn click(&self, css: &str) {
        let element = self.find(css).await;
        element.click().await.unwrap_or_else(|e| panic!("click {css:?}: {e}"));
    }

    /// Types text into an input (after clearing it).
    pub async fn type_into(&self, css: &str, text: &str) {
        let element = self.find(css).await;
        element.clear().await.unwrap_or_else(|e| panic!("clear {css:?}: {e}"));
        element.send_keys(text).await.unwrap_or_else(|e| panic!("type into {css:?}: {e}"));
    }

    /// Chooses a file in an `<input type=file>`.
    pub async fn upload(&self, css: &str, file: &Path) {
        let absolute = std::fs::canonicalize(file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        let element = self.find(css).await;
        element.send_keys(&absolute.to_string_lossy()).await.unwrap_or_else(|e| panic!("upload into {css:?}: {e}"));
    }

    /// The visible text of the first element matching a CSS selector.
    pub async fn text(&self, css: &str) -> String {
        let element = self.find(css).await;
        element.text().await.unwrap_or_else(|e| panic!("text of {css:?}: {e}"))
    }

    /// The visible text of the whole page (empty if there is none yet).
    pub async fn page_text(&self) -> String {
        match self.client.find(Locator::Css("body")).await {
            Ok(body) => body.text().await.unwrap_or_default(),
            Err(_) => String::new(),
        }
    }

    /// Waits until an element matches a CSS selector; that element.
    pub async fn wait_for(&self, css: &str) -> Element {
        let start = Instant::now();
        loop {
            if let Ok(element) = self.client.find(Locator::Css(css)).await {
                return element;
            }
            if start.elapsed() > DEADLINE {
                panic!("no element {css:?} after {DEADLINE:?}; the page says:\n{}", self.page_text().await);
            }
            tokio::time::sleep(POLL).await;
        }
    }

    /// Waits until the page's visible text contains `text`.
    pub async fn wait_for_text(&self, text: &str) {
        let start = Instant::now();
        loop {
            let shown = self.page_text().await;
            if shown.contains(text) {
                return;
            }
            if start.elapsed() > DEADLINE {
                panic!("the page did not show {text:?} in {DEADLINE:?}; it says:\n{shown}");
            }
            tokio::time::sleep(POLL).await;
        }
    }

    /// Waits until a download named `name` is complete (no `.crdownload`
    /// file left in the folder); its path.
    pub async fn wait_for_download(&self, name: &str) -> PathBuf {
        let start = Instant::now();
        let target = self.downloads().join(name);
        loop {
            if target.is_file() && !self.download_in_progress() {
                return target;
            }
            if start.elapsed() > DEADLINE {
                panic!("{name} was not downloaded in {DEADLINE:?}; the folder holds {:?}", self.downloaded_names());
            }
            tokio::time::sleep(POLL).await;
        }
    }

    fn download_in_progress(&self) -> bool {
        self.downloaded_names().iter().any(|n| n.ends_with(".crdownload"))
    }

    /// The names of the files in the downloads folder, sorted.
    pub fn downloaded_names(&self) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(self.downloads())
            .map(|entries| entries.flatten().map(|e| e.file_name().to_string_lossy().to_string()).collect())
            .unwrap_or_default();
        names.sort();
        names
    }
}

/// `rotaplan serve WORKSPACE --port 0` as a child process, killed on drop.
pub struct Server {
    child: Child,
    url: String,
    log: Arc<Mutex<String>>,
}

/// The most of the server's output kept for a failure's message.
const LOG_LIMIT: usize = 64 * 1024;

impl Server {
    /// Starts the server on a free port and waits for its first stdout line,
    /// the one with its address (`http://127.0.0.1:PORT/`).
    #[allow(dead_code)] // for the end-to-end tests of `rotaplan serve` (issue 16)
    pub fn start(workspace: &Path, extra: &[&str]) -> Server {
        let mut args = vec!["serve", workspace.to_str().expect("a UTF-8 workspace path"), "--port", "0"];
        args.extend_from_slice(extra);
        Server::start_program(Path::new(env!("CARGO_BIN_EXE_rotaplan")), &args)
    }

    /// Starts a program that prints its address on its first stdout line.
    pub fn start_program(program: &Path, args: &[&str]) -> Server {
        let mut child = Command::new(program)
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("{} starts: {e}", program.display()));
        let log = Arc::new(Mutex::new(String::new()));
        keep_log(child.stderr.take().expect("stderr"), Arc::clone(&log), None);
        let (line_tx, line_rx) = mpsc::channel();
        keep_log(child.stdout.take().expect("stdout"), Arc::clone(&log), Some(line_tx));
        let first = line_rx.recv_timeout(DEADLINE).ok();
        match first.as_deref().and_then(address_in) {
            Some(url) => Server { child, url, log },
            None => {
                let _ = child.kill();
                let _ = child.wait();
                let said = log.lock().map(|l| l.clone()).unwrap_or_default();
                let program = program.display();
                panic!("{program}'s first line {first:?} names no http://127.0.0.1:PORT/ address; it said:\n{said}")
            }
        }
    }

    /// The server's address, `http://127.0.0.1:PORT/`.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The address of a page of the server (`path` without its leading `/`).
    pub fn page(&self, path: &str) -> String {
        format!("{}{}", self.url, path.trim_start_matches('/'))
    }

    /// The server's process id.
    pub fn id(&self) -> u32 {
        self.child.id()
    }

    /// What the server printed so far (stdout and stderr, bounded).
    pub fn log(&self) -> String {
        self.log.lock().map(|l| l.clone()).unwrap_or_default()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The `http://127.0.0.1:PORT/` address in a line, if there is one.
pub fn address_in(line: &str) -> Option<String> {
    const PREFIX: &str = "http://127.0.0.1:";
    let rest = &line[line.find(PREFIX)? + PREFIX.len()..];
    let digits = rest.find(|c: char| !c.is_ascii_digit()).unwrap_or(rest.len());
    let port = rest[..digits].parse::<u16>().ok()?;
    Some(format!("{PREFIX}{port}/"))
}

/// Reads a child's stream to its end into `log` (bounded), sending the first
/// line to `first` when asked.
fn keep_log(stream: impl Read + Send + 'static, log: Arc<Mutex<String>>, first: Option<mpsc::Sender<String>>) {
    std::thread::spawn(move || {
        let mut first = first;
        for line in BufReader::new(stream).lines() {
            let Ok(line) = line else { break };
            if let Some(tx) = first.take() {
                let _ = tx.send(line.clone());
            }
            if let Ok(mut log) = log.lock() {
                if log.len() + line.len() < LOG_LIMIT {
                    log.push_str(&line);
                    log.push('\n');
                }
            }
        }
    });
}
