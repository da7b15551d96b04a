//! Member ownership: each community's revenue share setting, the distributions of its member
//! pool, and the perks it lists.

use crate::schema::{
    contribution_credits as credits, distribution_shares as shares, distributions, perks,
    revenue_shares,
};
use crate::{DbConnection, Millis, StoreError};
use diesel::prelude::*;
use guildhall_domain::UserId;
use guildhall_domain::money::Currency;

/// A community's revenue share setting.
#[derive(Clone, Debug, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = revenue_shares)]
pub struct RevenueShareRow {
    /// The community.
    pub community_id: String,
    /// The members' part of the community's share of each release, in basis points.
    pub share_bps: i32,
    /// Days in a period.
    pub period_days: i32,
    /// Where the period not yet distributed starts.
    pub period_from: Millis,
    /// Last change.
    pub updated_at: Millis,
}

/// The community's setting, if an owner ever set one.
pub fn setting(
    conn: &mut DbConnection,
    community_id: &str,
) -> Result<Option<RevenueShareRow>, StoreError> {
    Ok(revenue_shares::table
        .find(community_id)
        .select(RevenueShareRow::as_select())
        .get_result(conn)
        .optional()?)
}

/// Saves a community's setting.
pub fn put_setting(conn: &mut DbConnection, row: &RevenueShareRow) -> Result<(), StoreError> {
    let updated = diesel::update(revenue_shares::table.find(&row.community_id))
        .set(row)
        .execute(conn)?;
    if updated == 0 {
        diesel::insert_into(revenue_shares::table)
            .values(row)
            .execute(conn)?;
    }
    Ok(())
}

/// Every community's setting (few: one per community that ever set one).
pub fn all_settings(conn: &mut DbConnection) -> Result<Vec<RevenueShareRow>, StoreError> {
    Ok(revenue_shares::table
        .order(revenue_shares::community_id)
        .select(RevenueShareRow::as_select())
        .load(conn)?)
}

/// Moves a community's period on from `from` to `to`; false when another worker already did,
/// which is how exactly one worker claims a period.
pub fn claim_period(
    conn: &mut DbConnection,
    community_id: &str,
    from: Millis,
    to: Millis,
) -> Result<bool, StoreError> {
    let changed = diesel::update(
        revenue_shares::table
            .find(community_id)
            .filter(revenue_shares::period_from.eq(from)),
    )
    .set(revenue_shares::period_from.eq(to))
    .execute(conn)?;
    Ok(changed == 1)
}

/// A distribution of a community's member pool for one period.
#[derive(Clone, Debug, Queryable, Selectable, Insertable)]
#[diesel(table_name = distributions)]
pub struct DistributionRow {
    /// UUIDv7.
    pub id: String,
    /// The community.
    pub community_id: String,
    /// The period's start.
    pub period_from: Millis,
    /// The period's end (exclusive).
    pub period_to: Millis,
    /// When it was made.
    pub created_at: Millis,
}

/// A member's part of a distribution in one currency.
#[derive(Clone, Debug, Queryable, Selectable, Insertable)]
#[diesel(table_name = shares)]
pub struct ShareRow {
    /// The distribution.
    pub distribution_id: String,
    /// The member.
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub user_id: UserId,
    /// The pool's currency.
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub currency: Currency,
    /// Their points in that pool.
    pub points: i64,
    /// What they received, in minor units.
    pub amount: i64,
}

/// Records a distribution and its shares.
pub fn insert_distribution(
    conn: &mut DbConnection,
    row: &DistributionRow,
    parts: &[ShareRow],
) -> Result<(), StoreError> {
    diesel::insert_into(distributions::table)
        .values(row.clone())
        .execute(conn)?;
    for part in parts {
        diesel::insert_into(shares::table)
            .values(part.clone())
            .execute(conn)?;
    }
    Ok(())
}

/// A community's distributions, newest first.
pub fn distributions_of(
    conn: &mut DbConnection,
    community_id: &str,
    limit: i64,
) -> Result<Vec<DistributionRow>, StoreError> {
    Ok(distributions::table
        .filter(distributions::community_id.eq(community_id))
        .order(distributions::period_from.desc())
        .limit(limit)
        .select(DistributionRow::as_select())
        .load(conn)?)
}

/// What a member received from a community's distributions, newest first.
pub fn shares_of(
    conn: &mut DbConnection,
    community_id: &str,
    user: UserId,
    limit: i64,
) -> Result<Vec<(DistributionRow, ShareRow)>, StoreError> {
    Ok(distributions::table
        .inner_join(shares::table)
        .filter(distributions::community_id.eq(community_id))
        .filter(shares::user_id.eq(user.to_string()))
        .order((distributions::period_from.desc(), shares::currency))
        .limit(limit)
        .select((DistributionRow::as_select(), ShareRow::as_select()))
        .load(conn)?)
}

/// A perk a community lists.
#[derive(Clone, Debug, Queryable, Selectable, Insertable)]
#[diesel(table_name = perks)]
pub struct PerkRow {
    /// UUIDv7.
    pub id: String,
    /// The community.
    pub community_id: String,
    /// What it is called.
    pub title: String,
    /// What it is and how to use it, in Markdown.
    pub description: String,
    /// Members with at least this many points qualify.
    pub min_points: Option<i64>,
    /// Members with an active contract through the community qualify.
    pub active_contract: bool,
    /// The curator who listed it.
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub created_by: UserId,
    /// When.
    pub created_at: Millis,
}

/// Lists a perk.
pub fn insert_perk(conn: &mut DbConnection, row: &PerkRow) -> Result<(), StoreError> {
    diesel::insert_into(perks::table)
        .values(row.clone())
        .execute(conn)?;
    Ok(())
}

/// A community's perks, oldest first.
pub fn perks_of(conn: &mut DbConnection, community_id: &str) -> Result<Vec<PerkRow>, StoreError> {
    Ok(perks::table
        .filter(perks::community_id.eq(community_id))
        .order((perks::created_at, perks::id))
        .select(PerkRow::as_select())
        .load(conn)?)
}

/// Takes a community's perk off the list; whether there was one.
pub fn delete_perk(
    conn: &mut DbConnection,
    community_id: &str,
    id: &str,
) -> Result<bool, StoreError> {
    let gone = diesel::delete(
        perks::table
            .find(id)
            .filter(perks::community_id.eq(community_id)),
    )
    .execute(conn)?;
    Ok(gone == 1)
}

/// Credits the member `user` with the contribution `subject` (a resource or an event), in
/// place of any credit before.
pub fn put_credit(
    conn: &mut DbConnection,
    subject: &str,
    community_id: &str,
    user: UserId,
    now: Millis,
) -> Result<(), StoreError> {
    diesel::delete(credits::table.find(subject)).execute(conn)?;
    diesel::insert_into(credits::table)
        .values((
            credits::subject_id.eq(subject),
            credits::community_id.eq(community_id),
            credits::user_id.eq(user.to_string()),
            credits::created_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}

/// The member credited with the contribution `subject`, if a curator named one.
pub fn credit_of(conn: &mut DbConnection, subject: &str) -> Result<Option<UserId>, StoreError> {
    let user: Option<String> = credits::table
        .find(subject)
        .select(credits::user_id)
        .get_result(conn)
        .optional()?;
    Ok(user.map(UserId::try_from).transpose()?)
}
