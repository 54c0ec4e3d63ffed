//! The random sources of a world: ChaCha8 seeded from the world's `u64` seed, one stream per purpose, so that
//! changing one part of the generator (e.g. Hill instead of logistic saturation) leaves every other draw of the
//! same seed as it was: the same inputs, baseline, shares and noise.

use rand::Rng;
use rand_chacha::rand_core::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, Gamma, Poisson, StandardNormal};

/// What a stream is drawn for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Stream {
    /// Length, dates, which channels, their inputs and costs, baseline and controls.
    Layout = 0,
    /// True adstock and saturation parameters.
    Transforms = 1,
    /// Media's part of the outcome, the shares among channels, the target R^2.
    Effects = 2,
    /// The Gaussian noise of the outcome.
    Noise = 3,
}

/// A seeded generator with the few draws the worlds use.
pub(crate) struct WorldRng(ChaCha8Rng);

impl WorldRng {
    pub(crate) fn new(seed: u64, stream: Stream) -> WorldRng {
        let mut r = ChaCha8Rng::seed_from_u64(seed);
        r.set_stream(stream as u64);
        WorldRng(r)
    }

    /// Uniform on `[lo, hi)`.
    pub(crate) fn uniform(&mut self, (lo, hi): (f64, f64)) -> f64 {
        lo + (hi - lo) * self.0.gen::<f64>()
    }

    /// Uniform integer on `lo..=hi`.
    pub(crate) fn int(&mut self, lo: usize, hi: usize) -> usize {
        self.0.gen_range(lo..=hi)
    }

    pub(crate) fn chance(&mut self, p: f64) -> bool {
        self.0.gen::<f64>() < p
    }

    /// Standard normal draw.
    pub(crate) fn normal(&mut self) -> f64 {
        StandardNormal.sample(&mut self.0)
    }

    /// Poisson count with mean `rate > 0`.
    pub(crate) fn poisson(&mut self, rate: f64) -> usize {
        let p = Poisson::new(rate).expect("rates in the generator's ranges are positive");
        p.sample(&mut self.0) as usize
    }

    /// A draw from the symmetric Dirichlet distribution with `k` components and `concentration` (normalised
    /// Gamma(concentration, 1) draws).
    pub(crate) fn dirichlet(&mut self, k: usize, concentration: f64) -> Vec<f64> {
        let g = Gamma::new(concentration, 1.0).expect("the concentration is a positive constant");
        let mut v: Vec<f64> = (0..k).map(|_| g.sample(&mut self.0).max(1e-12)).collect();
        let s: f64 = v.iter().sum();
        for x in &mut v {
            *x /= s;
        }
        v
    }

    /// `k` distinct indices of `0..n` in increasing order (partial Fisher-Yates).
    pub(crate) fn choose(&mut self, n: usize, k: usize) -> Vec<usize> {
        let mut idx: Vec<usize> = (0..n).collect();
        for i in 0..k.min(n) {
            let j = self.0.gen_range(i..n);
            idx.swap(i, j);
        }
        let mut out = idx[..k.min(n)].to_vec();
        out.sort_unstable();
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn streams_are_seeded_and_independent() {
        let mut a = WorldRng::new(7, Stream::Layout);
        let mut b = WorldRng::new(7, Stream::Layout);
        let mut c = WorldRng::new(7, Stream::Noise);
        let xa: Vec<f64> = (0..50).map(|_| a.normal()).collect();
        let xb: Vec<f64> = (0..50).map(|_| b.normal()).collect();
        let xc: Vec<f64> = (0..50).map(|_| c.normal()).collect();
        assert_eq!(xa, xb);
        assert_ne!(xa, xc);
    }

    #[test]
    fn dirichlet_sums_to_one_and_choose_is_distinct() {
        let mut r = WorldRng::new(1, Stream::Effects);
        for k in 1..10 {
            let d = r.dirichlet(k, 2.0);
            assert!((d.iter().sum::<f64>() - 1.0).abs() < 1e-12);
            assert!(d.iter().all(|&x| x > 0.0));
            let c = r.choose(12, k);
            assert_eq!(c.len(), k);
            assert!(c.windows(2).all(|w| w[0] < w[1]) && c.iter().all(|&i| i < 12));
        }
    }
}
