//! Timeline: the regular rhythm (weekly posts per channel, newsletter sends) as rows of small ticks, against the
//! campaigns, PR items, events and paid flights as labelled spans, over a shared date axis with month lines.

use super::canvas::{fit, text_width, Anchor, Canvas, Rect, TextStyle};
use super::palette::{self, AXIS, GRID, MUTED, TEXT};
use super::LinearScale;
use chrono::{Datelike, NaiveDate};

/// One tick: a dated event whose `weight` (posts that week, recipients) sets the tick's height relative to the
/// row's largest, and whose `title` is its tooltip.
#[derive(Clone, Debug, PartialEq)]
pub struct Tick {
    pub date: NaiveDate,
    pub weight: f64,
    pub title: String,
}

/// A row of ticks (one channel's weekly posts, the newsletter's sends).
#[derive(Clone, Debug, PartialEq)]
pub struct TickRow {
    pub label: String,
    pub ticks: Vec<Tick>,
}

/// Something that lasts from `start` to `end` inclusive (a one-day event has `start == end`).
#[derive(Clone, Debug, PartialEq)]
pub struct Span {
    pub label: String,
    pub start: NaiveDate,
    pub end: NaiveDate,
    /// Tooltip: the label with dates, spend, volume.
    pub title: String,
}

/// A row of spans of one kind (campaigns, PR, events, paid); overlapping spans go to stacked lanes.
#[derive(Clone, Debug, PartialEq)]
pub struct SpanRow {
    pub label: String,
    pub spans: Vec<Span>,
}

/// The whole timeline from `start` to `end` inclusive.
#[derive(Clone, Debug, PartialEq)]
pub struct Timeline {
    pub id: String,
    pub title: String,
    pub description: String,
    pub start: NaiveDate,
    pub end: NaiveDate,
    pub tick_rows: Vec<TickRow>,
    pub span_rows: Vec<SpanRow>,
}

const WIDTH: f64 = 720.0;
const LEFT: f64 = 130.0;
const RIGHT: f64 = 12.0;
const TICK_ROW_H: f64 = 22.0;
const LANE_H: f64 = 16.0;
const LANE_GAP: f64 = 4.0;
const ROW_GAP: f64 = 8.0;
const TOP: f64 = 30.0;
/// The widest span label in user units.
const MAX_SPAN_LABEL_W: f64 = 180.0;

impl Timeline {
    /// The chart as one `<svg>` element.
    pub fn to_svg(&self) -> String {
        let (start, end) = if self.end < self.start { (self.end, self.start) } else { (self.start, self.end) };
        let days = (end - start).num_days() as f64 + 1.0;
        let x = LinearScale::new((0.0, days), (LEFT, WIDTH - RIGHT));
        let px = |d: NaiveDate| x.px(((d - start).num_days() as f64).clamp(0.0, days));

        // Lay out the spans first: the height depends on how many lanes each row needs.
        let laid: Vec<Vec<Vec<PlacedSpan>>> = self
            .span_rows
            .iter()
            .map(|row| {
                let placed = row
                    .spans
                    .iter()
                    .filter(|s| s.end.max(s.start) >= start && s.start.min(s.end) <= end)
                    .map(|s| {
                        let (s0, s1) = if s.end < s.start { (s.end, s.start) } else { (s.start, s.end) };
                        let x0 = px(s0);
                        let x1 = px(s1.succ_opt().unwrap_or(s1)).max(x0 + 3.0);
                        PlacedSpan::new(s, x0, x1, WIDTH - RIGHT)
                    })
                    .collect();
                pack(placed)
            })
            .collect();

        let tick_h = self.tick_rows.len() as f64 * TICK_ROW_H;
        let spans_h: f64 =
            laid.iter().map(|lanes| lanes.len().max(1) as f64 * (LANE_H + LANE_GAP) - LANE_GAP + ROW_GAP).sum();
        let body_top = TOP;
        let body_bottom = body_top + tick_h + ROW_GAP + spans_h;
        let height = body_bottom + 10.0;

        let mut c = Canvas::new(&self.id, WIDTH, height, &self.title, &self.description);
        self.month_grid(&mut c, start, end, &px, body_bottom);

        let mut y = body_top;
        for row in &self.tick_rows {
            let max_w = row.ticks.iter().map(|t| t.weight).filter(|w| w.is_finite()).fold(0.0f64, f64::max);
            let base = y + TICK_ROW_H - 4.0;
            c.text(
                LEFT - 8.0,
                base - 3.0,
                &fit(&row.label, LEFT - 12.0, 12.0, false),
                TextStyle::new(12.0, Anchor::End, TEXT),
            );
            c.line((LEFT, base), (WIDTH - RIGHT, base), GRID, 1.0, "baseline");
            c.open_group("tick-row", Some(&row.label));
            for t in row.ticks.iter().filter(|t| t.date >= start && t.date <= end) {
                let share = if max_w > 0.0 && t.weight.is_finite() { (t.weight / max_w).clamp(0.0, 1.0) } else { 1.0 };
                let h = 4.0 + share * (TICK_ROW_H - 10.0);
                let tx = px(t.date);
                c.rect(Rect { x: tx, y: base - h, w: 2.0, h }, MUTED, "tick", Some(&t.title));
            }
            c.close_group();
            y += TICK_ROW_H;
        }
        y += ROW_GAP;

        for (ri, (row, lanes)) in self.span_rows.iter().zip(&laid).enumerate() {
            let colour = palette::colour(ri);
            let row_h = lanes.len().max(1) as f64 * (LANE_H + LANE_GAP) - LANE_GAP;
            c.text(
                LEFT - 8.0,
                y + row_h / 2.0 + 4.0,
                &fit(&row.label, LEFT - 12.0, 12.0, true),
                TextStyle::new(12.0, Anchor::End, TEXT).bold(),
            );
            c.open_group("span-row", Some(&row.label));
            for (li, lane) in lanes.iter().enumerate() {
                let ly = y + li as f64 * (LANE_H + LANE_GAP);
                for p in lane {
                    let r = Rect { x: p.x0, y: ly, w: p.x1 - p.x0, h: LANE_H };
                    c.rect(r, colour, "span", Some(&p.title));
                    match &p.label {
                        Placement::Inside(t) => c.text(
                            p.x0 + 4.0,
                            ly + LANE_H - 4.0,
                            t,
                            TextStyle::new(11.0, Anchor::Start, palette::text_on(colour)).class("span-label"),
                        ),
                        Placement::After(t) => c.text(
                            p.x1 + 4.0,
                            ly + LANE_H - 4.0,
                            t,
                            TextStyle::new(11.0, Anchor::Start, TEXT).class("span-label"),
                        ),
                        Placement::None => {}
                    }
                }
            }
            c.close_group();
            y += row_h + ROW_GAP;
        }
        if self.tick_rows.is_empty() && self.span_rows.is_empty() {
            c.text((LEFT + WIDTH) / 2.0, body_top + 20.0, "No data", TextStyle::new(13.0, Anchor::Middle, MUTED));
        }
        c.finish()
    }

    /// Vertical lines at the first of each month, with the month's short name (and the year in January and on the
    /// first line); with more than 15 months only quarters are labelled.
    fn month_grid(&self, c: &mut Canvas, start: NaiveDate, end: NaiveDate, px: &dyn Fn(NaiveDate) -> f64, bottom: f64) {
        let mut months = Vec::new();
        let mut m = NaiveDate::from_ymd_opt(start.year(), start.month(), 1).unwrap_or(start);
        while m <= end {
            months.push(m);
            m = next_month(m);
        }
        let every = if months.len() > 15 { 3 } else { 1 };
        for (i, m) in months.iter().enumerate() {
            let mx = px(*m);
            c.line((mx, TOP - 8.0), (mx, bottom), if *m <= start { AXIS } else { GRID }, 1.0, "month");
            let labelled = if every == 1 { true } else { (m.month() - 1) % 3 == 0 };
            let next_x = px(next_month(*m));
            if labelled && next_x - mx >= 14.0 {
                let name = m.format("%b").to_string();
                let label = if i == 0 || m.month() == 1 { format!("{name} {}", m.year()) } else { name };
                c.text(mx + 3.0, TOP - 12.0, &label, TextStyle::new(11.0, Anchor::Start, MUTED));
            }
        }
    }
}

fn next_month(m: NaiveDate) -> NaiveDate {
    let (y, mo) = if m.month() == 12 { (m.year() + 1, 1) } else { (m.year(), m.month() + 1) };
    NaiveDate::from_ymd_opt(y, mo, 1).unwrap_or(NaiveDate::MAX)
}

/// Where a span's label goes: inside the bar, right after it, or nowhere (it stays in the tooltip).
#[derive(Clone, Debug, PartialEq)]
enum Placement {
    Inside(String),
    After(String),
    None,
}

/// A span in pixels, with its label placed and the horizontal extent it occupies (bar plus label).
#[derive(Clone, Debug, PartialEq)]
struct PlacedSpan {
    x0: f64,
    x1: f64,
    occupied_to: f64,
    label: Placement,
    title: String,
}

impl PlacedSpan {
    fn new(s: &Span, x0: f64, x1: f64, max_x: f64) -> Self {
        let w = |t: &str| text_width(t, 11.0);
        let label = fit(&s.label, (x1 - x0 - 8.0).min(MAX_SPAN_LABEL_W), 11.0, false);
        let (placement, occupied_to) = if label.chars().count() >= 3 && w(&label) + 8.0 <= x1 - x0 {
            (Placement::Inside(label), x1)
        } else {
            // Outside, cut to the room left before the right edge.
            let cut = fit(&s.label, (max_x - x1 - 4.0).min(MAX_SPAN_LABEL_W), 11.0, false);
            if cut.chars().count() >= 3 {
                let to = x1 + 4.0 + w(&cut);
                (Placement::After(cut), to)
            } else {
                (Placement::None, x1)
            }
        };
        PlacedSpan { x0, x1, occupied_to: occupied_to + 6.0, label: placement, title: s.title.clone() }
    }
}

/// Puts spans into the fewest lanes so that no two overlap (bar or label): first-fit by start, which is optimal
/// for intervals.
fn pack(mut spans: Vec<PlacedSpan>) -> Vec<Vec<PlacedSpan>> {
    spans.sort_by(|a, b| a.x0.total_cmp(&b.x0).then(a.x1.total_cmp(&b.x1)));
    let mut lanes: Vec<Vec<PlacedSpan>> = Vec::new();
    for s in spans {
        match lanes.iter_mut().find(|lane| lane.last().is_none_or(|l| l.occupied_to <= s.x0)) {
            Some(lane) => lane.push(s),
            None => lanes.push(vec![s]),
        }
    }
    lanes
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::svg::testing::{assert_clean, attr_of, num_of};

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn span(label: &str, a: &str, b: &str) -> Span {
        Span { label: label.into(), start: d(a), end: d(b), title: format!("{label}: {a} to {b}") }
    }

    fn timeline(tick_rows: Vec<TickRow>, span_rows: Vec<SpanRow>) -> Timeline {
        Timeline {
            id: "rhythm".into(),
            title: "Base rhythm and campaigns".into(),
            description: "ticks and spans".into(),
            start: d("2024-01-01"),
            end: d("2024-03-31"),
            tick_rows,
            span_rows,
        }
    }

    #[test]
    fn dates_map_linearly_and_spans_cover_their_days() {
        let ticks = TickRow {
            label: "LinkedIn".into(),
            ticks: vec![
                Tick { date: d("2024-01-01"), weight: 2.0, title: "2 posts".into() },
                Tick { date: d("2024-02-01"), weight: 1.0, title: "1 post".into() },
                Tick { date: d("2024-03-02"), weight: 4.0, title: "4 posts".into() },
            ],
        };
        let spans =
            SpanRow { label: "Campaigns".into(), spans: vec![span("Spring launch", "2024-02-01", "2024-03-01")] };
        let svg = timeline(vec![ticks], vec![spans]).to_svg();
        assert_clean(&svg);
        let xs = num_of(&svg, "rect", "tick", "x");
        // 31 days from Jan 1 to Feb 1, 30 from Feb 1 to Mar 2.
        assert!(((xs[1] - xs[0]) / (xs[2] - xs[1]) - 31.0 / 30.0).abs() < 0.01, "{xs:?}");
        // Tick heights follow weights: 4 posts make the tallest tick.
        let hs = num_of(&svg, "rect", "tick", "height");
        assert!(hs[2] > hs[0] && hs[0] > hs[1], "{hs:?}");
        // The span starts at Feb 1's tick and covers 30 days (Feb 1 to Mar 1 inclusive).
        let sx = num_of(&svg, "rect", "span", "x");
        let sw = num_of(&svg, "rect", "span", "width");
        assert!((sx[0] - xs[1]).abs() < 0.15, "{sx:?} {xs:?}");
        assert!((sw[0] - (xs[2] - xs[1])).abs() < 0.3, "{sw:?}");
        assert!(svg.contains(">Jan 2024</text>") && svg.contains(">Feb</text>"), "{svg}");
    }

    #[test]
    fn overlapping_spans_get_separate_lanes() {
        let row = SpanRow {
            label: "Events".into(),
            spans: vec![
                span("Trade fair", "2024-02-10", "2024-02-12"),
                span("Webinar", "2024-02-11", "2024-02-11"),
                span("Later", "2024-03-25", "2024-03-25"),
            ],
        };
        let svg = timeline(vec![], vec![row]).to_svg();
        assert_clean(&svg);
        let mut ys = num_of(&svg, "rect", "span", "y");
        assert_eq!(ys.len(), 3);
        // Trade fair and webinar overlap and need two lanes; the later event fits into the first.
        ys.dedup();
        assert_eq!(ys.len(), 2, "{ys:?}");
        // Short spans keep a label next to them.
        assert_eq!(attr_of(&svg, "text", "span-label", "x").len(), 3, "{svg}");
    }

    #[test]
    fn empty_and_out_of_range_inputs_draw_cleanly() {
        assert_clean(&timeline(vec![], vec![]).to_svg());
        let outside = SpanRow { label: "PR".into(), spans: vec![span("Old", "2020-01-01", "2020-01-02")] };
        let empty_ticks = TickRow { label: "X".into(), ticks: vec![] };
        let svg = timeline(vec![empty_ticks], vec![outside]).to_svg();
        assert_clean(&svg);
        assert!(num_of(&svg, "rect", "span", "x").is_empty());
        let mut flat =
            timeline(vec![], vec![SpanRow { label: "A".into(), spans: vec![span("a", "2024-01-01", "2024-01-01")] }]);
        flat.end = flat.start;
        assert_clean(&flat.to_svg());
    }

    #[test]
    fn labels_are_escaped() {
        let row = SpanRow { label: "<script>".into(), spans: vec![span("\"&<>", "2024-01-05", "2024-02-20")] };
        let svg = timeline(vec![], vec![row]).to_svg();
        assert_clean(&svg);
        assert!(svg.contains("&quot;&amp;&lt;&gt;"), "{svg}");
    }
}
