//! Loading: every record back from the database, in natural-key order, in one consistent snapshot.

use crate::tables::{for_each_table, Reader, Table};
use crate::{Backend, Result, StoreError};
use futures_util::TryStreamExt;
use socialledger_domain::Dataset;
use sqlx::AnyConnection;

/// `SELECT` of a table's columns in natural-key order.
pub(crate) fn select<T: Table>() -> String {
    format!("SELECT {} FROM {} ORDER BY {}", T::COLUMNS.join(", "), T::NAME, T::KEY.join(", "))
}

/// Reads all records of one table, streaming rows so that only the decoded records stay in memory.
pub(crate) async fn table<T: Table>(conn: &mut AnyConnection) -> Result<Vec<T>> {
    let sql = select::<T>();
    let fail = |cause| StoreError::Query { doing: format!("reading {}", T::NAME), cause };
    let mut out = Vec::new();
    let mut rows = sqlx::query(&sql).fetch(&mut *conn);
    while let Some(row) = rows.try_next().await.map_err(fail)? {
        out.push(T::read(&mut Reader::new(&row, T::NAME, T::COLUMNS))?);
    }
    Ok(out)
}

/// How to start a read-only transaction that sees one snapshot across all tables: SQLite's deferred transaction
/// does (WAL snapshot from the first read); PostgreSQL needs REPEATABLE READ for that.
pub(crate) fn begin_snapshot(backend: Backend) -> &'static str {
    match backend {
        Backend::Sqlite => "BEGIN",
        Backend::Postgres => "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY",
    }
}

/// Reads every table into a dataset, inside the caller's snapshot transaction.
pub(crate) async fn dataset(conn: &mut AnyConnection) -> Result<Dataset> {
    let mut data = Dataset::default();
    for_each_table!(|T| {
        *T::of_mut(&mut data) = table::<T>(conn).await?;
    });
    Ok(data)
}
