use super::*;
use serde_json::json;

#[test]
fn conditions_name_the_field_at_fault() {
    let given = vec![
        json!({"field": "status", "value": "new"}),
        json!({"field": "tags", "op": "contains", "value": "vip"}),
        json!({"field": "priority", "op": "is", "value": "enormous"}),
    ];
    let error = check_conditions(&given).unwrap_err();
    assert_eq!(error.field, "conditions[2].value");
    let error = check_conditions(&[json!({"field": "colour", "value": "red"})]).unwrap_err();
    assert_eq!(error.field, "conditions[0].field");
    let error =
        check_conditions(&[json!({"field": "subject", "op": "is", "value": "x"})]).unwrap_err();
    assert_eq!(error.field, "conditions[0].op");
    let error =
        check_conditions(&[json!({"field": "time", "value": "open", "colour": 1})]).unwrap_err();
    assert_eq!(error.field, "conditions[0]");
    let error = check_conditions(&[json!({"field": "status", "value": "new", "calendar_id": 1})])
        .unwrap_err();
    assert_eq!(error.field, "conditions[0].calendar_id");
    let error = check_conditions(&[json!({"field": "body", "op": "contains", "value": "a\u{0}b"})])
        .unwrap_err();
    assert_eq!(error.field, "conditions[0].value");
}

#[test]
fn actions_name_the_field_at_fault() {
    let error = check_actions(&[]).unwrap_err();
    assert_eq!(error.field, "actions");
    let error = check_actions(&[json!({"type": "set_status", "status": "closed"})]).unwrap_err();
    assert_eq!(error.field, "actions[0].status");
    let error = check_actions(&[
        json!({"type": "add_tags", "tags": ["ok"]}),
        json!({"type": "add_tags", "tags": ["not ok!"]}),
    ])
    .unwrap_err();
    assert!(
        error.field.starts_with("actions[1].tags"),
        "{}",
        error.field
    );
    let error = check_actions(&[json!({"type": "explode"})]).unwrap_err();
    assert_eq!(error.field, "actions[0]");
    let error = check_actions(&[json!({"type": "send_reply", "macro_ids": []})]).unwrap_err();
    assert_eq!(error.field, "actions[0].macro_ids");
    let ok = check_actions(&[json!({"type": "escalate", "priority": "urgent"})]).unwrap();
    assert_eq!(ok[0].kind(), "escalate");
}

#[test]
fn events_of_automations_cannot_fire_triggers() {
    assert!(check_event("ticket.created").is_ok());
    assert_eq!(check_event("trigger.fired").unwrap_err().field, "event");
    assert_eq!(check_event("ticket.exploded").unwrap_err().field, "event");
}
