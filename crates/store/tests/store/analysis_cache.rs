//! Stored analyses (migration 0006): the data's fingerprint changes with an import and only then, and one of
//! several claims of the same recompute wins until the claim goes stale or the result is stored.

use crate::support::{on_both, quiet, source};
use chrono::{Duration, TimeZone, Utc};
use socialledger_domain::{Dataset, Timestamp};
use socialledger_store::{AnalysisHead, AnalysisResult};

fn at(minutes: i64) -> Timestamp {
    Utc.with_ymd_and_hms(2026, 1, 5, 9, 0, 0).unwrap() + Duration::minutes(minutes)
}

#[tokio::test]
async fn fingerprint_changes_with_an_import_and_one_claim_wins() {
    on_both("analysis_cache", |db| async move {
        let store = db.open().await;
        let empty = store.data_fingerprint().await.unwrap();
        assert_eq!(store.data_fingerprint().await.unwrap(), empty, "nothing changed");
        store.import(&source("a.csv", "hash-a", 0), &Dataset::default(), &quiet).await.unwrap();
        let after = store.data_fingerprint().await.unwrap();
        assert_ne!(after, empty, "an import changes it");
        store.import(&source("a.csv", "hash-a", 0), &Dataset::default(), &quiet).await.unwrap();
        assert_eq!(store.data_fingerprint().await.unwrap(), after, "the same file again changes nothing");

        assert!(store.stored_analysis("report").await.unwrap().is_none());
        assert!(store.stored_analysis_head("report").await.unwrap().is_none());
        assert!(store.claim_analysis("report", &after, at(0), at(-15)).await.unwrap(), "the first claim wins");
        assert!(!store.claim_analysis("report", &after, at(1), at(-14)).await.unwrap(), "the same one is taken");
        assert!(store.claim_analysis("report", &after, at(20), at(5)).await.unwrap(), "a stale claim is taken over");
        let result = AnalysisResult { fingerprint: after.clone(), json: "{}".into(), computed_at: at(21) };
        store.save_analysis("report", &result).await.unwrap();
        let stored = store.stored_analysis("report").await.unwrap().unwrap();
        let head = store.stored_analysis_head("report").await.unwrap().unwrap();
        assert_eq!(head, AnalysisHead { stamp: Some(result.stamp()), failure: None }, "the head names the result");
        assert_eq!((stored.result, stored.computing, stored.failure), (Some(result), None, None));
        assert!(store.claim_analysis("report", "other data", at(22), at(7)).await.unwrap(), "new data: a new claim");
        store.analysis_failed("report", "out of memory").await.unwrap();
        assert!(!store.claim_analysis("report", "other data", at(23), at(8)).await.unwrap(), "no retry per request");
        assert_eq!(store.stored_analysis("report").await.unwrap().unwrap().failure.as_deref(), Some("out of memory"));
        let head = store.stored_analysis_head("report").await.unwrap().unwrap();
        assert_eq!(head.failure.as_deref(), Some("out of memory"), "the head carries the failure");
        assert_eq!(head.stamp.map(|s| s.computed_at), Some(at(21)), "and still the last result");
    })
    .await;
}
