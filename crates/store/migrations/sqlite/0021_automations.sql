-- Automations (crates/automation): triggers fire on an event of a ticket, in order of
-- position, when their conditions hold; conditions and actions are JSON read and written
-- whole. The worker reads the active triggers of one event type through the partial index.
CREATE TABLE triggers (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    position INTEGER NOT NULL,
    active INTEGER NOT NULL,
    event TEXT NOT NULL,
    conditions TEXT NOT NULL,
    actions TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX triggers_order ON triggers (position, id);
CREATE INDEX triggers_active_event ON triggers (event, position, id) WHERE active = 1;

-- Time rules: tickets in a status for some hours since they were made or last changed.
CREATE TABLE time_rules (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    position INTEGER NOT NULL,
    active INTEGER NOT NULL,
    status TEXT NOT NULL,
    since TEXT NOT NULL,
    hours INTEGER NOT NULL,
    conditions TEXT NOT NULL,
    actions TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX time_rules_order ON time_rules (position, id);

-- Each ticket is acted on once per rule and occurrence of the condition (the instant its
-- clock started: when it was made, or last changed).
CREATE TABLE time_rule_runs (
    rule_id INTEGER NOT NULL REFERENCES time_rules(id),
    ticket_id INTEGER NOT NULL REFERENCES tickets(id),
    occurrence INTEGER NOT NULL,
    at INTEGER NOT NULL,
    PRIMARY KEY (rule_id, ticket_id, occurrence)
);

-- The time rules' check reads tickets of a status by creation time, oldest first.
CREATE INDEX tickets_status_created ON tickets (status, created_at, id);
