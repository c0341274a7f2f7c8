//! What contexts above ticketing add to it, without ticketing knowing them: the application
//! plugs them in when it wires the contexts together.

use crate::MessageView;
use std::sync::Arc;
use tiski_kernel::{AppResult, Conn};

/// Adds a channel's state to messages it carried (the email context: Message-ID, recipients
/// and delivery state), in the caller's transaction.
pub trait MessageStates: Send + Sync {
    /// Fills in what the channel knows of `messages`.
    fn decorate(&self, conn: &mut dyn Conn, messages: &mut [MessageView]) -> AppResult<()>;
}

/// The ports ticketing was built with.
#[derive(Clone, Default)]
pub struct Ports {
    /// Channel states of messages.
    pub message_states: Vec<Arc<dyn MessageStates>>,
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
