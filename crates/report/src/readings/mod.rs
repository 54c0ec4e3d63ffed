//! Plain-language readings of the charts, generated from the numbers: what a chart says, how sure we are, and
//! what data are missing. One submodule per chart; the rules each follows are in docs/reports.md.

pub mod attribution;
pub mod cost_revenue;
pub mod engagement;
pub mod hours;
pub mod model_comparison;
pub mod rhythm;

use crate::figures;
use serde::Serialize;
use socialledger_analytics::{Analysis, Note};
use socialledger_domain::{Currency, Money};

/// The reading under one chart. Every entry is one sentence, starting upper-case and ending in a full stop.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Reading {
    /// What the chart says.
    pub says: Vec<String>,
    /// How sure we are: how many deals or posts a figure rests on, how much it depends on the model.
    pub certainty: Vec<String>,
    /// What data are missing, from the data notes that concern this chart.
    pub missing: Vec<String>,
}

/// Every chart's reading, keyed by section.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Readings {
    pub cost_revenue: Reading,
    pub engagement: Reading,
    pub rhythm: Reading,
    pub hours: Reading,
    pub attribution: Reading,
    /// The comparison of heuristic and data-driven models with the self-reported sources.
    pub model_comparison: Reading,
}

/// At most this many channels get a sentence of their own; the rest are summed up in one.
pub(crate) const MAX_CHANNEL_SENTENCES: usize = 6;

/// Below this many won (or created) deals, credit per channel moves visibly with one deal more or less.
pub(crate) const FEW_DEALS: u64 = 20;

/// `text` as a sentence: first letter upper-case, ending in a full stop.
pub(crate) fn sentence(text: &str) -> String {
    let text = text.trim();
    let mut chars = text.chars();
    let mut out: String = match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => return String::new(),
    };
    if !out.ends_with(['.', '!', '?']) {
        out.push('.');
    }
    out
}

/// Money in whole units with the currency (`41,200 EUR`).
pub(crate) fn money(minor: i64, currency: Currency) -> String {
    figures::money(Money::new(minor, currency))
}

/// `lo to hi` of money, or the single amount when they round to the same text.
pub(crate) fn money_range(lo: i64, hi: i64, currency: Currency) -> String {
    let (a, b) = (figures::money_number(Money::new(lo, currency)), figures::money_number(Money::new(hi, currency)));
    if a == b {
        money(lo, currency)
    } else {
        format!("{a} to {b} {currency}")
    }
}

/// `1 deal`, `3 deals`.
pub(crate) fn count(n: u64, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{} {many}", figures::group_thousands(n))
    }
}

/// At most this many data notes are repeated under a chart; the rest are counted and left to the notes section.
pub(crate) const MAX_NOTES: usize = 5;

/// The data notes with one of `codes`, as sentences, in the analysis' order (warnings first); beyond
/// [`MAX_NOTES`], one sentence counts the rest.
pub(crate) fn notes_for(analysis: &Analysis, codes: &[&str]) -> Vec<String> {
    let all: Vec<String> =
        analysis.notes.iter().filter(|n: &&Note| codes.contains(&n.code.as_str())).map(|n| sentence(&n.text)).collect();
    if all.len() <= MAX_NOTES {
        return all;
    }
    let rest = all.len() - (MAX_NOTES - 1);
    let mut out: Vec<String> = all.into_iter().take(MAX_NOTES - 1).collect();
    out.push(format!(
        "{} about this chart are listed under Data notes.",
        count(rest as u64, "more note", "more notes")
    ));
    out
}

/// A list joined for prose: `a`, `a and b`, `a, b and c`.
pub(crate) fn join_and(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentences_are_capitalised_and_closed() {
        assert_eq!(
            sentence("no time entries for x: cost is understated"),
            "No time entries for x: cost is understated."
        );
        assert_eq!(sentence("Done."), "Done.");
        assert_eq!(sentence("  "), "");
        assert_eq!(sentence("élan"), "Élan.");
    }

    #[test]
    fn ranges_collapse_when_equal() {
        assert_eq!(money_range(100 * 100, 100 * 100, Currency::EUR), "100 EUR");
        assert_eq!(money_range(180_000 * 100, 260_000 * 100, Currency::EUR), "180,000 to 260,000 EUR");
    }

    #[test]
    fn joins_for_prose() {
        let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        assert_eq!(join_and(&s(&[])), "");
        assert_eq!(join_and(&s(&["a"])), "a");
        assert_eq!(join_and(&s(&["a", "b"])), "a and b");
        assert_eq!(join_and(&s(&["a", "b", "c"])), "a, b and c");
    }
}
