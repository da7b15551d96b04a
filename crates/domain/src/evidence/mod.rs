//! The evidence log: an append-only Merkle log (RFC 9162's tree hash) of the events reputation
//! is computed from. Each entry is a small header the leaf commits to, and a payload kept apart
//! and committed to only by its hash, so a member's personal data can be erased while every
//! proof stays valid. Checkpoints (tree size, root, time, key id) are signed with the instance's
//! Ed25519 key. Everything is encoded as canonical JSON (RFC 8785), so another implementation
//! can recompute every hash from the documented formats.

pub mod bundle;
pub mod merkle;

use ed25519_dalek::{Signature, Signer, SigningKey, Verifier, VerifyingKey};
use merkle::Hash;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// The format version of headers and checkpoints.
pub const VERSION: u32 = 1;

/// What a leaf commits to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EntryHeader {
    /// Format version.
    pub v: u32,
    /// Position in the log, from 0.
    pub index: u64,
    /// The kind of evidence, such as `work.milestone_delivered`.
    pub kind: String,
    /// When it happened, milliseconds since the Unix epoch (UTC).
    pub at: i64,
    /// SHA-256 of the payload's canonical JSON, lowercase hex.
    pub payload_sha256: String,
}

/// RFC 8785 canonical JSON of `value` (see [`crate::canonical_json`]).
pub fn canonical<T: Serialize>(value: &T) -> Vec<u8> {
    crate::canonical_json::to_vec(value)
}

/// SHA-256 of the canonical JSON of a payload, lowercase hex.
pub fn payload_hash(payload: &serde_json::Value) -> String {
    sha256_hex(&crate::canonical_json::of_value(payload))
}

/// SHA-256 of `bytes`, lowercase hex.
fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

impl EntryHeader {
    /// The header of entry `index` for `payload`.
    pub fn new(index: u64, kind: &str, at: i64, payload: &serde_json::Value) -> Self {
        Self::of_canonical(index, kind, at, &crate::canonical_json::of_value(payload))
    }

    /// The header of entry `index` for a payload already in canonical JSON: for an appender
    /// that stores those bytes too, so they are encoded once.
    pub fn of_canonical(index: u64, kind: &str, at: i64, canonical_payload: &[u8]) -> Self {
        Self {
            v: VERSION,
            index,
            kind: kind.to_string(),
            at,
            payload_sha256: sha256_hex(canonical_payload),
        }
    }

    /// The leaf hash: SHA-256(0x00 ‖ canonical JSON of the header).
    pub fn leaf_hash(&self) -> Hash {
        merkle::leaf_hash(&canonical(self))
    }
}

/// What a checkpoint states: the log had `size` entries with `root` at `at`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CheckpointBody {
    /// Format version.
    pub v: u32,
    /// The instance: its public address or name.
    pub origin: String,
    /// Entries in the tree.
    pub size: u64,
    /// The tree's root hash, lowercase hex.
    pub root: String,
    /// When it was signed, milliseconds since the Unix epoch (UTC).
    pub at: i64,
    /// The signing key's id: the first 16 hex digits of SHA-256 of its 32 public key bytes.
    pub key_id: String,
}

/// A checkpoint with the instance's signature over the canonical JSON of its body.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Checkpoint {
    /// What is signed.
    pub body: CheckpointBody,
    /// Ed25519 signature of the body's canonical JSON, lowercase hex.
    pub signature: String,
}

/// The id of a public key.
pub fn key_id(key: &VerifyingKey) -> String {
    hex::encode(&Sha256::digest(key.as_bytes())[..8])
}

impl Checkpoint {
    /// Signs a checkpoint of `size` entries with `root`.
    pub fn sign(key: &SigningKey, origin: &str, size: u64, root: &Hash, at: i64) -> Self {
        let body = CheckpointBody {
            v: VERSION,
            origin: origin.to_string(),
            size,
            root: hex::encode(root),
            at,
            key_id: key_id(&key.verifying_key()),
        };
        let signature = hex::encode(key.sign(&canonical(&body)).to_bytes());
        Self { body, signature }
    }

    /// Whether `key` signed this body.
    pub fn verify(&self, key: &VerifyingKey) -> bool {
        let Ok(bytes) = hex::decode(&self.signature) else {
            return false;
        };
        let Ok(signature) = Signature::from_slice(&bytes) else {
            return false;
        };
        self.body.key_id == key_id(key) && key.verify(&canonical(&self.body), &signature).is_ok()
    }

    /// Whether one of `keys` (a key history) signed this body: the one its key id names.
    pub fn verify_with(&self, keys: &[VerifyingKey]) -> bool {
        keys.iter()
            .any(|k| key_id(k) == self.body.key_id && self.verify(k))
    }

    /// The root as bytes, if well formed.
    pub fn root(&self) -> Option<Hash> {
        decode_hash(&self.body.root)
    }
}

/// A lowercase hex hash as bytes.
pub fn decode_hash(hex_hash: &str) -> Option<Hash> {
    hex::decode(hex_hash).ok()?.try_into().ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn headers_hash_their_canonical_json() {
        let payload = json!({"b": 1, "a": "é"});
        let h = EntryHeader::new(3, "work.contract_completed", 1_700_000_000_000, &payload);
        // RFC 8785: keys sorted, no spaces, non-ASCII as UTF-8.
        assert_eq!(canonical(&payload), "{\"a\":\"é\",\"b\":1}".as_bytes());
        assert_eq!(
            h.payload_sha256,
            hex::encode(Sha256::digest("{\"a\":\"é\",\"b\":1}"))
        );
        let expected = format!(
            "{{\"at\":1700000000000,\"index\":3,\"kind\":\"work.contract_completed\",\"payload_sha256\":\"{}\",\"v\":1}}",
            h.payload_sha256
        );
        assert_eq!(canonical(&h), expected.as_bytes());
        let mut prefixed = vec![0u8];
        prefixed.extend_from_slice(expected.as_bytes());
        assert_eq!(h.leaf_hash(), <[u8; 32]>::from(Sha256::digest(&prefixed)));
    }

    #[test]
    fn checkpoints_verify_only_with_their_key_and_body() {
        let key = SigningKey::from_bytes(&[7u8; 32]);
        let other = SigningKey::from_bytes(&[8u8; 32]);
        let c = Checkpoint::sign(&key, "guild.example", 5, &[1u8; 32], 42);
        assert!(c.verify(&key.verifying_key()));
        assert!(!c.verify(&other.verifying_key()));
        let mut forged = c.clone();
        forged.body.size = 6;
        assert!(!forged.verify(&key.verifying_key()));
        assert_eq!(c.root(), Some([1u8; 32]));
    }
}
