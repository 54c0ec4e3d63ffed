//! Share links (`share_links`): the owner's time-limited, revocable link that opens a read-only view of chosen
//! pages to an external reviewer without an account.
//!
//! The caller passes the SHA-256 of the link's token, never the token (it is shown once, when the link is made,
//! and never stored or logged). Which pages a link shows is a list of page names kept as text; what they mean is
//! the web app's. Making and revoking a link are written to the audit log in the same transaction (without the
//! token or its hash).

use crate::audit::{self, parse_at, AuditAction, NewAuditEntry};
use crate::error::query_error;
use crate::{codec, Result, Store, StoreError};
use serde::Serialize;
use socialledger_domain::Timestamp;

/// A share link as its list shows it (never its token or hash).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ShareLink {
    pub id: i64,
    pub label: String,
    /// The shared pages' names, in the order given.
    pub pages: Vec<String>,
    pub created_by: Option<i64>,
    pub created_at: Timestamp,
    pub expires_at: Timestamp,
    pub revoked_at: Option<Timestamp>,
    pub last_used_at: Option<Timestamp>,
}

impl ShareLink {
    /// Usable at `now`: not revoked, not expired.
    pub fn is_live(&self, now: Timestamp) -> bool {
        self.revoked_at.is_none() && self.expires_at > now
    }

    /// Whether the link shows page `name`.
    pub fn shares(&self, name: &str) -> bool {
        self.pages.iter().any(|p| p == name)
    }

    fn audit_view(&self) -> serde_json::Value {
        serde_json::json!({
            "label": self.label,
            "pages": self.pages,
            "expires_at": codec::timestamp_text(self.expires_at),
            "revoked_at": self.revoked_at.map(codec::timestamp_text),
        })
    }

    fn object(&self) -> String {
        format!("share_link:{}", self.id)
    }
}

/// A link to make.
#[derive(Clone, Debug)]
pub struct NewShareLink {
    pub label: String,
    pub pages: Vec<String>,
    /// SHA-256 of the token, lower-case hex.
    pub token_hash: String,
    pub expires_at: Timestamp,
}

/// The most characters a link's label may have.
pub const MAX_SHARE_LABEL_CHARS: usize = 100;

const LINK_SELECT: &str =
    "SELECT id, label, pages, created_by, created_at, expires_at, revoked_at, last_used_at FROM share_links";
type LinkRow = (i64, String, String, Option<i64>, String, String, Option<String>, Option<String>);

fn link_from_row(
    (id, label, pages, created_by, created_at, expires_at, revoked_at, last_used): LinkRow,
) -> Result<ShareLink> {
    let at = |text: Option<String>, column| text.map(|t| parse_at(&t, "share_links", column)).transpose();
    Ok(ShareLink {
        id,
        label,
        pages: pages.split(',').map(str::trim).filter(|p| !p.is_empty()).map(String::from).collect(),
        created_by,
        created_at: parse_at(&created_at, "share_links", "created_at")?,
        expires_at: parse_at(&expires_at, "share_links", "expires_at")?,
        revoked_at: at(revoked_at, "revoked_at")?,
        last_used_at: at(last_used, "last_used_at")?,
    })
}

impl Store {
    /// Makes a share link (audited, `actor` the owner who made it). An empty or over-long label, no pages, a page
    /// name with a comma, or an expiry not after `now` is [`StoreError::InvalidRecord`].
    pub async fn create_share_link(&self, new: &NewShareLink, actor: Option<i64>, now: Timestamp) -> Result<ShareLink> {
        let label = new.label.trim();
        let invalid =
            |reason: String| StoreError::InvalidRecord { table: "share_links", record: format!("{label:?}"), reason };
        if label.is_empty() || label.chars().count() > MAX_SHARE_LABEL_CHARS {
            return Err(invalid(format!("give the link a label of 1 to {MAX_SHARE_LABEL_CHARS} characters")));
        }
        if new.pages.is_empty() || new.pages.iter().any(|p| p.is_empty() || p.contains(',')) {
            return Err(invalid("choose at least one page to share".to_string()));
        }
        if new.expires_at <= now {
            return Err(invalid("the link must expire in the future".to_string()));
        }
        let doing = "making a share link";
        let mut tx = self.begin_write(doing).await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO share_links (label, pages, token_hash, created_by, created_at, expires_at) \
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(label)
        .bind(new.pages.join(","))
        .bind(new.token_hash.as_str())
        .bind(actor)
        .bind(codec::timestamp_text(now))
        .bind(codec::timestamp_text(new.expires_at))
        .fetch_one(&mut *tx)
        .await
        .map_err(query_error(doing))?;
        let link = ShareLink {
            id,
            label: label.to_string(),
            pages: new.pages.clone(),
            created_by: actor,
            created_at: now,
            expires_at: new.expires_at,
            revoked_at: None,
            last_used_at: None,
        };
        let entry = NewAuditEntry {
            actor,
            action: AuditAction::ShareLinkCreated,
            object: link.object(),
            before: None,
            after: Some(link.audit_view()),
        };
        audit::append(&mut tx, &entry, now).await?;
        tx.commit().await.map_err(query_error(doing))?;
        Ok(link)
    }

    /// Every share link, newest first.
    pub async fn share_links(&self) -> Result<Vec<ShareLink>> {
        let rows: Vec<LinkRow> = sqlx::query_as(&format!("{LINK_SELECT} ORDER BY id DESC"))
            .fetch_all(&self.pool)
            .await
            .map_err(query_error("reading share links"))?;
        rows.into_iter().map(link_from_row).collect()
    }

    /// The live link with this token hash: not revoked, not expired. `None` for anything else (the view answers
    /// alike for an unknown, expired or revoked link).
    pub async fn live_share_link(&self, token_hash: &str, now: Timestamp) -> Result<Option<ShareLink>> {
        let row: Option<LinkRow> =
            sqlx::query_as(&format!("{LINK_SELECT} WHERE token_hash = $1 AND revoked_at IS NULL AND expires_at > $2"))
                .bind(token_hash)
                .bind(codec::timestamp_text(now))
                .fetch_optional(&self.pool)
                .await
                .map_err(query_error("reading a share link"))?;
        row.map(link_from_row).transpose()
    }

    /// Records that a link was used now.
    pub async fn touch_share_link(&self, id: i64, now: Timestamp) -> Result<()> {
        sqlx::query("UPDATE share_links SET last_used_at = $1 WHERE id = $2")
            .bind(codec::timestamp_text(now))
            .bind(id)
            .execute(&self.pool)
            .await
            .map_err(query_error("recording the use of a share link"))?;
        Ok(())
    }

    /// Revokes link `id` (audited); `None` when there is no such link. A link revoked before is returned as it is,
    /// and nothing is written or audited.
    pub async fn revoke_share_link(&self, id: i64, actor: Option<i64>, now: Timestamp) -> Result<Option<ShareLink>> {
        let doing = "revoking a share link";
        let mut tx = self.begin_write(doing).await?;
        let row: Option<LinkRow> = sqlx::query_as(&format!("{LINK_SELECT} WHERE id = $1"))
            .bind(id)
            .fetch_optional(&mut *tx)
            .await
            .map_err(query_error(doing))?;
        let before = match row.map(link_from_row).transpose()? {
            None => {
                let _ = tx.rollback().await;
                return Ok(None);
            }
            Some(l) if l.revoked_at.is_some() => {
                let _ = tx.rollback().await;
                return Ok(Some(l));
            }
            Some(l) => l,
        };
        sqlx::query("UPDATE share_links SET revoked_at = $1 WHERE id = $2")
            .bind(codec::timestamp_text(now))
            .bind(id)
            .execute(&mut *tx)
            .await
            .map_err(query_error(doing))?;
        let after = ShareLink { revoked_at: Some(now), ..before.clone() };
        let entry = NewAuditEntry {
            actor,
            action: AuditAction::ShareLinkRevoked,
            object: after.object(),
            before: Some(before.audit_view()),
            after: Some(after.audit_view()),
        };
        audit::append(&mut tx, &entry, now).await?;
        tx.commit().await.map_err(query_error(doing))?;
        Ok(Some(after))
    }
}
