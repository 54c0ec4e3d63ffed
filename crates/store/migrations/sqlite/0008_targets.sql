-- Targets and their alerts (issue 16). Keep in step with ../postgres/0008_targets.sql.

-- A target: a channel (NULL: all social channels together) should end a month or a quarter with a metric at
-- least / at most a threshold. `channel` is checked against `channels` when the target is written (no foreign
-- key, so that merging channels is never blocked by a target). The threshold is in the metric's unit (a fraction
-- for the engagement rate, minor units per engagement, minor units of pipeline, hours; docs/targets.md).
CREATE TABLE targets (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    channel      TEXT,
    metric       TEXT NOT NULL,
    comparison   TEXT NOT NULL,
    threshold    DOUBLE PRECISION NOT NULL,
    period_kind  TEXT NOT NULL,
    period_start TEXT NOT NULL,
    created_by   BIGINT REFERENCES users (id),
    created_at   TEXT NOT NULL
);

-- One row per change of a target's status within its period that people are told about (it went off track, or
-- came back on track after being off). `seq` numbers the changes of one target and period from 1: two servers
-- checking at once both try to write the same `seq`, and the unique key lets only one of them alert.
-- `webhook_at` and `email_at` say when the alert went out that way (NULL: not sent, or not configured).
CREATE TABLE alerts (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    target_id   BIGINT NOT NULL REFERENCES targets (id),
    period      TEXT NOT NULL,
    seq         BIGINT NOT NULL,
    status      TEXT NOT NULL,
    message     TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    webhook_at  TEXT,
    email_at    TEXT,
    UNIQUE (target_id, period, seq)
);
