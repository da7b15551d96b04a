//! What waits for a member's answer, counted: one small query per kind, for the home page and
//! the count beside "Home" on every page.

use crate::schema::{
    community_applications as apps, community_members as members, connections, contracts, jobs,
    milestones, proposals, skill_suggestions,
};
use crate::{DbConnection, StoreError};
use diesel::dsl::count_star;
use diesel::prelude::*;
use guildhall_domain::UserId;
use guildhall_domain::connection::ConnectionStatus;

/// Connection requests addressed to the member.
pub fn connection_requests(conn: &mut DbConnection, user_id: UserId) -> Result<i64, StoreError> {
    Ok(connections::table
        .filter(connections::addressee_id.eq(user_id.to_string()))
        .filter(connections::status.eq(ConnectionStatus::Pending.as_str()))
        .select(count_star())
        .get_result(conn)?)
}

/// Skill suggestions made to the member, not answered yet.
pub fn suggestions(conn: &mut DbConnection, user_id: UserId) -> Result<i64, StoreError> {
    Ok(skill_suggestions::table
        .filter(skill_suggestions::member_id.eq(user_id.to_string()))
        .filter(skill_suggestions::status.eq("pending"))
        .select(count_star())
        .get_result(conn)?)
}

/// Contract offers made to the member, or to them as a learner who has not answered yet.
pub fn offers(conn: &mut DbConnection, user_id: UserId) -> Result<i64, StoreError> {
    Ok(contracts::table
        .filter(
            contracts::member_id
                .eq(user_id.to_string())
                .or(contracts::learner_id
                    .eq(user_id.to_string())
                    .and(contracts::learner_accepted_at.is_null())),
        )
        .filter(contracts::status.eq("offered"))
        .select(count_star())
        .get_result(conn)?)
}

/// Deliveries waiting for the member's review, as a client.
pub fn deliveries(conn: &mut DbConnection, user_id: UserId) -> Result<i64, StoreError> {
    let theirs = contracts::table
        .filter(contracts::client_id.eq(user_id.to_string()))
        .select(contracts::id);
    Ok(milestones::table
        .filter(milestones::contract_id.eq_any(theirs))
        .filter(milestones::status.eq("submitted"))
        .select(count_star())
        .get_result(conn)?)
}

/// Proposals on the member's open jobs not answered yet.
pub fn proposals(conn: &mut DbConnection, user_id: UserId) -> Result<i64, StoreError> {
    let open = jobs::table
        .filter(jobs::client_id.eq(user_id.to_string()))
        .filter(jobs::status.eq("open"))
        .select(jobs::id);
    Ok(proposals::table
        .filter(proposals::job_id.eq_any(open))
        .filter(proposals::status.eq("submitted"))
        .select(count_star())
        .get_result(conn)?)
}

/// Applications to the communities the member curates, not decided yet.
pub fn applications(conn: &mut DbConnection, user_id: UserId) -> Result<i64, StoreError> {
    let curated = members::table
        .filter(members::user_id.eq(user_id.to_string()))
        .filter(members::role.eq_any(["owner", "curator"]))
        .select(members::community_id);
    Ok(apps::table
        .filter(apps::community_id.eq_any(curated))
        .filter(apps::status.eq("pending"))
        .select(count_star())
        .get_result(conn)?)
}
