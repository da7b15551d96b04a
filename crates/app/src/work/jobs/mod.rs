//! Jobs to be done: posted by a client (publicly or to one community), answered by proposals,
//! invitations and referrals, and filled by an offer made from a proposal.

mod proposals;
mod referrals;
mod search;

use guildhall_domain::UserId;
use guildhall_domain::job::CheckedJob;
pub use guildhall_domain::job::{JobInput, JobSkill, JobStatus, Pricing, SkillFit};
pub use proposals::{Proposal, ProposalInput};
pub(crate) use referrals::hired;
pub use search::JobSearch;

use crate::AppError;
use crate::accounts::Account;
use crate::events::record;
use crate::profiles::load_items;
use guildhall_domain::events::{Event, JobPosted, JobStatusChanged};
use guildhall_domain::job::skill_fit;
use guildhall_domain::money::Money;
use guildhall_domain::visibility::visible_items;
use guildhall_store::DbConnection;
use guildhall_store::repo::jobs::{self as repo, JobRow};
use guildhall_store::repo::{communities, skills as skill_repo};
use proposals::proposal_of;
use serde::Serialize;

/// A job as shown.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Job {
    /// The job's id (UUIDv7), as in its address.
    pub id: String,
    /// Client's handle.
    pub client: String,
    /// The organisation the client acts for; empty when the client posts for themselves.
    pub organisation: String,
    /// The job to be done, as the client wrote it (5 to 200 characters).
    pub title: String,
    /// What the work is, in Markdown; may be empty.
    pub description: String,
    /// Skills asked for, each with its weight, least level and whether it is required.
    pub skills: Vec<JobSkill>,
    /// Whether the budget is one fixed price or a rate per hour.
    pub pricing: Pricing,
    /// Budget, written out.
    pub budget: String,
    /// Budget from, minor units.
    pub budget_min: i64,
    /// Budget to, minor units.
    pub budget_max: i64,
    /// ISO 4217.
    pub currency: String,
    /// Start.
    pub starts_on: String,
    /// End.
    pub ends_on: String,
    /// Hours a week (1 to 80) for part-time work; null when the client gave none.
    pub hours_per_week: Option<i32>,
    /// Whether the work can be done remotely; when false, `place` says where.
    pub remote: bool,
    /// Where the work happens, in the client's words; empty only when `remote` is true.
    pub place: String,
    /// Time zone window (UTC offsets in minutes).
    pub tz_window: (i32, i32),
    /// Community slug, when scoped to one.
    pub community: Option<String>,
    /// State.
    pub status: JobStatus,
    /// Whether the caller posted it.
    pub yours: bool,
    /// The ESCO ICT occupation the work belongs to, if the client named one.
    pub occupation: Option<JobOccupation>,
}

/// The occupation a job names.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct JobOccupation {
    /// Its id, as `GET /api/v1/occupations` lists it.
    pub id: String,
    /// Its ESCO label.
    pub label: String,
}

pub(super) fn handle(c: &mut DbConnection, id: UserId) -> Result<String, AppError> {
    super::handle_of(c, id)
}

/// A job's budget in words: "€1,500.00 – €2,200.00", "… per hour" when paid by the hour.
pub(crate) fn budget_words(row: &JobRow) -> String {
    format!(
        "{} – {}{}",
        Money::new(row.budget_min, row.currency).display(),
        Money::new(row.budget_max, row.currency).display(),
        match row.pricing {
            Pricing::Hourly => " per hour",
            Pricing::Fixed => "",
        }
    )
}

fn job_of(c: &mut DbConnection, row: JobRow, who: Option<&Account>) -> Result<Job, AppError> {
    let pricing = row.pricing;
    let community = match &row.community_id {
        Some(id) => communities::by_id(c, id)?.map(|k| k.slug),
        None => None,
    };
    let occupation = row.occupation.as_deref().and_then(|id| {
        let o = crate::insights::occupations::occupation(id).ok()?;
        Some(JobOccupation {
            id: id.to_string(),
            label: o.label.clone(),
        })
    });
    Ok(Job {
        occupation,
        client: handle(c, row.client_id)?,
        budget: budget_words(&row),
        skills: serde_json::from_str(&row.skills).unwrap_or_default(),
        pricing,
        status: row.status,
        yours: who.is_some_and(|w| row.client_id == w.id),
        tz_window: (row.tz_min_offset, row.tz_max_offset),
        community,
        id: row.id,
        organisation: row.organisation,
        title: row.title,
        description: row.description,
        budget_min: row.budget_min,
        budget_max: row.budget_max,
        currency: row.currency.code().into(),
        starts_on: row.starts_on,
        ends_on: row.ends_on,
        hours_per_week: row.hours_per_week,
        remote: row.remote,
        place: row.place,
    })
}

/// Whether `who` may see the job: its client always; others when it is not a draft and, for a
/// community job, they are members of the community.
pub(crate) fn visible(
    c: &mut DbConnection,
    row: &JobRow,
    who_id: UserId,
) -> Result<bool, AppError> {
    let status = row.status;
    let is_client = row.client_id == who_id;
    let in_its_community = match &row.community_id {
        Some(k) if !is_client && status != JobStatus::Draft => {
            communities::role_of(c, k, who_id)?.is_some()
        }
        _ => true,
    };
    Ok(guildhall_domain::job::visible(
        status,
        is_client,
        in_its_community,
    ))
}

/// The occupation a job names, checked against the listed ones; blank is none.
fn occupation_of(id: Option<&str>) -> Result<Option<String>, &'static str> {
    match id.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(id) => crate::insights::occupations::occupation(id)
            .map(|o| Some(crate::insights::occupations::id_of(o).to_string()))
            .map_err(|_| "choose an occupation from the list"),
    }
}

pub(crate) fn job_row(c: &mut DbConnection, id: &str, who_id: UserId) -> Result<JobRow, AppError> {
    if id.len() > 64 {
        return Err(AppError::NotFound);
    }
    let row = repo::by_id(c, id)?.ok_or(AppError::NotFound)?;
    if !visible(c, &row, who_id)? {
        return Err(AppError::NotFound);
    }
    Ok(row)
}

impl crate::facades::Work<'_> {
    /// Posts a job (open at once, or as a draft).
    pub fn post_job(&self, client: &Account, input: JobInput) -> Result<Job, AppError> {
        // Every fault at once: the domain's checks and the occupation's.
        let occupation = occupation_of(input.occupation.as_deref());
        let CheckedJob {
            title,
            description,
            organisation,
            currency: cur,
            place,
        } = match (guildhall_domain::job::check(&input), &occupation) {
            (Ok(checked), Ok(_)) => checked,
            (Err(mut e), Err(message)) => {
                e.add("/occupation", *message);
                return Err(e.into());
            }
            (Err(e), _) => return Err(e.into()),
            (Ok(_), Err(message)) => return Err(AppError::field("/occupation", *message)),
        };
        let occupation = occupation.unwrap_or_default();
        let now = self.now();
        self.write(|c| {
            let community_id = match &input.community {
                Some(slug) => {
                    let k = communities::by_slug(c, &slug.trim().to_ascii_lowercase())?
                        .ok_or_else(|| AppError::field("/community", "no such community"))?;
                    if communities::role_of(c, &k.id, client.id)?.is_none() {
                        return Err(AppError::field(
                            "/community",
                            "you can post only to communities you belong to",
                        ));
                    }
                    Some(k.id)
                }
                None => None,
            };
            let mut skills = Vec::new();
            for s in &input.skills {
                let (id, _) = crate::skills::resolve_or_tag(c, &s.label, client.id, now, true)?;
                let label = skill_repo::by_id(c, &id)?
                    .map(|k| k.preferred_label)
                    .unwrap_or_else(|| s.label.clone());
                skills.push(JobSkill {
                    skill_id: Some(id),
                    label,
                    ..s.clone()
                });
            }
            let row = JobRow {
                id: uuid::Uuid::now_v7().to_string(),
                client_id: client.id,
                organisation: organisation.clone(),
                title: title.clone(),
                description: description.clone(),
                skills: serde_json::to_string(&skills)
                    .map_err(|e| AppError::caused("encoding the job's skills", e))?,
                pricing: input.pricing,
                budget_min: input.budget_min,
                budget_max: input.budget_max,
                currency: cur,
                starts_on: input.starts_on.trim().into(),
                ends_on: input.ends_on.trim().into(),
                hours_per_week: input.hours_per_week,
                remote: input.remote,
                place: place.clone(),
                tz_min_offset: input.tz_min_offset,
                tz_max_offset: input.tz_max_offset,
                community_id,
                status: if input.publish {
                    JobStatus::Open
                } else {
                    JobStatus::Draft
                },
                created_at: now,
                updated_at: now,
                occupation: occupation.clone(),
            };
            repo::insert(c, &row)?;
            record(
                c,
                now,
                Event::JobPosted(JobPosted {
                    client: client.id.to_string(),
                    job: row.id.clone(),
                    status: row.status.as_str().into(),
                    community: row.community_id.clone(),
                }),
            )?;
            job_of(c, row, Some(client))
        })
    }

    /// Opens a draft, or closes a job (its client).
    pub fn set_job_status(
        &self,
        client: &Account,
        id: &str,
        status: JobStatus,
    ) -> Result<Job, AppError> {
        let now = self.now();
        self.write(|c| {
            let row = job_row(c, id, client.id)?;
            if row.client_id != client.id {
                return Err(AppError::Forbidden("only its client changes a job".into()));
            }
            let from = row.status;
            if !from.may_become(status) {
                return Err(AppError::conflict(
                    None,
                    format!("a {} job cannot become {}", from.as_str(), status.as_str()),
                ));
            }
            repo::set_status(c, &row.id, status, now)?;
            record(
                c,
                now,
                Event::JobStatusChanged(JobStatusChanged {
                    client: client.id.to_string(),
                    job: row.id.clone(),
                    from: from.as_str().into(),
                    to: status.as_str().into(),
                }),
            )?;
            let row = repo::by_id(c, &row.id)?.ok_or(AppError::NotFound)?;
            job_of(c, row, Some(client))
        })
    }

    /// Open jobs the caller may see: public ones and those of the caller's communities.
    pub fn open_jobs(&self, who: &Account) -> Result<Vec<Job>, AppError> {
        self.read(|c| {
            let mine: Vec<String> = communities::of_member(c, who.id)?
                .into_iter()
                .map(|(k, _)| k)
                .collect();
            repo::open(c, &mine, 200)?
                .into_iter()
                .map(|row| job_of(c, row, Some(who)))
                .collect()
        })
    }

    /// Public open jobs, newest first, as a visitor who is not signed in sees them.
    pub fn public_jobs(&self, limit: i64) -> Result<Vec<Job>, AppError> {
        self.read(|c| {
            repo::open(c, &[], limit)?
                .into_iter()
                .map(|row| job_of(c, row, None))
                .collect()
        })
    }

    /// The caller's own jobs.
    pub fn my_jobs(&self, client: &Account) -> Result<Vec<Job>, AppError> {
        self.read(|c| {
            repo::of_client(c, client.id)?
                .into_iter()
                .map(|row| job_of(c, row, Some(client)))
                .collect()
        })
    }

    /// One job, with the proposals: all of them for its client, the caller's own otherwise.
    pub fn job(&self, who: &Account, id: &str) -> Result<(Job, Vec<Proposal>), AppError> {
        self.read(|c| {
            let row = job_row(c, id, who.id)?;
            let is_client = row.client_id == who.id;
            let job_skills: Vec<JobSkill> = serde_json::from_str(&row.skills).unwrap_or_default();
            let mut proposals = Vec::new();
            for p in repo::proposals_of(c, &row.id)? {
                if !is_client && p.member_id != who.id {
                    continue;
                }
                let member_id = p.member_id;
                let mut proposal = proposal_of(c, p, &row)?;
                if is_client {
                    let viewer = self.profiles().relation(c, Some(who), member_id)?;
                    let items = load_items(c, member_id)?;
                    proposal.fit = skill_fit(&job_skills, &visible_items(&items, &viewer));
                }
                proposals.push(proposal);
            }
            Ok((job_of(c, row, Some(who))?, proposals))
        })
    }
}
