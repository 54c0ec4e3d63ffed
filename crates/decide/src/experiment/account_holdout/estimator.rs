//! The account holdout's estimator: difference in means between exposed and held-out accounts of the outcome
//! over the analysed weeks, adjusted by each account's outcome before the experiment (CUPED, Deng et al. 2013;
//! ANCOVA with one common slope), with a heteroskedasticity-robust standard error (Welch's: each arm's own
//! variance of the adjusted outcome). In B2B most accounts create no deal in a quarter and a few create large
//! ones; the arms' variances differ once the channel works, and a pooled variance would be wrong.
//!
//! The slope is estimated within the arms (pooled), so the adjustment cannot absorb the effect. Its estimation
//! costs one degree of freedom, negligible at [`super::MIN_ACCOUNTS`] and above.

use serde::Serialize;

/// A difference in adjusted means.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Adjusted {
    /// Exposed minus held-out, per account (target units over the analysed weeks).
    pub estimate: f64,
    /// Its robust standard error.
    pub se: f64,
    /// The pre-period outcome's slope the outcome was adjusted by (0: no adjustment).
    pub slope: f64,
    pub held_out: usize,
    pub exposed: usize,
}

/// The adjusted difference for outcome `y` and pre-period outcome `x` per account; `None` when an arm has fewer
/// than two accounts.
pub fn ancova(y: &[f64], x: &[f64], held_out: &[bool]) -> Option<Adjusted> {
    let arm = |h: bool| -> Vec<usize> {
        (0..y.len().min(x.len()).min(held_out.len())).filter(|i| held_out[*i] == h).collect()
    };
    let (held, exposed) = (arm(true), arm(false));
    if held.len() < 2 || exposed.len() < 2 {
        return None;
    }
    let mean = |ix: &[usize], v: &[f64]| ix.iter().map(|i| v[*i]).sum::<f64>() / ix.len() as f64;
    let (mut sxy, mut sxx) = (0.0, 0.0);
    for ix in [&held, &exposed] {
        let (mx, my) = (mean(ix, x), mean(ix, y));
        for i in ix.iter() {
            sxy += (x[*i] - mx) * (y[*i] - my);
            sxx += (x[*i] - mx).powi(2);
        }
    }
    let slope = if sxx > 0.0 { sxy / sxx } else { 0.0 };
    let adjusted: Vec<f64> = y.iter().zip(x).map(|(y, x)| y - slope * x).collect();
    let var = |ix: &[usize]| {
        let m = mean(ix, &adjusted);
        ix.iter().map(|i| (adjusted[*i] - m).powi(2)).sum::<f64>() / (ix.len() - 1) as f64
    };
    let estimate = mean(&exposed, &adjusted) - mean(&held, &adjusted);
    let se = (var(&held) / held.len() as f64 + var(&exposed) / exposed.len() as f64).sqrt();
    Some(Adjusted { estimate, se, slope, held_out: held.len(), exposed: exposed.len() })
}

/// The variance of the outcome `y` left once the pre-period outcome `x` is regressed out (least squares with an
/// intercept, over all accounts): what the adjusted difference's variance is made of. `None` for fewer than 3
/// accounts.
pub fn residual_variance(y: &[f64], x: &[f64]) -> Option<f64> {
    let n = y.len().min(x.len());
    if n < 3 {
        return None;
    }
    let (mx, my) = (x[..n].iter().sum::<f64>() / n as f64, y[..n].iter().sum::<f64>() / n as f64);
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for i in 0..n {
        sxy += (x[i] - mx) * (y[i] - my);
        sxx += (x[i] - mx).powi(2);
        syy += (y[i] - my).powi(2);
    }
    let explained = if sxx > 0.0 { sxy * sxy / sxx } else { 0.0 };
    Some(((syy - explained) / (n - 2) as f64).max(0.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_adjustment_removes_what_the_pre_period_predicts() {
        // y = 2 x + 5 for the exposed, 2 x for the held out: the adjusted difference is exactly 5 and its
        // standard error zero, although the arms' x differ.
        let x: Vec<f64> = (0..40).map(|i| (i * 7 % 13) as f64).collect();
        let held: Vec<bool> = (0..40).map(|i| i % 2 == 0).collect();
        let y: Vec<f64> = x.iter().zip(&held).map(|(x, h)| 2.0 * x + if *h { 0.0 } else { 5.0 }).collect();
        let a = ancova(&y, &x, &held).unwrap();
        assert!((a.estimate - 5.0).abs() < 1e-9 && a.se < 1e-9 && (a.slope - 2.0).abs() < 1e-9, "{a:?}");
        assert_eq!((a.held_out, a.exposed), (20, 20));
        assert!(residual_variance(&y, &x).unwrap() > 0.0);
        assert!(ancova(&y[..3], &x[..3], &held[..3]).is_none());
    }

    #[test]
    fn all_zero_outcomes_give_a_zero_estimate_not_a_panic() {
        let a = ancova(&[0.0; 10], &[0.0; 10], &[true, false, true, false, true, false, true, false, true, false]);
        assert_eq!(a.map(|a| (a.estimate, a.se)), Some((0.0, 0.0)));
    }
}
