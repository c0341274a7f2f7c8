//! Seeding the measured ticket: finding or creating the ticket tagged [`TICKET_TAG`] and
//! topping it up to [`TICKET_MESSAGES`] messages.

use anyhow::Context;
use reqwest::StatusCode;
use serde_json::{Value, json};

use super::{TICKET_MESSAGES, TICKET_TAG};
use crate::op::BODIES;
use crate::setup::expect_status;

/// Finds the team's ticket tagged [`TICKET_TAG`], or creates it, and tops it up to
/// [`TICKET_MESSAGES`] messages. Returns its id.
pub(super) async fn ensure_ticket(
    api: &reqwest::Client,
    base: &str,
    team_id: i64,
) -> anyhow::Result<i64> {
    let tickets = format!("{base}/api/v1/tickets");
    let url = format!("{tickets}?team_id={team_id}&tag={TICKET_TAG}&limit=1");
    let resp = api
        .get(&url)
        .send()
        .await
        .with_context(|| format!("GET {url}: is the server running?"))?;
    let found = expect_status(resp, StatusCode::OK, "looking for the ui ticket").await?;
    let existing = found["items"]
        .as_array()
        .and_then(|items| items.first())
        .and_then(|t| t["id"].as_i64());
    let id = match existing {
        Some(id) => id,
        None => {
            let resp = api
                .post(&tickets)
                .json(&json!({
                    "subject": "Order arrived damaged, and a long conversation since (bench ui)",
                    "requester": {
                        "email": "long.conversation@bench.example.com",
                        "name": "Liisa Pitkänen",
                    },
                    "team_id": team_id,
                    "priority": "high",
                    "tags": [TICKET_TAG],
                    "message": { "body": message_body(1) },
                }))
                .send()
                .await
                .with_context(|| format!("POST {tickets}"))?;
            let ticket = expect_status(resp, StatusCode::CREATED, "creating the ui ticket").await?;
            ticket["id"]
                .as_i64()
                .with_context(|| format!("creating the ui ticket: no integer \"id\" in {ticket}"))?
        }
    };

    let messages = format!("{tickets}/{id}/messages");
    let resp = api
        .get(format!("{messages}?limit=200"))
        .send()
        .await
        .with_context(|| format!("GET {messages}"))?;
    let page = expect_status(resp, StatusCode::OK, "counting the ui ticket's messages").await?;
    let have = page["items"].as_array().map_or(0, Vec::len);
    if have < TICKET_MESSAGES {
        tracing::info!(
            ticket_id = id,
            have,
            adding = TICKET_MESSAGES - have,
            "preparing the ui ticket"
        );
    }
    for n in have + 1..=TICKET_MESSAGES {
        let resp = api
            .post(&messages)
            .json(&message_payload(n))
            .send()
            .await
            .with_context(|| format!("POST {messages}"))?;
        expect_status(
            resp,
            StatusCode::CREATED,
            "adding a message to the ui ticket",
        )
        .await?;
    }
    Ok(id)
}

/// Message `n` (1-based) of the conversation: customer messages, agent replies and internal
/// notes taking turns, ending with the customer (so the ticket stays open).
fn message_payload(n: usize) -> Value {
    let body = message_body(n);
    match n % 4 {
        2 => json!({ "body": body, "author": "agent", "kind": "reply" }),
        3 => json!({ "body": body, "author": "agent", "kind": "note" }),
        _ => json!({ "body": body, "author": "customer" }),
    }
}

fn message_body(n: usize) -> String {
    let text = BODIES[n % BODIES.len()];
    format!(
        "{text}\n\nThe parcel was left at the door and the box was crushed on one side; the \
         order number is 2026-{n:05}. Photos are attached to my earlier message.\n\n{}",
        message_marker(n)
    )
}

/// Text unique to message `n`, to check that the page shows the whole conversation.
pub(super) fn message_marker(n: usize) -> String {
    format!("(bench ui message {n} of {TICKET_MESSAGES})")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_conversation_ends_with_the_customer_and_is_marked() {
        let last = message_payload(TICKET_MESSAGES);
        assert_eq!(last["author"], "customer");
        assert!(
            last["body"]
                .as_str()
                .unwrap()
                .ends_with(&message_marker(TICKET_MESSAGES))
        );
        let kinds: Vec<_> = (1..=4)
            .map(|n| message_payload(n)["kind"].as_str().unwrap_or("").to_owned())
            .collect();
        assert_eq!(kinds, ["", "reply", "note", ""]);
        // Markers are unique: "message 1 of" is not a prefix of "message 10 of".
        assert!(!message_marker(10).contains(&message_marker(1)));
    }
}
