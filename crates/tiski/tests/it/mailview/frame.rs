//! HTML mail in its frame: sanitised, remote images held back until asked for (with a CSP
//! that forbids them as a second wall), `cid:` images served from the message's own parts
//! only, to readers who see the ticket; hostile HTML from the security corpora.

use super::{dangerous, fetch, header, mailbox, messages, post_raw};
use crate::ui_workspace::{signed_in, staff};
use reqwest::StatusCode;
use serde_json::json;
use std::collections::HashMap;
use tiski_domain::Role;
use tiski_testkit::TestApp;

/// A 1×1 PNG.
const PNG_BASE64: &str = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";

fn html_mail(from: &str, to: &str, id: &str, cid: &str) -> String {
    format!(
        "From: Maija <{from}>\r\nTo: {to}\r\nSubject: Order photo\r\nMessage-ID: <{id}>\r\n\
Date: Fri, 27 Nov 2026 10:00:00 +0200\r\nMIME-Version: 1.0\r\n\
Content-Type: multipart/related; boundary=\"rel\"\r\n\r\n\
--rel\r\nContent-Type: multipart/alternative; boundary=\"alt\"\r\n\r\n\
--alt\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nThe box arrived broken.\r\n\r\n\
On Thu, Support wrote:\r\n> Your order shipped.\r\n\
--alt\r\nContent-Type: text/html; charset=utf-8\r\n\r\n\
<html><head><style>body{{background:url(https://tracker.example/css.gif)}}</style></head>\
<body onload=\"alert(1)\"><p style=\"color: #b00; background-image: url(https://tracker.example/bg.gif)\">The box arrived <b>broken</b>.</p>\
<img src=\"cid:{cid}\" alt=\"photo\"><img src=\"https://tracker.example/open.gif?u=42\" width=\"1\" height=\"1\">\
<img srcset=\"https://tracker.example/2x.gif 2x\"><script>alert(2)</script><a href=\"javascript:alert(3)\">x</a>\
<div class=\"gmail_quote\"><div class=\"gmail_attr\">On Thu, Support wrote:</div><blockquote class=\"gmail_quote\">Your order shipped.</blockquote></div>\
</body></html>\r\n--alt--\r\n\
--rel\r\nContent-Type: image/png\r\nContent-ID: <{cid}>\r\nContent-Disposition: inline\r\nContent-Transfer-Encoding: base64\r\n\r\n{PNG_BASE64}\r\n--rel--\r\n"
    )
}

#[tokio::test]
async fn html_mail_is_framed_with_remote_images_held_back_and_cid_parts_in_place() {
    let test = TestApp::spawn().await;
    let (mailbox_id, team) = mailbox(&test, "frame-support@shop.example").await;
    let other_team = test.team("Elsewhere").await;
    staff(&test, "frame-admin@example.com", "Ada", Role::Admin, &[]).await;
    staff(
        &test,
        "frame-agent@example.com",
        "Aaro",
        Role::Agent,
        &[team],
    )
    .await;
    staff(
        &test,
        "frame-out@example.com",
        "Olli",
        Role::Agent,
        &[other_team],
    )
    .await;

    let first = post_raw(
        &test,
        mailbox_id,
        &html_mail(
            "maija@example.fi",
            "frame-support@shop.example",
            "m1@example.fi",
            "photo1@example.fi",
        ),
    )
    .await;
    let ticket = first["ticket_id"].as_i64().expect("a ticket");
    let second = post_raw(
        &test,
        mailbox_id,
        &html_mail(
            "liisa@example.fi",
            "frame-support@shop.example",
            "m2@example.fi",
            "photo2@example.fi",
        ),
    )
    .await;
    let other_ticket = second["ticket_id"].as_i64().expect("a second ticket");
    assert_ne!(ticket, other_ticket);

    let message = messages(&test, ticket).await.remove(0);
    let id = message["id"].as_i64().unwrap();
    let other_id = messages(&test, other_ticket).await.remove(0)["id"]
        .as_i64()
        .unwrap();
    let stored = message["html"].as_str().expect("the HTML is kept");
    assert!(stored.contains("cid:photo1@example.fi"), "{stored}");
    assert!(
        dangerous(stored, false, true).is_empty(),
        "{:?}",
        dangerous(stored, false, true)
    );

    let admin = signed_in(&test, "frame-admin@example.com").await;
    let cookies = admin.cookie_header();
    // The ticket page frames the mail and says what it held back.
    let page = fetch(&test, &cookies, &format!("/tickets/{ticket}")).await;
    assert_eq!(page.status(), StatusCode::OK);
    let page_csp = header(&page, "content-security-policy");
    let page = page.text().await.unwrap();
    assert!(
        page.contains(&format!("src=\"/ui/messages/{id}/html\"")),
        "{page}"
    );
    assert!(
        page.contains("sandbox=\"allow-same-origin allow-popups allow-popups-to-escape-sandbox\"")
    );
    assert!(
        page.contains("data-testid=\"remote-note\"")
            && page.contains("data-testid=\"load-remote\"")
    );
    assert!(page.contains("data-testid=\"quote-toggle\""));
    assert!(
        !page.contains("tracker.example"),
        "the page itself names no remote image"
    );
    assert!(page_csp.contains("img-src 'self' data:"), "{page_csp}");

    // The frame: nothing runs, nothing remote, the cid image pointed at its part.
    let frame = fetch(&test, &cookies, &format!("/ui/messages/{id}/html")).await;
    assert_eq!(frame.status(), StatusCode::OK);
    let csp = header(&frame, "content-security-policy");
    assert!(
        csp.starts_with("sandbox allow-same-origin allow-popups"),
        "{csp}"
    );
    assert!(!csp.contains("allow-scripts"), "{csp}");
    assert!(
        csp.contains("default-src 'none'") && csp.contains("img-src 'self' data:;"),
        "{csp}"
    );
    assert_eq!(header(&frame, "x-frame-options"), "SAMEORIGIN");
    assert_eq!(header(&frame, "referrer-policy"), "no-referrer");
    let body = frame.text().await.unwrap();
    assert!(!body.contains("tracker.example"), "{body}");
    assert!(
        body.contains(&format!(
            "src=\"/ui/messages/{id}/cid/photo1%40example.fi\""
        )),
        "{body}"
    );
    assert!(body.contains("The box arrived <b>broken</b>"), "{body}");
    assert!(body.contains("class=\"gmail_quote\""), "{body}");
    let inner = &body[body.find("<body>").unwrap()..];
    assert!(
        dangerous(inner, true, false).is_empty(),
        "{:?}",
        dangerous(inner, true, false)
    );

    // Asked for: the remote image comes back, and the policy lets it.
    let remote = fetch(&test, &cookies, &format!("/ui/messages/{id}/html?remote=1")).await;
    assert!(
        header(&remote, "content-security-policy").contains("img-src 'self' data: https: http:")
    );
    let remote = remote.text().await.unwrap();
    assert!(remote.contains("https://tracker.example/open.gif?u=42"));
    assert!(
        !remote.contains("2x.gif") && !remote.contains("bg.gif") && !remote.contains("css.gif")
    );

    // The cid part: the image, inline, sandboxed.
    let part = fetch(
        &test,
        &cookies,
        &format!("/ui/messages/{id}/cid/photo1%40example.fi"),
    )
    .await;
    assert_eq!(part.status(), StatusCode::OK);
    assert_eq!(header(&part, "content-type"), "image/png");
    assert!(header(&part, "content-disposition").starts_with("inline"));
    assert!(header(&part, "content-security-policy").contains("sandbox"));
    assert_eq!(header(&part, "x-content-type-options"), "nosniff");
    // Another message's Content-ID through this message, an unknown one, a message nothing has:
    // not found.
    for path in [
        format!("/ui/messages/{id}/cid/photo2%40example.fi"),
        format!("/ui/messages/{other_id}/cid/photo1%40example.fi"),
        format!("/ui/messages/{id}/cid/nothing"),
        "/ui/messages/999999/cid/photo1%40example.fi".to_string(),
        "/ui/messages/999999/html".to_string(),
    ] {
        assert_eq!(
            fetch(&test, &cookies, &path).await.status(),
            StatusCode::NOT_FOUND,
            "{path}"
        );
    }

    // An agent of the ticket's team sees it; one of another team gets 404 for both.
    let member = signed_in(&test, "frame-agent@example.com").await;
    let member = member.cookie_header();
    assert_eq!(
        fetch(&test, &member, &format!("/ui/messages/{id}/html"))
            .await
            .status(),
        StatusCode::OK
    );
    assert_eq!(
        fetch(
            &test,
            &member,
            &format!("/ui/messages/{id}/cid/photo1%40example.fi")
        )
        .await
        .status(),
        StatusCode::OK
    );
    let outsider = signed_in(&test, "frame-out@example.com").await;
    let outsider = outsider.cookie_header();
    for path in [
        format!("/ui/messages/{id}/html"),
        format!("/ui/messages/{id}/html?remote=1"),
        format!("/ui/messages/{id}/cid/photo1%40example.fi"),
    ] {
        assert_eq!(
            fetch(&test, &outsider, &path).await.status(),
            StatusCode::NOT_FOUND,
            "{path}"
        );
    }
    // Without a session: no mail.
    assert_ne!(
        fetch(&test, "", &format!("/ui/messages/{id}/html"))
            .await
            .status(),
        StatusCode::OK
    );
    test.stop().await;
}

#[tokio::test]
async fn a_plain_reply_shows_its_new_text_with_the_quote_collapsed() {
    let test = TestApp::spawn().await;
    let (mailbox_id, _) = mailbox(&test, "quote-support@shop.example").await;
    staff(&test, "quote-admin@example.com", "Ada", Role::Admin, &[]).await;
    let raw = "From: Maija <maija@example.fi>\r\nTo: quote-support@shop.example\r\nSubject: Refund\r\n\
Message-ID: <q1@example.fi>\r\nDate: Fri, 27 Nov 2026 10:00:00 +0200\r\nMIME-Version: 1.0\r\n\
Content-Type: text/plain; charset=utf-8\r\n\r\nYes please, refund it.\r\n\r\n\
On Thu, 26 Nov 2026 at 9.00, Support <quote-support@shop.example> wrote:\r\n> Shall we refund the order?\r\n> Best, Support\r\n";
    let ticket = post_raw(&test, mailbox_id, raw).await["ticket_id"]
        .as_i64()
        .unwrap();
    let browser = signed_in(&test, "quote-admin@example.com").await;
    let page = fetch(
        &test,
        &browser.cookie_header(),
        &format!("/tickets/{ticket}"),
    )
    .await
    .text()
    .await
    .unwrap();
    let body_at = page
        .find("Yes please, refund it.")
        .expect("the new text shows");
    let details = page
        .find("<details class=\"quoted\"")
        .expect("the quote is collapsed");
    assert!(body_at < details);
    let quoted = &page[details..];
    assert!(quoted.contains("Shall we refund the order?"), "{quoted}");
    assert!(!page[..details].contains("Shall we refund the order?"));
    test.stop().await;
}

#[test]
fn security_corpora_payloads_never_survive_as_mail() {
    let corpora = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/corpora/security/payloadsallthethings/xss-injection/Intruders"
    );
    let mut payloads = Vec::new();
    for file in [
        "xss_payloads_quick.txt",
        "IntrudersXSS.txt",
        "0xcela_event_handlers.txt",
        "XSS_Polyglots.txt",
        "RSNAKE_XSS.txt",
        "MarioXSSVectors.txt",
        "BRUTELOGIC-XSS-STRINGS.txt",
        "port_swigger_xss_cheatsheet_event_handlers.txt",
    ] {
        let text = std::fs::read_to_string(format!("{corpora}/{file}")).expect("the XSS corpus");
        payloads.extend(
            text.lines()
                .filter(|l| !l.trim().is_empty())
                .map(str::to_string),
        );
    }
    let blns = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/corpora/security/blns/blns.txt"
    ))
    .expect("the naughty strings");
    payloads.extend(
        blns.lines()
            .filter(|l| !l.starts_with('#'))
            .map(str::to_string),
    );
    assert!(payloads.len() > 1000, "{}", payloads.len());
    let parts = HashMap::from([(
        "logo@x".to_string(),
        "/ui/messages/1/cid/logo%40x".to_string(),
    )]);
    for payload in &payloads {
        for html in [
            payload.clone(),
            format!("<div>{payload}</div><img src=\"{payload}\">"),
            format!("<p style=\"{payload}\">x</p><a href=\"{payload}\">y</a>"),
        ] {
            let stored = tiski_ticketing::sanitize_html(&html);
            assert!(
                dangerous(&stored, false, true).is_empty(),
                "stored {payload:?}: {:?}",
                dangerous(&stored, false, true)
            );
            let shown = tiski_ticketing::render_mail(&stored, parts.clone(), false);
            assert!(
                dangerous(&shown.html, true, false).is_empty(),
                "shown {payload:?}: {:?}",
                dangerous(&shown.html, true, false)
            );
            // Shown again (a reload, the remote-images view): still nothing.
            let again = tiski_ticketing::render_mail(&shown.html, parts.clone(), true);
            assert!(
                dangerous(&again.html, true, true).is_empty(),
                "again {payload:?}: {:?}",
                dangerous(&again.html, true, true)
            );
        }
    }
}

#[tokio::test]
async fn html_given_through_the_api_is_sanitised_and_framed() {
    let test = TestApp::spawn().await;
    staff(&test, "api-html@example.com", "Ada", Role::Admin, &[]).await;
    let ticket = test
        .ticket(
            &test.admin,
            json!({"subject": "HTML", "requester": {"email": "h@example.com"},
                "message": {"body": "hi", "html": "<p onmouseover=\"alert(1)\">hi</p><img src=\"http://127.0.0.1:9/pixel\"><iframe src=\"https://evil.example\"></iframe>"}}),
        )
        .await;
    let id = ticket["id"].as_i64().unwrap();
    let message = messages(&test, id).await.remove(0);
    let browser = signed_in(&test, "api-html@example.com").await;
    let frame = fetch(
        &test,
        &browser.cookie_header(),
        &format!("/ui/messages/{}/html", message["id"]),
    )
    .await;
    let body = frame.text().await.unwrap();
    assert!(
        !body.contains("onmouseover") && !body.contains("iframe") && !body.contains("127.0.0.1"),
        "{body}"
    );
    // A message without HTML has no frame.
    let (_, plain) = test
        .post(
            &format!("/api/v1/tickets/{id}/messages"),
            &test.admin,
            json!({"body": "plain", "kind": "note"}),
        )
        .await;
    let plain = fetch(
        &test,
        &browser.cookie_header(),
        &format!("/ui/messages/{}/html", plain["id"]),
    )
    .await;
    assert_eq!(plain.status(), StatusCode::NOT_FOUND);
    test.stop().await;
}
