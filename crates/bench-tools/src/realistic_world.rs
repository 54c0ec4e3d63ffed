//! A realistic random world for the agreement test: B2B journeys over ten channels drawn from a seeded random
//! second-order chain (the next touch, the chance to convert and the chance to stop depend on the last two
//! touches), so Markov models of order 1, 2 and 3 all give different answers and none is exactly right.
//!
//! There is no truth to compare with here: the file is only read by both ChannelAttribution and socialledger,
//! whose answers must agree. The chain's randomness comes from `world_seed` and the journeys' from the
//! journey seed, so the same world can be sampled at 100k, 1M and 10M journeys.

use crate::rng::{cumulative, Rng};
use socialledger_analytics::attribution::paths::{ChannelId, PathRow, PathSet};
use std::collections::HashMap;

/// Journeys longer than this are cut and counted as not converted (every state stops at least 20 % of the time,
/// so one journey in 0.8^39, about 1 in 6000, gets there; it keeps the files' longest paths realistic).
pub const MAX_TOUCHES: usize = 40;

/// Channels (sorted by name), how often each is touched relative to the others, how much a touch on it raises
/// the chance to convert next, and the mean value of a deal whose last touch it is.
const CHANNELS: [(&str, f64, f64, f64); 10] = [
    ("direct", 1.2, 2.5, 22_000.0),
    ("events", 0.3, 2.0, 40_000.0),
    ("facebook", 1.0, 0.6, 9_000.0),
    ("instagram", 0.8, 0.5, 8_000.0),
    ("linkedin", 3.0, 1.3, 30_000.0),
    ("newsletter", 1.5, 1.3, 18_000.0),
    ("organic_search", 1.5, 2.0, 20_000.0),
    ("paid_search", 1.0, 1.5, 15_000.0),
    ("x", 1.5, 0.7, 11_000.0),
    ("youtube", 0.7, 0.6, 10_000.0),
];

/// A random second-order chain over [`CHANNELS`]. State `(a, b)` means the last two touches were a then b, with
/// `NONE` standing for "no touch yet"; a journey starts in `(NONE, NONE)`.
pub struct World {
    /// Per state: cumulative probabilities of the next channel (the n channels), then of converting; above the
    /// last entry the journey stops without conversion.
    rows: Vec<Vec<f64>>,
}

/// The "no touch yet" slot of a state.
const NONE: usize = CHANNELS.len();

fn state(a: usize, b: usize) -> usize {
    a * (NONE + 1) + b
}

impl World {
    /// Draws the chain from `world_seed`: each state's next-touch weights are the channels' popularity times an
    /// exponential draw (times 2 for repeating the last channel, 1.5 for the one before); it stops with
    /// probability 20-40 % and converts with 1.5 % times the conversion lifts of its two touches times a draw in
    /// [0.5, 1.5], capped at 25 %.
    pub fn new(world_seed: u64) -> World {
        let mut rng = Rng::new(world_seed);
        let n = CHANNELS.len();
        let mut rows = vec![Vec::new(); (NONE + 1) * (NONE + 1)];
        for a in 0..=NONE {
            for b in 0..=NONE {
                // (x, NONE) with x a channel cannot happen; keep the row anyway, it is never used.
                let mut weights: Vec<f64> = (0..n)
                    .map(|c| {
                        let repeat = if c == b {
                            2.0
                        } else if c == a {
                            1.5
                        } else {
                            1.0
                        };
                        CHANNELS[c].1 * repeat * -(1.0 - rng.uniform()).ln()
                    })
                    .collect();
                let lift = |slot: usize| if slot == NONE { 1.0 } else { CHANNELS[slot].2 };
                let (stop, convert) = if b == NONE {
                    (0.0, 0.0)
                } else {
                    let stop = 0.2 + 0.2 * rng.uniform();
                    let convert = (0.015 * lift(a) * lift(b) * (0.5 + rng.uniform())).min(0.25);
                    (stop, convert)
                };
                let total: f64 = weights.iter().sum();
                let move_on = 1.0 - stop - convert;
                for w in &mut weights {
                    *w *= move_on / total;
                }
                weights.push(convert);
                rows[state(a, b)] = cumulative(weights);
            }
        }
        World { rows }
    }

    /// Draws `journeys` journeys with the journey seed `seed` and aggregates them by path (rows sorted by path).
    /// A conversion's value is its last channel's mean value times a draw in [0.25, 1.75], rounded to cents.
    pub fn simulate(&self, journeys: u64, seed: u64) -> PathSet {
        let n = CHANNELS.len();
        let mut rng = Rng::new(seed);
        let mut paths: HashMap<Vec<ChannelId>, [f64; 3]> = HashMap::new();
        let mut path: Vec<ChannelId> = Vec::new();
        for _ in 0..journeys {
            path.clear();
            let (mut a, mut b) = (NONE, NONE);
            let mut converted = false;
            while path.len() < MAX_TOUCHES {
                match rng.pick(&self.rows[state(a, b)]) {
                    Some(next) if next < n => {
                        path.push(next as ChannelId);
                        (a, b) = (b, next);
                    }
                    Some(_) => {
                        converted = true;
                        break;
                    }
                    None => break,
                }
            }
            // The start state never stops nor converts, so every journey has at least one touch.
            let outcome = paths.entry(path.clone()).or_insert([0.0; 3]);
            if converted {
                outcome[0] += 1.0;
                outcome[1] += (CHANNELS[b].3 * (0.25 + 1.5 * rng.uniform()) * 100.0).round() / 100.0;
            } else {
                outcome[2] += 1.0;
            }
        }
        let mut rows: Vec<PathRow> = paths
            .into_iter()
            .map(|(channels, [conversions, value, nulls])| PathRow { channels, conversions, value, nulls })
            .collect();
        rows.sort_by(|x, y| x.channels.cmp(&y.channels));
        PathSet { channels: CHANNELS.iter().map(|c| c.0.to_string()).collect(), rows }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn channels_are_in_name_order() {
        assert!(CHANNELS.windows(2).all(|w| w[0].0 < w[1].0));
    }

    #[test]
    fn journeys_are_seeded_non_empty_and_convert_at_a_b2b_rate() {
        let world = World::new(11);
        let set = world.simulate(50_000, 1);
        assert_eq!(set, World::new(11).simulate(50_000, 1));
        assert_ne!(set, world.simulate(50_000, 2));
        assert_eq!(set.total_journeys(), 50_000.0);
        assert!(set.rows.iter().all(|r| !r.channels.is_empty() && r.channels.len() <= MAX_TOUCHES));
        let rate = set.total_conversions() / set.total_journeys();
        assert!((0.02..0.15).contains(&rate), "{rate}");
        let touches: f64 = set.rows.iter().map(|r| r.channels.len() as f64 * (r.conversions + r.nulls)).sum();
        let mean = touches / 50_000.0;
        assert!((2.5..5.5).contains(&mean), "{mean}");
    }

    /// `data/attribution/realistic_paths.csv`, the path fixture of the Markov tests, is this world's output for
    /// the command in `data/attribution/README.md`, byte for byte.
    #[test]
    fn the_committed_path_fixture_is_this_worlds_output() {
        let file = concat!(env!("CARGO_MANIFEST_DIR"), "/../../data/attribution/realistic_paths.csv");
        let committed = std::fs::read(file).unwrap_or_else(|e| panic!("{file}: {e}"));
        let mut written = Vec::new();
        crate::pathfile::write_to(&World::new(2024).simulate(20_000, 1), &mut written).unwrap();
        assert!(
            written == committed,
            "{file} is not the generator's output: regenerate it with the command in data/attribution/README.md"
        );
    }

    #[test]
    fn the_next_touch_depends_on_the_touch_before_last() {
        // Second order: after linkedin, the chance that the next touch is x differs with what came before.
        let world = World::new(11);
        let li = 4;
        let x = 8;
        let p = |a: usize| {
            let row = &world.rows[state(a, li)];
            row[x] - row[x - 1]
        };
        let ps: Vec<f64> = (0..CHANNELS.len()).map(p).collect();
        let (lo, hi) = ps.iter().fold((1.0f64, 0.0f64), |(lo, hi), &v| (lo.min(v), hi.max(v)));
        assert!(hi > 1.5 * lo, "{ps:?}");
    }
}
