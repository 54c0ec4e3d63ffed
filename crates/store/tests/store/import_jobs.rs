//! Uploads' progress rows (`import_jobs`, migration 0013): each step is written while the job runs, and an ended
//! job keeps its outcome whatever progress update arrives after it.

use crate::support::on_both;
use chrono::{Duration, TimeZone, Utc};
use socialledger_store::{JobState, JobUpdate};

#[tokio::test]
async fn an_ended_upload_keeps_its_outcome_when_a_late_progress_update_arrives() {
    on_both("import_jobs_final", |db| async move {
        let store = db.open().await;
        let t0 = Utc.with_ymd_and_hms(2026, 3, 2, 10, 0, 0).unwrap();
        let job = store.create_import_job(None, "posts.csv", 1234, t0).await.unwrap();
        let storing =
            |done| JobUpdate { state: JobState::Storing, done, total: 10, import_id: None, result_json: None };
        store.update_import_job(job, &storing(4), t0 + Duration::seconds(1)).await.unwrap();
        let read = store.import_job(job).await.unwrap().unwrap();
        assert_eq!((read.state, read.done, read.total), (JobState::Storing, 4, 10), "a step while it runs");

        let done = JobUpdate { state: JobState::Imported, done: 0, total: 0, import_id: None, result_json: Some("{}") };
        store.update_import_job(job, &done, t0 + Duration::seconds(2)).await.unwrap();
        // The progress ticker's last update, racing the import's end, lands after it.
        store.update_import_job(job, &storing(9), t0 + Duration::seconds(3)).await.unwrap();
        let read = store.import_job(job).await.unwrap().unwrap();
        assert_eq!(read.state, JobState::Imported, "the outcome stays");
        assert_eq!(read.result_json.as_deref(), Some("{}"));
        assert_eq!(read.updated_at, t0 + Duration::seconds(2), "the late update wrote nothing");
    })
    .await;
}
