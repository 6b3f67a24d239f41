//! The integration tests of rotaplan, one crate with a module per area.

mod common;
mod load;
mod synth;
mod microlp;
mod evaluate;
mod plan;
mod report;
mod score;
mod whatif;
mod numbers;
