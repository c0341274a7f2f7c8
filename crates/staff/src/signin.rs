//! Signing in with an email and password, against guessing: every attempt is reserved in the
//! store before a password is checked (so parallel guesses cannot pass the limit, and every
//! node counts the same), an unknown email costs the same Argon2 work as a known one, and the
//! limits slow down the guessing client (per email and client, and per client) with a growing
//! wait instead of locking the owner out from everywhere.

use crate::{Staff, repo};
use repo::signin::Counter;
use std::sync::atomic::Ordering;
use tiski_kernel::{Actor, AppError, AppResult, ErrorCode, crypto, time};

/// The limits of one kind of key, in microseconds.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Limit {
    /// Attempts before the wait starts.
    free: i64,
    /// The first wait; each further attempt doubles it.
    backoff: i64,
    /// How long attempts are remembered after the last, and the longest wait.
    window: i64,
}

/// Reserves one attempt on `counter` at `now`: the counter after it, or `None` while the
/// wait is on. Pure, so the rule is tested without a store.
fn reserve(counter: Counter, limit: Limit, now: i64) -> Option<Counter> {
    let mut counter = if now - counter.last_attempt_at > limit.window {
        Counter {
            attempts: 0,
            last_attempt_at: now,
            next_allowed_at: 0,
        }
    } else {
        counter
    };
    if counter.attempts >= limit.free && now < counter.next_allowed_at {
        return None;
    }
    counter.attempts += 1;
    counter.last_attempt_at = now;
    if counter.attempts >= limit.free {
        let doublings = u32::try_from((counter.attempts - limit.free).min(30)).unwrap_or(30);
        let wait = limit
            .backoff
            .saturating_mul(1_i64 << doublings)
            .min(limit.window);
        counter.next_allowed_at = now + wait;
    }
    Some(counter)
}

/// The store key of a limit: a digest, so the table holds no email or address.
pub(crate) fn key(kind: &str, parts: &[&str]) -> String {
    crypto::sha256_hex(format!("{kind}\n{}", parts.join("\n")).as_bytes())
}

/// A hash of a password nobody has, verified for unknown emails so they cost the same work.
fn dummy_hash() -> &'static str {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DUMMY.get_or_init(|| {
        crypto::hash_password(&crypto::random_text(24)).unwrap_or_else(|_| {
            "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$0000000000000000000000000000000000000000000".into()
        })
    })
}

impl Staff {
    /// Signs in with an email and password from `client` (the address the web layer
    /// believes): reserves the attempt, then checks the password. Too many attempts answer
    /// `rate_limited` without checking anything.
    pub async fn sign_in(&self, email: &str, password: &str, client: &str) -> AppResult<Actor> {
        let email = email.trim().to_lowercase();
        let settings = self.kernel.settings();
        let window = time::micros(settings.signin_window);
        let backoff = time::micros(settings.signin_backoff);
        let pair = (
            key("email-client", &[&email, client]),
            Limit {
                free: i64::try_from(settings.signin_failures_per_email).unwrap_or(i64::MAX),
                backoff,
                window,
            },
        );
        let per_client = (
            key("client", &[client]),
            Limit {
                free: i64::try_from(settings.signin_attempts_per_address).unwrap_or(i64::MAX),
                backoff,
                window,
            },
        );
        let allowed = self.reserve_attempt(vec![pair, per_client]).await?;
        if !allowed {
            return Err(AppError::conflict_without_field(
                ErrorCode::RateLimited,
                "Too many sign-in attempts; wait a moment and try again.",
            ));
        }
        let actor = self.authenticate_password(&email, password).await?;
        // The owner got in: their email's counter from this client is forgotten, and the
        // client's counts failures only (an office behind one address is never slowed down
        // by its own successful sign-ins).
        let pair_key = key("email-client", &[&email, client]);
        let client_key = key("client", &[client]);
        self.kernel
            .housekeeping("signin.clear", move |tx| {
                repo::signin::clear(tx.conn(), &pair_key)?;
                repo::signin::refund(tx.conn(), &client_key)
            })
            .await?;
        Ok(actor)
    }

    /// Reserves one attempt under every key (in one transaction, each counter locked), or
    /// none when one of them is waiting: whether the attempt may go ahead.
    pub(crate) async fn reserve_attempt(&self, keys: Vec<(String, Limit)>) -> AppResult<bool> {
        let window = keys.iter().map(|(_, l)| l.window).max().unwrap_or(0);
        self.kernel
            .housekeeping("signin.reserve", move |tx| {
                let now = tx.now();
                repo::signin::prune(tx.conn(), now - window, now)?;
                let mut reserved = Vec::new();
                for (key, limit) in &keys {
                    let counter = repo::signin::lock(tx.conn(), key, now)?;
                    match reserve(counter, *limit, now) {
                        Some(counter) => reserved.push((key.clone(), counter)),
                        None => return Ok(false),
                    }
                }
                for (key, counter) in &reserved {
                    repo::signin::save(tx.conn(), key, counter)?;
                }
                Ok(true)
            })
            .await
    }

    /// The limit on guesses of one email from one client (and of second-factor codes).
    pub(crate) fn guess_limit(&self) -> Limit {
        let settings = self.kernel.settings();
        Limit {
            free: i64::try_from(settings.signin_failures_per_email).unwrap_or(i64::MAX),
            backoff: time::micros(settings.signin_backoff),
            window: time::micros(settings.signin_window),
        }
    }

    /// Finds the active user with this email and password, without limits (the command line
    /// and [`Staff::sign_in`] use it). An unknown email, an inactive user or one without a
    /// password verifies a dummy hash, so every answer costs one Argon2 verification.
    pub async fn authenticate_password(&self, email: &str, password: &str) -> AppResult<Actor> {
        let email = email.trim().to_lowercase();
        let unauthorized = || AppError::Unauthorized("The email or password is not right.".into());
        let found = self
            .kernel
            .read_internal(move |conn| repo::users::password_of_email(conn, &email))
            .await?;
        let (id, hash) = match found {
            Some((id, Some(hash))) => (Some(id), hash),
            _ => {
                self.cache.dummy_checks.fetch_add(1, Ordering::SeqCst);
                (None, dummy_hash().to_string())
            }
        };
        self.cache.password_checks.fetch_add(1, Ordering::SeqCst);
        let verified = crypto::verify_password_off_thread(password.to_string(), hash).await;
        let Some(id) = id.filter(|_| verified) else {
            return Err(unauthorized());
        };
        self.kernel
            .read_internal(move |conn| repo::users::actor(conn, id))
            .await?
            .ok_or_else(unauthorized)
    }

    /// Checks a signed-in user's own password (to change it, or to turn two-factor sign-in
    /// off) under the same growing wait as signing in, so a stolen session cannot guess it.
    pub(crate) async fn check_own_password(
        &self,
        actor: &Actor,
        password: &str,
    ) -> AppResult<bool> {
        let counter = key("own-password", &[&actor.id.to_string()]);
        if !self
            .reserve_attempt(vec![(counter.clone(), self.guess_limit())])
            .await?
        {
            return Err(AppError::conflict_without_field(
                ErrorCode::RateLimited,
                "Too many wrong passwords; wait a moment and try again.",
            ));
        }
        let right = self
            .authenticate_password(&actor.email, password)
            .await
            .is_ok();
        if right {
            self.kernel
                .housekeeping("signin.clear", move |tx| {
                    repo::signin::clear(tx.conn(), &counter)
                })
                .await?;
        }
        Ok(right)
    }

    /// How many passwords this node has verified (dummy ones included): what the sign-in
    /// limits bound, counted rather than timed.
    pub fn password_verifications(&self) -> u64 {
        self.cache.password_checks.load(Ordering::SeqCst)
    }

    /// How many of [`Staff::password_verifications`] were of the dummy hash (unknown email).
    pub fn dummy_verifications(&self) -> u64 {
        self.cache.dummy_checks.load(Ordering::SeqCst)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIMIT: Limit = Limit {
        free: 3,
        backoff: 1_000,
        window: 60_000,
    };

    fn fresh() -> Counter {
        Counter {
            attempts: 0,
            last_attempt_at: 0,
            next_allowed_at: 0,
        }
    }

    #[test]
    fn attempts_past_the_limit_wait_longer_each_time() {
        let mut c = fresh();
        for _ in 0..3 {
            c = reserve(c, LIMIT, 10).expect("free attempts");
        }
        assert_eq!(c.next_allowed_at, 10 + 1_000);
        assert_eq!(reserve(c, LIMIT, 500), None, "waiting");
        c = reserve(c, LIMIT, 1_010).expect("after the wait");
        assert_eq!(c.next_allowed_at, 1_010 + 2_000, "the wait doubled");
        c = reserve(c, LIMIT, 3_010).expect("after the second wait");
        assert_eq!(c.next_allowed_at, 3_010 + 4_000);
    }

    #[test]
    fn the_wait_never_exceeds_the_window_and_the_counter_forgets() {
        let mut c = Counter {
            attempts: 1_000,
            last_attempt_at: 0,
            next_allowed_at: 0,
        };
        c = reserve(c, LIMIT, 1).expect("the wait is over");
        assert_eq!(c.next_allowed_at, 1 + 60_000);
        let later = reserve(c, LIMIT, 200_000).expect("forgotten after the window");
        assert_eq!(later.attempts, 1);
    }
}
