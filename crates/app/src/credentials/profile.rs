//! Credentials on the holder's profile: a profile item of kind `credential`, with audiences
//! like any other, naming the credential and the page that shows it checked. The server fills
//! in the name and link; revoking or ending the shared link takes the item off the profile.

use crate::AppError;
use crate::accounts::Account;
use crate::events::record;
use crate::profiles::{ItemInput, add_item_in, validate};
use guildhall_domain::UserId;
use guildhall_domain::events::{Event, ItemRemoved};
use guildhall_domain::profile::ItemData;
use guildhall_store::DbConnection;
use guildhall_store::repo::credentials as repo;
use guildhall_store::repo::items;
use std::collections::HashMap;

/// A credential item as the server keeps it: the holder's own credential, not revoked, with its
/// name and shared link (sharing it if it was not).
pub(crate) fn prepare_item(
    c: &mut DbConnection,
    data: ItemData,
    owner: UserId,
) -> Result<ItemData, AppError> {
    let ItemData::Credential { credential, .. } = data else {
        return Ok(data);
    };
    let row = repo::find(c, credential.trim())?
        .filter(|r| r.holder_id == owner && r.revoked.is_none())
        .ok_or_else(|| {
            AppError::field(
                "/data/credential",
                "choose one of your credentials that is not revoked",
            )
        })?;
    let token = match row.share_token {
        Some(token) => token,
        None => {
            let token = crate::secrets::link_token();
            repo::set_share_token(c, &row.id, Some(&token))?;
            token
        }
    };
    Ok(ItemData::Credential {
        name: row.document["name"]
            .as_str()
            .unwrap_or_default()
            .to_string(),
        credential: row.id,
        link: format!("/credentials/shared/{token}"),
    })
}

/// The owner's items showing `credential`.
fn items_of(
    c: &mut DbConnection,
    owner: UserId,
    credential: &str,
) -> Result<Vec<items::ItemRow>, AppError> {
    Ok(items::of_owner(c, owner)?
        .into_iter()
        .filter(|r| r.kind == "credential")
        .filter(|r| {
            serde_json::from_str::<ItemData>(&r.data).is_ok_and(
                |d| matches!(d, ItemData::Credential { credential: id, .. } if id == credential),
            )
        })
        .collect())
}

/// Takes `credential` off its holder's profile.
pub(crate) fn take_off_profile(
    c: &mut DbConnection,
    owner: UserId,
    credential: &str,
    now: i64,
) -> Result<(), AppError> {
    for row in items_of(c, owner, credential)? {
        items::delete(c, owner, &row.id)?;
        record(
            c,
            now,
            Event::ItemRemoved(ItemRemoved {
                owner: owner.to_string(),
                item: row.id,
            }),
        )?;
    }
    Ok(())
}

/// Who sees each of the owner's credentials on their profile: credential id → audiences.
pub(crate) fn audiences_shown(
    c: &mut DbConnection,
    owner: UserId,
) -> Result<HashMap<String, Vec<String>>, AppError> {
    let mut shown = HashMap::new();
    for row in items::of_owner(c, owner)?
        .into_iter()
        .filter(|r| r.kind == "credential")
    {
        if let Ok(ItemData::Credential { credential, .. }) = serde_json::from_str(&row.data) {
            shown.insert(
                credential,
                row.audiences
                    .split_whitespace()
                    .map(str::to_string)
                    .collect(),
            );
        }
    }
    Ok(shown)
}

impl crate::facades::Credentials<'_> {
    /// Shows one of the caller's credentials on their profile to `audiences` (replacing whom it
    /// was shown to before), or takes it off when `audiences` is empty.
    pub fn show_on_profile(
        &self,
        who: &Account,
        id: &str,
        audiences: Vec<String>,
    ) -> Result<(), AppError> {
        let now = self.now();
        let chosen = if audiences.is_empty() {
            None
        } else {
            Some(validate(ItemInput {
                audiences,
                data: ItemData::Credential {
                    credential: id.to_string(),
                    name: String::new(),
                    link: String::new(),
                },
            })?)
        };
        self.write(|c| {
            repo::find(c, id)?
                .filter(|r| r.holder_id == who.id)
                .ok_or(AppError::NotFound)?;
            take_off_profile(c, who.id, id, now)?;
            if let Some((audiences, data)) = &chosen {
                add_item_in(c, who.id, audiences, data, now)?;
            }
            Ok(())
        })
    }
}
