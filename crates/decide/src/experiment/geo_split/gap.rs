//! The geo-split's estimator: the gap between the paused regions and their control, before and during.
//!
//! Each week, the gap is the paused regions' outcome minus the running regions' outcome scaled to the paused
//! regions' size (`ratio`: the paused regions' outcome over the running regions' over the whole history, a
//! one-weight synthetic control). Whatever moves all regions alike (season, trend, a market shock) moves both
//! sides of the gap in proportion and leaves it. The estimate is a difference in differences: the gap's mean
//! over the `pre_weeks` weeks before the experiment minus its mean over the analysed weeks of the experiment
//! (after the washout), which is what pausing took away in the paused regions per week, positive when the
//! channel helps.
//!
//! One weight, not a weight per running region fitted to the history: fitted weights follow the history's own
//! noise, and the placebo in time, run on that same history, would come out too narrow.

use crate::experiment::placebo::{null_of, Null};
use crate::stats::{ar1_variance, variance_and_lag1};
use crate::DecideError;

/// Weeks before the experiment the gap's level is taken from: a year, so that a season left in the gap averages
/// out, or half the history when it is shorter.
pub fn pre_weeks(history_weeks: usize) -> usize {
    52.min(history_weeks / 2)
}

/// The paused regions' outcome over the running regions' over `outcome` (per region, per week).
pub fn ratio(outcome: &[Vec<f64>], paused: &[bool]) -> Result<f64, DecideError> {
    let (mut t, mut c) = (0.0, 0.0);
    for (series, p) in outcome.iter().zip(paused) {
        let s: f64 = series.iter().sum();
        if *p {
            t += s;
        } else {
            c += s;
        }
    }
    if !(t > 0.0 && c > 0.0 && t.is_finite() && c.is_finite()) {
        return Err(DecideError::Invalid(format!(
            "the paused regions' outcome over the history is {t}, the running regions' {c}: both must be positive \
             to compare them"
        )));
    }
    Ok(t / c)
}

/// The gap in each week of `outcome` (per region, per week): paused minus `ratio` x running.
pub fn series(outcome: &[Vec<f64>], paused: &[bool], ratio: f64) -> Vec<f64> {
    let weeks = outcome.first().map_or(0, Vec::len);
    (0..weeks).map(|t| outcome.iter().zip(paused).map(|(s, p)| if *p { s[t] } else { -ratio * s[t] }).sum()).collect()
}

/// The difference in differences over one stretch of the gap: its first `pre` values are the weeks before, the
/// rest the experiment's weeks, of which the first `washout` are not compared. `None` when nothing is compared.
pub fn did(stretch: &[f64], pre: usize, washout: usize) -> Option<f64> {
    let before = stretch.get(..pre)?;
    let during = stretch.get(pre + washout..)?;
    if before.is_empty() || during.is_empty() {
        return None;
    }
    Some(before.iter().sum::<f64>() / before.len() as f64 - during.iter().sum::<f64>() / during.len() as f64)
}

/// [`did`] is linear in the stretch: its weights (`1/pre` before, 0 in the washout, `-1/analysed` after), for
/// its exact variance under autocorrelated noise.
pub fn did_weights(pre: usize, weeks: usize, washout: usize) -> Vec<f64> {
    let analysed = weeks.saturating_sub(washout).max(1) as f64;
    (0..pre + weeks)
        .map(|t| {
            if t < pre {
                1.0 / pre as f64
            } else if t < pre + washout {
                0.0
            } else {
                -1.0 / analysed
            }
        })
        .collect()
}

/// The noise of the estimate for an experiment of `weeks` weeks, from the history's gap.
#[derive(Clone, Debug, PartialEq)]
pub struct Noise {
    /// The exact spread of the estimate under the gap's variance and lag-1 autocorrelation (target units per
    /// week), before calibration.
    pub formula_sd: f64,
    /// The estimator on the history's stretches (placebo in time).
    pub null: Null,
}

/// [`Noise`] of every duration in `durations`: the placebo in time over the gap's stretches of `pre + weeks`
/// weeks, and the formula. With fewer than [`crate::experiment::placebo::MIN_WINDOWS`] stretches the placebo
/// is the formula (`NullMethod::Ar1`).
///
/// The formula takes the gap's lag-1 autocorrelation as at least 0. A gap of a few deal-sized weeks per region
/// has none to speak of, and its estimate from a history of 78 weeks scatters by about 0.11 around it: a
/// negative one is that scatter, and would narrow the interval by up to a tenth for nothing (on 50 demo
/// geo-splits, docs/benchmarks.md, the formula's errors were 1.22 of its spread with the estimate as it came and
/// 1.14 with it floored at 0).
pub fn noise(gap: &[f64], pre: usize, washout: usize, durations: impl Iterator<Item = usize>) -> Vec<(usize, Noise)> {
    let (var, rho) = variance_and_lag1(gap);
    let rho = rho.max(0.0);
    durations
        .map(|weeks| {
            let stretches: Vec<Vec<f64>> = if gap.len() >= pre + weeks {
                gap.windows(pre + weeks).map(<[f64]>::to_vec).collect()
            } else {
                Vec::new()
            };
            let formula_sd = ar1_variance(&did_weights(pre, weeks, washout), var, rho).sqrt();
            let null = null_of(&stretches, gap, |_, s| did(s, pre, washout), |_, _| formula_sd);
            (weeks, Noise { formula_sd, null })
        })
        .collect()
}

/// How far the placebo spreads exceed the formula's, pooled over `noise` (root of the ratio of their summed
/// variances; 1 when there is nothing to compare), never below 1: the placebo may widen the formula's interval,
/// never narrow it.
///
/// One factor for all durations: a duration's own placebo, from few overlapping stretches of the history,
/// scatters around its true spread, and an interval that follows that scatter covers less often than it says
/// (85 % for a 90 % interval in the simulation), nor may a plan choose the duration whose placebo happens to
/// come out small. Never below 1, because the stretches of a pre-period and an experiment (39 + 26 weeks in a
/// history of 78) overlap so much that the pooled factor itself rests on one or two independent stretches: on
/// 50 demo geo-splits it ranged from 0.5 to 1.5, and letting it narrow the interval took the coverage of the
/// truth from 88 % to 82 %. It still widens the interval where the history shows more noise than the formula
/// (a trend between regions, a season the pre-period does not average out).
pub fn calibration<'a>(noise: impl Iterator<Item = &'a Noise>) -> f64 {
    let (p, f) = noise
        .filter(|n| n.null.sd.is_finite() && n.formula_sd.is_finite() && n.formula_sd > 0.0)
        .fold((0.0, 0.0), |(p, f), n| (p + n.null.sd * n.null.sd, f + n.formula_sd * n.formula_sd));
    if p > 0.0 && f > 0.0 {
        (p / f).sqrt().max(1.0)
    } else {
        1.0
    }
}

/// Checks that `outcome` has one series per region, all as long as `weeks` (when given) and finite.
pub fn check(outcome: &[Vec<f64>], regions: usize, weeks: Option<usize>, what: &str) -> Result<usize, DecideError> {
    if outcome.len() != regions {
        return Err(DecideError::Invalid(format!("{what}: {} series for {regions} regions", outcome.len())));
    }
    let n = weeks.unwrap_or_else(|| outcome.first().map_or(0, Vec::len));
    if let Some(s) = outcome.iter().find(|s| s.len() != n) {
        return Err(DecideError::Invalid(format!("{what}: a region has {} weeks, another {n}", s.len())));
    }
    if outcome.iter().flatten().any(|v| !v.is_finite()) {
        return Err(DecideError::Invalid(format!("{what}: a value is not a number")));
    }
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_drop_in_the_paused_regions_is_found_whatever_moves_all_regions_alike() {
        // Two paused regions of 30 and 10, two running of 60 and 20: ratio 0.5. A common season multiplies all.
        let season = |t: usize| 1.0 + 0.3 * (t as f64 / 5.0).sin();
        let base = [30.0, 10.0, 60.0, 20.0];
        let paused = [true, true, false, false];
        let weeks = 70;
        let outcome: Vec<Vec<f64>> = base
            .iter()
            .zip(paused)
            .map(|(b, p)| (0..weeks).map(|t| b * season(t) - if p && t >= 60 { 4.0 } else { 0.0 }).collect())
            .collect();
        let history: Vec<Vec<f64>> = outcome.iter().map(|s| s[..60].to_vec()).collect();
        let r = ratio(&history, &paused).unwrap();
        assert!((r - 0.5).abs() < 1e-12);
        let g = series(&outcome, &paused, r);
        let d = did(&g[20..], 40, 2).unwrap();
        // 4 a week in each of the two paused regions.
        assert!((d - 8.0).abs() < 1e-9, "{d}");
        let w = did_weights(40, 10, 2);
        assert!((w.iter().zip(&g[20..]).map(|(a, b)| a * b).sum::<f64>() - d).abs() < 1e-9);
        assert!(did(&g[20..], 40, 10).is_none());
        assert!(ratio(&history, &[true; 4]).is_err());
    }
}
