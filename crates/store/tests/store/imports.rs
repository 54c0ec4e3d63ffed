//! Imports: idempotent by content hash, upserts by natural key, all or nothing, placeholder channels, counts.

use crate::fixtures::*;
use crate::support::{on_both, quiet, source};
use socialledger_domain::*;
use socialledger_store::{ImportOutcome, StoreError, TableCounts};
use std::sync::Mutex;

fn counts_of<'a>(outcome: &'a ImportOutcome, table: &str) -> &'a TableCounts {
    let ImportOutcome::Imported { counts, .. } = outcome else { panic!("not imported: {outcome:?}") };
    counts.iter().find(|c| c.table == table).unwrap()
}

fn counts(records: u64, inserted: u64, updated: u64, unchanged: u64) -> (u64, u64, u64, u64) {
    (records, inserted, updated, unchanged)
}

fn tuple(c: &TableCounts) -> (u64, u64, u64, u64) {
    (c.records, c.inserted, c.updated, c.unchanged)
}

#[tokio::test]
async fn reimporting_the_same_content_hash_changes_nothing() {
    on_both("same_hash", |db| async move {
        let store = db.open().await;
        let first = store.import(&source("a.csv", "same", 3), &sample(), &quiet).await.unwrap();
        let ImportOutcome::Imported { import_id, .. } = first else { panic!("{first:?}") };
        let before = store.load().await.unwrap();
        let imports_before = store.imports().await.unwrap();

        // Same hash, even under another file name and with other records: nothing is written.
        let mut other = sample();
        other.posts[0].text = Some("changed".into());
        other.touchpoints.push(touchpoint("new", "x", at(2025, 1, 1, 0, 0, 0, 0)));
        let again = store.import(&source("renamed.csv", "same", 3), &other, &quiet).await.unwrap();
        match again {
            ImportOutcome::AlreadyImported { import_id: id, at, file_name } => {
                assert_eq!(id, import_id);
                assert_eq!(file_name, "a.csv");
                assert_eq!(at, imports_before[0].imported_at);
            }
            other => panic!("expected AlreadyImported, got {other:?}"),
        }
        assert_eq!(store.load().await.unwrap(), before);
        assert_eq!(store.imports().await.unwrap(), imports_before);
    })
    .await;
}

#[tokio::test]
async fn a_newer_export_replaces_counters_and_counts_what_changed() {
    on_both("upsert", |db| async move {
        let store = db.open().await;
        let mut first =
            Dataset { channels: vec![channel("linkedin", ChannelKind::OrganicSocial, None)], ..Default::default() };
        first.post_metrics = vec![
            post_metrics("linkedin", "p1", Some(date(2025, 3, 8)), 100),
            post_metrics("linkedin", "p2", Some(date(2025, 3, 8)), 200),
        ];
        let a = store.import(&source("week1.csv", "w1", 2), &first, &quiet).await.unwrap();
        assert_eq!(tuple(counts_of(&a, "post_metrics")), counts(2, 2, 0, 0));
        assert_eq!(tuple(counts_of(&a, "channels")), counts(1, 1, 0, 0));

        // The next export: p1's counters grew (same key), p2 unchanged, p3 new.
        let mut second = first.clone();
        second.post_metrics[0].impressions = Some(150);
        second.post_metrics[0].reported_engagement_rate = None;
        second.post_metrics.push(post_metrics("linkedin", "p3", Some(date(2025, 3, 8)), 7));
        let b = store.import(&source("week2.csv", "w2", 3), &second, &quiet).await.unwrap();
        assert_eq!(tuple(counts_of(&b, "post_metrics")), counts(3, 1, 1, 1));
        assert_eq!(tuple(counts_of(&b, "channels")), counts(1, 0, 0, 1));
        assert_eq!(tuple(counts_of(&b, "touchpoints")), counts(0, 0, 0, 0));

        let loaded = store.load().await.unwrap();
        assert_eq!(loaded.post_metrics, sorted(second.clone()).post_metrics);
        assert_eq!(loaded.post_metrics[0].impressions, Some(150));
        assert_eq!(loaded.post_metrics[0].reported_engagement_rate, None);

        // The same records under a new hash: written again, all unchanged.
        let c = store.import(&source("week2-copy.csv", "w2-copy", 3), &second, &quiet).await.unwrap();
        assert_eq!(tuple(counts_of(&c, "post_metrics")), counts(3, 0, 0, 3));
        assert_eq!(store.imports().await.unwrap().len(), 3);
    })
    .await;
}

#[tokio::test]
async fn a_failing_import_leaves_the_database_unchanged() {
    on_both("rollback", |db| async move {
        let store = db.open().await;
        store.import(&source("good.csv", "good", 10), &sample(), &quiet).await.unwrap();
        let before = store.load().await.unwrap();
        let imports_before = store.imports().await.unwrap();

        // Changes and additions in tables written before `activities`, then an activity that ends before it
        // starts, which the schema's CHECK constraint refuses.
        let mut bad = sample();
        bad.posts[0].text = Some("rewritten".into());
        bad.post_metrics[0].impressions = Some(999_999);
        bad.channels.push(channel("tiktok", ChannelKind::OrganicSocial, Some(Network::TikTok)));
        bad.touchpoints.push(touchpoint("orphan", "nowhere", at(2025, 1, 1, 0, 0, 0, 0)));
        bad.activities.push(activity("backwards", date(2025, 5, 2), date(2025, 5, 1)));
        let err = store.import(&source("bad.csv", "bad", 11), &bad, &quiet).await.unwrap_err();
        let message = err.to_string();
        assert!(matches!(err, StoreError::Import { table: "activities", .. }), "{err:?}");
        assert_eq!(err.database_error_kind(), Some(sqlx::error::ErrorKind::CheckViolation), "{message}");
        assert!(message.contains("bad.csv") && message.contains("activity_ends_on_or_after_start"), "{message}");
        assert!(message.contains("nothing was written, fix the file and import it again"), "{message}");

        assert_eq!(store.load().await.unwrap(), before);
        assert_eq!(store.imports().await.unwrap(), imports_before);

        // The failed file did not burn its content hash: once fixed, it imports.
        bad.activities.pop();
        let fixed = store.import(&source("bad.csv", "bad", 11), &bad, &quiet).await.unwrap();
        assert!(matches!(fixed, ImportOutcome::Imported { .. }), "{fixed:?}");
        assert_eq!(
            store.load().await.unwrap().posts.iter().filter(|p| p.text.as_deref() == Some("rewritten")).count(),
            1
        );
    })
    .await;
}

#[tokio::test]
async fn records_that_cannot_be_stored_are_refused_before_writing() {
    on_both("invalid", |db| async move {
        let store = db.open().await;
        let mut data = sample();
        data.post_metrics[1].reported_engagement_rate = Some(f64::NAN);
        let err = store.import(&source("nan.csv", "nan", 1), &data, &quiet).await.unwrap_err();
        assert!(matches!(err, StoreError::InvalidRecord { table: "post_metrics", .. }), "{err:?}");
        assert!(err.to_string().contains("reported_engagement_rate"), "{err}");
        assert_eq!(store.load().await.unwrap(), Dataset::default());
        assert!(store.imports().await.unwrap().is_empty());
    })
    .await;
}

#[tokio::test]
async fn unknown_channels_become_placeholders_that_a_channels_file_replaces() {
    on_both("placeholders", |db| async move {
        let store = db.open().await;
        let data = Dataset {
            touchpoints: vec![
                touchpoint("t1", "web", at(2025, 1, 1, 0, 0, 0, 0)),
                touchpoint("t2", "Web", at(2025, 1, 2, 0, 0, 0, 0)),
            ],
            cost_items: vec![CostItem {
                channel: Some("web".into()),
                month: date(2025, 1, 1),
                kind: CostKind::Ads,
                amount: eur(100),
                description: "ads".into(),
            }],
            ..Default::default()
        };
        let outcome = store.import(&source("touches.csv", "t", 2), &data, &quiet).await.unwrap();
        let ImportOutcome::Imported { placeholder_channels, .. } = &outcome else { panic!("{outcome:?}") };
        assert_eq!(placeholder_channels, &["Web", "web"]);
        assert_eq!(tuple(counts_of(&outcome, "channels")), counts(2, 2, 0, 0));
        let placeholder = Channel {
            key: "web".into(),
            name: "web".into(),
            kind: ChannelKind::Other,
            network: None,
            handle: None,
            account: None,
        };
        assert!(store.channels().await.unwrap().contains(&placeholder));

        // A later file referring to the channel again creates nothing new.
        let more =
            Dataset { touchpoints: vec![touchpoint("t3", "web", at(2025, 1, 3, 0, 0, 0, 0))], ..Default::default() };
        let again = store.import(&source("more.csv", "m", 1), &more, &quiet).await.unwrap();
        let ImportOutcome::Imported { placeholder_channels, .. } = &again else { panic!("{again:?}") };
        assert!(placeholder_channels.is_empty());

        // The channels file describes it properly: the placeholder is replaced, not duplicated.
        let real = channel("web", ChannelKind::Direct, None);
        let defs = Dataset { channels: vec![real.clone()], ..Default::default() };
        let described = store.import(&source("channels.csv", "c", 1), &defs, &quiet).await.unwrap();
        assert_eq!(tuple(counts_of(&described, "channels")), counts(1, 0, 1, 0));
        let channels = store.channels().await.unwrap();
        assert_eq!(channels.iter().filter(|c| c.key == "web").collect::<Vec<_>>(), [&real]);
        assert_eq!(channels.len(), 2);
    })
    .await;
}

#[tokio::test]
async fn large_imports_span_several_statements_and_report_progress() {
    on_both("large", |db| async move {
        let store = db.open().await;
        // More rows than one statement holds on either backend, with NULL and non-NULL rates in the same
        // statement positions across statements (PostgreSQL prepared-statement types, see upsert.rs).
        let n = 12_000;
        let mut data =
            Dataset { channels: vec![channel("linkedin", ChannelKind::OrganicSocial, None)], ..Default::default() };
        for i in 0..n {
            let mut m = post_metrics("linkedin", &format!("p{i:05}"), Some(date(2025, 3, 8)), i);
            if (i / 3000) % 2 == 0 {
                m.reported_engagement_rate = None;
            }
            data.post_metrics.push(m);
            data.touchpoints.push(touchpoint(&format!("tp{i:05}"), "linkedin", at(2025, 3, 1, 0, 0, 0, i as u32)));
        }
        let seen = Mutex::new(Vec::new());
        let outcome = store
            .import(&source("big.csv", "big", n as usize), &data, &|done, total| {
                seen.lock().unwrap().push((done, total))
            })
            .await
            .unwrap();
        assert_eq!(tuple(counts_of(&outcome, "touchpoints")), counts(n as u64, n as u64, 0, 0));
        let seen = seen.into_inner().unwrap();
        let total = data.len() as u64;
        assert!(seen.len() > 4, "{seen:?}");
        assert!(seen.iter().all(|&(_, t)| t == total));
        assert!(seen.windows(2).all(|w| w[0].0 <= w[1].0), "progress went backwards: {seen:?}");
        assert_eq!(seen.last(), Some(&(total, total)));
        assert_eq!(store.load().await.unwrap(), sorted(data.clone()));

        // Flip which rows have a rate and change every tenth touchpoint: counted exactly.
        for m in &mut data.post_metrics {
            m.reported_engagement_rate = match m.reported_engagement_rate {
                Some(_) => None,
                None => Some(0.5),
            };
        }
        for t in data.touchpoints.iter_mut().step_by(10) {
            t.kind = TouchKind::Meeting;
        }
        let outcome = store.import(&source("big2.csv", "big2", n as usize), &data, &quiet).await.unwrap();
        assert_eq!(tuple(counts_of(&outcome, "post_metrics")), counts(n as u64, 0, n as u64, 0));
        assert_eq!(tuple(counts_of(&outcome, "touchpoints")), counts(n as u64, 0, n as u64 / 10, n as u64 * 9 / 10));
        assert_eq!(store.load().await.unwrap(), sorted(data));
    })
    .await;
}

/// The LinkedIn content, followers and visitors exports of one page each fill some columns of the same days: a
/// later file must not blank what an earlier one wrote (regression for issue 3).
#[tokio::test]
async fn channel_days_from_several_exports_merge_instead_of_replacing() {
    on_both("merge_days", |db| async move {
        let store = db.open().await;
        let page =
            || Dataset { channels: vec![channel("linkedin", ChannelKind::OrganicSocial, None)], ..Default::default() };
        let day = date(2025, 3, 8);
        let mut content = page();
        content.channel_days = vec![ChannelDay {
            channel: "linkedin".into(),
            date: Some(day),
            impressions: Some(500),
            engagements: Some(20),
            ..Default::default()
        }];
        let mut followers = page();
        followers.channel_days = vec![ChannelDay {
            channel: "linkedin".into(),
            date: Some(day),
            new_followers: Some(3),
            ..Default::default()
        }];
        store.import(&source("content.xls", "c", 1), &content, &quiet).await.unwrap();
        let second = store.import(&source("followers.xls", "f", 1), &followers, &quiet).await.unwrap();
        assert_eq!(tuple(counts_of(&second, "channel_days")), counts(1, 0, 1, 0));
        let loaded = store.load().await.unwrap();
        assert_eq!(loaded.channel_days.len(), 1);
        let d = &loaded.channel_days[0];
        assert_eq!((d.impressions, d.engagements, d.new_followers), (Some(500), Some(20), Some(3)));
        // A newer value still replaces an older one; a file with nothing new for a row changes nothing.
        let mut newer = page();
        newer.channel_days = vec![ChannelDay {
            channel: "linkedin".into(),
            date: Some(day),
            impressions: Some(650),
            ..Default::default()
        }];
        store.import(&source("content2.xls", "c2", 1), &newer, &quiet).await.unwrap();
        let again = store.import(&source("followers-copy.xls", "f2", 1), &followers, &quiet).await.unwrap();
        assert_eq!(tuple(counts_of(&again, "channel_days")), counts(1, 0, 0, 1));
        let d = &store.load().await.unwrap().channel_days[0];
        assert_eq!((d.impressions, d.engagements, d.new_followers), (Some(650), Some(20), Some(3)));
    })
    .await;
}

/// Issue 14: a conversation is written unanswered and answered later by a second write of the same natural key
/// (what a routed inbox does); an answer before the message is refused whoever writes it, and nothing is written.
#[tokio::test]
async fn issue_14_a_conversation_is_answered_by_an_upsert_and_an_answer_before_receipt_is_refused() {
    on_both("conversations", |db| async move {
        let store = db.open().await;
        let received = at(2025, 3, 3, 9, 0, 0, 0);
        let mut c = Conversation {
            channel: "linkedin".into(),
            key: "c1".into(),
            kind: Some(ConversationKind::Dm),
            received_at: received,
            first_response_at: None,
            assignee: None,
        };
        let data = Dataset { conversations: vec![c.clone()], ..Default::default() };
        store.import(&source("inbox-1", "i1", 1), &data, &quiet).await.unwrap();
        c.first_response_at = Some(at(2025, 3, 3, 11, 30, 0, 0));
        c.assignee = Some("mara".into());
        let data = Dataset { conversations: vec![c.clone()], ..Default::default() };
        let outcome = store.import(&source("inbox-2", "i2", 1), &data, &quiet).await.unwrap();
        assert_eq!(tuple(counts_of(&outcome, "conversations")), counts(1, 0, 1, 0));
        let loaded = store.load().await.unwrap();
        assert_eq!(loaded.conversations, vec![c.clone()]);
        assert_eq!(loaded.channels.len(), 1, "a placeholder channel is made for the conversation's channel");

        let mut early = c.clone();
        early.key = "c2".into();
        early.first_response_at = Some(at(2025, 3, 3, 8, 0, 0, 0));
        let data = Dataset { conversations: vec![early], ..Default::default() };
        let err = store.import(&source("inbox-3", "i3", 1), &data, &quiet).await.unwrap_err();
        assert!(
            matches!(&err, StoreError::InvalidRecord { table: "conversations", reason, .. } if reason.contains("before received_at")),
            "{err}"
        );
        assert_eq!(store.load().await.unwrap().conversations, vec![c]);
    })
    .await;
}
