//! Reading out a geo-split once its weeks are over: the gap between the paused regions and their control before
//! and during ([`super::gap`]), with a 90 % interval whose width is the spread the same estimator shows on the
//! history, where nothing was paused (placebo in time); with too little history for that, the exact spread under
//! the gap's variance and lag-1 autocorrelation (`null.method` says which).

use super::gap::{calibration, check, did, noise, pre_weeks, ratio, series};
use crate::experiment::carryover::Response;
use crate::experiment::placebo::Null;
use crate::experiment::LEVEL;
use crate::interval::Interval;
use crate::stats::normal_quantile;
use crate::DecideError;
use serde::Serialize;

/// What a geo-split found.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Readout {
    /// The outcome per week that pausing took away in the paused regions (target units; positive when the
    /// channel helps), with its 90 % interval.
    pub effect: Interval,
    /// The same scaled to the whole company (over the paused regions' share of the history's outcome):
    /// informational, it assumes the channel works alike everywhere.
    pub company_effect: Interval,
    pub paused_share: f64,
    /// Running regions' weight in the control (paused regions' outcome over theirs in the history).
    pub ratio: f64,
    /// The spread the interval is computed with: the exact spread under the gap's variance and lag-1
    /// autocorrelation, scaled by `calibration`.
    pub null_sd: f64,
    /// Placebo spread over the formula's, pooled over every duration up to the experiment's, at least 1 (1: the
    /// formula is right or too wide; [`super::gap::calibration`]).
    pub calibration: f64,
    /// The placebo in time of this duration alone (its p-value).
    pub null: Null,
    /// Share of placebo estimates at least this far from zero.
    pub p_value: Option<f64>,
    pub pre_weeks: usize,
    pub analysed_weeks: usize,
    /// The channel's steady weekly effect in the paused regions: the effect over the share of it the analysed
    /// weeks show after carry-over (`None` without a response).
    pub steady_effect: Option<Interval>,
    pub efficiency: Option<f64>,
}

/// Reads out a geo-split: `history` and `during` per region (same order as `paused`), per week, before and
/// during the experiment; the first `washout_weeks` of the experiment are not compared.
pub fn read_out(
    history: &[Vec<f64>],
    during: &[Vec<f64>],
    paused: &[bool],
    washout_weeks: usize,
    response: Option<&Response>,
) -> Result<Readout, DecideError> {
    let n = check(history, paused.len(), None, "the history")?;
    let weeks = check(during, paused.len(), None, "the experiment's weeks")?;
    if washout_weeks >= weeks {
        return Err(DecideError::Invalid(format!(
            "the experiment has {weeks} weeks, all in the washout of {washout_weeks}: nothing to compare"
        )));
    }
    let pre = pre_weeks(n);
    if pre == 0 {
        return Err(DecideError::TooShort {
            what: "a geo-split's pre-period".into(),
            have: n,
            need: 2,
            hint: "import the weeks before the experiment".into(),
        });
    }
    let k = ratio(history, paused)?;
    let gap_history = series(history, paused, k);
    let gap_during = series(during, paused, k);
    let mut stretch = gap_history[n - pre..].to_vec();
    stretch.extend(&gap_during);
    let estimate = did(&stretch, pre, washout_weeks)
        .ok_or_else(|| DecideError::Invalid("the experiment leaves no week to compare".into()))?;
    // The spread: the formula for this duration, calibrated against the placebos of every duration up to it.
    let noise = noise(&gap_history, pre, washout_weeks, (washout_weeks + 1)..=weeks);
    let calibration = calibration(noise.iter().map(|(_, n)| n));
    let Some((_, own)) = noise.into_iter().last() else {
        return Err(DecideError::Invalid("the experiment leaves no week to compare".into()));
    };
    let null_sd = own.formula_sd * calibration;
    let null = own.null;
    let z = normal_quantile(0.5 + LEVEL / 2.0);
    let effect = Interval::new(estimate, estimate - z * null_sd, estimate + z * null_sd);
    let size = |p: bool| -> f64 { history.iter().zip(paused).filter(|(_, q)| **q == p).flat_map(|(s, _)| s).sum() };
    let paused_share = size(true) / (size(true) + size(false));
    let scale = |i: &Interval, by: f64| Interval::new(i.estimate / by, i.low / by, i.high / by);
    let efficiency = response.map(|r| r.hold_off_efficiency(weeks, washout_weeks));
    Ok(Readout {
        company_effect: scale(&effect, paused_share),
        steady_effect: efficiency.filter(|e| *e > 0.0).map(|e| scale(&effect, e)),
        p_value: null.p_value(estimate),
        effect,
        paused_share,
        ratio: k,
        null,
        null_sd,
        calibration,
        pre_weeks: pre,
        analysed_weeks: weeks - washout_weeks,
        efficiency,
    })
}
