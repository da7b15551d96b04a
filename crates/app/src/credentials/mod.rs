//! Credentials: the instance issues Open Badges 3.0 credentials from what its records and
//! evidence log show (a completed contract, a curated membership, mentoring given, a skill
//! backed by paid work), signs them with the instance key, keeps a bit for each in its
//! revocation status list, and checks credentials anyone hands it.

mod eligible;
mod issue;
pub(crate) mod manage;
pub(crate) mod profile;

pub use eligible::Requestable;
pub use issue::CredentialRequest;
pub use manage::RevokeInput;

use ed25519_dalek::{SigningKey, VerifyingKey};
use guildhall_domain::credentials::badge::{Issuer, Kind};
use guildhall_domain::credentials::status_list::LIST_SIZE;
use guildhall_store::repo::credentials::CredentialRow;
use serde::Serialize;
use serde_json::Value;

/// What signs credentials: the instance key, and the instance as the issuer they name.
#[derive(Clone, Debug)]
pub struct Signer {
    /// The current instance key.
    pub key: SigningKey,
    /// Retired instance keys, whose credentials and checkpoints stay verifiable.
    pub retired: Vec<VerifyingKey>,
    /// The instance: its `did:web`, name and public address.
    pub issuer: Issuer,
}

impl Signer {
    /// The verification method that names the current key.
    pub fn method(&self) -> String {
        guildhall_domain::did::key_id(&self.issuer.did, &self.key.verifying_key())
    }

    /// Every key the instance's DID lists, the current one first.
    pub fn keys(&self) -> Vec<VerifyingKey> {
        std::iter::once(self.key.verifying_key())
            .chain(self.retired.iter().copied())
            .collect()
    }

    /// The address of status list `n` (from 1).
    pub fn status_list_url(&self, n: u64) -> String {
        format!("{}/credentials/status/{n}", self.issuer.url)
    }
}

/// The status list (from 1) that holds `index`.
pub fn list_of(index: u64) -> u64 {
    index / LIST_SIZE + 1
}

/// A credential as its holder sees it.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Credential {
    /// Its UUID.
    pub id: String,
    /// What it states: `contract`, `membership`, `mentoring` or `skill`.
    pub kind: Kind,
    /// The achievement's name.
    pub name: String,
    /// When it was issued (Unix ms).
    pub issued_at: i64,
    /// Whether it was revoked.
    pub revoked: bool,
    /// Why, when it was.
    pub revoked_reason: Option<String>,
    /// The secret of its shared link, while it is shared.
    pub share_token: Option<String>,
    /// The audiences that see it on the holder's profile; empty when it is not shown there.
    pub shown_to: Vec<String>,
    /// The signed credential (an `OpenBadgeCredential`).
    #[schema(value_type = Object)]
    pub document: Value,
}

impl From<CredentialRow> for Credential {
    fn from(row: CredentialRow) -> Self {
        Credential {
            name: row.document["name"]
                .as_str()
                .unwrap_or_default()
                .to_string(),
            id: row.id,
            kind: row.kind,
            issued_at: row.issued_at,
            revoked: row.revoked.is_some(),
            revoked_reason: row.revoked.map(|r| r.reason),
            share_token: row.share_token,
            shown_to: Vec::new(),
            document: row.document,
        }
    }
}
