//! Input problems in the run's language: Chinese by default, English
//! under `--lang en` (issue 12, point 3).

use std::ffi::OsStr;
use std::path::Path;

use assert_cmd::Command;

use crate::score::small_county;

/// Runs rotaplan with `args` in the default language and with `--lang en`;
/// asserts exit 2 both times, `zh` (and not `en`) in the first stderr and
/// `en` in the second.
fn refused_in_both_languages(args: &[&OsStr], zh: &str, en: &str) {
    let run = |lang: &[&str]| {
        let output = Command::cargo_bin("rotaplan").unwrap().args(lang).args(args).output().unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr).to_string();
        assert_eq!(output.status.code(), Some(2), "{args:?} {lang:?}: {stderr}");
        stderr
    };
    let chinese = run(&[]);
    assert!(chinese.contains(zh), "{args:?}: expected {zh:?} in {chinese}");
    assert!(!chinese.contains(en), "{args:?}: no English {en:?} in {chinese}");
    let english = run(&["--lang", "en"]);
    assert!(english.contains(en), "{args:?}: expected {en:?} in {english}");
}

fn os(path: &Path) -> &OsStr {
    path.as_os_str()
}

fn arg(text: &str) -> &OsStr {
    OsStr::new(text)
}

#[test]
fn input_zh_policy_key_out_of_range_and_unknown() {
    let tmp = tempfile::tempdir().unwrap();
    let data = small_county(&tmp.path().join("county"));
    let policy = tmp.path().join("override.toml");
    std::fs::write(&policy, "[rotation]\nmin_share = 2\n").unwrap();
    let args = [arg("check"), os(&data), arg("--policy"), os(&policy)];
    refused_in_both_languages(
        &args,
        "2 超出范围；请填 0 到 1 之间的比例，如 0.10",
        "2 is out of range; give a share from 0 to 1",
    );
    std::fs::write(&policy, "[movement]\nmax_distnce_km = 5\n").unwrap();
    refused_in_both_languages(
        &args,
        "未知的政策参数 `movement.max_distnce_km`；是否想写 `movement.max_distance_km`？",
        "unknown policy key `movement.max_distnce_km`; did you mean `movement.max_distance_km`?",
    );
    std::fs::write(&policy, "[staffing.primary]\ncooking = 2\n").unwrap();
    refused_in_both_languages(
        &args,
        "未知学科「cooking」；可填：chinese、math",
        "unknown subject \"cooking\"; use one of chinese, math",
    );
    std::fs::write(&policy, "[eligibility]\ninclude_principals = \"maybe\"\n").unwrap();
    refused_in_both_languages(&args, "「maybe」不是“是/否”", "\"maybe\" is not yes/no");
}

#[test]
fn input_zh_policy_file_that_is_not_toml_or_contradicts_itself() {
    let tmp = tempfile::tempdir().unwrap();
    let data = small_county(&tmp.path().join("county"));
    let policy = tmp.path().join("override.toml");
    std::fs::write(&policy, "[rotation\nmin_share = 0.1\n").unwrap();
    let args = [arg("check"), os(&data), arg("--policy"), os(&policy)];
    refused_in_both_languages(&args, "不是有效的 TOML：表头缺少右方括号「]」", "not valid TOML: unclosed table");
    std::fs::write(&policy, "[rotation]\nmin_share = 0.3\nmax_share = 0.2\n").unwrap();
    refused_in_both_languages(&args, "max_share 0.2 小于 min_share 0.3", "max_share 0.2 is below min_share 0.3");
    // The principals' own shares (issue 15): the default max_share 0.2 below a min_share of 0.3.
    std::fs::write(&policy, "[principals]\nmin_share = 0.3\n").unwrap();
    refused_in_both_languages(
        &args,
        "principals.max_share 0.2 小于 principals.min_share 0.3",
        "max_share 0.2 is below min_share 0.3: no plan could make the required principal moves",
    );
}

#[test]
fn input_zh_scenario_problems() {
    let tmp = tempfile::tempdir().unwrap();
    small_county(&tmp.path().join("county"));
    let path = tmp.path().join("bad.toml");
    let out = tmp.path().join("out");
    let args = [arg("whatif"), os(&path), arg("-o"), os(&out)];
    std::fs::write(&path, "data = \"county\"\n[[retire]]\nteacher_id = \"NOBODY\"\n").unwrap();
    refused_in_both_languages(&args, "county 中没有教师「NOBODY」", "no teacher \"NOBODY\" in county");
    std::fs::write(
        &path,
        "data = \"county\"\n[[hire]]\nsection = \"高中\"\nsubject = \"math\"\ndegree = \"bachelor\"\ncount = 1\n",
    )
    .unwrap();
    refused_in_both_languages(
        &args,
        "未知的值「高中」；可填：primary、junior（或 小学、初中）",
        "unknown value \"高中\"; use one of primary, junior",
    );
    // The toml crate's and serde's own words, in Chinese.
    let toml_cases = [
        (
            "data = \"county\"\n[changes]\nhires = 1\n",
            "不认识的键「changes」；可用的键：name、data、policy",
            "unknown field `changes`",
        ),
        ("data = \"county\"\nname = \"a\"\nname = \"b\"\n", "键重复：同一个键写了两次", "duplicate key"),
        ("name = plain\n", "文字要加引号", "string values must be quoted"),
        (
            "data = \"county\"\n[[hire]]\nsection = \"primary\"\nsubject = \"math\"\ncount = \"many\"\n",
            "类型不对：写的是文字 \"many\"，应为整数（不加引号）",
            "invalid type: string \"many\"",
        ),
    ];
    let more_toml = [
        ("x = 1e\n", "数的指数部分的写法有误", "invalid exponent"),
        (
            "data = \"county\"\n[[hire]]\nsection = \"primary\"\nsubject = \"math\"\ncount = -6\n",
            "整数 -6 超出范围",
            "invalid value",
        ),
        (
            "data = \"county\"\n[[retire]]\nteacher_id = \"T0001\"\n[[retire]]\nteacher_id = \"T0001\"\n",
            "教师「T0001」已在 retire[0] 中退休",
            "retires already in retire[0]",
        ),
    ];
    for (text, zh, en) in toml_cases.into_iter().chain(more_toml) {
        std::fs::write(&path, text).unwrap();
        refused_in_both_languages(&args, zh, en);
    }
    // A scenario's problems come before any word of solving.
    let output = Command::cargo_bin("rotaplan").unwrap().args(args).output().unwrap();
    assert!(!String::from_utf8_lossy(&output.stderr).contains("正在求解"));
    assert!(!out.exists(), "a refused run writes nothing");
}

#[test]
fn input_zh_subjects_and_synth_policy_arguments() {
    let tmp = tempfile::tempdir().unwrap();
    let data = small_county(&tmp.path().join("county"));
    let out = tmp.path().join("out");
    refused_in_both_languages(
        &[arg("hires"), os(&data), arg("--subjects"), arg("cooking"), arg("-o"), os(&out)],
        "未知学科「cooking」；可填：",
        "unknown subject \"cooking\"; use chinese, math",
    );
    let policy = data.join("policy.toml");
    refused_in_both_languages(
        &[arg("synth"), arg("--seed"), arg("7"), arg("--policy"), os(&policy), arg("-o"), os(&out)],
        "synth 不读取政策文件",
        "synth does not read a policy",
    );
    assert!(!out.exists(), "a refused run writes nothing");
}

#[test]
fn input_zh_output_folder_and_plan_folder_names() {
    let tmp = tempfile::tempdir().unwrap();
    let data = small_county(&tmp.path().join("county"));
    let file = tmp.path().join("out.txt");
    std::fs::write(&file, "keep me").unwrap();
    refused_in_both_languages(
        &[arg("plan"), os(&data), arg("-o"), os(&file)],
        "是文件，不是文件夹",
        "is a file, not a folder",
    );
    refused_in_both_languages(
        &[arg("plan"), os(&data), arg("-o"), os(&data)],
        "就是输入",
        "never writes where it reads",
    );
    let bad = tmp.path().join(".hidden.toml");
    std::fs::write(&bad, "data = \"county\"\n").unwrap();
    let out = tmp.path().join("whatif");
    refused_in_both_languages(
        &[arg("whatif"), os(&bad), arg("-o"), os(&out)],
        "这不是安全的文件夹名",
        "not a safe folder name",
    );
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "keep me");
    assert!(!out.exists());
}

#[test]
fn a_file_of_many_bad_lines_lists_its_first_problems_and_counts_the_rest() {
    let tmp = tempfile::tempdir().unwrap();
    let data = small_county(&tmp.path().join("county"));
    let teachers = data.join("teachers.csv");
    let text = std::fs::read_to_string(&teachers).unwrap();
    std::fs::write(&teachers, format!("{text}{}", "a\n".repeat(1500))).unwrap();
    let output = Command::cargo_bin("rotaplan").unwrap().arg("check").arg(&data).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(stderr.contains("输入中的问题超过 1000 处，只列出前 1000 处"), "{}", &stderr[..400.min(stderr.len())]);
    let listed: Vec<&str> = stderr.lines().filter(|l| l.starts_with("  ")).collect();
    assert_eq!(listed.len(), 1001, "the first 1,000 problems, then how many more");
    assert!(listed[1000].contains("从这里起另有") && listed[1000].contains("处问题未列出"), "{}", listed[1000]);
    let more: usize = listed[1000].split("另有 ").nth(1).unwrap().split(' ').next().unwrap().parse().unwrap();
    assert!(more >= 500, "1,500 bad lines: {more} more");
    // A subject cell with ESC and BEL: its problem quotes the cell, and the
    // terminal is not sent them as they are.
    let (header, first) = {
        let mut lines = text.lines();
        (lines.next().unwrap().trim_start_matches('\u{feff}').to_string(), lines.next().unwrap().to_string())
    };
    let column = header.split(',').position(|h| h == "subject").unwrap();
    let mut cells: Vec<String> = first.split(',').map(str::to_string).collect();
    cells[column] = "T\u{1b}[31mX\u{7}".into();
    cells[0] = "Z9".into();
    std::fs::write(&teachers, format!("{text}{}\n", cells.join(","))).unwrap();
    let output = Command::cargo_bin("rotaplan").unwrap().arg("check").arg(&data).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(!stderr.contains('\u{1b}') && !stderr.contains('\u{7}'), "no control characters reach the terminal");
    assert!(stderr.contains("T\u{fffd}[31mX\u{fffd}"), "shown as U+FFFD: {stderr}");
}

/// Every command of the program, as `rotaplan --help` lists them.
const COMMANDS: &[&str] = &[
    "check", "evaluate", "quota", "plan", "replan", "score", "whatif", "hires", "levers", "advance", "serve", "synth",
];

fn has_chinese(text: &str) -> bool {
    text.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
}

/// The help of the program and of each command is Chinese by default:
/// headings, usage line, every command, argument and option described
/// (none left to clap's English), defaults and choices; `--lang en` gives
/// clap's English.
#[test]
fn input_zh_every_help_page_is_in_chinese_by_default() {
    for command in std::iter::once("").chain(COMMANDS.iter().copied()) {
        let words: Vec<&str> = [command, "--help"].into_iter().filter(|w| !w.is_empty()).collect();
        let output = Command::cargo_bin("rotaplan").unwrap().args(&words).output().unwrap();
        assert_eq!(output.status.code(), Some(0), "{words:?}");
        let help = String::from_utf8_lossy(&output.stdout).to_string();
        assert!(help.starts_with(|c: char| has_chinese(&c.to_string())), "{words:?}: {help}");
        assert!(help.contains(&format!("用法：rotaplan {command}").trim_end().to_string()), "{words:?}: {help}");
        // The headings end in a full-width colon, as the usage line's.
        assert!(help.contains("\n选项：\n") && !help.contains("选项:"), "{words:?}: {help}");
        for english in
            ["Usage", "Options", "Arguments", "Commands", "[default", "possible values", "Print ", "[OPTIONS]"]
        {
            assert!(!help.contains(english), "{words:?}: {english:?} in {help}");
        }
        // Each line that describes a command, an argument or an option.
        for line in help.lines().filter(|l| l.starts_with("  ")) {
            assert!(has_chinese(line), "{words:?}: a line without its Chinese help: {line:?}");
        }
        if !command.is_empty() {
            let via_help = Command::cargo_bin("rotaplan").unwrap().args(["help", command]).output().unwrap();
            assert_eq!(String::from_utf8_lossy(&via_help.stdout), help, "rotaplan help {command}");
        }
        let english = Command::cargo_bin("rotaplan").unwrap().args(["--lang", "en"]).args(&words).output().unwrap();
        let english = String::from_utf8_lossy(&english.stdout).to_string();
        assert!(english.contains("Usage: rotaplan") && english.contains("Print help"), "{words:?}: {english}");
    }
    let plan = Command::cargo_bin("rotaplan").unwrap().args(["plan", "--help"]).output().unwrap();
    let plan = String::from_utf8_lossy(&plan.stdout).to_string();
    assert!(plan.contains("--time-limit <秒数>") && plan.contains("［默认：600］"), "{plan}");
    assert!(plan.contains("可选：zh、en［默认：zh］"), "{plan}");
}

/// Wrong arguments are refused with exit 2, in Chinese by default with the
/// command's usage line, in clap's English under `--lang en`.
#[test]
fn input_zh_argument_errors() {
    let cases: &[(&[&str], &str, &str)] = &[
        (&["plan"], "缺少必需的参数：<数据>", "the following required arguments were not provided"),
        (&["plan", "x", "--bogus"], "没有参数「--bogus」", "unexpected argument '--bogus' found"),
        (
            &["plan", "x", "--time-limt", "5"],
            "没有参数「--time-limt」；是不是要用 --time-limit？",
            "a similar argument exists",
        ),
        (&["pln", "x"], "没有命令「pln」；是不是要用 plan？", "unrecognized subcommand 'pln'"),
        (
            &["plan", "x", "--time-limit", "soon"],
            "--time-limit <秒数> 的值「soon」无效：「soon」不是数字；请给出大于 0、至多 86400 的秒数",
            "\"soon\" is not a number; give seconds above 0 and at most 86400",
        ),
        (&["plan", "x", "--horizon", "3"], "3 超出范围；请给出 1 到 2 的年数", "give a number of years from 1 to 2"),
        (&["serve", "--jobs", "0"], "0 超出范围；请给出 1 到 16 的个数", "give a number of plans from 1 to 16"),
        (&["serve", "--listen", "here"], "「here」不是「ip:端口」形式的地址", "\"here\" is not an address ip:port"),
        (&["synth", "--seed", "1.5", "-o", "x"], "「1.5」不是整数", "\"1.5\" is not a whole number"),
        (&["hires", "x", "--max", "-1"], "-1 超出范围；请给出 0 到 200 的人数", "-1 is out of range"),
        (&["plan", "x", "--time-limit"], "--time-limit <秒数> 后面缺少值", "a value is required for '--time-limit"),
        (&["evaluate", "x", "-o", "a", "-o", "b"], "--out <文件夹> 只能给一次", "cannot be used multiple times"),
    ];
    for (args, zh, en) in cases {
        let args: Vec<&OsStr> = args.iter().map(|a| arg(a)).collect();
        refused_in_both_languages(&args, zh, en);
        let output = Command::cargo_bin("rotaplan").unwrap().args(&args).output().unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr).to_string();
        let command =
            if args[0] == "pln" { "rotaplan".to_string() } else { format!("rotaplan {}", args[0].to_string_lossy()) };
        assert!(stderr.contains(&format!("用法：{command} ")), "{args:?}: {stderr}");
        assert!(stderr.contains(&format!("更多说明：{command} --help")), "{args:?}: {stderr}");
        for english in ["error", "Usage", "tip:", "For more information"] {
            assert!(!stderr.contains(english), "{args:?}: {english:?} in {stderr}");
        }
    }
}

/// A failed file or network operation says what it was doing and the
/// system's reason in Chinese by default (Rust words both in English),
/// in English under `--lang en`.
#[test]
fn input_zh_system_errors() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let tmp = tempfile::tempdir().unwrap();
    let workspace = tmp.path().join("ws");
    let run = |lang: &[&str]| {
        let output = Command::cargo_bin("rotaplan")
            .unwrap()
            .args(lang)
            .args([arg("serve"), os(&workspace), arg("--port"), arg(&port)])
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(1), "{lang:?}");
        String::from_utf8_lossy(&output.stderr).to_string()
    };
    let chinese = run(&[]);
    assert!(chinese.contains(&format!("监听 127.0.0.1:{port} 失败：端口已被占用")), "{chinese}");
    assert!(!chinese.contains("listening") && !chinese.contains("Address"), "{chinese}");
    let english = run(&["--lang", "en"]);
    assert!(english.contains(&format!("listening on 127.0.0.1:{port}: Address already in use")), "{english}");
    // An output folder under a file.
    let data = small_county(&tmp.path().join("county"));
    let file = tmp.path().join("a-file");
    std::fs::write(&file, "x").unwrap();
    let out = file.join("out");
    refused_in_both_languages(
        &[arg("evaluate"), os(&data), arg("-o"), os(&out)],
        "路径中有一段不是文件夹（系统错误代码 20）",
        "Not a directory (os error 20)",
    );
}

/// `serve` on a file names it as not a folder (exit 2), in both languages.
#[test]
fn input_zh_serve_workspace_that_is_a_file() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("notes.txt");
    std::fs::write(&file, "x").unwrap();
    refused_in_both_languages(
        &[arg("serve"), os(&file), arg("--port"), arg("0")],
        "是一个文件，不是文件夹",
        "is a file, not a folder",
    );
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "x");
}
