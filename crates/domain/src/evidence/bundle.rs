//! Portable evidence: a member's entries with their payloads and inclusion proofs, and the
//! signed checkpoint the proofs lead to. A bundle is checked offline with nothing but the
//! instance's public key.

use super::merkle::{self, Hash};
use super::{Checkpoint, EntryHeader, decode_hash, payload_hash};
use ed25519_dalek::VerifyingKey;
use serde::{Deserialize, Serialize};

/// One entry of a bundle.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BundleEntry {
    /// The header the leaf commits to.
    pub header: EntryHeader,
    /// The payload, unless it was erased.
    #[schema(value_type = Option<Object>)]
    pub payload: Option<serde_json::Value>,
    /// The audit path from the leaf to the checkpoint's root, leaf side first, hex.
    pub proof: Vec<String>,
}

/// A member's evidence, ready to take anywhere.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Bundle {
    /// Format version, 1.
    pub v: u32,
    /// The checkpoint every proof leads to.
    pub checkpoint: Checkpoint,
    /// The entries, in log order.
    pub entries: Vec<BundleEntry>,
}

/// What checking a bundle found.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct BundleReport {
    /// Entries whose proof and payload check out.
    pub verified: usize,
    /// Entries whose payload was erased (their proofs still checked).
    pub erased: usize,
    /// What is wrong: the checkpoint (index `None`) or an entry.
    pub problems: Vec<(Option<u64>, String)>,
}

impl BundleReport {
    /// Whether everything checked out.
    pub fn ok(&self) -> bool {
        self.problems.is_empty()
    }
}

impl Bundle {
    /// Checks the bundle with the key of `keys` (a key history) that its checkpoint names.
    pub fn verify_with(&self, keys: &[VerifyingKey]) -> BundleReport {
        match keys
            .iter()
            .find(|k| super::key_id(k) == self.checkpoint.body.key_id)
        {
            Some(key) => self.verify(key),
            None => BundleReport {
                problems: vec![(
                    None,
                    format!(
                        "the checkpoint was signed by key {}, which is not among the keys given",
                        self.checkpoint.body.key_id
                    ),
                )],
                ..BundleReport::default()
            },
        }
    }

    /// Checks the checkpoint's signature with `key`, then for every entry: its payload against
    /// the header's hash, and its inclusion proof against the checkpoint's root.
    pub fn verify(&self, key: &VerifyingKey) -> BundleReport {
        let mut report = BundleReport::default();
        let root = self.checkpoint.root();
        if !self.checkpoint.verify(key) || root.is_none() {
            report
                .problems
                .push((None, "the checkpoint is not signed by this key".to_string()));
            return report;
        }
        let (root, size) = (root.unwrap_or_default(), self.checkpoint.body.size);
        for e in &self.entries {
            let index = e.header.index;
            let proof: Option<Vec<Hash>> = e.proof.iter().map(|h| decode_hash(h)).collect();
            let problem = match (&e.payload, proof) {
                (_, None) => Some("its proof is not a list of hashes"),
                (Some(p), _) if payload_hash(p) != e.header.payload_sha256 => {
                    Some("its payload does not match its header")
                }
                (_, Some(proof))
                    if !merkle::verify_inclusion(
                        &e.header.leaf_hash(),
                        index,
                        size,
                        &proof,
                        &root,
                    ) =>
                {
                    Some("it is not in the log at the checkpoint")
                }
                _ => None,
            };
            match problem {
                Some(why) => report.problems.push((Some(index), why.to_string())),
                None if e.payload.is_none() => report.erased += 1,
                None => report.verified += 1,
            }
        }
        report
    }
}
