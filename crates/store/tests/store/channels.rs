//! Channel identity repairs (issue 12): `rename_channel` and `merge_channels`, which moves every record of one
//! channel onto another in one transaction recorded in `imports`.

use crate::fixtures::*;
use crate::support::{on_both, quiet, source, TestDb};
use socialledger_domain::*;
use socialledger_store::{ImportOutcome, StoreError, MERGE_FORMAT};

fn post(channel: &str, id: &str, text: Option<&str>, url: Option<&str>) -> Post {
    Post {
        channel: channel.into(),
        external_id: id.into(),
        published_at: Some(at(2025, 3, 1, 9, 30, 0, 0)),
        post_type: None,
        text: text.map(Into::into),
        url: url.map(Into::into),
        author: None,
        campaign: None,
        idea: None,
    }
}

fn slice(channel: &str, value: &str, count: i64) -> AudienceSlice {
    AudienceSlice {
        channel: channel.into(),
        date: date(2025, 3, 31),
        audience: AudienceKind::Followers,
        dimension: AudienceDimension::Seniority,
        value: value.into(),
        count,
    }
}

fn cost(channel: &str, description: &str, minor: i64) -> CostItem {
    CostItem {
        channel: Some(channel.into()),
        month: date(2025, 3, 1),
        kind: CostKind::Tool,
        amount: eur(minor),
        description: description.into(),
    }
}

fn conversation(channel: &str, key: &str, answered: Option<Timestamp>) -> Conversation {
    Conversation {
        channel: channel.into(),
        key: key.into(),
        kind: Some(ConversationKind::Dm),
        received_at: at(2025, 3, 4, 10, 0, 0, 0),
        first_response_at: answered,
        assignee: None,
    }
}

/// One X account on two channels, `x` (with its handle) and `x-x` (from an export that named none), with records
/// of every kind on `x-x`, some of them also on `x`.
fn split_account() -> Dataset {
    let x = Channel { handle: Some("acme".into()), ..channel("x", ChannelKind::OrganicSocial, Some(Network::X)) };
    let xx = Channel { handle: None, name: "X".into(), ..channel("x-x", ChannelKind::OrganicSocial, Some(Network::X)) };
    let mut day_x = ChannelDay { channel: "x".into(), date: Some(date(2025, 3, 1)), ..Default::default() };
    day_x.impressions = Some(100);
    let mut day_xx = ChannelDay { channel: "x-x".into(), date: Some(date(2025, 3, 1)), ..Default::default() };
    day_xx.impressions = Some(999);
    day_xx.new_followers = Some(7);
    let other_day = ChannelDay { channel: "x-x".into(), date: Some(date(2025, 3, 2)), ..day_xx.clone() };
    Dataset {
        channels: vec![x, xx],
        posts: vec![
            post("x", "1", None, Some("https://x.com/acme/status/1")),
            post("x-x", "1", Some("from x-x"), Some("https://x.com/other/status/1")),
            post("x-x", "2", Some("only on x-x"), None),
        ],
        post_metrics: vec![
            post_metrics("x", "1", Some(date(2025, 3, 31)), 100),
            post_metrics("x-x", "1", Some(date(2025, 3, 31)), 555),
            post_metrics("x-x", "2", Some(date(2025, 3, 31)), 20),
        ],
        channel_days: vec![day_x, day_xx, other_day],
        audience: vec![slice("x", "Senior", 3), slice("x-x", "Senior", 9), slice("x-x", "Entry", 4)],
        activities: vec![Activity {
            channel: Some("x-x".into()),
            ..activity("launch", date(2025, 3, 1), date(2025, 3, 2))
        }],
        time_entries: vec![TimeEntry {
            key: "t1".into(),
            person: "ada".into(),
            date: date(2025, 3, 3),
            minutes: 30,
            channel: Some("x-x".into()),
            task: Task::Content,
            note: None,
        }],
        cost_items: vec![cost("x", "scheduler", 1_000), cost("x-x", "scheduler", 5_000), cost("x-x", "design", 700)],
        touchpoints: vec![touchpoint("tp1", "x-x", at(2025, 3, 4, 10, 0, 0, 0))],
        conversations: vec![
            conversation("x", "dm-1", None),
            conversation("x-x", "dm-1", Some(at(2025, 3, 4, 12, 0, 0, 0))),
            conversation("x-x", "dm-2", None),
        ],
        ..Default::default()
    }
}

#[tokio::test]
async fn issue_12_merge_moves_every_record_in_one_recorded_transaction() {
    on_both("merge", |db| async move {
        let store = db.open().await;
        let imported = store.import(&source("split.csv", "split", 10), &split_account(), &quiet).await.unwrap();
        assert!(matches!(imported, ImportOutcome::Imported { .. }), "{imported:?}");

        let m = store.merge_channels("x-x", "x").await.unwrap();
        assert_eq!((m.from.as_str(), m.into.as_str()), ("x-x", "x"));
        let by_table: Vec<(&str, u64, u64)> = m.tables.iter().map(|t| (t.table, t.moved, t.merged)).collect();
        assert_eq!(
            by_table,
            [
                ("posts", 1, 1),
                ("post_metrics", 1, 1),
                ("channel_days", 1, 1),
                ("audience", 1, 1),
                ("activities", 1, 0),
                ("time_entries", 1, 0),
                ("cost_items", 1, 1),
                ("touchpoints", 1, 0),
                ("conversations", 1, 1),
            ]
        );

        let data = store.load().await.unwrap();
        assert_eq!(data.channels.iter().map(|c| c.key.as_str()).collect::<Vec<_>>(), ["x"]);
        assert_eq!(data.channels[0].handle.as_deref(), Some("acme"), "INTO keeps its handle");
        // Nothing refers to x-x any more.
        let json = serde_json::to_string(&data).unwrap();
        assert!(!json.contains("\"x-x\""), "{json}");
        // Where both had the record, INTO's values win and FROM's fill the gaps.
        let p1 = data.posts.iter().find(|p| p.external_id == "1").unwrap();
        assert_eq!((p1.text.as_deref(), p1.url.as_deref()), (Some("from x-x"), Some("https://x.com/acme/status/1")));
        let m1 = data.post_metrics.iter().find(|m| m.post_id == "1").unwrap();
        assert_eq!(m1.impressions, Some(100));
        let d1 = data.channel_days.iter().find(|d| d.date == Some(date(2025, 3, 1))).unwrap();
        assert_eq!((d1.impressions, d1.new_followers), (Some(100), Some(7)));
        assert_eq!(data.channel_days.len(), 2);
        let senior = data.audience.iter().find(|a| a.value == "Senior").unwrap();
        assert_eq!((senior.channel.as_str(), senior.count), ("x", 3));
        let costs: Vec<(&str, Option<&str>, i64)> =
            data.cost_items.iter().map(|c| (c.description.as_str(), c.channel.as_deref(), c.amount.minor)).collect();
        assert_eq!(costs, [("design", Some("x"), 700), ("scheduler", Some("x"), 1_000)]);
        assert_eq!(data.activities[0].channel.as_deref(), Some("x"));
        assert_eq!(data.time_entries[0].channel.as_deref(), Some("x"));
        assert_eq!(data.touchpoints[0].channel, "x");
        // The conversation on both takes FROM's answer, which INTO's row lacked.
        let dm1 = data.conversations.iter().find(|c| c.key == "dm-1").unwrap();
        assert_eq!((dm1.channel.as_str(), dm1.first_response_at), ("x", Some(at(2025, 3, 4, 12, 0, 0, 0))));
        assert_eq!(data.conversations.len(), 2);

        // Recorded in the imports history.
        let imports = store.imports().await.unwrap();
        let last = imports.last().unwrap();
        assert_eq!((last.id, last.format.as_str()), (m.import_id, MERGE_FORMAT));
        assert_eq!(last.file_name, "channels merge x-x into x");
        assert_eq!(last.rows, m.total());

        // Importing the earlier file again changes nothing: x-x does not come back.
        let again = store.import(&source("split.csv", "split", 10), &split_account(), &quiet).await.unwrap();
        assert!(matches!(again, ImportOutcome::AlreadyImported { .. }), "{again:?}");
        assert_eq!(store.load().await.unwrap(), data);
    })
    .await;
}

#[tokio::test]
async fn issue_12_merge_hands_the_account_identity_to_a_channel_without_one() {
    on_both("merge_identity", |db| async move {
        let store = db.open().await;
        let declared = Channel { handle: None, network: None, ..channel("social-x", ChannelKind::OrganicSocial, None) };
        let from = Channel {
            handle: Some("acme".into()),
            account: Some(AccountKind::Page),
            ..channel("x", ChannelKind::OrganicSocial, Some(Network::X))
        };
        let data = Dataset { channels: vec![declared, from], ..Default::default() };
        store.import(&source("channels.csv", "c", 2), &data, &quiet).await.unwrap();
        let m = store.merge_channels("x", "social-x").await.unwrap();
        assert_eq!(m.total(), 0);
        let channels = store.channels().await.unwrap();
        assert_eq!(channels.len(), 1);
        let c = &channels[0];
        assert_eq!(c.key, "social-x");
        assert_eq!(c.name, "Name of social-x", "INTO keeps its name");
        assert_eq!(
            (c.network, c.handle.as_deref(), c.account),
            (Some(Network::X), Some("acme"), Some(AccountKind::Page))
        );
    })
    .await;
}

#[tokio::test]
async fn issue_12_merge_and_rename_refuse_unknown_channels() {
    on_both("merge_errors", |db| async move {
        let store = db.open().await;
        store.import(&source("split.csv", "split", 10), &split_account(), &quiet).await.unwrap();
        let before = store.load().await.unwrap();
        let imports = store.imports().await.unwrap();
        let err = store.merge_channels("nope", "x").await.unwrap_err();
        assert!(matches!(&err, StoreError::NoSuchChannel { key } if key == "nope"), "{err}");
        assert!(err.to_string().contains("socialledger channels"), "{err}");
        let err = store.merge_channels("x", "nope").await.unwrap_err();
        assert!(matches!(&err, StoreError::NoSuchChannel { key } if key == "nope"), "{err}");
        let err = store.merge_channels("x", "x").await.unwrap_err();
        assert!(matches!(err, StoreError::MergeIntoItself { .. }), "{err}");
        let err = store.rename_channel("nope", "Nope").await.unwrap_err();
        assert!(matches!(err, StoreError::NoSuchChannel { .. }), "{err}");
        assert_eq!(store.load().await.unwrap(), before, "a refused merge changes nothing");
        assert_eq!(store.imports().await.unwrap(), imports, "and records nothing");
    })
    .await;
}

#[tokio::test]
async fn issue_12_rename_changes_the_name_and_keeps_the_key_and_records() {
    on_both("rename", |db| async move {
        let store = db.open().await;
        store.import(&source("split.csv", "split", 10), &split_account(), &quiet).await.unwrap();
        let before = store.load().await.unwrap();
        let c = store.rename_channel("x-x", "  Acme on X  ").await.unwrap();
        assert_eq!((c.key.as_str(), c.name.as_str()), ("x-x", "Acme on X"));
        let after = store.load().await.unwrap();
        assert_eq!(after.posts, before.posts);
        assert_eq!(after.channels.iter().find(|c| c.key == "x-x").unwrap().name, "Acme on X");
        assert!(store.rename_channel("x-x", " ").await.is_err(), "an empty name is refused");
    })
    .await;
}

#[tokio::test]
async fn issue_12_a_merged_away_handle_becomes_an_alias_of_the_channel_it_went_into() {
    on_both("merge_alias", |db| async move {
        let store = db.open().await;
        let x = |key: &str, handle: &str| Channel {
            handle: Some(handle.into()),
            ..channel(key, ChannelKind::OrganicSocial, Some(Network::X))
        };
        let data = Dataset {
            channels: vec![x("x", "Acme"), x("x-old", "@AcmeOld"), x("x-older", "acme_2019")],
            ..Default::default()
        };
        store.import(&source("channels.csv", "c", 3), &data, &quiet).await.unwrap();
        assert!(store.channel_aliases().await.unwrap().is_empty());

        store.merge_channels("x-older", "x-old").await.unwrap();
        store.merge_channels("x-old", "x").await.unwrap();
        let aliases: Vec<(Network, String, String)> =
            store.channel_aliases().await.unwrap().into_iter().map(|a| (a.network, a.handle, a.channel)).collect();
        assert_eq!(
            aliases,
            [
                (Network::X, "acme_2019".to_string(), "x".to_string()),
                (Network::X, "acmeold".to_string(), "x".to_string())
            ],
            "the earlier alias follows its channel into x"
        );
        let channels = store.channels().await.unwrap();
        assert_eq!(channels.len(), 1);
        assert_eq!(channels[0].handle.as_deref(), Some("Acme"), "INTO keeps its own handle");
    })
    .await;
}

/// The test database as an older release left it: only the named migrations applied (in order), plus one import
/// (id 1) that rows written by hand can refer to. The pool is for writing those rows; close it before opening a
/// `Store`, which applies the remaining migrations.
async fn database_before(db: &TestDb, migrations: &[&str]) -> sqlx::AnyPool {
    let folder = match db.backend {
        socialledger_store::Backend::Sqlite => "sqlite",
        socialledger_store::Backend::Postgres => "postgres",
    };
    let chosen = tempfile::tempdir().unwrap();
    let all = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations").join(folder);
    for name in migrations {
        std::fs::copy(all.join(name), chosen.path().join(name)).unwrap();
    }
    let url = match db.backend {
        socialledger_store::Backend::Sqlite => format!("sqlite://{}?mode=rwc", db.location),
        socialledger_store::Backend::Postgres => db.location.clone(),
    };
    sqlx::any::install_default_drivers();
    let pool = sqlx::AnyPool::connect(&url).await.unwrap();
    sqlx::migrate::Migrator::new(chosen.path()).await.unwrap().run(&pool).await.unwrap();
    sqlx::query(
        "INSERT INTO imports (file_name, format, content_hash, rows, imported_at) \
         VALUES ('old', 'x', 'old', 0, '2025-01-01T00:00:00.000000000Z')",
    )
    .execute(&pool)
    .await
    .unwrap();
    pool
}

/// A database made before migration 0002: its page channels are marked `page`, the rest stay unknown.
#[tokio::test]
async fn issue_12_migration_0002_marks_the_page_channels_of_an_older_database() {
    on_both("migration_0002", |db| async move {
        let pool = database_before(&db, &["0001_schema.sql"]).await;
        for (key, kind, network, handle) in [
            ("linkedin", "organic_social", Some("linkedin"), None),
            ("linkedin-doorly", "organic_social", Some("linkedin"), Some("doorly")),
            ("facebook", "organic_social", Some("facebook"), Some("Acme")),
            ("meta-ads", "paid_social", Some("facebook"), None),
            ("x", "organic_social", Some("x"), Some("acme")),
        ] {
            sqlx::query(
                "INSERT INTO channels (key, name, kind, network, handle, import_id) VALUES ($1, $1, $2, $3, $4, 1)",
            )
            .bind(key)
            .bind(kind)
            .bind(network)
            .bind(handle)
            .execute(&pool)
            .await
            .unwrap();
        }
        pool.close().await;

        let store = db.open().await;
        let accounts: Vec<(String, Option<AccountKind>)> =
            store.channels().await.unwrap().into_iter().map(|c| (c.key, c.account)).collect();
        let page = Some(AccountKind::Page);
        assert_eq!(
            accounts,
            [
                ("facebook".to_string(), page),
                ("linkedin".to_string(), None),
                ("linkedin-doorly".to_string(), page),
                ("meta-ads".to_string(), None),
                ("x".to_string(), None),
            ]
        );
        assert!(store.channel_aliases().await.unwrap().is_empty());
    })
    .await;
}

/// GA4 rows imported before migration 0004 kept GA4's "no data" `-1` as a figure: the migration makes it NULL,
/// except for revenue (a refund can make it really -1), and keeps every other figure.
#[tokio::test]
async fn issue_15_migration_0004_turns_the_stored_ga4_minus_one_into_no_data() {
    on_both("migration_0004", |db| async move {
        let pool =
            database_before(&db, &["0001_schema.sql", "0002_channel_identity.sql", "0003_conversations.sql"]).await;
        for (source, metric, amount) in
            [("ga4", "week_1", -1.0), ("ga4", "total_revenue", -1.0), ("ga4", "sessions", 7.0), ("other", "x", -1.0)]
        {
            sqlx::query(
                "INSERT INTO period_metrics (source, dimension, value, period_start, period_end, metric, amount, \
                 import_id) VALUES ($1, 'cohort', 'Jan 1 - Jan 7', '2025-01-01', '2025-01-28', $2, $3, 1)",
            )
            .bind(source)
            .bind(metric)
            .bind(amount)
            .execute(&pool)
            .await
            .unwrap();
        }
        pool.close().await;

        let store = db.open().await;
        let mut got: Vec<(String, String, Option<f64>)> =
            store.load().await.unwrap().period_metrics.into_iter().map(|m| (m.source, m.metric, m.amount)).collect();
        got.sort_by(|a, b| (&a.0, &a.1).cmp(&(&b.0, &b.1)));
        let row = |s: &str, m: &str, a| (s.to_string(), m.to_string(), a);
        assert_eq!(
            got,
            [
                row("ga4", "sessions", Some(7.0)),
                row("ga4", "total_revenue", Some(-1.0)),
                row("ga4", "week_1", None),
                row("other", "x", Some(-1.0)),
            ]
        );
    })
    .await;
}
