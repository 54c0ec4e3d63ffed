//! Test databases: a fresh SQLite file, and a uniquely named PostgreSQL database created for one test and dropped
//! afterwards. The PostgreSQL server comes from `SOCIALLEDGER_TEST_PG` (a base URL, default
//! `postgres://postgres@127.0.0.1:5432`). When it cannot be reached, the PostgreSQL half is skipped and the skip
//! recorded (`scripts/test` counts it), unless under CI: then the test fails, because CI must test both backends
//! (see `socialledger_testkit::skip`).

use socialledger_store::{Backend, ImportSource, Store};
use sqlx::{Connection, Executor, PgConnection};
use std::future::Future;
use std::sync::atomic::{AtomicUsize, Ordering};

/// A database a test may open (several times, to test reopening).
#[derive(Clone, Debug)]
pub struct TestDb {
    pub location: String,
    pub backend: Backend,
}

impl TestDb {
    pub async fn open(&self) -> Store {
        let store = Store::open(&self.location).await.unwrap_or_else(|e| panic!("open {}: {e}", self.location));
        assert_eq!(store.backend(), self.backend);
        store
    }
}

/// Runs `body` on a fresh SQLite file, then on a fresh PostgreSQL database (see the module docs).
pub async fn on_both<F, Fut>(test: &str, body: F)
where
    F: Fn(TestDb) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    on_sqlite(&body).await;
    on_postgres(test, &body).await;
}

pub async fn on_sqlite<F, Fut>(body: &F)
where
    F: Fn(TestDb) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    let dir = tempfile::tempdir().unwrap();
    let location = dir.path().join("socialledger.db").display().to_string();
    let result = tokio::spawn(body(TestDb { location, backend: Backend::Sqlite })).await;
    drop(dir);
    if let Err(e) = result {
        std::panic::resume_unwind(e.into_panic());
    }
}

/// Runs `body` on a fresh PostgreSQL database; returns false when PostgreSQL was skipped.
pub async fn on_postgres<F, Fut>(test: &str, body: &F) -> bool
where
    F: Fn(TestDb) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    let Some(db) = PgDatabase::create(test).await else { return false };
    let result = tokio::spawn(body(TestDb { location: db.url.clone(), backend: Backend::Postgres })).await;
    db.drop().await;
    if let Err(e) = result {
        std::panic::resume_unwind(e.into_panic());
    }
    true
}

/// A connection to the test server's maintenance database `postgres`, and the server's base URL; `None` (after
/// recording a skip) when the server is not reachable and not under CI.
pub async fn pg_admin() -> Option<(PgConnection, url::Url)> {
    let base = socialledger_testkit::pg_base();
    let url = url::Url::parse(&base).unwrap_or_else(|e| panic!("SOCIALLEDGER_TEST_PG={base:?}: {e}"));
    let mut admin_url = url.clone();
    admin_url.set_path("postgres");
    match PgConnection::connect(admin_url.as_str()).await {
        Ok(conn) => Some((conn, url)),
        Err(e) => {
            socialledger_testkit::skip(socialledger_testkit::Need::Postgres(&base), e);
            None
        }
    }
}

/// A PostgreSQL database that exists for one test.
pub struct PgDatabase {
    admin_url: String,
    name: String,
    pub url: String,
}

impl PgDatabase {
    /// Creates `socialledger_test_<test>_<pid>_<n>`, or returns None (after recording a skip) when the server is
    /// not reachable and not under CI.
    pub async fn create(test: &str) -> Option<PgDatabase> {
        static SEQ: AtomicUsize = AtomicUsize::new(0);
        let base = socialledger_testkit::pg_base();
        let with_db = |db: &str| {
            let mut url = url::Url::parse(&base).unwrap_or_else(|e| panic!("SOCIALLEDGER_TEST_PG={base:?}: {e}"));
            url.set_path(db);
            url.to_string()
        };
        let admin_url = with_db("postgres");
        let mut admin = match PgConnection::connect(&admin_url).await {
            Ok(c) => c,
            Err(e) => {
                socialledger_testkit::skip(socialledger_testkit::Need::Postgres(&base), e);
                return None;
            }
        };
        let slug: String = test
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '_' })
            .take(30)
            .collect();
        let name = format!("socialledger_test_{slug}_{}_{}", std::process::id(), SEQ.fetch_add(1, Ordering::Relaxed));
        admin.execute(format!("CREATE DATABASE \"{name}\"").as_str()).await.unwrap();
        let _ = admin.close().await;
        let url = with_db(&name);
        Some(PgDatabase { admin_url, name, url })
    }

    pub async fn drop(self) {
        let mut admin = PgConnection::connect(&self.admin_url).await.unwrap();
        admin.execute(format!("DROP DATABASE IF EXISTS \"{}\" WITH (FORCE)", self.name).as_str()).await.unwrap();
        let _ = admin.close().await;
    }
}

/// An import source with a given content hash.
pub fn source(file_name: &str, hash: &str, rows: usize) -> ImportSource {
    ImportSource { file_name: file_name.into(), format: "test".into(), content_hash: hash.into(), rows }
}

/// A progress callback that ignores progress.
pub fn quiet(_done: u64, _total: u64) {}
