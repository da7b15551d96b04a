//! Reviews of completed contracts.

use crate::schema::reviews;
use crate::{DbConnection, Millis, StoreError};
use diesel::prelude::*;
use guildhall_domain::{ContractId, ReviewId, UserId};

/// A review row.
#[derive(Clone, Debug, Queryable, Selectable, Insertable)]
#[diesel(table_name = reviews)]
pub struct ReviewRow {
    /// UUIDv7.
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub id: ReviewId,
    /// Contract.
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub contract_id: ContractId,
    /// Who wrote it.
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub author_id: UserId,
    /// Who it is about.
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub subject_id: UserId,
    /// client or member: the author's side.
    pub side: String,
    /// 1 to 5.
    pub overall: i32,
    /// Criteria, JSON.
    pub criteria: String,
    /// Text.
    pub body: String,
    /// Time written.
    pub created_at: Millis,
    /// Latest reveal time.
    pub reveal_at: Millis,
    /// When it was revealed.
    pub revealed_at: Option<Millis>,
}

/// Adds a review.
pub fn insert(conn: &mut DbConnection, row: &ReviewRow) -> Result<(), StoreError> {
    diesel::insert_into(reviews::table)
        .values(row.clone())
        .execute(conn)?;
    Ok(())
}

/// A contract's reviews.
pub fn of_contract(
    conn: &mut DbConnection,
    contract_id: ContractId,
) -> Result<Vec<ReviewRow>, StoreError> {
    Ok(reviews::table
        .filter(reviews::contract_id.eq(contract_id.to_string()))
        .order(reviews::id)
        .select(ReviewRow::as_select())
        .load(conn)?)
}

/// Marks a review revealed.
pub fn reveal(conn: &mut DbConnection, id: ReviewId, now: Millis) -> Result<bool, StoreError> {
    Ok(diesel::update(
        reviews::table
            .find(id.to_string())
            .filter(reviews::revealed_at.is_null()),
    )
    .set(reviews::revealed_at.eq(now))
    .execute(conn)?
        == 1)
}

/// Reviews not yet revealed whose reveal time has come: (id, contract id).
pub fn due(
    conn: &mut DbConnection,
    now: Millis,
    limit: i64,
) -> Result<Vec<(ReviewId, ContractId)>, StoreError> {
    let due: Vec<(String, String)> = reviews::table
        .filter(reviews::revealed_at.is_null())
        .filter(reviews::reveal_at.le(now))
        .limit(limit)
        .select((reviews::id, reviews::contract_id))
        .load(conn)?;
    due.into_iter()
        .map(|(review, contract)| {
            Ok((ReviewId::try_from(review)?, ContractId::try_from(contract)?))
        })
        .collect()
}

/// Revealed reviews about a member, newest first.
pub fn about(conn: &mut DbConnection, subject_id: UserId) -> Result<Vec<ReviewRow>, StoreError> {
    Ok(reviews::table
        .filter(reviews::subject_id.eq(subject_id.to_string()))
        .filter(reviews::revealed_at.is_not_null())
        .order(reviews::id.desc())
        .select(ReviewRow::as_select())
        .load(conn)?)
}

/// Every review `author` wrote, oldest first.
pub fn by_author(conn: &mut DbConnection, author: UserId) -> Result<Vec<ReviewRow>, StoreError> {
    Ok(reviews::table
        .filter(reviews::author_id.eq(author.to_string()))
        .order((reviews::created_at, reviews::id))
        .select(ReviewRow::as_select())
        .load(conn)?)
}
