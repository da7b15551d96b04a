//! Reputation: figures computed on request from the member's evidence in the log, by the pure
//! functions of `guildhall_domain::reputation`, so they can be recomputed and checked at any
//! time, and trust per skill over the vouching graph of the whole log
//! (`guildhall_domain::vouching`). Erased entries no longer count.

use crate::accounts::Account;
use crate::evidence::bundles::entries_of;
use crate::{App, AppError};
use guildhall_domain::profile::ItemData;
use guildhall_domain::reputation::{Evidence, Figure, figures};
use guildhall_domain::view::ProfileView;
use guildhall_domain::vouching::{Membership, TrustIndex, vouches};
use guildhall_store::DbConnection;
use guildhall_store::repo::{communities, evidence as log, skills, users};
use serde::Serialize;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// A member's reputation: the figures and trust per skill.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Reputation {
    /// Each figure with its interval and explanation.
    pub figures: Vec<Figure>,
    /// Trust from the vouching graph, unless the member does not show it.
    pub trust: Option<TrustView>,
}

/// A member's trust, explained.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct TrustView {
    /// Overall trust in multiples of the average member's (1 is average, 0 is no path from
    /// any curator).
    pub overall: f64,
    /// Accounts in the graph.
    pub members: usize,
    /// Trust per skill, highest first.
    pub skills: Vec<SkillTrustView>,
}

/// Trust in one skill.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct SkillTrustView {
    /// Skill or tag id.
    pub skill_id: String,
    /// Its label.
    pub label: String,
    /// Trust that arrived along evidence about the skill, in multiples of the average
    /// member's overall trust.
    pub value: f64,
    /// The edges that carried most of it, largest first (at most five).
    pub because: Vec<ContributionView>,
}

/// One edge's part in a skill's trust.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct ContributionView {
    /// Who vouched.
    pub from: String,
    /// What the edge stands for.
    pub why: String,
    /// The evidence entry behind it.
    pub entry: Option<u64>,
    /// The trust it carried.
    pub amount: f64,
}

/// The trust index with the feed position it was computed at.
#[derive(Default)]
pub struct TrustCache(Mutex<Option<(i64, Arc<TrustIndex>)>>);

/// How many contributions a skill lists.
const BECAUSE: usize = 5;

/// Every kept entry of the log with its payload.
fn all_evidence(c: &mut DbConnection) -> Result<Vec<Evidence>, AppError> {
    let size = log::size(c)?;
    let mut payloads: HashMap<i64, String> = log::payloads(c, 0, size)?.into_iter().collect();
    Ok(log::entries(c, 0, size)?
        .into_iter()
        .filter_map(|row| {
            let payload = serde_json::from_str(&payloads.remove(&row.idx)?).ok()?;
            Some(Evidence {
                index: row.idx as u64,
                kind: row.kind,
                at: row.at,
                payload,
            })
        })
        .collect())
}

fn curated_memberships(c: &mut DbConnection) -> Result<Vec<Membership>, AppError> {
    let names: HashMap<String, String> = communities::all(c, i64::MAX)?
        .into_iter()
        .map(|k| (k.id, k.name))
        .collect();
    Ok(communities::curated_memberships(c)?
        .into_iter()
        .map(|(community, member, role)| Membership {
            community: names.get(&community).cloned().unwrap_or(community),
            member,
            staff: role == "owner" || role == "curator",
        })
        .collect())
}

impl App {
    /// Trust over the whole log, recomputed when the change feed has moved since.
    pub fn trust_index(&self) -> Result<Arc<TrustIndex>, AppError> {
        let seq = self.read(|c| Ok(guildhall_store::repo::events::last_seq(c)?))?;
        if let Some((at, index)) = self.trust.0.lock().expect("trust cache").as_ref()
            && *at == seq
        {
            return Ok(index.clone());
        }
        let (evidence, memberships) =
            self.read(|c| Ok((all_evidence(c)?, curated_memberships(c)?)))?;
        let index = Arc::new(TrustIndex::new(
            vouches(&evidence, &memberships),
            &memberships,
        ));
        *self.trust.0.lock().expect("trust cache") = Some((seq, index.clone()));
        Ok(index)
    }

    /// The reputation of the account with id `member`: its figures from its own evidence and
    /// its trust from the whole log.
    pub(crate) fn reputation_of(&self, member: &str) -> Result<Reputation, AppError> {
        let now = self.now();
        let evidence: Vec<Evidence> = self
            .read(|c| entries_of(c, member))?
            .into_iter()
            .filter_map(|e| {
                Some(Evidence {
                    index: e.header.index,
                    kind: e.header.kind,
                    at: e.header.at,
                    payload: e.payload?,
                })
            })
            .collect();
        let figures = figures(member, &evidence, now, &self.settings.reputation);
        let index = self.trust_index()?;
        let skills = index.skills_of(member);
        let (handles, labels) = self.read(|c| {
            let mut ids: Vec<String> = skills
                .iter()
                .flat_map(|s| s.contributions.iter().take(BECAUSE).map(|c| c.from.clone()))
                .collect();
            ids.sort();
            ids.dedup();
            let handles: HashMap<String, String> = users::handles(c, &ids)?.into_iter().collect();
            let mut labels = HashMap::new();
            for s in &skills {
                let label = skills::by_id(c, &s.skill)?
                    .map_or_else(|| s.skill.clone(), |k| k.preferred_label);
                labels.insert(s.skill.clone(), label);
            }
            Ok((handles, labels))
        })?;
        Ok(Reputation {
            figures,
            trust: Some(TrustView {
                overall: index.overall(member),
                members: index.members(),
                skills: skills
                    .into_iter()
                    .map(|s| SkillTrustView {
                        label: labels.get(&s.skill).cloned().unwrap_or_default(),
                        skill_id: s.skill,
                        value: s.value,
                        because: s
                            .contributions
                            .into_iter()
                            .take(BECAUSE)
                            .map(|c| ContributionView {
                                from: handles
                                    .get(&c.from)
                                    .cloned()
                                    .unwrap_or_else(|| "a former member".into()),
                                why: c.why,
                                entry: c.entry,
                                amount: c.amount,
                            })
                            .collect(),
                    })
                    .collect(),
            }),
        })
    }

    /// The reputation figures the owner of `view` shows its viewer: those named by the
    /// reputation items in the view, which holds only what the viewer may see. `None` when the
    /// member shows the viewer none.
    pub fn shown_reputation(&self, view: &ProfileView) -> Result<Option<Reputation>, AppError> {
        let shown: Vec<&str> = view
            .items
            .iter()
            .filter_map(|i| match &i.data {
                ItemData::Reputation { figure } => Some(figure.as_str()),
                _ => None,
            })
            .collect();
        if shown.is_empty() {
            return Ok(None);
        }
        let owner = self
            .read(|c| Ok(users::by_handle(c, &view.handle)?))?
            .ok_or(AppError::NotFound)?;
        let mut reputation = self.reputation_of(&owner.id)?;
        reputation
            .figures
            .retain(|f| shown.contains(&f.name.as_str()));
        if !shown.contains(&"trust") {
            reputation.trust = None;
        }
        Ok(Some(reputation))
    }

    /// The caller's reputation figures and trust, with their intervals and explanations.
    pub fn my_reputation(&self, who: &Account) -> Result<Reputation, AppError> {
        self.reputation_of(&who.id)
    }
}
