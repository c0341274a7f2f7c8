//! Business calendars through the API: make, read, change, the default, the arithmetic
//! admins check a calendar with, who may do what, and bad input answered with the field at
//! fault (never a 500).

use reqwest::StatusCode;
use serde_json::{Value, json};
use tiski_domain::Role;
use tiski_testkit::{TestApp, assert_problem};

fn helsinki_office() -> Value {
    let days = ["mon", "tue", "wed", "thu", "fri"];
    json!({
        "name": "Helsinki office",
        "time_zone": "Europe/Helsinki",
        "weekly": days.iter().map(|d| json!({"day": d, "start": "09:00", "end": "17:00"})).collect::<Vec<_>>(),
        "always_open": false,
        "exceptions": [
            {"date": "2026-12-24", "closed": false, "intervals": [{"start": "09:00", "end": "12:00"}]},
            {"date": "2026-12-25", "closed": true, "name": "Christmas Day"}
        ]
    })
}

async fn create(test: &TestApp, body: Value) -> Value {
    let (status, calendar) = test.post("/api/v1/calendars", &test.admin, body).await;
    assert_eq!(status, StatusCode::CREATED, "{calendar}");
    calendar
}

async fn open_after(test: &TestApp, id: i64, from: &str, seconds: i64) -> String {
    let from = from.replace('+', "%2B");
    let (status, answer) = test
        .get(
            &format!("/api/v1/calendars/{id}/open-after?from={from}&seconds={seconds}"),
            &test.admin,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    answer["at"].as_str().unwrap().to_string()
}

async fn open_between(test: &TestApp, id: i64, from: &str, to: &str) -> i64 {
    let (status, answer) = test
        .get(
            &format!("/api/v1/calendars/{id}/open-between?from={from}&to={to}"),
            &test.admin,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    answer["seconds"].as_i64().unwrap()
}

#[tokio::test]
async fn a_calendar_is_made_read_changed_and_asked_when_time_runs_out() {
    let test = TestApp::spawn().await;
    let calendar = create(&test, helsinki_office()).await;
    let id = calendar["id"].as_i64().unwrap();
    assert_eq!(calendar["time_zone"], "Europe/Helsinki");
    assert_eq!(
        calendar["default"], true,
        "the first calendar is the default"
    );
    assert_eq!(calendar["weekly"].as_array().unwrap().len(), 5);
    assert_eq!(calendar["exceptions"][1]["name"], "Christmas Day");
    assert_eq!(calendar["exceptions"][1]["enabled"], true);

    // Fri 2026-03-27 16:00 Helsinki + 2 business hours = Mon 10:00 local (after DST).
    assert_eq!(
        open_after(&test, id, "2026-03-27T16:00:00+02:00", 7200).await,
        "2026-03-30T07:00:00Z"
    );
    assert_eq!(
        open_between(&test, id, "2026-03-27T14:00:00Z", "2026-03-30T07:00:00Z").await,
        7200
    );
    // 24 Dec is open 09–12 only, 25 Dec closed.
    assert_eq!(
        open_between(&test, id, "2026-12-24T00:00:00Z", "2026-12-26T00:00:00Z").await,
        3 * 3600
    );

    // Always open over the spring DST change: Sat 12:00 to Sun 12:00 is 23 hours.
    let (status, changed) = test
        .patch(
            &format!("/api/v1/calendars/{id}"),
            &test.admin,
            json!({"always_open": true, "name": "Helsinki 24/7"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{changed}");
    assert_eq!(changed["name"], "Helsinki 24/7");
    assert_eq!(
        open_between(&test, id, "2026-03-28T10:00:00Z", "2026-03-29T09:00:00Z").await,
        23 * 3600
    );
    let (_, read) = test
        .get(&format!("/api/v1/calendars/{id}"), &test.admin)
        .await;
    assert_eq!(read, changed);

    // An overnight shift: Monday 22:00–06:00 counts 8 hours from Monday to Wednesday.
    let night = create(
        &test,
        json!({"name": "Nights", "time_zone": "Europe/Helsinki",
               "weekly": [{"day": "mon", "start": "22:00", "end": "06:00"}]}),
    )
    .await;
    assert_eq!(night["default"], false);
    let night_id = night["id"].as_i64().unwrap();
    assert_eq!(
        open_between(
            &test,
            night_id,
            "2026-05-31T21:00:00Z",
            "2026-06-02T21:00:00Z"
        )
        .await,
        8 * 3600
    );

    // The default moves; there is always one.
    let (status, moved) = test
        .patch(
            &format!("/api/v1/calendars/{night_id}"),
            &test.admin,
            json!({"default": true}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{moved}");
    assert_eq!(moved["default"], true);
    let (_, list) = test.get("/api/v1/calendars", &test.admin).await;
    let defaults: Vec<bool> = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["default"].as_bool().unwrap())
        .collect();
    assert_eq!(defaults, vec![false, true]);
    let refused = test
        .patch(
            &format!("/api/v1/calendars/{night_id}"),
            &test.admin,
            json!({"default": false}),
        )
        .await;
    assert_problem(&refused, StatusCode::UNPROCESSABLE_ENTITY, Some("default"));

    // Every change is an event.
    let (_, events) = test.get("/api/v1/events?limit=200", &test.admin).await;
    let types: Vec<&str> = events["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e["type"].as_str())
        .filter(|t| t.starts_with("calendar."))
        .collect();
    assert_eq!(
        types.iter().filter(|t| **t == "calendar.created").count(),
        2
    );
    assert_eq!(
        types.iter().filter(|t| **t == "calendar.updated").count(),
        2
    );
}

#[tokio::test]
async fn admins_change_calendars_and_staff_read_them() {
    let test = TestApp::spawn().await;
    let id = create(&test, helsinki_office()).await["id"]
        .as_i64()
        .unwrap();
    let (_, agent) = test.user(Role::Agent, &[]).await;
    let (_, supervisor) = test.user(Role::Supervisor, &[]).await;
    for token in [&agent, &supervisor] {
        let (status, _) = test.get(&format!("/api/v1/calendars/{id}"), token).await;
        assert_eq!(status, StatusCode::OK);
        let (status, _) = test
            .get(
                &format!("/api/v1/calendars/{id}/open-after?from=2026-03-27T14:00:00Z&seconds=60"),
                token,
            )
            .await;
        assert_eq!(status, StatusCode::OK);
        let made = test
            .post("/api/v1/calendars", token, helsinki_office())
            .await;
        assert_problem(&made, StatusCode::FORBIDDEN, None);
        let changed = test
            .patch(
                &format!("/api/v1/calendars/{id}"),
                token,
                json!({"name": "Mine"}),
            )
            .await;
        assert_problem(&changed, StatusCode::FORBIDDEN, None);
    }
    let missing = test.get("/api/v1/calendars/999999", &agent).await;
    assert_problem(&missing, StatusCode::NOT_FOUND, None);
}

#[tokio::test]
async fn bad_calendars_name_the_field_at_fault() {
    let test = TestApp::spawn().await;
    let with = |edit: &dyn Fn(&mut Value)| {
        let mut body = helsinki_office();
        edit(&mut body);
        body
    };
    let cases: Vec<(Value, &str)> = vec![
        (
            with(&|b| b["time_zone"] = json!("Europe/Atlantis")),
            "time_zone",
        ),
        (
            with(&|b| b["weekly"][2]["end"] = json!("25:00")),
            "weekly[2].end",
        ),
        (
            with(&|b| b["weekly"][1]["start"] = json!("17:00")),
            "weekly[1].end",
        ),
        (
            with(&|b| b["weekly"][0]["day"] = json!("monday")),
            "weekly[0].day",
        ),
        (
            with(&|b| b["weekly"][3]["start"] = json!("9am")),
            "weekly[3].start",
        ),
        (
            with(&|b| b["exceptions"][1]["date"] = json!("2026-12-24")),
            "exceptions[1].date",
        ),
        (
            with(&|b| b["exceptions"][0]["date"] = json!("24.12.2026")),
            "exceptions[0].date",
        ),
        (
            with(&|b| b["exceptions"][0]["intervals"][0]["end"] = json!("09:00")),
            "exceptions[0].intervals[0].end",
        ),
        (
            with(&|b| b["exceptions"][0]["intervals"] = json!([])),
            "exceptions[0].intervals",
        ),
        (with(&|b| b["name"] = json!("  ")), "name"),
    ];
    for (body, field) in cases {
        let answer = test.post("/api/v1/calendars", &test.admin, body).await;
        assert_problem(&answer, StatusCode::UNPROCESSABLE_ENTITY, Some(field));
    }
    let id = create(&test, helsinki_office()).await["id"]
        .as_i64()
        .unwrap();
    let patched = test
        .patch(
            &format!("/api/v1/calendars/{id}"),
            &test.admin,
            json!({"weekly": [{"day": "sun", "start": "10:00", "end": "10:00"}]}),
        )
        .await;
    assert_problem(
        &patched,
        StatusCode::UNPROCESSABLE_ENTITY,
        Some("weekly[0].end"),
    );
    for (query, status) in [
        (
            "open-after?from=yesterday&seconds=60",
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            "open-after?from=2026-01-01T00:00:00Z&seconds=-1",
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            "open-after?from=2026-01-01T00:00:00Z&seconds=x",
            StatusCode::BAD_REQUEST,
        ),
        (
            "open-after?from=2026-01-01T00:00:00Z",
            StatusCode::BAD_REQUEST,
        ),
        (
            "open-between?from=2026-01-01T00:00:00Z&to=2999-01-01T00:00:00Z",
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            "open-between?from=2026-01-01T00:00:00Z&to=soon",
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
    ] {
        let answer = test
            .get(&format!("/api/v1/calendars/{id}/{query}"), &test.admin)
            .await;
        assert_eq!(answer.0, status, "{query}: {}", answer.1);
    }
    // A calendar that never opens answers a problem, not a hang.
    let closed = create(
        &test,
        json!({"name": "Closed", "time_zone": "UTC", "weekly": []}),
    )
    .await["id"]
        .as_i64()
        .unwrap();
    let never = test
        .get(
            &format!("/api/v1/calendars/{closed}/open-after?from=2026-01-01T00:00:00Z&seconds=60"),
            &test.admin,
        )
        .await;
    assert_problem(&never, StatusCode::UNPROCESSABLE_ENTITY, Some("seconds"));
}

#[tokio::test]
async fn naughty_strings_in_every_text_field_answer_4xx() {
    let test = TestApp::spawn().await;
    let blns = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/corpora/security/blns/blns.txt"
    ))
    .expect("the naughty strings");
    let strings: Vec<&str> = blns
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .step_by(7)
        .collect();
    assert!(strings.len() > 50);
    let id = create(&test, helsinki_office()).await["id"]
        .as_i64()
        .unwrap();
    for text in strings {
        let bodies = [
            json!({"name": "x", "time_zone": text}),
            json!({"name": "x", "time_zone": "UTC", "weekly": [{"day": text, "start": "09:00", "end": "17:00"}]}),
            json!({"name": "x", "time_zone": "UTC", "weekly": [{"day": "mon", "start": text, "end": "17:00"}]}),
            json!({"name": "x", "time_zone": "UTC", "exceptions": [{"date": text, "closed": true}]}),
        ];
        for body in bodies {
            let (status, answer) = test.post("/api/v1/calendars", &test.admin, body).await;
            assert!(status.is_client_error(), "{text:?}: {status} {answer}");
        }
        // A name is stored as written (trimmed) or refused, never a 500.
        let (status, _) = test
            .patch(
                &format!("/api/v1/calendars/{id}"),
                &test.admin,
                json!({"name": text}),
            )
            .await;
        assert!(
            status.is_success() || status.is_client_error(),
            "{text:?}: {status}"
        );
        let encoded: String = form_urlencoded_byte(text);
        let (status, _) = test
            .get(
                &format!("/api/v1/calendars/{id}/open-after?from={encoded}&seconds=1"),
                &test.admin,
            )
            .await;
        assert!(status.is_client_error(), "{text:?}: {status}");
    }
}

fn form_urlencoded_byte(text: &str) -> String {
    text.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

#[tokio::test]
async fn holidays_are_imported_and_days_switched_off_stay_off() {
    let test = TestApp::spawn().await;
    let id = create(&test, helsinki_office()).await["id"]
        .as_i64()
        .unwrap();
    let (status, feeds) = test.get("/api/v1/calendars/holidays", &test.admin).await;
    assert_eq!(status, StatusCode::OK, "{feeds}");
    let codes: Vec<&str> = feeds
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|f| f["code"].as_str())
        .collect();
    assert_eq!(codes, ["FI", "PL", "LT", "PH", "GB", "US"]);

    let path = format!("/api/v1/calendars/{id}/holidays");
    let (status, imported) = test
        .post(&path, &test.admin, json!({"bundled": "FI"}))
        .await;
    assert_eq!(status, StatusCode::OK, "{imported}");
    assert!(imported["added"].as_i64().unwrap() >= 40, "{imported}");
    assert_eq!(imported["source"], "holidays:FI");
    let exceptions = imported["calendar"]["exceptions"]
        .as_array()
        .unwrap()
        .clone();
    let good_friday = exceptions
        .iter()
        .position(|e| e["date"] == "2026-04-03")
        .expect("Good Friday 2026");
    assert_eq!(exceptions[good_friday]["name"], "Good Friday");
    // The hand-made 24 December (open 09–12) stays as it was.
    let eve = exceptions
        .iter()
        .find(|e| e["date"] == "2026-12-24")
        .unwrap();
    assert_eq!(eve["source"], "manual");
    assert_eq!(eve["closed"], false);

    // Thu 2 April 16:00 + 2 h skips Good Friday and Easter Monday: Tue 7 April 10:00 local.
    assert_eq!(
        open_after(&test, id, "2026-04-02T13:00:00Z", 7200).await,
        "2026-04-07T07:00:00Z"
    );

    // The admin switches Good Friday off: the desk opens as usual, and a re-import keeps it.
    let mut edited = exceptions.clone();
    edited[good_friday]["enabled"] = json!(false);
    let (status, changed) = test
        .patch(
            &format!("/api/v1/calendars/{id}"),
            &test.admin,
            json!({"exceptions": edited}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{changed}");
    assert_eq!(
        open_between(&test, id, "2026-04-03T00:00:00Z", "2026-04-04T00:00:00Z").await,
        8 * 3600
    );
    let (status, again) = test
        .post(&path, &test.admin, json!({"bundled": "FI"}))
        .await;
    assert_eq!(status, StatusCode::OK, "{again}");
    assert_eq!(again["added"], 0, "{again}");
    assert_eq!(again["kept_off"], 1, "{again}");
    let friday = again["calendar"]["exceptions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["date"] == "2026-04-03")
        .unwrap()
        .clone();
    assert_eq!(friday["enabled"], false);

    // An uploaded file under its own name.
    let ics = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20260409\r\nSUMMARY:Company day\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
    let (status, uploaded) = test
        .post(&path, &test.admin, json!({"ics": ics, "source": "company"}))
        .await;
    assert_eq!(status, StatusCode::OK, "{uploaded}");
    assert_eq!(uploaded["added"], 1);
    assert_eq!(
        open_between(&test, id, "2026-04-09T00:00:00Z", "2026-04-10T00:00:00Z").await,
        0
    );

    let (_, events) = test.get("/api/v1/events?limit=200", &test.admin).await;
    let imports = events["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["type"] == "calendar.holidays_imported")
        .count();
    assert_eq!(imports, 3);
}

#[tokio::test]
async fn bad_holiday_imports_answer_4xx() {
    let test = TestApp::spawn().await;
    let id = create(&test, helsinki_office()).await["id"]
        .as_i64()
        .unwrap();
    let path = format!("/api/v1/calendars/{id}/holidays");
    let (_, agent) = test.user(Role::Agent, &[]).await;
    let refused = test.post(&path, &agent, json!({"bundled": "FI"})).await;
    assert_problem(&refused, StatusCode::FORBIDDEN, None);
    for (body, field) in [
        (json!({"bundled": "XX"}), "bundled"),
        (json!({}), "bundled"),
        (
            json!({"bundled": "FI", "ics": "x", "source": "y"}),
            "bundled",
        ),
        (json!({"ics": "hello", "source": "mine"}), "ics"),
        (json!({"ics": "BEGIN:VCALENDAR\r\nEND:VCALENDAR"}), "source"),
    ] {
        let answer = test.post(&path, &test.admin, body).await;
        assert_problem(&answer, StatusCode::UNPROCESSABLE_ENTITY, Some(field));
    }
    let blns = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/corpora/security/blns/blns.txt"
    ))
    .expect("the naughty strings");
    for text in blns.lines().filter(|l| !l.is_empty()).step_by(11) {
        let wrapped = format!(
            "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART;VALUE=DATE:{text}\r\nSUMMARY:{text}\r\nRRULE:{text}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
        );
        for ics in [text.to_string(), wrapped] {
            let (status, answer) = test
                .post(&path, &test.admin, json!({"ics": ics, "source": text}))
                .await;
            assert!(
                status == StatusCode::OK || status.is_client_error(),
                "{text:?}: {status} {answer}"
            );
        }
    }
}
