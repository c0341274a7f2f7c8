//! Mail tiski writes to its own staff (the notification digest): through the default
//! mailbox, marked auto-submitted so no robot answers it, belonging to no ticket.

use super::store_and_queue;
use crate::repo;
use tiski_kernel::{AppResult, Conn, Tx};
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
