//! Notifications and each member's choice of how to hear of each topic.

use crate::db::KeepPrepared;
use crate::repo::events::EventRow;
use crate::schema::{domain_events, notification_preferences as preferences, notifications};
use crate::{DbConnection, Millis, StoreError};
use diesel::prelude::*;
use guildhall_domain::UserId;
use guildhall_domain::notify::{Delivery, Topic};

/// A notification row.
#[derive(Clone, Debug, Queryable, Selectable)]
#[diesel(table_name = notifications)]
pub struct NotificationRow {
    /// UUIDv7, so the inbox pages by id.
    pub id: String,
    /// Who is told.
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub user_id: UserId,
    /// What it is about.
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub topic: Topic,
    /// The change-feed event it tells of.
    pub event_id: String,
    /// When.
    pub created_at: Millis,
    /// When its reader opened it or marked it read.
    pub read_at: Option<Millis>,
}

/// Adds notifications (on PostgreSQL with one statement).
pub fn insert(conn: &mut DbConnection, rows: &[NotificationRow]) -> Result<(), StoreError> {
    let values: Vec<_> = rows
        .iter()
        .map(|r| {
            (
                notifications::id.eq(r.id.clone()),
                notifications::user_id.eq(r.user_id.to_string()),
                notifications::topic.eq(r.topic.as_str()),
                notifications::event_id.eq(r.event_id.clone()),
                notifications::created_at.eq(r.created_at),
                notifications::read_at.eq(r.read_at),
            )
        })
        .collect();
    crate::db::insert_rows!(conn, notifications::table, values, notifications::id => String);
    Ok(())
}

/// Whether `user` was told of the event `event_id` already.
pub fn told_of(conn: &mut DbConnection, user: UserId, event_id: &str) -> Result<bool, StoreError> {
    let n: i64 = notifications::table
        .filter(notifications::user_id.eq(user.to_string()))
        .filter(notifications::event_id.eq(event_id))
        .count()
        .get_result(conn)?;
    Ok(n > 0)
}

/// How `user` chose to hear of `topic`; `None` when they never chose.
pub fn preference(
    conn: &mut DbConnection,
    user: UserId,
    topic: Topic,
) -> Result<Option<Delivery>, StoreError> {
    let query = preferences::table
        .find((user.to_string(), topic.as_str()))
        .select(preferences::delivery);
    let stored: Option<String> = crate::db::native!(conn, |c| query.get_result(c).optional())?;
    Ok(stored.map(Delivery::try_from).transpose()?)
}

/// Every choice each of `users` made, as (user, topic, how).
pub fn choices_of(
    conn: &mut DbConnection,
    users: &[UserId],
) -> Result<Vec<(UserId, Topic, Delivery)>, StoreError> {
    let users: Vec<String> = users.iter().map(UserId::to_string).collect();
    // One statement per number of users, kept prepared: an event tells one to a few.
    let query = KeepPrepared(
        preferences::table
            .filter(preferences::user_id.eq_any(users))
            .select((
                preferences::user_id,
                preferences::topic,
                preferences::delivery,
            )),
    );
    let rows: Vec<(String, String, String)> = crate::db::native!(conn, |c| query.load(c))?;
    rows.into_iter()
        .map(|(user, topic, delivery)| {
            Ok((
                UserId::try_from(user)?,
                Topic::try_from(topic)?,
                Delivery::try_from(delivery)?,
            ))
        })
        .collect()
}

/// Every choice `user` made.
pub fn preferences_of(
    conn: &mut DbConnection,
    user: UserId,
) -> Result<Vec<(Topic, Delivery)>, StoreError> {
    let rows: Vec<(String, String)> = preferences::table
        .filter(preferences::user_id.eq(user.to_string()))
        .select((preferences::topic, preferences::delivery))
        .load(conn)?;
    rows.into_iter()
        .map(|(topic, delivery)| Ok((Topic::try_from(topic)?, Delivery::try_from(delivery)?)))
        .collect()
}

/// Sets how `user` hears of `topic`; `None` returns it to the default.
pub fn set_preference(
    conn: &mut DbConnection,
    user: UserId,
    topic: Topic,
    delivery: Option<Delivery>,
) -> Result<(), StoreError> {
    diesel::delete(preferences::table.find((user.to_string(), topic.as_str()))).execute(conn)?;
    if let Some(delivery) = delivery {
        diesel::insert_into(preferences::table)
            .values((
                preferences::user_id.eq(user.to_string()),
                preferences::topic.eq(topic.as_str()),
                preferences::delivery.eq(delivery.as_str()),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// At most `limit` of `user`'s notifications older than `before` (all when `None`), newest
/// first, each with the event it tells of.
pub fn inbox(
    conn: &mut DbConnection,
    user: UserId,
    before: Option<&str>,
    limit: i64,
) -> Result<Vec<(NotificationRow, EventRow)>, StoreError> {
    let mut query = notifications::table
        .inner_join(domain_events::table.on(domain_events::id.eq(notifications::event_id)))
        .filter(notifications::user_id.eq(user.to_string()))
        .order(notifications::id.desc())
        .limit(limit)
        .select((NotificationRow::as_select(), EventRow::as_select()))
        .into_boxed();
    if let Some(before) = before {
        query = query.filter(notifications::id.lt(before.to_string()));
    }
    Ok(query.load(conn)?)
}

/// `user`'s unread notifications of these topics, with their events.
pub fn unread_of_topics(
    conn: &mut DbConnection,
    user: UserId,
    topics: &[Topic],
) -> Result<Vec<(NotificationRow, EventRow)>, StoreError> {
    let topics: Vec<&str> = topics.iter().map(|t| t.as_str()).collect();
    Ok(notifications::table
        .inner_join(domain_events::table.on(domain_events::id.eq(notifications::event_id)))
        .filter(notifications::user_id.eq(user.to_string()))
        .filter(notifications::read_at.is_null())
        .filter(notifications::topic.eq_any(topics))
        .select((NotificationRow::as_select(), EventRow::as_select()))
        .load(conn)?)
}

/// One notification.
pub fn by_id(conn: &mut DbConnection, id: &str) -> Result<Option<NotificationRow>, StoreError> {
    Ok(notifications::table
        .find(id)
        .select(NotificationRow::as_select())
        .get_result(conn)
        .optional()?)
}

/// One of `user`'s notifications.
pub fn of_user(
    conn: &mut DbConnection,
    user: UserId,
    id: &str,
) -> Result<Option<NotificationRow>, StoreError> {
    Ok(notifications::table
        .find(id)
        .filter(notifications::user_id.eq(user.to_string()))
        .select(NotificationRow::as_select())
        .get_result(conn)
        .optional()?)
}

/// How many of `user`'s notifications are unread.
pub fn unread_count(conn: &mut DbConnection, user: UserId) -> Result<i64, StoreError> {
    Ok(notifications::table
        .filter(notifications::user_id.eq(user.to_string()))
        .filter(notifications::read_at.is_null())
        .count()
        .get_result(conn)?)
}

/// Marks `user`'s notifications among `ids` read (all of them when `ids` is `None`); returns
/// how many were unread.
pub fn mark_read(
    conn: &mut DbConnection,
    user: UserId,
    ids: Option<&[String]>,
    now: Millis,
) -> Result<usize, StoreError> {
    let unread = notifications::table
        .filter(notifications::user_id.eq(user.to_string()))
        .filter(notifications::read_at.is_null());
    let changed = match ids {
        Some(ids) => diesel::update(unread.filter(notifications::id.eq_any(ids)))
            .set(notifications::read_at.eq(now))
            .execute(conn)?,
        None => diesel::update(unread)
            .set(notifications::read_at.eq(now))
            .execute(conn)?,
    };
    Ok(changed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testdb::{TestDb, account};

    #[test]
    fn the_choices_of_several_users_are_read_together_and_only_theirs() {
        for db in TestDb::all() {
            let mut c = db.pool().get().unwrap();
            let (chose, never, other) = (
                account(&mut c, "chose"),
                account(&mut c, "never"),
                account(&mut c, "other"),
            );
            set_preference(&mut c, chose, Topic::Payments, Some(Delivery::Off)).unwrap();
            set_preference(&mut c, chose, Topic::Offers, Some(Delivery::Email)).unwrap();
            set_preference(&mut c, other, Topic::Payments, Some(Delivery::Digest)).unwrap();
            let mut read = choices_of(&mut c, &[chose, never]).unwrap();
            read.sort_by_key(|(user, topic, _)| (*user, *topic));
            let mut expected = vec![
                (chose, Topic::Payments, Delivery::Off),
                (chose, Topic::Offers, Delivery::Email),
            ];
            expected.sort_by_key(|(user, topic, _)| (*user, *topic));
            assert_eq!(read, expected, "{:?}", db.backend);
            assert!(choices_of(&mut c, &[never]).unwrap().is_empty());
            assert!(choices_of(&mut c, &[]).unwrap().is_empty());
        }
    }
}
