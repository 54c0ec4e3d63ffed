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
    #[error("the stored analysis setting {key}: {reason}; correct it on the Settings page (/settings)")]
    StoredSetting { key: String, reason: String },
    #[error(
        "Shapley values are computed exactly over every coalition of channels, which is feasible up to {max} \
         channels; these paths have {channels}. Merge rare channels (e.g. into `other`) or group them by network \
         before running the shapley model"
    )]
    TooManyChannels { channels: usize, max: usize },
    #[error("path row {row} has {field} = {value}; counts and values must be finite and not negative")]
    InvalidPathRow { row: usize, field: &'static str, value: f64 },
    #[error(
        "every journey in the paths converted, so the {model} model cannot tell what converts from what does \
         not; include the journeys that did not convert (`total_null`, or accounts without deals)"
    )]
    NoNonConversions { model: &'static str },
    #[error("the {model} model did not converge in {iterations} iterations: {detail}")]
    NotConverged { model: &'static str, iterations: usize, detail: String },
    #[error(
        "Markov order {order} is not supported; choose 1, 2, 3 or 4 (the number of last channels a state remembers)"
    )]
    MarkovOrder { order: u8 },
    #[error("the {model} model needs paths, and there are none; check the path file or the journeys' period")]
    NoPaths { model: &'static str },
    #[error(
        "no path converted, so the {model} model has nothing to attribute; check `total_conversions` (or that the \
         period holds deals)"
    )]
    NoConversions { model: &'static str },
    #[error("invalid Markov chain: {detail}")]
    InvalidChain { detail: String },
    #[error(
        "there is nothing to build a mix panel from: no deals, time entries, posts, channel days, cost items or \
         activities with a date; import data first"
    )]
    NoPanelData,
    #[error(
        "the period {from} to {to} holds no whole {frequency}; a mix panel needs whole periods: widen --from/--to"
    )]
    PanelTooShort { from: Date, to: Date, frequency: &'static str },
    #[error("the panel has no series {key:?}; the data have: {known}")]
    UnknownPanelChannel { key: String, known: String },
    #[error("near-duplicate threshold {0} is outside (0, 1]: it is a Jaccard index (0.8 = 80 % of shingles shared)")]
    CrosspostThreshold(f64),
    #[error("interval level {0} is outside (0, 1) (0.9 gives a 90 % interval)")]
    IntervalLevel(f64),
    #[error("slow-response threshold {0} hours must be a positive number of hours (24 = a day)")]
    SlowAfterHours(f64),
    #[error("engagement trend threshold {0} is not a yearly change between -1 and 0 (-0.2 = falling 20 % a year)")]
    TrendThreshold(f64),
    #[error("invalid target group: {0}")]
    TargetGroup(String),
    #[error("invalid value-beyond-sales assumptions: {0}")]
    ValueAssumptions(String),
}
