//! "Without channel X": what the last months would have lost had the channel been switched off, with its
//! interval, beside the cost that would have been saved. The channel's input is set to zero over those
//! periods; what it carried over from before stays, as it would have.

use crate::analyze::Fitted;
use crate::draws::weighted_quantile;
use crate::panel::Panel;
use crate::result::Estimate;
use crate::{whatif, MmmError};
use chrono::NaiveDate;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Counterfactual {
    pub channel: String,
    pub name: String,
    pub periods: usize,
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// The target over those periods as it was.
    pub actual: f64,
    /// What would have been lost without the channel (target units), with its interval.
    pub loss: Estimate,
    /// The loss as a fraction of the actual target over those periods.
    pub loss_share: Estimate,
    /// The channel's full cost over those periods (what switching it off would have saved).
    pub cost_saved: f64,
    /// loss x value per unit - cost saved: positive when keeping the channel paid.
    pub net: Estimate,
    pub identifiable: bool,
    pub why: Option<String>,
}

/// The counterfactual of `key` over the last `periods` periods of a fit.
pub fn without(fitted: &Fitted, panel: &Panel, key: &str, periods: usize) -> Result<Counterfactual, MmmError> {
    let Some(m) = panel.channels.iter().position(|c| c.key == key) else {
        let keys: Vec<&str> = panel.channels.iter().map(|c| c.key.as_str()).collect();
        return Err(MmmError::Spec(format!(
            "{key} is not a channel of the model; its channels are {}",
            keys.join(", ")
        )));
    };
    let n = panel.len();
    let periods = periods.clamp(1, n);
    let inputs = crate::analyze::inputs_of(panel);
    let level = fitted.result.level;
    let (ql, qh) = ((1.0 - level) / 2.0, 1.0 - (1.0 - level) / 2.0);
    let value = fitted.result.value_per_unit;
    let actual: f64 = panel.target[n - periods..].iter().sum();
    let cost_saved: f64 = panel.channels[m].cost[n - periods..].iter().sum();
    let loss_of = |p| whatif::loss_without(&fitted.model, p, &inputs, m, periods);
    let draws: Vec<f64> = fitted.draws.params.iter().map(loss_of).collect();
    let w = &fitted.draws.weights;
    let point = loss_of(&fitted.point);
    let (lo, hi) = (weighted_quantile(&draws, w, ql), weighted_quantile(&draws, w, qh));
    let share = |v: f64| if actual != 0.0 { v / actual } else { f64::NAN };
    let c = &fitted.result.channels[m];
    Ok(Counterfactual {
        channel: key.to_string(),
        name: panel.channels[m].name.clone(),
        periods,
        from: panel.dates[n - periods],
        to: panel.dates[n - 1],
        actual,
        loss: Estimate { value: point, low: lo, high: hi },
        loss_share: Estimate { value: share(point), low: share(lo), high: share(hi) },
        cost_saved,
        net: Estimate {
            value: point * value - cost_saved,
            low: lo * value - cost_saved,
            high: hi * value - cost_saved,
        },
        identifiable: c.identifiable,
        why: c.why.clone(),
    })
}
