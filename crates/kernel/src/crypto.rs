//! Credentials and digests: Argon2id password hashes, random tokens stored as SHA-256 digests,
//! and comparisons that take the same time wherever two secrets differ.
//!
//! Tokens are 32 random bytes, so a fast digest is enough to make a stolen table useless;
//! passwords are low-entropy and get Argon2id.

use crate::{AppError, AppResult};
use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rand::RngCore;
use sha2::{Digest, Sha256};

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

/// Checks a password off the async threads (see [`hash_password_off_thread`]).
pub async fn verify_password_off_thread(password: String, stored: String) -> bool {
    tokio::task::spawn_blocking(move || verify_password(&password, &stored))
        .await
        .unwrap_or(false)
}

/// Checks a new password's strength: at least 10 characters, at most 1024 bytes.
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

/// `bytes` random bytes as URL-safe base64 text.
pub fn random_text(bytes: usize) -> String {
    let mut buffer = vec![0u8; bytes];
    rand::rng().fill_bytes(&mut buffer);
    URL_SAFE_NO_PAD.encode(buffer)
}

/// A new random token with `prefix` (shown once) and its digest (stored).
pub fn new_token(prefix: &str) -> (String, String) {
    let token = format!("{prefix}{}", random_text(32));
    let digest = token_digest(&token);
    (token, digest)
}

/// The stored form of a token.
pub fn token_digest(token: &str) -> String {
    sha256_hex(token.as_bytes())
}

/// The SHA-256 digest of `bytes`, in lower-case hexadecimal.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
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

/// Compares two secrets in time independent of where they differ.
pub fn constant_time_eq(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn constant_time_comparison() {
        assert!(constant_time_eq("abc", "abc"));
        assert!(!constant_time_eq("abc", "abd"));
        assert!(!constant_time_eq("abc", "abcd"));
        assert!(constant_time_eq("", ""));
    }

    #[test]
    fn tokens_and_passwords() {
        let (token, digest) = new_token("tsk_");
        assert!(token.starts_with("tsk_"));
        assert_eq!(token_digest(&token), digest);
        assert_eq!(hex(&[0, 255]), "00ff");
        let hash = hash_password("a-long-password").unwrap();
        assert!(verify_password("a-long-password", &hash));
        assert!(!verify_password("another-password", &hash));
        assert!(check_password_policy("short").is_err());
    }
}
