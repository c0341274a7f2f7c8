-- The composer: an agent's unsent reply or note on a ticket, saved on the server as they
-- type (one per agent and ticket; its text is personal data and never goes into events),
-- and files staged for a reply before it is sent (their bytes are blobs; pruned after a
-- day). Times are microseconds since the Unix epoch.

CREATE TABLE drafts (
    ticket_id INTEGER NOT NULL REFERENCES tickets(id),
    user_id INTEGER NOT NULL REFERENCES users(id),
    kind TEXT NOT NULL,
    html TEXT NOT NULL,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (ticket_id, user_id)
);

CREATE TABLE staged_files (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id),
    ticket_id INTEGER NOT NULL REFERENCES tickets(id),
    filename TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size INTEGER NOT NULL,
    sha256 TEXT NOT NULL REFERENCES blobs(sha256),
    created_at INTEGER NOT NULL
);
CREATE INDEX staged_files_owner ON staged_files (user_id, ticket_id, id);
CREATE INDEX staged_files_ticket ON staged_files (ticket_id, id);
CREATE INDEX staged_files_created ON staged_files (created_at, id);
CREATE INDEX staged_files_blob ON staged_files (sha256);
