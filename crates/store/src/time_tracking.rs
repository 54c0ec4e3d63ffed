//! Time tracked where the work happens (the web app's timers and quick entries, `socialledger time`): running
//! timers (`timers`) and the ownership of tracked entries (`tracked_time`).
//!
//! Tracked time is written as ordinary `time_entries` rows, so the analytics count it exactly like time imported
//! from Toggl or Clockify: the entry's person is the user's e-mail address (the key those exports and `people.csv`
//! use, so a person imported with an hourly cost is reused, and otherwise one is created without a cost). Its
//! provenance is the one `imports` row of format [`APP_FORMAT`] and a key beginning `app:`; who owns it is kept in
//! `tracked_time`. Every change is written to the audit log in the same transaction.
//!
//! Starting a timer while one runs is an error ([`StoreError::TimerRunning`]): stopping the running one silently
//! would record time the person may not have meant to record.

use crate::accounts::User;
use crate::audit::{self, parse_at, AuditAction, NewAuditEntry};
use crate::error::query_error;
use crate::{codec, Result, Store, StoreError};
use serde::Serialize;
use socialledger_domain::{Date, Task, TimeEntry, Timestamp};
use sqlx::{Any, Transaction};

/// The `imports.format` of the row every tracked entry points at (and the `imports.content_hash` it is found by).
pub const APP_FORMAT: &str = "app";
const APP_HASH: &str = "app:time-tracking";
/// The prefix of every tracked entry's key (imported keys begin with their tracker's name, `toggl`, `clockify`).
pub const APP_KEY_PREFIX: &str = "app:";
/// The most minutes one entry may hold (a day).
pub const MAX_MINUTES: i64 = 24 * 60;

/// A user's running timer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RunningTimer {
    pub user_id: i64,
    /// The channel's key, `None` for social in general.
    pub channel: Option<String>,
    pub task: Task,
    pub started_at: Timestamp,
}

/// What a person logs or changes: a finished piece of work.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TimeInput {
    pub channel: Option<String>,
    pub task: Task,
    pub date: Date,
    /// Whole minutes, 1 to [`MAX_MINUTES`].
    pub minutes: i64,
    pub note: Option<String>,
}

/// A time entry tracked in the app, with its owner.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TrackedEntry {
    pub user_id: i64,
    pub user_email: String,
    #[serde(flatten)]
    pub entry: TimeEntry,
}

/// Why a tracked entry cannot be changed by this user.
#[derive(Clone, Debug, PartialEq)]
pub enum EntryChange {
    /// The entry was changed (or deleted).
    Done(TrackedEntry),
    /// No tracked entry has this key (imported entries are changed by importing again).
    NotFound,
    /// The entry belongs to someone else.
    NotYours,
}

impl RunningTimer {
    fn audit_view(&self) -> serde_json::Value {
        serde_json::json!({
            "channel": self.channel,
            "task": self.task.as_str(),
            "started_at": codec::timestamp_text(self.started_at),
        })
    }

    /// Whole minutes from the start to `now`, rounded to the nearest minute and at least 1 (a timer stopped at
    /// once still recorded a piece of work), at most [`MAX_MINUTES`].
    pub fn minutes_until(&self, now: Timestamp) -> i64 {
        let seconds = (now - self.started_at).num_seconds().max(0);
        ((seconds + 30) / 60).clamp(1, MAX_MINUTES)
    }
}

impl TrackedEntry {
    fn audit_view(&self) -> serde_json::Value {
        serde_json::json!({
            "key": self.entry.key,
            "person": self.entry.person,
            "date": codec::date_text(self.entry.date),
            "minutes": self.entry.minutes,
            "channel": self.entry.channel,
            "task": self.entry.task.as_str(),
            "note": self.entry.note,
        })
    }

    fn object(&self) -> String {
        format!("time_entry:{}", self.entry.key)
    }
}

/// Why an input cannot be stored, if it cannot.
fn check(input: &TimeInput) -> Result<()> {
    if !(1..=MAX_MINUTES).contains(&input.minutes) {
        return Err(StoreError::InvalidRecord {
            table: "time_entries",
            record: format!("of {} minutes", input.minutes),
            reason: format!("minutes must be between 1 and {MAX_MINUTES} (one day); split longer work by day"),
        });
    }
    Ok(())
}

impl Store {
    /// The user's running timer, if any.
    pub async fn running_timer(&self, user_id: i64) -> Result<Option<RunningTimer>> {
        let mut conn = self.pool.acquire().await.map_err(query_error("reading the running timer"))?;
        timer_of(&mut conn, user_id).await
    }

    /// Starts the user's timer on `channel` (a channel key, `None` for social in general) and `task` (audited).
    /// A running timer is [`StoreError::TimerRunning`]; an unknown channel is [`StoreError::NoSuchChannel`].
    pub async fn start_timer(
        &self,
        user: &User,
        channel: Option<&str>,
        task: Task,
        now: Timestamp,
    ) -> Result<RunningTimer> {
        let doing = "starting a timer";
        let mut tx = self.begin_write(doing).await?;
        if let Some(running) = timer_of(&mut tx, user.id).await? {
            let _ = tx.rollback().await;
            return Err(StoreError::TimerRunning {
                channel: running.channel.unwrap_or_else(|| "social in general".to_string()),
                task: running.task.as_str(),
                since: codec::timestamp_text(running.started_at),
            });
        }
        if let Some(key) = channel {
            ensure_channel(&mut tx, key, doing).await?;
        }
        let timer = RunningTimer { user_id: user.id, channel: channel.map(str::to_string), task, started_at: now };
        sqlx::query("INSERT INTO timers (user_id, channel, task, started_at) VALUES ($1, $2, $3, $4)")
            .bind(user.id)
            .bind(timer.channel.as_deref())
            .bind(task.as_str())
            .bind(codec::timestamp_text(now))
            .execute(&mut *tx)
            .await
            .map_err(query_error(doing))?;
        let entry = NewAuditEntry {
            actor: Some(user.id),
            action: AuditAction::TimerStarted,
            object: format!("timer:{}", user.id),
            before: None,
            after: Some(timer.audit_view()),
        };
        audit::append(&mut tx, &entry, now).await?;
        tx.commit().await.map_err(query_error(doing))?;
        Ok(timer)
    }

    /// Stops the user's timer and writes its time entry, dated the day it started (UTC), in one transaction
    /// (audited). No running timer is [`StoreError::NoTimerRunning`].
    pub async fn stop_timer(&self, user: &User, now: Timestamp) -> Result<TrackedEntry> {
        let doing = "stopping a timer";
        let mut tx = self.begin_write(doing).await?;
        let Some(timer) = timer_of(&mut tx, user.id).await? else {
            let _ = tx.rollback().await;
            return Err(StoreError::NoTimerRunning { email: user.email.clone() });
        };
        sqlx::query("DELETE FROM timers WHERE user_id = $1")
            .bind(user.id)
            .execute(&mut *tx)
            .await
            .map_err(query_error(doing))?;
        let input = TimeInput {
            channel: timer.channel.clone(),
            task: timer.task,
            date: timer.started_at.date_naive(),
            minutes: timer.minutes_until(now),
            note: None,
        };
        let tracked = insert_entry(&mut tx, user, &input, now).await?;
        let entry = NewAuditEntry {
            actor: Some(user.id),
            action: AuditAction::TimerStopped,
            object: tracked.object(),
            before: Some(timer.audit_view()),
            after: Some(tracked.audit_view()),
        };
        audit::append(&mut tx, &entry, now).await?;
        tx.commit().await.map_err(query_error(doing))?;
        Ok(tracked)
    }

    /// Logs a finished piece of work as the user's time entry (audited).
    pub async fn log_time(&self, user: &User, input: &TimeInput, now: Timestamp) -> Result<TrackedEntry> {
        check(input)?;
        let doing = "logging time";
        let mut tx = self.begin_write(doing).await?;
        if let Some(key) = input.channel.as_deref() {
            ensure_channel(&mut tx, key, doing).await?;
        }
        let tracked = insert_entry(&mut tx, user, input, now).await?;
        let entry = NewAuditEntry {
            actor: Some(user.id),
            action: AuditAction::TimeLogged,
            object: tracked.object(),
            before: None,
            after: Some(tracked.audit_view()),
        };
        audit::append(&mut tx, &entry, now).await?;
        tx.commit().await.map_err(query_error(doing))?;
        Ok(tracked)
    }

    /// Changes one of the user's own tracked entries (audited with before and after).
    pub async fn edit_time(&self, user: &User, key: &str, input: &TimeInput, now: Timestamp) -> Result<EntryChange> {
        self.edit_time_as(user, key, input, false, now).await
    }

    /// Changes a tracked entry for `actor` (audited with before and after, `actor` as who changed it): their own,
    /// or anyone's when `oversight` (the owner and managers, who keep the time records right). The entry keeps its
    /// person: an edit never moves time to someone else.
    pub async fn edit_time_as(
        &self,
        actor: &User,
        key: &str,
        input: &TimeInput,
        oversight: bool,
        now: Timestamp,
    ) -> Result<EntryChange> {
        let user = actor;
        check(input)?;
        let doing = "changing a time entry";
        let mut tx = self.begin_write(doing).await?;
        let before = match owned_entry(&mut tx, user, key, oversight).await? {
            EntryChange::Done(before) => before,
            refused => {
                let _ = tx.rollback().await;
                return Ok(refused);
            }
        };
        if let Some(channel) = input.channel.as_deref() {
            ensure_channel(&mut tx, channel, doing).await?;
        }
        sqlx::query(
            "UPDATE time_entries SET date = $2, minutes = $3, channel = $4, task = $5, note = $6 WHERE key = $1",
        )
        .bind(key)
        .bind(codec::date_text(input.date))
        .bind(input.minutes)
        .bind(input.channel.as_deref())
        .bind(input.task.as_str())
        .bind(input.note.as_deref())
        .execute(&mut *tx)
        .await
        .map_err(query_error(doing))?;
        let after = TrackedEntry {
            entry: TimeEntry {
                date: input.date,
                minutes: input.minutes,
                channel: input.channel.clone(),
                task: input.task,
                note: input.note.clone(),
                ..before.entry.clone()
            },
            ..before.clone()
        };
        let entry = NewAuditEntry {
            actor: Some(user.id),
            action: AuditAction::TimeEdited,
            object: after.object(),
            before: Some(before.audit_view()),
            after: Some(after.audit_view()),
        };
        audit::append(&mut tx, &entry, now).await?;
        tx.commit().await.map_err(query_error(doing))?;
        Ok(EntryChange::Done(after))
    }

    /// Deletes one of the user's own tracked entries (audited with what it was).
    pub async fn delete_time(&self, user: &User, key: &str, now: Timestamp) -> Result<EntryChange> {
        self.delete_time_as(user, key, false, now).await
    }

    /// Deletes a tracked entry for `actor` (audited with what it was): their own, or anyone's when `oversight`.
    pub async fn delete_time_as(
        &self,
        actor: &User,
        key: &str,
        oversight: bool,
        now: Timestamp,
    ) -> Result<EntryChange> {
        let user = actor;
        let doing = "deleting a time entry";
        let mut tx = self.begin_write(doing).await?;
        let before = match owned_entry(&mut tx, user, key, oversight).await? {
            EntryChange::Done(before) => before,
            refused => {
                let _ = tx.rollback().await;
                return Ok(refused);
            }
        };
        for sql in ["DELETE FROM tracked_time WHERE entry_key = $1", "DELETE FROM time_entries WHERE key = $1"] {
            sqlx::query(sql).bind(key).execute(&mut *tx).await.map_err(query_error(doing))?;
        }
        let entry = NewAuditEntry {
            actor: Some(user.id),
            action: AuditAction::TimeDeleted,
            object: before.object(),
            before: Some(before.audit_view()),
            after: None,
        };
        audit::append(&mut tx, &entry, now).await?;
        tx.commit().await.map_err(query_error(doing))?;
        Ok(EntryChange::Done(before))
    }

    /// Tracked entries, newest day first: the user's own (`Some(id)`) or everyone's (`None`).
    pub async fn tracked_entries(&self, user_id: Option<i64>) -> Result<Vec<TrackedEntry>> {
        let mut conn = self.pool.acquire().await.map_err(query_error("reading tracked time"))?;
        entries(&mut conn, user_id, None).await
    }
}

const ENTRY_SELECT: &str = "SELECT t.user_id, u.email, e.key, e.person, e.date, e.minutes, e.channel, e.task, e.note \
     FROM tracked_time t JOIN time_entries e ON e.key = t.entry_key JOIN users u ON u.id = t.user_id";
type EntryRow = (i64, String, String, String, String, i64, Option<String>, String, Option<String>);

async fn entries(conn: &mut sqlx::AnyConnection, user_id: Option<i64>, key: Option<&str>) -> Result<Vec<TrackedEntry>> {
    entries_where(conn, user_id, key, (i64::MAX, 0)).await
}

/// The user's (or everyone's) tracked entries, newest day first, `limit` of them after skipping `offset`.
pub(crate) async fn entries_page(
    conn: &mut sqlx::AnyConnection,
    user_id: Option<i64>,
    bounds: (i64, i64),
) -> Result<Vec<TrackedEntry>> {
    entries_where(conn, user_id, None, bounds).await
}

async fn entries_where(
    conn: &mut sqlx::AnyConnection,
    user_id: Option<i64>,
    key: Option<&str>,
    (limit, offset): (i64, i64),
) -> Result<Vec<TrackedEntry>> {
    let sql = format!(
        "{ENTRY_SELECT} WHERE ($1 IS NULL OR t.user_id = $1) AND ($2 IS NULL OR e.key = $2) \
         ORDER BY e.date DESC, t.created_at DESC, e.key LIMIT $3 OFFSET $4"
    );
    let rows: Vec<EntryRow> = sqlx::query_as(&sql)
        .bind(user_id)
        .bind(key)
        .bind(limit)
        .bind(offset)
        .fetch_all(&mut *conn)
        .await
        .map_err(query_error("reading tracked time"))?;
    rows.into_iter()
        .map(|(user_id, user_email, key, person, date, minutes, channel, task, note)| {
            let corrupt = |column: &'static str, value: &str, reason: String| StoreError::Corrupt {
                table: "time_entries",
                column,
                value: value.to_string(),
                reason,
            };
            let date = codec::parse_date(&date).map_err(|r| corrupt("date", &date, r.to_string()))?;
            let task = Task::parse(&task).map_err(|e| corrupt("task", &task, e.to_string()))?;
            Ok(TrackedEntry {
                user_id,
                user_email,
                entry: TimeEntry { key, person, date, minutes, channel, task, note },
            })
        })
        .collect()
}

async fn timer_of(conn: &mut sqlx::AnyConnection, user_id: i64) -> Result<Option<RunningTimer>> {
    let row: Option<(Option<String>, String, String)> =
        sqlx::query_as("SELECT channel, task, started_at FROM timers WHERE user_id = $1")
            .bind(user_id)
            .fetch_optional(&mut *conn)
            .await
            .map_err(query_error("reading the running timer"))?;
    let Some((channel, task, started_at)) = row else { return Ok(None) };
    let task = Task::parse(&task).map_err(|e| StoreError::Corrupt {
        table: "timers",
        column: "task",
        value: task.clone(),
        reason: e.to_string(),
    })?;
    Ok(Some(RunningTimer { user_id, channel, task, started_at: parse_at(&started_at, "timers", "started_at")? }))
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

/// The tracked entry `key` if `user` owns it, or whoever does when `oversight`.
async fn owned_entry(
    tx: &mut Transaction<'static, Any>,
    user: &User,
    key: &str,
    oversight: bool,
) -> Result<EntryChange> {
    let found = entries(tx, None, Some(key)).await?.into_iter().next();
    Ok(match found {
        None => EntryChange::NotFound,
        Some(entry) if entry.user_id != user.id && !oversight => EntryChange::NotYours,
        Some(entry) => EntryChange::Done(entry),
    })
}

/// The id of the `imports` row of tracked time, created the first time.
async fn app_import(tx: &mut Transaction<'static, Any>, now: Timestamp) -> Result<i64> {
    let doing = "recording the provenance of tracked time";
    sqlx::query(
        "INSERT INTO imports (file_name, format, content_hash, rows, imported_at) VALUES ($1, $2, $3, 0, $4) \
         ON CONFLICT (content_hash) DO NOTHING",
    )
    .bind("time tracked in socialledger")
    .bind(APP_FORMAT)
    .bind(APP_HASH)
    .bind(codec::timestamp_text(now))
    .execute(&mut **tx)
    .await
    .map_err(query_error(doing))?;
    sqlx::query_scalar("SELECT id FROM imports WHERE content_hash = $1")
        .bind(APP_HASH)
        .fetch_one(&mut **tx)
        .await
        .map_err(query_error(doing))
}

/// Writes a new tracked entry for `user` (and the user's person record when there is none yet, audited).
async fn insert_entry(
    tx: &mut Transaction<'static, Any>,
    user: &User,
    input: &TimeInput,
    now: Timestamp,
) -> Result<TrackedEntry> {
    let doing = "writing a time entry";
    let import_id = app_import(tx, now).await?;
    let person_created = sqlx::query(
        "INSERT INTO people (key, name, team, hourly_cost_minor, hourly_cost_currency, import_id) \
         VALUES ($1, $2, 'other', NULL, NULL, $3) ON CONFLICT (key) DO NOTHING",
    )
    .bind(user.email.as_str())
    .bind(user.display_name.as_str())
    .bind(import_id)
    .execute(&mut **tx)
    .await
    .map_err(query_error(doing))?
    .rows_affected()
        == 1;
    if person_created {
        let entry = NewAuditEntry {
            actor: Some(user.id),
            action: AuditAction::PersonCreated,
            object: format!("person:{}", user.email),
            before: None,
            after: Some(serde_json::json!({ "key": user.email, "name": user.display_name, "team": "other" })),
        };
        audit::append(tx, &entry, now).await?;
    }
    let key = format!("{APP_KEY_PREFIX}{}:{}", user.id, codec::timestamp_text(now));
    sqlx::query(
        "INSERT INTO time_entries (key, person, date, minutes, channel, task, note, import_id) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(key.as_str())
    .bind(user.email.as_str())
    .bind(codec::date_text(input.date))
    .bind(input.minutes)
    .bind(input.channel.as_deref())
    .bind(input.task.as_str())
    .bind(input.note.as_deref())
    .bind(import_id)
    .execute(&mut **tx)
    .await
    .map_err(query_error(doing))?;
    sqlx::query("INSERT INTO tracked_time (entry_key, user_id, created_at) VALUES ($1, $2, $3)")
        .bind(key.as_str())
        .bind(user.id)
        .bind(codec::timestamp_text(now))
        .execute(&mut **tx)
        .await
        .map_err(query_error(doing))?;
    Ok(TrackedEntry {
        user_id: user.id,
        user_email: user.email.clone(),
        entry: TimeEntry {
            key,
            person: user.email.clone(),
            date: input.date,
            minutes: input.minutes,
            channel: input.channel.clone(),
            task: input.task,
            note: input.note.clone(),
        },
    })
}
