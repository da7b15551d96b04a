//! Free hours per week between two dates: the one answer matching, pages and the digest use.
//!
//! For each week (Monday to Sunday in the member's zone), counting only the days of the span:
//! working minutes are the pattern's blocks on days that are not off; calendar busy times inside
//! them are taken away; the result is capped by the member's weekly capacity; the hours their
//! contracts book that week are taken away last. A week cut by the span's ends counts its
//! capacity and bookings in proportion to its days (3 days of a 20-hour week: 8.6 hours).

use super::{Busy, Schedule};
use jiff::ToSpan;
use jiff::civil::Date;

/// Hours a contract books each week between two days, both included.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Booking {
    /// First day booked.
    pub from: Date,
    /// Last day booked.
    pub to: Date,
    /// Minutes booked each week.
    pub minutes_per_week: u32,
}

/// One week's account of free time.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WeekFree {
    /// The week's Monday.
    pub week_of: Date,
    /// How many of its days lie in the span asked about.
    pub days: u8,
    /// Minutes of working hours on those days, days off excluded.
    pub working_minutes: u32,
    /// Minutes of those working hours that a calendar marks busy.
    pub busy_minutes: u32,
    /// Minutes the member's contracts book those days.
    pub booked_minutes: u32,
    /// What is left: working minus busy, capped by capacity, minus booked; never below 0.
    pub free_minutes: u32,
}

/// The longest span answered, in days; a longer one is cut there.
pub const MAX_SPAN_DAYS: i32 = 731;

/// Free time per week from `from` to `to` (both included). `busy` must be sorted and merged
/// ([`super::merge_busy`]).
pub fn free_time(
    schedule: &Schedule,
    busy: &[Busy],
    bookings: &[Booking],
    from: Date,
    to: Date,
) -> Vec<WeekFree> {
    let mut weeks: Vec<WeekFree> = Vec::new();
    if to < from {
        return weeks;
    }
    let last = to.min(from.checked_add((MAX_SPAN_DAYS - 1).days()).unwrap_or(to));
    let mut day = from;
    loop {
        let monday = monday_of(day);
        if weeks.last().is_none_or(|w| w.week_of != monday) {
            weeks.push(WeekFree {
                week_of: monday,
                days: 0,
                working_minutes: 0,
                busy_minutes: 0,
                booked_minutes: 0,
                free_minutes: 0,
            });
        }
        let week = weeks.last_mut().expect("pushed above");
        week.days += 1;
        for (start, end) in schedule.working_spans(day) {
            week.working_minutes += minutes(end - start);
            week.busy_minutes += minutes(overlap(busy, start, end));
        }
        if day >= last {
            break;
        }
        match day.tomorrow() {
            Ok(next) => day = next,
            Err(_) => break,
        }
    }
    for week in &mut weeks {
        let days = u32::from(week.days);
        let capacity = schedule.capacity_minutes * days / 7;
        let week_end = week.week_of.checked_add(6.days()).unwrap_or(week.week_of);
        let (span_from, span_to) = (from.max(week.week_of), last.min(week_end));
        week.booked_minutes = bookings
            .iter()
            .map(|b| {
                let (a, z) = (b.from.max(span_from), b.to.min(span_to));
                let overlap_days = if z < a {
                    0
                } else {
                    (z - a).get_days() as u32 + 1
                };
                b.minutes_per_week * overlap_days / 7
            })
            .sum();
        let open = week.working_minutes.saturating_sub(week.busy_minutes);
        week.free_minutes = open.min(capacity).saturating_sub(week.booked_minutes);
    }
    weeks
}

/// Free hours per week over the whole span: free minutes per day of the span, times seven.
pub fn average_free_hours(weeks: &[WeekFree]) -> f64 {
    let days: u32 = weeks.iter().map(|w| u32::from(w.days)).sum();
    if days == 0 {
        return 0.0;
    }
    let free: u32 = weeks.iter().map(|w| w.free_minutes).sum();
    f64::from(free) * 7.0 / f64::from(days) / 60.0
}

fn monday_of(day: Date) -> Date {
    let back = i64::from(day.weekday().to_monday_zero_offset());
    day.checked_sub(back.days()).unwrap_or(day)
}

fn minutes(ms: i64) -> u32 {
    u32::try_from(ms.max(0) / 60_000).unwrap_or(u32::MAX)
}

/// How much of `start..end` the sorted, merged `busy` spans cover, in milliseconds.
fn overlap(busy: &[Busy], start: i64, end: i64) -> i64 {
    let first = busy.partition_point(|b| b.end <= start);
    busy[first..]
        .iter()
        .take_while(|b| b.start < end)
        .map(|b| b.end.min(end) - b.start.max(start))
        .sum()
}

#[cfg(test)]
mod tests {
    use super::super::{Day, DaysOff, WorkingHours, merge_busy};
    use super::*;
    use jiff::civil::date;
    use jiff::tz::TimeZone;

    fn schedule(zone: &str, days: &[Day], start: &str, end: &str, hours: u8) -> Schedule {
        let weekly: Vec<WorkingHours> = days
            .iter()
            .map(|&day| WorkingHours {
                day,
                start: start.into(),
                end: end.into(),
            })
            .collect();
        Schedule::parse(zone, &weekly, &[], hours).unwrap()
    }

    fn weekdays(zone: &str, hours: u8) -> Schedule {
        schedule(zone, &Day::ALL[..5], "09:00", "17:00", hours)
    }

    fn at(zone: &str, d: Date, h: i8) -> i64 {
        d.at(h, 0, 0, 0)
            .to_zoned(TimeZone::get(zone).unwrap())
            .unwrap()
            .timestamp()
            .as_millisecond()
    }

    // 2026-12-07 is a Monday.
    const MONDAY: Date = date(2026, 12, 7);
    const SUNDAY: Date = date(2026, 12, 13);

    #[test]
    fn a_full_week_of_the_pattern_is_free() {
        let weeks = free_time(&weekdays("Europe/Lisbon", 40), &[], &[], MONDAY, SUNDAY);
        assert_eq!(weeks.len(), 1);
        assert_eq!(weeks[0].week_of, MONDAY);
        assert_eq!(weeks[0].working_minutes, 40 * 60);
        assert_eq!(weeks[0].free_minutes, 40 * 60);
        assert_eq!(average_free_hours(&weeks), 40.0);
    }

    #[test]
    fn capacity_caps_and_bookings_take_away() {
        let weeks = free_time(
            &weekdays("UTC", 30),
            &[],
            &[Booking {
                from: date(2026, 12, 1),
                to: date(2027, 3, 1),
                minutes_per_week: 10 * 60,
            }],
            MONDAY,
            SUNDAY,
        );
        assert_eq!(weeks[0].booked_minutes, 600);
        assert_eq!(weeks[0].free_minutes, 20 * 60);
        // Booked more than the capacity: nothing is free, never less than nothing.
        let over = free_time(
            &weekdays("UTC", 5),
            &[],
            &[Booking {
                from: MONDAY,
                to: SUNDAY,
                minutes_per_week: 600,
            }],
            MONDAY,
            SUNDAY,
        );
        assert_eq!(over[0].free_minutes, 0);
    }

    #[test]
    fn days_off_and_busy_times_take_working_hours_only() {
        let zone = "America/New_York";
        let mut s = weekdays(zone, 40);
        s.days_off = Schedule::parse(
            zone,
            &[],
            &[DaysOff {
                from: "2026-12-09".into(),
                to: "2026-12-09".into(),
                note: "dentist".into(),
            }],
            0,
        )
        .unwrap()
        .days_off;
        let tuesday = date(2026, 12, 8);
        let busy = merge_busy(vec![
            // 10:00–11:00 and 10:30–12:00 on Tuesday: 2 hours once merged.
            Busy {
                start: at(zone, tuesday, 10),
                end: at(zone, tuesday, 11),
            },
            Busy {
                start: at(zone, tuesday, 10) + 30 * 60_000,
                end: at(zone, tuesday, 12),
            },
            // An evening outside working hours, and the day off itself.
            Busy {
                start: at(zone, tuesday, 19),
                end: at(zone, tuesday, 22),
            },
            Busy {
                start: at(zone, date(2026, 12, 9), 9),
                end: at(zone, date(2026, 12, 9), 17),
            },
        ]);
        assert_eq!(busy.len(), 3);
        let weeks = free_time(&s, &busy, &[], MONDAY, SUNDAY);
        assert_eq!(weeks[0].working_minutes, 32 * 60);
        assert_eq!(weeks[0].busy_minutes, 120);
        assert_eq!(weeks[0].free_minutes, 30 * 60);
    }

    #[test]
    fn clock_changes_lengthen_and_shorten_the_night() {
        // Lisbon moves its clocks at 01:00 UTC on the last Sundays of March and October.
        let s = schedule("Europe/Lisbon", &[Day::Sunday], "00:00", "04:00", 168);
        let spring = free_time(&s, &[], &[], date(2026, 3, 29), date(2026, 3, 29));
        assert_eq!(spring[0].working_minutes, 3 * 60);
        let autumn = free_time(&s, &[], &[], date(2026, 10, 25), date(2026, 10, 25));
        assert_eq!(autumn[0].working_minutes, 5 * 60);
        let usual = free_time(&s, &[], &[], date(2026, 11, 1), date(2026, 11, 1));
        assert_eq!(usual[0].working_minutes, 4 * 60);
    }

    #[test]
    fn a_cut_week_counts_its_share_of_capacity_and_bookings() {
        // Wednesday to Sunday: 3 working days, 5 of 7 days of capacity and of the booking.
        let weeks = free_time(
            &weekdays("UTC", 14),
            &[],
            &[Booking {
                from: MONDAY,
                to: SUNDAY,
                minutes_per_week: 7 * 60,
            }],
            date(2026, 12, 9),
            SUNDAY,
        );
        assert_eq!(weeks[0].days, 5);
        assert_eq!(weeks[0].working_minutes, 24 * 60);
        assert_eq!(weeks[0].booked_minutes, 5 * 60);
        assert_eq!(weeks[0].free_minutes, 10 * 60 - 5 * 60);
        // Two weeks and a day: three weeks reported, Monday first.
        let spread = free_time(&weekdays("UTC", 40), &[], &[], MONDAY, date(2026, 12, 21));
        let mondays: Vec<Date> = spread.iter().map(|w| w.week_of).collect();
        assert_eq!(
            mondays,
            [MONDAY, date(2026, 12, 14), date(2026, 12, 21)],
            "{spread:?}"
        );
        // One day of a 40-hour week: a seventh of the capacity, below its 8 working hours.
        assert_eq!(spread[2].free_minutes, 40 * 60 / 7);
    }

    #[test]
    fn a_span_backwards_is_empty_and_a_long_one_is_cut() {
        assert!(free_time(&weekdays("UTC", 40), &[], &[], SUNDAY, MONDAY).is_empty());
        let long = free_time(&weekdays("UTC", 40), &[], &[], MONDAY, date(2036, 1, 1));
        let days: u32 = long.iter().map(|w| u32::from(w.days)).sum();
        assert_eq!(days, MAX_SPAN_DAYS as u32);
    }
}
