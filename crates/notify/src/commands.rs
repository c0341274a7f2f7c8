//! Commands and queries of notifications: the caller's list and unread count, marking read,
//! preferences, asking a colleague for help, and who a note may mention.

use crate::rules::{ReadRequest, ReadTarget};
use crate::{NotificationView, Notify, Preference, PreferenceChange, complete, repo};
use serde::Serialize;
use std::collections::HashSet;
use tiski_domain::event::{NotificationPreferencesChanged, NotificationsRead, TicketHelpRequested};
use tiski_domain::{AuthorKind, MessageKind, NotificationKind, Permission, Status};
use tiski_kernel::{Actor, AppError, AppResult, Conn, ErrorCode, cursor, input};
use tiski_ticketing::{MessageView, TicketView, ValidMessage, messages, tickets};

/// One page of the caller's notifications, newest first, with their unread count.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct NotificationPage {
    /// The notifications of this page.
    pub items: Vec<NotificationView>,
    /// Pass as `cursor` for the next (older) page; absent on the last page.
    pub next_cursor: Option<String>,
    /// How many of the caller's notifications are unread (all pages).
    pub unread: i64,
}

/// What marking read did.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ReadResult {
    /// How many notifications turned read (ids of others, unknown or already read ones are
    /// skipped).
    pub marked: i64,
    /// How many of the caller's notifications are still unread.
    pub unread: i64,
}

/// A colleague a note on a ticket may mention: staff who may see the ticket.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Mentionable {
    /// Their user id.
    pub id: i64,
    /// Their display name; `@` and this mentions them.
    pub name: String,
    /// Their email's local part; `@` and this mentions them too.
    pub handle: String,
}

/// The ticket `id` if `actor` may see it (404 otherwise, as for a ticket nothing has).
pub(crate) fn visible_ticket(conn: &mut dyn Conn, actor: &Actor, id: i64) -> AppResult<TicketView> {
    let ticket = match tickets::get(conn, id) {
        Ok(ticket) => ticket,
        Err(AppError::NotFound { .. }) => return Err(AppError::not_found("ticket")),
        Err(error) => return Err(error),
    };
    if !actor.can_see_ticket(ticket.team_id, ticket.assignee_id) {
        return Err(AppError::not_found("ticket"));
    }
    Ok(ticket)
}

/// Active staff who may see `ticket`, but not `except`.
pub(crate) fn who_may_see(
    conn: &mut dyn Conn,
    ticket: &TicketView,
    except: Option<i64>,
) -> AppResult<Vec<Actor>> {
    Ok(tiski_staff::lookup::active_actors(conn)?
        .into_iter()
        .filter(|a| Some(a.id) != except && a.can_see_ticket(ticket.team_id, ticket.assignee_id))
        .collect())
}

impl Notify {
    /// The caller's notifications, newest first (`cursor` from a previous page), and how
    /// many are unread.
    pub async fn list(
        &self,
        actor: &Actor,
        limit: Option<i64>,
        cursor: Option<String>,
    ) -> AppResult<NotificationPage> {
        let grant = actor.grant(Permission::NotificationOwn)?;
        let limit = cursor::limit(limit)?;
        let before = cursor::before_id(cursor.as_deref())?;
        let me = actor.id;
        self.kernel
            .query(&grant, move |conn| {
                let items = repo::list(conn, me, before, limit + 1)?;
                let page = cursor::page_by_id(items, limit, true, |n| n.id);
                Ok(NotificationPage {
                    items: page.items,
                    next_cursor: page.next_cursor,
                    unread: repo::unread(conn, me)?,
                })
            })
            .await
    }

    /// How many of the caller's notifications are unread (the bell's count).
    pub async fn unread(&self, actor: &Actor) -> AppResult<i64> {
        let grant = actor.grant(Permission::NotificationOwn)?;
        let me = actor.id;
        self.kernel
            .query(&grant, move |conn| repo::unread(conn, me))
            .await
    }

    /// Marks the caller's notifications read: the ids given (others' and unknown ones are
    /// skipped, so nothing tells whether they exist) or all.
    pub async fn mark_read(&self, actor: &Actor, request: ReadRequest) -> AppResult<ReadResult> {
        let grant = actor.grant(Permission::NotificationOwn)?;
        let target = request.validate()?;
        let me = actor.id;
        self.kernel
            .command(&grant, "notification.read", move |tx| {
                let now = tx.now();
                let marked = match &target {
                    ReadTarget::Ids(ids) => repo::mark_ids(tx.conn(), me, ids, now)?,
                    ReadTarget::All => repo::mark_all(tx.conn(), me, now)?,
                };
                tx.emit(
                    None,
                    NotificationsRead {
                        recipient_id: me,
                        count: marked,
                    },
                )?;
                Ok(ReadResult {
                    marked,
                    unread: repo::unread(tx.conn(), me)?,
                })
            })
            .await
    }

    /// Opens one of the caller's notifications: marks it read and answers its ticket (404
    /// for anyone else's, as for one nothing has).
    pub async fn open(&self, actor: &Actor, id: i64) -> AppResult<Option<i64>> {
        let grant = actor.grant(Permission::NotificationOwn)?;
        let me = actor.id;
        self.kernel
            .command(&grant, "notification.read", move |tx| {
                let Some(ticket) = repo::ticket_of(tx.conn(), me, id)? else {
                    return Err(AppError::not_found("notification"));
                };
                let now = tx.now();
                let marked = repo::mark_ids(tx.conn(), me, &[id], now)?;
                tx.emit(
                    None,
                    NotificationsRead {
                        recipient_id: me,
                        count: marked,
                    },
                )?;
                Ok(ticket)
            })
            .await
    }

    /// The caller's preference for every kind.
    pub async fn preferences(&self, actor: &Actor) -> AppResult<Vec<Preference>> {
        let grant = actor.grant(Permission::NotificationOwn)?;
        let me = actor.id;
        self.kernel
            .query(&grant, move |conn| {
                Ok(complete(&repo::preferences(conn, me)?))
            })
            .await
    }

    /// Sets the caller's preferences for the kinds given (each at most once; the others keep
    /// theirs); answers every kind's.
    pub async fn set_preferences(
        &self,
        actor: &Actor,
        changes: Vec<PreferenceChange>,
    ) -> AppResult<Vec<Preference>> {
        let grant = actor.grant(Permission::NotificationOwn)?;
        let mut seen = HashSet::new();
        for (index, change) in changes.iter().enumerate() {
            if !seen.insert(change.kind) {
                return Err(AppError::invalid(
                    format!("preferences/{index}/kind"),
                    format!("The kind {} is given twice.", change.kind),
                ));
            }
        }
        let me = actor.id;
        self.kernel
            .command(&grant, "notification.preferences", move |tx| {
                let before = complete(&repo::preferences(tx.conn(), me)?);
                let mut kinds = Vec::new();
                for change in &changes {
                    let Some(was) = before.iter().find(|p| p.kind == change.kind) else {
                        continue;
                    };
                    let now = Preference {
                        kind: change.kind,
                        in_app: change.in_app,
                        browser: change.browser,
                        email: change.email.unwrap_or(was.email),
                    };
                    if *was != now {
                        kinds.push(change.kind);
                    }
                    repo::set_preference(tx.conn(), me, &now)?;
                }
                tx.emit(
                    None,
                    NotificationPreferencesChanged {
                        agent_id: me,
                        kinds,
                    },
                )?;
                Ok(complete(&repo::preferences(tx.conn(), me)?))
            })
            .await
    }

    /// Asks a colleague for help on a ticket: the request becomes an internal note and
    /// `ticket.help_requested` names the colleague, who is notified. The ticket stays with
    /// whoever has it.
    pub async fn ask_for_help(
        &self,
        actor: &Actor,
        ticket_id: i64,
        colleague_id: i64,
        request: &str,
    ) -> AppResult<MessageView> {
        let grant = actor.grant(Permission::TicketAskHelp)?;
        let text = input::trimmed(
            "request",
            request,
            1,
            2000,
            "Say in 1 to 2000 characters what you need help with.",
        )?;
        if colleague_id == actor.id {
            return Err(AppError::invalid(
                "colleague_id",
                "Ask a colleague, not yourself.",
            ));
        }
        self.kernel
            .command(&grant, "ticket.ask_help", move |tx| {
                let actor = tx.actor().clone();
                let ticket = visible_ticket(tx.conn(), &actor, ticket_id)?;
                if ticket.status == Status::Closed {
                    return Err(AppError::conflict_without_field(
                        ErrorCode::TicketClosed,
                        format!("Ticket {ticket_id} is closed; it takes no more replies or notes."),
                    ));
                }
                let colleague = tiski_staff::lookup::actor(tx.conn(), colleague_id)?;
                if !colleague.is_some_and(|c| c.can_see_ticket(ticket.team_id, ticket.assignee_id))
                {
                    return Err(AppError::invalid(
                        "colleague_id",
                        "Choose an active colleague who may see this ticket.",
                    ));
                }
                let note = ValidMessage {
                    body: text.clone(),
                    html: None,
                    kind: MessageKind::Note,
                    author: AuthorKind::Agent,
                    channel: None,
                    attachments: Vec::new(),
                };
                tickets::touch(tx, ticket_id)?;
                let view = messages::insert(tx, &ticket, &note, ticket.channel)?;
                tx.emit(
                    Some(ticket_id),
                    TicketHelpRequested {
                        colleague_id,
                        message_id: view.id,
                    },
                )?;
                Ok(view)
            })
            .await
    }

    /// Who a note on the ticket may mention (staff who may see it, the caller aside), by name.
    pub async fn mentionable(&self, actor: &Actor, ticket_id: i64) -> AppResult<Vec<Mentionable>> {
        let grant = actor.grant(Permission::TicketRead)?;
        let actor = actor.clone();
        self.kernel
            .query(&grant, move |conn| {
                let ticket = visible_ticket(conn, &actor, ticket_id)?;
                let mut people: Vec<Mentionable> = who_may_see(conn, &ticket, Some(actor.id))?
                    .into_iter()
                    .map(|a| Mentionable {
                        id: a.id,
                        handle: crate::rules::handle_of(&a.email).to_string(),
                        name: a.name,
                    })
                    .collect();
                people.sort_by_key(|a| a.name.to_lowercase());
                Ok(people)
            })
            .await
    }

    /// Whether the caller wants `kind` as a browser notification too.
    pub async fn wants_browser(&self, actor: &Actor, kind: NotificationKind) -> AppResult<bool> {
        let preference = self
            .preferences(actor)
            .await?
            .into_iter()
            .find(|p| p.kind == kind)
            .unwrap_or_else(|| Preference::default_for(kind));
        Ok(preference.in_app && preference.browser)
    }
}
