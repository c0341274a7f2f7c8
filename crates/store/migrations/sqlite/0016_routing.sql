-- Routing (crates/routing): agents' presence, skills, queues and the work items the matcher
-- assigns.

-- An agent's presence status and since when; their capacity in units, and when they were last
-- assigned work (longest idle). No row: offline, default capacity.
CREATE TABLE agent_presence (
    user_id INTEGER PRIMARY KEY REFERENCES users(id),
    status TEXT NOT NULL,
    since INTEGER NOT NULL,
    capacity INTEGER NOT NULL,
    last_assigned_at INTEGER
);

CREATE TABLE skills (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    relaxable INTEGER NOT NULL,
    created_at INTEGER NOT NULL
);

-- valid_until is the last day it counts (YYYY-MM-DD), valid_before the first moment it no
-- longer does (the start of the next day, UTC).
CREATE TABLE agent_skills (
    user_id INTEGER NOT NULL REFERENCES users(id),
    skill_id INTEGER NOT NULL REFERENCES skills(id),
    proficiency INTEGER NOT NULL,
    valid_until TEXT,
    valid_before INTEGER,
    PRIMARY KEY (user_id, skill_id)
);

-- channels and team_ids are JSON lists; last_agent_id is where round robin goes on from.
CREATE TABLE queues (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    channels TEXT NOT NULL,
    team_ids TEXT NOT NULL,
    selection TEXT NOT NULL,
    push INTEGER NOT NULL,
    last_agent_id INTEGER,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);

-- One per routed ticket. state: waiting (in a queue, nobody has it), assigned (an agent has it
-- and it counts against their capacity), parked (the ticket is not new or open, or has no
-- queue and no agent). eligible_at stays across requeues; a transfer to another queue resets it.
CREATE TABLE work_items (
    id INTEGER PRIMARY KEY,
    ticket_id INTEGER NOT NULL UNIQUE REFERENCES tickets(id),
    queue_id INTEGER REFERENCES queues(id),
    channel TEXT NOT NULL,
    cost INTEGER NOT NULL,
    priority INTEGER NOT NULL,
    eligible_at INTEGER NOT NULL,
    requirements TEXT NOT NULL,
    state TEXT NOT NULL,
    agent_id INTEGER REFERENCES users(id),
    assigned_at INTEGER,
    updated_at INTEGER NOT NULL
);
CREATE INDEX work_items_waiting ON work_items (state, eligible_at);
CREATE INDEX work_items_agent ON work_items (agent_id, state);
