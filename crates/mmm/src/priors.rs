//! Priors of the mix model, stated here and in docs/mmm.md, overridable from a TOML file.
//!
//! All of them live in the scaled space of the fit: the target divided by its maximum, each channel's input
//! divided by its maximum, controls divided by their largest absolute value, time running from 0 to 1. The
//! shape defaults are PyMC-Marketing's (adstock `alpha ~ Beta(1, 3)`, logistic `lam ~ Gamma(3, 1)`), with the
//! fixed part scaled to a target whose maximum is 1. A channel's effect `beta` is scaled by [`BetaRule`]: by
//! default so that every channel is expected to contribute the same (a contribution prior, as Meridian offers),
//! or by PyMC-Marketing's heuristic (2 x the channel's share of cost). Log densities are up to additive
//! constants (the fit and the sampler need no more).

use crate::spec::{AdstockKind, SaturationKind};
use crate::MmmError;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// One prior distribution.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "dist", rename_all = "snake_case", deny_unknown_fields)]
pub enum Prior {
    Normal { mu: f64, sigma: f64 },
    HalfNormal { sigma: f64 },
    Laplace { mu: f64, b: f64 },
    Beta { a: f64, b: f64 },
    Gamma { shape: f64, rate: f64 },
    LogNormal { mu: f64, sigma: f64 },
}

/// Where a prior's variable lives, which decides its unconstrained transform (identity, log, logit).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Support {
    Real,
    Positive,
    Unit,
}

impl Prior {
    pub fn support(&self) -> Support {
        match self {
            Prior::Normal { .. } | Prior::Laplace { .. } => Support::Real,
            Prior::HalfNormal { .. } | Prior::Gamma { .. } | Prior::LogNormal { .. } => Support::Positive,
            Prior::Beta { .. } => Support::Unit,
        }
    }

    /// Log density at `x`, up to a constant; `-inf` outside the support.
    pub fn logpdf(&self, x: f64) -> f64 {
        match *self {
            Prior::Normal { mu, sigma } => -0.5 * ((x - mu) / sigma).powi(2),
            Prior::HalfNormal { sigma } if x >= 0.0 => -0.5 * (x / sigma).powi(2),
            Prior::Laplace { mu, b } => -(x - mu).abs() / b,
            Prior::Beta { a, b } if x > 0.0 && x < 1.0 => (a - 1.0) * x.ln() + (b - 1.0) * (1.0 - x).ln(),
            Prior::Gamma { shape, rate } if x > 0.0 => (shape - 1.0) * x.ln() - rate * x,
            Prior::LogNormal { mu, sigma } if x > 0.0 => -x.ln() - 0.5 * ((x.ln() - mu) / sigma).powi(2),
            _ => f64::NEG_INFINITY,
        }
    }

    /// d logpdf / dx inside the support (the Laplace kink at `mu` gets 0).
    pub fn dlogpdf(&self, x: f64) -> f64 {
        match *self {
            Prior::Normal { mu, sigma } => -(x - mu) / (sigma * sigma),
            Prior::HalfNormal { sigma } => -x / (sigma * sigma),
            Prior::Laplace { mu, b } => {
                if x > mu {
                    -1.0 / b
                } else if x < mu {
                    1.0 / b
                } else {
                    0.0
                }
            }
            Prior::Beta { a, b } => (a - 1.0) / x - (b - 1.0) / (1.0 - x),
            Prior::Gamma { shape, rate } => (shape - 1.0) / x - rate,
            Prior::LogNormal { mu, sigma } => -1.0 / x - (x.ln() - mu) / (sigma * sigma * x),
        }
    }

    pub fn mean(&self) -> f64 {
        match *self {
            Prior::Normal { mu, .. } | Prior::Laplace { mu, .. } => mu,
            Prior::HalfNormal { sigma } => sigma * (2.0 / std::f64::consts::PI).sqrt(),
            Prior::Beta { a, b } => a / (a + b),
            Prior::Gamma { shape, rate } => shape / rate,
            Prior::LogNormal { mu, sigma } => (mu + 0.5 * sigma * sigma).exp(),
        }
    }

    pub fn sd(&self) -> f64 {
        match *self {
            Prior::Normal { sigma, .. } => sigma,
            Prior::Laplace { b, .. } => b * 2f64.sqrt(),
            Prior::HalfNormal { sigma } => sigma * (1.0 - 2.0 / std::f64::consts::PI).sqrt(),
            Prior::Beta { a, b } => (a * b / ((a + b).powi(2) * (a + b + 1.0))).sqrt(),
            Prior::Gamma { shape, rate } => shape.sqrt() / rate,
            Prior::LogNormal { mu, sigma } => ((sigma * sigma).exp_m1() * (2.0 * mu + sigma * sigma).exp()).sqrt(),
        }
    }

    fn validate(&self, what: &str) -> Result<(), MmmError> {
        let ok = match *self {
            Prior::Normal { mu, sigma } | Prior::LogNormal { mu, sigma } => mu.is_finite() && sigma > 0.0,
            Prior::HalfNormal { sigma } => sigma > 0.0 && sigma.is_finite(),
            Prior::Laplace { mu, b } => mu.is_finite() && b > 0.0,
            Prior::Beta { a, b } => a > 0.0 && b > 0.0 && a.is_finite() && b.is_finite(),
            Prior::Gamma { shape, rate } => shape > 0.0 && rate > 0.0 && shape.is_finite() && rate.is_finite(),
        };
        if ok {
            Ok(())
        } else {
            Err(MmmError::Spec(format!("the prior for {what} ({self:?}) has a parameter out of its domain")))
        }
    }
}

/// Per-channel overrides (any field left out keeps the default).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChannelOverride {
    pub beta: Option<Prior>,
    pub adstock: Option<Vec<Prior>>,
    pub saturation: Option<Vec<Prior>>,
}

/// Every prior of the model. A TOML file states any subset; see docs/mmm.md for an example.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Priors {
    pub intercept: Prior,
    pub trend: Prior,
    /// Each Fourier coefficient.
    pub fourier: Prior,
    /// Each control coefficient.
    pub control: Prior,
    /// Noise standard deviation.
    pub sigma: Prior,
    pub adstock_alpha: Prior,
    pub weibull_shape: Prior,
    pub weibull_scale: Prior,
    pub saturation_lam: Prior,
    pub hill_k: Prior,
    pub hill_s: Prior,
    /// How each channel's effect prior is scaled (unless `channels.KEY.beta` sets it).
    pub beta_rule: BetaRule,
    /// [`BetaRule::Contribution`]: the share of the mean target the channels are expected to explain together.
    pub media_share: f64,
    /// [`BetaRule::CostShare`]: `beta_m ~ HalfNormal(beta_cost_share_multiplier x cost share of m)`
    /// (PyMC-Marketing's heuristic), floored at `beta_sigma_floor` so that a channel with little cost is not
    /// forced to zero. A multiplier of 0 uses `beta` for every channel.
    pub beta_cost_share_multiplier: f64,
    pub beta_sigma_floor: f64,
    pub beta: Prior,
    /// Overrides by channel key.
    pub channels: BTreeMap<String, ChannelOverride>,
}

impl Default for Priors {
    fn default() -> Self {
        Priors {
            intercept: Prior::Normal { mu: 0.5, sigma: 0.5 },
            trend: Prior::Normal { mu: 0.0, sigma: 0.5 },
            fourier: Prior::Laplace { mu: 0.0, b: 0.2 },
            control: Prior::Normal { mu: 0.0, sigma: 0.5 },
            sigma: Prior::HalfNormal { sigma: 1.0 },
            adstock_alpha: Prior::Beta { a: 1.0, b: 3.0 },
            weibull_shape: Prior::Gamma { shape: 2.0, rate: 1.0 },
            weibull_scale: Prior::Gamma { shape: 2.0, rate: 0.5 },
            saturation_lam: Prior::Gamma { shape: 3.0, rate: 1.0 },
            hill_k: Prior::Gamma { shape: 2.0, rate: 4.0 },
            hill_s: Prior::Gamma { shape: 3.0, rate: 2.0 },
            beta_rule: BetaRule::Contribution,
            media_share: 0.3,
            beta_cost_share_multiplier: 2.0,
            beta_sigma_floor: 0.1,
            beta: Prior::HalfNormal { sigma: 1.0 },
            channels: BTreeMap::new(),
        }
    }
}

/// How a channel's effect prior `beta_m ~ HalfNormal(sigma_m)` gets its scale.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BetaRule {
    /// Every channel is expected to contribute the same: `sigma_m` makes the prior mean of channel m's mean
    /// contribution, at the prior means of its shapes, `media_share x mean target / channels`. A channel that
    /// never stops (organic posting) has a high mean response and so a smaller `beta` scale than a bursty one;
    /// without this the prior alone would hand always-on channels most of the media effect.
    #[default]
    Contribution,
    /// PyMC-Marketing's heuristic on full cost (hours x rate included): `sigma_m = max(multiplier x cost share,
    /// floor)`; without any cost, `beta`.
    CostShare,
    /// `beta` for every channel.
    Fixed,
}

/// What the data say about one channel, for the rules that scale its effect prior.
pub struct ChannelScale<'a> {
    /// Its share of all channels' cost (`None` when no channel has a cost).
    pub cost_share: Option<f64>,
    /// The mean of the scaled target over the panel.
    pub mean_target: f64,
    /// The number of channels in the model.
    pub channels: usize,
    /// Its mean response `saturation(adstock(x / x_max))` over the panel at the given adstock and saturation
    /// parameters.
    pub mean_response: &'a dyn Fn(&[f64], &[f64]) -> f64,
}

/// The priors of one channel, resolved.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ChannelPriors {
    pub adstock: Vec<Prior>,
    pub saturation: Vec<Prior>,
    pub beta: Prior,
}

impl Priors {
    /// Parses a TOML priors file (see docs/mmm.md); unknown keys are errors, so a typo never passes silently.
    pub fn from_toml_str(text: &str) -> Result<Priors, String> {
        let p: Priors = toml::from_str(text).map_err(|e| e.to_string())?;
        p.validate().map_err(|e| e.to_string())?;
        Ok(p)
    }

    pub fn validate(&self) -> Result<(), MmmError> {
        for (what, p) in [
            ("intercept", &self.intercept),
            ("trend", &self.trend),
            ("fourier", &self.fourier),
            ("control", &self.control),
            ("sigma", &self.sigma),
            ("adstock_alpha", &self.adstock_alpha),
            ("weibull_shape", &self.weibull_shape),
            ("weibull_scale", &self.weibull_scale),
            ("saturation_lam", &self.saturation_lam),
            ("hill_k", &self.hill_k),
            ("hill_s", &self.hill_s),
            ("beta", &self.beta),
        ] {
            p.validate(what)?;
        }
        if self.sigma.support() != Support::Positive {
            return Err(MmmError::Spec("the prior for sigma must be on positive values (half_normal, gamma)".into()));
        }
        for (key, o) in &self.channels {
            if let Some(b) = &o.beta {
                b.validate(&format!("{key}.beta"))?;
                if b.support() != Support::Positive {
                    return Err(MmmError::Spec(format!(
                        "the prior for {key}.beta must be on positive values: channel effects are never negative"
                    )));
                }
            }
            for p in o.adstock.iter().flatten().chain(o.saturation.iter().flatten()) {
                p.validate(key)?;
            }
        }
        if !(self.media_share > 0.0 && self.media_share.is_finite()) {
            return Err(MmmError::Spec("media_share must be a positive fraction of the mean target".into()));
        }
        if !(self.beta_cost_share_multiplier >= 0.0 && self.beta_sigma_floor > 0.0) {
            return Err(MmmError::Spec("beta_cost_share_multiplier must be >= 0 and beta_sigma_floor > 0".into()));
        }
        Ok(())
    }

    /// The priors of channel `key`; `scale` gives what the effect prior's rule needs from the data.
    pub fn for_channel(
        &self,
        key: &str,
        scale: &ChannelScale<'_>,
        adstock: AdstockKind,
        saturation: SaturationKind,
    ) -> Result<ChannelPriors, MmmError> {
        let o = self.channels.get(key);
        let default_adstock = match adstock {
            AdstockKind::Geometric => vec![self.adstock_alpha],
            AdstockKind::WeibullPdf | AdstockKind::WeibullCdf => vec![self.weibull_shape, self.weibull_scale],
        };
        let default_sat = match saturation {
            SaturationKind::Logistic => vec![self.saturation_lam],
            SaturationKind::Hill => vec![self.hill_k, self.hill_s],
        };
        let pick = |over: Option<&Vec<Prior>>, default: Vec<Prior>, what: &str| -> Result<Vec<Prior>, MmmError> {
            match over {
                Some(v) if v.len() != default.len() => Err(MmmError::Spec(format!(
                    "channel {key}: {what} needs {} priors, the file gives {}",
                    default.len(),
                    v.len()
                ))),
                Some(v) => Ok(v.clone()),
                None => Ok(default),
            }
        };
        let adstock_p = pick(o.and_then(|o| o.adstock.as_ref()), default_adstock, "adstock")?;
        let sat_p = pick(o.and_then(|o| o.saturation.as_ref()), default_sat, "saturation")?;
        if adstock == AdstockKind::Geometric && adstock_p[0].support() != Support::Unit {
            return Err(MmmError::Spec(format!("channel {key}: the adstock alpha prior must be on (0, 1) (beta)")));
        }
        for p in adstock_p.iter().skip(usize::from(adstock == AdstockKind::Geometric)).chain(&sat_p) {
            if p.support() != Support::Positive {
                return Err(MmmError::Spec(format!(
                    "channel {key}: shape, scale, lam, k and s priors must be on positive values"
                )));
            }
        }
        let beta = match o.and_then(|o| o.beta) {
            Some(b) => b,
            None => self.beta_for(scale, &adstock_p, &sat_p),
        };
        Ok(ChannelPriors { adstock: adstock_p, saturation: sat_p, beta })
    }

    fn beta_for(&self, scale: &ChannelScale<'_>, adstock: &[Prior], saturation: &[Prior]) -> Prior {
        match self.beta_rule {
            BetaRule::Contribution => {
                let a: Vec<f64> = adstock.iter().map(Prior::mean).collect();
                let s: Vec<f64> = saturation.iter().map(Prior::mean).collect();
                let response = (scale.mean_response)(&a, &s);
                let target = self.media_share * scale.mean_target / scale.channels.max(1) as f64;
                // A channel whose input is (nearly) always zero has no response to scale by: the floor keeps
                // the prior finite, and such a channel is flagged unidentifiable by the gate anyway.
                let response = if response.is_finite() { response.max(1e-6) } else { 1e-6 };
                let sigma = target / response / (2.0 / std::f64::consts::PI).sqrt();
                if sigma.is_finite() && sigma > 0.0 {
                    Prior::HalfNormal { sigma }
                } else {
                    self.beta
                }
            }
            BetaRule::CostShare if self.beta_cost_share_multiplier > 0.0 => match scale.cost_share {
                Some(s) => {
                    Prior::HalfNormal { sigma: (self.beta_cost_share_multiplier * s).max(self.beta_sigma_floor) }
                }
                None => self.beta,
            },
            BetaRule::CostShare | BetaRule::Fixed => self.beta,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Model;
    use crate::spec::ModelSpec;
    use crate::test_panels::weekly;
    use crate::transform::response;

    fn sigma(p: &Prior) -> f64 {
        match *p {
            Prior::HalfNormal { sigma } => sigma,
            other => panic!("expected a half-normal effect prior, got {other:?}"),
        }
    }

    /// An always-on channel and a bursty one with the same largest week, 104 weeks.
    fn two_channel_panel() -> crate::Panel {
        let n = 104;
        let always: Vec<f64> = (0..n).map(|t| 10.0 + (t % 5) as f64).collect();
        let bursty: Vec<f64> = (0..n).map(|t| if t % 13 < 2 { 14.0 } else { 0.0 }).collect();
        let target: Vec<f64> = (0..n).map(|t| 100.0 + (t % 7) as f64).collect();
        weekly(target, vec![("always", always), ("bursty", bursty)], vec![])
    }

    #[test]
    fn the_contribution_rule_expects_the_same_mean_contribution_from_every_channel() {
        let panel = two_channel_panel();
        let spec = ModelSpec::default_for(panel.frequency);
        let priors = Priors::default();
        let model = Model::new(&panel, &spec, &priors).unwrap();
        let mean_y = model.design.y.iter().sum::<f64>() / model.design.n as f64;
        let expected = priors.media_share * mean_y / 2.0;
        let alpha = [priors.adstock_alpha.mean()];
        let lam = [priors.saturation_lam.mean()];
        for (m, cp) in model.channel_priors.iter().enumerate() {
            let r = response(spec.adstock, &alpha, spec.l_max, spec.saturation, &lam, &model.design.x[m]);
            let mean_response = r.iter().sum::<f64>() / r.len() as f64;
            let prior_mean_contribution = cp.beta.mean() * mean_response;
            assert!(
                (prior_mean_contribution - expected).abs() < 1e-12,
                "channel {m}: {prior_mean_contribution} vs {expected}"
            );
        }
        // The always-on channel responds every week, so the same expected contribution needs a smaller effect.
        assert!(sigma(&model.channel_priors[0].beta) < 0.5 * sigma(&model.channel_priors[1].beta));
    }

    #[test]
    fn the_other_rules_and_a_channels_own_prior_still_apply() {
        let panel = two_channel_panel();
        let spec = ModelSpec::default_for(panel.frequency);
        let cost_rule: Priors = Priors::from_toml_str("beta_rule = \"cost_share\"").unwrap();
        let model = Model::new(&panel, &spec, &cost_rule).unwrap();
        let total: f64 = panel.channels.iter().map(|c| c.values.iter().sum::<f64>()).sum();
        for (m, c) in panel.channels.iter().enumerate() {
            let share = c.values.iter().sum::<f64>() / total;
            assert!((sigma(&model.channel_priors[m].beta) - (2.0 * share).max(0.1)).abs() < 1e-12);
        }
        let fixed = Priors::from_toml_str(
            "beta_rule = \"fixed\"\nbeta = { dist = \"half_normal\", sigma = 0.7 }\n\
             [channels.bursty]\nbeta = { dist = \"half_normal\", sigma = 0.2 }",
        )
        .unwrap();
        let model = Model::new(&panel, &spec, &fixed).unwrap();
        assert_eq!(sigma(&model.channel_priors[0].beta), 0.7);
        assert_eq!(sigma(&model.channel_priors[1].beta), 0.2);
        assert!(Priors::from_toml_str("beta_rule = \"spend\"").is_err());
        assert!(Priors::from_toml_str("media_share = 0").is_err());
    }
}
