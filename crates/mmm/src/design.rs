//! The scaled design of a fit: the target divided by its maximum, each channel's input by its maximum (as
//! PyMC-Marketing scales), controls by their largest absolute value, and the fixed columns (intercept, trend,
//! yearly Fourier terms, controls).
//!
//! Scaling makes one set of default priors fit every company: in scaled space an effect of 0.1 is a tenth of
//! the best period's outcome, whatever the currency.

use crate::panel::Panel;
use crate::spec::ModelSpec;
use crate::MmmError;
use chrono::{Datelike, NaiveDate};
use serde::Serialize;

/// What a fixed column is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FixedKind {
    Intercept,
    Trend,
    Fourier,
    Control,
}

/// A fixed (non-media) column of the design.
#[derive(Clone, Debug, PartialEq)]
pub struct FixedColumn {
    pub name: String,
    pub kind: FixedKind,
    /// For Fourier terms: the order and whether it is the cosine.
    pub fourier: Option<(usize, bool)>,
    pub values: Vec<f64>,
    /// The raw control is `values * scale` (1 for intercept, trend and Fourier terms).
    pub scale: f64,
}

/// Everything a fit computes on, in scaled space.
#[derive(Clone, Debug, PartialEq)]
pub struct Design {
    pub n: usize,
    /// First day of the first period, and the period length in days (for the trend's clock).
    pub start: NaiveDate,
    pub period_days: i64,
    /// Target / `y_scale`.
    pub y: Vec<f64>,
    /// Largest absolute target value.
    pub y_scale: f64,
    /// Each channel's input / its `x_scale`.
    pub x: Vec<Vec<f64>>,
    pub x_scale: Vec<f64>,
    pub fixed: Vec<FixedColumn>,
}

impl Design {
    pub fn new(panel: &Panel, spec: &ModelSpec) -> Result<Design, MmmError> {
        panel.validate()?;
        spec.validate(panel.len())?;
        let n = panel.len();
        let y_scale = panel.target.iter().fold(0.0_f64, |m, v| m.max(v.abs()));
        let y = panel.target.iter().map(|v| v / y_scale).collect();
        let mut x = Vec::with_capacity(panel.channels.len());
        let mut x_scale = Vec::with_capacity(panel.channels.len());
        for c in &panel.channels {
            let m = c.values.iter().fold(0.0_f64, |m, &v| m.max(v));
            if m <= 0.0 {
                return Err(MmmError::Panel(format!(
                    "channel {} is zero in every period: there is nothing to learn about it; leave it out",
                    c.key
                )));
            }
            x.push(c.values.iter().map(|v| v / m).collect());
            x_scale.push(m);
        }
        let mut fixed = vec![FixedColumn {
            name: "intercept".into(),
            kind: FixedKind::Intercept,
            fourier: None,
            values: vec![1.0; n],
            scale: 1.0,
        }];
        if spec.trend {
            let d = (n - 1).max(1) as f64;
            fixed.push(FixedColumn {
                name: "trend".into(),
                kind: FixedKind::Trend,
                fourier: None,
                values: (0..n).map(|t| t as f64 / d).collect(),
                scale: 1.0,
            });
        }
        for k in 1..=spec.fourier_order {
            for (cosine, name) in [(false, "sin"), (true, "cos")] {
                let values = panel.dates.iter().map(|&d| fourier(k, cosine, d)).collect();
                fixed.push(FixedColumn {
                    name: format!("{name}_{k}"),
                    kind: FixedKind::Fourier,
                    fourier: Some((k, cosine)),
                    values,
                    scale: 1.0,
                });
            }
        }
        for c in &panel.controls {
            let m = c.values.iter().fold(0.0_f64, |m, v| m.max(v.abs()));
            if m == 0.0 {
                return Err(MmmError::Panel(format!("control {} is zero in every period; leave it out", c.name)));
            }
            fixed.push(FixedColumn {
                name: c.name.clone(),
                kind: FixedKind::Control,
                fourier: None,
                values: c.values.iter().map(|v| v / m).collect(),
                scale: m,
            });
        }
        Ok(Design { n, start: panel.dates[0], period_days: panel.frequency.days(), y, y_scale, x, x_scale, fixed })
    }

    pub fn n_channels(&self) -> usize {
        self.x.len()
    }
}

/// The `k`-th yearly Fourier term (sine, or cosine when `cosine`) at `date`: period 365.25 days, phase from
/// the day of the year counted from 1 (as pandas and PyMC-Marketing count it), so every fit and every forecast uses the same seasonal clock.
pub fn fourier(k: usize, cosine: bool, date: NaiveDate) -> f64 {
    let x = 2.0 * std::f64::consts::PI * k as f64 * date.ordinal() as f64 / 365.25;
    if cosine {
        x.cos()
    } else {
        x.sin()
    }
}
