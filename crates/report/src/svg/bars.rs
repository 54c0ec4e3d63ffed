//! Grouped horizontal bars: one group per category (a channel), one bar per series (cost, attributed revenue),
//! each with an optional range whisker (the spread of attributed revenue over the attribution models).

use super::axis::{axis_caption, nice_ticks, plot_width_for_end_labels, LinearScale};
use super::canvas::{
    bold_width, fit, legend, legend_rows, text_width, Anchor, Canvas, LegendEntry, Rect, TextStyle, MAX_ROW_LABEL_W,
    WIDTH,
};
use super::palette::{self, AXIS, GRID, MUTED, TEXT};
use crate::figures::{self, Unit};

/// One bar: its value, and optionally the range it could take (drawn as a whisker).
#[derive(Clone, Debug, PartialEq)]
pub struct Bar {
    pub value: f64,
    pub range: Option<(f64, f64)>,
}

/// The bars of one category, one per series, in series order.
#[derive(Clone, Debug, PartialEq)]
pub struct BarGroup {
    pub label: String,
    pub bars: Vec<Bar>,
}

/// A chart of grouped horizontal bars from a zero baseline.
#[derive(Clone, Debug, PartialEq)]
pub struct GroupedBarChart {
    /// Unique within the page; prefixes the ids inside the SVG.
    pub id: String,
    /// What the chart shows, read by screen readers (`<title>`).
    pub title: String,
    /// A longer description for screen readers (`<desc>`).
    pub description: String,
    pub unit: Unit,
    /// Series names, short ("Cost", "Revenue"): each bar's value label starts with it.
    pub series: Vec<String>,
    /// The legend's text per series, where it says more than the short name ("Revenue (linear model)"); a
    /// missing or empty entry shows the short name.
    pub legend: Vec<String>,
    pub groups: Vec<BarGroup>,
}

const BAR_H: f64 = 16.0;
const BAR_GAP: f64 = 3.0;
const GROUP_GAP: f64 = 14.0;
const FONT: f64 = 12.0;
/// Size of the value written after each bar.
const VALUE_FONT: f64 = 12.0;

impl GroupedBarChart {
    /// The chart as one `<svg>` element.
    pub fn to_svg(&self) -> String {
        let n_series = self.series.len().max(1);
        let values = self.groups.iter().flat_map(|g| g.bars.iter()).flat_map(|b| {
            let (lo, hi) = b.range.unwrap_or((b.value, b.value));
            [b.value, lo, hi]
        });
        let (min, max) = values.filter(|v| v.is_finite()).fold((0.0f64, 0.0f64), |(a, b), v| (a.min(v), b.max(v)));
        let ticks = nice_ticks(min, max, 6);

        // The label column is as wide as the longest channel name (up to a share of the chart).
        let label_w =
            self.groups.iter().map(|g| bold_width(&g.label, FONT)).fold(40.0f64, f64::max).min(MAX_ROW_LABEL_W);
        let left = label_w + 14.0;
        // The plot takes what the values written after the bars leave: each label starts where its bar (or
        // whisker) ends, so the plot is as wide as lets the label that reaches furthest right fit.
        let (d0, d1) = (ticks.first().copied().unwrap_or(0.0), ticks.last().copied().unwrap_or(1.0));
        let share = |v: f64| if d1 > d0 && v.is_finite() { (v - d0) / (d1 - d0) } else { 0.0 };
        let ends: Vec<(f64, f64)> = self
            .groups
            .iter()
            .flat_map(|g| g.bars.iter().enumerate())
            .map(|(i, b)| {
                let v = if b.value.is_finite() { b.value } else { 0.0 };
                let (lo, hi) = b.range.unwrap_or((v, v));
                (share(v.max(lo).max(hi).max(0.0)), text_width(&self.value_label(i, v), VALUE_FONT))
            })
            .collect();
        let last_tick_w = text_width(&figures::axis(d1, self.unit), 11.0);
        let plot_w = plot_width_for_end_labels(left, WIDTH - 6.0, ends, 5.0, last_tick_w);

        let legend_entries: Vec<LegendEntry> = self
            .series
            .iter()
            .enumerate()
            .map(|(i, _)| LegendEntry::new(self.legend_name(i), palette::colour(i)))
            .collect();
        let group_h = n_series as f64 * (BAR_H + BAR_GAP) - BAR_GAP;
        let legend_rows = legend_rows(&legend_entries, 10.0, WIDTH - 10.0);
        let top = 22.0 + legend_rows as f64 * 18.0 + 6.0;
        let body_h = if self.groups.is_empty() {
            40.0
        } else {
            self.groups.len() as f64 * (group_h + GROUP_GAP) - GROUP_GAP + 10.0
        };
        let height = top + body_h + 26.0;

        let mut c = Canvas::new(&self.id, WIDTH, height, &self.title, &self.description);
        let x = LinearScale::from_ticks(&ticks, (left, left + plot_w));
        let axis_y = top + body_h;
        legend(&mut c, &legend_entries, 10.0, 18.0, WIDTH - 10.0);

        for t in &ticks {
            let tx = x.px(*t);
            c.line((tx, top - 4.0), (tx, axis_y), if *t == 0.0 { AXIS } else { GRID }, 1.0, "grid");
            c.text(tx, axis_y + 16.0, &figures::axis(*t, self.unit), TextStyle::new(11.0, Anchor::Middle, MUTED));
        }
        c.line((left, axis_y), (left + plot_w, axis_y), AXIS, 1.0, "axis");
        // The unit beside the tick labels, under the channel names, where it collides with no tick.
        if let Some(caption) = axis_caption(self.unit) {
            let first_tick_w = text_width(&figures::axis(d0, self.unit), 11.0);
            c.text(
                x.px(d0) - first_tick_w / 2.0 - 8.0,
                axis_y + 16.0,
                &caption,
                TextStyle::new(11.0, Anchor::End, MUTED).class("unit"),
            );
        }

        if self.groups.is_empty() {
            c.text(left + plot_w / 2.0, top + 24.0, "No data", TextStyle::new(13.0, Anchor::Middle, MUTED));
        }
        let zero = x.px(0.0);
        for (gi, group) in self.groups.iter().enumerate() {
            let gy = top + 5.0 + gi as f64 * (group_h + GROUP_GAP);
            let label = fit(&group.label, label_w, FONT, true);
            c.open_group("bar-group", Some(&group.label));
            c.text(left - 8.0, gy + group_h / 2.0 + 4.0, &label, TextStyle::new(FONT, Anchor::End, TEXT).bold());
            for (i, bar) in group.bars.iter().enumerate() {
                let by = gy + i as f64 * (BAR_H + BAR_GAP);
                let v = if bar.value.is_finite() { bar.value } else { 0.0 };
                let end = x.px(v);
                let tooltip = self.tooltip(&group.label, i, bar);
                c.rect(Rect { x: zero, y: by, w: end - zero, h: BAR_H }, palette::colour(i), "bar", Some(&tooltip));
                let mut label_x = end.max(zero);
                if let Some((lo, hi)) = bar.range {
                    let (l, h) = (x.px(lo), x.px(hi));
                    let cy = by + BAR_H / 2.0;
                    c.line((l, cy), (h, cy), TEXT, 1.5, "whisker");
                    c.line((l, cy - 4.0), (l, cy + 4.0), TEXT, 1.5, "whisker");
                    c.line((h, cy - 4.0), (h, cy + 4.0), TEXT, 1.5, "whisker");
                    label_x = label_x.max(h).max(l);
                }
                c.text(
                    label_x + 5.0,
                    by + BAR_H - 4.0,
                    &self.value_label(i, v),
                    TextStyle::new(VALUE_FONT, Anchor::Start, TEXT).class("value"),
                );
            }
            c.close_group();
        }
        c.finish()
    }

    fn series_name(&self, i: usize) -> &str {
        self.series.get(i).map_or("", String::as_str)
    }

    /// The series' legend text: the longer name where there is one.
    fn legend_name(&self, i: usize) -> &str {
        self.legend.get(i).filter(|l| !l.is_empty()).map_or(self.series_name(i), String::as_str)
    }

    fn value_label(&self, i: usize, v: f64) -> String {
        format!("{} {}", self.series_name(i), figures::value(v, self.unit)).trim_start().to_string()
    }

    fn tooltip(&self, group: &str, i: usize, bar: &Bar) -> String {
        let mut t = format!("{group}, {}: {}", self.legend_name(i), figures::value(bar.value, self.unit));
        if let Some((lo, hi)) = bar.range {
            t.push_str(&format!(" (range {} to {})", figures::value(lo, self.unit), figures::value(hi, self.unit)));
        }
        t
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::svg::canvas::{bold_width, text_width};
    use crate::svg::testing::{assert_clean, num_of, texts_of};
    use socialledger_domain::Currency;

    fn chart(groups: Vec<BarGroup>) -> GroupedBarChart {
        GroupedBarChart {
            id: "cost-revenue".into(),
            title: "Cost and attributed revenue".into(),
            description: "per channel".into(),
            unit: Unit::Money(Currency::EUR),
            series: vec!["Cost".into(), "Revenue".into()],
            legend: vec![String::new(), "Revenue (linear model)".into()],
            groups,
        }
    }

    fn group(label: &str, cost: f64, revenue: f64) -> BarGroup {
        BarGroup {
            label: label.into(),
            bars: vec![
                Bar { value: cost, range: None },
                Bar { value: revenue, range: Some((revenue * 0.8, revenue * 1.2)) },
            ],
        }
    }

    #[test]
    fn bar_lengths_are_proportional_to_values() {
        let svg = chart(vec![group("LinkedIn", 40_000.0, 200_000.0), group("X", 10_000.0, 50_000.0)]).to_svg();
        assert_clean(&svg);
        let widths = num_of(&svg, "rect", "bar", "width");
        assert_eq!(widths.len(), 4);
        let ratio = |a: f64, b: f64| a / b;
        // 40k : 200k : 10k : 50k, up to the one-decimal rounding of coordinates.
        assert!((ratio(widths[1], widths[0]) - 5.0).abs() < 0.02, "{widths:?}");
        assert!((ratio(widths[0], widths[2]) - 4.0).abs() < 0.02, "{widths:?}");
        assert!((ratio(widths[3], widths[2]) - 5.0).abs() < 0.02, "{widths:?}");
        // All bars start at the zero baseline.
        let xs = num_of(&svg, "rect", "bar", "x");
        assert!(xs.windows(2).all(|w| w[0] == w[1]), "{xs:?}");
        assert!(svg.contains("Cost 40,000 EUR") && svg.contains("range 160,000 EUR to 240,000 EUR"), "{svg}");
        // The tooltip names the series as the legend does.
        assert!(svg.contains("<title>LinkedIn, Revenue (linear model): 200,000 EUR (range"), "{svg}");
    }

    #[test]
    fn empty_and_all_zero_charts_have_no_nan() {
        let empty = chart(vec![]).to_svg();
        assert_clean(&empty);
        assert!(empty.contains("No data"));
        let zeros = chart(vec![group("A", 0.0, 0.0), group("B", 0.0, 0.0)]).to_svg();
        assert_clean(&zeros);
        assert!(num_of(&zeros, "rect", "bar", "width").iter().all(|w| *w == 0.0));
        let nan = chart(vec![group("A", f64::NAN, f64::INFINITY)]).to_svg();
        assert_clean(&nan);
    }

    #[test]
    fn negative_values_extend_left_of_the_baseline() {
        let svg = chart(vec![group("A", -100.0, 300.0)]).to_svg();
        assert_clean(&svg);
        let xs = num_of(&svg, "rect", "bar", "x");
        let ws = num_of(&svg, "rect", "bar", "width");
        // The negative bar ends where the positive one starts (the zero line).
        assert!((xs[0] + ws[0] - xs[1]).abs() < 0.2, "{xs:?} {ws:?}");
        assert!((ws[1] / ws[0] - 3.0).abs() < 0.02, "{ws:?}");
    }

    #[test]
    fn hostile_labels_are_escaped() {
        let svg = chart(vec![group("<script>alert(1)</script>", 1.0, 2.0), group("\"&<>", 1.0, 2.0)]).to_svg();
        assert_clean(&svg);
        assert!(svg.contains("&lt;script&gt;") && svg.contains("&quot;&amp;&lt;&gt;"), "{svg}");
    }

    #[test]
    fn channel_names_are_whole_and_values_stay_inside_the_chart() {
        let svg = chart(vec![
            group("Trade fairs and events", 119_463.0, 32_770.0),
            group("LinkedIn page", 95_996.0, 1_479_580.0),
            group("Sales meetings", 0.0, 489_295.0),
        ])
        .to_svg();
        assert_clean(&svg);
        // The label column is sized from the longest name: nothing is cut.
        let names = texts_of(&svg, "label");
        assert!(names.contains(&"Trade fairs and events".to_string()), "{names:?}");
        assert!(bold_width("Trade fairs and events", FONT) < MAX_ROW_LABEL_W);
        // Every value written after a bar ends inside the chart's width.
        let xs = num_of(&svg, "text", "value", "x");
        let values = texts_of(&svg, "value");
        assert_eq!(xs.len(), 6);
        for (x, v) in xs.iter().zip(&values) {
            assert!(x + text_width(v, VALUE_FONT) <= WIDTH, "{v} at {x} leaves the chart");
        }
        // ... and the plot takes the rest: the largest whisker's label reaches close to the right edge.
        let furthest = xs.iter().zip(&values).map(|(x, v)| x + text_width(v, VALUE_FONT)).fold(0.0, f64::max);
        assert!(furthest > WIDTH - 40.0, "the plot leaves {} units unused", WIDTH - furthest);
        // The legend says which model the revenue bar is; the bars carry the short series name.
        assert!(svg.contains(">Revenue (linear model)</text>") && values[1].starts_with("Revenue "), "{svg}");
        // The unit is written once, beside the tick labels, not under the last tick.
        let unit_x = num_of(&svg, "text", "unit", "x");
        let bars_x = num_of(&svg, "rect", "bar", "x");
        assert_eq!(texts_of(&svg, "unit"), vec!["EUR".to_string()]);
        assert!(unit_x[0] < bars_x[0], "{unit_x:?} {bars_x:?}");
    }
}
