//! `tiski customer export|erase`, run as the real binary on the test's database.

use crate::binary::{database_flags, tiski};
use serde_json::json;
use std::io::Read;
use tiski_testkit::TestApp;

#[tokio::test]
async fn the_command_line_exports_and_erases_a_customer() {
    let test = TestApp::spawn().await;
    let ticket = test
        .ticket(
            &test.admin,
            json!({"subject": "Cli", "requester": {"email": "cli.person@example.com", "name": "Cli Person"},
                   "message": {"body": "From the command line."}}),
        )
        .await;
    let id = ticket["requester"]["id"]
        .as_i64()
        .expect("a customer")
        .to_string();
    let flags = database_flags(&test.location);
    let dir = tempfile::tempdir().expect("a directory");
    let out = dir.path().join("export.tar.gz");
    let run = |args: &[&str]| {
        let mut all: Vec<String> = args.iter().map(|a| a.to_string()).collect();
        all.extend(flags.iter().cloned());
        tiski(&all).output().expect("run tiski")
    };

    let export = run(&[
        "customer",
        "export",
        "--id",
        &id,
        "--out",
        &out.display().to_string(),
    ]);
    assert!(
        export.status.success(),
        "{}",
        String::from_utf8_lossy(&export.stderr)
    );
    let mut tar = Vec::new();
    flate2::read::GzDecoder::new(std::fs::File::open(&out).expect("the archive"))
        .read_to_end(&mut tar)
        .expect("gzip");
    assert_eq!(&tar[..13], b"customer.json");
    assert!(String::from_utf8_lossy(&tar).contains("From the command line."));
    let again = run(&[
        "customer",
        "export",
        "--id",
        &id,
        "--out",
        &out.display().to_string(),
    ]);
    assert!(
        !again.status.success(),
        "an existing file is not overwritten"
    );

    let wrong = run(&["customer", "erase", "--id", &id, "--confirm", "0"]);
    assert!(!wrong.status.success());
    assert!(
        String::from_utf8_lossy(&wrong.stderr).contains("--confirm"),
        "{}",
        String::from_utf8_lossy(&wrong.stderr)
    );
    let erase = run(&["customer", "erase", "--id", &id, "--confirm", &id]);
    assert!(
        erase.status.success(),
        "{}",
        String::from_utf8_lossy(&erase.stderr)
    );
    let (_, customer) = test
        .get(&format!("/api/v1/customers/{id}"), &test.admin)
        .await;
    assert_eq!(customer["emails"], json!([]), "{customer}");
    assert_eq!(customer["notes"], "");
}
