//! Payment providers: how money enters and leaves the ledger. Each provider owns an external
//! ledger account; a deposit moves money from it into a member's wallet, a payout back out.
//! Members ask for a deposit and are told how to pay; the provider (or, for the built-in
//! `manual` provider, an operator who sees the transfer arrive) confirms it, and only then does
//! the wallet grow.

use crate::AppError;
use crate::accounts::Account;
use crate::events::record;
use crate::ledger::{self, Lookup, MoneyRequest, Receipt, ledger_error};
use crate::oversight::{Actor, audit};
use guildhall_domain::events::{DepositCancelled, DepositConfirmed, DepositRequested, Event};
use guildhall_domain::ledger::DepositStatus;
use guildhall_domain::money::Money;
use guildhall_store::DbConnection;
use guildhall_store::repo::deposits::{self as repo, DepositRow};
use guildhall_store::repo::users;
use serde::Serialize;
use serde_json::json;
use std::fmt::Debug;

/// Pending deposit requests a member may have at once.
const MAX_PENDING: usize = 5;

/// A way money reaches the instance.
pub trait PaymentProvider: Send + Sync + Debug {
    /// The name stored with deposits; also the owner of the provider's external ledger account.
    fn name(&self) -> &'static str;
    /// What the member is told to do to pay `amount`, quoting `reference`.
    fn instructions(&self, amount: Money, reference: &str) -> String;
    /// Sends a payout whose amount the ledger already holds. Called after the hold is
    /// committed, outside any transaction. A provider with an API submits the transfer and
    /// answers with its reference, then confirms or fails it later (by webhook); one that
    /// refuses answers why, and the payout fails at once with the money returned.
    fn send_payout(&self, order: &PayoutOrder<'_>) -> Result<PayoutSent, String>;
}

/// A payout for a provider to send.
#[derive(Clone, Debug)]
pub struct PayoutOrder<'a> {
    /// The payout's id: the provider's idempotency key, so a retried send pays once.
    pub id: &'a str,
    /// How much.
    pub amount: Money,
    /// Where to, as the member wrote it.
    pub details: &'a str,
}

/// What a provider did with a payout.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PayoutSent {
    /// Queued for an operator, who sends the transfer and confirms it on the payouts page.
    Queued,
    /// Submitted to the provider, which confirms or fails it later.
    Submitted {
        /// The provider's id for the transfer.
        reference: String,
    },
}

/// Bank transfers (or anything else) that an operator confirms by hand when the money arrives.
#[derive(Clone, Debug)]
pub struct ManualProvider {
    /// How to pay, as the operator wrote it (account details, who to contact).
    pub how_to_pay: String,
}

impl Default for ManualProvider {
    fn default() -> Self {
        Self {
            how_to_pay: "Pay the operators of this instance as they tell you.".into(),
        }
    }
}

impl PaymentProvider for ManualProvider {
    fn name(&self) -> &'static str {
        ledger::MANUAL_PROVIDER
    }

    fn instructions(&self, amount: Money, reference: &str) -> String {
        format!(
            "{} Send {} and quote the reference {reference}. Your wallet is credited when an operator confirms the payment arrived.",
            self.how_to_pay.trim(),
            amount.display()
        )
    }

    fn send_payout(&self, _order: &PayoutOrder<'_>) -> Result<PayoutSent, String> {
        Ok(PayoutSent::Queued)
    }
}

/// A deposit request as shown.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Deposit {
    /// The deposit's id (UUIDv7), as in `/deposits/{id}/cancel`.
    pub id: String,
    /// The member's handle.
    pub member: String,
    /// The payment provider handling it, by name; `manual` means an operator confirms it.
    pub provider: String,
    /// Minor units.
    pub amount: i64,
    /// ISO 4217.
    pub currency: String,
    /// Written out.
    pub amount_display: String,
    /// What to quote with the payment.
    pub reference: String,
    /// pending, confirmed or cancelled.
    pub status: String,
    /// How to pay, while pending.
    pub instructions: String,
    /// Asked (ms).
    pub created_at: i64,
    /// Confirmed or cancelled (ms).
    pub decided_at: Option<i64>,
}

impl crate::facades::Work<'_> {
    fn deposit_of(&self, c: &mut DbConnection, row: DepositRow) -> Result<Deposit, AppError> {
        let money = Money::new(row.amount, row.currency);
        let instructions = if row.status == DepositStatus::Pending {
            self.settings().payments.instructions(money, &row.reference)
        } else {
            String::new()
        };
        Ok(Deposit {
            member: crate::work::handle_of(c, row.user_id)?,
            amount_display: money.display(),
            instructions,
            id: row.id,
            provider: row.provider,
            amount: row.amount,
            currency: row.currency.code().into(),
            reference: row.reference,
            status: row.status.as_str().into(),
            created_at: row.created_at,
            decided_at: row.decided_at,
        })
    }

    /// A member asks to add money to their wallet, and learns how to pay.
    pub fn request_deposit(&self, member: &Account, amount: Money) -> Result<Deposit, AppError> {
        let amount = ledger::money(amount.minor, amount.currency.code())?;
        let now = self.now();
        let provider = self.settings().payments.name();
        self.write(|c| {
            let pending = repo::of_user(c, member.id, 100)?
                .into_iter()
                .filter(|d| d.status == DepositStatus::Pending)
                .count();
            if pending >= MAX_PENDING {
                return Err(AppError::conflict(
                    None,
                    format!("you have {MAX_PENDING} deposits waiting; cancel one or wait for them"),
                ));
            }
            let reference = format!(
                "GH-{}",
                &uuid::Uuid::new_v4().simple().to_string()[..10].to_ascii_uppercase()
            );
            let row = DepositRow {
                id: uuid::Uuid::now_v7().to_string(),
                user_id: member.id,
                provider: provider.into(),
                amount: amount.minor,
                currency: amount.currency,
                reference,
                status: DepositStatus::Pending,
                created_at: now,
                decided_by: None,
                decided_at: None,
            };
            repo::insert(c, &row)?;
            record(
                c,
                now,
                Event::DepositRequested(DepositRequested {
                    member: member.id.to_string(),
                    deposit: row.id.clone(),
                    amount: row.amount,
                    currency: row.currency.code().into(),
                    provider: provider.to_string(),
                }),
            )?;
            self.deposit_of(c, row)
        })
    }

    /// The caller's deposit requests, newest first.
    pub fn my_deposits(&self, member: &Account) -> Result<Vec<Deposit>, AppError> {
        self.read(|c| {
            repo::of_user(c, member.id, 50)?
                .into_iter()
                .map(|row| self.deposit_of(c, row))
                .collect()
        })
    }

    /// Deposits waiting for confirmation, oldest first (operators).
    pub fn pending_deposits(&self, operator: &Account) -> Result<Vec<Deposit>, AppError> {
        operator.require_operator("confirm payments")?;
        self.read(|c| {
            repo::pending(c, 200)?
                .into_iter()
                .map(|row| self.deposit_of(c, row))
                .collect()
        })
    }

    /// An operator confirms the money arrived: the member's wallet is credited from the
    /// provider's account. Keyed; confirming twice moves the money once.
    pub fn confirm_deposit_request(
        &self,
        operator: &Account,
        id: &str,
        key: &str,
    ) -> Result<Receipt, AppError> {
        operator.require_operator("confirm payments")?;
        ledger::check_key(key)?;
        let now = self.now();
        let who = MoneyRequest {
            requested_by: operator.id.to_string(),
            key: key.to_string(),
        };
        let request = json!({"deposit_request": id});
        self.write(|c| {
            let unused = match ledger::lookup(c, &who, "deposit", &request)? {
                Lookup::Replayed(receipt) => return Ok(receipt),
                Lookup::Unused(unused) => unused,
            };
            repo::lock(c, id)?;
            let mut row = repo::by_id(c, id)?.ok_or(AppError::NotFound)?;
            if row.status != DepositStatus::Pending {
                return Err(AppError::conflict(
                    None,
                    format!("this deposit is already {}", row.status),
                ));
            }
            let currency = row.currency;
            let postings = guildhall_domain::ledger::deposit(
                &row.user_id.to_string(),
                &row.provider,
                row.amount,
                currency,
            )
            .map_err(ledger_error)?;
            let handle = users::by_id(c, row.user_id)?.map(|u| u.handle);
            let memo =
                json!({"provider": row.provider, "user": handle, "reference": row.reference});
            let receipt = ledger::apply(c, now, unused, postings, memo)?;
            row.status = DepositStatus::Confirmed;
            row.decided_by = Some(operator.id);
            row.decided_at = Some(now);
            repo::update(c, &row)?;
            let what = format!(
                "{} for @{}",
                Money::new(row.amount, currency).display(),
                handle.as_deref().unwrap_or("?")
            );
            audit(
                c,
                now,
                &Actor::operator(operator)?,
                "money.deposit_confirmed",
                &what,
                "",
            )?;
            record(
                c,
                now,
                Event::DepositConfirmed(DepositConfirmed {
                    operator: operator.id.to_string(),
                    deposit: row.id.clone(),
                    member: row.user_id.to_string(),
                    amount: row.amount,
                    currency: row.currency.code().into(),
                    provider: row.provider.clone(),
                }),
            )?;
            Ok(receipt)
        })
    }

    /// Cancels a pending deposit request: its member, or an operator who saw no money arrive.
    pub fn cancel_deposit_request(&self, who: &Account, id: &str) -> Result<Deposit, AppError> {
        let now = self.now();
        self.write(|c| {
            repo::lock(c, id)?;
            let mut row = repo::by_id(c, id)?
                .filter(|r| r.user_id == who.id || who.is_operator)
                .ok_or(AppError::NotFound)?;
            if row.status != DepositStatus::Pending {
                return Err(AppError::conflict(
                    None,
                    format!("this deposit is already {}", row.status),
                ));
            }
            row.status = DepositStatus::Cancelled;
            row.decided_by = Some(who.id);
            row.decided_at = Some(now);
            repo::update(c, &row)?;
            record(
                c,
                now,
                Event::DepositCancelled(DepositCancelled {
                    by: who.id.to_string(),
                    deposit: row.id.clone(),
                    member: row.user_id.to_string(),
                }),
            )?;
            self.deposit_of(c, row)
        })
    }
}
