-- Accounts of the web app (issue 16): people, their sessions, one-time links, failed logins and the audit log.
-- Keep in step with ../sqlite/0005_accounts.sql. Timestamps are TEXT RFC 3339 UTC with nine fractional digits
-- and `Z` (fixed width, so comparing the text compares the instants); booleans are BIGINT 0/1.
-- Secrets are never stored: passwords as argon2id PHC strings, session and link tokens as their BLAKE3 hash.

CREATE TABLE users (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    -- Lower case, trimmed: the login compares it exactly.
    email         TEXT COLLATE "C" NOT NULL UNIQUE,
    display_name  TEXT COLLATE "C" NOT NULL,
    -- NULL until the person sets a password through their one-time link.
    password_hash TEXT COLLATE "C",
    role          TEXT COLLATE "C" NOT NULL,
    created_at    TEXT COLLATE "C" NOT NULL,
    disabled      BIGINT NOT NULL DEFAULT 0
);

CREATE TABLE sessions (
    -- BLAKE3 of the cookie's token (hex): a copy of this table does not let anyone sign in.
    id         TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    user_id    BIGINT NOT NULL REFERENCES users (id),
    csrf_token TEXT COLLATE "C" NOT NULL,
    created_at TEXT COLLATE "C" NOT NULL,
    expires_at TEXT COLLATE "C" NOT NULL,
    last_seen  TEXT COLLATE "C" NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

-- One-time links: the owner's setup link (user_id NULL) and a new user's set-password link.
CREATE TABLE setup_tokens (
    hash       TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    user_id    BIGINT REFERENCES users (id),
    created_at TEXT COLLATE "C" NOT NULL,
    expires_at TEXT COLLATE "C" NOT NULL,
    used       BIGINT NOT NULL DEFAULT 0
);

-- Failed logins, for rate limiting shared by every app server on one database.
CREATE TABLE login_attempts (
    id        BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email     TEXT COLLATE "C" NOT NULL,
    client_ip TEXT COLLATE "C" NOT NULL,
    at        TEXT COLLATE "C" NOT NULL
);
CREATE INDEX login_attempts_email ON login_attempts (email, at);
CREATE INDEX login_attempts_ip ON login_attempts (client_ip, at);

-- Every change, append-only: the app only inserts (the trigger refuses the rest).
CREATE TABLE audit_log (
    id       BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at       TEXT COLLATE "C" NOT NULL,
    -- NULL: the command line or the system.
    actor_id BIGINT REFERENCES users (id),
    action   TEXT COLLATE "C" NOT NULL,
    object   TEXT COLLATE "C" NOT NULL,
    -- JSON text; NULL when there was nothing before (a creation) or after.
    before_json TEXT COLLATE "C",
    after_json  TEXT COLLATE "C"
);

CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only';
END
$$;

CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
