//! The access log: who read which customer's record or ticket's conversation, when, and from
//! which client address, kept apart from the event log (reads are not changes) in the
//! append-only `access_log` table, searched and exported by admins and pruned after the
//! retention the settings give.
//!
//! Recording must not make a read wait on the store's single writer: a read hands its
//! entries to a bounded in-memory buffer ([`BUFFER`] entries) and returns; the flusher
//! (started with the other workers) writes what has gathered in one transaction every
//! [`FLUSH_EVERY`], or sooner when [`BATCH`] entries wait, and writes the rest when the server
//! stops. Only when the buffer is full does a read wait for room, so memory stays bounded
//! under any load. What a crash (not a graceful stop) loses is what waited in the buffer: at
//! most the last [`FLUSH_EVERY`] of reads. A search flushes first, so it sees every read
//! recorded before it.

mod flusher;

use crate::{Ticketing, repo};
use serde::{Deserialize, Serialize};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tiski_domain::Permission;
use tiski_kernel::{Actor, AppError, AppResult, Page, cursor, time};
use tokio::sync::{mpsc, oneshot};

pub use flusher::run_flusher;

/// Entries the buffer holds before a read waits for room.
pub const BUFFER: usize = 10_000;
/// Entries written in one transaction at most.
pub const BATCH: usize = 1_000;
/// How long an entry waits in the buffer at most (before a crash could lose it).
pub const FLUSH_EVERY: Duration = Duration::from_millis(250);

/// What was read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccessAction {
    /// A customer's record (the customer page or `GET /customers/{id}`).
    CustomerRead,
    /// A customer's record shown in a list or a search.
    CustomerList,
    /// A ticket's conversation (its messages).
    TicketConversation,
    /// A file of a message, downloaded.
    AttachmentDownload,
    /// A customer's data exported (GDPR).
    CustomerExport,
}

impl AccessAction {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            AccessAction::CustomerRead => "customer.read",
            AccessAction::CustomerList => "customer.list",
            AccessAction::TicketConversation => "ticket.conversation",
            AccessAction::AttachmentDownload => "attachment.download",
            AccessAction::CustomerExport => "customer.export",
        }
    }
}

/// Which surface the read came through.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Surface {
    /// `/api/v1`.
    Api,
    /// The agent workspace.
    Ui,
    /// The command line.
    Cli,
}

impl Surface {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Surface::Api => "api",
            Surface::Ui => "ui",
            Surface::Cli => "cli",
        }
    }
}

/// One read to record: what, and whose data.
#[derive(Debug, Clone, Copy)]
pub struct Access {
    /// What was read.
    pub action: AccessAction,
    /// The customer whose data it was.
    pub customer_id: Option<i64>,
    /// The ticket it was on; when absent, the ticket of `message_id`, found when written.
    pub ticket_id: Option<i64>,
    /// The message (of a downloaded file), to find the ticket by.
    pub message_id: Option<i64>,
}

impl Access {
    /// A customer's record read.
    pub fn customer(action: AccessAction, customer_id: i64) -> Access {
        Access {
            action,
            customer_id: Some(customer_id),
            ticket_id: None,
            message_id: None,
        }
    }

    /// A ticket's conversation read (its customer is found when the entry is written).
    pub fn conversation(ticket_id: i64) -> Access {
        Access {
            action: AccessAction::TicketConversation,
            customer_id: None,
            ticket_id: Some(ticket_id),
            message_id: None,
        }
    }

    /// A file of message `message_id` downloaded.
    pub fn download(message_id: i64) -> Access {
        Access {
            action: AccessAction::AttachmentDownload,
            customer_id: None,
            ticket_id: None,
            message_id: Some(message_id),
        }
    }
}

/// Who read, from where and through which surface.
#[derive(Debug, Clone)]
pub struct Reader<'a> {
    /// The signed-in staff user.
    pub actor: &'a Actor,
    /// The client address as the web layer determines it.
    pub client: Option<String>,
    /// The surface.
    pub surface: Surface,
}

/// An entry waiting in the buffer.
#[derive(Debug, Clone)]
pub(crate) struct PendingAccess {
    pub at: i64,
    pub actor_id: i64,
    pub action: AccessAction,
    pub customer_id: Option<i64>,
    pub ticket_id: Option<i64>,
    pub message_id: Option<i64>,
    pub client: Option<String>,
    pub surface: Surface,
}

/// What goes through the buffer: entries, or a request to write everything now.
pub(crate) enum Buffered {
    Entry(PendingAccess),
    Flush(oneshot::Sender<()>),
}

/// The buffer's two ends; the receiving end is taken once by the flusher.
pub(crate) struct AccessLog {
    sender: mpsc::Sender<Buffered>,
    receiver: Mutex<Option<mpsc::Receiver<Buffered>>>,
}

impl AccessLog {
    pub(crate) fn new() -> Arc<AccessLog> {
        let (sender, receiver) = mpsc::channel(BUFFER);
        Arc::new(AccessLog {
            sender,
            receiver: Mutex::new(Some(receiver)),
        })
    }
}

/// An entry of the access log as the API shows it.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct AccessEntry {
    /// Id (increasing).
    pub id: i64,
    /// When it was read (RFC 3339).
    pub at: String,
    /// The staff user who read.
    pub actor_id: i64,
    /// What was read: `customer.read`, `customer.list`, `ticket.conversation`,
    /// `attachment.download` or `customer.export`.
    pub action: String,
    /// The customer whose data it was.
    pub customer_id: Option<i64>,
    /// The ticket it was on.
    pub ticket_id: Option<i64>,
    /// The client address.
    pub client: Option<String>,
    /// `api`, `ui` or `cli`.
    pub surface: String,
}

/// A search of the access log, validated.
#[derive(Debug, Clone, Default)]
pub struct AccessQuery {
    /// Only reads by this user.
    pub actor_id: Option<i64>,
    /// Only reads of this customer's data.
    pub customer_id: Option<i64>,
    /// Only reads of this ticket.
    pub ticket_id: Option<i64>,
    /// From this time on (microseconds).
    pub since: Option<i64>,
    /// Before this time (microseconds).
    pub until: Option<i64>,
}

/// A search of the access log as given (query string), before validation.
#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct AccessFilter {
    /// Only reads by this staff user.
    pub actor_id: Option<i64>,
    /// Only reads of this customer's data.
    pub customer_id: Option<i64>,
    /// Only reads of this ticket.
    pub ticket_id: Option<i64>,
    /// From this time on (RFC 3339).
    pub since: Option<String>,
    /// Before this time (RFC 3339).
    pub until: Option<String>,
    /// Page size (1–200).
    pub limit: Option<i64>,
    /// Cursor from the previous page.
    pub cursor: Option<String>,
    /// Export format (`csv` or `json`), for the export.
    pub format: Option<String>,
}

impl AccessFilter {
    /// The validated search, naming the field at fault.
    pub fn query(&self) -> AppResult<AccessQuery> {
        let at = |field: &str, text: &Option<String>| {
            text.as_deref().map(|t| time::parse(field, t)).transpose()
        };
        let query = AccessQuery {
            actor_id: self.actor_id,
            customer_id: self.customer_id,
            ticket_id: self.ticket_id,
            since: at("since", &self.since)?,
            until: at("until", &self.until)?,
        };
        if let (Some(since), Some(until)) = (query.since, query.until)
            && since > until
        {
            return Err(AppError::invalid(
                "until",
                "until must not be before since.",
            ));
        }
        Ok(query)
    }
}

/// Rows one export reads per query.
const EXPORT_PAGE: i64 = 1_000;

impl Ticketing {
    /// Records reads of customer data by `reader`. Returns at once unless the buffer is full.
    pub async fn record_access(&self, reader: Reader<'_>, accesses: &[Access]) {
        if reader.actor.is_system() {
            return;
        }
        let at = self.kernel.now();
        for access in accesses {
            let entry = Buffered::Entry(PendingAccess {
                at,
                actor_id: reader.actor.id,
                action: access.action,
                customer_id: access.customer_id,
                ticket_id: access.ticket_id,
                message_id: access.message_id,
                client: reader.client.clone(),
                surface: reader.surface,
            });
            let entry = match self.access.sender.try_send(entry) {
                Ok(()) => continue,
                Err(mpsc::error::TrySendError::Full(entry)) => entry,
                Err(mpsc::error::TrySendError::Closed(_)) => {
                    tracing::warn!("the access log is closed; a read went unrecorded");
                    return;
                }
            };
            metrics::counter!("tiski_access_log_waits_total").increment(1);
            if self.access.sender.send(entry).await.is_err() {
                tracing::warn!("the access log is closed; a read went unrecorded");
                return;
            }
        }
    }

    /// Writes every buffered entry now (a search does first, so it sees every earlier read).
    /// Gives up after a few seconds when no flusher runs (the command line).
    pub async fn flush_access_log(&self) {
        let (ack, done) = oneshot::channel();
        if self.access.sender.send(Buffered::Flush(ack)).await.is_ok() {
            let _ = tokio::time::timeout(Duration::from_secs(5), done).await;
        }
    }

    /// Searches the access log, newest first. Admins only.
    pub async fn search_access(
        &self,
        actor: &Actor,
        filter: &AccessFilter,
    ) -> AppResult<Page<AccessEntry>> {
        let grant = actor.grant(Permission::AuditRead)?;
        let query = filter.query()?;
        let limit = cursor::limit(filter.limit)?;
        let before = cursor::before_id(filter.cursor.as_deref())?;
        self.flush_access_log().await;
        self.kernel
            .query(&grant, move |conn| {
                let items = repo::access::search(conn, &query, before, limit + 1)?;
                Ok(cursor::page_by_id(items, limit, true, |e| e.id))
            })
            .await
    }

    /// One page of an export of the access log (newest first, entries below `before`), and
    /// the `before` of the next page when there is one. Admins only.
    pub async fn export_access_page(
        &self,
        actor: &Actor,
        query: AccessQuery,
        before: i64,
    ) -> AppResult<(Vec<AccessEntry>, Option<i64>)> {
        let grant = actor.grant(Permission::AuditRead)?;
        if before == i64::MAX {
            self.flush_access_log().await;
        }
        self.kernel
            .query(&grant, move |conn| {
                let items = repo::access::search(conn, &query, before, EXPORT_PAGE)?;
                let next = (items.len() as i64 == EXPORT_PAGE)
                    .then(|| items.last().map(|e| e.id))
                    .flatten();
                Ok((items, next))
            })
            .await
    }

    /// Deletes up to `limit` entries older than the retention (`access_log_days`) on the
    /// kernel clock; returns how many. Run by the pruner worker.
    pub async fn prune_access_log(&self, limit: i64) -> AppResult<usize> {
        let cutoff = self.kernel.now() - time::micros(self.kernel.settings().access_log_keep());
        self.kernel
            .housekeeping("access_log.prune", move |tx| {
                repo::access::prune(tx.conn(), cutoff, limit)
            })
            .await
    }
}
