//! Reshaping work through the API: merging tickets (conversation, files, CCs, tags, the
//! pointer, history, mail to the old thread), merging duplicate customers, splitting a message
//! off, and the language of tickets opened through the API.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use tiski_domain::Role;
use tiski_testkit::{TestApp, assert_problem};

async fn mailbox(test: &TestApp, address: &str, team: i64) -> i64 {
    let (status, body) = test
        .post(
            "/api/v1/mailboxes",
            &test.admin,
            json!({"address": address, "name": "Shop Support", "team_id": team}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    body["id"].as_i64().unwrap()
}

async fn post_raw(test: &TestApp, mailbox: i64, raw: &str) -> Value {
    let response = test
        .request(
            Method::POST,
            &format!("/api/v1/mailboxes/{mailbox}/raw"),
            Some(&test.admin),
        )
        .header("content-type", "message/rfc822")
        .body(raw.as_bytes().to_vec())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::CREATED);
    response.json().await.unwrap()
}

fn mail(from: &str, subject: &str, id: &str, extra: &str, body: &str) -> String {
    format!(
        "From: {from}\r\nTo: support@shop.example\r\nSubject: {subject}\r\nMessage-ID: <{id}>\r\nDate: Fri, 27 Nov 2026 10:00:00 +0200\r\n{extra}MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n{body}\r\n"
    )
}

async fn messages(test: &TestApp, ticket: i64) -> Vec<Value> {
    let (status, page) = test
        .get(&format!("/api/v1/tickets/{ticket}/messages"), &test.admin)
        .await;
    assert_eq!(status, StatusCode::OK, "{page}");
    page["items"].as_array().unwrap().clone()
}

async fn event_types(test: &TestApp, ticket: i64) -> Vec<(String, i64)> {
    let (status, page) = test
        .get(
            &format!("/api/v1/tickets/{ticket}/events?limit=200"),
            &test.admin,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{page}");
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["type"].as_str().unwrap().to_string(),
                e["ticket_id"].as_i64().unwrap(),
            )
        })
        .collect()
}

fn id(value: &Value) -> i64 {
    value["id"].as_i64().expect("an id")
}

#[tokio::test]
async fn merging_moves_the_conversation_files_ccs_and_tags_and_leaves_a_pointer() {
    let test = TestApp::spawn().await;
    let team = test.team("Support").await;
    let mailbox = mailbox(&test, "support@shop.example", team).await;
    // Ticket A by mail, with Carol copied.
    let first = post_raw(
        &test,
        mailbox,
        &mail(
            "Alice <alice@example.com>",
            "Kettle leaks",
            "k1@example.com",
            "Cc: Carol <carol@example.com>\r\n",
            "My kettle leaks from the bottom when I fill it.",
        ),
    )
    .await;
    let a = first["ticket_id"].as_i64().unwrap();
    test.patch(
        &format!("/api/v1/tickets/{a}"),
        &test.admin,
        json!({"add_tags": ["urgent"]}),
    )
    .await;
    // Ticket B by the API, for the same customer, with a file.
    let b = id(&test
        .ticket(
            &test.admin,
            json!({"subject": "Kettle again", "requester": {"email": "alice@example.com"}, "team_id": team,
                   "tags": ["kettle"], "message": {"body": "Here is a photo of the kettle.",
                   "attachments": [{"filename": "kettle.png", "content_type": "image/png", "content_base64": "iVBORw0KGgo="}]}}),
        )
        .await);
    let before_a = messages(&test, a).await.len();
    assert!(before_a >= 1);

    let (status, survivor) = test
        .post(
            &format!("/api/v1/tickets/{a}/merge"),
            &test.admin,
            json!({"into": b, "reply": {"body": "We merged your two requests into this one."}}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{survivor}");
    assert_eq!(id(&survivor), b);
    assert_eq!(survivor["tags"], json!(["kettle", "urgent"]));
    assert!(survivor["merged_into"].is_null());

    let (_, merged) = test.get(&format!("/api/v1/tickets/{a}"), &test.admin).await;
    assert_eq!(merged["status"], "closed");
    assert_eq!(
        merged["merged_into"], b,
        "the merged ticket points at the survivor"
    );
    assert!(messages(&test, a).await.is_empty());

    let moved = messages(&test, b).await;
    assert_eq!(
        moved.len(),
        before_a + 2,
        "A's messages, B's, and the reply: {moved:?}"
    );
    assert!(moved.iter().all(|m| m["ticket_id"] == b));
    assert!(
        moved
            .iter()
            .any(|m| m["attachments"][0]["filename"] == "kettle.png")
    );
    let told = moved.last().unwrap();
    assert_eq!(told["kind"], "reply");
    assert_eq!(told["author_kind"], "agent");

    // History: A's own events stay A's, the survivor's history shows them, both have the merge.
    let of_a = event_types(&test, a).await;
    assert!(of_a.contains(&("ticket.merged".into(), a)), "{of_a:?}");
    let of_b = event_types(&test, b).await;
    assert!(of_b.contains(&("ticket.merged".into(), b)), "{of_b:?}");
    assert!(of_b.contains(&("ticket.created".into(), a)), "{of_b:?}");

    // Carol's CC moved: her answer to the old thread lands in the survivor.
    let later = post_raw(
        &test,
        mailbox,
        &mail(
            "Carol <carol@example.com>",
            "Re: Kettle leaks",
            "k2@example.com",
            "In-Reply-To: <k1@example.com>\r\nReferences: <k1@example.com>\r\n",
            "Same problem with mine, it is the same model.",
        ),
    )
    .await;
    assert_eq!(later["ticket_id"], b, "{later}");
    assert_eq!(later["outcome"], "added", "{later}");

    // The merged ticket takes no more messages and cannot merge again.
    let (status, refused) = test
        .post(
            &format!("/api/v1/tickets/{a}/messages"),
            &test.admin,
            json!({"body": "hello"}),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(refused["code"], "ticket_merged", "{refused}");
    let again = test
        .post(
            &format!("/api/v1/tickets/{a}/merge"),
            &test.admin,
            json!({"into": b}),
        )
        .await;
    assert_problem(&again, StatusCode::CONFLICT, None);
    assert_eq!(again.1["code"], "ticket_merged");
    // Into a merged ticket: refused, naming where to go.
    let into_merged = test
        .post(
            &format!("/api/v1/tickets/{b}/merge"),
            &test.admin,
            json!({"into": a}),
        )
        .await;
    assert_problem(&into_merged, StatusCode::CONFLICT, Some("into"));
    assert_eq!(into_merged.1["code"], "ticket_merged");
    assert!(
        into_merged.1["detail"]
            .as_str()
            .unwrap()
            .contains(&b.to_string())
    );
    test.stop().await;
}

#[tokio::test]
async fn merge_refuses_itself_closed_targets_unseen_tickets_and_bad_input() {
    let test = TestApp::spawn().await;
    let mine = test.team("Mine").await;
    let theirs = test.team("Theirs").await;
    let (_, agent) = test.user(Role::Agent, &[mine]).await;
    let ticket = |team: i64, subject: &str| json!({"subject": subject, "requester": {"email": "bob@example.com"}, "team_id": team, "message": {"body": "Hello there, something broke."}});
    let x = id(&test.ticket(&agent, ticket(mine, "X")).await);
    let y = id(&test.ticket(&test.admin, ticket(theirs, "Y")).await);
    let z = id(&test.ticket(&agent, ticket(mine, "Z")).await);
    let path = format!("/api/v1/tickets/{x}/merge");

    // Into a ticket the agent cannot see: as if it did not exist, and nothing moved.
    let unseen = test.post(&path, &agent, json!({"into": y})).await;
    assert_problem(&unseen, StatusCode::NOT_FOUND, None);
    assert_eq!(messages(&test, x).await.len(), 1);
    // From a ticket the agent cannot see.
    let unseen = test
        .post(
            &format!("/api/v1/tickets/{y}/merge"),
            &agent,
            json!({"into": x}),
        )
        .await;
    assert_problem(&unseen, StatusCode::NOT_FOUND, None);
    // Into itself.
    assert_problem(
        &test.post(&path, &agent, json!({"into": x})).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        Some("into"),
    );
    // Into a closed ticket.
    let closed = id(&test.ticket(&agent, ticket(mine, "Closed")).await);
    let closed_path = format!("/api/v1/tickets/{closed}");
    test.patch(&closed_path, &agent, json!({"status": "solved"}))
        .await;
    test.patch(&closed_path, &agent, json!({"status": "closed"}))
        .await;
    let refused = test.post(&path, &agent, json!({"into": closed})).await;
    assert_problem(&refused, StatusCode::CONFLICT, Some("into"));
    assert_eq!(refused.1["code"], "ticket_closed");
    // Bad input on every field.
    for body in [
        json!({}),
        json!({"into": "seven"}),
        json!({"into": z, "extra": 1}),
        json!({"into": z, "reply": {"body": ""}}),
        json!({"into": z, "reply": {"text": "hi"}}),
    ] {
        let answer = test.post(&path, &agent, body.clone()).await;
        assert!(
            answer.0 == StatusCode::UNPROCESSABLE_ENTITY || answer.0 == StatusCode::BAD_REQUEST,
            "{body}: {answer:?}"
        );
        assert!(answer.1["detail"].is_string(), "{answer:?}");
    }
    assert_problem(
        &test.post(&path, &agent, json!({"into": 999_999})).await,
        StatusCode::NOT_FOUND,
        None,
    );
    let answer = test
        .post("/api/v1/tickets/abc/merge", &agent, json!({"into": z}))
        .await;
    assert_eq!(answer.0, StatusCode::BAD_REQUEST, "{answer:?}");
    // Within the agent's reach it works.
    let (status, merged) = test.post(&path, &agent, json!({"into": z})).await;
    assert_eq!(status, StatusCode::OK, "{merged}");
    assert_eq!(messages(&test, z).await.len(), 2);
    test.stop().await;
}

#[tokio::test]
async fn merging_customers_moves_identities_tickets_and_notes() {
    let test = TestApp::spawn().await;
    let team = test.team("Support").await;
    let (_, agent) = test.user(Role::Agent, &[team]).await;
    let (_, supervisor) = test.user(Role::Supervisor, &[team]).await;
    let (status, duplicate) = test
        .post(
            "/api/v1/customers",
            &test.admin,
            json!({"name": "Maija V.", "emails": ["maija@old.example"], "notes": "Called about a refund.", "time_zone": "Europe/Helsinki"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{duplicate}");
    let (_, survivor) = test
        .post(
            "/api/v1/customers",
            &test.admin,
            json!({"name": "Maija Virtanen", "emails": ["maija@new.example"], "phones": ["+358401234567"], "notes": "Prefers phone."}),
        )
        .await;
    let (dup, keep) = (id(&duplicate), id(&survivor));
    let old_ticket = id(&test
        .ticket(
            &test.admin,
            json!({"subject": "Refund", "requester": {"id": dup}, "team_id": team, "message": {"body": "Where is my refund?", "author": "customer"}}),
        )
        .await);
    let path = format!("/api/v1/customers/{dup}/merge");

    // Agents may not; bad input is refused.
    assert_problem(
        &test.post(&path, &agent, json!({"into": keep})).await,
        StatusCode::FORBIDDEN,
        None,
    );
    assert_problem(
        &test.post(&path, &supervisor, json!({"into": dup})).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        Some("into"),
    );
    for body in [
        json!({}),
        json!({"into": null}),
        json!({"into": keep, "x": 1}),
    ] {
        let answer = test.post(&path, &supervisor, body.clone()).await;
        assert_eq!(
            answer.0,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{body}: {answer:?}"
        );
    }
    assert_problem(
        &test
            .post(&path, &supervisor, json!({"into": 999_999}))
            .await,
        StatusCode::NOT_FOUND,
        None,
    );

    // The survivor must be within the supervisor's reach too.
    assert_problem(
        &test.post(&path, &supervisor, json!({"into": keep})).await,
        StatusCode::NOT_FOUND,
        None,
    );
    test.ticket(
        &test.admin,
        json!({"subject": "Call back", "requester": {"id": keep}, "team_id": team, "message": {"body": "Please call me."}}),
    )
    .await;
    let (status, merged) = test.post(&path, &supervisor, json!({"into": keep})).await;
    assert_eq!(status, StatusCode::OK, "{merged}");
    assert_eq!(merged["name"], "Maija Virtanen");
    assert_eq!(
        merged["emails"],
        json!(["maija@new.example", "maija@old.example"])
    );
    assert_eq!(merged["phones"], json!(["+358401234567"]));
    assert_eq!(
        merged["time_zone"], "Europe/Helsinki",
        "the survivor lacked one"
    );
    assert_eq!(merged["notes"], "Prefers phone.\n\nCalled about a refund.");

    let (_, ticket) = test
        .get(&format!("/api/v1/tickets/{old_ticket}"), &test.admin)
        .await;
    assert_eq!(ticket["requester"]["id"], keep);
    let conversation = messages(&test, old_ticket).await;
    assert_eq!(conversation[0]["author_id"], keep);
    let (_, gone) = test
        .get(&format!("/api/v1/customers/{dup}"), &test.admin)
        .await;
    assert_eq!(gone["merged_into"], keep);
    assert!(gone["emails"].as_array().unwrap().is_empty());
    let (_, list) = test.get("/api/v1/customers?q=maija", &test.admin).await;
    let listed: Vec<i64> = list["items"].as_array().unwrap().iter().map(id).collect();
    assert_eq!(listed, vec![keep], "the duplicate is out of the list");
    // Mail from the old address finds the survivor.
    let next = test
        .ticket(
            &test.admin,
            json!({"subject": "Again", "requester": {"email": "maija@old.example"}, "message": {"body": "Hello again"}}),
        )
        .await;
    assert_eq!(next["requester"]["id"], keep);
    // Recorded, without personal data; merging again is refused.
    let (_, log) = test
        .get("/api/v1/events?after=0&limit=200", &test.admin)
        .await;
    let recorded = log["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["type"] == "customer.merged")
        .expect("a customer.merged event")
        .clone();
    assert_eq!(
        recorded["data"],
        json!({"customer_id": dup, "into": keep, "tickets": 1, "identities": 1})
    );
    // The duplicate has no tickets left, so the supervisor no longer sees it; an admin
    // (who sees every customer) is told it was merged.
    assert_problem(
        &test.post(&path, &supervisor, json!({"into": keep})).await,
        StatusCode::NOT_FOUND,
        None,
    );
    assert_problem(
        &test.post(&path, &test.admin, json!({"into": keep})).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        Some("id"),
    );
    test.stop().await;
}

#[tokio::test]
async fn splitting_moves_one_message_with_its_files_to_a_linked_ticket() {
    let test = TestApp::spawn().await;
    let team = test.team("Support").await;
    let other = test.team("Other").await;
    let (_, agent) = test.user(Role::Agent, &[other]).await;
    let original = test
        .ticket(
            &test.admin,
            json!({"subject": "Order 1234", "requester": {"email": "pat@example.com"}, "team_id": team, "tags": ["orders"],
                   "message": {"body": "Where is order 1234?"}}),
        )
        .await;
    let t = id(&original);
    let (status, second) = test
        .post(
            &format!("/api/v1/tickets/{t}/messages"),
            &test.admin,
            json!({"body": "Also, my invoice is wrong.", "author": "customer",
                   "attachments": [{"filename": "invoice.txt", "content_type": "text/plain", "content_base64": "SW52b2ljZQ=="}]}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{second}");
    let message = id(&second);
    let path = format!("/api/v1/messages/{message}/split");

    assert_problem(
        &test.post(&path, &agent, json!({})).await,
        StatusCode::NOT_FOUND,
        None,
    );
    for body in [
        json!({"subject": ""}),
        json!({"subject": 5}),
        json!({"x": 1}),
    ] {
        let answer = test.post(&path, &test.admin, body.clone()).await;
        assert_eq!(
            answer.0,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{body}: {answer:?}"
        );
    }
    assert_problem(
        &test
            .post("/api/v1/messages/999999/split", &test.admin, json!({}))
            .await,
        StatusCode::NOT_FOUND,
        None,
    );

    let (status, split) = test
        .post(&path, &test.admin, json!({"subject": "Wrong invoice"}))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{split}");
    let s = id(&split);
    assert_eq!(split["split_from"], t);
    assert_eq!(split["subject"], "Wrong invoice");
    assert_eq!(split["requester"]["id"], original["requester"]["id"]);
    assert_eq!(split["team_id"], team);
    assert_eq!(split["tags"], json!(["orders"]));
    let moved = messages(&test, s).await;
    assert_eq!(moved.len(), 1);
    assert_eq!(moved[0]["id"], message);
    assert_eq!(moved[0]["attachments"][0]["filename"], "invoice.txt");
    let left = messages(&test, t).await;
    assert_eq!(left.len(), 1);
    assert!(
        event_types(&test, t)
            .await
            .contains(&("ticket.split".into(), t))
    );
    assert!(
        event_types(&test, s)
            .await
            .contains(&("ticket.split".into(), s))
    );
    // The only message of a ticket has nothing to be split from.
    let only = left[0]["id"].as_i64().unwrap();
    assert_problem(
        &test
            .post(
                &format!("/api/v1/messages/{only}/split"),
                &test.admin,
                json!({}),
            )
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        Some("message_id"),
    );
    test.stop().await;
}

#[tokio::test]
async fn tickets_opened_through_the_api_get_their_language_detected() {
    let test = TestApp::spawn().await;
    let opened = |body: &str, language: Option<&str>| {
        let mut ticket = json!({"subject": "Hei", "requester": {"email": "x@example.fi"}, "message": {"body": body}});
        if let Some(language) = language {
            ticket["language"] = json!(language);
        }
        ticket
    };
    let finnish = test
        .ticket(
            &test.admin,
            opened(
                "Hei, tilaukseni ei ole vielä saapunut. Voisitteko tarkistaa missä se on?",
                None,
            ),
        )
        .await;
    assert_eq!(finnish["language"], "fi");
    let polish = test
        .ticket(
            &test.admin,
            opened(
                "Dzień dobry, moje zamówienie jeszcze nie dotarło. Czy mogą Państwo sprawdzić?",
                None,
            ),
        )
        .await;
    assert_eq!(polish["language"], "pl");
    let given = test
        .ticket(
            &test.admin,
            opened(
                "Hei, tilaukseni ei ole vielä saapunut. Voisitteko tarkistaa?",
                Some("en"),
            ),
        )
        .await;
    assert_eq!(given["language"], "en", "a given language wins");
    let short = test.ticket(&test.admin, opened("ok", None)).await;
    assert!(short["language"].is_null(), "{short}");
    assert_problem(
        &test
            .post(
                "/api/v1/tickets",
                &test.admin,
                opened("Hello there friend", Some("not a language!")),
            )
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        Some("language"),
    );
    test.stop().await;
}
