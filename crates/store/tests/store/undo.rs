//! Undoing a whole import (issue 16): the rows it inserted go, the rows it changed come back exactly, on both
//! backends and after both writers (the whole-file upsert, the streamed touchpoints import).

use crate::fixtures::*;
use crate::support::{on_both, quiet, source};
use socialledger_domain::*;
use socialledger_store::{ImportOutcome, Store, StoreError, StreamStart};

/// Every table's natural key and the import each row carries, in key order: with [`Store::load`] (every value),
/// a full dump of the data.
const KEYS: &[(&str, &str)] = &[
    ("channels", "key"),
    ("posts", "channel || '|' || external_id"),
    ("post_metrics", "channel || '|' || post_id || '|' || date || '|' || period"),
    ("channel_days", "channel || '|' || date"),
    ("audience", "channel || '|' || date || '|' || audience || '|' || dimension || '|' || value"),
    ("activities", "key"),
    ("people", "key"),
    ("time_entries", "key"),
    ("cost_items", "channel_key || '|' || month || '|' || kind || '|' || description"),
    ("accounts", "key"),
    ("contacts", "key"),
    ("deals", "key"),
    ("touchpoints", "key"),
    (
        "period_metrics",
        "source || '|' || dimension || '|' || value || '|' || period_start || '|' || period_end || '|' || metric",
    ),
    ("conversations", "channel || '|' || key"),
];

/// The whole data: every record, and which import each row carries.
#[derive(Debug, PartialEq)]
struct Dump {
    data: Dataset,
    provenance: Vec<(String, String, i64)>,
}

async fn dump(store: &Store, location: &str) -> Dump {
    let mut conn = <sqlx::AnyConnection as sqlx::Connection>::connect(&any_url(location)).await.unwrap();
    let mut provenance = Vec::new();
    for (table, key) in KEYS {
        let rows: Vec<(String, i64)> = sqlx::query_as(&format!("SELECT {key}, import_id FROM {table} ORDER BY 1"))
            .fetch_all(&mut conn)
            .await
            .unwrap_or_else(|e| panic!("{table}: {e}"));
        provenance.extend(rows.into_iter().map(|(k, id)| (table.to_string(), k, id)));
    }
    Dump { data: store.load().await.unwrap(), provenance }
}

fn any_url(location: &str) -> String {
    sqlx::any::install_default_drivers();
    if location.starts_with("postgres") {
        location.to_string()
    } else {
        format!("sqlite://{location}")
    }
}

fn imported_id(outcome: &ImportOutcome) -> i64 {
    match outcome {
        ImportOutcome::Imported { import_id, .. } => *import_id,
        other => panic!("not imported: {other:?}"),
    }
}

/// A later export of `sample()`: changed values in several tables (an awkward float among them), new rows, and a
/// channel defined nowhere (a placeholder).
fn later() -> Dataset {
    let mut data = sample();
    data.channels[0].name = "Renamed by the second file".into();
    data.posts[0].text = Some("edited <b>text</b>".into());
    data.post_metrics[0].reported_engagement_rate = Some(0.1 + 0.2);
    data.post_metrics[0].impressions = Some(987_654);
    data.touchpoints[0].campaign = Some("changed".into());
    data.touchpoints.push(touchpoint("brand-new", "newsletter-placeholder", at(2025, 6, 1, 8, 0, 0, 1)));
    data
}

#[tokio::test]
async fn issue_16_undo_restores_each_earlier_state_exactly() {
    on_both("undo_exact", |db| async move {
        let store = db.open().await;
        let empty = dump(&store, &db.location).await;
        let a = imported_id(&store.import(&source("a.csv", "hash-a", 10), &sample(), &quiet).await.unwrap());
        let after_a = dump(&store, &db.location).await;
        let b_outcome = store.import(&source("b.csv", "hash-b", 10), &later(), &quiet).await.unwrap();
        let b = imported_id(&b_outcome);
        let ImportOutcome::Imported { counts, placeholder_channels, .. } = &b_outcome else { unreachable!() };
        assert_eq!(placeholder_channels, &["newsletter-placeholder"]);
        assert!(counts.iter().any(|c| c.table == "post_metrics" && c.updated == 1), "{counts:?}");
        let after_b = dump(&store, &db.location).await;
        assert_ne!(after_b, after_a);
        let fingerprint_b = store.data_fingerprint().await.unwrap();

        // A's rows were changed by B: undoing A first would lose B's changes.
        match store.undo_import(a, None).await {
            Err(e @ StoreError::ChangedLater { .. }) => {
                assert!(e.to_string().contains(&format!("undo import {b} first")), "{e}");
            }
            other => panic!("expected a refusal, got {other:?}"),
        }
        assert_eq!(dump(&store, &db.location).await, after_b, "a refused undo changes nothing");

        let undone = store.undo_import(b, None).await.unwrap();
        assert_eq!(undone.import_id, b);
        assert!(undone.tables.iter().any(|t| t.table == "touchpoints" && t.deleted == 1 && t.restored == 1));
        assert!(undone.tables.iter().any(|t| t.table == "channels" && t.deleted == 1 && t.restored == 1));
        assert!(undone.kept_channels.is_empty());
        assert_eq!(dump(&store, &db.location).await, after_a, "undoing B gives A's state back, row for row");
        assert_ne!(store.data_fingerprint().await.unwrap(), fingerprint_b, "an undo changes the fingerprint");
        let history = store.imports().await.unwrap();
        let record = history.iter().find(|r| r.id == b).unwrap();
        assert!(record.undone_at.is_some());
        assert_eq!(record.content_hash, "hash-b");

        // The same file again is imported again (an undone import does not count as imported), and undone again.
        let b2 = imported_id(&store.import(&source("b.csv", "hash-b", 10), &later(), &quiet).await.unwrap());
        assert!(b2 > b);
        assert_eq!(dump(&store, &db.location).await.data, after_b.data);
        store.undo_import(b2, None).await.unwrap();
        assert_eq!(dump(&store, &db.location).await, after_a);

        store.undo_import(a, None).await.unwrap();
        assert_eq!(dump(&store, &db.location).await, empty, "undoing A leaves the database as before A");

        assert!(matches!(store.undo_import(a, None).await, Err(StoreError::AlreadyUndone { .. })));
        assert!(matches!(store.undo_import(9999, None).await, Err(StoreError::NoSuchImport { id: 9999 })));
        let log = store.audit_log(None).await.unwrap();
        let undos: Vec<&str> = log.iter().filter(|e| e.action == "import.undone").map(|e| e.object.as_str()).collect();
        assert_eq!(undos, [format!("import:{a}"), format!("import:{b2}"), format!("import:{b}")]);
    })
    .await;
}

#[tokio::test]
async fn issue_16_a_channel_other_imports_refer_to_is_kept() {
    on_both("undo_kept", |db| async move {
        let store = db.open().await;
        let mut first = Dataset::default();
        first.touchpoints.push(touchpoint("t1", "podcast", at(2025, 1, 1, 0, 0, 0, 0)));
        let a = imported_id(&store.import(&source("a.csv", "a", 1), &first, &quiet).await.unwrap());
        let mut second = Dataset::default();
        second.touchpoints.push(touchpoint("t2", "podcast", at(2025, 1, 2, 0, 0, 0, 0)));
        store.import(&source("b.csv", "b", 1), &second, &quiet).await.unwrap();
        let undone = store.undo_import(a, None).await.unwrap();
        assert_eq!(undone.kept_channels, ["podcast"]);
        let data = store.load().await.unwrap();
        assert_eq!(data.touchpoints.iter().map(|t| t.key.as_str()).collect::<Vec<_>>(), ["t2"]);
        assert_eq!(data.channels.len(), 1);
    })
    .await;
}

#[tokio::test]
async fn issue_16_undo_of_a_streamed_touchpoints_import() {
    on_both("undo_stream", |db| async move {
        let store = db.open().await;
        let mut base =
            Dataset { channels: vec![channel("linkedin", ChannelKind::OrganicSocial, None)], ..Default::default() };
        base.touchpoints = vec![
            touchpoint("a", "linkedin", at(2025, 3, 1, 9, 0, 0, 0)),
            touchpoint("b", "linkedin", at(2025, 3, 1, 9, 0, 0, 0)),
        ];
        store.import(&source("base.csv", "base", 2), &base, &quiet).await.unwrap();
        let before = dump(&store, &db.location).await;
        let StreamStart::Writing(mut stream) =
            store.begin_touchpoint_stream(&source("big.csv", "big", 0)).await.unwrap()
        else {
            panic!("already imported")
        };
        let changed = Touchpoint { campaign: Some("spring".into()), ..base.touchpoints[0].clone() };
        let mut records =
            vec![changed, base.touchpoints[1].clone(), touchpoint("c", "podcast", at(2025, 3, 2, 9, 0, 0, 0))];
        stream.write(&mut records, &[2, 3, 4], &[false, false, false], |t, n| format!("{}#{n}", t.key)).await.unwrap();
        let outcome = stream.finish(3).await.unwrap();
        let id = imported_id(&outcome);
        assert_ne!(dump(&store, &db.location).await, before);
        let undone = store.undo_import(id, None).await.unwrap();
        assert!(
            undone.tables.iter().any(|t| t.table == "touchpoints" && t.deleted == 1 && t.restored == 1),
            "{undone:?}"
        );
        assert_eq!(dump(&store, &db.location).await, before);
    })
    .await;
}
