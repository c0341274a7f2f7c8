//! Secrets tiski must use again (IMAP and SMTP passwords) are stored encrypted with
//! XChaCha20-Poly1305 under the installation's key; secrets it only checks (passwords, API
//! tokens) are hashed instead (see `auth`).

use crate::{AppError, AppResult};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use chacha20poly1305::aead::{Aead, KeyInit};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use rand::RngCore;

/// The installation's encryption key. Its `Debug` never shows the key.
#[derive(Clone)]
pub struct SecretKey([u8; 32]);

impl std::fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SecretKey(<redacted>)")
    }
}

impl SecretKey {
    /// A new random key.
    pub fn generate() -> SecretKey {
        let mut key = [0u8; 32];
        rand::rng().fill_bytes(&mut key);
        SecretKey(key)
    }

    /// Reads a key written by [`SecretKey::to_base64`].
    pub fn from_base64(text: &str) -> Result<SecretKey, String> {
        let bytes = STANDARD
            .decode(text.trim())
            .map_err(|_| "the secret key is not base64".to_string())?;
        let key: [u8; 32] = bytes
            .try_into()
            .map_err(|_| "the secret key must be 32 bytes (44 base64 characters)".to_string())?;
        Ok(SecretKey(key))
    }

    /// The key as base64, for the key file.
    pub fn to_base64(&self) -> String {
        STANDARD.encode(self.0)
    }

    /// Encrypts `plain` into `v1:<base64 nonce + ciphertext>`.
    pub fn encrypt(&self, plain: &str) -> AppResult<String> {
        let cipher = XChaCha20Poly1305::new((&self.0).into());
        let mut nonce = [0u8; 24];
        rand::rng().fill_bytes(&mut nonce);
        let sealed = cipher
            .encrypt(XNonce::from_slice(&nonce), plain.as_bytes())
            .map_err(|_| AppError::invalid("password", "The secret could not be encrypted."))?;
        let mut out = nonce.to_vec();
        out.extend_from_slice(&sealed);
        Ok(format!("v1:{}", STANDARD.encode(out)))
    }

    /// The installation's key: `TISKI_SECRET_KEY` when set (give every node of a PostgreSQL
    /// installation the same one), else the file `secret.key` in the data directory, created
    /// on first use and readable by its owner only. Errors name where the key came from.
    pub fn resolve(settings: &crate::Settings) -> Result<SecretKey, String> {
        if let Some(text) = settings.secret_key.expose() {
            return SecretKey::from_base64(text).map_err(|e| format!("TISKI_SECRET_KEY: {e}"));
        }
        let path = settings.data_dir.join("secret.key");
        match std::fs::read_to_string(&path) {
            Ok(text) => {
                SecretKey::from_base64(&text).map_err(|e| format!("{}: {e}", path.display()))
            }
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
                let key = SecretKey::generate();
                tiski_store::create_private_dir_all(&settings.data_dir).map_err(|e| {
                    format!(
                        "--data-dir / TISKI_DATA_DIR: cannot create {}: {e}",
                        settings.data_dir.display()
                    )
                })?;
                write_private(&path, &key.to_base64())
                    .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
                Ok(key)
            }
            Err(error) => Err(format!("cannot read {}: {error}", path.display())),
        }
    }

    /// Decrypts what [`SecretKey::encrypt`] made; fails if the key changed or the text was
    /// altered.
    pub fn decrypt(&self, sealed: &str) -> Result<String, String> {
        let bytes = sealed
            .strip_prefix("v1:")
            .and_then(|b| STANDARD.decode(b).ok())
            .filter(|b| b.len() > 24)
            .ok_or("the stored secret is not in a known format")?;
        let cipher = XChaCha20Poly1305::new((&self.0).into());
        let plain = cipher
            .decrypt(XNonce::from_slice(&bytes[..24]), &bytes[24..])
            .map_err(|_| "the stored secret cannot be decrypted with this installation's key")?;
        String::from_utf8(plain).map_err(|_| "the stored secret is not text".into())
    }
}

/// Writes a file only its owner can read, refusing to replace one.
fn write_private(path: &std::path::Path, text: &str) -> std::io::Result<()> {
    use std::io::Write as _;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path)?.write_all(text.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_tamper() {
        let key = SecretKey::generate();
        let sealed = key.encrypt("hunter2-ääkköset").unwrap();
        assert!(!sealed.contains("hunter2"));
        assert_eq!(key.decrypt(&sealed).unwrap(), "hunter2-ääkköset");
        assert!(SecretKey::generate().decrypt(&sealed).is_err());
        let mut tampered = sealed.clone();
        tampered.pop();
        tampered.push('A');
        assert!(key.decrypt(&tampered).is_err() || tampered == sealed);
        let again = SecretKey::from_base64(&key.to_base64()).unwrap();
        assert_eq!(again.decrypt(&sealed).unwrap(), "hunter2-ääkköset");
        assert!(SecretKey::from_base64("short").is_err());
    }

    #[test]
    fn the_key_file_is_made_once_and_read_again() {
        let dir = tempfile::tempdir().unwrap();
        let settings = crate::Settings {
            data_dir: dir.path().join("data"),
            ..crate::Settings::default()
        };
        let first = SecretKey::resolve(&settings).unwrap();
        let again = SecretKey::resolve(&settings).unwrap();
        assert_eq!(first.to_base64(), again.to_base64());
        let given = crate::Settings {
            secret_key: crate::settings::Secret::new("not base64!"),
            ..settings
        };
        assert!(
            SecretKey::resolve(&given)
                .unwrap_err()
                .starts_with("TISKI_SECRET_KEY")
        );
    }
}
