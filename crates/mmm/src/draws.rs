//! Weighted draws and what is shared by every way of getting them: the mode of the posterior in unconstrained
//! space (the NUTS sampler starts there), importance-weight truncation and weighted quantiles. The fast fit's
//! draws come from [`crate::collapsed`].
//!
//! The mode of the density in `z` (log effects, logit alphas, log lams, log sigma; Jacobian included) is
//! found by damped Newton steps from the MAP; the Hessian there is the finite difference of the exact gradient.

use crate::model::{Model, Params};
use nalgebra::{DMatrix, DVector, SymmetricEigen};

/// Weighted draws of the parameters (weights sum to 1).
#[derive(Clone, Debug)]
pub struct Draws {
    pub params: Vec<Params>,
    pub weights: Vec<f64>,
}

/// The mode of the unconstrained density, from a start (the MAP), by damped Newton steps on the exact gradient
/// with the finite-difference Hessian made positive definite (eigenvalues mirrored and floored). Quasi-Newton
/// methods stall here: a small effect's log sits far out on a nearly flat slope while the intercept is sharply
/// determined, a condition number no line search copes with.
pub fn z_mode(model: &Model, start: &Params) -> Vec<f64> {
    let mut z = model.unconstrained(start);
    // A MAP effect of exactly zero has no logarithm; start it where its prior still has mass.
    for m in 0..model.n_channels() {
        let o = model.channel_offset(m);
        let floor = (0.01 * model.channel_priors[m].beta.sd()).max(1e-6).ln();
        z[o] = z[o].max(floor);
    }
    let d = z.len();
    let mut g = vec![0.0; d];
    let mut lp = model.logp_grad(&z, &mut g);
    for _ in 0..100 {
        if g.iter().all(|v| v.abs() < 1e-7) {
            break;
        }
        let step = newton_direction(neg_hessian(model, &z), &g);
        // Backtracking: the full Newton step first, halved until the density rises.
        let mut t = 1.0;
        let mut moved = false;
        let mut g_new = vec![0.0; d];
        for _ in 0..40 {
            let cand: Vec<f64> = z.iter().zip(step.iter()).map(|(a, b)| a + t * b.clamp(-5.0, 5.0)).collect();
            let lp_new = model.logp_grad(&cand, &mut g_new);
            if lp_new.is_finite() && lp_new >= lp {
                moved = lp_new > lp;
                z = cand;
                lp = lp_new;
                std::mem::swap(&mut g, &mut g_new);
                break;
            }
            t *= 0.5;
        }
        if !moved {
            break;
        }
    }
    z
}

/// The Newton step `H^-1 g` for an ascent on a density with negative Hessian `h` and gradient `g`, with the
/// eigenvalues of `h` mirrored and floored (at 1e-8 of the largest) so the step always climbs and a flat
/// direction cannot send it to infinity.
pub(crate) fn newton_direction(h: DMatrix<f64>, g: &[f64]) -> DVector<f64> {
    let eig = SymmetricEigen::new(h);
    let max_ev = eig.eigenvalues.iter().map(|v| v.abs()).fold(0.0_f64, f64::max).max(1e-12);
    let gv = eig.eigenvectors.transpose() * DVector::from_column_slice(g);
    let step_e = DVector::from_iterator(
        g.len(),
        gv.iter().zip(eig.eigenvalues.iter()).map(|(gi, &ev)| gi / ev.abs().max(max_ev * 1e-8)),
    );
    &eig.eigenvectors * step_e
}

/// Hessian of `-logp` at `z` by central differences of the exact gradient, symmetrised.
fn neg_hessian(model: &Model, z: &[f64]) -> DMatrix<f64> {
    let d = z.len();
    let mut h = DMatrix::zeros(d, d);
    let mut gp = vec![0.0; d];
    let mut gm = vec![0.0; d];
    for i in 0..d {
        let step = 1e-5 * (1.0 + z[i].abs());
        let mut up = z.to_vec();
        let mut dn = z.to_vec();
        up[i] += step;
        dn[i] -= step;
        model.logp_grad(&up, &mut gp);
        model.logp_grad(&dn, &mut gm);
        for j in 0..d {
            h[(j, i)] = -(gp[j] - gm[j]) / (2.0 * step);
        }
    }
    (&h + h.transpose()) * 0.5
}

/// Normalised importance weights from log weights, each truncated at `mean x sqrt(S)` (Ionides 2008) so one
/// draw cannot dominate.
pub fn truncated_weights(logw: &[f64]) -> Vec<f64> {
    let max = logw.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
    let mut w: Vec<f64> = logw.iter().map(|l| (l - max).exp()).collect();
    let mean = w.iter().sum::<f64>() / w.len().max(1) as f64;
    let cap = mean * (w.len() as f64).sqrt();
    for x in &mut w {
        *x = x.min(cap);
    }
    let s: f64 = w.iter().sum();
    for x in &mut w {
        *x /= s;
    }
    w
}

/// Weighted quantile `q` of `values` (weights sum to 1); `values` need not be sorted.
pub fn weighted_quantile(values: &[f64], weights: &[f64], q: f64) -> f64 {
    let mut idx: Vec<usize> = (0..values.len()).collect();
    idx.sort_by(|&a, &b| values[a].total_cmp(&values[b]));
    let mut acc = 0.0;
    for &i in &idx {
        acc += weights[i];
        if acc >= q {
            return values[i];
        }
    }
    idx.last().map(|&i| values[i]).unwrap_or(f64::NAN)
}
