//! Matching: the members who fit a job, ranked, each result explaining itself. The index holds
//! every member's skill claims with their audiences; a query is a job's weighted skills (each
//! expanded to its aliases, narrower, broader and related skills, worth less), filters and the
//! client's place in the network. A claim counts only if the client may see it, decided by the
//! one visibility function ([`Viewer::can_see`]), so no member surfaces, and no explanation
//! speaks, through an item shown to others.
//!
//! The score (weights in [`Weights`], configurable):
//!
//! ```text
//! score = skills · S + evidence · E + network · N
//! S = Σ_t (w_t / Σw) · max over visible claims c matching t of  factor(c, t) · fit(c, t)
//! fit = 1 when the claim's level reaches the level asked, else level / level asked
//! E = the mean of the evidence figures the member shows this client (each 0 to 1; 0 when
//!     they show none), N = 1 for a connection,
//!     0.5 for a second-degree contact, 0.25 for a shared community, else 0
//! ```
//!
//! [`Index::top_k`] finds the exact top k with WAND pruning over evidence tiers: members found
//! only in lists whose bounds together cannot reach the k-th score are skipped unscored.
//! [`brute_force`] scores everyone; tests show both agree, ties broken by member number.

mod brute;
mod index;
pub mod pairs;
pub mod together;

pub use brute::brute_force;
pub use index::Index;

use crate::audience::AudienceSet;
use crate::ids::CommunityId;
use crate::visibility::Viewer;
use std::collections::{BTreeSet, HashMap, HashSet};

/// A member's number in the index (the caller maps accounts to numbers).
pub type MemberNo = u32;
/// A skill's number in the index (the caller maps skills to numbers).
pub type SkillNo = u32;

/// One skill a member claims, with who may see the claim.
#[derive(Clone, Debug, PartialEq)]
pub struct Claim {
    /// The skill.
    pub skill: SkillNo,
    /// Level, 1 to 5.
    pub level: u8,
    /// Who may see the claim.
    pub audiences: AudienceSet,
}

/// A member's hourly rate as shown to some audiences.
#[derive(Clone, Debug, PartialEq)]
pub struct Rate {
    /// Lowest hourly rate, minor units.
    pub min_minor: i64,
    /// ISO 4217 code.
    pub currency: String,
    /// Who may see it.
    pub audiences: AudienceSet,
}

/// What the index knows of one member.
#[derive(Clone, Debug, PartialEq)]
pub struct MemberDoc {
    /// The member's number.
    pub member: MemberNo,
    /// Their skill claims.
    pub claims: Vec<Claim>,
    /// Their rate, if they show one.
    pub rate: Option<Rate>,
    /// Their evidence figures (each 0 to 1: on time, reviews, responsiveness, …), each with
    /// who may see the profile item that shows it.
    pub evidence: Vec<(f64, AudienceSet)>,
    /// The communities they belong to.
    pub communities: Vec<CommunityId>,
    /// Suspended members never appear.
    pub suspended: bool,
    /// Their time zone's UTC offset in minutes, and who may see the item it comes from.
    pub utc_offset: Option<(i32, AudienceSet)>,
}

/// One skill a job asks for.
#[derive(Clone, Debug, PartialEq)]
pub struct Term {
    /// How much it matters, 1 to 5.
    pub weight: u8,
    /// The level asked, 1 to 5.
    pub min_level: u8,
    /// The skills that count for it: the skill itself with factor 1, and its neighbours with
    /// smaller factors and the relation that brought them.
    pub skills: Vec<Expansion>,
}

/// A skill that counts for a term, and how much.
#[derive(Clone, Debug, PartialEq)]
pub struct Expansion {
    /// The skill.
    pub skill: SkillNo,
    /// Its worth for the term, 0 to 1 (1 for the skill asked and its aliases).
    pub factor: f64,
    /// Why it counts: `exact`, `narrower`, `broader`, `related`, `co-claimed`, …
    pub relation: &'static str,
}

/// A job as a query.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Query {
    /// The skills asked for.
    pub terms: Vec<Term>,
    /// Only members of this community.
    pub community: Option<CommunityId>,
    /// The most the client pays per hour, in minor units of `currency`.
    pub budget: Option<(i64, String)>,
    /// The UTC offsets, in minutes, work may happen in (both ends included); members shown to
    /// be outside are left out, members whose zone the client cannot see are kept.
    pub tz_window: Option<(i32, i32)>,
}

/// The client's place in the network, for visibility, filters and proximity.
#[derive(Clone, Debug, Default)]
pub struct Client {
    /// The client's own member number, if they are a member (never matched to themselves).
    pub member: Option<MemberNo>,
    /// Members connected to the client.
    pub connections: HashSet<MemberNo>,
    /// Second-degree contacts, with a connection in between.
    pub second_degree: HashMap<MemberNo, MemberNo>,
    /// Members who hold or held a contract with the client (the client sees what they show
    /// to clients).
    pub worked_with: HashSet<MemberNo>,
    /// Members blocked by, or blocking, the client.
    pub blocked: HashSet<MemberNo>,
    /// The client's communities.
    pub communities: BTreeSet<CommunityId>,
    /// Ranks members by everything they claim, whoever may see it. Only for telling members
    /// themselves of work that fits them: what such a ranking found is never shown to anyone
    /// but the member it is about.
    pub sees_all: bool,
}

/// The weights of the score's three parts.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Weights {
    /// Of skill coverage and level fit.
    pub skills: f64,
    /// Of the evidence figure.
    pub evidence: f64,
    /// Of closeness in the network.
    pub network: f64,
}

impl Default for Weights {
    fn default() -> Self {
        Weights {
            skills: 0.7,
            evidence: 0.2,
            network: 0.1,
        }
    }
}

/// How a member stands to the client in the network.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Proximity {
    /// A connection.
    Connection,
    /// A connection of a connection, via that member.
    SecondDegree(MemberNo),
    /// They share a community.
    Community,
    /// None of these.
    Stranger,
}

impl Proximity {
    fn value(&self) -> f64 {
        match self {
            Proximity::Connection => 1.0,
            Proximity::SecondDegree(_) => 0.5,
            Proximity::Community => 0.25,
            Proximity::Stranger => 0.0,
        }
    }
}

/// How one term was met.
#[derive(Clone, Debug, PartialEq)]
pub struct TermMatch {
    /// The term's position in the query.
    pub term: usize,
    /// The member's skill that met it.
    pub skill: SkillNo,
    /// Its relation to the skill asked.
    pub relation: &'static str,
    /// The member's level in it.
    pub level: u8,
    /// The level asked.
    pub min_level: u8,
    /// What it added to the skills part, before the weight of that part.
    pub points: f64,
}

/// One ranked member and why.
#[derive(Clone, Debug, PartialEq)]
pub struct Hit {
    /// The member.
    pub member: MemberNo,
    /// The score.
    pub score: f64,
    /// Terms met, in query order.
    pub matched: Vec<TermMatch>,
    /// Terms not met by anything the client may see.
    pub missing: Vec<usize>,
    /// The mean of the evidence figures counted, if the client may see any.
    pub evidence: Option<f64>,
    /// Closeness in the network.
    pub proximity: Proximity,
    /// The member's lowest rate, if the client may see it, in the budget's currency.
    pub rate: Option<i64>,
    /// The member's UTC offset in minutes, if the client may see it.
    pub utc_offset: Option<i32>,
}

/// What a hit holds besides its skills: each only what the client may see.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Extras {
    pub evidence: Option<f64>,
    pub proximity: Proximity,
    pub rate: Option<i64>,
    pub utc_offset: Option<i32>,
}

/// What a client may see of one member: the one visibility function decides.
pub(crate) fn viewer_of(client: &Client, member: MemberNo, communities: &[CommunityId]) -> Viewer {
    Viewer {
        owner: client.sees_all,
        member: true,
        connection: client.connections.contains(&member),
        client: client.worked_with.contains(&member),
        communities: communities
            .iter()
            .filter(|c| client.communities.contains(c))
            .copied()
            .collect(),
    }
}

/// The mean of the figures `viewer` may see, in their order; `None` when they see none.
pub(crate) fn evidence_seen<'a>(
    figures: impl Iterator<Item = (f64, &'a AudienceSet)>,
    viewer: &Viewer,
) -> Option<f64> {
    let (sum, n) = figures
        .filter(|(_, a)| viewer.can_see(a))
        .fold((0.0, 0u32), |(sum, n), (v, _)| (sum + v, n + 1));
    (n > 0).then(|| sum / f64::from(n))
}

/// Whether a member may appear at all to this client for this query.
pub(crate) fn admitted(
    client: &Client,
    query: &Query,
    member: MemberNo,
    suspended: bool,
    communities: &[CommunityId],
) -> bool {
    !suspended
        && client.member != Some(member)
        && !client.blocked.contains(&member)
        && query.community.is_none_or(|c| communities.contains(&c))
}

/// A member's standing in the network.
pub(crate) fn proximity_of(client: &Client, member: MemberNo, viewer: &Viewer) -> Proximity {
    if client.connections.contains(&member) {
        Proximity::Connection
    } else if let Some(via) = client.second_degree.get(&member) {
        Proximity::SecondDegree(*via)
    } else if !viewer.communities.is_empty() {
        Proximity::Community
    } else {
        Proximity::Stranger
    }
}

/// The level fit of a claim at `level` for a term asking `min_level`.
pub(crate) fn fit(level: u8, min_level: u8) -> f64 {
    if level >= min_level {
        1.0
    } else {
        f64::from(level) / f64::from(min_level.max(1))
    }
}

/// A rate as the checks read it: lowest rate in minor units, currency, audiences.
pub(crate) type RateSeen<'a> = (i64, &'a str, &'a AudienceSet);

/// The rate a client may see, if it is in the budget's currency; `Err` when it is over budget.
pub(crate) fn rate_check(
    query: &Query,
    rate: Option<RateSeen<'_>>,
    viewer: &Viewer,
) -> Result<Option<i64>, ()> {
    let Some((min_minor, currency, _)) = rate.filter(|r| viewer.can_see(r.2)) else {
        return Ok(None);
    };
    match &query.budget {
        Some((max, asked)) if asked == currency => {
            if min_minor > *max {
                Err(())
            } else {
                Ok(Some(min_minor))
            }
        }
        _ => Ok(None),
    }
}

/// A term's best match: (skill, relation, level, value).
pub(crate) type Best = Option<(SkillNo, &'static str, u8, f64)>;

/// The better of a term's best match so far and a new one: higher value, then the smaller
/// skill number, the higher level, the relation first in the alphabet, so both searches
/// explain a tie the same way whatever order they meet the claims in.
pub(crate) fn better(so_far: Best, new: (SkillNo, &'static str, u8, f64)) -> Best {
    let Some(old) = so_far else {
        return Some(new);
    };
    let order = new
        .3
        .total_cmp(&old.3)
        .then(old.0.cmp(&new.0))
        .then(new.2.cmp(&old.2))
        .then(old.1.cmp(new.1));
    if order == std::cmp::Ordering::Greater {
        Some(new)
    } else {
        Some(old)
    }
}

/// The offset a client may see, if the query's window allows it; `Err` when it is outside.
pub(crate) fn zone_check(
    query: &Query,
    zone: Option<(i32, &AudienceSet)>,
    viewer: &Viewer,
) -> Result<Option<i32>, ()> {
    let Some((offset, _)) = zone.filter(|(_, a)| viewer.can_see(a)) else {
        return Ok(None);
    };
    match query.tz_window {
        Some((from, to)) if !(from..=to).contains(&offset) => Err(()),
        _ => Ok(Some(offset)),
    }
}

/// Puts together a hit from the best visible match of each term; `None` when nothing the
/// client may see meets any term. Both the pruned search and brute force finish here, so they
/// compute each score the same way.
pub(crate) fn finish(
    query: &Query,
    weights: &Weights,
    member: MemberNo,
    best: &[Best],
    extras: Extras,
) -> Option<Hit> {
    let score = score_of(query, weights, best, &extras)?;
    let total: f64 = query.terms.iter().map(|t| f64::from(t.weight)).sum();
    let (mut matched, mut missing) = (Vec::new(), Vec::new());
    for (i, (term, found)) in query.terms.iter().zip(best).enumerate() {
        match *found {
            Some((skill, relation, level, value)) => matched.push(TermMatch {
                term: i,
                skill,
                relation,
                level,
                min_level: term.min_level,
                points: f64::from(term.weight) / total * value,
            }),
            None => missing.push(i),
        }
    }
    Some(Hit {
        member,
        score,
        matched,
        missing,
        evidence: extras.evidence,
        proximity: extras.proximity,
        rate: extras.rate,
        utc_offset: extras.utc_offset,
    })
}

/// A member's score from the best match of each term and the extras; `None` when no term is
/// met. The index asks it first and builds the hit only for a member who enters the top k.
pub(crate) fn score_of(
    query: &Query,
    weights: &Weights,
    best: &[Best],
    extras: &Extras,
) -> Option<f64> {
    let total: f64 = query.terms.iter().map(|t| f64::from(t.weight)).sum();
    let mut skills = 0.0;
    let mut met = false;
    for (term, found) in query.terms.iter().zip(best) {
        if let Some((_, _, _, value)) = found {
            skills += f64::from(term.weight) / total * value;
            met = true;
        }
    }
    met.then(|| {
        weights.skills * skills
            + weights.evidence * extras.evidence.unwrap_or(0.0)
            + weights.network * extras.proximity.value()
    })
}

/// Orders hits best first, ties by member number.
pub(crate) fn rank(a: &Hit, b: &Hit) -> std::cmp::Ordering {
    b.score.total_cmp(&a.score).then(a.member.cmp(&b.member))
}

#[cfg(test)]
mod tests;
