//! JSON Resume for members: their profile as one audience or persona sees it, exported as a
//! résumé other sites read; and a résumé imported as profile items that start private, so the
//! member chooses audiences before anything shows. What fits no item is kept aside and
//! reported, never lost in silence.

use crate::AppError;
use crate::accounts::Account;
use crate::profiles::{ItemInput, OwnItem, PreviewAs, add_item_in, from_row, validate};
use guildhall_domain::resume::{self, Origin};
use serde::Serialize;
use serde_json::Value;

/// What an import did.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct ResumeImport {
    /// The items added, all shown to nobody but the member (`private`).
    pub added: Vec<OwnItem>,
    /// What the résumé said that no item holds now.
    pub kept_aside: Vec<KeptAside>,
}

/// One part of a résumé not imported.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct KeptAside {
    /// Where it was, such as `education` or `work[2]`.
    pub at: String,
    /// Why it was not imported.
    pub why: String,
    /// What it said: any JSON value.
    pub value: Value,
}

impl crate::facades::Profiles<'_> {
    /// The caller's profile as `as_` sees it, as a JSON Resume document.
    pub fn export_resume(
        &self,
        who: &Account,
        as_: &PreviewAs,
        origin: &Origin<'_>,
    ) -> Result<Value, AppError> {
        let view = self.preview(who, as_)?;
        Ok(resume::export(&view, origin))
    }

    /// Imports a JSON Resume document into the caller's profile, every item private.
    pub fn import_resume(&self, who: &Account, doc: &Value) -> Result<ResumeImport, AppError> {
        let read = resume::import(doc).map_err(|why| AppError::field("", why))?;
        let mut kept_aside: Vec<KeptAside> = read
            .kept_aside
            .into_iter()
            .map(|(at, why, value)| KeptAside { at, why, value })
            .collect();
        let mut checked = Vec::new();
        for (at, data) in read.items {
            let original = serde_json::to_value(&data).unwrap_or_default();
            match validate(ItemInput {
                audiences: vec!["private".into()],
                data,
            }) {
                Ok(item) => checked.push((at, item, original)),
                Err(AppError::Validation(errors)) => kept_aside.push(KeptAside {
                    at,
                    why: errors.to_string(),
                    value: original,
                }),
                Err(e) => return Err(e),
            }
        }
        let now = self.now();
        let (added, refused) = self.write(|c| {
            let (mut added, mut refused) = (Vec::new(), Vec::new());
            for (at, (audiences, data), original) in &checked {
                match add_item_in(c, who.id, audiences, data, now) {
                    Ok(row) => added.push(OwnItem::from(&from_row(row)?)),
                    // A full profile takes no more; nothing was written for this one.
                    Err(AppError::Conflict { message, .. }) => refused.push(KeptAside {
                        at: at.clone(),
                        why: message,
                        value: original.clone(),
                    }),
                    Err(e) => return Err(e),
                }
            }
            Ok((added, refused))
        })?;
        kept_aside.extend(refused);
        Ok(ResumeImport { added, kept_aside })
    }
}
