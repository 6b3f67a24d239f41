//! The integration tests of rotaplan, one crate with a module per area.

mod architecture;
mod common;
mod differential;
mod evaluate;
mod front_door;
mod hard_rules;
mod horizon;
mod input_zh;
mod input_zh_rows;
mod load;
mod microlp;
mod numbers;
mod outputs;
mod plan;
mod report;
mod rules;
mod score;
mod synth;
mod whatif;
mod words;
