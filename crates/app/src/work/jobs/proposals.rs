//! Proposals: members answer a job (on their own or invited), the client shortlists or
//! declines them, and an offer is made from one.

use super::{JobStatus, handle, job_row, visible};
use crate::AppError;
use crate::accounts::Account;
use crate::events::record;
use crate::work::hourly::HourlyInput;
use crate::work::{ContractView, MilestoneInput, OfferInput, check_offer, create_offer, view};
use guildhall_domain::events::{Event, InvitedToPropose, ProposalReviewed, Proposed};
use guildhall_domain::job::Pricing;
use guildhall_domain::job::{self, ProposalStatus, SkillFit};
use guildhall_domain::ledger::MAX_AMOUNT;
use guildhall_domain::money::Money;
use guildhall_domain::{FieldErrors, validation};
use guildhall_store::DbConnection;
use guildhall_store::repo::jobs::{self as repo, JobRow, ProposalRow};
use guildhall_store::repo::{communities, users};
use serde::{Deserialize, Serialize};

/// What a member proposes.
#[derive(Clone, Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProposalInput {
    /// Why you, and how.
    pub note: String,
    /// Your price (fixed) or hourly rate, minor units of the job's currency.
    pub rate: i64,
    /// When you can work.
    #[serde(default)]
    pub availability: String,
}

/// A proposal as shown to its member and to the client.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Proposal {
    /// The proposal's id (UUIDv7), as in `/proposals/{id}/review` and `/proposals/{id}/offer`.
    pub id: String,
    /// Job.
    pub job_id: String,
    /// Member's handle.
    pub member: String,
    /// Why the member and how, in Markdown; empty while the member is only invited.
    pub note: String,
    /// Rate or price, minor units.
    pub rate: i64,
    /// Written out.
    pub rate_display: String,
    /// When the member can work, in their own words; may be empty.
    pub availability: String,
    /// invited, submitted, shortlisted, declined, offered or withdrawn.
    pub status: String,
    /// Who invited the member, if invited.
    pub invited_by: Option<String>,
    /// Who referred the member to this job, if anyone.
    pub referred_by: Option<String>,
    /// How the member's skills meet the job's, as the member's profile shows them to the
    /// client. Filled for the job's client only.
    pub fit: Vec<SkillFit>,
    /// Whether the rate is inside the job's budget.
    pub within_budget: bool,
}

pub(super) fn proposal_of(
    c: &mut DbConnection,
    row: ProposalRow,
    job: &JobRow,
) -> Result<Proposal, AppError> {
    let referred_by = match repo::referral_of(c, &job.id, row.member_id)? {
        Some(r) => Some(handle(c, r.referrer_id)?),
        None => None,
    };
    Ok(Proposal {
        member: handle(c, row.member_id)?,
        rate_display: Money::new(row.rate_minor, job.currency).display(),
        invited_by: match &row.invited_by {
            Some(id) => Some(handle(c, *id)?),
            None => None,
        },
        referred_by,
        id: row.id,
        job_id: row.job_id,
        note: row.note,
        rate: row.rate_minor,
        within_budget: (job.budget_min..=job.budget_max).contains(&row.rate_minor),
        availability: row.availability,
        status: row.status.as_str().into(),
        fit: Vec::new(),
    })
}

impl crate::facades::Work<'_> {
    /// Proposes for an open job (or answers an invitation to it).
    pub fn propose(
        &self,
        member: &Account,
        job_id: &str,
        input: ProposalInput,
    ) -> Result<Proposal, AppError> {
        let mut e = FieldErrors::new();
        let note = validation::text(&mut e, "/note", &input.note, 10, 4000, true);
        let availability =
            validation::text(&mut e, "/availability", &input.availability, 0, 200, false);
        if !(1..=MAX_AMOUNT).contains(&input.rate) {
            e.add("/rate", format!("must be between 1 and {MAX_AMOUNT}"));
        }
        if !e.is_empty() {
            return Err(e.into());
        }
        let now = self.now();
        self.write(|c| {
            let job = job_row(c, job_id, member.id)?;
            let status = job.status;
            let own_job = job.client_id == member.id;
            let existing = repo::proposal_of(c, &job.id, member.id)?;
            let own = existing.as_ref().map(|p| p.status);
            if !job::may_propose(status, own_job, own) {
                let why = if own_job {
                    "this is your own job"
                } else if status != JobStatus::Open {
                    "this job takes no proposals now"
                } else {
                    "you already proposed for this job"
                };
                return Err(AppError::conflict(None, why));
            }
            let row = match existing {
                Some(p) => ProposalRow {
                    note: note.clone(),
                    rate_minor: input.rate,
                    availability: availability.clone(),
                    status: ProposalStatus::Submitted,
                    updated_at: now,
                    ..p
                },
                None => {
                    let p = ProposalRow {
                        id: uuid::Uuid::now_v7().to_string(),
                        job_id: job.id.clone(),
                        member_id: member.id,
                        note: note.clone(),
                        rate_minor: input.rate,
                        availability: availability.clone(),
                        status: ProposalStatus::Submitted,
                        invited_by: None,
                        created_at: now,
                        updated_at: now,
                    };
                    repo::insert_proposal(c, &p)?;
                    p
                }
            };
            repo::update_proposal(c, &row)?;
            record(
                c,
                now,
                Event::Proposed(Proposed {
                    member: member.id.to_string(),
                    job: job.id.clone(),
                    proposal: row.id.clone(),
                    client: job.client_id.to_string(),
                    rate: row.rate_minor,
                }),
            )?;
            proposal_of(c, row, &job)
        })
    }

    /// Invites a member to propose: the job's client, or a curator of its community.
    pub fn invite_to_job(
        &self,
        who: &Account,
        job_id: &str,
        handle_: &str,
    ) -> Result<Proposal, AppError> {
        let now = self.now();
        self.write(|c| {
            let job = job_row(c, job_id, who.id)?;
            let status = job.status;
            let role = match &job.community_id {
                Some(k) => communities::role_of(c, k, who.id)?,
                None => None,
            };
            let is_client = job.client_id == who.id;
            if !job::may_invite(JobStatus::Open, is_client, role) {
                return Err(AppError::Forbidden(
                    "only the client or a curator of its community invites".into(),
                ));
            }
            if status != JobStatus::Open {
                return Err(AppError::conflict(None, "this job takes no proposals now"));
            }
            let member = users::by_handle(c, handle_)?
                .ok_or_else(|| AppError::field("/handle", "no member has this handle"))?;
            if guildhall_store::repo::conversations::blocked_between(c, who.id, member.id)? {
                return Err(AppError::field("/handle", "you cannot invite this member"));
            }
            if member.id == job.client_id || !visible(c, &job, member.id)? {
                return Err(AppError::field(
                    "/handle",
                    "this member cannot take this job",
                ));
            }
            if repo::proposal_of(c, &job.id, member.id)?.is_some() {
                return Err(AppError::conflict(
                    Some("/handle"),
                    "already invited or proposed",
                ));
            }
            let row = ProposalRow {
                id: uuid::Uuid::now_v7().to_string(),
                job_id: job.id.clone(),
                member_id: member.id,
                note: String::new(),
                rate_minor: 0,
                availability: String::new(),
                status: ProposalStatus::Invited,
                invited_by: Some(who.id),
                created_at: now,
                updated_at: now,
            };
            repo::insert_proposal(c, &row)?;
            record(
                c,
                now,
                Event::InvitedToPropose(InvitedToPropose {
                    by: who.id.to_string(),
                    job: job.id.clone(),
                    member: member.id.to_string(),
                }),
            )?;
            proposal_of(c, row, &job)
        })
    }

    /// Shortlists or declines a proposal (the client).
    pub fn review_proposal(
        &self,
        client: &Account,
        proposal_id: &str,
        shortlist: bool,
    ) -> Result<Proposal, AppError> {
        let now = self.now();
        self.write(|c| {
            let mut p = repo::proposal(c, proposal_id)?.ok_or(AppError::NotFound)?;
            let job = job_row(c, &p.job_id, client.id)?;
            if job.client_id != client.id {
                return Err(AppError::NotFound);
            }
            if !p.status.awaits_client() {
                return Err(AppError::conflict(
                    None,
                    format!("the proposal is {}", p.status.as_str()),
                ));
            }
            p.status = if shortlist {
                ProposalStatus::Shortlisted
            } else {
                ProposalStatus::Declined
            };
            p.updated_at = now;
            repo::update_proposal(c, &p)?;
            record(
                c,
                now,
                Event::ProposalReviewed(ProposalReviewed {
                    client: client.id.to_string(),
                    job: job.id.clone(),
                    proposal: p.id.clone(),
                    member: p.member_id.to_string(),
                    status: p.status.as_str().into(),
                }),
            )?;
            proposal_of(c, p, &job)
        })
    }

    /// Offers a contract to the member of a proposal. A referral of that member to the job makes
    /// its referrer the contract's referrer; a community job pays its community a share. A job
    /// priced by the hour makes an hourly contract at the proposal's rate, capped at the job's
    /// hours a week (40 when it named none); the milestones are then not used. Naming a
    /// `learner` offers the work to a pair: the proposal's member mentors the learner, and the
    /// milestones marked `by_learner` are the learner's.
    pub fn offer_from_proposal(
        &self,
        client: &Account,
        proposal_id: &str,
        milestones: Vec<MilestoneInput>,
        learner: Option<String>,
    ) -> Result<ContractView, AppError> {
        let now = self.now();
        let settings = self.settings().work;
        self.write(|c| {
            let mut p = repo::proposal(c, proposal_id)?.ok_or(AppError::NotFound)?;
            let job = job_row(c, &p.job_id, client.id)?;
            if job.client_id != client.id {
                return Err(AppError::NotFound);
            }
            if !p.status.awaits_client() || job.status != JobStatus::Open {
                return Err(AppError::conflict(
                    None,
                    "this proposal cannot be offered a contract now",
                ));
            }
            let referrer = match repo::referral_of(c, &job.id, p.member_id)? {
                Some(r) => Some(handle(c, r.referrer_id)?),
                None => None,
            };
            let community = match &job.community_id {
                Some(id) => communities::by_id(c, id)?.map(|k| k.slug),
                None => None,
            };
            // An hourly job hires by the hour: the proposal's rate, up to the job's hours a week.
            let hourly = (job.pricing == Pricing::Hourly).then(|| HourlyInput {
                rate: p.rate_minor,
                weekly_cap_hours: job.hours_per_week.unwrap_or(40).clamp(1, 80),
            });
            let input = OfferInput {
                member: handle(c, p.member_id)?,
                title: job.title.clone(),
                currency: job.currency.code().into(),
                milestones: if hourly.is_some() {
                    Vec::new()
                } else {
                    milestones.clone()
                },
                community,
                referrer,
                hourly,
                learner: learner.clone(),
            };
            let checked = check_offer(&input, now)?;
            let row = create_offer(c, now, &settings, client, &input, &checked, Some(&job.id))?;
            p.status = ProposalStatus::Offered;
            p.updated_at = now;
            repo::update_proposal(c, &p)?;
            view(c, row)
        })
    }
}
