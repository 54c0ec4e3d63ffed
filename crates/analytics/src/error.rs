//! The errors of the analytics: settings or names that do not make sense.

use socialledger_domain::Date;

/// A setting or name the analytics cannot work with. The message says what is expected.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum AnalyticsError {
    #[error("unknown attribution model {0:?}; expected one of: first, last, linear, time-decay, u-shaped, w-shaped, full-path")]
    UnknownModel(String),
    #[error("unknown journey end {0:?}; expected creation or close")]
    UnknownJourneyEnd(String),
    #[error("the period ends ({to}) before it starts ({from})")]
    EmptyPeriod { from: Date, to: Date },
    #[error("gross margin {0} is outside 0..=1 (0.7 means 70 % of revenue is margin)")]
    GrossMargin(f64),
    #[error("half-life {0} days must be a positive number of days")]
    HalfLife(f64),
}
