//! The integration tests of rotaplan, one crate with a module per area.

mod common;
mod load;
mod synth;
mod microlp;
mod evaluate;
mod plan;
mod hard_rules;
mod differential;
mod report;
mod score;
mod whatif;
mod outputs;
mod numbers;
