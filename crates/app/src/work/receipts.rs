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
    /// What it is, in words: "Paid to @ana", "Platform fee (10 %)".
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
            let money = |minor: i64| Money::new(minor, currency).display();
            let line = |what: String, minor: i64| ReceiptLine {
                what,
                amount: minor,
                display: money(minor),
            };
            let owners: Vec<&str> = postings.iter().map(|p| p.1.as_str()).collect();
            let mine = owners.contains(&who.id.to_string().as_str());
            let (title, from, to, lines, contract, party) = match tx.kind.as_str() {
                "release" | "fund" | "refund" => {
                    let k = contract_of(c, &memo)?;
                    let party = k.client_id == who.id || k.member_id == who.id || mine;
                    let (client, member) = (handle(c, k.client_id)?, handle(c, k.member_id)?);
                    let milestone = milestone_title(c, &memo)?;
                    let mut lines = Vec::new();
                    let (title, from, to) = match tx.kind.as_str() {
                        "release" => {
                            for (kind, owner, _, amount) in &postings {
                                let what = match AccountKind::parse(kind) {
                                    Some(AccountKind::PlatformRevenue) => "Platform fee".into(),
                                    Some(AccountKind::CommunityShare) => {
                                        format!("Share of {}", community_name(c, owner)?)
                                    }
                                    Some(AccountKind::ReferralRewards) => {
                                        format!("Referral reward to {}", handle_text(c, owner)?)
                                    }
                                    Some(AccountKind::Wallet) => format!("Paid to {member}"),
                                    _ => continue,
                                };
                                lines.push(line(what, *amount));
                            }
                            (
                                format!("Payment for “{milestone}”"),
                                client.clone(),
                                member.clone(),
                            )
                        }
                        "fund" => {
                            let amount = total_out(&postings);
                            lines.push(line("Held in escrow until delivery".into(), amount));
                            (
                                format!("Funding of “{milestone}”"),
                                client.clone(),
                                "Escrow".into(),
                            )
                        }
                        _ => {
                            let amount = total_out(&postings);
                            lines.push(line(format!("Returned to {client}"), amount));
                            (
                                format!("Refund of “{milestone}”"),
                                "Escrow".into(),
                                client.clone(),
                            )
                        }
                    };
                    (title, from, to, lines, Some(k.id.to_string()), party)
                }
                "deposit" => {
                    let amount = total_out(&postings);
                    let owner = wallet_owner(&postings);
                    let to = handle_text(c, &owner)?;
                    let lines = vec![line(format!("Added to the wallet of {to}"), amount)];
                    let party = owner == who.id.to_string();
                    (
                        "Money added".into(),
                        "The payment provider".into(),
                        to,
                        lines,
                        None,
                        party,
                    )
                }
                "payout" => {
                    let p = memo["payout"].as_str().unwrap_or_default();
                    let row = payouts::by_id(c, p)?.ok_or(AppError::NotFound)?;
                    let from = if row.source == AccountKind::CommunityShare.as_str() {
                        format!("The share of {}", community_name(c, &row.payee)?)
                    } else {
                        handle(c, row.requested_by)?
                    };
                    let mut what = format!("Sent to {}", row.method_label);
                    if let Some(reference) = &row.reference {
                        what.push_str(&format!(" (reference {reference})"));
                    }
                    let lines = vec![line(what, row.amount)];
                    let party = row.requested_by == who.id;
                    ("Payout".into(), from, row.method_label, lines, None, party)
                }
                _ => return Err(AppError::NotFound),
            };
            if !party && !who.is_operator {
                return Err(AppError::NotFound);
            }
            let total = lines.iter().map(|l| l.amount).sum::<i64>();
            Ok(MoneyReceipt {
                number: tx.id,
                at: tx.created_at,
                date: calendar::format_local(tx.created_at, "UTC"),
                title,
                from,
                to,
                currency: currency.code().into(),
                total: money(total),
                lines,
                contract,
            })
        })
    }
}

/// What left the accounts that paid.
fn total_out(postings: &[(String, String, Currency, i64)]) -> i64 {
    postings.iter().filter(|p| p.3 > 0).map(|p| p.3).sum()
}

fn wallet_owner(postings: &[(String, String, Currency, i64)]) -> String {
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
