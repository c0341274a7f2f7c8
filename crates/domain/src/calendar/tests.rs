//! The examples of the calendar issue, the edge cases around midnight and DST, and property
//! tests of the arithmetic.

use super::*;
use proptest::prelude::*;

fn at(text: &str) -> Timestamp {
    text.parse().unwrap()
}

fn hours(start: &str, end: &str) -> Hours {
    Hours::parse(start, end).unwrap()
}

fn helsinki() -> TimeZone {
    time_zone("Europe/Helsinki").unwrap()
}

fn office(exceptions: Vec<(Date, Vec<Hours>)>) -> Calendar {
    let days = [Day::Mon, Day::Tue, Day::Wed, Day::Thu, Day::Fri];
    Calendar::new(
        helsinki(),
        false,
        days.map(|d| (d, hours("09:00", "17:00"))),
        exceptions,
    )
}

fn h(n: i64) -> SignedDuration {
    SignedDuration::from_hours(n)
}

#[test]
fn two_business_hours_from_friday_afternoon_end_monday_morning_across_the_dst_change() {
    let calendar = office(vec![]);
    // Fri 2026-03-27 16:00 EET is 14:00 UTC; Mon 2026-03-30 10:00 EEST is 07:00 UTC.
    let friday = at("2026-03-27T14:00:00Z");
    assert_eq!(
        calendar.add_open(friday, h(2)),
        Some(at("2026-03-30T07:00:00Z"))
    );
    assert_eq!(
        calendar.open_between(friday, at("2026-03-30T07:00:00Z")),
        h(2)
    );
    assert!(calendar.is_open(friday));
    assert!(
        !calendar.is_open(at("2026-03-27T15:00:00Z")),
        "17:00 is closed"
    );
    assert_eq!(
        calendar.next_open(at("2026-03-27T15:00:00Z")),
        Some(at("2026-03-30T06:00:00Z"))
    );
    // One hour ends at the close, not the next opening.
    assert_eq!(
        calendar.add_open(friday, h(1)),
        Some(at("2026-03-27T15:00:00Z"))
    );
    assert_eq!(
        calendar.add_open(friday, SignedDuration::ZERO),
        Some(friday)
    );
}

#[test]
fn an_always_open_calendar_counts_real_hours_over_dst_changes() {
    let calendar = Calendar::new(helsinki(), true, [], []);
    // Sat 12:00 to Sun 12:00 local: 23 h in spring, 25 h in autumn.
    assert_eq!(
        calendar.open_between(at("2026-03-28T10:00:00Z"), at("2026-03-29T09:00:00Z")),
        h(23)
    );
    assert_eq!(
        calendar.open_between(at("2026-10-24T09:00:00Z"), at("2026-10-25T10:00:00Z")),
        h(25)
    );
    assert_eq!(
        calendar.add_open(at("2026-03-28T10:00:00Z"), h(23)),
        Some(at("2026-03-29T09:00:00Z"))
    );
}

#[test]
fn whole_days_have_no_gap_at_midnight() {
    let all_week = Day::ALL.iter().map(|d| (*d, hours("00:00", "24:00")));
    let calendar = Calendar::new(helsinki(), false, all_week, []);
    // Local midnight Tue 2026-06-02 is 21:00 UTC on the 1st.
    let midnight = at("2026-06-01T21:00:00Z");
    assert!(calendar.is_open(midnight));
    assert!(calendar.is_open(at("2026-06-01T20:59:59Z")));
    assert_eq!(calendar.next_open(midnight), Some(midnight));
    assert_eq!(
        calendar.open_between(at("2026-06-01T20:00:00Z"), at("2026-06-01T22:00:00Z")),
        h(2)
    );
    assert_eq!(
        calendar.open_between(at("2026-06-01T00:00:00Z"), at("2026-06-08T00:00:00Z")),
        h(7 * 24)
    );
}

#[test]
fn an_overnight_interval_runs_into_the_next_morning() {
    let calendar = Calendar::new(helsinki(), false, [(Day::Mon, hours("22:00", "06:00"))], []);
    // Mon 2026-06-01 00:00 local to Wed 00:00 local.
    let monday = at("2026-05-31T21:00:00Z");
    let wednesday = at("2026-06-02T21:00:00Z");
    assert_eq!(calendar.open_between(monday, wednesday), h(8));
    assert!(calendar.is_open(at("2026-06-02T02:59:00Z")), "Tue 05:59");
    assert!(!calendar.is_open(at("2026-06-02T03:00:00Z")), "Tue 06:00");
    // From Tue 01:00 (the night started on Monday), five hours are left that night.
    assert_eq!(
        calendar.open_between(at("2026-06-01T22:00:00Z"), wednesday),
        h(5)
    );
    assert_eq!(
        calendar.add_open(at("2026-06-01T22:00:00Z"), h(6)),
        Some(at("2026-06-08T20:00:00Z")),
        "the sixth hour is next Monday 23:00"
    );
}

#[test]
fn exceptions_close_a_day_or_give_it_other_hours() {
    let date = |s: &str| -> Date { s.parse().unwrap() };
    let calendar = office(vec![
        (date("2026-12-24"), vec![hours("09:00", "12:00")]),
        (date("2026-12-25"), vec![]),
    ]);
    // Thu 24 Dec 09–12 (EET, +2), Fri 25 closed, so the next opening is Mon 28 Dec.
    assert!(calendar.is_open(at("2026-12-24T09:59:00Z")));
    assert!(!calendar.is_open(at("2026-12-24T10:00:00Z")));
    assert_eq!(
        calendar.next_open(at("2026-12-24T10:00:00Z")),
        Some(at("2026-12-28T07:00:00Z"))
    );
    assert_eq!(
        calendar.open_between(at("2026-12-21T00:00:00Z"), at("2026-12-28T00:00:00Z")),
        h(3 * 8 + 3)
    );
}

#[test]
fn a_calendar_that_never_opens_answers_none_quickly() {
    let calendar = Calendar::new(helsinki(), false, [], []);
    let t = at("2026-01-01T00:00:00Z");
    assert_eq!(calendar.next_open(t), None);
    assert_eq!(calendar.add_open(t, h(1)), None);
    assert_eq!(
        calendar.open_between(t, at("2036-01-01T00:00:00Z")),
        SignedDuration::ZERO
    );
}

#[test]
fn times_and_zones_are_checked() {
    assert_eq!(parse_time("09:30"), Ok(570));
    assert_eq!(parse_time("24:00"), Ok(1440));
    for bad in [
        "25:00",
        "24:01",
        "9:00",
        "09:60",
        "",
        "0900",
        "+9:00",
        "09:0x",
        "٠٩:٠٠",
    ] {
        assert!(parse_time(bad).is_err(), "{bad}");
    }
    assert_eq!(Hours::parse("09:00", "09:00").unwrap_err().0, End::End);
    assert_eq!(Hours::parse("24:00", "06:00").unwrap_err().0, End::Start);
    assert_eq!(Hours::parse("09:00", "25:00").unwrap_err().0, End::End);
    assert!(Hours::parse("22:00", "06:00").unwrap().overnight());
    assert_eq!(Hours::parse("18:00", "00:00").unwrap().end_text(), "24:00");
    assert!(time_zone("Europe/Helsinki").is_ok());
    for bad in ["Mars/Olympus", "", "../etc/passwd", "Europe/Helsinki\0"] {
        assert!(time_zone(bad).is_err(), "{bad:?}");
    }
}

/// A calendar made of a few of these intervals per weekday, maybe always open, maybe with
/// exceptions in 2026, in a zone with DST.
fn calendars() -> impl Strategy<Value = Calendar> {
    let choices = [
        ("09:00", "17:00"),
        ("22:00", "06:00"),
        ("00:00", "24:00"),
        ("12:30", "13:15"),
        ("02:30", "04:30"),
        ("18:00", "00:00"),
    ];
    let interval = (0usize..7, 0usize..choices.len());
    let exception = (0i64..365, proptest::option::of(0usize..choices.len()));
    (
        prop::collection::vec(interval, 0..8),
        any::<bool>(),
        prop::collection::vec(exception, 0..6),
        0usize..3,
    )
        .prop_map(move |(weekly, always, exceptions, zone)| {
            let tz = ["Europe/Helsinki", "America/New_York", "Asia/Manila"][zone];
            let weekly = weekly
                .into_iter()
                .map(|(d, c)| (Day::ALL[d], hours(choices[c].0, choices[c].1)));
            let start: Date = "2026-01-01".parse().unwrap();
            let exceptions = exceptions.into_iter().map(|(offset, c)| {
                let date = start.checked_add(jiff::Span::new().days(offset)).unwrap();
                let hours = c.map(|c| hours(choices[c].0, choices[c].1));
                (date, hours.into_iter().collect())
            });
            Calendar::new(time_zone(tz).unwrap(), always, weekly, exceptions)
        })
}

fn instants() -> impl Strategy<Value = Timestamp> {
    // 2026 and a bit, to the minute and second.
    (1_767_225_600i64..1_800_000_000).prop_map(|s| Timestamp::from_second(s).unwrap())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn open_time_added_is_the_open_time_between(
        calendar in calendars(), a in instants(), secs in 0i64..400 * 3600,
    ) {
        let d = SignedDuration::from_secs(secs);
        if let Some(b) = calendar.add_open(a, d) {
            prop_assert!(b >= a);
            prop_assert_eq!(calendar.open_between(a, b), d);
        }
    }

    #[test]
    fn adding_more_never_ends_earlier(
        calendar in calendars(), a in instants(), x in 0i64..200 * 3600, y in 0i64..200 * 3600,
    ) {
        let (small, large) = (x.min(y), x.max(y));
        let first = calendar.add_open(a, SignedDuration::from_secs(small));
        let second = calendar.add_open(a, SignedDuration::from_secs(large));
        if let (Some(first), Some(second)) = (first, second) {
            prop_assert!(first <= second);
        }
    }

    #[test]
    fn the_next_opening_is_open_and_nothing_before_it_is(calendar in calendars(), t in instants()) {
        if let Some(open) = calendar.next_open(t) {
            prop_assert!(open >= t);
            prop_assert!(calendar.is_open(open));
            prop_assert_eq!(calendar.open_between(t, open), SignedDuration::ZERO);
        }
    }

    #[test]
    fn open_time_adds_up_over_split_ranges(
        calendar in calendars(), a in instants(), x in 0i64..30 * 86400, y in 0i64..30 * 86400,
    ) {
        let b = a.checked_add(SignedDuration::from_secs(x)).unwrap();
        let c = b.checked_add(SignedDuration::from_secs(y)).unwrap();
        let whole = calendar.open_between(a, c);
        prop_assert_eq!(whole, calendar.open_between(a, b) + calendar.open_between(b, c));
        prop_assert!(whole <= c.duration_since(a));
    }
}
