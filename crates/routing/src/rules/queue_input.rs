//! Checks of a queue's offer timeouts and overflow steps, each failing with the field at
//! fault, and the timeouts in force per channel.

use super::input::MAX_RELAX_S;
use crate::{OfferTimeout, OverflowStep};
use tiski_domain::{Channel, FieldError};

/// The longest an offer may wait for an answer: ten minutes.
pub const MAX_OFFER_S: i64 = 600;
/// The most overflow steps a queue has.
pub const MAX_STEPS: usize = 10;

/// Offer timeouts: each channel once, one of the queue's channels, 0 to 600 seconds.
pub fn offer_timeouts(
    list: &[OfferTimeout],
    channels: &[Channel],
) -> Result<Vec<OfferTimeout>, FieldError> {
    let mut seen = Vec::new();
    for (index, timeout) in list.iter().enumerate() {
        let at = |part: &str| format!("offer_timeouts/{index}/{part}");
        if seen.contains(&timeout.channel) {
            return Err(FieldError::new(
                at("channel"),
                format!("The channel {} is given twice.", timeout.channel),
            ));
        }
        if !channels.contains(&timeout.channel) {
            return Err(FieldError::new(
                at("channel"),
                format!("The queue takes no {} work.", timeout.channel),
            ));
        }
        if !(0..=MAX_OFFER_S).contains(&timeout.seconds) {
            return Err(FieldError::new(
                at("seconds"),
                format!("Give 0 (assign at once) to {MAX_OFFER_S} seconds."),
            ));
        }
        seen.push(timeout.channel);
    }
    Ok(list.to_vec())
}

/// The timeout in force for each of `channels`: the one set, else the channel's default.
pub fn effective_timeouts(channels: &[Channel], set: &[OfferTimeout]) -> Vec<OfferTimeout> {
    channels
        .iter()
        .map(|channel| OfferTimeout {
            channel: *channel,
            seconds: timeout_for(set, *channel),
        })
        .collect()
}

/// Seconds an offer of `channel` waits, from the timeouts set on a queue (0: assigned at once).
pub fn timeout_for(set: &[OfferTimeout], channel: Channel) -> i64 {
    set.iter()
        .find(|t| t.channel == channel)
        .map_or_else(|| super::default_offer_timeout(channel), |t| t.seconds)
}

/// Overflow steps, as far as values tell: at most 10, waits of 0 to 30 days that never go
/// down, each step either adding a queue or dropping a skill. Whether the queue and the skill
/// exist (and the skill relaxes) the command checks in its transaction.
pub fn overflow(
    list: &[OverflowStep],
    own_id: Option<i64>,
) -> Result<Vec<OverflowStep>, FieldError> {
    if list.len() > MAX_STEPS {
        return Err(FieldError::new(
            "overflow",
            format!("Give at most {MAX_STEPS} overflow steps."),
        ));
    }
    let mut before = 0;
    for (index, step) in list.iter().enumerate() {
        let at = |part: &str| format!("overflow/{index}/{part}");
        if !(0..=MAX_RELAX_S).contains(&step.after_s) {
            return Err(FieldError::new(
                at("after_s"),
                format!("Give 0 to {MAX_RELAX_S} seconds."),
            ));
        }
        if step.after_s < before {
            return Err(FieldError::new(
                at("after_s"),
                "Steps are in order: a step waits no less than the one before it.",
            ));
        }
        before = step.after_s;
        match (step.add_queue_id, step.drop_skill_id) {
            (Some(_), Some(_)) | (None, None) => {
                return Err(FieldError::new(
                    at("add_queue_id"),
                    "A step either adds a queue (add_queue_id) or drops a skill (drop_skill_id).",
                ));
            }
            (Some(queue), None) if Some(queue) == own_id => {
                return Err(FieldError::new(
                    at("add_queue_id"),
                    "A queue cannot overflow into itself.",
                ));
            }
            _ => {}
        }
    }
    Ok(list.to_vec())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn step(after_s: i64, add: Option<i64>, drop: Option<i64>) -> OverflowStep {
        OverflowStep {
            after_s,
            add_queue_id: add,
            drop_skill_id: drop,
            skip_when_unmatchable: false,
        }
    }

    #[test]
    fn faults_name_their_field() {
        let fault = |list: &[OverflowStep]| overflow(list, Some(1)).unwrap_err().field;
        assert_eq!(fault(&[step(-1, Some(2), None)]), "overflow/0/after_s");
        assert_eq!(
            fault(&[step(30, Some(2), None), step(10, Some(3), None)]),
            "overflow/1/after_s"
        );
        assert_eq!(fault(&[step(0, None, None)]), "overflow/0/add_queue_id");
        assert_eq!(fault(&[step(0, Some(1), None)]), "overflow/0/add_queue_id");
        assert!(overflow(&[step(0, Some(2), None), step(0, None, Some(4))], Some(1)).is_ok());
        let timeout = |channel, seconds| OfferTimeout { channel, seconds };
        let channels = [Channel::Phone];
        let fault = |list: &[OfferTimeout]| offer_timeouts(list, &channels).unwrap_err().field;
        assert_eq!(
            fault(&[timeout(Channel::Phone, 601)]),
            "offer_timeouts/0/seconds"
        );
        assert_eq!(
            fault(&[timeout(Channel::Chat, 5)]),
            "offer_timeouts/0/channel"
        );
        assert_eq!(
            effective_timeouts(&[Channel::Phone, Channel::Email], &[]),
            vec![timeout(Channel::Phone, 20), timeout(Channel::Email, 0)]
        );
    }
}
