//! A member's other addresses, besides the one on their account.

use crate::schema::user_emails as emails;
use crate::{DbConnection, Millis, StoreError};
use diesel::prelude::*;
use guildhall_domain::UserId;

/// Another address of an account.
#[derive(Clone, Debug, Queryable, Selectable, Insertable)]
#[diesel(table_name = emails)]
pub struct EmailRow {
    /// The account.
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub user_id: UserId,
    /// The address as typed.
    pub email: String,
    /// Lower-cased, as sign-in looks it up.
    pub email_key: String,
    /// When added.
    pub created_at: Millis,
    /// When verified through its link.
    pub verified_at: Option<Millis>,
}

/// An account's other addresses, in the order they were added.
pub fn of_user(conn: &mut DbConnection, user: UserId) -> Result<Vec<EmailRow>, StoreError> {
    Ok(emails::table
        .filter(emails::user_id.eq(user.to_string()))
        .order(emails::created_at)
        .select(EmailRow::as_select())
        .load(conn)?)
}

/// One of an account's other addresses, by its lower-cased key.
pub fn of_user_by_key(
    conn: &mut DbConnection,
    user: UserId,
    key: &str,
) -> Result<Option<EmailRow>, StoreError> {
    Ok(emails::table
        .find((user.to_string(), key))
        .select(EmailRow::as_select())
        .get_result(conn)
        .optional()?)
}

/// Adds an address.
pub fn add(conn: &mut DbConnection, row: &EmailRow) -> Result<(), StoreError> {
    diesel::insert_into(emails::table)
        .values(row.clone())
        .execute(conn)?;
    Ok(())
}

/// Removes an address; false when the account had no such one.
pub fn remove(conn: &mut DbConnection, user: UserId, key: &str) -> Result<bool, StoreError> {
    Ok(diesel::delete(emails::table.find((user.to_string(), key))).execute(conn)? > 0)
}

/// Marks an account's address `email` verified; false when it has no such address.
pub fn set_verified(
    conn: &mut DbConnection,
    user: UserId,
    email: &str,
    now: Millis,
) -> Result<bool, StoreError> {
    Ok(diesel::update(
        emails::table
            .filter(emails::user_id.eq(user.to_string()))
            .filter(emails::email.eq(email)),
    )
    .set(emails::verified_at.eq(now))
    .execute(conn)?
        > 0)
}

/// Forgets unverified claims of an address by any account (a verified claim took it).
pub fn drop_unverified(conn: &mut DbConnection, key: &str) -> Result<(), StoreError> {
    diesel::delete(
        emails::table
            .filter(emails::email_key.eq(key))
            .filter(emails::verified_at.is_null()),
    )
    .execute(conn)?;
    Ok(())
}
