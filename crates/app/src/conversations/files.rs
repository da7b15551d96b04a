//! Files sent with messages: uploaded to the conversation (checked like delivered files and
//! kept in the same file store), then attached when the message is sent. Whoever may read the
//! conversation may download them, until their message is deleted or removed.

use super::access::place;
use crate::AppError;
use crate::accounts::Account;
use crate::files::{self, StoredFile, key_of};
use guildhall_store::DbConnection;
use guildhall_store::repo::conversations as repo;
use guildhall_store::repo::message_files::{self as store, MessageFileRow};

/// Files one message may carry.
pub const MAX_FILES: usize = 5;

pub(super) fn view(f: MessageFileRow) -> StoredFile {
    StoredFile {
        id: f.id,
        name: f.name,
        content_type: f.content_type,
        size: f.size,
        sha256: f.sha256,
    }
}

/// Attaches the caller's uploads `ids` to the message `message`, refusing any that is not
/// theirs, not of this conversation, or already sent.
pub(super) fn attach(
    c: &mut DbConnection,
    who: &Account,
    conversation: &str,
    message: &str,
    ids: &[String],
) -> Result<(), AppError> {
    if ids.len() > MAX_FILES {
        return Err(AppError::field(
            "/files",
            format!("at most {MAX_FILES} files a message"),
        ));
    }
    for (i, id) in ids.iter().enumerate() {
        let path = format!("/files/{i}");
        store::by_id(c, conversation, id)?
            .filter(|f| f.uploaded_by == who.id)
            .ok_or_else(|| AppError::field(&path, "upload the file to this conversation first"))?;
        if !store::attach(c, id, message)? {
            return Err(AppError::field(&path, "this file was sent already"));
        }
    }
    Ok(())
}

impl crate::facades::Conversations<'_> {
    /// Uploads a file to send with a message in conversation `id`: checked by size and
    /// content, stored before anything is recorded.
    pub fn upload_message_file(
        &self,
        who: &Account,
        id: &str,
        name: &str,
        bytes: Vec<u8>,
    ) -> Result<StoredFile, AppError> {
        let conversation = self.read(|c| Ok(place(c, id, who)?.conversation.id))?;
        let checked = files::check(name, &bytes)?;
        self.settings().files.put(&key_of(&checked.sha256), bytes)?;
        let row = MessageFileRow {
            id: uuid::Uuid::now_v7().to_string(),
            conversation_id: conversation,
            uploaded_by: who.id,
            message_id: None,
            name: checked.name,
            content_type: checked.content_type.to_string(),
            size: checked.size,
            sha256: checked.sha256,
            created_at: self.now(),
        };
        self.write(|c| Ok(store::insert(c, &row)?))?;
        Ok(view(row))
    }

    /// A file sent in conversation `id`, with its bytes, for whoever may read it; an upload not
    /// yet sent is its uploader's alone, and a deleted or removed message's files are gone.
    pub fn message_file(
        &self,
        who: &Account,
        id: &str,
        file_id: &str,
    ) -> Result<(StoredFile, Vec<u8>), AppError> {
        let file = self.read(|c| {
            let place = place(c, id, who)?;
            let file =
                store::by_id(c, &place.conversation.id, file_id)?.ok_or(AppError::NotFound)?;
            let shown = match &file.message_id {
                None => file.uploaded_by == who.id,
                Some(message) => repo::message(c, message)?
                    .is_some_and(|m| m.deleted_at.is_none() && m.removed_by.is_none()),
            };
            if !shown {
                return Err(AppError::NotFound);
            }
            Ok(file)
        })?;
        let bytes = self.settings().files.get_checked(&file.sha256)?;
        Ok((view(file), bytes))
    }
}
