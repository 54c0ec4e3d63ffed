-- "No data" in period metrics (issue 15). Keep in step with ../sqlite/0004_period_metric_gaps.sql.

-- GA4 prints -1 where a retention or cohort table has no data. It is stored as NULL: not a figure, not an error.
ALTER TABLE period_metrics ALTER COLUMN amount DROP NOT NULL;

-- GA4 rows imported before this migration kept the -1 as a figure (revenue can really be -1 after a refund).
UPDATE period_metrics SET amount = NULL WHERE source = 'ga4' AND amount = -1 AND metric NOT LIKE '%revenue%';
