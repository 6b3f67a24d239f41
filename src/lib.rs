//! rotaplan: teacher exchange-rotation planning for a county education bureau
//! (教师交流轮岗). Layers run one way: `domain` → `indicators` → `model` →
//! `solve` → `explain` / `report`; file formats live in `io` and `report`.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod audit;
pub mod diagnose;
pub mod distance;
pub mod domain;
pub mod eligibility;
pub mod error;
pub mod evaluation;
pub mod explain;
pub mod hires;
pub mod indicators;
pub mod io;
pub mod model;
pub mod outdir;
pub mod output;
pub mod plan;
pub mod policy;
pub mod report;
pub mod scenario;
pub mod score;
pub mod solve;
pub mod synth;
pub mod whatif;
pub mod xlsx;
