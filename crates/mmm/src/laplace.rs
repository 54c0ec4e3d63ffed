//! Intervals for the fast fit: a Laplace approximation of the posterior in unconstrained space around its
//! mode, corrected by importance weights.
//!
//! The mode of the density in `z` (log effects, logit alphas, log lams, log sigma; Jacobian included) is
//! found by L-BFGS from the MAP; the Hessian there is the finite difference of the exact gradient. Draws from
//! that normal are then weighted by `p(z) / q(z)`, truncated at `mean x sqrt(S)` (Ionides 2008) so one draw
//! cannot dominate; the effective sample size of the weights says how good the normal was.

use crate::model::{Model, Params};
use crate::MmmError;
use argmin::core::{CostFunction, Executor, Gradient, State};
use argmin::solver::linesearch::MoreThuenteLineSearch;
use argmin::solver::quasinewton::LBFGS;
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

/// What the approximation looked like.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct LaplaceInfo {
    pub draws: usize,
    /// Effective sample size of the importance weights, as a fraction of the draws (1 = the normal was exact).
    pub weight_ess_fraction: f64,
    /// The Hessian was not negative definite and had to be repaired (some direction is flat: not identified).
    pub hessian_repaired: bool,
}

struct Neg<'a>(&'a Model);

impl CostFunction for Neg<'_> {
    type Param = Vec<f64>;
    type Output = f64;
    fn cost(&self, z: &Vec<f64>) -> Result<f64, argmin::core::Error> {
        let v = -self.0.logp(z);
        Ok(if v.is_finite() { v } else { f64::INFINITY })
    }
}

impl Gradient for Neg<'_> {
    type Param = Vec<f64>;
    type Gradient = Vec<f64>;
    fn gradient(&self, z: &Vec<f64>) -> Result<Vec<f64>, argmin::core::Error> {
        let mut g = vec![0.0; z.len()];
        self.0.logp_grad(z, &mut g);
        Ok(g.into_iter().map(|v| -v).collect())
    }
}

/// The mode of the unconstrained density, from a start (the MAP).
pub fn z_mode(model: &Model, start: &Params) -> Vec<f64> {
    let z0 = model.unconstrained(start);
    let Ok(solver) = LBFGS::new(MoreThuenteLineSearch::new(), 10).with_tolerance_cost(1e-14) else {
        return z0;
    };
    match Executor::new(Neg(model), solver).configure(|s| s.param(z0.clone()).max_iters(500)).run() {
        Ok(res) => res.state().get_best_param().cloned().unwrap_or(z0),
        Err(_) => z0,
    }
}

/// Draws from the importance-weighted Laplace approximation around the mode of `model` near `start`.
pub fn draws(model: &Model, start: &Params, n_draws: usize, seed: u64) -> Result<(Draws, LaplaceInfo), MmmError> {
    let mode = z_mode(model, start);
    let d = mode.len();
    // Hessian of -logp by central differences of the exact gradient.
    let mut h = DMatrix::zeros(d, d);
    let mut gp = vec![0.0; d];
    let mut gm = vec![0.0; d];
    for i in 0..d {
        let step = 1e-5 * (1.0 + mode[i].abs());
        let mut up = mode.clone();
        let mut dn = mode.clone();
        up[i] += step;
        dn[i] -= step;
        model.logp_grad(&up, &mut gp);
        model.logp_grad(&dn, &mut gm);
        for j in 0..d {
            h[(j, i)] = -(gp[j] - gm[j]) / (2.0 * step);
        }
    }
    let h = (&h + h.transpose()) * 0.5;
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
    let eps: Vec<Vec<f64>> = (0..n_draws).map(|_| (0..d).map(|_| StandardNormal.sample(&mut rng)).collect()).collect();
    let (params, logw): (Vec<Params>, Vec<f64>) = eps
        .par_iter()
        .map(|eps| {
            let scaled = DVector::from_iterator(d, eps.iter().zip(&scales).map(|(e, s)| e * s));
            let dz = &v * scaled;
            let z: Vec<f64> = mode.iter().zip(dz.iter()).map(|(a, b)| a + b).collect();
            let lq = -0.5 * eps.iter().map(|e| e * e).sum::<f64>();
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
