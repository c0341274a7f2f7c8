//! Credentials: Argon2id password hashes and API tokens stored as SHA-256 digests.
//!
//! Tokens are 32 random bytes, so a fast digest is enough to make a stolen table useless;
//! passwords are low-entropy and get Argon2id.

use crate::{Actor, AppError, AppResult};
use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rand::RngCore;
use sha2::{Digest, Sha256};
use tiski_domain::Role;
use tiski_store::{Conn, params};

/// The prefix every tiski API token carries, so leaked tokens are recognisable.
pub const TOKEN_PREFIX: &str = "tsk_";

/// Hashes a password with Argon2id and a random salt, as a PHC string.
pub fn hash_password(password: &str) -> AppResult<String> {
    let mut salt = [0u8; 16];
    rand::rng().fill_bytes(&mut salt);
    let salt = SaltString::encode_b64(&salt)
        .map_err(|error| AppError::invalid("password", error.to_string()))?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(|error| AppError::invalid("password", error.to_string()))
}

/// Hashes a password on a blocking thread: Argon2id takes tens of milliseconds of CPU, which
/// must not stall the async workers.
pub async fn hash_password_off_thread(password: String) -> AppResult<String> {
    tokio::task::spawn_blocking(move || hash_password(&password))
        .await
        .map_err(|error| AppError::Store(tiski_store::StoreError::Panicked(error.to_string())))?
}

/// Checks a password against a stored PHC string.
pub fn verify_password(password: &str, stored: &str) -> bool {
    PasswordHash::new(stored)
        .map(|hash| {
            Argon2::default()
                .verify_password(password.as_bytes(), &hash)
                .is_ok()
        })
        .unwrap_or(false)
}

/// Checks a new password's strength: at least 10 characters.
pub fn check_password_policy(password: &str) -> AppResult<()> {
    if password.chars().count() < 10 {
        return Err(AppError::invalid(
            "password",
            "The password must have at least 10 characters.",
        ));
    }
    if password.len() > 1024 {
        return Err(AppError::invalid(
            "password",
            "The password must have at most 1024 bytes.",
        ));
    }
    Ok(())
}

/// A new random API token (shown once) and its digest (stored).
pub fn new_token() -> (String, String) {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    let token = format!("{TOKEN_PREFIX}{}", URL_SAFE_NO_PAD.encode(bytes));
    let digest = token_digest(&token);
    (token, digest)
}

/// The stored form of a token.
pub fn token_digest(token: &str) -> String {
    hex(&Sha256::digest(token.as_bytes()))
}

/// Lower-case hexadecimal.
pub fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    bytes
        .iter()
        .fold(String::with_capacity(bytes.len() * 2), |mut out, b| {
            let _ = write!(out, "{b:02x}");
            out
        })
}

/// Loads an active user as an actor, with their teams.
pub(crate) fn load_actor(conn: &mut dyn Conn, user_id: i64) -> AppResult<Option<Actor>> {
    let Some(row) = conn.query_opt(
        "SELECT id, name, email, role FROM users WHERE id = $1 AND active = 1",
        params![user_id],
    )?
    else {
        return Ok(None);
    };
    let team_ids = conn
        .query(
            "SELECT team_id FROM team_members WHERE user_id = $1 ORDER BY team_id",
            params![user_id],
        )?
        .iter()
        .map(|r| r.get(0))
        .collect::<Result<Vec<i64>, _>>()?;
    let role: String = row.get(3)?;
    Ok(Some(Actor {
        id: row.get(0)?,
        name: row.get(1)?,
        email: row.get(2)?,
        role: Role::parse(&role).unwrap_or(Role::Agent),
        team_ids,
    }))
}
