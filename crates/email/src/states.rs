//! The email state of messages, plugged into ticketing: which email a message came in as or
//! went out as, its recipients and delivery state.

use crate::repo;
use std::collections::HashMap;
use tiski_kernel::{AppResult, Conn};
use tiski_ticketing::{MessageStates, MessageView};

/// Fills in [`MessageView::email`] from the email identity of messages.
#[derive(Debug, Default, Clone, Copy)]
pub struct EmailStates;

impl MessageStates for EmailStates {
    fn decorate(&self, conn: &mut dyn Conn, messages: &mut [MessageView]) -> AppResult<()> {
        let ids: Vec<i64> = messages.iter().map(|m| m.id).collect();
        let mut states: HashMap<i64, _> = repo::email_messages::states(conn, &ids)?
            .into_iter()
            .collect();
        for message in messages {
            if let Some(state) = states.remove(&message.id) {
                message.email = Some(state);
            }
        }
        Ok(())
    }
}
