//! Round trips of every event type, and the upgrade of version 1 payloads.

use super::*;
use crate::{AuthorKind, Channel, MessageKind, Priority, Role, Status};
use serde_json::json;

fn check_round_trip(event: Event) {
    let stored = event.payload_json();
    let back = Event::decode(event.kind().as_str(), EVENT_SCHEMA_VERSION, &stored)
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(back, event);
    let wire = serde_json::to_value(&event).unwrap();
    assert_eq!(wire["type"], event.kind().as_str());
    assert_eq!(
        wire["data"],
        serde_json::from_str::<serde_json::Value>(&stored).unwrap()
    );
}

#[test]
fn every_type_round_trips() {
    check_round_trip(
        TicketCreated {
            requester_id: 3,
            status: Status::New,
            priority: Priority::High,
            channel: Channel::Email,
            team_id: Some(1),
            assignee_id: None,
            language: Some("fi".into()),
            tags: vec!["vip".into()],
            follow_up_of: None,
            mailbox_id: Some(2),
        }
        .into(),
    );
    check_round_trip(
        MessageAdded {
            message_id: 9,
            kind: MessageKind::Reply,
            author_kind: AuthorKind::Agent,
            author_id: Some(4),
            channel: Channel::Api,
        }
        .into(),
    );
    check_round_trip(TicketSubjectChanged {}.into());
    check_round_trip(
        CustomerUpdated {
            customer_id: 1,
            changed: vec![CustomerField::Emails, CustomerField::Notes],
        }
        .into(),
    );
    check_round_trip(
        AgentUpdated {
            agent_id: 1,
            changed: vec![AgentField::Password],
        }
        .into(),
    );
    check_round_trip(
        EmailBounced {
            email_message_id: 5,
            failed: true,
        }
        .into(),
    );
    check_round_trip(
        EmailReferenceRefused {
            email_message_id: 6,
            referenced_ticket_id: 2,
        }
        .into(),
    );
    check_round_trip(
        TwoFactorPolicyChanged {
            required_roles: vec![Role::Agent, Role::Admin],
        }
        .into(),
    );
    check_round_trip(MessageWithdrawn { message_id: 9 }.into());
    check_round_trip(
        MessageForwarded {
            note_id: 10,
            message_id: Some(9),
            recipients: 2,
        }
        .into(),
    );
    check_round_trip(
        NotificationDigested {
            recipient_id: 4,
            notification_ids: vec![7, 9],
            count: 2,
        }
        .into(),
    );
    check_round_trip(
        CalendarUpdated {
            calendar_id: 1,
            changed: vec!["weekly".into()],
            made_default: false,
        }
        .into(),
    );
    check_round_trip(
        CalendarHolidaysImported {
            calendar_id: 1,
            source: "holidays:FI".into(),
            added: 12,
            kept_off: 1,
            removed: 0,
        }
        .into(),
    );
    check_round_trip(
        SlaPolicyUpdated {
            policy_id: 2,
            changed: vec!["targets".into()],
        }
        .into(),
    );
    check_round_trip(
        TicketRouted {
            work_item_id: 1,
            queue_id: 2,
            agent_id: 3,
            rule: crate::routing::Selection::LongestIdle,
            relaxed: vec![4],
            waited_s: 60,
            via_queue_id: Some(5),
        }
        .into(),
    );
    check_round_trip(
        TicketOffered {
            work_item_id: 1,
            queue_id: 2,
            agent_id: 3,
            rule: crate::routing::Selection::RoundRobin,
            relaxed: vec![],
            expires_at: 20_000_000,
        }
        .into(),
    );
    check_round_trip(
        TicketOfferLapsed {
            work_item_id: 1,
            agent_id: 3,
            reason: crate::routing::OfferLapse::TimedOut,
        }
        .into(),
    );
    check_round_trip(
        TicketRequeued {
            work_item_id: 1,
            queue_id: 2,
            agent_id: 3,
            reason: crate::routing::RequeueReason::OwnerOffline,
        }
        .into(),
    );
    check_round_trip(
        TicketOfferAccepted {
            work_item_id: 1,
            agent_id: 3,
        }
        .into(),
    );
    check_round_trip(
        AgentNotResponding {
            agent_id: 3,
            work_item_id: 1,
            reason: crate::routing::OfferLapse::Declined,
        }
        .into(),
    );
    check_round_trip(AgentResponding { agent_id: 3 }.into());
    check_round_trip(
        PresenceChanged {
            agent_id: 3,
            from: crate::routing::PresenceStatus::Offline,
            to: crate::routing::PresenceStatus::Available,
        }
        .into(),
    );
}

#[test]
fn unknown_types_and_versions_are_errors_not_defaults() {
    assert!(Event::decode("ticket.exploded", 2, "{}").is_err());
    assert!(Event::decode("ticket.created", 7, "{}").is_err());
    assert!(Event::decode("ticket.created", 2, "{}").is_err());
    assert!(Event::decode("ticket.status_changed", 2, "not json").is_err());
    let error = Event::decode("ticket.status_changed", 2, r#"{"from":"new","to":"done"}"#)
        .unwrap_err()
        .to_string();
    assert!(error.contains("ticket.status_changed"), "{error}");
}

#[test]
fn version_1_payloads_lose_their_personal_data() {
    let v1 = json!({"ticket": {"id": 7, "subject": "Maija's order", "status": "new", "priority": "normal",
        "channel": "email", "team_id": 1, "assignee_id": null, "requester": {"id": 3, "name": "Maija Virtanen"},
        "language": "fi", "tags": [], "follow_up_of": null, "mailbox_id": 2, "created_at": "x", "updated_at": "x",
        "solved_at": null, "closed_at": null}});
    let event = Event::decode("ticket.created", 1, &v1.to_string()).unwrap();
    let Event::TicketCreated(created) = &event else {
        panic!("{event:?}")
    };
    assert_eq!(created.requester_id, 3);
    assert_eq!(created.mailbox_id, Some(2));
    assert!(!event.payload_json().contains("Maija"));

    let v1 = json!({"message_id": 4, "kind": "reply", "author_kind": "customer", "author_id": 3,
        "channel": "email", "preview": "Hei, olen Maija"});
    let event = Event::decode("message.added", 1, &v1.to_string()).unwrap();
    assert!(!event.payload_json().contains("Maija"));

    let v1 = json!({"customer_id": 3,
        "before": {"name": "Maija", "emails": ["m@example.fi"], "phones": [], "notes": ""},
        "after": {"name": "Maija", "emails": ["maija@example.fi"], "phones": [], "notes": "VIP"}});
    let event = Event::decode("customer.updated", 1, &v1.to_string()).unwrap();
    assert_eq!(
        event,
        CustomerUpdated {
            customer_id: 3,
            changed: vec![CustomerField::Emails, CustomerField::Notes]
        }
        .into()
    );

    let v1 = json!({"before": {"id": 5, "name": "A", "email": "a@x.fi", "role": "agent", "team_ids": [1], "languages": [], "active": true},
        "after": {"id": 5, "name": "A", "email": "a@x.fi", "role": "supervisor", "team_ids": [1], "languages": [], "active": true},
        "password_changed": true});
    let event = Event::decode("agent.updated", 1, &v1.to_string()).unwrap();
    assert_eq!(
        event,
        AgentUpdated {
            agent_id: 5,
            changed: vec![AgentField::Role, AgentField::Password]
        }
        .into()
    );
    let v1 = json!({"agent_id": 5, "password_changed": true, "by": "self"});
    assert!(Event::decode("agent.updated", 1, &v1.to_string()).is_ok());

    let v1 = json!({"subject": "x", "from": "Old", "to": "New secret"});
    let event = Event::decode("ticket.subject_changed", 1, &v1.to_string()).unwrap();
    assert_eq!(event.payload_json(), "{}");

    let v1 =
        json!({"email_message_id": 8, "failed": true, "detail": "maija@example.fi failed 5.1.1"});
    let event = Event::decode("email.bounced", 1, &v1.to_string()).unwrap();
    assert!(!event.payload_json().contains("maija"));

    let v1 = json!({"status": "new"});
    let event = Event::decode("ticket.status_changed", 1, r#"{"from":"new","to":"open"}"#).unwrap();
    assert_eq!(event.kind(), EventType::TicketStatusChanged);
    assert!(Event::decode("ticket.status_changed", 1, &v1.to_string()).is_err());
}

#[test]
fn commerce_events_round_trip() {
    check_round_trip(
        EdiPartnerCreated {
            partner_id: 1,
            customer_id: 2,
        }
        .into(),
    );
    check_round_trip(
        EdiInterchangeReceived {
            interchange_id: 1,
            syntax: "x12".into(),
            source: "api".into(),
        }
        .into(),
    );
    check_round_trip(
        EdiInterchangeAccepted {
            interchange_id: 1,
            partner_id: 1,
            state: "accepted".into(),
            order_ids: vec![4],
            outbound_ids: vec![5, 6],
        }
        .into(),
    );
    check_round_trip(
        EdiInterchangeRejected {
            interchange_id: 1,
            partner_id: None,
            reason: "unknown_partner".into(),
            outbound_ids: vec![],
        }
        .into(),
    );
    check_round_trip(
        ProductCreated {
            product_id: 1,
            sku: "DRILL-1".into(),
        }
        .into(),
    );
    check_round_trip(
        ProductUpdated {
            product_id: 1,
            changed: vec!["prices".into()],
        }
        .into(),
    );
    check_round_trip(
        OrderCreated {
            order_id: 2,
            customer_id: 3,
            status: "draft".into(),
            currency: "EUR".into(),
            total: "19.90".into(),
            lines: 1,
        }
        .into(),
    );
    check_round_trip(
        OrderUpdated {
            order_id: 2,
            changed: vec!["lines".into()],
        }
        .into(),
    );
    check_round_trip(
        OrderStatusChanged {
            order_id: 2,
            from: "draft".into(),
            to: "placed".into(),
        }
        .into(),
    );
    check_round_trip(
        RefundRequested {
            refund_id: 4,
            order_id: Some(2),
            amount: "5.00".into(),
            currency: "EUR".into(),
            state: "approved".into(),
        }
        .into(),
    );
    check_round_trip(
        RefundApproved {
            refund_id: 4,
            approver_id: 5,
        }
        .into(),
    );
    check_round_trip(
        RefundRejected {
            refund_id: 4,
            approver_id: 5,
        }
        .into(),
    );
}
