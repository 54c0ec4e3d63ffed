//! Errors of planning and reading out experiments: each says what is missing and what to do.

use thiserror::Error;

#[derive(Debug, Error, PartialEq)]
pub enum DecideError {
    /// The history is too short for the question asked of it.
    #[error("{what}: the history has {have} weeks, at least {need} are needed; {hint}")]
    TooShort { what: String, have: usize, need: usize, hint: String },
    /// An input that cannot be right (a negative length, a missing week, a non-finite value).
    #[error("{0}")]
    Invalid(String),
}
