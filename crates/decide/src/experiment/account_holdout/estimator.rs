//! The account holdout's estimator: difference in means between exposed and held-out accounts of the outcome
//! over the analysed weeks, adjusted by each account's outcome before the experiment (CUPED, Deng et al. 2013;
//! ANCOVA with one common slope), with a heteroskedasticity-robust standard error. In B2B most accounts create
//! no deal in a quarter and a few create large ones; the arms' variances differ once the channel works, and a
//! pooled variance would be wrong.
//!
//! The slope is estimated within the arms (pooled), so the adjustment cannot absorb the effect. The standard
//! error is HC3 (MacKinnon & White 1985; the choice Long & Ervin 2000 recommend below a few hundred
//! observations): each account's squared residual is divided by `(1 - h)^2`, its leverage `h` in the regression
//! on arm and pre-period outcome. The few accounts with a large pre-period pipeline steer the slope and fit
//! their own outcome closely, so their plain residuals understate their noise. The correction is small at 400
//! accounts: on 50 demo holdouts the intervals covered the truth in 84 % with Welch's arm variances, 86 % with
//! HC3 (docs/benchmarks.md has the runs on fresh seeds).

use nalgebra::{Matrix3, Vector3};
use serde::Serialize;

/// A difference in adjusted means.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Adjusted {
    /// Exposed minus held-out, per account (target units over the analysed weeks).
    pub estimate: f64,
    /// Its robust (HC3) standard error.
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
    let estimate = mean(&exposed, &adjusted) - mean(&held, &adjusted);
    let se = hc3_se(y, x, held_out, estimate, slope, mean(&held, &adjusted)).unwrap_or(f64::NAN);
    Some(Adjusted { estimate, se, slope, held_out: held.len(), exposed: exposed.len() })
}

/// The HC3 standard error of the arm's coefficient in `y ~ 1 + exposed + x`, whose least-squares fit is the
/// ANCOVA's (intercept `held_mean`, the held-out arm's adjusted mean; `estimate`; `slope`). Without variation in
/// `x` the regression is on the arm alone. `None` when not even that can be inverted.
fn hc3_se(y: &[f64], x: &[f64], held_out: &[bool], estimate: f64, slope: f64, held_mean: f64) -> Option<f64> {
    let rows = || {
        (0..y.len().min(x.len()).min(held_out.len()))
            .map(|i| (Vector3::new(1.0, if held_out[i] { 0.0 } else { 1.0 }, x[i]), y[i]))
    };
    // Without variation in `x` within the arms its column is zero, a copy of the intercept or of the arm: the
    // regression is on the arm alone.
    let with_x = x_varies(x, held_out);
    let row = |r: Vector3<f64>| if with_x { r } else { Vector3::new(r[0], r[1], 0.0) };
    let xtx: Matrix3<f64> = rows().map(|(r, _)| row(r) * row(r).transpose()).sum();
    let inv = if with_x {
        xtx.try_inverse()?
    } else {
        let two = xtx.fixed_view::<2, 2>(0, 0).into_owned().try_inverse()?;
        let mut inv = Matrix3::zeros();
        inv.fixed_view_mut::<2, 2>(0, 0).copy_from(&two);
        inv
    };
    let beta = Vector3::new(held_mean, estimate, slope);
    let mut meat = Matrix3::zeros();
    for (r, yi) in rows() {
        let r = row(r);
        let e = yi - r.dot(&beta);
        let h = (r.transpose() * inv * r)[0];
        let w = e * e / (1.0 - h).max(1e-9).powi(2);
        meat += r * r.transpose() * w;
    }
    let v = (inv * meat * inv)[(1, 1)];
    (v.is_finite() && v >= 0.0).then(|| v.sqrt())
}

/// Whether `x` varies within an arm (else the slope is 0 and the regression has no `x`).
fn x_varies(x: &[f64], held_out: &[bool]) -> bool {
    [true, false].iter().any(|h| {
        let mut arm = x.iter().zip(held_out).filter(|(_, k)| *k == h).map(|(v, _)| *v);
        arm.next().is_some_and(|first| arm.any(|v| v != first))
    })
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

    /// HC3 written out with the whole hat matrix, independently of the estimator's 3 x 3 algebra.
    fn hc3_by_hat_matrix(y: &[f64], x: &[f64], held: &[bool]) -> f64 {
        use nalgebra::{DMatrix, DVector};
        let n = y.len();
        let xm = DMatrix::from_fn(n, 3, |i, j| match j {
            0 => 1.0,
            1 => f64::from(u8::from(!held[i])),
            _ => x[i],
        });
        let yv = DVector::from_column_slice(y);
        let inv = (xm.transpose() * &xm).try_inverse().unwrap();
        let hat = &xm * &inv * xm.transpose();
        let e = &yv - &hat * &yv;
        let w = DMatrix::from_diagonal(&DVector::from_fn(n, |i, _| e[i] * e[i] / (1.0 - hat[(i, i)]).powi(2)));
        let v = &inv * xm.transpose() * w * &xm * &inv;
        v[(1, 1)].sqrt()
    }

    #[test]
    fn the_standard_error_is_hc3() {
        // Lumpy outcomes: most accounts nothing, a few deals; one account with a large pre-period.
        let x: Vec<f64> = (0..30).map(|i| if i == 7 { 90.0 } else { ((i * 11) % 7) as f64 }).collect();
        let held: Vec<bool> = (0..30).map(|i| i % 3 == 0).collect();
        let y: Vec<f64> = (0..30).map(|i| if i % 4 == 1 { 20.0 + x[i] * 0.5 } else { 0.1 * x[i] }).collect();
        let a = ancova(&y, &x, &held).unwrap();
        let reference = hc3_by_hat_matrix(&y, &x, &held);
        assert!((a.se - reference).abs() < 1e-9 * reference, "{} vs {reference}", a.se);
        // Without a pre-period to adjust by, HC3 is each arm's sum of squares over (n - 1)^2.
        let flat = vec![1.0; 30];
        let a = ancova(&y, &flat, &held).unwrap();
        let arm = |h: bool| {
            let v: Vec<f64> = y.iter().zip(&held).filter(|(_, k)| **k == h).map(|(v, _)| *v).collect();
            let m = v.iter().sum::<f64>() / v.len() as f64;
            v.iter().map(|v| (v - m).powi(2)).sum::<f64>() / ((v.len() - 1) as f64).powi(2)
        };
        let expected = (arm(true) + arm(false)).sqrt();
        assert!((a.se - expected).abs() < 1e-9 * expected, "{} vs {expected}", a.se);
        assert_eq!(a.slope, 0.0);
    }

    #[test]
    fn all_zero_outcomes_give_a_zero_estimate_not_a_panic() {
        let a = ancova(&[0.0; 10], &[0.0; 10], &[true, false, true, false, true, false, true, false, true, false]);
        assert_eq!(a.map(|a| (a.estimate, a.se)), Some((0.0, 0.0)));
    }
}
