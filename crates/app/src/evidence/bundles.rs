//! A member's own evidence: listing it, taking it away as a bundle that verifies offline, and
//! erasing what it says about them without breaking the log.

use super::{Stored, header_of, hexes};
use crate::AppError;
use crate::accounts::Account;
use crate::events::record;
use ed25519_dalek::SigningKey;
use guildhall_domain::UserId;
use guildhall_domain::events::{Event, EvidenceErased};
use guildhall_domain::evidence::bundle::{Bundle, BundleEntry};
use guildhall_domain::evidence::{EntryHeader, VERSION, merkle};
use guildhall_store::DbConnection;
use guildhall_store::repo::evidence as repo;
use guildhall_store::repo::users;
use serde::Serialize;
use serde_json::Value;

/// One of the caller's entries.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct MyEntry {
    /// The header the leaf commits to.
    pub header: EntryHeader,
    /// What it says, unless erased.
    #[schema(value_type = Option<Object>)]
    pub payload: Option<Value>,
}

/// The caller's entries with their payloads, in log order.
pub(crate) fn entries_of(c: &mut DbConnection, user_id: UserId) -> Result<Vec<MyEntry>, AppError> {
    let mut out = Vec::new();
    for idx in repo::of_subject(c, user_id)? {
        let Some(row) = repo::entries(c, idx, idx + 1)?.pop() else {
            continue;
        };
        let payload = repo::payloads(c, idx, idx + 1)?
            .pop()
            .and_then(|(_, text)| serde_json::from_str(&text).ok());
        out.push(MyEntry {
            header: header_of(&row),
            payload,
        });
    }
    Ok(out)
}

impl crate::facades::Evidence<'_> {
    /// The caller's evidence, oldest first.
    pub fn my_evidence(&self, who: &Account) -> Result<Vec<MyEntry>, AppError> {
        self.catch_up()?;
        self.read(|c| entries_of(c, who.id))
    }

    /// The caller's evidence as a bundle: every entry with its payload and inclusion proof at a
    /// checkpoint signed now (or the newest, if the log has not grown since).
    pub fn evidence_bundle(&self, who: &Account, key: &SigningKey) -> Result<Bundle, AppError> {
        self.bundle_of(who, key, None)
    }

    /// A bundle of one of the caller's entries, with its proof: what a member hands someone
    /// to show one piece of evidence. `NotFound` unless the entry is about the caller.
    pub fn entry_bundle(
        &self,
        who: &Account,
        key: &SigningKey,
        index: u64,
    ) -> Result<Bundle, AppError> {
        let bundle = self.bundle_of(who, key, Some(index))?;
        if bundle.entries.is_empty() {
            return Err(AppError::NotFound);
        }
        Ok(bundle)
    }

    fn bundle_of(
        &self,
        who: &Account,
        key: &SigningKey,
        only: Option<u64>,
    ) -> Result<Bundle, AppError> {
        let checkpoint = self.sign_checkpoint(key)?;
        let size = checkpoint.body.size;
        self.read(|c| {
            let mut entries = Vec::new();
            for e in entries_of(c, who.id)? {
                if e.header.index >= size || only.is_some_and(|i| i != e.header.index) {
                    continue; // appended after the checkpoint: the next bundle has it
                }
                let proof = merkle::inclusion_proof(&mut Stored(c), e.header.index, size)?
                    .unwrap_or_default();
                entries.push(BundleEntry {
                    header: e.header,
                    payload: e.payload,
                    proof: hexes(&proof),
                });
            }
            Ok(Bundle {
                v: VERSION,
                checkpoint: checkpoint.clone(),
                entries,
            })
        })
    }

    /// Takes the evidence about `handle` out of their view: the member themselves, or an
    /// operator. A payload goes once no party holds it any more; the other party of shared
    /// work keeps theirs. The headers stay, so every root and proof stays valid. Returns how
    /// many entries the member no longer holds.
    pub fn erase_evidence(&self, who: &Account, handle: &str) -> Result<usize, AppError> {
        let now = self.now();
        self.write(|c| {
            // Evidence about the member still on its way from the feed is erased too.
            super::append_all_pending(c)?;
            let member = users::by_handle(c, handle)?.ok_or(AppError::NotFound)?;
            if member.id != who.id && !who.is_operator {
                return Err(AppError::Forbidden(
                    "only the member or an operator erases their evidence".into(),
                ));
            }
            let erased = erase_view(c, now, who, member.id)?;
            Ok(erased)
        })
    }
}

/// Takes a member's evidence out of their view and records it, in the caller's transaction.
pub(crate) fn erase_view(
    c: &mut DbConnection,
    now: i64,
    who: &Account,
    member: UserId,
) -> Result<usize, AppError> {
    let erased = repo::erase_subject(c, member)?;
    record(
        c,
        now,
        Event::EvidenceErased(EvidenceErased {
            by: who.id.to_string(),
            member: member.to_string(),
            payloads: erased as u64,
        }),
    )?;
    Ok(erased)
}
