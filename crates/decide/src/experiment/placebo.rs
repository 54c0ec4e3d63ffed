//! The noise of an experiment's estimate, measured on the company's own history: the design's estimator is run
//! on every stretch of past weeks as long as the experiment, where nothing was switched (placebo in time). Its
//! spread is what the estimate would scatter by without any effect, with the outcome's real autocorrelation
//! and outliers, not an assumed white noise.

use crate::stats::variance_and_lag1;
use serde::Serialize;

/// Fewest placebo windows for a measured spread; below it the spread is computed from the residuals' variance
/// and lag-1 autocorrelation instead (and the plan says so).
pub const MIN_WINDOWS: usize = 12;

/// How the spread of the estimate without effect was found.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum NullMethod {
    /// The estimator on past stretches of the same length.
    PlaceboInTime,
    /// Too little history for that: residual variance, inflated for lag-1 autocorrelation.
    Ar1,
}

/// The estimate's distribution without any effect.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Null {
    /// Standard deviation of the estimate (root mean square of the placebo estimates around zero).
    pub sd: f64,
    pub method: NullMethod,
    /// Placebo windows used (0 for [`NullMethod::Ar1`]).
    pub windows: usize,
    #[serde(skip)]
    pub placebos: Vec<f64>,
}

impl Null {
    /// Two-sided p-value of `estimate` against the placebo estimates (with the usual +1 so it is never 0);
    /// `None` without placebos.
    pub fn p_value(&self, estimate: f64) -> Option<f64> {
        if self.placebos.is_empty() {
            return None;
        }
        let beyond = self.placebos.iter().filter(|p| p.abs() >= estimate.abs()).count();
        Some((beyond + 1) as f64 / (self.placebos.len() + 1) as f64)
    }
}

/// The null of `estimator` (which maps the index and residuals of a stretch to an estimate, or `None`) over
/// `stretches`: the history's stretches as long as the experiment, each with residuals of a baseline that did
/// not see it ([`crate::experiment::baseline::Baseline::left_out_stretches`]). With fewer than [`MIN_WINDOWS`] of them,
/// `ar1_fallback` gives the spread from the variance and lag-1 autocorrelation of `residuals` (all history).
pub fn null_of(
    stretches: &[Vec<f64>],
    residuals: &[f64],
    estimator: impl Fn(usize, &[f64]) -> Option<f64>,
    ar1_fallback: impl Fn(f64, f64) -> f64,
) -> Null {
    if stretches.len() >= MIN_WINDOWS {
        let placebos: Vec<f64> = stretches
            .iter()
            .enumerate()
            .filter_map(|(s, stretch)| estimator(s, stretch))
            .filter(|v| v.is_finite())
            .collect();
        if placebos.len() >= MIN_WINDOWS {
            let sd = (placebos.iter().map(|p| p * p).sum::<f64>() / placebos.len() as f64).sqrt();
            return Null { sd, method: NullMethod::PlaceboInTime, windows: placebos.len(), placebos };
        }
    }
    let (var, rho) = variance_and_lag1(residuals);
    Null { sd: ar1_fallback(var, rho), method: NullMethod::Ar1, windows: 0, placebos: Vec::new() }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;
    use rand_distr::{Distribution, Normal};

    #[test]
    fn the_placebo_spread_of_a_mean_difference_matches_white_noise_theory() {
        let mut rng = ChaCha8Rng::seed_from_u64(3);
        let noise = Normal::new(0.0, 2.0).unwrap();
        let r: Vec<f64> = (0..4000).map(|_| noise.sample(&mut rng)).collect();
        let stretches: Vec<Vec<f64>> = r.windows(20).map(|w| w.to_vec()).collect();
        // Estimator: first half minus second half of a 20-week stretch; sd = 2 x sqrt(1/10 + 1/10).
        let null = null_of(
            &stretches,
            &r,
            |_, w| Some(w[..10].iter().sum::<f64>() / 10.0 - w[10..].iter().sum::<f64>() / 10.0),
            |_, _| f64::NAN,
        );
        assert_eq!(null.method, NullMethod::PlaceboInTime);
        let theory = 2.0 * (0.2_f64).sqrt();
        assert!((null.sd - theory).abs() < 0.06 * theory, "{} vs {theory}", null.sd);
        assert!(null.p_value(0.0).unwrap() > 0.99);
        assert!(null.p_value(10.0 * theory).unwrap() < 0.001);
    }

    #[test]
    fn short_histories_fall_back_to_the_ar1_formula() {
        let r = [1.0, -1.0, 2.0, 0.5, -0.3, 0.2, 1.1, -2.0, 0.0, 0.4];
        let stretches: Vec<Vec<f64>> = r.windows(8).map(|w| w.to_vec()).collect();
        let null = null_of(&stretches, &r, |_, _| Some(1.0), |var, rho| var.sqrt() * (1.0 + rho));
        assert_eq!(null.method, NullMethod::Ar1);
        assert_eq!(null.windows, 0);
        assert!(null.p_value(1.0).is_none());
    }
}
