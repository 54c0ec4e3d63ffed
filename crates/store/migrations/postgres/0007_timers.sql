-- Time tracked in the web app and on the command line (issue 16). Keep in step with ../sqlite/0007_timers.sql.
-- (0006 belongs to stored analyses.) Tracked time is written as ordinary `time_entries` rows, so the analytics
-- count it exactly like imported time; this migration adds only what tracking needs besides.

-- The running timer of each user: at most one (the primary key). Stopping it deletes the row and writes a
-- time entry. `channel` is NULL for time on social in general; it is checked against `channels` when the timer
-- starts (no foreign key, so that merging channels is never blocked by a running timer).
CREATE TABLE timers (
    user_id    BIGINT NOT NULL PRIMARY KEY REFERENCES users (id),
    channel    TEXT COLLATE "C",
    task       TEXT COLLATE "C" NOT NULL,
    started_at TEXT COLLATE "C" NOT NULL
);

-- Which time entries were tracked in the app, and by whom: the owner of an entry (who may edit and delete it).
-- Their `time_entries.import_id` points at the one `imports` row of format 'app' at first, but a channel merge
-- re-stamps moved rows with its own import, so ownership lives here, keyed by the entry.
CREATE TABLE tracked_time (
    entry_key  TEXT COLLATE "C" NOT NULL PRIMARY KEY REFERENCES time_entries (key),
    user_id    BIGINT NOT NULL REFERENCES users (id),
    created_at TEXT COLLATE "C" NOT NULL
);
CREATE INDEX tracked_time_user ON tracked_time (user_id);
