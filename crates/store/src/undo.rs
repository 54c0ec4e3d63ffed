//! Undoing a whole import: the rows it inserted deleted, the rows it changed put back as they were, in one
//! transaction, audited.
//!
//! **What undo reads.** Every row an import inserted or changed carries its `import_id`. For the rows it changed,
//! migration 0010's triggers wrote the row as it was (its before-image, `import_before`) when the import's update
//! moved the row from the import it carried to this one; inserts need nothing. So undoing import N is: put back
//! N's before-images (an upsert by natural key: the row N changed is overwritten with its old values and old
//! `import_id`), then delete the rows that still carry N (the ones it inserted), children before channels.
//!
//! **What undo refuses.** A later import that changed a row N wrote recorded a before-image of N's version
//! (`before_import_id = N`): undoing N would then delete or overwrite that import's data, so it is refused until
//! that import is undone ([`StoreError::ChangedLater`]). A channel merge and time tracked in the app are not
//! imports of a file and cannot be undone ([`StoreError::NotUndoable`]).
//!
//! **Channels.** A channel N created (a placeholder, or from a channels file) is deleted with N's other rows
//! unless rows of other imports, an alias, a timer or a target now refer to it: it is then kept as it is and
//! reported in [`UndoOutcome::kept_channels`].
//!
//! **The `imports` row stays**, with `undone_at` and `undone_by`, so the history shows the undone import. Its
//! `content_hash` gets the suffix `:undone:ID`: the unique hash is what makes a repeated import a no-op, and an
//! undone file must be importable again.

use crate::audit::{self, AuditAction, NewAuditEntry};
use crate::error::query_error;
use crate::tables::{for_each_table, Table};
use crate::time_tracking::APP_FORMAT;
use crate::{codec, Backend, Result, Store, StoreError, MERGE_FORMAT};
use serde::Serialize;
use socialledger_domain::Channel;
use sqlx::AnyConnection;

/// What undoing an import did.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct UndoOutcome {
    pub import_id: i64,
    pub file_name: String,
    pub format: String,
    /// Per table (in the order of [`crate::TableCounts`]), the rows deleted and restored; tables the import did
    /// not touch are left out.
    pub tables: Vec<UndoCounts>,
    /// Channels the import created that other rows now refer to: kept.
    pub kept_channels: Vec<String>,
}

/// What undoing an import did to one table.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct UndoCounts {
    pub table: &'static str,
    /// Rows the import had inserted, deleted.
    pub deleted: u64,
    /// Rows the import had changed, put back as they were before it.
    pub restored: u64,
}

/// The tables (and their channel column) whose rows keep a channel that an undone import created.
const CHANNEL_REFERENCES: &[(&str, &str)] = &[
    ("posts", "channel"),
    ("post_metrics", "channel"),
    ("channel_days", "channel"),
    ("audience", "channel"),
    ("activities", "channel"),
    ("time_entries", "channel"),
    ("cost_items", "channel"),
    ("touchpoints", "channel"),
    ("conversations", "channel"),
    ("channel_aliases", "channel"),
    ("timers", "channel"),
    ("targets", "channel"),
];

/// The upsert that puts back one table's before-images of `$1`'s import (`$2`: the table's name).
fn restore_statement<T: Table>(backend: Backend) -> String {
    let columns = T::COLUMNS.join(", ");
    let source = match backend {
        Backend::Sqlite => {
            let values: Vec<String> = T::COLUMNS
                .iter()
                .chain(["import_id"].iter())
                .map(|c| format!("json_extract(before_json, '$.{c}')"))
                .collect();
            format!("SELECT {} FROM import_before WHERE import_id = $1 AND table_name = $2", values.join(", "))
        }
        Backend::Postgres => {
            let values: Vec<String> = T::COLUMNS.iter().chain(["import_id"].iter()).map(|c| format!("r.{c}")).collect();
            format!(
                "SELECT {} FROM import_before b CROSS JOIN LATERAL jsonb_populate_record(NULL::{}, b.before_json::jsonb) r \
                 WHERE b.import_id = $1 AND b.table_name = $2",
                values.join(", "),
                T::NAME
            )
        }
    };
    let set: Vec<String> = T::COLUMNS
        .iter()
        .filter(|c| !T::KEY.contains(c))
        .chain(["import_id"].iter())
        .map(|c| format!("{c} = excluded.{c}"))
        .collect();
    format!(
        "INSERT INTO {} ({columns}, import_id) {source} ON CONFLICT ({}) DO UPDATE SET {}",
        T::NAME,
        T::KEY.join(", "),
        set.join(", ")
    )
}

/// Deletes the channels `$1`'s import inserted that nothing refers to now.
fn delete_channels_statement() -> String {
    let unreferenced: Vec<String> = CHANNEL_REFERENCES
        .iter()
        .map(|(table, column)| format!("NOT EXISTS (SELECT 1 FROM {table} WHERE {table}.{column} = channels.key)"))
        .collect();
    format!("DELETE FROM channels WHERE import_id = $1 AND {}", unreferenced.join(" AND "))
}

impl Store {
    /// Undoes import `id` in one transaction: see [`crate::undo`]. `actor` is the signed-in user (`None`: the
    /// command line), recorded in `imports.undone_by` and the audit log.
    pub async fn undo_import(&self, id: i64, actor: Option<i64>) -> Result<UndoOutcome> {
        let begin = match self.backend() {
            Backend::Sqlite => "BEGIN IMMEDIATE",
            Backend::Postgres => "BEGIN",
        };
        let mut tx = self.pool.begin_with(begin).await.map_err(query_error("starting the undo's transaction"))?;
        match undo(&mut tx, self.backend(), id, actor).await {
            Ok(outcome) => {
                tx.commit().await.map_err(query_error(format!("committing the undo of import {id}")))?;
                Ok(outcome)
            }
            Err(e) => {
                let _ = tx.rollback().await;
                Err(e)
            }
        }
    }
}

async fn undo(conn: &mut AnyConnection, backend: Backend, id: i64, actor: Option<i64>) -> Result<UndoOutcome> {
    if backend == Backend::Postgres {
        // Waits for imports under way (they hold ROW EXCLUSIVE on `imports` from their first insert) and keeps new
        // ones out until the undo commits: nothing changes the rows between the check and the restore. SQLite's
        // `BEGIN IMMEDIATE` does the same.
        sqlx::query("LOCK TABLE imports IN SHARE ROW EXCLUSIVE MODE")
            .execute(&mut *conn)
            .await
            .map_err(query_error("locking the imports for the undo"))?;
    }
    let row: Option<(String, String, String, i64, String, Option<String>)> = sqlx::query_as(
        "SELECT file_name, format, content_hash, rows, imported_at, undone_at FROM imports WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(&mut *conn)
    .await
    .map_err(query_error(format!("reading import {id}")))?;
    let Some((file_name, format, content_hash, rows, imported_at, undone_at)) = row else {
        return Err(StoreError::NoSuchImport { id });
    };
    if let Some(at) = undone_at {
        return Err(StoreError::AlreadyUndone { id, file_name, at });
    }
    if format == MERGE_FORMAT || format == APP_FORMAT {
        return Err(StoreError::NotUndoable { id, format });
    }
    let later: Vec<i64> = sqlx::query_scalar(
        "SELECT DISTINCT b.import_id FROM import_before b JOIN imports i ON i.id = b.import_id \
         WHERE b.before_import_id = $1 AND b.import_id <> $1 AND i.undone_at IS NULL ORDER BY b.import_id DESC",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await
    .map_err(query_error(format!("looking for later imports that changed rows of import {id}")))?;
    if !later.is_empty() {
        return Err(StoreError::ChangedLater { id, file_name, later });
    }

    // Marked first: the restores below move rows away from this import, and the triggers record no before-image
    // for a row whose import is undone.
    let now = chrono::Utc::now();
    let undone_hash = format!("{content_hash}:undone:{id}");
    sqlx::query("UPDATE imports SET undone_at = $2, undone_by = $3, content_hash = $4 WHERE id = $1")
        .bind(id)
        .bind(codec::timestamp_text(now))
        .bind(actor)
        .bind(undone_hash.as_str())
        .execute(&mut *conn)
        .await
        .map_err(query_error(format!("marking import {id} undone")))?;

    // Restores in write order (channels first: the other rows refer to them), deletes in reverse.
    let mut restored: Vec<(&'static str, u64)> = Vec::with_capacity(15);
    for_each_table!(|T| {
        let done = sqlx::query(&restore_statement::<T>(backend))
            .bind(id)
            .bind(T::NAME)
            .execute(&mut *conn)
            .await
            .map_err(query_error(format!("restoring the rows of {} that import {id} changed", T::NAME)))?;
        restored.push((T::NAME, done.rows_affected()));
    });
    let mut deleted: Vec<u64> = vec![0; restored.len()];
    for (i, (table, _)) in restored.iter().enumerate().rev() {
        let sql = if *table == Channel::NAME {
            delete_channels_statement()
        } else {
            format!("DELETE FROM {table} WHERE import_id = $1")
        };
        let done = sqlx::query(&sql)
            .bind(id)
            .execute(&mut *conn)
            .await
            .map_err(query_error(format!("deleting the rows of {table} that import {id} inserted")))?;
        deleted[i] = done.rows_affected();
    }
    let kept_channels: Vec<String> = sqlx::query_scalar("SELECT key FROM channels WHERE import_id = $1 ORDER BY key")
        .bind(id)
        .fetch_all(&mut *conn)
        .await
        .map_err(query_error("reading the channels kept"))?;
    sqlx::query("DELETE FROM import_before WHERE import_id = $1")
        .bind(id)
        .execute(&mut *conn)
        .await
        .map_err(query_error(format!("forgetting the before-images of import {id}")))?;

    let tables: Vec<UndoCounts> = restored
        .iter()
        .zip(deleted)
        .map(|(&(table, restored), deleted)| UndoCounts { table, deleted, restored })
        .filter(|c| c.deleted > 0 || c.restored > 0)
        .collect();
    let outcome = UndoOutcome { import_id: id, file_name, format, tables, kept_channels };
    let entry = NewAuditEntry {
        actor,
        action: AuditAction::ImportUndone,
        object: format!("import:{id}"),
        before: Some(serde_json::json!({
            "file_name": outcome.file_name,
            "format": outcome.format,
            "content_hash": content_hash,
            "rows": rows,
            "imported_at": imported_at,
        })),
        after: Some(serde_json::json!({
            "undone": true,
            "tables": outcome.tables,
            "kept_channels": outcome.kept_channels,
        })),
    };
    audit::append(conn, &entry, now).await?;
    Ok(outcome)
}

#[cfg(test)]
mod tests {
    use super::*;
    use socialledger_domain::Touchpoint;

    #[test]
    fn restores_by_natural_key_from_the_before_images() {
        let sql = restore_statement::<Channel>(Backend::Sqlite);
        assert!(sql.starts_with("INSERT INTO channels (key, name, kind, network, handle, account, import_id) SELECT "));
        assert!(sql.contains("json_extract(before_json, '$.import_id') FROM import_before WHERE import_id = $1"));
        assert!(sql.ends_with(
            "ON CONFLICT (key) DO UPDATE SET name = excluded.name, kind = excluded.kind, \
             network = excluded.network, handle = excluded.handle, account = excluded.account, \
             import_id = excluded.import_id"
        ));
        let sql = restore_statement::<Touchpoint>(Backend::Postgres);
        assert!(sql.contains("jsonb_populate_record(NULL::touchpoints, b.before_json::jsonb) r"), "{sql}");
    }
}
