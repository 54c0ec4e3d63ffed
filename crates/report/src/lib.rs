//! Reports of socialledger: terminal table, JSON, CSV and self-contained HTML with inline SVG charts.
//!
//! [`render`] turns one analysis into one report in one [`Format`]. Every format shows the same channels table
//! ([`table::ChannelRow`]); the HTML report adds five charts (the fifth compares the attribution models,
//! data-driven ones included, when [`ReportInput::comparison`] is given), each with a plain-language reading
//! generated from the numbers ([`readings`]), and the data notes. The only thing that differs between two renders of the same
//! analysis is `generated_at`. When [`ReportInput::mmm`] is given, the mix model's fit gets a section of its own
//! ([`mmm`]), a paragraph in the terminal report and the `mmm` field of the JSON.
//!
//! Layout: [`contents`] computes what a report shows once; [`terminal`], [`json`], [`csv`] and [`html`] write
//! it; [`charts`] turns it into chart data that [`svg`] draws; [`figures`] writes numbers for people.

pub mod charts;
pub mod contents;
pub mod csv;
pub mod error;
pub mod figures;
pub mod html;
pub mod json;
pub mod mmm;
pub mod mmm_text;
pub mod models;
pub mod period;
pub mod readings;
pub mod rhythm;
pub mod standard;
pub mod summary;
pub mod svg;
pub mod table;
pub mod targets;
pub mod terminal;
pub mod text_table;
pub mod verdict_html;
pub mod verdict_text;

pub use contents::Contents;
pub use error::ReportError;
pub use mmm::MmmSection;

use socialledger_analytics::attribution::comparison::ModelComparison;
use socialledger_analytics::{Analysis, Settings};
use socialledger_domain::{Dataset, Timestamp};

/// Everything a report is made from. `analysis` must come from `dataset` and `settings`
/// (`socialledger_analytics::analyze(dataset, settings)`).
#[derive(Clone, Debug)]
pub struct ReportInput<'a> {
    pub analysis: &'a Analysis,
    /// The data the analysis ran on; the timeline's weekly posts and activity spans are read from it.
    pub dataset: &'a Dataset,
    /// The settings the analysis ran with, shown in the header.
    pub settings: &'a Settings,
    /// When the report was made: the only figure that differs between two renders of the same analysis.
    pub generated_at: Timestamp,
    /// The company or workspace name for the title; `None` gives a generic title. Untrusted text.
    pub title: Option<String>,
    /// Every attribution model side by side, data-driven ones included
    /// (`socialledger_analytics::attribution::comparison::compare_models_for_report`); `None` leaves the
    /// data-driven models out and the comparison section says so.
    pub comparison: Option<&'a ModelComparison>,
    /// The mix model's fit (and the allocator's plan from it), shown as its own section of the HTML report, a
    /// paragraph of the terminal report and the `mmm` field of the JSON; `None` leaves all three out.
    pub mmm: Option<&'a MmmSection>,
    /// The verdict per channel (crates/decide): the HTML report's first page, the terminal report's first block
    /// and the `verdict` field of the JSON; `None` leaves all three out.
    pub verdict: Option<&'a socialledger_decide::verdict::VerdictReport>,
}

/// The output format of a report.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Format {
    /// The channels table and the ROI table fitted to the terminal's width, with the data notes below them.
    Terminal,
    /// One self-contained HTML page (inline CSS and SVG, no script, no network).
    Html,
    /// The report as JSON with documented, stable field names (docs/reports.md).
    Json,
    /// One CSV row per channel with the terminal table's columns at full precision.
    Csv,
}

impl Format {
    /// Every format, in the order of the docs.
    pub const ALL: [Format; 4] = [Format::Terminal, Format::Html, Format::Json, Format::Csv];

    /// The canonical name used on the command line (`terminal`, `html`, `json`, `csv`).
    pub fn as_str(&self) -> &'static str {
        match self {
            Format::Terminal => "terminal",
            Format::Html => "html",
            Format::Json => "json",
            Format::Csv => "csv",
        }
    }
}

/// Renders the report in `format`; the terminal format for [`terminal::DEFAULT_WIDTH`] columns.
pub fn render(input: &ReportInput<'_>, format: Format) -> Result<String, ReportError> {
    render_for_width(input, format, terminal::DEFAULT_WIDTH)
}

/// Renders the report in `format`; the terminal format fitted to a terminal `width` characters wide.
pub fn render_for_width(input: &ReportInput<'_>, format: Format, width: usize) -> Result<String, ReportError> {
    if input.settings != &input.analysis.settings {
        return Err(ReportError::SettingsMismatch);
    }
    let contents = Contents::build(input);
    match format {
        Format::Terminal => Ok(terminal::render(&contents, width)),
        Format::Html => Ok(html::render(&contents)),
        Format::Json => json::render(&contents),
        Format::Csv => csv::render(&contents),
    }
}
