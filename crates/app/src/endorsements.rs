//! Endorsements that mean something: a member vouches for another's skill claim only where the
//! two share evidence of working together (a contract between them, a confirmed mentoring
//! session, or a vetted community they both belong to), and the endorsement records which.
//! Its weight in trust comes from the endorser's own trust in that skill, kept in the log.

use crate::AppError;
use crate::accounts::Account;
use crate::communities::user_id_of;
use crate::events::record;
use crate::profiles::{load_items, relation};
use guildhall_domain::UserId;
use guildhall_domain::events::{Event, SkillEndorsed};
use guildhall_domain::profile::ItemData;
use guildhall_domain::{FieldErrors, validation};
use guildhall_store::DbConnection;
use guildhall_store::repo::suggestions as repo;
use guildhall_store::repo::{communities, contracts, items, mentoring, users};
use serde::Serialize;
use std::collections::HashMap;

/// What two members share that lets one endorse the other, strongest first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Basis {
    /// One hired the other in a contract the member accepted.
    Contract,
    /// A mentoring session between them that both confirmed.
    Mentoring,
    /// Both belong to a community the operators vetted.
    VettedCommunity,
}

impl Basis {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Basis::Contract => "contract",
            Basis::Mentoring => "mentoring",
            Basis::VettedCommunity => "vetted_community",
        }
    }

    /// What it is, in words.
    pub fn words(self) -> &'static str {
        match self {
            Basis::Contract => "you worked together on a contract",
            Basis::Mentoring => "you had a confirmed mentoring session together",
            Basis::VettedCommunity => "you are both members of a vetted community",
        }
    }
}

/// The shared evidence between `a` and `b`, if any.
fn basis(c: &mut DbConnection, a: UserId, b: UserId) -> Result<Option<Basis>, AppError> {
    Ok(if contracts::worked_together(c, a, b)? {
        Some(Basis::Contract)
    } else if mentoring::confirmed_between(c, a, b)? {
        Some(Basis::Mentoring)
    } else if communities::share_vetted(c, a, b)? {
        Some(Basis::VettedCommunity)
    } else {
        None
    })
}

/// The endorsements of one skill claim as a viewer reads them.
#[derive(Clone, Debug, Default, Serialize, utoipa::ToSchema)]
pub struct Endorsements {
    /// How many members endorsed the claim.
    pub count: usize,
    /// Handles of the endorsers the viewer may see: the member sees all; others see those
    /// they know (a connection, a shared community, a contract) and themselves.
    pub named: Vec<String>,
    /// The viewer endorsed it.
    pub yours: bool,
}

/// The taxonomy skill or tag a claim is about, for the evidence it leaves.
fn claimed_skill(data: &ItemData) -> Option<&str> {
    match data {
        ItemData::Skill { skill_id, .. } => skill_id.as_deref(),
        _ => None,
    }
}

impl crate::facades::Skills<'_> {
    /// Endorses a skill claim on `handle`'s profile that the caller can see, if the two share
    /// evidence of working together.
    pub fn endorse(
        &self,
        endorser: &Account,
        handle: &str,
        item_id: &str,
        note: &str,
    ) -> Result<(), AppError> {
        let mut e = FieldErrors::new();
        let note = validation::text(&mut e, "/note", note, 0, 280, false);
        if !e.is_empty() {
            return Err(e.into());
        }
        let trust = self.evidence().trust_index()?;
        let now = self.now();
        self.write(|c| {
            let owner = user_id_of(c, handle)?;
            let viewer = relation(c, Some(endorser.id), owner)?;
            let items = load_items(c, owner)?;
            // Hidden claims are as absent as missing ones.
            let item = guildhall_domain::visible_items(&items, &viewer)
                .into_iter()
                .find(|i| i.id.to_string() == item_id && matches!(i.data, ItemData::Skill { .. }))
                .ok_or(AppError::NotFound)?;
            if viewer.owner {
                return Err(AppError::conflict(
                    None,
                    "you cannot endorse your own skill",
                ));
            }
            let Some(basis) = basis(c, endorser.id, owner)? else {
                return Err(AppError::conflict(
                    None,
                    "you can endorse a skill once you have worked together: a contract \
                     between you, a confirmed mentoring session, or a vetted community you \
                     both belong to",
                ));
            };
            let skill = claimed_skill(&item.data);
            let endorser_trust = skill.map_or(0.0, |s| {
                trust
                    .skills_of(&endorser.id.to_string())
                    .into_iter()
                    .find(|t| t.skill == s)
                    .map_or(0.0, |t| t.value)
            });
            repo::endorse(
                c,
                &uuid::Uuid::now_v7().to_string(),
                &item.id.to_string(),
                endorser.id,
                basis.as_str(),
                &note,
                now,
            )
            .map_err(|err| match err {
                guildhall_store::StoreError::Unique(_) => {
                    AppError::conflict(None, "you have already endorsed this skill")
                }
                other => other.into(),
            })?;
            record(
                c,
                now,
                Event::SkillEndorsed(SkillEndorsed {
                    endorser: endorser.id.to_string(),
                    item: item.id.to_string(),
                    owner: owner.to_string(),
                    basis: Some(basis.as_str().into()),
                    skill: Some(skill.map(str::to_string)),
                    endorser_trust: Some(endorser_trust),
                    relation: None,
                }),
            )
        })
    }

    /// What lets `viewer` endorse the member `handle`, if anything.
    pub fn endorsement_basis(
        &self,
        viewer: &Account,
        handle: &str,
    ) -> Result<Option<Basis>, AppError> {
        self.read(|c| {
            let owner = user_id_of(c, handle)?;
            if owner == viewer.id {
                return Ok(None);
            }
            basis(c, viewer.id, owner)
        })
    }

    /// The endorsements of the member `handle`'s claims `item_ids` as `viewer` reads them, by
    /// item id. Callers pass only claims the viewer may see.
    pub fn endorsements_shown(
        &self,
        handle: &str,
        item_ids: &[String],
        viewer: Option<&Account>,
    ) -> Result<HashMap<String, Endorsements>, AppError> {
        self.read(|c| {
            let owner = user_id_of(c, handle)?;
            let rows = repo::endorsers_of_items(c, item_ids)?;
            let mut ids: Vec<UserId> = rows.iter().map(|(_, e)| *e).collect();
            ids.sort();
            ids.dedup();
            let mut known: HashMap<UserId, Option<String>> = HashMap::new();
            for id in ids {
                let named = match viewer {
                    Some(v) if v.id == owner || v.id == id => true,
                    Some(v) => {
                        let r = relation(c, Some(v.id), id)?;
                        r.connection || r.client || !r.communities.is_empty()
                    }
                    None => false,
                };
                let handle = if named {
                    users::by_id(c, id)?.map(|u| u.handle)
                } else {
                    None
                };
                known.insert(id, handle);
            }
            let mut out: HashMap<String, Endorsements> = HashMap::new();
            for (item, endorser) in rows {
                let entry = out.entry(item).or_default();
                entry.count += 1;
                entry.yours |= viewer.is_some_and(|v| v.id == endorser);
                if let Some(Some(h)) = known.get(&endorser) {
                    entry.named.push(h.clone());
                }
            }
            Ok(out)
        })
    }

    /// Endorsements of one of the caller's claims: (endorser handle, basis, note).
    pub fn endorsements_of(
        &self,
        account: &Account,
        item_id: &str,
    ) -> Result<Vec<(String, String, String)>, AppError> {
        self.read(|c| {
            items::of_owner_by_id(c, account.id, item_id)?.ok_or(AppError::NotFound)?;
            repo::endorsements_of(c, item_id)?
                .into_iter()
                .map(|(id, relation, note)| {
                    Ok((
                        users::by_id(c, id)?.map(|u| u.handle).unwrap_or_default(),
                        relation,
                        note,
                    ))
                })
                .collect()
        })
    }
}
