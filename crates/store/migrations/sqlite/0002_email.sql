-- Email: mailboxes, the email identity of messages (threading, delivery state), attachments
-- and raw messages as content-addressed blobs, CC recipients, quarantine, IMAP positions.

CREATE TABLE mailboxes (
    id INTEGER PRIMARY KEY,
    address TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    team_id INTEGER REFERENCES teams(id),
    signature TEXT NOT NULL DEFAULT '',
    auto_ack INTEGER NOT NULL DEFAULT 1,
    ack_templates TEXT NOT NULL DEFAULT '{}',
    imap TEXT,
    smtp TEXT,
    active INTEGER NOT NULL DEFAULT 1,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);

ALTER TABLE tickets ADD COLUMN mailbox_id INTEGER REFERENCES mailboxes(id);
ALTER TABLE messages ADD COLUMN new_text TEXT;

CREATE TABLE blobs (
    sha256 TEXT PRIMARY KEY,
    size INTEGER NOT NULL,
    bytes BLOB NOT NULL,
    created_at INTEGER NOT NULL
);

CREATE TABLE email_messages (
    id INTEGER PRIMARY KEY,
    mailbox_id INTEGER NOT NULL REFERENCES mailboxes(id),
    direction TEXT NOT NULL,
    rfc_message_id TEXT NOT NULL,
    ticket_id INTEGER REFERENCES tickets(id),
    message_id INTEGER REFERENCES messages(id),
    raw_sha256 TEXT NOT NULL,
    envelope_from TEXT,
    recipients TEXT NOT NULL DEFAULT '[]',
    delivery_status TEXT,
    delivery_detail TEXT,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (mailbox_id, direction, rfc_message_id)
);
CREATE INDEX email_messages_rfc ON email_messages (rfc_message_id);
CREATE INDEX email_messages_ticket ON email_messages (ticket_id, id);
CREATE INDEX email_messages_message ON email_messages (message_id);

CREATE TABLE attachments (
    id INTEGER PRIMARY KEY,
    message_id INTEGER NOT NULL REFERENCES messages(id),
    filename TEXT,
    content_type TEXT NOT NULL,
    content_id TEXT,
    inline INTEGER NOT NULL DEFAULT 0,
    size INTEGER NOT NULL,
    sha256 TEXT NOT NULL REFERENCES blobs(sha256),
    created_at INTEGER NOT NULL
);
CREATE INDEX attachments_message ON attachments (message_id, id);

CREATE TABLE ticket_cc (
    ticket_id INTEGER NOT NULL REFERENCES tickets(id),
    email TEXT NOT NULL,
    name TEXT,
    PRIMARY KEY (ticket_id, email)
);

CREATE TABLE quarantine (
    id INTEGER PRIMARY KEY,
    mailbox_id INTEGER REFERENCES mailboxes(id),
    source TEXT NOT NULL,
    reason TEXT NOT NULL,
    raw_sha256 TEXT NOT NULL REFERENCES blobs(sha256),
    size INTEGER NOT NULL,
    sender TEXT,
    subject TEXT,
    released INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL
);
CREATE INDEX quarantine_recent ON quarantine (released, id);

CREATE TABLE imap_positions (
    mailbox_id INTEGER NOT NULL REFERENCES mailboxes(id),
    folder TEXT NOT NULL,
    uid_validity INTEGER NOT NULL,
    last_uid INTEGER NOT NULL,
    PRIMARY KEY (mailbox_id, folder)
);
