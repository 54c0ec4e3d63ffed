//! Multi-line chart over ordered categories (months): one line per series (channel), with gaps where a value is
//! missing, a marker shape and dash pattern per series, and the series name written at the end of its line.

use super::axis::{nice_ticks, unit_caption, LinearScale};
use super::canvas::{fit, legend, legend_rows, text_width, Anchor, Canvas, LegendEntry, TextStyle, WIDTH};
use super::palette::{self, Marker, AXIS, GRID, MUTED, TEXT};
use crate::figures::{self, Unit};

/// One line: a value (or nothing) per x label.
#[derive(Clone, Debug, PartialEq)]
pub struct LineSeries {
    pub name: String,
    /// One entry per x label; `None` leaves a gap in the line (not reported, or no denominator).
    pub values: Vec<Option<f64>>,
}

/// Lines over equally spaced categories.
#[derive(Clone, Debug, PartialEq)]
pub struct LineChart {
    pub id: String,
    pub title: String,
    pub description: String,
    pub unit: Unit,
    pub x_labels: Vec<String>,
    pub series: Vec<LineSeries>,
}

const PLOT_H: f64 = 260.0;
const LEFT: f64 = 56.0;
/// Size of the line names at the right edge.
const NAME_FONT: f64 = 12.0;
/// The widest line name at the right edge, in user units.
const MAX_NAME_W: f64 = 190.0;
/// Least distance between the baselines of two line names: the font size plus a third, so that names never
/// touch.
const NAME_GAP: f64 = NAME_FONT * 1.35;

impl LineChart {
    /// The chart as one `<svg>` element.
    pub fn to_svg(&self) -> String {
        let finite = |v: &Option<f64>| v.filter(|x| x.is_finite());
        let (min, max) = self
            .series
            .iter()
            .flat_map(|s| s.values.iter().filter_map(finite))
            .fold((0.0f64, 0.0f64), |(a, b), v| (a.min(v), b.max(v)));
        let ticks = nice_ticks(min, max, 5);

        let legend_entries: Vec<LegendEntry> =
            self.series.iter().enumerate().map(|(i, s)| LegendEntry::new(&s.name, palette::colour(i))).collect();
        let top = 22.0 + legend_rows(&legend_entries, 10.0, WIDTH - 10.0) as f64 * 18.0 + 10.0;
        let name_w = self.series.iter().map(|s| text_width(&s.name, NAME_FONT)).fold(0.0f64, f64::max).min(MAX_NAME_W);
        let right = name_w + 22.0;
        let plot = (LEFT + 12.0, WIDTH - right - 8.0);
        let bottom = top + PLOT_H;
        let height = bottom + 44.0;
        let y = LinearScale::from_ticks(&ticks, (bottom, top));
        let n = self.x_labels.len();
        let x_at = |i: usize| -> f64 {
            if n <= 1 {
                (plot.0 + plot.1) / 2.0
            } else {
                plot.0 + i as f64 * (plot.1 - plot.0) / (n - 1) as f64
            }
        };

        let mut c = Canvas::new(&self.id, WIDTH, height, &self.title, &self.description);
        legend(&mut c, &legend_entries, 10.0, 18.0, WIDTH - 10.0);
        for t in &ticks {
            let ty = y.px(*t);
            c.line((LEFT, ty), (plot.1, ty), if *t == 0.0 { AXIS } else { GRID }, 1.0, "grid");
            c.text(LEFT - 6.0, ty + 4.0, &figures::axis(*t, self.unit), TextStyle::new(11.0, Anchor::End, MUTED));
        }
        c.text(LEFT - 6.0, top - 12.0, &unit_caption(self.unit), TextStyle::new(11.0, Anchor::End, MUTED));
        // Every k-th month label, so labels never overlap.
        let label_w = self.x_labels.iter().map(|l| text_width(l, 11.0)).fold(0.0f64, f64::max) + 8.0;
        let every = if n <= 1 { 1 } else { ((label_w * (n - 1) as f64) / (plot.1 - plot.0)).ceil().max(1.0) as usize };
        for (i, label) in self.x_labels.iter().enumerate() {
            let lx = x_at(i);
            c.line((lx, bottom), (lx, bottom + 4.0), AXIS, 1.0, "tick");
            if i % every == 0 {
                c.text(lx, bottom + 17.0, label, TextStyle::new(11.0, Anchor::Middle, MUTED));
            }
        }
        let has_data = self.series.iter().any(|s| s.values.iter().any(|v| finite(v).is_some()));
        if !has_data {
            c.text((plot.0 + plot.1) / 2.0, top + PLOT_H / 2.0, "No data", TextStyle::new(13.0, Anchor::Middle, MUTED));
        }

        let mut ends: Vec<(f64, usize)> = Vec::new();
        for (si, s) in self.series.iter().enumerate() {
            let colour = palette::colour(si);
            c.open_group("series", Some(&s.name));
            let mut run: Vec<(f64, f64)> = Vec::new();
            for (i, v) in s.values.iter().take(n).enumerate() {
                match finite(v) {
                    Some(v) => run.push((x_at(i), y.px(v))),
                    None => {
                        c.polyline(&run, colour, palette::dash(si), "line", &s.name);
                        run.clear();
                    }
                }
            }
            c.polyline(&run, colour, palette::dash(si), "line", &s.name);
            let mut last = None;
            for (i, v) in s.values.iter().take(n).enumerate() {
                if let Some(v) = finite(v) {
                    let tip = format!("{}, {}: {}", s.name, self.x_labels[i], figures::value(v, self.unit));
                    marker(&mut c, palette::marker(si), (x_at(i), y.px(v)), colour, "marker", Some(&tip));
                    last = Some(y.px(v));
                }
            }
            c.close_group();
            if let Some(ly) = last {
                ends.push((ly, si));
            }
        }
        // Names at the right edge, at their line's last value, nudged apart so they do not overlap; a name moved
        // off its line's end is tied to it by a short leader in the line's colour.
        let line_end: std::collections::HashMap<usize, f64> = ends.iter().map(|(y, si)| (*si, *y)).collect();
        for (ly, si) in spread(ends, NAME_GAP, (top, bottom)) {
            let name = fit(&self.series[si].name, name_w, NAME_FONT, false);
            let from = line_end.get(&si).copied().unwrap_or(ly);
            if (from - ly).abs() > 2.0 {
                c.line((plot.1 + 5.0, from), (plot.1 + 11.0, ly), palette::colour(si), 1.0, "leader");
            }
            c.text(
                plot.1 + 14.0,
                ly + NAME_FONT / 3.0,
                &name,
                TextStyle::new(NAME_FONT, Anchor::Start, TEXT).class("line-name"),
            );
        }
        c.finish()
    }
}

/// Draws marker `shape` (radius 3.5) at `at`.
fn marker(c: &mut Canvas, shape: Marker, at: (f64, f64), fill: &str, class: &str, title: Option<&str>) {
    let r = 3.5;
    let (x, y) = at;
    match shape {
        Marker::Circle => c.circle(at, r, fill, class, title),
        Marker::Square => {
            c.polygon(&[(x - r, y - r), (x + r, y - r), (x + r, y + r), (x - r, y + r)], fill, class, title)
        }
        Marker::Triangle => {
            c.polygon(&[(x, y - r * 1.2), (x + r * 1.1, y + r * 0.8), (x - r * 1.1, y + r * 0.8)], fill, class, title)
        }
        Marker::Diamond => {
            c.polygon(&[(x, y - r * 1.3), (x + r * 1.3, y), (x, y + r * 1.3), (x - r * 1.3, y)], fill, class, title)
        }
    }
}

/// Moves label positions `(y, id)` (the vertical centres of the labels) apart to at least `gap`, each as little
/// as it can, and within `bounds` where they fit; returns them sorted by y.
///
/// Labels that would overlap form a cluster that is set at `gap` spacing and centred on its labels' own
/// positions (the least-squares placement); clusters that then overlap merge, until none do. A cluster that
/// would leave `bounds` is moved back inside.
fn spread(mut labels: Vec<(f64, usize)>, gap: f64, bounds: (f64, f64)) -> Vec<(f64, usize)> {
    labels.retain(|(y, _)| y.is_finite());
    labels.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    // Clusters of consecutive labels: (index of the first, count, y of the first).
    let mut clusters: Vec<(usize, usize, f64)> = Vec::new();
    let place = |first: usize, count: usize| -> f64 {
        let mean = labels[first..first + count].iter().enumerate().map(|(k, (y, _))| y - k as f64 * gap).sum::<f64>()
            / count as f64;
        let highest = bounds.1 - (count - 1) as f64 * gap;
        mean.min(highest).max(bounds.0)
    };
    for i in 0..labels.len() {
        clusters.push((i, 1, place(i, 1)));
        while clusters.len() > 1 {
            let (first, count, y) = clusters[clusters.len() - 1];
            let (p_first, p_count, p_y) = clusters[clusters.len() - 2];
            if p_y + p_count as f64 * gap <= y + 1e-9 {
                break;
            }
            clusters.pop();
            let merged = (p_first, p_count + count, place(p_first, p_count + count));
            debug_assert_eq!(p_first + p_count, first);
            *clusters.last_mut().expect("two clusters") = merged;
        }
    }
    let labels = &labels;
    clusters
        .iter()
        .flat_map(|(first, count, y)| (0..*count).map(move |k| (y + k as f64 * gap, labels[first + k].1)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::svg::testing::{assert_clean, attr_of, num_of, texts_of};

    fn chart(series: Vec<LineSeries>) -> LineChart {
        LineChart {
            id: "engagement".into(),
            title: "Engagement rate by impressions".into(),
            description: "per channel and month".into(),
            unit: Unit::Rate,
            x_labels: vec!["2024-01".into(), "2024-02".into(), "2024-03".into()],
            series,
        }
    }

    #[test]
    fn points_are_placed_proportionally() {
        let svg = chart(vec![LineSeries { name: "LinkedIn".into(), values: vec![Some(0.01), Some(0.02), Some(0.04)] }])
            .to_svg();
        assert_clean(&svg);
        let ys = num_of(&svg, "circle", "marker", "cy");
        let xs = num_of(&svg, "circle", "marker", "cx");
        assert_eq!(ys.len(), 3);
        // Ticks run 0 .. 0.04, so the baseline sits 4 units below the top: rise(0.01 -> 0.02) is half of
        // rise(0.02 -> 0.04), and x steps are equal.
        assert!(((ys[0] - ys[1]) * 2.0 - (ys[1] - ys[2])).abs() < 0.3, "{ys:?}");
        assert!(((xs[1] - xs[0]) - (xs[2] - xs[1])).abs() < 0.2, "{xs:?}");
        assert!(svg.contains("LinkedIn, 2024-03: 4.0%"), "{svg}");
    }

    #[test]
    fn gaps_split_the_line() {
        let svg = chart(vec![LineSeries { name: "X".into(), values: vec![Some(0.01), None, Some(0.03)] }]).to_svg();
        assert_clean(&svg);
        // Two isolated points: no polyline at all, two markers.
        assert!(attr_of(&svg, "polyline", "line", "points").is_empty(), "{svg}");
        assert_eq!(num_of(&svg, "circle", "marker", "cx").len(), 2);
    }

    #[test]
    fn empty_all_zero_and_nan_series_draw_cleanly() {
        for series in [
            vec![],
            vec![LineSeries { name: "A".into(), values: vec![] }],
            vec![LineSeries { name: "A".into(), values: vec![Some(0.0), Some(0.0), Some(0.0)] }],
            vec![LineSeries { name: "A".into(), values: vec![Some(f64::NAN), None, Some(f64::INFINITY)] }],
        ] {
            let svg = chart(series).to_svg();
            assert_clean(&svg);
        }
        let mut single = chart(vec![LineSeries { name: "A".into(), values: vec![Some(0.5)] }]);
        single.x_labels.truncate(1);
        assert_clean(&single.to_svg());
    }

    #[test]
    fn series_names_are_escaped_and_labelled_without_colour() {
        let svg = chart(vec![
            LineSeries { name: "<script>alert(1)</script>".into(), values: vec![Some(0.01), Some(0.02), None] },
            LineSeries { name: "\"&<>".into(), values: vec![Some(0.03), Some(0.02), Some(0.01)] },
        ])
        .to_svg();
        assert_clean(&svg);
        let names = attr_of(&svg, "text", "line-name", "x");
        assert_eq!(names.len(), 2);
        assert!(svg.contains("&quot;&amp;&lt;&gt;</text>"), "{svg}");
    }

    #[test]
    fn end_labels_do_not_overlap() {
        let out = spread(vec![(100.0, 0), (101.0, 1), (102.0, 2)], 13.0, (0.0, 300.0));
        let ys: Vec<f64> = out.iter().map(|p| p.0).collect();
        assert!(ys.windows(2).all(|w| w[1] - w[0] >= 13.0 - 1e-9), "{ys:?}");
        // The cluster is centred on its labels: the middle one stays where it was.
        assert!((ys[1] - 101.0).abs() < 1e-9, "{ys:?}");
        let low = spread(vec![(299.0, 0), (300.0, 1)], 13.0, (0.0, 300.0));
        assert!(low.iter().all(|p| p.0 <= 300.0) && low[1].0 - low[0].0 >= 13.0 - 1e-9, "{low:?}");
        let high = spread(vec![(1.0, 0), (0.0, 1), (2.0, 2)], 13.0, (0.0, 300.0));
        assert_eq!(high.iter().map(|p| p.1).collect::<Vec<_>>(), vec![1, 0, 2]);
        assert!(high[0].0 >= 0.0, "{high:?}");
    }

    #[test]
    fn labels_far_apart_stay_put_and_a_push_can_reach_back() {
        let apart = spread(vec![(50.0, 0), (100.0, 1), (150.0, 2)], 13.0, (0.0, 300.0));
        assert_eq!(apart, vec![(50.0, 0), (100.0, 1), (150.0, 2)]);
        // 100 and 104 merge, centre at 102 (95.5 and 108.5), which then overlaps 90: all three merge.
        let chain = spread(vec![(90.0, 0), (100.0, 1), (104.0, 2)], 13.0, (0.0, 300.0));
        let ys: Vec<f64> = chain.iter().map(|p| p.0).collect();
        assert!(ys.windows(2).all(|w| w[1] - w[0] >= 13.0 - 1e-9), "{ys:?}");
        assert!((ys.iter().sum::<f64>() / 3.0 - (90.0 + 100.0 + 104.0) / 3.0).abs() < 1e-9, "{ys:?}");
    }

    #[test]
    fn line_names_carry_no_second_marker_and_keep_apart() {
        let svg = chart(vec![
            LineSeries { name: "Instagram account".into(), values: vec![Some(0.02), Some(0.025), Some(0.0242)] },
            LineSeries { name: "Facebook page".into(), values: vec![Some(0.01), Some(0.02), Some(0.0238)] },
            LineSeries { name: "LinkedIn page".into(), values: vec![Some(0.03), Some(0.03), Some(0.0282)] },
        ])
        .to_svg();
        assert_clean(&svg);
        // Markers only at data points (3 series x 3 months): none beside the names.
        let markers =
            attr_of(&svg, "circle", "marker", "cx").len() + attr_of(&svg, "polygon", "marker", "points").len();
        assert_eq!(markers, 9, "{svg}");
        assert!(
            attr_of(&svg, "circle", "key", "cx").is_empty() && attr_of(&svg, "polygon", "key", "points").is_empty()
        );
        // The names at the right are whole and at least a line apart.
        assert_eq!(texts_of(&svg, "line-name").len(), 3);
        assert!(texts_of(&svg, "line-name").contains(&"Instagram account".to_string()));
        let mut ys = num_of(&svg, "text", "line-name", "y");
        ys.sort_by(f64::total_cmp);
        assert!(ys.windows(2).all(|w| w[1] - w[0] >= NAME_GAP - 0.2), "{ys:?}");
        // Names moved off their line's end are tied to it by a leader.
        assert!(!attr_of(&svg, "line", "leader", "x1").is_empty(), "{svg}");
    }
}
