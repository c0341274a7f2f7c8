//! The email state of messages, plugged into ticketing: which email a message came in as or
//! went out as, its recipients and delivery state.

use crate::repo;
use std::collections::HashMap;
use tiski_kernel::{AppResult, Conn, time};
use tiski_ticketing::{Delivery, DeliveryState, EmailState, MessageStates, MessageView};

/// The delivery of an outgoing email as messages show it: the failure or the bounce report
/// is its error; a retried failure stays `queued` without one.
fn delivery(state: &EmailState) -> Option<Delivery> {
    let state_now = DeliveryState::parse(state.delivery_status.as_deref()?)?;
    let error = match state_now {
        DeliveryState::Failed | DeliveryState::Bounced => state.delivery_detail.clone(),
        _ => None,
    };
    Some(Delivery {
        state: state_now,
        error,
    })
}

/// Fills in [`MessageView::email`] from the email identity of messages, and their
/// [`MessageView::delivery`] and undo window from the outgoing mail.
#[derive(Debug, Default, Clone, Copy)]
pub struct EmailStates;

impl MessageStates for EmailStates {
    fn decorate(&self, conn: &mut dyn Conn, messages: &mut [MessageView]) -> AppResult<()> {
        let ids: Vec<i64> = messages.iter().map(|m| m.id).collect();
        let mut states: HashMap<i64, _> = repo::email_messages::states(conn, &ids)?
            .into_iter()
            .map(|(id, state, held)| (id, (state, held)))
            .collect();
        for message in messages {
            if let Some((state, held_until)) = states.remove(&message.id) {
                if state.direction == "out" {
                    message.delivery = delivery(&state);
                    message.undo_until = held_until.map(time::format);
                }
                message.email = Some(state);
            }
        }
        Ok(())
    }
}
