//! SQL of two-factor sign-in: the sealed TOTP secret and its last accepted step on `users`,
//! recovery codes, and the stage of a session.

use tiski_kernel::AppResult;
use tiski_store::{Conn, params};

/// A user's TOTP state: the sealed secret, whether it is on, the last step taken.
pub(crate) struct TotpRow {
    pub sealed: Option<String>,
    pub enabled: bool,
    pub last_step: i64,
}

pub(crate) fn totp_of(conn: &mut dyn Conn, user_id: i64) -> AppResult<Option<TotpRow>> {
    conn.query_opt(
        "SELECT totp_secret, totp_enabled, totp_last_step FROM users WHERE id = $1 AND active = 1",
        params![user_id],
    )?
    .map(|row| {
        Ok(TotpRow {
            sealed: row.get(0)?,
            enabled: row.get(1)?,
            last_step: row.get(2)?,
        })
    })
    .transpose()
}

/// Stores a new (not yet confirmed) secret.
pub(crate) fn set_pending_secret(conn: &mut dyn Conn, user_id: i64, sealed: &str) -> AppResult<()> {
    conn.execute(
        "UPDATE users SET totp_secret = $1, totp_enabled = 0, totp_last_step = 0 WHERE id = $2",
        params![sealed, user_id],
    )?;
    Ok(())
}

/// Turns the stored secret on.
pub(crate) fn enable(conn: &mut dyn Conn, user_id: i64) -> AppResult<()> {
    conn.execute(
        "UPDATE users SET totp_enabled = 1 WHERE id = $1",
        params![user_id],
    )?;
    Ok(())
}

/// Takes time step `step` for the user unless one as late was taken: whether it was taken
/// now (a code is accepted once, even by two requests at once).
pub(crate) fn take_step(conn: &mut dyn Conn, user_id: i64, step: i64) -> AppResult<bool> {
    Ok(conn.execute(
        "UPDATE users SET totp_last_step = $1 WHERE id = $2 AND totp_last_step < $1",
        params![step, user_id],
    )? == 1)
}

/// Turns two-factor sign-in off and forgets the secret and the recovery codes.
pub(crate) fn clear(conn: &mut dyn Conn, user_id: i64) -> AppResult<()> {
    conn.execute(
        "UPDATE users SET totp_secret = NULL, totp_enabled = 0, totp_last_step = 0 WHERE id = $1",
        params![user_id],
    )?;
    conn.execute(
        "DELETE FROM recovery_codes WHERE user_id = $1",
        params![user_id],
    )?;
    Ok(())
}

pub(crate) fn insert_recovery_code(
    conn: &mut dyn Conn,
    user_id: i64,
    digest: &str,
) -> AppResult<()> {
    conn.execute(
        "INSERT INTO recovery_codes (user_id, code_hash) VALUES ($1, $2)",
        params![user_id, digest],
    )?;
    Ok(())
}

/// Uses an unused recovery code: whether there was one.
pub(crate) fn use_recovery_code(
    conn: &mut dyn Conn,
    user_id: i64,
    digest: &str,
    now: i64,
) -> AppResult<bool> {
    Ok(conn.execute(
        "UPDATE recovery_codes SET used_at = $1 WHERE user_id = $2 AND code_hash = $3 AND used_at IS NULL",
        params![now, user_id, digest],
    )? == 1)
}

/// Sets a session's stage (0: signed in).
pub(crate) fn set_stage(conn: &mut dyn Conn, session_id: i64, stage: i64) -> AppResult<()> {
    conn.execute(
        "UPDATE sessions SET stage = $1 WHERE id = $2",
        params![stage, session_id],
    )?;
    Ok(())
}
