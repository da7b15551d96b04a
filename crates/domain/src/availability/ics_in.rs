//! Busy times read from an iCalendar (RFC 5545) file a member imports or subscribes to.
//!
//! The file is parsed by the `icalendar` crate and repeat rules are expanded by the `rrule`
//! crate; this module only turns the file's times into instants. Times with a `TZID` are read
//! in that zone, UTC times as such, floating times and all-day dates in the member's own zone.
//! `EXDATE`s and `RDATE`s are honoured, and an event that overrides one occurrence of a series
//! (`RECURRENCE-ID`) replaces it. Cancelled events and those marked `TRANSP:TRANSPARENT`
//! (shown as free) are not busy.

use super::{Busy, merge_busy};
use icalendar::parser::{Component, Property, read_calendar, unfold};
use jiff::civil::{Date, DateTime};
use jiff::tz::TimeZone;
use jiff::{Span, Zoned};
use std::collections::{HashMap, HashSet};

/// Most events one file may hold.
pub const MAX_EVENTS: usize = 20_000;
/// Most busy spans one file may produce in the window asked about.
pub const MAX_BUSY: usize = 50_000;
/// Most occurrences one repeating event may produce in the window.
const MAX_OCCURRENCES: u16 = 5_000;

/// What is wrong with a calendar file, in words that name the event at fault.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IcsError {
    /// Not iCalendar at all, or broken beyond reading.
    #[error("this is not an iCalendar file that can be read: {0}")]
    Malformed(String),
    /// An event without a start.
    #[error("the event {0} has no start (DTSTART)")]
    NoStart(String),
    /// A start, end, duration or excluded date that is not a date or time.
    #[error("the event {event} has a {field} that is not a date or time: {value}")]
    BadTime {
        /// Which event.
        event: String,
        /// Which property.
        field: &'static str,
        /// What it says.
        value: String,
    },
    /// A `TZID` the time zone database does not know.
    #[error("the event {event} uses a time zone this server does not know: {zone}")]
    UnknownZone {
        /// Which event.
        event: String,
        /// The zone named.
        zone: String,
    },
    /// A repeat rule that cannot be read.
    #[error("the event {event} has a repeat rule (RRULE) that cannot be read: {reason}")]
    BadRule {
        /// Which event.
        event: String,
        /// Why.
        reason: String,
    },
    /// Too many events or occurrences to keep.
    #[error("the calendar holds more than {0} events or busy times; export a shorter span")]
    TooMany(usize),
}

/// The busy times a calendar file gives in a window.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BusyTimes {
    /// How many events the file holds.
    pub events: usize,
    /// Busy spans overlapping the window, sorted and merged.
    pub busy: Vec<Busy>,
}

/// Reads `text` and returns its busy spans overlapping `from..to` (UTC milliseconds), reading
/// floating times and all-day dates in `zone`.
pub fn busy_from_ics(
    text: &str,
    zone: &TimeZone,
    from: i64,
    to: i64,
) -> Result<BusyTimes, IcsError> {
    if !text
        .trim_start_matches('\u{feff}')
        .trim_start()
        .to_ascii_uppercase()
        .starts_with("BEGIN:VCALENDAR")
    {
        return Err(IcsError::Malformed(
            "it does not begin with BEGIN:VCALENDAR".into(),
        ));
    }
    let unfolded = unfold(&text.replace("\r\n", "\n"));
    let calendar = read_calendar(&unfolded).map_err(|e| {
        IcsError::Malformed(
            e.lines()
                .take(3)
                .collect::<Vec<_>>()
                .join(" ")
                .trim()
                .into(),
        )
    })?;
    let events: Vec<&Component> = calendar
        .components
        .iter()
        .filter(|c| c.name.as_str().eq_ignore_ascii_case("VEVENT"))
        .collect();
    if events.len() > MAX_EVENTS {
        return Err(IcsError::TooMany(MAX_EVENTS));
    }
    // Occurrences replaced by an event of their own, per series.
    let mut overridden: HashMap<String, HashSet<i64>> = HashMap::new();
    for event in &events {
        if let Some(id) = prop(event, "RECURRENCE-ID") {
            let name = name_of(event);
            let at = Stamp::read(id, &name, "RECURRENCE-ID")?.instant(zone, &name)?;
            overridden
                .entry(uid(event))
                .or_default()
                .insert(at.timestamp().as_millisecond());
        }
    }
    let mut busy = Vec::new();
    for event in &events {
        if is_free(event) {
            continue;
        }
        let name = name_of(event);
        let start_prop = prop(event, "DTSTART").ok_or_else(|| IcsError::NoStart(name.clone()))?;
        let start = Stamp::read(start_prop, &name, "start")?;
        let first = start.instant(zone, &name)?;
        let length = length_of(event, &start, &first, zone, &name)?;
        if length <= 0 {
            continue;
        }
        let mut starts: Vec<i64> = Vec::new();
        let is_override = prop(event, "RECURRENCE-ID").is_some();
        match prop(event, "RRULE").filter(|_| !is_override) {
            Some(rule) => {
                starts.extend(expand(
                    rule.val.as_str(),
                    &start,
                    &first,
                    zone,
                    &name,
                    from - length,
                    to,
                )?);
            }
            None => starts.push(first.timestamp().as_millisecond()),
        }
        if !is_override {
            for rdate in props(event, "RDATE") {
                for at in times_of(rdate, zone, &name, "RDATE")? {
                    starts.push(at);
                }
            }
        }
        let mut excluded: HashSet<i64> = HashSet::new();
        for exdate in props(event, "EXDATE") {
            excluded.extend(times_of(exdate, zone, &name, "EXDATE")?);
        }
        if !is_override && let Some(replaced) = overridden.get(&uid(event)) {
            excluded.extend(replaced);
        }
        for s in starts {
            if !excluded.contains(&s) && s < to && s + length > from {
                busy.push(Busy {
                    start: s,
                    end: s + length,
                });
            }
        }
        if busy.len() > MAX_BUSY {
            return Err(IcsError::TooMany(MAX_BUSY));
        }
    }
    Ok(BusyTimes {
        events: events.len(),
        busy: merge_busy(busy),
    })
}

fn prop<'a>(c: &'a Component<'a>, name: &str) -> Option<&'a Property<'a>> {
    c.properties
        .iter()
        .find(|p| p.name.as_str().eq_ignore_ascii_case(name))
}

fn props<'a>(c: &'a Component<'a>, name: &'a str) -> impl Iterator<Item = &'a Property<'a>> {
    c.properties
        .iter()
        .filter(move |p| p.name.as_str().eq_ignore_ascii_case(name))
}

fn param<'a>(p: &'a Property<'a>, name: &str) -> Option<&'a str> {
    p.params
        .iter()
        .find(|q| q.key.as_str().eq_ignore_ascii_case(name))
        .and_then(|q| q.val.as_ref())
        .map(|v| v.as_str().trim_matches('"'))
}

fn uid(c: &Component) -> String {
    prop(c, "UID")
        .map(|p| p.val.as_str().to_string())
        .unwrap_or_default()
}

/// How an event is named in an error: its title, else its UID.
fn name_of(c: &Component) -> String {
    let title = prop(c, "SUMMARY")
        .or_else(|| prop(c, "UID"))
        .map(|p| p.val.as_str().chars().take(60).collect::<String>())
        .unwrap_or_else(|| "without a title".into());
    format!("“{title}”")
}

fn is_free(c: &Component) -> bool {
    let is = |key: &str, value: &str| {
        prop(c, key).is_some_and(|p| p.val.as_str().eq_ignore_ascii_case(value))
    };
    is("STATUS", "CANCELLED") || is("TRANSP", "TRANSPARENT")
}

/// A date or time as a calendar file writes it.
#[derive(Clone, Debug)]
enum Stamp {
    Utc(DateTime),
    Zoned(DateTime, String),
    Floating(DateTime),
    Day(Date),
}

impl Stamp {
    fn read(p: &Property, event: &str, field: &'static str) -> Result<Stamp, IcsError> {
        Self::parse(p.val.as_str().trim(), param(p, "TZID"), event, field)
    }

    fn parse(
        v: &str,
        tzid: Option<&str>,
        event: &str,
        field: &'static str,
    ) -> Result<Stamp, IcsError> {
        let bad = || IcsError::BadTime {
            event: event.to_string(),
            field,
            value: v.chars().take(40).collect(),
        };
        if v.len() == 8 {
            return Date::strptime("%Y%m%d", v)
                .map(Stamp::Day)
                .map_err(|_| bad());
        }
        let (civil, utc) = match v.strip_suffix(['Z', 'z']) {
            Some(rest) => (rest, true),
            None => (v, false),
        };
        let civil = DateTime::strptime("%Y%m%dT%H%M%S", civil).map_err(|_| bad())?;
        Ok(match (utc, tzid) {
            (true, _) => Stamp::Utc(civil),
            (false, Some(zone)) => Stamp::Zoned(civil, zone.to_string()),
            (false, None) => Stamp::Floating(civil),
        })
    }

    /// The zone the stamp is read in.
    fn zone(&self, member: &TimeZone, event: &str) -> Result<TimeZone, IcsError> {
        match self {
            Stamp::Utc(_) => Ok(TimeZone::UTC),
            Stamp::Zoned(_, name) => TimeZone::get(name).map_err(|_| IcsError::UnknownZone {
                event: event.to_string(),
                zone: name.chars().take(60).collect(),
            }),
            Stamp::Floating(_) | Stamp::Day(_) => Ok(member.clone()),
        }
    }

    fn civil(&self) -> DateTime {
        match self {
            Stamp::Utc(c) | Stamp::Zoned(c, _) | Stamp::Floating(c) => *c,
            Stamp::Day(d) => d.to_datetime(jiff::civil::Time::midnight()),
        }
    }

    fn instant(&self, member: &TimeZone, event: &str) -> Result<Zoned, IcsError> {
        let zone = self.zone(member, event)?;
        self.civil().to_zoned(zone).map_err(|_| IcsError::BadTime {
            event: event.to_string(),
            field: "start",
            value: self.civil().to_string(),
        })
    }
}

/// Every instant an `RDATE` or `EXDATE` lists (a comma-separated list, one zone for all).
fn times_of(
    p: &Property,
    zone: &TimeZone,
    event: &str,
    field: &'static str,
) -> Result<Vec<i64>, IcsError> {
    let tzid = param(p, "TZID");
    p.val
        .as_str()
        .split(',')
        .filter(|v| !v.trim().is_empty())
        .map(|v| {
            let stamp = Stamp::parse(v.trim(), tzid, event, field)?;
            Ok(stamp.instant(zone, event)?.timestamp().as_millisecond())
        })
        .collect()
}

/// Milliseconds from the start to `DTEND`, or the `DURATION`, or a day for an all-day event.
fn length_of(
    c: &Component,
    start: &Stamp,
    first: &Zoned,
    zone: &TimeZone,
    event: &str,
) -> Result<i64, IcsError> {
    let begin = first.timestamp().as_millisecond();
    if let Some(end) = prop(c, "DTEND") {
        let end = Stamp::read(end, event, "end")?.instant(zone, event)?;
        return Ok(end.timestamp().as_millisecond() - begin);
    }
    let span = match prop(c, "DURATION") {
        Some(d) => {
            let text = d.val.as_str().trim();
            text.parse::<Span>().map_err(|_| IcsError::BadTime {
                event: event.to_string(),
                field: "duration",
                value: text.chars().take(40).collect(),
            })?
        }
        None if matches!(start, Stamp::Day(_)) => Span::new().days(1),
        None => return Ok(0),
    };
    let end = first.checked_add(span).map_err(|_| IcsError::BadTime {
        event: event.to_string(),
        field: "duration",
        value: span.to_string(),
    })?;
    Ok(end.timestamp().as_millisecond() - begin)
}

/// The starts of a repeating event's occurrences from `from` to `to`, UTC milliseconds.
fn expand(
    rule: &str,
    start: &Stamp,
    first: &Zoned,
    zone: &TimeZone,
    event: &str,
    from: i64,
    to: i64,
) -> Result<Vec<i64>, IcsError> {
    let bad = |reason: String| IcsError::BadRule {
        event: event.to_string(),
        reason,
    };
    let start_zone = start.zone(zone, event)?;
    // The rule is anchored in a named zone so repeats keep their local time across clock
    // changes; a fixed-offset member zone has no name, and no clock changes, so UTC will do.
    let dtstart = match start_zone.iana_name() {
        Some(name) if name != "UTC" => format!(
            "DTSTART;TZID={name}:{}",
            first.datetime().strftime("%Y%m%dT%H%M%S")
        ),
        _ => format!("DTSTART:{}", first.timestamp().strftime("%Y%m%dT%H%M%SZ")),
    };
    // UNTIL must be UTC once the start has a zone (RFC 5545 3.3.10): a date or a floating time
    // is read in the start's zone.
    let mut parts = Vec::new();
    for part in rule.trim().split(';').filter(|p| !p.is_empty()) {
        match part.split_once('=') {
            Some((key, value)) if key.eq_ignore_ascii_case("UNTIL") => {
                let until = Stamp::parse(value.trim(), None, event, "repeat end")?;
                let until = match until {
                    Stamp::Day(d) => d.at(23, 59, 59, 0).to_zoned(start_zone.clone()),
                    Stamp::Utc(c) => c.to_zoned(TimeZone::UTC),
                    other => other.civil().to_zoned(start_zone.clone()),
                }
                .map_err(|e| bad(e.to_string()))?;
                parts.push(format!(
                    "UNTIL={}",
                    until.timestamp().strftime("%Y%m%dT%H%M%SZ")
                ));
            }
            _ => parts.push(part.to_string()),
        }
    }
    let text = format!("{dtstart}\nRRULE:{}", parts.join(";"));
    let set: rrule::RRuleSet = text
        .parse()
        .map_err(|e: rrule::RRuleError| bad(e.to_string()))?;
    let utc = |ms: i64| {
        use chrono::TimeZone as _;
        rrule::Tz::UTC
            .timestamp_millis_opt(ms)
            .single()
            .ok_or_else(|| bad("a date out of range".into()))
    };
    let result = set
        .after(utc(from.max(first.timestamp().as_millisecond()) - 1)?)
        .before(utc(to)?)
        .all(MAX_OCCURRENCES);
    if result.limited && result.dates.len() >= usize::from(MAX_OCCURRENCES) {
        return Err(IcsError::TooMany(usize::from(MAX_OCCURRENCES)));
    }
    Ok(result.dates.iter().map(|d| d.timestamp_millis()).collect())
}
