//! Failed sign-in records and trusted devices, the inputs of sign-in throttling. Kept in the
//! database so every node behind a load balancer sees the same counts.

use crate::schema::{sign_in_failures, trusted_devices};
use crate::{DbConnection, Millis, StoreError};
use diesel::prelude::*;
use guildhall_domain::UserId;

/// Records one failed attempt.
pub fn record_failure(
    conn: &mut DbConnection,
    id: &str,
    account_key: &str,
    address: &str,
    now: Millis,
) -> Result<(), StoreError> {
    diesel::insert_into(sign_in_failures::table)
        .values((
            sign_in_failures::id.eq(id),
            sign_in_failures::account_key.eq(account_key),
            sign_in_failures::address.eq(address),
            sign_in_failures::at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}

/// Failures for an account since `since`: how many, and the latest time.
pub fn account_failures(
    conn: &mut DbConnection,
    account_key: &str,
    since: Millis,
) -> Result<(i64, Option<Millis>), StoreError> {
    let q = sign_in_failures::table
        .filter(sign_in_failures::account_key.eq(account_key))
        .filter(sign_in_failures::at.gt(since));
    let count = q.count().get_result(conn)?;
    let last = q
        .select(diesel::dsl::max(sign_in_failures::at))
        .get_result(conn)?;
    Ok((count, last))
}

/// Failures from an address since `since`: how many, and the latest time.
pub fn address_failures(
    conn: &mut DbConnection,
    address: &str,
    since: Millis,
) -> Result<(i64, Option<Millis>), StoreError> {
    let q = sign_in_failures::table
        .filter(sign_in_failures::address.eq(address))
        .filter(sign_in_failures::at.gt(since));
    let count = q.count().get_result(conn)?;
    let last = q
        .select(diesel::dsl::max(sign_in_failures::at))
        .get_result(conn)?;
    Ok((count, last))
}

/// Forgets an account's failures after its owner signs in.
pub fn clear_account(conn: &mut DbConnection, account_key: &str) -> Result<(), StoreError> {
    diesel::delete(sign_in_failures::table.filter(sign_in_failures::account_key.eq(account_key)))
        .execute(conn)?;
    Ok(())
}

/// Drops records older than `before`.
pub fn purge(conn: &mut DbConnection, before: Millis) -> Result<usize, StoreError> {
    Ok(
        diesel::delete(sign_in_failures::table.filter(sign_in_failures::at.lt(before)))
            .execute(conn)?,
    )
}

/// Remembers a browser that signed in successfully.
pub fn trust_device(
    conn: &mut DbConnection,
    token_hash: &str,
    user_id: UserId,
    now: Millis,
) -> Result<(), StoreError> {
    diesel::insert_into(trusted_devices::table)
        .values((
            trusted_devices::token_hash.eq(token_hash),
            trusted_devices::user_id.eq(user_id.to_string()),
            trusted_devices::created_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}

/// Whether this device token belongs to `user_id`.
pub fn is_trusted(
    conn: &mut DbConnection,
    token_hash: &str,
    user_id: UserId,
) -> Result<bool, StoreError> {
    let n: i64 = trusted_devices::table
        .filter(trusted_devices::token_hash.eq(token_hash))
        .filter(trusted_devices::user_id.eq(user_id.to_string()))
        .count()
        .get_result(conn)?;
    Ok(n > 0)
}
