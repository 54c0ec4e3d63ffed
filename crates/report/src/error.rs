//! The errors of report rendering.

/// A report that cannot be rendered. The message says what went wrong.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ReportError {
    /// The settings given for the header are not the ones the analysis ran with: the header would misstate what
    /// the figures rest on.
    #[error("the report's settings differ from the settings the analysis ran with; run the analysis again with the same settings")]
    SettingsMismatch,
    #[error("could not write the JSON report: {0}")]
    Json(#[from] serde_json::Error),
    #[error("could not write the CSV report: {0}")]
    Csv(#[from] csv::Error),
    #[error("could not finish the CSV report: {0}")]
    CsvFinish(String),
}
