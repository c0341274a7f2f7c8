-- Routing, second slice (crates/routing): offers and their timeouts, agents who did not
-- answer one, overflow steps, and the requeue of an offline owner's work.

-- offer_timeouts: JSON object channel -> seconds an offer waits for an answer (absent: the
-- channel's default; 0: auto-accept). overflow: JSON list of ordered steps. requeue_offline:
-- whether a customer's reply on work whose owner is offline puts it back in the queue.
ALTER TABLE queues ADD COLUMN offer_timeouts TEXT NOT NULL DEFAULT '{}';
ALTER TABLE queues ADD COLUMN overflow TEXT NOT NULL DEFAULT '[]';
ALTER TABLE queues ADD COLUMN requeue_offline BIGINT NOT NULL DEFAULT 1;

-- An offered item (state 'offered') has its agent, when it was offered and when the offer
-- lapses; it holds the agent's capacity meanwhile.
ALTER TABLE work_items ADD COLUMN offered_at BIGINT;
ALTER TABLE work_items ADD COLUMN offer_expires_at BIGINT;
CREATE INDEX work_items_offers ON work_items (state, offer_expires_at);

-- Since when the agent has not answered an offer (null: responding); nothing is pushed to
-- them until they or a supervisor clear it.
ALTER TABLE agent_presence ADD COLUMN not_responding_since BIGINT;
