//! Targets (`targets`) and the alerts of their status changes (`alerts`): written, changed and removed with
//! an audit entry (before and after) in the same transaction.
//!
//! An alert is recorded when a target's status in its period changes in a way people must hear about: it went
//! off track, or came back on track after being off. [`Store::record_alert`] writes it only if the last alert of
//! the target and period has another status, and numbers the alerts of one target and period (`seq`), so two
//! servers checking at once alert once (the unique key refuses the second).

use crate::audit::{self, parse_at, AuditAction, NewAuditEntry};
use crate::error::query_error;
use crate::{codec, Result, Store, StoreError};
use serde::Serialize;
use socialledger_domain::{Comparison, PeriodKind, Target, TargetMetric, TargetPeriod, Timestamp};
use sqlx::{Any, Transaction};

/// A target as stored, with its id and who set it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct StoredTarget {
    pub id: i64,
    #[serde(flatten)]
    pub target: Target,
    /// The user who set it, `None` from the command line.
    pub created_by: Option<i64>,
    pub created_at: Timestamp,
}

/// An alert: a target's status in a period changed (off track, or back on track).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Alert {
    pub id: i64,
    pub target_id: i64,
    /// The period's label (`2026-12`, `2026-Q4`).
    pub period: String,
    /// The status it changed to (`off_track`, `on_track`).
    pub status: String,
    /// What happened, in words (the text the notifications carry).
    pub message: String,
    pub created_at: Timestamp,
    /// When it went out by webhook and by e-mail (`None`: not sent).
    pub webhook_at: Option<Timestamp>,
    pub email_at: Option<Timestamp>,
}

/// How an alert went out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Delivery {
    Webhook,
    Email,
}

fn audit_view(t: &StoredTarget) -> serde_json::Value {
    serde_json::json!({
        "id": t.id,
        "channel": t.target.channel,
        "metric": t.target.metric.as_str(),
        "comparison": t.target.comparison.as_str(),
        "threshold": t.target.threshold,
        "period": t.target.period.label(),
    })
}

const TARGET_SELECT: &str =
    "SELECT id, channel, metric, comparison, threshold, period_kind, period_start, created_by, created_at FROM targets";
type TargetRow = (i64, Option<String>, String, String, f64, String, String, Option<i64>, String);

fn decode_target(row: TargetRow) -> Result<StoredTarget> {
    let (id, channel, metric, comparison, threshold, kind, start, created_by, created_at) = row;
    let corrupt = |column: &'static str, value: &str, reason: String| StoreError::Corrupt {
        table: "targets",
        column,
        value: value.to_string(),
        reason,
    };
    let metric = TargetMetric::parse(&metric).map_err(|e| corrupt("metric", &metric, e.to_string()))?;
    let comparison = Comparison::parse(&comparison).map_err(|e| corrupt("comparison", &comparison, e.to_string()))?;
    let kind = PeriodKind::parse(&kind).map_err(|e| corrupt("period_kind", &kind, e.to_string()))?;
    let start_date = codec::parse_date(&start).map_err(|e| corrupt("period_start", &start, e.to_string()))?;
    let period = TargetPeriod::new(kind, start_date).map_err(|e| corrupt("period_start", &start, e.to_string()))?;
    let target = Target::new(channel, metric, comparison, threshold, period)
        .map_err(|e| corrupt("threshold", &threshold.to_string(), e.to_string()))?;
    Ok(StoredTarget { id, target, created_by, created_at: parse_at(&created_at, "targets", "created_at")? })
}

impl Store {
    /// Every target, by period (newest first), then id.
    pub async fn targets(&self) -> Result<Vec<StoredTarget>> {
        let sql = format!("{TARGET_SELECT} ORDER BY period_start DESC, id");
        let rows: Vec<TargetRow> =
            sqlx::query_as(&sql).fetch_all(&self.pool).await.map_err(query_error("reading targets"))?;
        rows.into_iter().map(decode_target).collect()
    }

    /// The target `id`, if there is one.
    pub async fn target(&self, id: i64) -> Result<Option<StoredTarget>> {
        let mut conn = self.pool.acquire().await.map_err(query_error("reading a target"))?;
        target_of(&mut conn, id).await
    }

    /// Adds a target (audited); `actor` is the user who set it (`None`: the command line). An unknown channel is
    /// [`StoreError::NoSuchChannel`].
    pub async fn add_target(&self, target: &Target, actor: Option<i64>, now: Timestamp) -> Result<StoredTarget> {
        let doing = "adding a target";
        let mut tx = self.begin_write(doing).await?;
        if let Some(key) = target.channel.as_deref() {
            ensure_channel(&mut tx, key, doing).await?;
        }
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO targets (channel, metric, comparison, threshold, period_kind, period_start, created_by, \
             created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        )
        .bind(target.channel.as_deref())
        .bind(target.metric.as_str())
        .bind(target.comparison.as_str())
        .bind(target.threshold)
        .bind(target.period.kind.as_str())
        .bind(codec::date_text(target.period.start))
        .bind(actor)
        .bind(codec::timestamp_text(now))
        .fetch_one(&mut *tx)
        .await
        .map_err(query_error(doing))?;
        let stored = StoredTarget { id, target: target.clone(), created_by: actor, created_at: now };
        let entry = NewAuditEntry {
            actor,
            action: AuditAction::TargetCreated,
            object: format!("target:{id}"),
            before: None,
            after: Some(audit_view(&stored)),
        };
        audit::append(&mut tx, &entry, now).await?;
        tx.commit().await.map_err(query_error(doing))?;
        Ok(stored)
    }

    /// Changes target `id` to `target` (audited with before and after); `None` when there is no such target.
    pub async fn change_target(
        &self,
        id: i64,
        target: &Target,
        actor: Option<i64>,
        now: Timestamp,
    ) -> Result<Option<StoredTarget>> {
        let doing = "changing a target";
        let mut tx = self.begin_write(doing).await?;
        let Some(before) = target_of(&mut tx, id).await? else {
            let _ = tx.rollback().await;
            return Ok(None);
        };
        if let Some(key) = target.channel.as_deref() {
            ensure_channel(&mut tx, key, doing).await?;
        }
        sqlx::query(
            "UPDATE targets SET channel = $2, metric = $3, comparison = $4, threshold = $5, period_kind = $6, \
             period_start = $7 WHERE id = $1",
        )
        .bind(id)
        .bind(target.channel.as_deref())
        .bind(target.metric.as_str())
        .bind(target.comparison.as_str())
        .bind(target.threshold)
        .bind(target.period.kind.as_str())
        .bind(codec::date_text(target.period.start))
        .execute(&mut *tx)
        .await
        .map_err(query_error(doing))?;
        let after = StoredTarget { target: target.clone(), ..before.clone() };
        let entry = NewAuditEntry {
            actor,
            action: AuditAction::TargetChanged,
            object: format!("target:{id}"),
            before: Some(audit_view(&before)),
            after: Some(audit_view(&after)),
        };
        audit::append(&mut tx, &entry, now).await?;
        tx.commit().await.map_err(query_error(doing))?;
        Ok(Some(after))
    }

    /// Removes target `id` and its alerts (audited with what it was); `None` when there is no such target.
    pub async fn remove_target(&self, id: i64, actor: Option<i64>, now: Timestamp) -> Result<Option<StoredTarget>> {
        let doing = "removing a target";
        let mut tx = self.begin_write(doing).await?;
        let Some(before) = target_of(&mut tx, id).await? else {
            let _ = tx.rollback().await;
            return Ok(None);
        };
        let alerts: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM alerts WHERE target_id = $1")
            .bind(id)
            .fetch_one(&mut *tx)
            .await
            .map_err(query_error(doing))?;
        for sql in ["DELETE FROM alerts WHERE target_id = $1", "DELETE FROM targets WHERE id = $1"] {
            sqlx::query(sql).bind(id).execute(&mut *tx).await.map_err(query_error(doing))?;
        }
        let mut view = audit_view(&before);
        view["alerts_removed"] = serde_json::json!(alerts);
        let entry = NewAuditEntry {
            actor,
            action: AuditAction::TargetDeleted,
            object: format!("target:{id}"),
            before: Some(view),
            after: None,
        };
        audit::append(&mut tx, &entry, now).await?;
        tx.commit().await.map_err(query_error(doing))?;
        Ok(Some(before))
    }

    /// Records that target `target_id`'s status in `period` is now `status`, unless the last alert of the target
    /// and period already has that status (or, with none yet, unless `status` is `on_track`: a target that was
    /// never off track has nothing to recover from). Returns the new alert when one was written (audited), so
    /// the caller sends it out; `None` when there is nothing new to say (or another server said it first).
    pub async fn record_alert(
        &self,
        target_id: i64,
        period: &str,
        status: &str,
        message: &str,
        now: Timestamp,
    ) -> Result<Option<Alert>> {
        let doing = "recording an alert";
        let mut tx = self.begin_write(doing).await?;
        let last: Option<(i64, String)> = sqlx::query_as(
            "SELECT seq, status FROM alerts WHERE target_id = $1 AND period = $2 ORDER BY seq DESC LIMIT 1",
        )
        .bind(target_id)
        .bind(period)
        .fetch_optional(&mut *tx)
        .await
        .map_err(query_error(doing))?;
        let news = match &last {
            Some((_, last_status)) => last_status != status,
            None => status != "on_track",
        };
        if !news {
            let _ = tx.rollback().await;
            return Ok(None);
        }
        let seq = last.map_or(1, |(seq, _)| seq + 1);
        let id: Option<i64> = sqlx::query_scalar(
            "INSERT INTO alerts (target_id, period, seq, status, message, created_at) VALUES ($1, $2, $3, $4, $5, $6) \
             ON CONFLICT (target_id, period, seq) DO NOTHING RETURNING id",
        )
        .bind(target_id)
        .bind(period)
        .bind(seq)
        .bind(status)
        .bind(message)
        .bind(codec::timestamp_text(now))
        .fetch_optional(&mut *tx)
        .await
        .map_err(query_error(doing))?;
        let Some(id) = id else {
            let _ = tx.rollback().await;
            return Ok(None);
        };
        let entry = NewAuditEntry {
            actor: None,
            action: AuditAction::AlertRecorded,
            object: format!("alert:{id}"),
            before: None,
            after: Some(serde_json::json!({
                "target_id": target_id, "period": period, "seq": seq, "status": status, "message": message,
            })),
        };
        audit::append(&mut tx, &entry, now).await?;
        tx.commit().await.map_err(query_error(doing))?;
        Ok(Some(Alert {
            id,
            target_id,
            period: period.to_string(),
            status: status.to_string(),
            message: message.to_string(),
            created_at: now,
            webhook_at: None,
            email_at: None,
        }))
    }

    /// Notes that alert `id` went out by `how` (audited).
    pub async fn mark_alert_sent(&self, id: i64, how: Delivery, now: Timestamp) -> Result<()> {
        let doing = "noting that an alert was sent";
        let (sql, way) = match how {
            Delivery::Webhook => ("UPDATE alerts SET webhook_at = $2 WHERE id = $1", "webhook"),
            Delivery::Email => ("UPDATE alerts SET email_at = $2 WHERE id = $1", "email"),
        };
        let mut tx = self.begin_write(doing).await?;
        sqlx::query(sql)
            .bind(id)
            .bind(codec::timestamp_text(now))
            .execute(&mut *tx)
            .await
            .map_err(query_error(doing))?;
        let entry = NewAuditEntry {
            actor: None,
            action: AuditAction::AlertSent,
            object: format!("alert:{id}"),
            before: None,
            after: Some(serde_json::json!({ "sent_by": way })),
        };
        audit::append(&mut tx, &entry, now).await?;
        tx.commit().await.map_err(query_error(doing))
    }

    /// Alerts, newest first; at most `limit`.
    pub async fn alerts(&self, limit: u64) -> Result<Vec<Alert>> {
        type Row = (i64, i64, String, String, String, String, Option<String>, Option<String>);
        let rows: Vec<Row> = sqlx::query_as(
            "SELECT id, target_id, period, status, message, created_at, webhook_at, email_at FROM alerts \
             ORDER BY id DESC LIMIT $1",
        )
        .bind(i64::try_from(limit).unwrap_or(i64::MAX))
        .fetch_all(&self.pool)
        .await
        .map_err(query_error("reading alerts"))?;
        rows.into_iter()
            .map(|(id, target_id, period, status, message, created_at, webhook_at, email_at)| {
                let at = |v: Option<String>, column| v.map(|t| parse_at(&t, "alerts", column)).transpose();
                Ok(Alert {
                    id,
                    target_id,
                    period,
                    status,
                    message,
                    created_at: parse_at(&created_at, "alerts", "created_at")?,
                    webhook_at: at(webhook_at, "webhook_at")?,
                    email_at: at(email_at, "email_at")?,
                })
            })
            .collect()
    }
}

async fn target_of(conn: &mut sqlx::AnyConnection, id: i64) -> Result<Option<StoredTarget>> {
    let sql = format!("{TARGET_SELECT} WHERE id = $1");
    let row: Option<TargetRow> =
        sqlx::query_as(&sql).bind(id).fetch_optional(&mut *conn).await.map_err(query_error("reading a target"))?;
    row.map(decode_target).transpose()
}

async fn ensure_channel(tx: &mut Transaction<'static, Any>, key: &str, doing: &str) -> Result<()> {
    let found: Option<String> = sqlx::query_scalar("SELECT key FROM channels WHERE key = $1")
        .bind(key)
        .fetch_optional(&mut **tx)
        .await
        .map_err(query_error(doing))?;
    match found {
        Some(_) => Ok(()),
        None => Err(StoreError::NoSuchChannel { key: key.to_string() }),
    }
}
