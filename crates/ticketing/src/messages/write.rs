//! The message writes other commands are made of: insert a message (appending
//! `message.added`), store its files, keep the new part of an email reply.

use crate::MessageView;
use crate::repo;
use crate::rules::message::{File, ValidMessage};
use crate::tickets::TicketView;
use tiski_domain::card::mask_pans;
use tiski_domain::event::MessageAdded;
use tiski_domain::{AuthorKind, Channel};
use tiski_kernel::{AppResult, Conn, Tx, blobs, time};

/// Inserts a message on `ticket` with its files and appends `message.added`. A customer's
/// message is written by the requester; anyone else's by the transaction's actor. Card
/// numbers in its text, HTML and text files are masked first (every channel writes here).
pub fn insert(
    tx: &mut Tx<'_, '_>,
    ticket: &TicketView,
    message: &ValidMessage,
    default_channel: Channel,
) -> AppResult<MessageView> {
    let files = &message.attachments;
    let message = &ValidMessage {
        body: mask_pans(&message.body).into_owned(),
        html: message.html.as_deref().map(|h| mask_pans(h).into_owned()),
        kind: message.kind,
        author: message.author,
        channel: message.channel,
        attachments: Vec::new(),
    };
    let author_id = match message.author {
        AuthorKind::Customer => Some(ticket.requester.id),
        _ => (!tx.actor().is_system()).then_some(tx.actor().id),
    };
    let channel = message.channel.unwrap_or(default_channel);
    let now = tx.now();
    let id = repo::messages::insert(tx.conn(), ticket.id, message, author_id, channel, now)?;
    store_files(tx, id, files)?;
    tx.emit(
        Some(ticket.id),
        MessageAdded {
            message_id: id,
            kind: message.kind,
            author_kind: message.author,
            author_id,
            channel,
        },
    )?;
    Ok(MessageView {
        id,
        ticket_id: ticket.id,
        author_kind: message.author,
        author_id,
        kind: message.kind,
        body: message.body.clone(),
        html: message.html.clone(),
        channel,
        created_at: time::format(now),
        new_text: None,
        attachments: Vec::new(),
        email: None,
        delivery: None,
        undo_until: None,
    })
}

/// Stores files as blobs and lists them on a message. Card numbers in text files (see
/// [`is_text_file`]; any charset whose digits are ASCII) and in file names are masked first;
/// other files (images, PDFs) are stored as sent.
pub fn store_files(tx: &mut Tx<'_, '_>, message_id: i64, files: &[File]) -> AppResult<()> {
    for file in files {
        let file = masked_file(file);
        let digest = blobs::put(tx, &file.bytes)?;
        let now = tx.now();
        repo::attachments::insert(tx.conn(), message_id, &file, &digest, now)?;
    }
    Ok(())
}

/// Whether a file of `content_type` is text a person reads (`text/*`, or a mail as
/// `message/*`), whose card numbers are masked.
pub fn is_text_file(content_type: &str) -> bool {
    let kind = content_type.trim().to_ascii_lowercase();
    kind.starts_with("text/") || kind.starts_with("message/")
}

/// `file` with card numbers masked in its name and, for a text file, its content.
fn masked_file(file: &File) -> std::borrow::Cow<'_, File> {
    let bytes = if is_text_file(&file.content_type) {
        tiski_domain::card::mask_pans_in_bytes(&file.bytes)
    } else {
        std::borrow::Cow::Borrowed(file.bytes.as_slice())
    };
    let filename = file.filename.as_deref().map(mask_pans);
    let renamed = filename
        .as_ref()
        .is_some_and(|n| matches!(n, std::borrow::Cow::Owned(_)));
    if matches!(bytes, std::borrow::Cow::Borrowed(_)) && !renamed {
        return std::borrow::Cow::Borrowed(file);
    }
    std::borrow::Cow::Owned(File {
        filename: filename.map(std::borrow::Cow::into_owned),
        content_type: file.content_type.clone(),
        content_id: file.content_id.clone(),
        inline: file.inline,
        bytes: bytes.into_owned(),
    })
}

/// Keeps the part of a message above its quoted history (card numbers masked).
pub fn set_new_text(tx: &mut Tx<'_, '_>, message_id: i64, text: &str) -> AppResult<()> {
    repo::messages::set_new_text(tx.conn(), message_id, &mask_pans(text))
}

/// The files of a message with their bytes, oldest first (to send them on).
pub fn files_of(conn: &mut dyn Conn, message_id: i64) -> AppResult<Vec<File>> {
    repo::attachments::files_of(conn, message_id)
}

/// The text and sanitised HTML of a message.
pub fn text_of(conn: &mut dyn Conn, message_id: i64) -> AppResult<(String, Option<String>)> {
    repo::messages::text_of(conn, message_id)
}

/// The first `limit` messages of a ticket, oldest first (what a forward of the whole
/// conversation carries), without files or channel states.
pub fn of_ticket(conn: &mut dyn Conn, ticket_id: i64, limit: i64) -> AppResult<Vec<MessageView>> {
    repo::messages::of_ticket(conn, ticket_id, 0, limit)
}

/// A message of a ticket, when it has one by that id.
pub fn get(conn: &mut dyn Conn, ticket_id: i64, id: i64) -> AppResult<Option<MessageView>> {
    repo::messages::get_on_ticket(conn, ticket_id, id)
}
