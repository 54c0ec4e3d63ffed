//! The report as `socialledger report` writes it, from data already loaded: the analysis, the models side by
//! side (HTML and JSON only) and the verdict on its first page. The command line and the web app's stored
//! analyses call [`render_report`], so `report --json` and the web app's Overview rest on the same JSON.

use crate::{render_for_width, Format, MmmSection, ReportError, ReportInput};
use chrono::{DateTime, Utc};
use socialledger_analytics::attribution::comparison::compare_models_for_report;
use socialledger_analytics::{analyze, Settings};
use socialledger_decide::verdict::gather::{report_verdict, MixFit};
use socialledger_domain::Dataset;

/// What a report is written with besides the data.
pub struct StandardOptions<'a> {
    pub title: Option<String>,
    pub generated_at: DateTime<Utc>,
    pub format: Format,
    /// Terminal columns (the terminal table only).
    pub width: usize,
    /// The mix model fitted by the caller (`report --mmm`): the verdict reads it. `None` builds the weekly
    /// pipeline panel without a fit.
    pub mix: Option<Result<MixFit, String>>,
    /// The mix model's own section (`report --mmm`).
    pub mmm: Option<&'a MmmSection>,
}

/// The report of `dataset` under `settings`; `posts`: the posts with their metrics (`Store::posts_with_metrics`),
/// for the cross-posting audit of the verdict. The data-driven models are fitted only where they are shown
/// (HTML, JSON); a dataset without deals has no verdict.
pub fn render_report(
    dataset: &Dataset,
    posts: &Dataset,
    settings: &Settings,
    opts: StandardOptions<'_>,
) -> Result<String, ReportError> {
    let analysis = analyze(dataset, settings);
    let comparison = matches!(opts.format, Format::Html | Format::Json)
        .then(|| compare_models_for_report(dataset, settings, &analysis.attribution));
    let verdict = report_verdict(dataset, posts, &analysis, settings, opts.mix);
    render_for_width(
        &ReportInput {
            analysis: &analysis,
            dataset,
            settings,
            generated_at: opts.generated_at,
            title: opts.title,
            comparison: comparison.as_ref(),
            mmm: opts.mmm,
            verdict: verdict.as_ref(),
        },
        opts.format,
        opts.width,
    )
}
