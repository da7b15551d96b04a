//! Referrals: a member points another to a job with a note; when the referred member is hired,
//! the referrer's word is evidence and the contract pays them a reward.

use super::{JobStatus, job_row, visible};
use crate::AppError;
use crate::accounts::Account;
use crate::events::record;
use guildhall_domain::events::{Event, ReferralHired, Referred};
use guildhall_domain::{FieldErrors, validation};
use guildhall_store::DbConnection;
use guildhall_store::repo::contracts::ContractRow;
use guildhall_store::repo::jobs::{self as repo, ReferralRow};
use guildhall_store::repo::users;

/// Marks a job filled and rewards its referral when the contract made from it starts.
pub(crate) fn hired(
    c: &mut DbConnection,
    now: i64,
    job_id: &str,
    contract: &ContractRow,
) -> Result<(), AppError> {
    repo::set_status(c, job_id, JobStatus::Filled, now)?;
    if let Some(r) = repo::referral_of(c, job_id, contract.member_id)? {
        record(
            c,
            now,
            Event::ReferralHired(ReferralHired {
                referrer: r.referrer_id.to_string(),
                job: job_id.to_string(),
                contract: contract.id.to_string(),
                member: contract.member_id.to_string(),
            }),
        )?;
    }
    Ok(())
}

impl crate::facades::Work<'_> {
    /// Refers another member to a job, with a note. If they are hired, the referrer is
    /// rewarded on every release of the contract.
    pub fn refer(
        &self,
        referrer: &Account,
        job_id: &str,
        handle_: &str,
        note: &str,
    ) -> Result<(), AppError> {
        let mut e = FieldErrors::new();
        let note = validation::text(&mut e, "/note", note, 0, 1000, true);
        if !e.is_empty() {
            return Err(e.into());
        }
        let now = self.now();
        self.write(|c| {
            let job = job_row(c, job_id, referrer.id)?;
            if job.status != JobStatus::Open {
                return Err(AppError::conflict(None, "this job takes no proposals now"));
            }
            let member = users::by_handle(c, handle_)?
                .ok_or_else(|| AppError::field("/handle", "no member has this handle"))?;
            if member.id == referrer.id
                || member.id == job.client_id
                || job.client_id == referrer.id
            {
                return Err(AppError::field(
                    "/handle",
                    "refer someone other than yourself or the client",
                ));
            }
            if guildhall_store::repo::conversations::blocked_between(c, referrer.id, member.id)? {
                return Err(AppError::field("/handle", "you cannot refer this member"));
            }
            if !visible(c, &job, member.id)? {
                return Err(AppError::field(
                    "/handle",
                    "this member cannot see this job",
                ));
            }
            // First come counts: a member who proposed, or whom the client invited, found
            // the job without this referrer and owes them no reward.
            if repo::proposal_of(c, &job.id, member.id)?.is_some() {
                return Err(AppError::conflict(
                    Some("/handle"),
                    "this member already proposed for this job or was invited to",
                ));
            }
            if repo::referral_of(c, &job.id, member.id)?.is_some() {
                return Err(AppError::conflict(
                    Some("/handle"),
                    "someone already referred this member",
                ));
            }
            let row = ReferralRow {
                id: uuid::Uuid::now_v7().to_string(),
                job_id: job.id.clone(),
                referrer_id: referrer.id,
                member_id: member.id,
                note: note.clone(),
                created_at: now,
            };
            repo::insert_referral(c, &row)?;
            record(
                c,
                now,
                Event::Referred(Referred {
                    referrer: referrer.id.to_string(),
                    job: job.id.clone(),
                    member: member.id.to_string(),
                    note: note.to_string(),
                }),
            )
        })
    }
}
