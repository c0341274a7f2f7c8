//! Open redirects after signing in: every payload of the open-redirect lists (and control
//! characters, whitespace, backslashes) as `next`, on the sign-in form and on the page that
//! forwards a signed-in user; none leaves the site and none answers 500.

use super::{FORM, PASSWORD, client_from, session_of, sign_in, staff};
use reqwest::StatusCode;
use reqwest::header::{COOKIE, LOCATION};
use tiski_domain::Role;
use tiski_kernel::Settings;
use tiski_testkit::{TestApp, fast_settings};

const LISTS: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../../shared/corpora/security/payloadsallthethings/open-redirect/Intruder"
);

/// The payloads of the lists, and hand-made ones with characters browsers strip.
fn payloads() -> Vec<String> {
    let mut payloads: Vec<String> = std::fs::read_dir(LISTS)
        .expect("the open-redirect lists")
        .flat_map(|entry| {
            let path = entry.expect("a list").path();
            std::fs::read_to_string(path)
                .expect("a readable list")
                .lines()
                .map(str::to_string)
                .collect::<Vec<_>>()
        })
        .filter(|line| !line.is_empty())
        .collect();
    for special in [
        "/\t/evil.example",
        "/\n/evil.example",
        "/\u{1}x",
        "/\u{7f}x",
        "/ /evil.example",
        "/\\evil.example",
        "/%09/evil.example",
        "/%5Cevil.example",
        "/%2F%2Fevil.example",
        "\u{3000}//evil.example",
        "/\u{3000}/evil.example",
        "//evil.example",
        "https://evil.example",
        "javascript:alert(1)",
    ] {
        payloads.push(special.to_string());
    }
    payloads
}

/// Where a redirect may go: a path of this site.
fn stays_on_site(location: &str) -> bool {
    location.starts_with('/')
        && !location.starts_with("//")
        && !location.starts_with("/\\")
        && location.chars().all(|c| c.is_ascii_graphic())
}

#[tokio::test]
async fn no_next_leaves_the_site_or_fails() {
    let test = TestApp::spawn_with(Settings {
        signin_attempts_per_address: 100_000,
        ..fast_settings()
    })
    .await;
    staff(&test, "next@example.com", Role::Agent, &[]).await;
    let session = session_of(&test, "next@example.com").await;
    let client = client_from("127.0.0.1");
    let payloads = payloads();
    assert!(payloads.len() > 300, "the lists are there");
    for payload in &payloads {
        for cookie in [
            format!("tiski_session={session}"),
            format!("tiski_login={FORM}"),
        ] {
            let answer = client
                .get(format!("{}/login", test.url))
                .query(&[("lang", "en"), ("next", payload.as_str())])
                .header(COOKIE, cookie)
                .send()
                .await
                .expect("an answer");
            assert!(
                answer.status().is_redirection(),
                "{payload:?}: {}",
                answer.status()
            );
            let location = answer
                .headers()
                .get(LOCATION)
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default()
                .to_string();
            assert!(stays_on_site(&location), "{payload:?} → {location:?}");
        }
    }
    // Signing in with a hostile next (a few, each is an Argon2 verification).
    for payload in payloads.iter().rev().take(14) {
        let answer = sign_in(
            &client,
            &test,
            "next@example.com",
            PASSWORD,
            Some(payload),
            &[],
        )
        .await;
        assert_eq!(answer.status, StatusCode::SEE_OTHER, "{payload:?}");
        let location = answer.location.unwrap_or_default();
        assert!(stays_on_site(&location), "{payload:?} → {location:?}");
    }
    // A plain path still works.
    let answer = sign_in(
        &client,
        &test,
        "next@example.com",
        PASSWORD,
        Some("/tickets/1?tab=notes"),
        &[],
    )
    .await;
    assert_eq!(answer.location.as_deref(), Some("/tickets/1?tab=notes"));
    test.stop().await;
}
