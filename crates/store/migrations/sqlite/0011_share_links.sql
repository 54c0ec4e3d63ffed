-- Share links of the external reviewer's read-only view (issue 16). Keep in step with
-- ../postgres/0011_share_links.sql. (0010 belongs to another part of the web app.) The link's token is shown once,
-- when the owner makes it; only its SHA-256 (hex) is kept: it is 256 random bits, so a fast hash makes a copy of
-- this table useless.

CREATE TABLE share_links (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    -- Who the link is for ("auditor Q4"), to recognise it in the list.
    label       TEXT NOT NULL,
    -- The shared pages, comma-separated canonical names (overview,channels,costs,attribution).
    pages       TEXT NOT NULL,
    token_hash  TEXT NOT NULL UNIQUE,
    created_by  BIGINT REFERENCES users (id),
    created_at  TEXT NOT NULL,
    expires_at  TEXT NOT NULL,
    revoked_at  TEXT,
    -- Written at most every few minutes, not on every request.
    last_used_at TEXT
);
