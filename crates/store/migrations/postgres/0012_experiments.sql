-- Experiments the company plans, runs and reads out (issue 16, the Experiments page). Keep in step with
-- ../sqlite/0012_experiments.sql. (0010 belongs to another part of the web app.) A plan is the verdict's proposal
-- for a channel as it was when the experiment was planned (its JSON kept as it was); the read-out is what
-- `socialledger experiment analyze` computed: the weekly contrast with its 90 % interval.

CREATE TABLE experiments (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    -- The channel key when planned (no foreign key: a later channel merge must not be blocked by history).
    channel      TEXT COLLATE "C" NOT NULL,
    -- pause, geo-split or account-holdout.
    design       TEXT COLLATE "C" NOT NULL,
    weeks        BIGINT NOT NULL,
    -- planned, running or read_out.
    status       TEXT COLLATE "C" NOT NULL,
    plan_json    TEXT COLLATE "C" NOT NULL,
    created_by   BIGINT REFERENCES users (id),
    created_at   TEXT COLLATE "C" NOT NULL,
    started_on   TEXT COLLATE "C",
    estimate     DOUBLE PRECISION,
    low          DOUBLE PRECISION,
    high         DOUBLE PRECISION,
    p_value      DOUBLE PRECISION,
    reading      TEXT COLLATE "C",
    read_out_at  TEXT COLLATE "C"
);
