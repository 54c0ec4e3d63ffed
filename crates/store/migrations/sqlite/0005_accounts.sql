-- Accounts of the web app (issue 16): people, their sessions, one-time links, failed logins and the audit log.
-- Keep in step with ../postgres/0005_accounts.sql. Timestamps are TEXT RFC 3339 UTC with nine fractional digits
-- and `Z` (fixed width, so comparing the text compares the instants); booleans are INTEGER 0/1.
-- Secrets are never stored: passwords as argon2id PHC strings, session and link tokens as their BLAKE3 hash.

CREATE TABLE users (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    -- Lower case, trimmed: the login compares it exactly.
    email         TEXT NOT NULL UNIQUE,
    display_name  TEXT NOT NULL,
    -- NULL until the person sets a password through their one-time link.
    password_hash TEXT,
    role          TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    disabled      INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE sessions (
    -- BLAKE3 of the cookie's token (hex): a copy of this table does not let anyone sign in.
    id         TEXT NOT NULL PRIMARY KEY,
    user_id    BIGINT NOT NULL REFERENCES users (id),
    csrf_token TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    last_seen  TEXT NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

-- One-time links: the owner's setup link (user_id NULL) and a new user's set-password link.
CREATE TABLE setup_tokens (
    hash       TEXT NOT NULL PRIMARY KEY,
    user_id    BIGINT REFERENCES users (id),
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used       INTEGER NOT NULL DEFAULT 0
);

-- Failed logins, for rate limiting shared by every app server on one database.
CREATE TABLE login_attempts (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    email     TEXT NOT NULL,
    client_ip TEXT NOT NULL,
    at        TEXT NOT NULL
);
CREATE INDEX login_attempts_email ON login_attempts (email, at);
CREATE INDEX login_attempts_ip ON login_attempts (client_ip, at);

-- Every change, append-only: the app only inserts (the triggers refuse the rest).
CREATE TABLE audit_log (
    id       INTEGER PRIMARY KEY AUTOINCREMENT,
    at       TEXT NOT NULL,
    -- NULL: the command line or the system.
    actor_id BIGINT REFERENCES users (id),
    action   TEXT NOT NULL,
    object   TEXT NOT NULL,
    -- JSON text; NULL when there was nothing before (a creation) or after.
    before_json TEXT,
    after_json  TEXT
);

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;

CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
