//! The evidence log's rows: entries (leaves), payloads, subjects, subtree hashes, checkpoints.
//! Appends are serialised by the change feed's lock (PostgreSQL) or the write transaction
//! (SQLite), which the caller holds.

use crate::schema::{
    evidence_checkpoints, evidence_entries, evidence_nodes, evidence_payloads, evidence_subjects,
};
use crate::{DbConnection, Millis, StoreError};
use diesel::prelude::*;
use guildhall_domain::UserId;

/// An entry: one leaf of the tree.
#[derive(Clone, Debug, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = evidence_entries)]
pub struct EntryRow {
    /// Position from 0.
    pub idx: i64,
    /// The kind of evidence.
    pub kind: String,
    /// When it happened.
    pub at: Millis,
    /// SHA-256 of the payload's canonical JSON.
    pub payload_sha256: String,
    /// The leaf hash.
    pub leaf_hash: String,
    /// The change-feed event that caused it.
    pub event_id: String,
}

/// A signed checkpoint.
#[derive(Clone, Debug, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = evidence_checkpoints)]
pub struct CheckpointRow {
    /// Tree size.
    pub size: i64,
    /// Root hash.
    pub root: String,
    /// When signed.
    pub at: Millis,
    /// The signing key's id.
    pub key_id: String,
    /// The signed body, canonical JSON.
    pub body: String,
    /// The signature.
    pub signature: String,
}

/// The change-feed event of the log's last entry, if it has any entry.
pub fn last_event_id(conn: &mut DbConnection) -> Result<Option<String>, StoreError> {
    Ok(evidence_entries::table
        .order(evidence_entries::idx.desc())
        .select(evidence_entries::event_id)
        .first(conn)
        .optional()?)
}

/// How many entries the log holds: one past the last position (read from the primary key's
/// index, so appends stay cheap however long the log grows).
pub fn size(conn: &mut DbConnection) -> Result<i64, StoreError> {
    let last: Option<i64> = evidence_entries::table
        .select(diesel::dsl::max(evidence_entries::idx))
        .get_result(conn)?;
    Ok(last.map_or(0, |i| i + 1))
}

/// What appending a run of entries writes: each entry with its payload and subjects, and the
/// hashes of the subtrees the entries complete as `(level, idx, hash)`.
#[derive(Clone, Debug, Default)]
pub struct Appended {
    /// The entries, in order.
    pub entries: Vec<EntryRow>,
    /// Each entry's payload, canonical JSON: `(idx, payload)`.
    pub payloads: Vec<(i64, String)>,
    /// Whom the entries are about: `(user id, idx)`.
    pub subjects: Vec<(String, i64)>,
    /// Hashes of complete subtrees: `(level, idx, hash)`.
    pub nodes: Vec<(i32, i64, String)>,
}

/// Writes a run of appended entries (on PostgreSQL one statement per table).
pub fn append(conn: &mut DbConnection, rows: &Appended) -> Result<(), StoreError> {
    crate::db::insert_rows!(conn, evidence_entries::table, &rows.entries, evidence_entries::idx => i64);
    let payloads: Vec<_> = rows
        .payloads
        .iter()
        .map(|(idx, payload)| {
            (
                evidence_payloads::idx.eq(*idx),
                evidence_payloads::payload.eq(payload.as_str()),
            )
        })
        .collect();
    crate::db::insert_rows!(conn, evidence_payloads::table, &payloads, evidence_payloads::idx => i64);
    let subjects: Vec<_> = rows
        .subjects
        .iter()
        .map(|(user, idx)| {
            (
                evidence_subjects::user_id.eq(user.as_str()),
                evidence_subjects::idx.eq(*idx),
            )
        })
        .collect();
    crate::db::insert_rows!(conn, evidence_subjects::table, &subjects, evidence_subjects::idx => i64);
    let nodes: Vec<_> = rows
        .nodes
        .iter()
        .map(|(level, idx, hash)| {
            (
                evidence_nodes::level.eq(*level),
                evidence_nodes::idx.eq(*idx),
                evidence_nodes::hash.eq(hash.as_str()),
            )
        })
        .collect();
    crate::db::insert_rows!(conn, evidence_nodes::table, &nodes, evidence_nodes::idx => i64);
    Ok(())
}

/// The hash of a complete subtree, if stored.
pub fn node(conn: &mut DbConnection, level: i32, idx: i64) -> Result<Option<String>, StoreError> {
    Ok(evidence_nodes::table
        .find((level, idx))
        .select(evidence_nodes::hash)
        .get_result(conn)
        .optional()?)
}

/// Every stored hash of one level, in order.
pub fn nodes_of_level(
    conn: &mut DbConnection,
    level: i32,
) -> Result<Vec<(i64, String)>, StoreError> {
    Ok(evidence_nodes::table
        .filter(evidence_nodes::level.eq(level))
        .order(evidence_nodes::idx)
        .select((evidence_nodes::idx, evidence_nodes::hash))
        .load(conn)?)
}

/// Entries `from..to`, in order.
pub fn entries(conn: &mut DbConnection, from: i64, to: i64) -> Result<Vec<EntryRow>, StoreError> {
    Ok(evidence_entries::table
        .filter(evidence_entries::idx.ge(from))
        .filter(evidence_entries::idx.lt(to))
        .order(evidence_entries::idx)
        .select(EntryRow::as_select())
        .load(conn)?)
}

/// The payloads of entries `from..to` that are still kept, by position.
pub fn payloads(
    conn: &mut DbConnection,
    from: i64,
    to: i64,
) -> Result<Vec<(i64, String)>, StoreError> {
    Ok(evidence_payloads::table
        .filter(evidence_payloads::idx.ge(from))
        .filter(evidence_payloads::idx.lt(to))
        .order(evidence_payloads::idx)
        .select((evidence_payloads::idx, evidence_payloads::payload))
        .load(conn)?)
}

/// The kept payloads of a member's entries of `kind`, in log order, in one statement.
pub fn payloads_of_kind(
    conn: &mut DbConnection,
    user_id: UserId,
    kind: &str,
) -> Result<Vec<String>, StoreError> {
    let mine = evidence_subjects::table
        .filter(evidence_subjects::user_id.eq(user_id.to_string()))
        .select(evidence_subjects::idx);
    let of_kind = evidence_entries::table
        .filter(evidence_entries::kind.eq(kind))
        .select(evidence_entries::idx);
    Ok(evidence_payloads::table
        .filter(evidence_payloads::idx.eq_any(mine))
        .filter(evidence_payloads::idx.eq_any(of_kind))
        .order(evidence_payloads::idx)
        .select(evidence_payloads::payload)
        .load(conn)?)
}

/// The positions of a member's entries, in order.
pub fn of_subject(conn: &mut DbConnection, user_id: UserId) -> Result<Vec<i64>, StoreError> {
    Ok(evidence_subjects::table
        .filter(evidence_subjects::user_id.eq(user_id.to_string()))
        .order(evidence_subjects::idx)
        .select(evidence_subjects::idx)
        .load(conn)?)
}

/// Takes a member's entries out of their view: their index goes, and so does each payload no
/// other party still holds. A party who keeps an entry keeps its payload: each party decides
/// for their own view only. The entries and every proof stay. Returns how many entries the
/// member no longer holds.
pub fn erase_subject(conn: &mut DbConnection, user_id: UserId) -> Result<usize, StoreError> {
    let ids = of_subject(conn, user_id)?;
    diesel::delete(
        evidence_subjects::table.filter(evidence_subjects::user_id.eq(user_id.to_string())),
    )
    .execute(conn)?;
    let still_held = evidence_subjects::table
        .filter(evidence_subjects::idx.eq_any(&ids))
        .select(evidence_subjects::idx);
    diesel::delete(
        evidence_payloads::table
            .filter(evidence_payloads::idx.eq_any(&ids))
            .filter(evidence_payloads::idx.ne_all(still_held)),
    )
    .execute(conn)?;
    Ok(ids.len())
}

/// Every `(position, user id)` that still holds an entry, in log order.
pub fn all_subjects(conn: &mut DbConnection) -> Result<Vec<(i64, String)>, StoreError> {
    Ok(evidence_subjects::table
        .order(evidence_subjects::idx)
        .select((evidence_subjects::idx, evidence_subjects::user_id))
        .load(conn)?)
}

/// Stores a checkpoint.
pub fn put_checkpoint(conn: &mut DbConnection, row: &CheckpointRow) -> Result<(), StoreError> {
    diesel::insert_into(evidence_checkpoints::table)
        .values(row)
        .execute(conn)?;
    Ok(())
}

/// The checkpoint of the largest tree.
pub fn latest_checkpoint(conn: &mut DbConnection) -> Result<Option<CheckpointRow>, StoreError> {
    Ok(evidence_checkpoints::table
        .order(evidence_checkpoints::size.desc())
        .select(CheckpointRow::as_select())
        .first(conn)
        .optional()?)
}

/// Every checkpoint, smallest tree first.
pub fn checkpoints(conn: &mut DbConnection) -> Result<Vec<CheckpointRow>, StoreError> {
    Ok(evidence_checkpoints::table
        .order(evidence_checkpoints::size)
        .select(CheckpointRow::as_select())
        .load(conn)?)
}
