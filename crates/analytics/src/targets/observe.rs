//! The days of a target's period as its metric counts them, read from a [`Dataset`].
//!
//! **Scope.** A target's channel, or with none every social channel (organic and paid social kinds) together.
//!
//! **Per metric** (days from the period's start to `as_of`, UTC dates):
//! - engagement rate: engagements over impressions per day, from the channels' daily figures (`channel_days`
//!   rows with both); a channel without any is read from its posts' daily metric rows (`post_metrics` of period
//!   `day` with impressions). Lifetime post snapshots are not daily and are not used.
//! - cost per engagement: the full cost per day (cost items spread evenly over their month, activities' spend
//!   over their days, staff time at the person's hourly cost on its date; social in general counts only for the
//!   all-social scope) over the engagements per day as above. Only amounts in the reporting currency count.
//! - pipeline: the amount of each deal created that day, credited to the scope's channels by the linear model
//!   over the deal's account journey (the settings' lookback; sales meetings as the settings say).
//! - response time: each conversation received in the period: hours from receipt to the first answer, or, when
//!   it has none by the end of `as_of`, its age then (a lower bound of its response time, so that leaving people
//!   unanswered never improves the median).

use super::forecast::RatioDay;
use crate::attribution::{deal_credit, JourneyIndex, JourneyPurpose, Model};
use crate::cost::{entry_cost, people_by_key, spread_daily};
use crate::engagement::row_engagements;
use crate::Settings;
use socialledger_domain::{Dataset, Date, MetricPeriod, Target, TargetMetric, TouchKind};
use std::collections::{BTreeMap, BTreeSet};

/// What a target's metric is computed from: the elapsed days of its period.
#[derive(Clone, Debug, PartialEq)]
pub enum Observations {
    /// One numerator and denominator per elapsed day (engagement rate, cost per engagement).
    Ratio { days: Vec<RatioDay> },
    /// One value per elapsed day (pipeline).
    Sum { days: Vec<f64> },
    /// The values so far, one per conversation (response time).
    Median { values: Vec<f64> },
}

impl Observations {
    /// What the figure rests on, in words.
    pub fn basis(&self) -> String {
        match self {
            Observations::Ratio { days } => {
                let with = days.iter().filter(|d| d.denominator > 0.0).count();
                let den: f64 = days.iter().map(|d| d.denominator).sum();
                format!("a denominator of {den:.0} on {with} of {} days", days.len())
            }
            Observations::Sum { days } => {
                let with = days.iter().filter(|d| **d != 0.0).count();
                format!("{with} of {} days with pipeline", days.len())
            }
            Observations::Median { values } => format!("{} conversations", values.len()),
        }
    }
}

/// The observations of `target` from its period's start through `as_of` (clipped to the period).
pub fn observe(dataset: &Dataset, settings: &Settings, target: &Target, as_of: Date) -> Observations {
    let period = target.period;
    let last = as_of.min(period.end());
    let dates: Vec<Date> =
        if last < period.start { Vec::new() } else { period.start.iter_days().take_while(|d| *d <= last).collect() };
    let scope: BTreeSet<&str> = match target.channel.as_deref() {
        Some(key) => BTreeSet::from([key]),
        None => dataset.channels.iter().filter(|c| c.kind.is_social()).map(|c| c.key.as_str()).collect(),
    };
    let in_scope = |c: &str| scope.contains(c);
    let index: BTreeMap<Date, usize> = dates.iter().enumerate().map(|(i, d)| (*d, i)).collect();
    match target.metric {
        TargetMetric::EngagementRate => {
            let (eng, imp) = daily_engagement(dataset, &in_scope, &index);
            let days = eng.into_iter().zip(imp).map(|(numerator, denominator)| RatioDay { numerator, denominator });
            Observations::Ratio { days: days.collect() }
        }
        TargetMetric::CostPerEngagement => {
            let (eng, _) = daily_engagement(dataset, &in_scope, &index);
            let cost = daily_cost(dataset, settings, target.channel.is_none(), &in_scope, &index);
            let days = cost.into_iter().zip(eng).map(|(numerator, denominator)| RatioDay { numerator, denominator });
            Observations::Ratio { days: days.collect() }
        }
        TargetMetric::Pipeline => Observations::Sum { days: daily_pipeline(dataset, settings, &in_scope, &index) },
        TargetMetric::ResponseTime => {
            let Some((&first, _)) = index.first_key_value() else { return Observations::Median { values: Vec::new() } };
            let end = crate::attribution::journey::end_of_day(last);
            let values = dataset
                .conversations
                .iter()
                .filter(|c| in_scope(&c.channel) && c.received_at.date_naive() >= first && c.received_at < end)
                .map(|c| {
                    let answered = c.first_response_at.filter(|at| *at < end).unwrap_or(end);
                    (answered - c.received_at).num_seconds().max(0) as f64 / 3600.0
                })
                .collect();
            Observations::Median { values }
        }
    }
}

/// Engagements and impressions per elapsed day.
fn daily_engagement(
    dataset: &Dataset,
    in_scope: &dyn Fn(&str) -> bool,
    index: &BTreeMap<Date, usize>,
) -> (Vec<f64>, Vec<f64>) {
    let mut eng = vec![0.0; index.len()];
    let mut imp = vec![0.0; index.len()];
    let mut from_days: BTreeSet<&str> = BTreeSet::new();
    for row in &dataset.channel_days {
        if let (true, Some(date), Some(i), Some(e)) =
            (in_scope(&row.channel), row.date, row.impressions, row.engagements)
        {
            from_days.insert(row.channel.as_str());
            if let Some(&k) = index.get(&date) {
                eng[k] += e as f64;
                imp[k] += i as f64;
            }
        }
    }
    for m in &dataset.post_metrics {
        if !in_scope(&m.channel) || from_days.contains(m.channel.as_str()) || m.period != Some(MetricPeriod::Day) {
            continue;
        }
        let (Some(date), Some(i), (Some(e), _)) = (m.date, m.impressions, row_engagements(m)) else { continue };
        if let Some(&k) = index.get(&date) {
            eng[k] += e as f64;
            imp[k] += i as f64;
        }
    }
    (eng, imp)
}

/// Full cost (minor units of the reporting currency) per elapsed day.
fn daily_cost(
    dataset: &Dataset,
    settings: &Settings,
    all_social: bool,
    in_scope: &dyn Fn(&str) -> bool,
    index: &BTreeMap<Date, usize>,
) -> Vec<f64> {
    let mut cost = vec![0.0; index.len()];
    let (Some((&first, _)), Some((&last, _))) = (index.first_key_value(), index.last_key_value()) else {
        return cost;
    };
    let counts = |channel: Option<&str>| channel.map_or(all_social, in_scope);
    let mut add = |date: Date, minor: i64| {
        if let Some(&k) = index.get(&date) {
            cost[k] += minor as f64;
        }
    };
    for item in &dataset.cost_items {
        if !counts(item.channel.as_deref()) || item.amount.currency != settings.currency {
            continue;
        }
        let start = item.month;
        let Some(end) = start.checked_add_months(chrono::Months::new(1)).and_then(|d| d.pred_opt()) else { continue };
        if end < first || start > last {
            continue;
        }
        for (date, minor) in spread_daily(start, end, item.amount.minor) {
            add(date, minor);
        }
    }
    for a in &dataset.activities {
        let Some(spend) = a.spend else { continue };
        if !counts(a.channel.as_deref()) || spend.currency != settings.currency || a.end < first || a.start > last {
            continue;
        }
        for (date, minor) in spread_daily(a.start, a.end, spend.minor) {
            add(date, minor);
        }
    }
    let people = people_by_key(dataset);
    for e in &dataset.time_entries {
        if !counts(e.channel.as_deref()) {
            continue;
        }
        if let Some(minor) = entry_cost(&people, e, settings.currency).minor() {
            add(e.date, minor);
        }
    }
    cost
}

/// Pipeline (minor units) credited to the scope per elapsed day of deal creation.
fn daily_pipeline(
    dataset: &Dataset,
    settings: &Settings,
    in_scope: &dyn Fn(&str) -> bool,
    index: &BTreeMap<Date, usize>,
) -> Vec<f64> {
    let mut days = vec![0.0; index.len()];
    let deals: Vec<_> = dataset
        .deals
        .iter()
        .filter(|d| d.created.is_some_and(|c| index.contains_key(&c)))
        .filter(|d| d.amount.is_some_and(|a| a.currency == settings.currency))
        .collect();
    if deals.is_empty() {
        return days;
    }
    let journeys = JourneyIndex::new(dataset);
    for deal in deals {
        let (Some(created), Some(amount)) = (deal.created, deal.amount) else { continue };
        let Some(&k) = index.get(&created) else { continue };
        let mut journey = journeys.journey(deal, JourneyPurpose::Pipeline, created, settings.lookback_days);
        if !settings.credit_sales_touches {
            journey.touches.retain(|t| t.kind != TouchKind::Meeting);
        }
        for credit in deal_credit(Model::Linear, &journey, amount.minor, settings.half_life_days) {
            if in_scope(&credit.channel) {
                days[k] += credit.minor as f64;
            }
        }
    }
    days
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::targets::{evaluate, Status};
    use socialledger_domain::{
        Channel, ChannelDay, ChannelKind, Comparison, Conversation, Currency, Deal, DealStatus, Money, TargetPeriod,
        Touchpoint,
    };

    fn d(s: &str) -> Date {
        s.parse().unwrap()
    }

    fn channel(key: &str, kind: ChannelKind) -> Channel {
        Channel { key: key.into(), name: key.into(), kind, network: None, handle: None, account: None }
    }

    fn target(channel: Option<&str>, metric: TargetMetric, threshold: f64) -> Target {
        let period = TargetPeriod::parse("2026-11").unwrap();
        Target::new(channel.map(str::to_string), metric, metric.natural_comparison(), threshold, period).unwrap()
    }

    fn world() -> Dataset {
        let mut ds = Dataset {
            channels: vec![channel("li", ChannelKind::OrganicSocial), channel("news", ChannelKind::Email)],
            ..Dataset::default()
        };
        for day in d("2026-11-01").iter_days().take(30) {
            for (ch, e) in [("li", 50), ("news", 500)] {
                ds.channel_days.push(ChannelDay {
                    channel: ch.into(),
                    date: Some(day),
                    impressions: Some(1000),
                    engagements: Some(e),
                    ..ChannelDay::default()
                });
            }
        }
        ds
    }

    #[test]
    fn engagement_counts_the_scope_and_the_days_so_far() {
        let ds = world();
        let as_of = d("2026-11-10");
        let t = target(None, TargetMetric::EngagementRate, 0.04);
        let Observations::Ratio { days } = observe(&ds, &Settings::default(), &t, as_of) else { panic!() };
        // All social = li only (news is e-mail): 10 days of 50 / 1,000.
        assert_eq!(days.len(), 10);
        assert!(days.iter().all(|x| x.numerator == 50.0 && x.denominator == 1000.0));
        let e = evaluate(&t, &Observations::Ratio { days }, as_of);
        assert_eq!((e.so_far, e.status), (Some(0.05), Status::OnTrack));
    }

    #[test]
    fn pipeline_is_credited_linearly_on_the_creation_day() {
        let mut ds = world();
        let eur = |minor| Some(Money::new(minor, Currency::EUR));
        ds.deals.push(Deal {
            key: "d1".into(),
            account: Some("acme".into()),
            name: "Acme".into(),
            amount: eur(10_000),
            created: Some(d("2026-11-05")),
            stage: None,
            status: DealStatus::Open,
            closed: None,
            self_reported_source: None,
        });
        for (i, ch) in ["li", "news"].iter().enumerate() {
            ds.touchpoints.push(Touchpoint {
                key: format!("t{i}"),
                account: Some("acme".into()),
                at: format!("2026-11-0{}T10:00:00Z", i + 2).parse().unwrap(),
                channel: (*ch).into(),
                contact: None,
                deal: None,
                kind: TouchKind::Visit,
                campaign: None,
                post_ref: None,
                utm_source: None,
                utm_medium: None,
                utm_campaign: None,
            });
        }
        let t = target(Some("li"), TargetMetric::Pipeline, 1.0);
        let Observations::Sum { days } = observe(&ds, &Settings::default(), &t, d("2026-11-07")) else { panic!() };
        assert_eq!(days, vec![0.0, 0.0, 0.0, 0.0, 5_000.0, 0.0, 0.0]);
    }

    #[test]
    fn unanswered_conversations_count_with_their_age() {
        let mut ds = world();
        let at = |s: &str| s.parse::<socialledger_domain::Timestamp>().unwrap();
        let conv = |key: &str, received: &str, answered: Option<&str>| Conversation {
            channel: "li".into(),
            key: key.into(),
            kind: None,
            received_at: at(received),
            first_response_at: answered.map(at),
            assignee: None,
        };
        ds.conversations.push(conv("a", "2026-11-02T10:00:00Z", Some("2026-11-02T12:00:00Z")));
        ds.conversations.push(conv("b", "2026-11-03T00:00:00Z", None));
        ds.conversations.push(conv("c", "2026-10-31T00:00:00Z", None));
        let t = Target { comparison: Comparison::AtMost, ..target(Some("li"), TargetMetric::ResponseTime, 4.0) };
        let Observations::Median { values } = observe(&ds, &Settings::default(), &t, d("2026-11-03")) else { panic!() };
        // a: 2 hours; b: unanswered, 24 hours old at the end of 3 November; c: received before the period.
        assert_eq!(values, vec![2.0, 24.0]);
    }
}
