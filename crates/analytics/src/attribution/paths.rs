//! Aggregated conversion paths: the input of the data-driven models (Markov, Shapley, incremental).
//!
//! A path is the ordered list of channels a journey touched. Journeys with the same path are aggregated into one
//! [`PathRow`] with how many converted (and their value) and how many did not (`nulls`), exactly like
//! ChannelAttribution's `path;total_conversions;total_conversion_value;total_null` files. Paths come from a path
//! file (read by `socialledger_import::paths`) or from the database's account-based journeys
//! ([`super::account_paths`]).

use serde::Serialize;

/// The path types are pure data and live in the domain crate, so that importers can build them without depending
/// on the analytics; they are re-exported here where the models use them.
pub use socialledger_domain::paths::{ChannelId, PathRow, PathSet};

/// One channel's credit under a data-driven model. Shares are fractions of the total credit and sum to 1 over
/// the channels; `share_low`/`share_high` are bootstrap percentile bounds when computed (else equal to `share`).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ChannelShare {
    pub channel: String,
    pub conversions: f64,
    pub value: f64,
    /// Markov only: relative drop of the conversion probability when the channel is removed.
    pub removal_effect: Option<f64>,
    pub share: f64,
    pub share_low: f64,
    pub share_high: f64,
    /// Bootstrap percentile bounds of `value` (else equal to it): what an ROI interval is computed from. For the
    /// incremental model the value the channel *added*; for Markov and Shapley the value it is credited with.
    pub value_low: f64,
    pub value_high: f64,
}

/// The result of a data-driven model over a [`PathSet`], in the shape of `socialledger attribution --json`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DataDrivenResult {
    /// `markov`, `shapley` or `incremental`.
    pub model: String,
    /// Markov order (1-4); `None` for the other models.
    pub order: Option<u8>,
    pub total_conversions: f64,
    pub total_value: f64,
    /// Sorted by channel name.
    pub channels: Vec<ChannelShare>,
    /// How much of the conversions the channels are credited with at all.
    pub credited: Credited,
}

/// The fraction of the conversions a model credits to channels: 1 for Markov and Shapley, which distribute every
/// conversion; for the incremental model the fraction the channels *caused* (the rest is baseline and intent).
/// When it is small, the shares divide a small number: they say little even if they look decisive.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Credited {
    pub fraction: f64,
    /// Bootstrap percentile bounds (equal to `fraction` without a bootstrap).
    pub low: f64,
    pub high: f64,
}

/// Below this lower interval bound of the credited fraction, the channels' credit under a model cannot be told
/// from nothing: its shares divide what may be noise.
pub const WEAK_CREDITED_FRACTION: f64 = 0.05;

impl Credited {
    /// The lower bound is below [`WEAK_CREDITED_FRACTION`]: the shares say little, however decisive they look.
    pub fn is_weak(&self) -> bool {
        self.low < WEAK_CREDITED_FRACTION
    }

    /// The point fraction of `channels` (their conversions over `total_conversions`; 0 without conversions),
    /// without interval.
    pub fn of(channels: &[ChannelShare], total_conversions: f64) -> Credited {
        let fraction = if total_conversions > 0.0 {
            channels.iter().map(|c| c.conversions).sum::<f64>() / total_conversions
        } else {
            0.0
        };
        Credited { fraction, low: fraction, high: fraction }
    }
}
