//! rotaplan: teacher exchange-rotation planning for a county education bureau
//! (教师交流轮岗). The modules are layers, and a module imports only from
//! earlier ones (docs/architecture.md; `tests/it/architecture.rs` checks it):
//!
//! `exact, error → domain → rules, io → model → solve → plan → explain → render → commands`
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
pub mod solve;
