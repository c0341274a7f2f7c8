//! API tokens: issued to a user (shown once), stored as digests, listed and revoked by admins.

use crate::{Staff, repo};
use serde::Serialize;
use tiski_domain::event::{TokenCreated, TokenRevoked};
use tiski_domain::{EmailAddress, Permission};
use tiski_kernel::{Actor, AppError, AppResult, Tx, crypto, input};

/// The prefix every tiski API token carries, so leaked tokens are recognisable.
pub const TOKEN_PREFIX: &str = "tsk_";

/// An API token as an admin sees it (never the token itself).
#[derive(Debug, Clone, Serialize)]
pub struct ApiTokenView {
    /// Id.
    pub id: i64,
    /// The user the token acts as.
    pub user_id: i64,
    /// The user's name.
    pub user_name: String,
    /// What the token is for.
    pub label: String,
    /// When it was issued, in microseconds since the epoch.
    pub created_at: i64,
}

fn insert(tx: &mut Tx<'_, '_>, user_id: i64, label: &str, digest: &str) -> AppResult<()> {
    let now = tx.now();
    let token_id = repo::tokens::insert(tx.conn(), user_id, label, digest, now)?;
    tx.emit(
        None,
        TokenCreated {
            token_id,
            user_id,
            label: label.to_string(),
        },
    )
}

impl Staff {
    /// Issues an API token for the active user with `email`, from the command line; returns
    /// the token, shown only once.
    pub async fn create_token(&self, email: &str, label: &str) -> AppResult<String> {
        let grant = Actor::system().grant(Permission::TokenManage)?;
        let email = EmailAddress::parse(email).map_err(|e| e.at("email"))?;
        input::refuse_nul("label", label)?;
        let label = label.trim().to_string();
        if label.chars().count() > 200 {
            return Err(AppError::invalid(
                "label",
                "The label must have at most 200 characters.",
            ));
        }
        let (token, digest) = crypto::new_token(TOKEN_PREFIX);
        self.kernel
            .command(&grant, "token.create", move |tx| {
                let user_id = repo::users::active_id_of_email(tx.conn(), email.as_str())?
                    .ok_or_else(|| {
                        AppError::invalid(
                            "email",
                            format!("There is no active user with the email {email}."),
                        )
                    })?;
                insert(tx, user_id, &label, &digest)
            })
            .await?;
        Ok(token)
    }

    /// Issues an API token acting as `user_id`. Admins only; the token is returned once.
    pub async fn issue_api_token(
        &self,
        actor: &Actor,
        user_id: i64,
        label: &str,
    ) -> AppResult<String> {
        let grant = actor.grant(Permission::TokenManage)?;
        let label = input::trimmed(
            "label",
            label,
            1,
            200,
            "The label must have 1 to 200 characters.",
        )?;
        let (token, digest) = crypto::new_token(TOKEN_PREFIX);
        self.kernel
            .command(&grant, "token.create", move |tx| {
                if !repo::users::is_active(tx.conn(), user_id)? {
                    return Err(AppError::invalid(
                        "user_id",
                        format!("There is no active user {user_id}."),
                    ));
                }
                insert(tx, user_id, &label, &digest)
            })
            .await?;
        Ok(token)
    }

    /// Every API token, newest first. Admins only.
    pub async fn list_api_tokens(&self, actor: &Actor) -> AppResult<Vec<ApiTokenView>> {
        let grant = actor.grant(Permission::TokenManage)?;
        self.kernel.query(&grant, repo::tokens::list).await
    }

    /// Revokes an API token. Admins only.
    pub async fn revoke_api_token(&self, actor: &Actor, id: i64) -> AppResult<()> {
        let grant = actor.grant(Permission::TokenManage)?;
        let result = self
            .kernel
            .command(&grant, "token.revoke", move |tx| {
                if !repo::tokens::delete(tx.conn(), id)? {
                    return Err(AppError::not_found("API token"));
                }
                tx.emit(None, TokenRevoked { token_id: id })
            })
            .await;
        self.forget_actors();
        result
    }
}
