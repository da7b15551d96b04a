//! Deposits members ask for, confirmed when the payment provider has the money.

use crate::schema::deposit_requests;
use crate::{DbConnection, Millis, StoreError};
use diesel::prelude::*;
use guildhall_domain::UserId;
use guildhall_domain::ledger::DepositStatus;
use guildhall_domain::money::Currency;

/// A deposit request row.
#[derive(Clone, Debug, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = deposit_requests, treat_none_as_null = true)]
pub struct DepositRow {
    /// UUIDv7.
    pub id: String,
    /// The member whose wallet it fills.
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub user_id: UserId,
    /// Payment provider.
    pub provider: String,
    /// Minor units.
    pub amount: i64,
    /// The currency of the amount.
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub currency: Currency,
    /// What the member quotes with the payment.
    pub reference: String,
    /// Waiting, confirmed or cancelled.
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub status: DepositStatus,
    /// When asked.
    pub created_at: Millis,
    /// Who confirmed or cancelled it.
    #[diesel(deserialize_as = crate::optional::NullableText, serialize_as = crate::optional::NullableText)]
    pub decided_by: Option<UserId>,
    /// When.
    pub decided_at: Option<Millis>,
}

/// Adds a request.
pub fn insert(conn: &mut DbConnection, row: &DepositRow) -> Result<(), StoreError> {
    diesel::insert_into(deposit_requests::table)
        .values(row.clone())
        .execute(conn)?;
    Ok(())
}

/// Saves a changed request.
pub fn update(conn: &mut DbConnection, row: &DepositRow) -> Result<(), StoreError> {
    diesel::update(deposit_requests::table.find(&row.id))
        .set(row.clone())
        .execute(conn)?;
    Ok(())
}

/// One request.
pub fn by_id(conn: &mut DbConnection, id: &str) -> Result<Option<DepositRow>, StoreError> {
    Ok(deposit_requests::table
        .find(id)
        .select(DepositRow::as_select())
        .get_result(conn)
        .optional()?)
}

/// A member's requests, newest first.
pub fn of_user(
    conn: &mut DbConnection,
    user_id: UserId,
    limit: i64,
) -> Result<Vec<DepositRow>, StoreError> {
    Ok(deposit_requests::table
        .filter(deposit_requests::user_id.eq(user_id.to_string()))
        .order(deposit_requests::created_at.desc())
        .limit(limit)
        .select(DepositRow::as_select())
        .load(conn)?)
}

/// Pending requests, oldest first: the operators' queue.
pub fn pending(conn: &mut DbConnection, limit: i64) -> Result<Vec<DepositRow>, StoreError> {
    Ok(deposit_requests::table
        .filter(deposit_requests::status.eq(DepositStatus::Pending.as_str()))
        .order(deposit_requests::created_at)
        .limit(limit)
        .select(DepositRow::as_select())
        .load(conn)?)
}

/// Locks a request's row for the rest of the transaction (a no-op write takes the row lock).
pub fn lock(conn: &mut DbConnection, id: &str) -> Result<(), StoreError> {
    diesel::update(deposit_requests::table.find(id))
        .set(deposit_requests::status.eq(deposit_requests::status))
        .execute(conn)?;
    Ok(())
}
