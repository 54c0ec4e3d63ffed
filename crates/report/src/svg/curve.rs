//! One response curve in a small chart: what a channel brings per period against what it is given per period,
//! with today's level marked by a dot and written out, so the reader sees whether the channel sits on the steep
//! or the flat part of its curve. Small enough to set several side by side (one per channel).

use super::axis::{nice_ticks, LinearScale};
use super::canvas::{fit, text_width, Anchor, Canvas, TextStyle};
use super::palette::{AXIS, GRID, MUTED, TEXT};
use crate::figures::{self, Unit};

/// Width and height of a curve chart in user units: a third of [`super::canvas::WIDTH`], so that three sit
/// side by side on a laptop at the type size of the full-width charts, and one fills a phone.
pub const CURVE_W: f64 = 300.0;
const CURVE_H: f64 = 230.0;
const LEFT: f64 = 46.0;
const RIGHT: f64 = 14.0;
const TOP: f64 = 46.0;
const BOTTOM: f64 = 40.0;

/// A response curve with today's level.
#[derive(Clone, Debug, PartialEq)]
pub struct CurveChart {
    pub id: String,
    pub title: String,
    pub description: String,
    /// The channel's name, written at the top.
    pub name: String,
    pub colour: &'static str,
    pub x_unit: Unit,
    /// What the horizontal axis measures (`hours per week`).
    pub x_caption: String,
    pub y_unit: Unit,
    /// What the vertical axis measures (`pipeline per week, EUR`).
    pub y_caption: String,
    /// (input, contribution) per point, input increasing.
    pub points: Vec<(f64, f64)>,
    /// Index of today's level in `points`.
    pub current: Option<usize>,
}

impl CurveChart {
    /// The label at today's dot: the input and what it brings (`today: 40 h → 1.2k`).
    pub fn current_label(&self) -> Option<String> {
        let (x, y) = *self.points.get(self.current?)?;
        Some(format!("today: {} → {}", figures::axis(x, self.x_unit), figures::axis(y, self.y_unit)))
    }

    /// The chart as one `<svg>` element.
    pub fn to_svg(&self) -> String {
        let ok: Vec<(f64, f64)> = self.points.iter().copied().filter(|(x, y)| x.is_finite() && y.is_finite()).collect();
        let x_max = ok.iter().map(|p| p.0).fold(0.0f64, f64::max);
        let (y_min, y_max) = ok.iter().fold((0.0f64, 0.0f64), |(a, b), p| (a.min(p.1), b.max(p.1)));
        let (xt, yt) = (nice_ticks(0.0, x_max, 4), nice_ticks(y_min, y_max, 4));
        let plot = (LEFT, CURVE_W - RIGHT);
        let bottom = CURVE_H - BOTTOM;
        let x = LinearScale::from_ticks(&xt, plot);
        let y = LinearScale::from_ticks(&yt, (bottom, TOP));

        let mut c = Canvas::new(&self.id, CURVE_W, CURVE_H, &self.title, &self.description);
        c.text(
            8.0,
            17.0,
            &fit(&self.name, CURVE_W - 16.0, 13.0, true),
            TextStyle::new(13.0, Anchor::Start, TEXT).bold().class("curve-name"),
        );
        c.text(
            8.0,
            33.0,
            &fit(&self.y_caption, CURVE_W - 16.0, 11.0, false),
            TextStyle::new(11.0, Anchor::Start, MUTED).class("unit"),
        );
        for t in &yt {
            let ty = y.px(*t);
            c.line((LEFT, ty), (plot.1, ty), if *t == 0.0 { AXIS } else { GRID }, 1.0, "grid");
            c.text(LEFT - 5.0, ty + 4.0, &figures::axis(*t, self.y_unit), TextStyle::new(10.0, Anchor::End, MUTED));
        }
        for t in &xt {
            let tx = x.px(*t);
            c.line((tx, bottom), (tx, bottom + 4.0), AXIS, 1.0, "tick");
            c.text(tx, bottom + 15.0, &figures::axis(*t, self.x_unit), TextStyle::new(10.0, Anchor::Middle, MUTED));
        }
        c.text(
            (plot.0 + plot.1) / 2.0,
            bottom + 31.0,
            &fit(&self.x_caption, plot.1 - plot.0, 11.0, false),
            TextStyle::new(11.0, Anchor::Middle, MUTED).class("unit"),
        );
        if ok.len() < 2 {
            c.text(
                (plot.0 + plot.1) / 2.0,
                (TOP + bottom) / 2.0,
                "No curve",
                TextStyle::new(12.0, Anchor::Middle, MUTED),
            );
            return c.finish();
        }
        let pts: Vec<(f64, f64)> = ok.iter().map(|(a, b)| (x.px(*a), y.px(*b))).collect();
        c.polyline(&pts, self.colour, None, "curve", &format!("{}: response curve", self.name));
        if let (Some(label), Some(&(cx, cy))) = (self.current_label(), self.current.and_then(|i| self.points.get(i))) {
            let at = (x.px(cx), y.px(cy));
            c.circle(at, 5.0, TEXT, "current", Some(&format!("{}, {label}", self.name)));
            // The label beside the dot, on the side with room, never outside the plot.
            let w = text_width(&label, 11.0);
            let (lx, anchor) =
                if at.0 + 8.0 + w <= plot.1 { (at.0 + 8.0, Anchor::Start) } else { (at.0 - 8.0, Anchor::End) };
            let ly = if at.1 - 8.0 < TOP + 10.0 { at.1 + 18.0 } else { at.1 - 8.0 };
            c.text(lx, ly, &label, TextStyle::new(11.0, anchor, TEXT).bold().halo().class("current-label"));
        }
        c.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::svg::testing::{assert_clean, num_of, texts_of};

    fn chart(points: Vec<(f64, f64)>, current: Option<usize>) -> CurveChart {
        CurveChart {
            id: "curve-x".into(),
            title: "Response of <script>alert(1)</script>".into(),
            description: "d".into(),
            name: "<script>alert(1)</script>".into(),
            colour: "#0072B2",
            x_unit: Unit::Hours,
            x_caption: "hours per week".into(),
            y_unit: Unit::Count,
            y_caption: "pipeline per week".into(),
            points,
            current,
        }
    }

    #[test]
    fn todays_dot_sits_on_the_curve_and_is_labelled_inside_the_plot() {
        let points: Vec<(f64, f64)> = (0..=20).map(|i| (i as f64, 100.0 * (1.0 - (-0.2 * i as f64).exp()))).collect();
        let svg = chart(points.clone(), Some(10)).to_svg();
        assert_clean(&svg);
        let (cx, cy) = (num_of(&svg, "circle", "current", "cx")[0], num_of(&svg, "circle", "current", "cy")[0]);
        // Ticks 0..20 over the plot: the dot at input 10 is in the middle.
        assert!((cx - (LEFT + (CURVE_W - RIGHT)) / 2.0).abs() < 0.2, "{cx}");
        assert!(cy > TOP && cy < CURVE_H - BOTTOM, "{cy}");
        let label = texts_of(&svg, "current-label");
        assert_eq!(label, vec!["today: 10 h → 86.5".to_string()]);
        let lx = num_of(&svg, "text", "current-label", "x")[0];
        assert!(lx + text_width(&label[0], 11.0) <= CURVE_W - RIGHT, "label runs past the plot: {lx}");
        assert!(svg.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    }

    #[test]
    fn a_dot_near_the_right_edge_is_labelled_to_its_left() {
        let points: Vec<(f64, f64)> = (0..=20).map(|i| (i as f64, i as f64)).collect();
        let svg = chart(points, Some(20)).to_svg();
        assert_clean(&svg);
        assert!(svg.contains("text-anchor=\"end\" fill=\"#222222\" font-weight=\"bold\""), "{svg}");
    }

    #[test]
    fn empty_and_non_finite_curves_draw_cleanly() {
        assert_clean(&chart(vec![], None).to_svg());
        assert_clean(&chart(vec![(0.0, 0.0), (f64::NAN, 1.0)], Some(1)).to_svg());
        assert_clean(&chart(vec![(0.0, 0.0), (1.0, 0.0)], Some(5)).to_svg());
    }
}
