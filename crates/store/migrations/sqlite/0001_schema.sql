-- socialledger schema, SQLite flavour. Keep in step with ../postgres/0001_schema.sql: same tables, columns,
-- keys and constraints; only the identity column and text collation are spelled differently.
-- Conventions: money = BIGINT minor units + currency TEXT; dates = TEXT YYYY-MM-DD; timestamps = TEXT RFC 3339
-- UTC with nine fractional digits and `Z` (fixed width, so they sort); enums = their canonical name.
-- A natural-key column that the domain allows to be empty stores '' for "not reported", because NULLs never
-- conflict in a UNIQUE constraint and the upsert would then duplicate the row.

CREATE TABLE imports (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    file_name    TEXT NOT NULL,
    format       TEXT NOT NULL,
    content_hash TEXT NOT NULL UNIQUE,
    rows         BIGINT NOT NULL,
    imported_at  TEXT NOT NULL
);

CREATE TABLE channels (
    key       TEXT NOT NULL PRIMARY KEY,
    name      TEXT NOT NULL,
    kind      TEXT NOT NULL,
    network   TEXT,
    handle    TEXT,
    import_id BIGINT NOT NULL REFERENCES imports (id)
);

CREATE TABLE posts (
    channel      TEXT NOT NULL REFERENCES channels (key),
    external_id  TEXT NOT NULL,
    published_at TEXT,
    post_type    TEXT,
    text         TEXT,
    url          TEXT,
    author       TEXT,
    campaign     TEXT,
    idea         TEXT,
    import_id    BIGINT NOT NULL REFERENCES imports (id),
    PRIMARY KEY (channel, external_id)
);

CREATE TABLE post_metrics (
    channel                  TEXT NOT NULL REFERENCES channels (key),
    post_id                  TEXT NOT NULL,
    date                     TEXT NOT NULL, -- '' when not reported
    period                   TEXT NOT NULL, -- '' when not reported
    impressions              BIGINT,
    reach                    BIGINT,
    reactions                BIGINT,
    comments                 BIGINT,
    shares                   BIGINT,
    clicks                   BIGINT,
    saves                    BIGINT,
    video_views              BIGINT,
    follows                  BIGINT,
    engagements              BIGINT,
    watch_seconds            BIGINT,
    reported_engagement_rate DOUBLE PRECISION,
    import_id                BIGINT NOT NULL REFERENCES imports (id),
    PRIMARY KEY (channel, post_id, date, period)
);

CREATE TABLE channel_days (
    channel                  TEXT NOT NULL REFERENCES channels (key),
    date                     TEXT NOT NULL, -- '' when not reported
    followers                BIGINT,
    new_followers            BIGINT,
    lost_followers           BIGINT,
    impressions              BIGINT,
    engagements              BIGINT,
    page_views               BIGINT,
    unique_visitors          BIGINT,
    profile_visits           BIGINT,
    video_views              BIGINT,
    posts_published          BIGINT,
    reported_engagement_rate DOUBLE PRECISION,
    import_id                BIGINT NOT NULL REFERENCES imports (id),
    PRIMARY KEY (channel, date)
);

CREATE TABLE audience (
    channel   TEXT NOT NULL REFERENCES channels (key),
    date      TEXT NOT NULL,
    audience  TEXT NOT NULL,
    dimension TEXT NOT NULL,
    value     TEXT NOT NULL,
    count     BIGINT NOT NULL,
    import_id BIGINT NOT NULL REFERENCES imports (id),
    PRIMARY KEY (channel, date, audience, dimension, value)
);

CREATE TABLE activities (
    key            TEXT NOT NULL PRIMARY KEY,
    kind           TEXT NOT NULL,
    name           TEXT NOT NULL,
    channel        TEXT REFERENCES channels (key),
    campaign       TEXT,
    start_date     TEXT NOT NULL,
    end_date       TEXT NOT NULL,
    spend_minor    BIGINT,
    spend_currency TEXT,
    volume         BIGINT,
    reach          BIGINT,
    clicks         BIGINT,
    import_id      BIGINT NOT NULL REFERENCES imports (id),
    CONSTRAINT activity_ends_on_or_after_start CHECK (end_date >= start_date),
    CONSTRAINT activity_spend_has_currency CHECK ((spend_minor IS NULL) = (spend_currency IS NULL))
);

CREATE TABLE people (
    key                  TEXT NOT NULL PRIMARY KEY,
    name                 TEXT NOT NULL,
    team                 TEXT NOT NULL,
    hourly_cost_minor    BIGINT,
    hourly_cost_currency TEXT,
    import_id            BIGINT NOT NULL REFERENCES imports (id),
    CONSTRAINT person_hourly_cost_has_currency CHECK ((hourly_cost_minor IS NULL) = (hourly_cost_currency IS NULL))
);

CREATE TABLE time_entries (
    key       TEXT NOT NULL PRIMARY KEY,
    person    TEXT NOT NULL,
    date      TEXT NOT NULL,
    minutes   BIGINT NOT NULL,
    channel   TEXT REFERENCES channels (key),
    task      TEXT NOT NULL,
    note      TEXT,
    import_id BIGINT NOT NULL REFERENCES imports (id)
);

CREATE TABLE cost_items (
    channel_key  TEXT NOT NULL, -- the channel, or '' for spend on social in general (natural key part)
    month        TEXT NOT NULL,
    kind         TEXT NOT NULL,
    description  TEXT NOT NULL,
    channel      TEXT REFERENCES channels (key), -- the same channel, NULL for general spend (integrity)
    amount_minor BIGINT NOT NULL,
    currency     TEXT NOT NULL,
    import_id    BIGINT NOT NULL REFERENCES imports (id),
    PRIMARY KEY (channel_key, month, kind, description),
    CONSTRAINT cost_item_channel_matches_key CHECK (channel_key = COALESCE(channel, ''))
);

CREATE TABLE accounts (
    key       TEXT NOT NULL PRIMARY KEY,
    name      TEXT NOT NULL,
    industry  TEXT,
    size      TEXT,
    country   TEXT,
    import_id BIGINT NOT NULL REFERENCES imports (id)
);

CREATE TABLE contacts (
    key                  TEXT NOT NULL PRIMARY KEY,
    account              TEXT,
    name                 TEXT,
    email                TEXT,
    job_title            TEXT,
    created_at           TEXT,
    self_reported_source TEXT,
    import_id            BIGINT NOT NULL REFERENCES imports (id)
);

CREATE TABLE deals (
    key                  TEXT NOT NULL PRIMARY KEY,
    account              TEXT,
    name                 TEXT NOT NULL,
    amount_minor         BIGINT,
    amount_currency      TEXT,
    created              TEXT,
    stage                TEXT,
    status               TEXT NOT NULL,
    closed               TEXT,
    self_reported_source TEXT,
    import_id            BIGINT NOT NULL REFERENCES imports (id),
    CONSTRAINT deal_amount_has_currency CHECK ((amount_minor IS NULL) = (amount_currency IS NULL))
);

CREATE TABLE touchpoints (
    key          TEXT NOT NULL PRIMARY KEY,
    contact      TEXT,
    account      TEXT,
    deal         TEXT,
    at           TEXT NOT NULL,
    channel      TEXT NOT NULL REFERENCES channels (key),
    kind         TEXT NOT NULL,
    campaign     TEXT,
    post_ref     TEXT,
    utm_source   TEXT,
    utm_medium   TEXT,
    utm_campaign TEXT,
    import_id    BIGINT NOT NULL REFERENCES imports (id)
);

CREATE TABLE period_metrics (
    source       TEXT NOT NULL,
    dimension    TEXT NOT NULL,
    value        TEXT NOT NULL,
    period_start TEXT NOT NULL,
    period_end   TEXT NOT NULL,
    metric       TEXT NOT NULL,
    amount       DOUBLE PRECISION NOT NULL,
    import_id    BIGINT NOT NULL REFERENCES imports (id),
    PRIMARY KEY (source, dimension, value, period_start, period_end, metric)
);

CREATE TABLE settings (
    key        TEXT NOT NULL PRIMARY KEY,
    value      TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
