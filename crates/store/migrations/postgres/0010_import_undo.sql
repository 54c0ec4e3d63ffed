-- What an import changed, so that a whole import can be undone (issue 16). Keep in step with
-- ../sqlite/0010_import_undo.sql.
--
-- Rows an import inserted carry its `import_id` and need nothing more: undoing it deletes them. A row it changed
-- carries its `import_id` too, but undoing must put back the values it had: its before-image, written here by a
-- trigger on every data table whenever an update moves a row from one import to another (the bulk upsert of a
-- whole file, the streamed touchpoints import on either writer, a channel merge). A trigger, so that every
-- writer records it by construction, and inserts cost nothing. `before_import_id` is the import whose version the
-- image is: a later import that changed a row of import N is found by it, and undoing N is then refused until
-- that import is undone. Updates of rows whose import is undone (the undo's own restores) are not recorded.

-- When an import was undone and by whom (NULL: the command line). The row stays, so the history shows it.
ALTER TABLE imports ADD COLUMN undone_at TEXT COLLATE "C";
ALTER TABLE imports ADD COLUMN undone_by BIGINT REFERENCES users (id);

CREATE TABLE import_before (
    -- The import that changed the row.
    import_id        BIGINT NOT NULL REFERENCES imports (id),
    table_name       TEXT COLLATE "C" NOT NULL,
    -- The import the row carried before the change (whose version `before_json` is).
    before_import_id BIGINT NOT NULL,
    -- The row as it was: `to_jsonb` of the old row, `import_id` included.
    before_json      TEXT COLLATE "C" NOT NULL
);
CREATE INDEX import_before_import ON import_before (import_id, table_name);
CREATE INDEX import_before_of ON import_before (before_import_id);

CREATE FUNCTION import_before_image() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF (SELECT undone_at FROM imports WHERE id = OLD.import_id) IS NULL THEN
        INSERT INTO import_before (import_id, table_name, before_import_id, before_json)
        VALUES (NEW.import_id, TG_TABLE_NAME, OLD.import_id, to_jsonb(OLD)::text);
    END IF;
    RETURN NULL;
END;
$$;

CREATE TRIGGER channels_before_image AFTER UPDATE ON channels
FOR EACH ROW WHEN (OLD.import_id IS DISTINCT FROM NEW.import_id) EXECUTE FUNCTION import_before_image();

CREATE TRIGGER posts_before_image AFTER UPDATE ON posts
FOR EACH ROW WHEN (OLD.import_id IS DISTINCT FROM NEW.import_id) EXECUTE FUNCTION import_before_image();

CREATE TRIGGER post_metrics_before_image AFTER UPDATE ON post_metrics
FOR EACH ROW WHEN (OLD.import_id IS DISTINCT FROM NEW.import_id) EXECUTE FUNCTION import_before_image();

CREATE TRIGGER channel_days_before_image AFTER UPDATE ON channel_days
FOR EACH ROW WHEN (OLD.import_id IS DISTINCT FROM NEW.import_id) EXECUTE FUNCTION import_before_image();

CREATE TRIGGER audience_before_image AFTER UPDATE ON audience
FOR EACH ROW WHEN (OLD.import_id IS DISTINCT FROM NEW.import_id) EXECUTE FUNCTION import_before_image();

CREATE TRIGGER activities_before_image AFTER UPDATE ON activities
FOR EACH ROW WHEN (OLD.import_id IS DISTINCT FROM NEW.import_id) EXECUTE FUNCTION import_before_image();

CREATE TRIGGER people_before_image AFTER UPDATE ON people
FOR EACH ROW WHEN (OLD.import_id IS DISTINCT FROM NEW.import_id) EXECUTE FUNCTION import_before_image();

CREATE TRIGGER time_entries_before_image AFTER UPDATE ON time_entries
FOR EACH ROW WHEN (OLD.import_id IS DISTINCT FROM NEW.import_id) EXECUTE FUNCTION import_before_image();

CREATE TRIGGER cost_items_before_image AFTER UPDATE ON cost_items
FOR EACH ROW WHEN (OLD.import_id IS DISTINCT FROM NEW.import_id) EXECUTE FUNCTION import_before_image();

CREATE TRIGGER accounts_before_image AFTER UPDATE ON accounts
FOR EACH ROW WHEN (OLD.import_id IS DISTINCT FROM NEW.import_id) EXECUTE FUNCTION import_before_image();

CREATE TRIGGER contacts_before_image AFTER UPDATE ON contacts
FOR EACH ROW WHEN (OLD.import_id IS DISTINCT FROM NEW.import_id) EXECUTE FUNCTION import_before_image();

CREATE TRIGGER deals_before_image AFTER UPDATE ON deals
FOR EACH ROW WHEN (OLD.import_id IS DISTINCT FROM NEW.import_id) EXECUTE FUNCTION import_before_image();

CREATE TRIGGER touchpoints_before_image AFTER UPDATE ON touchpoints
FOR EACH ROW WHEN (OLD.import_id IS DISTINCT FROM NEW.import_id) EXECUTE FUNCTION import_before_image();

CREATE TRIGGER period_metrics_before_image AFTER UPDATE ON period_metrics
FOR EACH ROW WHEN (OLD.import_id IS DISTINCT FROM NEW.import_id) EXECUTE FUNCTION import_before_image();

CREATE TRIGGER conversations_before_image AFTER UPDATE ON conversations
FOR EACH ROW WHEN (OLD.import_id IS DISTINCT FROM NEW.import_id) EXECUTE FUNCTION import_before_image();
