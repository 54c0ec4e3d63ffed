-- Personal access tokens of the JSON API (issue 16). Keep in step with ../sqlite/0009_api_tokens.sql.
-- (0008 belongs to another part of the web app.) The secret is shown once, when the token is made; only its
-- SHA-256 (hex) is kept: it is 256 random bits, so a fast hash makes a copy of this table useless.

CREATE TABLE api_tokens (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id      BIGINT NOT NULL REFERENCES users (id),
    -- What the person calls it ("reporting script"), to recognise it in the list.
    name         TEXT COLLATE "C" NOT NULL,
    -- 'read' or 'read-write'.
    scope        TEXT COLLATE "C" NOT NULL,
    secret_hash  TEXT COLLATE "C" NOT NULL UNIQUE,
    created_at   TEXT COLLATE "C" NOT NULL,
    -- Written at most every few minutes, not on every request.
    last_used_at TEXT COLLATE "C",
    -- NULL: until revoked.
    expires_at   TEXT COLLATE "C",
    revoked_at   TEXT COLLATE "C"
);
CREATE INDEX api_tokens_user ON api_tokens (user_id);
