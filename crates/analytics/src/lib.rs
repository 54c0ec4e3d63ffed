//! Pure analytics of socialledger: engagement, cost, attribution and ROI over domain values. No I/O, no clock.
//!
//! Everything here is a function of a [`Dataset`] and [`Settings`]; the same inputs give the same output, byte
//! for byte (maps are `BTreeMap`s, lists are sorted). Money stays in integer minor units of
//! [`Settings::currency`]; rates are `f64` fractions (0.05 = 5 %). [`analyze`] runs everything the reports need.

pub mod allocation;
pub mod attribution;
pub mod cost;
pub mod crosspost;
pub mod engagement;
pub mod engagement_trend;
pub mod error;
pub mod experiment_units;
pub mod mix_panel;
pub mod notes;
pub mod responses;
pub mod roi;
pub mod settings;
pub mod stored_settings;
pub mod target_group;
pub mod target_value;
pub mod targets;
#[cfg(test)]
mod testdata;
pub mod value_beyond_sales;
#[doc(hidden)]
pub mod worlds;

pub use attribution::{
    AttributionReport, ChannelCredit, Journey, JourneyPurpose, Model, ModelAttribution, Touch, Unattributed,
};
pub use cost::{ChannelCost, CostReport, MonthlyCost, TaskTime};
pub use engagement::{ChannelEngagement, EngagementSource, FollowerGrowth, MonthlyEngagement, PostEngagement};
pub use error::AnalyticsError;
pub use mix_panel::{build_panel, BuiltPanel, OrganicInput, PanelNote, PanelNoteCode, PanelOptions, Target};
pub use notes::{Note, Severity};
pub use roi::{ChannelRoi, ModelRoi, RoiReport};
pub use settings::{JourneyEnd, Settings};
pub use target_group::{ChannelFit, TargetGroup, TargetGroupReport};
pub use target_value::{value_of_target, ValueBasis, ValueOfTarget};

use chrono::Datelike;
use serde::Serialize;
use socialledger_domain::{ChannelKind, Currency, Dataset, Date, Network};
use std::collections::BTreeSet;

/// Everything the reports need from one analysis, with stable field names (the `--json` output of
/// `socialledger report` is this structure).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Analysis {
    /// The settings the figures rest on (period, currency, gross margin, lookback, half-life, journey end).
    pub settings: Settings,
    /// The reporting currency of every `*_minor` amount below.
    pub currency: Currency,
    /// One row per channel known anywhere in the dataset, sorted by key.
    pub channels: Vec<ChannelSummary>,
    /// Engagement per post in the period, sorted by channel then post id.
    pub posts: Vec<PostEngagement>,
    /// Engagement per channel and month, for the chart.
    pub monthly_engagement: Vec<MonthlyEngagement>,
    /// Cost per channel, month and task.
    pub costs: CostReport,
    /// Credit per channel for every heuristic model.
    pub attribution: AttributionReport,
    /// ROI per channel, side by side for every model.
    pub roi: RoiReport,
    /// What data are missing and how that biases the figures, in plain language.
    pub notes: Vec<Note>,
}

/// The channels table: who a channel is, what it does (engagement) and what it costs.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ChannelSummary {
    pub channel: String,
    /// Display name from the channel record; `None` when the channel is only referenced, never declared.
    pub name: Option<String>,
    pub kind: Option<ChannelKind>,
    pub network: Option<Network>,
    pub engagement: ChannelEngagement,
    pub cost: ChannelCost,
}

/// Runs every analysis over `dataset` with `settings`. Invalid settings are not rejected here (call
/// [`Settings::validate`] at the edge); a non-positive half-life falls back to the default.
pub fn analyze(dataset: &Dataset, settings: &Settings) -> Analysis {
    let posts = engagement::post_engagement(dataset, settings);
    let engagement_rows = engagement::channel_engagement(dataset, settings);
    let monthly_engagement = engagement::engagement_by_month(dataset, settings);
    let costs = cost::costs(dataset, settings, &engagement_rows);
    let attribution = attribution::attribute(dataset, settings);
    let roi = roi::roi(&costs, &attribution, settings);
    let notes = notes::notes(dataset, settings, &engagement_rows, &costs, &attribution);

    let mut channels = Vec::new();
    for key in channel_keys(dataset) {
        let declared = dataset.channels.iter().find(|c| c.key == key);
        let engagement = engagement_rows
            .iter()
            .find(|e| e.channel == key)
            .cloned()
            .unwrap_or_else(|| ChannelEngagement::empty(&key));
        let cost = costs
            .channels
            .iter()
            .find(|c| c.channel.as_deref() == Some(key.as_str()))
            .cloned()
            .unwrap_or_else(|| ChannelCost::empty(Some(key.clone())));
        channels.push(ChannelSummary {
            name: declared.map(|c| c.name.clone()),
            kind: declared.map(|c| c.kind),
            network: declared.and_then(|c| c.network),
            channel: key,
            engagement,
            cost,
        });
    }

    Analysis {
        settings: settings.clone(),
        currency: settings.currency,
        channels,
        posts,
        monthly_engagement,
        costs,
        attribution,
        roi,
        notes,
    }
}

/// Every channel key the dataset mentions: declared channels and channels referenced by posts, metrics,
/// channel days, activities, time entries, cost items and touchpoints. Sorted.
pub fn channel_keys(dataset: &Dataset) -> BTreeSet<String> {
    let mut keys = BTreeSet::new();
    keys.extend(dataset.channels.iter().map(|c| c.key.clone()));
    keys.extend(dataset.posts.iter().map(|p| p.channel.clone()));
    keys.extend(dataset.post_metrics.iter().map(|m| m.channel.clone()));
    keys.extend(dataset.channel_days.iter().map(|d| d.channel.clone()));
    keys.extend(dataset.activities.iter().filter_map(|a| a.channel.clone()));
    keys.extend(dataset.time_entries.iter().filter_map(|t| t.channel.clone()));
    keys.extend(dataset.cost_items.iter().filter_map(|c| c.channel.clone()));
    keys.extend(dataset.touches().channels().names().iter().map(|c| c.to_string()));
    keys
}

/// The first day of `date`'s month.
pub fn month_start(date: Date) -> Date {
    date.with_day(1).unwrap_or(date)
}

/// The last day of `date`'s month.
pub fn month_end(date: Date) -> Date {
    next_month(date).pred_opt().unwrap_or(date)
}

/// The first day of the month after `date`'s month.
pub(crate) fn next_month(date: Date) -> Date {
    let (y, m) = if date.month() == 12 { (date.year() + 1, 1) } else { (date.year(), date.month() + 1) };
    Date::from_ymd_opt(y, m, 1).unwrap_or(date)
}

/// `num / den` as a rate, `None` when the denominator is zero.
pub(crate) fn ratio(num: f64, den: f64) -> Option<f64> {
    if den == 0.0 {
        None
    } else {
        Some(num / den)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testdata::*;
    use socialledger_domain::{Channel, DealStatus, MetricPeriod, Task, TouchKind};

    fn dataset() -> Dataset {
        let mut ds = Dataset {
            channels: vec![Channel {
                key: "linkedin".into(),
                name: "LinkedIn page".into(),
                kind: ChannelKind::OrganicSocial,
                network: Some(Network::LinkedIn),
                handle: None,
                account: None,
            }],
            ..Dataset::default()
        };
        ds.posts =
            vec![post("linkedin", "p1", Some("2024-03-01T10:00:00Z")), post("x", "p2", Some("2024-03-02T10:00:00Z"))];
        let mut m1 = metrics("linkedin", "p1", "2024-03-05", MetricPeriod::Lifetime);
        (m1.impressions, m1.reactions, m1.comments) = (Some(1000), Some(30), Some(5));
        let mut m2 = metrics("x", "p2", "2024-03-05", MetricPeriod::Lifetime);
        (m2.impressions, m2.engagements) = (Some(400), Some(12));
        ds.post_metrics = vec![m1, m2];
        let mut cd = day("linkedin", "2024-03-31");
        cd.followers = Some(2000);
        ds.channel_days = vec![cd];
        ds.people = vec![person("anna", Some(eur(6_000))), person("ben", None)];
        ds.time_entries = vec![
            entry("e1", "anna", "2024-03-01", 120, Some("linkedin"), Task::Content),
            entry("e2", "anna", "2024-03-02", 60, Some("x"), Task::Community),
            entry("e3", "ben", "2024-03-03", 30, None, Task::Reporting),
        ];
        ds.cost_items = vec![item(Some("newsletter"), "2024-03-01", eur(4_900))];
        ds.contacts = vec![contact("c1", Some("acme"), Some("2024-03-03T09:00:00Z"))];
        ds.deals = vec![
            deal("D1", Some("acme"), Some(eur(500_000)), Some("2024-03-10"), Some("2024-04-02"), DealStatus::Won),
            deal("D2", Some("zeta"), Some(eur(80_000)), Some("2024-03-12"), None, DealStatus::Open),
        ];
        let mut form = touch("t2", None, "2024-03-03T09:00:00Z", "x", TouchKind::Form);
        form.contact = Some("c1".into());
        ds.touchpoints = vec![
            touch("t1", Some("acme"), "2024-03-01T12:00:00Z", "linkedin", TouchKind::Engagement),
            form,
            touch("t3", Some("acme"), "2024-03-20T12:00:00Z", "newsletter", TouchKind::EmailClick),
        ];
        ds
    }

    #[test]
    fn analysis_has_stable_field_names() {
        let a = analyze(&dataset(), &Settings::default());
        let json = serde_json::to_value(&a).unwrap();
        let keys: Vec<&str> = json.as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(
            keys,
            ["attribution", "channels", "costs", "currency", "monthly_engagement", "notes", "posts", "roi", "settings"]
        );
        assert_eq!(json["currency"], "EUR");
        assert_eq!(json["settings"]["journey_end"], "close");
        assert_eq!(json["settings"]["gross_margin"], 0.7);
        assert_eq!(json["attribution"]["models"][3]["model"], "time-decay");
        assert_eq!(json["channels"][0]["engagement"]["source"], "posts");
        assert_eq!(json["costs"]["channels"][0]["by_task"][0]["task"], "content");
        assert_eq!(json["notes"][0]["severity"], "warning");
    }

    #[test]
    fn channels_table_lists_every_channel() {
        let a = analyze(&dataset(), &Settings::default());
        let keys: Vec<&str> = a.channels.iter().map(|c| c.channel.as_str()).collect();
        assert_eq!(keys, ["linkedin", "newsletter", "x"]);
        let li = &a.channels[0];
        assert_eq!((li.name.as_deref(), li.network), (Some("LinkedIn page"), Some(Network::LinkedIn)));
        assert_eq!((li.engagement.engagements, li.engagement.followers), (Some(35), Some(2000)));
        assert_eq!(li.cost.staff_minor, 12_000);
        let nl = &a.channels[1];
        assert_eq!((nl.name.as_deref(), nl.engagement.source), (None, EngagementSource::None));
        assert_eq!(nl.cost.items_minor, 4_900);
        assert_eq!(a.costs.general.minutes, 30);
        // D1's pipeline journey (to 10 March) is t1 linkedin and t2 x; its revenue journey adds t3 newsletter.
        // W-shaped on the revenue journey: first = t1, lead creation = t2 (the form), opportunity creation = t2
        // (the last touch before the creation on 10 March); t3 is the only other touch.
        let w = a.attribution.models.iter().find(|m| m.model == Model::WShaped).unwrap();
        let revenue: Vec<(&str, i64)> = w.channels.iter().map(|c| (c.channel.as_str(), c.revenue_minor)).collect();
        // first 0.3 on linkedin, lead 0.3 + opportunity 0.3 on x, the remaining 0.1 on the newsletter.
        assert_eq!(revenue, vec![("linkedin", 150_000), ("newsletter", 50_000), ("x", 300_000)]);
        assert_eq!(a.attribution.unattributed.deals, ["D2"]);
    }

    #[test]
    fn output_does_not_depend_on_input_order() {
        let ds = dataset();
        let mut rev = ds.clone();
        rev.channels.reverse();
        rev.posts.reverse();
        rev.post_metrics.reverse();
        rev.people.reverse();
        rev.time_entries.reverse();
        rev.contacts.reverse();
        rev.deals.reverse();
        rev.touchpoints.reverse();
        let s = Settings { period: Some((d("2024-01-01"), d("2024-12-31"))), ..Settings::default() };
        let a = serde_json::to_string(&analyze(&ds, &s)).unwrap();
        let b = serde_json::to_string(&analyze(&rev, &s)).unwrap();
        assert_eq!(a, b);
    }

    #[test]
    fn month_helpers() {
        assert_eq!(month_start(d("2024-02-17")), d("2024-02-01"));
        assert_eq!(month_end(d("2024-02-17")), d("2024-02-29"));
        assert_eq!(month_end(d("2023-12-05")), d("2023-12-31"));
        assert_eq!(next_month(d("2023-12-05")), d("2024-01-01"));
    }
}
