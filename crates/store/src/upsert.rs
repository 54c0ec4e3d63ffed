//! Bulk writes: a table's records as multi-row `INSERT ... ON CONFLICT (natural key) DO UPDATE` statements.
//!
//! Speed comes from few, large statements: as many rows per statement as the backend's bind-parameter limit
//! allows (32766 for SQLite, 65535 for PostgreSQL), the same SQL text for every full batch (so the driver's
//! statement cache prepares it once) and one transaction around the whole import.
//!
//! Placeholders: on PostgreSQL the import id is bound once as `$1` and repeated in every row, the values follow
//! as `$2, $3, ...`. On SQLite the values are anonymous `?` and the import id (an integer the store generated,
//! never user input) is written into the SQL: SQLite keeps `$N` parameters in a list it searches linearly, once
//! when preparing and once per bind through `sqlite3_bind_parameter_name`, which made a 32766-parameter statement
//! take seconds (quadratic); anonymous parameters bind by position in constant time.
//!
//! The update only fires when a non-key column differs (`IS DISTINCT FROM`, NULL-safe on both backends), so the
//! rows-affected count is exactly "inserted + changed" and an unchanged row keeps the import id that last changed
//! it (its provenance).

use crate::tables::{Binder, Table};
use crate::Backend;
use sqlx::AnyConnection;
use std::fmt::Write as _;

/// What to do when a row's natural key exists already.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum OnConflict {
    /// Replace the non-key columns (and the import id) when any of them differs.
    Update,
    /// Keep the existing row (used for placeholder channels, which must never overwrite a real one).
    Ignore,
}

/// Rows per statement for a table: the bind-parameter limit, minus the shared import id, over the row width.
pub(crate) fn rows_per_statement<T: Table>(backend: Backend) -> usize {
    ((backend.max_parameters() - 1) / T::COLUMNS.len()).max(1)
}

/// How a statement names its parameters (see the module docs for why the backends differ).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Params {
    /// `$1` is the import id, values are `$2, $3, ...` (PostgreSQL).
    Numbered,
    /// Values are `?`, the import id is this literal (SQLite).
    Anonymous { import_id: i64 },
}

impl Params {
    fn for_backend(backend: Backend, import_id: i64) -> Params {
        match backend {
            Backend::Sqlite => Params::Anonymous { import_id },
            Backend::Postgres => Params::Numbered,
        }
    }
}

/// The statement writing `rows` rows of `T`.
pub(crate) fn statement<T: Table>(rows: usize, on_conflict: OnConflict, params: Params) -> String {
    let cols = T::COLUMNS.len();
    let mut sql = String::with_capacity(64 + rows * cols * 8);
    let _ = write!(sql, "INSERT INTO {} ({}, import_id) VALUES ", T::NAME, T::COLUMNS.join(", "));
    let mut param = 2;
    for row in 0..rows {
        sql.push_str(if row == 0 { "(" } else { ", (" });
        for _ in 0..cols {
            match params {
                Params::Numbered => {
                    let _ = write!(sql, "${param}, ");
                }
                Params::Anonymous { .. } => sql.push_str("?, "),
            }
            param += 1;
        }
        match params {
            Params::Numbered => sql.push_str("$1)"),
            Params::Anonymous { import_id } => {
                let _ = write!(sql, "{import_id})");
            }
        }
    }
    let _ = write!(sql, " ON CONFLICT ({})", T::KEY.join(", "));
    let rest: Vec<&str> = T::COLUMNS.iter().copied().filter(|c| !T::KEY.contains(c)).collect();
    if on_conflict == OnConflict::Ignore || rest.is_empty() {
        sql.push_str(" DO NOTHING");
        return sql;
    }
    sql.push_str(" DO UPDATE SET ");
    for c in &rest {
        if T::MERGE {
            let _ = write!(sql, "{c} = COALESCE(excluded.{c}, {}.{c}), ", T::NAME);
        } else {
            let _ = write!(sql, "{c} = excluded.{c}, ");
        }
    }
    sql.push_str("import_id = excluded.import_id WHERE ");
    for (i, c) in rest.iter().enumerate() {
        if i > 0 {
            sql.push_str(" OR ");
        }
        if T::MERGE {
            let _ = write!(sql, "(excluded.{c} IS NOT NULL AND {}.{c} IS DISTINCT FROM excluded.{c})", T::NAME);
        } else {
            let _ = write!(sql, "{}.{c} IS DISTINCT FROM excluded.{c}", T::NAME);
        }
    }
    sql
}

/// Writes `records` (distinct by natural key) with import id `import_id`; returns rows inserted or changed.
/// `progress` is told the number of records written after each statement.
pub(crate) async fn write<T: Table>(
    conn: &mut AnyConnection,
    backend: Backend,
    import_id: i64,
    records: &[&T],
    on_conflict: OnConflict,
    progress: &mut (dyn FnMut(u64) + Send),
) -> Result<u64, sqlx::Error> {
    if records.is_empty() {
        return Ok(0);
    }
    let per = rows_per_statement::<T>(backend);
    let params = Params::for_backend(backend, import_id);
    let full = statement::<T>(per.min(records.len()), on_conflict, params);
    // sqlx's Any driver binds a NULL f64 as a NULL *float4* on PostgreSQL (it swaps REAL and DOUBLE when
    // converting NULLs), and PostgreSQL keeps the parameter types of a cached prepared statement: a later non-NULL
    // f64 would then be sent as 8 bytes for a 4-byte parameter. Tables with a nullable double are therefore
    // prepared afresh for each statement on PostgreSQL (one extra parse per few thousand rows).
    let persistent = !(T::NULLABLE_DOUBLE && backend == Backend::Postgres);
    let mut affected = 0;
    for chunk in records.chunks(per) {
        let tail;
        let sql = if chunk.len() == per.min(records.len()) {
            &full
        } else {
            tail = statement::<T>(chunk.len(), on_conflict, params);
            &tail
        };
        let mut b = Binder::new(1 + chunk.len() * T::COLUMNS.len());
        if params == Params::Numbered {
            b.int(import_id);
        }
        for r in chunk {
            r.bind(&mut b);
        }
        let args = b.finish().map_err(sqlx::Error::Encode)?;
        let done = sqlx::query_with(sql, args).persistent(persistent).execute(&mut *conn).await?;
        affected += done.rows_affected();
        progress(chunk.len() as u64);
    }
    Ok(affected)
}

#[cfg(test)]
mod tests {
    use super::*;
    use socialledger_domain::{Channel, Touchpoint};

    #[test]
    fn statement_repeats_the_import_id_and_updates_only_changed_rows() {
        let sql = statement::<Channel>(2, OnConflict::Update, Params::Numbered);
        assert_eq!(
            sql,
            "INSERT INTO channels (key, name, kind, network, handle, account, import_id) VALUES \
             ($2, $3, $4, $5, $6, $7, $1), ($8, $9, $10, $11, $12, $13, $1) ON CONFLICT (key) DO UPDATE SET \
             name = excluded.name, kind = excluded.kind, network = excluded.network, handle = excluded.handle, \
             account = excluded.account, import_id = excluded.import_id WHERE channels.name IS DISTINCT FROM \
             excluded.name OR channels.kind IS DISTINCT FROM excluded.kind OR channels.network IS DISTINCT FROM \
             excluded.network OR channels.handle IS DISTINCT FROM excluded.handle OR channels.account IS DISTINCT \
             FROM excluded.account"
        );
        let sql = statement::<Channel>(2, OnConflict::Ignore, Params::Anonymous { import_id: 7 });
        assert_eq!(
            sql,
            "INSERT INTO channels (key, name, kind, network, handle, account, import_id) VALUES \
             (?, ?, ?, ?, ?, ?, 7), (?, ?, ?, ?, ?, ?, 7) ON CONFLICT (key) DO NOTHING"
        );
    }

    #[test]
    fn batches_respect_the_parameter_limits() {
        for backend in [Backend::Sqlite, Backend::Postgres] {
            let rows = rows_per_statement::<Touchpoint>(backend);
            let params = 1 + rows * Touchpoint::COLUMNS.len();
            assert!(params <= backend.max_parameters(), "{backend}: {params}");
            assert!(params + Touchpoint::COLUMNS.len() > backend.max_parameters(), "{backend}: batch not full");
        }
    }
}
