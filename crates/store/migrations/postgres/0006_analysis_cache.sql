-- Stored analyses (issue 16): a result computed once per change of the data and read by every page and every app
-- server. Keep in step with ../sqlite/0006_analysis_cache.sql. Timestamps are TEXT RFC 3339 UTC with nine
-- fractional digits and `Z` (fixed width, so comparing the text compares the instants).
--
-- The fingerprint says which data a result was computed from: `Store::data_fingerprint` (the imports table's
-- count, highest id and sum of rows, and the settings' latest change). Every write of data goes through an import
-- row (imports, streamed imports, channel merges), so a different fingerprint means the data changed.

CREATE TABLE analysis_cache (
    -- What was computed: 'report' = the JSON of `socialledger report --json`.
    kind            TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    -- The last result, the data it was computed from and when; NULL before the first result.
    fingerprint     TEXT COLLATE "C",
    result_json     TEXT COLLATE "C",
    computed_at     TEXT COLLATE "C",
    -- A recompute under way: the fingerprint it computes for and when a server claimed it (so the others do not
    -- start the same one); NULL when none. A claim older than the staleness limit may be taken over.
    computing_for   TEXT COLLATE "C",
    computing_since TEXT COLLATE "C",
    -- Why the last recompute failed, NULL when it did not.
    failure         TEXT COLLATE "C"
);
