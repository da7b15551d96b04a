//! Milestones: funding into escrow, delivery (on time or late), acceptance or change requests,
//! release with the platform fee, the community's share and the referral reward split off,
//! automatic release of deliveries a client leaves unanswered, and refunds when a contract ends
//! early. Each money-moving call carries an idempotency key.

use super::deliveries::{DeliveryInput, record_delivery};
use super::{AsRead, ContractView, Stepped, locked, view, view_after};
use crate::AppError;
use crate::accounts::Account;
use crate::events::record;
use crate::ledger::{self, Lookup, MoneyRequest, Unused};
use guildhall_domain::calendar;
use guildhall_domain::contract::{ContractEvent, ContractStatus, MilestoneEvent, MilestoneStatus};
use guildhall_domain::events::{
    ChangesRequested, ContractCancelled, ContractCompleted, Event, MilestoneAccepted,
    MilestoneDelivered, MilestoneFunded, MilestoneReleased,
};
use guildhall_domain::ledger::{Beneficiaries, Rates, Split};
use guildhall_domain::validation;
use guildhall_domain::{MilestoneId, UserId};
use guildhall_store::repo::contracts::{self as repo, ContractRow, MilestoneRow};
use guildhall_store::{Carried, DbConnection};
use serde_json::json;

/// Who the automatic release acts as in the ledger.
pub(super) const SYSTEM: &str = "system";

pub(super) fn milestone_of(
    c: &mut DbConnection,
    contract: &ContractRow,
    id: MilestoneId,
) -> Result<MilestoneRow, AppError> {
    repo::milestone(c, id)?
        .filter(|m| m.contract_id == contract.id)
        .ok_or(AppError::NotFound)
}

/// The milestone's next state, or a clear refusal.
pub(super) fn next(m: &MilestoneRow, event: MilestoneEvent) -> Result<MilestoneStatus, AppError> {
    m.status
        .next(event)
        .map_err(|e| AppError::conflict(None, e.to_string()))
}

/// Which side of a contract may take a step.
#[derive(Clone, Copy)]
enum Side {
    Client,
    /// Whoever does the milestone: the member, or the learner for their own.
    Worker,
}

/// The checks every step on a milestone starts with: the caller is on `side` of the contract,
/// the contract is active, and the milestone (of this contract) can take `event`. Returns the
/// milestone, the status `event` moves it to, and every milestone of the contract with its
/// parties' handles as read (for the step's answer, [`Stepped::after`]).
fn ready(
    c: &mut DbConnection,
    who: &Account,
    contract: &ContractRow,
    side: Side,
    milestone_id: &str,
    event: MilestoneEvent,
) -> Result<(MilestoneRow, MilestoneStatus, AsRead), AppError> {
    if let Side::Client = side {
        require(who, contract.client_id, "client")?;
    }
    require_active(contract)?;
    let id: MilestoneId = super::sent_id(milestone_id)?;
    let (all, parties) = repo::milestones_with_parties(c, contract.id)?;
    let m = all
        .iter()
        .find(|m| m.id == id)
        .cloned()
        .ok_or(AppError::NotFound)?;
    if let Side::Worker = side {
        let worker = contract.worker_of(&m);
        let whose = if Some(worker) == contract.learner_id {
            "learner whose milestone it is"
        } else {
            "member"
        };
        require(who, worker, whose)?;
    }
    let to = next(&m, event)?;
    Ok((
        m,
        to,
        AsRead {
            milestones: all,
            parties,
        },
    ))
}

/// A client's keyed money step on a milestone, opened: the contract locked, the key unused,
/// and the milestone ready as [`ready`] returns it (with its next status and every milestone).
type Opened<'a> = (
    ContractRow,
    Unused<'a>,
    MilestoneRow,
    MilestoneStatus,
    AsRead,
);

/// How a client's keyed money step on a milestone opens.
// One value per step, matched at once: boxing the larger variant would only add an allocation.
#[allow(clippy::large_enum_variant)]
enum Keyed<'a> {
    /// The key was used for this request before: nothing moves again, and the answer is the
    /// contract as it stands.
    Replayed(ContractRow),
    /// The step may go on.
    Open(Opened<'a>),
}

/// Opens the client's step of `kind` (`event` on the milestone) under `who`'s key: the
/// contract is locked, then the checks of [`ready`]. The key is read only when they refuse:
/// a step taken before under it no longer passes them (its milestone moved on), and is then
/// answered as the first time; a step that passes them applies with its key unread, and its
/// ledger transaction refuses a key used before ([`ledger::unlooked`]).
fn open_keyed<'a>(
    c: &mut DbConnection,
    client: &Account,
    who: &'a MoneyRequest,
    contract_id: &str,
    (kind, event): (&'static str, MilestoneEvent),
    milestone_id: &str,
) -> Result<Keyed<'a>, AppError> {
    let contract = locked(c, client, contract_id)?;
    let request = milestone_request(milestone_id);
    match ready(c, client, &contract, Side::Client, milestone_id, event) {
        Ok((m, to, all)) => {
            let unused = ledger::unlooked(who, kind, &request)?;
            Ok(Keyed::Open((contract, unused, m, to, all)))
        }
        // A failed read is no refusal: it goes back as it is (the write may be retried).
        Err(failed @ (AppError::Store(_) | AppError::Internal { .. })) => Err(failed),
        Err(refused) => match ledger::lookup(c, who, kind, &request)? {
            Lookup::Replayed(_) => Ok(Keyed::Replayed(contract)),
            Lookup::Unused(_) => Err(refused),
        },
    }
}

pub(super) fn require_active(contract: &ContractRow) -> Result<(), AppError> {
    let status = contract.status;
    if status != ContractStatus::Active {
        return Err(AppError::conflict(
            None,
            format!("the contract is {}, not active", status.as_str()),
        ));
    }
    Ok(())
}

pub(super) fn require(who: &Account, id: UserId, side: &str) -> Result<(), AppError> {
    if who.id != id {
        return Err(AppError::Forbidden(format!("only the {side} can do this")));
    }
    Ok(())
}

/// Pays `amount` of a milestone's escrow to whoever did it (the member, or the learner for
/// their own), with the platform fee, the community's share and the referral reward split off;
/// the `carried` writes go with the payment. Returns the split.
pub(super) fn pay_member(
    c: &mut DbConnection,
    now: i64,
    contract: &ContractRow,
    m: &MilestoneRow,
    amount: i64,
    request: Unused<'_>,
    carried: &[Carried<'_>],
) -> Result<Split, AppError> {
    let referrer = contract.referrer_id.map(|id| id.to_string());
    let pool_bps = match &contract.community_id {
        Some(community) => crate::communities::ownership::members_pool_bps(c, community)?,
        None => 0,
    };
    let (rates, beneficiaries) = rates_of(contract, referrer.as_deref(), pool_bps);
    let (postings, split) = guildhall_domain::ledger::release(
        &contract.id.to_string(),
        &contract.worker_of(m).to_string(),
        amount,
        contract.currency,
        rates,
        &beneficiaries,
    )
    .map_err(|e| AppError::caused("splitting a milestone's postings", e))?;
    let memo = json!({"contract": contract.id, "milestone": m.id, "split": split});
    ledger::apply_carrying(c, now, request, postings, memo, carried)?;
    Ok(split)
}

/// The rates agreed in a contract and who shares in its releases; `referrer` is the text of
/// the contract's referrer id, which ledger accounts are named by, and `members_pool_bps` the
/// part of the community's share its members share out (set by its owners at the time).
pub(super) fn rates_of<'a>(
    contract: &'a ContractRow,
    referrer: Option<&'a str>,
    members_pool_bps: u32,
) -> (Rates, Beneficiaries<'a>) {
    let rates = Rates {
        platform_bps: contract.platform_bps as u32,
        community_bps: contract.community_bps as u32,
        referral_bps: contract.referral_bps as u32,
    };
    let beneficiaries = Beneficiaries {
        community: contract.community_id.as_deref(),
        referrer,
        members_pool_bps,
    };
    (rates, beneficiaries)
}

/// Returns `amount` of a milestone's escrow to the client.
pub(super) fn refund_to_client(
    c: &mut DbConnection,
    now: i64,
    contract: &ContractRow,
    m: &MilestoneRow,
    amount: i64,
    request: Unused<'_>,
) -> Result<(), AppError> {
    let postings = guildhall_domain::ledger::refund(
        &contract.id.to_string(),
        &contract.client_id.to_string(),
        amount,
        contract.currency,
    )
    .map_err(|e| AppError::caused("splitting a milestone's postings", e))?;
    let memo = json!({"contract": contract.id, "milestone": m.id});
    ledger::apply(c, now, request, postings, memo)?;
    Ok(())
}

/// Returns a milestone's whole escrow to the client because the contract ends, on a key of the
/// system's own, so a retried end refunds once.
pub(super) fn refund_on_end(
    c: &mut DbConnection,
    now: i64,
    contract: &ContractRow,
    m: &MilestoneRow,
) -> Result<(), AppError> {
    let system = MoneyRequest {
        requested_by: SYSTEM.into(),
        key: format!("refund:{}", m.id),
    };
    let request = refund_request(m, m.amount.minor);
    if let Lookup::Unused(unused) = ledger::lookup(c, &system, "refund", &request)? {
        refund_to_client(c, now, contract, m, m.amount.minor, unused)?;
    }
    Ok(())
}

/// What a keyed step on a milestone (funding it, releasing it) asks, for its key lookup.
pub(super) fn milestone_request(milestone_id: &str) -> serde_json::Value {
    json!({"milestone": milestone_id})
}

/// What a refund of `amount` of a milestone's escrow asks, for its key lookup.
pub(super) fn refund_request(m: &MilestoneRow, amount: i64) -> serde_json::Value {
    json!({"milestone": m.id, "amount": amount})
}

/// Releases a milestone's escrow to the member, with the shares split off. `auto` says whether
/// the review period ran out; `read` holds every milestone of the contract as the step read
/// them, when it did, and then holds `m` as released. A release that settles the last
/// milestone completes the contract; the contract's and the milestone's changes go with the
/// payment (one statement on PostgreSQL).
fn release(
    c: &mut DbConnection,
    now: i64,
    contract: &mut ContractRow,
    m: &mut MilestoneRow,
    request: Unused<'_>,
    auto: bool,
    read: Option<&mut AsRead>,
) -> Result<(), AppError> {
    let to = next(m, MilestoneEvent::Release)?;
    let released_by = request.requested_by().to_string();
    m.status = to;
    m.auto_release_at = None;
    m.updated_at = now;
    let read_now;
    let standing: &[MilestoneRow] = match read {
        Some(read) => {
            read.changed(m.clone());
            &read.milestones
        }
        None => {
            let mut all = repo::milestones_of(c, contract.id)?;
            all.iter_mut()
                .filter(|held| held.id == m.id)
                .for_each(|held| *held = m.clone());
            read_now = all;
            &read_now
        }
    };
    let completes = match super::hourly::terms(c, contract)? {
        // An hourly contract goes on after a week is paid: its parties end it.
        Some(_) => None,
        None => completion(contract, standing)?,
    };
    let mut carried = vec![Carried::Milestone(m)];
    carried.extend(completes.map(|to| Carried::ContractStatus(contract.id, to, now)));
    let split = pay_member(c, now, contract, m, m.amount.minor, request, &carried)?;
    record(
        c,
        now,
        Event::MilestoneReleased(MilestoneReleased {
            released_by: released_by.clone(),
            contract: contract.id.to_string(),
            milestone: m.id.to_string(),
            client: contract.client_id.to_string(),
            member: contract.worker_of(m).to_string(),
            auto,
            amount: m.amount.minor,
            currency: contract.currency.code().into(),
            on_time: m.on_time,
            split,
            community: contract.community_id.clone(),
            referrer: contract.referrer_id.map(|id| id.to_string()),
            mentor: mentor_of(contract, m),
        }),
    )?;
    match completes {
        Some(to) => completed(c, now, contract, to, &released_by, standing),
        None => Ok(()),
    }
}

/// Completes the contract once every milestone is settled and at least one was paid; `contract`
/// then holds its new status. An hourly contract goes on after a week is paid: its parties end
/// it (`super::hourly`). `standing` is every milestone as it now stands, when the caller holds
/// them; else they are read.
pub(super) fn complete_if_done(
    c: &mut DbConnection,
    now: i64,
    contract: &mut ContractRow,
    actor: &str,
    standing: Option<&[MilestoneRow]>,
) -> Result<(), AppError> {
    if super::hourly::terms(c, contract)?.is_some() {
        return Ok(());
    }
    complete(c, now, contract, actor, standing)
}

/// Completes the contract if every milestone is settled and at least one was paid; reads the
/// milestones unless `standing` holds them as they now stand.
pub(super) fn complete(
    c: &mut DbConnection,
    now: i64,
    contract: &mut ContractRow,
    actor: &str,
    standing: Option<&[MilestoneRow]>,
) -> Result<(), AppError> {
    let read_now;
    let all = match standing {
        Some(all) => all,
        None => {
            read_now = repo::milestones_of(c, contract.id)?;
            &read_now
        }
    };
    let Some(to) = completion(contract, all)? else {
        return Ok(());
    };
    repo::set_status(c, contract.id, to, now)?;
    completed(c, now, contract, to, actor, all)
}

/// The state a contract whose milestones stand as `all` moves to: completed if every one is
/// settled and at least one was paid; `None` if it is not done.
fn completion(
    contract: &ContractRow,
    all: &[MilestoneRow],
) -> Result<Option<ContractStatus>, AppError> {
    let statuses: Vec<MilestoneStatus> = all.iter().map(|m| m.status).collect();
    let settled = statuses.iter().all(|s| s.is_final());
    let paid = statuses.contains(&MilestoneStatus::Released);
    if !(settled && paid) {
        return Ok(None);
    }
    contract
        .status
        .next(ContractEvent::Complete)
        .map(Some)
        .map_err(|e| AppError::conflict(None, e.to_string()))
}

/// What follows a contract's completion, its new state `to` written: `contract` holds it, and
/// each worker's part of the work (`all` its milestones) is recorded.
fn completed(
    c: &mut DbConnection,
    now: i64,
    contract: &mut ContractRow,
    to: ContractStatus,
    actor: &str,
    all: &[MilestoneRow],
) -> Result<(), AppError> {
    contract.status = to;
    contract.updated_at = now;
    let skills = job_skills(c, contract.job_id.as_deref())?;
    // A pair's member and learner each complete their own part: one entry each, with the
    // learner's naming their mentor.
    let workers: Vec<UserId> = [contract.member_id]
        .into_iter()
        .chain(contract.learner_id)
        .collect();
    for worker in workers {
        let part: Vec<&MilestoneRow> = all
            .iter()
            .filter(|m| contract.worker_of(m) == worker)
            .collect();
        let paid: i64 = part
            .iter()
            .filter(|m| m.status == MilestoneStatus::Released)
            .map(|m| m.amount.minor)
            .sum();
        let on_time = part.iter().filter(|m| m.on_time == Some(true)).count();
        record(
            c,
            now,
            Event::ContractCompleted(ContractCompleted {
                completed_by: actor.to_string(),
                contract: contract.id.to_string(),
                client: contract.client_id.to_string(),
                member: worker.to_string(),
                paid,
                currency: contract.currency.code().into(),
                milestones: part.len() as u64,
                on_time: on_time as u64,
                community: contract.community_id.clone(),
                referrer: contract.referrer_id.map(|id| id.to_string()),
                skills: Some(skills.clone()),
                mentor: contract.mentor_of(worker).map(|id| id.to_string()),
            }),
        )?;
    }
    Ok(())
}

/// The mentor named in evidence about milestone `m`: the member, when the learner did it.
fn mentor_of(contract: &ContractRow, m: &MilestoneRow) -> Option<String> {
    contract
        .mentor_of(contract.worker_of(m))
        .map(|id| id.to_string())
}

/// The skills the contract's job asked for (none for work offered without a job): trust from
/// the finished work flows along these skills.
fn job_skills(c: &mut DbConnection, job_id: Option<&str>) -> Result<Vec<String>, AppError> {
    let Some(job) = job_id
        .map(|id| guildhall_store::repo::jobs::by_id(c, id))
        .transpose()?
    else {
        return Ok(Vec::new());
    };
    let skills: Vec<super::jobs::JobSkill> = job
        .and_then(|j| serde_json::from_str(&j.skills).ok())
        .unwrap_or_default();
    Ok(skills.into_iter().filter_map(|s| s.skill_id).collect())
}

impl crate::facades::Work<'_> {
    /// The client pays a milestone's amount from their wallet into the contract's escrow.
    pub fn fund_milestone(
        &self,
        client: &Account,
        contract_id: &str,
        milestone_id: &str,
        key: &str,
    ) -> Result<ContractView, AppError> {
        let now = self.now();
        let who = MoneyRequest {
            requested_by: client.id.to_string(),
            key: key.to_string(),
        };
        self.write_then_read(
            |c| {
                let opening = ("fund", MilestoneEvent::Fund);
                let (contract, unused, mut m, to, all) =
                    match open_keyed(c, client, &who, contract_id, opening, milestone_id)? {
                        Keyed::Replayed(contract) => return Ok(Stepped::unchanged(contract)),
                        Keyed::Open(opened) => opened,
                    };
                let postings = guildhall_domain::ledger::fund(
                    &client.id.to_string(),
                    &contract.id.to_string(),
                    m.amount.minor,
                    contract.currency,
                )
                .map_err(|e| AppError::caused("splitting a milestone's postings", e))?;
                let memo = json!({"contract": contract.id, "milestone": m.id});
                m.status = to;
                m.updated_at = now;
                let funded = [Carried::Milestone(&m)];
                ledger::apply_carrying(c, now, unused, postings, memo, &funded)?;
                record(
                    c,
                    now,
                    Event::MilestoneFunded(MilestoneFunded {
                        client: client.id.to_string(),
                        contract: contract.id.to_string(),
                        milestone: m.id.to_string(),
                        amount: m.amount.minor,
                        currency: contract.currency.code().into(),
                    }),
                )?;
                Ok(Stepped::after(contract, all, m))
            },
            view_after,
        )
    }

    /// The member delivers a funded milestone (or a revision) with nothing attached: see
    /// [`Self::deliver_milestone`].
    pub fn submit_milestone(
        &self,
        member: &Account,
        contract_id: &str,
        milestone_id: &str,
    ) -> Result<ContractView, AppError> {
        self.deliver_milestone(member, contract_id, milestone_id, DeliveryInput::default())
    }

    /// The member delivers a funded milestone (or a revision) with a message, links and files
    /// uploaded to the contract before. The first delivery records whether it came by the due
    /// date; the review period starts; the evidence entry holds each file's SHA-256.
    pub fn deliver_milestone(
        &self,
        member: &Account,
        contract_id: &str,
        milestone_id: &str,
        input: DeliveryInput,
    ) -> Result<ContractView, AppError> {
        let input = input.checked()?;
        let now = self.now();
        self.write_then_read(
            |c| {
                let contract = super::locked_for_party(c, member, contract_id)?;
                let (mut m, to, all) = ready(
                    c,
                    member,
                    &contract,
                    Side::Worker,
                    milestone_id,
                    MilestoneEvent::Submit,
                )?;
                super::hourly::check_submittable(c, &contract, &m)?;
                let today = calendar::local_input(now, "UTC");
                let first = m.submitted_at.is_none();
                // Only a delivery sets `submitted_at`: none set means no delivery yet.
                let contract_s_first = all.milestones.iter().all(|m| m.submitted_at.is_none());
                if first {
                    m.submitted_at = Some(now);
                    m.on_time = Some(today[..10] <= *m.due_on.as_str());
                }
                m.status = to;
                m.auto_release_at = Some(now + contract.review_period_ms);
                m.updated_at = now;
                let delivered = [Carried::Milestone(&m)];
                let (files, delivery) =
                    record_delivery(c, now, &contract, &m, member, &input, &delivered)?;
                record(
                    c,
                    now,
                    Event::MilestoneDelivered(MilestoneDelivered {
                        member: member.id.to_string(),
                        contract: contract.id.to_string(),
                        milestone: m.id.to_string(),
                        client: contract.client_id.to_string(),
                        first,
                        on_time: m.on_time,
                        due_on: m.due_on.clone(),
                        delivered_on: today[..10].to_string(),
                        amount: m.amount.minor,
                        currency: contract.currency.code().into(),
                        files,
                        mentor: mentor_of(&contract, &m),
                    }),
                )?;
                let milestone = m.id.to_string();
                let step = Stepped::after(contract, all, m);
                Ok(if contract_s_first {
                    step.with_only_delivery(milestone, delivery)
                } else {
                    step
                })
            },
            view_after,
        )
    }

    /// The client accepts a delivery; its escrow is released at once.
    pub fn accept_milestone(
        &self,
        client: &Account,
        contract_id: &str,
        milestone_id: &str,
        key: &str,
    ) -> Result<ContractView, AppError> {
        let now = self.now();
        let who = MoneyRequest {
            requested_by: client.id.to_string(),
            key: key.to_string(),
        };
        self.write_then_read(
            |c| {
                let opening = ("release", MilestoneEvent::Accept);
                let (mut contract, unused, mut m, to, mut all) =
                    match open_keyed(c, client, &who, contract_id, opening, milestone_id)? {
                        Keyed::Replayed(contract) => return Ok(Stepped::unchanged(contract)),
                        Keyed::Open(opened) => opened,
                    };
                super::hourly::settle_week(c, now, &contract, &mut m)?;
                m.status = to;
                record(
                    c,
                    now,
                    Event::MilestoneAccepted(MilestoneAccepted {
                        client: client.id.to_string(),
                        contract: contract.id.to_string(),
                        milestone: m.id.to_string(),
                        member: contract.worker_of(&m).to_string(),
                        on_time: m.on_time,
                        amount: m.amount.minor,
                        currency: contract.currency.code().into(),
                        mentor: mentor_of(&contract, &m),
                    }),
                )?;
                release(c, now, &mut contract, &mut m, unused, false, Some(&mut all))?;
                Ok(Stepped::after(contract, all, m))
            },
            view_after,
        )
    }

    /// The client asks for changes to a delivery; the automatic release stops.
    pub fn request_changes(
        &self,
        client: &Account,
        contract_id: &str,
        milestone_id: &str,
        note: &str,
    ) -> Result<ContractView, AppError> {
        let mut e = guildhall_domain::FieldErrors::new();
        let note = validation::text(&mut e, "/note", note, 1, 4000, true);
        if !e.is_empty() {
            return Err(e.into());
        }
        let now = self.now();
        self.write_then_read(
            |c| {
                let contract = locked(c, client, contract_id)?;
                let (mut m, to, all) = ready(
                    c,
                    client,
                    &contract,
                    Side::Client,
                    milestone_id,
                    MilestoneEvent::RequestChanges,
                )?;
                m.status = to;
                m.auto_release_at = None;
                m.updated_at = now;
                m.change_note = Some(note.clone());
                repo::update_milestone(c, &m)?;
                record(
                    c,
                    now,
                    Event::ChangesRequested(ChangesRequested {
                        client: client.id.to_string(),
                        contract: contract.id.to_string(),
                        milestone: m.id.to_string(),
                        member: contract.worker_of(&m).to_string(),
                        note: note.to_string(),
                    }),
                )?;
                Ok(Stepped::after(contract, all, m))
            },
            view_after,
        )
    }

    /// Ends an active contract early: funded milestones go back to the client, pending ones
    /// are dropped.
    pub fn cancel_contract(
        &self,
        who: &Account,
        contract_id: &str,
        reason: &str,
    ) -> Result<ContractView, AppError> {
        let mut e = guildhall_domain::FieldErrors::new();
        let reason = validation::text(&mut e, "/reason", reason, 1, 1000, true);
        if !e.is_empty() {
            return Err(e.into());
        }
        let now = self.now();
        self.write(|c| {
            let contract = locked(c, who, contract_id)?;
            let to = contract
                .status
                .next(ContractEvent::Cancel)
                .map_err(|e| AppError::conflict(None, e.to_string()))?;
            let mut refunded = 0;
            for mut m in repo::milestones_of(c, contract.id)? {
                let now_status = m.status;
                let event = if now_status.holds_escrow() {
                    MilestoneEvent::Refund
                } else if now_status == MilestoneStatus::Pending {
                    MilestoneEvent::Cancel
                } else {
                    continue;
                };
                let next_state = next(&m, event)?;
                if event == MilestoneEvent::Refund {
                    refund_on_end(c, now, &contract, &m)?;
                    refunded += m.amount.minor;
                }
                m.status = next_state;
                m.auto_release_at = None;
                m.updated_at = now;
                repo::update_milestone(c, &m)?;
            }
            repo::set_status(c, contract.id, to, now)?;
            record(
                c,
                now,
                Event::ContractCancelled(ContractCancelled {
                    cancelled_by: who.id.to_string(),
                    contract: contract.id.to_string(),
                    client: contract.client_id.to_string(),
                    member: contract.member_id.to_string(),
                    reason: reason.to_string(),
                    refunded,
                    currency: contract.currency.code().into(),
                    by: if who.id == contract.client_id {
                        "client"
                    } else {
                        "member"
                    }
                    .into(),
                }),
            )?;
            let row = repo::by_id(c, contract.id)?.ok_or(AppError::NotFound)?;
            view(c, row)
        })
    }

    /// Releases every delivery whose review period ran out by now. Run by the background job on
    /// any node: each release locks its contract and rechecks, and its ledger key is fixed per
    /// milestone, so two nodes never release the same milestone twice. Returns how many.
    pub fn release_due_milestones(&self) -> Result<usize, AppError> {
        let now = self.now();
        let due = self.read(|c| Ok(repo::due_for_release(c, now, 200)?))?;
        let mut released = 0;
        for (milestone_id, contract_id) in due {
            let done = self.write(|c| {
                let Some(contract) = repo::locked(c, contract_id)? else {
                    return Ok(false);
                };
                let mut m = milestone_of(c, &contract, milestone_id)?;
                let still_due = m.status == MilestoneStatus::Submitted
                    && m.auto_release_at.is_some_and(|t| t <= now)
                    && contract.status == ContractStatus::Active;
                if !still_due {
                    return Ok(false);
                }
                let system = MoneyRequest {
                    requested_by: SYSTEM.into(),
                    key: format!("auto-release:{}", m.id),
                };
                let Lookup::Unused(unused) =
                    ledger::lookup(c, &system, "release", &milestone_request(&m.id.to_string()))?
                else {
                    return Ok(false);
                };
                let mut contract = contract;
                super::hourly::settle_week(c, now, &contract, &mut m)?;
                release(c, now, &mut contract, &mut m, unused, true, None)?;
                Ok(true)
            })?;
            released += usize::from(done);
        }
        Ok(released)
    }
}
