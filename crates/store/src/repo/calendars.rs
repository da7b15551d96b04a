//! Calendars members import for their availability, and the keys of their free/busy feeds.

use crate::schema::{availability_feeds as feeds, calendars};
use crate::{DbConnection, Millis, StoreError};
use diesel::prelude::*;
use guildhall_domain::UserId;

/// One imported calendar.
#[derive(Clone, Debug, Queryable, Selectable, Insertable)]
#[diesel(table_name = calendars)]
pub struct CalendarRow {
    /// The calendar's id (UUIDv7).
    pub id: String,
    /// Whose it is.
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub user_id: UserId,
    /// The member's name for it.
    pub name: String,
    /// The subscribed address; `None` for an uploaded file.
    pub url: Option<String>,
    /// The last copy that could be read.
    pub ics: String,
    /// How many events that copy holds.
    pub events: i32,
    /// When that copy was taken.
    pub fetched_at: Millis,
    /// Why the last refresh failed, if it did.
    pub last_error: Option<String>,
    /// When it was added.
    pub created_at: Millis,
}

/// A member's calendars, oldest first.
pub fn of_user(conn: &mut DbConnection, user: UserId) -> Result<Vec<CalendarRow>, StoreError> {
    Ok(calendars::table
        .filter(calendars::user_id.eq(user.to_string()))
        .order(calendars::id.asc())
        .select(CalendarRow::as_select())
        .load(conn)?)
}

/// One calendar, by id.
pub fn by_id(conn: &mut DbConnection, id: &str) -> Result<Option<CalendarRow>, StoreError> {
    Ok(calendars::table
        .find(id)
        .select(CalendarRow::as_select())
        .get_result(conn)
        .optional()?)
}

/// Adds a calendar.
pub fn insert(conn: &mut DbConnection, row: &CalendarRow) -> Result<(), StoreError> {
    diesel::insert_into(calendars::table)
        .values(row.clone())
        .execute(conn)?;
    Ok(())
}

/// Keeps a new good copy and clears any error.
pub fn store_copy(
    conn: &mut DbConnection,
    id: &str,
    ics: &str,
    events: i32,
    now: Millis,
) -> Result<(), StoreError> {
    diesel::update(calendars::table.find(id))
        .set((
            calendars::ics.eq(ics),
            calendars::events.eq(events),
            calendars::fetched_at.eq(now),
            calendars::last_error.eq(None::<String>),
        ))
        .execute(conn)?;
    Ok(())
}

/// Records why a refresh failed, keeping the last good copy.
pub fn set_error(conn: &mut DbConnection, id: &str, error: &str) -> Result<(), StoreError> {
    diesel::update(calendars::table.find(id))
        .set(calendars::last_error.eq(error))
        .execute(conn)?;
    Ok(())
}

/// Removes a member's calendar; false when they have none of that id.
pub fn delete(conn: &mut DbConnection, user: UserId, id: &str) -> Result<bool, StoreError> {
    Ok(diesel::delete(
        calendars::table
            .find(id)
            .filter(calendars::user_id.eq(user.to_string())),
    )
    .execute(conn)?
        == 1)
}

/// The key of a member's free/busy feed, if they made one.
pub fn feed_key(conn: &mut DbConnection, user: UserId) -> Result<Option<String>, StoreError> {
    Ok(feeds::table
        .find(user.to_string())
        .select(feeds::feed_key)
        .get_result(conn)
        .optional()?)
}

/// Sets a member's feed key, replacing the old one (whose address stops working).
pub fn set_feed_key(
    conn: &mut DbConnection,
    user: UserId,
    key: &str,
    now: Millis,
) -> Result<(), StoreError> {
    diesel::delete(feeds::table.find(user.to_string())).execute(conn)?;
    diesel::insert_into(feeds::table)
        .values((
            feeds::user_id.eq(user.to_string()),
            feeds::feed_key.eq(key),
            feeds::created_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}

/// Whose feed a key opens.
pub fn user_of_feed(conn: &mut DbConnection, key: &str) -> Result<Option<UserId>, StoreError> {
    let id: Option<String> = feeds::table
        .filter(feeds::feed_key.eq(key))
        .select(feeds::user_id)
        .get_result(conn)
        .optional()?;
    id.map(|id| {
        id.parse()
            .map_err(|_| StoreError::Corrupt(format!("feed owner {id}")))
    })
    .transpose()
}

/// A milestone due: (milestone id, contract id, contract title, milestone title, due on).
pub type DueMilestone = (String, String, String, String, String);

/// Milestones `user` is to deliver (funded or sent back), due from `from` to `until`
/// (`YYYY-MM-DD`, both included).
pub fn milestones_due(
    conn: &mut DbConnection,
    user: UserId,
    from: &str,
    until: &str,
) -> Result<Vec<DueMilestone>, StoreError> {
    use crate::schema::{contracts, milestones};
    Ok(milestones::table
        .inner_join(contracts::table.on(contracts::id.eq(milestones::contract_id)))
        // The member's milestones, and a learner's own in a pair.
        .filter(
            contracts::member_id
                .eq(user.to_string())
                .and(milestones::by_learner.eq(false))
                .or(contracts::learner_id
                    .eq(user.to_string())
                    .and(milestones::by_learner.eq(true))),
        )
        .filter(milestones::status.eq_any(["funded", "changes_requested"]))
        .filter(milestones::due_on.ge(from))
        .filter(milestones::due_on.le(until))
        .order(milestones::due_on)
        .select((
            milestones::id,
            contracts::id,
            contracts::title,
            milestones::title,
            milestones::due_on,
        ))
        .load(conn)?)
}

/// Hours a week booked by a member's running contracts (active or disputed) whose job says how
/// many hours a week it takes: (hours a week, job's first day, job's last day).
pub fn bookings(
    conn: &mut DbConnection,
    user: UserId,
) -> Result<Vec<(i32, String, String)>, StoreError> {
    use crate::schema::{contracts, hourly_terms, jobs};
    // An hourly contract books the weeks its client funded (`hourly::booked_weeks`), not its
    // job's dates.
    let hourly: Vec<String> = hourly_terms::table
        .select(hourly_terms::contract_id)
        .load(conn)?;
    let rows: Vec<(Option<i32>, String, String)> = contracts::table
        .inner_join(jobs::table.on(contracts::job_id.eq(jobs::id.nullable())))
        .filter(
            contracts::member_id
                .eq(user.to_string())
                .or(contracts::learner_id.eq(user.to_string())),
        )
        .filter(contracts::id.ne_all(hourly))
        .filter(contracts::status.eq_any(["active", "disputed"]))
        .filter(jobs::hours_per_week.is_not_null())
        .select((jobs::hours_per_week, jobs::starts_on, jobs::ends_on))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .filter_map(|(hours, from, to)| hours.map(|h| (h, from, to)))
        .collect())
}
