//! The SMTP server's conversation as a state machine, without sockets (RFC 5321 subset).
//!
//! The driver feeds the bytes it reads with [`Session::push_input`] and asks for the next
//! [`Step`] until it is [`Step::NeedInput`]: a reply to write, a recipient to look up, a message
//! to deliver, a TLS upgrade or the end of the connection. Lookups and deliveries are answered
//! with [`Session::recipient_checked`] and [`Session::delivered`]. Commands are parsed by
//! `smtp-proto`; DATA is dot-unstuffed by its `DataReceiver`.

mod command;
mod data;
#[cfg(test)]
mod tests;

use smtp_proto::request::receiver::{DataReceiver, DummyDataReceiver};
use std::collections::VecDeque;

/// The longest command line accepted, CRLF included (RFC 5321 asks for at least 512).
pub const MAX_LINE: usize = 4096;

/// What a session may accept.
#[derive(Debug, Clone)]
pub struct Limits {
    /// The name this server gives in its greeting and EHLO answer.
    pub hostname: String,
    /// The largest message accepted, in bytes (advertised as SIZE).
    pub max_message_bytes: usize,
    /// The most recipients of one message.
    pub max_recipients: usize,
    /// Whether STARTTLS is offered (a certificate is configured).
    pub starttls: bool,
}

/// One reply: a three-digit code and one or more lines of text (enhanced status code included).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reply {
    /// The reply code, such as 250.
    pub code: u16,
    /// The text lines; a multi-line reply has more than one.
    pub lines: Vec<String>,
}

impl Reply {
    /// A single-line reply.
    pub fn new(code: u16, text: impl Into<String>) -> Reply {
        Reply {
            code,
            lines: vec![text.into()],
        }
    }

    /// The reply as it goes on the wire, each line ending in CRLF.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::new();
        let last = self.lines.len().saturating_sub(1);
        for (i, line) in self.lines.iter().enumerate() {
            let separator = if i == last { ' ' } else { '-' };
            // A reply line never carries a line break of its own.
            let line: String = line.chars().filter(|c| *c != '\r' && *c != '\n').collect();
            out.extend_from_slice(format!("{}{separator}{line}\r\n", self.code).as_bytes());
        }
        if self.lines.is_empty() {
            out.extend_from_slice(format!("{}\r\n", self.code).as_bytes());
        }
        out
    }
}

/// A message received whole, to be delivered to the mailboxes of its recipients.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Envelope {
    /// The reverse path (empty for the null sender `<>`).
    pub mail_from: String,
    /// The accepted recipients, lower-case, with the mailbox each belongs to.
    pub recipients: Vec<(String, i64)>,
    /// The message, dot-unstuffed, CRLF line ends as sent.
    pub data: Vec<u8>,
}

impl Envelope {
    /// The distinct mailboxes among the recipients, in the order first named.
    pub fn mailbox_ids(&self) -> Vec<i64> {
        let mut ids: Vec<i64> = Vec::new();
        for (_, id) in &self.recipients {
            if !ids.contains(id) {
                ids.push(*id);
            }
        }
        ids
    }
}

/// What the driver must do next.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// Write this reply to the client (it may be buffered until [`Step::NeedInput`]).
    Reply(Reply),
    /// Look up this recipient address (lower-case) and call [`Session::recipient_checked`].
    CheckRecipient(String),
    /// Deliver this message and call [`Session::delivered`].
    Deliver(Envelope),
    /// Flush the replies, start TLS on the connection and call [`Session::tls_started`].
    StartTls,
    /// Flush the replies and read more input for [`Session::push_input`].
    NeedInput,
    /// Flush the replies and close the connection.
    Close,
}

/// The answer to a [`Step::CheckRecipient`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RecipientCheck {
    /// The address belongs to this active mailbox.
    Mailbox(i64),
    /// No active mailbox has this address.
    Unknown,
    /// The lookup failed; the client should try again later.
    Failed,
}

/// The answer to a [`Step::Deliver`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Delivery {
    /// Every mailbox stored the message (or had it already).
    Stored,
    /// Storing failed; the client should try again later.
    TemporaryFailure,
    /// The message is larger than accepted.
    TooBig,
}

enum State {
    /// Before EHLO/HELO.
    Fresh,
    /// Greeted, no transaction.
    Ready,
    /// After MAIL FROM, collecting recipients.
    Mail {
        from: String,
        recipients: Vec<(String, i64)>,
    },
    /// Waiting for the answer to a recipient lookup.
    CheckingRecipient {
        from: String,
        recipients: Vec<(String, i64)>,
        address: String,
    },
    /// Receiving the message text.
    Data {
        from: String,
        recipients: Vec<(String, i64)>,
        receiver: Box<DataReceiver>,
        message: Vec<u8>,
    },
    /// The message is too large; reading on to its end without keeping it.
    Discarding {
        receiver: Box<DummyDataReceiver>,
        discarded: usize,
    },
    /// Waiting for the answer to a delivery.
    Delivering,
    /// Waiting for the TLS handshake.
    StartingTls,
    /// QUIT or a fatal error: nothing more is read.
    Closed,
}

/// One SMTP conversation.
pub struct Session {
    limits: Limits,
    state: State,
    input: Vec<u8>,
    /// Discarding an over-long line up to its end.
    skipping_line: bool,
    pending: VecDeque<Step>,
    tls: bool,
}

impl std::fmt::Debug for Session {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let state = match self.state {
            State::Fresh => "fresh",
            State::Ready => "ready",
            State::Mail { .. } => "mail",
            State::CheckingRecipient { .. } => "checking recipient",
            State::Data { .. } => "data",
            State::Discarding { .. } => "discarding",
            State::Delivering => "delivering",
            State::StartingTls => "starting TLS",
            State::Closed => "closed",
        };
        f.debug_struct("Session")
            .field("state", &state)
            .field("tls", &self.tls)
            .field("buffered", &self.input.len())
            .finish()
    }
}

impl Session {
    /// A new conversation; its first step is the 220 greeting.
    pub fn new(limits: Limits) -> Session {
        let mut pending = VecDeque::new();
        pending.push_back(Step::Reply(Reply::new(
            220,
            format!("{} ESMTP tiski", limits.hostname),
        )));
        Session {
            limits,
            state: State::Fresh,
            input: Vec::new(),
            skipping_line: false,
            pending,
            tls: false,
        }
    }

    /// Whether the connection is encrypted.
    pub fn is_tls(&self) -> bool {
        self.tls
    }

    /// Whether the client is in the middle of sending a message.
    pub fn in_data(&self) -> bool {
        matches!(self.state, State::Data { .. } | State::Discarding { .. })
    }

    /// Adds bytes read from the client.
    pub fn push_input(&mut self, bytes: &[u8]) {
        if matches!(self.state, State::Closed) {
            return;
        }
        self.input.extend_from_slice(bytes);
    }

    /// The reply to send when the client was idle too long (then close).
    pub fn timeout_reply(&self) -> Reply {
        Reply::new(
            421,
            format!(
                "4.4.2 {} Idle timeout, closing connection",
                self.limits.hostname
            ),
        )
    }

    /// The reply to send when the server stops (then close).
    pub fn shutdown_reply(&self) -> Reply {
        Reply::new(
            421,
            format!(
                "4.3.2 {} Service shutting down, try again later",
                self.limits.hostname
            ),
        )
    }

    /// The next thing to do.
    pub fn step(&mut self) -> Step {
        if let Some(step) = self.pending.pop_front() {
            return step;
        }
        match self.state {
            State::Closed => return Step::Close,
            State::CheckingRecipient { .. } | State::Delivering | State::StartingTls => {
                // The driver has not answered yet; nothing can go on.
                return Step::NeedInput;
            }
            State::Data { .. } | State::Discarding { .. } => return self.data_step(),
            State::Fresh | State::Ready | State::Mail { .. } => {}
        }
        loop {
            if let Some(step) = self.pending.pop_front() {
                return step;
            }
            let Some(end) = self.input.iter().position(|&b| b == b'\n') else {
                if self.input.len() > MAX_LINE {
                    self.input.clear();
                    if !self.skipping_line {
                        self.skipping_line = true;
                        return Step::Reply(Reply::new(500, "5.5.2 Line too long"));
                    }
                }
                return Step::NeedInput;
            };
            let line: Vec<u8> = self.input.drain(..=end).collect();
            if self.skipping_line {
                self.skipping_line = false;
                continue;
            }
            if line.len() > MAX_LINE {
                return Step::Reply(Reply::new(500, "5.5.2 Line too long"));
            }
            return self.command(&line);
        }
    }

    /// Answers a [`Step::CheckRecipient`].
    pub fn recipient_checked(&mut self, check: RecipientCheck) {
        let State::CheckingRecipient {
            from,
            mut recipients,
            address,
        } = std::mem::replace(&mut self.state, State::Ready)
        else {
            return;
        };
        let reply = match check {
            RecipientCheck::Mailbox(id) => {
                if !recipients.iter().any(|(a, _)| *a == address) {
                    recipients.push((address.clone(), id));
                }
                Reply::new(250, format!("2.1.5 <{address}> OK"))
            }
            RecipientCheck::Unknown => {
                Reply::new(550, format!("5.1.1 <{address}>: no such mailbox here"))
            }
            RecipientCheck::Failed => Reply::new(
                451,
                format!("4.3.0 <{address}>: cannot check the recipient now, try again later"),
            ),
        };
        self.state = State::Mail { from, recipients };
        self.pending.push_back(Step::Reply(reply));
    }

    /// Answers a [`Step::Deliver`]; the transaction ends either way.
    pub fn delivered(&mut self, delivery: Delivery) {
        if !matches!(self.state, State::Delivering) {
            return;
        }
        self.state = State::Ready;
        let reply = match delivery {
            Delivery::Stored => Reply::new(250, "2.0.0 Message accepted"),
            Delivery::TemporaryFailure => Reply::new(
                451,
                "4.3.0 The message could not be stored, try again later",
            ),
            Delivery::TooBig => self.too_big(),
        };
        self.pending.push_back(Step::Reply(reply));
    }

    /// Answers a [`Step::StartTls`]: the connection is now encrypted and the client greets anew.
    pub fn tls_started(&mut self) {
        if matches!(self.state, State::StartingTls) {
            self.state = State::Fresh;
            self.tls = true;
        }
    }

    fn too_big(&self) -> Reply {
        Reply::new(
            552,
            format!(
                "5.3.4 Message too big; the limit is {} bytes",
                self.limits.max_message_bytes
            ),
        )
    }

    fn close_with(&mut self, reply: Reply) -> Step {
        self.state = State::Closed;
        self.input.clear();
        self.pending.push_back(Step::Close);
        Step::Reply(reply)
    }
}
