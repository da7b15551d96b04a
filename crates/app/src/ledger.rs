//! Moving money. Each operation becomes one balanced ledger transaction, applied at most once
//! per idempotency key, and never leaves an account that holds someone's money below zero.
//! Use cases that move money (deposits, milestone funding and release, refunds, payouts) call
//! `apply` inside their own transaction.

use crate::AppError;
use crate::accounts::Account;
use crate::events::record;
use crate::oversight::{Actor, audit};
use crate::secrets::hash_token;
use guildhall_domain::FieldErrors;
use guildhall_domain::events::{Event, LedgerPosted, PostingLine, SYSTEM, TransferRecorded};
use guildhall_domain::ledger::{self, AccountKind, LedgerError, Posting};
use guildhall_domain::money::{Currency, Money};
use guildhall_store::repo::ledger::{self as repo, AccountRow, TransactionRow};
use guildhall_store::repo::users;
use guildhall_store::{Carried, DbConnection, StoreError};
use serde::Serialize;
use serde_json::{Value, json};
use std::collections::BTreeMap;

/// The payment provider that records transfers an operator confirms by hand.
pub const MANUAL_PROVIDER: &str = "manual";

/// Who asks for a money movement, and the key that makes retries safe.
#[derive(Clone, Debug)]
pub struct MoneyRequest {
    /// The caller's user id.
    pub requested_by: String,
    /// Chosen by the caller, unique per intended movement (1–100 visible ASCII characters).
    pub key: String,
}

/// What a money movement did.
#[derive(Clone, Debug, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Receipt {
    /// The ledger transaction.
    pub transaction_id: String,
    /// deposit, fund, release, refund or payout.
    pub kind: String,
    /// What it was for, and how a release was split.
    #[schema(value_type = Object)]
    pub memo: Value,
    /// True when this answers a replayed key: nothing moved this time.
    pub replayed: bool,
}

/// A balance of one of the caller's accounts.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Balance {
    /// Account kind.
    pub kind: String,
    /// ISO 4217.
    pub currency: String,
    /// Minor units.
    pub minor: i64,
    /// Written out, e.g. `€1,234.50`.
    pub display: String,
}

/// The whole ledger checked: what a property test or an operator's audit wants to know.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Audit {
    /// Transactions whose postings do not sum to zero in some currency.
    pub unbalanced: Vec<String>,
    /// Accounts that hold someone's money and are below zero.
    pub negative: Vec<String>,
    /// Per currency: money inside the platform (every account but the external ones).
    pub inside: BTreeMap<String, i64>,
    /// Per currency: the external accounts' balance (minus deposits plus payouts).
    pub external: BTreeMap<String, i64>,
    /// Accounts whose kept balance differs from the sum of their postings.
    pub drifted: Vec<String>,
}

impl Audit {
    /// Whether every transaction balances, no covered account is below zero and every kept
    /// balance is the sum of its postings.
    pub fn is_sound(&self) -> bool {
        self.unbalanced.is_empty() && self.negative.is_empty() && self.drifted.is_empty()
    }
}

pub(crate) fn ledger_error(e: LedgerError) -> AppError {
    match e {
        LedgerError::Insufficient(kind) => AppError::conflict(
            Some("/amount"),
            format!(
                "not enough money in the {} for this",
                match kind {
                    AccountKind::Wallet => "wallet",
                    AccountKind::Escrow => "escrow",
                    _ => "account",
                }
            ),
        ),
        LedgerError::BadAmount { .. } => AppError::field("/amount", e.to_string()),
        other => AppError::caused("a ledger rule broke", other),
    }
}

/// Checks an idempotency key.
pub fn check_key(key: &str) -> Result<(), AppError> {
    if key.is_empty() || key.len() > 100 || !key.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(AppError::field(
            "/idempotency_key",
            "must be 1 to 100 visible ASCII characters",
        ));
    }
    Ok(())
}

/// The account a posting moves money in, by the key it is unique by.
fn account_of(p: &Posting) -> (AccountKind, &str, Currency) {
    (p.account.kind, p.account.owner.as_str(), p.account.currency)
}

/// A money request whose key this transaction found unused, or will find so as it applies the
/// request. Only [`lookup`] and [`unlooked`] make one and [`apply`] takes it, so each request's
/// key is read at most once.
pub struct Unused<'a> {
    who: &'a MoneyRequest,
    kind: &'static str,
    request_hash: String,
    /// Whether [`lookup`] read the key: if not, [`apply`] finds a used key when it writes.
    looked_up: bool,
}

impl Unused<'_> {
    /// Who asked for the movement.
    pub fn requested_by(&self) -> &str {
        &self.who.requested_by
    }
}

/// What looking up a request's key found.
pub enum Lookup<'a> {
    /// The request was applied before under this key: nothing moves again.
    Replayed(Receipt),
    /// The key is unused: the request may be applied.
    Unused(Unused<'a>),
}

/// Looks up the key of `who`'s request of `kind`: a replay of a request applied before answers
/// with its receipt, a key used for a different request is refused. `request` is what the
/// caller asked, hashed to recognise a replay. Use cases call it before checking state, so a
/// replay of a request that already changed the state answers as the first time did.
pub fn lookup<'a>(
    c: &mut DbConnection,
    who: &'a MoneyRequest,
    kind: &'static str,
    request: &Value,
) -> Result<Lookup<'a>, AppError> {
    check_key(&who.key)?;
    let request_hash = request_hash(kind, request);
    match repo::by_key(c, &who.requested_by, &who.key)? {
        Some(done) => replay(done, &request_hash).map(Lookup::Replayed),
        None => Ok(Lookup::Unused(Unused {
            who,
            kind,
            request_hash,
            looked_up: true,
        })),
    }
}

/// `who`'s request of `kind`, its key not read first: for a step whose checks already refuse
/// a replay of itself (a milestone funded or released does not take the step again), which
/// then calls [`lookup`] only when its checks refuse. [`apply`] refuses the request if the key
/// turns out used, for a different request, as [`lookup`] would have.
pub fn unlooked<'a>(
    who: &'a MoneyRequest,
    kind: &'static str,
    request: &Value,
) -> Result<Unused<'a>, AppError> {
    check_key(&who.key)?;
    Ok(Unused {
        who,
        kind,
        request_hash: request_hash(kind, request),
        looked_up: false,
    })
}

/// Applies `postings` as one transaction of the looked-up request's kind.
pub fn apply(
    c: &mut DbConnection,
    now: i64,
    request: Unused<'_>,
    postings: Vec<Posting>,
    memo: Value,
) -> Result<Receipt, AppError> {
    apply_carrying(c, now, request, postings, memo, &[])
}

/// Applies `postings` as [`apply`] does, the `carried` writes of the step going with them
/// (one statement on PostgreSQL: see [`Carried`]).
pub fn apply_carrying(
    c: &mut DbConnection,
    now: i64,
    request: Unused<'_>,
    postings: Vec<Posting>,
    memo: Value,
    carried: &[Carried<'_>],
) -> Result<Receipt, AppError> {
    let Unused {
        who,
        kind,
        request_hash,
        looked_up,
    } = request;
    ledger::check_balanced(&postings).map_err(ledger_error)?;
    // Each account's balance changes once, in one order of accounts, so two transfers in
    // opposite directions cannot deadlock; the change itself locks the account until commit
    // (an account's first posting opens it), and an account that holds someone's money
    // refuses to go below zero (the whole transaction then rolls back).
    let mut change: BTreeMap<(AccountKind, &str, Currency), i64> = BTreeMap::new();
    for p in &postings {
        *change.entry(account_of(p)).or_insert(0) += p.amount;
    }
    let rows: Vec<AccountRow> = change
        .iter()
        .map(|(&(kind, owner, currency), &delta)| AccountRow {
            id: uuid::Uuid::now_v7().to_string(),
            kind: kind.as_str().into(),
            owner_id: owner.into(),
            currency,
            created_at: now,
            balance: delta,
        })
        .collect();
    // Each posting names its account by its place in `rows`, the order of `change`.
    let place: BTreeMap<_, usize> = change.keys().enumerate().map(|(i, &k)| (k, i)).collect();
    let lines: Vec<(usize, i64)> = postings
        .iter()
        .map(|p| (place[&account_of(p)], p.amount))
        .collect();
    let row = TransactionRow {
        id: uuid::Uuid::now_v7().to_string(),
        kind: kind.into(),
        requested_by: who.requested_by.clone(),
        idempotency_key: who.key.clone(),
        request_hash,
        memo: memo.to_string(),
        created_at: now,
    };
    let changed = match repo::post(c, &rows, &row, &lines, carried) {
        // The key this request was not looked up by is taken: the step's checks let it by, so
        // it is another request (the transaction rolls back with this answer).
        Err(StoreError::Unique(_)) if !looked_up => return Err(key_used()),
        posted => posted?,
    };
    // A refusal rolls the whole transaction back, postings and all.
    for ((account, delta), (_, balance)) in change.into_iter().zip(changed) {
        if delta < 0 && balance < 0 && account.0.must_stay_covered() {
            return Err(ledger_error(LedgerError::Insufficient(account.0)));
        }
    }
    let shown: Vec<PostingLine> = postings
        .iter()
        .map(|p| PostingLine {
            kind: p.account.kind.as_str().into(),
            owner: p.account.owner.clone(),
            currency: p.account.currency.code().into(),
            amount: p.amount,
        })
        .collect();
    record(
        c,
        now,
        posted(
            kind,
            LedgerPosted {
                requested_by: who.requested_by.clone(),
                transaction: row.id.clone(),
                postings: shown,
                memo: memo.clone(),
            },
        )?,
    )?;
    Ok(Receipt {
        transaction_id: row.id,
        kind: row.kind,
        memo,
        replayed: false,
    })
}

/// The feed's event for a transaction of `kind`.
fn posted(kind: &str, posted: LedgerPosted) -> Result<Event, AppError> {
    Ok(match kind {
        "deposit" => Event::LedgerDeposit(posted),
        "fund" => Event::LedgerFund(posted),
        "release" => Event::LedgerRelease(posted),
        "refund" => Event::LedgerRefund(posted),
        "payout" => Event::LedgerPayout(posted),
        "payout_hold" => Event::LedgerPayoutHeld(posted),
        "payout_return" => Event::LedgerPayoutReturned(posted),
        "distribution" => Event::LedgerDistribution(posted),
        other => return Err(AppError::internal(format!("no ledger event for {other:?}"))),
    })
}

/// The answer to a key already used for a different request.
fn key_used() -> AppError {
    AppError::conflict(
        Some("/idempotency_key"),
        "this idempotency key was already used for a different request",
    )
}

fn request_hash(kind: &str, request: &Value) -> String {
    hash_token(&json!({"kind": kind, "request": request}).to_string())
}

fn replay(done: TransactionRow, request_hash: &str) -> Result<Receipt, AppError> {
    if done.request_hash != request_hash {
        return Err(key_used());
    }
    Ok(Receipt {
        memo: serde_json::from_str(&done.memo).unwrap_or(Value::Null),
        transaction_id: done.id,
        kind: done.kind,
        replayed: true,
    })
}

/// Checks an amount and currency typed by a person.
pub fn money(minor: i64, currency: &str) -> Result<Money, AppError> {
    let mut e = FieldErrors::new();
    let parsed = Currency::parse(currency);
    if let Err(m) = parsed {
        e.add("/currency", m);
    }
    if minor <= 0 || minor > ledger::MAX_AMOUNT {
        e.add(
            "/amount",
            format!("must be between 1 and {}", ledger::MAX_AMOUNT),
        );
    }
    match parsed {
        Ok(c) if e.is_empty() => Ok(Money::new(minor, c)),
        _ => Err(e.into()),
    }
}

impl crate::facades::Work<'_> {
    /// Records money that arrived for a member through the manual provider (operators).
    pub fn confirm_deposit(
        &self,
        operator: &Account,
        handle: &str,
        amount: Money,
        key: &str,
    ) -> Result<Receipt, AppError> {
        operator.require_operator("record transfers of the payment provider")?;
        self.transfer(&Actor::operator(operator)?, handle, amount, key, true)
    }

    /// Records money a member paid in, on the word of whoever runs `guildhall` on the server
    /// (generated demo data funds its clients so).
    pub fn confirm_deposit_from_command_line(
        &self,
        handle: &str,
        amount: Money,
        key: &str,
    ) -> Result<Receipt, AppError> {
        self.transfer(&Actor::command_line(), handle, amount, key, true)
    }

    /// Records money paid out to a member through the manual provider (operators).
    pub fn record_payout(
        &self,
        operator: &Account,
        handle: &str,
        amount: Money,
        key: &str,
    ) -> Result<Receipt, AppError> {
        operator.require_operator("record transfers of the payment provider")?;
        self.transfer(&Actor::operator(operator)?, handle, amount, key, false)
    }

    fn transfer(
        &self,
        actor: &Actor,
        handle: &str,
        amount: Money,
        key: &str,
        deposit: bool,
    ) -> Result<Receipt, AppError> {
        let now = self.now();
        let who = MoneyRequest {
            requested_by: actor.requester(),
            key: key.to_string(),
        };
        let provider = self.settings().payments.name();
        self.write(|c| {
            let user = users::by_handle(c, handle)?.ok_or(AppError::NotFound)?;
            let (kind, postings) = if deposit {
                let p = ledger::deposit(
                    &user.id.to_string(),
                    provider,
                    amount.minor,
                    amount.currency,
                );
                ("deposit", p)
            } else {
                let p = ledger::payout(
                    &user.id.to_string(),
                    provider,
                    amount.minor,
                    amount.currency,
                );
                ("payout", p)
            };
            let request =
                json!({"user": user.id, "minor": amount.minor, "currency": amount.currency.code()});
            let unused = match lookup(c, &who, kind, &request)? {
                Lookup::Replayed(receipt) => return Ok(receipt),
                Lookup::Unused(unused) => unused,
            };
            let what = format!("{kind} of {} for @{}", amount.display(), user.handle);
            audit(c, now, actor, "money.transferred", &what, "")?;
            record(
                c,
                now,
                Event::TransferRecorded(TransferRecorded {
                    by: actor
                        .account()
                        .map_or_else(|| SYSTEM.to_string(), |a| a.to_string()),
                    member: user.id.to_string(),
                    direction: if deposit { "in" } else { "out" }.into(),
                    amount: amount.minor,
                    currency: amount.currency.code().into(),
                }),
            )?;
            apply(
                c,
                now,
                unused,
                postings.map_err(ledger_error)?,
                json!({"provider": provider, "user": user.handle}),
            )
        })
    }

    /// What the caller's wallet holds in `currency`, written out (`€0.00` when empty).
    pub fn wallet_balance(&self, who: &Account, currency: &str) -> Result<String, AppError> {
        let held = self
            .balances(who)?
            .into_iter()
            .find(|b| b.kind == "wallet" && b.currency == currency);
        Ok(match (held, Currency::parse(currency)) {
            (Some(b), _) => b.display,
            (None, Ok(cur)) => Money::new(0, cur).display(),
            (None, Err(_)) => format!("0 {currency}"),
        })
    }

    /// The caller's balances.
    pub fn balances(&self, who: &Account) -> Result<Vec<Balance>, AppError> {
        self.read(|c| {
            let mut out = Vec::new();
            for row in repo::accounts_of(c, &who.id.to_string())? {
                let minor = repo::balance(c, &row.id)?;
                out.push(Balance {
                    kind: row.kind,
                    currency: row.currency.code().to_string(),
                    display: Money::new(minor, row.currency).display(),
                    minor,
                });
            }
            Ok(out)
        })
    }

    /// Checks the whole ledger: every transaction balanced, no covered account negative, and
    /// the money inside equal to what came in minus what went out, per currency.
    pub fn audit_ledger(&self) -> Result<Audit, AppError> {
        self.read(|c| {
            let accounts: BTreeMap<String, AccountRow> = repo::all_accounts(c)?
                .into_iter()
                .map(|a| (a.id.clone(), a))
                .collect();
            let mut audit = Audit::default();
            let mut per_tx: BTreeMap<(String, String), i64> = BTreeMap::new();
            let mut per_account: BTreeMap<String, i64> = BTreeMap::new();
            for (tx, account, amount) in repo::all_postings(c)? {
                let currency = accounts
                    .get(&account)
                    .map(|a| a.currency.code().to_string())
                    .unwrap_or_default();
                *per_tx.entry((tx, currency)).or_default() += amount;
                *per_account.entry(account).or_default() += amount;
            }
            audit.unbalanced = per_tx
                .into_iter()
                .filter(|(_, sum)| *sum != 0)
                .map(|((tx, _), _)| tx)
                .collect();
            audit.drifted = accounts
                .values()
                .filter(|a| per_account.get(&a.id).copied().unwrap_or(0) != a.balance)
                .map(|a| a.id.clone())
                .collect();
            for (id, balance) in per_account {
                let Some(a) = accounts.get(&id) else { continue };
                let kind = AccountKind::parse(&a.kind);
                let bucket = if kind == Some(AccountKind::External) {
                    &mut audit.external
                } else {
                    &mut audit.inside
                };
                *bucket.entry(a.currency.code().to_string()).or_default() += balance;
                if kind.is_some_and(AccountKind::must_stay_covered) && balance < 0 {
                    audit.negative.push(id);
                }
            }
            Ok(audit)
        })
    }
}
