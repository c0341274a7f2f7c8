//! What keeps a long-lived event stream honest: the credential it was opened with, re-checked
//! in the store (so a revocation on any node ends it), the user's credential epoch (raised by
//! a password reset or deactivation, ending every stream of theirs), and a per-user cap on
//! open streams on this node.

use crate::{Staff, repo};
use std::sync::Arc;
use tiski_kernel::{Actor, AppError, AppResult, ErrorCode, time};

/// Which credential a request came with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Credential {
    /// The API token with this id.
    Token(i64),
    /// The workspace session with this id.
    Session(i64),
}

/// A stream's credential as it was when the stream opened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StreamCredential {
    /// The user.
    pub user_id: i64,
    /// The token or session.
    pub credential: Credential,
    /// The user's credential epoch at opening.
    epoch: i64,
}

/// One of a user's open streams on this node; dropping it frees the place.
pub struct StreamSlot {
    user_id: i64,
    cache: Arc<crate::ActorCache>,
}

impl Drop for StreamSlot {
    fn drop(&mut self) {
        if let Ok(mut streams) = self.cache.streams.lock()
            && let Some(open) = streams.get_mut(&self.user_id)
        {
            *open = open.saturating_sub(1);
            if *open == 0 {
                streams.remove(&self.user_id);
            }
        }
    }
}

impl Staff {
    /// Takes one of the actor's stream places on this node (`max_streams_per_user`), or
    /// answers `rate_limited`.
    pub fn open_stream_slot(&self, actor: &Actor) -> AppResult<StreamSlot> {
        let max = self.kernel.settings().max_streams_per_user;
        let mut streams = self
            .cache
            .streams
            .lock()
            .map_err(|_| AppError::Corrupt("the stream counter was poisoned".into()))?;
        let open = streams.entry(actor.id).or_insert(0);
        if *open >= max {
            return Err(AppError::conflict_without_field(
                ErrorCode::RateLimited,
                format!("You have {max} event streams open; close one first."),
            ));
        }
        *open += 1;
        Ok(StreamSlot {
            user_id: actor.id,
            cache: self.cache.clone(),
        })
    }

    /// The credential a stream of `actor` opens with, with the user's current epoch.
    pub async fn stream_credential(
        &self,
        actor: &Actor,
        credential: Credential,
    ) -> AppResult<StreamCredential> {
        let user_id = actor.id;
        let epoch = self
            .kernel
            .read_internal(move |conn| repo::users::auth_epoch(conn, user_id))
            .await?
            .ok_or_else(|| AppError::Unauthorized("The user is not active.".into()))?;
        Ok(StreamCredential {
            user_id,
            credential,
            epoch,
        })
    }

    /// The stream's actor as stored now, or `None` when its token was revoked, its session
    /// ended or expired, its user deactivated or their password reset since it opened. Reads
    /// the store, never a cache, so a change on any node counts.
    pub async fn recheck_stream(&self, stream: &StreamCredential) -> AppResult<Option<Actor>> {
        let stream = *stream;
        let now = self.kernel.now();
        let max = time::micros(self.kernel.settings().session_max);
        self.kernel
            .read_internal(move |conn| {
                let holds = match stream.credential {
                    Credential::Token(id) => repo::tokens::belongs_to(conn, id, stream.user_id)?,
                    Credential::Session(id) => {
                        repo::sessions::is_live(conn, id, stream.user_id, now, now - max)?
                    }
                };
                if !holds || repo::users::auth_epoch(conn, stream.user_id)? != Some(stream.epoch) {
                    return Ok(None);
                }
                repo::users::actor(conn, stream.user_id)
            })
            .await
    }
}
