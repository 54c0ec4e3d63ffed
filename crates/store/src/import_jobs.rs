//! Imports started in the web app (`import_jobs`): the progress and outcome of one uploaded file, in the database
//! so that any app server on it can show them (migration 0013). The server that received the file imports it in
//! the background and writes each step here; the pages only read.

use crate::audit::parse_at;
use crate::error::query_error;
use crate::{codec, Result, Store};
use serde::Serialize;
use socialledger_domain::Timestamp;

/// Where an uploaded file's import stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum JobState {
    /// The file is being read and checked.
    Reading,
    /// Its records are being written (`done` of `total`).
    Storing,
    /// Written: `import_id` is the new import.
    Imported,
    /// The same file was imported before (`import_id`): nothing was written.
    Unchanged,
    /// The file has errors (the result lists them): nothing was written.
    Rejected,
    /// The database refused the write: nothing was written.
    Failed,
}

impl JobState {
    pub const ALL: &'static [JobState] = &[
        JobState::Reading,
        JobState::Storing,
        JobState::Imported,
        JobState::Unchanged,
        JobState::Rejected,
        JobState::Failed,
    ];

    pub fn as_str(&self) -> &'static str {
        match self {
            JobState::Reading => "reading",
            JobState::Storing => "storing",
            JobState::Imported => "imported",
            JobState::Unchanged => "unchanged",
            JobState::Rejected => "rejected",
            JobState::Failed => "failed",
        }
    }

    /// True while the import is under way.
    pub fn running(&self) -> bool {
        matches!(self, JobState::Reading | JobState::Storing)
    }
}

/// One uploaded file's import.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ImportJob {
    pub id: i64,
    pub user_id: Option<i64>,
    /// The uploader's e-mail address as it is now.
    pub user_email: Option<String>,
    pub file_name: String,
    pub bytes: u64,
    pub state: JobState,
    pub done: u64,
    pub total: u64,
    pub import_id: Option<i64>,
    /// The outcome as JSON text (written by the web app).
    pub result_json: Option<String>,
    pub started_at: Timestamp,
    pub updated_at: Timestamp,
}

/// A step of a job: what changes in its row.
#[derive(Clone, Debug)]
pub struct JobUpdate<'a> {
    pub state: JobState,
    pub done: u64,
    pub total: u64,
    pub import_id: Option<i64>,
    pub result_json: Option<&'a str>,
}

type Row =
    (i64, Option<i64>, Option<String>, String, i64, String, i64, i64, Option<i64>, Option<String>, String, String);

const SELECT: &str = "SELECT j.id, j.user_id, u.email, j.file_name, j.bytes, j.state, j.done, j.total, j.import_id, \
                      j.result_json, j.started_at, j.updated_at FROM import_jobs j LEFT JOIN users u ON u.id = j.user_id";

fn job(
    (id, user_id, user_email, file_name, bytes, state, done, total, import_id, result_json, started, updated): Row,
) -> Result<ImportJob> {
    let state =
        JobState::ALL.iter().copied().find(|s| s.as_str() == state).ok_or_else(|| crate::StoreError::Corrupt {
            table: "import_jobs",
            column: "state",
            value: state.clone(),
            reason: "not a job state".into(),
        })?;
    Ok(ImportJob {
        id,
        user_id,
        user_email,
        file_name,
        bytes: bytes.max(0) as u64,
        state,
        done: done.max(0) as u64,
        total: total.max(0) as u64,
        import_id,
        result_json,
        started_at: parse_at(&started, "import_jobs", "started_at")?,
        updated_at: parse_at(&updated, "import_jobs", "updated_at")?,
    })
}

fn int(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

impl Store {
    /// Records a new upload (state `reading`); returns its id.
    pub async fn create_import_job(
        &self,
        user_id: Option<i64>,
        file_name: &str,
        bytes: u64,
        now: Timestamp,
    ) -> Result<i64> {
        let now = codec::timestamp_text(now);
        sqlx::query_scalar(
            "INSERT INTO import_jobs (user_id, file_name, bytes, state, started_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $5) RETURNING id",
        )
        .bind(user_id)
        .bind(file_name)
        .bind(int(bytes))
        .bind(JobState::Reading.as_str())
        .bind(now.as_str())
        .fetch_one(&self.pool)
        .await
        .map_err(query_error("recording the upload"))
    }

    /// Writes a step of job `id` while it runs: a job that ended (imported, unchanged, rejected, failed) keeps its
    /// outcome, so a progress update that arrives late (written by a task racing the import's end) cannot turn
    /// "imported" back into "storing".
    pub async fn update_import_job(&self, id: i64, update: &JobUpdate<'_>, now: Timestamp) -> Result<()> {
        sqlx::query(
            "UPDATE import_jobs SET state = $2, done = $3, total = $4, import_id = $5, result_json = $6, \
             updated_at = $7 WHERE id = $1 AND state IN ('reading', 'storing')",
        )
        .bind(id)
        .bind(update.state.as_str())
        .bind(int(update.done))
        .bind(int(update.total))
        .bind(update.import_id)
        .bind(update.result_json)
        .bind(codec::timestamp_text(now))
        .execute(&self.pool)
        .await
        .map_err(query_error(format!("recording the progress of upload {id}")))?;
        Ok(())
    }

    /// Job `id`, if there is one.
    pub async fn import_job(&self, id: i64) -> Result<Option<ImportJob>> {
        let row: Option<Row> = sqlx::query_as(&format!("{SELECT} WHERE j.id = $1"))
            .bind(id)
            .fetch_optional(&self.pool)
            .await
            .map_err(query_error(format!("reading upload {id}")))?;
        row.map(job).transpose()
    }

    /// The latest `limit` jobs, newest first.
    pub async fn import_jobs(&self, limit: u64) -> Result<Vec<ImportJob>> {
        let rows: Vec<Row> = sqlx::query_as(&format!("{SELECT} ORDER BY j.id DESC LIMIT $1"))
            .bind(int(limit))
            .fetch_all(&self.pool)
            .await
            .map_err(query_error("reading the uploads"))?;
        rows.into_iter().map(job).collect()
    }
}
