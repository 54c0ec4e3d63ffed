//! Time tracked in the app (migration 0007): timers, quick entries, editing one's own entries, and that tracked
//! entries are ordinary time entries of the dataset with the `app` provenance, every change in the audit log.

use crate::fixtures::{channel, date, eur};
use crate::support::{on_both, quiet, source};
use chrono::{Duration, TimeZone, Utc};
use socialledger_domain::{ChannelKind, Dataset, Network, Person, Role, Task, Team, Timestamp};
use socialledger_store::time_tracking::APP_FORMAT;
use socialledger_store::{EntryChange, NewUser, StoreError, TimeInput};

fn at(hour: u32, minute: u32) -> Timestamp {
    Utc.with_ymd_and_hms(2026, 12, 7, hour, minute, 0).unwrap()
}

#[tokio::test]
async fn timers_and_entries_are_time_entries_with_app_provenance() {
    on_both("time_tracking", |db| async move {
        let store = db.open().await;
        // A channel, and a person with an hourly cost keyed by Ana's e-mail (as people.csv keys them).
        let mut data = Dataset::default();
        data.channels.push(channel("linkedin", ChannelKind::OrganicSocial, Some(Network::LinkedIn)));
        data.people.push(Person {
            key: "ana@example.com".into(),
            name: "Ana".into(),
            team: Team::Marketing,
            hourly_cost: Some(eur(6_000)),
        });
        store.import(&source("seed.csv", "seed", 2), &data, &quiet).await.unwrap();
        let new = |email: &str| NewUser {
            email: email.into(),
            display_name: format!("Name of {email}"),
            role: Role::Editor,
            password_hash: None,
        };
        let ana = store.create_user(&new("ana@example.com"), None, None, at(8, 0)).await.unwrap();
        let bo = store.create_user(&new("bo@example.com"), None, None, at(8, 0)).await.unwrap();

        // Start, a second start is refused and says what to do, stop writes the entry.
        let timer = store.start_timer(&ana, Some("linkedin"), Task::Content, at(9, 0)).await.unwrap();
        assert_eq!(store.running_timer(ana.id).await.unwrap(), Some(timer));
        let again = store.start_timer(&ana, None, Task::Reporting, at(9, 5)).await.unwrap_err();
        assert!(matches!(again, StoreError::TimerRunning { .. }), "{again}");
        assert!(again.to_string().contains("stop it first"), "{again}");
        let unknown = store.start_timer(&bo, Some("nope"), Task::Content, at(9, 0)).await.unwrap_err();
        assert!(matches!(unknown, StoreError::NoSuchChannel { .. }), "{unknown}");
        let stopped = store.stop_timer(&ana, at(9, 0) + Duration::seconds(45 * 60 + 40)).await.unwrap();
        assert_eq!((stopped.entry.minutes, stopped.entry.date), (46, date(2026, 12, 7)));
        assert_eq!(stopped.entry.person, "ana@example.com");
        assert!(store.running_timer(ana.id).await.unwrap().is_none());
        let none = store.stop_timer(&ana, at(10, 0)).await.unwrap_err();
        assert!(matches!(none, StoreError::NoTimerRunning { .. }), "{none}");

        // A quick entry by Bo, on social in general: Bo gets a person record (no cost), Ana's is reused.
        let input =
            TimeInput { channel: None, task: Task::Community, date: date(2026, 12, 6), minutes: 30, note: None };
        let logged = store.log_time(&bo, &input, at(10, 0)).await.unwrap();
        let zero = TimeInput { minutes: 0, ..input.clone() };
        assert!(matches!(store.log_time(&bo, &zero, at(10, 1)).await, Err(StoreError::InvalidRecord { .. })));

        // Own entries, everyone's.
        assert_eq!(store.tracked_entries(Some(ana.id)).await.unwrap(), vec![stopped.clone()]);
        assert_eq!(store.tracked_entries(None).await.unwrap().len(), 2);

        // Only the owner of an entry changes or deletes it.
        let edit = TimeInput { minutes: 50, note: Some("call".into()), ..input.clone() };
        assert_eq!(store.edit_time(&ana, &logged.entry.key, &edit, at(11, 0)).await.unwrap(), EntryChange::NotYours);
        assert_eq!(store.delete_time(&ana, &logged.entry.key, at(11, 0)).await.unwrap(), EntryChange::NotYours);
        assert_eq!(store.edit_time(&ana, "toggl:1", &edit, at(11, 0)).await.unwrap(), EntryChange::NotFound);
        let EntryChange::Done(edited) = store.edit_time(&bo, &logged.entry.key, &edit, at(11, 0)).await.unwrap() else {
            panic!("Bo edits his own entry");
        };
        assert_eq!((edited.entry.minutes, edited.entry.note.as_deref()), (50, Some("call")));

        // The dataset has them as time entries, with the people; the provenance is the `app` import.
        let loaded = store.load().await.unwrap();
        let mut minutes: Vec<(String, i64)> =
            loaded.time_entries.iter().map(|e| (e.person.clone(), e.minutes)).collect();
        minutes.sort();
        assert_eq!(minutes, vec![("ana@example.com".into(), 46), ("bo@example.com".into(), 50)]);
        let ana_person = loaded.people.iter().find(|p| p.key == "ana@example.com").unwrap();
        assert_eq!(ana_person.hourly_cost, Some(eur(6_000)), "the imported person is reused, not overwritten");
        let bo_person = loaded.people.iter().find(|p| p.key == "bo@example.com").unwrap();
        assert_eq!((bo_person.team, bo_person.hourly_cost), (Team::Other, None));
        assert!(loaded.time_entries.iter().all(|e| e.key.starts_with("app:")));
        assert_eq!(store.imports().await.unwrap().iter().filter(|i| i.format == APP_FORMAT).count(), 1);

        assert!(matches!(store.delete_time(&bo, &logged.entry.key, at(12, 0)).await.unwrap(), EntryChange::Done(_)));
        assert_eq!(store.tracked_entries(None).await.unwrap(), vec![stopped]);

        // Every change, in order, in the audit log, with its actor.
        let log = store.audit_log(None).await.unwrap();
        let actions: Vec<&str> = log.iter().rev().filter(|e| e.actor_id.is_some()).map(|e| e.action.as_str()).collect();
        assert_eq!(
            actions,
            [
                "time.timer_started",
                "time.timer_stopped",
                "person.created",
                "time.logged",
                "time.edited",
                "time.deleted"
            ]
        );
        let edited_entry = log.iter().find(|e| e.action == "time.edited").unwrap();
        assert!(edited_entry.before.as_deref().unwrap().contains("\"minutes\":30"));
        assert!(edited_entry.after.as_deref().unwrap().contains("\"minutes\":50"));
    })
    .await;
}
