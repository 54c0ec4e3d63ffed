//! Aggregated conversion paths: the input of the data-driven attribution models (Markov, Shapley, incremental).
//!
//! A path is the ordered list of channels a journey touched. Journeys with the same path are aggregated into one
//! [`PathRow`] with how many converted (and their value) and how many did not (`nulls`), exactly like
//! ChannelAttribution's `path;total_conversions;total_conversion_value;total_null` files. Paths come from a path
//! file (read by `socialledger_import::paths`) or from the database's account-based journeys. Pure data: the
//! models live in `socialledger_analytics::attribution`.

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

    /// Builds a set from channels numbered in any order (say, the order a reader first met them) and rows over
    /// those numbers, renumbering the channels so that ids follow name order as everywhere else. Row order is
    /// kept and equal paths are not merged, so a reader can intern names cheaply while it scans and sort once at
    /// the end. A name given twice gets one id. Ids in `rows` must index `names`.
    pub fn from_interned(names: Vec<String>, mut rows: Vec<PathRow>) -> PathSet {
        let mut order: Vec<usize> = (0..names.len()).collect();
        order.sort_by(|&a, &b| names[a].cmp(&names[b]));
        let mut remap = vec![0 as ChannelId; names.len()];
        let mut sorted: Vec<String> = Vec::with_capacity(names.len());
        for &old in &order {
            if sorted.last() != Some(&names[old]) {
                sorted.push(names[old].clone());
            }
            remap[old] = (sorted.len() - 1) as ChannelId;
        }
        let identity = remap.iter().enumerate().all(|(i, &id)| i == id as usize);
        if !identity {
            for row in &mut rows {
                for c in &mut row.channels {
                    *c = remap[*c as usize];
                }
            }
        }
        PathSet { channels: sorted, rows }
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

    #[test]
    fn interned_ids_are_renumbered_in_name_order() {
        let row = |channels: Vec<ChannelId>| PathRow { channels, conversions: 1.0, value: 2.0, nulls: 3.0 };
        // First met: zeta = 0, alpha = 1, mid = 2, and alpha again as 3.
        let names = vec!["zeta".to_string(), "alpha".into(), "mid".into(), "alpha".into()];
        let set = PathSet::from_interned(names, vec![row(vec![0, 1, 2]), row(vec![3, 0])]);
        assert_eq!(set.channels, vec!["alpha", "mid", "zeta"]);
        assert_eq!(set.rows[0].channels, vec![2, 0, 1]);
        assert_eq!(set.rows[1].channels, vec![0, 2]);
        let (named, _) = PathSet::from_named(vec![(vec!["zeta", "alpha", "mid"], 1.0, 2.0, 3.0)]);
        assert_eq!(named.channels, set.channels);
        assert_eq!(named.rows[0], set.rows[0]);
    }
}
