//! Files sent with messages.

use crate::schema::message_files as files;
use crate::{DbConnection, Millis, StoreError};
use diesel::prelude::*;
use guildhall_domain::UserId;

/// A file uploaded to a conversation.
#[derive(Clone, Debug, Queryable, Selectable, Insertable)]
#[diesel(table_name = files)]
pub struct MessageFileRow {
    /// UUIDv7.
    pub id: String,
    /// The conversation.
    pub conversation_id: String,
    /// Who uploaded it.
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub uploaded_by: UserId,
    /// The message carrying it, once sent.
    pub message_id: Option<String>,
    /// Its name, as uploaded.
    pub name: String,
    /// Its type, read from its content.
    pub content_type: String,
    /// Bytes.
    pub size: i64,
    /// SHA-256, hex: its key in the file store.
    pub sha256: String,
    /// When uploaded.
    pub created_at: Millis,
}

/// Adds an uploaded file.
pub fn insert(conn: &mut DbConnection, row: &MessageFileRow) -> Result<(), StoreError> {
    diesel::insert_into(files::table)
        .values(row.clone())
        .execute(conn)?;
    Ok(())
}

/// One file of a conversation.
pub fn by_id(
    conn: &mut DbConnection,
    conversation: &str,
    id: &str,
) -> Result<Option<MessageFileRow>, StoreError> {
    Ok(files::table
        .find(id)
        .filter(files::conversation_id.eq(conversation))
        .select(MessageFileRow::as_select())
        .get_result(conn)
        .optional()?)
}

/// The files these messages carry, oldest first.
pub fn of_messages(
    conn: &mut DbConnection,
    messages: &[String],
) -> Result<Vec<MessageFileRow>, StoreError> {
    Ok(files::table
        .filter(files::message_id.eq_any(messages))
        .order((files::created_at, files::id))
        .select(MessageFileRow::as_select())
        .load(conn)?)
}

/// Attaches an uploaded file to a message; whether it was still unattached.
pub fn attach(conn: &mut DbConnection, file: &str, message: &str) -> Result<bool, StoreError> {
    let changed = diesel::update(files::table.find(file).filter(files::message_id.is_null()))
        .set(files::message_id.eq(message))
        .execute(conn)?;
    Ok(changed == 1)
}
