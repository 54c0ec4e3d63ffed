//! Timeline: the regular rhythm (weekly posts per channel, newsletter sends) as rows of small ticks, against the
//! campaigns, PR items, events and paid flights as labelled spans, over a shared date axis with month lines.

use super::canvas::{bold_width, fit, text_width, Anchor, Canvas, Rect, TextStyle, MAX_ROW_LABEL_W, WIDTH};
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

const RIGHT: f64 = 12.0;
const TICK_ROW_H: f64 = 22.0;
const LANE_H: f64 = 16.0;
const LANE_GAP: f64 = 4.0;
const ROW_GAP: f64 = 8.0;
const TOP: f64 = 30.0;
/// Size of the row labels (channels, span kinds).
const ROW_FONT: f64 = 12.0;
/// Size of the span labels and key numbers.
const SPAN_FONT: f64 = 11.0;
/// A row whose spans need more lanes than this to show every name in full numbers its spans instead, and the
/// names go to the [`Timeline::key`] list: a dozen lanes of cut names read worse than a list.
const MAX_NAMED_LANES: usize = 4;

/// A span whose name does not fit on the chart: the chart shows its `number` beside the bar, a list beside the
/// chart the name and dates.
#[derive(Clone, Debug, PartialEq)]
pub struct KeyEntry {
    pub number: usize,
    /// The span row's label ("PR").
    pub row: String,
    pub label: String,
    pub start: NaiveDate,
    pub end: NaiveDate,
}

impl Timeline {
    /// The chart as one `<svg>` element.
    pub fn to_svg(&self) -> String {
        let layout = self.layout();
        let Layout { start, end, left, .. } = layout;
        let x = layout.scale;
        let days = x.domain.1;
        let px = |d: NaiveDate| x.px(((d - start).num_days() as f64).clamp(0.0, days));

        let tick_h = self.tick_rows.len() as f64 * TICK_ROW_H;
        let spans_h: f64 =
            layout.rows.iter().map(|lanes| lanes.len().max(1) as f64 * (LANE_H + LANE_GAP) - LANE_GAP + ROW_GAP).sum();
        let body_top = TOP;
        let body_bottom = body_top + tick_h + ROW_GAP + spans_h;
        let height = body_bottom + 10.0;
        let label_w = left - 16.0;

        let mut c = Canvas::new(&self.id, WIDTH, height, &self.title, &self.description);
        self.month_grid(&mut c, start, end, &px, left, body_bottom);

        let mut y = body_top;
        for row in &self.tick_rows {
            let max_w = row.ticks.iter().map(|t| t.weight).filter(|w| w.is_finite()).fold(0.0f64, f64::max);
            let base = y + TICK_ROW_H - 4.0;
            c.text(
                left - 8.0,
                base - 3.0,
                &fit(&row.label, label_w, ROW_FONT, false),
                TextStyle::new(ROW_FONT, Anchor::End, TEXT),
            );
            c.line((left, base), (WIDTH - RIGHT, base), GRID, 1.0, "baseline");
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

        for (ri, (row, lanes)) in self.span_rows.iter().zip(&layout.rows).enumerate() {
            let colour = palette::colour(ri);
            let row_h = lanes.len().max(1) as f64 * (LANE_H + LANE_GAP) - LANE_GAP;
            c.text(
                left - 8.0,
                y + row_h / 2.0 + 4.0,
                &fit(&row.label, label_w, ROW_FONT, true),
                TextStyle::new(ROW_FONT, Anchor::End, TEXT).bold(),
            );
            c.open_group("span-row", Some(&row.label));
            for (li, lane) in lanes.iter().enumerate() {
                let ly = y + li as f64 * (LANE_H + LANE_GAP);
                let base = ly + LANE_H - 4.0;
                for p in lane {
                    let r = Rect { x: p.x0, y: ly, w: p.x1 - p.x0, h: LANE_H };
                    c.rect(r, colour, "span", Some(&p.title));
                    let class = if p.keyed { "span-key" } else { "span-label" };
                    let outside = |anchor| {
                        let style = TextStyle::new(SPAN_FONT, anchor, TEXT).class(class);
                        if p.keyed {
                            style.bold()
                        } else {
                            style
                        }
                    };
                    match &p.label {
                        Placement::Inside(t) => c.text(
                            p.x0 + 4.0,
                            base,
                            t,
                            TextStyle::new(SPAN_FONT, Anchor::Start, palette::text_on(colour)).class(class),
                        ),
                        Placement::After(t) => c.text(p.x1 + 4.0, base, t, outside(Anchor::Start)),
                        Placement::Before(t) => c.text(p.x0 - 4.0, base, t, outside(Anchor::End)),
                        Placement::None => {}
                    }
                }
            }
            c.close_group();
            y += row_h + ROW_GAP;
        }
        if self.tick_rows.is_empty() && self.span_rows.is_empty() {
            c.text((left + WIDTH) / 2.0, body_top + 20.0, "No data", TextStyle::new(13.0, Anchor::Middle, MUTED));
        }
        c.finish()
    }

    /// The spans the chart shows by number, in number order: the names and dates for a list beside the chart.
    pub fn key(&self) -> Vec<KeyEntry> {
        self.layout().key
    }

    /// Where everything goes: the label column (as wide as the longest row label), the date scale, and each span
    /// row's lanes. A row whose names all fit, inside or beside their bars, in at most [`MAX_NAMED_LANES`] lanes
    /// shows them; any other row shows the names that fit inside their bars and numbers the rest (numbers run
    /// on over the rows).
    fn layout(&self) -> Layout {
        let (start, end) = if self.end < self.start { (self.end, self.start) } else { (self.start, self.end) };
        let days = (end - start).num_days() as f64 + 1.0;
        let widest = self
            .tick_rows
            .iter()
            .map(|r| text_width(&r.label, ROW_FONT))
            .chain(self.span_rows.iter().map(|r| bold_width(&r.label, ROW_FONT)))
            .fold(40.0f64, f64::max)
            .min(MAX_ROW_LABEL_W);
        let left = widest + 16.0;
        let right = WIDTH - RIGHT;
        let scale = LinearScale::new((0.0, days), (left, right));
        let px = |d: NaiveDate| scale.px(((d - start).num_days() as f64).clamp(0.0, days));

        let mut key = Vec::new();
        let rows = self
            .span_rows
            .iter()
            .map(|row| {
                let mut spans: Vec<(&Span, f64, f64)> = row
                    .spans
                    .iter()
                    .filter(|s| s.end.max(s.start) >= start && s.start.min(s.end) <= end)
                    .map(|s| {
                        let (s0, s1) = if s.end < s.start { (s.end, s.start) } else { (s.start, s.end) };
                        let x0 = px(s0);
                        let x1 = px(s1.succ_opt().unwrap_or(s1)).max(x0 + 3.0);
                        (s, x0, x1)
                    })
                    .collect();
                spans.sort_by(|a, b| a.1.total_cmp(&b.1).then(a.2.total_cmp(&b.2)));
                let named: Option<Vec<PlacedSpan>> =
                    spans.iter().map(|(s, x0, x1)| PlacedSpan::named(s, *x0, *x1, (left, right))).collect();
                if let Some(lanes) = named.map(pack).filter(|lanes| lanes.len() <= MAX_NAMED_LANES) {
                    return lanes;
                }
                let placed = spans
                    .iter()
                    .map(|(s, x0, x1)| {
                        if let Some(inside) = PlacedSpan::inside(s, *x0, *x1) {
                            return inside;
                        }
                        let number = key.len() + 1;
                        let (s0, s1) = if s.end < s.start { (s.end, s.start) } else { (s.start, s.end) };
                        key.push(KeyEntry {
                            number,
                            row: row.label.clone(),
                            label: s.label.clone(),
                            start: s0,
                            end: s1,
                        });
                        PlacedSpan::numbered(s, number, *x0, *x1, (left, right))
                    })
                    .collect();
                pack(placed)
            })
            .collect();
        Layout { start, end, left, scale, rows, key }
    }

    /// Vertical lines at the first of each month, with the month's short name (and the year in January and on the
    /// first line); with more than 15 months only quarters are labelled.
    fn month_grid(
        &self,
        c: &mut Canvas,
        start: NaiveDate,
        end: NaiveDate,
        px: &dyn Fn(NaiveDate) -> f64,
        left: f64,
        bottom: f64,
    ) {
        let mut months = Vec::new();
        let mut m = NaiveDate::from_ymd_opt(start.year(), start.month(), 1).unwrap_or(start);
        while m <= end {
            months.push(m);
            m = next_month(m);
        }
        let every = if months.len() > 15 { 3 } else { 1 };
        for (i, m) in months.iter().enumerate() {
            let mx = px(*m).max(left);
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

/// The timeline's geometry, shared by the chart and its key.
struct Layout {
    start: NaiveDate,
    end: NaiveDate,
    /// Where the plot starts: right of the row labels.
    left: f64,
    /// Days since `start` to user units.
    scale: LinearScale,
    /// Per span row, its lanes of placed spans.
    rows: Vec<Vec<Vec<PlacedSpan>>>,
    key: Vec<KeyEntry>,
}

fn next_month(m: NaiveDate) -> NaiveDate {
    let (y, mo) = if m.month() == 12 { (m.year() + 1, 1) } else { (m.year(), m.month() + 1) };
    NaiveDate::from_ymd_opt(y, mo, 1).unwrap_or(NaiveDate::MAX)
}

/// Where a span's text goes: inside the bar, right after it, right before it (at the chart's right edge), or
/// nowhere (it stays in the tooltip).
#[derive(Clone, Debug, PartialEq)]
enum Placement {
    Inside(String),
    After(String),
    Before(String),
    None,
}

/// A span in pixels, with its text placed and the horizontal extent it occupies (bar plus text).
#[derive(Clone, Debug, PartialEq)]
struct PlacedSpan {
    x0: f64,
    x1: f64,
    occupied: (f64, f64),
    label: Placement,
    /// The text is the span's key number, not its name.
    keyed: bool,
    title: String,
}

/// Room kept free after a span's text, so that neighbours in a lane do not read as one.
const SPAN_SPACING: f64 = 8.0;

impl PlacedSpan {
    fn new(s: &Span, x0: f64, x1: f64, label: Placement, occupied: (f64, f64), keyed: bool) -> Self {
        PlacedSpan { x0, x1, occupied: (occupied.0, occupied.1 + SPAN_SPACING), label, keyed, title: s.title.clone() }
    }

    /// The span with its whole name inside the bar, if it fits there.
    fn inside(s: &Span, x0: f64, x1: f64) -> Option<Self> {
        (text_width(&s.label, SPAN_FONT) + 8.0 <= x1 - x0)
            .then(|| PlacedSpan::new(s, x0, x1, Placement::Inside(s.label.clone()), (x0, x1), false))
    }

    /// The span with its whole name inside the bar, else after it, else (at the right edge) before it; `None`
    /// when the name fits nowhere between `edges`.
    fn named(s: &Span, x0: f64, x1: f64, edges: (f64, f64)) -> Option<Self> {
        PlacedSpan::inside(s, x0, x1).or_else(|| PlacedSpan::beside(s, s.label.clone(), x0, x1, edges, false))
    }

    /// The span with its key `number` after (or before) the bar.
    fn numbered(s: &Span, number: usize, x0: f64, x1: f64, edges: (f64, f64)) -> Self {
        PlacedSpan::beside(s, number.to_string(), x0, x1, edges, true)
            .unwrap_or_else(|| PlacedSpan::new(s, x0, x1, Placement::None, (x0, x1), true))
    }

    fn beside(s: &Span, text: String, x0: f64, x1: f64, edges: (f64, f64), keyed: bool) -> Option<Self> {
        let w = if keyed { bold_width(&text, SPAN_FONT) } else { text_width(&text, SPAN_FONT) };
        if x1 + 4.0 + w <= edges.1 {
            Some(PlacedSpan::new(s, x0, x1, Placement::After(text), (x0, x1 + 4.0 + w), keyed))
        } else if x0 - 4.0 - w >= edges.0 {
            Some(PlacedSpan::new(s, x0, x1, Placement::Before(text), (x0 - 4.0 - w, x1), keyed))
        } else {
            None
        }
    }
}

/// Puts spans into the fewest lanes so that no two overlap (bar or text): first-fit by where they start, which
/// is optimal for intervals.
fn pack(mut spans: Vec<PlacedSpan>) -> Vec<Vec<PlacedSpan>> {
    spans.sort_by(|a, b| a.occupied.0.total_cmp(&b.occupied.0).then(a.x0.total_cmp(&b.x0)));
    let mut lanes: Vec<Vec<PlacedSpan>> = Vec::new();
    for s in spans {
        match lanes.iter_mut().find(|lane| lane.last().is_none_or(|l| l.occupied.1 <= s.occupied.0)) {
            Some(lane) => lane.push(s),
            None => lanes.push(vec![s]),
        }
    }
    lanes
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::svg::testing::{assert_clean, attr_of, num_of, texts_of};

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

    #[test]
    fn row_labels_are_whole_and_the_plot_starts_after_the_longest() {
        let rows = vec![
            TickRow { label: "Instagram account".into(), ticks: vec![] },
            TickRow { label: "X".into(), ticks: vec![] },
        ];
        let svg = timeline(rows, vec![SpanRow { label: "Campaigns".into(), spans: vec![] }]).to_svg();
        assert_clean(&svg);
        assert!(svg.contains(">Instagram account</text>"), "{svg}");
        let baseline_x = num_of(&svg, "line", "baseline", "x1")[0];
        assert!(baseline_x >= text_width("Instagram account", ROW_FONT) + 8.0, "{baseline_x}");
    }

    #[test]
    fn names_that_do_not_fit_become_numbers_listed_in_the_key() {
        let long = |i: u32| {
            span(
                &format!("Guest article {i}: why real-time stock visibility matters (Supply Chain Weekly)"),
                &format!("2024-01-{:02}", 2 + 3 * i),
                &format!("2024-01-{:02}", 2 + 3 * i),
            )
        };
        let pr = SpanRow { label: "PR".into(), spans: (0..8).map(long).collect() };
        let campaigns = SpanRow {
            label: "Campaigns".into(),
            spans: vec![span("Spring", "2024-01-01", "2024-03-15"), span("Short push", "2024-03-20", "2024-03-22")],
        };
        let mut t = timeline(vec![], vec![campaigns, pr]);
        t.end = d("2024-12-31");
        let svg = t.to_svg();
        assert_clean(&svg);
        // Campaign names fit (inside the long bar, beside the short one) and are written whole.
        assert_eq!(texts_of(&svg, "span-label"), vec!["Spring".to_string(), "Short push".to_string()]);
        // Eight long PR names would need more than MAX_NAMED_LANES lanes: numbers instead, in date order.
        let mut numbers: Vec<usize> = texts_of(&svg, "span-key").iter().map(|n| n.parse().unwrap()).collect();
        numbers.sort();
        assert_eq!(numbers, (1..=8).collect::<Vec<_>>());
        let key = t.key();
        assert_eq!(key.len(), 8);
        assert_eq!(key[0].number, 1);
        assert_eq!(key[0].row, "PR");
        assert_eq!(key[0].label, "Guest article 0: why real-time stock visibility matters (Supply Chain Weekly)");
        assert_eq!((key[7].start, key[7].end), (d("2024-01-23"), d("2024-01-23")));
        // Numbers need few lanes: PR takes fewer rows of bars than it has items.
        let lanes: std::collections::BTreeSet<String> = attr_of(&svg, "rect", "span", "y").into_iter().collect();
        assert!(lanes.len() <= 1 + MAX_NAMED_LANES, "{lanes:?}");
        // A timeline whose names all fit has no key.
        assert!(timeline(
            vec![],
            vec![SpanRow { label: "E".into(), spans: vec![span("Fair", "2024-02-01", "2024-02-01")] }]
        )
        .key()
        .is_empty());
    }

    #[test]
    fn a_name_at_the_right_edge_goes_before_its_bar() {
        let row = SpanRow { label: "Events".into(), spans: vec![span("Year-end fair", "2024-03-30", "2024-03-31")] };
        let svg = timeline(vec![], vec![row]).to_svg();
        assert_eq!(attr_of(&svg, "text", "span-label", "text-anchor"), vec!["end".to_string()]);
        let text_x = num_of(&svg, "text", "span-label", "x")[0];
        let bar_x = num_of(&svg, "rect", "span", "x")[0];
        assert!(text_x < bar_x, "{text_x} {bar_x}");
    }
}
