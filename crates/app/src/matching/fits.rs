//! "New work that fits you": when a job opens, the members it fits best are told, each as they
//! chose to hear of it (by default in the daily digest). The matching index ranks them by all
//! they claim, since each is told only of their own fit; everything else holds as for Find
//! talent: only members who may see the job, never the client or anyone blocked with them,
//! never a suspended member, never someone asking more than an hourly budget.

use super::load::Loaded;
use super::talent::{client_of, terms};
use super::wanted::Wanted;
use crate::AppError;
use crate::notifications::{ToTell, notices_for};
use crate::queue;
use guildhall_domain::UserId;
use guildhall_domain::job::JobStatus;
use guildhall_domain::matching::{Query, Weights};
use guildhall_domain::notify::Topic;
use guildhall_store::DbConnection;
use guildhall_store::repo::{conversations, jobs, notifications, tasks};

/// The queue's kind for "tell the members this job fits"; the payload names the job and the
/// event that opened it.
pub(crate) const FITS_TASK: &str = "fits";
/// The least share of a job's weighted skills a member must meet, at the level asked, to be
/// told of it.
const LEAST_FIT: f64 = 0.5;
/// Members told of one job at most: the best fits.
const MOST_TOLD: usize = 50;
/// Tasks worked at a time.
const BATCH: i64 = 10;

/// The members `job` fits best, as the index ranks them by all they claim.
fn fitting(
    c: &mut DbConnection,
    loaded: &Loaded,
    job: &jobs::JobRow,
) -> Result<Vec<UserId>, AppError> {
    let wanted = Wanted::of_job(job);
    let (terms, _) = terms(
        c,
        &mut |id| loaded.skill_no(id),
        &|id| loaded.learned(id),
        &wanted.skills,
    )?;
    let query = Query {
        terms,
        community: wanted
            .community_id
            .as_deref()
            .and_then(|id| id.parse().ok()),
        budget: wanted.budget(),
        tz_window: wanted.tz_window,
    };
    // The client's place, for their blocks and so they are never told of their own job.
    let mut client = client_of(c, loaded, job.client_id)?;
    client.blocked.extend(
        conversations::hidden_from(c, job.client_id)?
            .into_iter()
            .filter_map(|u| loaded.number_of(u)),
    );
    client.sees_all = true;
    let weights = Weights::default();
    Ok(loaded
        .index
        .top_k(&query, &client, &weights, MOST_TOLD)
        .into_iter()
        .filter(|hit| {
            let skills: f64 = hit.matched.iter().map(|m| m.points).sum();
            skills >= LEAST_FIT
        })
        .map(|hit| loaded.user(hit.member))
        .collect())
}

impl crate::facades::Matching<'_> {
    /// Works the "fits" tasks that are due: for each job opened, tells the members it fits
    /// best, once each. Returns how many members were told.
    pub fn tell_fitting_members(&self) -> Result<usize, AppError> {
        let now = self.now();
        let lease = now + queue::LEASE_MS;
        let claimed = self.write(|c| Ok(tasks::claim(c, FITS_TASK, now, lease, BATCH)?))?;
        let mut told = 0;
        for task in &claimed {
            let payload: serde_json::Value = serde_json::from_str(&task.payload)
                .map_err(|e| AppError::caused("reading a fits task", e))?;
            let job_id = payload["job"].as_str().unwrap_or_default().to_string();
            let event_id = payload["event"].as_str().unwrap_or_default().to_string();
            let found = self.with_index(|loaded| {
                self.read(|c| match jobs::by_id(c, &job_id)? {
                    Some(job) if job.status == JobStatus::Open => fitting(c, loaded, &job),
                    _ => Ok(Vec::new()),
                })
            })?;
            let now = self.now();
            told += self.write(|c| {
                let mut untold = Vec::new();
                for user in &found {
                    if !notifications::told_of(c, *user, &event_id)? {
                        untold.push(ToTell {
                            now,
                            event_id: &event_id,
                            user: *user,
                            topic: Topic::WorkThatFits,
                        });
                    }
                }
                let rows = notices_for(c, &untold)?;
                notifications::insert(c, &rows)?;
                tasks::done(c, &task.id, now)?;
                Ok(rows.len())
            })?;
        }
        Ok(told)
    }
}
