//! `rotaplan serve` end to end in a real browser (issue 16 item 6): a
//! county imported, planned, edited, re-planned, downloaded and published by
//! clicks and typing; a bad workbook's error page; the English switch; a
//! what-if from the form; cancel. Each test starts its own server on its own
//! workspace.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use fantoccini::Locator;

use super::harness::{browser_or_skip, Browser, Server};
use crate::common::{copy_folder, fixture, workbook_from_folder};

/// How long a solve may take before a wait gives up: only a broken run
/// comes near it, even on a machine ten times slower.
const SOLVE_DEADLINE: Duration = Duration::from_secs(900);

/// data/anze of the repository.
fn anze() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("data").join("anze")
}

/// Runs `rotaplan ARGS`, which must succeed.
fn cli(args: &[&std::ffi::OsStr]) {
    let output = Command::new(env!("CARGO_BIN_EXE_rotaplan")).args(args).output().expect("run rotaplan");
    assert!(output.status.success(), "rotaplan {args:?}: {}", String::from_utf8_lossy(&output.stderr));
}

/// Whether the text has a CJK character (the pages' Chinese).
fn has_cjk(text: &str) -> bool {
    text.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
}

/// The page's current address.
async fn url(browser: &Browser) -> String {
    browser.client().current_url().await.expect("current url").to_string()
}

/// Waits until the browser is on another page than `old`; the new address.
async fn wait_for_other_page(browser: &Browser, old: &str) -> String {
    let start = Instant::now();
    loop {
        let now = url(browser).await;
        if now != old {
            return now;
        }
        assert!(start.elapsed() < SOLVE_DEADLINE, "still on {old}: {}", browser.page_text().await);
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Waits until the run page in the browser shows a finished run (its
/// script reloads the page when the run is over, and the reloaded page has
/// no cancel form); the run's final status.
async fn wait_for_run_over(browser: &Browser) -> String {
    let start = Instant::now();
    loop {
        if let Ok(status) = browser.client().find(Locator::Css("#run-status")).await {
            let state = status.attr("data-status").await.ok().flatten().unwrap_or_default();
            let reloaded = browser.client().find(Locator::Css("#cancel-form")).await.is_err();
            if !matches!(state.as_str(), "queued" | "running" | "") && reloaded {
                return state;
            }
        }
        assert!(start.elapsed() < SOLVE_DEADLINE, "the run is not over: {}", browser.page_text().await);
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// Imports files through the home page's form; the data set page's address.
async fn import(browser: &Browser, server: &Server, county: &str, files: &[PathBuf]) -> String {
    browser.goto(server.url()).await;
    if !county.is_empty() {
        browser.type_into("#import-form input[name=county]", county).await;
    }
    let paths: Vec<String> = files
        .iter()
        .map(|f| std::fs::canonicalize(f).expect("file to upload").to_string_lossy().into_owned())
        .collect();
    let input = browser.find("#import-files").await;
    input.send_keys(&paths.join("\n")).await.expect("choose the files");
    browser.click("#import-button").await;
    browser.wait_for("#plan-form").await;
    url(browser).await
}

/// Sets the time limit on a data set's page and presses plan; waits for
/// the run to finish as done and proven; the run page's address.
async fn plan_from_the_page(browser: &Browser, time_limit: &str) -> String {
    browser.type_into("#time-limit", time_limit).await;
    let before = url(browser).await;
    browser.click("#plan-button").await;
    let run = wait_for_other_page(browser, &before).await;
    assert!(run.contains("/runs/"), "{run}");
    assert_eq!(wait_for_run_over(browser).await, "done", "{}", browser.page_text().await);
    run
}

/// The teacher ids of the rows of the list on the page.
async fn listed_teachers(browser: &Browser) -> Vec<String> {
    let mut ids = Vec::new();
    for row in browser.find_all("#rotations tbody tr[data-teacher]").await {
        ids.push(row.attr("data-teacher").await.expect("attr").expect("data-teacher"));
    }
    ids
}

/// Clicks the link of a run's file in `#downloads` and waits for it.
async fn download(browser: &Browser, name: &str) -> Vec<u8> {
    browser.click(&format!("#downloads a[href$=\"name={name}\"]")).await;
    std::fs::read(browser.wait_for_download(name).await).expect("read the download")
}

/// The command line's plan and re-plan of `book` with `teacher` refusing:
/// the re-plan's plan.xlsx.
fn cli_replan_with_refusal(dir: &Path, book: &Path, teacher: &str, time_limit: &str) -> Vec<u8> {
    let (first, second) = (dir.join("cli-plan"), dir.join("cli-replan"));
    let limit = ["--time-limit".as_ref(), time_limit.as_ref()];
    cli(&[&["plan".as_ref(), book.as_os_str(), "-o".as_ref(), first.as_os_str()][..], &limit].concat());
    let changes = dir.join("changes.csv");
    std::fs::write(&changes, format!("teacher_id,action,school_id,note\n{teacher},stay,,拒绝交流\n")).expect("write");
    let published = first.join("rotations.csv");
    let args = [
        "replan".as_ref(),
        book.as_os_str(),
        "--published".as_ref(),
        published.as_os_str(),
        "--changes".as_ref(),
        changes.as_os_str(),
        "-o".as_ref(),
        second.as_os_str(),
    ];
    cli(&[&args[..], &limit].concat());
    std::fs::read(second.join("plan.xlsx")).expect("the command line's plan.xlsx")
}

/// Refuses `teacher` through its row's action form; waits for the edit.
async fn refuse(browser: &Browser, teacher: &str) {
    let row = browser.find(&format!("#rotations tbody tr[data-teacher=\"{teacher}\"]")).await;
    let select = row.find(Locator::Css(".action-form select[name=action]")).await.expect("the action select");
    select.select_by_value("refuse").await.expect("choose refuse");
    let button = row.find(Locator::Css(".action-form button[type=submit]")).await.expect("the save button");
    button.click().await.expect("save the edit");
    browser.wait_for(&format!("#edits tr[data-teacher=\"{teacher}\"]")).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_school_year_in_the_browser() {
    let Some(browser) = browser_or_skip("the_school_year_in_the_browser").await else { return };
    let dir = tempfile::tempdir().expect("temp dir");
    let book = dir.path().join("安泽县.xlsx");
    workbook_from_folder(&anze(), &book, true);
    let server = Server::start(&dir.path().join("ws"), &[]);

    import(&browser, &server, "", std::slice::from_ref(&book)).await;
    assert!(browser.text("h1").await.contains("安泽县"), "the county's page is named after the workbook");
    let first_run = plan_from_the_page(&browser, "600").await;
    assert_eq!(browser.find("#proven").await.attr("data-optimal").await.expect("attr").as_deref(), Some("true"));
    assert!(browser.text("#proven").await.contains("各阶段均已证明最优"));

    let listed = listed_teachers(&browser).await;
    assert!(!listed.is_empty(), "anze's plan moves teachers");
    let teacher = listed[0].clone();
    refuse(&browser, &teacher).await;
    let edited = url(&browser).await;
    browser.click("#replan-button").await;
    let replan = wait_for_other_page(&browser, &edited).await;
    assert_ne!(replan.split('#').next(), first_run.split('#').next(), "the re-plan is a run of its own");
    assert_eq!(wait_for_run_over(&browser).await, "done", "{}", browser.page_text().await);
    let change = browser.find(&format!("#changes tr[data-teacher=\"{teacher}\"]")).await;
    assert!(change.text().await.expect("text").contains("拒绝交流"), "the change says why");
    let now = listed_teachers(&browser).await;
    assert!(!now.is_empty() && !now.contains(&teacher), "{teacher} is no longer moved: {now:?}");

    let from_page = download(&browser, "plan.xlsx").await;
    let from_cli = cli_replan_with_refusal(dir.path(), &book, &teacher, "600");
    assert!(from_page == from_cli, "the page's plan.xlsx is the command line's, byte for byte");

    browser.type_into("#publish-form input[name=note]", "第一次公示").await;
    browser.click("#publish-button").await;
    browser.wait_for("#published li").await;
    browser.click("header nav a[href=\"/versions\"]").await;
    browser.wait_for("#publications").await;
    let publications = browser.text("#publications").await;
    assert!(publications.contains("第一次公示"), "{publications}");
    browser.close().await;
}

/// A copy of data/anze whose first teacher's subject is a word no reader knows.
fn anze_with_unknown_subject(dir: &Path) -> PathBuf {
    let folder = dir.join("bad");
    copy_folder(&anze(), &folder);
    let teachers = std::fs::read_to_string(folder.join("teachers.csv")).expect("teachers");
    let bad = teachers.replacen("T0001,常平,AZ-J01,junior,chemistry,", "T0001,常平,AZ-J01,junior,书法天文,", 1);
    assert_ne!(bad, teachers);
    std::fs::write(folder.join("teachers.csv"), bad).expect("write");
    folder
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bad_workbook_shows_the_error_page() {
    let Some(browser) = browser_or_skip("a_bad_workbook_shows_the_error_page").await else { return };
    let dir = tempfile::tempdir().expect("temp dir");
    let book = dir.path().join("安泽县.xlsx");
    workbook_from_folder(&anze_with_unknown_subject(dir.path()), &book, true);
    let server = Server::start(&dir.path().join("ws"), &[]);

    browser.goto(server.url()).await;
    browser.upload("#import-files", &book).await;
    browser.click("#import-button").await;
    browser.wait_for("#error-message").await;
    let mut rows = Vec::new();
    for row in browser.find_all("#problems tbody tr").await {
        let mut cells = Vec::new();
        for cell in row.find_all(Locator::Css("td")).await.expect("cells") {
            cells.push(cell.text().await.expect("text"));
        }
        rows.push(cells);
    }
    assert_eq!(rows.len(), 1, "one problem: {rows:?}");
    // The title row and the header row come before the first teacher's row.
    assert_eq!(rows[0][..2], ["安泽县.xlsx 教师!E3".to_string(), "subject".to_string()], "its sheet, cell and column");
    assert!(rows[0][2].contains("无法识别的任教学科「书法天文」"), "what is wrong, in Chinese: {rows:?}");
    assert!(rows[0][2].contains("数学"), "what may be written instead: {rows:?}");
    let heads = browser.text("#problems thead").await;
    assert!(heads.contains("文件与行") && heads.contains("列"), "{heads}");
    assert!(browser.text("#error-message p").await.contains("数据有 1 处问题"), "the page's message is in Chinese");

    let junk = dir.path().join("名单.xlsx");
    std::fs::write(&junk, b"PK\x03\x04 this is not a workbook").expect("write");
    browser.goto(server.url()).await;
    browser.upload("#import-files", &junk).await;
    browser.click("#import-button").await;
    browser.wait_for("#error-message").await;
    let page = browser.page_text().await;
    assert!(browser.text("#problems tbody").await.contains("名单.xlsx"), "the file is named: {page}");
    assert!(has_cjk(&browser.text("#problems tbody").await), "why, in Chinese: {page}");
    browser.goto(server.url()).await;
    assert!(browser.find_all("#datasets").await.is_empty(), "nothing was imported");
    browser.close().await;
}

/// The words of the page's top bar (but the language switch, which names
/// the other language in its own words) and its main heading.
async fn headings(browser: &Browser) -> String {
    let nav = browser.text("header nav").await;
    let switch = browser.text("#lang-switch").await;
    format!("{} | {} | {}", nav.replace(&switch, ""), browser.text("header .brand").await, browser.text("h1").await)
}

/// Clicks the language switch and waits for the page in the other language.
async fn switch_language(browser: &Browser, html_lang: &str) {
    browser.click("#lang-switch").await;
    browser.wait_for(&format!("html[lang=\"{html_lang}\"]")).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_english_switch() {
    let Some(browser) = browser_or_skip("the_english_switch").await else { return };
    let dir = tempfile::tempdir().expect("temp dir");
    let server = Server::start(&dir.path().join("ws"), &[]);
    browser.goto(server.url()).await;
    assert_eq!(browser.text("#lang-switch").await, "English");
    assert!(browser.text("h1").await.contains("县域数据"), "Chinese by default");

    switch_language(&browser, "en").await;
    assert_eq!(url(&browser).await, server.url(), "the switch comes back to the page it was clicked on");
    let home = headings(&browser).await;
    assert!(!has_cjk(&home), "the home page is in English: {home}");
    assert!(home.contains("Counties") && home.contains("Versions"), "{home}");
    assert_eq!(browser.text("#import-button").await, "Import and check");
    assert_eq!(browser.text("#lang-switch").await, "中文", "the switch back names Chinese in Chinese");

    let files: Vec<PathBuf> = ["schools.csv", "teachers.csv", "classes.csv", "policy.toml"]
        .iter()
        .map(|n| fixture("tiny_classes").join(n))
        .filter(|p| p.exists())
        .collect();
    let county = import(&browser, &server, "Tiny", &files).await;
    let page = headings(&browser).await;
    assert!(!has_cjk(&page), "the county page is in English: {page}");
    assert!(!has_cjk(&browser.text("#plan-form").await), "the plan form is in English");
    plan_from_the_page(&browser, "60").await;
    let run = headings(&browser).await;
    assert!(!has_cjk(&run), "the run page is in English: {run}");
    assert_eq!(browser.text("#run-status").await, "done");
    assert!(browser.text("#proven").await.contains("proven optimal"), "{}", browser.text("#proven").await);

    switch_language(&browser, "zh-CN").await;
    assert!(has_cjk(&browser.text("header nav").await), "Chinese again");
    assert!(browser.text("#proven").await.contains("各阶段均已证明最优"));
    browser.goto(&county).await;
    assert_eq!(browser.text("#lang-switch").await, "English", "the choice holds on the next page");
    assert!(has_cjk(&browser.text("#plan-form").await));
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_whatif_from_the_form() {
    let Some(browser) = browser_or_skip("a_whatif_from_the_form").await else { return };
    let dir = tempfile::tempdir().expect("temp dir");
    let server = Server::start(&dir.path().join("ws"), &[]);
    let files: Vec<PathBuf> =
        std::fs::read_dir(fixture("tiny_classes")).expect("fixture").map(|e| e.expect("entry").path()).collect();
    import(&browser, &server, "小县", &files).await;
    browser.click("#whatif-link").await;
    browser.wait_for("#whatif-form").await;

    browser.type_into("#whatif-form input[name=name]", "多一名数学教师").await;
    let hire = browser.find("#hire-rows tr").await;
    for (field, value) in [("hire_section", "primary"), ("hire_subject", "math"), ("hire_degree", "bachelor")] {
        let select = hire.find(Locator::Css(&format!("select[name={field}]"))).await.expect("a hire field");
        select.select_by_value(value).await.unwrap_or_else(|e| panic!("{field} = {value}: {e}"));
    }
    let count = hire.find(Locator::Css("input[name=hire_count]")).await.expect("the count");
    count.send_keys("1").await.expect("type the count");
    browser.type_into("#whatif-form input[name=backbone_min]", "20").await;
    browser.click("#save-scenario").await;
    let saved = browser.wait_for("#scenarios label").await;
    assert_eq!(saved.text().await.expect("text"), "多一名数学教师");

    browser.click("#scenario-baseline").await;
    browser.click("#scenarios input[type=checkbox]:not(#scenario-baseline)").await;
    let before = url(&browser).await;
    browser.click("#compare-button").await;
    wait_for_other_page(&browser, &before).await;
    assert_eq!(wait_for_run_over(&browser).await, "done", "{}", browser.page_text().await);
    let columns = browser.find_all("#comparison thead th[data-scenario]").await;
    let mut names = Vec::new();
    for th in &columns {
        names.push(th.text().await.expect("text"));
    }
    assert_eq!(names.len(), 2, "the baseline and the scenario side by side: {names:?}");
    assert!(names[0].contains("基准"), "{names:?}");
    assert_eq!(names[1], "多一名数学教师");
    let hires = browser.text("#comparison tr[data-measure=hires]").await;
    assert!(hires.contains('1'), "the scenario's hire: {hires}");
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cancel_from_the_page() {
    let Some(browser) = browser_or_skip("cancel_from_the_page").await else { return };
    let dir = tempfile::tempdir().expect("temp dir");
    let slow = dir.path().join("slow");
    let args = ["synth", "--seed", "31", "--schools", "120", "-o"].map(std::ffi::OsStr::new);
    cli(&[&args[..], &[slow.as_os_str()]].concat());
    let server = Server::start(&dir.path().join("ws"), &[]);
    let files: Vec<PathBuf> = std::fs::read_dir(&slow)
        .expect("synth folder")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "csv" || e == "toml"))
        .collect();
    import(&browser, &server, "慢县", &files).await;
    browser.type_into("#time-limit", "3000").await;
    let before = url(&browser).await;
    browser.click("#plan-button").await;
    wait_for_other_page(&browser, &before).await;
    browser.wait_for("#run-status[data-status=running]").await;
    browser.click("#cancel-button").await;
    assert_eq!(wait_for_run_over(&browser).await, "cancelled", "{}", browser.page_text().await);
    assert!(browser.find_all("#rotations").await.is_empty(), "a cancelled run shows no list");
    assert!(browser.text("#run-status").await.contains("取消"), "{}", browser.text("#run-status").await);
    browser.close().await;
}

/// A finished plan's page with its list, for docs/serve-screenshot.png:
/// `ROTAPLAN_SCREENSHOT=docs/serve-screenshot.png cargo test --release
/// --test it screenshot_for_the_readme -- --ignored`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "makes the README's screenshot"]
async fn screenshot_for_the_readme() {
    let out = std::env::var_os("ROTAPLAN_SCREENSHOT").expect("ROTAPLAN_SCREENSHOT names the PNG to write");
    let Some(browser) = browser_or_skip("screenshot_for_the_readme").await else { return };
    let dir = tempfile::tempdir().expect("temp dir");
    let book = dir.path().join("安泽县.xlsx");
    workbook_from_folder(&anze(), &book, true);
    let server = Server::start(&dir.path().join("ws"), &[]);
    import(&browser, &server, "安泽县 2026", std::slice::from_ref(&book)).await;
    plan_from_the_page(&browser, "600").await;
    browser.client().set_window_size(1280, 1500).await.expect("window size");
    let proven = browser.find("#proven").await;
    browser
        .client()
        .execute(
            "arguments[0].scrollIntoView(true); window.scrollBy(0, -90);",
            vec![serde_json::to_value(&proven).expect("element")],
        )
        .await
        .expect("scroll");
    let png = browser.client().screenshot().await.expect("screenshot");
    std::fs::write(&out, png).expect("write the screenshot");
    browser.close().await;
}
