//! `rotaplan serve`'s what-if and register pages (issue 16): the form's
//! scenario file for each kind of change loads with `load_scenario` and
//! means what the form said; a bad value gives a 4xx page naming its field;
//! a comparison run from the page gives the same comparison.csv as
//! `rotaplan whatif` on the same scenario files; the register page lists
//! data/anze's exchanges, applications and family ties.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use rotaplan::exact::parse_exact;
use rotaplan::render::Lang;
use rotaplan::serve::pages::whatif::compare::baseline_toml;
use rotaplan::serve::pages::whatif::form::ScenarioForm;

use crate::common::{copy_folder, fixture};

fn anze() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("data").join("anze")
}

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
}

/// The form's scenario file, written beside a copy of data/anze and loaded
/// as `whatif` loads it.
fn load_form(list: &[(&str, &str)]) -> (String, rotaplan::io::scenario::Scenario) {
    let toml = ScenarioForm::from_pairs(&pairs(list)).build(None).expect("the form is valid").toml;
    let dir = tempfile::tempdir().unwrap();
    copy_folder(&anze(), &dir.path().join("anze"));
    let path = dir.path().join("form.toml");
    std::fs::write(&path, format!("data = \"anze\"\n{toml}")).unwrap();
    let scenario = rotaplan::load_scenario(&path).unwrap_or_else(|e| panic!("{e:?}\n{toml}"));
    (toml, scenario)
}

fn base_county() -> rotaplan::County {
    rotaplan::load(&anze(), None).unwrap().county
}

#[test]
fn form_hires_become_hire_entries() {
    let (toml, s) = load_form(&[
        ("name", "新聘"),
        ("hire_section", "primary"),
        ("hire_subject", "pe"),
        ("hire_degree", "bachelor"),
        ("hire_backbone", ""),
        ("hire_title", ""),
        ("hire_count", "6"),
        ("hire_section", ""),
        ("hire_subject", ""),
        ("hire_degree", "bachelor"),
        ("hire_backbone", ""),
        ("hire_title", ""),
        ("hire_count", ""),
        ("hire_section", "junior"),
        ("hire_subject", "math"),
        ("hire_degree", "postgraduate"),
        ("hire_backbone", "county"),
        ("hire_title", "second"),
        ("hire_count", "2"),
    ]);
    assert_eq!(s.name, "新聘");
    assert_eq!(toml.matches("[[hire]]").count(), 2, "the blank row is left out:\n{toml}");
    let groups: Vec<String> = s
        .hires
        .iter()
        .map(|g| {
            format!(
                "{} {} {} {} {:?} {}",
                g.level.word(),
                g.subject.word(),
                g.degree.word(),
                g.backbone.word(),
                g.title.map(|t| t.word()),
                g.ids.len()
            )
        })
        .collect();
    assert_eq!(groups, ["primary pe bachelor none None 6", "junior math postgraduate county Some(\"second\") 2"]);
}

#[test]
fn form_retirements_leave_the_county() {
    let (_, s) = load_form(&[("name", "退休"), ("retire", "T0837"), ("retire", ""), ("retire", "T0515")]);
    let before = base_county();
    assert_eq!(s.county.teachers.len(), before.teachers.len() - 2);
    assert!(!s.county.teachers.iter().any(|t| t.id == "T0837" || t.id == "T0515"));
}

#[test]
fn form_enrollment_changes_set_a_sections_students_and_classes() {
    let (_, s) = load_form(&[
        ("name", "扩招"),
        ("enroll_school", "AZ-P02"),
        ("enroll_section", "primary"),
        ("enroll_students", "1850"),
        ("enroll_classes", "40"),
        ("enroll_school", "AZ-P03"),
        ("enroll_section", "primary"),
        ("enroll_students", "1520"),
        ("enroll_classes", ""),
    ]);
    let before = base_county();
    let p02 = s.county.school("AZ-P02").unwrap();
    assert_eq!((p02.students[0], p02.classes[0]), (1850, 40));
    let p03 = s.county.school("AZ-P03").unwrap();
    assert_eq!(p03.students[0], 1520);
    assert_eq!(p03.classes[0], before.school("AZ-P03").unwrap().classes[0], "an empty class count keeps the classes");
}

#[test]
fn form_closures_merge_a_school_into_another() {
    let (_, s) = load_form(&[
        ("name", "撤并"),
        ("close_school", "AZ-T01"),
        ("close_into", "AZ-P04"),
        ("close_school", ""),
        ("close_into", ""),
    ]);
    let before = base_county();
    assert!(s.county.school("AZ-T01").is_none());
    let moved: Vec<&str> = before.teachers.iter().filter(|t| t.school_id == "AZ-T01").map(|t| t.id.as_str()).collect();
    assert!(!moved.is_empty());
    for id in moved {
        assert_eq!(s.county.teachers.iter().find(|t| t.id == id).unwrap().school_id, "AZ-P04");
    }
    let students = |c: &rotaplan::County, id: &str| c.school(id).unwrap().students[0];
    assert_eq!(students(&s.county, "AZ-P04"), students(&before, "AZ-P04") + students(&before, "AZ-T01"));
}

#[test]
fn form_policy_shares_and_distance_override_the_policy() {
    let (toml, s) = load_form(&[
        ("name", "政策"),
        ("rotation_min", "12"),
        ("rotation_max", "12.5"),
        ("backbone_min", "30"),
        ("max_distance", "30"),
    ]);
    let policy = &s.county.policy;
    assert_eq!(policy.rotation.min_share, parse_exact("0.12").unwrap(), "{toml}");
    assert_eq!(policy.rotation.max_share, parse_exact("0.125").unwrap());
    assert_eq!(policy.rotation.backbone_min_share, parse_exact("0.3").unwrap());
    assert_eq!(policy.movement.max_distance_km, 30.0);
    // Fields left empty keep the county's policy.
    let (_, plain) = load_form(&[("name", "空"), ("rotation_min", ""), ("max_distance", "")]);
    assert_eq!(plain.county.policy.rotation.min_share, base_county().policy.rotation.min_share);
}

#[test]
fn bad_form_values_name_their_field_and_row() {
    let form = ScenarioForm::from_pairs(&pairs(&[
        ("name", ""),
        ("hire_section", "primary"),
        ("hire_subject", "pe"),
        ("hire_degree", "bachelor"),
        ("hire_count", "0"),
        ("enroll_school", "AZ-P02"),
        ("enroll_section", "primary"),
        ("enroll_students", "-5"),
        ("enroll_classes", ""),
        ("close_school", "AZ-T01"),
        ("close_into", "AZ-T01"),
        ("rotation_min", "20"),
        ("rotation_max", "10"),
        ("max_distance", "abc"),
    ]));
    let problems = form.build(None).unwrap_err();
    let named: Vec<(&str, Option<usize>)> = problems.iter().map(|p| (p.field, p.row)).collect();
    for expected in [
        ("name", None),
        ("hire_count", Some(1)),
        ("enroll_students", Some(1)),
        ("close_into", Some(1)),
        ("rotation_max", None),
        ("max_distance", None),
    ] {
        assert!(named.contains(&expected), "{expected:?} not in {named:?}");
    }
}

/// A `rotaplan serve` on a free port of a fresh workspace, stopped on drop.
struct Server {
    child: Child,
    address: String,
    _workspace: tempfile::TempDir,
}

/// An answer: status, headers (lower-case names), body.
struct Answer {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Answer {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
    fn header(&self, name: &str) -> &str {
        self.headers.iter().find(|(k, _)| k == name).map_or("", |(_, v)| v.as_str())
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn url_encode(text: &str) -> String {
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

fn form_body(list: &[(&str, &str)]) -> Vec<u8> {
    list.iter().map(|(k, v)| format!("{}={}", url_encode(k), url_encode(v))).collect::<Vec<_>>().join("&").into_bytes()
}

impl Server {
    fn start() -> Server {
        let workspace = tempfile::tempdir().unwrap();
        let mut child = Command::new(env!("CARGO_BIN_EXE_rotaplan"))
            .arg("serve")
            .arg(workspace.path().join("ws"))
            .args(["--port", "0"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
        let address = line.split("http://").nth(1).and_then(|rest| rest.split('/').next()).unwrap().to_string();
        Server { child, address, _workspace: workspace }
    }

    fn request(&self, method: &str, path: &str, kind: &str, body: &[u8]) -> Answer {
        let mut stream = TcpStream::connect(&self.address).unwrap();
        let head = format!(
            "{method} {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\nContent-Type: {kind}\r\nContent-Length: {}\r\n\r\n",
            self.address,
            body.len()
        );
        stream.write_all(head.as_bytes()).unwrap();
        stream.write_all(body).unwrap();
        let mut raw = Vec::new();
        stream.read_to_end(&mut raw).unwrap();
        let split = raw.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
        let head = String::from_utf8_lossy(&raw[..split]).into_owned();
        let mut lines = head.split("\r\n");
        let status = lines.next().unwrap().split(' ').nth(1).unwrap().parse().unwrap();
        let headers: Vec<(String, String)> = lines
            .filter_map(|l| l.split_once(':'))
            .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
            .collect();
        let mut body = raw[split + 4..].to_vec();
        if headers.iter().any(|(k, v)| k == "transfer-encoding" && v.contains("chunked")) {
            body = dechunk(&body);
        }
        Answer { status, headers, body }
    }

    fn get(&self, path: &str) -> Answer {
        self.request("GET", path, "text/plain", b"")
    }

    /// The anti-forgery token of the pages.
    fn csrf(&self) -> String {
        let page = self.get("/").text();
        let at = page.find("csrf=").unwrap() + 5;
        page[at..].chars().take_while(char::is_ascii_hexdigit).collect()
    }

    fn post_form(&self, path: &str, list: &[(&str, &str)]) -> Answer {
        let path = format!("{path}?csrf={}", self.csrf());
        self.request("POST", &path, "application/x-www-form-urlencoded", &form_body(list))
    }

    /// Imports a data folder's files; the data set's id.
    fn import(&self, folder: &Path) -> i64 {
        let boundary = "rotaplanTestBoundary7";
        let mut body = Vec::new();
        let mut names: Vec<PathBuf> = std::fs::read_dir(folder)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "csv" || e == "toml"))
            .collect();
        names.sort();
        for path in names {
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            body.extend(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"{name}\"\r\nContent-Type: text/csv\r\n\r\n").as_bytes());
            body.extend(std::fs::read(&path).unwrap());
            body.extend(b"\r\n");
        }
        body.extend(format!("--{boundary}--\r\n").as_bytes());
        let path = format!("/import?csrf={}", self.csrf());
        let answer = self.request("POST", &path, &format!("multipart/form-data; boundary={boundary}"), &body);
        assert_eq!(answer.status, 303, "{}", answer.text());
        answer.header("location").trim_start_matches("/datasets/").parse().unwrap()
    }
}

fn dechunk(mut body: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let end = body.windows(2).position(|w| w == b"\r\n").unwrap();
        let size = usize::from_str_radix(String::from_utf8_lossy(&body[..end]).trim(), 16).unwrap();
        if size == 0 {
            return out;
        }
        out.extend(&body[end + 2..end + 2 + size]);
        body = &body[end + 4 + size..];
    }
}

#[test]
fn a_bad_form_value_gives_a_page_naming_the_field() {
    let server = Server::start();
    let id = server.import(&anze());
    let answer = server.post_form(
        &format!("/datasets/{id}/whatif"),
        &[
            ("name", "坏值"),
            ("hire_section", "primary"),
            ("hire_subject", "pe"),
            ("hire_degree", "bachelor"),
            ("hire_count", "abc"),
        ],
    );
    assert_eq!(answer.status, 422);
    let page = answer.text();
    assert!(page.contains("id=\"form-problems\""), "{page}");
    assert!(page.contains("新聘教师：人数") && page.contains("第 1 行") && page.contains("abc"), "{page}");
    // A problem only the full check finds (a junior school cannot merge into
    // a teaching point) names its field too.
    let answer = server.post_form(
        &format!("/datasets/{id}/whatif"),
        &[("name", "撤并初中"), ("close_school", "AZ-J01"), ("close_into", "AZ-T01")],
    );
    assert_eq!(answer.status, 422);
    let page = answer.text();
    assert!(page.contains("data-field=\"close_into\" data-row=\"1\""), "{page}");
    assert!(page.contains("撤并：并入学校"), "{page}");
    // Nothing was saved.
    assert!(!server.get(&format!("/datasets/{id}/whatif")).text().contains("/scenarios/"));
}

#[test]
fn the_register_page_lists_anzes_exchanges_applications_and_family_ties() {
    let server = Server::start();
    let id = server.import(&anze());
    let answer = server.get(&format!("/datasets/{id}/register"));
    assert_eq!(answer.status, 200);
    let page = answer.text();
    assert!(page.contains("<table class=\"list\" id=\"exchanges\">"), "{page}");
    assert!(page.contains("<table class=\"list\" id=\"applications\">"));
    assert!(page.contains("<table class=\"list\" id=\"family\">"));
    let county = base_county();
    assert!(!county.exchanges.is_empty());
    for e in &county.exchanges {
        assert!(
            page.contains(&format!("<tr data-teacher=\"{}\"><td>{}", e.teacher_id, e.teacher_id)),
            "{}",
            e.teacher_id
        );
    }
    for a in &county.applications {
        assert!(page.contains(&format!("data-teacher=\"{}\"", a.teacher_id)));
    }
    let exchanges = &page[page.find("id=\"exchanges\"").unwrap()..page.find("id=\"applications\"").unwrap()];
    assert_eq!(exchanges.matches("<tr data-teacher=").count(), county.exchanges.len());
    let family = &page[page.find("id=\"family\"").unwrap()..];
    assert_eq!(family.matches("<tr>").count(), county.family.len() + 1);
    // A county without them says so.
    let tiny = server.import(&fixture("tiny"));
    let page = server.get(&format!("/datasets/{tiny}/register")).text();
    assert!(page.contains("<p class=\"empty\" id=\"exchanges\">本数据集中没有交流记录。</p>"), "{page}");
    assert!(page.contains("<p class=\"empty\" id=\"applications\">"));
    assert!(page.contains("<p class=\"empty\" id=\"family\">"));
}

/// Two scenarios of the tiny county (with classes.csv: it has a plan), as
/// the form posts them.
const RETIRE: &[(&str, &str)] = &[("name", "一人退休"), ("retire", "1002"), ("retire", "")];
const HIRE: &[(&str, &str)] = &[
    ("name", "新聘体育教师"),
    ("hire_section", "primary"),
    ("hire_subject", "pe"),
    ("hire_degree", "bachelor"),
    ("hire_backbone", ""),
    ("hire_title", ""),
    ("hire_count", "1"),
    ("max_distance", "50"),
];

#[test]
fn a_comparison_from_the_page_equals_whatif_on_the_same_files() {
    let server = Server::start();
    let id = server.import(&fixture("tiny_classes"));
    for form in [RETIRE, HIRE] {
        let answer = server.post_form(&format!("/datasets/{id}/whatif"), form);
        assert_eq!(answer.status, 303, "{}", answer.text());
    }
    let page = server.get(&format!("/datasets/{id}/whatif")).text();
    assert!(page.contains("value=\"1\"") && page.contains("一人退休") && page.contains("新聘体育教师"), "{page}");
    let toml_page = server.get(&format!("/datasets/{id}/scenarios/1")).text();
    assert!(toml_page.contains("[[retire]]") && toml_page.contains("teacher_id"), "{toml_page}");
    // One ticked scenario is not a comparison.
    let answer = server.post_form(&format!("/datasets/{id}/whatif/compare"), &[("scenario", "1")]);
    assert_eq!(answer.status, 400);
    let answer = server.post_form(
        &format!("/datasets/{id}/whatif/compare"),
        &[("scenario", "baseline"), ("scenario", "1"), ("scenario", "2"), ("time_limit", "600")],
    );
    assert_eq!(answer.status, 303, "{}", answer.text());
    let run = answer.header("location").to_string();
    let started = std::time::Instant::now();
    loop {
        let status = server.get(&format!("{run}/status.json")).text();
        if status.contains("\"over\":true") {
            assert!(status.contains("\"status\":\"done\""), "{status}");
            break;
        }
        assert!(started.elapsed().as_secs() < 1800, "the run did not end");
        std::thread::sleep(std::time::Duration::from_millis(200));
    }
    let from_page = server.get(&format!("{run}/file?name=comparison.csv"));
    assert_eq!(from_page.status, 200);

    let dir = tempfile::tempdir().unwrap();
    copy_folder(&fixture("tiny_classes"), &dir.path().join("data"));
    std::fs::create_dir_all(dir.path().join("scenarios")).unwrap();
    let bodies = [
        baseline_toml(Lang::Zh),
        ScenarioForm::from_pairs(&pairs(RETIRE)).build(None).unwrap().toml,
        ScenarioForm::from_pairs(&pairs(HIRE)).build(None).unwrap().toml,
    ];
    let mut files = Vec::new();
    for (i, body) in bodies.iter().enumerate() {
        let path = dir.path().join("scenarios").join(format!("s{:02}.toml", i + 1));
        std::fs::write(&path, format!("data = \"../data\"\n{body}")).unwrap();
        files.push(path);
    }
    let out = dir.path().join("out");
    let status = Command::new(env!("CARGO_BIN_EXE_rotaplan"))
        .args(["--lang", "zh", "whatif"])
        .args(&files)
        .arg("-o")
        .arg(&out)
        .args(["--time-limit", "600"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .unwrap();
    assert!(status.success());
    let from_cli = std::fs::read(out.join("comparison.csv")).unwrap();
    let feasible = String::from_utf8_lossy(&from_cli).lines().skip(1).filter(|l| l.contains(",yes,")).count();
    assert_eq!(feasible, 3, "every scenario has a plan");
    assert_eq!(String::from_utf8_lossy(&from_page.body), String::from_utf8_lossy(&from_cli));

    let page = server.get(&run).text();
    assert!(page.contains("id=\"comparison\""), "{page}");
    for name in ["基准：县域现状", "一人退休", "新聘体育教师"] {
        assert!(page.contains(name), "{name}");
    }
    let links: Vec<&str> = page.match_indices("file?name=").map(|(i, _)| &page[i..(i + 40).min(page.len())]).collect();
    assert!(page.contains("name=s02%2Frotations.csv"), "each scenario's plan files are downloadable: {links:?}");
    let rotations = server.get(&format!("{run}/file?name=s02%2Frotations.csv"));
    assert_eq!(rotations.body, std::fs::read(out.join("s02").join("rotations.csv")).unwrap());
}
