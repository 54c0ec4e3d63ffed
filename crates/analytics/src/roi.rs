//! Return on investment per channel under every attribution model, side by side, so the reader sees how much
//! the answer depends on the model.
//!
//! ROI = (revenue credited x gross margin - full cost) / full cost, a fraction (0.5 = +50 %); `None` when the
//! full cost is zero. The gross margin is a setting, echoed in the report next to every ROI.
//! "What quitting would cost" = revenue credited x gross margin - full cost (in minor units): the gross profit the
//! channel brings beyond what it costs under each model, which is what stopping it would forgo if the credit were
//! causal. On the same margin as the ROI, so the two never contradict each other (a negative ROI is a negative
//! quitting cost: stopping would save money).

use crate::attribution::{AttributionReport, Model};
use crate::cost::CostReport;
use crate::Settings;
use serde::Serialize;
use socialledger_domain::Currency;
use std::collections::BTreeSet;

/// One channel's return under one model.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ModelRoi {
    pub model: Model,
    /// Revenue credited to the channel by this model.
    pub revenue_minor: i64,
    /// (revenue x gross margin - cost) / cost; `None` when cost is zero.
    pub roi: Option<f64>,
    /// revenue credited x gross margin - full cost: the gross profit quitting the channel would forgo under this
    /// model (negative: quitting would save that much).
    pub quitting_cost_minor: i64,
}

/// One channel's return under every model.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ChannelRoi {
    pub channel: String,
    /// Full cost over the period (staff + items + activity spend).
    pub cost_minor: i64,
    /// One entry per model, in [`Model::ALL`] order.
    pub models: Vec<ModelRoi>,
    pub roi_min: Option<f64>,
    pub roi_max: Option<f64>,
    /// max - min ROI across models: how much the verdict depends on the model.
    pub roi_spread: Option<f64>,
}

/// ROI of every channel that has a cost or credited revenue, sorted by channel.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RoiReport {
    pub currency: Currency,
    /// Share of revenue that is margin (a setting, shown next to every ROI).
    pub gross_margin: f64,
    pub channels: Vec<ChannelRoi>,
}

/// (revenue x margin - cost) / cost; `None` when cost is zero.
pub fn roi_of(revenue_minor: i64, cost_minor: i64, gross_margin: f64) -> Option<f64> {
    if cost_minor == 0 {
        return None;
    }
    let cost = cost_minor as f64;
    Some((revenue_minor as f64 * gross_margin - cost) / cost)
}

/// revenue x margin - cost, rounded to the minor unit: the gross profit stopping the channel would forgo.
pub fn quitting_cost_minor(revenue_minor: i64, cost_minor: i64, gross_margin: f64) -> i64 {
    let profit = (revenue_minor as f64 * gross_margin).round();
    // Saturate like the rest of the money arithmetic: an amount this large is an error elsewhere already.
    let profit = profit.clamp(i64::MIN as f64, i64::MAX as f64) as i64;
    profit.saturating_sub(cost_minor)
}

/// ROI per channel and model from the cost and attribution of the same period.
pub fn roi(costs: &CostReport, attribution: &AttributionReport, settings: &Settings) -> RoiReport {
    let mut keys: BTreeSet<&str> = BTreeSet::new();
    keys.extend(costs.channels.iter().filter(|c| c.total_minor != 0).filter_map(|c| c.channel.as_deref()));
    for m in &attribution.models {
        keys.extend(m.channels.iter().filter(|c| c.revenue_minor != 0).map(|c| c.channel.as_str()));
    }
    let channels = keys
        .into_iter()
        .map(|key| {
            let cost_minor =
                costs.channels.iter().find(|c| c.channel.as_deref() == Some(key)).map_or(0, |c| c.total_minor);
            let models: Vec<ModelRoi> = Model::ALL
                .iter()
                .map(|&model| {
                    let revenue_minor = attribution
                        .models
                        .iter()
                        .find(|m| m.model == model)
                        .and_then(|m| m.channels.iter().find(|c| c.channel == key))
                        .map_or(0, |c| c.revenue_minor);
                    ModelRoi {
                        model,
                        revenue_minor,
                        roi: roi_of(revenue_minor, cost_minor, settings.gross_margin),
                        quitting_cost_minor: quitting_cost_minor(revenue_minor, cost_minor, settings.gross_margin),
                    }
                })
                .collect();
            let rois: Vec<f64> = models.iter().filter_map(|m| m.roi).collect();
            let roi_min = rois.iter().copied().reduce(f64::min);
            let roi_max = rois.iter().copied().reduce(f64::max);
            let roi_spread = roi_min.zip(roi_max).map(|(lo, hi)| hi - lo);
            ChannelRoi { channel: key.to_string(), cost_minor, models, roi_min, roi_max, roi_spread }
        })
        .collect();
    RoiReport { currency: settings.currency, gross_margin: settings.gross_margin, channels }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testdata::*;
    use crate::{attribution, cost};
    use socialledger_domain::{Dataset, DealStatus, Task, TouchKind};

    fn close(a: Option<f64>, b: f64) -> bool {
        a.is_some_and(|a| (a - b).abs() < 1e-12)
    }

    #[test]
    fn roi_formula() {
        // (1000.00 x 0.7 - 500.00) / 500.00
        assert!(close(roi_of(100_000, 50_000, 0.7), 0.4));
        assert!(close(roi_of(0, 50_000, 0.7), -1.0));
        assert_eq!(roi_of(100_000, 0, 0.7), None);
    }

    #[test]
    fn roi_side_by_side() {
        let mut ds = Dataset { people: vec![person("anna", Some(eur(5_000)))], ..Dataset::default() };
        ds.time_entries = vec![
            entry("e1", "anna", "2024-03-01", 600, Some("linkedin"), Task::Content),
            entry("e2", "anna", "2024-03-02", 120, Some("x"), Task::Content),
        ];
        ds.deals =
            vec![deal("D1", Some("acme"), Some(eur(100_000)), Some("2024-03-10"), Some("2024-03-20"), DealStatus::Won)];
        ds.touchpoints = vec![
            touch("t1", Some("acme"), "2024-03-01T10:00:00Z", "linkedin", TouchKind::Visit),
            touch("t2", Some("acme"), "2024-03-05T10:00:00Z", "x", TouchKind::Visit),
            touch("t3", Some("acme"), "2024-03-06T10:00:00Z", "youtube", TouchKind::Visit),
        ];
        let s = Settings::default();
        let costs = cost::costs(&ds, &s, &[]);
        let attr = attribution::attribute(&ds, &s);
        let r = roi(&costs, &attr, &s);
        assert_eq!(r.gross_margin, 0.7);
        let names: Vec<&str> = r.channels.iter().map(|c| c.channel.as_str()).collect();
        assert_eq!(names, ["linkedin", "x", "youtube"]);

        // linkedin costs 500.00 (10 h at 50.00); first touch credits it all 1000.00 of revenue, last touch none.
        let li = &r.channels[0];
        assert_eq!(li.cost_minor, 50_000);
        let by = |c: &ChannelRoi, m: Model| c.models.iter().find(|x| x.model == m).unwrap().clone();
        let first = by(li, Model::First);
        // Quitting forgoes the gross profit beyond the cost: 1000.00 x 0.7 - 500.00, on the ROI's own margin
        // (ROI +40 % of 500.00 is 200.00).
        assert_eq!((first.revenue_minor, first.quitting_cost_minor), (100_000, 20_000));
        assert!(close(first.roi, 0.4));
        assert_eq!(by(li, Model::Last).quitting_cost_minor, -50_000, "no credit: quitting saves the cost");
        assert!(close(by(li, Model::Last).roi, -1.0));
        // Linear: a third, 333.34 (the tie goes to the first channel by key).
        assert_eq!(by(li, Model::Linear).revenue_minor, 33_334);
        assert!(close(by(li, Model::Linear).roi, (33_334.0 * 0.7 - 50_000.0) / 50_000.0));
        assert!(close(li.roi_max, 0.4) && close(li.roi_min, -1.0) && close(li.roi_spread, 1.4));

        // youtube costs nothing: no ROI under any model, but what quitting would cost is still its gross profit.
        let yt = &r.channels[2];
        assert_eq!(yt.cost_minor, 0);
        assert!(yt.models.iter().all(|m| m.roi.is_none()));
        assert_eq!(yt.roi_spread, None);
        assert_eq!(by(yt, Model::Last).quitting_cost_minor, 70_000);
    }
}
