//! Mail in over IMAP: the poller of `tiski-channels` against a real Dovecot (Debian's
//! `dovecot-imapd`) started per test with a throwaway configuration, and Python's `imaplib` as
//! the other client that delivers messages and looks at their flags.

use reqwest::StatusCode;
use serde_json::{Value, json};
use std::io::Write;
use std::os::unix::fs::PermissionsExt;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
use tiski_channels::{ImapError, Poller, PollerConfig};
use tiski_email::Mailbox;
use tiski_kernel::Settings;
use tiski_testkit::TestApp;
use tokio::sync::watch;

const USER: &str = "tiski";
const PASSWORD: &str = "secret-pass";

/// A Dovecot serving one user's Maildir on its own loopback port.
struct Dovecot {
    dir: tempfile::TempDir,
    port: u16,
    child: Child,
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

impl Dovecot {
    fn start() -> Dovecot {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        // Mail is owned by `nobody` (Dovecot refuses uid 0): it must reach the directories.
        std::fs::set_permissions(root, std::fs::Permissions::from_mode(0o755)).unwrap();
        for sub in ["run", "state"] {
            std::fs::create_dir(root.join(sub)).unwrap();
        }
        for sub in ["mail", "home"] {
            std::fs::create_dir(root.join(sub)).unwrap();
            std::fs::set_permissions(root.join(sub), std::fs::Permissions::from_mode(0o777))
                .unwrap();
        }
        std::fs::write(
            root.join("passwd"),
            format!("{USER}:{{PLAIN}}{PASSWORD}::::::\n"),
        )
        .unwrap();
        let port = free_port();
        let root_text = root.display();
        let config = format!(
            "protocols = imap
listen = 127.0.0.1
base_dir = {root_text}/run
state_dir = {root_text}/state
log_path = {root_text}/dovecot.log
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
mail_location = maildir:{root_text}/mail/%u
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {root_text}/passwd
}}
userdb {{
  driver = static
  args = uid=nobody gid=nogroup home={root_text}/home/%u
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
"
        );
        let conf = root.join("dovecot.conf");
        std::fs::write(&conf, config).unwrap();
        let mut child = Command::new("dovecot")
            .arg("-F")
            .arg("-c")
            .arg(&conf)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("Dovecot runs (apt-get install dovecot-imapd)");
        let deadline = Instant::now() + Duration::from_secs(20);
        while Instant::now() < deadline {
            if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
                return Dovecot { dir, port, child };
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = child.kill();
        let _ = child.wait();
        let log = std::fs::read_to_string(root.join("dovecot.log")).unwrap_or_default();
        panic!("Dovecot did not come up on port {port}: {log}");
    }

    /// Appends messages to a folder (created if missing).
    async fn append(&self, folder: &str, messages: &[String]) {
        self.tool("append", folder, &[], json!(messages)).await;
    }

    /// The flags of each message in a folder, by UID.
    async fn flags(&self, folder: &str) -> serde_json::Map<String, Value> {
        self.tool("flags", folder, &[], Value::Null)
            .await
            .as_object()
            .unwrap()
            .clone()
    }

    /// Runs the imaplib tool against this server; returns its JSON answer.
    async fn tool(&self, command: &str, folder: &str, args: &[&str], stdin: Value) -> Value {
        let port = self.port;
        let mut call: Vec<String> = vec![port.to_string(), command.into(), folder.into()];
        call.extend(args.iter().map(|a| a.to_string()));
        tokio::task::spawn_blocking(move || {
            let mut child = Command::new("python3")
                .arg("-c")
                .arg(IMAP_TOOL)
                .args(&call)
                .stdin(Stdio::piped())
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .expect("python3 runs");
            child
                .stdin
                .take()
                .unwrap()
                .write_all(stdin.to_string().as_bytes())
                .unwrap();
            let output = child.wait_with_output().unwrap();
            assert!(
                output.status.success(),
                "imaplib {call:?} failed: {}",
                String::from_utf8_lossy(&output.stderr)
            );
            serde_json::from_slice(&output.stdout).unwrap()
        })
        .await
        .unwrap()
    }
}

impl Drop for Dovecot {
    fn drop(&mut self) {
        // A clean stop (SIGTERM) lets the master end its own children.
        let _ = Command::new("kill")
            .arg(self.child.id().to_string())
            .status();
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = &self.dir;
    }
}

/// `python3 -c IMAP_TOOL PORT COMMAND FOLDER [ARGS]`: `append` (messages as a JSON list on
/// stdin), `flags` (prints {uid: [flags]}), `unsee UID`, `recreate` (a new UIDVALIDITY).
const IMAP_TOOL: &str = r#"
import imaplib, json, re, sys
port, cmd, folder = int(sys.argv[1]), sys.argv[2], sys.argv[3]
rest = sys.argv[4:]
M = imaplib.IMAP4("127.0.0.1", port)
M.login("tiski", "secret-pass")
box = '"%s"' % folder
out = {}
if cmd == "append":
    if folder != "INBOX":
        M.create(box)
    for raw in json.load(sys.stdin):
        typ, data = M.append(box, None, None, raw.encode("utf-8"))
        assert typ == "OK", data
elif cmd == "flags":
    typ, data = M.select(box)
    assert typ == "OK", data
    typ, data = M.uid("FETCH", "1:*", "(FLAGS)")
    assert typ == "OK", data
    for item in data:
        if not item:
            continue
        line = (item[0] if isinstance(item, tuple) else item).decode()
        uid = re.search(r"UID (\d+)", line)
        flags = re.search(r"FLAGS \(([^)]*)\)", line)
        if uid:
            out[uid.group(1)] = flags.group(1).split() if flags else []
elif cmd == "unsee":
    M.select(box)
    typ, data = M.uid("STORE", rest[0], "-FLAGS", "(\\Seen)")
    assert typ == "OK", data
elif cmd == "recreate":
    M.delete(box)
    typ, data = M.create(box)
    assert typ == "OK", data
print(json.dumps(out))
M.logout()
"#;

fn message(from: &str, subject: &str, id: &str, extra: &str, body: &str) -> String {
    format!(
        "From: {from}\r\nTo: support@shop.example\r\nSubject: {subject}\r\nMessage-ID: <{id}>\r\nDate: Fri, 27 Nov 2026 10:00:00 +0200\r\n{extra}MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n{body}\r\n"
    )
}

/// Creates a mailbox polling `dovecot` with these extra IMAP settings; returns it as the
/// channel sees it.
async fn mailbox(test: &TestApp, dovecot: &Dovecot, address: &str, imap: Value) -> Mailbox {
    let mut settings = json!({
        "host": "127.0.0.1", "port": dovecot.port, "tls": "none", "allow_plain_auth": true,
        "username": USER, "password": PASSWORD,
    });
    if let (Some(settings), Some(extra)) = (settings.as_object_mut(), imap.as_object()) {
        settings.extend(extra.clone());
    }
    let (status, created) = test
        .post(
            "/api/v1/mailboxes",
            &test.admin,
            json!({"address": address, "name": "Shop Support", "imap": settings}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let id = created["id"].as_i64().unwrap();
    test.app
        .email
        .mailboxes()
        .await
        .unwrap()
        .into_iter()
        .find(|m| m.id == id)
        .unwrap()
}

fn poller_config() -> PollerConfig {
    PollerConfig {
        poll_interval: Duration::from_millis(500),
        idle_timeout: Duration::from_secs(60),
        timeout: Duration::from_secs(10),
        refresh_interval: Duration::from_millis(500),
        backoff_min: Duration::from_millis(200),
        backoff_max: Duration::from_secs(1),
        ..PollerConfig::default()
    }
}

async fn tickets(test: &TestApp) -> Vec<Value> {
    let (status, page) = test
        .get("/api/v1/tickets?sort=id&limit=200", &test.admin)
        .await;
    assert_eq!(status, StatusCode::OK, "{page}");
    page["items"].as_array().unwrap().clone()
}

async fn customer_messages(test: &TestApp, ticket: &Value) -> usize {
    let (_, page) = test
        .get(
            &format!("/api/v1/tickets/{}/messages", ticket["id"]),
            &test.admin,
        )
        .await;
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["author_kind"] == "customer")
        .count()
}

/// Waits until there are `count` tickets.
async fn wait_for_tickets(test: &TestApp, count: usize, within: Duration) -> Vec<Value> {
    let deadline = Instant::now() + within;
    loop {
        let all = tickets(test).await;
        if all.len() >= count || Instant::now() > deadline {
            return all;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

fn seen(flags: &serde_json::Map<String, Value>) -> Vec<bool> {
    flags
        .values()
        .map(|f| f.as_array().unwrap().iter().any(|f| f == "\\Seen"))
        .collect()
}

#[tokio::test]
async fn imap_mail_becomes_tickets_is_marked_seen_and_is_read_once() {
    let dovecot = Dovecot::start();
    let test = TestApp::spawn_with(Settings {
        max_email_bytes: 20_000,
        ..tiski_testkit::fast_settings()
    })
    .await;
    let mailbox = mailbox(&test, &dovecot, "support@shop.example", json!({})).await;
    let first = message(
        "Maija <maija@customer.example>",
        "Broken kettle",
        "k1@customer.example",
        "",
        "My kettle broke.",
    );
    let reply = message(
        "Maija <maija@customer.example>",
        "Re: Broken kettle",
        "k2@customer.example",
        "In-Reply-To: <k1@customer.example>\r\n",
        "It still does not work.",
    );
    let other = message(
        "Pekka <pekka@customer.example>",
        "Invoice",
        "i1@customer.example",
        "",
        "Please send the invoice again.",
    );
    dovecot.append("INBOX", &[first, reply, other]).await;

    let poller = Poller::new(test.app.email.clone(), poller_config());
    let report = poller.poll_once(&mailbox).await.unwrap();
    assert_eq!(
        (
            report.fetched,
            report.stored,
            report.duplicates,
            report.last_uid
        ),
        (3, 3, 0, 3),
        "{report:?}"
    );
    let all = tickets(&test).await;
    assert_eq!(all.len(), 2, "the reply joined the first ticket: {all:?}");
    assert_eq!(customer_messages(&test, &all[0]).await, 2);
    assert_eq!(all[0]["subject"], "Broken kettle");
    assert_eq!(all[1]["subject"], "Invoice");
    assert_eq!(seen(&dovecot.flags("INBOX").await), [true, true, true]);
    let position = test
        .app
        .email
        .imap_position(mailbox.id, "INBOX")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(position, (report.uid_validity, 3));

    // Nothing new: nothing fetched. A message someone marked unread again is not read again
    // (the position is past it), and keeps the flag it was given.
    dovecot.tool("unsee", "INBOX", &["1"], Value::Null).await;
    let report = poller.poll_once(&mailbox).await.unwrap();
    assert_eq!(report.fetched, 0, "{report:?}");
    assert_eq!(seen(&dovecot.flags("INBOX").await), [false, true, true]);

    // New mail, and one message over the size limit, which stays unread in the folder.
    let later = message(
        "Liisa <liisa@customer.example>",
        "Opening hours",
        "o1@customer.example",
        "",
        "When are you open?",
    );
    let huge = message(
        "Liisa <liisa@customer.example>",
        "Huge",
        "h1@customer.example",
        "",
        &"x".repeat(30_000),
    );
    dovecot.append("INBOX", &[huge, later]).await;
    let report = poller.poll_once(&mailbox).await.unwrap();
    assert_eq!(
        (
            report.fetched,
            report.stored,
            report.skipped,
            report.last_uid
        ),
        (1, 1, 1, 5),
        "{report:?}"
    );
    assert_eq!(tickets(&test).await.len(), 3);
    assert_eq!(
        seen(&dovecot.flags("INBOX").await),
        [false, true, true, false, true]
    );
    test.stop().await;
}

#[tokio::test]
async fn a_changed_uidvalidity_reads_the_folder_again_without_duplicates() {
    let dovecot = Dovecot::start();
    let test = TestApp::spawn().await;
    let mailbox = mailbox(
        &test,
        &dovecot,
        "support@shop.example",
        json!({"folder": "Support"}),
    )
    .await;
    let one = message("a@customer.example", "One", "one@customer.example", "", "1");
    let two = message("b@customer.example", "Two", "two@customer.example", "", "2");
    let three = message(
        "c@customer.example",
        "Three",
        "three@customer.example",
        "",
        "3",
    );
    dovecot.append("Support", &[one.clone(), two]).await;
    let poller = Poller::new(test.app.email.clone(), poller_config());
    let before = poller.poll_once(&mailbox).await.unwrap();
    assert_eq!((before.stored, before.last_uid), (2, 2), "{before:?}");

    // The folder is made anew: a new UIDVALIDITY, UIDs from 1 again. Without the check, UIDs
    // 1 and 2 would look already read and "Three" would be lost.
    dovecot.tool("recreate", "Support", &[], Value::Null).await;
    dovecot.append("Support", &[one, three]).await;
    let after = poller.poll_once(&mailbox).await.unwrap();
    assert!(after.validity_changed, "{after:?}");
    assert_ne!(after.uid_validity, before.uid_validity);
    assert_eq!(
        (
            after.fetched,
            after.duplicates,
            after.stored,
            after.last_uid
        ),
        (2, 1, 1, 2),
        "{after:?}"
    );
    let subjects: Vec<Value> = tickets(&test)
        .await
        .iter()
        .map(|t| t["subject"].clone())
        .collect();
    assert_eq!(subjects, [json!("One"), json!("Two"), json!("Three")]);
    assert_eq!(seen(&dovecot.flags("Support").await), [true, true]);
    assert_eq!(
        test.app
            .email
            .imap_position(mailbox.id, "Support")
            .await
            .unwrap(),
        Some((after.uid_validity, 2))
    );
    test.stop().await;
}

#[tokio::test]
async fn the_running_poller_idles_moves_mail_and_imports_nothing_twice_after_a_restart() {
    let dovecot = Dovecot::start();
    let test = TestApp::spawn().await;
    let mailbox = mailbox(
        &test,
        &dovecot,
        "support@shop.example",
        json!({"after": "move", "move_to": "Done"}),
    )
    .await;
    let start = || {
        let (stop, shutdown) = watch::channel(false);
        let task = tokio::spawn(Poller::new(test.app.email.clone(), poller_config()).run(shutdown));
        (stop, task)
    };
    let (stop, task) = start();
    let first = message(
        "a@customer.example",
        "First",
        "first@customer.example",
        "",
        "1",
    );
    dovecot.append("INBOX", std::slice::from_ref(&first)).await;
    let all = wait_for_tickets(&test, 1, Duration::from_secs(20)).await;
    assert_eq!(all.len(), 1);

    // The poller is now in IDLE (its fallback re-sync is a minute away): new mail wakes it.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let second = message(
        "b@customer.example",
        "Second",
        "second@customer.example",
        "",
        "2",
    );
    let appended = Instant::now();
    dovecot.append("INBOX", &[second]).await;
    let all = wait_for_tickets(&test, 2, Duration::from_secs(20)).await;
    assert_eq!(all.len(), 2);
    assert!(
        appended.elapsed() < Duration::from_secs(15),
        "IDLE should notice new mail at once"
    );
    let deadline = Instant::now() + Duration::from_secs(10);
    while !dovecot.flags("INBOX").await.is_empty() && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(
        dovecot.flags("INBOX").await.is_empty(),
        "stored mail is moved"
    );
    assert_eq!(dovecot.flags("Done").await.len(), 2);

    let _ = stop.send(true);
    tokio::time::timeout(Duration::from_secs(15), task)
        .await
        .expect("the poller stops")
        .unwrap();
    let position = test
        .app
        .email
        .imap_position(mailbox.id, "INBOX")
        .await
        .unwrap();
    assert_eq!(position.map(|p| p.1), Some(2));

    // While it is down, the first message lands in the inbox again (a re-delivery). The
    // restarted poller reads only the new UID, sees a duplicate and tidies it away.
    dovecot.append("INBOX", &[first]).await;
    let (stop, task) = start();
    let deadline = Instant::now() + Duration::from_secs(20);
    while !dovecot.flags("INBOX").await.is_empty() && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(dovecot.flags("INBOX").await.is_empty());
    assert_eq!(dovecot.flags("Done").await.len(), 3);
    assert_eq!(tickets(&test).await.len(), 2, "nothing imported twice");
    assert_eq!(
        test.app
            .email
            .imap_position(mailbox.id, "INBOX")
            .await
            .unwrap()
            .map(|p| p.1),
        Some(3)
    );
    let _ = stop.send(true);
    tokio::time::timeout(Duration::from_secs(15), task)
        .await
        .expect("the poller stops")
        .unwrap();
    test.stop().await;
}

#[tokio::test]
async fn delete_mode_expunges_and_a_wrong_password_is_an_error() {
    let dovecot = Dovecot::start();
    let test = TestApp::spawn().await;
    let deleting = mailbox(
        &test,
        &dovecot,
        "support@shop.example",
        json!({"after": "delete"}),
    )
    .await;
    let wrong = mailbox(
        &test,
        &dovecot,
        "sales@shop.example",
        json!({"password": "not-the-password"}),
    )
    .await;
    let one = message("a@customer.example", "One", "d1@customer.example", "", "1");
    dovecot.append("INBOX", &[one]).await;
    let poller = Poller::new(test.app.email.clone(), poller_config());
    match poller.poll_once(&wrong).await {
        Err(ImapError::Login(_)) => {}
        other => panic!("a wrong password is a login error: {other:?}"),
    }
    let report = poller.poll_once(&deleting).await.unwrap();
    assert_eq!(report.stored, 1, "{report:?}");
    assert!(dovecot.flags("INBOX").await.is_empty(), "expunged");
    assert_eq!(tickets(&test).await.len(), 1);
    test.stop().await;
}
