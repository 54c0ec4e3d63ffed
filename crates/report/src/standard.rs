//! The report as `socialledger report` writes it, from data already loaded: the analysis, the models side by
//! side (HTML and JSON only) and the verdict on its first page. The command line and the web app's stored
//! analyses call [`render_report`], so `report --json` and the web app's Overview rest on the same JSON.

use crate::{render_for_width, Format, MmmSection, ReportError, ReportInput};
use chrono::{DateTime, Utc};
use socialledger_analytics::attribution::comparison::compare_models_for_report;
use socialledger_analytics::{analyze, Settings};
use socialledger_decide::verdict::gather::{fitted_pipeline_mix, report_verdict, MixFit};
use socialledger_domain::Dataset;
use socialledger_mmm::result::Check;

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

/// The seed of the mix model's sampler wherever a report fits it: `report --mmm`, the demo's report and the web
/// app's stored report, so that the three show the same verdicts and figures.
pub const MIX_SEED: u64 = 0;

/// The mix model of a report (`report --mmm`, the demo's report, the web app's stored report and Mix page): the
/// default weekly pipeline panel fitted with seed [`MIX_SEED`], cross-validated (`on_fallback` hears that the
/// fast approximation failed, before the slower sampling starts), and its section when there is a fit. `Err`
/// says why the data cannot support one (too few weeks, no inputs) or why the fit failed.
pub fn report_mix(
    dataset: &Dataset,
    settings: &Settings,
    on_fallback: impl FnOnce(&Check),
) -> (Result<MixFit, String>, Option<MmmSection>) {
    let mix = fitted_pipeline_mix(dataset, settings, MIX_SEED, true, on_fallback);
    let section = mix.as_ref().ok().and_then(|m| m.fitted.as_ref().map(|f| MmmSection::of_fit(&m.panel, f, &m.value)));
    (mix, section)
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
    let mut texts = render_reports(dataset, posts, settings, opts, &[])?;
    Ok(texts.swap_remove(0))
}

/// [`render_report`] in `opts.format` and then in each of `also` (format and terminal width), from one
/// analysis and one verdict: what the demo writes (its HTML file and the table it prints).
pub fn render_reports(
    dataset: &Dataset,
    posts: &Dataset,
    settings: &Settings,
    opts: StandardOptions<'_>,
    also: &[(Format, usize)],
) -> Result<Vec<String>, ReportError> {
    let formats: Vec<(Format, usize)> =
        std::iter::once((opts.format, opts.width)).chain(also.iter().copied()).collect();
    let analysis = analyze(dataset, settings);
    let comparison = formats
        .iter()
        .any(|(format, _)| matches!(format, Format::Html | Format::Json))
        .then(|| compare_models_for_report(dataset, settings, &analysis.attribution));
    let verdict = report_verdict(dataset, posts, &analysis, settings, opts.mix);
    let input = ReportInput {
        analysis: &analysis,
        dataset,
        settings,
        generated_at: opts.generated_at,
        title: opts.title,
        comparison: comparison.as_ref(),
        mmm: opts.mmm,
        verdict: verdict.as_ref(),
    };
    formats.iter().map(|&(format, width)| render_for_width(&input, format, width)).collect()
}
