//! The skills that count for a skill asked beyond the taxonomy's relations, learned from what
//! goes together (`guildhall_domain::matching::together`): claimed together by members of this
//! instance, asked for together by its jobs, listed together by ESCO's ICT occupations. Each
//! is named as such in the explanation.

use super::load::Loaded;
use crate::AppError;
use guildhall_domain::job::JobSkill;
use guildhall_domain::matching::together::{Counts, Together};
use guildhall_domain::skills::normalize;
use guildhall_store::DbConnection;
use guildhall_store::repo::{jobs, skills};
use std::collections::{BTreeSet, HashMap};

/// Learned skills kept per source and skill asked.
const PER_SOURCE: usize = 5;
/// What a learned skill is worth at the strongest tie (npmi 1); less as the tie is weaker.
const WORTH: f64 = 0.5;

/// Members claim it together with the skill asked.
pub(crate) const CO_CLAIMED: &str = "co-claimed";
/// Jobs ask for it together with the skill asked.
pub(crate) const CO_REQUIRED: &str = "co-required";
/// ESCO's occupations list it together with the skill asked.
pub(crate) const CO_LISTED: &str = "co-listed";

/// A skill learned to count for one asked.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Learned {
    /// The skill's id.
    pub skill_id: String,
    /// Its worth for the skill asked, 0 to [`WORTH`].
    pub factor: f64,
    /// Where it was learned: [`CO_CLAIMED`], [`CO_REQUIRED`] or [`CO_LISTED`].
    pub relation: &'static str,
}

impl Loaded {
    /// The skills learned to go with `skill_id`, from each source.
    pub fn learned(&self, skill_id: &str) -> Vec<Learned> {
        let Some(x) = self.skill_no(skill_id) else {
            return Vec::new();
        };
        let sources: [(Vec<Together>, &'static str); 3] = [
            (self.index.claimed_with(x, PER_SOURCE), CO_CLAIMED),
            (self.jobs.found_with(x, PER_SOURCE), CO_REQUIRED),
            (self.occupations.found_with(x, PER_SOURCE), CO_LISTED),
        ];
        sources
            .into_iter()
            .flat_map(|(found, relation)| {
                found.into_iter().map(move |t| Learned {
                    skill_id: self.skill_id(t.skill).to_string(),
                    factor: WORTH * t.npmi,
                    relation,
                })
            })
            .collect()
    }

    /// Counts the skills of every job again.
    pub(super) fn count_jobs(&mut self, c: &mut DbConnection) -> Result<(), AppError> {
        let lists = jobs::all_skill_lists(c)?;
        let baskets: Vec<Vec<_>> = lists
            .iter()
            .map(|json| {
                let asked: Vec<JobSkill> = serde_json::from_str(json).unwrap_or_default();
                asked
                    .iter()
                    .filter_map(|s| s.skill_id.as_deref())
                    .map(|id| self.skill(id))
                    .collect()
            })
            .collect();
        self.jobs = Counts::of(baskets);
        Ok(())
    }

    /// Counts the skills of ESCO's ICT occupations, as far as the instance's taxonomy holds
    /// them under their preferred labels.
    pub(super) fn count_occupations(&mut self, c: &mut DbConnection) -> Result<(), AppError> {
        let occupations = crate::taxonomy::ict_occupations()?;
        let norms: BTreeSet<String> = occupations
            .iter()
            .flat_map(|o| &o.skills)
            .map(|label| normalize(label))
            .collect();
        let ids: HashMap<String, String> =
            skills::preferred_by_norms(c, &norms.into_iter().collect::<Vec<_>>())?
                .into_iter()
                .collect();
        let baskets: Vec<Vec<_>> = occupations
            .iter()
            .map(|o| {
                o.skills
                    .iter()
                    .filter_map(|label| ids.get(&normalize(label)))
                    .map(|id| self.skill(id))
                    .collect()
            })
            .collect();
        self.occupations = Counts::of(baskets);
        Ok(())
    }
}
