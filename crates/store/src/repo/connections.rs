//! Connections between members. One row per pair (`pair_key`), `pending` until the addressee
//! accepts; declining or removing deletes the row so either side may ask again later.

use crate::schema::connections;
use crate::{DbConnection, Millis, StoreError};
use diesel::prelude::*;
use guildhall_domain::UserId;
use guildhall_domain::connection::ConnectionStatus;

/// A connection row.
#[derive(Clone, Debug, Queryable, Selectable, Insertable)]
#[diesel(table_name = connections)]
pub struct ConnectionRow {
    /// UUIDv7.
    pub id: String,
    /// Who asked.
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub requester_id: UserId,
    /// Who was asked.
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub addressee_id: UserId,
    /// The two ids sorted and joined.
    pub pair_key: String,
    /// Asked, or accepted by the addressee.
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub status: ConnectionStatus,
    /// Request time.
    pub created_at: Millis,
    /// Last change.
    pub updated_at: Millis,
}

/// The key that makes one row per pair.
pub fn pair_key(a: UserId, b: UserId) -> String {
    if a < b {
        format!("{a}:{b}")
    } else {
        format!("{b}:{a}")
    }
}

/// Adds a request.
pub fn insert(conn: &mut DbConnection, row: &ConnectionRow) -> Result<(), StoreError> {
    diesel::insert_into(connections::table)
        .values(row.clone())
        .execute(conn)?;
    Ok(())
}

/// The row between two members, if any.
pub fn between(
    conn: &mut DbConnection,
    a: UserId,
    b: UserId,
) -> Result<Option<ConnectionRow>, StoreError> {
    Ok(connections::table
        .filter(connections::pair_key.eq(pair_key(a, b)))
        .select(ConnectionRow::as_select())
        .get_result(conn)
        .optional()?)
}

/// One row involving `user_id`.
pub fn involving(
    conn: &mut DbConnection,
    user_id: UserId,
    id: &str,
) -> Result<Option<ConnectionRow>, StoreError> {
    Ok(connections::table
        .find(id)
        .filter(
            connections::requester_id
                .eq(user_id.to_string())
                .or(connections::addressee_id.eq(user_id.to_string())),
        )
        .select(ConnectionRow::as_select())
        .get_result(conn)
        .optional()?)
}

/// Marks a request accepted.
pub fn accept(conn: &mut DbConnection, id: &str, now: Millis) -> Result<(), StoreError> {
    diesel::update(connections::table.find(id))
        .set((
            connections::status.eq(ConnectionStatus::Accepted.as_str()),
            connections::updated_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}

/// Deletes a row.
pub fn delete(conn: &mut DbConnection, id: &str) -> Result<(), StoreError> {
    diesel::delete(connections::table.find(id)).execute(conn)?;
    Ok(())
}

/// A page of rows involving `user_id`, newest first, optionally of one status.
pub fn page(
    conn: &mut DbConnection,
    user_id: UserId,
    status: Option<ConnectionStatus>,
    before: Option<&str>,
    limit: i64,
) -> Result<Vec<ConnectionRow>, StoreError> {
    let mut q = connections::table
        .filter(
            connections::requester_id
                .eq(user_id.to_string())
                .or(connections::addressee_id.eq(user_id.to_string())),
        )
        .select(ConnectionRow::as_select())
        .order(connections::id.desc())
        .limit(limit)
        .into_boxed();
    if let Some(status) = status {
        q = q.filter(connections::status.eq(status.as_str()));
    }
    if let Some(before) = before {
        q = q.filter(connections::id.lt(before.to_string()));
    }
    Ok(q.load(conn)?)
}

/// Ids of everyone `user_id` is connected with.
pub fn accepted_of(conn: &mut DbConnection, user_id: UserId) -> Result<Vec<UserId>, StoreError> {
    let rows: Vec<(String, String)> = connections::table
        .filter(connections::status.eq(ConnectionStatus::Accepted.as_str()))
        .filter(
            connections::requester_id
                .eq(user_id.to_string())
                .or(connections::addressee_id.eq(user_id.to_string())),
        )
        .select((connections::requester_id, connections::addressee_id))
        .load(conn)?;
    let me = user_id.to_string();
    let others = rows.into_iter().map(|(a, b)| if a == me { b } else { a });
    Ok(others.map(UserId::try_from).collect::<Result<_, _>>()?)
}
