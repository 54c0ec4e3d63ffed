//! Loading: every record back from the database, in natural-key order, in one consistent snapshot; for analysis,
//! touchpoints in compact form.

use crate::tables::{for_each_table, Reader, Table};
use crate::{codec, Backend, Result, StoreError};
use futures_util::TryStreamExt;
use socialledger_domain::{Dataset, TouchKind, Touches, Touchpoint};
use sqlx::{AnyConnection, Row};

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

/// Reads every table into a dataset for analysis, inside the caller's snapshot transaction: touchpoints in
/// compact form ([`Dataset::compact_touches`], `touchpoints` left empty), every other table as records.
pub(crate) async fn analysis_dataset(conn: &mut AnyConnection) -> Result<Dataset> {
    let mut data = Dataset::default();
    for_each_table!(|T| {
        if T::NAME != Touchpoint::NAME {
            *T::of_mut(&mut data) = table::<T>(conn).await?;
        }
    });
    data.compact_touches = Some(touches(conn).await?);
    Ok(data)
}

/// The touchpoint columns an analysis reads, in the order [`touches`] reads them.
const TOUCH_COLUMNS: &[&str] = &["at", "channel", "account", "contact", "deal", "kind"];

/// Streams the touchpoints into a [`Touches`]: only the columns analyses read, each string interned as it comes,
/// borrowed from the row rather than copied, and timestamps parsed from their fixed-width text without a
/// general RFC 3339 parser. Rows come in key order (the key itself is not selected): the compact set's row order
/// is its tie-break (see `socialledger_domain::touches`).
pub(crate) async fn touches(conn: &mut AnyConnection) -> Result<Touches> {
    let sql = format!(
        "SELECT {} FROM {} ORDER BY {}",
        TOUCH_COLUMNS.join(", "),
        Touchpoint::NAME,
        Touchpoint::KEY.join(", ")
    );
    let fail = |cause| StoreError::Query { doing: format!("reading {}", Touchpoint::NAME), cause };
    let count: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {}", Touchpoint::NAME))
        .fetch_one(&mut *conn)
        .await
        .map_err(fail)?;
    let mut out = Touches::with_capacity(usize::try_from(count).unwrap_or(0));
    let mut rows = sqlx::query(&sql).fetch(&mut *conn);
    while let Some(row) = rows.try_next().await.map_err(fail)? {
        let corrupt = |i: usize, value: &str, reason: String| StoreError::Corrupt {
            table: Touchpoint::NAME,
            column: TOUCH_COLUMNS[i],
            value: value.to_string(),
            reason,
        };
        let text = |i: usize| row.try_get::<&str, usize>(i).map_err(|e| corrupt(i, "", e.to_string()));
        let opt_text = |i: usize| row.try_get::<Option<&str>, usize>(i).map_err(|e| corrupt(i, "", e.to_string()));
        let at_text = text(0)?;
        let at = codec::parse_timestamp_fast(at_text).map_err(|reason| corrupt(0, at_text, reason.to_string()))?;
        let kind_text = text(5)?;
        let kind = TouchKind::ALL
            .iter()
            .copied()
            .find(|k| k.as_str() == kind_text)
            .ok_or_else(|| corrupt(5, kind_text, "not a canonical touchpoint kind name".to_string()))?;
        out.push(at, text(1)?, opt_text(2)?, opt_text(3)?, opt_text(4)?, kind);
    }
    out.shrink_to_fit();
    Ok(out)
}
