//! Ports of one context filled by another, where neither may name the other: the notification
//! digest's mail goes out through the email context's outbox.

use tiski_kernel::{AppError, AppResult, Conn, Tx};
use tiski_notify::{DigestMail, Letter};

/// The digest's mail as staff mail of the email context (the default mailbox, the outbox).
pub(crate) struct DigestByEmail;

impl DigestMail for DigestByEmail {
    fn available(&self, conn: &mut dyn Conn) -> AppResult<bool> {
        tiski_email::can_mail_staff(conn)
    }

    fn queue(&self, tx: &mut Tx<'_, '_>, letter: &Letter) -> AppResult<()> {
        let mail = tiski_email::StaffMail {
            to: letter.to.clone(),
            name: letter.name.clone(),
            subject: letter.subject.clone(),
            text: letter.text.clone(),
            html: letter.html.clone(),
        };
        if tiski_email::queue_staff_mail(tx, &mail)? {
            Ok(())
        } else {
            Err(AppError::not_found("mailbox"))
        }
    }
}
