//! Calendars: local times in named time zones, and iCalendar (RFC 5545) files for events.
//! Times are stored as UTC instants; the zone an organiser chose is kept to show local times.

use icalendar::{Calendar, Component, EventLike, EventStatus, Property};
use jiff::Timestamp;
use jiff::civil::DateTime;
use jiff::tz::TimeZone;

/// One event as a calendar file needs it.
#[derive(Clone, Debug)]
pub struct CalendarEvent {
    /// Stable, globally unique id (kept across edits so calendars update the entry).
    pub uid: String,
    /// The event's name, written as the entry's SUMMARY.
    pub title: String,
    /// Plain-text description.
    pub description: String,
    /// Start, UTC milliseconds.
    pub starts_at: i64,
    /// End, UTC milliseconds.
    pub ends_at: i64,
    /// A place, or the online link.
    pub location: Option<String>,
    /// The event's page.
    pub url: Option<String>,
    /// Last change, UTC milliseconds.
    pub updated_at: i64,
    /// Bumped on every change, so clients replace their copy.
    pub sequence: i64,
    /// Whether it was cancelled.
    pub cancelled: bool,
}

/// The IANA regions whose zones members choose from; the database's other names (`Etc/GMT+5`,
/// `US/Pacific`, `posix/...`) are aliases or legacy spellings.
const AREAS: [&str; 10] = [
    "Africa",
    "America",
    "Antarctica",
    "Arctic",
    "Asia",
    "Atlantic",
    "Australia",
    "Europe",
    "Indian",
    "Pacific",
];

/// Every time zone a member may choose, spelled as the IANA database spells it, sorted: `UTC`
/// and the `Area/Location` names of the database bundled into the binary (the same on every
/// machine, whatever the system's own copy holds).
pub fn time_zone_names() -> &'static [String] {
    static NAMES: std::sync::LazyLock<Vec<String>> = std::sync::LazyLock::new(|| {
        let db = jiff::tz::TimeZoneDatabase::bundled();
        let mut names: Vec<String> = db
            .available()
            .map(|name| name.as_str().to_string())
            .filter(|name| {
                name.split_once('/')
                    .is_some_and(|(area, _)| AREAS.contains(&area))
            })
            .chain(["UTC".to_string()])
            .collect();
        names.sort();
        names.dedup();
        names
    });
    &NAMES
}

/// Whether `name` is one of [`time_zone_names`], spelled exactly so.
pub fn is_time_zone(name: &str) -> bool {
    time_zone_names()
        .binary_search_by(|n| n.as_str().cmp(name))
        .is_ok()
}

/// Reads `local` (`YYYY-MM-DDTHH:MM`, as an HTML datetime-local field sends it) in zone `tz` and
/// returns the instant in UTC milliseconds. A time skipped by a clock change is moved forward.
pub fn parse_local(local: &str, tz: &str) -> Result<i64, &'static str> {
    let zone = TimeZone::get(tz).map_err(|_| "is not a known time zone")?;
    let civil: DateTime = local
        .trim()
        .parse()
        .map_err(|_| "must be a date and time such as 2026-12-01T18:30")?;
    let zoned = civil
        .to_zoned(zone)
        .map_err(|_| "is out of the supported range")?;
    Ok(zoned.timestamp().as_millisecond())
}

/// Shows an instant in zone `tz` as `YYYY-MM-DD HH:MM`, with the zone's abbreviation.
pub fn format_local(at: i64, tz: &str) -> String {
    let zone = TimeZone::get(tz).unwrap_or(TimeZone::UTC);
    match Timestamp::from_millisecond(at) {
        Ok(ts) => ts.to_zoned(zone).strftime("%Y-%m-%d %H:%M %Z").to_string(),
        Err(_) => String::from("(invalid time)"),
    }
}

/// The `YYYY-MM-DDTHH:MM` an HTML datetime-local field shows for an instant in zone `tz`.
pub fn local_input(at: i64, tz: &str) -> String {
    let zone = TimeZone::get(tz).unwrap_or(TimeZone::UTC);
    Timestamp::from_millisecond(at)
        .map(|ts| ts.to_zoned(zone).strftime("%Y-%m-%dT%H:%M").to_string())
        .unwrap_or_default()
}

/// An RFC 5545 date-time in UTC form (`20261201T183000Z`).
fn utc_stamp(at: i64) -> String {
    Timestamp::from_millisecond(at)
        .unwrap_or(Timestamp::UNIX_EPOCH)
        .strftime("%Y%m%dT%H%M%SZ")
        .to_string()
}

/// A calendar file holding `events`, named `name`. `now` is the DTSTAMP.
pub fn ics(name: &str, events: &[CalendarEvent], now: i64) -> String {
    calendar_of("Community events", name, events, now).to_string()
}

/// An RFC 5545 date-time in UTC form, for other calendar writers of this crate.
pub(crate) fn stamp(at: i64) -> String {
    utc_stamp(at)
}

/// The calendar `ics` writes, with `product` in its PRODID, for writers that add components.
pub(crate) fn calendar_of(
    product: &str,
    name: &str,
    events: &[CalendarEvent],
    now: i64,
) -> Calendar {
    // Built from empty: the crate's default PRODID would otherwise appear twice.
    let mut calendar = Calendar::empty();
    let prodid = format!("-//Guildhall//{product}//EN");
    for (key, value) in [
        ("VERSION", "2.0"),
        ("PRODID", prodid.as_str()),
        ("CALSCALE", "GREGORIAN"),
        ("METHOD", "PUBLISH"),
    ] {
        calendar.append_property(Property::new(key, value));
    }
    calendar.name(name);
    for e in events {
        let mut event = icalendar::Event::new();
        event
            .uid(&e.uid)
            .summary(&e.title)
            .description(&e.description)
            .append_property(Property::new("DTSTAMP", utc_stamp(now)))
            .append_property(Property::new("DTSTART", utc_stamp(e.starts_at)))
            .append_property(Property::new("DTEND", utc_stamp(e.ends_at)))
            .append_property(Property::new("LAST-MODIFIED", utc_stamp(e.updated_at)))
            .append_property(Property::new("SEQUENCE", e.sequence.to_string()))
            .status(if e.cancelled {
                EventStatus::Cancelled
            } else {
                EventStatus::Confirmed
            });
        if let Some(location) = &e.location {
            event.location(location);
        }
        if let Some(url) = &e.url {
            event.url(url);
        }
        calendar.push(event.done());
    }
    calendar.done()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn members_choose_from_the_iana_names() {
        let names = time_zone_names();
        assert!(names.len() > 300, "{}", names.len());
        assert!(names.windows(2).all(|w| w[0] < w[1]), "sorted, once each");
        for ok in [
            "UTC",
            "Europe/Lisbon",
            "America/Argentina/Buenos_Aires",
            "Asia/Kolkata",
        ] {
            assert!(is_time_zone(ok), "{ok}");
        }
        for bad in [
            "Mars/Olympus",
            "europe/lisbon",
            "Etc/GMT+5",
            "posix/Europe/Lisbon",
            "",
        ] {
            assert!(!is_time_zone(bad), "{bad}");
        }
    }

    #[test]
    fn local_times_follow_the_zone() {
        // Lisbon is UTC+0 in December and UTC+1 in July.
        let winter = parse_local("2026-12-01T18:30", "Europe/Lisbon").unwrap();
        let summer = parse_local("2026-07-01T18:30", "Europe/Lisbon").unwrap();
        assert_eq!(utc_stamp(winter), "20261201T183000Z");
        assert_eq!(utc_stamp(summer), "20260701T173000Z");
        assert_eq!(local_input(summer, "Europe/Lisbon"), "2026-07-01T18:30");
        assert!(format_local(summer, "Europe/Lisbon").starts_with("2026-07-01 18:30"));
        assert!(parse_local("2026-07-01T18:30", "Mars/Olympus").is_err());
        assert!(parse_local("yesterday", "UTC").is_err());
        assert!(is_time_zone("America/Sao_Paulo"));
        assert!(!is_time_zone("Nowhere/Special"));
    }

    #[test]
    fn a_calendar_has_the_required_lines_and_escapes_text() {
        let text = ics(
            "Rustaceans",
            &[CalendarEvent {
                uid: "e1@guildhall".into(),
                title: "Meet-up; with, commas".into(),
                description: "Line one\nLine two".into(),
                starts_at: 1_800_000_000_000,
                ends_at: 1_800_003_600_000,
                location: Some("Room 1".into()),
                url: None,
                updated_at: 1_700_000_000_000,
                sequence: 2,
                cancelled: false,
            }],
            1_700_000_000_000,
        );
        assert!(text.starts_with("BEGIN:VCALENDAR\r\n"), "{text}");
        for line in [
            "VERSION:2.0",
            "UID:e1@guildhall",
            "SUMMARY:Meet-up\\; with\\, commas",
            "DESCRIPTION:Line one\\nLine two",
            "DTSTART:20270115T080000Z",
            "SEQUENCE:2",
            "STATUS:CONFIRMED",
        ] {
            assert!(text.contains(line), "missing {line}: {text}");
        }
        assert!(text.lines().all(|l| l.len() <= 75), "{text}");
    }
}
