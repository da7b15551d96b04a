//! A member's private free/busy feed: one `VFREEBUSY` (RFC 5545 3.6.4) listing busy times
//! and the hours outside their working pattern, and their Guildhall commitments (milestones
//! due, events they attend) as `VEVENT`s. It names no calendar entry of theirs: imported
//! calendars give only busy spans.

use super::Busy;
use crate::calendar::{CalendarEvent, calendar_of, stamp};

/// The free/busy part of a feed.
#[derive(Clone, Debug)]
pub struct FreeBusy {
    /// A stable id for the `VFREEBUSY` (the same on every refresh).
    pub uid: String,
    /// Start of the span covered, UTC milliseconds.
    pub from: i64,
    /// End of the span covered.
    pub to: i64,
    /// Busy spans (calendars, events attended), sorted and merged.
    pub busy: Vec<Busy>,
    /// Spans outside working hours or on days off, sorted.
    pub unavailable: Vec<Busy>,
}

/// The feed, named `name`, as iCalendar text. `now` is the DTSTAMP.
pub fn free_busy_feed(
    name: &str,
    free_busy: &FreeBusy,
    commitments: &[CalendarEvent],
    now: i64,
) -> String {
    let text = calendar_of("Availability", name, commitments, now).to_string();
    let mut block = String::new();
    let mut line = |l: String| {
        block.push_str(&l);
        block.push_str("\r\n");
    };
    line("BEGIN:VFREEBUSY".into());
    line(format!("UID:{}", free_busy.uid));
    line(format!("DTSTAMP:{}", stamp(now)));
    line(format!("DTSTART:{}", stamp(free_busy.from)));
    line(format!("DTEND:{}", stamp(free_busy.to)));
    for (kind, spans) in [
        ("BUSY", &free_busy.busy),
        ("BUSY-UNAVAILABLE", &free_busy.unavailable),
    ] {
        for span in spans {
            let (start, end) = (span.start.max(free_busy.from), span.end.min(free_busy.to));
            if end > start {
                // 67 octets at most: no folding needed.
                line(format!(
                    "FREEBUSY;FBTYPE={kind}:{}/{}",
                    stamp(start),
                    stamp(end)
                ));
            }
        }
    }
    line("END:VFREEBUSY".into());
    match text.rfind("END:VCALENDAR") {
        Some(at) => format!("{}{block}{}", &text[..at], &text[at..]),
        None => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_feed_lists_busy_and_unavailable_times_and_commitments() {
        let hour = 3_600_000;
        let from = 1_800_000_000_000;
        let feed = free_busy_feed(
            "Ana’s availability",
            &FreeBusy {
                uid: "ana-free-busy@guildhall.example".into(),
                from,
                to: from + 48 * hour,
                busy: vec![Busy {
                    start: from - hour,
                    end: from + hour,
                }],
                unavailable: vec![Busy {
                    start: from + 10 * hour,
                    end: from + 24 * hour,
                }],
            },
            &[CalendarEvent {
                uid: "milestone-1@guildhall.example".into(),
                title: "Due: schema review".into(),
                description: String::new(),
                starts_at: from + 30 * hour,
                ends_at: from + 31 * hour,
                location: None,
                url: None,
                updated_at: from,
                sequence: 0,
                cancelled: false,
            }],
            from,
        );
        assert!(
            feed.ends_with("END:VFREEBUSY\r\nEND:VCALENDAR\r\n"),
            "{feed}"
        );
        for line in [
            "PRODID:-//Guildhall//Availability//EN",
            "BEGIN:VFREEBUSY",
            "UID:ana-free-busy@guildhall.example",
            // Cut at the feed's start.
            "FREEBUSY;FBTYPE=BUSY:20270115T080000Z/20270115T090000Z",
            "FREEBUSY;FBTYPE=BUSY-UNAVAILABLE:20270115T180000Z/20270116T080000Z",
            "SUMMARY:Due: schema review",
        ] {
            assert!(feed.contains(line), "missing {line}: {feed}");
        }
        assert!(feed.lines().all(|l| l.len() <= 75), "{feed}");
    }
}
