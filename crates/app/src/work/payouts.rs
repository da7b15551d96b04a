//! Payouts: money leaving the ledger to where its owner wants it. A member pays out their
//! wallet or referral rewards, a community's owner the community's share, to a payout method
//! they saved. Asking holds the amount in the owner's pending account (so it is spent once,
//! and a balance never goes below zero however many requests race); the payment provider then
//! pays it, or it fails with a reason and the amount goes back. The built-in manual provider
//! queues payouts for an operator, who sends the transfer and says so.

use crate::AppError;
use crate::accounts::Account;
use crate::communities::scope::Scope;
use crate::events::record;
use crate::ledger::{self, Lookup, MoneyRequest, ledger_error};
use crate::oversight::{Actor, MAX_REASON_CHARS, audit};
use crate::payments::{PayoutOrder, PayoutSent};
use guildhall_domain::community::Action;
use guildhall_domain::events::{Event, PayoutFailed, PayoutPaid, PayoutRequested, SYSTEM};
use guildhall_domain::ledger::{
    AccountKind, AccountRef, MAX_AMOUNT, PayoutStatus, hold_payout, pay_held_payout,
    return_held_payout,
};
use guildhall_domain::money::{Currency, Money};
use guildhall_domain::{FieldErrors, validation};
use guildhall_store::DbConnection;
use guildhall_store::repo::communities;
use guildhall_store::repo::ledger as ledger_repo;
use guildhall_store::repo::payouts::{self as repo, MethodRow, PayoutRow};
use serde::{Deserialize, Serialize};
use serde_json::json;

/// Payout methods a member may keep.
pub const MAX_METHODS: usize = 5;
/// Longest label of a method, in characters.
pub const MAX_LABEL_CHARS: usize = 60;
/// Longest details of a method, in characters.
pub const MAX_DETAILS_CHARS: usize = 500;
/// Postings shown under each balance.
const RECENT_POSTINGS: i64 = 20;

/// A payout method as its owner (and operators, on a payout) see it.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct PayoutMethod {
    /// The method's id (UUIDv7).
    pub id: String,
    /// The member's name for it.
    pub label: String,
    /// Where to send the money, as the member wrote it.
    pub details: String,
}

/// A payout method to save.
#[derive(Clone, Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PayoutMethodInput {
    /// A name for it ("Savings account"), 1 to 60 characters.
    pub label: String,
    /// Where to send the money: account holder, IBAN and BIC, or whatever the operators of
    /// this instance ask for; 1 to 500 characters.
    pub details: String,
}

/// A payout to ask for.
#[derive(Clone, Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PayoutInput {
    /// The account to pay out: `wallet`, `referral_rewards`, or `community_share` (with
    /// `community`).
    pub from: String,
    /// The community whose share is paid out (its owners only).
    #[serde(default)]
    pub community: Option<String>,
    /// Minor units.
    pub amount: i64,
    /// ISO 4217.
    pub currency: String,
    /// The payout method's id.
    pub method: String,
}

/// A payout as shown to whoever asked for it and to operators.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Payout {
    /// The payout's id (UUIDv7).
    pub id: String,
    /// The account paid out: wallet, referral_rewards or community_share.
    pub from: String,
    /// The community whose share it is, by address (slug), if any.
    pub community: Option<String>,
    /// Who asked, by handle.
    pub member: String,
    /// The method's label, as it was when asked.
    pub method_label: String,
    /// Where to send the money, as it was when asked.
    pub method_details: String,
    /// The payment provider paying it; `manual` means an operator sends it.
    pub provider: String,
    /// Minor units.
    pub amount: i64,
    /// ISO 4217.
    pub currency: String,
    /// Written out.
    pub amount_display: String,
    /// pending, paid or failed.
    pub status: String,
    /// The transfer's reference, once paid.
    pub reference: Option<String>,
    /// Why it failed.
    pub reason: Option<String>,
    /// Asked (ms).
    pub created_at: i64,
    /// Paid or failed (ms).
    pub decided_at: Option<i64>,
}

/// One movement on an account, newest first.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Movement {
    /// Day (UTC), `YYYY-MM-DD`.
    pub date: String,
    /// What it was, in words.
    pub what: String,
    /// Minor units: positive in, negative out.
    pub amount: i64,
    /// Written out.
    pub display: String,
}

/// One balance: an account of one currency, with the movements behind it.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct PayableBalance {
    /// wallet, referral_rewards or community_share.
    pub from: String,
    /// The community whose share it is, by address (slug), if any.
    pub community: Option<String>,
    /// The account in words: "Your wallet", "Data Guild's share".
    pub name: String,
    /// ISO 4217.
    pub currency: String,
    /// What can be paid out now, in minor units.
    pub available: i64,
    /// Written out.
    pub available_display: String,
    /// The payout in flight in this currency, if any.
    pub on_its_way: Option<Payout>,
    /// The latest movements, newest first (at most 20).
    pub movements: Vec<Movement>,
}

/// What a member has and can pay out.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct MoneyOverview {
    /// Their balances, and those of communities they own.
    pub balances: Vec<PayableBalance>,
    /// Their saved payout methods.
    pub methods: Vec<PayoutMethod>,
    /// Payouts they or their communities asked for, newest first.
    pub payouts: Vec<Payout>,
}

impl crate::facades::Work<'_> {
    /// The caller's saved payout methods.
    pub fn payout_methods(&self, who: &Account) -> Result<Vec<PayoutMethod>, AppError> {
        self.read(|c| {
            Ok(repo::methods_of(c, who.id)?
                .into_iter()
                .map(method)
                .collect())
        })
    }

    /// Saves a payout method (at most [`MAX_METHODS`]).
    pub fn add_payout_method(
        &self,
        who: &Account,
        input: PayoutMethodInput,
    ) -> Result<PayoutMethod, AppError> {
        let mut e = FieldErrors::new();
        let label = validation::text(&mut e, "/label", &input.label, 1, MAX_LABEL_CHARS, false);
        let details = validation::text(
            &mut e,
            "/details",
            &input.details,
            1,
            MAX_DETAILS_CHARS,
            true,
        );
        if !e.is_empty() {
            return Err(e.into());
        }
        let now = self.now();
        self.write(|c| {
            if repo::methods_of(c, who.id)?.len() >= MAX_METHODS {
                return Err(AppError::conflict(
                    None,
                    format!("you can keep {MAX_METHODS} payout methods; remove one first"),
                ));
            }
            let row = MethodRow {
                id: uuid::Uuid::now_v7().to_string(),
                user_id: who.id,
                label: label.clone(),
                details: details.clone(),
                created_at: now,
                removed_at: None,
            };
            repo::insert_method(c, &row)?;
            Ok(method(row))
        })
    }

    /// Removes one of the caller's payout methods; payouts that used it keep a copy.
    pub fn remove_payout_method(&self, who: &Account, id: &str) -> Result<(), AppError> {
        let now = self.now();
        self.write(|c| match repo::remove_method(c, who.id, id, now)? {
            true => Ok(()),
            false => Err(AppError::NotFound),
        })
    }

    /// The caller's balances (and their communities' shares), methods and payouts.
    pub fn money(&self, who: &Account) -> Result<MoneyOverview, AppError> {
        self.read(|c| {
            let mut balances = Vec::new();
            for kind in [AccountKind::Wallet, AccountKind::ReferralRewards] {
                let name = match kind {
                    AccountKind::Wallet => "Your wallet".to_string(),
                    _ => "Your referral rewards".to_string(),
                };
                balances.extend(balances_of(c, &who.id.to_string(), kind, None, &name)?);
            }
            let owned = owned_communities(c, who)?;
            for scope in &owned {
                balances.extend(community_balances(c, scope)?);
            }
            Ok(MoneyOverview {
                balances,
                methods: repo::methods_of(c, who.id)?
                    .into_iter()
                    .map(method)
                    .collect(),
                payouts: payouts_of(c, who, &owned)?,
            })
        })
    }

    /// A community's share, with its movements (its owners only).
    pub fn community_money(
        &self,
        who: &Account,
        slug: &str,
    ) -> Result<Vec<PayableBalance>, AppError> {
        self.read(|c| {
            let scope = Scope::load(c, slug, Some(who))?;
            scope.require(Action::ManageMoney)?;
            community_balances(c, &scope)
        })
    }

    /// Asks for a payout: the amount is held at once and sent through the payment provider.
    /// Keyed: asking again with the same key answers with the same payout.
    pub fn request_payout(
        &self,
        who: &Account,
        input: PayoutInput,
        key: &str,
    ) -> Result<Payout, AppError> {
        let mut e = FieldErrors::new();
        let currency = match Currency::parse(&input.currency) {
            Ok(c) => Some(c),
            Err(m) => {
                e.add("/currency", m);
                None
            }
        };
        if let Some(currency) = currency {
            let least = 10_i64.pow(u32::from(currency.exponent()));
            if input.amount < least || input.amount > MAX_AMOUNT {
                e.add(
                    "/amount",
                    format!(
                        "must be between {} and {}",
                        Money::new(least, currency).display(),
                        Money::new(MAX_AMOUNT, currency).display()
                    ),
                );
            }
        }
        if !matches!(
            input.from.as_str(),
            "wallet" | "referral_rewards" | "community_share"
        ) {
            e.add(
                "/from",
                "must be your wallet, your referral rewards or a community's share",
            );
        } else if (input.from == "community_share") != input.community.is_some() {
            e.add(
                "/community",
                "name the community exactly when paying out a community's share",
            );
        }
        ledger::check_key(key)?;
        let Some(currency) = currency.filter(|_| e.is_empty()) else {
            return Err(e.into());
        };
        let now = self.now();
        let provider = self.settings().payments.name();
        let who_asks = MoneyRequest {
            requested_by: who.id.to_string(),
            key: key.to_string(),
        };
        let request = json!({"from": input.from, "community": input.community,
            "amount": input.amount, "currency": currency.code(), "method": input.method});
        let row = self.write(|c| {
            let unused = match ledger::lookup(c, &who_asks, "payout_hold", &request)? {
                Lookup::Replayed(receipt) => {
                    return repo::by_hold(c, &receipt.transaction_id)?
                        .ok_or_else(|| AppError::internal("a held payout without its row"));
                }
                Lookup::Unused(unused) => unused,
            };
            let a = &source_of(c, who, &input, currency)?;
            let method = repo::methods_of(c, who.id)?
                .into_iter()
                .find(|m| m.id == input.method)
                .ok_or_else(|| AppError::field("/method", "choose one of your payout methods"))?;
            if let Some(flight) = repo::in_flight(c, &a.owner, currency)? {
                return Err(AppError::conflict(
                    None,
                    format!(
                        "a payout of {} in {} is already on its way; wait until it is paid or fails",
                        Money::new(flight.amount, currency).display(),
                        currency.code()
                    ),
                ));
            }
            let available = ledger_repo::account(c, a.kind.as_str(), &a.owner, currency)?
                .map_or(0, |row| row.balance);
            if available < input.amount {
                // The hold below refuses it too, whatever raced this check; this says how much
                // there is.
                return Err(AppError::conflict(
                    Some("/amount"),
                    format!(
                        "there is not enough money to pay out {}: {} is available",
                        Money::new(input.amount, currency).display(),
                        Money::new(available, currency).display()
                    ),
                ));
            }
            let id = uuid::Uuid::now_v7().to_string();
            let postings = hold_payout(a, input.amount).map_err(ledger_error)?;
            let receipt = ledger::apply(c, now, unused, postings, json!({"payout": id}))?;
            let row = PayoutRow {
                id,
                payee: a.owner.clone(),
                source: a.kind.as_str().into(),
                requested_by: who.id,
                method_label: method.label,
                method_details: method.details,
                provider: provider.into(),
                amount: input.amount,
                currency,
                status: PayoutStatus::Pending,
                hold_transaction: receipt.transaction_id,
                reference: None,
                reason: None,
                created_at: now,
                decided_by: None,
                decided_at: None,
            };
            repo::insert(c, &row)?;
            record(
                c,
                now,
                Event::PayoutRequested(PayoutRequested {
                    member: who.id.to_string(),
                    payout: row.id.clone(),
                    community: community_of(a.kind, &a.owner),
                    amount: row.amount,
                    currency: currency.code().into(),
                    provider: provider.into(),
                }),
            )?;
            Ok(row)
        })?;
        let row = self.send(row)?;
        self.read(|c| payout(c, row))
    }

    /// Hands a held payout to the payment provider, after the hold is committed: a provider
    /// is called outside any transaction. One that refuses fails the payout at once.
    fn send(&self, row: PayoutRow) -> Result<PayoutRow, AppError> {
        if row.status != PayoutStatus::Pending || row.reference.is_some() {
            return Ok(row);
        }
        let order = PayoutOrder {
            id: &row.id,
            amount: Money::new(row.amount, row.currency),
            details: &row.method_details,
        };
        match self.settings().payments.send_payout(&order) {
            Ok(PayoutSent::Queued) => Ok(row),
            Ok(PayoutSent::Submitted { reference }) => self.write(|c| {
                let mut row = row.clone();
                row.reference = Some(reference.clone());
                repo::update(c, &row)?;
                Ok(row)
            }),
            Err(reason) => self.decide(&Actor::provider(), &row.id, Decision::Fail(reason), None),
        }
    }

    /// The payouts the caller asked for, or their communities did, newest first.
    pub fn my_payouts(&self, who: &Account) -> Result<Vec<Payout>, AppError> {
        self.read(|c| {
            let owned = owned_communities(c, who)?;
            payouts_of(c, who, &owned)
        })
    }

    /// Payouts waiting to be sent, oldest first, then the latest decided (operators).
    pub fn payouts_to_send(&self, operator: &Account) -> Result<Vec<Payout>, AppError> {
        operator.require_operator("send payouts")?;
        self.read(|c| {
            let mut rows = repo::pending(c, 200)?;
            rows.extend(repo::decided(c, 50)?);
            rows.into_iter().map(|row| payout(c, row)).collect()
        })
    }

    /// An operator sent the money: the held amount leaves the ledger. Keyed.
    pub fn confirm_payout(
        &self,
        operator: &Account,
        id: &str,
        reference: Option<&str>,
        key: &str,
    ) -> Result<Payout, AppError> {
        operator.require_operator("send payouts")?;
        let mut e = FieldErrors::new();
        let reference = reference
            .map(|r| validation::text(&mut e, "/reference", r, 0, 100, false))
            .filter(|r| !r.is_empty());
        if !e.is_empty() {
            return Err(e.into());
        }
        let key = (!key.is_empty()).then_some(key);
        let row = self.decide(
            &Actor::operator(operator)?,
            id,
            Decision::Pay(reference),
            key,
        )?;
        self.read(|c| payout(c, row))
    }

    /// An operator could not send the money: the held amount goes back. Keyed.
    pub fn fail_payout(
        &self,
        operator: &Account,
        id: &str,
        reason: &str,
        key: &str,
    ) -> Result<Payout, AppError> {
        operator.require_operator("send payouts")?;
        let mut e = FieldErrors::new();
        let reason = validation::text(&mut e, "/reason", reason, 1, MAX_REASON_CHARS, true);
        if !e.is_empty() {
            return Err(e.into());
        }
        let row = self.decide(
            &Actor::operator(operator)?,
            id,
            Decision::Fail(reason),
            Some(key),
        )?;
        self.read(|c| payout(c, row))
    }

    /// Pays or fails a pending payout, moving its held amount out or back, in one
    /// transaction. `key` makes a repeated decision answer as the first did.
    fn decide(
        &self,
        actor: &Actor,
        id: &str,
        decision: Decision,
        key: Option<&str>,
    ) -> Result<PayoutRow, AppError> {
        let now = self.now();
        let kind = decision.kind();
        let who = MoneyRequest {
            requested_by: actor.requester(),
            key: key.map_or_else(|| format!("{kind}-{id}"), str::to_string),
        };
        let request = json!({"payout": id, "decision": kind});
        self.write(|c| {
            let unused = match ledger::lookup(c, &who, kind, &request)? {
                Lookup::Replayed(_) => return repo::by_id(c, id)?.ok_or(AppError::NotFound),
                Lookup::Unused(unused) => unused,
            };
            repo::lock(c, id)?;
            let mut row = repo::by_id(c, id)?.ok_or(AppError::NotFound)?;
            if row.status != PayoutStatus::Pending {
                return Err(AppError::conflict(
                    None,
                    format!("this payout is already {}", row.status.as_str()),
                ));
            }
            let kind_of_source = AccountKind::parse(&row.source)
                .ok_or_else(|| AppError::internal("a payout from an unknown account"))?;
            let source = AccountRef::new(kind_of_source, &row.payee, row.currency);
            let postings = match &decision {
                Decision::Pay(_) => pay_held_payout(&source, &row.provider, row.amount),
                Decision::Fail(_) => return_held_payout(&source, row.amount),
            }
            .map_err(ledger_error)?;
            ledger::apply(c, now, unused, postings, json!({"payout": row.id}))?;
            row.decided_by = actor.account();
            row.decided_at = Some(now);
            let (action, why) = match &decision {
                Decision::Pay(reference) => {
                    row.status = PayoutStatus::Paid;
                    row.reference = reference.clone().or(row.reference.take());
                    ("money.payout_paid", String::new())
                }
                Decision::Fail(reason) => {
                    row.status = PayoutStatus::Failed;
                    row.reason = Some(reason.clone());
                    ("money.payout_failed", reason.clone())
                }
            };
            repo::update(c, &row)?;
            let community = community_of(kind_of_source, &row.payee);
            let money = Money::new(row.amount, row.currency);
            let by = actor
                .account()
                .map_or_else(|| SYSTEM.to_string(), |a| a.to_string());
            let event = match &decision {
                Decision::Pay(_) => Event::PayoutPaid(PayoutPaid {
                    by,
                    payout: row.id.clone(),
                    member: row.requested_by.to_string(),
                    community,
                    amount: row.amount,
                    currency: row.currency.code().into(),
                    provider: row.provider.clone(),
                }),
                Decision::Fail(reason) => Event::PayoutFailed(PayoutFailed {
                    by,
                    payout: row.id.clone(),
                    member: row.requested_by.to_string(),
                    community,
                    amount: row.amount,
                    currency: row.currency.code().into(),
                    reason: reason.clone(),
                }),
            };
            let what = format!(
                "{} to @{}",
                money.display(),
                crate::work::handle_of(c, row.requested_by)?
            );
            audit(c, now, actor, action, &what, &why)?;
            record(c, now, event)?;
            Ok(row)
        })
    }
}

/// What an operator (or a provider) decided about a payout.
enum Decision {
    /// Sent, with the transfer's reference if one was given.
    Pay(Option<String>),
    /// Not sent, and why.
    Fail(String),
}

impl Decision {
    /// The kind of the ledger transaction it makes.
    fn kind(&self) -> &'static str {
        match self {
            Decision::Pay(_) => "payout",
            Decision::Fail(_) => "payout_return",
        }
    }
}

/// The community whose share an account of `kind` owned by `owner` is, if it is one.
fn community_of(kind: AccountKind, owner: &str) -> Option<String> {
    (kind == AccountKind::CommunityShare).then(|| owner.to_string())
}

/// The communities whose money the caller manages (their owners').
fn owned_communities(c: &mut DbConnection, who: &Account) -> Result<Vec<Scope>, AppError> {
    let mut owned = Vec::new();
    for (id, _) in communities::of_member(c, who.id)? {
        let Some(row) = communities::by_id(c, &id)? else {
            continue;
        };
        let scope = Scope::of(c, row, Some(who))?;
        if scope.may(Action::ManageMoney) {
            owned.push(scope);
        }
    }
    Ok(owned)
}

/// The payouts of the caller and of the communities they own, newest first.
fn payouts_of(
    c: &mut DbConnection,
    who: &Account,
    owned: &[Scope],
) -> Result<Vec<Payout>, AppError> {
    let mut payees = vec![who.id.to_string()];
    payees.extend(owned.iter().map(|s| s.id().to_string()));
    repo::of_payees(c, &payees, 50)?
        .into_iter()
        .map(|row| payout(c, row))
        .collect()
}

fn method(row: MethodRow) -> PayoutMethod {
    PayoutMethod {
        id: row.id,
        label: row.label,
        details: row.details,
    }
}

/// The account a payout request draws on, after checking the caller may draw on it.
fn source_of(
    c: &mut DbConnection,
    who: &Account,
    input: &PayoutInput,
    currency: Currency,
) -> Result<AccountRef, AppError> {
    let mine = |kind| AccountRef::new(kind, who.id.to_string(), currency);
    match input.from.as_str() {
        "wallet" => Ok(mine(AccountKind::Wallet)),
        "referral_rewards" => Ok(mine(AccountKind::ReferralRewards)),
        _ => {
            let slug = input.community.as_deref().unwrap_or_default();
            let scope = Scope::load(c, slug, Some(who))?;
            scope.require(Action::ManageMoney)?;
            Ok(AccountRef::new(
                AccountKind::CommunityShare,
                scope.id(),
                currency,
            ))
        }
    }
}

/// The balances of one owner's accounts of `kind`, one per currency.
fn balances_of(
    c: &mut DbConnection,
    owner: &str,
    kind: AccountKind,
    community: Option<&str>,
    name: &str,
) -> Result<Vec<PayableBalance>, AppError> {
    let mut out = Vec::new();
    for account in ledger_repo::accounts_of(c, owner)? {
        if account.kind != kind.as_str() {
            continue;
        }
        let currency = account.currency;
        let movements = ledger_repo::recent(c, &account.id, RECENT_POSTINGS)?
            .into_iter()
            .map(|r| Movement {
                date: super::statements::utc_day(r.created_at),
                what: movement_words(&r.kind, r.amount).into(),
                display: Money::new(r.amount, currency).display(),
                amount: r.amount,
            })
            .collect();
        let on_its_way = repo::in_flight(c, owner, currency)?
            .filter(|p| p.source == kind.as_str())
            .map(|p| payout(c, p))
            .transpose()?;
        out.push(PayableBalance {
            from: kind.as_str().into(),
            community: community.map(str::to_string),
            name: name.to_string(),
            currency: currency.code().into(),
            available: account.balance,
            available_display: Money::new(account.balance, currency).display(),
            on_its_way,
            movements,
        });
    }
    Ok(out)
}

fn community_balances(
    c: &mut DbConnection,
    scope: &Scope,
) -> Result<Vec<PayableBalance>, AppError> {
    let name = format!("{}'s share", scope.row.name);
    balances_of(
        c,
        scope.id(),
        AccountKind::CommunityShare,
        Some(&scope.row.slug),
        &name,
    )
}

/// A ledger transaction's kind in words, as seen from an account it moved `amount` on.
pub fn movement_words(kind: &str, amount: i64) -> &'static str {
    match (kind, amount > 0) {
        ("deposit", _) => "Money added",
        ("fund", _) => "Milestone funded",
        ("release", _) => "Payment for work",
        ("refund", _) => "Escrow returned",
        ("payout", _) => "Paid out",
        ("payout_hold", _) => "Payout asked for",
        ("payout_return", _) => "Payout failed: money returned",
        ("distribution", true) => "Community revenue share",
        ("distribution", false) => "Shared out to members",
        (_, true) => "Money in",
        (_, false) => "Money out",
    }
}

/// An account's kind in words.
pub fn account_words(kind: &str) -> &'static str {
    match AccountKind::parse(kind) {
        Some(AccountKind::Wallet) => "Wallet",
        Some(AccountKind::ReferralRewards) => "Referral rewards",
        Some(AccountKind::CommunityShare) => "Community share",
        Some(AccountKind::PayoutPending) => "Payout on its way",
        Some(AccountKind::MemberPool) => "Members' pool",
        Some(AccountKind::Escrow) => "Escrow",
        Some(AccountKind::PlatformRevenue) => "Platform fees",
        Some(AccountKind::External) | None => "Outside",
    }
}

/// A payout row as shown.
fn payout(c: &mut DbConnection, row: PayoutRow) -> Result<Payout, AppError> {
    let community = if row.source == AccountKind::CommunityShare.as_str() {
        communities::by_id(c, &row.payee)?.map(|r| r.slug)
    } else {
        None
    };
    Ok(Payout {
        member: crate::work::handle_of(c, row.requested_by)?,
        amount_display: Money::new(row.amount, row.currency).display(),
        community,
        id: row.id,
        from: row.source,
        method_label: row.method_label,
        method_details: row.method_details,
        provider: row.provider,
        amount: row.amount,
        currency: row.currency.code().into(),
        status: row.status.as_str().into(),
        reference: row.reference,
        reason: row.reason,
        created_at: row.created_at,
        decided_at: row.decided_at,
    })
}
