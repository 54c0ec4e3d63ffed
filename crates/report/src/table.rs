//! The channels table: one row per channel with its full cost, hours, engagement rates and what every
//! attribution model credits it with. The terminal, CSV, JSON and HTML reports all show these same rows.

use serde::Serialize;
use socialledger_analytics::{Analysis, Model};
use socialledger_domain::ChannelKind;

/// One channel's figures over the period. Money in minor units of the analysis currency.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ChannelRow {
    /// The channel's key (`linkedin`).
    pub channel: String,
    /// The display name (the key when the channel is only referenced, never declared). Untrusted text.
    pub name: String,
    pub kind: Option<ChannelKind>,
    /// Full cost: staff time at hourly cost + cost items + activity spend.
    pub cost_minor: i64,
    /// All tracked hours on the channel, costed or not.
    pub hours: f64,
    /// Hours on customer service, recruiting, PR and procurement (value beyond sales).
    pub value_beyond_sales_hours: f64,
    /// Posts published in the period.
    pub posts: u64,
    /// Engagements / impressions, over posts (or days) that report both; `None` without impressions.
    pub engagement_rate_by_impressions: Option<f64>,
    /// Engagements per post / latest follower level; `None` without a follower level.
    pub engagement_rate_by_followers: Option<f64>,
    /// Lowest and highest pipeline credited over the models.
    pub pipeline_min_minor: i64,
    pub pipeline_max_minor: i64,
    /// Lowest and highest revenue credited over the models.
    pub revenue_min_minor: i64,
    pub revenue_max_minor: i64,
    /// What each model credits, in [`Model::ALL`] order.
    pub models: Vec<ModelFigures>,
}

/// What one model credits one channel with.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ModelFigures {
    pub model: Model,
    pub pipeline_minor: i64,
    pub revenue_minor: i64,
    /// Deals created in the period credited to the channel (fractional).
    pub deals: f64,
    /// Won deals credited to the channel (fractional).
    pub won_deals: f64,
    /// (revenue x gross margin - cost) / cost, a fraction; `None` when the cost is zero.
    pub roi: Option<f64>,
}

impl ChannelRow {
    /// The figures of `model`.
    pub fn model(&self, model: Model) -> Option<&ModelFigures> {
        self.models.iter().find(|m| m.model == model)
    }

    /// Whether any model credits the channel with pipeline or revenue.
    pub fn is_credited(&self) -> bool {
        self.pipeline_max_minor != 0 || self.revenue_max_minor != 0
    }
}

/// The rows of every channel of the analysis, by full cost (highest first), then by highest revenue credit,
/// then by key, so the channels that matter most come first and the order is stable.
pub fn channel_rows(analysis: &Analysis) -> Vec<ChannelRow> {
    let mut rows: Vec<ChannelRow> = analysis
        .channels
        .iter()
        .map(|summary| {
            let key = summary.channel.as_str();
            let roi = analysis.roi.channels.iter().find(|r| r.channel == key);
            let models: Vec<ModelFigures> = Model::ALL
                .iter()
                .map(|&model| {
                    let credit = analysis
                        .attribution
                        .models
                        .iter()
                        .find(|m| m.model == model)
                        .and_then(|m| m.channels.iter().find(|c| c.channel == key));
                    ModelFigures {
                        model,
                        pipeline_minor: credit.map_or(0, |c| c.pipeline_minor),
                        revenue_minor: credit.map_or(0, |c| c.revenue_minor),
                        deals: credit.map_or(0.0, |c| c.deals),
                        won_deals: credit.map_or(0.0, |c| c.won_deals),
                        roi: roi.and_then(|r| r.models.iter().find(|m| m.model == model)).and_then(|m| m.roi),
                    }
                })
                .collect();
            let range = |f: fn(&ModelFigures) -> i64| {
                let values = models.iter().map(f);
                (values.clone().min().unwrap_or(0), values.max().unwrap_or(0))
            };
            let (pipeline_min_minor, pipeline_max_minor) = range(|m| m.pipeline_minor);
            let (revenue_min_minor, revenue_max_minor) = range(|m| m.revenue_minor);
            ChannelRow {
                channel: summary.channel.clone(),
                name: summary.name.clone().filter(|n| !n.trim().is_empty()).unwrap_or_else(|| summary.channel.clone()),
                kind: summary.kind,
                cost_minor: summary.cost.total_minor,
                hours: summary.cost.hours,
                value_beyond_sales_hours: summary.cost.value_beyond_sales_hours,
                posts: summary.engagement.posts,
                engagement_rate_by_impressions: summary.engagement.engagement_rate_by_impressions,
                engagement_rate_by_followers: summary.engagement.engagement_rate_by_followers,
                pipeline_min_minor,
                pipeline_max_minor,
                revenue_min_minor,
                revenue_max_minor,
                models,
            }
        })
        .collect();
    rows.sort_by(|a, b| {
        b.cost_minor
            .cmp(&a.cost_minor)
            .then(b.revenue_max_minor.cmp(&a.revenue_max_minor))
            .then_with(|| a.channel.cmp(&b.channel))
    });
    rows
}
