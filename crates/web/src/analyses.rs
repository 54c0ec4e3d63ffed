//! Stored analyses: the report (`socialledger report --mmm --json`, kind [`REPORT`]) and the mix model (`report
//! --mmm`'s section, kind [`MIX`]), each computed once per change of the data, stored in the database
//! (`analysis_cache`) and read by the pages, which never load the data themselves.
//!
//! A page asks [`report`] (or [`mix`]) for the stored result. When the data's fingerprint differs from the one the result was
//! computed from (or there is none yet), the page says so and one background task recomputes it: the recompute is
//! claimed in the database row, so of several requests, and of several app servers on one PostgreSQL database,
//! one computes it; a claim older than [`STALE_CLAIM`] (a server that died while computing) is taken over.
//!
//! Both are computed with the workspace's stored analysis settings ([`analysis_settings`], the Settings page's),
//! which `socialledger report` reads as its defaults too. A change of the settings changes the data's fingerprint
//! (it reads the settings' latest change), so the stored results become stale and the next page view recomputes
//! them; each result carries the settings it was computed with (`settings` in its JSON), which the pages show.

use crate::state::AppState;
use crate::WebError;
use chrono::Utc;
use serde_json::Value;
use socialledger_analytics::{stored_settings, Settings};
use socialledger_domain::Dataset;
use socialledger_report::standard::{render_report, report_mix, StandardOptions};
use socialledger_report::Format;
use socialledger_store::{AnalysisHead, AnalysisResult, AnalysisStamp, Store};
use std::collections::HashMap;
use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// The kind of the stored report.
pub const REPORT: &str = "report";

/// The kind of the stored mix model: the default weekly pipeline panel fitted as `report --mmm` fits it
/// ([`report_mix`]: seed 0, cross-validated), its section rendered, or why the data cannot support one.
pub const MIX: &str = "mix";

/// The seed of the mix model's sampler: `report --mmm`'s.
pub const MIX_SEED: u64 = socialledger_report::standard::MIX_SEED;

/// After this long a recompute claimed by a server is taken to have died with it and may be claimed again.
pub const STALE_CLAIM: Duration = Duration::from_secs(15 * 60);

/// The stored analyses this server parsed, each with the stamp of the stored row it was parsed from: a page reads
/// the row's stamp (fingerprint and computed_at, a few bytes) and reads and parses the JSON (the report's is about
/// 200 KB) only when another result was stored since, by this server or any other. A cache checked against the
/// database on every request, so it holds nothing another server would need.
#[derive(Debug, Default)]
pub struct ParsedAnalyses(Mutex<HashMap<&'static str, (AnalysisStamp, Arc<Value>)>>);

impl ParsedAnalyses {
    /// The parsed JSON of `kind` when it was parsed from the result `stamp` names.
    fn get(&self, kind: &str, stamp: &AnalysisStamp) -> Option<Arc<Value>> {
        let parsed = self.0.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        parsed.get(kind).filter(|(at, _)| at == stamp).map(|(_, json)| Arc::clone(json))
    }

    fn put(&self, kind: &'static str, stamp: AnalysisStamp, json: Arc<Value>) {
        let mut parsed = self.0.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        parsed.insert(kind, (stamp, json));
    }
}

/// What a page shows: the stored result and whether it is the current data's.
#[derive(Debug)]
pub struct ReportView {
    /// Which result is stored (possibly of older data): its fingerprint and when it was computed.
    pub result: Option<AnalysisStamp>,
    /// The result as JSON (for [`REPORT`]: what `socialledger report --mmm --json` prints), parsed once per server.
    pub json: Option<Arc<Value>>,
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
pub async fn report(state: &AppState) -> Result<ReportView, WebError> {
    stored(state, REPORT).await
}

/// The stored mix model and, when the data changed since, the start of its recompute (in the background, once).
pub async fn mix(state: &AppState) -> Result<ReportView, WebError> {
    stored(state, MIX).await
}

/// The stored analysis of `kind` ([`REPORT`] or [`MIX`]) and, when the data changed since, the start of its
/// recompute (in the background, once).
async fn stored(state: &AppState, kind: &'static str) -> Result<ReportView, WebError> {
    let store = &state.store;
    let fingerprint = store.data_fingerprint().await?;
    let AnalysisHead { stamp, failure } = store.stored_analysis_head(kind).await?.unwrap_or_default();
    let current = stamp.as_ref().is_some_and(|s| s.fingerprint == fingerprint);
    if !current {
        refresh_in_background(store, kind, &fingerprint, move |store, fingerprint| async move {
            match kind {
                MIX => recompute_mix(&store, fingerprint).await.map(drop),
                _ => recompute(&store, fingerprint).await.map(drop),
            }
        })
        .await?;
    }
    let (result, json) = match stamp {
        None => (None, None),
        Some(stamp) => match state.parsed.get(kind, &stamp) {
            Some(json) => (Some(stamp), Some(json)),
            // Parsed from the row as read now: a result stored since the head was read is taken with its own stamp.
            None => match store.stored_analysis(kind).await?.and_then(|s| s.result) {
                Some(result) => {
                    let json: Value =
                        serde_json::from_str(&result.json).map_err(|e| WebError::Analysis(e.to_string()))?;
                    let (stamp, json) = (result.stamp(), Arc::new(json));
                    state.parsed.put(kind, stamp.clone(), Arc::clone(&json));
                    (Some(stamp), Some(json))
                }
                None => (None, None),
            },
        },
    };
    Ok(ReportView { result, json, fingerprint, recomputing: !current, failure })
}

/// Claims the recompute of the stored analysis `kind` for `fingerprint` ([`Store::claim_analysis`]) and, when this
/// server won the claim, runs `compute` in a background task; a failure is stored with the row (shown by the
/// pages) and the claim stays, so the same data is not tried again on every request.
pub(crate) async fn refresh_in_background<F, Fut>(
    store: &Store,
    kind: &'static str,
    fingerprint: &str,
    compute: F,
) -> Result<(), WebError>
where
    F: FnOnce(Store, String) -> Fut + Send + 'static,
    Fut: Future<Output = Result<(), WebError>> + Send + 'static,
{
    let now = Utc::now();
    let stale_before = now - chrono::Duration::from_std(STALE_CLAIM).unwrap_or(chrono::Duration::minutes(15));
    if store.claim_analysis(kind, fingerprint, now, stale_before).await? {
        let (store, fingerprint) = (store.clone(), fingerprint.to_string());
        tokio::spawn(async move {
            if let Err(e) = compute(store.clone(), fingerprint).await {
                eprintln!("socialledger web: the stored analysis {kind:?} could not be computed: {e}");
                let _ = store.analysis_failed(kind, &e.to_string()).await;
            }
        });
    }
    Ok(())
}

/// Computes the report of the data now, as `socialledger report --mmm --json` prints it with the stored settings,
/// and stores it labelled with `fingerprint` (read before the data is loaded: data landing in between leaves the
/// result labelled older, so it is computed once more rather than passed off as current).
pub async fn recompute(store: &Store, fingerprint: String) -> Result<AnalysisResult, WebError> {
    let settings = analysis_settings(store).await?;
    let dataset = store.load_for_analysis().await?;
    let posts = if dataset.deals.is_empty() { Dataset::default() } else { store.posts_with_metrics().await? };
    let computed_at = Utc::now();
    let json = tokio::task::spawn_blocking(move || report_json(&dataset, &posts, &settings, computed_at))
        .await
        .map_err(|e| WebError::Analysis(format!("the analysis stopped: {e}")))??;
    let result = AnalysisResult { fingerprint, json, computed_at };
    store.save_analysis(REPORT, &result).await?;
    Ok(result)
}

/// The workspace's analysis settings: the defaults with what the Settings page stored (the same
/// `stored_settings::from_stored` the command line reads). A stored value that does not parse fails the analysis
/// with a message naming the key, rather than being replaced silently.
pub async fn analysis_settings(store: &Store) -> Result<Settings, WebError> {
    let pairs = store.settings().await?;
    stored_settings::from_stored(&pairs).map_err(|e| WebError::Analysis(e.to_string()))
}

/// The report's JSON with `settings` (the stored ones, see [`analysis_settings`]) as `socialledger report --mmm
/// --json` prints it: the same functions, the mix model fitted the same way ([`report_mix`]) for its section and
/// for the verdict, which reads it. So the Overview shows the verdicts of `report --mmm` and of the demo's
/// report.html (`report --json` without `--mmm` leaves the mix model out of its verdict, which may then say
/// "undecided" where the mix model decides).
pub fn report_json(
    dataset: &Dataset,
    posts: &Dataset,
    settings: &Settings,
    generated_at: chrono::DateTime<Utc>,
) -> Result<String, WebError> {
    let (mix, section) = report_mix(dataset, settings, |_| ());
    let opts = StandardOptions {
        title: None,
        generated_at,
        format: Format::Json,
        width: 100,
        mix: Some(mix),
        mmm: section.as_ref(),
    };
    render_report(dataset, posts, settings, opts).map_err(|e| WebError::Analysis(e.to_string()))
}

/// Computes the mix model of the data now (see [`mix_json`]) and stores it labelled with `fingerprint` (read
/// before the data is loaded, as in [`recompute`]).
pub async fn recompute_mix(store: &Store, fingerprint: String) -> Result<AnalysisResult, WebError> {
    let settings = analysis_settings(store).await?;
    let dataset = store.load_for_analysis().await?;
    let computed_at = Utc::now();
    let json = tokio::task::spawn_blocking(move || mix_json(&dataset, &settings))
        .await
        .map_err(|e| WebError::Analysis(format!("the mix model stopped: {e}")))??;
    let result = AnalysisResult { fingerprint, json, computed_at };
    store.save_analysis(MIX, &result).await?;
    Ok(result)
}

/// The mix model as the Mix page shows it, with `settings` (the stored ones): the fit of [`report_mix`] (what
/// `report --mmm` fits, and the stored report's verdict reads), as JSON:
/// `{"available": true, "mmm": {..the fields of mmm fit --json.., "allocation", "value_of_target"}, "html": ..}`
/// where `html` is the report's own section (`socialledger_report::mmm::html::section`: maud-escaped, with its
/// SVG charts), or `{"available": false, "reason": ..}` when the data cannot support a mix model (too few weeks,
/// no inputs) or the fit fails. Either carries `settings`, the settings it was computed with.
pub fn mix_json(dataset: &Dataset, settings: &Settings) -> Result<String, WebError> {
    let mut doc = match report_mix(dataset, settings, |_| ()) {
        (Ok(_), Some(section)) => {
            let mut mmm = serde_json::to_value(&section.result).map_err(|e| WebError::Analysis(e.to_string()))?;
            if let Some(fields) = mmm.as_object_mut() {
                let to_value =
                    |v: serde_json::Result<serde_json::Value>| v.map_err(|e| WebError::Analysis(e.to_string()));
                fields.insert("allocation".into(), to_value(serde_json::to_value(&section.allocation))?);
                fields.insert("value_of_target".into(), to_value(serde_json::to_value(&section.value_of_target))?);
            }
            let html = socialledger_report::mmm::html::section(&section).into_string();
            serde_json::json!({ "available": true, "mmm": mmm, "html": html })
        }
        (Ok(_), None) => serde_json::json!({ "available": false, "reason": "the mix model was not fitted" }),
        (Err(reason), _) => serde_json::json!({ "available": false, "reason": reason }),
    };
    doc["settings"] = serde_json::to_value(settings).map_err(|e| WebError::Analysis(e.to_string()))?;
    serde_json::to_string(&doc).map_err(|e| WebError::Analysis(e.to_string()))
}
