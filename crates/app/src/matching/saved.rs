//! Talent searches a client keeps without posting a job: the same ranking as Find talent,
//! run again whenever they open one.

use super::talent::{Talent, check_limit, client_of, rank};
use super::wanted::{Wanted, window};
use crate::AppError;
use crate::accounts::Account;
use guildhall_domain::job::{JobSkill, check_skills};
use guildhall_domain::ledger::MAX_AMOUNT;
use guildhall_domain::money::Currency;
use guildhall_domain::skills::normalize;
use guildhall_domain::validation::{self, FieldErrors};
use guildhall_store::DbConnection;
use guildhall_store::repo::communities;
use guildhall_store::repo::shortlists::{self as repo, SavedSearchRow};
use serde::{Deserialize, Serialize};

/// Searches one client keeps at most.
pub const MAX_SEARCHES: usize = 50;

/// A talent search as a client writes it: what a job would ask, without the job.
#[derive(Clone, Debug, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SearchInput {
    /// The client's name for it (1 to 80 characters).
    pub name: String,
    /// The skills wanted (1 to 10), each with its weight and least level. Each must name a
    /// skill the instance knows.
    pub skills: Vec<JobSkill>,
    /// The most paid per hour, in minor units of `currency`: members asking more are left out.
    #[serde(default)]
    pub hourly_budget: Option<i64>,
    /// ISO 4217 code of the pay.
    #[serde(default = "euro")]
    pub currency: String,
    /// First day of the work (YYYY-MM-DD), for free hours; with `ends_on`.
    #[serde(default)]
    pub starts_on: Option<String>,
    /// Last day of the work (YYYY-MM-DD).
    #[serde(default)]
    pub ends_on: Option<String>,
    /// Hours a week wanted (1 to 80).
    #[serde(default)]
    pub hours_per_week: Option<i32>,
    /// Earliest UTC offset in minutes (−720 to 840).
    #[serde(default = "earliest")]
    pub tz_min_offset: i32,
    /// Latest UTC offset in minutes (−720 to 840, not before the earliest).
    #[serde(default = "latest")]
    pub tz_max_offset: i32,
    /// Only members of this community (its slug; you must belong to it).
    #[serde(default)]
    pub community: Option<String>,
}

fn euro() -> String {
    "EUR".into()
}
fn earliest() -> i32 {
    super::wanted::ANY_ZONE.0
}
fn latest() -> i32 {
    super::wanted::ANY_ZONE.1
}

/// A kept search.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct SavedSearch {
    /// Its id.
    pub id: String,
    /// What it asks, as saved (each skill with its id in the taxonomy).
    pub search: SearchInput,
    /// When it was saved, milliseconds since the epoch.
    pub created_at: i64,
}

/// Checks a search's fields; every fault is reported at once.
fn check(input: &SearchInput) -> Result<Currency, FieldErrors> {
    let mut e = FieldErrors::new();
    validation::text(&mut e, "/name", &input.name, 1, 80, false);
    check_skills(&mut e, &input.skills, 10);
    let currency = Currency::parse(&input.currency);
    if let Err(m) = currency {
        e.add("/currency", m);
    }
    if input
        .hourly_budget
        .is_some_and(|b| !(1..=MAX_AMOUNT).contains(&b))
    {
        e.add(
            "/hourly_budget",
            format!("must be between 1 and {MAX_AMOUNT}"),
        );
    }
    match (&input.starts_on, &input.ends_on) {
        (None, None) => {}
        (Some(starts), Some(ends)) => {
            let starts = validation::date(&mut e, "/starts_on", starts);
            let ends = validation::date(&mut e, "/ends_on", ends);
            if e.is_empty() && ends < starts {
                e.add("/ends_on", "must not be before the start");
            }
        }
        (None, Some(_)) => e.add("/starts_on", "is needed with an end"),
        (Some(_), None) => e.add("/ends_on", "is needed with a start"),
    }
    if input.hours_per_week.is_some_and(|h| !(1..=80).contains(&h)) {
        e.add("/hours_per_week", "must be 1 to 80");
    }
    let zones = -720..=840;
    if !zones.contains(&input.tz_min_offset)
        || !zones.contains(&input.tz_max_offset)
        || input.tz_max_offset < input.tz_min_offset
    {
        e.add(
            "/tz_min_offset",
            "the window runs from -720 to 840 minutes, earliest first",
        );
    }
    match currency {
        Ok(currency) if e.is_empty() => Ok(currency),
        _ => Err(e),
    }
}

/// The community a search is scoped to, as an id; it must be one of the client's.
fn community_id(
    c: &mut DbConnection,
    who: &Account,
    slug: Option<&str>,
) -> Result<Option<String>, AppError> {
    let Some(slug) = slug.map(str::trim).filter(|s| !s.is_empty()) else {
        return Ok(None);
    };
    let k = communities::by_slug(c, &slug.to_ascii_lowercase())?
        .ok_or_else(|| AppError::field("/community", "no such community"))?;
    if communities::role_of(c, &k.id, who.id)?.is_none() {
        return Err(AppError::field(
            "/community",
            "must be a community you belong to",
        ));
    }
    Ok(Some(k.id))
}

fn saved_of(row: SavedSearchRow) -> Result<SavedSearch, AppError> {
    let input = serde_json::from_str(&row.wanted)
        .map_err(|e| AppError::caused("reading a saved search", e))?;
    Ok(SavedSearch {
        id: row.id,
        search: input,
        created_at: row.created_at,
    })
}

/// A client's own saved search; anyone else's is not found.
fn own_search(c: &mut DbConnection, who: &Account, id: &str) -> Result<SavedSearchRow, AppError> {
    repo::search(c, id)?
        .filter(|s| s.user_id == who.id)
        .ok_or(AppError::NotFound)
}

impl crate::facades::Matching<'_> {
    /// Keeps a talent search: every skill must be one the instance knows (by its name or an
    /// alias), the community one of the client's.
    pub fn save_search(&self, who: &Account, input: SearchInput) -> Result<SavedSearch, AppError> {
        check(&input)?;
        let now = self.now();
        self.write(|c| {
            if repo::searches_of(c, who.id)?.len() >= MAX_SEARCHES {
                return Err(AppError::conflict(
                    None,
                    format!("you keep {MAX_SEARCHES} searches already; delete one first"),
                ));
            }
            community_id(c, who, input.community.as_deref())?;
            let mut skills = Vec::with_capacity(input.skills.len());
            for (i, s) in input.skills.iter().enumerate() {
                let skill = crate::skills::readable(c, &normalize(&s.label), Some(who.id))?
                    .ok_or_else(|| {
                        AppError::field(
                            &format!("/skills/{i}/label"),
                            "no skill goes by these words",
                        )
                    })?;
                skills.push(JobSkill {
                    label: skill.preferred_label,
                    skill_id: Some(skill.id),
                    required: true,
                    ..s.clone()
                });
            }
            let input = SearchInput {
                name: input.name.trim().to_string(),
                skills,
                community: input
                    .community
                    .as_deref()
                    .map(|s| s.trim().to_ascii_lowercase())
                    .filter(|s| !s.is_empty()),
                currency: input.currency.trim().to_ascii_uppercase(),
                ..input.clone()
            };
            let row = SavedSearchRow {
                id: uuid::Uuid::now_v7().to_string(),
                user_id: who.id,
                name: input.name.clone(),
                wanted: serde_json::to_string(&input)
                    .map_err(|e| AppError::caused("encoding a saved search", e))?,
                created_at: now,
                updated_at: now,
            };
            repo::insert_search(c, &row)?;
            saved_of(row)
        })
    }

    /// The client's saved searches, newest first.
    pub fn saved_searches(&self, who: &Account) -> Result<Vec<SavedSearch>, AppError> {
        self.read(|c| {
            repo::searches_of(c, who.id)?
                .into_iter()
                .map(saved_of)
                .collect()
        })
    }

    /// Deletes one of the client's saved searches.
    pub fn delete_search(&self, who: &Account, id: &str) -> Result<(), AppError> {
        self.write(|c| {
            let row = own_search(c, who, id)?;
            repo::remove_search(c, &row.id)?;
            Ok(())
        })
    }

    /// Runs a saved search: the members who fit it best, as Find talent ranks them for a job.
    pub fn run_search(
        &self,
        who: &Account,
        id: &str,
        limit: usize,
    ) -> Result<(SavedSearch, Vec<Talent>), AppError> {
        check_limit(limit)?;
        self.with_index(|loaded| {
            self.read(|c| {
                let saved = saved_of(own_search(c, who, id)?)?;
                let input = &saved.search;
                // A community left since the search was saved scopes it no longer.
                let community_id = community_id(c, who, input.community.as_deref())
                    .ok()
                    .flatten();
                let wanted = Wanted {
                    skills: input.skills.clone(),
                    hourly_budget: input.hourly_budget,
                    currency: Currency::parse(&input.currency).map_err(|m| {
                        AppError::internal(format!("a saved search's currency {m}"))
                    })?,
                    dates: input.starts_on.clone().zip(input.ends_on.clone()),
                    hours_per_week: input.hours_per_week,
                    tz_window: window((input.tz_min_offset, input.tz_max_offset)),
                    community_id,
                };
                let client = client_of(c, loaded, who.id)?;
                let talent = rank(c, &self.context(), loaded, who.id, &client, &wanted, limit)?;
                Ok((saved, talent))
            })
        })
    }
}
