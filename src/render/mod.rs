//! Everything that has a language or writes a file format: terminal text,
//! CSV/JSON tables, the workbook, the HTML report and atomic output folders.

pub mod html;
pub mod outdir;
pub mod output;
pub mod xlsx;
