//! Receipts: every movement of money a member takes part in — a deposit, a milestone funded, a
//! payment released, a payout — as one document with both parties, the amounts and the fees,
//! read from the ledger transaction itself. Only those the movement concerns may read it.

use crate::AppError;
use crate::accounts::Account;
use guildhall_domain::ledger::AccountKind;
use guildhall_domain::money::{Currency, Money};
use guildhall_domain::{ContractId, MilestoneId, UserId, calendar};
use guildhall_store::DbConnection;
use guildhall_store::repo::{communities, contracts, ledger as repo, payouts};
use serde::Serialize;
use serde_json::Value;

/// One line of a receipt.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct ReceiptLine {
    /// What it is, in words: "Paid to @ana", "Platform fee".
    pub what: String,
    /// Minor units.
    pub amount: i64,
    /// Written out.
    pub display: String,
}

/// A receipt.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct MoneyReceipt {
    /// The ledger transaction's id: the receipt's number.
    pub number: String,
    /// When (ms).
    pub at: i64,
    /// The day and time, UTC, written out.
    pub date: String,
    /// What the money was for, in words.
    pub title: String,
    /// Who paid, in words (a handle, a community, "the payment provider").
    pub from: String,
    /// Who received it, in words.
    pub to: String,
    /// ISO 4217.
    pub currency: String,
    /// The whole amount, written out.
    pub total: String,
    /// How it was split, or where it went.
    pub lines: Vec<ReceiptLine>,
    /// The contract it belongs to, if any.
    pub contract: Option<String>,
}

/// The postings of one transaction: (account kind, owner, currency, amount).
type Postings = [(String, String, Currency, i64)];

/// What a receipt says, before its amounts are written out.
struct Draft {
    title: String,
    from: String,
    to: String,
    lines: Vec<(String, i64)>,
    contract: Option<String>,
    /// Whether the reader took part in the movement.
    party: bool,
}

impl crate::facades::Work<'_> {
    /// The receipt of ledger transaction `id`, for a party to it (operators read every one);
    /// anyone else is told there is none.
    pub fn receipt(&self, who: &Account, id: &str) -> Result<MoneyReceipt, AppError> {
        self.read(|c| {
            let tx = repo::transaction(c, id)?.ok_or(AppError::NotFound)?;
            let postings = repo::postings_of(c, id)?;
            let memo: Value = serde_json::from_str(&tx.memo).unwrap_or_default();
            let currency = postings
                .first()
                .map(|p| p.2)
                .ok_or_else(|| AppError::internal("a ledger transaction without postings"))?;
            let held = match memo["payout"].as_str() {
                Some(p) => payouts::by_id(c, p)?,
                None => None,
            };
            let draft = match (tx.kind.as_str(), held) {
                ("release" | "fund" | "refund", _) => {
                    contract_draft(c, who, &tx.kind, &postings, &memo)?
                }
                ("payout", Some(row)) => payout_draft(c, who, row)?,
                // Money an operator recorded as arrived, or as paid out without a request.
                ("deposit", _) => wallet_draft(c, who, &postings, true)?,
                ("payout", None) => wallet_draft(c, who, &postings, false)?,
                ("distribution", _) => distribution_draft(c, who, &postings, &memo)?,
                _ => return Err(AppError::NotFound),
            };
            if !draft.party && !who.is_operator {
                return Err(AppError::NotFound);
            }
            let money = |minor: i64| Money::new(minor, currency).display();
            let total = draft.lines.iter().map(|(_, amount)| amount).sum::<i64>();
            Ok(MoneyReceipt {
                number: tx.id,
                at: tx.created_at,
                date: calendar::format_local(tx.created_at, "UTC"),
                title: draft.title,
                from: draft.from,
                to: draft.to,
                currency: currency.code().into(),
                total: money(total),
                lines: draft
                    .lines
                    .into_iter()
                    .map(|(what, amount)| ReceiptLine {
                        what,
                        amount,
                        display: money(amount),
                    })
                    .collect(),
                contract: draft.contract,
            })
        })
    }
}

/// Whether ledger transactions of `kind` have a receipt ([`crate::facades::Work::receipt`]):
/// a payout's hold and return have none, the payout itself has.
pub fn has_receipt(kind: &str) -> bool {
    matches!(
        kind,
        "deposit" | "fund" | "release" | "refund" | "payout" | "distribution"
    )
}

/// A milestone funded, released or refunded: the contract's parties, and (for a release) how
/// the amount was split.
fn contract_draft(
    c: &mut DbConnection,
    who: &Account,
    kind: &str,
    postings: &Postings,
    memo: &Value,
) -> Result<Draft, AppError> {
    let k = contract_of(c, memo)?;
    let mine = postings.iter().any(|p| p.1 == who.id.to_string());
    let (client, member) = (handle(c, k.client_id)?, handle(c, k.member_id)?);
    let milestone = milestone_title(c, memo)?;
    let (title, from, to, lines) = match kind {
        "release" => {
            // Paid to whoever did the milestone: the member, or a pair's learner.
            let mut payee = member;
            let mut lines = Vec::new();
            for (kind, owner, _, amount) in postings {
                let what = match AccountKind::parse(kind) {
                    Some(AccountKind::PlatformRevenue) => "Platform fee".into(),
                    Some(AccountKind::CommunityShare) => {
                        format!("Share of {}", community_name(c, owner)?)
                    }
                    Some(AccountKind::MemberPool) => {
                        format!("Members' pool of {}", community_name(c, owner)?)
                    }
                    Some(AccountKind::ReferralRewards) => {
                        format!("Referral reward to {}", handle_text(c, owner)?)
                    }
                    Some(AccountKind::Wallet) => {
                        payee = handle_text(c, owner)?;
                        format!("Paid to {payee}")
                    }
                    _ => continue,
                };
                lines.push((what, *amount));
            }
            (format!("Payment for “{milestone}”"), client, payee, lines)
        }
        "fund" => {
            let held = ("Held in escrow until delivery".into(), total_out(postings));
            (
                format!("Funding of “{milestone}”"),
                client,
                "Escrow".into(),
                vec![held],
            )
        }
        _ => {
            let back = (format!("Returned to {client}"), total_out(postings));
            (
                format!("Refund of “{milestone}”"),
                "Escrow".into(),
                client,
                vec![back],
            )
        }
    };
    Ok(Draft {
        title,
        from,
        to,
        lines,
        contract: Some(k.id.to_string()),
        party: k.is_party(who.id) || mine,
    })
}

/// A payout a member asked for, sent to their payout method.
fn payout_draft(
    c: &mut DbConnection,
    who: &Account,
    row: payouts::PayoutRow,
) -> Result<Draft, AppError> {
    let from = if row.source == AccountKind::CommunityShare.as_str() {
        format!("The share of {}", community_name(c, &row.payee)?)
    } else {
        handle(c, row.requested_by)?
    };
    let mut what = format!("Sent to {}", row.method_label);
    if let Some(reference) = &row.reference {
        what.push_str(&format!(" (reference {reference})"));
    }
    Ok(Draft {
        title: "Payout".into(),
        from,
        to: row.method_label,
        lines: vec![(what, row.amount)],
        contract: None,
        party: row.requested_by == who.id,
    })
}

/// Money that reached a wallet from the payment provider (`incoming`), or left it to the
/// provider.
fn wallet_draft(
    c: &mut DbConnection,
    who: &Account,
    postings: &Postings,
    incoming: bool,
) -> Result<Draft, AppError> {
    let owner = wallet_owner(postings);
    let holder = handle_text(c, &owner)?;
    let provider = "The payment provider".to_string();
    let amount = total_out(postings);
    let (title, what, from, to) = if incoming {
        (
            "Money added",
            format!("Added to the wallet of {holder}"),
            provider,
            holder,
        )
    } else {
        (
            "Paid out",
            format!("Paid out of the wallet of {holder}"),
            holder,
            provider,
        )
    };
    Ok(Draft {
        title: title.into(),
        from,
        to,
        lines: vec![(what, amount)],
        contract: None,
        party: owner == who.id.to_string(),
    })
}

/// A community's members' pool shared out: the reader's part (operators see every member's).
fn distribution_draft(
    c: &mut DbConnection,
    who: &Account,
    postings: &Postings,
    memo: &Value,
) -> Result<Draft, AppError> {
    let community = community_name(c, memo["community"].as_str().unwrap_or_default())?;
    let me = who.id.to_string();
    let mut lines = Vec::new();
    for (kind, owner, _, amount) in postings {
        if kind == AccountKind::Wallet.as_str() && (owner == &me || who.is_operator) {
            lines.push((format!("Paid to {}", handle_text(c, owner)?), *amount));
        }
    }
    let party = postings.iter().any(|p| p.1 == me);
    Ok(Draft {
        title: format!("Revenue share of {community}"),
        from: format!("The members' pool of {community}"),
        to: if party {
            handle(c, who.id)?
        } else {
            "Its members".into()
        },
        lines,
        contract: None,
        party,
    })
}

/// What left the accounts that paid.
fn total_out(postings: &Postings) -> i64 {
    postings.iter().filter(|p| p.3 > 0).map(|p| p.3).sum()
}

fn wallet_owner(postings: &Postings) -> String {
    postings
        .iter()
        .find(|p| p.0 == AccountKind::Wallet.as_str())
        .map(|p| p.1.clone())
        .unwrap_or_default()
}

fn contract_of(c: &mut DbConnection, memo: &Value) -> Result<contracts::ContractRow, AppError> {
    let id: ContractId = memo["contract"]
        .as_str()
        .and_then(|s| s.parse().ok())
        .ok_or(AppError::NotFound)?;
    contracts::by_id(c, id)?.ok_or(AppError::NotFound)
}

fn milestone_title(c: &mut DbConnection, memo: &Value) -> Result<String, AppError> {
    let id: Option<MilestoneId> = memo["milestone"].as_str().and_then(|s| s.parse().ok());
    Ok(match id {
        Some(id) => contracts::milestone(c, id)?.map(|m| m.title),
        None => None,
    }
    .unwrap_or_else(|| "a milestone".into()))
}

fn handle(c: &mut DbConnection, id: UserId) -> Result<String, AppError> {
    Ok(format!("@{}", crate::work::handle_of(c, id)?))
}

fn handle_text(c: &mut DbConnection, id: &str) -> Result<String, AppError> {
    match id.parse::<UserId>() {
        Ok(id) => handle(c, id),
        Err(_) => Ok(id.to_string()),
    }
}

fn community_name(c: &mut DbConnection, id: &str) -> Result<String, AppError> {
    Ok(communities::by_id(c, id)?
        .map(|r| r.name)
        .unwrap_or_else(|| "a community".into()))
}
