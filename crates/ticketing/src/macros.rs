//! Macros (canned responses): a text with placeholders such as `{{customer.first_name}}`, plus
//! field changes (status, tags, team) applied when the reply is sent. Personal macros belong to
//! one agent; shared ones are seen by everyone and kept by supervisors and admins.

use crate::{Ticketing, customers, repo, tickets};
use serde::Serialize;
use tiski_domain::event::{MacroCreated, MacroDeleted, MacroUpdated};
use tiski_domain::placeholders::{self, PlaceholderValues};
use tiski_domain::{LanguageTag, Permission, Status, Tag};
use tiski_kernel::{Actor, AppError, AppResult, Conn, input};

/// A macro as the workspace shows it.
#[derive(Debug, Clone, Serialize)]
pub struct MacroView {
    /// Id.
    pub id: i64,
    /// Title, what agents search for.
    pub title: String,
    /// The text, with placeholders.
    pub body: String,
    /// The language the text is written in.
    pub language: Option<String>,
    /// The status the ticket takes when the reply is sent.
    pub set_status: Option<Status>,
    /// Tags added when the reply is sent.
    pub add_tags: Vec<String>,
    /// The team the ticket moves to when the reply is sent.
    pub set_team_id: Option<i64>,
    /// The owner of a personal macro; `None` for a shared one.
    pub owner_id: Option<i64>,
}

impl MacroView {
    /// Whether everyone sees it.
    pub fn shared(&self) -> bool {
        self.owner_id.is_none()
    }
}

/// Input for a new or changed macro.
#[derive(Debug, Clone, Default)]
pub struct NewMacro {
    /// Title, 1 to 200 characters.
    pub title: String,
    /// Text, 1 to 20,000 characters.
    pub body: String,
    /// Language tag, such as `fi`.
    pub language: Option<String>,
    /// Status to set.
    pub set_status: Option<Status>,
    /// Tags to add.
    pub add_tags: Vec<String>,
    /// Team to move to.
    pub set_team_id: Option<i64>,
    /// Shared with everyone (supervisors and admins only) rather than personal.
    pub shared: bool,
}

/// A macro filled in for one ticket: the text to insert and the changes to apply on send.
#[derive(Debug, Clone, Serialize)]
pub struct FilledMacro {
    /// The macro.
    pub id: i64,
    /// The text with its placeholders filled.
    pub body: String,
    /// The status to set on send.
    pub set_status: Option<Status>,
    /// Tags to add on send.
    pub add_tags: Vec<String>,
    /// The team to move to on send.
    pub set_team_id: Option<i64>,
}

/// A validated macro, ready to store.
pub(crate) struct ValidMacro {
    pub title: String,
    pub body: String,
    pub language: Option<String>,
    pub set_status: Option<Status>,
    pub add_tags: Vec<String>,
    pub set_team_id: Option<i64>,
    pub owner_id: Option<i64>,
    pub search_text: String,
}

fn validate(actor: &Actor, input: &NewMacro) -> AppResult<ValidMacro> {
    let title = input::trimmed(
        "title",
        &input.title,
        1,
        200,
        "The title must have 1 to 200 characters.",
    )?;
    input::refuse_nul("body", &input.body)?;
    if input.body.trim().is_empty() || input.body.chars().count() > 20_000 {
        return Err(AppError::invalid(
            "body",
            "The text must have 1 to 20000 characters.",
        ));
    }
    let language = input
        .language
        .as_deref()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|l| {
            LanguageTag::parse(l)
                .map(LanguageTag::into_string)
                .map_err(|e| e.at("language"))
        })
        .transpose()?;
    if input.set_status == Some(Status::New) || input.set_status == Some(Status::Closed) {
        return Err(AppError::invalid(
            "set_status",
            "A macro may set a ticket open, pending, on hold or solved.",
        ));
    }
    let tags: Vec<String> = input
        .add_tags
        .iter()
        .map(|t| t.trim().to_string())
        .filter(|t| !t.is_empty())
        .collect();
    let add_tags = Tag::parse_list("add_tags", &tags)?;
    // Card numbers are never stored, not in a macro's text nor in its search text.
    let title = tiski_domain::card::mask_pans(&title).into_owned();
    let body = tiski_domain::card::mask_pans(&input.body).into_owned();
    let search_text = format!("{title} {body}").to_lowercase();
    Ok(ValidMacro {
        title,
        body,
        language,
        set_status: input.set_status,
        add_tags,
        set_team_id: input.set_team_id,
        owner_id: (!input.shared).then_some(actor.id),
        search_text,
    })
}

/// Loads a macro the actor may change: their own, or a shared one for supervisors and admins.
fn get_changeable(conn: &mut dyn Conn, actor: &Actor, id: i64) -> AppResult<MacroView> {
    let found =
        repo::macros::get_usable(conn, actor.id, id)?.ok_or(AppError::not_found("macro"))?;
    if found.shared() && !actor.may(Permission::MacroShare) {
        return Err(AppError::forbidden(Permission::MacroShare.refusal()));
    }
    Ok(found)
}

impl Ticketing {
    /// The macros the actor may use (shared ones and their own), those matching `q` in title
    /// or text; macros in `language` come first, then by title. At most 50.
    pub async fn list_macros(
        &self,
        actor: &Actor,
        q: Option<&str>,
        language: Option<&str>,
    ) -> AppResult<Vec<MacroView>> {
        let grant = actor.grant(Permission::MacroUse)?;
        let pattern = q
            .map(str::trim)
            .filter(|q| !q.is_empty())
            .map(|q| {
                input::refuse_nul("q", q)?;
                Ok::<_, AppError>(input::like_pattern(
                    &q.to_lowercase().chars().take(100).collect::<String>(),
                ))
            })
            .transpose()?;
        let language = language.unwrap_or("").to_string();
        let me = actor.id;
        self.kernel
            .query(&grant, move |conn| {
                repo::macros::usable(conn, me, pattern.as_deref(), &language)
            })
            .await
    }

    /// One macro the actor may use.
    pub async fn get_macro(&self, actor: &Actor, id: i64) -> AppResult<MacroView> {
        let grant = actor.grant(Permission::MacroUse)?;
        let me = actor.id;
        self.kernel
            .query(&grant, move |conn| {
                repo::macros::get_usable(conn, me, id)?.ok_or(AppError::not_found("macro"))
            })
            .await
    }

    /// Creates a macro: personal, or shared (supervisors and admins).
    pub async fn create_macro(&self, actor: &Actor, input: NewMacro) -> AppResult<MacroView> {
        let grant = actor.grant(if input.shared {
            Permission::MacroShare
        } else {
            Permission::MacroUse
        })?;
        let valid = validate(actor, &input)?;
        let me = actor.id;
        self.kernel
            .command(&grant, "macro.create", move |tx| {
                if let Some(team_id) = valid.set_team_id {
                    tickets::check_team(tx, "set_team_id", team_id)?;
                }
                let now = tx.now();
                let id = repo::macros::insert(tx.conn(), &valid, me, now)?;
                tx.emit(
                    None,
                    MacroCreated {
                        macro_id: id,
                        shared: valid.owner_id.is_none(),
                    },
                )?;
                repo::macros::get_usable(tx.conn(), me, id)?.ok_or(AppError::not_found("macro"))
            })
            .await
    }

    /// Changes a macro the actor may change.
    pub async fn update_macro(
        &self,
        actor: &Actor,
        id: i64,
        input: NewMacro,
    ) -> AppResult<MacroView> {
        let grant = actor.grant(if input.shared {
            Permission::MacroShare
        } else {
            Permission::MacroUse
        })?;
        let valid = validate(actor, &input)?;
        let actor = actor.clone();
        self.kernel
            .command(&grant, "macro.update", move |tx| {
                get_changeable(tx.conn(), &actor, id)?;
                if let Some(team_id) = valid.set_team_id {
                    tickets::check_team(tx, "set_team_id", team_id)?;
                }
                let now = tx.now();
                repo::macros::update(tx.conn(), id, &valid, now)?;
                tx.emit(
                    None,
                    MacroUpdated {
                        macro_id: id,
                        shared: valid.owner_id.is_none(),
                    },
                )?;
                repo::macros::get_usable(tx.conn(), actor.id, id)?
                    .ok_or(AppError::not_found("macro"))
            })
            .await
    }

    /// Deletes a macro the actor may change.
    pub async fn delete_macro(&self, actor: &Actor, id: i64) -> AppResult<()> {
        let grant = actor.grant(Permission::MacroUse)?;
        let actor = actor.clone();
        self.kernel
            .command(&grant, "macro.delete", move |tx| {
                get_changeable(tx.conn(), &actor, id)?;
                repo::macros::delete(tx.conn(), id)?;
                tx.emit(None, MacroDeleted { macro_id: id })
            })
            .await
    }

    /// A macro filled in for a ticket the actor may see: the customer's and the agent's names,
    /// the ticket's number and subject.
    pub async fn fill_macro(
        &self,
        actor: &Actor,
        id: i64,
        ticket_id: i64,
    ) -> AppResult<FilledMacro> {
        let grant = actor.grant(Permission::MacroUse)?;
        let actor = actor.clone();
        self.kernel
            .query(&grant, move |conn| {
                let found = repo::macros::get_usable(conn, actor.id, id)?
                    .ok_or(AppError::not_found("macro"))?;
                let ticket = repo::tickets::get_visible(conn, &actor, ticket_id)?;
                Ok(FilledMacro {
                    id: found.id,
                    body: fill_for(conn, &found.body, &ticket, &actor.name)?,
                    set_status: found.set_status,
                    add_tags: found.add_tags,
                    set_team_id: found.set_team_id,
                })
            })
            .await
    }
}

/// A shared macro by id (personal ones are no one else's to use), for tiski's own replies.
pub fn shared_macro(conn: &mut dyn Conn, id: i64) -> AppResult<Option<MacroView>> {
    repo::macros::get_usable(conn, 0, id)
}

/// `text` with its placeholders filled for `ticket`: its customer's name and address, the
/// writer's name, the ticket's number and subject (the one filler, `domain::placeholders`).
pub fn fill_for(
    conn: &mut dyn Conn,
    text: &str,
    ticket: &tickets::TicketView,
    writer: &str,
) -> AppResult<String> {
    let values = PlaceholderValues {
        customer_name: ticket.requester.name.clone(),
        customer_email: customers::first_email(conn, ticket.requester.id)?.unwrap_or_default(),
        agent_name: writer.to_string(),
        ticket_id: ticket.id,
        ticket_subject: ticket.subject.clone(),
        mailbox_name: String::new(),
    };
    Ok(placeholders::fill(text, &values))
}
