//! Opening databases: locations, migrations, SQLite settings, and error messages that say what to do.

use crate::fixtures::sample;
use crate::support::{on_both, on_sqlite, pg_admin, quiet, source, PgDatabase};
use socialledger_store::{Backend, IfMissing, Store, StoreError};
use sqlx::{Connection, Executor, SqliteConnection};

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

/// Issue 12: a reading command given a mistyped location finds no database there and creates nothing; a database
/// without socialledger's tables is no socialledger database either.
#[tokio::test]
async fn a_missing_sqlite_database_is_not_created_for_reading() {
    let dir = tempfile::tempdir().unwrap();
    let typo = dir.path().join("socialedger.db");
    let location = typo.to_str().unwrap();
    let err = Store::open_with(location, IfMissing::Fail).await.unwrap_err();
    assert!(matches!(err, StoreError::NotFound { .. }), "{err:?}");
    assert_eq!(err.to_string(), format!("no socialledger database at {location}; import data first"));
    assert!(!typo.exists(), "opening for reading created {location}");

    // An empty file, and a SQLite database of something else, hold no socialledger database.
    std::fs::write(&typo, b"").unwrap();
    let err = Store::open_with(location, IfMissing::Fail).await.unwrap_err();
    assert!(matches!(err, StoreError::NotFound { .. }), "{err:?}");
    let other = dir.path().join("other.db");
    let mut conn = SqliteConnection::connect(&format!("sqlite://{}?mode=rwc", other.display())).await.unwrap();
    conn.execute("CREATE TABLE notes (text TEXT)").await.unwrap();
    conn.close().await.unwrap();
    let err = Store::open_with(other.to_str().unwrap(), IfMissing::Fail).await.unwrap_err();
    assert!(matches!(err, StoreError::NotFound { .. }), "{err:?}");

    // Written once, it opens for reading, and only the first open created it.
    let real = dir.path().join("socialledger.db");
    let store = Store::open(real.to_str().unwrap()).await.unwrap();
    assert!(store.created());
    store.import(&source("a.csv", "a", 1), &sample(), &quiet).await.unwrap();
    store.close().await;
    let store = Store::open_with(real.to_str().unwrap(), IfMissing::Fail).await.unwrap();
    assert!(!store.created());
    assert_eq!(store.imports().await.unwrap().len(), 1);
    assert!(!Store::open(real.to_str().unwrap()).await.unwrap().created());
}

/// Issue 12: the same on PostgreSQL: no such database, or one without socialledger's tables, is "no socialledger
/// database" for reading, and the message hides the password.
#[tokio::test]
async fn a_missing_postgres_database_is_not_created_for_reading() {
    let Some((mut admin, base)) = pg_admin().await else { return };
    let name = format!("socialledger_test_missing_{}", std::process::id());
    let mut url = base.clone();
    url.set_path(&name);
    if url.password().is_none() && !url.username().is_empty() {
        // A password that must not be shown (trust authentication ignores it).
        url.set_password(Some("s3cret")).unwrap();
    }
    let err = Store::open_with(url.as_str(), IfMissing::Fail).await.unwrap_err();
    assert!(matches!(err, StoreError::NotFound { .. }), "{err:?}");
    let message = err.to_string();
    assert!(message.starts_with("no socialledger database at postgres://") && message.contains(&name), "{message}");
    assert!(message.ends_with("; import data first") && !message.contains("s3cret"), "{message}");
    let exists: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM pg_database WHERE datname = $1")
        .bind(&name)
        .fetch_one(&mut admin)
        .await
        .unwrap();
    assert_eq!(exists, 0, "opening for reading created the database {name}");

    let empty = PgDatabase::create("empty_for_reading").await.unwrap();
    let err = Store::open_with(&empty.url, IfMissing::Fail).await.unwrap_err();
    assert!(matches!(err, StoreError::NotFound { .. }), "an empty database is no socialledger database: {err:?}");
    Store::open(&empty.url).await.unwrap().close().await;
    Store::open_with(&empty.url, IfMissing::Fail).await.unwrap().close().await;
    empty.drop().await;
}

/// Issue 12: `socialledger --db postgres://postgres@127.0.0.1/marketing import ...` works on a server without that
/// database: opening for writing creates it, whatever characters its name holds.
#[tokio::test]
async fn a_missing_postgres_database_is_created_for_writing() {
    let Some((mut admin, base)) = pg_admin().await else { return };
    let name = format!("socialledger_test New-\"Ledger\"_{}", std::process::id());
    let mut url = base.clone();
    url.set_path(&name);
    let drop = format!("DROP DATABASE IF EXISTS \"{}\" WITH (FORCE)", name.replace('"', "\"\""));
    admin.execute(drop.as_str()).await.unwrap();

    let store = Store::open(url.as_str()).await.unwrap_or_else(|e| panic!("{url}: {e}"));
    assert!(store.created(), "the database did not exist, so opening it created it");
    assert_eq!(store.backend(), Backend::Postgres);
    store.import(&source("a.csv", "a", 1), &sample(), &quiet).await.unwrap();
    store.close().await;
    let names: Vec<String> =
        sqlx::query_scalar("SELECT datname FROM pg_database WHERE datname LIKE 'socialledger_test New-%'")
            .fetch_all(&mut admin)
            .await
            .unwrap();
    assert!(names.contains(&name), "no database named exactly {name:?}: {names:?}");
    let again = Store::open_with(url.as_str(), IfMissing::Fail).await.unwrap();
    assert!(!again.created());
    assert_eq!(again.imports().await.unwrap().len(), 1);
    again.close().await;
    admin.execute(drop.as_str()).await.unwrap();
}

/// Issue 12: a user who may not create databases is told what to have run, with the name quoted.
#[tokio::test]
async fn a_user_who_may_not_create_databases_is_told_what_to_run() {
    let Some((mut admin, base)) = pg_admin().await else { return };
    let role = format!("socialledger_test_nocreate_{}", std::process::id());
    admin.execute(format!("DROP ROLE IF EXISTS {role}").as_str()).await.unwrap();
    admin.execute(format!("CREATE ROLE {role} LOGIN NOCREATEDB PASSWORD 'pw'").as_str()).await.unwrap();
    let mut url = base.clone();
    url.set_username(&role).unwrap();
    url.set_password(Some("pw")).unwrap();
    url.set_path("socialledger_test_denied");
    let result = Store::open(url.as_str()).await;
    admin.execute(format!("DROP ROLE {role}").as_str()).await.unwrap();
    let Err(err) = result else { panic!("{role} created a database without the right to") };
    assert!(matches!(err, StoreError::CreateDatabase { .. }), "{err:?}");
    let message = err.to_string();
    assert!(
        message.contains(&format!("run: CREATE DATABASE \"socialledger_test_denied\" OWNER \"{role}\";")),
        "{message}"
    );
    assert!(message.contains("REDACTED") && !message.contains(":pw@"), "{message}");
}
