//! Stacked horizontal bars: one bar per category (a channel) split into segments (tasks), with chosen segments
//! hatched to call them out (time that serves value beyond sales).

use super::axis::{nice_ticks, unit_caption, LinearScale};
use super::bars::MAX_LABEL_W;
use super::canvas::{
    bold_width, element_id, fit, legend, legend_rows, text_width, Anchor, Canvas, LegendEntry, Rect, TextStyle,
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

const WIDTH: f64 = 720.0;
const BAR_H: f64 = 22.0;
const GAP: f64 = 12.0;

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
        let label_w = self.bars.iter().map(|b| bold_width(&b.label, 12.0)).fold(40.0f64, f64::max).min(MAX_LABEL_W);
        let left = label_w + 12.0;
        let total_w = totals.iter().map(|t| text_width(&figures::value(*t, self.unit), 11.0)).fold(40.0f64, f64::max);
        let right = total_w + 14.0;
        let plot_w = WIDTH - left - right;
        let body_h = if self.bars.is_empty() { 40.0 } else { self.bars.len() as f64 * (BAR_H + GAP) };
        let axis_y = top + body_h;
        let height = axis_y + 36.0;
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
        c.text(left + plot_w, axis_y + 30.0, &unit_caption(self.unit), TextStyle::new(11.0, Anchor::End, MUTED));
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
                let named = format!("{} {}", seg.name, figures::axis(v, self.unit));
                let bare = figures::axis(v, self.unit);
                let inside = [named, bare].into_iter().find(|t| text_width(t, 11.0) + 6.0 <= r.w);
                if let Some(t) = inside {
                    let style = if seg.highlighted {
                        TextStyle::new(11.0, Anchor::Middle, TEXT).halo()
                    } else {
                        TextStyle::new(11.0, Anchor::Middle, palette::text_on(colour))
                    }
                    .class("segment-label");
                    c.text(x0 + r.w / 2.0, by + BAR_H / 2.0 + 4.0, &t, style);
                }
            }
            c.text(
                x.px(acc) + 5.0,
                by + BAR_H / 2.0 + 4.0,
                &figures::value(totals[bi], self.unit),
                TextStyle::new(11.0, Anchor::Start, TEXT).class("total"),
            );
            c.close_group();
        }
        c.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::svg::testing::{assert_clean, attr_of, num_of};

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
}
