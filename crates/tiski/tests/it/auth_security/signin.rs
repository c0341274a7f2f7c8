//! Guessing passwords: parallel guesses against the limit (counted as verifications, never
//! timed), on two nodes at once, the owner signing in from elsewhere during a flood, forged
//! proxy headers, the growing wait on the fake clock, and the dummy hash for unknown emails.

use super::{PASSWORD, client_from, sign_in, staff};
use reqwest::StatusCode;
use std::time::Duration;
use tiski_domain::Role;
use tiski_kernel::Settings;
use tiski_kernel::settings::{ProxyHeader, TrustedProxies};
use tiski_testkit::{TestApp, fast_settings};

/// Fires `n` wrong guesses for `email` at once, from `ip`, spread over `nodes`; the statuses.
async fn flood(nodes: &[&TestApp], ip: &str, email: &str, n: usize) -> Vec<StatusCode> {
    let client = client_from(ip);
    let guesses = (0..n).map(|i| {
        let node = nodes[i % nodes.len()];
        let client = client.clone();
        async move {
            sign_in(&client, node, email, "wrong guess 123", None, &[])
                .await
                .status
        }
    });
    futures_util::future::join_all(guesses).await
}

fn verifications(nodes: &[&TestApp]) -> u64 {
    nodes
        .iter()
        .map(|n| n.app.staff.password_verifications())
        .sum()
}

#[tokio::test]
async fn forty_parallel_guesses_against_a_limit_of_five_verify_at_most_five() {
    let test = TestApp::spawn().await;
    staff(&test, "owner@example.com", Role::Agent, &[]).await;
    let before = verifications(&[&test]);
    let statuses = flood(&[&test], "127.0.0.1", "owner@example.com", 40).await;
    let verified = verifications(&[&test]) - before;
    assert!(verified <= 5, "{verified} of 40 guesses were verified");
    let refused = statuses
        .iter()
        .filter(|s| **s == StatusCode::TOO_MANY_REQUESTS)
        .count();
    let wrong = statuses
        .iter()
        .filter(|s| **s == StatusCode::UNAUTHORIZED)
        .count();
    assert_eq!(refused + wrong, 40, "{statuses:?}");
    assert_eq!(wrong as u64, verified, "every 401 was a verification");
    test.stop().await;
}

#[tokio::test]
async fn two_nodes_share_the_limit() {
    let test = TestApp::spawn().await;
    let node2 = TestApp::serve(test.location.clone(), fast_settings()).await;
    staff(&test, "shared@example.com", Role::Agent, &[]).await;
    let before = verifications(&[&test, &node2]);
    flood(&[&test, &node2], "127.0.0.1", "shared@example.com", 40).await;
    let verified = verifications(&[&test, &node2]) - before;
    assert!(
        verified <= 5,
        "{verified} guesses were verified across two nodes"
    );
    node2.stop().await;
    test.stop().await;
}

#[tokio::test]
async fn a_flood_from_one_client_does_not_lock_the_owner_out_of_another() {
    // A first wait longer than the flood can take on a loaded machine (five Argon2
    // verifications), so the attacker's last try is still inside it.
    let test = TestApp::spawn_with(Settings {
        signin_backoff: Duration::from_secs(120),
        ..fast_settings()
    })
    .await;
    staff(&test, "victim@example.com", Role::Agent, &[]).await;
    let statuses = flood(&[&test], "127.0.0.2", "victim@example.com", 30).await;
    assert!(statuses.contains(&StatusCode::TOO_MANY_REQUESTS));
    // The attacker's client waits, even with the right password …
    let attacker = sign_in(
        &client_from("127.0.0.2"),
        &test,
        "victim@example.com",
        PASSWORD,
        None,
        &[],
    )
    .await;
    assert_eq!(attacker.status, StatusCode::TOO_MANY_REQUESTS);
    // … while the owner signs in from their own.
    let owner = sign_in(
        &client_from("127.0.0.3"),
        &test,
        "victim@example.com",
        PASSWORD,
        None,
        &[],
    )
    .await;
    assert_eq!(owner.status, StatusCode::SEE_OTHER);
    assert!(owner.session().is_some());
    test.stop().await;
}

#[tokio::test]
async fn forged_forwarded_for_headers_are_ignored_unless_a_proxy_is_trusted() {
    let test = TestApp::spawn().await;
    staff(&test, "forged@example.com", Role::Agent, &[]).await;
    let client = client_from("127.0.0.1");
    let mut statuses = Vec::new();
    for i in 0..8 {
        let forged = format!("198.51.100.{i}");
        let answer = sign_in(
            &client,
            &test,
            "forged@example.com",
            "wrong guess 123",
            None,
            &[("x-forwarded-for", &forged), ("x-real-ip", &forged)],
        )
        .await;
        statuses.push(answer.status);
    }
    assert_eq!(
        &statuses[5..],
        &[StatusCode::TOO_MANY_REQUESTS; 3],
        "a new forged address each time still counts as the same client: {statuses:?}"
    );
    test.stop().await;

    // Behind a trusted proxy, its header names the client: the rightmost untrusted address.
    let test = TestApp::spawn_with(Settings {
        trusted_proxies: TrustedProxies::parse_list("127.0.0.1"),
        trusted_proxy_header: ProxyHeader(Some("x-forwarded-for".into())),
        ..fast_settings()
    })
    .await;
    staff(&test, "proxied@example.com", Role::Agent, &[]).await;
    for _ in 0..8 {
        sign_in(
            &client,
            &test,
            "proxied@example.com",
            "wrong guess 123",
            None,
            // The attacker prepends the owner's address; the proxy appends the real one.
            &[("x-forwarded-for", "192.0.2.50, 203.0.113.7")],
        )
        .await;
    }
    let attacker = sign_in(
        &client,
        &test,
        "proxied@example.com",
        PASSWORD,
        None,
        &[("x-forwarded-for", "203.0.113.7")],
    )
    .await;
    assert_eq!(attacker.status, StatusCode::TOO_MANY_REQUESTS);
    let owner = sign_in(
        &client,
        &test,
        "proxied@example.com",
        PASSWORD,
        None,
        &[("x-forwarded-for", "192.0.2.50")],
    )
    .await;
    assert_eq!(owner.status, StatusCode::SEE_OTHER);
    test.stop().await;
}

#[tokio::test]
async fn the_wait_grows_with_each_attempt_past_the_limit() {
    let test = TestApp::spawn().await;
    staff(&test, "slow@example.com", Role::Agent, &[]).await;
    let client = client_from("127.0.0.1");
    let guess = || {
        sign_in(
            &client,
            &test,
            "slow@example.com",
            "wrong guess 123",
            None,
            &[],
        )
    };
    for _ in 0..5 {
        assert_eq!(guess().await.status, StatusCode::UNAUTHORIZED);
    }
    let before = test.app.staff.password_verifications();
    assert_eq!(guess().await.status, StatusCode::TOO_MANY_REQUESTS);
    test.advance(Duration::from_millis(1_100));
    assert_eq!(guess().await.status, StatusCode::UNAUTHORIZED, "after 1 s");
    assert_eq!(guess().await.status, StatusCode::TOO_MANY_REQUESTS);
    test.advance(Duration::from_millis(1_100));
    assert_eq!(
        guess().await.status,
        StatusCode::TOO_MANY_REQUESTS,
        "the second wait is 2 s"
    );
    test.advance(Duration::from_millis(1_000));
    assert_eq!(guess().await.status, StatusCode::UNAUTHORIZED, "after 2 s");
    assert_eq!(test.app.staff.password_verifications() - before, 2);
    // After the window without attempts, the counter is forgotten.
    test.advance(Duration::from_secs(16 * 60));
    assert_eq!(
        sign_in(&client, &test, "slow@example.com", PASSWORD, None, &[])
            .await
            .status,
        StatusCode::SEE_OTHER
    );
    test.stop().await;
}

#[tokio::test]
async fn unknown_emails_cost_the_same_verification_as_known_ones() {
    let test = TestApp::spawn().await;
    staff(&test, "known@example.com", Role::Agent, &[]).await;
    let (no_password, _) = test.user(Role::Agent, &[]).await;
    let no_password = test
        .get(&format!("/api/v1/agents/{no_password}"), &test.admin)
        .await
        .1["email"]
        .as_str()
        .expect("an email")
        .to_string();
    let client = client_from("127.0.0.1");
    let staff = &test.app.staff;
    let cases = [
        ("known@example.com", 0),
        ("nobody@example.com", 1),
        (no_password.as_str(), 1),
    ];
    for (email, dummy) in cases {
        let (all, dummies) = (staff.password_verifications(), staff.dummy_verifications());
        let answer = sign_in(&client, &test, email, "wrong guess 123", None, &[]).await;
        assert_eq!(answer.status, StatusCode::UNAUTHORIZED, "{email}");
        assert_eq!(staff.password_verifications() - all, 1, "{email}");
        assert_eq!(staff.dummy_verifications() - dummies, dummy, "{email}");
    }
    test.stop().await;
}

#[tokio::test]
async fn successful_sign_ins_do_not_use_up_a_shared_address() {
    let test = TestApp::spawn_with(Settings {
        signin_attempts_per_address: 3,
        ..fast_settings()
    })
    .await;
    let client = client_from("127.0.0.1");
    for i in 0..6 {
        let email = format!("office{i}@example.com");
        staff(&test, &email, Role::Agent, &[]).await;
        let answer = sign_in(&client, &test, &email, PASSWORD, None, &[]).await;
        assert_eq!(
            answer.status,
            StatusCode::SEE_OTHER,
            "{email} behind the office's address"
        );
    }
    // Failures still count against the address, whichever email they try.
    let mut statuses = Vec::new();
    for i in 0..5 {
        let email = format!("sprayed{i}@example.com");
        statuses.push(
            sign_in(&client, &test, &email, "wrong guess 123", None, &[])
                .await
                .status,
        );
    }
    assert_eq!(
        &statuses[3..],
        &[StatusCode::TOO_MANY_REQUESTS; 2],
        "{statuses:?}"
    );
    test.stop().await;
}

#[tokio::test]
async fn a_stolen_session_cannot_guess_its_users_password() {
    let test = TestApp::spawn().await;
    staff(&test, "stolen@example.com", Role::Agent, &[]).await;
    let session = super::session_of(&test, "stolen@example.com").await;
    let client = client_from("127.0.0.1");
    let page = client
        .get(format!("{}/settings", test.url))
        .header(reqwest::header::COOKIE, format!("tiski_session={session}"))
        .send()
        .await
        .expect("the settings")
        .text()
        .await
        .expect("a page");
    let marker = "name=\"csrf\" value=\"";
    let start = page.find(marker).expect("a CSRF field") + marker.len();
    let csrf = page[start..]
        .split('"')
        .next()
        .expect("a token")
        .to_string();
    let before = test.app.staff.password_verifications();
    let mut statuses = Vec::new();
    for i in 0..8 {
        let guess = format!("guess number {i}");
        let answer = client
            .post(format!("{}/ui/settings/password", test.url))
            .header(reqwest::header::COOKIE, format!("tiski_session={session}"))
            .form(&[
                ("csrf", csrf.as_str()),
                ("current", guess.as_str()),
                ("new", "a brand new password"),
                ("confirm", "a brand new password"),
            ])
            .send()
            .await
            .expect("an answer");
        statuses.push(answer.status());
    }
    assert!(test.app.staff.password_verifications() - before <= 5);
    assert_eq!(
        &statuses[5..],
        &[StatusCode::TOO_MANY_REQUESTS; 3],
        "{statuses:?}"
    );
    test.stop().await;
}
