//! Browser sessions of the agent workspace, the user's own settings (password, UI language),
//! the staff directory and API tokens managed by admins.
//!
//! A session is a random token handed to the browser in a cookie; only its SHA-256 digest is
//! stored, so a copy of the table signs no one in. Each session carries its own CSRF token
//! (synchronizer pattern): pages embed it and every changing request must send it back.

use crate::{Actor, App, AppError, AppResult, auth, events, time};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rand::RngCore;
use serde::Serialize;
use std::collections::HashMap;
use tiski_domain::{EventType, LanguageTag};
use tiski_store::params;

/// How long a session lasts without use.
pub const SESSION_IDLE_MICROS: i64 = 24 * 3600 * 1_000_000;
/// How long a session lasts at most, however often it is used.
pub const SESSION_MAX_MICROS: i64 = 30 * 24 * 3600 * 1_000_000;
/// How often a session's last use is written (not on every request).
const TOUCH_EVERY_MICROS: i64 = 5 * 60 * 1_000_000;
/// The prefix of session tokens, so a leaked one is recognisable.
pub const SESSION_PREFIX: &str = "tss_";

/// A signed-in browser session.
#[derive(Debug, Clone)]
pub struct Session {
    /// Id (not secret).
    pub id: i64,
    /// The CSRF token every changing request of this session must carry.
    pub csrf_token: String,
    /// The UI language the user chose, if any.
    pub locale: Option<String>,
}

/// A session together with the user it belongs to, as loaded for a request.
#[derive(Debug, Clone)]
pub struct SignedIn {
    /// The user, with their teams.
    pub actor: Actor,
    /// The session.
    pub session: Session,
}

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

fn random_text(bytes: usize) -> String {
    let mut buffer = vec![0u8; bytes];
    rand::rng().fill_bytes(&mut buffer);
    URL_SAFE_NO_PAD.encode(buffer)
}

/// Compares two secrets in time independent of where they differ.
pub fn constant_time_eq(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

impl App {
    /// Opens a session for a user who just proved who they are; returns the token for the
    /// cookie (shown only now) and the session.
    pub async fn create_session(
        &self,
        actor: &Actor,
        user_agent: &str,
    ) -> AppResult<(String, SignedIn)> {
        let token = format!("{SESSION_PREFIX}{}", random_text(32));
        let digest = auth::token_digest(&token);
        let csrf = random_text(24);
        let user_agent: String = user_agent
            .chars()
            .filter(|c| !c.is_control())
            .take(300)
            .collect();
        let actor = actor.clone();
        let user_id = actor.id;
        let csrf_token = csrf.clone();
        let (id, locale) = self
            .store()
            .write(move |tx| {
                let now = time::now_micros();
                tx.conn().execute(
                    "DELETE FROM sessions WHERE user_id = $1 AND expires_at < $2",
                    params![user_id, now],
                )?;
                let id: i64 = tx.conn().query_scalar(
                    "INSERT INTO sessions (token_hash, user_id, csrf_token, user_agent, created_at, last_seen_at, expires_at) \
                     VALUES ($1, $2, $3, $4, $5, $5, $6) RETURNING id",
                    params![digest.as_str(), user_id, csrf_token.as_str(), user_agent.as_str(), now, now + SESSION_IDLE_MICROS],
                )?;
                let locale: Option<String> = tx
                    .conn()
                    .query_opt("SELECT ui_locale FROM users WHERE id = $1", params![user_id])?
                    .map(|row| row.get(0))
                    .transpose()?
                    .flatten();
                Ok::<_, AppError>((id, locale))
            })
            .await?;
        Ok((
            token,
            SignedIn {
                actor,
                session: Session {
                    id,
                    csrf_token: csrf,
                    locale,
                },
            },
        ))
    }

    /// The live session behind a cookie token, with its user; `None` when the token is unknown,
    /// expired, or its user deactivated. Use keeps a session alive.
    pub async fn session(&self, token: &str) -> AppResult<Option<SignedIn>> {
        if !token.starts_with(SESSION_PREFIX) || token.len() > 200 {
            return Ok(None);
        }
        let digest = auth::token_digest(token);
        let now = time::now_micros();
        let found = self
            .store()
            .read(move |conn| {
                let Some(row) = conn.query_opt(
                    "SELECT s.id, s.user_id, s.csrf_token, s.created_at, s.last_seen_at, u.ui_locale \
                     FROM sessions s JOIN users u ON u.id = s.user_id \
                     WHERE s.token_hash = $1 AND s.expires_at > $2",
                    params![digest.as_str(), now],
                )?
                else {
                    return Ok(None);
                };
                let created_at: i64 = row.get(3)?;
                if now - created_at > SESSION_MAX_MICROS {
                    return Ok(None);
                }
                let Some(actor) = auth::load_actor(conn, row.get(1)?)? else {
                    return Ok(None);
                };
                let last_seen: i64 = row.get(4)?;
                Ok::<_, AppError>(Some((
                    SignedIn {
                        actor,
                        session: Session {
                            id: row.get(0)?,
                            csrf_token: row.get(2)?,
                            locale: row.get(5)?,
                        },
                    },
                    last_seen,
                )))
            })
            .await?;
        let Some((signed_in, last_seen)) = found else {
            return Ok(None);
        };
        if now - last_seen > TOUCH_EVERY_MICROS {
            let id = signed_in.session.id;
            self.store()
                .write(move |tx| {
                    tx.conn().execute(
                        "UPDATE sessions SET last_seen_at = $1, expires_at = $2 WHERE id = $3",
                        params![now, now + SESSION_IDLE_MICROS, id],
                    )?;
                    Ok::<_, AppError>(())
                })
                .await?;
        }
        Ok(Some(signed_in))
    }

    /// Ends the session behind a cookie token (signing out). Unknown tokens are ignored.
    pub async fn end_session(&self, token: &str) -> AppResult<()> {
        let digest = auth::token_digest(token);
        self.store()
            .write(move |tx| {
                tx.conn().execute(
                    "DELETE FROM sessions WHERE token_hash = $1",
                    params![digest.as_str()],
                )?;
                Ok(())
            })
            .await
    }

    /// Changes the actor's own password after checking the current one, and ends their other
    /// sessions (a changed password locks out whoever else was signed in).
    pub async fn change_own_password(
        &self,
        actor: &Actor,
        current: &str,
        new_password: &str,
        keep_session: i64,
    ) -> AppResult<()> {
        auth::check_password_policy(new_password)?;
        let id = actor.id;
        let stored: Option<String> = self
            .store()
            .read(move |conn| {
                conn.query_opt(
                    "SELECT password_hash FROM users WHERE id = $1 AND active = 1",
                    params![id],
                )?
                .map(|row| row.get(0))
                .transpose()
                .map(Option::flatten)
                .map_err(AppError::from)
            })
            .await?;
        let current = current.to_string();
        let verified = match stored {
            Some(hash) => {
                tokio::task::spawn_blocking(move || auth::verify_password(&current, &hash))
                    .await
                    .unwrap_or(false)
            }
            None => false,
        };
        if !verified {
            return Err(AppError::invalid(
                "current_password",
                "The current password is not right.",
            ));
        }
        let hash = auth::hash_password_off_thread(new_password.to_string()).await?;
        let actor = actor.clone();
        let result = self
            .store()
            .write(move |tx| {
                let now = time::now_micros();
                tx.conn().execute(
                    "UPDATE users SET password_hash = $1, updated_at = $2 WHERE id = $3",
                    params![hash.as_str(), now, actor.id],
                )?;
                tx.conn().execute(
                    "DELETE FROM sessions WHERE user_id = $1 AND id <> $2",
                    params![actor.id, keep_session],
                )?;
                events::append(
                    tx,
                    &actor,
                    None,
                    EventType::AgentUpdated,
                    serde_json::json!({"agent_id": actor.id, "password_changed": true, "by": "self"}),
                );
                Ok(())
            })
            .await;
        self.command_done("agent.password", &result);
        result
    }

    /// Sets (or clears) the language the actor sees the workspace in. The web layer checks
    /// that it is one it has translations for.
    pub async fn set_ui_locale(&self, actor: &Actor, locale: Option<&str>) -> AppResult<()> {
        let locale = locale
            .map(|l| {
                LanguageTag::parse(l)
                    .map(LanguageTag::into_string)
                    .map_err(|e| AppError::invalid("locale", e.message))
            })
            .transpose()?;
        let id = actor.id;
        self.store()
            .write(move |tx| {
                tx.conn().execute(
                    "UPDATE users SET ui_locale = $1 WHERE id = $2",
                    params![locale.clone(), id],
                )?;
                Ok(())
            })
            .await
    }

    /// The display names of all staff, by id, for showing who wrote or changed something.
    /// Names only: the full records stay behind [`App::list_agents`]'s scope.
    pub async fn staff_names(&self, _actor: &Actor) -> AppResult<HashMap<i64, String>> {
        self.store()
            .read(|conn| {
                conn.query("SELECT id, name FROM users", &[])?
                    .iter()
                    .map(|row| Ok((row.get(0)?, row.get(1)?)))
                    .collect()
            })
            .await
    }

    /// Issues an API token acting as `user_id`. Admins only; the token is returned once.
    pub async fn issue_api_token(
        &self,
        actor: &Actor,
        user_id: i64,
        label: &str,
    ) -> AppResult<String> {
        if !actor.is_admin() {
            return Err(AppError::forbidden("Only admins may issue API tokens."));
        }
        crate::refuse_nul("label", label)?;
        let label = label.trim().to_string();
        if label.is_empty() || label.chars().count() > 200 {
            return Err(AppError::invalid(
                "label",
                "The label must have 1 to 200 characters.",
            ));
        }
        let (token, digest) = auth::new_token();
        let actor = actor.clone();
        let result = self
            .store()
            .write(move |tx| {
                if tx
                    .conn()
                    .query_opt(
                        "SELECT id FROM users WHERE id = $1 AND active = 1",
                        params![user_id],
                    )?
                    .is_none()
                {
                    return Err(AppError::invalid(
                        "user_id",
                        format!("There is no active user {user_id}."),
                    ));
                }
                let token_id: i64 = tx.conn().query_scalar(
                    "INSERT INTO api_tokens (user_id, label, token_hash, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
                    params![user_id, label.as_str(), digest.as_str(), time::now_micros()],
                )?;
                events::append(
                    tx,
                    &actor,
                    None,
                    EventType::TokenCreated,
                    serde_json::json!({"token_id": token_id, "user_id": user_id, "label": &label}),
                );
                Ok(())
            })
            .await;
        self.command_done("token.create", &result);
        result.map(|()| token)
    }

    /// Every API token, newest first. Admins only.
    pub async fn list_api_tokens(&self, actor: &Actor) -> AppResult<Vec<ApiTokenView>> {
        if !actor.is_admin() {
            return Err(AppError::forbidden("Only admins may see API tokens."));
        }
        self.store()
            .read(|conn| {
                conn.query(
                    "SELECT k.id, k.user_id, u.name, k.label, k.created_at FROM api_tokens k JOIN users u ON u.id = k.user_id ORDER BY k.id DESC LIMIT 500",
                    &[],
                )?
                .iter()
                .map(|row| {
                    Ok(ApiTokenView {
                        id: row.get(0)?,
                        user_id: row.get(1)?,
                        user_name: row.get(2)?,
                        label: row.get(3)?,
                        created_at: row.get(4)?,
                    })
                })
                .collect()
            })
            .await
    }

    /// Revokes an API token. Admins only.
    pub async fn revoke_api_token(&self, actor: &Actor, id: i64) -> AppResult<()> {
        if !actor.is_admin() {
            return Err(AppError::forbidden("Only admins may revoke API tokens."));
        }
        let result = self
            .store()
            .write(move |tx| {
                if tx
                    .conn()
                    .execute("DELETE FROM api_tokens WHERE id = $1", params![id])?
                    == 0
                {
                    return Err(AppError::not_found("API token"));
                }
                Ok(())
            })
            .await;
        self.command_done("token.revoke", &result);
        self.forget_actors();
        result
    }
}

#[cfg(test)]
mod tests {
    use super::constant_time_eq;

    #[test]
    fn constant_time_comparison() {
        assert!(constant_time_eq("abc", "abc"));
        assert!(!constant_time_eq("abc", "abd"));
        assert!(!constant_time_eq("abc", "abcd"));
        assert!(constant_time_eq("", ""));
    }
}
