-- Sign-in security: attempt counters every node shares (reserved before a password is
-- checked, so parallel guesses cannot pass the limit), a per-user credential epoch that ends
-- every stream of a user at once (raised by a password reset or a deactivation), and an index
-- for listing a user's own API tokens by keyset. Times are microseconds since the Unix epoch.

ALTER TABLE users ADD COLUMN auth_epoch INTEGER NOT NULL DEFAULT 0;

CREATE TABLE signin_limits (
    key TEXT PRIMARY KEY,
    attempts INTEGER NOT NULL,
    last_attempt_at INTEGER NOT NULL,
    next_allowed_at INTEGER NOT NULL
);
CREATE INDEX signin_limits_last ON signin_limits (last_attempt_at);

CREATE INDEX api_tokens_user ON api_tokens (user_id, id);

-- Two-factor sign-in: the TOTP secret sealed with the installation key (set on enrolment,
-- on once confirmed), the last time step a code was accepted for (a code is never taken
-- twice), one-time recovery codes stored as digests, and the stage of a session that still
-- owes its second step (0 signed in, 1 awaits a code, 2 must enrol first).
ALTER TABLE users ADD COLUMN totp_secret TEXT;
ALTER TABLE users ADD COLUMN totp_enabled INTEGER NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN totp_last_step INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sessions ADD COLUMN stage INTEGER NOT NULL DEFAULT 0;

CREATE TABLE recovery_codes (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id),
    code_hash TEXT NOT NULL,
    used_at INTEGER
);
CREATE INDEX recovery_codes_user ON recovery_codes (user_id, code_hash);
