//! What is written comes back exactly, in natural-key order.

use crate::fixtures::{sample, sorted};
use crate::support::{on_both, quiet, source};
use proptest::prelude::*;
use socialledger_domain::*;

#[tokio::test]
async fn every_record_kind_round_trips_exactly() {
    on_both("round_trip", |db| async move {
        let store = db.open().await;
        let data = sample();
        store.import(&source("sample.csv", "h1", 10), &data, &quiet).await.unwrap();
        let loaded = store.load().await.unwrap();
        assert_eq!(loaded, sorted(data.clone()));
        // Not vacuous: the sample has records of every kind and is not already in load order.
        assert!(data.counts().iter().all(|(_, n)| *n >= 1), "{:?}", data.counts());
        assert_ne!(data, loaded);
        assert_eq!(store.channels().await.unwrap(), loaded.channels);
    })
    .await;
}

#[tokio::test]
async fn an_empty_database_loads_an_empty_dataset() {
    on_both("empty", |db| async move {
        let store = db.open().await;
        assert_eq!(store.load().await.unwrap(), Dataset::default());
        assert!(store.imports().await.unwrap().is_empty());
        assert!(store.channels().await.unwrap().is_empty());
    })
    .await;
}

#[tokio::test]
async fn the_last_record_of_a_key_in_one_file_wins() {
    on_both("dupes", |db| async move {
        let store = db.open().await;
        let mut data = sample();
        let mut later = data.touchpoints[0].clone();
        later.campaign = Some("the later one".into());
        data.touchpoints.push(later.clone());
        let outcome = store.import(&source("dupes.csv", "h", 1), &data, &quiet).await.unwrap();
        let ImportOutcome::Imported { counts, .. } = outcome else { panic!("{outcome:?}") };
        let tp = counts.iter().find(|c| c.table == "touchpoints").unwrap();
        assert_eq!((tp.records, tp.duplicates, tp.inserted), (3, 1, 3));
        let loaded = store.load().await.unwrap();
        assert!(loaded.touchpoints.contains(&later));
        assert_eq!(loaded.touchpoints.len(), 3);
    })
    .await;
}

use socialledger_store::ImportOutcome;

// ---- property: random datasets round-trip on both backends ----

fn text() -> impl Strategy<Value = String> {
    // Mixed case, accents, CJK, emoji, quotes and separators: byte order differs from every locale order.
    proptest::string::string_regex("[a-zA-Z0-9 _,;'\"\\-éÉøß漢字😀]{0,8}").unwrap()
}

fn opt<T: std::fmt::Debug + Clone + 'static>(s: impl Strategy<Value = T>) -> impl Strategy<Value = Option<T>> {
    proptest::option::of(s)
}

fn day() -> impl Strategy<Value = Date> {
    (1900i32..2100, 1u32..=12, 1u32..=28).prop_map(|(y, m, d)| chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap())
}

fn instant() -> impl Strategy<Value = Timestamp> {
    (0i64..4_000_000_000, 0u32..1_000_000_000).prop_map(|(s, n)| chrono::DateTime::from_timestamp(s, n).unwrap())
}

fn rate() -> impl Strategy<Value = f64> {
    prop_oneof![0.0f64..1.0, -1e12f64..1e12, Just(0.0), Just(f64::MIN_POSITIVE), Just(1e300)]
}

const CHANNELS: [&str; 3] = ["b", "A", "ä"];

fn dataset() -> impl Strategy<Value = Dataset> {
    let channel = (0usize..3, text(), opt(prop::sample::select(Network::ALL.to_vec())), opt(text())).prop_map(
        |(i, name, network, handle)| Channel {
            key: CHANNELS[i].to_string(),
            name,
            kind: ChannelKind::ALL[i % ChannelKind::ALL.len()],
            network,
            handle,
            account: None,
        },
    );
    let post = (0usize..3, text(), opt(instant()), opt(prop::sample::select(PostType::ALL.to_vec())), opt(text()))
        .prop_map(|(c, id, published_at, post_type, t)| Post {
            channel: CHANNELS[c].into(),
            external_id: id,
            published_at,
            post_type,
            text: t.clone(),
            url: None,
            author: t,
            campaign: None,
            idea: None,
        });
    let metrics = (
        0usize..3,
        text(),
        opt(day()),
        opt(prop::sample::select(MetricPeriod::ALL.to_vec())),
        opt(any::<i64>()),
        opt(rate()),
    )
        .prop_map(|(c, id, date, period, n, r)| PostMetrics {
            channel: CHANNELS[c].into(),
            post_id: id,
            date,
            period,
            impressions: n,
            clicks: n.map(|n| n / 3),
            reported_engagement_rate: r,
            ..Default::default()
        });
    let touch = (text(), opt(text()), instant(), 0usize..3, prop::sample::select(TouchKind::ALL.to_vec()), opt(text()))
        .prop_map(|(key, contact, at, c, kind, utm)| Touchpoint {
            key,
            contact,
            account: None,
            deal: None,
            at,
            channel: CHANNELS[c].into(),
            kind,
            campaign: None,
            post_ref: None,
            utm_source: utm.clone(),
            utm_medium: None,
            utm_campaign: utm,
        });
    let cost = (opt(0usize..3), day(), prop::sample::select(CostKind::ALL.to_vec()), text(), any::<i64>()).prop_map(
        |(c, month, kind, description, minor)| CostItem {
            channel: c.map(|c| CHANNELS[c].to_string()),
            month,
            kind,
            amount: Money::new(minor, Currency::USD),
            description,
        },
    );
    let period = (text(), text(), day(), opt(rate())).prop_map(|(dimension, value, start, amount)| PeriodMetric {
        source: "ga4".into(),
        dimension,
        value,
        period_start: start,
        period_end: start,
        metric: "sessions".into(),
        amount,
    });
    (
        prop::collection::vec(channel, 0..4),
        prop::collection::vec(post, 0..6),
        prop::collection::vec(metrics, 0..6),
        prop::collection::vec(touch, 0..8),
        prop::collection::vec(cost, 0..5),
        prop::collection::vec(period, 0..4),
    )
        .prop_map(|(channels, posts, post_metrics, touchpoints, cost_items, period_metrics)| Dataset {
            channels,
            posts,
            post_metrics,
            touchpoints,
            cost_items,
            period_metrics,
            ..Default::default()
        })
}

/// What a load must return for `data`: the last record of each natural key (the first import of a key wins
/// nothing over a later one), placeholder channels for keys defined nowhere, everything in natural-key order.
fn expected(data: &Dataset) -> Dataset {
    fn last_by<T: Clone, K: Eq + std::hash::Hash>(v: &[T], key: impl Fn(&T) -> K) -> Vec<T> {
        let mut seen = std::collections::HashSet::new();
        let mut out: Vec<T> = v.iter().rev().filter(|r| seen.insert(key(r))).cloned().collect();
        out.reverse();
        out
    }
    let mut e = Dataset {
        channels: last_by(&data.channels, |c| c.key.clone()),
        posts: last_by(&data.posts, |p| (p.channel.clone(), p.external_id.clone())),
        post_metrics: last_by(&data.post_metrics, |m| (m.channel.clone(), m.post_id.clone(), m.date, m.period)),
        touchpoints: last_by(&data.touchpoints, |t| t.key.clone()),
        cost_items: last_by(&data.cost_items, |c| (c.channel.clone(), c.month, c.kind, c.description.clone())),
        period_metrics: last_by(&data.period_metrics, |p| {
            (p.dimension.clone(), p.value.clone(), p.period_start, p.period_end)
        }),
        ..Default::default()
    };
    let referenced: std::collections::BTreeSet<String> = data
        .posts
        .iter()
        .map(|p| p.channel.clone())
        .chain(data.post_metrics.iter().map(|m| m.channel.clone()))
        .chain(data.touchpoints.iter().map(|t| t.channel.clone()))
        .chain(data.cost_items.iter().filter_map(|c| c.channel.clone()))
        .collect();
    for key in referenced {
        if !e.channels.iter().any(|c| c.key == key) {
            e.channels.push(Channel {
                key: key.clone(),
                name: key,
                kind: ChannelKind::Other,
                network: None,
                handle: None,
                account: None,
            });
        }
    }
    crate::fixtures::sorted(e)
}

proptest! {
    // Each case creates two databases; a few cases suffice next to the hand-written round trip above.
    #![proptest_config(ProptestConfig { cases: 8, ..ProptestConfig::default() })]
    #[test]
    fn random_datasets_round_trip_on_both_backends(data in dataset()) {
        let want = expected(&data);
        let rt = tokio::runtime::Runtime::new().unwrap();
        rt.block_on(on_both("proptest", move |db| {
            let (data, want) = (data.clone(), want.clone());
            async move {
                let store = db.open().await;
                store.import(&source("random.csv", "random", 1), &data, &quiet).await.unwrap();
                let loaded = store.load().await.unwrap();
                // Compare as JSON too: equal floats with different bits (-0.0) would pass `==` but not this.
                assert_eq!(serde_json::to_string(&loaded).unwrap(), serde_json::to_string(&want).unwrap());
                assert_eq!(loaded, want);
            }
        }));
    }
}

#[tokio::test]
async fn hand_edited_values_are_reported_with_table_column_and_value() {
    use sqlx::Connection;
    on_both("corrupt", |db| async move {
        let store = db.open().await;
        store.import(&source("a.csv", "a", 1), &sample(), &quiet).await.unwrap();
        let edit = "UPDATE touchpoints SET kind = 'bogus' WHERE key = 'tp-A'";
        match db.backend {
            socialledger_store::Backend::Sqlite => {
                let mut c = sqlx::SqliteConnection::connect(&format!("sqlite://{}", db.location)).await.unwrap();
                sqlx::query(edit).execute(&mut c).await.unwrap();
                c.close().await.unwrap();
            }
            socialledger_store::Backend::Postgres => {
                let mut c = sqlx::PgConnection::connect(&db.location).await.unwrap();
                sqlx::query(edit).execute(&mut c).await.unwrap();
                c.close().await.unwrap();
            }
        }
        let err = store.load().await.unwrap_err();
        let message = err.to_string();
        assert!(
            matches!(err, socialledger_store::StoreError::Corrupt { table: "touchpoints", column: "kind", .. }),
            "{err:?}"
        );
        assert!(message.contains("\"bogus\"") && message.contains("touchpoints.kind"), "{message}");
        // The analysis load (on SQLite through its direct reader) reports it alike.
        let err = store.load_for_analysis().await.unwrap_err();
        assert!(
            matches!(err, socialledger_store::StoreError::Corrupt { table: "touchpoints", column: "kind", .. }),
            "{err:?}"
        );
        assert_eq!(err.to_string(), message);
    })
    .await;
}

/// Issue 15: the analysis loader gives what `load` gives, with touchpoints in compact form, on both backends: the
/// same records of every other kind, and the same touches in the same (key) order.
#[tokio::test]
async fn the_analysis_load_is_the_full_load_with_compact_touchpoints() {
    on_both("analysis_load", |db| async move {
        let store = db.open().await;
        let mut data = sample();
        // Rows that differ only in what the compact form keeps, at one instant, written out of key order,
        // and a timestamp with nanoseconds: ties must keep the key order, instants must be exact.
        let at = data.touchpoints[0].at + chrono::Duration::nanoseconds(123_456_789);
        for (key, channel) in [("z-tie", "linkedin"), ("a-tie", "LinkedIn-Ads"), ("m-tie", "linkedin")] {
            let mut t = data.touchpoints[0].clone();
            t.key = key.into();
            t.channel = channel.into();
            t.at = at;
            data.touchpoints.push(t);
        }
        store.import(&source("sample.csv", "h1", 10), &data, &quiet).await.unwrap();
        let full = store.load().await.unwrap();
        let analysis = store.load_for_analysis().await.unwrap();
        assert!(analysis.touchpoints.is_empty());
        let compact = analysis.compact_touches.clone().expect("the analysis load sets the compact touches");
        assert_eq!(compact, Touches::from_records(&full.touchpoints));
        assert_eq!(*analysis.touches(), *full.touches());
        assert_eq!(analysis.counts(), full.counts());
        assert_eq!(Dataset { compact_touches: None, touchpoints: full.touchpoints.clone(), ..analysis }, full);
        // Row i is the i-th touchpoint in key order, field by field.
        for (i, t) in full.touchpoints.iter().enumerate() {
            assert_eq!(compact.at(i), t.at);
            assert_eq!(compact.channel_key(i).as_ref(), t.channel);
            assert_eq!(compact.account(i).map(|a| compact.accounts().name(a).to_string()), t.account);
            assert_eq!(compact.contact(i).map(|c| compact.contacts().name(c).to_string()), t.contact);
            assert_eq!(compact.deal(i).map(|d| compact.deals().name(d).to_string()), t.deal);
            assert_eq!(compact.kind(i), t.kind);
        }
        assert!(compact.len() >= 4);
    })
    .await;
}
