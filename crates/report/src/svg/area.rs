//! Stacked areas over time with lines on top: what each part of a model adds to the outcome in every period
//! (the mix model's decomposition), beside the outcome itself.
//!
//! Parts can be negative (a falling trend, a seasonal dip, a control that lowers the outcome). Stacking a
//! negative part on the positive ones would hide the layer beneath it and make the stack's top edge mean
//! nothing, so the stack diverges instead: in each period the positive parts stack upward from zero and the
//! negative parts downward from zero (d3's `stackOffsetDiverging`). Every area is then as large as its part,
//! and the model's total is the top of the upper stack minus the depth of the lower one; it is drawn as its
//! own dashed line so that nobody has to do that subtraction by eye.

use super::axis::{nice_ticks, unit_caption, LinearScale};
use super::canvas::{element_id, legend, legend_rows, text_width, Anchor, Canvas, LegendEntry, TextStyle, WIDTH};
use super::palette::{AXIS, GRID, MUTED, TEXT};
use crate::figures::{self, Unit};
use chrono::{Datelike, NaiveDate};

/// One part of the outcome, a value per period (non-finite values count as zero).
#[derive(Clone, Debug, PartialEq)]
pub struct AreaLayer {
    pub name: String,
    pub values: Vec<f64>,
    pub colour: &'static str,
    /// Hatched, so that the parts that are not channels (baseline, trend, seasonality, controls) read apart
    /// from the channels without colour.
    pub hatched: bool,
}

/// A line over the areas (the actual outcome, the model's total).
#[derive(Clone, Debug, PartialEq)]
pub struct OverlayLine {
    pub name: String,
    pub values: Vec<f64>,
    pub colour: &'static str,
    pub dash: Option<&'static str>,
    /// Class of the polyline, so tests and styles can find it.
    pub class: &'static str,
}

/// Stacked areas over equally spaced periods.
#[derive(Clone, Debug, PartialEq)]
pub struct StackedAreaChart {
    pub id: String,
    pub title: String,
    pub description: String,
    pub unit: Unit,
    /// First day of each period.
    pub dates: Vec<NaiveDate>,
    /// Bottom to top (above zero; the order is mirrored below zero).
    pub layers: Vec<AreaLayer>,
    pub lines: Vec<OverlayLine>,
}

/// The part of one layer on one side of zero: its lower and upper edge per period, in values.
#[derive(Clone, Debug, PartialEq)]
pub struct Band {
    pub layer: usize,
    /// True for the part above zero.
    pub positive: bool,
    pub lower: Vec<f64>,
    pub upper: Vec<f64>,
}

/// The diverging stack of `layers` over `n` periods: per layer, a band above zero where it has positive values
/// and a band below zero where it has negative ones (a band that is zero throughout is left out). In every
/// period the signed thicknesses of all bands add up to the sum of the layers' values.
pub fn diverging_stack(layers: &[Vec<f64>], n: usize) -> Vec<Band> {
    let value = |l: &Vec<f64>, t: usize| l.get(t).copied().filter(|v| v.is_finite()).unwrap_or(0.0);
    let mut up = vec![0.0; n];
    let mut down = vec![0.0; n];
    let mut bands = Vec::new();
    for (i, l) in layers.iter().enumerate() {
        let (mut pos, mut neg) = (Band::empty(i, true, n), Band::empty(i, false, n));
        for t in 0..n {
            let v = value(l, t);
            pos.lower[t] = up[t];
            neg.upper[t] = down[t];
            if v >= 0.0 {
                up[t] += v;
            } else {
                down[t] += v;
            }
            pos.upper[t] = up[t];
            neg.lower[t] = down[t];
        }
        for band in [pos, neg] {
            if band.thickness().any(|h| h > 0.0) {
                bands.push(band);
            }
        }
    }
    bands
}

impl Band {
    fn empty(layer: usize, positive: bool, n: usize) -> Band {
        Band { layer, positive, lower: vec![0.0; n], upper: vec![0.0; n] }
    }

    /// Thickness per period (never negative).
    pub fn thickness(&self) -> impl Iterator<Item = f64> + '_ {
        self.upper.iter().zip(&self.lower).map(|(u, l)| u - l)
    }
}

const PLOT_H: f64 = 300.0;
const LEFT: f64 = 64.0;
const RIGHT: f64 = 16.0;
/// Size of the names written inside the bands.
const LABEL_FONT: f64 = 11.0;

impl StackedAreaChart {
    /// The chart as one `<svg>` element.
    pub fn to_svg(&self) -> String {
        let n = self.dates.len();
        let values: Vec<Vec<f64>> = self.layers.iter().map(|l| l.values.clone()).collect();
        let bands = diverging_stack(&values, n);
        let finite = |v: &f64| v.is_finite();
        let (mut min, mut max) = (0.0f64, 0.0f64);
        for b in &bands {
            min = b.lower.iter().copied().filter(finite).fold(min, f64::min);
            max = b.upper.iter().copied().filter(finite).fold(max, f64::max);
        }
        for l in &self.lines {
            for v in l.values.iter().filter(|v| v.is_finite()) {
                (min, max) = (min.min(*v), max.max(*v));
            }
        }
        let ticks = nice_ticks(min, max, 6);

        let hatch_id = format!("{}-hatch", element_id(&self.id));
        let mut entries: Vec<LegendEntry> = self
            .layers
            .iter()
            .map(|l| LegendEntry { hatch: l.hatched.then(|| hatch_id.clone()), ..LegendEntry::new(&l.name, l.colour) })
            .collect();
        entries.extend(self.lines.iter().map(|l| LegendEntry::new(&l.name, l.colour)));
        let top = 22.0 + legend_rows(&entries, 10.0, WIDTH - 10.0) as f64 * 18.0 + 14.0;
        let bottom = top + PLOT_H;
        let height = bottom + 30.0;
        let plot = (LEFT + 4.0, WIDTH - RIGHT);
        let y = LinearScale::from_ticks(&ticks, (bottom, top));
        let x_at = |t: usize| -> f64 {
            if n <= 1 {
                (plot.0 + plot.1) / 2.0
            } else {
                plot.0 + t as f64 * (plot.1 - plot.0) / (n - 1) as f64
            }
        };

        let mut c = Canvas::new(&self.id, WIDTH, height, &self.title, &self.description);
        c.hatch_pattern("hatch", "#ffffff");
        legend(&mut c, &entries, 10.0, 18.0, WIDTH - 10.0);
        for t in &ticks {
            let ty = y.px(*t);
            c.line((LEFT, ty), (plot.1, ty), GRID, 1.0, "grid");
            c.text(LEFT - 6.0, ty + 4.0, &figures::axis(*t, self.unit), TextStyle::new(11.0, Anchor::End, MUTED));
        }
        c.text(
            LEFT - 6.0,
            top - 12.0,
            &unit_caption(self.unit),
            TextStyle::new(11.0, Anchor::End, MUTED).class("unit"),
        );
        for (t, label) in date_labels(&self.dates, plot.1 - plot.0) {
            let lx = x_at(t);
            c.line((lx, bottom), (lx, bottom + 4.0), AXIS, 1.0, "tick");
            c.text(lx, bottom + 17.0, &label, TextStyle::new(11.0, Anchor::Middle, MUTED).class("date"));
        }
        if n == 0 {
            c.text((plot.0 + plot.1) / 2.0, top + PLOT_H / 2.0, "No data", TextStyle::new(13.0, Anchor::Middle, MUTED));
        }

        for band in &bands {
            let layer = &self.layers[band.layer];
            let total: f64 = layer.values.iter().copied().filter(|v| v.is_finite()).sum();
            let tip = format!(
                "{}: {} over {} periods{}",
                layer.name,
                figures::value(total, self.unit),
                n,
                if band.positive { "" } else { " (the part below zero)" }
            );
            let mut points: Vec<(f64, f64)> = (0..n).map(|t| (x_at(t), y.px(band.upper[t]))).collect();
            points.extend((0..n).rev().map(|t| (x_at(t), y.px(band.lower[t]))));
            if n == 1 {
                // One period: a narrow column instead of a line without area.
                let (x0, x1) = (x_at(0) - 4.0, x_at(0) + 4.0);
                points = vec![
                    (x0, y.px(band.upper[0])),
                    (x1, y.px(band.upper[0])),
                    (x1, y.px(band.lower[0])),
                    (x0, y.px(band.lower[0])),
                ];
            }
            let class = if band.positive { "area" } else { "area below" };
            c.polygon(&points, layer.colour, class, Some(&tip));
            if layer.hatched {
                c.polygon(&points, &format!("url(#{hatch_id})"), "hatch", None);
            }
        }
        // Names inside the bands that have room for them over the whole width of the name, drawn after every
        // area so that no area covers a name.
        let xs: Vec<f64> = (0..n).map(x_at).collect();
        for band in &bands {
            let layer = &self.layers[band.layer];
            let w = text_width(&layer.name, LABEL_FONT);
            let upper: Vec<f64> = band.upper.iter().map(|v| y.px(*v)).collect();
            let lower: Vec<f64> = band.lower.iter().map(|v| y.px(*v)).collect();
            if let Some((cx, cy)) = label_spot(&xs, &upper, &lower, w + 8.0, LABEL_FONT + 5.0) {
                let cx = cx.clamp(plot.0 + w / 2.0 + 2.0, plot.1 - w / 2.0 - 2.0);
                c.text(
                    cx,
                    cy + LABEL_FONT / 3.0,
                    &layer.name,
                    TextStyle::new(LABEL_FONT, Anchor::Middle, TEXT).halo().class("area-label"),
                );
            }
        }
        c.line((plot.0, y.px(0.0)), (plot.1, y.px(0.0)), AXIS, 1.0, "zero");
        for l in &self.lines {
            let pts: Vec<(f64, f64)> =
                (0..n).filter_map(|t| l.values.get(t).filter(|v| v.is_finite()).map(|v| (x_at(t), y.px(*v)))).collect();
            c.polyline(&pts, l.colour, l.dash, l.class, &l.name);
            if pts.len() == 1 {
                c.circle(pts[0], 3.0, l.colour, l.class, Some(&l.name));
            }
        }
        c.line((plot.0, bottom), (plot.1, bottom), AXIS, 1.0, "axis");
        c.finish()
    }
}

/// Where a name `width` wide fits inside a band drawn at `xs` between the pixel edges `upper` (on screen above)
/// and `lower`: the centre of the stretch of periods as wide as the name whose narrowest vertical gap is the
/// widest, when that gap is at least `height`. A band that is thick only at a spike gets no name: the name
/// would cross the neighbouring areas.
pub fn label_spot(xs: &[f64], upper: &[f64], lower: &[f64], width: f64, height: f64) -> Option<(f64, f64)> {
    let n = xs.len().min(upper.len()).min(lower.len());
    let mut best: Option<(f64, f64, f64)> = None;
    for i in 0..n {
        // The periods from i up to and including the first at least `width` to its right.
        let (mut top, mut bottom, mut reached) = (f64::NEG_INFINITY, f64::INFINITY, false);
        for j in i..n {
            top = top.max(upper[j].min(lower[j]));
            bottom = bottom.min(upper[j].max(lower[j]));
            if xs[j] - xs[i] >= width {
                reached = true;
                break;
            }
        }
        if !reached {
            break;
        }
        let gap = bottom - top;
        if gap >= height && best.is_none_or(|b| gap > b.2) {
            best = Some((xs[i] + width / 2.0, (top + bottom) / 2.0, gap));
        }
    }
    best.map(|(x, y, _)| (x, y))
}

/// Where the date axis is labelled: `(period index, label)` at the first period of every `step`-th month, the
/// step (1, 2, 3, 6, 12 or 24 months) as small as keeps the labels apart in `plot_w` user units. A span too short
/// for a month boundary gets its first and last date.
pub fn date_labels(dates: &[NaiveDate], plot_w: f64) -> Vec<(usize, String)> {
    let month = |d: &NaiveDate| d.year() * 12 + d.month0() as i32;
    let n = dates.len();
    for step in [1, 2, 3, 6, 12, 24] {
        let format = if step >= 12 { "%Y" } else { "%b %Y" };
        let mut out = Vec::new();
        let mut last: Option<i32> = None;
        for (t, d) in dates.iter().enumerate() {
            let m = month(d);
            if last != Some(m) && (t > 0 || d.day() <= 7) && m.rem_euclid(step) == 0 {
                out.push((t, d.format(format).to_string()));
            }
            last = Some(m);
        }
        let widest = out.iter().map(|(_, l)| text_width(l, 11.0)).fold(0.0f64, f64::max) + 14.0;
        let room = if n <= 1 { plot_w } else { plot_w / (n - 1) as f64 };
        let fits = out.windows(2).all(|w| (w[1].0 - w[0].0) as f64 * room >= widest);
        if fits && !out.is_empty() {
            return out;
        }
    }
    match dates {
        [] => Vec::new(),
        [only] => vec![(0, only.to_string())],
        [first, .., last] => vec![(0, first.to_string()), (n - 1, last.to_string())],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::svg::testing::{assert_clean, attr_of, texts_of};

    fn weeks(n: usize) -> Vec<NaiveDate> {
        let start = NaiveDate::from_ymd_opt(2023, 1, 2).unwrap();
        (0..n).map(|t| start + chrono::Duration::days(7 * t as i64)).collect()
    }

    fn points(p: &str) -> Vec<(f64, f64)> {
        p.split(' ')
            .map(|xy| {
                let (x, y) = xy.split_once(',').unwrap();
                (x.parse().unwrap(), y.parse().unwrap())
            })
            .collect()
    }

    #[test]
    fn the_stack_adds_up_to_the_sum_of_its_layers_with_negatives_below_zero() {
        let layers = vec![vec![10.0, 10.0, 10.0], vec![-3.0, 2.0, f64::NAN], vec![4.0, 0.0, 1.0]];
        let bands = diverging_stack(&layers, 3);
        // Layer 1 has a part above and a part below zero; no band is all zero.
        assert_eq!(
            bands.iter().map(|b| (b.layer, b.positive)).collect::<Vec<_>>(),
            [(0, true), (1, true), (1, false), (2, true)]
        );
        for t in 0..3 {
            let signed: f64 = bands
                .iter()
                .map(|b| if b.positive { b.upper[t] - b.lower[t] } else { -(b.upper[t] - b.lower[t]) })
                .sum();
            let sum: f64 = layers.iter().map(|l| if l[t].is_finite() { l[t] } else { 0.0 }).sum();
            assert!((signed - sum).abs() < 1e-12, "period {t}: {signed} vs {sum}");
        }
        // Below zero the negative part hangs from zero; above, layer 2 sits on layer 0 where layer 1 is negative.
        let neg = &bands[2];
        assert_eq!((neg.upper[0], neg.lower[0]), (0.0, -3.0));
        assert_eq!((bands[3].lower[0], bands[3].upper[0]), (10.0, 14.0));
        assert!(bands.iter().all(|b| b.thickness().all(|h| h >= 0.0)));
    }

    fn chart(layers: Vec<(&str, Vec<f64>)>) -> StackedAreaChart {
        let n = layers.first().map_or(0, |l| l.1.len());
        let total: Vec<f64> = (0..n).map(|t| layers.iter().map(|l| l.1[t]).sum()).collect();
        StackedAreaChart {
            id: "chart-decomposition".into(),
            title: "t".into(),
            description: "d".into(),
            unit: Unit::Count,
            dates: weeks(n),
            layers: layers
                .into_iter()
                .enumerate()
                .map(|(i, (name, values))| AreaLayer {
                    name: name.into(),
                    values,
                    colour: crate::svg::palette::colour(i),
                    hatched: i == 1,
                })
                .collect(),
            lines: vec![OverlayLine {
                name: "Model total".into(),
                values: total,
                colour: "#000000",
                dash: Some("6 3"),
                class: "total",
            }],
        }
    }

    #[test]
    fn the_drawn_areas_stack_to_the_drawn_total() {
        let svg = chart(vec![
            ("Baseline", vec![100.0, 100.0, 100.0, 100.0]),
            ("Trend and seasonality", vec![-40.0, -10.0, 20.0, 35.0]),
            ("LinkedIn", vec![30.0, 50.0, 0.0, 10.0]),
        ])
        .to_svg();
        assert_clean(&svg);
        let above: Vec<Vec<(f64, f64)>> = attr_of(&svg, "polygon", "area", "points")
            .iter()
            .zip(attr_of(&svg, "polygon", "area", "class"))
            .filter(|(_, class)| !class.contains("below"))
            .map(|(p, _)| points(p))
            .collect();
        let below: Vec<Vec<(f64, f64)>> =
            attr_of(&svg, "polygon", "below", "points").iter().map(|p| points(p)).collect();
        assert_eq!((above.len(), below.len()), (3, 1), "{svg}");
        let zero: f64 = attr_of(&svg, "line", "zero", "y1")[0].parse().unwrap();
        let total = points(&attr_of(&svg, "polyline", "total", "points")[0]);
        for t in 0..4 {
            // The top of the upper stack is the upper edge of the last band above zero; the bottom of the lower
            // stack is the lower edge (second half, reversed) of the band below.
            let top = above.last().unwrap()[t].1;
            let bottom = below[0][below[0].len() - 1 - t].1;
            let drawn = zero - ((zero - top) - (bottom - zero));
            assert!((drawn - total[t].1).abs() < 0.35, "period {t}: areas give {drawn}, the line {}", total[t].1);
        }
    }

    #[test]
    fn every_layer_and_line_is_in_the_legend_and_names_are_escaped() {
        let svg = chart(vec![
            ("Baseline", vec![5.0, 6.0]),
            ("<script>alert(1)</script>", vec![1.0, 1.0]),
            ("Events \"&<>", vec![1.0, 2.0]),
        ])
        .to_svg();
        assert_clean(&svg);
        let legend = texts_of(&svg, "label");
        for name in ["Baseline", "&lt;script&gt;alert(1)&lt;/script&gt;", "Events &quot;&amp;&lt;&gt;", "Model total"] {
            assert!(legend.iter().any(|l| l == name), "{name} not in the legend {legend:?}");
        }
        assert_eq!(attr_of(&svg, "rect", "swatch", "fill").iter().filter(|f| f.starts_with('#')).count(), 4);
        // The hatched layer's swatch and area carry the chart's own pattern.
        assert!(attr_of(&svg, "polygon", "hatch", "fill").iter().all(|f| f == "url(#chart-decomposition-hatch)"));
    }

    #[test]
    fn empty_single_and_non_finite_data_draw_cleanly() {
        for layers in [
            vec![],
            vec![("A", vec![1.0])],
            vec![("A", vec![f64::NAN, f64::INFINITY]), ("B", vec![0.0, 0.0])],
            vec![("A", vec![-1.0, -2.0])],
        ] {
            assert_clean(&chart(layers).to_svg());
        }
    }

    #[test]
    fn names_go_where_the_band_is_wide_enough_over_their_whole_width() {
        let xs: Vec<f64> = (0..10).map(|i| i as f64 * 10.0).collect();
        // A spike at 2 (too narrow for a name 30 wide) and a plateau from 5 to 9.
        let upper = [100.0, 100.0, 20.0, 100.0, 100.0, 60.0, 60.0, 60.0, 60.0, 60.0];
        let lower = [100.0; 10];
        let (x, y) = label_spot(&xs, &upper, &lower, 30.0, 15.0).unwrap();
        assert_eq!(x, 65.0);
        assert_eq!(y, 80.0);
        assert_eq!(label_spot(&xs, &upper, &lower, 30.0, 45.0), None, "no stretch is 45 high");
        assert_eq!(label_spot(&xs, &upper, &lower, 200.0, 1.0), None, "wider than the chart");
        assert_eq!(label_spot(&[], &[], &[], 10.0, 1.0), None);
    }

    #[test]
    fn date_labels_keep_apart_and_fall_on_month_starts() {
        let dates = weeks(179);
        let labels = date_labels(&dates, 800.0);
        assert!(labels.len() >= 4, "{labels:?}");
        assert!(labels.iter().all(|(t, _)| dates[*t].day() <= 7), "{labels:?}");
        let room = 800.0 / 178.0;
        assert!(labels.windows(2).all(|w| (w[1].0 - w[0].0) as f64 * room >= text_width(&w[0].1, 11.0)), "{labels:?}");
        assert_eq!(date_labels(&weeks(2), 800.0), vec![(0, "Jan 2023".to_string())]);
        // No month starts within the span: its first and last date.
        let mid: Vec<NaiveDate> = weeks(4)[2..].to_vec();
        assert_eq!(date_labels(&mid, 800.0), vec![(0, "2023-01-16".to_string()), (1, "2023-01-23".to_string())]);
        assert!(date_labels(&[], 800.0).is_empty());
    }
}
