//! What operators keep an eye on: suspended accounts, one-time password-reset links, and the
//! append-only log of every operator action.

use crate::schema::{operator_actions, password_resets, suspensions, users};
use crate::{DbConnection, Millis, StoreError};
use diesel::prelude::*;
use guildhall_domain::UserId;

/// Suspends an account; a second call changes nothing.
pub fn suspend(conn: &mut DbConnection, user_id: UserId, now: Millis) -> Result<bool, StoreError> {
    if is_suspended(conn, user_id)? {
        return Ok(false);
    }
    diesel::insert_into(suspensions::table)
        .values((
            suspensions::user_id.eq(user_id.to_string()),
            suspensions::suspended_at.eq(now),
        ))
        .execute(conn)?;
    Ok(true)
}

/// Lifts a suspension; returns whether there was one.
pub fn unsuspend(conn: &mut DbConnection, user_id: UserId) -> Result<bool, StoreError> {
    Ok(diesel::delete(suspensions::table.find(user_id.to_string())).execute(conn)? == 1)
}

/// Whether the account is suspended.
pub fn is_suspended(conn: &mut DbConnection, user_id: UserId) -> Result<bool, StoreError> {
    Ok(suspensions::table
        .find(user_id.to_string())
        .select(suspensions::user_id)
        .first::<String>(conn)
        .optional()?
        .is_some())
}

/// Ids of every suspended account (few; used to filter search results).
pub fn suspended_ids(conn: &mut DbConnection) -> Result<Vec<UserId>, StoreError> {
    let ids: Vec<String> = suspensions::table.select(suspensions::user_id).load(conn)?;
    Ok(ids
        .into_iter()
        .map(UserId::try_from)
        .collect::<Result<_, _>>()?)
}

/// Handles of every suspended account with when each was suspended, by handle.
pub fn suspended_handles(conn: &mut DbConnection) -> Result<Vec<(String, Millis)>, StoreError> {
    Ok(suspensions::table
        .inner_join(users::table.on(users::id.eq(suspensions::user_id)))
        .select((users::handle, suspensions::suspended_at))
        .order(users::handle)
        .load(conn)?)
}

/// Stores a reset link's token hash, replacing any unused older link of the account.
pub fn add_reset(
    conn: &mut DbConnection,
    token_hash: &str,
    user_id: UserId,
    now: Millis,
    expires_at: Millis,
) -> Result<(), StoreError> {
    diesel::delete(
        password_resets::table
            .filter(password_resets::user_id.eq(user_id.to_string()))
            .filter(password_resets::used_at.is_null()),
    )
    .execute(conn)?;
    diesel::insert_into(password_resets::table)
        .values((
            password_resets::token_hash.eq(token_hash),
            password_resets::user_id.eq(user_id.to_string()),
            password_resets::created_at.eq(now),
            password_resets::expires_at.eq(expires_at),
        ))
        .execute(conn)?;
    Ok(())
}

/// The account a live, unused reset link belongs to.
pub fn reset_user(
    conn: &mut DbConnection,
    token_hash: &str,
    now: Millis,
) -> Result<Option<UserId>, StoreError> {
    let user: Option<String> = password_resets::table
        .find(token_hash)
        .filter(password_resets::used_at.is_null())
        .filter(password_resets::expires_at.gt(now))
        .select(password_resets::user_id)
        .get_result(conn)
        .optional()?;
    Ok(user.map(UserId::try_from).transpose()?)
}

/// Marks a reset link used; returns whether it was still live (so two uses cannot both win).
pub fn use_reset(
    conn: &mut DbConnection,
    token_hash: &str,
    now: Millis,
) -> Result<bool, StoreError> {
    Ok(diesel::update(
        password_resets::table
            .find(token_hash)
            .filter(password_resets::used_at.is_null())
            .filter(password_resets::expires_at.gt(now)),
    )
    .set(password_resets::used_at.eq(now))
    .execute(conn)?
        == 1)
}

/// One operator action.
#[derive(Clone, Debug, Queryable, Selectable, Insertable)]
#[diesel(table_name = operator_actions)]
pub struct ActionRow {
    /// UUIDv7, so ids sort by time.
    pub id: String,
    /// When.
    pub at: Millis,
    /// The operator's account, when the action was taken signed in.
    pub operator_id: Option<String>,
    /// Who, in words: an operator's handle, or "command line (as <handle>)".
    pub actor: String,
    /// What, as a short code such as `account.suspended`.
    pub action: String,
    /// About whom or what: a handle, a community, a setting.
    pub subject: String,
    /// Why, as the operator gave it.
    pub reason: String,
}

/// Appends an action to the log.
pub fn log_action(conn: &mut DbConnection, row: &ActionRow) -> Result<(), StoreError> {
    diesel::insert_into(operator_actions::table)
        .values(row)
        .execute(conn)?;
    Ok(())
}

/// A page of the log, newest first, before the `before` id.
pub fn actions(
    conn: &mut DbConnection,
    before: Option<&str>,
    limit: i64,
) -> Result<Vec<ActionRow>, StoreError> {
    let mut q = operator_actions::table
        .select(ActionRow::as_select())
        .order(operator_actions::id.desc())
        .limit(limit)
        .into_boxed();
    if let Some(before) = before {
        q = q.filter(operator_actions::id.lt(before.to_string()));
    }
    Ok(q.load(conn)?)
}
