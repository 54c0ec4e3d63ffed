//! Errors of the mix model: input that cannot be fitted, said so that the user knows what to change.

use thiserror::Error;

#[derive(Debug, Error, Clone, PartialEq)]
pub enum MmmError {
    /// The panel is not usable as it is (lengths differ, values missing or negative, too few periods).
    #[error("{0}")]
    Panel(String),
    /// A prior or model setting is out of its domain.
    #[error("{0}")]
    Spec(String),
    /// The numerics failed (a singular system that regularisation could not save).
    #[error("the fit failed: {0}")]
    Numeric(String),
    /// The NUTS sampler could not start (no finite log density near the starting point) or stopped on an
    /// internal error.
    #[error("the sampler failed in chain {chain}: {message}")]
    Sampler { chain: usize, message: String },
}
