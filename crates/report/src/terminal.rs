//! The report for a terminal: a fixed-width channels table that fits 100 columns, then the data notes.
//!
//! Money is compact (`41.2k`) so ranges fit; the CSV and JSON keep full precision. Text from outside (channel
//! names, notes) is stripped of control characters so it cannot move the cursor or recolour the terminal.

use crate::contents::Contents;
use crate::figures;
use crate::models;
use socialledger_analytics::{Model, Severity};
use socialledger_domain::Money;

/// The widest line this module writes.
pub const MAX_WIDTH: usize = 100;

/// Column widths: channel, cost, hours, engagement rate, pipeline, revenue, then one per model.
const CHANNEL_W: usize = 12;
const COST_W: usize = 6;
const HOURS_W: usize = 5;
const RATE_W: usize = 6;
const RANGE_W: usize = 11;
const ROI_W: usize = 5;

/// `text` without control characters (escape sequences, tabs, newlines become spaces or vanish).
fn clean(text: &str) -> String {
    text.chars()
        .map(|c| if c == '\t' || c == '\n' || c == '\r' { ' ' } else { c })
        .filter(|c| !c.is_control())
        .collect()
}

/// `text` cut to `width` characters (with `~` marking the cut) and padded on the right or left.
fn cell(text: &str, width: usize, right: bool) -> String {
    let n = text.chars().count();
    let text = if n > width {
        format!("{}~", text.chars().take(width.saturating_sub(1)).collect::<String>())
    } else {
        text.to_string()
    };
    if right {
        format!("{text:>width$}")
    } else {
        format!("{text:<width$}")
    }
}

/// Money in compact form without currency (`41.2k`).
fn short_money(minor: i64, cur: socialledger_domain::Currency) -> String {
    figures::compact(Money::new(minor, cur).to_major_f64())
}

/// `lo-hi` in compact money, or one figure when both are the same.
fn range(lo: i64, hi: i64, cur: socialledger_domain::Currency) -> String {
    let (a, b) = (short_money(lo, cur), short_money(hi, cur));
    if a == b {
        a
    } else {
        format!("{a}-{b}")
    }
}

/// A ROI that fits [`ROI_W`]: the sign of large gains dropped first, then `>999%`.
fn roi(r: Option<f64>) -> String {
    let Some(r) = r else { return "-".to_string() };
    let full = figures::roi(r);
    if full.chars().count() <= ROI_W {
        return full;
    }
    let unsigned = full.trim_start_matches('+').to_string();
    if unsigned.chars().count() <= ROI_W {
        unsigned
    } else {
        ">999%".to_string()
    }
}

/// Words of `text` wrapped to `width`, the first line after `first`, the others after `indent`.
fn wrap(text: &str, first: &str, indent: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = first.to_string();
    let mut empty = true;
    for word in text.split_whitespace() {
        let fits = line.chars().count() + 1 + word.chars().count() <= width;
        if !empty && !fits {
            lines.push(std::mem::replace(&mut line, indent.to_string()));
            empty = true;
        }
        if !empty {
            line.push(' ');
        }
        // A single word longer than the line is cut rather than overflowing.
        let room = width.saturating_sub(line.chars().count());
        line.push_str(&cell(word, room.min(word.chars().count()), false));
        empty = false;
    }
    lines.push(line);
    lines
}

/// The terminal report, ending in a newline.
pub fn render(contents: &Contents<'_>) -> String {
    let analysis = contents.input.analysis;
    let cur = analysis.currency;
    let settings = contents.input.settings;
    let mut out: Vec<String> = Vec::new();
    let mut say = |text: String| out.extend(wrap(&clean(&text), "", "", MAX_WIDTH));

    say(contents.title());
    say(format!(
        "Period {}. Cost, pipeline and revenue in {cur} (k = thousand, M = million).",
        contents.period.map_or("none (no dated records)".to_string(), |p| p.describe())
    ));
    say(format!(
        "Pipeline and revenue: lowest-highest credit over the {} attribution models. ROI = (revenue x {} gross margin - cost) / cost. ER/imp = engagements / impressions.",
        Model::ALL.len(),
        figures::percent(settings.gross_margin, 0)
    ));
    let mut lines = out;
    lines.push(String::new());

    let roi_w = Model::ALL.len() * (ROI_W + 1) - 1;
    let lead = CHANNEL_W + COST_W + HOURS_W + RATE_W + 2 * RANGE_W + 6;
    lines.push(format!("{}{}", " ".repeat(lead), cell("ROI by model", roi_w, true)));
    let mut head = vec![
        cell("Channel", CHANNEL_W, false),
        cell("Cost", COST_W, true),
        cell("Hours", HOURS_W, true),
        cell("ER/imp", RATE_W, true),
        cell("Pipeline", RANGE_W, true),
        cell("Revenue", RANGE_W, true),
    ];
    head.extend(Model::ALL.iter().map(|m| cell(models::short(*m), ROI_W, true)));
    lines.push(head.join(" "));
    lines.push("-".repeat(lead + roi_w));

    for row in &contents.rows {
        let rate = row.engagement_rate_by_impressions.map_or("-".to_string(), |r| figures::percent(r, 1));
        let mut cells = vec![
            cell(&clean(&row.name), CHANNEL_W, false),
            cell(&short_money(row.cost_minor, cur), COST_W, true),
            cell(&hours(row.hours), HOURS_W, true),
            cell(&rate, RATE_W, true),
            cell(&range(row.pipeline_min_minor, row.pipeline_max_minor, cur), RANGE_W, true),
            cell(&range(row.revenue_min_minor, row.revenue_max_minor, cur), RANGE_W, true),
        ];
        cells.extend(Model::ALL.iter().map(|m| cell(&roi(row.model(*m).and_then(|f| f.roi)), ROI_W, true)));
        lines.push(cells.join(" ").trim_end().to_string());
    }
    let general = &analysis.costs.general;
    if general.total_minor != 0 || general.minutes != 0 {
        lines.push(
            [
                cell("(no channel)", CHANNEL_W, false),
                cell(&short_money(general.total_minor, cur), COST_W, true),
                cell(&hours(general.hours), HOURS_W, true),
            ]
            .join(" "),
        );
    }
    lines.push("-".repeat(lead + roi_w));
    let s = &contents.summary;
    lines.push(
        [
            cell("Total", CHANNEL_W, false),
            cell(&short_money(s.total_cost_minor, cur), COST_W, true),
            cell(&hours(s.hours), HOURS_W, true),
            cell("", RATE_W, true),
            cell(&short_money(analysis.attribution.pipeline_minor, cur), RANGE_W, true),
            cell(&short_money(s.revenue_minor, cur), RANGE_W, true),
        ]
        .join(" ")
        .trim_end()
        .to_string(),
    );
    lines.push(String::new());

    if analysis.notes.is_empty() {
        lines.push("Notes: none.".to_string());
    } else {
        lines.push("Notes:".to_string());
        for note in &analysis.notes {
            let mark = match note.severity {
                Severity::Warning => "! ",
                Severity::Info => "- ",
            };
            lines.extend(wrap(&clean(&note.text), &format!("  {mark}"), "    ", MAX_WIDTH));
        }
    }
    let mut text = lines.join("\n");
    text.push('\n');
    text
}

/// Hours in at most five characters: one decimal below 1,000.
fn hours(h: f64) -> String {
    if h.abs() < 999.95 {
        figures::decimal(h, 1)
    } else {
        figures::compact(h)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use socialledger_domain::Currency;

    #[test]
    fn cells_are_cut_and_padded_to_width() {
        assert_eq!(cell("LinkedIn", 12, false), "LinkedIn    ");
        assert_eq!(cell("A very long channel name", 12, false), "A very long~");
        assert_eq!(cell("41.2k", 6, true), " 41.2k");
        assert_eq!(cell("Zoë", 4, true), " Zoë");
    }

    #[test]
    fn control_characters_never_reach_the_terminal() {
        assert_eq!(clean("a\u{1b}[31mred\u{7}\nb"), "a[31mred b");
    }

    #[test]
    fn narrow_figures_fit_their_columns() {
        assert_eq!(range(180_000 * 100, 260_000 * 100, Currency::EUR), "180k-260k");
        assert_eq!(range(0, 0, Currency::EUR), "0");
        assert!(range(12_345 * 100, 99_540 * 100, Currency::EUR).chars().count() <= RANGE_W);
        assert_eq!(roi(Some(1.5)), "+150%");
        assert_eq!(roi(Some(12.34)), ">999%");
        assert_eq!(roi(None), "-");
        assert_eq!(hours(12.25), "12.3");
        assert_eq!(hours(1234.0), "1.23k");
    }

    #[test]
    fn wraps_words_within_the_width() {
        let lines = wrap("one two three four five six seven", "  - ", "    ", 14);
        assert!(lines.iter().all(|l| l.chars().count() <= 14), "{lines:?}");
        assert_eq!(lines[0], "  - one two");
        assert!(lines[1].starts_with("    "));
        let long = wrap(&"x".repeat(30), "", "", 10);
        assert!(long.iter().all(|l| l.chars().count() <= 10), "{long:?}");
    }
}
