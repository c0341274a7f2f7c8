//! The customer's rights: an export of everything tiski keeps about a customer (one
//! `.tar.gz`: `customer.json` and their files), erasure (identities, notes, conversations,
//! files, mail copies, CC entries and stored API answers go; anonymised skeletons of their
//! tickets stay for statistics) and retention (closed tickets' conversations erased after the
//! months the settings give, by a worker, with a dry-run count first). Each is an event
//! without personal data. Admins only.

pub mod archive;

use crate::ports::{ErasureScope, Ports};
use crate::{CustomerView, MessageView, TicketView, Ticketing, repo};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use tiski_domain::Permission;
use tiski_domain::event::{
    CustomerErased, CustomerExported, ErasureReason, TicketConversationErased,
};
use tiski_kernel::{Actor, AppError, AppResult, Tx, blobs, idempotency, time};

/// A month of the retention setting, in days.
pub const RETENTION_MONTH_DAYS: u64 = 30;
/// Tickets one retention step erases.
pub const RETENTION_BATCH: i64 = 100;
/// The most due tickets a dry run counts.
pub const RETENTION_COUNT_CAP: i64 = 1_000_000;
/// Texts shorter than this are not searched for in stored API answers (they would match
/// answers about others).
const SHORTEST_NEEDLE: usize = 4;

/// One ticket in an export.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ExportedTicket {
    /// The ticket.
    pub ticket: TicketView,
    /// The people copied on it: `(email, name)`.
    pub cc: Vec<(String, Option<String>)>,
    /// Its messages, oldest first, with their files listed.
    pub messages: Vec<MessageView>,
}

/// `customer.json` of an export.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CustomerExport {
    /// When it was made (RFC 3339).
    pub exported_at: String,
    /// The customer's record.
    pub customer: CustomerView,
    /// Every ticket of theirs.
    pub tickets: Vec<ExportedTicket>,
    /// Where each file is in the archive: `(attachment id, path)`.
    pub files: Vec<(i64, String)>,
}

/// What an erasure must be told, so a slip of the hand cannot erase someone.
#[derive(Debug, Clone, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EraseRequest {
    /// The id of the customer to erase, again.
    pub confirm: i64,
}

/// What an erasure did.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ErasureOutcome {
    /// The customer.
    pub customer_id: i64,
    /// Tickets left as anonymised skeletons.
    pub tickets: i64,
    /// Messages deleted.
    pub messages: i64,
}

/// The retention policy and what it would erase now (the dry run).
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct RetentionPreview {
    /// The months asked about (the setting unless the request names others).
    pub months: u32,
    /// Whether the worker applies a policy (`retention_closed_months` above 0).
    pub enabled: bool,
    /// The months the worker applies (0: off).
    pub configured_months: u32,
    /// Tickets closed before this time are due (RFC 3339).
    pub closed_before: String,
    /// Closed tickets whose conversations would be erased now.
    pub due: i64,
}

/// The cut-off of a retention of `months` at `now`.
fn cutoff(now: i64, months: u32) -> i64 {
    let days = u64::from(months) * RETENTION_MONTH_DAYS;
    now - time::micros(std::time::Duration::from_secs(days * 24 * 3600))
}

/// Erases the conversations of `ticket_ids` in the caller's transaction: messages, files,
/// CC entries, subjects, the channels' copies, and blobs nothing else uses. `needles`
/// collects the texts to search stored API answers for. Returns the messages deleted.
fn erase_conversations(
    tx: &mut Tx<'_, '_>,
    ports: &Ports,
    ticket_ids: &[i64],
    emails: &[String],
    customer_id: Option<i64>,
    reason: ErasureReason,
    needles: &mut Vec<String>,
) -> AppResult<i64> {
    let pairs = repo::erasure::messages_of(tx.conn(), ticket_ids)?;
    let message_ids: Vec<i64> = pairs.iter().map(|(m, _)| *m).collect();
    for ticket in ticket_ids {
        needles.push(repo::tickets::get(tx.conn(), *ticket)?.subject);
        for (email, name) in repo::cc::list(tx.conn(), *ticket)? {
            needles.push(email);
            needles.extend(name);
        }
    }
    for message in &message_ids {
        let (text, html) = repo::messages::text_of(tx.conn(), *message)?;
        needles.push(text);
        needles.extend(html);
    }
    let scope = ErasureScope {
        emails: emails.to_vec(),
        ticket_ids: ticket_ids.to_vec(),
        message_ids: message_ids.clone(),
        customer_id,
    };
    let mut digests: BTreeSet<String> = BTreeSet::new();
    for port in &ports.channel_data {
        digests.extend(port.erase(tx, &scope)?);
    }
    digests.extend(repo::erasure::delete_attachments(tx.conn(), &message_ids)?);
    // Drafts and staged files on these tickets go with them.
    digests.extend(repo::drafts::erase_tickets(tx.conn(), ticket_ids)?);
    let now = tx.now();
    repo::erasure::erase_conversations(tx.conn(), ticket_ids, now)?;
    let digests: Vec<String> = digests.into_iter().collect();
    crate::drafts::drop_unused_blobs(tx, ports, &digests)?;
    for ticket in ticket_ids {
        let messages = pairs.iter().filter(|(_, t)| t == ticket).count() as i64;
        tx.emit(Some(*ticket), TicketConversationErased { messages, reason })?;
    }
    Ok(message_ids.len() as i64)
}

/// Forgets stored API answers quoting any of `needles`.
fn forget_answers(tx: &mut Tx<'_, '_>, needles: &[String]) -> AppResult<()> {
    let needles: Vec<String> = needles
        .iter()
        .map(|n| n.trim().chars().take(120).collect::<String>())
        .filter(|n| n.chars().count() >= SHORTEST_NEEDLE)
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    idempotency::forget_quoting(tx.conn(), &needles)?;
    Ok(())
}

impl Ticketing {
    /// Everything about a customer as one `.tar.gz` (`customer.json` and `files/…`), and its
    /// file name. Records `customer.exported`. Admins only.
    pub async fn export_customer(&self, actor: &Actor, id: i64) -> AppResult<(String, Vec<u8>)> {
        let grant = actor.grant(Permission::CustomerPrivacy)?;
        let ports = self.ports.clone();
        self.kernel
            .command(&grant, "customer.export", move |tx| {
                let customer = repo::customers::get(tx.conn(), id)?;
                let mut tickets = Vec::new();
                let mut entries = Vec::new();
                let mut files = Vec::new();
                for ticket_id in repo::erasure::tickets_of(tx.conn(), id)? {
                    let ticket = repo::tickets::get(tx.conn(), ticket_id)?;
                    let cc = repo::cc::list(tx.conn(), ticket_id)?;
                    let mut messages =
                        repo::messages::of_ticket(tx.conn(), ticket_id, 0, i64::MAX)?;
                    repo::attachments::decorate(tx.conn(), &mut messages)?;
                    ports.decorate(tx.conn(), &mut messages)?;
                    for file in messages.iter().flat_map(|m| m.attachments.iter()) {
                        let (_, digest, _) = repo::attachments::get(tx.conn(), file.id)?
                            .ok_or(AppError::not_found("attachment"))?;
                        let name = file.filename.clone().unwrap_or_else(|| "file".into());
                        let path = archive::safe_path(&format!("files/{}/{name}", file.id));
                        entries.push((path.clone(), blobs::get(tx.conn(), &digest)?));
                        files.push((file.id, path));
                    }
                    tickets.push(ExportedTicket {
                        ticket,
                        cc,
                        messages,
                    });
                }
                let export = CustomerExport {
                    exported_at: time::format(tx.now()),
                    customer,
                    tickets,
                    files,
                };
                let json = serde_json::to_vec_pretty(&export).map_err(|e| {
                    AppError::Corrupt(format!("the export does not serialise: {e}"))
                })?;
                entries.insert(0, ("customer.json".to_string(), json));
                tx.emit(
                    None,
                    CustomerExported {
                        customer_id: id,
                        tickets: export.tickets.len() as i64,
                        files: export.files.len() as i64,
                    },
                )?;
                let bytes = archive::tar_gz(&entries, tx.now() / 1_000_000).map_err(|e| {
                    AppError::Corrupt(format!("the archive could not be built: {e}"))
                })?;
                Ok((format!("customer-{id}.tar.gz"), bytes))
            })
            .await
    }

    /// Erases a customer: their identities, notes and name, every conversation of theirs
    /// (messages, files, CC entries, subjects, raw and quarantined mail, queued mail and its
    /// delivery records), their address on others' CC lists, and stored API answers quoting
    /// any of it. Their tickets stay as anonymised skeletons. Admins only.
    pub async fn erase_customer(
        &self,
        actor: &Actor,
        id: i64,
        request: EraseRequest,
    ) -> AppResult<ErasureOutcome> {
        let grant = actor.grant(Permission::CustomerPrivacy)?;
        if request.confirm != id {
            return Err(AppError::invalid(
                "confirm",
                "To erase a customer, repeat their id in confirm.",
            ));
        }
        let ports = self.ports.clone();
        self.kernel
            .command(&grant, "customer.erase", move |tx| {
                let customer = repo::customers::get(tx.conn(), id)?;
                let mut needles = vec![customer.name.clone(), customer.notes.clone()];
                needles.extend(customer.emails.iter().cloned());
                needles.extend(customer.phones.iter().cloned());
                needles.extend(customer.organization.clone());
                let ticket_ids = repo::erasure::tickets_of(tx.conn(), id)?;
                let messages = erase_conversations(
                    tx,
                    &ports,
                    &ticket_ids,
                    &customer.emails,
                    Some(id),
                    ErasureReason::Customer,
                    &mut needles,
                )?;
                for email in &customer.emails {
                    repo::erasure::delete_cc_address(tx.conn(), email)?;
                }
                let now = tx.now();
                repo::erasure::anonymise_customer(tx.conn(), id, now)?;
                forget_answers(tx, &needles)?;
                let tickets = ticket_ids.len() as i64;
                tx.emit(
                    None,
                    CustomerErased {
                        customer_id: id,
                        tickets,
                        messages,
                    },
                )?;
                Ok(ErasureOutcome {
                    customer_id: id,
                    tickets,
                    messages,
                })
            })
            .await
    }

    /// The retention policy and how many closed tickets it would erase now, for `months`
    /// (the setting when absent): the dry run. Admins only.
    pub async fn retention_preview(
        &self,
        actor: &Actor,
        months: Option<u32>,
    ) -> AppResult<RetentionPreview> {
        let grant = actor.grant(Permission::CustomerPrivacy)?;
        let configured = self.kernel.settings().retention_closed_months;
        let months = months.unwrap_or(configured);
        if !(1..=1200).contains(&months) {
            return Err(AppError::invalid(
                "months",
                "Give the months (1 to 1200) to count for; retention is off in the settings.",
            ));
        }
        let before = cutoff(self.kernel.now(), months);
        let due = self
            .kernel
            .query(&grant, move |conn| {
                repo::erasure::count_closed_before(conn, before, RETENTION_COUNT_CAP)
            })
            .await?;
        Ok(RetentionPreview {
            months,
            enabled: configured > 0,
            configured_months: configured,
            closed_before: time::format(before),
            due,
        })
    }

    /// One step of the retention worker: erases the conversations of up to `batch` tickets
    /// closed longer ago than the setting says (none when it is 0); returns how many.
    pub async fn apply_retention(&self, batch: i64) -> AppResult<usize> {
        let months = self.kernel.settings().retention_closed_months;
        if months == 0 {
            return Ok(0);
        }
        let before = cutoff(self.kernel.now(), months);
        let ports = self.ports.clone();
        self.kernel
            .housekeeping("retention.apply", move |tx| {
                let ids = repo::erasure::closed_before(tx.conn(), before, batch)?;
                let mut needles = Vec::new();
                erase_conversations(
                    tx,
                    &ports,
                    &ids,
                    &[],
                    None,
                    ErasureReason::Retention,
                    &mut needles,
                )?;
                forget_answers(tx, &needles)?;
                Ok(ids.len())
            })
            .await
    }
}
