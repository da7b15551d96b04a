//! Reputation: figures computed on request from the member's evidence in the log, by the pure
//! functions of `guildhall_domain::reputation`, so they can be recomputed and checked at any
//! time, and trust per skill over the vouching graph of the whole log
//! (`guildhall_domain::vouching`). Erased entries no longer count.

use crate::AppError;
use crate::accounts::Account;
use crate::evidence::bundles::entries_of;
use guildhall_domain::UserId;
use guildhall_domain::events::Event;
use guildhall_domain::profile::ItemData;
use guildhall_domain::reputation::{Evidence, Figure, figures};
use guildhall_domain::view::ProfileView;
use guildhall_domain::vouching::{
    Contribution, Membership, SkillTrust, TrustIndex, VouchKind, seeds, vouches,
};
use guildhall_store::DbConnection;
use guildhall_store::repo::{communities, evidence as log, skills, users};
use serde::Serialize;
use serde_json::Value;
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

/// One edge's part in a skill's trust, or several edges of one kind summed up.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct ContributionView {
    /// Handle of who vouched; absent for a summary, which names nobody.
    pub from: Option<String>,
    /// What the edge stands for, or what the summed edges are ("3 paid contracts from 2
    /// clients").
    pub why: String,
    /// The evidence entry behind it; absent for a summary.
    pub entry: Option<u64>,
    /// The trust it carried.
    pub amount: f64,
}

/// Who reads a reputation, which decides whose part in it is named.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Reader {
    /// The member: every contribution with its author.
    Owner,
    /// Anyone else, by account id when signed in. They see their own part by name and the
    /// rest as counts per kind, so a member's trust never tells others who their clients,
    /// learners or endorsers are or what marks they gave.
    Other(Option<UserId>),
}

impl Reader {
    fn may_name(&self, author: &str) -> bool {
        match self {
            Reader::Owner => true,
            Reader::Other(viewer) => viewer.is_some_and(|v| v.to_string() == author),
        }
    }
}

/// The contributions as one line per kind of evidence, largest first.
fn summaries(contributions: Vec<Contribution>) -> Vec<ContributionView> {
    let mut kinds: Vec<(VouchKind, usize, Vec<String>, f64)> = Vec::new();
    for c in contributions {
        let at = match kinds.iter().position(|k| k.0 == c.kind) {
            Some(at) => at,
            None => {
                kinds.push((c.kind, 0, Vec::new(), 0.0));
                kinds.len() - 1
            }
        };
        let k = &mut kinds[at];
        k.1 += 1;
        if !k.2.contains(&c.from) {
            k.2.push(c.from);
        }
        k.3 += c.amount;
    }
    kinds.sort_by(|a, b| b.3.total_cmp(&a.3));
    kinds
        .into_iter()
        .map(|(kind, count, people, amount)| ContributionView {
            from: None,
            why: kind.summary(count, people.len()),
            entry: None,
            amount,
        })
        .collect()
}

/// The trust index with the feed position it was computed at.
#[derive(Default)]
pub struct TrustCache(Mutex<Option<(i64, Arc<TrustIndex>)>>);

/// How many contributions a skill lists.
const BECAUSE: usize = 5;

/// A logged entry as reputation reads it. A payload that is not its kind's event means the
/// stored log is corrupt: an error, never a silently skipped entry.
fn evidence_of(index: u64, kind: &str, at: i64, payload: &Value) -> Result<Evidence, AppError> {
    let event = Event::from_evidence(kind, payload)
        .map_err(|e| AppError::caused(format!("reading evidence entry {index}"), e))?;
    Ok(Evidence { index, at, event })
}

/// Every kept entry of the log with its payload, while each of its parties still holds it: a
/// party who erased their view of shared work withdrew it from the vouching graph, though the
/// other party keeps it as their own evidence.
fn all_evidence(c: &mut DbConnection) -> Result<Vec<Evidence>, AppError> {
    let size = log::size(c)?;
    let mut payloads: HashMap<i64, String> = log::payloads(c, 0, size)?.into_iter().collect();
    let mut holders: HashMap<i64, Vec<String>> = HashMap::new();
    for (idx, user) in log::all_subjects(c)? {
        holders.entry(idx).or_default().push(user);
    }
    let mut out = Vec::new();
    for row in log::entries(c, 0, size)? {
        let Some(text) = payloads.remove(&row.idx) else {
            continue;
        };
        let payload: Value = serde_json::from_str(&text)
            .map_err(|e| AppError::caused(format!("reading evidence entry {}", row.idx), e))?;
        let held = holders.get(&row.idx).map(Vec::as_slice).unwrap_or_default();
        if parties(&payload).any(|party| !held.iter().any(|h| h == party)) {
            continue;
        }
        out.push(evidence_of(row.idx as u64, &row.kind, row.at, &payload)?);
    }
    Ok(out)
}

/// The parties an evidence payload names as the `members` who hold it.
fn parties(payload: &Value) -> impl Iterator<Item = &str> {
    payload
        .get("members")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
}

/// The kept entries of the log about `member`, with their payloads.
pub(crate) fn own_evidence(
    c: &mut DbConnection,
    member: UserId,
) -> Result<Vec<Evidence>, AppError> {
    entries_of(c, member)?
        .into_iter()
        .filter_map(|e| {
            let payload = e.payload?;
            Some(evidence_of(
                e.header.index,
                &e.header.kind,
                e.header.at,
                &payload,
            ))
        })
        .collect()
}

fn curated_memberships(c: &mut DbConnection) -> Result<Vec<Membership>, AppError> {
    let rows: HashMap<String, (String, bool)> = communities::all(c, i64::MAX)?
        .into_iter()
        .map(|k| (k.id, (k.name, k.vetted)))
        .collect();
    Ok(communities::curated_memberships(c)?
        .into_iter()
        .map(|(community, member, role)| {
            let (name, vetted) = rows.get(&community).cloned().unwrap_or((community, false));
            Membership {
                community: name,
                member: member.to_string(),
                staff: role.is_staff(),
                vetted,
            }
        })
        .collect())
}

impl crate::facades::Evidence<'_> {
    /// Trust over the whole log, recomputed when the change feed has moved since.
    pub fn trust_index(&self) -> Result<Arc<TrustIndex>, AppError> {
        self.catch_up()?;
        let seq = self.read(|c| Ok(guildhall_store::repo::events::last_seq(c)?))?;
        if let Some((at, index)) = self.trust_cache.0.lock().expect("trust cache").as_ref()
            && *at == seq
        {
            return Ok(index.clone());
        }
        let (evidence, memberships, operators) = self.read(|c| {
            Ok((
                all_evidence(c)?,
                curated_memberships(c)?,
                // The log names accounts by their ids' text.
                users::operator_ids(c)?
                    .iter()
                    .map(UserId::to_string)
                    .collect::<Vec<_>>(),
            ))
        })?;
        let index = Arc::new(TrustIndex::new(
            vouches(&evidence, &memberships),
            &seeds(&memberships, &operators),
        ));
        *self.trust_cache.0.lock().expect("trust cache") = Some((seq, index.clone()));
        Ok(index)
    }

    /// The reputation of the account with id `member`: its figures from its own evidence and
    /// its trust from the whole log, explained to `reader`.
    pub(crate) fn reputation_of(
        &self,
        member: UserId,
        reader: Reader,
    ) -> Result<Reputation, AppError> {
        let now = self.now();
        // Catches the log up, so the member's entries below are complete too.
        let index = self.trust_index()?;
        let member_text = member.to_string();
        let evidence = self.read(|c| own_evidence(c, member))?;
        let figures = figures(&member_text, &evidence, now, &self.settings.reputation);
        // Contributions the reader may see by name, at most five a skill, and the rest
        // summed up per kind.
        let skills: Vec<(SkillTrust, Vec<Contribution>, Vec<ContributionView>)> = index
            .skills_of(&member_text)
            .into_iter()
            .map(|mut s| {
                let (mut named, unnamed): (Vec<_>, Vec<_>) = std::mem::take(&mut s.contributions)
                    .into_iter()
                    .partition(|c| reader.may_name(&c.from));
                named.truncate(BECAUSE);
                (s, named, summaries(unnamed))
            })
            .collect();
        let (handles, labels) = self.read(|c| {
            let mut ids: Vec<String> = skills
                .iter()
                .flat_map(|(_, named, _)| named.iter().map(|c| c.from.clone()))
                .collect();
            ids.sort();
            ids.dedup();
            let handles = crate::accounts::handles_by_id_text(c, &ids)?;
            let mut labels = HashMap::new();
            for (s, _, _) in &skills {
                let label = skills::by_id(c, &s.skill)?
                    .map_or_else(|| s.skill.clone(), |k| k.preferred_label);
                labels.insert(s.skill.clone(), label);
            }
            Ok((handles, labels))
        })?;
        let author = |id: &str| {
            handles
                .get(id)
                .cloned()
                .unwrap_or_else(|| "a former member".into())
        };
        Ok(Reputation {
            figures,
            trust: Some(TrustView {
                overall: index.overall(&member_text),
                members: index.members(),
                skills: skills
                    .into_iter()
                    .map(|(s, named, summed)| SkillTrustView {
                        label: labels.get(&s.skill).cloned().unwrap_or_default(),
                        skill_id: s.skill,
                        value: s.value,
                        because: named
                            .into_iter()
                            .map(|c| ContributionView {
                                from: Some(author(&c.from)),
                                why: c.why,
                                entry: c.entry,
                                amount: c.amount,
                            })
                            .chain(summed)
                            .collect(),
                    })
                    .collect(),
            }),
        })
    }

    /// The reputation figures the owner of `view` shows its viewer: those named by the
    /// reputation items in the view, which holds only what the viewer may see. `None` when the
    /// member shows the viewer none.
    pub fn shown_reputation(
        &self,
        view: &ProfileView,
        viewer: Option<&Account>,
    ) -> Result<Option<Reputation>, AppError> {
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
        let reader = match viewer {
            Some(v) if v.id == owner.id => Reader::Owner,
            other => Reader::Other(other.map(|v| v.id)),
        };
        let mut reputation = self.reputation_of(owner.id, reader)?;
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
        self.reputation_of(who.id, Reader::Owner)
    }
}
