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

/// The owner and managers correct or delete anyone's tracked entry, audited with before and after and themselves
/// as the actor; the entry keeps its person. An editor still may not touch someone else's.
#[tokio::test]
async fn owner_and_managers_edit_and_delete_anyones_entries() {
    on_both("web_time_oversight", |app| async move {
        seed(&app).await;
        app.add_user("owner@example.com", "Owner", Role::Owner).await;
        app.add_user("mia@example.com", "Mia", Role::Manager).await;
        app.add_user("ed@example.com", "Ed", Role::Editor).await;
        app.add_user("eve@example.com", "Eve", Role::Contributor).await;
        let ed = app.client();
        let ed_csrf = app.signed_in(&ed, "ed@example.com").await;
        let eve = app.client();
        let eve_csrf = app.signed_in(&eve, "eve@example.com").await;
        for (client, csrf, minutes) in [(&ed, &ed_csrf, "30"), (&eve, &eve_csrf, "45")] {
            let log = [
                ("channel", "linkedin"),
                ("task", "content"),
                ("date", "2026-11-30"),
                ("minutes", minutes),
                ("csrf", csrf),
            ];
            assert_eq!(app.post(client, "/time/log", &log).await.status(), StatusCode::SEE_OTHER);
        }
        let entries = app.store.tracked_entries(None).await.unwrap();
        let key_of = |email: &str| entries.iter().find(|e| e.user_email == email).unwrap().entry.key.clone();
        let (ed_key, eve_key) = (key_of("ed@example.com"), key_of("eve@example.com"));

        // An editor may not change someone else's entry (403), nor delete it.
        let edit =
            [("key", eve_key.as_str()), ("task", "pr"), ("date", "2026-11-30"), ("minutes", "5"), ("csrf", &ed_csrf)];
        assert_eq!(app.post(&ed, "/time/edit", &edit).await.status(), StatusCode::FORBIDDEN);
        let delete = [("key", eve_key.as_str()), ("csrf", ed_csrf.as_str())];
        assert_eq!(app.post(&ed, "/time/delete", &delete).await.status(), StatusCode::FORBIDDEN);

        // The owner's page has a Save and Delete form on everyone's entries; the owner corrects Eve's entry.
        let owner = app.client();
        let owner_csrf = app.signed_in(&owner, "owner@example.com").await;
        let page = app.get(&owner, "/time").await.text().await.unwrap();
        assert!(page.contains(&format!("data-entry=\"{eve_key}\"")) && page.contains("correct or delete anyone's"));
        let fix = [
            ("key", eve_key.as_str()),
            ("channel", "linkedin"),
            ("task", "respond"),
            ("date", "2026-11-29"),
            ("minutes", "50"),
            ("note", "<b>corrected</b>"),
            ("csrf", owner_csrf.as_str()),
        ];
        assert_eq!(app.post(&owner, "/time/edit", &fix).await.status(), StatusCode::SEE_OTHER);
        let fixed = app.store.tracked_entries(None).await.unwrap();
        let eves = fixed.iter().find(|e| e.entry.key == eve_key).unwrap();
        assert_eq!(
            (eves.entry.minutes, eves.entry.task, eves.user_email.as_str()),
            (50, Task::Community, "eve@example.com")
        );
        assert_eq!(eves.entry.person, "eve@example.com", "the entry keeps its person");
        let page = app.get(&owner, "/time").await.text().await.unwrap();
        assert!(page.contains("&lt;b&gt;corrected&lt;/b&gt;") && !page.contains("<b>corrected</b>"));
        let log = app.store.audit_log(None).await.unwrap();
        let edited = log.iter().find(|e| e.action == "time.edited").expect("the correction is audited");
        assert_eq!(edited.actor_email.as_deref(), Some("owner@example.com"));
        assert!(edited.before.as_deref().unwrap().contains("\"minutes\":45"), "{edited:?}");
        assert!(edited.after.as_deref().unwrap().contains("\"minutes\":50"), "{edited:?}");

        // A manager deletes Ed's entry, audited with what it was.
        let mia = app.client();
        let mia_csrf = app.signed_in(&mia, "mia@example.com").await;
        let delete = [("key", ed_key.as_str()), ("csrf", mia_csrf.as_str())];
        assert_eq!(app.post(&mia, "/time/delete", &delete).await.status(), StatusCode::SEE_OTHER);
        assert!(app.store.tracked_entries(None).await.unwrap().iter().all(|e| e.entry.key != ed_key));
        let log = app.store.audit_log(None).await.unwrap();
        let deleted = log.iter().find(|e| e.action == "time.deleted").expect("the deletion is audited");
        assert_eq!(deleted.actor_email.as_deref(), Some("mia@example.com"));
        assert!(deleted.before.as_deref().unwrap().contains("ed@example.com") && deleted.after.is_none());

        // Without the CSRF token: refused, nothing changed.
        let forged = app.post(&owner, "/time/delete", &[("key", eve_key.as_str())]).await;
        assert_eq!(forged.status(), StatusCode::FORBIDDEN);
        assert_eq!(app.store.tracked_entries(None).await.unwrap().len(), 1);
    })
    .await;
}
