//! What a panel's series look like before any fit: how often each channel is active, how much its input varies
//! from period to period, and which other channel moves with it. A mix model can only tell a channel's effect
//! from the baseline when its input varies, and from another channel's when the two do not move together; these
//! figures say beforehand where that will fail.

use serde::Serialize;
use socialledger_mmm::{ChannelGroup, InputKind, Panel};

/// Summary of one series of the panel.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SeriesSummary {
    pub key: String,
    pub name: String,
    pub input: InputKind,
    pub group: ChannelGroup,
    /// Periods with input > 0.
    pub periods_active: usize,
    /// Sum of the input over all periods, in its unit (hours, currency, posts, impressions, volume).
    pub total_input: f64,
    /// Sum of the full cost over all periods, in the panel's currency.
    pub total_cost: f64,
    /// Coefficient of variation of the input over all periods (population standard deviation / mean);
    /// `None` when the mean is zero.
    pub cv: Option<f64>,
    /// The other series whose input correlates most (by absolute Pearson correlation) with this one's, and
    /// that correlation; `None` without another non-constant series.
    pub most_correlated: Option<Correlated>,
}

/// A correlation with another series.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Correlated {
    pub key: String,
    /// Pearson correlation of the two inputs over the periods, in [-1, 1].
    pub r: f64,
}

/// Summary of a whole panel.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PanelSummary {
    pub periods: usize,
    pub target_name: String,
    pub target_total: f64,
    /// Coefficient of variation of the target over the periods.
    pub target_cv: Option<f64>,
    pub channels: Vec<SeriesSummary>,
}

/// Summarises every series of `panel`, in the panel's order.
pub fn summarize(panel: &Panel) -> PanelSummary {
    let channels = panel
        .channels
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let most_correlated = panel
                .channels
                .iter()
                .enumerate()
                .filter(|(j, _)| *j != i)
                .filter_map(|(_, o)| correlation(&c.values, &o.values).map(|r| Correlated { key: o.key.clone(), r }))
                .max_by(|a, b| a.r.abs().total_cmp(&b.r.abs()));
            SeriesSummary {
                key: c.key.clone(),
                name: c.name.clone(),
                input: c.input,
                group: c.group,
                periods_active: c.values.iter().filter(|&&v| v > 0.0).count(),
                total_input: c.values.iter().sum(),
                total_cost: c.cost.iter().sum(),
                cv: cv(&c.values),
                most_correlated,
            }
        })
        .collect();
    PanelSummary {
        periods: panel.len(),
        target_name: panel.target_name.clone(),
        target_total: panel.target.iter().sum(),
        target_cv: cv(&panel.target),
        channels,
    }
}

/// Coefficient of variation: population standard deviation over the mean; `None` for an empty series or a
/// zero mean.
pub fn cv(values: &[f64]) -> Option<f64> {
    let n = values.len() as f64;
    let mean = values.iter().sum::<f64>() / n;
    if values.is_empty() || mean == 0.0 {
        return None;
    }
    let var = values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / n;
    Some(var.sqrt() / mean)
}

/// Pearson correlation of two equally long series; `None` when either is constant (or they differ in length).
pub fn correlation(a: &[f64], b: &[f64]) -> Option<f64> {
    if a.len() != b.len() || a.is_empty() {
        return None;
    }
    let n = a.len() as f64;
    let (ma, mb) = (a.iter().sum::<f64>() / n, b.iter().sum::<f64>() / n);
    let (mut sab, mut saa, mut sbb) = (0.0, 0.0, 0.0);
    for (x, y) in a.iter().zip(b) {
        sab += (x - ma) * (y - mb);
        saa += (x - ma).powi(2);
        sbb += (y - mb).powi(2);
    }
    if saa == 0.0 || sbb == 0.0 {
        return None;
    }
    Some((sab / (saa * sbb).sqrt()).clamp(-1.0, 1.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cv_and_correlation_by_hand() {
        // Mean 2, population variance 2/3.
        assert!((cv(&[1.0, 2.0, 3.0]).unwrap() - (2.0f64 / 3.0).sqrt() / 2.0).abs() < 1e-12);
        assert_eq!(cv(&[0.0, 0.0]), None);
        assert!((correlation(&[1.0, 2.0, 3.0], &[2.0, 4.0, 6.0]).unwrap() - 1.0).abs() < 1e-12);
        assert!((correlation(&[1.0, 2.0, 3.0], &[3.0, 2.0, 1.0]).unwrap() + 1.0).abs() < 1e-12);
        assert_eq!(correlation(&[1.0, 1.0], &[1.0, 2.0]), None);
    }
}
