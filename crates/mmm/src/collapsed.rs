//! Intervals for the fast fit: importance sampling of the exact posterior with the linear coefficients
//! integrated out.
//!
//! Given the adstock and saturation shapes `u` and the noise level `sigma`, the model is linear in its
//! coefficients `b` (intercept, trend, seasonality, controls, channel effects), so with Gaussian priors their
//! conditional posterior is a normal truncated to `b_media >= 0`, known in closed form. That leaves a small
//! space, `theta = (u, ln sigma)` (2 parameters per channel + 1), where the posterior is close to normal once
//! the coefficients are integrated out. A Laplace approximation of the full space fails where a small effect's
//! logarithm has a long tail and the shapes of a weak channel are free (the intervals of the first fast fit
//! covered a third of the true shares on the benchmark worlds); here the coefficients are never approximated.
//!
//! Proposal: `theta` from a Student t (4 degrees of freedom) around the mode of the collapsed density, shaped
//! by its curvature, mixed with a 2.5 times wider one; then `b` given `theta` by the GHK sequential sampler (each effect drawn from its
//! conditional normal truncated at zero). Each draw is weighted by the exact posterior (the model's own priors,
//! e.g. the Laplace prior of the Fourier terms) over the proposal density, weights truncated at
//! `mean x sqrt(S)` (Ionides 2008); their effective sample size says how good the proposal was.

use crate::draws::{newton_direction, Draws};
use crate::fit::Profile;
use crate::model::{jacobian, Model, Params};
use crate::normal::{ln_cdf, std_normal_above};
use crate::MmmError;
use nalgebra::{Cholesky, DMatrix, DVector, SymmetricEigen};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, StandardNormal};
use rayon::prelude::*;

/// Degrees of freedom of the Student-t proposal over the shapes and the noise.
pub const T_DOF: f64 = 4.0;
/// Share and scale of the proposal's wide component: a defensive mixture (Hesterberg 1995), so that where the
/// posterior reaches further than its curvature at the mode says (an effect traded against a saturation
/// shape bends the posterior into a banana), draws still land there and the weights stay bounded.
pub const WIDE_SHARE: f64 = 0.3;
pub const WIDE_SCALE: f64 = 2.5;

/// What the importance sampler saw.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct SamplerInfo {
    pub draws: usize,
    /// Effective sample size of the importance weights, as a fraction of the draws (1 = the proposal was exact).
    pub weight_ess_fraction: f64,
    /// The curvature at the mode had a flat or wrong-signed direction that had to be floored.
    pub curvature_repaired: bool,
}

/// The conditional posterior of the coefficients for one `theta`: `N(mean, A^-1)` before truncation.
struct Conditional {
    /// Precision `A = X'X / sigma^2 + prior precision`.
    precision: DMatrix<f64>,
    mean: DVector<f64>,
    /// `c = X'y / sigma^2 + prior precision x prior mean`.
    rhs: DVector<f64>,
    ln_det_precision: f64,
}

/// The collapsed problem around a fit's model.
pub struct Collapsed<'a> {
    model: &'a Model,
    profile: Profile<'a>,
    yty: f64,
}

impl<'a> Collapsed<'a> {
    pub fn new(model: &'a Model) -> Self {
        let yty = model.design.y.iter().map(|v| v * v).sum();
        Collapsed { model, profile: Profile::new(model), yty }
    }

    /// Length of `theta`: the shapes and ln sigma.
    pub fn dim(&self) -> usize {
        self.profile.dim() + 1
    }

    fn n_coef(&self) -> usize {
        self.model.n_fixed() + self.model.n_channels()
    }

    /// `theta` of natural parameters.
    pub fn theta(&self, p: &Params) -> Vec<f64> {
        let mut t = self.profile.unconstrained(&p.adstock, &p.saturation);
        t.push(p.sigma.ln());
        t
    }

    /// Log prior density of the shapes in `theta` space (Jacobian included) and of sigma in ln sigma.
    fn ln_prior_theta(&self, theta: &[f64]) -> f64 {
        let (u, ls) = theta.split_at(theta.len() - 1);
        let (adstock, saturation) = self.profile.shapes(u);
        let k = self.profile.per_channel_shapes();
        let mut lp = 0.0;
        for m in 0..self.model.n_channels() {
            let vals = adstock[m].iter().chain(&saturation[m]);
            for (i, (pr, v)) in self.profile.shape_priors_of(m).zip(vals).enumerate() {
                lp += pr.logpdf(*v) + jacobian(pr.support(), u[m * k + i]).0;
            }
        }
        let sigma = ls[0].exp();
        lp + self.model.sigma_prior.logpdf(sigma) + ls[0]
    }

    fn conditional(&self, theta: &[f64]) -> Option<Conditional> {
        let (u, ls) = theta.split_at(theta.len() - 1);
        let s2 = (2.0 * ls[0]).exp();
        let (xtx, xty) = self.profile.normal_equations(u);
        let (mean0, prec0) = self.profile.prior();
        let mut a = xtx / s2;
        let mut c = xty / s2;
        for j in 0..a.nrows() {
            a[(j, j)] += prec0[j];
            c[j] += prec0[j] * mean0[j];
        }
        let chol = Cholesky::new(a.clone())?;
        let ln_det_precision = 2.0 * chol.l().diagonal().iter().map(|v| v.ln()).sum::<f64>();
        let mean = chol.solve(&c);
        Some(Conditional { precision: a, mean, rhs: c, ln_det_precision })
    }

    /// Log density of `theta` with the coefficients integrated out (Gaussian priors, as in the fast fit's inner
    /// problem), the probability that the effects are non-negative taken as the product of their marginal
    /// probabilities. Exact enough to centre and shape the proposal; the weights use the exact posterior.
    pub fn ln_density(&self, theta: &[f64]) -> f64 {
        let Some(cond) = self.conditional(theta) else { return f64::NEG_INFINITY };
        let n = self.model.design.n as f64;
        let ls = theta[theta.len() - 1];
        let s2 = (2.0 * ls).exp();
        let mut v = self.ln_prior_theta(theta) - n * ls - 0.5 * self.yty / s2 + 0.5 * cond.rhs.dot(&cond.mean)
            - 0.5 * cond.ln_det_precision;
        let nf = self.model.n_fixed();
        if let Some(cov) = cond.precision.clone().try_inverse() {
            for j in nf..self.n_coef() {
                let sd = cov[(j, j)].max(1e-300).sqrt();
                v += ln_cdf(cond.mean[j] / sd);
            }
        }
        if v.is_finite() {
            v
        } else {
            f64::NEG_INFINITY
        }
    }

    /// The mode of [`Collapsed::ln_density`] from `start`, by Newton steps on finite differences (the space is
    /// small), and the negative Hessian there.
    fn mode(&self, start: Vec<f64>) -> (Vec<f64>, DMatrix<f64>) {
        let mut x = start;
        let mut fx = self.ln_density(&x);
        let mut h = self.neg_hessian(&x, fx);
        for _ in 0..8 {
            let step = newton_direction(h.clone(), &self.gradient(&x));
            let mut t = 1.0;
            let mut moved = false;
            for _ in 0..30 {
                let cand: Vec<f64> = x.iter().zip(step.iter()).map(|(a, b)| a + t * b.clamp(-3.0, 3.0)).collect();
                let fc = self.ln_density(&cand);
                if fc.is_finite() && fc > fx {
                    moved = fc - fx > 1e-9;
                    x = cand;
                    fx = fc;
                    break;
                }
                t *= 0.5;
            }
            if !moved {
                break;
            }
            h = self.neg_hessian(&x, fx);
        }
        (x, h)
    }

    fn step(x: f64) -> f64 {
        1e-4 * (1.0 + x.abs())
    }

    fn gradient(&self, x: &[f64]) -> Vec<f64> {
        (0..x.len())
            .map(|i| {
                let h = Self::step(x[i]);
                let mut up = x.to_vec();
                let mut dn = x.to_vec();
                up[i] += h;
                dn[i] -= h;
                (self.ln_density(&up) - self.ln_density(&dn)) / (2.0 * h)
            })
            .collect()
    }

    /// Negative Hessian by central second differences of the density values.
    fn neg_hessian(&self, x: &[f64], fx: f64) -> DMatrix<f64> {
        let d = x.len();
        let at = |moves: &[(usize, f64)]| {
            let mut p = x.to_vec();
            for &(i, s) in moves {
                p[i] += s;
            }
            self.ln_density(&p)
        };
        let hs: Vec<f64> = x.iter().map(|v| Self::step(*v)).collect();
        let pairs: Vec<(usize, usize)> = (0..d).flat_map(|i| (i..d).map(move |j| (i, j))).collect();
        let vals: Vec<f64> = pairs
            .par_iter()
            .map(|&(i, j)| {
                let (hi, hj) = (hs[i], hs[j]);
                if i == j {
                    -(at(&[(i, hi)]) - 2.0 * fx + at(&[(i, -hi)])) / (hi * hi)
                } else {
                    -(at(&[(i, hi), (j, hj)]) - at(&[(i, hi), (j, -hj)]) - at(&[(i, -hi), (j, hj)])
                        + at(&[(i, -hi), (j, -hj)]))
                        / (4.0 * hi * hj)
                }
            })
            .collect();
        let mut h = DMatrix::zeros(d, d);
        for (&(i, j), v) in pairs.iter().zip(vals) {
            h[(i, j)] = v;
            h[(j, i)] = v;
        }
        h
    }

    /// One draw of the coefficients given `theta` by GHK: `b = mean + L e` with `L L' = A^-1`, each `e_i` drawn
    /// standard normal, truncated where `b_i` must stay non-negative. Returns `b` and the log proposal density
    /// (up to a constant shared by all draws).
    fn draw_coefficients(&self, cond: &Conditional, rng: &mut ChaCha8Rng) -> Option<(Vec<f64>, f64)> {
        let cov = cond.precision.clone().try_inverse()?;
        let chol = Cholesky::new((&cov + cov.transpose()) * 0.5)?;
        let l = chol.l();
        let p = self.n_coef();
        let nf = self.model.n_fixed();
        let mut e = vec![0.0; p];
        let mut b = vec![0.0; p];
        let mut lq = 0.0;
        for i in 0..p {
            let partial: f64 = cond.mean[i] + (0..i).map(|j| l[(i, j)] * e[j]).sum::<f64>();
            let lii = l[(i, i)];
            if i >= nf {
                let (z, ln_p) = std_normal_above(-partial / lii, rng);
                e[i] = z;
                lq -= ln_p;
            } else {
                e[i] = StandardNormal.sample(rng);
            }
            lq += -0.5 * e[i] * e[i] - lii.ln();
            b[i] = (partial + lii * e[i]).max(if i >= nf { 0.0 } else { f64::NEG_INFINITY });
        }
        Some((b, lq))
    }

    /// Natural parameters of `theta` and coefficients `b`.
    fn params(&self, theta: &[f64], b: &[f64]) -> Params {
        let (u, ls) = theta.split_at(theta.len() - 1);
        let (adstock, saturation) = self.profile.shapes(u);
        let nf = self.model.n_fixed();
        Params { fixed: b[..nf].to_vec(), beta: b[nf..].to_vec(), adstock, saturation, sigma: ls[0].exp() }
    }

    /// The exact log posterior over `(theta, b)`: the model's density in its own unconstrained space, less the
    /// Jacobian of ln beta (here the effects are drawn as they are, not as logarithms).
    fn ln_target(&self, p: &Params) -> f64 {
        if p.beta.iter().any(|&b| b <= 0.0) {
            // An effect of exactly zero: the density in beta is finite there, but ln beta is not; evaluate a
            // hair above it.
            let mut q = p.clone();
            q.beta.iter_mut().for_each(|b| *b = b.max(1e-300));
            return self.ln_target(&q);
        }
        let z = self.model.unconstrained(p);
        let lj: f64 = (0..self.model.n_channels()).map(|m| z[self.model.channel_offset(m)]).sum();
        self.model.logp(&z) - lj
    }
}

/// Weighted draws of the posterior of `model`, starting the search for the collapsed mode at `start` (the MAP).
pub fn draws(model: &Model, start: &Params, n_draws: usize, seed: u64) -> Result<(Draws, SamplerInfo), MmmError> {
    let c = Collapsed::new(model);
    let (centre, h) = c.mode(c.theta(start));
    if h.iter().any(|v| !v.is_finite()) {
        return Err(MmmError::Numeric("the posterior's curvature is not finite at its mode".into()));
    }
    let d = centre.len();
    let eig = SymmetricEigen::new(h);
    let max_ev = eig.eigenvalues.iter().cloned().fold(0.0_f64, f64::max).max(1e-12);
    let floor = max_ev * 1e-10;
    let repaired = eig.eigenvalues.iter().any(|&v| v < floor);
    let scales: Vec<f64> = eig.eigenvalues.iter().map(|&v| 1.0 / v.max(floor).sqrt()).collect();
    let v = eig.eigenvectors;
    let gamma = rand_distr::Gamma::new(T_DOF / 2.0, 2.0 / T_DOF)
        .map_err(|e| MmmError::Numeric(format!("the proposal cannot be set up: {e}")))?;
    // Every draw gets its own generator seeded from one stream in order, so the draws (evaluated in parallel)
    // do not depend on the number of threads.
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let seeds: Vec<u64> = (0..n_draws).map(|_| rng.gen()).collect();
    let drawn: Vec<Option<(Params, f64)>> = seeds
        .par_iter()
        .map(|&s| {
            let mut r = ChaCha8Rng::seed_from_u64(s);
            let eps: Vec<f64> = (0..d).map(|_| StandardNormal.sample(&mut r)).collect();
            let wide = r.gen::<f64>() < WIDE_SHARE;
            let k = 1.0 / gamma.sample(&mut r).max(1e-12).sqrt() * if wide { WIDE_SCALE } else { 1.0 };
            let scaled = DVector::from_iterator(d, eps.iter().zip(&scales).map(|(e, s)| k * e * s));
            let dt = &v * scaled;
            let theta: Vec<f64> = centre.iter().zip(dt.iter()).map(|(a, b)| a + b).collect();
            // Mahalanobis distance under the curvature, then the density of the mixture of both components.
            let uu = k * k * eps.iter().map(|e| e * e).sum::<f64>();
            let t_dens = |scale: f64| {
                -(d as f64) * scale.ln() - 0.5 * (T_DOF + d as f64) * (1.0 + uu / (scale * scale * T_DOF)).ln()
            };
            let (narrow, wide) = (t_dens(1.0) + (1.0 - WIDE_SHARE).ln(), t_dens(WIDE_SCALE) + WIDE_SHARE.ln());
            let top = narrow.max(wide);
            let lq_theta = top + ((narrow - top).exp() + (wide - top).exp()).ln();
            let cond = c.conditional(&theta)?;
            let (b, lq_b) = c.draw_coefficients(&cond, &mut r)?;
            let p = c.params(&theta, &b);
            let lp = c.ln_target(&p);
            lp.is_finite().then_some((p, lp - lq_theta - lq_b))
        })
        .collect();
    let kept: Vec<(Params, f64)> = drawn.into_iter().flatten().collect();
    if kept.is_empty() {
        return Err(MmmError::Numeric("no draw of the approximation had a finite posterior".into()));
    }
    let (params, logw): (Vec<Params>, Vec<f64>) = kept.into_iter().unzip();
    let weights = crate::draws::truncated_weights(&logw);
    let ess = 1.0 / weights.iter().map(|x| x * x).sum::<f64>();
    Ok((
        Draws { params, weights },
        SamplerInfo { draws: n_draws, weight_ess_fraction: ess / n_draws as f64, curvature_repaired: repaired },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::panel::Frequency;
    use crate::priors::{Prior, Priors};
    use crate::spec::ModelSpec;

    /// One channel, an intercept and nothing else, so the coefficients are (intercept, beta) and the collapsed
    /// density can be checked against a brute-force integral over them.
    fn tiny() -> Model {
        let n = 40;
        let x: Vec<f64> = (0..n).map(|t| ((t * 37 % 11) as f64) / 3.0).collect();
        let target = (0..n).map(|t| 10.0 + 1.5 * x[t] + ((t * 13 % 7) as f64 - 3.0) / 2.0).collect();
        let panel = crate::test_panels::weekly(target, vec![("a", x)], Vec::new());
        let spec = ModelSpec { fourier_order: 0, trend: false, ..ModelSpec::default_for(Frequency::Weekly) };
        let priors = Priors { intercept: Prior::Normal { mu: 0.0, sigma: 2.0 }, ..Priors::default() };
        Model::new(&panel, &spec, &priors).unwrap()
    }

    /// ln ∫∫ exp(ln_target) d(intercept) d(beta) by the midpoint rule on a grid wide enough to hold the mass.
    fn brute_force(c: &Collapsed, theta: &[f64]) -> f64 {
        let cond = c.conditional(theta).unwrap();
        let cov = cond.precision.clone().try_inverse().unwrap();
        let (sd0, sd1) = (cov[(0, 0)].sqrt(), cov[(1, 1)].sqrt());
        let k = 600;
        let (lo0, hi0) = (cond.mean[0] - 9.0 * sd0, cond.mean[0] + 9.0 * sd0);
        let (lo1, hi1) = ((cond.mean[1] - 9.0 * sd1).max(0.0), (cond.mean[1] + 9.0 * sd1).max(9.0 * sd1));
        let (h0, h1) = ((hi0 - lo0) / k as f64, (hi1 - lo1) / k as f64);
        let mut vals = Vec::with_capacity(k * k);
        for i in 0..k {
            for j in 0..k {
                let b = [lo0 + (i as f64 + 0.5) * h0, lo1 + (j as f64 + 0.5) * h1];
                vals.push(c.ln_target(&c.params(theta, &b)));
            }
        }
        let max = vals.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
        max + (vals.iter().map(|v| (v - max).exp()).sum::<f64>() * h0 * h1).ln()
    }

    #[test]
    fn collapsed_density_is_the_integral_of_the_posterior_over_the_coefficients() {
        let model = tiny();
        let c = Collapsed::new(&model);
        // Three shapes and noise levels, one where the effect's conditional mean is near zero (truncation bites).
        let thetas = [vec![0.0, 0.5, -1.0], vec![1.5, -0.5, -0.7], vec![-2.0, 2.5, -0.3]];
        let exact: Vec<f64> = thetas.iter().map(|t| c.ln_density(t)).collect();
        let brute: Vec<f64> = thetas.iter().map(|t| brute_force(&c, t)).collect();
        for i in 1..thetas.len() {
            let (a, b) = (exact[i] - exact[0], brute[i] - brute[0]);
            assert!((a - b).abs() < 1e-4 * (1.0 + b.abs()), "theta {i}: collapsed {a} vs brute force {b}");
        }
    }

    /// The importance sampler against the NUTS posterior of the same tiny model: posterior means and 90 %
    /// intervals of the effect and the noise agree within Monte Carlo error.
    #[test]
    fn weighted_draws_agree_with_the_nuts_posterior() {
        let model = tiny();
        let mode = crate::fit::map(&model, &crate::fit::SearchSettings::default()).unwrap();
        let (draws, info) = draws(&model, &mode.params, 4000, 11).unwrap();
        assert!(info.weight_ess_fraction > 0.3, "ess fraction {}", info.weight_ess_fraction);
        let z0 = crate::draws::z_mode(&model, &mode.params);
        let post = crate::nuts::sample(&model, Some(&z0), &crate::nuts::NutsSettings::default()).unwrap();
        let nuts: Vec<Params> = post.draws.iter().flatten().map(|z| model.params(z)).collect();
        let eq = vec![1.0 / nuts.len() as f64; nuts.len()];
        // Monte Carlo error of a difference of the two estimates: the importance sampler's effective draws and
        // NUTS's smallest bulk ESS.
        let ess_is = info.weight_ess_fraction * 4000.0;
        let ess_nuts = post.summary(&post.diagnostics(&model)).min_ess_bulk;
        let rel_se = (1.0 / ess_is + 1.0 / ess_nuts).sqrt();
        type Pick = fn(&Params) -> f64;
        let pick: [(&str, Pick); 3] = [("beta", |p| p.beta[0]), ("sigma", |p| p.sigma), ("alpha", |p| p.adstock[0][0])];
        for (name, f) in pick {
            let a: Vec<f64> = draws.params.iter().map(f).collect();
            let b: Vec<f64> = nuts.iter().map(f).collect();
            let mean_a: f64 = a.iter().zip(&draws.weights).map(|(v, w)| v * w).sum();
            let mean_b: f64 = b.iter().sum::<f64>() / b.len() as f64;
            let sd_b = (b.iter().map(|v| (v - mean_b).powi(2)).sum::<f64>() / b.len() as f64).sqrt();
            eprintln!("{name}: mean {mean_a} vs NUTS {mean_b} (sd {sd_b}, ess {ess_is:.0} / {ess_nuts:.0})");
            assert!((mean_a - mean_b).abs() < 4.0 * rel_se * sd_b, "{name}: mean {mean_a} vs NUTS {mean_b}");
            for q in [0.05, 0.95] {
                let (qa, qb) = (
                    crate::draws::weighted_quantile(&a, &draws.weights, q),
                    crate::draws::weighted_quantile(&b, &eq, q),
                );
                eprintln!("  q{q}: {qa} vs NUTS {qb}");
                // Tail quantiles carry about twice the Monte Carlo error of the mean.
                assert!((qa - qb).abs() < 8.0 * rel_se * sd_b, "{name} q{q}: {qa} vs NUTS {qb} (sd {sd_b})");
            }
        }
    }
}
