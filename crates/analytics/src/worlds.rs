//! Simulated journey worlds whose causal truth is known exactly, to test attribution models against it.
//!
//! Not part of the product: a seeded, pure generator (ChaCha8, no I/O, no clock) shared by the tests of the
//! data-driven models and by benchmarks. See docs/attribution.md for the worlds and how each model errs on them.

use crate::attribution::bootstrap::{poisson, uniform};
use crate::attribution::paths::{ChannelId, DataDrivenResult, PathRow, PathSet};
use rand_chacha::rand_core::{RngCore, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::collections::BTreeMap;

/// A B2B world with hidden buying intent that confounds naive attribution.
///
/// Each journey belongs to an account that is *in market* (hidden intent) with probability `intent_share`.
/// Channel `c`'s touches are `Poisson(mean_touches)`, or `Poisson(mean_touches_in_market)` for accounts in
/// market; journeys without any touch are not observed (redrawn). The journey converts with probability
/// `1 − exp(−(base_hazard [+ intent_hazard if in market] + Σ_c hazard_c · ln(1 + n_c)))`, so intent raises both
/// the conversion probability and (through the means) the touches of the intent-signal channels, which have no
/// causal hazard. The touches are put in a uniformly random order. Converting journeys carry a value uniform in
/// `[0.5, 1.5] × value_per_conversion`.
#[derive(Clone, Debug, PartialEq)]
pub struct ConfoundedWorld {
    /// Journeys to simulate (observed ones, each with at least one touch).
    pub journeys: usize,
    /// Probability that a journey's account is in market.
    pub intent_share: f64,
    /// Hazard of every journey.
    pub base_hazard: f64,
    /// Hazard added when the account is in market.
    pub intent_hazard: f64,
    /// Mean conversion value.
    pub value_per_conversion: f64,
    pub channels: Vec<WorldChannel>,
}

/// One channel of a [`ConfoundedWorld`].
#[derive(Clone, Debug, PartialEq)]
pub struct WorldChannel {
    pub name: String,
    /// Mean touches per journey of an account not in market.
    pub mean_touches: f64,
    /// Mean touches per journey of an account in market.
    pub mean_touches_in_market: f64,
    /// True causal hazard per unit of `ln(1 + touches)`; 0 for channels that cause nothing.
    pub hazard: f64,
    /// An intent signal (its touches follow intent; it should get no credit).
    pub intent_signal: bool,
}

/// A simulated sample: the paths and the exact truth over the simulated journeys.
#[derive(Clone, Debug, PartialEq)]
pub struct WorldSample {
    pub paths: PathSet,
    /// Per channel (sorted by name): `Σ_journeys p(journey) − p(journey without the channel's touches)` under the
    /// TRUE model, each journey with its own hidden intent.
    pub true_incremental: Vec<(String, f64)>,
    /// Those incremental conversions as shares of their sum (0 for channels without causal effect).
    pub true_shares: Vec<(String, f64)>,
    /// The channels that are intent signals.
    pub intent_channels: Vec<String>,
}

impl WorldChannel {
    fn new(name: &str, mean: f64, in_market: f64, hazard: f64, intent_signal: bool) -> WorldChannel {
        WorldChannel {
            name: name.to_string(),
            mean_touches: mean,
            mean_touches_in_market: in_market,
            hazard,
            intent_signal,
        }
    }
}

impl ConfoundedWorld {
    /// The reference world: 8 channels. LinkedIn, the newsletter and events cause conversions; X, Facebook and
    /// YouTube are touched as often by everyone and cause nothing; `direct` and `organic_search` touches are
    /// three to four times as frequent for the 15 % of accounts in market and cause nothing either.
    pub fn b2b(journeys: usize) -> ConfoundedWorld {
        ConfoundedWorld {
            journeys,
            intent_share: 0.15,
            base_hazard: 0.01,
            intent_hazard: 0.5,
            value_per_conversion: 25_000.0,
            channels: vec![
                WorldChannel::new("linkedin", 1.2, 1.2, 0.06, false),
                WorldChannel::new("newsletter", 1.5, 1.5, 0.04, false),
                WorldChannel::new("events", 0.3, 0.3, 0.12, false),
                WorldChannel::new("x", 0.8, 0.8, 0.0, false),
                WorldChannel::new("facebook", 0.5, 0.5, 0.0, false),
                WorldChannel::new("youtube", 0.4, 0.4, 0.0, false),
                WorldChannel::new("direct", 0.6, 2.5, 0.0, true),
                WorldChannel::new("organic_search", 0.5, 2.0, 0.0, true),
            ],
        }
    }

    /// Simulates `self.journeys` journeys from `seed` and computes the truth over them.
    pub fn simulate(&self, seed: u64) -> WorldSample {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let mut order: Vec<usize> = (0..self.channels.len()).collect();
        order.sort_by(|&a, &b| self.channels[a].name.cmp(&self.channels[b].name));
        let names: Vec<String> = order.iter().map(|&i| self.channels[i].name.clone()).collect();
        let mut id = vec![0 as ChannelId; self.channels.len()];
        for (pos, &i) in order.iter().enumerate() {
            id[i] = pos as ChannelId;
        }

        let mut rows: BTreeMap<Vec<ChannelId>, (f64, f64, f64)> = BTreeMap::new();
        let mut incremental = vec![0.0; self.channels.len()];
        let mut counts = vec![0usize; self.channels.len()];
        let mut path: Vec<ChannelId> = Vec::new();
        for _ in 0..self.journeys {
            let in_market = uniform(&mut rng) < self.intent_share;
            loop {
                for (c, ch) in self.channels.iter().enumerate() {
                    let mean = if in_market { ch.mean_touches_in_market } else { ch.mean_touches };
                    counts[c] = poisson(&mut rng, mean) as usize;
                }
                if counts.iter().any(|&n| n > 0) {
                    break;
                }
            }
            let causal: Vec<f64> =
                self.channels.iter().zip(&counts).map(|(ch, &n)| ch.hazard * (n as f64).ln_1p()).collect();
            let eta = self.base_hazard + if in_market { self.intent_hazard } else { 0.0 } + causal.iter().sum::<f64>();
            let p = -(-eta).exp_m1();
            for (c, h) in causal.iter().enumerate() {
                if *h > 0.0 {
                    incremental[c] += p + (-(eta - h)).exp_m1();
                }
            }
            path.clear();
            for (c, &n) in counts.iter().enumerate() {
                path.extend(std::iter::repeat_n(id[c], n));
            }
            shuffle(&mut rng, &mut path);
            let converted = uniform(&mut rng) < p;
            let e = rows.entry(path.clone()).or_insert((0.0, 0.0, 0.0));
            if converted {
                e.0 += 1.0;
                e.1 += (self.value_per_conversion * (0.5 + uniform(&mut rng))).round();
            } else {
                e.2 += 1.0;
            }
        }

        let total: f64 = incremental.iter().sum();
        let by_name = |values: &[f64]| -> Vec<(String, f64)> {
            order.iter().map(|&i| (self.channels[i].name.clone(), values[i])).collect()
        };
        let shares: Vec<f64> = incremental.iter().map(|x| if total > 0.0 { x / total } else { 0.0 }).collect();
        WorldSample {
            paths: PathSet {
                channels: names,
                rows: rows
                    .into_iter()
                    .map(|(channels, (conversions, value, nulls))| PathRow { channels, conversions, value, nulls })
                    .collect(),
            },
            true_incremental: by_name(&incremental),
            true_shares: by_name(&shares),
            intent_channels: order
                .iter()
                .filter(|&&i| self.channels[i].intent_signal)
                .map(|&i| self.channels[i].name.clone())
                .collect(),
        }
    }
}

/// Mean absolute difference between a result's shares and the true shares, over the channels of `truth`
/// (a channel missing from the result counts with share 0). In share units: 0.03 is 3 percentage points.
pub fn mean_abs_share_error(result: &DataDrivenResult, truth: &[(String, f64)]) -> f64 {
    if truth.is_empty() {
        return 0.0;
    }
    let total: f64 = truth
        .iter()
        .map(|(channel, t)| {
            let share = result.channels.iter().find(|c| &c.channel == channel).map_or(0.0, |c| c.share);
            (share - t).abs()
        })
        .sum();
    total / truth.len() as f64
}

/// Fisher–Yates shuffle.
fn shuffle<R: RngCore, T>(rng: &mut R, items: &mut [T]) {
    for i in (1..items.len()).rev() {
        let j = (uniform(rng) * (i + 1) as f64) as usize;
        items.swap(i, j.min(i));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn simulation_is_seeded_and_the_truth_credits_only_causal_channels() {
        let world = ConfoundedWorld::b2b(20_000);
        let a = world.simulate(1);
        assert_eq!(a, world.simulate(1));
        assert_ne!(a.paths, world.simulate(2).paths);
        assert_eq!(a.paths.total_journeys(), 20_000.0);
        assert_eq!(
            a.paths.channels,
            ["direct", "events", "facebook", "linkedin", "newsletter", "organic_search", "x", "youtube"]
        );
        assert_eq!(a.intent_channels, ["direct", "organic_search"]);
        let share = |name: &str| a.true_shares.iter().find(|(c, _)| c == name).unwrap().1;
        for zero in ["direct", "organic_search", "x", "facebook", "youtube"] {
            assert_eq!(share(zero), 0.0);
        }
        assert!((a.true_shares.iter().map(|s| s.1).sum::<f64>() - 1.0).abs() < 1e-12);
        assert!(share("linkedin") > 0.0 && share("newsletter") > 0.0 && share("events") > 0.0);
    }

    #[test]
    fn intent_raises_both_conversion_and_intent_signal_touches() {
        // The confounding the world is for: journeys with direct touches convert more often, though direct
        // causes nothing.
        let s = ConfoundedWorld::b2b(50_000).simulate(3);
        let direct = s.paths.channels.iter().position(|c| c == "direct").unwrap() as ChannelId;
        let rate = |with: bool| {
            let rows = s.paths.rows.iter().filter(|r| r.channels.contains(&direct) == with);
            let (c, j) = rows.fold((0.0, 0.0), |(c, j), r| (c + r.conversions, j + r.conversions + r.nulls));
            c / j
        };
        assert!(rate(true) > 1.5 * rate(false), "{} vs {}", rate(true), rate(false));
    }
}
