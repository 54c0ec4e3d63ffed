//! Targets and alerts (migration 0008): add, change, remove, each audited with before and after; an alert is
//! recorded once per status change of a target in its period.

use crate::fixtures::channel;
use crate::support::{on_both, quiet, source};
use chrono::{TimeZone, Utc};
use socialledger_domain::{ChannelKind, Comparison, Dataset, Network, Target, TargetMetric, TargetPeriod, Timestamp};
use socialledger_store::{Delivery, StoreError};

fn at(minute: u32) -> Timestamp {
    Utc.with_ymd_and_hms(2026, 12, 7, 9, minute, 0).unwrap()
}

#[tokio::test]
async fn targets_are_audited_and_alerts_come_once_per_change() {
    on_both("targets", |db| async move {
        let store = db.open().await;
        let mut data = Dataset::default();
        data.channels.push(channel("linkedin", ChannelKind::OrganicSocial, Some(Network::LinkedIn)));
        store.import(&source("seed.csv", "seed", 1), &data, &quiet).await.unwrap();
        let period = TargetPeriod::parse("2026-12").unwrap();
        let rate =
            Target::new(Some("linkedin".into()), TargetMetric::EngagementRate, Comparison::AtLeast, 0.04, period)
                .unwrap();

        let added = store.add_target(&rate, None, at(0)).await.unwrap();
        assert_eq!(store.targets().await.unwrap(), vec![added.clone()]);
        let unknown = Target { channel: Some("nope".into()), ..rate.clone() };
        assert!(matches!(store.add_target(&unknown, None, at(1)).await, Err(StoreError::NoSuchChannel { .. })));

        let changed_to = Target { threshold: 0.05, ..rate.clone() };
        let changed = store.change_target(added.id, &changed_to, None, at(2)).await.unwrap().unwrap();
        assert_eq!(changed.target.threshold, 0.05);
        assert_eq!(store.target(added.id).await.unwrap().unwrap().target, changed_to);
        assert!(store.change_target(9999, &changed_to, None, at(2)).await.unwrap().is_none());

        // Alerts: nothing for a target that was never off track; off track once; again off track: nothing new;
        // back on track: news; another period counts on its own.
        let id = added.id;
        assert!(store.record_alert(id, "2026-12", "on_track", "fine", at(3)).await.unwrap().is_none());
        let off = store.record_alert(id, "2026-12", "off_track", "forecast 3 %", at(4)).await.unwrap().unwrap();
        assert!(store.record_alert(id, "2026-12", "off_track", "forecast 3 %", at(5)).await.unwrap().is_none());
        let back = store.record_alert(id, "2026-12", "on_track", "forecast 5 %", at(6)).await.unwrap().unwrap();
        assert!(store.record_alert(id, "2027-01", "off_track", "x", at(7)).await.unwrap().is_some());
        store.mark_alert_sent(off.id, Delivery::Webhook, at(8)).await.unwrap();
        let alerts = store.alerts(10).await.unwrap();
        assert_eq!(alerts.len(), 3);
        assert_eq!(alerts[1], back);
        assert_eq!((alerts[2].webhook_at, alerts[2].email_at), (Some(at(8)), None));

        let removed = store.remove_target(id, None, at(9)).await.unwrap().unwrap();
        assert_eq!(removed.target, changed_to);
        assert!(store.targets().await.unwrap().is_empty());
        assert!(store.alerts(10).await.unwrap().is_empty());
        assert!(store.remove_target(id, None, at(9)).await.unwrap().is_none());

        let log = store.audit_log(None).await.unwrap();
        let actions: Vec<&str> = log.iter().rev().map(|e| e.action.as_str()).collect();
        assert_eq!(
            actions,
            [
                "target.created",
                "target.changed",
                "target.alert_recorded",
                "target.alert_recorded",
                "target.alert_recorded",
                "target.alert_sent",
                "target.deleted"
            ]
        );
        let change = log.iter().find(|e| e.action == "target.changed").unwrap();
        assert!(change.before.as_deref().unwrap().contains("0.04"), "{change:?}");
        assert!(change.after.as_deref().unwrap().contains("0.05"), "{change:?}");
        let deleted = log.iter().find(|e| e.action == "target.deleted").unwrap();
        assert!(deleted.before.as_deref().unwrap().contains("\"alerts_removed\":3"), "{deleted:?}");
        assert!(deleted.after.is_none());
    })
    .await;
}
