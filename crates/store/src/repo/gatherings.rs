//! Community events and RSVPs.

use crate::schema::{community_events as events, event_rsvps as rsvps};
use crate::{DbConnection, Millis, StoreError};
use diesel::prelude::*;
use guildhall_domain::UserId;
use guildhall_domain::community::RsvpStatus;

/// An event row.
#[derive(Clone, Debug, Queryable, Selectable, Insertable)]
#[diesel(table_name = events)]
pub struct EventRow {
    /// UUIDv7.
    pub id: String,
    /// Community.
    pub community_id: String,
    /// What the event is called (3 to 200 characters).
    pub title: String,
    /// What the event is about, in Markdown as written (sanitised only when shown).
    pub description: String,
    /// Start.
    pub starts_at: Millis,
    /// End.
    pub ends_at: Millis,
    /// IANA zone shown.
    pub timezone: String,
    /// Online link.
    pub online_url: Option<String>,
    /// Where it happens; None for an event that is only online.
    pub place: Option<String>,
    /// Most people going.
    pub capacity: Option<i32>,
    /// Organiser.
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub created_by: UserId,
    /// Creation time.
    pub created_at: Millis,
    /// Last change.
    pub updated_at: Millis,
    /// RFC 5545 sequence.
    pub sequence: i64,
    /// Set when a curator calls the event off; the row stays and calendars show it cancelled.
    pub cancelled: bool,
}

/// Adds an event.
pub fn insert(conn: &mut DbConnection, row: &EventRow) -> Result<(), StoreError> {
    diesel::insert_into(events::table)
        .values(row.clone())
        .execute(conn)?;
    Ok(())
}

/// Replaces an event's details.
pub fn update(conn: &mut DbConnection, row: &EventRow) -> Result<(), StoreError> {
    diesel::update(events::table.find(&row.id))
        .set((
            events::title.eq(&row.title),
            events::description.eq(&row.description),
            events::starts_at.eq(row.starts_at),
            events::ends_at.eq(row.ends_at),
            events::timezone.eq(&row.timezone),
            events::online_url.eq(&row.online_url),
            events::place.eq(&row.place),
            events::capacity.eq(row.capacity),
            events::updated_at.eq(row.updated_at),
            events::sequence.eq(row.sequence),
            events::cancelled.eq(row.cancelled),
        ))
        .execute(conn)?;
    Ok(())
}

/// One event.
pub fn by_id(conn: &mut DbConnection, id: &str) -> Result<Option<EventRow>, StoreError> {
    Ok(events::table
        .find(id)
        .select(EventRow::as_select())
        .get_result(conn)
        .optional()?)
}

/// A community's events ending after `after`, soonest first.
pub fn of_community(
    conn: &mut DbConnection,
    community_id: &str,
    after: Millis,
    limit: i64,
) -> Result<Vec<EventRow>, StoreError> {
    Ok(events::table
        .filter(events::community_id.eq(community_id))
        .filter(events::ends_at.gt(after))
        .order((events::starts_at, events::id))
        .limit(limit)
        .select(EventRow::as_select())
        .load(conn)?)
}

/// A member's answer to an event.
#[derive(Clone, Debug, Queryable)]
pub struct RsvpRow {
    /// Who answered.
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub user_id: UserId,
    /// Going, or waiting for a place.
    #[diesel(deserialize_as = String)]
    pub status: RsvpStatus,
}

/// RSVPs of an event, in the order they came.
pub fn rsvps_of(conn: &mut DbConnection, event_id: &str) -> Result<Vec<RsvpRow>, StoreError> {
    Ok(rsvps::table
        .filter(rsvps::event_id.eq(event_id))
        .order((rsvps::created_at, rsvps::user_id))
        .select((rsvps::user_id, rsvps::status))
        .load(conn)?)
}

/// Adds or replaces a member's RSVP.
pub fn put_rsvp(
    conn: &mut DbConnection,
    event_id: &str,
    user_id: UserId,
    status: RsvpStatus,
    now: Millis,
) -> Result<(), StoreError> {
    diesel::delete(rsvps::table.find((event_id, user_id.to_string()))).execute(conn)?;
    diesel::insert_into(rsvps::table)
        .values((
            rsvps::event_id.eq(event_id),
            rsvps::user_id.eq(user_id.to_string()),
            rsvps::status.eq(status.as_str()),
            rsvps::created_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}

/// Changes an RSVP's status, keeping its place in the queue.
pub fn set_rsvp_status(
    conn: &mut DbConnection,
    event_id: &str,
    user_id: UserId,
    status: RsvpStatus,
) -> Result<(), StoreError> {
    diesel::update(rsvps::table.find((event_id, user_id.to_string())))
        .set(rsvps::status.eq(status.as_str()))
        .execute(conn)?;
    Ok(())
}

/// Removes an RSVP; returns whether there was one.
pub fn delete_rsvp(
    conn: &mut DbConnection,
    event_id: &str,
    user_id: UserId,
) -> Result<bool, StoreError> {
    Ok(diesel::delete(rsvps::table.find((event_id, user_id.to_string()))).execute(conn)? == 1)
}

/// Takes the event's row lock until the transaction ends (a no-op update), so RSVPs to one
/// event are decided one at a time on every backend and capacity is never exceeded.
pub fn lock(conn: &mut DbConnection, id: &str) -> Result<(), StoreError> {
    diesel::update(events::table.find(id))
        .set(events::sequence.eq(events::sequence))
        .execute(conn)?;
    Ok(())
}

/// Events, not cancelled, that `user` is going to and that overlap `from..until`.
pub fn going_between(
    conn: &mut DbConnection,
    user: UserId,
    from: Millis,
    until: Millis,
) -> Result<Vec<EventRow>, StoreError> {
    let going = rsvps::table
        .filter(rsvps::user_id.eq(user.to_string()))
        .filter(rsvps::status.eq(RsvpStatus::Going.as_str()))
        .select(rsvps::event_id);
    Ok(events::table
        .filter(events::id.eq_any(going))
        .filter(events::cancelled.eq(false))
        .filter(events::ends_at.gt(from))
        .filter(events::starts_at.lt(until))
        .order(events::starts_at)
        .select(EventRow::as_select())
        .load(conn)?)
}
