//! The key figures at the top of a report: what social cost, how much time it took, what it was credited with.

use serde::Serialize;
use socialledger_analytics::{Analysis, Severity};

/// Totals over the period. Money in minor units of the analysis currency.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Summary {
    /// Every channel's full cost plus social in general.
    pub total_cost_minor: i64,
    /// Cost of social in general (no channel), part of the total, not spread over channels.
    pub general_cost_minor: i64,
    /// All tracked hours, on channels and in general.
    pub hours: f64,
    /// Hours on customer service, recruiting, PR and procurement.
    pub value_beyond_sales_hours: f64,
    /// Deals created in the period (with an amount in the currency) and their amounts.
    pub pipeline_deals: u64,
    pub pipeline_minor: i64,
    /// Deals won in the period and their amounts.
    pub won_deals: u64,
    pub revenue_minor: i64,
    /// Revenue that some channel is credited with (the rest had no touchpoint in the lookback window).
    pub attributed_revenue_minor: i64,
    /// Channels in the channels table.
    pub channels: usize,
    /// Data notes that bias or hide a figure.
    pub warnings: usize,
}

impl Summary {
    pub fn of(analysis: &Analysis) -> Summary {
        let a = &analysis.attribution;
        let c = &analysis.costs;
        let channel_hours: f64 = c.channels.iter().map(|x| x.hours).sum();
        let channel_vbs: f64 = c.channels.iter().map(|x| x.value_beyond_sales_hours).sum();
        Summary {
            total_cost_minor: c.total_minor,
            general_cost_minor: c.general.total_minor,
            hours: channel_hours + c.general.hours,
            value_beyond_sales_hours: channel_vbs + c.general.value_beyond_sales_hours,
            pipeline_deals: a.pipeline_deals,
            pipeline_minor: a.pipeline_minor,
            won_deals: a.won_deals,
            revenue_minor: a.revenue_minor,
            attributed_revenue_minor: a.revenue_minor - a.unattributed.revenue_minor,
            channels: analysis.channels.len(),
            warnings: analysis.notes.iter().filter(|n| n.severity == Severity::Warning).count(),
        }
    }

    /// Share of revenue some channel is credited with; `None` without revenue.
    pub fn attributed_share(&self) -> Option<f64> {
        (self.revenue_minor != 0).then(|| self.attributed_revenue_minor as f64 / self.revenue_minor as f64)
    }
}
