//! Hourly contracts' arithmetic: weeks run Monday to Sunday; a week's escrow is its cap at the
//! rate; the approved minutes are paid at the rate, rounded down to the minor unit, and the
//! rest of the week's escrow goes back to the client. Pure, so it is tested without a database.

use crate::availability::parse_date;
use crate::ledger::MAX_AMOUNT;
use jiff::ToSpan;
use jiff::civil::{Date, Weekday};

/// The most hours a week an hourly contract may pay.
pub const MAX_WEEKLY_HOURS: i32 = 80;
/// The longest single time entry, in minutes (a day).
pub const MAX_ENTRY_MINUTES: i32 = 24 * 60;
/// Days after a week's Sunday its timesheet is due: submitted later, the week is late.
pub const SUBMIT_WITHIN_DAYS: i64 = 3;

/// The UTC date at `now` (milliseconds since the epoch): hourly weeks run on UTC dates.
pub fn today_utc(now: i64) -> Date {
    jiff::Timestamp::from_millisecond(now)
        .map(|t| t.to_zoned(jiff::tz::TimeZone::UTC).date())
        .unwrap_or_default()
}

/// The Monday of the week `day` falls in.
pub fn monday_of(day: Date) -> Date {
    let back = i64::from(day.weekday().to_monday_zero_offset());
    day.checked_sub(back.days()).unwrap_or(day)
}

/// `YYYY-MM-DD` as a Monday, or why not.
pub fn parse_week(raw: &str) -> Result<Date, &'static str> {
    let day = parse_date(raw).ok_or("must be a date, YYYY-MM-DD")?;
    if day.weekday() != Weekday::Monday {
        return Err("must be a Monday: weeks run Monday to Sunday");
    }
    Ok(day)
}

/// The week's Sunday.
pub fn sunday_of(monday: Date) -> Date {
    monday.checked_add(6.days()).unwrap_or(monday)
}

/// The Monday after.
pub fn next_week(monday: Date) -> Date {
    monday.checked_add(7.days()).unwrap_or(monday)
}

/// When the week's timesheet is due: a few days after its Sunday.
pub fn due_on(monday: Date) -> Date {
    sunday_of(monday)
        .checked_add(SUBMIT_WITHIN_DAYS.days())
        .unwrap_or(monday)
}

/// Whether a rate and weekly cap are acceptable: a week's escrow must be a valid amount.
pub fn week_escrow(rate: i64, cap_hours: i32) -> Option<i64> {
    if rate <= 0 || !(1..=MAX_WEEKLY_HOURS).contains(&cap_hours) {
        return None;
    }
    rate.checked_mul(i64::from(cap_hours))
        .filter(|amount| *amount <= MAX_AMOUNT)
}

/// What `minutes` cost at `rate` per hour, rounded down to the minor unit.
pub fn pay_for(minutes: i64, rate: i64) -> i64 {
    (i128::from(minutes.max(0)) * i128::from(rate) / 60) as i64
}

/// Hours typed by a person ("1.5", "0,75", "2") as whole minutes; none for anything else or
/// for more than a day.
pub fn parse_hours(raw: &str) -> Option<i32> {
    let raw = raw.trim().replace(',', ".");
    let (whole, frac) = raw.split_once('.').unwrap_or((&raw, ""));
    if whole.is_empty() && frac.is_empty()
        || whole.len() > 2
        || frac.len() > 2
        || !whole.bytes().all(|b| b.is_ascii_digit())
        || !frac.bytes().all(|b| b.is_ascii_digit())
    {
        return None;
    }
    let whole: i32 = if whole.is_empty() {
        0
    } else {
        whole.parse().ok()?
    };
    let hundredths: i32 = format!("{frac:0<2}").parse().ok()?;
    let minutes = whole * 60 + (hundredths * 60 + 50) / 100;
    (1..=MAX_ENTRY_MINUTES)
        .contains(&minutes)
        .then_some(minutes)
}

/// Minutes written as hours for people: `90` → `1.5`, `45` → `0.75`.
pub fn hours_text(minutes: i64) -> String {
    let text = format!("{:.2}", minutes as f64 / 60.0);
    text.trim_end_matches('0').trim_end_matches('.').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        s.parse().unwrap()
    }

    #[test]
    fn weeks_run_monday_to_sunday() {
        assert_eq!(monday_of(d("2026-12-06")), d("2026-11-30"));
        assert_eq!(monday_of(d("2026-11-30")), d("2026-11-30"));
        assert_eq!(parse_week("2026-11-30"), Ok(d("2026-11-30")));
        assert!(parse_week("2026-12-01").is_err());
        assert!(parse_week("next week").is_err());
        assert_eq!(sunday_of(d("2026-11-30")), d("2026-12-06"));
        assert_eq!(next_week(d("2026-11-30")), d("2026-12-07"));
        // 2026-12-06T23:59:59Z is still Sunday in UTC.
        assert_eq!(today_utc(1_796_601_599_000), d("2026-12-06"));
        assert_eq!(due_on(d("2026-11-30")), d("2026-12-09"));
    }

    #[test]
    fn hours_are_paid_at_the_rate_rounded_down() {
        assert_eq!(week_escrow(4_500, 20), Some(90_000));
        assert_eq!(week_escrow(4_500, 81), None);
        assert_eq!(week_escrow(0, 10), None);
        assert_eq!(week_escrow(MAX_AMOUNT, 2), None);
        assert_eq!(pay_for(90, 4_500), 6_750);
        // 7 minutes at 1.00 an hour is 11.67 cents: 11.
        assert_eq!(pay_for(7, 100), 11);
    }

    #[test]
    fn hours_are_read_as_people_write_them() {
        assert_eq!(parse_hours("1.5"), Some(90));
        assert_eq!(parse_hours("0,75"), Some(45));
        assert_eq!(parse_hours(" 8 "), Some(480));
        assert_eq!(parse_hours(".5"), Some(30));
        assert_eq!(parse_hours("24"), Some(1440));
        for bad in ["", "0", "25", "-1", "1.234", "two", "1e2", "."] {
            assert_eq!(parse_hours(bad), None, "{bad}");
        }
        assert_eq!(hours_text(90), "1.5");
        assert_eq!(hours_text(480), "8");
        assert_eq!(hours_text(45), "0.75");
    }
}
