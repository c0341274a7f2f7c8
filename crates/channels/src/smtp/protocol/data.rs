//! The message text after DATA: dot-unstuffing it into the envelope, or discarding it when it
//! grows past the size limit.

use super::{Envelope, Session, State, Step};
use smtp_proto::request::receiver::DummyDataReceiver;

impl Session {
    pub(super) fn data_step(&mut self) -> Step {
        let state = std::mem::replace(&mut self.state, State::Closed);
        match state {
            State::Data {
                from,
                recipients,
                mut receiver,
                mut message,
            } => {
                let mut bytes = self.input.iter();
                let done = receiver.ingest(&mut bytes, &mut message);
                let consumed = self.input.len() - bytes.as_slice().len();
                self.input.drain(..consumed);
                if message.len() > self.limits.max_message_bytes {
                    let discarded = message.len();
                    if done {
                        self.state = State::Ready;
                        return Step::Reply(self.too_big());
                    }
                    self.state = State::Discarding {
                        receiver: Box::new(DummyDataReceiver::new_data(&receiver)),
                        discarded,
                    };
                    return Step::NeedInput;
                }
                if done {
                    self.state = State::Delivering;
                    return Step::Deliver(Envelope {
                        mail_from: from,
                        recipients,
                        data: message,
                    });
                }
                self.state = State::Data {
                    from,
                    recipients,
                    receiver,
                    message,
                };
                Step::NeedInput
            }
            State::Discarding {
                mut receiver,
                discarded,
            } => {
                let mut bytes = self.input.iter();
                let done = receiver.ingest(&mut bytes);
                let consumed = self.input.len() - bytes.as_slice().len();
                self.input.drain(..consumed);
                let discarded = discarded.saturating_add(consumed);
                if done {
                    self.state = State::Ready;
                    return Step::Reply(self.too_big());
                }
                if discarded > self.limits.max_message_bytes.saturating_mul(4) {
                    // Far past the limit: stop reading rather than swallow an endless stream.
                    let reply = self.too_big();
                    return self.close_with(reply);
                }
                self.state = State::Discarding {
                    receiver,
                    discarded,
                };
                Step::NeedInput
            }
            other => {
                self.state = other;
                Step::NeedInput
            }
        }
    }
}
