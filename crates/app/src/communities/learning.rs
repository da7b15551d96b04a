//! Learning resources: a curated catalogue per community, and members' completions.

use super::{Scope, SkillRef, check_skill_words, json_list, resolve_skills, skill_refs};
use crate::AppError;
use crate::accounts::Account;
use crate::events::record;
use guildhall_domain::community::Action;
use guildhall_domain::events::{Event, ResourceAdded, ResourceCompleted, ResourceRemoved};
use guildhall_domain::money::{Currency, Money};
use guildhall_domain::{FieldErrors, validation};
use guildhall_store::repo::learning::{self as repo, ResourceRow};
use serde::{Deserialize, Serialize};

/// What adding a resource asks for.
#[derive(Clone, Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ResourceInput {
    /// What the resource is called, 3 to 200 characters.
    pub title: String,
    /// Link.
    pub url: String,
    /// Who offers it.
    #[serde(default)]
    pub provider: String,
    /// Skills it teaches, in words.
    #[serde(default)]
    pub skills: Vec<String>,
    /// Cost in minor units of `currency`; 0 for free.
    #[serde(default)]
    pub cost_minor: i64,
    /// ISO 4217 code, needed when it costs something.
    #[serde(default)]
    pub currency: String,
    /// Length in minutes.
    #[serde(default)]
    pub duration_minutes: Option<i32>,
    /// The member who found it, by handle, when a curator adds it for them: the contribution's
    /// points go to that member (who must belong to the community).
    #[serde(default)]
    pub credit: Option<String>,
}

/// A resource as shown.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Resource {
    /// The resource's id (UUIDv7), as in `/resources/{id}`.
    pub id: String,
    /// What the resource is called, as curators typed it.
    pub title: String,
    /// Link.
    pub url: String,
    /// Who offers the resource, as the curator typed it; empty if not given.
    pub provider: String,
    /// Skills it teaches, resolved from the curator's words, with their labels.
    pub skills: Vec<SkillRef>,
    /// Cost in minor units.
    pub cost_minor: i64,
    /// Currency, empty when free.
    pub currency: String,
    /// The cost written out in the currency's format (`€49.90`, `¥8,000`), or `free`.
    pub cost_display: String,
    /// Length in minutes.
    pub duration_minutes: Option<i32>,
    /// How many members completed it.
    pub completed_by: i64,
    /// When the caller completed it.
    pub you_completed_on: Option<String>,
}

impl crate::facades::Communities<'_> {
    /// Adds a resource to the catalogue (curators).
    pub fn add_resource(
        &self,
        who: &Account,
        slug: &str,
        input: ResourceInput,
    ) -> Result<Resource, AppError> {
        let mut e = FieldErrors::new();
        let title = validation::text(&mut e, "/title", &input.title, 3, 200, false);
        let url = validation::web_url(&mut e, "/url", &input.url);
        let provider = validation::text(&mut e, "/provider", &input.provider, 0, 120, false);
        check_skill_words(&mut e, "/skills", &input.skills, 20);
        if !(0..=100_000_000).contains(&input.cost_minor) {
            e.add("/cost_minor", "must be between 0 and 100000000");
        }
        // A cost is in a currency Guildhall knows, so it is shown in that currency's format
        // rather than as free.
        let currency = Currency::parse(&input.currency);
        if input.cost_minor > 0
            && let Err(message) = currency
        {
            e.add("/currency", message);
        }
        if input
            .duration_minutes
            .is_some_and(|d| !(1..=100_000).contains(&d))
        {
            e.add("/duration_minutes", "must be between 1 and 100000");
        }
        let now = self.now();
        self.write(|c| {
            let scope = Scope::load(c, slug, Some(who))?;
            scope.require(Action::ManageResources)?;
            if !e.is_empty() {
                return Err(e.clone().into());
            }
            let skills = resolve_skills(c, &input.skills, who.id, now)?;
            let row = ResourceRow {
                id: uuid::Uuid::now_v7().to_string(),
                community_id: scope.id().to_string(),
                title: title.clone(),
                url: url.clone(),
                provider: provider.clone(),
                skills: json_list(&skills),
                cost_minor: input.cost_minor,
                currency: match currency {
                    Ok(currency) if input.cost_minor > 0 => currency.code().to_string(),
                    _ => String::new(),
                },
                duration_minutes: input.duration_minutes,
                created_by: who.id,
                created_at: now,
                removed_at: None,
            };
            repo::insert(c, &row)?;
            super::points::credit(c, &scope, &row.id, input.credit.as_deref(), now)?;
            record(
                c,
                now,
                Event::ResourceAdded(ResourceAdded {
                    by: who.id.to_string(),
                    community: scope.id().to_string(),
                    resource: row.id.clone(),
                    skills: skills.clone(),
                }),
            )?;
            Ok(Resource {
                skills: skill_refs(c, &row.skills)?,
                id: row.id,
                title: row.title,
                url: row.url,
                provider: row.provider,
                cost_display: cost_display(row.cost_minor, &row.currency),
                cost_minor: row.cost_minor,
                currency: row.currency,
                duration_minutes: row.duration_minutes,
                completed_by: 0,
                you_completed_on: None,
            })
        })
    }

    /// Takes a resource out of the catalogue (curators); completions stay on record.
    pub fn remove_resource(&self, who: &Account, slug: &str, id: &str) -> Result<(), AppError> {
        let now = self.now();
        self.write(|c| {
            let scope = Scope::load(c, slug, Some(who))?;
            scope.require(Action::ManageResources)?;
            let row = repo::by_id(c, id)?
                .filter(|r| r.community_id == scope.id() && r.removed_at.is_none())
                .ok_or(AppError::NotFound)?;
            repo::remove(c, &row.id, now)?;
            record(
                c,
                now,
                Event::ResourceRemoved(ResourceRemoved {
                    by: who.id.to_string(),
                    community: scope.id().to_string(),
                    resource: row.id.clone(),
                }),
            )
        })
    }

    /// The catalogue, with completions, for members.
    pub fn resources(&self, who: Option<&Account>, slug: &str) -> Result<Vec<Resource>, AppError> {
        self.read(|c| {
            let scope = Scope::load(c, slug, who)?;
            scope.require(Action::ViewMembers)?;
            let rows = repo::of_community(c, scope.id())?;
            let ids: Vec<String> = rows.iter().map(|r| r.id.clone()).collect();
            let done = repo::completions_of(c, &ids)?;
            let reader = who.map(|w| w.id.to_string());
            rows.into_iter()
                .map(|row| {
                    Ok(Resource {
                        skills: skill_refs(c, &row.skills)?,
                        completed_by: done.iter().filter(|(r, _, _)| *r == row.id).count() as i64,
                        you_completed_on: reader.as_ref().and_then(|me| {
                            done.iter()
                                .find(|(r, u, _)| *r == row.id && u == me)
                                .map(|(_, _, d)| d.clone())
                        }),
                        id: row.id,
                        title: row.title,
                        url: row.url,
                        provider: row.provider,
                        cost_display: cost_display(row.cost_minor, &row.currency),
                        cost_minor: row.cost_minor,
                        currency: row.currency,
                        duration_minutes: row.duration_minutes,
                    })
                })
                .collect()
        })
    }

    /// Marks a resource completed on a date (not in the future).
    pub fn complete_resource(
        &self,
        who: &Account,
        slug: &str,
        id: &str,
        completed_on: &str,
    ) -> Result<(), AppError> {
        let mut e = FieldErrors::new();
        let on = validation::date(&mut e, "/completed_on", completed_on);
        let now = self.now();
        let today = guildhall_domain::calendar::local_input(now, "UTC");
        if e.is_empty() && on.as_str() > &today[..today.len().min(10)] {
            e.add("/completed_on", "must not be in the future");
        }
        self.write(|c| {
            let scope = Scope::load(c, slug, Some(who))?;
            scope.require(Action::CompleteResource)?;
            let row = repo::by_id(c, id)?
                .filter(|r| r.community_id == scope.id() && r.removed_at.is_none())
                .ok_or(AppError::NotFound)?;
            if !e.is_empty() {
                return Err(e.clone().into());
            }
            repo::complete(c, &row.id, who.id, &on, now)?;
            record(
                c,
                now,
                Event::ResourceCompleted(ResourceCompleted {
                    member: who.id.to_string(),
                    community: scope.id().to_string(),
                    resource: row.id.clone(),
                    completed_on: on.to_string(),
                    skills: serde_json::from_str(&row.skills).unwrap_or_default(),
                }),
            )
        })
    }
}

/// A resource's cost in the currency's own format, or `free`.
fn cost_display(minor: i64, currency: &str) -> String {
    match Currency::parse(currency) {
        Ok(currency) if minor > 0 => Money::new(minor, currency).display(),
        _ => "free".into(),
    }
}
