//! The `rotaplan` command: parses arguments and calls the library.
#![forbid(unsafe_code)]

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

use std::sync::OnceLock;

use clap::{Parser, Subcommand, ValueEnum};

use rotaplan::commands::hires::{self, HiresOutcome, HiresSearch};
use rotaplan::commands::levers::{self, LeversOutcome};
use rotaplan::commands::synth::Knobs;
use rotaplan::domain::Subject;
use rotaplan::error::Text;
use rotaplan::io::policy_keys::choices;
use rotaplan::plan::Progress;
use rotaplan::render::cli::values::{self, Whole};
use rotaplan::render::cli::{self as cli_words, ArgProblem};
use rotaplan::render::diagnosis::{conflict_line, diagnosis_lines};
use rotaplan::render::outdir::{OutputFolder, OutputKind};
use rotaplan::render::terminal::{self, plan_terminal_summary};
use rotaplan::{
    diagnosis_files, evaluate_county, load, plan, plan_files, County, Diagnosis, Error, InputProblem, Lang, Loaded,
    Outcome, PlanOptions,
};

/// The malloc arenas glibc may keep (`MALLOC_ARENA_MAX`).
const MALLOC_ARENAS: &str = "2";

/// glibc keeps the memory a thread frees in that thread's arena, one arena
/// a thread up to eight a core; every solve runs on a thread of its own
/// and the searches beside a stage's chain on two more. On the city of the
/// benchmarks (400 schools) that held about 0.6 GB more at the peak than
/// two arenas do (4.36 GiB against 3.62–3.78 GiB, the same plan; the suite's
/// counties take the same time). glibc reads the limit from the
/// environment when a process starts, so the program starts itself again
/// once with it set: the same process id, arguments and streams. Nothing
/// happens when the variable is already set, or when the file the process
/// runs is not the program's own file as it stands (run through the
/// dynamic loader, the process's file is the loader; a deleted program's
/// path may name another file), or when the program cannot be started
/// again: it then goes on as it is.
fn limit_malloc_arenas() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        use std::os::unix::fs::MetadataExt;
        use std::os::unix::process::CommandExt;
        if std::env::var_os("MALLOC_ARENA_MAX").is_some() {
            return;
        }
        let Ok(program) = std::env::current_exe() else { return };
        let loader = program
            .file_name()
            .and_then(|name| name.to_str())
            .is_none_or(|name| name.starts_with("ld-") || name.starts_with("ld.so"));
        let same_file = match (std::fs::metadata(&program), std::fs::metadata("/proc/self/exe")) {
            (Ok(path), Ok(running)) => (path.dev(), path.ino()) == (running.dev(), running.ino()),
            _ => false,
        };
        if loader || !same_file {
            return;
        }
        let mut args = std::env::args_os();
        let arg0 = args.next().unwrap_or_else(|| program.clone().into_os_string());
        // `exec` returns only when it failed.
        let _failed =
            std::process::Command::new(&program).arg0(arg0).args(args).env("MALLOC_ARENA_MAX", MALLOC_ARENAS).exec();
    }
}

/// `println!` on stdout that never panics: a closed or full stdout (a
/// pipe whose reader ended, `/dev/full`) loses the text, as with other
/// command-line tools, and the run goes on (its files are written all the
/// same). A cell's control characters are shown as U+FFFD
/// ([`terminal::printable`]), here and in [`out`] and [`errln`].
macro_rules! outln {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout(), "{}", terminal::printable(&format!($($arg)*), true));
    }};
}

/// `print!` on stdout that never panics (see [`outln`]).
macro_rules! out {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = write!(std::io::stdout(), "{}", terminal::printable(&format!($($arg)*), true));
    }};
}

/// `eprintln!` that never panics when stderr is closed or full.
macro_rules! errln {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr(), "{}", terminal::printable(&format!($($arg)*), true));
    }};
}

#[derive(Parser)]
#[command(
    name = "rotaplan",
    version,
    about = "Teacher exchange-rotation planner for a county education bureau (教师交流轮岗)"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
    /// Extra policy.toml applied over the data's own policy.
    #[arg(long, global = true)]
    policy: Option<PathBuf>,
    /// Language of the human-facing outputs.
    #[arg(long, global = true, value_enum, default_value = "zh")]
    lang: LangArg,
    /// Print nothing but errors.
    #[arg(long, short, global = true)]
    quiet: bool,
    /// Replace an output folder that holds files rotaplan did not write
    /// (never one that holds or lies inside an input).
    #[arg(long, global = true)]
    force: bool,
    /// How progress and warnings are printed on stderr: worded lines, or one
    /// JSON object a line ending with a `finished` line (for `serve`).
    #[arg(long, global = true, hide = true, value_enum, default_value = "text")]
    progress_format: ProgressFormat,
}

#[derive(Clone, Copy, ValueEnum)]
enum LangArg {
    Zh,
    En,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ProgressFormat {
    Text,
    Json,
}

/// Whether progress and warnings are printed as JSON lines (`--progress-format json`).
static PROGRESS_JSON: AtomicBool = AtomicBool::new(false);

#[derive(Subcommand)]
enum Command {
    /// Validate the data; list every problem, write nothing.
    Check {
        /// Data folder or .xlsx workbook.
        data: PathBuf,
    },
    /// Indicators, compliance and difference coefficients as they stand.
    Evaluate {
        /// Data folder or .xlsx workbook.
        data: PathBuf,
        /// Output folder.
        #[arg(short, long, default_value = "out/evaluate")]
        out: PathBuf,
    },
    /// How the county's total staff quota could be redistributed to fit the staffing norms.
    Quota {
        /// Data folder or .xlsx workbook.
        data: PathBuf,
        /// Output folder.
        #[arg(short, long, default_value = "out/quota")]
        out: PathBuf,
        /// Seconds for each of the two solves (above 0, at most 86,400).
        #[arg(long, default_value_t = 60.0, value_parser = seconds, allow_negative_numbers = true)]
        time_limit: f64,
    },
    /// This year's rotation plan.
    Plan {
        /// Data folder or .xlsx workbook.
        data: PathBuf,
        /// Output folder.
        #[arg(short, long, default_value = "out/plan")]
        out: PathBuf,
        /// Seconds for the whole run (loading, every stage, writing), above 0 and at most 86,400; see the README for the slack.
        #[arg(long, default_value_t = 600.0, value_parser = seconds, allow_negative_numbers = true)]
        time_limit: f64,
        /// Years planned jointly: 1 (this year) or 2 (this year and next year, next year's provisional list in OUT/next-year/).
        #[arg(long, default_value_t = 1, value_parser = horizon, allow_negative_numbers = true)]
        horizon: u8,
    },
    /// A new plan after refusals and departures, changing the published list as little as the rules allow.
    Replan {
        /// Data folder or .xlsx workbook (the data the list was published from).
        data: PathBuf,
        /// The published list (rotations.csv or plan.xlsx).
        #[arg(long)]
        published: PathBuf,
        /// The changes: teacher_id, action (stay, move, move_to, forbid, leave), school_id, note.
        #[arg(long)]
        changes: PathBuf,
        /// Output folder.
        #[arg(short, long, default_value = "out/replan")]
        out: PathBuf,
        /// Changes allowed beyond the fewest, for a better plan.
        #[arg(long, default_value_t = 0, value_parser = max_changes, allow_negative_numbers = true)]
        max_changes: u32,
        /// Seconds for the whole run (above 0, at most 86,400).
        #[arg(long, default_value_t = 600.0, value_parser = seconds, allow_negative_numbers = true)]
        time_limit: f64,
    },
    /// Judge a hand-edited rotation list (rotations.csv or plan.xlsx).
    Score {
        /// Data folder or .xlsx workbook.
        data: PathBuf,
        /// The edited rotation list.
        plan: PathBuf,
        /// Output folder: the plan files of the edited list, differences.csv and score.json.
        #[arg(short, long)]
        out: Option<PathBuf>,
        /// Seconds for the whole run, the comparison plan included (above 0, at most 86,400).
        #[arg(long, default_value_t = 600.0, value_parser = seconds, allow_negative_numbers = true)]
        time_limit: f64,
    },
    /// Run what-if scenarios side by side and compare them.
    Whatif {
        /// Scenario files (TOML).
        #[arg(required = true)]
        scenarios: Vec<PathBuf>,
        /// Output folder.
        #[arg(short, long, default_value = "out/whatif")]
        out: PathBuf,
        /// Seconds for the whole run, shared among the scenarios (above 0, at most 86,400).
        #[arg(long, default_value_t = 600.0, value_parser = seconds, allow_negative_numbers = true)]
        time_limit: f64,
        /// Solve one scenario after another instead of in parallel.
        #[arg(long)]
        sequential: bool,
    },
    /// The fewest new hires that, with this year's rotation, pass the inspection.
    Hires {
        /// Data folder or .xlsx workbook.
        data: PathBuf,
        /// Most hires to consider (0 to 200).
        #[arg(long, default_value_t = 30, allow_negative_numbers = true, value_parser = most_hires)]
        max: u32,
        /// Subjects new hires may teach (comma-separated).
        #[arg(long, value_delimiter = ',')]
        subjects: Vec<String>,
        /// Output folder.
        #[arg(short, long, default_value = "out/hires")]
        out: PathBuf,
        /// Seconds for the whole run, every phase of the search included (above 0, at most 86,400).
        #[arg(long, default_value_t = 600.0, value_parser = seconds, allow_negative_numbers = true)]
        time_limit: f64,
    },
    /// The least-cost mix of hires, degree upgrades and backbone designations
    /// that, with this year's rotation, makes the most sections comply.
    Levers {
        /// Data folder or .xlsx workbook.
        data: PathBuf,
        /// Most hires to consider (0 to 200).
        #[arg(long, default_value_t = 30, allow_negative_numbers = true, value_parser = most_hires)]
        max: u32,
        /// Most the levers may cost, in thousand yuan (default: the cost of --max hires).
        #[arg(long, allow_negative_numbers = true, value_parser = budget)]
        budget: Option<u64>,
        /// Subjects new hires may teach (comma-separated).
        #[arg(long, value_delimiter = ',')]
        subjects: Vec<String>,
        /// Output folder.
        #[arg(short, long, default_value = "out/levers")]
        out: PathBuf,
        /// Seconds for the whole run, every phase of the search included (above 0, at most 86,400).
        #[arg(long, default_value_t = 600.0, value_parser = seconds, allow_negative_numbers = true)]
        time_limit: f64,
    },
    /// Next year's data folder from this year's data and its accepted plan.
    Advance {
        /// This year's data folder or .xlsx workbook.
        data: PathBuf,
        /// The accepted plan: a plan folder, or its rotations.csv / plan.xlsx (edited or not).
        plan: PathBuf,
        /// Output folder: next year's data.
        #[arg(short, long)]
        out: PathBuf,
        /// Next year's students and classes (CSV or .xlsx: school_id, primary_students,
        /// junior_students, primary_classes, junior_classes) for the schools listed.
        #[arg(long)]
        enrollment: Option<PathBuf>,
        /// The re-plan's changes file (who left, who refused); by default a re-plan
        /// folder's requested_changes.csv.
        #[arg(long)]
        changes: Option<PathBuf>,
    },
    /// A local web workspace in the browser: import, plan, edit, re-plan,
    /// what-if, downloads, every version kept.
    Serve {
        /// The workspace folder (created when missing).
        #[arg(default_value = "rotaplan-workspace")]
        workspace: PathBuf,
        /// Port on 127.0.0.1 (0: any free port).
        #[arg(long, default_value_t = 8080, value_parser = port, allow_negative_numbers = true)]
        port: u16,
        /// Listen on another address (ip:port) instead; needs --token.
        #[arg(long, value_parser = address)]
        listen: Option<std::net::SocketAddr>,
        /// Access token for --listen (at least 16 characters).
        #[arg(long)]
        token: Option<String>,
        /// Plans solved at once (each one process, one core).
        #[arg(long, default_value_t = 2, value_parser = jobs, allow_negative_numbers = true)]
        jobs: u16,
    },
    /// Write a synthetic county to try things on.
    Synth {
        /// Random seed.
        #[arg(long, value_parser = seed, allow_negative_numbers = true)]
        seed: u64,
        /// Number of schools (1 to 10,000).
        #[arg(long, default_value_t = 20, value_parser = school_count, allow_negative_numbers = true)]
        schools: usize,
        /// Share of the eligible teachers who volunteer in applications.csv (0 to 0.95).
        #[arg(long, default_value_t = 0.12, value_parser = volunteer_share, allow_negative_numbers = true)]
        volunteer_share: f64,
        /// Staffing stress from 0 (the usual county) to 1 (nearly every section fails the inspection).
        #[arg(long, default_value_t = 0.0, value_parser = stress, allow_negative_numbers = true)]
        stress: f64,
        /// Output folder.
        #[arg(short, long)]
        out: PathBuf,
    },
}

/// The longest `--time-limit`: a day.
const MOST_SECONDS: f64 = 86_400.0;

/// The language of the run, read from the arguments before they are
/// parsed: the argument errors and the help are worded in it.
static ARG_LANG: OnceLock<Lang> = OnceLock::new();

/// The language the arguments ask for (`--lang en` or `--lang=en`; Chinese
/// otherwise, as clap's default).
fn lang_of_args(args: &[std::ffi::OsString]) -> Lang {
    let mut english = false;
    for (i, arg) in args.iter().enumerate() {
        if arg == "--" {
            break;
        }
        let value = if arg == "--lang" { args.get(i + 1).map(|v| v.as_os_str()) } else { None };
        let value = value.or_else(|| arg.to_str().and_then(|a| a.strip_prefix("--lang=")).map(std::ffi::OsStr::new));
        if let Some(value) = value {
            english = value == "en";
        }
    }
    if english {
        Lang::En
    } else {
        Lang::Zh
    }
}

fn arg_lang() -> Lang {
    ARG_LANG.get().copied().unwrap_or_default()
}

/// A number that `within` accepts; `range` says what to give. NaN is not a
/// number.
fn decimal(text: &str, range: &str, within: impl Fn(f64) -> bool) -> Result<f64, String> {
    let lang = arg_lang();
    let value: f64 = text.trim().parse().map_err(|_| values::not_a_number(lang, text, range))?;
    if value.is_nan() {
        return Err(values::not_a_number(lang, text, range));
    }
    if !within(value) {
        return Err(values::out_of_range(lang, text, range));
    }
    Ok(value)
}

/// `--time-limit`: seconds, finite, above 0 and at most a day.
fn seconds(text: &str) -> Result<f64, String> {
    let range = values::seconds_range(arg_lang(), MOST_SECONDS);
    decimal(text, &range, |v| v.is_finite() && v > 0.0 && v <= MOST_SECONDS)
}

/// A whole number from `least` to `most`, of `what`.
fn whole(text: &str, what: Whole, least: u64, most: u64) -> Result<u64, String> {
    let lang = arg_lang();
    let range = values::whole_range(lang, what, least, most);
    // A negative whole number is out of range, not "not a whole number".
    let value: i128 = text.trim().parse().map_err(|_| values::not_whole(lang, text, &range))?;
    u64::try_from(value)
        .ok()
        .filter(|n| (least..=most).contains(n))
        .ok_or_else(|| values::out_of_range(lang, text, &range))
}

/// [`whole`] in a narrower type (its range fits the type).
fn whole_as<T: TryFrom<u64>>(text: &str, what: Whole, least: u64, most: u64) -> Result<T, String> {
    let value = whole(text, what, least, most)?;
    T::try_from(value)
        .map_err(|_| values::out_of_range(arg_lang(), text, &values::whole_range(arg_lang(), what, least, most)))
}

/// `plan --horizon`: 1 or 2 years.
fn horizon(text: &str) -> Result<u8, String> {
    whole_as(text, Whole::Years, 1, 2)
}

/// `hires --max`, `levers --max`: 0 to [`rotaplan::commands::hires::MOST_SEARCHED`].
fn most_hires(text: &str) -> Result<u32, String> {
    whole_as(text, Whole::Hires, 0, u64::from(rotaplan::commands::hires::MOST_SEARCHED))
}

/// `levers --budget`: 0 to [`rotaplan::commands::levers::MOST_BUDGET`].
fn budget(text: &str) -> Result<u64, String> {
    whole(text, Whole::Budget, 0, rotaplan::commands::levers::MOST_BUDGET)
}

/// `replan --max-changes`.
fn max_changes(text: &str) -> Result<u32, String> {
    whole_as(text, Whole::Changes, 0, u64::from(u32::MAX))
}

/// `serve --jobs`: 1 to 16.
fn jobs(text: &str) -> Result<u16, String> {
    whole_as(text, Whole::Jobs, 1, 16)
}

/// `serve --port`.
fn port(text: &str) -> Result<u16, String> {
    whole_as(text, Whole::Port, 0, u64::from(u16::MAX))
}

/// `synth --seed`.
fn seed(text: &str) -> Result<u64, String> {
    whole(text, Whole::Seed, 0, u64::MAX)
}

/// `serve --listen`: an address ip:port.
fn address(text: &str) -> Result<std::net::SocketAddr, String> {
    text.trim().parse().map_err(|_| values::not_an_address(arg_lang(), text))
}

/// `synth --schools`: 1 to [`rotaplan::commands::synth::MOST_SCHOOLS`].
fn school_count(text: &str) -> Result<usize, String> {
    let most = rotaplan::commands::synth::MOST_SCHOOLS;
    whole_as(text, Whole::Schools, 1, u64::try_from(most).unwrap_or(u64::MAX))
}

/// `synth --volunteer-share`: a share from 0 to
/// [`rotaplan::commands::synth::MOST_VOLUNTEER_SHARE`].
fn volunteer_share(text: &str) -> Result<f64, String> {
    let most = rotaplan::commands::synth::MOST_VOLUNTEER_SHARE;
    decimal(text, &values::share_range(arg_lang(), most), |v| (0.0..=most).contains(&v))
}

/// `synth --stress`: a number from 0 to 1.
fn stress(text: &str) -> Result<f64, String> {
    decimal(text, values::stress_range(arg_lang()), |v| (0.0..=1.0).contains(&v))
}

/// A usage line without clap's heading (`Usage: rotaplan plan …` →
/// `rotaplan plan …`).
fn without_heading(usage: &str) -> String {
    usage.split_once(':').map_or(usage, |(_, rest)| rest).trim().to_string()
}

/// The arguments, parsed; on an error or `--help`, the exit status after
/// its text was printed. The help and the errors are in the run's language
/// (`--lang`): Chinese from [`rotaplan::render::cli`], English clap's own.
fn parse_args() -> Result<Cli, ExitCode> {
    use clap::FromArgMatches;
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let lang = lang_of_args(&args);
    let _ = ARG_LANG.set(lang);
    let parsed = command_in(lang).try_get_matches_from(&args).and_then(|matches| Cli::from_arg_matches(&matches));
    parsed.map_err(|error| {
        use clap::error::ErrorKind;
        let shown = matches!(
            error.kind(),
            ErrorKind::DisplayHelp | ErrorKind::DisplayVersion | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
        );
        if lang == Lang::En || shown {
            let _ = error.print();
        } else {
            // The usage line of the command the arguments name, for an
            // error that has none (built again only on this path).
            let command = command_in(lang);
            let named = args
                .iter()
                .skip(1)
                .filter_map(|a| a.to_str())
                .find_map(|a| command.find_subcommand(a))
                .map(|sub| sub.clone().render_usage().to_string());
            errln!("{}", arg_error_zh(&error, named.as_deref()));
        }
        ExitCode::from(u8::try_from(error.exit_code()).unwrap_or(2))
    })
}

/// The program's command line, worded in `lang`.
fn command_in(lang: Lang) -> clap::Command {
    use clap::CommandFactory;
    let mut command = Cli::command();
    if lang == Lang::Zh {
        command.build();
        command = in_chinese(command, "");
    }
    command
}

/// `command` (named `name` under the program; `""` the program) with
/// Chinese help, value names, headings and usage line, and the same for
/// each of its subcommands. `command` is built (clap's help flag, version
/// flag and `help` command are there to be worded).
fn in_chinese(command: clap::Command, name: &str) -> clap::Command {
    let key = name.to_string();
    let mut command = command.mut_args(|arg| {
        let id = arg.get_id().as_str().to_string();
        let mut arg = match cli_words::arg_help(&key, &id) {
            Some(help) => arg.help(help),
            None => arg,
        };
        if let Some(value) = cli_words::value_name(&id).filter(|_| arg.get_value_names().is_some()) {
            arg = arg.value_name(value);
        }
        // clap words the defaults and choices in English: they are put in
        // the help instead.
        let defaults: Vec<String> = if arg.get_action().takes_values() {
            arg.get_default_values().iter().map(|v| v.to_string_lossy().to_string()).collect()
        } else {
            Vec::new()
        };
        let choices: Vec<String> = arg.get_possible_values().iter().map(|v| v.get_name().to_string()).collect();
        let help = arg.get_help().map(ToString::to_string).unwrap_or_default();
        let help = cli_words::with_default_and_choices(&help, &defaults, &choices);
        arg.help(help).hide_default_value(true).hide_possible_values(true)
    });
    if let Some(about) = cli_words::command_about(name) {
        command = command.about(about).long_about(None);
    }
    let usage = without_heading(&command.render_usage().to_string())
        .replace("[OPTIONS]", cli_words::OPTIONS_TAG)
        .replace("<COMMAND>", cli_words::COMMAND_TAG)
        .replace("[COMMAND]", "[命令]");
    // clap's own headings end in an ASCII colon: the template has the
    // sections under Chinese headings instead, each only where it has lines.
    let shown = |arg: &&clap::Arg| !arg.is_hide_set();
    let mut template = format!("{{before-help}}{{about-with-newline}}\n{}：{{usage}}\n", cli_words::USAGE);
    if command.get_subcommands().any(|sub| !sub.is_hide_set()) {
        template.push_str(&format!("\n{}：\n{{subcommands}}\n", cli_words::COMMANDS));
    }
    if command.get_positionals().filter(shown).count() > 0 {
        template.push_str(&format!("\n{}：\n{{positionals}}\n", cli_words::ARGUMENTS));
    }
    if command.get_arguments().filter(|arg| !arg.is_positional()).filter(shown).count() > 0 {
        template.push_str(&format!("\n{}：\n{{options}}\n", cli_words::OPTIONS));
    }
    template.push_str("{after-help}");
    command = command.override_usage(usage).help_template(template);
    command.mut_subcommands(|sub| {
        let name = sub.get_name().to_string();
        in_chinese(sub, &name)
    })
}

/// A clap error in Chinese ([`rotaplan::render::cli::arg_problem`]), with
/// the usage line of the command the arguments name (`named`) when the
/// error has none.
fn arg_error_zh(error: &clap::Error, named: Option<&str>) -> String {
    use clap::error::{ContextKind, ContextValue, ErrorKind};
    let text = |kind: ContextKind| match error.get(kind) {
        Some(ContextValue::String(s)) => Some(s.clone()),
        Some(ContextValue::Strings(list)) => list.first().cloned(),
        Some(ContextValue::StyledStr(s)) => Some(s.to_string()),
        _ => None,
    };
    let list = |kind: ContextKind| match error.get(kind) {
        Some(ContextValue::Strings(list)) => list.clone(),
        Some(ContextValue::String(s)) => vec![s.clone()],
        _ => Vec::new(),
    };
    let arg = || text(ContextKind::InvalidArg).unwrap_or_default();
    let value = || text(ContextKind::InvalidValue).unwrap_or_default();
    let problem = match error.kind() {
        ErrorKind::UnknownArgument => ArgProblem::Unknown { arg: arg(), meant: text(ContextKind::SuggestedArg) },
        ErrorKind::InvalidSubcommand => ArgProblem::UnknownCommand {
            name: text(ContextKind::InvalidSubcommand).unwrap_or_default(),
            meant: text(ContextKind::SuggestedSubcommand),
        },
        ErrorKind::MissingSubcommand => ArgProblem::NoCommand,
        // clap's "a value is required": an option at the end of the line,
        // or followed by another option.
        ErrorKind::InvalidValue if value().is_empty() => ArgProblem::NoValue { arg: arg() },
        ErrorKind::InvalidValue => match list(ContextKind::ValidValue) {
            choices if !choices.is_empty() => ArgProblem::NotAChoice { arg: arg(), value: value(), choices },
            _ => ArgProblem::BadValue { arg: arg(), value: value(), why: None },
        },
        ErrorKind::ValueValidation => ArgProblem::BadValue {
            arg: arg(),
            value: value(),
            why: std::error::Error::source(error).map(ToString::to_string),
        },
        ErrorKind::MissingRequiredArgument => ArgProblem::Missing(list(ContextKind::InvalidArg)),
        ErrorKind::NoEquals | ErrorKind::TooManyValues | ErrorKind::TooFewValues | ErrorKind::WrongNumberOfValues => {
            ArgProblem::ValueCount { arg: arg() }
        }
        ErrorKind::ArgumentConflict => match list(ContextKind::PriorArg) {
            prior if prior == [arg()] => ArgProblem::Twice { arg: arg() },
            prior => ArgProblem::Conflict { arg: arg(), with: prior.join("、") },
        },
        ErrorKind::InvalidUtf8 => ArgProblem::NotText,
        _ => ArgProblem::Other,
    };
    let usage = without_heading(&text(ContextKind::Usage).or_else(|| named.map(str::to_string)).unwrap_or_default());
    // The command the usage is of: its words before the first argument.
    let command: Vec<&str> = usage.split_whitespace().take_while(|w| !w.starts_with(['[', '<'])).collect();
    let command = if command.is_empty() { "rotaplan".to_string() } else { command.join(" ") };
    cli_words::arg_problem(&problem, &usage, &format!("{command} --help"))
}

fn main() -> ExitCode {
    limit_malloc_arenas();
    let cli = match parse_args() {
        Ok(cli) => cli,
        Err(code) => return code,
    };
    PROGRESS_JSON.store(cli.progress_format == ProgressFormat::Json, Ordering::Relaxed);
    if cli.progress_format == ProgressFormat::Json {
        rotaplan::serve::runs::end_with_server();
    }
    let (code, bad_input) = match run(&cli) {
        Ok(code) => (code, false),
        Err(error) => {
            errln!("rotaplan{}{}", lang(&cli).pick("：", ": "), terminal::error_text(&error, lang(&cli)));
            (ExitCode::from(error.exit_code() as u8), matches!(error, Error::Input(_)))
        }
    };
    if PROGRESS_JSON.load(Ordering::Relaxed) && !bad_input {
        finished_line(code);
    }
    code
}

/// `--progress-format json`'s last line: the exit status and the peak
/// resident memory (VmHWM of /proc/self/status, left out where it cannot be read).
fn finished_line(code: ExitCode) {
    let exit = (0..=u8::MAX).find(|n| ExitCode::from(*n) == code).unwrap_or(1);
    let peak_rss_kb = std::fs::read_to_string("/proc/self/status").ok().and_then(|status| {
        let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
        line["VmHWM:".len()..].trim().trim_end_matches("kB").trim().parse::<u64>().ok()
    });
    let mut line = serde_json::json!({ "event": "finished", "exit": exit });
    if let Some(kb) = peak_rss_kb {
        line["peak_rss_kb"] = kb.into();
    }
    errln!("{line}");
}

/// One line of progress on stderr, unless --quiet.
fn progress_line(quiet: bool, lang: Lang, event: &Progress) {
    if quiet {
        return;
    }
    if PROGRESS_JSON.load(Ordering::Relaxed) {
        errln!("{}", rotaplan::render::progress::progress_json(event, lang));
    } else {
        errln!("  {}", rotaplan::render::progress::progress_line(event, lang));
    }
}

/// A warning on stderr, as a worded line or (`--progress-format json`) a JSON line.
fn warning_line(warning: &Text, lang: Lang) {
    let line = terminal::warning_line(warning, lang);
    if PROGRESS_JSON.load(Ordering::Relaxed) {
        errln!("{}", serde_json::json!({ "event": "warning", "text": line }));
    } else {
        errln!("{line}");
    }
}

fn lang(cli: &Cli) -> Lang {
    match cli.lang {
        LangArg::Zh => Lang::Zh,
        LangArg::En => Lang::En,
    }
}

fn load_data(cli: &Cli, data: &Path) -> Result<Loaded, Error> {
    let loaded = load(data, cli.policy.as_deref())?;
    if !cli.quiet {
        for warning in &loaded.warnings {
            warning_line(warning, lang(cli));
        }
    }
    Ok(loaded)
}

/// The output folder `out` of a command of `kind`, checked against the
/// inputs it reads (with the `--policy` file) before anything is loaded.
fn claim(cli: &Cli, out: &Path, kind: OutputKind, inputs: &[&Path]) -> Result<OutputFolder, Error> {
    let mut all: Vec<&Path> = inputs.to_vec();
    if let Some(policy) = &cli.policy {
        all.push(policy);
    }
    OutputFolder::claim(out, kind, &all, cli.force)
}

/// `--time-limit` and the start of the run it counts from.
#[derive(Clone, Copy)]
struct TimeLimit {
    seconds: f64,
    began: Instant,
}

impl TimeLimit {
    /// The seconds left: the limit counts from the start of the run, so
    /// loading the data uses it up too.
    fn left(self) -> f64 {
        self.seconds - self.began.elapsed().as_secs_f64()
    }
}

fn run(cli: &Cli) -> Result<ExitCode, Error> {
    let began = Instant::now();
    match &cli.command {
        Command::Check { data } => check(cli, data),
        Command::Evaluate { data, out } => evaluate(cli, data, out),
        Command::Quota { data, out, time_limit } => quota(cli, data, out, *time_limit),
        Command::Plan { data, out, time_limit, horizon: 2 } => {
            horizon_command(cli, data, out, TimeLimit { seconds: *time_limit, began })
        }
        Command::Plan { data, out, time_limit, .. } => {
            plan_command(cli, data, out, TimeLimit { seconds: *time_limit, began })
        }
        Command::Replan { data, published, changes, out, max_changes, time_limit } => {
            let inputs = ReplanInputs { data, published, changes, max_changes: *max_changes };
            replan(cli, &inputs, out, TimeLimit { seconds: *time_limit, began })
        }
        Command::Score { data, plan: list, out, time_limit } => {
            score(cli, data, list, out.as_deref(), TimeLimit { seconds: *time_limit, began })
        }
        Command::Whatif { scenarios, out, time_limit, sequential } => {
            whatif(cli, scenarios, out, TimeLimit { seconds: *time_limit, began }, *sequential)
        }
        Command::Levers { data, max, budget, subjects, out, time_limit } => {
            let limit = TimeLimit { seconds: *time_limit, began };
            levers(cli, data, (*max, *budget), subjects, out, limit)
        }
        Command::Hires { data, max, subjects, out, time_limit } => {
            hires(cli, data, *max, subjects, out, TimeLimit { seconds: *time_limit, began })
        }
        Command::Synth { seed, schools, volunteer_share, stress, out } => {
            synth(cli, *seed, *schools, Knobs { volunteer_share: *volunteer_share, stress: *stress }, out)
        }
        Command::Advance { data, plan: list, out, enrollment, changes } => {
            advance(cli, data, list, out, [enrollment.as_deref(), changes.as_deref()])
        }
        Command::Serve { workspace, port, listen, token, jobs } => {
            serve(cli, workspace, listen.unwrap_or(([127, 0, 0, 1], *port).into()), token.clone(), *jobs)
        }
    }
}

/// `serve`: the web workspace, until Ctrl+C.
fn serve(
    cli: &Cli,
    workspace: &Path,
    listen: std::net::SocketAddr,
    token: Option<String>,
    jobs: u16,
) -> Result<ExitCode, Error> {
    if let Some(token) = &token {
        if token.len() < 16 || !token.chars().all(|c| c.is_ascii_alphanumeric() || "-_.~".contains(c)) {
            let message = Text::both(
                "the access token needs at least 16 characters, each a letter, a digit or one of - _ . ~",
                "访问令牌至少需要 16 个字符，只能是字母、数字或 - _ . ~",
            );
            return Err(Error::Input(vec![InputProblem::new("--token", "", message)]));
        }
    }
    let exe = std::env::current_exe().map_err(|e| Error::io("finding the rotaplan binary".to_string(), e))?;
    let config = rotaplan::serve::ServeConfig {
        workspace: workspace.to_path_buf(),
        listen,
        token,
        exe,
        slots: usize::from(jobs),
        max_waiting: 4 * usize::from(jobs) + 8,
    };
    rotaplan::serve::serve(config, lang(cli))?;
    Ok(ExitCode::SUCCESS)
}

/// `check`: loads the data and looks for what no plan can meet.
fn check(cli: &Cli, data: &Path) -> Result<ExitCode, Error> {
    let loaded = load_data(cli, data)?;
    // What can be known before solving: capacities and locks that
    // no plan can meet (plan would exit 3 on them).
    let instance = rotaplan::model::Instance::new(&loaded.county, Vec::new());
    let conflicts = rotaplan::plan::capacity_conflicts(&instance);
    if !conflicts.is_empty() {
        errln!("{}", terminal::no_plan_heading(true, lang(cli)));
        for c in &conflicts {
            errln!("  {}", conflict_line(c, lang(cli)));
        }
        return Ok(ExitCode::from(3));
    }
    if !cli.quiet {
        outln!("{}", terminal::check_ok_line(data, &loaded.county, lang(cli)));
    }
    Ok(ExitCode::SUCCESS)
}

/// `evaluate`: the indicators as they stand.
fn evaluate(cli: &Cli, data: &Path, out: &Path) -> Result<ExitCode, Error> {
    let folder = claim(cli, out, OutputKind::Evaluate, &[data])?;
    let loaded = load_data(cli, data)?;
    let evaluation = evaluate_county(&loaded.county);
    let files = rotaplan::render::evaluation::files(&evaluation, &loaded.county, lang(cli));
    files.commit(&folder)?;
    if !cli.quiet {
        out!("{}", rotaplan::render::evaluation::terminal_summary(&evaluation, &loaded.county, lang(cli)));
        outln!("→ {}", out.display());
    }
    Ok(ExitCode::SUCCESS)
}

/// `quota`: the county's quota redistributed to fit the staffing norms.
fn quota(cli: &Cli, data: &Path, out: &Path, time_limit: f64) -> Result<ExitCode, Error> {
    let folder = claim(cli, out, OutputKind::Quota, &[data])?;
    let loaded = load_data(cli, data)?;
    let proposal = rotaplan::commands::quota::propose(&loaded.county, time_limit)?;
    rotaplan::commands::quota::files(&loaded.county, &proposal, lang(cli))?.commit(&folder)?;
    if !cli.quiet {
        out!("{}", rotaplan::commands::quota::terminal_summary(&loaded.county, &proposal, lang(cli)));
        outln!("→ {}", out.display());
    }
    Ok(ExitCode::SUCCESS)
}

/// `plan`: this year's rotation plan, or a diagnosis (exit 3).
fn plan_command(cli: &Cli, data: &Path, out: &Path, limit: TimeLimit) -> Result<ExitCode, Error> {
    let folder = claim(cli, out, OutputKind::Plan, &[data])?;
    let loaded = load_data(cli, data)?;
    let county = &loaded.county;
    let quiet = cli.quiet;
    let language = lang(cli);
    let progress = move |event: &Progress| progress_line(quiet, language, event);
    let options = PlanOptions { time_limit: limit.left(), progress: Some(&progress), ..Default::default() };
    match plan(county, Vec::new(), &options)? {
        Outcome::Planned(p) => {
            plan_files(county, &p, lang(cli))?.commit(&folder)?;
            if !quiet {
                out!("{}", plan_terminal_summary(county, &p, lang(cli)));
                outln!("→ {}", out.display());
            }
            Ok(ExitCode::SUCCESS)
        }
        Outcome::Infeasible(d) => no_plan(&folder, &d, lang(cli), out),
        Outcome::OutOfTime(stop) => Err(stop.into()),
    }
}

/// The inputs of `replan`.
struct ReplanInputs<'a> {
    data: &'a Path,
    published: &'a Path,
    changes: &'a Path,
    max_changes: u32,
}

/// `replan`: the published list changed as little as the rules allow after
/// the changes, or a diagnosis (exit 3) when no plan exists at all.
fn replan(cli: &Cli, inputs: &ReplanInputs, out: &Path, limit: TimeLimit) -> Result<ExitCode, Error> {
    use rotaplan::plan::replan::ReplanOutcome;
    let folder = claim(cli, out, OutputKind::Plan, &[inputs.data, inputs.published, inputs.changes])?;
    let loaded = load_data(cli, inputs.data)?;
    let county = &loaded.county;
    let published = rotaplan::io::plan_list::read_published_for(inputs.published, county)?;
    let changes = rotaplan::io::read_changes(inputs.changes, county)?;
    let quiet = cli.quiet;
    let language = lang(cli);
    let progress = move |event: &Progress| progress_line(quiet, language, event);
    let options = PlanOptions { time_limit: limit.left(), progress: Some(&progress), ..Default::default() };
    match rotaplan::plan::replan::replan(county, &published, &changes, inputs.max_changes, &options)? {
        ReplanOutcome::Replanned(r) => {
            rotaplan::commands::replan::files(county, &r, &changes, language)?.commit(&folder)?;
            if !quiet {
                out!("{}", rotaplan::commands::replan::terminal(&r, language));
                outln!("→ {}", out.display());
            }
            Ok(ExitCode::SUCCESS)
        }
        ReplanOutcome::Infeasible(d) => no_plan(&folder, &d, language, out),
        ReplanOutcome::OutOfTime(stop) => Err(stop.into()),
    }
}

/// `plan --horizon 2`: this year's and next year's plans, planned jointly
/// (this year's files in OUT, next year's provisional list in OUT/next-year).
fn horizon_command(cli: &Cli, data: &Path, out: &Path, limit: TimeLimit) -> Result<ExitCode, Error> {
    use rotaplan::plan::horizon::{plan_two_years, HorizonOutcome};
    let folder = claim(cli, out, OutputKind::Plan, &[data])?;
    let loaded = load_data(cli, data)?;
    let county = &loaded.county;
    let quiet = cli.quiet;
    let language = lang(cli);
    let progress = move |event: &Progress| progress_line(quiet, language, event);
    let options = PlanOptions { time_limit: limit.left(), progress: Some(&progress), ..Default::default() };
    match plan_two_years(county, &options)? {
        HorizonOutcome::Planned(two) => {
            rotaplan::render::output::two_year_files(county, &two, language)?.commit(&folder)?;
            if !quiet {
                out!("{}", plan_terminal_summary(county, &two.this, language));
                outln!("→ {}", out.display());
                out!("{}", plan_terminal_summary(&two.next_county, &two.next, language));
                outln!("→ {}", out.join("next-year").display());
            }
            Ok(ExitCode::SUCCESS)
        }
        HorizonOutcome::Infeasible(d) => no_plan(&folder, &d, language, out),
        HorizonOutcome::OutOfTime(stop) => Err(stop.into()),
    }
}

/// A run that found no plan: diagnosis.json in `out`, the conflicts on
/// stderr, exit status 3.
fn no_plan(folder: &OutputFolder, d: &Diagnosis, lang: Lang, out: &Path) -> Result<ExitCode, Error> {
    diagnosis_files(d, lang).commit(folder)?;
    print_diagnosis(d, lang);
    errln!("→ {}", out.join("diagnosis.json").display());
    Ok(ExitCode::from(3))
}

/// What a run that found no plan says on stderr.
fn print_diagnosis(diagnosis: &Diagnosis, lang: Lang) {
    errln!("{}", terminal::no_plan_heading(false, lang));
    for line in diagnosis_lines(diagnosis, lang) {
        errln!("  {line}");
    }
}

/// `score`: judges an edited rotation list (exit 4 when it breaks a rule).
fn score(cli: &Cli, data: &Path, list: &Path, out: Option<&Path>, limit: TimeLimit) -> Result<ExitCode, Error> {
    let folder = match out {
        Some(out) => Some(claim(cli, out, OutputKind::Score, &[data, list])?),
        None => None,
    };
    let loaded = load_data(cli, data)?;
    let rows = rotaplan::io::plan_list::PlanList::read_for(list, &loaded.county)?;
    let options = PlanOptions { time_limit: limit.left(), progress: None, ..Default::default() };
    let report = rotaplan::commands::score::score_with_returns(&loaded.county, &rows.moves, &rows.extended, &options)?;
    if let Some(folder) = &folder {
        report.files(&loaded.county, lang(cli))?.commit(folder)?;
    }
    if !cli.quiet {
        out!("{}", report.terminal(&loaded.county, lang(cli)));
    }
    if !report.edited.violations.is_empty() {
        return Ok(ExitCode::from(4));
    }
    Ok(ExitCode::SUCCESS)
}

/// The input error of a command that takes no `--policy`, when one is given.
fn refuse_policy(cli: &Cli, why: Text) -> Result<(), Error> {
    match cli.policy {
        Some(_) => Err(Error::Input(vec![InputProblem::new("--policy", "", why)])),
        None => Ok(()),
    }
}

/// `whatif`: scenarios side by side.
fn whatif(cli: &Cli, scenarios: &[PathBuf], out: &Path, limit: TimeLimit, sequential: bool) -> Result<ExitCode, Error> {
    refuse_policy(
        cli,
        Text::both(
            "whatif does not read --policy: each scenario's policy is its base data's policy.toml with the scenario's own [policy] table over it; put the keys into the scenarios' [policy] and drop --policy",
            "whatif 不读取 --policy：每个情景的政策是其基础数据的 policy.toml，再加上情景文件自己的 [policy]；请把这些参数写进各情景的 [policy]，并去掉 --policy",
        ),
    )?;
    rotaplan::commands::whatif::folder_names(scenarios)?;
    let data_folders = rotaplan::commands::whatif::base_data_folders(scenarios);
    let inputs: Vec<&Path> = scenarios.iter().chain(&data_folders).map(PathBuf::as_path).collect();
    let folder = claim(cli, out, OutputKind::Whatif, &inputs)?;
    let quiet = cli.quiet;
    let language = lang(cli);
    let progress = move |event: &Progress| progress_line(quiet, language, event);
    let options = PlanOptions { time_limit: limit.left(), progress: Some(&progress), ..Default::default() };
    let began = Instant::now();
    // Read first: a scenario's problems come before any word of solving.
    let loaded = rotaplan::commands::whatif::load(scenarios)?;
    if !quiet {
        errln!("{}", terminal::solving_scenarios(loaded.len(), lang(cli)));
    }
    let result = rotaplan::commands::whatif::solve(loaded, &options, !sequential, lang(cli), began)?;
    result.files.commit(&folder)?;
    if !quiet {
        for r in &result.rows {
            outln!("{}", terminal::whatif_line(r, lang(cli)));
        }
        outln!("→ {}", out.display());
    }
    Ok(ExitCode::SUCCESS)
}

/// `hires`: the fewest new hires, or a diagnosis (exit 3).
fn hires(
    cli: &Cli,
    data: &Path,
    max: u32,
    subjects: &[String],
    out: &Path,
    limit: TimeLimit,
) -> Result<ExitCode, Error> {
    let folder = claim(cli, out, OutputKind::Hires, &[data])?;
    let loaded = load_data(cli, data)?;
    let county = &loaded.county;
    let chosen = hire_subjects(subjects)?;
    let quiet = cli.quiet;
    let language = lang(cli);
    let progress = move |event: &Progress| progress_line(quiet, language, event);
    let options = PlanOptions { time_limit: limit.left(), progress: Some(&progress), ..Default::default() };
    match hires::search(county, max, &chosen, &options)? {
        HiresOutcome::Found(result) => {
            hires::files(county, &result, lang(cli))?.commit(&folder)?;
            if !quiet {
                print_hires(county, &result, lang(cli));
                outln!("→ {}", out.display());
            }
            Ok(ExitCode::SUCCESS)
        }
        HiresOutcome::Infeasible(d) => {
            diagnosis_files(&d, lang(cli)).commit(&folder)?;
            print_diagnosis(&d, lang(cli));
            Ok(ExitCode::from(3))
        }
    }
}

/// `levers`: the least-cost levers, or a diagnosis (exit 3).
fn levers(
    cli: &Cli,
    data: &Path,
    (max, budget): (u32, Option<u64>),
    subjects: &[String],
    out: &Path,
    limit: TimeLimit,
) -> Result<ExitCode, Error> {
    let folder = claim(cli, out, OutputKind::Levers, &[data])?;
    let loaded = load_data(cli, data)?;
    let county = &loaded.county;
    let chosen = hire_subjects(subjects)?;
    let quiet = cli.quiet;
    let language = lang(cli);
    let progress = move |event: &Progress| progress_line(quiet, language, event);
    let options = PlanOptions { time_limit: limit.left(), progress: Some(&progress), ..Default::default() };
    match levers::search(county, max, budget, &chosen, &options)? {
        LeversOutcome::Found(result) => {
            levers::files(county, &result, language)?.commit(&folder)?;
            if !quiet {
                out!("{}", levers::terminal(&result, language));
                outln!("→ {}", out.display());
            }
            Ok(ExitCode::SUCCESS)
        }
        LeversOutcome::Infeasible(d) => {
            diagnosis_files(&d, language).commit(&folder)?;
            print_diagnosis(&d, language);
            Ok(ExitCode::from(3))
        }
    }
}

/// The subjects of `--subjects`, or the default ones when none is given.
fn hire_subjects(words: &[String]) -> Result<Vec<Subject>, Error> {
    let mut chosen = Vec::new();
    for word in words {
        match Subject::parse(word) {
            Some(s) => chosen.push(s),
            None => {
                let (en, zh) = choices(Subject::ALL);
                return Err(Error::Input(vec![InputProblem::new(
                    "--subjects",
                    "",
                    Text::both(
                        format!("unknown subject \"{word}\"; use {en}"),
                        format!("未知学科「{word}」；可填：{zh}"),
                    ),
                )]));
            }
        }
    }
    if chosen.is_empty() {
        chosen = hires::DEFAULT_SUBJECTS.to_vec();
    }
    Ok(chosen)
}

/// The terminal summary of a hires search that found a plan.
fn print_hires(county: &County, result: &HiresSearch, lang: Lang) {
    let found = terminal::HiresResult {
        plan: &result.plan,
        hires: result.hires,
        minimal: result.minimal,
        target_reached: result.target_reached,
        still_failing: &result.still_failing,
    };
    out!("{}", terminal::hires_summary(county, &found, lang));
}

/// `advance`: next year's data folder.
/// `extra`: the enrollment file and the changes file, when given.
fn advance(cli: &Cli, data: &Path, list: &Path, out: &Path, extra: [Option<&Path>; 2]) -> Result<ExitCode, Error> {
    let [enrollment, changes] = extra;
    let mut inputs = vec![data, list];
    inputs.extend(enrollment);
    inputs.extend(changes);
    let folder = claim(cli, out, OutputKind::Advance, &inputs)?;
    let loaded = load_data(cli, data)?;
    let advanced = rotaplan::commands::advance::advance(&loaded.county, list, enrollment, changes)?;
    advanced.files.commit(&folder)?;
    if !cli.quiet {
        for warning in &advanced.warnings {
            warning_line(warning, lang(cli));
        }
        out!("{}", advanced.terminal(lang(cli)));
        outln!("→ {}", out.display());
    }
    Ok(ExitCode::SUCCESS)
}

/// `synth`: writes a synthetic county.
fn synth(cli: &Cli, seed: u64, schools: usize, knobs: Knobs, out: &Path) -> Result<ExitCode, Error> {
    refuse_policy(
        cli,
        Text::both(
            "synth does not read a policy: it writes its own policy.toml into the new county; drop --policy and edit that policy.toml afterwards",
            "synth 不读取政策文件：它会在新生成的县数据中写入自己的 policy.toml；请去掉 --policy，之后再修改那个 policy.toml",
        ),
    )?;
    let folder = OutputFolder::claim(out, OutputKind::Synth, &[], cli.force)?;
    rotaplan::commands::synth::county_files_knobs(seed, schools, knobs).commit(&folder)?;
    if !cli.quiet {
        outln!("{}", terminal::synth_line(seed, schools, out, lang(cli)));
    }
    Ok(ExitCode::SUCCESS)
}
