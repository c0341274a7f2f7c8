-- Reshaping work: a merged ticket points at the ticket that survived it, a split-off ticket at
-- the ticket its message came from, and a merged duplicate customer at the customer it became.
ALTER TABLE tickets ADD COLUMN merged_into INTEGER REFERENCES tickets(id);
ALTER TABLE tickets ADD COLUMN split_from INTEGER REFERENCES tickets(id);
ALTER TABLE customers ADD COLUMN merged_into INTEGER REFERENCES customers(id);
CREATE INDEX tickets_merged_into ON tickets (merged_into) WHERE merged_into IS NOT NULL;
