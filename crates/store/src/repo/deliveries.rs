//! Deliveries of milestones, and the files uploaded to contracts.

use crate::schema::{contract_files as files, deliveries};
use crate::together::{Carried, Together};
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

/// Adds a delivery, the `carried` writes going with it ([`Carried`]).
pub fn insert(
    conn: &mut DbConnection,
    row: &DeliveryRow,
    carried: &[Carried<'_>],
) -> Result<(), StoreError> {
    let insert = diesel::insert_into(deliveries::table).values(row.clone());
    let c = match conn {
        DbConnection::Postgresql(c) => c,
        DbConnection::Sqlite(_) => {
            Carried::run_each(conn, carried)?;
            crate::db::native!(conn, |c| insert.execute(c))?;
            return Ok(());
        }
    };
    let insert = insert.returning(deliveries::id);
    Together::new(insert).carrying(carried).load::<String>(c)?;
    Ok(())
}

/// The statement of [`of_contract`], apart so a test can ask SQLite how it runs it: each
/// delivery's files are found through `contract_files_delivery`, not by reading every file.
macro_rules! delivered_with_files {
    ($contract:expr) => {
        deliveries::table
            .left_join(files::table.on(files::delivery_id.eq(deliveries::id.nullable())))
            .filter(deliveries::contract_id.eq($contract))
            .order((
                deliveries::created_at,
                deliveries::id,
                files::created_at.nullable(),
                files::id.nullable(),
            ))
            .select((DeliveryRow::as_select(), Option::<FileRow>::as_select()))
    };
}

/// A contract's deliveries, oldest first, each with the files delivered with it (oldest
/// first): one statement, joined.
pub fn of_contract(
    conn: &mut DbConnection,
    contract: ContractId,
) -> Result<Vec<(DeliveryRow, Vec<FileRow>)>, StoreError> {
    let contract = contract.to_string();
    let rows: Vec<(DeliveryRow, Option<FileRow>)> =
        crate::db::native!(conn, |c| delivered_with_files!(&contract).load(c))?;
    let mut out: Vec<(DeliveryRow, Vec<FileRow>)> = Vec::new();
    for (delivery, file) in rows {
        match out.last_mut() {
            Some((last, files)) if last.id == delivery.id => files.extend(file),
            _ => out.push((delivery, file.into_iter().collect())),
        }
    }
    Ok(out)
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

/// Attaches an uploaded file to a delivery; whether it was still unattached.
pub fn attach(conn: &mut DbConnection, file: &str, delivery: &str) -> Result<bool, StoreError> {
    let changed = diesel::update(files::table.find(file).filter(files::delivery_id.is_null()))
        .set(files::delivery_id.eq(delivery))
        .execute(conn)?;
    Ok(changed == 1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::tests::sqlite_plan;

    #[test]
    fn a_contracts_deliveries_find_their_files_by_index_not_by_reading_every_file() {
        let steps = sqlite_plan(&delivered_with_files!("c"));
        assert!(
            steps
                .iter()
                .any(|s| s.contains("contract_files USING INDEX contract_files_delivery")),
            "{steps:?}"
        );
        assert!(!steps.iter().any(|s| s.starts_with("SCAN")), "{steps:?}");
    }
}
