//! Calibration by experiments: an experiment's readout becomes the effect prior of its channel, so that the mix
//! model's figures for that channel rest on what switching it showed, and the rest of the mix is read around it.
//!
//! An experiment measures the channel's contribution to the target in a week it runs as usual (e.g. a pause:
//! what the weeks without it lost), `e` target units with an interval. In the model that contribution is
//! `beta x y_scale x r`, where `r` is the channel's response `saturation(adstock(x / x_scale))` in such a week.
//! Like the default effect prior ([`crate::priors::BetaRule::Contribution`]), `r` is the channel's mean response
//! over the panel at the prior means of its shapes; the readout then fixes `beta = e / (y_scale x r)`:
//!
//! * an interval above zero becomes a Gamma prior with that mean and the readout's spread
//!   (sd = interval width / (2 z), z the normal quantile of the interval's level): the channel's effect is held
//!   near what the experiment saw, and the data still move it;
//! * an interval that reaches zero or below becomes a half-normal prior whose `level` quantile is the interval's
//!   upper end: the experiment says at most that much, and possibly nothing.
//!
//! This is Google Meridian's way (ROI priors from experiments) rather than PyMC-Marketing's (an extra
//! likelihood term per lift test): it keeps the model's fast fit (the coefficients integrated out) unchanged.
//! Its approximation is `r`: the shapes stay free in the fit, so the prior holds `beta`, and the contribution
//! follows it only as far as the fitted shapes keep the response near its prior-mean value.

use crate::model::Model;
use crate::normal::inv_cdf;
use crate::panel::Panel;
use crate::priors::{Prior, Priors};
use crate::spec::{AdstockKind, ModelSpec, SaturationKind};
use crate::transform::response;
use crate::MmmError;
use serde::Serialize;

/// One experiment's readout on one channel, in target units per period.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Calibration {
    /// The channel's key in the panel.
    pub channel: String,
    /// The channel's contribution in a period it runs as usual, with the interval at `level`.
    pub effect: f64,
    pub low: f64,
    pub high: f64,
    pub level: f64,
    /// Where it comes from, for the output (the plan's file).
    pub source: String,
}

/// What a calibration did to its channel's effect prior.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Calibrated {
    pub channel: String,
    pub source: String,
    /// The readout, per period: effect and interval.
    pub effect: f64,
    pub low: f64,
    pub high: f64,
    /// The channel's effect prior that replaces the default one (scaled space).
    pub prior: Prior,
    /// The mean response `r` it was scaled by.
    pub mean_response: f64,
}

/// `priors` with each calibrated channel's effect prior set from its readout (module doc). Errors: a channel
/// that is not in the panel, two readouts of one channel, an interval that is not an interval.
pub fn calibrate(
    panel: &Panel,
    spec: &ModelSpec,
    priors: &Priors,
    calibrations: &[Calibration],
) -> Result<(Priors, Vec<Calibrated>), MmmError> {
    let mut out = priors.clone();
    let mut done = Vec::with_capacity(calibrations.len());
    if calibrations.is_empty() {
        return Ok((out, done));
    }
    // The model as it would be fitted without the readouts: its scaling and each channel's shape priors.
    let model = Model::new(panel, spec, priors)?;
    let design = &model.design;
    for c in calibrations {
        let m = panel.channels.iter().position(|s| s.key == c.channel).ok_or_else(|| {
            MmmError::Spec(format!(
                "{}: channel {} is not in the panel (its channels: {}); calibrate only channels the model has",
                c.source,
                c.channel,
                panel.channels.iter().map(|s| s.key.as_str()).collect::<Vec<_>>().join(", ")
            ))
        })?;
        if done.iter().any(|d: &Calibrated| d.channel == c.channel) {
            return Err(MmmError::Spec(format!(
                "{}: channel {} has a readout already; give one experiment per channel (the longer one)",
                c.source, c.channel
            )));
        }
        let finite = [c.effect, c.low, c.high, c.level].iter().all(|v| v.is_finite());
        if !finite || c.low > c.effect || c.effect > c.high || !(c.level > 0.0 && c.level < 1.0) {
            return Err(MmmError::Spec(format!(
                "{}: the readout of {} is not an interval (effect {}, from {} to {} at level {}); read it out again",
                c.source, c.channel, c.effect, c.low, c.high, c.level
            )));
        }
        let ch = &model.channel_priors[m];
        let a: Vec<f64> = ch.adstock.iter().map(Prior::mean).collect();
        let s: Vec<f64> = ch.saturation.iter().map(Prior::mean).collect();
        let r = mean_response(spec.adstock, &a, spec.l_max, spec.saturation, &s, &design.x[m]);
        let per_beta = design.y_scale * r;
        if !(per_beta.is_finite() && per_beta > 0.0) {
            return Err(MmmError::Spec(format!(
                "{}: channel {} has no input in the panel, so no effect to calibrate",
                c.source, c.channel
            )));
        }
        let prior = effect_prior(c.effect / per_beta, c.low / per_beta, c.high / per_beta, c.level);
        let entry = out.channels.entry(c.channel.clone()).or_default();
        entry.beta = Some(prior);
        done.push(Calibrated {
            channel: c.channel.clone(),
            source: c.source.clone(),
            effect: c.effect,
            low: c.low,
            high: c.high,
            prior,
            mean_response: r,
        });
    }
    out.validate()?;
    Ok((out, done))
}

fn mean_response(adstock: AdstockKind, a: &[f64], l_max: usize, sat: SaturationKind, s: &[f64], x: &[f64]) -> f64 {
    let r = response(adstock, a, l_max, sat, s, x);
    r.iter().sum::<f64>() / r.len().max(1) as f64
}

/// The effect prior for a readout of `beta` (estimate, interval at `level`): a Gamma at the estimate with the
/// readout's spread where the interval is above zero, else a half-normal whose `level` quantile is the upper end
/// (at least the readout's spread, so a readout wholly below zero still says "about nothing").
pub fn effect_prior(estimate: f64, low: f64, high: f64, level: f64) -> Prior {
    let z = inv_cdf(0.5 + level / 2.0);
    let sd = ((high - low) / (2.0 * z)).max(f64::MIN_POSITIVE);
    if low > 0.0 {
        let mean = estimate.max(low);
        Prior::Gamma { shape: (mean / sd).powi(2), rate: mean / (sd * sd) }
    } else {
        // P(|N(0, s)| <= q) = level at q = s x z(0.5 + level/2): the same z.
        Prior::HalfNormal { sigma: (high / z).max(sd) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_interval_above_zero_becomes_a_gamma_with_its_mean_and_spread() {
        let p = effect_prior(2.0, 1.0, 3.0, 0.9);
        assert!((p.mean() - 2.0).abs() < 1e-12, "{p:?}");
        // Width 2 at 90 %: sd = 1 / 1.6449.
        assert!((p.sd() - 1.0 / 1.644_853_626_951_472_2).abs() < 1e-9, "{p:?}");
    }

    #[test]
    fn an_interval_reaching_zero_becomes_a_half_normal_whose_quantile_is_its_upper_end() {
        let p = effect_prior(0.5, -1.0, 2.0, 0.9);
        let Prior::HalfNormal { sigma } = p else { panic!("{p:?}") };
        // 90 % of a half-normal lies below 1.6449 sigma.
        assert!((1.644_853_626_951_472_2 * sigma - 2.0).abs() < 1e-9);
        // Wholly below zero: about nothing, at the readout's own precision.
        let Prior::HalfNormal { sigma } = effect_prior(-2.0, -3.0, -1.0, 0.9) else { panic!() };
        assert!((sigma - 2.0 / (2.0 * 1.644_853_626_951_472_2)).abs() < 1e-9);
    }
}
