//! Persistence of socialledger on SQLite or PostgreSQL behind one API, with migrations and transactional,
//! idempotent imports.
//!
//! One code path serves both engines: sqlx's `Any` driver, `$1`-style placeholders (which SQLite and PostgreSQL
//! both accept), portable types (money as BIGINT minor units + currency, dates and timestamps as fixed-width
//! text, rates as DOUBLE PRECISION, enums as their canonical names) and no aggregation in SQL: analytics run in
//! Rust over [`Store::load`], so both backends give identical results by construction. Each backend has its own
//! migration folder (`migrations/sqlite`, `migrations/postgres`) with the same numbered files; see
//! `docs/storage.md` for the schema and the migration policy.
//!
//! ```no_run
//! # async fn demo(data: socialledger_domain::Dataset) -> Result<(), socialledger_store::StoreError> {
//! use socialledger_store::{ImportSource, Store};
//! let store = Store::open("./socialledger.db").await?;
//! let source = ImportSource {
//!     file_name: "posts.csv".into(),
//!     format: "canonical-posts".into(),
//!     content_hash: "…blake3 of the file…".into(),
//!     rows: 42,
//! };
//! let outcome = store.import(&source, &data, &|done, total| eprint!("\r{done}/{total}")).await?;
//! let everything = store.load().await?;
//! # Ok(()) }
//! ```

pub mod accounts;
pub mod analysis_cache;
pub mod api_tokens;
pub mod audit;
mod channel_repair;
mod codec;
mod error;
pub mod experiments;
pub mod import;
pub mod import_jobs;
mod load;
mod location;
mod paged;
mod pg_direct;
pub mod post_listing;
mod settings;
pub mod share_links;
mod sqlite_direct;
mod sqlite_stream;
mod store;
pub mod stream;
mod tables;
pub mod targets;
pub mod time_tracking;
pub mod undo;
mod upsert;

pub use accounts::{LinkPurpose, LoginFailures, NewSession, NewUser, OneTimeLink, Session, User};
pub use analysis_cache::{AnalysisHead, AnalysisResult, AnalysisStamp, StoredAnalysis};
pub use api_tokens::{ApiToken, NewApiToken, TokenRevocation, TokenScope};
pub use audit::{AuditAction, AuditEntry, NewAuditEntry};
pub use channel_repair::{ChannelMerge, MergeCounts, MERGE_FORMAT};
pub use error::{Result, StoreError};
pub use experiments::StoredExperiment;
pub use import::{ImportOutcome, ImportSource, TableCounts};
pub use import_jobs::{ImportJob, JobState, JobUpdate};
pub use location::{redact, Backend};
pub use paged::{PageRequest, Paged, PostWithMetrics};
pub use post_listing::{FiguresSource, ListedPost, PostPage, PostQuery, PostSort};
pub use settings::SettingChange;
pub use share_links::{NewShareLink, ShareLink};
pub use store::{IfMissing, ImportRecord, Store};
pub use stream::{Duplicate, Rekey, StreamStart, TouchpointStream};
pub use tables::sort_by_natural_key;
pub use targets::{Alert, Delivery, StoredTarget};
pub use time_tracking::{EntryChange, RunningTimer, TimeInput, TrackedEntry};
pub use undo::{UndoCounts, UndoOutcome};
