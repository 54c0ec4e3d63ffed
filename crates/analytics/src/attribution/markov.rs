//! Markov chain attribution of order 1 to 4 with removal effects computed exactly from the absorbing chain.
//!
//! The chain is fitted from aggregated paths the way ChannelAttribution's `markov_model` fits it ([`chain`]:
//! states are the last k channels, plus start, conversion and null), so results are comparable. Where
//! ChannelAttribution then *simulates* journeys through the chain to estimate how often converting journeys visit
//! each channel, we solve the absorbing chain's linear systems (module `solve`): no sampling, no run-to-run wobble.
//!
//! The removal effect of channel c is the relative drop of the conversion probability when every transition into
//! a state holding c is redirected to null (Anderl, Becker, von Wangenheim and Schumann 2016, "Mapping the
//! customer journey: Lessons learned from graph-based online attribution modeling", IJRM 33(3)). Conversions
//! are shared in proportion to removal effects; conversion value in proportion to the value removal effects
//! (the same drop, measured in expected conversion value), as ChannelAttribution shares `total_conversion_value`.

pub mod chain;
mod hasher;
pub mod simulate;
mod solve;

pub use chain::{AbsorbingChain, StateKey, MAX_ORDER};
pub use simulate::{simulate_chain, FirstOrderChain};
pub use solve::{MAX_SWEEPS, TOLERANCE};

use crate::attribution::paths::{ChannelId, ChannelShare, Credited, DataDrivenResult, PathSet};
use crate::AnalyticsError;
use rayon::prelude::*;

/// A fitted Markov attribution: the chain's size, its conversion probability, every channel's removal effects
/// and the resulting credit.
#[derive(Clone, Debug, PartialEq)]
pub struct MarkovFit {
    pub order: u8,
    /// Transient states of the chain (start, conversion and null not counted).
    pub states: usize,
    /// Non-zero transitions between transient states.
    pub transitions: usize,
    /// Probability that a journey entering the chain at start ends in conversion.
    pub conversion_probability: f64,
    /// Expected conversion value per journey entering the chain (same unit as `PathRow::value`).
    pub value_per_journey: f64,
    /// Per channel, indexed by [`ChannelId`]: the fraction of the conversion probability lost when the channel
    /// is removed (in [0, 1]); equally, the share of converting journeys of the chain that visit the channel.
    pub removal_effects: Vec<f64>,
    /// Per channel, indexed by [`ChannelId`]: the same for the expected conversion value (all zero when no path
    /// carries value).
    pub value_removal_effects: Vec<f64>,
    /// The most Gauss-Seidel sweeps any of the solves took.
    pub sweeps: usize,
    /// Credit per channel in the shape of `socialledger attribution --json`.
    pub result: DataDrivenResult,
}

/// Fits the order-`order` Markov chain of `paths` and attributes conversions and value by removal effects.
///
/// Every channel of `paths.channels` is listed in the result, sorted by name; a channel the chain never visits
/// on the way to a conversion gets zero. `share` is the channel's removal effect over the sum of all removal
/// effects (the sum is at least 1 when some path converts: every converting journey visits a channel);
/// `conversions` and `value` are the file's totals times the channel's conversion and value shares.
/// `share_low`/`share_high` equal `share` (bootstrap intervals are added elsewhere).
///
/// The same paths give byte-identical results: states are numbered by sorting, sums run in a fixed order, and the
/// per-channel solves (run in parallel) are collected in channel order.
///
/// # Errors
/// [`AnalyticsError::MarkovOrder`] outside 1..=4; [`AnalyticsError::NoPaths`] without rows;
/// [`AnalyticsError::NoConversions`] when no row converts; [`AnalyticsError::InvalidPathRow`] for negative or
/// non-finite counts or unknown channel ids; [`AnalyticsError::NotConverged`] when a solve does not reach the
/// tolerance within [`MAX_SWEEPS`] sweeps.
pub fn markov(paths: &PathSet, order: u8) -> Result<MarkovFit, AnalyticsError> {
    if !(1..=MAX_ORDER).contains(&order) {
        return Err(AnalyticsError::MarkovOrder { order });
    }
    if paths.rows.is_empty() {
        return Err(AnalyticsError::NoPaths { model: "markov" });
    }
    let chain = AbsorbingChain::fit(paths, order)?;
    let total_conversions = paths.total_conversions();
    if total_conversions <= 0.0 {
        return Err(AnalyticsError::NoConversions { model: "markov" });
    }
    let full = chain.absorption()?;
    let [conversion_probability, value_per_journey] = chain.absorbed_from_start(&full.x);

    let through: Vec<([f64; 2], usize)> = (0..paths.channels.len())
        .into_par_iter()
        .map(|c| chain.through_channel(c as ChannelId, &full))
        .collect::<Result<_, _>>()?;
    let ratio = |num: f64, den: f64| if den > 0.0 { (num / den).clamp(0.0, 1.0) } else { 0.0 };
    let removal_effects: Vec<f64> = through.iter().map(|(t, _)| ratio(t[0], conversion_probability)).collect();
    let value_removal_effects: Vec<f64> = through.iter().map(|(t, _)| ratio(t[1], value_per_journey)).collect();
    let sweeps = through.iter().map(|&(_, s)| s).fold(full.sweeps, usize::max);

    let total_value = paths.total_value();
    let re_sum: f64 = removal_effects.iter().sum();
    let value_sum: f64 = value_removal_effects.iter().sum();
    let mut channels: Vec<ChannelShare> = paths
        .channels
        .iter()
        .enumerate()
        .map(|(c, name)| {
            let share = if re_sum > 0.0 { removal_effects[c] / re_sum } else { 0.0 };
            let value_share = if value_sum > 0.0 { value_removal_effects[c] / value_sum } else { 0.0 };
            let value = total_value * value_share;
            ChannelShare {
                channel: name.clone(),
                conversions: total_conversions * share,
                value,
                removal_effect: Some(removal_effects[c]),
                share,
                share_low: share,
                share_high: share,
                value_low: value,
                value_high: value,
            }
        })
        .collect();
    channels.sort_by(|a, b| a.channel.cmp(&b.channel));

    Ok(MarkovFit {
        order,
        states: chain.states(),
        transitions: chain.transitions(),
        conversion_probability,
        value_per_journey,
        removal_effects,
        value_removal_effects,
        sweeps,
        result: DataDrivenResult {
            model: "markov".to_string(),
            order: Some(order),
            total_conversions,
            total_value,
            credited: Credited::of(&channels, total_conversions),
            channels,
        },
    })
}

/// The exact removal effects of a chain given by hand (for instance the true chain of a simulated world), in
/// channel order: `[conversion, value]` removal effect per channel.
///
/// # Errors
/// [`AnalyticsError::NotConverged`] as for [`markov`].
pub fn removal_effects(chain: &AbsorbingChain) -> Result<Vec<[f64; 2]>, AnalyticsError> {
    let full = chain.absorption()?;
    let [p, v] = chain.absorbed_from_start(&full.x);
    (0..chain.channels)
        .map(|c| {
            let (t, _) = chain.through_channel(c as ChannelId, &full)?;
            Ok([if p > 0.0 { t[0] / p } else { 0.0 }, if v > 0.0 { t[1] / v } else { 0.0 }])
        })
        .collect()
}

/// Removal-effect shares (each removal effect over their sum) of a set of removal effects.
pub fn shares(removal_effects: &[f64]) -> Vec<f64> {
    let sum: f64 = removal_effects.iter().sum();
    removal_effects.iter().map(|&r| if sum > 0.0 { r / sum } else { 0.0 }).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::attribution::paths::PathRow;
    use proptest::prelude::*;
    use rand_chacha::rand_core::{RngCore, SeedableRng};

    fn set(rows: &[(&str, f64, f64, f64)]) -> PathSet {
        PathSet::from_named(rows.iter().map(|(p, c, v, n)| (p.split(" > ").collect::<Vec<_>>(), *c, *v, *n))).0
    }

    fn channel<'a>(fit: &'a MarkovFit, name: &str) -> &'a ChannelShare {
        fit.result.channels.iter().find(|c| c.channel == name).unwrap()
    }

    /// The repository's path fixture (`data/attribution/realistic_paths.csv`: 20,000 journeys of our own
    /// generator's realistic second-order world, see its README), read with plain string functions (the analytics
    /// may not use the importer): `path;total_conversions;total_conversion_value;total_null`, channels joined by
    /// ` > `.
    fn fixture_paths() -> PathSet {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../data/attribution/realistic_paths.csv");
        let text = std::fs::read_to_string(path).unwrap();
        let rows: Vec<(Vec<String>, f64, f64, f64)> = text
            .lines()
            .skip(1)
            .filter(|l| !l.is_empty())
            .map(|l| {
                let c: Vec<&str> = l.split(';').collect();
                let n = |i: usize| c[i].parse::<f64>().unwrap();
                (c[0].split(" > ").map(str::to_string).collect(), n(1), n(2), n(3))
            })
            .collect();
        PathSet::from_named(rows).0
    }

    /// Three channels whose chain is worked out by hand from the paths below (first order, repeats merged):
    ///
    /// | path | conv | value | null | journeys |
    /// |---|---|---|---|---|
    /// | A | 1 | 10 | 3 | 4 |
    /// | A > B | 2 | 50 | 2 | 4 |
    /// | B > A | 1 | 30 | 1 | 2 |
    /// | B > C | 3 | 30 | 1 | 4 |
    /// | C | 0 | 0 | 2 | 2 |
    /// | A > A > C | 1 | 50 | 1 | 2 (A > C) |
    ///
    /// Start: A 10/18, B 6/18, C 2/18. From A (12 journeys leave it): B 4/12, C 2/12, conversion 2/12, null
    /// 4/12. From B (10): A 2/10, C 4/10, conversion 2/10, null 2/10. From C (8): conversion 4/8, null 4/8.
    /// Mean value per conversion ending in A: (10 + 30) / 2 = 20; in B: 50 / 2 = 25; in C: (30 + 50) / 4 = 20.
    fn hand_set() -> PathSet {
        set(&[
            ("A", 1.0, 10.0, 3.0),
            ("A > B", 2.0, 50.0, 2.0),
            ("B > A", 1.0, 30.0, 1.0),
            ("B > C", 3.0, 30.0, 1.0),
            ("C", 0.0, 0.0, 2.0),
            ("A > A > C", 1.0, 50.0, 1.0),
        ])
    }

    /// The hand chain's absorption from the start, by substitution: x_C = b_C; x_B = b_B + x_A / 5 + 2 x_C / 5;
    /// x_A = b_A + x_B / 3 + x_C / 6, so x_A (1 - 1/15) = b_A + (b_B + 2 x_C / 5) / 3 + x_C / 6. A removed
    /// channel's x is 0 (its in-transitions go to null).
    fn hand_from_start(b: [f64; 3], keep: [bool; 3]) -> f64 {
        let k = |i: usize| if keep[i] { 1.0 } else { 0.0 };
        let xc = k(2) * b[2];
        let xa = k(0) * (b[0] + k(1) * (b[1] + 0.4 * xc) / 3.0 + xc / 6.0) / (1.0 - k(1) / 15.0);
        let xb = k(1) * (b[1] + 0.2 * xa + 0.4 * xc);
        (10.0 * xa + 6.0 * xb + 2.0 * xc) / 18.0
    }

    #[test]
    fn hand_built_chain_matches_the_closed_form() {
        let fit = markov(&hand_set(), 1).unwrap();
        let conv = [2.0 / 12.0, 0.2, 0.5];
        let value = [2.0 / 12.0 * 20.0, 0.2 * 25.0, 0.5 * 20.0];
        let p = hand_from_start(conv, [true; 3]);
        let v = hand_from_start(value, [true; 3]);
        assert!((fit.conversion_probability - p).abs() < 1e-12, "{} vs {p}", fit.conversion_probability);
        assert!((fit.value_per_journey - v).abs() < 1e-12);
        let mut re = [0.0; 3];
        let mut vre = [0.0; 3];
        for (i, name) in ["A", "B", "C"].iter().enumerate() {
            let mut keep = [true; 3];
            keep[i] = false;
            re[i] = 1.0 - hand_from_start(conv, keep) / p;
            vre[i] = 1.0 - hand_from_start(value, keep) / v;
            let c = channel(&fit, name);
            assert!((c.removal_effect.unwrap() - re[i]).abs() < 1e-12, "{name}: {:?} vs {}", c.removal_effect, re[i]);
            assert!((fit.value_removal_effects[i] - vre[i]).abs() < 1e-12);
        }
        // Closed forms of the removals: without C, x_A = x_B = 1/4, so P = 4/18; without A, 3.4/18; without B,
        // 3.5/18.
        assert!((re[2] - (1.0 - (4.0 / 18.0) / p)).abs() < 1e-12);
        assert!((re[0] - (1.0 - (3.4 / 18.0) / p)).abs() < 1e-12);
        assert!((re[1] - (1.0 - (3.5 / 18.0) / p)).abs() < 1e-12);
        let (re_sum, vre_sum): (f64, f64) = (re.iter().sum(), vre.iter().sum());
        for (i, name) in ["A", "B", "C"].iter().enumerate() {
            let c = channel(&fit, name);
            assert!((c.share - re[i] / re_sum).abs() < 1e-12);
            assert!((c.conversions - 8.0 * re[i] / re_sum).abs() < 1e-11);
            assert!((c.value - 170.0 * vre[i] / vre_sum).abs() < 1e-10);
            assert_eq!((c.share_low, c.share_high), (c.share, c.share));
        }
        assert_eq!((fit.states, fit.transitions, fit.order), (3, 4, 1));
        assert_eq!(fit.result.model, "markov");
        assert_eq!(fit.result.order, Some(1));
    }

    /// A world drawn from a known first-order chain with repeat touches (self-loops) and a cycle.
    fn true_chain() -> FirstOrderChain {
        FirstOrderChain {
            channels: vec!["direct".into(), "email".into(), "linkedin".into(), "search".into(), "x".into()],
            start: vec![0.15, 0.10, 0.35, 0.25, 0.15],
            transitions: vec![
                vec![0.05, 0.10, 0.05, 0.10, 0.00],
                vec![0.20, 0.10, 0.05, 0.15, 0.05],
                vec![0.10, 0.15, 0.20, 0.15, 0.10],
                vec![0.25, 0.10, 0.05, 0.05, 0.05],
                vec![0.05, 0.05, 0.30, 0.10, 0.15],
            ],
            conversion: vec![0.30, 0.15, 0.05, 0.12, 0.02],
            value: vec![1_000.0, 2_500.0, 4_000.0, 1_500.0, 500.0],
        }
    }

    #[test]
    fn fitted_shares_recover_a_known_first_order_chain() {
        let truth = true_chain();
        let exact = removal_effects(&truth.absorbing().unwrap()).unwrap();
        let true_shares = shares(&exact.iter().map(|r| r[0]).collect::<Vec<_>>());
        let true_value_shares = shares(&exact.iter().map(|r| r[1]).collect::<Vec<_>>());
        let paths = simulate_chain(&truth, 200_000, 20_240_601).unwrap();
        // A first-order world is also a higher-order one (each window's future depends on its last channel only),
        // so orders 2 and 3 must recover the same truth, with more states to estimate.
        for order in 1..=3 {
            let fit = markov(&paths, order).unwrap();
            check_against_truth(&fit, &truth, &true_shares, &true_value_shares);
        }
    }

    fn check_against_truth(fit: &MarkovFit, truth: &FirstOrderChain, true_shares: &[f64], true_value_shares: &[f64]) {
        for (i, name) in truth.channels.iter().enumerate() {
            let c = channel(fit, name);
            let err = (c.share - true_shares[i]).abs();
            assert!(
                err < 0.005,
                "order {}, {name}: fitted share {:.4}, true {:.4}",
                fit.order,
                c.share,
                true_shares[i]
            );
            let value_share = c.value / fit.result.total_value;
            assert!(
                (value_share - true_value_shares[i]).abs() < 0.005,
                "{name}: fitted value share {value_share:.4}, true {:.4}",
                true_value_shares[i]
            );
        }
    }

    /// Draws journeys from a fitted chain as ChannelAttribution does and counts how often converting journeys
    /// visit each channel: an estimate of the removal effects that shares no code with the solver.
    fn monte_carlo_removal(chain: &AbsorbingChain, journeys: usize, seed: u64) -> (Vec<f64>, f64) {
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
        let mut u = move || (rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64;
        let mut visits = vec![0usize; chain.channels];
        let mut conversions = 0usize;
        let mut seen = vec![false; chain.channels];
        for _ in 0..journeys {
            seen.iter_mut().for_each(|s| *s = false);
            let mut r = u();
            let mut at = None;
            for &(s, p) in &chain.start {
                if r < p {
                    at = Some(s as usize);
                    break;
                }
                r -= p;
            }
            let converted = loop {
                let Some(s) = at else { break false };
                chain.keys[s].channels().for_each(|c| seen[usize::from(c)] = true);
                let mut r = u();
                at = None;
                for e in chain.row_ptr[s]..chain.row_ptr[s + 1] {
                    if r < chain.prob[e] {
                        at = Some(chain.col[e] as usize);
                        break;
                    }
                    r -= chain.prob[e];
                }
                if at.is_none() {
                    break r < chain.rhs[s][0];
                }
            };
            if converted {
                conversions += 1;
                seen.iter().enumerate().filter(|(_, &s)| s).for_each(|(c, _)| visits[c] += 1);
            }
        }
        let n = conversions.max(1) as f64;
        (visits.iter().map(|&v| v as f64 / n).collect(), conversions as f64)
    }

    #[test]
    fn fixture_file_fits_for_every_order_and_agrees_with_simulation() {
        let paths = fixture_paths();
        assert_eq!(paths.channels.len(), 10);
        let total = paths.total_conversions();
        assert_eq!(total, 1_489.0);
        for order in 1..=4u8 {
            let fit = markov(&paths, order).unwrap();
            let r = &fit.result;
            assert_eq!(r.channels.len(), 10);
            let conv: f64 = r.channels.iter().map(|c| c.conversions).sum();
            let value: f64 = r.channels.iter().map(|c| c.value).sum();
            let share: f64 = r.channels.iter().map(|c| c.share).sum();
            assert!((conv - total).abs() < 1e-9 * total, "order {order}: {conv}");
            assert!((value - paths.total_value()).abs() < 1e-9 * paths.total_value());
            assert!((share - 1.0).abs() < 1e-12);
            // The solver's removal effects against ChannelAttribution's estimator (share of simulated converting
            // journeys that visit the channel): 1M journeys give ~74k conversions, so a standard error of at
            // most 0.19 points; 1 point is over 5 standard errors.
            let chain = AbsorbingChain::fit(&paths, order).unwrap();
            let (estimate, conversions) = monte_carlo_removal(&chain, 1_000_000, u64::from(order));
            assert!(conversions > 65_000.0, "order {order}: {conversions} simulated conversions");
            for (c, name) in paths.channels.iter().enumerate() {
                let exact = fit.removal_effects[c];
                assert!(
                    (estimate[c] - exact).abs() < 0.01,
                    "order {order} {name}: simulated {} exact {exact}",
                    estimate[c]
                );
            }
        }
    }

    #[test]
    fn results_are_byte_identical_for_the_same_paths_whatever_the_threads() {
        let paths = fixture_paths();
        let pool = rayon::ThreadPoolBuilder::new().num_threads(1).build().unwrap();
        for order in 1..=4u8 {
            let a = serde_json::to_string(&markov(&paths, order).unwrap().result).unwrap();
            let b = serde_json::to_string(&markov(&paths, order).unwrap().result).unwrap();
            let c = pool.install(|| serde_json::to_string(&markov(&paths, order).unwrap().result).unwrap());
            assert_eq!(a, b, "order {order}");
            assert_eq!(a, c, "order {order}");
        }
    }

    #[test]
    fn row_order_does_not_matter_when_sums_are_exact() {
        // With whole counts and values every sum is exact, so the states, their numbering and the solves do not
        // depend on the order of the rows. (Fractional values are summed in row order, which can move the last
        // bit of a value credit.)
        let mut paths = fixture_paths();
        paths.rows.iter_mut().for_each(|r| r.value = r.value.round());
        let mut shuffled = paths.clone();
        shuffled.rows.reverse();
        let n = shuffled.rows.len();
        for i in (0..n).step_by(7) {
            shuffled.rows.swap(i, (i * 31 + 5) % n);
        }
        for order in 1..=4u8 {
            let a = serde_json::to_string(&markov(&paths, order).unwrap().result).unwrap();
            let b = serde_json::to_string(&markov(&shuffled, order).unwrap().result).unwrap();
            assert_eq!(a, b, "order {order}");
        }
    }

    #[test]
    fn errors() {
        let p = hand_set();
        assert_eq!(markov(&p, 0).unwrap_err(), AnalyticsError::MarkovOrder { order: 0 });
        assert_eq!(markov(&p, 5).unwrap_err(), AnalyticsError::MarkovOrder { order: 5 });
        assert_eq!(markov(&PathSet::default(), 1).unwrap_err(), AnalyticsError::NoPaths { model: "markov" });
        let nothing = set(&[("A > B", 0.0, 0.0, 4.0)]);
        assert_eq!(markov(&nothing, 2).unwrap_err(), AnalyticsError::NoConversions { model: "markov" });
        let mut bad = hand_set();
        bad.rows[2].conversions = -1.0;
        assert!(matches!(markov(&bad, 1).unwrap_err(), AnalyticsError::InvalidPathRow { row: 2, .. }));
    }

    /// Dense reference: absorption from the start with the states holding `removed` taken out (their in-
    /// transitions go to null), by Gaussian elimination with partial pivoting on (I - P) x = b.
    fn dense_from_start(chain: &AbsorbingChain, removed: Option<ChannelId>, column: usize) -> f64 {
        let keep: Vec<usize> =
            (0..chain.states()).filter(|&s| removed.is_none_or(|c| !chain.keys[s].contains(c))).collect();
        let index = |s: usize| keep.iter().position(|&k| k == s);
        let m = keep.len();
        let mut a = vec![vec![0.0; m + 1]; m];
        for (i, &s) in keep.iter().enumerate() {
            a[i][i] = 1.0 / chain.stay[s];
            for e in chain.row_ptr[s]..chain.row_ptr[s + 1] {
                if let Some(j) = index(chain.col[e] as usize) {
                    a[i][j] -= chain.prob[e];
                }
            }
            a[i][m] = chain.rhs[s][column];
        }
        for k in 0..m {
            let p = (k..m).max_by(|&x, &y| a[x][k].abs().total_cmp(&a[y][k].abs())).unwrap();
            a.swap(k, p);
            let pivot = a[k].clone();
            for row in a.iter_mut().skip(k + 1) {
                let f = row[k] / pivot[k];
                for (x, p) in row.iter_mut().zip(&pivot).skip(k) {
                    *x -= f * p;
                }
            }
        }
        let mut x = vec![0.0; m];
        for i in (0..m).rev() {
            let s: f64 = (i + 1..m).map(|j| a[i][j] * x[j]).sum();
            x[i] = (a[i][m] - s) / a[i][i];
        }
        let base = if column == 0 { chain.start_conversion } else { chain.start_value };
        base + chain.start.iter().filter_map(|&(s, p)| index(s as usize).map(|i| p * x[i])).sum::<f64>()
    }

    fn small_path_sets() -> impl Strategy<Value = PathSet> {
        let row = (proptest::collection::vec(0u16..5, 1..7), 0u32..4, 0u32..6, 1u32..100);
        proptest::collection::vec(row, 1..25).prop_map(|rows| {
            let rows: Vec<PathRow> = rows
                .into_iter()
                .map(|(channels, conv, nulls, unit)| PathRow {
                    channels,
                    conversions: f64::from(conv),
                    value: f64::from(conv * unit),
                    nulls: f64::from(nulls),
                })
                .collect();
            // A sixth channel that only ever ends journeys that do not convert.
            let mut rows = rows;
            rows.push(PathRow { channels: vec![0, 5], conversions: 0.0, value: 0.0, nulls: 3.0 });
            rows.push(PathRow { channels: vec![5], conversions: 0.0, value: 0.0, nulls: 1.0 });
            rows.push(PathRow { channels: vec![1, 2, 5], conversions: 0.0, value: 0.0, nulls: 2.0 });
            PathSet { channels: ["a", "b", "c", "d", "e", "z"].map(String::from).to_vec(), rows }
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(96))]
        #[test]
        fn invariants_hold_on_random_paths(paths in small_path_sets(), order in 1u8..=4) {
            let total = paths.total_conversions();
            prop_assume!(total > 0.0);
            let fit = markov(&paths, order).unwrap();
            let r = &fit.result;
            let sum = |f: fn(&ChannelShare) -> f64| r.channels.iter().map(f).sum::<f64>();
            prop_assert!((sum(|c| c.share) - 1.0).abs() < 1e-12);
            prop_assert!((sum(|c| c.conversions) - total).abs() < 1e-9 * total);
            prop_assert!((sum(|c| c.value) - paths.total_value()).abs() < 1e-9 * paths.total_value());
            for c in &r.channels {
                let re = c.removal_effect.unwrap();
                prop_assert!((0.0..=1.0).contains(&re) && (0.0..=1.0).contains(&c.share));
            }
            // Every converting journey of the chain visits at least one channel.
            prop_assert!(fit.removal_effects.iter().sum::<f64>() >= 1.0 - 1e-12);
            // The channel that only ends non-converting journeys gets nothing, whatever the order.
            prop_assert_eq!(fit.removal_effects[5], 0.0);
            prop_assert_eq!(r.channels[5].conversions, 0.0);
            // Against the dense reference solve of the redirected chain: RE = 1 - P(without c) / P.
            let chain = AbsorbingChain::fit(&paths, order).unwrap();
            let p = dense_from_start(&chain, None, 0);
            let v = dense_from_start(&chain, None, 1);
            prop_assert!((fit.conversion_probability - p).abs() < 1e-12);
            for c in 0..6u16 {
                let re = 1.0 - dense_from_start(&chain, Some(c), 0) / p;
                let vre = 1.0 - dense_from_start(&chain, Some(c), 1) / v;
                let i = usize::from(c);
                let (fitted, fitted_value) = (fit.removal_effects[i], fit.value_removal_effects[i]);
                prop_assert!((fitted - re).abs() < 1e-10, "channel {c}: {fitted} vs {re}");
                prop_assert!((fitted_value - vre).abs() < 1e-10, "channel {c}: {fitted_value} vs {vre}");
            }
        }

        #[test]
        fn renaming_channels_permutes_the_result(paths in small_path_sets(), order in 1u8..=3) {
            prop_assume!(paths.total_conversions() > 0.0);
            let mut renamed = paths.clone();
            renamed.channels = ["f", "e", "d", "c", "b", "a"].map(String::from).to_vec();
            let a = markov(&paths, order).unwrap();
            let b = markov(&renamed, order).unwrap();
            for c in 0..6 {
                prop_assert!((a.removal_effects[c] - b.removal_effects[c]).abs() < 1e-12);
                let (x, y) = (&a.result.channels[c], &b.result.channels[5 - c]);
                prop_assert!((x.share - y.share).abs() < 1e-12);
            }
        }
    }
}
