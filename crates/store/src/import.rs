//! Imports: one file's records written in one transaction, recorded in `imports`, idempotent by content hash.
//!
//! What happens, in order: every record is checked (nothing is written if one cannot be stored); records with
//! the same natural key within the file are reduced to the last one; the transaction starts; a file whose
//! content hash is already in `imports` ends it with [`ImportOutcome::AlreadyImported`] and no write; otherwise
//! an `imports` row is added, channels that records refer to but that exist neither in the file nor in the
//! database are created as placeholders, and every table is upserted by natural key. Any failure rolls the whole
//! file back.
//!
//! **Placeholder channels.** A posts export names its channel by key, and the user may import it before (or
//! without) a channels file. Rejecting the file would force an order on the user; instead a channel with
//! kind `other` and name = key is created and reported in [`ImportOutcome::Imported::placeholder_channels`].
//! A later channels file replaces it by the usual upsert; a placeholder never overwrites an existing channel.

use crate::tables::{by_key, for_each_table, Table};
use crate::upsert::{self, OnConflict};
use crate::{codec, Backend, Result, StoreError};
use serde::{Deserialize, Serialize};
use socialledger_domain::{Channel, ChannelKind, Dataset, Timestamp};
use sqlx::AnyConnection;
use std::collections::{BTreeSet, HashSet};

/// Where a dataset came from: recorded in `imports`, and the content hash makes a re-import a no-op.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportSource {
    /// The file name as the user knows it (shown by `socialledger imports`).
    pub file_name: String,
    /// The format it was read as (`x-tweets`, `canonical-posts`, ...).
    pub format: String,
    /// A hash of the file's bytes (the importer uses blake3); the same bytes are never imported twice.
    pub content_hash: String,
    /// Data rows read from the file.
    pub rows: usize,
}

/// What an import did.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum ImportOutcome {
    /// The records were written.
    Imported {
        /// The id of the new `imports` row; every row this import inserted or changed carries it.
        import_id: i64,
        /// What happened per table, for every table in [`Dataset::counts`] order.
        counts: Vec<TableCounts>,
        /// Channels referenced by records but defined nowhere, created with kind `other` and name = key.
        placeholder_channels: Vec<String>,
    },
    /// A file with the same content hash was imported before; nothing was written.
    AlreadyImported {
        /// The earlier import's id.
        import_id: i64,
        /// When the earlier import happened.
        at: Timestamp,
        /// The file name the earlier import was recorded under.
        file_name: String,
    },
}

/// What an import did to one table. `inserted + updated + unchanged == records`. The split between inserted and
/// updated comes from the table's row count before and after, so it is exact unless another import writes the
/// same table at the same moment (possible on PostgreSQL only; SQLite imports take the write lock).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct TableCounts {
    pub table: &'static str,
    /// Distinct records written (after dropping in-file duplicates; including placeholder channels).
    pub records: u64,
    /// Records dropped because a later record in the same file had the same natural key (the last one wins).
    pub duplicates: u64,
    /// Rows that did not exist before.
    pub inserted: u64,
    /// Existing rows whose values changed (replaced by the new values).
    pub updated: u64,
    /// Existing rows that already held exactly these values.
    pub unchanged: u64,
}

/// The records of one table that will be written: the last record of each natural key (file order decides),
/// sorted by natural key. Sorted input turns the key index's random inserts into appends at its right edge and
/// lays rows out in load order, which makes bulk writes and later loads markedly faster on both backends.
fn distinct<T: Table>(records: &[T]) -> Vec<&T> {
    let mut sorted: Vec<&T> = records.iter().collect();
    // Stable: records with equal keys stay in file order, so the last of each run is the last in the file.
    sorted.sort_by(|a, b| by_key(*a, *b));
    let mut out: Vec<&T> = Vec::with_capacity(sorted.len());
    for r in sorted {
        match out.last_mut() {
            Some(last) if last.key() == r.key() => *last = r,
            _ => out.push(r),
        }
    }
    out
}

/// Refuses a dataset with a record that cannot be stored faithfully, before anything is written.
fn check(data: &Dataset) -> Result<()> {
    for_each_table!(|T| {
        for r in T::of(data) {
            check_record(r)?;
        }
    });
    Ok(())
}

/// Refuses a record that cannot be stored faithfully (both the whole-file and the streaming import ask this).
pub(crate) fn check_record<T: Table>(r: &T) -> Result<()> {
    let reason = r
        .check()
        .or_else(|| r.channel_refs().any(str::is_empty).then(|| "it refers to an empty channel key".to_string()));
    match reason {
        Some(reason) => Err(StoreError::InvalidRecord { table: T::NAME, record: r.describe(), reason }),
        None => Ok(()),
    }
}

/// The channel created for a key that records refer to but that is defined nowhere.
pub(crate) fn placeholder(key: &str) -> Channel {
    Channel {
        key: key.to_string(),
        name: key.to_string(),
        kind: ChannelKind::Other,
        network: None,
        handle: None,
        account: None,
    }
}

/// The channel keys referenced by records of `data` but not defined in it, sorted.
fn referenced_channels(data: &Dataset) -> BTreeSet<&str> {
    let defined: HashSet<&str> = data.channels.iter().map(|c| c.key.as_str()).collect();
    let mut refs = BTreeSet::new();
    for_each_table!(|T| {
        for r in T::of(data) {
            refs.extend(r.channel_refs().filter(|k| !defined.contains(k)));
        }
    });
    refs
}

pub(crate) async fn count_rows(conn: &mut AnyConnection, table: &str) -> std::result::Result<u64, sqlx::Error> {
    let n: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table}")).fetch_one(&mut *conn).await?;
    Ok(n.max(0) as u64)
}

/// Finds an earlier import of the same content.
pub(crate) async fn find_import(
    conn: &mut AnyConnection,
    content_hash: &str,
) -> Result<Option<(i64, Timestamp, String)>> {
    let row: Option<(i64, String, String)> =
        sqlx::query_as("SELECT id, imported_at, file_name FROM imports WHERE content_hash = $1")
            .bind(content_hash)
            .fetch_optional(&mut *conn)
            .await
            .map_err(crate::error::query_error("looking for an earlier import of the same file"))?;
    row.map(|(id, at, file_name)| {
        let at = codec::parse_timestamp(&at).map_err(|reason| StoreError::Corrupt {
            table: "imports",
            column: "imported_at",
            value: at.clone(),
            reason: reason.to_string(),
        })?;
        Ok((id, at, file_name))
    })
    .transpose()
}

/// Writes the dataset inside the caller's transaction. `Ok(None)` when another import of the same content won
/// the race for the `imports` row.
pub(crate) async fn write_all(
    conn: &mut AnyConnection,
    backend: Backend,
    source: &ImportSource,
    data: &Dataset,
    progress: &(dyn Fn(u64, u64) + Sync),
) -> Result<Option<ImportOutcome>> {
    check(data)?;
    let fail = |table: &'static str| {
        let file_name = source.file_name.clone();
        move |cause| StoreError::Import { file_name, table, cause }
    };
    let rows = i64::try_from(source.rows).unwrap_or(i64::MAX);
    let now = codec::timestamp_text(chrono::Utc::now());
    let import_id: Option<i64> = sqlx::query_scalar(
        "INSERT INTO imports (file_name, format, content_hash, rows, imported_at) VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (content_hash) DO NOTHING RETURNING id",
    )
    .bind(source.file_name.as_str())
    .bind(source.format.as_str())
    .bind(source.content_hash.as_str())
    .bind(rows)
    .bind(now.as_str())
    .fetch_optional(&mut *conn)
    .await
    .map_err(fail("imports"))?;
    let Some(import_id) = import_id else { return Ok(None) };

    let total = data.len() as u64;
    let mut done = 0u64;
    progress(done, total);

    // Placeholders for channels that are referenced but defined nowhere.
    let channels_before = count_rows(conn, Channel::NAME).await.map_err(fail(Channel::NAME))?;
    let existing: HashSet<String> = sqlx::query_scalar::<_, String>("SELECT key FROM channels")
        .fetch_all(&mut *conn)
        .await
        .map_err(fail(Channel::NAME))?
        .into_iter()
        .collect();
    let placeholders: Vec<Channel> =
        referenced_channels(data).into_iter().filter(|k| !existing.contains(*k)).map(placeholder).collect();
    let placeholder_refs: Vec<&Channel> = placeholders.iter().collect();
    let placeholders_written =
        upsert::write(conn, backend, import_id, &placeholder_refs, OnConflict::Ignore, &mut |_| {})
            .await
            .map_err(fail(Channel::NAME))?;

    let mut counts = Vec::with_capacity(14);
    for_each_table!(|T| {
        let all = T::of(data);
        let records = distinct(all);
        let duplicates = (all.len() - records.len()) as u64;
        let is_channels = T::NAME == Channel::NAME;
        let (extra_records, extra_written) =
            if is_channels { (placeholders.len() as u64, placeholders_written) } else { (0, 0) };
        let mut c = TableCounts {
            table: T::NAME,
            records: records.len() as u64 + extra_records,
            duplicates,
            inserted: 0,
            updated: 0,
            unchanged: 0,
        };
        if c.records > 0 {
            let before =
                if is_channels { channels_before } else { count_rows(conn, T::NAME).await.map_err(fail(T::NAME))? };
            let mut tell = |n: u64| {
                done += n;
                progress(done, total);
            };
            let written = upsert::write(conn, backend, import_id, &records, OnConflict::Update, &mut tell)
                .await
                .map_err(fail(T::NAME))?
                + extra_written;
            let after = count_rows(conn, T::NAME).await.map_err(fail(T::NAME))?;
            // Rows only ever get added, so the growth is the insert count; the rest of what was written changed.
            c.inserted = after.saturating_sub(before);
            c.updated = written.saturating_sub(c.inserted);
            c.unchanged = c.records.saturating_sub(written);
        }
        if duplicates > 0 {
            done += duplicates;
            progress(done, total);
        }
        counts.push(c);
    });
    Ok(Some(ImportOutcome::Imported {
        import_id,
        counts,
        placeholder_channels: placeholders.into_iter().map(|c| c.key).collect(),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use socialledger_domain::{TouchKind, Touchpoint};

    fn touch(key: &str, channel: &str, campaign: &str) -> Touchpoint {
        Touchpoint {
            key: key.into(),
            contact: None,
            account: None,
            deal: None,
            at: chrono::DateTime::from_timestamp(1_700_000_000, 0).unwrap(),
            channel: channel.into(),
            kind: TouchKind::Visit,
            campaign: Some(campaign.into()),
            post_ref: None,
            utm_source: None,
            utm_medium: None,
            utm_campaign: None,
        }
    }

    #[test]
    fn the_last_record_of_a_key_wins_and_keys_come_sorted() {
        let all = vec![
            touch("b", "x", "1"),
            touch("a", "x", "1"),
            touch("c", "x", "1"),
            touch("a", "x", "2"),
            touch("b", "x", "2"),
            touch("a", "x", "3"),
        ];
        let kept: Vec<(&str, &str)> =
            distinct(&all).iter().map(|t| (t.key.as_str(), t.campaign.as_deref().unwrap())).collect();
        assert_eq!(kept, [("a", "3"), ("b", "2"), ("c", "1")]);
    }

    #[test]
    fn finds_channels_referenced_but_not_defined() {
        let mut data = Dataset::default();
        data.channels.push(Channel {
            key: "x".into(),
            name: "X".into(),
            kind: ChannelKind::OrganicSocial,
            network: None,
            handle: None,
            account: None,
        });
        data.touchpoints = vec![touch("a", "x", "1"), touch("b", "web", "1"), touch("c", "ads", "1")];
        assert_eq!(referenced_channels(&data).into_iter().collect::<Vec<_>>(), ["ads", "web"]);
    }

    #[test]
    fn refuses_records_a_database_cannot_return_unchanged() {
        let mut data = Dataset::default();
        data.touchpoints.push(touch("a", "", "1"));
        let err = check(&data).unwrap_err().to_string();
        assert!(err.contains("touchpoints") && err.contains("empty channel key"), "{err}");
    }
}
