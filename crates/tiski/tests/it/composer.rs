//! The composer: drafts saved per agent and ticket (others see only that one exists),
//! formatted replies (cleaned HTML and the derived text part), files staged for a reply
//! (limits, ownership, sent with it, pruned after a day, erased with the customer), the
//! check of `/words` and the macro preview filled in on the server.

use crate::ui_workspace::{signed_in, staff};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use std::time::Duration;
use tiski_domain::Role;
use tiski_testkit::{TestApp, assert_problem};

async fn ticket(test: &TestApp, team: i64, email: &str) -> (i64, i64) {
    let ticket = test
        .ticket(
            &test.admin,
            json!({
                "subject": "Kettle leaks",
                "team_id": team,
                "requester": {"email": email, "name": "Aino Virtanen"},
                "message": {"body": "It leaks."},
                "language": "en"
            }),
        )
        .await;
    (
        ticket["id"].as_i64().unwrap(),
        ticket["requester"]["id"].as_i64().unwrap(),
    )
}

async fn put_draft(test: &TestApp, token: &str, id: i64, body: Value) -> (StatusCode, Value) {
    test.call(
        Method::PUT,
        &format!("/api/v1/tickets/{id}/draft"),
        token,
        Some(body),
    )
    .await
}

async fn event_count(test: &TestApp, id: i64) -> usize {
    let (_, page) = test
        .get(
            &format!("/api/v1/tickets/{id}/events?limit=200"),
            &test.admin,
        )
        .await;
    page["items"].as_array().map_or(0, Vec::len)
}

#[tokio::test]
async fn drafts_are_personal_and_others_see_only_that_one_exists() {
    let test = TestApp::spawn().await;
    let team = test.team("Support").await;
    let other_team = test.team("Billing").await;
    let (oliver, oliver_token) = test.user(Role::Agent, &[team]).await;
    let (_, anna_token) = test.user(Role::Agent, &[team]).await;
    let (_, outsider_token) = test.user(Role::Agent, &[other_team]).await;
    let (id, _) = ticket(&test, team, "aino@example.com").await;
    let events_before = event_count(&test, id).await;

    let draft = format!("/api/v1/tickets/{id}/draft");
    assert_problem(
        &test.get(&draft, &oliver_token).await,
        StatusCode::NOT_FOUND,
        None,
    );
    let (status, saved) = put_draft(
        &test,
        &oliver_token,
        id,
        json!({"kind": "note", "html": "<div>Check <b>the seal</b><script>alert(1)</script></div><ul><li>one</li></ul>"}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{saved}");
    assert_eq!(saved["kind"], "note");
    assert_eq!(
        saved["html"],
        "<div>Check <b>the seal</b></div><ul><li>one</li></ul>"
    );
    assert_eq!(saved["body"], "Check the seal\n- one");
    let (status, loaded) = test.get(&draft, &oliver_token).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(loaded["html"], saved["html"]);

    // A colleague cannot read it, and has no draft of their own there.
    assert_problem(
        &test.get(&draft, &anna_token).await,
        StatusCode::NOT_FOUND,
        None,
    );
    // But sees that it exists: who and when, never the text.
    let (status, owners) = test
        .get(&format!("/api/v1/tickets/{id}/drafts"), &anna_token)
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(owners.as_array().unwrap().len(), 1, "{owners}");
    assert_eq!(owners[0]["user_id"], oliver);
    assert!(owners[0]["name"].as_str().is_some_and(|n| !n.is_empty()));
    assert!(!owners.to_string().contains("seal"), "{owners}");
    // Oneself is not listed.
    let (_, mine) = test
        .get(&format!("/api/v1/tickets/{id}/drafts"), &oliver_token)
        .await;
    assert_eq!(mine, json!([]));

    // Saving a draft is bookkeeping: the ticket's history does not grow.
    assert_eq!(event_count(&test, id).await, events_before);

    // Out of scope: 404 for every draft path.
    for answer in [
        test.get(&draft, &outsider_token).await,
        put_draft(&test, &outsider_token, id, json!({"body": "x"})).await,
        test.call(Method::DELETE, &draft, &outsider_token, None)
            .await,
        test.get(&format!("/api/v1/tickets/{id}/drafts"), &outsider_token)
            .await,
    ] {
        assert_problem(&answer, StatusCode::NOT_FOUND, None);
    }

    // Bad input.
    assert_problem(
        &put_draft(&test, &oliver_token, id, json!({})).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        Some("html"),
    );
    assert_problem(
        &put_draft(&test, &oliver_token, id, json!({"html": "a\u{0}b"})).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        Some("html"),
    );
    assert_problem(
        &put_draft(
            &test,
            &oliver_token,
            id,
            json!({"html": "x".repeat(1_200_000)}),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        Some("html"),
    );
    let unknown = put_draft(&test, &oliver_token, id, json!({"text": "x"})).await;
    assert_eq!(unknown.0, StatusCode::UNPROCESSABLE_ENTITY, "{}", unknown.1);
    let kind = put_draft(
        &test,
        &oliver_token,
        id,
        json!({"kind": "memo", "body": "x"}),
    )
    .await;
    assert_eq!(kind.0, StatusCode::UNPROCESSABLE_ENTITY, "{}", kind.1);

    // Text given as plain text is kept line by line, escaped.
    let (status, plain) = put_draft(&test, &oliver_token, id, json!({"body": "a <b>\n\nc"})).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(plain["body"], "a <b>\n\nc");
    assert_eq!(plain["kind"], "reply");

    // A draft emptied is removed; then deleting answers 204 all the same.
    let (status, _) = put_draft(&test, &oliver_token, id, json!({"html": "<div><br></div>"})).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert_problem(
        &test.get(&draft, &oliver_token).await,
        StatusCode::NOT_FOUND,
        None,
    );
    put_draft(&test, &oliver_token, id, json!({"body": "again"})).await;
    let (status, _) = test.call(Method::DELETE, &draft, &oliver_token, None).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert_problem(
        &test.get(&draft, &oliver_token).await,
        StatusCode::NOT_FOUND,
        None,
    );
    let (_, owners) = test
        .get(&format!("/api/v1/tickets/{id}/drafts"), &anna_token)
        .await;
    assert_eq!(owners, json!([]));
}

#[tokio::test]
async fn a_composed_message_is_cleaned_html_with_a_faithful_text_part() {
    let test = TestApp::spawn().await;
    // Public replies need a mailbox that can reach the customer.
    test.default_mailbox().await;
    let team = test.team("Support").await;
    let (id, _) = ticket(&test, team, "aino@example.com").await;
    let path = format!("/api/v1/tickets/{id}/messages");
    let (status, message) = test
        .post(
            &path,
            &test.admin,
            json!({"html": "<div>Hello <b>Aino</b>,</div><div><br></div><ol><li>Turn it off</li><li>Unplug it</li></ol><ul><li>no tools</li></ul><blockquote><div>It leaks.</div></blockquote><div>See <a href=\"https://help.example/kettle\" onclick=\"x()\">the guide</a> <img src=\"https://t.example/p.gif\"></div>"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{message}");
    assert_eq!(
        message["body"],
        "Hello Aino,\n\n1. Turn it off\n2. Unplug it\n- no tools\n> It leaks.\nSee the guide <https://help.example/kettle>"
    );
    let html = message["html"].as_str().unwrap();
    assert!(html.starts_with("<div>Hello <b>Aino</b>,</div>"), "{html}");
    assert!(
        html.contains("<a href=\"https://help.example/kettle\" rel=\"noopener noreferrer nofollow\">the guide</a>"),
        "{html}"
    );
    assert!(
        !html.contains("onclick") && !html.contains("<img"),
        "{html}"
    );
    // A body given with the HTML is kept as the text part.
    let (status, both) = test
        .post(
            &path,
            &test.admin,
            json!({"body": "Plain words", "html": "<p>Rich <i>words</i></p>"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(both["body"], "Plain words");
    // HTML with no text is refused on the field at fault.
    assert_problem(
        &test
            .post(&path, &test.admin, json!({"html": "<p><img src=x></p>"}))
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        Some("html"),
    );
    assert_problem(
        &test.post(&path, &test.admin, json!({"body": ""})).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        Some("body"),
    );
}

fn small_limits() -> tiski_kernel::Settings {
    tiski_kernel::Settings {
        max_attachments: 2,
        max_attachment_bytes: 1024,
        max_attachments_bytes: 1536,
        ..tiski_testkit::fast_settings()
    }
}

#[tokio::test]
async fn staged_files_keep_the_limits_belong_to_their_agent_and_go_with_the_reply() {
    let test = TestApp::spawn_with(small_limits()).await;
    // Public replies need a mailbox that can reach the customer.
    test.default_mailbox().await;
    let team = test.team("Support").await;
    let other_team = test.team("Billing").await;
    staff(
        &test,
        "oliver@example.com",
        "Oliver Otter",
        Role::Agent,
        &[team],
    )
    .await;
    staff(&test, "anna@example.com", "Anna Ant", Role::Agent, &[team]).await;
    staff(
        &test,
        "olga@example.com",
        "Olga Out",
        Role::Agent,
        &[other_team],
    )
    .await;
    let (id, _) = ticket(&test, team, "aino@example.com").await;
    let mut oliver = signed_in(&test, "oliver@example.com").await;
    oliver.get(&format!("/tickets/{id}")).await;
    let upload = |name: &str| format!("/ui/tickets/{id}/uploads?name={name}");

    let first = oliver
        .script(
            Method::POST,
            &upload("notes.txt"),
            "text/plain",
            vec![b'a'; 600],
        )
        .await;
    assert_eq!(first.status, StatusCode::CREATED, "{}", first.body);
    let first: Value = serde_json::from_str(&first.body).unwrap();
    assert_eq!(first["filename"], "notes.txt");
    assert_eq!(first["size"], 600);
    assert_eq!(first["content_type"], "text/plain");

    // Too large alone, too large together, a bad type, a bad name.
    let big = oliver
        .script(
            Method::POST,
            &upload("big.bin"),
            "application/octet-stream",
            vec![0; 1025],
        )
        .await;
    assert_eq!(big.status, StatusCode::PAYLOAD_TOO_LARGE, "{}", big.body);
    assert!(big.body.contains("\"field\":\"file\""), "{}", big.body);
    let together = oliver
        .script(
            Method::POST,
            &upload("b.bin"),
            "application/octet-stream",
            vec![0; 1000],
        )
        .await;
    assert_eq!(
        together.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        together.body
    );
    assert!(together.body.contains("\"field\":\"file\""));
    let bad_type = oliver
        .script(Method::POST, &upload("c.txt"), "not a type", vec![1; 10])
        .await;
    assert_eq!(bad_type.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        bad_type.body.contains("file/content_type"),
        "{}",
        bad_type.body
    );
    let bad_name = oliver
        .script(Method::POST, &upload("..%2Fetc"), "text/plain", vec![1; 10])
        .await;
    assert_eq!(bad_name.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad_name.body.contains("file/filename"), "{}", bad_name.body);
    let second = oliver
        .script(
            Method::POST,
            &upload("photo.png"),
            "image/png",
            vec![7; 100],
        )
        .await;
    assert_eq!(second.status, StatusCode::CREATED, "{}", second.body);
    let second: Value = serde_json::from_str(&second.body).unwrap();
    let third = oliver
        .script(Method::POST, &upload("more.png"), "image/png", vec![7; 10])
        .await;
    assert_eq!(
        third.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        third.body
    );
    assert!(third.body.contains("At most 2"), "{}", third.body);

    // Another agent can neither remove Oliver's file nor send it; one out of the ticket's
    // teams cannot stage there at all.
    let mut anna = signed_in(&test, "anna@example.com").await;
    anna.get(&format!("/tickets/{id}")).await;
    let theirs = anna
        .script(
            Method::DELETE,
            &format!("/ui/uploads/{}", first["id"]),
            "text/plain",
            vec![],
        )
        .await;
    assert_eq!(theirs.status, StatusCode::NOT_FOUND);
    let stolen = anna
        .htmx(
            &format!("/ui/tickets/{id}/messages"),
            &[
                ("html", "<div>Here</div>"),
                ("staged", &first["id"].to_string()),
            ],
        )
        .await;
    // (htmx shows refusals in the flash area.)
    assert!(stolen.body.contains("flash-error"), "{}", stolen.body);
    let mut olga = signed_in(&test, "olga@example.com").await;
    let outside = olga
        .script(Method::POST, &upload("x.txt"), "text/plain", vec![1; 10])
        .await;
    assert_eq!(outside.status, StatusCode::NOT_FOUND);
    let outside = olga
        .script(
            Method::PUT,
            &format!("/ui/tickets/{id}/draft"),
            "application/x-www-form-urlencoded",
            b"html=x".to_vec(),
        )
        .await;
    assert_eq!(outside.status, StatusCode::NOT_FOUND);

    // The draft: saved from the page, seen to exist by a colleague, restored on a reload.
    let saved = oliver
        .script(
            Method::PUT,
            &format!("/ui/tickets/{id}/draft"),
            "application/x-www-form-urlencoded",
            b"kind=reply&html=%3Cdiv%3EHello%20%3Cb%3EAino%3C%2Fb%3E%3C%2Fdiv%3E".to_vec(),
        )
        .await;
    assert_eq!(saved.status, StatusCode::NO_CONTENT, "{}", saved.body);
    let presence = anna
        .htmx(&format!("/ui/tickets/{id}/presence"), &[("typing", "0")])
        .await;
    assert!(
        presence.body.contains("Oliver Otter has an unsent draft"),
        "{}",
        presence.body
    );
    assert!(!presence.body.contains("Aino</b>"));
    let page = oliver.get(&format!("/tickets/{id}")).await;
    assert!(
        page.body.contains("<div>Hello <b>Aino</b></div>"),
        "the draft is restored"
    );
    assert!(page.body.contains("notes.txt") && page.body.contains("photo.png"));

    // Removing one, then sending with the other: the file goes with the reply; the draft
    // and the staged file are gone.
    let removed = oliver
        .script(
            Method::DELETE,
            &format!("/ui/uploads/{}", first["id"]),
            "text/plain",
            vec![],
        )
        .await;
    assert_eq!(removed.status, StatusCode::NO_CONTENT);
    let sent = oliver
        .htmx(
            &format!("/ui/tickets/{id}/messages"),
            &[
                ("kind", "reply"),
                (
                    "html",
                    "<div>Hello <b>Aino</b></div><ul><li>photo attached</li></ul>",
                ),
                ("staged", &second["id"].to_string()),
            ],
        )
        .await;
    assert_eq!(sent.status, StatusCode::OK, "{}", sent.body);
    let (_, messages) = test
        .get(&format!("/api/v1/tickets/{id}/messages"), &test.admin)
        .await;
    let reply = messages["items"]
        .as_array()
        .unwrap()
        .last()
        .unwrap()
        .clone();
    assert_eq!(reply["body"], "Hello Aino\n- photo attached");
    assert_eq!(
        reply["html"],
        "<div>Hello <b>Aino</b></div><ul><li>photo attached</li></ul>"
    );
    assert_eq!(reply["attachments"].as_array().unwrap().len(), 1);
    assert_eq!(reply["attachments"][0]["filename"], "photo.png");
    assert_eq!(reply["attachments"][0]["size"], 100);
    let again = oliver
        .htmx(
            &format!("/ui/tickets/{id}/messages"),
            &[
                ("html", "<div>twice</div>"),
                ("staged", &second["id"].to_string()),
            ],
        )
        .await;
    assert!(
        again.body.contains("flash-error"),
        "a staged file is sent once"
    );
    let presence = anna
        .htmx(&format!("/ui/tickets/{id}/presence"), &[("typing", "0")])
        .await;
    assert!(!presence.body.contains("unsent draft"), "{}", presence.body);
}

#[tokio::test]
async fn staged_files_are_pruned_after_a_day_and_drafts_go_with_an_erasure() {
    let test = TestApp::spawn().await;
    let team = test.team("Support").await;
    staff(
        &test,
        "oliver@example.com",
        "Oliver Otter",
        Role::Agent,
        &[team],
    )
    .await;
    let (id, customer) = ticket(&test, team, "aino@example.com").await;
    let mut oliver = signed_in(&test, "oliver@example.com").await;
    oliver.get(&format!("/tickets/{id}")).await;
    let staged = oliver
        .script(
            Method::POST,
            &format!("/ui/tickets/{id}/uploads?name=a.txt"),
            "text/plain",
            b"unique staged bytes 1".to_vec(),
        )
        .await;
    assert_eq!(staged.status, StatusCode::CREATED);

    test.advance(Duration::from_secs(23 * 3600));
    assert_eq!(
        test.app.prune().await.unwrap().staged_files,
        0,
        "not yet a day"
    );
    test.advance(Duration::from_secs(2 * 3600));
    assert_eq!(test.app.prune().await.unwrap().staged_files, 1);
    // A day on, the session may have ended: sign in again.
    let mut oliver = signed_in(&test, "oliver@example.com").await;
    let page = oliver.get(&format!("/tickets/{id}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(!page.body.contains("a.txt"));

    // A draft and a staged file on the customer's ticket go with their erasure.
    oliver
        .script(
            Method::PUT,
            &format!("/ui/tickets/{id}/draft"),
            "application/x-www-form-urlencoded",
            b"html=Secret%20words".to_vec(),
        )
        .await;
    oliver
        .script(
            Method::POST,
            &format!("/ui/tickets/{id}/uploads?name=b.txt"),
            "text/plain",
            b"unique staged bytes 2".to_vec(),
        )
        .await;
    let (status, answer) = test
        .post(
            &format!("/api/v1/customers/{customer}/erase"),
            &test.admin,
            json!({"confirm": customer}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    let page = oliver.get(&format!("/tickets/{id}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(!page.body.contains("Secret words") && !page.body.contains("b.txt"));
    let (_, owners) = test
        .get(&format!("/api/v1/tickets/{id}/drafts"), &test.admin)
        .await;
    assert_eq!(owners, json!([]));
}

#[tokio::test]
async fn slash_words_without_a_macro_and_the_preview_with_real_values() {
    let test = TestApp::spawn().await;
    let team = test.team("Support").await;
    staff(
        &test,
        "hana@example.com",
        "Hana Helper",
        Role::Agent,
        &[team],
    )
    .await;
    let (id, _) = ticket(&test, team, "aino@example.com").await;
    let mut hana = signed_in(&test, "hana@example.com").await;
    let page = hana.get(&format!("/tickets/{id}")).await;
    assert!(page.body.contains("data-testid=\"format-bar\""));

    let check = hana
        .get(&format!("/ui/tickets/{id}/slash?w=refnd&w=solved"))
        .await;
    assert_eq!(check.status, StatusCode::OK);
    let check: Value = serde_json::from_str(&check.body).unwrap();
    assert_eq!(check["unknown"], json!(["refnd"]));
    let too_many: String = (0..11).map(|n| format!("w=a{n}&")).collect();
    let refused = hana
        .get(&format!("/ui/tickets/{id}/slash?{too_many}"))
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);

    // The picker's preview is the macro filled in on the server for this ticket.
    let results = hana.get(&format!("/ui/tickets/{id}/macros?q=apol")).await;
    assert!(
        results.body.contains("data-testid=\"macro-preview\""),
        "{}",
        results.body
    );
    let url = results
        .body
        .split("data-macro-url=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("a macro option")
        .to_string();
    let filled = hana.get(&url).await;
    let filled: Value = serde_json::from_str(&filled.body).unwrap();
    let text = filled["body"].as_str().unwrap();
    assert!(text.contains("Aino"), "{text}");
    assert!(text.contains("Hana"), "{text}");
    assert!(!text.contains("{{"), "{text}");
}
