//! A curator's shortlist for a client's job: members of the curator's community, put forward
//! each with a note. The curator ranks their community's members for the job as they see
//! them; the client reads the shortlist on the job.

use super::talent::{Talent, check_limit, client_of, rank};
use super::wanted::Wanted;
use crate::AppError;
use crate::accounts::Account;
use crate::communities::scope::Scope;
use crate::events::record;
use crate::profiles::{load_items, relation};
use crate::work::jobs::job_row;
use guildhall_domain::community::Action;
use guildhall_domain::events::{Event, Shortlisted, Unshortlisted};
use guildhall_domain::job::JobStatus;
use guildhall_domain::validation::{self, FieldErrors};
use guildhall_domain::view::ProfileView;
use guildhall_store::DbConnection;
use guildhall_store::repo::jobs::JobRow;
use guildhall_store::repo::shortlists::{self as repo, ShortlistRow};
use guildhall_store::repo::{communities, conversations, users};
use serde::{Deserialize, Serialize};

/// Whom a curator puts forward, and why.
#[derive(Clone, Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ShortlistInput {
    /// The community the curator acts for (its slug): the member must belong to it.
    pub community: String,
    /// The member's handle.
    pub handle: String,
    /// Why this member, for the client (up to 1000 characters; may be empty).
    #[serde(default)]
    pub note: String,
}

/// A member on a job's shortlist.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct ShortlistEntry {
    /// The entry's id.
    pub id: String,
    /// The member's handle.
    pub handle: String,
    /// Their name, as the reader may see it.
    pub display_name: String,
    /// Their headline, if the reader may see it.
    pub headline: Option<String>,
    /// The community's slug.
    pub community: String,
    /// The community's name.
    pub community_name: String,
    /// The curator who put them forward.
    pub curator: String,
    /// The curator's note to the client.
    pub note: String,
    /// When, milliseconds since the epoch.
    pub created_at: i64,
    /// Whether the reader may take the entry off (its community's staff, the job's client).
    pub removable: bool,
}

/// The communities in which `who` may shortlist.
fn curated_by(c: &mut DbConnection, who: &Account) -> Result<Vec<Scope>, AppError> {
    let mut out = Vec::new();
    for (id, _) in communities::of_member(c, who.id)? {
        let Some(row) = communities::by_id(c, &id)? else {
            continue;
        };
        let scope = Scope::of(c, row, Some(who))?;
        if scope.may(Action::Shortlist) {
            out.push(scope);
        }
    }
    Ok(out)
}

/// Whether `who` may see entries made for `community_id`: its staff.
fn staff_of(c: &mut DbConnection, who: &Account, community_id: &str) -> Result<bool, AppError> {
    Ok(communities::role_of(c, community_id, who.id)?.is_some_and(|r| r.is_staff()))
}

fn entry_of(
    c: &mut DbConnection,
    reader: &Account,
    job: &JobRow,
    row: ShortlistRow,
) -> Result<ShortlistEntry, AppError> {
    let member = users::by_id(c, row.member_id)?.ok_or(AppError::NotFound)?;
    let seen_by = relation(c, Some(reader.id), row.member_id)?;
    let view = ProfileView::build(&member.handle, &load_items(c, row.member_id)?, &seen_by);
    let community = communities::by_id(c, &row.community_id)?.ok_or(AppError::NotFound)?;
    let curator = users::by_id(c, row.curator_id)?
        .map(|u| u.handle)
        .unwrap_or_default();
    let removable = job.client_id == reader.id || staff_of(c, reader, &row.community_id)?;
    Ok(ShortlistEntry {
        id: row.id,
        handle: member.handle.clone(),
        display_name: view.display_name().to_string(),
        headline: view.headline().map(str::to_string),
        community: community.slug,
        community_name: community.name,
        curator,
        note: row.note,
        created_at: row.created_at,
        removable,
    })
}

impl crate::facades::Matching<'_> {
    /// The communities in which `who` may shortlist members for jobs: those they curate.
    pub fn curated_communities(&self, who: &Account) -> Result<Vec<(String, String)>, AppError> {
        self.read(|c| {
            Ok(curated_by(c, who)?
                .into_iter()
                .map(|s| (s.row.slug, s.row.name))
                .collect())
        })
    }

    /// The members of `community` who fit `job_id` best, as its curator sees them, for the
    /// curator to choose whom to put forward. Members who block the job's client, or whom the
    /// client blocks, are left out.
    pub fn shortlist_candidates(
        &self,
        curator: &Account,
        job_id: &str,
        community: &str,
        limit: usize,
    ) -> Result<Vec<Talent>, AppError> {
        check_limit(limit)?;
        self.with_index(|loaded| {
            self.read(|c| {
                let job = job_row(c, job_id, curator.id)?;
                let scope = Scope::load(c, community, Some(curator))?;
                scope.require(Action::Shortlist)?;
                let mut client = client_of(c, loaded, curator.id)?;
                client.blocked.extend(
                    conversations::hidden_from(c, job.client_id)?
                        .into_iter()
                        .filter_map(|u| loaded.number_of(u)),
                );
                if let Some(n) = loaded.number_of(job.client_id) {
                    client.blocked.insert(n);
                }
                let wanted = Wanted {
                    community_id: Some(scope.id().to_string()),
                    ..Wanted::of_job(&job)
                };
                rank(
                    c,
                    &self.context(),
                    loaded,
                    curator.id,
                    &client,
                    &wanted,
                    limit,
                )
            })
        })
    }

    /// Puts a member of the curator's community forward for an open job, with a note; the
    /// job's client is told.
    pub fn add_to_shortlist(
        &self,
        curator: &Account,
        job_id: &str,
        input: ShortlistInput,
    ) -> Result<ShortlistEntry, AppError> {
        let mut e = FieldErrors::new();
        let note = validation::text(&mut e, "/note", &input.note, 0, 1000, true);
        if !e.is_empty() {
            return Err(AppError::Validation(e));
        }
        let now = self.now();
        self.write(|c| {
            let job = job_row(c, job_id, curator.id)?;
            let scope = Scope::load(c, &input.community, Some(curator))?;
            scope.require(Action::Shortlist)?;
            if job.status != JobStatus::Open {
                return Err(AppError::conflict(
                    None,
                    "only an open job takes a shortlist",
                ));
            }
            let member = users::by_handle(c, input.handle.trim().trim_start_matches('@'))?
                .ok_or_else(|| AppError::field("/handle", "no member has this handle"))?;
            if communities::role_of(c, scope.id(), member.id)?.is_none() {
                return Err(AppError::field(
                    "/handle",
                    "must be a member of the community",
                ));
            }
            if member.id == job.client_id
                || conversations::blocked_between(c, member.id, job.client_id)?
            {
                return Err(AppError::field(
                    "/handle",
                    "cannot be put forward for this client",
                ));
            }
            let row = ShortlistRow {
                id: uuid::Uuid::now_v7().to_string(),
                job_id: job.id.clone(),
                member_id: member.id,
                community_id: scope.id().to_string(),
                curator_id: curator.id,
                note: note.clone(),
                created_at: now,
            };
            if !repo::insert(c, &row)? {
                return Err(AppError::conflict(
                    Some("/handle"),
                    "this member is on the shortlist already",
                ));
            }
            record(
                c,
                now,
                Event::Shortlisted(Shortlisted {
                    curator: curator.id.to_string(),
                    job: job.id.clone(),
                    member: member.id.to_string(),
                    client: job.client_id.to_string(),
                    community: scope.id().to_string(),
                }),
            )?;
            entry_of(c, curator, &job, row)
        })
    }

    /// A job's shortlist: all of it for the job's client, the entries of their communities
    /// for curators, nothing for anyone else (not found).
    pub fn shortlist(&self, who: &Account, job_id: &str) -> Result<Vec<ShortlistEntry>, AppError> {
        self.read(|c| {
            let job = job_row(c, job_id, who.id)?;
            let client = job.client_id == who.id;
            let curates = !curated_by(c, who)?.is_empty();
            if !client && !curates {
                return Err(AppError::NotFound);
            }
            let mut out = Vec::new();
            for row in repo::of_job(c, &job.id)? {
                if client || staff_of(c, who, &row.community_id)? {
                    out.push(entry_of(c, who, &job, row)?);
                }
            }
            Ok(out)
        })
    }

    /// Takes a member off a job's shortlist: the job's client, or staff of the community that
    /// put them forward.
    pub fn remove_from_shortlist(
        &self,
        who: &Account,
        job_id: &str,
        entry_id: &str,
    ) -> Result<(), AppError> {
        let now = self.now();
        self.write(|c| {
            let job = job_row(c, job_id, who.id)?;
            let row = repo::entry(c, entry_id)?
                .filter(|r| r.job_id == job.id)
                .ok_or(AppError::NotFound)?;
            if job.client_id != who.id && !staff_of(c, who, &row.community_id)? {
                return Err(AppError::NotFound);
            }
            repo::remove(c, &row.id)?;
            record(
                c,
                now,
                Event::Unshortlisted(Unshortlisted {
                    by: who.id.to_string(),
                    job: job.id,
                    member: row.member_id.to_string(),
                }),
            )?;
            Ok(())
        })
    }
}
