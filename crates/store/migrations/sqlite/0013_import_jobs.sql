-- Imports started in the web app (issue 16): one row per uploaded file, so that every app server can show its
-- progress and outcome (the file itself is held by the server that imports it, only while it does). Keep in step
-- with ../postgres/0011_import_jobs.sql. Timestamps are TEXT RFC 3339 UTC with nine fractional digits and `Z`.
CREATE TABLE import_jobs (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    -- Who uploaded it.
    user_id     BIGINT REFERENCES users (id),
    file_name   TEXT NOT NULL,
    bytes       BIGINT NOT NULL,
    -- 'reading' (parsing the file), 'storing' (writing it), then 'imported', 'unchanged' (the same file was
    -- imported before), 'rejected' (the file has errors: nothing was written) or 'failed' (the database refused).
    state       TEXT NOT NULL,
    -- Records written so far and in all, while storing.
    done        BIGINT NOT NULL DEFAULT 0,
    total       BIGINT NOT NULL DEFAULT 0,
    -- The import it made (or, when unchanged, the earlier import of the same file).
    import_id   BIGINT REFERENCES imports (id),
    -- The outcome as JSON: format, rows and counts per table; or the errors.
    result_json TEXT,
    started_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
CREATE INDEX import_jobs_import ON import_jobs (import_id);
