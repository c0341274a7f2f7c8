//! `tiski demo`: the real binary fills a fresh data directory, and refuses a used one.

use std::collections::HashSet;
use std::process::Command;
use tiski_app::App;
use tiski_domain::Status;
use tiski_kernel::Actor;
use tiski_kernel::{SecretKey, Settings, SystemClock};
use tiski_store::Location;
use tiski_ticketing::TicketFilter;

/// Runs `tiski demo` on `dir` with a small number of tickets.
fn demo(dir: &std::path::Path) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_tiski"))
        .args(["demo", "--tickets", "120", "--data-dir"])
        .arg(dir)
        .env_remove("TISKI_DATABASE_URL")
        .env_remove("TISKI_DATA_DIR")
        .output()
        .expect("the tiski binary runs")
}

/// The demo has every status and language, its admin signs in, and a second run is refused.
#[tokio::test]
async fn demo_fills_a_fresh_data_dir_and_refuses_a_used_one() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let first = demo(dir.path());
    let stdout = String::from_utf8_lossy(&first.stdout);
    let stderr = String::from_utf8_lossy(&first.stderr);
    assert!(first.status.success(), "demo failed:\n{stdout}\n{stderr}");
    assert!(stdout.contains("tiski-demo-password"), "{stdout}");
    assert!(
        stdout.contains("tiski token create --data-dir")
            && stdout.contains("admin@demo.tiski.example"),
        "{stdout}"
    );
    assert!(stdout.contains("tiski serve --data-dir"), "{stdout}");

    let store = tiski_app::open_store(Location::sqlite(dir.path().join("tiski.db")))
        .await
        .expect("the demo database opens");
    let app = App::new(
        store.clone(),
        Settings::default(),
        std::sync::Arc::new(SystemClock),
        SecretKey::generate(),
    );
    let system = Actor::system();

    let mut total = 0;
    let mut tickets = Vec::new();
    for status in Status::ALL {
        let mut count = 0;
        let mut cursor = None;
        loop {
            let page = app
                .ticketing
                .list_tickets(
                    &system,
                    TicketFilter {
                        status: Some(status.as_str().into()),
                        limit: Some(200),
                        cursor,
                        ..TicketFilter::default()
                    },
                )
                .await
                .expect("tickets list");
            assert!(page.items.iter().all(|t| t.status == *status));
            tickets.extend(page.items.iter().cloned());
            count += page.items.len();
            match page.next_cursor {
                Some(next) => cursor = Some(next),
                None => break,
            }
        }
        assert!(count > 0, "no {status} ticket in the demo");
        total += count;
    }
    assert_eq!(total, 120, "--tickets 120 makes 120 tickets");
    history_is_spread_over_weeks(&tickets);

    let mut languages = HashSet::new();
    let mut cursor = None;
    loop {
        let page = app
            .ticketing
            .list_customers(&system, None, Some(200), cursor)
            .await
            .expect("customers list");
        languages.extend(page.items.iter().filter_map(|c| c.language.clone()));
        match page.next_cursor {
            Some(next) => cursor = Some(next),
            None => break,
        }
    }
    for language in ["en", "fi", "pl", "lt", "tl"] {
        assert!(
            languages.contains(language),
            "no customer writes in {language}: {languages:?}"
        );
    }

    let admin = app
        .staff
        .authenticate_password("admin@demo.tiski.example", "tiski-demo-password")
        .await
        .expect("the demo admin signs in with the demo password");
    assert!(admin.is_admin());
    store.close().await;

    let second = demo(dir.path());
    assert!(
        !second.status.success(),
        "a second demo on the same data dir must fail"
    );
    let stderr = String::from_utf8_lossy(&second.stderr);
    assert!(
        stderr.contains("already has tickets") && stderr.contains("tiski.db"),
        "the refusal names the data dir: {stderr}"
    );
}

/// The demo's history spreads over the past weeks at believable times: tickets created over
/// more than three weeks, none in the future, some overnight and some on a weekend (desk time,
/// UTC+2); ticket numbers grow with time; new tickets are recent, closed ones old, solved ones
/// solved inside the auto-close window; replies come after the ticket, not at once.
fn history_is_spread_over_weeks(tickets: &[tiski_ticketing::TicketView]) {
    use jiff::Timestamp;
    let at = |text: &str| text.parse::<Timestamp>().expect("a time").as_microsecond();
    let now = tiski_domain::Clock::now_micros(&SystemClock);
    let day = 86_400_000_000_i64;
    let created: Vec<i64> = tickets.iter().map(|t| at(&t.created_at)).collect();
    let (first, last) = (created.iter().min().unwrap(), created.iter().max().unwrap());
    assert!(
        last - first > 21 * day,
        "spread over {} days",
        (last - first) / day
    );
    assert!(*last <= now, "nothing in the future");
    let local = |micros: i64| micros + 2 * 3_600_000_000;
    let hour = |micros: i64| local(micros).rem_euclid(day) / 3_600_000_000;
    // 1970-01-01 was a Thursday: day 2 of the week is Saturday, 3 Sunday.
    let weekday = |micros: i64| local(micros).div_euclid(day).rem_euclid(7);
    assert!(
        created.iter().any(|c| hour(*c) < 7 || hour(*c) >= 22),
        "some overnight"
    );
    assert!(
        created.iter().any(|c| matches!(weekday(*c), 2 | 3)),
        "some on a weekend"
    );
    let office = created
        .iter()
        .filter(|c| (8..17).contains(&hour(**c)))
        .count();
    assert!(
        office * 2 > created.len(),
        "most in office hours: {office} of {}",
        created.len()
    );
    let mut by_id: Vec<&tiski_ticketing::TicketView> = tickets.iter().collect();
    by_id.sort_by_key(|t| t.id);
    assert!(
        by_id
            .windows(2)
            .all(|w| at(&w[0].created_at) <= at(&w[1].created_at)),
        "numbers grow with time"
    );
    for ticket in tickets {
        let created = at(&ticket.created_at);
        match ticket.status {
            Status::New => assert!(now - created < 2 * day, "a new ticket is recent"),
            Status::Closed => assert!(now - created > 8 * day, "a closed ticket is old"),
            Status::Solved => {
                let solved = at(ticket.solved_at.as_deref().expect("solved at"));
                assert!(
                    now - solved < 4 * day,
                    "solved inside the auto-close window"
                );
            }
            _ => {}
        }
        if ticket.status != Status::New {
            assert!(
                at(&ticket.updated_at) > created,
                "answered later than it arrived"
            );
        }
    }
}
