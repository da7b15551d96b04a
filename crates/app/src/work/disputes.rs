//! Disputes: either side of an active contract disputes a milestone whose money is in escrow.
//! The contract then stops (no funding, delivery, acceptance, automatic release or cancelling)
//! until an operator resolves it, paying the member some or all of that escrow (with the usual
//! shares split off) and returning the rest to the client, in one transaction.

use super::milestones::{
    complete_if_done, milestone_of, next, pay_member, refund_request, refund_to_client,
};
use super::{ContractView, handle_of, locked, view};
use crate::AppError;
use crate::accounts::Account;
use crate::events::record;
use crate::ledger::{self, Lookup, MoneyRequest};
use crate::oversight::audit;
use guildhall_domain::contract::{ContractEvent, MilestoneEvent};
use guildhall_domain::events::{DisputeOpened, DisputeResolved, Event};
use guildhall_domain::{DisputeId, FieldErrors, validation};
use guildhall_store::DbConnection;
use guildhall_store::repo::contracts as contract_repo;
use guildhall_store::repo::disputes::{self as repo, DisputeRow};
use serde::{Deserialize, Serialize};
use serde_json::json;

/// A dispute as shown to the contract's sides and to operators.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Dispute {
    /// The dispute's id (UUIDv7), as in `/admin/disputes/{id}/resolve`.
    pub id: String,
    /// Contract.
    pub contract_id: String,
    /// The contract's title.
    pub contract_title: String,
    /// Client's handle.
    pub client: String,
    /// Member's handle.
    pub member: String,
    /// The disputed milestone.
    pub milestone_id: String,
    /// Its title.
    pub milestone_title: String,
    /// The escrow at stake, written out.
    pub amount_display: String,
    /// The escrow at stake, minor units.
    pub amount: i64,
    /// Who opened it.
    pub opened_by: String,
    /// Why.
    pub reason: String,
    /// When (ms).
    pub opened_at: i64,
    /// Paid to the member, minor units, once resolved.
    pub member_amount: Option<i64>,
    /// The operator's reasons, once resolved.
    pub resolution: String,
    /// The operator who resolved it.
    pub resolved_by: Option<String>,
    /// When it was resolved (ms).
    pub resolved_at: Option<i64>,
}

/// What opening a dispute asks for.
#[derive(Clone, Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DisputeInput {
    /// The milestone whose escrow is disputed.
    pub milestone: String,
    /// What went wrong, for the operator who decides.
    pub reason: String,
}

/// How an operator resolves a dispute.
#[derive(Clone, Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Resolution {
    /// Minor units of the milestone's escrow paid to the member (the shares are split off it);
    /// the rest goes back to the client. 0 refunds it all.
    pub member_amount: i64,
    /// Why, for both sides.
    pub note: String,
}

pub(crate) fn dispute_of(c: &mut DbConnection, row: DisputeRow) -> Result<Dispute, AppError> {
    let contract = contract_repo::by_id(c, row.contract_id)?.ok_or(AppError::NotFound)?;
    let m = contract_repo::milestone(c, row.milestone_id)?.ok_or(AppError::NotFound)?;
    Ok(Dispute {
        contract_title: contract.title.clone(),
        client: handle_of(c, contract.client_id)?,
        member: handle_of(c, contract.member_id)?,
        milestone_title: m.title,
        amount_display: m.amount.display(),
        amount: m.amount.minor,
        opened_by: handle_of(c, row.opened_by)?,
        resolved_by: match &row.resolved_by {
            Some(id) => Some(handle_of(c, *id)?),
            None => None,
        },
        id: row.id.to_string(),
        contract_id: row.contract_id.to_string(),
        milestone_id: row.milestone_id.to_string(),
        reason: row.reason,
        opened_at: row.opened_at,
        member_amount: row.member_amount,
        resolution: row.resolution,
        resolved_at: row.resolved_at,
    })
}

impl crate::facades::Work<'_> {
    /// Either side disputes a milestone whose money is in escrow; the contract stops until an
    /// operator resolves it.
    pub fn open_dispute(
        &self,
        who: &Account,
        contract_id: &str,
        input: DisputeInput,
    ) -> Result<ContractView, AppError> {
        let mut e = FieldErrors::new();
        let reason = validation::text(&mut e, "/reason", &input.reason, 10, 2000, true);
        if !e.is_empty() {
            return Err(e.into());
        }
        let now = self.now();
        self.write(|c| {
            let contract = locked(c, who, contract_id)?;
            let to = contract
                .status
                .next(ContractEvent::Dispute)
                .map_err(|e| AppError::conflict(None, e.to_string()))?;
            let m = milestone_of(c, &contract, super::sent_id(&input.milestone)?)?;
            if !m.status.holds_escrow() {
                return Err(AppError::conflict(
                    Some("/milestone"),
                    "only a milestone whose money is in escrow can be disputed",
                ));
            }
            let row = DisputeRow {
                id: DisputeId::new(),
                contract_id: contract.id,
                milestone_id: m.id,
                opened_by: who.id,
                reason: reason.clone(),
                opened_at: now,
                member_amount: None,
                resolution: String::new(),
                resolved_by: None,
                resolved_at: None,
            };
            repo::insert(c, &row)?;
            contract_repo::set_status(c, contract.id, to, now)?;
            let side = if who.id == contract.client_id {
                "client"
            } else {
                "member"
            };
            record(
                c,
                now,
                Event::DisputeOpened(DisputeOpened {
                    disputant: who.id.to_string(),
                    contract: contract.id.to_string(),
                    milestone: m.id.to_string(),
                    client: contract.client_id.to_string(),
                    member: contract.member_id.to_string(),
                    dispute: row.id.to_string(),
                    by: side.to_string(),
                    reason: reason.to_string(),
                    amount: m.amount.minor,
                    currency: contract.currency.code().into(),
                }),
            )?;
            let row = contract_repo::by_id(c, contract.id)?.ok_or(AppError::NotFound)?;
            view(c, row)
        })
    }

    /// Open disputes, oldest first (operators).
    pub fn open_disputes(&self, operator: &Account) -> Result<Vec<Dispute>, AppError> {
        operator.require_operator("resolve disputes")?;
        self.read(|c| {
            repo::open(c, 200)?
                .into_iter()
                .map(|row| dispute_of(c, row))
                .collect()
        })
    }

    /// An operator settles a dispute: `member_amount` of the milestone's escrow goes to the
    /// member (shares split off as in any release), the rest back to the client, and the
    /// contract goes on. Keyed: a replay returns the first result and moves nothing.
    pub fn resolve_dispute(
        &self,
        operator: &Account,
        dispute_id: &str,
        resolution: Resolution,
        key: &str,
    ) -> Result<ContractView, AppError> {
        operator.require_operator("resolve disputes")?;
        ledger::check_key(key)?;
        let mut e = FieldErrors::new();
        let note = validation::text(&mut e, "/note", &resolution.note, 1, 2000, true);
        if resolution.member_amount < 0 {
            e.add("/member_amount", "must not be negative");
        }
        if !e.is_empty() {
            return Err(e.into());
        }
        let amount = resolution.member_amount;
        let now = self.now();
        let who = MoneyRequest {
            requested_by: operator.id.to_string(),
            key: key.to_string(),
        };
        // The first money movement carries the operator's key, so a replay is recognised.
        let kind = if amount > 0 { "release" } else { "refund" };
        let request = json!({"dispute": dispute_id, "member_amount": amount});
        let id: DisputeId = super::sent_id(dispute_id)?;
        self.write(|c| {
            let mut d = repo::by_id(c, id)?.ok_or(AppError::NotFound)?;
            let contract_id = d.contract_id;
            let contract = contract_repo::locked(c, contract_id)?.ok_or(AppError::NotFound)?;
            let unused = match ledger::lookup(c, &who, kind, &request)? {
                Lookup::Replayed(_) => return view(c, contract),
                Lookup::Unused(unused) => unused,
            };
            if d.resolved_at.is_some() {
                return Err(AppError::conflict(None, "this dispute is already resolved"));
            }
            let to = contract
                .status
                .next(ContractEvent::Resolve)
                .map_err(|e| AppError::conflict(None, e.to_string()))?;
            let mut m = milestone_of(c, &contract, d.milestone_id)?;
            if amount > m.amount.minor {
                return Err(AppError::field(
                    "/member_amount",
                    format!("must be at most the milestone's {}", m.amount.display()),
                ));
            }
            let refunded = m.amount.minor - amount;
            let settled = if amount > 0 {
                let state = next(&m, MilestoneEvent::Settle)?;
                pay_member(c, now, &contract, &m, amount, unused, &[])?;
                if refunded > 0 {
                    let system = MoneyRequest {
                        requested_by: super::milestones::SYSTEM.into(),
                        key: format!("dispute-refund:{}", d.id),
                    };
                    let request = refund_request(&m, refunded);
                    if let Lookup::Unused(rest) = ledger::lookup(c, &system, "refund", &request)? {
                        refund_to_client(c, now, &contract, &m, refunded, rest)?;
                    }
                }
                state
            } else {
                let state = next(&m, MilestoneEvent::Refund)?;
                refund_to_client(c, now, &contract, &m, refunded, unused)?;
                state
            };
            m.status = settled;
            m.auto_release_at = None;
            m.updated_at = now;
            contract_repo::update_milestone(c, &m)?;
            contract_repo::set_status(c, contract.id, to, now)?;
            d.member_amount = Some(amount);
            d.resolution = note.clone();
            d.resolved_by = Some(operator.id);
            d.resolved_at = Some(now);
            repo::update(c, &d)?;
            let what = format!("contract “{}”", contract.title);
            audit(
                c,
                now,
                &crate::oversight::Actor::operator(operator)?,
                "dispute.resolved",
                &what,
                &d.resolution,
            )?;
            let opened_by = if d.opened_by == contract.client_id {
                "client"
            } else {
                "member"
            };
            record(
                c,
                now,
                Event::DisputeResolved(DisputeResolved {
                    operator: operator.id.to_string(),
                    contract: contract.id.to_string(),
                    milestone: m.id.to_string(),
                    client: contract.client_id.to_string(),
                    member: contract.member_id.to_string(),
                    dispute: d.id.to_string(),
                    opened_by: opened_by.to_string(),
                    member_amount: amount,
                    refunded,
                    currency: contract.currency.code().into(),
                    note: note.to_string(),
                    on_time: m.on_time,
                }),
            )?;
            let mut row = contract_repo::by_id(c, contract.id)?.ok_or(AppError::NotFound)?;
            complete_if_done(c, now, &mut row, &operator.id.to_string(), None)?;
            view(c, row)
        })
    }
}
