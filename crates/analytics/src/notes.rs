//! Data-quality notes: what is missing from the data and which way that biases the figures, in plain language.

use crate::attribution::AttributionReport;
use crate::cost::CostReport;
use crate::engagement::{ChannelEngagement, EngagementSource};
use crate::Settings;
use serde::Serialize;
use socialledger_domain::{Activity, Dataset, Money};
use std::collections::{BTreeMap, BTreeSet};

/// How much a note matters to the reading of the figures.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Context: how a figure was obtained.
    Info,
    /// A figure is biased or missing because data are missing.
    Warning,
}

/// One plain-language note about the data behind the figures.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Note {
    /// The channel concerned, `None` for the whole analysis.
    pub channel: Option<String>,
    pub severity: Severity,
    /// A stable machine-readable code (`no_time_entries`, `unattributed_revenue`, ...).
    pub code: String,
    /// The note itself, one sentence saying what is missing and how it biases the figures.
    pub text: String,
}

impl Note {
    fn new(channel: Option<&str>, severity: Severity, code: &str, text: String) -> Self {
        Note { channel: channel.map(str::to_string), severity, code: code.to_string(), text }
    }
}

/// `1 post`, `3 posts`.
fn count(n: u64, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

/// Minutes as hours with at most one decimal (`41.5`, `3`).
fn hours(minutes: i64) -> String {
    let text = format!("{:.1}", minutes as f64 / 60.0);
    text.strip_suffix(".0").map(str::to_string).unwrap_or(text)
}

/// Every note about the analysis, warnings first, then by channel (general notes first) and code.
pub fn notes(
    dataset: &Dataset,
    settings: &Settings,
    engagement: &[ChannelEngagement],
    costs: &CostReport,
    attribution: &AttributionReport,
) -> Vec<Note> {
    let cur = settings.currency;
    let mut out = Vec::new();

    // Channels someone must have worked on but for which nobody tracked time: channels that published or were
    // measured, and channels declared as social. Channels seen only in touchpoints (direct, organic search) are
    // not expected to have time entries.
    let mut active: BTreeSet<&str> = BTreeSet::new();
    active.extend(
        engagement.iter().filter(|e| e.source != EngagementSource::None || e.posts > 0).map(|e| e.channel.as_str()),
    );
    active.extend(dataset.channels.iter().filter(|c| c.kind.is_social()).map(|c| c.key.as_str()));
    for key in &active {
        let minutes = costs.channels.iter().find(|c| c.channel.as_deref() == Some(*key)).map_or(0, |c| c.minutes);
        if minutes == 0 {
            out.push(Note::new(
                Some(key),
                Severity::Warning,
                "no_time_entries",
                format!("no time entries for {key}: its cost is understated"),
            ));
        }
    }

    for e in engagement {
        let key = e.channel.as_str();
        if e.source != EngagementSource::None && e.followers.is_none() {
            out.push(Note::new(
                Some(key),
                Severity::Warning,
                "no_follower_level",
                format!("no follower level for {key}: engagement rate by followers is not available"),
            ));
        }
        if e.source == EngagementSource::Posts && e.posts_without_impressions > 0 {
            out.push(Note::new(
                Some(key),
                Severity::Warning,
                "posts_without_impressions",
                format!(
                    "{} on {key} {} no impressions: {} left out of the engagement rate by impressions",
                    count(e.posts_without_impressions, "post", "posts"),
                    if e.posts_without_impressions == 1 { "has" } else { "have" },
                    if e.posts_without_impressions == 1 { "it is" } else { "they are" },
                ),
            ));
        }
        let unmeasured = e.posts.saturating_sub(e.posts_with_metrics);
        if e.source == EngagementSource::Posts && unmeasured > 0 {
            out.push(Note::new(
                Some(key),
                Severity::Warning,
                "posts_without_metrics",
                format!(
                    "{} on {key} {} no metrics: engagement totals are understated, per-post figures cover measured posts only",
                    count(unmeasured, "post", "posts"),
                    if unmeasured == 1 { "has" } else { "have" },
                ),
            ));
        }
        if e.source == EngagementSource::ChannelDays {
            out.push(Note::new(
                Some(key),
                Severity::Info,
                "engagement_from_channel_days",
                format!(
                    "engagement for {key} comes from account-level daily figures (no post metrics): reactions, comments and shares are not available"
                ),
            ));
        }
    }

    let no_cost: Vec<_> = costs.uncosted_people.iter().filter(|p| p.reason == "no_hourly_cost").collect();
    if !no_cost.is_empty() {
        let minutes: i64 = no_cost.iter().map(|p| p.minutes).sum();
        out.push(Note::new(
            None,
            Severity::Warning,
            "no_hourly_cost",
            format!(
                "{} no hourly cost: their {} hours are not costed, so staff cost is understated",
                count(no_cost.len() as u64, "person has", "people have"),
                hours(minutes)
            ),
        ));
    }
    let unknown: Vec<_> = costs.uncosted_people.iter().filter(|p| p.reason == "unknown_person").collect();
    if !unknown.is_empty() {
        let minutes: i64 = unknown.iter().map(|p| p.minutes).sum();
        out.push(Note::new(
            None,
            Severity::Warning,
            "unknown_person",
            format!(
                "{} in the time entries {} not in the people list: their {} hours are not costed",
                count(unknown.len() as u64, "person", "people"),
                if unknown.len() == 1 { "is" } else { "are" },
                hours(minutes)
            ),
        ));
    }

    for x in costs.currency_exclusions.iter().chain(&attribution.currency_exclusions) {
        let (what, bias) = match x.record.as_str() {
            "cost_item" => (count(x.count, "cost item", "cost items"), "cost is understated"),
            "activity" => (count(x.count, "activity", "activities"), "cost is understated"),
            "hourly_cost" => (count(x.count, "time entry", "time entries"), "staff cost is understated"),
            _ => (count(x.count, "deal", "deals"), "pipeline and revenue are understated"),
        };
        let amount = if x.record == "hourly_cost" {
            format!("{} hours at an hourly cost", hours(x.minutes))
        } else {
            Money::new(x.amount_minor, x.currency).grouped()
        };
        out.push(Note::new(
            None,
            Severity::Warning,
            "currency_excluded",
            format!("{what} in {} ({amount}) excluded: amounts are not converted to {cur}, so {bias}", x.currency),
        ));
    }

    let u = &attribution.unattributed;
    let window = settings.lookback_days;
    if u.pipeline_deals > 0 {
        out.push(Note::new(
            None,
            Severity::Warning,
            "unattributed_pipeline",
            format!(
                "{} no touchpoints in the {window}-day window before creation: their pipeline ({}) is unattributed",
                count(u.pipeline_deals, "deal has", "deals have"),
                Money::new(u.pipeline_minor, cur).grouped()
            ),
        ));
    }
    if u.won_deals > 0 {
        out.push(Note::new(
            None,
            Severity::Warning,
            "unattributed_revenue",
            format!(
                "{} no touchpoints in the {window}-day window: their revenue ({}) is unattributed",
                count(u.won_deals, "won deal has", "won deals have"),
                Money::new(u.revenue_minor, cur).grouped()
            ),
        ));
    }
    let st = &attribution.sales_touches;
    if st.touches > 0 {
        let (code, text) = if st.credited {
            (
                "sales_touches_credited",
                format!(
                    "{} ({}) are credited like a marketing channel (--credit-sales-touches): they are how sales works \
                     a deal, so the heuristic models overstate them",
                    count(st.touches, "sales meeting", "sales meetings"),
                    st.channels.join(", ")
                ),
            )
        } else {
            (
                "sales_touches_left_out",
                format!(
                    "{} on {} ({}) are left out of marketing credit: they are how sales works a deal, not what \
                     brought it{}; --credit-sales-touches credits them",
                    count(st.touches, "sales meeting", "sales meetings"),
                    count(st.journeys, "journey", "journeys"),
                    st.channels.join(", "),
                    if st.journeys_with_nothing_else > 0 {
                        format!(
                            " ({} touched by nothing else are unattributed)",
                            count(st.journeys_with_nothing_else, "journey", "journeys")
                        )
                    } else {
                        String::new()
                    }
                ),
            )
        };
        out.push(Note::new(None, Severity::Info, code, text));
    }
    for signal in &attribution.intent_signals {
        out.push(Note::new(
            Some(signal),
            Severity::Info,
            "intent_signal",
            format!(
                "{signal} is an intent signal: accounts that already want to buy touch it, so its heuristic credit \
                 reflects intent, not cause (the incremental model uses it as a control instead)"
            ),
        ));
    }
    if attribution.deals_without_amount > 0 {
        out.push(Note::new(
            None,
            Severity::Warning,
            "deals_without_amount",
            format!(
                "{} no amount: not counted in pipeline or revenue",
                count(attribution.deals_without_amount, "deal has", "deals have")
            ),
        ));
    }
    if attribution.deals_without_date > 0 {
        out.push(Note::new(
            None,
            Severity::Warning,
            "deals_without_date",
            format!(
                "{} neither a creation nor a close date: cannot be placed in time, so not attributed",
                count(attribution.deals_without_date, "deal has", "deals have")
            ),
        ));
    }
    if !dataset.deals.is_empty() && dataset.touchpoint_count() == 0 {
        out.push(Note::new(
            None,
            Severity::Warning,
            "no_touchpoints",
            "there are deals but no touchpoints: no revenue can be attributed to any channel".to_string(),
        ));
    }

    for (channel, name, first, second) in overlapping_activities(dataset) {
        out.push(Note::new(
            Some(channel),
            Severity::Warning,
            "overlapping_activities",
            format!(
                "{name:?} on {channel} is recorded for overlapping periods ({} to {} and {} to {}): if both are the \
                 same spend reported twice (a Meta Ads report imported both by month and over the whole period), \
                 {channel}'s cost is overstated; keep one of the two imports",
                first.start, first.end, second.start, second.end
            ),
        ));
    }

    if costs.general.total_minor != 0 || costs.general.minutes != 0 {
        out.push(Note::new(
            None,
            Severity::Info,
            "general_cost",
            format!(
                "{} and {} {} social in general (no channel): shown separately, not spread, so channel costs leave them out",
                Money::new(costs.general.total_minor, cur).grouped(),
                hours(costs.general.minutes),
                if hours(costs.general.minutes) == "1" { "hour is" } else { "hours are" }
            ),
        ));
    }
    out.push(Note::new(
        None,
        Severity::Info,
        "gross_margin",
        format!(
            "ROI assumes a gross margin of {}% of revenue (a setting); credited revenue depends on the attribution model",
            (settings.gross_margin * 1000.0).round() / 10.0
        ),
    ));

    out.sort_by(|a, b| {
        b.severity.cmp(&a.severity).then_with(|| a.channel.cmp(&b.channel)).then_with(|| a.code.cmp(&b.code))
    });
    out
}

/// Activities with spend of the same channel, kind and name whose periods overlap: the same campaign reported
/// twice at different grains (one per month and one over the whole period) adds its spend up. The first overlapping
/// pair of each (channel, kind, name), in start order. Different names (a campaign's production spend beside the
/// webinar it promotes) overlap legitimately and are not reported.
fn overlapping_activities(dataset: &Dataset) -> Vec<(&str, &str, &Activity, &Activity)> {
    let mut groups: BTreeMap<(&str, &str, &str), Vec<&Activity>> = BTreeMap::new();
    for a in dataset.activities.iter().filter(|a| a.spend.is_some()) {
        let Some(channel) = a.channel.as_deref() else { continue };
        groups.entry((channel, a.kind.as_str(), a.name.as_str())).or_default().push(a);
    }
    let mut out = Vec::new();
    for ((channel, _, name), mut acts) in groups {
        acts.sort_by(|a, b| (a.start, a.end, &a.key).cmp(&(b.start, b.end, &b.key)));
        // Sorted by start, an activity overlaps an earlier one exactly when it starts before the latest end so far.
        let mut latest = acts[0];
        for a in &acts[1..] {
            if a.start <= latest.end {
                out.push((channel, name, latest, *a));
                break;
            }
            if a.end > latest.end {
                latest = a;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testdata::*;
    use socialledger_domain::{Currency, DealStatus, MetricPeriod, Task};

    #[test]
    fn notes_say_what_is_missing() {
        let mut ds =
            Dataset { posts: vec![post("instagram", "p1", Some("2024-03-01T10:00:00Z"))], ..Dataset::default() };
        let mut m = metrics("instagram", "p1", "2024-03-05", MetricPeriod::Lifetime);
        m.reactions = Some(5);
        ds.post_metrics = vec![m];
        ds.people = vec![person("p1", None), person("p2", None), person("p3", None)];
        ds.time_entries = vec![
            entry("e1", "p1", "2024-03-01", 600, Some("linkedin"), Task::Content),
            entry("e2", "p2", "2024-03-01", 900, Some("linkedin"), Task::Content),
            entry("e3", "p3", "2024-03-01", 990, Some("linkedin"), Task::Content),
        ];
        ds.cost_items = vec![item(Some("linkedin"), "2024-03-01", Money::new(2_000, Currency::USD))];
        ds.deals = vec![
            deal("D1", Some("a"), Some(eur(10_000)), Some("2024-03-01"), Some("2024-03-02"), DealStatus::Won),
            deal("D2", Some("b"), Some(eur(20_000)), Some("2024-03-01"), Some("2024-03-02"), DealStatus::Won),
        ];
        let a = crate::analyze(&ds, &Settings::default());
        let got: Vec<(Option<&str>, Severity, &str, &str)> =
            a.notes.iter().map(|n| (n.channel.as_deref(), n.severity, n.code.as_str(), n.text.as_str())).collect();
        use Severity::*;
        assert_eq!(
            got,
            vec![
                (None, Warning, "currency_excluded", "1 cost item in USD (20.00 USD) excluded: amounts are not converted to EUR, so cost is understated"),
                (None, Warning, "no_hourly_cost", "3 people have no hourly cost: their 41.5 hours are not costed, so staff cost is understated"),
                (None, Warning, "no_touchpoints", "there are deals but no touchpoints: no revenue can be attributed to any channel"),
                (None, Warning, "unattributed_pipeline", "2 deals have no touchpoints in the 365-day window before creation: their pipeline (300.00 EUR) is unattributed"),
                (None, Warning, "unattributed_revenue", "2 won deals have no touchpoints in the 365-day window: their revenue (300.00 EUR) is unattributed"),
                (Some("instagram"), Warning, "no_follower_level", "no follower level for instagram: engagement rate by followers is not available"),
                (Some("instagram"), Warning, "no_time_entries", "no time entries for instagram: its cost is understated"),
                (Some("instagram"), Warning, "posts_without_impressions", "1 post on instagram has no impressions: it is left out of the engagement rate by impressions"),
                (None, Info, "gross_margin", "ROI assumes a gross margin of 70% of revenue (a setting); credited revenue depends on the attribution model"),
            ]
        );
    }

    /// Issue 15: a Meta Ads campaign imported by month and over the whole period is two sets of activities with
    /// the same name; their spend would add up. Months side by side, or another activity beside a campaign, do not.
    #[test]
    fn the_same_campaign_over_overlapping_periods_is_a_warning() {
        let eur = |minor| Some(Money::new(minor, Currency::parse("EUR").unwrap()));
        let named = |key: &str, name: &str, start: &str, end: &str| {
            let mut a = activity(key, Some("meta-ads"), start, end, eur(100));
            a.name = name.into();
            a
        };
        let mut ds = Dataset {
            activities: vec![
                named("feb", "Spring sale", "2025-02-01", "2025-02-28"),
                named("mar", "Spring sale", "2025-03-01", "2025-03-31"),
                named("webinar", "Spring webinar", "2025-02-10", "2025-02-10"),
            ],
            ..Dataset::default()
        };
        assert!(overlapping_activities(&ds).is_empty(), "months side by side and other names do not overlap");
        ds.activities.push(named("whole", "Spring sale", "2025-02-01", "2025-03-31"));
        let found: Vec<_> = overlapping_activities(&ds)
            .into_iter()
            .map(|(c, n, a, b)| (c, n, a.key.as_str(), b.key.as_str()))
            .collect();
        assert_eq!(found, [("meta-ads", "Spring sale", "feb", "whole")]);
        ds.activities.last_mut().unwrap().spend = None;
        assert!(overlapping_activities(&ds).is_empty(), "an activity without spend adds no cost");
    }

    #[test]
    fn hours_are_short() {
        assert_eq!(hours(2490), "41.5");
        assert_eq!(hours(180), "3");
        assert_eq!(hours(20), "0.3");
    }
}
