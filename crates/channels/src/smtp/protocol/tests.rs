//! Unit tests of the SMTP state machine: whole conversations fed through [`Session`].

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
