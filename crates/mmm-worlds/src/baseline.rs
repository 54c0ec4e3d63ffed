//! The outcome without media: a baseline level with a linear trend, yearly seasonality and two control events
//! (Christmas weeks and product launches), each built from exactly the columns the model's design uses
//! (`socialledger_mmm::design`), so the model can represent the truth exactly.

use crate::ranges::{BASELINE_EUR, HOLIDAY_EFFECT, LAUNCHES, LAUNCH_EFFECT, SEASON_SD, TREND};
use crate::rng::WorldRng;
use chrono::{Datelike, NaiveDate};
use socialledger_mmm::design::fourier;
use socialledger_mmm::ControlSeries;

/// Pairs of yearly Fourier terms in the truth, the model's default.
pub const FOURIER_ORDER: usize = 2;

/// The baseline's parameters (EUR) and its weekly parts.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Baseline {
    /// EUR per week.
    pub intercept: f64,
    /// EUR added from the first week to the last (the trend column runs 0..1).
    pub trend: f64,
    /// EUR coefficients of sin_1, cos_1, sin_2, cos_2 (the design's order).
    pub fourier: Vec<f64>,
    pub controls: Vec<ControlSeries>,
    /// EUR per unit of each control.
    pub control_effects: Vec<f64>,
    /// intercept + trend x t/(n-1), per week.
    pub level: Vec<f64>,
    pub seasonality: Vec<f64>,
    /// Sum of the control effects, per week.
    pub events: Vec<f64>,
}

impl Baseline {
    /// The noiseless outcome without media in week `t`.
    pub fn at(&self, t: usize) -> f64 {
        self.level[t] + self.seasonality[t] + self.events[t]
    }
}

/// `sin` and `cos` of the `k`-th yearly harmonic at `date`: the design's own terms
/// (`socialledger_mmm::design::fourier`), so the truth and the model keep one seasonal clock.
pub(crate) fn fourier_pair(date: NaiveDate, k: usize) -> (f64, f64) {
    (fourier(k, false, date), fourier(k, true, date))
}

/// True for a week (starting on `monday`) that contains any day from 24 December to 1 January.
pub(crate) fn is_holiday_week(monday: NaiveDate) -> bool {
    (0..7).any(|d| {
        let day = monday + chrono::Duration::days(d);
        (day.month() == 12 && day.day() >= 24) || (day.month() == 1 && day.day() == 1)
    })
}

pub(crate) fn generate(dates: &[NaiveDate], rng: &mut WorldRng) -> Baseline {
    let n = dates.len();
    let intercept = rng.uniform(BASELINE_EUR).round();
    let trend = rng.uniform(TREND) * intercept;
    let sd1 = rng.uniform(SEASON_SD) * intercept;
    let mut fourier = Vec::with_capacity(2 * FOURIER_ORDER);
    for k in 1..=FOURIER_ORDER {
        let sd = sd1 / k as f64;
        fourier.push(sd * rng.normal());
        fourier.push(sd * rng.normal());
    }
    let holiday: Vec<f64> = dates.iter().map(|&d| f64::from(u8::from(is_holiday_week(d)))).collect();
    let mut launch = vec![0.0; n];
    let launches = rng.int(LAUNCHES.0, LAUNCHES.1);
    // Launches keep four weeks from either end, so their effect is never confounded with the panel's edges.
    for w in rng.choose(n - 8, launches) {
        launch[4 + w] = 1.0;
    }
    let control_effects = vec![rng.uniform(HOLIDAY_EFFECT) * intercept, rng.uniform(LAUNCH_EFFECT) * intercept];
    let controls = vec![
        ControlSeries { name: "holiday".into(), values: holiday },
        ControlSeries { name: "launch".into(), values: launch },
    ];
    let d = (n - 1) as f64;
    let level = (0..n).map(|t| intercept + trend * t as f64 / d).collect();
    let seasonality = dates
        .iter()
        .map(|&date| {
            (1..=FOURIER_ORDER)
                .map(|k| {
                    let (s, c) = fourier_pair(date, k);
                    fourier[2 * (k - 1)] * s + fourier[2 * (k - 1) + 1] * c
                })
                .sum()
        })
        .collect();
    let events = (0..n).map(|t| controls.iter().zip(&control_effects).map(|(c, e)| e * c.values[t]).sum()).collect();
    Baseline { intercept, trend, fourier, controls, control_effects, level, seasonality, events }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn christmas_weeks_are_marked() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
        assert!(is_holiday_week(d(2024, 12, 23))); // contains 24-29 Dec
        assert!(is_holiday_week(d(2024, 12, 30))); // contains 1 Jan
        assert!(!is_holiday_week(d(2025, 1, 6)));
        assert!(!is_holiday_week(d(2024, 12, 16))); // ends on the 22nd
        assert!(is_holiday_week(d(2021, 12, 20))); // ends on the 26th
    }
}
