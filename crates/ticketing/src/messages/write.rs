//! The message writes other commands are made of: insert a message (appending
//! `message.added`), store its files, keep the new part of an email reply.

use crate::MessageView;
use crate::repo;
use crate::rules::message::{File, ValidMessage};
use crate::tickets::TicketView;
use tiski_domain::event::MessageAdded;
use tiski_domain::{AuthorKind, Channel};
use tiski_kernel::{AppResult, Conn, Tx, blobs, time};

/// Inserts a message on `ticket` with its files and appends `message.added`. A customer's
/// message is written by the requester; anyone else's by the transaction's actor.
pub fn insert(
    tx: &mut Tx<'_, '_>,
    ticket: &TicketView,
    message: &ValidMessage,
    default_channel: Channel,
) -> AppResult<MessageView> {
    let author_id = match message.author {
        AuthorKind::Customer => Some(ticket.requester.id),
        _ => (!tx.actor().is_system()).then_some(tx.actor().id),
    };
    let channel = message.channel.unwrap_or(default_channel);
    let now = tx.now();
    let id = repo::messages::insert(tx.conn(), ticket.id, message, author_id, channel, now)?;
    store_files(tx, id, &message.attachments)?;
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
    })
}

/// Stores files as blobs and lists them on a message.
pub fn store_files(tx: &mut Tx<'_, '_>, message_id: i64, files: &[File]) -> AppResult<()> {
    for file in files {
        let digest = blobs::put(tx, &file.bytes)?;
        let now = tx.now();
        repo::attachments::insert(tx.conn(), message_id, file, &digest, now)?;
    }
    Ok(())
}

/// Keeps the part of a message above its quoted history.
pub fn set_new_text(tx: &mut Tx<'_, '_>, message_id: i64, text: &str) -> AppResult<()> {
    repo::messages::set_new_text(tx.conn(), message_id, text)
}

/// The files of a message with their bytes, oldest first (to send them on).
pub fn files_of(conn: &mut dyn Conn, message_id: i64) -> AppResult<Vec<File>> {
    repo::attachments::files_of(conn, message_id)
}

/// The text and sanitised HTML of a message.
pub fn text_of(conn: &mut dyn Conn, message_id: i64) -> AppResult<(String, Option<String>)> {
    repo::messages::text_of(conn, message_id)
}
