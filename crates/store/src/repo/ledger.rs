//! Ledger accounts, transactions and postings. An account's balance is the sum of its
//! postings, kept beside the account and changed with every transaction that posts to it.

use crate::db::KeepPrepared;
use crate::schema::{
    ledger_accounts as accounts, ledger_postings as postings, ledger_transactions as txs,
};
use crate::{DbConnection, Millis, StoreError};
use diesel::prelude::*;
use guildhall_domain::money::Currency;

/// An account row.
#[derive(Clone, Debug, Queryable, Selectable, Insertable)]
#[diesel(table_name = accounts)]
pub struct AccountRow {
    /// UUIDv7.
    pub id: String,
    /// Its kind: wallet, escrow, platform_revenue, community_share, referral_rewards or external.
    pub kind: String,
    /// Owner.
    pub owner_id: String,
    /// The currency of its postings.
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub currency: Currency,
    /// Creation time.
    pub created_at: Millis,
    /// The sum of its postings, in minor units.
    pub balance: i64,
}

/// The account of this kind, owner and currency, if it exists.
pub fn account(
    conn: &mut DbConnection,
    kind: &str,
    owner_id: &str,
    currency: Currency,
) -> Result<Option<AccountRow>, StoreError> {
    Ok(accounts::table
        .filter(accounts::kind.eq(kind))
        .filter(accounts::owner_id.eq(owner_id))
        .filter(accounts::currency.eq(currency.code()))
        .select(AccountRow::as_select())
        .get_result(conn)
        .optional()?)
}

/// Adds an account.
pub fn insert_account(conn: &mut DbConnection, row: &AccountRow) -> Result<(), StoreError> {
    crate::db::native!(conn, |c| diesel::insert_into(accounts::table)
        .values(row.clone())
        .execute(c))?;
    Ok(())
}

/// An account's balance, as kept beside it.
pub fn balance(conn: &mut DbConnection, account_id: &str) -> Result<i64, StoreError> {
    Ok(accounts::table
        .find(account_id)
        .select(accounts::balance)
        .get_result::<i64>(conn)
        .optional()?
        .unwrap_or(0))
}

/// Every account of an owner.
pub fn accounts_of(conn: &mut DbConnection, owner_id: &str) -> Result<Vec<AccountRow>, StoreError> {
    Ok(accounts::table
        .filter(accounts::owner_id.eq(owner_id))
        .order((accounts::kind, accounts::currency))
        .select(AccountRow::as_select())
        .load(conn)?)
}

/// Every account.
pub fn all_accounts(conn: &mut DbConnection) -> Result<Vec<AccountRow>, StoreError> {
    Ok(accounts::table
        .order(accounts::id)
        .select(AccountRow::as_select())
        .load(conn)?)
}

/// A transaction row.
#[derive(Clone, Debug, Queryable, Selectable, Insertable)]
#[diesel(table_name = txs)]
pub struct TransactionRow {
    /// UUIDv7.
    pub id: String,
    /// Operation.
    pub kind: String,
    /// Who asked.
    pub requested_by: String,
    /// Their idempotency key.
    pub idempotency_key: String,
    /// SHA-256 of the request.
    pub request_hash: String,
    /// JSON memo.
    pub memo: String,
    /// Time.
    pub created_at: Millis,
}

/// The transaction a caller's key already made, if any.
pub fn by_key(
    conn: &mut DbConnection,
    requested_by: &str,
    key: &str,
) -> Result<Option<TransactionRow>, StoreError> {
    Ok(crate::db::native!(conn, |c| txs::table
        .filter(txs::requested_by.eq(requested_by))
        .filter(txs::idempotency_key.eq(key))
        .select(TransactionRow::as_select())
        .get_result(c)
        .optional())?)
}

/// Adds a transaction with its postings: (account id, amount), in order. The caller changes
/// the accounts' kept balances ([`add_to_balance`]).
pub fn insert_transaction(
    conn: &mut DbConnection,
    row: &TransactionRow,
    lines: &[(String, i64)],
) -> Result<(), StoreError> {
    crate::db::native!(conn, |c| diesel::insert_into(txs::table)
        .values(row)
        .execute(c))?;
    let postings: Vec<_> = lines
        .iter()
        .enumerate()
        .map(|(line, (account_id, amount))| {
            (
                postings::transaction_id.eq(&row.id),
                postings::line.eq(line as i32),
                postings::account_id.eq(account_id),
                postings::amount.eq(*amount),
            )
        })
        .collect();
    crate::db::insert_rows!(conn, postings::table, &postings, postings::line => i32);
    Ok(())
}

/// Adds `delta` to the kept balance of the account of `kind`, `owner_id` and `currency`,
/// locking it until the transaction ends; returns its id and new balance, or `None` when there
/// is no such account yet. One statement: the account is found by the key it is unique by.
pub fn add_to_balance(
    conn: &mut DbConnection,
    kind: &str,
    owner_id: &str,
    currency: Currency,
    delta: i64,
) -> Result<Option<(String, i64)>, StoreError> {
    let update = KeepPrepared(
        diesel::update(
            accounts::table
                .filter(accounts::kind.eq(kind))
                .filter(accounts::owner_id.eq(owner_id))
                .filter(accounts::currency.eq(currency.code())),
        )
        .set(accounts::balance.eq(accounts::balance + delta))
        .returning((accounts::id, accounts::balance)),
    );
    Ok(crate::db::native!(conn, |c| update
        .get_result(c)
        .optional())?)
}

/// Every posting: (transaction id, account id, amount), for audits.
pub fn all_postings(conn: &mut DbConnection) -> Result<Vec<(String, String, i64)>, StoreError> {
    Ok(postings::table
        .order((postings::transaction_id, postings::line))
        .select((
            postings::transaction_id,
            postings::account_id,
            postings::amount,
        ))
        .load(conn)?)
}

/// How many transactions exist.
pub fn count_transactions(conn: &mut DbConnection) -> Result<i64, StoreError> {
    Ok(txs::table.count().get_result(conn)?)
}

/// One line of an owner's statement.
#[derive(Clone, Debug, Queryable)]
pub struct StatementRow {
    /// Transaction.
    pub transaction_id: String,
    /// Operation.
    pub kind: String,
    /// Memo, JSON.
    pub memo: String,
    /// Time.
    pub created_at: Millis,
    /// The owner's account kind.
    pub account_kind: String,
    /// The currency of the account posted to, which `amount` is in.
    #[diesel(deserialize_as = String)]
    pub currency: Currency,
    /// The posting to that account.
    pub amount: i64,
}

/// The postings to an owner's accounts in `[from, to)`, oldest first.
pub fn statement(
    conn: &mut DbConnection,
    owner_id: &str,
    from: Millis,
    to: Millis,
) -> Result<Vec<StatementRow>, StoreError> {
    Ok(postings::table
        .inner_join(txs::table.on(txs::id.eq(postings::transaction_id)))
        .inner_join(accounts::table.on(accounts::id.eq(postings::account_id)))
        .filter(accounts::owner_id.eq(owner_id))
        .filter(txs::created_at.ge(from))
        .filter(txs::created_at.lt(to))
        .order((txs::created_at, txs::id, postings::line))
        .select((
            txs::id,
            txs::kind,
            txs::memo,
            txs::created_at,
            accounts::kind,
            accounts::currency,
            postings::amount,
        ))
        .load(conn)?)
}

/// The latest `limit` postings to one account, newest first.
pub fn recent(
    conn: &mut DbConnection,
    account_id: &str,
    limit: i64,
) -> Result<Vec<StatementRow>, StoreError> {
    Ok(postings::table
        .inner_join(txs::table.on(txs::id.eq(postings::transaction_id)))
        .inner_join(accounts::table.on(accounts::id.eq(postings::account_id)))
        .filter(postings::account_id.eq(account_id))
        .order((
            txs::created_at.desc(),
            txs::id.desc(),
            postings::line.desc(),
        ))
        .limit(limit)
        .select((
            txs::id,
            txs::kind,
            txs::memo,
            txs::created_at,
            accounts::kind,
            accounts::currency,
            postings::amount,
        ))
        .load(conn)?)
}

/// One transaction.
pub fn transaction(
    conn: &mut DbConnection,
    id: &str,
) -> Result<Option<TransactionRow>, StoreError> {
    Ok(txs::table
        .find(id)
        .select(TransactionRow::as_select())
        .get_result(conn)
        .optional()?)
}

/// A transaction's postings in order: (account kind, owner, currency, amount).
pub fn postings_of(
    conn: &mut DbConnection,
    transaction: &str,
) -> Result<Vec<(String, String, Currency, i64)>, StoreError> {
    let rows: Vec<(String, String, String, i64)> = postings::table
        .inner_join(accounts::table.on(accounts::id.eq(postings::account_id)))
        .filter(postings::transaction_id.eq(transaction))
        .order(postings::line)
        .select((
            accounts::kind,
            accounts::owner_id,
            accounts::currency,
            postings::amount,
        ))
        .load(conn)?;
    rows.into_iter()
        .map(|(kind, owner, currency, amount)| {
            Ok((kind, owner, Currency::try_from(currency)?, amount))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testdb::TestDb;
    use std::sync::atomic::Ordering;

    /// Diesel prepares every UPDATE anew at each run; a posting's balance change is prepared
    /// once per connection and kept.
    #[test]
    fn a_balance_change_is_prepared_once_per_connection_and_then_reused() {
        let eur = Currency::parse("EUR").unwrap();
        for db in TestDb::all() {
            let mut c = db.pool().get().unwrap();
            let account = AccountRow {
                id: "a".into(),
                kind: "wallet".into(),
                owner_id: "u".into(),
                currency: eur,
                created_at: 1,
                balance: 0,
            };
            insert_account(&mut c, &account).unwrap();
            let kept = crate::db::tests::count_prepared(&mut c, "UPDATE");
            for _ in 0..3 {
                add_to_balance(&mut c, "wallet", "u", eur, 5).unwrap();
            }
            assert_eq!(balance(&mut c, "a").unwrap(), 15, "{:?}", db.backend);
            assert_eq!(kept.load(Ordering::Relaxed), 1, "{:?}", db.backend);
        }
    }
}
