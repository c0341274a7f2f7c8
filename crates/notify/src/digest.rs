//! The email digest: an agent who was away gets one mail listing their unread notifications
//! of the kinds they want by email, once the oldest of them has waited
//! `notification_digest_delay` and they have not been active in the workspace since it was
//! made.
//!
//! One worker step looks at the recipients with such a notification, each in a transaction
//! of its own: notifications the agent was active after (they saw the bell), of kinds they do
//! not want mailed, or about tickets they may no longer see are passed over; the rest are
//! marked `digested_at` with a conditional update (so a second node marks none of them and
//! sends nothing), the mail is queued through the [`DigestMail`] port in the same
//! transaction, and `notification.digested` names them. Notify never names email: the
//! application plugs the email context's outbox into the port.

use crate::letter::{self, Letter, Line};
use crate::repo;
use crate::{Notify, complete};
use tiski_domain::event::NotificationDigested;
use tiski_kernel::{AppError, AppResult, Conn, Tx, time};
use tiski_ticketing::tickets;

/// The most notifications one digest mail lists (more wait for the next one).
const MAX_LINES: i64 = 100;

/// Where the digest's mail goes out: a port the application fills with the email context.
pub trait DigestMail: Send + Sync {
    /// Whether a mail to staff can go out now (something to send it through).
    fn available(&self, conn: &mut dyn Conn) -> AppResult<bool>;
    /// Queues the mail inside the digest's transaction; an error rolls the digest back.
    fn queue(&self, tx: &mut Tx<'_, '_>, letter: &Letter) -> AppResult<()>;
}

/// What one digest step did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DigestStep {
    /// Recipients looked at.
    pub looked: usize,
    /// Digest mails queued.
    pub mailed: usize,
}

impl Notify {
    /// One step of the digest worker: looks at up to `batch` agents with an unread
    /// notification older than the delay that no digest took up yet, and mails each their
    /// digest when it is due.
    pub async fn digest(&self, batch: i64) -> AppResult<DigestStep> {
        let Some(port) = self.digest_mail.clone() else {
            return Ok(DigestStep::default());
        };
        let delay = time::micros(self.kernel.settings().notification_digest_delay);
        let cutoff = self.kernel.now() - delay;
        let recipients = self
            .kernel
            .read_internal(move |conn| repo::digest_due(conn, cutoff, batch))
            .await?;
        let mut step = DigestStep {
            looked: recipients.len(),
            mailed: 0,
        };
        let base = self.kernel.settings().public_base();
        for recipient in recipients {
            let port = port.clone();
            let base = base.clone();
            let mailed = self
                .kernel
                .housekeeping("notification.digest", move |tx| {
                    digest_one(tx, port.as_ref(), recipient, delay, &base)
                })
                .await?;
            step.mailed += usize::from(mailed);
        }
        Ok(step)
    }
}

/// The digest of one recipient, in the caller's transaction: whether a mail was queued.
fn digest_one(
    tx: &mut Tx<'_, '_>,
    port: &dyn DigestMail,
    recipient: i64,
    delay: i64,
    base: &str,
) -> AppResult<bool> {
    let now = tx.now();
    let pending = repo::undigested(tx.conn(), recipient, MAX_LINES)?;
    if pending.is_empty() {
        return Ok(false);
    }
    let contact = tiski_staff::lookup::contact(tx.conn(), recipient)?;
    let actor = tiski_staff::lookup::actor(tx.conn(), recipient)?;
    let (Some(contact), Some(actor)) = (contact, actor) else {
        // Deactivated: nothing of theirs is mailed.
        let ids: Vec<i64> = pending.iter().map(|n| n.id).collect();
        repo::take(tx.conn(), recipient, &ids, now)?;
        return Ok(false);
    };
    let active_since = tiski_staff::lookup::last_active(tx.conn(), recipient)?;
    let preferences = complete(&repo::preferences(tx.conn(), recipient)?);
    let mut passed = Vec::new();
    let mut chosen: Vec<(repo::Pending, Line)> = Vec::new();
    for notification in pending {
        let wanted = preferences
            .iter()
            .any(|p| p.kind == notification.kind && p.in_app && p.email);
        // Active in the workspace after it was made: they had the bell in front of them.
        let seen = active_since.is_some_and(|at| at >= notification.created_at);
        if !wanted || seen {
            passed.push(notification.id);
            continue;
        }
        let subject = match notification.ticket_id {
            None => String::new(),
            Some(id) => match tickets::get(tx.conn(), id) {
                Ok(ticket) if actor.can_see_ticket(ticket.team_id, ticket.assignee_id) => {
                    ticket.subject
                }
                Ok(_) | Err(AppError::NotFound { .. }) => {
                    passed.push(notification.id);
                    continue;
                }
                Err(error) => return Err(error),
            },
        };
        let line = Line {
            kind: notification.kind,
            ticket_id: notification.ticket_id,
            subject,
        };
        chosen.push((notification, line));
    }
    repo::take(tx.conn(), recipient, &passed, now)?;
    let due = chosen
        .first()
        .is_some_and(|(n, _)| n.created_at <= now - delay);
    if !due || !port.available(tx.conn())? {
        return Ok(false);
    }
    let ids: Vec<i64> = chosen.iter().map(|(n, _)| n.id).collect();
    // Only what this transaction marked: another node's digest, or the agent reading it
    // meanwhile, leaves it out.
    let taken = repo::take(tx.conn(), recipient, &ids, now)?;
    let lines: Vec<Line> = chosen
        .into_iter()
        .filter(|(n, _)| taken.contains(&n.id))
        .map(|(_, line)| line)
        .collect();
    if lines.is_empty() {
        return Ok(false);
    }
    let letter = letter::write(
        contact.locale.as_deref(),
        &contact.email,
        &contact.name,
        &lines,
        base,
    );
    port.queue(tx, &letter)?;
    tx.emit(
        None,
        NotificationDigested {
            recipient_id: recipient,
            count: i64::try_from(taken.len()).unwrap_or(i64::MAX),
            notification_ids: taken,
        },
    )?;
    Ok(true)
}
