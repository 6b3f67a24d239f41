//! SPEC §3–§4 in plain Rust: who may rotate, where, the inspection figures,
//! the county's standing before a plan, and the independent auditor of a plan.

pub mod alliances;
pub mod audit;
pub mod curriculum;
pub mod direction;
pub mod distance;
pub mod eligibility;
pub mod evaluation;
pub mod indicators;
pub mod next_year;
pub mod norms;
pub mod priority;
pub mod rule;
pub mod structure;
