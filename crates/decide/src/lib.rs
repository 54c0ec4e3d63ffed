//! Decisions from evidence. A mix model reads history; where history cannot tell a channel's effect from
//! nothing, only an experiment can, and the company owns its channels: it can pause posting for some weeks,
//! target page posts by region or hold accounts out of its ads. This crate plans such experiments from the
//! company's own history (how much the outcome varies week to week, the effect and carry-over the mix model
//! estimates), says how long they must run to be worth running, and reads them out with an honest interval.
//!
//! Pure: no I/O, no clock. Weekly series in, figures out; the same inputs give the same figures.

pub mod error;
pub mod experiment;
pub mod interval;
pub mod stats;
pub mod verdict;
pub mod words;

pub use error::DecideError;
pub use interval::Interval;
