//! The cross-team customer leak, tried as an attacker would: an agent of team B names a
//! customer of team A in `POST /api/v1/tickets` (by id, then by email) and then reads
//! everything that shows a customer: the API record, the customer page, the customer search
//! (API and page), the ticket page's customer panel and the answer of the create itself. None
//! may show the customer's notes or other identities, and an id out of reach must answer
//! exactly like one nothing has.

use crate::ui_workspace::{signed_in, staff};
use reqwest::StatusCode;
use serde_json::{Value, json};
use tiski_domain::Role;
use tiski_testkit::TestApp;

const NOTES: &str = "VIP-note-7f3a: prefers calls before noon";
const OTHER_EMAIL: &str = "aino.private.7f3a@example.net";
const EMAIL: &str = "aino.7f3a@example.com";
const PHONE: &str = "+358401234567";

/// Whether an answer shows any of the customer's record beyond what the attacker typed.
fn leaks(text: &str) -> Option<&'static str> {
    [NOTES, OTHER_EMAIL, PHONE]
        .into_iter()
        .find(|secret| text.contains(secret))
}

#[tokio::test]
async fn naming_a_customer_of_another_team_reveals_nothing_of_them() {
    let test = TestApp::spawn().await;
    let team_a = test.team("Team A").await;
    let team_b = test.team("Team B").await;
    staff(
        &test,
        "bee@desk.example",
        "Bee Agent",
        Role::Agent,
        &[team_b],
    )
    .await;
    let (_, token_b) = test.user(Role::Agent, &[team_b]).await;
    let (status, customer) = test
        .post(
            "/api/v1/customers",
            &test.admin,
            json!({"name": "Aino Virtanen", "emails": [EMAIL, OTHER_EMAIL],
                   "phones": [PHONE], "notes": NOTES}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{customer}");
    let customer_id = customer["id"].as_i64().expect("a customer id");
    let own = test
        .ticket(
            &test.admin,
            json!({"subject": "Kettle", "team_id": team_a, "requester": {"id": customer_id},
                   "message": {"body": "It leaks."}}),
        )
        .await;
    assert_eq!(own["requester"]["id"], customer_id);

    // By id: an id out of reach answers exactly like one nothing has.
    let by_id = |id: i64| {
        json!({"subject": "Call", "team_id": team_b, "requester": {"id": id},
               "message": {"body": "Called in."}})
    };
    let out_of_reach = test
        .post("/api/v1/tickets", &token_b, by_id(customer_id))
        .await;
    let missing_id = customer_id + 1_000_000;
    let nothing = test
        .post("/api/v1/tickets", &token_b, by_id(missing_id))
        .await;
    assert_eq!(
        out_of_reach.0,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        out_of_reach.1
    );
    assert_eq!(nothing.0, out_of_reach.0);
    let same = |mut v: Value, id: i64| {
        let text = v["detail"]
            .as_str()
            .unwrap_or("")
            .replace(&id.to_string(), "N");
        v["detail"] = Value::String(text);
        v
    };
    assert_eq!(
        same(out_of_reach.1.clone(), customer_id),
        same(nothing.1.clone(), missing_id),
        "an out-of-reach id and a missing id answer alike"
    );

    // By email: the ticket is opened (the address may be a new customer), but the answer
    // shows nothing of the record.
    let (status, ticket) = test
        .post(
            "/api/v1/tickets",
            &token_b,
            json!({"subject": "Call", "team_id": team_b, "requester": {"email": EMAIL},
                   "message": {"body": "Called in."}}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{ticket}");
    assert_eq!(leaks(&ticket.to_string()), None, "{ticket}");
    let ticket_id = ticket["id"].as_i64().expect("a ticket id");
    assert_eq!(
        ticket["requester"]["id"], customer_id,
        "the mail still goes to the customer"
    );

    // The API record and the search.
    let missing = test
        .get(&format!("/api/v1/customers/{missing_id}"), &token_b)
        .await;
    let record = test
        .get(&format!("/api/v1/customers/{customer_id}"), &token_b)
        .await;
    assert_eq!(record.0, StatusCode::NOT_FOUND, "{}", record.1);
    assert_eq!(record, missing, "out of reach and missing answer alike");
    for q in ["aino", "7f3a", "example.net", "Virtanen"] {
        let (status, found) = test
            .get(&format!("/api/v1/customers?q={q}"), &token_b)
            .await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(found["items"], json!([]), "search {q}: {found}");
    }
    let (_, all) = test.get("/api/v1/customers?limit=200", &token_b).await;
    assert_eq!(leaks(&all.to_string()), None, "{all}");
    // The ticket itself is the agent's own and stays readable, without the record.
    let (status, read) = test
        .get(&format!("/api/v1/tickets/{ticket_id}"), &token_b)
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(leaks(&read.to_string()), None, "{read}");
    let (_, listed) = test
        .get(
            &format!("/api/v1/tickets?customer_id={customer_id}"),
            &token_b,
        )
        .await;
    assert_eq!(leaks(&listed.to_string()), None, "{listed}");

    // The workspace: ticket page (customer panel), customer page, customer search.
    let mut browser = signed_in(&test, "bee@desk.example").await;
    let page = browser.get(&format!("/tickets/{ticket_id}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(leaks(&page.body), None, "the ticket page shows the record");
    assert!(!page.body.contains("data-testid=\"customer-panel\""));
    let profile = browser.get(&format!("/customers/{customer_id}")).await;
    let nobody = browser.get(&format!("/customers/{missing_id}")).await;
    assert_eq!(profile.status, StatusCode::NOT_FOUND);
    assert_eq!(profile.status, nobody.status);
    assert_eq!(leaks(&profile.body), None);
    for q in ["aino", "7f3a", "example.net"] {
        let search = browser.get(&format!("/customers?q={q}")).await;
        assert_eq!(search.status, StatusCode::OK);
        assert_eq!(leaks(&search.body), None, "search {q}");
        assert!(
            !search.body.contains(&format!("/customers/{customer_id}\"")),
            "search {q}"
        );
    }

    // Team A still sees the whole record, and the admin sees the new ticket on it.
    let (_, token_a) = test.user(Role::Agent, &[team_a]).await;
    let (status, full) = test
        .get(&format!("/api/v1/customers/{customer_id}"), &token_a)
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(full["notes"], NOTES);
    let (_, admin_view) = test
        .get(&format!("/api/v1/customers/{customer_id}"), &test.admin)
        .await;
    let tickets: Vec<i64> = admin_view["tickets"]
        .as_array()
        .expect("tickets")
        .iter()
        .filter_map(|t| t["id"].as_i64())
        .collect();
    assert!(tickets.contains(&ticket_id), "{admin_view}");
}
