//! The staff context: the people who work in tiski (agents, supervisors, admins), their teams,
//! how they sign in (workspace sessions, API tokens), and who they are on each request.
//!
//! Its tables are `users`, `teams`, `team_members`, `sessions`, `api_tokens` and
//! `two_factor_roles`; all of its
//! SQL is in [`repo`]. Other contexts read staff facts inside their own transactions through
//! [`lookup`] (does this team exist, is this user a member), never by querying these tables.

mod agents;
mod auth;
pub mod lookup;
pub mod prune;
mod repo;
mod rules;
mod sessions;
mod signin;
mod streams;
mod teams;
mod tokens;
mod twofactor;
mod twofactor_policy;

pub use agents::{AgentPatch, AgentView, NewAgent};
pub use sessions::{SESSION_PREFIX, Session, SessionStage, SignedIn};
pub use streams::{Credential, StreamCredential, StreamSlot};
pub use teams::{NewTeam, TeamView};
pub use tokens::{ApiTokenView, TOKEN_PREFIX};
pub use twofactor::Enrolment;
pub use twofactor_policy::{TwoFactorPolicy, TwoFactorPolicyInput};

pub(crate) use agents::ValidAgent;

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Instant;
use tiski_kernel::{Actor, Kernel, SecretKey};

/// The staff context. Cheap to clone.
#[derive(Clone)]
pub struct Staff {
    kernel: Kernel,
    cache: Arc<ActorCache>,
    /// The installation key that seals TOTP secrets.
    secret_key: SecretKey,
}

/// Per-node memory of the staff context: actors of recently seen API tokens (kept for
/// `auth_cache` at most, and forgotten as soon as the shared event log shows a token revoked
/// or a user or team membership changed, on any node; never consulted by streams, which
/// re-check in the store), a generation that changes whenever
/// users or teams do, counts of verified passwords, and the event streams open per user.
#[derive(Default)]
struct ActorCache {
    actors: Mutex<HashMap<String, (Actor, i64, Instant)>>,
    generation: AtomicU64,
    password_checks: AtomicU64,
    dummy_checks: AtomicU64,
    streams: Mutex<HashMap<i64, usize>>,
    /// The newest log id the remembered actors were checked against.
    seen_log: std::sync::atomic::AtomicI64,
    /// When the log was last read for changes (see `LOG_CHECK_EVERY`).
    last_log_check: Mutex<Option<Instant>>,
}

/// How often, at most, a node reads the log for changes made elsewhere that invalidate its
/// remembered tokens. Under writes every request moves the log, and reading it each time cost
/// more than the request's own work; changes made on this node forget at once, and streams
/// re-check in the store, so this only bounds how late another node's revocation is seen.
const LOG_CHECK_EVERY: std::time::Duration = std::time::Duration::from_millis(100);

impl ActorCache {
    /// Whether the log is due to be read for changes now; notes the read when it is.
    fn log_check_due(&self) -> bool {
        let Ok(mut last) = self.last_log_check.lock() else {
            return true;
        };
        if last.is_some_and(|at| at.elapsed() < LOG_CHECK_EVERY) {
            return false;
        }
        *last = Some(Instant::now());
        true
    }
}

impl Staff {
    /// The staff context on a kernel, sealing secrets with the installation key.
    pub fn new(kernel: Kernel, secret_key: SecretKey) -> Staff {
        Staff {
            kernel,
            cache: Arc::default(),
            secret_key,
        }
    }

    /// The kernel.
    pub fn kernel(&self) -> &Kernel {
        &self.kernel
    }

    /// A number that changes whenever users or teams change in this process; a long-lived
    /// stream compares it to know when to load its actor again with [`Staff::reload_actor`].
    pub fn actor_generation(&self) -> u64 {
        self.cache.generation.load(Ordering::SeqCst)
    }

    /// Forgets remembered tokens, after users, teams or tokens changed.
    fn forget_actors(&self) {
        self.cache.generation.fetch_add(1, Ordering::SeqCst);
        if let Ok(mut actors) = self.cache.actors.lock() {
            actors.clear();
        }
    }
}
