//! A real-world corpus of email is ingested without loss.

use super::mailbox;
use reqwest::{Method, StatusCode};
use serde_json::Value;
use tiski_testkit::TestApp;

/// Every message of the corpus of real-world mail goes in without a server error.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_real_world_corpus_is_ingested_without_loss() {
    let test = TestApp::spawn().await;
    let (mailbox, _) = mailbox(&test, "corpus@shop.example").await;
    let root =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpora/email");
    let mut files = Vec::new();
    let mut stack = vec![root.clone()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if matches!(
                path.extension().and_then(|e| e.to_str()),
                Some("eml" | "msg" | "txt" | "mbox" | "email") | None
            ) {
                files.push(path);
            }
        }
    }
    files.sort();
    assert!(
        files.len() > 500,
        "the corpus is at {} with {} files",
        root.display(),
        files.len()
    );
    let mut outcomes: std::collections::BTreeMap<String, usize> = Default::default();
    for path in &files {
        let raw = std::fs::read(path).unwrap();
        if raw.is_empty() || raw.len() > 20 * 1024 * 1024 {
            continue;
        }
        let response = test
            .request(
                Method::POST,
                &format!("/api/v1/mailboxes/{mailbox}/raw"),
                Some(&test.admin),
            )
            .body(raw)
            .send()
            .await
            .unwrap();
        let status = response.status();
        let body: Value = response.json().await.unwrap_or(Value::Null);
        assert!(
            status == StatusCode::OK || status == StatusCode::CREATED,
            "{}: {status} {body}",
            path.display()
        );
        *outcomes
            .entry(body["outcome"].as_str().unwrap_or("?").to_string())
            .or_default() += 1;
    }
    println!("corpus outcomes over {} files: {outcomes:?}", files.len());
    let (_, kept) = test.get("/api/v1/quarantine?limit=200", &test.admin).await;
    let mut reasons: std::collections::BTreeMap<String, usize> = Default::default();
    for item in kept["items"].as_array().unwrap() {
        *reasons
            .entry(item["reason"].as_str().unwrap().chars().take(70).collect())
            .or_default() += 1;
    }
    println!("reasons of the newest 200 quarantined: {reasons:#?}");
    assert!(
        outcomes.get("created").copied().unwrap_or(0) > 100,
        "{outcomes:?}"
    );
    test.stop().await;
}
