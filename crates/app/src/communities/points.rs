//! The points members earn in a community over a period, counted from the change feed: work
//! paid through the community, referrals hired for its jobs, mentoring sessions given that
//! both parties confirmed, and learning resources and events its curators added (still listed,
//! not called off): to the member a curator credited with finding or organising it, else to
//! the curator. The table of how much each earns is `guildhall_domain::ownership::FORMULA`.

use crate::AppError;
use crate::events::typed;
use guildhall_domain::UserId;
use guildhall_domain::events::Event;
use guildhall_domain::money::Currency;
use guildhall_domain::ownership::{FORMULA, Points};
use guildhall_store::DbConnection;
use guildhall_store::repo::{contracts, events, gatherings, learning, ownership};
use std::collections::BTreeMap;

/// The kinds of event points are counted from.
const KINDS: &[&str] = &[
    "work.milestone_released",
    "work.dispute_resolved",
    "work.referral_hired",
    "community.mentoring_session",
    "community.resource_added",
    "community.event_created",
];

/// Each member's points in `community_id` for events in `[from, to)`. Members not in the map
/// earned none.
pub(crate) fn points_between(
    c: &mut DbConnection,
    community_id: &str,
    from: i64,
    to: i64,
) -> Result<BTreeMap<UserId, Points>, AppError> {
    let mut points: BTreeMap<UserId, Points> = BTreeMap::new();
    let mut communities_of: BTreeMap<String, Option<String>> = BTreeMap::new();
    for row in events::of_kinds_between(c, KINDS, from, to)? {
        let Some((who, earned)) = earned(c, &typed(&row)?, community_id, &mut communities_of)?
        else {
            continue;
        };
        let Ok(who) = who.parse::<UserId>() else {
            continue;
        };
        let p = points.entry(who).or_default();
        match earned {
            Earned::Work(currency, minor) => {
                *p.work.entry(currency.code().into()).or_default() +=
                    FORMULA.work_points(minor, currency);
            }
            Earned::Referral => p.referrals += FORMULA.referral_hired,
            Earned::Mentoring => p.mentoring += FORMULA.mentoring_session,
            Earned::Resource => p.contributions += FORMULA.resource_added,
            Earned::Gathering => p.contributions += FORMULA.event_organised,
        }
    }
    Ok(points)
}

/// What one event earned.
enum Earned {
    Work(Currency, i64),
    Referral,
    Mentoring,
    Resource,
    Gathering,
}

/// Who earned what by `event`, if it counts in `community_id`. `communities_of` remembers each
/// contract's community, since referrals and settled disputes do not name it.
fn earned(
    c: &mut DbConnection,
    event: &Event,
    community_id: &str,
    communities_of: &mut BTreeMap<String, Option<String>>,
) -> Result<Option<(String, Earned)>, AppError> {
    let through_community = |c: &mut DbConnection,
                             contract: &str,
                             cache: &mut BTreeMap<String, Option<String>>|
     -> Result<bool, AppError> {
        if !cache.contains_key(contract) {
            let community = match contract.parse() {
                Ok(id) => contracts::by_id(c, id)?.and_then(|row| row.community_id),
                Err(_) => None,
            };
            cache.insert(contract.to_string(), community);
        }
        Ok(cache[contract].as_deref() == Some(community_id))
    };
    let work = |member: &str, minor: i64, currency: &str| {
        Currency::parse(currency)
            .ok()
            .filter(|_| minor > 0)
            .map(|cur| (member.to_string(), Earned::Work(cur, minor)))
    };
    Ok(match event {
        Event::MilestoneReleased(e) if e.community.as_deref() == Some(community_id) => {
            work(&e.member, e.amount, &e.currency)
        }
        Event::DisputeResolved(e) if through_community(c, &e.contract, communities_of)? => {
            work(&e.member, e.member_amount, &e.currency)
        }
        Event::ReferralHired(e) if through_community(c, &e.contract, communities_of)? => {
            Some((e.referrer.clone(), Earned::Referral))
        }
        Event::MentoringSession(e) if e.community == community_id => {
            Some((e.mentor.clone(), Earned::Mentoring))
        }
        Event::ResourceAdded(e) if e.community == community_id => {
            let listed = learning::by_id(c, &e.resource)?.is_some_and(|r| r.removed_at.is_none());
            let who = contributor(c, &e.resource, &e.by)?;
            listed.then_some((who, Earned::Resource))
        }
        Event::GatheringCreated(e) if e.community == community_id => {
            let held = gatherings::by_id(c, &e.gathering)?.is_some_and(|g| !g.cancelled);
            let who = contributor(c, &e.gathering, &e.organiser)?;
            held.then_some((who, Earned::Gathering))
        }
        _ => None,
    })
}

/// Who earns the points of a contribution: the member a curator credited, else `added_by`.
fn contributor(c: &mut DbConnection, subject: &str, added_by: &str) -> Result<String, AppError> {
    Ok(ownership::credit_of(c, subject)?.map_or_else(|| added_by.to_string(), |u| u.to_string()))
}

/// Credits the member with handle `handle` (none: nobody) with the contribution `subject` of
/// the community in `scope`: a curator adding what a member found or organised. The member
/// must belong to the community.
pub(crate) fn credit(
    c: &mut DbConnection,
    scope: &super::Scope,
    subject: &str,
    handle: Option<&str>,
    now: i64,
) -> Result<(), AppError> {
    let Some(handle) = handle
        .map(|h| h.trim().trim_start_matches('@'))
        .filter(|h| !h.is_empty())
    else {
        return Ok(());
    };
    let key = guildhall_domain::account::Handle::lookup_key(handle);
    let member = guildhall_store::repo::users::by_handle(c, &key)?
        .filter(|u| {
            guildhall_store::repo::communities::role_of(c, scope.id(), u.id)
                .ok()
                .flatten()
                .is_some()
        })
        .ok_or_else(|| AppError::field("/credit", "is not a member of this community"))?;
    ownership::put_credit(c, subject, scope.id(), member.id, now)?;
    Ok(())
}
