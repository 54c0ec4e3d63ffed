//! The errors of the store, each naming what it was doing, on which database or table, and what to do.
//!
//! The underlying `sqlx` error is part of the message (not a separate `source`), so that printing the cause chain
//! does not say the same thing twice; [`StoreError::database_error_kind`] gives programmatic access to it.

use sqlx::error::ErrorKind;

/// Everything that can go wrong in the store.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// The location is neither a file path, a `sqlite:` URL nor a `postgres://` URL.
    #[error(
        "unsupported database location {location:?}: expected a file path (./socialledger.db), a sqlite:// URL or \
         a postgres:// URL; check --db or SOCIALLEDGER_DB"
    )]
    UnsupportedLocation { location: String },

    /// The database could not be opened or reached. `location` has its password redacted.
    #[error("cannot open database {location}: {cause}; check the path or SOCIALLEDGER_DB")]
    Open { location: String, cause: sqlx::Error },

    /// No socialledger database at the location (no such SQLite file, no such PostgreSQL database, or one
    /// without socialledger's tables), and the caller only reads. `location` has its password redacted.
    #[error("no socialledger database at {location}; import data first")]
    NotFound { location: String },

    /// A PostgreSQL database did not exist and could not be created (no right to, or the server's `postgres`
    /// database is out of reach). `statement` is what a user who may create databases should run.
    #[error(
        "the PostgreSQL database {name:?} does not exist at {location} and cannot be created: {cause}; have a user \
         who may create databases run: {statement};"
    )]
    CreateDatabase { location: String, name: String, cause: sqlx::Error, statement: String },

    /// The schema migrations could not be applied (or an applied migration was edited afterwards).
    #[error(
        "cannot apply the schema migrations to {location}: {cause}; the database may belong to a newer socialledger, \
         or a migration file was edited after it was applied"
    )]
    Migrate { location: String, cause: sqlx::migrate::MigrateError },

    /// A record cannot be stored as it is (checked before anything is written).
    #[error("cannot store {table} record {record}: {reason}; nothing was written")]
    InvalidRecord { table: &'static str, record: String, reason: String },

    /// The database refused a write of an import; the transaction was rolled back, so nothing was written.
    #[error("cannot import {file_name}: writing {table} failed: {cause}; nothing was written{}", import_hint(.cause))]
    Import { file_name: String, table: &'static str, cause: sqlx::Error },

    /// A query other than an import write failed.
    #[error("database error while {doing}: {cause}")]
    Query { doing: String, cause: sqlx::Error },

    /// A read through the direct SQLite connection of the analysis load failed (see `crate::sqlite_direct`).
    #[error("database error while {doing}: {cause}")]
    DirectRead { doing: String, cause: rusqlite::Error },

    /// A write through the direct SQLite connection of a streaming import failed (see `crate::sqlite_stream`);
    /// the import's transaction was not committed.
    #[error("database error while {doing}, nothing was imported: {cause}")]
    DirectWrite { doing: String, cause: rusqlite::Error },

    /// The thread writing a streaming import stopped without finishing (it failed or was cancelled); its
    /// connection closed, which rolled the transaction back.
    #[error("the import of {file_name} was interrupted and rolled back ({cause}); import the file again")]
    Interrupted { file_name: String, cause: String },

    /// No channel has this key.
    #[error("no channel {key:?} in the database; `socialledger channels` lists them")]
    NoSuchChannel { key: String },

    /// A channel cannot be merged into itself.
    #[error("cannot merge channel {key:?} into itself; name two different channels")]
    MergeIntoItself { key: String },

    /// Another user already has this e-mail address.
    #[error("a user with the e-mail address {email:?} exists already; choose another address")]
    EmailTaken { email: String },

    /// A user started a timer while one runs (stop it first, or log the time instead).
    #[error(
        "a timer is already running (on {channel}, task {task}, since {since}); stop it first \
         (`socialledger time stop` or the Stop button), then start the next one"
    )]
    TimerRunning { channel: String, task: &'static str, since: String },

    /// A user stopped a timer while none runs.
    #[error("no timer is running for {email}; start one first, or log finished work with `socialledger time log`")]
    NoTimerRunning { email: String },

    /// A stored value does not decode into the domain (the database was edited by hand, or is damaged).
    /// `imports undo` of an id that is not in `imports`.
    #[error("no import {id}; `socialledger imports` lists them")]
    NoSuchImport { id: i64 },

    /// `imports undo` of an import that was undone already.
    #[error("import {id} ({file_name}) was undone already, at {at}; nothing changed")]
    AlreadyUndone { id: i64, file_name: String, at: String },

    /// `imports undo` of a write that is not an import of a file (a channel merge, time tracked in the app).
    #[error("import {id} is a {format:?} record, not an import of a file, and cannot be undone; nothing changed")]
    NotUndoable { id: i64, format: String },

    /// `imports undo` of an import whose rows later imports changed: undoing it first would lose their changes.
    #[error(
        "cannot undo import {id} ({file_name}): {} changed rows it wrote; undo import {} first; nothing changed",
        later_list(.later), .later.first().copied().unwrap_or_default()
    )]
    ChangedLater { id: i64, file_name: String, later: Vec<i64> },

    #[error("invalid value {value:?} in {table}.{column}: {reason}; was the database edited by hand?")]
    Corrupt { table: &'static str, column: &'static str, value: String, reason: String },
}

impl StoreError {
    /// The kind of database error behind this one (unique, foreign key, check or not-null violation), if any:
    /// lets callers tell a refused write from a lost connection without parsing messages.
    pub fn database_error_kind(&self) -> Option<ErrorKind> {
        let cause = match self {
            StoreError::Open { cause, .. }
            | StoreError::CreateDatabase { cause, .. }
            | StoreError::Import { cause, .. }
            | StoreError::Query { cause, .. } => cause,
            _ => return None,
        };
        cause.as_database_error().map(|e| e.kind())
    }
}

/// What to do after a refused import write: a constraint violation means the data is wrong, anything else (a
/// read-only file, a lost connection) is about the database, and the message says so by itself.
fn import_hint(cause: &sqlx::Error) -> &'static str {
    let data_problem = cause.as_database_error().is_some_and(|e| {
        matches!(
            e.kind(),
            ErrorKind::CheckViolation
                | ErrorKind::ForeignKeyViolation
                | ErrorKind::NotNullViolation
                | ErrorKind::UniqueViolation
        )
    });
    if data_problem {
        ", fix the file and import it again"
    } else {
        ""
    }
}

/// "import 7" or "imports 9, 7" (newest first).
fn later_list(later: &[i64]) -> String {
    let ids: Vec<String> = later.iter().map(i64::to_string).collect();
    match ids.len() {
        1 => format!("import {}", ids[0]),
        _ => format!("imports {}", ids.join(", ")),
    }
}

/// Shorthand for results of the store.
pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// Wraps a failing query with what the store was doing.
pub(crate) fn query_error(doing: impl Into<String>) -> impl FnOnce(sqlx::Error) -> StoreError {
    let doing = doing.into();
    move |cause| StoreError::Query { doing, cause }
}
