//! Browser sessions. Only a hash of the session id is stored, so a leaked database does not
//! hand out live sessions.

use crate::schema::sessions;
use crate::{DbConnection, Millis, StoreError};
use diesel::prelude::*;
use guildhall_domain::UserId;

/// Records a new session.
pub fn insert(
    conn: &mut DbConnection,
    id_hash: &str,
    user_id: UserId,
    now: Millis,
    expires_at: Millis,
    device: &str,
) -> Result<(), StoreError> {
    diesel::insert_into(sessions::table)
        .values((
            sessions::id_hash.eq(id_hash),
            sessions::user_id.eq(user_id.to_string()),
            sessions::created_at.eq(now),
            sessions::expires_at.eq(expires_at),
            sessions::device.eq(device),
        ))
        .execute(conn)?;
    Ok(())
}

/// The user of a live session.
pub fn user_of(
    conn: &mut DbConnection,
    id_hash: &str,
    now: Millis,
) -> Result<Option<UserId>, StoreError> {
    let user: Option<String> = sessions::table
        .find(id_hash)
        .filter(sessions::expires_at.gt(now))
        .select(sessions::user_id)
        .get_result(conn)
        .optional()?;
    Ok(user.map(UserId::try_from).transpose()?)
}

/// Ends one session.
pub fn delete(conn: &mut DbConnection, id_hash: &str) -> Result<usize, StoreError> {
    Ok(diesel::delete(sessions::table.find(id_hash)).execute(conn)?)
}

/// Ends every session of a user except `keep` (after a password change).
pub fn delete_others(
    conn: &mut DbConnection,
    user_id: UserId,
    keep: Option<&str>,
) -> Result<usize, StoreError> {
    let q = sessions::table.filter(sessions::user_id.eq(user_id.to_string()));
    Ok(match keep {
        Some(keep) => diesel::delete(q.filter(sessions::id_hash.ne(keep))).execute(conn)?,
        None => diesel::delete(q).execute(conn)?,
    })
}

/// A user's live sessions, newest first: (id hash, started, expires, device).
pub fn of_user(
    conn: &mut DbConnection,
    user_id: UserId,
    now: Millis,
) -> Result<Vec<(String, Millis, Millis, String)>, StoreError> {
    Ok(sessions::table
        .filter(sessions::user_id.eq(user_id.to_string()))
        .filter(sessions::expires_at.gt(now))
        .order(sessions::created_at.desc())
        .select((
            sessions::id_hash,
            sessions::created_at,
            sessions::expires_at,
            sessions::device,
        ))
        .load(conn)?)
}

/// Drops expired sessions.
pub fn purge_expired(conn: &mut DbConnection, now: Millis) -> Result<usize, StoreError> {
    Ok(diesel::delete(sessions::table.filter(sessions::expires_at.le(now))).execute(conn)?)
}
