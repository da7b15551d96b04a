//! Where a member is signed in: their live browser sessions, ending one, and signing out
//! everywhere else (with the API tokens too, if they ask).

use super::{Account, RevokeTokens};
use crate::AppError;
use crate::events::record;
use crate::secrets::hash_token;
use guildhall_domain::events::{Event, SignedOut};
use guildhall_store::repo::{sessions, tokens};
use serde::Serialize;

/// Characters of a session's hash that name it in lists and links: enough to tell a member's
/// sessions apart, and not the hash the database keeps.
const NAME_CHARS: usize = 16;

/// A live session as its member sees it.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct SessionView {
    /// The session's name, as in `/api/v1/me/sessions/{id}` (not its secret).
    pub id: String,
    /// How the browser described itself when it signed in.
    pub device: String,
    /// When it signed in, Unix ms.
    pub created_at: i64,
    /// When it ends unless used, Unix ms.
    pub expires_at: i64,
    /// Whether this is the session asking.
    pub current: bool,
}

impl crate::facades::Accounts<'_> {
    /// The member's live sessions, newest first; `current` is the asking browser's session.
    pub fn sessions(
        &self,
        who: &Account,
        current: Option<&str>,
    ) -> Result<Vec<SessionView>, AppError> {
        let now = self.now();
        let current = current.map(hash_token);
        self.read(|c| {
            Ok(sessions::of_user(c, who.id, now)?
                .into_iter()
                .map(|(hash, created_at, expires_at, device)| SessionView {
                    id: hash[..NAME_CHARS].to_string(),
                    current: current.as_deref() == Some(hash.as_str()),
                    device,
                    created_at,
                    expires_at,
                })
                .collect())
        })
    }

    /// Ends one of the member's sessions, named as `sessions` names it.
    pub fn end_session(&self, who: &Account, id: &str) -> Result<(), AppError> {
        let now = self.now();
        self.write(|c| {
            let hash = sessions::of_user(c, who.id, now)?
                .into_iter()
                .map(|(hash, ..)| hash)
                .find(|hash| id.len() == NAME_CHARS && hash.starts_with(id))
                .ok_or(AppError::NotFound)?;
            sessions::delete(c, &hash)?;
            record(
                c,
                now,
                Event::SignedOut(SignedOut {
                    account: Some(who.id.to_string()),
                }),
            )
        })
    }

    /// Ends every session of the member but `keep` (the asking browser's), and revokes their
    /// API tokens when asked; returns how many sessions ended.
    pub fn sign_out_everywhere(
        &self,
        who: &Account,
        keep: Option<&str>,
        revoke: RevokeTokens,
    ) -> Result<usize, AppError> {
        let now = self.now();
        let keep = keep.map(hash_token);
        self.write(|c| {
            let ended = sessions::delete_others(c, who.id, keep.as_deref())?;
            if revoke == RevokeTokens::Yes {
                tokens::revoke_all(c, who.id, now)?;
            }
            record(
                c,
                now,
                Event::SignedOut(SignedOut {
                    account: Some(who.id.to_string()),
                }),
            )?;
            Ok(ended)
        })
    }
}
