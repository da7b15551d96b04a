//! "Hire a pair": when no member the client may see meets every skill of their job at the
//! level asked, a senior member and a learner who do between them, each explained as in Find
//! talent. The client offers the work to the pair from the senior's proposal.

use super::talent::{Talent, check_limit, client_job, query_of, talent_of};
use super::wanted::Wanted;
use crate::AppError;
use crate::accounts::Account;
use guildhall_domain::matching::Weights;
use guildhall_domain::matching::pairs::pairs;
use serde::Serialize;

/// Members ranked to form pairs from: enough to find complements beyond the top few.
const CANDIDATES: usize = 50;

/// A senior member and a learner who together meet every skill a job asks.
#[derive(Clone, Debug, PartialEq, Serialize, utoipa::ToSchema)]
pub struct TalentPair {
    /// The member who meets more of the job and mentors the learner, explained.
    pub senior: Talent,
    /// The member who meets the rest, explained.
    pub learner: Talent,
    /// The mean of their two scores, 0 to 1.
    pub score: f64,
    /// The job's skills only the learner meets at the level asked.
    pub learner_brings: Vec<String>,
    /// The job's skills the senior meets and the learner does not yet: what they learn.
    pub learns: Vec<String>,
}

impl crate::facades::Matching<'_> {
    /// Pairs for `job_id`, for its client, when no single member they may see meets every
    /// skill it asks at the level asked (none otherwise); filtered and explained as
    /// [`Self::find_talent`] is, best first, each member in one pair at most.
    pub fn find_pairs(
        &self,
        who: &Account,
        job_id: &str,
        limit: usize,
    ) -> Result<Vec<TalentPair>, AppError> {
        check_limit(limit)?;
        self.with_index(|loaded| {
            self.read(|c| {
                let (job, client) = client_job(c, loaded, who, job_id)?;
                let wanted = Wanted::of_job(&job);
                let (query, labels) = query_of(c, loaded, &wanted)?;
                let hits = loaded
                    .index
                    .top_k(&query, &client, &Weights::default(), CANDIDATES);
                let cx = self.context();
                let mut out = Vec::new();
                for pair in pairs(&hits, query.terms.len(), limit) {
                    let hit = |n| hits.iter().find(|h| h.member == n);
                    let (Some(s), Some(l)) = (hit(pair.senior), hit(pair.learner)) else {
                        continue;
                    };
                    let senior = talent_of(c, &cx, loaded, who.id, s, &labels, &wanted)?;
                    let learner = talent_of(c, &cx, loaded, who.id, l, &labels, &wanted)?;
                    let (Some(senior), Some(learner)) = (senior, learner) else {
                        continue;
                    };
                    let named =
                        |terms: &[usize]| terms.iter().map(|t| labels[*t].clone()).collect();
                    out.push(TalentPair {
                        senior,
                        learner,
                        score: (pair.score * 1000.0).round() / 1000.0,
                        learner_brings: named(&pair.learner_brings),
                        learns: named(&pair.learns),
                    });
                }
                Ok(out)
            })
        })
    }
}
