//! How much of a channel's effect an on/off schedule can show, given its carry-over and saturation as the mix
//! model estimates them. A channel whose effect builds up and decays over weeks is never fully off in the week
//! after a pause starts, nor fully on in the week after it ends; the washout leaves those weeks out, and what
//! remains of the contrast is the schedule's *efficiency*.

use serde::{Deserialize, Serialize};
use socialledger_mmm::spec::{AdstockKind, SaturationKind};
use socialledger_mmm::transform::{adstock_weights, response, saturation};

/// A channel's response as the mix model has it: adstock and saturation with their parameters, and the level
/// of a normal week's input on the model's scaled axis (input / its largest week).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Response {
    pub adstock: AdstockKind,
    pub adstock_params: Vec<f64>,
    pub l_max: usize,
    pub saturation: SaturationKind,
    pub saturation_params: Vec<f64>,
    /// A normal week's input, scaled (mean over the weeks the channel ran).
    pub level: f64,
}

impl Response {
    /// The channel's contribution per week under `on` (true: a normal week's input; false: none) relative to
    /// its steady state of normal weeks (1). The weeks before the schedule are normal weeks.
    pub fn relative_contribution(&self, on: &[bool]) -> Vec<f64> {
        let lead = self.l_max;
        let x: Vec<f64> = std::iter::repeat_n(true, lead)
            .chain(on.iter().copied())
            .map(|o| if o { self.level } else { 0.0 })
            .collect();
        let r = response(self.adstock, &self.adstock_params, self.l_max, self.saturation, &self.saturation_params, &x);
        let steady = saturation(self.saturation, &self.saturation_params, self.level).f;
        if steady <= 0.0 {
            return vec![0.0; on.len()];
        }
        r[lead..].iter().map(|v| v / steady).collect()
    }

    /// The weeks to leave out after a switch so that in the first week compared at most `left` of the adstock
    /// still comes from before the switch: the smallest `k` with the adstock weights from lag `k + 1` on summing
    /// to at most `left` (a week `k` weeks after the switch still carries lags `k + 1` and beyond).
    pub fn washout_weeks(&self, left: f64) -> usize {
        let w = adstock_weights(self.adstock, &self.adstock_params, self.l_max).w;
        let total: f64 = w.iter().sum();
        let mut tail = total - w.first().copied().unwrap_or(0.0);
        for k in 0..w.len() {
            if tail <= left * total + 1e-12 {
                return k;
            }
            tail -= w.get(k + 1).copied().unwrap_or(0.0);
        }
        w.len()
    }

    /// The share of a normal week's effect that a pause of `weeks` weeks takes away over its weeks from
    /// `washout_weeks` on (the analysed ones): 1 minus the mean carried-over contribution left there. What a
    /// geo-split or an account holdout, whose treated units are off throughout, can show of the channel's steady
    /// effect (1 without carry-over). 0 when no week is analysed.
    pub fn hold_off_efficiency(&self, weeks: usize, washout_weeks: usize) -> f64 {
        if washout_weeks >= weeks {
            return 0.0;
        }
        let left = self.relative_contribution(&vec![false; weeks]);
        1.0 - mean_where(&left, |t| t >= washout_weeks)
    }
}

/// Mean of `values` over the weeks where `pick` holds (0 when none).
pub fn mean_where(values: &[f64], pick: impl Fn(usize) -> bool) -> f64 {
    let (sum, n) =
        values.iter().enumerate().filter(|(i, _)| pick(*i)).fold((0.0, 0usize), |(s, n), (_, v)| (s + v, n + 1));
    if n == 0 {
        0.0
    } else {
        sum / n as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn geometric(alpha: f64, l_max: usize) -> Response {
        Response {
            adstock: AdstockKind::Geometric,
            adstock_params: vec![alpha],
            l_max,
            saturation: SaturationKind::Logistic,
            saturation_params: vec![2.0],
            level: 0.6,
        }
    }

    #[test]
    fn a_channel_that_never_stops_stays_at_its_steady_state() {
        let r = geometric(0.6, 8).relative_contribution(&[true; 20]);
        assert!(r.iter().all(|v| (v - 1.0).abs() < 1e-12));
    }

    #[test]
    fn a_pause_fades_out_by_the_adstock_weights_and_the_washout_says_when() {
        let resp = geometric(0.5, 8);
        let mut on = vec![true; 4];
        on.extend([false; 12]);
        let r = resp.relative_contribution(&on);
        // Decays monotonically after the switch and reaches zero once every lag is past.
        assert!(r[4..].windows(2).all(|w| w[1] <= w[0] + 1e-12));
        assert!(r[4 + 8..].iter().all(|v| v.abs() < 1e-12));
        let w = resp.washout_weeks(0.1);
        // Geometric weights 0.5^l normalised over 8 lags: the tail from lag 4 on is 0.059, from lag 3 0.122; the
        // week 3 weeks after the switch carries lags 4 and beyond.
        assert_eq!(w, 3);
        assert!(r[4 + w] < 0.1 && r[4 + w - 1] > 0.1, "{r:?}");
        assert_eq!(geometric(1e-9, 8).washout_weeks(0.1), 0);
    }

    #[test]
    fn holding_off_shows_all_but_the_carry_over_left_after_the_washout() {
        let resp = geometric(0.5, 8);
        let w = resp.washout_weeks(0.1);
        let e = resp.hold_off_efficiency(12, w);
        assert!(e > 0.9 && e < 1.0, "{e}");
        assert!(resp.hold_off_efficiency(40, w) > e);
        assert_eq!(resp.hold_off_efficiency(w, w), 0.0);
        assert!((geometric(1e-9, 8).hold_off_efficiency(5, 0) - 1.0).abs() < 1e-9);
    }
}
