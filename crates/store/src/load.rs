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
    let mut data = all_but_touchpoints(conn).await?;
    data.compact_touches = Some(touches(conn).await?);
    Ok(data)
}

/// Reads every table except touchpoints into a dataset, inside the caller's snapshot transaction.
pub(crate) async fn all_but_touchpoints(conn: &mut AnyConnection) -> Result<Dataset> {
    let mut data = Dataset::default();
    for_each_table!(|T| {
        if T::NAME != Touchpoint::NAME {
            *T::of_mut(&mut data) = table::<T>(conn).await?;
        }
    });
    Ok(data)
}

/// The touchpoint columns an analysis reads, in the order [`touches`] reads them.
pub(crate) const TOUCH_COLUMNS: &[&str] = &["at", "channel", "account", "contact", "deal", "kind"];

/// The query of [`touches`]: the analysis columns of every touchpoint in key order (the key itself is not
/// selected: the compact set's row order is its tie-break, see `socialledger_domain::touches`).
pub(crate) fn touches_sql() -> String {
    format!("SELECT {} FROM {} ORDER BY {}", TOUCH_COLUMNS.join(", "), Touchpoint::NAME, Touchpoint::KEY.join(", "))
}

/// The query counting the touchpoints, to size [`Touches`] once.
pub(crate) fn touches_count_sql() -> String {
    format!("SELECT COUNT(*) FROM {}", Touchpoint::NAME)
}

/// One touchpoint row as text borrowed from the database row, in [`TOUCH_COLUMNS`] order.
pub(crate) struct TouchRow<'r> {
    pub at: &'r str,
    pub channel: &'r str,
    pub account: Option<&'r str>,
    pub contact: Option<&'r str>,
    pub deal: Option<&'r str>,
    pub kind: &'r str,
}

/// The error for a stored touchpoint value that does not decode (column `i` of [`TOUCH_COLUMNS`]).
pub(crate) fn corrupt_touch(i: usize, value: &str, reason: String) -> StoreError {
    StoreError::Corrupt { table: Touchpoint::NAME, column: TOUCH_COLUMNS[i], value: value.to_string(), reason }
}

/// Decodes one row into `out`: strings interned, the timestamp parsed from its fixed-width text without a
/// general RFC 3339 parser. Both readers ([`touches`] and `crate::sqlite_direct`) go through here, so they
/// decode alike.
pub(crate) fn push_touch(out: &mut Touches, row: &TouchRow<'_>) -> Result<()> {
    let at = codec::parse_timestamp_fast(row.at).map_err(|reason| corrupt_touch(0, row.at, reason.to_string()))?;
    let kind = TouchKind::ALL
        .iter()
        .copied()
        .find(|k| k.as_str() == row.kind)
        .ok_or_else(|| corrupt_touch(5, row.kind, "not a canonical touchpoint kind name".to_string()))?;
    out.push(at, row.channel, row.account, row.contact, row.deal, kind);
    Ok(())
}

/// Streams the touchpoints into a [`Touches`] through sqlx: only the columns analyses read, each string interned
/// as it comes, borrowed from the row rather than copied. Rows come in key order.
pub(crate) async fn touches(conn: &mut AnyConnection) -> Result<Touches> {
    let fail = |cause| StoreError::Query { doing: format!("reading {}", Touchpoint::NAME), cause };
    let count: i64 = sqlx::query_scalar(&touches_count_sql()).fetch_one(&mut *conn).await.map_err(fail)?;
    let mut out = Touches::with_capacity(usize::try_from(count).unwrap_or(0));
    let sql = touches_sql();
    let mut rows = sqlx::query(&sql).fetch(&mut *conn);
    while let Some(row) = rows.try_next().await.map_err(fail)? {
        let text = |i: usize| row.try_get::<&str, usize>(i).map_err(|e| corrupt_touch(i, "", e.to_string()));
        let opt_text =
            |i: usize| row.try_get::<Option<&str>, usize>(i).map_err(|e| corrupt_touch(i, "", e.to_string()));
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
    out.shrink_to_fit();
    Ok(out)
}
