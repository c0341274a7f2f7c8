-- Business calendars (crates/calendar): a time zone, weekly hours and dated exceptions as
-- JSON (read and written whole), and the one default calendar.
CREATE TABLE calendars (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    time_zone TEXT NOT NULL,
    always_open INTEGER NOT NULL,
    weekly TEXT NOT NULL,
    exceptions TEXT NOT NULL,
    is_default INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
-- At most one default calendar.
CREATE UNIQUE INDEX calendars_default ON calendars (is_default) WHERE is_default = 1;

-- SLA policies (crates/calendar, module sla): ordered by position, each a ticket filter (the
-- saved views' shape) and targets per priority and metric, as JSON read and written whole.
CREATE TABLE sla_policies (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    position INTEGER NOT NULL,
    filter TEXT NOT NULL,
    calendar_id INTEGER REFERENCES calendars(id),
    targets TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX sla_policies_order ON sla_policies (position, id);
