//! Credentials the instance issued and revoked.

use super::layout::layout;
use serde::{Deserialize, Serialize};

/// `credential.issued`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CredentialIssued {
    /// The member it is about, who asked for it.
    pub holder: String,
    /// The credential's UUID.
    pub credential: String,
    /// `contract`, `membership`, `mentoring` or `skill`.
    pub credential_kind: String,
    /// The contract, community, mentorship or skill it is about.
    pub about: String,
    /// Its bit in the status list.
    pub status_index: u64,
}
layout!(CredentialIssued {
    actor: holder,
    subjects: [credential, about],
    data: [credential_kind, status_index],
    parties: [holder],
});

/// `credential.revoked`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CredentialRevoked {
    /// Who revoked it: an operator, a curator of its community, or the holder.
    pub by: String,
    /// The member it is about.
    pub holder: String,
    /// The credential's UUID.
    pub credential: String,
    /// Why, as they put it.
    pub reason: String,
}
layout!(CredentialRevoked {
    actor: by,
    subjects: [holder, credential],
    data: [reason],
    parties: [by, holder],
});
