//! Shapley-value attribution over aggregated paths: each channel's average marginal contribution to the
//! conversion rate of the journeys a coalition of channels can account for.
//!
//! **Coalition value.** For a set of channels `S`, `v(S)` is the conversion rate (conversions per journey) of the
//! journeys whose *set* of distinct channels lies within `S`: `v(S) = C(S) / J(S)` with
//! `C(S) = Σ_{T ⊆ S} c(T)` and `J(S) = Σ_{T ⊆ S} j(T)`, where `c(T)` and `j(T)` are the conversions and the journeys
//! (conversions + nulls) of the paths whose channel set is exactly `T`. Order and repeats within a path are
//! ignored. `v(∅) = 0`, and a coalition that no journey stays within (`J(S) = 0`) also gets `v(S) = 0`: nothing was
//! observed to convert there. This is the conversion-rate game of Dalessandro et al. (2012); Zhao et al. (2018) sum
//! per-set outcomes instead (see docs/attribution.md, "Shapley values").
//!
//! **Values.** `φ_i = Σ_{S ⊆ N∖{i}} |S|! (n−|S|−1)! / n! · (v(S ∪ {i}) − v(S))`, exact: `C` and `J` come from a
//! subset-sum (zeta) transform over channel bitmasks in `O(n 2^n)`, and the sum over coalitions is another
//! `O(n 2^n)` pass, so up to [`MAX_CHANNELS`] channels that appear on some path. Values are in conversion-rate
//! units and add up to `v(N)`, the conversion rate of all journeys (efficiency).
//!
//! **Shares.** With a conversion *rate* the game is not monotone: adding a channel whose journeys convert less
//! than the others lowers `v`, so a `φ_i` can be negative. Shares give credit, and negative credit cannot be
//! spent, so a share is `max(φ_i, 0) / Σ_j max(φ_j, 0)`; the raw values, negatives included, are reported in
//! [`ShapleyFit::values`]. Conversions and value are the totals of the paths times the share.

use crate::attribution::paths::{ChannelShare, Credited, DataDrivenResult, PathSet};
use crate::AnalyticsError;
use serde::Serialize;

/// The most channels (that appear on some path) for which Shapley values are computed exactly: `2^20` coalitions,
/// three `f64` tables of 8 MiB each and about `10^7` marginal contributions.
pub const MAX_CHANNELS: usize = 20;

/// A Shapley attribution: the shares as a [`DataDrivenResult`] and the raw values behind them.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ShapleyFit {
    /// Model `shapley`: shares from the positive parts of the values, conversions and value by share.
    pub result: DataDrivenResult,
    /// Raw Shapley value of every channel of the path set (sorted by name), in conversions per journey; may be
    /// negative. Channels on no path have value 0.
    pub values: Vec<ShapleyValue>,
    /// `v(N)`: conversions / journeys over all paths, which the values add up to.
    pub conversion_rate: f64,
}

/// One channel's raw Shapley value.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ShapleyValue {
    pub channel: String,
    /// Average marginal contribution to the coalition conversion rate, in conversions per journey.
    pub value: f64,
}

/// Shapley values and shares of every channel of `paths` (see the module documentation for the definitions).
///
/// Errors: a row with a negative or non-finite count or value, or a channel id outside `paths.channels`
/// ([`AnalyticsError::InvalidPathRow`]); more than [`MAX_CHANNELS`] channels on the paths
/// ([`AnalyticsError::TooManyChannels`]).
pub fn shapley(paths: &PathSet) -> Result<ShapleyFit, AnalyticsError> {
    check_rows(paths)?;
    // Players are the channels that appear on some path, in dictionary order; the rest are null players.
    let mut player_of: Vec<Option<usize>> = vec![None; paths.channels.len()];
    let mut players = Vec::new();
    for row in &paths.rows {
        for &c in &row.channels {
            let c = usize::from(c);
            if player_of[c].is_none() {
                player_of[c] = Some(0);
            }
        }
    }
    for (c, slot) in player_of.iter_mut().enumerate() {
        if slot.is_some() {
            *slot = Some(players.len());
            players.push(c);
        }
    }
    let n = players.len();
    if n > MAX_CHANNELS {
        return Err(AnalyticsError::TooManyChannels { channels: n, max: MAX_CHANNELS });
    }

    let size = 1usize << n;
    let mut conversions = vec![0.0; size];
    let mut journeys = vec![0.0; size];
    for row in &paths.rows {
        let mask = row.channels.iter().fold(0usize, |m, &c| m | 1 << player_of[usize::from(c)].unwrap_or(0));
        conversions[mask] += row.conversions;
        journeys[mask] += row.conversions + row.nulls;
    }
    subset_sums(&mut conversions, n);
    subset_sums(&mut journeys, n);
    let v: Vec<f64> = conversions.iter().zip(&journeys).map(|(&c, &j)| if j > 0.0 { c / j } else { 0.0 }).collect();
    drop(conversions);
    drop(journeys);
    let phi = game_values(&v, n);
    let conversion_rate = v[size - 1];

    let mut raw = vec![0.0; paths.channels.len()];
    for (p, &c) in players.iter().enumerate() {
        raw[c] = phi[p];
    }
    let positive: f64 = raw.iter().map(|x| x.max(0.0)).sum();
    let total_conversions = paths.total_conversions();
    let total_value = paths.total_value();
    let channels: Vec<ChannelShare> = paths
        .channels
        .iter()
        .zip(&raw)
        .map(|(name, &x)| {
            let share = if positive > 0.0 { x.max(0.0) / positive } else { 0.0 };
            let value = total_value * share;
            ChannelShare {
                channel: name.clone(),
                conversions: total_conversions * share,
                value,
                removal_effect: None,
                share,
                share_low: share,
                share_high: share,
                value_low: value,
                value_high: value,
            }
        })
        .collect();
    Ok(ShapleyFit {
        result: DataDrivenResult {
            model: "shapley".to_string(),
            order: None,
            total_conversions,
            total_value,
            credited: Credited::of(&channels, total_conversions),
            channels,
        },
        values: paths
            .channels
            .iter()
            .zip(&raw)
            .map(|(name, &value)| ShapleyValue { channel: name.clone(), value })
            .collect(),
        conversion_rate,
    })
}

/// Checks that every count and value is finite and not negative and every channel id names a channel.
pub(crate) fn check_rows(paths: &PathSet) -> Result<(), AnalyticsError> {
    for (i, row) in paths.rows.iter().enumerate() {
        for (field, value) in [("conversions", row.conversions), ("value", row.value), ("nulls", row.nulls)] {
            if !value.is_finite() || value < 0.0 {
                return Err(AnalyticsError::InvalidPathRow { row: i, field, value });
            }
        }
        if let Some(&c) = row.channels.iter().find(|&&c| usize::from(c) >= paths.channels.len()) {
            return Err(AnalyticsError::InvalidPathRow { row: i, field: "channel id", value: f64::from(c) });
        }
    }
    Ok(())
}

/// In place, `f[S] ← Σ_{T ⊆ S} f[T]` over bitmasks of `n` players (the zeta transform), in `O(n 2^n)`.
fn subset_sums(f: &mut [f64], n: usize) {
    for i in 0..n {
        let bit = 1 << i;
        for mask in 0..f.len() {
            if mask & bit != 0 {
                f[mask] += f[mask ^ bit];
            }
        }
    }
}

/// Shapley values of the game `v` over `n` players (`v[mask]`, `v.len() == 2^n`), in `O(n 2^n)`.
///
/// The weight of a coalition of size `s` not holding the player is `s! (n−s−1)! / n! = 1 / (n · C(n−1, s))`;
/// the binomial is exact in `f64` for `n ≤ 20` (at most `C(19, 9) = 92378`), so each weight is one correctly
/// rounded division.
pub(crate) fn game_values(v: &[f64], n: usize) -> Vec<f64> {
    debug_assert_eq!(v.len(), 1 << n);
    if n == 0 {
        return Vec::new();
    }
    let mut weight = Vec::with_capacity(n);
    let mut binomial = 1.0f64; // C(n-1, s)
    for s in 0..n {
        weight.push(1.0 / (n as f64 * binomial));
        binomial = binomial * (n - 1 - s) as f64 / (s + 1) as f64;
    }
    let mut phi = vec![0.0; n];
    for (mask, &without) in v.iter().enumerate() {
        let w = weight.get(mask.count_ones() as usize).copied().unwrap_or(0.0);
        for (i, p) in phi.iter_mut().enumerate() {
            let bit = 1 << i;
            if mask & bit == 0 {
                *p += w * (v[mask | bit] - without);
            }
        }
    }
    phi
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::attribution::paths::PathRow;
    use proptest::prelude::*;

    fn set(channels: &[&str], rows: &[(&[u16], f64, f64)]) -> PathSet {
        PathSet {
            channels: channels.iter().map(|s| s.to_string()).collect(),
            rows: rows
                .iter()
                .map(|(p, c, n)| PathRow { channels: p.to_vec(), conversions: *c, value: 100.0 * c, nulls: *n })
                .collect(),
        }
    }

    fn value(fit: &ShapleyFit, channel: &str) -> f64 {
        fit.values.iter().find(|v| v.channel == channel).unwrap().value
    }

    #[test]
    fn two_channels_by_hand() {
        // a alone: 10 of 100 convert; b alone: 30 of 100; both (in either order): 50 of 100.
        // v(a) = 0.1, v(b) = 0.3, v(ab) = 90 / 300 = 0.3.
        // φ_a = ½ v(a) + ½ (v(ab) − v(b)) = 0.05; φ_b = ½ v(b) + ½ (v(ab) − v(a)) = 0.25.
        let paths = set(
            &["a", "b"],
            &[(&[0], 10.0, 90.0), (&[1, 1], 30.0, 70.0), (&[1, 0], 20.0, 30.0), (&[0, 1], 30.0, 20.0)],
        );
        let fit = shapley(&paths).unwrap();
        assert!((value(&fit, "a") - 0.05).abs() < 1e-15);
        assert!((value(&fit, "b") - 0.25).abs() < 1e-15);
        assert!((fit.conversion_rate - 0.3).abs() < 1e-15);
        let r = &fit.result;
        assert_eq!((r.model.as_str(), r.order, r.total_conversions, r.total_value), ("shapley", None, 90.0, 9000.0));
        assert!((r.channels[0].share - 1.0 / 6.0).abs() < 1e-15);
        assert!((r.channels[1].share - 5.0 / 6.0).abs() < 1e-15);
        assert!((r.channels[1].conversions - 75.0).abs() < 1e-12);
        assert!((r.channels[1].value - 7500.0).abs() < 1e-9);
        assert_eq!(r.channels[0].share_low, r.channels[0].share);
    }

    #[test]
    fn negative_values_are_reported_but_get_no_share() {
        // a alone: 50 of 100 convert; a with b: 0 of 100; b is never alone, so v(b) = 0 (no journeys).
        // v(a) = 0.5, v(ab) = 0.25: φ_a = ½·0.5 + ½·0.25 = 0.375, φ_b = ½·0 + ½·(0.25 − 0.5) = −0.125.
        let paths = set(&["a", "b"], &[(&[0], 50.0, 50.0), (&[0, 1], 0.0, 100.0)]);
        let fit = shapley(&paths).unwrap();
        assert!((value(&fit, "a") - 0.375).abs() < 1e-15);
        assert!((value(&fit, "b") + 0.125).abs() < 1e-15);
        let shares: Vec<f64> = fit.result.channels.iter().map(|c| c.share).collect();
        assert_eq!(shares, vec![1.0, 0.0]);
        assert_eq!(fit.result.channels[0].conversions, 50.0);
    }

    #[test]
    fn no_conversions_give_zero_shares_and_empty_paths_an_empty_game() {
        let fit = shapley(&set(&["a", "b"], &[(&[0, 1], 0.0, 10.0)])).unwrap();
        assert!(fit.result.channels.iter().all(|c| c.share == 0.0 && c.conversions == 0.0));
        let fit = shapley(&PathSet::default()).unwrap();
        assert!(fit.result.channels.is_empty() && fit.values.is_empty());
        assert_eq!(fit.conversion_rate, 0.0);
    }

    #[test]
    fn too_many_channels_is_an_error_that_says_what_to_do() {
        let names: Vec<String> = (0..21).map(|i| format!("c{i:02}")).collect();
        let rows =
            (0..21u16).map(|i| PathRow { channels: vec![i], conversions: 1.0, value: 0.0, nulls: 1.0 }).collect();
        let err = shapley(&PathSet { channels: names, rows }).unwrap_err();
        assert_eq!(err, AnalyticsError::TooManyChannels { channels: 21, max: 20 });
        assert!(err.to_string().contains("Merge rare channels"), "{err}");
    }

    #[test]
    fn twenty_channels_on_paths_and_more_in_the_dictionary_are_fine() {
        // 25 names, 20 of them on paths: channel i converts i of 20 journeys, alone.
        let names: Vec<String> = (0..25).map(|i| format!("c{i:02}")).collect();
        let rows = (0..20u16)
            .map(|i| PathRow { channels: vec![i], conversions: f64::from(i), value: 0.0, nulls: 20.0 - f64::from(i) })
            .collect();
        let fit = shapley(&PathSet { channels: names, rows }).unwrap();
        // Additive structure: journeys never mix channels, yet v is a pooled rate, so only efficiency is simple.
        let sum: f64 = fit.values.iter().map(|v| v.value).sum();
        assert!((sum - 190.0 / 400.0).abs() < 1e-12, "{sum}");
        assert!(fit.values[20..].iter().all(|v| v.value == 0.0));
        // The channel that never converts alone lowers every coalition's rate.
        assert!(fit.values[0].value < 0.0);
    }

    #[test]
    fn invalid_rows_are_rejected() {
        let err = shapley(&set(&["a"], &[(&[0], -1.0, 1.0)])).unwrap_err();
        assert!(matches!(err, AnalyticsError::InvalidPathRow { row: 0, field: "conversions", .. }));
        let err = shapley(&set(&["a"], &[(&[0], 1.0, f64::NAN)])).unwrap_err();
        assert!(matches!(err, AnalyticsError::InvalidPathRow { row: 0, field: "nulls", .. }));
        let err = shapley(&set(&["a"], &[(&[0], 1.0, 1.0), (&[3], 1.0, 1.0)])).unwrap_err();
        assert!(matches!(err, AnalyticsError::InvalidPathRow { row: 1, field: "channel id", .. }));
    }

    #[test]
    fn confounded_world_credits_the_intent_signals() {
        // How Shapley errs when intent confounds: direct and organic search are over-represented on converting
        // paths, so coalitions holding them convert more, and they take credit that belongs to no channel.
        use crate::worlds::{mean_abs_share_error, ConfoundedWorld};
        let sample = ConfoundedWorld::b2b(200_000).simulate(1);
        let fit = shapley(&sample.paths).unwrap();
        let intent: f64 =
            fit.result.channels.iter().filter(|c| sample.intent_channels.contains(&c.channel)).map(|c| c.share).sum();
        assert!(intent > 0.25, "intent signals get {intent}");
        let error = mean_abs_share_error(&fit.result, &sample.true_shares);
        assert!(error > 0.06, "mean absolute share error {error}");
    }

    /// Shapley values by definition: the average over all n! orders of each player's marginal contribution,
    /// with `v` evaluated directly from the rows (no transform).
    fn brute_force(paths: &PathSet) -> Vec<f64> {
        let n = paths.channels.len();
        let v = |members: &[bool]| {
            let (mut c, mut j) = (0.0, 0.0);
            for row in &paths.rows {
                if row.channels.iter().all(|&ch| members[usize::from(ch)]) {
                    c += row.conversions;
                    j += row.conversions + row.nulls;
                }
            }
            if j > 0.0 {
                c / j
            } else {
                0.0
            }
        };
        let mut phi = vec![0.0; n];
        let mut order: Vec<usize> = (0..n).collect();
        let mut count = 0usize;
        permutations(&mut order, 0, &mut |perm| {
            count += 1;
            let mut members = vec![false; n];
            let mut before = 0.0;
            for &p in perm {
                members[p] = true;
                let after = v(&members);
                phi[p] += after - before;
                before = after;
            }
        });
        phi.iter().map(|x| x / count as f64).collect()
    }

    fn permutations(items: &mut Vec<usize>, k: usize, visit: &mut dyn FnMut(&[usize])) {
        if k == items.len() {
            visit(items);
            return;
        }
        for i in k..items.len() {
            items.swap(k, i);
            permutations(items, k + 1, visit);
            items.swap(k, i);
        }
    }

    /// Random path sets over `n` channels named `c0..`: each row a non-empty channel list (repeats allowed).
    fn path_sets(max_channels: usize) -> impl Strategy<Value = PathSet> {
        (1..=max_channels).prop_flat_map(|n| {
            proptest::collection::vec((proptest::collection::vec(0..n as u16, 1..6), 0u32..40, 0u32..60, 0u8..4), 1..25)
                .prop_map(move |rows| PathSet {
                    channels: (0..n).map(|i| format!("c{i}")).collect(),
                    rows: rows
                        .into_iter()
                        .map(|(channels, c, nulls, frac)| {
                            // Fractional counts occur (ChannelAttribution allows them).
                            let conversions = f64::from(c) + f64::from(frac) * 0.25;
                            PathRow { channels, conversions, value: 3.0 * conversions, nulls: f64::from(nulls) }
                        })
                        .collect(),
                })
        })
    }

    proptest! {
        #[test]
        fn agrees_with_permutation_definition(paths in path_sets(6)) {
            let fit = shapley(&paths).unwrap();
            let expected = brute_force(&paths);
            for (got, want) in fit.values.iter().zip(&expected) {
                prop_assert!((got.value - want).abs() <= 1e-12, "{} vs {}", got.value, want);
            }
        }

        #[test]
        fn efficiency_values_add_up_to_the_overall_rate(paths in path_sets(8)) {
            let fit = shapley(&paths).unwrap();
            let journeys = paths.total_journeys();
            let rate = if journeys > 0.0 { paths.total_conversions() / journeys } else { 0.0 };
            let sum: f64 = fit.values.iter().map(|v| v.value).sum();
            prop_assert!((sum - rate).abs() <= 1e-12, "{} vs {}", sum, rate);
            prop_assert!((fit.conversion_rate - rate).abs() <= 1e-15);
            let shares: f64 = fit.result.channels.iter().map(|c| c.share).sum();
            prop_assert!(shares == 0.0 || (shares - 1.0).abs() <= 1e-12);
            let conversions: f64 = fit.result.channels.iter().map(|c| c.conversions).sum();
            prop_assert!(shares == 0.0 || (conversions - paths.total_conversions()).abs() <= 1e-9);
            for c in &fit.result.channels {
                prop_assert!((0.0..=1.0).contains(&c.share));
            }
        }

        #[test]
        fn symmetry_channels_always_together_get_equal_values(paths in path_sets(5)) {
            // Add channel `z` to every path that has c0 (and only those): c0 and z are interchangeable.
            let mut twin = paths.clone();
            let z = twin.channels.len() as u16;
            twin.channels.push("z".to_string());
            for row in &mut twin.rows {
                if row.channels.contains(&0) {
                    row.channels.push(z);
                }
            }
            let fit = shapley(&twin).unwrap();
            if twin.rows.iter().any(|r| r.channels.contains(&0)) {
                prop_assert!((value(&fit, "c0") - value(&fit, "z")).abs() <= 1e-12);
            }
        }

        #[test]
        fn null_player_a_channel_on_no_path_gets_nothing(paths in path_sets(5)) {
            let mut more = paths.clone();
            more.channels.insert(0, "a_absent".to_string());
            for row in &mut more.rows {
                for c in &mut row.channels {
                    *c += 1;
                }
            }
            let fit = shapley(&more).unwrap();
            prop_assert_eq!(value(&fit, "a_absent"), 0.0);
            prop_assert_eq!(fit.result.channels[0].share, 0.0);
            // The others are unchanged by the extra name.
            let base = shapley(&paths).unwrap();
            for (a, b) in base.values.iter().zip(&fit.values[1..]) {
                prop_assert!((a.value - b.value).abs() <= 1e-15);
            }
        }

        #[test]
        fn game_axioms_on_arbitrary_games(
            n in 1usize..7,
            table in proptest::collection::vec(-1.0f64..1.0, 64),
            null in 0usize..7,
            pair in (0usize..7, 0usize..7),
        ) {
            // An arbitrary game with v(∅) = 0; then make `null` a null player (v(S ∪ k) = v(S)) by copying.
            let size = 1 << n;
            let mut v: Vec<f64> = table[..size].to_vec();
            v[0] = 0.0;
            let phi = game_values(&v, n);
            prop_assert!((phi.iter().sum::<f64>() - v[size - 1]).abs() <= 1e-12);

            let k = null % n;
            let mut vn = v.clone();
            for mask in 0..size {
                if mask & (1 << k) != 0 {
                    vn[mask] = vn[mask ^ (1 << k)];
                }
            }
            prop_assert!(game_values(&vn, n)[k].abs() <= 1e-12);

            // Symmetric players i, j: v(S ∪ i) = v(S ∪ j) for S without both, by averaging over the swap.
            let (i, j) = (pair.0 % n, pair.1 % n);
            let swap = |m: usize| {
                let (bi, bj) = (m >> i & 1, m >> j & 1);
                (m & !(1 << i) & !(1 << j)) | bj << i | bi << j
            };
            let vs: Vec<f64> = (0..size).map(|m| 0.5 * (v[m] + v[swap(m)])).collect();
            let phs = game_values(&vs, n);
            prop_assert!((phs[i] - phs[j]).abs() <= 1e-12);
        }
    }
}
