//! Who is asking: the active user behind an API token (remembered for a few seconds on this
//! node). Passwords are checked in `signin`.

use crate::{Credential, Staff, TOKEN_PREFIX, repo};
use std::sync::atomic::Ordering;
use std::time::Instant;
use tiski_domain::EventType;
use tiski_kernel::{Actor, AppError, AppResult, crypto, events};

impl Staff {
    /// Finds the active user behind an API token.
    pub async fn authenticate_token(&self, token: &str) -> AppResult<Actor> {
        self.authenticate_token_credential(token)
            .await
            .map(|(actor, _)| actor)
    }

    /// Finds the active user behind an API token, and which token it is (what a stream
    /// re-checks while it runs).
    pub async fn authenticate_token_credential(
        &self,
        token: &str,
    ) -> AppResult<(Actor, Credential)> {
        let unauthorized = || AppError::Unauthorized("The API token is not valid.".into());
        if !token.starts_with(TOKEN_PREFIX) || token.len() > 200 {
            return Err(unauthorized());
        }
        let digest = crypto::token_digest(token);
        let ttl = self.kernel.settings().auth_cache;
        self.forget_actors_changed_in_log().await?;
        if let Ok(actors) = self.cache.actors.lock()
            && let Some((actor, token_id, at)) = actors.get(&digest)
            && at.elapsed() < ttl
        {
            return Ok((actor.clone(), Credential::Token(*token_id)));
        }
        let key = digest.clone();
        let (actor, token_id) = self
            .kernel
            .read_internal(move |conn| match repo::tokens::of_digest(conn, &key)? {
                Some((token_id, user_id)) => {
                    Ok(repo::users::actor(conn, user_id)?.map(|a| (a, token_id)))
                }
                None => Ok(None),
            })
            .await?
            .ok_or_else(unauthorized)?;
        if let Ok(mut actors) = self.cache.actors.lock() {
            if actors.len() > 10_000 {
                actors.clear();
            }
            actors.insert(digest, (actor.clone(), token_id, Instant::now()));
        }
        Ok((actor, Credential::Token(token_id)))
    }

    /// Forgets the remembered actors when the event log advanced past what they were checked
    /// against with a revocation or a change of users or team members (written by any node),
    /// reading the log at most every `LOG_CHECK_EVERY`.
    async fn forget_actors_changed_in_log(&self) -> AppResult<()> {
        const CHANGES: &[EventType] = &[
            EventType::TokenRevoked,
            EventType::AgentUpdated,
            EventType::TeamMemberAdded,
            EventType::TeamMemberRemoved,
        ];
        let newest = *self.kernel.event_watch().borrow();
        let seen = self.cache.seen_log.load(Ordering::SeqCst);
        if newest <= seen {
            return Ok(());
        }
        if seen == 0 {
            // Nothing is remembered yet from before this node's first look at the log.
            self.forget_actors();
            self.cache.seen_log.fetch_max(newest, Ordering::SeqCst);
            return Ok(());
        }
        if !self.cache.log_check_due() {
            // Looked a moment ago; the next look covers everything since `seen`.
            return Ok(());
        }
        let changed = self
            .kernel
            .read_internal(move |conn| events::any_of_kinds(conn, seen, newest, CHANGES))
            .await?;
        if changed {
            self.forget_actors();
        }
        self.cache.seen_log.fetch_max(newest, Ordering::SeqCst);
        Ok(())
    }

    /// The actor as stored now (teams and role may have changed), or `None` when the user is
    /// no longer active.
    pub async fn reload_actor(&self, actor: &Actor) -> AppResult<Option<Actor>> {
        let id = actor.id;
        self.kernel
            .read_internal(move |conn| repo::users::actor(conn, id))
            .await
    }
}
