//! The fast fit: the posterior mode (MAP) by variable projection.
//!
//! For given adstock and saturation shapes the model is linear in its coefficients (intercept, trend, Fourier
//! terms, controls, channel effects), so those are solved exactly ([`crate::qp`], effects held >= 0) together
//! with the noise level, and only the shapes (2 per channel) are searched: L-BFGS on their unconstrained form
//! (logit alpha, log lam) from several deterministic starting points, keeping the best. The gradient of the
//! profiled objective is the partial gradient of the full one at the inner optimum (envelope theorem), taken
//! from [`Model::logp_grad`].
//!
//! In the inner problem every prior on a coefficient is Gaussian: the half-normal of an effect is exactly
//! that with the bound; a Laplace prior (Fourier terms) is replaced by the normal of equal variance. The
//! NUTS posterior uses the exact priors.

use crate::model::{jacobian, to_natural, to_unconstrained, Model, Params};
use crate::priors::Prior;
use crate::qp;
use crate::MmmError;
use argmin::core::{CostFunction, Executor, Gradient, State};
use argmin::solver::linesearch::MoreThuenteLineSearch;
use argmin::solver::quasinewton::LBFGS;
use nalgebra::{DMatrix, DVector};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;
use std::cell::RefCell;

/// How hard the search tries.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SearchSettings {
    /// Starting points besides the prior means: `starts_base + starts_per_channel x channels`.
    pub starts_base: usize,
    pub starts_per_channel: usize,
    pub max_iters: u64,
    pub seed: u64,
}

impl Default for SearchSettings {
    fn default() -> Self {
        SearchSettings { starts_base: 4, starts_per_channel: 2, max_iters: 300, seed: 20_241 }
    }
}

/// The mode found, in natural units, with what the search saw.
#[derive(Clone, Debug)]
pub struct Mode {
    pub params: Params,
    /// Negative log posterior (natural space, up to a constant) at the mode.
    pub objective: f64,
    /// Starting points tried, and how many of them reached the best objective (within 1e-6).
    pub starts: usize,
    pub starts_at_best: usize,
}

/// Gaussian mean and precision of a coefficient's prior in the inner problem.
fn gaussian(p: &Prior) -> (f64, f64) {
    match *p {
        Prior::Normal { mu, sigma } => (mu, 1.0 / (sigma * sigma)),
        Prior::HalfNormal { sigma } => (0.0, 1.0 / (sigma * sigma)),
        Prior::Laplace { mu, b } => (mu, 1.0 / (2.0 * b * b)),
        // Effects under a Gamma or log-normal prior: a normal at its mean and spread.
        other => (other.mean(), 1.0 / other.sd().powi(2)),
    }
}

/// The profiled problem: shapes in, everything else solved.
pub struct Profile<'a> {
    model: &'a Model,
    /// X_fixed' X_fixed and X_fixed' y.
    xtx_fixed: DMatrix<f64>,
    xty_fixed: DVector<f64>,
    prior_mean: DVector<f64>,
    prior_prec: DVector<f64>,
    nonneg: Vec<bool>,
}

/// Everything solved for one set of shapes.
pub struct Inner {
    pub params: Params,
    pub objective: f64,
}

impl<'a> Profile<'a> {
    pub fn new(model: &'a Model) -> Self {
        let d = &model.design;
        let nf = model.n_fixed();
        let m = model.n_channels();
        let xtx_fixed =
            DMatrix::from_fn(nf, nf, |i, j| d.fixed[i].values.iter().zip(&d.fixed[j].values).map(|(a, b)| a * b).sum());
        let xty_fixed = DVector::from_fn(nf, |i, _| d.fixed[i].values.iter().zip(&d.y).map(|(a, b)| a * b).sum());
        let mut prior_mean = DVector::zeros(nf + m);
        let mut prior_prec = DVector::zeros(nf + m);
        for (j, p) in model.fixed_priors.iter().enumerate() {
            (prior_mean[j], prior_prec[j]) = gaussian(p);
        }
        for (k, cp) in model.channel_priors.iter().enumerate() {
            (prior_mean[nf + k], prior_prec[nf + k]) = gaussian(&cp.beta);
        }
        let nonneg = (0..nf + m).map(|j| j >= nf).collect();
        Profile { model, xtx_fixed, xty_fixed, prior_mean, prior_prec, nonneg }
    }

    /// Number of shape parameters per channel.
    pub(crate) fn per_channel_shapes(&self) -> usize {
        self.model.spec.adstock.n_params() + self.model.spec.saturation.n_params()
    }

    pub fn dim(&self) -> usize {
        self.per_channel_shapes() * self.model.n_channels()
    }

    pub(crate) fn shape_priors_of(&self, m: usize) -> impl Iterator<Item = &Prior> {
        let cp = &self.model.channel_priors[m];
        cp.adstock.iter().chain(&cp.saturation)
    }

    /// Natural shapes (adstock, saturation per channel) from the unconstrained vector `u`.
    pub fn shapes(&self, u: &[f64]) -> (Vec<Vec<f64>>, Vec<Vec<f64>>) {
        let na = self.model.spec.adstock.n_params();
        let k = self.per_channel_shapes();
        let mut ad = Vec::new();
        let mut sat = Vec::new();
        for m in 0..self.model.n_channels() {
            let v: Vec<f64> =
                self.shape_priors_of(m).enumerate().map(|(i, p)| to_natural(p.support(), u[m * k + i])).collect();
            ad.push(v[..na].to_vec());
            sat.push(v[na..].to_vec());
        }
        (ad, sat)
    }

    /// `u` from natural shapes.
    pub fn unconstrained(&self, adstock: &[Vec<f64>], saturation: &[Vec<f64>]) -> Vec<f64> {
        let mut u = Vec::with_capacity(self.dim());
        for m in 0..self.model.n_channels() {
            let vals: Vec<f64> = adstock[m].iter().chain(&saturation[m]).copied().collect();
            for (p, v) in self.shape_priors_of(m).zip(vals) {
                u.push(to_unconstrained(p.support(), v));
            }
        }
        u
    }

    /// `X'X` and `X'y` of the linear problem for the shapes `u` (fixed columns, then the channels' features).
    pub(crate) fn normal_equations(&self, u: &[f64]) -> (DMatrix<f64>, DVector<f64>) {
        let (adstock, saturation) = self.shapes(u);
        self.normal_equations_of(&adstock, &saturation)
    }

    fn normal_equations_of(&self, adstock: &[Vec<f64>], saturation: &[Vec<f64>]) -> (DMatrix<f64>, DVector<f64>) {
        let model = self.model;
        let d = &model.design;
        let nf = model.n_fixed();
        let m = model.n_channels();
        let feats: Vec<Vec<f64>> = (0..m).map(|k| model.channel_feature(k, &adstock[k], &saturation[k])).collect();
        let p = nf + m;
        let mut xtx = DMatrix::zeros(p, p);
        xtx.view_mut((0, 0), (nf, nf)).copy_from(&self.xtx_fixed);
        let mut xty = DVector::zeros(p);
        xty.rows_mut(0, nf).copy_from(&self.xty_fixed);
        for a in 0..m {
            let fa = &feats[a];
            for j in 0..nf {
                let v: f64 = fa.iter().zip(&d.fixed[j].values).map(|(x, y)| x * y).sum();
                xtx[(j, nf + a)] = v;
                xtx[(nf + a, j)] = v;
            }
            for b in a..m {
                let v: f64 = fa.iter().zip(&feats[b]).map(|(x, y)| x * y).sum();
                xtx[(nf + a, nf + b)] = v;
                xtx[(nf + b, nf + a)] = v;
            }
            xty[nf + a] = fa.iter().zip(&d.y).map(|(x, y)| x * y).sum();
        }
        (xtx, xty)
    }

    /// The Gaussian prior of the coefficients in the inner problem: means and precisions.
    pub(crate) fn prior(&self) -> (&DVector<f64>, &DVector<f64>) {
        (&self.prior_mean, &self.prior_prec)
    }

    /// Solves coefficients and noise for the shapes `u`; the objective is the negative log posterior.
    pub fn inner(&self, u: &[f64]) -> Result<Inner, MmmError> {
        self.inner_from(u, None)
    }

    /// [`Profile::inner`] with the noise level's iteration started at `sigma0` (a nearby solve's): the fixed
    /// point and the stopping rule are the same, so only the number of coefficient solves changes.
    fn inner_from(&self, u: &[f64], sigma0: Option<f64>) -> Result<Inner, MmmError> {
        let model = self.model;
        let d = &model.design;
        let n = d.n;
        let nf = model.n_fixed();
        let m = model.n_channels();
        let p = nf + m;
        let (adstock, saturation) = self.shapes(u);
        let (xtx, xty) = self.normal_equations_of(&adstock, &saturation);
        let yty: f64 = d.y.iter().map(|v| v * v).sum();
        // The coefficients for a noise level, and the noise level those coefficients call for: the mode is the
        // fixed point sigma = next(sigma).
        // Each solve starts from the previous one's support (see `qp::solve_from`).
        let next = |sigma: f64, prev: &DVector<f64>| -> Result<(f64, DVector<f64>, f64), MmmError> {
            let guess: Vec<usize> = (0..p).filter(|&j| self.nonneg[j] && prev[j] > 0.0).collect();
            let s2 = sigma * sigma;
            let mut a = &xtx / s2;
            let mut c = &xty / s2;
            for j in 0..p {
                a[(j, j)] += self.prior_prec[j];
                c[j] += self.prior_prec[j] * self.prior_mean[j];
            }
            let b = qp::solve_from(&a, &c, &self.nonneg, &guess)
                .ok_or_else(|| MmmError::Numeric("the coefficient system is not positive definite".into()))?;
            // SSE = y'y - 2 b'X'y + b'X'X b
            let sse = (yty - 2.0 * b.dot(&xty) + b.dot(&(&xtx * &b))).max(1e-300);
            Ok((best_sigma(n as f64, sse, &model.sigma_prior), b, sse))
        };
        let converged = |from: f64, to: f64| (to / from - 1.0).abs() < 1e-10;
        // Steffensen's method on the fixed point: two plain steps, then Aitken's extrapolation through them. The
        // plain iteration converges linearly, often slowly (tens of coefficient solves); this converges
        // quadratically to the same fixed point, under the same stopping rule. An extrapolation that is not a
        // positive finite number falls back to the second plain step.
        let mut sigma = sigma0.filter(|s| s.is_finite() && *s > 0.0).unwrap_or((yty / n as f64).sqrt().max(1e-6) * 0.1);
        let (mut b, mut sse) = (DVector::zeros(p), 0.0);
        for _ in 0..30 {
            let (s1, b1, sse1) = next(sigma, &b)?;
            (b, sse) = (b1, sse1);
            if converged(sigma, s1) {
                sigma = s1;
                break;
            }
            let (s2, b2, sse2) = next(s1, &b)?;
            (b, sse) = (b2, sse2);
            if converged(s1, s2) {
                sigma = s2;
                break;
            }
            let denom = s2 - 2.0 * s1 + sigma;
            let jump = sigma - (s1 - sigma).powi(2) / denom;
            sigma = if jump.is_finite() && jump > 0.0 { jump } else { s2 };
        }
        let mut objective = n as f64 * sigma.ln() + 0.5 * sse / (sigma * sigma) - model.sigma_prior.logpdf(sigma);
        for j in 0..p {
            objective += 0.5 * self.prior_prec[j] * (b[j] - self.prior_mean[j]).powi(2);
        }
        for k in 0..m {
            let vals: Vec<f64> = adstock[k].iter().chain(&saturation[k]).copied().collect();
            for (pr, v) in self.shape_priors_of(k).zip(vals) {
                objective -= pr.logpdf(v);
            }
        }
        let params = Params {
            fixed: b.rows(0, nf).iter().copied().collect(),
            beta: b.rows(nf, m).iter().copied().collect(),
            adstock,
            saturation,
            sigma,
        };
        Ok(Inner { params, objective: if objective.is_finite() { objective } else { f64::INFINITY } })
    }

    /// Gradient of the profiled objective by `u`.
    pub fn gradient(&self, u: &[f64]) -> Result<(f64, Vec<f64>), MmmError> {
        let inner = self.inner(u)?;
        Ok((inner.objective, self.gradient_at(&inner)))
    }

    /// Gradient of the profiled objective at the shapes `inner` was solved for.
    fn gradient_at(&self, inner: &Inner) -> Vec<f64> {
        let model = self.model;
        let z = model.unconstrained(&inner.params);
        let mut gz = vec![0.0; z.len()];
        model.logp_grad(&z, &mut gz);
        let k = self.per_channel_shapes();
        let mut g = vec![0.0; self.dim()];
        for m in 0..model.n_channels() {
            let o = model.channel_offset(m) + 1;
            for (i, pr) in self.shape_priors_of(m).enumerate() {
                let (_, _, dlj) = jacobian(pr.support(), z[o + i]);
                g[m * k + i] = -(gz[o + i] - dlj);
            }
        }
        g
    }

    /// Searches the shapes from several starting points and returns the best mode.
    pub fn search(&self, settings: &SearchSettings) -> Result<Mode, MmmError> {
        let m = self.model.n_channels();
        let dim = self.dim();
        if dim == 0 {
            let inner = self.inner(&[])?;
            return Ok(Mode { params: inner.params, objective: inner.objective, starts: 1, starts_at_best: 1 });
        }
        let mut rng = ChaCha8Rng::seed_from_u64(settings.seed);
        let center: Vec<f64> = (0..m)
            .flat_map(|k| self.shape_priors_of(k).map(|p| to_unconstrained(p.support(), p.mean())).collect::<Vec<_>>())
            .collect();
        let mut starts = vec![center.clone()];
        for _ in 0..settings.starts_base + settings.starts_per_channel * m {
            starts.push(center.iter().map(|c| c + rng.gen_range(-1.5..1.5)).collect());
        }
        // Starts are independent; rayon keeps their order, and the sort below is stable, so the result does not
        // depend on how many threads ran them.
        let mut results: Vec<(f64, Vec<f64>)> = starts
            .par_iter()
            .map(|s| {
                let u = self.local(s.clone(), settings.max_iters);
                let obj = self.inner(&u).map(|i| i.objective).unwrap_or(f64::INFINITY);
                (obj, u)
            })
            .collect();
        results.sort_by(|a, b| a.0.total_cmp(&b.0));
        let (best_obj, best_u) = results.first().cloned().unwrap_or((f64::INFINITY, vec![0.0; dim]));
        if !best_obj.is_finite() {
            return Err(MmmError::Numeric("no starting point reached a finite posterior".into()));
        }
        let at_best = results.iter().filter(|r| r.0 - best_obj <= 1e-6 * (1.0 + best_obj.abs())).count();
        let inner = self.inner(&best_u)?;
        Ok(Mode { params: inner.params, objective: inner.objective, starts: starts.len(), starts_at_best: at_best })
    }

    /// One local L-BFGS run; returns the best point it saw (the start itself if it fails).
    fn local(&self, start: Vec<f64>, max_iters: u64) -> Vec<f64> {
        let problem = ProfileProblem { profile: self, last: RefCell::new(None) };
        let Ok(solver) = LBFGS::new(MoreThuenteLineSearch::new(), 7).with_tolerance_cost(1e-12) else {
            return start;
        };
        match Executor::new(problem, solver).configure(|s| s.param(start.clone()).max_iters(max_iters)).run() {
            Ok(res) => res.state().get_best_param().cloned().unwrap_or(start),
            Err(_) => start,
        }
    }
}

/// The noise level that minimises `n ln s + sse / (2 s^2) - ln prior(s)`, by Newton steps on `ln s`.
fn best_sigma(n: f64, sse: f64, prior: &Prior) -> f64 {
    let mut l = (sse / n).sqrt().ln();
    for _ in 0..20 {
        let s = l.exp();
        let d1 = n - sse / (s * s) - s * prior.dlogpdf(s);
        // The likelihood's curvature; the prior's is left out (it only slows the steps down near the optimum).
        let d2 = 2.0 * sse / (s * s);
        if d2 <= 0.0 {
            break;
        }
        let step = (d1 / d2).clamp(-1.0, 1.0);
        l -= step;
        if step.abs() < 1e-13 {
            break;
        }
    }
    l.exp()
}

/// One local search's view of the profile. The line search asks for the cost and then the gradient at the same
/// shapes; both need the inner solve, so the last one is kept and reused.
struct ProfileProblem<'p, 'a> {
    profile: &'p Profile<'a>,
    last: RefCell<Option<(Vec<f64>, Option<Inner>)>>,
}

impl ProfileProblem<'_, '_> {
    /// `f` of the inner solution at `u` (`None` when there is none), solving only if `u` is new.
    fn with_inner<T>(&self, u: &[f64], f: impl FnOnce(Option<&Inner>) -> T) -> T {
        let mut last = self.last.borrow_mut();
        if last.as_ref().is_none_or(|(at, _)| at.as_slice() != u) {
            // The line search moves in small steps, so the last noise level is a close start.
            let sigma0 = last.as_ref().and_then(|(_, inner)| inner.as_ref()).map(|i| i.params.sigma);
            *last = Some((u.to_vec(), self.profile.inner_from(u, sigma0).ok()));
        }
        f(last.as_ref().and_then(|(_, inner)| inner.as_ref()))
    }
}

impl CostFunction for ProfileProblem<'_, '_> {
    type Param = Vec<f64>;
    type Output = f64;
    fn cost(&self, u: &Self::Param) -> Result<f64, argmin::core::Error> {
        Ok(self.with_inner(u, |inner| inner.map_or(f64::INFINITY, |i| i.objective)))
    }
}

impl Gradient for ProfileProblem<'_, '_> {
    type Param = Vec<f64>;
    type Gradient = Vec<f64>;
    fn gradient(&self, u: &Self::Param) -> Result<Vec<f64>, argmin::core::Error> {
        self.with_inner(u, |inner| match inner {
            Some(i) => Ok(self.profile.gradient_at(i)),
            // The same error the uncached path reports.
            None => self.profile.gradient(u).map(|(_, g)| g).map_err(|e| argmin::core::Error::msg(e.to_string())),
        })
    }
}

/// Convenience: the mode of `model` with default search settings.
pub fn map(model: &Model, settings: &SearchSettings) -> Result<Mode, MmmError> {
    Profile::new(model).search(settings)
}
