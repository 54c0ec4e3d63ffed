//! The one random source of the generators: ChaCha8 seeded from a `u64`, so the same seed writes the same file
//! on every machine.

use rand_chacha::rand_core::{RngCore, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// A seeded generator of uniform draws.
pub struct Rng(ChaCha8Rng);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(ChaCha8Rng::seed_from_u64(seed))
    }

    /// A uniform draw in `[0, 1)` with 53 random bits.
    pub fn uniform(&mut self) -> f64 {
        (self.0.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// The first index whose cumulative probability exceeds a uniform draw; `None` when the draw falls above the
    /// last entry (the remaining probability mass, e.g. "no further touch").
    pub fn pick(&mut self, cumulative: &[f64]) -> Option<usize> {
        let u = self.uniform();
        cumulative.iter().position(|&edge| u < edge)
    }
}

/// Running sums of `probabilities`, for [`Rng::pick`].
pub fn cumulative(probabilities: impl IntoIterator<Item = f64>) -> Vec<f64> {
    let mut acc = 0.0;
    probabilities
        .into_iter()
        .map(|p| {
            acc += p;
            acc
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn draws_are_seeded_uniform_and_picks_follow_the_weights() {
        let mut a = Rng::new(5);
        let mut b = Rng::new(5);
        let draws: Vec<f64> = (0..1000).map(|_| a.uniform()).collect();
        assert!(draws.iter().all(|&u| (0.0..1.0).contains(&u)));
        assert_eq!(draws, (0..1000).map(|_| b.uniform()).collect::<Vec<_>>());

        // 0.2 / 0.5 / rest 0.3 over 100k draws: sd of each frequency is at most 0.0016.
        let cum = cumulative([0.2, 0.5]);
        let mut counts = [0usize; 3];
        for _ in 0..100_000 {
            counts[a.pick(&cum).unwrap_or(2)] += 1;
        }
        for (count, want) in counts.iter().zip([0.2, 0.5, 0.3]) {
            assert!((*count as f64 / 100_000.0 - want).abs() < 0.008, "{counts:?}");
        }
    }
}
