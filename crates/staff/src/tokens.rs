//! API tokens: issued to a user (shown once), stored as digests, listed and revoked by admins
//! (everyone's) and by users (their own).

use crate::{Staff, repo};
use serde::Serialize;
use tiski_domain::event::{TokenCreated, TokenRevoked};
use tiski_domain::{EmailAddress, Permission};
use tiski_kernel::{Actor, AppError, AppResult, Page, Tx, crypto, cursor, input};

/// The prefix every tiski API token carries, so leaked tokens are recognisable.
pub const TOKEN_PREFIX: &str = "tsk_";

/// An API token as its owner or an admin sees it (never the token itself).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
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

    /// The API tokens the actor may see, newest first: everyone's for admins, their own for
    /// others. Keyset-paged by id.
    pub async fn list_api_tokens(
        &self,
        actor: &Actor,
        limit: Option<i64>,
        cursor: Option<String>,
    ) -> AppResult<Page<ApiTokenView>> {
        let grant = actor.grant(Permission::TokenOwn)?;
        let limit = cursor::limit(limit)?;
        let before = cursor::before_id(cursor.as_deref())?;
        let actor = actor.clone();
        self.kernel
            .query(&grant, move |conn| {
                let items = repo::tokens::list_visible(conn, &actor, before, limit + 1)?;
                Ok(cursor::page_by_id(items, limit, true, |t| t.id))
            })
            .await
    }

    /// One API token the actor may see (their own; any for admins). Others' answer not
    /// found, so their existence is not confirmed.
    pub async fn get_api_token(&self, actor: &Actor, id: i64) -> AppResult<ApiTokenView> {
        let grant = actor.grant(Permission::TokenOwn)?;
        let actor = actor.clone();
        self.kernel
            .query(&grant, move |conn| {
                repo::tokens::get_visible(conn, &actor, id)?.ok_or(AppError::not_found("API token"))
            })
            .await
    }

    /// Revokes an API token: admins any, others their own (others' answer not found). Open
    /// streams of the token end when they see the `token.revoked` event or re-check.
    pub async fn revoke_api_token(&self, actor: &Actor, id: i64) -> AppResult<()> {
        let grant = actor.grant(Permission::TokenOwn)?;
        let who = actor.clone();
        let result = self
            .kernel
            .command(&grant, "token.revoke", move |tx| {
                if repo::tokens::get_visible(tx.conn(), &who, id)?.is_none()
                    || !repo::tokens::delete(tx.conn(), id)?
                {
                    return Err(AppError::not_found("API token"));
                }
                tx.emit(None, TokenRevoked { token_id: id })
            })
            .await;
        self.forget_actors();
        result
    }
}
