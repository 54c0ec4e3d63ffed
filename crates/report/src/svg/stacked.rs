//! Stacked horizontal bars: one bar per category (a channel) split into segments (tasks), with chosen segments
//! hatched to call them out (time that serves value beyond sales).

use super::axis::{axis_caption, nice_ticks, plot_width_for_end_labels, LinearScale};
use super::canvas::{
    bold_width, element_id, fit, legend, legend_rows, text_width, Anchor, Canvas, LegendEntry, Rect, TextStyle,
    MAX_ROW_LABEL_W, WIDTH,
};
use super::palette::{self, AXIS, GRID, MUTED, TEXT};
use crate::figures::{self, Unit};

/// One kind of segment, in stacking order.
#[derive(Clone, Debug, PartialEq)]
pub struct StackedSegment {
    pub name: String,
    /// Hatched, and named in the legend's extra entry.
    pub highlighted: bool,
}

/// One bar: a value per segment kind, in segment order. Negative or non-finite values count as zero.
#[derive(Clone, Debug, PartialEq)]
pub struct StackedBar {
    pub label: String,
    pub values: Vec<f64>,
}

/// A chart of stacked horizontal bars.
#[derive(Clone, Debug, PartialEq)]
pub struct StackedBarChart {
    pub id: String,
    pub title: String,
    pub description: String,
    pub unit: Unit,
    pub segments: Vec<StackedSegment>,
    pub bars: Vec<StackedBar>,
    /// Legend text of the hatch ("hatched: value beyond sales"); no legend entry when empty.
    pub highlight_label: String,
}

const BAR_H: f64 = 22.0;
const GAP: f64 = 12.0;
/// Size of the labels inside segments and of the totals.
const VALUE_FONT: f64 = 11.0;

impl StackedBarChart {
    /// The chart as one `<svg>` element.
    pub fn to_svg(&self) -> String {
        let clean = |v: f64| if v.is_finite() && v > 0.0 { v } else { 0.0 };
        let totals: Vec<f64> = self.bars.iter().map(|b| b.values.iter().copied().map(clean).sum()).collect();
        let ticks = nice_ticks(0.0, totals.iter().copied().fold(0.0, f64::max), 5);

        let mut c_entries: Vec<LegendEntry> =
            self.segments.iter().enumerate().map(|(i, s)| LegendEntry::new(&s.name, palette::colour(i))).collect();
        let hatch_id = format!("{}-hatch", element_id(&self.id));
        if !self.highlight_label.is_empty() && self.segments.iter().any(|s| s.highlighted) {
            c_entries.push(LegendEntry {
                label: self.highlight_label.clone(),
                colour: "#bbbbbb",
                hatch: Some(hatch_id.clone()),
            });
        }
        let top = 22.0 + legend_rows(&c_entries, 10.0, WIDTH - 10.0) as f64 * 18.0 + 6.0;
        let label_w = self.bars.iter().map(|b| bold_width(&b.label, 12.0)).fold(40.0f64, f64::max).min(MAX_ROW_LABEL_W);
        let left = label_w + 14.0;
        // The plot is as wide as lets every total, written after its bar, end before the right edge.
        let d1 = ticks.last().copied().unwrap_or(1.0);
        let ends: Vec<(f64, f64)> = totals
            .iter()
            .map(|t| (if d1 > 0.0 { t / d1 } else { 0.0 }, text_width(&figures::value(*t, self.unit), VALUE_FONT)))
            .collect();
        let last_tick_w = text_width(&figures::axis(d1, self.unit), 11.0);
        let plot_w = plot_width_for_end_labels(left, WIDTH - 6.0, ends, 5.0, last_tick_w);
        let body_h = if self.bars.is_empty() { 40.0 } else { self.bars.len() as f64 * (BAR_H + GAP) };
        let axis_y = top + body_h;
        let height = axis_y + 26.0;
        let x = LinearScale::from_ticks(&ticks, (left, left + plot_w));

        let mut c = Canvas::new(&self.id, WIDTH, height, &self.title, &self.description);
        c.hatch_pattern("hatch", "#ffffff");
        legend(&mut c, &c_entries, 10.0, 18.0, WIDTH - 10.0);
        for t in &ticks {
            let tx = x.px(*t);
            c.line((tx, top - 4.0), (tx, axis_y), if *t == 0.0 { AXIS } else { GRID }, 1.0, "grid");
            c.text(tx, axis_y + 16.0, &figures::axis(*t, self.unit), TextStyle::new(11.0, Anchor::Middle, MUTED));
        }
        c.line((left, axis_y), (left + plot_w, axis_y), AXIS, 1.0, "axis");
        if let Some(caption) = axis_caption(self.unit) {
            let first_tick_w = text_width(&figures::axis(0.0, self.unit), 11.0);
            c.text(
                left - first_tick_w / 2.0 - 8.0,
                axis_y + 16.0,
                &caption,
                TextStyle::new(11.0, Anchor::End, MUTED).class("unit"),
            );
        }
        if self.bars.is_empty() {
            c.text(left + plot_w / 2.0, top + 24.0, "No data", TextStyle::new(13.0, Anchor::Middle, MUTED));
        }

        for (bi, bar) in self.bars.iter().enumerate() {
            let by = top + GAP / 2.0 + bi as f64 * (BAR_H + GAP);
            c.open_group("stack", Some(&bar.label));
            c.text(
                left - 8.0,
                by + BAR_H / 2.0 + 4.0,
                &fit(&bar.label, label_w, 12.0, true),
                TextStyle::new(12.0, Anchor::End, TEXT).bold(),
            );
            let mut acc = 0.0;
            for (si, seg) in self.segments.iter().enumerate() {
                let v = clean(bar.values.get(si).copied().unwrap_or(0.0));
                if v == 0.0 {
                    continue;
                }
                let (x0, x1) = (x.px(acc), x.px(acc + v));
                acc += v;
                let r = Rect { x: x0, y: by, w: x1 - x0, h: BAR_H };
                let colour = palette::colour(si);
                let tip = format!("{}, {}: {}", bar.label, seg.name, figures::value(v, self.unit));
                c.rect(r, colour, "segment", Some(&tip));
                if seg.highlighted {
                    c.rect(r, &format!("url(#{hatch_id})"), "hatch", None);
                }
                // The value inside its segment, with the task's name where that fits too. On hatching the text
                // sits on a white chip: hatch lines through glyphs make them hard to read.
                let named = format!("{} {}", seg.name, figures::axis(v, self.unit));
                let bare = figures::axis(v, self.unit);
                let pad = if seg.highlighted { 10.0 } else { 6.0 };
                let inside = [named, bare].into_iter().find(|t| text_width(t, VALUE_FONT) + pad <= r.w);
                if let Some(t) = inside {
                    let (cx, base) = (x0 + r.w / 2.0, by + BAR_H / 2.0 + 4.0);
                    let fill = if seg.highlighted {
                        let w = text_width(&t, VALUE_FONT) + 6.0;
                        c.chip(Rect { x: cx - w / 2.0, y: by + 3.0, w, h: BAR_H - 6.0 });
                        TEXT
                    } else {
                        palette::text_on(colour)
                    };
                    c.text(cx, base, &t, TextStyle::new(VALUE_FONT, Anchor::Middle, fill).class("segment-label"));
                }
            }
            c.text(
                x.px(acc) + 5.0,
                by + BAR_H / 2.0 + 4.0,
                &figures::value(totals[bi], self.unit),
                TextStyle::new(VALUE_FONT, Anchor::Start, TEXT).class("total"),
            );
            c.close_group();
        }
        c.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::svg::testing::{assert_clean, attr_of, num_of, texts_of};

    fn chart(bars: Vec<StackedBar>) -> StackedBarChart {
        StackedBarChart {
            id: "Hours".into(),
            title: "Hours per channel by task".into(),
            description: "stacked".into(),
            unit: Unit::Hours,
            segments: vec![
                StackedSegment { name: "Content".into(), highlighted: false },
                StackedSegment { name: "Customer service".into(), highlighted: true },
            ],
            bars,
            highlight_label: "hatched: value beyond sales".into(),
        }
    }

    #[test]
    fn segments_are_proportional_and_adjacent() {
        let svg = chart(vec![
            StackedBar { label: "LinkedIn".into(), values: vec![30.0, 10.0] },
            StackedBar { label: "X".into(), values: vec![20.0, 0.0] },
        ])
        .to_svg();
        assert_clean(&svg);
        let xs = num_of(&svg, "rect", "segment", "x");
        let ws = num_of(&svg, "rect", "segment", "width");
        assert_eq!(ws.len(), 3, "zero segments are not drawn: {ws:?}");
        assert!((ws[0] / ws[1] - 3.0).abs() < 0.02, "{ws:?}");
        assert!((ws[0] / ws[2] - 1.5).abs() < 0.02, "{ws:?}");
        assert!((xs[0] + ws[0] - xs[1]).abs() < 0.15, "second segment starts where the first ends: {xs:?} {ws:?}");
        // The customer-service segment is hatched, and the hatch refers to this chart's pattern.
        assert_eq!(attr_of(&svg, "rect", "hatch", "fill"), vec!["url(#hours-hatch)".to_string()]);
        assert!(svg.contains("<pattern id=\"hours-hatch\""), "{svg}");
        assert!(svg.contains("LinkedIn, Customer service: 10.0 h"), "{svg}");
    }

    #[test]
    fn empty_zero_and_negative_values_draw_cleanly() {
        for bars in [
            vec![],
            vec![StackedBar { label: "A".into(), values: vec![] }],
            vec![StackedBar { label: "A".into(), values: vec![0.0, 0.0] }],
            vec![StackedBar { label: "A".into(), values: vec![-5.0, f64::NAN] }],
        ] {
            let svg = chart(bars).to_svg();
            assert_clean(&svg);
            assert!(num_of(&svg, "rect", "segment", "width").is_empty());
        }
    }

    #[test]
    fn labels_are_escaped() {
        let svg =
            chart(vec![StackedBar { label: "<script>alert(1)</script>".into(), values: vec![1.0, 1.0] }]).to_svg();
        assert_clean(&svg);
        assert!(svg.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    }

    #[test]
    fn labels_on_hatching_sit_on_a_chip_and_names_are_whole() {
        let svg = chart(vec![
            StackedBar { label: "Trade fairs and events".into(), values: vec![150.0, 150.0] },
            StackedBar { label: "X".into(), values: vec![1.0, 0.0] },
        ])
        .to_svg();
        assert_clean(&svg);
        // One hatched segment, labelled: one chip behind its label, none behind the plain segment's.
        let labels = texts_of(&svg, "segment-label");
        assert_eq!(labels.len(), 2, "{labels:?}");
        assert_eq!(num_of(&svg, "rect", "chip", "width").len(), 1, "{svg}");
        let chip_x = num_of(&svg, "rect", "chip", "x")[0];
        let chip_w = num_of(&svg, "rect", "chip", "width")[0];
        let seg_x = num_of(&svg, "rect", "segment", "x");
        let seg_w = num_of(&svg, "rect", "segment", "width");
        assert!(chip_x >= seg_x[1] && chip_x + chip_w <= seg_x[1] + seg_w[1] + 0.2, "chip inside its segment");
        assert!(texts_of(&svg, "label").contains(&"Trade fairs and events".to_string()), "{svg}");
        // Hours ticks carry their unit: no separate caption.
        assert!(texts_of(&svg, "unit").is_empty());
    }
}
