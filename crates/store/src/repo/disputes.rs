//! Disputes over a milestone's escrow.

use crate::schema::{contracts, disputes};
use crate::{DbConnection, Millis, StoreError};
use diesel::prelude::*;
use guildhall_domain::{ContractId, DisputeId, MilestoneId, UserId};

/// A dispute row.
#[derive(Clone, Debug, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = disputes, treat_none_as_null = true)]
pub struct DisputeRow {
    /// UUIDv7.
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub id: DisputeId,
    /// Contract.
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub contract_id: ContractId,
    /// The milestone whose escrow is disputed.
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub milestone_id: MilestoneId,
    /// Who opened it: the client or the member.
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub opened_by: UserId,
    /// Why.
    pub reason: String,
    /// When.
    pub opened_at: Millis,
    /// Minor units paid to the member, once resolved.
    pub member_amount: Option<i64>,
    /// The operator's reasons.
    pub resolution: String,
    /// The operator who resolved it.
    #[diesel(deserialize_as = crate::optional::NullableText, serialize_as = crate::optional::NullableText)]
    pub resolved_by: Option<UserId>,
    /// When it was resolved.
    pub resolved_at: Option<Millis>,
}

/// Adds a dispute, and marks its contract as having disputes.
pub fn insert(conn: &mut DbConnection, row: &DisputeRow) -> Result<(), StoreError> {
    diesel::insert_into(disputes::table)
        .values(row.clone())
        .execute(conn)?;
    diesel::update(contracts::table.find(row.contract_id.to_string()))
        .set(contracts::has_disputes.eq(true))
        .execute(conn)?;
    Ok(())
}

/// Saves a changed dispute.
pub fn update(conn: &mut DbConnection, row: &DisputeRow) -> Result<(), StoreError> {
    diesel::update(disputes::table.find(row.id.to_string()))
        .set(row.clone())
        .execute(conn)?;
    Ok(())
}

/// One dispute.
pub fn by_id(conn: &mut DbConnection, id: DisputeId) -> Result<Option<DisputeRow>, StoreError> {
    Ok(disputes::table
        .find(id.to_string())
        .select(DisputeRow::as_select())
        .get_result(conn)
        .optional()?)
}

/// Every dispute of a contract, oldest first.
pub fn of_contract(
    conn: &mut DbConnection,
    contract_id: ContractId,
) -> Result<Vec<DisputeRow>, StoreError> {
    let contract_id = contract_id.to_string();
    Ok(crate::db::native!(conn, |c| disputes::table
        .filter(disputes::contract_id.eq(&contract_id))
        .order(disputes::opened_at)
        .select(DisputeRow::as_select())
        .load(c))?)
}

/// Open disputes, oldest first: the operators' queue.
pub fn open(conn: &mut DbConnection, limit: i64) -> Result<Vec<DisputeRow>, StoreError> {
    Ok(disputes::table
        .filter(disputes::resolved_at.is_null())
        .order(disputes::opened_at)
        .limit(limit)
        .select(DisputeRow::as_select())
        .load(conn)?)
}
