//! The SVG writer every chart draws on: escapes all text, writes coordinates without NaN, names ids per chart.

use std::fmt::Write as _;

/// Width of every chart in user units. The SVG scales to its container, so this sets the type size relative to
/// the page: on a 1280 px laptop (content about 1,140 px wide) the 12-unit labels show at about 15 px, and on an
/// A4 page (about 720 px between the margins) at about 9.5 px (7 pt).
pub const WIDTH: f64 = 900.0;

/// The widest row label (channel name, span kind) of any chart in user units: a share of the width, so that the
/// plot keeps most of it; longer labels are cut and shown in full in the tooltip.
pub const MAX_ROW_LABEL_W: f64 = WIDTH * 0.3;

/// System font stack: no web font is ever loaded.
pub const FONT: &str = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif";

/// Escapes text for XML/HTML content and attribute values (`& < > " '`) and drops the control characters XML
/// forbids, so untrusted channel names and post texts can neither open an element nor break the document.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\t' | '\n' | '\r' => out.push(' '),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

/// A coordinate or length with at most one decimal, never `NaN`, `inf` or `-0` (those go to `0`).
pub fn num(v: f64) -> String {
    if !v.is_finite() {
        return "0".to_string();
    }
    let r = (v * 10.0).round() / 10.0;
    if r == 0.0 {
        return "0".to_string();
    }
    if r.fract() == 0.0 {
        format!("{}", r as i64)
    } else {
        format!("{r:.1}")
    }
}

/// Average advance of a glyph in em, regular and bold: generous, so that labels fit even in the wide fallback
/// fonts (DejaVu Sans) some systems substitute for the system font.
const EM_REGULAR: f64 = 0.6;
const EM_BOLD: f64 = 0.66;

/// Rough width of `text` at font size `size` in user units, used to reserve margins and decide whether a label
/// fits inside a bar.
pub fn text_width(text: &str, size: f64) -> f64 {
    text.chars().count() as f64 * size * EM_REGULAR
}

/// [`text_width`] of bold text.
pub fn bold_width(text: &str, size: f64) -> f64 {
    text.chars().count() as f64 * size * EM_BOLD
}

/// `text` cut (ending in an ellipsis) so that it fits `width` user units at font size `size`.
pub fn fit(text: &str, width: f64, size: f64, bold: bool) -> String {
    let per_char = size * if bold { EM_BOLD } else { EM_REGULAR };
    let max = if width.is_finite() && width > 0.0 { (width / per_char).floor() as usize } else { 0 };
    truncate(text, max.max(1))
}

/// `text` cut to at most `max_chars` characters, ending in an ellipsis when cut. The full text goes into the
/// element's `<title>`.
pub fn truncate(text: &str, max_chars: usize) -> String {
    if text.chars().count() <= max_chars {
        return text.to_string();
    }
    let mut out: String = text.chars().take(max_chars.saturating_sub(1)).collect();
    out.push('…');
    out
}

/// `id` made safe as an XML id: lower-case ASCII letters, digits and dashes.
pub fn element_id(id: &str) -> String {
    id.chars().map(|c| if c.is_ascii_alphanumeric() || c == '-' { c.to_ascii_lowercase() } else { '-' }).collect()
}

/// Horizontal alignment of a text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Anchor {
    Start,
    Middle,
    End,
}

impl Anchor {
    fn as_str(self) -> &'static str {
        match self {
            Anchor::Start => "start",
            Anchor::Middle => "middle",
            Anchor::End => "end",
        }
    }
}

/// How a text is set.
#[derive(Clone, Copy, Debug)]
pub struct TextStyle<'a> {
    pub size: f64,
    pub anchor: Anchor,
    pub fill: &'a str,
    pub bold: bool,
    /// A white outline behind the glyphs, so the text reads on hatching and other busy fills.
    pub halo: bool,
    pub class: &'a str,
}

impl<'a> TextStyle<'a> {
    pub fn new(size: f64, anchor: Anchor, fill: &'a str) -> Self {
        TextStyle { size, anchor, fill, bold: false, halo: false, class: "label" }
    }
    pub fn bold(mut self) -> Self {
        self.bold = true;
        self
    }
    pub fn halo(mut self) -> Self {
        self.halo = true;
        self
    }
    pub fn class(mut self, class: &'a str) -> Self {
        self.class = class;
        self
    }
}

/// A rectangle in user units.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Rect {
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
}

/// One `<svg>` element being written.
pub struct Canvas {
    out: String,
    id: String,
}

impl Canvas {
    /// Opens an SVG of `width` x `height` user units that scales to the width of its container. `id` prefixes
    /// every id inside (several charts share one HTML page); `title` and `desc` are what assistive technology
    /// reads for the whole chart.
    pub fn new(id: &str, width: f64, height: f64, title: &str, desc: &str) -> Canvas {
        let id = element_id(id);
        let mut out = String::new();
        let _ = write!(
            out,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" id=\"{id}\" viewBox=\"0 0 {w} {h}\" \
             width=\"100%\" preserveAspectRatio=\"xMidYMid meet\" role=\"img\" \
             aria-labelledby=\"{id}-title {id}-desc\" font-family=\"{font}\" font-size=\"12\">\
             <title id=\"{id}-title\">{title}</title><desc id=\"{id}-desc\">{desc}</desc>",
            w = num(width),
            h = num(height),
            font = escape(FONT),
            title = escape(title),
            desc = escape(desc),
        );
        Canvas { out, id }
    }

    /// The document-unique id of a local name (for patterns and other `<defs>`).
    pub fn local_id(&self, local: &str) -> String {
        format!("{}-{local}", self.id)
    }

    /// A diagonal hatch pattern named `local`, drawn in `colour` over a transparent background.
    pub fn hatch_pattern(&mut self, local: &str, colour: &str) {
        let id = self.local_id(local);
        let _ = write!(
            self.out,
            "<defs><pattern id=\"{id}\" patternUnits=\"userSpaceOnUse\" width=\"6\" height=\"6\" \
             patternTransform=\"rotate(45)\"><line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" stroke=\"{colour}\" \
             stroke-width=\"1.5\" stroke-opacity=\"0.8\"/></pattern></defs>",
            colour = escape(colour)
        );
    }

    /// A filled rectangle with an optional tooltip title. Negative widths and heights are drawn from the other
    /// corner, so callers may pass a bar from a baseline in either direction.
    pub fn rect(&mut self, r: Rect, fill: &str, class: &str, title: Option<&str>) {
        let (x, w) = if r.w < 0.0 { (r.x + r.w, -r.w) } else { (r.x, r.w) };
        let (y, h) = if r.h < 0.0 { (r.y + r.h, -r.h) } else { (r.y, r.h) };
        let _ = write!(
            self.out,
            "<rect class=\"{class}\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{}\"",
            num(x),
            num(y),
            num(w),
            num(h),
            escape(fill)
        );
        self.close("rect", title);
    }

    /// A straight line.
    pub fn line(&mut self, from: (f64, f64), to: (f64, f64), stroke: &str, width: f64, class: &str) {
        let _ = write!(
            self.out,
            "<line class=\"{class}\" x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"{}\" stroke-width=\"{}\"/>",
            num(from.0),
            num(from.1),
            num(to.0),
            num(to.1),
            escape(stroke),
            num(width)
        );
    }

    /// An open polyline through `points` (at least two).
    pub fn polyline(&mut self, points: &[(f64, f64)], stroke: &str, dash: Option<&str>, class: &str, title: &str) {
        if points.len() < 2 {
            return;
        }
        let pts: Vec<String> = points.iter().map(|(x, y)| format!("{},{}", num(*x), num(*y))).collect();
        let _ = write!(
            self.out,
            "<polyline class=\"{class}\" points=\"{}\" fill=\"none\" stroke=\"{}\" stroke-width=\"2\" \
             stroke-linejoin=\"round\"",
            pts.join(" "),
            escape(stroke)
        );
        if let Some(d) = dash {
            let _ = write!(self.out, " stroke-dasharray=\"{}\"", escape(d));
        }
        self.close("polyline", Some(title));
    }

    /// A closed polygon (markers of line charts).
    pub fn polygon(&mut self, points: &[(f64, f64)], fill: &str, class: &str, title: Option<&str>) {
        let pts: Vec<String> = points.iter().map(|(x, y)| format!("{},{}", num(*x), num(*y))).collect();
        let _ = write!(self.out, "<polygon class=\"{class}\" points=\"{}\" fill=\"{}\"", pts.join(" "), escape(fill));
        self.close("polygon", title);
    }

    /// A circle.
    pub fn circle(&mut self, centre: (f64, f64), r: f64, fill: &str, class: &str, title: Option<&str>) {
        let _ = write!(
            self.out,
            "<circle class=\"{class}\" cx=\"{}\" cy=\"{}\" r=\"{}\" fill=\"{}\"",
            num(centre.0),
            num(centre.1),
            num(r),
            escape(fill)
        );
        self.close("circle", title);
    }

    /// A text whose baseline starts (or centres, or ends) at (`x`, `y`).
    pub fn text(&mut self, x: f64, y: f64, text: &str, style: TextStyle<'_>) {
        let _ = write!(
            self.out,
            "<text class=\"{}\" x=\"{}\" y=\"{}\" font-size=\"{}\" text-anchor=\"{}\" fill=\"{}\"{}{}>{}</text>",
            style.class,
            num(x),
            num(y),
            num(style.size),
            style.anchor.as_str(),
            escape(style.fill),
            if style.bold { " font-weight=\"bold\"" } else { "" },
            if style.halo { " stroke=\"#ffffff\" stroke-width=\"3\" paint-order=\"stroke\"" } else { "" },
            escape(text)
        );
    }

    /// A white rounded box behind a label drawn over a busy fill (hatching), so the label reads.
    pub fn chip(&mut self, r: Rect) {
        let _ = write!(
            self.out,
            "<rect class=\"chip\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"3\" fill=\"#ffffff\" \
             fill-opacity=\"0.92\"/>",
            num(r.x),
            num(r.y),
            num(r.w.abs()),
            num(r.h.abs())
        );
    }

    /// Opens a group that carries a tooltip title for everything inside it.
    pub fn open_group(&mut self, class: &str, title: Option<&str>) {
        let _ = write!(self.out, "<g class=\"{class}\">");
        if let Some(t) = title {
            let _ = write!(self.out, "<title>{}</title>", escape(t));
        }
    }

    pub fn close_group(&mut self) {
        self.out.push_str("</g>");
    }

    /// Closes the SVG and returns it.
    pub fn finish(mut self) -> String {
        self.out.push_str("</svg>");
        self.out
    }

    /// Ends the open `tag` (whose attributes are written), with a `<title>` child when there is one.
    fn close(&mut self, tag: &str, title: Option<&str>) {
        match title {
            Some(t) => {
                let _ = write!(self.out, "><title>{}</title></{tag}>", escape(t));
            }
            None => self.out.push_str("/>"),
        }
    }
}

/// One legend entry: a swatch of `colour` (with a hatch overlay when `hatch` names a pattern id) and its label.
#[derive(Clone, Debug, PartialEq)]
pub struct LegendEntry {
    pub label: String,
    pub colour: &'static str,
    pub hatch: Option<String>,
}

impl LegendEntry {
    pub fn new(label: &str, colour: &'static str) -> Self {
        LegendEntry { label: truncate(label, 40), colour, hatch: None }
    }
}

/// Where each legend entry goes when the legend starts at (`x`, `y`) and wraps at `max_x` (baseline points).
fn legend_positions(entries: &[LegendEntry], x: f64, y: f64, max_x: f64) -> Vec<(f64, f64)> {
    let mut at = (x, y);
    let mut out = Vec::with_capacity(entries.len());
    for e in entries {
        let w = 14.0 + text_width(&e.label, 12.0) + 16.0;
        if at.0 > x && at.0 + w > max_x {
            at = (x, at.1 + 18.0);
        }
        out.push(at);
        at.0 += w;
    }
    out
}

/// The rows a [`legend`] of `entries` takes between `x` and `max_x`.
pub fn legend_rows(entries: &[LegendEntry], x: f64, max_x: f64) -> usize {
    let positions = legend_positions(entries, x, 0.0, max_x);
    positions.last().map_or(1, |p| (p.1 / 18.0).round() as usize + 1)
}

/// Draws the legend from (`x`, `y`), wrapping at `max_x`. Each swatch is followed by its label, so the legend
/// reads without colour.
pub fn legend(canvas: &mut Canvas, entries: &[LegendEntry], x: f64, y: f64, max_x: f64) {
    for (e, (lx, ly)) in entries.iter().zip(legend_positions(entries, x, y, max_x)) {
        let swatch = Rect { x: lx, y: ly - 10.0, w: 10.0, h: 10.0 };
        canvas.rect(swatch, e.colour, "swatch", None);
        if let Some(id) = &e.hatch {
            canvas.rect(swatch, &format!("url(#{id})"), "swatch", None);
        }
        canvas.text(lx + 14.0, ly, &e.label, TextStyle::new(12.0, Anchor::Start, crate::svg::palette::TEXT));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_quotes() {
        assert_eq!(escape("<script>alert(1)</script>"), "&lt;script&gt;alert(1)&lt;/script&gt;");
        assert_eq!(escape("\"&<>'"), "&quot;&amp;&lt;&gt;&#39;");
        assert_eq!(escape("a\u{0}b\u{1b}c\nd"), "abc d");
        assert_eq!(escape("Zoë 👋"), "Zoë 👋");
    }

    #[test]
    fn numbers_are_never_nan_or_negative_zero() {
        assert_eq!(num(f64::NAN), "0");
        assert_eq!(num(f64::NEG_INFINITY), "0");
        assert_eq!(num(-0.01), "0");
        assert_eq!(num(12.0), "12");
        assert_eq!(num(12.345), "12.3");
        assert_eq!(num(-3.25), "-3.3");
    }

    #[test]
    fn titles_and_texts_are_escaped_in_the_svg() {
        let mut c = Canvas::new("t\"x", 100.0, 50.0, "<b>&", "\"quoted\"");
        c.rect(Rect { x: 0.0, y: 0.0, w: 10.0, h: 5.0 }, "#000", "bar", Some("<script>alert(1)</script>"));
        c.text(1.0, 2.0, "</text><script>", TextStyle::new(12.0, Anchor::Start, "#000"));
        let svg = c.finish();
        assert!(!svg.contains("<script"), "{svg}");
        assert!(!svg.contains("<b>"), "{svg}");
        assert!(svg.contains("id=\"t-x\""), "{svg}");
        assert!(svg.contains("<title>&lt;script&gt;alert(1)&lt;/script&gt;</title></rect>"), "{svg}");
        assert!(svg.contains("&lt;/text&gt;&lt;script&gt;</text>"), "{svg}");
    }

    #[test]
    fn legend_wraps_into_rows() {
        let few = vec![LegendEntry::new("Cost", "#000"), LegendEntry::new("Revenue", "#111")];
        assert_eq!(legend_rows(&few, 10.0, 710.0), 1);
        let many: Vec<LegendEntry> =
            (0..12).map(|i| LegendEntry::new(&format!("Channel number {i}"), "#000")).collect();
        assert!(legend_rows(&many, 10.0, 710.0) >= 3);
    }

    #[test]
    fn truncates_on_characters_not_bytes() {
        assert_eq!(truncate("LinkedIn", 20), "LinkedIn");
        assert_eq!(truncate("ÄÖÜäöüß", 4), "ÄÖÜ…");
    }

    #[test]
    fn fitted_labels_stay_within_their_width() {
        let label = fit("<script>alert(1)</script>", 100.0, 12.0, true);
        assert!(bold_width(&label, 12.0) <= 100.0, "{label}");
        assert!(label.ends_with('…'));
        assert_eq!(fit("X", 100.0, 12.0, false), "X");
        assert_eq!(fit("Long", f64::NAN, 12.0, false).chars().count(), 1);
    }
}
