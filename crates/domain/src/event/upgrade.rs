//! The upgrade of version 1 payloads, written before the typed vocabulary.

use super::EventType;

/// Upgrades a version 1 payload (written before the typed vocabulary) to the current shape,
/// dropping the copies of personal data version 1 kept.
pub fn upgrade_v1(kind: EventType, v1: serde_json::Value) -> serde_json::Value {
    use serde_json::{Value, json};
    let changed = |before: &Value, after: &Value, fields: &[(&str, &str)]| -> Value {
        Value::Array(
            fields
                .iter()
                .filter(|(key, _)| before.get(key) != after.get(key))
                .map(|(_, name)| Value::from(*name))
                .collect(),
        )
    };
    match kind {
        EventType::TicketCreated => {
            let t = &v1["ticket"];
            json!({
                "requester_id": t["requester"]["id"],
                "status": t["status"],
                "priority": t["priority"],
                "channel": t["channel"],
                "team_id": t["team_id"],
                "assignee_id": t["assignee_id"],
                "language": t["language"],
                "tags": if t["tags"].is_array() { t["tags"].clone() } else { json!([]) },
                "follow_up_of": t["follow_up_of"],
                "mailbox_id": t["mailbox_id"],
            })
        }
        EventType::MessageAdded => json!({
            "message_id": v1["message_id"],
            "kind": v1["kind"],
            "author_kind": v1["author_kind"],
            "author_id": v1["author_id"],
            "channel": v1["channel"],
        }),
        EventType::TicketSubjectChanged => json!({}),
        EventType::CustomerCreated => json!({"customer_id": v1["customer_id"]}),
        EventType::CustomerUpdated => {
            let fields = [
                ("name", "name"),
                ("emails", "emails"),
                ("phones", "phones"),
                ("language", "language"),
                ("time_zone", "time_zone"),
                ("organization", "organization"),
                ("notes", "notes"),
            ];
            json!({
                "customer_id": v1["customer_id"],
                "changed": changed(&v1["before"], &v1["after"], &fields),
            })
        }
        EventType::AgentCreated => json!({
            "agent_id": v1["agent"]["id"],
            "role": v1["agent"]["role"],
            "team_ids": if v1["agent"]["team_ids"].is_array() { v1["agent"]["team_ids"].clone() } else { json!([]) },
        }),
        EventType::AgentUpdated => {
            let password = v1["password_changed"].as_bool() == Some(true);
            if v1.get("before").is_none() {
                return json!({
                    "agent_id": v1["agent_id"],
                    "changed": if password { json!(["password"]) } else { json!([]) },
                });
            }
            let fields = [
                ("name", "name"),
                ("role", "role"),
                ("team_ids", "teams"),
                ("languages", "languages"),
                ("active", "active"),
            ];
            let mut list = changed(&v1["before"], &v1["after"], &fields);
            if password && let Some(items) = list.as_array_mut() {
                items.push(Value::from("password"));
            }
            json!({"agent_id": v1["after"]["id"], "changed": list})
        }
        EventType::TeamCreated => json!({
            "team_id": v1["team"]["id"],
            "name": v1["team"]["name"],
        }),
        EventType::MailboxCreated => json!({
            "mailbox_id": v1["mailbox"]["id"],
            "address": v1["mailbox"]["address"],
            "team_id": v1["mailbox"]["team_id"],
        }),
        EventType::MailboxUpdated => json!({
            "mailbox_id": v1["mailbox"]["id"],
            "changed": [],
        }),
        EventType::EmailSent | EventType::EmailFailed => {
            json!({"email_message_id": v1["email_message_id"]})
        }
        EventType::EmailBounced => json!({
            "email_message_id": v1["email_message_id"],
            "failed": v1["failed"],
        }),
        _ => v1,
    }
}
