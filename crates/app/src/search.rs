//! Member search: by skill (its aliases count as the skill; related and narrower skills count
//! less), by words in headlines, summaries, work history and skill notes, and by location or
//! time zone. A member appears only for items the searcher may see: every document is checked
//! with the same `Viewer::can_see` that decides profile visibility.

use crate::AppError;
use crate::accounts::Account;
use guildhall_domain::CommunityId;
use guildhall_domain::audience::AudienceSet;
use guildhall_domain::search::words;
use guildhall_domain::skills::normalize;
use guildhall_domain::{FieldErrors, UserId, Viewer};
use guildhall_store::repo::search::{self as repo, DocRow};
use guildhall_store::repo::{communities, connections, oversight, skills};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

/// Score of a claim of the skill searched for (or one of its aliases).
const SKILL: f64 = 3.0;
/// Score of a claim of a related or narrower skill.
const NEIGHBOUR: f64 = 1.0;
/// Score of a document containing every searched word.
const TEXT: f64 = 1.0;
/// Documents the text engine returns at most, before visibility filtering.
const TEXT_LIMIT: i64 = 5000;

/// What to search for; every given criterion must hold.
#[derive(Clone, Debug, Default)]
pub struct MemberQuery {
    /// A skill, in any of its labels or aliases.
    pub skill: Option<String>,
    /// A skill by id (takes precedence over `skill`).
    pub skill_id: Option<String>,
    /// Words in headlines, summaries, work history, skill notes.
    pub text: Option<String>,
    /// Words of a place.
    pub location: Option<String>,
    /// A time zone, e.g. `Europe/Lisbon`.
    pub timezone: Option<String>,
    /// Results wanted, 1 to 100.
    pub limit: usize,
}

/// One member found.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct MemberHit {
    /// The member's handle, as in `/profiles/{handle}`.
    pub handle: String,
    /// Name as the searcher may see it.
    pub display_name: String,
    /// Headline as the searcher may see it.
    pub headline: Option<String>,
    /// Relevance; higher first.
    pub score: f64,
    /// Why they matched, in words.
    pub reasons: Vec<String>,
    /// Time zone, when the searcher may see it (for facets).
    pub timezone: Option<String>,
}

#[derive(Default)]
struct Candidate {
    score: f64,
    reasons: Vec<String>,
    criteria: u8,
}

impl crate::facades::Profiles<'_> {
    /// Members matching `q`, as `searcher` may see them.
    pub fn search_members(
        &self,
        searcher: Option<&Account>,
        q: &MemberQuery,
    ) -> Result<Vec<MemberHit>, AppError> {
        let mut e = FieldErrors::new();
        for (path, value) in [
            ("/skill", &q.skill),
            ("/q", &q.text),
            ("/location", &q.location),
            ("/timezone", &q.timezone),
        ] {
            if value.as_ref().is_some_and(|v| v.chars().count() > 100) {
                e.add(path, "must be at most 100 characters");
            }
        }
        if !(1..=100).contains(&q.limit) {
            e.add("/limit", "must be between 1 and 100");
        }
        if !e.is_empty() {
            return Err(e.into());
        }
        let text = q.text.as_deref().map(words).filter(|w| !w.is_empty());
        let place = q.location.as_deref().map(words).filter(|w| !w.is_empty());
        let tz = q.timezone.as_deref().map(words).filter(|w| !w.is_empty());
        let skill = q.skill.as_deref().map(normalize).filter(|s| !s.is_empty());
        // One bit per kind of criterion asked for; a member must meet them all.
        let all_criteria = u8::from(skill.is_some() || q.skill_id.is_some())
            | (u8::from(text.is_some()) << 1)
            | (u8::from(place.is_some() || tz.is_some()) << 2);
        if all_criteria == 0 {
            return Ok(Vec::new());
        }
        let hits = self.read(|c| {
            // Search documents name their owners by their ids' text.
            let connected: HashSet<String> = match searcher {
                Some(s) => connections::accepted_of(c, s.id)?
                    .iter()
                    .map(UserId::to_string)
                    .collect(),
                None => HashSet::new(),
            };
            // Fellow members of the searcher's communities, with the communities shared.
            let co_members: HashMap<String, BTreeSet<CommunityId>> = match searcher {
                Some(s) => communities::co_members(c, s.id)?.into_iter().fold(
                    HashMap::new(),
                    |mut map, (user, community)| {
                        if let Ok(id) = community.parse() {
                            map.entry(user.to_string())
                                .or_insert_with(BTreeSet::new)
                                .insert(id);
                        }
                        map
                    },
                ),
                None => HashMap::new(),
            };
            let searcher_id = searcher.map(|s| s.id.to_string());
            let viewer_of = |owner: &str| {
                let mut viewer = match searcher {
                    Some(_) if searcher_id.as_deref() == Some(owner) => Viewer::owner(),
                    Some(_) if connected.contains(owner) => Viewer::connection(),
                    Some(_) => Viewer::member(),
                    None => Viewer::public(),
                };
                viewer.communities = co_members.get(owner).cloned().unwrap_or_default();
                viewer
            };
            // Members who blocked the searcher, or whom the searcher blocked, are not found.
            let hidden: HashSet<String> = match searcher {
                Some(s) => guildhall_store::repo::conversations::hidden_from(c, s.id)?
                    .iter()
                    .map(UserId::to_string)
                    .collect(),
                None => HashSet::new(),
            };
            let visible = |d: &DocRow| {
                !hidden.contains(&d.owner_id)
                    && viewer_of(&d.owner_id).can_see(&AudienceSet::from_storage(&d.audiences))
            };
            let mut found: BTreeMap<String, Candidate> = BTreeMap::new();
            let credit = |owner: &str,
                          score: f64,
                          reason: String,
                          criterion: u8,
                          found: &mut BTreeMap<String, Candidate>| {
                let cand = found.entry(owner.to_string()).or_default();
                cand.score += score;
                if !cand.reasons.contains(&reason) {
                    cand.reasons.push(reason);
                }
                cand.criteria |= criterion;
            };
            let target = match (&q.skill_id, &skill) {
                (Some(id), _) => skills::by_id(c, id)?.filter(|s| s.merged_into.is_none()),
                (None, Some(norm)) => crate::skills::readable(c, norm, searcher.map(|s| s.id))?,
                (None, None) => None,
            };
            if let Some(target) = target {
                let mut ids = skills::neighbours(c, &target.id)?;
                ids.push(target.id.clone());
                for d in repo::with_skills(c, &ids)?
                    .into_iter()
                    .filter(|d| visible(d))
                {
                    let exact = d.skill_id.as_deref() == Some(target.id.as_str());
                    let (score, why) = if exact {
                        (SKILL, format!("shows the skill {}", target.preferred_label))
                    } else {
                        (
                            NEIGHBOUR,
                            format!("shows a skill related to {}", target.preferred_label),
                        )
                    };
                    credit(&d.owner_id, score, why, 1, &mut found);
                }
            }
            if let Some(w) = &text {
                let matcher = repo::matcher(c);
                for d in matcher
                    .matching(c, w, TEXT_LIMIT)?
                    .into_iter()
                    .filter(|d| visible(d))
                {
                    credit(
                        &d.owner_id,
                        TEXT,
                        format!(
                            "mentions \"{}\" in their {}",
                            w.join(" "),
                            d.kind.replace('_', " ")
                        ),
                        2,
                        &mut found,
                    );
                }
            }
            if place.is_some() || tz.is_some() {
                for d in repo::of_kind(c, "location")?
                    .into_iter()
                    .filter(|d| visible(d))
                {
                    let body: Vec<&str> = d.body.split(' ').collect();
                    let has = |ws: &Option<Vec<String>>| {
                        ws.as_ref()
                            .is_none_or(|ws| ws.iter().all(|w| body.contains(&w.as_str())))
                    };
                    if has(&place) && has(&tz) {
                        credit(
                            &d.owner_id,
                            0.0,
                            "works from the place or time zone asked for".into(),
                            4,
                            &mut found,
                        );
                    }
                }
            }
            // Suspended accounts are hidden from search until an operator lifts the suspension.
            let suspended: HashSet<String> = oversight::suspended_ids(c)?
                .iter()
                .map(UserId::to_string)
                .collect();
            let hits: Vec<(String, Candidate)> = found
                .into_iter()
                .filter(|(id, cand)| cand.criteria == all_criteria && !suspended.contains(id))
                .collect();
            let owners: Vec<String> = hits.iter().map(|(id, _)| id.clone()).collect();
            let handles = crate::accounts::handles_by_id_text(c, &owners)?;
            let mut hits: Vec<(String, Candidate)> = hits
                .into_iter()
                .map(|(id, cand)| (handles.get(&id).cloned().unwrap_or_default(), cand))
                .collect();
            // Best first; equal scores by handle, so every backend orders alike.
            hits.sort_by(|a, b| b.1.score.total_cmp(&a.1.score).then_with(|| a.0.cmp(&b.0)));
            hits.truncate(q.limit);
            Ok(hits)
        })?;
        hits.into_iter()
            .map(|(handle, cand)| {
                let view = self.view_profile(&handle, searcher)?;
                let timezone = view.items.iter().find_map(|i| match &i.data {
                    guildhall_domain::profile::ItemData::Location { timezone, .. } => {
                        Some(timezone.clone())
                    }
                    _ => None,
                });
                Ok(MemberHit {
                    display_name: view.display_name().to_string(),
                    headline: view.headline().map(str::to_string),
                    handle,
                    score: cand.score,
                    reasons: cand.reasons,
                    timezone,
                })
            })
            .collect()
    }
}
