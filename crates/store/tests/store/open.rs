//! Opening databases: locations, migrations, SQLite settings, and error messages that say what to do.

use crate::fixtures::sample;
use crate::support::{on_both, on_sqlite, quiet, source};
use socialledger_store::{Backend, Store, StoreError};
use sqlx::{Connection, SqliteConnection};

#[tokio::test]
async fn migrations_apply_twice_and_data_survives_reopening() {
    on_both("reopen", |db| async move {
        let store = db.open().await;
        store.import(&source("a.csv", "a", 1), &sample(), &quiet).await.unwrap();
        let before = store.load().await.unwrap();
        store.close().await;
        let again = db.open().await;
        let third = db.open().await;
        assert_eq!(again.load().await.unwrap(), before);
        assert_eq!(third.imports().await.unwrap().len(), 1);
    })
    .await;
}

#[tokio::test]
async fn sqlite_files_are_created_at_the_exact_path_in_wal_mode() {
    on_sqlite(&|_db| async move {
        let dir = tempfile::tempdir().unwrap();
        // Case, spaces and URL metacharacters in the path must reach the file system unchanged.
        let sub = dir.path().join("Dir With Space");
        std::fs::create_dir(&sub).unwrap();
        let path = sub.join("Le%41ger?#1.db");
        let store = Store::open(path.to_str().unwrap()).await.unwrap();
        assert_eq!(store.backend(), Backend::Sqlite);
        store.import(&source("a.csv", "a", 1), &sample(), &quiet).await.unwrap();
        store.close().await;
        assert!(
            path.is_file(),
            "{} missing; dir has {:?}",
            path.display(),
            std::fs::read_dir(&sub).unwrap().collect::<Vec<_>>()
        );

        // The same file through a sqlite: URL, percent-encoded.
        let url = format!("sqlite://{}/Dir%20With%20Space/Le%2541ger%3F%231.db", dir.path().display());
        let store = Store::open(&url).await.unwrap();
        assert_eq!(store.imports().await.unwrap().len(), 1);
        store.close().await;
        let mut raw = SqliteConnection::connect(&format!("{url}?mode=ro")).await.unwrap();
        let mode: String = sqlx::query_scalar("PRAGMA journal_mode").fetch_one(&mut raw).await.unwrap();
        assert_eq!(mode, "wal");
        raw.close().await.unwrap();
    })
    .await;
}

#[tokio::test]
async fn in_memory_sqlite_works_for_one_store() {
    let store = Store::open("sqlite::memory:").await.unwrap();
    store.import(&source("a.csv", "a", 1), &sample(), &quiet).await.unwrap();
    assert_eq!(store.load().await.unwrap(), crate::fixtures::sorted(sample()));
    let other = Store::open("sqlite::memory:").await.unwrap();
    assert!(other.imports().await.unwrap().is_empty(), "two in-memory stores must not share data");
}

#[tokio::test]
async fn errors_name_the_location_and_what_to_do_without_the_password() {
    let missing = "/nonexistent-socialledger-dir/sub/ledger.db";
    let err = Store::open(missing).await.unwrap_err();
    let message = err.to_string();
    assert!(matches!(err, StoreError::Open { .. }), "{err:?}");
    assert!(message.contains(missing) && message.contains("SOCIALLEDGER_DB"), "{message}");

    // Port 1: refused at once.
    let err = Store::open("postgres://app:s3cret@127.0.0.1:1/ledger").await.unwrap_err();
    let message = err.to_string();
    assert!(message.contains("postgres://app:REDACTED@127.0.0.1:1/ledger"), "{message}");
    assert!(!message.contains("s3cret") && !format!("{err:?}").contains("s3cret"), "{message}");

    let err = Store::open("mysql://root@localhost/x").await.unwrap_err();
    assert!(matches!(err, StoreError::UnsupportedLocation { .. }), "{err:?}");
}

#[tokio::test]
async fn debug_output_shows_the_backend_and_location() {
    on_both("debug", |db| async move {
        let store = db.open().await;
        let shown = format!("{store:?}");
        assert!(shown.contains(&format!("{:?}", db.backend)) && shown.contains(&db.location), "{shown}");
        assert_eq!(store.location(), db.location);
    })
    .await;
}
