//! The people who use the web app and how they prove who they are: `users`, `sessions`, one-time links
//! (`setup_tokens`) and failed logins (`login_attempts`).
//!
//! Everything a web server needs to know about a visitor lives here, in the database, so that several app servers
//! on one PostgreSQL database serve the same sessions and share one rate limit. Secrets never reach the database:
//! the caller passes the argon2id hash of a password and the hash of a session or link token, never the token.
//! Every change to a user is written to the audit log in the same transaction ([`crate::audit`]).

use crate::audit::{self, parse_at, AuditAction, NewAuditEntry};
use crate::error::query_error;
use crate::{codec, Backend, Result, Store, StoreError};
use serde::Serialize;
use socialledger_domain::{Role, Timestamp};
use sqlx::{Any, Transaction};

/// A person with a login.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct User {
    pub id: i64,
    /// Lower case, trimmed.
    pub email: String,
    pub display_name: String,
    pub role: Role,
    pub created_at: Timestamp,
    /// A disabled user cannot sign in and has no sessions.
    pub disabled: bool,
    /// False until the person has set a password through their one-time link.
    pub has_password: bool,
}

impl User {
    /// What the audit log records of a user (never the password hash).
    fn audit_view(&self) -> serde_json::Value {
        serde_json::json!({
            "email": self.email,
            "display_name": self.display_name,
            "role": self.role.as_str(),
            "disabled": self.disabled,
        })
    }

    fn object(&self) -> String {
        format!("user:{}", self.id)
    }
}

/// A user to create. `email` is normalised (trimmed, lower case) by [`Store::create_user`].
#[derive(Clone, Debug)]
pub struct NewUser {
    pub email: String,
    pub display_name: String,
    pub role: Role,
    /// The argon2id PHC string, or `None` for a user who sets their password through a one-time link.
    pub password_hash: Option<String>,
}

/// A one-time link: the hash of its token and when it expires.
#[derive(Clone, Debug)]
pub struct OneTimeLink {
    pub token_hash: String,
    pub expires_at: Timestamp,
}

/// A signed-in session, with its user.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Session {
    pub user: User,
    /// The token every form of this session carries (CSRF protection).
    pub csrf_token: String,
    pub expires_at: Timestamp,
    pub last_seen: Timestamp,
}

/// A session to create: `id_hash` is the hash of the cookie's token.
#[derive(Clone, Debug)]
pub struct NewSession {
    pub id_hash: String,
    pub user_id: i64,
    pub csrf_token: String,
    pub expires_at: Timestamp,
}

/// What a valid one-time link is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LinkPurpose {
    /// Creating the first owner.
    Setup,
    /// Setting the password of this user.
    SetPassword { user_id: i64 },
}

/// Failed logins in a window: for the e-mail address and for the client address.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LoginFailures {
    pub by_email: u64,
    pub by_ip: u64,
}

const USER_COLUMNS: &str = "id, email, display_name, password_hash, role, created_at, disabled";
type UserRow = (i64, String, String, Option<String>, String, String, i64);

fn user_from_row(
    (id, email, display_name, hash, role, created_at, disabled): UserRow,
) -> Result<(User, Option<String>)> {
    let role = Role::parse(&role).map_err(|e| StoreError::Corrupt {
        table: "users",
        column: "role",
        value: role.clone(),
        reason: e.to_string(),
    })?;
    let user = User {
        id,
        email,
        display_name,
        role,
        created_at: parse_at(&created_at, "users", "created_at")?,
        disabled: disabled != 0,
        has_password: hash.is_some(),
    };
    Ok((user, hash))
}

/// A change to a user that the audit log records with before and after.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum UserChange {
    Role(Role),
    Disabled(bool),
}

/// E-mail addresses are compared trimmed and in lower case.
pub fn normalize_email(email: &str) -> String {
    email.trim().to_lowercase()
}

impl Store {
    /// Starts a write transaction; on SQLite it takes the write lock up front, so that a transaction that reads
    /// first and writes later cannot fail with SQLITE_BUSY when another writer committed in between.
    pub(crate) async fn begin_write(&self, doing: &str) -> Result<Transaction<'static, Any>> {
        let begin = match self.backend() {
            Backend::Sqlite => "BEGIN IMMEDIATE",
            Backend::Postgres => "BEGIN",
        };
        self.pool.begin_with(begin).await.map_err(query_error(doing.to_string()))
    }

    /// How many users exist (disabled ones included): none means the app is not set up yet.
    pub async fn user_count(&self) -> Result<u64> {
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM users")
            .fetch_one(&self.pool)
            .await
            .map_err(query_error("counting users"))?;
        Ok(n.max(0) as u64)
    }

    /// Every user, oldest first.
    pub async fn users(&self) -> Result<Vec<User>> {
        let rows: Vec<UserRow> = sqlx::query_as(&format!("SELECT {USER_COLUMNS} FROM users ORDER BY id"))
            .fetch_all(&self.pool)
            .await
            .map_err(query_error("reading users"))?;
        rows.into_iter().map(|r| user_from_row(r).map(|(u, _)| u)).collect()
    }

    /// The user with this id.
    pub async fn user(&self, id: i64) -> Result<Option<User>> {
        let row: Option<UserRow> = sqlx::query_as(&format!("SELECT {USER_COLUMNS} FROM users WHERE id = $1"))
            .bind(id)
            .fetch_optional(&self.pool)
            .await
            .map_err(query_error("reading a user"))?;
        row.map(|r| user_from_row(r).map(|(u, _)| u)).transpose()
    }

    /// The user with this e-mail address and their password hash (`None` before they set one): what a login
    /// checks a password against.
    pub async fn user_credentials(&self, email: &str) -> Result<Option<(User, Option<String>)>> {
        let row: Option<UserRow> = sqlx::query_as(&format!("SELECT {USER_COLUMNS} FROM users WHERE email = $1"))
            .bind(normalize_email(email))
            .fetch_optional(&self.pool)
            .await
            .map_err(query_error("reading a user"))?;
        row.map(user_from_row).transpose()
    }

    /// Creates a user, and their one-time set-password link when given, and records it in the audit log, in one
    /// transaction. A taken e-mail address is [`StoreError::EmailTaken`].
    pub async fn create_user(
        &self,
        new: &NewUser,
        link: Option<&OneTimeLink>,
        actor: Option<i64>,
        now: Timestamp,
    ) -> Result<User> {
        let mut tx = self.begin_write("adding a user").await?;
        let user = insert_user(&mut tx, new, now).await?;
        if let Some(link) = link {
            insert_link(&mut tx, link, Some(user.id), now).await?;
        }
        let entry = NewAuditEntry {
            actor,
            action: AuditAction::UserCreated,
            object: user.object(),
            before: None,
            after: Some(user.audit_view()),
        };
        audit::append(&mut tx, &entry, now).await?;
        tx.commit().await.map_err(query_error("adding a user"))?;
        Ok(user)
    }

    /// Changes a user's role (audited). `None` when there is no such user.
    pub async fn set_user_role(&self, id: i64, role: Role, actor: Option<i64>, now: Timestamp) -> Result<Option<User>> {
        self.change_user(id, UserChange::Role(role), actor, now).await
    }

    /// Disables a user (ending all their sessions) or enables them again (audited). `None` when there is no such
    /// user.
    pub async fn set_user_disabled(
        &self,
        id: i64,
        disabled: bool,
        actor: Option<i64>,
        now: Timestamp,
    ) -> Result<Option<User>> {
        self.change_user(id, UserChange::Disabled(disabled), actor, now).await
    }

    /// Reads a user, applies the change and records before and after in the audit log, in one transaction.
    async fn change_user(
        &self,
        id: i64,
        change: UserChange,
        actor: Option<i64>,
        now: Timestamp,
    ) -> Result<Option<User>> {
        let (doing, action) = match change {
            UserChange::Role(_) => ("changing a user's role", AuditAction::UserRoleChanged),
            UserChange::Disabled(true) => ("disabling a user", AuditAction::UserDisabled),
            UserChange::Disabled(false) => ("enabling a user", AuditAction::UserEnabled),
        };
        let mut tx = self.begin_write(doing).await?;
        let Some(before) = user_in(&mut tx, id).await? else {
            let _ = tx.rollback().await;
            return Ok(None);
        };
        let updated = match change {
            UserChange::Role(role) => {
                sqlx::query("UPDATE users SET role = $1 WHERE id = $2")
                    .bind(role.as_str())
                    .bind(id)
                    .execute(&mut *tx)
                    .await
            }
            UserChange::Disabled(disabled) => {
                sqlx::query("UPDATE users SET disabled = $1 WHERE id = $2")
                    .bind(i64::from(disabled))
                    .bind(id)
                    .execute(&mut *tx)
                    .await
            }
        };
        updated.map_err(query_error(doing))?;
        if change == UserChange::Disabled(true) {
            sqlx::query("DELETE FROM sessions WHERE user_id = $1")
                .bind(id)
                .execute(&mut *tx)
                .await
                .map_err(query_error(doing))?;
        }
        let after = user_in(&mut tx, id)
            .await?
            .ok_or_else(|| StoreError::Query { doing: doing.to_string(), cause: sqlx::Error::RowNotFound })?;
        let entry = NewAuditEntry {
            actor,
            action,
            object: after.object(),
            before: Some(before.audit_view()),
            after: Some(after.audit_view()),
        };
        audit::append(&mut tx, &entry, now).await?;
        tx.commit().await.map_err(query_error(doing))?;
        Ok(Some(after))
    }

    /// Issues the one-time link that creates the first owner (audited, actor: the system).
    pub async fn issue_setup_link(&self, link: &OneTimeLink, now: Timestamp) -> Result<()> {
        let mut tx = self.begin_write("issuing the setup link").await?;
        insert_link(&mut tx, link, None, now).await?;
        let entry = NewAuditEntry {
            actor: None,
            action: AuditAction::SetupLinkIssued,
            object: "setup".into(),
            before: None,
            after: Some(serde_json::json!({ "expires_at": codec::timestamp_text(link.expires_at) })),
        };
        audit::append(&mut tx, &entry, now).await?;
        tx.commit().await.map_err(query_error("issuing the setup link"))
    }

    /// What an unused, unexpired one-time link is for; `None` when it is unknown, used or expired.
    pub async fn link_purpose(&self, token_hash: &str, now: Timestamp) -> Result<Option<LinkPurpose>> {
        let row: Option<Option<i64>> =
            sqlx::query_scalar("SELECT user_id FROM setup_tokens WHERE hash = $1 AND used = 0 AND expires_at > $2")
                .bind(token_hash)
                .bind(codec::timestamp_text(now))
                .fetch_optional(&self.pool)
                .await
                .map_err(query_error("reading a one-time link"))?;
        Ok(row.map(|user| match user {
            None => LinkPurpose::Setup,
            Some(user_id) => LinkPurpose::SetPassword { user_id },
        }))
    }

    /// Creates the first owner through the setup link: uses the link up (once only), creates the user and records
    /// both, in one transaction. `None` (nothing written) when the link is unknown, used or expired, or when users
    /// exist already.
    pub async fn complete_setup(&self, token_hash: &str, owner: &NewUser, now: Timestamp) -> Result<Option<User>> {
        let mut tx = self.begin_write("creating the owner").await?;
        let used = use_link(&mut tx, token_hash, now).await?;
        let users: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM users")
            .fetch_one(&mut *tx)
            .await
            .map_err(query_error("counting users"))?;
        if used != Some(None) || users > 0 {
            let _ = tx.rollback().await;
            return Ok(None);
        }
        let owner = NewUser { role: Role::Owner, ..owner.clone() };
        let user = insert_user(&mut tx, &owner, now).await?;
        let entry = NewAuditEntry {
            actor: Some(user.id),
            action: AuditAction::SetupOwnerCreated,
            object: user.object(),
            before: None,
            after: Some(user.audit_view()),
        };
        audit::append(&mut tx, &entry, now).await?;
        tx.commit().await.map_err(query_error("creating the owner"))?;
        Ok(Some(user))
    }

    /// Sets a user's password through their one-time link (once only; audited without the hash). `None` (nothing
    /// written) when the link is unknown, used, expired, not a set-password link, or its user is disabled.
    pub async fn complete_password_link(
        &self,
        token_hash: &str,
        password_hash: &str,
        now: Timestamp,
    ) -> Result<Option<User>> {
        let mut tx = self.begin_write("setting a password").await?;
        let Some(Some(user_id)) = use_link(&mut tx, token_hash, now).await? else {
            let _ = tx.rollback().await;
            return Ok(None);
        };
        let user = match user_in(&mut tx, user_id).await? {
            Some(user) if !user.disabled => user,
            _ => {
                let _ = tx.rollback().await;
                return Ok(None);
            }
        };
        sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2")
            .bind(password_hash)
            .bind(user_id)
            .execute(&mut *tx)
            .await
            .map_err(query_error("setting a password"))?;
        let entry = NewAuditEntry {
            actor: Some(user_id),
            action: AuditAction::UserPasswordSet,
            object: user.object(),
            before: None,
            after: None,
        };
        audit::append(&mut tx, &entry, now).await?;
        tx.commit().await.map_err(query_error("setting a password"))?;
        Ok(Some(User { has_password: true, ..user }))
    }

    /// Starts a session, and deletes the sessions that have expired (nothing else removes them).
    pub async fn create_session(&self, session: &NewSession, now: Timestamp) -> Result<()> {
        let now = codec::timestamp_text(now);
        sqlx::query("DELETE FROM sessions WHERE expires_at <= $1")
            .bind(now.as_str())
            .execute(&self.pool)
            .await
            .map_err(query_error("deleting expired sessions"))?;
        sqlx::query(
            "INSERT INTO sessions (id, user_id, csrf_token, created_at, expires_at, last_seen) \
             VALUES ($1, $2, $3, $4, $5, $4)",
        )
        .bind(session.id_hash.as_str())
        .bind(session.user_id)
        .bind(session.csrf_token.as_str())
        .bind(now.as_str())
        .bind(codec::timestamp_text(session.expires_at))
        .execute(&self.pool)
        .await
        .map_err(query_error("starting a session"))?;
        Ok(())
    }

    /// The live session with this id hash: unexpired, of a user who is not disabled.
    pub async fn session(&self, id_hash: &str, now: Timestamp) -> Result<Option<Session>> {
        type Row = (i64, String, String, Option<String>, String, String, i64, String, String, String);
        let row: Option<Row> = sqlx::query_as(
            "SELECT u.id, u.email, u.display_name, u.password_hash, u.role, u.created_at, u.disabled, \
             s.csrf_token, s.expires_at, s.last_seen \
             FROM sessions s JOIN users u ON u.id = s.user_id \
             WHERE s.id = $1 AND s.expires_at > $2 AND u.disabled = 0",
        )
        .bind(id_hash)
        .bind(codec::timestamp_text(now))
        .fetch_optional(&self.pool)
        .await
        .map_err(query_error("reading a session"))?;
        let Some((id, email, name, hash, role, created, disabled, csrf_token, expires_at, last_seen)) = row else {
            return Ok(None);
        };
        let (user, _) = user_from_row((id, email, name, hash, role, created, disabled))?;
        Ok(Some(Session {
            user,
            csrf_token,
            expires_at: parse_at(&expires_at, "sessions", "expires_at")?,
            last_seen: parse_at(&last_seen, "sessions", "last_seen")?,
        }))
    }

    /// Records that a session was used now.
    pub async fn touch_session(&self, id_hash: &str, now: Timestamp) -> Result<()> {
        sqlx::query("UPDATE sessions SET last_seen = $1 WHERE id = $2")
            .bind(codec::timestamp_text(now))
            .bind(id_hash)
            .execute(&self.pool)
            .await
            .map_err(query_error("updating a session"))?;
        Ok(())
    }

    /// Ends one session (logout).
    pub async fn delete_session(&self, id_hash: &str) -> Result<()> {
        sqlx::query("DELETE FROM sessions WHERE id = $1")
            .bind(id_hash)
            .execute(&self.pool)
            .await
            .map_err(query_error("ending a session"))?;
        Ok(())
    }

    /// Ends every session of a user ("log out everywhere"), audited; returns how many ended.
    pub async fn delete_sessions_of(&self, user_id: i64, actor: Option<i64>, now: Timestamp) -> Result<u64> {
        let mut tx = self.begin_write("ending sessions").await?;
        let ended = sqlx::query("DELETE FROM sessions WHERE user_id = $1")
            .bind(user_id)
            .execute(&mut *tx)
            .await
            .map_err(query_error("ending sessions"))?
            .rows_affected();
        let entry = NewAuditEntry {
            actor,
            action: AuditAction::LogoutEverywhere,
            object: format!("user:{user_id}"),
            before: Some(serde_json::json!({ "sessions": ended })),
            after: Some(serde_json::json!({ "sessions": 0 })),
        };
        audit::append(&mut tx, &entry, now).await?;
        tx.commit().await.map_err(query_error("ending sessions"))?;
        Ok(ended)
    }

    /// Records a failed login, and forgets failures older than `forget_before` (they no longer count).
    pub async fn record_login_failure(
        &self,
        email: &str,
        client_ip: &str,
        now: Timestamp,
        forget_before: Timestamp,
    ) -> Result<()> {
        sqlx::query("INSERT INTO login_attempts (email, client_ip, at) VALUES ($1, $2, $3)")
            .bind(normalize_email(email))
            .bind(client_ip)
            .bind(codec::timestamp_text(now))
            .execute(&self.pool)
            .await
            .map_err(query_error("recording a failed login"))?;
        sqlx::query("DELETE FROM login_attempts WHERE at < $1")
            .bind(codec::timestamp_text(forget_before))
            .execute(&self.pool)
            .await
            .map_err(query_error("forgetting old failed logins"))?;
        Ok(())
    }

    /// Failed logins since `since`, for this e-mail address and for this client address.
    pub async fn login_failures(&self, email: &str, client_ip: &str, since: Timestamp) -> Result<LoginFailures> {
        let since = codec::timestamp_text(since);
        let count = |column: &'static str, value: String| {
            let since = since.clone();
            async move {
                let n: i64 = sqlx::query_scalar(&format!(
                    "SELECT COUNT(*) FROM login_attempts WHERE {column} = $1 AND at >= $2"
                ))
                .bind(value)
                .bind(since)
                .fetch_one(&self.pool)
                .await
                .map_err(query_error("counting failed logins"))?;
                Ok::<u64, StoreError>(n.max(0) as u64)
            }
        };
        Ok(LoginFailures {
            by_email: count("email", normalize_email(email)).await?,
            by_ip: count("client_ip", client_ip.to_string()).await?,
        })
    }

    /// Forgets the failed logins of an e-mail address (after a successful login).
    pub async fn clear_login_failures(&self, email: &str) -> Result<()> {
        sqlx::query("DELETE FROM login_attempts WHERE email = $1")
            .bind(normalize_email(email))
            .execute(&self.pool)
            .await
            .map_err(query_error("forgetting failed logins"))?;
        Ok(())
    }
}

async fn insert_user(tx: &mut Transaction<'static, Any>, new: &NewUser, now: Timestamp) -> Result<User> {
    let email = normalize_email(&new.email);
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO users (email, display_name, password_hash, role, created_at, disabled) \
         VALUES ($1, $2, $3, $4, $5, 0) RETURNING id",
    )
    .bind(email.as_str())
    .bind(new.display_name.as_str())
    .bind(new.password_hash.as_deref())
    .bind(new.role.as_str())
    .bind(codec::timestamp_text(now))
    .fetch_one(&mut **tx)
    .await
    .map_err(|cause| {
        let taken = cause.as_database_error().is_some_and(|e| e.kind() == sqlx::error::ErrorKind::UniqueViolation);
        if taken {
            StoreError::EmailTaken { email: email.clone() }
        } else {
            StoreError::Query { doing: "adding a user".into(), cause }
        }
    })?;
    user_in(tx, id)
        .await?
        .ok_or_else(|| StoreError::Query { doing: "adding a user".into(), cause: sqlx::Error::RowNotFound })
}

async fn user_in(tx: &mut Transaction<'static, Any>, id: i64) -> Result<Option<User>> {
    let row: Option<UserRow> = sqlx::query_as(&format!("SELECT {USER_COLUMNS} FROM users WHERE id = $1"))
        .bind(id)
        .fetch_optional(&mut **tx)
        .await
        .map_err(query_error("reading a user"))?;
    row.map(|r| user_from_row(r).map(|(u, _)| u)).transpose()
}

async fn insert_link(
    tx: &mut Transaction<'static, Any>,
    link: &OneTimeLink,
    user_id: Option<i64>,
    now: Timestamp,
) -> Result<()> {
    sqlx::query("INSERT INTO setup_tokens (hash, user_id, created_at, expires_at, used) VALUES ($1, $2, $3, $4, 0)")
        .bind(link.token_hash.as_str())
        .bind(user_id)
        .bind(codec::timestamp_text(now))
        .bind(codec::timestamp_text(link.expires_at))
        .execute(&mut **tx)
        .await
        .map_err(query_error("writing a one-time link"))?;
    Ok(())
}

/// Marks a link used if it is unused and unexpired; returns its user (`Some(None)` for the setup link), or `None`
/// when it could not be used. The conditional UPDATE makes "once only" hold across concurrent requests and servers.
async fn use_link(tx: &mut Transaction<'static, Any>, token_hash: &str, now: Timestamp) -> Result<Option<Option<i64>>> {
    sqlx::query_scalar(
        "UPDATE setup_tokens SET used = 1 WHERE hash = $1 AND used = 0 AND expires_at > $2 RETURNING user_id",
    )
    .bind(token_hash)
    .bind(codec::timestamp_text(now))
    .fetch_optional(&mut **tx)
    .await
    .map_err(query_error("using a one-time link"))
}
