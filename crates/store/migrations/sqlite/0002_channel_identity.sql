-- Channel identity (issue 12). Keep in step with ../postgres/0002_channel_identity.sql.

-- Whether a social channel is a page or a personal profile, where a network has both (a LinkedIn member's profile
-- and the company page they run are different channels). NULL = unknown, or a network with one kind of account.
ALTER TABLE channels ADD COLUMN account TEXT;

-- Channels made before this migration: LinkedIn channels with a page slug came from Company Page exports, and the
-- organic Facebook channels from Page exports.
UPDATE channels SET account = 'page'
WHERE kind = 'organic_social' AND ((network = 'linkedin' AND handle IS NOT NULL) OR network = 'facebook');

-- Handles that name a channel besides its own: `channels merge FROM INTO` records FROM's handle here, so a later
-- export of FROM's account (a new download, another period) lands on INTO. `handle` is lower case without `@`.
CREATE TABLE channel_aliases (
    network   TEXT NOT NULL,
    handle    TEXT NOT NULL,
    channel   TEXT NOT NULL REFERENCES channels (key),
    import_id BIGINT NOT NULL REFERENCES imports (id),
    PRIMARY KEY (network, handle)
);
