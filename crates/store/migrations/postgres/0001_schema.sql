-- socialledger schema, PostgreSQL flavour. Keep in step with ../sqlite/0001_schema.sql: same tables, columns,
-- keys and constraints; only the identity column and text collation are spelled differently.
-- Every TEXT column uses the "C" collation so that ORDER BY sorts by bytes, exactly like SQLite's BINARY
-- collation, whatever the server's default locale: both backends load records in the same order.
-- Conventions: money = BIGINT minor units + currency TEXT; dates = TEXT YYYY-MM-DD; timestamps = TEXT RFC 3339
-- UTC with nine fractional digits and `Z` (fixed width, so they sort); enums = their canonical name.
-- A natural-key column that the domain allows to be empty stores '' for "not reported", because NULLs never
-- conflict in a UNIQUE constraint and the upsert would then duplicate the row.

CREATE TABLE imports (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    file_name    TEXT COLLATE "C" NOT NULL,
    format       TEXT COLLATE "C" NOT NULL,
    content_hash TEXT COLLATE "C" NOT NULL UNIQUE,
    rows         BIGINT NOT NULL,
    imported_at  TEXT COLLATE "C" NOT NULL
);

CREATE TABLE channels (
    key       TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    name      TEXT COLLATE "C" NOT NULL,
    kind      TEXT COLLATE "C" NOT NULL,
    network   TEXT COLLATE "C",
    handle    TEXT COLLATE "C",
    import_id BIGINT NOT NULL REFERENCES imports (id)
);

CREATE TABLE posts (
    channel      TEXT COLLATE "C" NOT NULL REFERENCES channels (key),
    external_id  TEXT COLLATE "C" NOT NULL,
    published_at TEXT COLLATE "C",
    post_type    TEXT COLLATE "C",
    text         TEXT COLLATE "C",
    url          TEXT COLLATE "C",
    author       TEXT COLLATE "C",
    campaign     TEXT COLLATE "C",
    idea         TEXT COLLATE "C",
    import_id    BIGINT NOT NULL REFERENCES imports (id),
    PRIMARY KEY (channel, external_id)
);

CREATE TABLE post_metrics (
    channel                  TEXT COLLATE "C" NOT NULL REFERENCES channels (key),
    post_id                  TEXT COLLATE "C" NOT NULL,
    date                     TEXT COLLATE "C" NOT NULL, -- '' when not reported
    period                   TEXT COLLATE "C" NOT NULL, -- '' when not reported
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
    channel                  TEXT COLLATE "C" NOT NULL REFERENCES channels (key),
    date                     TEXT COLLATE "C" NOT NULL, -- '' when not reported
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
    channel   TEXT COLLATE "C" NOT NULL REFERENCES channels (key),
    date      TEXT COLLATE "C" NOT NULL,
    audience  TEXT COLLATE "C" NOT NULL,
    dimension TEXT COLLATE "C" NOT NULL,
    value     TEXT COLLATE "C" NOT NULL,
    count     BIGINT NOT NULL,
    import_id BIGINT NOT NULL REFERENCES imports (id),
    PRIMARY KEY (channel, date, audience, dimension, value)
);

CREATE TABLE activities (
    key            TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    kind           TEXT COLLATE "C" NOT NULL,
    name           TEXT COLLATE "C" NOT NULL,
    channel        TEXT COLLATE "C" REFERENCES channels (key),
    campaign       TEXT COLLATE "C",
    start_date     TEXT COLLATE "C" NOT NULL,
    end_date       TEXT COLLATE "C" NOT NULL,
    spend_minor    BIGINT,
    spend_currency TEXT COLLATE "C",
    volume         BIGINT,
    reach          BIGINT,
    clicks         BIGINT,
    import_id      BIGINT NOT NULL REFERENCES imports (id),
    CONSTRAINT activity_ends_on_or_after_start CHECK (end_date >= start_date),
    CONSTRAINT activity_spend_has_currency CHECK ((spend_minor IS NULL) = (spend_currency IS NULL))
);

CREATE TABLE people (
    key                  TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    name                 TEXT COLLATE "C" NOT NULL,
    team                 TEXT COLLATE "C" NOT NULL,
    hourly_cost_minor    BIGINT,
    hourly_cost_currency TEXT COLLATE "C",
    import_id            BIGINT NOT NULL REFERENCES imports (id),
    CONSTRAINT person_hourly_cost_has_currency CHECK ((hourly_cost_minor IS NULL) = (hourly_cost_currency IS NULL))
);

CREATE TABLE time_entries (
    key       TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    person    TEXT COLLATE "C" NOT NULL,
    date      TEXT COLLATE "C" NOT NULL,
    minutes   BIGINT NOT NULL,
    channel   TEXT COLLATE "C" REFERENCES channels (key),
    task      TEXT COLLATE "C" NOT NULL,
    note      TEXT COLLATE "C",
    import_id BIGINT NOT NULL REFERENCES imports (id)
);

CREATE TABLE cost_items (
    channel_key  TEXT COLLATE "C" NOT NULL, -- the channel, or '' for spend on social in general (natural key part)
    month        TEXT COLLATE "C" NOT NULL,
    kind         TEXT COLLATE "C" NOT NULL,
    description  TEXT COLLATE "C" NOT NULL,
    channel      TEXT COLLATE "C" REFERENCES channels (key), -- the same channel, NULL for general spend (integrity)
    amount_minor BIGINT NOT NULL,
    currency     TEXT COLLATE "C" NOT NULL,
    import_id    BIGINT NOT NULL REFERENCES imports (id),
    PRIMARY KEY (channel_key, month, kind, description),
    CONSTRAINT cost_item_channel_matches_key CHECK (channel_key = COALESCE(channel, ''))
);

CREATE TABLE accounts (
    key       TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    name      TEXT COLLATE "C" NOT NULL,
    industry  TEXT COLLATE "C",
    size      TEXT COLLATE "C",
    country   TEXT COLLATE "C",
    import_id BIGINT NOT NULL REFERENCES imports (id)
);

CREATE TABLE contacts (
    key                  TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    account              TEXT COLLATE "C",
    name                 TEXT COLLATE "C",
    email                TEXT COLLATE "C",
    job_title            TEXT COLLATE "C",
    created_at           TEXT COLLATE "C",
    self_reported_source TEXT COLLATE "C",
    import_id            BIGINT NOT NULL REFERENCES imports (id)
);

CREATE TABLE deals (
    key                  TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    account              TEXT COLLATE "C",
    name                 TEXT COLLATE "C" NOT NULL,
    amount_minor         BIGINT,
    amount_currency      TEXT COLLATE "C",
    created              TEXT COLLATE "C",
    stage                TEXT COLLATE "C",
    status               TEXT COLLATE "C" NOT NULL,
    closed               TEXT COLLATE "C",
    self_reported_source TEXT COLLATE "C",
    import_id            BIGINT NOT NULL REFERENCES imports (id),
    CONSTRAINT deal_amount_has_currency CHECK ((amount_minor IS NULL) = (amount_currency IS NULL))
);

CREATE TABLE touchpoints (
    key          TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    contact      TEXT COLLATE "C",
    account      TEXT COLLATE "C",
    deal         TEXT COLLATE "C",
    at           TEXT COLLATE "C" NOT NULL,
    channel      TEXT COLLATE "C" NOT NULL REFERENCES channels (key),
    kind         TEXT COLLATE "C" NOT NULL,
    campaign     TEXT COLLATE "C",
    post_ref     TEXT COLLATE "C",
    utm_source   TEXT COLLATE "C",
    utm_medium   TEXT COLLATE "C",
    utm_campaign TEXT COLLATE "C",
    import_id    BIGINT NOT NULL REFERENCES imports (id)
);

CREATE TABLE period_metrics (
    source       TEXT COLLATE "C" NOT NULL,
    dimension    TEXT COLLATE "C" NOT NULL,
    value        TEXT COLLATE "C" NOT NULL,
    period_start TEXT COLLATE "C" NOT NULL,
    period_end   TEXT COLLATE "C" NOT NULL,
    metric       TEXT COLLATE "C" NOT NULL,
    amount       DOUBLE PRECISION NOT NULL,
    import_id    BIGINT NOT NULL REFERENCES imports (id),
    PRIMARY KEY (source, dimension, value, period_start, period_end, metric)
);

CREATE TABLE settings (
    key        TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    value      TEXT COLLATE "C" NOT NULL,
    updated_at TEXT COLLATE "C" NOT NULL
);
