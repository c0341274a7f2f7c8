//! The event log as a reader sees it: a ticket's history, and the log after an id (every
//! event for admins, the events of the tickets they see for everyone else).

use crate::{Ticketing, repo};
use tiski_domain::Permission;
use tiski_kernel::{Actor, AppResult, EventView, Page, cursor, events};

impl Ticketing {
    /// A ticket's history (its events, and those of the tickets merged into it), oldest first.
    pub async fn ticket_events(
        &self,
        actor: &Actor,
        ticket_id: i64,
        limit: Option<i64>,
        cursor: Option<String>,
    ) -> AppResult<Page<EventView>> {
        let grant = actor.grant(Permission::TicketRead)?;
        let limit = cursor::limit(limit)?;
        let after = cursor::after_id(cursor.as_deref())?;
        let actor = actor.clone();
        self.kernel
            .query(&grant, move |conn| {
                repo::tickets::get_visible(conn, &actor, ticket_id)?;
                let family = repo::reshape::merged_family(conn, ticket_id)?;
                let items = if family.len() > 1 {
                    repo::reshape::events_of(conn, &family, after, limit + 1)?
                } else {
                    events::of_ticket(conn, ticket_id, after, limit + 1)?
                };
                Ok(cursor::page_by_id(items, limit, false, |e| e.id))
            })
            .await
    }

    /// Events after `after` that the actor may see, oldest first.
    pub async fn events_after(
        &self,
        actor: &Actor,
        after: i64,
        limit: Option<i64>,
    ) -> AppResult<Page<EventView>> {
        let grant = actor.grant(Permission::EventRead)?;
        let limit = cursor::limit(limit)?;
        let actor = actor.clone();
        self.kernel
            .query(&grant, move |conn| {
                let items = if actor.is_admin() {
                    events::after(conn, after, limit + 1)?
                } else {
                    repo::history::of_visible_tickets(conn, &actor, after, limit + 1)?
                };
                Ok(cursor::page_by_id(items, limit, false, |e| e.id))
            })
            .await
    }
}
