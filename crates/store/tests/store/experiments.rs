//! Experiments kept through planned, running and read out (migration 0012), on both backends.

use crate::support::on_both;
use chrono::{NaiveDate, TimeZone, Utc};
use socialledger_store::experiments::{ExperimentReadout, ExperimentStep, NewExperiment};

#[tokio::test]
async fn experiments_are_started_then_read_out_one_after_another() {
    on_both("experiments_steps", |db| async move {
        let store = db.open().await;
        let now = Utc.with_ymd_and_hms(2026, 11, 2, 9, 0, 0).unwrap();
        // One after another on one connection: starting writes NULL read-out figures, reading out writes numbers
        // through the same statement (on PostgreSQL a cached statement once kept the NULLs' float4 type and the
        // read-out failed).
        for n in 0..3 {
            let new =
                NewExperiment { channel: "linkedin".into(), design: "pause".into(), weeks: 26, plan_json: "{}".into() };
            let planned = store.plan_experiment(&new, None, now).await.unwrap();
            let started_on = NaiveDate::from_ymd_opt(2026, 11, 2).unwrap();
            let started = store.start_experiment(planned.id, started_on, None, now).await.unwrap();
            assert!(matches!(started, ExperimentStep::Done(_)), "{started:?}");
            let readout = ExperimentReadout {
                estimate: 1200.5 + f64::from(n),
                low: 300.0,
                high: 2100.0,
                p_value: (n % 2 == 0).then_some(0.04),
                reading: None,
            };
            match store.record_experiment_readout(planned.id, &readout, None, now).await.unwrap() {
                ExperimentStep::Done(e) => assert_eq!(e.readout.as_ref(), Some(&readout), "experiment {n}"),
                other => panic!("experiment {n}: {other:?}"),
            }
        }
        assert_eq!(store.experiments().await.unwrap().len(), 3);
    })
    .await;
}
