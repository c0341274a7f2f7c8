-- The email digest (crates/notify): per kind whether an agent also gets it in the digest mail
-- (on for assignments, mentions and requests for help), and when the digest took a
-- notification up (mailed, or passed over: its agent came back after it or wants it on the
-- bell only), so nothing is mailed twice.
ALTER TABLE notification_preferences ADD COLUMN email BIGINT NOT NULL DEFAULT 0;
UPDATE notification_preferences SET email = 1 WHERE kind IN ('assigned', 'mentioned', 'help_requested');
ALTER TABLE notifications ADD COLUMN digested_at BIGINT;
-- What was there before the digest existed is not news: it is marked taken up, so an upgrade
-- mails nobody a pile of old notifications.
UPDATE notifications SET digested_at = created_at;
-- The digest worker's look: unread notifications no digest took up yet, oldest first.
CREATE INDEX notifications_undigested ON notifications (created_at, recipient_id) WHERE digested_at IS NULL AND read_at IS NULL;
