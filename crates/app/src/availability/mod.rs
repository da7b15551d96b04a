//! Availability: a member's working pattern (a profile item, so it has audiences), the
//! calendars they import for busy times, their private free/busy feed, and free hours as a
//! viewer may see them. Free hours come from one domain function,
//! `guildhall_domain::availability::free_time`.

mod calendars;
mod feed;
mod fetch;

pub use calendars::{CalendarInfo, MAX_CALENDARS, MAX_ICS_BYTES, REFRESH_MS};

use crate::AppError;
use crate::accounts::Account;
use crate::profiles::{ItemInput, OwnItem, load_items, relation};
use guildhall_domain::availability::{self as domain, Booking, Busy, Schedule, WeekFree};
use guildhall_domain::profile::{ItemData, ProfileItem};
use guildhall_domain::{FieldErrors, UserId, visible_items};
use guildhall_store::DbConnection;
use guildhall_store::repo::{calendars as repo, users};
use jiff::ToSpan;
use jiff::civil::Date;
use jiff::tz::TimeZone;
use serde::Serialize;

/// The longest span free hours are asked for, in days.
pub const MAX_SPAN_DAYS: i32 = 366;

/// Free hours in one week of a span.
#[derive(Clone, Debug, PartialEq, Serialize, utoipa::ToSchema)]
pub struct WeekHours {
    /// The week's Monday, `YYYY-MM-DD`, in the member's zone.
    pub week_of: String,
    /// How many of its days lie in the span (1 to 7).
    pub days: u8,
    /// Free hours, to a tenth.
    pub free_hours: f64,
    /// Working hours those days, days off excluded; shown to the member alone.
    pub working_hours: Option<f64>,
    /// Working hours their calendars mark busy; shown to the member alone.
    pub busy_hours: Option<f64>,
    /// Hours their contracts book; shown to the member alone.
    pub booked_hours: Option<f64>,
}

/// A member's free hours between two dates, as one viewer may see them.
#[derive(Clone, Debug, PartialEq, Serialize, utoipa::ToSchema)]
pub struct FreeTime {
    /// Whose.
    pub handle: String,
    /// The zone their weeks are counted in.
    pub timezone: String,
    /// First day, `YYYY-MM-DD`.
    pub from: String,
    /// Last day, `YYYY-MM-DD`.
    pub to: String,
    /// Free hours per week over the whole span, to a tenth.
    pub average_free_hours: f64,
    /// Week by week.
    pub weeks: Vec<WeekHours>,
}

fn hours(minutes: u32) -> f64 {
    (f64::from(minutes) / 6.0).round() / 10.0
}

fn week_hours(w: &WeekFree, owner: bool) -> WeekHours {
    let detail = |m: u32| owner.then(|| hours(m));
    WeekHours {
        week_of: w.week_of.to_string(),
        days: w.days,
        free_hours: hours(w.free_minutes),
        working_hours: detail(w.working_minutes),
        busy_hours: detail(w.busy_minutes),
        booked_hours: detail(w.booked_minutes),
    }
}

/// The availability item among `items`, with its schedule.
pub(crate) fn availability_of(items: &[ProfileItem]) -> Option<(&ProfileItem, Schedule, &str)> {
    items.iter().find_map(|item| match &item.data {
        ItemData::Availability {
            timezone,
            weekly,
            days_off,
            hours_per_week,
        } => Schedule::parse(timezone, weekly, days_off, *hours_per_week)
            .ok()
            .map(|s| (item, s, timezone.as_str())),
        _ => None,
    })
}

/// The zone a member's calendars are read in: their availability's, else UTC.
pub(crate) fn zone_of(items: &[ProfileItem]) -> TimeZone {
    availability_of(items).map_or(TimeZone::UTC, |(_, s, _)| s.zone)
}

/// A member's calendar busy times from `from` to `to` (UTC milliseconds), merged. A stored
/// copy was readable when stored, so one that no longer is is skipped, not fatal.
pub(crate) fn busy_of(
    c: &mut DbConnection,
    owner: UserId,
    zone: &TimeZone,
    from: i64,
    to: i64,
) -> Result<Vec<Busy>, AppError> {
    let mut busy = Vec::new();
    for row in repo::of_user(c, owner)? {
        match domain::busy_from_ics(&row.ics, zone, from, to) {
            Ok(read) => busy.extend(read.busy),
            Err(e) => {
                tracing::warn!(calendar = %row.id, error = %e, "a stored calendar no longer reads")
            }
        }
    }
    Ok(domain::merge_busy(busy))
}

/// The hours a member's running contracts book: each fixed contract's job, from its first to
/// its last day, at the hours a week it asked for; each hourly contract's funded weeks, at
/// its weekly cap.
pub(crate) fn bookings_of(c: &mut DbConnection, owner: UserId) -> Result<Vec<Booking>, AppError> {
    let mut bookings: Vec<Booking> = repo::bookings(c, owner)?
        .into_iter()
        .filter_map(|(hours, from, to)| {
            Some(Booking {
                from: domain::parse_date(&from)?,
                to: domain::parse_date(&to)?,
                minutes_per_week: u32::try_from(hours).ok()? * 60,
            })
        })
        .collect();
    for (week_of, cap) in guildhall_store::repo::hourly::booked_weeks(c, owner)? {
        if let (Some(monday), Ok(cap)) = (domain::parse_date(&week_of), u32::try_from(cap)) {
            bookings.push(Booking {
                from: monday,
                to: guildhall_domain::hourly::sunday_of(monday),
                minutes_per_week: cap * 60,
            });
        }
    }
    Ok(bookings)
}

/// A member's free time week by week from `from` to `to`: their schedule, less their
/// calendars' busy times and their contracts' bookings.
pub(crate) fn weeks_of(
    c: &mut DbConnection,
    owner: UserId,
    schedule: &Schedule,
    from: Date,
    to: Date,
) -> Result<Vec<WeekFree>, AppError> {
    let end = to.checked_add(1.day()).unwrap_or(to);
    let zone = &schedule.zone;
    let busy = busy_of(c, owner, zone, start_of(from, zone), start_of(end, zone))?;
    let bookings = bookings_of(c, owner)?;
    Ok(domain::free_time(schedule, &busy, &bookings, from, to))
}

/// Midnight starting `day` in `zone`, UTC milliseconds.
pub(crate) fn start_of(day: Date, zone: &TimeZone) -> i64 {
    day.to_zoned(zone.clone())
        .map(|z| z.timestamp().as_millisecond())
        .unwrap_or(0)
}

/// Reads the span's two dates, reporting each problem by field.
fn span(from: &str, to: &str) -> Result<(Date, Date), AppError> {
    let mut e = FieldErrors::new();
    let from_day = domain::parse_date(from);
    let to_day = domain::parse_date(to);
    if from_day.is_none() {
        e.add("/from", "must be a date such as 2026-12-07");
    }
    if to_day.is_none() {
        e.add("/to", "must be a date such as 2027-01-31");
    }
    if let (Some(a), Some(z)) = (from_day, to_day) {
        let days = (z - a).get_days();
        if days < 0 {
            e.add("/to", "must not be before the first day");
        } else if days >= MAX_SPAN_DAYS {
            e.add("/to", "must be within a year of the first day");
        }
        if e.is_empty() {
            return Ok((a, z));
        }
    }
    Err(AppError::Validation(e))
}

impl crate::facades::Availability<'_> {
    /// The caller's availability item, if they set one.
    pub fn mine(&self, account: &Account) -> Result<Option<OwnItem>, AppError> {
        let items = self.profiles().my_items(account)?;
        Ok(items
            .iter()
            .find(|i| matches!(i.data, ItemData::Availability { .. }))
            .map(OwnItem::from))
    }

    /// Sets the caller's availability: adds the item, or replaces the one they have.
    pub fn set(&self, account: &Account, input: ItemInput) -> Result<OwnItem, AppError> {
        if !matches!(input.data, ItemData::Availability { .. }) {
            return Err(AppError::field("/data/kind", "must be availability"));
        }
        match self.mine(account)? {
            Some(item) => self.profiles().update_item(account, &item.id, input, None),
            None => self.profiles().add_item(account, input),
        }
    }

    /// The caller's own free hours for the four weeks from today (in their zone); `None`
    /// until they set their availability.
    pub fn next_weeks(&self, account: &Account) -> Result<Option<FreeTime>, AppError> {
        let items = self.profiles().my_items(account)?;
        let zone = zone_of(&items);
        let today = jiff::Timestamp::from_millisecond(self.now())
            .map(|t| t.to_zoned(zone).date())
            .map_err(|e| AppError::internal(e.to_string()))?;
        let last = today.checked_add(27.days()).unwrap_or(today);
        match self.free_time(
            Some(account),
            account.handle.as_str(),
            &today.to_string(),
            &last.to_string(),
        ) {
            Ok(free) => Ok(Some(free)),
            Err(AppError::NotFound) => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// The free hours of `handle` from `from` to `to` (`YYYY-MM-DD`, both included), as
    /// `viewer` may see them: `NotFound` when there is no such member or their availability is
    /// not shown to the viewer. Others see free hours only, never what makes them.
    pub fn free_time(
        &self,
        viewer: Option<&Account>,
        handle: &str,
        from: &str,
        to: &str,
    ) -> Result<FreeTime, AppError> {
        let (from, to) = span(from, to)?;
        self.read(|c| {
            let key = guildhall_domain::account::Handle::lookup_key(handle);
            let owner = users::by_handle(c, &key)?.ok_or(AppError::NotFound)?;
            let seen_by = relation(c, viewer.map(|v| v.id), owner.id)?;
            let items = load_items(c, owner.id)?;
            let shown: Vec<ProfileItem> = visible_items(&items, &seen_by)
                .into_iter()
                .cloned()
                .collect();
            let (_, schedule, timezone) = availability_of(&shown).ok_or(AppError::NotFound)?;
            let weeks = weeks_of(c, owner.id, &schedule, from, to)?;
            let is_owner = viewer.is_some_and(|v| v.id == owner.id);
            Ok(FreeTime {
                handle: owner.handle.clone(),
                timezone: timezone.to_string(),
                from: from.to_string(),
                to: to.to_string(),
                average_free_hours: (domain::average_free_hours(&weeks) * 10.0).round() / 10.0,
                weeks: weeks.iter().map(|w| week_hours(w, is_owner)).collect(),
            })
        })
    }
}
