//! Time tracking over HTTP: a timer started and stopped records an entry, a quick entry, nobody changes someone
//! else's entry, the owner sees everyone's, and the tracked minutes are in the full cost the analytics compute,
//! as hours x the person's hourly cost like imported time.

use crate::support::{on_both, TestApp};
use reqwest::StatusCode;
use socialledger_analytics::cost::{costs, staff_cost_minor};
use socialledger_analytics::Settings;
use socialledger_domain::{Channel, ChannelKind, Currency, Dataset, Money, Network, Person, Role, Task, Team};
use socialledger_store::ImportSource;

/// A LinkedIn channel and Ed's hourly cost (60.00 EUR), keyed by his e-mail as people.csv keys people.
async fn seed(app: &TestApp) {
    let mut data = Dataset::default();
    data.channels.push(Channel {
        key: "linkedin".into(),
        name: "LinkedIn page".into(),
        kind: ChannelKind::OrganicSocial,
        network: Some(Network::LinkedIn),
        handle: None,
        account: None,
    });
    data.people.push(Person {
        key: "ed@example.com".into(),
        name: "Ed".into(),
        team: Team::Marketing,
        hourly_cost: Some(Money::new(6_000, Currency::EUR)),
    });
    let source =
        ImportSource { file_name: "seed.csv".into(), format: "canonical".into(), content_hash: "seed".into(), rows: 2 };
    app.store.import(&source, &data, &|_, _| {}).await.unwrap();
}

#[tokio::test]
async fn track_time_and_see_it_in_the_full_cost() {
    on_both("web_time", |app| async move {
        seed(&app).await;
        app.add_user("owner@example.com", "Owner", Role::Owner).await;
        app.add_user("ed@example.com", "Ed", Role::Editor).await;
        app.add_user("eve@example.com", "Eve", Role::Contributor).await;
        let ed = app.client();
        let ed_csrf = app.signed_in(&ed, "ed@example.com").await;

        // Start (task by its everyday name), a second start is refused with what to do, stop records the entry.
        let start = [("channel", "linkedin"), ("task", "publish"), ("csrf", ed_csrf.as_str())];
        assert_eq!(app.post(&ed, "/time/start", &start).await.status(), StatusCode::SEE_OTHER);
        let page = app.get(&ed, "/time").await.text().await.unwrap();
        assert!(page.contains("Running since") && page.contains("LinkedIn page"), "{page}");
        let again = app.post(&ed, "/time/start", &start).await;
        assert_eq!(again.status(), StatusCode::CONFLICT);
        assert!(again.text().await.unwrap().contains("stop it first"));
        let stop = app.post(&ed, "/time/stop", &[("csrf", ed_csrf.as_str())]).await;
        assert_eq!(stop.status(), StatusCode::SEE_OTHER);
        let tracked = app.store.tracked_entries(None).await.unwrap();
        assert_eq!(tracked.len(), 1);
        let timed = &tracked[0].entry;
        assert_eq!(
            (timed.channel.as_deref(), timed.task, timed.person.as_str()),
            (Some("linkedin"), Task::Content, "ed@example.com")
        );
        assert!((1..=2).contains(&timed.minutes), "a timer stopped at once records a minute: {}", timed.minutes);

        // A quick entry from a start and end time; a bad one says what is wrong.
        let log = [
            ("channel", "linkedin"),
            ("task", "respond"),
            ("date", "2026-11-30"),
            ("start", "09:00"),
            ("end", "10:30"),
            ("csrf", ed_csrf.as_str()),
        ];
        assert_eq!(app.post(&ed, "/time/log", &log).await.status(), StatusCode::SEE_OTHER);
        let bad = app
            .post(&ed, "/time/log", &[("task", "content"), ("date", "yesterday"), ("minutes", "5"), ("csrf", &ed_csrf)])
            .await;
        assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(bad.text().await.unwrap().contains("YYYY-MM-DD"));
        let own = app.store.tracked_entries(None).await.unwrap();
        let quick = own.iter().find(|e| e.entry.minutes == 90).expect("the quick entry, 90 minutes");
        assert_eq!(quick.entry.task, Task::Community);

        // Eve may neither change nor delete Ed's entry.
        let eve = app.client();
        let eve_csrf = app.signed_in(&eve, "eve@example.com").await;
        let key = quick.entry.key.as_str();
        let edit = [("key", key), ("task", "content"), ("date", "2026-11-30"), ("minutes", "600"), ("csrf", &eve_csrf)];
        assert_eq!(app.post(&eve, "/time/edit", &edit).await.status(), StatusCode::FORBIDDEN);
        assert_eq!(
            app.post(&eve, "/time/delete", &[("key", key), ("csrf", &eve_csrf)]).await.status(),
            StatusCode::FORBIDDEN
        );
        let eve_page = app.get(&eve, "/time").await.text().await.unwrap();
        assert!(!eve_page.contains("ed@example.com"), "Eve sees only her own entries");
        let log_eve = [("task", "pr"), ("date", "2026-11-30"), ("minutes", "20"), ("csrf", eve_csrf.as_str())];
        assert_eq!(app.post(&eve, "/time/log", &log_eve).await.status(), StatusCode::SEE_OTHER);

        // Ed changes his own; the owner sees everyone's entries.
        let edit = [
            ("key", key),
            ("channel", "linkedin"),
            ("task", "respond"),
            ("date", "2026-11-30"),
            ("minutes", "120"),
            ("csrf", &ed_csrf),
        ];
        assert_eq!(app.post(&ed, "/time/edit", &edit).await.status(), StatusCode::SEE_OTHER);
        let owner = app.client();
        app.signed_in(&owner, "owner@example.com").await;
        let all = app.get(&owner, "/time").await.text().await.unwrap();
        assert!(all.contains("ed@example.com") && all.contains("eve@example.com"), "{all}");

        // The full cost counts tracked time like imported time: minutes x hourly cost; Eve has no cost yet.
        let data = app.store.load().await.unwrap();
        let report = costs(&data, &Settings::default(), &[]);
        let linkedin = report.channels.iter().find(|c| c.channel.as_deref() == Some("linkedin")).unwrap();
        let minutes = timed.minutes + 120;
        assert_eq!(linkedin.minutes, minutes);
        assert_eq!(linkedin.staff_minor, staff_cost_minor(timed.minutes, 6_000) + staff_cost_minor(120, 6_000));
        assert_eq!((report.general.minutes, report.general.uncosted_minutes), (20, 20));
    })
    .await;
}
