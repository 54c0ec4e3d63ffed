//! Path files in ChannelAttribution's format: a header `path;total_conversions;total_conversion_value;total_null`,
//! then one row per distinct path, its channels joined by ` > `. Counts are whole journeys; values are in the
//! world's currency units (not minor units: ChannelAttribution reads them as plain numbers).

use anyhow::{Context, Result};
use socialledger_analytics::attribution::paths::PathSet;
use std::io::Write;
use std::path::Path;

/// The column header ChannelAttribution's examples use.
pub const HEADER: &str = "path;total_conversions;total_conversion_value;total_null";

/// Writes `paths` to `out` in row order. Rust prints `f64` in its shortest round-trip form without exponent, so
/// whole counts print as integers (ChannelAttribution's Python binding wants integer counts); values are rounded
/// to cents first, so sums of cents print as such (`37500.5`, not `37500.500000000004`).
pub fn write(paths: &PathSet, out: &Path) -> Result<()> {
    let file = std::fs::File::create(out).with_context(|| format!("creating {}", out.display()))?;
    let mut w = std::io::BufWriter::with_capacity(1 << 20, file);
    write_to(paths, &mut w).with_context(|| format!("writing {}", out.display()))?;
    w.flush().with_context(|| format!("writing {}", out.display()))
}

/// Writes `paths` to any writer (see [`write()`]).
pub fn write_to(paths: &PathSet, w: &mut impl Write) -> std::io::Result<()> {
    writeln!(w, "{HEADER}")?;
    for row in &paths.rows {
        for (i, &c) in row.channels.iter().enumerate() {
            if i > 0 {
                w.write_all(b" > ")?;
            }
            w.write_all(paths.channels[usize::from(c)].as_bytes())?;
        }
        let value = (row.value * 100.0).round() / 100.0;
        writeln!(w, ";{};{};{}", row.conversions, value, row.nulls)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_are_written_in_channelattributions_format() {
        let (set, _) = PathSet::from_named(vec![
            (vec!["linkedin", "x", "linkedin"], 2.0, 0.1 + 0.2 + 37_500.2, 5.0),
            (vec!["x"], 0.0, 0.0, 12.0),
        ]);
        let mut out = Vec::new();
        write_to(&set, &mut out).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "path;total_conversions;total_conversion_value;total_null\n\
             linkedin > x > linkedin;2;37500.5;5\n\
             x;0;0;12\n"
        );
    }
}
