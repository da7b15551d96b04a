//! Searching open jobs: words, a skill, pay, dates, remote work and a community, a page at a
//! time, newest first. Only jobs the caller may see are ever searched.

use super::{Job, job_of, repo};
use crate::accounts::Account;
use crate::page::{Page, PageRequest};
use crate::{AppError, skills};
use guildhall_domain::availability::parse_date;
use guildhall_domain::money::Currency;
use guildhall_domain::skills::normalize;
use guildhall_store::repo::communities;
use guildhall_store::repo::jobs::OpenJobFilter;
use serde::Deserialize;

/// The longest search text, in characters.
pub const MAX_WORDS: usize = 200;

/// What a search of open jobs asks; every part is optional and every given part must hold.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct JobSearch {
    /// Words that must each appear in the job's title or details (up to 200 characters).
    pub q: Option<String>,
    /// A skill the job must ask for, in words (its name or an alias).
    pub skill: Option<String>,
    /// The least the job may pay, as a decimal amount of `currency` (per hour for hourly work,
    /// in all for a fixed price): jobs whose budget reaches it.
    pub pays_at_least: Option<String>,
    /// The currency of `pays_at_least` (ISO 4217); jobs in other currencies are left out.
    pub currency: Option<String>,
    /// Jobs that start on or after this date (YYYY-MM-DD).
    pub starts_from: Option<String>,
    /// Jobs that end on or before this date (YYYY-MM-DD).
    pub ends_by: Option<String>,
    /// Only jobs that can be done remotely.
    pub remote: Option<bool>,
    /// Only jobs of this community (its slug; you must belong to it).
    pub community: Option<String>,
    /// Leave out the caller's own jobs (the jobs page lists them apart).
    #[serde(skip)]
    pub others_only: bool,
}

impl JobSearch {
    /// Whether anything narrows the search.
    pub fn is_empty(&self) -> bool {
        let given = |s: &Option<String>| s.as_deref().is_some_and(|s| !s.trim().is_empty());
        !(given(&self.q)
            || given(&self.skill)
            || given(&self.pays_at_least)
            || given(&self.starts_from)
            || given(&self.ends_by)
            || self.remote == Some(true)
            || given(&self.community))
    }
}

/// The trimmed text of an optional field, `None` when empty.
fn text(s: &Option<String>) -> Option<&str> {
    s.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

/// A date given, checked; one given blank is refused like any other that is not a date (the
/// jobs page leaves out what was left blank).
fn date(s: &Option<String>, field: &str) -> Result<Option<String>, AppError> {
    match s.as_deref() {
        None => Ok(None),
        Some(d) => parse_date(d.trim())
            .map(|d| Some(d.to_string()))
            .ok_or_else(|| AppError::field(field, "must be a date, YYYY-MM-DD")),
    }
}

fn pay(search: &JobSearch) -> Result<Option<(i64, Currency)>, AppError> {
    // A currency given is checked even without an amount, so a wrong one is never ignored.
    let currency = search
        .currency
        .as_deref()
        .map(|code| Currency::parse(code).map_err(|e| AppError::field("/currency", e)))
        .transpose()?;
    let Some(amount) = text(&search.pays_at_least) else {
        return Ok(None);
    };
    let currency = currency
        .ok_or_else(|| AppError::field("/currency", "must name the currency of the amount"))?;
    let minor = currency
        .parse_amount(amount)
        .map_err(|e| AppError::field("/pays_at_least", e))?;
    Ok(Some((minor, currency)))
}

impl crate::facades::Work<'_> {
    /// Open jobs the caller may see (public ones and those of their communities) that pass
    /// `search`, newest first, a page at a time.
    pub fn search_jobs(
        &self,
        who: &Account,
        search: &JobSearch,
        page: &PageRequest,
    ) -> Result<Page<Job>, AppError> {
        let limit = page.limit()?;
        let before = page.key()?;
        let words = text(&search.q).unwrap_or("");
        if words.chars().count() > MAX_WORDS {
            return Err(AppError::field(
                "/q",
                format!("must be at most {MAX_WORDS} characters"),
            ));
        }
        let pays_at_least = pay(search)?;
        let starts_from = date(&search.starts_from, "/starts_from")?;
        let ends_by = date(&search.ends_by, "/ends_by")?;
        self.read(|c| {
            let mine: Vec<String> = communities::of_member(c, who.id)?
                .into_iter()
                .map(|(k, _)| k)
                .collect();
            let community_id = match text(&search.community) {
                None => None,
                Some(slug) => {
                    let k = communities::by_slug(c, &slug.to_ascii_lowercase())?
                        .filter(|k| mine.contains(&k.id))
                        .ok_or_else(|| {
                            AppError::field("/community", "must be a community you belong to")
                        })?;
                    Some(k.id)
                }
            };
            let skill_id = match text(&search.skill) {
                None => None,
                Some(label) => Some(
                    skills::readable(c, &normalize(label), Some(who.id))?
                        .ok_or_else(|| AppError::field("/skill", "no skill goes by these words"))?
                        .id,
                ),
            };
            let filter = OpenJobFilter {
                words: words.split_whitespace().map(str::to_lowercase).collect(),
                skill_id,
                pays_at_least,
                starts_from: starts_from.clone(),
                ends_by: ends_by.clone(),
                remote_only: search.remote == Some(true),
                community_id,
                not_client: search.others_only.then_some(who.id),
            };
            let rows = repo::search_open(c, &mine, &filter, before.as_deref(), limit + 1)?;
            let jobs = rows
                .into_iter()
                .map(|row| job_of(c, row, Some(who)))
                .collect::<Result<Vec<_>, _>>()?;
            Ok(Page::from_rows(jobs, limit, |j| j.id.clone()))
        })
    }
}
