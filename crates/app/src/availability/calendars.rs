//! Calendars a member imports so their busy times count: a file read once, checked whole
//! before anything is stored.

use super::zone_of;
use crate::AppError;
use crate::accounts::Account;
use crate::profiles::load_items;
use guildhall_domain::FieldErrors;
use guildhall_domain::availability::busy_from_ics;
use guildhall_domain::validation;
use guildhall_store::repo::calendars::{self as repo, CalendarRow};
use serde::Serialize;

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
        if ics.len() > MAX_ICS_BYTES {
            e.add(
                "/ics",
                "must be at most 1 MB; export a shorter span of the calendar",
            );
        } else if ics.trim().is_empty() {
            e.add("/ics", "must not be empty");
        } else if ics
            .chars()
            .any(|c| c.is_control() && !matches!(c, '\r' | '\n' | '\t'))
        {
            e.add("/ics", "must be a text file: it holds control characters");
        }
        if !e.is_empty() {
            return Err(AppError::Validation(e));
        }
        let now = self.now();
        self.write(|c| {
            let zone = zone_of(&load_items(c, account.id)?);
            let read = busy_from_ics(ics, &zone, now - 24 * 3600 * 1000, now + CHECK_AHEAD_MS)
                .map_err(|e| AppError::field("/ics", e.to_string()))?;
            if repo::of_user(c, account.id)?.len() >= MAX_CALENDARS {
                return Err(AppError::conflict(
                    None,
                    format!("you can import at most {MAX_CALENDARS} calendars; remove one first"),
                ));
            }
            let row = CalendarRow {
                id: uuid::Uuid::now_v7().to_string(),
                user_id: account.id,
                name: name.clone(),
                url: None,
                ics: ics.to_string(),
                events: i32::try_from(read.events).unwrap_or(i32::MAX),
                fetched_at: now,
                last_error: None,
                created_at: now,
            };
            repo::insert(c, &row)?;
            Ok(CalendarInfo::from(row))
        })
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
