//! API tokens, stored as SHA-256 hashes of the secret.

use crate::schema::api_tokens;
use crate::{DbConnection, Millis, StoreError};
use diesel::prelude::*;
use guildhall_domain::UserId;

/// An API token row.
#[derive(Clone, Debug, Queryable, Selectable, Insertable)]
#[diesel(table_name = api_tokens)]
pub struct TokenRow {
    /// UUIDv7.
    pub id: String,
    /// Owner.
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub user_id: UserId,
    /// What the owner called it.
    pub name: String,
    /// SHA-256 of the secret, hex.
    pub token_hash: String,
    /// The first characters of the secret, shown so owners can tell tokens apart.
    pub prefix: String,
    /// Creation time.
    pub created_at: Millis,
    /// Last use, if any.
    pub last_used_at: Option<Millis>,
    /// Revocation time, if revoked.
    pub revoked_at: Option<Millis>,
}

/// Adds a token.
pub fn insert(conn: &mut DbConnection, row: &TokenRow) -> Result<(), StoreError> {
    diesel::insert_into(api_tokens::table)
        .values(row.clone())
        .execute(conn)?;
    Ok(())
}

/// The live token with this hash.
pub fn live_by_hash(conn: &mut DbConnection, hash: &str) -> Result<Option<TokenRow>, StoreError> {
    Ok(api_tokens::table
        .filter(api_tokens::token_hash.eq(hash))
        .filter(api_tokens::revoked_at.is_null())
        .select(TokenRow::as_select())
        .get_result(conn)
        .optional()?)
}

/// Notes a use, at most once a minute per token to keep reads cheap.
pub fn touch(conn: &mut DbConnection, id: &str, now: Millis) -> Result<(), StoreError> {
    diesel::update(
        api_tokens::table.find(id).filter(
            api_tokens::last_used_at
                .is_null()
                .or(api_tokens::last_used_at.lt(now - 60_000)),
        ),
    )
    .set(api_tokens::last_used_at.eq(now))
    .execute(conn)?;
    Ok(())
}

/// A page of a user's tokens, newest first, after the `before` id.
pub fn page(
    conn: &mut DbConnection,
    user_id: UserId,
    before: Option<&str>,
    limit: i64,
) -> Result<Vec<TokenRow>, StoreError> {
    let mut q = api_tokens::table
        .filter(api_tokens::user_id.eq(user_id.to_string()))
        .select(TokenRow::as_select())
        .order(api_tokens::id.desc())
        .limit(limit)
        .into_boxed();
    if let Some(before) = before {
        q = q.filter(api_tokens::id.lt(before.to_string()));
    }
    Ok(q.load(conn)?)
}

/// Revokes every live token of `user_id`; returns how many.
pub fn revoke_all(
    conn: &mut DbConnection,
    user_id: UserId,
    now: Millis,
) -> Result<usize, StoreError> {
    Ok(diesel::update(
        api_tokens::table
            .filter(api_tokens::user_id.eq(user_id.to_string()))
            .filter(api_tokens::revoked_at.is_null()),
    )
    .set(api_tokens::revoked_at.eq(now))
    .execute(conn)?)
}

/// Revokes a live token of `user_id`; returns whether one was revoked.
pub fn revoke(
    conn: &mut DbConnection,
    user_id: UserId,
    id: &str,
    now: Millis,
) -> Result<bool, StoreError> {
    let n = diesel::update(
        api_tokens::table
            .find(id)
            .filter(api_tokens::user_id.eq(user_id.to_string()))
            .filter(api_tokens::revoked_at.is_null()),
    )
    .set(api_tokens::revoked_at.eq(now))
    .execute(conn)?;
    Ok(n == 1)
}
