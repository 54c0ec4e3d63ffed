//! The few statistics every design shares: normal quantiles and power, least squares on a small design.

use nalgebra::{DMatrix, DVector};
use socialledger_mmm::normal;

/// Standard normal distribution function.
pub fn normal_cdf(x: f64) -> f64 {
    normal::ln_cdf(x).exp()
}

/// `z` with `P(Z <= z) = p`.
pub fn normal_quantile(p: f64) -> f64 {
    normal::inv_cdf(p)
}

/// Two-sided power of a test at `level` (0.9: a 90 % interval that excludes zero) for an effect `effect` whose
/// estimate has standard error `se` (normal approximation).
pub fn power(effect: f64, se: f64, level: f64) -> f64 {
    if se <= 0.0 || !se.is_finite() {
        return if effect != 0.0 { 1.0 } else { 0.0 };
    }
    let z = normal_quantile(0.5 + level / 2.0);
    normal_cdf(effect / se - z) + normal_cdf(-effect / se - z)
}

/// The smallest effect detected with probability `power` by a test at `level`, for standard error `se`
/// (the usual `(z_{1-a/2} + z_power) x se`; the far tail is ignored, as everyone does).
pub fn min_detectable_effect(se: f64, level: f64, power: f64) -> f64 {
    (normal_quantile(0.5 + level / 2.0) + normal_quantile(power)) * se
}

/// Ordinary least squares `y ~ X b`; `None` when `X` is rank-deficient (columns that cannot be told apart).
pub fn least_squares(x: &DMatrix<f64>, y: &DVector<f64>) -> Option<DVector<f64>> {
    let svd = x.clone().svd(true, true);
    let max_sv = svd.singular_values.max();
    if max_sv.is_nan() || max_sv <= 0.0 || svd.singular_values.min() <= max_sv * 1e-10 {
        return None;
    }
    svd.solve(y, max_sv * 1e-12).ok()
}

/// Variance of `sum_t a_t x_t` when `x` is stationary with variance `var` and lag-k autocorrelation `rho^k`
/// (an AR(1) process).
pub fn ar1_variance(a: &[f64], var: f64, rho: f64) -> f64 {
    let mut total = 0.0;
    for (i, ai) in a.iter().enumerate() {
        if *ai == 0.0 {
            continue;
        }
        let mut r = 1.0;
        total += ai * ai;
        for aj in &a[i + 1..] {
            r *= rho;
            // Far lags add nothing a float can hold (rho is clamped to |rho| <= 0.9 by the callers).
            if r.abs() < 1e-15 {
                break;
            }
            total += 2.0 * ai * aj * r;
        }
    }
    var * total
}

/// Sample variance and lag-1 autocorrelation (clamped to [-0.9, 0.9], where the AR(1) formulas stay sane) of
/// a series of residuals: what the AR(1) spread of an estimate needs.
pub fn variance_and_lag1(x: &[f64]) -> (f64, f64) {
    let n = x.len().max(1) as f64;
    let mean = x.iter().sum::<f64>() / n;
    let var = x.iter().map(|r| (r - mean).powi(2)).sum::<f64>() / (n - 1.0).max(1.0);
    (var, lag1_autocorrelation(x).clamp(-0.9, 0.9))
}

/// Lag-1 autocorrelation of a series around its mean (0 for fewer than 3 values or no variance).
pub fn lag1_autocorrelation(x: &[f64]) -> f64 {
    if x.len() < 3 {
        return 0.0;
    }
    let mean = x.iter().sum::<f64>() / x.len() as f64;
    let var: f64 = x.iter().map(|v| (v - mean).powi(2)).sum();
    if var <= 0.0 {
        return 0.0;
    }
    let cov: f64 = x.windows(2).map(|w| (w[0] - mean) * (w[1] - mean)).sum();
    cov / var
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn power_is_the_level_at_zero_and_eighty_percent_at_the_mde() {
        assert!((power(0.0, 1.0, 0.9) - 0.1).abs() < 1e-9);
        let mde = min_detectable_effect(2.0, 0.9, 0.8);
        assert!((mde - 2.0 * (1.644853627 + 0.841621234)).abs() < 1e-6);
        let p = power(mde, 2.0, 0.9);
        assert!((p - 0.8).abs() < 1e-3, "{p}");
    }

    #[test]
    fn ar1_variance_of_a_mean_matches_the_textbook_formula() {
        // Mean of n AR(1) values: var/n * (1 + 2 sum_{k<n} (1 - k/n) rho^k).
        let (n, rho, var) = (30usize, 0.4_f64, 2.5);
        let a = vec![1.0 / n as f64; n];
        let textbook = var / n as f64
            * (1.0 + 2.0 * (1..n).map(|k| (1.0 - k as f64 / n as f64) * rho.powi(k as i32)).sum::<f64>());
        assert!((ar1_variance(&a, var, rho) - textbook).abs() < 1e-12);
        assert!((ar1_variance(&a, var, 0.0) - var / n as f64).abs() < 1e-12);
    }

    #[test]
    fn least_squares_recovers_an_exact_line_and_refuses_collinear_columns() {
        let x = DMatrix::from_fn(10, 2, |i, j| if j == 0 { 1.0 } else { i as f64 });
        let y = DVector::from_fn(10, |i, _| 3.0 + 0.5 * i as f64);
        let b = least_squares(&x, &y).unwrap();
        assert!((b[0] - 3.0).abs() < 1e-9 && (b[1] - 0.5).abs() < 1e-9);
        let twice = DMatrix::from_fn(10, 2, |i, _| i as f64);
        assert!(least_squares(&twice, &y).is_none());
    }
}
