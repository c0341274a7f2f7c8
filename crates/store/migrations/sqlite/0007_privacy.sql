-- Customer privacy: whether a ticket discloses its requester's record to those who see the
-- ticket, and the append-only log of who read customer data. Times are microseconds since
-- the Unix epoch.

-- A ticket an agent opened for a customer they could not see (named by email or phone) does
-- not make that customer's record (notes, other identities) visible through it.
ALTER TABLE tickets ADD COLUMN discloses_requester INTEGER NOT NULL DEFAULT 1;

CREATE TABLE access_log (
    id INTEGER PRIMARY KEY,
    at INTEGER NOT NULL,
    actor_id INTEGER NOT NULL,
    action TEXT NOT NULL,
    customer_id INTEGER,
    ticket_id INTEGER,
    client TEXT,
    surface TEXT NOT NULL
);
CREATE INDEX access_log_at ON access_log (at, id);
CREATE INDEX access_log_actor ON access_log (actor_id, id);
CREATE INDEX access_log_customer ON access_log (customer_id, id);
CREATE INDEX access_log_ticket ON access_log (ticket_id, id);

-- Erasure (a customer's, or retention's): when a ticket's conversation or a customer's
-- record was erased. The anonymised rows stay for statistics.
ALTER TABLE tickets ADD COLUMN erased_at INTEGER;
ALTER TABLE customers ADD COLUMN erased_at INTEGER;
-- Retention finds closed tickets not yet erased by the time they were closed.
CREATE INDEX tickets_closed_unerased ON tickets (closed_at, id) WHERE status = 'closed' AND erased_at IS NULL;
