//! Reading of the model comparison: where the heuristic and data-driven models disagree most, what that means
//! for keeping or dropping a channel, how wide the bootstrap intervals are, whether there are enough journeys for
//! the data-driven models, and how the buyers' own answers compare.

use super::{count, join_and, notes_for, sentence, Reading, MAX_CHANNEL_SENTENCES};
use crate::figures;
use crate::models;
use crate::table::ChannelRow;
use socialledger_analytics::attribution::comparison::{ModelComparison, ModelFamily, ModelShares};
use socialledger_analytics::{Analysis, Model};

/// Below this many converting journeys the data-driven shares move with a handful of accounts.
pub(crate) const FEW_CONVERSIONS: f64 = 100.0;

/// A spread of more than this many percentage points makes a channel's credit depend on the model.
pub(crate) const MODEL_DEPENDENT_PP: f64 = 10.0;

/// The note codes about journeys and deals that no model can credit.
const NOTE_CODES: [&str; 3] = ["unattributed_revenue", "no_touchpoints", "currency_excluded"];

/// The name of a model of the comparison by its key, for tables and sentences.
pub fn label(key: &str) -> String {
    match key {
        "markov-1" => "Markov (order 1)".to_string(),
        "markov-2" => "Markov (order 2)".to_string(),
        "shapley" => "Shapley".to_string(),
        "incremental" => "Incremental".to_string(),
        other => Model::parse(other).map(|m| models::label(m).to_string()).unwrap_or_else(|_| other.to_string()),
    }
}

/// The display name of a channel key: the table row's name, else the key. Untrusted text.
pub fn channel_name<'a>(rows: &'a [ChannelRow], key: &'a str) -> &'a str {
    rows.iter().find(|r| r.channel == key).map_or(key, |r| r.name.as_str())
}

/// How one channel's share varies over the models that fitted.
#[derive(Clone, Debug, PartialEq)]
pub struct ChannelSpread {
    pub channel: String,
    /// Lowest share and the model giving it, highest share and its model.
    pub low: (f64, String),
    pub high: (f64, String),
}

impl ChannelSpread {
    /// Highest minus lowest share, in percentage points.
    pub fn points(&self) -> f64 {
        (self.high.0 - self.low.0) * 100.0
    }
}

/// The models that have shares (fitted, crediting something).
pub fn fitted(c: &ModelComparison) -> Vec<&ModelShares> {
    c.models.iter().filter(|m| m.error.is_none() && !m.shares.is_empty()).collect()
}

/// The fitted models whose shares are compared: all but the undecided ones ([`ModelShares::undecided`]), whose
/// shares divide a credit that may be close to nothing.
pub fn compared(c: &ModelComparison) -> Vec<&ModelShares> {
    fitted(c).into_iter().filter(|m| !m.undecided()).collect()
}

/// Every channel's spread over the compared models (a channel a heuristic model does not list has share 0 there;
/// a data-driven model that does not list it is left out), largest spread first, then by channel.
pub fn spreads(c: &ModelComparison) -> Vec<ChannelSpread> {
    let models = compared(c);
    if models.is_empty() {
        return Vec::new();
    }
    let mut out: Vec<ChannelSpread> = c
        .channels
        .iter()
        .filter(|ch| models.iter().any(|m| m.share(ch).is_some()))
        .map(|ch| {
            // A data-driven model lists every channel on its journeys; one it does not list is on none of them
            // (sales meetings, by design), which says nothing about its worth, so it does not count as 0 there.
            let values: Vec<(f64, &str)> = models
                .iter()
                .filter(|m| m.family == ModelFamily::Heuristic || m.share(ch).is_some())
                .map(|m| (m.share(ch).map_or(0.0, |s| s.share), m.model.as_str()))
                .collect();
            // First model wins ties, so the result does not depend on float ordering quirks.
            let mut low = values[0];
            let mut high = values[0];
            for &v in &values[1..] {
                if v.0 < low.0 {
                    low = v;
                }
                if v.0 > high.0 {
                    high = v;
                }
            }
            ChannelSpread { channel: ch.clone(), low: (low.0, low.1.to_string()), high: (high.0, high.1.to_string()) }
        })
        .collect();
    out.sort_by(|a, b| b.points().total_cmp(&a.points()).then_with(|| a.channel.cmp(&b.channel)));
    out
}

fn pct(share: f64) -> String {
    figures::percent(share, 0)
}

fn points(pp: f64) -> String {
    let shown = figures::decimal(pp, 0);
    format!("{shown} percentage {}", if shown == "1" { "point" } else { "points" })
}

pub fn reading(analysis: &Analysis, rows: &[ChannelRow], comparison: Option<&ModelComparison>) -> Reading {
    let Some(c) = comparison else {
        return Reading {
            says: vec![sentence(
                "The data-driven models were not run for this report, so only the heuristic models are compared",
            )],
            ..Reading::default()
        };
    };
    let models = fitted(c);
    let spread = spreads(c);
    let mut says = Vec::new();
    let heuristic = models.iter().filter(|m| m.family == ModelFamily::Heuristic).count();
    let data_driven = models.iter().filter(|m| m.family == ModelFamily::DataDriven && !m.undecided()).count();
    if spread.is_empty() {
        says.push(sentence("No model credits any channel, so there is nothing to compare"));
    } else {
        says.push(sentence(&format!(
            "{} heuristic and {} data-driven models credit {}",
            heuristic,
            data_driven,
            count(spread.len() as u64, "channel", "channels")
        )));
        let top = &spread[0];
        says.push(sentence(&format!(
            "The models disagree most on {}: from {} under {} to {} under {}, a spread of {}",
            channel_name(rows, &top.channel),
            pct(top.low.0),
            label(&top.low.1),
            pct(top.high.0),
            label(&top.high.1),
            points(top.points())
        )));
        let next: Vec<String> = spread[1..]
            .iter()
            .take(MAX_CHANNEL_SENTENCES - 1)
            .filter(|s| s.points() >= MODEL_DEPENDENT_PP)
            .map(|s| format!("{} ({} to {})", channel_name(rows, &s.channel), pct(s.low.0), pct(s.high.0)))
            .collect();
        if !next.is_empty() {
            says.push(sentence(&format!(
                "Shares also spread by more than {} points for {}",
                figures::decimal(MODEL_DEPENDENT_PP, 0),
                join_and(&next)
            )));
        }
        let agreed: Vec<&ChannelSpread> = spread.iter().filter(|s| s.points() < 2.0).collect();
        if !agreed.is_empty() && agreed.len() < spread.len() {
            let names: Vec<String> =
                agreed.iter().take(MAX_CHANNEL_SENTENCES).map(|s| channel_name(rows, &s.channel).to_string()).collect();
            says.push(sentence(&format!(
                "The models agree within 2 points on {}{}",
                join_and(&names),
                if agreed.len() > MAX_CHANNEL_SENTENCES {
                    format!(" and {} more", agreed.len() - MAX_CHANNEL_SENTENCES)
                } else {
                    String::new()
                }
            )));
        }
    }
    let sr = &c.self_reported;
    if sr.answered > 0 {
        let first = &sr.answers[0];
        says.push(sentence(&format!(
            "{} of {} {} how they heard of the company; the most frequent answer is \u{201c}{}\u{201d} ({} of the answers)",
            figures::group_thousands(sr.answered),
            count(sr.won_deals, "won deal", "won deals"),
            if sr.answered == 1 { "says" } else { "say" },
            first.answer,
            pct(first.share)
        )));
        let compared: Vec<String> = sr
            .by_channel
            .iter()
            .filter_map(|s| spread.iter().find(|x| x.channel == s.channel).map(|x| (s, x)))
            .take(MAX_CHANNEL_SENTENCES)
            .map(|(s, x)| {
                format!(
                    "{} is named in {} of the answers against {} to {} under the models",
                    channel_name(rows, &s.channel),
                    pct(s.share),
                    pct(x.low.0),
                    pct(x.high.0)
                )
            })
            .collect();
        if !compared.is_empty() {
            says.push(sentence(&format!("Beside the models: {}", compared.join("; "))));
        }
    }

    let mut certainty = Vec::new();
    if let Some(top) = spread.first().filter(|s| s.points() >= MODEL_DEPENDENT_PP) {
        let dependent = spread.iter().filter(|s| s.points() >= MODEL_DEPENDENT_PP).count();
        certainty.push(sentence(&format!(
            "For {} the credit depends on the model by {} points or more: do not drop (or keep) such a channel on \
             one model's word; {} is worth {} under {} and {} under {}, and only a holdout or other experiment can \
             tell which is closer",
            count(dependent as u64, "channel", "channels"),
            figures::decimal(MODEL_DEPENDENT_PP, 0),
            channel_name(rows, &top.channel),
            pct(top.low.0),
            label(&top.low.1),
            pct(top.high.0),
            label(&top.high.1)
        )));
    } else if !spread.is_empty() {
        certainty.push(sentence(&format!(
            "No channel's share moves by {} points or more between models, so a keep or drop decision does not \
             hinge on the choice of model (it may still hinge on what every model misses: credit is association, \
             not cause)",
            figures::decimal(MODEL_DEPENDENT_PP, 0)
        )));
    }
    // Interval widths over the data-driven models that have intervals.
    let widths: Vec<(f64, &str, &str, f64, f64)> = models
        .iter()
        .filter(|m| m.family == ModelFamily::DataDriven && !m.undecided())
        .flat_map(|m| {
            m.shares.iter().filter_map(move |s| match (s.low, s.high) {
                (Some(lo), Some(hi)) => Some(((hi - lo) * 100.0, m.model.as_str(), s.channel.as_str(), lo, hi)),
                _ => None,
            })
        })
        .collect();
    if let Some(widest) =
        widths.iter().copied().max_by(|a, b| a.0.total_cmp(&b.0).then_with(|| b.2.cmp(a.2)).then_with(|| b.1.cmp(a.1)))
    {
        let mut sorted: Vec<f64> = widths.iter().map(|w| w.0).collect();
        sorted.sort_by(f64::total_cmp);
        let median = sorted[sorted.len() / 2];
        certainty.push(sentence(&format!(
            "The {}% bootstrap intervals ({} resamples of the journeys) are {} wide at the median; the widest is {} \
             under {}, {} to {} ({}). They measure sampling noise only, not the bias of a model",
            figures::decimal(c.bootstrap_level * 100.0, 0),
            c.bootstrap_reps,
            points(median),
            channel_name(rows, widest.2),
            label(widest.1),
            pct(widest.3),
            pct(widest.4),
            points(widest.0)
        )));
    } else if data_driven > 0 {
        certainty.push(sentence("The data-driven shares were computed without bootstrap intervals"));
    }
    if c.journeys > 0.0 {
        let enough = c.conversions >= FEW_CONVERSIONS;
        certainty.push(sentence(&format!(
            "The data-driven models rest on {}, {} of which converted{}",
            count(c.journeys.round() as u64, "account journey", "account journeys"),
            figures::group_thousands(c.conversions.round() as u64),
            if enough {
                String::new()
            } else {
                format!(
                    ": with fewer than {} converting journeys their shares move with a handful of accounts, so do \
                     not trust them on their own",
                    figures::decimal(FEW_CONVERSIONS, 0)
                )
            }
        )));
    }
    for m in c.models.iter().filter(|m| m.error.is_some()) {
        certainty.push(sentence(&format!(
            "The {} model could not be fitted: {}",
            label(&m.model),
            m.error.as_deref().unwrap_or_default()
        )));
    }
    if let Some((m, credited)) = c.model("incremental").and_then(|m| m.credited.map(|cr| (m, cr))) {
        let interval = if credited.low < credited.high {
            format!(
                " ({}% interval {} to {})",
                figures::decimal(c.bootstrap_level * 100.0, 0),
                pct(credited.low),
                pct(credited.high)
            )
        } else {
            String::new()
        };
        certainty.push(sentence(&format!(
            "The incremental model finds that the channels caused {} of the won deals{interval} and puts the rest \
             down to the baseline and buying intent{}",
            pct(credited.fraction),
            if m.undecided() {
                ": that may be close to nothing, so its shares are left out of the comparison. The journeys do not \
                 show which channels cause deals (when every account sees much the same channels, only an \
                 experiment such as a holdout can tell), and the other models' shares are association, not cause"
            } else {
                ""
            }
        )));
    }
    if !c.intent_signals.is_empty() {
        let names: Vec<String> = c.intent_signals.iter().map(|i| channel_name(rows, i).to_string()).collect();
        certainty.push(sentence(&format!(
            "The incremental model treats {} as {} of buying intent and gives {} no credit",
            join_and(&names),
            if names.len() == 1 { "a signal" } else { "signals" },
            if names.len() == 1 { "it" } else { "them" }
        )));
    }

    let mut missing = Vec::new();
    if sr.won_deals > 0 {
        if sr.answered == 0 {
            missing.push(sentence("No won deal has a self-reported source, so the buyers' own view is missing"));
        } else if sr.answered < sr.won_deals {
            missing.push(sentence(&format!(
                "{} no self-reported source; the answers of the others may not represent {}",
                count(sr.won_deals - sr.answered, "won deal has", "won deals have"),
                if sr.won_deals - sr.answered == 1 { "it" } else { "them" }
            )));
        }
        let unmatched: Vec<String> = sr
            .answers
            .iter()
            .filter(|a| a.channel.is_none())
            .take(MAX_CHANNEL_SENTENCES)
            .map(|a| format!("\u{201c}{}\u{201d}", a.answer))
            .collect();
        if !unmatched.is_empty() {
            let share: f64 = sr.answers.iter().filter(|a| a.channel.is_none()).map(|a| a.share).sum();
            missing.push(sentence(&format!(
                "Answers that name no single channel ({} of the answers) cannot be compared: {}",
                pct(share),
                join_and(&unmatched)
            )));
        }
    }
    if c.conversions_without_touches > 0 {
        missing.push(sentence(&format!(
            "{} no touchpoint before the deal was created and so no data-driven path",
            count(c.conversions_without_touches, "won deal had", "won deals had")
        )));
    }
    let cut = c.cut_short;
    if cut.conversions + cut.nulls > 0 {
        missing.push(sentence(&format!(
            "{} ({} won) are left out of the data-driven models because their {}-day window starts before the data \
             does ({}): they would look shorter than the others. More history, or a shorter lookback, brings them in",
            count(cut.conversions + cut.nulls, "journey", "journeys"),
            figures::group_thousands(cut.conversions),
            analysis.settings.lookback_days,
            c.observed_from.map(|d| d.to_string()).unwrap_or_default()
        )));
    }
    missing.extend(notes_for(analysis, &NOTE_CODES));
    Reading { says, certainty, missing }
}
