-- EDI: trading partners (who sends, for which customer, their SKUs mapped to ours), every
-- interchange received kept raw with its state and reason, and the acknowledgements queued
-- for the partner. Orders made from an interchange name it and their channel.

CREATE TABLE edi_partners (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    sender_id TEXT NOT NULL,
    sender_qualifier TEXT NOT NULL,
    customer_id INTEGER NOT NULL REFERENCES customers(id),
    currency TEXT NOT NULL,
    sku_map TEXT NOT NULL,
    created_by INTEGER NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX edi_partners_sender ON edi_partners (sender_id, sender_qualifier);

CREATE TABLE edi_interchanges (
    id INTEGER PRIMARY KEY,
    syntax TEXT NOT NULL,
    source TEXT NOT NULL,
    source_name TEXT,
    partner_id INTEGER REFERENCES edi_partners(id),
    sender_id TEXT NOT NULL,
    sender_qualifier TEXT NOT NULL,
    control TEXT NOT NULL,
    state TEXT NOT NULL,
    reason_code TEXT,
    reason_path TEXT,
    reason TEXT,
    problems TEXT NOT NULL,
    order_ids TEXT NOT NULL,
    raw TEXT NOT NULL,
    received_by INTEGER NOT NULL,
    received_at INTEGER NOT NULL
);
CREATE INDEX edi_interchanges_receiver ON edi_interchanges (received_by, id);

CREATE TABLE edi_outbound (
    id INTEGER PRIMARY KEY,
    interchange_id INTEGER NOT NULL REFERENCES edi_interchanges(id),
    partner_id INTEGER REFERENCES edi_partners(id),
    kind TEXT NOT NULL,
    control TEXT NOT NULL,
    body TEXT NOT NULL,
    state TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    sent_at INTEGER
);
CREATE INDEX edi_outbound_interchange ON edi_outbound (interchange_id, id);
CREATE INDEX edi_outbound_state ON edi_outbound (state, id);

ALTER TABLE orders ADD COLUMN channel TEXT NOT NULL DEFAULT 'desk';
ALTER TABLE orders ADD COLUMN source_interchange_id INTEGER REFERENCES edi_interchanges(id);
ALTER TABLE orders ADD COLUMN source_reference TEXT;
CREATE INDEX orders_interchange ON orders (source_interchange_id);
