//! Statements: what a member earned and a client spent in a period, line by line from the
//! ledger, with totals per currency, and as CSV.

use crate::AppError;
use crate::accounts::Account;
use guildhall_domain::money::{Currency, Money};
use guildhall_domain::{FieldErrors, calendar, validation};
use guildhall_store::repo::ledger as repo;
use serde::Serialize;
use std::collections::BTreeMap;

const DAY_MS: i64 = 24 * 3600 * 1000;

/// One movement on one of the caller's accounts.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct StatementLine {
    /// Day (UTC), `YYYY-MM-DD`.
    pub date: String,
    /// Ledger transaction.
    pub transaction_id: String,
    /// deposit, fund, release, refund or payout.
    pub kind: String,
    /// The account: wallet or referral_rewards.
    pub account: String,
    /// The contract it was for, if any.
    pub contract: Option<String>,
    /// Minor units: positive in, negative out.
    pub amount: i64,
    /// ISO 4217.
    pub currency: String,
    /// Written out.
    pub display: String,
}

/// Totals of one currency in a period, in minor units.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Totals {
    /// ISO 4217.
    pub currency: String,
    /// Released to the caller's wallet for work done (after fees and shares).
    pub earned: i64,
    /// Referral rewards received.
    pub referral_rewards: i64,
    /// Paid into escrow as a client.
    pub spent: i64,
    /// Escrow returned as a client.
    pub refunded: i64,
    /// Money that arrived.
    pub deposited: i64,
    /// Money paid out.
    pub paid_out: i64,
}

/// A statement for a period.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Statement {
    /// First day, inclusive.
    pub from: String,
    /// Last day, inclusive.
    pub to: String,
    /// Movements, oldest first.
    pub lines: Vec<StatementLine>,
    /// Totals per currency.
    pub totals: Vec<Totals>,
}

impl Totals {
    /// `minor` of this currency, written out.
    pub fn display(&self, minor: i64) -> String {
        match Currency::parse(&self.currency) {
            Ok(c) => Money::new(minor, c).display(),
            Err(_) => format!("{minor} {}", self.currency),
        }
    }
}

impl Statement {
    /// The lines as CSV (RFC 4180), amounts in minor units and written out.
    pub fn to_csv(&self) -> Result<String, AppError> {
        let mut w = csv::Writer::from_writer(Vec::new());
        let internal = |e: csv::Error| AppError::caused("writing a statement as CSV", e);
        w.write_record([
            "date",
            "transaction",
            "kind",
            "account",
            "contract",
            "amount_minor",
            "currency",
            "amount",
        ])
        .map_err(internal)?;
        for l in &self.lines {
            // Spreadsheets read `1234.50 EUR` better than the page's `€1,234.50`.
            let plain = Currency::parse(&l.currency)
                .map(|c| Money::new(l.amount, c).plain())
                .unwrap_or_else(|_| l.display.clone());
            w.write_record([
                l.date.as_str(),
                &l.transaction_id,
                &l.kind,
                &l.account,
                l.contract.as_deref().unwrap_or(""),
                &l.amount.to_string(),
                &l.currency,
                &plain,
            ])
            .map_err(internal)?;
        }
        let bytes = w
            .into_inner()
            .map_err(|e| AppError::caused("writing a statement as CSV", e))?;
        String::from_utf8(bytes).map_err(|e| AppError::caused("writing a statement as CSV", e))
    }
}

/// The day (UTC) of a moment, `YYYY-MM-DD`.
pub(crate) fn utc_day(ms: i64) -> String {
    calendar::local_input(ms, "UTC")
        .get(..10)
        .unwrap_or_default()
        .to_string()
}

impl crate::facades::Work<'_> {
    /// The caller's statement from `from` to `to` (both `YYYY-MM-DD`, inclusive, UTC).
    pub fn statement(&self, who: &Account, from: &str, to: &str) -> Result<Statement, AppError> {
        let mut e = FieldErrors::new();
        let from = validation::date(&mut e, "/from", from);
        let to = validation::date(&mut e, "/to", to);
        if e.is_empty() && to < from {
            e.add("/to", "must not be before the start");
        }
        if !e.is_empty() {
            return Err(e.into());
        }
        let start = calendar::parse_local(&format!("{from}T00:00"), "UTC")
            .map_err(|m| AppError::field("/from", m))?;
        let end = calendar::parse_local(&format!("{to}T00:00"), "UTC")
            .map_err(|m| AppError::field("/to", m))?
            + DAY_MS;
        let rows = self.read(|c| Ok(repo::statement(c, &who.id.to_string(), start, end)?))?;
        let mut totals: BTreeMap<String, Totals> = BTreeMap::new();
        let mut lines = Vec::with_capacity(rows.len());
        for r in rows {
            let code = r.currency.code().to_string();
            let t = totals.entry(code.clone()).or_insert_with(|| Totals {
                currency: code,
                ..Totals::default()
            });
            match (r.kind.as_str(), r.account_kind.as_str()) {
                ("release", "wallet") => t.earned += r.amount,
                ("release", "referral_rewards") => t.referral_rewards += r.amount,
                ("fund", _) => t.spent -= r.amount,
                ("refund", _) => t.refunded += r.amount,
                ("deposit", _) => t.deposited += r.amount,
                ("payout", _) => t.paid_out -= r.amount,
                _ => {}
            }
            let memo: serde_json::Value = serde_json::from_str(&r.memo).unwrap_or_default();
            lines.push(StatementLine {
                date: utc_day(r.created_at),
                display: Money::new(r.amount, r.currency).display(),
                contract: memo["contract"].as_str().map(str::to_string),
                transaction_id: r.transaction_id,
                kind: r.kind,
                account: r.account_kind,
                amount: r.amount,
                currency: r.currency.code().to_string(),
            });
        }
        Ok(Statement {
            from,
            to,
            lines,
            totals: totals.into_values().collect(),
        })
    }
}
