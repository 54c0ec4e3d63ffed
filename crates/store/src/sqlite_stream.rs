//! The streaming import of touchpoints into a SQLite file through a direct connection (rusqlite), row by row
//! with prepared statements, on a blocking thread.
//!
//! **Why not through the pool.** Through sqlx a batch becomes one multi-row upsert of 32k bound parameters, sent
//! to the driver's worker thread; `perf` put half of the import's CPU there (docs/benchmarks.md): every value is
//! copied into the driver's argument list, the statement needs a statement journal (a multi-row statement that
//! fails half-way must undo its first rows), and the keys went into a second text B-tree to find repeats. Here,
//! as the sqlite3 shell's `.import` does, each record is one step of a prepared single-row `INSERT`, bound from
//! the record's own strings, and the repeats are found through the table's own key index.
//!
//! **How repeats are found.** A record whose key exists fails the `INSERT` on the key index; only then the row
//! is looked up, and where it came from decides: written by an earlier record of this file (a repeat: renumbered
//! when the key was derived from the values, else a duplicate that replaces the earlier record, with both lines
//! reported), or a row of an earlier import, which is updated when a value differs, as the pool's upsert does.
//! Telling the two apart must not cost a second write per row, so the rows this import inserts are not
//! registered one by one: SQLite gives a new row the largest rowid plus one, so they get increasing rowids from
//! the table's largest before the import, and a run of rows inserted from consecutive lines is one row
//! `(first rowid, first line)` of a temporary table `import_runs`: a clean file is one run, and every record that
//! does not insert (a repeat, an update) starts another. A row at or above the import's first rowid is this
//! import's, and its line is the run's first line plus its distance from the run's first rowid. Rows of earlier
//! imports that this file updates or finds unchanged are registered in a second temporary table `import_lines
//! (row, line)`, as is any inserted row whose rowid does not follow the rule (SQLite picks a random rowid once
//! the largest possible one is taken). Both tables are in a temporary file, not in memory, so their size does not
//! count against the process.
//!
//! The connection has the pool's settings (WAL, `synchronous=NORMAL`, foreign keys on, 5 s busy timeout, 64 MiB
//! page cache) and opens the transaction with `BEGIN IMMEDIATE`, as [`crate::Store::import`] does.

use crate::codec;
use crate::import::{check_record, placeholder, ImportOutcome};
use crate::stream::{Counters, Duplicate};
use crate::tables::Table;
use crate::{Result, StoreError};
use rusqlite::{params, CachedStatement, Connection, ErrorCode, OpenFlags, OptionalExtension, ToSql};
use socialledger_domain::{Channel, Timestamp, Touchpoint};
use std::collections::{BTreeSet, HashSet};
use std::path::Path;
use std::time::Duration;

/// Wraps a failing statement with what it was doing.
fn fail(doing: &'static str) -> impl Fn(rusqlite::Error) -> StoreError {
    move |cause| StoreError::DirectWrite { doing: doing.to_string(), cause }
}

/// The statements a record goes through, prepared once per import.
const INSERT_TOUCH: &str = "INSERT INTO touchpoints (key, contact, account, deal, at, channel, kind, campaign, \
    post_ref, utm_source, utm_medium, utm_campaign, import_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, \
    ?12, ?13)";
/// Replaces a row's values when any differs (`IS NOT` is SQLite's NULL-safe "distinct from"); the rowid is the
/// 14th parameter.
const UPDATE_TOUCH: &str = "UPDATE touchpoints SET contact = ?2, account = ?3, deal = ?4, at = ?5, channel = ?6, \
    kind = ?7, campaign = ?8, post_ref = ?9, utm_source = ?10, utm_medium = ?11, utm_campaign = ?12, \
    import_id = ?13 WHERE rowid = ?14 AND key = ?1 AND (contact IS NOT ?2 OR account IS NOT ?3 OR deal IS NOT ?4 \
    OR at IS NOT ?5 OR channel IS NOT ?6 OR kind IS NOT ?7 OR campaign IS NOT ?8 OR post_ref IS NOT ?9 \
    OR utm_source IS NOT ?10 OR utm_medium IS NOT ?11 OR utm_campaign IS NOT ?12)";
const FIND_TOUCH: &str = "SELECT rowid FROM touchpoints WHERE key = ?1";
const REGISTER: &str = "INSERT INTO temp.import_lines (row, line) VALUES (?1, ?2)";
const REGISTERED: &str = "SELECT line FROM temp.import_lines WHERE row = ?1";
const START_RUN: &str = "INSERT INTO temp.import_runs (row, line) VALUES (?1, ?2)";
/// The run a row of this import belongs to: the last one starting at or before it.
const RUN_OF: &str = "SELECT row, line FROM temp.import_runs WHERE row <= ?1 ORDER BY row DESC LIMIT 1";

/// An open streaming import on a direct connection: the transaction and what it has counted.
pub(crate) struct DirectStream {
    conn: Connection,
    pub(crate) import_id: i64,
    /// Channel keys known to exist (stored before or created as placeholders by this import).
    channels: HashSet<String>,
    counters: Counters,
    /// Where this import's inserted rows are (see the module documentation).
    runs: Runs,
    /// The text of the record being written's timestamp, reused from record to record.
    at: String,
}

/// The runs of rows this import inserted from consecutive lines: the first rowid a new row gets, and the last
/// row inserted with its line (the next one continues the run when both follow on).
#[derive(Clone, Copy, Debug)]
struct Runs {
    first_row: i64,
    last: Option<(i64, i64)>,
}

/// How [`DirectStream::begin`] ended.
pub(crate) enum DirectStart {
    AlreadyImported { import_id: i64, at: Timestamp, file_name: String },
    Writing(Box<DirectStream>),
}

/// What one record's write did to the table.
enum Written {
    /// Inserted or changed a row (or found it unchanged): registered with its line.
    Stored,
    /// The key was written by an earlier record of this file, on this line.
    Repeat(usize),
}

impl DirectStream {
    /// Opens `path` (which must exist), starts the transaction and records the import, unless a file with the
    /// same content hash was imported before.
    pub(crate) fn begin(
        path: &Path,
        file_name: &str,
        format: &str,
        content_hash: &str,
        now: &str,
    ) -> Result<DirectStart> {
        let opening = fail("opening the database for the import");
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = Connection::open_with_flags(path, flags).map_err(&opening)?;
        conn.busy_timeout(Duration::from_secs(5)).map_err(&opening)?;
        // The pool's settings (crate::Store::open_with), and this import's temporary table in a file with a cache
        // of its own: it grows with the file.
        conn.execute_batch(
            "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; \
             PRAGMA cache_size = -65536; PRAGMA temp_store = FILE; PRAGMA temp.cache_size = -8192;",
        )
        .map_err(&opening)?;
        conn.execute_batch("BEGIN IMMEDIATE").map_err(fail("starting the import's transaction"))?;
        let earlier = conn
            .query_row(
                "SELECT id, imported_at, file_name FROM imports WHERE content_hash = ?1",
                [content_hash],
                |row| Ok((row.get::<_, i64>(0)?, row.get::<_, String>(1)?, row.get::<_, String>(2)?)),
            )
            .optional()
            .map_err(fail("looking for an earlier import of the same file"))?;
        if let Some((import_id, at, file_name)) = earlier {
            let _ = conn.execute_batch("ROLLBACK");
            let at = codec::parse_timestamp(&at).map_err(|reason| StoreError::Corrupt {
                table: "imports",
                column: "imported_at",
                value: at.clone(),
                reason: reason.to_string(),
            })?;
            return Ok(DirectStart::AlreadyImported { import_id, at, file_name });
        }
        conn.execute(
            "INSERT INTO imports (file_name, format, content_hash, rows, imported_at) VALUES (?1, ?2, ?3, 0, ?4)",
            params![file_name, format, content_hash, now],
        )
        .map_err(fail("recording the import"))?;
        let import_id = conn.last_insert_rowid();
        conn.execute_batch(
            "CREATE TEMP TABLE import_lines (row INTEGER PRIMARY KEY, line INTEGER NOT NULL); \
             CREATE TEMP TABLE import_runs (row INTEGER PRIMARY KEY, line INTEGER NOT NULL);",
        )
        .map_err(fail("creating the import's tables of lines"))?;
        let largest: Option<i64> = conn
            .query_row("SELECT MAX(rowid) FROM touchpoints", [], |row| row.get(0))
            .map_err(fail("reading the touchpoints' largest rowid"))?;
        let runs = Runs { first_row: largest.unwrap_or(0).saturating_add(1), last: None };
        let count = |table: &str| -> Result<u64> {
            let n: i64 = conn
                .query_row(&format!("SELECT COUNT(*) FROM {table}"), [], |row| row.get(0))
                .map_err(fail("counting the rows before the import"))?;
            Ok(n.max(0) as u64)
        };
        let channels_before = count(Channel::NAME)?;
        let touchpoints_before = count(Touchpoint::NAME)?;
        let channels = {
            let mut statement = conn.prepare("SELECT key FROM channels").map_err(fail("reading channels"))?;
            let keys = statement
                .query_map([], |row| row.get::<_, String>(0))
                .map_err(fail("reading channels"))?
                .collect::<std::result::Result<HashSet<String>, _>>()
                .map_err(fail("reading channels"))?;
            keys
        };
        Ok(DirectStart::Writing(Box::new(DirectStream {
            conn,
            import_id,
            channels,
            counters: Counters { channels_before, touchpoints_before, ..Counters::default() },
            runs,
            at: String::with_capacity(32),
        })))
    }

    /// Writes one batch in file order (see [`crate::stream::TouchpointStream::write`] for the contract). With
    /// `check` false (a file already known to be rejected, read on for its remaining repeats), records that fail
    /// the checks are left out instead of failing the batch: everything is rolled back anyway.
    pub(crate) fn write(
        &mut self,
        records: &mut [Touchpoint],
        lines: &[usize],
        derived: &[bool],
        rekey: fn(&Touchpoint, u32) -> String,
        check: bool,
    ) -> Result<Vec<Duplicate>> {
        // With `check`, a record that fails fails the batch; without, it is skipped (`valid[i]` false).
        let valid: Vec<bool> = if check {
            for r in records.iter() {
                check_record(r)?;
            }
            vec![true; records.len()]
        } else {
            records.iter().map(|r| check_record(r).is_ok()).collect()
        };
        self.counters.read += records.len() as u64;
        self.add_placeholders(records.iter().zip(&valid).filter(|(_, ok)| **ok).map(|(r, _)| r))?;
        let writing = fail("writing touchpoints");
        let mut out = Vec::new();
        let mut stmts = Statements::prepare(&self.conn).map_err(&writing)?;
        for (i, record) in records.iter_mut().enumerate() {
            if !valid[i] {
                continue;
            }
            let line = lines.get(i).copied().unwrap_or(0);
            codec::write_timestamp(&mut self.at, record.at);
            let at = self.at.as_str();
            let mut n = 2u32;
            loop {
                match stmts.write(record, at, line, self.import_id, &mut self.runs).map_err(&writing)? {
                    (Written::Stored, changed) => {
                        self.counters.affected += changed;
                        break;
                    }
                    (Written::Repeat(_), _) if derived.get(i).copied().unwrap_or(false) => {
                        // Identical rows stay apart: the n-th gets the n-th key of its values.
                        record.key = rekey(record, n);
                        n = n.saturating_add(1);
                    }
                    (Written::Repeat(first_line), _) => {
                        // The later record replaces the earlier one; the counts come from the table then.
                        stmts.overwrite(record, at, self.import_id).map_err(&writing)?;
                        self.counters.duplicates += 1;
                        self.counters.rewritten = true;
                        out.push(Duplicate { key: record.key.clone(), line, first_line });
                        break;
                    }
                }
            }
        }
        Ok(out)
    }

    /// Creates placeholder channels for keys the records refer to that exist nowhere yet (see [`crate::import`]).
    fn add_placeholders<'r>(&mut self, records: impl Iterator<Item = &'r Touchpoint>) -> Result<()> {
        let missing: BTreeSet<&str> =
            records.map(|r| r.channel.as_str()).filter(|k| !self.channels.contains(*k)).collect();
        if missing.is_empty() {
            return Ok(());
        }
        let creating = fail("creating placeholder channels");
        let mut statement = self
            .conn
            .prepare_cached(
                "INSERT INTO channels (key, name, kind, network, handle, account, import_id) \
                 VALUES (?1, ?2, ?3, NULL, NULL, NULL, ?4) ON CONFLICT (key) DO NOTHING",
            )
            .map_err(&creating)?;
        for key in missing {
            let c = placeholder(key);
            self.counters.placeholders_written +=
                statement.execute(params![c.key, c.name, c.kind.as_str(), self.import_id]).map_err(&creating)? as u64;
            self.counters.placeholders.insert(c.key.clone());
            self.channels.insert(c.key);
        }
        Ok(())
    }

    /// Counts what the import did, records the rows read and commits.
    pub(crate) fn finish(self, rows: usize) -> Result<ImportOutcome> {
        let counting = fail("counting what the import wrote");
        let count = |sql: &str| -> Result<u64> {
            let n: i64 = self.conn.query_row(sql, [self.import_id], |row| row.get(0)).map_err(&counting)?;
            Ok(n.max(0) as u64)
        };
        // `?1` is unused in the first two; SQLite allows a parameter to go unreferenced.
        let channels_after = count("SELECT COUNT(*) FROM channels WHERE ?1 = ?1")?;
        let touchpoints_after = count("SELECT COUNT(*) FROM touchpoints WHERE ?1 = ?1")?;
        let written = if self.counters.rewritten {
            count("SELECT COUNT(*) FROM touchpoints WHERE import_id = ?1")?
        } else {
            self.counters.affected
        };
        let counts = self.counters.counts(channels_after, touchpoints_after, written);
        let rows = i64::try_from(rows).unwrap_or(i64::MAX);
        let committing = fail("committing the import");
        self.conn
            .execute("UPDATE imports SET rows = ?1 WHERE id = ?2", params![rows, self.import_id])
            .map_err(&committing)?;
        self.conn.execute_batch("DROP TABLE temp.import_lines; DROP TABLE temp.import_runs").map_err(&committing)?;
        self.conn.execute_batch("COMMIT").map_err(&committing)?;
        Ok(ImportOutcome::Imported {
            import_id: self.import_id,
            counts,
            placeholder_channels: self.counters.placeholders.into_iter().collect(),
        })
    }

    /// Rolls everything back (the file was rejected while it was being written). Dropping the connection would
    /// too; this says so explicitly.
    pub(crate) fn abort(self) {
        let _ = self.conn.execute_batch("ROLLBACK");
    }
}

/// The prepared statements of one batch (cached by the connection across batches).
struct Statements<'c> {
    insert: CachedStatement<'c>,
    update: CachedStatement<'c>,
    find: CachedStatement<'c>,
    register: CachedStatement<'c>,
    registered: CachedStatement<'c>,
    start_run: CachedStatement<'c>,
    run_of: CachedStatement<'c>,
}

impl<'c> Statements<'c> {
    fn prepare(conn: &'c Connection) -> rusqlite::Result<Statements<'c>> {
        Ok(Statements {
            insert: conn.prepare_cached(INSERT_TOUCH)?,
            update: conn.prepare_cached(UPDATE_TOUCH)?,
            find: conn.prepare_cached(FIND_TOUCH)?,
            register: conn.prepare_cached(REGISTER)?,
            registered: conn.prepare_cached(REGISTERED)?,
            start_run: conn.prepare_cached(START_RUN)?,
            run_of: conn.prepare_cached(RUN_OF)?,
        })
    }

    /// Writes `r` (its timestamp as stored: `at`): inserted when its key is new, else registered as a repeat or
    /// updated over an earlier import's row. Returns what happened and the rows inserted or changed (0 or 1).
    fn write(
        &mut self,
        r: &Touchpoint,
        at: &str,
        line: usize,
        import_id: i64,
        runs: &mut Runs,
    ) -> rusqlite::Result<(Written, u64)> {
        let line = i64::try_from(line).unwrap_or(i64::MAX);
        let kind = r.kind.as_str();
        match self.insert.insert(&values(r, &at, &kind, &import_id)[..]) {
            Ok(row) => {
                self.inserted(row, line, runs)?;
                Ok((Written::Stored, 1))
            }
            Err(e) if is_key_conflict(&e) => {
                let row: i64 = self.find.query_row([r.key.as_str()], |row| row.get(0))?;
                if let Some(first) = self.line_of(row, runs)? {
                    return Ok((Written::Repeat(first.max(0) as usize), 0));
                }
                let changed = self.update(r, at, import_id, row)?;
                self.register.execute(params![row, line])?;
                Ok((Written::Stored, changed))
            }
            Err(e) => Err(e),
        }
    }

    /// Remembers the line of a row this import inserted: nothing to write when it continues the last run.
    fn inserted(&mut self, row: i64, line: i64, runs: &mut Runs) -> rusqlite::Result<()> {
        let follows = |last: Option<(i64, i64)>| last.is_some_and(|(r, l)| row == r + 1 && line == l + 1);
        if row < runs.first_row || runs.last.is_some_and(|(r, _)| row <= r) {
            // Not an increasing rowid from the import's first on: registered on its own.
            self.register.execute(params![row, line])?;
            return Ok(());
        }
        if !follows(runs.last) {
            self.start_run.execute(params![row, line])?;
        }
        runs.last = Some((row, line));
        Ok(())
    }

    /// The line of the record of this file that wrote `row`, `None` when no record of this file has (a row of an
    /// earlier import).
    fn line_of(&mut self, row: i64, runs: &Runs) -> rusqlite::Result<Option<i64>> {
        if let Some(line) = self.registered.query_row([row], |r| r.get::<_, i64>(0)).optional()? {
            return Ok(Some(line));
        }
        if row < runs.first_row {
            return Ok(None);
        }
        let run: Option<(i64, i64)> = self.run_of.query_row([row], |r| Ok((r.get(0)?, r.get(1)?))).optional()?;
        Ok(run.map(|(first_row, first_line)| first_line.saturating_add(row - first_row)))
    }

    /// Writes a duplicate's values over the row its key's earlier record wrote.
    fn overwrite(&mut self, r: &Touchpoint, at: &str, import_id: i64) -> rusqlite::Result<()> {
        let row: i64 = self.find.query_row([r.key.as_str()], |row| row.get(0))?;
        self.update(r, at, import_id, row)?;
        Ok(())
    }

    fn update(&mut self, r: &Touchpoint, at: &str, import_id: i64, row: i64) -> rusqlite::Result<u64> {
        let kind = r.kind.as_str();
        let mut params = values(r, &at, &kind, &import_id).to_vec();
        params.push(&row);
        let n = self.update.execute(&params[..])?;
        Ok(n as u64)
    }
}

/// A record's values in the order of [`INSERT_TOUCH`]'s (and [`UPDATE_TOUCH`]'s) parameters `?1` to `?13`.
fn values<'a>(r: &'a Touchpoint, at: &'a &'a str, kind: &'a &'static str, import_id: &'a i64) -> [&'a dyn ToSql; 13] {
    [
        &r.key,
        &r.contact,
        &r.account,
        &r.deal,
        at,
        &r.channel,
        kind,
        &r.campaign,
        &r.post_ref,
        &r.utm_source,
        &r.utm_medium,
        &r.utm_campaign,
        import_id,
    ]
}

/// True for the error of an `INSERT` whose key exists already.
fn is_key_conflict(e: &rusqlite::Error) -> bool {
    matches!(
        e,
        rusqlite::Error::SqliteFailure(f, _)
            if f.code == ErrorCode::ConstraintViolation
                && (f.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_PRIMARYKEY
                    || f.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_UNIQUE)
    )
}
