//! What contexts above ticketing add to it, without ticketing knowing them: the application
//! plugs them in when it wires the contexts together.

use crate::MessageView;
use std::sync::Arc;
use tiski_kernel::{AppResult, Conn, Tx};

/// Adds a channel's state to messages it carried (the email context: Message-ID, recipients
/// and delivery state), in the caller's transaction.
pub trait MessageStates: Send + Sync {
    /// Fills in what the channel knows of `messages`.
    fn decorate(&self, conn: &mut dyn Conn, messages: &mut [MessageView]) -> AppResult<()>;
}

/// What an erasure reaches.
#[derive(Debug, Clone, Default)]
pub struct ErasureScope {
    /// The erased customer's email addresses (their quarantined mail and CC entries go too).
    pub emails: Vec<String>,
    /// The tickets whose conversations go.
    pub ticket_ids: Vec<i64>,
    /// The messages of those tickets.
    pub message_ids: Vec<i64>,
}

/// Erases what a channel keeps of a customer's conversations (the email context: raw mail,
/// quarantined copies, outgoing mail and its delivery records), in the erasure's transaction.
pub trait ChannelData: Send + Sync {
    /// Deletes the channel's copies within `scope`, and redacts the erased addresses where
    /// others' mail mentions them; returns the blob digests no longer referred to by what it
    /// changed (deleted by ticketing once nothing refers to them).
    fn erase(&self, tx: &mut Tx<'_, '_>, scope: &ErasureScope) -> AppResult<Vec<String>>;
    /// Whether the channel still refers to the blob `digest`.
    fn uses_blob(&self, conn: &mut dyn Conn, digest: &str) -> AppResult<bool>;
}

/// The ports ticketing was built with.
#[derive(Clone, Default)]
pub struct Ports {
    /// Channel states of messages.
    pub message_states: Vec<Arc<dyn MessageStates>>,
    /// Channel copies of conversations, for erasure.
    pub channel_data: Vec<Arc<dyn ChannelData>>,
}

impl Ports {
    /// Lets every channel fill in its state of `messages`.
    pub(crate) fn decorate(
        &self,
        conn: &mut dyn Conn,
        messages: &mut [MessageView],
    ) -> AppResult<()> {
        if messages.is_empty() {
            return Ok(());
        }
        self.message_states
            .iter()
            .try_for_each(|port| port.decorate(conn, messages))
    }
}
