//! Links that verify a member's address, and the record of who asked for reset links.

use crate::schema::{email_verifications as links, reset_requests, users};
use crate::{DbConnection, Millis, StoreError};
use diesel::prelude::*;
use guildhall_domain::UserId;

/// Keeps a new verification link (by its token's hash) for `email` of `user`.
pub fn add_link(
    conn: &mut DbConnection,
    token_hash: &str,
    user: UserId,
    email: &str,
    now: Millis,
    expires_at: Millis,
) -> Result<(), StoreError> {
    diesel::insert_into(links::table)
        .values((
            links::token_hash.eq(token_hash),
            links::user_id.eq(user.to_string()),
            links::email.eq(email),
            links::created_at.eq(now),
            links::expires_at.eq(expires_at),
        ))
        .execute(conn)?;
    Ok(())
}

/// Uses up a live link: the account and the address it verifies, or `None` for a link that is
/// unknown, used or expired.
pub fn use_link(
    conn: &mut DbConnection,
    token_hash: &str,
    now: Millis,
) -> Result<Option<(UserId, String)>, StoreError> {
    let live = links::table
        .find(token_hash)
        .filter(links::used_at.is_null())
        .filter(links::expires_at.gt(now));
    let found: Option<(String, String)> = live
        .select((links::user_id, links::email))
        .get_result(conn)
        .optional()?;
    let Some((user, email)) = found else {
        return Ok(None);
    };
    diesel::update(live)
        .set(links::used_at.eq(now))
        .execute(conn)?;
    Ok(Some((UserId::try_from(user)?, email)))
}

/// When the newest link for `user` was made.
pub fn newest_link_at(conn: &mut DbConnection, user: UserId) -> Result<Option<Millis>, StoreError> {
    Ok(links::table
        .filter(links::user_id.eq(user.to_string()))
        .select(diesel::dsl::max(links::created_at))
        .get_result(conn)?)
}

/// Marks `user`'s address verified, if it is still `email`; returns whether it did.
pub fn set_verified(
    conn: &mut DbConnection,
    user: UserId,
    email: &str,
    now: Millis,
) -> Result<bool, StoreError> {
    Ok(diesel::update(
        users::table
            .find(user.to_string())
            .filter(users::email.eq(email)),
    )
    .set(users::email_verified_at.eq(now))
    .execute(conn)?
        == 1)
}

/// Records a request for a reset link for the address `email_key`, from `address`.
pub fn add_reset_request(
    conn: &mut DbConnection,
    email_key: &str,
    address: &str,
    now: Millis,
) -> Result<(), StoreError> {
    diesel::insert_into(reset_requests::table)
        .values((
            reset_requests::email_key.eq(email_key),
            reset_requests::address.eq(address),
            reset_requests::at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}

/// Requests since `since`: for the address typed, and from the network address.
pub fn reset_requests_since(
    conn: &mut DbConnection,
    email_key: &str,
    address: &str,
    since: Millis,
) -> Result<(i64, i64), StoreError> {
    let recent = reset_requests::table.filter(reset_requests::at.gt(since));
    let typed = recent
        .filter(reset_requests::email_key.eq(email_key))
        .count()
        .get_result(conn)?;
    let from = recent
        .filter(reset_requests::address.eq(address))
        .count()
        .get_result(conn)?;
    Ok((typed, from))
}
