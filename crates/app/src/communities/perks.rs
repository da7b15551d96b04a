//! Perks: what a community offers the members who qualify (at least so many points over the
//! last 365 days, or an active contract through the community). Curators list them; a member
//! sees in full the ones they qualify for, and of the others only what it takes.

use super::Scope;
use super::points::points_between;
use crate::AppError;
use crate::accounts::Account;
use crate::events::record;
use guildhall_domain::community::Action;
use guildhall_domain::contract::ContractStatus;
use guildhall_domain::events::{Event, PerkAdded, PerkRemoved};
use guildhall_domain::{FieldErrors, validation};
use guildhall_store::DbConnection;
use guildhall_store::repo::contracts;
use guildhall_store::repo::ownership::{self as repo, PerkRow};
use serde::{Deserialize, Serialize};

const YEAR_MS: i64 = 365 * 24 * 3600 * 1000;
/// Perks a community may list.
const MAX_PERKS: usize = 50;

/// What listing a perk asks for. A perk with neither rule is for every member.
#[derive(Clone, Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PerkInput {
    /// What it is called, 3 to 120 characters.
    pub title: String,
    /// What it is and how to use it, up to 2000 characters: members who qualify see it.
    #[serde(default)]
    pub description: String,
    /// Members with at least this many points over the last 365 days qualify (1 to 1000000).
    #[serde(default)]
    pub min_points: Option<i64>,
    /// Members with an active contract through the community qualify.
    #[serde(default)]
    pub active_contract: bool,
}

/// A perk as a member sees it.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Perk {
    /// The perk's id (UUIDv7).
    pub id: String,
    /// What it is called.
    pub title: String,
    /// What it is and how to use it; empty unless the caller qualifies or curates.
    pub description: String,
    /// Points over the last 365 days that qualify a member, if points decide.
    pub min_points: Option<i64>,
    /// Whether an active contract through the community qualifies a member.
    pub active_contract: bool,
    /// Who qualifies, in words.
    pub who_qualifies: String,
    /// Whether the caller qualifies.
    pub qualifies: bool,
}

impl crate::facades::Communities<'_> {
    /// Lists a perk (curators).
    pub fn add_perk(&self, who: &Account, slug: &str, input: &PerkInput) -> Result<Perk, AppError> {
        let mut e = FieldErrors::new();
        let title = validation::text(&mut e, "/title", &input.title, 3, 120, false);
        let description =
            validation::text(&mut e, "/description", &input.description, 0, 2000, true);
        if input
            .min_points
            .is_some_and(|n| !(1..=1_000_000).contains(&n))
        {
            e.add("/min_points", "must be from 1 to 1000000 points");
        }
        let now = self.now();
        self.write(|c| {
            let scope = Scope::load(c, slug, Some(who))?;
            scope.require(Action::ManagePerks)?;
            if !e.is_empty() {
                return Err(e.clone().into());
            }
            if repo::perks_of(c, scope.id())?.len() >= MAX_PERKS {
                return Err(AppError::conflict(
                    None,
                    format!("a community lists at most {MAX_PERKS} perks: take one off first"),
                ));
            }
            let row = PerkRow {
                id: uuid::Uuid::now_v7().to_string(),
                community_id: scope.id().to_string(),
                title: title.clone(),
                description: description.clone(),
                min_points: input.min_points,
                active_contract: input.active_contract,
                created_by: who.id,
                created_at: now,
            };
            repo::insert_perk(c, &row)?;
            record(
                c,
                now,
                Event::PerkAdded(PerkAdded {
                    by: who.id.to_string(),
                    community: scope.id().to_string(),
                    perk: row.id.clone(),
                }),
            )?;
            Ok(perk(row, true, true))
        })
    }

    /// Takes a perk off the list (curators).
    pub fn remove_perk(&self, who: &Account, slug: &str, id: &str) -> Result<(), AppError> {
        let now = self.now();
        self.write(|c| {
            let scope = Scope::load(c, slug, Some(who))?;
            scope.require(Action::ManagePerks)?;
            if !repo::delete_perk(c, scope.id(), id)? {
                return Err(AppError::NotFound);
            }
            record(
                c,
                now,
                Event::PerkRemoved(PerkRemoved {
                    by: who.id.to_string(),
                    community: scope.id().to_string(),
                    perk: id.to_string(),
                }),
            )
        })
    }

    /// The community's perks, with whether the caller qualifies (members). Curators see every
    /// description; members see those of the perks they qualify for.
    pub fn perks(&self, who: &Account, slug: &str) -> Result<Vec<Perk>, AppError> {
        let now = self.now();
        self.read(|c| {
            let scope = Scope::load(c, slug, Some(who))?;
            scope.require(Action::ViewMembers)?;
            let rows = repo::perks_of(c, scope.id())?;
            if rows.is_empty() {
                return Ok(Vec::new());
            }
            let has = Holdings::of(c, &scope, who, now)?;
            let curates = scope.may(Action::ManagePerks);
            Ok(rows
                .into_iter()
                .map(|row| {
                    let qualifies = has.qualifies(&row);
                    perk(row, qualifies, qualifies || curates)
                })
                .collect())
        })
    }
}

/// What a member has that perks ask for.
struct Holdings {
    points: i64,
    active_contract: bool,
}

impl Holdings {
    fn of(c: &mut DbConnection, scope: &Scope, who: &Account, now: i64) -> Result<Self, AppError> {
        let points = points_between(c, scope.id(), now - YEAR_MS, now + 1)?
            .get(&who.id)
            .map_or(0, |p| p.total());
        let active_contract = contracts::of_user(c, who.id)?.iter().any(|k| {
            k.community_id.as_deref() == Some(scope.id())
                && matches!(k.status, ContractStatus::Active | ContractStatus::Disputed)
        });
        Ok(Holdings {
            points,
            active_contract,
        })
    }

    fn qualifies(&self, row: &PerkRow) -> bool {
        let by_points = row.min_points.map(|n| self.points >= n);
        let by_contract = row.active_contract.then_some(self.active_contract);
        match (by_points, by_contract) {
            (None, None) => true,
            (p, k) => p.unwrap_or(false) || k.unwrap_or(false),
        }
    }
}

/// A perk as shown; its description only to those who qualify or curate.
fn perk(row: PerkRow, qualifies: bool, with_description: bool) -> Perk {
    let who_qualifies = match (row.min_points, row.active_contract) {
        (None, false) => "Every member".to_string(),
        (Some(n), false) => format!("Members with at least {n} points over the last 365 days"),
        (None, true) => "Members with an active contract through the community".to_string(),
        (Some(n), true) => format!(
            "Members with at least {n} points over the last 365 days, or an active contract \
             through the community"
        ),
    };
    Perk {
        id: row.id,
        title: row.title,
        description: if with_description {
            row.description
        } else {
            String::new()
        },
        min_points: row.min_points,
        active_contract: row.active_contract,
        who_qualifies,
        qualifies,
    }
}
