//! What a fitted model says for any input series: the outcome split into its parts, in the target's own
//! units. Counterfactuals ("without channel X"), response curves, forecasts and the allocator are all this
//! function on changed inputs, so they agree with the fit by construction.

use crate::design::{fourier, FixedKind};
use crate::model::{Model, Params};
use crate::transform::{adstock, saturate};
use chrono::NaiveDate;

/// Raw (unscaled) inputs over some periods: the fitted ones, changed ones, or future ones.
#[derive(Clone, Debug, PartialEq)]
pub struct Inputs {
    /// First day of each period.
    pub dates: Vec<NaiveDate>,
    /// Per channel (model order), input per period in the panel's units.
    pub channels: Vec<Vec<f64>>,
    /// Per control (model order), raw value per period.
    pub controls: Vec<Vec<f64>>,
}

/// The outcome per period, split into parts (target units).
#[derive(Clone, Debug, PartialEq)]
pub struct Components {
    pub intercept: Vec<f64>,
    pub trend: Vec<f64>,
    pub seasonality: Vec<f64>,
    pub controls: Vec<f64>,
    /// Per channel (model order).
    pub channels: Vec<Vec<f64>>,
}

impl Components {
    pub fn total(&self, t: usize) -> f64 {
        self.intercept[t]
            + self.trend[t]
            + self.seasonality[t]
            + self.controls[t]
            + self.channels.iter().map(|c| c[t]).sum::<f64>()
    }
}

impl Model {
    /// Channel `m`'s contribution per period (target units) for a raw input series.
    pub fn channel_contribution(&self, p: &Params, m: usize, raw: &[f64]) -> Vec<f64> {
        let scale = self.design.x_scale[m];
        let x: Vec<f64> = raw.iter().map(|v| v / scale).collect();
        let mut a = vec![0.0; x.len()];
        adstock(self.spec.adstock, &p.adstock[m], self.spec.l_max, &x, &mut a);
        let k = p.beta[m] * self.design.y_scale;
        saturate(self.spec.saturation, &p.saturation[m], &a).into_iter().map(|f| k * f).collect()
    }

    /// Every part of the outcome per period of `inputs`.
    pub fn components(&self, p: &Params, inputs: &Inputs) -> Components {
        let d = &self.design;
        let n = inputs.dates.len();
        let ys = d.y_scale;
        let mut c = Components {
            intercept: vec![0.0; n],
            trend: vec![0.0; n],
            seasonality: vec![0.0; n],
            controls: vec![0.0; n],
            channels: Vec::new(),
        };
        let denom = (d.n - 1).max(1) as f64;
        let mut control_index = 0;
        for (col, &b) in d.fixed.iter().zip(&p.fixed) {
            match col.kind {
                FixedKind::Intercept => c.intercept.iter_mut().for_each(|v| *v = b * ys),
                FixedKind::Trend => {
                    for (t, date) in inputs.dates.iter().enumerate() {
                        let step = (*date - d.start).num_days() as f64 / d.period_days as f64;
                        c.trend[t] = b * ys * step / denom;
                    }
                }
                FixedKind::Fourier => {
                    let (k, cosine) = col.fourier.unwrap_or((1, false));
                    for (t, &date) in inputs.dates.iter().enumerate() {
                        c.seasonality[t] += b * ys * fourier(k, cosine, date);
                    }
                }
                FixedKind::Control => {
                    if let Some(raw) = inputs.controls.get(control_index) {
                        for t in 0..n {
                            c.controls[t] += b * ys * raw.get(t).copied().unwrap_or(0.0) / col.scale;
                        }
                    }
                    control_index += 1;
                }
            }
        }
        c.channels = (0..self.n_channels()).map(|m| self.channel_contribution(p, m, &inputs.channels[m])).collect();
        c
    }
}
