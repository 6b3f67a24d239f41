//! The integration tests of rotaplan, one crate with a module per area.

mod advance;
mod architecture;
mod common;
mod differential;
mod evaluate;
mod exchanges_io;
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
mod replan;
mod report;
mod returns;
mod rules;
mod school_year;
mod score;
mod score_picture;
mod synth;
mod whatif;
mod words;
