//! Every sample of the EDI corpus through `POST /api/v1/edi`, with partners and a catalog
//! for the purchase orders among them: each is kept raw, and answered exactly as the table
//! in `EDI_CORPUS.md` (beside this file) says — accepted with orders, or refused with the
//! reason and segment named. Never a 5xx.

use crate::commerce_kit::customer;
use crate::edi_kit::{content_type_of, corpus, corpus_partners, upload};
use std::path::{Path, PathBuf};
use tiski_testkit::TestApp;

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            files(&path, out);
        } else if path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("edi"))
        {
            out.push(path);
        }
    }
}

/// The table of `EDI_CORPUS.md`: file → (HTTP status, state, reason code, field).
fn expected() -> Vec<(String, String)> {
    let text = include_str!("EDI_CORPUS.md");
    text.lines()
        .filter(|l| l.starts_with("| `"))
        .map(|l| {
            let cells: Vec<&str> = l.split('|').map(str::trim).collect();
            let name = cells[1].trim_matches('`').to_string();
            (name, cells[2..6].join(" "))
        })
        .collect()
}

#[tokio::test]
async fn every_sample_is_kept_and_answered_as_the_table_says() {
    let test = TestApp::spawn().await;
    let customer_id = customer(&test, &test.admin).await;
    corpus_partners(&test, customer_id).await;
    let root = corpus();
    let mut all = Vec::new();
    files(&root, &mut all);
    all.sort();
    assert!(all.len() > 100, "the corpus is at {}", root.display());
    let mut seen = Vec::new();
    for path in &all {
        let name = path.strip_prefix(&root).unwrap().display().to_string();
        let bytes = std::fs::read(path).unwrap();
        let (status, body) =
            upload(&test, &test.admin, content_type_of(&bytes), bytes.clone()).await;
        assert!(
            status.as_u16() == 201 || status.as_u16() == 422,
            "{name}: {status} {body}"
        );
        let interchange = &body["interchange"];
        let id = interchange["id"]
            .as_i64()
            .unwrap_or_else(|| panic!("{name}: {body}"));
        let (_, kept) = test
            .get(&format!("/api/v1/edi/interchanges/{id}"), &test.admin)
            .await;
        if let Ok(text) = std::str::from_utf8(&bytes) {
            assert_eq!(
                kept["raw"].as_str(),
                Some(text.replace('\0', "\u{2400}").as_str()),
                "{name}"
            );
        }
        let row = format!(
            "{} {} {} `{}`",
            status.as_u16(),
            interchange["state"].as_str().unwrap_or(""),
            interchange["reason_code"].as_str().unwrap_or("-"),
            interchange["reason_path"].as_str().unwrap_or("-"),
        );
        println!(
            "| `{name}` | {} | {} | {} | `{}` | {} |",
            status.as_u16(),
            interchange["state"].as_str().unwrap_or(""),
            interchange["reason_code"].as_str().unwrap_or("-"),
            interchange["reason_path"].as_str().unwrap_or("-"),
            interchange["reason"]
                .as_str()
                .unwrap_or("")
                .replace('|', "/")
        );
        seen.push((name, row));
    }
    let expected = expected();
    if std::env::var_os("EDI_CORPUS_PRINT").is_none() {
        assert_eq!(
            seen.len(),
            expected.len(),
            "every sample has a row in EDI_CORPUS.md"
        );
        for ((name, row), (want_name, want)) in seen.iter().zip(&expected) {
            assert_eq!((name, row), (want_name, want));
        }
    }
}
