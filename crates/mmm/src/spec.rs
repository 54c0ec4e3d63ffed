//! Which transforms a fit uses and how the fixed part of the model looks.

use crate::panel::Frequency;
use crate::MmmError;
use serde::{Deserialize, Serialize};

/// How a channel's effect carries over into later periods.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum AdstockKind {
    /// Weights `alpha^l` over lags `0..l_max`, normalised to sum 1 (PyMC-Marketing's `GeometricAdstock`,
    /// `normalize=True`). Parameter: `alpha` in (0, 1).
    Geometric,
    /// Weights proportional to the Weibull density at lags `1..=l_max` (a delayed peak is possible).
    /// Parameters: `shape` k > 0, `scale` lambda > 0 (in periods).
    WeibullPdf,
    /// Weights proportional to the Weibull survival product `prod_{j<=l} exp(-(j/scale)^shape)` (a decay whose
    /// rate changes over time). Parameters: `shape`, `scale`.
    WeibullCdf,
}

impl AdstockKind {
    pub fn as_str(self) -> &'static str {
        match self {
            AdstockKind::Geometric => "geometric",
            AdstockKind::WeibullPdf => "weibull-pdf",
            AdstockKind::WeibullCdf => "weibull-cdf",
        }
    }
    pub fn n_params(self) -> usize {
        match self {
            AdstockKind::Geometric => 1,
            AdstockKind::WeibullPdf | AdstockKind::WeibullCdf => 2,
        }
    }
    pub fn param_names(self) -> &'static [&'static str] {
        match self {
            AdstockKind::Geometric => &["alpha"],
            AdstockKind::WeibullPdf | AdstockKind::WeibullCdf => &["shape", "scale"],
        }
    }
}

/// How a channel's effect flattens as its (adstocked) input grows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SaturationKind {
    /// `(1 - e^{-lam x}) / (1 + e^{-lam x})` (PyMC-Marketing's `LogisticSaturation`). Parameter: `lam` > 0.
    Logistic,
    /// `x^s / (x^s + k^s)`. Parameters: half-saturation `k` > 0 (in scaled input), slope `s` > 0.
    Hill,
}

impl SaturationKind {
    pub fn as_str(self) -> &'static str {
        match self {
            SaturationKind::Logistic => "logistic",
            SaturationKind::Hill => "hill",
        }
    }
    pub fn n_params(self) -> usize {
        match self {
            SaturationKind::Logistic => 1,
            SaturationKind::Hill => 2,
        }
    }
    pub fn param_names(self) -> &'static [&'static str] {
        match self {
            SaturationKind::Logistic => &["lam"],
            SaturationKind::Hill => &["k", "s"],
        }
    }
}

/// The model's structure. Defaults follow PyMC-Marketing's example (geometric adstock over 8 weeks, logistic
/// saturation, two yearly Fourier pairs) plus a linear trend.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ModelSpec {
    pub adstock: AdstockKind,
    /// Longest carry-over in periods (weights beyond it are zero).
    pub l_max: usize,
    pub saturation: SaturationKind,
    /// Pairs of yearly Fourier terms (0 = no seasonality).
    pub fourier_order: usize,
    /// A linear trend over the panel (the intercept moves from start to end).
    pub trend: bool,
    /// Probability mass of every interval reported (0.9 = 90 %).
    pub level: f64,
}

impl ModelSpec {
    pub fn default_for(frequency: Frequency) -> Self {
        ModelSpec {
            adstock: AdstockKind::Geometric,
            l_max: match frequency {
                Frequency::Weekly => 8,
                Frequency::Daily => 28,
            },
            saturation: SaturationKind::Logistic,
            fourier_order: 2,
            trend: true,
            level: 0.9,
        }
    }

    pub fn validate(&self, periods: usize) -> Result<(), MmmError> {
        if self.l_max == 0 || self.l_max > periods / 2 {
            return Err(MmmError::Spec(format!(
                "l_max {} must be between 1 and half the panel ({} periods)",
                self.l_max,
                periods / 2
            )));
        }
        if !(self.level > 0.0 && self.level < 1.0) {
            return Err(MmmError::Spec(format!("level {} must lie strictly between 0 and 1 (e.g. 0.9)", self.level)));
        }
        if self.fourier_order > 10 {
            return Err(MmmError::Spec(format!("fourier_order {} is more than 10 pairs", self.fourier_order)));
        }
        Ok(())
    }
}
