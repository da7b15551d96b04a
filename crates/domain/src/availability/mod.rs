//! Availability: the hours a member works each week in their own time zone, the days they are
//! off, how many hours a week they take on, and from these (with their calendars' busy times and
//! the hours their contracts already book) the free hours in any span of dates.
//!
//! The pattern is a profile item (`ItemData::Availability`), so it carries audiences like any
//! other item; busy times and bookings are derived, never typed twice.

mod free;
mod ics_in;
mod ics_out;

pub use free::{Booking, WeekFree, average_free_hours, free_time};
pub use ics_in::{BusyTimes, IcsError, busy_from_ics};
pub use ics_out::{FreeBusy, free_busy_feed};

use crate::validation::FieldErrors;
use jiff::civil::{Date, Weekday};
use jiff::tz::{Offset, TimeZone};
use serde::{Deserialize, Serialize};

/// Most blocks of working hours one week may hold.
pub const MAX_BLOCKS: usize = 28;
/// Most spans of days off one availability may list.
pub const MAX_DAYS_OFF: usize = 100;
/// The longest span of days off, in days.
pub const MAX_DAYS_OFF_SPAN: i32 = 366;

/// A day of the week, as written in availability.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Day {
    /// Monday.
    Monday,
    /// Tuesday.
    Tuesday,
    /// Wednesday.
    Wednesday,
    /// Thursday.
    Thursday,
    /// Friday.
    Friday,
    /// Saturday.
    Saturday,
    /// Sunday.
    Sunday,
}

impl Day {
    /// Monday to Sunday.
    pub const ALL: [Day; 7] = [
        Day::Monday,
        Day::Tuesday,
        Day::Wednesday,
        Day::Thursday,
        Day::Friday,
        Day::Saturday,
        Day::Sunday,
    ];

    /// The name as written (`monday`).
    pub fn as_str(self) -> &'static str {
        match self {
            Day::Monday => "monday",
            Day::Tuesday => "tuesday",
            Day::Wednesday => "wednesday",
            Day::Thursday => "thursday",
            Day::Friday => "friday",
            Day::Saturday => "saturday",
            Day::Sunday => "sunday",
        }
    }

    /// Reads a name as written.
    pub fn parse(s: &str) -> Option<Day> {
        Day::ALL.into_iter().find(|d| d.as_str() == s)
    }

    /// 0 for Monday to 6 for Sunday.
    pub fn index(self) -> usize {
        self as usize
    }

    fn of(weekday: Weekday) -> Day {
        Day::ALL[weekday.to_monday_zero_offset() as usize]
    }
}

/// One block of working hours on a day of the week, in the member's time zone.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WorkingHours {
    /// The day of the week.
    pub day: Day,
    /// Start, `HH:MM` (24-hour clock).
    #[schema(example = "09:00")]
    pub start: String,
    /// End, `HH:MM`, later than the start; `24:00` for midnight.
    #[schema(example = "17:00")]
    pub end: String,
}

/// Days the member does not work (holidays, leave), both ends included.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DaysOff {
    /// First day off, `YYYY-MM-DD`.
    #[schema(example = "2026-12-24")]
    pub from: String,
    /// Last day off, `YYYY-MM-DD`, at most a year after the first.
    #[schema(example = "2027-01-01")]
    pub to: String,
    /// Why, in a few words (shown only to whoever sees the item).
    #[serde(default)]
    pub note: String,
}

/// A zone as members write it: an IANA name (`Europe/Lisbon`, `UTC`) or a fixed offset
/// (`UTC+05:30`).
pub fn zone(name: &str) -> Option<TimeZone> {
    if let Some(rest) = name.strip_prefix("UTC")
        && let Some(sign) = rest.chars().next()
        && (sign == '+' || sign == '-')
    {
        let (h, m) = rest[1..].split_once(':')?;
        let (h, m): (i32, i32) = (h.parse().ok()?, m.parse().ok()?);
        if h > 14 || m >= 60 || rest.len() != 6 {
            return None;
        }
        let seconds = (h * 3600 + m * 60) * if sign == '-' { -1 } else { 1 };
        return Some(TimeZone::fixed(Offset::from_seconds(seconds).ok()?));
    }
    if crate::calendar::is_time_zone(name) {
        TimeZone::get(name).ok()
    } else {
        None
    }
}

/// Minutes after midnight of `HH:MM`; `24:00` is 1440.
fn minute_of_day(s: &str) -> Option<u16> {
    let (h, m) = s.split_once(':')?;
    if h.len() != 2 || m.len() != 2 {
        return None;
    }
    let (h, m): (u16, u16) = (h.parse().ok()?, m.parse().ok()?);
    match (h, m) {
        (24, 0) => Some(1440),
        (0..=23, 0..=59) => Some(h * 60 + m),
        _ => None,
    }
}

/// A day written `YYYY-MM-DD`.
pub fn parse_date(s: &str) -> Option<Date> {
    let s = s.trim();
    if s.len() != 10 {
        return None;
    }
    s.parse().ok()
}

/// A member's availability, checked and ready to compute with.
#[derive(Clone, Debug)]
pub struct Schedule {
    /// The zone the pattern is written in.
    pub zone: TimeZone,
    /// Per day of the week (Monday first), working blocks as minutes after midnight, sorted.
    pub blocks: [Vec<(u16, u16)>; 7],
    /// Spans of days off, both ends included.
    pub days_off: Vec<(Date, Date)>,
    /// Most hours a week the member takes on, in minutes.
    pub capacity_minutes: u32,
}

impl Schedule {
    /// Checks an availability as written, reporting every problem under `/data/...`.
    pub fn parse(
        timezone: &str,
        weekly: &[WorkingHours],
        days_off: &[DaysOff],
        hours_per_week: u8,
    ) -> Result<Schedule, FieldErrors> {
        let mut e = FieldErrors::new();
        let zone = zone(timezone.trim()).unwrap_or_else(|| {
            e.add(
                "/data/timezone",
                "must be a time zone from the list, such as Europe/Lisbon, UTC or UTC+05:30",
            );
            TimeZone::UTC
        });
        if weekly.len() > MAX_BLOCKS {
            e.add(
                "/data/weekly",
                format!("must hold at most {MAX_BLOCKS} blocks of hours"),
            );
        }
        let mut blocks: [Vec<(u16, u16)>; 7] = Default::default();
        for (i, block) in weekly.iter().enumerate() {
            let start = minute_of_day(block.start.trim());
            let end = minute_of_day(block.end.trim());
            if start.is_none_or(|s| s == 1440) {
                e.add(
                    format!("/data/weekly/{i}/start"),
                    "must be a time such as 09:00",
                );
            }
            if end.is_none() {
                e.add(
                    format!("/data/weekly/{i}/end"),
                    "must be a time such as 17:00 (24:00 for midnight)",
                );
            }
            if let (Some(s), Some(t)) = (start, end) {
                if t <= s {
                    e.add(
                        format!("/data/weekly/{i}/end"),
                        "must be later than the start",
                    );
                } else {
                    blocks[block.day.index()].push((s, t));
                }
            }
        }
        for (d, day) in blocks.iter_mut().enumerate() {
            day.sort_unstable();
            if day.windows(2).any(|w| w[1].0 < w[0].1) {
                e.add(
                    "/data/weekly",
                    format!("hours on {} overlap", Day::ALL[d].as_str()),
                );
            }
        }
        if days_off.len() > MAX_DAYS_OFF {
            e.add(
                "/data/days_off",
                format!("must list at most {MAX_DAYS_OFF} spans of days"),
            );
        }
        let mut spans = Vec::new();
        for (i, off) in days_off.iter().enumerate() {
            let from = parse_date(&off.from);
            let to = parse_date(&off.to);
            if from.is_none() {
                e.add(
                    format!("/data/days_off/{i}/from"),
                    "must be a date such as 2026-12-24",
                );
            }
            if to.is_none() {
                e.add(
                    format!("/data/days_off/{i}/to"),
                    "must be a date such as 2027-01-01",
                );
            }
            crate::validation::text(
                &mut e,
                &format!("/data/days_off/{i}/note"),
                &off.note,
                0,
                80,
                false,
            );
            if let (Some(from), Some(to)) = (from, to) {
                let days = (to - from).get_days();
                if days < 0 {
                    e.add(
                        format!("/data/days_off/{i}/to"),
                        "must not be before the first day off",
                    );
                } else if days >= MAX_DAYS_OFF_SPAN {
                    e.add(
                        format!("/data/days_off/{i}/to"),
                        "must be within a year of the first day off",
                    );
                } else {
                    spans.push((from, to));
                }
            }
        }
        if hours_per_week > 168 {
            e.add(
                "/data/hours_per_week",
                "must be at most 168, the hours in a week",
            );
        }
        spans.sort_unstable();
        e.into_result(Schedule {
            zone,
            blocks,
            days_off: spans,
            capacity_minutes: u32::from(hours_per_week) * 60,
        })
    }

    /// Whether `day` is a day off.
    pub fn is_day_off(&self, day: Date) -> bool {
        self.days_off
            .iter()
            .any(|(from, to)| *from <= day && day <= *to)
    }

    /// The working blocks of `day` as UTC millisecond spans: local times read in the zone, so
    /// a block crossing a clock change is an hour shorter or longer.
    pub fn working_spans(&self, day: Date) -> Vec<(i64, i64)> {
        if self.is_day_off(day) {
            return Vec::new();
        }
        let at = |minute: u16| -> Option<i64> {
            let local = if minute == 1440 {
                day.tomorrow().ok()?.to_zoned(self.zone.clone()).ok()?
            } else {
                day.at((minute / 60) as i8, (minute % 60) as i8, 0, 0)
                    .to_zoned(self.zone.clone())
                    .ok()?
            };
            Some(local.timestamp().as_millisecond())
        };
        self.blocks[Day::of(day.weekday()).index()]
            .iter()
            .filter_map(|&(s, e)| Some((at(s)?, at(e)?)))
            .filter(|(s, e)| e > s)
            .collect()
    }

    /// Working minutes in a usual week (no days off, no clock change).
    pub fn weekly_minutes(&self) -> u32 {
        self.blocks
            .iter()
            .flatten()
            .map(|&(s, e)| u32::from(e - s))
            .sum()
    }
}

/// A busy span from a calendar, UTC milliseconds, end excluded.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Busy {
    /// Start.
    pub start: i64,
    /// End.
    pub end: i64,
}

/// Sorts busy spans and joins those that touch or overlap.
pub fn merge_busy(mut busy: Vec<Busy>) -> Vec<Busy> {
    busy.retain(|b| b.end > b.start);
    busy.sort_unstable();
    let mut merged: Vec<Busy> = Vec::with_capacity(busy.len());
    for b in busy {
        match merged.last_mut() {
            Some(last) if b.start <= last.end => last.end = last.end.max(b.end),
            _ => merged.push(b),
        }
    }
    merged
}

/// Describes a pattern in one line, such as "Mon–Fri 09:00–17:00, 30 h a week (Europe/Lisbon)".
pub fn describe(timezone: &str, weekly: &[WorkingHours], hours_per_week: u8) -> String {
    let mut by_hours: Vec<(String, Vec<Day>)> = Vec::new();
    for day in Day::ALL {
        let mut hours: Vec<&WorkingHours> = weekly.iter().filter(|w| w.day == day).collect();
        if hours.is_empty() {
            continue;
        }
        hours.sort_by(|a, b| a.start.cmp(&b.start));
        let text = hours
            .iter()
            .map(|w| format!("{}–{}", w.start.trim(), w.end.trim()))
            .collect::<Vec<_>>()
            .join(", ");
        match by_hours.iter_mut().find(|(t, _)| *t == text) {
            Some((_, days)) => days.push(day),
            None => by_hours.push((text, vec![day])),
        }
    }
    let short = |d: Day| {
        let s = d.as_str();
        let mut c = s[..3].to_string();
        c[..1].make_ascii_uppercase();
        c
    };
    let days_text = |days: &[Day]| {
        let consecutive = days.windows(2).all(|w| w[1].index() == w[0].index() + 1);
        if days.len() > 2 && consecutive {
            format!("{}–{}", short(days[0]), short(days[days.len() - 1]))
        } else {
            days.iter()
                .map(|d| short(*d))
                .collect::<Vec<_>>()
                .join(", ")
        }
    };
    let pattern = if by_hours.is_empty() {
        "no working hours set".to_string()
    } else {
        by_hours
            .iter()
            .map(|(hours, days)| format!("{} {hours}", days_text(days)))
            .collect::<Vec<_>>()
            .join("; ")
    };
    format!("{pattern}, up to {hours_per_week} h a week ({timezone})")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hours(day: Day, start: &str, end: &str) -> WorkingHours {
        WorkingHours {
            day,
            start: start.into(),
            end: end.into(),
        }
    }

    #[test]
    fn a_pattern_is_checked_field_by_field() {
        let errors = Schedule::parse(
            "Mars/Base",
            &[
                hours(Day::Monday, "9:00", "17:00"),
                hours(Day::Tuesday, "10:00", "09:00"),
                hours(Day::Wednesday, "09:00", "13:00"),
                hours(Day::Wednesday, "12:00", "18:00"),
            ],
            &[DaysOff {
                from: "2027-01-02".into(),
                to: "2026-12-24".into(),
                note: String::new(),
            }],
            200,
        )
        .unwrap_err();
        let paths: Vec<&str> = errors.0.iter().map(|e| e.path.as_str()).collect();
        assert_eq!(
            paths,
            [
                "/data/timezone",
                "/data/weekly/0/start",
                "/data/weekly/1/end",
                "/data/weekly",
                "/data/days_off/0/to",
                "/data/hours_per_week"
            ]
        );
        assert!(errors.0[3].message.contains("wednesday"));
    }

    #[test]
    fn zones_are_names_or_fixed_offsets() {
        assert!(zone("Europe/Lisbon").is_some());
        assert!(zone("UTC").is_some());
        assert_eq!(
            zone("UTC+05:30").unwrap().to_fixed_offset().unwrap(),
            Offset::from_seconds(19_800).unwrap()
        );
        for bad in ["UTC+15:00", "UTC+5:30", "europe/lisbon", "Etc/GMT+5", ""] {
            assert!(zone(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn a_pattern_reads_in_one_line() {
        let weekly: Vec<WorkingHours> = [Day::Monday, Day::Tuesday, Day::Wednesday, Day::Friday]
            .into_iter()
            .map(|d| hours(d, "09:00", "17:00"))
            .chain([hours(Day::Saturday, "10:00", "12:00")])
            .collect();
        assert_eq!(
            describe("Europe/Lisbon", &weekly, 30),
            "Mon, Tue, Wed, Fri 09:00–17:00; Sat 10:00–12:00, up to 30 h a week (Europe/Lisbon)"
        );
        let weekdays: Vec<WorkingHours> = Day::ALL[..5]
            .iter()
            .map(|d| hours(*d, "09:00", "17:00"))
            .collect();
        assert_eq!(
            describe("UTC", &weekdays, 40),
            "Mon–Fri 09:00–17:00, up to 40 h a week (UTC)"
        );
        assert_eq!(
            describe("UTC", &[], 0),
            "no working hours set, up to 0 h a week (UTC)"
        );
    }
}
