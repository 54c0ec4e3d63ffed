//! Intervals for the fast fit: a Laplace approximation of the posterior in unconstrained space around its
//! mode, corrected by importance weights.
//!
//! The mode of the density in `z` (log effects, logit alphas, log lams, log sigma; Jacobian included) is
//! found by damped Newton steps from the MAP; the Hessian there is the finite difference of the exact gradient. Draws from
//! that normal are then weighted by `p(z) / q(z)`, truncated at `mean x sqrt(S)` (Ionides 2008) so one draw
//! cannot dominate; the effective sample size of the weights says how good the normal was.

use crate::model::{Model, Params};
use crate::MmmError;
use nalgebra::{DMatrix, DVector, SymmetricEigen};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, StandardNormal};
use rayon::prelude::*;

/// Weighted draws of the parameters (weights sum to 1).
#[derive(Clone, Debug)]
pub struct Draws {
    pub params: Vec<Params>,
    pub weights: Vec<f64>,
}

/// Degrees of freedom of the Student-t proposal.
pub const T_DOF: f64 = 4.0;

/// What the approximation looked like.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct LaplaceInfo {
    pub draws: usize,
    /// Effective sample size of the importance weights, as a fraction of the draws (1 = the normal was exact).
    pub weight_ess_fraction: f64,
    /// The Hessian was not negative definite and had to be repaired (some direction is flat: not identified).
    pub hessian_repaired: bool,
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
        let h = neg_hessian(model, &z);
        let eig = SymmetricEigen::new(h);
        let max_ev = eig.eigenvalues.iter().map(|v| v.abs()).fold(0.0_f64, f64::max).max(1e-12);
        let gv = eig.eigenvectors.transpose() * DVector::from_column_slice(&g);
        let step_e = DVector::from_iterator(
            d,
            gv.iter().zip(eig.eigenvalues.iter()).map(|(gi, &ev)| gi / ev.abs().max(max_ev * 1e-8)),
        );
        let step = &eig.eigenvectors * step_e;
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

/// Draws from the importance-weighted Laplace approximation around the mode of `model` near `start`.
pub fn draws(model: &Model, start: &Params, n_draws: usize, seed: u64) -> Result<(Draws, LaplaceInfo), MmmError> {
    let mode = z_mode(model, start);
    let d = mode.len();
    let h = neg_hessian(model, &mode);
    if h.iter().any(|v| !v.is_finite()) {
        return Err(MmmError::Numeric("the posterior's curvature is not finite at its mode".into()));
    }
    // Covariance = H^-1 via the eigen decomposition; flat or wrong-signed directions get a floor.
    let eig = SymmetricEigen::new(h);
    let max_ev = eig.eigenvalues.iter().cloned().fold(0.0_f64, f64::max).max(1e-12);
    let floor = max_ev * 1e-10;
    let repaired = eig.eigenvalues.iter().any(|&v| v < floor);
    // Draw z = mode + V diag(1/sqrt(lambda)) eps.
    let scales: Vec<f64> = eig.eigenvalues.iter().map(|&v| 1.0 / v.max(floor).sqrt()).collect();
    let v = eig.eigenvectors;
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let lp_mode = model.logp(&mode);
    // The normal draws come from one seeded stream in order; their densities are evaluated in parallel.
    // Proposal: a multivariate Student t with `T_DOF` degrees of freedom around the mode, shaped by the Hessian.
    // Its tails are heavier than the posterior's in every direction the normal would get wrong (a small effect's
    // log has a long left tail), so the importance weights stay bounded instead of a few draws taking all.
    let gamma = rand_distr::Gamma::new(T_DOF / 2.0, 2.0 / T_DOF)
        .map_err(|e| MmmError::Numeric(format!("the proposal cannot be set up: {e}")))?;
    let eps: Vec<(Vec<f64>, f64)> = (0..n_draws)
        .map(|_| {
            let e: Vec<f64> = (0..d).map(|_| StandardNormal.sample(&mut rng)).collect();
            let g: f64 = gamma.sample(&mut rng);
            (e, 1.0 / g.max(1e-12).sqrt())
        })
        .collect();
    let (params, logw): (Vec<Params>, Vec<f64>) = eps
        .par_iter()
        .map(|(eps, k)| {
            let scaled = DVector::from_iterator(d, eps.iter().zip(&scales).map(|(e, s)| k * e * s));
            let dz = &v * scaled;
            let z: Vec<f64> = mode.iter().zip(dz.iter()).map(|(a, b)| a + b).collect();
            let uu = k * k * eps.iter().map(|e| e * e).sum::<f64>();
            let lq = -0.5 * (T_DOF + d as f64) * (1.0 + uu / T_DOF).ln();
            let lp = model.logp(&z) - lp_mode;
            (model.params(&z), if lp.is_finite() { lp - lq } else { f64::NEG_INFINITY })
        })
        .unzip();
    let max = logw.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
    if !max.is_finite() {
        return Err(MmmError::Numeric("no draw of the approximation had a finite posterior".into()));
    }
    let mut w: Vec<f64> = logw.iter().map(|l| (l - max).exp()).collect();
    let mean = w.iter().sum::<f64>() / n_draws as f64;
    let cap = mean * (n_draws as f64).sqrt();
    for x in &mut w {
        *x = x.min(cap);
    }
    let s: f64 = w.iter().sum();
    for x in &mut w {
        *x /= s;
    }
    let ess = 1.0 / w.iter().map(|x| x * x).sum::<f64>();
    Ok((
        Draws { params, weights: w },
        LaplaceInfo { draws: n_draws, weight_ess_fraction: ess / n_draws as f64, hessian_repaired: repaired },
    ))
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
