//! What is known exactly about a world: every part of its outcome, and per channel the true parameters, the
//! contribution, its share and its ROI. Serialisable, so benchmark scripts (PyMC-Marketing) score against the
//! very same numbers as the Rust tests.
//!
//! The outcome of week `t`, in EUR, is exactly
//! `baseline.level[t] + baseline.seasonality[t] + baseline.events[t] + Σ_m channels[m].weekly[t] + noise[t]`
//! (summed in that order), and in the model's scaled space (target / `y_scale`, input / `x_scale`) the
//! noiseless part is the model's mean at `baseline.fixed_scaled` and each channel's `beta`, adstock and
//! saturation parameters.

use crate::channels::ChannelKind;
use serde::{Deserialize, Serialize};
use socialledger_mmm::{AdstockKind, SaturationKind};

/// The truth of one world.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Truth {
    /// The seed the world was generated from.
    pub seed: u64,
    pub adstock: AdstockKind,
    pub saturation: SaturationKind,
    /// Longest carry-over in weeks.
    pub l_max: usize,
    /// Largest absolute weekly outcome (EUR): the model's `y_scale`.
    pub y_scale: f64,
    /// Standard deviation of the weekly noise, EUR.
    pub noise_sd: f64,
    /// R^2 of the true model on this panel: 1 - Σ noise² / Σ (y - mean y)².
    pub r2: f64,
    /// Media's part of the noiseless outcome, summed over the panel.
    pub media_fraction: f64,
    pub baseline: BaselineTruth,
    /// In panel order.
    pub channels: Vec<ChannelTruth>,
    /// The weekly noise draws, EUR.
    pub noise: Vec<f64>,
}

/// The outcome without media.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BaselineTruth {
    /// EUR per week.
    pub intercept: f64,
    /// EUR added from the first to the last week (linear).
    pub trend: f64,
    /// EUR coefficients of the yearly Fourier terms sin_1, cos_1, sin_2, cos_2 (day of year / 365.25, as the
    /// design computes them).
    pub fourier: Vec<f64>,
    pub controls: Vec<ControlTruth>,
    /// The fixed coefficients in scaled space, in the order of the design's fixed columns for
    /// [`crate::World::spec`]: intercept, trend, sin_1, cos_1, sin_2, cos_2, then each control (a control
    /// column is scaled by its largest absolute value, 1 for these 0/1 events).
    pub fixed_scaled: Vec<f64>,
    /// intercept + trend x t / (n - 1), EUR per week.
    pub level: Vec<f64>,
    /// Seasonality, EUR per week.
    pub seasonality: Vec<f64>,
    /// The controls' effects, EUR per week.
    pub events: Vec<f64>,
}

/// A control event known to the model.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ControlTruth {
    /// The control's name in the panel (and its CSV column).
    pub name: String,
    /// EUR per unit of the control (the controls are 0/1 weeks).
    pub effect: f64,
}

/// The truth of one channel.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ChannelTruth {
    /// The channel's key in the panel (and its CSV column).
    pub key: String,
    pub kind: ChannelKind,
    /// Adstock parameters in `AdstockKind::param_names` order (`[alpha]` for geometric).
    pub adstock: Vec<f64>,
    /// Saturation parameters in `SaturationKind::param_names` order (`[lam]` for logistic), on the scaled,
    /// adstocked input.
    pub saturation: Vec<f64>,
    /// The effect in scaled space: weekly contribution / `y_scale` = beta x saturation(adstock(x / x_scale)).
    pub beta: f64,
    /// Largest weekly input: the model's `x_scale` of this channel.
    pub x_scale: f64,
    /// Contribution summed over the panel, EUR.
    pub contribution: f64,
    /// Contribution / the sum of all channels' contributions (shares sum to 1 over channels).
    pub share: f64,
    /// Contribution per week, EUR.
    pub weekly: Vec<f64>,
    /// Full cost summed over the panel, EUR (spend, or hours x rate, or cost per send/item/webinar).
    pub cost: f64,
    /// Contribution / cost.
    pub roi: f64,
}

impl Truth {
    /// The true contribution shares, in panel order.
    pub fn shares(&self) -> Vec<f64> {
        self.channels.iter().map(|c| c.share).collect()
    }

    /// The noiseless outcome per week, EUR.
    pub fn signal(&self) -> Vec<f64> {
        let b = &self.baseline;
        (0..b.level.len())
            .map(|t| {
                let mut v = b.level[t] + b.seasonality[t] + b.events[t];
                for c in &self.channels {
                    v += c.weekly[t];
                }
                v
            })
            .collect()
    }
}
