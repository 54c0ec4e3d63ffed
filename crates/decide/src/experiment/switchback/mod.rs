//! The switchback (pause) design: its schedule, its plan and its readout.

pub mod plan;
pub mod readout;
pub mod schedule;

pub use plan::{plan, Plan, PlanRequest};
pub use readout::{read_out, Readout};
pub use schedule::Schedule;
