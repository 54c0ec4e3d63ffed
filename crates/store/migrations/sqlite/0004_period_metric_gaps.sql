-- "No data" in period metrics (issue 15). Keep in step with ../postgres/0004_period_metric_gaps.sql.

-- GA4 prints -1 where a retention or cohort table has no data. It is stored as NULL: not a figure, not an error.
-- SQLite cannot drop a NOT NULL constraint, so the table is rebuilt (nothing refers to it).
CREATE TABLE period_metrics_0004 (
    source       TEXT NOT NULL,
    dimension    TEXT NOT NULL,
    value        TEXT NOT NULL,
    period_start TEXT NOT NULL,
    period_end   TEXT NOT NULL,
    metric       TEXT NOT NULL,
    amount       DOUBLE PRECISION,
    import_id    BIGINT NOT NULL REFERENCES imports (id),
    PRIMARY KEY (source, dimension, value, period_start, period_end, metric)
);
INSERT INTO period_metrics_0004
SELECT source, dimension, value, period_start, period_end, metric, amount, import_id FROM period_metrics;
DROP TABLE period_metrics;
ALTER TABLE period_metrics_0004 RENAME TO period_metrics;

-- GA4 rows imported before this migration kept the -1 as a figure (revenue can really be -1 after a refund).
UPDATE period_metrics SET amount = NULL WHERE source = 'ga4' AND amount = -1 AND metric NOT LIKE '%revenue%';
