//! Axes: "nice" tick values (steps of 1, 2 or 5 times a power of ten) and the linear map from values to pixels.

use crate::figures::Unit;

/// Tick values covering `[min, max]` with about `target` steps of 1, 2, 2.5 or 5 times a power of ten, always
/// including zero when the range does. Non-finite bounds are ignored; an empty or zero-width range gives the
/// ticks of `[0, 1]` so that a chart of nothing still has an axis and no division by zero.
///
/// The first tick is at or below `min` and the last at or above `max`, so the ticks define the axis domain.
pub fn nice_ticks(min: f64, max: f64, target: usize) -> Vec<f64> {
    let (mut lo, mut hi) = (min, max);
    if !lo.is_finite() || !hi.is_finite() {
        lo = 0.0;
        hi = 1.0;
    }
    if lo > hi {
        std::mem::swap(&mut lo, &mut hi);
    }
    if (hi - lo).abs() < f64::EPSILON * hi.abs().max(1.0) {
        if hi == 0.0 {
            hi = 1.0;
        } else if hi > 0.0 {
            lo = lo.min(0.0);
        } else {
            hi = 0.0;
        }
    }
    let step = nice_step((hi - lo) / target.max(1) as f64);
    let first = (lo / step).floor();
    let last = (hi / step).ceil();
    let count = (last - first) as i64;
    // Round to one digit below the step's, which removes binary noise (3 x 0.1 = 0.30000000000000004).
    let digits = ((-step.log10()).ceil() + 1.0).max(0.0) as i32;
    let scale = 10f64.powi(digits);
    (0..=count)
        .map(|i| {
            let v = ((first + i as f64) * step * scale).round() / scale;
            if v == 0.0 {
                0.0
            } else {
                v
            }
        })
        .collect()
}

/// The nearest of 1, 2, 2.5, 5 or 10 (times a power of ten) to `raw`, on a roughly logarithmic split.
fn nice_step(raw: f64) -> f64 {
    let raw = if raw.is_finite() && raw > 0.0 { raw } else { 1.0 };
    let power = 10f64.powf(raw.log10().floor());
    let fraction = raw / power;
    let nice = [(1.5, 1.0), (2.25, 2.0), (3.5, 2.5), (7.5, 5.0)]
        .into_iter()
        .find(|(below, _)| fraction < *below)
        .map_or(10.0, |(_, n)| n);
    nice * power
}

/// Maps a value domain linearly onto a pixel range. A zero-width domain maps everything to the range start, so
/// no NaN ever reaches the output.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LinearScale {
    pub domain: (f64, f64),
    pub range: (f64, f64),
}

impl LinearScale {
    pub fn new(domain: (f64, f64), range: (f64, f64)) -> Self {
        LinearScale { domain, range }
    }

    /// The scale whose domain is spanned by `ticks` (as returned by [`nice_ticks`]).
    pub fn from_ticks(ticks: &[f64], range: (f64, f64)) -> Self {
        let lo = ticks.first().copied().unwrap_or(0.0);
        let hi = ticks.last().copied().unwrap_or(1.0);
        LinearScale::new((lo, hi), range)
    }

    /// The pixel position of `v`; non-finite values go to the domain start.
    pub fn px(&self, v: f64) -> f64 {
        let (d0, d1) = self.domain;
        let (r0, r1) = self.range;
        let width = d1 - d0;
        if !v.is_finite() || !width.is_finite() || width == 0.0 {
            return r0;
        }
        r0 + (v - d0) / width * (r1 - r0)
    }
}

/// The caption under a value axis that names its unit.
pub fn unit_caption(unit: Unit) -> String {
    match unit {
        Unit::Money(c) => format!("{c}"),
        Unit::Rate => "percent".to_string(),
        Unit::Hours => "hours".to_string(),
        Unit::Count => "count".to_string(),
    }
}

/// The caption written beside the tick labels of a value axis, or `None` where every tick label already carries
/// the unit (`250 h`, `3%`).
pub fn axis_caption(unit: Unit) -> Option<String> {
    match unit {
        Unit::Hours | Unit::Rate => None,
        Unit::Money(_) | Unit::Count => Some(unit_caption(unit)),
    }
}

/// The widest horizontal plot, in user units, that starts at `left` and keeps every end label before
/// `right_edge`. Each of `ends` is `(share, width)`: a label `width` wide that starts `pad` after the point at
/// `share` (0 to 1) of the plot's width, like the value written after a bar. The last tick label, centred on
/// the plot's end, must fit too (`last_tick_w`). Never less than 40% of the room, so that one huge label cannot
/// squash the plot.
pub fn plot_width_for_end_labels(
    left: f64,
    right_edge: f64,
    ends: impl IntoIterator<Item = (f64, f64)>,
    pad: f64,
    last_tick_w: f64,
) -> f64 {
    let room = (right_edge - left).max(1.0);
    let mut width = room - last_tick_w / 2.0;
    for (share, w) in ends {
        if share.is_finite() && share > 0.0 && w.is_finite() {
            width = width.min((room - pad - w) / share.min(1.0));
        }
    }
    width.clamp(room * 0.4, room)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_are_round_and_cover_the_range() {
        assert_eq!(
            nice_ticks(0.0, 260_000.0, 5),
            vec![0.0, 50_000.0, 100_000.0, 150_000.0, 200_000.0, 250_000.0, 300_000.0]
        );
        assert_eq!(nice_ticks(0.0, 0.034, 4), vec![0.0, 0.01, 0.02, 0.03, 0.04]);
        assert_eq!(nice_ticks(0.0, 10.0, 5), vec![0.0, 2.0, 4.0, 6.0, 8.0, 10.0]);
        let t = nice_ticks(0.0, 0.3, 3);
        assert_eq!(t, vec![0.0, 0.1, 0.2, 0.3]);
    }

    #[test]
    fn ticks_include_zero_for_negative_ranges() {
        let t = nice_ticks(-120.0, 380.0, 5);
        assert!(t.contains(&0.0), "{t:?}");
        assert!(t[0] <= -120.0 && *t.last().unwrap() >= 380.0, "{t:?}");
    }

    #[test]
    fn degenerate_ranges_still_give_an_axis() {
        assert_eq!(nice_ticks(0.0, 0.0, 5), nice_ticks(0.0, 1.0, 5));
        assert_eq!(nice_ticks(f64::NAN, 3.0, 5), nice_ticks(0.0, 1.0, 5));
        let t = nice_ticks(7.0, 7.0, 5);
        assert!(t[0] <= 0.0 && *t.last().unwrap() >= 7.0, "{t:?}");
        assert!(t.iter().all(|v| v.is_finite()));
    }

    #[test]
    fn plot_leaves_room_for_the_longest_end_label() {
        // A label 100 wide after a bar that fills the plot: the plot ends 105 before the edge.
        assert_eq!(plot_width_for_end_labels(100.0, 900.0, [(1.0, 100.0)], 5.0, 20.0), 695.0);
        // After a bar at half the plot, the same label allows a wider plot: 0.5 * w + 105 <= 800.
        assert_eq!(plot_width_for_end_labels(100.0, 900.0, [(0.5, 100.0)], 5.0, 20.0), 790.0);
        // The binding label is the one that reaches furthest right, not the longest.
        let w = plot_width_for_end_labels(0.0, 800.0, [(0.2, 300.0), (0.9, 100.0)], 0.0, 0.0);
        assert!((w - 700.0 / 0.9).abs() < 1e-9 && 0.2 * w + 300.0 <= 800.0, "{w}");
        // A label wider than the room cannot shrink the plot below 40% of it.
        assert_eq!(plot_width_for_end_labels(0.0, 500.0, [(1.0, 1000.0)], 5.0, 0.0), 200.0);
        assert_eq!(plot_width_for_end_labels(0.0, 500.0, [(f64::NAN, 10.0), (0.0, 600.0)], 5.0, 0.0), 500.0);
    }

    #[test]
    fn scale_is_linear_and_never_nan() {
        let s = LinearScale::new((0.0, 100.0), (10.0, 210.0));
        assert_eq!(s.px(0.0), 10.0);
        assert_eq!(s.px(50.0), 110.0);
        assert_eq!(s.px(100.0), 210.0);
        let flat = LinearScale::new((5.0, 5.0), (10.0, 210.0));
        assert_eq!(flat.px(5.0), 10.0);
        assert_eq!(s.px(f64::NAN), 10.0);
    }
}
