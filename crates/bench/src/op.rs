//! The operation mix: what a worker requests ([`Op`], picked per [`Scenario`]), the ticket
//! payloads it sends, and sending one request ([`perform`]).

use rand::Rng;
use rand::rngs::StdRng;
use serde_json::{Value, json};

use crate::{MAX_ERROR_BODY, Scenario, smtp, ui};

/// Number of distinct customer e-mail addresses tickets are created for, so customers get reused.
const CUSTOMER_POOL: u32 = 5000;
/// Page size of the measured list request.
const LIST_LIMIT: usize = 50;

/// Everything a worker needs to send requests.
pub(crate) struct Target {
    pub(crate) client: reqwest::Client,
    pub(crate) team_id: i64,
    pub(crate) create_url: String,
    pub(crate) list_url: String,
    pub(crate) edi_url: String,
    smtp: std::net::SocketAddr,
    mailbox: String,
    /// The signed-in pages of the ui scenario.
    pub(crate) ui: Option<ui::UiTarget>,
}

impl Target {
    pub(crate) fn new(
        client: reqwest::Client,
        base: &str,
        team_id: i64,
        smtp: std::net::SocketAddr,
        mailbox: &str,
    ) -> Self {
        Target {
            client,
            team_id,
            smtp,
            mailbox: mailbox.to_owned(),
            ui: None,
            create_url: format!("{base}/api/v1/tickets"),
            edi_url: format!("{base}/api/v1/edi"),
            list_url: format!(
                "{base}/api/v1/tickets?team_id={team_id}&status=open&limit={LIST_LIMIT}"
            ),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Op {
    Create,
    List,
    Email,
    Inbox,
    Ticket,
    Edi,
}

/// Number of kinds of [`Op`].
pub(crate) const OPS: usize = 6;

impl Op {
    pub(crate) const ALL: [Op; OPS] = [
        Op::Create,
        Op::List,
        Op::Email,
        Op::Inbox,
        Op::Ticket,
        Op::Edi,
    ];

    pub(crate) fn index(self) -> usize {
        match self {
            Op::Create => 0,
            Op::List => 1,
            Op::Email => 2,
            Op::Inbox => 3,
            Op::Ticket => 4,
            Op::Edi => 5,
        }
    }

    pub(crate) fn name(self) -> &'static str {
        match self {
            Op::Create => "create",
            Op::List => "list",
            Op::Email => "email",
            Op::Inbox => "inbox",
            Op::Ticket => "ticket",
            Op::Edi => "edi",
        }
    }

    pub(crate) fn pick(scenario: Scenario, rng: &mut impl Rng) -> Op {
        match scenario {
            Scenario::Create => Op::Create,
            Scenario::List => Op::List,
            Scenario::Email => Op::Email,
            Scenario::Edi => Op::Edi,
            Scenario::Ui => {
                if rng.random_bool(0.5) {
                    Op::Inbox
                } else {
                    Op::Ticket
                }
            }
            Scenario::Mixed => {
                if rng.random_bool(0.2) {
                    Op::Create
                } else {
                    Op::List
                }
            }
        }
    }
}

const SUBJECTS: &[&str] = &[
    "Cannot log in to my account",
    "Invoice amount looks wrong",
    "Password reset e-mail never arrives",
    "Order has not shipped yet",
    "Refund request",
    "App crashes on startup",
    "How do I export my data?",
    "Change billing address",
    "Two-factor code not accepted",
    "Feature request: dark mode",
    "Delivery arrived damaged",
    "Subscription renewed unexpectedly",
];

pub(crate) const BODIES: &[&str] = &[
    "Hello, I have been trying for a while and nothing seems to work. Could you help?",
    "Hi team, please see the details below. This started happening yesterday afternoon.",
    "Good morning. I followed the instructions in the help centre but the problem remains.",
    "Hi, a colleague of mine has the same issue. We would appreciate a quick answer.",
];

const FIRST_NAMES: &[&str] = &[
    "Aino", "Ben", "Carla", "Dmitri", "Eeva", "Farid", "Grace", "Hiro", "Ines", "Jonas",
];
const LAST_NAMES: &[&str] = &[
    "Virtanen", "Okafor", "Silva", "Ivanov", "Korhonen", "Haddad", "Nguyen", "Tanaka", "Garcia",
    "Berg",
];

/// A realistic-looking ticket for a customer drawn from a pool of [`CUSTOMER_POOL`].
pub(crate) fn ticket_payload(rng: &mut impl Rng, team_id: i64, seq: u64) -> Value {
    let customer = rng.random_range(0..CUSTOMER_POOL) as usize;
    let first = FIRST_NAMES[customer % FIRST_NAMES.len()];
    let last = LAST_NAMES[(customer / FIRST_NAMES.len()) % LAST_NAMES.len()];
    let subject = SUBJECTS[rng.random_range(0..SUBJECTS.len())];
    let body = BODIES[rng.random_range(0..BODIES.len())];
    json!({
        "subject": format!("{subject} (bench #{seq})"),
        "requester": {
            "email": format!("customer{customer:04}@bench.example.com"),
            "name": format!("{first} {last}"),
        },
        "team_id": team_id,
        "priority": "normal",
        "message": { "body": format!("{body}\n\nReference: bench-{seq}") },
    })
}

/// Why a single request failed.
pub(crate) struct Failure {
    pub(crate) status: String,
    pub(crate) body: String,
}

pub(crate) async fn perform(
    target: &Target,
    op: Op,
    rng: &mut StdRng,
    seq: u64,
) -> Result<(), Failure> {
    let request = match op {
        Op::Create => {
            target
                .client
                .post(&target.create_url)
                .json(&ticket_payload(rng, target.team_id, seq))
        }
        Op::List => target.client.get(&target.list_url),
        Op::Edi => target
            .client
            .post(&target.edi_url)
            .header(reqwest::header::CONTENT_TYPE, "application/edi-x12")
            .body(crate::edi::payload(seq)),
        Op::Email => {
            let (from, message) = smtp::message(seq, &target.mailbox);
            return smtp::send(target.smtp, &from, &target.mailbox, &message)
                .await
                .map_err(|(status, body)| Failure { status, body });
        }
        Op::Inbox | Op::Ticket => {
            let Some(ui) = &target.ui else {
                return Err(Failure {
                    status: "setup".to_owned(),
                    body: "the ui scenario was not prepared".to_owned(),
                });
            };
            let url = if op == Op::Inbox {
                &ui.inbox_url
            } else {
                &ui.ticket_url
            };
            ui.client.get(url)
        }
    };
    let transport = |e: reqwest::Error| Failure {
        status: "transport".to_owned(),
        body: error_chain(&e),
    };
    let resp = request.send().await.map_err(transport)?;
    let status = resp.status();
    // Always read the body, both to measure the full response and to keep the connection reusable.
    let body = resp.bytes().await.map_err(transport)?;
    if status.is_success() {
        Ok(())
    } else {
        Err(Failure {
            status: status.as_u16().to_string(),
            body: truncate(&String::from_utf8_lossy(&body), MAX_ERROR_BODY),
        })
    }
}

fn error_chain(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        text.push_str(": ");
        text.push_str(&s.to_string());
        source = s.source();
    }
    text
}

pub(crate) fn truncate(s: &str, max: usize) -> String {
    if s.len() <= max {
        return s.to_owned();
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}…", &s[..end])
}
