//! Colours and marks that tell series apart: the Okabe-Ito palette (safe for the common colour-vision
//! deficiencies), with a dash pattern and a marker shape per series so that print in grey still works.

/// Okabe & Ito (2008), "Color Universal Design", ordered so that neighbours contrast well on white; the yellow is
/// last because it is faint on white paper.
pub const COLOURS: [&str; 8] = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#000000", "#F0E442"];

/// Colour of series `i` (cycling).
pub fn colour(i: usize) -> &'static str {
    COLOURS[i % COLOURS.len()]
}

/// Stroke dash pattern of line series `i` (`None` = solid), so lines differ in grey print too.
pub fn dash(i: usize) -> Option<&'static str> {
    const DASHES: [Option<&str>; 4] = [None, Some("6 3"), Some("2 3"), Some("8 3 2 3")];
    DASHES[i % DASHES.len()]
}

/// Marker shape of line series `i`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Marker {
    Circle,
    Square,
    Triangle,
    Diamond,
}

/// Marker shape of line series `i`, shifted against [`dash`] so that the first 16 series differ in the pair.
pub fn marker(i: usize) -> Marker {
    [Marker::Circle, Marker::Square, Marker::Triangle, Marker::Diamond][(i + i / 4) % 4]
}

/// Axis, grid and text greys (contrast ratio of `TEXT` on white is above 7:1).
pub const TEXT: &str = "#222222";
pub const MUTED: &str = "#555555";
pub const GRID: &str = "#dddddd";
pub const AXIS: &str = "#888888";

/// The text colour with the higher contrast on palette colour `fill` (by WCAG relative luminance): white on the
/// blue and the black, near-black on every other colour of the palette.
pub fn text_on(fill: &str) -> &'static str {
    match fill {
        "#0072B2" | "#000000" => "#ffffff",
        _ => TEXT,
    }
}
