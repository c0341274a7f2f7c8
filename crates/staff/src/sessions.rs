//! Workspace sessions: a random token in an HttpOnly cookie, stored only as a digest, so a
//! copy of the table signs no one in. Each session carries its own CSRF token (synchronizer
//! pattern): pages embed it and every changing request must send it back.

use crate::{Staff, repo};
use tiski_domain::event::{AgentField, AgentUpdated, SessionEnded, SessionStarted};
use tiski_domain::{LanguageTag, Permission};
use tiski_kernel::{Actor, AppError, AppResult, crypto, time};

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
    /// Whether the session is signed in or still owes its second step.
    pub stage: SessionStage,
}

/// How far a session got through signing in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionStage {
    /// Signed in: password and, where needed, the second factor.
    SignedIn,
    /// The password was right; the user's second factor is still to come.
    AwaitsCode,
    /// The password was right; the user's role requires a second factor they have not set
    /// up, so the session may only enrol.
    MustEnrol,
}

impl SessionStage {
    pub(crate) fn code(self) -> i64 {
        match self {
            SessionStage::SignedIn => 0,
            SessionStage::AwaitsCode => 1,
            SessionStage::MustEnrol => 2,
        }
    }

    pub(crate) fn of_code(code: i64) -> SessionStage {
        match code {
            0 => SessionStage::SignedIn,
            1 => SessionStage::AwaitsCode,
            _ => SessionStage::MustEnrol,
        }
    }
}

/// A session together with the user it belongs to, as loaded for a request.
#[derive(Debug, Clone)]
pub struct SignedIn {
    /// The user, with their teams.
    pub actor: Actor,
    /// The session.
    pub session: Session,
}

impl Staff {
    /// How long a session lasts without use, in microseconds.
    fn idle_micros(&self) -> i64 {
        time::micros(self.kernel.settings().session_idle)
    }

    /// How long a session cookie should be kept by the browser, in seconds: the longest a
    /// session may live.
    pub fn session_cookie_seconds(&self) -> i64 {
        time::micros(self.kernel.settings().session_max) / 1_000_000
    }

    /// Opens a session for a user who just proved who they are; returns the token for the
    /// cookie (shown only now) and the session.
    pub async fn create_session(
        &self,
        actor: &Actor,
        user_agent: &str,
    ) -> AppResult<(String, SignedIn)> {
        let grant = actor.grant(Permission::SessionStart)?;
        let (token, digest) = crypto::new_token(SESSION_PREFIX);
        let csrf = crypto::random_text(24);
        let user_agent: String = user_agent
            .chars()
            .filter(|c| !c.is_control())
            .take(300)
            .collect();
        let user_id = actor.id;
        let csrf_token = csrf.clone();
        let idle = self.idle_micros();
        // The operator's floor; the roles an admin chose are read in the transaction below.
        let forced = self.kernel.settings().two_factor_roles.contains(actor.role);
        let role = actor.role;
        let (id, locale, stage) = self
            .kernel
            .command(&grant, "session.start", move |tx| {
                let now = tx.now();
                repo::sessions::delete_expired_of(tx.conn(), user_id, now)?;
                let has_second =
                    repo::twofactor::totp_of(tx.conn(), user_id)?.is_some_and(|t| t.enabled);
                let must_have_second =
                    forced || repo::twofactor_policy::required_roles(tx.conn())?.contains(&role);
                let stage = match (has_second, must_have_second) {
                    (true, _) => SessionStage::AwaitsCode,
                    (false, true) => SessionStage::MustEnrol,
                    (false, false) => SessionStage::SignedIn,
                };
                let id = repo::sessions::insert(
                    tx.conn(),
                    &repo::sessions::NewSession {
                        digest: &digest,
                        user_id,
                        csrf: &csrf_token,
                        user_agent: &user_agent,
                        now,
                        expires_at: now + idle,
                        stage: stage.code(),
                    },
                )?;
                let locale = repo::users::ui_locale(tx.conn(), user_id)?;
                tx.emit(
                    None,
                    SessionStarted {
                        session_id: id,
                        user_id,
                    },
                )?;
                Ok((id, locale, stage))
            })
            .await?;
        Ok((
            token,
            SignedIn {
                actor: actor.clone(),
                session: Session {
                    id,
                    csrf_token: csrf,
                    locale,
                    stage,
                },
            },
        ))
    }

    /// The live session behind a cookie token, with its user; `None` when the token is unknown,
    /// expired, or its user deactivated. Use keeps a session alive. A session that still owes
    /// its second step says so in its stage; only the sign-in steps may serve it.
    pub async fn session(&self, token: &str) -> AppResult<Option<SignedIn>> {
        if !token.starts_with(SESSION_PREFIX) || token.len() > 200 {
            return Ok(None);
        }
        let digest = crypto::token_digest(token);
        let now = self.kernel.now();
        let max = time::micros(self.kernel.settings().session_max);
        let found = self
            .kernel
            .read_internal(move |conn| {
                let Some(row) = repo::sessions::find_live(conn, &digest, now)? else {
                    return Ok(None);
                };
                if now - row.created_at > max {
                    return Ok(None);
                }
                let Some(actor) = repo::users::actor(conn, row.user_id)? else {
                    return Ok(None);
                };
                let session = Session {
                    id: row.id,
                    csrf_token: row.csrf_token,
                    locale: row.locale,
                    stage: SessionStage::of_code(row.stage),
                };
                Ok(Some((SignedIn { actor, session }, row.last_seen_at)))
            })
            .await?;
        let Some((signed_in, last_seen)) = found else {
            return Ok(None);
        };
        if now - last_seen > TOUCH_EVERY_MICROS {
            let id = signed_in.session.id;
            let idle = self.idle_micros();
            self.kernel
                .housekeeping("session.touch", move |tx| {
                    let now = tx.now();
                    repo::sessions::touch(tx.conn(), id, now, now + idle)
                })
                .await?;
        }
        Ok(Some(signed_in))
    }

    /// Ends the session behind a cookie token (signing out). Unknown tokens are ignored.
    pub async fn end_session(&self, token: &str) -> AppResult<()> {
        let digest = crypto::token_digest(token);
        self.kernel
            .housekeeping("session.end", move |tx| {
                if let Some((session_id, user_id)) =
                    repo::sessions::delete_by_digest(tx.conn(), &digest)?
                {
                    tx.emit(
                        None,
                        SessionEnded {
                            session_id,
                            user_id,
                        },
                    )?;
                }
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
        let grant = actor.grant(Permission::ProfileChange)?;
        crypto::check_password_policy(new_password)?;
        let id = actor.id;
        if !self.check_own_password(actor, current).await? {
            return Err(AppError::invalid(
                "current_password",
                "The current password is not right.",
            ));
        }
        let hash = crypto::hash_password_off_thread(new_password.to_string()).await?;
        self.kernel
            .command(&grant, "agent.password", move |tx| {
                let changes = repo::users::UserChanges {
                    password_hash: Some(hash.clone()),
                    ..Default::default()
                };
                let now = tx.now();
                repo::users::update(tx.conn(), id, &changes, now)?;
                for session_id in repo::sessions::delete_others(tx.conn(), id, keep_session)? {
                    tx.emit(
                        None,
                        SessionEnded {
                            session_id,
                            user_id: id,
                        },
                    )?;
                }
                tx.emit(
                    None,
                    AgentUpdated {
                        agent_id: id,
                        changed: vec![AgentField::Password],
                    },
                )
            })
            .await
    }

    /// Sets (or clears) the language the actor sees the workspace in. The web layer checks
    /// that it is one it has translations for.
    pub async fn set_ui_locale(&self, actor: &Actor, locale: Option<&str>) -> AppResult<()> {
        let grant = actor.grant(Permission::ProfileChange)?;
        let locale = locale
            .map(|l| {
                LanguageTag::parse(l)
                    .map(LanguageTag::into_string)
                    .map_err(|e| e.at("locale"))
            })
            .transpose()?;
        let id = actor.id;
        self.kernel
            .command(&grant, "agent.locale", move |tx| {
                if repo::users::ui_locale(tx.conn(), id)? == locale {
                    return Ok(());
                }
                repo::users::set_ui_locale(tx.conn(), id, locale.as_deref())?;
                tx.emit(
                    None,
                    AgentUpdated {
                        agent_id: id,
                        changed: vec![AgentField::UiLocale],
                    },
                )
            })
            .await
    }
}
