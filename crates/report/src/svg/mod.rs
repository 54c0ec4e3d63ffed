//! Hand-built inline SVG charts for the HTML report: no script, no external resource, every text escaped.
//!
//! Each chart takes plain data (labels and numbers, not analytics types) and returns one `<svg>` element that
//! scales to its container (`viewBox`, `width="100%"`), uses system fonts and the Okabe-Ito colour-blind-safe
//! palette, and never tells series apart by colour alone: every bar, line and span also carries a text label,
//! a marker shape or a pattern, and a `<title>` that screen readers and hover tooltips show.

pub mod area;
pub mod axis;
pub mod bars;
pub mod canvas;
pub mod curve;
pub mod lines;
pub mod palette;
pub mod stacked;
pub mod timeline;

pub use area::{AreaLayer, OverlayLine, StackedAreaChart};
pub use axis::{nice_ticks, LinearScale};
pub use bars::{Bar, BarGroup, GroupedBarChart};
pub use canvas::escape;
pub use curve::CurveChart;
pub use lines::{LineChart, LineSeries};
pub use stacked::{StackedBar, StackedBarChart, StackedSegment};
pub use timeline::{KeyEntry, Span, SpanRow, Tick, TickRow, Timeline};

#[cfg(test)]
pub(crate) mod testing {
    //! Reads back what the charts wrote, so geometry tests check the real output.

    /// The value of attribute `name` in every element `<tag ...>` whose `class` contains `class`, in order.
    pub fn attr_of(svg: &str, tag: &str, class: &str, name: &str) -> Vec<String> {
        let open = format!("<{tag} ");
        svg.match_indices(&open)
            .filter_map(|(at, _)| {
                let end = svg[at..].find('>')? + at;
                let element = &svg[at..end];
                let classes = attr(element, "class")?;
                if !classes.split(' ').any(|c| c == class) {
                    return None;
                }
                attr(element, name)
            })
            .collect()
    }

    /// The text content of every `<text>` element whose `class` contains `class`, in order (still escaped).
    pub fn texts_of(svg: &str, class: &str) -> Vec<String> {
        svg.match_indices("<text ")
            .filter_map(|(at, _)| {
                let open_end = svg[at..].find('>')? + at;
                let classes = attr(&svg[at..open_end], "class")?;
                if !classes.split(' ').any(|c| c == class) {
                    return None;
                }
                let close = svg[open_end..].find("</text>")? + open_end;
                Some(svg[open_end + 1..close].to_string())
            })
            .collect()
    }

    /// Numeric form of [`attr_of`].
    pub fn num_of(svg: &str, tag: &str, class: &str, name: &str) -> Vec<f64> {
        attr_of(svg, tag, class, name).iter().map(|v| v.parse::<f64>().expect(v)).collect()
    }

    fn attr(element: &str, name: &str) -> Option<String> {
        let key = format!(" {name}=\"");
        let start = element.find(&key)? + key.len();
        let len = element[start..].find('"')?;
        Some(element[start..start + len].to_string())
    }

    /// Panics when the output has a non-number where a number belongs, or a raw `<` inside text.
    pub fn assert_clean(svg: &str) {
        for bad in ["NaN", "inf", "\"-0\""] {
            assert!(!svg.contains(bad), "{bad} in output: {svg}");
        }
        assert!(svg.starts_with("<svg ") && svg.ends_with("</svg>"), "{svg}");
        assert!(!svg.to_lowercase().contains("<script"), "{svg}");
    }
}
