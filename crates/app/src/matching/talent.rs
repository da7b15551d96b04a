//! "Find talent": the members who fit a client's job, ranked and explained.

use super::learned::{CO_CLAIMED, CO_LISTED, CO_REQUIRED, Learned};
use super::load::{Context, EVIDENCE_FIGURES, Loaded, figures_for};
use super::wanted::Wanted;
use crate::AppError;
use crate::accounts::Account;
use crate::profiles::{load_items, relation};
use guildhall_domain::job::JobSkill;
use guildhall_domain::matching::{
    Client, Expansion, Hit, Proximity, Query, SkillNo, Term, Weights,
};
use guildhall_domain::money::{Currency, Money};
use guildhall_domain::view::ProfileView;
use guildhall_domain::{CommunityId, UserId};
use guildhall_store::DbConnection;
use guildhall_store::repo::{
    communities, connections, contracts, conversations, jobs, skills, users,
};
use serde::Serialize;
use std::collections::{BTreeSet, HashMap, HashSet};

/// Members listed at most.
pub const MAX_LIMIT: usize = 50;
/// Worth of a narrower skill (PostgreSQL for SQL), a broader one, a related one, one close in
/// meaning (by the embeddings of ESCO's descriptions).
const NARROWER: f64 = 0.8;
const BROADER: f64 = 0.5;
const RELATED: f64 = 0.5;
const SIMILAR: f64 = 0.4;

/// A member who fits a job, as its client may see them.
#[derive(Clone, Debug, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Talent {
    /// The member's handle.
    pub handle: String,
    /// Their name, as the client may see it.
    pub display_name: String,
    /// Their headline, if the client may see it.
    pub headline: Option<String>,
    /// The score, 0 to 1; higher first.
    pub score: f64,
    /// Each skill of the job they meet, and how: "PostgreSQL, a narrower skill of SQL, at
    /// level 4 (3 asked)".
    pub matched: Vec<String>,
    /// The job's skills they show nothing for.
    pub missing: Vec<String>,
    /// How they stand to the client: "a connection of yours", "second degree, via @bob".
    pub network: Option<String>,
    /// Their rate against the budget, if the client may see it.
    pub rate: Option<String>,
    /// Their time zone against the job's window, when the job has one and the client may see
    /// their zone.
    pub zone: Option<String>,
    /// Their free hours a week in the job's dates, if the client may see their availability.
    pub free_hours: Option<f64>,
    /// The same in words, flagging a partial fit: "about 8 free hours a week in the job's
    /// dates, fewer than the 20 asked".
    pub availability: Option<String>,
    /// The evidence behind them that they show the client, each figure with the log entries
    /// it comes from: "On-time delivery: 92 % (log entries #12, #15)".
    pub evidence: Vec<String>,
}

/// Log entries named in an explanation at most.
const ENTRIES_NAMED: usize = 5;

/// The figures a member shows in `shown` (what the reader sees of them) in words, each with
/// the log entries behind it.
fn evidence_words(
    c: &mut DbConnection,
    cx: &Context,
    user: UserId,
    shown: &[guildhall_domain::profile::ProfileItem],
) -> Result<Vec<String>, AppError> {
    use guildhall_domain::profile::ItemData;
    use guildhall_domain::reputation::{figure_words, value_words};
    let figures = figures_for(c, user, shown, cx.now, cx.settings)?;
    let mut out = Vec::new();
    for item in shown {
        let ItemData::Reputation { figure } = &item.data else {
            continue;
        };
        let Some(f) = figures
            .iter()
            .find(|f| f.name == *figure && EVIDENCE_FIGURES.contains(&figure.as_str()))
        else {
            continue;
        };
        let mut line = format!("{}: {}", figure_words(&f.name), value_words(f));
        if f.new {
            line.push_str(", from little evidence yet");
        }
        if !f.entries.is_empty() {
            let named: Vec<String> = f
                .entries
                .iter()
                .take(ENTRIES_NAMED)
                .map(|e| format!("#{e}"))
                .collect();
            let more = f.entries.len().saturating_sub(ENTRIES_NAMED);
            line.push_str(&format!(
                " (log entries {}{})",
                named.join(", "),
                if more > 0 {
                    format!(" and {more} more")
                } else {
                    String::new()
                }
            ));
        }
        out.push(line);
    }
    Ok(out)
}

/// A member's free hours a week over the dates `(from, to)`, if `shown` (what the client sees
/// of them) holds their availability.
pub(super) fn free_hours_in(
    c: &mut DbConnection,
    user: UserId,
    shown: &[guildhall_domain::profile::ProfileItem],
    dates: Option<&(String, String)>,
) -> Result<Option<f64>, AppError> {
    use crate::availability::{availability_of, weeks_of};
    use guildhall_domain::availability::{average_free_hours, parse_date};
    let Some((_, schedule, _)) = availability_of(shown) else {
        return Ok(None);
    };
    let Some((Some(from), Some(to))) = dates.map(|(f, t)| (parse_date(f), parse_date(t))) else {
        return Ok(None);
    };
    let weeks = weeks_of(c, user, &schedule, from, to)?;
    Ok(Some((average_free_hours(&weeks) * 10.0).round() / 10.0))
}

/// Free hours in words, against the hours a week the job asks for.
pub(super) fn availability_words(free: f64, asked: Option<i32>) -> String {
    match asked {
        Some(asked) if free < f64::from(asked) => format!(
            "about {free} free hours a week in the job's dates, fewer than the {asked} asked: a partial fit"
        ),
        Some(asked) => format!("about {free} free hours a week in the job's dates ({asked} asked)"),
        None => format!("about {free} free hours a week in the job's dates"),
    }
}

/// The terms of a job: each skill with its neighbours in the taxonomy and those `learned` from
/// what goes together, numbered by `number` (`None` for a skill nobody claims, which cannot
/// match). A skill reached several ways counts once, the way worth most.
pub(super) fn terms(
    c: &mut DbConnection,
    number: &mut dyn FnMut(&str) -> Option<SkillNo>,
    learned: &dyn Fn(&str) -> Vec<Learned>,
    asked: &[JobSkill],
) -> Result<(Vec<Term>, Vec<String>), AppError> {
    let mut terms = Vec::new();
    let mut labels = Vec::new();
    for skill in asked {
        let mut expansions: Vec<Expansion> = Vec::new();
        if let Some(id) = &skill.skill_id {
            let mut found = vec![(id.clone(), 1.0, "exact")];
            for (other, kind, from_side) in skills::relations_of(c, id)? {
                let (factor, relation) = match (kind.as_str(), from_side) {
                    // `id` broader-than `other` read from `id`'s side: `other` is broader.
                    ("broader", true) => (BROADER, "broader"),
                    ("broader", false) => (NARROWER, "narrower"),
                    ("similar", _) => (SIMILAR, "similar"),
                    _ => (RELATED, "related"),
                };
                found.push((other, factor, relation));
            }
            found.extend(
                learned(id)
                    .into_iter()
                    .map(|l| (l.skill_id, l.factor, l.relation)),
            );
            for (other, factor, relation) in found {
                let Some(n) = number(&other) else {
                    continue;
                };
                match expansions.iter_mut().find(|e| e.skill == n) {
                    Some(e) if e.factor >= factor => {}
                    Some(e) => {
                        e.factor = factor;
                        e.relation = relation;
                    }
                    None => expansions.push(Expansion {
                        skill: n,
                        factor,
                        relation,
                    }),
                }
            }
        }
        terms.push(Term {
            weight: skill.weight.clamp(1, 5),
            min_level: skill.min_level.clamp(1, 5),
            skills: expansions,
        });
        labels.push(skill.label.clone());
    }
    Ok((terms, labels))
}

/// The client's place in the network, in the index's numbers.
pub(crate) fn client_of(
    c: &mut DbConnection,
    loaded: &Loaded,
    who: UserId,
) -> Result<Client, AppError> {
    let number = |u: UserId| loaded.number_of(u);
    let mine = connections::accepted_of(c, who)?;
    let mut second_degree = HashMap::new();
    for friend in &mine {
        let Some(via) = number(*friend) else { continue };
        for theirs in connections::accepted_of(c, *friend)? {
            if let Some(n) = number(theirs) {
                second_degree.entry(n).or_insert(via);
            }
        }
    }
    Ok(Client {
        member: number(who),
        connections: mine.iter().filter_map(|u| number(*u)).collect(),
        second_degree,
        worked_with: contracts::members_of_client(c, who)?
            .into_iter()
            .filter_map(number)
            .collect::<HashSet<_>>(),
        blocked: conversations::hidden_from(c, who)?
            .into_iter()
            .filter_map(number)
            .collect(),
        communities: communities::of_member(c, who)?
            .into_iter()
            .filter_map(|(id, _)| id.parse::<CommunityId>().ok())
            .collect::<BTreeSet<_>>(),
        sees_all: false,
    })
}

/// `UTC+05:30` for 330 minutes.
fn offset_words(minutes: i32) -> String {
    let sign = if minutes < 0 { '−' } else { '+' };
    let m = minutes.abs();
    format!("UTC{sign}{:02}:{:02}", m / 60, m % 60)
}

/// A hit in words.
pub(super) struct Explained {
    pub matched: Vec<String>,
    pub missing: Vec<String>,
    pub network: Option<String>,
    pub rate: Option<String>,
    pub zone: Option<String>,
}

/// A skill that met a term in words: how it stands to the skill asked, and where that was
/// learned.
fn relation_words(relation: &str, label: &str, asked: &str) -> String {
    match relation {
        "exact" => label.to_string(),
        CO_CLAIMED => format!("{label}, often claimed with {asked} by members here"),
        CO_REQUIRED => format!("{label}, often asked for with {asked} by jobs here"),
        CO_LISTED => format!("{label}, listed with {asked} by ESCO's occupations"),
        "similar" => format!("{label}, close in meaning to {asked} (by ESCO's descriptions)"),
        relation => format!("{label}, a {relation} skill of {asked}"),
    }
}

/// A hit in words, naming only what the client may see; `skill_id` names a skill number.
pub(super) fn words(
    c: &mut DbConnection,
    skill_id: &dyn Fn(SkillNo) -> String,
    loaded: Option<&Loaded>,
    hit: &Hit,
    labels: &[String],
    budget_currency: Currency,
    window_of_hit: bool,
) -> Result<Explained, AppError> {
    let mut matched = Vec::new();
    for m in &hit.matched {
        let asked = &labels[m.term];
        let label = skills::by_id(c, &skill_id(m.skill))?
            .map_or_else(|| asked.clone(), |s| s.preferred_label);
        let skill = relation_words(m.relation, &label, asked);
        let level = if m.level >= m.min_level {
            format!("at level {} ({} asked)", m.level, m.min_level)
        } else {
            format!("at level {}, below the {} asked", m.level, m.min_level)
        };
        matched.push(format!("{skill}, {level}"));
    }
    let missing = hit.missing.iter().map(|t| labels[*t].clone()).collect();
    let network = match &hit.proximity {
        Proximity::Connection => Some("a connection of yours".to_string()),
        Proximity::SecondDegree(via) => match loaded {
            Some(loaded) => users::by_id(c, loaded.user(*via))?
                .map(|u| format!("second degree, via @{}", u.handle)),
            None => None,
        },
        Proximity::Community => Some("in a community of yours".to_string()),
        Proximity::Stranger => None,
    };
    let zone = hit
        .utc_offset
        .filter(|_| window_of_hit)
        .map(|o| format!("works in {}, inside your time-zone window", offset_words(o)));
    let rate = hit.rate.map(|minor| {
        format!(
            "{} an hour, within your budget",
            Money::new(minor, budget_currency).display()
        )
    });
    Ok(Explained {
        matched,
        missing,
        network,
        rate,
        zone,
    })
}

/// The members who fit `wanted` best as `viewer` may see them, each explained in words that
/// name only what `viewer` may see. `client` is the place in the network ranked from: the
/// viewer's own, or, for a curator's shortlist, the curator's with the job client's blocks.
pub(super) fn rank(
    c: &mut DbConnection,
    cx: &Context,
    loaded: &Loaded,
    viewer: UserId,
    client: &Client,
    wanted: &Wanted,
    limit: usize,
) -> Result<Vec<Talent>, AppError> {
    let (query, labels) = query_of(c, loaded, wanted)?;
    let hits = loaded
        .index
        .top_k(&query, client, &Weights::default(), limit);
    let mut out = Vec::with_capacity(hits.len());
    for hit in &hits {
        if let Some(talent) = talent_of(c, cx, loaded, viewer, hit, &labels, wanted)? {
            out.push(talent);
        }
    }
    Ok(out)
}

/// `wanted` as a query of the index, with the label of each of its terms.
pub(super) fn query_of(
    c: &mut DbConnection,
    loaded: &Loaded,
    wanted: &Wanted,
) -> Result<(Query, Vec<String>), AppError> {
    let (terms, labels) = terms(
        c,
        &mut |id| loaded.skill_no(id),
        &|id| loaded.learned(id),
        &wanted.skills,
    )?;
    let query = Query {
        terms,
        community: wanted
            .community_id
            .as_deref()
            .and_then(|id| id.parse().ok()),
        budget: wanted.budget(),
        tz_window: wanted.tz_window,
    };
    Ok((query, labels))
}

/// One hit as `viewer` may see the member, explained; none if the account is gone.
pub(super) fn talent_of(
    c: &mut DbConnection,
    cx: &Context,
    loaded: &Loaded,
    viewer: UserId,
    hit: &Hit,
    labels: &[String],
    wanted: &Wanted,
) -> Result<Option<Talent>, AppError> {
    let user = loaded.user(hit.member);
    let Some(row) = users::by_id(c, user)? else {
        return Ok(None);
    };
    let seen_by = relation(c, Some(viewer), user)?;
    let view = ProfileView::build(&row.handle, &load_items(c, user)?, &seen_by);
    let free_hours = free_hours_in(c, user, &view.items, wanted.dates.as_ref())?;
    let evidence = evidence_words(c, cx, user, &view.items)?;
    let skill_id = |n| loaded.skill_id(n).to_string();
    let why = words(
        c,
        &skill_id,
        Some(loaded),
        hit,
        labels,
        wanted.currency,
        wanted.tz_window.is_some(),
    )?;
    Ok(Some(Talent {
        handle: row.handle.clone(),
        display_name: view.display_name().to_string(),
        headline: view.headline().map(str::to_string),
        score: (hit.score * 1000.0).round() / 1000.0,
        matched: why.matched,
        missing: why.missing,
        network: why.network,
        rate: why.rate,
        zone: why.zone,
        free_hours,
        availability: free_hours.map(|f| availability_words(f, wanted.hours_per_week)),
        evidence,
    }))
}

/// The job `job_id` if `who` is its client (`NotFound` for anyone else), and their place in
/// the network: what every search for one of a client's jobs starts with.
pub(super) fn client_job(
    c: &mut DbConnection,
    loaded: &Loaded,
    who: &Account,
    job_id: &str,
) -> Result<(jobs::JobRow, Client), AppError> {
    let job = jobs::by_id(c, job_id)?
        .filter(|j| j.client_id == who.id)
        .ok_or(AppError::NotFound)?;
    Ok((job, client_of(c, loaded, who.id)?))
}

/// Refuses a limit outside 1 to [`MAX_LIMIT`].
pub(super) fn check_limit(limit: usize) -> Result<(), AppError> {
    if (1..=MAX_LIMIT).contains(&limit) {
        Ok(())
    } else {
        Err(AppError::field(
            "/limit",
            format!("must be from 1 to {MAX_LIMIT}"),
        ))
    }
}

impl crate::facades::Matching<'_> {
    /// The members who fit `job_id` best, for its client: ranked by skills and level fit,
    /// evidence and closeness, filtered by the job's community, its budget, blocks and
    /// suspensions, each explained. Only the job's client may ask.
    pub fn find_talent(
        &self,
        who: &Account,
        job_id: &str,
        limit: usize,
    ) -> Result<Vec<Talent>, AppError> {
        check_limit(limit)?;
        self.with_index(|loaded| {
            self.read(|c| {
                let (job, client) = client_job(c, loaded, who, job_id)?;
                let cx = self.context();
                rank(
                    c,
                    &cx,
                    loaded,
                    who.id,
                    &client,
                    &Wanted::of_job(&job),
                    limit,
                )
            })
        })
    }
}
