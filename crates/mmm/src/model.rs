//! The model as a log posterior: its parameters in natural and unconstrained form, the mean, and the log
//! density with its exact gradient (shared by the Laplace intervals and the NUTS sampler).
//!
//! Unconstrained vector `z` (the sampler's space), in this order:
//! `[fixed coefficients (real) | per channel: ln beta, adstock params, saturation params | ln sigma]`, where
//! a parameter on (0, 1) enters as its logit and a positive one as its logarithm. The log density in `z`
//! includes the log Jacobian of those transforms.

use crate::design::{Design, FixedKind};
use crate::panel::Panel;
use crate::priors::{ChannelPriors, ChannelScale, Prior, Priors, Support};
use crate::spec::AdstockKind;
use crate::spec::ModelSpec;
use crate::transform::{adstock, adstock_weights, convolve, geometric_adstock_dalpha, saturation};
use crate::MmmError;
use std::cell::RefCell;

/// A fit's model: the scaled design, the structure and the resolved priors.
#[derive(Clone, Debug)]
pub struct Model {
    pub spec: ModelSpec,
    pub design: Design,
    /// Prior of each fixed column, in `design.fixed` order.
    pub fixed_priors: Vec<Prior>,
    pub channel_priors: Vec<ChannelPriors>,
    pub sigma_prior: Prior,
    /// Channel keys, in panel order.
    pub keys: Vec<String>,
}

/// The parameters in natural (scaled-space) units.
#[derive(Clone, Debug, PartialEq)]
pub struct Params {
    pub fixed: Vec<f64>,
    pub beta: Vec<f64>,
    pub adstock: Vec<Vec<f64>>,
    pub saturation: Vec<Vec<f64>>,
    pub sigma: f64,
}

impl Model {
    pub fn new(panel: &Panel, spec: &ModelSpec, priors: &Priors) -> Result<Model, MmmError> {
        if panel.channels.is_empty() {
            return Err(MmmError::Panel("the panel has no channel: name at least one media column".into()));
        }
        Model::with_channels_optional(panel, spec, priors)
    }

    /// Like [`Model::new`], but a panel without channels is allowed (the baseline of the cross-validation).
    pub fn with_channels_optional(panel: &Panel, spec: &ModelSpec, priors: &Priors) -> Result<Model, MmmError> {
        priors.validate()?;
        let design = Design::new(panel, spec)?;
        let fixed_priors = design
            .fixed
            .iter()
            .map(|c| match c.kind {
                FixedKind::Intercept => priors.intercept,
                FixedKind::Trend => priors.trend,
                FixedKind::Fourier => priors.fourier,
                FixedKind::Control => priors.control,
            })
            .collect();
        let total_cost: f64 = panel.channels.iter().map(|c| c.cost.iter().sum::<f64>()).sum();
        let mean_target = design.y.iter().sum::<f64>() / design.n.max(1) as f64;
        let channel_priors = panel
            .channels
            .iter()
            .enumerate()
            .map(|(m, c)| {
                let x = &design.x[m];
                let mean_response = |a: &[f64], s: &[f64]| {
                    let r = crate::transform::response(spec.adstock, a, spec.l_max, spec.saturation, s, x);
                    r.iter().sum::<f64>() / r.len().max(1) as f64
                };
                let scale = ChannelScale {
                    cost_share: (total_cost > 0.0).then(|| c.cost.iter().sum::<f64>() / total_cost),
                    mean_target,
                    channels: panel.channels.len(),
                    mean_response: &mean_response,
                };
                priors.for_channel(&c.key, &scale, spec.adstock, spec.saturation)
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Model {
            spec: spec.clone(),
            design,
            fixed_priors,
            channel_priors,
            sigma_prior: priors.sigma,
            keys: panel.channels.iter().map(|c| c.key.clone()).collect(),
        })
    }

    pub fn n_fixed(&self) -> usize {
        self.design.fixed.len()
    }

    pub fn n_channels(&self) -> usize {
        self.design.n_channels()
    }

    /// Parameters per channel in `z`: beta, adstock, saturation.
    pub fn per_channel(&self) -> usize {
        1 + self.spec.adstock.n_params() + self.spec.saturation.n_params()
    }

    /// Length of `z`.
    pub fn dim(&self) -> usize {
        self.n_fixed() + self.n_channels() * self.per_channel() + 1
    }

    /// Index in `z` of channel `m`'s first parameter (ln beta).
    pub fn channel_offset(&self, m: usize) -> usize {
        self.n_fixed() + m * self.per_channel()
    }

    /// Saturated adstock of channel `m` (before beta), per period.
    pub fn channel_feature(&self, m: usize, params: &[f64], sat: &[f64]) -> Vec<f64> {
        let mut a = vec![0.0; self.design.n];
        adstock(self.spec.adstock, params, self.spec.l_max, &self.design.x[m], &mut a);
        a.iter().map(|&v| saturation(self.spec.saturation, sat, v).f).collect()
    }

    /// The mean per period in scaled space.
    pub fn mean(&self, p: &Params) -> Vec<f64> {
        let n = self.design.n;
        let mut mu = vec![0.0; n];
        for (c, &b) in self.design.fixed.iter().zip(&p.fixed) {
            for (m, v) in mu.iter_mut().zip(&c.values) {
                *m += b * v;
            }
        }
        for m in 0..self.n_channels() {
            let f = self.channel_feature(m, &p.adstock[m], &p.saturation[m]);
            for t in 0..n {
                mu[t] += p.beta[m] * f[t];
            }
        }
        mu
    }

    fn channel_param_priors(&self, m: usize) -> impl Iterator<Item = &Prior> {
        let cp = &self.channel_priors[m];
        cp.adstock.iter().chain(&cp.saturation)
    }

    /// Natural parameters from `z`.
    pub fn params(&self, z: &[f64]) -> Params {
        let nf = self.n_fixed();
        let na = self.spec.adstock.n_params();
        let mut p = Params {
            fixed: z[..nf].to_vec(),
            beta: Vec::new(),
            adstock: Vec::new(),
            saturation: Vec::new(),
            sigma: z[self.dim() - 1].exp(),
        };
        for m in 0..self.n_channels() {
            let o = self.channel_offset(m);
            p.beta.push(z[o].exp());
            let rest: Vec<f64> = self
                .channel_param_priors(m)
                .enumerate()
                .map(|(i, pr)| to_natural(pr.support(), z[o + 1 + i]))
                .collect();
            p.adstock.push(rest[..na].to_vec());
            p.saturation.push(rest[na..].to_vec());
        }
        p
    }

    /// Names of the parameters in `z` order, in natural space: the fixed columns by their design names
    /// (`intercept`, `trend`, `sin_1`, `cos_1`, ..., control names), then per channel `key.beta`, `key.alpha`
    /// (or `key.shape`, `key.scale`), `key.lam` (or `key.k`, `key.s`), then `sigma`. Diagnostics and summaries
    /// are labelled with them, as ArviZ labels PyMC's named variables.
    pub fn param_names(&self) -> Vec<String> {
        let mut names: Vec<String> = self.design.fixed.iter().map(|c| c.name.clone()).collect();
        for key in &self.keys {
            names.push(format!("{key}.beta"));
            for p in self.spec.adstock.param_names().iter().chain(self.spec.saturation.param_names()) {
                names.push(format!("{key}.{p}"));
            }
        }
        names.push("sigma".into());
        names
    }

    /// The natural-space values of `z`, in [`Model::param_names`] order (beta, not ln beta; alpha, not its
    /// logit): what a posterior is summarised and diagnosed on.
    pub fn natural_values(&self, z: &[f64]) -> Vec<f64> {
        let p = self.params(z);
        let mut v = p.fixed;
        for m in 0..self.n_channels() {
            v.push(p.beta[m]);
            v.extend(&p.adstock[m]);
            v.extend(&p.saturation[m]);
        }
        v.push(p.sigma);
        v
    }

    /// `z` from natural parameters (betas of exactly 0 are moved to a tiny positive value: ln 0 is not a number).
    pub fn unconstrained(&self, p: &Params) -> Vec<f64> {
        let mut z = p.fixed.clone();
        for m in 0..self.n_channels() {
            z.push(p.beta[m].max(1e-9).ln());
            let vals: Vec<f64> = p.adstock[m].iter().chain(&p.saturation[m]).copied().collect();
            for (pr, v) in self.channel_param_priors(m).zip(vals) {
                z.push(to_unconstrained(pr.support(), v));
            }
        }
        z.push(p.sigma.ln());
        z
    }

    /// Log posterior density at `z` (up to a constant, Jacobian included) and its gradient into `grad`.
    pub fn logp_grad(&self, z: &[f64], grad: &mut [f64]) -> f64 {
        self.eval(z, Some(grad))
    }

    /// Log posterior without the gradient (the importance weights of the fast fit's draws need only this, so
    /// the derivative series are not formed).
    pub fn logp(&self, z: &[f64]) -> f64 {
        self.eval(z, None)
    }

    /// The log posterior and, if asked, its gradient. The sampler and the fit call this many thousand times
    /// on series of a few hundred periods, so it works in per-thread scratch space instead of allocating, and
    /// the geometric adstock and its derivative come from their O(n) recursion.
    fn eval(&self, z: &[f64], grad: Option<&mut [f64]>) -> f64 {
        SCRATCH.with(|cell| self.eval_in(z, grad, None, &mut cell.borrow_mut()))
    }

    /// [`Model::logp_grad`] for the sampler's centred coordinates ([`crate::centred`]): the ln-beta slot of
    /// every channel holds `c = ln beta + ln F` instead, where `F` is the channel's mean feature (mean over
    /// periods of its saturated adstock), so beta is `e^c / F` once the feature is known. The log density and
    /// gradient returned are those of `z` with that ln beta; `means` receives per channel `F` followed by
    /// `dF/dz` for each of the channel's adstock and saturation coordinates (same layout as the channel's block
    /// of `z`). Computing `F` here, from the feature series the density forms anyway, costs one sum per series
    /// instead of a second pass through adstock and saturation.
    pub(crate) fn logp_grad_log_mean(&self, z: &[f64], grad: &mut [f64], means: &mut [f64]) -> f64 {
        SCRATCH.with(|cell| self.eval_in(z, Some(grad), Some(means), &mut cell.borrow_mut()))
    }

    fn eval_in(&self, z: &[f64], mut grad: Option<&mut [f64]>, mut means: Option<&mut [f64]>, sc: &mut Scratch) -> f64 {
        let d = &self.design;
        let n = d.n;
        let nf = self.n_fixed();
        let na = self.spec.adstock.n_params();
        let ns = self.spec.saturation.n_params();
        let n_ch = self.n_channels();
        let with_grad = grad.is_some();
        if let Some(g) = grad.as_deref_mut() {
            g.iter_mut().for_each(|v| *v = 0.0);
        }
        // Per channel, `block` series: the feature f, then (gradient only) df/dz x da/dp per adstock parameter
        // and df/dp per saturation parameter.
        let block = if with_grad { 1 + na + ns } else { 1 };
        sc.fit(n, na, n_ch * block * n, n_ch);
        let Scratch { mu, r, a, da, ch, log_beta } = sc;
        mu.iter_mut().for_each(|v| *v = 0.0);
        for (c, &b) in d.fixed.iter().zip(&z[..nf]) {
            for (m, v) in mu.iter_mut().zip(&c.values) {
                *m += b * v;
            }
        }
        let mut ad = [0.0; 2];
        let mut sat = [0.0; 2];
        let pc = self.per_channel();
        for m in 0..n_ch {
            let o = self.channel_offset(m);
            let cp = &self.channel_priors[m];
            for (k, pr) in cp.adstock.iter().enumerate() {
                ad[k] = to_natural(pr.support(), z[o + 1 + k]);
            }
            for (k, pr) in cp.saturation.iter().enumerate() {
                sat[k] = to_natural(pr.support(), z[o + 1 + na + k]);
            }
            let x = &d.x[m];
            match (self.spec.adstock, with_grad) {
                (AdstockKind::Geometric, true) => {
                    geometric_adstock_dalpha(x, ad[0], self.spec.l_max, a, &mut da[..n]);
                }
                (kind, true) => {
                    let w = adstock_weights(kind, &ad[..na], self.spec.l_max);
                    convolve(x, &w.w, a);
                    for (k, dw) in w.dw.iter().enumerate() {
                        convolve(x, dw, &mut da[k * n..(k + 1) * n]);
                    }
                }
                (kind, false) => adstock(kind, &ad[..na], self.spec.l_max, x, a),
            }
            let out = &mut ch[m * block * n..(m + 1) * block * n];
            for t in 0..n {
                let s = saturation(self.spec.saturation, &sat[..ns], a[t]);
                out[t] = s.f;
                if with_grad {
                    for k in 0..na {
                        out[(1 + k) * n + t] = s.df_dz * da[k * n + t];
                    }
                    for k in 0..ns {
                        out[(1 + na + k) * n + t] = s.df_dp[k];
                    }
                }
            }
            log_beta[m] = z[o];
            if let Some(mv) = means.as_deref_mut() {
                let mv = &mut mv[m * pc..(m + 1) * pc];
                let mean = |i: usize| out[i * n..(i + 1) * n].iter().sum::<f64>() / n as f64;
                mv[0] = mean(0);
                for (k, pr) in cp.adstock.iter().chain(&cp.saturation).enumerate() {
                    mv[1 + k] = mean(1 + k) * jacobian(pr.support(), z[o + 1 + k]).1;
                }
                log_beta[m] = z[o] - mv[0].ln();
            }
            let beta = log_beta[m].exp();
            for t in 0..n {
                mu[t] += beta * out[t];
            }
        }
        let sigma = z[self.dim() - 1].exp();
        let s2 = sigma * sigma;
        let mut sse = 0.0;
        for t in 0..n {
            let res = d.y[t] - mu[t];
            sse += res * res;
            r[t] = res / s2;
        }
        let dot = |u: &[f64], v: &[f64]| -> f64 { u.iter().zip(v).map(|(a, b)| a * b).sum() };
        let mut lp = -(n as f64) * sigma.ln() - 0.5 * sse / s2;
        // Fixed coefficients.
        for (j, c) in d.fixed.iter().enumerate() {
            let pr = &self.fixed_priors[j];
            lp += pr.logpdf(z[j]);
            if let Some(g) = grad.as_deref_mut() {
                g[j] = dot(&c.values, r) + pr.dlogpdf(z[j]);
            }
        }
        // Channels.
        for m in 0..n_ch {
            let o = self.channel_offset(m);
            let beta = log_beta[m].exp();
            let cp = &self.channel_priors[m];
            let series = |i: usize| &ch[(m * block + i) * n..(m * block + i + 1) * n];
            // ln beta: d/dz = beta * dL/dbeta + 1 (Jacobian).
            lp += cp.beta.logpdf(beta) + log_beta[m];
            if let Some(g) = grad.as_deref_mut() {
                g[o] = beta * (dot(series(0), r) + cp.beta.dlogpdf(beta)) + 1.0;
            }
            for (k, pr) in cp.adstock.iter().chain(&cp.saturation).enumerate() {
                let i = o + 1 + k;
                let (lj, dv_dz, dlj) = jacobian(pr.support(), z[i]);
                let v = to_natural(pr.support(), z[i]);
                lp += pr.logpdf(v) + lj;
                if let Some(g) = grad.as_deref_mut() {
                    let dl = beta * dot(series(1 + k), r);
                    g[i] = (dl + pr.dlogpdf(v)) * dv_dz + dlj;
                }
            }
        }
        // ln sigma.
        let last = self.dim() - 1;
        lp += self.sigma_prior.logpdf(sigma) + z[last];
        if let Some(g) = grad {
            g[last] = -(n as f64) + sse / s2 + self.sigma_prior.dlogpdf(sigma) * sigma + 1.0;
        }
        if lp.is_finite() {
            lp
        } else {
            f64::NEG_INFINITY
        }
    }
}

/// Working space of [`Model::logp_grad`], one per thread, grown to the largest model it has seen.
#[derive(Default)]
struct Scratch {
    mu: Vec<f64>,
    /// Residuals over sigma^2.
    r: Vec<f64>,
    /// One channel's adstock and its derivatives by each adstock parameter.
    a: Vec<f64>,
    da: Vec<f64>,
    /// Every channel's feature series and derivative series.
    ch: Vec<f64>,
    /// ln beta per channel: the slot of `z`, or in centred coordinates that slot minus ln F.
    log_beta: Vec<f64>,
}

impl Scratch {
    fn fit(&mut self, n: usize, na: usize, ch: usize, channels: usize) {
        for (v, len) in [
            (&mut self.mu, n),
            (&mut self.r, n),
            (&mut self.a, n),
            (&mut self.da, na * n),
            (&mut self.ch, ch),
            (&mut self.log_beta, channels),
        ] {
            v.resize(len, 0.0);
        }
    }
}

thread_local! {
    static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::default());
}

pub(crate) fn to_natural(s: Support, z: f64) -> f64 {
    match s {
        Support::Real => z,
        Support::Positive => z.exp(),
        Support::Unit => 1.0 / (1.0 + (-z).exp()),
    }
}

pub(crate) fn to_unconstrained(s: Support, v: f64) -> f64 {
    match s {
        Support::Real => v,
        Support::Positive => v.max(1e-12).ln(),
        Support::Unit => {
            let v = v.clamp(1e-9, 1.0 - 1e-9);
            (v / (1.0 - v)).ln()
        }
    }
}

/// Log Jacobian, d natural / d z, and d log Jacobian / d z of the transform of `support` at `z`.
pub(crate) fn jacobian(s: Support, z: f64) -> (f64, f64, f64) {
    match s {
        Support::Real => (0.0, 1.0, 0.0),
        Support::Positive => {
            let v = z.exp();
            (z, v, 1.0)
        }
        Support::Unit => {
            let p = 1.0 / (1.0 + (-z).exp());
            let q = 1.0 - p;
            (p.ln() + q.ln(), p * q, q - p)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::panel::Frequency;
    use crate::spec::{AdstockKind, SaturationKind};

    fn panel() -> Panel {
        let n = 60;
        let x1: Vec<f64> = (0..n).map(|t| ((t * 37 % 11) as f64) / 3.0).collect();
        let x2: Vec<f64> = (0..n).map(|t| if t % 9 < 2 { 5.0 + t as f64 / 10.0 } else { 0.0 }).collect();
        let target = (0..n).map(|t| 100.0 + 3.0 * x1[t] + 2.0 * x2[t] + (t % 5) as f64).collect();
        let ev = (0..n).map(|t| f64::from(t == 20)).collect();
        crate::test_panels::weekly(target, vec![("a", x1), ("b", x2)], vec![("ev", ev)])
    }

    #[test]
    fn gradient_matches_finite_differences_for_every_transform() {
        for adstock in [AdstockKind::Geometric, AdstockKind::WeibullPdf, AdstockKind::WeibullCdf] {
            for sat in [SaturationKind::Logistic, SaturationKind::Hill] {
                let spec = ModelSpec { adstock, saturation: sat, ..ModelSpec::default_for(Frequency::Weekly) };
                let model = Model::new(
                    &panel(),
                    &spec,
                    &Priors { fourier: Prior::Normal { mu: 0.0, sigma: 0.3 }, ..Priors::default() },
                )
                .unwrap();
                let z: Vec<f64> = (0..model.dim()).map(|i| 0.3 * ((i * 7 % 5) as f64 - 2.0) / 2.0 - 0.2).collect();
                let mut g = vec![0.0; z.len()];
                let lp = model.logp_grad(&z, &mut g);
                assert!(lp.is_finite());
                for i in 0..z.len() {
                    let h = 1e-6;
                    let (mut up, mut dn) = (z.clone(), z.clone());
                    up[i] += h;
                    dn[i] -= h;
                    let fd = (model.logp(&up) - model.logp(&dn)) / (2.0 * h);
                    assert!(
                        (g[i] - fd).abs() < 1e-4 * (1.0 + fd.abs()),
                        "{adstock:?}/{sat:?} z[{i}]: {} vs {fd}",
                        g[i]
                    );
                }
            }
        }
    }

    #[test]
    fn names_and_natural_values_follow_z_order() {
        let model = Model::new(&panel(), &ModelSpec::default_for(Frequency::Weekly), &Priors::default()).unwrap();
        let names = model.param_names();
        assert_eq!(names.len(), model.dim());
        assert_eq!(
            names,
            [
                "intercept",
                "trend",
                "sin_1",
                "cos_1",
                "sin_2",
                "cos_2",
                "ev",
                "a.beta",
                "a.alpha",
                "a.lam",
                "b.beta",
                "b.alpha",
                "b.lam",
                "sigma"
            ]
        );
        let z: Vec<f64> = (0..model.dim()).map(|i| (i as f64 - 4.0) / 5.0).collect();
        let v = model.natural_values(&z);
        assert_eq!(v[0], z[0]);
        assert!((v[7] - z[7].exp()).abs() < 1e-15);
        assert!((v[8] - 1.0 / (1.0 + (-z[8]).exp())).abs() < 1e-15);
        assert!((v[13] - z[13].exp()).abs() < 1e-15);
    }

    #[test]
    fn natural_and_unconstrained_round_trip() {
        let model = Model::new(&panel(), &ModelSpec::default_for(Frequency::Weekly), &Priors::default()).unwrap();
        let z: Vec<f64> = (0..model.dim()).map(|i| (i as f64 - 4.0) / 5.0).collect();
        let back = model.unconstrained(&model.params(&z));
        for (a, b) in z.iter().zip(&back) {
            assert!((a - b).abs() < 1e-9);
        }
    }
}
