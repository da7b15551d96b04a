//! The ledger on both databases: random sequences of deposits, fundings, releases (with a
//! members' pool or without), refunds, payouts (direct, or held then paid or returned) and
//! distributions of a members' pool, checked against a model after every step; replays of idempotency keys; and parallel
//! requests that race for the same money.

use guildhall_app::AppError;
use guildhall_app::ledger::{self, MoneyRequest, Receipt};
use guildhall_app::testing::{self, app, member};
use guildhall_domain::ledger::{AccountKind, AccountRef, Beneficiaries, Posting, Rates};
use guildhall_domain::money::Currency;
use guildhall_store::testdb::TestDb;
use proptest::prelude::*;
use serde_json::json;
use std::collections::BTreeMap;

#[derive(Clone, Debug)]
enum Op {
    Deposit(usize, i64, usize),
    Fund(usize, usize, i64, usize),
    Release(usize, usize, i64, usize, bool, Option<usize>),
    Refund(usize, usize, i64, usize),
    Payout(usize, i64, usize),
    /// A payout asked for: the amount held out of the user's wallet.
    Hold(usize, i64, usize),
    /// A held payout paid: it leaves the ledger.
    PayHeld(usize, i64, usize),
    /// A held payout failed: it goes back to the wallet.
    ReturnHeld(usize, i64, usize),
    /// A community's members' pool shared out among the users in proportion to weights.
    Distribute(i64, usize, [i64; 3]),
    /// Replays the n-th earlier request with its key (the same request, or a different one).
    Replay(usize, bool),
}

fn op() -> impl Strategy<Value = Op> {
    let amount = 1i64..5_000;
    prop_oneof![
        (0..3usize, amount.clone(), 0..2usize).prop_map(|(u, a, c)| Op::Deposit(u, a, c)),
        (0..3usize, 0..2usize, amount.clone(), 0..2usize)
            .prop_map(|(u, k, a, c)| Op::Fund(u, k, a, c)),
        (
            0..2usize,
            0..3usize,
            amount.clone(),
            0..2usize,
            any::<bool>(),
            proptest::option::of(0..3usize)
        )
            .prop_map(|(k, m, a, c, g, r)| Op::Release(k, m, a, c, g, r)),
        (0..2usize, 0..3usize, amount.clone(), 0..2usize)
            .prop_map(|(k, u, a, c)| Op::Refund(k, u, a, c)),
        (0..3usize, amount.clone(), 0..2usize).prop_map(|(u, a, c)| Op::Payout(u, a, c)),
        (0..3usize, amount.clone(), 0..2usize).prop_map(|(u, a, c)| Op::Hold(u, a, c)),
        (0..3usize, amount.clone(), 0..2usize).prop_map(|(u, a, c)| Op::PayHeld(u, a, c)),
        (0..3usize, amount.clone(), 0..2usize).prop_map(|(u, a, c)| Op::ReturnHeld(u, a, c)),
        (amount, 0..2usize, [1i64..5, 1i64..5, 1i64..5])
            .prop_map(|(a, c, w)| Op::Distribute(a, c, w)),
        (0..40usize, any::<bool>()).prop_map(|(n, same)| Op::Replay(n, same)),
    ]
}

const RATES: Rates = Rates {
    platform_bps: 1000,
    community_bps: 250,
    referral_bps: 500,
};

type Model = BTreeMap<(AccountKind, String, Currency), i64>;

/// The postings an op asks for, its kind and its request, or `None` for a replay.
fn postings_of(
    op: &Op,
    users: &[String],
    currencies: &[Currency],
) -> Option<(&'static str, Vec<Posting>, serde_json::Value)> {
    let contract = |k: usize| format!("contract-{k}");
    let wallet =
        |u: usize, c: usize| AccountRef::new(AccountKind::Wallet, &users[u], currencies[c]);
    let (kind, postings) = match *op {
        Op::Deposit(u, a, c) => (
            "deposit",
            guildhall_domain::ledger::deposit(&users[u], "manual", a, currencies[c]),
        ),
        Op::Fund(u, k, a, c) => (
            "fund",
            guildhall_domain::ledger::fund(&users[u], &contract(k), a, currencies[c]),
        ),
        Op::Release(k, m, a, c, guild, referrer) => {
            let who = Beneficiaries {
                community: guild.then_some("guild"),
                referrer: referrer.map(|r| users[r].as_str()),
                members_pool_bps: 4_000,
            };
            (
                "release",
                guildhall_domain::ledger::release(
                    &contract(k),
                    &users[m],
                    a,
                    currencies[c],
                    RATES,
                    &who,
                )
                .map(|(p, _)| p),
            )
        }
        Op::Refund(k, u, a, c) => (
            "refund",
            guildhall_domain::ledger::refund(&contract(k), &users[u], a, currencies[c]),
        ),
        Op::Payout(u, a, c) => (
            "payout",
            guildhall_domain::ledger::payout(&users[u], "manual", a, currencies[c]),
        ),
        Op::Hold(u, a, c) => (
            "payout_hold",
            guildhall_domain::ledger::hold_payout(&wallet(u, c), a),
        ),
        Op::PayHeld(u, a, c) => (
            "payout",
            guildhall_domain::ledger::pay_held_payout(&wallet(u, c), "manual", a),
        ),
        Op::ReturnHeld(u, a, c) => (
            "payout_return",
            guildhall_domain::ledger::return_held_payout(&wallet(u, c), a),
        ),
        Op::Distribute(a, c, weights) => {
            let keyed: Vec<(String, i64)> = users.iter().cloned().zip(weights).collect();
            let parts = guildhall_domain::ownership::largest_remainder(a, &keyed);
            (
                "distribution",
                guildhall_domain::ledger::distribute("guild", currencies[c], &parts),
            )
        }
        Op::Replay(..) => return None,
    };
    Some((kind, postings.unwrap(), json!(format!("{op:?}"))))
}

/// Whether the model allows the postings: no covered account may go below zero.
fn allowed(model: &Model, postings: &[Posting]) -> bool {
    let mut after = model.clone();
    for p in postings {
        let key = (p.account.kind, p.account.owner.clone(), p.account.currency);
        *after.entry(key).or_default() += p.amount;
    }
    after
        .iter()
        .all(|((kind, _, _), v)| !kind.must_stay_covered() || *v >= 0)
}

fn run(db: &TestDb, ops: &[Op]) -> Result<(), TestCaseError> {
    let app = app(db);
    let users: Vec<String> = (0..3)
        .map(|i| member(&app, &format!("user{i}")).id.to_string())
        .collect();
    let currencies = [
        Currency::parse("EUR").unwrap(),
        Currency::parse("JPY").unwrap(),
    ];
    let mut model = Model::new();
    let mut done: Vec<(
        MoneyRequest,
        &'static str,
        serde_json::Value,
        Vec<Posting>,
        Receipt,
    )> = Vec::new();
    let (mut deposits, mut payouts) = (BTreeMap::<Currency, i64>::new(), BTreeMap::new());
    for (n, op) in ops.iter().enumerate() {
        let now = 1_800_000_000_000 + n as i64;
        if let Op::Replay(i, same) = *op {
            let Some((who, kind, request, postings, first)) = done.get(i % done.len().max(1))
            else {
                continue;
            };
            let request = if same {
                request.clone()
            } else {
                json!("another")
            };
            let result = testing::write(&app, |c| {
                apply_once(c, now, who, kind, &request, postings.clone(), json!({}))
            });
            if same {
                let again = result.unwrap();
                prop_assert!(again.replayed);
                prop_assert_eq!(&again.transaction_id, &first.transaction_id);
            } else {
                prop_assert!(
                    matches!(result, Err(AppError::Conflict { .. })),
                    "{:?}",
                    result
                );
            }
            continue;
        }
        let (kind, postings, request) = postings_of(op, &users, &currencies).unwrap();
        let who = MoneyRequest {
            requested_by: users[n % 3].clone(),
            key: format!("key-{n}"),
        };
        let expected = allowed(&model, &postings);
        let result = testing::write(&app, |c| {
            apply_once(
                c,
                now,
                &who,
                kind,
                &request,
                postings.clone(),
                json!({"op": n}),
            )
        });
        prop_assert_eq!(result.is_ok(), expected, "{:?}: {:?}", op, result);
        match result {
            Ok(receipt) => {
                for p in &postings {
                    let key = (p.account.kind, p.account.owner.clone(), p.account.currency);
                    *model.entry(key).or_default() += p.amount;
                }
                match *op {
                    Op::Deposit(_, a, c) => *deposits.entry(currencies[c]).or_default() += a,
                    Op::Payout(_, a, c) | Op::PayHeld(_, a, c) => {
                        *payouts.entry(currencies[c]).or_default() += a
                    }
                    _ => {}
                }
                done.push((who, kind, request, postings, receipt));
            }
            Err(e) => prop_assert!(matches!(e, AppError::Conflict { .. }), "{:?}", e),
        }
        let audit = app.work().audit_ledger().unwrap();
        prop_assert!(
            audit.unbalanced.is_empty() && audit.drifted.is_empty(),
            "{:?}",
            audit
        );
        prop_assert!(audit.negative.is_empty(), "{:?}", audit);
        for cur in currencies {
            let net =
                deposits.get(&cur).copied().unwrap_or(0) - payouts.get(&cur).copied().unwrap_or(0);
            prop_assert_eq!(audit.inside.get(cur.code()).copied().unwrap_or(0), net);
            prop_assert_eq!(audit.external.get(cur.code()).copied().unwrap_or(0), -net);
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]
    #[test]
    fn random_money_movements_keep_the_books(ops in proptest::collection::vec(op(), 1..40)) {
        for db in TestDb::all() {
            run(&db, &ops)?;
        }
    }
}

/// Applies `postings` unless `who` applied this request before (then its first receipt).
fn apply_once(
    c: &mut guildhall_store::DbConnection,
    now: i64,
    who: &MoneyRequest,
    kind: &'static str,
    request: &serde_json::Value,
    postings: Vec<Posting>,
    memo: serde_json::Value,
) -> Result<Receipt, AppError> {
    match ledger::lookup(c, who, kind, request)? {
        ledger::Lookup::Replayed(receipt) => Ok(receipt),
        ledger::Lookup::Unused(unused) => ledger::apply(c, now, unused, postings, memo),
    }
}

fn funding(
    app: &guildhall_app::App,
    who: &MoneyRequest,
    client: &str,
) -> Result<Receipt, AppError> {
    let eur = Currency::parse("EUR").unwrap();
    let postings = guildhall_domain::ledger::fund(client, "contract-1", 300, eur).unwrap();
    testing::write(app, |c| {
        apply_once(
            c,
            1_800_000_000_000,
            who,
            "fund",
            &json!({"milestone": "m1", "minor": 300}),
            postings.clone(),
            json!({}),
        )
    })
}

#[test]
fn parallel_requests_move_money_exactly_once() {
    for db in TestDb::all() {
        let app = app(&db);
        let mut operator_input = guildhall_app::testing::sign_up_input("operator");
        operator_input.email = "op@example.org".into();
        let operator = app.accounts().create_account(operator_input, true).unwrap();
        let client = member(&app, "client");
        let eur = Currency::parse("EUR").unwrap();
        app.work()
            .confirm_deposit(
                &operator,
                "client",
                guildhall_domain::money::Money::new(1_000, eur),
                "dep-1",
            )
            .unwrap();

        // The same key from eight threads: one transaction, seven replays.
        let same = MoneyRequest {
            requested_by: client.id.to_string(),
            key: "fund-m1".into(),
        };
        let results: Vec<_> = std::thread::scope(|s| {
            let hs: Vec<_> = (0..8)
                .map(|_| s.spawn(|| funding(&app, &same, &client.id.to_string())))
                .collect();
            hs.into_iter().map(|h| h.join().unwrap()).collect()
        });
        let receipts: Vec<Receipt> = results.into_iter().map(Result::unwrap).collect();
        assert_eq!(
            receipts.iter().filter(|r| !r.replayed).count(),
            1,
            "{:?}",
            db.backend
        );
        assert!(
            receipts
                .iter()
                .all(|r| r.transaction_id == receipts[0].transaction_id)
        );

        // Different keys racing for the rest (700): exactly two fundings of 300 fit.
        let results: Vec<_> = std::thread::scope(|s| {
            let hs: Vec<_> = (0..8)
                .map(|i| {
                    let (app, client) = (&app, &client);
                    s.spawn(move || {
                        let who = MoneyRequest {
                            requested_by: client.id.to_string(),
                            key: format!("fund-other-{i}"),
                        };
                        funding(app, &who, &client.id.to_string())
                    })
                })
                .collect();
            hs.into_iter().map(|h| h.join().unwrap()).collect()
        });
        let ok = results.iter().filter(|r| r.is_ok()).count();
        assert_eq!(ok, 2, "{results:?}");
        assert!(
            results
                .iter()
                .all(|r| r.is_ok() || matches!(r, Err(AppError::Conflict { .. })))
        );
        let wallet = app.work().balances(&client).unwrap();
        assert_eq!(wallet[0].minor, 100, "{wallet:?}");
        assert_eq!(wallet[0].display, "€1.00");
        let audit = app.work().audit_ledger().unwrap();
        assert!(audit.is_sound());
        assert_eq!(audit.inside["EUR"], 1_000);

        // The balance kept beside an account is checked against its postings.
        {
            use diesel::connection::SimpleConnection;
            let pool = db.pool();
            let mut conn = pool.get().unwrap();
            conn.batch_execute(
                "UPDATE ledger_accounts SET balance = balance + 1 WHERE kind = 'wallet'",
            )
            .unwrap();
            let audit = app.work().audit_ledger().unwrap();
            assert!(!audit.is_sound() && !audit.drifted.is_empty(), "{audit:?}");
            conn.batch_execute(
                "UPDATE ledger_accounts SET balance = balance - 1 WHERE kind = 'wallet'",
            )
            .unwrap();
        }

        // Only operators record manual transfers; a payout cannot exceed the wallet.
        assert!(matches!(
            app.work().confirm_deposit(
                &client,
                "client",
                guildhall_domain::money::Money::new(5, eur),
                "x"
            ),
            Err(AppError::Forbidden(_))
        ));
        assert!(matches!(
            app.work().record_payout(
                &operator,
                "client",
                guildhall_domain::money::Money::new(101, eur),
                "p1"
            ),
            Err(AppError::Conflict { .. })
        ));
        app.work()
            .record_payout(
                &operator,
                "client",
                guildhall_domain::money::Money::new(100, eur),
                "p2",
            )
            .unwrap();
        assert_eq!(app.work().audit_ledger().unwrap().inside["EUR"], 900);
    }
}
