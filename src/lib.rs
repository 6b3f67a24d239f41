//! rotaplan: teacher exchange-rotation planning for a county education bureau
//! (教师交流轮岗). The modules are layers, and a module imports only from
//! earlier ones (docs/architecture.md; `tests/it/architecture.rs` checks it):
//!
//! `exact, error → domain → rules, io → model → solve → plan → explain → render → commands`
//!
//! # The front door
//!
//! What a caller needs is re-exported at the crate root:
//!
//! - reading: [`load`] a data folder or workbook into a [`Loaded`] (the
//!   [`County`] with its [`Policy`], and warnings), [`load_files`] the same
//!   files given in memory; [`read_plan_list`] reads
//!   an edited rotation list; [`load_scenario`] a what-if scenario;
//! - judging: [`evaluate_county`] gives the indicators, compliance and
//!   difference coefficients as they stand ([`Evaluation`]); [`audit`] checks
//!   a list of moves against every rule, independently of the optimizer
//!   ([`Audit`]); [`score`] judges an edited list beside the optimal plan;
//! - planning: [`plan`] with [`PlanOptions`] gives an [`Outcome`]: a [`Plan`]
//!   or a [`Diagnosis`] of the rules in conflict;
//! - writing: [`plan_files`] and [`diagnosis_files`] give the [`OutputFiles`]
//!   of a run, worded in a [`Lang`];
//! - every failure is one [`Error`]; input problems ([`InputProblem`]) name
//!   the file, row, column and value.
//!
//! The commands of the `rotaplan` binary (score, what-if, hires, synth) live
//! in [`commands`]. Deeper modules stay public for the tests and benches.
//!
//! ```no_run
//! use rotaplan::{load, plan, plan_files, Lang, Outcome, PlanOptions};
//!
//! let loaded = load("data/anze".as_ref(), None)?;
//! let options = PlanOptions { time_limit: 60.0, ..Default::default() };
//! if let Outcome::Planned(p) = plan(&loaded.county, Vec::new(), &options)? {
//!     let files = plan_files(&loaded.county, &p, Lang::En)?;
//!     println!("{} moves; files {:?}", p.moves.len(), files.names());
//! }
//! # Ok::<(), rotaplan::Error>(())
//! ```
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod commands;
pub mod domain;
pub mod error;
pub mod exact;
pub mod explain;
pub mod io;
pub mod model;
pub mod plan;
pub mod render;
pub mod rules;
pub mod serve;
pub mod solve;

pub use commands::score::{score, ScoreReport};
pub use domain::policy::Policy;
pub use domain::County;
pub use error::{Error, InputProblem};
pub use io::plan_list::read_plan_list;
pub use io::scenario::load_scenario;
pub use io::{load, load_files, Loaded};
pub use plan::{plan, Diagnosis, Outcome, Plan, PlanOptions};
pub use render::diagnosis::diagnosis_files;
pub use render::output::{plan_files, OutputFiles};
pub use render::Lang;
pub use rules::audit::{audit, Audit};
pub use rules::evaluation::{evaluate_county, Evaluation};
