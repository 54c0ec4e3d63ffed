//! The marketing mix model (MMM) of socialledger: what each channel causes over time, read from the whole mix
//! (spend, staff hours, posts, activity volumes) against an outcome (pipeline, revenue, deals), including work
//! that never produces a click.
//!
//! The model, in the scaled space of PyMC-Marketing (target divided by its maximum, each channel's input by
//! its maximum):
//!
//! ```text
//! y_t = intercept + trend * t/(n-1) + Σ_k fourier_k(t) + Σ_c gamma_c z_c,t
//!       + Σ_m beta_m * saturation_m(adstock_m(x_m))_t + eps_t,   eps ~ Normal(0, sigma)
//! ```
//!
//! with `beta_m >= 0` (a channel never destroys outcome). Adstock is geometric (normalised weights over a
//! maximum lag) or Weibull; saturation is logistic (PyMC-Marketing's `(1 - e^{-λx}) / (1 + e^{-λx})`) or Hill.
//! Priors are stated in [`priors`] and docs/mmm.md.
//!
//! Modules: [`panel`] (the data a fit reads), [`transform`] (adstock and saturation with their derivatives),
//! [`priors`], [`spec`] (which transforms, how much seasonality), [`design`] (scaling and the fixed columns),
//! [`model`] (the log posterior), [`nuts`] (the full posterior by NUTS), [`diagnostics`] (R-hat and ESS),
//! [`normal`] (the normal quantile function the diagnostics need).

// Numeric loops index several series by the same period; iterator chains over four zipped slices read worse.
#![allow(clippy::needless_range_loop)]

pub mod allocate;
pub mod analyze;
pub mod calibration;
pub mod centred;
pub mod collapsed;
pub mod counterfactual;
pub mod cv;
pub mod design;
pub mod diagnostics;
pub mod draws;
pub mod error;
pub mod fit;
pub mod gate;
pub mod model;
pub mod normal;
pub mod nuts;
pub mod panel;
pub mod predict;
pub mod priors;
pub mod qp;
pub mod reading;
pub mod result;
pub mod spec;
#[cfg(test)]
mod test_panels;
pub mod transform;
pub mod whatif;

pub use analyze::{fit_auto, fit_fast, fit_fast_full, fit_nuts, FitOptions, Fitted, PointEstimate, WEIGHTS_CHECK};
pub use diagnostics::{Diagnostic, Summary};
pub use error::MmmError;
pub use model::{Model, Params};
pub use nuts::{sample, Coordinates, LogDensity, MassMatrix, NutsSettings, Posterior};
pub use panel::{ChannelGroup, ControlSeries, Frequency, InputKind, MediaSeries, Panel};
pub use priors::{BetaRule, Prior, Priors};
pub use result::{ChannelResult, MmmResult, Reason, ReasonCode};
pub use spec::{AdstockKind, ModelSpec, SaturationKind};
