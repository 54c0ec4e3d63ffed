//! The outcome's baseline: intercept, linear trend and two yearly Fourier pairs, fitted by least squares on the
//! weeks before an experiment. An experiment's estimator compares the outcome's deviations from this baseline,
//! so seasonality and growth do not pass for an effect and do not inflate its noise.

use crate::stats::least_squares;
use crate::DecideError;
use chrono::NaiveDate;
use nalgebra::{DMatrix, DVector};
use socialledger_mmm::design::fourier;

/// Fourier pairs of the yearly season.
pub const FOURIER_ORDER: usize = 2;
/// Weeks of history below which no baseline is fitted (two full years would be better; one is the least that
/// shows a season at all).
pub const MIN_WEEKS: usize = 26;

/// A fitted baseline, to predict any week.
#[derive(Clone, Debug, PartialEq)]
pub struct Baseline {
    start: NaiveDate,
    span_days: f64,
    coef: Vec<f64>,
}

impl Baseline {
    /// Fits the baseline to `outcome` observed on `dates` (weekly, increasing).
    pub fn fit(dates: &[NaiveDate], outcome: &[f64]) -> Result<Baseline, DecideError> {
        if dates.len() != outcome.len() {
            return Err(DecideError::Invalid(format!("{} dates but {} outcome values", dates.len(), outcome.len())));
        }
        if dates.len() < MIN_WEEKS {
            return Err(DecideError::TooShort {
                what: "the outcome's baseline (trend and season)".into(),
                have: dates.len(),
                need: MIN_WEEKS,
                hint: "import more history".into(),
            });
        }
        if let Some(v) = outcome.iter().find(|v| !v.is_finite()) {
            return Err(DecideError::Invalid(format!("the outcome has a value that is not a number: {v}")));
        }
        let start = dates[0];
        let span_days = ((dates[dates.len() - 1] - start).num_days() as f64).max(1.0);
        let mut b = Baseline { start, span_days, coef: Vec::new() };
        let x = DMatrix::from_fn(dates.len(), b.columns(), |i, j| b.row(dates[i])[j]);
        let y = DVector::from_column_slice(outcome);
        b.coef = least_squares(&x, &y)
            .ok_or_else(|| DecideError::Invalid("the baseline's trend and season cannot be told apart".into()))?
            .iter()
            .copied()
            .collect();
        Ok(b)
    }

    fn columns(&self) -> usize {
        2 + 2 * FOURIER_ORDER
    }

    fn row(&self, date: NaiveDate) -> Vec<f64> {
        let mut r = vec![1.0, (date - self.start).num_days() as f64 / self.span_days];
        for k in 1..=FOURIER_ORDER {
            r.push(fourier(k, false, date));
            r.push(fourier(k, true, date));
        }
        r
    }

    /// The baseline's value in the week of `date`.
    pub fn predict(&self, date: NaiveDate) -> f64 {
        self.row(date).iter().zip(&self.coef).map(|(x, b)| x * b).sum()
    }

    /// `outcome - baseline` for each week.
    pub fn residuals(&self, dates: &[NaiveDate], outcome: &[f64]) -> Vec<f64> {
        dates.iter().zip(outcome).map(|(d, y)| y - self.predict(*d)).collect()
    }

    /// The history's out-of-sample residuals of every stretch of `weeks` weeks: for each start, the baseline is
    /// fitted on the history without that stretch and the stretch's residuals are taken from it. An experiment's
    /// weeks are residuals of a baseline that never saw them, and in-sample residuals would be smaller: the fit
    /// soaks up part of the slow noise (with autocorrelated weekly noise the placebo spread came out 20 % too
    /// narrow in-sample). `dates` and `outcome` are the history this baseline was fitted to. Leaving a stretch
    /// out costs one small solve: the normal equations of the whole history minus the stretch's own rows. No
    /// stretch when what is left would be too short for a baseline.
    pub fn left_out_stretches(&self, dates: &[NaiveDate], outcome: &[f64], weeks: usize) -> Vec<Vec<f64>> {
        if weeks == 0 || weeks > dates.len() || dates.len() - weeks < MIN_WEEKS {
            return Vec::new();
        }
        let k = self.columns();
        let rows: Vec<Vec<f64>> = dates.iter().map(|d| self.row(*d)).collect();
        let mut xtx = DMatrix::<f64>::zeros(k, k);
        let mut xty = DVector::<f64>::zeros(k);
        for (r, y) in rows.iter().zip(outcome) {
            for i in 0..k {
                xty[i] += r[i] * y;
                for j in 0..k {
                    xtx[(i, j)] += r[i] * r[j];
                }
            }
        }
        let mut out = Vec::with_capacity(dates.len() - weeks + 1);
        for start in 0..=(dates.len() - weeks) {
            let mut a = xtx.clone();
            let mut b = xty.clone();
            for t in start..start + weeks {
                let r = &rows[t];
                for i in 0..k {
                    b[i] -= r[i] * outcome[t];
                    for j in 0..k {
                        a[(i, j)] -= r[i] * r[j];
                    }
                }
            }
            let Some(coef) = a.cholesky().map(|c| c.solve(&b)) else {
                continue;
            };
            out.push(
                (start..start + weeks)
                    .map(|t| outcome[t] - rows[t].iter().zip(coef.iter()).map(|(x, c)| x * c).sum::<f64>())
                    .collect(),
            );
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_baseline_of_trend_and_season_is_recovered_exactly() {
        let start = NaiveDate::from_ymd_opt(2023, 1, 2).unwrap();
        let dates: Vec<NaiveDate> = (0..104).map(|t| start + chrono::Duration::days(7 * t)).collect();
        let truth = |d: NaiveDate| {
            50.0 + 0.01 * (d - start).num_days() as f64 + 8.0 * fourier(1, false, d) - 3.0 * fourier(2, true, d)
        };
        let y: Vec<f64> = dates.iter().map(|d| truth(*d)).collect();
        let b = Baseline::fit(&dates, &y).unwrap();
        assert!(b.residuals(&dates, &y).iter().all(|r| r.abs() < 1e-8));
        let later = start + chrono::Duration::days(7 * 120);
        assert!((b.predict(later) - truth(later)).abs() < 1e-8);
    }

    #[test]
    fn left_out_stretches_are_residuals_of_a_baseline_fitted_without_them() {
        let start = NaiveDate::from_ymd_opt(2023, 1, 2).unwrap();
        let dates: Vec<NaiveDate> = (0..80).map(|t| start + chrono::Duration::days(7 * t)).collect();
        let y: Vec<f64> = (0..80).map(|t| 10.0 + ((t * 37) % 11) as f64 + 0.2 * t as f64).collect();
        let stretches = Baseline::fit(&dates, &y).unwrap().left_out_stretches(&dates, &y, 10);
        assert_eq!(stretches.len(), 71);
        for start in [0, 33, 70] {
            let kept: Vec<usize> = (0..80).filter(|t| *t < start || *t >= start + 10).collect();
            let kd: Vec<NaiveDate> = kept.iter().map(|t| dates[*t]).collect();
            let ky: Vec<f64> = kept.iter().map(|t| y[*t]).collect();
            let b = Baseline::fit(&kd, &ky).unwrap();
            let expected = b.residuals(&dates[start..start + 10], &y[start..start + 10]);
            for (a, e) in stretches[start].iter().zip(&expected) {
                assert!((a - e).abs() < 1e-7, "{a} vs {e}");
            }
        }
    }

    #[test]
    fn too_little_history_is_refused_with_what_to_do() {
        let start = NaiveDate::from_ymd_opt(2023, 1, 2).unwrap();
        let dates: Vec<NaiveDate> = (0..10).map(|t| start + chrono::Duration::days(7 * t)).collect();
        let err = Baseline::fit(&dates, &[1.0; 10]).unwrap_err();
        assert!(err.to_string().contains("at least 26"), "{err}");
    }
}
