//! Offers: work the router pushes on a channel with an offer timeout (a call, a chat) waits
//! for the agent's answer, holding their capacity. Accepted, it is assigned; declined, left
//! unanswered past its time (the worker, on the kernel clock) or lapsed because the agent went
//! offline, it waits again with its original place, and the agent who declined or did not
//! answer is "not responding" until they or a supervisor set their status.

use crate::repo::{self, Item};
use crate::{OfferOutcome, OfferView, Routing};
use tiski_domain::Permission;
use tiski_domain::event::{AgentNotResponding, TicketOfferAccepted, TicketOfferLapsed};
use tiski_domain::routing::OfferLapse;
use tiski_kernel::{Actor, AppError, AppResult, Tx, time};
use tiski_ticketing::tickets;

/// The most lapsed offers one worker step ends.
pub const LAPSE_BATCH: i64 = 500;

fn view(item: &Item) -> Option<OfferView> {
    Some(OfferView {
        id: item.id,
        ticket_id: item.ticket_id,
        queue_id: item.queue_id?,
        channel: item.channel,
        offered_at: time::format(item.offered_at?),
        expires_at: time::format(item.offer_expires_at?),
    })
}

/// Ends the offer of `item` to `agent_id` without acceptance: the item waits again (its
/// eligible time kept) and, unless the agent went offline, they are not responding from now.
/// `false` when it was no longer offered to them.
pub(crate) fn lapse(
    tx: &mut Tx<'_, '_>,
    item: &Item,
    agent_id: i64,
    reason: OfferLapse,
) -> AppResult<bool> {
    let now = tx.now();
    if !repo::end_offer(tx.conn(), item.id, agent_id, false, now)? {
        return Ok(false);
    }
    tx.emit(
        Some(item.ticket_id),
        TicketOfferLapsed {
            work_item_id: item.id,
            agent_id,
            reason,
        },
    )?;
    if reason != OfferLapse::Offline && repo::set_not_responding(tx.conn(), agent_id, now)? {
        tx.emit(
            None,
            AgentNotResponding {
                agent_id,
                work_item_id: item.id,
                reason,
            },
        )?;
    }
    Ok(true)
}

/// Lapses every offer to an agent who went offline.
pub(crate) fn lapse_all(tx: &mut Tx<'_, '_>, agent_id: i64) -> AppResult<usize> {
    let mut lapsed = 0;
    for item in repo::offers_to(tx.conn(), agent_id)? {
        if lapse(tx, &item, agent_id, OfferLapse::Offline)? {
            lapsed += 1;
        }
    }
    Ok(lapsed)
}

/// The caller's offer `item_id`, still open at `now` (404 otherwise: someone else's, lapsed,
/// or none).
fn open_offer(tx: &mut Tx<'_, '_>, actor: &Actor, item_id: i64) -> AppResult<Item> {
    let now = tx.now();
    match repo::item(tx.conn(), item_id)? {
        Some(item)
            if item.state == "offered"
                && item.agent_id == Some(actor.id)
                && item.offer_expires_at.is_some_and(|end| now < end) =>
        {
            Ok(item)
        }
        _ => Err(AppError::not_found("offer")),
    }
}

impl Routing {
    /// The offers awaiting the caller's answer, oldest first.
    pub async fn offers(&self, actor: &Actor) -> AppResult<Vec<OfferView>> {
        let grant = actor.grant(Permission::OfferAnswer)?;
        let agent_id = actor.id;
        let now = self.kernel.now();
        self.kernel
            .query(&grant, move |conn| {
                Ok(repo::offers_to(conn, agent_id)?
                    .iter()
                    .filter(|item| item.offer_expires_at.is_some_and(|end| now < end))
                    .filter_map(view)
                    .collect())
            })
            .await
    }

    /// Accepts an offer made to the caller: the ticket is assigned to them.
    pub async fn accept_offer(&self, actor: &Actor, item_id: i64) -> AppResult<OfferOutcome> {
        let grant = actor.grant(Permission::OfferAnswer)?;
        let actor = actor.clone();
        self.kernel
            .command(&grant, "offer.accept", move |tx| {
                let item = open_offer(tx, &actor, item_id)?;
                let now = tx.now();
                if !repo::end_offer(tx.conn(), item.id, actor.id, true, now)? {
                    return Err(AppError::not_found("offer"));
                }
                tx.emit(
                    Some(item.ticket_id),
                    TicketOfferAccepted {
                        work_item_id: item.id,
                        agent_id: actor.id,
                    },
                )?;
                let ticket = tickets::get(tx.conn(), item.ticket_id)?;
                tickets::assign(tx, &ticket, Some(actor.id))?;
                Ok(OfferOutcome {
                    id: item.id,
                    ticket_id: item.ticket_id,
                    accepted: true,
                })
            })
            .await
    }

    /// Declines an offer made to the caller: it goes to the next agent with its place, and
    /// the caller is not responding until they set their status again.
    pub async fn decline_offer(&self, actor: &Actor, item_id: i64) -> AppResult<OfferOutcome> {
        let grant = actor.grant(Permission::OfferAnswer)?;
        let actor = actor.clone();
        self.kernel
            .command(&grant, "offer.decline", move |tx| {
                let item = open_offer(tx, &actor, item_id)?;
                if !lapse(tx, &item, actor.id, OfferLapse::Declined)? {
                    return Err(AppError::not_found("offer"));
                }
                Ok(OfferOutcome {
                    id: item.id,
                    ticket_id: item.ticket_id,
                    accepted: false,
                })
            })
            .await
    }

    /// Ends the offers whose time ran out by the kernel clock (the router's worker); how many.
    pub async fn lapse_offers(&self) -> AppResult<usize> {
        let grant = Actor::system().grant(Permission::RoutingAssign)?;
        let now = self.kernel.now();
        let due = self
            .kernel
            .query(&grant, move |conn| {
                repo::lapsed_offers(conn, now, LAPSE_BATCH)
            })
            .await?;
        if due.is_empty() {
            return Ok(0);
        }
        self.kernel
            .command(&grant, "offer.lapse", move |tx| {
                let mut lapsed = 0;
                for item in &due {
                    if let Some(agent_id) = item.agent_id
                        && lapse(tx, item, agent_id, OfferLapse::TimedOut)?
                    {
                        lapsed += 1;
                    }
                }
                Ok(lapsed)
            })
            .await
    }
}
