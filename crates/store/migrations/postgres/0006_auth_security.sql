-- Sign-in security: attempt counters every node shares (reserved before a password is
-- checked, so parallel guesses cannot pass the limit), a per-user credential epoch that ends
-- every stream of a user at once (raised by a password reset or a deactivation), and an index
-- for listing a user's own API tokens by keyset. Times are microseconds since the Unix epoch.

ALTER TABLE users ADD COLUMN auth_epoch BIGINT NOT NULL DEFAULT 0;

CREATE TABLE signin_limits (
    key TEXT PRIMARY KEY,
    attempts BIGINT NOT NULL,
    last_attempt_at BIGINT NOT NULL,
    next_allowed_at BIGINT NOT NULL
);
CREATE INDEX signin_limits_last ON signin_limits (last_attempt_at);

CREATE INDEX api_tokens_user ON api_tokens (user_id, id);
