//! Deliveries of milestones, and the files uploaded to contracts.

use crate::schema::{contract_files as files, deliveries};
use crate::{DbConnection, Millis, StoreError};
use diesel::prelude::*;
use guildhall_domain::{ContractId, MilestoneId, UserId};

/// A delivery row.
#[derive(Clone, Debug, Queryable, Selectable, Insertable)]
#[diesel(table_name = deliveries)]
pub struct DeliveryRow {
    /// UUIDv7.
    pub id: String,
    /// The contract.
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub contract_id: ContractId,
    /// The milestone delivered.
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub milestone_id: MilestoneId,
    /// The member who delivered.
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub member_id: UserId,
    /// What they wrote.
    pub message: String,
    /// Addresses, as a JSON array.
    pub links: String,
    /// When.
    pub created_at: Millis,
}

/// A file uploaded to a contract.
#[derive(Clone, Debug, Queryable, Selectable, Insertable)]
#[diesel(table_name = files)]
pub struct FileRow {
    /// UUIDv7.
    pub id: String,
    /// The contract.
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub contract_id: ContractId,
    /// Who uploaded it.
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub uploaded_by: UserId,
    /// The delivery carrying it, once delivered.
    pub delivery_id: Option<String>,
    /// Its name, as uploaded.
    pub name: String,
    /// Its type, read from its content.
    pub content_type: String,
    /// Bytes.
    pub size: i64,
    /// SHA-256, hex: also its key in the file store.
    pub sha256: String,
    /// When uploaded.
    pub created_at: Millis,
}

/// Adds a delivery.
pub fn insert(conn: &mut DbConnection, row: &DeliveryRow) -> Result<(), StoreError> {
    diesel::insert_into(deliveries::table)
        .values(row.clone())
        .execute(conn)?;
    Ok(())
}

/// A contract's deliveries, oldest first.
pub fn of_contract(
    conn: &mut DbConnection,
    contract: ContractId,
) -> Result<Vec<DeliveryRow>, StoreError> {
    Ok(deliveries::table
        .filter(deliveries::contract_id.eq(contract.to_string()))
        .order((deliveries::created_at, deliveries::id))
        .select(DeliveryRow::as_select())
        .load(conn)?)
}

/// Adds an uploaded file.
pub fn insert_file(conn: &mut DbConnection, row: &FileRow) -> Result<(), StoreError> {
    diesel::insert_into(files::table)
        .values(row.clone())
        .execute(conn)?;
    Ok(())
}

/// One file of a contract.
pub fn file(
    conn: &mut DbConnection,
    contract: ContractId,
    id: &str,
) -> Result<Option<FileRow>, StoreError> {
    Ok(files::table
        .find(id)
        .filter(files::contract_id.eq(contract.to_string()))
        .select(FileRow::as_select())
        .get_result(conn)
        .optional()?)
}

/// The files deliveries of a contract carry, oldest first.
pub fn delivered_files(
    conn: &mut DbConnection,
    contract: ContractId,
) -> Result<Vec<FileRow>, StoreError> {
    Ok(files::table
        .filter(files::contract_id.eq(contract.to_string()))
        .filter(files::delivery_id.is_not_null())
        .order((files::created_at, files::id))
        .select(FileRow::as_select())
        .load(conn)?)
}

/// Attaches an uploaded file to a delivery; whether it was still unattached.
pub fn attach(conn: &mut DbConnection, file: &str, delivery: &str) -> Result<bool, StoreError> {
    let changed = diesel::update(files::table.find(file).filter(files::delivery_id.is_null()))
        .set(files::delivery_id.eq(delivery))
        .execute(conn)?;
    Ok(changed == 1)
}
