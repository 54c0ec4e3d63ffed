//! Errors of the worlds crate: only the oracle can fail (the generator's own panels always fit the design).

use socialledger_mmm::MmmError;
use thiserror::Error;

#[derive(Debug, Error, Clone, PartialEq)]
#[non_exhaustive]
pub enum WorldsError {
    /// The mix model refused the world's panel or spec (a generator bug: every world is built to fit).
    #[error("the mix model refused the world: {0}")]
    Model(#[from] MmmError),
    /// The least-squares solve of the oracle failed.
    #[error("the oracle's least-squares solve failed: {0}")]
    LeastSquares(&'static str),
    /// Every channel's estimated effect is zero or negative, so no share can be formed.
    #[error("the oracle estimated no positive media effect in world {seed}: shares are undefined")]
    NoMediaEffect { seed: u64 },
    /// Scores were asked for a share vector of the wrong length.
    #[error("{got} shares given for a world of {expected} channels")]
    ShareCount { expected: usize, got: usize },
}
