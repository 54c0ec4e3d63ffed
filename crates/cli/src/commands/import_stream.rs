//! `socialledger import` of a large canonical touchpoints file: read in batches on a blocking thread, written
//! batch by batch into one transaction, with the same output as a file read whole.

use super::import::{file_name, rejected, FileResult};
use crate::progress;
use anyhow::Context;
use socialledger_import::formats::canonical::touchpoints::{derived_key, duplicate_id, SPEC};
use socialledger_import::stream::{content_hash, Batch, TouchpointReader};
use socialledger_import::{ImportError, ImportOptions};
use socialledger_store::{ImportOutcome, ImportSource, Store, StreamStart};
use std::path::Path;

/// Touchpoints per batch: large enough that a batch fills a few of the store's multi-row statements, small
/// enough that two batches in flight (one parsed, one written) take a few MiB.
const BATCH: usize = 8192;

/// Imports one canonical touchpoints file in bounded memory (see `socialledger_import::stream` and
/// `socialledger_store::stream`). Parsing and writing overlap: the parser thread fills the next batch while
/// the database writes the last one.
pub async fn import_touchpoints(
    store: &Store,
    path: &Path,
    opts: &ImportOptions,
    quiet: bool,
) -> anyhow::Result<FileResult> {
    let display = path.display().to_string();
    let format = SPEC.name.to_string();
    let parse_error =
        |e: ImportError| rejected(display.clone(), None, e.to_string().lines().map(str::to_string).collect());
    let reader = {
        let (path, opts) = (path.to_path_buf(), opts.clone());
        tokio::task::spawn_blocking(move || TouchpointReader::open(&path, &opts))
            .await
            .context("the parser thread failed")?
    };
    let mut reader = match reader {
        Ok(r) => r,
        Err(e) => return Ok(parse_error(e)),
    };
    let hash = {
        let path = path.to_path_buf();
        tokio::task::spawn_blocking(move || content_hash(&path)).await.context("the hashing thread failed")?
    };
    let hash = match hash {
        Ok(h) => h,
        Err(e) => return Ok(rejected(display, None, vec![format!("{}: cannot read the file: {e}", path.display())])),
    };
    let source = ImportSource { file_name: file_name(path), format: format.clone(), content_hash: hash, rows: 0 };
    let stored = |e: &dyn std::fmt::Display| {
        rejected(
            display.clone(),
            Some(format.clone()),
            vec![format!("{display}: could not be stored, nothing was imported: {e}")],
        )
    };
    let mut stream = match store.begin_touchpoint_stream(&source).await {
        Ok(StreamStart::Writing(stream)) => stream,
        Ok(StreamStart::AlreadyImported(outcome)) => {
            // The rows are those counted when the same bytes were imported.
            let rows = match outcome {
                ImportOutcome::AlreadyImported { import_id, .. } => {
                    store.imports().await?.into_iter().find(|i| i.id == import_id).map_or(0, |i| i.rows as usize)
                }
                ImportOutcome::Imported { .. } => 0,
            };
            return Ok(FileResult {
                file: display,
                status: "unchanged",
                format: Some(format),
                rows,
                records: Vec::new(),
                notes: vec!["the same file was imported before; nothing changed".to_string()],
                errors: Vec::new(),
            });
        }
        Err(e) => return Ok(stored(&e)),
    };

    let size = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
    let bar = progress::bar(size, &format!("storing {}", file_name(path)), quiet);
    let id_column = reader.id_column().to_string();
    let (tx, mut rx) = tokio::sync::mpsc::channel::<Batch>(2);
    let parser = tokio::task::spawn_blocking(move || {
        while let Some(batch) = reader.next_batch(BATCH) {
            if tx.blocking_send(batch).is_err() {
                break;
            }
        }
        reader
    });
    let mut duplicates = Vec::new();
    let mut store_error = None;
    let mut failed = false;
    while let Some(mut batch) = rx.recv().await {
        bar.set_position(batch.bytes_read);
        if store_error.is_some() {
            continue;
        }
        // Once the file is known to be rejected, the rest is only read for its errors (repeated ids among them),
        // not written.
        failed |= batch.failed || !duplicates.is_empty();
        let repeats = if failed {
            stream.register_keys(&mut batch.records, &batch.lines, &batch.derived, derived_key).await
        } else {
            stream.write(&mut batch.records, &batch.lines, &batch.derived, derived_key).await
        };
        match repeats {
            Ok(repeats) => duplicates
                .extend(repeats.into_iter().map(|d| duplicate_id(&display, &id_column, &d.key, d.line, d.first_line))),
            Err(e) => store_error = Some(e),
        }
    }
    let reader = parser.await.context("the parser thread failed")?;
    bar.finish_and_clear();
    let (rows, notes) = match reader.finish(duplicates) {
        Ok(done) => done,
        Err(e) => {
            stream.abort().await;
            return Ok(parse_error(e));
        }
    };
    if let Some(e) = store_error {
        stream.abort().await;
        return Ok(stored(&e));
    }
    match stream.finish(rows).await {
        Ok(ImportOutcome::Imported { counts, .. }) => {
            let records = counts
                .iter()
                .filter(|c| c.table == "touchpoints")
                .map(|c| (c.table.to_string(), (c.records + c.duplicates) as usize))
                .filter(|(_, n)| *n > 0)
                .collect();
            Ok(FileResult {
                file: display,
                status: "imported",
                format: Some(format),
                rows,
                records,
                notes,
                errors: Vec::new(),
            })
        }
        Ok(ImportOutcome::AlreadyImported { .. }) => Ok(stored(&"the import was recorded twice")),
        Err(e) => Ok(stored(&e)),
    }
}
