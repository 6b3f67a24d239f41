//! The commands beyond a single plan: each returns data for `main` to print.

pub mod advance;
pub mod hires;
pub mod levers;
pub mod quota;
pub mod replan;
pub mod score;
pub mod synth;
pub mod whatif;
