-- Conversations and first responses (issue 14, the verdict's `fix`). Keep in step with
-- ../postgres/0003_conversations.sql.

-- A comment, direct message or mention a channel received, and when the company first answered it. Natural key:
-- the channel and the conversation's id on it. Written by `conversations.csv` imports and, later, by the routed
-- inbox of the web app, which upserts the row when the first answer goes out (first_response_at NULL until then).
-- Timestamps are RFC 3339 UTC text of fixed width, like every timestamp here, so they sort and compare as text.
CREATE TABLE conversations (
    channel           TEXT NOT NULL REFERENCES channels (key),
    key               TEXT NOT NULL,
    kind              TEXT,
    received_at       TEXT NOT NULL,
    first_response_at TEXT,
    assignee          TEXT,
    import_id         BIGINT NOT NULL REFERENCES imports (id),
    PRIMARY KEY (channel, key),
    CHECK (first_response_at IS NULL OR first_response_at >= received_at)
);

-- An inbox lists what waits for an answer, newest first, per channel.
CREATE INDEX conversations_unanswered ON conversations (channel, received_at) WHERE first_response_at IS NULL;
