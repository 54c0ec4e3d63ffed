//! The full posterior of the mix model by the No-U-Turn Sampler, so that intervals reflect the real shape of
//! the posterior (skewed betas, alpha against lambda trade-offs) rather than the Laplace approximation's
//! ellipse around the MAP fit.
//!
//! Method: NUTS (M. D. Hoffman, A. Gelman (2014), "The No-U-Turn Sampler", *JMLR* 15, 1593-1623) with
//! multinomial trajectory sampling as in Stan (M. Betancourt (2017), "A Conceptual Introduction to
//! Hamiltonian Monte Carlo", arXiv:1701.02434), run by the `nuts-rs` crate, the sampler behind nutpie and so
//! behind PyMC-Marketing's default `nuts_sampler="nutpie"` (nuts-rs 0.19, `DiagNutsSettings`: a diagonal mass
//! matrix adapted from draws and gradients during warmup, step size by dual averaging to `target_accept`).
//!
//! It samples `z`, the unconstrained vector of [`Model`], on [`Model::logp_grad`] (exact log posterior with
//! Jacobian, exact gradient). Defaults are PyMC's: 4 chains, 1000 warmup ("tune") and 1000 kept draws per
//! chain, `target_accept` 0.8, maximum tree depth 10 (at most 1023 leapfrog steps per draw).
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
use nuts_rs::{Chain, CpuLogpFunc, CpuMath, CpuMathError, DiagNutsSettings, HasDims, LogpError, Settings};
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
    pub seed: u64,
    /// Mean acceptance probability the step size is tuned to (0.8, nutpie's and PyMC's default;
    /// PyMC-Marketing's example uses 0.85). Raise it towards 0.95 when there are divergences.
    pub target_accept: f64,
    /// Maximum tree depth (10): at most 2^10 - 1 leapfrog steps per draw.
    pub max_tree_depth: u64,
}

impl Default for NutsSettings {
    fn default() -> Self {
        NutsSettings { chains: 4, warmup: 1000, draws: 1000, seed: 0, target_accept: 0.8, max_tree_depth: 10 }
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
    pub fn map<F: Fn(&[f64]) -> Vec<f64> + Sync>(&self, f: F) -> Vec<Vec<Vec<f64>>> {
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
    let mut nuts = DiagNutsSettings {
        num_tune: settings.warmup as u64,
        num_draws: settings.draws as u64,
        num_chains: settings.chains,
        seed: settings.seed,
        maxdepth: settings.max_tree_depth,
        ..DiagNutsSettings::default()
    };
    nuts.adapt_options.step_size_settings.target_accept = settings.target_accept;
    let mut sampler_rng = nuts_rs::rand::rngs::ChaCha8Rng::seed_from_u64(rng.next_u64());
    let math = CpuMath::new(Density { density });
    let mut sampler = nuts.new_chain(chain as u64, math, &mut sampler_rng).map_err(|e| fail(format!("{e:#}")))?;

    let dim = density.dim();
    let mut grad = vec![0.0; dim];
    let mut started = false;
    let mut last_error = String::new();
    for _ in 0..START_TRIES {
        let z: Vec<f64> = match z0 {
            Some(z0) => z0.iter().map(|&v| v + JITTER_NEAR_START * uniform_pm1(&mut rng)).collect(),
            None => (0..dim).map(|_| JITTER_NO_START * uniform_pm1(&mut rng)).collect(),
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
        return Err(fail(format!(
            "no starting point among {START_TRIES} near the {} gave a finite log density ({last_error}); \
             check the priors and the data",
            if z0.is_some() { "given start" } else { "origin" }
        )));
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
        let (position, _, stats, progress) = sampler.expanded_draw().map_err(|e| fail(format!("{e:#}")))?;
        run.gradient_evals += progress.num_gradients;
        if i < settings.warmup {
            run.warmup_divergences += usize::from(progress.diverging);
            continue;
        }
        run.divergences += usize::from(progress.diverging);
        run.step_size = progress.step_size;
        run.depth_sum += stats.depth;
        run.max_depth_hits += usize::from(stats.maxdepth_reached);
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
