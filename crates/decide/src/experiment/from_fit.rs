//! What an experiment plan takes from a mix model fit: the channel's carry-over and saturation, the level of a
//! normal week's input, and the effect of a normal week with its interval.
//!
//! Posterior means over the fit's draws, not the mode: a small effect sits at the mode on its boundary
//! (`beta = 0`) while most of its posterior lies above it, and the interval comes from the same draws.

use crate::experiment::carryover::Response;
use crate::interval::Interval;
use crate::DecideError;
use socialledger_mmm::draws::weighted_quantile;
use socialledger_mmm::transform::saturation;
use socialledger_mmm::{Fitted, Params};

/// Channel `m` of `fitted` as a plan needs it, at interval `level`.
pub fn channel_from_fit(fitted: &Fitted, m: usize, level: f64) -> Result<(Response, Interval), DecideError> {
    let design = &fitted.model.design;
    let x = design.x.get(m).ok_or_else(|| DecideError::Invalid(format!("the fit has no channel {m}")))?;
    let active: Vec<f64> = x.iter().copied().filter(|v| *v > 0.0).collect();
    if active.is_empty() {
        return Err(DecideError::Invalid(format!(
            "{} has no input in any week of the panel: there is nothing to pause",
            fitted.model.keys.get(m).map(String::as_str).unwrap_or("the channel")
        )));
    }
    let input_level = active.iter().sum::<f64>() / active.len() as f64;
    let spec = &fitted.model.spec;
    let w = &fitted.draws.weights;
    let params = &fitted.draws.params;
    let mean_of = |pick: &dyn Fn(&Params) -> f64| -> f64 { params.iter().zip(w).map(|(p, w)| w * pick(p)).sum() };
    let mean_vec = |pick: &dyn Fn(&Params) -> &Vec<f64>| -> Vec<f64> {
        (0..pick(&fitted.point).len()).map(|i| mean_of(&|p| pick(p)[i])).collect()
    };
    let response = Response {
        adstock: spec.adstock,
        adstock_params: mean_vec(&|p| &p.adstock[m]),
        l_max: spec.l_max,
        saturation: spec.saturation,
        saturation_params: mean_vec(&|p| &p.saturation[m]),
        level: input_level,
    };
    // A normal week's effect: y_scale x beta x saturation(level), draw by draw.
    let weekly = |p: &Params| design.y_scale * p.beta[m] * saturation(spec.saturation, &p.saturation[m], input_level).f;
    let draws: Vec<f64> = params.iter().map(weekly).collect();
    let (ql, qh) = ((1.0 - level) / 2.0, 1.0 - (1.0 - level) / 2.0);
    let effect = Interval::new(mean_of(&weekly), weighted_quantile(&draws, w, ql), weighted_quantile(&draws, w, qh));
    Ok((response, effect))
}

#[cfg(test)]
mod tests {
    use super::*;
    use socialledger_mmm::{fit_fast_full, ChannelGroup, FitOptions, Frequency, InputKind, MediaSeries, Panel};

    #[test]
    fn the_weekly_effect_is_the_posterior_mean_inside_its_interval() {
        // A weekly world: one bursty channel whose normal week adds about 30 to an outcome of about 100.
        let n = 104;
        let start = chrono::NaiveDate::from_ymd_opt(2024, 1, 1).unwrap();
        let x: Vec<f64> = (0..n).map(|t| if t % 6 < 3 { 10.0 } else { 0.0 }).collect();
        let target: Vec<f64> =
            (0..n).map(|t| 100.0 + if t % 6 < 3 { 30.0 } else { 0.0 } + ((t * 7) % 5) as f64).collect();
        let panel = Panel {
            frequency: Frequency::Weekly,
            dates: (0..n).map(|t| start + chrono::Duration::days(7 * t as i64)).collect(),
            target_name: "y".into(),
            target,
            currency: String::new(),
            channels: vec![MediaSeries {
                key: "ads".into(),
                name: "ads".into(),
                input: InputKind::Spend,
                group: ChannelGroup::Paid,
                cost: x.clone(),
                values: x,
            }],
            controls: Vec::new(),
        };
        let opts = FitOptions { cross_validate: false, ..FitOptions::new(&panel) };
        let fitted = fit_fast_full(&panel, &opts).unwrap();
        let (response, effect) = channel_from_fit(&fitted, 0, 0.9).unwrap();
        assert!((response.level - 1.0).abs() < 1e-12, "every active week is the largest: {}", response.level);
        assert!(effect.low <= effect.estimate && effect.estimate <= effect.high, "{effect:?}");
        assert!((effect.estimate - 30.0).abs() < 6.0, "a normal week adds about 30: {effect:?}");
        assert!(channel_from_fit(&fitted, 1, 0.9).is_err());
    }
}
