//! Who is asking: the active user behind an API token (remembered for a few seconds) or an
//! email and password.

use crate::{Staff, TOKEN_PREFIX, repo};
use std::time::Instant;
use tiski_kernel::{Actor, AppError, AppResult, crypto};

impl Staff {
    /// Finds the active user behind an API token.
    pub async fn authenticate_token(&self, token: &str) -> AppResult<Actor> {
        let unauthorized = || AppError::Unauthorized("The API token is not valid.".into());
        if !token.starts_with(TOKEN_PREFIX) || token.len() > 200 {
            return Err(unauthorized());
        }
        let digest = crypto::token_digest(token);
        let ttl = self.kernel.settings().auth_cache;
        if let Ok(actors) = self.cache.actors.lock()
            && let Some((actor, at)) = actors.get(&digest)
            && at.elapsed() < ttl
        {
            return Ok(actor.clone());
        }
        let key = digest.clone();
        let actor = self
            .kernel
            .read_internal(move |conn| match repo::tokens::user_of(conn, &key)? {
                Some(user_id) => repo::users::actor(conn, user_id),
                None => Ok(None),
            })
            .await?
            .ok_or_else(unauthorized)?;
        if let Ok(mut actors) = self.cache.actors.lock() {
            if actors.len() > 10_000 {
                actors.clear();
            }
            actors.insert(digest, (actor.clone(), Instant::now()));
        }
        Ok(actor)
    }

    /// Finds the active user with this email and password.
    pub async fn authenticate_password(&self, email: &str, password: &str) -> AppResult<Actor> {
        let email = email.trim().to_lowercase();
        let unauthorized = || AppError::Unauthorized("The email or password is not right.".into());
        let found = self
            .kernel
            .read_internal(move |conn| repo::users::password_of_email(conn, &email))
            .await?;
        let Some((id, Some(hash))) = found else {
            return Err(unauthorized());
        };
        if !crypto::verify_password_off_thread(password.to_string(), hash).await {
            return Err(unauthorized());
        }
        self.kernel
            .read_internal(move |conn| repo::users::actor(conn, id))
            .await?
            .ok_or_else(unauthorized)
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
