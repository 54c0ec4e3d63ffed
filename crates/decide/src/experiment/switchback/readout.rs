//! Reading out a switchback once its weeks are over: the contrast between normal and paused weeks (after the
//! washout), against the outcome's baseline fitted on the weeks before, with a 90 % interval whose width is the
//! spread the same schedule shows on the history where nothing was switched (placebo in time).

use super::schedule::Schedule;
use crate::experiment::baseline::Baseline;
use crate::experiment::carryover::Response;
use crate::experiment::placebo::{null_of, Null};
use crate::experiment::LEVEL;
use crate::interval::Interval;
use crate::stats::{ar1_variance, normal_quantile};
use crate::DecideError;
use chrono::NaiveDate;
use serde::Serialize;

/// What a switchback found.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Readout {
    /// Normal minus paused weeks, outcome per week (target units), with its 90 % interval.
    pub contrast: Interval,
    pub null: Null,
    /// Share of placebo contrasts at least this far from zero.
    pub p_value: Option<f64>,
    pub analysed_on: usize,
    pub analysed_off: usize,
    /// The effect of a normal week: the contrast over the schedule's efficiency under the mix model's
    /// carry-over (`None` without a response or when the schedule shows none of it).
    pub weekly_effect: Option<Interval>,
    pub efficiency: Option<f64>,
}

/// Reads out `schedule`, run over the weeks `dates` with outcome `outcome`, after the history
/// `history_dates`/`history_outcome`.
pub fn read_out(
    history_dates: &[NaiveDate],
    history_outcome: &[f64],
    dates: &[NaiveDate],
    outcome: &[f64],
    schedule: &Schedule,
    response: Option<&Response>,
) -> Result<Readout, DecideError> {
    if dates.len() != schedule.weeks() || outcome.len() != schedule.weeks() {
        return Err(DecideError::Invalid(format!(
            "the schedule has {} weeks but the data of the experiment {} (dates) and {} (outcome)",
            schedule.weeks(),
            dates.len(),
            outcome.len()
        )));
    }
    if let (Some(last), Some(first)) = (history_dates.last(), dates.first()) {
        if last >= first {
            return Err(DecideError::Invalid(format!(
                "the history must end before the experiment starts ({last} is not before {first})"
            )));
        }
    }
    let baseline = Baseline::fit(history_dates, history_outcome)?;
    let history = baseline.residuals(history_dates, history_outcome);
    let during = baseline.residuals(dates, outcome);
    let estimate = schedule.contrast(&during).ok_or_else(|| {
        DecideError::Invalid("the schedule leaves no week to compare in one of its arms after the washout".into())
    })?;
    let (analysed_on, analysed_off) = schedule.counts();
    let stretches = baseline.left_out_stretches(history_dates, history_outcome, schedule.weeks());
    let null = null_of(
        &stretches,
        &history,
        |_, stretch| schedule.contrast(stretch),
        |var, rho| schedule.weights().map_or(f64::INFINITY, |w| ar1_variance(&w, var, rho).sqrt()),
    );
    let z = normal_quantile(0.5 + LEVEL / 2.0);
    let contrast = Interval { estimate, low: estimate - z * null.sd, high: estimate + z * null.sd };
    let efficiency = response.and_then(|r| schedule.contrast(&r.relative_contribution(&schedule.on)));
    let weekly_effect = efficiency.filter(|e| *e > 0.0).map(|e| Interval {
        estimate: contrast.estimate / e,
        low: contrast.low / e,
        high: contrast.high / e,
    });
    Ok(Readout {
        p_value: null.p_value(estimate),
        contrast,
        null,
        analysed_on,
        analysed_off,
        weekly_effect,
        efficiency,
    })
}
