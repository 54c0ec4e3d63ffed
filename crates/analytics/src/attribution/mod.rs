//! Attribution: how much of each deal's pipeline and revenue each channel is credited with, under every
//! heuristic model, on account-based journeys.
//!
//! Credits are in minor units and apportioned by largest remainder, so the credits of one deal add up exactly
//! to its amount; deal counts are credited as fractions that add up to 1 per deal. Deals whose journey has no
//! touch in the lookback window are reported as unattributed, never dropped.

pub mod account_paths;
pub mod bootstrap;
pub mod comparison;
pub mod data_driven;
pub mod heuristic;
pub mod incremental;
pub mod journey;
pub mod markov;
pub mod paths;
pub mod shapley;

pub use journey::{Journey, JourneyIndex, JourneyPurpose, Touch};

use crate::cost::CurrencyExclusion;
use crate::{allocation, AnalyticsError, Settings};
use serde::{Serialize, Serializer};
use socialledger_domain::{Currency, Dataset, Deal, DealStatus, TouchKind};
use std::collections::BTreeMap;
use std::fmt;

/// A heuristic attribution model.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Model {
    /// 100 % to the first touch.
    First,
    /// 100 % to the last touch.
    Last,
    /// Equal shares.
    Linear,
    /// Exponential decay with a half-life: weight 2^(-age/h).
    TimeDecay,
    /// 40 % first, 40 % last, 20 % over the middle.
    UShaped,
    /// 30 % first, 30 % lead creation, 30 % opportunity creation, 10 % over the others.
    WShaped,
    /// 22.5 % each to first, lead creation, opportunity creation and close, 10 % over the others.
    FullPath,
}

impl Model {
    /// Every model, in the order reports show them.
    pub const ALL: [Model; 7] =
        [Model::First, Model::Last, Model::Linear, Model::TimeDecay, Model::UShaped, Model::WShaped, Model::FullPath];

    /// The canonical name used on the command line and in JSON.
    pub fn as_str(&self) -> &'static str {
        match self {
            Model::First => "first",
            Model::Last => "last",
            Model::Linear => "linear",
            Model::TimeDecay => "time-decay",
            Model::UShaped => "u-shaped",
            Model::WShaped => "w-shaped",
            Model::FullPath => "full-path",
        }
    }

    /// Parses a canonical name; case, spaces, dashes and underscores are ignored, and `first-touch`,
    /// `last-touch`, `position-based` (U-shaped) are accepted.
    pub fn parse(text: &str) -> Result<Model, AnalyticsError> {
        let norm: String =
            text.trim().chars().filter(|c| !matches!(c, ' ' | '-' | '_')).flat_map(char::to_lowercase).collect();
        match norm.as_str() {
            "first" | "firsttouch" => Ok(Model::First),
            "last" | "lasttouch" => Ok(Model::Last),
            "linear" => Ok(Model::Linear),
            "timedecay" | "decay" => Ok(Model::TimeDecay),
            "ushaped" | "u" | "positionbased" => Ok(Model::UShaped),
            "wshaped" | "w" => Ok(Model::WShaped),
            "fullpath" | "z" | "zshaped" => Ok(Model::FullPath),
            _ => Err(AnalyticsError::UnknownModel(text.to_string())),
        }
    }
}

impl fmt::Display for Model {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for Model {
    type Err = AnalyticsError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Model::parse(s)
    }
}

impl Serialize for Model {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// What one channel is credited with under one model.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ChannelCredit {
    pub channel: String,
    /// Pipeline credited: share of the amounts of deals created in the period.
    pub pipeline_minor: i64,
    /// Revenue credited: share of the amounts of deals won in the period.
    pub revenue_minor: i64,
    /// Deals credited (fractional; every attributed deal adds up to 1 over the channels).
    pub deals: f64,
    /// Won deals credited (fractional).
    pub won_deals: f64,
}

/// Every channel's credit under one model, sorted by channel. Every channel touched by an attributed journey
/// is listed, with zero credit where the model gives it none, so models line up side by side.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ModelAttribution {
    pub model: Model,
    pub channels: Vec<ChannelCredit>,
}

/// Deals that no channel can be credited with: no touch in the lookback window.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Unattributed {
    pub pipeline_deals: u64,
    pub pipeline_minor: i64,
    pub won_deals: u64,
    pub revenue_minor: i64,
    /// Keys of the deals concerned (pipeline or revenue), sorted.
    pub deals: Vec<String>,
}

/// Sales meetings on the journeys of the period, left out of the heuristic models' credit unless
/// [`Settings::credit_sales_touches`]: shown beside the marketing channels, never among them.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct SalesTouches {
    /// Whether they were credited like a channel (the setting).
    pub credited: bool,
    /// Meeting touchpoints on the attributed journeys (pipeline and revenue journeys counted once each).
    pub touches: u64,
    /// Journeys with at least one, and of those the journeys with nothing else (unattributed when left out).
    pub journeys: u64,
    pub journeys_with_nothing_else: u64,
    /// The channels the meetings are logged on, sorted.
    pub channels: Vec<String>,
}

/// The attribution of the period under every model.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AttributionReport {
    pub currency: Currency,
    pub lookback_days: u32,
    pub half_life_days: f64,
    /// Deals created in the period with an amount in the currency (attributed or not).
    pub pipeline_deals: u64,
    pub pipeline_minor: i64,
    /// Deals won in the period with an amount in the currency (attributed or not).
    pub won_deals: u64,
    pub revenue_minor: i64,
    /// One entry per model, in [`Model::ALL`] order.
    pub models: Vec<ModelAttribution>,
    pub unattributed: Unattributed,
    /// Deals without an amount (not in pipeline nor revenue).
    pub deals_without_amount: u64,
    /// Deals without a creation or close date (cannot be placed in time, so not attributed).
    pub deals_without_date: u64,
    /// Deals whose amount is in another currency (excluded, not converted).
    pub currency_exclusions: Vec<CurrencyExclusion>,
    /// Sales meetings: out of the credit by default, counted here.
    pub sales_touches: SalesTouches,
    /// Channels credited here that are intent signals ([`comparison::DEFAULT_INTENT`]: direct, organic and
    /// branded search): an account that already wants to buy touches them, so their credit reflects intent,
    /// not cause. Flagged, not removed.
    pub intent_signals: Vec<String>,
}

/// One channel's share of one deal.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DealCredit {
    pub channel: String,
    /// Credit in minor units; the credits of a deal add up exactly to its amount.
    pub minor: i64,
    /// Fractional deal credit; the shares of a deal add up to 1.
    pub share: f64,
}

/// Credits `amount_minor` of one journey to its channels under `model` (sorted by channel). Empty when the
/// journey has no touches.
pub fn deal_credit(model: Model, journey: &Journey, amount_minor: i64, half_life_days: f64) -> Vec<DealCredit> {
    let by_channel = heuristic::channel_weights(model, journey, half_life_days);
    let weights: Vec<f64> = by_channel.values().copied().collect();
    let parts = allocation::by_weights(amount_minor, &weights);
    let total: f64 = weights.iter().sum();
    by_channel
        .into_iter()
        .zip(parts)
        .map(|((channel, w), minor)| DealCredit { channel, minor, share: if total > 0.0 { w / total } else { 0.0 } })
        .collect()
}

/// Attributes the pipeline and revenue of the period under every model.
pub fn attribute(dataset: &Dataset, settings: &Settings) -> AttributionReport {
    let index = JourneyIndex::new(dataset);
    let mut report = AttributionReport {
        currency: settings.currency,
        lookback_days: settings.lookback_days,
        half_life_days: settings.half_life_days,
        pipeline_deals: 0,
        pipeline_minor: 0,
        won_deals: 0,
        revenue_minor: 0,
        models: Vec::new(),
        unattributed: Unattributed::default(),
        deals_without_amount: 0,
        deals_without_date: 0,
        currency_exclusions: Vec::new(),
        sales_touches: SalesTouches { credited: settings.credit_sales_touches, ..SalesTouches::default() },
        intent_signals: Vec::new(),
    };
    let mut sales_channels: std::collections::BTreeSet<String> = std::collections::BTreeSet::new();
    let mut credit: BTreeMap<(Model, String), ChannelCredit> = BTreeMap::new();
    let mut unattributed_keys: Vec<String> = Vec::new();
    let mut exclusions: BTreeMap<Currency, (u64, i64)> = BTreeMap::new();

    let mut deals: Vec<&Deal> = dataset.deals.iter().collect();
    deals.sort_by(|a, b| a.key.cmp(&b.key));
    for deal in deals {
        let Some(amount) = deal.amount else {
            report.deals_without_amount += 1;
            continue;
        };
        if deal.created.is_none() && deal.closed.is_none() {
            report.deals_without_date += 1;
            continue;
        }
        if amount.currency != settings.currency {
            let x = exclusions.entry(amount.currency).or_default();
            x.0 += 1;
            x.1 = x.1.saturating_add(amount.minor);
            continue;
        }
        for purpose in [JourneyPurpose::Pipeline, JourneyPurpose::Revenue] {
            if purpose == JourneyPurpose::Revenue && deal.status != DealStatus::Won {
                continue;
            }
            if !settings.contains_opt(journey::period_date(deal, purpose)) {
                continue;
            }
            let Some(end) = journey::journey_end_date(deal, purpose, settings.journey_end) else {
                continue;
            };
            let mut j = index.journey(deal, purpose, end, settings.lookback_days);
            let meetings = j.touches.iter().filter(|t| t.kind == TouchKind::Meeting).count() as u64;
            if meetings > 0 {
                let st = &mut report.sales_touches;
                st.touches += meetings;
                st.journeys += 1;
                if meetings == j.touches.len() as u64 {
                    st.journeys_with_nothing_else += 1;
                }
                sales_channels
                    .extend(j.touches.iter().filter(|t| t.kind == TouchKind::Meeting).map(|t| t.channel.to_string()));
                if !settings.credit_sales_touches {
                    j.touches.retain(|t| t.kind != TouchKind::Meeting);
                }
            }
            let (deals_total, minor_total) = match purpose {
                JourneyPurpose::Pipeline => (&mut report.pipeline_deals, &mut report.pipeline_minor),
                JourneyPurpose::Revenue => (&mut report.won_deals, &mut report.revenue_minor),
            };
            *deals_total += 1;
            *minor_total = minor_total.saturating_add(amount.minor);
            if j.touches.is_empty() {
                let u = &mut report.unattributed;
                match purpose {
                    JourneyPurpose::Pipeline => {
                        u.pipeline_deals += 1;
                        u.pipeline_minor = u.pipeline_minor.saturating_add(amount.minor);
                    }
                    JourneyPurpose::Revenue => {
                        u.won_deals += 1;
                        u.revenue_minor = u.revenue_minor.saturating_add(amount.minor);
                    }
                }
                unattributed_keys.push(deal.key.clone());
                continue;
            }
            for model in Model::ALL {
                for c in deal_credit(model, &j, amount.minor, settings.half_life_days) {
                    let row = credit.entry((model, c.channel.clone())).or_insert_with(|| ChannelCredit {
                        channel: c.channel.clone(),
                        pipeline_minor: 0,
                        revenue_minor: 0,
                        deals: 0.0,
                        won_deals: 0.0,
                    });
                    match purpose {
                        JourneyPurpose::Pipeline => {
                            row.pipeline_minor = row.pipeline_minor.saturating_add(c.minor);
                            row.deals += c.share;
                        }
                        JourneyPurpose::Revenue => {
                            row.revenue_minor = row.revenue_minor.saturating_add(c.minor);
                            row.won_deals += c.share;
                        }
                    }
                }
            }
        }
    }
    unattributed_keys.sort();
    unattributed_keys.dedup();
    report.unattributed.deals = unattributed_keys;
    report.sales_touches.channels = sales_channels.into_iter().collect();
    report.intent_signals = credit
        .keys()
        .map(|(_, c)| c.clone())
        .filter(|c| comparison::DEFAULT_INTENT.contains(&c.as_str()))
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    report.models = Model::ALL
        .iter()
        .map(|&model| ModelAttribution {
            model,
            channels: credit
                .range((model, String::new())..)
                .take_while(|((m, _), _)| *m == model)
                .map(|(_, c)| c.clone())
                .collect(),
        })
        .collect();
    report.currency_exclusions = exclusions
        .into_iter()
        .map(|(currency, (count, amount_minor))| CurrencyExclusion {
            record: "deal".to_string(),
            currency,
            count,
            amount_minor,
            minutes: 0,
        })
        .collect();
    report
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testdata::*;
    use crate::JourneyEnd;
    use proptest::prelude::*;
    use socialledger_domain::{Money, TouchKind, TouchKind::*};

    fn dataset() -> Dataset {
        let mut ds = Dataset {
            contacts: vec![contact("c1", Some("acme"), None), contact("c2", Some("beta"), None)],
            ..Dataset::default()
        };
        ds.deals = vec![
            deal("D1", Some("acme"), Some(eur(100_000)), Some("2024-03-10"), Some("2024-04-20"), DealStatus::Won),
            deal("D2", Some("beta"), Some(eur(50_000)), Some("2024-03-15"), None, DealStatus::Open),
            deal("D3", Some("gamma"), Some(eur(30_000)), Some("2024-03-20"), Some("2024-03-25"), DealStatus::Won),
            deal("D4", Some("acme"), None, Some("2024-03-20"), None, DealStatus::Open),
            deal(
                "D5",
                Some("acme"),
                Some(Money::new(7_000, Currency::USD)),
                Some("2024-03-20"),
                None,
                DealStatus::Open,
            ),
        ];
        let mut t2 = touch("t2", None, "2024-03-05T10:00:00Z", "x", Visit);
        t2.contact = Some("c1".into());
        let mut t4 = touch("t4", None, "2024-03-14T10:00:00Z", "linkedin", Form);
        t4.contact = Some("c2".into());
        let mut t5 = touch("t5", None, "2024-03-15T10:00:00Z", "events", EventAttendance);
        t5.deal = Some("D2".into());
        ds.touchpoints = vec![
            touch("t1", Some("acme"), "2024-03-01T10:00:00Z", "linkedin", Engagement),
            t2,
            touch("t3", Some("acme"), "2024-04-10T10:00:00Z", "newsletter", EmailClick),
            t4,
            t5,
        ];
        ds
    }

    fn credits(r: &AttributionReport, model: Model) -> Vec<(&str, i64, i64, f64, f64)> {
        r.models
            .iter()
            .find(|m| m.model == model)
            .unwrap()
            .channels
            .iter()
            .map(|c| (c.channel.as_str(), c.pipeline_minor, c.revenue_minor, c.deals, c.won_deals))
            .collect()
    }

    #[test]
    fn models_parse_and_print() {
        for m in Model::ALL {
            assert_eq!(Model::parse(m.as_str()).unwrap(), m);
        }
        assert_eq!(Model::parse("Time Decay").unwrap(), Model::TimeDecay);
        assert_eq!(Model::parse("W_SHAPED").unwrap(), Model::WShaped);
        assert!(Model::parse("markov").is_err());
        assert_eq!(serde_json::to_string(&Model::FullPath).unwrap(), "\"full-path\"");
    }

    #[test]
    fn attribution_by_hand() {
        let r = attribute(&dataset(), &Settings::default());
        assert_eq!((r.pipeline_deals, r.pipeline_minor, r.won_deals, r.revenue_minor), (3, 180_000, 2, 130_000));
        assert_eq!(
            r.unattributed,
            Unattributed {
                pipeline_deals: 1,
                pipeline_minor: 30_000,
                won_deals: 1,
                revenue_minor: 30_000,
                deals: vec!["D3".into()]
            }
        );
        assert_eq!((r.deals_without_amount, r.deals_without_date), (1, 0));
        assert_eq!(r.currency_exclusions.len(), 1);
        assert_eq!((r.currency_exclusions[0].count, r.currency_exclusions[0].amount_minor), (1, 7_000));

        // D1's pipeline journey: t1 linkedin, t2 x (via contact c1). Revenue journey adds t3 newsletter.
        // D2's pipeline journey: t4 linkedin (via contact c2), t5 events (names the deal).
        // Every touched channel is listed, with zero credit where the model gives it none.
        assert_eq!(
            credits(&r, Model::First),
            vec![
                ("events", 0, 0, 0.0, 0.0),
                ("linkedin", 150_000, 100_000, 2.0, 1.0),
                ("newsletter", 0, 0, 0.0, 0.0),
                ("x", 0, 0, 0.0, 0.0),
            ]
        );
        assert_eq!(
            credits(&r, Model::Last),
            vec![
                ("events", 50_000, 0, 1.0, 0.0),
                ("linkedin", 0, 0, 0.0, 0.0),
                ("newsletter", 0, 100_000, 0.0, 1.0),
                ("x", 100_000, 0, 1.0, 0.0),
            ]
        );
        assert_eq!(
            credits(&r, Model::Linear),
            vec![
                ("events", 25_000, 0, 0.5, 0.0),
                // Three equal thirds of 1000.00: the tie goes to the first channel by key.
                ("linkedin", 75_000, 33_334, 1.0, 1.0 / 3.0),
                ("newsletter", 0, 33_333, 0.0, 1.0 / 3.0),
                ("x", 50_000, 33_333, 0.5, 1.0 / 3.0),
            ]
        );
        // Every model credits exactly what is not unattributed.
        for m in &r.models {
            let pipeline: i64 = m.channels.iter().map(|c| c.pipeline_minor).sum();
            let revenue: i64 = m.channels.iter().map(|c| c.revenue_minor).sum();
            assert_eq!(pipeline + r.unattributed.pipeline_minor, r.pipeline_minor, "{}", m.model);
            assert_eq!(revenue + r.unattributed.revenue_minor, r.revenue_minor, "{}", m.model);
            let deals: f64 = m.channels.iter().map(|c| c.deals).sum();
            assert!((deals - 2.0).abs() < 1e-12);
        }
    }

    #[test]
    fn sales_meetings_are_counted_apart_and_credited_only_when_asked() {
        // One won deal touched by a LinkedIn form, then a sales meeting logged on the creation day; another
        // touched only by a meeting; a direct visit on a third. Left out, the meeting takes no credit: last touch
        // gives the first deal to LinkedIn and leaves the second unattributed.
        let ds = Dataset {
            deals: vec![
                deal("A", Some("acme"), Some(eur(100_000)), Some("2024-03-10"), Some("2024-04-01"), DealStatus::Won),
                deal("B", Some("beta"), Some(eur(40_000)), Some("2024-03-12"), None, DealStatus::Open),
                deal("C", Some("gamma"), Some(eur(10_000)), Some("2024-03-12"), None, DealStatus::Open),
            ],
            touchpoints: vec![
                touch("t1", Some("acme"), "2024-03-01T10:00:00Z", "linkedin", Form),
                touch("t2", Some("acme"), "2024-03-10T09:00:00Z", "sales", Meeting),
                touch("t3", Some("beta"), "2024-03-12T09:00:00Z", "sales", Meeting),
                touch("t4", Some("gamma"), "2024-03-11T09:00:00Z", "direct", Visit),
            ],
            ..Dataset::default()
        };
        let s = Settings::default();
        let r = attribute(&ds, &s);
        let last = credits(&r, Model::Last);
        assert!(last.iter().all(|c| c.0 != "sales"), "{last:?}");
        assert_eq!(last.iter().find(|c| c.0 == "linkedin").map(|c| (c.1, c.2)), Some((100_000, 100_000)));
        assert_eq!(r.unattributed.pipeline_minor, 40_000, "the meeting-only deal is unattributed");
        // A's meeting is on its pipeline and its revenue journey; B's on its pipeline journey.
        assert_eq!(
            (r.sales_touches.touches, r.sales_touches.journeys, r.sales_touches.journeys_with_nothing_else),
            (3, 3, 1)
        );
        assert_eq!(r.sales_touches.channels, ["sales"]);
        assert!(!r.sales_touches.credited);
        assert_eq!(r.intent_signals, ["direct"]);
        // Asked to, the meetings take last-touch credit as they did before.
        let r = attribute(&ds, &Settings { credit_sales_touches: true, ..s });
        let last = credits(&r, Model::Last);
        assert_eq!(last.iter().find(|c| c.0 == "sales").map(|c| c.1), Some(140_000), "{last:?}");
        assert_eq!(r.unattributed.pipeline_minor, 0);
        assert!(r.sales_touches.credited);
    }

    #[test]
    fn revenue_journeys_can_end_at_creation() {
        let s = Settings { journey_end: JourneyEnd::Creation, ..Settings::default() };
        let r = attribute(&dataset(), &s);
        let revenue: Vec<(&str, i64)> =
            credits(&r, Model::Linear).into_iter().filter(|c| c.2 != 0).map(|c| (c.0, c.2)).collect();
        assert_eq!(revenue, vec![("linkedin", 50_000), ("x", 50_000)]);
    }

    #[test]
    fn period_places_pipeline_by_creation_and_revenue_by_close() {
        let s = Settings { period: Some((d("2024-04-01"), d("2024-04-30"))), ..Settings::default() };
        let r = attribute(&dataset(), &s);
        assert_eq!((r.pipeline_deals, r.won_deals, r.revenue_minor), (0, 1, 100_000));
        assert_eq!(r.unattributed, Unattributed::default());
    }

    proptest! {
        #[test]
        fn credits_sum_exactly_to_the_amount(
            touches in proptest::collection::vec((0i64..400 * 24 * 60, 0usize..5, 0usize..8), 1..20),
            amount in 0i64..100_000_000_000_000,
            created in 0u64..60,
            half_life in 0.25f64..90.0,
        ) {
            let channels = ["linkedin", "x", "facebook", "newsletter", "events"];
            let mut ds = Dataset::default();
            let close = d("2024-12-31");
            let created = close - chrono::Days::new(created);
            ds.deals.push(deal("D", Some("acme"), Some(eur(amount)), None, Some("2024-12-31"), DealStatus::Won));
            ds.deals[0].created = Some(created);
            for (i, (minutes, c, k)) in touches.iter().enumerate() {
                let at = journey::end_of_day(close) - chrono::Duration::minutes(minutes + 1);
                let mut t = touch(&format!("t{i}"), Some("acme"), "2024-01-01T00:00:00Z", channels[*c], TouchKind::ALL[*k]);
                t.at = at;
                ds.touchpoints.push(t);
            }
            let settings = Settings { half_life_days: half_life, ..Settings::default() };
            let index = JourneyIndex::new(&ds);
            for purpose in [JourneyPurpose::Pipeline, JourneyPurpose::Revenue] {
                let end = journey::journey_end_date(&ds.deals[0], purpose, settings.journey_end).unwrap();
                let j = index.journey(&ds.deals[0], purpose, end, settings.lookback_days);
                let touched: std::collections::BTreeSet<&str> = j.touches.iter().map(|t| &*t.channel).collect();
                for model in Model::ALL {
                    let c = deal_credit(model, &j, amount, half_life);
                    if j.touches.is_empty() {
                        prop_assert!(c.is_empty());
                        continue;
                    }
                    prop_assert_eq!(c.iter().map(|x| x.minor).sum::<i64>(), amount);
                    prop_assert!((c.iter().map(|x| x.share).sum::<f64>() - 1.0).abs() < 1e-9);
                    for x in &c {
                        prop_assert!(touched.contains(x.channel.as_str()), "{} not touched", x.channel);
                        prop_assert!(x.minor >= 0 && (0.0..=1.0 + 1e-12).contains(&x.share));
                    }
                }
            }
            let r = attribute(&ds, &settings);
            for m in &r.models {
                let revenue: i64 = m.channels.iter().map(|c| c.revenue_minor).sum();
                prop_assert_eq!(revenue + r.unattributed.revenue_minor, r.revenue_minor);
                let pipeline: i64 = m.channels.iter().map(|c| c.pipeline_minor).sum();
                prop_assert_eq!(pipeline + r.unattributed.pipeline_minor, r.pipeline_minor);
            }
        }
    }
}
