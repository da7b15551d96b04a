//! The private free/busy feed: an address with a secret key the member can replace, serving
//! their busy times, the hours outside their working pattern, and their Guildhall commitments
//! for the next eight weeks.

use super::{availability_of, busy_of, start_of};
use crate::AppError;
use crate::accounts::Account;
use crate::profiles::load_items;
use guildhall_domain::availability::{self as domain, Busy, FreeBusy};
use guildhall_domain::calendar::CalendarEvent;
use guildhall_store::repo::{calendars as repo, gatherings, users};
use jiff::ToSpan;
use jiff::civil::Date;
use jiff::tz::TimeZone;

/// How far ahead the feed reaches, in days.
const FEED_DAYS: i64 = 56;

/// The spans of `from..to` outside `working` (sorted, inside the span).
fn outside(working: &[(i64, i64)], from: i64, to: i64) -> Vec<Busy> {
    let mut gaps = Vec::new();
    let mut cursor = from;
    for &(start, end) in working {
        if start > cursor {
            gaps.push(Busy {
                start: cursor,
                end: start,
            });
        }
        cursor = cursor.max(end);
    }
    if cursor < to {
        gaps.push(Busy {
            start: cursor,
            end: to,
        });
    }
    gaps
}

impl crate::facades::Availability<'_> {
    /// The address of the caller's feed, if they made one.
    pub fn feed_url(&self, account: &Account) -> Result<Option<String>, AppError> {
        let key = self.read(|c| Ok(repo::feed_key(c, account.id)?))?;
        Ok(key.map(|k| self.feed_url_of(&k)))
    }

    /// Makes a new feed address for the caller; the old one stops working.
    pub fn rotate_feed(&self, account: &Account) -> Result<String, AppError> {
        let key = crate::secrets::link_token();
        let now = self.now();
        self.write(|c| Ok(repo::set_feed_key(c, account.id, &key, now)?))?;
        Ok(self.feed_url_of(&key))
    }

    fn feed_url_of(&self, key: &str) -> String {
        format!("{}/api/v1/availability/{key}", crate::mail::link_base(self))
    }

    /// The feed a key opens, as iCalendar text; `NotFound` for an unknown or replaced key.
    pub fn feed(&self, key: &str) -> Result<String, AppError> {
        let now = self.now();
        let base = crate::mail::link_base(self).to_string();
        self.read(|c| {
            let owner = repo::user_of_feed(c, key)?.ok_or(AppError::NotFound)?;
            let handle = users::by_id(c, owner)?.ok_or(AppError::NotFound)?.handle;
            let items = load_items(c, owner)?;
            let schedule = availability_of(&items).map(|(_, s, _)| s);
            let zone = schedule.as_ref().map_or(TimeZone::UTC, |s| s.zone.clone());
            let today: Date = jiff::Timestamp::from_millisecond(now)
                .map(|t| t.to_zoned(zone.clone()).date())
                .map_err(|e| AppError::internal(e.to_string()))?;
            let last = today.checked_add((FEED_DAYS - 1).days()).unwrap_or(today);
            let end_day = last.checked_add(1.day()).unwrap_or(last);
            let (from, to) = (start_of(today, &zone), start_of(end_day, &zone));

            let mut busy = busy_of(c, owner, &zone, from, to)?;
            let mut commitments = Vec::new();
            for e in gatherings::going_between(c, owner, from, to)? {
                busy.push(Busy {
                    start: e.starts_at,
                    end: e.ends_at,
                });
                commitments.push(CalendarEvent {
                    uid: format!("{}@guildhall", e.id),
                    title: e.title,
                    description: String::new(),
                    starts_at: e.starts_at,
                    ends_at: e.ends_at,
                    location: e.place,
                    url: None,
                    updated_at: e.updated_at,
                    sequence: e.sequence,
                    cancelled: false,
                });
            }
            let (first, final_day) = (today.to_string(), last.to_string());
            for (milestone, contract, contract_title, title, due) in
                repo::milestones_due(c, owner, &first, &final_day)?
            {
                let Some(day) = domain::parse_date(&due) else {
                    continue;
                };
                let next = day.checked_add(1.day()).unwrap_or(day);
                commitments.push(CalendarEvent {
                    uid: format!("milestone-{milestone}@guildhall"),
                    title: format!("Due: {title} ({contract_title})"),
                    description: String::new(),
                    starts_at: start_of(day, &zone),
                    ends_at: start_of(next, &zone),
                    location: None,
                    url: Some(format!("{base}/work/contracts/{contract}")),
                    updated_at: now,
                    sequence: 0,
                    cancelled: false,
                });
            }
            let unavailable = match &schedule {
                Some(s) => {
                    let mut working = Vec::new();
                    let mut day = today;
                    while day <= last {
                        working.extend(s.working_spans(day));
                        day = day.checked_add(1.day()).unwrap_or(end_day);
                    }
                    outside(&working, from, to)
                }
                None => Vec::new(),
            };
            Ok(domain::free_busy_feed(
                &format!("@{handle}: availability"),
                &FreeBusy {
                    uid: format!("free-busy-{owner}@guildhall"),
                    from,
                    to,
                    busy: domain::merge_busy(busy),
                    unavailable,
                },
                &commitments,
                now,
            ))
        })
    }
}
