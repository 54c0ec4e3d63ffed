//! Streaming imports (issue 15): batches written into one transaction, with the whole-file import's guarantees
//! (all or nothing, exact counts with in-file duplicates, placeholder channels, identical rows kept apart).

use crate::fixtures::*;
use crate::support::{on_both, quiet, source};
use socialledger_domain::*;
use socialledger_store::{Duplicate, ImportOutcome, Store, StreamStart, TableCounts, TouchpointStream};

fn with_campaign(key: &str, channel: &str, campaign: &str) -> Touchpoint {
    Touchpoint { campaign: Some(campaign.into()), ..touchpoint(key, channel, at(2025, 3, 1, 9, 0, 0, 0)) }
}

/// The key of the n-th identical record, as a caller deriving keys from values would give it.
fn rekey(t: &Touchpoint, n: u32) -> String {
    format!("{}#{n}", t.key.split('#').next().unwrap_or_default())
}

async fn begin(store: &Store, hash: &str) -> TouchpointStream {
    match store.begin_touchpoint_stream(&source("big.csv", hash, 0)).await.unwrap() {
        StreamStart::Writing(stream) => stream,
        StreamStart::AlreadyImported(o) => panic!("{o:?}"),
    }
}

/// Writes `batches` of (line, record, derived) and returns the repeats reported.
async fn write(stream: &mut TouchpointStream, batches: Vec<Vec<(usize, Touchpoint, bool)>>) -> Vec<Duplicate> {
    let mut repeats = Vec::new();
    for batch in batches {
        let lines: Vec<usize> = batch.iter().map(|b| b.0).collect();
        let derived: Vec<bool> = batch.iter().map(|b| b.2).collect();
        let mut records: Vec<Touchpoint> = batch.into_iter().map(|b| b.1).collect();
        repeats.extend(stream.write(&mut records, &lines, &derived, rekey).await.unwrap());
    }
    repeats
}

fn counts<'a>(outcome: &'a ImportOutcome, table: &str) -> &'a TableCounts {
    let ImportOutcome::Imported { counts, .. } = outcome else { panic!("not imported: {outcome:?}") };
    counts.iter().find(|c| c.table == table).unwrap()
}

/// The database before the streamed file: channel linkedin, touchpoints a, b, c.
async fn before(store: &Store) {
    let data = Dataset {
        channels: vec![channel("linkedin", ChannelKind::OrganicSocial, None)],
        touchpoints: vec![
            with_campaign("a", "linkedin", "1"),
            with_campaign("b", "linkedin", "1"),
            with_campaign("c", "linkedin", "1"),
        ],
        ..Default::default()
    };
    store.import(&source("before.csv", "before", 3), &data, &quiet).await.unwrap();
}

#[tokio::test]
async fn issue_15_streamed_duplicates_end_as_the_last_record_with_exact_counts() {
    on_both("stream_duplicates", |db| async move { duplicates_end_as_the_last_record(db.open().await).await }).await;
}

/// The same through the pool's writer, which an in-memory SQLite database uses (the direct writer of a SQLite file
/// cannot see it) and PostgreSQL does.
#[tokio::test]
async fn issue_15_streamed_duplicates_through_the_pool_on_in_memory_sqlite() {
    duplicates_end_as_the_last_record(Store::open(":memory:").await.unwrap()).await;
}

async fn duplicates_end_as_the_last_record(store: Store) {
    before(&store).await;
    let mut stream = begin(&store, "big").await;
    let repeats = write(
        &mut stream,
        vec![
            // a changes, b stays, d is new on a channel defined nowhere.
            vec![
                (2, with_campaign("a", "linkedin", "2"), false),
                (3, with_campaign("b", "linkedin", "1"), false),
                (4, with_campaign("d", "podcast", "1"), false),
            ],
            // d again in a later batch, e twice in one batch: the last of each wins.
            vec![
                (5, with_campaign("d", "podcast", "2"), false),
                (6, with_campaign("e", "linkedin", "1"), false),
                (7, with_campaign("e", "linkedin", "2"), false),
            ],
            vec![(8, with_campaign("c", "linkedin", "1"), false)],
        ],
    )
    .await;
    assert_eq!(
        repeats,
        [Duplicate { key: "d".into(), line: 5, first_line: 4 }, Duplicate { key: "e".into(), line: 7, first_line: 6 }]
    );
    let outcome = stream.finish(7).await.unwrap();
    let t = counts(&outcome, "touchpoints");
    // 7 read, 2 duplicates: a updated, b and c unchanged, d and e inserted.
    assert_eq!((t.records, t.duplicates, t.inserted, t.updated, t.unchanged), (5, 2, 2, 1, 2));
    let c = counts(&outcome, "channels");
    assert_eq!((c.records, c.inserted), (1, 1));
    let ImportOutcome::Imported { placeholder_channels, import_id, .. } = &outcome else { unreachable!() };
    assert_eq!(placeholder_channels, &["podcast"]);

    let data = store.load().await.unwrap();
    let campaigns: Vec<(&str, &str)> =
        data.touchpoints.iter().map(|t| (t.key.as_str(), t.campaign.as_deref().unwrap())).collect();
    assert_eq!(campaigns, [("a", "2"), ("b", "1"), ("c", "1"), ("d", "2"), ("e", "2")]);
    let imports = store.imports().await.unwrap();
    let last = imports.last().unwrap();
    assert_eq!((last.id, last.rows, last.file_name.as_str()), (*import_id, 7, "big.csv"));

    // The whole-file import counts the same records the same way.
    let whole = db_whole_file_counts().await;
    assert_eq!((whole.records, whole.duplicates, whole.inserted, whole.updated, whole.unchanged), (5, 2, 2, 1, 2));

    // The same bytes again: nothing to write.
    match store.begin_touchpoint_stream(&source("big.csv", "big", 0)).await.unwrap() {
        StreamStart::AlreadyImported(ImportOutcome::AlreadyImported { import_id: id, .. }) => {
            assert_eq!(id, *import_id)
        }
        other => panic!("{other:?}"),
    }
}

/// The counts of [`Store::import`] for the records of the streamed file above, on a fresh SQLite file.
async fn db_whole_file_counts() -> TableCounts {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("whole.db").display().to_string()).await.unwrap();
    before(&store).await;
    let data = Dataset {
        touchpoints: vec![
            with_campaign("a", "linkedin", "2"),
            with_campaign("b", "linkedin", "1"),
            with_campaign("d", "podcast", "1"),
            with_campaign("d", "podcast", "2"),
            with_campaign("e", "linkedin", "1"),
            with_campaign("e", "linkedin", "2"),
            with_campaign("c", "linkedin", "1"),
        ],
        ..Default::default()
    };
    let outcome = store.import(&source("big.csv", "big", 7), &data, &quiet).await.unwrap();
    *counts(&outcome, "touchpoints")
}

#[tokio::test]
async fn issue_15_identical_records_with_derived_keys_stay_distinct() {
    on_both("stream_rekey", |db| async move {
        let store = db.open().await;
        before(&store).await;
        let mut stream = begin(&store, "rekey").await;
        let repeats = write(
            &mut stream,
            vec![
                vec![(2, with_campaign("h", "linkedin", "1"), true), (3, with_campaign("h", "linkedin", "1"), true)],
                vec![(4, with_campaign("h", "linkedin", "1"), true)],
            ],
        )
        .await;
        assert!(repeats.is_empty(), "{repeats:?}");
        let outcome = stream.finish(3).await.unwrap();
        let t = counts(&outcome, "touchpoints");
        assert_eq!((t.records, t.duplicates, t.inserted), (3, 0, 3));
        let keys: Vec<String> = store.load().await.unwrap().touchpoints.into_iter().map(|t| t.key).collect();
        assert_eq!(keys, ["a", "b", "c", "h", "h#2", "h#3"]);
    })
    .await;
}

#[tokio::test]
async fn issue_15_an_aborted_or_dropped_stream_changes_nothing() {
    on_both("stream_abort", |db| async move {
        let store = db.open().await;
        before(&store).await;
        let (data, imports) = (store.load().await.unwrap(), store.imports().await.unwrap());

        // Rejected after its last batch (an error on the file's last row): rolled back.
        let mut stream = begin(&store, "big").await;
        write(
            &mut stream,
            vec![vec![(2, with_campaign("a", "linkedin", "9"), false), (3, with_campaign("x", "new", "1"), false)]],
        )
        .await;
        stream.abort().await;
        assert_eq!(store.load().await.unwrap(), data);
        assert_eq!(store.imports().await.unwrap(), imports);

        // Dropped without an end (an error or a cancelled task): its connection is closed, which rolls back.
        let mut stream = begin(&store, "big").await;
        write(&mut stream, vec![vec![(2, with_campaign("a", "linkedin", "9"), false)]]).await;
        drop(stream);
        assert_eq!(store.load().await.unwrap(), data);

        // A record that cannot be stored is refused before it is written.
        let mut stream = begin(&store, "big").await;
        let mut bad = vec![with_campaign("z", "", "1")];
        let err = stream.write(&mut bad, &[2], &[false], rekey).await.unwrap_err();
        assert!(err.to_string().contains("empty channel key"), "{err}");
        stream.abort().await;

        // The same bytes were never recorded, so they import now, and the pool's connections still work.
        let mut stream = begin(&store, "big").await;
        write(&mut stream, vec![vec![(2, with_campaign("a", "linkedin", "9"), false)]]).await;
        let outcome = stream.finish(1).await.unwrap();
        assert_eq!(counts(&outcome, "touchpoints").updated, 1);
        assert_eq!(store.load().await.unwrap().touchpoints[0].campaign.as_deref(), Some("9"));
    })
    .await;
}

/// A repeat names the line of the record it repeats wherever that record sits: inside a long run of inserted
/// rows, after a stretch of updated rows of an earlier import, across batches, and after a derived key was
/// renumbered (the direct writer finds those lines without registering every row, see `sqlite_stream`).
#[tokio::test]
async fn issue_15_a_repeat_names_the_line_of_the_record_it_repeats_wherever_it_sits() {
    on_both("stream_lines", |db| async move {
        let store = db.open().await;
        before(&store).await;
        let mut stream = begin(&store, "lines").await;
        let mut first = Vec::new();
        // Lines 2..=11 insert k0..k9 (one run); line 12 updates a; line 13 finds b unchanged; lines 14, 15
        // insert m0 and m1; a blank line 16; 17 and 18 are identical rows with derived keys (h, h#2); line 19
        // inserts n.
        for i in 0..10 {
            first.push((2 + i, with_campaign(&format!("k{i}"), "linkedin", "1"), false));
        }
        first.push((12, with_campaign("a", "linkedin", "7"), false));
        first.push((13, with_campaign("b", "linkedin", "1"), false));
        let mut second = vec![
            (14, with_campaign("m0", "linkedin", "1"), false),
            (15, with_campaign("m1", "linkedin", "1"), false),
            (17, with_campaign("h", "linkedin", "1"), true),
            (18, with_campaign("h", "linkedin", "1"), true),
            (19, with_campaign("n", "linkedin", "1"), false),
        ];
        // Then repeats of rows from every kind of place.
        second.push((20, with_campaign("k7", "linkedin", "2"), false));
        second.push((21, with_campaign("a", "linkedin", "8"), false));
        second.push((22, with_campaign("b", "linkedin", "2"), false));
        second.push((23, with_campaign("m1", "linkedin", "2"), false));
        second.push((24, with_campaign("n", "linkedin", "2"), false));
        second.push((25, with_campaign("k0", "linkedin", "2"), false));
        let repeats = write(&mut stream, vec![first, second]).await;
        let pairs: Vec<(&str, usize, usize)> = repeats.iter().map(|d| (d.key.as_str(), d.line, d.first_line)).collect();
        assert_eq!(pairs, [("k7", 20, 9), ("a", 21, 12), ("b", 22, 13), ("m1", 23, 15), ("n", 24, 19), ("k0", 25, 2)]);
        let outcome = stream.finish(24).await.unwrap();
        let t = counts(&outcome, "touchpoints");
        // 23 read, 6 duplicates; inserted k0..k9, m0, m1, h, h#2, n; a and b updated.
        assert_eq!((t.records, t.duplicates, t.inserted, t.updated, t.unchanged), (17, 6, 15, 2, 0));
        let data = store.load().await.unwrap();
        let campaign = |key: &str| data.touchpoints.iter().find(|t| t.key == key).unwrap().campaign.clone().unwrap();
        assert_eq!(
            ["k0", "k7", "a", "b", "m1", "n", "h", "h#2"].map(campaign),
            ["2", "2", "8", "2", "2", "2", "1", "1"]
        );
    })
    .await;
}
