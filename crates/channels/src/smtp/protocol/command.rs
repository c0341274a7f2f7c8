//! Answering one command line: EHLO/HELO, MAIL/RCPT, DATA (and the refused BDAT), STARTTLS,
//! RSET, QUIT and the rest, and the replies to lines that do not parse.

use super::{Reply, Session, State, Step};
use smtp_proto::request::receiver::DataReceiver;
use smtp_proto::{Error as ParseError, Request};

impl Session {
    fn reset_transaction(&mut self) {
        if matches!(self.state, State::Mail { .. }) {
            self.state = State::Ready;
        }
    }

    pub(super) fn command(&mut self, line: &[u8]) -> Step {
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
