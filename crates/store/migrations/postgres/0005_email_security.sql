-- Email security: an inbound email that referenced a ticket its sender is not on (neither the
-- requester nor a CC) opens a ticket of its own; the ticket it referenced is kept here so the
-- new ticket links to it.

ALTER TABLE email_messages ADD COLUMN referenced_ticket_id BIGINT REFERENCES tickets(id);
