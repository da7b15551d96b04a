//! "Work for you": the open jobs a member may see, ranked by how their skills and free hours
//! meet each, with what matches and what is missing. The member sees all of their own items,
//! so each job is one query over one member, scored by the same domain functions as Find
//! talent.

use super::load::{Numbering, utc_offset_of};
use super::talent::{availability_words, free_hours_in, terms, words};
use super::wanted::Wanted;
use crate::AppError;
use crate::accounts::Account;
use crate::profiles::load_items;
use crate::work::jobs::budget_words;
use guildhall_domain::audience::{Audience, AudienceSet};
use guildhall_domain::matching::{
    Claim, Client, MemberDoc, Query, Rate, SkillNo, Weights, brute_force,
};
use guildhall_domain::profile::ItemData;
use guildhall_domain::{CommunityId, UserId};
use guildhall_store::DbConnection;
use guildhall_store::repo::{communities, connections, jobs, users};
use serde::Serialize;
use std::collections::{BTreeSet, HashMap, HashSet};

/// Jobs listed at most.
pub const MAX_JOBS: usize = 50;

/// An open job that fits the member.
#[derive(Clone, Debug, PartialEq, Serialize, utoipa::ToSchema)]
pub struct WorkFit {
    /// The job's id, as in `/jobs/{id}`.
    pub job: String,
    /// Its title.
    pub title: String,
    /// Its budget, written out.
    pub budget: String,
    /// How well it fits, 0 to 1; higher first.
    pub score: f64,
    /// Each skill it asks that the member shows, and how.
    pub matched: Vec<String>,
    /// The skills it asks that the member does not show.
    pub missing: Vec<String>,
    /// The member's free hours in its dates, against the hours a week it asks.
    pub availability: Option<String>,
    /// How its client stands to the member: "posted by a connection of yours".
    pub network: Option<String>,
}

/// The member's place in the network, to weigh each job by how its client stands to them.
struct Network {
    connections: HashSet<UserId>,
    /// Connections of connections, each with the connection between.
    second_degree: HashMap<UserId, UserId>,
    communities: BTreeSet<CommunityId>,
}

impl Network {
    fn of(c: &mut DbConnection, who: UserId) -> Result<Network, AppError> {
        let connections: HashSet<UserId> = connections::accepted_of(c, who)?.into_iter().collect();
        let mut second_degree = HashMap::new();
        let mut friends: Vec<UserId> = connections.iter().copied().collect();
        friends.sort();
        for friend in friends {
            for theirs in connections::accepted_of(c, friend)? {
                second_degree.entry(theirs).or_insert(friend);
            }
        }
        Ok(Network {
            connections,
            second_degree,
            communities: communities_of(c, who)?,
        })
    }

    /// A job's client as the domain's `Client` of the member's own document (number 0): they
    /// see all of it, and stand to it as they stand to the member. Also the closeness in
    /// words.
    fn client_of_job(
        &self,
        c: &mut DbConnection,
        client: UserId,
    ) -> Result<(Client, Option<String>), AppError> {
        let mut seen = Client {
            sees_all: true,
            communities: communities_of(c, client)?,
            ..Client::default()
        };
        let words = if self.connections.contains(&client) {
            seen.connections.insert(0);
            Some("posted by a connection of yours".to_string())
        } else if let Some(via) = self.second_degree.get(&client) {
            seen.second_degree.insert(0, 0);
            users::by_id(c, *via)?.map(|u| format!("posted by a connection of @{}", u.handle))
        } else if !seen.communities.is_disjoint(&self.communities) {
            Some("posted by a member of a community of yours".to_string())
        } else {
            None
        };
        Ok((seen, words))
    }
}

fn communities_of(c: &mut DbConnection, who: UserId) -> Result<BTreeSet<CommunityId>, AppError> {
    Ok(communities::of_member(c, who)?
        .into_iter()
        .filter_map(|(id, _)| id.parse().ok())
        .collect())
}

impl crate::facades::Matching<'_> {
    /// The open jobs `who` may see that fit their skills best, each with why and what is
    /// missing; a job whose client is close to them in the network counts for more. Their own
    /// jobs are left out, and so are hourly jobs whose budget is below the rate they ask.
    pub fn work_for_you(&self, who: &Account, limit: usize) -> Result<Vec<WorkFit>, AppError> {
        if !(1..=MAX_JOBS).contains(&limit) {
            return Err(AppError::field(
                "/limit",
                format!("must be from 1 to {MAX_JOBS}"),
            ));
        }
        self.with_index(|loaded| {
            self.read(|c| {
                let items = load_items(c, who.id)?;
                let network = Network::of(c, who.id)?;
                let mut numbers = Numbering::default();
                // The member sees every item of their own.
                let mine = AudienceSet::of([Audience::Public]);
                let mut doc = MemberDoc {
                    member: 0,
                    claims: Vec::new(),
                    rate: None,
                    evidence: Vec::new(),
                    communities: network.communities.iter().copied().collect(),
                    suspended: false,
                    // The member sees their own zone, whoever else may.
                    utc_offset: utc_offset_of(&items, jiff::Timestamp::now())
                        .map(|(offset, _)| (offset, mine.clone())),
                };
                for item in &items {
                    match &item.data {
                        ItemData::Skill {
                            skill_id: Some(id),
                            level,
                            ..
                        } => doc.claims.push(Claim {
                            skill: numbers.number(id),
                            level: *level,
                            audiences: mine.clone(),
                        }),
                        ItemData::Rate {
                            min_minor,
                            currency,
                            ..
                        } if doc.rate.is_none() => {
                            doc.rate = Some(Rate {
                                min_minor: *min_minor,
                                currency: currency.clone(),
                                audiences: mine.clone(),
                            })
                        }
                        _ => {}
                    }
                }
                let member_of: Vec<String> = communities::of_member(c, who.id)?
                    .into_iter()
                    .map(|(k, _)| k)
                    .collect();
                let mut fits = Vec::new();
                for job in jobs::open(c, &member_of, 200)? {
                    if job.client_id == who.id {
                        continue;
                    }
                    let wanted = Wanted::of_job(&job);
                    let (terms, labels) = terms(
                        c,
                        &mut |id| Some(numbers.number(id)),
                        &|id| loaded.learned(id),
                        &wanted.skills,
                    )?;
                    let (client, closeness) = network.client_of_job(c, job.client_id)?;
                    let query = Query {
                        terms,
                        community: None,
                        budget: wanted.budget(),
                        tz_window: wanted.tz_window,
                    };
                    let Some(hit) = brute_force(
                        std::slice::from_ref(&doc),
                        &query,
                        &client,
                        &Weights::default(),
                        1,
                    )
                    .pop() else {
                        continue;
                    };
                    let skill_id = |n: SkillNo| numbers.id(n).to_string();
                    let why = words(c, &skill_id, None, &hit, &labels, job.currency, false)?;
                    let free = free_hours_in(c, who.id, &items, wanted.dates.as_ref())?;
                    fits.push(WorkFit {
                        budget: budget_words(&job),
                        job: job.id.clone(),
                        title: job.title.clone(),
                        score: (hit.score * 1000.0).round() / 1000.0,
                        matched: why.matched,
                        missing: why.missing,
                        availability: free.map(|f| availability_words(f, job.hours_per_week)),
                        network: closeness,
                    });
                }
                // Best first; among equals, the newest job (ids are time-ordered).
                fits.sort_by(|a, b| b.score.total_cmp(&a.score).then(b.job.cmp(&a.job)));
                fits.truncate(limit);
                Ok(fits)
            })
        })
    }
}
