//! Calendars a member imports so their busy times count: a file read once, or an address
//! fetched now and refreshed in the background; either is read whole before anything is
//! stored.

use super::fetch::fetch;
use super::zone_of;
use crate::accounts::Account;
use crate::profiles::load_items;
use crate::{AppError, queue};
use guildhall_domain::FieldErrors;
use guildhall_domain::availability::busy_from_ics;
use guildhall_domain::validation;
use guildhall_store::DbConnection;
use guildhall_store::repo::calendars::{self as repo, CalendarRow};
use guildhall_store::repo::tasks;
use jiff::tz::TimeZone;
use serde::Serialize;
use serde_json::json;

/// Most calendars one member may import.
pub const MAX_CALENDARS: usize = 10;
/// The largest calendar file, in bytes.
pub const MAX_ICS_BYTES: usize = 1 << 20;
/// How far ahead a file is read to check it: a year and a month.
const CHECK_AHEAD_MS: i64 = 400 * 24 * 3600 * 1000;

/// An imported calendar, as its owner sees it listed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct CalendarInfo {
    /// The calendar's id, as in `/me/calendars/{id}`.
    pub id: String,
    /// The member's name for it.
    pub name: String,
    /// The subscribed address; absent for an uploaded file.
    pub url: Option<String>,
    /// How many events the kept copy holds.
    pub events: i32,
    /// When the kept copy was taken, UTC milliseconds.
    pub fetched_at: i64,
    /// Why the last refresh failed, if it did (the kept copy still counts).
    pub last_error: Option<String>,
}

impl From<CalendarRow> for CalendarInfo {
    fn from(row: CalendarRow) -> Self {
        CalendarInfo {
            id: row.id,
            name: row.name,
            url: row.url,
            events: row.events,
            fetched_at: row.fetched_at,
            last_error: row.last_error,
        }
    }
}

/// How often a subscribed calendar is fetched again: three hours.
pub const REFRESH_MS: i64 = 3 * 3600 * 1000;
/// The queue's kind for a calendar refresh.
const REFRESH_TASK: &str = "calendar";
/// Refreshes claimed at a time: each may take up to 20 seconds, well inside the lease.
const REFRESH_BATCH: i64 = 5;

/// Refuses a calendar too large to keep, empty, or holding control characters (which
/// PostgreSQL would refuse in text).
fn check_size_and_text(ics: &str) -> Result<(), &'static str> {
    if ics.len() > MAX_ICS_BYTES {
        Err("must be at most 1 MB; export a shorter span of the calendar")
    } else if ics.trim().is_empty() {
        Err("must not be empty")
    } else if ics
        .chars()
        .any(|c| c.is_control() && !matches!(c, '\r' | '\n' | '\t'))
    {
        Err("must be a text file: it holds control characters")
    } else {
        Ok(())
    }
}

/// How many events a calendar holds, once it is read whole; or what is wrong with it.
fn events_in(ics: &str, zone: &TimeZone, now: i64) -> Result<i32, String> {
    busy_from_ics(ics, zone, now - 24 * 3600 * 1000, now + CHECK_AHEAD_MS)
        .map(|read| i32::try_from(read.events).unwrap_or(i32::MAX))
        .map_err(|e| e.to_string())
}

/// Fetches and reads a subscribed address: its text and number of events, or what went wrong
/// in words that start "the address".
fn read_address(
    address: &str,
    zone: &TimeZone,
    now: i64,
    allow_private: bool,
) -> Result<(String, i32), String> {
    let text = fetch(address, allow_private).map_err(|m| format!("the address {m}"))?;
    check_size_and_text(&text)
        .map_err(|m| format!("the address answered, but its calendar {m}"))?;
    let events =
        events_in(&text, zone, now).map_err(|m| format!("the address answered, but {m}"))?;
    Ok((text, events))
}

/// Stores a new calendar of the caller's, within the limit of how many they keep.
fn add(
    c: &mut DbConnection,
    account: &Account,
    name: &str,
    url: Option<&str>,
    ics: &str,
    events: i32,
    now: i64,
) -> Result<CalendarInfo, AppError> {
    if repo::of_user(c, account.id)?.len() >= MAX_CALENDARS {
        return Err(AppError::conflict(
            None,
            format!("you can keep at most {MAX_CALENDARS} calendars; remove one first"),
        ));
    }
    let row = CalendarRow {
        id: uuid::Uuid::now_v7().to_string(),
        user_id: account.id,
        name: name.to_string(),
        url: url.map(str::to_string),
        ics: ics.to_string(),
        events,
        fetched_at: now,
        last_error: None,
        created_at: now,
    };
    repo::insert(c, &row)?;
    Ok(CalendarInfo::from(row))
}

impl crate::facades::Availability<'_> {
    /// The caller's calendars, oldest first.
    pub fn calendars(&self, account: &Account) -> Result<Vec<CalendarInfo>, AppError> {
        self.read(|c| {
            Ok(repo::of_user(c, account.id)?
                .into_iter()
                .map(CalendarInfo::from)
                .collect())
        })
    }

    /// Imports a calendar file: it is read whole first, and a file that cannot be read is
    /// refused with what is wrong, storing nothing.
    pub fn import_calendar(
        &self,
        account: &Account,
        name: &str,
        ics: &str,
    ) -> Result<CalendarInfo, AppError> {
        let mut e = FieldErrors::new();
        let name = validation::text(&mut e, "/name", name, 1, 80, false);
        if let Err(problem) = check_size_and_text(ics) {
            e.add("/ics", problem);
        }
        if !e.is_empty() {
            return Err(AppError::Validation(e));
        }
        // Read whole before the write begins, as a subscription's copy is: a large file is
        // not parsed while the database's writer waits.
        let zone = self.read(|c| Ok(zone_of(&load_items(c, account.id)?)))?;
        let now = self.now();
        let events = events_in(ics, &zone, now).map_err(|e| AppError::field("/ics", e))?;
        self.write(|c| add(c, account, &name, None, ics, events, now))
    }

    /// Subscribes to a calendar's address: fetched now (a refusal says what went wrong, and
    /// nothing is stored), then again every few hours by the background queue, keeping the
    /// last copy that could be read.
    pub fn subscribe_calendar(
        &self,
        account: &Account,
        name: &str,
        address: &str,
    ) -> Result<CalendarInfo, AppError> {
        let mut e = FieldErrors::new();
        let name = validation::text(&mut e, "/name", name, 1, 80, false);
        let address = validation::web_url(&mut e, "/url", address);
        if !e.is_empty() {
            return Err(AppError::Validation(e));
        }
        let zone = self.read(|c| Ok(zone_of(&load_items(c, account.id)?)))?;
        let now = self.now();
        let private = self.settings.calendar_private_addresses;
        let (text, events) =
            read_address(&address, &zone, now, private).map_err(|m| AppError::field("/url", m))?;
        self.write(|c| {
            let info = add(c, account, &name, Some(&address), &text, events, now)?;
            let task = json!({ "calendar": info.id });
            queue::enqueue(c, now + REFRESH_MS, REFRESH_TASK, &task)?;
            Ok(info)
        })
    }

    /// Fetches again the subscribed calendars that are due, a few at a time: a copy that reads
    /// replaces the kept one, a failure is recorded beside it, and either way the next refresh
    /// is asked for in the same transaction that marks this one done. Returns how many ran.
    pub fn refresh_due_calendars(&self) -> Result<usize, AppError> {
        let now = self.now();
        let lease = now + queue::LEASE_MS;
        let claimed =
            self.write(|c| Ok(tasks::claim(c, REFRESH_TASK, now, lease, REFRESH_BATCH)?))?;
        for task in &claimed {
            let payload: serde_json::Value = serde_json::from_str(&task.payload)
                .map_err(|e| AppError::caused("reading a calendar task", e))?;
            let id = payload["calendar"].as_str().unwrap_or_default().to_string();
            let found = self.read(|c| {
                Ok(match repo::by_id(c, &id)? {
                    Some(row) => {
                        let zone = zone_of(&load_items(c, row.user_id)?);
                        row.url.map(|url| (url, zone))
                    }
                    None => None,
                })
            })?;
            let private = self.settings.calendar_private_addresses;
            let outcome = found.map(|(url, zone)| read_address(&url, &zone, self.now(), private));
            let now = self.now();
            self.write(|c| {
                if let Some(outcome) = &outcome
                    && repo::by_id(c, &id)?.is_some()
                {
                    match outcome {
                        Ok((text, events)) => repo::store_copy(c, &id, text, *events, now)?,
                        Err(problem) => repo::set_error(c, &id, problem)?,
                    }
                    let next = json!({ "calendar": id });
                    queue::enqueue(c, now + REFRESH_MS, REFRESH_TASK, &next)?;
                }
                Ok(tasks::done(c, &task.id, now)?)
            })?;
        }
        Ok(claimed.len())
    }

    /// Removes one of the caller's calendars.
    pub fn remove_calendar(&self, account: &Account, id: &str) -> Result<(), AppError> {
        self.write(|c| {
            if repo::delete(c, account.id, id)? {
                Ok(())
            } else {
                Err(AppError::NotFound)
            }
        })
    }
}
