-- Channel identity (issue 12): whether a social channel is a page or a personal profile, where a network has both
-- (a LinkedIn member's profile and the company page they run are different channels). NULL = unknown or a network
-- with one kind of account. Keep in step with ../sqlite/0002_channel_account.sql.
ALTER TABLE channels ADD COLUMN account TEXT COLLATE "C";

-- Channels made before this migration: LinkedIn channels with a page slug came from Company Page exports, and the
-- organic Facebook channels from Page exports.
UPDATE channels SET account = 'page'
WHERE kind = 'organic_social' AND ((network = 'linkedin' AND handle IS NOT NULL) OR network = 'facebook');
