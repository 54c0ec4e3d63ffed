//! Streaming imports: one large file's touchpoints written batch by batch inside one transaction, in memory that
//! does not grow with the file. [`crate::import`]'s guarantees hold: the file is one transaction (an error on
//! its last row rolls everything back), the same bytes are imported once, every record passes the same checks,
//! placeholder channels are created for keys that are referenced but defined nowhere, and in-file duplicates
//! of a natural key end as the last record of that key, with exact counts.
//!
//! **Two writers.** Into a SQLite file the records go through a direct connection, one prepared single-row
//! statement per record, and repeats are found through the table's own key index (`crate::sqlite_stream`).
//! Into PostgreSQL (and an in-memory SQLite database, which only the pool's connection can see) they go through
//! the pool as below. Both keep the guarantees above and give the same counts.
//!
//! **How duplicates are found without holding the file (pool).** The whole-file path sorts the records and keeps the
//! last of each key. Here the transaction keeps a temporary table of the keys this import has written, with the
//! line of the first record of each (`import_keys`, on disk: SQLite's temporary storage is switched to a file
//! for the import, PostgreSQL's temporary tables are the server's). Each batch registers its keys there with one
//! `INSERT ... ON CONFLICT DO NOTHING`; when fewer rows than keys were added, the batch holds a key seen before,
//! and one lookup tells which records and the line of the first. A record whose key was derived from its values
//! gets the next occurrence's key from the caller (identical rows stay distinct, as in the whole-file parse);
//! any other repeat is a duplicate: counted, reported to the caller with both lines, and written over the earlier
//! record (the last one wins).
//!
//! **How the counts stay exact.** `records` = records read - duplicates; `inserted` = the table's row count after
//! minus before; `inserted + updated` = the rows the upserts inserted or changed. With no repeat across batches
//! each key is written once and that is the sum of the statements' affected rows. A key repeated in a later batch
//! is written twice, so the count is then taken from the table instead: the rows whose `import_id` is this
//! import's (one scan of the table at the end). In that case one count can differ from the whole-file path's:
//! a stored row that the file changes and then, further down, changes back to its stored values is counted as
//! updated (the whole-file path, comparing only the last record with the stored row, says unchanged).

use crate::import::{check_record, count_rows, find_import, placeholder, ImportOutcome, ImportSource, TableCounts};
use crate::sqlite_stream::{DirectStart, DirectStream};
use crate::tables::Table;
use crate::upsert::{self, OnConflict};
use crate::{codec, Backend, Result, Store, StoreError};
use socialledger_domain::{Channel, Touchpoint};
use sqlx::pool::PoolConnection;
use sqlx::{Any, AnyConnection, Executor};
use std::collections::{BTreeSet, HashMap, HashSet};

/// A repeated natural key the caller should know about: the record on `line` has the key of the one on
/// `first_line` (which it replaces).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Duplicate {
    pub key: String,
    pub line: usize,
    pub first_line: usize,
}

/// What a streamed import counts as it writes, either writer's; [`Counters::counts`] makes the per-table counts
/// of it at the end (see the module documentation for why they are exact).
#[derive(Debug, Default)]
pub(crate) struct Counters {
    /// Channels' and touchpoints' rows before the import.
    pub channels_before: u64,
    pub touchpoints_before: u64,
    /// Placeholder channels the file needed, and how many rows their writes inserted or changed.
    pub placeholders: BTreeSet<String>,
    pub placeholders_written: u64,
    /// Records read and, of them, duplicates (replaced by a later record of the same key).
    pub read: u64,
    pub duplicates: u64,
    /// Touchpoint rows inserted or changed, by the statements' affected-row counts.
    pub affected: u64,
    /// A key was written twice (the affected rows count it twice): the rows written are then counted in the table.
    pub rewritten: bool,
}

impl Counters {
    /// The counts of every table, in [`crate::tables::for_each_table`] order, from the channels' and touchpoints'
    /// rows after the import and the touchpoint rows it inserted or changed (`written`: [`Counters::affected`],
    /// or counted in the table when [`Counters::rewritten`]). Only channels and touchpoints are written by a
    /// streamed import.
    pub(crate) fn counts(&self, channels_after: u64, touchpoints_after: u64, written: u64) -> Vec<TableCounts> {
        let mut counts = Vec::with_capacity(15);
        let empty = |table| TableCounts { table, records: 0, duplicates: 0, inserted: 0, updated: 0, unchanged: 0 };
        crate::tables::for_each_table!(|T| {
            let mut c = empty(T::NAME);
            if T::NAME == Channel::NAME {
                c.records = self.placeholders.len() as u64;
                c.inserted = channels_after.saturating_sub(self.channels_before);
                c.updated = self.placeholders_written.saturating_sub(c.inserted);
                c.unchanged = c.records.saturating_sub(self.placeholders_written);
            } else if T::NAME == Touchpoint::NAME {
                c.records = self.read.saturating_sub(self.duplicates);
                c.duplicates = self.duplicates;
                c.inserted = touchpoints_after.saturating_sub(self.touchpoints_before);
                c.updated = written.saturating_sub(c.inserted);
                c.unchanged = c.records.saturating_sub(written);
            }
            counts.push(c);
        });
        counts
    }
}

/// What [`Store::begin_touchpoint_stream`] found.
#[derive(Debug)]
pub enum StreamStart {
    /// The same bytes were imported before: nothing to write.
    AlreadyImported(ImportOutcome),
    /// The transaction is open; write the batches, then [`TouchpointStream::finish`] or
    /// [`TouchpointStream::abort`].
    Writing(TouchpointStream),
}

/// An import of one file's touchpoints in progress: an open transaction. Dropping it without
/// [`TouchpointStream::finish`] closes its connection, which rolls the transaction back.
pub struct TouchpointStream {
    file_name: String,
    writer: Writer,
}

/// Who writes: a direct connection to a SQLite file ([`crate::sqlite_stream`]), or a pool connection (PostgreSQL,
/// and an in-memory SQLite database, which only the pool's one connection can see).
enum Writer {
    /// Taken while a batch is written on a blocking thread; `None` once that thread failed.
    Direct(Option<Box<DirectStream>>),
    Pool(Box<PoolStream>),
}

/// A key deriving function: the key of the n-th record with the values of this one.
pub type Rekey = fn(&Touchpoint, u32) -> String;

/// The pool's side of a streaming import.
struct PoolStream {
    /// The connection with the open transaction; taken by `finish` and `abort`.
    conn: Option<PoolConnection<Any>>,
    backend: Backend,
    file_name: String,
    import_id: i64,
    /// Restore SQLite's in-memory temporary storage when done.
    temp_store_changed: bool,
    /// Channel keys known to exist (stored before or created as placeholders by this import).
    channels: HashSet<String>,
    counters: Counters,
}

impl std::fmt::Debug for TouchpointStream {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let writer = match &self.writer {
            Writer::Direct(_) => "direct SQLite connection",
            Writer::Pool(_) => "pool connection",
        };
        f.debug_struct("TouchpointStream").field("file_name", &self.file_name).field("writer", &writer).finish()
    }
}

/// The error for a blocking writer thread that did not come back (it panicked or was cancelled): its connection
/// closed with it, which rolled the transaction back.
fn interrupted(file_name: &str, e: tokio::task::JoinError) -> StoreError {
    StoreError::Interrupted { file_name: file_name.to_string(), cause: e.to_string() }
}

/// Runs `work` on the direct writer on a blocking thread and puts the writer back when it returns.
async fn on_direct<T: Send + 'static>(
    slot: &mut Option<Box<DirectStream>>,
    file_name: &str,
    work: impl FnOnce(&mut DirectStream) -> T + Send + 'static,
) -> Result<T> {
    let Some(mut direct) = slot.take() else {
        return Err(StoreError::Interrupted {
            file_name: file_name.to_string(),
            cause: "an earlier batch's writer failed".to_string(),
        });
    };
    let (direct, out) = tokio::task::spawn_blocking(move || {
        let out = work(&mut direct);
        (direct, out)
    })
    .await
    .map_err(|e| interrupted(file_name, e))?;
    *slot = Some(direct);
    Ok(out)
}

/// The temporary table of this import's keys.
const KEYS_TABLE: &str = "import_keys";

impl Store {
    /// Starts a streaming import of one file of touchpoints: opens the transaction, returns
    /// [`StreamStart::AlreadyImported`] when a file with `source.content_hash` was imported before, else records
    /// the import (its `rows` are set by [`TouchpointStream::finish`]). See [`crate::stream`].
    pub async fn begin_touchpoint_stream(&self, source: &ImportSource) -> Result<StreamStart> {
        if let (Backend::Sqlite, Some(path)) = (self.backend(), self.sqlite_file.clone()) {
            let owned = source.clone();
            let now = codec::timestamp_text(chrono::Utc::now());
            let started = tokio::task::spawn_blocking(move || {
                DirectStream::begin(&path, &owned.file_name, &owned.format, &owned.content_hash, &now)
            })
            .await
            .map_err(|e| interrupted(&source.file_name, e))??;
            return Ok(match started {
                DirectStart::AlreadyImported { import_id, at, file_name } => {
                    StreamStart::AlreadyImported(ImportOutcome::AlreadyImported { import_id, at, file_name })
                }
                DirectStart::Writing(direct) => StreamStart::Writing(TouchpointStream {
                    file_name: source.file_name.clone(),
                    writer: Writer::Direct(Some(direct)),
                }),
            });
        }
        let fail = |table: &'static str| {
            let file_name = source.file_name.clone();
            move |cause| StoreError::Import { file_name, table, cause }
        };
        let mut conn = self.pool.acquire().await.map_err(fail("imports"))?;
        // SQLite keeps temporary tables in memory on our connections (see `Store::open_with`); the key table of a
        // 10M-row file would not fit, so this import's go to a temporary file (in the OS's page cache), with a
        // 16 MiB cache of its own. Switched before the transaction (SQLite refuses inside one) and back after.
        let temp_store_changed = self.backend() == Backend::Sqlite;
        if temp_store_changed {
            conn.execute("PRAGMA temp_store = FILE").await.map_err(fail("imports"))?;
            conn.execute("PRAGMA temp.cache_size = -16384").await.map_err(fail("imports"))?;
        }
        let begin = match self.backend() {
            // Take the write lock up front, as `Store::import` does.
            Backend::Sqlite => "BEGIN IMMEDIATE",
            Backend::Postgres => "BEGIN",
        };
        if let Err(cause) = conn.execute(begin).await {
            let _ = end(conn, None, temp_store_changed).await;
            return Err(fail("imports")(cause));
        }
        let mut stream = PoolStream {
            conn: Some(conn),
            backend: self.backend(),
            file_name: source.file_name.clone(),
            import_id: 0,
            temp_store_changed,
            channels: HashSet::new(),
            counters: Counters::default(),
        };
        if let Some((import_id, at, file_name)) = find_import(stream.conn(), &source.content_hash).await? {
            stream.abort().await;
            return Ok(StreamStart::AlreadyImported(ImportOutcome::AlreadyImported { import_id, at, file_name }));
        }
        let keys_table = match self.backend() {
            Backend::Sqlite => {
                format!("CREATE TEMP TABLE {KEYS_TABLE} (key TEXT PRIMARY KEY, line BIGINT NOT NULL) WITHOUT ROWID")
            }
            Backend::Postgres => {
                format!("CREATE TEMP TABLE {KEYS_TABLE} (key TEXT PRIMARY KEY, line BIGINT NOT NULL) ON COMMIT DROP")
            }
        };
        stream.conn().execute(keys_table.as_str()).await.map_err(fail("imports"))?;
        let now = codec::timestamp_text(chrono::Utc::now());
        let import_id: Option<i64> = sqlx::query_scalar(
            "INSERT INTO imports (file_name, format, content_hash, rows, imported_at) VALUES ($1, $2, $3, 0, $4) \
             ON CONFLICT (content_hash) DO NOTHING RETURNING id",
        )
        .bind(source.file_name.as_str())
        .bind(source.format.as_str())
        .bind(source.content_hash.as_str())
        .bind(now.as_str())
        .fetch_optional(stream.conn())
        .await
        .map_err(fail("imports"))?;
        let Some(import_id) = import_id else {
            // Another process imported the same content between our check and our insert.
            stream.abort().await;
            let mut conn = self.pool.acquire().await.map_err(crate::error::query_error("reading imports"))?;
            return match find_import(&mut conn, &source.content_hash).await? {
                Some((import_id, at, file_name)) => {
                    Ok(StreamStart::AlreadyImported(ImportOutcome::AlreadyImported { import_id, at, file_name }))
                }
                None => Err(StoreError::Query {
                    doing: format!("recording the import of {}", source.file_name),
                    cause: sqlx::Error::RowNotFound,
                }),
            };
        };
        stream.import_id = import_id;
        stream.counters.channels_before =
            count_rows(stream.conn(), Channel::NAME).await.map_err(fail(Channel::NAME))?;
        stream.counters.touchpoints_before =
            count_rows(stream.conn(), Touchpoint::NAME).await.map_err(fail(Touchpoint::NAME))?;
        stream.channels = sqlx::query_scalar::<_, String>("SELECT key FROM channels")
            .fetch_all(stream.conn())
            .await
            .map_err(fail(Channel::NAME))?
            .into_iter()
            .collect();
        Ok(StreamStart::Writing(TouchpointStream {
            file_name: source.file_name.clone(),
            writer: Writer::Pool(Box::new(stream)),
        }))
    }
}

impl TouchpointStream {
    /// Writes one batch of records in file order; `lines[i]` is the line `records[i]` starts on. A record with
    /// `derived[i]` (a key derived from its values) whose key was used before gets `rekey(record, n)`, the key of
    /// the n-th record with its values, for n = 2, 3, ... until one is free. Any other repeated key is returned
    /// (with both lines) and the later record replaces the earlier one. Checks every record first, as
    /// [`Store::import`] does.
    pub async fn write(
        &mut self,
        records: &mut Vec<Touchpoint>,
        lines: &[usize],
        derived: &[bool],
        rekey: Rekey,
    ) -> Result<Vec<Duplicate>> {
        self.run(records, lines, derived, rekey, true).await
    }

    /// Registers the batch's keys, renumbering repeated derived keys, and returns the other repeats, as
    /// [`TouchpointStream::write`] does, for a file already known to be rejected, whose remaining repeats are
    /// still worth reporting (whether the records are written too is the writer's choice: all is rolled back).
    pub async fn register_keys(
        &mut self,
        records: &mut Vec<Touchpoint>,
        lines: &[usize],
        derived: &[bool],
        rekey: Rekey,
    ) -> Result<Vec<Duplicate>> {
        self.run(records, lines, derived, rekey, false).await
    }

    async fn run(
        &mut self,
        records: &mut Vec<Touchpoint>,
        lines: &[usize],
        derived: &[bool],
        rekey: Rekey,
        write: bool,
    ) -> Result<Vec<Duplicate>> {
        match &mut self.writer {
            Writer::Pool(pool) if write => pool.write(records, lines, derived, &rekey).await,
            Writer::Pool(pool) => pool.register_keys(records, lines, derived, &rekey).await,
            Writer::Direct(slot) => {
                let mut batch = std::mem::take(records);
                let (lines, derived) = (lines.to_vec(), derived.to_vec());
                let (batch, result) = on_direct(slot, &self.file_name, move |direct| {
                    let result = direct.write(&mut batch, &lines, &derived, rekey, write);
                    (batch, result)
                })
                .await?;
                *records = batch;
                result
            }
        }
    }

    /// Counts what the import did, records the rows read and commits.
    pub async fn finish(self, rows: usize) -> Result<ImportOutcome> {
        match self.writer {
            Writer::Pool(pool) => pool.finish(rows).await,
            Writer::Direct(Some(direct)) => tokio::task::spawn_blocking(move || direct.finish(rows))
                .await
                .map_err(|e| interrupted(&self.file_name, e))?,
            Writer::Direct(None) => Err(StoreError::Interrupted {
                file_name: self.file_name,
                cause: "an earlier batch's writer failed".to_string(),
            }),
        }
    }

    /// Rolls everything back (the file was rejected while it was being written).
    pub async fn abort(self) {
        match self.writer {
            Writer::Pool(pool) => pool.abort().await,
            Writer::Direct(Some(direct)) => {
                let _ = tokio::task::spawn_blocking(move || direct.abort()).await;
            }
            Writer::Direct(None) => {}
        }
    }
}

impl Drop for PoolStream {
    fn drop(&mut self) {
        if let Some(conn) = self.conn.as_mut() {
            // Neither finished nor aborted (an error, a panic, a cancelled task): closing the connection ends the
            // transaction without committing, and no pooled connection is left inside it.
            conn.close_on_drop();
        }
    }
}

/// Ends a stream's transaction with `statement` (`COMMIT` or `ROLLBACK`; `None` when none is open) and returns
/// the connection to the pool as it was; a connection whose transaction did not end is closed instead.
async fn end(
    mut conn: PoolConnection<Any>,
    statement: Option<&str>,
    temp_store_changed: bool,
) -> std::result::Result<(), sqlx::Error> {
    if let Some(statement) = statement {
        if let Err(e) = conn.execute(statement).await {
            conn.close_on_drop();
            return Err(e);
        }
    }
    if temp_store_changed && conn.execute("PRAGMA temp_store = MEMORY").await.is_err() {
        conn.close_on_drop();
    }
    Ok(())
}

impl PoolStream {
    /// The connection with the open transaction.
    fn conn(&mut self) -> &mut AnyConnection {
        // Only `finish` and `abort` take it, and they consume the stream.
        self.conn.as_deref_mut().expect("the stream's connection is taken only when it ends")
    }

    fn fail(&self, table: &'static str) -> impl FnOnce(sqlx::Error) -> StoreError {
        let file_name = self.file_name.clone();
        move |cause| StoreError::Import { file_name, table, cause }
    }

    /// [`TouchpointStream::write`] through the pool.
    async fn write(
        &mut self,
        records: &mut [Touchpoint],
        lines: &[usize],
        derived: &[bool],
        rekey: &(dyn Fn(&Touchpoint, u32) -> String + Sync),
    ) -> Result<Vec<Duplicate>> {
        for r in records.iter() {
            check_record(r)?;
        }
        self.counters.read += records.len() as u64;
        let duplicates = self.register_keys(records, lines, derived, rekey).await?;
        // The last record of a key within the batch wins; one statement must not touch a row twice (PostgreSQL
        // refuses), and the earlier ones would be overwritten anyway.
        let mut last: HashMap<&str, usize> = HashMap::with_capacity(records.len());
        for (i, r) in records.iter().enumerate() {
            last.insert(r.key.as_str(), i);
        }
        let mut write: Vec<&Touchpoint> =
            records.iter().enumerate().filter(|(i, r)| last[r.key.as_str()] == *i).map(|(_, r)| r).collect();
        write.sort_by(|a, b| a.key.cmp(&b.key));
        self.add_placeholders(&write).await?;
        let (backend, import_id) = (self.backend, self.import_id);
        let affected = upsert::write(self.conn(), backend, import_id, &write, OnConflict::Update, &mut |_| {})
            .await
            .map_err(self.fail(Touchpoint::NAME))?;
        self.counters.affected += affected;
        Ok(duplicates)
    }

    /// [`TouchpointStream::register_keys`] through the pool: into the import's key table, without writing.
    async fn register_keys(
        &mut self,
        records: &mut [Touchpoint],
        lines: &[usize],
        derived: &[bool],
        rekey: &(dyn Fn(&Touchpoint, u32) -> String + Sync),
    ) -> Result<Vec<Duplicate>> {
        let mut out = Vec::new();
        if records.is_empty() {
            return Ok(out);
        }
        let first_line = lines.first().copied().unwrap_or(0);
        let per = (self.backend.max_parameters() / 2).max(1);
        let mut added = 0u64;
        let backend = self.backend;
        for (chunk, chunk_lines) in records.chunks(per).zip(lines.chunks(per)) {
            let pairs = chunk.iter().map(|r| r.key.as_str()).zip(chunk_lines.iter().copied());
            added += insert_keys(self.conn(), backend, pairs).await.map_err(self.fail("import keys"))?;
        }
        if added == records.len() as u64 {
            return Ok(out);
        }
        // Some key was there before: find which records lost (their line is not the registered one).
        let mut registered: HashMap<String, usize> = HashMap::new();
        for chunk in records.chunks(self.backend.max_parameters().max(1)) {
            let sql = format!(
                "SELECT key, line FROM {KEYS_TABLE} WHERE key IN ({})",
                (1..=chunk.len()).map(|i| param(backend, i)).collect::<Vec<_>>().join(", ")
            );
            let mut q = sqlx::query_as::<_, (String, i64)>(&sql);
            for r in chunk {
                q = q.bind(r.key.as_str());
            }
            for (key, line) in q.fetch_all(self.conn()).await.map_err(self.fail("import keys"))? {
                registered.insert(key, line.max(0) as usize);
            }
        }
        for i in 0..records.len() {
            let first = registered.get(records[i].key.as_str()).copied().unwrap_or(lines[i]);
            if first == lines[i] {
                continue;
            }
            if derived[i] {
                let mut n = 2u32;
                loop {
                    let key = rekey(&records[i], n);
                    if insert_keys(self.conn(), backend, std::iter::once((key.as_str(), lines[i])))
                        .await
                        .map_err(self.fail("import keys"))?
                        == 1
                    {
                        records[i].key = key;
                        break;
                    }
                    n = n.saturating_add(1);
                }
            } else {
                self.counters.duplicates += 1;
                if first < first_line {
                    self.counters.rewritten = true;
                }
                out.push(Duplicate { key: records[i].key.clone(), line: lines[i], first_line: first });
            }
        }
        Ok(out)
    }

    /// Creates placeholder channels for keys the records refer to that exist nowhere yet (see [`crate::import`]).
    async fn add_placeholders(&mut self, records: &[&Touchpoint]) -> Result<()> {
        let missing: BTreeSet<&str> =
            records.iter().map(|r| r.channel.as_str()).filter(|k| !self.channels.contains(*k)).collect();
        if missing.is_empty() {
            return Ok(());
        }
        let new: Vec<Channel> = missing.into_iter().map(placeholder).collect();
        let refs: Vec<&Channel> = new.iter().collect();
        let (backend, import_id) = (self.backend, self.import_id);
        self.counters.placeholders_written +=
            upsert::write(self.conn(), backend, import_id, &refs, OnConflict::Ignore, &mut |_| {})
                .await
                .map_err(self.fail(Channel::NAME))?;
        for c in new {
            self.counters.placeholders.insert(c.key.clone());
            self.channels.insert(c.key);
        }
        Ok(())
    }

    /// Counts what the import did, records the rows read and commits.
    async fn finish(mut self, rows: usize) -> Result<ImportOutcome> {
        let channels_after = count_rows(self.conn(), Channel::NAME).await.map_err(self.fail(Channel::NAME))?;
        let touchpoints_after = count_rows(self.conn(), Touchpoint::NAME).await.map_err(self.fail(Touchpoint::NAME))?;
        let written = if self.counters.rewritten {
            let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM touchpoints WHERE import_id = $1")
                .bind(self.import_id)
                .fetch_one(self.conn())
                .await
                .map_err(self.fail(Touchpoint::NAME))?;
            n.max(0) as u64
        } else {
            self.counters.affected
        };
        let counts = self.counters.counts(channels_after, touchpoints_after, written);
        let rows = i64::try_from(rows).unwrap_or(i64::MAX);
        sqlx::query("UPDATE imports SET rows = $1 WHERE id = $2")
            .bind(rows)
            .bind(self.import_id)
            .execute(self.conn())
            .await
            .map_err(self.fail("imports"))?;
        if self.backend == Backend::Sqlite {
            let drop_keys = format!("DROP TABLE temp.{KEYS_TABLE}");
            self.conn().execute(drop_keys.as_str()).await.map_err(self.fail("imports"))?;
        }
        let fail = self.fail("imports");
        let conn = self.conn.take().expect("the stream's connection is taken only when it ends");
        end(conn, Some("COMMIT"), self.temp_store_changed).await.map_err(fail)?;
        Ok(ImportOutcome::Imported {
            import_id: self.import_id,
            counts,
            placeholder_channels: std::mem::take(&mut self.counters.placeholders).into_iter().collect(),
        })
    }

    /// Rolls everything back (the file was rejected while it was being written).
    async fn abort(mut self) {
        if let Some(conn) = self.conn.take() {
            let _ = end(conn, Some("ROLLBACK"), self.temp_store_changed).await;
        }
    }
}

/// The `i`-th (1-based) parameter: `$i` on PostgreSQL, an anonymous `?` on SQLite, which looks `$N` names up in a
/// list it scans linearly (quadratic in a statement of thousands of parameters; see [`crate::upsert`]).
fn param(backend: Backend, i: usize) -> String {
    match backend {
        Backend::Sqlite => "?".to_string(),
        Backend::Postgres => format!("${i}"),
    }
}

/// Inserts `(key, line)` pairs into the import's key table, keeping the first line of a key; returns the rows
/// added.
async fn insert_keys<'k>(
    conn: &mut AnyConnection,
    backend: Backend,
    pairs: impl Iterator<Item = (&'k str, usize)>,
) -> std::result::Result<u64, sqlx::Error> {
    let pairs: Vec<(&str, usize)> = pairs.collect();
    if pairs.is_empty() {
        return Ok(0);
    }
    let mut sql = format!("INSERT INTO {KEYS_TABLE} (key, line) VALUES ");
    for i in 0..pairs.len() {
        if i > 0 {
            sql.push_str(", ");
        }
        sql.push_str(&format!("({}, {})", param(backend, 2 * i + 1), param(backend, 2 * i + 2)));
    }
    sql.push_str(" ON CONFLICT (key) DO NOTHING");
    let mut q = sqlx::query(&sql);
    for (key, line) in pairs {
        q = q.bind(key).bind(i64::try_from(line).unwrap_or(i64::MAX));
    }
    Ok(q.execute(&mut *conn).await?.rows_affected())
}
