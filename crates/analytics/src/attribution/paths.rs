//! Aggregated conversion paths: the input of the data-driven models (Markov, Shapley, incremental).
//!
//! A path is the ordered list of channels a journey touched. Journeys with the same path are aggregated into one
//! [`PathRow`] with how many converted (and their value) and how many did not (`nulls`), exactly like
//! ChannelAttribution's `path;total_conversions;total_conversion_value;total_null` files. Paths come from a path
//! file (read by `socialledger_import::paths`) or from the database's account-based journeys ([`from_journeys`]).

use serde::Serialize;

/// Index of a channel in [`PathSet::channels`].
pub type ChannelId = u16;

/// One distinct path and its outcomes.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PathRow {
    /// Channels in the order touched (repeats kept: `a > a > b`).
    pub channels: Vec<ChannelId>,
    /// Journeys on this path that converted (fractional counts are allowed, as in ChannelAttribution).
    pub conversions: f64,
    /// Total conversion value of those journeys.
    pub value: f64,
    /// Journeys on this path that did not convert.
    pub nulls: f64,
}

/// A set of aggregated paths over a channel dictionary.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct PathSet {
    /// Channel names; `PathRow::channels` index into this. Sorted by name, so ids are deterministic.
    pub channels: Vec<String>,
    pub rows: Vec<PathRow>,
}

impl PathSet {
    /// Builds a set from named paths, assigning channel ids in name order and merging rows with the same path.
    /// Rows with an empty path are dropped (they carry no channel to credit) and counted in the return value.
    pub fn from_named<I, P, S>(rows: I) -> (PathSet, usize)
    where
        I: IntoIterator<Item = (P, f64, f64, f64)>,
        P: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        use std::collections::BTreeMap;
        let named: Vec<(Vec<String>, f64, f64, f64)> = rows
            .into_iter()
            .map(|(p, c, v, n)| (p.into_iter().map(|s| s.as_ref().to_string()).collect(), c, v, n))
            .collect();
        let mut names: Vec<String> = named.iter().flat_map(|(p, ..)| p.iter().cloned()).collect();
        names.sort();
        names.dedup();
        let id = |name: &str| names.binary_search_by(|n| n.as_str().cmp(name)).unwrap_or(0) as ChannelId;
        let mut merged: BTreeMap<Vec<ChannelId>, (f64, f64, f64)> = BTreeMap::new();
        let mut empty = 0;
        for (p, c, v, n) in &named {
            if p.is_empty() {
                empty += 1;
                continue;
            }
            let e = merged.entry(p.iter().map(|s| id(s)).collect()).or_insert((0.0, 0.0, 0.0));
            e.0 += c;
            e.1 += v;
            e.2 += n;
        }
        let rows = merged
            .into_iter()
            .map(|(channels, (conversions, value, nulls))| PathRow { channels, conversions, value, nulls })
            .collect();
        (PathSet { channels: names, rows }, empty)
    }

    /// Total conversions over all rows.
    pub fn total_conversions(&self) -> f64 {
        self.rows.iter().map(|r| r.conversions).sum()
    }

    /// Total conversion value over all rows.
    pub fn total_value(&self) -> f64 {
        self.rows.iter().map(|r| r.value).sum()
    }

    /// Total journeys (conversions + nulls) over all rows.
    pub fn total_journeys(&self) -> f64 {
        self.rows.iter().map(|r| r.conversions + r.nulls).sum()
    }
}

/// One channel's credit under a data-driven model. Shares are fractions of the total credit and sum to 1 over
/// the channels; `share_low`/`share_high` are bootstrap percentile bounds when computed (else equal to `share`).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ChannelShare {
    pub channel: String,
    pub conversions: f64,
    pub value: f64,
    /// Markov only: relative drop of the conversion probability when the channel is removed.
    pub removal_effect: Option<f64>,
    pub share: f64,
    pub share_low: f64,
    pub share_high: f64,
}

/// The result of a data-driven model over a [`PathSet`], in the shape of `socialledger attribution --json`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DataDrivenResult {
    /// `markov`, `shapley` or `incremental`.
    pub model: String,
    /// Markov order (1-4); `None` for the other models.
    pub order: Option<u8>,
    pub total_conversions: f64,
    pub total_value: f64,
    /// Sorted by channel name.
    pub channels: Vec<ChannelShare>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merges_equal_paths_and_orders_channels_by_name() {
        let (set, empty) = PathSet::from_named(vec![
            (vec!["b", "a"], 1.0, 10.0, 2.0),
            (vec!["b", "a"], 2.0, 5.0, 0.0),
            (vec!["c"], 0.0, 0.0, 4.0),
            (vec![], 1.0, 1.0, 1.0),
        ]);
        assert_eq!(empty, 1);
        assert_eq!(set.channels, vec!["a", "b", "c"]);
        assert_eq!(set.rows.len(), 2);
        let ba = set.rows.iter().find(|r| r.channels == vec![1, 0]).unwrap();
        assert_eq!((ba.conversions, ba.value, ba.nulls), (3.0, 15.0, 2.0));
        assert_eq!(set.total_journeys(), 9.0);
    }
}
