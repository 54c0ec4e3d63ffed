//! The full posterior of the mix model by the No-U-Turn Sampler, so that intervals reflect the real shape of
//! the posterior (skewed betas, alpha against lambda trade-offs) rather than the Laplace approximation's
//! ellipse around the MAP fit.
//!
//! Method: NUTS (M. D. Hoffman, A. Gelman (2014), "The No-U-Turn Sampler", *JMLR* 15, 1593-1623), as Stan
//! and PyMC implement it (M. Betancourt (2017), "A Conceptual Introduction to Hamiltonian Monte Carlo",
//! arXiv:1701.02434), run by the `nuts-rs` crate (0.19), the sampler inside nutpie, which PyMC-Marketing's
//! quickstart samples with. Warmup adapts the step size by dual averaging to `target_accept` and a mass matrix
//! ([`MassMatrix`]: diagonal, estimated from draws and gradients, or diagonal plus low rank).
//!
//! It samples `z`, the unconstrained vector of [`Model`], on [`Model::logp_grad`] (exact log posterior with
//! Jacobian, exact gradient); [`crate::fit_nuts`] samples a model in the centred coordinates of
//! [`crate::centred`] by default. Defaults are PyMC's but for `target_accept`: 4 chains, 1000 warmup ("tune")
//! and 1000 kept draws per chain, `target_accept` 0.9 (PyMC 0.8), maximum tree depth 10 (at most 1023
//! leapfrog steps per draw).
//!
//! Determinism: chain `c` draws its start and its sampler seed from a ChaCha20 stream `c` seeded with
//! `seed`, so a seed gives the same draws whatever the number of threads or their scheduling. Chains run in
//! parallel on rayon's pool.
//!
//! A log density that is not finite (outside the support, overflow, NaN) or a gradient that is not finite is
//! reported to nuts-rs as a recoverable error: the leapfrog step counts as a divergence and the trajectory
//! stops there, as in Stan and nutpie; nothing panics.

use crate::diagnostics::{self, Diagnostic, Summary};
use crate::{MmmError, Model};
use nuts_rs::rand::SeedableRng as _;
use nuts_rs::{
    Chain, CpuLogpFunc, CpuMath, CpuMathError, DiagNutsSettings, HasDims, LogpError, LowRankNutsSettings, Math,
    SamplerStats, Settings,
};
use rand_chacha::rand_core::{RngCore, SeedableRng};
use rand_chacha::ChaCha20Rng;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::time::{Duration, Instant};

/// A log density the sampler can run on, in an unconstrained space. [`Model`] is one; the tests also run
/// densities whose posterior is known in closed form.
pub trait LogDensity: Sync {
    fn dim(&self) -> usize;
    /// Log density up to a constant at `z`, with its gradient written into `grad`. A value that is not finite
    /// means "no mass here".
    fn logp_grad(&self, z: &[f64], grad: &mut [f64]) -> f64;
}

impl LogDensity for Model {
    fn dim(&self) -> usize {
        Model::dim(self)
    }
    fn logp_grad(&self, z: &[f64], grad: &mut [f64]) -> f64 {
        Model::logp_grad(self, z, grad)
    }
}

/// How the sampler runs.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct NutsSettings {
    /// Independent chains (4): R-hat compares them, so at least 2 for a diagnosis.
    pub chains: usize,
    /// Warmup draws per chain (1000), discarded: step size and mass matrix adapt during them.
    pub warmup: usize,
    /// Kept draws per chain (1000).
    pub draws: usize,
    /// Seeds every chain (see the module doc on determinism).
    pub seed: u64,
    /// Mean acceptance probability the step size is tuned to (0.9; nutpie's and PyMC's default is 0.8,
    /// PyMC-Marketing's example uses 0.85). In centred coordinates 0.9 leaves divergences in 3 of the 20
    /// benchmark worlds, 0.8 in 10 (docs/mmm.md). Raise it towards 0.95 when there are divergences.
    pub target_accept: f64,
    /// Maximum tree depth (10): at most 2^10 - 1 leapfrog steps per draw.
    pub max_tree_depth: u64,
    /// Diagonal by default, as nutpie and PyMC.
    pub mass_matrix: MassMatrix,
    /// The coordinates [`crate::fit_nuts`] samples a model in (centred by default; draws always come back in
    /// `z`). [`sample`] samples the density it is given and ignores this.
    pub coordinates: Coordinates,
}

/// The coordinates NUTS moves in when it samples a [`Model`] (through [`crate::fit_nuts`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Coordinates {
    /// The model's own `z`.
    Unconstrained,
    /// [`crate::centred`]: each channel's log mean contribution instead of ln beta and the mean level of the
    /// whole mean instead of the intercept, which undoes the strongest posterior correlations of a mix model
    /// (beta against the saturation scale, the intercept against everything with a non-zero mean). On the 20
    /// benchmark worlds it removes the divergences from 17 of 20 (docs/mmm.md, "The full posterior").
    Centred,
}

/// The metric NUTS adapts during warmup.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum MassMatrix {
    /// One scale per parameter, estimated from draws and gradients (nutpie's and PyMC's default).
    Diagonal,
    /// Diagonal plus a low-rank correction along the directions where draws and gradients show strong
    /// correlation, chosen to minimise the Fisher divergence between the preconditioned posterior and a
    /// standard normal (A. Seyboldt, E. Carlson, B. Carpenter; nutpie's `low_rank_modified_mass_matrix=True`).
    /// Mix models correlate the intercept with the beta and saturation of an always-on channel, which a
    /// diagonal cannot undo: on the two-channel test world it gives four times the ESS per draw. It is not
    /// the default because on PyMC-Marketing's example, whose slowest parameters are a bursty channel's
    /// curved (banana-shaped) lam and beta, the diagonal mixes better (docs/mmm.md, "The full posterior").
    LowRank,
}

impl Default for NutsSettings {
    fn default() -> Self {
        NutsSettings {
            chains: 4,
            warmup: 1000,
            draws: 1000,
            seed: 0,
            target_accept: 0.9,
            max_tree_depth: 10,
            mass_matrix: MassMatrix::Diagonal,
            coordinates: Coordinates::Centred,
        }
    }
}

impl NutsSettings {
    pub fn validate(&self) -> Result<(), MmmError> {
        if self.chains == 0 || self.draws < 4 {
            return Err(MmmError::Spec(format!(
                "the sampler needs at least 1 chain and 4 draws per chain (got {} chains, {} draws)",
                self.chains, self.draws
            )));
        }
        if !(self.target_accept > 0.0 && self.target_accept < 1.0) {
            return Err(MmmError::Spec(format!(
                "target_accept {} must lie strictly between 0 and 1 (e.g. 0.8)",
                self.target_accept
            )));
        }
        if !(1..=20).contains(&self.max_tree_depth) {
            return Err(MmmError::Spec(format!("max_tree_depth {} must be between 1 and 20", self.max_tree_depth)));
        }
        Ok(())
    }
}

/// Half-width of the uniform jitter added to a given starting point, per coordinate of `z`: small, so every
/// chain starts near the MAP fit, yet not at one point, so R-hat can still see chains that disagree.
pub const JITTER_NEAR_START: f64 = 0.1;
/// Half-width of the uniform starting draw around zero when no start is given (PyMC's `jitter+adapt_diag`
/// jitter).
pub const JITTER_NO_START: f64 = 1.0;
/// Starting points tried per chain before giving up on a density that is not finite near the start.
const START_TRIES: usize = 100;

/// The draws of a run, in `z` space, with what the sampler saw.
#[derive(Clone, Debug, PartialEq)]
pub struct Posterior {
    /// `draws[chain][draw][i]`: kept draws (after warmup) of `z`.
    pub draws: Vec<Vec<Vec<f64>>>,
    /// Divergent transitions after warmup, per chain.
    pub divergences: Vec<usize>,
    /// Divergent transitions during warmup, per chain (common early on and harmless in themselves).
    pub warmup_divergences: Vec<usize>,
    /// Adapted step size per chain (after warmup).
    pub step_sizes: Vec<f64>,
    /// Mean tree depth of the kept draws, per chain.
    pub mean_tree_depth: Vec<f64>,
    /// Kept draws whose trajectory stopped at the maximum tree depth, per chain: many of them mean the
    /// sampler crawls (bad geometry or too small a step).
    pub max_depth_hits: Vec<usize>,
    /// Gradient evaluations over warmup and draws, per chain (the sampler's real cost).
    pub gradient_evals: Vec<u64>,
    /// Wall time of the whole run.
    pub elapsed: Duration,
}

impl Posterior {
    pub fn chains(&self) -> usize {
        self.draws.len()
    }

    pub fn total_divergences(&self) -> usize {
        self.divergences.iter().sum()
    }

    /// Every draw mapped by `f` (e.g. to natural parameters or contributions): `[chain][draw][k]`.
    pub fn map<F: Fn(&[f64]) -> Vec<f64>>(&self, f: F) -> Vec<Vec<Vec<f64>>> {
        self.draws.iter().map(|c| c.iter().map(|z| f(z)).collect()).collect()
    }

    /// R-hat, bulk and tail ESS of every parameter of `model`, computed on natural-space values (beta, not
    /// ln beta), named by [`Model::param_names`]: ArviZ diagnoses PyMC's named (constrained) variables too,
    /// and R-hat and ESS are invariant only to monotone maps applied to each one, which these are.
    pub fn diagnostics(&self, model: &Model) -> Vec<Diagnostic> {
        diagnostics::diagnose(&model.param_names(), &self.map(|z| model.natural_values(z)))
    }

    /// The worst of `diagnostics` and this run's divergences.
    pub fn summary(&self, diagnostics: &[Diagnostic]) -> Summary {
        diagnostics::summarise(diagnostics, self.total_divergences())
    }
}

/// Samples `density` with `settings`, starting every chain near `z0` (a MAP fit) or, without one, near zero.
pub fn sample<D: LogDensity + ?Sized>(
    density: &D,
    z0: Option<&[f64]>,
    settings: &NutsSettings,
) -> Result<Posterior, MmmError> {
    settings.validate()?;
    if let Some(z0) = z0 {
        if z0.len() != density.dim() {
            return Err(MmmError::Spec(format!(
                "the starting point has {} values, the model {} parameters",
                z0.len(),
                density.dim()
            )));
        }
    }
    let start = Instant::now();
    let runs = (0..settings.chains)
        .into_par_iter()
        .map(|c| run_chain(density, z0, settings, c))
        .collect::<Result<Vec<_>, _>>()?;
    let mut post = Posterior {
        draws: Vec::with_capacity(runs.len()),
        divergences: Vec::new(),
        warmup_divergences: Vec::new(),
        step_sizes: Vec::new(),
        mean_tree_depth: Vec::new(),
        max_depth_hits: Vec::new(),
        gradient_evals: Vec::new(),
        elapsed: Duration::ZERO,
    };
    for r in runs {
        post.draws.push(r.draws);
        post.divergences.push(r.divergences);
        post.warmup_divergences.push(r.warmup_divergences);
        post.step_sizes.push(r.step_size);
        post.mean_tree_depth.push(r.depth_sum as f64 / settings.draws as f64);
        post.max_depth_hits.push(r.max_depth_hits);
        post.gradient_evals.push(r.gradient_evals);
    }
    post.elapsed = start.elapsed();
    Ok(post)
}

struct ChainRun {
    draws: Vec<Vec<f64>>,
    divergences: usize,
    warmup_divergences: usize,
    step_size: f64,
    depth_sum: u64,
    max_depth_hits: usize,
    gradient_evals: u64,
}

fn run_chain<D: LogDensity + ?Sized>(
    density: &D,
    z0: Option<&[f64]>,
    settings: &NutsSettings,
    chain: usize,
) -> Result<ChainRun, MmmError> {
    let fail = |message: String| MmmError::Sampler { chain, message };
    let mut rng = ChaCha20Rng::seed_from_u64(settings.seed);
    rng.set_stream(chain as u64);
    let mut sampler_rng = nuts_rs::rand::rngs::ChaCha8Rng::seed_from_u64(rng.next_u64());
    let math = CpuMath::new(Density { density });
    // The two settings types differ only in their mass matrix; their chains are different types, hence the
    // two calls. The closure reads tree depth from the concrete statistics type of each.
    macro_rules! with {
        ($ty:ty) => {{
            let mut nuts = <$ty>::default();
            nuts.num_tune = settings.warmup as u64;
            nuts.num_draws = settings.draws as u64;
            nuts.num_chains = settings.chains;
            nuts.seed = settings.seed;
            nuts.maxdepth = settings.max_tree_depth;
            nuts.adapt_options.step_size_settings.target_accept = settings.target_accept;
            let sampler = nuts.new_chain(chain as u64, math, &mut sampler_rng).map_err(|e| fail(format!("{e:#}")))?;
            drive(sampler, density, z0, settings, &mut rng, |s| (s.depth, s.maxdepth_reached)).map_err(fail)
        }};
    }
    match settings.mass_matrix {
        MassMatrix::Diagonal => with!(DiagNutsSettings),
        MassMatrix::LowRank => with!(LowRankNutsSettings),
    }
}

/// Starts `sampler` and runs warmup and draws, keeping the draws and counting what the summary reports.
fn drive<M, C, D, F>(
    mut sampler: C,
    density: &D,
    z0: Option<&[f64]>,
    settings: &NutsSettings,
    rng: &mut ChaCha20Rng,
    depth_of: F,
) -> Result<ChainRun, String>
where
    M: Math,
    C: Chain<M>,
    D: LogDensity + ?Sized,
    F: Fn(&<C as SamplerStats<M>>::Stats) -> (u64, bool),
{
    let dim = density.dim();
    let mut grad = vec![0.0; dim];
    let mut started = false;
    let mut last_error = String::new();
    for _ in 0..START_TRIES {
        let z: Vec<f64> = match z0 {
            Some(z0) => z0.iter().map(|&v| v + JITTER_NEAR_START * uniform_pm1(rng)).collect(),
            None => (0..dim).map(|_| JITTER_NO_START * uniform_pm1(rng)).collect(),
        };
        if !finite_at(density, &z, &mut grad) {
            last_error = "the log density or its gradient is not finite there".into();
            continue;
        }
        match sampler.set_position(&z) {
            Ok(()) => {
                started = true;
                break;
            }
            Err(e) => last_error = format!("{e:#}"),
        }
    }
    if !started {
        return Err(format!(
            "no starting point among {START_TRIES} near the {} gave a finite log density ({last_error}); \
             check the priors and the data",
            if z0.is_some() { "given start" } else { "origin" }
        ));
    }
    let mut run = ChainRun {
        draws: Vec::with_capacity(settings.draws),
        divergences: 0,
        warmup_divergences: 0,
        step_size: f64::NAN,
        depth_sum: 0,
        max_depth_hits: 0,
        gradient_evals: 0,
    };
    for i in 0..settings.warmup + settings.draws {
        let (position, _, stats, progress) = sampler.expanded_draw().map_err(|e| format!("{e:#}"))?;
        run.gradient_evals += progress.num_gradients;
        if i < settings.warmup {
            run.warmup_divergences += usize::from(progress.diverging);
            continue;
        }
        let (depth, hit) = depth_of(&stats);
        run.divergences += usize::from(progress.diverging);
        run.step_size = progress.step_size;
        run.depth_sum += depth;
        run.max_depth_hits += usize::from(hit);
        run.draws.push(position.into_vec());
    }
    Ok(run)
}

fn finite_at<D: LogDensity + ?Sized>(density: &D, z: &[f64], grad: &mut [f64]) -> bool {
    density.logp_grad(z, grad).is_finite() && grad.iter().all(|g| g.is_finite())
}

/// Uniform on [-1, 1) from 53 random bits.
fn uniform_pm1(rng: &mut ChaCha20Rng) -> f64 {
    2.0 * ((rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64) - 1.0
}

/// The bridge to nuts-rs: its `CpuLogpFunc` over one of our densities.
struct Density<'a, D: ?Sized> {
    density: &'a D,
}

/// A point where the log density or its gradient is not finite; recoverable, so nuts-rs treats the step as a
/// divergence instead of stopping.
#[derive(Debug, thiserror::Error)]
#[error("the log density or its gradient is not finite at this point")]
struct NotFinite;

impl LogpError for NotFinite {
    fn is_recoverable(&self) -> bool {
        true
    }
}

impl<D: LogDensity + ?Sized> HasDims for Density<'_, D> {
    fn dim_sizes(&self) -> HashMap<String, u64> {
        HashMap::from([("unconstrained_parameter".to_string(), self.density.dim() as u64)])
    }
}

impl<D: LogDensity + ?Sized> CpuLogpFunc for Density<'_, D> {
    type LogpError = NotFinite;
    type FlowParameters = ();
    type ExpandedVector = Vec<f64>;

    fn dim(&self) -> usize {
        self.density.dim()
    }

    fn logp(&mut self, position: &[f64], gradient: &mut [f64]) -> Result<f64, NotFinite> {
        let lp = self.density.logp_grad(position, gradient);
        if lp.is_finite() && gradient.iter().all(|g| g.is_finite()) {
            Ok(lp)
        } else {
            Err(NotFinite)
        }
    }

    fn expand_vector<R: nuts_rs::rand::Rng + ?Sized>(
        &mut self,
        _rng: &mut R,
        array: &[f64],
    ) -> Result<Vec<f64>, CpuMathError> {
        Ok(array.to_vec())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::panel::{ChannelGroup, Frequency, InputKind, MediaSeries, Panel};
    use crate::{ModelSpec, Params, Priors};
    use chrono::NaiveDate;
    use nalgebra::{DMatrix, DVector};
    use rand::{Rng, SeedableRng};
    use rand_distr::{Distribution, StandardNormal};

    /// Bayesian linear regression with known noise: y = X b + e, e ~ N(0, s²), b ~ N(0, t² I). The posterior
    /// of b is normal with precision XᵀX/s² + I/t² and mean (that precision)⁻¹ Xᵀy/s², in closed form.
    struct Regression {
        x: DMatrix<f64>,
        y: DVector<f64>,
        noise_sd: f64,
        prior_sd: f64,
    }

    impl Regression {
        fn new() -> Regression {
            let mut rng = ChaCha20Rng::seed_from_u64(41);
            let n = 30;
            // Correlated columns, so the posterior is correlated and the mass matrix has work to do.
            let x = DMatrix::from_fn(n, 3, |i, j| {
                let t = i as f64 / n as f64;
                match j {
                    0 => 1.0,
                    1 => t,
                    _ => t * t + 0.1 * rng.gen::<f64>(),
                }
            });
            let b = DVector::from_vec(vec![1.0, -2.0, 3.0]);
            let e = DVector::from_fn(n, |_, _| {
                let z: f64 = StandardNormal.sample(&mut rng);
                0.3 * z
            });
            Regression { y: &x * b + e, x, noise_sd: 0.3, prior_sd: 10.0 }
        }

        fn posterior(&self) -> (DVector<f64>, DMatrix<f64>) {
            let s2 = self.noise_sd * self.noise_sd;
            let prec = self.x.transpose() * &self.x / s2 + DMatrix::identity(3, 3) / (self.prior_sd * self.prior_sd);
            let cov = prec.try_inverse().unwrap();
            let mean = &cov * self.x.transpose() * &self.y / s2;
            (mean, cov)
        }
    }

    impl LogDensity for Regression {
        fn dim(&self) -> usize {
            3
        }
        fn logp_grad(&self, z: &[f64], grad: &mut [f64]) -> f64 {
            let b = DVector::from_column_slice(z);
            let r = &self.y - &self.x * &b;
            let s2 = self.noise_sd * self.noise_sd;
            let t2 = self.prior_sd * self.prior_sd;
            let g = self.x.transpose() * &r / s2 - &b / t2;
            grad.copy_from_slice(g.as_slice());
            -0.5 * r.norm_squared() / s2 - 0.5 * b.norm_squared() / t2
        }
    }

    /// Poisson counts with a Gamma(a, rate c) prior on their rate λ: the posterior is Gamma(a + Σy, c + n).
    /// Sampled on z = ln λ with the log Jacobian z, as the model samples its positive parameters.
    struct PoissonGamma {
        a: f64,
        c: f64,
        sum: f64,
        n: f64,
    }

    impl LogDensity for PoissonGamma {
        fn dim(&self) -> usize {
            1
        }
        fn logp_grad(&self, z: &[f64], grad: &mut [f64]) -> f64 {
            let lam = z[0].exp();
            grad[0] = (self.a + self.sum) - (self.c + self.n) * lam;
            (self.a + self.sum - 1.0) * z[0] - (self.c + self.n) * lam + z[0]
        }
    }

    /// Draws of coordinate `k` per chain.
    fn coord(post: &Posterior, k: usize) -> Vec<Vec<f64>> {
        post.draws.iter().map(|c| c.iter().map(|z| z[k]).collect()).collect()
    }

    fn mean_sd(chains: &[Vec<f64>]) -> (f64, f64) {
        let all: Vec<f64> = chains.iter().flatten().copied().collect();
        let m = all.iter().sum::<f64>() / all.len() as f64;
        let v = all.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (all.len() - 1) as f64;
        (m, v.sqrt())
    }

    fn quick() -> NutsSettings {
        NutsSettings { warmup: 500, draws: 1000, seed: 7, ..NutsSettings::default() }
    }

    #[test]
    fn conjugate_regression_posterior_is_recovered_within_monte_carlo_error() {
        let reg = Regression::new();
        let (mean, cov) = reg.posterior();
        let post = sample(&reg, None, &quick()).unwrap();
        assert_eq!(post.total_divergences(), 0);
        for k in 0..3 {
            let chains = coord(&post, k);
            let (m, sd) = mean_sd(&chains);
            let true_sd = cov[(k, k)].sqrt();
            // Monte Carlo standard errors: of the mean sd/sqrt(ESS); of the sd about sd/sqrt(2 ESS). 4 of them
            // is a test that fails once in about 15,000 runs of a correct sampler.
            let ess = diagnostics::ess_mean(&chains);
            assert!(ess > 400.0, "b{k}: ESS {ess}");
            let se = true_sd / ess.sqrt();
            assert!((m - mean[k]).abs() < 4.0 * se, "b{k}: mean {m} vs {} (MCSE {se})", mean[k]);
            assert!((sd / true_sd - 1.0).abs() < 4.0 / (2.0 * ess).sqrt(), "b{k}: sd {sd} vs {true_sd}");
            assert!(diagnostics::rhat(&chains) < 1.01);
        }
    }

    #[test]
    fn skewed_positive_posterior_through_the_log_transform_is_recovered() {
        let pg = PoissonGamma { a: 2.0, c: 1.0, sum: 7.0, n: 4.0 };
        let post = sample(&pg, None, &quick()).unwrap();
        let lam: Vec<Vec<f64>> = post.draws.iter().map(|c| c.iter().map(|z| z[0].exp()).collect()).collect();
        let (m, sd) = mean_sd(&lam);
        // Gamma(9, 5): mean 1.8, sd 0.6, skewed to the right.
        let (true_m, true_sd) = (9.0 / 5.0, 3.0 / 5.0);
        let ess = diagnostics::ess_mean(&lam);
        assert!((m - true_m).abs() < 4.0 * true_sd / ess.sqrt(), "mean {m} vs {true_m}, ESS {ess}");
        assert!((sd / true_sd - 1.0).abs() < 0.08, "sd {sd} vs {true_sd}");
        // P(λ < 1) of Gamma(9, 5) is 0.0681 (regularised incomplete gamma P(9, 5)).
        let below = lam.iter().flatten().filter(|&&l| l < 1.0).count() as f64 / 4000.0;
        assert!((below - 0.0681).abs() < 0.02, "P(λ < 1) {below}");
    }

    /// A standard normal in 2-D whose log density is NaN for z0 > 1 (as a model's can be where it overflows).
    struct NanWall;

    impl LogDensity for NanWall {
        fn dim(&self) -> usize {
            2
        }
        fn logp_grad(&self, z: &[f64], grad: &mut [f64]) -> f64 {
            grad[0] = -z[0];
            grad[1] = -z[1];
            if z[0] > 1.0 {
                f64::NAN
            } else {
                -0.5 * (z[0] * z[0] + z[1] * z[1])
            }
        }
    }

    #[test]
    fn nan_log_density_is_a_divergence_not_a_panic() {
        let post = sample(&NanWall, None, &quick()).unwrap();
        assert!(post.draws.iter().flatten().all(|z| z[0] <= 1.0));
        assert!(post.total_divergences() > 0, "hitting the wall is a divergence");
        // The draws are the normal truncated at 1: mean -φ(1)/Φ(1) = -0.2876.
        let (m, _) = mean_sd(&coord(&post, 0));
        assert!((m - -0.2876).abs() < 0.05, "truncated mean {m}");
    }

    #[test]
    fn a_density_that_is_nowhere_finite_is_an_error() {
        struct Nowhere;
        impl LogDensity for Nowhere {
            fn dim(&self) -> usize {
                2
            }
            fn logp_grad(&self, _: &[f64], _: &mut [f64]) -> f64 {
                f64::NAN
            }
        }
        let err = sample(&Nowhere, None, &NutsSettings { warmup: 10, draws: 10, ..quick() }).unwrap_err();
        assert!(matches!(err, MmmError::Sampler { .. }), "{err}");
        assert!(err.to_string().contains("starting point"), "{err}");
        let err = sample(&NanWall, Some(&[0.0; 3]), &quick()).unwrap_err();
        assert!(matches!(err, MmmError::Spec(_)), "{err}");
        assert!(sample(&NanWall, None, &NutsSettings { target_accept: 1.0, ..quick() }).is_err());
    }

    #[test]
    fn a_seed_gives_the_same_draws_and_another_seed_others() {
        let s = NutsSettings { chains: 3, warmup: 50, draws: 20, ..quick() };
        let a = sample(&NanWall, Some(&[0.2, 0.1]), &s).unwrap();
        let b = sample(&NanWall, Some(&[0.2, 0.1]), &s).unwrap();
        assert_eq!(a.draws, b.draws);
        assert_ne!(a.draws[0], a.draws[1], "chains are independent");
        let c = sample(&NanWall, Some(&[0.2, 0.1]), &NutsSettings { seed: 8, ..s }).unwrap();
        assert_ne!(a.draws, c.draws);
        assert_eq!((a.draws.len(), a.draws[0].len()), (3, 20));
    }

    /// A two-channel world with known parameters, 120 weeks, in the model's own scaled space.
    struct World {
        model: Model,
        truth: Params,
    }

    fn world() -> World {
        let n = 120;
        let mut rng = ChaCha20Rng::seed_from_u64(2024);
        let start = NaiveDate::from_ymd_opt(2022, 1, 3).unwrap();
        let dates: Vec<NaiveDate> = (0..n).map(|t| start + chrono::Duration::days(7 * t as i64)).collect();
        // One always-on channel over its whole range and one in bursts, so that both saturation curves are
        // seen from low to high spend (a channel only ever run at low spend cannot tell beta from lam).
        let mut x1: Vec<f64> = (0..n)
            .map(|_| {
                let u: f64 = rng.gen();
                if u > 0.4 {
                    u
                } else {
                    0.0
                }
            })
            .collect();
        let mut x2: Vec<f64> = (0..n)
            .map(|_| {
                let u: f64 = rng.gen();
                if u > 0.6 {
                    u
                } else {
                    0.0
                }
            })
            .collect();
        // Maxima of exactly 1, so the scaled inputs are the inputs.
        x1[10] = 1.0;
        x2[50] = 1.0;
        let media = |key: &str, v: &[f64]| MediaSeries {
            key: key.into(),
            name: key.into(),
            input: InputKind::Spend,
            group: ChannelGroup::Paid,
            cost: v.to_vec(),
            values: v.to_vec(),
        };
        let mut panel = Panel {
            frequency: Frequency::Weekly,
            dates,
            target_name: "sales".into(),
            target: (0..n).map(|t| 1.0 + t as f64).collect(),
            currency: String::new(),
            channels: vec![media("x1", &x1), media("x2", &x2)],
            controls: Vec::new(),
        };
        let spec = ModelSpec::default_for(Frequency::Weekly);
        let priors = Priors::default();
        let draft = Model::new(&panel, &spec, &priors).unwrap();
        // intercept, trend, sin_1, cos_1, sin_2, cos_2 in units of the outcome before scaling.
        let truth = Params {
            fixed: vec![1.0, 0.3, 0.1, -0.05, 0.0, 0.0],
            beta: vec![0.5, 0.3],
            adstock: vec![vec![0.5], vec![0.2]],
            saturation: vec![vec![3.0], vec![4.0]],
            sigma: 0.02,
        };
        let mu = draft.mean(&truth);
        panel.target = mu
            .iter()
            .map(|m| {
                let e: f64 = StandardNormal.sample(&mut rng);
                1000.0 * (m + truth.sigma * e)
            })
            .collect();
        let model = Model::new(&panel, &spec, &priors).unwrap();
        // The model divides the outcome by its maximum: intercept, trend, Fourier terms, betas and sigma scale
        // with it; alpha and lam act on the inputs, whose maxima are 1.
        let k = 1000.0 / model.design.y_scale;
        let truth = Params {
            fixed: truth.fixed.iter().map(|v| v * k).collect(),
            beta: truth.beta.iter().map(|v| v * k).collect(),
            sigma: truth.sigma * k,
            ..truth
        };
        World { model, truth }
    }

    #[test]
    fn two_channel_world_converges_and_recovers_the_channel_parameters() {
        let w = world();
        // PyMC's defaults (4 x (1000 + 1000), diagonal mass matrix, target_accept 0.8), started without a MAP
        // fit. With 4 x (500 + 500) the slowest parameters (intercept, x1.beta, x1.lam: an always-on channel's
        // effect trades off against the intercept) reach R-hat 1.01-1.02, so the thresholds below need PyMC's
        // draw count.
        let post =
            sample(&w.model, None, &NutsSettings { seed: 11, target_accept: 0.8, ..NutsSettings::default() }).unwrap();
        let diags = post.diagnostics(&w.model);
        let summary = post.summary(&diags);
        assert!(summary.max_rhat < 1.01, "{summary:?}");
        assert!(summary.min_ess_bulk > 400.0 && summary.min_ess_tail > 400.0, "{summary:?}");
        assert!(summary.divergences <= 2, "{summary:?}");
        assert_eq!(post.max_depth_hits.iter().sum::<usize>(), 0);
        let truth = w.model.natural_values(&w.model.unconstrained(&w.truth));
        for (i, d) in diags.iter().enumerate() {
            assert_eq!(d.name, w.model.param_names()[i]);
            // The posterior covers the truth: within 3 posterior sd for every parameter.
            assert!(
                (d.mean - truth[i]).abs() < 3.0 * d.sd,
                "{}: mean {} sd {} truth {}",
                d.name,
                d.mean,
                d.sd,
                truth[i]
            );
            // And is tight enough to matter: alphas within 0.05, lams within 20 %, betas within 10 %.
            let tolerance = match d.name.rsplit('.').next() {
                Some("alpha") => 0.05,
                Some("lam") => 0.2 * truth[i],
                Some("beta") => 0.1 * truth[i],
                _ => continue,
            };
            assert!((d.mean - truth[i]).abs() < tolerance, "{}: mean {} truth {}", d.name, d.mean, truth[i]);
        }

        // The same posterior by another adaptation (low-rank mass matrix), longer and from another seed: every
        // parameter's mean agrees within 4 combined Monte Carlo standard errors, every sd within 10 %.
        let reference = sample(
            &w.model,
            None,
            &NutsSettings { seed: 12, draws: 3000, mass_matrix: MassMatrix::LowRank, ..NutsSettings::default() },
        )
        .unwrap();
        let ref_diags = reference.diagnostics(&w.model);
        let natural = post.map(|z| w.model.natural_values(z));
        let ref_natural = reference.map(|z| w.model.natural_values(z));
        for (i, (d, r)) in diags.iter().zip(&ref_diags).enumerate() {
            let per_chain = |draws: &[Vec<Vec<f64>>]| -> Vec<Vec<f64>> {
                draws.iter().map(|c| c.iter().map(|v| v[i]).collect()).collect()
            };
            let mcse = d.sd / diagnostics::ess_mean(&per_chain(&natural)).sqrt();
            let ref_mcse = r.sd / diagnostics::ess_mean(&per_chain(&ref_natural)).sqrt();
            let se = mcse.hypot(ref_mcse);
            assert!((d.mean - r.mean).abs() < 4.0 * se, "{}: {} vs reference {} (se {se})", d.name, d.mean, r.mean);
            assert!((d.sd / r.sd - 1.0).abs() < 0.1, "{}: sd {} vs reference {}", d.name, d.sd, r.sd);
        }
    }
}
