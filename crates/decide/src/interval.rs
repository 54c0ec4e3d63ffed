//! An estimate with its interval: what every figure a decision rests on carries.

use serde::Serialize;

/// An estimate with its interval (90 % unless the source says otherwise).
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Interval {
    pub estimate: f64,
    pub low: f64,
    pub high: f64,
}

impl Interval {
    pub fn new(estimate: f64, low: f64, high: f64) -> Interval {
        Interval { estimate, low, high }
    }

    /// Whether the two intervals share no value.
    pub fn disjoint(&self, other: &Interval) -> bool {
        self.high < other.low || other.high < self.low
    }
}
