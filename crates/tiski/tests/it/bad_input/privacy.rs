//! Hostile input to the customer-data routes: the Big List of Naughty Strings and the SQL
//! injection, directory traversal and command injection lists of PayloadsAllTheThings as
//! access-log filters and export formats, retention months and erasure confirmations
//! (answered with a problem naming the field, never 5xx, nothing erased), and as file names
//! in a customer export (every path stays inside the archive).

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use std::io::Read;
use tiski_testkit::TestApp;

const CORPORA: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../../shared/corpora/security"
);

pub(super) fn payloads() -> Vec<String> {
    let blns = std::fs::read_to_string(format!("{CORPORA}/blns/blns.json")).expect("blns");
    let mut all: Vec<String> = serde_json::from_str(&blns).expect("a list of strings");
    for list in ["sql-injection", "directory-traversal", "command-injection"] {
        let dir = format!("{CORPORA}/payloadsallthethings/{list}/Intruder");
        for entry in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{dir}: {e}")) {
            let path = entry.expect("a list").path();
            let bytes = std::fs::read(&path).expect("a readable list");
            all.extend(
                String::from_utf8_lossy(&bytes)
                    .lines()
                    .filter(|l| !l.is_empty())
                    .map(str::to_string),
            );
        }
    }
    assert!(all.len() > 3000, "the whole lists");
    all
}

fn encoded(text: &str) -> String {
    form_urlencoded_byte(text)
}

fn form_urlencoded_byte(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[tokio::test]
async fn hostile_input_to_customer_data_routes_is_refused_naming_the_field() {
    let test = TestApp::spawn().await;
    let ticket = test
        .ticket(
            &test.admin,
            json!({"subject": "Keep", "requester": {"email": "keep@example.com"},
                   "message": {"body": "Keep me."}}),
        )
        .await;
    let customer = ticket["requester"]["id"].as_i64().expect("a customer");
    let mut faults = Vec::new();
    let strings = payloads();
    for text in &strings {
        let value = encoded(text);
        let cases = [
            (format!("/api/v1/audit?since={value}"), "since"),
            (format!("/api/v1/audit?until={value}"), "until"),
            (format!("/api/v1/audit/export?format={value}"), "format"),
            (format!("/api/v1/retention?months={value}"), "months"),
        ];
        for (path, field) in cases {
            let (status, body) = test.get(&path, &test.admin).await;
            let fine =
                status == StatusCode::OK || (status.is_client_error() && body["field"] == field);
            if !fine {
                faults.push(format!("GET {path}: {status} {body}"));
            }
        }
        let (status, body) = test
            .post(
                &format!("/api/v1/customers/{customer}/erase"),
                &test.admin,
                json!({"confirm": text}),
            )
            .await;
        if !(status.is_client_error() && body["field"] == "confirm") {
            faults.push(format!("erase confirm {text:?}: {status} {body}"));
        }
    }
    assert!(
        faults.is_empty(),
        "{} wrong answers:\n{}",
        faults.len(),
        faults.join("\n")
    );
    let (_, kept) = test
        .get(&format!("/api/v1/customers/{customer}"), &test.admin)
        .await;
    assert_eq!(
        kept["emails"],
        json!(["keep@example.com"]),
        "nothing was erased"
    );

    // Hostile file names (those a message takes: no path separators) stay inside the export
    // archive.
    let traversal: Vec<&String> = strings
        .iter()
        .filter(|s| !s.contains(['/', '\\']) && s.trim().len() > 2 && s.chars().count() < 200)
        .filter(|s| !s.chars().any(char::is_control))
        .step_by(40)
        .take(60)
        .collect();
    let ticket_id = ticket["id"].as_i64().expect("a ticket");
    let mut stored = 0;
    for names in traversal.chunks(1) {
        let attachments: Vec<Value> = names
            .iter()
            .map(|n| json!({"filename": n, "content_type": "text/plain", "content_base64": "eA=="}))
            .collect();
        let (status, _) = test
            .post(
                &format!("/api/v1/tickets/{ticket_id}/messages"),
                &test.admin,
                json!({"body": "files", "kind": "note", "attachments": attachments}),
            )
            .await;
        if status == StatusCode::CREATED {
            stored += names.len();
        }
    }
    assert!(stored > 20, "hostile names were stored: {stored}");
    let archive = test
        .request(
            Method::GET,
            &format!("/api/v1/customers/{customer}/export"),
            Some(&test.admin),
        )
        .send()
        .await
        .expect("an export")
        .bytes()
        .await
        .expect("bytes");
    let mut tar = Vec::new();
    flate2::read::GzDecoder::new(&archive[..])
        .read_to_end(&mut tar)
        .expect("gzip");
    let mut at = 0;
    let mut paths = Vec::new();
    while at + 512 <= tar.len() && tar[at] != 0 {
        let header = &tar[at..at + 512];
        let name = String::from_utf8_lossy(&header[..100])
            .trim_end_matches('\0')
            .to_string();
        let size = usize::from_str_radix(
            String::from_utf8_lossy(&header[124..135])
                .trim_matches(|c: char| c == '\0' || c == ' '),
            8,
        )
        .expect("a size");
        paths.push(name);
        at += 512 + size.div_ceil(512) * 512;
    }
    assert_eq!(paths.len(), stored + 1, "{paths:?}");
    for path in &paths {
        let safe = !path.starts_with('/')
            && !path
                .split('/')
                .any(|p| p == ".." || p == "." || p.is_empty())
            && (path == "customer.json" || path.starts_with("files/"))
            && path
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "./-_".contains(c));
        assert!(safe, "{path:?} escapes the archive");
    }
}
