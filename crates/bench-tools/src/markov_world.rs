//! The first-order Markov world: journeys drawn from a known absorbing chain over six channels, so that a fitted
//! first-order model can be checked against the chain's exact removal effects.
//!
//! The chain is written beside the path file as JSON (`*.chain.json`); benches/attribution/markov_truth.py
//! computes the exact removal effects from it with numpy, independently of our solver. The simulator here is
//! also our own, separate from the analytics crate's, so the check does not lean on the code it checks.

use crate::rng::{cumulative, Rng};
use serde::Serialize;
use socialledger_analytics::attribution::paths::{ChannelId, PathRow, PathSet};
use std::collections::HashMap;

/// Journeys longer than this are cut and counted as not converted. Every row of the reference chain ends the
/// journey with probability >= 0.32, so a journey reaches it with probability below 0.68^199: never.
pub const MAX_TOUCHES: usize = 200;

/// A first-order absorbing chain: where journeys start, which channel follows which, and when a journey converts
/// (with what value); the rest of each row ends the journey without conversion.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Chain {
    /// Channel names, sorted (so ids equal positions and the path file's channel ids follow name order).
    pub channels: Vec<String>,
    /// `start[c]`: probability that the first touch is c (sums to 1).
    pub start: Vec<f64>,
    /// `transitions[c][d]`: probability that d is touched right after c (c == d is a repeat touch).
    pub transitions: Vec<Vec<f64>>,
    /// `conversion[c]`: probability that the journey converts right after touching c.
    pub conversion: Vec<f64>,
    /// `value[c]`: value of a conversion whose last touch is c (currency units).
    pub value: Vec<f64>,
}

/// The reference chain: LinkedIn and the newsletter convert best and feed each other; Facebook, Instagram and
/// YouTube mostly lead to other touches; X sits between. Per touch, 32-42 % of journeys end without conversion
/// and 2-10 % convert, so journeys are 2.7 touches long on average and about 10 % convert.
pub fn reference() -> Chain {
    let names = ["facebook", "instagram", "linkedin", "newsletter", "x", "youtube"];
    // Rows: from; columns: to facebook, instagram, linkedin, newsletter, x, youtube.
    let transitions = vec![
        vec![0.10, 0.15, 0.15, 0.05, 0.10, 0.10],
        vec![0.15, 0.10, 0.10, 0.05, 0.05, 0.15],
        vec![0.05, 0.03, 0.20, 0.20, 0.07, 0.05],
        vec![0.02, 0.02, 0.25, 0.10, 0.05, 0.06],
        vec![0.08, 0.05, 0.20, 0.07, 0.15, 0.10],
        vec![0.10, 0.10, 0.10, 0.05, 0.05, 0.15],
    ];
    Chain {
        channels: names.iter().map(|s| s.to_string()).collect(),
        start: vec![0.15, 0.10, 0.35, 0.10, 0.20, 0.10],
        transitions,
        conversion: vec![0.02, 0.02, 0.08, 0.10, 0.03, 0.03],
        value: vec![8_000.0, 6_000.0, 30_000.0, 20_000.0, 12_000.0, 9_000.0],
    }
}

/// Draws `journeys` journeys from `chain` and aggregates them by path (rows sorted by path).
pub fn simulate(chain: &Chain, journeys: u64, seed: u64) -> PathSet {
    let n = chain.channels.len();
    let start = cumulative(chain.start.iter().copied());
    // Row c: the n transitions, then conversion; a draw above the last entry ends the journey (null).
    let rows: Vec<Vec<f64>> =
        (0..n).map(|c| cumulative(chain.transitions[c].iter().copied().chain([chain.conversion[c]]))).collect();
    let mut rng = Rng::new(seed);
    let mut paths: HashMap<Vec<ChannelId>, [f64; 3]> = HashMap::new();
    let mut path: Vec<ChannelId> = Vec::new();
    for _ in 0..journeys {
        path.clear();
        // Rounding can leave the start probabilities a hair under 1: such a draw starts at the last channel.
        let mut at = rng.pick(&start).unwrap_or(n - 1);
        let mut converted = false;
        loop {
            path.push(at as ChannelId);
            if path.len() >= MAX_TOUCHES {
                break;
            }
            match rng.pick(&rows[at]) {
                Some(next) if next < n => at = next,
                Some(_) => {
                    converted = true;
                    break;
                }
                None => break,
            }
        }
        let outcome = paths.entry(path.clone()).or_insert([0.0; 3]);
        if converted {
            outcome[0] += 1.0;
            outcome[1] += chain.value[at];
        } else {
            outcome[2] += 1.0;
        }
    }
    let mut rows: Vec<PathRow> = paths
        .into_iter()
        .map(|(channels, [conversions, value, nulls])| PathRow { channels, conversions, value, nulls })
        .collect();
    rows.sort_by(|a, b| a.channels.cmp(&b.channels));
    PathSet { channels: chain.channels.clone(), rows }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_reference_chain_is_a_valid_sub_stochastic_chain_in_name_order() {
        let chain = reference();
        let mut sorted = chain.channels.clone();
        sorted.sort();
        assert_eq!(sorted, chain.channels);
        assert!((chain.start.iter().sum::<f64>() - 1.0).abs() < 1e-12);
        for (row, conversion) in chain.transitions.iter().zip(&chain.conversion) {
            let ends = 1.0 - row.iter().sum::<f64>() - conversion;
            assert!((0.32 - 1e-12..=0.42 + 1e-12).contains(&ends), "{ends}");
        }
    }

    #[test]
    fn simulated_journeys_follow_the_chain() {
        let chain = reference();
        let set = simulate(&chain, 200_000, 3);
        assert_eq!(set, simulate(&chain, 200_000, 3));
        assert_eq!(set.total_journeys(), 200_000.0);
        // First touches follow `start` (sd of each frequency <= 0.0011).
        for (c, want) in chain.start.iter().enumerate() {
            let first: f64 =
                set.rows.iter().filter(|r| usize::from(r.channels[0]) == c).map(|r| r.conversions + r.nulls).sum();
            assert!((first / 200_000.0 - want).abs() < 0.006, "{c}: {first}");
        }
        // A journey that ends right after its only LinkedIn touch converted with probability
        // P(li -> conversion) / (P(li -> conversion) + P(li -> null)) = 0.08 / 0.40 (about 28k trials, sd 0.0024).
        let li = set.rows.iter().find(|r| r.channels == [2]).unwrap();
        assert!((li.conversions / (li.conversions + li.nulls) - 0.2).abs() < 0.012);
        // A conversion carries the value of its last touch.
        for r in &set.rows {
            assert_eq!(r.value, r.conversions * chain.value[usize::from(*r.channels.last().unwrap())]);
        }
    }
}
