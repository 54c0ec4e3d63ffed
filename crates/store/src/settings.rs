//! The `settings` table: small key/value settings a user edits (gross margin, reporting currency, ...).
//! Values are opaque text here; their meaning and validation belong to the callers.

use crate::error::query_error;
use crate::{codec, Result, Store};

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
