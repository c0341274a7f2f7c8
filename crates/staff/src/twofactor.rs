//! Two-factor sign-in with TOTP (RFC 6238: 6 digits, 30-second steps, SHA-1, what every
//! authenticator app takes) and one-time recovery codes.
//!
//! The secret is sealed with the installation key; a code is accepted once (the last step
//! taken is stored, and a later code must be of a later step); guesses of codes count against
//! the same growing wait as passwords; recovery codes are stored as digests and each works
//! once. Time is the kernel's clock, so tests compute codes from the fake clock.

use crate::sessions::SessionStage;
use crate::signin::key;
use crate::{SignedIn, Staff, repo};
use tiski_domain::Permission;
use tiski_domain::event::{AgentField, AgentUpdated};
use tiski_kernel::{Actor, AppError, AppResult, ErrorCode, Tx, crypto};
use totp_rs::{Builder, Secret, Totp};

/// The length of one time step, in seconds.
const STEP_SECONDS: i64 = 30;
/// How many recovery codes an enrolment hands out.
const RECOVERY_CODES: usize = 10;

/// What an authenticator app needs to start making codes: shown once, on enrolment.
#[derive(Debug, Clone)]
pub struct Enrolment {
    /// The secret in base32, for typing in.
    pub secret: String,
    /// The `otpauth://totp/…` URL, for the QR code.
    pub otpauth_url: String,
}

fn totp(secret_base32: &str) -> AppResult<Totp> {
    let bytes = Secret::try_from_base32(secret_base32)
        .map_err(|_| AppError::Corrupt("a stored TOTP secret is not base32".into()))?;
    Builder::new()
        .with_secret(bytes)
        .build()
        .map_err(|e| AppError::Corrupt(format!("a stored TOTP secret does not fit: {e}")))
}

/// A code as typed: spaces and dashes dropped, lowercase.
fn normalized(code: &str) -> String {
    code.chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .flat_map(char::to_lowercase)
        .take(64)
        .collect()
}

/// The `otpauth://` URL of a secret, labelled `issuer:account` (RFC 6238 key URI format).
fn otpauth_url(issuer: &str, account: &str, secret: &str) -> String {
    let enc = |s: &str| form_urlencoded::byte_serialize(s.as_bytes()).collect::<String>();
    let label = format!("{issuer}:{account}");
    format!(
        "otpauth://totp/{}?secret={secret}&issuer={}&algorithm=SHA1&digits=6&period={STEP_SECONDS}",
        enc(&label).replace('+', "%20"),
        enc(issuer).replace('+', "%20")
    )
}

/// Ten recovery codes such as `k3x9a-q2m7p`, and their digests.
fn recovery_codes() -> Vec<(String, String)> {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
    (0..RECOVERY_CODES)
        .map(|_| {
            let raw = crypto::random_text(16);
            let chars: String = raw
                .bytes()
                .take(10)
                .map(|b| ALPHABET[usize::from(b) % ALPHABET.len()] as char)
                .collect();
            let shown = format!("{}-{}", &chars[..5], &chars[5..]);
            let digest = crypto::sha256_hex(normalized(&shown).as_bytes());
            (shown, digest)
        })
        .collect()
}

fn changed(tx: &mut Tx<'_, '_>, user_id: i64) -> AppResult<()> {
    tx.emit(
        None,
        AgentUpdated {
            agent_id: user_id,
            changed: vec![AgentField::TwoFactor],
        },
    )
}

fn wrong_code() -> AppError {
    AppError::invalid("code", "The code is not right (or was used already).")
}

impl Staff {
    /// Whether the user has two-factor sign-in on.
    pub async fn two_factor_enabled(&self, user_id: i64) -> AppResult<bool> {
        self.kernel
            .read_internal(move |conn| {
                Ok(repo::twofactor::totp_of(conn, user_id)?.is_some_and(|t| t.enabled))
            })
            .await
    }

    /// Starts an enrolment: a new secret, kept until the first code confirms it. Refused
    /// while two-factor sign-in is on (turn it off first).
    pub async fn start_two_factor(&self, actor: &Actor) -> AppResult<Enrolment> {
        actor.grant(Permission::ProfileChange)?;
        if self.two_factor_enabled(actor.id).await? {
            return Err(AppError::invalid(
                "code",
                "Two-factor sign-in is on already; turn it off first.",
            ));
        }
        let mut bytes = [0u8; 20];
        rand::RngCore::fill_bytes(&mut rand::rng(), &mut bytes);
        let secret = Secret::from(bytes.to_vec()).to_base32();
        let sealed = self.secret_key.encrypt(&secret)?;
        let user_id = actor.id;
        self.kernel
            .housekeeping("two_factor.start", move |tx| {
                repo::twofactor::set_pending_secret(tx.conn(), user_id, &sealed)
            })
            .await?;
        let issuer = self.kernel.settings().two_factor_issuer.clone();
        Ok(Enrolment {
            otpauth_url: otpauth_url(&issuer, &actor.email, &secret),
            secret,
        })
    }

    /// Checks a code of the user's authenticator (or, with `recovery`, one of their recovery
    /// codes) against the limits: whether it is right, and takes it so it works once.
    async fn check_code(&self, user_id: i64, code: &str, recovery: bool) -> AppResult<bool> {
        let limit = self.guess_limit();
        let user = user_id.to_string();
        let counter = key("second-factor", &[&user]);
        if !self.reserve_attempt(vec![(counter.clone(), limit)]).await? {
            return Err(AppError::conflict_without_field(
                ErrorCode::RateLimited,
                "Too many codes tried; wait a moment and try again.",
            ));
        }
        let right = self.code_is_right(user_id, code, recovery).await?;
        if right {
            self.kernel
                .housekeeping("two_factor.clear", move |tx| {
                    repo::signin::clear(tx.conn(), &counter)
                })
                .await?;
        }
        Ok(right)
    }

    /// Whether `code` is right now, taking it (a TOTP step or a recovery code) when it is.
    async fn code_is_right(&self, user_id: i64, code: &str, recovery: bool) -> AppResult<bool> {
        let code = normalized(code);
        let Some(row) = self
            .kernel
            .read_internal(move |conn| repo::twofactor::totp_of(conn, user_id))
            .await?
        else {
            return Ok(false);
        };
        let Some(sealed) = row.sealed else {
            return Ok(false);
        };
        let secret = self
            .secret_key
            .decrypt(&sealed)
            .map_err(AppError::Corrupt)?;
        let totp = totp(&secret)?;
        let now_step = self.kernel.now() / 1_000_000 / STEP_SECONDS;
        if code.len() == 6 && code.bytes().all(|b| b.is_ascii_digit()) {
            let matched = (now_step - 1..=now_step + 1).find(|step| {
                let at = u64::try_from(step * STEP_SECONDS).unwrap_or(0);
                crypto::constant_time_eq(&totp.generate(at).to_string(), &code)
            });
            let Some(step) = matched.filter(|step| *step > row.last_step) else {
                return Ok(false);
            };
            return self
                .kernel
                .housekeeping("two_factor.step", move |tx| {
                    repo::twofactor::take_step(tx.conn(), user_id, step)
                })
                .await;
        }
        if !recovery || !row.enabled {
            return Ok(false);
        }
        let digest = crypto::sha256_hex(code.as_bytes());
        self.kernel
            .housekeeping("two_factor.recovery", move |tx| {
                let now = tx.now();
                repo::twofactor::use_recovery_code(tx.conn(), user_id, &digest, now)
            })
            .await
    }

    /// Confirms an enrolment with a first code: two-factor sign-in is on from now, the
    /// session `session_id` (the one enrolling) counts as signed in, and the recovery codes
    /// are returned, shown only now.
    pub async fn confirm_two_factor(
        &self,
        actor: &Actor,
        session_id: Option<i64>,
        code: &str,
    ) -> AppResult<Vec<String>> {
        let grant = actor.grant(Permission::ProfileChange)?;
        if !self.check_code(actor.id, code, false).await? {
            return Err(wrong_code());
        }
        let codes = recovery_codes();
        let digests: Vec<String> = codes.iter().map(|(_, d)| d.clone()).collect();
        let user_id = actor.id;
        self.kernel
            .command(&grant, "two_factor.confirm", move |tx| {
                repo::twofactor::enable(tx.conn(), user_id)?;
                for digest in &digests {
                    repo::twofactor::insert_recovery_code(tx.conn(), user_id, digest)?;
                }
                if let Some(session_id) = session_id {
                    repo::twofactor::set_stage(tx.conn(), session_id, 0)?;
                }
                changed(tx, user_id)
            })
            .await?;
        Ok(codes.into_iter().map(|(shown, _)| shown).collect())
    }

    /// The second step of signing in: a session that awaits a code becomes signed in with
    /// a right code of the authenticator or an unused recovery code.
    pub async fn complete_sign_in(&self, signed_in: &SignedIn, code: &str) -> AppResult<()> {
        if signed_in.session.stage != SessionStage::AwaitsCode {
            return Err(AppError::invalid("code", "This session needs no code."));
        }
        if !self.check_code(signed_in.actor.id, code, true).await? {
            return Err(wrong_code());
        }
        let session_id = signed_in.session.id;
        self.kernel
            .housekeeping("two_factor.signed_in", move |tx| {
                repo::twofactor::set_stage(tx.conn(), session_id, 0)
            })
            .await
    }

    /// Turns the actor's two-factor sign-in off, with their password and a current code.
    pub async fn disable_two_factor(
        &self,
        actor: &Actor,
        password: &str,
        code: &str,
    ) -> AppResult<()> {
        let grant = actor.grant(Permission::ProfileChange)?;
        if !self.check_own_password(actor, password).await? {
            return Err(AppError::invalid("password", "The password is not right."));
        }
        if !self.check_code(actor.id, code, true).await? {
            return Err(wrong_code());
        }
        let user_id = actor.id;
        self.kernel
            .command(&grant, "two_factor.disable", move |tx| {
                repo::twofactor::clear(tx.conn(), user_id)?;
                changed(tx, user_id)
            })
            .await
    }

    /// Turns a user's two-factor sign-in off (they lost their device). Admins only; the
    /// user enrols again at their next sign-in where their role requires it.
    pub async fn reset_two_factor(&self, actor: &Actor, user_id: i64) -> AppResult<()> {
        let grant = actor.grant(Permission::AgentUpdate)?;
        self.kernel
            .command(&grant, "two_factor.reset", move |tx| {
                if !repo::users::exists(tx.conn(), user_id)? {
                    return Err(AppError::not_found("agent"));
                }
                repo::twofactor::clear(tx.conn(), user_id)?;
                changed(tx, user_id)
            })
            .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_otpauth_url_names_issuer_account_and_secret() {
        let url = otpauth_url("tiski desk", "ann@example.com", "JBSWY3DPEHPK3PXP");
        assert_eq!(
            url,
            "otpauth://totp/tiski%20desk%3Aann%40example.com?secret=JBSWY3DPEHPK3PXP&issuer=tiski%20desk&algorithm=SHA1&digits=6&period=30"
        );
    }

    #[test]
    fn codes_follow_rfc_6238() {
        // RFC 6238 appendix B: the SHA-1 key "12345678901234567890" at T = 59 s gives
        // 94287082 in 8 digits; in 6 digits, 287082.
        let secret = Secret::from(b"12345678901234567890".to_vec()).to_base32();
        assert_eq!(totp(&secret).unwrap().generate(59).to_string(), "287082");
        assert_eq!(
            totp(&secret).unwrap().generate(1_111_111_109).to_string(),
            "081804"
        );
    }

    #[test]
    fn recovery_codes_are_distinct_and_normalise() {
        let codes = recovery_codes();
        assert_eq!(codes.len(), RECOVERY_CODES);
        let mut shown: Vec<&String> = codes.iter().map(|(s, _)| s).collect();
        shown.dedup();
        assert_eq!(shown.len(), RECOVERY_CODES);
        let (code, digest) = &codes[0];
        let typed = format!(" {} ", code.to_uppercase().replace('-', " "));
        assert_eq!(&crypto::sha256_hex(normalized(&typed).as_bytes()), digest);
    }
}
