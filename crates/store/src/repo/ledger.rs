//! Ledger accounts, transactions and postings. An account's balance is the sum of its
//! postings, kept beside the account and changed with every transaction that posts to it.

use crate::db::KeepPrepared;
use crate::schema::{
    ledger_accounts as accounts, ledger_postings as postings, ledger_transactions as txs,
};
use crate::together::{Carried, Together};
use crate::{DbConnection, Millis, StoreError};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Integer, Text};
use diesel::upsert::excluded;
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
/// the accounts' kept balances ([`add_to_balances`]).
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

/// The statement adding `rows`' balances to their accounts' kept ones, opening with its row
/// each account not there yet; it returns each account's key, id and new balance.
macro_rules! add_balances {
    ($rows:expr) => {
        diesel::insert_into(accounts::table)
            .values($rows)
            .on_conflict((accounts::kind, accounts::owner_id, accounts::currency))
            .do_update()
            .set(accounts::balance.eq(accounts::balance + excluded(accounts::balance)))
            .returning((
                accounts::kind,
                accounts::owner_id,
                accounts::currency,
                accounts::id,
                accounts::balance,
            ))
    };
}

/// Adds each row's `balance` to the kept balance of the account of its kind, owner and
/// currency, opening the account as the row says (with that balance) where there is none yet,
/// and locking each until the transaction ends, in the order of `rows`; returns each account's
/// id and new balance, in the order of `rows`. Rows must name distinct accounts. On PostgreSQL
/// one statement for them all, a round trip per account saved; on SQLite one per account, each
/// prepared once per connection and kept. A first use of an account racing another finds it
/// opened (the conflict clause waits for the other and adds to it).
pub fn add_to_balances(
    conn: &mut DbConnection,
    rows: &[AccountRow],
) -> Result<Vec<(String, i64)>, StoreError> {
    let changed: Vec<Changed> = match conn {
        DbConnection::Sqlite(c) => rows
            .iter()
            .map(|row| KeepPrepared(add_balances!(row.clone())).get_result(c))
            .collect::<Result<_, _>>()?,
        DbConnection::Postgresql(c) => KeepPrepared(add_balances!(rows.to_vec())).load(c)?,
    };
    in_order_of(rows, &changed)
}

/// An account as a balance change returns it: kind, owner, currency, id and new balance.
type Changed = (String, String, String, String, i64);

/// Each changed account's id and new balance, in the order of `rows`. Matched by key: no
/// backend promises to return rows in the order they were given.
fn in_order_of(rows: &[AccountRow], changed: &[Changed]) -> Result<Vec<(String, i64)>, StoreError> {
    rows.iter()
        .map(|row| {
            changed
                .iter()
                .find(|(kind, owner, currency, _, _)| {
                    *kind == row.kind && *owner == row.owner_id && currency == row.currency.code()
                })
                .map(|(_, _, _, id, balance)| (id.clone(), *balance))
                .ok_or_else(|| {
                    StoreError::Corrupt(format!(
                        "no balance came back for the {} account of {}",
                        row.kind, row.owner_id
                    ))
                })
        })
        .collect()
}

diesel::table! {
    /// The accounts [`post`] changed, as the first part of its statement returns them
    /// (PostgreSQL): the part is named after this table.
    changed_accounts (id) {
        /// The account's kind.
        kind -> Text,
        /// Its owner.
        owner_id -> Text,
        /// Its currency.
        currency -> Text,
        /// Its id, which the postings take.
        id -> Text,
        /// Its balance with the change.
        balance -> BigInt,
    }
}

/// Posts transaction `row`: adds each of `accounts`' balances to its account's kept one as
/// [`add_to_balances`] does (opening, locking, in order), and adds the transaction with its
/// `lines`, each (the index of its account in `accounts`, amount), in order. Returns each
/// account's id and new balance, in the order of `accounts`; the caller refuses a balance that
/// went below what it may. The `carried` writes go with it. On PostgreSQL one statement: the
/// postings take their accounts' ids from the balance change ([`Together`]). On SQLite a
/// statement per account and row.
pub fn post(
    conn: &mut DbConnection,
    accounts: &[AccountRow],
    row: &TransactionRow,
    lines: &[(usize, i64)],
    carried: &[Carried<'_>],
) -> Result<Vec<(String, i64)>, StoreError> {
    let c = match conn {
        DbConnection::Postgresql(c) => c,
        DbConnection::Sqlite(_) => {
            Carried::run_each(conn, carried)?;
            let changed = add_to_balances(conn, accounts)?;
            let lines: Vec<(String, i64)> = lines
                .iter()
                .map(|&(account, amount)| (changed[account].0.clone(), amount))
                .collect();
            insert_transaction(conn, row, &lines)?;
            return Ok(changed);
        }
    };
    use changed_accounts as changed;
    let mut statement = Together::new(changed::table.select((
        changed::kind,
        changed::owner_id,
        changed::currency,
        changed::id,
        changed::balance,
    )))
    .and("changed_accounts", add_balances!(accounts.to_vec()))
    .and("posted", diesel::insert_into(txs::table).values(row))
    .carrying(carried);
    for (line, &(account, amount)) in lines.iter().enumerate() {
        let to = &accounts[account];
        let posting = changed::table
            .filter(changed::kind.eq(&to.kind))
            .filter(changed::owner_id.eq(&to.owner_id))
            .filter(changed::currency.eq(to.currency.code()))
            .select((
                row.id.as_str().into_sql::<Text>(),
                (line as i32).into_sql::<Integer>(),
                changed::id,
                amount.into_sql::<BigInt>(),
            ));
        statement = statement.and(
            &format!("line_{line}"),
            diesel::insert_into(postings::table)
                .values(posting)
                .into_columns((
                    postings::transaction_id,
                    postings::line,
                    postings::account_id,
                    postings::amount,
                )),
        );
    }
    in_order_of(accounts, &statement.load::<Changed>(c)?)
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

    fn row(id: &str, owner: &str, balance: i64) -> AccountRow {
        AccountRow {
            id: id.into(),
            kind: "wallet".into(),
            owner_id: owner.into(),
            currency: Currency::parse("EUR").unwrap(),
            created_at: 1,
            balance,
        }
    }

    /// A transaction's accounts change together: those not there yet are opened with their
    /// first change, the others add it, and each answer is its own account's.
    #[test]
    fn balances_change_together_opening_the_accounts_not_there_yet() {
        for db in TestDb::all() {
            let mut c = db.pool().get().unwrap();
            add_to_balances(&mut c, &[row("b", "bo", 100)]).unwrap();
            let changed =
                add_to_balances(&mut c, &[row("a", "ann", -30), row("new", "bo", 30)]).unwrap();
            assert_eq!(
                changed,
                [("a".to_string(), -30), ("b".to_string(), 130)],
                "{:?}",
                db.backend
            );
            let changed =
                add_to_balances(&mut c, &[row("x", "bo", -130), row("y", "ann", 130)]).unwrap();
            assert_eq!(
                changed,
                [("b".to_string(), 0), ("a".to_string(), 100)],
                "{:?}",
                db.backend
            );
            assert_eq!(balance(&mut c, "a").unwrap(), 100, "{:?}", db.backend);
        }
    }

    fn transaction(id: &str, key: &str) -> TransactionRow {
        TransactionRow {
            id: id.into(),
            kind: "fund".into(),
            requested_by: "bo".into(),
            idempotency_key: key.into(),
            request_hash: "h".into(),
            memo: "{}".into(),
            created_at: 1,
        }
    }

    /// A transaction posts each line to the account it names, opening one not there yet, and
    /// changes their balances; a key used before is refused (and the transaction, rolled
    /// back, leaves no trace).
    #[test]
    fn a_transaction_posts_its_lines_to_the_accounts_it_changes() {
        for db in TestDb::all() {
            let mut c = db.pool().get().unwrap();
            add_to_balances(&mut c, &[row("b", "bo", 100)]).unwrap();
            let accounts = [row("new", "ann", 30), row("x", "bo", -30)];
            let changed = post(
                &mut c,
                &accounts,
                &transaction("t1", "k"),
                &[(1, -30), (0, 30)],
                &[],
            )
            .unwrap();
            let to = |owner: &str, amount| {
                let eur = Currency::parse("EUR").unwrap();
                ("wallet".to_string(), owner.to_string(), eur, amount)
            };
            assert_eq!(
                changed,
                [("new".to_string(), 30), ("b".to_string(), 70)],
                "{:?}",
                db.backend
            );
            let posted = postings_of(&mut c, "t1").unwrap();
            assert_eq!(posted, [to("bo", -30), to("ann", 30)], "{:?}", db.backend);

            let again = [row("y", "ann", -1), row("z", "bo", 1)];
            let refused = crate::write_transaction(&mut c, |c| {
                post(c, &again, &transaction("t2", "k"), &[(0, -1), (1, 1)], &[])
            });
            assert!(
                matches!(refused, Err(StoreError::Unique(_))),
                "{:?}: {refused:?}",
                db.backend
            );
            assert_eq!(balance(&mut c, "b").unwrap(), 70, "{:?}", db.backend);
            assert_eq!(balance(&mut c, "new").unwrap(), 30, "{:?}", db.backend);
            assert_eq!(count_transactions(&mut c).unwrap(), 1, "{:?}", db.backend);
        }
    }

    /// On PostgreSQL a transaction with its lines and balance changes is one round trip, one
    /// statement prepared once per connection (and shape) and kept.
    #[test]
    fn a_transaction_is_one_statement_on_postgresql_and_kept_prepared() {
        use diesel::connection::{Connection, InstrumentationEvent};
        use std::sync::Arc;
        use std::sync::atomic::AtomicUsize;
        let Some(db) = TestDb::postgres_if_set() else {
            return;
        };
        let mut c = db.pool().get().unwrap();
        add_to_balances(&mut c, &[row("b", "bo", 300)]).unwrap();
        let (sent, prepared) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));
        let (counted_sent, counted_prepared) = (sent.clone(), prepared.clone());
        c.set_instrumentation(move |event: InstrumentationEvent<'_>| match event {
            InstrumentationEvent::StartQuery { .. } => {
                counted_sent.fetch_add(1, Ordering::Relaxed);
            }
            InstrumentationEvent::CacheQuery { .. } => {
                counted_prepared.fetch_add(1, Ordering::Relaxed);
            }
            _ => {}
        });
        for key in ["k1", "k2", "k3"] {
            let accounts = [row("new", "ann", 1), row("x", "bo", -1)];
            let id = format!("t-{key}");
            post(
                &mut c,
                &accounts,
                &transaction(&id, key),
                &[(1, -1), (0, 1)],
                &[],
            )
            .unwrap();
        }
        assert_eq!(sent.load(Ordering::Relaxed), 3);
        assert_eq!(prepared.load(Ordering::Relaxed), 1);
        assert_eq!(balance(&mut c, "b").unwrap(), 297);
        assert_eq!(count_transactions(&mut c).unwrap(), 3);
    }

    /// PostgreSQL changes the rows of one `VALUES` list in their order, so the accounts are
    /// locked in the order given, the order of accounts `ledger::apply` keeps so that two
    /// transactions never wait on each other crosswise: with the second account held by another
    /// transaction, the change waits there, holding the first.
    #[test]
    fn balances_are_locked_in_the_order_given() {
        use diesel::connection::SimpleConnection;
        let Some(db) = TestDb::postgres_if_set() else {
            return;
        };
        let pool = db.pool();
        let mut c = pool.get().unwrap();
        add_to_balances(&mut c, &[row("a", "ann", 10), row("b", "bo", 10)]).unwrap();
        c.batch_execute("BEGIN; UPDATE ledger_accounts SET balance = balance WHERE id = 'b'")
            .unwrap();
        let waiter = {
            let pool = pool.clone();
            std::thread::spawn(move || {
                let mut w = pool.get().unwrap();
                crate::write_transaction(&mut w, |w| {
                    add_to_balances(w, &[row("x", "ann", 1), row("y", "bo", 1)])
                })
            })
        };
        let mut probe = pool.get().unwrap();
        let first_is_held = |probe: &mut crate::PooledConn| {
            probe.batch_execute("BEGIN").unwrap();
            let held = probe
                .batch_execute("SELECT 1 FROM ledger_accounts WHERE id = 'a' FOR UPDATE NOWAIT")
                .is_err();
            probe.batch_execute("ROLLBACK").unwrap();
            held
        };
        // The waiter has no deadline of its own; one that never takes the first account fails
        // the test, a slow one does not.
        let give_up = std::time::Instant::now() + std::time::Duration::from_secs(60);
        while !first_is_held(&mut probe) {
            assert!(
                std::time::Instant::now() < give_up,
                "the first account was never taken"
            );
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
        assert!(
            !waiter.is_finished(),
            "the change did not wait for the second"
        );
        c.batch_execute("COMMIT").unwrap();
        let changed = waiter.join().unwrap().unwrap();
        assert_eq!(changed, [("a".to_string(), 11), ("b".to_string(), 11)]);
    }

    /// Diesel prepares an insert with a conflict clause anew at each run; a posting's balance
    /// change is prepared once per connection (and number of accounts) and kept.
    #[test]
    fn a_balance_change_is_prepared_once_per_connection_and_then_reused() {
        for db in TestDb::all() {
            let mut c = db.pool().get().unwrap();
            let kept = crate::db::tests::count_prepared(&mut c, "INSERT");
            for _ in 0..3 {
                add_to_balances(&mut c, &[row("a", "u", 5), row("b", "v", -5)]).unwrap();
            }
            assert_eq!(balance(&mut c, "a").unwrap(), 15, "{:?}", db.backend);
            assert_eq!(kept.load(Ordering::Relaxed), 1, "{:?}", db.backend);
        }
    }
}
