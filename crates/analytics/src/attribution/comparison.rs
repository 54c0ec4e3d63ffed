//! Every attribution model side by side, for the report: the heuristic models' revenue shares (from
//! [`AttributionReport`]), the data-driven models (Markov orders 1 and 2, Shapley, incremental) fitted on the
//! account-based journeys exactly as `socialledger attribution --model ...` fits them, with bootstrap intervals,
//! and what the buyers of the won deals said brought them (the self-reported sources of deals and contacts).
//!
//! Pure and deterministic: the bootstrap is seeded ([`Uncertainty::seed`]) and its replicates are gathered in
//! order, so the same dataset and settings give the same comparison byte for byte.

use super::account_paths::{account_paths, CutShort};
use super::data_driven::{attribute_paths, DataDrivenModel, Uncertainty};
use super::journey::{period_date, JourneyPurpose};
use super::paths::Credited;
use super::{AttributionReport, Model};
use crate::Settings;
use serde::Serialize;
use socialledger_domain::{Dataset, DealStatus};
use std::collections::{BTreeMap, BTreeSet};

/// Channels the incremental model treats as intent signals by default (those of `socialledger attribution
/// --intent`): touched because an account already wants to buy, so they get no causal credit.
pub const DEFAULT_INTENT: [&str; 4] = ["direct", "organic-search", "organic_search", "branded-search"];

/// Bootstrap replicates the report uses for the data-driven intervals (modest, so the demo stays fast).
pub const REPORT_BOOTSTRAP: Uncertainty = Uncertainty { reps: 100, seed: 1, level: 0.95 };

/// Whether a model's shares are rule-based (heuristic) or fitted to converting and non-converting journeys.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ModelFamily {
    Heuristic,
    DataDriven,
}

/// One channel's share of the credit under one model.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ComparedShare {
    pub channel: String,
    /// Fraction of the model's credit; the shares of a model sum to 1 (or are all 0 without any credit).
    pub share: f64,
    /// Bootstrap percentile bounds (data-driven models with bootstrap only).
    pub low: Option<f64>,
    pub high: Option<f64>,
}

/// Every channel's share under one model, or why the model could not be fitted.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ModelShares {
    /// `first`, `last`, `linear`, `time-decay`, `u-shaped`, `w-shaped`, `full-path`, `markov-1`, `markov-2`,
    /// `shapley`, `incremental`.
    pub model: String,
    pub family: ModelFamily,
    /// Sorted by channel; empty when the model failed or credits nothing.
    pub shares: Vec<ComparedShare>,
    /// Why the model has no shares (in words), e.g. no non-converting journeys; `None` when it fitted.
    pub error: Option<String>,
    /// Data-driven models that fitted: the fraction of the conversions credited to channels, with its interval.
    pub credited: Option<Credited>,
}

/// One distinct self-reported answer ("how did you hear of us") over the won deals.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SelfReportedAnswer {
    /// The answer as typed (trimmed; answers differing only in case are merged under the first spelling).
    /// Untrusted text.
    pub answer: String,
    /// The channel the answer names, when exactly one channel matches it.
    pub channel: Option<String>,
    pub deals: u64,
    /// Fraction of the answered won deals.
    pub share: f64,
}

/// What the buyers of the won deals said brought them.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct SelfReported {
    /// Won deals of the period in the report currency (the revenue deals).
    pub won_deals: u64,
    /// Of those, deals with an answer (the deal's own, else the first answer among its account's contacts).
    pub answered: u64,
    /// Every distinct answer, most frequent first, then by answer.
    pub answers: Vec<SelfReportedAnswer>,
    /// Share of the answered deals per channel named by an answer, sorted by channel.
    pub by_channel: Vec<ComparedShare>,
}

/// Every model's shares per channel, the journeys the data-driven ones rest on, and the self-reported sources.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ModelComparison {
    /// Every channel with a share under some model or named by a self-reported answer, sorted.
    pub channels: Vec<String>,
    /// Heuristic models in [`Model::ALL`] order, then `markov-1`, `markov-2`, `shapley`, `incremental`.
    pub models: Vec<ModelShares>,
    /// Journeys (converting and not) the data-driven models were fitted on.
    pub journeys: f64,
    /// Of those, converting journeys (won deals with a touch).
    pub conversions: f64,
    /// Won deals without any touch in the window (not on any data-driven path).
    pub conversions_without_touches: u64,
    /// Accounts with touchpoints and no deal, each a non-converting journey.
    pub accounts_without_deals: u64,
    /// Journeys left out because their window starts before the data does.
    pub cut_short: CutShort,
    /// The first day with a touchpoint in the data.
    pub observed_from: Option<socialledger_domain::Date>,
    /// Bootstrap replicates, seed and level of the data-driven intervals.
    pub bootstrap_reps: usize,
    pub bootstrap_seed: u64,
    pub bootstrap_level: f64,
    /// The incremental model's intent signals that occur on the paths.
    pub intent_signals: Vec<String>,
    pub self_reported: SelfReported,
}

impl ModelComparison {
    /// The shares of `model` (by its key), if listed.
    pub fn model(&self, model: &str) -> Option<&ModelShares> {
        self.models.iter().find(|m| m.model == model)
    }
}

impl ModelShares {
    /// A data-driven model whose credited fraction may be close to nothing ([`Credited::is_weak`]): its shares
    /// divide what may be noise, so comparisons should leave it out.
    pub fn undecided(&self) -> bool {
        self.credited.is_some_and(|c| c.is_weak())
    }

    /// The share of `channel`, if the model lists it.
    pub fn share(&self, channel: &str) -> Option<&ComparedShare> {
        self.shares.iter().find(|s| s.channel == channel)
    }
}

/// Compares every model on `dataset`: heuristic shares of the revenue credited in `heuristic` (pipeline when no
/// revenue is credited), data-driven shares fitted on the revenue journeys of [`account_paths`] with
/// `uncertainty`, the incremental model with `intent` as its intent signals.
pub fn compare_models(
    dataset: &Dataset,
    settings: &Settings,
    heuristic: &AttributionReport,
    uncertainty: Uncertainty,
    intent: &[&str],
) -> ModelComparison {
    let mut models: Vec<ModelShares> = Model::ALL.iter().map(|&m| heuristic_shares(heuristic, m)).collect();

    let built = account_paths(dataset, settings, JourneyPurpose::Revenue);
    let paths = &built.paths;
    let journeys: f64 = paths.rows.iter().map(|r| r.conversions + r.nulls).sum();
    let conversions: f64 = paths.rows.iter().map(|r| r.conversions).sum();
    let intent_owned: Vec<String> = intent.iter().map(|s| s.to_string()).collect();
    let data_driven = [
        ("markov-1", DataDrivenModel::Markov { order: 1 }),
        ("markov-2", DataDrivenModel::Markov { order: 2 }),
        ("shapley", DataDrivenModel::Shapley),
        ("incremental", DataDrivenModel::Incremental { intent: intent_owned.clone() }),
    ];
    for (key, model) in data_driven {
        let fitted = if paths.rows.is_empty() {
            Err("there are no journeys with touchpoints to fit it on".to_string())
        } else {
            attribute_paths(paths, &model, uncertainty).map_err(|e| e.to_string())
        };
        models.push(match fitted {
            Ok(r) => ModelShares {
                model: key.to_string(),
                family: ModelFamily::DataDriven,
                credited: Some(r.credited),
                shares: r
                    .channels
                    .into_iter()
                    .map(|c| {
                        let bounded = uncertainty.reps > 0;
                        ComparedShare {
                            share: c.share,
                            low: bounded.then_some(c.share_low),
                            high: bounded.then_some(c.share_high),
                            channel: c.channel,
                        }
                    })
                    .collect(),
                error: None,
            },
            Err(error) => ModelShares {
                model: key.to_string(),
                family: ModelFamily::DataDriven,
                shares: vec![],
                error: Some(error),
                credited: None,
            },
        });
    }

    let self_reported = self_reported(dataset, settings);
    let mut channels: BTreeSet<String> = BTreeSet::new();
    for m in &models {
        channels.extend(m.shares.iter().map(|s| s.channel.clone()));
    }
    channels.extend(self_reported.by_channel.iter().map(|s| s.channel.clone()));
    ModelComparison {
        channels: channels.into_iter().collect(),
        models,
        journeys,
        conversions,
        conversions_without_touches: built.conversions_without_touches,
        accounts_without_deals: built.accounts_without_deals,
        cut_short: built.cut_short,
        observed_from: built.observed_from,
        bootstrap_reps: uncertainty.reps,
        bootstrap_seed: uncertainty.seed,
        bootstrap_level: uncertainty.level,
        intent_signals: intent_owned.into_iter().filter(|i| paths.channels.contains(i)).collect(),
        self_reported,
    }
}

/// [`compare_models`] with the report's defaults: [`REPORT_BOOTSTRAP`] and [`DEFAULT_INTENT`].
pub fn compare_models_for_report(
    dataset: &Dataset,
    settings: &Settings,
    heuristic: &AttributionReport,
) -> ModelComparison {
    compare_models(dataset, settings, heuristic, REPORT_BOOTSTRAP, &DEFAULT_INTENT)
}

fn heuristic_shares(report: &AttributionReport, model: Model) -> ModelShares {
    let channels = report.models.iter().find(|m| m.model == model).map(|m| m.channels.as_slice()).unwrap_or(&[]);
    let revenue: i64 = channels.iter().map(|c| c.revenue_minor).sum();
    let pipeline: i64 = channels.iter().map(|c| c.pipeline_minor).sum();
    let share = |c: &super::ChannelCredit| {
        if revenue > 0 {
            c.revenue_minor as f64 / revenue as f64
        } else if pipeline > 0 {
            c.pipeline_minor as f64 / pipeline as f64
        } else {
            0.0
        }
    };
    ModelShares {
        model: model.as_str().to_string(),
        family: ModelFamily::Heuristic,
        shares: channels
            .iter()
            .map(|c| ComparedShare { channel: c.channel.clone(), share: share(c), low: None, high: None })
            .collect(),
        error: None,
        credited: None,
    }
}

/// Words of a text for matching answers to channels: lower-case alphanumeric runs, a plural `s` dropped.
fn words(text: &str) -> BTreeSet<String> {
    const STOP: [&str; 12] = ["a", "an", "the", "and", "of", "our", "page", "account", "channel", "via", "from", "on"];
    text.to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty() && !STOP.contains(w))
        .map(|w| if w.len() > 3 && w.ends_with('s') { w[..w.len() - 1].to_string() } else { w.to_string() })
        .collect()
}

/// The channel an answer names: the channel whose key's words are all in the answer (the one with the most
/// words when several are), else the only channel with a word of its name in the answer; `None` when no channel
/// or several match equally.
fn channel_of(answer: &str, channels: &[(String, BTreeSet<String>, BTreeSet<String>)]) -> Option<String> {
    let said = words(answer);
    if said.is_empty() {
        return None;
    }
    let by_key: Vec<(&String, usize)> = channels
        .iter()
        .filter(|(_, key, _)| !key.is_empty() && key.is_subset(&said))
        .map(|(c, key, _)| (c, key.len()))
        .collect();
    if let Some(best) = by_key.iter().map(|(_, n)| *n).max() {
        let top: Vec<&String> = by_key.iter().filter(|(_, n)| *n == best).map(|(c, _)| *c).collect();
        return (top.len() == 1).then(|| top[0].clone());
    }
    let by_name: Vec<&String> =
        channels.iter().filter(|(_, _, name)| !name.is_disjoint(&said)).map(|(c, _, _)| c).collect();
    (by_name.len() == 1).then(|| by_name[0].clone())
}

/// Self-reported sources of the won deals of the period (see [`SelfReported`]).
pub fn self_reported(dataset: &Dataset, settings: &Settings) -> SelfReported {
    let mut contacts: Vec<_> = dataset.contacts.iter().collect();
    contacts.sort_by(|a, b| a.key.cmp(&b.key));
    let mut by_account: BTreeMap<&str, &str> = BTreeMap::new();
    for c in contacts {
        let (Some(account), Some(source)) = (c.account.as_deref(), c.self_reported_source.as_deref()) else { continue };
        if !source.trim().is_empty() {
            by_account.entry(account).or_insert(source.trim());
        }
    }
    let mut deals: Vec<_> = dataset
        .deals
        .iter()
        .filter(|d| d.status == DealStatus::Won)
        .filter(|d| d.amount.is_some_and(|a| a.currency == settings.currency))
        .filter(|d| settings.contains_opt(period_date(d, JourneyPurpose::Revenue)))
        .collect();
    deals.sort_by(|a, b| a.key.cmp(&b.key));
    let mut counts: BTreeMap<String, (String, u64)> = BTreeMap::new();
    let mut answered = 0;
    for d in &deals {
        let own = d.self_reported_source.as_deref().map(str::trim).filter(|s| !s.is_empty());
        let Some(answer) = own.or_else(|| d.account.as_deref().and_then(|a| by_account.get(a).copied())) else {
            continue;
        };
        answered += 1;
        counts.entry(answer.to_lowercase()).or_insert_with(|| (answer.to_string(), 0)).1 += 1;
    }
    let known: Vec<(String, BTreeSet<String>, BTreeSet<String>)> = {
        let mut map: BTreeMap<String, String> = BTreeMap::new();
        for c in &dataset.channels {
            map.insert(c.key.clone(), c.name.clone());
        }
        for channel in dataset.touches().channels().names() {
            map.entry(channel.to_string()).or_default();
        }
        map.into_iter().map(|(key, name)| (key.clone(), words(&key), words(&name))).collect()
    };
    let mut answers: Vec<SelfReportedAnswer> = counts
        .into_values()
        .map(|(answer, n)| SelfReportedAnswer {
            channel: channel_of(&answer, &known),
            answer,
            deals: n,
            share: n as f64 / answered as f64,
        })
        .collect();
    answers.sort_by(|a, b| b.deals.cmp(&a.deals).then_with(|| a.answer.cmp(&b.answer)));
    let mut per_channel: BTreeMap<String, u64> = BTreeMap::new();
    for a in &answers {
        if let Some(c) = &a.channel {
            *per_channel.entry(c.clone()).or_default() += a.deals;
        }
    }
    SelfReported {
        won_deals: deals.len() as u64,
        answered,
        answers,
        by_channel: per_channel
            .into_iter()
            .map(|(channel, n)| ComparedShare { channel, share: n as f64 / answered as f64, low: None, high: None })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::attribution::attribute;
    use socialledger_domain::*;

    use crate::testdata::account_touch as touch;

    fn deal(key: &str, account: &str, status: DealStatus, source: Option<&str>) -> Deal {
        Deal {
            key: key.into(),
            account: Some(account.into()),
            name: key.into(),
            amount: Some(Money::new(100_000, Currency::EUR)),
            created: Date::from_ymd_opt(2025, 3, 20),
            stage: None,
            status,
            closed: Date::from_ymd_opt(2025, 3, 28),
            self_reported_source: source.map(str::to_string),
        }
    }

    fn channel(key: &str, name: &str) -> Channel {
        Channel {
            key: key.into(),
            name: name.into(),
            kind: ChannelKind::Other,
            network: None,
            handle: None,
            account: None,
        }
    }

    /// An account, its path, its deal's status (no deal: `None`) and the deal's self-reported source.
    type Plan = (&'static str, &'static [&'static str], Option<DealStatus>, Option<&'static str>);

    /// Twelve accounts: won and lost deals over linkedin, newsletter, events and direct, and dealless accounts.
    fn dataset() -> Dataset {
        let mut ds = Dataset {
            channels: vec![
                channel("linkedin", "LinkedIn page"),
                channel("linkedin-ads", "LinkedIn Ads"),
                channel("newsletter", "Monthly newsletter"),
                channel("events", "Trade fairs and events"),
                channel("pr", "Press and PR"),
                channel("direct", "Direct traffic"),
            ],
            ..Default::default()
        };
        let plan: [Plan; 12] = [
            ("a1", &["linkedin", "newsletter"], Some(DealStatus::Won), Some("LinkedIn")),
            ("a2", &["linkedin", "direct"], Some(DealStatus::Won), Some("linkedin")),
            ("a3", &["events", "newsletter"], Some(DealStatus::Won), Some("an event")),
            ("a4", &["newsletter"], Some(DealStatus::Won), Some("press article")),
            ("a5", &["events", "linkedin", "direct"], Some(DealStatus::Won), Some("a colleague")),
            ("a6", &["linkedin-ads", "direct"], Some(DealStatus::Won), None),
            ("a7", &["linkedin"], Some(DealStatus::Lost), None),
            ("a8", &["newsletter", "linkedin-ads"], Some(DealStatus::Lost), None),
            ("a9", &["events"], None, None),
            ("a10", &["direct"], None, None),
            ("a11", &["linkedin", "newsletter"], None, None),
            ("a12", &["linkedin-ads"], Some(DealStatus::Lost), None),
        ];
        for (i, (account, path, status, source)) in plan.iter().enumerate() {
            for (j, c) in path.iter().enumerate() {
                ds.touchpoints.push(touch(&format!("t{i}-{j}"), account, c, 1 + j as u32));
            }
            if let Some(status) = status {
                ds.deals.push(deal(&format!("d{i}"), account, *status, *source));
            }
        }
        ds.touchpoints.push(crate::testdata::data_start_touch());
        ds.contacts.push(Contact {
            key: "c6".into(),
            account: Some("a6".into()),
            name: None,
            email: None,
            job_title: None,
            created_at: None,
            self_reported_source: Some("LinkedIn ads".into()),
        });
        ds
    }

    fn compare(ds: &Dataset) -> ModelComparison {
        let settings = Settings::default();
        let report = attribute(ds, &settings);
        compare_models(ds, &settings, &report, Uncertainty { reps: 30, seed: 3, level: 0.9 }, &DEFAULT_INTENT)
    }

    #[test]
    fn every_model_is_listed_and_its_shares_sum_to_one() {
        let c = compare(&dataset());
        let keys: Vec<&str> = c.models.iter().map(|m| m.model.as_str()).collect();
        assert_eq!(
            keys,
            [
                "first",
                "last",
                "linear",
                "time-decay",
                "u-shaped",
                "w-shaped",
                "full-path",
                "markov-1",
                "markov-2",
                "shapley",
                "incremental"
            ]
        );
        for m in &c.models {
            assert_eq!(m.error, None, "{}", m.model);
            let sum: f64 = m.shares.iter().map(|s| s.share).sum();
            assert!((sum - 1.0).abs() < 1e-9, "{}: shares sum to {sum}", m.model);
            for s in &m.shares {
                assert!((0.0..=1.0 + 1e-12).contains(&s.share), "{} {}: {}", m.model, s.channel, s.share);
                if m.family == ModelFamily::DataDriven {
                    let (lo, hi) = (s.low.unwrap(), s.high.unwrap());
                    assert!(lo <= hi, "{} {}: {lo} > {hi}", m.model, s.channel);
                } else {
                    assert_eq!((s.low, s.high), (None, None));
                }
            }
        }
        // The incremental model gives the intent signal nothing.
        let inc = c.model("incremental").unwrap();
        assert_eq!(inc.share("direct").map_or(0.0, |s| s.share), 0.0);
        assert_eq!(c.intent_signals, ["direct"]);
        assert_eq!((c.journeys, c.conversions), (12.0, 6.0));
        assert_eq!(c.accounts_without_deals, 3);
    }

    #[test]
    fn the_comparison_is_deterministic() {
        let ds = dataset();
        let a = compare(&ds);
        let b = compare(&ds);
        assert_eq!(a, b);
        assert_eq!(serde_json::to_string(&a).unwrap(), serde_json::to_string(&b).unwrap());
    }

    #[test]
    fn self_reported_answers_are_matched_to_channels() {
        let sr = self_reported(&dataset(), &Settings::default());
        assert_eq!((sr.won_deals, sr.answered), (6, 6));
        let find = |a: &str| sr.answers.iter().find(|x| x.answer == a).unwrap();
        // "LinkedIn" and "linkedin" are one answer under the first spelling (deal keys in order).
        assert_eq!(find("LinkedIn").deals, 2);
        assert_eq!(find("LinkedIn").channel.as_deref(), Some("linkedin"));
        assert_eq!(find("LinkedIn ads").channel.as_deref(), Some("linkedin-ads"), "from the contact");
        assert_eq!(find("an event").channel.as_deref(), Some("events"));
        assert_eq!(find("press article").channel.as_deref(), Some("pr"), "by a word of the name");
        assert_eq!(find("a colleague").channel, None);
        let linkedin = sr.by_channel.iter().find(|s| s.channel == "linkedin").unwrap();
        assert!((linkedin.share - 2.0 / 6.0).abs() < 1e-12);
    }

    #[test]
    fn a_model_that_cannot_fit_says_why() {
        // Only won deals, no non-converting journey: the incremental model cannot be fitted.
        let mut ds = dataset();
        ds.deals.retain(|d| d.status == DealStatus::Won);
        ds.touchpoints.retain(|t| ds.deals.iter().any(|d| d.account.as_deref() == t.account.as_deref()));
        ds.touchpoints.push(crate::testdata::data_start_touch());
        let c = compare(&ds);
        let inc = c.model("incremental").unwrap();
        assert!(inc.shares.is_empty());
        assert!(inc.error.as_deref().unwrap().contains("did not convert"), "{:?}", inc.error);
        // An empty dataset: every data-driven model says there are no journeys.
        let c = compare(&Dataset::default());
        for key in ["markov-1", "markov-2", "shapley", "incremental"] {
            assert!(c.model(key).unwrap().error.as_deref().unwrap().contains("no journeys"), "{key}");
        }
    }
}
