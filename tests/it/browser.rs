//! End-to-end tests in a real browser (issue 16): headless Chromium driven
//! through chromedriver (docs/testing.md § The browser tests). This module
//! holds the harness's own test, on a page served by the test itself.

pub(crate) mod harness;
mod site;
mod workspace;

use harness::browser_or_skip;
use site::{Page, Site};

/// A form with a text input, a file input, a button whose script shows what
/// was chosen (after a delay, so that the wait is exercised) and a link to a
/// file the server sends as an attachment.
const FORM_PAGE: &str = r#"<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>表单</title></head>
<body>
<form id="form" onsubmit="return false">
  <input id="county" type="text" name="county">
  <input id="book" type="file" name="book">
  <button id="show" type="button">显示</button>
</form>
<a id="download" href="/files/sample.bin">下载</a>
<script>
document.getElementById('show').addEventListener('click', function () {
  var file = document.getElementById('book').files[0];
  var county = document.getElementById('county').value;
  var reader = new FileReader();
  reader.onload = function () {
    setTimeout(function () {
      var out = document.createElement('p');
      out.id = 'shown';
      out.style.whiteSpace = 'pre-line';
      out.textContent = county + ' | ' + file.name + ' | ' + file.size + ' | ' + reader.result.trim();
      document.body.appendChild(out);
    }, 300);
  };
  reader.readAsText(file);
});
</script>
</body></html>
"#;

/// Every byte value, then a deterministic pseudo-random tail: a download that
/// loses or rewrites a byte shows.
fn sample_bytes() -> Vec<u8> {
    let mut bytes: Vec<u8> = (0..=255u8).collect();
    let mut state: u32 = 0x2545_f491;
    for _ in 0..60_000 {
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        bytes.push((state >> 24) as u8);
    }
    bytes
}

fn form_site(download: Vec<u8>) -> Site {
    Site::start(vec![
        Page {
            path: "/",
            content_type: "text/html; charset=utf-8",
            headers: Vec::new(),
            body: FORM_PAGE.as_bytes().to_vec(),
        },
        Page {
            path: "/files/sample.bin",
            content_type: "application/octet-stream",
            headers: vec!["Content-Disposition: attachment; filename=\"sample.bin\"".into()],
            body: download,
        },
    ])
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn harness_types_uploads_reads_and_downloads() {
    let Some(browser) = browser_or_skip("harness_types_uploads_reads_and_downloads").await else { return };
    let download = sample_bytes();
    let site = form_site(download.clone());
    let dir = tempfile::tempdir().expect("temp dir");
    let upload = dir.path().join("教师名单.csv");
    std::fs::write(&upload, "工号,姓名\nT001,张三\n").expect("write the upload");

    browser.goto(&site.url("/")).await;
    assert_eq!(browser.client().title().await.expect("title"), "表单");
    assert_eq!(browser.find_all("#form input").await.len(), 2, "the form's two inputs");
    browser.type_into("#county", "安泽县 2026").await;
    browser.upload("#book", &upload).await;
    browser.click("#show").await;
    let shown = browser.wait_for("#shown").await.text().await.expect("text");
    let size = std::fs::metadata(&upload).expect("upload size").len();
    assert_eq!(shown, format!("安泽县 2026 | 教师名单.csv | {size} | 工号,姓名\nT001,张三"));
    browser.wait_for_text("T001,张三").await;
    assert_eq!(browser.text("#download").await, "下载");

    browser.click("#download").await;
    let landed = browser.wait_for_download("sample.bin").await;
    assert_eq!(landed, browser.downloads().join("sample.bin"));
    assert_eq!(browser.downloaded_names(), vec!["sample.bin".to_string()], "one finished download, nothing else");
    assert!(std::fs::read(&landed).expect("read the download") == download, "the downloaded bytes are the served ones");
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_panicking_test_leaves_no_browser_behind() {
    let Some(browser) = browser_or_skip("a_panicking_test_leaves_no_browser_behind").await else { return };
    let site = form_site(Vec::new());
    browser.goto(&site.url("/")).await;
    let marker = browser.profile().to_string_lossy().to_string();
    let driver = std::path::PathBuf::from(format!("/proc/{}", browser.driver_id()));
    assert!(!harness::processes_naming(&marker).is_empty(), "Chromium runs with the session's profile");
    assert!(driver.exists(), "chromedriver runs");
    let test = tokio::spawn(async move {
        let _owned = browser;
        panic!("a deliberate panic: a test fails while its browser is open");
    });
    assert!(test.await.is_err_and(|e| e.is_panic()));
    assert_eq!(harness::processes_naming(&marker), Vec::<i64>::new(), "no Chromium process is left");
    assert!(!driver.exists(), "chromedriver is killed and reaped");
}

#[test]
fn a_served_program_is_read_for_its_address_and_killed_on_drop() {
    let script = "echo 'rotaplan serve: http://127.0.0.1:4321/ (Ctrl-C to stop)'; echo 'more'; exec sleep 600";
    let server = harness::Server::start_program(std::path::Path::new("/bin/sh"), &["-c", script]);
    assert_eq!(server.url(), "http://127.0.0.1:4321/");
    assert_eq!(server.page("/plans/3"), "http://127.0.0.1:4321/plans/3");
    let proc_dir = std::path::PathBuf::from(format!("/proc/{}", server.id()));
    assert!(proc_dir.exists(), "the program runs while the server value lives");
    let start = std::time::Instant::now();
    while !server.log().contains("more") {
        assert!(start.elapsed() < harness::DEADLINE, "the program's later lines reach the log: {:?}", server.log());
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    drop(server);
    assert!(!proc_dir.exists(), "the program is killed and reaped on drop");
}

#[test]
fn a_missing_browser_skips_unless_the_browser_tests_are_required() {
    harness::skip_or_fail("t", "chromedriver is not installed", false);
    let failure = std::panic::catch_unwind(|| harness::skip_or_fail("t", "chromedriver is not installed", true))
        .expect_err("required browser tests fail without a browser");
    let message = failure.downcast_ref::<String>().expect("a message");
    assert!(
        message.contains("chromedriver is not installed") && message.contains("ROTAPLAN_BROWSER_TESTS=1"),
        "{message}"
    );
}

#[test]
fn the_server_address_is_read_from_its_first_line() {
    use harness::address_in;
    assert_eq!(
        address_in("rotaplan: http://127.0.0.1:8123/ (Ctrl-C to stop)").as_deref(),
        Some("http://127.0.0.1:8123/")
    );
    assert_eq!(address_in("打开 http://127.0.0.1:40001/。").as_deref(), Some("http://127.0.0.1:40001/"));
    assert_eq!(address_in("http://127.0.0.1:99999/"), None, "not a port");
    assert_eq!(address_in("listening on http://127.0.0.1:9"), Some("http://127.0.0.1:9/".to_string()));
    assert_eq!(address_in("no address here"), None);
    assert_eq!(address_in("http://127.0.0.1:notaport/"), None);
}
