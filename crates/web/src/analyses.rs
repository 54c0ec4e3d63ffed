//! Stored analyses: the report (`socialledger report --json`) computed once per change of the data, stored in the
//! database (`analysis_cache`) and read by the pages, which never load the data themselves.
//!
//! A page asks [`report`] for the stored result. When the data's fingerprint differs from the one the result was
//! computed from (or there is none yet), the page says so and one background task recomputes it: the recompute is
//! claimed in the database row, so of several requests, and of several app servers on one PostgreSQL database,
//! one computes it; a claim older than [`STALE_CLAIM`] (a server that died while computing) is taken over.

use crate::WebError;
use chrono::Utc;
use socialledger_analytics::Settings;
use socialledger_domain::Dataset;
use socialledger_report::standard::{render_report, StandardOptions};
use socialledger_report::Format;
use socialledger_store::{AnalysisResult, Store};
use std::time::Duration;

/// The kind of the stored report.
pub const REPORT: &str = "report";

/// After this long a recompute claimed by a server is taken to have died with it and may be claimed again.
pub const STALE_CLAIM: Duration = Duration::from_secs(15 * 60);

/// What a page shows: the stored result and whether it is the current data's.
#[derive(Debug)]
pub struct ReportView {
    /// The stored result, possibly of older data.
    pub result: Option<AnalysisResult>,
    /// The report as JSON (`result`'s text, parsed).
    pub json: Option<serde_json::Value>,
    /// The fingerprint of the data now.
    pub fingerprint: String,
    /// True when the data changed since the result (or there is none): a recompute is under way.
    pub recomputing: bool,
    /// Why the last recompute failed, when it did.
    pub failure: Option<String>,
}

impl ReportView {
    /// True when the result is of the data now.
    pub fn is_current(&self) -> bool {
        !self.recomputing
    }
}

/// The stored report and, when the data changed since, the start of its recompute (in the background, once).
pub async fn report(store: &Store) -> Result<ReportView, WebError> {
    let fingerprint = store.data_fingerprint().await?;
    let stored = store.stored_analysis(REPORT).await?;
    let (result, failure) = match stored {
        Some(s) => (s.result, s.failure),
        None => (None, None),
    };
    let current = result.as_ref().is_some_and(|r| r.fingerprint == fingerprint);
    if !current {
        let now = Utc::now();
        let stale_before = now - chrono::Duration::from_std(STALE_CLAIM).unwrap_or(chrono::Duration::minutes(15));
        if store.claim_analysis(REPORT, &fingerprint, now, stale_before).await? {
            let (store, fingerprint) = (store.clone(), fingerprint.clone());
            tokio::spawn(async move {
                if let Err(e) = recompute(&store, fingerprint).await {
                    eprintln!("socialledger web: the stored report could not be computed: {e}");
                    let _ = store.analysis_failed(REPORT, &e.to_string()).await;
                }
            });
        }
    }
    let json = match &result {
        Some(r) => Some(serde_json::from_str(&r.json).map_err(|e| WebError::Analysis(e.to_string()))?),
        None => None,
    };
    Ok(ReportView { result, json, fingerprint, recomputing: !current, failure })
}

/// Computes the report of the data now, as `socialledger report --json` prints it with its default settings,
/// and stores it labelled with `fingerprint` (read before the data is loaded: data landing in between leaves the
/// result labelled older, so it is computed once more rather than passed off as current).
pub async fn recompute(store: &Store, fingerprint: String) -> Result<AnalysisResult, WebError> {
    let dataset = store.load_for_analysis().await?;
    let posts = if dataset.deals.is_empty() { Dataset::default() } else { store.posts_with_metrics().await? };
    let computed_at = Utc::now();
    let json = tokio::task::spawn_blocking(move || report_json(&dataset, &posts, computed_at))
        .await
        .map_err(|e| WebError::Analysis(format!("the analysis stopped: {e}")))??;
    let result = AnalysisResult { fingerprint, json, computed_at };
    store.save_analysis(REPORT, &result).await?;
    Ok(result)
}

/// The report's JSON with the command line's default settings: the same function `socialledger report` calls.
pub fn report_json(
    dataset: &Dataset,
    posts: &Dataset,
    generated_at: chrono::DateTime<Utc>,
) -> Result<String, WebError> {
    let opts = StandardOptions { title: None, generated_at, format: Format::Json, width: 100, mix: None, mmm: None };
    render_report(dataset, posts, &Settings::default(), opts).map_err(|e| WebError::Analysis(e.to_string()))
}
