-- Targets and their alerts (issue 16). Keep in step with ../sqlite/0008_targets.sql.

-- A target: a channel (NULL: all social channels together) should end a month or a quarter with a metric at
-- least / at most a threshold. `channel` is checked against `channels` when the target is written (no foreign
-- key, so that merging channels is never blocked by a target). The threshold is in the metric's unit (a fraction
-- for the engagement rate, minor units per engagement, minor units of pipeline, hours; docs/targets.md).
CREATE TABLE targets (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    channel      TEXT COLLATE "C",
    metric       TEXT COLLATE "C" NOT NULL,
    comparison   TEXT COLLATE "C" NOT NULL,
    threshold    DOUBLE PRECISION NOT NULL,
    period_kind  TEXT COLLATE "C" NOT NULL,
    period_start TEXT COLLATE "C" NOT NULL,
    created_by   BIGINT REFERENCES users (id),
    created_at   TEXT COLLATE "C" NOT NULL
);

-- One row per change of a target's status within its period that people are told about (it went off track, or
-- came back on track after being off). `seq` numbers the changes of one target and period from 1: two servers
-- checking at once both try to write the same `seq`, and the unique key lets only one of them alert.
-- `webhook_at` and `email_at` say when the alert went out that way (NULL: not sent, or not configured).
CREATE TABLE alerts (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    target_id   BIGINT NOT NULL REFERENCES targets (id),
    period      TEXT COLLATE "C" NOT NULL,
    seq         BIGINT NOT NULL,
    status      TEXT COLLATE "C" NOT NULL,
    message     TEXT COLLATE "C" NOT NULL,
    created_at  TEXT COLLATE "C" NOT NULL,
    webhook_at  TEXT COLLATE "C",
    email_at    TEXT COLLATE "C",
    UNIQUE (target_id, period, seq)
);
