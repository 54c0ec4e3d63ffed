//! Experiments the company runs (`experiments`): planned from the verdict's proposal for a channel, marked running
//! with their start date, and read out with the figures `socialledger experiment analyze` computes (the weekly
//! contrast with its 90 % interval, the placebo p-value). Each step is audited with before and after in the same
//! transaction; a step out of order (reading out an experiment that is not running) is refused, nothing written.

use crate::audit::{self, parse_at, AuditAction, NewAuditEntry};
use crate::error::query_error;
use crate::{codec, Result, Store, StoreError};
use serde::Serialize;
use socialledger_domain::{Date, Timestamp};
use sqlx::{Any, Transaction};

/// Where an experiment stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(into = "&'static str")]
pub enum ExperimentStatus {
    Planned,
    Running,
    ReadOut,
}

impl ExperimentStatus {
    pub fn as_str(&self) -> &'static str {
        match self {
            ExperimentStatus::Planned => "planned",
            ExperimentStatus::Running => "running",
            ExperimentStatus::ReadOut => "read_out",
        }
    }

    fn parse(text: &str) -> Option<Self> {
        [ExperimentStatus::Planned, ExperimentStatus::Running, ExperimentStatus::ReadOut]
            .into_iter()
            .find(|s| s.as_str() == text)
    }
}

impl From<ExperimentStatus> for &'static str {
    fn from(s: ExperimentStatus) -> &'static str {
        s.as_str()
    }
}

/// An experiment's read-out: the weekly contrast (running minus paused or held out, outcome per week) with its 90 %
/// interval, as `experiment analyze` printed it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ExperimentReadout {
    pub estimate: f64,
    pub low: f64,
    pub high: f64,
    pub p_value: Option<f64>,
    /// The reading in words, if given.
    pub reading: Option<String>,
}

impl ExperimentReadout {
    /// What is wrong with the figures, if anything: finite, `low <= estimate <= high`, a p-value in [0, 1].
    pub fn problem(&self) -> Option<String> {
        let (e, l, h) = (self.estimate, self.low, self.high);
        if ![e, l, h].iter().all(|v| v.is_finite()) {
            return Some("the estimate and its interval must be numbers".to_string());
        }
        if !(l <= e && e <= h) {
            return Some(format!("the interval {l} to {h} must contain the estimate {e} (low <= estimate <= high)"));
        }
        if let Some(p) = self.p_value {
            if !(0.0..=1.0).contains(&p) {
                return Some(format!("the p-value {p} must be between 0 and 1"));
            }
        }
        None
    }
}

/// An experiment as stored.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct StoredExperiment {
    pub id: i64,
    pub channel: String,
    pub design: String,
    pub weeks: i64,
    pub status: ExperimentStatus,
    /// The plan as proposed when it was planned (JSON text).
    pub plan_json: String,
    pub created_by: Option<i64>,
    pub created_at: Timestamp,
    pub started_on: Option<Date>,
    pub readout: Option<ExperimentReadout>,
    pub read_out_at: Option<Timestamp>,
}

impl StoredExperiment {
    fn audit_view(&self) -> serde_json::Value {
        serde_json::json!({
            "channel": self.channel,
            "design": self.design,
            "weeks": self.weeks,
            "status": self.status.as_str(),
            "started_on": self.started_on.map(codec::date_text),
            "readout": self.readout,
        })
    }
}

/// An experiment to plan.
#[derive(Clone, Debug)]
pub struct NewExperiment {
    pub channel: String,
    pub design: String,
    pub weeks: i64,
    pub plan_json: String,
}

/// The outcome of a step (start, read-out).
#[derive(Clone, Debug, PartialEq)]
pub enum ExperimentStep {
    Done(StoredExperiment),
    NotFound,
    /// The experiment is not in the status the step needs (e.g. read out before it runs); it is as it was.
    WrongStatus(StoredExperiment),
}

const SELECT: &str = "SELECT id, channel, design, weeks, status, plan_json, created_by, created_at, started_on, \
     estimate, low, high, p_value, reading, read_out_at FROM experiments";
type Row = (
    i64,
    String,
    String,
    i64,
    String,
    String,
    Option<i64>,
    String,
    Option<String>,
    Option<f64>,
    Option<f64>,
    Option<f64>,
    Option<f64>,
    Option<String>,
    Option<String>,
);

fn decode(row: Row) -> Result<StoredExperiment> {
    let (
        id,
        channel,
        design,
        weeks,
        status,
        plan_json,
        created_by,
        created_at,
        started_on,
        est,
        low,
        high,
        p,
        reading,
        at,
    ) = row;
    let corrupt = |column: &'static str, value: &str, reason: &str| StoreError::Corrupt {
        table: "experiments",
        column,
        value: value.to_string(),
        reason: reason.to_string(),
    };
    let status = ExperimentStatus::parse(&status).ok_or_else(|| corrupt("status", &status, "not a status"))?;
    let started_on = match started_on {
        Some(text) => Some(codec::parse_date(&text).map_err(|r| corrupt("started_on", &text, r))?),
        None => None,
    };
    let readout = match (est, low, high) {
        (Some(estimate), Some(low), Some(high)) => Some(ExperimentReadout { estimate, low, high, p_value: p, reading }),
        _ => None,
    };
    Ok(StoredExperiment {
        id,
        channel,
        design,
        weeks,
        status,
        plan_json,
        created_by,
        created_at: parse_at(&created_at, "experiments", "created_at")?,
        started_on,
        readout,
        read_out_at: at.map(|t| parse_at(&t, "experiments", "read_out_at")).transpose()?,
    })
}

async fn experiment_of(tx: &mut Transaction<'static, Any>, id: i64, doing: &str) -> Result<Option<StoredExperiment>> {
    let row: Option<Row> = sqlx::query_as(&format!("{SELECT} WHERE id = $1"))
        .bind(id)
        .fetch_optional(&mut **tx)
        .await
        .map_err(query_error(doing.to_string()))?;
    row.map(decode).transpose()
}

impl Store {
    /// Plans an experiment (audited, `experiment.planned`). A weeks count below 1 or an empty channel or design is
    /// [`StoreError::InvalidRecord`].
    pub async fn plan_experiment(
        &self,
        new: &NewExperiment,
        actor: Option<i64>,
        now: Timestamp,
    ) -> Result<StoredExperiment> {
        if new.weeks < 1 || new.channel.trim().is_empty() || new.design.trim().is_empty() {
            return Err(StoreError::InvalidRecord {
                table: "experiments",
                record: format!("{}:{}", new.channel, new.design),
                reason: "an experiment needs a channel, a design and at least one week".to_string(),
            });
        }
        let doing = "planning an experiment";
        let mut tx = self.begin_write(doing).await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO experiments (channel, design, weeks, status, plan_json, created_by, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(new.channel.as_str())
        .bind(new.design.as_str())
        .bind(new.weeks)
        .bind(ExperimentStatus::Planned.as_str())
        .bind(new.plan_json.as_str())
        .bind(actor)
        .bind(codec::timestamp_text(now))
        .fetch_one(&mut *tx)
        .await
        .map_err(query_error(doing))?;
        let stored = experiment_of(&mut tx, id, doing).await?.ok_or_else(|| StoreError::Corrupt {
            table: "experiments",
            column: "id",
            value: id.to_string(),
            reason: "not found right after it was written".to_string(),
        })?;
        let entry = NewAuditEntry {
            actor,
            action: AuditAction::ExperimentPlanned,
            object: format!("experiment:{id}"),
            before: None,
            after: Some(stored.audit_view()),
        };
        audit::append(&mut tx, &entry, now).await?;
        tx.commit().await.map_err(query_error(doing))?;
        Ok(stored)
    }

    /// Every experiment, newest first.
    pub async fn experiments(&self) -> Result<Vec<StoredExperiment>> {
        let rows: Vec<Row> = sqlx::query_as(&format!("{SELECT} ORDER BY id DESC"))
            .fetch_all(&self.pool)
            .await
            .map_err(query_error("reading experiments"))?;
        rows.into_iter().map(decode).collect()
    }

    /// Marks a planned experiment running from `started_on` (audited, `experiment.started`).
    pub async fn start_experiment(
        &self,
        id: i64,
        started_on: Date,
        actor: Option<i64>,
        now: Timestamp,
    ) -> Result<ExperimentStep> {
        self.step(id, ExperimentStatus::Planned, actor, now, |e| {
            e.status = ExperimentStatus::Running;
            e.started_on = Some(started_on);
        })
        .await
    }

    /// Records a running experiment's read-out (audited, `experiment.read_out`). Figures that are not a valid
    /// interval are [`StoreError::InvalidRecord`].
    pub async fn record_experiment_readout(
        &self,
        id: i64,
        readout: &ExperimentReadout,
        actor: Option<i64>,
        now: Timestamp,
    ) -> Result<ExperimentStep> {
        if let Some(reason) = readout.problem() {
            return Err(StoreError::InvalidRecord { table: "experiments", record: format!("experiment:{id}"), reason });
        }
        self.step(id, ExperimentStatus::Running, actor, now, |e| {
            e.status = ExperimentStatus::ReadOut;
            e.readout = Some(readout.clone());
            e.read_out_at = Some(now);
        })
        .await
    }

    /// One step of an experiment that must be in status `from`: the change `apply` makes, written and audited.
    async fn step(
        &self,
        id: i64,
        from: ExperimentStatus,
        actor: Option<i64>,
        now: Timestamp,
        apply: impl FnOnce(&mut StoredExperiment),
    ) -> Result<ExperimentStep> {
        let doing = "changing an experiment";
        let mut tx = self.begin_write(doing).await?;
        let before = match experiment_of(&mut tx, id, doing).await? {
            None => {
                let _ = tx.rollback().await;
                return Ok(ExperimentStep::NotFound);
            }
            Some(e) if e.status != from => {
                let _ = tx.rollback().await;
                return Ok(ExperimentStep::WrongStatus(e));
            }
            Some(e) => e,
        };
        let mut after = before.clone();
        apply(&mut after);
        let readout = after.readout.clone();
        sqlx::query(
            "UPDATE experiments SET status = $2, started_on = $3, estimate = $4, low = $5, high = $6, p_value = $7, \
             reading = $8, read_out_at = $9 WHERE id = $1",
        )
        .bind(id)
        .bind(after.status.as_str())
        .bind(after.started_on.map(codec::date_text))
        .bind(readout.as_ref().map(|r| r.estimate))
        .bind(readout.as_ref().map(|r| r.low))
        .bind(readout.as_ref().map(|r| r.high))
        .bind(readout.as_ref().and_then(|r| r.p_value))
        .bind(readout.as_ref().and_then(|r| r.reading.clone()))
        .bind(after.read_out_at.map(codec::timestamp_text))
        // The read-out's doubles are NULL when an experiment starts and numbers when it is read out: sqlx's Any
        // driver binds a NULL f64 as a float4 on PostgreSQL, and a cached statement keeps that type, so a later
        // read-out on the same connection failed ("incorrect binary data format in bind parameter 4"). Prepared
        // afresh each time, as the upserts of tables with nullable doubles are (`upsert::write`).
        .persistent(false)
        .execute(&mut *tx)
        .await
        .map_err(query_error(doing))?;
        let action = match after.status {
            ExperimentStatus::Running => AuditAction::ExperimentStarted,
            _ => AuditAction::ExperimentReadOut,
        };
        let entry = NewAuditEntry {
            actor,
            action,
            object: format!("experiment:{id}"),
            before: Some(before.audit_view()),
            after: Some(after.audit_view()),
        };
        audit::append(&mut tx, &entry, now).await?;
        tx.commit().await.map_err(query_error(doing))?;
        Ok(ExperimentStep::Done(after))
    }
}
