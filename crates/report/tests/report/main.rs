//! Integration tests of the reports: a small complete company run through the real analytics and rendered in
//! every format. One test binary (`tests/report/main.rs` with its modules beside it).

mod browser;
mod fixture;
mod formats;
mod mmm;
mod safety;
mod truth;

use socialledger_analytics::attribution::comparison::compare_models_for_report;
use socialledger_analytics::{analyze, Analysis};
use socialledger_report::{render, Format, MmmSection, ReportInput};

/// Renders the fixture company in `format` with the fixed `generated_at`.
pub fn rendered(format: Format) -> String {
    rendered_with(format, None)
}

/// [`rendered`] with a mix model section.
pub fn rendered_with(format: Format, mmm: Option<&MmmSection>) -> String {
    let dataset = fixture::dataset();
    let settings = fixture::settings();
    let analysis: Analysis = analyze(&dataset, &settings);
    let comparison = compare_models_for_report(&dataset, &settings, &analysis.attribution);
    let input = ReportInput {
        analysis: &analysis,
        dataset: &dataset,
        settings: &settings,
        generated_at: fixture::generated_at(),
        title: Some("Acme <Widgets> & Co".into()),
        comparison: Some(&comparison),
        mmm,
        verdict: None,
    };
    render(&input, format).expect("the fixture renders")
}
