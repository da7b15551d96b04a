//! The vouching graph that trust flows over, built from the evidence log and the memberships
//! of curated communities, and each member's trust per skill with the edges it came along.
//!
//! Edges, from who vouches to whom, with their weight (one finished contract is the unit):
//! - a completed contract: client → member, 4, times the client's revealed mark / 4; about
//!   the skills the job asked for;
//! - a mentoring session both partners confirmed: learner → mentor, 1, about the session's
//!   skills;
//! - an accepted skill suggestion: 0.5, about that skill;
//! - an endorsement resting on shared evidence: 0.5 × the endorser's trust in the skill when
//!   they endorsed (in multiples of the average member's, at most 1), about that skill;
//! - admission to a community that admits by application or invitation: each owner or
//!   curator → each member, 1.
//!
//! The pre-trusted seeds are the operators and the owners and curators of communities the
//! operators marked as vetted ([`seeds`]).
//!
//! Global trust is computed over all edges ([`crate::trust`]) with a floor of one contract's
//! weight, so an account that only endorsed passes on little. A member's trust in a skill is
//! the part of their trust that arrived along edges about that skill.

use crate::events::Event;
use crate::reputation::Evidence;
use crate::trust::{Edge, Graph, Params, carried, trust};
use serde::Serialize;
use std::collections::HashMap;

/// Weight of a completed contract with a mark of 4.
pub const CONTRACT: f32 = 4.0;
/// Weight of a mentoring session.
pub const MENTORING: f32 = 1.0;
/// Weight of an endorsement or an accepted skill suggestion.
pub const ENDORSEMENT: f32 = 0.5;
/// Weight of a curator's admission of a member.
pub const ADMISSION: f32 = 1.0;
/// Below this total weight a member passes on only part of their trust.
pub const FLOOR: f32 = CONTRACT;

/// What kind of evidence an edge comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum VouchKind {
    /// A completed contract, from the client.
    Contract,
    /// A mentoring session, from the learner.
    Mentoring,
    /// An endorsement of a skill.
    Endorsement,
    /// A skill suggestion the member accepted.
    Suggestion,
    /// Admission to a curated community, from its staff.
    Admission,
}

impl VouchKind {
    /// `count` edges of this kind from `people` distinct accounts, in words that name nobody:
    /// what a viewer who may not see the people behind a member's trust reads.
    pub fn summary(self, count: usize, people: usize) -> String {
        let s = |n: usize| if n == 1 { "" } else { "s" };
        match self {
            VouchKind::Contract => format!(
                "{count} paid contract{} from {people} client{}",
                s(count),
                s(people)
            ),
            VouchKind::Mentoring => format!(
                "{count} mentoring session{} with {people} learner{}",
                s(count),
                s(people)
            ),
            VouchKind::Endorsement => format!(
                "{count} endorsement{} from {people} member{}",
                s(count),
                s(people)
            ),
            VouchKind::Suggestion => format!(
                "{count} accepted suggestion{} from {people} member{}",
                s(count),
                s(people)
            ),
            VouchKind::Admission => format!(
                "admission by {people} curator{} of curated communities",
                s(people)
            ),
        }
    }
}

/// One edge of the graph, with what it stands for.
#[derive(Clone, Debug, PartialEq)]
pub struct Vouch {
    /// Account id of who vouches.
    pub from: String,
    /// Account id of whom.
    pub to: String,
    /// Its weight.
    pub weight: f32,
    /// Taxonomy skills or tags it is about (none: trust in general).
    pub skills: Vec<String>,
    /// The evidence entry it comes from (none for an admission).
    pub entry: Option<u64>,
    /// What kind of evidence it is.
    pub kind: VouchKind,
    /// What it is, in words.
    pub why: String,
}

/// A membership as trust reads it.
#[derive(Clone, Debug)]
pub struct Membership {
    /// The community's name.
    pub community: String,
    /// Account id.
    pub member: String,
    /// An owner or curator.
    pub staff: bool,
    /// The operators marked the community as vetted.
    pub vetted: bool,
}

/// The pre-trusted seeds: the operators, and the owners and curators of communities the
/// operators vetted. Creating a curated community of one's own seeds nothing, so a ring
/// cannot start trust from itself.
pub fn seeds(memberships: &[Membership], operators: &[String]) -> Vec<String> {
    let mut out: Vec<String> = operators.to_vec();
    out.extend(
        memberships
            .iter()
            .filter(|m| m.staff && m.vetted)
            .map(|m| m.member.clone()),
    );
    out.sort();
    out.dedup();
    out
}

/// The edges that `evidence` (with payloads) and `memberships` make.
pub fn vouches(evidence: &[Evidence], memberships: &[Membership]) -> Vec<Vouch> {
    let mut out = Vec::new();
    // Clients' marks by contract, to weigh the contract's edge.
    let marks: HashMap<&str, f64> = evidence
        .iter()
        .filter_map(|e| match &e.event {
            Event::ReviewRevealed(r) if r.side == "client" => {
                Some((r.contract.as_str(), f64::from(r.overall)))
            }
            _ => None,
        })
        .collect();
    out.extend(evidence.iter().filter_map(|e| vouch_of(e, &marks)));
    let mut by_community: HashMap<&str, (Vec<&str>, Vec<&str>)> = HashMap::new();
    for m in memberships {
        let (staff, members) = by_community.entry(&m.community).or_default();
        if m.staff { staff } else { members }.push(&m.member);
    }
    for (community, (staff, members)) in by_community {
        for s in &staff {
            out.extend(members.iter().map(|m| Vouch {
                from: s.to_string(),
                to: m.to_string(),
                weight: ADMISSION,
                skills: Vec::new(),
                entry: None,
                kind: VouchKind::Admission,
                why: format!("admitted them to {community}"),
            }));
        }
    }
    out
}

/// The edge one piece of evidence makes, if any.
fn vouch_of(e: &Evidence, marks: &HashMap<&str, f64>) -> Option<Vouch> {
    let (kind, from, to, weight, skills, why): (_, &str, &str, _, _, String) = match &e.event {
        Event::ContractCompleted(k) => {
            let mark = marks.get(k.contract.as_str()).copied();
            (
                VouchKind::Contract,
                &k.client,
                &k.member,
                CONTRACT * mark.map_or(1.0, |m| (m / 4.0) as f32),
                k.skills.clone().unwrap_or_default(),
                match mark {
                    Some(m) => format!("completed a contract for them, marked {m}/5"),
                    None => "completed a contract for them".into(),
                },
            )
        }
        // Sessions logged before both partners had to confirm them carry no
        // `confirmed_by` and vouch for nothing.
        Event::MentoringSession(s) if s.confirmed_by.is_some() => (
            VouchKind::Mentoring,
            &s.learner,
            &s.mentor,
            MENTORING,
            s.skills.clone(),
            "was mentored by them".into(),
        ),
        // An endorsement counts only with the shared evidence it rests on (older ones, from
        // any connection, carry no `basis`), and weighs what the endorser's own trust in the
        // skill was when they gave it, up to the average member's.
        Event::SkillEndorsed(d) if d.basis.is_some() => (
            VouchKind::Endorsement,
            &d.endorser,
            &d.owner,
            ENDORSEMENT * d.endorser_trust.unwrap_or(0.0).clamp(0.0, 1.0) as f32,
            d.skill.clone().flatten().into_iter().collect(),
            "endorsed their skill".into(),
        ),
        Event::SuggestionAccepted(a) => (
            VouchKind::Suggestion,
            &a.suggester,
            &a.member,
            ENDORSEMENT,
            vec![a.skill.clone()],
            "suggested the skill, and they accepted".into(),
        ),
        _ => return None,
    };
    Some(Vouch {
        from: from.into(),
        to: to.into(),
        weight,
        skills,
        entry: Some(e.index),
        kind,
        why,
    })
}

/// One edge's part in a member's trust in a skill.
#[derive(Clone, Debug, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Contribution {
    /// Account id of who vouched.
    pub from: String,
    /// What kind of evidence the edge comes from.
    pub kind: VouchKind,
    /// What the edge stands for.
    pub why: String,
    /// The evidence entry behind it.
    pub entry: Option<u64>,
    /// The trust it carried, in multiples of the average member's trust.
    pub amount: f64,
}

/// A member's trust in one skill.
#[derive(Clone, Debug, PartialEq, Serialize, utoipa::ToSchema)]
pub struct SkillTrust {
    /// Taxonomy skill id or tag id.
    pub skill: String,
    /// Trust that arrived along edges about the skill, in multiples of the average member's
    /// overall trust.
    pub value: f64,
    /// The edges it came along, largest first.
    pub contributions: Vec<Contribution>,
}

/// Trust over everyone, kept for answering per member.
#[derive(Debug)]
pub struct TrustIndex {
    position: HashMap<String, u32>,
    graph: Graph,
    scores: Vec<f32>,
    vouches: Vec<Vouch>,
    incoming: HashMap<u32, Vec<usize>>,
    params: Params,
    /// Rounds the computation ran.
    pub rounds: usize,
}

impl TrustIndex {
    /// Computes trust over `vouches`, starting from `seeds` (account ids, see [`seeds`]).
    pub fn new(vouches: Vec<Vouch>, seeds: &[String]) -> TrustIndex {
        let mut position: HashMap<String, u32> = HashMap::new();
        let mut at = |id: &str| -> u32 {
            let next = position.len() as u32;
            *position.entry(id.to_string()).or_insert(next)
        };
        let edges: Vec<Edge> = vouches
            .iter()
            .map(|v| Edge {
                from: at(&v.from),
                to: at(&v.to),
                weight: v.weight,
            })
            .collect();
        let seeds: Vec<u32> = seeds.iter().map(|s| at(s)).collect();
        let mut incoming: HashMap<u32, Vec<usize>> = HashMap::new();
        for (i, e) in edges.iter().enumerate() {
            incoming.entry(e.to).or_default().push(i);
        }
        let graph = Graph::with_floor(position.len(), &edges, FLOOR);
        let params = Params::default();
        let (scores, rounds) = trust(&graph, &seeds, &params);
        TrustIndex {
            position,
            graph,
            scores,
            vouches,
            incoming,
            params,
            rounds,
        }
    }

    /// Accounts in the graph.
    pub fn members(&self) -> usize {
        self.position.len()
    }

    /// `member`'s overall trust in multiples of the average member's (0 for someone no
    /// evidence names).
    pub fn overall(&self, member: &str) -> f64 {
        self.position.get(member).map_or(0.0, |p| {
            f64::from(self.scores[*p as usize]) * self.members() as f64
        })
    }

    /// `member`'s trust per skill, highest first, each with the edges it came along.
    pub fn skills_of(&self, member: &str) -> Vec<SkillTrust> {
        let Some(p) = self.position.get(member) else {
            return Vec::new();
        };
        let into = self.incoming.get(p).map(Vec::as_slice).unwrap_or_default();
        let edges: Vec<Edge> = into
            .iter()
            .map(|i| {
                let v = &self.vouches[*i];
                Edge {
                    from: self.position[&v.from],
                    to: *p,
                    weight: v.weight,
                }
            })
            .collect();
        let amounts = carried(&self.graph, &self.scores, &self.params, &edges);
        let scale = self.members() as f64;
        let mut out: Vec<SkillTrust> = Vec::new();
        for (i, amount) in into.iter().zip(amounts) {
            let v = &self.vouches[*i];
            for skill in &v.skills {
                let at = match out.iter().position(|s| &s.skill == skill) {
                    Some(at) => at,
                    None => {
                        out.push(SkillTrust {
                            skill: skill.clone(),
                            value: 0.0,
                            contributions: Vec::new(),
                        });
                        out.len() - 1
                    }
                };
                let amount = f64::from(amount) * scale;
                out[at].value += amount;
                out[at].contributions.push(Contribution {
                    from: v.from.clone(),
                    kind: v.kind,
                    why: v.why.clone(),
                    entry: v.entry,
                    amount,
                });
            }
        }
        for s in &mut out {
            s.contributions
                .sort_by(|a, b| b.amount.total_cmp(&a.amount));
        }
        out.sort_by(|a, b| b.value.total_cmp(&a.value));
        out
    }
}
