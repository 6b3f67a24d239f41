//! Everything that has a language or writes a file format: terminal text,
//! CSV/JSON tables, the workbook, the HTML report and atomic output folders.

pub mod applications;
pub mod cli;
pub mod curriculum;
pub mod data_folder;
pub mod diagnosis;
pub mod direction;
pub mod evaluation;
pub mod html;
pub mod levers;
pub mod norms;
pub mod outdir;
pub mod output;
pub mod progress;
pub mod reasons;
pub mod structure;
pub mod terminal;
pub mod words;
pub mod xlsx;

/// Language of the human-facing outputs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Lang {
    /// Chinese (default: the users are Chinese county staff).
    #[default]
    Zh,
    /// English.
    En,
}

impl Lang {
    /// Picks the Chinese or the English value.
    pub fn pick2<T>(self, zh: T, en: T) -> T {
        match self {
            Lang::Zh => zh,
            Lang::En => en,
        }
    }

    /// Picks the Chinese or the English text.
    pub fn pick<'a>(self, zh: &'a str, en: &'a str) -> &'a str {
        self.pick2(zh, en)
    }
}
