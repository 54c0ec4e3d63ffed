//! The analysis load of touchpoints from a SQLite file through a direct connection (rusqlite), on a blocking
//! thread.
//!
//! **Why not through the pool.** sqlx's SQLite driver runs each connection on a worker thread and hands every row
//! to the async reader through a channel. With millions of touchpoints that handoff dominated the load: at 2M
//! rows `socialledger channels` took 8.8 s where the sqlite3 shell reads the same ordered columns in 0.93 s, and
//! `perf` put a quarter of the time in context switches and most of the rest in per-row allocations
//! (docs/benchmarks.md). Here each row is decoded where SQLite produces it, borrowed from SQLite's own buffers.
//! Both connections link the same bundled SQLite (libsqlite3-sys), and the rows go through the same decoding
//! as the pool's reader ([`crate::load::push_touch`]).
//!
//! **Why the result is one snapshot.** The other tables are read through the pool in a snapshot transaction of
//! their own, at the same time. The two snapshots show the same database state when no other connection
//! committed between the start of the direct read and the end of the pool's read. `PRAGMA data_version` on the
//! direct connection says exactly that: its value changes when any other connection commits. It is read before
//! either snapshot starts and after both have been taken; when it changed, the caller loads again
//! ([`crate::Store::load_for_analysis`]).

use crate::load::{corrupt_touch, push_touch, touches_count_sql, touches_sql, TouchRow, TOUCH_COLUMNS};
use crate::{Result, StoreError};
use rusqlite::types::ValueRef;
use rusqlite::{Connection, OpenFlags};
use socialledger_domain::Touches;
use std::path::Path;
use std::time::Duration;

/// A direct read-only use of one SQLite file, beside the store's pool.
pub(crate) struct DirectSqlite {
    conn: Connection,
}

/// Wraps a failing direct read with what it was doing.
fn fail(doing: &'static str) -> impl Fn(rusqlite::Error) -> StoreError {
    move |cause| StoreError::DirectRead { doing: doing.to_string(), cause }
}

impl DirectSqlite {
    /// Opens the existing file `path` (never creates one), waiting up to 5 s for a lock as the pool does.
    pub(crate) fn open(path: &Path) -> Result<DirectSqlite> {
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = Connection::open_with_flags(path, flags).map_err(fail("opening the database for analysis"))?;
        conn.busy_timeout(Duration::from_secs(5)).map_err(fail("opening the database for analysis"))?;
        Ok(DirectSqlite { conn })
    }

    /// SQLite's `PRAGMA data_version`: changes when another connection commits (see the module documentation).
    pub(crate) fn data_version(&self) -> Result<i64> {
        self.conn
            .query_row("PRAGMA data_version", [], |row| row.get(0))
            .map_err(fail("checking whether the database changed"))
    }

    /// Every touchpoint's analysis columns in key order, as [`crate::load::touches`] reads them, in one read
    /// transaction.
    pub(crate) fn touches(&mut self) -> Result<Touches> {
        let reading = fail("reading touchpoints");
        let tx = self.conn.transaction().map_err(&reading)?;
        let count: i64 = tx.query_row(&touches_count_sql(), [], |row| row.get(0)).map_err(&reading)?;
        let mut out = Touches::with_capacity(usize::try_from(count).unwrap_or(0));
        {
            let mut statement = tx.prepare(&touches_sql()).map_err(&reading)?;
            let mut rows = statement.query([]).map_err(&reading)?;
            while let Some(row) = rows.next().map_err(&reading)? {
                let opt_text = |i: usize| -> Result<Option<&str>> {
                    let value = row.get_ref(i).map_err(&reading)?;
                    match value {
                        ValueRef::Null => Ok(None),
                        ValueRef::Text(bytes) => {
                            std::str::from_utf8(bytes).map(Some).map_err(|e| corrupt_touch(i, "", e.to_string()))
                        }
                        other => Err(corrupt_touch(i, "", format!("expected text, found {:?}", other.data_type()))),
                    }
                };
                let text = |i: usize| -> Result<&str> {
                    opt_text(i)?.ok_or_else(|| corrupt_touch(i, "", format!("{} is NULL", TOUCH_COLUMNS[i])))
                };
                let touch = TouchRow {
                    at: text(0)?,
                    channel: text(1)?,
                    account: opt_text(2)?,
                    contact: opt_text(3)?,
                    deal: opt_text(4)?,
                    kind: text(5)?,
                };
                push_touch(&mut out, &touch)?;
            }
        }
        // Read only: ending the transaction either way releases the snapshot.
        tx.rollback().map_err(&reading)?;
        out.shrink_to_fit();
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Store;

    /// What the consistency of the analysis load rests on: `PRAGMA data_version` on the direct connection stays
    /// put while others only read, and changes when another connection (here the store's pool) commits.
    #[tokio::test]
    async fn data_version_changes_exactly_when_another_connection_commits() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("ledger.db");
        let store = Store::open(file.to_str().unwrap()).await.unwrap();
        let mut direct = DirectSqlite::open(&file).unwrap();
        let start = direct.data_version().unwrap();
        // Reads, by the pool and by the direct connection itself, change nothing.
        store.load().await.unwrap();
        assert!(direct.touches().unwrap().is_empty());
        assert_eq!(direct.data_version().unwrap(), start);
        store.settings_set("gross_margin", "0.7").await.unwrap();
        let after_commit = direct.data_version().unwrap();
        assert_ne!(after_commit, start, "a commit by the pool must change the direct connection's data_version");
        assert_eq!(direct.data_version().unwrap(), after_commit);
    }

    /// Opening never creates a database: a mistyped path is an error, not an empty file.
    #[test]
    fn opening_a_missing_file_fails_without_creating_it() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("missing.db");
        let err = DirectSqlite::open(&file).err().expect("no such file");
        assert!(err.to_string().contains("opening the database for analysis"), "{err}");
        assert!(!file.exists());
    }
}
