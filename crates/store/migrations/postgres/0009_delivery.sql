-- Replies that reach the customer: the default mailbox (the channel of tickets that have no
-- mailbox of their own or of their team; at most one, the oldest at first), and what outgoing
-- mail records of its recipients (Cc and Bcc, never in the headers) and its undo window.
ALTER TABLE mailboxes ADD COLUMN is_default BIGINT NOT NULL DEFAULT 0;
UPDATE mailboxes SET is_default = 1 WHERE id = (SELECT MIN(id) FROM mailboxes);
CREATE UNIQUE INDEX mailboxes_one_default ON mailboxes (is_default) WHERE is_default = 1;

ALTER TABLE email_messages ADD COLUMN cc TEXT NOT NULL DEFAULT '[]';
ALTER TABLE email_messages ADD COLUMN bcc TEXT NOT NULL DEFAULT '[]';
ALTER TABLE email_messages ADD COLUMN undo_until BIGINT;

-- A message's delivery is looked up by its outgoing email (the outbox row's subject): the
-- timeline's states, the undo window, erasure.
CREATE INDEX outbox_subject ON outbox (kind, event_id);
