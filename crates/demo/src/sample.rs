//! The few distributions the model draws from, with the edge cases (zero rates, p outside [0, 1]) made total.

use rand::Rng;
use rand_distr::{Binomial, Distribution, Gamma, Poisson, StandardNormal};

/// Poisson(`lambda`); 0 when `lambda` is not positive.
pub(crate) fn poisson<R: Rng>(rng: &mut R, lambda: f64) -> u64 {
    if lambda.is_nan() || lambda <= 0.0 {
        return 0;
    }
    Poisson::new(lambda).map(|d| d.sample(rng) as u64).unwrap_or(0)
}

/// Binomial(`n`, `p`) with `p` clamped to [0, 1].
pub(crate) fn binomial<R: Rng>(rng: &mut R, n: u64, p: f64) -> u64 {
    if n == 0 || p.is_nan() || p <= 0.0 {
        return 0;
    }
    if p >= 1.0 {
        return n;
    }
    Binomial::new(n, p).map(|d| d.sample(rng)).unwrap_or(0)
}

/// A standard normal draw.
pub(crate) fn normal<R: Rng>(rng: &mut R) -> f64 {
    StandardNormal.sample(rng)
}

/// LogNormal with the given median: `median · exp(sigma · N(0, 1))`.
pub(crate) fn lognormal<R: Rng>(rng: &mut R, median: f64, sigma: f64) -> f64 {
    median * (sigma * normal(rng)).exp()
}

/// LogNormal with mean 1: `exp(sigma · N(0, 1) - sigma² / 2)`.
pub(crate) fn mean_one_lognormal<R: Rng>(rng: &mut R, sigma: f64) -> f64 {
    (sigma * normal(rng) - sigma * sigma / 2.0).exp()
}

/// Gamma with mean 1 and coefficient of variation `1 / sqrt(shape)`.
pub(crate) fn mean_one_gamma<R: Rng>(rng: &mut R, shape: f64) -> f64 {
    Gamma::new(shape, 1.0 / shape).map(|d| d.sample(rng)).unwrap_or(1.0)
}

/// True with probability `p`.
pub(crate) fn chance<R: Rng>(rng: &mut R, p: f64) -> bool {
    rng.gen::<f64>() < p
}

/// An index drawn with probability proportional to `weights` (the last index if all weights are zero).
pub(crate) fn weighted<R: Rng>(rng: &mut R, weights: &[f64]) -> usize {
    let total: f64 = weights.iter().sum();
    let mut x = rng.gen::<f64>() * total;
    for (i, w) in weights.iter().enumerate() {
        if x < *w {
            return i;
        }
        x -= w;
    }
    weights.len().saturating_sub(1)
}

/// Splits `total` over `weights` as a multinomial draw (sequential binomials).
pub(crate) fn multinomial<R: Rng>(rng: &mut R, total: u64, weights: &[f64]) -> Vec<u64> {
    let mut left = total;
    let mut mass: f64 = weights.iter().sum();
    let mut out = Vec::with_capacity(weights.len());
    for (i, w) in weights.iter().enumerate() {
        let n = if i + 1 == weights.len() {
            left
        } else if mass > 0.0 {
            binomial(rng, left, w / mass)
        } else {
            0
        };
        out.push(n);
        left -= n;
        mass -= w;
    }
    out
}

/// An index `i` with `cdf[i-1] <= u · total < cdf[i]`, for a non-decreasing cumulative array.
pub(crate) fn from_cdf<R: Rng>(rng: &mut R, cdf: &[f64]) -> usize {
    let total = cdf.last().copied().unwrap_or(0.0);
    let x = rng.gen::<f64>() * total;
    cdf.partition_point(|c| *c <= x).min(cdf.len().saturating_sub(1))
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;

    #[test]
    fn multinomial_keeps_the_total() {
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        for total in [0, 1, 17, 10_000] {
            let parts = multinomial(&mut rng, total, &[0.5, 0.0, 0.3, 0.2]);
            assert_eq!(parts.iter().sum::<u64>(), total);
            assert_eq!(parts[1], 0);
        }
    }

    #[test]
    fn from_cdf_never_picks_zero_mass_days() {
        let mut rng = ChaCha8Rng::seed_from_u64(2);
        let cdf = [0.0, 1.0, 1.0, 3.0];
        for _ in 0..1000 {
            let i = from_cdf(&mut rng, &cdf);
            assert!(i == 1 || i == 3, "{i}");
        }
    }

    #[test]
    fn zero_rates_are_total() {
        let mut rng = ChaCha8Rng::seed_from_u64(3);
        assert_eq!(poisson(&mut rng, 0.0), 0);
        assert_eq!(binomial(&mut rng, 10, 1.5), 10);
        assert_eq!(binomial(&mut rng, 10, -0.1), 0);
    }
}
