//! Integration tests of socialledger-store. Every test runs on a fresh SQLite file and on a fresh PostgreSQL
//! database (see `support`), through the public API only. One test binary; the modules live in `tests/store/`.

#[path = "store/accounts.rs"]
mod accounts;
#[path = "store/analysis_cache.rs"]
mod analysis_cache;
#[path = "store/api_tokens.rs"]
mod api_tokens;
#[path = "store/backends.rs"]
mod backends;
#[path = "store/channels.rs"]
mod channels;
#[path = "store/experiments.rs"]
mod experiments;
#[path = "store/fixtures.rs"]
mod fixtures;
#[path = "store/import_jobs.rs"]
mod import_jobs;
#[path = "store/imports.rs"]
mod imports;
#[path = "store/open.rs"]
mod open;
#[path = "store/round_trip.rs"]
mod round_trip;
#[path = "store/settings.rs"]
mod settings;
#[path = "store/stream.rs"]
mod stream;
#[path = "store/support.rs"]
mod support;
#[path = "store/targets.rs"]
mod targets;
#[path = "store/time_tracking.rs"]
mod time_tracking;
#[path = "store/undo.rs"]
mod undo;
