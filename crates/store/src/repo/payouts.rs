//! Payout methods members save, and the payouts they ask for.

use crate::schema::{payout_methods as methods, payouts};
use crate::{DbConnection, Millis, StoreError};
use diesel::prelude::*;
use guildhall_domain::UserId;
use guildhall_domain::ledger::PayoutStatus;
use guildhall_domain::money::Currency;

/// A saved payout method.
#[derive(Clone, Debug, Queryable, Selectable, Insertable)]
#[diesel(table_name = methods)]
pub struct MethodRow {
    /// UUIDv7.
    pub id: String,
    /// Whose it is.
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub user_id: UserId,
    /// The member's name for it ("Savings account").
    pub label: String,
    /// Where to send the money, as the member wrote it (account holder, IBAN, …).
    pub details: String,
    /// When saved.
    pub created_at: Millis,
    /// When removed; removed methods stay for the payouts that name them.
    pub removed_at: Option<Millis>,
}

/// Saves a method.
pub fn insert_method(conn: &mut DbConnection, row: &MethodRow) -> Result<(), StoreError> {
    diesel::insert_into(methods::table)
        .values(row.clone())
        .execute(conn)?;
    Ok(())
}

/// A member's methods in use, oldest first.
pub fn methods_of(conn: &mut DbConnection, user: UserId) -> Result<Vec<MethodRow>, StoreError> {
    Ok(methods::table
        .filter(methods::user_id.eq(user.to_string()))
        .filter(methods::removed_at.is_null())
        .order((methods::created_at, methods::id))
        .select(MethodRow::as_select())
        .load(conn)?)
}

/// Marks a member's method removed; whether there was one in use.
pub fn remove_method(
    conn: &mut DbConnection,
    user: UserId,
    id: &str,
    now: Millis,
) -> Result<bool, StoreError> {
    let changed = diesel::update(
        methods::table
            .find(id)
            .filter(methods::user_id.eq(user.to_string()))
            .filter(methods::removed_at.is_null()),
    )
    .set(methods::removed_at.eq(now))
    .execute(conn)?;
    Ok(changed == 1)
}

/// A payout request.
#[derive(Clone, Debug, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = payouts, treat_none_as_null = true)]
pub struct PayoutRow {
    /// UUIDv7.
    pub id: String,
    /// Whose money: a user id, or a community id for its share.
    pub payee: String,
    /// The kind of account it is paid from.
    pub source: String,
    /// The member who asked.
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub requested_by: UserId,
    /// The method's label, as it was when asked.
    pub method_label: String,
    /// The method's details, as they were when asked.
    pub method_details: String,
    /// The payment provider paying it.
    pub provider: String,
    /// Minor units.
    pub amount: i64,
    /// The amount's currency.
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub currency: Currency,
    /// Pending, paid or failed.
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub status: PayoutStatus,
    /// The ledger transaction that held the amount.
    pub hold_transaction: String,
    /// The provider's or operator's reference, once paid.
    pub reference: Option<String>,
    /// Why it failed.
    pub reason: Option<String>,
    /// When asked.
    pub created_at: Millis,
    /// Who paid or failed it; `None` while pending or when a provider decided.
    #[diesel(deserialize_as = crate::optional::NullableText, serialize_as = crate::optional::NullableText)]
    pub decided_by: Option<UserId>,
    /// When.
    pub decided_at: Option<Millis>,
}

/// Adds a payout.
pub fn insert(conn: &mut DbConnection, row: &PayoutRow) -> Result<(), StoreError> {
    diesel::insert_into(payouts::table)
        .values(row.clone())
        .execute(conn)?;
    Ok(())
}

/// Saves a changed payout.
pub fn update(conn: &mut DbConnection, row: &PayoutRow) -> Result<(), StoreError> {
    diesel::update(payouts::table.find(&row.id))
        .set(row.clone())
        .execute(conn)?;
    Ok(())
}

/// One payout.
pub fn by_id(conn: &mut DbConnection, id: &str) -> Result<Option<PayoutRow>, StoreError> {
    Ok(payouts::table
        .find(id)
        .select(PayoutRow::as_select())
        .get_result(conn)
        .optional()?)
}

/// The payout whose amount a ledger transaction held.
pub fn by_hold(
    conn: &mut DbConnection,
    transaction: &str,
) -> Result<Option<PayoutRow>, StoreError> {
    Ok(payouts::table
        .filter(payouts::hold_transaction.eq(transaction))
        .select(PayoutRow::as_select())
        .get_result(conn)
        .optional()?)
}

/// A payee's payout in flight in `currency`, if any.
pub fn in_flight(
    conn: &mut DbConnection,
    payee: &str,
    currency: Currency,
) -> Result<Option<PayoutRow>, StoreError> {
    Ok(payouts::table
        .filter(payouts::payee.eq(payee))
        .filter(payouts::currency.eq(currency.code()))
        .filter(payouts::status.eq(PayoutStatus::Pending.as_str()))
        .select(PayoutRow::as_select())
        .get_result(conn)
        .optional()?)
}

/// The payouts of some payees, newest first.
pub fn of_payees(
    conn: &mut DbConnection,
    payees: &[String],
    limit: i64,
) -> Result<Vec<PayoutRow>, StoreError> {
    Ok(payouts::table
        .filter(payouts::payee.eq_any(payees))
        .order((payouts::created_at.desc(), payouts::id.desc()))
        .limit(limit)
        .select(PayoutRow::as_select())
        .load(conn)?)
}

/// Payouts waiting to be paid, oldest first: the operators' queue.
pub fn pending(conn: &mut DbConnection, limit: i64) -> Result<Vec<PayoutRow>, StoreError> {
    Ok(payouts::table
        .filter(payouts::status.eq(PayoutStatus::Pending.as_str()))
        .order((payouts::created_at, payouts::id))
        .limit(limit)
        .select(PayoutRow::as_select())
        .load(conn)?)
}

/// Payouts paid or failed, newest first.
pub fn decided(conn: &mut DbConnection, limit: i64) -> Result<Vec<PayoutRow>, StoreError> {
    Ok(payouts::table
        .filter(payouts::status.ne(PayoutStatus::Pending.as_str()))
        .order((payouts::decided_at.desc(), payouts::id.desc()))
        .limit(limit)
        .select(PayoutRow::as_select())
        .load(conn)?)
}

/// Locks a payout's row for the rest of the transaction (a no-op write takes the row lock).
pub fn lock(conn: &mut DbConnection, id: &str) -> Result<(), StoreError> {
    diesel::update(payouts::table.find(id))
        .set(payouts::status.eq(payouts::status))
        .execute(conn)?;
    Ok(())
}
