//! Two-factor sign-in: each account's authenticator key, its recovery codes, and sign-ins
//! waiting for a code.

use crate::schema::{pending_sign_ins as pending, recovery_codes as codes, second_factors as keys};
use crate::{DbConnection, Millis, StoreError};
use diesel::prelude::*;
use guildhall_domain::UserId;

/// An account's authenticator key: (secret, enabled at, last step).
pub fn key_of(
    conn: &mut DbConnection,
    user: UserId,
) -> Result<Option<(String, Option<Millis>, i64)>, StoreError> {
    Ok(keys::table
        .find(user.to_string())
        .select((keys::secret, keys::enabled_at, keys::last_step))
        .get_result(conn)
        .optional()?)
}

/// Stores a new key, not enabled yet, replacing any earlier one.
pub fn set_key(
    conn: &mut DbConnection,
    user: UserId,
    secret: &str,
    now: Millis,
) -> Result<(), StoreError> {
    remove(conn, user)?;
    diesel::insert_into(keys::table)
        .values((
            keys::user_id.eq(user.to_string()),
            keys::secret.eq(secret),
            keys::created_at.eq(now),
            keys::last_step.eq(0i64),
        ))
        .execute(conn)?;
    Ok(())
}

/// Enables the key.
pub fn enable(conn: &mut DbConnection, user: UserId, now: Millis) -> Result<(), StoreError> {
    diesel::update(keys::table.find(user.to_string()))
        .set(keys::enabled_at.eq(now))
        .execute(conn)?;
    Ok(())
}

/// Records that a code of `step` was used; false when that step (or a later one) was used
/// already, so no code works twice.
pub fn use_step(conn: &mut DbConnection, user: UserId, step: i64) -> Result<bool, StoreError> {
    Ok(diesel::update(
        keys::table
            .find(user.to_string())
            .filter(keys::last_step.lt(step)),
    )
    .set(keys::last_step.eq(step))
    .execute(conn)?
        == 1)
}

/// Removes the key and the recovery codes.
pub fn remove(conn: &mut DbConnection, user: UserId) -> Result<(), StoreError> {
    diesel::delete(keys::table.find(user.to_string())).execute(conn)?;
    diesel::delete(codes::table.filter(codes::user_id.eq(user.to_string()))).execute(conn)?;
    Ok(())
}

/// Replaces the recovery codes (their hashes).
pub fn set_codes(
    conn: &mut DbConnection,
    user: UserId,
    hashes: &[String],
) -> Result<(), StoreError> {
    diesel::delete(codes::table.filter(codes::user_id.eq(user.to_string()))).execute(conn)?;
    for h in hashes {
        diesel::insert_into(codes::table)
            .values((codes::user_id.eq(user.to_string()), codes::code_hash.eq(h)))
            .execute(conn)?;
    }
    Ok(())
}

/// Uses a recovery code; false when it is unknown or used.
pub fn use_code(
    conn: &mut DbConnection,
    user: UserId,
    hash: &str,
    now: Millis,
) -> Result<bool, StoreError> {
    Ok(diesel::update(
        codes::table
            .find((user.to_string(), hash))
            .filter(codes::used_at.is_null()),
    )
    .set(codes::used_at.eq(now))
    .execute(conn)?
        == 1)
}

/// How many recovery codes are left.
pub fn codes_left(conn: &mut DbConnection, user: UserId) -> Result<i64, StoreError> {
    Ok(codes::table
        .filter(codes::user_id.eq(user.to_string()))
        .filter(codes::used_at.is_null())
        .count()
        .get_result(conn)?)
}

/// Records a sign-in waiting for its code.
pub fn add_pending(
    conn: &mut DbConnection,
    hash: &str,
    user: UserId,
    expires_at: Millis,
) -> Result<(), StoreError> {
    diesel::insert_into(pending::table)
        .values((
            pending::token_hash.eq(hash),
            pending::user_id.eq(user.to_string()),
            pending::expires_at.eq(expires_at),
        ))
        .execute(conn)?;
    Ok(())
}

/// The account of a sign-in still waiting for its code.
pub fn pending_user(
    conn: &mut DbConnection,
    hash: &str,
    now: Millis,
) -> Result<Option<UserId>, StoreError> {
    let user: Option<String> = pending::table
        .find(hash)
        .filter(pending::expires_at.gt(now))
        .select(pending::user_id)
        .get_result(conn)
        .optional()?;
    Ok(user.map(UserId::try_from).transpose()?)
}

/// Ends a waiting sign-in, and any that expired.
pub fn end_pending(conn: &mut DbConnection, hash: &str, now: Millis) -> Result<(), StoreError> {
    diesel::delete(
        pending::table.filter(pending::token_hash.eq(hash).or(pending::expires_at.le(now))),
    )
    .execute(conn)?;
    Ok(())
}
