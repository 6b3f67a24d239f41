//! Errors of the library: input problems (exit 2), no feasible plan (exit 3),
//! and failures of the machine (exit 1).

use std::fmt;

/// A message in English and, where it has been worded so, in Chinese.
/// Input problems are found deep in the readers, with the value and the
/// place at hand, so they are worded there in both languages; `render`
/// picks the run's language. A message without Chinese shows in English.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Text {
    /// English.
    pub en: String,
    /// Chinese, when given.
    pub zh: Option<String>,
}

impl Text {
    /// A message in both languages.
    pub fn both(en: impl Into<String>, zh: impl Into<String>) -> Text {
        Text { en: en.into(), zh: Some(zh.into()) }
    }
}

impl From<String> for Text {
    fn from(en: String) -> Text {
        Text { en, zh: None }
    }
}

impl From<&str> for Text {
    fn from(en: &str) -> Text {
        Text { en: en.to_string(), zh: None }
    }
}

impl fmt::Display for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.en)
    }
}

/// The most input problems listed (terminal, web page): a file of a
/// million bad lines gives its first problems and says how many more.
pub const MOST_LISTED_PROBLEMS: usize = 1_000;

/// One problem in the input, located as precisely as the file allows.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct InputProblem {
    /// `teachers.csv:12` for text files, `county.xlsx 教师!E17` for workbooks,
    /// `policy.toml` for TOML files.
    pub location: String,
    /// The column or key concerned; empty when the whole row or file is meant.
    pub column: String,
    /// What is wrong, with the value and what to do (English).
    pub message: String,
    /// The same in Chinese, when the reader words it so.
    pub message_zh: Option<String>,
}

impl InputProblem {
    /// A problem at a location and column.
    pub fn new(location: impl Into<String>, column: impl Into<String>, message: impl Into<Text>) -> Self {
        let Text { en, zh } = message.into();
        InputProblem { location: location.into(), column: column.into(), message: en, message_zh: zh }
    }
}

impl fmt::Display for InputProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.location.is_empty() {
            write!(f, "{}", self.message)
        } else if self.column.is_empty() {
            write!(f, "{}: {}", self.location, self.message)
        } else {
            write!(f, "{}: {}: {}", self.location, self.column, self.message)
        }
    }
}

/// Everything that can stop a command.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The input has problems; every one is listed.
    #[error("{}", list(.0))]
    Input(Vec<InputProblem>),
    /// The hard rules cannot all hold.
    #[error("no feasible plan: {0}")]
    Infeasible(String),
    /// A file could not be read or written.
    #[error("{context}: {source}")]
    Io {
        /// What was being done.
        context: String,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
    /// The solver failed in a way the data does not explain.
    #[error("solver: {0}")]
    Solver(String),
    /// The time limit ran out before the solver found any plan (the step
    /// had this many seconds left).
    #[error("the time limit ran out before a first plan was found (this step had {0:.2} s left); give more time with --time-limit")]
    TimeLimit(f64),
}

impl Error {
    /// The process exit status for this error (SPEC §5).
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Input(_) => 2,
            Error::Infeasible(_) => 3,
            Error::Io { .. } | Error::Solver(_) | Error::TimeLimit(_) => 1,
        }
    }

    /// Bad input of one problem at `location` (no column).
    pub fn input(location: impl Into<String>, message: impl Into<Text>) -> Error {
        Error::Input(vec![InputProblem::new(location, "", message)])
    }

    /// An I/O error with what was being done.
    pub fn io(context: impl Into<String>, source: std::io::Error) -> Error {
        Error::Io { context: context.into(), source }
    }
}

fn list(problems: &[InputProblem]) -> String {
    let mut out = format!("{} problem(s) in the input:", problems.len());
    for p in problems {
        out.push_str("\n  ");
        out.push_str(&p.to_string());
    }
    out
}

/// Result alias of the library.
pub type Result<T> = std::result::Result<T, Error>;
