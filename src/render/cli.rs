//! The command line's own words in Chinese: the help of each command and
//! argument, the names of the values in a usage line, the headings, and the
//! argument errors. The English words are clap's own (the doc comments of
//! `Cli` in `main.rs`, clap's headings and errors); with `--lang zh`, the
//! default, `main.rs` puts these in their place.

/// The usage line's heading.
pub const USAGE: &str = "用法";
/// The heading of the commands of `rotaplan --help`.
pub const COMMANDS: &str = "命令";
/// The heading of the positional arguments.
pub const ARGUMENTS: &str = "参数";
/// The heading of the options.
pub const OPTIONS: &str = "选项";
/// What stands for the options in a usage line (clap's `[OPTIONS]`).
pub const OPTIONS_TAG: &str = "[选项]";
/// What stands for a command in a usage line (clap's `<COMMAND>`).
pub const COMMAND_TAG: &str = "<命令>";

/// The Chinese help of `command` (`""`: the program itself).
pub fn command_about(command: &str) -> Option<&'static str> {
    Some(match command {
        "" => "县域义务教育教师交流轮岗规划（县管校聘）：核算优质均衡督导指标，求解交流方案",
        "check" => "检查数据：列出所有问题，不写任何文件",
        "evaluate" => "现状评估：各项指标、达标情况和差异系数",
        "quota" => "全县编制总量如何在学校之间调剂，以符合编制标准",
        "plan" => "编制本年度交流轮岗方案",
        "replan" => "有人拒绝或离开后重新编制方案，尽量少改动已公示的名单",
        "score" => "评判手工修改过的交流名单（rotations.csv 或 plan.xlsx）",
        "whatif" => "并排试算多个假设情景并比较",
        "hires" => "配合本年度交流，至少新招多少教师才能通过督导",
        "levers" => "招聘、学历提升、认定骨干怎样组合花费最少，配合本年度交流使最多学段达标",
        "advance" => "由本年度数据和已确认的方案生成下一年度的数据文件夹",
        "serve" => "在浏览器中使用的本地工作台：导入、编制、修改、重排、试算、下载，每个版本都保留",
        "synth" => "生成一个虚构的县，用于试用",
        "help" => "显示本说明，或某个命令的说明",
        _ => return None,
    })
}

/// The Chinese help of the argument `arg` (its id in clap: the field's
/// name) of `command`.
pub fn arg_help(command: &str, arg: &str) -> Option<&'static str> {
    let data = "数据文件夹或 .xlsx 工作簿";
    let out = "输出文件夹";
    let whole_run = "整个运行的秒数（大于 0，至多 86400）";
    let hires_max = "最多考虑招聘的人数（0 到 200）";
    let subjects = "新招教师可教的学科（用逗号分隔）";
    Some(match (command, arg) {
        (_, "help") => "显示帮助",
        (_, "version") => "显示版本",
        (_, "policy") => "附加的 policy.toml，覆盖数据自带的政策",
        (_, "lang") => "输出给人看的文字所用的语言（zh 中文，en 英文）",
        (_, "quiet") => "除错误外不显示任何内容",
        (_, "force") => "输出文件夹里有不是 rotaplan 写的文件时也替换它（含有输入或位于输入之中的文件夹除外）",
        ("help", "subcommand") => "要查看说明的命令",
        ("advance", "data") => "本年度的数据文件夹或 .xlsx 工作簿",
        ("replan", "data") => "数据文件夹或 .xlsx 工作簿（公示名单所依据的数据）",
        (_, "data") => data,
        ("score", "out") => "输出文件夹：修改后名单的方案文件、differences.csv 和 score.json",
        ("advance", "out") => "输出文件夹：下一年度的数据",
        ("synth", "out") => "输出文件夹：生成的县数据",
        (_, "out") => out,
        ("quota", "time_limit") => "两次求解各自的秒数（大于 0，至多 86400）",
        ("plan", "time_limit") => "整个运行的秒数（读入、各阶段、写出），大于 0，至多 86400；余量见 README",
        ("score", "time_limit") => "整个运行的秒数，含用于比较的方案（大于 0，至多 86400）",
        ("whatif", "time_limit") => "整个运行的秒数，由各情景分用（大于 0，至多 86400）",
        ("hires" | "levers", "time_limit") => "整个运行的秒数，含搜索的每一步（大于 0，至多 86400）",
        (_, "time_limit") => whole_run,
        ("plan", "horizon") => "一起规划的年数：1（本年度）或 2（本年度和下一年度，下一年度的预排名单在 OUT/next-year/）",
        ("replan", "published") => "已公示的名单（rotations.csv 或 plan.xlsx）",
        ("replan", "changes") => "变动：teacher_id、action（stay、move、move_to、forbid、leave）、school_id、note",
        ("replan", "max_changes") => "为得到更好的方案，在最少改动之外还允许的改动数",
        ("score", "plan") => "修改后的交流名单",
        ("advance", "plan") => "已确认的方案：方案文件夹，或其中的 rotations.csv / plan.xlsx（改过或没改过）",
        ("whatif", "scenarios") => "情景文件（TOML）",
        ("whatif", "sequential") => "逐个求解情景，而不是同时求解",
        ("hires" | "levers", "max") => hires_max,
        ("hires" | "levers", "subjects") => subjects,
        ("levers", "budget") => "各项措施最多花费多少（千元；默认：招聘 --max 人的费用）",
        ("advance", "enrollment") => {
            "下一年度各校的学生数和班数（CSV 或 .xlsx：school_id、primary_students、junior_students、primary_classes、junior_classes），只改列出的学校"
        }
        ("advance", "changes") => "重排时的变动文件（谁离开、谁拒绝）；默认用重排文件夹中的 requested_changes.csv",
        ("serve", "workspace") => "工作台文件夹（没有时新建）",
        ("serve", "port") => "127.0.0.1 上的端口（0：任一空闲端口）",
        ("serve", "listen") => "改在另一个地址（ip:端口）上监听；需要 --token",
        ("serve", "token") => "--listen 的访问令牌（至少 16 个字符）",
        ("serve", "jobs") => "同时求解的方案数（每个一个进程、一个核）",
        ("synth", "seed") => "随机种子",
        ("synth", "schools") => "学校数（1 到 10000）",
        ("synth", "volunteer_share") => "在 applications.csv 中自愿交流的教师占符合条件教师的比例（0 到 0.95）",
        ("synth", "stress") => "师资紧张程度：0（一般的县）到 1（几乎所有学段都不达标）",
        _ => return None,
    })
}

/// The Chinese name of the value of argument `arg` in a usage line
/// (`<数据>` for clap's `<DATA>`).
pub fn value_name(arg: &str) -> Option<&'static str> {
    Some(match arg {
        "data" => "数据",
        "out" | "workspace" => "文件夹",
        "time_limit" => "秒数",
        "policy" => "政策文件",
        "lang" => "语言",
        "horizon" => "年数",
        "published" => "公示名单",
        "changes" => "变动文件",
        "max_changes" => "改动数",
        "plan" => "名单",
        "scenarios" => "情景文件",
        "max" => "人数",
        "subjects" => "学科",
        "budget" => "千元",
        "enrollment" => "招生文件",
        "port" => "端口",
        "listen" => "地址",
        "token" => "令牌",
        "jobs" => "个数",
        "seed" => "种子",
        "schools" => "学校数",
        "volunteer_share" | "stress" => "比例",
        "subcommand" => "命令",
        _ => return None,
    })
}

/// An argument's Chinese help with its default values and its choices
/// (clap words them in English).
pub fn with_default_and_choices(help: &str, defaults: &[String], choices: &[String]) -> String {
    let mut text = help.to_string();
    if !choices.is_empty() {
        text.push_str(&format!("；可选：{}", choices.join("、")));
    }
    if !defaults.is_empty() {
        text.push_str(&format!("［默认：{}］", defaults.join("、")));
    }
    text
}

/// What is wrong with the arguments, as the argument parser found it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ArgProblem {
    /// An argument no command has.
    Unknown {
        /// The argument as given.
        arg: String,
        /// The one meant, when it looks like one.
        meant: Option<String>,
    },
    /// A command that does not exist.
    UnknownCommand {
        /// The command as given.
        name: String,
        /// The one meant, when it looks like one.
        meant: Option<String>,
    },
    /// No command given.
    NoCommand,
    /// A value not among the choices.
    NotAChoice {
        /// The argument.
        arg: String,
        /// The value given.
        value: String,
        /// The values it takes.
        choices: Vec<String>,
    },
    /// A value that cannot be read.
    BadValue {
        /// The argument.
        arg: String,
        /// The value given.
        value: String,
        /// Why, when known.
        why: Option<String>,
    },
    /// Required arguments left out.
    Missing(Vec<String>),
    /// An option that needs a value was given none.
    NoValue {
        /// The argument.
        arg: String,
    },
    /// An option given twice.
    Twice {
        /// The argument.
        arg: String,
    },
    /// An option that needs a value was given too many.
    ValueCount {
        /// The argument.
        arg: String,
    },
    /// Two arguments that cannot go together.
    Conflict {
        /// The argument.
        arg: String,
        /// The one given before it.
        with: String,
    },
    /// An argument that is not valid UTF-8 text.
    NotText,
    /// Anything else.
    Other,
}

/// The Chinese message of `problem`, with the command's usage line (its
/// text after clap's heading) and where to read more.
pub fn arg_problem(problem: &ArgProblem, usage: &str, help: &str) -> String {
    let said = match problem {
        ArgProblem::Unknown { arg, meant } => match meant {
            Some(meant) => format!("没有参数「{arg}」；是不是要用 {meant}？"),
            None => format!("没有参数「{arg}」（多余的参数，或写错了）"),
        },
        ArgProblem::UnknownCommand { name, meant } => match meant {
            Some(meant) => format!("没有命令「{name}」；是不是要用 {meant}？"),
            None => format!("没有命令「{name}」"),
        },
        ArgProblem::NoCommand => "请给出一个命令，例如 rotaplan plan data/anze".to_string(),
        ArgProblem::NotAChoice { arg, value, choices } => {
            format!("{arg} 的值「{value}」无效；可选：{}", choices.join("、"))
        }
        ArgProblem::BadValue { arg, value, why } => match why {
            Some(why) => format!("{arg} 的值「{value}」无效：{why}"),
            None => format!("{arg} 的值「{value}」无效"),
        },
        ArgProblem::Missing(args) => format!("缺少必需的参数：{}", args.join("、")),
        ArgProblem::NoValue { arg } => format!("{arg} 后面缺少值"),
        ArgProblem::Twice { arg } => format!("{arg} 只能给一次"),
        ArgProblem::ValueCount { arg } => format!("{arg} 的值个数不对"),
        ArgProblem::Conflict { arg, with } => format!("{arg} 不能与 {with} 一起使用"),
        ArgProblem::NotText => "参数不是有效的 UTF-8 文字".to_string(),
        ArgProblem::Other => "参数有误".to_string(),
    };
    let mut text = format!("错误：{said}\n");
    if !usage.is_empty() {
        text.push_str(&format!("\n{USAGE}：{usage}\n"));
    }
    text.push_str(&format!("\n更多说明：{help}\n"));
    text
}

/// The messages of the values `main.rs` reads itself, both languages.
pub mod values {
    use crate::render::Lang;

    /// `text` is not a number; `range` says what to give.
    pub fn not_a_number(lang: Lang, text: &str, range: &str) -> String {
        match lang {
            Lang::Zh => format!("「{text}」不是数字；{range}"),
            Lang::En => format!("\"{text}\" is not a number; {range}"),
        }
    }

    /// `text` is not a whole number; `range` says what to give.
    pub fn not_whole(lang: Lang, text: &str, range: &str) -> String {
        match lang {
            Lang::Zh => format!("「{text}」不是整数；{range}"),
            Lang::En => format!("\"{text}\" is not a whole number; {range}"),
        }
    }

    /// `text` is out of range; `range` says what to give.
    pub fn out_of_range(lang: Lang, text: &str, range: &str) -> String {
        match lang {
            Lang::Zh => format!("{text} 超出范围；{range}"),
            Lang::En => format!("{text} is out of range; {range}"),
        }
    }

    /// What `--time-limit` takes.
    pub fn seconds_range(lang: Lang, most: f64) -> String {
        match lang {
            Lang::Zh => format!("请给出大于 0、至多 {most} 的秒数"),
            Lang::En => format!("give seconds above 0 and at most {most}"),
        }
    }

    /// What a whole-number argument takes: `what` (`schools`, `hires`, …)
    /// from `least` to `most`.
    pub fn whole_range(lang: Lang, what: Whole, least: u64, most: u64) -> String {
        let (zh, en) = match what {
            Whole::Schools => ("学校数", "a whole number of schools"),
            Whole::Hires => ("人数", "a whole number of hires"),
            Whole::Budget => ("千元数", "a whole number of thousand yuan"),
            Whole::Years => ("年数", "a number of years"),
            Whole::Jobs => ("个数", "a number of plans"),
            Whole::Port => ("端口号", "a port"),
            Whole::Seed => ("种子", "a whole number"),
            Whole::Changes => ("改动数", "a whole number of changes"),
        };
        match lang {
            Lang::Zh => format!("请给出 {least} 到 {most} 的{zh}"),
            Lang::En => format!("give {en} from {least} to {most}"),
        }
    }

    /// What a whole-number argument counts.
    #[derive(Clone, Copy, Debug)]
    pub enum Whole {
        /// `synth --schools`.
        Schools,
        /// `hires --max`, `levers --max`.
        Hires,
        /// `levers --budget`.
        Budget,
        /// `plan --horizon`.
        Years,
        /// `serve --jobs`.
        Jobs,
        /// `serve --port`.
        Port,
        /// `synth --seed`.
        Seed,
        /// `replan --max-changes`.
        Changes,
    }

    /// What `synth --volunteer-share` takes.
    pub fn share_range(lang: Lang, most: f64) -> String {
        match lang {
            Lang::Zh => format!("请给出 0 到 {most} 的比例，例如 0.12"),
            Lang::En => format!("give a share from 0 to {most}, such as 0.12"),
        }
    }

    /// What `synth --stress` takes.
    pub fn stress_range(lang: Lang) -> &'static str {
        lang.pick(
            "请给出 0（一般的县）到 1（几乎所有学段都不达标）的数，例如 0.8",
            "give a number from 0 (the usual county) to 1 (nearly every section fails), such as 0.8",
        )
    }

    /// `text` is not an address `ip:port`.
    pub fn not_an_address(lang: Lang, text: &str) -> String {
        match lang {
            Lang::Zh => format!("「{text}」不是「ip:端口」形式的地址，例如 0.0.0.0:8080"),
            Lang::En => format!("\"{text}\" is not an address ip:port, such as 0.0.0.0:8080"),
        }
    }
}
