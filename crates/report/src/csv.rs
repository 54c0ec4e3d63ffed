//! The channels table as CSV: one row per channel with the terminal table's columns at full precision (exact
//! money in major units, rates as unrounded fractions, empty cells for "not available").
//!
//! Text cells (channel key and name come from outside) that a spreadsheet would read as a formula (starting
//! with `=`, `+`, `-`, `@`, tab or carriage return) get a leading `'`, as OWASP advises against CSV injection.

use crate::contents::Contents;
use crate::figures::money_exact;
use crate::models;
use crate::ReportError;
use socialledger_analytics::Model;
use socialledger_domain::Money;

/// The header row: fixed columns, then one `roi_<model>` column per model in [`Model::ALL`] order.
pub fn header() -> Vec<String> {
    let fixed = [
        "channel",
        "name",
        "currency",
        "cost",
        "hours",
        "engagement_rate_by_impressions",
        "engagement_rate_by_followers",
        "pipeline_min",
        "pipeline_max",
        "revenue_min",
        "revenue_max",
    ];
    fixed
        .iter()
        .map(|s| s.to_string())
        .chain(Model::ALL.iter().map(|m| format!("roi_{}", models::column(*m))))
        .collect()
}

/// `cell` made inert for spreadsheets: a leading `'` when it would start a formula.
fn text(cell: &str) -> String {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{cell}")
    } else {
        cell.to_string()
    }
}

/// The CSV text, with a header row and `\n` line ends.
pub fn render(contents: &Contents<'_>) -> Result<String, ReportError> {
    let cur = contents.input.analysis.currency;
    let money = |minor: i64| money_exact(Money::new(minor, cur));
    let opt = |v: Option<f64>| v.filter(|x| x.is_finite()).map(|x| x.to_string()).unwrap_or_default();
    let mut w = ::csv::WriterBuilder::new().terminator(::csv::Terminator::Any(b'\n')).from_writer(Vec::new());
    w.write_record(header())?;
    for row in &contents.rows {
        let mut record = vec![
            text(&row.channel),
            text(&row.name),
            cur.to_string(),
            money(row.cost_minor),
            row.hours.to_string(),
            opt(row.engagement_rate_by_impressions),
            opt(row.engagement_rate_by_followers),
            money(row.pipeline_min_minor),
            money(row.pipeline_max_minor),
            money(row.revenue_min_minor),
            money(row.revenue_max_minor),
        ];
        record.extend(Model::ALL.iter().map(|m| opt(row.model(*m).and_then(|f| f.roi))));
        w.write_record(&record)?;
    }
    let bytes = w.into_inner().map_err(|e| ReportError::CsvFinish(e.error().to_string()))?;
    String::from_utf8(bytes).map_err(|e| ReportError::CsvFinish(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_cells_are_made_inert() {
        assert_eq!(text("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(text("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(text("LinkedIn"), "LinkedIn");
    }

    #[test]
    fn header_has_one_roi_column_per_model() {
        let h = header();
        assert_eq!(h.len(), 11 + Model::ALL.len());
        assert_eq!(h.last().map(String::as_str), Some("roi_full_path"));
    }
}
