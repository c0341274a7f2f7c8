//! The SMTP server's conversation as a state machine, without sockets (RFC 5321 subset).
//!
//! The driver feeds the bytes it reads with [`Session::push_input`] and asks for the next
//! [`Step`] until it is [`Step::NeedInput`]: a reply to write, a recipient to look up, a message
//! to deliver, a TLS upgrade or the end of the connection. Lookups and deliveries are answered
//! with [`Session::recipient_checked`] and [`Session::delivered`]. Commands are parsed by
//! `smtp-proto`; DATA is dot-unstuffed by its `DataReceiver`.

use smtp_proto::request::receiver::{DataReceiver, DummyDataReceiver};
use smtp_proto::{Error as ParseError, Request};
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

    fn data_step(&mut self) -> Step {
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

    fn reset_transaction(&mut self) {
        if matches!(self.state, State::Mail { .. }) {
            self.state = State::Ready;
        }
    }

    fn command(&mut self, line: &[u8]) -> Step {
        let request = match Request::parse(&mut line.iter()) {
            Ok(request) => request,
            Err(error) => return Step::Reply(parse_error_reply(error)),
        };
        match request {
            Request::Ehlo { host } => {
                self.state = State::Ready;
                let mut lines = vec![
                    format!("{} Hello {}", self.limits.hostname, printable(&host)),
                    format!("SIZE {}", self.limits.max_message_bytes),
                    "8BITMIME".to_string(),
                    "PIPELINING".to_string(),
                    "ENHANCEDSTATUSCODES".to_string(),
                    "SMTPUTF8".to_string(),
                ];
                if self.limits.starttls && !self.tls {
                    lines.push("STARTTLS".to_string());
                }
                Step::Reply(Reply { code: 250, lines })
            }
            Request::Helo { host } => {
                self.state = State::Ready;
                Step::Reply(Reply::new(
                    250,
                    format!("{} Hello {}", self.limits.hostname, printable(&host)),
                ))
            }
            Request::Lhlo { .. } => {
                Step::Reply(Reply::new(500, "5.5.1 This is an SMTP server, not LMTP"))
            }
            Request::Mail { from } => match self.state {
                State::Fresh => Step::Reply(Reply::new(503, "5.5.1 Send EHLO or HELO first")),
                State::Mail { .. } => Step::Reply(Reply::new(503, "5.5.1 Nested MAIL command")),
                _ => {
                    if from.size > self.limits.max_message_bytes {
                        return Step::Reply(self.too_big());
                    }
                    let address = from.address.to_string();
                    self.state = State::Mail {
                        from: address,
                        recipients: Vec::new(),
                    };
                    Step::Reply(Reply::new(250, "2.1.0 Sender OK"))
                }
            },
            Request::Rcpt { to } => {
                let State::Mail { .. } = self.state else {
                    return Step::Reply(Reply::new(503, "5.5.1 Send MAIL FROM first"));
                };
                let State::Mail { from, recipients } =
                    std::mem::replace(&mut self.state, State::Ready)
                else {
                    return Step::NeedInput;
                };
                let address = to.address.trim().to_lowercase();
                if recipients.len() >= self.limits.max_recipients
                    && !recipients.iter().any(|(a, _)| *a == address)
                {
                    self.state = State::Mail { from, recipients };
                    return Step::Reply(Reply::new(452, "4.5.3 Too many recipients"));
                }
                self.state = State::CheckingRecipient {
                    from,
                    recipients,
                    address: address.clone(),
                };
                Step::CheckRecipient(address)
            }
            Request::Data => match &self.state {
                State::Mail { recipients, .. } if !recipients.is_empty() => {
                    let State::Mail { from, recipients } =
                        std::mem::replace(&mut self.state, State::Ready)
                    else {
                        return Step::NeedInput;
                    };
                    let mut receiver = DataReceiver::new();
                    // The data begins right after a line end: prime the receiver with one, so a
                    // message that is just "." ends at once.
                    let mut scratch = Vec::new();
                    receiver.ingest(&mut b"\r\n".iter(), &mut scratch);
                    self.state = State::Data {
                        from,
                        recipients,
                        receiver: Box::new(receiver),
                        message: Vec::new(),
                    };
                    Step::Reply(Reply::new(354, "Start mail input; end with <CRLF>.<CRLF>"))
                }
                State::Mail { .. } => Step::Reply(Reply::new(554, "5.5.1 No valid recipients")),
                _ => Step::Reply(Reply::new(503, "5.5.1 Send MAIL FROM first")),
            },
            Request::Bdat { .. } => {
                // CHUNKING is not offered; what follows is unusable, so end the conversation.
                self.close_with(Reply::new(502, "5.5.1 BDAT is not supported"))
            }
            Request::Auth { .. } => {
                Step::Reply(Reply::new(502, "5.5.1 Authentication is not offered here"))
            }
            Request::Noop { .. } => Step::Reply(Reply::new(250, "2.0.0 OK")),
            Request::Vrfy { .. } => Step::Reply(Reply::new(
                252,
                "2.5.0 Cannot VRFY user, but will accept message and attempt delivery",
            )),
            Request::Expn { .. } | Request::Etrn { .. } | Request::Atrn { .. } => {
                Step::Reply(Reply::new(502, "5.5.1 Command not implemented"))
            }
            Request::Burl { .. } => Step::Reply(Reply::new(502, "5.5.1 Command not implemented")),
            Request::Help { .. } => Step::Reply(Reply::new(
                214,
                "2.0.0 Commands: EHLO HELO MAIL RCPT DATA RSET NOOP QUIT",
            )),
            Request::StartTls => {
                if !self.limits.starttls {
                    return Step::Reply(Reply::new(502, "5.5.1 STARTTLS is not offered"));
                }
                if self.tls {
                    return Step::Reply(Reply::new(503, "5.5.1 TLS is already active"));
                }
                // Anything pipelined after STARTTLS was sent in the clear: drop it.
                self.input.clear();
                self.state = State::StartingTls;
                self.pending.push_back(Step::StartTls);
                Step::Reply(Reply::new(220, "2.0.0 Ready to start TLS"))
            }
            Request::Rset => {
                self.reset_transaction();
                Step::Reply(Reply::new(250, "2.0.0 OK"))
            }
            Request::Quit => self.close_with(Reply::new(
                221,
                format!("2.0.0 {} Bye", self.limits.hostname),
            )),
        }
    }
}

/// Text from the client made safe to echo in a reply.
fn printable(text: &str) -> String {
    text.chars().filter(|c| !c.is_control()).take(255).collect()
}

fn parse_error_reply(error: ParseError) -> Reply {
    match error {
        ParseError::UnknownCommand => Reply::new(500, "5.5.1 Command unrecognized"),
        ParseError::InvalidSenderAddress => Reply::new(501, "5.1.7 Bad sender address syntax"),
        ParseError::InvalidRecipientAddress => {
            Reply::new(501, "5.1.3 Bad recipient address syntax")
        }
        ParseError::SyntaxError { syntax } => Reply::new(501, format!("5.5.4 Syntax: {syntax}")),
        ParseError::InvalidParameter { param } => {
            Reply::new(501, format!("5.5.4 Invalid parameter {param}"))
        }
        ParseError::UnsupportedParameter { param } => Reply::new(
            555,
            format!("5.5.4 Unsupported parameter {}", printable(&param)),
        ),
        ParseError::ResponseTooLong => Reply::new(500, "5.5.2 Line too long"),
        ParseError::NeedsMoreData { .. } | ParseError::InvalidResponse { .. } => {
            Reply::new(500, "5.5.2 Syntax error")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limits() -> Limits {
        Limits {
            hostname: "mx.test".into(),
            max_message_bytes: 100,
            max_recipients: 2,
            starttls: false,
        }
    }

    /// Feeds `input` and collects steps until input is needed, answering lookups from `known`
    /// and deliveries with `delivery`.
    fn run(
        session: &mut Session,
        input: &[u8],
        known: &[(&str, i64)],
        delivery: Delivery,
        delivered: &mut Vec<Envelope>,
    ) -> Vec<Reply> {
        session.push_input(input);
        let mut replies = Vec::new();
        loop {
            match session.step() {
                Step::Reply(reply) => replies.push(reply),
                Step::CheckRecipient(address) => {
                    let check = known
                        .iter()
                        .find(|(a, _)| *a == address)
                        .map(|(_, id)| RecipientCheck::Mailbox(*id))
                        .unwrap_or(RecipientCheck::Unknown);
                    session.recipient_checked(check);
                }
                Step::Deliver(envelope) => {
                    delivered.push(envelope);
                    session.delivered(delivery);
                }
                Step::StartTls => session.tls_started(),
                Step::NeedInput | Step::Close => return replies,
            }
        }
    }

    fn codes(replies: &[Reply]) -> Vec<u16> {
        replies.iter().map(|r| r.code).collect()
    }

    #[test]
    fn a_whole_conversation_with_pipelining_and_dot_unstuffing() {
        let mut session = Session::new(limits());
        let mut delivered = Vec::new();
        let greeting = run(&mut session, b"", &[], Delivery::Stored, &mut delivered);
        assert_eq!(codes(&greeting), [220]);
        let replies = run(
            &mut session,
            b"EHLO client.test\r\nMAIL FROM:<a@b.test> SIZE=50\r\nRCPT TO:<Support@Example.com>\r\nRCPT TO:<nobody@example.com>\r\nRCPT TO:<sales@example.com>\r\nDATA\r\n",
            &[("support@example.com", 1), ("sales@example.com", 2)],
            Delivery::Stored,
            &mut delivered,
        );
        assert_eq!(codes(&replies), [250, 250, 250, 550, 250, 354]);
        assert!(replies[0].lines.iter().any(|l| l == "SIZE 100"));
        assert!(replies[3].lines[0].starts_with("5.1.1"));
        let replies = run(
            &mut session,
            b"Subject: x\r\n\r\n..dot\r\n.",
            &[],
            Delivery::Stored,
            &mut delivered,
        );
        assert!(replies.is_empty());
        let replies = run(
            &mut session,
            b"\r\nQUIT\r\n",
            &[],
            Delivery::Stored,
            &mut delivered,
        );
        assert_eq!(codes(&replies), [250, 221]);
        assert_eq!(delivered.len(), 1);
        assert_eq!(delivered[0].data, b"Subject: x\r\n\r\n.dot\r\n");
        assert_eq!(delivered[0].mail_from, "a@b.test");
        assert_eq!(delivered[0].mailbox_ids(), [1, 2]);
        assert_eq!(session.step(), Step::Close);
    }

    #[test]
    fn size_is_refused_at_mail_from_and_during_data() {
        let mut session = Session::new(limits());
        let mut delivered = Vec::new();
        let known = [("s@x.test", 1)];
        let replies = run(
            &mut session,
            b"HELO c\r\nMAIL FROM:<a@b.test> SIZE=101\r\nMAIL FROM:<a@b.test>\r\nRCPT TO:<s@x.test>\r\nDATA\r\n",
            &known,
            Delivery::Stored,
            &mut delivered,
        );
        assert_eq!(codes(&replies), [220, 250, 552, 250, 250, 354]);
        let big = vec![b'x'; 80];
        let mut data = Vec::new();
        for _ in 0..3 {
            data.extend_from_slice(&big);
            data.extend_from_slice(b"\r\n");
        }
        let replies = run(
            &mut session,
            &data,
            &known,
            Delivery::Stored,
            &mut delivered,
        );
        assert!(replies.is_empty());
        let replies = run(
            &mut session,
            b".\r\nNOOP\r\n",
            &known,
            Delivery::Stored,
            &mut delivered,
        );
        assert_eq!(codes(&replies), [552, 250]);
        assert!(delivered.is_empty());
    }

    #[test]
    fn order_of_commands_is_enforced() {
        let mut session = Session::new(limits());
        let mut delivered = Vec::new();
        let replies = run(
            &mut session,
            b"MAIL FROM:<a@b.test>\r\nEHLO c\r\nRCPT TO:<s@x.test>\r\nDATA\r\nMAIL FROM:<a@b.test>\r\nMAIL FROM:<a@b.test>\r\nDATA\r\nRSET\r\nDATA\r\nBOGUS\r\n",
            &[],
            Delivery::Stored,
            &mut delivered,
        );
        assert_eq!(
            codes(&replies),
            [220, 503, 250, 503, 503, 250, 503, 554, 250, 503, 500]
        );
    }

    #[test]
    fn temporary_failures_and_recipient_limits() {
        let mut session = Session::new(limits());
        let mut delivered = Vec::new();
        let known = [("a@x.test", 1), ("b@x.test", 1), ("c@x.test", 2)];
        let replies = run(
            &mut session,
            b"EHLO c\r\nMAIL FROM:<>\r\nRCPT TO:<a@x.test>\r\nRCPT TO:<b@x.test>\r\nRCPT TO:<c@x.test>\r\nDATA\r\n.\r\n",
            &known,
            Delivery::TemporaryFailure,
            &mut delivered,
        );
        assert_eq!(codes(&replies), [220, 250, 250, 250, 250, 452, 354, 451]);
        assert_eq!(delivered[0].mailbox_ids(), [1]);
        assert_eq!(delivered[0].data, b"");
        assert_eq!(delivered[0].mail_from, "");
    }

    #[test]
    fn long_lines_are_refused_and_skipped() {
        let mut session = Session::new(limits());
        let mut delivered = Vec::new();
        let mut input = b"EHLO c\r\n".to_vec();
        input.extend(std::iter::repeat_n(b'a', MAX_LINE + 10));
        let replies = run(&mut session, &input, &[], Delivery::Stored, &mut delivered);
        assert_eq!(codes(&replies), [220, 250, 500]);
        let replies = run(
            &mut session,
            b"aaaa\r\nNOOP\r\n",
            &[],
            Delivery::Stored,
            &mut delivered,
        );
        assert_eq!(codes(&replies), [250]);
    }

    #[test]
    fn starttls_drops_pipelined_input_and_resets() {
        let mut session = Session::new(Limits {
            starttls: true,
            ..limits()
        });
        let mut delivered = Vec::new();
        let replies = run(
            &mut session,
            b"EHLO c\r\nSTARTTLS\r\nMAIL FROM:<evil@x>\r\n",
            &[],
            Delivery::Stored,
            &mut delivered,
        );
        assert_eq!(codes(&replies), [220, 250, 220]);
        assert!(replies[1].lines.iter().any(|l| l == "STARTTLS"));
        assert!(session.is_tls());
        let replies = run(
            &mut session,
            b"MAIL FROM:<a@b>\r\nEHLO c\r\n",
            &[],
            Delivery::Stored,
            &mut delivered,
        );
        assert_eq!(codes(&replies), [503, 250]);
        assert!(!replies[1].lines.iter().any(|l| l == "STARTTLS"));
    }

    #[test]
    fn replies_are_formatted_on_the_wire() {
        let reply = Reply {
            code: 250,
            lines: vec!["a".into(), "b\r\nc".into()],
        };
        assert_eq!(reply.to_bytes(), b"250-a\r\n250 bc\r\n");
    }
}
