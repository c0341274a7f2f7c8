//! Delivering outgoing mail: the sender claims due emails from the outbox and records how
//! each attempt went (sent, retried on the backoff schedule, or failed for good).

use crate::mailboxes::Mailbox;
use crate::outgoing::OUTBOX_KIND;
use crate::repo::{self, email_messages};
use std::time::Duration;
use tiski_domain::Permission;
use tiski_domain::event::{EmailFailed, EmailSent};
use tiski_kernel::outbox::{self, Attempt, Claimed, Standing};
use tiski_kernel::{Actor, AppResult, blobs};

/// How long a claimed email is leased to the sender that claimed it.
const LEASE: Duration = Duration::from_secs(120);

/// An outgoing email claimed for delivery.
#[derive(Debug, Clone)]
pub struct OutgoingDelivery {
    /// The outbox row.
    pub outbox_id: i64,
    /// The email message row.
    pub email_message_id: i64,
    /// Attempts made before this one.
    pub attempts: i64,
    /// The mailbox it goes out through (with its SMTP settings).
    pub mailbox: Mailbox,
    /// The envelope sender.
    pub envelope_from: String,
    /// The envelope recipients.
    pub recipients: Vec<String>,
    /// The message as it goes on the wire.
    pub raw: Vec<u8>,
}

/// How one delivery attempt went.
#[derive(Debug, Clone)]
pub enum DeliveryResult {
    /// The relay accepted it; its answer.
    Sent(String),
    /// It failed; the server's answer or the connection error, and whether retrying is futile.
    Failed {
        /// What the server said, or the error.
        detail: String,
        /// A permanent (5xx) refusal.
        permanent: bool,
    },
}

impl crate::Email {
    /// Claims due outgoing emails for the sender, leasing them for two minutes.
    pub async fn claim_outgoing_emails(&self, batch: i64) -> AppResult<Vec<OutgoingDelivery>> {
        let grant = Actor::system().grant(Permission::EmailDeliver)?;
        self.kernel
            .command(&grant, "email.claim", move |tx| {
                let claimed = outbox::claim(tx, OUTBOX_KIND, LEASE, batch)?;
                let mut out = Vec::with_capacity(claimed.len());
                for row in claimed {
                    let email = email_messages::outgoing(tx.conn(), row.subject_id)?;
                    out.push(OutgoingDelivery {
                        outbox_id: row.id,
                        email_message_id: row.subject_id,
                        attempts: row.attempts,
                        mailbox: repo::mailboxes::get(tx.conn(), email.mailbox_id)?,
                        envelope_from: email.envelope_from,
                        recipients: email.recipients,
                        raw: blobs::get(tx.conn(), &email.raw_sha256)?,
                    });
                }
                Ok(out)
            })
            .await
    }

    /// Records how a delivery attempt went: sent, retried later with backoff, or failed.
    pub async fn record_email_delivery(
        &self,
        delivery: &OutgoingDelivery,
        result: DeliveryResult,
    ) -> AppResult<()> {
        let grant = Actor::system().grant(Permission::EmailDeliver)?;
        let policy = self.kernel.settings().retry_policy();
        let claimed = Claimed {
            kind: OUTBOX_KIND,
            id: delivery.outbox_id,
            target_id: None,
            subject_id: delivery.email_message_id,
            payload: String::new(),
            attempts: delivery.attempts,
        };
        let attempt = match &result {
            DeliveryResult::Sent(_) => Attempt {
                status_code: None,
                error: None,
                permanent: false,
                duration_ms: 0,
            },
            DeliveryResult::Failed { detail, permanent } => Attempt {
                status_code: None,
                error: Some(detail.clone()),
                permanent: *permanent,
                duration_ms: 0,
            },
        };
        let email_id = delivery.email_message_id;
        self.kernel
            .command(&grant, "email.delivery", move |tx| {
                let ticket_id = email_messages::ticket_of_row(tx.conn(), email_id)?;
                let standing = outbox::record(tx, &claimed, &attempt, &policy)?;
                let now = tx.now();
                match (&result, standing) {
                    (DeliveryResult::Sent(answer), _) => {
                        email_messages::mark_sent(tx.conn(), email_id, answer, now)?;
                        tx.emit(
                            ticket_id,
                            EmailSent {
                                email_message_id: email_id,
                            },
                        )?;
                    }
                    (DeliveryResult::Failed { detail, .. }, Standing::Failed) => {
                        email_messages::set_delivery(tx.conn(), email_id, "failed", detail, now)?;
                        tx.emit(
                            ticket_id,
                            EmailFailed {
                                email_message_id: email_id,
                            },
                        )?;
                    }
                    (DeliveryResult::Failed { detail, .. }, _) => {
                        email_messages::set_delivery(tx.conn(), email_id, "queued", detail, now)?;
                    }
                }
                Ok(())
            })
            .await
    }
}
