//! Mail tiski writes to its own staff (the notification digest): through the default
//! mailbox, marked auto-submitted so no robot answers it, belonging to no ticket, and pruned
//! once its delivery is `outbox_retention` old.

use super::store_and_queue;
use crate::repo::{self, email_messages};
use tiski_kernel::{AppResult, Conn, Tx, blobs};
use tiski_mail::{Address, OutgoingEmail};

/// A mail to a staff user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaffMail {
    /// Their address.
    pub to: String,
    /// Their display name.
    pub name: String,
    /// The subject.
    pub subject: String,
    /// The text part.
    pub text: String,
    /// The HTML part (escaped by whoever wrote it).
    pub html: String,
}

/// Whether mail to staff can go out: there is an active default mailbox to send it through.
pub fn can_mail_staff(conn: &mut dyn Conn) -> AppResult<bool> {
    Ok(repo::mailboxes::active_default(conn)?.is_some())
}

/// Queues `mail` through the active default mailbox in the caller's transaction, with a
/// Message-ID made once (retries send the same bytes), `Auto-Submitted: auto-generated`, a
/// text and an HTML part. `false` (and nothing queued) when there is no default mailbox.
pub fn queue_staff_mail(tx: &mut Tx<'_, '_>, mail: &StaffMail) -> AppResult<bool> {
    let Some(mailbox) = repo::mailboxes::active_default(tx.conn())? else {
        return Ok(false);
    };
    let email = OutgoingEmail {
        from: Address {
            name: Some(mailbox.name.clone()),
            email: mailbox.address.clone(),
        },
        to: vec![Address {
            name: Some(mail.name.clone()).filter(|n| !n.trim().is_empty()),
            email: mail.to.clone(),
        }],
        cc: Vec::new(),
        subject: mail.subject.clone(),
        message_id: String::new(),
        in_reply_to: None,
        references: Vec::new(),
        text: mail.text.clone(),
        html: Some(mail.html.clone()),
        attachments: Vec::new(),
        auto_submitted: true,
        auto_generated: true,
        extra_headers: vec![],
        date: Some(tx.now() / 1_000_000),
    };
    store_and_queue(tx, &mailbox, None, None, email, &[], None)?;
    Ok(true)
}

impl crate::Email {
    /// Deletes up to `limit` mails to staff (digests) whose delivery finished more than
    /// `outbox_retention` ago, with their raw bytes: they name tickets' subjects, belong to
    /// no ticket a customer's erasure would find, and nobody reads them afterwards.
    pub async fn prune_staff_mail(&self, limit: i64) -> AppResult<usize> {
        let keep = tiski_kernel::time::micros(self.kernel.settings().outbox_retention);
        self.kernel
            .housekeeping("prune-staff-mail", move |tx| {
                let before = tx.now() - keep;
                let rows = email_messages::finished_staff_mail(tx.conn(), before, limit)?;
                for (id, digest) in &rows {
                    email_messages::delete(tx.conn(), *id)?;
                    if !email_messages::raw_in_use(tx.conn(), digest)? {
                        blobs::delete(tx.conn(), digest)?;
                    }
                }
                Ok(rows.len())
            })
            .await
    }
}
