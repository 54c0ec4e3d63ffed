//! The [`Store`]: an open database (SQLite file or PostgreSQL) with the schema migrated, and its operations.

use crate::error::query_error;
use crate::import::{self, ImportOutcome, ImportSource};
use crate::location::{Backend, Location, PgDatabase};
use crate::sqlite_direct::DirectSqlite;
use crate::{load, Result, StoreError};
use serde::Serialize;
use socialledger_domain::{Channel, Dataset, Post, PostMetrics, Timestamp};
use sqlx::any::AnyPoolOptions;
use sqlx::migrate::Migrator;
use sqlx::{AnyConnection, AnyPool, Connection, Executor};
use std::fmt;
use std::time::Duration;

/// How often [`Store::load_for_analysis`] reads a SQLite file directly before falling back to one pool
/// transaction (which is always consistent, only slower): other connections kept committing meanwhile.
const DIRECT_LOAD_ATTEMPTS: usize = 3;

/// How long to wait for a connection before giving up with an error.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(15);

static SQLITE_MIGRATIONS: Migrator = sqlx::migrate!("migrations/sqlite");
static POSTGRES_MIGRATIONS: Migrator = sqlx::migrate!("migrations/postgres");

/// An open database. Cheap to clone (a connection pool inside); all methods take `&self`.
#[derive(Clone)]
pub struct Store {
    pub(crate) pool: AnyPool,
    backend: Backend,
    /// The location with any password redacted.
    location: String,
    /// Whether opening it created the database.
    created: bool,
    /// The SQLite file, when the store is one (not PostgreSQL, not in memory): the analysis load reads its
    /// touchpoints directly (see `crate::sqlite_direct`).
    pub(crate) sqlite_file: Option<std::path::PathBuf>,
    /// How to open a native PostgreSQL connection, when the store is one: the analysis load streams the
    /// touchpoints through it (see `crate::pg_direct`). Holds the password: never printed.
    pg_options: Option<sqlx::postgres::PgConnectOptions>,
}

/// What [`Store::open_with`] does when there is no socialledger database at the location.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IfMissing {
    /// Create it: a SQLite file, or a PostgreSQL database (`CREATE DATABASE`, run on the server's maintenance
    /// database `postgres` as the URL's user). For commands that write.
    Create,
    /// Fail with [`StoreError::NotFound`], creating nothing: a command that only reads must not leave an empty
    /// database behind a mistyped location. A database without socialledger's tables counts as missing.
    Fail,
}

/// PostgreSQL's SQLSTATE for "database does not exist" (`invalid_catalog_name`).
const PG_NO_SUCH_DATABASE: &str = "3D000";
/// PostgreSQL's SQLSTATE for "database already exists" (`duplicate_database`): someone created it meanwhile.
const PG_DUPLICATE_DATABASE: &str = "42P04";

impl fmt::Debug for Store {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Store").field("backend", &self.backend).field("location", &self.location).finish()
    }
}

/// One import as recorded in `imports` (shown by `socialledger imports`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ImportRecord {
    pub id: i64,
    pub file_name: String,
    pub format: String,
    pub content_hash: String,
    /// Data rows the importer read from the file.
    pub rows: u64,
    pub imported_at: Timestamp,
    /// When the import was undone (`socialledger imports undo`, the web app's Imports page), if it was.
    pub undone_at: Option<Timestamp>,
    /// Who undid it: the user's id, `None` for the command line (or when it was not undone).
    pub undone_by: Option<i64>,
}

impl Store {
    /// Opens (creating if needed) the database at `location` and applies pending migrations:
    /// [`Store::open_with`] with [`IfMissing::Create`].
    pub async fn open(location: &str) -> Result<Store> {
        Store::open_with(location, IfMissing::Create).await
    }

    /// Opens the database at `location` and applies pending migrations; `if_missing` says what happens when
    /// there is none.
    ///
    /// `location` is a file path (`./socialledger.db`), a `sqlite:` URL (`sqlite://data/ledger.db`,
    /// `sqlite::memory:`) or a `postgres://` / `postgresql://` URL. A SQLite file is opened in WAL mode with
    /// `synchronous=NORMAL` (a crash may lose the last commits, never corrupts the file), foreign keys on and a
    /// 5 s busy timeout. A PostgreSQL database that does not exist is created with `CREATE DATABASE "name" OWNER
    /// "user"` on the server's `postgres` database; when the user may not do that, the error says what to run.
    /// The tables are created on first open. [`Store::created`] tells whether the database was created.
    pub async fn open_with(location: &str, if_missing: IfMissing) -> Result<Store> {
        sqlx::any::install_default_drivers();
        let loc = Location::parse(location)?;
        let backend = loc.backend;
        let mut created = false;
        if backend == Backend::Sqlite {
            let exists = loc.file.as_ref().is_some_and(|f| f.exists());
            if !exists && if_missing == IfMissing::Fail {
                return Err(StoreError::NotFound { location: loc.shown });
            }
            created = !exists && !loc.in_memory;
        }
        let mut options = AnyPoolOptions::new().acquire_timeout(CONNECT_TIMEOUT);
        options = match backend {
            Backend::Sqlite => options
                // Writers serialise on SQLite anyway; a few connections serve concurrent readers.
                .max_connections(if loc.in_memory { 1 } else { 4 })
                .after_connect(|conn, _meta| {
                    Box::pin(async move {
                        conn.execute("PRAGMA journal_mode = WAL").await?;
                        conn.execute("PRAGMA synchronous = NORMAL").await?;
                        conn.execute("PRAGMA foreign_keys = ON").await?;
                        conn.execute("PRAGMA busy_timeout = 5000").await?;
                        // Up to 64 MiB of page cache (negative = KiB): a bulk import touches the key index
                        // everywhere, and a small cache would spill dirty pages to the WAL again and again.
                        conn.execute("PRAGMA cache_size = -65536").await?;
                        // Statement journals of multi-row upserts stay in memory instead of temporary files.
                        conn.execute("PRAGMA temp_store = MEMORY").await?;
                        Ok(())
                    })
                }),
            Backend::Postgres => options.max_connections(8),
        };
        if loc.in_memory {
            // An in-memory database lives only as long as its one connection: never let the pool close it.
            options = options.min_connections(1).idle_timeout(None).max_lifetime(None);
        }
        let shown = loc.shown;
        let sqlite_file = if loc.in_memory { None } else { loc.file.clone() };
        let pg_options = match backend {
            Backend::Postgres => Some(
                <sqlx::postgres::PgConnectOptions as sqlx::ConnectOptions>::from_url(&loc.options.database_url)
                    .map_err(|cause| StoreError::Open { location: shown.clone(), cause })?,
            ),
            Backend::Sqlite => None,
        };
        let open_error = |cause| StoreError::Open { location: shown.clone(), cause };
        // One plain connection first: the pool retries failed connections until its timeout, which would turn
        // "connection refused" or "no such directory" into a long wait and a vaguer error.
        let connect = || async {
            tokio::time::timeout(CONNECT_TIMEOUT, AnyConnection::connect_with(&loc.options))
                .await
                .unwrap_or(Err(sqlx::Error::PoolTimedOut))
        };
        let mut first = match connect().await {
            Err(cause) if backend == Backend::Postgres && sqlstate(&cause).as_deref() == Some(PG_NO_SUCH_DATABASE) => {
                if if_missing == IfMissing::Fail {
                    return Err(StoreError::NotFound { location: shown.clone() });
                }
                let database = PgDatabase::from_url(location).ok_or_else(|| open_error(cause))?;
                create_database(&database, &shown).await?;
                created = true;
                connect().await.map_err(open_error)?
            }
            first => first.map_err(open_error)?,
        };
        if if_missing == IfMissing::Fail && !has_schema(&mut first, backend).await.map_err(open_error)? {
            let _ = first.close().await;
            return Err(StoreError::NotFound { location: shown.clone() });
        }
        let _ = first.close().await;
        let pool = options.connect_with(loc.options).await.map_err(open_error)?;
        let migrator = match backend {
            Backend::Sqlite => &SQLITE_MIGRATIONS,
            Backend::Postgres => &POSTGRES_MIGRATIONS,
        };
        migrator.run(&pool).await.map_err(|cause| StoreError::Migrate { location: shown.clone(), cause })?;
        Ok(Store { pool, backend, location: shown, created, sqlite_file, pg_options })
    }

    /// True when opening this store created its database (a new SQLite file or a new PostgreSQL database), so
    /// that a command can say so.
    pub fn created(&self) -> bool {
        self.created
    }

    /// Which engine this store runs on.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// The location it was opened from, with any password redacted (safe to print).
    pub fn location(&self) -> &str {
        &self.location
    }

    /// Closes every connection (waits for running queries). Dropping the store also closes it, eventually.
    pub async fn close(&self) {
        self.pool.close().await;
    }

    /// Writes one file's records in one transaction: everything or nothing.
    ///
    /// If an import with the same `content_hash` exists, returns [`ImportOutcome::AlreadyImported`] and writes
    /// nothing. Otherwise records the import and upserts every record by its natural key (a newer export of the
    /// same post replaces its counters); see [`crate::import`] for duplicates and placeholder channels.
    /// `progress(done, total)` is called as records are written (`total` = `data.len()`).
    pub async fn import(
        &self,
        source: &ImportSource,
        data: &Dataset,
        progress: &(dyn Fn(u64, u64) + Sync),
    ) -> Result<ImportOutcome> {
        let begin = match self.backend {
            // Take the write lock up front: a deferred transaction that reads first and writes later can fail
            // with SQLITE_BUSY when another writer committed in between.
            Backend::Sqlite => "BEGIN IMMEDIATE",
            Backend::Postgres => "BEGIN",
        };
        let mut tx = self.pool.begin_with(begin).await.map_err(|cause| StoreError::Import {
            file_name: source.file_name.clone(),
            table: "imports",
            cause,
        })?;
        if let Some((import_id, at, file_name)) = import::find_import(&mut tx, &source.content_hash).await? {
            let _ = tx.rollback().await;
            return Ok(ImportOutcome::AlreadyImported { import_id, at, file_name });
        }
        match import::write_all(&mut tx, self.backend, source, data, progress).await {
            Ok(Some(outcome)) => {
                tx.commit().await.map_err(|cause| StoreError::Import {
                    file_name: source.file_name.clone(),
                    table: "imports",
                    cause,
                })?;
                Ok(outcome)
            }
            Ok(None) => {
                // Another process imported the same content between our check and our insert.
                let _ = tx.rollback().await;
                let mut conn = self.pool.acquire().await.map_err(query_error("reading imports"))?;
                match import::find_import(&mut conn, &source.content_hash).await? {
                    Some((import_id, at, file_name)) => Ok(ImportOutcome::AlreadyImported { import_id, at, file_name }),
                    None => Err(StoreError::Query {
                        doing: format!("recording the import of {}", source.file_name),
                        cause: sqlx::Error::RowNotFound,
                    }),
                }
            }
            Err(e) => {
                let _ = tx.rollback().await;
                Err(e)
            }
        }
    }

    /// Every record, each kind sorted by natural key (see [`crate::sort_by_natural_key`]), from one consistent
    /// snapshot. Both backends return identical datasets for the same imports.
    pub async fn load(&self) -> Result<Dataset> {
        let mut tx = self
            .pool
            .begin_with(load::begin_snapshot(self.backend))
            .await
            .map_err(query_error("starting a read transaction"))?;
        let data = load::dataset(&mut tx).await?;
        let _ = tx.rollback().await;
        Ok(data)
    }

    /// Every record for analysis, from one consistent snapshot: like [`Store::load`], except that touchpoints
    /// come in compact form ([`Dataset::compact_touches`]; `touchpoints` stays empty) with only the columns the
    /// analyses read. Ten million touchpoints take about 300 MB that way instead of several GB as records
    /// (docs/benchmarks.md). Analyses read them through [`Dataset::touches`], so their results are the same as
    /// over [`Store::load`].
    ///
    /// The touchpoints do not come through the pool, whose per-row overhead dominated the load at millions of
    /// rows: from a SQLite file they are read on a blocking thread through a direct connection (`sqlite_direct`),
    /// from PostgreSQL they stream with `COPY` through a second connection in the pool's exported snapshot
    /// (`pg_direct`); both while the pool reads the other tables. An in-memory SQLite database reads them through
    /// the pool.
    pub async fn load_for_analysis(&self) -> Result<Dataset> {
        if let Some(file) = &self.sqlite_file {
            // Another connection committing during the load makes the two reads disagree; load again then.
            for _ in 0..DIRECT_LOAD_ATTEMPTS {
                if let Some(data) = self.load_for_analysis_direct(file).await? {
                    return Ok(data);
                }
            }
        }
        let mut tx = self
            .pool
            .begin_with(load::begin_snapshot(self.backend))
            .await
            .map_err(query_error("starting a read transaction"))?;
        let data = match &self.pg_options {
            Some(options) => Self::load_for_analysis_pg(&mut tx, options).await,
            None => load::analysis_dataset(&mut tx).await,
        };
        let _ = tx.rollback().await;
        data
    }

    /// [`Store::load_for_analysis`] on PostgreSQL, inside the pool's snapshot transaction `tx`: the touchpoints
    /// stream through a second connection in the same (exported) snapshot while the pool reads the other tables
    /// (see `crate::pg_direct`).
    async fn load_for_analysis_pg(
        tx: &mut sqlx::AnyConnection,
        options: &sqlx::postgres::PgConnectOptions,
    ) -> Result<Dataset> {
        let snapshot: String = sqlx::query_scalar("SELECT pg_export_snapshot()")
            .fetch_one(&mut *tx)
            .await
            .map_err(query_error("exporting the read snapshot"))?;
        let options = options.clone();
        let reading = tokio::spawn(async move { crate::pg_direct::touches(&options, &snapshot).await });
        let others = load::all_but_touchpoints(tx).await;
        let touches = match reading.await {
            Ok(touches) => touches,
            Err(join) => std::panic::resume_unwind(join.into_panic()),
        };
        let mut data = others?;
        data.compact_touches = Some(touches?);
        Ok(data)
    }

    /// [`Store::load_for_analysis`] on a SQLite file: the touchpoints through a direct connection on a blocking
    /// thread while the pool reads the other tables. `None` when another connection committed meanwhile, so
    /// that the two reads may not be of one snapshot (see `crate::sqlite_direct`).
    async fn load_for_analysis_direct(&self, file: &std::path::Path) -> Result<Option<Dataset>> {
        let mut direct = DirectSqlite::open(file)?;
        // Before either snapshot starts.
        let before = direct.data_version()?;
        let reading = tokio::task::spawn_blocking(move || direct.touches().map(|touches| (direct, touches)));
        let mut tx = self
            .pool
            .begin_with(load::begin_snapshot(self.backend))
            .await
            .map_err(query_error("starting a read transaction"))?;
        let others = load::all_but_touchpoints(&mut tx).await;
        let read = match reading.await {
            Ok(read) => read,
            Err(join) => std::panic::resume_unwind(join.into_panic()),
        };
        let _ = tx.rollback().await;
        let (direct, touches) = read?;
        let mut data = others?;
        // After both snapshots were taken.
        if direct.data_version()? != before {
            return Ok(None);
        }
        data.compact_touches = Some(touches);
        Ok(Some(data))
    }

    /// Posts and post metrics only, each sorted by natural key, from one consistent snapshot: what the
    /// cross-posting audit reads (`socialledger crossposts`), without loading the CRM and time tables.
    pub async fn posts_with_metrics(&self) -> Result<Dataset> {
        let mut tx = self
            .pool
            .begin_with(load::begin_snapshot(self.backend))
            .await
            .map_err(query_error("starting a read transaction"))?;
        let posts = load::table::<Post>(&mut tx).await?;
        let post_metrics = load::table::<PostMetrics>(&mut tx).await?;
        let _ = tx.rollback().await;
        Ok(Dataset { posts, post_metrics, ..Dataset::default() })
    }

    /// Every channel, sorted by key.
    pub async fn channels(&self) -> Result<Vec<Channel>> {
        let mut conn = self.pool.acquire().await.map_err(query_error("reading channels"))?;
        load::table::<Channel>(&mut conn).await
    }

    /// Every import, oldest first.
    pub async fn imports(&self) -> Result<Vec<ImportRecord>> {
        type Row = (i64, String, String, String, i64, String, Option<String>, Option<i64>);
        let rows: Vec<Row> = sqlx::query_as(
            "SELECT id, file_name, format, content_hash, rows, imported_at, undone_at, undone_by FROM imports \
             ORDER BY id",
        )
        .fetch_all(&self.pool)
        .await
        .map_err(query_error("reading imports"))?;
        rows.into_iter()
            .map(|(id, file_name, format, content_hash, rows, at, undone_at, undone_by)| {
                let imported_at = crate::audit::parse_at(&at, "imports", "imported_at")?;
                let undone_at = undone_at.map(|at| crate::audit::parse_at(&at, "imports", "undone_at")).transpose()?;
                // An undone import's hash carries a suffix (`crate::undo`); the record shows the file's hash.
                let content_hash = match content_hash.split_once(":undone:") {
                    Some((hash, _)) => hash.to_string(),
                    None => content_hash,
                };
                Ok(ImportRecord {
                    id,
                    file_name,
                    format,
                    content_hash,
                    rows: rows.max(0) as u64,
                    imported_at,
                    undone_at,
                    undone_by,
                })
            })
            .collect()
    }
}

/// The SQLSTATE code of a database error.
fn sqlstate(cause: &sqlx::Error) -> Option<String> {
    cause.as_database_error()?.code().map(|code| code.into_owned())
}

/// True when socialledger's migrations have run on this database (its `_sqlx_migrations` table exists).
async fn has_schema(conn: &mut AnyConnection, backend: Backend) -> std::result::Result<bool, sqlx::Error> {
    let sql = match backend {
        Backend::Sqlite => "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = '_sqlx_migrations'",
        Backend::Postgres => {
            "SELECT COUNT(*) FROM pg_catalog.pg_tables WHERE schemaname = current_schema() \
             AND tablename = '_sqlx_migrations'"
        }
    };
    let tables: i64 = sqlx::query_scalar(sql).fetch_one(conn).await?;
    Ok(tables > 0)
}

/// Creates a PostgreSQL database on its server's maintenance database, as the URL's user. Someone creating it
/// at the same moment is fine; not being allowed to is an error that says what an administrator must run.
async fn create_database(database: &PgDatabase, shown: &str) -> Result<()> {
    let statement = database.create_statement();
    let created = async {
        let mut admin = tokio::time::timeout(CONNECT_TIMEOUT, AnyConnection::connect(&database.maintenance_url))
            .await
            .unwrap_or(Err(sqlx::Error::PoolTimedOut))?;
        let result = admin.execute(statement.as_str()).await;
        let _ = admin.close().await;
        result
    };
    match created.await {
        Ok(_) => Ok(()),
        Err(cause) if sqlstate(&cause).as_deref() == Some(PG_DUPLICATE_DATABASE) => Ok(()),
        Err(cause) => Err(StoreError::CreateDatabase {
            location: shown.to_string(),
            name: database.name.clone(),
            cause,
            statement,
        }),
    }
}
