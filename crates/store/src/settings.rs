//! The `settings` table: small key/value settings a user edits (gross margin, reporting currency, ...).
//! Values are opaque text here; their meaning and validation belong to the callers (the analysis settings:
//! `socialledger_analytics::stored_settings`). Changes made by people go through [`Store::change_settings`], audited.

use crate::audit::{self, parse_at, AuditAction, NewAuditEntry};
use crate::error::query_error;
use crate::{codec, Result, Store};
use socialledger_domain::Timestamp;

impl Store {
    /// The value of a setting, or `None` when it was never set.
    pub async fn settings_get(&self, key: &str) -> Result<Option<String>> {
        sqlx::query_scalar("SELECT value FROM settings WHERE key = $1")
            .bind(key)
            .fetch_optional(&self.pool)
            .await
            .map_err(query_error(format!("reading setting {key:?}")))
    }

    /// Sets (or replaces) a setting.
    pub async fn settings_set(&self, key: &str, value: &str) -> Result<()> {
        let now = codec::timestamp_text(chrono::Utc::now());
        sqlx::query(
            "INSERT INTO settings (key, value, updated_at) VALUES ($1, $2, $3) \
             ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
        )
        .bind(key)
        .bind(value)
        .bind(now.as_str())
        .execute(&self.pool)
        .await
        .map_err(query_error(format!("writing setting {key:?}")))?;
        Ok(())
    }

    /// Every setting as (key, value), sorted by key.
    pub async fn settings(&self) -> Result<Vec<(String, String)>> {
        sqlx::query_as("SELECT key, value FROM settings ORDER BY key")
            .fetch_all(&self.pool)
            .await
            .map_err(query_error("reading settings"))
    }
}

/// One setting a change wrote: its key, the value before (`None`: never set) and after.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SettingChange {
    pub key: String,
    pub before: Option<String>,
    pub after: String,
}

/// When each setting was last changed, by key.
pub type SettingTimes = Vec<(String, Timestamp)>;

impl Store {
    /// Writes the settings of `values` that differ from the stored ones, in one transaction with one audit entry
    /// (`settings.changed`, object `settings`) holding every changed key before and after. Unchanged values are not
    /// written, so saving the same settings again neither logs a change nor makes the stored analyses stale (their
    /// fingerprint reads the settings' latest change). Returns what changed (empty: nothing did).
    pub async fn change_settings(
        &self,
        values: &[(String, String)],
        actor: Option<i64>,
        now: Timestamp,
    ) -> Result<Vec<SettingChange>> {
        let doing = "changing the settings";
        let mut tx = self.begin_write(doing).await?;
        let stamp = codec::timestamp_text(now);
        let mut changes = Vec::new();
        for (key, value) in values {
            let before: Option<String> = sqlx::query_scalar("SELECT value FROM settings WHERE key = $1")
                .bind(key.as_str())
                .fetch_optional(&mut *tx)
                .await
                .map_err(query_error(doing))?;
            if before.as_deref() == Some(value.as_str()) {
                continue;
            }
            sqlx::query(
                "INSERT INTO settings (key, value, updated_at) VALUES ($1, $2, $3) \
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
            )
            .bind(key.as_str())
            .bind(value.as_str())
            .bind(stamp.as_str())
            .execute(&mut *tx)
            .await
            .map_err(query_error(doing))?;
            changes.push(SettingChange { key: key.clone(), before, after: value.clone() });
        }
        if changes.is_empty() {
            let _ = tx.rollback().await;
            return Ok(changes);
        }
        let before: serde_json::Map<String, serde_json::Value> =
            changes.iter().map(|c| (c.key.clone(), serde_json::json!(c.before))).collect();
        let after: serde_json::Map<String, serde_json::Value> =
            changes.iter().map(|c| (c.key.clone(), serde_json::json!(c.after))).collect();
        let entry = NewAuditEntry {
            actor,
            action: AuditAction::SettingsChanged,
            object: "settings".to_string(),
            before: Some(before.into()),
            after: Some(after.into()),
        };
        audit::append(&mut tx, &entry, now).await?;
        tx.commit().await.map_err(query_error(doing))?;
        Ok(changes)
    }

    /// When each setting was last changed, sorted by key.
    pub async fn settings_changed_at(&self) -> Result<SettingTimes> {
        let rows: Vec<(String, String)> = sqlx::query_as("SELECT key, updated_at FROM settings ORDER BY key")
            .fetch_all(&self.pool)
            .await
            .map_err(query_error("reading when the settings changed"))?;
        rows.into_iter().map(|(k, at)| Ok((k, parse_at(&at, "settings", "updated_at")?))).collect()
    }
}
