-- Typed events: every event records the schema version of its payload. Rows written before
-- carry version 1 and are rewritten to the current version by the application's log upgrade
-- (which drops the copies of personal data version 1 kept).

ALTER TABLE events ADD COLUMN version BIGINT NOT NULL DEFAULT 1;
-- Only old rows are indexed, so new events cost nothing extra to insert.
CREATE INDEX events_old_versions ON events (id) WHERE version = 1;
