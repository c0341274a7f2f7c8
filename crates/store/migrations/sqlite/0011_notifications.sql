-- Notifications (crates/notify): what concerns an agent, made once per (event, recipient,
-- kind) by the worker that follows the event log, however many nodes run it.
CREATE TABLE notifications (
    id INTEGER PRIMARY KEY,
    recipient_id INTEGER NOT NULL REFERENCES users(id),
    kind TEXT NOT NULL,
    event_id INTEGER NOT NULL,
    ticket_id INTEGER,
    actor_id INTEGER,
    created_at INTEGER NOT NULL,
    read_at INTEGER,
    UNIQUE (event_id, recipient_id, kind)
);
-- The bell: a recipient's newest first, and their unread count.
CREATE INDEX notifications_recipient ON notifications (recipient_id, id);
CREATE INDEX notifications_unread ON notifications (recipient_id, read_at, id);

-- Which kinds an agent gets and how; no row means the kind's defaults (everything on).
CREATE TABLE notification_preferences (
    user_id INTEGER NOT NULL REFERENCES users(id),
    kind TEXT NOT NULL,
    in_app INTEGER NOT NULL,
    browser INTEGER NOT NULL,
    PRIMARY KEY (user_id, kind)
);
