//! Questions asked of a fitted model by changing its inputs: what a channel contributed, what one more unit
//! of its cost would bring, what the last months would have lost without it, and how its contribution grows
//! with its input (the response curve).

use crate::model::{Model, Params};
use crate::predict::Inputs;

/// Relative step of the input for the marginal return.
pub const MARGINAL_STEP: f64 = 0.01;

/// Channel `m`'s total contribution over the panel (target units).
pub fn contribution(model: &Model, p: &Params, inputs: &Inputs, m: usize) -> f64 {
    model.channel_contribution(p, m, &inputs.channels[m]).iter().sum()
}

/// Extra contribution from raising channel `m`'s input by [`MARGINAL_STEP`] in every period, per unit of the
/// extra input (its derivative along the current plan).
pub fn marginal_contribution(model: &Model, p: &Params, inputs: &Inputs, m: usize) -> f64 {
    let base = contribution(model, p, inputs, m);
    let raised: Vec<f64> = inputs.channels[m].iter().map(|v| v * (1.0 + MARGINAL_STEP)).collect();
    let up: f64 = model.channel_contribution(p, m, &raised).iter().sum();
    (up - base) / MARGINAL_STEP
}

/// What the last `periods` periods would have lost without channel `m` (its input set to zero there; the
/// carry-over from before stays, as it would have in reality).
pub fn loss_without(model: &Model, p: &Params, inputs: &Inputs, m: usize, periods: usize) -> f64 {
    let n = inputs.dates.len();
    let from = n.saturating_sub(periods);
    let with = model.channel_contribution(p, m, &inputs.channels[m]);
    let mut cut = inputs.channels[m].clone();
    cut[from..].iter_mut().for_each(|v| *v = 0.0);
    let without = model.channel_contribution(p, m, &cut);
    (from..n).map(|t| with[t] - without[t]).sum()
}

/// [`contribution`], [`marginal_contribution`] and [`loss_without`] of channel `m` at once, the same numbers
/// by the same arithmetic: the fit asks all three of every draw, and each of them needs the contribution
/// under today's plan, which this forms once instead of three times.
pub fn figures(model: &Model, p: &Params, inputs: &Inputs, m: usize, periods: usize) -> [f64; 3] {
    let x = &inputs.channels[m];
    let with = model.channel_contribution(p, m, x);
    let base: f64 = with.iter().sum();
    let raised: Vec<f64> = x.iter().map(|v| v * (1.0 + MARGINAL_STEP)).collect();
    let up: f64 = model.channel_contribution(p, m, &raised).iter().sum();
    let n = inputs.dates.len();
    let from = n.saturating_sub(periods);
    let mut cut = x.clone();
    cut[from..].iter_mut().for_each(|v| *v = 0.0);
    let without = model.channel_contribution(p, m, &cut);
    [base, (up - base) / MARGINAL_STEP, (from..n).map(|t| with[t] - without[t]).sum()]
}

/// Multipliers of the observed input at which a response curve is evaluated (0 to 2x, 1 = today).
pub fn curve_multipliers() -> Vec<f64> {
    (0..=20).map(|i| i as f64 / 10.0).collect()
}

/// Contribution per period (mean over the panel) when channel `m`'s whole input series is multiplied by each
/// of `multipliers`.
pub fn response(model: &Model, p: &Params, inputs: &Inputs, m: usize, multipliers: &[f64]) -> Vec<f64> {
    let n = inputs.dates.len().max(1) as f64;
    multipliers
        .iter()
        .map(|k| {
            let x: Vec<f64> = inputs.channels[m].iter().map(|v| v * k).collect();
            model.channel_contribution(p, m, &x).iter().sum::<f64>() / n
        })
        .collect()
}

/// The summed contribution of the channels `group` (indices into the panel's channels) over the whole panel:
/// the point (weighted posterior mean) and the `level` interval over the draws. Summing the channels' own
/// intervals would overstate the uncertainty (their draws are correlated); this sums within each draw.
pub fn group_contribution(
    model: &Model,
    draws: &crate::draws::Draws,
    inputs: &Inputs,
    group: &[usize],
    level: f64,
) -> crate::result::Estimate {
    let totals: Vec<f64> =
        draws.params.iter().map(|p| group.iter().map(|&m| contribution(model, p, inputs, m)).sum()).collect();
    let w = &draws.weights;
    let weight: f64 = w.iter().sum();
    let value = if weight > 0.0 { totals.iter().zip(w).map(|(t, w)| t * w).sum::<f64>() / weight } else { 0.0 };
    let (ql, qh) = ((1.0 - level) / 2.0, 1.0 - (1.0 - level) / 2.0);
    crate::result::Estimate {
        value,
        low: crate::draws::weighted_quantile(&totals, w, ql),
        high: crate::draws::weighted_quantile(&totals, w, qh),
    }
}
