//! Hourly contracts: their terms, the weeks funded (each a milestone of the contract) and the
//! time the member logged in them.

use crate::schema::{hourly_terms as terms, hourly_weeks as weeks, time_entries as entries};
use crate::{DbConnection, Millis, StoreError};
use diesel::prelude::*;
use guildhall_domain::{ContractId, MilestoneId, UserId};

/// The terms of an hourly contract.
#[derive(Clone, Debug, Queryable, Selectable, Insertable)]
#[diesel(table_name = terms)]
pub struct TermsRow {
    /// The contract.
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub contract_id: ContractId,
    /// Minor units of the contract's currency per hour.
    pub rate: i64,
    /// The most hours paid in a week.
    pub weekly_cap_hours: i32,
}

/// Makes a contract hourly.
pub fn insert_terms(conn: &mut DbConnection, row: &TermsRow) -> Result<(), StoreError> {
    diesel::insert_into(terms::table)
        .values(row.clone())
        .execute(conn)?;
    Ok(())
}

/// The contract's hourly terms; none for a contract of fixed milestones.
pub fn terms_of(
    conn: &mut DbConnection,
    contract: ContractId,
) -> Result<Option<TermsRow>, StoreError> {
    Ok(terms::table
        .find(contract.to_string())
        .select(TermsRow::as_select())
        .get_result(conn)
        .optional()?)
}

/// A week of an hourly contract: which milestone holds its escrow.
#[derive(Clone, Debug, Queryable, Selectable, Insertable)]
#[diesel(table_name = weeks)]
pub struct WeekRow {
    /// The milestone.
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub milestone_id: MilestoneId,
    /// The contract.
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub contract_id: ContractId,
    /// The week's Monday, `YYYY-MM-DD`.
    pub week_of: String,
}

/// Records a week; a second funding of the same week breaks the unique key.
pub fn insert_week(conn: &mut DbConnection, row: &WeekRow) -> Result<(), StoreError> {
    diesel::insert_into(weeks::table)
        .values(row.clone())
        .execute(conn)?;
    Ok(())
}

/// The contract's weeks, oldest first.
pub fn weeks_of(conn: &mut DbConnection, contract: ContractId) -> Result<Vec<WeekRow>, StoreError> {
    Ok(weeks::table
        .filter(weeks::contract_id.eq(contract.to_string()))
        .order(weeks::week_of)
        .select(WeekRow::as_select())
        .load(conn)?)
}

/// The week the milestone holds, if it is a week of an hourly contract.
pub fn week_of_milestone(
    conn: &mut DbConnection,
    milestone: MilestoneId,
) -> Result<Option<WeekRow>, StoreError> {
    Ok(weeks::table
        .find(milestone.to_string())
        .select(WeekRow::as_select())
        .get_result(conn)
        .optional()?)
}

/// Time a member logged.
#[derive(Clone, Debug, Queryable, Selectable, Insertable)]
#[diesel(table_name = entries)]
pub struct EntryRow {
    /// UUIDv7.
    pub id: String,
    /// The contract.
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub contract_id: ContractId,
    /// The week's milestone.
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub milestone_id: MilestoneId,
    /// The day worked, `YYYY-MM-DD`.
    pub worked_on: String,
    /// Minutes worked.
    pub minutes: i32,
    /// What was done.
    pub note: String,
    /// When logged.
    pub created_at: Millis,
}

/// Logs time.
pub fn insert_entry(conn: &mut DbConnection, row: &EntryRow) -> Result<(), StoreError> {
    diesel::insert_into(entries::table)
        .values(row.clone())
        .execute(conn)?;
    Ok(())
}

/// Removes a logged entry of the contract; whether there was one.
pub fn delete_entry(
    conn: &mut DbConnection,
    contract: ContractId,
    id: &str,
) -> Result<Option<EntryRow>, StoreError> {
    let row = entries::table
        .find(id)
        .filter(entries::contract_id.eq(contract.to_string()))
        .select(EntryRow::as_select())
        .get_result(conn)
        .optional()?;
    if row.is_some() {
        diesel::delete(entries::table.find(id)).execute(conn)?;
    }
    Ok(row)
}

/// The contract's time entries, by day then by when logged.
pub fn entries_of(
    conn: &mut DbConnection,
    contract: ContractId,
) -> Result<Vec<EntryRow>, StoreError> {
    Ok(entries::table
        .filter(entries::contract_id.eq(contract.to_string()))
        .order((entries::worked_on, entries::created_at, entries::id))
        .select(EntryRow::as_select())
        .load(conn)?)
}

/// Minutes logged in a week.
pub fn minutes_in(conn: &mut DbConnection, milestone: MilestoneId) -> Result<i64, StoreError> {
    let total: Option<i64> = entries::table
        .filter(entries::milestone_id.eq(milestone.to_string()))
        .select(diesel::dsl::sum(entries::minutes))
        .get_result(conn)?;
    Ok(total.unwrap_or(0))
}

/// The weeks of a member's running hourly contracts, with each contract's weekly cap: the
/// hours they book. (week's Monday, cap in hours)
pub fn booked_weeks(
    conn: &mut DbConnection,
    member: UserId,
) -> Result<Vec<(String, i32)>, StoreError> {
    use crate::schema::contracts;
    let running: Vec<String> = contracts::table
        .filter(contracts::member_id.eq(member.to_string()))
        .filter(contracts::status.eq_any(["active", "disputed"]))
        .select(contracts::id)
        .load(conn)?;
    Ok(weeks::table
        .inner_join(terms::table.on(terms::contract_id.eq(weeks::contract_id)))
        .filter(weeks::contract_id.eq_any(&running))
        .select((weeks::week_of, terms::weekly_cap_hours))
        .load(conn)?)
}
