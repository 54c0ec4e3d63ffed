//! The audit log (`audit_log`): every change, who made it, when, and the object before and after, append-only.
//!
//! The store writes an entry in the same transaction as the change it records, so a change without its entry (or
//! an entry without its change) cannot happen. Nothing here updates or deletes a row; both backends refuse it
//! with a trigger (migration 0005).

use crate::error::query_error;
use crate::{codec, Result, Store, StoreError};
use serde::Serialize;
use socialledger_domain::Timestamp;
use sqlx::AnyConnection;

/// What a change did. The canonical names are what the log stores and shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(into = "&'static str")]
#[non_exhaustive]
pub enum AuditAction {
    /// A one-time setup link for the first owner was issued (first start without users).
    SetupLinkIssued,
    /// The first owner was created through the setup link.
    SetupOwnerCreated,
    /// A user was added (by a person in the web app, or by `socialledger user add`).
    UserCreated,
    /// A user's role changed.
    UserRoleChanged,
    /// A user was disabled (their sessions end) or enabled again.
    UserDisabled,
    UserEnabled,
    /// A user set their password through their one-time link (the hash is never logged).
    UserPasswordSet,
    /// A user ended all of their sessions.
    LogoutEverywhere,
    /// A user started a timer (time tracking).
    TimerStarted,
    /// A user stopped their timer, which wrote a time entry.
    TimerStopped,
    /// A user logged a finished piece of work.
    TimeLogged,
    /// A user changed or deleted one of their tracked time entries.
    TimeEdited,
    TimeDeleted,
    /// A person record was created for a user who tracked time without one.
    PersonCreated,
    /// A user made a personal access token of the API (its secret is never logged).
    ApiTokenCreated,
    /// A token was revoked (by its owner, or by the workspace's owner).
    ApiTokenRevoked,
    /// A target was set, changed or removed.
    TargetCreated,
    TargetChanged,
    TargetDeleted,
    /// A target's status changed in a way people are told about (an alert), and the alert went out.
    AlertRecorded,
    AlertSent,
    /// Analysis settings changed (the Settings page): every changed key before and after.
    SettingsChanged,
    /// The owner made or revoked a share link of the external reviewer's view (its token is never logged).
    ShareLinkCreated,
    ShareLinkRevoked,
    /// An experiment was planned, marked running, or read out (the Experiments page).
    ExperimentPlanned,
    ExperimentStarted,
    ExperimentReadOut,
    /// A file was imported in the web app (the command line's imports are in `imports` only).
    ImportUploaded,
    /// A whole import was undone (in the web app or by `socialledger imports undo`).
    ImportUndone,
}

impl AuditAction {
    pub fn as_str(&self) -> &'static str {
        match self {
            AuditAction::SetupLinkIssued => "setup.link_issued",
            AuditAction::SetupOwnerCreated => "setup.owner_created",
            AuditAction::UserCreated => "user.created",
            AuditAction::UserRoleChanged => "user.role_changed",
            AuditAction::UserDisabled => "user.disabled",
            AuditAction::UserEnabled => "user.enabled",
            AuditAction::UserPasswordSet => "user.password_set",
            AuditAction::LogoutEverywhere => "user.logout_everywhere",
            AuditAction::TimerStarted => "time.timer_started",
            AuditAction::TimerStopped => "time.timer_stopped",
            AuditAction::TimeLogged => "time.logged",
            AuditAction::TimeEdited => "time.edited",
            AuditAction::TimeDeleted => "time.deleted",
            AuditAction::PersonCreated => "person.created",
            AuditAction::ApiTokenCreated => "api_token.created",
            AuditAction::ApiTokenRevoked => "api_token.revoked",
            AuditAction::TargetCreated => "target.created",
            AuditAction::TargetChanged => "target.changed",
            AuditAction::TargetDeleted => "target.deleted",
            AuditAction::AlertRecorded => "target.alert_recorded",
            AuditAction::AlertSent => "target.alert_sent",
            AuditAction::SettingsChanged => "settings.changed",
            AuditAction::ShareLinkCreated => "share_link.created",
            AuditAction::ShareLinkRevoked => "share_link.revoked",
            AuditAction::ExperimentPlanned => "experiment.planned",
            AuditAction::ExperimentStarted => "experiment.started",
            AuditAction::ExperimentReadOut => "experiment.read_out",
            AuditAction::ImportUploaded => "import.uploaded",
            AuditAction::ImportUndone => "import.undone",
        }
    }
}

impl From<AuditAction> for &'static str {
    fn from(a: AuditAction) -> &'static str {
        a.as_str()
    }
}

/// One change to record. `actor` is the signed-in user, or `None` for the command line and the system.
#[derive(Clone, Debug)]
pub struct NewAuditEntry {
    pub actor: Option<i64>,
    pub action: AuditAction,
    /// What changed, as `kind:id` (`user:3`).
    pub object: String,
    /// The object before the change (`None` for a creation) and after it (`None` for a removal).
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
}

/// One row of the audit log as shown to the owner.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct AuditEntry {
    pub id: i64,
    pub at: Timestamp,
    /// The user who made the change, `None` for the command line or the system.
    pub actor_id: Option<i64>,
    /// That user's e-mail address as it is now.
    pub actor_email: Option<String>,
    pub action: String,
    pub object: String,
    /// JSON text of the object before and after the change.
    pub before: Option<String>,
    pub after: Option<String>,
}

impl Store {
    /// Appends one entry on its own (for changes that are not a store write, such as an import's upload).
    pub async fn audit(&self, entry: &NewAuditEntry, at: Timestamp) -> Result<()> {
        let mut conn = self.pool.acquire().await.map_err(query_error("writing the audit log"))?;
        append(&mut conn, entry, at).await
    }

    /// The audit log, newest first; at most `limit` entries when given.
    pub async fn audit_log(&self, limit: Option<u64>) -> Result<Vec<AuditEntry>> {
        let limit = limit.map_or(i64::MAX, |l| i64::try_from(l).unwrap_or(i64::MAX));
        let mut conn = self.pool.acquire().await.map_err(query_error("reading the audit log"))?;
        entries_page(&mut conn, (limit, 0)).await
    }
}

/// The entries newest first, `limit` of them after skipping `offset`.
pub(crate) async fn entries_page(conn: &mut AnyConnection, (limit, offset): (i64, i64)) -> Result<Vec<AuditEntry>> {
    type Row = (i64, String, Option<i64>, Option<String>, String, String, Option<String>, Option<String>);
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT a.id, a.at, a.actor_id, u.email, a.action, a.object, a.before_json, a.after_json \
         FROM audit_log a LEFT JOIN users u ON u.id = a.actor_id ORDER BY a.id DESC LIMIT $1 OFFSET $2",
    )
    .bind(limit)
    .bind(offset)
    .fetch_all(conn)
    .await
    .map_err(query_error("reading the audit log"))?;
    rows.into_iter()
        .map(|(id, at, actor_id, actor_email, action, object, before, after)| {
            Ok(AuditEntry {
                id,
                at: parse_at(&at, "audit_log", "at")?,
                actor_id,
                actor_email,
                action,
                object,
                before,
                after,
            })
        })
        .collect()
}

/// Writes one entry on `conn` (inside the caller's transaction, when it has one).
pub(crate) async fn append(conn: &mut AnyConnection, entry: &NewAuditEntry, at: Timestamp) -> Result<()> {
    let json = |v: &Option<serde_json::Value>| v.as_ref().map(|v| v.to_string());
    sqlx::query(
        "INSERT INTO audit_log (at, actor_id, action, object, before_json, after_json) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(codec::timestamp_text(at))
    .bind(entry.actor)
    .bind(entry.action.as_str())
    .bind(entry.object.as_str())
    .bind(json(&entry.before))
    .bind(json(&entry.after))
    .execute(conn)
    .await
    .map_err(query_error(format!("writing the audit log ({})", entry.action.as_str())))?;
    Ok(())
}

/// Reads a stored timestamp, naming the table and column when it is not one.
pub(crate) fn parse_at(text: &str, table: &'static str, column: &'static str) -> Result<Timestamp> {
    codec::parse_timestamp(text).map_err(|reason| StoreError::Corrupt {
        table,
        column,
        value: text.to_string(),
        reason: reason.to_string(),
    })
}
