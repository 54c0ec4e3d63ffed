//! The Imports page: the history of imports (file, format, rows, when, who, what each wrote, undone or not), the
//! upload form, an uploaded file's progress and outcome, and the undo of a whole import.
//!
//! **Upload.** `POST /imports` takes one file (multipart, field `file`, at most [`MAX_UPLOAD_BYTES`]), records it in
//! `import_jobs` and imports it in a background task on this server; the browser is sent to `/imports?job=ID`,
//! which reloads itself (`<meta http-equiv="refresh">`, no script) while the job's row says it runs, so that any
//! app server on the database can show its progress. The file goes the way `socialledger import` takes a file:
//! `socialledger_import::import_file` recognises the format and reads it, `Store::import` writes it in one
//! transaction (so a file with an error changes nothing), and a file imported before changes nothing either.
//!
//! **Undo.** `POST /imports/{id}/undo` is `Store::undo_import` with the user as actor (audited by the store); a
//! refusal (a later import changed its rows) is shown on the page with what to do.
//!
//! Both change the data, so the stored analyses' fingerprint changes and the pages recompute them on their next
//! view, as after `socialledger import` (see `crate::analyses`).

use crate::access::SignedIn;
use crate::pages::{csrf_field, layout_with_head, page, see_other};
use crate::routes::{Endpoint, Method, ROUTES};
use crate::state::AppState;
use crate::WebError;
use axum::body::Bytes;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use chrono::Utc;
use maud::{html, Markup};
use serde::{Deserialize, Serialize};
use socialledger_domain::Role;
use socialledger_import::ImportOptions;
use socialledger_store::{
    AuditAction, ImportJob, ImportOutcome, ImportRecord, ImportSource, JobState, JobUpdate, NewAuditEntry, Store,
    StoreError, MERGE_FORMAT,
};
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

/// The largest file the page accepts (larger ones: `socialledger import`, which streams big touchpoints files).
pub const MAX_UPLOAD_BYTES: usize = 256 * 1024 * 1024;

/// How often a running job's page reloads itself, and how often the storing step writes its progress.
const REFRESH_SECONDS: u32 = 1;

/// A job whose row has not moved for this long belongs to a server that stopped while importing.
const STALLED_AFTER: chrono::Duration = chrono::Duration::minutes(15);

/// The page's query: the upload to show, or the import just undone.
#[derive(Deserialize, Default)]
pub struct PageQuery {
    job: Option<String>,
    undone: Option<String>,
}

/// What a job's outcome says, stored as its `result_json`.
#[derive(Serialize, Deserialize, Default)]
struct JobResult {
    #[serde(default)]
    format: Option<String>,
    #[serde(default)]
    rows: usize,
    #[serde(default)]
    counts: Vec<CountRow>,
    #[serde(default)]
    notes: Vec<String>,
    #[serde(default)]
    placeholder_channels: Vec<String>,
    #[serde(default)]
    errors: Vec<String>,
    /// When unchanged: the earlier import of the same file.
    #[serde(default)]
    earlier: Option<Earlier>,
}

#[derive(Serialize, Deserialize)]
struct CountRow {
    table: String,
    records: u64,
    duplicates: u64,
    inserted: u64,
    updated: u64,
    unchanged: u64,
}

#[derive(Serialize, Deserialize)]
struct Earlier {
    import_id: i64,
    at: String,
    file_name: String,
}

fn allowed(endpoint: Endpoint, method: Method, role: Role) -> bool {
    ROUTES.iter().find(|r| r.endpoint == endpoint && r.method == method).is_some_and(|r| r.access.allows(role))
}

/// `GET /imports`: the history, the upload form, and the upload `?job=ID` or the undo `?undone=ID` just made.
pub async fn show(
    State(state): State<AppState>,
    me: SignedIn,
    Query(query): Query<PageQuery>,
) -> Result<Response, WebError> {
    let job = match query.job.as_deref().map(str::parse::<i64>) {
        Some(Ok(id)) => Some(state.store.import_job(id).await?.ok_or(id)),
        Some(Err(_)) => Some(Err(0)),
        None => None,
    };
    let notice =
        query.undone.as_deref().and_then(|id| id.parse::<i64>().ok()).map(|id| {
            format!("Import {id} was undone: what it added is deleted, what it changed is as it was before.")
        });
    render(&state, &me, StatusCode::OK, notice, None, job).await
}

/// The page with an optional notice, an optional problem and the job to show.
async fn render(
    state: &AppState,
    me: &SignedIn,
    status: StatusCode,
    notice: Option<String>,
    problem: Option<String>,
    job: Option<Result<ImportJob, i64>>,
) -> Result<Response, WebError> {
    let imports = state.store.imports().await?;
    let jobs = state.store.import_jobs(500).await?;
    let running = matches!(&job, Some(Ok(j)) if j.state.running() && !stalled(j));
    let head = if running {
        html! { meta http-equiv="refresh" content=(REFRESH_SECONDS.to_string()); }
    } else {
        html! {}
    };
    let may_import = allowed(Endpoint::ImportUpload, Method::Post, me.user.role);
    let may_undo = allowed(Endpoint::ImportUndo, Method::Post, me.user.role);
    let body = html! {
        @if let Some(n) = &notice { p.notice { (n) } }
        @if let Some(p) = &problem { p.notice.problem { (p) } }
        @match &job {
            Some(Ok(j)) => (job_panel(j)),
            Some(Err(id)) => p.notice { "There is no upload " (id) "." },
            None => {},
        }
        @if may_import {
            h2 { "Import a file" }
            p { "Any export socialledger recognises (" code { "socialledger formats" } " lists them), up to "
                (MAX_UPLOAD_BYTES / 1024 / 1024) " MB; larger files with " code { "socialledger import" } ". A file with an error changes nothing; the same file twice is imported once." }
            form method="post" action="/imports" enctype="multipart/form-data" {
                (csrf_field(&me.csrf_token))
                label { "File " input type="file" name="file" required; }
                " "
                button type="submit" { "Import" }
            }
        }
        h2 { "History" }
        (history(&imports, &jobs, may_undo, &me.csrf_token))
    };
    Ok(page(status, layout_with_head("Imports", Some(me), head, body)))
}

fn stalled(job: &ImportJob) -> bool {
    Utc::now() - job.updated_at > STALLED_AFTER
}

/// One upload's progress or outcome.
fn job_panel(job: &ImportJob) -> Markup {
    let result: JobResult = job.result_json.as_deref().and_then(|j| serde_json::from_str(j).ok()).unwrap_or_default();
    html! {
        section.job {
            h2 { "Upload of " (job.file_name) }
            @if job.state.running() && stalled(job) {
                p.notice.problem { "This upload stopped at " (job.updated_at.format("%Y-%m-%d %H:%M UTC"))
                    " (its server stopped?); nothing of it was written. Upload the file again." }
            } @else {
            @match job.state {
                JobState::Reading => p.notice { "Reading " (job.file_name) " (" (job.bytes) " bytes)…" },
                JobState::Storing => p.notice { "Storing " (job.file_name) ": " (job.done) " of " (job.total) " records…" },
                JobState::Imported => {
                    p.notice { "Imported " (job.file_name) " as " (result.format.as_deref().unwrap_or("?"))
                        " (" (result.rows) " rows) as import " (job.import_id.unwrap_or_default()) "." }
                    (counts_table(&result.counts))
                    @if !result.placeholder_channels.is_empty() {
                        p { "Channels referred to but defined nowhere, created with their key as name: "
                            (result.placeholder_channels.join(", ")) }
                    }
                    @for note in &result.notes { p.note { (note) } }
                }
                JobState::Unchanged => {
                    @match &result.earlier {
                        Some(e) => p.notice { "Already imported: the same file was imported as import " (e.import_id)
                            " (" (e.file_name) ", " (e.at) "); nothing changed." },
                        None => p.notice { "Already imported; nothing changed." },
                    }
                }
                JobState::Rejected => {
                    p.notice.problem { "Not imported: " (job.file_name) " has errors, so nothing was written. Fix them and upload the file again." }
                    ul.errors { @for e in &result.errors { li { (e) } } }
                }
                JobState::Failed => {
                    p.notice.problem { "Not imported: the database refused " (job.file_name) "; nothing was written." }
                    ul.errors { @for e in &result.errors { li { (e) } } }
                }
            }
            }
        }
    }
}

fn counts_table(counts: &[CountRow]) -> Markup {
    html! {
        table.counts {
            thead { tr { th { "table" } th { "records" } th { "new" } th { "changed" } th { "unchanged" } th { "duplicates in the file" } } }
            tbody {
                @for c in counts {
                    tr {
                        td { (c.table) }
                        td.num { (c.records) }
                        td.num { (c.inserted) }
                        td.num { (c.updated) }
                        td.num { (c.unchanged) }
                        td.num { (c.duplicates) }
                    }
                }
            }
        }
    }
}

/// What a job's outcome says an import wrote, in a few words ("31 posts new, 2 post_metrics changed").
fn summary(job: Option<&ImportJob>) -> String {
    let Some(result) =
        job.and_then(|j| j.result_json.as_deref()).and_then(|j| serde_json::from_str::<JobResult>(j).ok())
    else {
        return String::new();
    };
    let parts: Vec<String> = result
        .counts
        .iter()
        .flat_map(|c| {
            let mut out = Vec::new();
            if c.inserted > 0 {
                out.push(format!("{} {} new", c.inserted, c.table));
            }
            if c.updated > 0 {
                out.push(format!("{} {} changed", c.updated, c.table));
            }
            out
        })
        .collect();
    parts.join(", ")
}

fn history(imports: &[ImportRecord], jobs: &[ImportJob], may_undo: bool, csrf: &str) -> Markup {
    let by_import: HashMap<i64, &ImportJob> =
        jobs.iter().filter(|j| j.state == JobState::Imported).filter_map(|j| j.import_id.map(|id| (id, j))).collect();
    let undoable = |i: &ImportRecord| {
        i.undone_at.is_none() && i.format != MERGE_FORMAT && i.format != socialledger_store::time_tracking::APP_FORMAT
    };
    html! {
        @if imports.is_empty() {
            p { "Nothing imported yet." }
        } @else {
            table.imports {
                thead { tr { th { "#" } th { "file" } th { "format" } th { "rows" } th { "imported" } th { "by" } th { "what it wrote" } th { "status" } } }
                tbody {
                    @for i in imports.iter().rev() {
                        @let job = by_import.get(&i.id).copied();
                        tr {
                            td.num { (i.id) }
                            td { (i.file_name) }
                            td { (i.format) }
                            td.num { (i.rows) }
                            td { (i.imported_at.format("%Y-%m-%d %H:%M UTC")) }
                            td { (job.and_then(|j| j.user_email.as_deref()).unwrap_or("command line")) }
                            td { (summary(job)) }
                            td {
                                @if let Some(at) = i.undone_at {
                                    "undone " (at.format("%Y-%m-%d %H:%M UTC"))
                                } @else if may_undo && undoable(i) {
                                    form.inline method="post" action=(format!("/imports/{}/undo", i.id)) {
                                        (csrf_field(csrf))
                                        button.secondary type="submit" { "Undo" }
                                    }
                                } @else {
                                    "active"
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// The name of the uploaded file without any directories a browser may send.
fn base_name(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or("").trim();
    if base.is_empty() {
        "upload".to_string()
    } else {
        base.to_string()
    }
}

/// `POST /imports`: records the upload and imports it in the background; the browser follows its progress at
/// `/imports?job=ID`.
pub async fn upload(State(state): State<AppState>, me: SignedIn, mut form: Multipart) -> Result<Response, WebError> {
    let mut file: Option<(String, Bytes)> = None;
    loop {
        match form.next_field().await {
            Ok(Some(field)) if field.name() == Some("file") => {
                let name = base_name(field.file_name().unwrap_or(""));
                match field.bytes().await {
                    Ok(bytes) => file = Some((name, bytes)),
                    Err(e) => {
                        let problem = format!("the upload could not be read ({e}); try again");
                        return render(&state, &me, e.status(), None, Some(problem), None).await;
                    }
                }
            }
            Ok(Some(_)) => {}
            Ok(None) => break,
            Err(e) => {
                let problem = format!("the upload could not be read ({e}); choose the file and try again");
                return render(&state, &me, e.status(), None, Some(problem), None).await;
            }
        }
    }
    let Some((name, bytes)) = file.filter(|(_, bytes)| !bytes.is_empty()) else {
        let problem = "choose a file to import (the form had none, or an empty one)".to_string();
        return render(&state, &me, StatusCode::UNPROCESSABLE_ENTITY, None, Some(problem), None).await;
    };
    let job = state.store.create_import_job(Some(me.user.id), &name, bytes.len() as u64, Utc::now()).await?;
    let store = state.store.clone();
    let user = me.user.id;
    tokio::spawn(async move {
        if let Err(e) = run_job(&store, job, &name, bytes, user).await {
            eprintln!("socialledger web: the import of upload {job} ({name}) failed: {e}");
            let result = JobResult { errors: vec![e.to_string()], ..JobResult::default() };
            let json = serde_json::to_string(&result).unwrap_or_default();
            let update =
                JobUpdate { state: JobState::Failed, done: 0, total: 0, import_id: None, result_json: Some(&json) };
            let _ = store.update_import_job(job, &update, Utc::now()).await;
        }
    });
    Ok(see_other(&format!("/imports?job={job}")))
}

/// Imports one uploaded file the way `socialledger import` does, writing each step to the job's row.
async fn run_job(store: &Store, job: i64, name: &str, bytes: Bytes, user: i64) -> Result<(), WebError> {
    let opts = ImportOptions {
        existing_channels: store.channels().await?,
        channel_aliases: store.channel_aliases().await?,
        ..ImportOptions::default()
    };
    let path = std::path::PathBuf::from(name);
    let parsed = tokio::task::spawn_blocking(move || socialledger_import::import_file(&path, &bytes, &opts))
        .await
        .map_err(|e| WebError::Analysis(format!("the reading thread failed: {e}")))?;
    let finish = move |state: JobState, import_id: Option<i64>, result: JobResult| async move {
        let json = serde_json::to_string(&result).unwrap_or_default();
        let update = JobUpdate { state, done: 0, total: 0, import_id, result_json: Some(&json) };
        store.update_import_job(job, &update, Utc::now()).await
    };
    let parsed = match parsed {
        Ok(parsed) => parsed,
        Err(e) => {
            let errors = e.to_string().lines().map(str::to_string).collect();
            finish(JobState::Rejected, None, JobResult { errors, ..JobResult::default() }).await?;
            return Ok(());
        }
    };
    let total = parsed.dataset.len() as u64;
    let storing = JobUpdate { state: JobState::Storing, done: 0, total, import_id: None, result_json: None };
    store.update_import_job(job, &storing, Utc::now()).await?;
    let source = ImportSource {
        file_name: name.to_string(),
        format: parsed.format.to_string(),
        content_hash: parsed.content_hash.clone(),
        rows: parsed.rows,
    };
    // The progress goes to the job's row from a second task. On SQLite the import holds the database's one write
    // lock until it commits, so there the page shows "storing" without a count rather than wait for the lock.
    let done = Arc::new(AtomicU64::new(0));
    let ticker = (store.backend() == socialledger_store::Backend::Postgres).then(|| {
        let (store, done) = (store.clone(), done.clone());
        tokio::spawn(async move {
            loop {
                tokio::time::sleep(Duration::from_secs(u64::from(REFRESH_SECONDS))).await;
                let update = JobUpdate {
                    state: JobState::Storing,
                    done: done.load(Ordering::Relaxed),
                    total,
                    import_id: None,
                    result_json: None,
                };
                let _ = store.update_import_job(job, &update, Utc::now()).await;
            }
        })
    });
    let progress = {
        let done = done.clone();
        move |n: u64, _total: u64| done.store(n, Ordering::Relaxed)
    };
    let outcome = store.import(&source, &parsed.dataset, &progress).await;
    if let Some(ticker) = ticker {
        ticker.abort();
        let _ = ticker.await;
    }
    let format = Some(parsed.format.to_string());
    match outcome {
        Ok(ImportOutcome::Imported { import_id, counts, placeholder_channels }) => {
            let counts: Vec<CountRow> = counts
                .iter()
                .filter(|c| c.records > 0 || c.duplicates > 0)
                .map(|c| CountRow {
                    table: c.table.to_string(),
                    records: c.records,
                    duplicates: c.duplicates,
                    inserted: c.inserted,
                    updated: c.updated,
                    unchanged: c.unchanged,
                })
                .collect();
            let entry = NewAuditEntry {
                actor: Some(user),
                action: AuditAction::ImportUploaded,
                object: format!("import:{import_id}"),
                before: None,
                after: Some(serde_json::json!({
                    "file_name": name,
                    "format": source.format,
                    "rows": source.rows,
                    "content_hash": source.content_hash,
                    "counts": counts,
                })),
            };
            store.audit(&entry, Utc::now()).await?;
            let result = JobResult {
                format,
                rows: parsed.rows,
                counts,
                notes: parsed.notes.clone(),
                placeholder_channels,
                ..JobResult::default()
            };
            finish(JobState::Imported, Some(import_id), result).await?;
        }
        Ok(ImportOutcome::AlreadyImported { import_id, at, file_name }) => {
            let earlier = Earlier { import_id, at: at.format("%Y-%m-%d %H:%M UTC").to_string(), file_name };
            let result = JobResult { format, rows: parsed.rows, earlier: Some(earlier), ..JobResult::default() };
            finish(JobState::Unchanged, Some(import_id), result).await?;
        }
        Err(e) => {
            let errors = vec![format!("{name}: could not be stored, nothing was imported: {e}")];
            finish(JobState::Failed, None, JobResult { format, errors, ..JobResult::default() }).await?;
        }
    }
    Ok(())
}

/// `POST /imports/{id}/undo`: undoes a whole import (owner and managers; audited by the store).
pub async fn undo(State(state): State<AppState>, me: SignedIn, Path(id): Path<String>) -> Result<Response, WebError> {
    let Ok(id) = id.parse::<i64>() else {
        let problem = "name the import to undo by its number".to_string();
        return render(&state, &me, StatusCode::UNPROCESSABLE_ENTITY, None, Some(problem), None).await;
    };
    match state.store.undo_import(id, Some(me.user.id)).await {
        Ok(_) => Ok(see_other(&format!("/imports?undone={id}"))),
        Err(
            e @ (StoreError::NoSuchImport { .. }
            | StoreError::AlreadyUndone { .. }
            | StoreError::NotUndoable { .. }
            | StoreError::ChangedLater { .. }),
        ) => {
            let status = match &e {
                StoreError::ChangedLater { .. } | StoreError::AlreadyUndone { .. } => StatusCode::CONFLICT,
                _ => StatusCode::UNPROCESSABLE_ENTITY,
            };
            render(&state, &me, status, None, Some(e.to_string()), None).await
        }
        Err(e) => Err(e.into()),
    }
}
