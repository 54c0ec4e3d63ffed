//! Stored analyses (`analysis_cache`): a result computed once per change of the data, with the fingerprint of the
//! data it was computed from, read by every page and every app server instead of loading the data per request.
//!
//! The fingerprint ([`Store::data_fingerprint`]) is cheap on both backends: it reads the `imports` table (one row
//! per import, small) and the settings' latest change. Every write of data makes or updates an `imports` row
//! (imports, streamed imports with their final row count, channel merges), so equal fingerprints mean equal data.
//! A recompute is claimed in the row ([`Store::claim_analysis`], one atomic statement), so several servers on one
//! PostgreSQL database start one recompute per change between them and keep nothing in their own memory.

use crate::audit::parse_at;
use crate::error::query_error;
use crate::{codec, Result, Store};
use socialledger_domain::Timestamp;

/// A stored analysis and any recompute under way.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredAnalysis {
    /// The last result, when there is one.
    pub result: Option<AnalysisResult>,
    /// The fingerprint a recompute is under way for, and since when.
    pub computing: Option<(String, Timestamp)>,
    /// Why the last recompute failed.
    pub failure: Option<String>,
}

/// A computed result and the data it was computed from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AnalysisResult {
    pub fingerprint: String,
    /// The analysis as JSON text (for `report`: what `socialledger report --json` prints).
    pub json: String,
    pub computed_at: Timestamp,
}

impl AnalysisResult {
    /// Which result this is: its fingerprint and when it was computed.
    pub fn stamp(&self) -> AnalysisStamp {
        AnalysisStamp { fingerprint: self.fingerprint.clone(), computed_at: self.computed_at }
    }
}

/// Which result is stored, without its JSON: what a server compares with the result it parsed before, so a page
/// reads the (large) JSON only when another result was stored since.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AnalysisStamp {
    pub fingerprint: String,
    pub computed_at: Timestamp,
}

/// The stored analysis without its JSON ([`Store::stored_analysis_head`]).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AnalysisHead {
    /// The last result's stamp, when there is one.
    pub stamp: Option<AnalysisStamp>,
    /// Why the last recompute failed.
    pub failure: Option<String>,
}

type Row = (String, Option<String>, Option<String>, Option<String>, Option<String>, Option<String>, Option<String>);

impl Store {
    /// Which data an analysis would be computed from: `imports:COUNT:MAX_ID:SUM_ROWS;settings:LATEST_CHANGE`
    /// (`imports:COUNT:MAX_ID:SUM_ROWS:undone:N;...` once N imports were undone: an undo changes the data too).
    /// Read it before loading the data: a change landing in between then leaves the result labelled with the older
    /// fingerprint, so it is computed once more rather than kept as current by mistake.
    pub async fn data_fingerprint(&self) -> Result<String> {
        // One statement (every page asks for it): the imports' summary and the settings' latest change.
        let (count, max_id, rows, undone, settings): (i64, i64, i64, i64, String) = sqlx::query_as(
            "SELECT COUNT(*), COALESCE(MAX(id), 0), CAST(COALESCE(SUM(rows), 0) AS BIGINT), COUNT(undone_at), \
             (SELECT COALESCE(MAX(updated_at), '') FROM settings) FROM imports",
        )
        .fetch_one(&self.pool)
        .await
        .map_err(query_error("reading the imports and settings for the data's fingerprint"))?;
        let undone = if undone > 0 { format!(":undone:{undone}") } else { String::new() };
        Ok(format!("imports:{count}:{max_id}:{rows}{undone};settings:{settings}"))
    }

    /// The stored analysis of `kind`, or `None` when none was ever computed or claimed.
    pub async fn stored_analysis(&self, kind: &str) -> Result<Option<StoredAnalysis>> {
        let row: Option<Row> = sqlx::query_as(
            "SELECT kind, fingerprint, result_json, computed_at, computing_for, computing_since, failure \
             FROM analysis_cache WHERE kind = $1",
        )
        .bind(kind)
        .fetch_optional(&self.pool)
        .await
        .map_err(query_error(format!("reading the stored analysis {kind:?}")))?;
        let Some((_, fingerprint, json, computed_at, computing_for, computing_since, failure)) = row else {
            return Ok(None);
        };
        let result = match (fingerprint, json, computed_at) {
            (Some(fingerprint), Some(json), Some(at)) => {
                Some(AnalysisResult { fingerprint, json, computed_at: parse_at(&at, "analysis_cache", "computed_at")? })
            }
            _ => None,
        };
        let computing = match (computing_for, computing_since) {
            (Some(fp), Some(since)) => Some((fp, parse_at(&since, "analysis_cache", "computing_since")?)),
            _ => None,
        };
        Ok(Some(StoredAnalysis { result, computing, failure }))
    }

    /// The stamp of the stored analysis of `kind` and why its last recompute failed, without its JSON; `None` when
    /// none was ever computed or claimed.
    pub async fn stored_analysis_head(&self, kind: &str) -> Result<Option<AnalysisHead>> {
        let row: Option<(Option<String>, Option<String>, Option<String>)> =
            sqlx::query_as("SELECT fingerprint, computed_at, failure FROM analysis_cache WHERE kind = $1")
                .bind(kind)
                .fetch_optional(&self.pool)
                .await
                .map_err(query_error(format!("reading the stored analysis {kind:?}")))?;
        let Some((fingerprint, computed_at, failure)) = row else {
            return Ok(None);
        };
        let stamp = match (fingerprint, computed_at) {
            (Some(fingerprint), Some(at)) => {
                Some(AnalysisStamp { fingerprint, computed_at: parse_at(&at, "analysis_cache", "computed_at")? })
            }
            _ => None,
        };
        Ok(Some(AnalysisHead { stamp, failure }))
    }

    /// Claims the recompute of `kind` for `fingerprint`: true when this caller should compute it, false when
    /// another claimed the same fingerprint after `stale_before` (it is computing it). One atomic statement per
    /// step, so of several servers asking at once one gets true.
    pub async fn claim_analysis(
        &self,
        kind: &str,
        fingerprint: &str,
        now: Timestamp,
        stale_before: Timestamp,
    ) -> Result<bool> {
        let now = codec::timestamp_text(now);
        let doing = || query_error(format!("claiming the recompute of the stored analysis {kind:?}"));
        let inserted = sqlx::query(
            "INSERT INTO analysis_cache (kind, computing_for, computing_since) VALUES ($1, $2, $3) \
             ON CONFLICT (kind) DO NOTHING",
        )
        .bind(kind)
        .bind(fingerprint)
        .bind(now.as_str())
        .execute(&self.pool)
        .await
        .map_err(doing())?;
        if inserted.rows_affected() == 1 {
            return Ok(true);
        }
        let updated = sqlx::query(
            "UPDATE analysis_cache SET computing_for = $2, computing_since = $3 WHERE kind = $1 \
             AND (computing_for IS NULL OR computing_since IS NULL OR computing_for <> $2 OR computing_since < $4)",
        )
        .bind(kind)
        .bind(fingerprint)
        .bind(now.as_str())
        .bind(codec::timestamp_text(stale_before))
        .execute(&self.pool)
        .await
        .map_err(doing())?;
        Ok(updated.rows_affected() == 1)
    }

    /// Stores a computed result and ends the claim of its recompute.
    pub async fn save_analysis(&self, kind: &str, result: &AnalysisResult) -> Result<()> {
        sqlx::query(
            "INSERT INTO analysis_cache (kind, fingerprint, result_json, computed_at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (kind) DO UPDATE SET fingerprint = excluded.fingerprint, \
             result_json = excluded.result_json, computed_at = excluded.computed_at, computing_for = NULL, \
             computing_since = NULL, failure = NULL",
        )
        .bind(kind)
        .bind(result.fingerprint.as_str())
        .bind(result.json.as_str())
        .bind(codec::timestamp_text(result.computed_at))
        .execute(&self.pool)
        .await
        .map_err(query_error(format!("storing the analysis {kind:?}")))?;
        Ok(())
    }

    /// Records why a recompute failed. The claim stays: the same data is tried again once the claim is stale (or at
    /// once when the data changes), not on every request.
    pub async fn analysis_failed(&self, kind: &str, message: &str) -> Result<()> {
        sqlx::query("UPDATE analysis_cache SET failure = $2 WHERE kind = $1")
            .bind(kind)
            .bind(message)
            .execute(&self.pool)
            .await
            .map_err(query_error(format!("recording the failure of the analysis {kind:?}")))?;
        Ok(())
    }
}
