//! Personal access tokens of the JSON API (`api_tokens`): a person's scoped, revocable credential for scripts.
//!
//! The caller passes the SHA-256 of the secret, never the secret (it is shown once, when the token is made, and
//! never stored or logged). A token acts as its owner, with the owner's role as it is at each request: a disabled
//! user's tokens stop working with their sessions. Making and revoking a token are written to the audit log in
//! the same transaction (without the secret or its hash).

use crate::accounts::User;
use crate::audit::{self, parse_at, AuditAction, NewAuditEntry};
use crate::error::query_error;
use crate::{codec, Result, Store, StoreError};
use serde::Serialize;
use socialledger_domain::{Role, Timestamp};

/// What a token may do.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(into = "&'static str")]
pub enum TokenScope {
    /// Only reads (GET): a state-changing request with it is refused.
    Read,
    /// Reads and changes, as far as the owner's role allows.
    ReadWrite,
}

impl TokenScope {
    pub const ALL: &'static [TokenScope] = &[TokenScope::Read, TokenScope::ReadWrite];

    pub fn as_str(&self) -> &'static str {
        match self {
            TokenScope::Read => "read",
            TokenScope::ReadWrite => "read-write",
        }
    }

    /// The scope of its canonical name (`read`, `read-write`).
    pub fn parse(text: &str) -> Option<TokenScope> {
        TokenScope::ALL.iter().copied().find(|s| s.as_str() == text.trim())
    }
}

impl From<TokenScope> for &'static str {
    fn from(s: TokenScope) -> &'static str {
        s.as_str()
    }
}

/// A token as its list shows it (never its secret or hash).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ApiToken {
    pub id: i64,
    pub user_id: i64,
    /// The owner's e-mail address.
    pub user_email: String,
    pub name: String,
    pub scope: TokenScope,
    pub created_at: Timestamp,
    pub last_used_at: Option<Timestamp>,
    pub expires_at: Option<Timestamp>,
    pub revoked_at: Option<Timestamp>,
}

impl ApiToken {
    /// Usable at `now`: not revoked, not expired.
    pub fn is_live(&self, now: Timestamp) -> bool {
        self.revoked_at.is_none() && self.expires_at.is_none_or(|e| e > now)
    }

    fn audit_view(&self) -> serde_json::Value {
        serde_json::json!({
            "user_id": self.user_id,
            "name": self.name,
            "scope": self.scope.as_str(),
            "expires_at": self.expires_at.map(codec::timestamp_text),
            "revoked_at": self.revoked_at.map(codec::timestamp_text),
        })
    }

    fn object(&self) -> String {
        format!("api_token:{}", self.id)
    }
}

/// A token to make.
#[derive(Clone, Debug)]
pub struct NewApiToken {
    pub name: String,
    pub scope: TokenScope,
    /// SHA-256 of the secret, lower-case hex.
    pub secret_hash: String,
    pub expires_at: Option<Timestamp>,
}

/// The outcome of a revocation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TokenRevocation {
    /// Revoked now (or already revoked before: nothing changed, nothing audited).
    Revoked(ApiToken),
    /// No token has this id.
    NotFound,
    /// The token is someone else's and the actor may revoke only their own.
    NotYours,
}

/// The most characters a token's name may have.
pub const MAX_TOKEN_NAME_CHARS: usize = 100;

const TOKEN_SELECT: &str = "SELECT t.id, t.user_id, u.email, t.name, t.scope, t.created_at, t.last_used_at, \
     t.expires_at, t.revoked_at FROM api_tokens t JOIN users u ON u.id = t.user_id";
type TokenRow = (i64, i64, String, String, String, String, Option<String>, Option<String>, Option<String>);

fn token_from_row(
    (id, user_id, user_email, name, scope, created_at, last_used_at, expires_at, revoked_at): TokenRow,
) -> Result<ApiToken> {
    let at = |text: Option<String>, column| text.map(|t| parse_at(&t, "api_tokens", column)).transpose();
    Ok(ApiToken {
        id,
        user_id,
        user_email,
        name,
        scope: TokenScope::parse(&scope).ok_or_else(|| StoreError::Corrupt {
            table: "api_tokens",
            column: "scope",
            value: scope.clone(),
            reason: "not read or read-write".to_string(),
        })?,
        created_at: parse_at(&created_at, "api_tokens", "created_at")?,
        last_used_at: at(last_used_at, "last_used_at")?,
        expires_at: at(expires_at, "expires_at")?,
        revoked_at: at(revoked_at, "revoked_at")?,
    })
}

impl Store {
    /// Makes a token for `owner` (audited). An empty or over-long name is [`StoreError::InvalidRecord`].
    pub async fn create_api_token(&self, owner: &User, new: &NewApiToken, now: Timestamp) -> Result<ApiToken> {
        let name = new.name.trim();
        if name.is_empty() || name.chars().count() > MAX_TOKEN_NAME_CHARS {
            return Err(StoreError::InvalidRecord {
                table: "api_tokens",
                record: format!("{name:?}"),
                reason: format!("give the token a name of 1 to {MAX_TOKEN_NAME_CHARS} characters"),
            });
        }
        let doing = "making an API token";
        let mut tx = self.begin_write(doing).await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO api_tokens (user_id, name, scope, secret_hash, created_at, expires_at) \
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(owner.id)
        .bind(name)
        .bind(new.scope.as_str())
        .bind(new.secret_hash.as_str())
        .bind(codec::timestamp_text(now))
        .bind(new.expires_at.map(codec::timestamp_text))
        .fetch_one(&mut *tx)
        .await
        .map_err(query_error(doing))?;
        let token = ApiToken {
            id,
            user_id: owner.id,
            user_email: owner.email.clone(),
            name: name.to_string(),
            scope: new.scope,
            created_at: now,
            last_used_at: None,
            expires_at: new.expires_at,
            revoked_at: None,
        };
        let entry = NewAuditEntry {
            actor: Some(owner.id),
            action: AuditAction::ApiTokenCreated,
            object: token.object(),
            before: None,
            after: Some(token.audit_view()),
        };
        audit::append(&mut tx, &entry, now).await?;
        tx.commit().await.map_err(query_error(doing))?;
        Ok(token)
    }

    /// Tokens, newest first: one user's (`Some(id)`) or everyone's (`None`).
    pub async fn api_tokens(&self, user_id: Option<i64>) -> Result<Vec<ApiToken>> {
        let rows: Vec<TokenRow> =
            sqlx::query_as(&format!("{TOKEN_SELECT} WHERE ($1 IS NULL OR t.user_id = $1) ORDER BY t.id DESC"))
                .bind(user_id)
                .fetch_all(&self.pool)
                .await
                .map_err(query_error("reading API tokens"))?;
        rows.into_iter().map(token_from_row).collect()
    }

    /// The live token with this secret hash and its owner: not revoked, not expired, of a user who is not
    /// disabled. `None` for anything else (the API answers 401 alike).
    pub async fn api_token_user(&self, secret_hash: &str, now: Timestamp) -> Result<Option<(ApiToken, User)>> {
        let row: Option<TokenRow> = sqlx::query_as(&format!(
            "{TOKEN_SELECT} WHERE t.secret_hash = $1 AND t.revoked_at IS NULL \
             AND (t.expires_at IS NULL OR t.expires_at > $2) AND u.disabled = 0"
        ))
        .bind(secret_hash)
        .bind(codec::timestamp_text(now))
        .fetch_optional(&self.pool)
        .await
        .map_err(query_error("reading an API token"))?;
        let Some(row) = row else { return Ok(None) };
        let token = token_from_row(row)?;
        let Some(user) = self.user(token.user_id).await? else { return Ok(None) };
        Ok(Some((token, user)))
    }

    /// Records that a token was used now.
    pub async fn touch_api_token(&self, id: i64, now: Timestamp) -> Result<()> {
        sqlx::query("UPDATE api_tokens SET last_used_at = $1 WHERE id = $2")
            .bind(codec::timestamp_text(now))
            .bind(id)
            .execute(&self.pool)
            .await
            .map_err(query_error("recording the use of an API token"))?;
        Ok(())
    }

    /// Revokes token `id` for `actor` (audited): their own, or anyone's when `any` (the owner's oversight).
    pub async fn revoke_api_token(&self, actor: &User, id: i64, any: bool, now: Timestamp) -> Result<TokenRevocation> {
        let doing = "revoking an API token";
        let mut tx = self.begin_write(doing).await?;
        let row: Option<TokenRow> = sqlx::query_as(&format!("{TOKEN_SELECT} WHERE t.id = $1"))
            .bind(id)
            .fetch_optional(&mut *tx)
            .await
            .map_err(query_error(doing))?;
        let before = match row.map(token_from_row).transpose()? {
            None => {
                let _ = tx.rollback().await;
                return Ok(TokenRevocation::NotFound);
            }
            Some(t) if t.user_id != actor.id && !any => {
                let _ = tx.rollback().await;
                return Ok(TokenRevocation::NotYours);
            }
            Some(t) if t.revoked_at.is_some() => {
                let _ = tx.rollback().await;
                return Ok(TokenRevocation::Revoked(t));
            }
            Some(t) => t,
        };
        sqlx::query("UPDATE api_tokens SET revoked_at = $1 WHERE id = $2")
            .bind(codec::timestamp_text(now))
            .bind(id)
            .execute(&mut *tx)
            .await
            .map_err(query_error(doing))?;
        let after = ApiToken { revoked_at: Some(now), ..before.clone() };
        let entry = NewAuditEntry {
            actor: Some(actor.id),
            action: AuditAction::ApiTokenRevoked,
            object: after.object(),
            before: Some(before.audit_view()),
            after: Some(after.audit_view()),
        };
        audit::append(&mut tx, &entry, now).await?;
        tx.commit().await.map_err(query_error(doing))?;
        Ok(TokenRevocation::Revoked(after))
    }
}

/// Whether `role` oversees every token (sees and revokes anyone's).
pub fn oversees_tokens(role: Role) -> bool {
    role == Role::Owner
}
