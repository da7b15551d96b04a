//! Accounts.

use crate::db::KeepPrepared;
use crate::schema::users;
use crate::{DbConnection, Millis, StoreError};
use diesel::prelude::*;
use guildhall_domain::UserId;
use guildhall_domain::account::Handle;

/// An account row.
#[derive(Clone, Debug, Queryable, Selectable, Insertable)]
#[diesel(table_name = users)]
pub struct UserRow {
    /// UUIDv7.
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub id: UserId,
    /// Lower-case handle.
    pub handle: String,
    /// Sign-in address as entered.
    pub email: String,
    /// Lower-cased address for look-ups.
    pub email_key: String,
    /// argon2id PHC string.
    pub password_hash: String,
    /// May run instance administration.
    pub is_operator: bool,
    /// Creation time.
    pub created_at: Millis,
    /// Last change.
    pub updated_at: Millis,
    /// When its address was verified; `None` until the member opens the link mailed to it.
    pub email_verified_at: Option<Millis>,
}

/// Adds an account. A taken handle or address fails with `StoreError::Unique`.
pub fn insert(conn: &mut DbConnection, row: &UserRow) -> Result<(), StoreError> {
    diesel::insert_into(users::table)
        .values(row.clone())
        .execute(conn)?;
    Ok(())
}

/// The account with this id.
pub fn by_id(conn: &mut DbConnection, id: UserId) -> Result<Option<UserRow>, StoreError> {
    Ok(users::table
        .find(id.to_string())
        .select(UserRow::as_select())
        .get_result(conn)
        .optional()?)
}

/// The account with this handle, as typed: `@Ada` finds `ada`.
pub fn by_handle(conn: &mut DbConnection, handle: &str) -> Result<Option<UserRow>, StoreError> {
    Ok(users::table
        .filter(users::handle.eq(Handle::lookup_key(handle)))
        .select(UserRow::as_select())
        .get_result(conn)
        .optional()?)
}

/// The account whose handle or sign-in address is `login` (already lower-cased).
pub fn by_login(conn: &mut DbConnection, login: &str) -> Result<Option<UserRow>, StoreError> {
    let found = users::table
        .filter(users::handle.eq(login).or(users::email_key.eq(login)))
        .select(UserRow::as_select())
        .get_result(conn)
        .optional()?;
    if found.is_some() {
        return Ok(found);
    }
    // Another verified address of an account signs in too.
    let owner: Option<String> = crate::schema::user_emails::table
        .filter(crate::schema::user_emails::email_key.eq(login))
        .filter(crate::schema::user_emails::verified_at.is_not_null())
        .select(crate::schema::user_emails::user_id)
        .first(conn)
        .optional()?;
    Ok(match owner {
        Some(id) => users::table
            .find(id)
            .select(UserRow::as_select())
            .get_result(conn)
            .optional()?,
        None => None,
    })
}

/// Makes `email` the account's address, verified at `verified_at`.
pub fn set_address(
    conn: &mut DbConnection,
    id: UserId,
    email: &str,
    email_key: &str,
    verified_at: Option<Millis>,
    now: Millis,
) -> Result<(), StoreError> {
    diesel::update(users::table.find(id.to_string()))
        .set((
            users::email.eq(email),
            users::email_key.eq(email_key),
            users::email_verified_at.eq(verified_at),
            users::updated_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}

/// Replaces the password hash.
pub fn set_password(
    conn: &mut DbConnection,
    id: UserId,
    hash: &str,
    now: Millis,
) -> Result<(), StoreError> {
    diesel::update(users::table.find(id.to_string()))
        .set((users::password_hash.eq(hash), users::updated_at.eq(now)))
        .execute(conn)?;
    Ok(())
}

/// Makes an account an operator or takes that away.
pub fn set_operator(
    conn: &mut DbConnection,
    id: UserId,
    is_operator: bool,
    now: Millis,
) -> Result<(), StoreError> {
    diesel::update(users::table.find(id.to_string()))
        .set((
            users::is_operator.eq(is_operator),
            users::updated_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}

/// How many accounts there are.
pub fn count(conn: &mut DbConnection) -> Result<i64, StoreError> {
    Ok(users::table.count().get_result(conn)?)
}

/// The ids of the instance's operators.
pub fn operator_ids(conn: &mut DbConnection) -> Result<Vec<UserId>, StoreError> {
    let ids: Vec<String> = users::table
        .filter(users::is_operator.eq(true))
        .select(users::id)
        .load(conn)?;
    Ok(ids
        .into_iter()
        .map(UserId::try_from)
        .collect::<Result<_, _>>()?)
}

/// When each of `ids` joined, by id.
pub fn joined(
    conn: &mut DbConnection,
    ids: &[UserId],
) -> Result<Vec<(UserId, Millis)>, StoreError> {
    let ids: Vec<String> = ids.iter().map(UserId::to_string).collect();
    let rows: Vec<(String, Millis)> = users::table
        .filter(users::id.eq_any(ids))
        .select((users::id, users::created_at))
        .load(conn)?;
    rows.into_iter()
        .map(|(id, at)| Ok((UserId::try_from(id)?, at)))
        .collect()
}

/// Handles by id, for rendering lists.
pub fn handles(
    conn: &mut DbConnection,
    ids: &[UserId],
) -> Result<Vec<(UserId, String)>, StoreError> {
    let ids: Vec<String> = ids.iter().map(UserId::to_string).collect();
    // One statement per number of ids, kept prepared: a contract has two to four parties.
    let query = KeepPrepared(
        users::table
            .filter(users::id.eq_any(ids))
            .select((users::id, users::handle)),
    );
    let rows: Vec<(String, String)> = crate::db::native!(conn, |c| query.load(c))?;
    rows.into_iter()
        .map(|(id, handle)| Ok((UserId::try_from(id)?, handle)))
        .collect()
}
