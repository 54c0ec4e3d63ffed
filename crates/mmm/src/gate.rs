//! The identifiability gate per channel: whether the history can tell the channel's effect, and if not, why,
//! in a stable code and in words with numbers. The decision layer turns these into proposed experiments.

use crate::model::{Model, Params};
use crate::panel::Panel;
use crate::result::{ChannelResult, Reason, ReasonCode};
use crate::transform::{adstock_weights, convolve};

/// Coefficient of variation of the input below which it "barely varied".
pub const LOW_VARIATION_CV: f64 = 0.15;
/// Fewer periods with any input than this are too few to read an effect from.
pub const MIN_ACTIVE_PERIODS: usize = 8;
/// Correlation of two channels' carried-over inputs above which their effects cannot be told apart.
pub const COLLINEAR_CORRELATION: f64 = 0.9;
/// Posterior sd of the effect over its prior sd above which the data said little.
pub const PRIOR_RATIO_MAX: f64 = 0.7;
/// Width of the share interval above which it is too wide to act on.
pub const SHARE_WIDTH_MAX: f64 = 0.4;

/// Fills `identifiable`, `reasons` and `why` of every channel.
pub fn judge_channels(model: &Model, panel: &Panel, point: &Params, channels: &mut [ChannelResult]) {
    let n = panel.len();
    let unit = match panel.frequency {
        crate::panel::Frequency::Weekly => "weeks",
        crate::panel::Frequency::Daily => "days",
    };
    let carried: Vec<Vec<f64>> = (0..model.n_channels())
        .map(|m| {
            let w = adstock_weights(model.spec.adstock, &point.adstock[m], model.spec.l_max);
            let mut a = vec![0.0; n];
            convolve(&panel.channels[m].values, &w.w, &mut a);
            a
        })
        .collect();
    for m in 0..channels.len() {
        let series = &panel.channels[m];
        let mut reasons = Vec::new();
        let active = series.values.iter().filter(|v| **v > 0.0).count();
        let cv = coefficient_of_variation(&series.values);
        let what = format!("{} {}", series.name, series.input.as_str());
        if active < MIN_ACTIVE_PERIODS {
            reasons.push(Reason {
                code: ReasonCode::FewActivePeriods,
                message: format!("{what} were above zero in only {active} of {n} {unit}: too few to read an effect"),
            });
        } else if cv < LOW_VARIATION_CV {
            reasons.push(Reason {
                code: ReasonCode::LowVariation,
                message: format!(
                    "{what} barely varied over {n} {unit} (coefficient of variation {:.0} %): the data cannot \
                     separate its effect from the baseline",
                    100.0 * cv
                ),
            });
        }
        for k in 0..carried.len() {
            if k == m {
                continue;
            }
            let r = correlation(&carried[m], &carried[k]);
            if r > COLLINEAR_CORRELATION {
                reasons.push(Reason {
                    code: ReasonCode::Collinear,
                    message: format!(
                        "{} moved together with {} (correlation {:.2}): their effects cannot be told apart",
                        series.name, panel.channels[k].name, r
                    ),
                });
            }
        }
        let c = &mut channels[m];
        let prior_dominated = c.prior_ratio > PRIOR_RATIO_MAX;
        let wide = c.share_high - c.share_low > SHARE_WIDTH_MAX;
        if prior_dominated {
            reasons.push(Reason {
                code: ReasonCode::PriorDominated,
                message: format!(
                    "the estimate of {}'s effect is {:.0} % as wide as the assumption it started from: the history \
                     added little",
                    series.name,
                    100.0 * c.prior_ratio
                ),
            });
        }
        if wide {
            reasons.push(Reason {
                code: ReasonCode::WideInterval,
                message: format!(
                    "{}'s share of the channels' contribution lies anywhere between {:.0} % and {:.0} %",
                    series.name,
                    100.0 * c.share_low,
                    100.0 * c.share_high
                ),
            });
        }
        c.identifiable = !(prior_dominated || wide);
        c.why = (!reasons.is_empty()).then(|| {
            let text: Vec<&str> = reasons.iter().map(|r| r.message.as_str()).collect();
            text.join("; ")
        });
        c.reasons = reasons;
    }
}

pub fn coefficient_of_variation(v: &[f64]) -> f64 {
    let n = v.len().max(1) as f64;
    let mean = v.iter().sum::<f64>() / n;
    if mean <= 0.0 {
        return 0.0;
    }
    (v.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / n).sqrt() / mean
}

pub fn correlation(a: &[f64], b: &[f64]) -> f64 {
    let n = a.len().max(1) as f64;
    let (ma, mb) = (a.iter().sum::<f64>() / n, b.iter().sum::<f64>() / n);
    let mut sab = 0.0;
    let mut saa = 0.0;
    let mut sbb = 0.0;
    for (x, y) in a.iter().zip(b) {
        sab += (x - ma) * (y - mb);
        saa += (x - ma).powi(2);
        sbb += (y - mb).powi(2);
    }
    if saa <= 0.0 || sbb <= 0.0 {
        0.0
    } else {
        sab / (saa * sbb).sqrt()
    }
}
