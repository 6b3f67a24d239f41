//! rotaplan: teacher exchange-rotation planning for a county education bureau
//! (教师交流轮岗). Layers run one way: `domain` → `indicators` → `model` →
//! `solve` → `explain` / `report`; file formats live in `io` and `report`.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod domain;
pub mod error;
pub mod policy;
pub mod eligibility;
pub mod io;
pub mod synth;
pub mod evaluation;
pub mod indicators;
pub mod output;
pub mod outdir;
pub mod distance;
pub mod model;
pub mod solve;
pub mod diagnose;
pub mod plan;
pub mod explain;
pub mod xlsx;
pub mod audit;
pub mod scenario;
pub mod whatif;
pub mod report;
pub mod hires;
pub mod score;
