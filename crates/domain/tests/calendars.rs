//! Busy times read from calendar files: repeat rules, exceptions, overrides, zones, and the
//! errors that name what is wrong.

use guildhall_domain::availability::{Busy, IcsError, busy_from_ics};
use jiff::Timestamp;
use jiff::tz::TimeZone;

fn fixture(name: &str) -> String {
    let path = format!(
        "{}/tests/fixtures/calendars/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read_to_string(path).unwrap()
}

fn utc(s: &str) -> i64 {
    format!("{s}:00Z")
        .parse::<Timestamp>()
        .unwrap()
        .as_millisecond()
}

fn span(start: &str, end: &str) -> Busy {
    Busy {
        start: utc(start),
        end: utc(end),
    }
}

fn new_york() -> TimeZone {
    TimeZone::get("America/New_York").unwrap()
}

#[test]
fn repeats_exceptions_overrides_and_zones_are_honoured() {
    let read = busy_from_ics(
        &fixture("weekly_berlin.ics"),
        &new_york(),
        utc("2026-03-01T00:00"),
        utc("2026-05-01T00:00"),
    )
    .unwrap();
    assert_eq!(read.events, 6);
    assert_eq!(
        read.busy,
        [
            // Monday stand-ups at 10:00 Berlin: 09:00 UTC before Berlin's clocks change on
            // 29 March, 08:00 after. The Wednesdays of 18 and 25 March are excluded.
            span("2026-03-16T09:00", "2026-03-16T10:00"),
            // A floating time, read in the member's zone (New York, UTC-4 since 8 March).
            span("2026-03-19T13:00", "2026-03-19T14:00"),
            span("2026-03-23T09:00", "2026-03-23T10:00"),
            // The occurrence of 30 March moved to 14:00 and shortened to 30 minutes.
            span("2026-03-30T12:00", "2026-03-30T12:30"),
            // Two all-day dates in New York, covering the stand-up of 1 April.
            span("2026-04-01T04:00", "2026-04-03T04:00"),
            span("2026-04-06T08:00", "2026-04-06T09:00"),
            span("2026-04-08T08:00", "2026-04-08T09:00"),
            span("2026-04-13T08:00", "2026-04-13T09:00"),
            // The last before UNTIL; transparent and cancelled events are not busy.
            span("2026-04-15T08:00", "2026-04-15T09:00"),
        ]
    );
}

#[test]
fn only_the_window_is_returned() {
    let read = busy_from_ics(
        &fixture("weekly_berlin.ics"),
        &new_york(),
        utc("2026-04-07T00:00"),
        utc("2026-04-14T00:00"),
    )
    .unwrap();
    assert_eq!(
        read.busy,
        [
            span("2026-04-08T08:00", "2026-04-08T09:00"),
            span("2026-04-13T08:00", "2026-04-13T09:00"),
        ]
    );
}

#[test]
fn a_floating_time_follows_a_fixed_offset_zone_too() {
    let text = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:a@example.com\r\n\
        DTSTART:20260319T090000\r\nDURATION:PT2H\r\nRRULE:FREQ=DAILY;COUNT=2\r\n\
        END:VEVENT\r\nEND:VCALENDAR\r\n";
    let india = guildhall_domain::availability::zone("UTC+05:30").unwrap();
    let read = busy_from_ics(
        text,
        &india,
        utc("2026-03-01T00:00"),
        utc("2026-04-01T00:00"),
    )
    .unwrap();
    assert_eq!(
        read.busy,
        [
            span("2026-03-19T03:30", "2026-03-19T05:30"),
            span("2026-03-20T03:30", "2026-03-20T05:30"),
        ]
    );
}

#[test]
fn a_broken_file_gets_an_error_naming_what_is_wrong() {
    let read = |name: &str| {
        busy_from_ics(
            &fixture(name),
            &new_york(),
            utc("2026-03-01T00:00"),
            utc("2026-05-01T00:00"),
        )
        .unwrap_err()
    };
    let message = |e: IcsError| e.to_string();
    assert!(matches!(read("bad_start.ics"), IcsError::BadTime { .. }));
    assert!(
        message(read("bad_start.ics")).contains("“Broken start”"),
        "{}",
        message(read("bad_start.ics"))
    );
    assert_eq!(
        read("unknown_zone.ics"),
        IcsError::UnknownZone {
            event: "“Windows zone”".into(),
            zone: "W. Europe Standard Time".into()
        }
    );
    assert!(matches!(read("bad_rule.ics"), IcsError::BadRule { .. }));
    for not_a_calendar in ["", "hello", "BEGIN:VCARD\r\nEND:VCARD\r\n", "\u{0}\u{1}"] {
        assert!(
            matches!(
                busy_from_ics(not_a_calendar, &new_york(), 0, 1),
                Err(IcsError::Malformed(_))
            ),
            "{not_a_calendar:?}"
        );
    }
    let no_start = "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:n@example.com\r\nSUMMARY:Lost\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
    assert_eq!(
        busy_from_ics(no_start, &new_york(), 0, 1),
        Err(IcsError::NoStart("“Lost”".into()))
    );
}
