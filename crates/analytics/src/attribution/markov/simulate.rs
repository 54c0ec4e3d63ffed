//! Simulated worlds where a first-order Markov chain is the truth: journeys are drawn from a known chain with a
//! seeded ChaCha generator, so a fitted model can be checked against exact removal effects.

use super::chain::AbsorbingChain;
use super::hasher::FxHashMap;
use crate::attribution::paths::{ChannelId, PathRow, PathSet};
use crate::AnalyticsError;
use rand_chacha::rand_core::{RngCore, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// Journeys longer than this are cut and counted as not converted; with any chain whose channels can be left,
/// that is so unlikely that it does not move a share.
pub const MAX_TOUCHES: usize = 10_000;

/// A first-order absorbing chain over named channels: where journeys start, where they go next, when they
/// convert (and for how much); the rest of each row ends the journey without conversion.
#[derive(Clone, Debug, PartialEq)]
pub struct FirstOrderChain {
    pub channels: Vec<String>,
    /// `start[c]`: probability that the first touch is c (sums to 1).
    pub start: Vec<f64>,
    /// `transitions[c][d]`: probability that d is touched right after c (c == d allowed: a repeat touch).
    pub transitions: Vec<Vec<f64>>,
    /// `conversion[c]`: probability that the journey converts right after touching c.
    pub conversion: Vec<f64>,
    /// `value[c]`: the value of a conversion whose last touch is c.
    pub value: Vec<f64>,
}

impl FirstOrderChain {
    /// The chain as an [`AbsorbingChain`] over one state per channel (in `channels` order), to compute its exact
    /// removal effects with [`super::removal_effects`].
    ///
    /// # Errors
    /// [`AnalyticsError::InvalidChain`] when the sizes disagree or a row's probabilities are not a
    /// sub-distribution.
    pub fn absorbing(&self) -> Result<AbsorbingChain, AnalyticsError> {
        if self.channels.len() != self.start.len() {
            return Err(AnalyticsError::InvalidChain {
                detail: format!("{} channel names for {} start probabilities", self.channels.len(), self.start.len()),
            });
        }
        AbsorbingChain::first_order(&self.start, &self.transitions, &self.conversion, &self.value)
    }
}

/// Draws `journeys` journeys from `chain` with ChaCha8 seeded by `seed` and aggregates them into a path set
/// (rows sorted by path, channel ids in name order). A journey converting after touch c carries `value[c]`.
///
/// # Errors
/// [`AnalyticsError::InvalidChain`] as for [`FirstOrderChain::absorbing`].
pub fn simulate_chain(chain: &FirstOrderChain, journeys: u64, seed: u64) -> Result<PathSet, AnalyticsError> {
    chain.absorbing()?;
    let c = chain.channels.len();
    let cumulative = |probs: &mut dyn Iterator<Item = f64>| -> Vec<f64> {
        let mut acc = 0.0;
        probs
            .map(|p| {
                acc += p;
                acc
            })
            .collect()
    };
    let start = cumulative(&mut chain.start.iter().copied());
    // Row c: the c transitions, then conversion; whatever is left above the last entry is null.
    let rows: Vec<Vec<f64>> = (0..c)
        .map(|from| {
            cumulative(&mut chain.transitions[from].iter().copied().chain(std::iter::once(chain.conversion[from])))
        })
        .collect();
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut uniform = move || (rng.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64);
    let pick = |cum: &[f64], u: f64| cum.iter().position(|&edge| u < edge);

    let mut paths: FxHashMap<Vec<ChannelId>, [f64; 3]> = FxHashMap::default();
    let mut path: Vec<ChannelId> = Vec::new();
    for _ in 0..journeys {
        path.clear();
        // Rounding can leave the start probabilities a hair under 1: a draw above them starts at the last channel.
        let mut at = pick(&start, uniform()).unwrap_or(c - 1);
        let mut converted = false;
        loop {
            path.push(at as ChannelId);
            if path.len() >= MAX_TOUCHES {
                break;
            }
            match pick(&rows[at], uniform()) {
                Some(next) if next < c => at = next,
                Some(_) => {
                    converted = true;
                    break;
                }
                None => break,
            }
        }
        let outcome = match paths.get_mut(path.as_slice()) {
            Some(o) => o,
            None => paths.entry(path.clone()).or_insert([0.0; 3]),
        };
        if converted {
            outcome[0] += 1.0;
            outcome[1] += chain.value[at];
        } else {
            outcome[2] += 1.0;
        }
    }
    let rows: Vec<PathRow> = paths
        .into_iter()
        .map(|(channels, [conversions, value, nulls])| PathRow { channels, conversions, value, nulls })
        .collect();
    let mut set = PathSet::from_interned(chain.channels.clone(), rows);
    set.rows.sort_by(|a, b| a.channels.cmp(&b.channels));
    Ok(set)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chain() -> FirstOrderChain {
        FirstOrderChain {
            channels: vec!["b".into(), "a".into()],
            start: vec![0.5, 0.5],
            transitions: vec![vec![0.2, 0.3], vec![0.4, 0.0]],
            conversion: vec![0.1, 0.3],
            value: vec![100.0, 10.0],
        }
    }

    #[test]
    fn same_seed_same_world() {
        let a = simulate_chain(&chain(), 5_000, 7).unwrap();
        let b = simulate_chain(&chain(), 5_000, 7).unwrap();
        let c = simulate_chain(&chain(), 5_000, 8).unwrap();
        assert_eq!(a, b);
        assert_ne!(a, c);
        assert_eq!(a.channels, vec!["a", "b"]);
        assert_eq!(a.total_journeys(), 5_000.0);
    }

    #[test]
    fn first_touch_frequencies_follow_the_chain() {
        let set = simulate_chain(&chain(), 100_000, 1).unwrap();
        // "b" is id 1 after renumbering by name; it starts half of the journeys (sd of the share 0.0016).
        let b_first: f64 = set.rows.iter().filter(|r| r.channels[0] == 1).map(|r| r.conversions + r.nulls).sum();
        assert!((b_first / 100_000.0 - 0.5).abs() < 0.01, "{b_first}");
        // Conversions after a carry 10, after b 100.
        for r in &set.rows {
            let last_value = if *r.channels.last().unwrap() == 0 { 10.0 } else { 100.0 };
            assert_eq!(r.value, r.conversions * last_value);
        }
    }

    #[test]
    fn invalid_chains_are_rejected() {
        let mut bad = chain();
        bad.transitions[0] = vec![0.9, 0.3];
        assert!(matches!(simulate_chain(&bad, 10, 1).unwrap_err(), AnalyticsError::InvalidChain { .. }));
        let mut bad = chain();
        bad.channels.pop();
        assert!(matches!(simulate_chain(&bad, 10, 1).unwrap_err(), AnalyticsError::InvalidChain { .. }));
    }
}
