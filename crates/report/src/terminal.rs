//! The report for a terminal: the channels table, the ROI table, then the data notes, fitted to the terminal's
//! width ([`render`] takes it; [`DEFAULT_WIDTH`] when output goes to a file or pipe).
//!
//! One number format throughout: money in whole units with grouped thousands (`129,300`), hours with one
//! decimal, ROI as a signed percentage below ten times the cost and as a multiple from there on (`12.3x`). The CSV
//! and JSON keep full precision. Channel names are never cut: they wrap within their column
//! ([`crate::text_table`]). Text from outside (channel names, notes) is stripped of control characters so it
//! cannot move the cursor or recolour the terminal.

use crate::contents::Contents;
use crate::figures;
use crate::models;
use crate::text_table::{clean, wrap_words, Align, TextTable};
use socialledger_analytics::{Model, Severity};
use socialledger_domain::{Currency, Money};

/// The width used when the terminal's is unknown (output to a file or a pipe).
pub const DEFAULT_WIDTH: usize = 100;

/// The narrowest layout written: below this the tables would be unreadable, so they overflow instead.
pub const MIN_WIDTH: usize = 60;

/// Money in whole units with grouped thousands, no currency (the header names it).
fn money(minor: i64, cur: Currency) -> String {
    figures::money_number(Money::new(minor, cur))
}

/// `lo-hi` in whole units, or one figure when both are the same.
fn range(lo: i64, hi: i64, cur: Currency) -> String {
    figures::money_range(Money::new(lo, cur), Money::new(hi, cur))
}

fn roi(r: Option<f64>) -> String {
    r.map_or("-".to_string(), figures::roi)
}

/// Words of `text` wrapped to `width`, the first line after `first`, the others after `indent`.
fn wrap(text: &str, first: &str, indent: &str, width: usize) -> Vec<String> {
    let room = width.saturating_sub(first.chars().count().max(indent.chars().count()));
    wrap_words(text, room)
        .into_iter()
        .enumerate()
        .map(|(i, line)| format!("{}{line}", if i == 0 { first } else { indent }))
        .collect()
}

/// The terminal report for a terminal `width` characters wide (at least [`MIN_WIDTH`] is used), ending in a
/// newline.
pub fn render(contents: &Contents<'_>, width: usize) -> String {
    let width = width.max(MIN_WIDTH);
    let analysis = contents.input.analysis;
    let cur = analysis.currency;
    let settings = contents.input.settings;
    let mut lines: Vec<String> = Vec::new();
    let say = |lines: &mut Vec<String>, text: String| lines.extend(wrap(&clean(&text), "", "", width));

    say(&mut lines, contents.title());
    say(
        &mut lines,
        format!(
            "Period {}. Cost, pipeline and revenue in {cur}, whole units.",
            contents.period.map_or("none (no dated records)".to_string(), |p| p.describe())
        ),
    );
    say(
        &mut lines,
        format!(
            "Pipeline and revenue: lowest-highest credit over the {} attribution models. ER/imp = engagements / \
             impressions.",
            Model::ALL.len()
        ),
    );
    lines.push(String::new());
    if let Some(v) = contents.input.verdict {
        lines.extend(crate::verdict_text::summary(v, width).lines().map(str::to_string));
        lines.push(String::new());
    }

    let mut channels = TextTable::new(
        "Channel",
        &[
            ("Cost", Align::Right),
            ("Hours", Align::Right),
            ("ER/imp", Align::Right),
            ("Pipeline", Align::Right),
            ("Revenue", Align::Right),
        ],
    );
    for row in &contents.rows {
        let rate = row.engagement_rate_by_impressions.map_or("-".to_string(), |r| figures::percent(r, 1));
        channels.row(vec![
            row.name.clone(),
            money(row.cost_minor, cur),
            figures::decimal(row.hours, 1),
            rate,
            range(row.pipeline_min_minor, row.pipeline_max_minor, cur),
            range(row.revenue_min_minor, row.revenue_max_minor, cur),
        ]);
    }
    let general = &analysis.costs.general;
    if general.total_minor != 0 || general.minutes != 0 {
        channels.row(vec![
            "(no channel)".to_string(),
            money(general.total_minor, cur),
            figures::decimal(general.hours, 1),
        ]);
    }
    channels.rule();
    let s = &contents.summary;
    channels.row(vec![
        "Total".to_string(),
        money(s.total_cost_minor, cur),
        figures::decimal(s.hours, 1),
        String::new(),
        money(analysis.attribution.pipeline_minor, cur),
        money(s.revenue_minor, cur),
    ]);
    lines.extend(channels.render(width));
    lines.push(String::new());

    say(
        &mut lines,
        format!(
            "ROI by attribution model = (revenue x {} gross margin - cost) / cost; from ten times the cost on as a \
             multiple (12.3x = +1,230%).",
            figures::percent(settings.gross_margin, 0)
        ),
    );
    let columns: Vec<(&str, Align)> = Model::ALL.iter().map(|m| (models::short(*m), Align::Right)).collect();
    let mut rois = TextTable::new("Channel", &columns);
    let mut no_cost = Vec::new();
    for row in &contents.rows {
        let values: Vec<Option<f64>> = Model::ALL.iter().map(|m| row.model(*m).and_then(|f| f.roi)).collect();
        if values.iter().all(Option::is_none) {
            no_cost.push(clean(&row.name));
            continue;
        }
        let mut cells = vec![row.name.clone()];
        cells.extend(values.into_iter().map(roi));
        rois.row(cells);
    }
    lines.extend(rois.render(width));
    if !no_cost.is_empty() {
        lines.extend(wrap(&format!("No ROI without a cost: {}.", no_cost.join(", ")), "", "", width));
    }
    lines.push(String::new());

    if let Some(mmm) = contents.input.mmm {
        let r = &mmm.result;
        let roi_on = crate::mmm::roi_label(&mmm.value_of_target, &r.currency);
        let reading = r.reading.join(" ");
        say(&mut lines, format!("Mix model of {} from {} to {}; {roi_on}: {reading}", r.target, r.start, r.end));
        if let Some(a) = &mmm.allocation {
            say(
                &mut lines,
                format!(
                    "Its plan for {} to {} gains {} ({} to {}) over today's split.",
                    a.start,
                    a.end,
                    figures::decimal(a.gain.value, 0),
                    figures::decimal(a.gain.low, 0),
                    figures::decimal(a.gain.high, 0)
                ),
            );
        }
        lines.push(String::new());
    }

    if analysis.notes.is_empty() {
        lines.push("Notes: none.".to_string());
    } else {
        lines.push("Notes:".to_string());
        for note in &analysis.notes {
            let mark = match note.severity {
                Severity::Warning => "! ",
                Severity::Info => "- ",
            };
            lines.extend(wrap(&clean(&note.text), &format!("  {mark}"), "    ", width));
        }
    }
    let mut text = lines.join("\n");
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn figures_use_one_format() {
        assert_eq!(range(180_000 * 100, 260_000 * 100, Currency::EUR), "180,000-260,000");
        assert_eq!(range(0, 0, Currency::EUR), "0");
        assert_eq!(money(4_953_600 * 100, Currency::EUR), "4,953,600");
        assert_eq!(roi(Some(1.5)), "+150%");
        assert_eq!(roi(Some(12.34)), "12.3x");
        assert_eq!(roi(None), "-");
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
