-- What an import changed, so that a whole import can be undone (issue 16). Keep in step with
-- ../postgres/0010_import_undo.sql.
--
-- Rows an import inserted carry its `import_id` and need nothing more: undoing it deletes them. A row it changed
-- carries its `import_id` too, but undoing must put back the values it had: its before-image, written here by a
-- trigger on every data table whenever an update moves a row from one import to another (the bulk upsert of a
-- whole file, the streamed touchpoints import on either writer, a channel merge). A trigger, so that every
-- writer records it by construction, and inserts cost nothing. `before_import_id` is the import whose version the
-- image is: a later import that changed a row of import N is found by it, and undoing N is then refused until
-- that import is undone. Updates of rows whose import is undone (the undo's own restores) are not recorded.

-- When an import was undone and by whom (NULL: the command line). The row stays, so the history shows it.
ALTER TABLE imports ADD COLUMN undone_at TEXT;
ALTER TABLE imports ADD COLUMN undone_by BIGINT REFERENCES users (id);

CREATE TABLE import_before (
    -- The import that changed the row.
    import_id        BIGINT NOT NULL REFERENCES imports (id),
    table_name       TEXT NOT NULL,
    -- The import the row carried before the change (whose version `before_json` is).
    before_import_id BIGINT NOT NULL,
    -- The row as it was: a JSON object of its columns, `import_id` included. REAL columns as text with 17
    -- significant digits (SQLite's JSON writes 15, which would not give the same double back).
    before_json      TEXT NOT NULL
);
CREATE INDEX import_before_import ON import_before (import_id, table_name);
CREATE INDEX import_before_of ON import_before (before_import_id);

CREATE TRIGGER channels_before_image AFTER UPDATE ON channels
WHEN OLD.import_id IS NOT NEW.import_id AND (SELECT undone_at FROM imports WHERE id = OLD.import_id) IS NULL
BEGIN
    INSERT INTO import_before (import_id, table_name, before_import_id, before_json)
    VALUES (NEW.import_id, 'channels', OLD.import_id, json_object(
            'key', OLD.key,
            'name', OLD.name,
            'kind', OLD.kind,
            'network', OLD.network,
            'handle', OLD.handle,
            'account', OLD.account,
            'import_id', OLD.import_id));
END;

CREATE TRIGGER posts_before_image AFTER UPDATE ON posts
WHEN OLD.import_id IS NOT NEW.import_id AND (SELECT undone_at FROM imports WHERE id = OLD.import_id) IS NULL
BEGIN
    INSERT INTO import_before (import_id, table_name, before_import_id, before_json)
    VALUES (NEW.import_id, 'posts', OLD.import_id, json_object(
            'channel', OLD.channel,
            'external_id', OLD.external_id,
            'published_at', OLD.published_at,
            'post_type', OLD.post_type,
            'text', OLD.text,
            'url', OLD.url,
            'author', OLD.author,
            'campaign', OLD.campaign,
            'idea', OLD.idea,
            'import_id', OLD.import_id));
END;

CREATE TRIGGER post_metrics_before_image AFTER UPDATE ON post_metrics
WHEN OLD.import_id IS NOT NEW.import_id AND (SELECT undone_at FROM imports WHERE id = OLD.import_id) IS NULL
BEGIN
    INSERT INTO import_before (import_id, table_name, before_import_id, before_json)
    VALUES (NEW.import_id, 'post_metrics', OLD.import_id, json_object(
            'channel', OLD.channel,
            'post_id', OLD.post_id,
            'date', OLD.date,
            'period', OLD.period,
            'impressions', OLD.impressions,
            'reach', OLD.reach,
            'reactions', OLD.reactions,
            'comments', OLD.comments,
            'shares', OLD.shares,
            'clicks', OLD.clicks,
            'saves', OLD.saves,
            'video_views', OLD.video_views,
            'follows', OLD.follows,
            'engagements', OLD.engagements,
            'watch_seconds', OLD.watch_seconds,
            'reported_engagement_rate', CASE WHEN OLD.reported_engagement_rate IS NULL THEN NULL ELSE printf('%!.17g', OLD.reported_engagement_rate) END,
            'import_id', OLD.import_id));
END;

CREATE TRIGGER channel_days_before_image AFTER UPDATE ON channel_days
WHEN OLD.import_id IS NOT NEW.import_id AND (SELECT undone_at FROM imports WHERE id = OLD.import_id) IS NULL
BEGIN
    INSERT INTO import_before (import_id, table_name, before_import_id, before_json)
    VALUES (NEW.import_id, 'channel_days', OLD.import_id, json_object(
            'channel', OLD.channel,
            'date', OLD.date,
            'followers', OLD.followers,
            'new_followers', OLD.new_followers,
            'lost_followers', OLD.lost_followers,
            'impressions', OLD.impressions,
            'engagements', OLD.engagements,
            'page_views', OLD.page_views,
            'unique_visitors', OLD.unique_visitors,
            'profile_visits', OLD.profile_visits,
            'video_views', OLD.video_views,
            'posts_published', OLD.posts_published,
            'reported_engagement_rate', CASE WHEN OLD.reported_engagement_rate IS NULL THEN NULL ELSE printf('%!.17g', OLD.reported_engagement_rate) END,
            'import_id', OLD.import_id));
END;

CREATE TRIGGER audience_before_image AFTER UPDATE ON audience
WHEN OLD.import_id IS NOT NEW.import_id AND (SELECT undone_at FROM imports WHERE id = OLD.import_id) IS NULL
BEGIN
    INSERT INTO import_before (import_id, table_name, before_import_id, before_json)
    VALUES (NEW.import_id, 'audience', OLD.import_id, json_object(
            'channel', OLD.channel,
            'date', OLD.date,
            'audience', OLD.audience,
            'dimension', OLD.dimension,
            'value', OLD.value,
            'count', OLD.count,
            'import_id', OLD.import_id));
END;

CREATE TRIGGER activities_before_image AFTER UPDATE ON activities
WHEN OLD.import_id IS NOT NEW.import_id AND (SELECT undone_at FROM imports WHERE id = OLD.import_id) IS NULL
BEGIN
    INSERT INTO import_before (import_id, table_name, before_import_id, before_json)
    VALUES (NEW.import_id, 'activities', OLD.import_id, json_object(
            'key', OLD.key,
            'kind', OLD.kind,
            'name', OLD.name,
            'channel', OLD.channel,
            'campaign', OLD.campaign,
            'start_date', OLD.start_date,
            'end_date', OLD.end_date,
            'spend_minor', OLD.spend_minor,
            'spend_currency', OLD.spend_currency,
            'volume', OLD.volume,
            'reach', OLD.reach,
            'clicks', OLD.clicks,
            'import_id', OLD.import_id));
END;

CREATE TRIGGER people_before_image AFTER UPDATE ON people
WHEN OLD.import_id IS NOT NEW.import_id AND (SELECT undone_at FROM imports WHERE id = OLD.import_id) IS NULL
BEGIN
    INSERT INTO import_before (import_id, table_name, before_import_id, before_json)
    VALUES (NEW.import_id, 'people', OLD.import_id, json_object(
            'key', OLD.key,
            'name', OLD.name,
            'team', OLD.team,
            'hourly_cost_minor', OLD.hourly_cost_minor,
            'hourly_cost_currency', OLD.hourly_cost_currency,
            'import_id', OLD.import_id));
END;

CREATE TRIGGER time_entries_before_image AFTER UPDATE ON time_entries
WHEN OLD.import_id IS NOT NEW.import_id AND (SELECT undone_at FROM imports WHERE id = OLD.import_id) IS NULL
BEGIN
    INSERT INTO import_before (import_id, table_name, before_import_id, before_json)
    VALUES (NEW.import_id, 'time_entries', OLD.import_id, json_object(
            'key', OLD.key,
            'person', OLD.person,
            'date', OLD.date,
            'minutes', OLD.minutes,
            'channel', OLD.channel,
            'task', OLD.task,
            'note', OLD.note,
            'import_id', OLD.import_id));
END;

CREATE TRIGGER cost_items_before_image AFTER UPDATE ON cost_items
WHEN OLD.import_id IS NOT NEW.import_id AND (SELECT undone_at FROM imports WHERE id = OLD.import_id) IS NULL
BEGIN
    INSERT INTO import_before (import_id, table_name, before_import_id, before_json)
    VALUES (NEW.import_id, 'cost_items', OLD.import_id, json_object(
            'channel_key', OLD.channel_key,
            'month', OLD.month,
            'kind', OLD.kind,
            'description', OLD.description,
            'channel', OLD.channel,
            'amount_minor', OLD.amount_minor,
            'currency', OLD.currency,
            'import_id', OLD.import_id));
END;

CREATE TRIGGER accounts_before_image AFTER UPDATE ON accounts
WHEN OLD.import_id IS NOT NEW.import_id AND (SELECT undone_at FROM imports WHERE id = OLD.import_id) IS NULL
BEGIN
    INSERT INTO import_before (import_id, table_name, before_import_id, before_json)
    VALUES (NEW.import_id, 'accounts', OLD.import_id, json_object(
            'key', OLD.key,
            'name', OLD.name,
            'industry', OLD.industry,
            'size', OLD.size,
            'country', OLD.country,
            'import_id', OLD.import_id));
END;

CREATE TRIGGER contacts_before_image AFTER UPDATE ON contacts
WHEN OLD.import_id IS NOT NEW.import_id AND (SELECT undone_at FROM imports WHERE id = OLD.import_id) IS NULL
BEGIN
    INSERT INTO import_before (import_id, table_name, before_import_id, before_json)
    VALUES (NEW.import_id, 'contacts', OLD.import_id, json_object(
            'key', OLD.key,
            'account', OLD.account,
            'name', OLD.name,
            'email', OLD.email,
            'job_title', OLD.job_title,
            'created_at', OLD.created_at,
            'self_reported_source', OLD.self_reported_source,
            'import_id', OLD.import_id));
END;

CREATE TRIGGER deals_before_image AFTER UPDATE ON deals
WHEN OLD.import_id IS NOT NEW.import_id AND (SELECT undone_at FROM imports WHERE id = OLD.import_id) IS NULL
BEGIN
    INSERT INTO import_before (import_id, table_name, before_import_id, before_json)
    VALUES (NEW.import_id, 'deals', OLD.import_id, json_object(
            'key', OLD.key,
            'account', OLD.account,
            'name', OLD.name,
            'amount_minor', OLD.amount_minor,
            'amount_currency', OLD.amount_currency,
            'created', OLD.created,
            'stage', OLD.stage,
            'status', OLD.status,
            'closed', OLD.closed,
            'self_reported_source', OLD.self_reported_source,
            'import_id', OLD.import_id));
END;

CREATE TRIGGER touchpoints_before_image AFTER UPDATE ON touchpoints
WHEN OLD.import_id IS NOT NEW.import_id AND (SELECT undone_at FROM imports WHERE id = OLD.import_id) IS NULL
BEGIN
    INSERT INTO import_before (import_id, table_name, before_import_id, before_json)
    VALUES (NEW.import_id, 'touchpoints', OLD.import_id, json_object(
            'key', OLD.key,
            'contact', OLD.contact,
            'account', OLD.account,
            'deal', OLD.deal,
            'at', OLD.at,
            'channel', OLD.channel,
            'kind', OLD.kind,
            'campaign', OLD.campaign,
            'post_ref', OLD.post_ref,
            'utm_source', OLD.utm_source,
            'utm_medium', OLD.utm_medium,
            'utm_campaign', OLD.utm_campaign,
            'import_id', OLD.import_id));
END;

CREATE TRIGGER period_metrics_before_image AFTER UPDATE ON period_metrics
WHEN OLD.import_id IS NOT NEW.import_id AND (SELECT undone_at FROM imports WHERE id = OLD.import_id) IS NULL
BEGIN
    INSERT INTO import_before (import_id, table_name, before_import_id, before_json)
    VALUES (NEW.import_id, 'period_metrics', OLD.import_id, json_object(
            'source', OLD.source,
            'dimension', OLD.dimension,
            'value', OLD.value,
            'period_start', OLD.period_start,
            'period_end', OLD.period_end,
            'metric', OLD.metric,
            'amount', CASE WHEN OLD.amount IS NULL THEN NULL ELSE printf('%!.17g', OLD.amount) END,
            'import_id', OLD.import_id));
END;

CREATE TRIGGER conversations_before_image AFTER UPDATE ON conversations
WHEN OLD.import_id IS NOT NEW.import_id AND (SELECT undone_at FROM imports WHERE id = OLD.import_id) IS NULL
BEGIN
    INSERT INTO import_before (import_id, table_name, before_import_id, before_json)
    VALUES (NEW.import_id, 'conversations', OLD.import_id, json_object(
            'channel', OLD.channel,
            'key', OLD.key,
            'kind', OLD.kind,
            'received_at', OLD.received_at,
            'first_response_at', OLD.first_response_at,
            'assignee', OLD.assignee,
            'import_id', OLD.import_id));
END;
