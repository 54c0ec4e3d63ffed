//! Planning a geo-split: which regions pause (matched pairs, [`super::assignment`]) and how many weeks detect the
//! effect that matters with 80 % power at the 90 % level, measured on the company's own history.
//!
//! For every duration from the washout + 1 week to `max_weeks`, the estimator ([`super::gap::did`]) is run on
//! every stretch of the history as long as the pre-period and the experiment (placebo in time, with this very
//! assignment: nothing was paused then, so its spread is the estimate's noise). As in the switchback, durations
//! are not ranked by their own placebo spreads (the shortest whose spread happens to come out small would win,
//! and its readout would be too sure): each duration's spread is the exact one under the gap's variance and
//! lag-1 autocorrelation, scaled by one factor pooled over all durations (`calibration`).
//!
//! The effect that matters is a company-wide weekly effect (the mix model's, or the one given); the paused
//! regions carry their share of it (`paused_share`, their share of the history's outcome), and the pause shows
//! the part the carry-over has let go of after the washout (`efficiency`).

use super::assignment::{matched_pairs, RegionArm};
use super::gap::{calibration, check, noise, pre_weeks, ratio, series};
use super::MIN_REGIONS;
use crate::experiment::carryover::Response;
use crate::experiment::placebo::Null;
use crate::experiment::switchback::plan::WASHOUT_LEFT;
use crate::experiment::{best_of, Candidate, LEVEL, TARGET_POWER};
use crate::stats::{min_detectable_effect, power};
use crate::DecideError;
use serde::Serialize;

/// What the plan is asked.
#[derive(Clone, Debug)]
pub struct PlanRequest<'a> {
    /// The regions, and per region the outcome of every week of the history (same weeks for all).
    pub regions: &'a [String],
    pub outcome: &'a [Vec<f64>],
    /// The channel's carry-over and saturation (from the mix model): the washout and the efficiency.
    pub response: &'a Response,
    /// The channel's weekly effect over the whole company (target units) that matters: the mix model's estimate
    /// or the one given. The paused regions carry their share of it.
    pub effect: f64,
    /// Run this long instead of searching for the shortest duration that reaches the power.
    pub weeks: Option<usize>,
    pub max_weeks: usize,
    pub seed: u64,
}

/// A planned geo-split.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Plan {
    pub regions: Vec<RegionArm>,
    pub weeks: usize,
    pub washout_weeks: usize,
    /// Weeks compared (after the washout).
    pub analysed_weeks: usize,
    /// Weeks before the experiment whose gap is the reference.
    pub pre_weeks: usize,
    /// The paused regions' share of the history's outcome.
    pub paused_share: f64,
    /// Share of the paused regions' steady weekly effect that the analysed weeks show (carry-over left).
    pub efficiency: f64,
    /// Spread of the estimate without effect (target units per week) the power is computed with.
    pub null_sd: f64,
    /// Placebo spread over the formula's, pooled over every duration tried, at least 1 (1: the formula is right
    /// or too wide; [`super::gap::calibration`]).
    pub calibration: f64,
    /// The placebo in time of this duration alone.
    pub null: Null,
    /// The smallest effect per week in the paused regions seen with 80 % power at the 90 % level.
    pub min_detectable_effect: f64,
    /// The same as a company-wide weekly effect of the channel (over the paused share and the efficiency).
    pub min_detectable_company_effect: f64,
    /// The company-wide weekly effect the plan was asked to detect...
    pub effect: f64,
    /// ...what it should take away per week in the paused regions (`effect x paused_share x efficiency`)...
    pub expected_estimate: f64,
    /// ...and the power to detect it.
    pub power: f64,
    pub reaches_power: bool,
}

/// Plans a geo-split (see the module's documentation).
pub fn plan(req: &PlanRequest<'_>) -> Result<Plan, DecideError> {
    if !(req.effect.is_finite() && req.effect >= 0.0) {
        return Err(DecideError::Invalid(format!("the effect to detect must be a number >= 0, not {}", req.effect)));
    }
    let n = check(req.outcome, req.regions.len(), None, "the history")?;
    let with_outcome = req.outcome.iter().filter(|s| s.iter().any(|v| *v != 0.0)).count();
    if with_outcome < MIN_REGIONS {
        return Err(DecideError::Invalid(format!(
            "a geo-split needs at least {MIN_REGIONS} regions with outcome in the history, there are {with_outcome}; \
             import the accounts' countries, or choose --design pause or account-holdout"
        )));
    }
    let size: Vec<f64> = req.outcome.iter().map(|s| s.iter().sum()).collect();
    let regions = matched_pairs(req.regions, &size, req.seed)?;
    let paused: Vec<bool> = regions.iter().map(|r| r.paused).collect();
    let k = ratio(req.outcome, &paused)?;
    let total: f64 = size.iter().sum();
    let paused_share = size.iter().zip(&paused).filter(|(_, p)| **p).map(|(s, _)| s).sum::<f64>() / total;
    let gap = series(req.outcome, &paused, k);
    let washout = req.response.washout_weeks(WASHOUT_LEFT);
    let pre = pre_weeks(n);
    if pre < 4 {
        return Err(DecideError::TooShort {
            what: "a geo-split's pre-period".into(),
            have: n,
            need: 8,
            hint: "import more history".into(),
        });
    }
    let max_weeks = req.weeks.unwrap_or(req.max_weeks);
    if washout + 1 > max_weeks {
        return Err(DecideError::Invalid(format!(
            "the channel's carry-over needs {washout} weeks of washout, so a geo-split needs at least {} weeks; allow \
             more weeks",
            washout + 1
        )));
    }
    let durations = match req.weeks {
        Some(w) => w..=w,
        None => (washout + 1)..=max_weeks,
    };
    let noise = noise(&gap, pre, washout, durations);
    // Durations are ranked by the formula, scaled by one factor pooled over all of them (see `calibration`).
    let calibration = calibration(noise.iter().map(|(_, n)| n));
    let candidates = noise.into_iter().map(|(weeks, n)| {
        let efficiency = req.response.hold_off_efficiency(weeks, washout);
        Plan {
            regions: regions.clone(),
            weeks,
            washout_weeks: washout,
            analysed_weeks: weeks - washout,
            pre_weeks: pre,
            paused_share,
            efficiency,
            null_sd: n.formula_sd,
            calibration: 1.0,
            null: n.null,
            min_detectable_effect: f64::INFINITY,
            min_detectable_company_effect: f64::INFINITY,
            effect: req.effect,
            expected_estimate: req.effect * paused_share * efficiency,
            power: 0.0,
            reaches_power: false,
        }
    });
    let calibrated = candidates.map(|mut c| {
        c.calibration = calibration;
        c.null_sd *= calibration;
        c.min_detectable_effect = min_detectable_effect(c.null_sd, LEVEL, TARGET_POWER);
        let shown = c.paused_share * c.efficiency;
        c.min_detectable_company_effect = if shown > 0.0 { c.min_detectable_effect / shown } else { f64::INFINITY };
        c.power = power(c.expected_estimate, c.null_sd, LEVEL);
        c.reaches_power = c.power >= TARGET_POWER;
        c
    });
    best_of(calibrated).ok_or_else(|| DecideError::Invalid("no geo-split fits in the weeks allowed".into()))
}

impl Candidate for Plan {
    fn weeks(&self) -> usize {
        self.weeks
    }
    fn reaches_power(&self) -> bool {
        self.reaches_power
    }
    fn min_detectable_channel_effect(&self) -> f64 {
        self.min_detectable_company_effect
    }
}
